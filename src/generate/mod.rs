//! Seeded, deterministic synthetic scenarios shaped like the re-elections in `domain.md`: a city
//! and its counties with congress, government, CPPCC and department teams, a reserve pool, and
//! Leshan-like proportion, coverage and fit-rate rules.
//!
//! The same [`GenerateOptions`] always give the same scenario, byte for byte, on every
//! platform: the random source is ChaCha8 read through exact arithmetic only (see `vocab`), and
//! every map is a `BTreeMap`. Generated scenarios validate and are feasible: `supply` proves it
//! with a witness plan and relaxes must-fill wishes the reserve cannot meet.
//!
//! Sizes for the defaults (city-like, 12 jurisdictions x (3 + 10) teams, 900 candidates):
//! about 300 posts and a quarter of all candidate-post pairs eligible, as in the product's
//! scale notes (a city of 900 x ~297 posts with ~69 thousand eligible pairs).

mod org;
mod people;
mod supply;
#[cfg(test)]
mod tests;
mod vocab;

use std::collections::BTreeMap;

use crate::scenario::raw::{
    OneOrMany, RawFit, RawPredicate, RawPromotion, RawRequirement, RawRule, RawScenario, RawWhere,
    RuleScope, RuleType,
};
pub use supply::{witness, Witness, MIN_SUPPLY};
use vocab::{Dice, GRASSROOTS, RANKS};

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// The scenario's `name`.
    pub name: String,
    /// Size of the reserve pool.
    pub candidates: usize,
    /// Number of jurisdictions. With more than one, jurisdiction 0 is the city (its teams one
    /// rank above the counties'); a single jurisdiction is a county.
    pub jurisdictions: usize,
    /// Department teams per jurisdiction (besides congress, government and CPPCC).
    pub departments: usize,
    /// Seed of the random source.
    pub seed: u64,
}

impl Default for GenerateOptions {
    /// City-like: 900 reserves, a city and 11 counties, 10 departments each (Leshan's scale).
    fn default() -> Self {
        GenerateOptions {
            name: "Synthetic city re-election".to_string(),
            candidates: 900,
            jurisdictions: 12,
            departments: 10,
            seed: 1,
        }
    }
}

/// Names of the [`preset`]s, smallest first.
pub const PRESETS: [&str; 3] = ["county", "city", "province"];

/// The options behind the committed scenarios: `county` (Yaozhou's scale: one county, ~400
/// profiles, a few dozen vacancies) and `city` (Leshan's: 900 reserves, a city and 11
/// counties, ~300 vacancies), and `province` (the product's largest scale: 5,000 reserves,
/// 60 jurisdictions, ~2,000 vacancies; not committed, too large for a repository).
pub fn preset(name: &str) -> Option<GenerateOptions> {
    let (title, candidates, jurisdictions, departments) = match name {
        "county" => ("County re-election (Yaozhou scale, synthetic)", 400, 1, 18),
        "city" => ("City re-election (Leshan scale, synthetic)", 900, 12, 10),
        "province" => ("Province re-election (synthetic)", 5000, 60, 15),
        _ => return None,
    };
    Some(GenerateOptions {
        name: title.to_string(),
        candidates,
        jurisdictions,
        departments,
        seed: 1,
    })
}

/// Generates a valid, feasible scenario; the same options give the same scenario.
pub fn generate(opts: &GenerateOptions) -> RawScenario {
    let mut dice = Dice::new(opts.seed);
    let org = org::build(&mut dice, opts.jurisdictions, opts.departments);
    let candidates = people::build(&mut dice, opts.candidates, &org);
    let mut raw = RawScenario {
        name: opts.name.clone(),
        ranks: RANKS.iter().map(|r| r.to_string()).collect(),
        promotion: Some(promotion()),
        fit: Some(RawFit {
            specialty_weight: Some(0.6),
            experience_weight: Some(0.4),
            threshold: Some(0.7),
            min: Some(FIT_MIN),
        }),
        groups: groups(),
        teams: org.teams,
        posts: org.posts,
        candidates,
        rules: rules(),
        decided: Vec::new(),
        vetoed: Vec::new(),
    };
    supply::secure(&mut raw);
    raw
}

/// Pretty-printed JSON with a trailing newline, as the files under `scenarios/` are written.
/// Whole numbers are written without a fraction (`"age": 48`, not `48.0`); they read back as
/// the same `f64`.
pub fn to_json(raw: &RawScenario) -> String {
    let mut value = serde_json::to_value(raw).expect("a scenario always serializes");
    whole_numbers_as_integers(&mut value);
    let mut s = serde_json::to_string_pretty(&value).expect("a JSON value always serializes");
    s.push('\n');
    s
}

fn whole_numbers_as_integers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) => {
            if let Some(x) = n.as_f64().filter(|x| x.fract() == 0.0 && x.abs() < 1e15) {
                if n.is_f64() {
                    *v = Value::from(x as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// Pairs below this fit are not eligible; tuned so that about a quarter of all
/// candidate-post pairs are eligible.
const FIT_MIN: f64 = 0.25;

/// The national selection regulations: two years in a deputy post before the full post of the
/// same level, three years in a lower full post (or as a clerk) before the deputy post above,
/// one step at a time, and two years at the grassroots before county (division) level.
fn promotion() -> RawPromotion {
    let years = [
        ("clerk", 3.0),
        ("deputy-section", 2.0),
        ("section", 3.0),
        ("deputy-division", 2.0),
        ("division", 3.0),
    ];
    let mut requirements = BTreeMap::new();
    let mut grassroots = BTreeMap::new();
    grassroots.insert(GRASSROOTS.to_string(), 2.0);
    requirements.insert(
        "deputy-division".to_string(),
        RawRequirement {
            experience: grassroots,
        },
    );
    RawPromotion {
        max_step: Some(1),
        min_years: years.iter().map(|(r, y)| (r.to_string(), *y)).collect(),
        requirements,
    }
}

fn groups() -> BTreeMap<String, BTreeMap<String, RawPredicate>> {
    let one = |attr: &str, p: RawPredicate| {
        let mut m = BTreeMap::new();
        m.insert(attr.to_string(), p);
        m
    };
    let list = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let mut g = BTreeMap::new();
    g.insert(
        supply::NON_PARTY.to_string(),
        one(
            "affiliation",
            RawPredicate {
                not_in: list(&["CPC"]),
                ..Default::default()
            },
        ),
    );
    g.insert(
        "women".to_string(),
        one(
            "gender",
            RawPredicate {
                in_: list(&["F"]),
                ..Default::default()
            },
        ),
    );
    g.insert(
        "young".to_string(),
        one(
            "age",
            RawPredicate {
                max: Some(40.0),
                ..Default::default()
            },
        ),
    );
    g.insert(
        "minority".to_string(),
        one(
            "ethnicity",
            RawPredicate {
                not_in: list(&["Han"]),
                ..Default::default()
            },
        ),
    );
    g
}

/// Leshan's rules: CPPCC teams over half non-party, non-party members in every congress,
/// government and CPPCC team (both hard), fit-rate targets of 80% for technical and 75% for
/// comprehensive posts, and a women share among appointees (soft).
fn rules() -> Vec<RawRule> {
    let rule = |name: &str, type_: RuleType, scope: RuleScope| RawRule {
        name: Some(name.to_string()),
        type_,
        scope,
        group: None,
        where_: None,
        min: None,
        max: None,
        penalty: None,
    };
    let tags = |v: &[&str]| OneOrMany::Many(v.iter().map(|s| s.to_string()).collect());
    let one = |s: &str| OneOrMany::One(s.to_string());
    vec![
        RawRule {
            group: Some(supply::NON_PARTY.to_string()),
            where_: Some(RawWhere {
                tag: Some(one("cppcc")),
                ..Default::default()
            }),
            min: Some(0.5),
            ..rule(
                "CPPCC teams at least half non-party",
                RuleType::Share,
                RuleScope::Team,
            )
        },
        RawRule {
            group: Some(supply::NON_PARTY.to_string()),
            where_: Some(RawWhere {
                tag: Some(tags(&supply::COVERAGE_TAGS)),
                ..Default::default()
            }),
            min: Some(1.0),
            ..rule(
                "non-party member in every congress, government and CPPCC team",
                RuleType::Count,
                RuleScope::Team,
            )
        },
        RawRule {
            where_: Some(RawWhere {
                kind: Some(one("technical")),
                ..Default::default()
            }),
            min: Some(0.8),
            penalty: Some(1.0),
            ..rule(
                "technical posts fit rate 80%",
                RuleType::FitRate,
                RuleScope::Placements,
            )
        },
        RawRule {
            where_: Some(RawWhere {
                kind: Some(one("comprehensive")),
                ..Default::default()
            }),
            min: Some(0.75),
            penalty: Some(1.0),
            ..rule(
                "comprehensive posts fit rate 75%",
                RuleType::FitRate,
                RuleScope::Placements,
            )
        },
        RawRule {
            group: Some("women".to_string()),
            min: Some(0.3),
            penalty: Some(0.5),
            ..rule(
                "women at least 30% of appointees",
                RuleType::Share,
                RuleScope::Placements,
            )
        },
    ]
}
