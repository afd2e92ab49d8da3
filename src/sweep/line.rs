//! One output line of a sweep: what a variant's solve gives, in a form that is the same whatever
//! machine or thread count made it (timings aside), so that shard outputs merge exactly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::eligibility::EPS;
use crate::plan::{DiagnosisOut, Solution, Status};
use crate::scenario::Scenario;

/// One line of a sweep's JSONL output (spec "Sweeps").
///
/// `status` is a plan status (`optimal`, `feasible`, `infeasible`, `no_solution`), or `invalid`
/// (the patch or the patched scenario is bad input: see `error`), or `error` (an internal
/// error: a bug, never bad input). Objective, bound and price are in objective units (sum of fit
/// minus penalties); `runtime_ms` in milliseconds of wall-clock time (the only field that
/// differs between runs).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Line {
    /// The name: `base`, the variant's name, `/path=value` for axes, `without NAME` for prices.
    pub variant: String,
    /// Position in the sweep's work list: 0 for the base, then variants, axes, rule prices.
    pub index: usize,
    /// Length of the whole work list (all shards together, base included).
    pub total: usize,
    pub status: String,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    /// (bound − objective) / max(1, |objective|).
    pub gap: Option<f64>,
    /// Number of placements (posts filled).
    pub placements: Option<usize>,
    /// Number of posts left empty.
    pub unfilled: Option<usize>,
    /// Fit rate per post kind, kinds as the checker orders them.
    pub fit_rates: Vec<FitRateLine>,
    /// Each rule of the variant's scenario, in its order.
    pub rules: Vec<RuleLine>,
    /// How many posts hold a different candidate than in the base plan (a post filled in one
    /// and empty in the other counts; posts the base does not have count when filled). `None`
    /// when either plan is missing.
    pub changed: Option<usize>,
    /// Those posts' ids, in the variant's post order.
    pub changed_posts: Vec<String>,
    /// Rule-price lines only: this line's optimum minus the base optimum (what the rule costs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Rule-price lines only: the index of the removed rule in the base's `rules`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<usize>,
    /// Why the variant is invalid (one line: variant, JSON path, reason), or the internal error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Infeasible: the minimal diagnosis (spec "Diagnosis of an infeasible scenario").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnosis: Vec<DiagnosisOut>,
    /// Wall-clock milliseconds for patching, validating and solving this item.
    pub runtime_ms: f64,
    /// SHA-256 of the sweep file: shards of another sweep are refused by `merge`.
    pub sweep_sha256: String,
}

/// Fit rate of the placements into posts of one kind.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FitRateLine {
    pub kind: Option<String>,
    pub placements: usize,
    pub fitting: usize,
    pub rate: f64,
}

/// One rule, summed up over its units (per team for team scope).
///
/// `value` is the worst unit's value: the smallest share, count or rate when the rule has a
/// `min`, else the largest. `binds` is true when some unit is tight (holds, but one person
/// fewer for a min bound, or more for a max bound, would break it) or falls short (a soft rule
/// that charges its penalty).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RuleLine {
    pub rule: usize,
    pub name: String,
    pub value: Option<f64>,
    pub units: usize,
    pub holds: bool,
    pub binds: bool,
    /// Total shortfall in people over the units.
    pub shortfall: f64,
}

/// The base plan's holders by post id, for `changed`.
pub(crate) type Holders = BTreeMap<String, String>;

/// Post id -> candidate id of a solution's plan; `None` when it has no plan.
pub(crate) fn holders(s: &Scenario, sol: &Solution) -> Option<Holders> {
    let report = sol.report.as_ref()?;
    Some(
        report
            .placements
            .iter()
            .map(|p| {
                (
                    s.posts[p.post].id.clone(),
                    s.candidates[p.candidate].id.clone(),
                )
            })
            .collect(),
    )
}

/// A line for a solved scenario. `base` holds the base plan's holders (`None`: no base plan).
pub(crate) fn solved_line(
    name: &str,
    s: &Scenario,
    sol: &Solution,
    base: Option<&Holders>,
) -> Line {
    let mut line = empty_line(name, sol.status.as_str());
    line.diagnosis = sol.diagnosis.clone();
    line.bound = sol.bound;
    let Some(report) = sol.report.as_ref() else {
        return line;
    };
    line.objective = Some(report.objective);
    line.gap = sol.gap();
    line.placements = Some(report.placements.len());
    line.unfilled = Some(report.unfilled.len());
    line.fit_rates = report
        .fit_rates
        .iter()
        .map(|f| FitRateLine {
            kind: f.kind.clone(),
            placements: f.placements,
            fitting: f.fitting,
            rate: f.rate,
        })
        .collect();
    line.rules = s
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let units: Vec<_> = report.rules.iter().filter(|u| u.rule == i).collect();
            let values = units.iter().map(|u| u.value(s));
            let value = if rule.min.is_some() {
                values.min_by(f64::total_cmp)
            } else {
                values.max_by(f64::total_cmp)
            };
            RuleLine {
                rule: i,
                name: rule.label(),
                value,
                units: units.len(),
                holds: units.iter().all(|u| u.holds()),
                binds: units.iter().any(|u| u.tight() || u.shortfall() > EPS),
                shortfall: units.iter().map(|u| u.shortfall()).sum(),
            }
        })
        .collect();
    if let (Some(base), Some(mine)) = (base, holders(s, sol)) {
        line.changed_posts = s
            .posts
            .iter()
            .filter(|p| mine.get(&p.id) != base.get(&p.id))
            .map(|p| p.id.clone())
            .collect();
        line.changed = Some(line.changed_posts.len());
    }
    line
}

/// A line with only a name and a status; the caller fills in the rest.
pub(crate) fn empty_line(name: &str, status: &str) -> Line {
    Line {
        variant: name.to_string(),
        index: 0,
        total: 0,
        status: status.to_string(),
        objective: None,
        bound: None,
        gap: None,
        placements: None,
        unfilled: None,
        fit_rates: Vec::new(),
        rules: Vec::new(),
        changed: None,
        changed_posts: Vec::new(),
        price: None,
        rule: None,
        error: None,
        diagnosis: Vec::new(),
        runtime_ms: 0.0,
        sweep_sha256: String::new(),
    }
}

/// Whether a status is a plan (optimal or feasible).
pub(crate) fn has_plan(status: Status) -> bool {
    matches!(status, Status::Optimal | Status::Feasible)
}
