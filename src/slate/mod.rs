//! Candidate slates (spec "Slates", issue 8): for each post, the K eligible candidates whose
//! forcing costs the whole plan least, each loss exact, found with one re-solve per entry.
//!
//! **Best of the rest.** For post p with holder h in the base plan (first entry, loss 0, as the
//! spec requires), one re-solve fills p with any candidate except h ([`Base::best_filled`]):
//! its optimum z1 is the largest forced optimum over all other candidates, and the candidate
//! c1 its plan puts in p attains it (the plan places c1 there, and every plan placing c1 there
//! is a plan of the re-solve), so c1's loss `z* − z1` is exact and nobody else loses less.
//! The next re-solve keeps c1 out too, and so on. Once K − 1 entries are known, the next
//! re-solve carries the (K−1)-th loss as its cutoff ([`crate::resolve::Fix::cutoff`]):
//! - it proves every candidate left loses more (`screened`), or finds the best of them
//!   strictly worse: the slate is complete, and those candidates are counted as `screened`
//!   (proven outside the top by that re-solve's bound, without a re-solve of their own);
//! - it finds one with the same loss (on a 1e-9 grid): a tie, listed, and the search goes on,
//!   so ties are broken by fit and id over every tied candidate;
//! - it is infeasible: no candidate left can be placed under the hard rules (`infeasible`).
//!
//! Each fill also passes the previous one's proven bound on ([`Base::best_filled`]'s
//! `at_most`): keeping one more candidate out cannot raise the optimum, so when the
//! re-solve's heuristic reaches that bound (a tie) no proof MIP is needed.
//!
//! **Ties by exchange** (session 23). Before each fill after the first, the candidates of p
//! left open are tried in the last fill's plan in place of the one it put in p (the two
//! exchange places, [`Base::fill_by_exchange`]); a plan the checker accepts at that fill's
//! proven bound and worth exactly as much as the last fill's plan is the next fill's optimum,
//! without a re-solve. Alike candidates tie this way: province-hard's post J02-D15-1 took two
//! re-solves instead of four (its tied entry by exchange), the same entries; the city's every
//! post 861 instead of 890, the same entries on all 293 posts.
//!
//! So a slate of K costs about K re-solves whatever the number of eligible candidates. It
//! replaced (session 9) re-solving candidates one by one, cheapest screening bound
//! `z* − (L + min(d_j, 0))` first, until the (K−1)-th exact loss was below every bound left:
//! measured on this machine, the city's every post went from 10.9 s to 7.0 s (1,295 re-solves
//! to 890), 50 province posts from 99 s to 64.5 s, 10 hard-city posts from 9.7 s to 6.0 s, and
//! the hard province's post J02-D15-1 from 14–21 min to 9 min (7 forced re-solves, each a proof
//! MIP of its own, to 4). The screening bound still serves `explain` and is what a re-solve's
//! LP starts from.
//!
//! Re-solves that stop at the time limit make the slate incomplete; the entries found before
//! are exact and are the best ones (each was the best of those left). Re-solves of one post run
//! in order; posts run in parallel and are collected in order, and each re-solve runs
//! HiGHS with fixed thread counts (`solve::MIP_THREADS`, not `--threads`), so the output
//! never depends on the thread count.

mod render;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

pub use render::{render_markdown, render_table};

use crate::eligibility::is_promotion;
use crate::error::Error;
use crate::explain::fit_out;
use crate::plan::Status;
use crate::resolve::{Base, Change, ForcedStatus, Forcing};
use crate::scenario::{RuleKind, Scenario};
use crate::solve::SolveOptions;

/// What to compute.
#[derive(Debug, Clone)]
pub struct SlateOptions {
    /// Entries per slate, at least 1.
    pub k: usize,
    /// Post indices to make slates for (`None`: every post). Slates come in scenario order.
    pub posts: Option<Vec<usize>>,
    /// Solver options; `time_limit` (seconds) covers the base solve and every re-solve.
    pub solve: SolveOptions,
}

/// The slates of a scenario (the spec's slate document, with more fields per entry).
#[derive(Debug, Clone, Serialize)]
pub struct SlateDocument {
    pub scenario: String,
    /// Status of the base solve; slates exist only when it is `optimal`.
    pub status: Status,
    /// The base optimum z* (the checker's objective of the optimal plan).
    pub objective: Option<f64>,
    pub k: usize,
    /// Every slate is complete.
    pub complete: bool,
    /// One per post asked for, in scenario order; posts with a decided placement have none.
    pub slates: Vec<Slate>,
    /// Posts asked for that have a decided placement (spec 1.1: no slate), in scenario order,
    /// so they are named instead of silently missing. Absent from JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decided: Vec<DecidedPost>,
}

/// A post asked for that gets no slate because its placement is decided.
#[derive(Debug, Clone, Serialize)]
pub struct DecidedPost {
    pub post: String,
    pub candidate: String,
    pub name: Option<String>,
}

/// The best K candidates for one post.
#[derive(Debug, Clone, Serialize)]
pub struct Slate {
    pub post: String,
    pub title: Option<String>,
    pub team: String,
    pub rank: String,
    /// Holder in the base plan.
    pub holder: Option<String>,
    /// Eligible candidates for the post (the spec's conditions 1–7).
    pub eligible: usize,
    /// Of those, candidates decided for another post (spec 1.1 `decided`): no plan places them
    /// here, so they are neither re-solved nor listed.
    pub decided_elsewhere: usize,
    /// Re-solves run for this slate.
    pub solves: usize,
    /// Candidates settled exactly by a re-solve (or, for a tie of the entry before, by
    /// exchanging the two in that entry's plan): their forced optimum found, or their forcing
    /// proven infeasible (the holder needs none).
    pub re_solved: usize,
    /// Candidates proven outside the top K without a re-solve of their own: by the bound of
    /// the last re-solve, which proved every candidate left loses more than the K-th entry.
    pub screened: usize,
    /// Candidates whose forcing breaks a hard rule (never listed; part of `re_solved`).
    pub infeasible: usize,
    /// Whether the entries are proven to be the top K; `false` when the time limit stopped
    /// re-solves first. Listed losses are exact either way.
    pub complete: bool,
    /// Best first: the holder, then by loss ascending, fit descending, id ascending.
    pub entries: Vec<Entry>,
}

/// One candidate on a slate.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub candidate: String,
    pub name: Option<String>,
    /// Fit (spec "Fit") with its parts.
    pub fit: f64,
    pub specialty: f64,
    pub experience: f64,
    /// Optimum of the whole scenario with this candidate forced into the post.
    pub objective: f64,
    /// z* − objective, exact (0 for the holder).
    pub loss: f64,
    pub promotion: bool,
    /// The base plan places this candidate here.
    pub holder: bool,
    /// Groups used by the scenario's rules that the candidate belongs to, in scenario order.
    pub groups: Vec<String>,
    /// Posts that change hands if this entry is chosen, in scenario order.
    /// `from`: the holder in the base plan, `to`: with this entry chosen (`None`: empty).
    pub changes: Vec<Change>,
}

/// Posts with a decided placement (spec 1.1 `decided`): they get no slate.
fn decided_posts(s: &Scenario) -> Vec<bool> {
    (0..s.posts.len())
        .map(|p| s.decided_for_post(p).is_some())
        .collect()
}

/// Solves the scenario once and makes the slates. `progress(done, total)` is called as posts
/// finish. Errors: internal (solver failure, a plan the checker rejects).
pub fn slates(
    s: &Scenario,
    opts: &SlateOptions,
    started: Instant,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<SlateDocument, Error> {
    let mut base = Base::solve(s, &opts.solve, started)?;
    base.name_breaches = false;
    let k = opts.k.max(1);
    let mut doc = SlateDocument {
        scenario: s.name.clone(),
        status: base.status,
        objective: base.objective,
        k,
        complete: true,
        slates: Vec::new(),
        decided: Vec::new(),
    };
    // Losses are exact only against a proven optimum: a base stopped by the time limit gets
    // no slates (the document says so: status `feasible`, not complete).
    if !base.proven() {
        doc.complete = false;
        return Ok(doc);
    }
    let decided = decided_posts(s);
    let mut posts: Vec<usize> = match &opts.posts {
        Some(ps) => ps.clone(),
        None => (0..s.posts.len()).collect(),
    };
    posts.sort_unstable();
    posts.dedup();
    doc.decided = posts
        .iter()
        .filter(|&&p| decided[p])
        .filter_map(|&p| {
            let c = s.decided_for_post(p)?;
            Some(DecidedPost {
                post: s.posts[p].id.clone(),
                candidate: s.candidates[c].id.clone(),
                name: s.candidates[c].name.clone(),
            })
        })
        .collect();
    posts.retain(|&p| !decided[p]);
    let mut by_post: Vec<Vec<usize>> = vec![Vec::new(); s.posts.len()];
    for (i, pair) in base.pairs.iter().enumerate() {
        by_post[pair.post as usize].push(i);
    }
    let rule_groups = rule_groups(s);
    let done = AtomicUsize::new(0);
    let total = posts.len();
    progress(0, total);
    let ctx = Ctx {
        base: &base,
        k,
        rule_groups: &rule_groups,
    };
    doc.slates = posts
        .par_iter()
        .map(|&p| {
            let slate = ctx.slate(p, &by_post[p]);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            slate
        })
        .collect::<Result<Vec<_>, Error>>()?;
    doc.complete = doc.slates.iter().all(|sl| sl.complete);
    Ok(doc)
}

/// Groups the rules count (share and count rules), ascending, without repeats.
fn rule_groups(s: &Scenario) -> Vec<usize> {
    let mut gs: Vec<usize> = s
        .rules
        .iter()
        .filter_map(|r| match r.kind {
            RuleKind::Share { group } | RuleKind::Count { group } => Some(group),
            RuleKind::FitRate => None,
        })
        .collect();
    gs.sort_unstable();
    gs.dedup();
    gs
}

struct Ctx<'b, 'a> {
    base: &'b Base<'a>,
    k: usize,
    rule_groups: &'b [usize],
}

/// A re-solved candidate: sort key parts and its entry.
struct Exact {
    /// Loss on a 1e-9 grid, so equal losses computed along different paths tie and fit decides.
    grid: i64,
    entry: Entry,
}

/// How one post's entries were proven (the counts of [`Slate`]).
#[derive(Default)]
struct Tally {
    solves: usize,
    re_solved: usize,
    screened: usize,
    infeasible: usize,
    complete: bool,
}

impl Exact {
    /// Best first: loss (on the grid), larger fit, smaller id.
    fn sort(exact: &mut [Exact]) {
        exact.sort_by(|a, b| {
            a.grid
                .cmp(&b.grid)
                .then(b.entry.fit.total_cmp(&a.entry.fit))
                .then(a.entry.candidate.cmp(&b.entry.candidate))
        });
    }
}

impl Ctx<'_, '_> {
    /// The slate of post `p`; `post_pairs`: its eligible pairs.
    fn slate(&self, p: usize, post_pairs: &[usize]) -> Result<Slate, Error> {
        let base = self.base;
        let s = base.s;
        let z = base.objective.expect("slates need a base plan");
        let holder = base.holders[p];
        let mut entries = Vec::new();
        if let Some(h) = holder {
            entries.push(self.entry(h, p, &Forcing::none(z)));
        }
        // Candidates decided for another post cannot take this one in any plan.
        let elsewhere = |i: &usize| {
            let c = base.pairs[*i].candidate as usize;
            s.decided_for_candidate(c).is_some_and(|q| q != p)
        };
        let decided_elsewhere = post_pairs.iter().filter(|i| elsewhere(i)).count();
        let others: Vec<usize> = post_pairs
            .iter()
            .copied()
            .filter(|&i| Some(base.pairs[i].candidate as usize) != holder && !elsewhere(&i))
            .collect();
        let need = self.k - entries.len().min(self.k);
        let (exact, tally) = if need == 0 || others.is_empty() {
            let tally = Tally {
                screened: others.len(),
                complete: true,
                ..Tally::default()
            };
            (Vec::new(), tally)
        } else {
            self.best_of_the_rest(p, holder, &others, need)?
        };
        entries.extend(exact.into_iter().take(need).map(|e| e.entry));
        let pst = &s.posts[p];
        Ok(Slate {
            post: pst.id.clone(),
            title: pst.title.clone(),
            team: s.teams[pst.team].id.clone(),
            rank: s.ranks[pst.rank].clone(),
            holder: holder.map(|h| s.candidates[h].id.clone()),
            eligible: post_pairs.len(),
            decided_elsewhere,
            solves: tally.solves,
            re_solved: tally.re_solved,
            screened: tally.screened,
            infeasible: tally.infeasible,
            complete: tally.complete,
            entries,
        })
    }

    /// Best of the rest: each re-solve fills `p` with anyone not yet listed (the holder kept
    /// out), so its optimum is the next entry's exact objective ([`Base::best_filled`]). Once
    /// `need` entries are known, the next re-solve carries the need-th loss as its cutoff and
    /// ends the post when it proves every candidate left loses more (or finds one strictly
    /// worse); a tie is listed and the search goes on, so ties are broken by fit and id over
    /// all tied candidates. Every candidate not found is proven outside the top by the last
    /// re-solve's bound: `screened`. Re-solves of one post are sequential; posts run in
    /// parallel.
    fn best_of_the_rest(
        &self,
        p: usize,
        holder: Option<usize>,
        others: &[usize],
        need: usize,
    ) -> Result<(Vec<Exact>, Tally), Error> {
        let base = self.base;
        let mut forbid: Vec<usize> = holder
            .and_then(|h| base.pair_index(h, p))
            .into_iter()
            .collect();
        let mut exact: Vec<Exact> = Vec::new();
        let mut tally = Tally::default();
        let mut ended = false;
        let mut at_most: Option<f64> = None;
        // The plan of the last exact fill: a tie of it is first sought by exchange.
        let mut last_plan: Option<Vec<(usize, usize)>> = None;
        while exact.len() < others.len() {
            let kth = (exact.len() >= need).then(|| &exact[need - 1]);
            if base.out_of_time() {
                break;
            }
            let exchanged = match (&last_plan, at_most) {
                (Some(plan), Some(u)) => base.fill_by_exchange(p, &forbid, others, plan, u)?,
                _ => None,
            };
            let filled = match exchanged {
                Some(filled) => filled,
                None => {
                    tally.solves += 1;
                    base.best_filled(p, &forbid, kth.map(|e| e.entry.loss), at_most)?
                }
            };
            let (f, c) = (filled.forcing, filled.candidate);
            last_plan = filled.plan;
            // The next fill keeps one more candidate out: it can be worth no more than this.
            at_most = filled.bound.or(at_most);
            match (f.status, c) {
                (ForcedStatus::Optimal, Some(c)) => {
                    let entry = self.entry(c, p, &f);
                    let grid = (entry.loss * 1e9).round() as i64;
                    if kth.is_some_and(|e| grid > e.grid) {
                        // The best of the rest is strictly worse than the need-th: done.
                        ended = true;
                        break;
                    }
                    exact.push(Exact { grid, entry });
                    Exact::sort(&mut exact);
                    forbid.extend(base.pair_index(c, p));
                }
                (ForcedStatus::Infeasible, _) => {
                    // No plan fills p with anyone left: forcing any of them is infeasible.
                    tally.infeasible = others.len() - exact.len();
                    ended = true;
                    break;
                }
                (ForcedStatus::Screened, _) => {
                    ended = true;
                    break;
                }
                _ => break,
            }
        }
        tally.complete = ended || exact.len() == others.len();
        tally.re_solved = exact.len() + tally.infeasible;
        if tally.complete {
            tally.screened = others.len() - tally.re_solved;
        }
        Ok((exact, tally))
    }

    /// The entry of candidate `c` in post `p` from an exact re-solve (or the base plan).
    fn entry(&self, c: usize, p: usize, f: &Forcing) -> Entry {
        let s = self.base.s;
        let fit = fit_out(s, c, p);
        Entry {
            candidate: s.candidates[c].id.clone(),
            name: s.candidates[c].name.clone(),
            fit: fit.fit,
            specialty: fit.specialty,
            experience: fit.experience,
            objective: f.objective.expect("exact re-solves have an objective"),
            loss: f.cost.expect("exact re-solves have a cost"),
            promotion: is_promotion(s, c, p),
            holder: self.base.holders[p] == Some(c),
            groups: self
                .rule_groups
                .iter()
                .filter(|&&g| s.in_group[g][c])
                .map(|&g| s.groups[g].name.clone())
                .collect(),
            changes: f.changes.clone(),
        }
    }
}
