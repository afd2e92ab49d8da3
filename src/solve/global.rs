//! Hull cuts for placement-scope rule rows (one row over every placement of a kind): the
//! integer hull of their class counts, in two dimensions, with an exact intercept.
//!
//! A placement-scope rule row (`share`, `count` or `fit_rate` over all placements, hard or
//! soft) splits the pair columns into at most two classes by coefficient: in or out of the
//! rule's group, fitting or not. Its value only depends on the class counts `n = (n0, n1)`, and
//! every plan has an integer count vector in
//!
//!   V = { n ∈ Z² : 0 <= n0 <= c0, 0 <= n1 <= c1, n0 + n1 <= c01, lower <= a·n <= upper (hard) }
//!
//! where `c0`, `c1`, `c01` are the distinct posts (or candidates, whichever are fewer) of class
//! 0, class 1 and both: each post and each candidate takes part in at most one placement. A soft
//! row's shortfall is `s >= s*(n) = max(0, b − a·n)` (`min` row) or `max(0, a·n − b)` (`max`
//! row). The LP lets n be fractional, e.g. province-hard's "at most 20% of appointees from
//! outside the state system" (`0.8·n_out − 0.2·n_in <= 0`) with all 2,047 posts filled holds at
//! `n_out = 409.4`, while no plan has more than 409; the hull facet `n_out <= 409` takes the cut
//! LP bound from 1499.999 to 1499.988.
//!
//! **Separation.** V has millions of vectors, so the facet is found by the separation LP of
//! [`cuts::facet_at`] over the vectors of a window around the LP point only. A window facet
//! need not be a facet of V, so its intercept is then computed exactly over all of V:
//! `π0 = min_{v∈V} (α·s*(v) − π·v)`. For each `n0`, the feasible `n1` form an interval and
//! `α·s*(n0, n1) − π·n` is convex piecewise linear in `n1` with one kink, so its integer
//! minimum is at an end of the interval or next to the kink: a scan of `c0 + 1` values of
//! `n0` with at most four candidates each. **Validity**: every plan has `n ∈ V` and
//! `α·s >= α·s*(n) >= π0 + π·n` by the definition of π0 (the argument of `cuts`), and the
//! scan only widens V where rounding could matter, which only weakens a cut. The hard oracle
//! cases check every cut at every plan; over the first 3,000 of them these cuts take the gap
//! left after cuts from 48.86 to 5.50 in all.

use rayon::prelude::*;

use super::columns::Csc;
use super::cuts::{facet_at, violated, Cut};
use crate::model::{ColumnKind, Model, RowKind};

/// Half-width of the window of count vectors around the LP point given to the separation LP
/// (per class; at most (2W + 2)² vectors).
const WINDOW: i64 = 12;

/// One placement-scope rule row seen through its (at most two) class counts.
#[derive(Debug, Clone)]
pub(crate) struct GlobalUnit {
    row: usize,
    /// The row's shortfall column (soft rule), or none (hard rule: V is cut by the row).
    shortfall: Option<u32>,
    /// Each class's coefficient in the row (one or two classes).
    coef: Vec<f64>,
    /// Caps of class 0, class 1 (0 when there is one class) and both.
    cap: [i64; 3],
    /// The row's bounds: `lower <= a·n (+ s) ` and `a·n (− s) <= upper`.
    lower: f64,
    upper: f64,
    /// Soft `min` row (`a·n + s >= lower`) or soft `max` row (`a·n − s <= upper`).
    min: bool,
}

/// The placement-scope rule rows of a model whose pair columns fall into at most two classes.
/// Rows with any column other than binary pairs and their own shortfall (a relaxed model's
/// columns, a shortfall shared with other rows) are left out.
pub(crate) fn global_units(m: &Model, csc: &Csc) -> Vec<GlobalUnit> {
    (0..m.rows.len())
        .into_par_iter()
        .filter_map(|i| global_unit(m, csc, i))
        .collect()
}

fn global_unit(m: &Model, csc: &Csc, i: usize) -> Option<GlobalUnit> {
    let row = &m.rows[i];
    if !matches!(
        row.kind,
        RowKind::RuleMin { team: None, .. } | RowKind::RuleMax { team: None, .. }
    ) {
        return None;
    }
    let mut shortfall = None;
    let mut coef: Vec<f64> = Vec::new();
    for (j, a) in row.entries.iter() {
        let c = &m.columns[j as usize];
        match c.kind {
            ColumnKind::Pair(_) if c.integer && c.upper <= 1.0 => {
                if !coef.iter().any(|&b| b.to_bits() == a.to_bits()) {
                    if coef.len() == 2 {
                        return None;
                    }
                    coef.push(a);
                }
            }
            ColumnKind::Shortfall { .. } if shortfall.is_none() => shortfall = Some((j, a)),
            _ => return None,
        }
    }
    let min = match shortfall {
        Some((s, a)) => {
            // The shortfall must be this row's alone (cut rows of an earlier solve aside).
            let others = csc
                .column(s as usize)
                .any(|(r, _)| r != i && !matches!(m.rows[r].kind, RowKind::Cut { .. }));
            if others {
                return None;
            }
            if a == 1.0 && row.lower.is_finite() && !row.upper.is_finite() {
                true
            } else if a == -1.0 && row.upper.is_finite() && !row.lower.is_finite() {
                false
            } else {
                return None;
            }
        }
        None => true,
    };
    if coef.is_empty() {
        return None;
    }
    // Distinct posts and candidates of each class: rows marked by the classes of their pairs.
    let mut marks = vec![0u8; m.rows.len()];
    let mut solo = [[0i64; 2]; 2];
    for (j, a) in row.entries.iter() {
        if !matches!(m.columns[j as usize].kind, ColumnKind::Pair(_)) {
            continue;
        }
        let k = usize::from(a.to_bits() != coef[0].to_bits());
        let (mut post, mut cand) = (false, false);
        for (r, _) in csc.column(j as usize) {
            match m.rows[r].kind {
                RowKind::PostOnce(_) => {
                    marks[r] |= 1 << k;
                    post = true;
                }
                RowKind::CandidateOnce(_) => {
                    marks[r] |= 1 << k;
                    cand = true;
                }
                _ => {}
            }
        }
        solo[0][k] += i64::from(!post);
        solo[1][k] += i64::from(!cand);
    }
    // count[side][mask]: rows of that side whose pairs' classes are exactly `mask`.
    let mut count = [[0i64; 4]; 2];
    for (r, &mk) in marks.iter().enumerate() {
        if mk != 0 {
            let side = usize::from(matches!(m.rows[r].kind, RowKind::CandidateOnce(_)));
            count[side][mk as usize] += 1;
        }
    }
    let distinct = |side: usize, k: Option<usize>| -> i64 {
        match k {
            Some(k) => {
                (1..4)
                    .filter(|mk| mk >> k & 1 == 1)
                    .map(|mk| count[side][mk])
                    .sum::<i64>()
                    + solo[side][k]
            }
            None => count[side][1..].iter().sum::<i64>() + solo[side][0] + solo[side][1],
        }
    };
    let cap_of = |k: Option<usize>| distinct(0, k).min(distinct(1, k));
    let cap = [
        cap_of(Some(0)),
        if coef.len() == 2 { cap_of(Some(1)) } else { 0 },
        cap_of(None),
    ];
    if coef.len() == 1 {
        coef.push(0.0);
    }
    Some(GlobalUnit {
        row: i,
        shortfall: shortfall.map(|(s, _)| s),
        coef,
        cap,
        lower: row.lower,
        upper: row.upper,
        min,
    })
}

impl GlobalUnit {
    /// The class of coefficient `a` (0 or 1).
    fn class(&self, a: f64) -> usize {
        usize::from(a.to_bits() != self.coef[0].to_bits())
    }

    /// The least shortfall of count vector (n0, n1) (0 for a hard row).
    fn least(&self, n0: i64, n1: i64) -> f64 {
        if self.shortfall.is_none() {
            return 0.0;
        }
        let dot = self.coef[0] * n0 as f64 + self.coef[1] * n1 as f64;
        if self.min {
            (self.lower - dot).max(0.0)
        } else {
            (dot - self.upper).max(0.0)
        }
    }

    /// The integers n1 in V for class-0 count n0 (empty when lo > hi). A hard row's bounds
    /// are widened by 1e-7 relative before rounding, so no vector a plan can have is lost.
    fn range(&self, n0: i64) -> (i64, i64) {
        let mut lo = 0i64;
        let mut hi = self.cap[1].min(self.cap[2] - n0);
        if self.shortfall.is_none() {
            let (a0, a1) = (self.coef[0], self.coef[1]);
            let rest = a0 * n0 as f64;
            let tol = |b: f64| 1e-7 * b.abs().max(1.0);
            let (l, u) = (self.lower - tol(self.lower), self.upper + tol(self.upper));
            if a1 == 0.0 {
                if rest < l || rest > u {
                    return (1, 0);
                }
            } else {
                let (t1, t2) = ((l - rest) / a1, (u - rest) / a1);
                let (from, to) = if a1 > 0.0 { (t1, t2) } else { (t2, t1) };
                if from.is_finite() {
                    lo = lo.max((from - 1e-9).ceil() as i64);
                }
                if to.is_finite() {
                    hi = hi.min((to + 1e-9).floor() as i64);
                }
            }
        }
        (lo, hi)
    }

    /// `min_{v∈V} (α·s*(v) − π·v)`, less 1e-9 against rounding (see the module docs).
    fn intercept(&self, alpha: f64, pi: &[f64]) -> f64 {
        let mut best = f64::INFINITY;
        for n0 in 0..=self.cap[0].min(self.cap[2]) {
            let (lo, hi) = self.range(n0);
            if lo > hi {
                continue;
            }
            let mut eval = |n1: i64| {
                let n1 = n1.clamp(lo, hi);
                let v = alpha * self.least(n0, n1) - pi[0] * n0 as f64 - pi[1] * n1 as f64;
                best = best.min(v);
            };
            eval(lo);
            eval(hi);
            if self.shortfall.is_some() && self.coef[1] != 0.0 {
                let b = if self.min { self.lower } else { self.upper };
                let kink = (b - self.coef[0] * n0 as f64) / self.coef[1];
                if kink.is_finite() && kink.abs() < 1e12 {
                    eval(kink.floor() as i64);
                    eval(kink.ceil() as i64);
                }
            }
        }
        best - 1e-9 * best.abs().max(1.0)
    }

    /// Class counts of x and the shortfall's value.
    fn point(&self, m: &Model, x: &[f64]) -> ([f64; 2], f64) {
        let mut n = [0.0; 2];
        for (j, a) in m.rows[self.row].entries.iter() {
            if Some(j) != self.shortfall {
                n[self.class(a)] += x[j as usize];
            }
        }
        (n, self.shortfall.map_or(0.0, |s| x[s as usize]))
    }

    /// The most violated facet at x of the hull of V (and of the shortfall above it), found
    /// over a window of V around x, with its intercept exact over all of V.
    pub(crate) fn separate(&self, m: &Model, x: &[f64]) -> Option<Cut> {
        let (n, s) = self.point(m, x);
        if n.iter().all(|v| (v - v.round()).abs() <= 1e-9) {
            return None;
        }
        let mut counts: Vec<u32> = Vec::new();
        let mut least: Vec<f64> = Vec::new();
        let window = |v: f64, cap: i64| {
            (
                (v.floor() as i64 - WINDOW).max(0),
                (v.ceil() as i64 + WINDOW).min(cap),
            )
        };
        let (a0, b0) = window(n[0], self.cap[0]);
        let (a1, b1) = window(n[1], self.cap[1]);
        for n0 in a0..=b0 {
            let (lo, hi) = self.range(n0);
            for n1 in lo.max(a1)..=hi.min(b1) {
                counts.extend([n0 as u32, n1 as u32]);
                least.push(self.least(n0, n1));
            }
        }
        if counts.is_empty() {
            return None;
        }
        let svec: Vec<f64> = self.shortfall.map(|_| s).into_iter().collect();
        let vectors = || counts.chunks_exact(2).zip(least.chunks_exact(1));
        let try_facet = |conv_v: bool| -> Option<Cut> {
            let (pi, alpha) = if self.shortfall.is_some() {
                facet_at(vectors(), &n, &svec, conv_v)?
            } else {
                let (pi, _) =
                    facet_at(counts.chunks_exact(2).map(|v| (v, &[][..])), &n, &[], true)?;
                (pi, Vec::new())
            };
            let a = alpha.first().copied().unwrap_or(0.0);
            let pi0 = self.intercept(a, &pi);
            violated(pi0, &pi, &alpha, &n, &svec[..alpha.len()]).then(|| self.row(m, a, &pi, pi0))
        };
        if self.shortfall.is_some() {
            try_facet(false).or_else(|| try_facet(true))
        } else {
            try_facet(true)
        }
    }

    /// The cut `α·s − Σ_k π_k n_k >= π0` as a model row.
    fn row(&self, m: &Model, alpha: f64, pi: &[f64], pi0: f64) -> Cut {
        let mut entries: Vec<(u32, f64)> = Vec::new();
        if let (Some(s), true) = (self.shortfall, alpha != 0.0) {
            entries.push((s, alpha));
        }
        entries.extend(
            m.rows[self.row]
                .entries
                .iter()
                .filter(|&(j, _)| Some(j) != self.shortfall)
                .map(|(j, a)| (j, -pi[self.class(a)]))
                .filter(|e| e.1 != 0.0),
        );
        entries.sort_unstable_by_key(|e| e.0);
        Cut {
            lower: pi0,
            entries,
        }
    }
}

/// The violated cuts of the placement-scope units at x (one per unit at most), in unit order.
pub(crate) fn separate(m: &Model, units: &[GlobalUnit], x: &[f64]) -> Vec<Cut> {
    units.par_iter().filter_map(|u| u.separate(m, x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, Row};

    fn pair(p: u32, objective: f64) -> Column {
        Column {
            kind: ColumnKind::Pair(p),
            objective,
            upper: 1.0,
            integer: true,
        }
    }

    /// Posts of two pairs each: pair columns 2p and 2p + 1 fill post p.
    fn posts(count: usize) -> Vec<Row> {
        (0..count)
            .map(|p| Row {
                kind: RowKind::PostOnce(p),
                lower: f64::NEG_INFINITY,
                upper: 1.0,
                entries: vec![(2 * p as u32, 1.0), (2 * p as u32 + 1, 1.0)].into(),
            })
            .collect()
    }

    /// Every 0/1 plan over the pair columns (at most one pair per post), with the shortfall
    /// column (if any) at its least value; `None` when a hard row breaks.
    fn plans(m: &Model, u: &GlobalUnit) -> Vec<Vec<f64>> {
        let pairs = m
            .columns
            .iter()
            .filter(|c| matches!(c.kind, ColumnKind::Pair(_)))
            .count();
        let mut out = Vec::new();
        'plans: for bits in 0..1u32 << pairs {
            let mut x: Vec<f64> = (0..m.columns.len())
                .map(|j| f64::from(j < pairs && bits >> j & 1 == 1))
                .collect();
            for r in &m.rows {
                if let RowKind::PostOnce(_) = r.kind {
                    if r.entries
                        .iter()
                        .map(|(j, a)| a * x[j as usize])
                        .sum::<f64>()
                        > 1.0
                    {
                        continue 'plans;
                    }
                }
            }
            let (n, _) = u.point(m, &x);
            match u.shortfall {
                Some(s) => x[s as usize] = u.least(n[0] as i64, n[1] as i64),
                None => {
                    let dot = u.coef[0] * n[0] + u.coef[1] * n[1];
                    if dot > u.upper + 1e-9 || dot < u.lower - 1e-9 {
                        continue 'plans;
                    }
                }
            }
            out.push(x);
        }
        out
    }

    fn lhs(cut: &Cut, x: &[f64]) -> f64 {
        cut.entries.iter().map(|&(j, a)| a * x[j as usize]).sum()
    }

    /// The model's one placement-scope unit.
    fn only_unit(m: &Model) -> GlobalUnit {
        let units = global_units(m, &Csc::from_model(m));
        assert_eq!(units.len(), 1);
        units.into_iter().next().expect("one unit")
    }

    /// The cut the unit separates at x, asserted to cut x off.
    fn cut_off(u: &GlobalUnit, m: &Model, x: &[f64]) -> Cut {
        let cut = u.separate(m, x).expect("the LP point is cut off");
        assert!(
            lhs(&cut, x) < cut.lower - 1e-6,
            "{cut:?} does not cut x off"
        );
        cut
    }

    /// "At most 20% of appointees from outside" over three posts, each with an insider (even
    /// columns) and an outsider (odd): `0.8·n_out − 0.2·n_in <= 0`. The LP holds it at
    /// n_out = 0.6, n_in = 2.4, but no plan of three posts has an outsider (one needs four
    /// insiders). The cut is `n_out <= 0`, and every plan keeps it.
    #[test]
    fn a_scope_cap_gets_its_integer_hull() {
        let mut rows = posts(3);
        rows.push(Row {
            kind: RowKind::RuleMax {
                rule: 0,
                team: None,
            },
            lower: f64::NEG_INFINITY,
            upper: 0.0,
            entries: (0..6u32)
                .map(|j| (j, if j % 2 == 1 { 0.8 } else { -0.2 }))
                .collect::<Vec<_>>()
                .into(),
        });
        let m = Model {
            columns: (0..6)
                .map(|j| pair(j / 2, 1.0 + f64::from(j % 2)))
                .collect(),
            rows,
            ..Default::default()
        };
        let u = &only_unit(&m);
        assert_eq!(u.cap, [3, 3, 3], "three posts cap each class and both");
        let x = [0.8, 0.2, 0.8, 0.2, 0.8, 0.2];
        let cut = cut_off(u, &m, &x);
        // The cut is a multiple of n_out <= 0: only outsiders, with equal coefficients.
        assert!(
            cut.entries.iter().all(|&(j, a)| j % 2 == 1 && a < 0.0),
            "{cut:?}"
        );
        assert!(cut.lower.abs() < 1e-6, "{cut:?}");
        let all = plans(&m, u);
        assert_eq!(all.len(), 8, "insiders only: 2^3 plans");
        for p in &all {
            assert!(lhs(&cut, p) >= cut.lower - 1e-12, "plan {p:?} cut off");
        }
    }

    /// A soft fit rate of 90% over two posts, fitting pairs in even columns:
    /// `0.1·n_fit − 0.9·n_not + s >= 0`. The LP point n = (1.5, 0.5) has s = 0.3; the hull
    /// needs 0.4 there (half of (2, 0) with s = 0 and half of (1, 1) with s = 0.8). The cut
    /// lifts s and keeps every plan.
    #[test]
    fn a_soft_fit_rate_gets_its_integer_hull() {
        let mut rows = posts(2);
        rows.push(Row {
            kind: RowKind::RuleMin {
                rule: 0,
                team: None,
            },
            lower: 0.0,
            upper: f64::INFINITY,
            entries: vec![(0, 0.1), (1, -0.9), (2, 0.1), (3, -0.9), (4, 1.0)].into(),
        });
        let mut columns: Vec<Column> = (0..4).map(|j| pair(j / 2, 1.0)).collect();
        columns.push(Column {
            kind: ColumnKind::Shortfall {
                rule: 0,
                team: None,
            },
            objective: -1.0,
            upper: f64::INFINITY,
            integer: false,
        });
        let m = Model {
            columns,
            rows,
            ..Default::default()
        };
        let u = &only_unit(&m);
        let x = [1.0, 0.0, 0.5, 0.5, 0.3];
        let cut = cut_off(u, &m, &x);
        // At n = (1.5, 0.5) the cut asks s >= 0.4 (the hull).
        let mut lifted = x;
        lifted[4] = 0.4;
        assert!(
            lhs(&cut, &lifted) >= cut.lower - 1e-7,
            "{cut:?} is above the hull"
        );
        let all = plans(&m, u);
        assert_eq!(all.len(), 9);
        for p in &all {
            assert!(lhs(&cut, p) >= cut.lower - 1e-12, "plan {p:?} cut off");
        }
        // An integral point is never cut.
        assert!(u.separate(&m, &[1.0, 0.0, 0.0, 1.0, 0.8]).is_none());
    }
}
