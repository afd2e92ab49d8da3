//! The exact fast path: LP pricing over a restricted set of columns, a restricted MIP for an
//! incumbent, and reduced-cost fixing that proves the restricted optimum is the full optimum.
//!
//! 1. Start from a restricted set R: every shortfall column and, per row, the best few columns
//!    by objective and the best few that help the row hold.
//! 2. Solve the LP over R; price every other column with the duals (`c_j − a_j·y`); add the best
//!    positive ones; repeat until none is positive. The LP over R is then the full LP.
//! 3. If that LP optimum is integral, it is the integer optimum: done.
//! 4. Else solve the MIP over R: an incumbent z. With the Lagrangian bound L of the duals (valid
//!    for every plan), a column j with `L + d_j < z` can only appear in plans worse than z, so
//!    the optimum lies in R ∪ {j : L + d_j >= z}. Solve the MIP over that set, warm-started.
//!
//! Any step that cannot go on (a restricted LP or MIP without a solution) hands over to the
//! direct model of every column, so answers never depend on the heuristics of step 1.

use std::time::Instant;

use super::columns::{reduced_costs, CallOptions, Csc, SubModel, SubResult};
use super::{Outcome, SolveOptions};
use crate::model::{ColumnKind, Model};

/// Reduced costs above this price a column into the LP.
const PRICE_TOL: f64 = 1e-9;

/// Sizes of one fast solve, for `--stats`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PricingStats {
    pub lp_rounds: usize,
    pub lp_columns: usize,
    pub mip_columns: usize,
    pub lp_bound: f64,
    pub lp_integral: bool,
}

/// The fast path's answer: an outcome over all model columns, or `None` to hand over to the
/// direct model.
pub(super) fn solve(
    m: &Model,
    opts: &SolveOptions,
    stats: &mut PricingStats,
) -> Result<Option<Outcome>, String> {
    let start = Instant::now();
    let remaining = || {
        opts.time_limit
            .map(|t| (t - start.elapsed().as_secs_f64()).max(0.01))
    };
    let call = |integer_gap: bool| CallOptions {
        time_limit: remaining(),
        mip_rel_gap: if integer_gap { opts.mip_rel_gap } else { 0.0 },
        mip_abs_gap: if integer_gap { opts.mip_abs_gap } else { 0.0 },
    };
    let csc = Csc::from_model(m);
    let n = m.columns.len();

    // 1. The first restricted set.
    let mut in_r = initial_set(m, opts.per_row.max(1));
    let cols: Vec<u32> = (0..n as u32).filter(|&j| in_r[j as usize]).collect();

    // 2. LP pricing rounds.
    let mut lp = SubModel::new(m, &csc, cols, false);
    let (lp_values, y) = loop {
        stats.lp_rounds += 1;
        let (values, y) = match lp.run(&call(false))? {
            SubResult::Solved {
                values, row_duals, ..
            } => (values, row_duals),
            _ => return Ok(None),
        };
        let y = sign_feasible(m, y);
        let d = reduced_costs(m, &csc, &y);
        let mut entering: Vec<u32> = (0..n as u32)
            .filter(|&j| !in_r[j as usize] && d[j as usize] > PRICE_TOL)
            .collect();
        if entering.is_empty() {
            break (values, y);
        }
        // The most attractive first (ties by index, so runs repeat exactly); at most a batch.
        entering.sort_by(|&a, &b| d[b as usize].total_cmp(&d[a as usize]).then(a.cmp(&b)));
        entering.truncate((2 * m.rows.len()).max(500));
        for &j in &entering {
            in_r[j as usize] = true;
        }
        lp.add_columns(m, &csc, &entering);
    };
    stats.lp_columns = lp.cols.len();
    let d = reduced_costs(m, &csc, &y);
    let lagrangian = lagrangian_bound(m, &y, &d);
    stats.lp_bound = lagrangian;

    // 3. An integral LP optimum is the integer optimum.
    let mut full = vec![0.0; n];
    for (k, &j) in lp.cols.iter().enumerate() {
        full[j as usize] = lp_values[k];
    }
    let integral = m
        .columns
        .iter()
        .zip(&full)
        .all(|(c, &v)| !c.integer || (v - v.round()).abs() <= 1e-9);
    if integral {
        stats.lp_integral = true;
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

    // 4. Restricted MIP for an incumbent, then reduced-cost fixing.
    let r_cols: Vec<u32> = (0..n as u32).filter(|&j| in_r[j as usize]).collect();
    let mut mip = SubModel::new(m, &csc, r_cols, true);
    let (incumbent, z) = match mip.run(&call(true))? {
        SubResult::Solved {
            values, objective, ..
        } => (expand(&mip.cols, &values, n), objective),
        SubResult::Stopped {
            values: Some(v),
            objective: Some(z),
            ..
        } => {
            let values = expand(&mip.cols, &v, n);
            return Ok(Some(Outcome::Feasible {
                values,
                objective: z,
                bound: lagrangian.max(z),
            }));
        }
        SubResult::Stopped { .. } => {
            return Ok(Some(Outcome::NoSolution {
                bound: Some(lagrangian),
            }))
        }
        SubResult::Infeasible => return Ok(None),
    };
    let margin = 1e-7 * z.abs().max(1.0);
    let improving: Vec<u32> = (0..n as u32)
        .filter(|&j| !in_r[j as usize] && lagrangian + d[j as usize].min(0.0) >= z - margin)
        .collect();
    if improving.is_empty() {
        stats.mip_columns = mip.cols.len();
        return Ok(Some(Outcome::Optimal {
            values: incumbent,
            objective: z,
            bound: z,
        }));
    }
    for &j in &improving {
        in_r[j as usize] = true;
    }
    let cols: Vec<u32> = (0..n as u32).filter(|&j| in_r[j as usize]).collect();
    stats.mip_columns = cols.len();
    let start_values: Vec<f64> = cols.iter().map(|&j| incumbent[j as usize]).collect();
    let mut mip = SubModel::new(m, &csc, cols, true);
    mip.set_start(&start_values);
    Ok(Some(match mip.run(&call(true))? {
        SubResult::Solved {
            values,
            objective,
            bound,
            ..
        } => Outcome::Optimal {
            values: expand(&mip.cols, &values, n),
            objective,
            bound,
        },
        SubResult::Stopped {
            values,
            objective,
            bound,
        } => match (values, objective) {
            (Some(v), Some(o)) => Outcome::Feasible {
                values: expand(&mip.cols, &v, n),
                objective: o,
                bound: bound.unwrap_or(lagrangian).min(lagrangian).max(o),
            },
            _ => Outcome::Feasible {
                values: incumbent,
                objective: z,
                bound: lagrangian.max(z),
            },
        },
        SubResult::Infeasible => return Err("the widened restricted MIP lost its incumbent".into()),
    }))
}

/// Every shortfall column, and per row the best `per_row` columns by objective and the best
/// `per_row` among those whose coefficient helps the row hold.
fn initial_set(m: &Model, per_row: usize) -> Vec<bool> {
    let mut in_r: Vec<bool> = m
        .columns
        .iter()
        .map(|c| matches!(c.kind, ColumnKind::Shortfall { .. }))
        .collect();
    let obj = |j: u32| m.columns[j as usize].objective;
    let take_best = |mut js: Vec<u32>, in_r: &mut Vec<bool>| {
        js.sort_by(|&a, &b| obj(b).total_cmp(&obj(a)).then(a.cmp(&b)));
        for &j in js.iter().take(per_row) {
            in_r[j as usize] = true;
        }
    };
    for row in &m.rows {
        take_best(row.entries.iter().map(|e| e.0).collect(), &mut in_r);
        let helps =
            |a: f64| (row.lower.is_finite() && a > 0.0) || (row.upper.is_finite() && a < 0.0);
        let helpers: Vec<u32> = row
            .entries
            .iter()
            .filter(|e| helps(e.1))
            .map(|e| e.0)
            .collect();
        take_best(helpers, &mut in_r);
    }
    in_r
}

/// Zeroes duals whose sign would make the Lagrangian bound infinite (solver tolerance noise):
/// a row without an upper bound gets no positive dual, one without a lower bound no negative.
fn sign_feasible(m: &Model, mut y: Vec<f64>) -> Vec<f64> {
    for (yi, row) in y.iter_mut().zip(&m.rows) {
        if (*yi > 0.0 && !row.upper.is_finite()) || (*yi < 0.0 && !row.lower.is_finite()) {
            *yi = 0.0;
        }
    }
    y
}

/// `Σ_i y_i·(bound of row i on y's side) + Σ_j max(0, d_j)·u_j`: an upper bound on the objective
/// of every plan, for any sign-feasible duals y.
fn lagrangian_bound(m: &Model, y: &[f64], d: &[f64]) -> f64 {
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
        .sum();
    let cols: f64 = m
        .columns
        .iter()
        .zip(d)
        .map(|(c, &dj)| dj.max(0.0) * c.upper)
        .sum();
    rows + cols
}

fn expand(cols: &[u32], values: &[f64], n: usize) -> Vec<f64> {
    let mut full = vec![0.0; n];
    for (k, &j) in cols.iter().enumerate() {
        full[j as usize] = values[k];
    }
    full
}

fn objective_of(m: &Model, x: &[f64]) -> f64 {
    m.columns.iter().zip(x).map(|(c, v)| c.objective * v).sum()
}
