//! Explanations (`postfit explain`): every forced-placement cost equals an independent re-solve
//! of an edited scenario in which only that candidate may fill that post, the holder costs 0,
//! changes describe a valid plan, and checklists name the same failure as `eligibility`.

use std::path::Path;

use postfit::check::check_plan;
use postfit::eligibility::eligibility;
use postfit::explain::{
    explain_candidate, explain_post, first_failure, render_candidate, render_post,
    CandidateExplanation, ForcedStatus, Forcing, PostExplanation,
};
use postfit::plan::{solve_scenario, Status};
use postfit::scenario::{parse_str, RawScenario};
use postfit::solve::{Method, SolveOptions};
use postfit::Scenario;
use serde_json::{json, Value};

const TOL: f64 = 1e-6;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tutorial_json() -> Value {
    let text = std::fs::read_to_string(root().join("scenarios/tutorial/scenario.json"))
        .expect("tutorial scenario is readable");
    serde_json::from_str(&text).expect("tutorial parses")
}

fn scenario(v: &Value) -> Scenario {
    let raw: RawScenario = parse_str(&v.to_string(), "test.json").unwrap_or_else(|e| panic!("{e}"));
    Scenario::from_raw(&raw, "test.json").unwrap_or_else(|e| panic!("{e}"))
}

fn opts() -> SolveOptions {
    SolveOptions::default()
}

/// The optimum of a scenario given as JSON, or `None` when it is infeasible.
fn optimum(v: &Value) -> Option<f64> {
    let sol = solve_scenario(&scenario(v), &opts()).expect("solves");
    match sol.status {
        Status::Optimal => sol.objective(),
        Status::Infeasible => None,
        other => panic!("unexpected status {other:?}"),
    }
}

/// The scenario edited so that only candidate `cid` may fill post `pid`, and must: a fresh
/// attribute only that candidate has, a group on it, the post open to that group and must-fill.
fn forced_json(v: &Value, cid: &str, pid: &str) -> Value {
    let mut v = v.clone();
    let groups = v
        .as_object_mut()
        .expect("object")
        .entry("groups")
        .or_insert_with(|| json!({}));
    groups["explain-forced"] = json!({"explain_forced": {"in": ["yes"]}});
    for c in v["candidates"].as_array_mut().expect("candidates") {
        if c["id"] == cid {
            let attrs = c
                .as_object_mut()
                .expect("candidate object")
                .entry("attributes")
                .or_insert_with(|| json!({}));
            attrs["explain_forced"] = json!("yes");
        }
    }
    for p in v["posts"].as_array_mut().expect("posts") {
        if p["id"] == pid {
            p["open_to"] = json!("explain-forced");
            p["must_fill"] = json!(true);
        }
    }
    v
}

/// Asserts a reported forcing matches the independent optimum of the edited scenario.
fn assert_matches(f: &Forcing, z: f64, independent: Option<f64>, what: &str) {
    match independent {
        Some(o) => {
            assert_eq!(f.status, ForcedStatus::Optimal, "{what}: {f:?}");
            let cost = f.cost.expect("a cost");
            assert!(cost >= -1e-9, "{what}: negative cost {cost}");
            assert!(
                (z - o - cost).abs() <= TOL,
                "{what}: reported cost {cost}, independent {}",
                z - o
            );
            let obj = f.objective.expect("an objective");
            assert!((obj - o).abs() <= TOL, "{what}: objective {obj} vs {o}");
        }
        None => {
            assert_eq!(f.status, ForcedStatus::Infeasible, "{what}: {f:?}");
            assert!(f.cost.is_none() && f.objective.is_none(), "{what}");
            assert!(f.message.contains("infeasible"), "{what}: {}", f.message);
        }
    }
}

/// Applies a forcing's changes to the optimal plan: the result must be a valid plan whose
/// objective is the forcing's, with `cid` in `pid`.
fn assert_changes_consistent(
    s: &Scenario,
    e_holders: &[Option<usize>],
    f: &Forcing,
    cid: &str,
    pid: &str,
) {
    let Some(obj) = f.objective else { return };
    let mut holders = e_holders.to_vec();
    for ch in &f.changes {
        let p = s.post_by_id(&ch.post).expect("known post");
        let before = ch
            .from
            .as_deref()
            .map(|c| s.candidate_by_id(c).expect("known"));
        assert_eq!(
            holders[p], before,
            "change of {} has the wrong 'before'",
            ch.post
        );
        assert_ne!(ch.from, ch.to, "a change that changes nothing");
        holders[p] = ch
            .to
            .as_deref()
            .map(|c| s.candidate_by_id(c).expect("known"));
    }
    let p = s.post_by_id(pid).expect("post");
    let c = s.candidate_by_id(cid).expect("candidate");
    assert_eq!(
        holders[p],
        Some(c),
        "{cid} does not hold {pid} after the changes"
    );
    let plan: Vec<(usize, usize)> = holders
        .iter()
        .enumerate()
        .filter_map(|(p, c)| c.map(|c| (p, c)))
        .collect();
    let report = check_plan(s, &plan);
    assert!(
        report.is_ok(),
        "changed plan breaks rules: {:?}",
        report.violations
    );
    assert!(
        (report.objective - obj).abs() <= 1e-9,
        "changed plan objective"
    );
}

fn base_holders(s: &Scenario) -> (f64, Vec<Option<usize>>) {
    let sol = solve_scenario(s, &opts()).expect("solves");
    let mut h = vec![None; s.posts.len()];
    for (p, c) in sol.placements() {
        h[p] = Some(c);
    }
    (sol.objective().expect("optimal"), h)
}

#[test]
fn post_costs_equal_independent_resolves() {
    let v = tutorial_json();
    let s = scenario(&v);
    let (z, holders) = base_holders(&s);
    let mut checked = 0;
    for p in 0..s.posts.len() {
        let e = explain_post(&s, p, &opts()).expect("explains");
        assert_eq!(e.objective, Some(z));
        for c in &e.candidates {
            let f = c
                .forcing
                .as_ref()
                .expect("a forcing for every eligible candidate");
            let independent = optimum(&forced_json(&v, &c.candidate, &e.post));
            assert_matches(f, z, independent, &format!("{} -> {}", c.candidate, e.post));
            assert_changes_consistent(&s, &holders, f, &c.candidate, &e.post);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} eligible pairs checked");
}

#[test]
fn candidate_costs_equal_independent_resolves_and_post_view() {
    let v = tutorial_json();
    let s = scenario(&v);
    let (z, holders) = base_holders(&s);
    let posts: Vec<PostExplanation> = (0..s.posts.len())
        .map(|p| explain_post(&s, p, &opts()).expect("explains"))
        .collect();
    for c in 0..s.candidates.len() {
        let e = explain_candidate(&s, c, None, &opts()).expect("explains");
        assert_eq!(e.posts.len(), s.posts.len());
        for (p, o) in e.posts.iter().enumerate() {
            assert_eq!(o.eligible, eligibility(&s, c, p).is_ok());
            if !o.eligible {
                assert!(o.forcing.is_none());
                continue;
            }
            let f = o.forcing.as_ref().expect("eligible pairs get a forcing");
            if o.placed_here {
                assert_eq!(holders[p], Some(c));
                assert_eq!(f.cost, Some(0.0));
                assert!(f.changes.is_empty());
            }
            let independent = optimum(&forced_json(&v, &e.candidate, &o.post));
            assert_matches(f, z, independent, &format!("{} -> {}", e.candidate, o.post));
            assert_changes_consistent(&s, &holders, f, &e.candidate, &o.post);
            // The post's view lists the same cost for this candidate.
            let pc = posts[p]
                .candidates
                .iter()
                .find(|x| x.candidate == e.candidate)
                .expect("listed by the post");
            assert_eq!(pc.forcing.as_ref().and_then(|f| f.cost), f.cost);
        }
        assert_eq!(e.placed.is_some(), holders.contains(&Some(c)));
    }
}

#[test]
fn holder_first_with_cost_zero_and_sorted() {
    let s = scenario(&tutorial_json());
    let (_, holders) = base_holders(&s);
    for (p, holder) in holders.iter().enumerate() {
        let e = explain_post(&s, p, &opts()).expect("explains");
        match *holder {
            Some(h) => {
                let first = &e.candidates[0];
                assert_eq!(first.candidate, s.candidates[h].id);
                assert!(first.holder);
                assert_eq!(first.forcing.as_ref().and_then(|f| f.cost), Some(0.0));
                assert_eq!(
                    e.holder.as_ref().map(|x| &x.candidate),
                    Some(&first.candidate)
                );
            }
            None => assert!(e.holder.is_none() && e.candidates.iter().all(|c| !c.holder)),
        }
        let costs: Vec<f64> = e
            .candidates
            .iter()
            .map(|c| {
                c.forcing
                    .as_ref()
                    .and_then(|f| f.cost)
                    .unwrap_or(f64::INFINITY)
            })
            .collect();
        assert!(costs.windows(2).all(|w| w[0] <= w[1] + 1e-9), "{costs:?}");
        let ineligible: usize = e.ineligible.values().sum();
        assert_eq!(ineligible + e.candidates.len(), s.candidates.len());
    }
}

#[test]
fn checklist_names_the_same_failure_as_eligibility() {
    let mut v = tutorial_json();
    // C11 (deputy-section, 1 year) also avoids agri: agri-head fails two conditions.
    v["candidates"][10]["avoid_teams"] = json!(["agri"]);
    let s = scenario(&v);
    let mut failures = 0;
    for c in 0..s.candidates.len() {
        let e = explain_candidate(&s, c, None, &opts()).expect("explains");
        for (p, o) in e.posts.iter().enumerate() {
            let first = first_failure(&o.conditions);
            match eligibility(&s, c, p) {
                Ok(fit) => {
                    assert!(first.is_none(), "eligible pair with a failed condition");
                    assert!(o.reason.is_none() && o.reason_code.is_none());
                    assert_eq!(o.fit.fit, fit.total);
                    assert_eq!(o.fit.specialty, fit.specialty);
                    assert_eq!(o.fit.experience, fit.experience);
                }
                Err(reason) => {
                    failures += 1;
                    assert_eq!(o.reason.as_deref(), Some(reason.to_string().as_str()));
                    assert_eq!(o.reason_code.as_deref(), Some(reason.code()));
                    assert_eq!(first.map(|f| f.code.as_str()), Some(reason.code()));
                }
            }
        }
    }
    assert!(failures > 10);
    let c11 = s.candidate_by_id("C11").expect("C11");
    let head = s.post_by_id("agri-head").expect("agri-head");
    let e = explain_candidate(&s, c11, Some(head), &opts()).expect("explains");
    assert_eq!(e.posts.len(), 1);
    let failed: Vec<&str> = e.posts[0]
        .conditions
        .iter()
        .filter(|c| !c.holds)
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(failed, ["years-at-rank", "avoid-teams"]);
    assert_eq!(e.posts[0].reason_code.as_deref(), Some("years-at-rank"));
}

#[test]
fn unavailable_candidate_is_not_available_everywhere() {
    let s = scenario(&tutorial_json());
    let c10 = s.candidate_by_id("C10").expect("C10");
    let e = explain_candidate(&s, c10, None, &opts()).expect("explains");
    assert!(!e.available && e.placed.is_none());
    for o in &e.posts {
        assert!(!o.eligible);
        assert_eq!(o.reason_code.as_deref(), Some("unavailable"));
        assert!(o
            .reason
            .as_deref()
            .expect("a reason")
            .starts_with("not available"));
        assert!(o.forcing.is_none());
        // The rest of the checklist is still evaluated.
        assert!(o.conditions.len() >= 6);
    }
    let text = render_candidate(&s, &e);
    assert!(
        text.matches("not available").count() >= s.posts.len(),
        "{text}"
    );
}

#[test]
fn leaving_out_and_leaving_empty_match_independent_resolves() {
    let v = tutorial_json();
    let s = scenario(&v);
    let (z, holders) = base_holders(&s);
    let mut seen_empty = 0;
    for (p, holder) in holders.iter().enumerate() {
        let e = explain_post(&s, p, &opts()).expect("explains");
        if holder.is_none() || s.posts[p].must_fill {
            assert!(e.empty.is_none());
            continue;
        }
        let mut edited = v.clone();
        edited["posts"].as_array_mut().expect("posts").remove(p);
        let independent = optimum(&edited);
        assert_matches(
            e.empty.as_ref().expect("an empty cost"),
            z,
            independent,
            &e.post,
        );
        seen_empty += 1;
    }
    assert!(seen_empty >= 1);
    for c in 0..s.candidates.len() {
        let e = explain_candidate(&s, c, None, &opts()).expect("explains");
        let Some(placed) = &e.placed else { continue };
        let mut edited = v.clone();
        edited["candidates"][c]["available"] = json!(false);
        let independent = optimum(&edited);
        let without = placed.without.as_ref().expect("a cost of leaving out");
        assert_matches(without, z, independent, &e.candidate);
        assert!(placed.why.contains(&placed.post));
    }
}

#[test]
fn infeasible_scenario_lists_eligibility_without_costs() {
    let mut v = tutorial_json();
    v["rules"][0]["min"] = json!(5);
    let s = scenario(&v);
    let e = explain_candidate(&s, 0, None, &opts()).expect("explains");
    assert_eq!(e.status, Status::Infeasible);
    assert!(e.objective.is_none() && e.placed.is_none());
    assert!(e.posts.iter().any(|o| o.eligible));
    assert!(e.posts.iter().all(|o| o.forcing.is_none()));
    let why = "No plan: the hard rules and must-fill posts cannot all hold";
    assert!(render_candidate(&s, &e).contains(why));
    let p = explain_post(&s, 0, &opts()).expect("explains");
    assert!(p.holder.is_none() && p.empty.is_none());
    assert!(!p.candidates.is_empty() && p.candidates.iter().all(|c| c.forcing.is_none()));
    assert!(render_post(&s, &p).contains(why));
}

#[test]
fn answers_do_not_depend_on_threads_or_method() {
    let s = scenario(&tutorial_json());
    let run = |threads: usize, method: Method| -> (String, String) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let o = SolveOptions { method, ..opts() };
        pool.install(|| {
            let c: CandidateExplanation = explain_candidate(&s, 3, None, &o).expect("explains");
            let p = explain_post(&s, 0, &o).expect("explains");
            (
                serde_json::to_string(&c).expect("json"),
                serde_json::to_string(&p).expect("json"),
            )
        })
    };
    let one = run(1, Method::Fast);
    assert_eq!(one, run(4, Method::Fast));
    let direct = run(2, Method::Direct);
    let costs = |text: &str| -> Vec<Option<f64>> {
        let v: Value = serde_json::from_str(text).expect("json");
        let mut out = Vec::new();
        collect_costs(&v, &mut out);
        out
    };
    for (a, b) in [(&one.0, &direct.0), (&one.1, &direct.1)] {
        let (ca, cb) = (costs(a), costs(b));
        assert_eq!(ca.len(), cb.len());
        for (x, y) in ca.iter().zip(&cb) {
            match (x, y) {
                (Some(x), Some(y)) => assert!((x - y).abs() <= TOL, "fast {x} vs direct {y}"),
                _ => assert_eq!(x, y),
            }
        }
    }
}

fn collect_costs(v: &Value, out: &mut Vec<Option<f64>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "cost" {
                    out.push(x.as_f64());
                } else {
                    collect_costs(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_costs(x, out)),
        _ => {}
    }
}

#[test]
fn renders_and_serialises() {
    let s = scenario(&tutorial_json());
    let e = explain_post(&s, 2, &opts()).expect("explains");
    let text = render_post(&s, &e);
    assert!(
        text.contains(&e.post) && text.contains("Eligible candidates"),
        "{text}"
    );
    if let Some(h) = &e.holder {
        assert!(text.contains(&format!("Held by {}", h.candidate)));
    }
    let json = serde_json::to_value(&e).expect("json");
    assert_eq!(json["post"], e.post);
    let c = explain_candidate(&s, 2, None, &opts()).expect("explains");
    let text = render_candidate(&s, &c);
    assert!(
        text.contains("Posts (5 of 5)") && text.contains("condition"),
        "{text}"
    );
    assert!(serde_json::to_value(&c).expect("json")["posts"].is_array());
    assert!(explain_candidate(&s, 99, None, &opts()).is_err());
    assert!(explain_post(&s, 99, &opts()).is_err());
}

#[test]
fn county_must_fill_post_holder_first() {
    let (s, _, _) = postfit::load(&root().join("scenarios/county/scenario.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let p = (0..s.posts.len())
        .find(|&p| s.posts[p].must_fill)
        .expect("a must-fill post");
    let e = explain_post(&s, p, &opts()).expect("explains");
    assert_eq!(e.status, Status::Optimal);
    let first = e.candidates.first().expect("candidates");
    assert!(first.holder);
    assert_eq!(
        e.holder.as_ref().map(|h| &h.candidate),
        Some(&first.candidate)
    );
    assert_eq!(first.forcing.as_ref().and_then(|f| f.cost), Some(0.0));
    assert!(e.empty.is_none(), "a must-fill post cannot be left empty");
    for c in &e.candidates[1..] {
        let f = c.forcing.as_ref().expect("forcing");
        if let Some(cost) = f.cost {
            assert!(cost >= 0.0);
            assert!(f
                .changes
                .iter()
                .any(|ch| ch.post == e.post && ch.to.as_deref() == Some(c.candidate.as_str())));
        }
    }
}

/// Found in session 18's review: `explain` named a post's old and new holder `before`/`after`
/// while `slate` entries and `solve --baseline`'s `changed` say `from`/`to`. All three JSON
/// outputs now use `{"post", "from", "to"}`.
#[test]
fn changes_are_named_from_and_to_in_every_json_output() {
    let tutorial = root().join("scenarios/tutorial/scenario.json");
    let run = |args: &[&str]| -> Value {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_postfit"))
            .args(args)
            .output()
            .expect("postfit runs");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).expect("JSON on stdout")
    };
    let t = tutorial.to_str().unwrap();
    let mut seen = 0;
    let mut check = |changes: &Value| {
        for ch in changes.as_array().expect("an array of changes") {
            let mut keys: Vec<&str> = ch.as_object().unwrap().keys().map(|k| k.as_str()).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["from", "post", "to"], "{ch}");
            seen += 1;
        }
    };
    let explain = run(&["explain", t, "--post", "agri-head", "--format", "json"]);
    for c in explain["candidates"].as_array().unwrap() {
        if let Some(changes) = c["forcing"].get("changes") {
            check(changes);
        }
    }
    let slate = run(&["slate", t, "--k", "3", "--format", "json"]);
    for sl in slate["slates"].as_array().unwrap() {
        for e in sl["entries"].as_array().unwrap() {
            check(&e["changes"]);
        }
    }
    assert!(seen > 0, "no change to look at");
}
