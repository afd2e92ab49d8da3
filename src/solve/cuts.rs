//! Cuts that close the LP gap of soft team-scope rules: facets of the convex hull of a unit's
//! integer count vectors and their least shortfalls, separated at the LP optimum during pricing.
//!
//! A soft rule unit (one shortfall column `s`, a `min` row `a·x + s >= b_min` and/or a `max` row
//! `a'·x − s <= b_max`) only sees the pair columns through their coefficients. Pairs with the
//! same coefficients (in both rows) form a *class* k (for a share rule: joining or leaving the
//! team, in or out of the rule's group), and the rows only depend on the class counts
//! `n_k = Σ_{j∈k} x_j`. Every integer plan has an integer count vector n in
//!
//!   V = { n ∈ Z^K : 0 <= n, Σ_{k∈S} n_k <= ν(S) for every set S of classes }
//!
//! where ν(S) is the size of a maximum matching among the posts and candidates of S's pairs
//! (each post and each candidate takes part in at most one placement, so a plan's pairs in S
//! are such a matching; `min(|posts of S|, |candidates of S|)` alone is weaker when some posts
//! share their only candidates), and a shortfall
//! `s >= s*(n) = max(0, b_min − a·n, a'·n − b_max)`. So `(n, s)` lies in the convex hull of
//! `{(v, σ) : v ∈ V, σ >= s*(v)}`, whose lower facets are the inequalities
//! `s >= π0 + π·n` with `π0 = min_{v∈V} (s*(v) − π·v)`. **Validity** (for any π): an integer
//! plan has `n ∈ V` and `s >= s*(n) >= π0 + π·n` by the definition of π0. That is all the
//! proof needs: π comes from a small LP (the best facet at the LP point), but π0 is recomputed
//! exactly from the enumeration, so no solver tolerance can make a cut invalid.
//!
//! **Competitors.** A unit's posts may have a few other pairs with no coefficient in its rows
//! (on province-hard, pairs of a team's posts whose rows do not count them). They form one more
//! class with coefficient 0: they take posts from the members, and the matching caps ν(S) then
//! bound members and competitors together, which lifts the hull into those pairs. Validity is
//! unchanged (every plan's pairs in any set of classes are a matching). Found by reading the
//! cuts HiGHS's own separators (c-MIR on the team row aggregated with post rows) derived at the
//! root of province-hard's proof MIP; it takes province-hard's cut LP bound from 1500.134 to
//! 1500.047 (best plan known 1499.947).
//!
//! **Refinement by the LP point.** Class counts merge people: the LP can mix a plan where one
//! sitting member leaves with one where another does, while x has the first leaving at 1 and
//! the second at 0, so every plan that x mixes must agree on who leaves; the counts cannot see
//! that. When a unit finds no cut at a point with fractional members, its classes are split in
//! two, the members x uses and the others ([`Unit::refined`]). Any partition of a class is a
//! valid unit (the rows still depend only on the counts, the caps are still matchings), so the
//! finer hull's facets are valid for the same reason. Found, again, in HiGHS's root cut pool:
//! single-team cuts over one member's leaving pairs. It takes province-hard's cut LP bound
//! from 1500.047 to 1499.999 and city-hard's gap after cuts from 0.090 to 0.016.
//!
//! The LP relaxation lets `n` be fractional where people are not, and its shortfall is then the
//! continuous `max(0, b_min − a·n)`, below the hull; the cuts lift it to the hull. In terms of
//! model columns a cut is the row `s − Σ_k π_k Σ_{j∈k} x_j >= π0`, kept in every later LP and in
//! the restricted MIPs.

use std::collections::{BTreeMap, HashMap};

use highs::{HighsModelStatus, RowProblem, Sense};
use rayon::prelude::*;

use super::columns::Csc;
use super::counts::{enumerate, matching_caps, post_and_candidate, Ends};
use crate::model::{ColumnKind, Model, RowKind};

/// Units with more count vectors than this are not cut (never met by team units: a team has a
/// handful of posts and sitting candidates).
pub(super) const MAX_VECTORS: usize = 50_000;
/// A team's soft rules are cut jointly while their rows split its pair columns into at most this
/// many classes; beyond it, each rule unit is cut on its own.
const MAX_CLASSES: usize = 10;
/// A unit's classes split by the LP point ([`Unit::refined`]) may number up to this many.
const MAX_REFINED: usize = 12;
/// A team unit with more rule rows than this is cut rule by rule.
const MAX_ROWS: usize = 12;
/// A post's other pairs join its unit as competitors when there are at most this many.
const MAX_COMPETITORS: usize = 8;
/// A cut enters when it is violated by more than this at the LP point.
const MIN_VIOLATION: f64 = 1e-6;

/// One team's soft rule units (one or several shortfall columns), seen through class counts.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    /// The shortfall columns of the team's soft rule units (R of them).
    pub shortfalls: Vec<u32>,
    /// Pair columns of the unit and their class.
    pub members: Vec<(u32, u16)>,
    /// Every count vector in V (K entries each, one per class), flattened.
    counts: Vec<u32>,
    /// The least shortfall `s*_r(v)` of every count vector (R entries each), flattened.
    least: Vec<f64>,
    classes: usize,
    /// The unit's rows and each class's coefficients in them (kept to refine the classes).
    rows: Vec<UnitRow>,
    class_coef: Vec<Vec<f64>>,
}

/// A cut row: `lower <= Σ entries` (upper bound infinite).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cut {
    pub lower: f64,
    pub entries: Vec<(u32, f64)>,
}

/// The cuts found so far, by row. Sub-models need them by column only for their own columns
/// ([`Cuts::by_column`]); a map over every column of the model cost national-hard 5–8 s and
/// 1.2 GB for one round of 1,335 cuts.
#[derive(Debug, Default)]
pub(crate) struct Cuts {
    pub rows: Vec<Cut>,
    /// Which rows are Gomory cuts (`gomory`), by row; the others are hull cuts.
    tableau: Vec<bool>,
}

impl Cuts {
    pub(crate) fn add(&mut self, cut: Cut) {
        self.rows.push(cut);
        self.tableau.push(false);
    }

    /// Adds a Gomory cut (`gomory`): it tightens the pricing LP, and [`Cuts::for_mip`] leaves
    /// it out of the proof MIPs.
    pub(crate) fn add_tableau(&mut self, cut: Cut) {
        self.rows.push(cut);
        self.tableau.push(true);
    }

    /// Which rows are Gomory cuts, by row.
    pub(crate) fn tableau_flags(&self) -> &[bool] {
        &self.tableau
    }

    /// Whether any row is a Gomory cut.
    pub(crate) fn has_tableau(&self) -> bool {
        self.tableau.iter().any(|&t| t)
    }

    /// The cuts a restricted MIP takes: the hull cuts, not the Gomory cuts. Leaving valid
    /// inequalities out of a MIP never changes its optimum, only its LP; Gomory rows are dense
    /// (thousands of entries), and HiGHS derives its own at the root.
    pub(crate) fn for_mip(&self) -> Cuts {
        let rows: Vec<Cut> = self
            .rows
            .iter()
            .zip(&self.tableau)
            .filter(|(_, &t)| !t)
            .map(|(c, _)| c.clone())
            .collect();
        Cuts {
            tableau: vec![false; rows.len()],
            rows,
        }
    }

    /// (cut index, coefficient) of each column of `cols` in the cuts, in `cols`' order; `n`
    /// is the model's column count. One pass over the cut rows.
    pub(crate) fn by_column(&self, cols: &[u32], n: usize) -> Vec<Vec<(u32, f64)>> {
        let mut out = vec![Vec::new(); cols.len()];
        if self.rows.is_empty() {
            return out;
        }
        let mut at = vec![u32::MAX; n];
        for (p, &j) in cols.iter().enumerate() {
            at[j as usize] = p as u32;
        }
        for (k, cut) in self.rows.iter().enumerate() {
            for &(j, a) in &cut.entries {
                let p = at[j as usize];
                if p != u32::MAX {
                    out[p as usize].push((k as u32, a));
                }
            }
        }
        out
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }
}

/// The soft team-scope units of a model whose count vectors can be listed: one per team with
/// all its soft rules together when their classes are few enough, else one per rule unit.
/// Teams not begun when `stop` turns true get none (fewer units: every cut stays valid).
pub(crate) fn units(m: &Model, csc: &Csc, stop: &(dyn Fn() -> bool + Sync)) -> Vec<Unit> {
    let mut by_team: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (j, c) in m.columns.iter().enumerate() {
        if let ColumnKind::Shortfall { team: Some(t), .. } = c.kind {
            by_team.entry(t).or_default().push(j as u32);
        }
    }
    // Hard rule rows of each team: rule rows with no shortfall column in them.
    let shortfall_col = |j: u32| {
        matches!(
            m.columns[j as usize].kind,
            ColumnKind::Shortfall { .. } | ColumnKind::Relaxed { .. }
        )
    };
    let mut hard: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, r) in m.rows.iter().enumerate() {
        if let RowKind::RuleMin { team: Some(t), .. } | RowKind::RuleMax { team: Some(t), .. } =
            r.kind
        {
            if !r.entries.iter().any(|(j, _)| shortfall_col(j)) {
                hard.entry(t as u32).or_default().push(i);
            }
        }
    }
    let teams: Vec<(u32, Vec<u32>)> = by_team.into_iter().collect();
    teams
        .par_iter()
        .flat_map_iter(|(t, shortfalls)| {
            if stop() {
                return Vec::new();
            }
            let hard = hard.get(t).map_or(&[][..], |v| v.as_slice());
            // Jointly with the team's hard rows and competitors; failing that (too many classes
            // or vectors), without the hard rows, then without the competitors, then rule by
            // rule. Measured on province-hard: dropping the hard rows before the competitors
            // leaves the cut LP at 1500.047, the other order at 1500.107; keeping both
            // alternatives adds nothing.
            let joint = unit(m, csc, shortfalls, hard, true)
                .or_else(|| unit(m, csc, shortfalls, &[], true))
                .or_else(|| unit(m, csc, shortfalls, hard, false))
                .or_else(|| unit(m, csc, shortfalls, &[], false));
            if let Some(u) = joint {
                return vec![u];
            }
            shortfalls
                .iter()
                .filter_map(|&s| {
                    unit(m, csc, &[s], &[], true).or_else(|| unit(m, csc, &[s], &[], false))
                })
                .collect()
        })
        .collect()
}

/// One row of a unit: `a·x + s >= b` (`min`) or `a·x − s <= b` (max), for shortfall `r`; or a
/// hard row `lower <= a·x <= upper` of the same team (`r` is `None`).
#[derive(Debug, Clone, Copy)]
struct UnitRow {
    row: usize,
    min: bool,
    r: Option<usize>,
}

/// The unit of a team's soft rules `shortfalls` and hard rule rows `hard`: count vectors that
/// break a hard row are left out of V (no plan has them), which only strengthens the hull.
fn unit(m: &Model, csc: &Csc, shortfalls: &[u32], hard: &[usize], competing: bool) -> Option<Unit> {
    // The unit's rows: min rows have s with +1 and a finite lower bound, max rows s with −1 and
    // a finite upper bound; nothing else may use a shortfall column.
    let mut rows: Vec<UnitRow> = Vec::new();
    for (r, &s) in shortfalls.iter().enumerate() {
        for (i, a) in csc.column(s as usize) {
            let row = &m.rows[i];
            // An earlier solve's cut (a valid inequality, not a rule row): no part of the unit.
            if matches!(row.kind, RowKind::Cut { .. }) {
                continue;
            }
            if a == 1.0 && row.lower.is_finite() && !row.upper.is_finite() {
                rows.push(UnitRow {
                    row: i,
                    min: true,
                    r: Some(r),
                });
            } else if a == -1.0 && row.upper.is_finite() && !row.lower.is_finite() {
                rows.push(UnitRow {
                    row: i,
                    min: false,
                    r: Some(r),
                });
            } else {
                return None;
            }
        }
    }
    rows.extend(hard.iter().map(|&i| UnitRow {
        row: i,
        min: true,
        r: None,
    }));
    if rows.len() > MAX_ROWS {
        return None;
    }
    let is_shortfall = |j: u32| shortfalls.contains(&j);
    // Each unit row's pair entries in column order (the model writes them so; sorted here
    // otherwise), merged column by column: a team's unit holds up to tens of thousands of
    // columns at national scale, so no sort of them all and no map per column.
    let mut lists: Vec<Vec<(u32, f64)>> = Vec::with_capacity(rows.len());
    for ur in &rows {
        let mut list: Vec<(u32, f64)> = m.rows[ur.row]
            .entries
            .iter()
            // A column fixed at 0 (a re-solve's forbidden pair) is in no plan: not in the unit.
            .filter(|&(j, _)| !is_shortfall(j) && m.columns[j as usize].upper > 0.0)
            .collect();
        if list
            .iter()
            .any(|&(j, _)| !m.columns[j as usize].integer || m.columns[j as usize].upper != 1.0)
        {
            return None;
        }
        if !list.is_sorted_by_key(|e| e.0) {
            list.sort_unstable_by_key(|e| e.0);
        }
        lists.push(list);
    }
    // Classes by coefficient vector (bit patterns: exact), numbered by first appearance in
    // column order.
    let mut class_of: HashMap<[u64; MAX_ROWS], u16> = HashMap::new();
    let mut class_coef: Vec<Vec<f64>> = Vec::new();
    let mut members = Vec::new();
    let mut at = vec![0usize; lists.len()];
    while let Some(j) = lists
        .iter()
        .zip(&at)
        .filter_map(|(l, &p)| l.get(p).map(|e| e.0))
        .min()
    {
        let mut key = [0u64; MAX_ROWS];
        let mut a = [0.0f64; MAX_ROWS];
        for (q, (l, p)) in lists.iter().zip(at.iter_mut()).enumerate() {
            if let Some(&(jj, v)) = l.get(*p) {
                if jj == j {
                    key[q] = v.to_bits();
                    a[q] = v;
                    *p += 1;
                }
            }
        }
        let next = class_of.len() as u16;
        let k = *class_of.entry(key).or_insert_with(|| {
            class_coef.push(a[..rows.len()].to_vec());
            next
        });
        members.push((j, k));
    }
    // Competitors: the other pairs of the unit's posts (pairs its rows do not count), when a
    // post has few. They take the post from the members, which the matching caps then see
    // (see the module docs).
    // A unit that is too large with them is built without them (a class more must not cost
    // a team its joint unit).
    let mut per_post: BTreeMap<usize, usize> = BTreeMap::new();
    // Each member's post and candidate, looked up once (national-hard: tens of millions).
    let mut ends_of: Vec<Ends> = Vec::with_capacity(members.len());
    for &(j, _) in &members {
        let pc = post_and_candidate(m, csc, j);
        if let (true, (0, i)) = (competing, pc.0) {
            *per_post.entry(i).or_default() += 1;
        }
        ends_of.push(pc);
    }
    let mut competitors: Vec<u32> = Vec::new();
    for (&i, &mine) in &per_post {
        let entries = &m.rows[i].entries;
        if entries.len() > mine + MAX_COMPETITORS {
            continue;
        }
        // `members` is in column order.
        competitors.extend(entries.iter().map(|e| e.0).filter(|&j| {
            let c = &m.columns[j as usize];
            c.integer
                && c.upper == 1.0
                && !is_shortfall(j)
                && members.binary_search_by_key(&j, |e| e.0).is_err()
        }));
    }
    competitors.sort_unstable();
    competitors.dedup();
    if !competitors.is_empty() {
        if class_coef.len() >= MAX_CLASSES {
            return None;
        }
        let k = class_coef.len() as u16;
        class_coef.push(vec![0.0; rows.len()]);
        members.extend(competitors.into_iter().map(|j| (j, k)));
    }
    if class_coef.is_empty() || class_coef.len() > MAX_CLASSES {
        return None;
    }
    finish(m, csc, shortfalls, rows, members, class_coef, &ends_of)
}

/// The count vectors of a unit whose members and classes are known: their caps (maximum
/// matchings), the vectors within them that keep the unit's hard rows, and each vector's least
/// shortfalls. `ends_of[q]` is member q's post and candidate when known
/// (looked up otherwise).
fn finish(
    m: &Model,
    csc: &Csc,
    shortfalls: &[u32],
    rows: Vec<UnitRow>,
    members: Vec<(u32, u16)>,
    class_coef: Vec<Vec<f64>>,
    ends_of: &[Ends],
) -> Option<Unit> {
    let classes = class_coef.len();
    if classes == 0 || classes > MAX_REFINED {
        return None;
    }
    // Cap of every set S of classes (bit mask): at most as many as the distinct posts, and as
    // the distinct candidates, of S's classes. A post or candidate with a row is numbered
    // within the unit; one without (the only pair of its post or candidate) belongs to one
    // column, so to one class, and is only counted. Unions are bit sets built mask by mask
    // from the mask without its lowest class (sorting unions took 25 s for national-hard).
    let mut local: Vec<u32> = vec![u32::MAX; m.rows.len()];
    let mut numbered = 0usize;
    let mut sets: [Vec<Vec<usize>>; 2] = [vec![Vec::new(); classes], vec![Vec::new(); classes]];
    let mut solo = [vec![0u32; classes], vec![0u32; classes]];
    // Each member's post and candidate as matching vertices: numbered ones as above, a solo one
    // (its own post or candidate) numbered after them (`solo_base` + its order), kept apart by
    // the high bit until `numbered` is known.
    const SOLO: u32 = 1 << 31;
    let mut ends: Vec<[u32; 2]> = Vec::with_capacity(members.len());
    let mut solos = 0u32;
    for (q, &(j, k)) in members.iter().enumerate() {
        let (p, c) = match ends_of.get(q) {
            Some(&pc) => pc,
            None => post_and_candidate(m, csc, j),
        };
        let mut end = [0u32; 2];
        for (side, (tag, id)) in [p, c].into_iter().enumerate() {
            if tag == 0 {
                if local[id] == u32::MAX {
                    local[id] = numbered as u32;
                    numbered += 1;
                }
                sets[side][k as usize].push(local[id] as usize);
                end[side] = local[id];
            } else {
                solo[side][k as usize] += 1;
                end[side] = SOLO | solos;
                solos += 1;
            }
        }
        ends.push(end);
    }
    for end in &mut ends {
        for v in end.iter_mut() {
            if *v & SOLO != 0 {
                *v = numbered as u32 + (*v & !SOLO);
            }
        }
    }
    let words = numbered.div_ceil(64).max(1);
    // One flat buffer of `words` words a set (a vector per set cost malloc and free 8% of the
    // cut rounds' samples on province-hard, session 23).
    let union_sizes = |side: usize| -> Vec<u32> {
        let mut bits = vec![0u64; words * classes];
        for (k, set) in sets[side].iter().enumerate() {
            for &i in set {
                bits[k * words + i / 64] |= 1 << (i % 64);
            }
        }
        let mut unions = vec![0u64; words << classes];
        let mut sizes = vec![0u32; 1 << classes];
        let mut solos = vec![0u32; 1 << classes];
        for mask in 1..1usize << classes {
            let low = mask.trailing_zeros() as usize;
            let rest = mask & (mask - 1);
            let mut ones = 0u32;
            for w in 0..words {
                let u = unions[rest * words + w] | bits[low * words + w];
                unions[mask * words + w] = u;
                ones += u.count_ones();
            }
            solos[mask] = solos[rest] + solo[side][low];
            sizes[mask] = ones + solos[mask];
        }
        sizes
    };
    let (post_sizes, cand_sizes) = (union_sizes(0), union_sizes(1));
    let cap: Vec<u32> = post_sizes
        .iter()
        .zip(&cand_sizes)
        .map(|(&p, &c)| p.min(c))
        .collect();
    let vertices = numbered + solos as usize;
    let cap = matching_caps(&ends, &members, vertices, classes, &cap);
    let all = enumerate(classes, &cap)?;
    let r_count = shortfalls.len();
    let mut counts = Vec::with_capacity(all.len());
    let mut least = Vec::with_capacity(all.len() / classes * r_count);
    let mut out = vec![0.0f64; r_count];
    'vectors: for v in all.chunks_exact(classes) {
        out.fill(0.0);
        for (q, ur) in rows.iter().enumerate() {
            let dot: f64 = v
                .iter()
                .zip(&class_coef)
                .map(|(&n, c)| n as f64 * c[q])
                .sum();
            let row = &m.rows[ur.row];
            match ur.r {
                Some(r) => {
                    let short = if ur.min {
                        row.lower - dot
                    } else {
                        dot - row.upper
                    };
                    out[r] = out[r].max(short);
                }
                None => {
                    // A hard row: keep v only if it holds (with the model's own tolerance).
                    let tol = crate::eligibility::EPS;
                    if dot < row.lower - tol || dot > row.upper + tol {
                        continue 'vectors;
                    }
                }
            }
        }
        counts.extend_from_slice(v);
        least.extend_from_slice(&out);
    }
    if counts.is_empty() {
        return None;
    }
    Some(Unit {
        shortfalls: shortfalls.to_vec(),
        members,
        counts,
        least,
        classes,
        rows,
        class_coef,
    })
}

impl Unit {
    fn vectors(&self) -> impl Iterator<Item = (&[u32], &[f64])> {
        self.counts
            .chunks_exact(self.classes)
            .zip(self.least.chunks_exact(self.shortfalls.len()))
    }

    /// Class counts and shortfalls of a (fractional) point x over all model columns.
    pub(crate) fn point(&self, x: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut n = vec![0.0; self.classes];
        for &(j, k) in &self.members {
            n[k as usize] += x[j as usize];
        }
        (n, self.shortfalls.iter().map(|&s| x[s as usize]).collect())
    }

    /// `π0 = min_{v∈V} (α·s*(v) − π·v)`, less 1e-9 against rounding: the largest constant that
    /// makes `α·s >= π0 + π·n` hold at every count vector (so for every integer plan; α >= 0).
    pub(crate) fn intercept(&self, alpha: &[f64], pi: &[f64]) -> f64 {
        let exact = self
            .vectors()
            .map(|(v, s)| {
                let a: f64 = s.iter().zip(alpha).map(|(s, a)| s * a).sum();
                a - v.iter().zip(pi).map(|(&n, p)| n as f64 * p).sum::<f64>()
            })
            .fold(f64::INFINITY, f64::min);
        exact - 1e-9 * exact.abs().max(1.0)
    }

    /// The cut `α·s − Σ_k π_k n_k >= π0` as a model row.
    pub(crate) fn row(&self, alpha: &[f64], pi: &[f64], pi0: f64) -> Cut {
        let mut entries: Vec<(u32, f64)> = self
            .shortfalls
            .iter()
            .zip(alpha)
            .filter(|(_, &a)| a != 0.0)
            .map(|(&s, &a)| (s, a))
            .collect();
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

    /// A hash (FNV-1a) of the values x gives the unit's shortfall and member columns: all that
    /// [`Unit::separate_refining`] reads of x.
    fn values_hash(&self, x: &[f64]) -> u64 {
        self.shortfalls
            .iter()
            .chain(self.members.iter().map(|(j, _)| j))
            .fold(0xcbf2_9ce4_8422_2325u64, |h, &j| {
                (h ^ x[j as usize].to_bits()).wrapping_mul(0x0100_0000_01b3)
            })
    }

    /// The most violated hull facet at x, if any cuts x off by more than [`MIN_VIOLATION`].
    pub(crate) fn separate(&self, x: &[f64]) -> Option<Cut> {
        let (n, s) = self.point(x);
        if n.iter().all(|v| (v - v.round()).abs() <= 1e-9) {
            // An integral count vector: the LP's rows already give s_r >= s*_r(n).
            return None;
        }
        // First the hull's facets with α ≠ 0; if n lies outside conv(V) (possible when hard rows
        // cut V) that LP is unbounded, and a facet of conv(V) itself (α = 0) separates n.
        self.separate_with(&n, &s, false)
            .or_else(|| self.separate_with(&n, &s, true))
    }

    /// [`Unit::separate`], and when it finds nothing at a point with fractional members, the
    /// same on the unit refined by the point ([`Unit::refined`]).
    /// `kept`: the refined unit of an earlier round and the support it was refined for (a hash
    /// of the members x uses); reused while the support stays the same (most units' supports
    /// do from one round to the next; on province-hard, rounds 7-13 separated in 0.8-1.0 s with
    /// the kept units where round 2, refining afresh, took 2.1 s). A
    /// hash collision would only reuse a unit refined for another support: still a valid unit
    /// (any partition of the classes is), so cuts stay valid, only perhaps weaker.
    fn separate_refining(
        &self,
        m: &Model,
        csc: &Csc,
        x: &[f64],
        kept: &mut Option<(u64, Option<Unit>)>,
    ) -> Option<Cut> {
        self.separate(x).or_else(|| {
            let fractional = self.members.iter().any(|&(j, _)| {
                let v = x[j as usize];
                v > 1e-9 && v < 1.0 - 1e-9
            });
            if !fractional {
                return None;
            }
            let support = self
                .members
                .iter()
                .filter(|&&(j, _)| x[j as usize] > 1e-9)
                .fold(0xcbf2_9ce4_8422_2325u64, |h, &(j, _)| {
                    (h ^ j as u64).wrapping_mul(0x0100_0000_01b3)
                });
            if kept.as_ref().is_none_or(|k| k.0 != support) {
                *kept = Some((support, self.refined(m, csc, x)));
            }
            kept.as_ref()?.1.as_ref()?.separate(x)
        })
    }

    /// The unit with each class split in two by the LP point x: the members x uses (its
    /// support, `x_j > 0`) and the others. Finer classes describe the same plans (any partition
    /// of a class gives a valid unit: its rows still depend only on the class counts), so every
    /// facet of the finer hull is valid. It is stronger where x is: class counts merge people,
    /// and the LP can mix a plan where a sitting member leaves with one where another does,
    /// while x has the one leaving at 1 and the other at 0, so that every plan x mixes must
    /// agree on who leaves. On province-hard, HiGHS's root separators found exactly such cuts
    /// on our cut LP (one team row, the leaving pairs of one member, violation up to 0.125):
    /// they are facets of the finer hull. `None` when nothing splits or the classes would
    /// exceed [`MAX_REFINED`].
    pub(crate) fn refined(&self, m: &Model, csc: &Csc, x: &[f64]) -> Option<Unit> {
        let mut id: HashMap<(u16, bool), u16> = HashMap::new();
        let mut class_coef: Vec<Vec<f64>> = Vec::new();
        let members: Vec<(u32, u16)> = self
            .members
            .iter()
            .map(|&(j, k)| {
                let next = id.len() as u16;
                let c = *id.entry((k, x[j as usize] > 1e-9)).or_insert_with(|| {
                    class_coef.push(self.class_coef[k as usize].clone());
                    next
                });
                (j, c)
            })
            .collect();
        if class_coef.len() == self.classes || class_coef.len() > MAX_REFINED {
            return None;
        }
        finish(
            m,
            csc,
            &self.shortfalls,
            self.rows.clone(),
            members,
            class_coef,
            &[],
        )
    }

    /// The most violated facet of this unit's hull at (n, s) ([`facet_at`] over all of V), its
    /// intercept recomputed exactly from V ([`Unit::intercept`]).
    fn separate_with(&self, n: &[f64], s: &[f64], conv_v: bool) -> Option<Cut> {
        let (pi, alpha) = facet_at(self.vectors(), n, s, conv_v)?;
        let pi0 = self.intercept(&alpha, &pi);
        violated(pi0, &pi, &alpha, n, s).then(|| self.row(&alpha, &pi, pi0))
    }
}

/// Whether `α·s >= π0 + π·n` cuts off (n, s) by more than [`MIN_VIOLATION`].
pub(super) fn violated(pi0: f64, pi: &[f64], alpha: &[f64], n: &[f64], s: &[f64]) -> bool {
    let lhs = pi0 + pi.iter().zip(n).map(|(p, v)| p * v).sum::<f64>()
        - alpha.iter().zip(s).map(|(a, v)| a * v).sum::<f64>();
    lhs > MIN_VIOLATION
}

/// The separation LP at the point (n, s) over the count vectors `vectors` (each with its least
/// shortfalls): `max π0 + π·n − α·s  s.t.  π0 + π·v − α·s*(v) <= 0 for every listed v`, with
/// `Σα = 1, α >= 0, π free` (`conv_v` false), or `α = 0, |π| <= 1` (`conv_v` true). Returns
/// (π, α) of an optimal facet; the caller recomputes π0 exactly over every count vector its
/// plans can have, so neither HiGHS's tolerances nor a partial list can make a cut invalid.
pub(super) fn facet_at<'a>(
    vectors: impl Iterator<Item = (&'a [u32], &'a [f64])>,
    n: &[f64],
    s: &[f64],
    conv_v: bool,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let mut pb = RowProblem::default();
    let p0 = pb.add_column(1.0, f64::NEG_INFINITY..);
    let pis: Vec<_> = n
        .iter()
        .map(|&nk| {
            if conv_v {
                pb.add_column(nk, -1.0..=1.0)
            } else {
                pb.add_column(nk, f64::NEG_INFINITY..)
            }
        })
        .collect();
    let alphas: Vec<_> = if conv_v || s.is_empty() {
        Vec::new()
    } else {
        let a: Vec<_> = s.iter().map(|&sr| pb.add_column(-sr, 0.0..)).collect();
        pb.add_row(1.0..=1.0, a.iter().map(|&c| (c, 1.0)));
        a
    };
    // Each row straight from iterators: a vector per row was a malloc and a free per count
    // vector (up to 50,000 a unit, every round).
    for (v, sv) in vectors {
        let factors = std::iter::once((p0, 1.0))
            .chain(
                v.iter()
                    .zip(&pis)
                    .filter(|(&c, _)| c > 0)
                    .map(|(&c, &p)| (p, c as f64)),
            )
            .chain(
                sv.iter()
                    .zip(&alphas)
                    .filter(|(&l, _)| l != 0.0)
                    .map(|(&l, &a)| (a, -l)),
            );
        pb.add_row(..=0.0, factors);
    }
    let mut model = pb.try_optimise(Sense::Maximise).ok()?;
    model.make_quiet();
    model.set_option("threads", 1);
    let solved = model.try_solve().ok()?;
    if solved.status() != HighsModelStatus::Optimal {
        return None;
    }
    let sol = solved.get_solution();
    let clean = |p: f64| if p.abs() < 1e-9 { 0.0 } else { p };
    let k = n.len();
    let pi: Vec<f64> = sol.columns()[1..=k].iter().map(|&p| clean(p)).collect();
    let alpha: Vec<f64> = if alphas.is_empty() {
        vec![0.0; s.len()]
    } else {
        sol.columns()[1 + k..]
            .iter()
            .map(|&a| clean(a).max(0.0))
            .collect()
    };
    Some((pi, alpha))
}

/// What a unit keeps from one cut round to the next (one slot per unit; start with
/// `Kept::default()` and pass the same slots every round).
#[derive(Debug, Clone, Default)]
pub(crate) struct Kept {
    /// The refined unit of an earlier round and the support it was refined for
    /// ([`Unit::separate_refining`]).
    refined: Option<(u64, Option<Unit>)>,
    /// A hash of the unit's columns in x at a round where it found no cut. Separation is a
    /// pure function of those values (and of the refined unit, itself keyed by them), so the
    /// same values find no cut again and are skipped: on province-hard most of the 1,080 units
    /// do not move between late rounds; rounds 7-13 separated in 0.17-0.34 s instead of
    /// 0.38-0.46 s, with the same cuts. A hash collision would only skip a cut (the bound
    /// stays valid, only perhaps weaker).
    quiet: Option<u64>,
}

/// The slots of [`separate`], one per unit.
pub(crate) type Refinements = Vec<Kept>;

/// The violated cuts at x (one per unit at most), in unit order. `kept` has one slot per unit
/// (start with `vec![Kept::default(); units.len()]`, pass the same one every round).
/// `stop`: once it says true (the command's deadline passed), the units left are skipped and
/// the cuts found so far returned; the caller then ends the solve. Province-hard's first
/// round takes 0.5–0.9 s, and a round begun just before a 10 s limit ended 0.7 s late.
pub(crate) fn separate(
    m: &Model,
    csc: &Csc,
    units: &[Unit],
    kept: &mut Refinements,
    x: &[f64],
    stop: &(dyn Fn() -> bool + Sync),
) -> Vec<Cut> {
    units
        .par_iter()
        .zip(kept.par_iter_mut())
        .filter_map(|(u, k)| {
            if stop() {
                return None;
            }
            let seen = u.values_hash(x);
            if k.quiet == Some(seen) {
                return None;
            }
            let cut = u.separate_refining(m, csc, x, &mut k.refined);
            k.quiet = cut.is_none().then_some(seen);
            cut
        })
        .collect::<Vec<_>>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, Row};

    /// Pair column p (objective 1) with upper bound `upper`.
    fn pair(p: usize, upper: f64) -> Column {
        Column {
            kind: ColumnKind::Pair(p as u32),
            objective: 1.0,
            upper,
            integer: true,
        }
    }

    /// The shortfall column of rule 0 in team 0.
    fn shortfall(objective: f64, upper: f64) -> Column {
        Column {
            kind: ColumnKind::Shortfall {
                rule: 0,
                team: Some(0),
            },
            objective,
            upper,
            integer: false,
        }
    }

    /// Rule 0's `min` row in team 0: `lower <= entries`.
    fn rule_min(lower: f64, entries: Vec<(u32, f64)>) -> Row {
        Row {
            kind: RowKind::RuleMin {
                rule: 0,
                team: Some(0),
            },
            lower,
            upper: f64::INFINITY,
            entries: entries.into(),
        }
    }

    /// The model of one soft unit `n − 1.5 + s >= 0` over two pairs (columns 0 and 1; the
    /// shortfall is column 2), and its units.
    fn count_at_least_one_and_a_half() -> (Model, Csc, Vec<Unit>) {
        let m = Model {
            columns: vec![pair(0, 1.0), pair(1, 1.0), shortfall(-2.0, 2.0)],
            rows: vec![rule_min(1.5, vec![(0, 1.0), (1, 1.0), (2, 1.0)])],
            ..Default::default()
        };
        let csc = Csc::from_model(&m);
        let units = units(&m, &csc, &|| false);
        (m, csc, units)
    }

    /// One soft unit `n − 1.5 + s >= 0` over two pairs into two posts (count >= a with a = 1.5):
    /// the hull is `s >= frac(a)·(ceil(a) − n)` = `1 − 0.5·n` where the LP point n = 1.5, s = 0
    /// sits; the cut found is that facet, and every integer plan keeps it.
    #[test]
    fn fixed_size_unit_gets_the_known_hull_facet() {
        let (_, _, units) = count_at_least_one_and_a_half();
        assert_eq!(units.len(), 1);
        let u = &units[0];
        assert_eq!(u.counts.len(), 3, "{:?}", u.counts);
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

    /// A unit that found no cut at some values is skipped while they stay the same, and
    /// separated again as soon as they move.
    #[test]
    fn a_quiet_unit_is_skipped_until_its_values_move() {
        let (m, csc, units) = count_at_least_one_and_a_half();
        let mut kept = vec![Kept::default(); units.len()];
        // On the hull facet s = 1 − 0.5·n (n = 1.5, s = 0.25): nothing to cut.
        let on_hull = [1.0, 0.5, 0.25];
        assert!(separate(&m, &csc, &units, &mut kept, &on_hull, &|| false).is_empty());
        let seen = kept[0].quiet.expect("remembered as quiet");
        assert!(separate(&m, &csc, &units, &mut kept, &on_hull, &|| false).is_empty());
        assert_eq!(kept[0].quiet, Some(seen));
        // The values move off the hull: separated again, the cut found, the memory cleared.
        let cut_off = [1.0, 0.5, 0.0];
        assert_eq!(
            separate(&m, &csc, &units, &mut kept, &cut_off, &|| false).len(),
            1
        );
        assert_eq!(kept[0].quiet, None);
    }

    /// Past the deadline, separation skips every unit and remembers nothing, so a later round
    /// (none, in a solve: it ends) would still find the cut.
    #[test]
    fn a_passed_deadline_skips_the_units_left() {
        let (m, csc, units) = count_at_least_one_and_a_half();
        let mut kept = vec![Kept::default(); units.len()];
        let cut_off = [1.0, 0.5, 0.0];
        assert!(separate(&m, &csc, &units, &mut kept, &cut_off, &|| true).is_empty());
        assert_eq!(
            kept[0].quiet, None,
            "a skipped unit is not remembered as quiet"
        );
        assert_eq!(
            separate(&m, &csc, &units, &mut kept, &cut_off, &|| false).len(),
            1
        );
    }

    /// Three posts and three candidates, but P0 and P1 can only take C0: no plan holds more than
    /// two of the unit's pairs, though the posts and the candidates number three each. The
    /// count vectors stop at two (a maximum matching), not at three (the distinct posts).
    #[test]
    fn caps_are_maximum_matchings_not_distinct_posts() {
        // Columns: 0 = C0→P0, 1 = C0→P1, 2 = C1→P2, 3 = C2→P2; 4 = the shortfall.
        let mut m = Model {
            columns: (0..4).map(|p| pair(p, 1.0)).collect(),
            ..Default::default()
        };
        m.columns.push(shortfall(-1.0, 3.0));
        m.rows.push(Row {
            kind: RowKind::CandidateOnce(0),
            lower: f64::NEG_INFINITY,
            upper: 1.0,
            entries: vec![(0, 1.0), (1, 1.0)].into(),
        });
        m.rows.push(Row {
            kind: RowKind::PostOnce(2),
            lower: f64::NEG_INFINITY,
            upper: 1.0,
            entries: vec![(2, 1.0), (3, 1.0)].into(),
        });
        m.rows.push(rule_min(
            3.0,
            vec![(0, 1.0), (1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0)],
        ));
        let csc = Csc::from_model(&m);
        let units = units(&m, &csc, &|| false);
        assert_eq!(units.len(), 1);
        assert_eq!(units[0].counts, vec![0, 1, 2], "counts 0..=2, never 3");
        assert_eq!(units[0].least, vec![3.0, 2.0, 1.0]);
    }

    /// A re-solve forbids pairs by fixing their columns at 0. Such a column is in no plan, so it
    /// leaves the unit; the team keeps its unit (it used to lose it, and with it every hull cut:
    /// city-hard's forced re-solves then needed 60,000-column proof MIPs of 1–4 minutes instead
    /// of 4,000-column ones of seconds).
    #[test]
    fn a_column_fixed_at_zero_leaves_the_unit_not_the_team() {
        let m = Model {
            columns: vec![
                pair(0, 1.0),
                pair(1, 1.0),
                pair(2, 0.0),
                shortfall(-2.0, 2.0),
            ],
            rows: vec![rule_min(1.5, vec![(0, 1.0), (1, 1.0), (2, 1.0), (3, 1.0)])],
            ..Default::default()
        };
        let csc = Csc::from_model(&m);
        let units = units(&m, &csc, &|| false);
        assert_eq!(units.len(), 1, "the team keeps its unit");
        assert_eq!(units[0].members, vec![(0, 0), (1, 0)]);
        assert_eq!(units[0].counts, vec![0, 1, 2]);
    }
}
