//! Sweep findings of a review: a JSON Patch `test` compares numbers by value (RFC 6902 §4.6),
//! `sweep merge` words a differing base in plain words, and a `--price-rules` line may not take
//! a variant's name.

use std::path::{Path, PathBuf};
use std::process::Command;

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
