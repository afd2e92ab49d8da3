//! The independent plan checker: verifies any plan (the solver's or one written by hand) straight
//! from the spec's definitions.
//!
//! It never imports the model, the solver or good_lp: team compositions are recomputed person by
//! person (where does each candidate end up?), rules and the objective from those compositions.
//! `solve` runs it on every plan before writing it.

mod figures;
mod rules;

use std::collections::BTreeMap;

pub use figures::{
    compositions, final_teams, fit_histogram, fit_rate_target, holders, kind_slices, moves,
    rates_of, slice_rates, Composition, Moves, Slice, SliceRate, FIT_BINS,
};
pub use rules::{evaluate_rules, Bound, RuleUnit};

use crate::eligibility::{
    all_failures, eligibility, fit, fits, is_promotion, Fit, Ineligible, EPS,
};
use crate::scenario::Scenario;

/// One placement as the checker saw it.
#[derive(Debug, Clone)]
pub struct CheckedPlacement {
    pub post: usize,
    pub candidate: usize,
    pub fit: Fit,
    pub fits: bool,
    pub promotion: bool,
    /// `Err` names the first failed eligibility condition.
    pub eligible: Result<(), Ineligible>,
}

/// Something the plan breaks. Any violation makes `check` exit 1.
#[derive(Debug, Clone, PartialEq)]
pub enum Violation {
    Ineligible {
        post: usize,
        candidate: usize,
        reason: Ineligible,
    },
    CandidateTwice {
        candidate: usize,
        posts: Vec<usize>,
    },
    PostTwice {
        post: usize,
        candidates: Vec<usize>,
    },
    MustFillUnfilled {
        post: usize,
    },
    /// A hard rule unit breaks one of its bounds by `shortfall` people.
    HardRule {
        unit: RuleUnit,
        bound: Bound,
        shortfall: f64,
    },
    /// A decided placement (spec 1.1) is not in the plan.
    DecidedMissing {
        post: usize,
        candidate: usize,
    },
}

/// Something worth saying that is not a break: `check` still exits 0.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// A decided placement whose pair is not eligible (an exceptional appointment), with every
    /// eligibility condition it fails, in the spec's order.
    DecidedIneligible {
        post: usize,
        candidate: usize,
        reasons: Vec<Ineligible>,
    },
}

/// The warnings every plan of `s` carries whatever its other placements: one for each decided
/// placement (spec 1.1) whose pair is not eligible, in the scenario's `decided` order. Used
/// where there is no plan to check (an infeasible solve still warns: the exceptional
/// appointment may be what makes the hard rules fail).
pub fn decided_warnings(s: &Scenario) -> Vec<Warning> {
    s.decided
        .iter()
        .filter(|d| eligibility(s, d.candidate, d.post).is_err())
        .map(|d| Warning::DecidedIneligible {
            post: d.post,
            candidate: d.candidate,
            reasons: all_failures(s, d.candidate, d.post),
        })
        .collect()
}

impl Warning {
    /// One sentence in the users' terms, naming each failed condition.
    pub fn message(&self, s: &Scenario) -> String {
        match self {
            Warning::DecidedIneligible {
                post,
                candidate,
                reasons,
            } => format!(
                "decided placement {} -> {} is not eligible (kept as decided): {}",
                s.candidates[*candidate].id,
                s.posts[*post].id,
                reasons
                    .iter()
                    .map(|r| format!("{} ({r})", r.code()))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }
    }
}

impl Violation {
    /// One sentence in the users' terms.
    pub fn message(&self, s: &Scenario) -> String {
        let cid = |c: usize| s.candidates[c].id.as_str();
        let pid = |p: usize| s.posts[p].id.as_str();
        match self {
            Violation::Ineligible {
                post,
                candidate,
                reason,
            } => {
                format!("{} -> {}: {}", cid(*candidate), pid(*post), reason)
            }
            Violation::CandidateTwice { candidate, posts } => format!(
                "{} is placed in {} posts: {}",
                cid(*candidate),
                posts.len(),
                posts.iter().map(|&p| pid(p)).collect::<Vec<_>>().join(", ")
            ),
            Violation::PostTwice { post, candidates } => format!(
                "post {} holds {} candidates: {}",
                pid(*post),
                candidates.len(),
                candidates
                    .iter()
                    .map(|&c| cid(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Violation::MustFillUnfilled { post } => {
                format!("must-fill post {} is not filled", pid(*post))
            }
            Violation::HardRule { unit, bound, .. } => {
                format!("hard {}", unit.shortfall_sentence(s, *bound))
            }
            Violation::DecidedMissing { post, candidate } => format!(
                "decided placement {} -> {} is not in the plan",
                cid(*candidate),
                pid(*post)
            ),
        }
    }
}

/// Fit rate of the placements into posts of one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct FitRate {
    /// The posts' `kind`, or `None` for posts without one.
    pub kind: Option<String>,
    pub placements: usize,
    pub fitting: usize,
    /// fitting / placements (1.0 when there are no placements).
    pub rate: f64,
}

/// Everything the checker found.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub placements: Vec<CheckedPlacement>,
    pub violations: Vec<Violation>,
    /// Not breaks: decided placements that are not eligible.
    pub warnings: Vec<Warning>,
    pub rules: Vec<RuleUnit>,
    pub fit_rates: Vec<FitRate>,
    pub unfilled: Vec<usize>,
    /// Sum of fit over placements.
    pub fit_total: f64,
    /// Sum of penalty × shortfall over soft rules.
    pub penalty_total: f64,
    /// fit_total − penalty_total: the spec's objective.
    pub objective: f64,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Check a plan given as (post, candidate) index pairs, in any order.
pub fn check_plan(s: &Scenario, plan: &[(usize, usize)]) -> CheckReport {
    let mut violations = Vec::new();

    // Capacity: each candidate at most once, each post at most once.
    let mut by_candidate: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut by_post: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &(p, c) in plan {
        by_candidate.entry(c).or_default().push(p);
        by_post.entry(p).or_default().push(c);
    }
    for (&c, posts) in &by_candidate {
        if posts.len() > 1 {
            violations.push(Violation::CandidateTwice {
                candidate: c,
                posts: posts.clone(),
            });
        }
    }
    for (&p, cands) in &by_post {
        if cands.len() > 1 {
            violations.push(Violation::PostTwice {
                post: p,
                candidates: cands.clone(),
            });
        }
    }

    // Eligibility and fit of each placement, in post order.
    let mut sorted: Vec<(usize, usize)> = plan.to_vec();
    sorted.sort_unstable();
    let placements: Vec<CheckedPlacement> = sorted
        .iter()
        .map(|&(p, c)| {
            let f = fit(&s.fit, &s.candidates[c], &s.posts[p]);
            let eligible = eligibility(s, c, p).map(|_| ());
            CheckedPlacement {
                post: p,
                candidate: c,
                fit: f,
                fits: fits(&s.fit, f.total),
                promotion: is_promotion(s, c, p),
                eligible,
            }
        })
        .collect();
    let mut warnings = Vec::new();
    for pl in &placements {
        if let Err(reason) = &pl.eligible {
            if s.is_decided(pl.candidate, pl.post) {
                // Spec 1.1: an ineligible decided placement is kept, with a warning.
                warnings.push(Warning::DecidedIneligible {
                    post: pl.post,
                    candidate: pl.candidate,
                    reasons: all_failures(s, pl.candidate, pl.post),
                });
            } else {
                violations.push(Violation::Ineligible {
                    post: pl.post,
                    candidate: pl.candidate,
                    reason: reason.clone(),
                });
            }
        }
    }
    // Every decided placement is in the plan.
    for d in &s.decided {
        if !sorted.contains(&(d.post, d.candidate)) {
            violations.push(Violation::DecidedMissing {
                post: d.post,
                candidate: d.candidate,
            });
        }
    }

    // Must-fill posts.
    let unfilled: Vec<usize> = (0..s.posts.len())
        .filter(|p| !by_post.contains_key(p))
        .collect();
    for &p in &unfilled {
        if s.posts[p].must_fill {
            violations.push(Violation::MustFillUnfilled { post: p });
        }
    }

    // Rules, from compositions recomputed person by person.
    let rules = evaluate_rules(s, &placements);
    let mut penalty_total = 0.0;
    for u in &rules {
        let r = &s.rules[u.rule];
        match r.penalty {
            Some(w) => penalty_total += w * u.shortfall(),
            None => {
                for b in [Bound::Min, Bound::Max] {
                    let sf = u.shortfall_of(b);
                    if sf > EPS {
                        violations.push(Violation::HardRule {
                            unit: u.clone(),
                            bound: b,
                            shortfall: sf,
                        });
                    }
                }
            }
        }
    }

    // fold from +0.0: an empty f64 sum is -0.0, which would print as "objective": -0.0.
    let fit_total: f64 = placements
        .iter()
        .map(|p| p.fit.total)
        .fold(0.0, |a, f| a + f);
    CheckReport {
        fit_rates: fit_rates(s, &placements),
        placements,
        violations,
        warnings,
        rules,
        unfilled,
        fit_total,
        penalty_total,
        objective: fit_total - penalty_total,
    }
}

/// Fit rates by post kind: the kind slices of [`figures::rates_of`] (the report's own
/// computation), with a rate of 1.0 where a kind has no placements.
fn fit_rates(s: &Scenario, placements: &[CheckedPlacement]) -> Vec<FitRate> {
    figures::rates_of(s, placements, figures::kind_slices(s))
        .into_iter()
        .map(|r| FitRate {
            kind: match r.slice {
                Slice::Kind(k) => k,
                _ => None,
            },
            placements: r.placements,
            fitting: r.fitting,
            rate: r.rate.unwrap_or(1.0),
        })
        .collect()
}

/// Formats a number for people: 1, 1.5, 0.333333; scientific where six decimals would hide it
/// (5e-8) or an integer could not hold it (1e300).
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() || x.abs() >= 1e15 || (x != 0.0 && x.abs() < 1e-6) {
        return format!("{x:e}");
    }
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
