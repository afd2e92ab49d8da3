//! Re-planning against a baseline (spec 1.1, "Re-planning against a baseline"): the baseline
//! plan as each post's earlier holder, and the two ways to plan close to it.
//!
//! - With a change cost W: maximise `objective − W × changes` in one solve (the change terms of
//!   `model::change_terms` folded into the column objectives).
//! - Without: the fewest changes among the optimal plans, in two phases like the diagnosis:
//!   phase 1 is the ordinary solve (optimum z*, bound B); phase 2 keeps the objective at
//!   `>= B − 0.999 × 1e-6 × max(1, |B|)` (so every plan it may return is optimal within the
//!   spec's tolerance, with a margin for the solver's 1e-9 row feasibility) and minimises the
//!   changes.
//!
//! Both work on the neutral `Model` only (an objective change and one extra row), so the fast and
//! the direct solve paths handle them without special code.

use std::collections::HashMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::run::{infeasible, relative_gap, remaining, solve_built, Solution, SolveStats, Status};
use crate::check::check_plan;
use crate::eligibility::{model_pairs, Pair};
use crate::error::{Error, InputError};
use crate::model::{self, change_terms, floor_row, placements_from_values, ChangeTerms, Model};
use crate::scenario::Scenario;
use crate::solve::{columns_reaching, solve_model, Outcome, SolveOptions, OPTIMAL_REL_GAP};

/// The baseline plan, resolved against the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// SHA-256 of the baseline file (hex), empty for a baseline built in memory.
    pub sha256: String,
    /// `holders[p]`: the baseline's candidate in post p.
    pub holders: Vec<Option<usize>>,
    /// Baseline placements naming a post or candidate no longer in the scenario: ignored.
    pub ignored: Vec<IgnoredOut>,
}

/// A baseline placement that was ignored, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IgnoredOut {
    /// Index in the baseline's `placements`.
    pub index: usize,
    pub post: String,
    pub candidate: String,
    /// e.g. `post "P9" is no longer in the scenario`.
    pub reason: String,
}

/// A post whose holder differs from the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeOut {
    pub post: String,
    /// The baseline's holder (`null`: empty in the baseline).
    pub from: Option<String>,
    /// The new plan's holder (`null`: left empty).
    pub to: Option<String>,
}

/// What the re-plan reports besides the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Replan {
    /// SHA-256 of the baseline file.
    pub baseline: String,
    pub change_cost: Option<f64>,
    /// Posts whose holder differs from the baseline; `None` when there is no plan.
    pub changes: Option<usize>,
    /// The changed posts, in post order.
    pub changed: Vec<(usize, Option<usize>, Option<usize>)>,
    pub ignored: Vec<IgnoredOut>,
    /// With a change cost: `objective − W × changes`, the value the status refers to.
    pub combined: Option<f64>,
    /// Without a change cost: whether phase 2 proved the fewest changes (false when the time
    /// limit stopped it: the plan is then the best found).
    pub fewest_proven: bool,
}

impl Baseline {
    /// A baseline from holders in memory (tests, and `diff`).
    pub fn from_holders(holders: Vec<Option<usize>>) -> Baseline {
        Baseline {
            sha256: String::new(),
            holders,
            ignored: Vec::new(),
        }
    }
}

/// Where a baseline placement sits, for messages: its file, the paths (JSON) or cells
/// (workbook) of its post and candidate, and how a later duplicate names it.
struct Where {
    file: String,
    post: String,
    candidate: String,
    first: String,
}

/// A baseline plan as read: only its placements matter.
#[derive(Deserialize, schemars::JsonSchema)]
struct BaselineInput {
    placements: Vec<super::PlacementInput>,
}

/// Reads a baseline plan file (any plan in the spec's form; only `post` and `candidate` are
/// read). Placements naming a post or a candidate no longer in the scenario are ignored and
/// listed. Errors (exit 2): the file cannot be read or parsed, or a post or candidate appears
/// twice among the kept placements (the path names the second one).
pub fn read_baseline(path: &std::path::Path, s: &Scenario) -> Result<Baseline, InputError> {
    let file = path.display().to_string();
    // A plan workbook (`solve --out plan.xlsx`, or typed by hand) is a baseline too, as it is a
    // plan for `check`, `diff` and `report`; errors then name the cell.
    let (sha256, rows, at): (String, Vec<super::PlacementInput>, Vec<Where>) =
        if crate::workbook::is_workbook(path) || crate::workbook::is_csv_file(path) {
            let (rows, sha) = crate::workbook::plan_workbook_rows(path, s)?;
            let at = rows
                .iter()
                .map(|r| Where {
                    file: r.file.clone(),
                    post: r.post_at.clone(),
                    candidate: r.candidate_at.clone(),
                    // `sheet S, row R` without the column.
                    first: r.post_at.split(", column").next().unwrap_or("").to_string(),
                })
                .collect();
            let rows = rows
                .into_iter()
                .map(|r| super::PlacementInput {
                    post: r.post,
                    candidate: r.candidate,
                })
                .collect();
            (sha, rows, at)
        } else {
            let bytes = crate::scenario::read_bytes(path)?;
            let sha256 = crate::scenario::sha256_hex(&bytes);
            let text = crate::scenario::utf8(&bytes, &file)?;
            let input: BaselineInput = crate::scenario::parse_str(text, &file)?;
            let at = (0..input.placements.len())
                .map(|i| Where {
                    file: file.clone(),
                    post: format!("placements[{i}].post"),
                    candidate: format!("placements[{i}].candidate"),
                    first: format!("placements[{i}]"),
                })
                .collect();
            (sha256, input.placements, at)
        };
    let mut holders = vec![None; s.posts.len()];
    let mut ignored = Vec::new();
    let mut post_at: HashMap<usize, usize> = HashMap::new();
    let mut cand_at: HashMap<usize, usize> = HashMap::new();
    for (i, pl) in rows.iter().enumerate() {
        let (p, c) = (s.post_by_id(&pl.post), s.candidate_by_id(&pl.candidate));
        let (Some(p), Some(c)) = (p, c) else {
            let reason = match p {
                None => format!("post \"{}\" is no longer in the scenario", pl.post),
                Some(_) => format!(
                    "candidate \"{}\" is no longer in the scenario",
                    pl.candidate
                ),
            };
            ignored.push(IgnoredOut {
                index: i,
                post: pl.post.clone(),
                candidate: pl.candidate.clone(),
                reason,
            });
            continue;
        };
        if let Some(j) = post_at.insert(p, i) {
            return Err(InputError::new(
                &at[i].file,
                &at[i].post,
                format!(
                    "post \"{}\" is placed twice (first at {})",
                    pl.post, at[j].first
                ),
            ));
        }
        if let Some(j) = cand_at.insert(c, i) {
            return Err(InputError::new(
                &at[i].file,
                &at[i].candidate,
                format!(
                    "candidate \"{}\" is placed twice (first at {})",
                    pl.candidate, at[j].first
                ),
            ));
        }
        holders[p] = Some(c);
    }
    Ok(Baseline {
        sha256,
        holders,
        ignored,
    })
}

/// The posts whose holder differs between `holders` and the plan, in post order, as
/// (post, baseline holder, new holder).
pub fn changed_posts(
    holders: &[Option<usize>],
    plan: &[(usize, usize)],
) -> Vec<(usize, Option<usize>, Option<usize>)> {
    let mut now = vec![None; holders.len()];
    for &(p, c) in plan {
        now[p] = Some(c);
    }
    (0..holders.len())
        .filter(|&p| holders[p] != now[p])
        .map(|p| (p, holders[p], now[p]))
        .collect()
}

/// Solves the scenario close to `baseline` (spec 1.1): with `change_cost = Some(W)` the plan
/// maximising `objective − W × changes`; with `None` the fewest changes among optimal plans.
/// Infeasible scenarios and time-outs come back as from `solve_scenario` (with no changes).
/// Errors: a negative or non-finite W is the caller's to reject; solver failures and plans the
/// checker rejects are errors as in `solve_scenario`.
pub fn replan(
    s: &Scenario,
    opts: &SolveOptions,
    baseline: &Baseline,
    change_cost: Option<f64>,
) -> Result<(Solution, Replan), Error> {
    let started = Instant::now();
    let pairs = model_pairs(s);
    let m = model::build(s, &pairs);
    let terms = change_terms(&baseline.holders, &pairs);
    let mut out = Replan {
        baseline: baseline.sha256.clone(),
        change_cost,
        changes: None,
        changed: Vec::new(),
        ignored: baseline.ignored.clone(),
        combined: None,
        fewest_proven: false,
    };
    let sol = match change_cost {
        Some(w) => weighted(s, &pairs, &m, &terms, w, opts, started)?,
        None => {
            let (mut sol, proven) = fewest(s, &pairs, &m, &terms, opts, started)?;
            out.fewest_proven = proven;
            // Phase 2 stopped by the time limit: its plan may still carry moves that cost
            // nothing; put them back as the baseline had them (`resolve::untangle`, each
            // put-back judged by the checker). A proven minimum has none.
            if !proven {
                if let Some(report) = sol.report.take() {
                    let base: Vec<(usize, usize)> = baseline
                        .holders
                        .iter()
                        .enumerate()
                        .filter_map(|(p, c)| c.map(|c| (p, c)))
                        .collect();
                    sol.report = Some(crate::resolve::untangle::untangle_checked(s, report, &base));
                }
            }
            sol
        }
    };
    if sol.report.is_some() {
        let changed = changed_posts(&baseline.holders, &sol.placements());
        out.changes = Some(changed.len());
        out.combined = change_cost.and_then(|w| Some(sol.objective()? - w * changed.len() as f64));
        out.changed = changed;
    }
    Ok((sol, out))
}

fn base_stats(s: &Scenario, pairs: &[Pair], m: &Model) -> SolveStats {
    SolveStats {
        candidates: s.candidates.len(),
        posts: s.posts.len(),
        eligible_pairs: pairs.len(),
        columns: m.columns.len(),
        rows: m.rows.len(),
        ..Default::default()
    }
}

/// One solve of `objective − W × changes`; the status refers to that combined value.
fn weighted(
    s: &Scenario,
    pairs: &[Pair],
    m: &Model,
    terms: &ChangeTerms,
    w: f64,
    opts: &SolveOptions,
    started: Instant,
) -> Result<Solution, Error> {
    let mut stats = base_stats(s, pairs, m);
    if !m.infeasible_rows.is_empty() {
        return infeasible(s, pairs, opts, started, stats);
    }
    let mut mw = m.clone();
    for &(j, a) in &terms.terms {
        mw.columns[j as usize].objective -= w * a;
    }
    let t = Instant::now();
    let (outcome, solver_stats) =
        solve_model(&mw, &remaining(opts, started)).map_err(Error::Solver)?;
    stats.solve_path = solver_stats.path;
    stats.ms_solve = t.elapsed().as_secs_f64() * 1e3;
    let (values, bound) = match outcome {
        Outcome::Optimal { values, bound, .. } | Outcome::Feasible { values, bound, .. } => {
            (values, bound)
        }
        Outcome::Infeasible => return infeasible(s, pairs, opts, started, stats),
        Outcome::NoSolution { bound } => {
            return Ok(Solution {
                status: Status::NoSolution,
                report: None,
                bound: bound.map(|b| b + m.constant - w * terms.constant),
                diagnosis: Vec::new(),
                relaxed: None,
                stats,
                constant: m.constant,
            })
        }
    };
    let plan = placements_from_values(pairs, &values);
    let report = check_plan(s, &plan);
    if !report.is_ok() {
        return Err(Error::PlanRejected(format!(
            "{} problem(s), first: {}",
            report.violations.len(),
            report.violations[0].message(s)
        )));
    }
    // The model's value is `objective − C − W × changes + W × K` (C, the objective's constant
    // part, is kept out of the model): put C back and take the change constant off the bound.
    let changes = terms.count(&values);
    let combined = report.objective - w * changes;
    let bound = (bound + m.constant - w * terms.constant).max(combined);
    let status = if relative_gap(combined, bound, m.constant) <= OPTIMAL_REL_GAP {
        Status::Optimal
    } else {
        Status::Feasible
    };
    Ok(Solution {
        status,
        report: Some(report),
        bound: Some(bound),
        diagnosis: Vec::new(),
        relaxed: None,
        stats,
        constant: m.constant,
    })
}

/// Phase 1: the optimum; phase 2: the fewest changes among plans within the tolerance of it.
/// Returns the solution and whether phase 2 proved its minimum.
fn fewest(
    s: &Scenario,
    pairs: &[Pair],
    m: &Model,
    terms: &ChangeTerms,
    opts: &SolveOptions,
    started: Instant,
) -> Result<(Solution, bool), Error> {
    let first = solve_built(s, pairs, m, opts, started)?;
    let (Some(z), Some(bound)) = (first.objective(), first.bound) else {
        return Ok((first, false));
    };
    // Optimal: every plan within the spec's tolerance of the bound is optimal; the margin keeps
    // the phase-2 plan optimal by the same test after the solver's row tolerance. Feasible (time
    // limit): at least as good as the phase-1 plan.
    // `bound` and `z` include the objective's constant part C; the model does not, so the
    // floor row and the fixing below use `floor − C`, and the tolerance is spec 1.1's
    // (relative to the part of the objective plans can change).
    let floor = if first.status == Status::Optimal {
        (bound - 0.999 * OPTIMAL_REL_GAP * (bound - m.constant).abs().max(1.0)).min(z)
    } else {
        z - 1e-9
    };
    let model_floor = floor - m.constant;
    let mut m2 = m.clone();
    // Reduced-cost fixing against the floor: columns no plan reaching it can use are fixed to 0
    // (without this, phase 2 has nothing to prune with and HiGHS searches every column).
    if let Some(keep) = columns_reaching(m, model_floor, remaining(opts, started).time_limit)
        .map_err(Error::Solver)?
    {
        for (c, k) in m2.columns.iter_mut().zip(keep) {
            if !k {
                c.upper = 0.0;
            }
        }
    }
    let row = floor_row(m, model_floor);
    // No column moves the objective: every plan has the same one, and the row is void.
    if !row.entries.is_empty() {
        m2.rows.push(row);
    }
    for c in m2.columns.iter_mut() {
        c.objective = 0.0;
    }
    for &(j, a) in &terms.terms {
        m2.columns[j as usize].objective = -a;
    }
    let t = Instant::now();
    let (outcome, _) = solve_model(
        &m2,
        &SolveOptions {
            progress: None,
            ..remaining(opts, started)
        },
    )
    .map_err(Error::Solver)?;
    let (values, proven) = match outcome {
        Outcome::Optimal { values, .. } => (values, true),
        Outcome::Feasible { values, .. } => (values, false),
        // The phase-1 plan meets the floor, so this is only the time limit (or solver trouble):
        // keep the phase-1 plan.
        Outcome::Infeasible | Outcome::NoSolution { .. } => return Ok((first, false)),
    };
    let plan = placements_from_values(pairs, &values);
    let report = check_plan(s, &plan);
    if !report.is_ok() {
        return Err(Error::PlanRejected(format!(
            "phase 2 of the re-plan: {} problem(s), first: {}",
            report.violations.len(),
            report.violations[0].message(s)
        )));
    }
    let objective = report.objective;
    let status = if first.status == Status::Optimal
        && relative_gap(objective, bound, m.constant) <= OPTIMAL_REL_GAP
    {
        Status::Optimal
    } else {
        Status::Feasible
    };
    let mut stats = first.stats.clone();
    stats.ms_solve += t.elapsed().as_secs_f64() * 1e3;
    Ok((
        Solution {
            status,
            report: Some(report),
            bound: Some(bound.max(objective)),
            diagnosis: Vec::new(),
            relaxed: None,
            stats,
            constant: m.constant,
        },
        proven,
    ))
}
