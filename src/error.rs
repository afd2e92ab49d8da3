//! Errors shown to users: bad input names the file, the JSON path and the reason, on one line.

use std::fmt;

/// Bad input: a file that cannot be read, parsed or validated. Exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file as the user named it.
    pub file: String,
    /// JSON path of the offending value, e.g. `candidates[17].rank`; empty for the whole file.
    pub path: String,
    /// What is wrong, in the user's terms.
    pub reason: String,
}

impl InputError {
    pub fn new(
        file: impl Into<String>,
        path: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        InputError {
            file: file.into(),
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.file, self.reason)
        } else {
            write!(f, "{}: {}: {}", self.file, self.path, self.reason)
        }
    }
}

impl std::error::Error for InputError {}

/// Any failure of a postfit command, mapped to an exit code by the CLI.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input or usage (exit 2).
    #[error("{0}")]
    Input(#[from] InputError),
    /// A file could not be written.
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },
    /// The solver failed in a way that is not the user's fault.
    #[error("solver error: {0}")]
    Solver(String),
    /// A plan produced by the solver failed the independent checker: a bug in postfit.
    #[error("internal error: the solver's plan failed the independent check ({0}); the plan was not written. Please report this with the scenario.")]
    PlanRejected(String),
}
