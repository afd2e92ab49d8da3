//! Keeps a generated scenario feasible: must-fill wishes survive only where supply is ample,
//! and a witness plan (a bipartite matching) proves that every must-fill post and every hard
//! team rule can hold at once.
//!
//! The generator arranges the hard rules so that only two things can fail: a must-fill post
//! without a candidate, and a congress or government team without a non-party member (CPPCC
//! teams start with a non-party majority and their must-fill posts are open only to non-party
//! people). The witness fills each must-fill post and puts one non-party person into each team
//! that lacks one, all with distinct eligible candidates. What cannot be matched is relaxed:
//! the must-fill flag is dropped, or the team gets a non-party incumbent.

use std::collections::BTreeMap;

use crate::eligibility::eligible_pairs;
use crate::scenario::raw::{AttrValue, RawScenario};
use crate::scenario::Scenario;

/// A must-fill post needs at least this many eligible candidates.
pub const MIN_SUPPLY: usize = 8;

/// Tags of the teams the coverage rule looks at; the group it counts.
pub(super) const COVERAGE_TAGS: [&str; 3] = ["congress", "government", "cppcc"];
pub(super) const NON_PARTY: &str = "non-party";

/// One demand of the witness: a post to fill, maybe only with non-party people.
#[derive(Debug, Clone)]
struct Slot {
    post: usize,
    /// The slot stands for a team's non-party coverage (else for a must-fill post).
    coverage: bool,
    /// Eligible candidates for the slot, ascending.
    options: Vec<usize>,
}

/// A witness plan: (post, candidate) placements that satisfy every must-fill post and every
/// hard rule of a generated scenario.
pub type Witness = Vec<(usize, usize)>;

/// Drops must-fill wishes without ample supply, then relaxes whatever the witness cannot
/// cover. Leaves `raw` unchanged if it does not validate (it always does when generated).
pub(super) fn secure(raw: &mut RawScenario) {
    let Ok(s) = Scenario::from_raw(raw, "generated") else {
        return;
    };
    let by_post = eligible_by_post(&s);
    for (p, post) in raw.posts.iter_mut().enumerate() {
        if post.must_fill && by_post[p].len() < MIN_SUPPLY {
            post.must_fill = false;
        }
    }
    let (slots, bare_teams) = demands(&s, &by_post);
    let assigned = matching(&slots);
    for t in bare_teams {
        raw.teams[t].members.push(stand_in());
    }
    for (slot, got) in slots.iter().zip(&assigned) {
        if got.is_none() {
            raw.posts[slot.post].must_fill = false;
            if slot.coverage {
                let t = s.posts[slot.post].team;
                raw.teams[t].members.push(stand_in());
            }
        }
    }
}

/// The witness plan of a generated scenario, or the first demand it cannot meet. A plan that
/// fills every must-fill post and puts a non-party person into every congress, government and
/// CPPCC team without a non-party incumbent; for generated scenarios that keeps every hard
/// rule (tests check it rule by rule).
pub fn witness(s: &Scenario) -> Result<Witness, String> {
    let by_post = eligible_by_post(s);
    let (slots, bare_teams) = demands(s, &by_post);
    if let Some(&t) = bare_teams.first() {
        return Err(format!(
            "team {} has no non-party member and no post",
            s.teams[t].id
        ));
    }
    let assigned = matching(&slots);
    slots
        .iter()
        .zip(assigned)
        .map(|(slot, c)| match c {
            Some(c) => Ok((slot.post, c)),
            None => Err(format!("post {} cannot be filled", s.posts[slot.post].id)),
        })
        .collect()
}

fn eligible_by_post(s: &Scenario) -> Vec<Vec<usize>> {
    let mut by_post = vec![Vec::new(); s.posts.len()];
    for pair in eligible_pairs(s) {
        by_post[pair.post as usize].push(pair.candidate as usize);
    }
    by_post
}

fn is_non_party(attrs: &BTreeMap<String, AttrValue>) -> bool {
    matches!(attrs.get("affiliation"), Some(AttrValue::Str(a)) if a != "CPC")
}

/// The witness's demands (coverage slots first, then must-fill posts, each in document order),
/// and the coverage teams without any post to cover them.
fn demands(s: &Scenario, by_post: &[Vec<usize>]) -> (Vec<Slot>, Vec<usize>) {
    let np: Vec<bool> = match s.group_by_name(NON_PARTY) {
        Some(g) => s.in_group[g].clone(),
        None => (0..s.candidates.len())
            .map(|c| is_non_party(&s.candidates[c].attributes))
            .collect(),
    };
    let mut posts_of = vec![Vec::new(); s.teams.len()];
    for (p, post) in s.posts.iter().enumerate() {
        posts_of[post.team].push(p);
    }
    let mut slots = Vec::new();
    let mut bare = Vec::new();
    let mut covered_post = vec![false; s.posts.len()];
    for (t, team) in s.teams.iter().enumerate() {
        let watched = team
            .tags
            .iter()
            .any(|x| COVERAGE_TAGS.contains(&x.as_str()));
        if !watched || team.members.iter().any(is_non_party) {
            continue;
        }
        // The team's post with the most non-party candidates stands for its coverage.
        let best = posts_of[t]
            .iter()
            .map(|&p| (p, by_post[p].iter().filter(|&&c| np[c]).count()))
            .max_by_key(|&(p, n)| (n, std::cmp::Reverse(p)));
        match best {
            Some((p, n)) if n > 0 => {
                covered_post[p] = true;
                let options = by_post[p].iter().copied().filter(|&c| np[c]).collect();
                slots.push(Slot {
                    post: p,
                    coverage: true,
                    options,
                });
            }
            _ => bare.push(t),
        }
    }
    for (p, post) in s.posts.iter().enumerate() {
        if post.must_fill && !covered_post[p] {
            slots.push(Slot {
                post: p,
                coverage: false,
                options: by_post[p].clone(),
            });
        }
    }
    (slots, bare)
}

/// A maximum matching of slots to distinct candidates (Kuhn's augmenting paths, slots in
/// order, so earlier slots win ties). Returns each slot's candidate.
fn matching(slots: &[Slot]) -> Vec<Option<usize>> {
    let mut owner: BTreeMap<usize, usize> = BTreeMap::new();
    for i in 0..slots.len() {
        let mut seen = vec![false; slots.len()];
        augment(i, slots, &mut owner, &mut seen);
    }
    let mut got = vec![None; slots.len()];
    for (c, i) in owner {
        got[i] = Some(c);
    }
    got
}

fn augment(
    i: usize,
    slots: &[Slot],
    owner: &mut BTreeMap<usize, usize>,
    seen: &mut [bool],
) -> bool {
    // A free candidate first: keeps paths short on the easy instances the generator makes.
    if let Some(&c) = slots[i].options.iter().find(|c| !owner.contains_key(c)) {
        owner.insert(c, i);
        return true;
    }
    seen[i] = true;
    for &c in &slots[i].options {
        let j = owner[&c];
        if !seen[j] && augment(j, slots, owner, seen) {
            owner.insert(c, i);
            return true;
        }
    }
    false
}

/// A non-party incumbent added to a team the reserve cannot cover.
fn stand_in() -> BTreeMap<String, AttrValue> {
    let mut m = BTreeMap::new();
    m.insert(
        "affiliation".to_string(),
        AttrValue::Str("Jiusan".to_string()),
    );
    m.insert("age".to_string(), AttrValue::Num(52.0));
    m.insert("ethnicity".to_string(), AttrValue::Str("Han".to_string()));
    m.insert("gender".to_string(), AttrValue::Str("M".to_string()));
    m
}
