//! Loads a `Model` into HiGHS through good_lp, sets exactness options on the raw HiGHS model
//! (good_lp's `into_inner` drops options set on its own problem), solves, and reads back the
//! plan, objective and proven bound.

use good_lp::solvers::highs::highs as highs_solver;
use good_lp::{variable, Expression, ProblemVariables, Variable};
use highs::HighsModelStatus;

use super::{Outcome, SolveOptions};
use crate::model::Model;

pub(super) fn version() -> String {
    // SAFETY: these HiGHS C functions take no arguments and only return constants.
    let (major, minor, patch) = unsafe {
        (
            highs_sys::Highs_versionMajor(),
            highs_sys::Highs_versionMinor(),
            highs_sys::Highs_versionPatch(),
        )
    };
    format!("HiGHS {major}.{minor}.{patch}")
}

/// Solves the whole model. With a deadline, HiGHS runs on its own thread and the caller stops
/// waiting at the deadline (plus 0.2 s for HiGHS to hand back its incumbent; with only a time
/// limit, at the limit plus the grace of [`super::columns`]' watched runs): HiGHS's MIP
/// presolve looks at the clock only between its passes and was seen to overrun a limit by 13 s
/// on the diagnosis case (`diagnosis-overruns-time-limit.json`); the interrupt callback is not
/// called there. A solve left behind finishes (or hits its own limit) on its thread; its answer
/// is dropped, and [`super::solver_abandoned`] tells the CLI to end with `_exit`.
pub(super) fn solve(model: &Model, opts: &SolveOptions) -> Result<Outcome, String> {
    // A time limit without a command deadline (slates, sweeps and explain set only the limit)
    // is watched the same way, with the grace of the fast path's watched runs.
    let wait = match (opts.deadline, opts.time_limit) {
        (Some(deadline), _) => deadline.remaining_secs() + 0.2,
        (None, Some(t)) => t.clamp(0.0, 3.15e9) + super::columns::grace(t).as_secs_f64(),
        (None, None) => return solve_here(model, opts),
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let (m, o) = (model.clone(), opts.clone());
    std::thread::Builder::new()
        .name("postfit-highs".into())
        .spawn(move || {
            let _ = tx.send(solve_here(&m, &o));
        })
        .map_err(|e| format!("cannot start the solver thread: {e}"))?;
    match rx.recv_timeout(std::time::Duration::from_secs_f64(wait)) {
        Ok(result) => result,
        Err(_) => {
            super::mark_abandoned();
            Ok(Outcome::NoSolution { bound: None })
        }
    }
}

fn solve_here(model: &Model, opts: &SolveOptions) -> Result<Outcome, String> {
    let mut vars = ProblemVariables::new();
    let cols: Vec<Variable> = model
        .columns
        .iter()
        .map(|c| {
            let def = variable().min(0.0);
            let def = if c.upper.is_finite() {
                def.max(c.upper)
            } else {
                def
            };
            vars.add(if c.integer { def.integer() } else { def })
        })
        .collect();
    let mut objective = Expression::with_capacity(cols.len());
    for (c, col) in model.columns.iter().enumerate() {
        if col.objective != 0.0 {
            objective.add_mul(col.objective, cols[c]);
        }
    }
    let mut problem = vars.maximise(objective).using(highs_solver);
    for row in &model.rows {
        let mut e = Expression::with_capacity(row.entries.len());
        for (c, coef) in &row.entries {
            e.add_mul(coef, cols[c as usize]);
        }
        use good_lp::SolverModel;
        if row.lower == row.upper {
            problem.add_constraint(e.eq(row.lower));
        } else {
            if row.lower.is_finite() {
                problem.add_constraint(e.clone().geq(row.lower));
            }
            if row.upper.is_finite() {
                problem.add_constraint(e.leq(row.upper));
            }
        }
    }
    let mut hm = problem.try_into_inner().map_err(|e| e.to_string())?;
    super::configure_log(&mut hm);
    // Declared before `solved`, so it outlives every use of the model.
    let interrupt = super::interrupt::Interrupt::install(hm.as_mut_ptr())?;
    interrupt.arm(opts.time_limit);
    let set = |hm: &mut highs::Model, k: &str, v: f64| {
        hm.try_set_option(k, v)
            .map_err(|e| format!("setting HiGHS option {k}: {e:?}"))
    };
    set(&mut hm, "mip_rel_gap", opts.mip_rel_gap)?;
    set(&mut hm, "mip_abs_gap", opts.mip_abs_gap)?;
    // Rules hold within 1e-9 in the spec; keep HiGHS's integrality and feasibility tight.
    set(&mut hm, "mip_feasibility_tolerance", 1e-9)?;
    set(&mut hm, "primal_feasibility_tolerance", 1e-9)?;
    if let Some(t) = opts.time_limit {
        set(&mut hm, "time_limit", t)?;
    }
    hm.try_set_option("threads", 1)
        .map_err(|e| format!("setting HiGHS option threads: {e:?}"))?;
    let solved = hm.try_solve().map_err(|e| format!("HiGHS failed: {e:?}"))?;
    let status = solved.status();
    let has_plan = super::has_plan(&solved);
    // Without integer columns HiGHS solves an LP, whose optimum is exact; its MIP bound is unset.
    let is_mip = model.columns.iter().any(|c| c.integer);
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| is_mip && b.is_finite());
    let objective = solved.objective_value();
    match status {
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            Ok(Outcome::Infeasible)
        }
        HighsModelStatus::Optimal if has_plan => Ok(Outcome::Optimal {
            values: solved.get_solution().columns().to_vec(),
            objective,
            bound: bound.unwrap_or(objective),
        }),
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => {
            if has_plan {
                Ok(Outcome::Feasible {
                    values: solved.get_solution().columns().to_vec(),
                    objective,
                    bound: bound.unwrap_or(f64::INFINITY),
                })
            } else {
                Ok(Outcome::NoSolution { bound })
            }
        }
        other => Err(format!("HiGHS ended with status {other:?}")),
    }
}
