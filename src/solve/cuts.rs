//! Cuts that close the LP gap of soft team-scope rules: facets of the convex hull of a unit's
//! integer count vectors and their least shortfalls, separated at the LP optimum during pricing.
//!
//! A soft rule unit (one shortfall column `s`, a `min` row `a·x + s >= b_min` and/or a `max` row
//! `a'·x − s <= b_max`) only sees the pair columns through their coefficients. Pairs with the
//! same coefficients (in both rows) form a *class* k (for a share rule: joining or leaving the
//! team, in or out of the rule's group), and the rows only depend on the class counts
//! `n_k = Σ_{j∈k} x_j`. Every integer plan has an integer count vector n in
//!
//!   V = { n ∈ Z^K : 0 <= n, Σ_{k∈S} n_k <= min(|posts of S|, |candidates of S|) for every
//!         set S of classes }
//!
//! (each post and each candidate takes part in at most one placement), and a shortfall
//! `s >= s*(n) = max(0, b_min − a·n, a'·n − b_max)`. So `(n, s)` lies in the convex hull of
//! `{(v, σ) : v ∈ V, σ >= s*(v)}`, whose lower facets are the inequalities
//! `s >= π0 + π·n` with `π0 = min_{v∈V} (s*(v) − π·v)`. **Validity** (for any π): an integer
//! plan has `n ∈ V` and `s >= s*(n) >= π0 + π·n` by the definition of π0. That is all the
//! proof needs: π comes from a small LP (the best facet at the LP point), but π0 is recomputed
//! exactly from the enumeration, so no solver tolerance can make a cut invalid.
//!
//! The LP relaxation lets `n` be fractional where people are not, and its shortfall is then the
//! continuous `max(0, b_min − a·n)`, below the hull; the cuts lift it to the hull. In terms of
//! model columns a cut is the row `s − Σ_k π_k Σ_{j∈k} x_j >= π0`, kept in every later LP and in
//! the restricted MIPs.

use std::collections::{BTreeMap, HashMap};

use highs::{HighsModelStatus, RowProblem, Sense};
use rayon::prelude::*;

use super::columns::Csc;
use crate::model::{ColumnKind, Model, RowKind};

/// Units with more count vectors than this are not cut (never met by team units: a team has a
/// handful of posts and sitting candidates).
const MAX_VECTORS: usize = 20_000;
/// A cut enters when it is violated by more than this at the LP point.
const MIN_VIOLATION: f64 = 1e-6;

/// One soft team-scope unit, seen through its class counts.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// The unit's shortfall column.
    pub shortfall: u32,
    /// Pair columns of the unit and their class.
    pub members: Vec<(u32, u16)>,
    /// Every count vector in V (one entry per class), with its least shortfall s*(v).
    pub vectors: Vec<(Vec<u32>, f64)>,
    classes: usize,
}

/// A cut row: `lower <= Σ entries` (upper bound infinite).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cut {
    pub lower: f64,
    pub entries: Vec<(u32, f64)>,
}

/// The cuts found so far, by row and by column.
#[derive(Debug, Default)]
pub(crate) struct Cuts {
    pub rows: Vec<Cut>,
    by_col: HashMap<u32, Vec<(u32, f64)>>,
}

impl Cuts {
    pub(crate) fn add(&mut self, cut: Cut) {
        let k = self.rows.len() as u32;
        for &(j, a) in &cut.entries {
            self.by_col.entry(j).or_default().push((k, a));
        }
        self.rows.push(cut);
    }

    /// (cut index, coefficient) of column j in the cuts.
    pub(crate) fn column(&self, j: u32) -> &[(u32, f64)] {
        self.by_col.get(&j).map_or(&[], |v| v.as_slice())
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }
}

/// The soft team-scope units of a model whose count vectors can be listed.
pub(crate) fn units(m: &Model, csc: &Csc) -> Vec<Unit> {
    let shortfalls: Vec<u32> = m
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.kind, ColumnKind::Shortfall { team: Some(_), .. }))
        .map(|(j, _)| j as u32)
        .collect();
    shortfalls
        .par_iter()
        .filter_map(|&s| unit(m, csc, s))
        .collect()
}

/// Which post and which candidate a pair column takes part in: its `PostOnce` and
/// `CandidateOnce` rows, or (no such row: the only pair of its post or candidate) the column
/// itself, kept apart by the tag.
fn post_and_candidate(m: &Model, csc: &Csc, j: u32) -> ((u8, usize), (u8, usize)) {
    let mut post = (1, j as usize);
    let mut cand = (1, j as usize);
    for (i, _) in csc.column(j as usize) {
        match m.rows[i].kind {
            RowKind::PostOnce(_) => post = (0, i),
            RowKind::CandidateOnce(_) => cand = (0, i),
            _ => {}
        }
    }
    (post, cand)
}

fn unit(m: &Model, csc: &Csc, s: u32) -> Option<Unit> {
    // The unit's rows: min rows have s with +1 and a finite lower bound, max rows s with −1 and
    // a finite upper bound.
    let mut min_row = None;
    let mut max_row = None;
    for (i, a) in csc.column(s as usize) {
        let r = &m.rows[i];
        if a > 0.0 && r.lower.is_finite() && !r.upper.is_finite() && a == 1.0 {
            min_row = Some(i);
        } else if a < 0.0 && r.upper.is_finite() && !r.lower.is_finite() && a == -1.0 {
            max_row = Some(i);
        } else {
            return None;
        }
    }
    // Coefficients per pair column: (min row, max row).
    let mut coef: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
    for (row, side) in [(min_row, 0), (max_row, 1)] {
        let Some(i) = row else { continue };
        for &(j, a) in &m.rows[i].entries {
            if j == s {
                continue;
            }
            if !m.columns[j as usize].integer || m.columns[j as usize].upper != 1.0 {
                return None;
            }
            let e = coef.entry(j).or_insert((0.0, 0.0));
            if side == 0 {
                e.0 = a;
            } else {
                e.1 = a;
            }
        }
    }
    // Classes by coefficient pair (bit patterns: exact, and a total order).
    let mut class_of: BTreeMap<(u64, u64), u16> = BTreeMap::new();
    let mut class_coef: Vec<(f64, f64)> = Vec::new();
    let mut members = Vec::with_capacity(coef.len());
    for (&j, &(a, b)) in &coef {
        let key = (a.to_bits(), b.to_bits());
        let next = class_of.len() as u16;
        let k = *class_of.entry(key).or_insert_with(|| {
            class_coef.push((a, b));
            next
        });
        members.push((j, k));
    }
    let classes = class_coef.len();
    if classes == 0 || classes > 6 {
        return None;
    }
    // Distinct posts and candidates per class.
    let mut posts: Vec<Vec<(u8, usize)>> = vec![Vec::new(); classes];
    let mut cands: Vec<Vec<(u8, usize)>> = vec![Vec::new(); classes];
    for &(j, k) in &members {
        let (p, c) = post_and_candidate(m, csc, j);
        posts[k as usize].push(p);
        cands[k as usize].push(c);
    }
    for v in posts.iter_mut().chain(cands.iter_mut()) {
        v.sort_unstable();
        v.dedup();
    }
    // Cap of every set S of classes (bit mask).
    let cap: Vec<u32> = (0..1usize << classes)
        .map(|mask| {
            let union = |sets: &[Vec<(u8, usize)>]| {
                let mut u: Vec<(u8, usize)> = (0..classes)
                    .filter(|k| mask >> k & 1 == 1)
                    .flat_map(|k| sets[k].iter().copied())
                    .collect();
                u.sort_unstable();
                u.dedup();
                u.len() as u32
            };
            union(&posts).min(union(&cands))
        })
        .collect();
    let (b_min, b_max) = (
        min_row.map(|i| m.rows[i].lower),
        max_row.map(|i| m.rows[i].upper),
    );
    let least = |v: &[u32]| {
        let dot = |f: fn(&(f64, f64)) -> f64| {
            v.iter()
                .zip(&class_coef)
                .map(|(&n, c)| n as f64 * f(c))
                .sum::<f64>()
        };
        let mut s = 0.0f64;
        if let Some(b) = b_min {
            s = s.max(b - dot(|c| c.0));
        }
        if let Some(b) = b_max {
            s = s.max(dot(|c| c.1) - b);
        }
        s
    };
    // Enumerate V: a mixed-radix counter over the per-class caps, keeping vectors within every
    // set's cap.
    let single: Vec<u32> = (0..classes).map(|k| cap[1 << k]).collect();
    let total: usize = single
        .iter()
        .try_fold(1usize, |acc, &u| acc.checked_mul(u as usize + 1))?;
    if total > MAX_VECTORS {
        return None;
    }
    let mut vectors = Vec::new();
    let mut v = vec![0u32; classes];
    'outer: loop {
        let fits = (1..1usize << classes).all(|mask| {
            (0..classes)
                .filter(|k| mask >> k & 1 == 1)
                .map(|k| v[k])
                .sum::<u32>()
                <= cap[mask]
        });
        if fits {
            vectors.push((v.clone(), least(&v)));
        }
        for k in 0..classes {
            if v[k] < single[k] {
                v[k] += 1;
                continue 'outer;
            }
            v[k] = 0;
        }
        break;
    }
    Some(Unit {
        shortfall: s,
        members,
        vectors,
        classes,
    })
}

impl Unit {
    /// Class counts and shortfall of a (fractional) point x over all model columns.
    pub(crate) fn point(&self, x: &[f64]) -> (Vec<f64>, f64) {
        let mut n = vec![0.0; self.classes];
        for &(j, k) in &self.members {
            n[k as usize] += x[j as usize];
        }
        (n, x[self.shortfall as usize])
    }

    /// `π0 = min_{v∈V} (s*(v) − π·v)`, less 1e-9 against rounding: the largest constant that
    /// makes `s >= π0 + π·n` hold at every count vector (so for every integer plan).
    pub(crate) fn intercept(&self, pi: &[f64]) -> f64 {
        let exact = self
            .vectors
            .iter()
            .map(|(v, s)| s - v.iter().zip(pi).map(|(&n, p)| n as f64 * p).sum::<f64>())
            .fold(f64::INFINITY, f64::min);
        exact - 1e-9 * exact.abs().max(1.0)
    }

    /// The cut `s − Σ_k π_k n_k >= π0` as a model row.
    pub(crate) fn row(&self, pi: &[f64], pi0: f64) -> Cut {
        let mut entries = vec![(self.shortfall, 1.0)];
        entries.extend(
            self.members
                .iter()
                .filter(|&&(_, k)| pi[k as usize] != 0.0)
                .map(|&(j, k)| (j, -pi[k as usize])),
        );
        Cut {
            lower: pi0,
            entries,
        }
    }

    /// The most violated hull facet at x, if any cuts x off by more than [`MIN_VIOLATION`].
    pub(crate) fn separate(&self, x: &[f64]) -> Option<Cut> {
        let (n, s) = self.point(x);
        if n.iter().all(|v| (v - v.round()).abs() <= 1e-9) {
            // An integral count vector: the LP's rows already give s >= s*(n).
            return None;
        }
        // max π0 + π·n  s.t.  π0 + π·v <= s*(v) for every v ∈ V (π free).
        let mut pb = RowProblem::default();
        let p0 = pb.add_column(1.0, f64::NEG_INFINITY..);
        let pis: Vec<_> = n
            .iter()
            .map(|&nk| pb.add_column(nk, f64::NEG_INFINITY..))
            .collect();
        for (v, sv) in &self.vectors {
            let mut factors = vec![(p0, 1.0)];
            factors.extend(
                v.iter()
                    .zip(&pis)
                    .filter(|(&c, _)| c > 0)
                    .map(|(&c, &p)| (p, c as f64)),
            );
            pb.add_row(..=*sv, factors);
        }
        let mut model = pb.try_optimise(Sense::Maximise).ok()?;
        model.make_quiet();
        model.set_option("threads", 1);
        let solved = model.try_solve().ok()?;
        if solved.status() != HighsModelStatus::Optimal {
            return None;
        }
        let sol = solved.get_solution();
        let pi: Vec<f64> = sol.columns()[1..]
            .iter()
            .map(|&p| if p.abs() < 1e-9 { 0.0 } else { p })
            .collect();
        let pi0 = self.intercept(&pi);
        let lhs = pi0 + pi.iter().zip(&n).map(|(p, v)| p * v).sum::<f64>();
        (lhs - s > MIN_VIOLATION).then(|| self.row(&pi, pi0))
    }
}

/// The violated cuts at x (one per unit at most), in unit order.
pub(crate) fn separate(units: &[Unit], x: &[f64]) -> Vec<Cut> {
    units
        .par_iter()
        .filter_map(|u| u.separate(x))
        .collect::<Vec<_>>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, Row};

    /// One soft unit `n − 1.5 + s >= 0` over two pairs into two posts (count >= a with a = 1.5):
    /// the hull is `s >= frac(a)·(ceil(a) − n)` = `1 − 0.5·n` where the LP point n = 1.5, s = 0
    /// sits; the cut found is that facet, and every integer plan keeps it.
    #[test]
    fn fixed_size_unit_gets_the_known_hull_facet() {
        let pair = |p: usize| Column {
            kind: ColumnKind::Pair(p as u32),
            objective: 1.0,
            upper: 1.0,
            integer: true,
        };
        let mut m = Model {
            columns: vec![pair(0), pair(1)],
            ..Default::default()
        };
        m.columns.push(Column {
            kind: ColumnKind::Shortfall {
                rule: 0,
                team: Some(0),
            },
            objective: -2.0,
            upper: 2.0,
            integer: false,
        });
        m.rows.push(Row {
            kind: RowKind::RuleMin {
                rule: 0,
                team: Some(0),
            },
            lower: 1.5,
            upper: f64::INFINITY,
            entries: vec![(0, 1.0), (1, 1.0), (2, 1.0)],
        });
        let csc = Csc::from_model(&m);
        let units = units(&m, &csc);
        assert_eq!(units.len(), 1);
        let u = &units[0];
        assert_eq!(u.vectors.len(), 3, "{:?}", u.vectors);
        let cut = u
            .separate(&[1.0, 0.5, 0.0])
            .expect("the LP point is cut off");
        let coef = |j: u32| cut.entries.iter().find(|e| e.0 == j).map_or(0.0, |e| e.1);
        assert!((coef(2) - 1.0).abs() < 1e-9);
        assert!((coef(0) - 0.5).abs() < 1e-7 && (coef(1) - 0.5).abs() < 1e-7);
        assert!((cut.lower - 1.0).abs() < 1e-7, "{cut:?}");
        // Every integer plan with its least shortfall keeps the cut.
        for (x0, x1) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
            let s = f64::max(0.0, 1.5 - x0 - x1);
            let lhs = s + coef(0) * x0 + coef(1) * x1;
            assert!(lhs >= cut.lower - 1e-12, "plan ({x0}, {x1}) cut off");
        }
        // An integral count vector is never cut.
        assert!(u.separate(&[1.0, 0.0, 0.5]).is_none());
    }
}
