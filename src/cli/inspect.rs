//! `postfit inspect SCENARIO`: the supply check, without running the solver.

use std::path::PathBuf;
use std::process::ExitCode;

use postfit::error::Error;

use super::output::{print_out, print_table};
use super::Format;

/// Arguments of `postfit inspect`.
#[derive(clap::Args)]
pub struct InspectArgs {
    /// The scenario: a JSON file (see `postfit schema`), a workbook (.xlsx/.xls/.ods) or a
    /// folder of CSV files (docs/workbook.md); - reads JSON from stdin.
    pub scenario: PathBuf,
    /// Output on stdout: readable tables, JSON, or tables as tab-separated values.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// Runs `inspect`: exit 3 when it proves the scenario infeasible, else 0.
pub fn run(args: &InspectArgs) -> Result<ExitCode, Error> {
    let (scenario, _raw, _sha) = postfit::load(&args.scenario)?;
    let report = postfit::inspect::inspect(&scenario);
    match args.format.apply() {
        Format::Table | Format::Tsv => {
            print_table(&postfit::inspect::render_text(&scenario, &report))?
        }
        Format::Json => {
            print_out(&(serde_json::to_string_pretty(&report).expect("serialises") + "\n"))?
        }
    }
    Ok(if report.has_impossibilities() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}
