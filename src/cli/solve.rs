//! `postfit solve SCENARIO`: the plan with the highest total fit that keeps every rule.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use postfit::error::Error;
use postfit::plan::{
    attach_replan, plan_document, read_baseline, relaxed_document, replan, solve_scenario,
    Provenance, Status,
};
use postfit::render;
use postfit::solve::{solver_version, ProgressSink, SolveOptions};

use postfit::deadline::Deadline;

use super::conventions::{check_threads, one_stdin, whole_number};
use super::output::{print_out, print_table, OutTarget};
use super::{progress, usage, Format};

/// Arguments of `postfit solve`.
#[derive(clap::Args)]
pub struct SolveArgs {
    /// The scenario: a JSON file (see `postfit schema`), a workbook (.xlsx/.xls/.ods) or a
    /// folder of CSV files (docs/workbook.md); - reads JSON from stdin.
    pub scenario: PathBuf,
    /// Also write the plan to this file (atomically; - for stdout): JSON, or a plan workbook
    /// when the path ends in .xlsx (.csv, .md, .ods, ... are refused). Checked before solving:
    /// never an input, a directory or a device; a symlink's target is replaced. Not written
    /// when no plan was found (exit 4).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output on stdout: a readable table (fitted to the terminal; COLUMNS overrides), the
    /// plan JSON, or the tables as tab-separated values.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// One deadline for the whole command (loading, model, every solver call, the diagnosis):
    /// the best plan found by then is `feasible`; with none, exit 4.
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub time_limit: Option<f64>,
    /// Worker threads for fit computation, 1 to 4 x the cores (answers never depend on it).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = whole_number::<usize, 1>)]
    pub threads: Option<usize>,
    /// Print phase timings and model sizes on stderr.
    #[arg(long)]
    pub stats: bool,
    /// If the scenario is infeasible, output the plan of its minimal relaxation (status
    /// `relaxed`: the closest workable plan) and exit 0; exit 4, writing no plan file, if the
    /// time limit runs out before that plan is found.
    #[arg(long)]
    pub relax: bool,
    /// Re-plan close to this earlier plan (JSON, or a plan workbook as `check` reads): among
    /// the optimal plans, the one with the fewest posts changing hands (or, with
    /// --change-cost, the best objective − W × changes).
    #[arg(long, value_name = "PLAN.json")]
    pub baseline: Option<PathBuf>,
    /// With --baseline: the cost W (0 to 1e9) of each post that changes hands; maximise
    /// objective − W × changes.
    #[arg(
        long,
        value_name = "W",
        requires = "baseline",
        allow_negative_numbers = true
    )]
    pub change_cost: Option<f64>,
}

/// The largest `--change-cost` W accepted, as for rule penalties (1e9 per person).
const MAX_CHANGE_COST: f64 = 1e9;

/// Runs `solve`: exit 0 with a plan, 3 when infeasible, 4 when out of time.
pub fn run(args: &SolveArgs) -> Result<ExitCode, Error> {
    let SolveArgs {
        scenario: path,
        out,
        format,
        time_limit,
        threads,
        stats: show_stats,
        relax,
        baseline,
        change_cost,
    } = args;
    let (path, out, format, time_limit, threads, show_stats, relax) = (
        path.as_path(),
        out.as_deref(),
        format.apply(),
        *time_limit,
        *threads,
        *show_stats,
        *relax,
    );
    // The deadline starts before anything else, loading included.
    let deadline = time_limit.map(Deadline::after_secs);
    super::conventions::check_time_limit(time_limit)?;
    if let Some(w) = *change_cost {
        // As for rule penalties: HiGHS reads 1e20 as infinity, and costs far above the fit
        // scale (1e13 on the tutorial) left it with status Unknown (exit 5). 1e9 per change
        // already outweighs any difference in fit.
        if !(w.is_finite() && (0.0..=MAX_CHANGE_COST).contains(&w)) {
            return Err(usage(
                "--change-cost",
                "must be a finite number from 0 to 1e9",
            ));
        }
    }
    // Every input of the command: the scenario and, when re-planning, the baseline.
    let inputs: Vec<&Path> = std::iter::once(path).chain(baseline.as_deref()).collect();
    one_stdin(&inputs)?;
    // Checked before any long work: a bad --out fails at once.
    let out_book = match out {
        Some(o) => super::out_format::by_extension(
            "--out",
            o,
            "a plan is",
            &[("json", false), ("xlsx", true)],
            false,
        )?,
        None => false,
    };
    let out = out.map(|o| OutTarget::check(o, &inputs)).transpose()?;
    if let Some(n) = threads {
        check_threads(n)?;
        // Only fails if a pool exists already, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let t0 = Instant::now();
    let (scenario, _raw, sha) = postfit::load(path)?;
    let ms_load = t0.elapsed().as_secs_f64() * 1e3;
    let spinner = progress(&format!(
        "solving {} ({} candidates, {} posts)",
        scenario.name,
        scenario.candidates.len(),
        scenario.posts.len()
    ));
    // The engine's phase, bound and best plan on the spinner line (drawn on terminals only).
    let line = spinner.clone();
    let name = scenario.name.clone();
    let opts = SolveOptions {
        time_limit,
        deadline,
        progress: Some(ProgressSink::new(move |p| {
            line.set_message(
                postfit::render::escape(&format!("solving {name}: {}", p.describe())).into_owned(),
            )
        })),
        ..Default::default()
    };
    let solution = match baseline {
        Some(b) => read_baseline(b, &scenario)
            .map_err(Error::from)
            .and_then(|b| replan(&scenario, &opts, &b, *change_cost))
            .map(|(sol, r)| (sol, Some(r))),
        None => solve_scenario(&scenario, &opts).map(|sol| (sol, None)),
    };
    spinner.finish_and_clear();
    let (solution, replanned) = solution?;
    let provenance = Provenance {
        postfit_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256: sha,
        solver: solver_version(),
        time_limit,
        threads: rayon::current_num_threads(),
        mip_rel_gap: opts.mip_rel_gap,
        stats: solution.stats.clone(),
    };
    let relaxed = if relax {
        relaxed_document(&scenario, &solution, provenance.clone())
    } else {
        None
    };
    let show_relaxed = relaxed.is_some();
    let mut plan = relaxed.unwrap_or_else(|| plan_document(&scenario, &solution, provenance));
    match &replanned {
        // The relaxed plan is the closest workable plan, chosen without the baseline: it
        // carries no re-planning fields (they would describe a re-plan that did not happen).
        Some(_) if show_relaxed => super::output::say(
            "note: the relaxed plan is not re-planned against --baseline (re-planning needs \
             the hard rules to hold); its fields baseline, changes and change_cost are left out",
        ),
        Some(r) => attach_replan(&scenario, &mut plan, r),
        None => {}
    }
    for w in &plan.warnings {
        super::output::say(&format!("warning: {w}"));
    }
    let json = serde_json::to_string_pretty(&plan).expect("plans serialise") + "\n";
    // `--relax` on an infeasible scenario whose relaxation the time limit cut short: the plan
    // asked for was not found in time, which is exit 4 like any time-out before a plan.
    let relax_cut_short = relax && !show_relaxed && solution.status == Status::Infeasible;
    // No plan, no plan file: a time-out before any plan writes nothing (exit 4).
    if solution.status != Status::NoSolution && !relax_cut_short {
        if let Some(out) = &out {
            match out {
                OutTarget::File { named, .. } if out_book => {
                    let value = serde_json::to_value(&plan).expect("plans serialise");
                    let bytes =
                        postfit::workbook::plan_xlsx(&value).map_err(|reason| Error::Write {
                            path: named.clone(),
                            reason,
                        })?;
                    out.write(&bytes)?;
                }
                _ => out.write(json.as_bytes())?,
            }
        }
    }
    // With `--out -` the plan JSON is stdout, and the table is not printed.
    if !out.as_ref().is_some_and(OutTarget::is_stdout) {
        match format {
            Format::Json => print_out(&json)?,
            Format::Table | Format::Tsv => print_table(&render::plan_table(&scenario, &plan))?,
        }
    }
    if show_stats {
        let st = &solution.stats;
        eprintln!(
            "stats: load {ms_load:.1} ms, pairs {:.1} ms, model {:.1} ms, solve {:.1} ms, check {:.1} ms, diagnose {:.1} ms",
            st.ms_pairs, st.ms_model, st.ms_solve, st.ms_check, st.ms_diagnose
        );
        eprintln!(
            "stats: {} candidates x {} posts, {}; model {} columns x {} rows",
            st.candidates,
            st.posts,
            render::pairs_text(st),
            st.columns,
            st.rows
        );
        eprintln!(
            "stats: path {}, {} LP pricing rounds, {} columns in the LP, {} in the MIP{}",
            st.solve_path,
            st.lp_rounds,
            st.lp_columns,
            st.mip_columns,
            if st.lp_integral {
                " (LP optimum integral: no MIP needed)"
            } else {
                ""
            }
        );
        if st.solve_path == "deadline-passed" {
            // The limit ran out while the scenario was read and the model built: the solver
            // never started.
            eprintln!(
                "stats: the time limit ran out before solving began: no LP bound yet, no plan yet"
            );
        } else if st.solve_path.starts_with("fast") {
            if st.lp_columns == 0 {
                // Stopped (time limit) before pricing ended: there is no LP bound yet.
                eprintln!(
                    "stats: stopped after {} LP pricing rounds: no LP bound yet",
                    st.lp_rounds
                );
            } else {
                let cuts = format!(
                    "stats: LP bound {:.6} before cuts, {:.6} after {} hull cuts{}",
                    st.lp_bound_uncut,
                    st.lp_bound,
                    st.cuts - st.gomory_cuts,
                    if st.gomory_cuts > 0 {
                        format!(" and {} Gomory cuts", st.gomory_cuts)
                    } else {
                        String::new()
                    }
                );
                match solution.objective() {
                    Some(obj) => eprintln!(
                        "{cuts}; plan {obj:.6}: LP-IP gap {:.6} -> {:.6}",
                        st.lp_bound_uncut - obj,
                        st.lp_bound - obj
                    ),
                    None => eprintln!("{cuts}; no plan yet"),
                }
            }
        }
    }
    Ok(match solution.status {
        Status::Optimal | Status::Feasible | Status::Relaxed => ExitCode::SUCCESS,
        Status::Infeasible if show_relaxed => ExitCode::SUCCESS,
        Status::Infeasible if relax_cut_short => {
            let limit = postfit::check::fmt_num(time_limit.unwrap_or(0.0));
            super::output::say(&format!(
                "{}: hard rules and must-fill posts cannot all hold, and the time limit of \
                 {limit} s ran out before the closest workable plan (--relax) was found; try a \
                 longer --time-limit",
                path.display(),
            ));
            ExitCode::from(4)
        }
        Status::Infeasible => {
            // The diagnosis is printed once, on stdout (table or JSON); stderr only says why
            // the exit code is 3.
            super::output::say(&format!(
                "{}: hard rules and must-fill posts cannot all hold; the diagnosis is on stdout{}",
                path.display(),
                if solution.relaxed.is_some() {
                    " (solve --relax shows the closest workable plan)"
                } else {
                    ""
                }
            ));
            ExitCode::from(3)
        }
        Status::NoSolution => {
            // 1e-300 in `1e-300` form, not as 300 zeros.
            let limit = postfit::check::fmt_num(time_limit.unwrap_or(0.0));
            super::output::say(&format!(
                "{}: no plan found within the time limit of {limit} s; try a longer --time-limit",
                path.display(),
            ));
            ExitCode::from(4)
        }
    })
}
