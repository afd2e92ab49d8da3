//! The sweep on a real Slurm cluster: the example city sweep submitted as a 3-task array job
//! (examples/slurm/sweep-array.sbatch) plus its dependent merge job; the merged output must be
//! the single-machine run's, line for line (timings aside).
//!
//! Needs a cluster: `scripts/slurm-local.sh start` brings up a one-node cluster on this machine
//! (`.ci/run` does, and sets POSTFIT_REQUIRE_SLURM=1 so that a cluster that is not up fails the
//! test instead of skipping it). Without one, the test says so and passes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

fn slurm_up() -> bool {
    Command::new("scontrol")
        .arg("ping")
        .output()
        .map(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("is UP"))
        .unwrap_or(false)
}

fn sh(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        o.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// The JSONL lines with `runtime_ms` zeroed (the only field that differs between runs).
fn untimed(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).expect("a JSON line");
            v["runtime_ms"] = Value::from(0);
            v
        })
        .collect()
}

fn logs(dir: &Path) -> String {
    let mut out = String::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "log") {
            out.push_str(&format!(
                "--- {}\n{}\n",
                e.path().display(),
                std::fs::read_to_string(e.path()).unwrap_or_default()
            ));
        }
    }
    out
}

#[test]
fn slurm_array_job_and_merge_reproduce_the_single_machine_run() {
    if !slurm_up() {
        assert!(
            std::env::var("POSTFIT_REQUIRE_SLURM").is_err(),
            "POSTFIT_REQUIRE_SLURM is set but no Slurm cluster answers (scontrol ping)"
        );
        eprintln!(
            "SKIPPED slurm test: no Slurm cluster is up; start one with \
             `scripts/slurm-local.sh start` (as root), as .ci/run does"
        );
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_postfit");
    let dir = tempfile::tempdir().unwrap();
    let work: PathBuf = dir.path().to_path_buf();
    for f in ["scenario.json", "sweep.json"] {
        std::fs::copy(root.join("scenarios/city").join(f), work.join(f)).unwrap();
    }
    let script = root.join("examples/slurm/sweep-array.sbatch");
    let export = format!("ALL,POSTFIT={bin},SWEEP=sweep.json,OUT_DIR=out");
    let sbatch = |extra: &[&str]| {
        let mut c = Command::new("sbatch");
        c.arg("--parsable")
            .arg(format!("--chdir={}", work.display()))
            .arg(format!("--output={}/%x-%A_%a.log", work.display()))
            .arg("--mem=400M");
        c.args(extra);
        sh(&mut c)
    };
    let array = sbatch(&[
        "--array=0-2",
        &format!("--export={export}"),
        script.to_str().unwrap(),
    ]);
    let array = array.split(';').next().unwrap().to_string();
    let merge = sbatch(&[
        &format!("--dependency=afterok:{array}"),
        &format!("--export={export},MERGE_SHARDS=3"),
        "--job-name=postfit-merge",
        script.to_str().unwrap(),
        "merge",
    ]);
    let merge = merge.split(';').next().unwrap().to_string();

    // The single-machine run, while the cluster works.
    let single = sh(Command::new(bin).current_dir(&work).args([
        "sweep",
        "sweep.json",
        "--price-rules",
        "--format",
        "jsonl",
    ]));

    let timeout = Duration::from_secs(
        std::env::var("POSTFIT_SLURM_TIMEOUT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1800),
    );
    let started = Instant::now();
    loop {
        let queued = sh(Command::new("squeue").args([
            "-h",
            "-j",
            &format!("{array},{merge}"),
            "-o",
            "%i %T %r",
        ]));
        if queued.is_empty() {
            break;
        }
        if queued.contains("DependencyNeverSatisfied") {
            let _ = Command::new("scancel").arg(&merge).status();
            panic!(
                "an array task failed, the merge cannot run:\n{}",
                logs(&work)
            );
        }
        if started.elapsed() > timeout {
            let _ = Command::new("scancel").args([&array, &merge]).status();
            panic!(
                "the Slurm jobs did not finish within {timeout:?}:\n{queued}\n{}",
                logs(&work)
            );
        }
        std::thread::sleep(Duration::from_secs(2));
    }

    let merged = std::fs::read_to_string(work.join("out/results.jsonl"))
        .unwrap_or_else(|e| panic!("no merged output ({e}):\n{}", logs(&work)));
    let single = untimed(&single);
    assert!(
        single.len() > 10,
        "base, 7 variants and 5 rule prices expected"
    );
    assert_eq!(
        untimed(&merged),
        single,
        "merged shards differ from one machine's run"
    );
    for i in 0..3 {
        let shard = std::fs::read_to_string(work.join(format!("out/shard-{i}.jsonl"))).unwrap();
        let n = shard.lines().count();
        assert!(n > 1 && n < single.len(), "shard {i} has {n} lines");
    }
    let md = std::fs::read_to_string(work.join("out/results.md")).unwrap();
    assert!(md.starts_with("| variant |"), "{md}");
}
