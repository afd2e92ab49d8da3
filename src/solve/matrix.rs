//! The model's matrix by column (compressed sparse column), compact and built in parallel: the
//! fast path's one column-wise copy of the constraint matrix (issue 14 item 5).
//!
//! Row indices are `u16` (plus a second `u16` only beyond 65,536 rows); coefficients are stored
//! once in a small table and referenced by a `u16` code when the model has at most 65,536
//! distinct coefficients (every model `build` makes: ±1, and `in_group − bound` for a handful
//! of bounds), else as plain `f64`. On national-hard (164 M entries, 28 k rows) that is 4 bytes
//! an entry instead of 12, and column starts are `u32` below 2^32 entries: 0.76 GB instead of
//! 2.2 GB with the column starts.
//!
//! The transpose works on column ranges ("chunks") of about [`CHUNK_ENTRIES`] entries: each
//! chunk takes its part of every row (rows list their entries in column order, so a binary
//! search finds it) and writes only its own slice of the output, which stays in cache. Chunks
//! run in parallel; the result never depends on the thread count (per column, entries in row
//! order, as a sequential transpose gives them).

use std::collections::HashMap;

use rayon::prelude::*;

use crate::model::{Model, RowKind};

/// Entries per chunk of the transpose. Measured on national-hard (164 M entries, machine
/// loaded): 2^17 took 5.6–10 s, 2^19 5.4–6.1 s, 2^21 3.8 s, 2^23 3.9–4.5 s (each chunk visits
/// the part of every row in it, so small chunks pay per part).
const CHUNK_ENTRIES: usize = 1 << 21;
/// Rows with more distinct coefficients than this look them up in a hash map.
const SMALL_TABLE: usize = 32;

/// Coefficients of the entries, in entry order.
#[derive(Clone)]
enum Values {
    /// `table[code[k] as usize]` is entry k's coefficient.
    Coded { table: Vec<f64>, code: Vec<u16> },
    /// More distinct coefficients than a `u16` can name.
    Plain(Vec<f64>),
}

/// Where each column's entries start: `u32` while the matrix has fewer than 2^32 entries
/// (national-hard: 25 M columns, 100 MB instead of 200 MB), else `usize`.
#[derive(Clone)]
enum Starts {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl Starts {
    fn new(start: Vec<usize>) -> Starts {
        if start.last().is_none_or(|&s| s <= u32::MAX as usize) {
            Starts::Narrow(start.iter().map(|&s| s as u32).collect())
        } else {
            Starts::Wide(start)
        }
    }

    /// Where column j's entries start (j up to the column count: the end of the last).
    #[inline]
    fn at(&self, j: usize) -> usize {
        match self {
            Starts::Narrow(v) => v[j] as usize,
            Starts::Wide(v) => v[j],
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Starts::Narrow(v) => v.len() * 4,
            Starts::Wide(v) => v.len() * 8,
        }
    }
}

/// The model's matrix by column. Column j's entries are `start.at(j)..start.at(j + 1)`, in
/// ascending row order.
#[derive(Clone)]
pub(crate) struct Csc {
    start: Starts,
    /// The low 16 bits of each entry's row.
    rows_low: Vec<u16>,
    /// The high 16 bits, only when the model has more than 65,536 rows (else empty: national
    /// scale has 28 k rows, and 2 bytes an entry are 330 MB there).
    rows_high: Vec<u16>,
    values: Values,
    /// One past the last `CandidateOnce` or `PostOnce` row (0 without any): a column's entries
    /// at or past it are rule rows and the like ([`Csc::once_rows`]).
    once_end: usize,
}

/// Per row: its entries' positions in column order (`None`: the row lists them so already).
fn column_order(m: &Model) -> Vec<Option<Vec<u32>>> {
    m.rows
        .par_iter()
        .map(|r| {
            let cols = r.entries.columns();
            if cols.windows(2).all(|w| w[0] <= w[1]) {
                return None;
            }
            let mut order: Vec<u32> = (0..cols.len() as u32).collect();
            // Stable: equal columns keep their order in the row.
            order.sort_by_key(|&k| cols[k as usize]);
            Some(order)
        })
        .collect()
}

/// The distinct coefficients of the model (ascending by bits), or `None` when a `u16` cannot
/// name them all.
fn coefficient_table(m: &Model) -> Option<Vec<f64>> {
    let limit = u16::MAX as usize + 1;
    let per_row: Option<Vec<Vec<u64>>> = m
        .rows
        .par_iter()
        .map(|r| {
            // Rows hold their distinct coefficients already (see `model::Entries`).
            if let Some(table) = r.entries.table() {
                let mut all: Vec<u64> = table.iter().map(|a| a.to_bits()).collect();
                all.sort_unstable();
                all.dedup();
                return Some(all);
            }
            let mut seen: Vec<u64> = Vec::new();
            for (_, a) in &r.entries {
                let b = a.to_bits();
                if !seen.contains(&b) {
                    seen.push(b);
                    if seen.len() > SMALL_TABLE {
                        let mut all: Vec<u64> = r.entries.iter().map(|e| e.1.to_bits()).collect();
                        all.sort_unstable();
                        all.dedup();
                        return (all.len() <= limit).then_some(all);
                    }
                }
            }
            Some(seen)
        })
        .collect();
    let mut all: Vec<u64> = per_row?.into_iter().flatten().collect();
    all.sort_unstable();
    all.dedup();
    (all.len() <= limit).then(|| all.into_iter().map(f64::from_bits).collect())
}

/// Maps coefficients to their code in the table: a short list of recent ones, a hash map
/// beyond.
struct Coder<'a> {
    table: &'a HashMap<u64, u16>,
    recent: Vec<(u64, u16)>,
}

impl Coder<'_> {
    fn code(&mut self, a: f64) -> u16 {
        let b = a.to_bits();
        if let Some(&(_, c)) = self.recent.iter().find(|e| e.0 == b) {
            return c;
        }
        let c = self.table[&b];
        if self.recent.len() < SMALL_TABLE {
            self.recent.push((b, c));
        }
        c
    }
}

impl Csc {
    /// The column-wise form of `m`'s rows (O(entries), parallel over column ranges).
    pub(crate) fn from_model(m: &Model) -> Csc {
        Csc::from_model_in(m, CHUNK_ENTRIES)
    }

    /// [`Csc::from_model`] with chunks of about `chunk_entries` entries (tests use tiny ones).
    fn from_model_in(m: &Model, chunk_entries: usize) -> Csc {
        let n = m.columns.len();
        let order = column_order(m);
        // The positions of row i's entries in column order, as an iterator over (column, k).
        let entry =
            |i: usize, p: usize| -> usize { order[i].as_ref().map_or(p, |o| o[p] as usize) };
        // 1. Entries per column, by chunks of columns of about equal size.
        let mut count = vec![0usize; n + 1];
        let nnz: usize = m.rows.iter().map(|r| r.entries.len()).sum();
        let chunks = (nnz / chunk_entries.max(1)).clamp(1, n.max(1));
        let width = n.div_ceil(chunks).max(1);
        let parts = row_parts(m, width, n.div_ceil(width), &entry);
        count[1..]
            .par_chunks_mut(width)
            .zip(&parts)
            .enumerate()
            .for_each(|(c, (counts, parts))| {
                let lo = c * width;
                for &(i, first, end) in parts {
                    let e = m.rows[i as usize].entries.columns();
                    for p in first as usize..end as usize {
                        counts[e[entry(i as usize, p)] as usize - lo] += 1;
                    }
                }
            });
        for j in 0..n {
            count[j + 1] += count[j];
        }
        let start = count;
        // 2. The transpose, chunk by chunk: each writes its own slice of rows and values.
        let wide = m.rows.len() > 1 << 16;
        let mut rows_low = vec![0u16; nnz];
        let mut rows_high = vec![0u16; if wide { nnz } else { 0 }];
        let table = coefficient_table(m);
        let mut codes: Vec<u16> = Vec::new();
        let mut plain: Vec<f64> = Vec::new();
        match &table {
            Some(_) => codes = vec![0u16; nnz],
            None => plain = vec![0.0; nnz],
        }
        let index: HashMap<u64, u16> = table
            .iter()
            .flatten()
            .enumerate()
            .map(|(c, a)| (a.to_bits(), c as u16))
            .collect();
        // Split the outputs at chunk boundaries.
        let mut slices = Vec::with_capacity(chunks);
        {
            let (mut r_rest, mut h_rest, mut c_rest, mut p_rest) = (
                &mut rows_low[..],
                &mut rows_high[..],
                &mut codes[..],
                &mut plain[..],
            );
            let mut lo = 0;
            while lo < n {
                let hi = (lo + width).min(n);
                let len = start[hi] - start[lo];
                let (r, rr) = r_rest.split_at_mut(len);
                let (h, hr) = h_rest.split_at_mut(if wide { len } else { 0 });
                let (c, cr) = c_rest.split_at_mut(if table.is_some() { len } else { 0 });
                let (p, pr) = p_rest.split_at_mut(if table.is_some() { 0 } else { len });
                slices.push((lo, hi, (r, h), c, p));
                (r_rest, h_rest, c_rest, p_rest) = (rr, hr, cr, pr);
                lo = hi;
            }
        }
        slices.into_par_iter().zip(&parts).for_each(
            |((lo, hi, (r_out, h_out), c_out, p_out), parts)| {
                let base = start[lo];
                let mut next: Vec<usize> = start[lo..hi].iter().map(|&s| s - base).collect();
                let mut coder = Coder {
                    table: &index,
                    recent: Vec::new(),
                };
                for &(i, first, end) in parts {
                    let e = &m.rows[i as usize].entries;
                    for p in first as usize..end as usize {
                        let (j, a) = e.get(entry(i as usize, p));
                        let k = &mut next[j as usize - lo];
                        r_out[*k] = i as u16;
                        if wide {
                            h_out[*k] = (i >> 16) as u16;
                        }
                        if c_out.is_empty() {
                            p_out[*k] = a;
                        } else {
                            c_out[*k] = coder.code(a);
                        }
                        *k += 1;
                    }
                }
            },
        );
        let values = match table {
            Some(table) => Values::Coded { table, code: codes },
            None => Values::Plain(plain),
        };
        let once_end = m
            .rows
            .iter()
            .rposition(|r| matches!(r.kind, RowKind::CandidateOnce(_) | RowKind::PostOnce(_)))
            .map_or(0, |i| i + 1);
        Csc {
            start: Starts::new(start),
            rows_low,
            rows_high,
            values,
            once_end,
        }
    }

    /// Column j's `CandidateOnce` and `PostOnce` rows among others before the last such row of
    /// the model, in ascending order: the front of [`Csc::column`], without reading the rest
    /// (a model from `model::build` lists those rows first, so a pair column's scan stops after
    /// two or three entries instead of six to eight).
    pub(crate) fn once_rows(&self, j: usize) -> impl Iterator<Item = usize> + '_ {
        let (lo, hi) = (self.start.at(j), self.start.at(j + 1));
        (lo..hi)
            .map(move |k| self.row(k))
            .take_while(move |&i| i < self.once_end)
    }

    /// Column j's entries: (row, coefficient), in ascending row order.
    pub(crate) fn column(&self, j: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let (lo, hi) = (self.start.at(j), self.start.at(j + 1));
        (lo..hi).map(move |k| (self.row(k), self.value(k)))
    }

    fn row(&self, k: usize) -> usize {
        let low = self.rows_low[k] as usize;
        match self.rows_high.get(k) {
            Some(&h) => low | (h as usize) << 16,
            None => low,
        }
    }

    fn value(&self, k: usize) -> f64 {
        match &self.values {
            Values::Coded { table, code } => table[code[k] as usize],
            Values::Plain(v) => v[k],
        }
    }

    /// Writes `c_j − Σ_i a_ij y_i` for every column j into `out` (resized to the column count),
    /// the sum in ascending row order: the same numbers whatever the thread count.
    pub(crate) fn reduced_costs_into(&self, m: &Model, y: &[f64], out: &mut Vec<f64>) {
        let n = m.columns.len();
        out.resize(n, 0.0);
        out.par_chunks_mut(4096).enumerate().for_each(|(c, chunk)| {
            let lo = c * 4096;
            for (o, d) in chunk.iter_mut().enumerate() {
                let j = lo + o;
                let (a, b) = (self.start.at(j), self.start.at(j + 1));
                let low = &self.rows_low;
                let dot: f64 = match (&self.values, self.rows_high.is_empty()) {
                    (Values::Coded { table, code }, true) => (a..b)
                        .map(|k| table[code[k] as usize] * y[low[k] as usize])
                        .sum(),
                    (Values::Coded { table, code }, false) => (a..b)
                        .map(|k| table[code[k] as usize] * y[self.row(k)])
                        .sum(),
                    (Values::Plain(v), _) => (a..b).map(|k| v[k] * y[self.row(k)]).sum(),
                };
                *d = m.columns[j].objective - dot;
            }
        });
    }

    /// Entries held (for the trace) and bytes used.
    pub(crate) fn size(&self) -> (usize, usize) {
        let per = match &self.values {
            Values::Coded { .. } => 2,
            Values::Plain(_) => 8,
        } + 2
            + if self.rows_high.is_empty() { 0 } else { 2 };
        let nnz = self.rows_low.len();
        (nnz, nnz * per + self.start.bytes())
    }
}

/// Per chunk of `width` columns (`chunks` of them), the parts of the rows whose columns fall in
/// it: (row, first, end) as positions in the row's column order (`entry` maps them to entry
/// indices), rows ascending. One sequential walk over each row (rows in parallel).
fn row_parts(
    m: &Model,
    width: usize,
    chunks: usize,
    entry: &(impl Fn(usize, usize) -> usize + Sync),
) -> Vec<Vec<(u32, u32, u32)>> {
    let per_row: Vec<Vec<(u32, u32, u32)>> = m
        .rows
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            let e = r.entries.columns();
            // (chunk, first, end) of each run of entries in one chunk.
            let mut runs: Vec<(u32, u32, u32)> = Vec::new();
            let mut hi = 0; // the current run's chunk ends before column hi
            for p in 0..e.len() {
                let col = e[entry(i, p)] as usize;
                if col >= hi || runs.is_empty() {
                    if let Some(last) = runs.last_mut() {
                        last.2 = p as u32;
                    }
                    let c = col / width;
                    hi = (c + 1) * width;
                    runs.push((c as u32, p as u32, e.len() as u32));
                }
            }
            runs
        })
        .collect();
    let mut parts: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); chunks];
    for (i, runs) in per_row.into_iter().enumerate() {
        for (c, first, end) in runs {
            parts[c as usize].push((i as u32, first, end));
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, ColumnKind, Row, RowKind};

    /// The plain transpose the parallel one must equal.
    fn naive(m: &Model) -> Vec<Vec<(usize, f64)>> {
        let mut cols = vec![Vec::new(); m.columns.len()];
        for (i, r) in m.rows.iter().enumerate() {
            for (j, a) in &r.entries {
                cols[j as usize].push((i, a));
            }
        }
        cols
    }

    fn model(n: usize, rows: Vec<Vec<(u32, f64)>>) -> Model {
        Model {
            columns: (0..n)
                .map(|j| Column {
                    kind: ColumnKind::Pair(j as u32),
                    objective: j as f64 * 0.5,
                    upper: 1.0,
                    integer: true,
                })
                .collect(),
            rows: rows
                .into_iter()
                .map(|entries| Row {
                    kind: RowKind::Cut { tableau: false },
                    lower: 0.0,
                    upper: 1.0,
                    entries: entries.into(),
                })
                .collect(),
            ..Model::default()
        }
    }

    /// `once_rows` gives exactly the `CandidateOnce` and `PostOnce` rows of each column that
    /// `column` gives, whatever the order of the kinds: here once rows sit between rule rows
    /// (a model from `model::build` lists them first), and a model without any has none.
    #[test]
    fn once_rows_are_the_columns_once_rows_in_any_row_order() {
        let mut state = 7u64;
        for case in 0..200 {
            let n = 1 + case % 9;
            let rows: Vec<Vec<(u32, f64)>> = (0..1 + case % 7)
                .map(|_| {
                    (0..n as u32)
                        .filter(|_| lcg(&mut state).is_multiple_of(3))
                        .map(|j| (j, 1.0))
                        .collect()
                })
                .collect();
            let mut m = model(n, rows);
            for (i, r) in m.rows.iter_mut().enumerate() {
                r.kind = match lcg(&mut state) % 4 {
                    0 if case % 5 != 0 => RowKind::CandidateOnce(i),
                    1 if case % 5 != 0 => RowKind::PostOnce(i),
                    2 => RowKind::RuleMin {
                        rule: 0,
                        team: None,
                    },
                    _ => RowKind::Cut { tableau: false },
                };
            }
            let csc = Csc::from_model(&m);
            for j in 0..n {
                let want: Vec<usize> = csc
                    .column(j)
                    .map(|(i, _)| i)
                    .filter(|&i| {
                        matches!(
                            m.rows[i].kind,
                            RowKind::CandidateOnce(_) | RowKind::PostOnce(_)
                        )
                    })
                    .collect();
                let got: Vec<usize> = csc
                    .once_rows(j)
                    .filter(|&i| {
                        matches!(
                            m.rows[i].kind,
                            RowKind::CandidateOnce(_) | RowKind::PostOnce(_)
                        )
                    })
                    .collect();
                assert_eq!(got, want, "case {case}, column {j}");
            }
        }
    }

    /// A small deterministic generator (no dependency for a test).
    fn lcg(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *state >> 33
    }

    fn assert_transposes(m: &Model, chunk: usize, what: &str) {
        let csc = Csc::from_model_in(m, chunk);
        let want = naive(m);
        for (j, w) in want.iter().enumerate() {
            let got: Vec<(usize, f64)> = csc.column(j).collect();
            assert_eq!(&got, w, "{what}, column {j}");
        }
        let y: Vec<f64> = (0..m.rows.len()).map(|i| i as f64 * 0.3 - 1.0).collect();
        let mut d = Vec::new();
        csc.reduced_costs_into(m, &y, &mut d);
        for (j, w) in want.iter().enumerate() {
            let dot: f64 = w.iter().map(|&(i, a)| a * y[i]).sum();
            assert_eq!(d[j], m.columns[j].objective - dot, "{what}, column {j}");
        }
    }

    #[test]
    fn column_starts_narrow_below_two_to_the_32_entries_wide_beyond() {
        let narrow = Starts::new(vec![0, 3, 3, u32::MAX as usize]);
        assert!(matches!(narrow, Starts::Narrow(_)));
        assert_eq!(
            (0..4).map(|j| narrow.at(j)).collect::<Vec<_>>(),
            [0, 3, 3, u32::MAX as usize]
        );
        assert_eq!(narrow.bytes(), 16);
        let big = u32::MAX as usize + 7;
        let wide = Starts::new(vec![0, 5, big]);
        assert!(matches!(wide, Starts::Wide(_)));
        assert_eq!((0..3).map(|j| wide.at(j)).collect::<Vec<_>>(), [0, 5, big]);
        assert!(matches!(Starts::new(vec![0]), Starts::Narrow(_)));
    }

    #[test]
    fn more_rows_than_sixteen_bits_name() {
        let mut s = 11u64;
        let n = 300;
        let rows: Vec<Vec<(u32, f64)>> = (0..70_000)
            .map(|_| {
                let j = (lcg(&mut s) % n) as u32;
                vec![(j, 1.0), ((j + 1) % n as u32, -0.4)]
            })
            .collect();
        let m = model(n as usize, rows);
        for chunk in [1, 1000, CHUNK_ENTRIES] {
            let csc = Csc::from_model_in(&m, chunk);
            assert!(
                !csc.rows_high.is_empty(),
                "rows past 65,535 need the high half"
            );
            assert_transposes(&m, chunk, &format!("70,000 rows, chunks of {chunk}"));
        }
    }

    #[test]
    fn equals_the_plain_transpose_sorted_unsorted_coded_and_plain() {
        let mut s = 7u64;
        for case in 0..40 {
            let many = case % 4 == 3; // more distinct values than a u16 names
            let n = if many {
                66_000
            } else {
                1 + (lcg(&mut s) % 3000) as usize
            };
            let mut rows = Vec::new();
            for _ in 0..(1 + lcg(&mut s) % if many { 3 } else { 30 }) {
                let mut e: Vec<(u32, f64)> = Vec::new();
                for j in 0..n as u32 {
                    if lcg(&mut s).is_multiple_of(3) {
                        let v = if many {
                            j as f64 + 0.25
                        } else {
                            [1.0, -1.0, 0.6, -0.4][(lcg(&mut s) % 4) as usize]
                        };
                        e.push((j, v));
                    }
                }
                if case % 2 == 1 {
                    e.reverse(); // rows not in column order
                }
                rows.push(e);
            }
            if many {
                rows.push(
                    (0..n as u32)
                        .map(|j| (j, j as f64 * 1e-3 + 70_000.0))
                        .collect(),
                );
            }
            let m = model(n, rows);
            let chunk = [1, 7, 100, CHUNK_ENTRIES][case % 4 / 2 + (case / 8) % 3];
            let csc = Csc::from_model_in(&m, chunk);
            assert_eq!(
                matches!(csc.values, Values::Plain(_)),
                many,
                "case {case}: coded unless more than 65,536 distinct coefficients"
            );
            assert!(
                csc.rows_high.is_empty(),
                "case {case}: few rows, 16 bits each"
            );
            assert_transposes(&m, chunk, &format!("case {case}"));
        }
    }
}
