//! Unit tests of the scenario generator: validity, determinism, sizes, the shape of the reserve,
//! and feasibility shown by the witness plan checked against every hard rule.

use super::*;
use crate::eligibility::{eligibility, eligible_pairs};
use crate::scenario::raw::AttrValue;
use crate::scenario::{RuleKind, RuleScope as Scope, Scenario};

fn opts(candidates: usize, jurisdictions: usize, departments: usize, seed: u64) -> GenerateOptions {
    GenerateOptions {
        name: "test".to_string(),
        candidates,
        jurisdictions,
        departments,
        seed,
        hard: false,
    }
}

fn validated(o: &GenerateOptions) -> (RawScenario, Scenario) {
    let raw = generate(o);
    let s = Scenario::from_raw(&raw, "gen").unwrap_or_else(|e| panic!("{o:?}: {e}"));
    (raw, s)
}

/// Checks every hard rule on the team compositions and placements a plan gives, and the plan's
/// own conditions (eligible, distinct, every must-fill post filled).
fn assert_plan_keeps_hard_rules(s: &Scenario, plan: &[(usize, usize)]) {
    let mut post_taken = vec![false; s.posts.len()];
    let mut placed = vec![None; s.candidates.len()];
    for &(p, c) in plan {
        assert!(!post_taken[p], "post {} filled twice", s.posts[p].id);
        assert!(
            placed[c].is_none(),
            "candidate {} placed twice",
            s.candidates[c].id
        );
        post_taken[p] = true;
        placed[c] = Some(p);
        assert!(
            eligibility(s, c, p).is_ok(),
            "{} -> {} not eligible",
            s.candidates[c].id,
            s.posts[p].id
        );
    }
    for (p, post) in s.posts.iter().enumerate() {
        assert!(
            !post.must_fill || post_taken[p],
            "must-fill post {} unfilled",
            post.id
        );
    }
    // Composition: incumbents, candidates sitting on the team who are not moved away, and
    // candidates placed into the team.
    let mut people: Vec<Vec<&crate::scenario::Attributes>> =
        s.teams.iter().map(|t| t.members.iter().collect()).collect();
    for (c, cand) in s.candidates.iter().enumerate() {
        let here = match (placed[c], cand.team) {
            (Some(p), _) => Some(s.posts[p].team),
            (None, t) => t,
        };
        if let Some(t) = here {
            people[t].push(&cand.attributes);
        }
    }
    for rule in s.rules.iter().filter(|r| r.penalty.is_none()) {
        let (Scope::Teams(teams), RuleKind::Share { group } | RuleKind::Count { group }) =
            (&rule.scope, rule.kind)
        else {
            panic!("generated hard rules are team rules");
        };
        for &t in teams {
            let size = people[t].len() as f64;
            let n = people[t]
                .iter()
                .filter(|a| s.groups[group].contains(a))
                .count() as f64;
            let need = match rule.kind {
                RuleKind::Share { .. } => rule.min.unwrap_or(0.0) * size,
                _ => rule.min.unwrap_or(0.0),
            };
            assert!(
                n + 1e-9 >= need,
                "{} fails in team {}: {n} < {need}",
                rule.label(),
                s.teams[t].id
            );
        }
    }
}

#[test]
fn default_and_presets_validate_and_are_feasible() {
    let mut all = vec![GenerateOptions::default()];
    all.extend(
        PRESETS
            .iter()
            .filter(|n| !n.starts_with("province") && !n.starts_with("national"))
            .map(|n| preset(n).unwrap()),
    );
    for o in all {
        let (_, s) = validated(&o);
        let plan = witness(&s).unwrap_or_else(|e| panic!("{}: {e}", o.name));
        assert_plan_keeps_hard_rules(&s, &plan);
        assert!(
            s.posts.iter().any(|p| p.must_fill),
            "{}: some must-fill posts",
            o.name
        );
    }
}

#[test]
fn odd_options_still_validate_and_are_feasible() {
    for o in [
        opts(0, 0, 0, 1),
        opts(0, 2, 1, 1),
        opts(5, 1, 0, 2),
        opts(30, 3, 2, 3),
        opts(200, 2, 25, 4),
        opts(60, 40, 1, 5),
    ] {
        let (_, s) = validated(&o);
        let plan = witness(&s).unwrap_or_else(|e| panic!("{o:?}: {e}"));
        assert_plan_keeps_hard_rules(&s, &plan);
        assert_eq!(s.teams.len(), o.jurisdictions * (3 + o.departments));
        assert_eq!(s.candidates.len(), o.candidates);
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let o = opts(300, 4, 6, 42);
    let a = to_json(&generate(&o));
    assert_eq!(a, to_json(&generate(&o)));
    assert!(a.ends_with("}\n"));
    let b = to_json(&generate(&GenerateOptions {
        seed: 43,
        ..o.clone()
    }));
    assert_ne!(a, b);
    // The name is only the name.
    let c = to_json(&generate(&GenerateOptions {
        name: "other".to_string(),
        ..o
    }));
    assert_eq!(a.replacen("\"test\"", "\"other\"", 1), c);
}

#[test]
fn default_sizes_match_a_city() {
    let (_, s) = validated(&GenerateOptions::default());
    assert_eq!(s.candidates.len(), 900);
    assert_eq!(s.teams.len(), 12 * 13);
    assert!(
        (250..=330).contains(&s.posts.len()),
        "{} posts",
        s.posts.len()
    );
    let pairs = eligible_pairs(&s).len() as f64;
    let share = pairs / (s.candidates.len() * s.posts.len()) as f64;
    assert!(
        (0.2..=0.3).contains(&share),
        "{pairs} eligible pairs, {share:.3} of all"
    );
    let must_fill = s.posts.iter().filter(|p| p.must_fill).count();
    assert!(
        (10..=80).contains(&must_fill),
        "{must_fill} must-fill posts"
    );
}

#[test]
fn must_fill_posts_have_ample_supply() {
    for o in [
        GenerateOptions::default(),
        preset("county").unwrap(),
        opts(120, 3, 4, 9),
    ] {
        let (_, s) = validated(&o);
        let mut supply = vec![0usize; s.posts.len()];
        for pair in eligible_pairs(&s) {
            supply[pair.post as usize] += 1;
        }
        for (p, post) in s.posts.iter().enumerate() {
            if post.must_fill {
                assert!(
                    supply[p] >= 3,
                    "{}: {} has {} candidates",
                    o.name,
                    post.id,
                    supply[p]
                );
                assert!(supply[p] >= MIN_SUPPLY);
            }
        }
    }
}

#[test]
fn cppcc_teams_start_with_a_non_party_majority_and_safe_must_fill() {
    let (raw, s) = validated(&GenerateOptions::default());
    let np = s.group_by_name("non-party").unwrap();
    for (t, team) in s
        .teams
        .iter()
        .enumerate()
        .filter(|(_, t)| t.tags == ["cppcc"])
    {
        assert!(
            2 * team.members_in_group[np] as usize > team.members.len(),
            "{}",
            team.id
        );
        assert!(s.candidates.iter().all(|c| c.team != Some(t)));
        for p in s.posts.iter().filter(|p| p.team == t && p.must_fill) {
            assert_eq!(p.open_to, Some(np));
        }
    }
    assert_eq!(raw.rules.len(), 5);
    assert!(raw.rules.iter().all(|r| r.name.is_some()));
}

/// The reserve looks like Leshan's 900: shares within loose bands of the reported numbers.
#[test]
fn reserve_shape_follows_the_reports() {
    let (raw, s) = validated(&GenerateOptions::default());
    let n = s.candidates.len() as f64;
    let share = |f: &dyn Fn(&crate::scenario::Candidate) -> bool| {
        s.candidates.iter().filter(|c| f(c)).count() as f64 / n
    };
    let attr = |c: &crate::scenario::Candidate, k: &str| match c.attributes.get(k) {
        Some(AttrValue::Str(v)) => v.clone(),
        Some(AttrValue::Num(v)) => v.to_string(),
        None => String::new(),
    };
    let age = |c: &crate::scenario::Candidate| match c.attributes.get("age") {
        Some(AttrValue::Num(v)) => *v,
        _ => panic!("every candidate has an age"),
    };
    let check = |what: &str, v: f64, lo: f64, hi: f64| {
        assert!((lo..=hi).contains(&v), "{what}: {v:.3} not in [{lo}, {hi}]");
    };
    check("women", share(&|c| attr(c, "gender") == "F"), 0.46, 0.58);
    check(
        "non-party",
        share(&|c| attr(c, "affiliation") != "CPC"),
        0.65,
        0.9,
    );
    check(
        "minority",
        share(&|c| attr(c, "ethnicity") != "Han"),
        0.02,
        0.09,
    );
    check(
        "aged 36-45",
        share(&|c| (36.0..=45.0).contains(&age(c))),
        0.09,
        0.25,
    );
    check(
        "party-government",
        share(&|c| attr(c, "sector") == "party-government"),
        0.66,
        0.78,
    );
    check(
        "ready now",
        share(&|c| attr(c, "readiness") == "now"),
        0.07,
        0.15,
    );
    check("unavailable", share(&|c| !c.available), 0.005, 0.045);
    check("on a team", share(&|c| c.team.is_some()), 0.06, 0.14);
    check(
        "avoiding a team",
        share(&|c| !c.avoid_teams.is_empty()),
        0.01,
        0.06,
    );
    let mid = |c: &crate::scenario::Candidate| (1..=3).contains(&c.rank);
    check("deputy-section..deputy-division", share(&mid), 0.8, 0.97);
    assert!(raw
        .candidates
        .iter()
        .filter(|c| c.available == Some(false))
        .all(|c| c.note.is_some()));
}

#[test]
fn city_teams_rank_above_county_teams() {
    let (raw, _) = validated(&GenerateOptions::default());
    let rank = |r: &str| RANKS.iter().position(|x| *x == r).unwrap();
    for p in &raw.posts {
        let city = p.team.starts_with("J00-");
        let leadership = !p.team.contains("-D");
        let lowest = match (leadership, city) {
            (true, false) => 3,
            (true, true) => 4,
            (false, false) => 1,
            (false, true) => 2,
        };
        let r = rank(&p.rank);
        assert!(r == lowest || r == lowest + 1, "{} at {}", p.id, p.rank);
    }
}

/// The product's largest scale (a province of 5,000 x ~2,050 posts, ~2.7 million eligible
/// pairs). Slow in debug builds: `cargo test --release --lib generate -- --ignored`.
#[test]
#[ignore]
fn province_sizes() {
    let (_, s) = validated(&preset("province").unwrap());
    assert_eq!(s.candidates.len(), 5000);
    assert_eq!(s.teams.len(), 60 * 18);
    assert!(
        (1900..=2200).contains(&s.posts.len()),
        "{} posts",
        s.posts.len()
    );
    let pairs = eligible_pairs(&s).len() as f64;
    let share = pairs / (s.candidates.len() * s.posts.len()) as f64;
    assert!(
        (0.2..=0.3).contains(&share),
        "{pairs} eligible pairs, {share:.3} of all"
    );
    let plan = witness(&s).unwrap();
    assert_plan_keeps_hard_rules(&s, &plan);
}

/// Feasibility does not hinge on a lucky seed.
#[test]
fn many_seeds_stay_feasible() {
    for seed in 0..12 {
        let (_, s) = validated(&opts(250, 4, 5, seed));
        let plan = witness(&s).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_plan_keeps_hard_rules(&s, &plan);
    }
}
