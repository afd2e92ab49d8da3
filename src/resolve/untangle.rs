//! Fewer changes for a re-solved plan (slates, explain) or a sweep variant's plan: the parts of
//! its difference from the base plan that the fix does not need, and that cost nothing, are put
//! back as they were.
//!
//! # Why
//!
//! A re-solve's optimum is one of many equally good plans whenever posts are alike (two deputy
//! posts of one bureau give every candidate the same fit), and HiGHS returns any of them. On a
//! hard city, forcing C0735 into J00-D03-2 came back with 12 posts changing hands: the swap of
//! C0735 and C0197 inside J00-D03 that the forcing needs, and five unrelated swaps between
//! alike posts, each worth exactly nothing. A slate or an explanation that lists those tells a
//! decision body that one appointment reshuffles a dozen posts. `solve --baseline` finds the
//! fewest changes exactly (a second MIP); a slate makes hundreds of re-solves, so this is the
//! cheap, deterministic half of it: no solver, one pass of arithmetic per part.
//!
//! # How
//!
//! Let B be the base plan's pairs and Y the re-solved plan's. The pairs of `Y \ B` and `B \ Y`
//! form a graph on posts and candidates; each connected component (a *part*) is a chain or
//! cycle of moves. No pair of `Y ∩ B` touches a part's posts or candidates (each post and
//! candidate has at most one pair in Y and one in B, and in a part one of them differs), so
//! replacing a part's pairs from Y by its pairs from B gives a plan again: every post and every
//! candidate still in at most one placement.
//!
//! Parts are tried in order of their first post (scenario order), in passes; when a pass puts
//! nothing back, pairs of parts are tried (two parts can be tied by a rule row that counts
//! both, such as a hard cap the plan meets exactly), until nothing goes back. A part (or pair)
//! is put back when
//! - it holds no pair the fix forces, no post the fix must fill, and no pair the fix forbids
//!   among the pairs it would put back;
//! - every hard row of the model still holds (the model's tolerance);
//! - the objective, with every soft unit's shortfall at its least (`max(0, required)`), does
//!   not fall by more than [`TIE`] relative.
//!
//! The rows are evaluated incrementally from the model (activities of the rows a part's columns
//! touch). The result is then checked by the independent checker like every plan: if it is not
//! a plan, or its objective is lower than the re-solved plan's by more than [`TIE`], the
//! re-solved plan is kept as it was. So the listed changes always belong to a verified plan
//! whose objective is the proven optimum (within [`TIE`], far inside the spec's optimality
//! tolerance of 1e-6 relative).
//!
//! Sweeps use the same parts and loop on a variant's plan ([`untangle_checked`]): the variant
//! is another scenario, with no model of the base's shape at hand, so there each put-back is
//! judged by the checker itself (a whole plan evaluated per try) instead of the model's rows.
//!
//! The result is not always the fewest changes: a part is kept or put back as a whole, and a
//! long chain inside the forced part stays as HiGHS made it.

use crate::check::{check_plan, CheckReport};
use crate::eligibility::{Pair, EPS};
use crate::model::{Model, RowKind};
use crate::scenario::Scenario;
use crate::solve::ColumnMatrix;

/// A put-back may lower the objective by at most this, relative to `max(1, |objective|)`: only
/// exact ties (alike posts) and float noise, never a real loss.
pub(crate) const TIE: f64 = 1e-9;

/// The fix a plan must keep: its forced pair columns, forbidden pair columns and the post it
/// must fill.
pub(crate) struct Keep<'a> {
    pub force: &'a [usize],
    pub forbid: &'a [usize],
    pub fill: Option<usize>,
}

/// The model's rows as the untangling needs them, built once per base.
pub(crate) struct Rows {
    /// Per row: its one continuous column (a soft unit's shortfall) and that column's
    /// coefficient; `None` for a hard row.
    soft: Vec<Option<(u32, f64)>>,
    /// Rows that play no part: valid inequalities (`Cut`), which every plan with least
    /// shortfalls keeps.
    skip: Vec<bool>,
    /// False when some row has two continuous columns, or a continuous column has a positive
    /// objective: the shortcut does not apply and plans are left as they are.
    usable: bool,
    /// The continuous columns (soft units' shortfalls), ascending.
    continuous: Vec<u32>,
}

impl Rows {
    /// The rows of `m` (O(entries)).
    pub(crate) fn new(m: &Model) -> Rows {
        let mut soft = vec![None; m.rows.len()];
        let mut skip = vec![false; m.rows.len()];
        let mut usable = m.columns.iter().all(|c| c.integer || c.objective <= 0.0);
        for (i, r) in m.rows.iter().enumerate() {
            if matches!(r.kind, RowKind::Cut { .. }) {
                skip[i] = true;
                continue;
            }
            for (j, a) in r.entries.iter() {
                if !m.columns[j as usize].integer {
                    if soft[i].is_some() {
                        usable = false;
                    }
                    soft[i] = Some((j, a));
                }
            }
        }
        let continuous = (0..m.columns.len() as u32)
            .filter(|&j| !m.columns[j as usize].integer)
            .collect();
        Rows {
            soft,
            skip,
            usable,
            continuous,
        }
    }

    /// Position of continuous column k in [`Rows::continuous`].
    fn slot(&self, k: usize) -> usize {
        self.continuous
            .binary_search(&(k as u32))
            .expect("a continuous column")
    }
}

/// The plan `plan` (pair columns, ascending) with the parts of its difference from `base`
/// (pair columns, ascending) put back that `keep` allows and that cost nothing (module docs).
/// Returns the columns of the new plan, ascending (the same columns when nothing changes).
pub(crate) fn untangle(
    m: &Model,
    matrix: &ColumnMatrix,
    rows: &Rows,
    pairs: &[Pair],
    base: &[u32],
    plan: &[u32],
    keep: &Keep,
) -> Vec<u32> {
    if !rows.usable {
        return plan.to_vec();
    }
    let parts = parts(pairs, base, plan);
    if parts.is_empty() {
        return plan.to_vec();
    }
    let mut state = State::new(m, matrix, rows, plan);
    let open: Vec<Part> = parts
        .into_iter()
        .filter(|p| p.allowed(pairs, keep))
        .collect();
    settle(&mut state, open, MAX_PAIRED);
    // Only columns of the plan or the base can be in the result.
    let mut out: Vec<u32> = plan
        .iter()
        .chain(base)
        .copied()
        .filter(|&j| state.x[j as usize])
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The variant's checked plan `report` (in scenario `s`) with the parts of its difference
/// from `base` (the base plan's placements that `s` still has, as (post, candidate) indices of
/// `s`) put back that cost nothing: a sweep line's `changed` posts without the swaps between
/// alike posts that the variant does not need (module docs). Each put-back is judged by the
/// checker itself (every rule recomputed, objective within [`TIE`]), so the report returned
/// is always the checker's report of a plan; pairs of parts are tried among the first
/// [`MAX_PAIRED_CHECKED`] (a check costs a whole plan's evaluation).
pub(crate) fn untangle_checked(
    s: &Scenario,
    report: CheckReport,
    base: &[(usize, usize)],
) -> CheckReport {
    // Local pair list: the plan's placements and the base's, numbered, as parts want them.
    let mut local: Vec<Pair> = report
        .placements
        .iter()
        .map(|p| (p.post, p.candidate))
        .chain(base.iter().copied())
        .map(|(post, candidate)| Pair {
            candidate: candidate as u32,
            post: post as u32,
            fit: 0.0,
        })
        .collect();
    local.sort_by_key(|p| (p.post, p.candidate));
    local.dedup_by_key(|p| (p.post, p.candidate));
    let index = |post: usize, candidate: usize| {
        local
            .binary_search_by_key(&(post as u32, candidate as u32), |p| (p.post, p.candidate))
            .expect("listed") as u32
    };
    let mut plan: Vec<u32> = report
        .placements
        .iter()
        .map(|p| index(p.post, p.candidate))
        .collect();
    let mut old: Vec<u32> = base.iter().map(|&(p, c)| index(p, c)).collect();
    plan.sort_unstable();
    old.sort_unstable();
    let parts = parts(&local, &old, &plan);
    if parts.is_empty() {
        return report;
    }
    let mut ledger = Checked {
        s,
        pairs: &local,
        x: local.iter().map(|_| false).collect(),
        report,
    };
    for &j in &plan {
        ledger.x[j as usize] = true;
    }
    settle(&mut ledger, parts, MAX_PAIRED_CHECKED);
    ledger.report
}

/// Parts tried two at a time when each try is a whole check of the plan
/// ([`untangle_checked`]): the first this many still open.
const MAX_PAIRED_CHECKED: usize = 16;

/// Whatever judges a put-back: [`State`] from the model's rows, [`Checked`] by the checker.
trait Ledger {
    /// Puts `part` back if that keeps every hard rule and costs at most [`TIE`]; whether it
    /// did.
    fn try_put_back(&mut self, part: &Part) -> bool;
}

/// Puts back the parts of `open` that can go back, one by one in passes and, when a pass puts
/// nothing back, two at a time among the first `max_paired` ([`put_back_a_pair`]), until
/// nothing goes back.
fn settle(ledger: &mut impl Ledger, mut open: Vec<Part>, max_paired: usize) {
    loop {
        let before = open.len();
        open.retain(|part| !ledger.try_put_back(part));
        if open.len() == before && !put_back_a_pair(ledger, &mut open, max_paired) {
            break;
        }
    }
}

/// A plan judged by the checker: its pair columns in `pairs` and its report.
struct Checked<'a> {
    s: &'a Scenario,
    pairs: &'a [Pair],
    x: Vec<bool>,
    report: CheckReport,
}

impl Ledger for Checked<'_> {
    fn try_put_back(&mut self, part: &Part) -> bool {
        let mut x = self.x.clone();
        for &j in &part.new {
            x[j as usize] = false;
        }
        for &j in &part.old {
            x[j as usize] = true;
        }
        let plan: Vec<(usize, usize)> = self
            .pairs
            .iter()
            .zip(&x)
            .filter(|(_, &on)| on)
            .map(|(p, _)| (p.post as usize, p.candidate as usize))
            .collect();
        let checked = check_plan(self.s, &plan);
        let tie = TIE * self.report.objective.abs().max(1.0);
        if checked.is_ok() && checked.objective >= self.report.objective - tie {
            self.x = x;
            self.report = checked;
            true
        } else {
            false
        }
    }
}

/// Puts back the first two parts of `open` (in order: i < j, by i then j) that can only go back
/// together, and removes them from `open`; whether it found such a pair. Two parts are tied
/// when a rule row counts both: a hard cap over all appointees that the plan meets exactly
/// (hard province: at most 20% from outside the state system) lets a part that brings one
/// outsider in go back only with one that takes one out. At most the first `max_paired` parts
/// are tried in pairs.
fn put_back_a_pair(ledger: &mut impl Ledger, open: &mut Vec<Part>, max_paired: usize) -> bool {
    let n = open.len().min(max_paired);
    for i in 0..n {
        for j in i + 1..n {
            let both = Part {
                new: [open[i].new.as_slice(), &open[j].new].concat(),
                old: [open[i].old.as_slice(), &open[j].old].concat(),
            };
            if ledger.try_put_back(&both) {
                open.remove(j);
                open.remove(i);
                return true;
            }
        }
    }
    false
}

/// Parts tried two at a time from the model's rows ([`untangle`]): the first this many still
/// open (pairs of them: about 5,000 evaluations of a few rows each).
const MAX_PAIRED: usize = 100;

/// One connected part of the difference: its pairs in the re-solved plan (`new`) and in the
/// base plan (`old`).
#[derive(Debug, Clone, PartialEq)]
struct Part {
    new: Vec<u32>,
    old: Vec<u32>,
}

impl Part {
    fn allowed(&self, pairs: &[Pair], keep: &Keep) -> bool {
        let forced = self.new.iter().any(|&j| keep.force.contains(&(j as usize)));
        let forbidden = self
            .old
            .iter()
            .any(|&j| keep.forbid.contains(&(j as usize)));
        let fill = keep.fill.is_some_and(|p| {
            self.new
                .iter()
                .chain(&self.old)
                .any(|&j| pairs[j as usize].post as usize == p)
        });
        !forced && !forbidden && !fill
    }
}

/// The parts of the difference between `base` and `plan`, ordered by their first post.
fn parts(pairs: &[Pair], base: &[u32], plan: &[u32]) -> Vec<Part> {
    let new: Vec<u32> = plan
        .iter()
        .copied()
        .filter(|j| base.binary_search(j).is_err())
        .collect();
    let old: Vec<u32> = base
        .iter()
        .copied()
        .filter(|j| plan.binary_search(j).is_err())
        .collect();
    // Union-find over the posts and candidates the difference touches, numbered densely.
    let mut node: std::collections::HashMap<(bool, u32), usize> = Default::default();
    let mut parent: Vec<usize> = Vec::new();
    let mut id = |key: (bool, u32), parent: &mut Vec<usize>| {
        *node.entry(key).or_insert_with(|| {
            parent.push(parent.len());
            parent.len() - 1
        })
    };
    fn root(parent: &mut [usize], mut a: usize) -> usize {
        while parent[a] != a {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        a
    }
    let mut ends = Vec::with_capacity(new.len() + old.len());
    for &j in new.iter().chain(&old) {
        let p = pairs[j as usize];
        let a = id((true, p.post), &mut parent);
        let b = id((false, p.candidate), &mut parent);
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
        ends.push((j, a));
    }
    let mut by_root: std::collections::BTreeMap<usize, (u32, Part)> = Default::default();
    let n_new = new.len();
    for (k, (j, a)) in ends.into_iter().enumerate() {
        let r = root(&mut parent, a);
        let post = pairs[j as usize].post;
        let entry = by_root.entry(r).or_insert((
            post,
            Part {
                new: Vec::new(),
                old: Vec::new(),
            },
        ));
        entry.0 = entry.0.min(post);
        if k < n_new {
            entry.1.new.push(j);
        } else {
            entry.1.old.push(j);
        }
    }
    let mut out: Vec<(u32, Part)> = by_root.into_values().collect();
    out.sort_by_key(|(first, _)| *first);
    out.into_iter().map(|(_, part)| part).collect()
}

/// A plan being untangled: its columns, the activity of every row without its continuous
/// column, the least shortfall of every continuous column (by its position in
/// [`Rows::continuous`]) and the objective.
struct State<'a> {
    m: &'a Model,
    matrix: &'a ColumnMatrix,
    rows: &'a Rows,
    x: Vec<bool>,
    activity: Vec<f64>,
    shortfall: Vec<f64>,
    objective: f64,
}

impl<'a> State<'a> {
    fn new(m: &'a Model, matrix: &'a ColumnMatrix, rows: &'a Rows, plan: &[u32]) -> State<'a> {
        let mut x = vec![false; m.columns.len()];
        let mut activity = vec![0.0; m.rows.len()];
        let mut objective = 0.0;
        for &j in plan {
            x[j as usize] = true;
            objective += m.columns[j as usize].objective;
            for (i, a) in matrix.column(j as usize) {
                activity[i] += a;
            }
        }
        let mut state = State {
            m,
            matrix,
            rows,
            x,
            activity,
            shortfall: vec![0.0; rows.continuous.len()],
            objective,
        };
        for (q, &j) in rows.continuous.iter().enumerate() {
            let s = state.least(j as usize).unwrap_or(0.0);
            state.shortfall[q] = s;
            state.objective += m.columns[j as usize].objective * s;
        }
        state
    }

    /// The least value of continuous column k that keeps its rows at the current activities;
    /// `None` when none does.
    fn least(&self, k: usize) -> Option<f64> {
        let (mut lo, mut hi) = (0.0f64, self.m.columns[k].upper);
        for (i, e) in self.matrix.column(k) {
            if self.rows.skip[i] {
                continue;
            }
            let r = &self.m.rows[i];
            let act = self.activity[i];
            // lower <= act + e·s <= upper
            let (a, b) = ((r.lower - act) / e, (r.upper - act) / e);
            let (from, to) = if e > 0.0 { (a, b) } else { (b, a) };
            lo = lo.max(from);
            hi = hi.min(to);
        }
        (lo <= hi + EPS).then_some(lo.max(0.0))
    }
}

impl Ledger for State<'_> {
    fn try_put_back(&mut self, part: &Part) -> bool {
        let moves: Vec<(u32, f64)> = part
            .new
            .iter()
            .map(|&j| (j, -1.0))
            .chain(part.old.iter().map(|&j| (j, 1.0)))
            .collect();
        let mut touched: Vec<usize> = Vec::new();
        let mut gain = 0.0;
        for &(j, sign) in &moves {
            gain += sign * self.m.columns[j as usize].objective;
            for (i, a) in self.matrix.column(j as usize) {
                self.activity[i] += sign * a;
                touched.push(i);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        let mut ok = true;
        let mut soft: Vec<usize> = Vec::new();
        for &i in &touched {
            if self.rows.skip[i] {
                continue;
            }
            match self.rows.soft[i] {
                Some((k, _)) => soft.push(k as usize),
                None => {
                    let r = &self.m.rows[i];
                    let v = self.activity[i];
                    if v < r.lower - EPS || v > r.upper + EPS {
                        ok = false;
                        break;
                    }
                }
            }
        }
        soft.sort_unstable();
        soft.dedup();
        let mut least: Vec<(usize, f64)> = Vec::with_capacity(soft.len());
        if ok {
            for &k in &soft {
                match self.least(k) {
                    Some(s) => {
                        gain +=
                            self.m.columns[k].objective * (s - self.shortfall[self.rows.slot(k)]);
                        least.push((k, s));
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
        }
        if ok && gain >= -TIE * self.objective.abs().max(1.0) {
            for &(j, sign) in &moves {
                self.x[j as usize] = sign > 0.0;
            }
            for (k, s) in least {
                self.shortfall[self.rows.slot(k)] = s;
            }
            self.objective += gain;
            return true;
        }
        for &(j, sign) in &moves {
            for (i, a) in self.matrix.column(j as usize) {
                self.activity[i] -= sign * a;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests;
