//! Lifting Gomory cuts chosen over the pricing LP's columns to every other column of the
//! model, all cuts of a round in one pass over the columns.
//!
//! A cut of `gomory` is chosen over the LP's columns, where the LP point x is; every other
//! column is 0 at x, so it is never complemented and never changes the cut's right side, its
//! scaling or its violation, only its entries (and so its norm). Column j's coefficient is a
//! function of its entries in the aggregated rows alone ([`Recipe`]): with
//! `a_j = sign·Σ_i u_i a_ij`, an integer column gets the MIR coefficient of `a_j` (0 when it is
//! fixed at 0), a continuous one `min(0, a_j)/(1 − f0)`, and every column adds `Σ_i c_i a_ij`
//! over the row activities substituted into the cut. This is the same cut `gomory::mir` would
//! build over every column with the same sign and scaling, so its validity proof is that of
//! the module `gomory`.
//!
//! **Why by column.** Aggregating row by row into an accumulator over every column (2.5 M on
//! province-hard) spent most of a Gomory round in cache misses (session 20's perf: 10.8 M
//! aggregated entries a round, 18% of the solve's samples in the aggregation). Here the model
//! is read once, column by column, and each entry is added to the few cuts whose rows hold it,
//! in an accumulator of one value per cut.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::columns::Csc;
use super::cuts::Cuts;
use super::gomory::Recipe;
use crate::model::Model;

/// Columns per parallel job (fixed, so the output never depends on the thread count; it does
/// not anyway, since every column is computed on its own and the jobs are joined in order).
const CHUNK: usize = 1 << 15;

/// One cut's use of a row: (cut, multiplier u_i, row-activity coefficient c_i).
type Use = (u32, f64, f64);

/// The entries of every cut in `recipes` over the columns of `m` outside the LP (`in_lp`, by
/// column: a cut's entries on the LP's columns are already known), each list sorted by
/// column, zeros left out. A cut with more than `cap` entries here gets `None` (the caller
/// passes its density limit; the few entries `gomory` drops as negligible are counted too, so
/// a cut just over the limit is refused that the drop would have saved: rare, and only a cut
/// fewer). `cuts` are the cut rows after the model's rows, as the LP holds them.
pub(super) fn lift(
    m: &Model,
    csc: &Csc,
    cuts: &Cuts,
    in_lp: &[bool],
    recipes: &[&Recipe],
    cap: usize,
) -> Vec<Option<Vec<(u32, f64)>>> {
    let n = m.columns.len();
    let n_rows = m.rows.len();
    if recipes.is_empty() {
        return Vec::new();
    }
    // Each row's uses, by row (model rows, then cut rows), in cut order.
    let mut uses: Vec<Vec<Use>> = vec![Vec::new(); n_rows + cuts.rows.len()];
    for (k, r) in recipes.iter().enumerate() {
        for &(i, u) in &r.u {
            uses[i as usize].push((k as u32, u, 0.0));
        }
        for &(i, c) in &r.row_terms {
            let list = &mut uses[i];
            match list.iter_mut().find(|e| e.0 == k as u32) {
                Some(e) => e.2 += c,
                None => list.push((k as u32, 0.0, c)),
            }
        }
    }
    let by_cut_row = cut_rows_by_column(cuts, &uses[n_rows..], in_lp);
    // Entries counted so far per cut, over the chunks done: once a cut has more than `cap`,
    // it will be `None` whatever the other chunks hold, so later chunks count its entries
    // without keeping them (the peak stays near `cap` a cut). Which entries are kept before
    // that depends on the order chunks finish, but not the answer: a cut is `None` exactly
    // when its full count exceeds `cap`.
    let counted: Vec<AtomicUsize> = (0..recipes.len()).map(|_| AtomicUsize::new(0)).collect();
    let mut chunks: Vec<Vec<Vec<(u32, f64)>>> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let doomed: Vec<bool> = counted
                .iter()
                .map(|t| t.load(Ordering::Relaxed) > cap)
                .collect();
            let mut out: Vec<Vec<(u32, f64)>> = vec![Vec::new(); recipes.len()];
            let mut count = vec![0usize; recipes.len()];
            let mut acc = PerCut::new(recipes.len());
            let first = c * CHUNK;
            let chunk = &in_lp[first..(first + CHUNK).min(n)];
            for (j, _) in chunk.iter().enumerate().filter(|(_, &lp)| !lp) {
                let j = first + j;
                for (i, a) in csc.column(j) {
                    acc.add(&uses[i], a);
                }
                for &(r, a) in by_cut_row.column(j) {
                    acc.add(&uses[n_rows + r as usize], a);
                }
                let col = &m.columns[j];
                for (k, agg, terms) in acc.drain() {
                    let v = recipes[k].coefficient(col, agg, terms);
                    if v != 0.0 {
                        count[k] += 1;
                        if !doomed[k] {
                            out[k].push((j as u32, v));
                        }
                    }
                }
            }
            for (k, list) in out.iter_mut().enumerate() {
                if counted[k].fetch_add(count[k], Ordering::Relaxed) + count[k] > cap {
                    *list = Vec::new();
                }
            }
            out
        })
        .collect();
    // Each cut's entries, chunk by chunk, freed as they are joined.
    (0..recipes.len())
        .map(|k| {
            let keep = counted[k].load(Ordering::Relaxed) <= cap;
            let total: usize = if keep {
                chunks.iter().map(|c| c[k].len()).sum()
            } else {
                0
            };
            let mut all = Vec::with_capacity(total);
            for c in chunks.iter_mut() {
                let part = std::mem::take(&mut c[k]);
                if keep {
                    all.extend(part);
                }
            }
            keep.then_some(all)
        })
        .collect()
}

/// One column's sums per cut: `Σ u_i a_ij` and `Σ c_i a_ij`, and which cuts it touched.
struct PerCut {
    agg: Vec<f64>,
    terms: Vec<f64>,
    seen: Vec<bool>,
    touched: Vec<usize>,
}

impl PerCut {
    fn new(cuts: usize) -> PerCut {
        PerCut {
            agg: vec![0.0; cuts],
            terms: vec![0.0; cuts],
            seen: vec![false; cuts],
            touched: Vec::new(),
        }
    }

    /// Adds an entry `a` of a row with these uses.
    fn add(&mut self, uses: &[Use], a: f64) {
        for &(k, u, t) in uses {
            let k = k as usize;
            self.agg[k] += u * a;
            self.terms[k] += t * a;
            if !self.seen[k] {
                self.seen[k] = true;
                self.touched.push(k);
            }
        }
    }

    /// (cut, Σ u_i a_ij, Σ c_i a_ij) of every cut touched since the last drain; empty after.
    fn drain(&mut self) -> impl Iterator<Item = (usize, f64, f64)> + '_ {
        self.touched.drain(..).map(|k| {
            self.seen[k] = false;
            (
                k,
                std::mem::take(&mut self.agg[k]),
                std::mem::take(&mut self.terms[k]),
            )
        })
    }
}

/// The entries of the cut rows some cut uses, over the columns outside the LP, by column.
struct ByColumn {
    /// `start[j]..start[j + 1]` indexes column j's (cut row, coefficient) entries.
    start: Vec<u32>,
    entries: Vec<(u32, f64)>,
}

impl ByColumn {
    fn column(&self, j: usize) -> &[(u32, f64)] {
        match (self.start.get(j), self.start.get(j + 1)) {
            (Some(&lo), Some(&hi)) => &self.entries[lo as usize..hi as usize],
            _ => &[],
        }
    }
}

/// [`ByColumn`] of the cut rows with a use (`uses`, by cut row), by a counting sort.
fn cut_rows_by_column(cuts: &Cuts, uses: &[Vec<Use>], in_lp: &[bool]) -> ByColumn {
    let used: Vec<usize> = (0..cuts.rows.len())
        .filter(|&r| !uses[r].is_empty())
        .collect();
    if used.is_empty() {
        return ByColumn {
            start: Vec::new(),
            entries: Vec::new(),
        };
    }
    let n = in_lp.len();
    let mut start = vec![0u32; n + 1];
    for &r in &used {
        for &(j, _) in &cuts.rows[r].entries {
            if !in_lp[j as usize] {
                start[j as usize + 1] += 1;
            }
        }
    }
    for j in 0..n {
        start[j + 1] += start[j];
    }
    let mut next = start.clone();
    let mut entries = vec![(0u32, 0.0f64); start[n] as usize];
    // Rows in ascending order, so each column's entries are too.
    for &r in &used {
        for &(j, a) in &cuts.rows[r].entries {
            if !in_lp[j as usize] {
                let p = &mut next[j as usize];
                entries[*p as usize] = (r as u32, a);
                *p += 1;
            }
        }
    }
    ByColumn { start, entries }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, ColumnKind, Row, RowKind};
    use crate::solve::cuts::Cut;

    /// A tiny deterministic generator (tests only).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 33
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn coef(&mut self) -> f64 {
            (self.below(2000) as f64 - 1000.0) / 370.0
        }
    }

    /// Every lifted coefficient equals the formula of the module docs computed row by row
    /// from the model and cut rows, over a model wider than one chunk, with columns fixed at
    /// 0, a continuous column, and rows used both as multipliers and as substituted
    /// activities; columns of the LP get none, zeros are left out, lists are sorted, and a
    /// list longer than the cap is `None`.
    #[test]
    fn lifted_entries_match_the_row_by_row_formula() {
        let mut rng = Lcg(7);
        let n = 2 * CHUNK + 123;
        let columns: Vec<Column> = (0..n)
            .map(|j| Column {
                kind: ColumnKind::Pair(j as u32),
                objective: 1.0,
                upper: if j % 97 == 0 { 0.0 } else { 1.0 },
                integer: j % 1001 != 5,
            })
            .collect();
        let rows: Vec<Row> = (0..6)
            .map(|_| {
                let mut entries: Vec<(u32, f64)> = (0..n as u32)
                    .filter(|_| rng.below(5) == 0)
                    .map(|j| (j, 0.0))
                    .collect();
                for e in &mut entries {
                    e.1 = rng.coef();
                }
                Row {
                    kind: RowKind::RuleMin {
                        rule: 0,
                        team: Some(0),
                    },
                    lower: 0.0,
                    upper: f64::INFINITY,
                    entries: entries.into(),
                }
            })
            .collect();
        let m = Model {
            columns,
            rows,
            ..Default::default()
        };
        let csc = Csc::from_model(&m);
        let mut cuts = Cuts::default();
        for _ in 0..3 {
            let mut entries: Vec<(u32, f64)> = Vec::new();
            for j in 0..n as u32 {
                if rng.below(7) == 0 {
                    entries.push((j, 0.5 + rng.below(3) as f64));
                }
            }
            cuts.add(Cut {
                lower: 1.0,
                entries,
            });
        }
        let lp: Vec<bool> = (0..n).map(|j| j % 3 == 0).collect();
        let recipes = [
            Recipe {
                sign: 1.0,
                delta: 1.0,
                f0: 0.3,
                u: vec![(0, 0.7), (2, -1.3), (7, 0.25)],
                row_terms: vec![(2, -0.4), (7, 1.1)],
            },
            Recipe {
                sign: -1.0,
                delta: 2.5,
                f0: 0.55,
                u: vec![(1, 1.0), (5, 0.2), (6, -0.9), (8, 2.0)],
                row_terms: vec![(3, 0.6)],
            },
        ];
        let refs: Vec<&Recipe> = recipes.iter().collect();
        let lifted = lift(&m, &csc, &cuts, &lp, &refs, usize::MAX);
        // Row i's coefficient of column j (model rows, then cut rows).
        let model_rows: Vec<Vec<(u32, f64)>> = m.rows.iter().map(|r| r.entries.to_vec()).collect();
        let a = |i: usize, j: u32| -> f64 {
            let entries: &[(u32, f64)] = if i < m.rows.len() {
                &model_rows[i]
            } else {
                &cuts.rows[i - m.rows.len()].entries
            };
            entries
                .binary_search_by_key(&j, |e| e.0)
                .map_or(0.0, |p| entries[p].1)
        };
        for (r, got) in recipes.iter().zip(&lifted) {
            let got = got.as_ref().expect("within the cap");
            let mut want = Vec::new();
            for j in (0..n as u32).filter(|j| j % 3 != 0) {
                // The sums row by row; the formula on them is `gomory`'s (the oracle test
                // checks the cuts it makes at every enumerated plan).
                let agg: f64 = r.u.iter().map(|&(i, u)| u * a(i as usize, j)).sum();
                let terms: f64 = r.row_terms.iter().map(|&(i, c)| c * a(i, j)).sum();
                let v = r.coefficient(&m.columns[j as usize], agg, terms);
                if v != 0.0 {
                    want.push((j, v));
                }
            }
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(g.0, w.0);
                assert!(
                    (g.1 - w.1).abs() <= 1e-12 * (1.0 + w.1.abs()),
                    "{g:?} against {w:?}"
                );
            }
        }
        let capped = lift(&m, &csc, &cuts, &lp, &refs, 10);
        assert!(capped.iter().all(Option::is_none));
    }
}
