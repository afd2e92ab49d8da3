//! The report's tables, built once and rendered three ways (HTML, Markdown, CSV): a summary, fit
//! rates by slice, the fit distribution, rules, team compositions, what each plan breaks,
//! unfilled posts, and the posts where plans differ. Plans are side by side, one column each.

use serde::Serialize;

use super::{differing_posts, Report};
use crate::check::{fmt_num, Bound, RuleUnit, Slice, FIT_BINS};
use crate::scenario::{RuleKind, RuleScope, Scenario};

/// How a cell is marked: a broken bound or missed target, a bound only just met, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    None,
    Bad,
    Tight,
}

/// One cell: its text (marks included as ✗ or ≈, so Markdown and CSV keep them) and mark.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub text: String,
    pub mark: Mark,
}

impl Cell {
    fn plain(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            mark: Mark::None,
        }
    }
}

/// A table: `id` names its CSV file (`ID.csv`) and HTML anchor.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub id: &'static str,
    pub title: String,
    /// One sentence under the title saying how to read the table.
    pub note: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A share as a percentage with one decimal: `0.8333` → `83.3%`.
pub fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A fit or objective with three decimals.
pub fn num3(x: f64) -> String {
    let t = format!("{x:.3}");
    if t == "-0.000" {
        "0.000".to_string()
    } else {
        t
    }
}

fn plain_row<I: IntoIterator<Item = String>>(cells: I) -> Vec<Cell> {
    cells.into_iter().map(Cell::plain).collect()
}

/// Every table of the report, in the order the documents show them.
pub fn tables(s: &Scenario, r: &Report) -> Vec<Table> {
    let mut out = vec![
        summary(r),
        fit_rates(s, r),
        distribution(s, r),
        rules(s, r),
        compositions(s, r),
        breaks(s, r),
        unfilled(s, r),
    ];
    if r.plans.len() >= 2 {
        out.push(differences(s, r));
    }
    out
}

fn header(first: &[&str], r: &Report) -> Vec<String> {
    first
        .iter()
        .map(|h| h.to_string())
        .chain(r.plans.iter().map(|p| p.label.clone()))
        .collect()
}

fn summary(r: &Report) -> Table {
    let row = |name: &str, f: &dyn Fn(&super::PlanFigures) -> String| {
        let mut cells = vec![Cell::plain(name)];
        cells.extend(r.plans.iter().map(|p| Cell::plain(f(p))));
        cells
    };
    let mut rows = vec![
        row("source", &|p| p.source.clone()),
        row("placements", &|p| p.check.placements.len().to_string()),
        row("unfilled posts", &|p| p.check.unfilled.len().to_string()),
        row("total fit", &|p| num3(p.check.fit_total)),
        row("soft-rule penalties", &|p| num3(p.check.penalty_total)),
        row("objective", &|p| num3(p.check.objective)),
        row("fit rate", &|p| rate_text(p.overall().rate, p.overall())),
        row("promotions", &|p| p.moves.promotions.to_string()),
        row("lateral moves", &|p| p.moves.lateral.to_string()),
        row("moves between teams", &|p| p.moves.team_changes.to_string()),
    ];
    let mut breaks = vec![Cell::plain("breaks (hard rules, must-fill, eligibility)")];
    breaks.extend(r.plans.iter().map(|p| {
        let n = p.check.violations.len();
        Cell {
            text: if n == 0 {
                "nothing".to_string()
            } else {
                format!("✗ {n}")
            },
            mark: if n == 0 { Mark::None } else { Mark::Bad },
        }
    }));
    rows.push(breaks);
    Table {
        id: "summary",
        title: "Summary".to_string(),
        note: "Total fit, objective (fit minus soft-rule penalties) and fit rate per plan; the greedy baseline takes the highest fit first and ignores rules.".to_string(),
        header: header(&["figure"], r),
        rows,
    }
}

fn rate_text(rate: Option<f64>, sr: &crate::check::SliceRate) -> String {
    match rate {
        None => "– (0 placed)".to_string(),
        Some(x) => format!("{} ({}/{})", pct(x), sr.fitting, sr.placements),
    }
}

fn fit_rates(s: &Scenario, r: &Report) -> Table {
    let n = r.plans[0].rates.len();
    let rows = (0..n)
        .map(|i| {
            let slice = &r.plans[0].rates[i];
            let mut cells = vec![
                Cell::plain(slice.slice.dimension()),
                Cell::plain(slice_label(s, &slice.slice)),
                Cell::plain(slice.target.map(pct).unwrap_or_default()),
            ];
            cells.extend(r.plans.iter().map(|p| {
                let sr = &p.rates[i];
                let text = rate_text(sr.rate, sr);
                match sr.meets_target() {
                    Some(false) => Cell {
                        text: format!("✗ {text}"),
                        mark: Mark::Bad,
                    },
                    _ => Cell::plain(text),
                }
            }));
            cells
        })
        .collect();
    Table {
        id: "fit_rates",
        title: "Fit rates".to_string(),
        note: format!(
            "Share of placements with fit >= {} (the scenario's threshold), overall, by post kind, team, rank and group of people; the target is the strictest fit_rate rule on exactly those posts; ✗ misses it.",
            fmt_num(s.fit.threshold)
        ),
        header: header(&["by", "slice", "target"], r),
        rows,
    }
}

/// A slice's name with the team's or rank's own words.
pub fn slice_label(s: &Scenario, slice: &Slice) -> String {
    match slice {
        Slice::Team(t) => match &s.teams[*t].name {
            Some(n) => format!("{} {}", s.teams[*t].id, n),
            None => s.teams[*t].id.clone(),
        },
        _ => slice.name(s),
    }
}

/// The label of histogram bin `b`: `0.7–0.8`.
pub fn bin_label(b: usize) -> String {
    format!(
        "{:.1}–{:.1}",
        b as f64 / FIT_BINS as f64,
        (b + 1) as f64 / FIT_BINS as f64
    )
}

fn distribution(s: &Scenario, r: &Report) -> Table {
    let rows = (0..FIT_BINS)
        .rev()
        .map(|b| {
            plain_row(
                std::iter::once(bin_label(b))
                    .chain(r.plans.iter().map(|p| p.histogram[b].to_string())),
            )
        })
        .collect();
    Table {
        id: "fit_distribution",
        title: "Distribution of fit".to_string(),
        note: format!(
            "Placements per band of fit (lower bound included; the top band includes 1.0); a placement fits at {} or more.",
            fmt_num(s.fit.threshold)
        ),
        header: header(&["fit"], r),
        rows,
    }
}

/// A rule's bounds in its own terms: `>= 50%`, `<= 3`, `>= 1`.
pub fn bound_text(s: &Scenario, rule: usize) -> String {
    let r = &s.rules[rule];
    let f = |x: f64| match r.kind {
        RuleKind::Count { .. } => fmt_num(x),
        _ => pct(x),
    };
    let mut parts = Vec::new();
    if let Some(m) = r.min {
        parts.push(format!(">= {}", f(m)));
    }
    if let Some(m) = r.max {
        parts.push(format!("<= {}", f(m)));
    }
    parts.join(", ")
}

/// A rule unit's value with its state: `50.0% (3/6)`, `✗ 0 — short by 1`, `≈ 1 (tight)`.
pub fn unit_cell(s: &Scenario, u: &RuleUnit) -> Cell {
    let value = match s.rules[u.rule].kind {
        RuleKind::Count { .. } => fmt_num(u.count),
        _ if u.total == 0.0 => "– (0)".to_string(),
        _ => format!(
            "{} ({}/{})",
            pct(u.value(s)),
            fmt_num(u.count),
            fmt_num(u.total)
        ),
    };
    if !u.holds() {
        let (b, word) = if u.shortfall_of(Bound::Min) > 0.0 {
            (Bound::Min, "short")
        } else {
            (Bound::Max, "over")
        };
        Cell {
            text: format!("✗ {value} — {word} by {}", fmt_num(u.shortfall_of(b))),
            mark: Mark::Bad,
        }
    } else if u.tight() {
        Cell {
            text: format!("≈ {value} (tight)"),
            mark: Mark::Tight,
        }
    } else {
        Cell::plain(value)
    }
}

fn rules(s: &Scenario, r: &Report) -> Table {
    let units = &r.plans[0].check.rules;
    let rows = (0..units.len())
        .map(|i| {
            let u = &units[i];
            let rule = &s.rules[u.rule];
            let before = r
                .before_rules
                .iter()
                .find(|b| b.rule == u.rule && b.team == u.team)
                .map(|b| unit_cell(s, b))
                .unwrap_or_else(|| Cell::plain(""));
            let mut cells = vec![
                Cell::plain(rule.label()),
                Cell::plain(u.team.map(|t| s.teams[t].id.clone()).unwrap_or_default()),
                Cell::plain(match rule.penalty {
                    None => "hard".to_string(),
                    Some(w) => format!("soft ({}/person)", fmt_num(w)),
                }),
                Cell::plain(bound_text(s, u.rule)),
                before,
            ];
            cells.extend(r.plans.iter().map(|p| unit_cell(s, &p.check.rules[i])));
            cells
        })
        .collect();
    Table {
        id: "rules",
        title: "Rules".to_string(),
        note: "Each rule's value per unit (each team in scope, or the placements in scope) against its bound: ✗ falls short (by how many people), ≈ holds but one person fewer (or more) would break it. 'before' is the teams as they are now.".to_string(),
        header: header(&["rule", "team", "kind", "bound", "before"], r),
        rows,
    }
}

/// The worst mark of the team-scope rule units on team `t` counting group `g` (any group when
/// `g` is `None`) in a plan's rule units.
fn team_mark(s: &Scenario, units: &[RuleUnit], t: usize, g: Option<usize>) -> Mark {
    let mut mark = Mark::None;
    for u in units.iter().filter(|u| u.team == Some(t)) {
        let group = match s.rules[u.rule].kind {
            RuleKind::Share { group } | RuleKind::Count { group } => group,
            RuleKind::FitRate => continue,
        };
        if g.is_some_and(|g| g != group) {
            continue;
        }
        if !u.holds() {
            return Mark::Bad;
        }
        if u.tight() {
            mark = Mark::Tight;
        }
    }
    mark
}

fn sign(mark: Mark) -> &'static str {
    match mark {
        Mark::Bad => "✗ ",
        Mark::Tight => "≈ ",
        Mark::None => "",
    }
}

fn size_cell(size: f64, mark: Mark) -> Cell {
    Cell {
        text: format!("{}{}", sign(mark), fmt_num(size)),
        mark,
    }
}

fn comp_cell(count: f64, size: f64, mark: Mark) -> Cell {
    let share = if size > 0.0 {
        format!(" ({})", pct(count / size))
    } else {
        String::new()
    };
    Cell {
        text: format!("{}{}{share}", sign(mark), fmt_num(count)),
        mark,
    }
}

fn compositions(s: &Scenario, r: &Report) -> Table {
    let mut rows = Vec::new();
    for t in 0..s.teams.len() {
        let mut size_row = vec![
            Cell::plain(slice_label(s, &Slice::Team(t))),
            Cell::plain("members"),
            size_cell(r.before[t].size, team_mark(s, &r.before_rules, t, None)),
        ];
        size_row.extend(
            r.plans
                .iter()
                .map(|p| size_cell(p.after[t].size, team_mark(s, &p.check.rules, t, None))),
        );
        rows.push(size_row);
        for (g, group) in s.groups.iter().enumerate() {
            let mut row = vec![
                Cell::plain(""),
                Cell::plain(group.name.clone()),
                comp_cell(
                    r.before[t].in_group[g],
                    r.before[t].size,
                    team_mark(s, &r.before_rules, t, Some(g)),
                ),
            ];
            row.extend(r.plans.iter().map(|p| {
                comp_cell(
                    p.after[t].in_group[g],
                    p.after[t].size,
                    team_mark(s, &p.check.rules, t, Some(g)),
                )
            }));
            rows.push(row);
        }
    }
    Table {
        id: "compositions",
        title: "Team composition before and after".to_string(),
        note: "Members of each team (incumbents and sitting candidates before; after each plan) and how many belong to each group: ✗ a team rule on that group breaks, ≈ it only just holds.".to_string(),
        header: header(&["team", "group", "before"], r),
        rows,
    }
}

fn breaks(s: &Scenario, r: &Report) -> Table {
    let mut rows = Vec::new();
    for p in &r.plans {
        for v in &p.check.violations {
            rows.push(vec![
                Cell::plain(p.label.clone()),
                Cell::plain("breaks"),
                Cell {
                    text: v.message(s),
                    mark: Mark::Bad,
                },
            ]);
        }
        for u in p.check.rules.iter().filter(|u| !u.holds()) {
            let rule = &s.rules[u.rule];
            let Some(w) = rule.penalty else { continue };
            let b = if u.shortfall_of(Bound::Min) > 0.0 {
                Bound::Min
            } else {
                Bound::Max
            };
            rows.push(vec![
                Cell::plain(p.label.clone()),
                Cell::plain(format!("soft, costs {}", num3(w * u.shortfall()))),
                Cell {
                    text: u.shortfall_sentence(s, b),
                    mark: Mark::Tight,
                },
            ]);
        }
    }
    Table {
        id: "breaks",
        title: "What each plan breaks".to_string(),
        note: "Hard rules, must-fill posts and eligibility a plan breaks (a solver plan breaks none), and soft rules it lets fall short, with their cost.".to_string(),
        header: vec!["plan".into(), "kind".into(), "what".into()],
        rows,
    }
}

fn unfilled(s: &Scenario, r: &Report) -> Table {
    let mut rows = Vec::new();
    for p in &r.plans {
        for &post in &p.check.unfilled {
            let po = &s.posts[post];
            rows.push(plain_row([
                p.label.clone(),
                po.id.clone(),
                po.title.clone().unwrap_or_default(),
                s.teams[po.team].id.clone(),
                s.ranks[po.rank].clone(),
                po.kind.clone().unwrap_or_default(),
                if po.must_fill { "yes" } else { "" }.to_string(),
            ]));
        }
    }
    Table {
        id: "unfilled",
        title: "Unfilled posts".to_string(),
        note: "Posts each plan leaves empty.".to_string(),
        header: ["plan", "post", "title", "team", "rank", "kind", "must fill"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

fn differences(s: &Scenario, r: &Report) -> Table {
    let rows = differing_posts(r)
        .into_iter()
        .map(|post| {
            let po = &s.posts[post];
            let mut cells = vec![
                Cell::plain(po.id.clone()),
                Cell::plain(po.title.clone().unwrap_or_default()),
                Cell::plain(s.teams[po.team].id.clone()),
            ];
            cells.extend(r.plans.iter().map(|p| {
                let holder = p.holders[post];
                let pl = holder.and_then(|c| {
                    p.check
                        .placements
                        .iter()
                        .find(|pl| pl.post == post && pl.candidate == c)
                });
                match (holder, pl) {
                    (Some(c), Some(pl)) => {
                        let cand = &s.candidates[c];
                        let name = cand
                            .name
                            .as_ref()
                            .map(|n| format!(" {n}"))
                            .unwrap_or_default();
                        Cell::plain(format!("{}{name} ({})", cand.id, num3(pl.fit.total)))
                    }
                    _ => Cell::plain("—"),
                }
            }));
            cells
        })
        .collect();
    Table {
        id: "differences",
        title: "Posts where the plans differ".to_string(),
        note: "Each post whose holder is not the same in every plan: the holder and the fit per plan (— left empty).".to_string(),
        header: header(&["post", "title", "team"], r),
        rows,
    }
}

/// Teams in scope of team-scope rule `rule` (indices), or empty for a placements rule.
pub fn rule_teams(s: &Scenario, rule: usize) -> Vec<usize> {
    match &s.rules[rule].scope {
        RuleScope::Teams(ts) => ts.clone(),
        RuleScope::Placements(_) => Vec::new(),
    }
}
