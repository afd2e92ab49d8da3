//! Changes against a baseline plan as a linear function of the pair columns (spec 1.1,
//! "Re-planning against a baseline"), and the objective floor row of the two-phase re-plan.
//!
//! Let `b(p)` be the baseline holder of post p (`None` when p is empty in the baseline, or when
//! the baseline's placement names a candidate no longer in the scenario: such placements are
//! ignored). With binaries `x[c,p]` (a post holds at most one candidate), the new plan's holder
//! of p differs from `b(p)` exactly when:
//!
//! - `b(p) = Some(b)`: p is not held by b, i.e. `1 − x[b,p]` (x[b,p] = 0 when (b, p) has no
//!   column: b withdrew, or is no longer eligible). If x[b,p] = 1 the holder is b, no change;
//!   if x[b,p] = 0 the post is empty or held by another candidate, a change either way.
//! - `b(p) = None`: p is filled at all, i.e. `Σ_c x[c,p]` (0 or 1 by the post-once row).
//!
//! Summing over the posts, `changes = K + Σ_j a_j x_j` with `K` = the number of posts filled in
//! the baseline, `a_j = −1` for the column of a baseline pair (b(p), p), `a_j = +1` for every
//! column into a post that is empty in the baseline, and `a_j = 0` otherwise (shortfall columns
//! included). Every term is 0 or 1 per post, so this is exactly the spec's count for every plan
//! that respects post-once; nothing else is needed in the model. Maximising
//! `objective − W × changes` is maximising `Σ_j (c_j − W a_j) x_j` and subtracting `W K`.

use super::{ColumnKind, Model, Row, RowKind};
use crate::eligibility::Pair;

/// `changes = constant + Σ (column, coefficient)` over the model's pair columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeTerms {
    /// K: the number of posts filled in the baseline (baseline placements that name a post or a
    /// candidate no longer in the scenario already removed).
    pub constant: f64,
    /// (pair column, a_j) for every a_j ≠ 0, in column order.
    pub terms: Vec<(u32, f64)>,
}

impl ChangeTerms {
    /// The number of changes of a plan given as column values (rounded to a whole number).
    pub fn count(&self, values: &[f64]) -> f64 {
        let v: f64 = self
            .terms
            .iter()
            .map(|&(j, a)| a * values[j as usize])
            .sum();
        (self.constant + v).round()
    }
}

/// The changes of any plan against a baseline, as linear terms over the pair columns.
/// `holders[p]` is the baseline holder of post p; `pairs` are the model's pairs (column i is
/// pair i).
pub fn change_terms(holders: &[Option<usize>], pairs: &[Pair]) -> ChangeTerms {
    let constant = holders.iter().filter(|h| h.is_some()).count() as f64;
    let terms = pairs
        .iter()
        .enumerate()
        .filter_map(|(i, pr)| match holders[pr.post as usize] {
            Some(b) if b == pr.candidate as usize => Some((i as u32, -1.0)),
            Some(_) => None,
            None => Some((i as u32, 1.0)),
        })
        .collect();
    ChangeTerms { constant, terms }
}

/// The row `Σ_j c_j x_j >= floor` over the model's own objective (pair fits and shortfall
/// penalties): phase 2 of the fewest-changes re-plan keeps the objective within the spec's
/// optimality tolerance of the phase-1 optimum while it minimises the changes.
pub fn floor_row(m: &Model, floor: f64) -> Row {
    Row {
        kind: RowKind::ObjectiveFloor,
        lower: floor,
        upper: f64::INFINITY,
        entries: m
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.objective != 0.0 && !matches!(c.kind, ColumnKind::Unfilled { .. }))
            .map(|(j, c)| (j as u32, c.objective))
            .collect(),
    }
}
