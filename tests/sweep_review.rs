//! Sweep findings of a review: a JSON Patch `test` compares numbers by value (RFC 6902 §4.6),
//! `sweep merge` words a differing base in plain words, and a `--price-rules` line may not take
//! a variant's name.

use std::path::{Path, PathBuf};
use std::process::Command;

use postfit::sweep::{build_variant, load_sweep, Variant};
use serde_json::{json, Value};

fn tutorial() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tutorial/scenario.json")
}

/// Writes `sweep.json` (over the tutorial) into a new folder.
fn write_sweep(variants: Value) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(tutorial(), dir.path().join("tut.json")).unwrap();
    let path = dir.path().join("sweep.json");
    let sweep = json!({"base": "tut.json", "variants": variants});
    std::fs::write(&path, sweep.to_string()).unwrap();
    (dir, path)
}

fn postfit(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_postfit"));
    cmd.args(args).current_dir(cwd);
    for k in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_COUNT",
        "JOB_COMPLETION_INDEX",
        "POSTFIT_SHARDS",
    ] {
        cmd.env_remove(k);
    }
    let o = cmd.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Applies `patch` to the tutorial the way a sweep does; the error text on failure.
fn patched(patch: Value) -> Result<(), String> {
    let (_dir, path) = write_sweep(json!([]));
    let sweep = load_sweep(&path).expect("sweep loads");
    let v = Variant {
        name: "v".into(),
        patch,
        price_of: None,
        from_axes: false,
    };
    build_variant(&sweep.base_doc, &v)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn a_patch_test_compares_numbers_by_value() {
    // The tutorial has "max_step": 1 and "fit": {"threshold": 0.7, ...}, "min_years" of
    // integers, and ranks as strings.
    for ok in [
        json!([{"op": "test", "path": "/promotion/max_step", "value": 1.0}]),
        json!([{"op": "test", "path": "/promotion/max_step", "value": 1}]),
        json!([{"op": "test", "path": "/promotion/max_step", "value": 1e0}]),
        json!([{"op": "test", "path": "/promotion/min_years",
                "value": {"section": 3.0, "deputy-section": 2, "deputy-division": 2.0}}]),
        json!([{"op": "test", "path": "/fit/threshold", "value": 0.7}]),
        json!([{"op": "test", "path": "/teams/0/members/0",
                "value": {"affiliation": "CPC", "gender": "M", "age": 55.0}}]),
        // A test sees the document as the operations before it left it.
        json!([{"op": "replace", "path": "/promotion/max_step", "value": 2.0},
               {"op": "test", "path": "/promotion/max_step", "value": 2}]),
        json!([{"op": "add", "path": "/fit/min", "value": [1, 2.5]},
               {"op": "test", "path": "/fit/min", "value": [1.0, 2.5]},
               {"op": "replace", "path": "/fit/min", "value": 0.2}]),
    ] {
        assert_eq!(patched(ok.clone()), Ok(()), "{ok}");
    }
    // Everything else still fails as before, with the same messages.
    for (bad, message) in [
        (
            json!([{"op": "test", "path": "/promotion/max_step", "value": 1.5}]),
            "variant \"v\": patch[0].value: \"/promotion/max_step\": value did not match",
        ),
        (
            json!([{"op": "test", "path": "/promotion/max_step", "value": "1"}]),
            "variant \"v\": patch[0].value: \"/promotion/max_step\": value did not match",
        ),
        (
            json!([{"op": "test", "path": "/promotion/max_step", "value": [1]}]),
            "variant \"v\": patch[0].value: \"/promotion/max_step\": value did not match",
        ),
        (
            json!([{"op": "test", "path": "/promotion/min_years",
                    "value": {"section": 3.0, "deputy-section": 2}}]),
            "variant \"v\": patch[0].value: \"/promotion/min_years\": value did not match",
        ),
        (
            json!([{"op": "replace", "path": "/fit/min", "value": 0.3},
                   {"op": "test", "path": "/zzz", "value": 1}]),
            "variant \"v\": patch[1].path: \"/zzz\": path is invalid: the document has no key \"zzz\"",
        ),
        (
            json!([{"op": "replace", "path": "/fit/min", "value": 0.3},
                   {"op": "move", "from": "/nope", "path": "/fit/x"}]),
            "variant \"v\": patch[1].from: \"/nope\": \"from\" path is invalid: the document has no key \"nope\"",
        ),
        // The first step that does not resolve, in the document as the earlier operations
        // left it.
        (
            json!([{"op": "remove", "path": "/posts/0"},
                   {"op": "replace", "path": "/posts/9/rank", "value": "section"}]),
            "variant \"v\": patch[1].path: \"/posts/9/rank\": path is invalid: \"/posts\" has 4 items, no index 9",
        ),
        (
            json!([{"op": "replace", "path": "/posts/01/rank", "value": "section"}]),
            "variant \"v\": patch[0].path: \"/posts/01/rank\": path is invalid: \"/posts\" is an array, and \"01\" is not an index",
        ),
        (
            json!([{"op": "add", "path": "/fit/min/x", "value": 1}]),
            "variant \"v\": patch[0].path: \"/fit/min/x\": path is invalid: \"/fit/min\" is a number, not an object or an array",
        ),
        (
            json!([{"op": "replace", "path": "/posts/+1/rank", "value": "section"}]),
            "variant \"v\": patch[0].path: \"/posts/+1/rank\": path is invalid: \"/posts\" is an array, and \"+1\" is not an index",
        ),
        (
            json!([{"op": "replace", "path": "/posts/99999999999999999999999", "value": 1}]),
            "variant \"v\": patch[0].path: \"/posts/99999999999999999999999\": path is invalid: \"/posts\" has 5 items, no index 99999999999999999999999",
        ),
        // A failed move leaves the document as it was (json-patch has removed "from" by then).
        (
            json!([{"op": "move", "from": "/posts/0", "path": "/posts/9/rank"}]),
            "variant \"v\": patch[0].path: \"/posts/9/rank\": path is invalid: \"/posts\" has 5 items, no index 9",
        ),
        (
            json!([{"op": "add", "path": "/fit/new/x", "value": 1}]),
            "variant \"v\": patch[0].path: \"/fit/new/x\": path is invalid: \"/fit\" has no key \"new\"",
        ),
    ] {
        assert_eq!(patched(bad.clone()), Err(message.to_string()), "{bad}");
    }
    // Integers are compared exactly, not through f64.
    let (_dir, path) = write_sweep(json!([]));
    let mut sweep = load_sweep(&path).unwrap();
    sweep.base_doc["big"] = json!(9007199254740993u64);
    let v = |value: Value| Variant {
        name: "v".into(),
        patch: json!([{"op": "test", "path": "/big", "value": value},
                      {"op": "remove", "path": "/big"}]),
        price_of: None,
        from_axes: false,
    };
    assert!(build_variant(&sweep.base_doc, &v(json!(9007199254740993u64))).is_ok());
    let e = build_variant(&sweep.base_doc, &v(json!(9007199254740992.0))).unwrap_err();
    assert!(e.to_string().contains("value did not match"), "{e}");
}

#[test]
fn a_sweep_with_a_numeric_test_solves_the_variant() {
    let (dir, path) = write_sweep(json!([{"name": "x", "patch": [
        {"op": "test", "path": "/promotion/max_step", "value": 1.0}
    ]}]));
    let (code, out, err) = postfit(
        &["sweep", path.to_str().unwrap(), "--format", "jsonl"],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(lines[1]["variant"], "x");
    assert_eq!(lines[1]["status"], "optimal", "{out}");
    assert_eq!(lines[1]["objective"], lines[0]["objective"]);
}

#[test]
fn merge_names_a_differing_base_in_plain_words() {
    let (dir, path) = write_sweep(json!([
        {"name": "a", "patch": [{"op": "replace", "path": "/fit/threshold", "value": 0.8}]},
        {"name": "b", "patch": [{"op": "replace", "path": "/fit/min", "value": 0.1}]}
    ]));
    let sweep = path.to_str().unwrap();
    for i in 0..2 {
        let shard = format!("{i}/2");
        let out = format!("sh{i}.jsonl");
        let (code, _, err) = postfit(
            &["sweep", sweep, "--shard", &shard, "--out", &out],
            dir.path(),
        );
        assert_eq!(code, 0, "{err}");
    }
    // Shard 1's base objective edited to 99.
    let sh1 = std::fs::read_to_string(dir.path().join("sh1.jsonl")).unwrap();
    let mut lines: Vec<Value> = sh1
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let objective = lines[0]["objective"].as_f64().unwrap();
    lines[0]["objective"] = json!(99.0);
    let edited: Vec<String> = lines.iter().map(Value::to_string).collect();
    std::fs::write(dir.path().join("sh1b.jsonl"), edited.join("\n") + "\n").unwrap();

    let (code, out, err) = postfit(&["sweep", "merge", "sh0.jsonl", "sh1b.jsonl"], dir.path());
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "its base (optimal, objective 99) differs from sh0.jsonl's (optimal, objective {objective})"
        )),
        "{err}"
    );
    assert!(!err.contains("Some("), "{err}");

    // A base without an objective.
    lines[0]["status"] = json!("infeasible");
    lines[0]["objective"] = Value::Null;
    let edited: Vec<String> = lines.iter().map(Value::to_string).collect();
    std::fs::write(dir.path().join("sh1c.jsonl"), edited.join("\n") + "\n").unwrap();
    let (code, _, err) = postfit(&["sweep", "merge", "sh0.jsonl", "sh1c.jsonl"], dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "its base (infeasible, no objective) differs from sh0.jsonl's (optimal, objective"
        ),
        "{err}"
    );
    assert!(!err.contains("None"), "{err}");
}

#[test]
fn a_variant_named_like_a_rule_price_line_is_refused_with_price_rules() {
    let (dir, path) = write_sweep(json!([
        {"name": "a", "patch": []},
        {"name": "b", "patch": []},
        {"name": "c", "patch": []},
        {"name": "without women among appointees", "patch": []}
    ]));
    let sweep = path.to_str().unwrap();
    let started = std::time::Instant::now();
    let (code, out, err) = postfit(
        &["sweep", sweep, "--price-rules", "--format", "markdown"],
        dir.path(),
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("sweep.json"), "{err}");
    assert!(err.contains("variants[3].name"), "{err}");
    assert!(err.contains("\"without women among appointees\""), "{err}");
    assert!(
        err.contains("rule-price line of --price-rules for rules[2]"),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 30);

    // Every shard refuses it too; without --price-rules the name is free.
    let (code, _, err) = postfit(
        &["sweep", sweep, "--price-rules", "--shard", "1/3"],
        dir.path(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("variants[3].name"), "{err}");
    let (code, out, err) = postfit(&["sweep", sweep, "--format", "jsonl"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 5);

    // In the library too, before any solve.
    let loaded = load_sweep(&path).unwrap();
    let opts = postfit::sweep::SweepOptions {
        price_rules: true,
        ..Default::default()
    };
    let solves = std::sync::atomic::AtomicUsize::new(0);
    let e = postfit::sweep::run_sweep(&loaded, &opts, &|| {
        solves.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap_err();
    assert!(e.to_string().contains("variants[3].name"), "{e}");
    assert_eq!(solves.into_inner(), 0);
}

#[test]
fn rule_price_lines_never_share_a_name() {
    // A rule named like another, unnamed rule's label.
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(tutorial()).unwrap()).unwrap();
    doc["rules"][0]["name"] = json!("rules[1]");
    doc["rules"][1].as_object_mut().unwrap().remove("name");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tut.json"), doc.to_string()).unwrap();
    std::fs::write(
        dir.path().join("sweep.json"),
        json!({"base": "tut.json"}).to_string(),
    )
    .unwrap();
    let (code, out, err) = postfit(&["sweep", "sweep.json", "--price-rules"], dir.path());
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("tut.json"), "{err}");
    assert!(err.contains("rules[0].name"), "{err}");
    assert!(err.contains("\"without rules[1]\""), "{err}");
}

/// Found by a tester (2026-12-03): a base of `"-"` read standard input twice (as the scenario,
/// then as the document the patches apply to) and failed on the second, empty read with
/// "-: empty file". Standard input cannot be a base: exit 2 naming `base`.
#[test]
fn standard_input_is_refused_as_a_sweep_base() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sweep.json"),
        json!({"base": "-", "variants": []}).to_string(),
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(["sweep", "sweep.json"])
        .current_dir(dir.path())
        .stdin(std::fs::File::open(tutorial()).unwrap())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(
        err.trim(),
        "postfit: sweep.json: base: \"-\" (standard input) cannot be a sweep's base: name the base scenario's file"
    );
}

/// Found by a reviewer (session 21): `sweep merge` walked and allocated `1..total` to list the
/// missing variants, so shards whose lines say `"total": 18446744073709551615` aborted (out of
/// memory, exit 134). The count needs no scan; the first ten missing are found lazily.
#[test]
fn merge_with_a_huge_total_is_one_line_not_an_abort() {
    let (dir, path) = write_sweep(json!([
        {"name": "a", "patch": [{"op": "replace", "path": "/fit/threshold", "value": 0.8}]}
    ]));
    let sweep = path.to_str().unwrap();
    let (code, _, err) = postfit(&["sweep", sweep, "--out", "all.jsonl"], dir.path());
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.path().join("all.jsonl")).unwrap();
    let edited: Vec<String> = text
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v["total"] = json!(u64::MAX);
            v.to_string()
        })
        .collect();
    std::fs::write(dir.path().join("huge.jsonl"), edited.join("\n") + "\n").unwrap();
    let (code, out, err) = postfit(&["sweep", "merge", "huge.jsonl"], dir.path());
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("a shard is missing: 18446744073709551613 of 18446744073709551614 variants have no line (indices 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...)"),
        "{err}"
    );
}
