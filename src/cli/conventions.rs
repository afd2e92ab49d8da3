//! Standard command-line conventions shared by every command (issue 13 items 2 and 5): usage
//! errors in one line, bounded `--threads`, `-` for stdin, the exit-code table of `--help`.

use std::path::Path;
use std::process::ExitCode;

use postfit::error::Error;

use super::usage;

/// The exit codes, as `postfit --help` lists them (spec "Exit codes").
pub const EXIT_CODES: &str = "\
Exit codes:
  0    done; for check: the plan breaks nothing
  1    check: the plan breaks at least one rule
  2    bad input or usage (one line: file, JSON path, reason), or output that cannot be written
  3    solve: hard rules and must-fill posts cannot all hold (the diagnosis is printed)
  4    the time limit ran out before any plan was found (no plan file is written)
  5    internal error: a solver failure, or a plan the independent checker rejects
  130  interrupted by SIGINT (Ctrl-C); no partial file is left
  143  terminated by SIGTERM; no partial file is left

A file argument of - reads stdin; --out - writes stdout.";

/// Turns a clap error into postfit's one-line usage error (exit 2), keeping the `--help` hint;
/// `--help` and `--version` print as clap renders them and exit 0.
pub fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let text = e.render().to_string();
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                // `postfit` alone: a usage error, so the help goes to stderr.
                eprint!("{text}");
                return ExitCode::from(2);
            }
            // A help text sent to a closed pipe is still a success.
            let _ = super::output::print_out(&text);
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("postfit: {}", clap_line(&e));
            ExitCode::from(2)
        }
    }
}

/// One line from clap's multi-line message: `usage: REASON (see postfit CMD --help)`.
pub fn clap_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    // The first paragraph, joined (clap lists missing arguments on the lines below).
    let reason = text
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let reason = reason.trim_start_matches("error: ");
    let reason = if reason.is_empty() {
        "invalid arguments"
    } else {
        reason
    };
    // clap's last line names the help to try ("For more information, try '--help'.").
    let command = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Usage: "))
        .map(|u| {
            u.split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|c| !c.is_empty())
        .or_else(|| {
            // Without a usage line (an invalid value), the command is the first word argument.
            std::env::args()
                .skip(1)
                .find(|a| !a.starts_with('-'))
                .filter(|a| {
                    e.kind() != clap::error::ErrorKind::InvalidSubcommand
                        && a.chars().all(|c| c.is_ascii_lowercase())
                })
                .map(|a| format!("postfit {a}"))
        })
        .unwrap_or_else(|| "postfit".to_string());
    format!("usage: {reason} (see {command} --help)")
}

/// At most this many worker threads per available core.
pub const THREADS_PER_CORE: usize = 4;

/// Checks `--threads N`: at least 1 and at most 4 x the available cores (exit 2 otherwise).
pub fn check_threads(n: usize) -> Result<(), Error> {
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let most = THREADS_PER_CORE * cores;
    if n == 0 {
        return Err(usage("--threads", "must be at least 1"));
    }
    if n > most {
        return Err(usage(
            "--threads",
            &format!(
                "must be at most {most} ({THREADS_PER_CORE} x {cores} available cores), got {n}"
            ),
        ));
    }
    Ok(())
}

/// Refuses two inputs both read from stdin (`-`).
pub fn one_stdin(inputs: &[&Path]) -> Result<(), Error> {
    if inputs.iter().filter(|p| **p == Path::new("-")).count() > 1 {
        return Err(usage("-", "only one input can be read from stdin"));
    }
    Ok(())
}

/// `POSTFIT_SOLVER_LOG=FILE` that cannot be appended to is a warning, not an error: the log is
/// turned off and the command goes on. Call before any thread starts (it edits the
/// environment).
pub fn check_solver_log() {
    let Some(file) = std::env::var_os("POSTFIT_SOLVER_LOG").filter(|f| !f.is_empty()) else {
        return;
    };
    let opened = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file);
    if let Err(e) = opened {
        eprintln!(
            "postfit: warning: POSTFIT_SOLVER_LOG={}: {}; the solver log is off",
            Path::new(&file).display(),
            super::output::io_reason(&e)
        );
        std::env::remove_var("POSTFIT_SOLVER_LOG");
    }
}
