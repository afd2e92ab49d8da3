//! The exact fast path: LP pricing over a restricted set of columns, a restricted MIP for an
//! incumbent, and reduced-cost fixing that proves the restricted optimum is the full optimum.
//!
//! 1. Start from a restricted set R: every column that is not a pair's and, per row, the best few columns
//!    by objective and the best few that help the row hold.
//! 2. Solve the LP over R; price every other column with the duals (`c_j − a_j·y`); add the best
//!    positive ones; repeat until none is positive. The LP over R is then the full LP.
//! 3. If that LP optimum is integral, it is the integer optimum: done.
//! 4. Else (`search`), with the Lagrangian bound L of the duals (valid for every plan), a plan
//!    that uses a column j is worth at most `L + d_j`. Solve the MIP over `{j : d_j >= −δ}`
//!    for a small δ: its optimum z is the full optimum once `L − z <= δ` (every other column
//!    gives less than z). If not, widen δ to `L − z` and solve again, warm-started from z.
//!
//! A restricted LP without a solution hands over to the direct model of every column; a
//! restricted MIP without one widens δ until it holds every column. Answers never depend on
//! the heuristics of step 1 or the first δ.

use std::time::Instant;

use rayon::prelude::*;

use super::columns::{reduced_costs_into, CallOptions, Csc, SubModel, SubResult};
use super::cuts::{self, Cuts};
use super::global;
use super::gomory;
use super::initial;
use super::progress::{Phase, SolveProgress};
use super::{Outcome, SolveOptions};
use crate::model::{ColumnKind, Model};

/// Reduced costs above this price a column into the LP.
const PRICE_TOL: f64 = 1e-9;
/// First reach of the restricted MIP: columns whose reduced cost is at least −INITIAL_DELTA
/// (about the LP's optimal face). Widening finds the rest; measured on the national scenario,
/// 0.02 put 288k columns in the MIP where 1e-4 puts 50k.
pub(super) const INITIAL_DELTA: f64 = 1e-4;
/// Rounds of hull cuts (see `cuts`) on the fully priced LP; each adds at most one cut per soft
/// team-scope unit.
const CUT_ROUNDS: usize = 20;
/// Cut rounds that run whatever the time limit (see the cut loop).
const CUT_ROUNDS_ANYWAY: usize = 6;
/// See the cut loop: rounds stop once two in a row moved the LP bound by less than this
/// (relative to the bound).
const CUT_STALL: f64 = 1e-7;
/// Gomory rounds after the hull cuts when neither the options nor `POSTFIT_GOMORY_ROUNDS` say
/// otherwise; rounds stop earlier when one finds no cut. See ARCHITECTURE.md, "Gomory cuts".
const GOMORY_ROUNDS: usize = 6;
/// With Gomory rounds left, a hull round that moved the bound by less than this (relative)
/// hands over to a Gomory round: measured on the 10,000-candidate hard province, hull rounds 8
/// to 20 took 13 s for 0.023 in all, one Gomory round 0.12.
const GOMORY_SWITCH: f64 = 1e-6;
/// Pricing rounds that add at most this many columns re-solve with the primal simplex (see
/// `SubModel::set_primal`), larger ones with the dual. Measured on province-hard: the primal
/// took 0.04–0.16 s where the dual took 0.3–0.4 s for 1–30 new columns, but 0.7 s against 0.4 s
/// for 380, and 2.6–8.9 s against 0.5–0.9 s for 16,774. On national-hard (453 k LP columns):
/// primal 0.2–1.9 s against dual 5.5–6.9 s for 1–91 columns, about even at 129–208 (4.4–5.2 s
/// against 6.0–6.9 s), worse at 1,614–1,696 (13.3–15.6 s against 6.8–9.3 s).
const PRIMAL_UP_TO: usize = 100;

/// Sizes of one fast solve, for `--stats`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PricingStats {
    pub lp_rounds: usize,
    pub lp_columns: usize,
    pub mip_columns: usize,
    pub lp_bound: f64,
    pub lp_integral: bool,
    /// The LP bound before any cut (the plain LP relaxation's optimum).
    pub lp_bound_uncut: f64,
    /// Cuts added (hull cuts, see `cuts`, and Gomory cuts, see `gomory`), and the rounds that
    /// added them.
    pub cuts: usize,
    pub cut_rounds: usize,
    /// Of those cuts, the Gomory cuts (see `gomory`).
    pub gomory_cuts: usize,
    /// The cuts themselves (hull and Gomory, in the LP's order).
    pub cut_rows: Vec<CutRow>,
    /// The LP-guided heuristic's plan value, if it found one (see `heuristic`).
    pub heuristic: Option<f64>,
    /// Proof MIPs run (more than one when a narrowed or too narrow set had to widen).
    pub mip_runs: usize,
    /// Whether the last proof MIP was a band MIP (`proof::band`: after a narrowed MIP that
    /// did not prove itself, only plans using a column it lacked).
    pub band_mip: bool,
    /// When Gomory rounds ran: the integer columns the hull-cut LP before them priced near
    /// zero (the heuristic's first MIP's columns, `heuristic::near_zero`). A re-solve's LP
    /// carries the Gomory rows, whose reduced costs steer its heuristic away from the plans
    /// the hull-cut LP leads to; a `resolve::Base` hands these to its re-solves' heuristics.
    pub hull_near_zero: Vec<u32>,
    /// Whether the heuristic's plan reached the bound known beforehand
    /// (`ResolveHints::at_most`), which proved it optimal without a proof MIP.
    pub at_most_proved: bool,
}

/// A cut a solve found: `Σ coef·x[column] >= lower` over model columns (`entries`: (column,
/// coef)), valid for every plan of the model (tests check it against every enumerated plan).
/// `tableau`: a Gomory cut (`gomory`), else a hull cut (`cuts`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CutRow {
    pub lower: f64,
    pub entries: Vec<(u32, f64)>,
    pub tableau: bool,
}

/// What a re-solve needs from the final pricing LP (the full LP: no column prices in): the
/// restricted column set, sign-feasible row duals `y`, reduced costs `d` of every model column and
/// the Lagrangian bound `L` of `y` (every plan is worth at most `L`; one that uses column j at 1
/// at most `L + min(d_j, 0)`, see `resolve`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LpDuals {
    /// Model columns of the final LP, ascending.
    pub columns: Vec<u32>,
    /// One per model row.
    pub duals: Vec<f64>,
    /// One per model column.
    pub reduced_costs: Vec<f64>,
    /// The Lagrangian bound `L`.
    pub bound: f64,
    /// The final LP's basis (HiGHS status codes per entry of `columns`, and per model row),
    /// for warm re-solves; `None` when HiGHS gave none.
    pub basis: Option<(Vec<i32>, Vec<i32>)>,
}

/// HiGHS basis status of a column at its lower bound (`kLower`), and of a basic variable.
const AT_LOWER: i32 = 0;
const BASIC: i32 = 1;

/// The fast path's answer: an outcome over all model columns, or `None` to hand over to the
/// direct model.
pub(super) fn solve(
    m: &Model,
    opts: &SolveOptions,
    stats: &mut PricingStats,
) -> Result<Option<Outcome>, String> {
    solve_keeping(m, opts, stats, None, None)
}

/// A warm start for [`solve_keeping`].
pub struct Warm<'a> {
    /// The final LP of a base model whose rows are the first rows of the model re-solved.
    pub lp: &'a LpDuals,
    /// More columns for the first restricted set (e.g. forced ones).
    pub extra: &'a [u32],
    /// The model's matrix by column, when the caller has it already (it must be the matrix of
    /// the model re-solved: same rows and entries; bounds may differ). Saves rebuilding it.
    pub matrix: Option<&'a super::ColumnMatrix>,
}

/// One fast-path solve's context: the model, the options, the clock and whether to trace;
/// the pricing loop here and the proof MIPs (`search`) share it.
pub(super) struct Run<'a> {
    pub m: &'a Model,
    pub opts: &'a SolveOptions,
    /// When the solve started: `opts.time_limit` counts from here.
    pub start: Instant,
    /// Whether `POSTFIT_SOLVER_LOG` is set: then [`Run::log`] traces on stderr.
    pub trace: bool,
}

impl Run<'_> {
    /// Seconds left of `opts.time_limit` (at least 0.01), `None` without a limit.
    pub(super) fn remaining(&self) -> Option<f64> {
        self.opts
            .time_limit
            .map(|t| (t - self.start.elapsed().as_secs_f64()).max(0.01))
    }

    /// A HiGHS call with the time left; MIP gaps from the options when `integer_gap`, else 0.
    pub(super) fn call(&self, integer_gap: bool) -> CallOptions {
        CallOptions {
            time_limit: self.remaining(),
            mip_rel_gap: if integer_gap {
                self.opts.mip_rel_gap
            } else {
                0.0
            },
            mip_abs_gap: if integer_gap {
                self.opts.mip_abs_gap
            } else {
                0.0
            },
        }
    }

    /// One trace line on stderr (seconds since the start), when tracing.
    pub(super) fn log(&self, what: &str) {
        if self.trace {
            eprintln!(
                "[fast {:>8.3} s] {what}",
                self.start.elapsed().as_secs_f64()
            );
        }
    }

    /// A progress report (values in the plan's objective: the model's plus its constant).
    pub(super) fn report(
        &self,
        phase: Phase,
        columns: usize,
        bound: Option<f64>,
        best: Option<f64>,
    ) {
        if let Some(sink) = &self.opts.progress {
            sink.report(&SolveProgress {
                phase,
                columns,
                bound: bound.map(|b| b + self.m.constant),
                best: best.map(|b| b + self.m.constant),
            });
        }
    }

    /// Whether the command's deadline has passed (issue 7 item 3).
    pub(super) fn out_of_time(&self) -> bool {
        self.opts.deadline.is_some_and(|d| d.passed())
    }
}

/// [`solve`] with a warm start and the final LP kept.
///
/// `warm`: the LP of a base model whose rows are the first rows of `m` (a
/// re-solve appends rows, e.g. `Forced`): the first restricted set is the base's final LP columns
/// plus `extra` (instead of the per-row heuristic set, which the base's final columns contain),
/// started from the base's basis (appended rows basic, new columns at their lower bound), so the
/// dual simplex needs only a few pivots. Answers do not depend on `warm`: it only saves time.
/// `keep` (when given) is set once the LP is priced out, before any MIP.
pub(super) fn solve_keeping(
    m: &Model,
    opts: &SolveOptions,
    stats: &mut PricingStats,
    warm: Option<&Warm>,
    keep: Option<&mut Option<LpDuals>>,
) -> Result<Option<Outcome>, String> {
    let run = Run {
        m,
        opts,
        start: Instant::now(),
        trace: std::env::var_os("POSTFIT_SOLVER_LOG").is_some(),
    };
    let call = |integer_gap: bool| run.call(integer_gap);
    let log = |what: &str| run.log(what);
    let report = |phase: Phase, columns: usize, bound: Option<f64>, best: Option<f64>| {
        run.report(phase, columns, bound, best)
    };
    // The least LP bound proven so far (a priced-out LP, with or without cuts).
    let mut lp_bound: Option<f64> = None;
    // The caller's matrix when it has one (re-solves), else built here; `&csc` derefs to `&Csc`.
    let csc: std::borrow::Cow<Csc> = match warm.and_then(|w| w.matrix) {
        Some(matrix) => std::borrow::Cow::Borrowed(&matrix.0),
        None => std::borrow::Cow::Owned(Csc::from_model(m)),
    };
    let n = m.columns.len();
    let (entries, bytes) = csc.size();
    log(&format!(
        "{n} columns by column: {entries} entries, {:.0} MB",
        bytes as f64 / 1e6
    ));
    // The command's deadline (issue 7 item 3): the long steps outside HiGHS look at it too.
    let out_of_time = || run.out_of_time();
    if out_of_time() {
        return Ok(Some(Outcome::NoSolution { bound: None }));
    }

    // 1. The first restricted set.
    let mut in_r = match warm {
        None => initial::initial_set(m, opts.per_row.max(1)),
        Some(Warm {
            lp: base, extra, ..
        }) => {
            let mut in_r: Vec<bool> = m
                .columns
                .iter()
                .map(|c| matches!(c.kind, ColumnKind::Shortfall { .. }))
                .collect();
            for &j in base.columns.iter().chain(extra.iter()) {
                if let Some(x) = in_r.get_mut(j as usize) {
                    *x = true;
                }
            }
            in_r
        }
    };
    let cols: Vec<u32> = (0..n as u32).filter(|&j| in_r[j as usize]).collect();
    log(&format!("first restricted set: {} columns", cols.len()));
    if out_of_time() {
        return Ok(Some(Outcome::NoSolution { bound: None }));
    }

    // 2. LP pricing rounds; once no column prices in, rounds of hull cuts on the soft team
    //    units, each followed by pricing again. A re-solve starts from its base's final basis
    //    (the base's cut rows, if any, are not in this LP: their statuses are dropped, and
    //    HiGHS refuses a basis that is then inconsistent, which only means a cold start).
    let max_cut_rounds = opts.resolve.cut_rounds.unwrap_or(CUT_ROUNDS);
    let mut cuts = Cuts::default();
    let mut lp = SubModel::with_cuts(m, &csc, &cuts, cols, false)?;
    log("first LP loaded");
    if let Some(Warm {
        lp:
            LpDuals {
                columns,
                basis: Some((col_status, row_status)),
                ..
            },
        ..
    }) = warm
    {
        if col_status.len() == columns.len() {
            let mut status = vec![AT_LOWER; n];
            for (&j, &st) in columns.iter().zip(col_status) {
                status[j as usize] = st;
            }
            let cols: Vec<i32> = lp.cols.iter().map(|&j| status[j as usize]).collect();
            let mut rows = row_status.clone();
            rows.resize(m.rows.len(), BASIC);
            let accepted = lp.set_basis(&cols, &rows);
            log(&format!("warm basis accepted: {accepted}"));
        }
    }
    // Whether the restricted set holds the per-row set (always, unless warm-started).
    let mut covered = warm.is_none();
    // The LP bound at each cut round (to stop when cuts stall).
    let mut cut_values: Vec<f64> = Vec::new();
    // Gomory rounds so far, and at most.
    let mut gomory_rounds = 0usize;
    let max_gomory_rounds = opts.gomory_rounds.unwrap_or_else(|| {
        std::env::var("POSTFIT_GOMORY_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(GOMORY_ROUNDS)
    });
    // The hull-cut LP before the first Gomory round: its columns, values and reduced costs
    // guide the heuristic (see below).
    let mut before_gomory: Option<(Vec<u32>, Vec<f64>, Vec<f64>)> = None;
    // Reduced costs of every column, one buffer for all rounds.
    let mut d: Vec<f64> = Vec::new();
    // The cut units are built on a thread of their own while the first pricing rounds run
    // (HiGHS's LP takes one core; national-hard's units took 14.5 s before its first LP). Units
    // do not depend on the LP, so answers do not depend on when they are ready. Not inside a
    // rayon worker (the re-solves of slates, explain and sweeps run in the pool): a worker
    // blocked on a thread whose parallel loops wait for a free worker would deadlock the pool
    // (seen: `explain --post` hung at 0% CPU), so there they are built at once. Inside the
    // scope an early answer is `Ok(Err(outcome))`.
    type Priced = Result<(Vec<f64>, Vec<f64>), Option<Outcome>>;
    let build = || {
        if max_cut_rounds == 0 {
            (Vec::new(), Vec::new())
        } else {
            (
                cuts::units(m, &csc, &out_of_time),
                global::global_units(m, &csc),
            )
        }
    };
    let priced = std::thread::scope(|scope| -> Result<Priced, String> {
        let mut cut_units = if rayon::current_thread_index().is_some() {
            CutUnits::ready(build(), &log)
        } else {
            CutUnits::Building(scope.spawn(build))
        };
        let (lp_values, y) = loop {
            // Out of time between rounds (pricing, cut separation and model edits run outside
            // HiGHS and its interrupt): no plan yet, and no valid bound either.
            if out_of_time() {
                return Ok(Err(Some(Outcome::NoSolution { bound: None })));
            }
            stats.lp_rounds += 1;
            let t_lp = Instant::now();
            let (values, y) = match lp.run(&call(false))? {
                SubResult::Solved {
                    values, row_duals, ..
                } => (values, row_duals),
                // Out of time while pricing: no plan yet, and no valid bound either.
                SubResult::Stopped { .. } => {
                    return Ok(Err(Some(Outcome::NoSolution { bound: None })))
                }
                // A warm start's columns may not cover the rows (a sweep variant with a new
                // must-fill post has none of its pairs): add the per-row set a cold start begins
                // with and solve again. Hard city with a must-fill copy of a post: 2.4 s instead of
                // 62 s in the direct model (session 11).
                SubResult::Infeasible if !covered => {
                    covered = true;
                    let more: Vec<u32> = initial::initial_set(m, opts.per_row.max(1))
                        .iter()
                        .enumerate()
                        .filter(|&(j, &x)| x && !in_r[j])
                        .map(|(j, _)| j as u32)
                        .collect();
                    log(&format!(
                        "warm-started LP infeasible: {} columns of the per-row set added",
                        more.len()
                    ));
                    for &j in &more {
                        in_r[j as usize] = true;
                    }
                    lp.add_columns_with_cuts(m, &csc, &cuts, &more)?;
                    continue;
                }
                // The restricted LP may lack columns a feasible plan needs: hand over.
                SubResult::Infeasible => return Ok(Err(None)),
            };
            log(&format!(
                "LP round {}: {} columns solved (HiGHS {:.3} s)",
                stats.lp_rounds,
                lp.cols.len(),
                t_lp.elapsed().as_secs_f64()
            ));
            report(Phase::Pricing, lp.cols.len(), lp_bound, None);
            let t_price = Instant::now();
            let y = sign_feasible(m, &cuts, y);
            reduced_costs_into(m, &csc, &cuts, &y, &mut d);
            let mut entering: Vec<u32> = (0..n as u32)
                .into_par_iter()
                .filter(|&j| !in_r[j as usize] && d[j as usize] > PRICE_TOL)
                .collect();
            log(&format!(
                "reduced costs and entering: {:.3} s",
                t_price.elapsed().as_secs_f64()
            ));
            if entering.is_empty() {
                let (units, globals, refinements) = cut_units.get(&log)?;
                let value: f64 = lp
                    .cols
                    .iter()
                    .zip(&values)
                    .map(|(&j, &v)| m.columns[j as usize].objective * v)
                    .sum();
                lp_bound = Some(lp_bound.map_or(value, |b: f64| b.min(value)));
                report(Phase::Cuts, lp.cols.len(), lp_bound, None);
                if stats.cut_rounds == 0 {
                    stats.lp_bound_uncut = lagrangian_bound(m, &cuts, &y, &d);
                }
                // Two rounds in a row that moved the bound by less than CUT_STALL (relative) end
                // the cuts: late rounds re-find a cut or two that the LP absorbs without moving.
                cut_values.push(value);
                let stalled = cut_values.len() >= 3
                    && cut_values[cut_values.len() - 3..]
                        .windows(2)
                        .all(|w| w[0] - w[1] < CUT_STALL * w[1].abs().max(1.0));
                let late = !cut_round_may_start(
                    opts.time_limit,
                    run.start.elapsed().as_secs_f64(),
                    stats.cut_rounds,
                );
                let cuttable = !units.is_empty() || !globals.is_empty();
                // Gomory rounds once the hull cuts find nothing more or stall (`gomory`).
                let tableau = max_cut_rounds > 0 && gomory_rounds < max_gomory_rounds && !late;
                // ... or move the bound too little for their time (GOMORY_SWITCH).
                let slow = tableau
                    && cut_values.len() >= 2
                    && cut_values[cut_values.len() - 2] - value
                        < GOMORY_SWITCH * value.abs().max(1.0);
                let hull =
                    stats.cut_rounds < max_cut_rounds && cuttable && !stalled && !late && !slow;
                if hull || tableau {
                    stats.cut_rounds += 1;
                    let x = expand(&lp.cols, &values, n);
                    let t_sep = Instant::now();
                    let mut found = Vec::new();
                    if hull {
                        found = cuts::separate(m, &csc, units, refinements, &x, &out_of_time);
                        found.extend(global::separate(m, globals, &x));
                    }
                    let t_team = t_sep.elapsed().as_secs_f64();
                    let gomory_round = found.is_empty() && tableau;
                    if gomory_round {
                        if gomory_rounds == 0 {
                            before_gomory = Some((lp.cols.clone(), values.clone(), d.clone()));
                        }
                        gomory_rounds += 1;
                        found = gomory::separate(m, &csc, &cuts, &lp, &x);
                        stats.gomory_cuts += found.len();
                    }
                    // Before the cut rows are loaded, which takes a map over every column too
                    // (national-hard: 200 MB and 100 MB, the peak of the solve when both lived).
                    drop(x);
                    log(&format!(
                    "cut round {}: {} {} cuts of {} entries (LP {}), separated in {:.3} s ({t_team:.3} s hull)",
                    stats.cut_rounds,
                    found.len(),
                    if gomory_round { "Gomory" } else { "hull" },
                    found.iter().map(|c| c.entries.len()).sum::<usize>(),
                    value,
                    t_sep.elapsed().as_secs_f64()
                ));
                    if !found.is_empty() {
                        lp.add_cut_rows(n, &found)?;
                        log("cut rows in the LP");
                        for c in found {
                            if gomory_round {
                                cuts.add_tableau(c);
                            } else {
                                cuts.add(c);
                            }
                        }
                        lp.set_primal(false);
                        log("cut rows added");
                        continue;
                    }
                }
                break (values, y);
            }
            // The most attractive (ties by index, so runs repeat exactly), at most a batch.
            log(&format!("{} columns price in", entering.len()));
            let batch = (2 * m.rows.len()).max(500);
            let more_attractive =
                |a: &u32, b: &u32| d[*b as usize].total_cmp(&d[*a as usize]).then(a.cmp(b));
            if entering.len() > batch {
                entering.select_nth_unstable_by(batch - 1, more_attractive);
                entering.truncate(batch);
            }
            entering.sort_unstable();
            for &j in &entering {
                in_r[j as usize] = true;
            }
            let t_add = Instant::now();
            lp.add_columns_with_cuts(m, &csc, &cuts, &entering)?;
            lp.set_primal(entering.len() <= PRIMAL_UP_TO);
            log(&format!(
                "{} columns added: {:.3} s",
                entering.len(),
                t_add.elapsed().as_secs_f64()
            ));
        };
        Ok(Ok((lp_values, y)))
    });
    // Only the pricing rounds need the units (national-hard: about 0.3 GB); the scope dropped
    // them.
    let (lp_values, y) = match priced? {
        Ok(priced) => priced,
        Err(early) => return Ok(early),
    };
    drop(in_r);
    stats.lp_columns = lp.cols.len();
    stats.cuts = cuts.len();
    stats.cut_rows = cuts
        .rows
        .iter()
        .zip(cuts.tableau_flags())
        .map(|(c, &tableau)| CutRow {
            lower: c.lower,
            entries: c.entries.clone(),
            tableau,
        })
        .collect();
    reduced_costs_into(m, &csc, &cuts, &y, &mut d);
    let lagrangian = lagrangian_bound(m, &cuts, &y, &d);
    stats.lp_bound = lagrangian;
    // The reduced costs move into what is kept, and are read from there from now on: one copy
    // (national-hard: 25 M columns, 200 MB).
    let d: &[f64] = if let Some(keep) = keep {
        let mut order: Vec<usize> = (0..lp.cols.len()).collect();
        order.sort_unstable_by_key(|&k| lp.cols[k]);
        let columns: Vec<u32> = order.iter().map(|&k| lp.cols[k]).collect();
        let basis = lp
            .basis()
            .map(|(c, r)| (order.iter().map(|&k| c[k]).collect(), r));
        *keep = Some(LpDuals {
            basis,
            columns,
            duals: y.clone(),
            reduced_costs: std::mem::take(&mut d),
            bound: lagrangian,
        });
        keep.as_ref().map_or(&[][..], |k| &k.reduced_costs)
    } else {
        &d
    };

    // 3. An integral LP optimum is the integer optimum (columns outside the LP are 0).
    let integral = lp
        .cols
        .iter()
        .zip(&lp_values)
        .all(|(&j, &v)| !m.columns[j as usize].integer || (v - v.round()).abs() <= 1e-9);
    if integral {
        stats.lp_integral = true;
        let mut full = expand(&lp.cols, &lp_values, n);
        for (c, v) in m.columns.iter().zip(full.iter_mut()) {
            if c.integer {
                *v = v.round();
            }
        }
        let objective = objective_of(m, &full);
        return Ok(Some(Outcome::Optimal {
            values: full,
            objective,
            bound: lagrangian.max(objective),
        }));
    }

    // A caller that only asks whether the optimum reaches `cutoff` has its answer: no.
    if opts.cutoff.is_some_and(|c| lagrangian < c) {
        log("the LP bound is below the cutoff: stop");
        return Ok(Some(Outcome::NoSolution {
            bound: Some(lagrangian),
        }));
    }

    // 4. The heuristic's plan and the proof MIPs (`search`).
    // The LP's columns and values are all the heuristic needs of the LP.
    let lp_cols = std::mem::take(&mut lp.cols);
    drop(lp);
    crate::memory::give_back_after(n);
    let heuristic_lp = match before_gomory {
        Some((c, v, dd)) => {
            drop((lp_cols, lp_values));
            (c, v, Some(dd))
        }
        None => (lp_cols, lp_values, None),
    };
    super::search::search(&run, &csc, cuts, d, lagrangian, heuristic_lp, stats)
}

/// The best plan so far (if any) with a proven `bound` on every plan: `feasible` (the bound
/// never below the plan's value) or `no_solution` with the bound.
pub(super) fn unproven(m: &Model, incumbent: Option<Vec<f64>>, bound: f64) -> Outcome {
    match incumbent {
        Some(values) => {
            let z = objective_of(m, &values);
            Outcome::Feasible {
                values,
                objective: z,
                bound: bound.max(z),
            }
        }
        None => Outcome::NoSolution { bound: Some(bound) },
    }
}

/// The better of two plans over all model columns (the first on ties), or the one there is.
pub(super) fn better(m: &Model, a: Option<Vec<f64>>, b: Option<Vec<f64>>) -> Option<Vec<f64>> {
    match (a, b) {
        (Some(a), Some(b)) if objective_of(m, &b) > objective_of(m, &a) => Some(b),
        (Some(a), _) => Some(a),
        (None, b) => b,
    }
}

/// The objective of a plan over all model columns, or −∞ without one.
pub(super) fn incumbent_value(m: &Model, x: Option<&[f64]>) -> f64 {
    x.map_or(f64::NEG_INFINITY, |x| objective_of(m, x))
}

/// Zeroes duals whose sign would make the Lagrangian bound infinite (solver tolerance noise):
/// a row without an upper bound gets no positive dual, one without a lower bound no negative.
/// Cut rows (after the model's rows) have no upper bound.
pub(super) fn sign_feasible(m: &Model, cuts: &Cuts, mut y: Vec<f64>) -> Vec<f64> {
    for (yi, row) in y.iter_mut().zip(&m.rows) {
        if (*yi > 0.0 && !row.upper.is_finite()) || (*yi < 0.0 && !row.lower.is_finite()) {
            *yi = 0.0;
        }
    }
    for yi in &mut y[m.rows.len()..m.rows.len() + cuts.len()] {
        if *yi > 0.0 {
            *yi = 0.0;
        }
    }
    y
}

/// `Σ_i y_i·(bound of row i on y's side) + Σ_j max(0, d_j)·u_j`: an upper bound on the objective
/// of every plan, for any sign-feasible duals y. Cut rows count like rows: every plan keeps them
/// (`cuts` proves it), so the bound holds for every plan.
pub(super) fn lagrangian_bound(m: &Model, cuts: &Cuts, y: &[f64], d: &[f64]) -> f64 {
    let rows: f64 = m
        .rows
        .iter()
        .zip(y)
        .map(|(r, &yi)| {
            if yi > 0.0 {
                yi * r.upper
            } else if yi < 0.0 {
                yi * r.lower
            } else {
                0.0
            }
        })
        .sum::<f64>()
        + cuts
            .rows
            .iter()
            .zip(&y[m.rows.len()..])
            .map(|(c, &yk)| if yk < 0.0 { yk * c.lower } else { 0.0 })
            .sum::<f64>();
    let cols: f64 = m
        .columns
        .iter()
        .zip(d)
        .map(|(c, &dj)| dj.max(0.0) * c.upper)
        .sum();
    rows + cols
}

pub(super) fn expand(cols: &[u32], values: &[f64], n: usize) -> Vec<f64> {
    let mut full = vec![0.0; n];
    for (k, &j) in cols.iter().enumerate() {
        full[j as usize] = values[k];
    }
    full
}

pub(super) fn objective_of(m: &Model, x: &[f64]) -> f64 {
    m.columns.iter().zip(x).map(|(c, v)| c.objective * v).sum()
}

/// The soft team units and placement-scope rows the cut rounds separate, with the units'
/// refinements: still being built on a scoped thread (see `solve_keeping`), or ready.
enum CutUnits<'s> {
    Building(std::thread::ScopedJoinHandle<'s, (Vec<cuts::Unit>, Vec<global::GlobalUnit>)>),
    Ready {
        units: Vec<cuts::Unit>,
        globals: Vec<global::GlobalUnit>,
        refinements: cuts::Refinements,
    },
}

impl<'s> CutUnits<'s> {
    /// Built units, logged once.
    fn ready(
        (units, globals): (Vec<cuts::Unit>, Vec<global::GlobalUnit>),
        log: &dyn Fn(&str),
    ) -> Self {
        log(&format!(
            "{} soft team units and {} placement-scope rows to cut",
            units.len(),
            globals.len()
        ));
        let refinements = vec![Default::default(); units.len()];
        CutUnits::Ready {
            units,
            globals,
            refinements,
        }
    }

    /// The units, waiting for the thread that builds them if need be. Errors: that thread
    /// panicked.
    #[allow(clippy::type_complexity)]
    fn get(
        &mut self,
        log: &dyn Fn(&str),
    ) -> Result<(&[cuts::Unit], &[global::GlobalUnit], &mut cuts::Refinements), String> {
        if let CutUnits::Building(_) = self {
            let CutUnits::Building(handle) = std::mem::replace(
                self,
                CutUnits::Ready {
                    units: Vec::new(),
                    globals: Vec::new(),
                    refinements: Vec::new(),
                },
            ) else {
                unreachable!("matched above")
            };
            let built = handle
                .join()
                .map_err(|_| "building the cut units failed".to_string())?;
            *self = CutUnits::ready(built, log);
        }
        match self {
            CutUnits::Ready {
                units,
                globals,
                refinements,
            } => Ok((units, globals, refinements)),
            CutUnits::Building(_) => unreachable!("joined above"),
        }
    }
}

/// Whether a cut round may start `used` seconds into the fast path after `rounds` cut rounds,
/// under the time limit `limit` (seconds; `None`: always). A round starts only in the first
/// half of the limit, and rounds past the first [`CUT_ROUNDS_ANYWAY`] only in its first
/// quarter, so the heuristic and the proof keep at least half. Measured on national-hard
/// (`--time-limit 300`): its 20 rounds once ran to 251 s and left the heuristic 42 s (plan
/// 4068.0 instead of 4134.2); in session 15 its pricing alone took 129 s, six rounds ran to
/// 272 s and the heuristic's 7 s found no plan at all (exit 4). With this rule: one round,
/// the heuristic's plan 4132.312 at 204 s, exit 0.
fn cut_round_may_start(limit: Option<f64>, used: f64, rounds: usize) -> bool {
    limit.is_none_or(|t| used <= t / 2.0 && (rounds < CUT_ROUNDS_ANYWAY || used <= t / 4.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Column;

    /// A time-capped proof MIP may end with a plan worse than the incumbent (its set can lack
    /// one of the incumbent's columns, and HiGHS then drops the incumbent as a start); the
    /// unproven answer keeps the better plan (province-hard answered 1498.62 while the
    /// heuristic had 1499.88).
    #[test]
    fn the_unproven_answer_keeps_the_better_plan() {
        let pair = |p: u32, objective: f64| Column {
            kind: ColumnKind::Pair(p),
            objective,
            upper: 1.0,
            integer: true,
        };
        let m = Model {
            columns: vec![pair(0, 1.0), pair(1, 2.0)],
            ..Default::default()
        };
        let (worse, best) = (vec![1.0, 0.0], vec![0.0, 1.0]);
        assert_eq!(
            better(&m, Some(worse.clone()), Some(best.clone())),
            Some(best.clone())
        );
        assert_eq!(
            better(&m, Some(best.clone()), Some(worse.clone())),
            Some(best.clone())
        );
        assert_eq!(better(&m, None, Some(worse.clone())), Some(worse.clone()));
        assert_eq!(better(&m, Some(worse.clone()), None), Some(worse.clone()));
        match unproven(&m, better(&m, Some(worse), Some(best)), 3.0) {
            Outcome::Feasible {
                objective, bound, ..
            } => assert_eq!((objective, bound), (2.0, 3.0)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cut_rounds_leave_half_the_time_limit() {
        // No limit: always.
        assert!(cut_round_may_start(None, 1e6, 100));
        // The first rounds run in the first half, not after it.
        assert!(cut_round_may_start(Some(300.0), 149.0, 0));
        assert!(!cut_round_may_start(Some(300.0), 151.0, 0));
        assert!(!cut_round_may_start(Some(300.0), 272.0, 5));
        // Later rounds only in the first quarter.
        assert!(cut_round_may_start(Some(300.0), 74.0, CUT_ROUNDS_ANYWAY));
        assert!(!cut_round_may_start(Some(300.0), 76.0, CUT_ROUNDS_ANYWAY));
        assert!(cut_round_may_start(
            Some(300.0),
            76.0,
            CUT_ROUNDS_ANYWAY - 1
        ));
    }
}
