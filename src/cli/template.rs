//! `postfit template OUT.xlsx`: an empty scenario workbook to fill in, with instructions.

use std::path::PathBuf;
use std::process::ExitCode;

use postfit::error::Error;

use super::{usage, write_atomically};

/// Arguments of `postfit template`.
#[derive(clap::Args)]
pub struct TemplateArgs {
    /// Where to write the template (must end in .xlsx).
    pub output: PathBuf,
}

/// Runs `template`: writes every sheet with bilingual headers, one example row each,
/// drop-down lists and an instructions sheet.
pub fn run(args: &TemplateArgs) -> Result<ExitCode, Error> {
    let is_xlsx = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Err(usage(
            &args.output.display().to_string(),
            "the template must end in .xlsx",
        ));
    }
    let bytes = postfit::workbook::template_xlsx().map_err(|reason| Error::Write {
        path: args.output.display().to_string(),
        reason,
    })?;
    write_atomically(&args.output, &bytes)?;
    eprintln!(
        "postfit: wrote {}: fill it in (one example row per sheet), then run `postfit solve {}`",
        args.output.display(),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
