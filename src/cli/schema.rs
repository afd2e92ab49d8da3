//! `postfit schema`: prints the JSON Schema of the scenario format.

use std::process::ExitCode;

use postfit::error::Error;

/// Prints the schema generated from the loader's own types.
pub fn run() -> Result<ExitCode, Error> {
    let schema = schemars::schema_for!(postfit::scenario::RawScenario);
    super::output::print_out(
        &(serde_json::to_string_pretty(&schema).expect("schema serialises") + "\n"),
    )?;
    Ok(ExitCode::SUCCESS)
}
