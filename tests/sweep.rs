//! What-if sweeps (spec "Sweeps"): every variant's objective against a brute-force oracle on
//! the patched scenario, the same lines whatever the thread count and across shards + merge,
//! bad variants on lines of their own, rule prices against solves without the rule, and the
//! sweep file's validation and the CLI's exit codes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{for_each_plan, scenario_json, scenario_json_sized, Reference};
use postfit::plan::{solve_scenario, Status};
use postfit::solve::SolveOptions;
use postfit::sweep::{load_sweep, merge_lines, render_jsonl, run_sweep, Line, Shard, SweepOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// Writes `base.json` and `sweep.json` (with `variants` and `axes`) into a new folder.
fn write_sweep(base: &Value, variants: Value, axes: Value) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.json"), base.to_string()).unwrap();
    let sweep = json!({"base": "base.json", "variants": variants, "axes": axes});
    let path = dir.path().join("sweep.json");
    std::fs::write(&path, serde_json::to_string_pretty(&sweep).unwrap()).unwrap();
    (dir, path)
}

fn run(path: &Path, opts: &SweepOptions) -> Vec<Line> {
    let sweep = load_sweep(path).unwrap_or_else(|e| panic!("sweep loads: {e}"));
    run_sweep(&sweep, opts, &|| {}).expect("sweep runs")
}

/// The lines without their timings (the only field that may differ between runs).
fn untimed(lines: &[Line]) -> String {
    let mut lines = lines.to_vec();
    for l in &mut lines {
        l.runtime_ms = 0.0;
    }
    render_jsonl(&lines)
}

/// The best objective over every plan that keeps every hard rule, by enumeration; `None` when
/// no plan does (infeasible).
fn brute_force(doc: &Value) -> Option<f64> {
    let r = Reference::new(doc);
    let mut best: Option<f64> = None;
    for_each_plan(r.n_posts, r.n_candidates, |plan| {
        let ev = r.evaluate(plan);
        if ev.ok {
            best = Some(best.map_or(ev.objective, |b| b.max(ev.objective)));
        }
    });
    best
}

/// A random patch that keeps the scenario valid: a new fit threshold or fit minimum, a candidate
/// withdrawn, a rule removed, a post made must-fill (which may make it infeasible).
fn random_patch(doc: &Value, rng: &mut ChaCha8Rng) -> Value {
    let n_ops = rng.gen_range(1..=2);
    let mut ops = Vec::new();
    let n_rules = doc
        .get("rules")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let n_posts = doc["posts"].as_array().unwrap().len();
    let n_cands = doc["candidates"].as_array().unwrap().len();
    let mut removed_rule = false;
    for _ in 0..n_ops {
        let op = match rng.gen_range(0..5) {
            0 => {
                json!({"op": "add", "path": "/fit/threshold", "value": ([0.5, 0.6, 0.8, 0.9][rng.gen_range(0..4)])})
            }
            1 => {
                json!({"op": "add", "path": "/fit/min", "value": ([0.0, 0.3, 0.5][rng.gen_range(0..3)])})
            }
            2 => {
                json!({"op": "add", "path": format!("/candidates/{}/available", rng.gen_range(0..n_cands)), "value": false})
            }
            3 if n_rules > 0 && !removed_rule => {
                removed_rule = true;
                json!({"op": "remove", "path": format!("/rules/{}", rng.gen_range(0..n_rules))})
            }
            _ => {
                json!({"op": "add", "path": format!("/posts/{}/must_fill", rng.gen_range(0..n_posts)), "value": true})
            }
        };
        ops.push(op);
    }
    // `/fit` may be missing in the base: add it first so that the pointer resolves.
    let mut doc_has_fit = doc.get("fit").is_some();
    let mut out = Vec::new();
    for op in ops {
        if op["path"].as_str().unwrap().starts_with("/fit/") && !doc_has_fit {
            out.push(json!({"op": "add", "path": "/fit", "value": {}}));
            doc_has_fit = true;
        }
        out.push(op);
    }
    Value::Array(out)
}

#[test]
fn each_variant_objective_equals_brute_force_on_the_patched_scenario() {
    let mut checked = 0;
    let mut infeasible = 0;
    for seed in 0..40u64 {
        let doc = scenario_json(seed);
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
        let variants: Vec<Value> = (0..4)
            .map(|i| json!({"name": format!("v{i}"), "patch": random_patch(&doc, &mut rng)}))
            .collect();
        let axes = json!([{"path": "/name", "values": ["a", "b"]}]);
        let (_dir, path) = write_sweep(&doc, json!(variants.clone()), axes);
        let lines = run(&path, &SweepOptions::default());
        assert_eq!(lines.len(), 1 + 4 + 2, "seed {seed}: base, variants, axes");
        let mut docs = vec![doc.clone()];
        for v in &variants {
            let mut d = doc.clone();
            let patch: json_patch::Patch = serde_json::from_value(v["patch"].clone()).unwrap();
            json_patch::patch(&mut d, &patch).unwrap();
            docs.push(d);
        }
        docs.push(doc.clone());
        docs.push(doc.clone());
        for (line, d) in lines.iter().zip(&docs) {
            let oracle = brute_force(d);
            match oracle {
                Some(best) => {
                    assert_eq!(
                        line.status, "optimal",
                        "seed {seed} {}: {line:?}",
                        line.variant
                    );
                    let got = line.objective.unwrap();
                    assert!(
                        (got - best).abs() <= 1e-6 * best.abs().max(1.0),
                        "seed {seed} {}: sweep {got}, brute force {best}\n{d}",
                        line.variant
                    );
                }
                None => {
                    infeasible += 1;
                    assert_eq!(line.status, "infeasible", "seed {seed} {}", line.variant);
                    assert!(line.objective.is_none() && !line.diagnosis.is_empty());
                }
            }
            checked += 1;
        }
        // `changed` counts posts whose holder differs from the base plan.
        if lines[0].status == "optimal" {
            assert_eq!(lines[0].changed, Some(0));
        }
    }
    assert!(
        checked >= 280 && infeasible > 0,
        "{checked} lines, {infeasible} infeasible"
    );
}

/// A sweep over a larger random scenario with a dozen variants, for determinism tests.
fn larger_sweep() -> (tempfile::TempDir, PathBuf) {
    let doc = scenario_json_sized(7, true);
    let mut rng = ChaCha8Rng::seed_from_u64(77);
    let variants: Vec<Value> = (0..8)
        .map(|i| json!({"name": format!("v{i}"), "patch": random_patch(&doc, &mut rng)}))
        .collect();
    let axes = json!([{"path": "/fit/threshold", "values": [0.6, 0.7]}, {"path": "/name", "values": ["x", "y"]}]);
    let mut doc = doc;
    doc["fit"] = json!({"threshold": 0.7});
    write_sweep(&doc, json!(variants), axes)
}

#[test]
fn lines_are_the_same_with_one_and_two_threads_and_across_shards() {
    let (_dir, path) = larger_sweep();
    let opts = |threads, shard| SweepOptions {
        threads: Some(threads),
        price_rules: true,
        shard,
        ..Default::default()
    };
    let one = run(&path, &opts(1, None));
    let two = run(&path, &opts(2, None));
    assert!(one.len() > 12);
    assert_eq!(untimed(&one), untimed(&two));
    let names: Vec<&str> = one.iter().map(|l| l.variant.as_str()).collect();
    assert_eq!(names[0], "base");
    assert_eq!(names[9], "/fit/threshold=0.6, /name=\"x\"");
    assert_eq!(names[10], "/fit/threshold=0.6, /name=\"y\"");
    assert!(names.last().unwrap().starts_with("without "));

    // Three shards, merged in any order, give the single-machine output.
    let shards: Vec<(String, String)> = [2, 0, 1]
        .iter()
        .map(|&i| {
            let lines = run(
                &path,
                &opts(1, Some(Shard::parse(&format!("{i}/3"), |_| None).unwrap())),
            );
            assert!(lines.len() < one.len());
            (format!("shard-{i}.jsonl"), render_jsonl(&lines))
        })
        .collect();
    let merged = merge_lines(&shards).expect("merges");
    assert_eq!(untimed(&merged), untimed(&one));

    // A missing, a duplicated and a foreign shard are refused.
    let e = merge_lines(&shards[..2]).unwrap_err().to_string();
    assert!(e.contains("a shard is missing"), "{e}");
    let mut dup = shards.clone();
    dup.push(shards[1].clone());
    let e = merge_lines(&dup).unwrap_err().to_string();
    assert!(e.contains("also in") && e.contains("shard-0.jsonl"), "{e}");
    let mut foreign = shards.clone();
    let other: String = foreign[2].1.replace(&one[0].sweep_sha256, &"0".repeat(64));
    foreign[2].1 = other;
    let e = merge_lines(&foreign).unwrap_err().to_string();
    assert!(e.contains("a shard of another sweep"), "{e}");
    let e = merge_lines(&[("empty.jsonl".into(), String::new())])
        .unwrap_err()
        .to_string();
    assert!(e.contains("empty.jsonl"), "{e}");
}

#[test]
fn bad_patch_invalid_and_infeasible_variants_get_their_own_lines() {
    // A base with one must-fill post and one candidate who can take it.
    let base = json!({
        "name": "tiny", "ranks": ["clerk", "section"],
        "teams": [{"id": "T"}],
        "posts": [{"id": "P1", "team": "T", "rank": "section"}, {"id": "P2", "team": "T", "rank": "section"}],
        "candidates": [
            {"id": "A", "rank": "section", "years_at_rank": 3},
            {"id": "B", "rank": "clerk", "years_at_rank": 1}
        ]
    });
    let variants = json!([
        {"name": "bad path", "patch": [{"op": "replace", "path": "/rules/9/min", "value": 1}]},
        {"name": "not a patch", "patch": [{"op": "frobnicate", "path": "/name"}]},
        {"name": "bad move", "patch": [{"op": "move", "from": "/nope", "path": "/name"}]},
        {"name": "invalid", "patch": [{"op": "replace", "path": "/posts/1/rank", "value": "sectoin"}]},
        {"name": "infeasible", "patch": [
            {"op": "add", "path": "/posts/0/must_fill", "value": true},
            {"op": "add", "path": "/posts/1/must_fill", "value": true},
            {"op": "add", "path": "/promotion", "value": {"max_step": 0}}
        ]},
        {"name": "fine", "patch": [{"op": "add", "path": "/candidates/1/available", "value": false}]}
    ]);
    let (_dir, path) = write_sweep(&base, variants, json!([]));
    let lines = run(&path, &SweepOptions::default());
    let by = |n: &str| lines.iter().find(|l| l.variant == n).unwrap();
    assert_eq!(lines.len(), 7);
    let e = by("bad move").error.clone().unwrap();
    assert!(
        e.starts_with("variant \"bad move\": patch[0].from: \"/nope\""),
        "{e}"
    );
    assert_eq!(by("base").status, "optimal");
    let e = by("bad path").error.clone().unwrap();
    assert_eq!(by("bad path").status, "invalid");
    assert!(
        e.starts_with("variant \"bad path\": patch[0].path: \"/rules/9/min\""),
        "{e}"
    );
    assert_eq!(by("not a patch").status, "invalid");
    assert!(by("not a patch")
        .error
        .clone()
        .unwrap()
        .starts_with("variant \"not a patch\": patch[0].op: unknown operation \"frobnicate\""));
    let e = by("invalid").error.clone().unwrap();
    assert_eq!(by("invalid").status, "invalid");
    assert!(
        e.starts_with("variant \"invalid\": posts[1].rank: unknown rank"),
        "{e}"
    );
    let inf = by("infeasible");
    assert_eq!(inf.status, "infeasible");
    assert!(!inf.diagnosis.is_empty() && inf.objective.is_none());
    let fine = by("fine");
    assert_eq!(fine.status, "optimal");
    assert_eq!((fine.placements, fine.unfilled), (Some(1), Some(1)));
    // The base places A and B (B by promotion); without B, P2 (or P1) is empty.
    assert_eq!(by("base").placements, Some(2));
    assert_eq!(fine.changed, Some(1));
    assert_eq!(fine.changed_posts.len(), 1);
}

#[test]
fn rule_prices_equal_solves_of_the_base_without_the_rule() {
    let mut priced = 0;
    for seed in 0..60u64 {
        let doc = scenario_json(seed);
        let n_rules = doc
            .get("rules")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if n_rules == 0 {
            continue;
        }
        let (_dir, path) = write_sweep(&doc, json!([]), json!([]));
        let lines = run(
            &path,
            &SweepOptions {
                price_rules: true,
                ..Default::default()
            },
        );
        assert_eq!(lines.len(), 1 + n_rules, "seed {seed}");
        let base = common::build(&doc);
        let base_sol = solve_scenario(&base, &SolveOptions::default()).unwrap();
        for (i, line) in lines[1..].iter().enumerate() {
            assert_eq!(line.rule, Some(i));
            let label = base.rules[i].label();
            assert_eq!(line.variant, format!("without {label}"));
            let mut d = doc.clone();
            d["rules"].as_array_mut().unwrap().remove(i);
            let sol = solve_scenario(&common::build(&d), &SolveOptions::default()).unwrap();
            match (base_sol.status, sol.objective(), base_sol.objective()) {
                (Status::Optimal, Some(o), Some(b)) => {
                    let price = line.price.expect("a price when both solve");
                    assert!(
                        (price - (o - b)).abs() <= 1e-9,
                        "seed {seed} rule {i}: {price} vs {}",
                        o - b
                    );
                    assert!(price >= -1e-9, "removing a rule never lowers the optimum");
                    priced += 1;
                }
                _ => assert!(line.price.is_none(), "seed {seed} rule {i}"),
            }
        }
    }
    assert!(priced > 50, "only {priced} prices checked");
}

#[test]
fn axes_name_variants_after_their_settings_in_product_order() {
    let doc = scenario_json(3);
    let axes = json!([{"path": "/fit/threshold", "values": [0.6, 0.8]}, {"path": "/fit/min", "values": [0.1, 0.2]}]);
    let mut base = doc.clone();
    base["fit"] = json!({"threshold": 0.7});
    let (_dir, path) = write_sweep(&base, json!([]), axes);
    let sweep = load_sweep(&path).unwrap();
    let names: Vec<&str> = sweep.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "/fit/threshold=0.6, /fit/min=0.1",
            "/fit/threshold=0.6, /fit/min=0.2",
            "/fit/threshold=0.8, /fit/min=0.1",
            "/fit/threshold=0.8, /fit/min=0.2"
        ]
    );
    // `replace` where the base has the value, `add` where it does not.
    assert_eq!(sweep.variants[0].patch[0]["op"], "replace");
    assert_eq!(sweep.variants[0].patch[1]["op"], "add");
}

/// Session 21 (found in session 20): an axis whose path cannot be applied to the base was
/// reported as `patch[1].path`, a field the user never wrote; it names `axes[1].path` now.
#[test]
fn an_axis_path_the_base_lacks_is_named_as_the_axis() {
    let base = scenario_json(3);
    let axes = json!([
        {"path": "/name", "values": ["a"]},
        {"path": "/rules/9/min", "values": [0.5]}
    ]);
    let (_dir, path) = write_sweep(&base, json!([]), axes);
    let lines = run(&path, &SweepOptions::default());
    let line = lines
        .iter()
        .find(|l| l.variant != "base")
        .expect("one variant line");
    assert_eq!(line.status, "invalid");
    let e = line.error.clone().unwrap();
    assert!(
        e.starts_with(r#"variant "/name=\"a\", /rules/9/min=0.5": axes[1].path: "/rules/9/min": "#),
        "{e}"
    );
}

fn postfit(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_postfit"));
    cmd.args(args);
    for k in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_COUNT",
        "JOB_COMPLETION_INDEX",
        "POSTFIT_SHARDS",
    ] {
        cmd.env_remove(k);
    }
    cmd.envs(env.iter().copied());
    let o = cmd.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn bad_sweep_files_and_usage_exit_2_with_one_line() {
    let doc = scenario_json(5);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.json"), doc.to_string()).unwrap();
    // Found by a reviewer (session 21): 1000 x 10 x 1000 axis values took 7.2 GB before the
    // first solve, and 1000^3 aborted out of memory.
    let thousand: Vec<f64> = (0..1000).map(|i| f64::from(i) / 1000.0).collect();
    let too_many = json!({"base": "base.json", "axes": [
        {"path": "/fit/threshold", "values": thousand},
        {"path": "/fit/min", "values": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]},
        {"path": "/name", "values": thousand}
    ]});
    let cases: [(Value, &str); 9] = [
        (
            too_many,
            "axes: 1000 x 10 x 1000 values make 10000000 variants, more than the 100000 a sweep takes; split the sweep into several files",
        ),
        (
            json!({"base": "base.json", "variantz": []}),
            "unknown key \"variantz\"",
        ),
        (json!({"variants": []}), "missing required key \"base\""),
        (json!({"base": "nope.json"}), "nope.json: no such file"),
        (
            json!({"base": "base.json", "axes": [{"path": "/fit/threshold", "values": []}]}),
            "axes[0].values: must list at least one value",
        ),
        (
            json!({"base": "base.json", "axes": [{"path": "fit", "values": [1]}]}),
            "axes[0].path: \"fit\": not a JSON Pointer (RFC 6901): it must be empty or begin with \"/\"",
        ),
        // Found by a reviewer (session 20): the pointer parser's own wording.
        (
            json!({"base": "base.json", "axes": [{"path": "/fit/~2", "values": [1]}]}),
            "axes[0].path: \"/fit/~2\": not a JSON Pointer (RFC 6901): \"~\" may only be followed by 0 or 1",
        ),

        (
            json!({"base": "base.json", "variants": [{"name": "a", "patch": []}, {"name": "a", "patch": []}]}),
            "variants[1].name: variant name \"a\" is used twice",
        ),
        (
            json!({"base": "base.json", "variants": [{"name": "base", "patch": []}]}),
            "variants[0].name: a variant name must not be empty or \"base\"",
        ),
    ];
    for (sweep, want) in cases {
        let path = dir.path().join("sweep.json");
        std::fs::write(&path, sweep.to_string()).unwrap();
        let (code, _, err) = postfit(&["sweep", path.to_str().unwrap()], &[]);
        assert_eq!(code, 2, "{sweep}: {err}");
        assert!(err.contains(want), "{sweep}: want {want:?}, got {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    let path = dir.path().join("ok.json");
    std::fs::write(&path, json!({"base": "base.json"}).to_string()).unwrap();
    let p = path.to_str().unwrap();
    for (args, env, want) in [
        (
            vec!["sweep", p, "--shard", "env"],
            vec![],
            "--shard: env: no shard in the environment",
        ),
        (
            vec!["sweep", p, "--shard", "env"],
            vec![("SLURM_ARRAY_TASK_ID", "1")],
            "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not",
        ),
        (
            vec!["sweep", p, "--shard", "env"],
            vec![("JOB_COMPLETION_INDEX", "3"), ("POSTFIT_SHARDS", "3")],
            "out of range",
        ),
        (vec!["sweep", p, "--shard", "2"], vec![], "expected I/N"),
        (
            vec!["sweep", p, "--threads", "0"],
            vec![],
            "--threads: must be at least 1",
        ),
        (
            vec!["sweep", p, "--time-limit", "0"],
            vec![],
            "--time-limit: must be a finite number of seconds above 0",
        ),
    ] {
        let (code, _, err) = postfit(&args, &env);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: want {want:?}, got {err}");
    }
    // Shards from the environment, then merged by the CLI: the single-machine JSONL.
    let (code, single, _) = postfit(&["sweep", p, "--price-rules", "--format", "jsonl"], &[]);
    assert_eq!(code, 0);
    let mut files = Vec::new();
    for i in 0..2 {
        let out = dir.path().join(format!("s{i}.jsonl"));
        let (code, _, err) = postfit(
            &[
                "sweep",
                p,
                "--price-rules",
                "--shard",
                "env",
                "--out",
                out.to_str().unwrap(),
                "--format",
                "csv",
            ],
            &[
                ("SLURM_ARRAY_TASK_ID", &i.to_string()),
                ("SLURM_ARRAY_TASK_COUNT", "2"),
            ],
        );
        assert_eq!(code, 0, "{err}");
        files.push(out.to_str().unwrap().to_string());
    }
    let mut args = vec!["sweep", "merge"];
    args.extend(files.iter().map(String::as_str));
    let (code, merged, err) = postfit(&args, &[]);
    assert_eq!(code, 0, "{err}");
    let strip = |s: &str| -> Vec<Value> {
        s.lines()
            .map(|l| {
                let mut v: Value = serde_json::from_str(l).unwrap();
                v["runtime_ms"] = json!(0);
                v
            })
            .collect()
    };
    assert_eq!(strip(&merged), strip(&single));
    let (code, _, err) = postfit(&["sweep", "merge", &files[0]], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("a shard is missing"), "{err}");
}

#[test]
fn the_city_example_sweep_loads_with_its_documented_variants() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/city/sweep.json");
    let sweep = load_sweep(&path).expect("the example sweep loads");
    let names: Vec<&str> = sweep.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "cppcc-60",
            "cppcc-67",
            "withdraw C0238",
            "ten more posts",
            "/fit/threshold=0.6",
            "/fit/threshold=0.7",
            "/fit/threshold=0.8"
        ]
    );
    let more = postfit::sweep::build_variant(&sweep.base_doc, &sweep.variants[3]).expect("valid");
    assert_eq!(more.posts.len(), sweep.base.posts.len() + 10);
    let out = postfit::sweep::build_variant(&sweep.base_doc, &sweep.variants[2]).expect("valid");
    let c = out.candidate_by_id("C0238").unwrap();
    assert!(!out.candidates[c].available);
}

#[test]
fn table_markdown_and_csv_put_base_and_variants_side_by_side() {
    let doc = scenario_json_sized(11, true);
    let n_rules = doc
        .get("rules")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let variants = json!([
        {"name": "strict", "patch": [{"op": "add", "path": "/fit/threshold", "value": 0.9}]},
        {"name": "broken", "patch": [{"op": "remove", "path": "/posts/99"}]}
    ]);
    let mut base = doc.clone();
    base["fit"] = json!({"threshold": 0.7});
    let (_dir, path) = write_sweep(&base, variants, json!([]));
    let p = path.to_str().unwrap();
    let (code, table, err) = postfit(&["sweep", p, "--price-rules"], &[]);
    assert_eq!(code, 0, "{err}");
    let header = table.lines().nth(1).unwrap();
    for col in [
        "variant",
        "status",
        "objective",
        "vs base",
        "placed",
        "unfilled",
        "binding rules",
        "changed",
    ] {
        assert!(header.contains(col), "{col} missing from {header}");
    }
    assert!(
        table.contains("broken") && table.contains("invalid: variant \"broken\": patch[0].path")
    );
    let (_, md, _) = postfit(&["sweep", p, "--price-rules", "--format", "markdown"], &[]);
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(
        rows.len(),
        2 + 3 + n_rules,
        "header, rule, base, 2 variants, prices:\n{md}"
    );
    assert!(rows[2].starts_with("| base | optimal"), "{md}");
    let (_, csv, _) = postfit(&["sweep", p, "--price-rules", "--format", "csv"], &[]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let head = r.headers().unwrap().clone();
    let col = |n: &str| {
        head.iter()
            .position(|h| h == n)
            .unwrap_or_else(|| panic!("no {n} in {head:?}"))
    };
    let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 3 + n_rules);
    assert_eq!(&recs[0][col("variant")], "base");
    assert_eq!(&recs[0][col("change")], "0");
    let strict: f64 = recs[1][col("objective")].parse().unwrap();
    let base_obj: f64 = recs[0][col("objective")].parse().unwrap();
    let change: f64 = recs[1][col("change")].parse().unwrap();
    assert!((strict - base_obj - change).abs() < 1e-9);
    assert_eq!(&recs[2][col("status")], "invalid");
    for rec in &recs[3..] {
        assert!(rec[col("variant")].starts_with("without "));
        assert!(!rec[col("price")].is_empty() || recs[0][col("status")] != *"optimal");
    }
}

#[test]
fn sweep_out_never_overwrites_its_inputs() {
    // `--out` naming the sweep file or its base is refused at once (exit 2), and nothing is
    // written; the same for `sweep merge` naming one of its shards.
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.json");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tutorial/scenario.json"),
        &base,
    )
    .unwrap();
    let sweep = dir.path().join("sweep.json");
    std::fs::write(&sweep, r#"{"base": "base.json", "variants": []}"#).unwrap();
    let before = std::fs::read(&base).unwrap();
    for target in [&base, &sweep] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_postfit"))
            .args([
                "sweep",
                sweep.to_str().unwrap(),
                "--out",
                target.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert_eq!(
        std::fs::read(&base).unwrap(),
        before,
        "the base was overwritten"
    );
    let shard = dir.path().join("shard.jsonl");
    std::fs::write(&shard, "").unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args([
            "sweep",
            "merge",
            shard.to_str().unwrap(),
            "--out",
            shard.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Warm starts (each variant starts from the base's final LP) change only the time taken: on
/// random small scenarios with random patches, axes and rule prices, warm and cold sweeps give
/// the same status, objective, bound, gap, price and error on every line, and the same minimal
/// total shortfall for infeasible ones. The plan itself, and with it the fields read from it
/// (`changed`, fit rates, rule values), may differ only between equally good plans: small
/// scenarios have many ties, and a warm start tends to keep the base's holders where a cold
/// solve picks another optimal plan (most lines are identical all the same: the count is printed).
#[test]
fn warm_and_cold_sweeps_give_the_same_answers() {
    let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        (a, b) => a == b,
    };
    let total = |l: &Line| -> f64 { l.diagnosis.iter().filter_map(|d| d.shortfall).sum() };
    let (mut compared, mut identical, mut infeasible) = (0, 0, 0);
    for seed in 0..30u64 {
        let doc = scenario_json_sized(seed, seed % 2 == 0);
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x3a3a);
        let variants: Vec<Value> = (0..5)
            .map(|i| json!({"name": format!("v{i}"), "patch": random_patch(&doc, &mut rng)}))
            .collect();
        let axes = json!([{"path": "/fit/threshold", "values": [0.55, 0.75]}]);
        let (_dir, path) = write_sweep(&doc, json!(variants), axes);
        let opts = |cold| SweepOptions {
            price_rules: true,
            cold,
            ..Default::default()
        };
        let warm = run(&path, &opts(false));
        let cold = run(&path, &opts(true));
        assert_eq!(warm.len(), cold.len());
        assert_eq!(
            untimed(&warm[..1]),
            untimed(&cold[..1]),
            "seed {seed}: base"
        );
        for (w, c) in warm.iter().zip(&cold) {
            let at = format!("seed {seed} {}: warm {w:?}\ncold {c:?}", w.variant);
            assert_eq!(
                (&w.variant, &w.status, &w.error),
                (&c.variant, &c.status, &c.error),
                "{at}"
            );
            assert!(close(w.objective, c.objective), "{at}");
            assert!(close(w.bound, c.bound), "{at}");
            assert!(close(w.price, c.price), "{at}");
            assert!(
                (w.gap.unwrap_or(0.0) - c.gap.unwrap_or(0.0)).abs() <= 1e-9,
                "{at}"
            );
            assert!((total(w) - total(c)).abs() <= 1e-9, "{at}");
            if w.status == "infeasible" {
                infeasible += 1;
            }
            compared += 1;
            if untimed(std::slice::from_ref(w)) == untimed(std::slice::from_ref(c)) {
                identical += 1;
            }
        }
    }
    eprintln!("{compared} lines, {identical} identical, {infeasible} infeasible");
    assert!(
        compared >= 250 && infeasible > 0,
        "{compared} lines, {infeasible} infeasible"
    );
}

/// A variant that changes nothing of substance (the hard city with its own fit threshold set
/// again) has the base's optimum, and alike posts make that optimum one of many: the variant's
/// solve came back with 8 posts "changed", swaps between alike posts worth exactly nothing.
/// Those are put back (`resolve::untangle`), so the line says 0.
#[test]
fn a_variant_identical_to_the_base_changes_no_post() {
    let raw = postfit::generate::generate(&postfit::generate::GenerateOptions {
        hard: true,
        ..postfit::generate::preset("city").expect("preset exists")
    });
    let doc = serde_json::to_value(&raw).unwrap();
    let threshold = doc["fit"]["threshold"].clone();
    let axes = json!([{"path": "/fit/threshold", "values": [threshold]}]);
    let (_dir, path) = write_sweep(&doc, json!([]), axes);
    let lines = run(&path, &SweepOptions::default());
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].status, "optimal");
    assert_eq!(lines[1].objective, lines[0].objective);
    assert_eq!(lines[1].changed, Some(0), "{:?}", lines[1].changed_posts);
}

/// A warm start carries over only the base's LP columns, so a variant with a new must-fill post
/// starts from a restricted LP that holds none of that post's pairs and is infeasible. The fast
/// path then adds the per-row set a cold start begins with and goes on; it used to hand the
/// variant to the direct model of every column (hard city: 62 s instead of 2 s). Asserted on
/// the county scenario: the warm variant stays on the fast path and matches a cold solve.
#[test]
fn a_new_must_fill_post_keeps_a_warm_variant_on_the_fast_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("scenarios/county/scenario.json")).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    let (base, _, _) = postfit::scenario::load_bytes(text.as_bytes(), "county").unwrap();
    let opts = SolveOptions::default();
    let (solution, kept) =
        postfit::plan::solve_scenario_keeping(&base, &opts, |_, _| None).unwrap();
    let kept = kept.expect("the base was built");
    let warm = postfit::sweep::WarmBase::new(&base, &solution, &kept).expect("an LP to carry");
    let mut copy = doc["posts"][0].clone();
    copy["id"] = json!("copy-of-the-first-post");
    copy["must_fill"] = json!(true);
    doc["posts"].as_array_mut().unwrap().push(copy);
    let bytes = doc.to_string();
    let (variant, _, _) = postfit::scenario::load_bytes(bytes.as_bytes(), "variant").unwrap();
    let warmed = warm.solve(&variant, &opts).unwrap();
    let cold = solve_scenario(&variant, &opts).unwrap();
    assert_eq!(
        warmed.stats.solve_path, "fast",
        "the warm variant handed over"
    );
    assert_eq!(warmed.status, Status::Optimal);
    let (w, c) = (warmed.objective().unwrap(), cold.objective().unwrap());
    assert!(
        (w - c).abs() <= 1e-9 * c.abs().max(1.0),
        "warm {w} cold {c}"
    );
}
