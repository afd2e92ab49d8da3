//! Who may fill which post: the spec's seven eligibility conditions, each failure named with its
//! values, and the list of all eligible pairs with their fit. Pure functions, no solver types.

mod fit;
mod pairs;

use std::fmt;

pub use fit::{experience_match, fit, fits, specialty_match, Fit, EPS};
pub use pairs::{eligible_pairs, eligible_pairs_until, model_pairs, model_pairs_until, Pair};

use crate::scenario::Scenario;

/// Why a candidate may not fill a post: the first eligibility condition that fails.
#[derive(Debug, Clone, PartialEq)]
pub enum Ineligible {
    /// Condition 1: `available` is false.
    Unavailable { note: Option<String> },
    /// Condition 2: the post is below the candidate's rank.
    RankTooHigh {
        candidate_rank: String,
        post_rank: String,
    },
    /// Condition 2: the post is more than `max_step` ranks above.
    StepTooLarge {
        step: usize,
        max_step: u32,
        candidate_rank: String,
        post_rank: String,
    },
    /// Condition 3: not enough years at the current rank for a promotion.
    YearsAtRank {
        years: f64,
        needed: f64,
        rank: String,
    },
    /// Condition 3: a promotion requirement of the post's rank is not met.
    Requirement {
        domain: String,
        years: f64,
        needed: f64,
        post_rank: String,
    },
    /// Condition 4: the post is open only to a group the candidate is not in.
    NotInGroup { group: String },
    /// Condition 5: the candidate avoids the post's team.
    AvoidsTeam { team: String },
    /// Condition 6: fit below `fit.min`.
    FitBelowMin { fit: f64, min: f64 },
    /// Condition 7: the pair is in `vetoed` (with the entry's note).
    Vetoed { note: Option<String> },
}

impl Ineligible {
    /// A short machine-friendly name of the failed condition, used to count reasons.
    pub fn code(&self) -> &'static str {
        match self {
            Ineligible::Unavailable { .. } => "unavailable",
            Ineligible::RankTooHigh { .. } => "rank-too-high",
            Ineligible::StepTooLarge { .. } => "rank-too-low",
            Ineligible::YearsAtRank { .. } => "years-at-rank",
            Ineligible::Requirement { .. } => "promotion-requirement",
            Ineligible::NotInGroup { .. } => "open-to",
            Ineligible::AvoidsTeam { .. } => "avoid-teams",
            Ineligible::FitBelowMin { .. } => "fit-below-min",
            Ineligible::Vetoed { .. } => "vetoed",
        }
    }
}

impl fmt::Display for Ineligible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ineligible::Unavailable { note: Some(n) } => write!(f, "not available ({n})"),
            Ineligible::Unavailable { note: None } => write!(f, "not available"),
            Ineligible::RankTooHigh { candidate_rank, post_rank } => write!(
                f,
                "post rank {post_rank} is below the candidate's rank {candidate_rank}"
            ),
            Ineligible::StepTooLarge { step, max_step, candidate_rank, post_rank } => write!(
                f,
                "post rank {post_rank} is {step} steps above {candidate_rank}, at most {max_step} allowed"
            ),
            Ineligible::YearsAtRank { years, needed, rank } => write!(
                f,
                "{years} years at rank {rank}, {needed} needed for promotion"
            ),
            Ineligible::Requirement { domain, years, needed, post_rank } => write!(
                f,
                "{years} years of {domain} experience, {needed} needed for promotion to {post_rank}"
            ),
            Ineligible::NotInGroup { group } => write!(f, "post is open only to group {group}"),
            Ineligible::AvoidsTeam { team } => write!(f, "candidate avoids team {team}"),
            Ineligible::FitBelowMin { fit, min } => write!(f, "fit {fit:.4} is below fit.min {min}"),
            Ineligible::Vetoed { note: Some(n) } => write!(f, "the pair is vetoed ({n})"),
            Ineligible::Vetoed { note: None } => write!(f, "the pair is vetoed"),
        }
    }
}

/// Checks the spec's eligibility conditions 1–7 in order; on success returns the fit.
pub fn eligibility(s: &Scenario, c: usize, p: usize) -> Result<Fit, Ineligible> {
    let f = eligibility_1_to_6(s, c, p)?;
    if s.is_vetoed(c, p) {
        return Err(vetoed(s, c, p));
    }
    Ok(f)
}

fn vetoed(s: &Scenario, c: usize, p: usize) -> Ineligible {
    Ineligible::Vetoed {
        note: s.veto(c, p).and_then(|v| v.note.clone()),
    }
}

/// Every eligibility condition (1–7) that candidate `c` fails for post `p`, in the spec's order;
/// empty when the pair is eligible. Used to warn about a decided placement that is not eligible
/// (spec 1.1: the warning names each failed condition). Condition 3 is only checked for a
/// promotion (post above the candidate's rank), as the spec says.
pub fn all_failures(s: &Scenario, c: usize, p: usize) -> Vec<Ineligible> {
    let cand = &s.candidates[c];
    let post = &s.posts[p];
    let mut out = Vec::new();
    if !cand.available {
        out.push(Ineligible::Unavailable {
            note: cand.note.clone(),
        });
    }
    let rank_name = |r: usize| s.ranks[r].clone();
    if post.rank < cand.rank {
        out.push(Ineligible::RankTooHigh {
            candidate_rank: rank_name(cand.rank),
            post_rank: rank_name(post.rank),
        });
    } else {
        let step = post.rank - cand.rank;
        if step > s.promotion.max_step as usize {
            out.push(Ineligible::StepTooLarge {
                step,
                max_step: s.promotion.max_step,
                candidate_rank: rank_name(cand.rank),
                post_rank: rank_name(post.rank),
            });
        }
        if step >= 1 {
            let needed = s.promotion.min_years[cand.rank];
            if cand.years_at_rank < needed {
                out.push(Ineligible::YearsAtRank {
                    years: cand.years_at_rank,
                    needed,
                    rank: rank_name(cand.rank),
                });
            }
            for &(d, needed) in &s.promotion.requirements[post.rank] {
                let years = cand.experience[d as usize];
                if years < needed {
                    out.push(Ineligible::Requirement {
                        domain: s.domains[d as usize].clone(),
                        years,
                        needed,
                        post_rank: rank_name(post.rank),
                    });
                }
            }
        }
    }
    if let Some(g) = post.open_to {
        if !s.in_group[g][c] {
            out.push(Ineligible::NotInGroup {
                group: s.groups[g].name.clone(),
            });
        }
    }
    if cand.avoid_teams.contains(&post.team) {
        out.push(Ineligible::AvoidsTeam {
            team: s.teams[post.team].id.clone(),
        });
    }
    let f = fit(&s.fit, cand, post);
    if f.total < s.fit.min - EPS {
        out.push(Ineligible::FitBelowMin {
            fit: f.total,
            min: s.fit.min,
        });
    }
    if s.is_vetoed(c, p) {
        out.push(vetoed(s, c, p));
    }
    out
}

/// Conditions 1–6 in order.
fn eligibility_1_to_6(s: &Scenario, c: usize, p: usize) -> Result<Fit, Ineligible> {
    let cand = &s.candidates[c];
    let post = &s.posts[p];
    if !cand.available {
        return Err(Ineligible::Unavailable {
            note: cand.note.clone(),
        });
    }
    let rank_name = |r: usize| s.ranks[r].clone();
    if post.rank < cand.rank {
        return Err(Ineligible::RankTooHigh {
            candidate_rank: rank_name(cand.rank),
            post_rank: rank_name(post.rank),
        });
    }
    let step = post.rank - cand.rank;
    if step > s.promotion.max_step as usize {
        return Err(Ineligible::StepTooLarge {
            step,
            max_step: s.promotion.max_step,
            candidate_rank: rank_name(cand.rank),
            post_rank: rank_name(post.rank),
        });
    }
    if step >= 1 {
        let needed = s.promotion.min_years[cand.rank];
        if cand.years_at_rank < needed {
            return Err(Ineligible::YearsAtRank {
                years: cand.years_at_rank,
                needed,
                rank: rank_name(cand.rank),
            });
        }
        for &(d, needed) in &s.promotion.requirements[post.rank] {
            let years = cand.experience[d as usize];
            if years < needed {
                return Err(Ineligible::Requirement {
                    domain: s.domains[d as usize].clone(),
                    years,
                    needed,
                    post_rank: rank_name(post.rank),
                });
            }
        }
    }
    if let Some(g) = post.open_to {
        if !s.in_group[g][c] {
            return Err(Ineligible::NotInGroup {
                group: s.groups[g].name.clone(),
            });
        }
    }
    if cand.avoid_teams.contains(&post.team) {
        return Err(Ineligible::AvoidsTeam {
            team: s.teams[post.team].id.clone(),
        });
    }
    let f = fit(&s.fit, cand, post);
    if f.total < s.fit.min - EPS {
        return Err(Ineligible::FitBelowMin {
            fit: f.total,
            min: s.fit.min,
        });
    }
    Ok(f)
}

/// Whether a placement is a promotion (post rank above the candidate's).
pub fn is_promotion(s: &Scenario, c: usize, p: usize) -> bool {
    s.posts[p].rank > s.candidates[c].rank
}
