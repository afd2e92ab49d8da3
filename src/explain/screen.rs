//! Which forced placements `explain --candidate` must re-solve: the cheapest by the screening
//! bound first, until no other post can be cheaper than the cheapest exact cost found.
//!
//! The answer of `explain --candidate` is the cost of each post and the cheapest other post
//! ("next best"). A post whose proven lower bound on the cost (`Base::loss_at_least`) is above
//! the cheapest exact cost plus a margin can be neither next best nor tie with it, so it is shown
//! with its bound ("at least 0.42") instead of being re-solved. Batches have a fixed size, so the
//! set re-solved never depends on the thread count.

use crate::error::Error;
use crate::resolve::{Base, ForcedStatus, Forcing};

/// Re-solves per round: enough to keep two cores busy, small enough to stop early.
const BATCH: usize = 2;

/// One `Forcing` per pair of `pairs` (each a pair of the same candidate), in input order:
/// exact where it can change the answer, `screened` with its bound where it cannot, and
/// `no_solution` with its bound when the time limit ran out first. `done(n)` is called after
/// each round with the number of re-solves so far.
pub(crate) fn forced_costs(
    base: &Base,
    pairs: &[usize],
    done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<Forcing>, Error> {
    let bound: Vec<Option<f64>> = pairs.iter().map(|&i| base.loss_at_least(i)).collect();
    let key = |k: usize| bound[k].unwrap_or(f64::NEG_INFINITY);
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
    let mut out: Vec<Option<Forcing>> = vec![None; pairs.len()];
    let mut best: Option<f64> = None;
    let mut pos = 0;
    let margin = base.margin();
    let mut timed_out = false;
    while pos < order.len() {
        if base.out_of_time() {
            timed_out = true;
            break;
        }
        let batch: Vec<usize> = order[pos..]
            .iter()
            .copied()
            .take_while(|&k| best.is_none_or(|b| key(k) <= b + margin))
            .take(BATCH)
            .collect();
        if batch.is_empty() {
            break;
        }
        let fixes: Vec<_> = batch
            .iter()
            .map(|&k| crate::resolve::Fix {
                force: vec![pairs[k]],
                forbid: Vec::new(),
                cutoff: None,
                fill: None,
            })
            .collect();
        for (&k, f) in batch.iter().zip(base.run_all(&fixes)?) {
            if f.status == ForcedStatus::Optimal {
                let c = f.cost.expect("an optimal re-solve has a cost");
                best = Some(best.map_or(c, |b: f64| b.min(c)));
            }
            out[k] = Some(f);
        }
        pos += batch.len();
        done(pos);
    }
    Ok(out
        .into_iter()
        .enumerate()
        .map(|(k, f)| match (f, bound[k]) {
            (Some(f), _) => f,
            (None, Some(b)) if !timed_out => Forcing::screened(b.max(0.0)),
            (None, b) => Forcing {
                status: ForcedStatus::NoSolution,
                objective: None,
                cost: None,
                cost_at_least: b.map(|b| b.max(0.0)),
                changes: Vec::new(),
                message: match b {
                    Some(b) => format!(
                        "not re-solved: the time limit ran out (costs at least {:.4})",
                        b.max(0.0)
                    ),
                    None => "not re-solved: the time limit ran out".into(),
                },
            },
        })
        .collect())
}
