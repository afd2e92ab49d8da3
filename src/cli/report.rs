//! `postfit report SCENARIO [PLAN.json ...]`: the fit-rate report of one or more plans beside a
//! greedy baseline, as HTML, Markdown and CSV (Markdown on stdout when no output is named).

use std::path::PathBuf;
use std::process::ExitCode;

use postfit::error::Error;
use postfit::plan::{read_plan, solve_scenario, Status};
use postfit::report::{self, PlanSpec, GREEDY_LABEL};
use postfit::solve::SolveOptions;

use super::{progress, usage, write_atomically};

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
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
}

/// Runs `report`: exit 0 when the report is written.
pub fn run(args: &ReportArgs) -> Result<ExitCode, Error> {
    if let Some(t) = args.time_limit {
        if !(t.is_finite() && t > 0.0) {
            return Err(usage(
                "--time-limit",
                "must be a positive number of seconds",
            ));
        }
    }
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
    let (scenario, _raw, _sha) = postfit::load(&args.scenario)?;
    let mut specs = Vec::new();
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
                eprintln!(
                    "postfit: {}: hard rules and must-fill posts cannot all hold; reporting the plan of the minimal relaxation (\"relaxed\"), which breaks what `postfit solve` diagnoses",
                    args.scenario.display()
                );
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
                eprintln!(
                    "postfit: {}: no plan found ({}); reporting the greedy baseline only",
                    args.scenario.display(),
                    sol.status.as_str()
                );
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
    if let Some(path) = &args.html {
        write_atomically(path, report::html::html(&scenario, &r)?.as_bytes())?;
        wrote = true;
    }
    let md = report::text::markdown(&scenario, &r);
    if let Some(path) = &args.markdown {
        write_atomically(path, md.as_bytes())?;
        wrote = true;
    }
    if let Some(dir) = &args.csv {
        std::fs::create_dir_all(dir).map_err(|e| Error::Write {
            path: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let files = report::text::csv_files(&scenario, &r).map_err(|e| Error::Write {
            path: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        for (name, bytes) in files {
            write_atomically(&dir.join(name), &bytes)?;
        }
        wrote = true;
    }
    if !wrote {
        super::output::print_out(&md)?;
    }
    Ok(ExitCode::SUCCESS)
}
