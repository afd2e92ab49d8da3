//! The `postfit` binary end to end: exit codes, outputs, atomic plan files, provenance,
//! determinism across thread counts, check on good and broken plans.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn postfit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(args)
        .output()
        .expect("postfit runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn tutorial() -> String {
    root()
        .join("scenarios/tutorial/scenario.json")
        .display()
        .to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

const TUTORIAL_OPTIMUM: f64 = 4.961225657829248;

#[test]
fn solve_prints_a_table_with_status_and_objective() {
    let o = postfit(&["solve", &tutorial()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Status: OPTIMAL"), "{out}");
    assert!(out.contains("objective 4.961226"), "{out}");
    for post in [
        "cppcc-vice-1",
        "cppcc-vice-2",
        "gov-vice",
        "agri-head",
        "agri-deputy",
    ] {
        assert!(out.contains(post), "table lacks {post}: {out}");
    }
    assert!(
        out.contains("CPPCC half non-party"),
        "rules table missing: {out}"
    );
}

#[test]
fn solve_json_is_the_plan_with_provenance() {
    let o = postfit(&["solve", &tutorial(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan = json(&o);
    assert_eq!(plan["status"], "optimal");
    let obj = plan["objective"].as_f64().unwrap();
    assert!((obj - TUTORIAL_OPTIMUM).abs() < 1e-9, "{obj}");
    assert!(plan["bound"].as_f64().unwrap() >= obj);
    assert_eq!(plan["placements"].as_array().unwrap().len(), 5);
    assert_eq!(plan["unfilled"].as_array().unwrap().len(), 0);
    let bytes = std::fs::read(tutorial()).unwrap();
    let sha = {
        use sha2::Digest;
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(plan["provenance"]["scenario_sha256"], sha.as_str());
    assert!(plan["provenance"]["solver"]
        .as_str()
        .unwrap()
        .starts_with("HiGHS "));
    assert_eq!(
        plan["provenance"]["postfit_version"],
        env!("CARGO_PKG_VERSION")
    );
}

#[test]
fn solve_out_writes_the_plan_and_check_accepts_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.json");
    let o = postfit(&["solve", &tutorial(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Only the plan is left in the folder: no temporary file.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("plan.json")]);
    let c = postfit(&["check", &tutorial(), out.to_str().unwrap()]);
    assert_eq!(c.status.code(), Some(0), "{}{}", stdout(&c), stderr(&c));
    assert!(stdout(&c).contains("breaks nothing"));
    assert!(stdout(&c).contains("objective 4.961226"));
}

#[test]
fn check_names_the_failed_condition_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("hand.json");
    // C11 is deputy-section: a deputy-division post is two steps up. C10 is unavailable.
    std::fs::write(
        &plan,
        r#"{"placements": [
            {"post": "cppcc-vice-1", "candidate": "C11"},
            {"post": "agri-head", "candidate": "C10"},
            {"post": "agri-deputy", "candidate": "C05"},
            {"post": "gov-vice", "candidate": "C05"}
        ]}"#,
    )
    .unwrap();
    let c = postfit(&["check", &tutorial(), plan.to_str().unwrap()]);
    assert_eq!(c.status.code(), Some(1));
    let out = stdout(&c);
    assert!(
        out.contains("C11 -> cppcc-vice-1: post rank deputy-division is 2 steps above deputy-section, at most 1 allowed"),
        "{out}"
    );
    assert!(out.contains("C10 -> agri-head: not available"), "{out}");
    assert!(out.contains("C05 is placed in 2 posts"), "{out}");
}

#[test]
fn check_rejects_unknown_ids_as_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("hand.json");
    std::fs::write(
        &plan,
        r#"{"placements": [{"post": "nope", "candidate": "C01"}]}"#,
    )
    .unwrap();
    let c = postfit(&["check", &tutorial(), plan.to_str().unwrap()]);
    assert_eq!(c.status.code(), Some(2));
    let err = stderr(&c);
    assert!(
        err.contains("hand.json: placements[0].post: unknown post \"nope\""),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[test]
fn infeasible_scenario_exits_3_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tutorial()).unwrap()).unwrap();
    s["rules"][1]["min"] = serde_json::json!(0.9); // CPPCC 90% non-party: impossible
    let path = dir.path().join("inf.json");
    std::fs::write(&path, s.to_string()).unwrap();
    let out = dir.path().join("plan.json");
    let o = postfit(&[
        "solve",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot all hold"), "{}", stderr(&o));
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(plan["status"], "infeasible");
    assert_eq!(plan["placements"].as_array().unwrap().len(), 0);
}

#[test]
fn must_fill_post_nobody_can_take_is_diagnosed_without_solving() {
    let dir = tempfile::tempdir().unwrap();
    let mut s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tutorial()).unwrap()).unwrap();
    s["posts"][2]["rank"] = serde_json::json!("division"); // two steps above everyone eligible
    let path = dir.path().join("inf.json");
    std::fs::write(&path, s.to_string()).unwrap();
    let o = postfit(&["solve", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    // The diagnosis is printed once, on stdout.
    assert!(
        stdout(&o)
            .contains("must-fill post gov-vice (division): no eligible candidate can take it"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn schema_is_json_schema_of_the_format() {
    let o = postfit(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let schema = json(&o);
    let props = schema["properties"].as_object().expect("properties");
    for key in [
        "name",
        "ranks",
        "promotion",
        "fit",
        "groups",
        "teams",
        "posts",
        "candidates",
        "rules",
    ] {
        assert!(props.contains_key(key), "schema lacks {key}");
    }
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn bad_flags_are_usage_errors() {
    let o = postfit(&["solve", &tutorial(), "--time-limit", "-1"]);
    assert_eq!(o.status.code(), Some(2));
    let o = postfit(&["solve", &tutorial(), "--threads", "0"]);
    assert_eq!(o.status.code(), Some(2));
    let o = postfit(&["solve"]);
    assert_eq!(o.status.code(), Some(2));
    // generate refuses sizes that would exhaust the machine (found in review: a panic and a
    // runaway allocation).
    for args in [
        [
            "--candidates",
            "18446744073709551615",
            "--jurisdictions",
            "1",
        ],
        ["--jurisdictions", "100000", "--candidates", "0"],
        ["--departments", "100000", "--jurisdictions", "1"],
    ] {
        let o = postfit(&[&["generate"][..], &args[..]].concat());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("must be at most"), "{}", stderr(&o));
    }
}

#[test]
fn solver_log_goes_to_a_file_never_into_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("highs.log");
    let o = Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(["solve", &tutorial(), "--format", "json"])
        .env("POSTFIT_SOLVER_LOG", &log)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["status"], "optimal");
    assert!(std::fs::read_to_string(&log).unwrap().contains("HiGHS"));
}

/// Everything in a plan except timings and the thread count.
fn comparable(mut plan: serde_json::Value) -> serde_json::Value {
    plan.as_object_mut().unwrap().remove("provenance");
    plan
}

#[test]
fn same_plan_with_one_or_two_threads_and_across_runs() {
    let city = root().join("scenarios/city/scenario.json");
    let city = city.to_str().unwrap();
    let a = postfit(&["solve", city, "--format", "json", "--threads", "1"]);
    let b = postfit(&["solve", city, "--format", "json", "--threads", "2"]);
    let c = postfit(&["solve", city, "--format", "json", "--threads", "2"]);
    for o in [&a, &b, &c] {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    }
    let (a, b, c) = (json(&a), json(&b), json(&c));
    assert_eq!(a["status"], "optimal");
    assert_eq!(a["provenance"]["threads"], 1);
    assert_eq!(b["provenance"]["threads"], 2);
    assert_eq!(comparable(a.clone()), comparable(b));
    assert_eq!(comparable(a), comparable(c));
}

#[test]
fn same_relaxed_plan_with_one_or_two_threads() {
    let s = root().join("scenarios/county-infeasible/scenario.json");
    let s = s.to_str().unwrap();
    let a = postfit(&["solve", s, "--relax", "--format", "json", "--threads", "1"]);
    let b = postfit(&["solve", s, "--relax", "--format", "json", "--threads", "2"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    let (a, b) = (json(&a), json(&b));
    assert_eq!(a["status"], "relaxed");
    assert_eq!(a["diagnosis"].as_array().unwrap().len(), 2);
    assert_eq!(comparable(a), comparable(b));
}

#[test]
fn infeasible_scenario_prints_its_diagnosis_once_on_stdout() {
    let s = root().join("scenarios/county-infeasible/scenario.json");
    let o = postfit(&["solve", s.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    let (out, err) = (stdout(&o), stderr(&o));
    let line = "rule \"CPPCC team at least 75% non-party (what-if)\" at team J00-cppcc: short by 1 (needs 75% of 8 members = 6 non-party, has 5)";
    assert!(out.contains("the least that must give"), "{out}");
    assert_eq!(out.matches(line).count(), 1, "{out}");
    // stderr says why the exit code is 3, in one line, without repeating the diagnosis.
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cannot all hold") && !err.contains(line),
        "{err}"
    );
}

#[test]
fn inspect_proves_the_what_if_infeasible_and_passes_the_county() {
    let bad = root().join("scenarios/county-infeasible/scenario.json");
    let o = postfit(&["inspect", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Impossible on its face (2)"),
        "{}",
        stdout(&o)
    );
    let good = root().join("scenarios/county/scenario.json");
    let o = postfit(&["inspect", good.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["impossibilities"].as_array().unwrap().len(), 0);
}

#[test]
fn explain_a_candidate_and_a_post() {
    let o = postfit(&["explain", &tutorial(), "--candidate", "C07"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("2 years at rank section, 3 needed for promotion"),
        "{}",
        stdout(&o)
    );
    let o = postfit(&[
        "explain",
        &tutorial(),
        "--post",
        "gov-vice",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = json(&o);
    assert_eq!(e["holder"]["candidate"], "C03", "{e:#}");
    let o = postfit(&["explain", &tutorial(), "--candidate", "C99"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown candidate \"C99\""),
        "{}",
        stderr(&o)
    );
}

/// Found by a reviewer (session 20): `slate --threads 10000` and `sweep --threads 2^64 − 1`
/// were accepted and hung building the pool; `solve` already refused more than 4 x the cores.
/// Every command with `--threads` now refuses the same way, before any work.
#[test]
fn every_threads_option_has_the_same_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let tutorial = root().join("scenarios/tutorial/scenario.json");
    let t = tutorial.to_str().unwrap();
    let sweep = dir.path().join("sweep.json");
    std::fs::write(
        &sweep,
        serde_json::json!({"base": t, "variants": []}).to_string(),
    )
    .unwrap();
    let sw = sweep.to_str().unwrap();
    for n in ["10000", "18446744073709551615"] {
        for args in [
            vec!["solve", t, "--threads", n],
            vec!["slate", t, "--k", "1", "--threads", n],
            vec!["sweep", sw, "--threads", n],
        ] {
            let o = postfit(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
            let err = stderr(&o);
            assert!(
                err.contains("--threads: must be at most"),
                "{args:?}: {err}"
            );
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
}
