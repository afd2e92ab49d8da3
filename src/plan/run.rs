//! Solving a validated scenario end to end: eligible pairs -> model -> HiGHS -> independent check.
//! A plan that fails the check is never returned as a plan: it is an internal error.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::diagnose::{diagnose, Relaxation};
use super::DiagnosisOut;
use crate::check::{check_plan, CheckReport};
use crate::eligibility::{model_pairs_until, Pair};
use crate::error::Error;
use crate::model;
use crate::scenario::Scenario;
use crate::solve::{solve_model_keeping, LpDuals, Outcome, SolveOptions, Warm, OPTIMAL_REL_GAP};

/// The status of a plan, as the spec names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proven optimal within 1e-6 relative.
    Optimal,
    /// A valid plan, stopped early; see bound and gap.
    Feasible,
    /// Hard rules and must-fill posts cannot all hold.
    Infeasible,
    /// Stopped at the time limit before any plan was found.
    NoSolution,
    /// The plan of the minimal relaxation of an infeasible scenario (`solve --relax`).
    Relaxed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::Infeasible => "infeasible",
            Status::NoSolution => "no_solution",
            Status::Relaxed => "relaxed",
        }
    }

    /// Why a command that needs the optimal plan has none, as a clause for a sentence
    /// ("No plan: {why}; no slates."): infeasible and out of time are told apart, since the
    /// second only needs a longer `--time-limit`.
    pub fn no_plan_reason(self) -> &'static str {
        match self {
            Status::Infeasible => {
                "the hard rules and must-fill posts cannot all hold (postfit solve shows the diagnosis)"
            }
            Status::NoSolution => "the time limit ran out before any plan was found",
            _ => "none was found",
        }
    }
}

/// Sizes and phase timings (milliseconds) of one solve.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SolveStats {
    pub candidates: usize,
    pub posts: usize,
    pub eligible_pairs: usize,
    pub columns: usize,
    pub rows: usize,
    pub ms_pairs: f64,
    pub ms_model: f64,
    pub ms_solve: f64,
    pub ms_check: f64,
    /// Time spent on the minimal diagnosis of an infeasible scenario.
    pub ms_diagnose: f64,
    /// `fast`, `direct`, `fast->direct` (the fast path handed over) or `no-rows`.
    pub solve_path: String,
    /// Fast path: LP pricing rounds, columns in the final LP, columns in the final MIP, and
    /// whether the LP optimum was already integral.
    pub lp_rounds: usize,
    pub lp_columns: usize,
    pub mip_columns: usize,
    pub lp_integral: bool,
    /// Fast path: the plain LP relaxation's bound, the bound after the hull cuts on soft
    /// team-scope rules (see `solve::cuts`), and how many cuts that took.
    #[serde(default)]
    pub lp_bound_uncut: f64,
    #[serde(default)]
    pub lp_bound: f64,
    #[serde(default)]
    pub cuts: usize,
    /// Of those cuts, the Gomory cuts (`solve::gomory`; off by default).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub gomory_cuts: usize,
    /// The time limit ran out before the eligible pairs were all listed: `eligible_pairs` is
    /// then 0 and means "not counted", not "none" (shown so in the summary and `--stats`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pairs_uncounted: bool,
}

/// The result of solving a scenario.
#[derive(Debug, Clone)]
pub struct Solution {
    pub status: Status,
    /// The checked plan (optimal or feasible), `None` otherwise.
    pub report: Option<CheckReport>,
    /// Best proven bound on the objective.
    pub bound: Option<f64>,
    /// The constant part C of the objective (spec 1.1, "Optimality tolerance"): the penalties
    /// of soft rule units that no plan can change, as a negative number (0 when there are none).
    pub constant: f64,
    /// Why the scenario is infeasible: the minimal relaxation's shortfalls.
    pub diagnosis: Vec<DiagnosisOut>,
    /// For an infeasible scenario: the plan of the minimal relaxation (`solve --relax`).
    pub relaxed: Option<Relaxation>,
    pub stats: SolveStats,
}

impl Solution {
    /// Placements as (post, candidate) indices.
    pub fn placements(&self) -> Vec<(usize, usize)> {
        self.report
            .as_ref()
            .map(|r| r.placements.iter().map(|p| (p.post, p.candidate)).collect())
            .unwrap_or_default()
    }

    pub fn objective(&self) -> Option<f64> {
        self.report.as_ref().map(|r| r.objective)
    }

    /// (bound − objective) / max(1, |objective − C|), never negative: the spec's optimality
    /// tolerance measures the gap on the part of the objective that plans can change.
    pub fn gap(&self) -> Option<f64> {
        let (o, b) = (self.objective()?, self.bound?);
        Some(relative_gap(o, b, self.constant))
    }
}

/// Spec 1.1's relative gap: `(bound − objective) / max(1, |objective − constant|)`, never
/// negative. A plan is optimal when it is at most [`OPTIMAL_REL_GAP`].
pub fn relative_gap(objective: f64, bound: f64, constant: f64) -> f64 {
    ((bound - objective) / (objective - constant).abs().max(1.0)).max(0.0)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// Solves a scenario exactly and checks the plan independently.
pub fn solve_scenario(s: &Scenario, opts: &SolveOptions) -> Result<Solution, Error> {
    Ok(solve_scenario_keeping(s, opts, |_, _| None)?.0)
}

/// What a solve keeps for warm-starting the solves of similar scenarios (sweep variants): its
/// model pairs and model (column i is pair i) and the fast path's final LP (`None` when the
/// fast path did not price the LP out: the direct path answered, or the time ran out).
pub struct Kept {
    pub pairs: Vec<Pair>,
    pub model: model::Model,
    pub lp: Option<LpDuals>,
}

/// [`solve_scenario`], warm-started and keeping what later warm starts need.
///
/// `warm` is called once the scenario's pairs and model are built, with both, and may return the
/// final LP of a similar solve carried over to this model (columns and basis in this model's
/// indices; see [`Warm`]): the fast path then starts its pricing from it instead of its per-row
/// heuristic set. Answers never depend on it, only the time taken. `Kept` is `None` when the
/// time ran out before the model was built.
pub fn solve_scenario_keeping(
    s: &Scenario,
    opts: &SolveOptions,
    warm: impl FnOnce(&[Pair], &model::Model) -> Option<LpDuals>,
) -> Result<(Solution, Option<Kept>), Error> {
    let started = Instant::now();
    let t = Instant::now();
    // Each phase gives up at the command's deadline (issue 7 item 3); a caller that gives only
    // a time limit (`report`, sweep variants) gets one counted from here, so a limit that has
    // run out before the solver starts answers "no plan" as `solve` does.
    let deadline = opts.deadline.or_else(|| {
        opts.time_limit
            .map(|t| crate::deadline::Deadline::after_secs_from(started, t))
    });
    let pairs = model_pairs_until(s, deadline);
    let ms_pairs = ms(t);
    let t = Instant::now();
    let m = pairs
        .as_ref()
        .and_then(|pairs| model::build_until(s, pairs, deadline));
    let ms_model = ms(t);
    // The pairs (when listed in time) are counted either way.
    let (pairs, m) = match (pairs, m) {
        (Some(pairs), Some(m)) => (pairs, m),
        (pairs, _) => {
            return Ok((
                out_of_time(s, pairs.map(|p| p.len()), ms_pairs, ms_model),
                None,
            ))
        }
    };
    let from = warm(&pairs, &m);
    let w = from.as_ref().map(|lp| Warm {
        lp,
        extra: &[],
        matrix: None,
    });
    let (mut sol, lp) = solve_built_warm(s, &pairs, &m, opts, started, w.as_ref())?;
    sol.stats.ms_pairs = ms_pairs;
    sol.stats.ms_model = ms_model;
    Ok((
        sol,
        Some(Kept {
            pairs,
            model: m,
            lp,
        }),
    ))
}

/// Like [`solve_scenario`], for callers that keep the eligible pairs and the model for more
/// solves (explain's forced placements): `m` must be `model::build(s, pairs)` with `pairs` from
/// [`crate::eligibility::model_pairs`] (eligible pairs plus decided ones). The time limit
/// counts from `started`.
pub fn solve_built(
    s: &Scenario,
    pairs: &[Pair],
    m: &model::Model,
    opts: &SolveOptions,
    started: Instant,
) -> Result<Solution, Error> {
    Ok(solve_built_warm(s, pairs, m, opts, started, None)?.0)
}

/// [`solve_built`] from a warm start (see [`solve_scenario_keeping`]), returning the fast path's
/// final LP too.
fn solve_built_warm(
    s: &Scenario,
    pairs: &[Pair],
    m: &model::Model,
    opts: &SolveOptions,
    started: Instant,
    warm: Option<&Warm>,
) -> Result<(Solution, Option<LpDuals>), Error> {
    let mut stats = SolveStats {
        candidates: s.candidates.len(),
        posts: s.posts.len(),
        eligible_pairs: pairs.len(),
        columns: m.columns.len(),
        rows: m.rows.len(),
        ..Default::default()
    };

    if !m.infeasible_rows.is_empty() {
        // A rule or must-fill post that no placement can change breaks: no need to solve.
        return Ok((infeasible(s, pairs, opts, started, stats)?, None));
    }

    let t = Instant::now();
    // The time limit covers the whole solve: what pairs and model took is taken off the solver's.
    let (outcome, solver_stats, lp) =
        solve_model_keeping(m, &remaining(opts, started), warm).map_err(Error::Solver)?;
    stats.solve_path = solver_stats.path;
    stats.lp_rounds = solver_stats.pricing.lp_rounds;
    stats.lp_columns = solver_stats.pricing.lp_columns;
    stats.mip_columns = solver_stats.pricing.mip_columns;
    stats.lp_integral = solver_stats.pricing.lp_integral;
    stats.lp_bound_uncut = solver_stats.pricing.lp_bound_uncut;
    stats.lp_bound = solver_stats.pricing.lp_bound;
    stats.cuts = solver_stats.pricing.cuts;
    stats.gomory_cuts = solver_stats.pricing.gomory_cuts;
    stats.ms_solve = ms(t);

    let (values, bound) = match outcome {
        Outcome::Optimal { values, bound, .. } | Outcome::Feasible { values, bound, .. } => {
            (values, bound)
        }
        Outcome::Infeasible => return Ok((infeasible(s, pairs, opts, started, stats)?, lp)),
        Outcome::NoSolution { bound } => {
            let sol = Solution {
                status: Status::NoSolution,
                report: None,
                bound: bound.map(|b| b + m.constant),
                constant: m.constant,
                diagnosis: Vec::new(),
                relaxed: None,
                stats,
            };
            return Ok((sol, lp));
        }
    };

    let t = Instant::now();
    let plan = model::placements_from_values(pairs, &values);
    let report = check_plan(s, &plan);
    stats.ms_check = ms(t);
    if !report.is_ok() {
        let first = report.violations[0].message(s);
        return Err(Error::PlanRejected(format!(
            "{} problem(s), first: {first}",
            report.violations.len()
        )));
    }
    // The objective is the checker's, recomputed from the plan; the bound is the solver's,
    // never below the plan it proved.
    // The solver saw the model without its constant part C: add it back.
    let bound = (bound + m.constant).max(report.objective);
    if !(bound.is_finite() && report.objective.is_finite() && m.constant.is_finite()) {
        return Err(Error::Solver(format!(
            "internal error: a non-finite number in the result (objective {}, bound {bound}, \
             constant {}); no plan was written. Please report this with the scenario.",
            report.objective, m.constant
        )));
    }
    // Every bound the solver reports is proven, also when it stopped at the time limit; so the
    // spec's definition applies as it stands: optimal when the gap, measured on the part of the
    // objective that plans can change (spec 1.1), is at most 1e-6.
    let gap = relative_gap(report.objective, bound, m.constant);
    let status = if gap <= OPTIMAL_REL_GAP {
        Status::Optimal
    } else {
        Status::Feasible
    };
    let sol = Solution {
        status,
        report: Some(report),
        bound: Some(bound),
        constant: m.constant,
        diagnosis: Vec::new(),
        relaxed: None,
        stats,
    };
    Ok((sol, lp))
}

/// The answer for an infeasible scenario, with its minimal diagnosis (or, when the time limit
/// runs out first, a diagnosis entry saying so).
pub(super) fn infeasible(
    s: &Scenario,
    pairs: &[Pair],
    opts: &SolveOptions,
    started: Instant,
    mut stats: SolveStats,
) -> Result<Solution, Error> {
    let t = Instant::now();
    let opts = remaining(opts, started);
    let relaxation = diagnose(s, pairs, &opts)?;
    stats.ms_diagnose = ms(t);
    let diagnosis = match &relaxation {
        Some(r) => r.diagnosis.clone(),
        None => vec![DiagnosisOut {
            rule: None,
            name: None,
            team: None,
            post: None,
            shortfall: None,
            message: "the time limit ran out before the minimal diagnosis was found; \
                      run again with a longer --time-limit, or try postfit inspect"
                .to_string(),
        }],
    };
    Ok(Solution {
        status: Status::Infeasible,
        report: None,
        bound: None,
        constant: 0.0,
        diagnosis,
        relaxed: relaxation,
        stats,
    })
}

/// The options with the time limit cut down to what is left since `started`.
pub(super) fn remaining(opts: &SolveOptions, started: Instant) -> SolveOptions {
    SolveOptions {
        time_limit: opts
            .time_limit
            .map(|t| (t - started.elapsed().as_secs_f64()).max(0.01)),
        ..opts.clone()
    }
}

/// The solution of a solve whose time limit ran out before the solver could start (while the
/// pairs were listed or the model built): no plan (exit 4), never a partial one. `pairs`: how
/// many eligible pairs were listed, `None` when listing them did not finish.
fn out_of_time(s: &Scenario, pairs: Option<usize>, ms_pairs: f64, ms_model: f64) -> Solution {
    Solution {
        status: Status::NoSolution,
        report: None,
        bound: None,
        diagnosis: Vec::new(),
        relaxed: None,
        stats: SolveStats {
            candidates: s.candidates.len(),
            posts: s.posts.len(),
            eligible_pairs: pairs.unwrap_or(0),
            pairs_uncounted: pairs.is_none(),
            ms_pairs,
            ms_model,
            solve_path: "deadline-passed".into(),
            ..Default::default()
        },
        constant: 0.0,
    }
}

/// For serde: a zero count is left out of the plan's stats.
fn is_zero(n: &usize) -> bool {
    *n == 0
}
