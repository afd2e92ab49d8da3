//! The fast path (LP pricing + reduced-cost fixing) must reach the same optimum as the direct
//! model of every eligible pair, on mid-size generated scenarios, including variants whose rules
//! bite hard enough that the LP optimum is fractional and the restricted MIP and fixing run.

use postfit::generate::{generate, GenerateOptions};
use postfit::plan::{solve_scenario, Solution, Status};
use postfit::scenario::raw::{OneOrMany, RawRule, RawWhere, RuleScope, RuleType};
use postfit::solve::{Method, SolveOptions};
use postfit::Scenario;

fn solve(s: &Scenario, method: Method, per_row: usize) -> Solution {
    let opts = SolveOptions {
        method,
        per_row,
        ..Default::default()
    };
    solve_scenario(s, &opts).expect("solves")
}

fn assert_same(label: &str, s: &Scenario) -> (bool, bool) {
    let direct = solve(s, Method::Direct, 6);
    let mut lp_integral_everywhere = true;
    let mut fast_path_used = false;
    for per_row in [1, 6] {
        let fast = solve(s, Method::Fast, per_row);
        assert_eq!(fast.status, direct.status, "{label} per_row {per_row}");
        if direct.status == Status::Optimal {
            let (a, b) = (fast.objective().unwrap(), direct.objective().unwrap());
            assert!(
                (a - b).abs() <= 1e-6 * b.abs().max(1.0),
                "{label} per_row {per_row}: fast {a} vs direct {b}"
            );
        }
        lp_integral_everywhere &= fast.stats.lp_integral && fast.stats.cuts == 0;
        fast_path_used |= fast.stats.solve_path == "fast";
    }
    (lp_integral_everywhere, fast_path_used)
}

fn scenario(seed: u64, candidates: usize) -> postfit::scenario::RawScenario {
    generate(&GenerateOptions {
        name: format!("mid-{seed}"),
        candidates,
        jurisdictions: 3,
        departments: 3,
        seed,
        hard: false,
    })
}

fn rule(name: &str, type_: RuleType, scope: RuleScope, group: Option<&str>, min: f64) -> RawRule {
    RawRule {
        name: Some(name.into()),
        type_,
        scope,
        group: group.map(Into::into),
        where_: None,
        min: Some(min),
        max: None,
        penalty: None,
    }
}

#[test]
fn fast_path_matches_direct_model_on_generated_scenarios() {
    let mut fractional_cases = 0;
    let mut fast_cases = 0;
    for seed in 1..=4 {
        let raw = scenario(seed, 160);
        let s = Scenario::from_raw(&raw, "gen").expect("valid");
        let (integral, fast) = assert_same(&format!("seed {seed}"), &s);
        fractional_cases += !integral as usize;
        fast_cases += fast as usize;

        // Rules that bite: hard fit rate on everything, a hard women share among placements,
        // and more non-party members in every government team.
        let mut tight = raw.clone();
        tight.rules.push(rule(
            "hard fit rate",
            RuleType::FitRate,
            RuleScope::Placements,
            None,
            0.85,
        ));
        tight.rules.push(rule(
            "women half",
            RuleType::Share,
            RuleScope::Placements,
            Some("women"),
            0.5,
        ));
        let mut gov = rule(
            "gov non-party",
            RuleType::Share,
            RuleScope::Team,
            Some("non-party"),
            0.4,
        );
        gov.where_ = Some(RawWhere {
            tag: Some(OneOrMany::One("government".into())),
            ..Default::default()
        });
        gov.penalty = Some(0.7);
        tight.rules.push(gov);
        let s = Scenario::from_raw(&tight, "gen-tight").expect("valid");
        let (integral, fast) = assert_same(&format!("seed {seed} tight"), &s);
        fractional_cases += !integral as usize;
        fast_cases += fast as usize;
    }
    // The test must exercise the restricted MIP and reduced-cost fixing, not only integral LPs.
    assert!(fractional_cases > 0, "no case had a fractional LP optimum");
    assert!(fast_cases > 0, "the fast path never finished on its own");
}

/// Hard generated scenarios (`GenerateOptions::hard`: soft team share rules that cannot be met
/// exactly, a cap on outside appointees, binding fit-rate targets, uneven supply), small enough
/// for the direct model: the fast path with its hull cuts reaches the direct optimum, in the
/// hundreds of cases, most with fractional LP relaxations.
#[test]
fn fast_path_matches_direct_model_on_hard_scenarios() {
    let mut fractional_cases = 0;
    let cases = 200;
    for seed in 0..cases {
        let raw = generate(&GenerateOptions {
            name: format!("hard-{seed}"),
            candidates: 40 + (seed as usize % 5) * 15,
            jurisdictions: 1 + seed as usize % 3,
            departments: 1 + seed as usize % 2,
            seed,
            hard: true,
        });
        let s = Scenario::from_raw(&raw, "gen-hard").expect("valid");
        let (integral, _) = assert_same(&format!("hard seed {seed}"), &s);
        fractional_cases += !integral as usize;
    }
    assert!(
        fractional_cases >= cases as usize / 4,
        "only {fractional_cases} of {cases} hard cases had a fractional LP"
    );
}
