//! ARCHITECTURE.md states invariants as absences; this test keeps them true by reading the
//! sources: the checker never imports the model or the solver, only `solve/` names HiGHS or
//! good_lp, and the pure layers never reach downstream.

use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Code lines of a file (comments dropped, so prose may name anything).
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .expect("readable")
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_absent(folder: &str, forbidden: &[&str]) {
    let files = sources(&src().join(folder));
    assert!(!files.is_empty(), "no sources under src/{folder}");
    for f in files {
        let text = code(&f);
        for word in forbidden {
            assert!(!text.contains(word), "{} mentions {word}", f.display());
        }
    }
}

#[test]
fn checker_never_imports_model_or_solver() {
    assert_absent(
        "check",
        &[
            "crate::model",
            "crate::solve",
            "good_lp",
            "highs",
            "crate::plan",
        ],
    );
}

#[test]
fn only_solve_names_the_solver() {
    let solve_dir = src().join("solve");
    for f in sources(&src()) {
        if f.starts_with(&solve_dir) {
            continue;
        }
        let text = code(&f);
        for word in ["good_lp", "highs::", "highs_sys", "use highs"] {
            assert!(
                !text.contains(word),
                "{} names the solver ({word}) outside src/solve",
                f.display()
            );
        }
    }
}

#[test]
fn pure_layers_never_reach_downstream() {
    let downstream = [
        "crate::solve",
        "crate::check",
        "crate::plan",
        "crate::render",
        "crate::model",
    ];
    assert_absent("scenario", &downstream);
    assert_absent("eligibility", &downstream);
    assert_absent(
        "model",
        &[
            "crate::solve",
            "crate::check",
            "crate::plan",
            "crate::render",
        ],
    );
}

#[test]
fn cli_holds_no_domain_logic() {
    let main = code(&src().join("main.rs"));
    for word in [
        "eligibility(",
        "fn fit",
        "in_group",
        "RuleKind",
        "model::build",
    ] {
        assert!(!main.contains(word), "main.rs contains {word}");
    }
}

/// No command prints with `print!`/`println!`: stdout goes through `cli::output` (a closed pipe
/// or a full disk never panics, and tables are escaped). Only `output.rs` itself writes stdout.
#[test]
fn commands_print_only_through_cli_output() {
    for f in sources(&src().join("cli")) {
        if f.file_name().is_some_and(|n| n == "output.rs") {
            continue;
        }
        let text = code(&f);
        for word in ["print!(", "println!("] {
            for (i, _) in text.match_indices(word) {
                // `eprint!`/`eprintln!` go to stderr and are fine.
                let before = text[..i].chars().last();
                assert!(
                    before == Some('e'),
                    "{} prints to stdout with {word}",
                    f.display()
                );
            }
        }
    }
}
