//! Solving a `Model` exactly: HiGHS behind one module, answers as an [`Outcome`].
//!
//! Only this module and its children name HiGHS or good_lp. "Optimal" means proven: the
//! relative gap between the plan and the proven bound is at most [`OPTIMAL_REL_GAP`].
//!
//! Two methods give the same optimum: `Direct` hands HiGHS the whole model (through good_lp);
//! `Fast` (the default) prices columns into a restricted model and proves the rest out with
//! reduced costs (see `pricing`), falling back to `Direct` when it cannot go on.

mod columns;
mod counts;
mod cuts;
mod fixing;
mod global;
mod gomory;
mod heuristic;
mod highs;
mod initial;
mod interrupt;
mod lifting;
mod matrix;
mod pricing;
mod progress;
mod proof;
mod search;

pub use fixing::columns_reaching;
pub use pricing::{CutRow, PricingStats};
pub use pricing::{LpDuals, Warm};
pub use progress::{Phase, ProgressSink, SolveProgress};

use crate::deadline::Deadline;
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
    /// How to solve.
    pub method: Method,
    /// Fast path: columns per row in the first restricted model. A tuning knob only: answers do
    /// not depend on it (tests run it at 1 to make pricing and fixing do all the work).
    pub per_row: usize,
    /// The command's one deadline (issue 7 item 3): every solver call stops by it, whatever
    /// `time_limit` says; a call that starts after it returns [`Outcome::NoSolution`] at once.
    pub deadline: Option<Deadline>,
    /// Where the fast path reports its phase, bound and best plan while it runs (`None`:
    /// nowhere). Reports never change the answer.
    pub progress: Option<ProgressSink>,
    /// For callers that only need to know whether the optimum reaches a value (a slate's
    /// re-solves: "is this candidate's loss below the K-th?"): once the fast path proves every
    /// plan worth less than `cutoff` (model objective), it stops with [`Outcome::NoSolution`] or
    /// [`Outcome::Feasible`] whose `bound` is below `cutoff`. Answers above the cutoff are exact
    /// as usual.
    pub cutoff: Option<f64>,
    /// Fast path: the first proof MIP after a heuristic incumbent is narrowed to a third of the
    /// columns the incumbent needs, but keeps at least this many (see `proof::optimistic_reach`;
    /// default 20,000). A tuning knob only: answers do not depend on it (the hard oracle test
    /// sets it to 0 so that small cases run the narrowed MIP and its widening).
    pub narrowed_min_columns: usize,
    /// Fast path: rounds of Gomory cuts after the hull cuts (see `gomory`; `None`: the
    /// `POSTFIT_GOMORY_ROUNDS` environment variable, else 6; rounds stop early when one finds
    /// no cut). On since session 19: with the switch from slow hull rounds to Gomory rounds,
    /// denser aggregations left out (`gomory::MAX_AGGREGATED`) and the first proof MIP
    /// narrowed to `narrowed_min_columns` once they ran (`proof::optimistic_reach`), the
    /// 10,000-candidate hard province took 94 s instead of session 8's 398 s (L − z* 0.154 →
    /// 0.0066) and province-hard 35.4 s against 46.3 s without (one run each, session 19;
    /// see ARCHITECTURE.md). A tuning knob
    /// only: answers do not depend on it (the hard oracle test checks every Gomory cut against
    /// every enumerated plan). A `resolve::Base` keeps them with the hull cuts as `Cut` rows:
    /// its re-solves' LPs carry them, their MIPs leave them out (`RowKind::Cut`'s `tableau`);
    /// re-solves run no cut rounds of their own.
    pub gomory_rounds: Option<usize>,
    /// What a re-solve knows from the solve it restricts (`resolve::Base`): hints that only
    /// change the time, and a proven bound. Default: nothing known.
    pub resolve: ResolveHints,
}

/// What a re-solve knows from its base solve (`resolve::Base::run`): three tuning hints, which
/// never change an answer, and one proven bound, which an answer's proof may rest on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResolveHints {
    /// Fast path: the first proof MIP after a heuristic incumbent reaches at least this far
    /// (`d_j >= −reach`, never beyond what the incumbent needs). A re-solve passes its
    /// base's gap `L − z*`: a forced optimum's gap is close to its base's, and a narrowed MIP
    /// that reaches it finds and proves the optimum in one go, where a third of the columns
    /// often misses it (then a band MIP with a weak incumbent follows). A tuning knob only:
    /// answers do not depend on it. `None`: no hint.
    pub reach: Option<f64>,
    /// Fast path: integer columns the heuristic's first MIP takes besides those the LP prices
    /// near zero. A re-solve passes its base plan's placements: a forced plan mostly keeps
    /// them, and the re-solve's LP, degenerate like its base's, often prices them below zero.
    /// A tuning knob only: answers do not depend on it. Empty: none.
    pub plan: std::sync::Arc<[u32]>,
    /// Fast path: at most this many rounds of hull cuts (`None`: the default, 20). A re-solve
    /// starts with its base's cuts and passes 0: its own rounds found a few cuts around the
    /// change that cost more time than they saved (`resolve::Base::run`). A tuning knob only:
    /// answers do not depend on it.
    pub cut_rounds: Option<usize>,
    /// A proven upper bound on this model's optimum (model objective), known beforehand: a
    /// re-solve that only restricts a model already solved passes that one's bound. Once the
    /// fast path's heuristic finds a plan within `mip_rel_gap` of it, that plan is optimal
    /// and no proof MIP runs. It must be a true bound (the answer's proof rests on it);
    /// `None`: none.
    pub at_most: Option<f64>,
}

/// How to solve a model; both give the same optimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// LP pricing over a restricted model plus reduced-cost fixing.
    #[default]
    Fast,
    /// The whole model at once (the reference).
    Direct,
}

/// What the solve did, for `--stats`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SolverStats {
    /// `fast`, `direct`, or `fast->direct` when the fast path handed over.
    pub path: String,
    pub pricing: PricingStats,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: None,
            mip_rel_gap: 1e-7,
            mip_abs_gap: 1e-7,
            method: Method::default(),
            per_row: 6,
            deadline: None,
            progress: None,
            cutoff: None,
            narrowed_min_columns: 20_000,
            gomory_rounds: None,
            resolve: ResolveHints::default(),
        }
    }
}

/// What the solver found for a model.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A plan proven optimal within the gap options.
    Optimal {
        values: Vec<f64>,
        objective: f64,
        bound: f64,
    },
    /// A valid plan, stopped early (time limit); `bound` is the best proven bound.
    Feasible {
        values: Vec<f64>,
        objective: f64,
        bound: f64,
    },
    /// The model has no solution: hard rules and must-fill posts cannot all hold.
    Infeasible,
    /// Stopped (time limit) before any plan was found.
    NoSolution { bound: Option<f64> },
}

/// Whether HiGHS holds a feasible primal solution. Reads the raw info value: the `highs` crate's
/// own accessor panics on the value -1 that HiGHS reports when no solution was attempted.
fn has_plan(solved: &::highs::SolvedModel) -> bool {
    const FEASIBLE: i64 = 2; // kSolutionStatusFeasible
    solved.int_info_value(c"primal_solution_status") == Ok(FEASIBLE)
}

/// HiGHS's `threads` option for the restricted MIPs of the fast path (proof and heuristic);
/// every other HiGHS run (LPs, the separation LPs, the direct model) asks for one thread.
///
/// **Why 2.** HiGHS's MIP search stays serial with `parallel` at its default, but with two
/// threads it runs parts of presolve, the root node and its sub-MIPs in parallel. Measured on
/// province-hard (2 cores, session 14, 4 runs each; the HiGHS log shows the same LP iteration
/// counts and the plan is the same): the narrowed proof MIP took 20.8–23.4 s instead of
/// 29–38 s, the band MIP 7.0–8.4 s instead of 8.8–12.1 s, the heuristic MIP 3.6–5.2 s instead
/// of 4.5–6.2 s; end to end 57–70 s instead of 68–94 s. (`parallel=on`, HiGHS 1.15's
/// prototype parallel tree search, added nothing: the proof MIPs end at the root.) The many
/// tiny separation LPs with two threads made city-hard slower (2.0–2.3 s against 1.6 s), so
/// LPs keep one.
///
/// **Why on a thread of its own.** HiGHS fixes each OS thread's task scheduler at that
/// thread's first run and fails any later run on the thread that asks for another count
/// ("Option 'threads' is set to 2 but global scheduler has already been initialized to use
/// 1"). So a MIP with two threads always runs on a thread spawned for that run
/// (`columns::watched`, with or without a time limit), and every other
/// thread only ever runs HiGHS with one. The count does not follow `--threads`: the search
/// path must not depend on it (determinism), and a fixed count keeps that true by
/// construction.
pub(crate) const MIP_THREADS: i32 = 2;

/// HiGHS is quiet unless `POSTFIT_SOLVER_LOG=FILE` is set: then its log is appended to FILE
/// (never to stdout, which carries the plan), and the fast path traces its rounds on stderr.
fn configure_log(model: &mut ::highs::Model) {
    match std::env::var("POSTFIT_SOLVER_LOG") {
        Ok(file) if !file.is_empty() => {
            model.make_quiet();
            model.set_option("output_flag", true);
            model.set_option("log_to_console", false);
            model.set_option("log_file", file.as_str());
        }
        _ => model.make_quiet(),
    }
}

/// Set once a HiGHS run overran its time limit and was left running on its own thread.
static ABANDONED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn mark_abandoned() {
    ABANDONED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether some HiGHS run of this process overran its time limit (by more than two seconds,
/// in a part of HiGHS that does not poll the interrupt) and was abandoned to its own thread,
/// which may still be running. A program about to exit should then end the process without
/// running static destructors (`libc::_exit`), which that thread might still be using.
pub fn solver_abandoned() -> bool {
    ABANDONED.load(std::sync::atomic::Ordering::Relaxed)
}

/// Name and version of the solver, for provenance.
pub fn solver_version() -> String {
    highs::version()
}

/// Solves the model with HiGHS (one HiGHS thread whatever the caller's thread count, so answers
/// never depend on it).
pub fn solve_model(model: &Model, opts: &SolveOptions) -> Result<(Outcome, SolverStats), String> {
    ensure_finite(model)?;
    let mut stats = SolverStats::default();
    if model.rows.is_empty() {
        // Nothing links the columns (HiGHS calls this an empty model): each takes the bound its
        // objective prefers.
        stats.path = "no-rows".into();
        let values: Vec<f64> = model
            .columns
            .iter()
            .map(|c| if c.objective > 0.0 { c.upper } else { 0.0 })
            .collect();
        let objective = model
            .columns
            .iter()
            .zip(&values)
            .map(|(c, v)| c.objective * v)
            .sum();
        let outcome = Outcome::Optimal {
            values,
            objective,
            bound: objective,
        };
        return Ok((outcome, stats));
    }
    let started = std::time::Instant::now();
    // The deadline becomes the time limit of this call (HiGHS's own, plus an interrupt callback
    // that stops it inside a node too).
    let clamped;
    let opts = match opts.deadline {
        Some(d) if d.passed() => {
            stats.path = "deadline-passed".into();
            return Ok((Outcome::NoSolution { bound: None }, stats));
        }
        Some(d) => {
            clamped = SolveOptions {
                time_limit: Some(d.clamp_secs(opts.time_limit)),
                ..opts.clone()
            };
            &clamped
        }
        None => opts,
    };
    if opts.method == Method::Fast {
        if let Some(outcome) = pricing::solve(model, opts, &mut stats.pricing)? {
            stats.path = "fast".into();
            return Ok((outcome, stats));
        }
        stats.path = "fast->direct".into();
    } else {
        stats.path = "direct".into();
    }
    // The direct model gets only the time the fast path left.
    let opts = SolveOptions {
        time_limit: opts
            .time_limit
            .map(|t| (t - started.elapsed().as_secs_f64()).max(0.01)),
        ..opts.clone()
    };
    Ok((highs::solve(model, &opts)?, stats))
}

/// Refuses a model that holds NaN or an infinity where HiGHS needs a number: objective
/// coefficients, column bounds, row coefficients, and row bounds other than the open side
/// (−inf lower, +inf upper). Validation keeps every input number finite and every formula
/// finite (issue 7), so this is a bug guard: the caller turns the error into exit 5.
fn ensure_finite(model: &Model) -> Result<(), String> {
    let bad = |what: String| {
        Err(format!(
            "internal error: a non-finite number (NaN or infinity) would reach HiGHS: {what}; \
             please report this with the scenario"
        ))
    };
    if !model.constant.is_finite() {
        return bad(format!("objective constant {}", model.constant));
    }
    for (j, c) in model.columns.iter().enumerate() {
        if !c.objective.is_finite() || !c.upper.is_finite() {
            return bad(format!(
                "column {j} ({:?}): objective {}, upper bound {}",
                c.kind, c.objective, c.upper
            ));
        }
    }
    for (i, r) in model.rows.iter().enumerate() {
        let lower_ok = r.lower.is_finite() || r.lower == f64::NEG_INFINITY;
        let upper_ok = r.upper.is_finite() || r.upper == f64::INFINITY;
        if !lower_ok || !upper_ok || r.entries.iter().any(|e| !e.1.is_finite()) {
            return bad(format!("row {i} ({:?})", r.kind));
        }
    }
    Ok(())
}

/// [`solve_model`] for re-solves (see `resolve`): the fast path starts its LP from `warm` (a base
/// solve's final LP, whose rows are the first rows of `model`, and extra columns such as the
/// forced ones: see `pricing::solve_keeping`) and, when it prices the LP out, returns that
/// LP's duals, reduced costs and Lagrangian bound. `None` duals: the direct path or an empty
/// model answered (no bound for screening). Same answers as [`solve_model`].
pub fn solve_model_keeping(
    model: &Model,
    opts: &SolveOptions,
    warm: Option<&Warm>,
) -> Result<(Outcome, SolverStats, Option<LpDuals>), String> {
    if model.rows.is_empty() || opts.method != Method::Fast {
        let (o, s) = solve_model(model, opts)?;
        return Ok((o, s, None));
    }
    ensure_finite(model)?;
    let started = std::time::Instant::now();
    let mut stats = SolverStats::default();
    // The command's deadline, as in `solve_model`.
    let clamped;
    let opts = match opts.deadline {
        Some(d) if d.passed() => {
            stats.path = "deadline-passed".into();
            return Ok((Outcome::NoSolution { bound: None }, stats, None));
        }
        Some(d) => {
            clamped = SolveOptions {
                time_limit: Some(d.clamp_secs(opts.time_limit)),
                ..opts.clone()
            };
            &clamped
        }
        None => opts,
    };
    let mut duals = None;
    if let Some(outcome) =
        pricing::solve_keeping(model, opts, &mut stats.pricing, warm, Some(&mut duals))?
    {
        stats.path = "fast".into();
        return Ok((outcome, stats, duals));
    }
    stats.path = "fast->direct".into();
    let opts = SolveOptions {
        time_limit: opts
            .time_limit
            .map(|t| (t - started.elapsed().as_secs_f64()).max(0.01)),
        ..opts.clone()
    };
    Ok((highs::solve(model, &opts)?, stats, None))
}

/// A model's matrix by column, built once and reused by re-solves of models with the same rows
/// and entries (see [`Warm::matrix`]).
pub struct ColumnMatrix(columns::Csc);

impl ColumnMatrix {
    /// Builds the column-wise matrix of `model` (O(entries)).
    pub fn new(model: &Model) -> ColumnMatrix {
        ColumnMatrix(columns::Csc::from_model(model))
    }

    /// Column j's entries: (row, coefficient), in ascending row order.
    pub fn column(&self, j: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.0.column(j)
    }
}
