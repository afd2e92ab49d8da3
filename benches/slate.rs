//! `postfit slate` end to end (base solve, screening, exact re-solves, checks): the city scenario
//! (`scenarios/city`), every post, K = 3, in criterion with 10 samples; and the province preset
//! (`postfit generate --preset province`), 50 posts chosen with a fixed seed, K = 3, timed once
//! outside criterion (one run takes minutes), printing the share of candidates the bound
//! screened out.
//!
//! `cargo bench --bench slate` runs the city; `POSTFIT_BENCH_PROVINCE=1 cargo bench --bench
//! slate` runs only the province; `POSTFIT_BENCH_CITY_HARD=1` only city-hard (10 posts by seed,
//! K = 3, timed once); `POSTFIT_BENCH_PROVINCE_HARD=N` only the hard province, N posts by seed
//! (each forced re-solve there is a proof of its own, about 70 s: 2 posts took 14 minutes in
//! session 7).

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::Criterion;
use postfit::plan::Status;
use postfit::slate::{slates, SlateDocument, SlateOptions};
use postfit::Scenario;
use rand::seq::SliceRandom;
use rand::SeedableRng;

fn run(s: &Scenario, posts: Option<Vec<usize>>) -> SlateDocument {
    let opts = SlateOptions {
        k: 3,
        posts,
        solve: Default::default(),
    };
    let doc = slates(s, &opts, Instant::now(), &|_, _| {}).expect("slates");
    assert_eq!(doc.status, Status::Optimal);
    assert!(doc.complete, "every slate complete");
    doc
}

fn summary(doc: &SlateDocument) -> String {
    let sum = |f: fn(&postfit::slate::Slate) -> usize| doc.slates.iter().map(f).sum::<usize>();
    let (eligible, solves, re_solved, screened) = (
        sum(|s| s.eligible),
        sum(|s| s.solves),
        sum(|s| s.re_solved),
        sum(|s| s.screened),
    );
    format!(
        "{} posts, {eligible} eligible candidates, {solves} re-solves, {re_solved} settled exactly, {screened} proven out by a re-solve's bound ({:.1}%)",
        doc.slates.len(),
        100.0 * screened as f64 / eligible.max(1) as f64
    )
}

fn city() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/city/scenario.json");
    postfit::load(&path).expect("city loads").0
}

/// Slates of `count` posts of `s` chosen with a fixed seed (8), K = 3, timed once and printed
/// as `slate/{label}_{count}_posts_k3`.
fn once(label: &str, s: &Scenario, count: usize) {
    let mut posts: Vec<usize> = (0..s.posts.len()).collect();
    posts.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(8));
    posts.truncate(count);
    let t = Instant::now();
    let doc = run(s, Some(posts));
    println!(
        "slate/{label}_{count}_posts_k3: {:.1} s; {}",
        t.elapsed().as_secs_f64(),
        summary(&doc)
    );
}

/// A generated preset (`postfit generate --preset NAME`, `--hard` when `hard`) as a scenario.
fn generated(name: &str, hard: bool) -> Scenario {
    let mut opts = postfit::generate::preset(name).expect("preset exists");
    opts.hard |= hard;
    Scenario::from_raw(&postfit::generate::generate(&opts), name).expect("valid")
}

fn main() {
    if let Some(n) = std::env::var_os("POSTFIT_BENCH_PROVINCE_HARD") {
        // The hard province: each forced re-solve is a proof of its own (about 70 s).
        let count = n.to_str().and_then(|n| n.parse().ok()).unwrap_or(2);
        once("province_hard", &generated("province-hard", false), count);
        return;
    }
    if std::env::var_os("POSTFIT_BENCH_PROVINCE").is_some() {
        once("province", &generated("province", false), 50);
        return;
    }
    if std::env::var_os("POSTFIT_BENCH_CITY_HARD").is_some() {
        // City-sized hard instance (`generate --preset city --hard`: fractional LP, hull cuts,
        // a proof MIP per forced re-solve).
        once("city_hard", &generated("city", true), 10);
        return;
    }
    let s = city();
    println!("slate/city_k3: {}", summary(&run(&s, None)));
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(60));
    c.bench_function("slate/city_k3", |b| b.iter(|| run(&s, None)));
    c.final_summary();
}
