//! Reduced-cost fixing for a second phase: which columns can be 1 in any plan whose objective
//! reaches a floor. Used by the fewest-changes re-plan (phase 2 keeps the objective within the
//! tolerance of the optimum), where the phase-2 objective (changes) gives pricing no grip.
//!
//! For any duals y that are sign-feasible for the rows, with reduced costs `d_j = c_j − a_j·y`,
//! the Lagrangian `L = Σ_i y_i·(row bound on y's side) + Σ_j max(0, d_j)·u_j` bounds the
//! objective of every solution of the LP relaxation, and every solution with `x_j = 1` has
//! objective at most `L + d_j` (when d_j < 0). So a column with `L + d_j < floor` is 0 in every
//! plan reaching the floor. The bound holds for any sign-feasible y, so the LP's accuracy only
//! affects how many columns are fixed, never whether the fixing is right.

use super::columns::{reduced_costs, CallOptions, Csc, SubModel, SubResult};
use super::cuts::Cuts;
use super::pricing::{lagrangian_bound, sign_feasible};
use crate::model::Model;

/// For each column: whether it may be non-zero in a solution with objective `>= floor`; only
/// binary columns (integer, upper bound 1) are ever fixed, since a continuous column can take a
/// small value at a small loss. `None`
/// when the LP relaxation could not be solved in time (then nothing is fixed by the caller).
/// Errors: HiGHS failures.
pub fn columns_reaching(
    m: &Model,
    floor: f64,
    time_limit: Option<f64>,
) -> Result<Option<Vec<bool>>, String> {
    if m.rows.is_empty() || m.columns.is_empty() {
        return Ok(None);
    }
    let csc = Csc::from_model(m);
    let all: Vec<u32> = (0..m.columns.len() as u32).collect();
    let mut lp = SubModel::new(m, &csc, all, false)?;
    let opts = CallOptions {
        time_limit,
        mip_rel_gap: 0.0,
        mip_abs_gap: 0.0,
    };
    let y = match lp.run(&opts)? {
        SubResult::Solved { row_duals, .. } => row_duals,
        _ => return Ok(None),
    };
    // The fast path's own arithmetic, on a model without cuts.
    let no_cuts = Cuts::default();
    let y = sign_feasible(m, &no_cuts, y);
    let d = reduced_costs(m, &csc, &y);
    let l = lagrangian_bound(m, &no_cuts, &y, &d);
    // A margin for rounding in L and d only (the bound itself is exact for these y).
    let margin = 1e-9 * l.abs().max(1.0);
    Ok(Some(
        d.iter()
            .zip(&m.columns)
            .map(|(&dj, c)| !(c.integer && c.upper == 1.0) || dj >= 0.0 || l + dj >= floor - margin)
            .collect(),
    ))
}
