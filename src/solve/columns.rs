//! Column-wise HiGHS models over a subset of a `Model`'s columns: the fast loader (no expression
//! building), LP re-solves that keep their basis when columns are added, and reduced costs for
//! every column of the full model from the LP duals.

use std::sync::mpsc;
use std::time::Duration;

use highs::{ColProblem, HighsModelStatus, Sense};

use super::cuts::{Cut, Cuts};
use crate::model::{Model, RowKind};

/// The model's matrix by column (see `matrix`).
pub(crate) use super::matrix::Csc;

/// Options common to every HiGHS call of the fast path.
pub(super) struct CallOptions {
    pub time_limit: Option<f64>,
    pub mip_rel_gap: f64,
    pub mip_abs_gap: f64,
}

/// A HiGHS model holding a subset of the columns (in the order given), all rows.
pub(super) struct SubModel {
    /// Model column index of each HiGHS column.
    pub cols: Vec<u32>,
    model: highs::Model,
    /// Whether any column is integer (else HiGHS solves an LP and has no MIP bound).
    is_mip: bool,
    /// HiGHS's `simplex_strategy` for the next LP run (see [`SubModel::set_primal`]).
    simplex_strategy: i32,
    /// HiGHS's `presolve` option for MIP runs: "off" unless [`SubModel::set_presolve`].
    presolve: &'static str,
    /// False when the model says its MIPs skip presolve (`Model::skip_mip_presolve`).
    presolve_allowed: bool,
    /// HiGHS's `mip_feasibility_tolerance` for MIP runs: 1e-9 unless [`SubModel::set_loose`].
    mip_feasibility: f64,
    /// Stops HiGHS at the time limit of each run, also inside a long node (declared after
    /// `model`, so dropped after it).
    interrupt: super::interrupt::Interrupt,
    /// A run overran its time limit and was left to its thread ([`watched`]).
    abandoned: bool,
}

/// The answer of one HiGHS call on a sub-model.
pub(super) enum SubResult {
    /// Solved (LP optimal, or MIP optimal within gaps): values per sub-model column, objective,
    /// bound, row duals (LP only).
    Solved {
        values: Vec<f64>,
        objective: f64,
        bound: f64,
        row_duals: Vec<f64>,
    },
    /// Stopped by the time limit; the best plan if any, and the proven bound.
    Stopped {
        values: Option<Vec<f64>>,
        objective: Option<f64>,
        bound: Option<f64>,
    },
    Infeasible,
}

impl SubModel {
    /// Loads the columns `cols` of `m` (as integers when `integer`) column-wise into HiGHS.
    #[allow(dead_code)]
    pub(super) fn new(
        m: &Model,
        csc: &Csc,
        cols: Vec<u32>,
        integer: bool,
    ) -> Result<SubModel, String> {
        Self::with_cuts(m, csc, &Cuts::default(), cols, integer)
    }

    /// Like [`SubModel::new`], with the cut rows of `cuts` after the model's rows (HiGHS row
    /// `m.rows.len() + k` is cut k).
    pub(super) fn with_cuts(
        m: &Model,
        csc: &Csc,
        cuts: &Cuts,
        cols: Vec<u32>,
        integer: bool,
    ) -> Result<SubModel, String> {
        let mut pb = ColProblem::default();
        let is_mip = integer && cols.iter().any(|&j| m.columns[j as usize].integer);
        // A MIP leaves the model's Gomory rows (an earlier solve's, see `RowKind::Cut`) out, as
        // `Cuts::for_mip` leaves out this solve's: valid inequalities never change a MIP's
        // optimum, and these are dense (measured on a hard-province slate: a re-solve's
        // heuristic MIP took 126 s with them).
        let mut rows: Vec<Option<highs::Row>> = m
            .rows
            .iter()
            .map(|r| {
                let dense = is_mip && r.kind == RowKind::Cut { tableau: true };
                (!dense).then(|| pb.add_row(r.lower..=r.upper))
            })
            .collect();
        rows.extend(cuts.rows.iter().map(|c| Some(pb.add_row(c.lower..))));
        let base = m.rows.len();
        let in_cuts = cuts.by_column(&cols, m.columns.len());
        for (&j, in_cuts) in cols.iter().zip(&in_cuts) {
            let col = &m.columns[j as usize];
            let factors = csc
                .column(j as usize)
                .filter_map(|(i, v)| Some((rows[i]?, v)))
                .chain(
                    in_cuts
                        .iter()
                        .filter_map(|&(k, v)| Some((rows[base + k as usize]?, v))),
                );
            pb.add_column_with_integrality(
                col.objective,
                0.0..=col.upper,
                factors,
                integer && col.integer,
            );
        }
        if is_mip {
            dump_sidecar(m, cuts, &cols);
        }
        let mut model = pb
            .try_optimise(Sense::Maximise)
            .map_err(|e| format!("HiGHS rejected the model: {e:?}"))?;
        configure(&mut model);
        let interrupt = super::interrupt::Interrupt::install(model.as_mut_ptr())?;
        Ok(SubModel {
            cols,
            model,
            is_mip,
            simplex_strategy: DUAL,
            presolve: "off",
            presolve_allowed: !m.skip_mip_presolve,
            mip_feasibility: TIGHT,
            interrupt,
            abandoned: false,
        })
    }

    /// Adds more (continuous) columns with their coefficients in the model's rows and in the
    /// cut rows already added (`cuts` must hold exactly those); a following LP solve starts
    /// from the previous basis. Errors: HiGHS rejects the columns.
    pub(super) fn add_columns_with_cuts(
        &mut self,
        m: &Model,
        csc: &Csc,
        cuts: &Cuts,
        more: &[u32],
    ) -> Result<(), String> {
        // Raw HiGHS indices: model row i is row i, cut k is row `m.rows.len() + k` (an LP has
        // every model row; a MIP may lack Gomory rows, see `with_cuts`). One call for all
        // columns (HiGHS updates its model once, not once a column).
        debug_assert!(!self.is_mip, "columns are added to LPs only");
        if more.is_empty() {
            return Ok(());
        }
        let base = m.rows.len();
        let (mut costs, mut upper) = (
            Vec::with_capacity(more.len()),
            Vec::with_capacity(more.len()),
        );
        let mut starts: Vec<i32> = Vec::with_capacity(more.len());
        let (mut idx, mut val): (Vec<i32>, Vec<f64>) = (Vec::new(), Vec::new());
        let in_cuts = cuts.by_column(more, m.columns.len());
        for (&j, in_cuts) in more.iter().zip(&in_cuts) {
            let col = &m.columns[j as usize];
            costs.push(col.objective);
            upper.push(col.upper);
            starts.push(idx.len() as i32);
            for (i, v) in csc.column(j as usize) {
                idx.push(i as i32);
                val.push(v);
            }
            for &(k, v) in in_cuts {
                idx.push((base + k as usize) as i32);
                val.push(v);
            }
        }
        let lower = vec![0.0; more.len()];
        // SAFETY: the pointer is this live HiGHS instance; costs, lower, upper and starts have
        // more.len() entries, idx and val idx.len(), each index a row HiGHS holds.
        let status = unsafe {
            highs_sys::Highs_addCols(
                self.model.as_mut_ptr(),
                more.len() as i32,
                costs.as_ptr(),
                lower.as_ptr(),
                upper.as_ptr(),
                idx.len() as i32,
                starts.as_ptr(),
                idx.as_ptr(),
                val.as_ptr(),
            )
        };
        if status == highs_sys::kHighsStatusError {
            return Err("HiGHS rejected the columns".into());
        }
        self.cols.extend_from_slice(more);
        Ok(())
    }

    /// Adds cut rows (entries on model columns; those not in this sub-model are left out). The
    /// caller adds the same cuts to its [`Cuts`], in the same order, for later columns.
    pub(super) fn add_cut_rows(&mut self, n_model_cols: usize, cuts: &[Cut]) -> Result<(), String> {
        if cuts.is_empty() {
            return Ok(());
        }
        let mut position = vec![u32::MAX; n_model_cols];
        for (k, &j) in self.cols.iter().enumerate() {
            position[j as usize] = k as u32;
        }
        // One call for all rows (HiGHS updates its model once, not once a row).
        let lower: Vec<f64> = cuts.iter().map(|c| c.lower).collect();
        let upper = vec![f64::INFINITY; cuts.len()];
        let mut starts: Vec<i32> = Vec::with_capacity(cuts.len());
        let (mut idx, mut val): (Vec<i32>, Vec<f64>) = (Vec::new(), Vec::new());
        for cut in cuts {
            starts.push(idx.len() as i32);
            for &(j, v) in &cut.entries {
                if position[j as usize] != u32::MAX {
                    idx.push(position[j as usize] as i32);
                    val.push(v);
                }
            }
        }
        // SAFETY: the pointer is this live HiGHS instance; lower, upper and starts have
        // cuts.len() entries, idx and val idx.len(), each index a column HiGHS holds.
        let status = unsafe {
            highs_sys::Highs_addRows(
                self.model.as_mut_ptr(),
                cuts.len() as i32,
                lower.as_ptr(),
                upper.as_ptr(),
                idx.len() as i32,
                starts.as_ptr(),
                idx.as_ptr(),
                val.as_ptr(),
            )
        };
        if status == highs_sys::kHighsStatusError {
            return Err("HiGHS rejected the cut rows".into());
        }
        Ok(())
    }

    /// Fixes the sub-model columns at `positions` to 1 (both bounds).
    pub(super) fn fix_to_one(&mut self, positions: &[usize]) {
        for &k in positions {
            // SAFETY: the pointer is this live HiGHS instance and k one of its columns.
            unsafe {
                highs_sys::Highs_changeColBounds(self.model.as_mut_ptr(), k as i32, 1.0, 1.0);
            }
        }
    }

    /// Stops a MIP after `nodes` branch-and-bound nodes (a limit that, unlike time, does not
    /// depend on the machine).
    /// Lets HiGHS presolve this MIP (the heuristic's small MIP, where most columns are fixed:
    /// presolve removes them, and the node limit then buys far more search).
    pub(super) fn set_presolve(&mut self) {
        if self.presolve_allowed {
            self.presolve = "on";
        }
    }

    /// Lets HiGHS accept MIP rows and integrality within 1e-7 instead of 1e-9: measured on the
    /// city-sized hard instance, its 3,967-column proof MIP took 11.7 s instead of 22.2 s
    /// (machine loaded). The caller must check the rounded plan against the model's rows (see
    /// `pricing::holds_when_rounded`) and run again tight when it fails.
    pub(super) fn set_loose(&mut self) {
        self.mip_feasibility = LOOSE;
    }

    /// Where a MIP run reports its incumbent and bound while it runs (see `interrupt`).
    pub(super) fn on_mip_progress(&self, report: Option<super::interrupt::MipReport>) {
        self.interrupt.on_mip_progress(report);
    }

    /// See `interrupt::Interrupt::set_cutoff`: (cutoff, L − δ, L).
    pub(super) fn set_cutoff(&self, cutoff: Option<(f64, f64, f64)>) {
        self.interrupt.set_cutoff(cutoff);
    }

    /// Runs the next LPs with the primal simplex (`true`) or the dual (`false`, the default).
    /// After columns are added to an optimal LP its basis is still primal feasible, and the
    /// primal simplex only pivots the new columns in; the dual simplex starts over from a
    /// perturbed, dual-infeasible basis (measured on province-hard: 1,674 dual iterations and
    /// 0.3 s for one added column). After cut rows are added the basis is dual feasible, and
    /// the dual simplex is the one to use.
    pub(super) fn set_primal(&mut self, primal: bool) {
        self.simplex_strategy = if primal { PRIMAL } else { DUAL };
    }

    pub(super) fn set_node_limit(&mut self, nodes: i32) {
        self.model.set_option("mip_max_nodes", nodes);
    }

    /// The basis after an LP run: HiGHS status codes per sub-model column and per row (`None`
    /// when HiGHS has none to give).
    pub(super) fn basis(&self) -> Option<(Vec<i32>, Vec<i32>)> {
        // HiGHS's own counts, not `self.cols`/`self.rows`: cut rows are added to HiGHS directly
        // (`add_cut_rows`), and the buffers must hold every row HiGHS writes.
        // SAFETY: the model is a live HiGHS instance.
        let (n_cols, n_rows) = unsafe {
            (
                highs_sys::Highs_getNumCol(self.model.as_ptr()),
                highs_sys::Highs_getNumRow(self.model.as_ptr()),
            )
        };
        let mut cols = vec![0 as highs_sys::HighsInt; n_cols.max(0) as usize];
        let mut rows = vec![0 as highs_sys::HighsInt; n_rows.max(0) as usize];
        // SAFETY: the model is a live HiGHS instance with exactly these many columns and rows,
        // and both buffers have that length.
        let status = unsafe {
            highs_sys::Highs_getBasis(self.model.as_ptr(), cols.as_mut_ptr(), rows.as_mut_ptr())
        };
        // HighsInt is i32 (HiGHS built without 64-bit integers).
        (status == highs_sys::STATUS_OK).then_some((cols, rows))
    }

    /// The basic variable of each HiGHS row in the last LP's basis: a sub-model column index,
    /// or `-i - 1` for row i's slack (HiGHS's convention); `None` without a basis.
    pub(super) fn basic_variables(&self) -> Option<Vec<i32>> {
        // SAFETY: the model is a live HiGHS instance.
        let n_rows = unsafe { highs_sys::Highs_getNumRow(self.model.as_ptr()) };
        let mut basic = vec![0 as highs_sys::HighsInt; n_rows.max(0) as usize];
        // SAFETY: a live instance and a buffer of exactly its row count.
        let status =
            unsafe { highs_sys::Highs_getBasicVariables(self.model.as_ptr(), basic.as_mut_ptr()) };
        (status == highs_sys::STATUS_OK).then_some(basic)
    }

    /// Row `r` of the basis inverse `B⁻¹` of the last LP (the multipliers on the HiGHS rows
    /// that give the tableau row of the variable basic in row `r`), as (row, value) pairs in
    /// row order; `None` when HiGHS has no basis. Any multipliers give a valid aggregation, so
    /// callers never rely on HiGHS's sign or scaling conventions for validity.
    pub(super) fn basis_inverse_row(&self, r: usize) -> Option<Vec<(u32, f64)>> {
        // SAFETY: the model is a live HiGHS instance.
        let n_rows = unsafe { highs_sys::Highs_getNumRow(self.model.as_ptr()) }.max(0) as usize;
        if r >= n_rows {
            return None;
        }
        let mut values = vec![0.0f64; n_rows];
        let mut index = vec![0 as highs_sys::HighsInt; n_rows];
        let mut nnz: highs_sys::HighsInt = 0;
        // SAFETY: a live instance, r < its row count, and both buffers of its row count.
        let status = unsafe {
            highs_sys::Highs_getBasisInverseRow(
                self.model.as_ptr(),
                r as highs_sys::HighsInt,
                values.as_mut_ptr(),
                &mut nnz,
                index.as_mut_ptr(),
            )
        };
        if status != highs_sys::STATUS_OK {
            return None;
        }
        let mut row: Vec<(u32, f64)> = index[..nnz.max(0) as usize]
            .iter()
            .map(|&i| (i as u32, values[i as usize]))
            .filter(|&(_, v)| v != 0.0 && v.is_finite())
            .collect();
        row.sort_unstable_by_key(|e| e.0);
        Some(row)
    }

    /// Starts the next LP run from a basis (status codes per sub-model column and per row, as
    /// [`SubModel::basis`] gives them). Returns whether HiGHS accepted it; a rejected basis only
    /// means a cold start.
    pub(super) fn set_basis(&mut self, cols: &[i32], rows: &[i32]) -> bool {
        // SAFETY: the model is a live HiGHS instance.
        let (n_cols, n_rows) = unsafe {
            (
                highs_sys::Highs_getNumCol(self.model.as_ptr()) as usize,
                highs_sys::Highs_getNumRow(self.model.as_ptr()) as usize,
            )
        };
        if cols.len() != n_cols || rows.len() != n_rows {
            return false;
        }
        // SAFETY: as in `basis`; HiGHS copies the arrays.
        let status = unsafe {
            highs_sys::Highs_setBasis(self.model.as_mut_ptr(), cols.as_ptr(), rows.as_ptr())
        };
        status == highs_sys::STATUS_OK
    }

    /// Gives HiGHS a starting plan (values per sub-model column).
    pub(super) fn set_start(&mut self, values: &[f64]) {
        self.model.set_solution(Some(values), None, None, None);
    }

    /// Runs HiGHS. The model stays usable for more columns and another run, unless a run
    /// overran its time limit and was abandoned ([`watched`]): then every later run is an error.
    pub(super) fn run(&mut self, opts: &CallOptions) -> Result<SubResult, String> {
        if self.abandoned {
            return Err("the solver was abandoned past its time limit".into());
        }
        let set = |m: &mut highs::Model, k: &str, v: f64| {
            m.try_set_option(k, v)
                .map_err(|e| format!("setting HiGHS option {k}: {e:?}"))
        };
        set(&mut self.model, "mip_rel_gap", opts.mip_rel_gap)?;
        set(&mut self.model, "mip_abs_gap", opts.mip_abs_gap)?;
        set(
            &mut self.model,
            "time_limit",
            opts.time_limit.unwrap_or(f64::INFINITY),
        )?;
        // HiGHS measures `time_limit` on a run clock that keeps counting across the runs of one
        // instance (pricing re-solves the same LP many times): zero it, so the limit is this
        // run's.
        // SAFETY: the pointer is this live HiGHS instance.
        unsafe {
            highs_sys::Highs_zeroAllClocks(self.model.as_mut_ptr());
        }
        self.interrupt.arm(opts.time_limit);
        if !self.is_mip {
            self.model
                .set_option("simplex_strategy", self.simplex_strategy);
        }
        if self.is_mip {
            // Restricted MIPs skip HiGHS presolve: measured on province-hard without sitting
            // candidates, the 11,921-column proof MIP took 16.2 s with presolve and 1.2 s
            // without (its rows are the model's and the hull cuts, already tight; presolve
            // spent its time on probing). Presolve also ignores the interrupt callback, so
            // without it a deadline stops the MIP on time.
            self.model.set_option("presolve", self.presolve);
            self.model
                .set_option("mip_feasibility_tolerance", self.mip_feasibility);
            // No feasibility jump: it runs before the root LP and, on these assignment MIPs,
            // finds only plans far below the incumbent we already give (province-hard: 1.1 s
            // for -30,743 in the heuristic MIP, 2.2 s for -30,049 in the band MIP). Measured
            // end to end on province-hard: 72.2 s with it, 60.9 s without (same plan, same
            // proof; session 11); city-hard 1.40 s against 1.31 s.
            self.model
                .set_option("mip_heuristic_run_feasibility_jump", false);
            // Experiment knobs (POSTFIT_MIP_OPTS="presolve=off,mip_heuristic_effort=0.3").
            if let Ok(spec) = std::env::var("POSTFIT_MIP_OPTS") {
                for kv in spec.split(',').filter(|s| !s.is_empty()) {
                    if let Some((k, v)) = kv.split_once('=') {
                        // Integers as integers, other numbers as doubles, words as strings.
                        match (v.parse::<i32>(), v.parse::<f64>()) {
                            (Ok(i), _) if !k.contains("effort") => self.model.set_option(k, i),
                            (_, Ok(x)) => self.model.set_option(k, x),
                            _ => self.model.set_option(k, v),
                        }
                    }
                }
            }
        }
        if self.is_mip {
            // Two HiGHS threads, on a thread of this run's own (see `MIP_THREADS`).
            self.model.set_option("threads", super::MIP_THREADS);
            dump_mip(&mut self.model);
        }
        let placeholder = ColProblem::default().optimise(Sense::Maximise);
        let model = std::mem::replace(&mut self.model, placeholder);
        let solved = match opts.time_limit.filter(|t| t.is_finite()) {
            // A MIP's MIP_THREADS must not meet an LP's one thread on one OS thread.
            None if self.is_mip => watched(model, None)?.ok_or("HiGHS's thread stopped")?,
            None => model.try_solve(),
            Some(limit) => match watched(model, Some(limit))? {
                Some(solved) => solved,
                None => {
                    self.interrupt.abandon();
                    super::mark_abandoned();
                    self.abandoned = true;
                    return Ok(SubResult::Stopped {
                        values: None,
                        objective: None,
                        bound: None,
                    });
                }
            },
        }
        .map_err(|e| format!("HiGHS failed: {e:?}"))?;
        let status = solved.status();
        let has_plan = super::has_plan(&solved);
        let objective = solved.objective_value();
        // An LP's optimum is exact; HiGHS leaves its MIP bound unset.
        let bound = solved
            .double_info_value(c"mip_dual_bound")
            .ok()
            .filter(|b| self.is_mip && b.is_finite());
        let result = match status {
            HighsModelStatus::Optimal if has_plan => {
                let sol = solved.get_solution();
                SubResult::Solved {
                    values: sol.columns().to_vec(),
                    objective,
                    bound: bound.unwrap_or(objective).max(objective),
                    row_duals: sol.dual_rows().to_vec(),
                }
            }
            HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
                SubResult::Infeasible
            }
            HighsModelStatus::ReachedTimeLimit
            | HighsModelStatus::ReachedIterationLimit
            | HighsModelStatus::ReachedSolutionLimit
            | HighsModelStatus::ReachedInterrupt
            | HighsModelStatus::ReachedMemoryLimit => SubResult::Stopped {
                values: has_plan.then(|| solved.get_solution().columns().to_vec()),
                objective: has_plan.then_some(objective),
                bound,
            },
            other => return Err(format!("HiGHS ended with status {other:?}")),
        };
        self.model = highs::Model::from(solved);
        Ok(result)
    }
}

/// How long past its time limit of `limit` seconds a HiGHS run may go on before [`watched`]
/// abandons it: max(0.4 s, 4 %), inside the overshoot the command's deadline allows
/// (max(0.5 s, 5 %), issue 7; `tests/deadline.rs`). HiGHS answers its interrupt within
/// milliseconds where it polls it.
pub(super) fn grace(limit: f64) -> Duration {
    Duration::from_secs_f64((0.04 * limit.clamp(0.0, 3.15e9)).max(0.4))
}

/// A value moved to the thread that solves it, and back.
struct Moved<T>(T);
// SAFETY: a HiGHS instance is only ever used by one thread at a time: the caller hands it to
// the solving thread and takes the result back only once that thread has let go of it (or
// never, when the run is abandoned). HiGHS already runs on rayon's threads elsewhere (parallel
// re-solves, the separation LPs).
unsafe impl<T> Send for Moved<T> {}

/// Runs `model` on a thread of its own and waits at most `limit` seconds and its [`grace`]
/// (without a limit, until it ends): `None` when it did not end by then. The fast path's MIPs
/// always run here, so that their [`super::MIP_THREADS`] never meet an LP's one thread on the
/// same OS thread (HiGHS fixes each thread's scheduler at its first run). HiGHS polls the interrupt (armed at `limit`) at most
/// places, but not all: measured on national-hard under `--time-limit 300`, a capped proof MIP
/// of 65,115 columns spent minutes in HiGHS's central rounding at the root (each rounding
/// step propagates the objective over every column) and the command overran by more than
/// 150 s. An abandoned run keeps its thread and memory until it ends or the process exits;
/// the caller answers with what it had (the incumbent and its bound, unproven).
/// `POSTFIT_TEST_STALL_SOLVER=S` (tests only) makes each run sleep S seconds first, as such a
/// stall would.
fn watched(
    model: highs::Model,
    limit: Option<f64>,
) -> Result<Option<Result<highs::SolvedModel, highs::HighsStatus>>, String> {
    let stall = std::env::var("POSTFIT_TEST_STALL_SOLVER")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0);
    let (tx, rx) = mpsc::channel();
    let job = Moved(model);
    std::thread::Builder::new()
        .name("highs".into())
        .spawn(move || {
            let job = job;
            if let Some(s) = stall {
                std::thread::sleep(Duration::from_secs_f64(s));
            }
            let _ = tx.send(Moved(job.0.try_solve()));
        })
        .map_err(|e| format!("cannot start the solver's thread: {e}"))?;
    let Some(limit) = limit else {
        return rx
            .recv()
            .map(|solved| Some(solved.0))
            .map_err(|_| "HiGHS's thread failed".into());
    };
    let limit = limit.clamp(0.0, 3.15e9);
    let wait = Duration::from_secs_f64(limit) + grace(limit);
    match rx.recv_timeout(wait) {
        Ok(solved) => Ok(Some(solved.0)),
        Err(mpsc::RecvTimeoutError::Timeout) => Ok(None),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err("HiGHS's thread failed".into()),
    }
}

/// HiGHS's MIP feasibility tolerance: the default of every sub-model, and the loose one of
/// [`SubModel::set_loose`].
const TIGHT: f64 = 1e-9;
/// HiGHS `simplex_strategy` values: the serial dual simplex (HiGHS's default) and the primal.
const DUAL: i32 = 1;
const PRIMAL: i32 = 4;
const LOOSE: f64 = 1e-7;

fn configure(model: &mut highs::Model) {
    super::configure_log(model);
    model.set_option("mip_feasibility_tolerance", TIGHT);
    model.set_option("primal_feasibility_tolerance", 1e-9);
    model.set_option("dual_feasibility_tolerance", 1e-9);
    model.set_option("threads", 1);
}

/// Reduced cost of every model column for the LP duals `y`: `c_j − Σ_i a_ij y_i`.
#[allow(dead_code)]
pub(super) fn reduced_costs(m: &Model, csc: &Csc, y: &[f64]) -> Vec<f64> {
    reduced_costs_with_cuts(m, csc, &Cuts::default(), y)
}

/// Reduced costs with cut rows: `y` holds the model rows' duals, then one per cut.
pub(super) fn reduced_costs_with_cuts(m: &Model, csc: &Csc, cuts: &Cuts, y: &[f64]) -> Vec<f64> {
    let mut d = Vec::new();
    reduced_costs_into(m, csc, cuts, y, &mut d);
    d
}

/// [`reduced_costs_with_cuts`] into a buffer the caller keeps between pricing rounds (national
/// scale: 25 M columns, 200 MB a round not allocated again).
pub(super) fn reduced_costs_into(m: &Model, csc: &Csc, cuts: &Cuts, y: &[f64], d: &mut Vec<f64>) {
    csc.reduced_costs_into(m, y, d);
    let base = m.rows.len();
    for (k, cut) in cuts.rows.iter().enumerate() {
        let yk = y[base + k];
        if yk != 0.0 {
            for &(j, a) in &cut.entries {
                d[j as usize] -= a * yk;
            }
        }
    }
}

/// Diagnostics: with `POSTFIT_MIP_MPS=DIR`, every restricted MIP is written to
/// `DIR/mip-<n>.mps` before it runs (for replaying it in HiGHS's own tools).
fn dump_mip(model: &mut highs::Model) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let Some(dir) = std::env::var_os("POSTFIT_MIP_MPS") else {
        return;
    };
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    let path = std::path::Path::new(&dir).join(format!("mip-{n}.mps"));
    if let Ok(c) = std::ffi::CString::new(path.to_string_lossy().as_bytes()) {
        // SAFETY: the pointer is this live HiGHS instance; the path is a NUL-terminated string.
        unsafe {
            highs_sys::Highs_writeModel(model.as_mut_ptr(), c.as_ptr());
        }
    }
}

/// Diagnostics beside [`dump_mip`]: `DIR/side-<columns>.txt` lists each HiGHS row's kind and
/// each HiGHS column's model column kind.
fn dump_sidecar(m: &Model, cuts: &Cuts, cols: &[u32]) {
    use std::io::Write;
    let Some(dir) = std::env::var_os("POSTFIT_MIP_MPS") else {
        return;
    };
    let path = std::path::Path::new(&dir).join(format!("side-{}.txt", cols.len()));
    let Ok(f) = std::fs::File::create(path) else {
        return;
    };
    let mut w = std::io::BufWriter::new(f);
    // The rows HiGHS holds: a MIP has no Gomory rows of the model (`SubModel::with_cuts`).
    for r in m
        .rows
        .iter()
        .filter(|r| r.kind != RowKind::Cut { tableau: true })
    {
        let _ = writeln!(w, "R {:?}", r.kind);
    }
    for _ in &cuts.rows {
        let _ = writeln!(w, "R Cut");
    }
    for &j in cols {
        let _ = writeln!(w, "C {:?}", m.columns[j as usize].kind);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, ColumnKind, Row};

    /// A MIP leaves the model's Gomory rows out and keeps its hull-cut rows; an LP keeps both.
    /// The rows here are deliberately not valid (they cut off the best plan), so that which
    /// rows HiGHS holds shows in the optimum: x0 (worth 1) or x1 (worth 0.5), not both.
    #[test]
    fn mips_leave_gomory_rows_out() {
        let solve = |tableau: bool, integer: bool| -> f64 {
            let m = Model {
                columns: (0..2)
                    .map(|j| Column {
                        kind: ColumnKind::Pair(j),
                        objective: [1.0, 0.5][j as usize],
                        upper: 1.0,
                        integer: true,
                    })
                    .collect(),
                rows: vec![
                    Row {
                        kind: RowKind::PostOnce(0),
                        lower: 0.0,
                        upper: 1.0,
                        entries: vec![(0, 1.0), (1, 1.0)].into(),
                    },
                    // "x1 >= 1": forces the worse plan when HiGHS holds it.
                    Row {
                        kind: RowKind::Cut { tableau },
                        lower: 1.0,
                        upper: f64::INFINITY,
                        entries: vec![(1, 1.0)].into(),
                    },
                ],
                ..Default::default()
            };
            let csc = Csc::from_model(&m);
            let mut sub = SubModel::with_cuts(&m, &csc, &Cuts::default(), vec![0, 1], integer)
                .expect("loads");
            let call = CallOptions {
                time_limit: None,
                mip_rel_gap: 0.0,
                mip_abs_gap: 0.0,
            };
            match sub.run(&call).expect("runs") {
                SubResult::Solved { objective, .. } => objective,
                SubResult::Infeasible => panic!("infeasible"),
                SubResult::Stopped { .. } => panic!("stopped without a time limit"),
            }
        };
        assert_eq!(solve(true, true), 1.0, "a MIP ignores a Gomory row");
        assert_eq!(solve(false, true), 0.5, "a MIP keeps a hull-cut row");
        assert_eq!(solve(true, false), 0.5, "an LP keeps a Gomory row");
        assert_eq!(solve(false, false), 0.5, "an LP keeps a hull-cut row");
    }
}
