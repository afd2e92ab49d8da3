//! What-if re-solves for explanations: the whole model again with some pairs fixed (a candidate
//! forced into a post, a candidate kept out, a post left empty), solved exactly and checked.
//!
//! Each re-solve is the base model plus `Forced` rows, solved with `solve_model` (single-threaded
//! HiGHS inside, so deterministic), read back with `placements_from_values` and verified by the
//! independent checker. Many re-solves run in parallel with rayon; results are collected in input
//! order, so nothing depends on the thread count.

use rayon::prelude::*;
use serde::Serialize;

use crate::check::check_plan;
use crate::eligibility::Pair;
use crate::error::Error;
use crate::model::{self, placements_from_values, Model};
use crate::scenario::Scenario;
use crate::solve::{solve_model, Outcome, SolveOptions, OPTIMAL_REL_GAP};

/// How a what-if re-solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ForcedStatus {
    /// Proven optimal: the cost is exact.
    Optimal,
    /// A valid plan, stopped early (time limit): the cost is an upper bound.
    Feasible,
    /// No plan keeps every hard rule with this change.
    Infeasible,
    /// Stopped before any plan was found.
    NoSolution,
}

/// One post whose holder differs from the optimal plan's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub post: String,
    /// Holder in the optimal plan (`None`: empty).
    pub before: Option<String>,
    /// Holder in the changed plan.
    pub after: Option<String>,
}

/// The whole plan re-optimised with one change fixed, compared with the optimum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forcing {
    pub status: ForcedStatus,
    /// The checker's objective of the changed plan.
    pub objective: Option<f64>,
    /// Optimum minus `objective`: what the change costs the whole plan (never negative when
    /// both are proven).
    pub cost: Option<f64>,
    /// Posts whose holder differs, in scenario order.
    pub changes: Vec<Change>,
    /// One line, e.g. `infeasible: forcing breaks a hard rule`.
    pub message: String,
}

impl Forcing {
    /// The change the optimal plan already makes: cost 0, nothing changes.
    pub fn none(objective: f64) -> Forcing {
        Forcing {
            status: ForcedStatus::Optimal,
            objective: Some(objective),
            cost: Some(0.0),
            changes: Vec::new(),
            message: "as in the optimal plan".into(),
        }
    }
}

/// What to fix in one re-solve: pairs forced in, pairs kept out.
#[derive(Debug, Clone, Default)]
pub struct Fix {
    pub force: Vec<usize>,
    pub forbid: Vec<usize>,
}

/// The optimum the re-solves are compared with.
pub struct Base<'a> {
    pub s: &'a Scenario,
    pub pairs: &'a [Pair],
    pub model: &'a Model,
    /// The optimal plan's objective (the checker's).
    pub objective: f64,
    /// Holder of each post in the optimal plan.
    pub holders: Vec<Option<usize>>,
    /// Whether `objective` is proven optimal.
    pub proven: bool,
}

impl Base<'_> {
    /// Runs every fix in parallel; results in input order.
    pub fn run_all(&self, fixes: &[Fix], opts: &SolveOptions) -> Result<Vec<Forcing>, Error> {
        fixes.par_iter().map(|f| self.run(f, opts)).collect()
    }

    /// Re-solves the model with `fix` applied, checks the plan and compares it with the optimum.
    pub fn run(&self, fix: &Fix, opts: &SolveOptions) -> Result<Forcing, Error> {
        let mut m = self.model.clone();
        for &i in &fix.force {
            model::force(&mut m, i);
        }
        for &i in &fix.forbid {
            model::forbid(&mut m, i);
        }
        let (outcome, _) = solve_model(&m, opts).map_err(Error::Solver)?;
        let (values, proven) = match outcome {
            Outcome::Optimal { values, .. } => (values, true),
            Outcome::Feasible { values, .. } => (values, false),
            Outcome::Infeasible => {
                // Name what would break: the least relaxation with the same fix.
                let breaches = crate::plan::breaches_when_fixed(
                    self.s,
                    self.pairs,
                    &fix.force,
                    &fix.forbid,
                    opts,
                )?;
                let message = match breaches.as_deref() {
                    Some([first, rest @ ..]) => {
                        let more = if rest.is_empty() {
                            String::new()
                        } else {
                            format!(" (and {} more)", rest.len())
                        };
                        format!("infeasible: it breaks {}{more}", first.message)
                    }
                    _ => "infeasible: forcing breaks a hard rule".to_string(),
                };
                return Ok(self.unsolved(ForcedStatus::Infeasible, &message));
            }
            Outcome::NoSolution { .. } => {
                return Ok(self.unsolved(
                    ForcedStatus::NoSolution,
                    "no plan found within the time limit",
                ))
            }
        };
        let plan = placements_from_values(self.pairs, &values);
        let report = check_plan(self.s, &plan);
        if !report.is_ok() {
            let first = report.violations[0].message(self.s);
            return Err(Error::PlanRejected(format!(
                "what-if re-solve: {} problem(s), first: {first}",
                report.violations.len()
            )));
        }
        self.verify_fix(fix, &plan)?;
        let cost = self.cost(report.objective);
        let changes = self.changes(&plan);
        let mut message = match (proven, cost) {
            (true, 0.0) => "no loss: an equally good plan".to_string(),
            (true, c) => format!("costs {c:.4}"),
            (false, c) => format!("costs at most {c:.4} (time limit reached)"),
        };
        if !self.proven {
            message.push_str(", against a plan not proven optimal");
        }
        Ok(Forcing {
            status: if proven {
                ForcedStatus::Optimal
            } else {
                ForcedStatus::Feasible
            },
            objective: Some(report.objective),
            cost: Some(cost),
            changes,
            message,
        })
    }

    fn unsolved(&self, status: ForcedStatus, message: &str) -> Forcing {
        Forcing {
            status,
            objective: None,
            cost: None,
            changes: Vec::new(),
            message: message.into(),
        }
    }

    /// The plan must hold every forced pair and none of the forbidden ones.
    fn verify_fix(&self, fix: &Fix, plan: &[(usize, usize)]) -> Result<(), Error> {
        let has = |i: usize| {
            let p = self.pairs[i];
            plan.contains(&(p.post as usize, p.candidate as usize))
        };
        if fix.force.iter().all(|&i| has(i)) && !fix.forbid.iter().any(|&i| has(i)) {
            Ok(())
        } else {
            Err(Error::PlanRejected(
                "what-if re-solve ignored a fixed placement".into(),
            ))
        }
    }

    /// Optimum minus the changed plan's objective. Differences within the solver's optimality
    /// gap are noise (two proven optima of the same value) and count as 0; a larger negative
    /// value can only appear when the base plan is not proven optimal, and is kept.
    fn cost(&self, objective: f64) -> f64 {
        let c = self.objective - objective;
        let tol = OPTIMAL_REL_GAP * (self.objective - self.model.constant).abs().max(1.0);
        if c < 0.0 && c >= -tol {
            0.0
        } else {
            c
        }
    }

    /// Posts whose holder differs from the optimal plan, in scenario order.
    fn changes(&self, plan: &[(usize, usize)]) -> Vec<Change> {
        let mut after: Vec<Option<usize>> = vec![None; self.s.posts.len()];
        for &(p, c) in plan {
            after[p] = Some(c);
        }
        let id = |c: Option<usize>| c.map(|c| self.s.candidates[c].id.clone());
        (0..self.s.posts.len())
            .filter(|&p| after[p] != self.holders[p])
            .map(|p| Change {
                post: self.s.posts[p].id.clone(),
                before: id(self.holders[p]),
                after: id(after[p]),
            })
            .collect()
    }
}

/// Index of pair (c, p) in `pairs` (ordered by candidate, then post), if eligible.
pub fn pair_index(pairs: &[Pair], c: usize, p: usize) -> Option<usize> {
    pairs
        .binary_search_by(|x| (x.candidate as usize, x.post as usize).cmp(&(c, p)))
        .ok()
}

/// Indices of every pair of candidate `c`.
pub fn pairs_of_candidate(pairs: &[Pair], c: usize) -> Vec<usize> {
    let start = pairs.partition_point(|x| (x.candidate as usize) < c);
    let end = pairs.partition_point(|x| (x.candidate as usize) <= c);
    (start..end).collect()
}

/// Indices of every pair of post `p`.
pub fn pairs_of_post(pairs: &[Pair], p: usize) -> Vec<usize> {
    (0..pairs.len())
        .filter(|&i| pairs[i].post as usize == p)
        .collect()
}
