//! One deadline for the whole command (issue 7 item 3): `--time-limit` overshoots by at most
//! max(0.5 s, 5 %) of the limit, measured end to end on the binary. Not a benchmark: each test
//! asserts the bound. The tests take a lock so that they run one at a time (the machine's two
//! cores are not shared with the other tests of this file).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::Instant;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn postfit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(args)
        .env_remove("POSTFIT_SOLVER_LOG")
        .output()
        .expect("postfit runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn scenario(name: &str) -> String {
    root()
        .join(format!("scenarios/{name}/scenario.json"))
        .display()
        .to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The shared cases folder (`$POSTFIT_SHARED` or `../shared`), or `None` with a note.
fn cases() -> Option<PathBuf> {
    let shared = std::env::var_os("POSTFIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared"));
    let dir = shared.join("cases/2026-11-30");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: the shared cases are not at {} (set POSTFIT_SHARED=/path/to/shared)",
            dir.display()
        );
        None
    }
}

/// Overshoot allowed by issue 7: max(0.5 s, 5 % of the limit).
fn allowed(limit: f64) -> f64 {
    (0.05 * limit).max(0.5)
}

#[test]
fn the_diagnosis_keeps_the_deadline() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(cases) = cases() else { return };
    let f = cases.join("diagnosis-overruns-time-limit.json");
    let t = Instant::now();
    let o = postfit(&["solve", f.to_str().unwrap(), "--time-limit", "2"]);
    let took = t.elapsed().as_secs_f64();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        took <= 2.0 + allowed(2.0),
        "took {took:.2} s with --time-limit 2"
    );
    eprintln!("diagnosis case, --time-limit 2: {took:.2} s");
    // No minimal relaxation was found in time: the table claims no total ("0 in all").
    let out = String::from_utf8_lossy(&o.stdout);
    if out.contains("the time limit ran out before the minimal diagnosis") {
        assert!(!out.contains("the least that must give"), "{out}");
    }
}

/// Found in session 18's review: `solve --relax` whose relaxation the time limit cut short
/// exited 3 ("cannot all hold") and wrote the diagnosis as if that were the answer. The user
/// asked for the closest workable plan and none was found in time: exit 4, no plan file.
#[test]
fn relax_cut_short_by_the_time_limit_exits_4_without_a_plan_file() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let Some(cases) = cases() else { return };
    let f = cases.join("diagnosis-overruns-time-limit.json");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.json");
    let o = postfit(&[
        "solve",
        f.to_str().unwrap(),
        "--relax",
        "--time-limit",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    match o.status.code() {
        // The relaxation was found in time (a fast machine): a relaxed plan, written.
        Some(0) => {
            let plan: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
            assert_eq!(plan["status"], "relaxed");
        }
        Some(4) => {
            assert!(!out.exists(), "exit 4 wrote a plan file");
            let err = stderr(&o);
            assert!(
                err.contains("--relax") && err.contains("time limit of 2 s"),
                "{err}"
            );
            assert_eq!(err.lines().count(), 1, "{err}");
        }
        other => panic!("exit {other:?}: {}", stderr(&o)),
    }
    // `report` reports the relaxed plan of an infeasible scenario; when the time ran out
    // before it, it exited 0 with the greedy baseline only (found by a reviewer, session 20).
    let md = dir.path().join("report.md");
    let o = postfit(&[
        "report",
        f.to_str().unwrap(),
        "--time-limit",
        "2",
        "--markdown",
        md.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    match o.status.code() {
        Some(0) => assert!(!err.contains("greedy baseline only"), "{err}"),
        Some(4) => assert!(
            err.contains("ran out before the closest workable plan was found"),
            "{err}"
        ),
        other => panic!("report: exit {other:?}: {err}"),
    }
}

/// HiGHS does not poll its interrupt everywhere (national-hard once spent minutes past the
/// limit in its root rounding): a run that overruns is abandoned to its thread, and the command
/// still ends on time with what it has. `POSTFIT_TEST_STALL_SOLVER` makes every HiGHS run stall
/// 30 s as such a part would; without the watchdog this test takes 30 s and fails.
#[test]
fn a_solver_run_that_ignores_the_interrupt_is_abandoned_at_the_deadline() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let t = Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(["solve", &scenario("city"), "--time-limit", "2"])
        .env_remove("POSTFIT_SOLVER_LOG")
        .env("POSTFIT_TEST_STALL_SOLVER", "30")
        .output()
        .expect("postfit runs");
    let took = t.elapsed().as_secs_f64();
    assert!(
        took <= 2.0 + allowed(2.0),
        "took {took:.2} s with --time-limit 2"
    );
    // No run ended, so no plan: exit 4 and one line that says so.
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no plan found within the time limit of 2 s"),
        "{}",
        stderr(&o)
    );
}

/// Found by a reviewer (2026-12-03): `--time-limit 1e-300` printed the limit with all its 300
/// zeros.
#[test]
fn a_tiny_time_limit_is_named_in_exponent_form() {
    let o = Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(["solve", &scenario("tutorial"), "--time-limit", "1e-300"])
        .env_remove("POSTFIT_SOLVER_LOG")
        .output()
        .expect("postfit runs");
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no plan found within the time limit of 1e-300 s"),
        "{}",
        stderr(&o)
    );
}

/// Found by a reviewer (session 20): `slate --time-limit 1e20` and `explain --time-limit 1e19`
/// panicked (a float too large for a `Duration`, or an instant overflowing). Every command
/// that takes a time limit accepts any finite positive one; a huge one is no limit at all.
#[test]
fn a_huge_time_limit_is_no_limit_in_every_command() {
    let t = scenario("tutorial");
    for limit in ["9.3e18", "1e20", "1.7976931348623157e308"] {
        for args in [
            vec!["solve", &t],
            vec!["slate", &t, "--k", "1"],
            vec!["explain", &t, "--post", "agri-head"],
            vec!["explain", &t, "--candidate", "C01"],
            vec!["report", &t],
        ] {
            let o = Command::new(env!("CARGO_BIN_EXE_postfit"))
                .args(&args)
                .args(["--time-limit", limit])
                .env_remove("POSTFIT_SOLVER_LOG")
                .output()
                .expect("postfit runs");
            assert_eq!(
                o.status.code(),
                Some(0),
                "{args:?} --time-limit {limit}: {}",
                stderr(&o)
            );
        }
    }
}

/// Found by a reviewer (session 20): when the time ran out before any plan, `slate` exited 4
/// but wrote its --out file, `explain` and `report` exited 0, and `explain` said "The scenario
/// has no plan", as if it could not be staffed. Now each exits 4 (`postfit --help`), writes no
/// slate file, and says the time limit ran out; an infeasible scenario makes `explain` exit 3
/// as `slate` does.
#[test]
fn every_command_exits_4_when_the_time_runs_out_before_any_plan() {
    let t = scenario("city");
    let dir = tempfile::tempdir().unwrap();
    let slate_out = dir.path().join("slates.json");
    let report_out = dir.path().join("report.md");
    let cases: [(Vec<&str>, &str); 4] = [
        (
            vec![
                "slate",
                &t,
                "--k",
                "1",
                "--out",
                slate_out.to_str().unwrap(),
            ],
            "no plan found within the time limit; no slates (no file written)",
        ),
        (
            vec!["explain", &t, "--post", "J00-congress-1"],
            "no plan found within the time limit: eligibility only, no costs",
        ),
        (
            vec!["explain", &t, "--candidate", "C0001"],
            "no plan found within the time limit: eligibility only, no costs",
        ),
        (
            vec!["report", &t, "--markdown", report_out.to_str().unwrap()],
            "no plan: the time limit ran out before any plan was found; reporting the greedy \
             baseline only",
        ),
    ];
    for (args, says) in cases {
        let o = Command::new(env!("CARGO_BIN_EXE_postfit"))
            .args(&args)
            .args(["--time-limit", "1e-300"])
            .env_remove("POSTFIT_SOLVER_LOG")
            .output()
            .expect("postfit runs");
        assert_eq!(o.status.code(), Some(4), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    assert!(!slate_out.exists(), "exit 4 wrote the slate file");
    // The report still shows the greedy baseline, labelled as such.
    assert!(std::fs::read_to_string(&report_out)
        .unwrap()
        .contains("greedy"));
    // Text output says why there is no plan.
    let o = postfit(&[
        "explain",
        &t,
        "--post",
        "J00-congress-1",
        "--time-limit",
        "1e-300",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("No plan: the time limit ran out before any plan was found"),
        "{out}"
    );
    // `report` on an infeasible scenario reports the relaxed plan; when the time runs out
    // before it, exit 4 as `solve --relax` does (found by a reviewer, session 20).
    let infeasible = root().join("scenarios/county-infeasible/scenario.json");
    let o = postfit(&[
        "report",
        infeasible.to_str().unwrap(),
        "--markdown",
        report_out.to_str().unwrap(),
        "--time-limit",
        "1e-300",
    ]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    // Infeasible: exit 3, as `slate` does.
    let o = postfit(&[
        "explain",
        infeasible.to_str().unwrap(),
        "--candidate",
        "C0001",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot all hold"), "{}", stderr(&o));
}

#[test]
fn a_big_scenario_stops_at_the_deadline_and_writes_no_plan() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("province.json");
    let o = postfit(&[
        "generate",
        "--preset",
        "province",
        "--out",
        big.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let plan = dir.path().join("plan.json");
    // 0.2 s runs out while the scenario is read or the model built (before the solver starts),
    // which a loaded CI machine hit at 1 s too: the run must still say why there is no plan.
    for limit in [0.2f64, 1.0, 2.5] {
        assert_stops_at_the_deadline(&big, &plan, limit, "province");
    }
}

#[test]
fn explain_keeps_the_deadline() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let t = Instant::now();
    let o = postfit(&[
        "explain",
        &scenario("city"),
        "--candidate",
        "C0001",
        "--time-limit",
        "1",
    ]);
    let took = t.elapsed().as_secs_f64();
    assert!(took <= 1.0 + allowed(1.0), "explain took {took:.2} s");
    assert!(
        matches!(o.status.code(), Some(0) | Some(2) | Some(4)),
        "{}",
        stderr(&o)
    );
}

/// Issue 7 item 3 asks for the overshoot on a scenario that takes far longer than the limit:
/// `province-hard` (5,000 candidates, fractional LP; minutes without a limit) with a 10 s limit
/// must end within 10.5 s with a `feasible` plan and its bound, or exit 4 and write no plan.
#[test]
fn a_hard_scenario_that_takes_minutes_stops_at_the_deadline() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("province-hard.json");
    let o = postfit(&[
        "generate",
        "--preset",
        "province-hard",
        "--out",
        big.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan = dir.path().join("plan.json");
    assert_stops_at_the_deadline(&big, &plan, 10.0, "province-hard");
}

/// Solves `scenario` with `--time-limit limit` and `--out`, asserting the overshoot bound, that
/// exit 4 writes no plan and comes only after the limit is spent, and that exit 0 writes a
/// `feasible` or `optimal` plan with a bound.
fn assert_stops_at_the_deadline(scenario: &Path, plan: &Path, limit: f64, label: &str) {
    let t = Instant::now();
    let o = postfit(&[
        "solve",
        scenario.to_str().unwrap(),
        "--time-limit",
        &limit.to_string(),
        "--out",
        plan.to_str().unwrap(),
        "--format",
        "json",
        "--stats",
    ]);
    let took = t.elapsed().as_secs_f64();
    // `--stats` describes a run cut short in words, never with NaN.
    let err = stderr(&o);
    assert!(!err.contains("NaN"), "{err}");
    eprintln!(
        "{label}, --time-limit {limit}: {took:.2} s, exit {:?}",
        o.status.code()
    );
    assert!(
        took <= limit + allowed(limit),
        "took {took:.2} s with --time-limit {limit}"
    );
    match o.status.code() {
        Some(4) => {
            assert!(!plan.exists(), "a plan file without a plan");
            assert!(
                err.contains("no LP bound yet") || err.contains("no plan yet"),
                "{err}"
            );
            // Pairs the limit stopped listing are "not counted", never "0 eligible pairs"
            // (every scenario these tests run has eligible pairs).
            assert!(!err.contains(" 0 eligible pairs"), "{err}");
            // Giving up is only right when the time is really spent (HiGHS's run clock once
            // counted earlier pricing rounds, and runs gave up after half their limit).
            assert!(
                took >= 0.9 * limit,
                "gave up after {took:.2} s of a {limit} s limit"
            );
        }
        Some(0) => {
            let doc: serde_json::Value =
                serde_json::from_slice(&std::fs::read(plan).unwrap()).unwrap();
            assert!(doc["status"] == "feasible" || doc["status"] == "optimal");
            assert!(doc["bound"].is_number(), "{doc}");
            std::fs::remove_file(plan).unwrap();
        }
        other => panic!("exit {other:?}: {}", stderr(&o)),
    }
}

/// Found in session 20 and fixed in session 21: with `--time-limit 1e-300` on the tutorial,
/// `solve` exited 4 but `slate` and `report` (whose base solve did not look at the deadline
/// before it started) solved anyway and exited 0. A limit that has run out before the solver
/// starts gives "no plan" in every command.
#[test]
fn a_limit_spent_before_the_solver_starts_gives_no_plan_in_every_command() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let tutorial = scenario("tutorial");
    let out = tempfile::tempdir().expect("temp dir");
    let slate_out = out.path().join("slate.json");
    let runs: [(&str, Vec<&str>, Option<&Path>); 3] = [
        (
            "solve",
            vec!["solve", &tutorial, "--time-limit", "1e-300"],
            None,
        ),
        (
            "slate",
            vec![
                "slate",
                &tutorial,
                "--k",
                "2",
                "--time-limit",
                "1e-300",
                "--out",
                slate_out.to_str().unwrap(),
            ],
            Some(&slate_out),
        ),
        (
            "report",
            vec!["report", &tutorial, "--time-limit", "1e-300"],
            None,
        ),
    ];
    for (name, args, file) in runs {
        let o = postfit(&args);
        assert_eq!(o.status.code(), Some(4), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("time limit"),
            "{name} says why: {}",
            stderr(&o)
        );
        if let Some(f) = file {
            assert!(!f.exists(), "{name} wrote {}", f.display());
        }
    }
}
