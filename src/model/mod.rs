//! The placement integer program, built from a scenario and its eligible pairs as plain sparse
//! rows and columns. No solver types here: `solve` loads this into HiGHS.
//!
//! Columns: one binary per eligible pair (fit as its objective), one continuous shortfall per
//! bound of each unit of a soft rule (−penalty as its objective). Rows: one function per
//! constraint family below and in `rules`.

mod changes;
mod entries;
mod rules;

pub use changes::{change_terms, floor_row, ChangeTerms};
pub use entries::{Entries, Iter as EntriesIter};

use crate::eligibility::{Pair, EPS};
use crate::scenario::Scenario;

/// What a column stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// x = 1 when pair `pairs[i]` is placed.
    Pair(u32),
    /// Shortfall of a soft rule's unit (rule index, team for team scope).
    Shortfall { rule: u32, team: Option<u32> },
    /// Relaxed model only: shortfall of a hard rule's unit.
    Relaxed { rule: u32, team: Option<u32> },
    /// Relaxed model only: 1 when must-fill post `post` is left unfilled.
    Unfilled { post: u32 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub kind: ColumnKind,
    pub objective: f64,
    pub upper: f64,
    pub integer: bool,
}

/// What a row stands for (for diagnosis and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    CandidateOnce(usize),
    PostOnce(usize),
    RuleMin {
        rule: usize,
        team: Option<usize>,
    },
    RuleMax {
        rule: usize,
        team: Option<usize>,
    },
    /// Relaxed model only: the total relaxation may not exceed its minimum.
    RelaxationBudget,
    /// Explanations only: pair column `usize` fixed by [`force`] (x = 1) or [`forbid`] (x = 0).
    Forced(usize),
    /// The decided placement of post `usize`: its pair column is fixed to 1 (`1 <= x <= 1`).
    Decided(usize),
    /// Re-planning, phase 2: the objective may not fall below the phase-1 optimum minus the
    /// spec's tolerance.
    ObjectiveFloor,
    /// A valid inequality found by an earlier solve of the same constraints (the diagnosis
    /// carries phase 1's cuts into phase 2, a `resolve::Base` its solve's cuts into its
    /// re-solves): every plan keeps it. `tableau`: a Gomory cut (dense, thousands of entries),
    /// which LPs take and restricted MIPs leave out, as the solve that found it did.
    Cut {
        tableau: bool,
    },
}

/// `lower <= sum(coef * x) <= upper`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub kind: RowKind,
    pub lower: f64,
    pub upper: f64,
    /// `(column, coef)` pairs, stored compactly (see [`Entries`]).
    pub entries: Entries,
}

/// A linear model to maximise: `sum(column.objective * x)`, all columns `0 <= x <= upper`.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Rows with no variables that cannot hold: the scenario is infeasible on its face.
    pub infeasible_rows: Vec<RowKind>,
    /// The constant part C of the objective (spec 1.1, "Optimality tolerance"): minus the
    /// penalties of soft rule units whose shortfall no plan can change. It is kept out of the
    /// columns, so the solver's gaps apply to the part plans can change; every plan's objective
    /// is `C + sum(column.objective * x)`. Zero or negative.
    pub constant: f64,
    /// A hint for the solver, never a change of the model: its restricted MIPs skip the MIP
    /// presolve. Set by the diagnosis (`plan::diagnose`), whose phase-1 model gives every pair
    /// column objective 0; HiGHS's presolve then spends nearly all the time (measured on an
    /// infeasible city variant: 34 s of a 36 s MIP, against 1 s without it).
    pub skip_mip_presolve: bool,
}

impl Model {
    /// Whether column j relaxes a hard rule or a must-fill post.
    pub fn is_relaxation(&self, j: usize) -> bool {
        matches!(
            self.columns[j].kind,
            ColumnKind::Relaxed { .. } | ColumnKind::Unfilled { .. }
        )
    }

    /// Adds a row; a row with no variables is checked at once instead.
    fn add_row(&mut self, kind: RowKind, lower: f64, upper: f64, entries: Vec<(u32, f64)>) {
        let mut entries = entries;
        entries.retain(|e| e.1 != 0.0);
        if entries.is_empty() {
            if lower > EPS || upper < -EPS {
                self.infeasible_rows.push(kind);
            }
            return;
        }
        // Kept for the whole solve in the compact form (national-hard: 164 M entries, 4–5
        // bytes each instead of 16); the list it came from is dropped here.
        self.rows.push(Row {
            kind,
            lower,
            upper,
            entries: Entries::from(entries),
        });
    }

    fn add_column(&mut self, kind: ColumnKind, objective: f64, upper: f64, integer: bool) -> u32 {
        self.columns.push(Column {
            kind,
            objective,
            upper,
            integer,
        });
        (self.columns.len() - 1) as u32
    }
}

/// Builds the whole model: pair columns, assignment rows, then the rule rows.
pub fn build(s: &Scenario, pairs: &[Pair]) -> Model {
    build_with(s, pairs, false)
}

/// The spec's minimal relaxation: like [`build`], but every hard rule unit gets a `Relaxed`
/// shortfall column and every must-fill post an `Unfilled` column (both with objective 0: the
/// diagnosis decides how to weigh them), so the model always has a solution.
pub fn build_relaxed(s: &Scenario, pairs: &[Pair]) -> Model {
    build_with(s, pairs, true)
}

fn build_with(s: &Scenario, pairs: &[Pair], relax: bool) -> Model {
    build_with_until(s, pairs, relax, None).expect("no deadline, so never cut short")
}

/// Like [`build`], but gives up (`None`) once `deadline` has passed, looking at the clock
/// between constraint families.
pub fn build_until(
    s: &Scenario,
    pairs: &[Pair],
    deadline: Option<crate::deadline::Deadline>,
) -> Option<Model> {
    build_with_until(s, pairs, false, deadline)
}

fn build_with_until(
    s: &Scenario,
    pairs: &[Pair],
    relax: bool,
    deadline: Option<crate::deadline::Deadline>,
) -> Option<Model> {
    let passed = || deadline.is_some_and(|d| d.passed());
    let mut m = Model::default();
    add_pair_columns(&mut m, pairs);
    if passed() {
        return None;
    }
    add_candidate_once(&mut m, s, pairs);
    if passed() {
        return None;
    }
    add_post_once(&mut m, s, pairs, relax);
    add_decided(&mut m, s, pairs);
    if passed() {
        return None;
    }
    rules::add_team_rules(&mut m, s, pairs, relax);
    if passed() {
        return None;
    }
    rules::add_placement_rules(&mut m, s, pairs, relax);
    // The families' temporary lists are free now, but held by the allocator (national-hard:
    // 0.31 GB).
    crate::memory::give_back_after(m.columns.len());
    Some(m)
}

/// One binary per eligible pair; column i is pair i.
fn add_pair_columns(m: &mut Model, pairs: &[Pair]) {
    for (i, p) in pairs.iter().enumerate() {
        m.add_column(ColumnKind::Pair(i as u32), p.fit, 1.0, true);
    }
}

/// Each candidate fills at most one post (only needed with two or more eligible posts).
fn add_candidate_once(m: &mut Model, s: &Scenario, pairs: &[Pair]) {
    let mut by_candidate: Vec<Vec<(u32, f64)>> = vec![Vec::new(); s.candidates.len()];
    for (i, p) in pairs.iter().enumerate() {
        by_candidate[p.candidate as usize].push((i as u32, 1.0));
    }
    for (c, entries) in by_candidate.into_iter().enumerate() {
        if entries.len() >= 2 {
            m.add_row(RowKind::CandidateOnce(c), f64::NEG_INFINITY, 1.0, entries);
        }
    }
}

/// Each post holds at most one candidate; a must-fill post exactly one (relaxed: exactly one
/// unless its `Unfilled` column is 1).
fn add_post_once(m: &mut Model, s: &Scenario, pairs: &[Pair], relax: bool) {
    let mut by_post: Vec<Vec<(u32, f64)>> = vec![Vec::new(); s.posts.len()];
    for (i, p) in pairs.iter().enumerate() {
        by_post[p.post as usize].push((i as u32, 1.0));
    }
    for (p, mut entries) in by_post.into_iter().enumerate() {
        let must = s.posts[p].must_fill;
        if must && relax {
            let u = m.add_column(ColumnKind::Unfilled { post: p as u32 }, 0.0, 1.0, false);
            entries.push((u, 1.0));
        }
        if must || entries.len() >= 2 {
            let lower = if must { 1.0 } else { f64::NEG_INFINITY };
            m.add_row(RowKind::PostOnce(p), lower, 1.0, entries);
        }
    }
}

/// Every decided placement is in the plan (spec 1.1, "decided and vetoed"): its pair column is
/// fixed to 1 by a one-entry row `1 <= x <= 1`, which both solve paths treat like any row. A row
/// rather than a column lower bound keeps every column at `0 <= x <= upper`, the form the fast
/// path's Lagrangian bound assumes. `pairs` must come from [`crate::eligibility::model_pairs`],
/// which holds every decided pair; a decided pair missing from it makes the model infeasible on
/// its face (recorded in `infeasible_rows`), never silently dropped. Decided placements stay in
/// the relaxed model too: they never give way in the diagnosis.
fn add_decided(m: &mut Model, s: &Scenario, pairs: &[Pair]) {
    for d in &s.decided {
        let key = (d.candidate as u32, d.post as u32);
        match pairs.binary_search_by_key(&key, |p| (p.candidate, p.post)) {
            Ok(i) => m.add_row(RowKind::Decided(d.post), 1.0, 1.0, vec![(i as u32, 1.0)]),
            Err(_) => m.add_row(RowKind::Decided(d.post), 1.0, 1.0, Vec::new()),
        }
    }
}

/// Forces pair `pair` into the plan: adds the row `x_pair = 1` (for "what if this candidate
/// held this post?").
pub fn force(m: &mut Model, pair: usize) {
    m.add_row(RowKind::Forced(pair), 1.0, 1.0, vec![(pair as u32, 1.0)]);
}

/// Keeps pair `pair` out of the plan: adds the row `x_pair = 0`.
pub fn forbid(m: &mut Model, pair: usize) {
    m.add_row(RowKind::Forced(pair), 0.0, 0.0, vec![(pair as u32, 1.0)]);
}

/// Reads a solver's column values back as (post, candidate) placements, in post order.
pub fn placements_from_values(pairs: &[Pair], values: &[f64]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = pairs
        .iter()
        .zip(values)
        .filter(|(_, &v)| v > 0.5)
        .map(|(p, _)| (p.post as usize, p.candidate as usize))
        .collect();
    out.sort_unstable();
    out
}
