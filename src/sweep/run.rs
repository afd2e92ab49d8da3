//! Running a sweep: the base first (every line's `changed` needs its plan), then the work list
//! in parallel with rayon, each variant's HiGHS model on one thread, lines collected in work-list
//! order whatever the thread count.

use std::time::Instant;

use rayon::prelude::*;

use super::line::{empty_line, has_plan, holders, solved_line, Holders, Line};
use super::warm::WarmBase;
use super::{build_variant, price_variants, Shard, Sweep, Variant};
use crate::error::Error;
use crate::plan::{solve_scenario, solve_scenario_keeping, Solution};
use crate::scenario::Scenario;
use crate::solve::SolveOptions;

/// How to run a sweep.
#[derive(Debug, Clone, Default)]
pub struct SweepOptions {
    /// Wall-clock limit per solve (base, each variant), in seconds.
    pub time_limit: Option<f64>,
    /// Add the spec's rule prices: the base without each of its rules.
    pub price_rules: bool,
    /// Run only the work-list items of this shard (the base is always solved).
    pub shard: Option<Shard>,
    /// Worker threads for the variants (a pool of its own); `None`: rayon's current pool.
    /// Answers never depend on it.
    pub threads: Option<usize>,
    /// Solve every variant cold, without the warm start from the base's final LP (`warm`); for
    /// measurements and tests: answers never depend on it. `POSTFIT_SWEEP_COLD=1` does the same.
    pub cold: bool,
}

/// The base's solve, as every variant sees it.
pub(crate) struct BaseSolve<'a> {
    pub scenario: &'a Scenario,
    pub solution: Solution,
    pub holders: Option<Holders>,
    /// The base's final LP for warm starts (`None`: solve variants cold).
    pub warm: Option<WarmBase>,
}

/// Runs a sweep and returns its lines: the base, then this shard's share of the work list
/// (variants, axes, rule prices), in work-list order. `on_done` is called once per finished
/// item (base included), from any thread, for progress.
///
/// A variant that is invalid, infeasible or runs out of time gets its own line and the sweep
/// goes on. An internal error (solver failure, plan rejected by the checker) in a variant also
/// becomes a line, with status `error`. Errors: a rule-price line named like a variant
/// ([`check_price_names`](super::check_price_names), before any solve), an internal error in
/// the base solve, or a thread pool that cannot be built.
pub fn run_sweep(
    sweep: &Sweep,
    opts: &SweepOptions,
    on_done: &(dyn Fn() + Sync),
) -> Result<Vec<Line>, Error> {
    // Before any solve: every line's name must be unique, rule prices included.
    super::check_price_names(sweep, opts.price_rules)?;
    match opts.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| Error::Solver(format!("cannot start {n} worker threads: {e}")))?
            .install(|| run_in_pool(sweep, opts, on_done)),
        None => run_in_pool(sweep, opts, on_done),
    }
}

/// How many solves a run with these options makes: the base plus this shard's items.
pub fn solves_to_run(sweep: &Sweep, opts: &SweepOptions) -> usize {
    let n = sweep.variants.len()
        + if opts.price_rules {
            sweep.base.rules.len()
        } else {
            0
        };
    1 + (0..n)
        .filter(|&i| opts.shard.is_none_or(|s| s.runs(i)))
        .count()
}

/// The work list after the base: variants and axes, then rule prices when asked for.
pub(crate) fn work_list(sweep: &Sweep, price_rules: bool) -> Vec<Variant> {
    let mut items = sweep.variants.clone();
    if price_rules {
        items.extend(price_variants(&sweep.base));
    }
    items
}

fn run_in_pool(
    sweep: &Sweep,
    opts: &SweepOptions,
    on_done: &(dyn Fn() + Sync),
) -> Result<Vec<Line>, Error> {
    let solve_opts = SolveOptions {
        time_limit: opts.time_limit,
        ..Default::default()
    };
    let items = work_list(sweep, opts.price_rules);
    let total = items.len() + 1;

    let t = Instant::now();
    let (solution, kept) = solve_scenario_keeping(&sweep.base, &solve_opts, |_, _| None)?;
    let cold = opts.cold || std::env::var_os("POSTFIT_SWEEP_COLD").is_some();
    let warm = kept
        .filter(|_| !cold)
        .and_then(|k| WarmBase::new(&sweep.base, &solution, &k));
    let base = BaseSolve {
        scenario: &sweep.base,
        holders: holders(&sweep.base, &solution),
        solution,
        warm,
    };
    let mut base_line = solved_line("base", base.scenario, &base.solution, base.holders.as_ref());
    base_line.runtime_ms = ms(t);
    on_done();

    let mine: Vec<(usize, &Variant)> = items
        .iter()
        .enumerate()
        .filter(|(i, _)| opts.shard.is_none_or(|s| s.runs(*i)))
        .collect();
    let lines: Vec<Line> = mine
        .par_iter()
        .map(|&(i, v)| {
            let mut line = variant_line(sweep, &base, v, &solve_opts);
            line.index = i + 1;
            on_done();
            line
        })
        .collect();

    let mut out = Vec::with_capacity(lines.len() + 1);
    out.push(base_line);
    out.extend(lines);
    for l in &mut out {
        l.total = total;
        l.sweep_sha256 = sweep.sha256.clone();
    }
    Ok(out)
}

/// Patches, validates and solves one work-list item.
fn variant_line(sweep: &Sweep, base: &BaseSolve, v: &Variant, opts: &SolveOptions) -> Line {
    let t = Instant::now();
    let mut line = match build_variant(&sweep.base_doc, v) {
        Err(e) => {
            let mut l = empty_line(&v.name, "invalid");
            l.error = Some(e.to_string());
            l
        }
        Ok(s) => match solve_variant(base, &s, opts) {
            Err(e) => {
                let mut l = empty_line(&v.name, "error");
                l.error = Some(e.to_string());
                l
            }
            Ok(mut sol) => {
                if let Some(holders) = base.holders.as_ref() {
                    untangle(&s, &mut sol, holders);
                }
                solved_line(&v.name, &s, &sol, base.holders.as_ref())
            }
        },
    };
    if let Some(r) = v.price_of {
        line.rule = Some(r);
        if let (Some(o), Some(b)) = (line.objective, base.solution.objective()) {
            if has_plan(base.solution.status) {
                line.price = Some(difference(o, b));
            }
        }
    }
    line.runtime_ms = ms(t);
    line
}

/// The variant's plan with the swaps it does not need put back as the base plan had them
/// (`resolve::untangle::untangle_checked`): alike posts make many plans equally good, and a
/// variant identical to the base listed 8 posts as changed on the hard city. `holders`: the
/// base plan by post id; placements naming a post or candidate the variant no longer has are
/// left out.
fn untangle(s: &Scenario, sol: &mut Solution, holders: &Holders) {
    let base: Vec<(usize, usize)> = holders
        .iter()
        .filter_map(|(p, c)| Some((s.post_by_id(p)?, s.candidate_by_id(c)?)))
        .collect();
    if let Some(report) = sol.report.take() {
        sol.report = Some(crate::resolve::untangle::untangle_checked(s, report, &base));
    }
}

/// Solves one variant exactly, warm-started from the base's final LP where it carries over
/// (`warm`), cold otherwise. Answers never depend on it: the warm start only changes the time.
fn solve_variant(base: &BaseSolve, s: &Scenario, opts: &SolveOptions) -> Result<Solution, Error> {
    match &base.warm {
        Some(w) => w.solve(s, opts),
        None => solve_scenario(s, opts),
    }
}

/// `a − b`, with rounding noise (a difference within 1e-9 relative, far below the spec's
/// optimality tolerance of 1e-6) shown as 0: two objectives summed in a different order
/// differ in the last bits.
pub(crate) fn difference(a: f64, b: f64) -> f64 {
    let d = a - b;
    if d.abs() <= 1e-9 * b.abs().max(1.0) {
        0.0
    } else {
        d
    }
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}
