//! The `postfit` command line: parses arguments, calls the library, renders. Nothing else.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use postfit::check::check_plan;
use postfit::error::Error;
use postfit::plan::{
    plan_document, read_plan, relaxed_document, solve_scenario, Provenance, Status,
};
use postfit::render;
use postfit::solve::{solver_version, SolveOptions};

#[derive(Parser)]
#[command(
    name = "postfit",
    version,
    about = "Places reserve cadres in vacant leadership posts: exact, explained, checked."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Table,
    Json,
}

#[derive(clap::Args)]
struct SolveArgs {
    /// The scenario file (JSON, see `postfit schema`).
    scenario: PathBuf,
    /// Write the plan JSON here (atomically).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Output on stdout: a readable table, or the plan JSON.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Stop the solver after this many seconds; the best plan found is `feasible`.
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    /// Worker threads for fit computation (answers never depend on it).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Print phase timings and model sizes on stderr.
    #[arg(long)]
    stats: bool,
    /// If the scenario is infeasible, output the plan of its minimal relaxation (status
    /// `relaxed`: the closest workable plan) and exit 0.
    #[arg(long)]
    relax: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Find the plan with the highest total fit that keeps every rule, proven optimal.
    Solve(SolveArgs),
    /// Verify any plan against a scenario; exit 1 if it breaks anything
    ///
    /// The plan may come from postfit or be written by hand: only `post` and `candidate` of each
    /// placement are read.
    Check {
        scenario: PathBuf,
        plan: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Supply check without solving: who can take each post, and what cannot work
    ///
    /// Eligible candidates per post (and per group a rule needs), posts no one can take,
    /// candidates eligible for nothing and why, rules impossible on their face. Exit 3 when it
    /// proves the scenario infeasible.
    Inspect {
        scenario: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Why a candidate is placed where they are, and who else could take a post, at what cost
    ///
    /// For a candidate: every post they could or could not take, every eligibility condition
    /// with its values, and the exact cost to the plan of forcing them in. For a post: who holds
    /// it, who else could, at what cost.
    Explain {
        scenario: PathBuf,
        /// The candidate to explain (with --post: only that post).
        #[arg(long, value_name = "ID")]
        candidate: Option<String>,
        /// The post to explain (with --candidate: the pair).
        #[arg(long, value_name = "ID")]
        post: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// Write a seeded synthetic scenario shaped by real re-election statistics.
    Generate {
        /// Start from the options of a committed scenario: county, city or province.
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(postfit::generate::PRESETS))]
        preset: Option<String>,
        /// Reserve pool size [default: 900].
        #[arg(long)]
        candidates: Option<usize>,
        /// Jurisdictions (the first is the city) [default: 12].
        #[arg(long)]
        jurisdictions: Option<usize>,
        /// Department teams per jurisdiction [default: 10].
        #[arg(long)]
        departments: Option<usize>,
        /// Random seed [default: 1].
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long)]
        name: Option<String>,
        /// Write here instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("postfit: {e}");
            ExitCode::from(match e {
                Error::Input(_) | Error::Write { .. } => 2,
                Error::Solver(_) | Error::PlanRejected(_) => 5,
            })
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Solve(args) => solve(&args),
        Command::Check {
            scenario,
            plan,
            format,
        } => check(&scenario, &plan, format),
        Command::Inspect { scenario, format } => inspect(&scenario, format),
        Command::Explain {
            scenario,
            candidate,
            post,
            format,
        } => explain(&scenario, candidate.as_deref(), post.as_deref(), format),
        Command::Schema => {
            let schema = schemars::schema_for!(postfit::scenario::RawScenario);
            println!(
                "{}",
                serde_json::to_string_pretty(&schema).expect("schema serialises")
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate {
            preset,
            candidates,
            jurisdictions,
            departments,
            seed,
            name,
            out,
        } => {
            let mut opts = match preset.as_deref() {
                Some(p) => postfit::generate::preset(p).expect("clap checks preset names"),
                None => postfit::generate::GenerateOptions::default(),
            };
            opts.candidates = candidates.unwrap_or(opts.candidates);
            opts.jurisdictions = jurisdictions.unwrap_or(opts.jurisdictions);
            opts.departments = departments.unwrap_or(opts.departments);
            opts.seed = seed.unwrap_or(opts.seed);
            opts.name = name.unwrap_or(opts.name);
            if opts.jurisdictions == 0 {
                return Err(usage("--jurisdictions", "must be at least 1"));
            }
            // Far beyond any real re-election; bounds keep a typo from eating the machine.
            for (flag, value, most) in [
                ("--candidates", opts.candidates, 1_000_000),
                ("--jurisdictions", opts.jurisdictions, 10_000),
                ("--departments", opts.departments, 1_000),
            ] {
                if value > most {
                    return Err(usage(flag, &format!("must be at most {most}, got {value}")));
                }
            }
            let teams = opts.jurisdictions * (opts.departments + 3);
            if teams > 200_000 {
                return Err(usage(
                    "--jurisdictions",
                    &format!(
                        "{teams} teams in all (jurisdictions x (departments + 3)); at most 200000"
                    ),
                ));
            }
            let json = postfit::generate::to_json(&postfit::generate::generate(&opts));
            match out {
                Some(path) => write_atomically(&path, json.as_bytes())?,
                None => print!("{json}"),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn solve(args: &SolveArgs) -> Result<ExitCode, Error> {
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
        write_atomically(out, json.as_bytes())?;
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

fn check(scenario_path: &Path, plan_path: &Path, format: Format) -> Result<ExitCode, Error> {
    let (scenario, _raw, _sha) = postfit::load(scenario_path)?;
    let plan = read_plan(plan_path, &scenario)?;
    let report = check_plan(&scenario, &plan);
    match format {
        Format::Table => print!("{}", render::check_text(&scenario, &report)),
        Format::Json => {
            let doc = serde_json::json!({
                "ok": report.is_ok(),
                "violations": report.violations.iter().map(|v| v.message(&scenario)).collect::<Vec<_>>(),
                "objective": report.objective,
                "fit_total": report.fit_total,
                "penalty_total": report.penalty_total,
                "rules": postfit::plan::rules_out(&scenario, &report),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).expect("serialises")
            );
        }
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn inspect(path: &Path, format: Format) -> Result<ExitCode, Error> {
    let (scenario, _raw, _sha) = postfit::load(path)?;
    let report = postfit::inspect::inspect(&scenario);
    match format {
        Format::Table => print!("{}", postfit::inspect::render_text(&scenario, &report)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("serialises")
        ),
    }
    Ok(if report.has_impossibilities() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn explain(
    path: &Path,
    candidate: Option<&str>,
    post: Option<&str>,
    format: Format,
) -> Result<ExitCode, Error> {
    let (scenario, _raw, _sha) = postfit::load(path)?;
    let file = path.display().to_string();
    let unknown = |what: &str, id: &str| {
        Error::Input(postfit::InputError::new(
            &file,
            "",
            format!("unknown {what} \"{id}\" (--{what})"),
        ))
    };
    let post = post
        .map(|id| scenario.post_by_id(id).ok_or_else(|| unknown("post", id)))
        .transpose()?;
    let opts = SolveOptions::default();
    let text = match (candidate, post) {
        (Some(id), post) => {
            let c = scenario
                .candidate_by_id(id)
                .ok_or_else(|| unknown("candidate", id))?;
            let e = postfit::explain::explain_candidate(&scenario, c, post, &opts)?;
            match format {
                Format::Table => postfit::explain::render_candidate(&scenario, &e),
                Format::Json => serde_json::to_string_pretty(&e).expect("serialises") + "\n",
            }
        }
        (None, Some(p)) => {
            let e = postfit::explain::explain_post(&scenario, p, &opts)?;
            match format {
                Format::Table => postfit::explain::render_post(&scenario, &e),
                Format::Json => serde_json::to_string_pretty(&e).expect("serialises") + "\n",
            }
        }
        (None, None) => return Err(usage("explain", "give --candidate ID, --post ID, or both")),
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

fn usage(flag: &str, reason: &str) -> Error {
    Error::Input(postfit::InputError::new(flag, "", reason))
}

/// A spinner with elapsed time on stderr, shown only when stderr is a terminal.
fn progress(msg: &str) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    pb.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    pb.set_message(msg.to_string());
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// Writes a file via a temporary file in the same folder and a rename, so an interrupted run
/// never leaves half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let err = |e: std::io::Error| Error::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    #[cfg(unix)]
    {
        // The temporary file is created private (0600); a plan is an ordinary file.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}
