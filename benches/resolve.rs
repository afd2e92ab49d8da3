//! Forced re-solves from a province `Base` (issue 14 item 4: "a forced re-solve from a province
//! Base: median <= 0.5 s"). The base is the province preset (`postfit generate --preset
//! province`, 5,000 candidates); the forcings are what a slate re-solves: for 30 posts chosen
//! with a fixed seed, the eligible candidate with the best screening bound who does not hold
//! the post in the optimal plan. Each forced re-solve is exact and checked.
//!
//! First every forcing is timed once (median, 90th percentile and slowest printed), then
//! criterion measures them in turn (one forcing per iteration, rotating).

use std::time::{Duration, Instant};

use criterion::Criterion;
use postfit::plan::Status;
use postfit::resolve::{Base, ForcedStatus};
use postfit::Scenario;
use rand::seq::SliceRandom;
use rand::SeedableRng;

fn province() -> Scenario {
    let raw =
        postfit::generate::generate(&postfit::generate::preset("province").expect("preset exists"));
    Scenario::from_raw(&raw, "province").expect("valid")
}

/// For each chosen post, the non-holder with the best screening bound (ties: smaller pair).
fn forcings(base: &Base, posts: &[usize]) -> Vec<usize> {
    posts
        .iter()
        .filter_map(|&p| {
            (0..base.pairs.len())
                .filter(|&k| {
                    base.pairs[k].post as usize == p
                        && base.holders[p] != Some(base.pairs[k].candidate as usize)
                })
                .filter_map(|k| base.forced_bound(k).map(|b| (b, k)))
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
                .map(|(_, k)| k)
        })
        .collect()
}

fn main() {
    let s = province();
    let started = Instant::now();
    let base = Base::solve(&s, &Default::default(), started).expect("base solves");
    assert_eq!(base.status, Status::Optimal);
    println!(
        "resolve/province base: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let mut posts: Vec<usize> = (0..s.posts.len()).collect();
    posts.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(14));
    posts.truncate(30);
    let pairs = forcings(&base, &posts);
    let mut times: Vec<f64> = pairs
        .iter()
        .map(|&k| {
            let t = Instant::now();
            let f = base.forced(k).expect("re-solve");
            assert!(
                matches!(f.status, ForcedStatus::Optimal | ForcedStatus::Infeasible),
                "exact re-solve"
            );
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "resolve/province_forced, {} forcings timed once: median {:.3} s, p90 {:.3} s, slowest {:.3} s",
        times.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(30));
    let mut next = 0usize;
    c.bench_function("resolve/province_forced", |b| {
        b.iter(|| {
            let k = pairs[next % pairs.len()];
            next += 1;
            base.forced(k).expect("re-solve")
        })
    });
    c.final_summary();
}
