//! All eligible (candidate, post) pairs with their fit, computed in parallel and returned in a
//! fixed order (by candidate, then post) whatever the thread count.

use rayon::prelude::*;

use super::{eligibility, fit};
use crate::deadline::Deadline;
use crate::scenario::Scenario;

/// One eligible pair: 16 bytes, since there can be tens of millions. The fit's parts are
/// recomputed (by the checker) only for the pairs a plan uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub candidate: u32,
    pub post: u32,
    /// The total fit.
    pub fit: f64,
}

/// Every eligible pair, ordered by candidate index then post index.
pub fn eligible_pairs(s: &Scenario) -> Vec<Pair> {
    eligible_pairs_until(s, None).expect("no deadline, so never cut short")
}

/// Like [`eligible_pairs`], but gives up (`None`) once `deadline` has passed; it looks at the
/// clock once per candidate, so it stops within one candidate's work.
pub fn eligible_pairs_until(s: &Scenario, deadline: Option<Deadline>) -> Option<Vec<Pair>> {
    let out_of_time = std::sync::atomic::AtomicBool::new(false);
    let per_candidate: Vec<Vec<Pair>> = (0..s.candidates.len())
        .into_par_iter()
        .map(|c| {
            if !s.candidates[c].available || out_of_time.load(std::sync::atomic::Ordering::Relaxed)
            {
                return Vec::new();
            }
            if deadline.is_some_and(|d| d.passed()) {
                out_of_time.store(true, std::sync::atomic::Ordering::Relaxed);
                return Vec::new();
            }
            let cand = &s.candidates[c];
            let max_step = s.promotion.max_step as usize;
            (0..s.posts.len())
                // Cheap rank test first: most pairs fail it, and `eligibility` allocates its
                // reasons.
                .filter(|&p| {
                    let r = s.posts[p].rank;
                    r >= cand.rank && r - cand.rank <= max_step
                })
                .filter_map(|p| {
                    eligibility(s, c, p).ok().map(|fit| Pair {
                        candidate: c as u32,
                        post: p as u32,
                        fit: fit.total,
                    })
                })
                .collect()
        })
        .collect();
    if out_of_time.into_inner() {
        return None;
    }
    let pairs: Vec<Pair> = per_candidate.into_iter().flatten().collect();
    // The per-candidate lists are free now, but held by the allocator (national-hard: 0.46 GB).
    crate::memory::give_back_after(pairs.len());
    Some(pairs)
}

/// The pairs a plan may use: every eligible pair plus every decided pair that is not eligible
/// (spec 1.1: a decided placement is kept even when the pair is not eligible), ordered by
/// candidate index then post index. The model gets one column per pair of this list.
pub fn model_pairs(s: &Scenario) -> Vec<Pair> {
    model_pairs_until(s, None).expect("no deadline, so never cut short")
}

/// Like [`model_pairs`], but gives up (`None`) once `deadline` has passed (see
/// [`eligible_pairs_until`]).
pub fn model_pairs_until(s: &Scenario, deadline: Option<Deadline>) -> Option<Vec<Pair>> {
    let mut pairs = eligible_pairs_until(s, deadline)?;
    let mut extra: Vec<Pair> = s
        .decided
        .iter()
        .filter(|d| eligibility(s, d.candidate, d.post).is_err())
        .map(|d| Pair {
            candidate: d.candidate as u32,
            post: d.post as u32,
            fit: fit(&s.fit, &s.candidates[d.candidate], &s.posts[d.post]).total,
        })
        .collect();
    if extra.is_empty() {
        return Some(pairs);
    }
    pairs.append(&mut extra);
    pairs.sort_unstable_by_key(|p| (p.candidate, p.post));
    Some(pairs)
}
