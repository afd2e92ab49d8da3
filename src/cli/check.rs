//! `postfit check SCENARIO PLAN`: verifies any plan with the independent checker.

use std::path::PathBuf;
use std::process::ExitCode;

use postfit::check::check_plan;
use postfit::error::Error;
use postfit::plan::read_plan;
use postfit::render;

use super::Format;

/// Arguments of `postfit check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// The scenario: a JSON file (see `postfit schema`), a workbook (.xlsx/.xls/.ods) or a folder of CSV files (docs/workbook.md).
    pub scenario: PathBuf,
    /// The plan to verify (from `postfit solve --out`, JSON or .xlsx, or written by hand).
    pub plan: PathBuf,
    /// Output on stdout: a readable report, or JSON.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// Runs `check`: exit 0 when the plan breaks nothing, 1 otherwise.
pub fn run(args: &CheckArgs) -> Result<ExitCode, Error> {
    let (scenario, _raw, _sha) = postfit::load(&args.scenario)?;
    let plan = read_plan(&args.plan, &scenario)?;
    let report = check_plan(&scenario, &plan);
    match args.format {
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
