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
#[schemars(title = "postfit scenario, format version 1")]
pub struct RawScenario {
    /// Shown in every output.
    pub name: String,
    /// The seniority ladder, lowest first.
    pub ranks: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion: Option<RawPromotion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<RawFit>,
    /// Named groups of people: group name -> condition (attribute -> predicate).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, BTreeMap<String, RawPredicate>>,
    pub teams: Vec<RawTeam>,
    pub posts: Vec<RawPost>,
    pub candidates: Vec<RawCandidate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RawRule>,
    /// Placements already decided: every plan contains them (spec 1.1, "decided and vetoed").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decided: Vec<RawPair>,
    /// Pairs that may never be placed (eligibility condition 7).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vetoed: Vec<RawPair>,
}

/// A (post, candidate) pair of `decided` or `vetoed`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPair {
    pub post: String,
    pub candidate: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Ladder rules.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPromotion {
    /// How many ranks above the candidate's current rank a post may be (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_step: Option<u32>,
    /// Rank -> minimum years at that rank before a promotion out of it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub min_years: BTreeMap<String, f64>,
    /// Rank -> requirements for being promoted into a post of that rank.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub requirements: BTreeMap<String, RawRequirement>,
}

/// What a promotion into a rank needs.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRequirement {
    /// Domain -> minimum years of experience.
    #[serde(default)]
    pub experience: BTreeMap<String, f64>,
}

/// Fit weights and thresholds.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFit {
    /// Weight of the specialty part (default 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialty_weight: Option<f64>,
    /// Weight of the experience part (default 0.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experience_weight: Option<f64>,
    /// A placement "fits" when fit >= threshold (default 0.7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Pairs with fit < min are not eligible (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
}

/// A predicate on one attribute; at least one field must be given.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPredicate {
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub in_: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_in: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// A leadership team.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTeam {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Incumbents who stay on the team and are not candidates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<BTreeMap<String, AttrValue>>,
}

/// A vacant post.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPost {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub team: String,
    pub rank: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub specialty: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub experience: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub must_fill: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_to: Option<String>,
}

/// A person in the reserve pool.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCandidate {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub rank: String,
    pub years_at_rank: f64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, AttrValue>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub specialty: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub experience: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub avoid_teams: Vec<String>,
}

/// A proportion, coverage or fit-rate rule.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub type_: RuleType,
    pub scope: RuleScope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub where_: Option<RawWhere>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Cost per person of shortfall; without it the rule is hard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalty: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleType {
    Share,
    Count,
    FitRate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleScope {
    Team,
    Placements,
}

/// Narrows a rule's scope; every given field must match.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWhere {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<OneOrMany>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<OneOrMany>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<OneOrMany>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<OneOrMany>,
}

/// An attribute value: a string or a finite number.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
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
                f.write_str("a string or a list of strings")
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
