//! Why a scenario cannot be staffed: the spec's minimal relaxation, solved exactly.
//!
//! Every hard rule unit may fall short and every must-fill post may stay empty, at cost 1 per
//! person (soft rules keep their penalties and do not count). Phase 1 minimises the total
//! relaxation S*; phase 2 keeps it at S* and maximises the objective (the spec's tie-break).
//! The checker then reads the relaxed plan: its hard-rule breaks and unfilled must-fill posts
//! are the diagnosis, and they must add up to S*.

use super::DiagnosisOut;
use crate::check::{check_plan, CheckReport, Violation};
use crate::eligibility::Pair;
use crate::error::Error;
use crate::model::{self, placements_from_values, Model, Row, RowKind};
use crate::scenario::Scenario;
use crate::solve::{solve_model, Outcome, SolveOptions};

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

fn solved(outcome: Outcome, phase: &str) -> Result<(Vec<f64>, f64), Error> {
    match outcome {
        Outcome::Optimal {
            values, objective, ..
        } => Ok((values, objective)),
        Outcome::Feasible { .. } | Outcome::NoSolution { .. } => Err(Error::Solver(format!(
            "the diagnosis ({phase}) ran out of time; try a longer --time-limit"
        ))),
        Outcome::Infeasible => Err(Error::Solver(format!(
            "the relaxed model ({phase}) has no solution, which cannot happen"
        ))),
    }
}

/// Computes the minimal relaxation of the scenario.
pub fn diagnose(s: &Scenario, pairs: &[Pair], opts: &SolveOptions) -> Result<Relaxation, Error> {
    let base = model::build_relaxed(s, pairs);
    let relaxing: Vec<u32> = (0..base.columns.len())
        .filter(|&j| base.is_relaxation(j))
        .map(|j| j as u32)
        .collect();

    // Phase 1: the least total relaxation.
    let mut least = base.clone();
    for (j, c) in least.columns.iter_mut().enumerate() {
        c.objective = if base.is_relaxation(j) { -1.0 } else { 0.0 };
    }
    let (_, neg_total) = solved(
        solve_model(&least, opts).map_err(Error::Solver)?.0,
        "phase 1",
    )?;
    let total = (-neg_total).max(0.0);

    // Phase 2: the best objective among the least relaxations.
    let mut best: Model = base;
    best.rows.push(Row {
        kind: RowKind::RelaxationBudget,
        lower: f64::NEG_INFINITY,
        upper: total + 1e-7 * total.max(1.0),
        entries: relaxing.iter().map(|&j| (j, 1.0)).collect(),
    });
    let (values, _) = solved(
        solve_model(&best, opts).map_err(Error::Solver)?.0,
        "phase 2",
    )?;

    let plan = placements_from_values(pairs, &values);
    let report = check_plan(s, &plan);
    let diagnosis = entries(s, pairs, &report);
    let sum: f64 = diagnosis.iter().filter_map(|d| d.shortfall).sum();
    if (sum - total).abs() > 1e-6 * total.max(1.0) {
        return Err(Error::PlanRejected(format!(
            "the relaxed plan falls short by {sum}, but the minimal relaxation is {total}"
        )));
    }
    Ok(Relaxation {
        report,
        total,
        diagnosis,
    })
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
