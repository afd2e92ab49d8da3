//! Plans: solving a scenario end to end ([`solve_scenario`]), the plan JSON the spec defines
//! (with more fields: fit parts, rule values, provenance), and reading any plan for `check`.

mod diagnose;
mod run;

use serde::{Deserialize, Serialize};

pub use diagnose::Relaxation;
pub use run::{solve_built, solve_scenario, Solution, SolveStats, Status};

use crate::check::CheckReport;
use crate::error::InputError;
use crate::scenario::{RuleKind, RuleScope, Scenario};

/// The plan document written by `solve --out` and printed by `--format json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Plan {
    pub scenario: String,
    pub status: Status,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    /// (bound − objective) / max(1, |objective|).
    pub gap: Option<f64>,
    pub placements: Vec<PlacementOut>,
    pub unfilled: Vec<String>,
    pub fit_total: Option<f64>,
    pub penalty_total: Option<f64>,
    pub rules: Vec<RuleOut>,
    pub fit_rates: Vec<FitRateOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnosis: Vec<DiagnosisOut>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PlacementOut {
    pub post: String,
    pub candidate: String,
    pub fit: f64,
    pub specialty: f64,
    pub experience: f64,
    /// fit >= threshold.
    pub fits: bool,
    pub promotion: bool,
    pub team: String,
    pub rank: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// One unit of a rule (per team for team scope) with its achieved value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RuleOut {
    /// Index in the scenario's `rules`.
    pub rule: usize,
    pub name: String,
    /// `share`, `count` or `fit_rate`.
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Share or rate (share, fit_rate) or head count (count).
    pub value: f64,
    /// People counted / total (team size or placements in scope).
    pub count: f64,
    pub total: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    pub hard: bool,
    pub shortfall: f64,
    /// penalty × shortfall (0 for hard rules).
    pub cost: f64,
    pub holds: bool,
    /// Holds, but one person fewer (min) or more (max) would break it.
    pub tight: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FitRateOut {
    pub kind: Option<String>,
    pub placements: usize,
    pub fitting: usize,
    pub rate: f64,
    /// The `min` of fit_rate rules that cover exactly the posts of this kind (e.g. 0.8 for
    /// "technical posts"), the strictest first; `None` when no rule targets this kind alone.
    pub target: Option<f64>,
    /// Whether the rate reaches the target (with the spec's 1e-9 tolerance).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meets_target: Option<bool>,
}

/// The strictest `min` of the fit_rate rules whose scope is exactly the posts of `kind`.
fn fit_rate_target(s: &Scenario, kind: &Option<String>) -> Option<f64> {
    let posts: Vec<usize> = (0..s.posts.len())
        .filter(|&p| &s.posts[p].kind == kind)
        .collect();
    s.rules
        .iter()
        .filter(|r| r.kind == RuleKind::FitRate)
        .filter(|r| matches!(&r.scope, RuleScope::Placements(ps) if *ps == posts))
        .filter_map(|r| r.min)
        .max_by(f64::total_cmp)
}

/// Why a scenario cannot be staffed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DiagnosisOut {
    pub rule: Option<usize>,
    pub name: Option<String>,
    pub team: Option<String>,
    pub post: Option<String>,
    pub shortfall: Option<f64>,
    pub message: String,
}

/// How the plan was made.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Provenance {
    pub postfit_version: String,
    pub scenario_sha256: String,
    pub solver: String,
    pub time_limit: Option<f64>,
    pub threads: usize,
    pub mip_rel_gap: f64,
    pub stats: SolveStats,
}

/// Builds the plan document of a solution.
pub fn plan_document(s: &Scenario, sol: &Solution, provenance: Provenance) -> Plan {
    document(s, sol, sol.status, sol.report.as_ref(), provenance)
}

/// The plan document of an infeasible scenario's minimal relaxation (status `relaxed`): the
/// closest workable plan, which breaks exactly the rules its diagnosis lists.
pub fn relaxed_document(s: &Scenario, sol: &Solution, provenance: Provenance) -> Option<Plan> {
    let relaxed = sol.relaxed.as_ref()?;
    let mut plan = document(s, sol, Status::Relaxed, Some(&relaxed.report), provenance);
    plan.bound = None;
    plan.gap = None;
    Some(plan)
}

fn document(
    s: &Scenario,
    sol: &Solution,
    status: Status,
    report: Option<&CheckReport>,
    provenance: Provenance,
) -> Plan {
    let placements = report.map(|r| placements_out(s, r)).unwrap_or_default();
    let unfilled = report
        .map(|r| r.unfilled.iter().map(|&p| s.posts[p].id.clone()).collect())
        .unwrap_or_default();
    Plan {
        scenario: s.name.clone(),
        status,
        objective: report.map(|r| r.objective),
        bound: sol.bound,
        gap: sol.gap(),
        placements,
        unfilled,
        fit_total: report.map(|r| r.fit_total),
        penalty_total: report.map(|r| r.penalty_total),
        rules: report.map(|r| rules_out(s, r)).unwrap_or_default(),
        fit_rates: report
            .map(|r| {
                r.fit_rates
                    .iter()
                    .map(|f| {
                        let target = fit_rate_target(s, &f.kind);
                        FitRateOut {
                            kind: f.kind.clone(),
                            placements: f.placements,
                            fitting: f.fitting,
                            rate: f.rate,
                            target,
                            meets_target: target.map(|t| {
                                f.fitting as f64
                                    >= t * f.placements as f64 - crate::eligibility::EPS
                            }),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default(),
        diagnosis: sol.diagnosis.clone(),
        provenance,
    }
}

fn placements_out(s: &Scenario, r: &CheckReport) -> Vec<PlacementOut> {
    r.placements
        .iter()
        .map(|pl| {
            let post = &s.posts[pl.post];
            let cand = &s.candidates[pl.candidate];
            PlacementOut {
                post: post.id.clone(),
                candidate: cand.id.clone(),
                fit: pl.fit.total,
                specialty: pl.fit.specialty,
                experience: pl.fit.experience,
                fits: pl.fits,
                promotion: pl.promotion,
                team: s.teams[post.team].id.clone(),
                rank: s.ranks[post.rank].clone(),
                kind: post.kind.clone(),
                candidate_name: cand.name.clone(),
                title: post.title.clone(),
            }
        })
        .collect()
}

/// Rule units as output rows.
pub fn rules_out(s: &Scenario, r: &CheckReport) -> Vec<RuleOut> {
    r.rules
        .iter()
        .map(|u| {
            let rule = &s.rules[u.rule];
            let shortfall = u.shortfall();
            RuleOut {
                rule: u.rule,
                name: rule.label(),
                type_: match rule.kind {
                    RuleKind::Share { .. } => "share",
                    RuleKind::Count { .. } => "count",
                    RuleKind::FitRate => "fit_rate",
                }
                .to_string(),
                team: u.team.map(|t| s.teams[t].id.clone()),
                value: u.value(s),
                count: u.count,
                total: u.total,
                min: rule.min,
                max: rule.max,
                hard: rule.penalty.is_none(),
                shortfall,
                cost: rule.penalty.map_or(0.0, |w| w * shortfall),
                holds: u.holds(),
                tight: u.tight(),
            }
        })
        .collect()
}

/// A plan as `check` reads it: only `post` and `candidate` of each placement matter.
#[derive(Debug, Clone, Deserialize)]
pub struct PlanInput {
    pub placements: Vec<PlacementInput>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PlacementInput {
    pub post: String,
    pub candidate: String,
}

/// Reads a plan file and resolves its ids against the scenario.
pub fn read_plan(path: &std::path::Path, s: &Scenario) -> Result<Vec<(usize, usize)>, InputError> {
    if crate::workbook::is_workbook(path) {
        return crate::workbook::read_plan_workbook(path, s);
    }
    let file = path.display().to_string();
    let bytes = crate::scenario::read_bytes(path)?;
    let text = crate::scenario::utf8(&bytes, &file)?;
    let input: PlanInput = crate::scenario::parse_str(text, &file)?;
    input
        .placements
        .iter()
        .enumerate()
        .map(|(i, pl)| {
            let p = s.post_by_id(&pl.post).ok_or_else(|| {
                InputError::new(
                    &file,
                    format!("placements[{i}].post"),
                    format!("unknown post \"{}\"", pl.post),
                )
            })?;
            let c = s.candidate_by_id(&pl.candidate).ok_or_else(|| {
                InputError::new(
                    &file,
                    format!("placements[{i}].candidate"),
                    format!("unknown candidate \"{}\"", pl.candidate),
                )
            })?;
            Ok((p, c))
        })
        .collect()
}
