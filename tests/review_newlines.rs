//! A reviewer's finding (second pass, finding 2): a line break in a scenario's name, a
//! candidate's name or a post's title was printed raw in the header lines outside tables
//! (`Scenario: Tut` then a line `FAKE: status OPTIMAL`), so input could forge an output line.
//! The whole kind is tested: every data value that any command's terminal output (tables, TSV,
//! Markdown) shows, with `\n`, `\r` and `\t` in it and a fake line after the break, comes out
//! escaped (`\u{a}` in tables and text lines, a space in Markdown), never as a line of its own.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn postfit(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(args)
        .current_dir(dir)
        .env_remove("COLUMNS")
        .env_remove("POSTFIT_SOLVER_LOG")
        .output()
        .expect("postfit runs")
}

/// The scenario's own name: a line break, a carriage return and a tab, and a forged status line.
const NAME: &str = "Tut\nFAKE: status OPTIMAL\r\tscenario";

/// The tutorial with a line break and a forged line in every kind of text a renderer shows:
/// the scenario's name, a candidate's name and id, a post's title and id, a team's name and
/// id, a rule's name, a group's name, a post kind, a candidate's note and a decided note.
fn scenario() -> Value {
    let tut = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tutorial/scenario.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(tut).unwrap()).unwrap();
    v["name"] = NAME.into();
    let group = "non\nFAKE: group\r\tname";
    let kind = "comp\nFAKE: post kind\r\t";
    let agri = "agri\nFAKE: team id\r\t";
    let gov_vice = "gov-vice\nFAKE: post id\r\t";
    let c03 = "C03\nFAKE: candidate id\r\t";
    // Groups are a map: rename non-party, everywhere it is used.
    let g = v["groups"]["non-party"].take();
    v["groups"].as_object_mut().unwrap().remove("non-party");
    v["groups"][group] = g;
    for r in v["rules"].as_array_mut().unwrap() {
        if r["group"] == "non-party" {
            r["group"] = group.into();
        }
        if r["where"]["kind"] == "comprehensive" {
            r["where"]["kind"] = kind.into();
        }
    }
    v["rules"][0]["name"] = "R\nFAKE: rule name\r\t".into();
    for t in v["teams"].as_array_mut().unwrap() {
        if t["id"] == "cppcc" {
            t["name"] = "N\nFAKE: team name\r\t".into();
        }
        if t["id"] == "agri" {
            t["id"] = agri.into();
        }
    }
    for p in v["posts"].as_array_mut().unwrap() {
        if p["id"] == "cppcc-vice-1" {
            p["title"] = "T\nFAKE: post title\r\t".into();
        }
        if p["id"] == "gov-vice" {
            p["id"] = gov_vice.into();
        }
        if p["team"] == "agri" {
            p["team"] = agri.into();
        }
        if p["kind"] == "comprehensive" {
            p["kind"] = kind.into();
        }
        if p["open_to"] == "non-party" {
            p["open_to"] = group.into();
        }
    }
    for c in v["candidates"].as_array_mut().unwrap() {
        if c["id"] == "C01" {
            c["name"] = "A\nFAKE: candidate name\r\t".into();
        }
        if c["id"] == "C03" {
            c["id"] = c03.into();
        }
        if c["team"] == "agri" {
            c["team"] = agri.into();
        }
        if c["id"] == "C10" {
            c["note"] = "leave\nFAKE: candidate note\r\t".into();
        }
    }
    v["decided"] = json!([{"post": "cppcc-vice-1", "candidate": "C04",
        "note": "D\nFAKE: decided note\r\t"}]);
    v
}

/// Whether a line, past its indentation, table borders and Markdown marks, starts with the
/// forged text: a value's line break reached the output raw.
fn forged(line: &str) -> bool {
    line.trim_start_matches(|c: char| !c.is_alphanumeric())
        .starts_with("FAKE")
}

/// Runs one command, expecting `code`, and checks its stdout: no forged line, no raw `\r`, no
/// raw tab outside TSV, the forged text shown (escaped) somewhere, and in tables and text
/// lines as `\u{a}` (Markdown turns a line break into a space instead).
fn check(dir: &Path, args: &[&str], code: i32) -> String {
    let o = postfit(dir, args);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}\n{out}");
    let bad: Vec<&str> = out.lines().filter(|l| forged(l)).collect();
    assert!(bad.is_empty(), "{args:?}: forged lines {bad:?} in\n{out}");
    assert!(!out.contains('\r'), "{args:?}: a raw \\r in\n{out}");
    let tsv = args.windows(2).any(|w| w == ["--format", "tsv"]);
    let markdown = args.windows(2).any(|w| w == ["--format", "markdown"]) || args[0] == "report";
    if !tsv {
        assert!(!out.contains('\t'), "{args:?}: a raw tab in\n{out}");
    }
    assert!(
        out.contains("FAKE"),
        "{args:?}: the data is not shown:\n{out}"
    );
    if !markdown {
        assert!(
            out.contains("\\u{a}FAKE"),
            "{args:?}: no \\u{{a}} in\n{out}"
        );
        assert!(
            out.contains("\\u{d}\\u{9}"),
            "{args:?}: no \\u{{d}}\\u{{9}} in\n{out}"
        );
    }
    out
}

#[test]
fn line_breaks_in_data_never_start_an_output_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let v = scenario();
    std::fs::write(d.join("s.json"), v.to_string()).unwrap();
    let o = postfit(d, &["solve", "s.json", "--out", "a.json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // Plan B leaves the renamed post empty; plan C puts the unavailable C10 (with a note) there.
    let a: Value = serde_json::from_slice(&std::fs::read(d.join("a.json")).unwrap()).unwrap();
    let gov_vice = "gov-vice\nFAKE: post id\r\t";
    let mut b = a.clone();
    b["placements"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["post"] != gov_vice);
    std::fs::write(d.join("b.json"), b.to_string()).unwrap();
    let mut c = a.clone();
    for p in c["placements"].as_array_mut().unwrap() {
        if p["post"] == gov_vice {
            p["candidate"] = "C10".into();
        }
    }
    std::fs::write(d.join("c.json"), c.to_string()).unwrap();
    // A hard rule no plan can keep: the diagnosis names it.
    let mut inf = v.clone();
    inf["rules"][0]["min"] = 5.into();
    std::fs::write(d.join("inf.json"), inf.to_string()).unwrap();
    std::fs::write(
        d.join("sweep.json"),
        json!({"base": "s.json", "variants": [{"name": "V\nFAKE: variant\r\t", "patch": []}]})
            .to_string(),
    )
    .unwrap();

    let cand = "C03\nFAKE: candidate id\r\t";
    let runs: Vec<(Vec<&str>, i32)> = vec![
        (vec!["solve", "s.json"], 0),
        (vec!["solve", "s.json", "--format", "tsv"], 0),
        (vec!["solve", "s.json", "--baseline", "b.json"], 0),
        (vec!["solve", "s.json", "--baseline", "c.json"], 0),
        (vec!["solve", "inf.json"], 3),
        (vec!["check", "s.json", "a.json"], 0),
        (vec!["check", "s.json", "a.json", "--format", "tsv"], 0),
        (vec!["check", "s.json", "c.json"], 1),
        (vec!["inspect", "s.json"], 0),
        (vec!["inspect", "s.json", "--format", "tsv"], 0),
        (vec!["inspect", "inf.json"], 3),
        (vec!["explain", "s.json", "--candidate", "C01"], 0),
        (vec!["explain", "s.json", "--candidate", "C10"], 0),
        (vec!["explain", "s.json", "--candidate", cand], 0),
        (
            vec!["explain", "s.json", "--candidate", cand, "--format", "tsv"],
            0,
        ),
        (vec!["explain", "s.json", "--post", "cppcc-vice-1"], 0),
        (vec!["explain", "s.json", "--post", gov_vice], 0),
        (
            vec!["explain", "s.json", "--post", gov_vice, "--format", "tsv"],
            0,
        ),
        (vec!["slate", "s.json", "--k", "2"], 0),
        (
            vec!["slate", "s.json", "--k", "2", "--format", "markdown"],
            0,
        ),
        (vec!["diff", "s.json", "a.json", "b.json"], 0),
        (
            vec!["diff", "s.json", "a.json", "b.json", "--format", "markdown"],
            0,
        ),
        (
            vec![
                "report",
                "s.json",
                "a.json",
                "--label",
                "L\nFAKE: label\r\t",
            ],
            0,
        ),
        (vec!["sweep", "sweep.json", "--format", "table"], 0),
        (vec!["sweep", "sweep.json", "--format", "markdown"], 0),
    ];
    for (args, code) in &runs {
        check(d, args, *code);
    }

    // Specific lines: the header names the scenario on one line, escaped.
    let out = check(d, &["solve", "s.json"], 0);
    assert_eq!(
        out.lines().next(),
        Some("Scenario: Tut\\u{a}FAKE: status OPTIMAL\\u{d}\\u{9}scenario"),
        "{out}"
    );
    let out = check(d, &["solve", "s.json", "--format", "tsv"], 0);
    assert!(
        out.lines()
            .next()
            .unwrap()
            .starts_with("Scenario: Tut\\u{a}"),
        "{out}"
    );
    let out = check(d, &["explain", "s.json", "--candidate", "C01"], 0);
    assert!(
        out.contains("Candidate C01 A\\u{a}FAKE: candidate name\\u{d}\\u{9}: rank"),
        "{out}"
    );

    // JSON stays exact: the name as written.
    let o = postfit(d, &["solve", "s.json", "--format", "json"]);
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["scenario"], NAME);
}
