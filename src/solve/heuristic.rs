//! An LP-guided incumbent for the fast path, before reduced-cost fixing: fix what the (cut) LP
//! optimum already decides, and solve a small MIP over the rest.
//!
//! Pair columns at 1 in the LP optimum are fixed to 1. The free part is every column whose post
//! and candidate no fixed column uses, with reduced cost at least −[`REACH`] (at most
//! [`MAX_FREE`] of them, best reduced cost first, ties by index), plus every continuous column.
//! HiGHS solves that MIP under a node limit and a relative gap (not a time limit, so the
//! incumbent never depends on the machine's speed or load; under the user's time limit it
//! takes at most [`TIME_SHARE`] of the time left). Whatever it finds is a plan of the full
//! model, so its value z is a valid lower bound; the caller sets δ = L − z, which makes one
//! restricted MIP enough when z is optimal. The heuristic never decides optimality itself.

use super::columns::{CallOptions, Csc, SubModel, SubResult};
use super::cuts::Cuts;
use crate::model::{Model, RowKind};

/// Reduced costs down to −REACH may enter the free part.
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

/// A plan over all model columns and its objective, or `None` when the small MIP found none.
pub(super) fn incumbent(
    m: &Model,
    csc: &Csc,
    cuts: &Cuts,
    lp_x: (&[u32], &[f64]),
    d: &[f64],
    call: &CallOptions,
) -> Result<Option<(Vec<f64>, f64)>, String> {
    let n = m.columns.len();
    // `lp_x`: the LP optimum as (columns, values); every other column is 0.
    let mut fixed: Vec<u32> = lp_x
        .0
        .iter()
        .zip(lp_x.1)
        .filter(|&(&j, &v)| m.columns[j as usize].integer && v >= 1.0 - 1e-6)
        .map(|(&j, _)| j)
        .collect();
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
                && d[j as usize] >= -REACH
                && csc.column(j as usize).all(|(i, _)| !taken[i])
        })
        .collect();
    if free.len() > MAX_FREE {
        free.select_nth_unstable_by(MAX_FREE - 1, |a, b| {
            d[*b as usize].total_cmp(&d[*a as usize]).then(a.cmp(b))
        });
        free.truncate(MAX_FREE);
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
