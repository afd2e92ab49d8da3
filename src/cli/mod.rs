//! Shared pieces of the `postfit` command line: output formats, usage errors, progress on
//! stderr and atomic file writes. One file per command sits beside this one (as in ripgrep and
//! cargo); each parses its own arguments, calls the library and renders. No logic lives here.

pub mod check;
pub mod convert;
pub mod explain;
pub mod generate;
pub mod inspect;
pub mod schema;
pub mod solve;
pub mod template;

use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use postfit::error::Error;

/// What a command prints on stdout.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Format {
    /// Readable tables.
    Table,
    /// JSON for programs.
    Json,
}

/// A usage error (exit 2) in the same one-line style as input errors: `FLAG: reason`.
pub fn usage(flag: &str, reason: &str) -> Error {
    Error::Input(postfit::InputError::new(flag, "", reason))
}

/// A spinner with elapsed time on stderr, shown only when stderr is a terminal.
pub fn progress(msg: &str) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    pb.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    pb.set_message(msg.to_string());
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// Writes a file via a temporary file in the same folder and a rename, so an interrupted run
/// never leaves half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let err = |e: std::io::Error| Error::Write {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    #[cfg(unix)]
    {
        // The temporary file is created private (0600); a plan is an ordinary file.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}
