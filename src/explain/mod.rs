//! Explanations: why a candidate is (or is not) placed where, and who could hold a post, at what
//! cost to the whole plan.
//!
//! The scenario is solved once (a [`crate::resolve::Base`]) for the optimum z* and its plan. For each
//! eligible pair that the optimal plan does not use, the model is solved again with the pair
//! forced in (a `Forced` row `x = 1`), exactly, and the changed plan is verified by the
//! independent checker; the pair's cost is z* minus that optimum, and its changes are the posts
//! whose holder differs. Ineligible pairs get the full checklist of the spec's seven conditions
//! (a vetoed pair says so). A decided placement is explained as decided: forcing anyone else into
//! its post, or its candidate elsewhere, has no plan (decided placements never give way).
//! Re-solves run in parallel (see `forced`), in a fixed order.

mod checklist;
mod render;
mod screen;

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::resolve::{Change, ForcedStatus, Forcing};
pub use checklist::{checklist, first_failure, fit_out, Condition, FitOut};
pub use render::{render_candidate, render_post};

use crate::eligibility::{eligibility, is_promotion, Pair};
use crate::error::{Error, InputError};
use crate::plan::Status;
use crate::resolve::{pair_index, pairs_of_candidate, pairs_of_post, Base, Fix};
use crate::scenario::Scenario;
use crate::solve::SolveOptions;

/// Everything about one candidate: each post they could or could not take, and why.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateExplanation {
    pub scenario: String,
    pub candidate: String,
    pub name: Option<String>,
    pub rank: String,
    pub years_at_rank: f64,
    pub available: bool,
    pub note: Option<String>,
    /// The team the candidate sits on now.
    pub team: Option<String>,
    /// Status of the scenario's own solve; costs are given only with a plan.
    pub status: Status,
    /// The optimum z* (the checker's objective of the optimal plan).
    pub objective: Option<f64>,
    /// Where the optimal plan places the candidate, if anywhere.
    pub placed: Option<Placed>,
    /// When the candidate's placement is decided (spec 1.1): one sentence saying so.
    pub decided: Option<String>,
    /// One entry per post (or only the post asked about), in scenario order.
    pub posts: Vec<PostOption>,
}

/// The candidate's post in the optimal plan, and why there.
#[derive(Debug, Clone, Serialize)]
pub struct Placed {
    pub post: String,
    pub fit: FitOut,
    pub promotion: bool,
    /// What keeping the candidate out of every post costs the plan.
    pub without: Option<Forcing>,
    /// The cheapest other post (by the cost of forcing the candidate there), if any.
    pub next_best: Option<String>,
    /// One sentence: why there.
    pub why: String,
}

/// One post from the candidate's side.
#[derive(Debug, Clone, Serialize)]
pub struct PostOption {
    pub post: String,
    pub title: Option<String>,
    pub team: String,
    pub rank: String,
    pub eligible: bool,
    /// The first failed condition, as `eligibility` names it (`None` when eligible).
    pub reason: Option<String>,
    /// Its code, e.g. `years-at-rank`.
    pub reason_code: Option<String>,
    /// Every condition with its values.
    pub conditions: Vec<Condition>,
    pub fit: FitOut,
    /// The optimal plan places the candidate here.
    pub placed_here: bool,
    /// Who holds the post in the optimal plan.
    pub holder: Option<String>,
    /// Eligible pairs only, when the scenario has a plan: the plan with the candidate forced here
    /// (cost 0 where the optimal plan already places them).
    pub forcing: Option<Forcing>,
}

/// Everything about one post: who holds it, who else could, at what cost.
#[derive(Debug, Clone, Serialize)]
pub struct PostExplanation {
    pub scenario: String,
    pub post: String,
    pub title: Option<String>,
    pub team: String,
    pub rank: String,
    pub kind: Option<String>,
    pub must_fill: bool,
    pub open_to: Option<String>,
    pub status: Status,
    pub objective: Option<f64>,
    /// The holder in the optimal plan.
    pub holder: Option<PostCandidate>,
    /// Every eligible candidate: by cost ascending (infeasible last), then fit descending, then
    /// id. The holder comes first, with cost 0.
    pub candidates: Vec<PostCandidate>,
    /// Ineligible candidates counted by the code of their first failed condition.
    pub ineligible: BTreeMap<String, usize>,
    /// What leaving the post empty costs (only for a filled post that is not must-fill).
    pub empty: Option<Forcing>,
    /// When the post's placement is decided (spec 1.1): one sentence saying so.
    pub decided: Option<String>,
}

/// Why no plan places candidate `c` in post `p` because of a decided placement (spec 1.1): the
/// post is decided for someone else, or the candidate is decided for another post. `None` when
/// no decision stands in the way (including when `c -> p` is itself decided). Such forcings
/// are answered without a re-solve.
fn decided_conflict(s: &Scenario, c: usize, p: usize) -> Option<String> {
    if let Some(d) = s.decided_for_post(p).filter(|&d| d != c) {
        return Some(decided_for(&s.posts[p].id, &s.candidates[d].id));
    }
    s.decided_for_candidate(c)
        .filter(|&q| q != p)
        .map(|q| decided_for(&s.candidates[c].id, &s.posts[q].id))
}

/// `agri-head is decided for C10`, `C05 is decided for agri-deputy`: why a forcing has no plan.
fn decided_for(one: &str, other: &str) -> String {
    format!("{one} is decided for {other}")
}

/// One sentence on a decided placement: decided, never a choice of the optimiser, and whether
/// the pair is eligible (with each failed condition when it is not).
fn decided_sentence(s: &Scenario, c: usize, p: usize) -> String {
    let note = s
        .decided
        .iter()
        .find(|d| d.post == p)
        .and_then(|d| d.note.as_deref())
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    let failures = crate::eligibility::all_failures(s, c, p);
    let eligible = if failures.is_empty() {
        String::new()
    } else {
        format!(
            "; the pair is not eligible, kept as an exceptional appointment: {}",
            failures
                .iter()
                .map(|f| f.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    format!(
        "{} -> {} is a decided placement{note}: every plan contains it and the optimiser plans the rest around it{eligible}",
        s.candidates[c].id, s.posts[p].id
    )
}

/// One candidate who may hold a post: eligible, or decided for it though not eligible (an
/// exceptional appointment, spec 1.1; then `eligible` is false).
#[derive(Debug, Clone, Serialize)]
pub struct PostCandidate {
    pub candidate: String,
    /// Whether the pair is eligible (false only for a decided placement kept as an exception).
    pub eligible: bool,
    pub name: Option<String>,
    pub fit: FitOut,
    pub promotion: bool,
    pub holder: bool,
    /// Where the optimal plan places this candidate now (if anywhere).
    pub placed_in: Option<String>,
    pub forcing: Option<Forcing>,
}

fn out_of_range(what: &str, i: usize, n: usize) -> Error {
    Error::Input(InputError::new(
        "explain",
        what,
        format!("no {what} number {i} (the scenario has {n})"),
    ))
}

/// Explains candidate `candidate` against every post, or only `post`. `opts.time_limit` covers
/// the base solve and every re-solve.
pub fn explain_candidate(
    s: &Scenario,
    candidate: usize,
    post: Option<usize>,
    opts: &SolveOptions,
) -> Result<CandidateExplanation, Error> {
    explain_candidate_with(s, candidate, post, opts, &|_, _| {})
}

/// [`explain_candidate`] reporting progress: `progress(done, total)` after each round of
/// re-solves (`total`: forced placements that may need one).
///
/// Over every post, only the forced placements that can change the answer (the cheapest other
/// post) are re-solved, cheapest screening bound first; the rest get their proven lower bound
/// (status `screened`). With `post`, that one pair is always re-solved.
pub fn explain_candidate_with(
    s: &Scenario,
    candidate: usize,
    post: Option<usize>,
    opts: &SolveOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<CandidateExplanation, Error> {
    if candidate >= s.candidates.len() {
        return Err(out_of_range("candidate", candidate, s.candidates.len()));
    }
    if let Some(p) = post.filter(|&p| p >= s.posts.len()) {
        return Err(out_of_range("post", p, s.posts.len()));
    }
    // Pairs and model are built once: for the optimal plan and for every forced re-solve.
    let base = Base::solve(s, opts, std::time::Instant::now())?;
    let pairs = &base.pairs;
    let has_plan = base.objective.is_some();
    let cand = &s.candidates[candidate];
    let placed_in = base.posts_of[candidate];
    let post_ids = |p: Option<usize>| p.map(|p| s.posts[p].id.clone());
    let cand_ids = |c: Option<usize>| c.map(|c| s.candidates[c].id.clone());

    let shown: Vec<usize> = match post {
        Some(p) => vec![p],
        None => (0..s.posts.len()).collect(),
    };
    // Which shown posts need a re-solve: eligible, not where the plan already places them, and
    // not ruled out by a decided placement (answered without a re-solve).
    let to_force: Vec<usize> = if has_plan {
        shown
            .iter()
            .copied()
            .filter(|&p| {
                Some(p) != placed_in
                    && pair_index(pairs, candidate, p).is_some()
                    && decided_conflict(s, candidate, p).is_none()
            })
            .collect()
    } else {
        Vec::new()
    };
    let force_pairs: Vec<usize> = to_force
        .iter()
        .map(|&p| pair_index(pairs, candidate, p).expect("eligible pair"))
        .collect();
    // A decided candidate cannot be kept out of their post: no re-solve for "without".
    let decided_post = s.decided_for_candidate(candidate);
    let total =
        force_pairs.len() + usize::from(has_plan && placed_in.is_some() && decided_post.is_none());
    let results = if post.is_some() {
        let fixes: Vec<Fix> = force_pairs
            .iter()
            .map(|&i| Fix {
                force: vec![i],
                forbid: Vec::new(),
                cutoff: None,
                fill: None,
            })
            .collect();
        base.run_all(&fixes)?
    } else {
        screen::forced_costs(&base, &force_pairs, &|n| progress(n, total))?
    };
    let without = if let (true, Some(_), Some(q)) = (has_plan, placed_in, decided_post) {
        Some(Forcing::decided_against(&decided_for(
            &cand.id,
            &s.posts[q].id,
        )))
    } else if has_plan && placed_in.is_some() {
        let w = base.forbidden(&pairs_of_candidate(pairs, candidate))?;
        progress(total, total);
        Some(w)
    } else {
        None
    };
    let forced: BTreeMap<usize, Forcing> = to_force.into_iter().zip(results).collect();

    let posts = shown
        .iter()
        .map(|&p| {
            let pst = &s.posts[p];
            let elig = eligibility(s, candidate, p);
            let forcing = match (&base.objective, &elig) {
                (Some(z), Ok(_)) if placed_in == Some(p) => Some(Forcing::none(*z)),
                (Some(_), Ok(_)) => match decided_conflict(s, candidate, p) {
                    Some(why) => Some(Forcing::decided_against(&why)),
                    None => forced.get(&p).cloned(),
                },
                _ => None,
            };
            PostOption {
                post: pst.id.clone(),
                title: pst.title.clone(),
                team: s.teams[pst.team].id.clone(),
                rank: s.ranks[pst.rank].clone(),
                eligible: elig.is_ok(),
                reason: elig.as_ref().err().map(|e| e.to_string()),
                reason_code: elig.as_ref().err().map(|e| e.code().to_string()),
                conditions: checklist(s, candidate, p),
                fit: fit_out(s, candidate, p),
                placed_here: placed_in == Some(p),
                holder: cand_ids(base.holders[p]),
                forcing,
            }
        })
        .collect();

    // "Why there": the cheapest alternative, known when every post was re-solved.
    let placed = placed_in.map(|p| {
        let next = forced
            .iter()
            .filter(|(_, f)| f.status == ForcedStatus::Optimal)
            .filter_map(|(&q, f)| f.cost.map(|c| (q, c)))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let next = if post.is_none() { Some(next) } else { None };
        let fit = fit_out(s, candidate, p);
        let why = if s.is_decided(candidate, p) {
            decided_sentence(s, candidate, p)
        } else {
            why_there(s, candidate, p, &fit, next, without.as_ref())
        };
        Placed {
            post: s.posts[p].id.clone(),
            fit,
            promotion: is_promotion(s, candidate, p),
            without: without.clone(),
            next_best: post_ids(next.flatten().map(|n| n.0)),
            why,
        }
    });
    Ok(CandidateExplanation {
        scenario: s.name.clone(),
        candidate: cand.id.clone(),
        name: cand.name.clone(),
        rank: s.ranks[cand.rank].clone(),
        years_at_rank: cand.years_at_rank,
        available: cand.available,
        note: cand.note.clone(),
        team: cand.team.map(|t| s.teams[t].id.clone()),
        status: base.status,
        objective: base.objective,
        placed,
        decided: s
            .decided_for_candidate(candidate)
            .map(|p| decided_sentence(s, candidate, p)),
        posts,
    })
}

/// One sentence on why the optimal plan places candidate `c` in post `p`; `next` is the cheapest
/// other post with its cost (`None` when the other posts were not re-solved).
fn why_there(
    s: &Scenario,
    c: usize,
    p: usize,
    fit: &FitOut,
    next: Option<Option<(usize, f64)>>,
    without: Option<&Forcing>,
) -> String {
    let mut why = format!(
        "the optimal plan places {} in {} (fit {:.3}{})",
        s.candidates[c].id,
        s.posts[p].id,
        fit.fit,
        if fit.fits { ", fits" } else { "" }
    );
    match next {
        Some(Some((q, cost))) => why.push_str(&format!(
            "; the best other post, {}, would cost the plan {cost:.4}",
            s.posts[q].id
        )),
        Some(None) => why.push_str(
            "; no other post can take them (none is eligible, or each breaks a hard rule)",
        ),
        None => {}
    }
    if let Some(w) = without {
        match w.cost {
            Some(cost) => why.push_str(&format!("; leaving them out would cost {cost:.4}")),
            None => why.push_str("; the plan cannot do without them"),
        }
    }
    why
}

/// Explains post `post`: its holder, every eligible candidate with the cost of forcing them in,
/// the ineligible ones by reason, and the cost of leaving it empty.
pub fn explain_post(
    s: &Scenario,
    post: usize,
    opts: &SolveOptions,
) -> Result<PostExplanation, Error> {
    if post >= s.posts.len() {
        return Err(out_of_range("post", post, s.posts.len()));
    }
    // Pairs and model are built once: for the optimal plan and for every forced re-solve.
    let base = Base::solve(s, opts, std::time::Instant::now())?;
    let pairs = &base.pairs;
    let holder = base.holders[post];
    let post_pairs = pairs_of_post(pairs, post);
    let eligible: Vec<&Pair> = post_pairs.iter().map(|&i| &pairs[i]).collect();

    // Candidates a decided placement rules out are answered without a re-solve.
    let conflict = |i: usize| decided_conflict(s, pairs[i].candidate as usize, post);
    let mut fixes: Vec<Fix> = post_pairs
        .iter()
        .filter(|&&i| Some(pairs[i].candidate as usize) != holder && conflict(i).is_none())
        .map(|&i| Fix {
            force: vec![i],
            forbid: Vec::new(),
            cutoff: None,
            fill: None,
        })
        .collect();
    let pst = &s.posts[post];
    let has_plan = base.objective.is_some();
    let decided = s.decided_for_post(post);
    let with_empty = has_plan && holder.is_some() && !pst.must_fill && decided.is_none();
    if with_empty {
        fixes.push(Fix {
            force: Vec::new(),
            forbid: post_pairs.clone(),
            cutoff: None,
            fill: None,
        });
    }
    let mut results = if has_plan {
        base.run_all(&fixes)?.into_iter()
    } else {
        Vec::new().into_iter()
    };
    let mut candidates: Vec<PostCandidate> = eligible
        .iter()
        .map(|pair| {
            let c = pair.candidate as usize;
            let is_holder = holder == Some(c);
            let forcing = match base.objective {
                Some(z) if is_holder => Some(Forcing::none(z)),
                Some(_) => match decided_conflict(s, c, post) {
                    Some(why) => Some(Forcing::decided_against(&why)),
                    None => results.next(),
                },
                None => None,
            };
            PostCandidate {
                candidate: s.candidates[c].id.clone(),
                eligible: eligibility(s, c, post).is_ok(),
                name: s.candidates[c].name.clone(),
                fit: fit_out(s, c, post),
                promotion: is_promotion(s, c, post),
                holder: is_holder,
                placed_in: base.posts_of[c].map(|q| s.posts[q].id.clone()),
                forcing,
            }
        })
        .collect();
    let empty = match decided {
        Some(d) if has_plan && !pst.must_fill => Some(Forcing::decided_against(&decided_for(
            &pst.id,
            &s.candidates[d].id,
        ))),
        _ if with_empty => results.next(),
        _ => None,
    };
    candidates.sort_by(|a, b| {
        sort_key(a)
            .cmp(&sort_key(b))
            .then(b.fit.fit.total_cmp(&a.fit.fit))
            .then(a.candidate.cmp(&b.candidate))
    });

    let mut ineligible: BTreeMap<String, usize> = BTreeMap::new();
    for c in 0..s.candidates.len() {
        if let Err(e) = eligibility(s, c, post) {
            *ineligible.entry(e.code().to_string()).or_default() += 1;
        }
    }
    Ok(PostExplanation {
        scenario: s.name.clone(),
        post: pst.id.clone(),
        title: pst.title.clone(),
        team: s.teams[pst.team].id.clone(),
        rank: s.ranks[pst.rank].clone(),
        kind: pst.kind.clone(),
        must_fill: pst.must_fill,
        open_to: pst.open_to.map(|g| s.groups[g].name.clone()),
        status: base.status,
        objective: base.objective,
        holder: candidates.iter().find(|c| c.holder).cloned(),
        candidates,
        ineligible,
        empty,
        decided: s
            .decided_for_post(post)
            .map(|c| decided_sentence(s, c, post)),
    })
}

/// Cost order: the holder first, then costs on a 1e-9 grid (so that equal costs computed in
/// different orders tie and fit decides), then re-solves without a cost, then no re-solve.
fn sort_key(c: &PostCandidate) -> (u8, i64) {
    if c.holder {
        return (0, 0);
    }
    match c.forcing.as_ref().map(|f| f.cost) {
        Some(Some(cost)) => (1, (cost * 1e9).round() as i64),
        Some(None) => (2, 0),
        None => (3, 0),
    }
}
