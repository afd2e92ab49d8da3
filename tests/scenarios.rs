//! The committed scenarios under `scenarios/`: every one loads and validates, and the generated
//! ones are exactly what `postfit::generate` makes from their recorded presets.

use std::path::{Path, PathBuf};

use postfit::generate::{generate, preset, to_json};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Every `scenarios/*/scenario.json`, sorted.
fn scenario_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path().join("scenario.json"))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_loads() {
    let files = scenario_files();
    for name in ["city", "county", "tutorial"] {
        assert!(
            files.iter().any(|f| f.parent().unwrap().ends_with(name)),
            "scenarios/{name}/scenario.json is missing"
        );
    }
    for f in &files {
        let (scenario, raw, sha) =
            postfit::scenario::load(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(!scenario.posts.is_empty(), "{}", f.display());
        assert_eq!(raw.posts.len(), scenario.posts.len());
        assert_eq!(sha.len(), 64);
        let readme = f.parent().unwrap().join("README.md");
        assert!(readme.is_file(), "{} is missing", readme.display());
    }
}

#[test]
fn tutorial_is_the_spec_example() {
    let (_, raw, _) = postfit::scenario::load(&scenarios_dir().join("tutorial/scenario.json"))
        .expect("tutorial loads");
    assert_eq!(raw.posts.len(), 5);
    assert_eq!(raw.candidates.len(), 12);
}

/// `cargo run --release --example gen_scenarios` rewrites these files; if this fails after a
/// deliberate change to the generator, run it and commit the new files.
#[test]
fn generated_scenarios_reproduce_byte_for_byte() {
    for name in ["county", "city"] {
        let path = scenarios_dir().join(name).join("scenario.json");
        let committed = std::fs::read_to_string(&path).expect("committed scenario");
        let fresh = to_json(&generate(&preset(name).expect("preset")));
        assert!(
            committed == fresh,
            "{} differs from generate(preset(\"{name}\")); regenerate with \
             `cargo run --release --example gen_scenarios`",
            path.display()
        );
    }
}

/// Every committed scenario solves as its README says: the feasible ones to proven optimality,
/// the infeasible what-if to the diagnosis its README shows.
#[test]
fn every_scenario_solves_as_documented() {
    use postfit::plan::{solve_scenario, Status};
    use postfit::solve::SolveOptions;
    for f in scenario_files() {
        let (scenario, _, _) = postfit::scenario::load(&f).expect("loads");
        let sol = solve_scenario(&scenario, &SolveOptions::default()).expect("solves");
        let name = f
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if name.ends_with("infeasible") {
            assert_eq!(sol.status, Status::Infeasible, "{name}");
            let messages: Vec<&str> = sol.diagnosis.iter().map(|d| d.message.as_str()).collect();
            let readme = std::fs::read_to_string(f.parent().unwrap().join("README.md")).unwrap();
            for m in &messages {
                assert!(readme.contains(m), "{name}: README does not show {m}");
            }
            assert_eq!(messages.len(), 2, "{messages:?}");
        } else {
            assert_eq!(sol.status, Status::Optimal, "{name}");
        }
    }
}
