//! `postfit report SCENARIO [PLAN.json ...]`: the fit-rate report of one or more plans beside a
//! greedy baseline, as HTML, Markdown and CSV (Markdown on stdout when no output is named).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use postfit::error::Error;
use postfit::plan::{read_plan, solve_scenario, Status};
use postfit::report::{self, PlanSpec, GREEDY_LABEL};
use postfit::solve::SolveOptions;

use super::output::OutTarget;
use super::{out_format, progress, usage};

/// Arguments of `postfit report`.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// The scenario file (JSON, see `postfit schema`).
    pub scenario: PathBuf,
    /// Plans to report and compare (from `postfit solve --out`, or written by hand). None: solve
    /// the scenario and report the optimal plan.
    pub plans: Vec<PathBuf>,
    /// Write the report as one self-contained HTML page (charts inline, no network).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write the report's tables as Markdown.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Write one CSV file per table (UTF-8 with a byte-order mark) into this folder.
    #[arg(long, value_name = "DIR")]
    pub csv: Option<PathBuf>,
    /// Name of each plan in the report, in order (default: the plan file's name, or `optimal`).
    #[arg(long = "label", value_name = "NAME")]
    pub labels: Vec<String>,
    /// Time limit for solving when no plan is given, in seconds.
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    pub time_limit: Option<f64>,
}

/// Runs `report`: exit 0 when the report is written.
pub fn run(args: &ReportArgs) -> Result<ExitCode, Error> {
    super::conventions::check_time_limit(args.time_limit)?;
    let n_plans = args.plans.len().max(1);
    if args.labels.len() > n_plans {
        return Err(usage(
            "--label",
            &format!(
                "{} labels for {n_plans} plan(s): give at most one per plan",
                args.labels.len()
            ),
        ));
    }
    // A plan's label names it in every table and chart: an empty one would name nothing (it
    // rendered as `****` in Markdown).
    if args.labels.iter().any(|l| l.trim().is_empty()) {
        return Err(usage("--label", "a label may not be empty"));
    }
    // Outputs are checked before any work: never an input (the scenario or a plan), never a
    // directory or a device, never the same file twice, and named for what they hold.
    let inputs: Vec<&Path> = std::iter::once(args.scenario.as_path())
        .chain(args.plans.iter().map(PathBuf::as_path))
        .collect();
    super::conventions::one_stdin(&inputs)?;
    let html_out = match &args.html {
        Some(p) => {
            out_format::by_extension(
                "--html",
                p,
                "the report is",
                &[("html", ()), ("htm", ())],
                (),
            )?;
            Some(OutTarget::check(p, &inputs).map_err(|e| renamed(e, "--html"))?)
        }
        None => None,
    };
    let md_out = match &args.markdown {
        Some(p) => {
            out_format::by_extension(
                "--markdown",
                p,
                "the report's tables are",
                &[("md", ()), ("markdown", ()), ("txt", ())],
                (),
            )?;
            Some(OutTarget::check(p, &inputs).map_err(|e| renamed(e, "--markdown"))?)
        }
        None => None,
    };
    match (&html_out, &md_out) {
        (Some(OutTarget::File { path: a, .. }), Some(OutTarget::File { path: b, named }))
            if a == b =>
        {
            return Err(usage(
                "--markdown",
                &format!("{named}: is also the --html file; give each its own file"),
            ));
        }
        (Some(OutTarget::Stdout), Some(OutTarget::Stdout)) => {
            return Err(usage(
                "--markdown",
                "-: --html is stdout already; give one of them a file",
            ));
        }
        _ => {}
    }
    if let Some(dir) = &args.csv {
        check_csv_dir(dir, &inputs)?;
    }
    let (scenario, _raw, _sha) = postfit::load(&args.scenario)?;
    let mut specs = Vec::new();
    // Exit 4 when the time limit ran out before the plan to report was found, as in every
    // command (the report still shows the greedy baseline, and says so).
    let mut timed_out = false;
    if args.plans.is_empty() {
        let opts = SolveOptions {
            time_limit: args.time_limit,
            ..Default::default()
        };
        let spinner = progress(&format!("solving {}", scenario.name));
        let sol = solve_scenario(&scenario, &opts);
        spinner.finish_and_clear();
        let sol = sol?;
        let (placements, source, label) = match (&sol.report, &sol.relaxed) {
            (Some(r), _) => (
                r.placements.iter().map(|p| (p.post, p.candidate)).collect(),
                format!("postfit solve: {}", sol.status.as_str()),
                sol.status.as_str().to_string(),
            ),
            (None, Some(rel)) if sol.status == Status::Infeasible => {
                super::output::say(&format!(
                    "{}: hard rules and must-fill posts cannot all hold; reporting the plan of the minimal relaxation (\"relaxed\"), which breaks what `postfit solve` diagnoses",
                    args.scenario.display()
                ));
                (
                    rel.report
                        .placements
                        .iter()
                        .map(|p| (p.post, p.candidate))
                        .collect(),
                    "postfit solve: infeasible; the plan of the minimal relaxation".to_string(),
                    "relaxed".to_string(),
                )
            }
            _ => {
                // Infeasible without a relaxed plan: the time ran out before the relaxation.
                timed_out = true;
                let why = match sol.status {
                    Status::Infeasible => {
                        "the hard rules and must-fill posts cannot all hold, and the time limit \
                         ran out before the closest workable plan was found"
                    }
                    other => other.no_plan_reason(),
                };
                super::output::say(&format!(
                    "{}: no plan: {why}; reporting the greedy baseline only",
                    args.scenario.display(),
                ));
                (Vec::new(), String::new(), String::new())
            }
        };
        if !label.is_empty() {
            specs.push(PlanSpec {
                label: args.labels.first().cloned().unwrap_or(label),
                source,
                placements,
            });
        }
    } else {
        for (i, path) in args.plans.iter().enumerate() {
            let placements = read_plan(path, &scenario)?;
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| format!("plan {}", i + 1));
            specs.push(PlanSpec {
                label: args.labels.get(i).cloned().unwrap_or(stem),
                source: format!("file {}", path.display()),
                placements,
            });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for s in &specs {
        if s.label == GREEDY_LABEL || !seen.insert(s.label.clone()) {
            return Err(usage(
                "--label",
                &format!(
                    "plan name \"{}\" is used twice (\"{GREEDY_LABEL}\" is the baseline's); name the plans with --label",
                    s.label
                ),
            ));
        }
    }
    let r = report::build(&scenario, specs);
    let mut wrote = false;
    if let Some(out) = &html_out {
        out.write(report::html::html(&scenario, &r)?.as_bytes())?;
        wrote = true;
    }
    let md = report::text::markdown(&scenario, &r);
    if let Some(out) = &md_out {
        out.write(md.as_bytes())?;
        wrote = true;
    }
    if let Some(dir) = &args.csv {
        let files = report::text::csv_files(&scenario, &r).map_err(|e| Error::Write {
            path: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        // Every file is checked before the first is written (none may be an input).
        let mut targets = Vec::new();
        for (name, bytes) in files {
            let target = if dir.exists() {
                OutTarget::check(&dir.join(&name), &inputs).map_err(|e| renamed(e, "--csv"))?
            } else {
                OutTarget::File {
                    path: dir.join(&name),
                    named: dir.join(&name).display().to_string(),
                }
            };
            targets.push((target, bytes));
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::Write {
            path: dir.display().to_string(),
            reason: super::output::io_reason(&e),
        })?;
        for (target, bytes) in targets {
            target.write(&bytes)?;
        }
        wrote = true;
    }
    if !wrote {
        super::output::print_out(&md)?;
    }
    Ok(if timed_out {
        ExitCode::from(4)
    } else {
        ExitCode::SUCCESS
    })
}

/// An `--out` refusal worded for the report's own flag (`--html`, `--markdown`, `--csv`).
fn renamed(e: Error, flag: &str) -> Error {
    match e {
        Error::Input(mut ie) if ie.file == "--out" => {
            ie.file = flag.to_string();
            Error::Input(ie)
        }
        e => e,
    }
}

/// `--csv DIR`: an existing directory, or a path whose nearest existing ancestor is a directory
/// (the folders are created); never a file or a device, and never a folder given as an input
/// (a CSV-folder scenario: the report's `rules.csv` would replace the scenario's, and its
/// other tables would sit among the scenario's files). Checked before any work.
fn check_csv_dir(dir: &Path, inputs: &[&Path]) -> Result<(), Error> {
    let named = dir.display().to_string();
    if dir.as_os_str().is_empty() || dir == Path::new("-") {
        return Err(usage("--csv", "give a folder for the CSV files"));
    }
    if let Some(input) = inputs
        .iter()
        .find(|i| i.is_dir() && super::output::same_file(dir, i))
    {
        return Err(usage(
            "--csv",
            &format!(
                "{named}: is the folder of the input {}; give the report's CSV files a folder of their own",
                input.display()
            ),
        ));
    }
    let mut at = Some(dir);
    while let Some(p) = at {
        if p.as_os_str().is_empty() {
            return Ok(());
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => return Ok(()),
            Ok(_) if p == dir => {
                return Err(usage(
                    "--csv",
                    &format!("{named}: is not a folder (the CSV files go into a folder)"),
                ))
            }
            Ok(_) => {
                return Err(usage(
                    "--csv",
                    &format!("{named}: {} is not a folder", p.display()),
                ))
            }
            Err(_) => at = p.parent(),
        }
    }
    Ok(())
}
