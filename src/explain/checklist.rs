//! The full eligibility checklist of one (candidate, post) pair: every condition of the spec with
//! its values, not only the first that fails, plus the fit broken into its parts.
//!
//! The conditions are evaluated exactly as `eligibility::eligibility` evaluates them (same
//! comparisons, same tolerances), in the same order, so the first failing item of the checklist
//! always names the condition `eligibility` reports; `explain` takes the failure message itself
//! from `eligibility`.

use serde::Serialize;

use crate::check::fmt_num;
use crate::eligibility::{fit, fits, EPS};
use crate::scenario::raw::AttrValue;
use crate::scenario::{Predicate, Scenario};

/// One eligibility condition of a pair, with the values it compares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    /// The code `Ineligible::code` gives when this condition fails (e.g. `years-at-rank`).
    pub code: String,
    /// What is checked, e.g. `years at rank`, `experience in grassroots`.
    pub condition: String,
    /// Whether the condition applies to this pair (promotion conditions apply only when the post
    /// is above the candidate's rank). A condition that does not apply holds.
    pub applies: bool,
    pub holds: bool,
    /// The candidate's side, e.g. `3.5`, `affiliation = CPC`.
    pub value: String,
    /// What is needed, e.g. `>= 3`, `affiliation not in [CPC]`.
    pub needed: String,
    /// The numbers compared, when the condition compares numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<f64>,
}

/// Fit of a pair with its parts and whether it reaches the scenario's threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FitOut {
    pub fit: f64,
    pub specialty: f64,
    pub experience: f64,
    /// fit >= fit.threshold (with the spec's 1e-9 tolerance).
    pub fits: bool,
    pub threshold: f64,
}

/// The fit of candidate `c` for post `p`, whether or not the pair is eligible.
pub fn fit_out(s: &Scenario, c: usize, p: usize) -> FitOut {
    let f = fit(&s.fit, &s.candidates[c], &s.posts[p]);
    FitOut {
        fit: f.total,
        specialty: f.specialty,
        experience: f.experience,
        fits: fits(&s.fit, f.total),
        threshold: s.fit.threshold,
    }
}

fn cond(code: &str, condition: String, holds: bool, value: String, needed: String) -> Condition {
    Condition {
        code: code.to_string(),
        condition,
        applies: true,
        holds,
        value,
        needed,
        amount: None,
        limit: None,
    }
}

fn numbers(mut c: Condition, amount: f64, limit: f64) -> Condition {
    c.amount = Some(amount);
    c.limit = Some(limit);
    c
}

/// Every eligibility condition of candidate `c` for post `p`, in the spec's order.
pub fn checklist(s: &Scenario, c: usize, p: usize) -> Vec<Condition> {
    let cand = &s.candidates[c];
    let post = &s.posts[p];
    let mut out = Vec::new();

    // 1. Available.
    out.push(cond(
        "unavailable",
        "available".into(),
        cand.available,
        match (cand.available, &cand.note) {
            (true, _) => "yes".into(),
            (false, Some(n)) => format!("no ({n})"),
            (false, None) => "no".into(),
        },
        "yes".into(),
    ));

    // 2. Rank step.
    let (cr, pr) = (&s.ranks[cand.rank], &s.ranks[post.rank]);
    let step = post.rank as i64 - cand.rank as i64;
    let max_step = s.promotion.max_step;
    let code = if step < 0 {
        "rank-too-high"
    } else {
        "rank-too-low"
    };
    out.push(numbers(
        cond(
            code,
            "rank step".into(),
            step >= 0 && step <= max_step as i64,
            format!("{step} ({cr} -> {pr})"),
            format!("0..={max_step}"),
        ),
        step as f64,
        max_step as f64,
    ));

    // 3. Promotion: years at rank and the post rank's experience requirements.
    let promotion = step >= 1;
    let needed = s.promotion.min_years[cand.rank];
    let mut years = numbers(
        cond(
            "years-at-rank",
            format!("years at rank {cr}"),
            !promotion || cand.years_at_rank >= needed,
            fmt_num(cand.years_at_rank),
            format!(">= {}", fmt_num(needed)),
        ),
        cand.years_at_rank,
        needed,
    );
    years.applies = promotion;
    out.push(years);
    for &(d, needed) in &s.promotion.requirements[post.rank] {
        let have = cand.experience[d as usize];
        let mut r = numbers(
            cond(
                "promotion-requirement",
                format!("{} experience for {pr}", s.domains[d as usize]),
                !promotion || have >= needed,
                fmt_num(have),
                format!(">= {}", fmt_num(needed)),
            ),
            have,
            needed,
        );
        r.applies = promotion;
        out.push(r);
    }

    // 4. Open to a group.
    match post.open_to {
        Some(g) => {
            let group = &s.groups[g];
            let value = group
                .predicates
                .iter()
                .map(|pr| match cand.attributes.get(&pr.attribute) {
                    Some(AttrValue::Str(v)) => format!("{} = {v}", pr.attribute),
                    Some(AttrValue::Num(v)) => format!("{} = {}", pr.attribute, fmt_num(*v)),
                    None => format!("{} missing", pr.attribute),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let needed = group
                .predicates
                .iter()
                .map(describe)
                .collect::<Vec<_>>()
                .join(", ");
            out.push(cond(
                "open-to",
                format!("member of group {}", group.name),
                s.in_group[g][c],
                value,
                needed,
            ));
        }
        None => {
            let mut o = cond(
                "open-to",
                "open to a group".into(),
                true,
                String::new(),
                "(post open to all)".into(),
            );
            o.applies = false;
            out.push(o);
        }
    }

    // 5. Avoided teams.
    let team = &s.teams[post.team].id;
    let avoided: Vec<&str> = cand
        .avoid_teams
        .iter()
        .map(|&t| s.teams[t].id.as_str())
        .collect();
    out.push(cond(
        "avoid-teams",
        "avoid_teams".into(),
        !cand.avoid_teams.contains(&post.team),
        if avoided.is_empty() {
            "(none)".into()
        } else {
            format!("[{}]", avoided.join(", "))
        },
        format!("not {team}"),
    ));

    // 6. Fit against fit.min.
    let f = fit(&s.fit, cand, post);
    out.push(numbers(
        cond(
            "fit-below-min",
            "fit".into(),
            f.total >= s.fit.min - EPS,
            format!(
                "{:.4} (specialty {:.4}, experience {:.4})",
                f.total, f.specialty, f.experience
            ),
            format!(">= {}", fmt_num(s.fit.min)),
        ),
        f.total,
        s.fit.min,
    ));

    // 7. Not vetoed (spec 1.1).
    let veto = s.veto(c, p);
    out.push(cond(
        "vetoed",
        "not vetoed".into(),
        veto.is_none(),
        match veto {
            Some(v) => match &v.note {
                Some(n) => format!("vetoed ({n})"),
                None => "vetoed".into(),
            },
            None => "not vetoed".into(),
        },
        "not in vetoed".into(),
    ));
    out
}

/// A group predicate in words: `affiliation not in [CPC]`, `age <= 40`.
fn describe(p: &Predicate) -> String {
    let mut parts = Vec::new();
    if let Some(l) = &p.in_ {
        parts.push(format!("{} in [{}]", p.attribute, l.join(", ")));
    }
    if let Some(l) = &p.not_in {
        parts.push(format!("{} not in [{}]", p.attribute, l.join(", ")));
    }
    if let Some(m) = p.min {
        parts.push(format!("{} >= {}", p.attribute, fmt_num(m)));
    }
    if let Some(m) = p.max {
        parts.push(format!("{} <= {}", p.attribute, fmt_num(m)));
    }
    parts.join(" and ")
}

/// The first condition that fails, if any (the one `eligibility` reports).
pub fn first_failure(conditions: &[Condition]) -> Option<&Condition> {
    conditions.iter().find(|c| !c.holds)
}
