//! The reserve pool of a generated scenario: candidates with ranks, years, attributes, and
//! specialty and experience profiles drawn around a home field, shaped by the statistics of
//! the Leshan and Yaozhou reports (see `domain.md`).

use std::collections::BTreeMap;

use super::org::Org;
use super::vocab::{
    field_domain, related_fields, round_to, Dice, ADMINISTRATION, AFFILIATIONS, DEPUTY_DIVISION,
    DOMAINS, FIELDS, GIVEN_F, GIVEN_M, GRASSROOTS, MINORITIES, RANKS, READINESS, SECTORS, SURNAMES,
    UNAVAILABLE_NOTES,
};
use crate::scenario::raw::{AttrValue, RawCandidate};

/// Current rank weights, clerk to division: most reserves sit between deputy section and
/// deputy division level (Yaozhou's serving non-party leaders: 23 deputy section chiefs, 6
/// section chiefs, 5 at deputy county level).
const RANK_WEIGHTS: [f64; 5] = [5.0, 38.0, 34.0, 18.0, 5.0];

/// Builds `n` candidates, ids `C0001`... With `uneven`, counties get uneven shares of the
/// reserve (`hard::county_weight`).
pub(super) fn build(dice: &mut Dice, n: usize, org: &Org, uneven: bool) -> Vec<RawCandidate> {
    let width = n.to_string().len().max(4);
    // Home jurisdictions: the city holds a larger share of the reserve than each county.
    let home_weights: Vec<f64> = org
        .jurisdictions
        .iter()
        .enumerate()
        .map(|(k, j)| match (j.is_city, uneven) {
            (true, _) => 3.0,
            (false, false) => 1.0,
            (false, true) => super::hard::county_weight(k),
        })
        .collect();
    (0..n)
        .map(|i| candidate(dice, format!("C{:0width$}", i + 1), org, &home_weights))
        .collect()
}

fn candidate(dice: &mut Dice, id: String, org: &Org, home_weights: &[f64]) -> RawCandidate {
    let rank = dice.weighted(&RANK_WEIGHTS);
    let years_at_rank = round_to(dice.range(0.5, 10.0), 0.5);
    let female = dice.chance(470.0 / 900.0);
    let age = age(dice, rank);
    let affiliation = AFFILIATIONS[dice.weighted(&AFFILIATIONS.map(|a| a.1))].0;
    let ethnicity = if dice.chance(48.0 / 900.0) {
        *dice.pick(&MINORITIES)
    } else {
        "Han"
    };
    let sector = SECTORS[dice.weighted(&SECTORS.map(|a| a.1))].0;
    let readiness = READINESS[dice.weighted(&READINESS.map(|a| a.1))].0;

    let surname = dice.pick(&SURNAMES);
    let given = if female {
        dice.pick(&GIVEN_F)
    } else {
        dice.pick(&GIVEN_M)
    };
    let name = format!("{surname} {given}");

    let mut attributes = BTreeMap::new();
    let mut put = |k: &str, v: AttrValue| attributes.insert(k.to_string(), v);
    put("affiliation", AttrValue::Str(affiliation.to_string()));
    put("age", AttrValue::Num(age));
    put("ethnicity", AttrValue::Str(ethnicity.to_string()));
    put(
        "gender",
        AttrValue::Str(if female { "F" } else { "M" }.to_string()),
    );
    put("readiness", AttrValue::Str(readiness.to_string()));
    put("sector", AttrValue::Str(sector.to_string()));

    let home_field = FIELDS[dice.weighted(&FIELDS.map(|f| f.1))].0;
    let specialty = specialty(dice, home_field);
    let experience = experience(dice, home_field, age);

    let (available, note) = if dice.chance(0.02) {
        (Some(false), Some(dice.pick(&UNAVAILABLE_NOTES).to_string()))
    } else {
        (None, None)
    };

    let mut team = None;
    let mut avoid_teams = Vec::new();
    if !home_weights.is_empty() {
        let home = &org.jurisdictions[dice.weighted(home_weights)];
        // About one in ten sits on a team of their home jurisdiction now: senior people on the
        // congress or government team, the others on a department. Nobody in the reserve sits
        // on a CPPCC team, whose incumbents are given as members.
        if dice.chance(0.1) {
            let senior = rank >= DEPUTY_DIVISION && dice.chance(0.4);
            let t = if senior || home.departments.is_empty() {
                home.leadership[dice.below(2)]
            } else {
                *dice.pick(&home.departments)
            };
            team = Some(org.teams[t].id.clone());
        }
        // About 3% may not join their home government (a relative serves there).
        let gov = &org.teams[home.leadership[1]].id;
        if dice.chance(0.03) && team.as_ref() != Some(gov) {
            avoid_teams.push(gov.clone());
        }
    }

    RawCandidate {
        id,
        name: Some(name),
        rank: RANKS[rank].to_string(),
        years_at_rank,
        attributes,
        specialty,
        experience,
        available,
        note,
        team,
        avoid_teams,
    }
}

/// Ages: about 13% born in the 1980s (Leshan: 120 of 900), a few in the 1990s, the rest older
/// (Yaozhou's serving non-party leaders average 46), senior ranks a little older.
fn age(dice: &mut Dice, rank: usize) -> f64 {
    let u = dice.unit();
    let a = if u < 0.03 {
        dice.range(29.0, 35.99)
    } else if u < 0.16 {
        dice.range(36.0, 45.99)
    } else {
        dice.normal(47.0 + rank as f64, 3.0, 46.0, 59.0)
    };
    a.floor()
}

/// Specialty: the home field strongest, one or two others, mostly related ones.
fn specialty(dice: &mut Dice, home: &str) -> BTreeMap<String, f64> {
    let mut m = BTreeMap::new();
    m.insert(home.to_string(), round_to(dice.range(0.8, 1.0), 0.05));
    let extra = dice.int(1, 3);
    for _ in 0..extra {
        let f = if dice.chance(0.6) {
            *dice.pick(related_fields(home))
        } else {
            dice.pick(&FIELDS).0
        };
        let w = round_to(dice.range(0.2, 0.7), 0.05);
        m.entry(f.to_string()).or_insert(w);
    }
    m
}

/// Experience years by domain, bounded by the length of a career.
fn experience(dice: &mut Dice, home: &str, age: f64) -> BTreeMap<String, f64> {
    let career = (age - 23.0).max(3.0);
    let mut m: BTreeMap<String, f64> = BTreeMap::new();
    let add = |m: &mut BTreeMap<String, f64>, d: &str, y: f64| {
        let y = round_to(y, 0.5);
        let e = m.entry(d.to_string()).or_insert(0.0);
        *e = e.max(y);
    };
    if dice.chance(0.85) {
        let y = dice.range(1.0, career.min(12.0));
        add(&mut m, GRASSROOTS, y);
    }
    let y = dice.range(2.0, (career * 0.6).max(3.0));
    add(&mut m, field_domain(home), y);
    if dice.chance(0.6) {
        let y = dice.range(1.0, 8.0);
        add(&mut m, ADMINISTRATION, y);
    }
    let extra = dice.weighted(&[0.1, 0.3, 0.4, 0.2]);
    for _ in 0..extra {
        let d = *dice.pick(&DOMAINS);
        let y = dice.range(1.0, 8.0);
        add(&mut m, d, y);
    }
    m
}
