//! Candidate slates (spec "Slates", issue 8): for each post, the K eligible candidates whose
//! forcing costs the whole plan least, each loss exact, found with as few re-solves as the
//! screening bound allows.
//!
//! For post p, with holder h in the base plan (first entry, loss 0, as the spec requires), every
//! other eligible candidate j has a proven lower bound on its loss, `Base::loss_at_least`
//! (`z* − (L + min(d_j, 0))`, proof in `resolve`). Candidates are taken cheapest bound first
//! (ties: larger fit, smaller id) in fixed-size batches, each candidate of a batch re-solved
//! exactly (in parallel). Once K − 1 exact losses are known, a candidate whose bound exceeds the
//! (K−1)-th best exact loss by more than [`Base::margin`] is strictly worse than all of them:
//! its true loss is at least its bound, so its key (loss, −fit, id) is larger whatever its fit
//! and id. A candidate whose bound merely equals the K-th loss is re-solved (it may tie and win
//! on fit or id). Since candidates are sorted by bound, the first one skipped ends the post: all
//! later ones are skipped too, and counted as `screened`.
//!
//! Re-solves that end infeasible are never listed; re-solves that stop at the time limit are not
//! listed either (their loss is not exact) and make the slate incomplete. Batches have a fixed
//! size and posts are collected in order, so the output never depends on the thread count.

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
use crate::resolve::{Base, Fix, ForcedStatus, Forcing};
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
    /// Eligible candidates for the post.
    pub eligible: usize,
    /// Candidates re-solved exactly (the holder needs none).
    pub re_solved: usize,
    /// Candidates proven outside the top K without a full re-solve: by the screening bound
    /// `L + min(d, 0)`, or by the bound of a re-solve stopped as soon as it proved the loss
    /// above the K-th best so far.
    pub screened: usize,
    /// Re-solved candidates whose forcing breaks a hard rule (never listed).
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
    pub changes: Vec<HandOver>,
}

/// A post whose holder differs from the base plan's when an entry is chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandOver {
    pub post: String,
    /// Holder in the base plan (`None`: empty).
    pub from: Option<String>,
    /// Holder with this entry chosen (`None`: left empty).
    pub to: Option<String>,
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
        // Everyone else, cheapest bound first (ties: larger fit, smaller id).
        let mut others: Vec<(usize, f64)> = post_pairs
            .iter()
            .filter(|&&i| Some(base.pairs[i].candidate as usize) != holder)
            .map(|&i| (i, base.loss_at_least(i).unwrap_or(f64::NEG_INFINITY)))
            .collect();
        let cand = |i: usize| base.pairs[i].candidate as usize;
        others.sort_by(|a, b| {
            a.1.total_cmp(&b.1)
                .then(base.pairs[b.0].fit.total_cmp(&base.pairs[a.0].fit))
                .then(s.candidates[cand(a.0)].id.cmp(&s.candidates[cand(b.0)].id))
        });
        let need = self.k - entries.len().min(self.k);
        let batch_size = need.clamp(2, 8);
        let margin = base.margin();
        let mut exact: Vec<Exact> = Vec::new();
        let (mut pos, mut infeasible, mut unresolved, mut cut_off) = (0, 0, 0, 0);
        let mut timed_out = false;
        while need > 0 && pos < others.len() {
            // The need-th best exact loss so far: anything whose bound is strictly above it
            // (beyond the margin) cannot enter.
            let kth = (exact.len() >= need).then(|| exact[need - 1].entry.loss);
            let batch: Vec<usize> = others[pos..]
                .iter()
                .take_while(|o| kth.is_none_or(|l| o.1 <= l + margin))
                .take(batch_size)
                .map(|o| o.0)
                .collect();
            if batch.is_empty() {
                break;
            }
            if base.out_of_time() {
                timed_out = true;
                break;
            }
            let fixes: Vec<Fix> = batch
                .iter()
                .map(|&i| Fix {
                    force: vec![i],
                    forbid: Vec::new(),
                    // Only entries that can still enter need exact costs: a re-solve stops
                    // once it proves its loss is above the need-th best so far (the same for
                    // the whole batch, whatever the thread count).
                    cutoff: kth,
                })
                .collect();
            for (&i, f) in batch.iter().zip(base.run_all(&fixes)?) {
                match f.status {
                    ForcedStatus::Optimal => {
                        let entry = self.entry(cand(i), p, &f);
                        exact.push(Exact {
                            grid: (entry.loss * 1e9).round() as i64,
                            entry,
                        });
                    }
                    ForcedStatus::Infeasible => infeasible += 1,
                    ForcedStatus::Screened => cut_off += 1,
                    _ => unresolved += 1,
                }
            }
            exact.sort_by(|a, b| {
                a.grid
                    .cmp(&b.grid)
                    .then(b.entry.fit.total_cmp(&a.entry.fit))
                    .then(a.entry.candidate.cmp(&b.entry.candidate))
            });
            pos += batch.len();
        }
        entries.extend(exact.into_iter().take(need).map(|e| e.entry));
        let pst = &s.posts[p];
        Ok(Slate {
            post: pst.id.clone(),
            title: pst.title.clone(),
            team: s.teams[pst.team].id.clone(),
            rank: s.ranks[pst.rank].clone(),
            holder: holder.map(|h| s.candidates[h].id.clone()),
            eligible: post_pairs.len(),
            // Re-solves stopped by the cutoff proved their candidate outside the top without
            // a full re-solve: screened, by the forced LP's (or MIP's) bound.
            re_solved: pos - cut_off,
            screened: cut_off + if timed_out { 0 } else { others.len() - pos },
            infeasible,
            complete: !timed_out && unresolved == 0,
            entries,
        })
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
            changes: f
                .changes
                .iter()
                .map(|ch| HandOver {
                    post: ch.post.clone(),
                    from: ch.before.clone(),
                    to: ch.after.clone(),
                })
                .collect(),
        }
    }
}
