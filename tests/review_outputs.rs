//! Output faults found by a reviewer trying postfit as a demanding user would (2026-11-30),
//! each kind turned into tests: outputs that replaced the command's own inputs (`report --html
//! PLAN`, `convert X X`, `template` over a filled-in roster); output files whose name and format
//! disagreed (`solve --out plan.csv` wrote JSON, `slate --out s.xlsx` a text table, `generate
//! --out x.xlsx` JSON); Markdown documents and CSV on a terminal that let control characters
//! through.

mod review_support;

use std::process::Command;

use review_support::*;

#[test]
fn outputs_that_are_inputs_or_of_another_format_are_refused_before_any_work() {
    let dir = workspace();
    let d = dir.path();
    std::fs::write(d.join("roster.xlsx"), b"a filled-in roster").unwrap();
    std::fs::create_dir(d.join("folder")).unwrap();
    std::fs::copy(d.join("plan.json"), d.join("plan.txt")).unwrap();
    let cases: Vec<(&str, Vec<&str>)> = vec![
        // report wrote its HTML over the plan it read, exit 0.
        (
            "report_html_is_the_plan",
            vec!["report", "tut.json", "plan.json", "--html", "plan.json"],
        ),
        (
            "report_markdown_is_the_scenario",
            vec!["report", "tut.json", "plan.json", "--markdown", "tut.json"],
        ),
        (
            "report_markdown_is_the_plan",
            vec!["report", "tut.json", "plan.txt", "--markdown", "plan.txt"],
        ),
        (
            "report_markdown_is_the_plan_by_another_name",
            vec!["report", "tut.json", "./plan.txt", "--markdown", "plan.txt"],
        ),
        (
            "report_html_and_markdown_are_one_file",
            vec!["report", "tut.json", "--html", "out", "--markdown", "out"],
        ),
        (
            "report_html_and_markdown_are_both_stdout",
            vec!["report", "tut.json", "--html", "-", "--markdown", "-"],
        ),
        (
            "report_html_is_a_folder",
            vec!["report", "tut.json", "--html", "folder"],
        ),
        (
            "report_csv_is_a_file",
            vec!["report", "tut.json", "--csv", "plan.json"],
        ),
        (
            "report_csv_under_a_file",
            vec!["report", "tut.json", "--csv", "plan.json/csv"],
        ),
        // convert X X replaced the input with its regenerated self.
        (
            "convert_onto_itself",
            vec!["convert", "tut.json", "tut.json"],
        ),
        (
            "convert_onto_itself_by_another_name",
            vec!["convert", "tut.json", "./tut.json"],
        ),
        (
            "convert_into_a_folder",
            vec!["convert", "tut.json", "folder"],
        ),
        // template replaced a filled-in roster with a blank one.
        ("template_over_a_roster", vec!["template", "roster.xlsx"]),
        // --out names another format than the one written.
        (
            "solve_out_csv",
            vec!["solve", "tut.json", "--out", "plan.csv"],
        ),
        (
            "solve_out_ods",
            vec!["solve", "tut.json", "--out", "plan.ods"],
        ),
        (
            "solve_out_markdown",
            vec!["solve", "tut.json", "--out", "plan.md"],
        ),
        (
            "slate_out_xlsx",
            vec!["slate", "tut.json", "--k", "2", "--out", "slates.xlsx"],
        ),
        (
            "slate_out_csv",
            vec!["slate", "tut.json", "--k", "2", "--out", "slates.csv"],
        ),
        (
            "sweep_out_xlsx",
            vec!["sweep", "sweep.json", "--out", "results.xlsx"],
        ),
        (
            "merge_out_html",
            vec!["sweep", "merge", "results.jsonl", "--out", "results.html"],
        ),
        (
            "report_html_named_md",
            vec!["report", "tut.json", "--html", "report.md"],
        ),
        (
            "report_markdown_named_html",
            vec!["report", "tut.json", "--markdown", "report.html"],
        ),
    ];
    insta::assert_snapshot!("output_refusals", refusals(d, &cases));
}

#[test]
fn report_outputs_are_written_where_asked() {
    let dir = workspace();
    let d = dir.path();
    let o = postfit(&[
        "report",
        d.join("tut.json").to_str().unwrap(),
        d.join("plan.json").to_str().unwrap(),
        "--html",
        d.join("r.html").to_str().unwrap(),
        "--markdown",
        d.join("r.md").to_str().unwrap(),
        "--csv",
        d.join("new/csv").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(d.join("r.html"))
        .unwrap()
        .starts_with("<!DOCTYPE html>"));
    assert!(std::fs::read_to_string(d.join("r.md"))
        .unwrap()
        .starts_with("# Fit-rate report"));
    assert!(std::fs::read_dir(d.join("new/csv")).unwrap().count() >= 3);
    // The plan it read is untouched.
    let plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["status"], "optimal");
    // A template goes where nothing is yet.
    let o = postfit(&["template", d.join("blank.xlsx").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(d.join("blank.xlsx"))
        .unwrap()
        .starts_with(b"PK"));
}

#[test]
fn the_out_extension_picks_a_format_the_command_writes() {
    let dir = workspace();
    let d = dir.path();
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    // solve: .xlsx in any case is a workbook; any other name JSON.
    for (name, book) in [("plan.XLSX", true), ("plan.out", false), ("plan", false)] {
        let o = postfit(&["solve", &p("tut.json"), "--out", &p(name)]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let bytes = std::fs::read(d.join(name)).unwrap();
        assert_eq!(bytes.starts_with(b"PK"), book, "{name}");
        assert_eq!(bytes.starts_with(b"{"), !book, "{name}");
    }
    // slate: .txt is the table, escaped like stdout.
    let o = postfit(&["slate", &p("tut.json"), "--k", "1", "--out", &p("s.txt")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(d.join("s.txt"))
        .unwrap()
        .contains("Optimal plan: OPTIMAL"));
    // sweep and merge: .md Markdown, .csv CSV, .jsonl JSON Lines, whatever --format says.
    for (args, name, starts) in [
        (vec!["sweep", &p("sweep.json")[..]], "a.md", "| variant |"),
        (
            vec!["sweep", &p("sweep.json")[..]],
            "a.csv",
            "variant,index,",
        ),
        (
            vec!["sweep", "merge", &p("results.jsonl")[..]],
            "m.md",
            "| variant |",
        ),
        (
            vec!["sweep", "merge", &p("results.jsonl")[..]],
            "m.jsonl",
            "{\"variant\":\"base\"",
        ),
    ] {
        let mut args = args.clone();
        let out = p(name);
        args.extend(["--format", "jsonl", "--out", &out]);
        let o = postfit(&args);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let text = std::fs::read_to_string(d.join(name)).unwrap();
        assert!(text.starts_with(starts), "{name}: {text}");
        assert!(stdout(&o).starts_with("{\"variant\""), "stdout is --format");
    }
}

/// Characters that may not reach a terminal raw (control characters but line breaks, bidi).
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| postfit::render::is_unsafe_char(c) && c != '\n')
        .collect()
}

#[test]
fn markdown_documents_escape_control_characters() {
    let Some(cases) = cases() else { return };
    let f = cases.join("control-characters-in-names.json");
    let f = f.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let plan = plan.to_str().unwrap();
    assert_eq!(postfit(&["solve", f, "--out", plan]).status.code(), Some(0));
    let md = dir.path().join("slates.md");
    for args in [
        vec!["slate", f, "--k", "2", "--format", "markdown"],
        vec!["report", f, plan],
        vec!["diff", f, plan, plan, "--format", "markdown"],
        vec!["slate", f, "--k", "2", "--out", md.to_str().unwrap()],
    ] {
        let o = postfit(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(raw_controls(&out).is_empty(), "{args:?}: {out}");
        assert!(out.contains("\\u{1b}"), "{args:?}: {out}");
    }
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(raw_controls(&text).is_empty(), "{text}");
    assert!(text.contains("\\u{202e}"), "{text}");
}

#[test]
fn markdown_cells_keep_their_table_whole() {
    let dir = workspace();
    let d = dir.path();
    // A rule name with a pipe and a line break in the diff's rule table; a variant named a|b.
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("tut.json")).unwrap()).unwrap();
    v["rules"][0]["name"] = "non-party | in every\nteam".into();
    std::fs::write(d.join("pipes.json"), v.to_string()).unwrap();
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    let o = postfit(&[
        "diff",
        &p("pipes.json"),
        &p("plan.json"),
        &p("plan.json"),
        "--format",
        "markdown",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("| non-party \\| in every team |"), "{out}");
    let o = postfit(&["sweep", &p("sweep.json"), "--format", "markdown"]);
    assert!(stdout(&o).contains("| a\\|b |"), "{}", stdout(&o));
}

/// `generate --out big.xlsx` wrote JSON under a workbook's name; `.xlsx` now writes the
/// scenario as a workbook (the same scenario: the same optimum), another format's name is
/// refused.
#[test]
fn generate_writes_the_format_its_out_names() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    for name in ["g.json", "g.xlsx"] {
        let o = postfit(&["generate", "--preset", "county", "--out", &p(name)]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert!(std::fs::read(p("g.xlsx")).unwrap().starts_with(b"PK"));
    let objective = |name: &str| {
        let o = postfit(&["solve", &p(name), "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["objective"]
            .as_f64()
            .unwrap()
    };
    assert!((objective("g.json") - objective("g.xlsx")).abs() <= 1e-9);
    let o = postfit(&["generate", "--preset", "county", "--out", &p("g.csv")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a scenario is written as .json or .xlsx, not .csv"));
    assert!(!dir.path().join("g.csv").exists());
}

/// `sweep --format csv` on a terminal let a rule's or variant's escape sequences through
/// (tables and Markdown escape them); on a terminal CSV is escaped too, in a pipe it stays
/// exact. Needs `script` (util-linux) for a terminal; skipped with a note without it.
#[test]
fn csv_on_a_terminal_is_escaped_and_exact_in_a_pipe() {
    let dir = workspace();
    let d = dir.path();
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("tut.json")).unwrap()).unwrap();
    v["rules"][0]["name"] = "non-party \u{1b}[2J\u{202e}evil".into();
    std::fs::write(d.join("ctl.json"), v.to_string()).unwrap();
    std::fs::write(
        d.join("ctl-sweep.json"),
        serde_json::json!({"base": "ctl.json", "variants": [{"name": "x\u{1b}]0;pwn\u{7}", "patch": []}]})
            .to_string(),
    )
    .unwrap();
    let sweep = d.join("ctl-sweep.json");
    let sweep = sweep.to_str().unwrap();
    // In a pipe: exact.
    let o = postfit(&["sweep", sweep, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("x\u{1b}]0;pwn\u{7}"));
    // On a terminal (stdout of `script`): escaped.
    let cmd = format!(
        "{} sweep {sweep} --format csv 2>/dev/null",
        env!("CARGO_BIN_EXE_postfit")
    );
    let Ok(o) = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .output()
    else {
        eprintln!("SKIPPED: no `script` to give postfit a terminal");
        return;
    };
    let out = stdout(&o);
    assert!(out.contains("x\\u{1b}]0;pwn\\u{7}"), "{out}");
    assert!(raw_controls(&out.replace('\r', "")).is_empty(), "{out:?}");
}

/// A small scenario as a folder of CSV files (one sheet a file, as `postfit` reads it).
fn csv_scenario(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, text) in [
        (
            "candidates",
            "id,name,rank,years_at_rank,attr.g,specialty.a\nC1,王芳,r0,2,A,1\nC2,李强,r1,0,B,0.5\n",
        ),
        (
            "posts",
            "id,title,team,rank,kind,must_fill,specialty.a\nP1,局长,T1,r1,tech,yes,1\n",
        ),
        ("ranks", "rank,min_years\nr0,\nr1,1\n"),
        (
            "rules",
            "name,type,scope,group,min\nr1,fit_rate,placements,,0.5\n",
        ),
        ("settings", "key,value\nname,csv test\n"),
        ("teams", "id,name,tags\nT1,团队一,cppcc\n"),
    ] {
        std::fs::write(dir.join(format!("{name}.csv")), text).unwrap();
    }
}

/// Every file of a folder, by name, with its bytes.
fn folder_contents(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Found by a reviewer (2026-12-03): `report s --csv s`, with `s` a CSV-folder scenario,
/// replaced the scenario's `rules.csv` with the report's rules table (exit 0), and the
/// scenario no longer loaded. The scenario's folder is an input: refused before any work.
#[test]
fn report_csv_into_the_scenarios_own_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s");
    csv_scenario(&s);
    let before = folder_contents(&s);
    let s_str = s.to_str().unwrap();
    assert_eq!(postfit(&["solve", s_str]).status.code(), Some(0));
    let other = format!("{}/.", s_str);
    for target in [s_str, other.as_str()] {
        let o = postfit(&["report", s_str, "--csv", target]);
        assert_eq!(o.status.code(), Some(2), "{target}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains("--csv") && err.contains("is the folder of the input"),
            "{err}"
        );
    }
    let after = folder_contents(&s);
    assert_eq!(before, after, "the scenario's folder was changed");
    // Another folder still gets the tables.
    let out = dir.path().join("tables");
    let o = postfit(&["report", s_str, "--csv", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("rules.csv").is_file());
}

/// Found by a reviewer (2026-12-03): error lines on stderr escaped ESC and newlines but let
/// bidi overrides (U+202E) from the input through raw; now every `postfit:` line on stderr
/// goes through the tables' escaping.
#[test]
fn error_lines_escape_bidi_overrides() {
    let dir = workspace();
    let d = dir.path();
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("tut.json")).unwrap()).unwrap();
    v["posts"][0]["rank"] = "sec\u{202e}tion".into();
    std::fs::write(d.join("bidi.json"), serde_json::to_vec(&v).unwrap()).unwrap();
    let tut = d.join("tut.json");
    let tut = tut.to_str().unwrap();
    let bidi = d.join("bidi.json");
    for args in [
        vec!["solve", bidi.to_str().unwrap()],
        vec!["explain", tut, "--candidate", "C\u{202e}99"],
        vec!["slate", tut, "--k", "2", "--posts", "P\u{202e}1"],
    ] {
        let o = postfit(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(raw_controls(&err).is_empty(), "{args:?}: {err:?}");
        assert!(err.contains("\\u{202e}"), "{args:?}: {err}");
    }
}

/// Found by a reviewer (2026-12-03): `sweep sweep.json --out scen/rules.csv`, with `scen` the
/// sweep's CSV-folder base, replaced the base's rules sheet; and `solve - --out s.json <
/// s.json` overwrote its own input read through stdin. Both are inputs: refused at once.
#[test]
fn outputs_inside_an_input_folder_or_behind_stdin_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scen = d.join("scen");
    csv_scenario(&scen);
    let rules = std::fs::read(scen.join("rules.csv")).unwrap();
    std::fs::write(d.join("sweep.json"), r#"{"base": "scen", "variants": []}"#).unwrap();
    let sweep = d.join("sweep.json");
    for out in ["rules.csv", "results.csv"] {
        let target = scen.join(out);
        let o = postfit(&[
            "sweep",
            sweep.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("in the folder of the input"), "{err}");
        assert!(!scen.join("results.csv").exists());
    }
    assert_eq!(std::fs::read(scen.join("rules.csv")).unwrap(), rules);
    // Elsewhere the sweep writes its CSV.
    let o = postfit(&[
        "sweep",
        sweep.to_str().unwrap(),
        "--out",
        d.join("results.csv").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let ws = workspace();
    let tut = ws.path().join("tut.json");
    let before = std::fs::read(&tut).unwrap();
    for cmd in [
        vec!["solve", "-", "--out", tut.to_str().unwrap()],
        vec!["convert", "-", tut.to_str().unwrap()],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_postfit"))
            .args(&cmd)
            .stdin(std::fs::File::open(&tut).unwrap())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{cmd:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("standard input"), "{}", stderr(&o));
        assert_eq!(
            std::fs::read(&tut).unwrap(),
            before,
            "{cmd:?} overwrote its input"
        );
    }
}

/// Found by a reviewer (2026-12-03): `report --label ""` was accepted and named its plan `****`
/// in the Markdown.
#[test]
fn an_empty_report_label_is_refused() {
    let dir = workspace();
    let d = dir.path();
    let (tut, plan) = (d.join("tut.json"), d.join("plan.json"));
    for label in ["", "  "] {
        let o = postfit(&[
            "report",
            tut.to_str().unwrap(),
            plan.to_str().unwrap(),
            "--label",
            label,
        ]);
        assert_eq!(o.status.code(), Some(2), "{label:?}: {}", stderr(&o));
        assert_eq!(
            stderr(&o).trim(),
            "postfit: --label: a label may not be empty"
        );
    }
}

/// Found by a reviewer (2026-12-03): stderr kept the line breaks of names it quoted, so a
/// warning naming a decided candidate whose id holds `\nFAKE: ...` printed a line of its own.
/// Every `postfit:` line on stderr is one line, its data escaped.
#[test]
fn stderr_lines_cannot_be_split_by_a_name() {
    let dir = workspace();
    let d = dir.path();
    let text = std::fs::read_to_string(d.join("tut.json")).unwrap();
    // C10 is unavailable: deciding them into a post gives a warning that names them.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let fake = "C10\nFAKE: status OPTIMAL";
    let text = serde_json::to_string(&v)
        .unwrap()
        .replace("\"C10\"", &serde_json::to_string(fake).unwrap());
    v = serde_json::from_str(&text).unwrap();
    v["rules"][3]["penalty"] = 1.0.into();
    v["decided"] = serde_json::json!([{"post": "agri-head", "candidate": fake}]);
    let f = d.join("fake.json");
    std::fs::write(&f, serde_json::to_vec(&v).unwrap()).unwrap();
    let o = postfit(&["solve", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("C10\\u{a}FAKE"), "{err}");
    assert!(err.lines().all(|l| l.starts_with("postfit: ")), "{err}");
}

/// Found by a tester (2026-12-03): `diff` kept one holder per post, so a post that a (broken)
/// plan fills twice could vanish from "Posts that change hands" while its second holder still
/// counted in the objective and the rules. Both holders are shown, joined by " + ".
#[test]
fn diff_shows_a_post_that_a_plan_fills_twice() {
    let dir = workspace();
    let d = dir.path();
    let plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("plan.json")).unwrap()).unwrap();
    let first = &plan["placements"][0];
    let (post, holder) = (
        first["post"].as_str().unwrap(),
        first["candidate"].as_str().unwrap(),
    );
    let other = plan["placements"][1]["candidate"].as_str().unwrap();
    // The same plan, with the first post's holder and another candidate both in that post.
    let twice = serde_json::json!({"placements": [
        {"post": post, "candidate": other},
        {"post": post, "candidate": holder}
    ]});
    std::fs::write(d.join("twice.json"), twice.to_string()).unwrap();
    let (tut, a, b) = (
        d.join("tut.json"),
        d.join("plan.json"),
        d.join("twice.json"),
    );
    let args = [
        tut.to_str().unwrap(),
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ];
    let o = postfit(&["diff", args[0], args[1], args[2], "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let row = doc["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["post"] == post)
        .unwrap_or_else(|| panic!("{post} is missing from {doc}"));
    assert_eq!(row["before"], holder);
    assert_eq!(row["after"], format!("{other} + {holder}"));
    assert!(row["fit_after"].is_null());
}

/// Found by a tester (2026-12-03), four faults of flags and inputs:
/// - `--change-cost 1e20` (and 1e13 on the tutorial) left HiGHS with status Unknown: exit 5,
///   "never bad input"; W is capped at 1e9 like rule penalties, and 1e400 is named as not
///   finite;
/// - `solve --relax --baseline` on an infeasible scenario recorded the baseline on a relaxed
///   plan chosen without it; it now says so and leaves the re-planning fields out;
/// - `slate --posts " P1"` trimmed the id and made the slate of post `P1`;
/// - `diff S - -` and `report S - -` said "-: empty file" instead of naming the real mistake.
#[test]
fn flags_and_inputs_found_by_the_third_review() {
    let dir = workspace();
    let d = dir.path();
    let p = |n: &str| d.join(n).to_str().unwrap().to_string();
    for (w, code) in [("1e20", 2), ("1e400", 2), ("-1", 2), ("1e9", 0), ("0", 0)] {
        let o = postfit(&[
            "solve",
            &p("tut.json"),
            "--baseline",
            &p("plan.json"),
            "--change-cost",
            w,
        ]);
        assert_eq!(o.status.code(), Some(code), "W = {w}: {}", stderr(&o));
        if code == 2 {
            assert!(
                stderr(&o).contains("--change-cost: must be a finite number from 0 to 1e9"),
                "{}",
                stderr(&o)
            );
        }
    }

    std::fs::write(
        d.join("relax.json"),
        r#"{"name":"relax_bl","ranks":["r0","r1"],"teams":[{"id":"T"}],
 "posts":[{"id":"P1","team":"T","rank":"r0"},{"id":"P2","team":"T","rank":"r1","must_fill":true,"open_to":"nobody"}],
 "groups":{"nobody":{"g":{"in":["none"]}}},
 "candidates":[{"id":"C1","rank":"r0","years_at_rank":0},{"id":"C2","rank":"r0","years_at_rank":0}]}"#,
    )
    .unwrap();
    std::fs::write(
        d.join("base.json"),
        r#"{"placements":[{"post":"P1","candidate":"C1"}]}"#,
    )
    .unwrap();
    let o = postfit(&[
        "solve",
        &p("relax.json"),
        "--relax",
        "--baseline",
        &p("base.json"),
        "--change-cost",
        "1",
        "--format",
        "json",
    ]);
    // `--relax` writes the relaxed plan and exits 0 (README).
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the relaxed plan is not re-planned against --baseline"),
        "{}",
        stderr(&o)
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["status"], "relaxed", "{doc}");
    for key in ["baseline", "change_cost", "changes", "changed"] {
        assert!(doc.get(key).is_none(), "{key} in {doc}");
    }

    std::fs::write(
        d.join("spaced.json"),
        r#"{"name":"spid","ranks":["r0"],"teams":[{"id":"T"}],
 "posts":[{"id":"P1","team":"T","rank":"r0"},{"id":" P1","team":"T","rank":"r0"},{"id":"P2 ","team":"T","rank":"r0"}],
 "candidates":[{"id":"C1","rank":"r0","years_at_rank":0},{"id":"C2","rank":"r0","years_at_rank":0},{"id":"C3","rank":"r0","years_at_rank":0}]}"#,
    )
    .unwrap();
    for (asked, post) in [(" P1", " P1"), ("P1", "P1"), ("P2 ", "P2 ")] {
        let o = postfit(&[
            "slate",
            &p("spaced.json"),
            "--k",
            "1",
            "--posts",
            asked,
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{asked:?}: {}", stderr(&o));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(doc["slates"][0]["post"], post, "{asked:?}: {doc}");
    }

    for args in [
        vec!["diff", "-", "-", "-"],
        vec!["diff", "tut.json", "-", "-"],
        vec!["report", "tut.json", "-", "-"],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_postfit"))
            .args(&args)
            .current_dir(d)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("only one input can be read from stdin"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}
