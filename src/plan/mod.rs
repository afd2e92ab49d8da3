//! Plans: solving a scenario end to end ([`solve_scenario`]), the plan JSON the spec defines
//! (with more fields: fit parts, rule values, provenance), and reading any plan for `check`.

mod diagnose;
mod diff;
mod replan;
mod run;

use serde::{Deserialize, Serialize};

pub use diagnose::{breaches_when_fixed, Relaxation};
pub use diff::{diff_markdown, diff_plans, diff_table, PlanDiff, PostDiff, RuleDiff};
pub use replan::{changed_posts, read_baseline, replan, Baseline, ChangeOut, IgnoredOut, Replan};
pub use run::{solve_built, solve_scenario, Solution, SolveStats, Status};
pub use run::{solve_scenario_keeping, Kept};

use crate::check::CheckReport;
use crate::error::InputError;
use crate::scenario::{RuleKind, Scenario};

/// The plan document written by `solve --out` and printed by `--format json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Plan {
    pub scenario: String,
    pub status: Status,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    /// (bound − objective) / max(1, |objective − constant|) (spec 1.1's optimality tolerance).
    pub gap: Option<f64>,
    /// The constant part C of the objective: the penalties (negative) of soft rule units that
    /// no plan can change. Included in `objective`; the gap is measured without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constant: Option<f64>,
    pub placements: Vec<PlacementOut>,
    pub unfilled: Vec<String>,
    pub fit_total: Option<f64>,
    pub penalty_total: Option<f64>,
    pub rules: Vec<RuleOut>,
    pub fit_rates: Vec<FitRateOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnosis: Vec<DiagnosisOut>,
    /// Not breaks: decided placements that are not eligible, each failed condition named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Re-planning (spec 1.1): SHA-256 of the baseline file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// Re-planning: the `--change-cost` W, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_cost: Option<f64>,
    /// Re-planning with a change cost: `objective − W × changes`, the value `status` refers to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combined_objective: Option<f64>,
    /// Re-planning: how many posts changed hands against the baseline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<usize>,
    /// Re-planning: the posts that changed hands, in post order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<Vec<ChangeOut>>,
    /// Re-planning: baseline placements ignored (post or candidate no longer in the scenario).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub baseline_ignored: Vec<IgnoredOut>,
    pub provenance: Provenance,
}

/// Adds what a re-plan reports to its plan document (spec 1.1: `baseline`, `changes`, and the
/// posts that changed hands).
pub fn attach_replan(s: &Scenario, plan: &mut Plan, r: &Replan) {
    let id = |c: Option<usize>| c.map(|c| s.candidates[c].id.clone());
    plan.baseline = Some(r.baseline.clone());
    plan.change_cost = r.change_cost;
    plan.combined_objective = r.combined;
    plan.changes = r.changes;
    plan.changed = r.changes.map(|_| {
        r.changed
            .iter()
            .map(|&(p, from, to)| ChangeOut {
                post: s.posts[p].id.clone(),
                from: id(from),
                to: id(to),
            })
            .collect()
    });
    plan.baseline_ignored = r.ignored.clone();
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
    /// A decided placement (spec 1.1).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decided: bool,
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
    /// Holds, but one person fewer (min) or more (max) would break it (README: "binding").
    #[serde(rename = "binding", alias = "tight")]
    pub binding: bool,
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
    crate::check::fit_rate_target(s, &posts)
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
    plan.constant = None;
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
        constant: report.map(|_| sol.constant),
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
        // No plan (infeasible, or none found in time): the decided placements are in every
        // plan, so their warnings hold all the same.
        warnings: match report {
            Some(r) => r.warnings.iter().map(|w| w.message(s)).collect(),
            None => crate::check::decided_warnings(s)
                .iter()
                .map(|w| w.message(s))
                .collect(),
        },
        baseline: None,
        change_cost: None,
        combined_objective: None,
        changes: None,
        changed: None,
        baseline_ignored: Vec::new(),
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
                decided: s.is_decided(pl.candidate, pl.post),
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
                binding: u.tight(),
            }
        })
        .collect()
}

/// A plan as `check` reads it: only `post` and `candidate` of each placement matter; the
/// scenario name, stated objective and provenance are read (in any shape) for warnings.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
pub struct PlanInput {
    pub placements: Vec<PlacementInput>,
    #[serde(default)]
    pub scenario: Option<serde_json::Value>,
    #[serde(default)]
    pub objective: Option<serde_json::Value>,
    #[serde(default)]
    pub provenance: Option<serde_json::Value>,
}

/// What a plan says about itself, beside its placements: for `check`'s warnings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanClaims {
    /// The `scenario` name the plan was made for.
    pub scenario: Option<String>,
    /// The objective the plan states.
    pub objective: Option<f64>,
    /// `provenance.scenario_sha256`: the scenario file's SHA-256 when the plan was made.
    pub scenario_sha256: Option<String>,
}

/// Warnings about a plan that passes or fails the check alike (issue 13 item 4): made for
/// another scenario (by name), for another version of the scenario file (SHA-256), or stating
/// an objective that differs from the recomputed one (beyond the spec's 1e-6 relative).
pub fn plan_warnings(
    s: &Scenario,
    sha256: &str,
    claims: &PlanClaims,
    objective: f64,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(name) = &claims.scenario {
        if name != &s.name {
            out.push(format!(
                "the plan is for scenario {name:?}, but the scenario given is {:?}",
                s.name
            ));
        }
    }
    if let Some(sha) = &claims.scenario_sha256 {
        if !sha.eq_ignore_ascii_case(sha256) {
            out.push(
                "the plan was made from a different scenario file (its SHA-256 differs): the \
                 scenario changed since, or it is another one"
                    .to_string(),
            );
        }
    }
    if let Some(stated) = claims.objective {
        if (stated - objective).abs() > 1e-6 * objective.abs().max(1.0) {
            out.push(format!(
                "the plan states objective {}, but it is worth {} in this scenario",
                crate::check::fmt_num(stated),
                crate::check::fmt_num(objective)
            ));
        }
    }
    out
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
pub struct PlacementInput {
    pub post: String,
    pub candidate: String,
}

/// Reads a plan file and resolves its ids against the scenario.
pub fn read_plan(path: &std::path::Path, s: &Scenario) -> Result<Vec<(usize, usize)>, InputError> {
    read_plan_with_claims(path, s).map(|(placements, _)| placements)
}

/// Like [`read_plan`], also returning what the plan says about itself ([`PlanClaims`]). A plan
/// workbook (docs/workbook.md) claims nothing.
pub fn read_plan_with_claims(
    path: &std::path::Path,
    s: &Scenario,
) -> Result<(Vec<(usize, usize)>, PlanClaims), InputError> {
    if crate::workbook::is_workbook(path) || crate::workbook::is_csv_file(path) {
        return crate::workbook::read_plan_workbook(path, s).map(|p| (p, PlanClaims::default()));
    }
    let file = path.display().to_string();
    let bytes = crate::scenario::read_bytes(path)?;
    let text = crate::scenario::utf8(&bytes, &file)?;
    let input: PlanInput = crate::scenario::parse_str(text, &file)?;
    let claims = PlanClaims {
        scenario: input
            .scenario
            .as_ref()
            .and_then(|v| v.as_str())
            .map(str::to_string),
        objective: input.objective.as_ref().and_then(|v| v.as_f64()),
        scenario_sha256: input
            .provenance
            .as_ref()
            .and_then(|p| p.get("scenario_sha256"))
            .and_then(|v| v.as_str())
            .map(str::to_string),
    };
    let placements = input
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
        .collect::<Result<Vec<_>, InputError>>()?;
    Ok((placements, claims))
}
