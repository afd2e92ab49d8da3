//! Live progress of a solve (`SolveOptions::progress`): every reported bound is a bound and every
//! reported best plan is a plan, i.e. they bracket the proven optimum; phases come in order;
//! reports from inside HiGHS's proof MIP (its callback) are in the plan's objective, not
//! negated; and reporting never changes the answer.

mod common;

use std::sync::{Arc, Mutex};

use postfit::plan::{solve_scenario, Status};
use postfit::solve::{Phase, ProgressSink, SolveOptions, SolveProgress};

#[test]
fn reports_bracket_the_optimum_and_never_change_the_answer() {
    let (mut proofs, mut from_mip, mut cut_reports) = (0, 0, 0);
    for seed in 0..120u64 {
        let doc = common::hard_scenario_json(seed, true);
        let s = common::build(&doc);
        let reports: Arc<Mutex<Vec<SolveProgress>>> = Arc::default();
        let sink = {
            let reports = reports.clone();
            ProgressSink::new(move |p| reports.lock().unwrap().push(p.clone()))
        };
        let with = solve_scenario(
            &s,
            &SolveOptions {
                progress: Some(sink),
                ..Default::default()
            },
        )
        .expect("solves");
        let without = solve_scenario(&s, &SolveOptions::default()).expect("solves");
        assert_eq!(with.status, without.status, "seed {seed}");
        assert_eq!(with.objective(), without.objective(), "seed {seed}");
        assert_eq!(with.placements(), without.placements(), "seed {seed}");
        if with.status != Status::Optimal || with.stats.solve_path != "fast" {
            continue;
        }
        let z = with.objective().expect("optimal has a plan");
        let reports = reports.lock().unwrap();
        let tol = 1e-6 * z.abs().max(1.0);
        let mut late = false;
        let mut proof_reports = 0;
        for p in reports.iter() {
            if let Some(b) = p.bound {
                assert!(
                    b >= z - tol,
                    "seed {seed}: bound {b} below the optimum {z}: {p:?}"
                );
            }
            if let Some(b) = p.best {
                assert!(
                    b <= z + tol,
                    "seed {seed}: best plan {b} above the optimum {z}: {p:?}"
                );
            }
            match p.phase {
                Phase::Pricing | Phase::Cuts => {
                    assert!(
                        !late,
                        "seed {seed}: pricing after the proof began: {reports:?}"
                    )
                }
                Phase::Incumbent | Phase::Proof => late = true,
            }
            if p.phase == Phase::Cuts {
                cut_reports += 1;
            }
            if p.phase == Phase::Proof {
                proof_reports += 1;
            }
        }
        if proof_reports > 0 {
            proofs += 1;
        }
        // The proof's own report comes first; any more are HiGHS's callback.
        if proof_reports > 1 {
            from_mip += 1;
        }
    }
    assert!(cut_reports > 0, "no solve reached the cut phase");
    assert!(proofs >= 5, "only {proofs} solves needed a proof MIP");
    assert!(from_mip >= 1, "HiGHS's MIP callback never reported");
}
