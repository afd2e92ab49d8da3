//! The command line's conventions and its output safety, end to end (issue 13 items 2, 3 and 5,
//! issue 7 items 3 and 4): help for every command (snapshots), one-line usage errors, `-` for
//! stdin and stdout, bounded `--threads`, `--out` checked before any work and never an input or
//! a special file, closed pipes, full disks, signals, escaped tables that fit 80 and 120
//! columns, TSV. The deadline's timing tests are in `tests/deadline.rs` (run one at a time).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_postfit"));
    // Tables have no width limit unless a test sets one.
    c.env_remove("COLUMNS").env_remove("POSTFIT_SOLVER_LOG");
    c
}

fn postfit(args: &[&str]) -> Output {
    bin().args(args).output().expect("postfit runs")
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

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
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

/// Asserts a failure is exactly one line starting `postfit: `, with no panic or backtrace.
fn one_line_error(o: &Output, code: i32) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "not one line: {err:?}");
    assert!(err.starts_with("postfit: "), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    err
}

// ---------------------------------------------------------------- help

/// Every command `postfit --help` lists (so a new command is covered without editing this
/// test), with `sweep merge` as well.
fn commands() -> Vec<String> {
    let help = stdout(&postfit(&["--help"]));
    let mut out: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect();
    assert!(out.len() >= 6, "too few commands in --help: {help}");
    if out.iter().any(|c| c == "sweep") {
        out.push("sweep merge".to_string());
    }
    out
}

#[test]
fn help_of_every_command() {
    let o = postfit(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    insta::assert_snapshot!("help_postfit", stdout(&o));
    for cmd in commands() {
        let mut args: Vec<&str> = cmd.split(' ').collect();
        args.push("--help");
        let o = postfit(&args);
        assert_eq!(o.status.code(), Some(0), "{cmd}: {}", stderr(&o));
        insta::assert_snapshot!(format!("help_{}", cmd.replace(' ', "_")), stdout(&o));
    }
}

/// Every argument and option has a description: in clap's long help an undescribed argument
/// is a line with nothing after its name.
#[test]
fn every_argument_is_described() {
    for cmd in commands() {
        let mut args: Vec<&str> = cmd.split(' ').collect();
        args.push("--help");
        let help = stdout(&postfit(&args));
        let mut lines = help.lines().peekable();
        while let Some(line) = lines.next() {
            let t = line.trim_start();
            let indent = line.len() - t.len();
            // Arguments sit at indent 2 (or 6 for long-only options); deeper lines are
            // descriptions and possible values.
            let is_arg = (2..=6).contains(&indent) && (t.starts_with('-') || t.starts_with('<'));
            if !is_arg {
                continue;
            }
            // Described on the same line (short help) or on the next, indented deeper.
            let same_line = t.split("  ").filter(|s| !s.trim().is_empty()).count() > 1;
            let next_line = lines.peek().is_some_and(|n| {
                n.len() - n.trim_start().len() > line.len() - t.len() && !n.trim().is_empty()
            });
            assert!(
                same_line || next_line,
                "{cmd}: undescribed: {line:?}\n{help}"
            );
        }
    }
}

#[test]
fn top_level_help_lists_exit_codes_and_no_missing_files() {
    let help = stdout(&postfit(&["--help"]));
    for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "130", "143"] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(code)),
            "exit code {code} not listed:\n{help}"
        );
    }
    let gen = stdout(&postfit(&["generate", "--help"]));
    assert!(!gen.contains("committed scenario"), "{gen}");
}

#[test]
fn explain_requires_a_candidate_or_a_post() {
    let help = stdout(&postfit(&["explain", "--help"]));
    assert!(help.contains("<--candidate <ID>|--post <ID>>"), "{help}");
    let o = postfit(&["explain", &scenario("tutorial")]);
    let err = one_line_error(&o, 2);
    assert!(
        err.contains("--candidate") && err.contains("explain --help"),
        "{err}"
    );
}

// ---------------------------------------------------------------- usage errors

#[test]
fn usage_errors_are_one_line() {
    let tut = scenario("tutorial");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("no_command", vec![]),
        ("unknown_command", vec!["sovle"]),
        ("unknown_flag", vec!["solve", &tut, "--bogus"]),
        ("missing_scenario", vec!["solve"]),
        ("extra_argument", vec!["solve", &tut, "again.json"]),
        ("bad_number", vec!["solve", &tut, "--threads", "x"]),
        ("bad_format", vec!["solve", &tut, "--format", "xml"]),
        ("bad_time_limit", vec!["solve", &tut, "--time-limit", "-1"]),
        ("zero_threads", vec!["solve", &tut, "--threads", "0"]),
        ("two_stdins", vec!["check", "-", "-"]),
    ];
    let mut all = String::new();
    for (name, args) in cases {
        let o = postfit(&args);
        if name == "no_command" {
            // `postfit` alone shows the help on stderr, exit 2.
            assert_eq!(o.status.code(), Some(2));
            assert!(stderr(&o).contains("Usage: postfit <COMMAND>"));
            continue;
        }
        let err = one_line_error(&o, 2).replace(&tut, "TUTORIAL");
        all.push_str(&format!("{name}: {err}"));
    }
    insta::assert_snapshot!("usage_errors", all);
}

#[test]
fn threads_are_bounded_by_four_times_the_cores() {
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let tut = scenario("tutorial");
    let most = (4 * cores).to_string();
    let o = postfit(&["solve", &tut, "--threads", &most]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let too_many = (4 * cores + 1).to_string();
    let err = one_line_error(&postfit(&["solve", &tut, "--threads", &too_many]), 2);
    assert!(err.contains("--threads") && err.contains(&most), "{err}");
    one_line_error(
        &postfit(&["solve", &tut, "--threads", "18446744073709551615"]),
        2,
    );
}

// ---------------------------------------------------------------- - for stdin and stdout

#[test]
fn dash_reads_stdin_and_writes_stdout() {
    let text = std::fs::read(scenario("tutorial")).unwrap();
    let mut child = bin()
        .args(["solve", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let from_stdin: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(from_stdin["status"], "optimal");

    // --out - puts the plan JSON on stdout (and no table).
    let o = postfit(&["solve", &scenario("tutorial"), "--out", "-"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).expect("only JSON");
    assert_eq!(plan["objective"], from_stdin["objective"]);

    // check reads the plan from stdin.
    let dir = tempfile::tempdir().unwrap();
    let plan_file = dir.path().join("plan.json");
    std::fs::write(&plan_file, &o.stdout).unwrap();
    let mut child = bin()
        .args(["check", &scenario("tutorial"), "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&o.stdout).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("The plan breaks nothing."));

    // generate --out - is stdout too.
    let o = postfit(&["generate", "--preset", "county", "--out", "-"]);
    assert_eq!(o.status.code(), Some(0));
    serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("a scenario on stdout");
}

// ---------------------------------------------------------------- --out safety

#[test]
fn out_into_a_missing_directory_fails_at_once_on_a_big_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("province.json");
    let o = postfit(&[
        "generate",
        "--preset",
        "province",
        "--out",
        big.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let missing = dir.path().join("no/such/dir/plan.json");
    let t = Instant::now();
    let o = postfit(&[
        "solve",
        big.to_str().unwrap(),
        "--out",
        missing.to_str().unwrap(),
    ]);
    let took = t.elapsed();
    let err = one_line_error(&o, 2);
    assert!(err.contains("does not exist"), "{err}");
    assert!(took < Duration::from_secs(1), "took {took:?}");
    // A directory as --out fails as fast.
    let t = Instant::now();
    let o = postfit(&[
        "solve",
        big.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let err = one_line_error(&o, 2);
    assert!(err.contains("a directory"), "{err}");
    assert!(t.elapsed() < Duration::from_secs(1));
    // The message names the path as given, never a temporary file.
    assert!(!err.contains(".postfit-"), "{err}");
}

#[test]
fn out_never_overwrites_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("scenario.json");
    std::fs::copy(scenario("tutorial"), &s).unwrap();
    let before = std::fs::read(&s).unwrap();
    let s_str = s.to_str().unwrap();
    // The same path, another spelling of it, a symlink to it and a hard link to it.
    let dotted = dir.path().join(".").join("scenario.json");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&s, &link).unwrap();
    let hard = dir.path().join("hard.json");
    std::fs::hard_link(&s, &hard).unwrap();
    for out in [&s, &dotted, &link, &hard] {
        let o = postfit(&["solve", s_str, "--out", out.to_str().unwrap()]);
        let err = one_line_error(&o, 2);
        assert!(err.contains("input"), "{err}");
    }
    // check's plan is an input too.
    let plan = dir.path().join("plan.json");
    let o = postfit(&["solve", s_str, "--out", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read(&s).unwrap(), before, "the scenario changed");
}

#[test]
fn out_refuses_special_files_and_follows_symlinks() {
    let tut = scenario("tutorial");
    for special in ["/dev/null", "/dev/full"] {
        let err = one_line_error(&postfit(&["solve", &tut, "--out", special]), 2);
        assert!(err.contains("a device"), "{err}");
    }
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let ok = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(ok.success());
    let err = one_line_error(
        &postfit(&["solve", &tut, "--out", fifo.to_str().unwrap()]),
        2,
    );
    assert!(err.contains("FIFO"), "{err}");

    // Through a symlink: the target gets the plan, the link stays a link.
    let target = dir.path().join("target.json");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("plan.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let o = postfit(&["solve", &tut, "--out", link.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let plan: serde_json::Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(plan["status"], "optimal");
    // A dangling symlink creates its target.
    let new_target = dir.path().join("new.json");
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink(&new_target, &dangling).unwrap();
    let o = postfit(&["solve", &tut, "--out", dangling.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(new_target.is_file());
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".postfit") || n.starts_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

// ---------------------------------------------------------------- pipes, full disks, signals

#[test]
fn a_closed_pipe_ends_quietly() {
    // A province scenario is megabytes: far more than a pipe buffer holds.
    let mut child = bin()
        .args(["generate", "--preset", "province"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    // The same for a table: read one line, then close.
    let mut child = bin()
        .args(["solve", &scenario("city")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut out, &mut first).unwrap();
    drop(out);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

#[test]
fn a_full_disk_is_one_line() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists on Linux");
    let o = bin()
        .args(["solve", &scenario("tutorial")])
        .stdout(full)
        .output()
        .unwrap();
    let err = one_line_error(&o, 2);
    assert!(
        err.contains("cannot write stdout") && err.contains("No space left"),
        "{err}"
    );
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = bin().args(["schema"]).stdout(full).output().unwrap();
    one_line_error(&o, 2);
}

#[test]
fn sigterm_and_sigint_end_cleanly() {
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
    for (signal, code) in [("TERM", 143), ("INT", 130)] {
        let plan = dir.path().join("plan.json");
        let child = bin()
            .args([
                "solve",
                big.to_str().unwrap(),
                "--out",
                plan.to_str().unwrap(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(700));
        let ok = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        let o = child.wait_with_output().unwrap();
        let err = one_line_error(&o, code);
        assert!(err.contains(&format!("SIG{signal}")), "{err}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "province.json")
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}

// ---------------------------------------------------------------- tables

/// A solve table without its timing (the only part that changes between runs).
fn table_at(width: &str, scenario_path: &str, format: &str) -> String {
    let o = bin()
        .args(["solve", scenario_path, "--format", format])
        .env("COLUMNS", width)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| match l.find("; solved in ") {
            Some(i) => format!("{}; solved in (time)", &l[..i]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn tables_fit_80_and_120_columns() {
    for width in [80usize, 120] {
        let text = table_at(&width.to_string(), &scenario("tutorial"), "table");
        // Display columns (a Chinese character takes two), as a terminal shows them.
        for line in text.lines() {
            let cols = unicode_width::UnicodeWidthStr::width(line);
            assert!(cols <= width, "{width}: {cols} columns: {line}");
        }
        insta::assert_snapshot!(format!("solve_tutorial_{width}"), text);
    }
    // County titles are long: at 80 columns they wrap or lose low-priority columns.
    let county = table_at("80", &scenario("county"), "table");
    assert!(county
        .lines()
        .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80));
}

#[test]
fn tsv_has_tabs_and_no_box_drawing() {
    let text = table_at("80", &scenario("tutorial"), "tsv");
    assert!(
        text.contains("post\tteam\trank\ttitle\tcandidate"),
        "{text}"
    );
    assert!(!text.contains('│') && !text.contains('┆'), "{text}");
    insta::assert_snapshot!("solve_tutorial_tsv", text);
}

#[test]
fn no_rust_syntax_or_scientific_gaps_in_tables() {
    for name in ["tutorial", "county", "city"] {
        let text = table_at("200", &scenario(name), "table");
        assert!(!text.contains(".."), "{name}: Rust range syntax: {text}");
        let summary = text.lines().find(|l| l.starts_with("Status:")).unwrap();
        assert!(
            !summary.contains("e-") && !summary.contains("e0"),
            "{summary}"
        );
        assert!(!text.contains("tight"), "{name}: say binding, not tight");
    }
    let o = postfit(&["solve", &scenario("county"), "--format", "json"]);
    let out = stdout(&o);
    assert!(out.contains("\"binding\"") && !out.contains("\"tight\""));
}

#[test]
fn control_characters_are_escaped_in_tables_and_exact_in_json() {
    let Some(cases) = cases() else { return };
    let f = cases.join("control-characters-in-names.json");
    let f = f.to_str().unwrap();
    for format in ["table", "tsv"] {
        let o = postfit(&["solve", f, "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        let bad: Vec<char> = out
            .chars()
            .filter(|&c| postfit::render::is_unsafe_char(c) && c != '\n' && c != '\t')
            .collect();
        assert!(bad.is_empty(), "{format}: raw {bad:?} reach the terminal");
        assert!(out.contains("\\u{1b}"), "{out}");
    }
    // JSON keeps every character of the names exactly.
    let o = postfit(&["solve", f, "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let raw: serde_json::Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
    assert_eq!(plan["scenario"], raw["name"]);
}

#[test]
fn an_unwritable_solver_log_is_a_warning() {
    let o = bin()
        .args(["solve", &scenario("tutorial")])
        .env("POSTFIT_SOLVER_LOG", "/no/such/dir/highs.log")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning: POSTFIT_SOLVER_LOG"), "{err}");
    assert!(stdout(&o).contains("Status: OPTIMAL"));
}

// ---------------------------------------------------------------- check

#[test]
fn check_warns_about_another_scenario_and_a_wrong_objective() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let tut = scenario("tutorial");
    let o = postfit(&["solve", &tut, "--out", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    // As written: no warning.
    let o = postfit(&["check", &tut, plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "");
    // Renamed scenario (so another SHA-256 too) and a stated objective that is off.
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&plan).unwrap()).unwrap();
    doc["objective"] = serde_json::json!(99.0);
    std::fs::write(&plan, serde_json::to_vec(&doc).unwrap()).unwrap();
    let mut raw: serde_json::Value = serde_json::from_slice(&std::fs::read(&tut).unwrap()).unwrap();
    raw["name"] = serde_json::json!("another scenario");
    let other = dir.path().join("other.json");
    std::fs::write(&other, serde_json::to_vec(&raw).unwrap()).unwrap();
    let o = postfit(&["check", other.to_str().unwrap(), plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "warnings do not fail the check");
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 3, "{err}");
    assert!(err.contains("is for scenario \"Tutorial"), "{err}");
    assert!(err.contains("SHA-256 differs"), "{err}");
    assert!(err.contains("states objective 99"), "{err}");
    let o = postfit(&[
        "check",
        other.to_str().unwrap(),
        plan.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["warnings"].as_array().unwrap().len(), 3);
}

#[test]
fn check_counts_what_it_lists() {
    // The infeasible county's relaxed plan breaks hard rules; soft shortfalls are listed apart.
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let s = scenario("county-infeasible");
    let o = postfit(&["solve", &s, "--relax", "--out", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = postfit(&["check", &s, plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let said: usize = out
        .lines()
        .find_map(|l| l.strip_prefix("The plan breaks "))
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    let listed = out.lines().filter(|l| l.starts_with("  ERROR ")).count();
    assert_eq!(said, listed, "{out}");
    if let Some(n) = out
        .lines()
        .find_map(|l| l.strip_prefix("Soft rules not met ("))
        .and_then(|r| r.split(';').next())
        .and_then(|n| n.parse::<usize>().ok())
    {
        assert_eq!(n, out.lines().filter(|l| l.starts_with("  soft ")).count());
    }
}

// ---------------------------------------------------------------- explain

#[test]
fn explain_names_the_hard_rule_a_forcing_would_break() {
    let o = postfit(&["explain", &scenario("tutorial"), "--candidate", "C01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("infeasible: it breaks rule \"technical fit rate\": short by 0.4 (needs 80% of 3 placements = 2.4 fitting, has 2)"),
        "{out}"
    );
    assert!(!out.contains("forcing breaks a hard rule"), "{out}");
    // And with the team when the rule is per team.
    let o = postfit(&["explain", &scenario("tutorial"), "--candidate", "C02"]);
    let out = stdout(&o);
    assert!(
        out.contains("it breaks rule \"CPPCC half non-party\" at team cppcc"),
        "{out}"
    );
}
