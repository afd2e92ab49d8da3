//! Solving a `Model` exactly: HiGHS behind one module, answers as an [`Outcome`].
//!
//! Only this module (and its `highs` child) names HiGHS or good_lp. "Optimal" means proven: the
//! relative gap between the plan and the proven bound is at most [`OPTIMAL_REL_GAP`].

mod highs;

use crate::model::Model;

/// The relative gap under which a plan counts as proven optimal: `(bound − objective) <=
/// OPTIMAL_REL_GAP × max(1, |objective|)`.
pub const OPTIMAL_REL_GAP: f64 = 1e-6;

/// How to run the solver.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveOptions {
    /// Wall-clock limit for the solver, in seconds.
    pub time_limit: Option<f64>,
    /// Relative gap HiGHS stops at; kept below [`OPTIMAL_REL_GAP`] so that its "optimal" is ours.
    pub mip_rel_gap: f64,
    /// Absolute gap HiGHS stops at.
    pub mip_abs_gap: f64,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions { time_limit: None, mip_rel_gap: 1e-7, mip_abs_gap: 1e-7 }
    }
}

/// What the solver found for a model.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A plan proven optimal within the gap options.
    Optimal { values: Vec<f64>, objective: f64, bound: f64 },
    /// A valid plan, stopped early (time limit); `bound` is the best proven bound.
    Feasible { values: Vec<f64>, objective: f64, bound: f64 },
    /// The model has no solution: hard rules and must-fill posts cannot all hold.
    Infeasible,
    /// Stopped (time limit) before any plan was found.
    NoSolution { bound: Option<f64> },
}

/// Name and version of the solver, for provenance.
pub fn solver_version() -> String {
    highs::version()
}

/// Solves the model with HiGHS (single-threaded inside HiGHS, so answers never depend on the
/// thread count).
pub fn solve_model(model: &Model, opts: &SolveOptions) -> Result<Outcome, String> {
    if model.columns.is_empty() {
        // Nothing to decide: every row was constant and checked while building.
        return Ok(Outcome::Optimal { values: Vec::new(), objective: 0.0, bound: 0.0 });
    }
    highs::solve(model, opts)
}
