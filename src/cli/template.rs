//! `postfit template OUT.xlsx`: an empty scenario workbook to fill in, with instructions.

use std::path::PathBuf;
use std::process::ExitCode;

use postfit::error::Error;

use super::output::OutTarget;
use super::usage;

/// Arguments of `postfit template`.
#[derive(clap::Args)]
pub struct TemplateArgs {
    /// Where to write the template (must end in .xlsx; never an existing file).
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
    // A template is blank: it never replaces a file that exists (a filled-in roster run
    // through `template` again would be lost), nor a directory or a device.
    let named = args.output.display().to_string();
    if std::fs::symlink_metadata(&args.output).is_ok() {
        return Err(usage(
            "OUTPUT",
            &format!(
                "{named}: exists; a template would replace what is in it (remove it first or \
                 choose another name)"
            ),
        ));
    }
    let out = OutTarget::check(&args.output, &[]).map_err(|e| match e {
        Error::Input(mut ie) if ie.file == "--out" => {
            ie.file = "OUTPUT".to_string();
            Error::Input(ie)
        }
        e => e,
    })?;
    let bytes = postfit::workbook::template_xlsx().map_err(|reason| Error::Write {
        path: args.output.display().to_string(),
        reason,
    })?;
    // Checked above, and again by the rename: a file that appears meanwhile is kept.
    out.write_new(&bytes)?;
    super::output::say(&format!(
        "wrote {}: fill it in (one example row per sheet), then run `postfit solve {}`",
        args.output.display(),
        args.output.display()
    ));
    Ok(ExitCode::SUCCESS)
}
