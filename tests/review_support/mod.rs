//! Helpers shared by the reviewer's tests (`review_inputs.rs`, `review_outputs.rs`): the
//! binary, the repository root, outputs as text, the shared cases folder, a workspace with the
//! tutorial, its plan and a small sweep, and the refusal lines of commands that must not run.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn postfit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(args)
        .env_remove("COLUMNS")
        .env_remove("POSTFIT_SOLVER_LOG")
        .output()
        .expect("postfit runs")
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The shared cases folder (`$POSTFIT_SHARED` or `../shared`), or `None` with a note.
pub fn cases() -> Option<PathBuf> {
    let shared = std::env::var_os("POSTFIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared"));
    let dir = shared.join("cases/2026-11-30");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: the shared cases are not at {}", dir.display());
        None
    }
}

/// A folder with the tutorial (`tut.json`), its optimal plan (`plan.json`), a small sweep
/// (`sweep.json`) and the sweep's output (`results.jsonl`).
pub fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        root().join("scenarios/tutorial/scenario.json"),
        d.join("tut.json"),
    )
    .unwrap();
    let o = postfit(&[
        "solve",
        d.join("tut.json").to_str().unwrap(),
        "--out",
        d.join("plan.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(
        d.join("sweep.json"),
        r#"{"base": "tut.json", "variants": [{"name": "a|b", "patch": []}]}"#,
    )
    .unwrap();
    let o = postfit(&[
        "sweep",
        d.join("sweep.json").to_str().unwrap(),
        "--out",
        d.join("results.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    dir
}

/// Every file in `dir` (recursively) with its bytes.
pub fn snapshot_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let kind = std::fs::symlink_metadata(&p).unwrap().file_type();
        if kind.is_dir() {
            out.extend(snapshot_files(&p));
        } else if kind.is_file() {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

/// Runs each command in `d` (args relative to it), asserts exit 2 with one line and no file
/// touched, and returns the lines with the folder's path replaced by `DIR`.
pub fn refusals(d: &Path, cases: &[(&str, Vec<&str>)]) -> String {
    let mut all = String::new();
    for (name, args) in cases {
        let before = snapshot_files(d);
        let o = Command::new(env!("CARGO_BIN_EXE_postfit"))
            .args(args)
            .current_dir(d)
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(err.starts_with("postfit: "), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_eq!(
            snapshot_files(d),
            before,
            "{name}: a refused command changed the folder"
        );
        all.push_str(&format!(
            "{name}: {}",
            err.replace(&d.display().to_string(), "DIR")
        ));
    }
    all
}
