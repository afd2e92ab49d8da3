//! The worked re-planning example of scenarios/city/README.md, with its numbers: the first plan
//! (`first-plan.json`) is the optimum of `scenario.json`; `replan.json` is that scenario with two
//! candidates withdrawn and three posts decided, and nothing else; re-planned against the first
//! plan, the fewest changes among the optimal plans is 4 (with `--change-cost 0.05` as well),
//! while the plain optimum of `replan.json` moves more posts.

use std::path::{Path, PathBuf};

use postfit::plan::{changed_posts, read_baseline, read_plan, replan, solve_scenario, Status};
use postfit::solve::SolveOptions;
use serde_json::Value;

fn city(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/city")
        .join(name)
}

fn json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(city(name)).unwrap()).unwrap()
}

/// The objective of the first plan, as the README gives it.
const FIRST_OBJECTIVE: f64 = 274.888191;
/// The re-plan's optimum and its fewest changes, as the README gives them.
const REPLAN_OBJECTIVE: f64 = 274.610884;
const FEWEST_CHANGES: usize = 4;

#[test]
fn replan_json_is_the_scenario_with_two_withdrawals_and_three_decisions() {
    let (mut base, mut next) = (json("scenario.json"), json("replan.json"));
    let decided = next["decided"].as_array().unwrap().clone();
    assert_eq!(decided.len(), 3);
    next.as_object_mut().unwrap().remove("decided");
    let withdrawn: Vec<String> = ["C0316", "C0280"].map(String::from).to_vec();
    for c in base["candidates"].as_array_mut().unwrap() {
        if withdrawn.iter().any(|w| c["id"] == w.as_str()) {
            c["available"] = Value::Bool(false);
            c["note"] = Value::String("withdrew after the first plan was circulated".into());
        }
    }
    base["name"] = next["name"].clone();
    assert_eq!(
        base, next,
        "replan.json differs from scenario.json in more than the example"
    );
}

#[test]
fn the_worked_example_has_the_numbers_of_the_readme() {
    let opts = SolveOptions::default();
    let (first_s, _, _) = postfit::load(&city("scenario.json")).unwrap();
    let first = solve_scenario(&first_s, &opts).unwrap();
    assert_eq!(first.status, Status::Optimal);
    assert!((first.objective().unwrap() - FIRST_OBJECTIVE).abs() < 1e-6);
    let circulated = read_plan(&city("first-plan.json"), &first_s).unwrap();
    let checked = postfit::check::check_plan(&first_s, &circulated);
    assert!(checked.is_ok());
    assert!((checked.objective - FIRST_OBJECTIVE).abs() < 1e-6);

    let (s, _, _) = postfit::load(&city("replan.json")).unwrap();
    let baseline = read_baseline(&city("first-plan.json"), &s).unwrap();
    assert!(baseline.ignored.is_empty());
    // The first plan breaks the new scenario (withdrawn holders, decided posts).
    assert!(!postfit::check::check_plan(&s, &circulated).is_ok());

    let (sol, r) = replan(&s, &opts, &baseline, None).unwrap();
    assert_eq!(sol.status, Status::Optimal);
    assert!((sol.objective().unwrap() - REPLAN_OBJECTIVE).abs() < 1e-6);
    assert_eq!(r.changes, Some(FEWEST_CHANGES));
    assert!(r.fewest_proven);
    // The four: the two decided posts whose holder withdrew (J00-government-1, J00-cppcc-1),
    // and the posts C0311 and C0199 leave for them (J01-cppcc-2, J02-cppcc-1).
    let changed: Vec<&str> = r.changed.iter().map(|c| s.posts[c.0].id.as_str()).collect();
    assert_eq!(
        changed,
        [
            "J00-government-1",
            "J00-cppcc-1",
            "J01-cppcc-2",
            "J02-cppcc-1"
        ]
    );

    // The plain optimum of the re-plan scenario, without --baseline, moves more posts.
    let plain = solve_scenario(&s, &opts).unwrap();
    assert_eq!(plain.status, Status::Optimal);
    assert!((plain.objective().unwrap() - REPLAN_OBJECTIVE).abs() < 1e-6);
    let plain_changes = changed_posts(&baseline.holders, &plain.placements()).len();
    eprintln!("without --baseline: {plain_changes} posts change hands");
    assert!(plain_changes > FEWEST_CHANGES);

    // A change cost of 0.05 per post keeps the same plan here (no trade of fit for stability).
    let (sol, r) = replan(&s, &opts, &baseline, Some(0.05)).unwrap();
    assert_eq!(sol.status, Status::Optimal);
    assert_eq!(r.changes, Some(FEWEST_CHANGES));
    assert!((r.combined.unwrap() - (REPLAN_OBJECTIVE - 0.05 * 4.0)).abs() < 1e-6);
}
