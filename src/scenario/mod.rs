//! The validated, indexed scenario: every id resolved to an index once, every default applied.
//!
//! Downstream code (fit, eligibility, model, checker) works only on these types and never sees
//! raw JSON. Build one with [`load`] (from a file) or [`Scenario::from_raw`] (from memory).

mod load;
pub mod raw;
mod shape;
mod validate;

use std::collections::{HashMap, HashSet};

pub use load::{load, load_bytes, parse_str};
pub(crate) use load::{number, path_key, quoted, sha256_hex};
pub(crate) use load::{read_bytes, utf8};
pub use raw::RawScenario;
pub use shape::{scenario_schema, schema_of};

use crate::error::InputError;

/// A sparse specialty vector over interned tags, sorted by tag id, with its Euclidean norm.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Specialty {
    pub entries: Vec<(u32, f64)>,
    pub norm: f64,
}

/// One person's attributes (a candidate's, or an incumbent team member's).
pub type Attributes = std::collections::BTreeMap<String, raw::AttrValue>;

#[derive(Debug, Clone)]
pub struct Team {
    pub id: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
    /// Incumbents who are not candidates.
    pub members: Vec<Attributes>,
    /// For each group, how many incumbents belong to it.
    pub members_in_group: Vec<u32>,
}

#[derive(Debug, Clone)]
pub struct Post {
    pub id: String,
    pub title: Option<String>,
    pub team: usize,
    pub rank: usize,
    pub kind: Option<String>,
    pub specialty: Specialty,
    /// (domain id, required years > 0), sorted by domain id.
    pub experience: Vec<(u32, f64)>,
    pub must_fill: bool,
    pub open_to: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: String,
    pub name: Option<String>,
    pub rank: usize,
    pub years_at_rank: f64,
    pub attributes: Attributes,
    pub specialty: Specialty,
    /// Years by domain id, dense over all interned domains (missing = 0).
    pub experience: Vec<f64>,
    pub available: bool,
    pub note: Option<String>,
    pub team: Option<usize>,
    pub avoid_teams: Vec<usize>,
}

/// One attribute predicate of a group.
#[derive(Debug, Clone)]
pub struct Predicate {
    pub attribute: String,
    pub in_: Option<Vec<String>>,
    pub not_in: Option<Vec<String>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub predicates: Vec<Predicate>,
}

impl Group {
    /// Whether a person with these attributes belongs (every predicate holds; a missing
    /// attribute means no).
    pub fn contains(&self, attrs: &Attributes) -> bool {
        use raw::AttrValue;
        self.predicates
            .iter()
            .all(|p| match attrs.get(&p.attribute) {
                None => false,
                Some(AttrValue::Str(s)) => {
                    p.in_.as_ref().is_none_or(|l| l.iter().any(|x| x == s))
                        && p.not_in.as_ref().is_none_or(|l| !l.iter().any(|x| x == s))
                        && p.min.is_none()
                        && p.max.is_none()
                }
                Some(AttrValue::Num(v)) => {
                    p.min.is_none_or(|m| *v >= m)
                        && p.max.is_none_or(|m| *v <= m)
                        && p.in_.is_none()
                        && p.not_in.is_none()
                }
            })
    }
}

/// What a rule counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// Share of a group, in [0, 1].
    Share { group: usize },
    /// Head count of a group.
    Count { group: usize },
    /// Share of placements whose fit reaches the threshold.
    FitRate,
}

/// Which teams or placements a rule looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleScope {
    /// Each listed team separately (indices, ascending).
    Teams(Vec<usize>),
    /// All placements into the listed posts, together (post indices, ascending).
    Placements(Vec<usize>),
}

#[derive(Debug, Clone)]
pub struct Rule {
    /// Position in the scenario's `rules`.
    pub index: usize,
    pub name: Option<String>,
    pub kind: RuleKind,
    pub scope: RuleScope,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// `Some(w)`: soft, each person of shortfall costs w. `None`: hard.
    pub penalty: Option<f64>,
}

impl Rule {
    /// The rule's name, or `rules[N]` (its JSON path) when it has none.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None => format!("rules[{}]", self.index),
        }
    }
}

/// One entry of `decided` or `vetoed`: a (post, candidate) pair with its note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub post: usize,
    pub candidate: usize,
    pub note: Option<String>,
}

/// Fit weights and thresholds, defaults applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitParams {
    pub specialty_weight: f64,
    pub experience_weight: f64,
    pub threshold: f64,
    pub min: f64,
}

/// Ladder rules, indexed by rank.
#[derive(Debug, Clone)]
pub struct Promotion {
    pub max_step: u32,
    /// Years at rank needed before promotion out of each rank.
    pub min_years: Vec<f64>,
    /// For each rank, (domain id, years) needed to be promoted into a post of that rank.
    pub requirements: Vec<Vec<(u32, f64)>>,
}

/// A validated scenario. All indices are into this scenario's own vectors.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub ranks: Vec<String>,
    pub promotion: Promotion,
    pub fit: FitParams,
    pub groups: Vec<Group>,
    pub teams: Vec<Team>,
    pub posts: Vec<Post>,
    pub candidates: Vec<Candidate>,
    pub rules: Vec<Rule>,
    /// Interned specialty tags and experience domains (id -> name).
    pub tags: Vec<String>,
    pub domains: Vec<String>,
    /// `in_group[g][c]`: candidate c belongs to group g.
    pub in_group: Vec<Vec<bool>>,
    /// Placements already decided (spec 1.1): every plan contains them, in input order.
    pub decided: Vec<Decision>,
    /// Pairs that may never be placed (eligibility condition 7), in input order.
    pub vetoed: Vec<Decision>,
    /// `decided_in[p]`: the candidate decided for post p.
    decided_in: Vec<Option<usize>>,
    /// Vetoed (candidate, post) pairs.
    vetoed_pairs: HashSet<(usize, usize)>,
    post_index: HashMap<String, usize>,
    candidate_index: HashMap<String, usize>,
}

impl Scenario {
    /// Validate a raw scenario; `file` is only used in error messages.
    pub fn from_raw(raw: &RawScenario, file: &str) -> Result<Scenario, InputError> {
        validate::validate(raw, file)
    }

    pub fn post_by_id(&self, id: &str) -> Option<usize> {
        self.post_index.get(id).copied()
    }

    pub fn candidate_by_id(&self, id: &str) -> Option<usize> {
        self.candidate_index.get(id).copied()
    }

    /// The candidate decided for post `p`, if any.
    pub fn decided_for_post(&self, p: usize) -> Option<usize> {
        self.decided_in.get(p).copied().flatten()
    }

    /// Whether (candidate `c`, post `p`) is a decided placement.
    pub fn is_decided(&self, c: usize, p: usize) -> bool {
        self.decided_for_post(p) == Some(c)
    }

    /// The post decided for candidate `c`, if any.
    pub fn decided_for_candidate(&self, c: usize) -> Option<usize> {
        self.decided
            .iter()
            .find(|d| d.candidate == c)
            .map(|d| d.post)
    }

    /// Whether (candidate `c`, post `p`) is vetoed (eligibility condition 7).
    pub fn is_vetoed(&self, c: usize, p: usize) -> bool {
        self.vetoed_pairs.contains(&(c, p))
    }

    /// The `vetoed` entry of a pair, for its note.
    pub fn veto(&self, c: usize, p: usize) -> Option<&Decision> {
        self.vetoed.iter().find(|d| d.candidate == c && d.post == p)
    }

    pub fn group_by_name(&self, name: &str) -> Option<usize> {
        self.groups.iter().position(|g| g.name == name)
    }

    pub fn team_by_id(&self, id: &str) -> Option<usize> {
        self.teams.iter().position(|t| t.id == id)
    }
}
