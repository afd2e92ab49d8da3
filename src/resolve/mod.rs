//! The re-solve API: one base solve kept with what re-solves need (pairs, model, optimum, final
//! LP columns, duals, Lagrangian bound, reduced costs), then exact re-solves of the whole plan
//! with pairs forced in or kept out, and a screening bound that needs no re-solve.
//!
//! `slate` and `explain` are both clients of [`Base`]: neither builds its own model copy or
//! re-solve loop. Each re-solve is the base model plus `Forced` rows, solved exactly by the fast
//! path (HiGHS with its fixed thread count, so deterministic) starting from the base's final LP columns
//! (warm start), read back and verified by the independent checker. Many re-solves run in
//! parallel with rayon; results are collected in input order, so nothing depends on the thread
//! count.
//!
//! # The screening bound (issue 8, issue 14 item 4)
//!
//! Let `y` be row duals that are sign-feasible (`y_i > 0` only on rows with a finite upper
//! bound `u_i`, `y_i < 0` only on rows with a finite lower bound `l_i`), `d_j = c_j − a_j·y` the
//! reduced costs and `L = Σ_i (y_i > 0 ? y_i·u_i : y_i·l_i) + Σ_j max(0, d_j)·U_j` the
//! Lagrangian bound (`U_j` the column's upper bound). For every x with `l <= Ax <= u` and
//! `0 <= x <= U` (every plan, integer or not):
//!
//! ```text
//! c·x = Σ_j d_j·x_j + y·(Ax) <= Σ_j d_j·x_j + Σ_i (y_i > 0 ? y_i·u_i : y_i·l_i)
//! ```
//!
//! because `y_i·(Ax)_i <= y_i·u_i` when `y_i > 0` and `<= y_i·l_i` when `y_i < 0`. A plan that
//! places pair k (`x_k = 1`, `U_k = 1`) has `Σ_j d_j·x_j <= Σ_{j≠k} max(0, d_j)·U_j + d_k`, so
//!
//! ```text
//! c·x <= L − max(0, d_k) + d_k = L + min(d_k, 0).
//! ```
//!
//! Nothing here needs `y` to be optimal, only sign-feasible (pricing zeroes wrong-signed duals),
//! so solver tolerances cannot make the bound unsound beyond float rounding, which the callers'
//! margin ([`Base::margin`]) absorbs. The forced plan's loss is therefore at least
//! `z* − (L + min(d_k, 0))`, with z* the base plan's model objective: [`Base::loss_at_least`].
//! Both are in the model's objective; a loss is a difference, so a constant between the model's
//! and the checker's objective cancels.

use std::time::Instant;

mod exchange;
pub(crate) mod untangle;

use rayon::prelude::*;
use serde::Serialize;

use crate::check::{check_plan, CheckReport};
use crate::eligibility::{model_pairs, Pair};
use crate::error::Error;
use crate::model::{self, placements_from_values, Model, RowKind};
use crate::plan::Status;
use crate::scenario::Scenario;
use crate::solve::{
    solve_model_keeping, ColumnMatrix, LpDuals, Outcome, SolveOptions, Warm, OPTIMAL_REL_GAP,
};

/// How a what-if re-solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ForcedStatus {
    /// Proven optimal: the cost is exact.
    Optimal,
    /// A valid plan, stopped early (time limit): the cost is an upper bound.
    Feasible,
    /// No plan keeps every hard rule with this change.
    Infeasible,
    /// Stopped before any plan was found (or the time limit ran out before the re-solve).
    NoSolution,
    /// Not re-solved: the screening bound alone shows the cost is at least `cost_at_least`.
    Screened,
}

/// One post whose holder differs from the optimal plan's. JSON `{"post", "from", "to"}`, the
/// names `slate` entries and `solve --baseline`'s `changed` use too.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub post: String,
    /// Holder in the optimal plan (`None`: empty).
    pub from: Option<String>,
    /// Holder in the changed plan.
    pub to: Option<String>,
}

/// The whole plan re-optimised with one change fixed, compared with the optimum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forcing {
    pub status: ForcedStatus,
    /// The checker's objective of the changed plan.
    pub objective: Option<f64>,
    /// Optimum minus `objective`: what the change costs the whole plan (never negative when
    /// both are proven). Exact only with status `optimal`.
    pub cost: Option<f64>,
    /// A proven lower bound on the cost from the base duals (status `screened`, or a re-solve
    /// stopped by the time limit); `None` when no bound is known.
    pub cost_at_least: Option<f64>,
    /// Posts whose holder differs, in scenario order.
    pub changes: Vec<Change>,
    /// One line, e.g. `infeasible: forcing breaks a hard rule`.
    pub message: String,
}

impl Forcing {
    /// The change the optimal plan already makes: cost 0, nothing changes.
    pub fn none(objective: f64) -> Forcing {
        Forcing {
            status: ForcedStatus::Optimal,
            objective: Some(objective),
            cost: Some(0.0),
            cost_at_least: None,
            changes: Vec::new(),
            message: "as in the optimal plan".into(),
        }
    }

    /// Not re-solved: a decided placement (spec 1.1) rules the change out, as `reason` says
    /// (e.g. `agri-head is decided for C10`). Status `infeasible`: no plan has it.
    pub fn decided_against(reason: &str) -> Forcing {
        unsolved(
            ForcedStatus::Infeasible,
            &format!("infeasible: {reason}"),
            None,
        )
    }

    /// Not re-solved: the bound shows the cost is at least `at_least`.
    pub fn screened(at_least: f64) -> Forcing {
        Forcing {
            status: ForcedStatus::Screened,
            objective: None,
            cost: None,
            cost_at_least: Some(at_least),
            changes: Vec::new(),
            message: format!("costs at least {at_least:.4} (bound; not re-solved)"),
        }
    }
}

/// What to fix in one re-solve: pairs forced in, pairs kept out (indices into `Base::pairs`).
#[derive(Debug, Clone, Default)]
pub struct Fix {
    pub force: Vec<usize>,
    pub forbid: Vec<usize>,
    /// A loss above which the caller needs no exact cost (a slate's K-th best so far): once the
    /// re-solve proves the loss is more than `cutoff` (plus [`Base::margin`]), it stops and
    /// answers `screened` with that proven lower bound. `None`: always exact.
    pub cutoff: Option<f64>,
    /// A post that must be filled, by any of its pairs not forbidden. The re-solve's optimum
    /// is then the best forced optimum over the post's remaining candidates, and the plan's
    /// holder of the post attains it: a slate finds its next entry in one re-solve
    /// ([`Base::best_filled`]).
    pub fill: Option<usize>,
}

/// What [`Base::best_filled`] found.
#[derive(Debug, Clone)]
pub struct Filled {
    pub forcing: Forcing,
    /// The candidate the plan puts in the post; `None` unless the status is `optimal` or
    /// `feasible`.
    pub candidate: Option<usize>,
    /// The re-solve's proven bound (model objective) when it ended `optimal`.
    pub bound: Option<f64>,
    /// The plan found, as (post, candidate) pairs, when the status is `optimal` or
    /// `feasible` ([`Base::fill_by_exchange`] starts from it).
    pub plan: Option<Vec<(usize, usize)>>,
}

impl Filled {
    fn without_plan(forcing: Forcing) -> Filled {
        Filled {
            forcing,
            candidate: None,
            bound: None,
            plan: None,
        }
    }
}

/// The base solve, kept for re-solves: see the module docs.
pub struct Base<'a> {
    pub s: &'a Scenario,
    /// The model's pairs (eligible ones plus decided ones, `eligibility::model_pairs`), ordered
    /// by candidate then post; model column i is pair i.
    pub pairs: Vec<Pair>,
    pub model: Model,
    /// Status of the base solve (`optimal`, `feasible`, `infeasible` or `no_solution`).
    pub status: Status,
    /// The base plan's objective (the checker's); `None` without a plan.
    pub objective: Option<f64>,
    /// The base plan's objective in the model (the screening bound's units).
    model_objective: f64,
    /// The base solve's proven bound (model objective) when it ended optimal: every re-solve
    /// only restricts the base model, so its optimum is at most this ([`ResolveHints::at_most`]:
    /// a re-solve whose heuristic finds a plan as good as the optimum, a change that costs
    /// nothing, needs no proof MIP).
    model_bound: Option<f64>,
    /// Holder of each post in the base plan.
    pub holders: Vec<Option<usize>>,
    /// The base plan's pair columns, ascending: every re-solve's heuristic takes them
    /// ([`ResolveHints::plan`](crate::solve::ResolveHints::plan)).
    plan_columns: std::sync::Arc<[u32]>,
    /// What every re-solve's heuristic takes besides its own near-zero columns: the base
    /// plan's columns and, when the base solve ran Gomory rounds, the columns its hull-cut LP
    /// priced near zero (`PricingStats::hull_near_zero`), ascending.
    heuristic_hint: std::sync::Arc<[u32]>,
    /// Post of each candidate in the base plan.
    pub posts_of: Vec<Option<usize>>,
    /// The final LP of the fast path: columns, duals, reduced costs, L. `None` when the direct
    /// path answered (then nothing is screened).
    pub lp: Option<LpDuals>,
    /// The model's matrix by column, shared by every re-solve that changes only bounds, and by
    /// the untangling of re-solved plans.
    matrix: Option<ColumnMatrix>,
    /// The model's rows as the untangling of re-solved plans reads them ([`untangle`]).
    rows: Option<untangle::Rows>,
    /// Index of each post's `PostOnce` row, if it has one.
    post_row: Vec<Option<usize>>,
    /// Whether an infeasible re-solve names what would break (one more solve of the relaxed
    /// model: explanations want it; slates, which never list infeasible forcings, do not).
    pub name_breaches: bool,
    opts: SolveOptions,
    /// Re-solves do not start after this instant, and stop at it.
    deadline: Option<Instant>,
}

impl<'a> Base<'a> {
    /// Builds pairs and model and solves them once. `opts.time_limit` (seconds) counts from
    /// `started` and is the deadline of every later re-solve too. Errors: solver failure or a
    /// plan the checker rejects (internal errors).
    pub fn solve(
        s: &'a Scenario,
        opts: &SolveOptions,
        started: Instant,
    ) -> Result<Base<'a>, Error> {
        let deadline = opts
            .time_limit
            .map(|t| crate::deadline::Deadline::after_secs_from(started, t).instant());
        let pairs = model_pairs(s);
        let model = model::build(s, &pairs);
        let mut base = Base {
            s,
            pairs,
            model,
            status: Status::Infeasible,
            objective: None,
            model_objective: f64::NAN,
            model_bound: None,
            holders: vec![None; s.posts.len()],
            plan_columns: std::sync::Arc::new([]),
            heuristic_hint: std::sync::Arc::new([]),
            posts_of: vec![None; s.candidates.len()],
            lp: None,
            matrix: None,
            rows: None,
            post_row: Vec::new(),
            name_breaches: true,
            opts: opts.clone(),
            deadline,
        };
        // A deadline already passed (say `--time-limit 1e-300`): no plan, as `solve` answers.
        if base.out_of_time() {
            base.status = Status::NoSolution;
            return Ok(base);
        }
        if !base.model.infeasible_rows.is_empty() {
            return Ok(base);
        }
        let (outcome, stats, lp) =
            solve_model_keeping(&base.model, &base.remaining(), None).map_err(Error::Solver)?;
        let (values, bound) = match outcome {
            Outcome::Optimal { values, bound, .. } | Outcome::Feasible { values, bound, .. } => {
                (values, bound)
            }
            Outcome::Infeasible => return Ok(base),
            Outcome::NoSolution { .. } => {
                base.status = Status::NoSolution;
                return Ok(base);
            }
        };
        let plan = placements_from_values(&base.pairs, &values);
        let report = check_plan(s, &plan);
        if !report.is_ok() {
            let first = report.violations[0].message(s);
            return Err(Error::PlanRejected(format!(
                "{} problem(s), first: {first}",
                report.violations.len()
            )));
        }
        let z: f64 = base
            .model
            .columns
            .iter()
            .zip(&values)
            .map(|(c, v)| c.objective * v)
            .sum();
        let gap = (bound.max(z) - z) / z.abs().max(1.0);
        base.status = if gap <= OPTIMAL_REL_GAP {
            Status::Optimal
        } else {
            Status::Feasible
        };
        base.objective = Some(report.objective);
        base.model_objective = z;
        base.model_bound = (base.status == Status::Optimal).then_some(bound.max(z));
        for (p, c) in plan {
            base.holders[p] = Some(c);
            base.posts_of[c] = Some(p);
        }
        base.plan_columns = (0..base.pairs.len() as u32)
            .filter(|&i| values[i as usize] > 0.5)
            .collect();
        let mut hint: Vec<u32> = base.plan_columns.to_vec();
        hint.extend_from_slice(&stats.pricing.hull_near_zero);
        hint.sort_unstable();
        hint.dedup();
        base.heuristic_hint = hint.into();
        if lp.is_some() {
            // The base's cuts (hull, and Gomory when it ran them) hold for every plan of the
            // base model, so for every plan of a re-solve (which only forces or forbids pairs):
            // they join the model as `Cut` rows, right after its rows, where the base's final
            // LP had them, so its basis fits and re-solves start from the cut LP instead of
            // cutting again from scratch. Gomory rows stay marked: MIPs leave them out.
            for cut in stats.pricing.cut_rows {
                base.model.rows.push(model::Row {
                    kind: RowKind::Cut {
                        tableau: cut.tableau,
                    },
                    lower: cut.lower,
                    upper: f64::INFINITY,
                    entries: cut.entries.into(),
                });
            }
        }
        // After the cut rows: re-solves that change only bounds and the untangling share it.
        base.matrix = Some(ColumnMatrix::new(&base.model));
        base.rows = Some(untangle::Rows::new(&base.model));
        base.lp = lp;
        base.post_row = vec![None; s.posts.len()];
        for (r, row) in base.model.rows.iter().enumerate() {
            if let RowKind::PostOnce(p) = row.kind {
                base.post_row[p] = Some(r);
            }
        }
        Ok(base)
    }

    /// Whether the base objective is proven optimal.
    pub fn proven(&self) -> bool {
        self.status == Status::Optimal
    }

    /// Whether the deadline has passed.
    pub fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// The options with the time limit cut to what is left before the deadline.
    fn remaining(&self) -> SolveOptions {
        SolveOptions {
            time_limit: self.deadline.map(|d| {
                d.saturating_duration_since(Instant::now())
                    .as_secs_f64()
                    .max(0.01)
            }),
            ..self.opts.clone()
        }
    }

    /// Slack for comparing a bound with an exact loss: solver tolerances and float rounding,
    /// `1e-6 · max(1, |z*|)` (ten times the optimality gap HiGHS is held to).
    pub fn margin(&self) -> f64 {
        1e-6 * self.objective.unwrap_or(0.0).abs().max(1.0)
    }

    /// An upper bound on the model objective of every plan that places pair `pair`:
    /// `L + min(d, 0)` (module docs). `None` without base duals (nothing can be screened).
    fn forced_model_bound(&self, pair: usize) -> Option<f64> {
        let lp = self.lp.as_ref()?;
        let d = *lp.reduced_costs.get(pair)?;
        Some(lp.bound + d.min(0.0))
    }

    /// An upper bound on the objective (checker's units) of every plan that places pair `pair`.
    pub fn forced_bound(&self, pair: usize) -> Option<f64> {
        let b = self.forced_model_bound(pair)?;
        Some(self.objective? + (b - self.model_objective))
    }

    /// A proven lower bound on the loss of forcing pair `pair`: `z* − (L + min(d, 0))`.
    /// `None` without base duals or without a base plan.
    pub fn loss_at_least(&self, pair: usize) -> Option<f64> {
        self.objective?;
        Some(self.model_objective - self.forced_model_bound(pair)?)
    }

    /// Re-solves with pair `pair` forced in.
    pub fn forced(&self, pair: usize) -> Result<Forcing, Error> {
        self.run(&Fix {
            force: vec![pair],
            ..Fix::default()
        })
    }

    /// Re-solves with every pair of `pairs` kept out.
    pub fn forbidden(&self, pairs: &[usize]) -> Result<Forcing, Error> {
        self.run(&Fix {
            forbid: pairs.to_vec(),
            ..Fix::default()
        })
    }

    /// The best plan with post `p` filled by a candidate whose pair is not in `forbid`
    /// ([`Filled`]). Its objective is exactly the forced optimum of the candidate it puts in
    /// `p`: the plan places it there, and every plan that does is a plan of this re-solve. So
    /// every candidate of `p` left open has a forced optimum at most this one (its loss is at
    /// least this cost). `cutoff` as in [`Fix::cutoff`]: `screened` then means every candidate
    /// left open loses more than it. `at_most`: the [`Filled::bound`] of an earlier fill of
    /// the same post that kept out a subset of `forbid` (a proven bound here too, since this
    /// re-solve only restricts that one): a plan found within the optimality gap of it is
    /// optimal at once, without a proof MIP (a slate's tied candidates).
    pub fn best_filled(
        &self,
        p: usize,
        forbid: &[usize],
        cutoff: Option<f64>,
        at_most: Option<f64>,
    ) -> Result<Filled, Error> {
        let fix = Fix {
            forbid: forbid.to_vec(),
            cutoff,
            fill: Some(p),
            ..Fix::default()
        };
        self.run_with(&fix, at_most)
    }

    /// Runs every fix in parallel; results in input order.
    pub fn run_all(&self, fixes: &[Fix]) -> Result<Vec<Forcing>, Error> {
        fixes.par_iter().map(|f| self.run(f)).collect()
    }

    /// Re-solves the model with `fix` applied (warm: the LP starts from the base's final
    /// columns plus the forced ones), checks the plan and compares it with the optimum. After
    /// the deadline: status `no_solution` without solving.
    pub fn run(&self, fix: &Fix) -> Result<Forcing, Error> {
        Ok(self.run_with(fix, None)?.forcing)
    }

    /// [`Base::run`], given a proven bound `at_most` (model objective) on the re-solve's
    /// optimum when one is known (see [`Base::best_filled`]); also returns the holder of the
    /// `fill` post and the re-solve's proven bound when it ends optimal.
    fn run_with(&self, fix: &Fix, at_most: Option<f64>) -> Result<Filled, Error> {
        let at_least = match fix.force.as_slice() {
            [one] => self.loss_at_least(*one),
            _ => None,
        };
        let Some(z) = self.objective else {
            return Ok(Filled::without_plan(unsolved(
                ForcedStatus::NoSolution,
                "the scenario has no plan to compare with",
                None,
            )));
        };
        if self.out_of_time() {
            return Ok(Filled::without_plan(unsolved(
                ForcedStatus::NoSolution,
                "not re-solved: the time limit ran out",
                at_least,
            )));
        }
        let (m, same_matrix) = self.fixed_model(fix);
        let extra: Vec<u32> = fix.force.iter().map(|&i| i as u32).collect();
        let warm = self.lp.as_ref().map(|lp| Warm {
            lp,
            extra: &extra,
            matrix: self.matrix.as_ref().filter(|_| same_matrix),
        });
        let mut opts = self.remaining();
        opts.resolve.at_most = match (at_most, self.model_bound) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        // The base's LP–IP gap: a re-solve's first proof MIP reaches at least as far.
        opts.resolve.reach = self
            .lp
            .as_ref()
            .map(|lp| (lp.bound - self.model_objective).max(0.0) * 1.05);
        opts.resolve.plan = self.heuristic_hint.clone();
        // No cut rounds of its own: it starts with the base's cuts, and the few it would add
        // around the change cost more than they save (hard province, one post's four
        // re-solves: 16–18 s each without, 23–24 s with one round, side by side; hard city,
        // 10 posts: 3.7 s against 6.0 s with the default rounds).
        opts.resolve.cut_rounds = Some(0);
        // Forced plans worth less than this lose more than the cutoff.
        opts.cutoff = fix
            .cutoff
            .map(|loss| self.model_objective - loss - self.margin());
        let (outcome, _, _) =
            solve_model_keeping(&m, &opts, warm.as_ref()).map_err(Error::Solver)?;
        if let Some(c) = opts.cutoff {
            // Whether HiGHS finished or the cutoff stopped it first (a matter of timing), a
            // bound below the cutoff gives the same answer: screened.
            let bound = match &outcome {
                Outcome::Optimal { bound, .. } | Outcome::Feasible { bound, .. } => Some(*bound),
                Outcome::NoSolution { bound } => *bound,
                Outcome::Infeasible => None,
            };
            if let Some(b) = bound.filter(|&b| b < c) {
                return Ok(Filled::without_plan(Forcing::screened(
                    self.model_objective - b,
                )));
            }
        }
        let (values, proven, bound) = match outcome {
            Outcome::Optimal { values, bound, .. } => (values, true, Some(bound)),
            Outcome::Feasible { values, .. } => (values, false, None),
            Outcome::Infeasible => {
                if !self.name_breaches {
                    return Ok(Filled::without_plan(unsolved(
                        ForcedStatus::Infeasible,
                        "infeasible: forcing breaks a hard rule",
                        None,
                    )));
                }
                // Name what would break: the least relaxation with the same fix.
                let breaches = crate::plan::breaches_when_fixed(
                    self.s,
                    &self.pairs,
                    &fix.force,
                    &fix.forbid,
                    &self.remaining(),
                )?;
                let message = match breaches.as_deref() {
                    Some([first, rest @ ..]) => {
                        let more = if rest.is_empty() {
                            String::new()
                        } else {
                            format!(" (and {} more)", rest.len())
                        };
                        format!("infeasible: it breaks {}{more}", first.message)
                    }
                    _ => "infeasible: forcing breaks a hard rule".to_string(),
                };
                return Ok(Filled::without_plan(unsolved(
                    ForcedStatus::Infeasible,
                    &message,
                    None,
                )));
            }
            Outcome::NoSolution { .. } => {
                return Ok(Filled::without_plan(unsolved(
                    ForcedStatus::NoSolution,
                    "no plan found within the time limit",
                    at_least,
                )));
            }
        };
        let plan = placements_from_values(&self.pairs, &values);
        let report = check_plan(self.s, &plan);
        if !report.is_ok() {
            let first = report.violations[0].message(self.s);
            return Err(Error::PlanRejected(format!(
                "what-if re-solve: {} problem(s), first: {first}",
                report.violations.len()
            )));
        }
        self.verify_fix(fix, &plan)?;
        let (plan, report) = self.fewer_changes(fix, &values, plan, report);
        let cost = self.cost(z, report.objective);
        let changes = self.changes(&plan);
        let mut message = match (proven, cost) {
            (true, 0.0) => "no loss: an equally good plan".to_string(),
            (true, c) => format!("costs {c:.4}"),
            (false, c) => format!("costs at most {c:.4} (time limit reached)"),
        };
        if !self.proven() {
            message.push_str(", against a plan not proven optimal");
        }
        let forcing = Forcing {
            status: if proven {
                ForcedStatus::Optimal
            } else {
                ForcedStatus::Feasible
            },
            objective: Some(report.objective),
            cost: Some(cost),
            cost_at_least: if proven { None } else { at_least },
            changes,
            message,
        };
        let candidate = fix
            .fill
            .and_then(|p| plan.iter().find(|&&(q, _)| q == p).map(|&(_, c)| c));
        Ok(Filled {
            forcing,
            candidate,
            bound,
            plan: Some(plan),
        })
    }

    /// The re-solved plan (`values` over the model's columns, `plan` and its checked `report`)
    /// with the parts of its difference from the base plan put back that the fix does not need
    /// and that cost nothing ([`untangle`]), checked again by the checker; the plan as it was
    /// when nothing goes back or the checker disagrees.
    fn fewer_changes(
        &self,
        fix: &Fix,
        values: &[f64],
        plan: Vec<(usize, usize)>,
        report: CheckReport,
    ) -> (Vec<(usize, usize)>, CheckReport) {
        let (Some(matrix), Some(rows)) = (&self.matrix, &self.rows) else {
            return (plan, report);
        };
        let cols: Vec<u32> = (0..self.pairs.len() as u32)
            .filter(|&j| values[j as usize] > 0.5)
            .collect();
        let keep = untangle::Keep {
            force: &fix.force,
            forbid: &fix.forbid,
            fill: fix.fill,
        };
        let out = untangle::untangle(
            &self.model,
            matrix,
            rows,
            &self.pairs,
            &self.plan_columns,
            &cols,
            &keep,
        );
        if out == cols {
            return (plan, report);
        }
        let mut fewer: Vec<(usize, usize)> = out
            .iter()
            .map(|&j| {
                let p = self.pairs[j as usize];
                (p.post as usize, p.candidate as usize)
            })
            .collect();
        fewer.sort_unstable();
        let checked = check_plan(self.s, &fewer);
        let tie = untangle::TIE * report.objective.abs().max(1.0);
        if checked.is_ok()
            && checked.objective >= report.objective - tie
            && self.verify_fix(fix, &fewer).is_ok()
        {
            (fewer, checked)
        } else {
            (plan, report)
        }
    }

    /// The base model with `fix` applied, and whether its matrix is the base's (only bounds
    /// changed, so the base's column-wise matrix and basis serve as they are).
    ///
    /// Forbidding pair j sets its upper bound to 0. Forcing pair k into post p sets the upper
    /// bound of every other pair of p to 0 and the lower bound of p's `PostOnce` row
    /// (`Σ x_·p <= 1`) to 1: with every other pair of p at 0, that row holds exactly when
    /// `x_k = 1`, so the plans are those with k placed. A post without such a row (a single
    /// eligible pair, not must-fill) gets a `Forced` row `x_k = 1` instead.
    fn fixed_model(&self, fix: &Fix) -> (Model, bool) {
        let mut m = self.model.clone();
        let mut same = true;
        for &k in &fix.force {
            let p = self.pairs[k].post as usize;
            match self.post_row[p] {
                Some(r) => {
                    m.rows[r].lower = 1.0;
                    for e in 0..m.rows[r].entries.len() {
                        let j = m.rows[r].entries.columns()[e] as usize;
                        if j != k && matches!(m.columns[j].kind, model::ColumnKind::Pair(_)) {
                            m.columns[j].upper = 0.0;
                        }
                    }
                }
                None => {
                    model::force(&mut m, k);
                    same = false;
                }
            }
        }
        for &j in &fix.forbid {
            m.columns[j].upper = 0.0;
        }
        if let Some(p) = fix.fill {
            match self.post_row[p] {
                // `Σ x_·p <= 1` becomes `= 1`: a plan fills p with one of its pairs left open.
                Some(r) => m.rows[r].lower = 1.0,
                // No such row: p has at most one pair (`model::add_post_once`); force it.
                None => {
                    if let Some(k) = pairs_of_post(&self.pairs, p).first() {
                        model::force(&mut m, *k);
                        same = false;
                    }
                }
            }
        }
        (m, same)
    }

    /// The plan must hold every forced pair and none of the forbidden ones.
    fn verify_fix(&self, fix: &Fix, plan: &[(usize, usize)]) -> Result<(), Error> {
        let has = |i: usize| {
            let p = self.pairs[i];
            plan.contains(&(p.post as usize, p.candidate as usize))
        };
        let filled = fix.fill.is_none_or(|p| plan.iter().any(|&(q, _)| q == p));
        if fix.force.iter().all(|&i| has(i)) && !fix.forbid.iter().any(|&i| has(i)) && filled {
            Ok(())
        } else {
            Err(Error::PlanRejected(
                "what-if re-solve ignored a fixed placement".into(),
            ))
        }
    }

    /// Optimum minus the changed plan's objective. Differences within the solver's optimality
    /// gap are noise (two proven optima of the same value) and count as 0; a larger negative
    /// value can only appear when the base plan is not proven optimal, and is kept.
    fn cost(&self, z: f64, objective: f64) -> f64 {
        let c = z - objective;
        let tol = OPTIMAL_REL_GAP * z.abs().max(1.0);
        if c < 0.0 && c >= -tol {
            0.0
        } else {
            c
        }
    }

    /// Posts whose holder differs from the optimal plan, in scenario order.
    fn changes(&self, plan: &[(usize, usize)]) -> Vec<Change> {
        let mut after: Vec<Option<usize>> = vec![None; self.s.posts.len()];
        for &(p, c) in plan {
            after[p] = Some(c);
        }
        let id = |c: Option<usize>| c.map(|c| self.s.candidates[c].id.clone());
        (0..self.s.posts.len())
            .filter(|&p| after[p] != self.holders[p])
            .map(|p| Change {
                post: self.s.posts[p].id.clone(),
                from: id(self.holders[p]),
                to: id(after[p]),
            })
            .collect()
    }

    /// Index of pair (c, p) in `pairs`, if eligible.
    pub fn pair_index(&self, c: usize, p: usize) -> Option<usize> {
        pair_index(&self.pairs, c, p)
    }
}

fn unsolved(status: ForcedStatus, message: &str, at_least: Option<f64>) -> Forcing {
    Forcing {
        status,
        objective: None,
        cost: None,
        cost_at_least: at_least,
        changes: Vec::new(),
        message: message.into(),
    }
}

/// Index of pair (c, p) in `pairs` (ordered by candidate, then post), if eligible.
pub fn pair_index(pairs: &[Pair], c: usize, p: usize) -> Option<usize> {
    pairs
        .binary_search_by(|x| (x.candidate as usize, x.post as usize).cmp(&(c, p)))
        .ok()
}

/// Indices of every pair of candidate `c`.
pub fn pairs_of_candidate(pairs: &[Pair], c: usize) -> Vec<usize> {
    let start = pairs.partition_point(|x| (x.candidate as usize) < c);
    let end = pairs.partition_point(|x| (x.candidate as usize) <= c);
    (start..end).collect()
}

/// Indices of every pair of post `p`.
pub fn pairs_of_post(pairs: &[Pair], p: usize) -> Vec<usize> {
    (0..pairs.len())
        .filter(|&i| pairs[i].post as usize == p)
        .collect()
}
