//! Cold against warm-started variant solves (issue 9): one variant of the city scenario and of
//! `generate --preset province`, solved end to end (patch applied beforehand; pairs, model,
//! HiGHS, check) cold by `plan::solve_scenario`, and warm by `sweep::WarmBase::solve` from the
//! base's final LP. Three variants each: a share minimum changed (women at least 35% of
//! appointees), a rule removed (the non-party count), a candidate withdrawn (one the base plan
//! places).
//!
//! Few samples (each province solve takes seconds): `cargo bench --bench sweep_warm`.

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use postfit::plan::{solve_scenario, solve_scenario_keeping, Status};
use postfit::scenario::RawScenario;
use postfit::solve::SolveOptions;
use postfit::sweep::{build_variant, Variant, WarmBase};
use postfit::Scenario;
use serde_json::{json, Value};

fn bench_warm(c: &mut Criterion) {
    let city: RawScenario = {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/city/scenario.json");
        postfit::load(&path).expect("the city loads").1
    };
    let province =
        postfit::generate::generate(&postfit::generate::preset("province").expect("preset exists"));
    let opts = SolveOptions::default();

    let mut group = c.benchmark_group("sweep_warm");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1));
    for (scale, raw, secs) in [("city", city, 5), ("province", province, 30)] {
        group.measurement_time(Duration::from_secs(secs));
        let doc: Value = serde_json::to_value(&raw).expect("serialises");
        let base = Scenario::from_raw(&raw, "bench").expect("valid base");
        let (sol, kept) = solve_scenario_keeping(&base, &opts, |_, _| None).expect("solves");
        assert_eq!(sol.status, Status::Optimal);
        let warm = WarmBase::new(&base, &sol, &kept.expect("kept")).expect("the fast path priced");
        let placed = sol.placements()[0].1;
        let variants = [
            (
                "share-min",
                json!([{"op": "replace", "path": "/rules/4/min", "value": 0.35}]),
            ),
            (
                "rule-removed",
                json!([{"op": "remove", "path": "/rules/1"}]),
            ),
            (
                "withdrawn",
                json!([{"op": "add", "path": format!("/candidates/{placed}/available"), "value": false}]),
            ),
        ];
        for (name, patch) in variants {
            let v = Variant {
                name: name.into(),
                patch,
                price_of: None,
                from_axes: false,
            };
            let s = build_variant(&doc, &v).expect("valid variant");
            let cold = solve_scenario(&s, &opts).expect("solves").objective();
            let hot = warm.solve(&s, &opts).expect("solves").objective();
            let (a, b) = (cold.expect("a plan"), hot.expect("a plan"));
            assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0), "{a} {b}");
            group.bench_function(format!("{scale}/{name}/cold"), |b| {
                b.iter(|| solve_scenario(&s, &opts).expect("solves").objective())
            });
            group.bench_function(format!("{scale}/{name}/warm"), |b| {
                b.iter(|| warm.solve(&s, &opts).expect("solves").objective())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_warm);
criterion_main!(benches);
