//! Column-wise HiGHS models over a subset of a `Model`'s columns: the fast loader (no expression
//! building), LP re-solves that keep their basis when columns are added, and reduced costs for
//! every column of the full model from the LP duals.

use highs::{ColProblem, HighsModelStatus, Sense};
use rayon::prelude::*;

use crate::model::Model;

/// The model's matrix by column (compressed sparse column).
#[derive(Clone)]
pub(super) struct Csc {
    start: Vec<usize>,
    rows: Vec<u32>,
    vals: Vec<f64>,
}

impl Csc {
    pub(super) fn from_model(m: &Model) -> Csc {
        let n = m.columns.len();
        let mut count = vec![0usize; n + 1];
        for r in &m.rows {
            for &(c, _) in &r.entries {
                count[c as usize + 1] += 1;
            }
        }
        for j in 0..n {
            count[j + 1] += count[j];
        }
        let start = count.clone();
        let nnz = start[n];
        let mut next = count;
        let mut rows = vec![0u32; nnz];
        let mut vals = vec![0.0; nnz];
        for (i, r) in m.rows.iter().enumerate() {
            for &(c, v) in &r.entries {
                let k = next[c as usize];
                rows[k] = i as u32;
                vals[k] = v;
                next[c as usize] += 1;
            }
        }
        Csc { start, rows, vals }
    }

    pub(super) fn column(&self, j: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        (self.start[j]..self.start[j + 1]).map(move |k| (self.rows[k] as usize, self.vals[k]))
    }
}

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
    rows: Vec<highs::Row>,
    model: highs::Model,
    /// Whether any column is integer (else HiGHS solves an LP and has no MIP bound).
    is_mip: bool,
    /// Stops HiGHS at the time limit of each run, also inside a long node (declared after
    /// `model`, so dropped after it).
    interrupt: super::interrupt::Interrupt,
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
    pub(super) fn new(
        m: &Model,
        csc: &Csc,
        cols: Vec<u32>,
        integer: bool,
    ) -> Result<SubModel, String> {
        let mut pb = ColProblem::default();
        let rows: Vec<highs::Row> = m
            .rows
            .iter()
            .map(|r| pb.add_row(r.lower..=r.upper))
            .collect();
        for &j in &cols {
            let col = &m.columns[j as usize];
            let factors = csc.column(j as usize).map(|(i, v)| (rows[i], v));
            pb.add_column_with_integrality(
                col.objective,
                0.0..=col.upper,
                factors,
                integer && col.integer,
            );
        }
        let is_mip = integer && cols.iter().any(|&j| m.columns[j as usize].integer);
        let mut model = pb
            .try_optimise(Sense::Maximise)
            .map_err(|e| format!("HiGHS rejected the model: {e:?}"))?;
        configure(&mut model);
        let interrupt = super::interrupt::Interrupt::install(model.as_mut_ptr())?;
        Ok(SubModel {
            cols,
            rows,
            model,
            is_mip,
            interrupt,
        })
    }

    /// Adds more (continuous) columns; a following LP solve starts from the previous basis.
    pub(super) fn add_columns(&mut self, m: &Model, csc: &Csc, more: &[u32]) {
        for &j in more {
            let col = &m.columns[j as usize];
            let factors = csc.column(j as usize).map(|(i, v)| (self.rows[i], v));
            self.model.add_col(col.objective, 0.0..=col.upper, factors);
            self.cols.push(j);
        }
    }

    /// The basis after an LP run: HiGHS status codes per sub-model column and per row (`None`
    /// when HiGHS has none to give).
    pub(super) fn basis(&self) -> Option<(Vec<i32>, Vec<i32>)> {
        let mut cols = vec![0 as highs_sys::HighsInt; self.cols.len()];
        let mut rows = vec![0 as highs_sys::HighsInt; self.rows.len()];
        // SAFETY: the model is a live HiGHS instance with exactly these many columns and rows,
        // and both buffers have that length.
        let status = unsafe {
            highs_sys::Highs_getBasis(self.model.as_ptr(), cols.as_mut_ptr(), rows.as_mut_ptr())
        };
        // HighsInt is i32 (HiGHS built without 64-bit integers).
        (status == highs_sys::STATUS_OK).then_some((cols, rows))
    }

    /// Starts the next LP run from a basis (status codes per sub-model column and per row, as
    /// [`SubModel::basis`] gives them). Returns whether HiGHS accepted it; a rejected basis only
    /// means a cold start.
    pub(super) fn set_basis(&mut self, cols: &[i32], rows: &[i32]) -> bool {
        if cols.len() != self.cols.len() || rows.len() != self.rows.len() {
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

    /// Runs HiGHS. The model stays usable for more columns and another run.
    pub(super) fn run(&mut self, opts: &CallOptions) -> Result<SubResult, String> {
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
        self.interrupt.arm(opts.time_limit);
        let placeholder = ColProblem::default().optimise(Sense::Maximise);
        let model = std::mem::replace(&mut self.model, placeholder);
        let solved = model
            .try_solve()
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

fn configure(model: &mut highs::Model) {
    super::configure_log(model);
    model.set_option("mip_feasibility_tolerance", 1e-9);
    model.set_option("primal_feasibility_tolerance", 1e-9);
    model.set_option("dual_feasibility_tolerance", 1e-9);
    model.set_option("threads", 1);
}

/// Reduced cost of every model column for the LP duals `y`: `c_j − Σ_i a_ij y_i`.
pub(super) fn reduced_costs(m: &Model, csc: &Csc, y: &[f64]) -> Vec<f64> {
    (0..m.columns.len())
        .into_par_iter()
        .map(|j| m.columns[j].objective - csc.column(j).map(|(i, v)| v * y[i]).sum::<f64>())
        .collect()
}
