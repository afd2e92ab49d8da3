//! The users' failing inputs of 2026-11-30 (`../shared/cases/2026-11-30/`) that concern input and
//! arithmetic (issue 7 items 1, 2 and 5), each turned into the right answer, plus the whole kind
//! each one stands for: a constant objective part that widens the optimality tolerance, finite
//! input that turns into NaN or infinity, and shapes serde would accept.

use std::path::{Path, PathBuf};
use std::process::Command;

use postfit::check::check_plan;
use postfit::model;
use postfit::plan::{solve_scenario, Status};
use postfit::scenario::load_bytes;
use postfit::solve::SolveOptions;
use postfit::{eligibility, Scenario};
use serde_json::{json, Value};

/// The cases: `$POSTFIT_SHARED/cases/2026-11-30` when set, else `../shared/cases/2026-11-30`
/// beside the repository when it exists, else the copy kept in `tests/cases/2026-11-30` (so
/// that a clone anywhere runs these tests).
fn cases_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(dir) = std::env::var_os("POSTFIT_SHARED") {
        return PathBuf::from(dir).join("cases/2026-11-30");
    }
    let beside = root.join("../shared/cases/2026-11-30");
    if beside.is_dir() {
        beside
    } else {
        root.join("tests/cases/2026-11-30")
    }
}

fn case(name: &str) -> Value {
    let path = cases_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("the case is JSON")
}

fn load_value(v: &Value) -> Result<Scenario, postfit::InputError> {
    load_bytes(&serde_json::to_vec(v).unwrap(), "case.json").map(|(s, _, _)| s)
}

fn postfit() -> Command {
    Command::new(env!("CARGO_BIN_EXE_postfit"))
}

/// The spec's optimality tolerance: `bound - objective <= 1e-6 x max(1, |objective - C|)`.
fn within_tolerance(a: f64, b: f64, constant: f64) -> bool {
    (a - b).abs() <= 1e-6 * (a - constant).abs().max(1.0)
}

// ---------------------------------------------------------------------------------------------
// 1. Optimality that a constant can fake
// ---------------------------------------------------------------------------------------------

const CONSTANT_OPTIMUM: f64 = -999999991.1507809;

#[test]
fn a_large_constant_penalty_does_not_widen_the_optimality_tolerance() {
    let s = load_value(&case("constant-penalty-offset.json")).expect("loads");
    let sol = solve_scenario(&s, &SolveOptions::default()).expect("solves");
    assert_eq!(sol.status, Status::Optimal);
    // Ten departments that no placement touches each fall one woman short at 1e8 per person.
    assert_eq!(sol.constant, -1e9);
    let objective = sol.objective().unwrap();
    assert!(
        within_tolerance(objective, CONSTANT_OPTIMUM, sol.constant),
        "objective {objective}, the optimum is {CONSTANT_OPTIMUM}"
    );
    assert_eq!(
        sol.placements().len(),
        11,
        "the optimum fills 11 of 12 posts"
    );
    let gap = sol.gap().unwrap();
    assert!(gap <= 1e-6, "gap {gap} measured without the constant");

    // The users' better plan is valid and no better than ours.
    let better = case("constant-penalty-offset.better-plan.json");
    let plan: Vec<(usize, usize)> = better["placements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                s.post_by_id(p["post"].as_str().unwrap()).unwrap(),
                s.candidate_by_id(p["candidate"].as_str().unwrap()).unwrap(),
            )
        })
        .collect();
    let report = check_plan(&s, &plan);
    assert!(report.is_ok());
    assert!(within_tolerance(report.objective, CONSTANT_OPTIMUM, -1e9));
    assert!(objective >= report.objective - 1e-9);
}

#[test]
fn both_solve_methods_agree_on_the_constant_case() {
    let s = load_value(&case("constant-penalty-offset.json")).expect("loads");
    for per_row in [1, 6] {
        for method in [postfit::solve::Method::Fast, postfit::solve::Method::Direct] {
            let opts = SolveOptions {
                method,
                per_row,
                ..SolveOptions::default()
            };
            let sol = solve_scenario(&s, &opts).expect("solves");
            assert_eq!(sol.status, Status::Optimal, "{method:?} per_row {per_row}");
            let o = sol.objective().unwrap();
            assert!(
                within_tolerance(o, CONSTANT_OPTIMUM, -1e9),
                "{method:?} per_row {per_row}: {o}"
            );
        }
    }
}

#[test]
fn constant_units_become_the_model_constant_not_columns() {
    let s = load_value(&case("constant-penalty-offset.json")).expect("loads");
    let pairs = eligibility::eligible_pairs(&s);
    let m = model::build(&s, &pairs);
    assert_eq!(m.constant, -1e9);
    // No shortfall column of the department rule (rule 4) is left in the model.
    assert!(!m
        .columns
        .iter()
        .any(|c| matches!(c.kind, model::ColumnKind::Shortfall { rule: 4, .. })));
    // Every plan's objective is C + the model's objective of its columns; here the empty plan.
    let empty = check_plan(&s, &[]);
    let shortfall_part: f64 = m
        .columns
        .iter()
        .filter(|c| matches!(c.kind, model::ColumnKind::Shortfall { .. }))
        .count() as f64;
    assert!(
        shortfall_part >= 1.0,
        "the other soft rule keeps its column"
    );
    assert!(empty.objective <= m.constant + 1e-9);
}

#[test]
fn the_table_names_the_constant_penalty() {
    let out = postfit()
        .arg("solve")
        .arg(cases_dir().join("constant-penalty-offset.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Status: OPTIMAL"), "{text}");
    assert!(
        text.contains("(of which 1000000000.000000 no plan can change)"),
        "{text}"
    );
}

#[test]
fn the_plan_document_reports_the_constant() {
    let out = postfit()
        .args(["solve", "--format", "json"])
        .arg(cases_dir().join("constant-penalty-offset.json"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["status"], "optimal");
    assert_eq!(doc["constant"], json!(-1e9));
    let objective = doc["objective"].as_f64().unwrap();
    assert!(within_tolerance(objective, CONSTANT_OPTIMUM, -1e9));
    assert_eq!(doc["placements"].as_array().unwrap().len(), 11);
}

// ---------------------------------------------------------------------------------------------
// 2. Finite input gives finite arithmetic
// ---------------------------------------------------------------------------------------------

/// Placements of a solved scenario, by id, with their fits.
fn plan_of(v: &Value) -> (Status, Vec<(String, String)>, f64) {
    let s = load_value(v).expect("loads");
    let opts = SolveOptions {
        time_limit: Some(20.0),
        ..SolveOptions::default()
    };
    let sol = solve_scenario(&s, &opts).expect("solves");
    let ids = sol
        .placements()
        .iter()
        .map(|&(p, c)| (s.posts[p].id.clone(), s.candidates[c].id.clone()))
        .collect();
    (sol.status, ids, sol.objective().unwrap_or(f64::NAN))
}

#[test]
fn a_specialty_weight_of_f64_max_gives_the_plan_of_weights_1_and_0() {
    let v = case("fit-weight-f64-max.json");
    assert_eq!(v["fit"]["specialty_weight"], json!(f64::MAX));
    let s = load_value(&v).expect("loads");
    // Fit equals the specialty part S to within rounding, for every pair.
    for c in &s.candidates {
        for p in &s.posts {
            let f = eligibility::fit(&s.fit, c, p);
            assert!(f.total.is_finite() && f.specialty.is_finite());
            assert!(
                (f.total - f.specialty).abs() <= 1e-12,
                "{} for {}: fit {} but S {}",
                c.id,
                p.id,
                f.total,
                f.specialty
            );
        }
    }
    let mut unit = v.clone();
    unit["fit"]["specialty_weight"] = json!(1);
    unit["fit"]["experience_weight"] = json!(0);
    let (status, plan, objective) = plan_of(&v);
    let (status1, plan1, objective1) = plan_of(&unit);
    assert_eq!(status, Status::Optimal);
    assert_eq!(status1, Status::Optimal);
    assert_eq!(plan, plan1);
    assert!((objective - objective1).abs() <= 1e-9);
}

#[test]
fn the_f64_max_case_finishes_within_its_time_limit_on_the_command_line() {
    let started = std::time::Instant::now();
    let out = postfit()
        .args(["solve", "--time-limit", "2", "--format", "json"])
        .arg(cases_dir().join("fit-weight-f64-max.json"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["status"], "optimal");
    assert!(doc["objective"].as_f64().unwrap().is_finite());
    // Not a timing test: the old build never returned at all.
    assert!(started.elapsed().as_secs() < 60);
}

/// The tutorial with one specialty map replaced; the fit of every pair of that candidate or
/// post must equal the fit with the other weight.
fn same_fits(at: &str, huge: Value, plain: Value) {
    let mut a = case("fit-weight-f64-max.json");
    a["fit"] =
        json!({"specialty_weight": 0.6, "experience_weight": 0.4, "threshold": 0.7, "min": 0.2});
    let mut b = a.clone();
    *a.pointer_mut(at).unwrap() = huge;
    *b.pointer_mut(at).unwrap() = plain;
    let (sa, sb) = (load_value(&a).unwrap(), load_value(&b).unwrap());
    for (ca, cb) in sa.candidates.iter().zip(&sb.candidates) {
        for (pa, pb) in sa.posts.iter().zip(&sb.posts) {
            let (fa, fb) = (
                eligibility::fit(&sa.fit, ca, pa),
                eligibility::fit(&sb.fit, cb, pb),
            );
            assert!(fa.total.is_finite(), "{at}: {} for {}", ca.id, pa.id);
            assert!(
                (fa.total - fb.total).abs() <= 1e-12,
                "{at}: {} for {}: {} vs {}",
                ca.id,
                pa.id,
                fa.total,
                fb.total
            );
        }
    }
    let (status, plan, _) = plan_of(&a);
    let (status_b, plan_b, _) = plan_of(&b);
    assert_eq!(status, status_b, "{at}");
    assert_eq!(plan, plan_b, "{at}");
}

#[test]
fn a_single_specialty_weight_of_f64_max_on_a_candidate_or_a_post_stays_finite() {
    // Next to f64::MAX, 0.6 is below rounding: the direction is the first tag alone.
    same_fits(
        "/candidates/0/specialty",
        json!({"education": f64::MAX, "culture": 0.6}),
        json!({"education": 1.0}),
    );
    same_fits(
        "/posts/1/specialty",
        json!({"education": f64::MAX, "culture": 0.5}),
        json!({"education": 1.0}),
    );
    // Every weight at f64::MAX: their squares' sum overflows unless rescaled.
    same_fits(
        "/candidates/3/specialty",
        json!({"social-work": f64::MAX, "economics": f64::MAX}),
        json!({"social-work": 1.0, "economics": 1.0}),
    );
    // The smallest subnormal: its square underflows to 0 unless rescaled.
    same_fits(
        "/posts/3/specialty",
        json!({"agriculture": 5e-324}),
        json!({"agriculture": 1.0}),
    );
}

/// Every number in a JSON value, as JSON pointers.
fn number_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Number(_) => out.push(at),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                number_pointers(x, format!("{at}/{i}"), out);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                number_pointers(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        _ => {}
    }
}

/// Loads and solves; whatever the outcome, nothing non-finite may come out.
fn assert_finite_outcome(v: &Value, what: &str) {
    let Ok(s) = load_value(v) else { return };
    for c in &s.candidates {
        for p in &s.posts {
            let f = eligibility::fit(&s.fit, c, p);
            assert!(
                f.total.is_finite() && (0.0..=1.0 + 1e-12).contains(&f.total),
                "{what}: fit {} of {} for {}",
                f.total,
                c.id,
                p.id
            );
        }
    }
    let opts = SolveOptions {
        time_limit: Some(5.0),
        ..SolveOptions::default()
    };
    let sol = match solve_scenario(&s, &opts) {
        Ok(sol) => sol,
        Err(e) => panic!("{what}: {e}"),
    };
    if let Some(o) = sol.objective() {
        assert!(o.is_finite(), "{what}: objective {o}");
    }
    if let Some(b) = sol.bound {
        assert!(b.is_finite(), "{what}: bound {b}");
    }
    assert!(sol.constant.is_finite(), "{what}");
    if let Some(r) = &sol.report {
        assert!(
            r.fit_total.is_finite() && r.penalty_total.is_finite(),
            "{what}"
        );
        for u in &r.rules {
            assert!(u.count.is_finite() && u.total.is_finite() && u.shortfall().is_finite());
        }
    }
    let doc = postfit::plan::plan_document(&s, &sol, Default::default());
    // serde_json would write NaN and infinities as null: check every number of the document.
    let finite = |x: Option<f64>| x.is_none_or(f64::is_finite);
    assert!(
        finite(doc.objective) && finite(doc.bound) && finite(doc.gap),
        "{what}"
    );
    assert!(finite(doc.constant) && finite(doc.fit_total) && finite(doc.penalty_total));
    for p in &doc.placements {
        assert!(p.fit.is_finite() && p.specialty.is_finite() && p.experience.is_finite());
    }
    for r in &doc.rules {
        assert!(
            r.value.is_finite() && r.shortfall.is_finite() && r.cost.is_finite(),
            "{what}"
        );
    }
    for d in &doc.diagnosis {
        assert!(finite(d.shortfall), "{what}");
    }
    for f in &doc.fit_rates {
        assert!(f.rate.is_finite(), "{what}");
    }
}

#[test]
fn every_numeric_field_at_f64_max_and_the_smallest_subnormal_stays_finite() {
    let base = case("fit-weight-f64-max.json");
    let mut base = base;
    base["fit"]["specialty_weight"] = json!(0.6);
    let mut pointers = Vec::new();
    number_pointers(&base, String::new(), &mut pointers);
    assert!(pointers.len() > 80, "only {} numbers", pointers.len());
    let mut loaded = 0;
    for ptr in &pointers {
        for x in [f64::MAX, 5e-324, -5e-324, 1e308, 1e-308] {
            let mut v = base.clone();
            *v.pointer_mut(ptr).unwrap() = json!(x);
            if load_value(&v).is_ok() {
                loaded += 1;
            }
            assert_finite_outcome(&v, &format!("{ptr} = {x:e}"));
        }
    }
    assert!(loaded > 100, "only {loaded} variants passed validation");
}

/// An edit of a scenario document.
type Edit = Box<dyn Fn(&mut Value)>;

#[test]
fn sums_that_overflow_stay_finite() {
    let base = case("fit-weight-f64-max.json");
    let max = f64::MAX;
    let variants: Vec<(&str, Edit)> = vec![
        (
            "both fit weights at f64::MAX (their sum overflows)",
            Box::new(move |v| {
                v["fit"]["specialty_weight"] = json!(max);
                v["fit"]["experience_weight"] = json!(max);
            }),
        ),
        (
            "every specialty weight of every person at f64::MAX",
            Box::new(move |v| {
                for list in ["candidates", "posts"] {
                    for x in v[list].as_array_mut().unwrap() {
                        for (_, w) in x["specialty"].as_object_mut().unwrap() {
                            *w = json!(max);
                        }
                    }
                }
            }),
        ),
        (
            "experience f64::MAX against a subnormal requirement (ratio overflows)",
            Box::new(move |v| {
                for x in v["candidates"].as_array_mut().unwrap() {
                    for (_, y) in x["experience"].as_object_mut().unwrap() {
                        *y = json!(max);
                    }
                }
                for x in v["posts"].as_array_mut().unwrap() {
                    for (_, y) in x["experience"].as_object_mut().unwrap() {
                        *y = json!(5e-324);
                    }
                }
            }),
        ),
        (
            "years and ages at f64::MAX, groups at -f64::MAX..f64::MAX",
            Box::new(move |v| {
                for x in v["candidates"].as_array_mut().unwrap() {
                    x["years_at_rank"] = json!(max);
                    x["attributes"]["age"] = json!(max);
                }
                v["groups"]["young"] = json!({"age": {"min": -max, "max": max}});
                v["promotion"]["min_years"]["section"] = json!(max);
            }),
        ),
        (
            "every soft rule at the largest penalty, every bound at its largest",
            Box::new(move |v| {
                for r in v["rules"].as_array_mut().unwrap() {
                    r["penalty"] = json!(1e9);
                }
                v["rules"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"type": "count", "scope": "team", "group": "women", "min": 1e9, "penalty": 1e9}));
                v["rules"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"type": "count", "scope": "placements", "group": "young", "min": 1e9, "max": 1e9, "penalty": 1e9}));
            }),
        ),
    ];
    for (what, f) in variants {
        let mut v = base.clone();
        v["fit"]["specialty_weight"] = json!(0.6);
        f(&mut v);
        assert!(load_value(&v).is_ok(), "{what}: rejected");
        assert_finite_outcome(&v, what);
    }
}

/// The bug guard: a NaN or an infinity never reaches HiGHS; it is an error (exit 5), not a run.
#[test]
fn a_model_with_a_non_finite_number_is_refused_before_highs() {
    use postfit::model::{Column, ColumnKind, Model, Row, RowKind};
    let good = || {
        let mut m = Model::default();
        for i in 0..2 {
            m.columns.push(Column {
                kind: ColumnKind::Pair(i),
                objective: 0.5,
                upper: 1.0,
                integer: true,
            });
        }
        m.rows.push(Row {
            kind: RowKind::PostOnce(0),
            lower: f64::NEG_INFINITY,
            upper: 1.0,
            entries: vec![(0, 1.0), (1, 1.0)].into(),
        });
        m
    };
    let opts = SolveOptions::default();
    assert!(postfit::solve::solve_model(&good(), &opts).is_ok());
    type Break = Box<dyn Fn(&mut Model)>;
    let breaks: Vec<(&str, Break)> = vec![
        (
            "objective NaN",
            Box::new(|m| m.columns[0].objective = f64::NAN),
        ),
        (
            "objective inf",
            Box::new(|m| m.columns[1].objective = f64::INFINITY),
        ),
        (
            "upper inf",
            Box::new(|m| m.columns[0].upper = f64::INFINITY),
        ),
        (
            "coefficient NaN",
            Box::new(|m| m.rows[0].entries = vec![(0, f64::NAN), (1, 1.0)].into()),
        ),
        ("row upper NaN", Box::new(|m| m.rows[0].upper = f64::NAN)),
        (
            "row lower +inf",
            Box::new(|m| m.rows[0].lower = f64::INFINITY),
        ),
        (
            "constant -inf",
            Box::new(|m| m.constant = f64::NEG_INFINITY),
        ),
    ];
    for (what, f) in breaks {
        let mut m = good();
        f(&mut m);
        let e = postfit::solve::solve_model(&m, &opts).expect_err(what);
        assert!(e.contains("non-finite"), "{what}: {e}");
    }
}

#[test]
fn check_of_the_f64_max_case_prints_a_finite_objective() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let scenario = cases_dir().join("fit-weight-f64-max.json");
    let out = postfit()
        .args(["solve", "--time-limit", "20"])
        .arg(&scenario)
        .arg("--out")
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = postfit()
        .args(["check", "--format", "json"])
        .arg(&scenario)
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        doc["objective"].as_f64().is_some_and(f64::is_finite),
        "{doc}"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Strict shapes, clear paths
// ---------------------------------------------------------------------------------------------

fn solve_err(name: &str) -> (Option<i32>, String) {
    let out = postfit()
        .arg("solve")
        .arg(cases_dir().join(name))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let line = stderr
        .trim_end()
        .rsplit_once(&format!("{name}: "))
        .map(|(_, r)| r.to_string())
        .unwrap_or(stderr.clone());
    (out.status.code(), line)
}

#[test]
fn an_array_where_the_format_has_an_object_is_rejected_with_its_path() {
    assert_eq!(
        solve_err("array-where-object-expected.json"),
        (
            Some(2),
            "fit: expected an object, found an array".to_string()
        )
    );
}

#[test]
fn a_missing_top_level_key_names_the_top_level() {
    assert_eq!(
        solve_err("missing-top-level-key.json"),
        (
            Some(2),
            "(top level): missing required key \"name\"".to_string()
        )
    );
}

#[test]
fn integers_written_as_floats_are_integers() {
    let v = case("integer-written-as-float.json");
    let s = load_value(&v).expect("1.0 is the integer 1 (spec 1.1)");
    assert_eq!(s.promotion.max_step, 1);
    let out = postfit()
        .arg("solve")
        .arg(cases_dir().join("integer-written-as-float.json"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 1.5 is not an integer, wherever one is required.
    for (ptr, path) in [
        ("/promotion/max_step", "promotion.max_step"),
        ("/rules/0/min", "rules[0].min"),
        ("/rules/0/max", "rules[0].max"),
    ] {
        let mut bad = v.clone();
        *bad.pointer_mut(ptr).unwrap() = json!(1.5);
        let e = load_value(&bad).expect_err("1.5 is rejected");
        assert_eq!(e.path, path);
        assert!(e.reason.contains("integer"), "{e}");
    }
}

#[test]
fn no_message_shows_serde_or_rust_names() {
    // Shapes that serde words with its own names ("struct RawRule with 8 elements", enum
    // variants, u32) when they reach it.
    let base = case("integer-written-as-float.json");
    let edits: Vec<(&str, Value)> = vec![
        (
            "/rules/0",
            json!(["a", "count", "team", "women", null, 1, 3, null]),
        ),
        ("/rules/0", json!([])),
        ("/rules/0/type", json!({"count": null})),
        ("/rules/0/scope", json!(["team"])),
        ("/promotion", json!([1, {}, {}])),
        ("/promotion/max_step", json!(-1)),
        ("/promotion/max_step", json!(1e300)),
        ("/promotion/max_step", json!(4294967296u64)),
        ("/candidates/0/attributes", json!([["gender", "F"]])),
        ("/teams/0/members", json!({"gender": "M"})),
        ("/rules/0/where", json!({"team": [["gov"]]})),
    ];
    for (ptr, new) in edits {
        let mut v = base.clone();
        let (parent, key) = ptr.rsplit_once('/').unwrap();
        match v.pointer_mut(parent).unwrap() {
            Value::Object(m) => {
                m.insert(key.to_string(), new.clone());
            }
            Value::Array(a) => a[key.parse::<usize>().unwrap()] = new.clone(),
            _ => unreachable!(),
        }
        let e = load_value(&v).expect_err("rejected");
        let line = e.to_string();
        for word in [
            "struct", "Raw", "u32", "f64", "variant", "::", "sequence", "map",
        ] {
            assert!(!line.contains(word), "{ptr} = {new}: {line}");
        }
        assert!(!e.path.is_empty(), "{ptr} = {new}: no path in {line}");
    }
}

/// `postfit schema` agrees with the loader on the users' shape cases (the old schema called the
/// float-integer file valid while the loader rejected it).
#[test]
fn the_schema_judges_the_shape_cases_as_the_loader_does() {
    let schema = postfit::scenario::scenario_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for (name, valid) in [
        ("integer-written-as-float.json", true),
        ("constant-penalty-offset.json", true),
        ("fit-weight-f64-max.json", true),
        ("array-where-object-expected.json", false),
        ("missing-top-level-key.json", false),
    ] {
        let v = case(name);
        assert_eq!(validator.is_valid(&v), valid, "schema on {name}");
        assert_eq!(load_value(&v).is_ok(), valid, "loader on {name}");
    }
    let mut v = case("integer-written-as-float.json");
    v["promotion"]["max_step"] = json!(1.5);
    assert!(!validator.is_valid(&v));
    let mut v = case("integer-written-as-float.json");
    v["rules"][0]["min"] = json!(1.5);
    assert!(!validator.is_valid(&v));
}

// ---------------------------------------------------------------------------------------------
// What the cases' README says that the tests above did not check (review of 2026-11-30)
// ---------------------------------------------------------------------------------------------

/// README: `"fit": []` silently meant the defaults. An empty array is rejected like a full one,
/// while an empty object still means the defaults.
#[test]
fn an_empty_array_where_the_format_has_an_object_is_rejected_too() {
    let mut v = case("array-where-object-expected.json");
    v["fit"] = json!([]);
    let e = load_value(&v).expect_err("fit: [] is not the defaults");
    assert_eq!(e.path, "fit");
    assert_eq!(e.reason, "expected an object, found an array");
    v["fit"] = json!({});
    assert!(load_value(&v).is_ok(), "an empty object is the defaults");
}

/// README: `inspect` called the f64::MAX case impossible (NaN fit compared as below `min`).
/// Finite input gives finite fit, so inspect finds every pair the solver does and proves
/// nothing impossible.
#[test]
fn inspect_of_the_f64_max_case_finds_nothing_impossible() {
    let f = cases_dir().join("fit-weight-f64-max.json");
    let out = postfit()
        .args(["inspect", "--format", "json"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["impossibilities"], json!([]), "{doc}");
    assert_eq!(doc["unstaffable_posts"], json!([]), "{doc}");
    // Every pair the scenario with weights 1 and 0 finds eligible is eligible here too.
    let s = load_value(&case("fit-weight-f64-max.json")).unwrap();
    let mut unit = case("fit-weight-f64-max.json");
    unit["fit"]["specialty_weight"] = json!(1);
    unit["fit"]["experience_weight"] = json!(0);
    let s1 = load_value(&unit).unwrap();
    assert_eq!(
        eligibility::eligible_pairs(&s).len(),
        eligibility::eligible_pairs(&s1).len()
    );
}
