//! Writes `scenarios/city/hand-plan.json`: a plan drawn up the way staff do it by hand, to
//! compare with the optimiser's in `postfit report` (issue 10).
//!
//! The method: go through the posts in the order of the vacancy list, and give each one the
//! best-fitting eligible candidate still free (ties: the lower id), never looking back. That is
//! greedy post by post, unlike the report's own baseline (highest fit first over all pairs).
//! The quota mistake: staff keep a non-party quota only for the CPPCC teams, and count it over
//! the new appointees (half of them non-party) rather than over the whole team; the rule that
//! every congress and government team keeps a non-party member is forgotten. Here that leaves
//! J02-congress without a non-party member (a hard rule broken, as `postfit check` shows).
//! Run: `cargo run --release --example hand_plan`.

use std::path::Path;

use postfit::eligibility::eligible_pairs;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/city");
    let (s, _raw, _sha) = postfit::load(&root.join("scenario.json")).expect("city scenario loads");
    let non_party = s.group_by_name("non-party").expect("group non-party");
    let mut by_post: Vec<Vec<(f64, usize)>> = vec![Vec::new(); s.posts.len()];
    for p in eligible_pairs(&s) {
        by_post[p.post as usize].push((p.fit, p.candidate as usize));
    }
    let mut taken = vec![false; s.candidates.len()];
    // Per CPPCC team: appointees so far, and how many of them are non-party.
    let mut appointed = vec![(0usize, 0usize); s.teams.len()];
    let mut placements = Vec::new();
    for (p, post) in s.posts.iter().enumerate() {
        let cppcc = s.teams[post.team].tags.iter().any(|t| t == "cppcc");
        let (n, np) = appointed[post.team];
        // The mistaken quota: half of the appointees (rounded up), not half of the team.
        let need_non_party = cppcc && 2 * np < n + 1;
        let mut options: Vec<(f64, usize)> = by_post[p]
            .iter()
            .copied()
            .filter(|&(_, c)| !taken[c])
            .filter(|&(_, c)| !need_non_party || s.in_group[non_party][c])
            .collect();
        options.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        if let Some(&(fit, c)) = options.first() {
            taken[c] = true;
            appointed[post.team] = (n + 1, np + s.in_group[non_party][c] as usize);
            placements.push(serde_json::json!({
                "post": post.id,
                "candidate": s.candidates[c].id,
                "fit": (fit * 1e6).round() / 1e6,
            }));
        }
    }
    let doc = serde_json::json!({
        "scenario": s.name,
        "note": "Drawn up by hand, post by post in list order, best-fitting free candidate first; a non-party quota was kept for CPPCC teams only, counted over the new appointees (the mistake: no congress or government team was checked for a non-party member). Made by examples/hand_plan.rs.",
        "placements": placements,
    });
    let out = root.join("hand-plan.json");
    std::fs::write(
        &out,
        serde_json::to_string_pretty(&doc).expect("json") + "\n",
    )
    .expect("write hand plan");
    println!("wrote {} ({} placements)", out.display(), placements.len());
}
