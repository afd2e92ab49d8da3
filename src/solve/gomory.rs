//! Gomory mixed-integer cuts: mixed-integer rounding (MIR) of rows of the pricing LP's optimal
//! simplex tableau, lifted to every column of the model. They close most of the LP gap that
//! the hull cuts (`cuts.rs`, `global.rs`) leave across teams.
//!
//! **Derivation.** For any multipliers `u` on the LP's rows (model rows and cut rows) the
//! identity `Σ_j (u·A_j) x_j − Σ_i u_i r_i = 0` holds at every point of the model, where
//! `r_i = A_i x` is row i's activity, a continuous variable within the row's bounds. With `u`
//! the row of `B⁻¹` of a basic integer column that is fractional at the LP optimum, the
//! identity is that column's tableau row (Gomory 1960). Over *all* model columns, not only
//! the LP's: `u·A_j` is computed for every column the rows in `u`'s support touch, so the
//! cut holds for every plan of the whole model, not just the restricted set. A cut's sign
//! and scaling δ are chosen over the LP's columns, where x is; the other columns, all 0 at x,
//! get their coefficients from the same formula in `lifting`, one pass over the model's
//! columns for all the cuts of a round (session 22: a round 2–3x faster than aggregating
//! row by row over every column; see ARCHITECTURE.md).
//!
//! **Validity** (Nemhauser and Wolsey 1988, II.1.7; Marchand and Wolsey 2001, c-MIR). The
//! identity, times ±1, is a row `Σ a_j x_j + Σ c_k y_k <= β` (β = 0) over integer columns
//! `0 <= x_j <= U_j` and continuous variables `l_k <= y_k <= u_k` (shortfalls and row
//! activities). Each `y_k` is written from its nearer finite bound (`y = l + y'` or
//! `y = u − y'`, `y' >= 0`); terms with a positive coefficient then only make the left side
//! larger and are dropped, the others sum to `−s` with `s >= 0`. Integer columns nearer their
//! upper bound are complemented (`x = U − x̄`, `x̄` a non-negative integer). Dividing by
//! `δ > 0` gives `Σ ã_j x'_j − s/δ <= β̃` with `x' ∈ Z_+`, and with `f0 = β̃ − ⌊β̃⌋ > 0`
//! the MIR inequality `Σ (⌊ã_j⌋ + max(0, f_j − f0)/(1 − f0)) x'_j − s/(δ(1 − f0)) <= ⌊β̃⌋`
//! holds for every such point. Substituting back gives a row in model columns only.
//! Floating point: the identity holds for any `u`, so errors in `B⁻¹` cannot make a cut
//! invalid; rounding in the sums can, by a few ulps, which the right side's relaxation of
//! `1e-9 (|β| + Σ|g_j|)` covers (the MIR function is Lipschitz with constant `1/(1 − f0)`
//! <= 100 here). Coefficients too small to keep are dropped with the right side relaxed by
//! their largest possible contribution, never silently.
//!
//! **Measured** (province-hard's restricted proof model, 36,674 columns, a Python prototype
//! of this module): one round lifts the cut LP bound from 1499.98847 to 1499.95672 against
//! the optimum 1499.952438; HiGHS's own root separation reaches 1499.95283.

use rayon::prelude::*;

use super::columns::{Csc, SubModel};
use super::cuts::{Cut, Cuts};
use crate::model::Model;

/// At most this many cuts a round (the most efficacious).
pub(super) const MAX_CUTS: usize = 60;
/// The cuts chosen over the LP's columns that are lifted to every column (the best
/// [`MAX_CUTS`] of them, by efficacy over every column, enter the LP).
const LIFTED: usize = 2 * MAX_CUTS;
/// At most this many tableau rows are tried a round (the most fractional columns first).
const MAX_ROWS: usize = 600;
/// A cut with more entries than this is dropped (dense rows slow every later LP). Measured on
/// province-hard, three rounds: at most 50,000 entries, 121 cuts and the cut LP at 1499.95672;
/// at most 200,000, 180 cuts and 1499.95582 (optimum 1499.952438), in about the same time,
/// with the peak memory 0.82 → 1.24 GB.
const MAX_ENTRIES: usize = 200_000;
/// Aggregations whose rows hold more entries than this in all are not tried: a placement-scope
/// row holds every pair of the model, and its cuts would be far denser than [`MAX_ENTRIES`].
/// Measured on province-hard (session 19): of the lifted aggregations of 800,000 entries or
/// more none gave a cut within [`MAX_ENTRIES`], of those of 700,000–800,000 15 of 119; with
/// 3,000,000 a round's lifting grew to 6.8 s, mostly on such hopeless rows, and the last round
/// found nothing. With 700,000: the same bound to 7e-5 and that round 0.2 s.
const MAX_AGGREGATED: usize = 700_000;
/// Rows with more entries than this are left out of aggregations.
const DENSE_ROW: usize = 50_000;
/// The fractional part of the scaled right side must lie in [MIN_F0, 1 − MIN_F0].
const MIN_F0: f64 = 0.01;
/// Scalings δ tried per row.
const MAX_DELTAS: usize = 8;
/// A cut enters when its violation over its norm exceeds this.
const MIN_EFFICACY: f64 = 1e-6;
/// Integrality tolerance of the LP point.
const FRACTIONAL: f64 = 1e-6;

/// A sparse accumulator over the model's columns: dense values, reset through the touched list.
struct Acc {
    val: Vec<f64>,
    touched: Vec<u32>,
}

impl Acc {
    fn new(n: usize) -> Acc {
        Acc {
            val: vec![0.0; n],
            touched: Vec::new(),
        }
    }
    fn add(&mut self, j: u32, v: f64) {
        let slot = &mut self.val[j as usize];
        if *slot == 0.0 {
            self.touched.push(j);
        }
        // A sum that cancels to exactly 0 and grows again is listed twice: `drain` dedups.
        *slot += v;
    }
    /// The nonzero (column, value) pairs in column order; the accumulator is empty after.
    fn drain(&mut self) -> Vec<(u32, f64)> {
        self.touched.sort_unstable();
        self.touched.dedup();
        let mut out = Vec::with_capacity(self.touched.len());
        for &j in &self.touched {
            let v = std::mem::take(&mut self.val[j as usize]);
            if v != 0.0 {
                out.push((j, v));
            }
        }
        self.touched.clear();
        out
    }
}

/// A row's (model column, coefficient) entries.
type Entries<'a> = &'a [(u32, f64)];

/// The LP's rows (model rows, then cut rows) restricted to the LP's columns, where a cut is
/// chosen before it is lifted to the other columns (`lifting`).
struct Rows<'a> {
    m: &'a Model,
    cuts: &'a Cuts,
    restricted: Vec<Vec<(u32, f64)>>,
}

impl<'a> Rows<'a> {
    /// Row `i`'s entries over the LP's columns and its bounds (`None` past the cut rows).
    fn get(&self, i: usize) -> Option<(Entries<'_>, f64, f64)> {
        let (lower, upper) = if i < self.m.rows.len() {
            (self.m.rows[i].lower, self.m.rows[i].upper)
        } else {
            (
                self.cuts.rows.get(i - self.m.rows.len())?.lower,
                f64::INFINITY,
            )
        };
        Some((self.restricted.get(i)?, lower, upper))
    }

    /// The number of entries of row `i` over every model column (0 past the cut rows).
    fn full_len(&self, i: usize) -> usize {
        if i < self.m.rows.len() {
            self.m.rows[i].entries.len()
        } else {
            self.cuts
                .rows
                .get(i - self.m.rows.len())
                .map_or(0, |c| c.entries.len())
        }
    }
}

/// A continuous variable of the aggregated row: a model column or a row's activity.
#[derive(Clone, Copy)]
enum Continuous {
    Column(u32),
    Row(usize),
}

/// The Gomory cuts at the LP optimum of `lp` (sub-model of `m` with the cut rows `cuts`, in
/// order, after the model's rows); `x`: the optimum over all model columns. At most
/// [`MAX_CUTS`], most efficacious first (ties by tableau row, so runs repeat exactly).
pub(super) fn separate(m: &Model, csc: &Csc, cuts: &Cuts, lp: &SubModel, x: &[f64]) -> Vec<Cut> {
    let Some(basic) = lp.basic_variables() else {
        return Vec::new();
    };
    let frac = |v: f64| v - v.floor();
    // Tableau rows of fractional integer columns, most fractional first.
    let mut rows: Vec<(usize, f64)> = basic
        .iter()
        .enumerate()
        .filter_map(|(r, &b)| {
            let j = *lp.cols.get(usize::try_from(b).ok()?)? as usize;
            let f = frac(x[j]);
            (m.columns[j].integer && f > FRACTIONAL && f < 1.0 - FRACTIONAL)
                .then_some((r, (f - 0.5).abs()))
        })
        .collect();
    rows.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    rows.truncate(MAX_ROWS);
    // B⁻¹ rows one by one (one HiGHS instance), the cuts from them in parallel.
    let multipliers: Vec<(usize, Vec<(u32, f64)>)> = rows
        .iter()
        .filter_map(|&(r, _)| Some((r, lp.basis_inverse_row(r)?)))
        .collect();
    let n = m.columns.len();
    // First over the LP's columns only (cheap: the violation is all there, every other column
    // is 0 at x); then the best of those lifted to every column, which only adds entries.
    let mut in_lp = vec![false; n];
    for &j in &lp.cols {
        in_lp[j as usize] = true;
    }
    let mut restricted: Vec<Vec<(u32, f64)>> = vec![Vec::new(); m.rows.len() + cuts.rows.len()];
    for &j in &lp.cols {
        for (i, a) in csc.column(j as usize) {
            if i < m.rows.len() {
                restricted[i].push((j, a));
            }
        }
    }
    for (k, cut) in cuts.rows.iter().enumerate() {
        restricted[m.rows.len() + k]
            .extend(cut.entries.iter().filter(|e| in_lp[e.0 as usize]).copied());
    }
    let small = Rows {
        m,
        cuts,
        restricted,
    };
    let mut ranked: Vec<(usize, f64, Chosen)> = multipliers
        .par_iter()
        .enumerate()
        .map_init(
            || Acc::new(n),
            |acc, (k, (_, u))| cut_from(&small, u, x, acc).map(|(eff, chosen)| (k, eff, chosen)),
        )
        .flatten()
        .collect();
    drop(small);
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(LIFTED);
    // The chosen cuts over every other column, in one pass over the model's columns
    // (`lifting`): their sign, scaling and violation stay those chosen over the LP's columns,
    // where x is.
    let recipes: Vec<&Recipe> = ranked.iter().map(|r| &r.2.recipe).collect();
    let lifted = super::lifting::lift(m, csc, cuts, &in_lp, &recipes, MAX_ENTRIES);
    let mut found: Vec<(usize, f64, Cut)> = ranked
        .into_iter()
        .zip(lifted)
        .filter_map(|((k, _, chosen), more)| {
            let raw = chosen.raw.with(more?);
            let (cut, eff) = finish(m, raw, x)?;
            Some((multipliers[k].0, eff, cut))
        })
        .collect();
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    found.dedup_by(|a, b| a.2 == b.2);
    found.truncate(MAX_CUTS);
    found.into_iter().map(|(_, _, c)| c).collect()
}

/// A cut chosen over the LP's columns: its row there, before small entries are dropped, and
/// what lifts it to every other column.
struct Chosen {
    raw: Raw,
    recipe: Recipe,
}

/// A cut `Σ g_j x_j <= rhs` in model columns (g sorted by column), before [`finish`].
#[derive(Clone)]
struct Raw {
    g: Vec<(u32, f64)>,
    rhs: f64,
}

impl Raw {
    /// The row with the entries of other columns (sorted by column, none of its own) merged in.
    fn with(self, more: Vec<(u32, f64)>) -> Raw {
        let mut g = Vec::with_capacity(self.g.len() + more.len());
        let (mut a, mut b) = (self.g.into_iter().peekable(), more.into_iter().peekable());
        loop {
            let take_a = match (a.peek(), b.peek()) {
                (Some(p), Some(q)) => p.0 < q.0,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            g.extend(if take_a { a.next() } else { b.next() });
        }
        Raw { g, rhs: self.rhs }
    }
}

/// What maps a column's entries in the aggregated rows to its coefficient in a chosen MIR cut
/// (see the module docs), for a column at 0 in the LP point (so never complemented):
/// an integer column with `a = sign·Σ_i u_i a_ij` gets `mir_coefficient(a, delta, f0)` (0 when
/// it is fixed at 0), a continuous one `min(0, a)/(1 − f0)`; every column adds
/// `Σ_i c_i a_ij` over `row_terms`, the row activities substituted into the cut.
pub(super) struct Recipe {
    pub sign: f64,
    pub delta: f64,
    pub f0: f64,
    /// The aggregation's multipliers (row, u_i), rows of the LP in order (model rows, then cut
    /// rows).
    pub u: Vec<(u32, f64)>,
    /// (row, c_i): row activities in the cut.
    pub row_terms: Vec<(usize, f64)>,
}

impl Recipe {
    /// The cut coefficient of a column at 0 in the LP point with `agg = Σ_i u_i a_ij` over the
    /// multipliers and `terms = Σ_i c_i a_ij` over the row terms (see [`Recipe`]).
    pub(super) fn coefficient(&self, col: &crate::model::Column, agg: f64, terms: f64) -> f64 {
        let a = self.sign * agg;
        let g = if !col.integer {
            a.min(0.0) / (1.0 - self.f0)
        } else if col.upper > 0.0 {
            mir_coefficient(a, self.delta, self.f0)
        } else {
            0.0
        };
        g + terms
    }
}

/// `δ·(⌊a/δ⌋ + max(0, f − f0)/(1 − f0))` with `f = a/δ − ⌊a/δ⌋`: the MIR coefficient of an
/// integer column whose scaled aggregated coefficient is `a/δ` (Marchand and Wolsey 2001).
fn mir_coefficient(a: f64, delta: f64, f0: f64) -> f64 {
    let (fl, fj) = floor_frac(a / delta);
    delta * (fl + (fj - f0).max(0.0) / (1.0 - f0))
}

/// `(⌊v⌋, v − ⌊v⌋)`, with v within 1e-9 of an integer taken as that integer (so no cut is
/// built on noise).
fn floor_frac(v: f64) -> (f64, f64) {
    let f = v.floor();
    let r = v - f;
    if r > 1.0 - 1e-9 {
        (f + 1.0, 0.0)
    } else if r < 1e-9 {
        (f, 0.0)
    } else {
        (f, r)
    }
}

/// The most efficacious MIR cut of the aggregation `u` (either sign) over the columns of
/// `rows`, with its efficacy.
fn cut_from(rows: &Rows, u: &[(u32, f64)], x: &[f64], acc: &mut Acc) -> Option<(f64, Chosen)> {
    // Rows too dense to aggregate (placement-scope rows hold every pair of the model) are
    // left out: any multipliers give a valid identity, only no longer the exact tableau row.
    let u: Vec<(u32, f64)> = u
        .iter()
        .copied()
        .filter(|&(i, _)| rows.full_len(i as usize) <= DENSE_ROW)
        .collect();
    let u = &u[..];
    if u.iter()
        .map(|&(i, _)| rows.full_len(i as usize))
        .sum::<usize>()
        > MAX_AGGREGATED
    {
        return None;
    }
    // Σ_j a_j x_j − Σ_i u_i r_i = 0: a over every column the rows touch; each row's activity
    // at x and its bounds.
    let mut activities: Vec<(usize, f64, f64, f64, f64)> = Vec::with_capacity(u.len());
    for &(i, ui) in u {
        let (entries, lower, upper) = rows.get(i as usize)?;
        let mut act = 0.0;
        for &(j, a) in entries {
            acc.add(j, ui * a);
            act += a * x[j as usize];
        }
        activities.push((i as usize, -ui, act, lower, upper));
    }
    let a = acc.drain();
    let mut best: Option<(f64, Chosen)> = None;
    for sign in [1.0, -1.0] {
        let Some((raw, mut recipe)) = mir(rows, &a, &activities, sign, x, acc) else {
            continue;
        };
        let Some((_, eff)) = finish(rows.m, raw.clone(), x) else {
            continue;
        };
        if best.as_ref().is_none_or(|b| eff > b.0) {
            recipe.u = u.to_vec();
            best = Some((eff, Chosen { raw, recipe }));
        }
    }
    best
}

/// MIR of `sign × (Σ a_j x_j + Σ c_i r_i) <= 0` (see the module docs), the best scaling δ,
/// back in model columns: the cut before [`finish`], and how it was made (its `u` left empty
/// for the caller).
fn mir(
    rows: &Rows,
    a: &[(u32, f64)],
    activities: &[(usize, f64, f64, f64, f64)],
    sign: f64,
    x: &[f64],
    acc: &mut Acc,
) -> Option<(Raw, Recipe)> {
    let m = rows.m;
    let mut beta = 0.0f64;
    // Continuous parts with a negative coefficient after substitution: (variable, |c'|,
    // substituted from the upper bound?, the bound) and s at x.
    let mut s_terms: Vec<(Continuous, f64, bool, f64)> = Vec::new();
    let mut s_at_x = 0.0;
    let mut continuous = |v: Continuous, c: f64, at: f64, l: f64, u: f64, beta: &mut f64| {
        if c == 0.0 {
            return Some(());
        }
        let from_upper = u.is_finite() && (!l.is_finite() || u - at < at - l);
        let (c1, dist, bound) = if from_upper {
            (-c, u - at, u)
        } else if l.is_finite() {
            (c, at - l, l)
        } else {
            return None;
        };
        *beta -= c * bound;
        if c1 < 0.0 {
            s_terms.push((v, -c1, from_upper, bound));
            s_at_x += -c1 * dist.max(0.0);
        }
        Some(())
    };
    // Integer columns: (column, a' after complementing, complemented?, upper bound, x' at x).
    let mut ints: Vec<(u32, f64, bool, f64, f64)> = Vec::with_capacity(a.len());
    for &(j, aj) in a {
        let col = &m.columns[j as usize];
        let c = sign * aj;
        let at = x[j as usize];
        if col.integer {
            if col.upper <= 0.0 {
                continue; // fixed at 0: in no plan
            }
            let ub = col.upper;
            if at > ub / 2.0 {
                beta -= c * ub;
                ints.push((j, -c, true, ub, ub - at));
            } else {
                ints.push((j, c, false, ub, at));
            }
        } else {
            continuous(Continuous::Column(j), c, at, 0.0, col.upper, &mut beta)?;
        }
    }
    for &(i, ci, act, l, u) in activities {
        continuous(Continuous::Row(i), sign * ci, act, l, u, &mut beta)?;
    }
    // Scalings: the coefficients of the integer columns fractional at x (largest x' first),
    // and 1.
    let mut deltas: Vec<f64> = Vec::new();
    let mut fractional: Vec<&(u32, f64, bool, f64, f64)> = ints
        .iter()
        .filter(|e| e.4 > FRACTIONAL && e.4 < e.3 - FRACTIONAL && e.1.abs() > 1e-9)
        .collect();
    fractional.sort_by(|p, q| q.4.total_cmp(&p.4).then(p.0.cmp(&q.0)));
    for e in fractional {
        let d = e.1.abs();
        if !deltas.iter().any(|&x| (x - d).abs() <= 1e-12 * d) {
            deltas.push(d);
        }
        if deltas.len() == MAX_DELTAS {
            break;
        }
    }
    if !deltas.contains(&1.0) {
        deltas.push(1.0);
    }
    let mut chosen: Option<(f64, f64, f64)> = None; // (δ, f0, efficacy)
    for &d in &deltas {
        let (fb, f0) = floor_frac(beta / d);
        if !(MIN_F0..=1.0 - MIN_F0).contains(&f0) {
            continue;
        }
        let mut lhs = -s_at_x / (d * (1.0 - f0)) * d;
        let mut norm2 = 0.0;
        for &(_, ai, _, _, xi) in &ints {
            let g = mir_coefficient(ai, d, f0);
            lhs += g * xi;
            norm2 += g * g;
        }
        for &(_, k, _, _) in &s_terms {
            let g = k / (1.0 - f0);
            norm2 += g * g;
        }
        let violation = lhs - d * fb;
        let eff = violation / norm2.sqrt().max(1e-12);
        if violation > 1e-9 && chosen.is_none_or(|c| eff > c.2) {
            chosen = Some((d, f0, eff));
        }
    }
    let (d, f0, _) = chosen?;
    let (fb, _) = floor_frac(beta / d);
    // The cut Σ g_j x_j <= rhs in model columns.
    let mut rhs = d * fb;
    for &(j, ai, complemented, ub, _) in &ints {
        let g = mir_coefficient(ai, d, f0);
        if g == 0.0 {
            continue;
        }
        if complemented {
            rhs -= g * ub;
            acc.add(j, -g);
        } else {
            acc.add(j, g);
        }
    }
    let mut row_terms = Vec::new();
    for &(v, k, from_upper, bound) in &s_terms {
        // −k·y' with y' = y − l (rhs −= k l, coefficient −k) or y' = u − y (rhs += k u, +k).
        let k = k / (1.0 - f0);
        let (coef, shift) = if from_upper {
            (k, k * bound)
        } else {
            (-k, -k * bound)
        };
        rhs += shift;
        match v {
            Continuous::Column(j) => acc.add(j, coef),
            Continuous::Row(i) => {
                let (entries, _, _) = rows.get(i)?;
                for &(j, aij) in entries {
                    acc.add(j, coef * aij);
                }
                row_terms.push((i, coef));
            }
        }
    }
    let recipe = Recipe {
        sign,
        delta: d,
        f0,
        u: Vec::new(),
        row_terms,
    };
    Some((
        Raw {
            g: acc.drain(),
            rhs,
        },
        recipe,
    ))
}

/// The cut `Σ g_j x_j <= rhs` as a `Cut` row, with its efficacy at x: entries too small to
/// keep dropped (the right side relaxed by their largest contribution), the right side relaxed
/// for rounding (module docs). `None` when it is not efficacious, empty, or too dense.
fn finish(m: &Model, raw: Raw, x: &[f64]) -> Option<(Cut, f64)> {
    let Raw { mut g, mut rhs } = raw;
    // Drop what is too small to keep, relaxing the right side by its largest contribution.
    let big = g.iter().map(|e| e.1.abs()).fold(0.0, f64::max);
    if big == 0.0 {
        return None;
    }
    let mut dropped_ok = true;
    g.retain(|&(j, v)| {
        if v.abs() > 1e-9 * big {
            return true;
        }
        let ub = m.columns[j as usize].upper;
        if v < 0.0 {
            if ub.is_finite() {
                rhs += -v * ub;
            } else {
                dropped_ok = false;
            }
        }
        false
    });
    if !dropped_ok || g.is_empty() || g.len() > MAX_ENTRIES {
        return None;
    }
    let sum_abs: f64 = g.iter().map(|e| e.1.abs()).sum();
    rhs += 1e-9 * (rhs.abs() + sum_abs);
    let lhs: f64 = g.iter().map(|&(j, v)| v * x[j as usize]).sum();
    let norm = g.iter().map(|e| e.1 * e.1).sum::<f64>().sqrt();
    let eff = (lhs - rhs) / norm;
    (eff > MIN_EFFICACY).then(|| {
        (
            Cut {
                lower: -rhs,
                entries: g.into_iter().map(|(j, v)| (j, -v)).collect(),
            },
            eff,
        )
    })
}
