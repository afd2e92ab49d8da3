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
            let line = number_line(&e).unwrap_or_else(|| clap_line(&e));
            super::output::say(&line);
            ExitCode::from(2)
        }
    }
}

/// A whole-number option's value that is not a whole number of at least `MIN` (`-1`, `1.5`,
/// `x`): the reason in the command's own words, shown as `FLAG: reason` by [`clap_error`].
#[derive(Debug)]
pub struct NotWholeNumber {
    /// The smallest value the option takes.
    min: u64,
    /// The text given.
    got: String,
}

impl std::fmt::Display for NotWholeNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.min {
            0 => write!(f, "must be a whole number (0 or more), got {}", self.got),
            min => write!(
                f,
                "must be a whole number of at least {min}, got {}",
                self.got
            ),
        }
    }
}

impl std::error::Error for NotWholeNumber {}

/// The value parser of every whole-number option (`--k`, `--threads`, `generate --candidates`,
/// ...): digits only, at most `T::MAX`; declare it with `allow_negative_numbers = true` so that
/// `-1` reaches it instead of being read as a flag. `MIN` only words the error: each command
/// checks its own lower bound (so `0` keeps its command-specific message).
pub fn whole_number<T: std::str::FromStr, const MIN: u64>(text: &str) -> Result<T, NotWholeNumber> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let not_whole = || NotWholeNumber {
        min: MIN,
        got: text.to_string(),
    };
    if !digits {
        return Err(not_whole());
    }
    text.parse::<T>().map_err(|_| NotWholeNumber {
        min: MIN,
        got: format!("{text} (too large)"),
    })
}

/// `FLAG: reason` for a number option clap could not parse: a whole-number option's own
/// wording ([`whole_number`]), or for any other integer or decimal option the kind of number
/// it takes, instead of Rust's "invalid digit found in string".
fn number_line(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::ValueValidation {
        return None;
    }
    let flag = match e.get(ContextKind::InvalidArg)? {
        ContextValue::String(s) => s.split_whitespace().next()?.to_string(),
        _ => return None,
    };
    let got = match e.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(s)) => s.clone(),
        _ => String::new(),
    };
    let source = std::error::Error::source(e)?;
    let reason = if let Some(w) = source.downcast_ref::<NotWholeNumber>() {
        w.to_string()
    } else if source.is::<std::num::ParseIntError>() {
        format!("must be a whole number, got {got}")
    } else if source.is::<std::num::ParseFloatError>() {
        format!("must be a number, got {got}")
    } else {
        return None;
    };
    Some(format!("{flag}: {reason}"))
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

/// The ids of a comma-separated id list flag (`--posts a,b`), as clap split them at the commas,
/// as typed: the caller matches an id exactly first and trimmed second (`"a, b"` finds `a` and
/// `b`; an id `" P1"` that exists is found as such, never as `P1`). An empty id (`a,,b`, a
/// trailing comma, `""`) is a usage error naming the flag (exit 2).
pub fn id_list(flag: &str, given: &[String]) -> Result<Vec<String>, Error> {
    let joined = given.join(",");
    given
        .iter()
        .map(|id| {
            if id.trim().is_empty() {
                Err(usage(
                    flag,
                    &format!(
                        "empty id in \"{joined}\": give ids separated by single commas, \
                         with no comma at either end"
                    ),
                ))
            } else {
                Ok(id.to_string())
            }
        })
        .collect()
}

/// Checks `--time-limit S`, one rule for every command: a finite number of seconds above 0
/// (exit 2 otherwise; a huge one is no limit, see `Deadline::after_secs_from`).
pub fn check_time_limit(limit: Option<f64>) -> Result<(), Error> {
    match limit {
        Some(t) if !(t.is_finite() && t > 0.0) => Err(usage(
            "--time-limit",
            "must be a finite number of seconds above 0",
        )),
        _ => Ok(()),
    }
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
        super::output::say(&format!(
            "warning: POSTFIT_SOLVER_LOG={}: {}; the solver log is off",
            Path::new(&file).display(),
            super::output::io_reason(&e)
        ));
        std::env::remove_var("POSTFIT_SOLVER_LOG");
    }
}
