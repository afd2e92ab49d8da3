//! `postfit solve SCENARIO`: the plan with the highest total fit that keeps every rule.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use postfit::error::Error;
use postfit::plan::{plan_document, relaxed_document, solve_scenario, Provenance, Status};
use postfit::render;
use postfit::solve::{solver_version, SolveOptions};

use super::{progress, usage, write_atomically, Format};

/// Arguments of `postfit solve`.
#[derive(clap::Args)]
pub struct SolveArgs {
    /// The scenario: a JSON file (see `postfit schema`), a workbook (.xlsx/.xls/.ods) or a folder of CSV files (docs/workbook.md).
    pub scenario: PathBuf,
    /// Write the plan JSON here (atomically); a path ending in .xlsx gets a plan workbook.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Output on stdout: a readable table, or the plan JSON.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Stop the solver after this many seconds; the best plan found is `feasible`.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Worker threads for fit computation (answers never depend on it).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print phase timings and model sizes on stderr.
    #[arg(long)]
    pub stats: bool,
    /// If the scenario is infeasible, output the plan of its minimal relaxation (status
    /// `relaxed`: the closest workable plan) and exit 0.
    #[arg(long)]
    pub relax: bool,
}

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
    } = args;
    let (path, out, format, time_limit, threads, show_stats, relax) = (
        path.as_path(),
        out.as_deref(),
        *format,
        *time_limit,
        *threads,
        *show_stats,
        *relax,
    );
    if let Some(t) = time_limit {
        if !(t.is_finite() && t > 0.0) {
            return Err(usage(
                "--time-limit",
                "must be a positive number of seconds",
            ));
        }
    }
    if let Some(n) = threads {
        if n == 0 {
            return Err(usage("--threads", "must be at least 1"));
        }
        // Only fails if a pool exists already, which cannot happen this early.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    let t0 = Instant::now();
    let (scenario, _raw, sha) = postfit::load(path)?;
    let ms_load = t0.elapsed().as_secs_f64() * 1e3;
    let opts = SolveOptions {
        time_limit,
        ..Default::default()
    };
    let spinner = progress(&format!(
        "solving {} ({} candidates, {} posts)",
        scenario.name,
        scenario.candidates.len(),
        scenario.posts.len()
    ));
    let solution = solve_scenario(&scenario, &opts);
    spinner.finish_and_clear();
    let solution = solution?;
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
    let plan = relaxed.unwrap_or_else(|| plan_document(&scenario, &solution, provenance));
    let json = serde_json::to_string_pretty(&plan).expect("plans serialise") + "\n";
    if let Some(out) = out {
        if postfit::workbook::is_workbook(out) {
            let value = serde_json::to_value(&plan).expect("plans serialise");
            let bytes = postfit::workbook::plan_xlsx(&value).map_err(|reason| Error::Write {
                path: out.display().to_string(),
                reason,
            })?;
            write_atomically(out, &bytes)?;
        } else {
            write_atomically(out, json.as_bytes())?;
        }
    }
    match format {
        Format::Json => print!("{json}"),
        Format::Table => print!("{}", render::plan_table(&scenario, &plan)),
    }
    if show_stats {
        let st = &solution.stats;
        eprintln!(
            "stats: load {ms_load:.1} ms, pairs {:.1} ms, model {:.1} ms, solve {:.1} ms, check {:.1} ms, diagnose {:.1} ms",
            st.ms_pairs, st.ms_model, st.ms_solve, st.ms_check, st.ms_diagnose
        );
        eprintln!(
            "stats: {} candidates x {} posts, {} eligible pairs; model {} columns x {} rows",
            st.candidates, st.posts, st.eligible_pairs, st.columns, st.rows
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
    }
    Ok(match solution.status {
        Status::Optimal | Status::Feasible | Status::Relaxed => ExitCode::SUCCESS,
        Status::Infeasible if show_relaxed => ExitCode::SUCCESS,
        Status::Infeasible => {
            eprintln!(
                "postfit: {}: hard rules and must-fill posts cannot all hold; the least that must give:",
                path.display()
            );
            for d in &plan.diagnosis {
                eprintln!("  - {}", d.message);
            }
            if solution.relaxed.is_some() {
                eprintln!("  (solve --relax shows the closest workable plan)");
            }
            ExitCode::from(3)
        }
        Status::NoSolution => {
            eprintln!(
                "postfit: {}: no plan found within the time limit of {} s; try a longer --time-limit",
                path.display(),
                time_limit.unwrap_or(0.0)
            );
            ExitCode::from(4)
        }
    })
}
