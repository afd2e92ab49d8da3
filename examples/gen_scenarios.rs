//! Writes the generated scenarios under `scenarios/` (county, city) and prints their sizes.
//!
//! `cargo run --release --example gen_scenarios` rewrites `scenarios/county/scenario.json` and
//! `scenarios/city/scenario.json` from `postfit::generate::preset`; `-- --stats` only prints the
//! sizes of every preset (county, city, province) without writing anything, with a breakdown of
//! why pairs are not eligible for county and city. `-- --preset province --out FILE` writes one
//! preset anywhere (the province is not committed: about 4 MB).

use std::path::Path;
use std::time::Instant;

use postfit::eligibility::eligible_pairs;
use postfit::generate::{generate, preset, to_json, PRESETS};
use postfit::Scenario;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    if let (Some(name), Some(out)) = (value("--preset"), value("--out")) {
        let opts = preset(name).unwrap_or_else(|| panic!("no preset {name}; try {PRESETS:?}"));
        std::fs::write(out, to_json(&generate(&opts))).expect("write scenario");
        println!("wrote {out}");
        return;
    }
    let stats_only = args.iter().any(|a| a == "--stats");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for name in PRESETS {
        let committed = name != "province";
        if !committed && !stats_only {
            continue;
        }
        let opts = preset(name).expect("preset exists");
        let start = Instant::now();
        let raw = generate(&opts);
        let took = start.elapsed();
        let s = Scenario::from_raw(&raw, name).expect("generated scenarios validate");
        let pairs = eligible_pairs(&s).len();
        let total = s.candidates.len() * s.posts.len();
        let must_fill = s.posts.iter().filter(|p| p.must_fill).count();
        println!(
            "{name}: {} candidates, {} teams, {} posts ({must_fill} must-fill), {pairs} eligible \
             pairs ({:.1}% of {total}), generated in {:.2?}",
            s.candidates.len(),
            s.teams.len(),
            s.posts.len(),
            100.0 * pairs as f64 / total.max(1) as f64,
            took,
        );
        if stats_only && name != "province" {
            why_not(&s);
        }
        if committed && !stats_only {
            let dir = root.join(name);
            std::fs::create_dir_all(&dir).expect("create scenario folder");
            let path = dir.join("scenario.json");
            std::fs::write(&path, to_json(&raw)).expect("write scenario");
            println!("  wrote {}", path.display());
        }
    }
}

/// For tuning the generator: over all candidate-post pairs of a scenario, the first
/// eligibility condition that fails, and how many pairs that pass the other conditions reach
/// each fit level (how `fit.min` moves the number of eligible pairs).
fn why_not(s: &Scenario) {
    use postfit::eligibility::{eligibility, Ineligible};
    let mut reasons = std::collections::BTreeMap::new();
    let mut fits = Vec::new();
    for c in 0..s.candidates.len() {
        for p in 0..s.posts.len() {
            let code = match eligibility(s, c, p) {
                Ok(f) => {
                    fits.push(f.total);
                    "eligible"
                }
                Err(e) => {
                    if let Ineligible::FitBelowMin { fit, .. } = e {
                        fits.push(fit);
                    }
                    e.code()
                }
            };
            *reasons.entry(code).or_insert(0usize) += 1;
        }
    }
    for (code, n) in reasons {
        println!("  {code}: {n}");
    }
    for x in [0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] {
        println!("  fit >= {x}: {}", fits.iter().filter(|&&f| f >= x).count());
    }
}
