//! The fast path's first restricted set of columns (step 1 of `pricing`): every column that is
//! not a pair's, and per row the best few pair columns by objective, in one pass over each row.

use rayon::prelude::*;

use crate::model::{ColumnKind, Model};

/// Every column that is not a pair's (shortfalls, relaxations), and per row the best `per_row` columns by objective and the best
/// `per_row` among those whose coefficient helps the row hold.
pub(super) fn initial_set(m: &Model, per_row: usize) -> Vec<bool> {
    let mut in_r: Vec<bool> = m
        .columns
        .iter()
        .map(|c| matches!(c.kind, ColumnKind::Shortfall { .. }))
        .collect();
    // Best first: larger objective, then smaller index (a total order, so the chosen set never
    // depends on the order rows are visited). One pass over each row keeps its best `per_row`
    // entries (national-hard has rows of 25 M entries: no copy, no selection over all of them).
    let chosen: Vec<Vec<u32>> = m
        .rows
        .par_iter()
        .map(|row| {
            let helps =
                |a: f64| (row.lower.is_finite() && a > 0.0) || (row.upper.is_finite() && a < 0.0);
            let mut all = Best::new(per_row);
            let mut helping = Best::new(per_row);
            for (j, a) in &row.entries {
                let o = m.columns[j as usize].objective;
                all.offer(o, j);
                if helps(a) {
                    helping.offer(o, j);
                }
            }
            let mut out = all.into_columns();
            out.extend(helping.into_columns());
            out
        })
        .collect();
    for j in chosen.into_iter().flatten() {
        in_r[j as usize] = true;
    }
    in_r
}

/// The best `k` columns offered so far: larger objective first, then smaller index.
struct Best {
    k: usize,
    /// (objective, column), best first; at most `k`.
    kept: Vec<(f64, u32)>,
}

impl Best {
    fn new(k: usize) -> Best {
        Best {
            k,
            kept: Vec::with_capacity(k + 1),
        }
    }

    fn offer(&mut self, objective: f64, j: u32) {
        let new = (objective, j);
        if self.kept.len() == self.k && self.kept.last().is_some_and(|w| !better(new, *w)) {
            return;
        }
        let at = self.kept.partition_point(|&e| better(e, new));
        self.kept.insert(at, new);
        self.kept.truncate(self.k);
    }

    fn into_columns(self) -> Vec<u32> {
        self.kept.into_iter().map(|e| e.1).collect()
    }
}

/// Whether `(objective, column)` x comes before y: larger objective (total order), then
/// smaller column.
fn better(x: (f64, u32), y: (f64, u32)) -> bool {
    y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).is_lt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The selection `initial_set` replaced: all offered columns, sorted by the same order.
    fn best_by_sorting(offers: &[(f64, u32)], k: usize) -> Vec<u32> {
        let mut all = offers.to_vec();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        all.truncate(k);
        all.into_iter().map(|e| e.1).collect()
    }

    #[test]
    fn one_pass_keeps_the_best_k_with_ties_by_index() {
        let mut s = 5u64;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s >> 33
        };
        for case in 0..300 {
            let len = (next() % 60) as usize;
            let k = 1 + (next() % 8) as usize;
            // Few distinct objectives, so ties are common; columns offered in any order.
            let offers: Vec<(f64, u32)> = (0..len)
                .map(|_| ((next() % 5) as f64 * 0.5 - 1.0, (next() % 1000) as u32))
                .collect();
            let mut best = Best::new(k);
            for &(o, j) in &offers {
                best.offer(o, j);
            }
            assert_eq!(
                best.into_columns(),
                best_by_sorting(&offers, k),
                "case {case}: {offers:?}, k {k}"
            );
        }
    }
}
