//! Comparing two plans of one scenario (`postfit diff`): the posts whose holder differs, with the
//! fit before and after, and the change in the objective and in each rule's value. Both plans
//! are read by the independent checker, so hand-written plans compare the same way.

use serde::Serialize;

use super::{rules_out, RuleOut};
use crate::check::{check_plan, fmt_num, CheckReport};
use crate::scenario::Scenario;

/// A post whose holder differs between plan A (before) and plan B (after).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostDiff {
    pub post: String,
    pub title: Option<String>,
    pub team: String,
    /// Holder in plan A (`null`: empty; an invalid plan's several holders of the post joined
    /// by ` + `).
    pub before: Option<String>,
    /// Fit of that holder (`null` when empty or when the post has several holders).
    pub fit_before: Option<f64>,
    /// Holder in plan B (`null`: empty).
    pub after: Option<String>,
    pub fit_after: Option<f64>,
}

/// One rule unit's value in both plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleDiff {
    /// Index in the scenario's `rules`.
    pub rule: usize,
    /// The rule's name, or `rules[N]`.
    pub name: String,
    /// The team, for team scope.
    pub team: Option<String>,
    /// Share, rate or head count (as in the plan's `rules`).
    pub before: f64,
    pub after: f64,
    /// after − before.
    pub change: f64,
    pub holds_before: bool,
    pub holds_after: bool,
}

/// What `postfit diff` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDiff {
    pub scenario: String,
    /// Posts whose holder differs, in post order.
    pub posts: Vec<PostDiff>,
    /// The checker's objective of each plan, and after − before.
    pub objective_before: f64,
    pub objective_after: f64,
    pub objective_change: f64,
    /// Every rule unit, in rule then team order.
    pub rules: Vec<RuleDiff>,
    /// How many problems (`check` violations) each plan has; 0 for valid plans.
    pub violations_before: usize,
    pub violations_after: usize,
}

/// Compares plan A (before) with plan B (after), both as (post, candidate) indices.
pub fn diff_plans(s: &Scenario, a: &[(usize, usize)], b: &[(usize, usize)]) -> PlanDiff {
    let (ra, rb) = (check_plan(s, a), check_plan(s, b));
    // Every holder of each post, in plan order: an invalid plan may fill a post twice, and
    // such a post must show, not hide behind one of its holders.
    let holders = |r: &CheckReport| {
        let mut h: Vec<Vec<(usize, f64)>> = vec![Vec::new(); s.posts.len()];
        for pl in &r.placements {
            h[pl.post].push((pl.candidate, pl.fit.total));
        }
        h
    };
    let (ha, hb) = (holders(&ra), holders(&rb));
    let same = |x: &[(usize, f64)], y: &[(usize, f64)]| {
        let ids = |v: &[(usize, f64)]| {
            let mut c: Vec<usize> = v.iter().map(|h| h.0).collect();
            c.sort_unstable();
            c
        };
        x.len() <= 1 && y.len() <= 1 && ids(x) == ids(y)
    };
    // One holder: its id and fit; several (an invalid plan): their ids joined by " + ", no fit.
    let id = |h: &[(usize, f64)]| match h {
        [] => None,
        hs => Some(
            hs.iter()
                .map(|(c, _)| s.candidates[*c].id.as_str())
                .collect::<Vec<_>>()
                .join(" + "),
        ),
    };
    let fit = |h: &[(usize, f64)]| match h {
        [(_, f)] => Some(*f),
        _ => None,
    };
    let posts = (0..s.posts.len())
        .filter(|&p| !same(&ha[p], &hb[p]))
        .map(|p| PostDiff {
            post: s.posts[p].id.clone(),
            title: s.posts[p].title.clone(),
            team: s.teams[s.posts[p].team].id.clone(),
            before: id(&ha[p]),
            fit_before: fit(&ha[p]),
            after: id(&hb[p]),
            fit_after: fit(&hb[p]),
        })
        .collect();
    let rules = rules_out(s, &ra)
        .into_iter()
        .zip(rules_out(s, &rb))
        .map(|(x, y): (RuleOut, RuleOut)| RuleDiff {
            rule: x.rule,
            name: x.name,
            team: x.team,
            before: x.value,
            after: y.value,
            change: y.value - x.value,
            holds_before: x.holds,
            holds_after: y.holds,
        })
        .collect();
    PlanDiff {
        scenario: s.name.clone(),
        posts,
        objective_before: ra.objective,
        objective_after: rb.objective,
        objective_change: rb.objective - ra.objective,
        rules,
        violations_before: ra.violations.len(),
        violations_after: rb.violations.len(),
    }
}

fn opt_fit(f: Option<f64>) -> String {
    f.map_or(String::new(), |f| format!("{f:.3}"))
}

fn signed(x: f64) -> String {
    if x.abs() < 1e-12 {
        "0".to_string()
    } else if x > 0.0 {
        format!("+{}", fmt_num(x))
    } else {
        fmt_num(x)
    }
}

/// The diff as Markdown: a table of changed posts, the objective line, and a table of rule
/// values (ready to paste into a note for the committee).
pub fn diff_markdown(d: &PlanDiff) -> String {
    let md = crate::render::markdown_cell;
    let mut out = format!("## Plan changes: {}\n\n", md(&d.scenario));
    if d.posts.is_empty() {
        out.push_str("No post changes hands.\n\n");
    } else {
        out.push_str("| post | team | before | fit before | after | fit after |\n");
        out.push_str("|---|---|---|---:|---|---:|\n");
        for p in &d.posts {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                md(&p.post),
                md(&p.team),
                md(p.before.as_deref().unwrap_or("(empty)")),
                opt_fit(p.fit_before),
                md(p.after.as_deref().unwrap_or("(empty)")),
                opt_fit(p.fit_after)
            ));
        }
        out.push('\n');
    }
    out.push_str(&objective_line(d));
    out.push('\n');
    if !d.rules.is_empty() {
        out.push_str("\n| rule | team | before | after | change |\n|---|---|---:|---:|---:|\n");
        for r in &d.rules {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                md(&r.name),
                md(r.team.as_deref().unwrap_or("")),
                fmt_num(r.before),
                fmt_num(r.after),
                signed(r.change)
            ));
        }
    }
    out
}

/// The diff as terminal tables.
pub fn diff_table(d: &PlanDiff) -> String {
    use crate::render::{data, escape, right, table};
    // Values from the input are escaped (a line break in a name is `\u{a}`, never a line).
    let mut out = format!("Scenario: {}\n", escape(&d.scenario));
    if d.posts.is_empty() {
        out.push_str("No post changes hands.\n");
    } else {
        let mut t = table(&["post", "team", "before", "fit", "after", "fit"]);
        for p in &d.posts {
            t.add_row(vec![
                data(&p.post),
                data(&p.team),
                data(p.before.as_deref().unwrap_or("(empty)")),
                right(opt_fit(p.fit_before)),
                data(p.after.as_deref().unwrap_or("(empty)")),
                right(opt_fit(p.fit_after)),
            ]);
        }
        out.push_str(&format!(
            "Posts that change hands ({}):\n{t}\n",
            d.posts.len()
        ));
    }
    out.push_str(&objective_line(d));
    out.push('\n');
    if !d.rules.is_empty() {
        let mut t = table(&["rule", "team", "before", "after", "change"]);
        for r in &d.rules {
            t.add_row(vec![
                data(&r.name),
                data(r.team.as_deref().unwrap_or("")),
                right(fmt_num(r.before)),
                right(fmt_num(r.after)),
                right(signed(r.change)),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    out
}

fn objective_line(d: &PlanDiff) -> String {
    let mut line = format!(
        "Objective: {:.6} -> {:.6} ({})",
        d.objective_before,
        d.objective_after,
        signed(d.objective_change)
    );
    if d.violations_before + d.violations_after > 0 {
        line.push_str(&format!(
            "; problems (postfit check): {} before, {} after",
            d.violations_before, d.violations_after
        ));
    }
    line
}
