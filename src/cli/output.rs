//! Output that cannot hurt (issue 7 item 4, issue 13 item 2): where `--out` may write, checked
//! before any long work; stdout that survives a closed pipe and reports a full disk in one line;
//! temporary files removed when SIGINT or SIGTERM arrives.
//!
//! Choices (README "Output safety"):
//! - A closed stdout (`postfit solve X | head`) is not an error: postfit stops writing to it,
//!   says nothing, and exits with the code the command would have had (0 for a plan).
//! - Any other write error (full disk, I/O error) is one line `postfit: cannot write stdout:
//!   REASON` and exit 2.
//! - SIGINT / SIGTERM: temporary files being written are removed, one line is printed, and the
//!   process exits 130 / 143 (128 + signal number, as shells report it).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use postfit::error::Error;

use super::usage;

/// Set once stdout turned out to be a closed pipe: later writes are dropped quietly.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Temporary files being written right now; the signal handler removes them.
static TEMP_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Writes `text` to stdout (locked, flushed). A closed pipe ends output quietly (`Ok`); any
/// other error is `Error::Write` naming stdout.
pub fn print_out(text: &str) -> Result<(), Error> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(Error::Write {
            path: "stdout".to_string(),
            reason: io_reason(&e),
        }),
    }
}

/// Writes a rendered table text to stdout: control characters and bidi overrides escaped
/// (data cannot drive the terminal), and as tab-separated values in `--format tsv`.
pub fn print_table(text: &str) -> Result<(), Error> {
    let safe = postfit::render::escape_text(text);
    if postfit::render::tsv() {
        print_out(&postfit::render::tsv_text(&safe))
    } else {
        print_out(&safe)
    }
}

/// Writes one message to stderr after `postfit: `, with control characters, line breaks and
/// bidi overrides escaped as in table cells (`U+202E` -> `\u{202e}`, a newline -> `\u{a}`):
/// errors and warnings quote names, ids and paths from the input, and none of them may drive
/// the terminal or fake a line of its own (README, "Output safety"). One message, one line.
pub fn say(message: &str) {
    eprintln!("postfit: {}", postfit::render::escape(message));
}

/// An I/O error as one short line, without Rust's `(os error N)` suffix.
pub fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Installs the SIGINT/SIGTERM handler once: it removes the temporary files being written,
/// prints one line and exits 130 (SIGINT) or 143 (SIGTERM).
pub fn install_signal_handler() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return; // Without a handler the default action (terminate) still applies.
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            // Waits for a write in progress to finish its rename, so no half file is left and
            // no finished file is removed.
            let files = TEMP_FILES.lock().unwrap_or_else(|e| e.into_inner());
            for f in files.iter() {
                let _ = std::fs::remove_file(f);
            }
            let name = if sig == SIGINT { "SIGINT" } else { "SIGTERM" };
            eprintln!("postfit: interrupted by {name}; no output file was written");
            // `_exit`, not `exit`: solver threads may be inside HiGHS, and running static
            // destructors under them can hang (a traced slate run once ignored SIGTERM). The
            // temporary files are gone and stderr is unbuffered, so nothing else needs to run.
            // SAFETY: `_exit` ends the process at once; nothing after it runs.
            unsafe { libc::_exit(128 + sig) }
        }
    });
}

/// Where a command's `--out` goes, checked before any long work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutTarget {
    /// `-`: stdout.
    Stdout,
    /// A regular file (existing or to be created); `path` is where the bytes land (a symlink's
    /// target), `named` is what the user wrote, for messages.
    File { path: PathBuf, named: String },
}

impl OutTarget {
    /// Checks `--out`: `-` is stdout; otherwise the target must be a regular file or not exist
    /// yet, in an existing, writable directory, and must not be any of `inputs` (same canonical
    /// path or same device and inode). A symlink is followed: its target is replaced, the link
    /// stays. Errors are one line naming `--out` and the path as given.
    pub fn check(out: &Path, inputs: &[&Path]) -> Result<OutTarget, Error> {
        if out == Path::new("-") {
            return Ok(OutTarget::Stdout);
        }
        let named = out.display().to_string();
        let refuse = |reason: String| usage("--out", &format!("{named}: {reason}"));
        if out.as_os_str().is_empty() {
            return Err(usage(
                "--out",
                "an empty path; give a file name or - for stdout",
            ));
        }
        // Follow symlinks (also chains) to the file that will be written.
        let path = match std::fs::canonicalize(out) {
            Ok(p) => p,
            Err(_) => {
                // Does not exist (or a dangling link): the directory must.
                let target = dangling_target(out);
                let dir = match target.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                let file_name = target
                    .file_name()
                    .ok_or_else(|| refuse("not a file name".to_string()))?
                    .to_owned();
                match std::fs::metadata(&dir) {
                    Ok(m) if m.is_dir() => {}
                    Ok(_) => return Err(refuse(format!("{} is not a directory", dir.display()))),
                    Err(_) => {
                        return Err(refuse(format!(
                            "directory {} does not exist",
                            dir.display()
                        )))
                    }
                }
                std::fs::canonicalize(&dir)
                    .map_err(|e| refuse(io_reason(&e)))?
                    .join(file_name)
            }
        };
        // A CSV file in a folder given as an input (a CSV-folder scenario) would replace one of
        // its sheets or become a new one: refused whether it exists yet or not.
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if let (true, Some(dir)) = (is_csv, path.parent()) {
            if let Some(input) = inputs.iter().find(|i| i.is_dir() && same_file(dir, i)) {
                return Err(refuse(format!(
                    "is a CSV file in the folder of the input {}, which would read it as one of its sheets; refusing to write there",
                    input.display()
                )));
            }
        }
        if let Ok(meta) = std::fs::metadata(&path) {
            if !meta.is_file() {
                return Err(refuse(format!("is {}, not a regular file", kind_of(&meta))));
            }
            for input in inputs {
                // Standard input redirected from this very file (`solve - --out s.json <
                // s.json`): /dev/stdin resolves to it.
                let (input, name) = if input == &Path::new("-") {
                    (Path::new("/dev/stdin"), "standard input".to_string())
                } else {
                    (*input, input.display().to_string())
                };
                if same_file(&path, input) {
                    return Err(refuse(format!(
                        "is also an input of this command ({name}); refusing to overwrite it"
                    )));
                }
            }
        }
        // Writable directory? Try the temporary file the write will use, and remove it.
        let dir = path.parent().unwrap_or(Path::new("."));
        match tempfile::Builder::new()
            .prefix(".postfit-probe-")
            .tempfile_in(dir)
        {
            Ok(probe) => drop(probe),
            Err(e) => {
                return Err(refuse(format!(
                    "cannot write in {}: {}",
                    dir.display(),
                    io_reason(&e)
                )))
            }
        }
        Ok(OutTarget::File { path, named })
    }

    /// Whether the output goes to stdout.
    pub fn is_stdout(&self) -> bool {
        matches!(self, OutTarget::Stdout)
    }

    /// Writes `bytes`: to stdout, or atomically to the file (temporary file in the same
    /// directory, removed on error or signal, then a rename). Errors name the path as given,
    /// never the temporary file.
    pub fn write(&self, bytes: &[u8]) -> Result<(), Error> {
        self.write_as(bytes, false)
    }

    /// [`OutTarget::write`], but never over a file: the final rename fails if a file has
    /// appeared at the path since it was checked (`template`, whose output must be new).
    pub fn write_new(&self, bytes: &[u8]) -> Result<(), Error> {
        self.write_as(bytes, true)
    }

    fn write_as(&self, bytes: &[u8], new_only: bool) -> Result<(), Error> {
        match self {
            OutTarget::Stdout => print_out(&String::from_utf8_lossy(bytes)),
            OutTarget::File { path, named } => write_file_as(path, named, bytes, new_only),
        }
    }
}

/// Where a path that does not resolve would be written: a dangling symlink's target (relative
/// to the link's directory), else the path itself.
fn dangling_target(out: &Path) -> PathBuf {
    let mut p = out.to_path_buf();
    for _ in 0..40 {
        match std::fs::read_link(&p) {
            Ok(t) if t.is_absolute() => p = t,
            Ok(t) => p = p.parent().unwrap_or(Path::new(".")).join(t),
            Err(_) => return p,
        }
    }
    p
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Same file: same device and inode (Unix), or the same canonical path.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if ma.dev() == mb.dev() && ma.ino() == mb.ino() {
            return true;
        }
    }
    let _ = (ma, mb);
    matches!(
        (std::fs::canonicalize(a), std::fs::canonicalize(b)),
        (Ok(x), Ok(y)) if x == y
    )
}

/// The atomic write behind [`OutTarget::write`] and [`super::write_atomically`]: the temporary
/// file is registered for the signal handler from creation until its rename.
pub(super) fn write_file(path: &Path, named: &str, bytes: &[u8]) -> Result<(), Error> {
    write_file_as(path, named, bytes, false)
}

/// [`write_file`]; with `new_only` the rename refuses to replace a file (`persist_noclobber`).
fn write_file_as(path: &Path, named: &str, bytes: &[u8], new_only: bool) -> Result<(), Error> {
    let err = |e: std::io::Error| Error::Write {
        path: named.to_string(),
        reason: io_reason(&e),
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut registry = TEMP_FILES.lock().unwrap_or_else(|e| e.into_inner());
    let mut tmp = tempfile::Builder::new()
        .prefix(".postfit-")
        .tempfile_in(dir)
        .map_err(err)?;
    registry.push(tmp.path().to_path_buf());
    let result = (|| {
        tmp.write_all(bytes)?;
        #[cfg(unix)]
        {
            // The temporary file is created private (0600); a plan is an ordinary file.
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        tmp.as_file().sync_all()?;
        if new_only {
            tmp.persist_noclobber(path).map(drop).map_err(|e| e.error)
        } else {
            tmp.persist(path).map(drop).map_err(|e| e.error)
        }
    })();
    registry.clear();
    result.map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `template` checks that its output does not exist, then writes; a file that appears in
    /// between must survive (found by a tester: the rename replaced it).
    #[test]
    fn write_new_never_replaces_a_file_that_appeared_after_the_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("roster.xlsx");
        let out = OutTarget::check(&path, &[]).unwrap();
        std::fs::write(&path, b"filled in meanwhile").unwrap();
        assert!(out.write_new(b"template").is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"filled in meanwhile");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // Where nothing appeared, it writes.
        let fresh = dir.path().join("new.xlsx");
        OutTarget::check(&fresh, &[])
            .unwrap()
            .write_new(b"template")
            .unwrap();
        assert_eq!(std::fs::read(&fresh).unwrap(), b"template");
    }
}
