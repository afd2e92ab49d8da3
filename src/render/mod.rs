//! Rendering plans and check reports for people: terminal tables (and JSON via serde elsewhere).
//! Pure functions from data to strings; nothing here decides anything.

use std::collections::BTreeMap;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};

mod terminal;

pub use terminal::{
    escape, escape_text, is_unsafe_char, markdown_cell, set_tsv, set_width, terminal_width, tsv,
    tsv_text, width,
};

use crate::check::{fmt_num, Bound, CheckReport};
use crate::plan::{Plan, RuleOut};
use crate::scenario::Scenario;

/// A terminal table in postfit's one style (shared by every renderer): fitted to [`width`]
/// when one is set (cells wrap), tab-separated in [`tsv`] mode.
pub(crate) fn table<T: ToString>(header: &[T]) -> Table {
    let mut t = Table::new();
    if tsv() {
        t.load_preset(comfy_table::presets::NOTHING)
            .set_style(
                comfy_table::TableComponent::VerticalLines,
                terminal::TSV_MARK,
            )
            .set_style(comfy_table::TableComponent::LeftBorder, terminal::TSV_MARK)
            .set_style(comfy_table::TableComponent::RightBorder, terminal::TSV_MARK)
            .set_content_arrangement(ContentArrangement::Disabled);
    } else {
        t.load_preset(UTF8_FULL_CONDENSED);
        match width() {
            Some(w) => {
                t.set_content_arrangement(ContentArrangement::Dynamic)
                    .set_width(w);
            }
            None => {
                t.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
    }
    // Headers may name data too (a group, a post kind): escaped like data cells.
    t.set_header(header.iter().map(|h| data(h.to_string())));
    t
}

/// A data cell (a name, title or id from the input), escaped for the terminal ([`escape`]):
/// a line break in it is `\u{a}`, so it can neither split the cell nor, in TSV, the row.
pub(crate) fn data(s: impl AsRef<str>) -> Cell {
    Cell::new(escape(s.as_ref()))
}

/// Renders a table, first hiding the columns `drop` (lowest priority first) one by one while
/// it is wider than [`width`]; what still does not fit wraps.
pub(crate) fn fitted(t: &mut Table, drop: &[usize]) -> String {
    let Some(w) = width() else {
        return t.to_string();
    };
    if tsv() {
        return t.to_string();
    }
    let natural = |t: &Table| {
        let mut probe = t.clone();
        probe.set_content_arrangement(ContentArrangement::Disabled);
        probe
            .lines()
            .map(|l| comfy_table_width(&l))
            .max()
            .unwrap_or(0)
    };
    for &c in drop {
        if natural(t) <= usize::from(w) {
            break;
        }
        if let Some(col) = t.column_mut(c) {
            col.set_constraint(comfy_table::ColumnConstraint::Hidden);
        }
    }
    t.to_string()
}

/// Display columns of a rendered line: a CJK character takes two (Unicode East Asian Width,
/// as comfy-table itself lays cells out), so Chinese names and titles are measured right.
fn comfy_table_width(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

/// A right-aligned cell, for numbers.
pub(crate) fn right(s: impl ToString) -> Cell {
    Cell::new(s.to_string()).set_alignment(CellAlignment::Right)
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A relative gap for people: "0" when closed, else a percentage with enough digits to be
/// non-zero (0.0012%, 3.4%), never scientific notation.
pub fn gap_text(g: f64) -> String {
    if g.is_nan() || g <= 0.0 {
        return "0".to_string();
    }
    let p = g * 100.0;
    let decimals = if p >= 1.0 {
        1
    } else {
        // Two significant digits.
        ((-p.log10()).floor() as usize + 2).min(12)
    };
    format!("{p:.decimals$}%")
}

/// The default output of `solve`: placements, unfilled posts, fit rates, rules, summary.
pub fn plan_table(s: &Scenario, plan: &Plan) -> String {
    let mut out = String::new();
    out.push_str(&format!("Scenario: {}\n", escape(&plan.scenario)));
    if !plan.placements.is_empty() {
        let mut header = vec![
            "post",
            "team",
            "rank",
            "title",
            "candidate",
            "name",
            "fit",
            "spec",
            "exp",
            "fits",
            "promotion",
        ];
        if plan.changed.is_some() {
            header.push("change");
        }
        let mut t = table(&header);
        for p in &plan.placements {
            let mut row = vec![
                data(&p.post),
                data(&p.team),
                data(&p.rank),
                data(p.title.as_deref().unwrap_or("")),
                data(&p.candidate),
                data(p.candidate_name.as_deref().unwrap_or("")),
                right(format!("{:.3}", p.fit)),
                right(format!("{:.3}", p.specialty)),
                right(format!("{:.3}", p.experience)),
                Cell::new(if p.fits { "yes" } else { "no" }),
                Cell::new(if p.promotion { "yes" } else { "" }),
            ];
            if let Some(changed) = &plan.changed {
                row.push(data(change_cell(changed, &p.post)));
            }
            t.add_row(row);
        }
        // Narrow terminals lose the fit's parts first, then promotion, rank and team.
        out.push_str(&format!("{}\n", fitted(&mut t, &[7, 8, 10, 2, 1])));
    }
    out.push_str(&decisions_text(plan));
    if !plan.unfilled.is_empty() {
        out.push_str(&format!(
            "Unfilled posts ({}): {}\n",
            plan.unfilled.len(),
            escape(&plan.unfilled.join(", "))
        ));
    }
    if !plan.fit_rates.is_empty() && !plan.placements.is_empty() {
        out.push_str(&fit_rate_table(plan));
    }
    if !plan.rules.is_empty() {
        out.push_str(&rules_table(&plan.rules));
    }
    if !plan.diagnosis.is_empty() {
        let total: f64 = plan.diagnosis.iter().filter_map(|d| d.shortfall).sum();
        if plan.diagnosis.iter().any(|d| d.shortfall.is_some()) {
            out.push_str(&format!(
                "Why it cannot be staffed: the least that must give ({} in all):\n",
                fmt_num(total)
            ));
        } else {
            // No minimal relaxation (the time limit ran out): no total to claim.
            out.push_str("Why it cannot be staffed:\n");
        }
        for d in &plan.diagnosis {
            out.push_str(&format!("  - {}\n", escape(&d.message)));
        }
    }
    out.push_str(&summary(s, plan));
    out
}

/// The change column of a re-plan: `was C3`, `was empty`, or nothing for an unchanged post.
fn change_cell(changed: &[crate::plan::ChangeOut], post: &str) -> String {
    match changed.iter().find(|c| c.post == post) {
        Some(c) => match &c.from {
            Some(f) => format!("was {f}"),
            None => "was empty".to_string(),
        },
        None => String::new(),
    }
}

/// Decided placements, warnings, and a re-plan's changes and ignored baseline placements.
fn decisions_text(plan: &Plan) -> String {
    let mut out = String::new();
    let decided: Vec<&str> = plan
        .placements
        .iter()
        .filter(|p| p.decided)
        .map(|p| p.post.as_str())
        .collect();
    if !decided.is_empty() {
        out.push_str(&format!(
            "Decided placements ({}): {}\n",
            decided.len(),
            escape(&decided.join(", "))
        ));
    }
    for w in &plan.warnings {
        out.push_str(&format!("Warning: {}\n", escape(w)));
    }
    if let (Some(n), Some(changed)) = (plan.changes, &plan.changed) {
        out.push_str(&format!("Changes against the baseline: {n}\n"));
        for c in changed.iter().filter(|c| c.to.is_none()) {
            out.push_str(&format!(
                "  {} is left empty (was {})\n",
                escape(&c.post),
                escape(c.from.as_deref().unwrap_or("empty"))
            ));
        }
    }
    for i in &plan.baseline_ignored {
        out.push_str(&format!(
            "Baseline placement {} -> {} ignored: {}\n",
            escape(&i.candidate),
            escape(&i.post),
            escape(&i.reason)
        ));
    }
    out
}

fn fit_rate_table(plan: &Plan) -> String {
    let mut t = table(&["post kind", "placements", "fitting", "fit rate", "target"]);
    for f in &plan.fit_rates {
        let target = match (f.target, f.meets_target) {
            (Some(t), Some(true)) => format!(">= {} met", pct(t)),
            (Some(t), _) => format!(">= {} NOT MET", pct(t)),
            (None, _) => String::new(),
        };
        t.add_row(vec![
            data(f.kind.as_deref().unwrap_or("(none)")),
            right(f.placements),
            right(f.fitting),
            right(if f.placements == 0 {
                "-".to_string()
            } else {
                pct(f.rate)
            }),
            Cell::new(target),
        ]);
    }
    format!("Fit rates by post kind:\n{t}\n")
}

/// One row per rule: over its units, the lowest value, the bound, how many units are tight,
/// and the total shortfall and cost.
fn rules_table(rules: &[RuleOut]) -> String {
    let mut by_rule: BTreeMap<usize, Vec<&RuleOut>> = BTreeMap::new();
    for r in rules {
        by_rule.entry(r.rule).or_default().push(r);
    }
    let mut t = table(&[
        "#",
        "rule",
        "units",
        "achieved",
        "bound",
        "kind",
        "shortfall",
        "cost",
        "state",
    ]);
    for (idx, units) in by_rule {
        let first = units[0];
        let is_count = first.type_ == "count";
        let show = |v: f64| if is_count { fmt_num(v) } else { pct(v) };
        let lo = units.iter().map(|u| u.value).fold(f64::INFINITY, f64::min);
        let hi = units
            .iter()
            .map(|u| u.value)
            .fold(f64::NEG_INFINITY, f64::max);
        let achieved = if units.len() == 1 {
            show(lo)
        } else {
            format!("{}–{}", show(lo), show(hi))
        };
        let bound = match (first.min, first.max) {
            (Some(a), Some(b)) => format!(">= {}, <= {}", show(a), show(b)),
            (Some(a), None) => format!(">= {}", show(a)),
            (None, Some(b)) => format!("<= {}", show(b)),
            (None, None) => String::new(),
        };
        let shortfall: f64 = units.iter().map(|u| u.shortfall).sum();
        let cost: f64 = units.iter().map(|u| u.cost).sum();
        let broken = units.iter().filter(|u| !u.holds).count();
        let binding = units.iter().filter(|u| u.binding).count();
        let state = if broken > 0 {
            format!("not met in {broken}")
        } else if binding > 0 {
            format!("binding in {binding}")
        } else {
            "slack".to_string()
        };
        t.add_row(vec![
            right(idx),
            data(&first.name),
            right(units.len()),
            right(achieved),
            Cell::new(bound),
            Cell::new(if first.hard { "hard" } else { "soft" }),
            right(fmt_num(shortfall)),
            right(format!("{cost:.4}")),
            Cell::new(state),
        ]);
    }
    // Narrow terminals lose the row number, the unit count and the cost first.
    let t = fitted(&mut t, &[0, 2, 7]);
    format!("Rules (achieved over units; binding = one person fewer would break it):\n{t}\n")
}

/// "N eligible pairs", or that the time limit ran out before they were all listed (then the
/// count is not known: 0 would read as "no one is eligible").
pub fn pairs_text(st: &crate::plan::SolveStats) -> String {
    if st.pairs_uncounted {
        "eligible pairs not counted (the time limit ran out first)".to_string()
    } else {
        format!("{} eligible pairs", st.eligible_pairs)
    }
}

fn summary(s: &Scenario, plan: &Plan) -> String {
    let num = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.6}"));
    let st = &plan.provenance.stats;
    let total_ms = st.ms_pairs + st.ms_model + st.ms_solve + st.ms_check;
    let filled = plan.placements.len();
    if plan.objective.is_none() {
        return format!(
            "Status: {}\n{} candidates, {}, {} posts; {:.0} ms by {}\n",
            plan.status.as_str().to_uppercase(),
            s.candidates.len(),
            pairs_text(st),
            s.posts.len(),
            total_ms,
            plan.provenance.solver,
        );
    }
    // A constant part of the objective (penalties no plan can change) is named: the gap is
    // measured without it (spec 1.1).
    let constant = match plan.constant {
        Some(c) if c != 0.0 => format!(" (of which {} no plan can change)", num(Some(-c))),
        _ => String::new(),
    };
    format!(
        "Status: {}   objective {}   bound {}   gap {}\n\
         Filled {filled} of {} posts; fit {} − penalties {}{constant}\n\
         {} candidates, {} eligible pairs; solved in {:.0} ms by {}\n",
        plan.status.as_str().to_uppercase(),
        num(plan.objective),
        num(plan.bound),
        plan.gap.map_or("-".to_string(), gap_text),
        s.posts.len(),
        num(plan.fit_total),
        num(plan.penalty_total),
        s.candidates.len(),
        st.eligible_pairs,
        total_ms,
        plan.provenance.solver,
    )
}

/// The output of `check`: problems first, then soft shortfalls, objective and fit rates.
pub fn check_text(s: &Scenario, report: &CheckReport) -> String {
    let mut out = String::new();
    if report.violations.is_empty() {
        out.push_str("The plan breaks nothing.\n");
    } else {
        // The count is of the lines that follow (eligibility, capacity, must-fill and hard
        // rules alike), so it says "requirement(s)", not "rule(s)".
        out.push_str(&format!(
            "The plan breaks {} requirement(s):\n",
            report.violations.len()
        ));
        for v in &report.violations {
            out.push_str(&format!("  ERROR {}\n", escape(&v.message(s))));
        }
    }
    for w in &report.warnings {
        out.push_str(&format!("  WARNING {}\n", escape(&w.message(s))));
    }
    let mut soft = Vec::new();
    for unit in &report.rules {
        let Some(w) = s.rules[unit.rule].penalty else {
            continue;
        };
        for b in [Bound::Min, Bound::Max] {
            if unit.shortfall_of(b) > 0.0 {
                soft.push(format!(
                    "  soft  {}; costs {}\n",
                    escape(&unit.shortfall_sentence(s, b)),
                    fmt_num(w * unit.shortfall_of(b))
                ));
            }
        }
    }
    if !soft.is_empty() {
        out.push_str(&format!(
            "Soft rules not met ({}; allowed, at their penalty):\n",
            soft.len()
        ));
        out.extend(soft);
    }
    let placed = report.placements.len();
    out.push_str(&format!(
        "Placements: {placed} of {} posts; objective {:.6} (fit {:.6} − penalties {:.6})\n",
        s.posts.len(),
        report.objective,
        report.fit_total,
        report.penalty_total
    ));
    for f in &report.fit_rates {
        if f.placements > 0 {
            out.push_str(&format!(
                "Fit rate {}: {} of {} ({})\n",
                escape(f.kind.as_deref().unwrap_or("(no kind)")),
                f.fitting,
                f.placements,
                pct(f.rate)
            ));
        }
    }
    out
}
