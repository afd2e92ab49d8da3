//! The proof half of the fast path (`pricing`'s step 4): from the priced-out LP's reduced
//! costs and Lagrangian bound L, an LP-guided incumbent (`heuristic`), then restricted MIPs
//! over the columns with `d_j >= −δ` until one proves its optimum (`L − z <= δ`), narrowed
//! first and then widened with a band row (`proof`), capped by the time left.

use super::columns::{Csc, SubModel, SubResult};
use super::cuts::Cuts;
use super::heuristic;
use super::pricing::{
    better, expand, incumbent_value, objective_of, unproven, PricingStats, Run, INITIAL_DELTA,
};
use super::progress::{mip_reporter, Phase};
use super::proof::{
    self, capped_reach, column_budget, holds_when_rounded, optimistic_reach, presolve_pays,
    MAX_MIP_COLUMNS,
};
use super::Outcome;
use crate::model::ColumnKind;

/// The heuristic's LP: its columns, their values, and (when Gomory rounds ran after it) its
/// reduced costs of every model column; `None` there means the final LP's (`d`).
pub(super) type HeuristicLp = (Vec<u32>, Vec<f64>, Option<Vec<f64>>);

/// Step 4 of the fast path on a priced-out LP whose optimum is fractional: `cuts` are the
/// LP's cuts (the MIPs take the hull cuts only), `d` the reduced costs of every model column
/// and `lagrangian` their bound L. Returns the answer, or `None` to hand over to the direct
/// model; errors are HiGHS failures.
pub(super) fn search(
    run: &Run,
    csc: &Csc,
    cuts: Cuts,
    d: &[f64],
    lagrangian: f64,
    heuristic_lp: HeuristicLp,
    stats: &mut PricingStats,
) -> Result<Option<Outcome>, String> {
    let Run { m, opts, .. } = *run;
    let n = m.columns.len();
    let trace = run.trace;
    let log = |what: &str| run.log(what);
    let report = |phase: Phase, columns: usize, bound: Option<f64>, best: Option<f64>| {
        run.report(phase, columns, bound, best)
    };
    let remaining = || run.remaining();
    let call = |integer_gap: bool| run.call(integer_gap);
    let out_of_time = || run.out_of_time();
    // MIP over the columns whose reduced cost is within delta of zero. Any plan using a column
    // with d_j < -delta is worth at most L - delta; so once the MIP's optimum z has
    // L - z + margin <= delta, nothing outside can beat it. Otherwise widen delta to exactly
    // that and solve again from z; an infeasible restricted MIP widens delta fourfold.
    if trace {
        for t in [1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 2e-2] {
            let k = d.iter().filter(|&&v| v >= -t).count();
            log(&format!("{k} columns with reduced cost >= -{t}"));
        }
    }
    let mut want = INITIAL_DELTA;
    let mut incumbent: Option<Vec<f64>> = None;
    // The MIPs take the hull cuts only (`Cuts::for_mip`).
    let cuts = if cuts.has_tableau() {
        cuts.for_mip()
    } else {
        cuts
    };
    // The heuristic steers by the LP before any Gomory round, when there was one.
    let (h_cols, h_values, before_gomory) = heuristic_lp;
    let h_d = before_gomory.as_deref().unwrap_or(d);
    if before_gomory.is_some() {
        stats.hull_near_zero = heuristic::near_zero(m, h_d);
    }
    let found = heuristic::incumbent(
        m,
        csc,
        &cuts,
        (&h_cols, &h_values),
        h_d,
        &opts.resolve.plan,
        &call(true),
    )?;
    drop((h_cols, h_values, before_gomory));
    if let Some((x, z)) = found {
        let needed = lagrangian - z + 1e-7 * z.abs().max(1.0);
        log(&format!(
            "heuristic incumbent {z}: reduced costs down to -{needed}"
        ));
        stats.heuristic = Some(z);
        report(Phase::Incumbent, n, Some(lagrangian), Some(z));
        want = want.max(needed);
        // A bound known beforehand (`ResolveHints::at_most`) that the plan reaches proves it.
        if let Some(u) = opts
            .resolve
            .at_most
            .filter(|&u| u - z <= opts.mip_rel_gap * z.abs().max(1.0))
        {
            log(&format!(
                "the heuristic's plan reaches the known bound {u}: optimal"
            ));
            stats.at_most_proved = true;
            return Ok(Some(Outcome::Optimal {
                values: x,
                objective: z,
                bound: u.max(z),
            }));
        }
        incumbent = Some(x);
    }
    // The first proof MIP after a heuristic incumbent is narrowed (`optimistic_reach`); to
    // `narrowed_min_columns` when this solve's own Gomory rounds tightened L, since the
    // heuristic steers by the LP before them and its plan then says little about the optimum.
    let mut first = incumbent.is_some();
    let tight_bound = stats.gomory_cuts > 0;
    // After a narrowed MIP that did not prove itself: its reach δ1 and its proven bound, so
    // that the widened MIP only has to look at plans using a column below −δ1 (`proof::band`).
    let mut band: Option<(f64, f64)> = None;
    loop {
        // With a time limit, the set is capped to what HiGHS can start on in the time left
        // (`column_budget`): a reach δ' < δ proves nothing by itself, but the MIP's optimum
        // is the best plan in the set, and plans outside it are worth at most L − δ'.
        let wanted = want;
        let reach = match opts.time_limit {
            Some(_) => capped_reach(m, d, wanted, column_budget(remaining())),
            None => Some(wanted),
        };
        // Not even the columns at reduced cost 0 fit the time left: no MIP to build.
        let Some(timed) = reach else {
            log("no time left for a proof MIP: best plan so far, unproven");
            return Ok(Some(unproven(m, incumbent, lagrangian)));
        };
        let capped = timed < wanted;
        let delta = if std::mem::take(&mut first) {
            let hint = opts.resolve.reach.filter(|h| h.is_finite()).unwrap_or(0.0);
            optimistic_reach(m, d, timed, opts.narrowed_min_columns, tight_bound)
                .max(hint.min(timed))
        } else {
            timed
        };
        let narrowed = delta < timed;
        let wider: f64;
        if capped {
            log(&format!(
                "time left {:?} s: MIP reach capped at -{timed} (wanted -{wanted})",
                remaining()
            ));
        }
        if narrowed {
            log(&format!(
                "first proof MIP narrowed to reduced cost >= -{delta} (the incumbent needs -{timed})"
            ));
        }
        let cols: Vec<u32> = (0..n as u32)
            .filter(|&j| !m.columns[j as usize].integer || d[j as usize] >= -delta)
            .collect();
        let everything = cols.len() == n;
        stats.mip_columns = cols.len();
        log(&format!(
            "LP bound {lagrangian}: MIP on {} columns (reduced cost >= -{delta})",
            cols.len()
        ));
        // A proof MIP HiGHS cannot hold, or no time left to build one: the incumbent (if
        // any) with the Lagrangian bound, honestly unproven. Measured on national-hard: a
        // 19.6 M-column proof MIP took the process to 23.8 GB (the machine has 24) and
        // overran a 400 s limit by 70 s while HiGHS was still loading it.
        if cols.len() > MAX_MIP_COLUMNS || out_of_time() {
            log("proof MIP too large or out of time: best plan so far, unproven");
            return Ok(Some(unproven(m, incumbent, lagrangian)));
        }
        let presolve = presolve_pays(
            lagrangian - incumbent_value(m, incumbent.as_deref()),
            cols.len(),
        );
        let build = |cols: Vec<u32>, presolve: bool, loose: bool| -> Result<SubModel, String> {
            let mut mip = SubModel::with_cuts(m, csc, &cuts, cols, true)?;
            let floor = lagrangian - delta;
            let to_beat = band.map(|_| {
                let z = incumbent_value(m, incumbent.as_deref());
                z + 1e-7 * z.abs().max(1.0)
            });
            let cutoff = match (opts.cutoff, to_beat) {
                (Some(c), Some(t)) => Some(c.max(t)),
                (c, t) => c.or(t),
            };
            mip.set_cutoff(cutoff.map(|c| (c, floor, lagrangian)));
            if presolve {
                mip.set_presolve();
            }
            if loose {
                mip.set_loose();
            }
            if let Some((reach1, _)) = band {
                // The incumbent uses no band column: no start to give.
                mip.add_cut_rows(n, &[proof::band(m, d, &mip.cols, reach1)])?;
            } else if let Some(inc) = &incumbent {
                let start: Vec<f64> = mip.cols.iter().map(|&j| inc[j as usize]).collect();
                mip.set_start(&start);
            }
            Ok(mip)
        };
        // First with loose MIP feasibility (faster); a plan that then breaks a row of the model
        // by more than 1e-9 once rounded sends the MIP again with tight tolerances.
        // Only in the plain model, where every continuous column is a soft rule's shortfall
        // (which any rounding can absorb): not with re-planning's objective floor or the
        // relaxed model's budget, whose rows `holds_when_rounded` cannot vouch for (a 5e-8
        // "dust" relaxation was traded for fit that way: tests/diagnosis.rs).
        // Nor in the diagnosis's models (marked by `skip_mip_presolve`): there relaxation
        // columns look like shortfalls, but the least relaxation must be exact to 1e-9.
        let loose = !m.skip_mip_presolve
            && m.columns
                .iter()
                .all(|c| c.integer || matches!(c.kind, ColumnKind::Shortfall { .. }))
            && !m.rows.iter().any(|r| {
                matches!(
                    r.kind,
                    crate::model::RowKind::ObjectiveFloor | crate::model::RowKind::RelaxationBudget
                )
            });
        let best = incumbent.as_deref().map(|x| objective_of(m, x));
        report(Phase::Proof, cols.len(), Some(lagrangian), best);
        let reporter = || {
            mip_reporter(
                &opts.progress,
                cols.len(),
                lagrangian,
                delta,
                best,
                m.constant,
            )
        };
        let proof_call = call(true);
        let mut mip = build(cols.clone(), presolve, loose)?;
        stats.mip_runs += 1;
        mip.on_mip_progress(reporter());
        let mut result = match mip.run(&proof_call) {
            // HiGHS's postsolve check can reject its own optimum by 1e-9 (our tolerances are
            // tight) and report an error; the same MIP without presolve has no postsolve.
            Err(e) if presolve => {
                log(&format!("HiGHS with presolve: {e}; again without presolve"));
                mip = build(cols.clone(), false, loose)?;
                mip.on_mip_progress(reporter());
                mip.run(&proof_call)?
            }
            other => other?,
        };
        let rounded_ok = match &result {
            SubResult::Solved { values, .. }
            | SubResult::Stopped {
                values: Some(values),
                ..
            } => holds_when_rounded(m, &mip.cols, values),
            _ => true,
        };
        if loose && !rounded_ok {
            log("the loose MIP's plan breaks a row once rounded: again with tight tolerances");
            mip = build(cols.clone(), false, false)?;
            mip.on_mip_progress(reporter());
            result = mip.run(&proof_call)?;
        }
        if let Some((_, narrowed_bound)) = band {
            let verdict = proof::BandMip {
                lagrangian,
                delta,
                narrowed_bound,
                proves: !capped || everything,
            };
            let incumbent = incumbent.take();
            stats.band_mip = true;
            return Ok(Some(verdict.outcome(m, result, &mip.cols, incumbent, &log)));
        }
        match result {
            SubResult::Solved {
                values,
                objective: z,
                bound,
                ..
            } => {
                let margin = 1e-7 * z.abs().max(1.0);
                let needed = lagrangian - z + margin;
                log(&format!(
                    "MIP optimum {z}; columns down to -{needed} could still improve"
                ));
                if needed <= delta || everything {
                    let values = expand(&mip.cols, &values, n);
                    return Ok(Some(Outcome::Optimal {
                        values,
                        objective: z,
                        bound,
                    }));
                }
                if narrowed {
                    // The narrowed set's optimum did not prove itself: widen to what the
                    // better of it and the incumbent needs (never beyond what the incumbent
                    // asked for; the next round caps it to the time left again).
                    let best = better(m, Some(expand(&mip.cols, &values, n)), incumbent);
                    let z = incumbent_value(m, best.as_deref());
                    incumbent = best;
                    want = (lagrangian - z + margin).min(wanted);
                    band = Some((delta, bound));
                    continue;
                }
                if capped {
                    // The best plan of the capped set (or the incumbent, when the capped set
                    // lacks one of its columns and does worse); no time to widen it.
                    log("capped MIP solved, no time to widen: best plan, unproven");
                    let bound = bound.max(lagrangian - delta).min(lagrangian);
                    let best = better(m, Some(expand(&mip.cols, &values, n)), incumbent);
                    return Ok(Some(unproven(m, best, bound)));
                }
                wider = needed;
                incumbent = Some(expand(&mip.cols, &values, n));
            }
            SubResult::Stopped { values, bound, .. } => {
                // Plans inside the restricted set are worth at most its bound; plans outside at
                // most L − δ.
                let global =
                    bound.map_or(lagrangian, |b| b.max(lagrangian - delta).min(lagrangian));
                // HiGHS's best plan, or the incumbent when it is better (a capped set may lack
                // the incumbent's columns, and then HiGHS drops it as a start).
                let best = better(m, values.map(|v| expand(&mip.cols, &v, n)), incumbent);
                return Ok(Some(unproven(m, best, global)));
            }
            SubResult::Infeasible if everything => return Ok(Some(Outcome::Infeasible)),
            // The narrowed set has no plan: the incumbent's reach next.
            SubResult::Infeasible if narrowed => wider = wanted,
            // A capped set without a plan: widening needs time there is not, and every plan
            // uses a column outside the set, so is worth at most L − δ'.
            SubResult::Infeasible if capped => {
                return Ok(Some(unproven(m, incumbent, lagrangian - delta)));
            }
            SubResult::Infeasible => wider = delta * 4.0,
        }
        want = wider;
    }
}
