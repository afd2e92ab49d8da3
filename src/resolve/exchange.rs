//! A slate's tied entries without a re-solve: the next fill of a post found by exchanging two
//! people in the plan the previous fill proved optimal.
//!
//! **Why.** Candidates alike in everything the rules and the fit see (the same fit for the
//! post, the same groups) tie on a slate, and each tie used to cost a re-solve of its own:
//! on province-hard's post J02-D15-1, two of the four re-solves (4.4 and 5.6 s, each the
//! heuristic's MIP) only found a plan as good as the bound the fill before had proven.
//!
//! **Exactness.** The fill that keeps one more candidate out restricts the previous fill, so
//! the previous fill's proven bound `U` bounds it too. A plan of the new fill (post p filled
//! by a candidate not kept out, the checker finding every hard rule kept) worth at least
//! `U` minus the optimality tolerance is therefore optimal, exactly as when a re-solve's
//! heuristic reaches a known bound (`ResolveHints::at_most`). The exchanged plan is checked
//! by the independent checker, whose objective is the one compared; a plan that fails any
//! check is skipped, never repaired, so nothing here can list an entry that is not exact.
//! Only ties are taken (a loss no larger than the previous fill's on the slates' 1e-9 grid):
//! a plan merely within the tolerance of the bound is left to a re-solve, which may find a
//! candidate who ties exactly (the slate then lists that one, as brute force would). An
//! exchanged entry's `changes` carry the previous fill's moves (its holder's old post, say),
//! where a re-solve may find another optimal plan with other moves: the candidate and the
//! loss are the same, the plan one of the optimal ones.

use std::collections::HashSet;

use super::{pair_index, Base, Filled, Fix, ForcedStatus, Forcing};
use crate::check::check_plan;
use crate::error::Error;
use crate::solve::OPTIMAL_REL_GAP;

impl Base<'_> {
    /// The next fill of post `p` (pairs in `forbid` kept out) by exchange, or `None` when no
    /// exchange reaches the bound. `open`: the pairs of `p` that may fill it (a slate's
    /// candidates of the post other than the holder and those decided elsewhere), ascending;
    /// `plan`: the previous fill's plan, (post, candidate) pairs with someone in `p`, proven
    /// optimal with the bound `at_most` (model objective) for a fill of `p` that kept out a
    /// subset of `forbid`; the caller vouches for that, it is what makes the answer exact.
    /// Each pair of `open` not kept out, in order, whose screening bound (`L + min(d, 0)`) can
    /// reach `at_most`, puts its candidate c2 in `p` in place of the holder c1, and c1 takes
    /// c2's post when c2 had one (if c1 is eligible for it) or leaves the plan. The first such
    /// plan the checker accepts, losing no more than `plan` on the slates' 1e-9 grid and worth
    /// `at_most` within the optimality tolerance (and no more: a plan above a proven bound
    /// would mean the model and the checker disagree, and is skipped), is the answer: status
    /// `optimal`, bound `at_most`. Stops at the deadline with `None`. Errors: none so far (the
    /// `Result` is the re-solve API's).
    pub fn fill_by_exchange(
        &self,
        p: usize,
        forbid: &[usize],
        open: &[usize],
        plan: &[(usize, usize)],
        at_most: f64,
    ) -> Result<Option<Filled>, Error> {
        let Some(z) = self.objective else {
            return Ok(None);
        };
        let Some(c1) = plan.iter().find(|&&(q, _)| q == p).map(|&(_, c)| c) else {
            return Ok(None);
        };
        // The checker's objective is the model's plus the constant terms.
        let offset = z - self.model_objective;
        let tol = OPTIMAL_REL_GAP * at_most.abs().max(1.0);
        // Ties of the previous fill on the slates' grid of losses (1e-9): a loss no larger than
        // the previous one's there, so the slate sees the tie a re-solve finding an equal plan
        // would give. A plan merely within the optimality tolerance of the bound could stand
        // in for a candidate who ties exactly (seen on the city: an exchange 4.2e-5 short of
        // the bound listed C0151 where a re-solve finds C0746 at loss 0).
        let grid = |objective: f64| ((z - objective) * 1e9).round();
        let tie = grid(check_plan(self.s, plan).objective);
        let kept_out: HashSet<usize> = forbid.iter().copied().collect();
        for &i in open {
            if self.out_of_time() {
                return Ok(None);
            }
            let c2 = self.pairs[i].candidate as usize;
            if self.pairs[i].post as usize != p || c2 == c1 || kept_out.contains(&i) {
                continue;
            }
            if self
                .forced_model_bound(i)
                .is_some_and(|b| b < at_most - tol)
            {
                continue;
            }
            let mut exchanged = Vec::with_capacity(plan.len());
            let mut feasible = true;
            for &(q, c) in plan {
                if q == p {
                    exchanged.push((q, c2));
                } else if c == c2 {
                    if pair_index(&self.pairs, c1, q).is_none() {
                        feasible = false;
                        break;
                    }
                    exchanged.push((q, c1));
                } else {
                    exchanged.push((q, c));
                }
            }
            if !feasible {
                continue;
            }
            exchanged.sort_unstable();
            let report = check_plan(self.s, &exchanged);
            if !report.is_ok()
                || grid(report.objective) > tie
                || report.objective - offset < at_most - tol
                || report.objective - offset > at_most + tol
            {
                continue;
            }
            // The swaps the exchange does not need put back, as after a re-solve.
            let fix = Fix {
                forbid: forbid.to_vec(),
                fill: Some(p),
                ..Fix::default()
            };
            let mut values = vec![0.0; self.pairs.len()];
            for &(q, c) in &exchanged {
                if let Some(i) = pair_index(&self.pairs, c, q) {
                    values[i] = 1.0;
                }
            }
            let (exchanged, report) =
                match self.fewer_changes(&fix, &values, exchanged.clone(), report.clone()) {
                    (fewer, checked)
                        if grid(checked.objective) <= tie
                            && checked.objective - offset >= at_most - tol =>
                    {
                        (fewer, checked)
                    }
                    _ => (exchanged, report),
                };
            let cost = self.cost(z, report.objective);
            let mut message = if cost == 0.0 {
                "no loss: an equally good plan".to_string()
            } else {
                format!("costs {cost:.4}")
            };
            if !self.proven() {
                message.push_str(", against a plan not proven optimal");
            }
            let forcing = Forcing {
                status: ForcedStatus::Optimal,
                objective: Some(report.objective),
                cost: Some(cost),
                cost_at_least: None,
                changes: self.changes(&exchanged),
                message,
            };
            return Ok(Some(Filled {
                forcing,
                candidate: Some(c2),
                bound: Some(at_most),
                plan: Some(exchanged),
            }));
        }
        Ok(None)
    }
}
