//! `postfit check SCENARIO PLAN`: verifies any plan with the independent checker.

use std::path::PathBuf;
use std::process::ExitCode;

use postfit::check::check_plan;
use postfit::error::Error;
use postfit::plan::{plan_warnings, read_plan_with_claims};
use postfit::render;

use super::conventions::one_stdin;
use super::output::{print_out, print_table};
use super::Format;

/// Arguments of `postfit check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// The scenario: a JSON file (see `postfit schema`), a workbook (.xlsx/.xls/.ods) or a
    /// folder of CSV files (docs/workbook.md); - reads JSON from stdin.
    pub scenario: PathBuf,
    /// The plan to verify (from `postfit solve --out`, JSON or .xlsx, or written by hand); -
    /// reads stdin.
    pub plan: PathBuf,
    /// Output on stdout: a readable report, JSON, or tables as tab-separated values.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// Runs `check`: exit 0 when the plan breaks nothing, 1 otherwise.
pub fn run(args: &CheckArgs) -> Result<ExitCode, Error> {
    one_stdin(&[&args.scenario, &args.plan])?;
    let (scenario, _raw, sha) = postfit::load(&args.scenario)?;
    let (plan, claims) = read_plan_with_claims(&args.plan, &scenario)?;
    let report = check_plan(&scenario, &plan);
    if !(report.objective.is_finite() && report.fit_total.is_finite()) {
        // Validation keeps every number finite (issue 7): a NaN here is a bug, never a verdict.
        return Err(Error::Solver(format!(
            "internal error: the checker computed a non-finite objective ({}); please report \
             this with the scenario",
            report.objective
        )));
    }
    // Warnings do not change the verdict or the exit code; they go to stderr (and into JSON).
    let warnings = plan_warnings(&scenario, &sha, &claims, report.objective);
    for w in &warnings {
        super::output::say(&format!("warning: {}: {w}", args.plan.display()));
    }
    match args.format.apply() {
        Format::Table | Format::Tsv => print_table(&render::check_text(&scenario, &report))?,
        Format::Json => {
            // One `warnings` list: the plan's own (ineligible decided placements, spec 1.1),
            // then what the plan file claims about itself. (Two `warnings` keys in one
            // `json!` kept only the second: the spec's warning was lost.)
            let all: Vec<String> = report
                .warnings
                .iter()
                .map(|w| w.message(&scenario))
                .chain(warnings.iter().cloned())
                .collect();
            let doc = serde_json::json!({
                "ok": report.is_ok(),
                "violations": report.violations.iter().map(|v| v.message(&scenario)).collect::<Vec<_>>(),
                "warnings": all,
                "objective": report.objective,
                "fit_total": report.fit_total,
                "penalty_total": report.penalty_total,
                "rules": postfit::plan::rules_out(&scenario, &report),
            });
            print_out(&(serde_json::to_string_pretty(&doc).expect("serialises") + "\n"))?;
        }
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
