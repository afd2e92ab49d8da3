//! The README's commands run as written, and the scenario READMEs' figures are true today
//! (issue 13 item 5).
//!
//! Every `postfit ...` line in a ```sh block of README.md runs, in order, in a scratch folder
//! that sees the repository's `scenarios/`; a trailing `# exit N` comment gives the expected exit
//! code (else 0). Lines that are not postfit commands (`scripts/demo.sh`) are skipped; nothing
//! else is on an allow-list.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// `postfit` command lines of the README's ```sh blocks, with their expected exit codes.
fn readme_commands() -> Vec<(String, i32)> {
    let text = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = !in_sh && t == "```sh";
            continue;
        }
        if !in_sh || !t.starts_with("postfit ") {
            continue;
        }
        let (cmd, comment) = match t.find(" #") {
            Some(i) => (t[..i].trim(), t[i + 2..].trim()),
            None => (t, ""),
        };
        let code = comment
            .strip_prefix("exit ")
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        out.push((cmd.to_string(), code));
    }
    out
}

#[test]
fn every_readme_command_runs() {
    let commands = readme_commands();
    assert!(commands.len() >= 8, "found only {commands:?}");
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root().join("scenarios"), dir.path().join("scenarios")).unwrap();
    for (cmd, want) in commands {
        // The README's words are split as a shell would (no quoting is used there).
        let words: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        assert!(
            !cmd.contains(['"', '\'', '|', '>', '<', '$']),
            "the test does not parse shell syntax: {cmd}"
        );
        let o = Command::new(env!("CARGO_BIN_EXE_postfit"))
            .args(&words)
            .current_dir(dir.path())
            .env_remove("COLUMNS")
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(want),
            "`{cmd}`: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

fn solve_json(scenario: &str) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(["solve", scenario, "--format", "json"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The number right after `key` in `text` (digits, commas, a point).
fn number_after(text: &str, key: &str) -> f64 {
    let i = text.find(key).unwrap_or_else(|| panic!("no {key:?}")) + key.len();
    let num: String = text[i..]
        .trim_start_matches(['*', ' '])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    num.trim_end_matches('.')
        .parse()
        .unwrap_or_else(|_| panic!("{key:?}: {num:?}"))
}

#[test]
fn scenario_readmes_carry_true_figures() {
    for (name, objective_key, vacancies_key) in [
        ("city", "objective ", "**293 vacancies**"),
        ("county", "", "**32 vacancies**"),
        ("tutorial", "objective ", ""),
    ] {
        let readme = std::fs::read_to_string(root().join(format!("scenarios/{name}/README.md")))
            .unwrap()
            .replace('\n', " ");
        let plan = solve_json(&format!("scenarios/{name}/scenario.json"));
        let stats = &plan["provenance"]["stats"];
        if !objective_key.is_empty() {
            let said = number_after(&readme, "objective ");
            let got = plan["objective"].as_f64().unwrap();
            assert!(
                (said - got).abs() < 1e-6,
                "{name}: README {said}, solve {got}"
            );
        }
        if !vacancies_key.is_empty() {
            let said: u64 = vacancies_key
                .trim_matches('*')
                .split(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert!(readme.contains(vacancies_key));
            assert_eq!(stats["posts"].as_u64(), Some(said), "{name}: vacancies");
        }
        if name != "tutorial" {
            // "N of the M candidate-post pairs are eligible".
            let eligible = stats["eligible_pairs"].as_f64().unwrap();
            let line = format!("{} of the", fmt_thousands(eligible as u64));
            assert!(readme.contains(&line), "{name}: README lacks {line:?}");
        }
        if name == "city" {
            assert!(readme.contains("all 293 posts filled"));
            assert_eq!(plan["placements"].as_array().unwrap().len(), 293);
            assert!(!readme.contains("about 6 s"));
        }
    }
}

fn fmt_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
