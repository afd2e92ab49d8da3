//! End-to-end `solve` on the county and city scenarios: load + validate + eligible pairs +
//! model + HiGHS + independent check, as `postfit solve` does (without rendering).

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use postfit::plan::{solve_scenario, Status};
use postfit::solve::SolveOptions;

fn solve_file(path: &Path) -> f64 {
    let (scenario, _, _) = postfit::load(path).expect("scenario loads");
    let sol = solve_scenario(&scenario, &SolveOptions::default()).expect("solves");
    assert_eq!(
        sol.status,
        Status::Optimal,
        "{} must solve to proven optimality",
        path.display()
    );
    sol.objective().expect("objective")
}

fn bench_solve(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut group = c.benchmark_group("solve");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for name in ["county", "city"] {
        let path = root.join(name).join("scenario.json");
        group.bench_function(name, |b| b.iter(|| solve_file(&path)));
    }
    group.finish();
}

criterion_group!(benches, bench_solve);
criterion_main!(benches);
