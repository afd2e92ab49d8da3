//! Input and wording faults found by a reviewer trying postfit as a demanding user would
//! (2026-11-30), each kind turned into tests: shortfalls worded in people the same way
//! everywhere; sweep and merge errors that named no file; negative numbers read as unknown
//! flags; plan workbooks and CSV files refused as baselines or plans; a sweep base that could
//! not be a workbook; slates that said nothing about decided posts or blamed the hard rules.

mod review_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use review_support::*;

/// The tutorial with soft rules that fall short by a fraction of a person and go over a max.
fn soft_tutorial(d: &Path) -> PathBuf {
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("tut.json")).unwrap()).unwrap();
    v["rules"][2]["min"] = 0.9.into();
    let rules = v["rules"].as_array_mut().unwrap();
    rules.push(
        serde_json::json!({"name": "no young appointee", "type": "count",
        "group": "young", "scope": "placements", "max": 0, "penalty": 0.2}),
    );
    let path = d.join("soft.json");
    std::fs::write(&path, v.to_string()).unwrap();
    path
}

/// Spec "rules": shortfall is in people and may be a fraction for a share rule. Every output
/// says it the same way: `short by 0.5 (needs 90% of 5 placements = 4.5 women, has 4)`, never
/// "0.5 of a women placement short"; a max bound is `over by`, and the solve table's state of a
/// rule that goes over says `not met`, not `short`.
#[test]
fn shortfalls_read_in_people_the_same_way_everywhere() {
    let dir = workspace();
    let d = dir.path();
    let s = soft_tutorial(d);
    let s = s.to_str().unwrap();
    let plan = d.join("soft-plan.json");
    let plan = plan.to_str().unwrap();
    let o = postfit(&["solve", s, "--out", plan]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let table = stdout(&o);
    assert!(table.contains("not met in 1"), "{table}");
    assert!(!table.contains("short in"), "{table}");
    let women = "rule \"women among appointees\": short by 0.5 (needs 90% of 5 placements = 4.5 women, has 4)";
    let young = "rule \"no young appointee\": over by 3 (allows 0 young, has 3 of 5 placements)";
    let o = postfit(&["check", s, plan]);
    let check = stdout(&o);
    assert!(check.contains(women) && check.contains(young), "{check}");
    let o = postfit(&["report", s, plan]);
    let report = stdout(&o);
    assert!(report.contains("✗ 80.0% (4/5) — short by 0.5"), "{report}");
    assert!(report.contains("✗ 3 — over by 3"), "{report}");
    // A hard share rule in the diagnosis, in a team.
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(s).unwrap()).unwrap();
    v["rules"][1]["min"] = 0.9.into();
    std::fs::write(d.join("hard.json"), v.to_string()).unwrap();
    let o = postfit(&["solve", d.join("hard.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stdout(&o).contains(
            "at team cppcc: short by 1.5 (needs 90% of 5 members = 4.5 non-party, has 3)"
        ),
        "{}",
        stdout(&o)
    );
    for text in [&table, &check, &report, &stdout(&o)] {
        assert!(!text.contains(" of a "), "{text}");
        assert!(
            !text.contains("member short") && !text.contains("too many"),
            "{text}"
        );
    }
}

/// Sweep files whose base is missing or empty, shard files that are missing, folders or FIFOs,
/// and negative numbers (read by the argument parser as unknown flags: `unexpected argument
/// '-0' found` for `--change-cost -0.5`): exit 2, one line naming the file and key or the flag.
#[test]
fn sweep_merge_and_number_errors_name_the_file_or_the_flag() {
    let dir = workspace();
    let d = dir.path();
    std::fs::write(d.join("no-base.json"), r#"{"base": "nope.json"}"#).unwrap();
    std::fs::write(d.join("empty-base.json"), r#"{"base": ""}"#).unwrap();
    std::fs::create_dir(d.join("folder")).unwrap();
    let fifo = d.join("fifo.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("sweep_base_missing", vec!["sweep", "no-base.json"]),
        ("sweep_base_empty", vec!["sweep", "empty-base.json"]),
        ("merge_missing_shard", vec!["sweep", "merge", "nope.jsonl"]),
        ("merge_folder", vec!["sweep", "merge", "folder"]),
        (
            "solve_negative_change_cost",
            vec![
                "solve",
                "tut.json",
                "--baseline",
                "plan.json",
                "--change-cost",
                "-0.5",
            ],
        ),
        (
            "solve_negative_threads",
            vec!["solve", "tut.json", "--threads", "-1"],
        ),
        ("slate_negative_k", vec!["slate", "tut.json", "--k", "-2"]),
        (
            "slate_negative_time_limit",
            vec!["slate", "tut.json", "--k", "1", "--time-limit", "-1"],
        ),
        (
            "sweep_negative_time_limit",
            vec!["sweep", "sweep.json", "--time-limit", "-1"],
        ),
        (
            "report_negative_time_limit",
            vec!["report", "tut.json", "--time-limit", "-1"],
        ),
        (
            "generate_negative_count",
            vec!["generate", "--candidates", "-5"],
        ),
    ];
    let mut all = refusals(d, &cases);
    if made.is_ok_and(|s| s.success()) {
        all.push_str(&refusals(
            d,
            &[("merge_fifo", vec!["sweep", "merge", "fifo.jsonl"])],
        ));
    } else {
        all.push_str("merge_fifo: postfit: fifo.jsonl: is not a regular file (a FIFO), expected a JSON file\n");
    }
    insta::assert_snapshot!("sweep_merge_and_number_errors", all);
}

/// A patch that is not an array of operations is that variant's own error line (the sweep goes
/// on), worded without serde's "invalid type: map, expected a sequence".
#[test]
fn a_patch_of_the_wrong_shape_is_named_in_the_users_terms() {
    let dir = workspace();
    let d = dir.path();
    std::fs::write(
        d.join("shapes.json"),
        r#"{"base": "tut.json", "variants": [
            {"name": "object", "patch": {"op": "remove", "path": "/rules/0"}},
            {"name": "number", "patch": [1]},
            {"name": "unknown-op", "patch": [{"op": "frob", "path": "/name"}]},
            {"name": "op-number", "patch": [{"op": 3, "path": "/name"}]},
            {"name": "no-op", "patch": [{"path": "/name", "value": "x"}]},
            {"name": "bad-escape", "patch": [{"op": "replace", "path": "/fit/~2", "value": 1}]},
            {"name": "no-slash", "patch": [{"op": "remove", "path": "rules/0"}]},
            {"name": "bad-from", "patch": [{"op": "move", "from": "/a~", "path": "/b"}]},
            {"name": "no-value", "patch": [{"op": "add", "path": "/name"}]},
            {"name": "no-path", "patch": [{"op": "remove"}]},
            {"name": "path-number", "patch": [{"op": "remove", "path": 3}]},
            {"name": "no-from", "patch": [{"op": "copy", "path": "/x"}]}]}"#,
    )
    .unwrap();
    let o = postfit(&[
        "sweep",
        d.join("shapes.json").to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let errors: Vec<String> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter_map(|v| v["error"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        errors,
        [
            "variant \"object\": patch: not a JSON Patch (RFC 6902): expected an array of operations, found an object",
            "variant \"number\": patch[0]: not a JSON Patch operation: expected an object like {\"op\": \"replace\", \"path\": ..., \"value\": ...}, found a number",
            // Found by a reviewer (session 20): serde's "unknown variant `frob`" and the
            // pointer parser's "the first token in the partial-pointer starting at offset 4
            // is malformed", neither naming the field.
            "variant \"unknown-op\": patch[0].op: unknown operation \"frob\": RFC 6902 has add, remove, replace, move, copy and test",
            "variant \"op-number\": patch[0].op: expected a string, found a number",
            "variant \"no-op\": patch[0]: missing field \"op\"",
            "variant \"bad-escape\": patch[0].path: \"/fit/~2\": not a JSON Pointer (RFC 6901): \"~\" may only be followed by 0 or 1 (\"~0\" is ~, \"~1\" is /)",
            "variant \"no-slash\": patch[0].path: \"rules/0\": not a JSON Pointer (RFC 6901): it must be empty or begin with \"/\"",
            "variant \"bad-from\": patch[0].from: \"/a~\": not a JSON Pointer (RFC 6901): \"~\" may only be followed by 0 or 1 (\"~0\" is ~, \"~1\" is /)",
            "variant \"no-value\": patch[0].value: missing; the add operation needs it",
            "variant \"no-path\": patch[0].path: missing; the remove operation needs it",
            "variant \"path-number\": patch[0].path: expected a JSON Pointer string, found a number",
            "variant \"no-from\": patch[0].from: missing; the copy operation needs it",
        ]
    );
}

/// `check`, `diff` and `report` read a plan workbook; `solve --baseline` refused the same file
/// as "not UTF-8 text". It now reads it like a JSON baseline: same changes, the workbook's
/// SHA-256, unknown ids ignored and reported, a post or candidate twice named by its cell.
#[test]
fn a_plan_workbook_is_a_baseline() {
    let dir = workspace();
    let d = dir.path();
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    let o = postfit(&["solve", &p("tut.json"), "--out", &p("plan.xlsx")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("tut.json")).unwrap()).unwrap();
    v["candidates"][5]["available"] = false.into(); // C06, the bureau director, withdraws
    std::fs::write(d.join("replan.json"), v.to_string()).unwrap();
    let plan_of = |baseline: &str| -> serde_json::Value {
        let o = postfit(&[
            "solve",
            &p("replan.json"),
            "--baseline",
            &p(baseline),
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{baseline}: {}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let (from_json, from_book) = (plan_of("plan.json"), plan_of("plan.xlsx"));
    assert!(from_book["changes"].as_u64().unwrap() >= 1);
    assert_eq!(from_book["changes"], from_json["changes"]);
    assert_eq!(from_book["changed"], from_json["changed"]);
    let sha = {
        use sha2::Digest;
        let bytes = std::fs::read(d.join("plan.xlsx")).unwrap();
        format!("{:x}", sha2::Sha256::digest(&bytes))
    };
    assert_eq!(from_book["baseline"], serde_json::Value::from(sha));
    // A CSV folder typed by hand: an unknown post is ignored and reported.
    std::fs::create_dir(d.join("typed")).unwrap();
    std::fs::write(
        d.join("typed/plan.csv"),
        "职位,候选人\nagri-head,C06\ngone,C05\n",
    )
    .unwrap();
    let typed = plan_of("typed");
    assert_eq!(typed["baseline_ignored"][0]["post"], "gone");
    // A candidate twice: exit 2 naming the cell.
    std::fs::write(
        d.join("typed/plan.csv"),
        "职位,候选人\nagri-head,C05\nagri-deputy,C05\n",
    )
    .unwrap();
    let o = postfit(&["solve", &p("tut.json"), "--baseline", &p("typed")]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("plan.csv: sheet plan, row 3, column 候选人: candidate \"C05\" is placed twice (first at sheet plan, row 2)"),
        "{err}"
    );
}

/// Spec 1.1: slates list nothing for a post with a decided placement. Asking for exactly that
/// post printed a header and nothing else; the post is now named with its decided holder.
#[test]
fn a_decided_post_asked_for_a_slate_is_named() {
    let dir = workspace();
    let d = dir.path();
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("tut.json")).unwrap()).unwrap();
    v["decided"] = serde_json::json!([{"post": "agri-head", "candidate": "C06"}]);
    std::fs::write(d.join("decided.json"), v.to_string()).unwrap();
    let f = d.join("decided.json");
    let f = f.to_str().unwrap();
    let o = postfit(&["slate", f, "--k", "2", "--posts", "agri-head"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Decided, so no slate (spec 1.1): agri-head (C06 杨军)"),
        "{}",
        stdout(&o)
    );
    let o = postfit(&["slate", f, "--k", "2", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(doc["slates"]
        .as_array()
        .unwrap()
        .iter()
        .all(|sl| sl["post"] != "agri-head"));
    assert_eq!(doc["decided"][0]["post"], "agri-head");
    assert_eq!(doc["decided"][0]["candidate"], "C06");
    let o = postfit(&["slate", f, "--k", "1", "--format", "markdown"]);
    assert!(stdout(&o).contains("Decided, so no slate (spec 1.1): agri-head (C06 杨军)"));
}

/// A plan typed by hand and saved as one CSV file was "invalid JSON at line 1 column 1"; it is
/// read like a one-sheet workbook by check, diff and solve --baseline, errors naming the cell.
#[test]
fn a_plan_saved_as_one_csv_file_is_read() {
    let dir = workspace();
    let d = dir.path();
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("plan.json")).unwrap()).unwrap();
    let mut csv = String::from("职位,候选人\n");
    for pl in json["placements"].as_array().unwrap() {
        csv.push_str(&format!(
            "{},{}\n",
            pl["post"].as_str().unwrap(),
            pl["candidate"].as_str().unwrap()
        ));
    }
    std::fs::write(d.join("typed.csv"), &csv).unwrap();
    let o = postfit(&["check", &p("tut.json"), &p("typed.csv")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("The plan breaks nothing."));
    let o = postfit(&["diff", &p("tut.json"), &p("plan.json"), &p("typed.csv")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("No post changes hands."),
        "{}",
        stdout(&o)
    );
    let o = postfit(&[
        "solve",
        &p("tut.json"),
        "--baseline",
        &p("typed.csv"),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(plan["changes"], 0);
    std::fs::write(d.join("typed.csv"), "职位,候选人\nagri-head,C99\n").unwrap();
    let o = postfit(&["check", &p("tut.json"), &p("typed.csv")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .ends_with("typed.csv: sheet typed, row 2, column 候选人: unknown candidate \"C99\"\n"),
        "{}",
        stderr(&o)
    );
}

/// A post no candidate is eligible for said "no candidate can be placed here under the hard
/// rules", blaming rules that play no part; it now says no one is eligible.
#[test]
fn a_slate_of_a_post_no_one_is_eligible_for_says_so() {
    let dir = workspace();
    let d = dir.path();
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("tut.json")).unwrap()).unwrap();
    v["posts"].as_array_mut().unwrap().push(
        serde_json::json!({"id": "nobody", "title": "无人可任", "team": "agri", "rank": "division"}),
    );
    std::fs::write(d.join("nobody.json"), v.to_string()).unwrap();
    let f = d.join("nobody.json");
    for format in ["table", "markdown"] {
        let o = postfit(&[
            "slate",
            f.to_str().unwrap(),
            "--k",
            "2",
            "--posts",
            "nobody",
            "--format",
            format,
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o).to_lowercase();
        assert!(
            out.contains("no candidate is eligible for this post"),
            "{format}: {out}"
        );
        assert!(!out.contains("under the hard rules"), "{format}: {out}");
    }
}

/// Shards of one sweep split two ways (`--shard 0/2` with `1/3` and `2/3`) overlap; the merge
/// said only "a shard given twice?", which the user had not done.
#[test]
fn merging_shards_of_different_splits_says_so() {
    let dir = workspace();
    let d = dir.path();
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    std::fs::write(
        d.join("four.json"),
        r#"{"base": "tut.json", "axes": [{"path": "/fit/threshold", "values": [0.5, 0.6, 0.7, 0.8]}]}"#,
    )
    .unwrap();
    for (shard, out) in [("0/2", "a.jsonl"), ("1/3", "b.jsonl"), ("2/3", "c.jsonl")] {
        let o = postfit(&["sweep", &p("four.json"), "--shard", shard, "--out", &p(out)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let o = postfit(&[
        "sweep",
        "merge",
        &p("a.jsonl"),
        &p("b.jsonl"),
        &p("c.jsonl"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("shards of different splits"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// Every command that takes a scenario takes a workbook, but a sweep whose base was a workbook
/// or CSV folder stopped with "not UTF-8 text". Patches now apply to its JSON form (as
/// `convert` writes it): the same lines as the JSON base.
#[test]
fn a_sweep_base_may_be_a_workbook() {
    let dir = workspace();
    let d = dir.path();
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    let o = postfit(&["convert", &p("tut.json"), &p("tut.xlsx")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let variants = r#"[{"name": "strict", "patch": [{"op": "replace", "path": "/fit/threshold", "value": 0.9}]},
        {"name": "no C05", "patch": [{"op": "add", "path": "/candidates/4/available", "value": false}]}]"#;
    for (file, base) in [
        ("json-sweep.json", "tut.json"),
        ("book-sweep.json", "tut.xlsx"),
    ] {
        std::fs::write(
            d.join(file),
            format!(r#"{{"base": "{base}", "variants": {variants}}}"#),
        )
        .unwrap();
    }
    let lines = |file: &str| -> Vec<serde_json::Value> {
        let o = postfit(&["sweep", &p(file), "--format", "jsonl"]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stderr(&o));
        stdout(&o)
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                for k in ["runtime_ms", "sweep_sha256"] {
                    v.as_object_mut().unwrap().remove(k);
                }
                v
            })
            .collect()
    };
    let (from_json, from_book) = (lines("json-sweep.json"), lines("book-sweep.json"));
    assert_eq!(from_json.len(), 3);
    assert_eq!(from_json, from_book);
    assert_eq!(from_book[2]["status"], "optimal", "{:?}", from_book[2]);
}
