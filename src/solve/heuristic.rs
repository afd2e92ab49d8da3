//! An LP-guided incumbent for the fast path, before reduced-cost fixing: a small MIP over the
//! columns the (cut) LP optimum prices near zero, and, when that finds no plan, a small MIP
//! around the LP optimum's placements.
//!
//! **First: the near-zero columns, nothing fixed.** Every integer column with reduced cost at
//! least −[`NEAR`] (at most [`MAX_FREE`] of them, best reduced cost first, ties by index), plus
//! every continuous column. The cut LPs of the hard presets are massively dual degenerate, so
//! their optimum's placements are one choice among many at reduced cost 0, and not the one the
//! integer optimum builds on. Measured on province-hard: 524 of the cut LP's 1,809 placements
//! at 1 are not in the optimal plan, and 573 of the optimum's 2,047 placements have reduced
//! cost 0 but no LP weight. Fixing the LP's placements (the fallback below) locked the MIP at
//! 1499.872 in 5.2 s; the 9,817 columns at `d >= −1e-4` give 1499.916 in 2.8 s (the optimum is
//! 1499.952), and the first proof MIP then finds the optimum (68 s → 55 s end to end).
//!
//! **Fallback: fix the LP's placements.** Pair columns at 1 in the LP optimum are fixed to 1;
//! the free part is every column whose post and candidate no fixed column uses, with reduced
//! cost at least −[`REACH`] (at most [`MAX_FREE`], as above). It runs when the first MIP finds
//! no plan (seen on national-hard, whose near-zero MIP ended at once without one).
//!
//! HiGHS solves each MIP under a node limit and a relative gap (not a time limit, so the
//! incumbent never depends on the machine's speed or load; under the user's time limit each
//! takes at most [`TIME_SHARE`] of the time left). Whatever it finds is a plan of the full
//! model, so its value z is a valid lower bound; the caller sets δ = L − z, which makes one
//! restricted MIP enough when z is optimal. The heuristic never decides optimality itself.

use super::columns::{CallOptions, Csc, SubModel, SubResult};
use super::cuts::Cuts;
use crate::model::{Model, RowKind};

/// The first MIP takes the columns with reduced costs down to −NEAR.
const NEAR: f64 = 1e-4;
/// In the fallback, reduced costs down to −REACH may enter the free part.
const REACH: f64 = 0.25;
/// At most this many free pair columns.
const MAX_FREE: usize = 30_000;
/// Branch-and-bound nodes the heuristic MIP may use.
const NODES: i32 = 200;
/// The heuristic MIP stops once its plan is within this relative gap of its own bound: it only
/// has to set δ for the proof, which closes the rest. Measured on national-hard (HiGHS log):
/// its root had 4134.105 against its own bound 4134.241 (3.3e-5) at 35 s, then branched for
/// minutes at a few nodes a second; with a 420 s limit it took 220 s for 4134.136.
const GAP: f64 = 5e-5;
/// Under a time limit, the heuristic takes at most this share of the time left (the proof MIP
/// needs the rest); without one it is deterministic (node limit and gap only).
const TIME_SHARE: f64 = 0.4;

/// A plan over all model columns and its objective, or `None` when neither small MIP found one.
/// `lp_x`: the LP optimum as (columns, values), every other column 0; `d`: reduced costs of
/// every model column at that optimum.
pub(super) fn incumbent(
    m: &Model,
    csc: &Csc,
    cuts: &Cuts,
    lp_x: (&[u32], &[f64]),
    d: &[f64],
    hint: &[u32],
    call: &CallOptions,
) -> Result<Option<(Vec<f64>, f64)>, String> {
    if let Some(found) = restricted(m, csc, cuts, Vec::new(), hint, d, NEAR, call)? {
        return Ok(Some(found));
    }
    let fixed: Vec<u32> = lp_x
        .0
        .iter()
        .zip(lp_x.1)
        .filter(|&(&j, &v)| m.columns[j as usize].integer && v >= 1.0 - 1e-6)
        .map(|(&j, _)| j)
        .collect();
    restricted(m, csc, cuts, fixed, &[], d, REACH, call)
}

/// The integer columns the first MIP of [`incumbent`] frees when nothing is hinted: reduced
/// cost `d_j >= −NEAR`, at most [`MAX_FREE`] (best reduced cost first, ties by index),
/// ascending.
pub(super) fn near_zero(m: &Model, d: &[f64]) -> Vec<u32> {
    let mut free: Vec<u32> = (0..m.columns.len() as u32)
        .filter(|&j| m.columns[j as usize].integer && d[j as usize] >= -NEAR)
        .collect();
    cap_by_reduced_cost(&mut free, d);
    free.sort_unstable();
    free
}

/// Keeps the [`MAX_FREE`] columns of `free` with the largest reduced cost (ties by index).
fn cap_by_reduced_cost(free: &mut Vec<u32>, d: &[f64]) {
    if free.len() > MAX_FREE {
        free.select_nth_unstable_by(MAX_FREE - 1, |a, b| {
            d[*b as usize].total_cmp(&d[*a as usize]).then(a.cmp(b))
        });
        free.truncate(MAX_FREE);
    }
}

/// The best plan HiGHS finds (node limit, gap) in the MIP with the pair columns `fixed` at 1 and
/// free the integer columns with `d_j >= −reach` whose post and candidate no fixed column takes
/// (at most [`MAX_FREE`]) or are in `hint` (a re-solve's base plan), plus every continuous
/// column; `None` when it finds none or fails.
#[allow(clippy::too_many_arguments)]
fn restricted(
    m: &Model,
    csc: &Csc,
    cuts: &Cuts,
    mut fixed: Vec<u32>,
    hint: &[u32],
    d: &[f64],
    reach: f64,
    call: &CallOptions,
) -> Result<Option<(Vec<f64>, f64)>, String> {
    let n = m.columns.len();
    fixed.sort_unstable();
    // Posts and candidates the fixed columns take.
    let mut taken = vec![false; m.rows.len()];
    for &j in &fixed {
        for (i, _) in csc.column(j as usize) {
            if matches!(
                m.rows[i].kind,
                RowKind::PostOnce(_) | RowKind::CandidateOnce(_)
            ) {
                taken[i] = true;
            }
        }
    }
    let is_fixed = {
        let mut f = vec![false; n];
        for &j in &fixed {
            f[j as usize] = true;
        }
        f
    };
    let mut free: Vec<u32> = (0..n as u32)
        .filter(|&j| {
            let c = &m.columns[j as usize];
            c.integer
                && !is_fixed[j as usize]
                && d[j as usize] >= -reach
                && csc.column(j as usize).all(|(i, _)| !taken[i])
        })
        .collect();
    cap_by_reduced_cost(&mut free, d);
    // The hint's columns join whatever their reduced cost (not twice, not fixed at 0).
    let mut hinted = vec![false; n];
    for &j in &free {
        hinted[j as usize] = true;
    }
    for &j in hint {
        let (ju, c) = (j as usize, m.columns.get(j as usize));
        if c.is_some_and(|c| c.integer && c.upper > 0.0) && !hinted[ju] && !is_fixed[ju] {
            hinted[ju] = true;
            free.push(j);
        }
    }
    let mut cols: Vec<u32> = (0..n as u32)
        .filter(|&j| !m.columns[j as usize].integer)
        .chain(fixed.iter().copied())
        .chain(free)
        .collect();
    cols.sort_unstable();
    let fixed_positions: Vec<usize> = cols
        .iter()
        .enumerate()
        .filter(|(_, &j)| is_fixed[j as usize])
        .map(|(k, _)| k)
        .collect();
    let mut mip = SubModel::with_cuts(m, csc, cuts, cols, true)?;
    mip.fix_to_one(&fixed_positions);
    mip.set_node_limit(NODES);
    mip.set_presolve();
    let call = CallOptions {
        time_limit: call.time_limit.map(|t| t * TIME_SHARE),
        mip_rel_gap: call.mip_rel_gap.max(GAP),
        mip_abs_gap: call.mip_abs_gap,
    };
    // A failed heuristic is no failure of the solve: the proof MIP follows anyway.
    let Ok(result) = mip.run(&call) else {
        return Ok(None);
    };
    let (values, z) = match result {
        SubResult::Solved {
            values, objective, ..
        } => (values, objective),
        SubResult::Stopped {
            values: Some(values),
            objective: Some(z),
            ..
        } => (values, z),
        _ => return Ok(None),
    };
    let mut full = vec![0.0; n];
    for (k, &j) in mip.cols.iter().enumerate() {
        full[j as usize] = values[k];
    }
    Ok(Some((full, z)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, ColumnKind, Row};

    /// Two must-fill posts and two candidates: columns 0 = C0→P0 and 1 = C1→P1 (fit 1 each),
    /// 2 = C1→P0 and 3 = C0→P1 (fit 1.5 each).
    fn two_by_two() -> (Model, Csc) {
        let pair = |p: u32, objective: f64| Column {
            kind: ColumnKind::Pair(p),
            objective,
            upper: 1.0,
            integer: true,
        };
        let row = |kind, lower: f64, entries: Vec<(u32, f64)>| Row {
            kind,
            lower,
            upper: 1.0,
            entries: entries.into(),
        };
        let m = Model {
            columns: vec![pair(0, 1.0), pair(1, 1.0), pair(2, 1.5), pair(3, 1.5)],
            rows: vec![
                row(RowKind::PostOnce(0), 1.0, vec![(0, 1.0), (2, 1.0)]),
                row(RowKind::PostOnce(1), 1.0, vec![(1, 1.0), (3, 1.0)]),
                row(RowKind::CandidateOnce(0), 0.0, vec![(0, 1.0), (3, 1.0)]),
                row(RowKind::CandidateOnce(1), 0.0, vec![(1, 1.0), (2, 1.0)]),
            ],
            ..Default::default()
        };
        let csc = Csc::from_model(&m);
        (m, csc)
    }

    fn call() -> CallOptions {
        CallOptions {
            time_limit: None,
            mip_rel_gap: 0.0,
            mip_abs_gap: 0.0,
        }
    }

    /// A degenerate LP optimum (placements 0 and 1 at 1, every reduced cost 0) is not fixed:
    /// the first MIP takes every near-zero column and finds the better plan 2 + 3.
    #[test]
    fn the_lp_placements_are_not_fixed_first() {
        let (m, csc) = two_by_two();
        let lp = ([0u32, 1], [1.0, 1.0]);
        let d = [0.0; 4];
        let (x, z) = incumbent(&m, &csc, &Cuts::default(), (&lp.0, &lp.1), &d, &[], &call())
            .unwrap()
            .expect("a plan");
        assert_eq!(z, 3.0);
        assert_eq!(x, vec![0.0, 0.0, 1.0, 1.0]);
    }

    /// When the near-zero columns hold no plan (post 1 has none), the fallback fixes the LP's
    /// placements and finds the plan they make.
    #[test]
    fn the_lp_placements_are_the_fallback() {
        let (m, csc) = two_by_two();
        let lp = ([0u32, 1], [1.0, 1.0]);
        let d = [0.0, -1.0, -1.0, -1.0];
        let (x, z) = incumbent(&m, &csc, &Cuts::default(), (&lp.0, &lp.1), &d, &[], &call())
            .unwrap()
            .expect("a plan");
        assert_eq!(z, 2.0);
        assert_eq!(x, vec![1.0, 1.0, 0.0, 0.0]);
    }

    /// The near-zero set a `resolve::Base` passes on (`near_zero`): integer columns at
    /// `d >= −NEAR` only, ascending.
    #[test]
    fn the_near_zero_columns_are_the_first_mips() {
        let (mut m, _) = two_by_two();
        m.columns[3].integer = false;
        let d = [-NEAR, 0.0, -2.0 * NEAR, 0.0];
        assert_eq!(near_zero(&m, &d), vec![0, 1]);
    }

    /// A re-solve's base plan joins the first MIP whatever its reduced costs: with columns 2
    /// and 3 priced far below zero, the near-zero MIP alone has no plan (and the fallback
    /// around the LP's placements 0 + 1 gives 2); with 2 and 3 as the hint it finds 3.
    #[test]
    fn the_hinted_plan_joins_the_first_mip() {
        let (m, csc) = two_by_two();
        let lp = ([0u32, 1], [1.0, 1.0]);
        let d = [0.0, -1.0, -1.0, -1.0];
        let (x, z) = incumbent(
            &m,
            &csc,
            &Cuts::default(),
            (&lp.0, &lp.1),
            &d,
            &[2, 3],
            &call(),
        )
        .unwrap()
        .expect("a plan");
        assert_eq!(z, 3.0);
        assert_eq!(x, vec![0.0, 0.0, 1.0, 1.0]);
    }
}
