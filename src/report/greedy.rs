//! The greedy baseline: what a plan drawn up without optimisation looks like. Highest fit
//! first, keeping eligibility, capacity (each candidate once, each post once) and decided
//! placements (placed before anything else); rules are
//! ignored, so the report can show what optimisation buys and which rules the greedy plan breaks.

use crate::eligibility::eligible_pairs;
use crate::scenario::Scenario;

/// The greedy plan as (post, candidate) index pairs, ascending by post.
///
/// Eligible pairs are taken in order of fit, descending (ties: lower post index, then lower
/// candidate index, so the plan never depends on thread count), whenever both the post and the
/// candidate are still free.
pub fn greedy_plan(s: &Scenario) -> Vec<(usize, usize)> {
    let mut pairs = eligible_pairs(s);
    pairs.sort_by(|a, b| {
        b.fit
            .total_cmp(&a.fit)
            .then(a.post.cmp(&b.post))
            .then(a.candidate.cmp(&b.candidate))
    });
    let mut post_taken = vec![false; s.posts.len()];
    let mut candidate_taken = vec![false; s.candidates.len()];
    let mut plan = Vec::new();
    // Decided placements (spec 1.1) come first: every plan keeps them, the greedy one too.
    for d in &s.decided {
        post_taken[d.post] = true;
        candidate_taken[d.candidate] = true;
        plan.push((d.post, d.candidate));
    }
    for p in pairs {
        let (post, cand) = (p.post as usize, p.candidate as usize);
        if !post_taken[post] && !candidate_taken[cand] {
            post_taken[post] = true;
            candidate_taken[cand] = true;
            plan.push((post, cand));
        }
    }
    plan.sort_unstable();
    plan
}
