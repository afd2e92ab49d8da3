//! The supply check (`postfit inspect`): every ineligibility reason is counted, every kind of
//! impossibility is found, and an impossibility is never a false alarm: whenever inspect reports
//! one on a random small scenario, the exact solver finds the scenario infeasible, and the least
//! shortfalls it claims hold in the solver's plans.

mod common;

use common::{build, scenario_json, scenario_json_sized};
use postfit::check::Bound;
use postfit::eligibility::eligible_pairs;
use postfit::inspect::{inspect, render_text, ImpossibilityKind, SupplyReport};
use postfit::plan::{solve_scenario, Solution, Status};
use postfit::Scenario;
use serde_json::{json, Value};

fn tutorial() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tutorial/scenario.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn solve(s: &Scenario) -> Solution {
    solve_scenario(s, &Default::default()).unwrap_or_else(|e| panic!("{}: {e}", s.name))
}

fn reason_count(r: &SupplyReport, reason: &str) -> usize {
    r.idle_by_reason
        .iter()
        .find(|rc| rc.reason == reason)
        .unwrap_or_else(|| panic!("no reason {reason}"))
        .count
}

/// The per-post counts and the idle list agree with `eligible_pairs`.
fn assert_counts_match_pairs(s: &Scenario, r: &SupplyReport) {
    let pairs = eligible_pairs(s);
    assert_eq!(r.posts.len(), s.posts.len());
    assert_eq!(r.totals.eligible_pairs, pairs.len());
    for (p, ps) in r.posts.iter().enumerate() {
        assert_eq!(ps.post, s.posts[p].id);
        let n = pairs.iter().filter(|x| x.post as usize == p).count();
        assert_eq!(ps.eligible, n, "{}: post {}", s.name, ps.post);
        for g in &ps.groups {
            let gi = s.group_by_name(&g.group).unwrap();
            let n = pairs
                .iter()
                .filter(|x| x.post as usize == p && s.in_group[gi][x.candidate as usize])
                .count();
            assert_eq!(
                g.eligible, n,
                "{}: post {} group {}",
                s.name, ps.post, g.group
            );
        }
    }
    let idle: Vec<&str> = (0..s.candidates.len())
        .filter(|&c| !pairs.iter().any(|x| x.candidate as usize == c))
        .map(|c| s.candidates[c].id.as_str())
        .collect();
    if s.posts.is_empty() {
        assert!(r.idle_candidates.is_empty());
    } else {
        let listed: Vec<&str> = r
            .idle_candidates
            .iter()
            .map(|c| c.candidate.as_str())
            .collect();
        assert_eq!(listed, idle, "{}", s.name);
        let by_reason: usize = r.idle_by_reason.iter().map(|rc| rc.count).sum();
        assert_eq!(by_reason, idle.len());
    }
    let unstaffable: Vec<&str> = r
        .posts
        .iter()
        .filter(|p| p.eligible == 0)
        .map(|p| p.post.as_str())
        .collect();
    assert_eq!(r.unstaffable_posts, unstaffable);
}

/// One post at rank `section`, open to women, and one candidate per failing condition.
fn reasons_doc() -> Value {
    let woman = json!({"gender": "F"});
    let cand = |id: &str, rank: &str, years: f64, extra: Value| {
        let mut c = json!({"id": id, "rank": rank, "years_at_rank": years, "attributes": woman,
                           "specialty": {"law": 1.0}, "experience": {"grassroots": 5}});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    };
    json!({
        "name": "reasons",
        "ranks": ["clerk", "deputy-section", "section", "division"],
        "promotion": {"max_step": 1, "min_years": {"deputy-section": 2},
                      "requirements": {"section": {"experience": {"grassroots": 2}}}},
        "fit": {"min": 0.6},
        "groups": {"women": {"gender": {"in": ["F"]}}},
        "teams": [{"id": "T"}],
        "posts": [{"id": "P", "team": "T", "rank": "section", "specialty": {"law": 1.0},
                   "open_to": "women"}],
        "candidates": [
            cand("U", "section", 5.0, json!({"available": false, "note": "on leave"})),
            cand("H", "division", 5.0, json!({})),
            cand("L", "clerk", 5.0, json!({})),
            cand("Y", "deputy-section", 1.0, json!({})),
            cand("R", "deputy-section", 3.0, json!({"experience": {"grassroots": 1}})),
            cand("O", "section", 5.0, json!({"attributes": {"gender": "M"}})),
            cand("A", "section", 5.0, json!({"avoid_teams": ["T"]})),
            cand("F", "section", 5.0, json!({"specialty": {"art": 1.0}, "experience": {}})),
            cand("E", "section", 5.0, json!({}))
        ]
    })
}

#[test]
fn every_ineligibility_reason_is_counted() {
    let s = build(&reasons_doc());
    let r = inspect(&s);
    assert_counts_match_pairs(&s, &r);
    let expect = [
        ("U", "unavailable"),
        ("H", "rank-too-high"),
        ("L", "rank-too-low"),
        ("Y", "years-at-rank"),
        ("R", "promotion-requirement"),
        ("O", "open-to"),
        ("A", "avoid-teams"),
        ("F", "fit-below-min"),
    ];
    let got: Vec<(&str, &str)> = r
        .idle_candidates
        .iter()
        .map(|c| (c.candidate.as_str(), c.reason.as_str()))
        .collect();
    assert_eq!(got, expect);
    for (_, reason) in expect {
        assert_eq!(reason_count(&r, reason), 1, "{reason}");
    }
    assert_eq!(r.posts[0].eligible, 1);
    assert_eq!(r.totals.idle_candidates, 8);
    assert_eq!(r.totals.available_candidates, 8);
    let u = &r.idle_candidates[0];
    assert_eq!(u.example_post, "P");
    assert_eq!(u.why, "not available (on leave)");
    assert_eq!(u.blocked_posts, 1);
    assert!(!r.has_impossibilities());
    let text = render_text(&s, &r);
    assert!(
        text.contains("Candidates eligible for no post (8)"),
        "{text}"
    );
    assert!(text.contains("promotion-requirement"), "{text}");
}

#[test]
fn reason_is_the_one_blocking_most_posts_with_ties_by_condition_order() {
    let mut doc = reasons_doc();
    doc["posts"] = json!([
        {"id": "P1", "team": "T", "rank": "section", "open_to": "women"},
        {"id": "P2", "team": "T", "rank": "clerk"},
        {"id": "P3", "team": "T", "rank": "clerk"}
    ]);
    doc["candidates"] = json!([
        // A man at section: open-to blocks P1, rank-too-high blocks P2 and P3.
        {"id": "M", "rank": "section", "years_at_rank": 1, "attributes": {"gender": "M"}},
    ]);
    let s = build(&doc);
    let r = inspect(&s);
    assert_eq!(r.idle_candidates.len(), 1);
    let m = &r.idle_candidates[0];
    assert_eq!(m.reason, "rank-too-high");
    assert_eq!(m.blocked_posts, 2);
    assert_eq!(m.example_post, "P2");
    assert_eq!(m.posts_by_reason.len(), 2);
    // A tie (one post each): the earlier condition wins.
    doc["posts"] = json!([
        {"id": "P1", "team": "T", "rank": "section", "open_to": "women"},
        {"id": "P2", "team": "T", "rank": "clerk"}
    ]);
    let r = inspect(&build(&doc));
    assert_eq!(r.idle_candidates[0].reason, "rank-too-high");
    assert_eq!(reason_count(&r, "rank-too-high"), 1);
    assert_eq!(reason_count(&r, "open-to"), 0);
}

/// Inspect finds `kind`, says it is a proof, and the solver agrees the scenario is infeasible.
fn assert_impossible(doc: &Value, kind: ImpossibilityKind) -> SupplyReport {
    let s = build(doc);
    let r = inspect(&s);
    assert!(
        r.impossibilities.iter().any(|i| i.kind == kind),
        "{kind:?} not found: {:#?}",
        r.impossibilities
    );
    for i in &r.impossibilities {
        assert!(i.message.contains("no plan can"), "{}", i.message);
        assert!(i.shortfall > 0.0);
    }
    assert_eq!(solve(&s).status, Status::Infeasible);
    assert!(render_text(&s, &r).contains("Impossible on its face"));
    r
}

fn with_rules(rules: Value) -> Value {
    let mut doc = tutorial();
    doc["groups"]["nobody"] = json!({"age": {"min": 200}});
    doc["groups"]["everyone"] = json!({"age": {"min": 0}});
    doc["rules"] = rules;
    doc
}

#[test]
fn must_fill_post_with_no_candidate() {
    let mut doc = tutorial();
    doc["posts"][2]["rank"] = json!("division");
    let r = assert_impossible(&doc, ImpossibilityKind::MustFillNoCandidate);
    assert_eq!(r.unstaffable_posts, ["gov-vice"]);
    // The technical fit rate counts gov-vice too, but the post is reported once, on its own.
    assert_eq!(r.impossibilities.len(), 1, "{:#?}", r.impossibilities);
    assert!(r.impossibilities[0]
        .message
        .starts_with("must-fill post gov-vice (division, team gov): no candidate is eligible"));
}

#[test]
fn must_fill_posts_with_too_few_candidates() {
    let mut doc = tutorial();
    // Both CPPCC vice-chairs must be filled, and only C04 (the one candidate aged 45) may take
    // either.
    doc["groups"]["aged-45"] = json!({"age": {"min": 45, "max": 45}});
    for p in [0, 1] {
        doc["posts"][p]["must_fill"] = json!(true);
        doc["posts"][p]["open_to"] = json!("aged-45");
    }
    let r = assert_impossible(&doc, ImpossibilityKind::MustFillTooFewCandidates);
    let i = &r.impossibilities[0];
    assert_eq!(i.posts, ["cppcc-vice-1", "cppcc-vice-2"]);
    assert_eq!(i.shortfall, 1.0);
    assert_eq!(
        i.message,
        "2 must-fill posts (cppcc-vice-1, cppcc-vice-2) can only be taken by 1 distinct candidate (C04), so no plan can fill them all (at least 1 stays empty)"
    );
}

#[test]
fn team_count_min() {
    let doc = with_rules(json!([{"name": "three non-party at agri", "type": "count",
        "group": "non-party", "scope": "team", "where": {"team": "agri"}, "min": 3}]));
    let r = assert_impossible(&doc, ImpossibilityKind::TeamMin);
    let m = &r.impossibilities[0].message;
    assert!(
        m.starts_with("rule \"three non-party at agri\" at team agri: needs at least 3 non-party among its members, at most 2 possible (0 non-party among the incumbents, 0 non-party among the candidates sitting on it, at most 2 more through its 2 posts (2 non-party eligible from elsewhere))"),
        "{m}"
    );
}

#[test]
fn team_share_min() {
    let mut doc = tutorial();
    doc["rules"][1]["min"] = json!(0.9);
    let r = assert_impossible(&doc, ImpossibilityKind::TeamMin);
    let i = &r.impossibilities[0];
    assert_eq!(i.team.as_deref(), Some("cppcc"));
    // The diagnosis says short by 1.5 (needs 90% of 5 members = 4.5, has 3): the bound is exact here.
    assert!((i.shortfall - 1.5).abs() < 1e-9, "{}", i.message);
    assert!(
        i.message.contains("at best 3 of 5 (needs 4.5)"),
        "{}",
        i.message
    );
}

#[test]
fn team_count_max_broken_by_incumbents() {
    let doc = with_rules(json!([{"name": "no women in cppcc", "type": "count",
        "group": "women", "scope": "team", "where": {"team": "cppcc"}, "max": 0}]));
    let r = assert_impossible(&doc, ImpossibilityKind::TeamMax);
    assert!(r.impossibilities[0]
        .message
        .contains("allows at most 0 women among its members, at least 1 remain in every plan: 1 women among the incumbents (who never leave); 0 women among the candidates sitting on it"),
        "{}",
        r.impossibilities[0].message);
}

#[test]
fn team_share_max() {
    let doc = with_rules(json!([{"name": "few women in gov", "type": "share",
        "group": "women", "scope": "team", "where": {"team": "gov"}, "max": 0.2}]));
    assert_impossible(&doc, ImpossibilityKind::TeamMax);
}

#[test]
fn placements_count_min() {
    let doc = with_rules(json!([{"name": "six women appointed", "type": "count",
        "group": "women", "scope": "placements", "min": 6}]));
    assert_impossible(&doc, ImpossibilityKind::PlacementsMin);
}

#[test]
fn placements_share_and_fit_rate_min() {
    let doc = with_rules(
        json!([{"name": "nobody in gov", "type": "share", "group": "nobody",
        "scope": "placements", "where": {"team": "gov"}, "min": 0.5}]),
    );
    assert_impossible(&doc, ImpossibilityKind::PlacementsMin);
    let mut doc = with_rules(json!([{"name": "perfect gov", "type": "fit_rate",
        "scope": "placements", "where": {"team": "gov"}, "min": 1.0}]));
    doc["fit"]["threshold"] = json!(0.999);
    let r = assert_impossible(&doc, ImpossibilityKind::PlacementsMin);
    assert!(r.impossibilities[0].message.contains("fitting placements"));
}

#[test]
fn placements_count_and_share_max() {
    let doc = with_rules(
        json!([{"name": "no one in gov", "type": "count", "group": "everyone",
        "scope": "placements", "where": {"team": "gov"}, "max": 0}]),
    );
    assert_impossible(&doc, ImpossibilityKind::PlacementsMax);
    let doc = with_rules(json!([{"name": "half outsiders in gov", "type": "share",
        "group": "everyone", "scope": "placements", "where": {"team": "gov"}, "max": 0.5}]));
    assert_impossible(&doc, ImpossibilityKind::PlacementsMax);
}

#[test]
fn soft_rules_give_certain_shortfalls_not_impossibilities() {
    let mut doc = tutorial();
    doc["rules"][1]["min"] = json!(0.9);
    doc["rules"][1]["penalty"] = json!(2.0);
    let s = build(&doc);
    let r = inspect(&s);
    assert!(!r.has_impossibilities(), "{:#?}", r.impossibilities);
    assert_eq!(r.soft_shortfalls.len(), 1);
    let i = &r.soft_shortfalls[0];
    assert!(i.message.contains("costing at least 3"), "{}", i.message);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["soft_shortfalls"][0]["kind"], "team-min");
    assert_eq!(json["soft_shortfalls"][0]["team"], "cppcc");
    assert_eq!(json["totals"]["soft_shortfalls"], 1);
    assert!(render_text(&s, &r).contains("Soft rules every plan falls short of (1)"));
    assert_ne!(solve(&s).status, Status::Infeasible);
}

fn committed(name: &str) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
        .join("scenario.json");
    postfit::load(&path).unwrap_or_else(|e| panic!("{e}")).0
}

#[test]
fn committed_scenarios_have_no_impossibility() {
    for name in ["tutorial", "county", "city"] {
        let s = committed(name);
        let r = inspect(&s);
        assert!(!r.has_impossibilities(), "{name}: {:#?}", r.impossibilities);
        assert_counts_match_pairs(&s, &r);
        let text = render_text(&s, &r);
        assert!(text.contains("Nothing is impossible on its face"), "{text}");
        // Deterministic.
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            serde_json::to_string(&inspect(&s)).unwrap()
        );
    }
    let r = inspect(&committed("tutorial"));
    // C07 has 2 of the 3 years at section needed for a promotion, and C10 is on leave.
    let idle: Vec<(&str, &str)> = r
        .idle_candidates
        .iter()
        .map(|c| (c.candidate.as_str(), c.reason.as_str()))
        .collect();
    assert_eq!(idle, [("C07", "years-at-rank"), ("C10", "unavailable")]);
    assert_eq!(reason_count(&r, "unavailable"), 1);
    assert_eq!(reason_count(&r, "years-at-rank"), 1);
}

/// The soundness check of one scenario: (inspect claimed an impossibility, the solver found the
/// scenario infeasible).
fn no_false_alarm(s: &Scenario, label: &str) -> (bool, bool) {
    let r = inspect(s);
    assert_counts_match_pairs(s, &r);
    let sol = solve(s);
    let infeasible = sol.status == Status::Infeasible;
    if r.has_impossibilities() {
        assert!(
            infeasible,
            "{label}: inspect claims {:#?}",
            r.impossibilities
        );
    }
    // The least shortfalls claimed hold in the solver's plans: soft ones in the optimal plan;
    // in the relaxed plan of an infeasible scenario (which may leave must-fill posts empty) only
    // the claims that hold for every plan: team scope and must-fill posts.
    let (plan, claims): (_, Vec<_>) = if infeasible {
        let all = r.impossibilities.iter().chain(&r.soft_shortfalls);
        let every_plan = all.filter(|i| {
            !matches!(
                i.kind,
                ImpossibilityKind::PlacementsMin | ImpossibilityKind::PlacementsMax
            )
        });
        (
            sol.relaxed.as_ref().map(|x| &x.report),
            every_plan.collect(),
        )
    } else {
        (sol.report.as_ref(), r.soft_shortfalls.iter().collect())
    };
    let Some(plan) = plan else {
        return (r.has_impossibilities(), infeasible);
    };
    for i in claims {
        let bound = match i.kind {
            ImpossibilityKind::TeamMin | ImpossibilityKind::PlacementsMin => Bound::Min,
            ImpossibilityKind::TeamMax | ImpossibilityKind::PlacementsMax => Bound::Max,
            ImpossibilityKind::MustFillNoCandidate
            | ImpossibilityKind::MustFillTooFewCandidates => {
                let unfilled = plan
                    .unfilled
                    .iter()
                    .filter(|&&p| i.posts.contains(&s.posts[p].id))
                    .count() as f64;
                assert!(unfilled >= i.shortfall, "{label}: {}", i.message);
                continue;
            }
        };
        let team = i.team.as_deref().and_then(|t| s.team_by_id(t));
        let unit = plan
            .rules
            .iter()
            .find(|u| Some(u.rule) == i.rule && u.team == team)
            .unwrap_or_else(|| panic!("{label}: no unit for {}", i.message));
        assert!(
            unit.shortfall_of(bound) >= i.shortfall - 1e-6,
            "{label}: the plan falls {} short, inspect claims at least {}: {}",
            unit.shortfall_of(bound),
            i.shortfall,
            i.message
        );
    }
    (r.has_impossibilities(), infeasible)
}

#[test]
fn impossibilities_are_never_false_alarms() {
    let (mut claimed, mut infeasible, mut soft) = (0, 0, 0);
    for seed in 0..500u64 {
        let s = build(&scenario_json(seed));
        let (c, i) = no_false_alarm(&s, &format!("seed {seed}"));
        claimed += c as usize;
        infeasible += i as usize;
        soft += !inspect(&s).soft_shortfalls.is_empty() as usize;
    }
    for seed in 0..150u64 {
        let s = build(&scenario_json_sized(seed, true));
        let (c, i) = no_false_alarm(&s, &format!("large seed {seed}"));
        claimed += c as usize;
        infeasible += i as usize;
    }
    eprintln!(
        "inspect proved {claimed} of {infeasible} infeasible scenarios impossible; {soft} small ones with certain soft shortfalls"
    );
    assert!(claimed >= 20, "only {claimed} impossibilities found");
    assert!(soft >= 5, "only {soft} certain soft shortfalls found");
}

#[test]
fn committed_infeasible_what_if_is_caught_before_solving() {
    // Both rules the diagnosis names are impossible on their face, by the same amounts.
    let s = committed("county-infeasible");
    let r = inspect(&s);
    let found: Vec<(Option<&str>, f64)> = r
        .impossibilities
        .iter()
        .map(|i| (i.team.as_deref(), i.shortfall))
        .collect();
    assert_eq!(
        found,
        [(Some("J00-cppcc"), 1.0), (Some("J00-government"), 1.0)],
        "{:#?}",
        r.impossibilities
    );
    let sol = solve(&s);
    assert_eq!(sol.status, Status::Infeasible);
    assert_eq!(sol.diagnosis.len(), 2);
    for (d, i) in sol.diagnosis.iter().zip(&r.impossibilities) {
        assert_eq!(d.rule, i.rule);
        assert_eq!(d.team, i.team);
        assert!((d.shortfall.unwrap() - i.shortfall).abs() < 1e-9);
    }
}

/// Every inspect sentence that counts a group's people names them by the group, as the spec
/// and `shortfall_sentence` do ("3 non-party", "1 women"), never with a role glued on ("1 women
/// candidate", "2 women members"): team and placements rules, count and share, min and max.
#[test]
fn group_counts_read_in_people_for_one_and_for_many() {
    let cases = [
        json!({"name": "three non-party at agri", "type": "count", "group": "non-party",
            "scope": "team", "where": {"team": "agri"}, "min": 3}),
        json!({"name": "no women in cppcc", "type": "count", "group": "women",
            "scope": "team", "where": {"team": "cppcc"}, "max": 0}),
        json!({"name": "few women in gov", "type": "share", "group": "women",
            "scope": "team", "where": {"team": "gov"}, "max": 0.2}),
        json!({"name": "six women appointed", "type": "count", "group": "women",
            "scope": "placements", "min": 6}),
        json!({"name": "nobody in gov", "type": "share", "group": "nobody",
            "scope": "placements", "where": {"team": "gov"}, "min": 0.5}),
        json!({"name": "no one in gov", "type": "count", "group": "everyone",
            "scope": "placements", "where": {"team": "gov"}, "max": 0}),
    ];
    let mut all = String::new();
    for rule in cases {
        let doc = with_rules(json!([rule]));
        let r = inspect(&build(&doc));
        assert!(!r.impossibilities.is_empty(), "{rule}");
        for i in &r.impossibilities {
            for g in ["women", "non-party", "nobody", "everyone"] {
                for role in ["member", "candidate", "incumbent", "placement"] {
                    let glued = format!("{g} {role}");
                    assert!(!i.message.contains(&glued), "{glued}: {}", i.message);
                }
            }
            all.push_str(&i.message);
            all.push('\n');
        }
    }
    insta::assert_snapshot!("group_counts_in_people", all);
}
