//! Shared pieces of the `postfit` command line: output formats, usage errors, progress on
//! stderr and atomic file writes. One file per command sits beside this one (as in ripgrep and
//! cargo); each parses its own arguments, calls the library and renders. No logic lives here.

pub mod check;
pub mod conventions;
pub mod convert;
pub mod diff;
pub mod explain;
pub mod generate;
pub mod inspect;
pub mod out_format;
pub mod output;
pub mod report;
pub mod schema;
pub mod slate;
pub mod solve;
pub mod sweep;
pub mod template;

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
    /// The tables as tab-separated values, for plain pipes (cut, awk, spreadsheets).
    Tsv,
}

impl Format {
    /// Sets the renderers' table mode for this format (call before rendering) and returns it.
    pub fn apply(self) -> Format {
        postfit::render::set_tsv(self == Format::Tsv);
        self
    }
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
    // Spinner messages quote the scenario's name and ids: escaped like every data value.
    pb.set_message(postfit::render::escape(msg).into_owned());
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// Writes a file via a temporary file in the same folder and a rename, so an interrupted run
/// never leaves half a file. Prefer [`output::OutTarget`], which also checks `--out` first.
#[allow(dead_code)] // kept for commands that write files without an `--out` check
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    // Registered for removal on SIGINT/SIGTERM while it is written (see `output`).
    output::write_file(path, &path.display().to_string(), bytes)
}
