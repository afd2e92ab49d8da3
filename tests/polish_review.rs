//! User-facing faults left by the last review (2026-11-30), each kind turned into tests: id
//! lists with spaces or empty ids, negative or fractional whole numbers worded by clap, CSV
//! folders whose file names are GBK bytes, people-terms for one and for many, and a sweep base
//! that is a folder.

mod review_support;

use std::path::PathBuf;

use review_support::{postfit, root, stderr, stdout};

fn tutorial() -> PathBuf {
    root().join("scenarios/tutorial/scenario.json")
}

#[test]
fn post_lists_drop_spaces_around_ids() {
    let tut = tutorial();
    let o = postfit(&[
        "slate",
        tut.to_str().unwrap(),
        "--k",
        "1",
        "--posts",
        " gov-vice, agri-head ",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let posts: Vec<&str> = doc["slates"]
        .as_array()
        .expect("slates")
        .iter()
        .map(|s| s["post"].as_str().unwrap())
        .collect();
    assert_eq!(posts, ["gov-vice", "agri-head"]);
}

/// An empty id (`a,,b`, a trailing or leading comma, an empty list) is a usage error naming the
/// flag, not "unknown post \"\"".
#[test]
fn empty_ids_in_a_post_list_name_the_flag() {
    let tut = tutorial();
    let mut all = String::new();
    for (name, list) in [
        ("double_comma", "gov-vice,,agri-head"),
        ("trailing_comma", "gov-vice,"),
        ("leading_comma", ",gov-vice"),
        ("spaces_only", "gov-vice, ,agri-head"),
        ("empty", ""),
    ] {
        let o = postfit(&["slate", tut.to_str().unwrap(), "--k", "1", "--posts", list]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert_eq!(stderr(&o).lines().count(), 1, "{name}: {}", stderr(&o));
        all.push_str(&format!("{name}: {}", stderr(&o)));
    }
    insta::assert_snapshot!("empty_ids_in_a_post_list", all);
}

/// Whole-number options given a negative, fractional or non-numeric value say what they take,
/// in the command's words (`--k: must be a whole number of at least 1, got -1`), not Rust's
/// "invalid digit found in string"; decimal options likewise.
#[test]
fn bad_whole_numbers_are_worded_per_flag() {
    let tut = tutorial();
    let tut = tut.to_str().unwrap();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("slate_k_negative", vec!["slate", tut, "--k", "-1"]),
        ("slate_k_fraction", vec!["slate", tut, "--k", "1.5"]),
        (
            "slate_threads_negative",
            vec!["slate", tut, "--k", "1", "--threads", "-2"],
        ),
        (
            "solve_threads_negative",
            vec!["solve", tut, "--threads", "-2"],
        ),
        ("solve_threads_word", vec!["solve", tut, "--threads", "two"]),
        (
            "sweep_threads_negative",
            vec!["sweep", "s.json", "--threads", "-1"],
        ),
        (
            "generate_candidates_negative",
            vec!["generate", "--candidates", "-5"],
        ),
        (
            "generate_jurisdictions_negative",
            vec!["generate", "--jurisdictions", "-1"],
        ),
        (
            "generate_departments_negative",
            vec!["generate", "--departments", "-3"],
        ),
        ("generate_seed_negative", vec!["generate", "--seed", "-7"]),
        (
            "generate_seed_too_large",
            vec!["generate", "--seed", "99999999999999999999999"],
        ),
        (
            "solve_time_limit_word",
            vec!["solve", tut, "--time-limit", "soon"],
        ),
    ];
    let mut all = String::new();
    for (name, args) in &cases {
        let o = postfit(args);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(!err.contains("invalid digit"), "{name}: {err}");
        all.push_str(&format!("{name}: {err}"));
    }
    insta::assert_snapshot!("bad_whole_numbers", all);
}

/// `"base": "."` (or any base that is wrong as a whole: a folder, a folder of other CSV files)
/// is the sweep file's mistake: the line names the sweep file, its `base` key, what it says and
/// the path it resolved to, not "." alone.
#[test]
fn a_sweep_base_that_is_a_folder_names_the_sweep_file_and_the_resolved_path() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(tutorial(), d.join("tut.json")).unwrap();
    std::fs::write(d.join("sweep.json"), r#"{"base": ".", "variants": []}"#).unwrap();
    let real = std::fs::canonicalize(d).unwrap();
    let sweep = d.join("sweep.json");
    let o = postfit(&["sweep", sweep.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "postfit: {}: base: \".\" ({}): is a folder without .csv files; expected a JSON file, a workbook, or a folder of CSV files (one per sheet)\n",
            sweep.display(),
            real.display()
        )
    );
    // With a CSV file beside it the folder reads as sheets: still the sweep file's `base`.
    std::fs::write(d.join("results.csv"), "variant,objective\nbase,1\n").unwrap();
    let o = postfit(&["sweep", sweep.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "postfit: {}: base: \".\" ({}): missing sheet",
            sweep.display(),
            real.display()
        )),
        "{err}"
    );
    // An error inside a base file still names that file and its JSON path.
    std::fs::write(d.join("bad.json"), r#"{"base": "tut.json"}"#).unwrap();
    std::fs::write(d.join("sweep2.json"), r#"{"base": "bad.json"}"#).unwrap();
    let o = postfit(&["sweep", d.join("sweep2.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with(&format!(
            "postfit: {}: base: unknown key",
            d.join("bad.json").display()
        )),
        "{}",
        stderr(&o)
    );
}
