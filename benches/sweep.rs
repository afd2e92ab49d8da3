//! A 64-variant sweep of the city scenario (8 fit thresholds x 8 minimum shares of women among
//! appointees, a soft rule, so every variant is feasible), with 2 worker threads against 1.
//! The goal (issue 9) is at least 1.8x on 2 cores; each variant's HiGHS model runs on one
//! thread, so the speed-up comes from solving variants side by side.
//!
//! Few samples (each is a whole sweep): `cargo bench --bench sweep`.

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use postfit::sweep::{load_sweep, run_sweep, SweepOptions};

fn bench_sweep(c: &mut Criterion) {
    let city = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/city/scenario.json");
    let dir = tempfile::tempdir().expect("temporary folder");
    let sweep_path = dir.path().join("sweep.json");
    let sweep = serde_json::json!({
        "base": city,
        "axes": [
            {"path": "/fit/threshold", "values": [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]},
            {"path": "/rules/4/min", "values": [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55]}
        ]
    });
    std::fs::write(&sweep_path, sweep.to_string()).expect("writes the sweep file");
    let sweep = load_sweep(&sweep_path).expect("the sweep loads");
    assert_eq!(sweep.variants.len(), 64);

    let mut group = c.benchmark_group("sweep_city_64");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(60));
    for threads in [1, 2] {
        group.bench_function(format!("threads_{threads}"), |b| {
            b.iter(|| {
                let opts = SweepOptions {
                    threads: Some(threads),
                    ..Default::default()
                };
                let lines = run_sweep(&sweep, &opts, &|| {}).expect("the sweep runs");
                assert!(lines.iter().all(|l| l.status == "optimal"));
                lines.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_sweep);
criterion_main!(benches);
