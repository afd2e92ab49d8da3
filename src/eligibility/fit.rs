//! Person–post fit exactly as the spec defines it: cosine specialty match and capped experience
//! ratios, combined by the scenario's weights. Pure f64 arithmetic, no rounding.

use crate::scenario::{Candidate, FitParams, Post, Specialty};

/// Fit of one candidate for one post, with its parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// Specialty match S in [0, 1].
    pub specialty: f64,
    /// Experience match E in [0, 1].
    pub experience: f64,
    /// `(ws*S + we*E) / (ws + we)`.
    pub total: f64,
}

/// Tolerance for comparing fit with `threshold` and `min`, and for rule shortfalls.
pub const EPS: f64 = 1e-9;

/// Cosine similarity with the spec's conventions for empty or all-zero maps.
pub fn specialty_match(c: &Specialty, p: &Specialty) -> f64 {
    if p.entries.is_empty() {
        return 1.0;
    }
    if c.entries.is_empty() {
        return 0.0;
    }
    // Both are sorted by tag id: merge.
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < c.entries.len() && j < p.entries.len() {
        let (ti, wi) = c.entries[i];
        let (tj, wj) = p.entries[j];
        if ti == tj {
            dot += wi * wj;
            i += 1;
            j += 1;
        } else if ti < tj {
            i += 1;
        } else {
            j += 1;
        }
    }
    dot / (c.norm * p.norm)
}

/// Mean over the post's domains of min(1, candidate years / required years).
pub fn experience_match(candidate_years: &[f64], post: &[(u32, f64)]) -> f64 {
    if post.is_empty() {
        return 1.0;
    }
    let sum: f64 = post
        .iter()
        .map(|&(d, need)| (candidate_years[d as usize] / need).min(1.0))
        .sum();
    sum / post.len() as f64
}

/// The fit of candidate `c` for post `p`.
pub fn fit(params: &FitParams, c: &Candidate, p: &Post) -> Fit {
    let s = specialty_match(&c.specialty, &p.specialty);
    let e = experience_match(&c.experience, &p.experience);
    let (ws, we) = (params.specialty_weight, params.experience_weight);
    Fit {
        specialty: s,
        experience: e,
        total: (ws * s + we * e) / (ws + we),
    }
}

/// Whether a placement with this fit counts as fitting (fit >= threshold, with tolerance).
pub fn fits(params: &FitParams, fit: f64) -> bool {
    fit >= params.threshold - EPS
}
