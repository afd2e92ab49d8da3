//! `postfit inspect SCENARIO`: the supply check, without running the solver.

use std::path::PathBuf;
use std::process::ExitCode;

use postfit::error::Error;

use super::Format;

/// Arguments of `postfit inspect`.
#[derive(clap::Args)]
pub struct InspectArgs {
    /// The scenario: a JSON file (see `postfit schema`), a workbook (.xlsx/.xls/.ods) or a folder of CSV files (docs/workbook.md).
    pub scenario: PathBuf,
    /// Output on stdout: readable tables, or JSON.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// Runs `inspect`: exit 3 when it proves the scenario infeasible, else 0.
pub fn run(args: &InspectArgs) -> Result<ExitCode, Error> {
    let (scenario, _raw, _sha) = postfit::load(&args.scenario)?;
    let report = postfit::inspect::inspect(&scenario);
    match args.format {
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
