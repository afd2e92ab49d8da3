//! The supply check (`postfit inspect`): who could take each post, who can take nothing and why,
//! and which hard rules or must-fill posts are impossible on their face. Pure: no model, no solver.
//!
//! Everything here is computed from the eligible pairs ([`crate::eligibility::eligible_pairs`], narrowed by decided placements) and the scenario's
//! fixed facts (incumbents, who sits on which team). Outputs follow scenario order.
//!
//! **Candidates eligible for nothing.** For each such candidate, every post is blocked by the first
//! failing eligibility condition (the spec's order 1–7, see [`eligibility`]). The candidate's
//! *reason* is the condition that blocks the most posts; ties go to the earlier condition in
//! [`REASONS`] (rank-too-high before rank-too-low, both condition 2). The example post is the first
//! post, in scenario order, blocked by that reason, and the sentence says why. When the scenario
//! has no posts, no candidate is listed (there is nothing to be eligible for).
//!
//! **Decided placements** (spec 1.1) reduce supply: a post with a decided placement has only its
//! decided candidate, and a decided candidate supplies only that post (decided pairs count even
//! when not eligible: every plan holds them). The impossibility proofs stay sound, since every
//! plan uses the decided pairs. A vetoed pair is not eligible (reason `vetoed`).
//!
//! **Impossibilities.** Each one is a proof that *no* plan keeps the rule or fills the posts: a
//! necessary condition of every plan that fails, so a reported impossibility is never a false
//! alarm (the solver can only confirm it). The checks and their arguments are documented in
//! `bounds.rs`. The same bounds applied to soft rules give the least shortfall every plan has
//! (`soft_shortfalls`); those cost penalty but never make the scenario infeasible.

mod bounds;
mod matching;
mod render;

use rayon::prelude::*;
use serde::Serialize;

pub use render::render_text;

use crate::eligibility::{eligibility, fits, model_pairs, Pair};
use crate::scenario::{RuleKind, RuleScope, Scenario};

/// Reason codes of [`crate::eligibility::Ineligible::code`], in the spec's condition order.
/// Two more follow the seven conditions: `vetoed` (condition 7) and `post-decided` (the pair is
/// eligible, but the post is decided for someone else, or the candidate is decided elsewhere).
pub const REASONS: [&str; 10] = [
    "unavailable",
    "rank-too-high",
    "rank-too-low",
    "years-at-rank",
    "promotion-requirement",
    "open-to",
    "avoid-teams",
    "fit-below-min",
    "vetoed",
    "post-decided",
];

/// The whole supply check of one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct SupplyReport {
    pub scenario: String,
    pub totals: SupplyTotals,
    /// One entry per post, in scenario order.
    pub posts: Vec<PostSupply>,
    /// Ids of the posts no candidate is eligible for (must-fill or not), in scenario order.
    pub unstaffable_posts: Vec<String>,
    /// For each reason code in condition order (all ten, zeros included): how many candidates
    /// eligible for nothing have it as their reason.
    pub idle_by_reason: Vec<ReasonCount>,
    /// Candidates eligible for no post, in scenario order.
    pub idle_candidates: Vec<IdleCandidate>,
    /// Proofs that the hard rules and must-fill posts cannot all hold: must-fill posts first (post
    /// order), then rules (rule order, then team order).
    pub impossibilities: Vec<Impossibility>,
    /// Soft rules that every plan breaks by at least `shortfall` (same checks as above).
    pub soft_shortfalls: Vec<Impossibility>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SupplyTotals {
    pub posts: usize,
    pub must_fill_posts: usize,
    pub candidates: usize,
    pub available_candidates: usize,
    pub eligible_pairs: usize,
    pub unstaffable_posts: usize,
    pub unstaffable_must_fill_posts: usize,
    pub idle_candidates: usize,
    pub impossibilities: usize,
    pub soft_shortfalls: usize,
}

/// Supply of one post.
#[derive(Debug, Clone, Serialize)]
pub struct PostSupply {
    pub post: String,
    pub title: Option<String>,
    pub team: String,
    pub rank: String,
    pub must_fill: bool,
    /// Candidates who can take the post in a plan: the eligible ones, or for a post with a
    /// decided placement only its decided candidate, eligible or not (spec 1.1, `decided`).
    pub eligible: usize,
    /// The post's decided placement, if any (left out of the JSON when there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided: Option<DecidedSupply>,
    /// For every group a share or count rule counts here (a placements rule whose scope holds the
    /// post, or a team rule whose scope holds the post's team), in group order: how many of the
    /// eligible candidates belong to it.
    pub groups: Vec<GroupSupply>,
    /// When a fit_rate rule's scope holds the post: how many eligible candidates would fit
    /// (fit >= threshold).
    pub fitting: Option<usize>,
}

/// A post's decided placement as `inspect` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DecidedSupply {
    /// The decided candidate's id.
    pub candidate: String,
    /// Whether the pair meets the spec's eligibility conditions; `false` is an exceptional
    /// appointment, kept in every plan all the same.
    pub eligible: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupSupply {
    pub group: String,
    pub eligible: usize,
}

/// A reason code and how many candidates (report level) or posts (per candidate) it covers.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReasonCount {
    pub reason: String,
    pub count: usize,
}

/// A candidate eligible for no post.
#[derive(Debug, Clone, Serialize)]
pub struct IdleCandidate {
    pub candidate: String,
    pub name: Option<String>,
    /// The reason code blocking the most posts (ties: condition order).
    pub reason: String,
    /// How many posts that reason blocks first.
    pub blocked_posts: usize,
    /// The first post (scenario order) that reason blocks.
    pub example_post: String,
    /// Why the candidate may not take the example post, e.g. `post is open only to group women`.
    pub why: String,
    /// Posts blocked by each reason (first failing condition), non-zero only, condition order.
    pub posts_by_reason: Vec<ReasonCount>,
}

/// Which necessary condition fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImpossibilityKind {
    /// A must-fill post no candidate is eligible for.
    MustFillNoCandidate,
    /// Must-fill posts with fewer distinct eligible candidates among them than posts.
    MustFillTooFewCandidates,
    /// A team-scope rule's min bound fails in every plan.
    TeamMin,
    /// A team-scope rule's max bound fails in every plan.
    TeamMax,
    /// A placements-scope rule's min bound fails in every plan.
    PlacementsMin,
    /// A placements-scope rule's max bound fails in every plan.
    PlacementsMax,
}

/// One proof that something cannot hold, with its sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Impossibility {
    pub kind: ImpossibilityKind,
    /// Index of the rule in `rules` (None for must-fill posts).
    pub rule: Option<usize>,
    /// The rule's label (its name, or `rules[N]`).
    pub name: Option<String>,
    /// The team, for a team-scope rule.
    pub team: Option<String>,
    /// The posts involved: the must-fill posts, or the posts of the team or scope.
    pub posts: Vec<String>,
    /// The least shortfall every plan has: people for rules, empty posts for must-fill posts.
    pub shortfall: f64,
    /// One sentence in the users' terms, ending with why no plan can meet it.
    pub message: String,
}

impl SupplyReport {
    /// Whether some hard rule or must-fill post is proven impossible.
    pub fn has_impossibilities(&self) -> bool {
        !self.impossibilities.is_empty()
    }
}

/// Eligible pairs indexed both ways (by index, no copies of the pairs), and the teams' fixed
/// facts.
pub(crate) struct Supply<'a> {
    pub s: &'a Scenario,
    /// Every eligible pair, by candidate then post.
    pub pairs: Vec<Pair>,
    /// Pair indices grouped by post (each group by candidate); post p's are
    /// `post_order[post_start[p]..post_start[p + 1]]`.
    post_order: Vec<u32>,
    post_start: Vec<usize>,
    /// Candidate c's pairs are `pairs[cand_start[c]..cand_start[c + 1]]`.
    cand_start: Vec<usize>,
    /// Per team: its posts, by index.
    pub team_posts: Vec<Vec<usize>>,
    /// Per team: the candidates sitting on it, by index.
    pub sitting: Vec<Vec<usize>>,
}

impl<'a> Supply<'a> {
    fn new(s: &'a Scenario, pairs: Vec<Pair>) -> Supply<'a> {
        // Counting sort by post keeps each post's pairs in candidate order.
        let mut post_start = vec![0usize; s.posts.len() + 1];
        let mut cand_start = vec![0usize; s.candidates.len() + 1];
        for p in &pairs {
            post_start[p.post as usize + 1] += 1;
            cand_start[p.candidate as usize + 1] += 1;
        }
        for i in 1..post_start.len() {
            post_start[i] += post_start[i - 1];
        }
        for i in 1..cand_start.len() {
            cand_start[i] += cand_start[i - 1];
        }
        let mut next = post_start.clone();
        let mut post_order = vec![0u32; pairs.len()];
        for (i, p) in pairs.iter().enumerate() {
            let slot = &mut next[p.post as usize];
            post_order[*slot] = i as u32;
            *slot += 1;
        }
        let mut team_posts = vec![Vec::new(); s.teams.len()];
        for (p, post) in s.posts.iter().enumerate() {
            team_posts[post.team].push(p);
        }
        let mut sitting = vec![Vec::new(); s.teams.len()];
        for (c, cand) in s.candidates.iter().enumerate() {
            if let Some(t) = cand.team {
                sitting[t].push(c);
            }
        }
        Supply {
            s,
            pairs,
            post_order,
            post_start,
            cand_start,
            team_posts,
            sitting,
        }
    }

    /// The eligible pairs of post p, by candidate.
    pub fn of_post(&self, p: usize) -> impl Iterator<Item = &Pair> + '_ {
        self.post_order[self.post_start[p]..self.post_start[p + 1]]
            .iter()
            .map(|&i| &self.pairs[i as usize])
    }

    /// How many candidates are eligible for post p.
    pub fn post_supply(&self, p: usize) -> usize {
        self.post_start[p + 1] - self.post_start[p]
    }

    /// The eligible pairs of candidate c, by post.
    pub fn of_candidate(&self, c: usize) -> &[Pair] {
        &self.pairs[self.cand_start[c]..self.cand_start[c + 1]]
    }
}

/// The supply check. Pure: computes eligibility, counts and necessary conditions only.
pub fn inspect(s: &Scenario) -> SupplyReport {
    let sup = Supply::new(s, supply_pairs(s));
    let posts = post_supply(&sup);
    let unstaffable_posts: Vec<String> = posts
        .iter()
        .filter(|p| p.eligible == 0)
        .map(|p| p.post.clone())
        .collect();
    let idle_candidates = idle_candidates(&sup);
    let idle_by_reason = REASONS
        .iter()
        .map(|&r| ReasonCount {
            reason: r.to_string(),
            count: idle_candidates.iter().filter(|c| c.reason == r).count(),
        })
        .collect();
    let (impossibilities, soft_shortfalls) = bounds::impossibilities(&sup);
    let totals = SupplyTotals {
        posts: s.posts.len(),
        must_fill_posts: s.posts.iter().filter(|p| p.must_fill).count(),
        candidates: s.candidates.len(),
        available_candidates: s.candidates.iter().filter(|c| c.available).count(),
        eligible_pairs: sup.pairs.len(),
        unstaffable_posts: unstaffable_posts.len(),
        unstaffable_must_fill_posts: posts
            .iter()
            .filter(|p| p.eligible == 0 && p.must_fill)
            .count(),
        idle_candidates: idle_candidates.len(),
        impossibilities: impossibilities.len(),
        soft_shortfalls: soft_shortfalls.len(),
    };
    SupplyReport {
        scenario: s.name.clone(),
        totals,
        posts,
        unstaffable_posts,
        idle_by_reason,
        idle_candidates,
        impossibilities,
        soft_shortfalls,
    }
}

/// The pairs any plan can use: the eligible pairs and the decided ones, less every pair a decided
/// placement rules out (another candidate in a decided post, a decided candidate elsewhere).
fn supply_pairs(s: &Scenario) -> Vec<Pair> {
    let mut pairs = model_pairs(s);
    if !s.decided.is_empty() {
        let decided_post: Vec<Option<usize>> = {
            let mut v = vec![None; s.candidates.len()];
            for d in &s.decided {
                v[d.candidate] = Some(d.post);
            }
            v
        };
        pairs.retain(|pr| {
            let (c, p) = (pr.candidate as usize, pr.post as usize);
            s.decided_for_post(p).is_none_or(|d| d == c) && decided_post[c].is_none_or(|d| d == p)
        });
    }
    pairs
}

/// For each post: the groups counted there by some share or count rule, and whether a fit_rate
/// rule covers it.
fn rule_needs(s: &Scenario) -> Vec<(Vec<bool>, bool)> {
    let mut needs = vec![(vec![false; s.groups.len()], false); s.posts.len()];
    for r in &s.rules {
        let covered: Vec<usize> = match &r.scope {
            RuleScope::Placements(ps) => ps.clone(),
            RuleScope::Teams(ts) => (0..s.posts.len())
                .filter(|&p| ts.binary_search(&s.posts[p].team).is_ok())
                .collect(),
        };
        for p in covered {
            match r.kind {
                RuleKind::Share { group } | RuleKind::Count { group } => needs[p].0[group] = true,
                RuleKind::FitRate => needs[p].1 = true,
            }
        }
    }
    needs
}

fn post_supply(sup: &Supply) -> Vec<PostSupply> {
    let s = sup.s;
    let needs = rule_needs(s);
    (0..s.posts.len())
        .into_par_iter()
        .map(|p| {
            let post = &s.posts[p];
            let (groups_needed, fit_rate) = &needs[p];
            let groups = groups_needed
                .iter()
                .enumerate()
                .filter(|(_, &needed)| needed)
                .map(|(g, _)| GroupSupply {
                    group: s.groups[g].name.clone(),
                    eligible: sup
                        .of_post(p)
                        .filter(|x| s.in_group[g][x.candidate as usize])
                        .count(),
                })
                .collect();
            PostSupply {
                post: post.id.clone(),
                title: post.title.clone(),
                team: s.teams[post.team].id.clone(),
                rank: s.ranks[post.rank].clone(),
                must_fill: post.must_fill,
                eligible: sup.post_supply(p),
                decided: s.decided_for_post(p).map(|c| DecidedSupply {
                    candidate: s.candidates[c].id.clone(),
                    eligible: eligibility(s, c, p).is_ok(),
                }),
                groups,
                fitting: fit_rate.then(|| sup.of_post(p).filter(|x| fits(&s.fit, x.fit)).count()),
            }
        })
        .collect()
}

fn reason_index(code: &str) -> usize {
    REASONS
        .iter()
        .position(|&r| r == code)
        .unwrap_or(REASONS.len())
}

fn idle_candidates(sup: &Supply) -> Vec<IdleCandidate> {
    let s = sup.s;
    if s.posts.is_empty() {
        return Vec::new();
    }
    (0..s.candidates.len())
        .into_par_iter()
        .filter(|&c| sup.of_candidate(c).is_empty())
        .map(|c| {
            let cand = &s.candidates[c];
            let mut counts = [0usize; REASONS.len()];
            // (first post, sentence) per reason.
            let mut example: [Option<(usize, String)>; REASONS.len()] = Default::default();
            for p in 0..s.posts.len() {
                // Eligible for nothing: every post fails some condition.
                let (code, why) = match eligibility(s, c, p) {
                    Err(why) => (why.code(), why.to_string()),
                    // Eligible, but a decided placement takes the post (the candidate is not
                    // decided: a decided candidate always has their own pair).
                    Ok(_) => match s.decided_for_post(p) {
                        Some(d) => (
                            "post-decided",
                            format!("post is decided for {}", s.candidates[d].id),
                        ),
                        None => continue,
                    },
                };
                let i = reason_index(code);
                if i < REASONS.len() {
                    counts[i] += 1;
                    if example[i].is_none() {
                        example[i] = Some((p, why));
                    }
                }
            }
            // Most posts; ties to the earlier condition (max_by_key keeps the last maximum, so
            // scan in reverse).
            let best = (0..REASONS.len())
                .rev()
                .max_by_key(|&i| counts[i])
                .unwrap_or(0);
            let (post, why) = example[best].clone().unwrap_or((0, String::new()));
            IdleCandidate {
                candidate: cand.id.clone(),
                name: cand.name.clone(),
                reason: REASONS[best].to_string(),
                blocked_posts: counts[best],
                example_post: s.posts[post].id.clone(),
                why,
                posts_by_reason: (0..REASONS.len())
                    .filter(|&i| counts[i] > 0)
                    .map(|i| ReasonCount {
                        reason: REASONS[i].to_string(),
                        count: counts[i],
                    })
                    .collect(),
            }
        })
        .collect()
}
