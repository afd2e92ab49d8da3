//! Why a scenario cannot be staffed: the spec's minimal relaxation, solved exactly.
//!
//! Every hard rule unit may fall short and every must-fill post may stay empty, at cost 1 per
//! person (soft rules keep their penalties and do not count). Phase 1 minimises the total
//! relaxation S*; phase 2 keeps it at S* and maximises the objective (the spec's tie-break).
//! The checker then reads the relaxed plan: its hard-rule breaks and unfilled must-fill posts
//! are the diagnosis, and they must add up to S*.

use super::DiagnosisOut;
use crate::check::{check_plan, CheckReport, Violation};
use crate::eligibility::{Pair, EPS};
use crate::error::Error;
use crate::model::{self, placements_from_values, ColumnKind, Model, Row, RowKind};
use crate::scenario::Scenario;
use crate::solve::{solve_model, solve_model_keeping, Outcome, SolveOptions, Warm};

/// The minimal relaxation of an infeasible scenario.
#[derive(Debug, Clone)]
pub struct Relaxation {
    /// The relaxed plan as the checker sees it (it breaks the diagnosed rules).
    pub report: CheckReport,
    /// The minimal total shortfall S*.
    pub total: f64,
    /// One entry per rule unit or must-fill post that falls short; shortfalls add up to S*.
    pub diagnosis: Vec<DiagnosisOut>,
}

/// The plan of an exactly solved phase; `None` when the phase ran out of time.
fn solved(outcome: Outcome, phase: &str) -> Result<Option<Vec<f64>>, Error> {
    match outcome {
        Outcome::Optimal { values, .. } => Ok(Some(values)),
        Outcome::Feasible { .. } | Outcome::NoSolution { .. } => Ok(None),
        Outcome::Infeasible => Err(Error::Solver(format!(
            "the relaxed model ({phase}) has no solution, which cannot happen"
        ))),
    }
}

/// Total relaxation of a plan as the checker measures it: hard-rule shortfalls plus one per
/// unfilled must-fill post.
fn relaxation_of(report: &CheckReport) -> f64 {
    report
        .violations
        .iter()
        .map(|v| match v {
            Violation::HardRule { shortfall, .. } => *shortfall,
            Violation::MustFillUnfilled { .. } => 1.0,
            _ => 0.0,
        })
        .sum()
}

/// Computes the minimal relaxation of the scenario; `None` when the time limit ran out first.
///
/// Both phases run on the fast path (`solve::solve_model_keeping`) with the relaxation columns
/// shown to it as shortfall columns ([`solver_view`]), so that its hull cuts tighten phase 1's
/// LP exactly as they do for soft team rules; phase 2 keeps phase 1's cuts as rows (valid for
/// every plan of the relaxed model, so the optimum is unchanged) and starts from phase 1's
/// final LP (columns and basis). Neither changes what is computed, only how fast.
pub fn diagnose(
    s: &Scenario,
    pairs: &[Pair],
    opts: &SolveOptions,
) -> Result<Option<Relaxation>, Error> {
    let started = std::time::Instant::now();
    let trace = std::env::var_os("POSTFIT_SOLVER_LOG").is_some();
    let base = model::build_relaxed(s, pairs);
    let relaxing: Vec<u32> = (0..base.columns.len())
        .filter(|&j| base.is_relaxation(j))
        .map(|j| j as u32)
        .collect();
    let base = solver_view(base);

    // Phase 1: the least total relaxation, proven to well below the spec's 1e-9 tolerance on
    // rules (a looser gap could keep a "dust" shortfall of 1e-8 that the checker counts).
    let mut least = base.clone();
    for c in &mut least.columns {
        c.objective = 0.0;
    }
    for &j in &relaxing {
        least.columns[j as usize].objective = -1.0;
    }
    let phase1 = SolveOptions {
        mip_rel_gap: 0.0,
        mip_abs_gap: 1e-10,
        progress: None,
        ..opts.clone()
    };
    let (outcome, stats, lp) = solve_model_keeping(&least, &phase1, None).map_err(Error::Solver)?;
    if trace {
        eprintln!(
            "[diagnose {:>8.3} s] phase 1 ({}): {} cuts, {} columns in the LP, {} in the MIP",
            started.elapsed().as_secs_f64(),
            stats.path,
            stats.pricing.cuts,
            stats.pricing.lp_columns,
            stats.pricing.mip_columns
        );
    }
    let Some(values) = solved(outcome, "phase 1")? else {
        return Ok(None);
    };
    // The total as the checker measures it on the phase-1 plan, not HiGHS's float objective.
    let total = relaxation_of(&check_plan(s, &placements_from_values(pairs, &values)));

    // Phase 2: the best objective among the least relaxations. The budget's slack stays within
    // the checker's tolerance, so phase 2 cannot trade a dust shortfall for more fit. Phase 1's
    // cuts come first (right after the model's rows, where phase 1's LP had them, so its basis
    // fits), the budget last.
    let mut best: Model = base;
    for cut in stats.pricing.cut_rows {
        best.rows.push(Row {
            kind: RowKind::Cut {
                tableau: cut.tableau,
            },
            lower: cut.lower,
            upper: f64::INFINITY,
            entries: cut.entries.into(),
        });
    }
    best.rows.push(Row {
        kind: RowKind::RelaxationBudget,
        lower: f64::NEG_INFINITY,
        upper: total + EPS,
        entries: relaxing.iter().map(|&j| (j, 1.0)).collect(),
    });
    let phase2 = SolveOptions {
        time_limit: opts
            .time_limit
            .map(|t| (t - started.elapsed().as_secs_f64()).max(0.01)),
        progress: None,
        ..opts.clone()
    };
    let warm = lp.as_ref().map(|lp| Warm {
        lp,
        extra: &[],
        matrix: None,
    });
    let (outcome, stats, _) =
        solve_model_keeping(&best, &phase2, warm.as_ref()).map_err(Error::Solver)?;
    if trace {
        eprintln!(
            "[diagnose {:>8.3} s] phase 2 ({}): {} columns in the LP, {} in the MIP",
            started.elapsed().as_secs_f64(),
            stats.path,
            stats.pricing.lp_columns,
            stats.pricing.mip_columns
        );
    }
    let Some(values) = solved(outcome, "phase 2")? else {
        return Ok(None);
    };

    let plan = placements_from_values(pairs, &values);
    let report = check_plan(s, &plan);
    let diagnosis = entries(s, pairs, &report);
    let sum: f64 = diagnosis.iter().filter_map(|d| d.shortfall).sum();
    if (sum - total).abs() > EPS * (diagnosis.len() + 1) as f64 {
        return Err(Error::PlanRejected(format!(
            "the relaxed plan falls short by {sum}, but the minimal relaxation is {total}"
        )));
    }
    Ok(Some(Relaxation {
        report,
        total,
        diagnosis,
    }))
}

/// The relaxed model as the solver should see it: every relaxation column (`Relaxed`,
/// `Unfilled`) relabelled as a `Shortfall` column, which is what it is in shape (a continuous
/// column that lets one unit's rows give way). The fast path puts shortfall columns in its
/// first LP (so the restricted LP is never infeasible and never hands over to the slow direct
/// model) and cuts soft team units with hull cuts (`solve::cuts`: their validity rests only on
/// the rows, not on the column's objective or name). Column order, bounds and rows are
/// unchanged, so values read back by index mean the same. An `Unfilled` column gets no team,
/// so it is never cut; its rule index (`u32::MAX`) names no rule. The restricted MIPs skip
/// HiGHS's presolve (`Model::skip_mip_presolve`): with zero-objective pair columns it took 34 of
/// 36 s of phase 1's MIP on an infeasible city variant (`tests/diagnosis.rs`,
/// `city_cppcc_share_67_percent`).
fn solver_view(mut m: Model) -> Model {
    for c in &mut m.columns {
        c.kind = match c.kind {
            ColumnKind::Relaxed { rule, team } => ColumnKind::Shortfall { rule, team },
            ColumnKind::Unfilled { .. } => ColumnKind::Shortfall {
                rule: u32::MAX,
                team: None,
            },
            k => k,
        };
    }
    m.skip_mip_presolve = true;
    m
}

/// Diagnosis entries from the checker's view of the relaxed plan.
fn entries(s: &Scenario, pairs: &[Pair], report: &CheckReport) -> Vec<DiagnosisOut> {
    let mut out = Vec::new();
    for v in &report.violations {
        match v {
            Violation::HardRule {
                unit,
                bound,
                shortfall,
            } => out.push(DiagnosisOut {
                rule: Some(unit.rule),
                name: s.rules[unit.rule].name.clone(),
                team: unit.team.map(|t| s.teams[t].id.clone()),
                post: None,
                shortfall: Some(*shortfall),
                message: unit.shortfall_sentence(s, *bound),
            }),
            Violation::MustFillUnfilled { post } => {
                let p = &s.posts[*post];
                let eligible = pairs.iter().filter(|pr| pr.post as usize == *post).count();
                let why = if eligible == 0 {
                    "no eligible candidate can take it".to_string()
                } else {
                    let (noun, verb) = if eligible == 1 {
                        ("candidate is", "")
                    } else {
                        ("candidates are", "each ")
                    };
                    format!(
                        "left unfilled: its {eligible} eligible {noun} {verb}needed elsewhere or would break a hard rule"
                    )
                };
                out.push(DiagnosisOut {
                    rule: None,
                    name: None,
                    team: Some(s.teams[p.team].id.clone()),
                    post: Some(p.id.clone()),
                    shortfall: Some(1.0),
                    message: format!("must-fill post {} ({}): {why}", p.id, s.ranks[p.rank]),
                });
            }
            // The relaxed model keeps capacity and eligibility; the consistency check on the
            // total catches anything else.
            _ => {}
        }
    }
    out
}

/// What breaks when the pairs `force` are fixed into the plan and `forbid` kept out of it
/// (explain's infeasible forcings, issue 13 item 4): phase 1 of the minimal relaxation on the
/// changed model, read by the checker. The entries name each hard rule (and team) or must-fill
/// post that would have to give, and by how much; `None` when the time limit ran out first.
/// Phase 1 only: the least total is exact, but among equally small relaxations the one shown
/// is not chosen by objective.
pub fn breaches_when_fixed(
    s: &Scenario,
    pairs: &[Pair],
    force: &[usize],
    forbid: &[usize],
    opts: &SolveOptions,
) -> Result<Option<Vec<DiagnosisOut>>, Error> {
    let mut least = model::build_relaxed(s, pairs);
    let relaxing: Vec<bool> = (0..least.columns.len())
        .map(|j| least.is_relaxation(j))
        .collect();
    for (c, relaxes) in least.columns.iter_mut().zip(relaxing) {
        c.objective = if relaxes { -1.0 } else { 0.0 };
    }
    let mut least = solver_view(least);
    for &i in force {
        model::force(&mut least, i);
    }
    for &i in forbid {
        model::forbid(&mut least, i);
    }
    let phase1 = SolveOptions {
        mip_rel_gap: 0.0,
        mip_abs_gap: 1e-10,
        progress: None,
        ..opts.clone()
    };
    match solve_model(&least, &phase1).map_err(Error::Solver)?.0 {
        Outcome::Optimal { values, .. } => {
            let report = check_plan(s, &placements_from_values(pairs, &values));
            Ok(Some(entries(s, pairs, &report)))
        }
        // Forcing a pair can make even the relaxed model infeasible (a pair against capacity):
        // nothing to name then.
        Outcome::Infeasible => Ok(Some(Vec::new())),
        Outcome::Feasible { .. } | Outcome::NoSolution { .. } => Ok(None),
    }
}
