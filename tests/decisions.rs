//! Decided and vetoed placements, re-planning against a baseline, and `postfit diff` (spec 1.1),
//! on the tutorial scenario (scenarios/tutorial): every validation with its path, decided
//! placements that are not eligible (solved, warned, and accepted by `check`), vetoes, the
//! diagnosis, inspect and explain, and the CLI of `solve --baseline` and `diff`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use postfit::check::check_plan;
use postfit::explain::{explain_candidate, explain_post};
use postfit::inspect::inspect;
use postfit::plan::{solve_scenario, Status};
use postfit::scenario::RawScenario;
use postfit::solve::SolveOptions;
use postfit::Scenario;
use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tutorial() -> Value {
    let text = std::fs::read_to_string(root().join("scenarios/tutorial/scenario.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn scenario(v: &Value) -> Scenario {
    let raw: RawScenario = serde_json::from_value(v.clone()).unwrap();
    Scenario::from_raw(&raw, "s.json").unwrap()
}

fn invalid(v: &Value) -> String {
    let raw: RawScenario = match serde_json::from_value(v.clone()) {
        Ok(r) => r,
        Err(e) => return format!("serde: {e}"),
    };
    Scenario::from_raw(&raw, "s.json")
        .expect_err("rejected")
        .to_string()
}

fn with(f: impl FnOnce(&mut Value)) -> Value {
    let mut v = tutorial();
    f(&mut v);
    v
}

fn postfit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(args)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, v: &Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
    p.display().to_string()
}

fn pair(post: &str, candidate: &str) -> Value {
    json!({"post": post, "candidate": candidate})
}

// ---------------------------------------------------------------------------------------------
// Validation: one bad input per check, with its path.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_decision_validation_names_its_path() {
    let cases: Vec<(Value, &str)> = vec![
        (
            with(|v| v["decided"] = json!([pair("nope", "C01")])),
            "s.json: decided[0].post: unknown post \"nope\"",
        ),
        (
            with(|v| v["decided"] = json!([pair("agri-head", "C99")])),
            "s.json: decided[0].candidate: unknown candidate \"C99\"",
        ),
        (
            with(|v| v["decided"] = json!([pair("agri-head", "C01"), pair("agri-head", "C03")])),
            "s.json: decided[1].post: post \"agri-head\" is decided twice (first at decided[0])",
        ),
        (
            with(|v| v["decided"] = json!([pair("agri-head", "C01"), pair("gov-vice", "C01")])),
            "s.json: decided[1].candidate: candidate \"C01\" is decided twice (first at decided[0])",
        ),
        (
            with(|v| v["vetoed"] = json!([pair("agri-head", "C01"), pair("nope", "C01")])),
            "s.json: vetoed[1].post: unknown post \"nope\"",
        ),
        (
            with(|v| v["vetoed"] = json!([pair("agri-head", "")])),
            "s.json: vetoed[0].candidate: unknown candidate \"\"",
        ),
        (
            with(|v| {
                v["decided"] = json!([pair("agri-head", "C06")]);
                v["vetoed"] = json!([pair("gov-vice", "C03"), pair("agri-head", "C06")]);
            }),
            "s.json: vetoed[1]: the pair (\"agri-head\", \"C06\") is also decided (decided[0]); a pair may not be both",
        ),
    ];
    for (v, want) in cases {
        assert_eq!(invalid(&v), want);
    }
}

#[test]
fn decision_types_are_checked_by_the_loader_with_paths() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(Value, &str)> = vec![
        (
            with(|v| v["decided"] = json!([{"post": "agri-head", "candidate": "C06", "why": 1}])),
            "decided[0]",
        ),
        (
            with(|v| v["vetoed"] = json!([{"post": "agri-head"}])),
            "vetoed[0]",
        ),
        (with(|v| v["decided"] = json!({"post": "x"})), "decided"),
        (
            with(|v| v["vetoed"] = json!([{"post": 3, "candidate": "C01"}])),
            "vetoed[0].post",
        ),
    ];
    for (i, (v, path)) in cases.into_iter().enumerate() {
        let file = write(dir.path(), &format!("bad{i}.json"), &v);
        let o = postfit(&["solve", &file]);
        assert_eq!(o.status.code(), Some(2), "case {i}");
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.contains(&format!("{file}: {path}")),
            "case {i}: path {path} in {err}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Decided placements that are not eligible; vetoes.
// ---------------------------------------------------------------------------------------------

/// C10 is unavailable; C12 sits at section rank, above the deputy-section post. Their fit is low,
/// so the technical fit rate (hard in the tutorial) is made soft to leave room for them.
fn decided_ineligible() -> Value {
    with(|v| {
        v["rules"][3]["penalty"] = json!(1.0);
        v["decided"] = json!([
            {"post": "agri-head", "candidate": "C10", "note": "committee, exceptional"},
            pair("agri-deputy", "C12")
        ])
    })
}

#[test]
fn ineligible_decided_placements_are_solved_and_warned_not_broken() {
    let v = decided_ineligible();
    let s = scenario(&v);
    let sol = solve_scenario(&s, &SolveOptions::default()).unwrap();
    assert_eq!(sol.status, Status::Optimal);
    let plan = sol.placements();
    let (head, deputy) = (
        s.post_by_id("agri-head").unwrap(),
        s.post_by_id("agri-deputy").unwrap(),
    );
    assert!(plan.contains(&(head, s.candidate_by_id("C10").unwrap())));
    assert!(plan.contains(&(deputy, s.candidate_by_id("C12").unwrap())));
    let report = sol.report.as_ref().unwrap();
    assert!(report.is_ok());
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.message(&s)).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("C10 -> agri-head") && warnings[0].contains("unavailable"));
    assert!(warnings[1].contains("C12 -> agri-deputy") && warnings[1].contains("rank-too-high"));
    // The objective counts their fit like any placement's.
    let fit_total: f64 = report.placements.iter().map(|p| p.fit.total).sum();
    assert!((report.fit_total - fit_total).abs() < 1e-12);
}

#[test]
fn a_warning_names_every_failed_condition() {
    // C10 (unavailable, section) decided into a deputy-section post: unavailable and the post
    // below their rank, both named.
    let v = with(|v| v["decided"] = json!([pair("agri-deputy", "C10")]));
    let s = scenario(&v);
    let (c, p) = (
        s.candidate_by_id("C10").unwrap(),
        s.post_by_id("agri-deputy").unwrap(),
    );
    let failures = postfit::eligibility::all_failures(&s, c, p);
    assert!(failures.len() >= 2, "{failures:?}");
    let report = check_plan(&s, &[(p, c)]);
    let msg = report.warnings[0].message(&s);
    for f in &failures {
        assert!(msg.contains(f.code()), "{msg} names {}", f.code());
    }
}

#[test]
fn check_exits_0_on_a_plan_that_keeps_ineligible_decided_placements_and_1_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.json", &decided_ineligible());
    let out = dir.path().join("plan.json").display().to_string();
    let o = postfit(&["solve", &file, "--out", &out]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: decided placement C10 -> agri-head is not eligible"),
        "{err}"
    );
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(plan["warnings"].as_array().unwrap().len(), 2);
    let o = postfit(&["check", &file, &out]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("WARNING decided placement C12 -> agri-deputy"),
        "{text}"
    );

    // Without the decided placement of agri-head: a break, exit 1.
    let mut lacking = plan.clone();
    lacking["placements"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["post"] != "agri-head");
    let lacking_file = write(dir.path(), "lacking.json", &lacking);
    let o = postfit(&["check", &file, &lacking_file]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout)
        .contains("decided placement C10 -> agri-head is not in the plan"));
}

#[test]
fn a_vetoed_pair_is_never_placed_and_breaks_when_placed_by_hand() {
    let plain = scenario(&tutorial());
    let sol = solve_scenario(&plain, &SolveOptions::default()).unwrap();
    let (p, c) = sol.placements()[0];
    let (pid, cid) = (plain.posts[p].id.clone(), plain.candidates[c].id.clone());
    let v = with(|v| v["vetoed"] = json!([{"post": pid, "candidate": cid, "note": "inspection"}]));
    let s = scenario(&v);
    let sol = solve_scenario(&s, &SolveOptions::default()).unwrap();
    assert_eq!(sol.status, Status::Optimal);
    assert!(!sol.placements().contains(&(p, c)));
    let report = check_plan(&s, &[(p, c)]);
    let msgs: Vec<String> = report.violations.iter().map(|v| v.message(&s)).collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("the pair is vetoed (inspection)")),
        "{msgs:?}"
    );
}

#[test]
fn decided_placements_never_give_way_in_the_diagnosis() {
    // C05 (deputy-section, not non-party?) decided into agri-deputy is fine; deciding the two
    // CPPCC posts for party members breaks the hard CPPCC half non-party rule: infeasible, and
    // the relaxed plan keeps both decided placements.
    let base = scenario(&tutorial());
    let party: Vec<String> = (0..base.candidates.len())
        .filter(|&c| !base.in_group[base.group_by_name("non-party").unwrap()][c])
        .filter(|&c| base.candidates[c].available)
        .map(|c| base.candidates[c].id.clone())
        .collect();
    assert!(party.len() >= 2, "{party:?}");
    let v = with(|v| {
        v["decided"] = json!([
            pair("cppcc-vice-1", &party[0]),
            pair("cppcc-vice-2", &party[1])
        ])
    });
    let s = scenario(&v);
    let sol = solve_scenario(&s, &SolveOptions::default()).unwrap();
    assert_eq!(sol.status, Status::Infeasible);
    assert!(!sol.diagnosis.is_empty());
    let relaxed = sol.relaxed.as_ref().expect("a relaxation");
    let kept: Vec<(usize, usize)> = relaxed
        .report
        .placements
        .iter()
        .map(|p| (p.post, p.candidate))
        .collect();
    for d in &s.decided {
        assert!(
            kept.contains(&(d.post, d.candidate)),
            "decided kept in the relaxation"
        );
    }
    assert!(sol
        .diagnosis
        .iter()
        .any(|d| d.name.as_deref() == Some("CPPCC half non-party")));
}

#[test]
fn inspect_counts_decided_supply_and_veto_reasons() {
    let v = with(|v| {
        v["decided"] = json!([pair("agri-head", "C06")]);
        let all: Vec<Value> = [
            "cppcc-vice-1",
            "cppcc-vice-2",
            "gov-vice",
            "agri-head",
            "agri-deputy",
        ]
        .iter()
        .map(|p| pair(p, "C11"))
        .collect();
        v["vetoed"] = Value::Array(all);
    });
    let s = scenario(&v);
    let r = inspect(&s);
    let head = r.posts.iter().find(|p| p.post == "agri-head").unwrap();
    assert_eq!(
        head.eligible, 1,
        "a decided post has only its decided candidate"
    );
    let plain = inspect(&scenario(&tutorial()));
    assert!(
        plain
            .posts
            .iter()
            .find(|p| p.post == "agri-head")
            .unwrap()
            .eligible
            > 1
    );
    let c11 = r.idle_candidates.iter().find(|c| c.candidate == "C11");
    let c11 = c11.expect("C11 is vetoed everywhere it could go");
    assert!(
        c11.posts_by_reason.iter().any(|x| x.reason == "vetoed"),
        "{:?}",
        c11.posts_by_reason
    );
}

/// Found in session 18's review: a post decided for an ineligible candidate counted "1
/// eligible" with nothing saying that the one was an exceptional appointment. The report now
/// names each decided post's candidate and whether the pair is eligible, in JSON and text.
#[test]
fn inspect_names_each_decided_post_and_whether_the_pair_is_eligible() {
    let s = scenario(&decided_ineligible());
    let r = inspect(&s);
    let post = |id: &str| r.posts.iter().find(|p| p.post == id).unwrap();
    let head = post("agri-head");
    assert_eq!(head.eligible, 1);
    let d = head.decided.as_ref().expect("agri-head is decided");
    assert_eq!((d.candidate.as_str(), d.eligible), ("C10", false));
    assert!(post("gov-vice").decided.is_none());
    let json = serde_json::to_value(&r).unwrap();
    let posts = json["posts"].as_array().unwrap();
    assert_eq!(
        posts[3]["decided"],
        json!({"candidate": "C10", "eligible": false})
    );
    assert!(posts[2].get("decided").is_none(), "{}", posts[2]);
    let text = postfit::inspect::render_text(&s, &r);
    assert!(
        text.contains("C10 -> agri-head (not eligible: an exceptional appointment)"),
        "{text}"
    );
    assert!(text.contains("C12 -> agri-deputy (not eligible"), "{text}");
    // An eligible decided pair is named without the remark.
    let s = scenario(&with(|v| v["decided"] = json!([pair("agri-head", "C06")])));
    let r = inspect(&s);
    assert!(r.posts[3].decided.as_ref().unwrap().eligible);
    let text = postfit::inspect::render_text(&s, &r);
    assert!(text.contains("C06 -> agri-head\n"), "{text}");
}

#[test]
fn explain_says_decided_and_vetoed() {
    let v = with(|v| {
        v["rules"][3]["penalty"] = json!(1.0);
        v["decided"] = json!([{"post": "agri-head", "candidate": "C10", "note": "committee"}]);
        v["vetoed"] = json!([pair("gov-vice", "C03")]);
    });
    let s = scenario(&v);
    let opts = SolveOptions::default();
    let e = explain_post(&s, s.post_by_id("agri-head").unwrap(), &opts).unwrap();
    let d = e.decided.expect("decided sentence");
    assert!(
        d.contains("C10 -> agri-head is a decided placement (committee)"),
        "{d}"
    );
    assert!(d.contains("not available"), "{d}");
    let c = explain_candidate(&s, s.candidate_by_id("C10").unwrap(), None, &opts).unwrap();
    assert!(c.placed.unwrap().why.contains("decided placement"));
    let c = explain_candidate(
        &s,
        s.candidate_by_id("C03").unwrap(),
        s.post_by_id("gov-vice"),
        &opts,
    )
    .unwrap();
    assert_eq!(c.posts[0].reason_code.as_deref(), Some("vetoed"));
    assert!(c.posts[0]
        .conditions
        .iter()
        .any(|k| k.code == "vetoed" && !k.holds));
}

/// Found by a reviewer (2026-12-03): with a decided placement, `explain` called every forcing
/// the decision rules out "infeasible: forcing breaks a hard rule" (no hard rule was involved),
/// and counted the decided holder among the eligible candidates though the pair is not
/// eligible. Each such forcing now names the decision, without a re-solve.
#[test]
fn explain_names_the_decision_that_rules_a_forcing_out() {
    let opts = SolveOptions::default();
    // C05 decided into agri-deputy: forcing C05 into agri-head (eligible, and feasible
    // without the decision) is ruled out by the decision, not by a hard rule.
    let v = with(|v| v["decided"] = json!([pair("agri-deputy", "C05")]));
    let s = scenario(&v);
    let e = explain_candidate(&s, s.candidate_by_id("C05").unwrap(), None, &opts).unwrap();
    let head = e.posts.iter().find(|p| p.post == "agri-head").unwrap();
    assert!(head.eligible);
    let f = head
        .forcing
        .as_ref()
        .expect("a forcing for an eligible post");
    assert_eq!(f.status, postfit::resolve::ForcedStatus::Infeasible);
    assert_eq!(f.message, "infeasible: C05 is decided for agri-deputy");
    let without = e.placed.unwrap().without.expect("without");
    assert_eq!(
        without.message,
        "infeasible: C05 is decided for agri-deputy"
    );
    // Without the decision the same forcing has a plan.
    let free = scenario(&tutorial());
    let e = explain_candidate(
        &free,
        free.candidate_by_id("C05").unwrap(),
        free.post_by_id("agri-head"),
        &opts,
    )
    .unwrap();
    assert_eq!(
        e.posts[0].forcing.as_ref().unwrap().status,
        postfit::resolve::ForcedStatus::Optimal
    );

    // agri-head decided for C10 (not eligible): leaving it empty and every other candidate
    // are ruled out by the decision; C10 is listed as the holder, not as eligible.
    let v = decided_ineligible();
    let s = scenario(&v);
    let e = explain_post(&s, s.post_by_id("agri-head").unwrap(), &opts).unwrap();
    let empty = e.empty.as_ref().expect("the empty post is explained");
    assert_eq!(empty.message, "infeasible: agri-head is decided for C10");
    assert_eq!(e.candidates[0].candidate, "C10");
    assert!(e.candidates[0].holder && !e.candidates[0].eligible);
    assert!(e.candidates.len() > 1);
    for c in &e.candidates[1..] {
        assert!(c.eligible, "{}", c.candidate);
        assert_eq!(
            c.forcing.as_ref().unwrap().message,
            "infeasible: agri-head is decided for C10",
            "{}",
            c.candidate
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "s.json", &v);
    let o = postfit(&["explain", &f, "--post", "agri-head"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("breaks a hard rule"), "{out}");
    let n = e.candidates.len() - 1;
    assert!(
        out.contains(&format!(
            "Eligible candidates ({n}) and the decided holder, who is not eligible"
        )),
        "{out}"
    );
    assert!(out.contains("holder (decided, not eligible)"), "{out}");
}

/// Found by a reviewer (2026-12-03): `check --format json` built its document with two
/// `warnings` keys, and the second (what the plan file claims) replaced the first: the spec's
/// warning on an ineligible decided placement never reached programs.
#[test]
fn check_json_keeps_the_warning_on_an_ineligible_decided_placement() {
    let v = decided_ineligible();
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "s.json", &v);
    let plan = dir.path().join("plan.json");
    let o = postfit(&["solve", &f, "--out", plan.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = postfit(&["check", &f, plan.to_str().unwrap(), "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let w: Vec<&str> = doc["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].contains("C10 -> agri-head") && w[0].contains("unavailable"),
        "{w:?}"
    );
    assert!(w[1].contains("C12 -> agri-deputy"), "{w:?}");
}

/// Found by a reviewer (2026-12-03): an infeasible solve did not warn about a decided
/// placement that is not eligible, though that exceptional appointment was what made the
/// hard rules fail (C10 has fit 0 and the tutorial's technical fit rate is hard).
#[test]
fn an_infeasible_solve_still_warns_about_an_ineligible_decided_placement() {
    let v = with(|v| v["decided"] = json!([pair("agri-head", "C10")]));
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "s.json", &v);
    let o = postfit(&["solve", &f, "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: decided placement C10 -> agri-head is not eligible"),
        "{err}"
    );
    let plan: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(plan["status"], "infeasible");
    let w = plan["warnings"].as_array().expect("warnings in the JSON");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].as_str().unwrap().contains("unavailable"), "{w:?}");
}

// ---------------------------------------------------------------------------------------------
// solve --baseline, diff
// ---------------------------------------------------------------------------------------------

#[test]
fn solve_with_a_baseline_reports_changes_sha_and_ignored_placements() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.json", &tutorial());
    let first = dir.path().join("first.json").display().to_string();
    assert_eq!(
        postfit(&["solve", &file, "--out", &first]).status.code(),
        Some(0)
    );
    let mut baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(&first).unwrap()).unwrap();
    let placements = baseline["placements"].as_array_mut().unwrap();
    let moved = placements[0]["candidate"].as_str().unwrap().to_string();
    placements.push(json!({"post": "gone-post", "candidate": "C01"}));
    placements.push(json!({"post": "agri-deputy-2", "candidate": "C77"}));
    let base_file = write(dir.path(), "baseline.json", &baseline);
    // The first holder withdraws.
    let v = with(|v| {
        for c in v["candidates"].as_array_mut().unwrap() {
            if c["id"] == moved.as_str() {
                c["available"] = json!(false);
            }
        }
    });
    let next = write(dir.path(), "next.json", &v);
    let o = postfit(&["solve", &next, "--baseline", &base_file, "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let plan: Value = serde_json::from_slice(&o.stdout).unwrap();
    use sha2::{Digest, Sha256};
    let sha = format!("{:x}", Sha256::digest(std::fs::read(&base_file).unwrap()));
    assert_eq!(plan["baseline"], json!(sha));
    let changes = plan["changes"].as_u64().unwrap();
    assert!(changes >= 1);
    assert_eq!(plan["changed"].as_array().unwrap().len() as u64, changes);
    assert_eq!(plan["changed"][0]["from"], json!(moved));
    let ignored = plan["baseline_ignored"].as_array().unwrap();
    assert_eq!(ignored.len(), 2);
    assert!(ignored[0]["reason"]
        .as_str()
        .unwrap()
        .contains("post \"gone-post\" is no longer in the scenario"));
    // The table shows the change column.
    let o = postfit(&["solve", &next, "--baseline", &base_file]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("change") && text.contains(&format!("was {moved}")),
        "{text}"
    );
    assert!(text.contains(&format!("Changes against the baseline: {changes}")));
    // With a change cost, the combined value is reported.
    let o = postfit(&[
        "solve",
        &next,
        "--baseline",
        &base_file,
        "--change-cost",
        "0.1",
        "--format",
        "json",
    ]);
    let plan: Value = serde_json::from_slice(&o.stdout).unwrap();
    let combined = plan["combined_objective"].as_f64().unwrap();
    let objective = plan["objective"].as_f64().unwrap();
    let n = plan["changes"].as_f64().unwrap();
    assert!((combined - (objective - 0.1 * n)).abs() < 1e-9);
    // Bad uses.
    let o = postfit(&[
        "solve",
        &next,
        "--baseline",
        &base_file,
        "--change-cost",
        "-1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = postfit(&["solve", &next, "--change-cost", "1"]);
    assert_eq!(o.status.code(), Some(2));
    let mut twice = baseline.clone();
    let dup = twice["placements"][0].clone();
    twice["placements"].as_array_mut().unwrap().push(dup);
    let twice_file = write(dir.path(), "twice.json", &twice);
    let o = postfit(&["solve", &next, "--baseline", &twice_file]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("{twice_file}: placements[")) && err.contains("placed twice"),
        "{err}"
    );
}

#[test]
fn diff_lists_changed_posts_objective_and_rules_in_three_formats() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.json", &tutorial());
    let a = dir.path().join("a.json").display().to_string();
    assert_eq!(
        postfit(&["solve", &file, "--out", &a]).status.code(),
        Some(0)
    );
    let plan_a: Value = serde_json::from_str(&std::fs::read_to_string(&a).unwrap()).unwrap();
    // Plan B leaves the first post empty.
    let mut plan_b = plan_a.clone();
    let first = plan_b["placements"].as_array_mut().unwrap().remove(0);
    let b = write(dir.path(), "b.json", &plan_b);
    let o = postfit(&["diff", &file, &a, &b, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let d: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["posts"].as_array().unwrap().len(), 1);
    assert_eq!(d["posts"][0]["post"], first["post"]);
    assert_eq!(d["posts"][0]["before"], first["candidate"]);
    assert_eq!(d["posts"][0]["after"], Value::Null);
    let change = d["objective_change"].as_f64().unwrap();
    assert!(change < -first["fit"].as_f64().unwrap() + 1e-9, "{change}");
    assert!(d["rules"].as_array().unwrap().len() >= 5);
    let o = postfit(&["diff", &file, &a, &b, "--format", "markdown"]);
    let md = String::from_utf8_lossy(&o.stdout);
    assert!(
        md.contains("| post | team | before | fit before | after | fit after |"),
        "{md}"
    );
    assert!(md.contains("(empty)"));
    let o = postfit(&["diff", &file, &a, &b]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("Posts that change hands (1)"), "{text}");
    let o = postfit(&["diff", &file, &a, &a]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("No post changes hands."));
}

#[test]
fn inspect_names_a_decided_post_as_the_reason_a_candidate_is_idle() {
    let plain = scenario(&tutorial());
    let c11 = plain.candidate_by_id("C11").unwrap();
    let eligible: Vec<usize> = (0..plain.posts.len())
        .filter(|&p| postfit::eligibility::eligibility(&plain, c11, p).is_ok())
        .collect();
    assert!(!eligible.is_empty());
    // Decide each post C11 could take for someone else.
    let others = ["C05", "C08"];
    let v = with(|v| {
        v["rules"][3]["penalty"] = json!(1.0);
        v["decided"] = eligible
            .iter()
            .zip(others)
            .map(|(&p, c)| pair(&plain.posts[p].id, c))
            .collect();
    });
    assert!(eligible.len() <= others.len(), "{eligible:?}");
    let s = scenario(&v);
    let r = inspect(&s);
    let idle = r
        .idle_candidates
        .iter()
        .find(|c| c.candidate == "C11")
        .expect("C11 idle");
    assert!(
        idle.posts_by_reason
            .iter()
            .any(|x| x.reason == "post-decided" && x.count == eligible.len()),
        "{:?}",
        idle.posts_by_reason
    );
}
