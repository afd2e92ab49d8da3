//! A row's entries `(column, coefficient)` stored compactly: columns as `u32`, coefficients
//! coded through a small per-row table (issue 14 item 5: one lean row-wise copy of the matrix).
//!
//! Every row `build` makes has a handful of distinct coefficients (±1, `in_group − bound`,
//! `one − bound`), so a row stores its distinct coefficients once and each entry names its
//! coefficient with a `u8` code, or with nothing at all when the row has one coefficient (the
//! candidate and post rows). On national-hard (164 M entries) that is 4–5 bytes an entry
//! instead of the 16 of a `Vec<(u32, f64)>` (2.6 GB). A row with more than 256 distinct
//! coefficients (the re-plan's objective floor, cut rows) keeps plain `f64`s: 12 bytes an entry.
//! Coefficients come back bit for bit as they went in (the table is keyed by bits), so nothing
//! that reads a row can tell the difference.
//!
//! Entries never change once built, and their lists are shared (`Arc`): cloning a model (every
//! re-solve of a slate or explain starts from a clone of its base's model) copies no entries
//! (national-hard: 0.77 GB a clone otherwise).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Distinct coefficients a row may have and still be coded with a `u8`.
const MAX_CODED: usize = 256;
/// Distinct coefficients looked up by a linear scan before a hash map takes over.
const SCAN: usize = 16;

/// Coefficients of a row's entries, in entry order.
#[derive(Clone, Default)]
enum Coefs {
    /// Entry k's coefficient is `table[code[k]]`; `code` is empty when `table` has one value
    /// (or the row none).
    #[default]
    Empty,
    Coded {
        table: Vec<f64>,
        code: Arc<[u8]>,
    },
    /// More distinct coefficients than a `u8` names.
    Plain(Arc<[f64]>),
}

/// The entries `(column, coefficient)` of one row, in the order they were given. Build one with
/// `From<Vec<(u32, f64)>>` or `collect()`; read it with [`Entries::iter`], [`Entries::get`] and
/// [`Entries::columns`]. Equality compares the entries, not the coding.
#[derive(Clone, Default)]
pub struct Entries {
    columns: Arc<[u32]>,
    coefs: Coefs,
}

impl Entries {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// Whether the row has no entries.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// The columns of the entries, in entry order.
    pub fn columns(&self) -> &[u32] {
        &self.columns
    }

    /// Entry k's coefficient. Panics when `k >= len()`.
    pub fn coef(&self, k: usize) -> f64 {
        match &self.coefs {
            Coefs::Empty => panic!("entry {k} of an empty row"),
            Coefs::Coded { table, code } if code.is_empty() => {
                assert!(
                    k < self.columns.len(),
                    "entry {k} of {}",
                    self.columns.len()
                );
                table[0]
            }
            Coefs::Coded { table, code } => table[code[k] as usize],
            Coefs::Plain(v) => v[k],
        }
    }

    /// Entry k as `(column, coefficient)`. Panics when `k >= len()`.
    pub fn get(&self, k: usize) -> (u32, f64) {
        (self.columns[k], self.coef(k))
    }

    /// The entries in order, by value.
    pub fn iter(&self) -> Iter<'_> {
        let coefs = match &self.coefs {
            Coefs::Empty => CoefIter::One(0.0),
            Coefs::Coded { table, code } if code.is_empty() => CoefIter::One(table[0]),
            Coefs::Coded { table, code } => CoefIter::Coded(table, code.iter()),
            Coefs::Plain(v) => CoefIter::Plain(v.iter()),
        };
        Iter {
            columns: self.columns.iter(),
            coefs,
        }
    }

    /// The row's distinct coefficients when it holds them in a table (in order of first
    /// appearance), `None` when it stores plain coefficients.
    pub fn table(&self) -> Option<&[f64]> {
        match &self.coefs {
            Coefs::Empty => Some(&[]),
            Coefs::Coded { table, .. } => Some(table),
            Coefs::Plain(_) => None,
        }
    }

    /// The entries as a plain list.
    pub fn to_vec(&self) -> Vec<(u32, f64)> {
        self.iter().collect()
    }

    /// Bytes held on the heap (for traces and tests), shared ones included.
    pub fn heap_bytes(&self) -> usize {
        self.columns.len() * 4
            + match &self.coefs {
                Coefs::Empty => 0,
                Coefs::Coded { table, code } => table.capacity() * 8 + code.len(),
                Coefs::Plain(v) => v.len() * 8,
            }
    }
}

/// Finds coefficients' codes: a scan over the first few distinct ones, a map beyond.
struct Coder {
    table: Vec<f64>,
    map: HashMap<u64, u8>,
}

impl Coder {
    /// The code of `a`, adding it to the table; `None` once the table would pass
    /// [`MAX_CODED`].
    fn code(&mut self, a: f64) -> Option<u8> {
        let b = a.to_bits();
        if self.table.len() <= SCAN {
            if let Some(c) = self.table.iter().position(|t| t.to_bits() == b) {
                return Some(c as u8);
            }
        } else if let Some(&c) = self.map.get(&b) {
            return Some(c);
        }
        if self.table.len() == MAX_CODED {
            return None;
        }
        let c = self.table.len() as u8;
        self.table.push(a);
        if self.table.len() > SCAN {
            if self.map.is_empty() {
                for (k, t) in self.table.iter().enumerate() {
                    self.map.insert(t.to_bits(), k as u8);
                }
            } else {
                self.map.insert(b, c);
            }
        }
        Some(c)
    }
}

impl From<Vec<(u32, f64)>> for Entries {
    fn from(list: Vec<(u32, f64)>) -> Entries {
        Entries::from(&list[..])
    }
}

impl From<&[(u32, f64)]> for Entries {
    fn from(list: &[(u32, f64)]) -> Entries {
        let columns: Arc<[u32]> = list.iter().map(|e| e.0).collect();
        if list.is_empty() {
            return Entries::default();
        }
        let mut coder = Coder {
            table: Vec::new(),
            map: HashMap::new(),
        };
        let mut code: Vec<u8> = Vec::new();
        // `code` is copied into its shared list once complete, so it grows exactly.
        for (k, &(_, a)) in list.iter().enumerate() {
            let Some(c) = coder.code(a) else {
                return Entries {
                    columns,
                    coefs: Coefs::Plain(list.iter().map(|e| e.1).collect()),
                };
            };
            if !code.is_empty() {
                code.push(c);
            } else if c != 0 {
                // The first entry with a second coefficient: every earlier one had code 0.
                code.reserve_exact(list.len());
                code.resize(k, 0);
                code.push(c);
            }
        }
        let mut table = coder.table;
        table.shrink_to_fit();
        Entries {
            columns,
            coefs: Coefs::Coded {
                table,
                code: Arc::from(code),
            },
        }
    }
}

impl FromIterator<(u32, f64)> for Entries {
    fn from_iter<I: IntoIterator<Item = (u32, f64)>>(iter: I) -> Entries {
        let list: Vec<(u32, f64)> = iter.into_iter().collect();
        Entries::from(list)
    }
}

/// The entries of a row in order, by value (see [`Entries::iter`]).
#[derive(Clone)]
pub struct Iter<'a> {
    columns: std::slice::Iter<'a, u32>,
    coefs: CoefIter<'a>,
}

/// Where [`Iter`] takes the coefficients from (as many as there are columns).
#[derive(Clone)]
enum CoefIter<'a> {
    One(f64),
    Coded(&'a [f64], std::slice::Iter<'a, u8>),
    Plain(std::slice::Iter<'a, f64>),
}

impl Iterator for Iter<'_> {
    type Item = (u32, f64);

    #[inline]
    fn next(&mut self) -> Option<(u32, f64)> {
        let &j = self.columns.next()?;
        let a = match &mut self.coefs {
            CoefIter::One(a) => *a,
            CoefIter::Coded(table, code) => table[*code.next()? as usize],
            CoefIter::Plain(v) => *v.next()?,
        };
        Some((j, a))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.columns.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Entries {
    type Item = (u32, f64);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl PartialEq for Entries {
    /// Same entries in the same order, coefficients compared as numbers (like the
    /// `Vec<(u32, f64)>` this replaces).
    fn eq(&self, other: &Entries) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Entries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency for a test).
    fn lcg(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *state >> 33
    }

    #[test]
    fn gives_back_every_entry_bit_for_bit_whatever_the_coding() {
        let mut s = 3u64;
        for case in 0..400 {
            let len = (lcg(&mut s) % 700) as usize;
            // 1, a few, around the coding limit, or all distinct coefficients.
            let distinct = [1, 2, 5, 17, 255, 256, 257, 700][case % 8];
            let list: Vec<(u32, f64)> = (0..len)
                .map(|_| {
                    let v = (lcg(&mut s) % distinct) as f64 * 0.37 - 3.0;
                    // -0.0 and NaN must come back as they went in.
                    let v = match lcg(&mut s) % 50 {
                        0 => -0.0,
                        1 => f64::NAN,
                        _ => v,
                    };
                    ((lcg(&mut s) % 1_000_000) as u32, v)
                })
                .collect();
            let e = Entries::from(list.clone());
            assert_eq!(e.len(), list.len(), "case {case}");
            assert_eq!(e.is_empty(), list.is_empty(), "case {case}");
            let cols: Vec<u32> = list.iter().map(|x| x.0).collect();
            assert_eq!(e.columns(), &cols[..], "case {case}");
            for (k, &(j, a)) in list.iter().enumerate() {
                let (gj, ga) = e.get(k);
                assert_eq!(gj, j, "case {case}, entry {k}");
                assert_eq!(ga.to_bits(), a.to_bits(), "case {case}, entry {k}");
            }
            let back: Vec<(u32, f64)> = e.iter().collect();
            assert_eq!(back.len(), list.len(), "case {case}");
            for (x, y) in back.iter().zip(&list) {
                assert_eq!((x.0, x.1.to_bits()), (y.0, y.1.to_bits()), "case {case}");
            }
            let collected: Entries = list.iter().copied().collect();
            assert_eq!(collected.to_vec().len(), len, "case {case}");
        }
    }

    #[test]
    fn codes_few_coefficients_in_a_byte_and_one_in_nothing() {
        let one: Entries = (0..1000u32).map(|j| (j, 1.0)).collect();
        assert_eq!(one.table(), Some(&[1.0][..]));
        assert!(one.heap_bytes() <= 1000 * 4 + 8, "{}", one.heap_bytes());
        // A second coefficient late in the row: earlier entries keep code 0.
        let mut list: Vec<(u32, f64)> = (0..1000u32).map(|j| (j, 0.6)).collect();
        list[900].1 = -0.4;
        let two = Entries::from(list.clone());
        assert_eq!(two.table(), Some(&[0.6, -0.4][..]));
        assert_eq!(two.to_vec(), list);
        assert!(two.heap_bytes() <= 1000 * 5 + 16, "{}", two.heap_bytes());
        let many: Entries = (0..1000u32).map(|j| (j, j as f64)).collect();
        assert_eq!(many.table(), None, "1000 distinct coefficients: plain");
        assert_eq!(many.get(999), (999, 999.0));
        assert_eq!(Entries::default().table(), Some(&[][..]));
        assert!(Entries::default().is_empty());
    }

    #[test]
    fn clones_share_the_lists_instead_of_copying_them() {
        let e: Entries = (0..100u32)
            .map(|j| (j, if j % 2 == 0 { 1.0 } else { -0.5 }))
            .collect();
        let c = e.clone();
        assert!(std::ptr::eq(e.columns().as_ptr(), c.columns().as_ptr()));
        assert_eq!(c, e);
        assert_eq!(c.get(99), (99, -0.5));
    }

    #[test]
    fn equal_when_the_entries_are_whatever_the_coding() {
        let list: Vec<(u32, f64)> = vec![(3, 1.0), (1, -0.5)];
        assert_eq!(Entries::from(list.clone()), Entries::from(list.clone()));
        assert_ne!(Entries::from(list.clone()), Entries::from(vec![(3, 1.0)]));
        assert_ne!(Entries::from(list), Entries::from(vec![(3, 1.0), (1, 0.5)]));
        assert_eq!(format!("{:?}", Entries::from(vec![(2, 1.5)])), "[(2, 1.5)]");
    }
}
