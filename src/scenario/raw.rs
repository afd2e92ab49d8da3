//! Raw serde types of the scenario format, version 1: exactly what the JSON says, nothing resolved.
//!
//! Every struct denies unknown keys. These types are also the source of `postfit schema`, so the
//! published JSON Schema cannot drift from what the loader accepts. Semantic checks (references,
//! ranges, uniqueness) live in `validate`, not here.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A whole scenario document.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "postfit scenario, format version 1.1")]
#[schemars(rename = "Scenario")]
pub struct RawScenario {
    /// Shown in every output.
    pub name: String,
    /// The seniority ladder, lowest first.
    pub ranks: Vec<String>,
    /// Ladder rules: how far and when a candidate may be promoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion: Option<RawPromotion>,
    /// Fit weights and thresholds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<RawFit>,
    /// Named groups of people: group name -> condition (attribute -> predicate).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, BTreeMap<String, RawPredicate>>,
    /// Leadership teams (may be empty only if there are no posts).
    pub teams: Vec<RawTeam>,
    /// Vacant posts to fill.
    pub posts: Vec<RawPost>,
    /// The reserve pool.
    pub candidates: Vec<RawCandidate>,
    /// Proportion, coverage and fit-rate rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RawRule>,
    /// Placements already decided: every plan contains them (spec 1.1, "decided and vetoed").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decided: Vec<RawPair>,
    /// Pairs that may never be placed (eligibility condition 7).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vetoed: Vec<RawPair>,
}

/// A (post, candidate) pair of `decided` or `vetoed` (spec 1.1, "decided and vetoed").
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Placement")]
pub struct RawPair {
    /// The post's id (must exist in `posts`).
    pub post: String,
    /// The candidate's id (must exist in `candidates`).
    pub candidate: String,
    /// Free text, e.g. who decided and when, or why the pair is vetoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Ladder rules.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Promotion")]
pub struct RawPromotion {
    /// How many ranks above the candidate's current rank a post may be (default 1). `0` =
    /// lateral moves only. A post below the candidate's rank is never eligible. An integer;
    /// `2.0` is the integer 2.
    #[serde(
        default,
        deserialize_with = "integer_u32",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<u32>")]
    pub max_step: Option<u32>,
    /// Rank -> years. A candidate at rank R may be promoted (step >= 1) only if
    /// `years_at_rank >= min_years[R]`. Missing rank = 0.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub min_years: BTreeMap<String, f64>,
    /// Rank -> requirements. A candidate promoted (step >= 1) into a post of that rank needs at
    /// least those years in each listed domain.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub requirements: BTreeMap<String, RawRequirement>,
}

/// What a promotion into a rank needs.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Requirement")]
pub struct RawRequirement {
    /// Domain -> minimum years of experience (>= 0).
    #[serde(default)]
    pub experience: BTreeMap<String, f64>,
}

/// Fit weights and thresholds.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Fit")]
pub struct RawFit {
    /// Weight ws >= 0 of the specialty part S (default 0.5); ws + we > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialty_weight: Option<f64>,
    /// Weight we >= 0 of the experience part E (default 0.5); ws + we > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experience_weight: Option<f64>,
    /// In [0, 1]: a placement "fits" when fit >= threshold (default 0.7); the fit rate counts
    /// these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// In [0, 1]: pairs with fit < min are not eligible at all (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
}

/// A predicate on one attribute; at least one field must be given.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Predicate")]
pub struct RawPredicate {
    /// The attribute is one of these strings (compared exactly).
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub in_: Option<Vec<String>>,
    /// The attribute is none of these strings (compared exactly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_in: Option<Vec<String>>,
    /// The numeric attribute is at least this (inclusive); <= max when both are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The numeric attribute is at most this (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// A leadership team.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Team")]
pub struct RawTeam {
    /// Non-empty, unique among teams.
    pub id: String,
    /// Shown in outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Used by rule filters, e.g. "cppcc".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Incumbents who stay on the team and are not candidates: attribute objects, e.g.
    /// {"affiliation": "CPC", "gender": "M", "age": 52}. A candidate who sits on the team is
    /// given by the candidate's `team`, never also listed here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<BTreeMap<String, AttrValue>>,
}

/// A vacant post.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Post")]
pub struct RawPost {
    /// Non-empty, unique among posts.
    pub id: String,
    /// Shown in outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The id of the team the post belongs to.
    pub team: String,
    /// The post's rank (a name from `ranks`).
    pub rank: String,
    /// Free label used by rule filters, e.g. "technical", "comprehensive".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// What the post needs: tag -> weight >= 0.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub specialty: BTreeMap<String, f64>,
    /// Minimum years wanted per domain: domain -> years > 0.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub experience: BTreeMap<String, f64>,
    /// The plan must fill this post (default false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub must_fill: bool,
    /// A group name: only members of that group are eligible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_to: Option<String>,
}

/// A person in the reserve pool.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Candidate")]
pub struct RawCandidate {
    /// Non-empty, unique among candidates.
    pub id: String,
    /// Shown in outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The candidate's current rank (a name from `ranks`).
    pub rank: String,
    /// Years at the current rank, >= 0.
    pub years_at_rank: f64,
    /// Attribute -> string or number, used by groups.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, AttrValue>,
    /// Tag -> weight >= 0.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub specialty: BTreeMap<String, f64>,
    /// Domain -> years >= 0.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub experience: BTreeMap<String, f64>,
    /// false: never placed (not ready yet, or on the negative list); keep the reason in `note`
    /// (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<bool>,
    /// Free text, e.g. why the candidate is unavailable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The id of the team the candidate sits on now: they count as its member unless the plan
    /// moves them to another team's post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Ids of teams the candidate may not be placed in (conflict of interest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub avoid_teams: Vec<String>,
}

/// A proportion, coverage or fit-rate rule.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Rule")]
pub struct RawRule {
    /// A label shown in every output; unique when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `share`, `count` or `fit_rate`.
    #[serde(rename = "type")]
    pub type_: RuleType,
    /// `team` (each team in scope) or `placements` (the placements in scope); `fit_rate` only
    /// with `placements`.
    pub scope: RuleScope,
    /// The group counted (a name from `groups`); required for `share` and `count`, not given for
    /// `fit_rate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Narrows the scope; every given field must match. No `where` = every team, or every
    /// placement.
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<RawWhere>,
    /// Lower bound: a share or rate in [0, 1] (`share`, `fit_rate`) or a non-negative integer
    /// (`count`; `2.0` is the integer 2). At least one of `min`, `max`; min <= max.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Upper bound: a share or rate in [0, 1] (`share`, `fit_rate`) or a non-negative integer
    /// (`count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Cost per person of shortfall, > 0: the rule is soft and may fall short. Without it the
    /// rule is hard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "RuleType")]
/// `share` (a proportion of a group), `count` (a head count of a group) or `fit_rate` (the share
/// of fitting placements).
pub enum RuleType {
    Share,
    Count,
    FitRate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
/// `team`: one unit per team in scope, over its composition after the plan. `placements`: one
/// unit over the placements into the posts in scope.
pub enum RuleScope {
    Team,
    Placements,
}

/// Narrows a rule's scope; every given field must match.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Where")]
pub struct RawWhere {
    /// A team id or a non-empty list of ids: those teams (team scope), or posts of those teams
    /// (placements scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<OneOrMany>,
    /// A tag or a non-empty list of tags: teams carrying one of them, or posts of such teams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<OneOrMany>,
    /// Placements scope only: a post kind or a non-empty list of kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<OneOrMany>,
    /// Placements scope only: a rank or a non-empty list of ranks of the posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<OneOrMany>,
}

/// An attribute value: a string or a finite number.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(rename = "AttributeValue")]
#[serde(untagged)]
pub enum AttrValue {
    Str(String),
    Num(f64),
}

impl<'de> Deserialize<'de> for AttrValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = AttrValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AttrValue, E> {
                Ok(AttrValue::Str(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<AttrValue, E> {
                Ok(AttrValue::Str(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<AttrValue, E> {
                Ok(AttrValue::Num(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AttrValue, E> {
                Ok(AttrValue::Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AttrValue, E> {
                Ok(AttrValue::Num(v as f64))
            }
        }
        d.deserialize_any(V)
    }
}

/// A string, or a list of strings.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(rename = "OneOrMany")]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(OneOrMany::Many(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// An optional non-negative integer that may be written with a zero fraction (`2.0` is 2, as in
/// JSON Schema; spec 1.1). serde's `u32` takes only integer literals.
fn integer_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = u32;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("u32")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u32, E> {
            if v.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&v) {
                Ok(v as u32)
            } else if v.fract() == 0.0 && v > u32::MAX as f64 {
                // An integer all the same (`5e9`, or a literal past u64 that JSON parsers
                // read as a float): say what is wrong with it, as for `5000000000`.
                let found = if v < 1e21 {
                    format!("{v:.0}")
                } else {
                    format!("{v:e}")
                };
                Err(E::custom(format!(
                    "must be at most {}, got {found}",
                    u32::MAX
                )))
            } else {
                Err(E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }
    }
    d.deserialize_any(V).map(Some)
}
