//! `postfit convert IN OUT`: a scenario between JSON and workbook (`.xlsx`), both ways,
//! losslessly. The input is validated first, so a converted file always loads.

use std::path::PathBuf;
use std::process::ExitCode;

use postfit::error::Error;

use super::output::OutTarget;
use super::usage;

/// Arguments of `postfit convert`.
#[derive(clap::Args)]
pub struct ConvertArgs {
    /// The scenario to read: JSON, a workbook (.xlsx, .xls, .ods) or a folder of CSV files.
    pub input: PathBuf,
    /// Where to write it: a `.json` or `.xlsx` file (the extension picks the format).
    pub output: PathBuf,
}

/// Runs `convert`: exit 0 when written, 2 on bad input.
pub fn run(args: &ConvertArgs) -> Result<ExitCode, Error> {
    let ext = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("json" | "xlsx")) {
        return Err(usage(
            &args.output.display().to_string(),
            "the output must end in .json or .xlsx",
        ));
    }
    // Checked before reading: never the input itself (convert X X would replace the user's
    // workbook or JSON with the regenerated one), never a directory or a device.
    let out = OutTarget::check(&args.output, &[args.input.as_path()]).map_err(|e| match e {
        Error::Input(mut ie) if ie.file == "--out" => {
            ie.file = "OUTPUT".to_string();
            Error::Input(ie)
        }
        e => e,
    })?;
    if postfit::workbook::is_workbook(&args.input) {
        for note in postfit::workbook::read_raw(&args.input)?.notes {
            super::output::say(&format!("{}: {note}", args.input.display()));
        }
    }
    let (_scenario, raw, _sha) = postfit::load(&args.input)?;
    let bytes = if ext.as_deref() == Some("json") {
        (serde_json::to_string_pretty(&raw).expect("scenarios serialise") + "\n").into_bytes()
    } else {
        // Lossless or refused: a value a workbook cannot keep (text with surrounding spaces,
        // which cells are read trimmed, an empty text, a text too long for a cell) is named by
        // its JSON path, and what is written is read back and compared before it is saved.
        let input = args.input.display().to_string();
        let refuse = |(path, reason): (String, String)| {
            Error::Input(postfit::error::InputError::new(&input, path, reason))
        };
        if let Some(r) = postfit::workbook::unwritable(&raw) {
            return Err(refuse(r));
        }
        let bytes = postfit::workbook::scenario_xlsx(&raw).map_err(|reason| Error::Write {
            path: args.output.display().to_string(),
            reason,
        })?;
        if let Some(r) = postfit::workbook::reads_back_differently(&raw, &bytes) {
            return Err(refuse(r));
        }
        bytes
    };
    out.write(&bytes)?;
    super::output::say(&format!(
        "wrote {} ({} candidates, {} posts, {} teams)",
        args.output.display(),
        raw.candidates.len(),
        raw.posts.len(),
        raw.teams.len()
    ));
    Ok(ExitCode::SUCCESS)
}
