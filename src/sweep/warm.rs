//! Warm starts for sweep variants (issue 9): the base solve's final LP (its column set and
//! basis) carried over to a variant's model by ids, so that the variant's LP pricing starts near
//! its optimum instead of from the per-row heuristic set.
//!
//! A variant's model differs from the base's wherever the patch reaches: pairs appear or vanish
//! (a candidate withdrawn, a post added, a new fit minimum), rows appear or vanish (rules, posts,
//! candidates) and coefficients change (a rule's bound, the fit threshold). Indices therefore
//! mean nothing across the two models; ids do. A base LP column is carried over when its pair
//! (candidate id, post id) is a pair of the variant too, or, for a shortfall column, when the
//! variant has the same rule unit (rule label and kind, team id). A row's basis status is carried
//! over the same way (candidate id, post id, rule unit); every other row starts basic, every other
//! column at its lower bound. When that basis is inconsistent (its basic count is not the number
//! of rows: a basic column or a tight row of the base is gone), only the column set is carried
//! over; when fewer than half of the base's LP columns carry over, the variant is solved cold.
//!
//! Nothing here changes an answer: the fast path prices every column of the variant's own model
//! from its own duals, so any starting set ends at the same LP optimum and the same proof
//! (`solve::Warm`); only the number of simplex iterations and pricing rounds changes.
//! `POSTFIT_SWEEP_COLD=1` (or [`super::SweepOptions::cold`]) turns warm starts off, for
//! measurements and for the test that compares both.

use std::collections::HashMap;

use crate::eligibility::Pair;
use crate::model::{ColumnKind, Model, RowKind};
use crate::plan::Kept;
use crate::resolve::pair_index;
use crate::scenario::Scenario;
use crate::solve::LpDuals;

/// Basis status of a basic variable, as [`LpDuals::basis`] holds them (the solver's code).
const BASIC: i32 = 1;

/// What identifies a row or a non-pair column across a base and its variants.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Candidate(String),
    Post(String),
    Decided(String),
    /// Rule unit: rule label and kind, team id (team scope), side (0 min, 1 max, 2 shortfall).
    Unit(String, Option<String>, u8),
}

/// The base solve's final LP, keyed by ids.
pub(crate) struct WarmBase {
    /// (candidate id, post id, basis status) of each pair column of the base's final LP.
    pairs: Vec<(String, String, i32)>,
    /// Key and basis status of each non-pair column of the base's final LP that has a key.
    others: HashMap<Key, i32>,
    /// Basis status of each keyed row of the base model (`None`: the LP had no basis).
    rows: Option<HashMap<Key, i32>>,
    /// Columns of the base's final LP (the denominator of the carried-over share).
    columns: usize,
}

impl WarmBase {
    /// The base's final LP, if the fast path priced it out.
    pub(crate) fn new(base: &Scenario, kept: &Kept) -> Option<WarmBase> {
        let lp = kept.lp.as_ref()?;
        let statuses: Option<&(Vec<i32>, Vec<i32>)> = lp
            .basis
            .as_ref()
            .filter(|(cols, _)| cols.len() == lp.columns.len());
        let mut pairs = Vec::new();
        let mut others = HashMap::new();
        for (k, &j) in lp.columns.iter().enumerate() {
            let status = statuses.map_or(0, |(cols, _)| cols[k]);
            let j = j as usize;
            if let Some(p) = kept.pairs.get(j) {
                let (c, p) = (p.candidate as usize, p.post as usize);
                pairs.push((
                    base.candidates[c].id.clone(),
                    base.posts[p].id.clone(),
                    status,
                ));
            } else if let Some(key) = column_key(base, &kept.model, j) {
                others.insert(key, status);
            }
        }
        let rows = statuses.map(|(_, rows)| {
            kept.model
                .rows
                .iter()
                .zip(rows)
                .filter_map(|(r, &st)| row_key(base, r.kind).map(|k| (k, st)))
                .collect()
        });
        Some(WarmBase {
            pairs,
            others,
            rows,
            columns: lp.columns.len(),
        })
    }

    /// The base's final LP carried over to a variant's model (`pairs`, `m` as built for `s`):
    /// columns ascending with their statuses, and a basis when it is consistent. `None`: solve
    /// cold (fewer than half of the base's LP columns carry over).
    pub(crate) fn carry_over(&self, s: &Scenario, pairs: &[Pair], m: &Model) -> Option<LpDuals> {
        let candidates: HashMap<&str, usize> = s
            .candidates
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let posts: HashMap<&str, usize> = s
            .posts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let mut cols: Vec<(u32, i32)> = Vec::with_capacity(self.columns);
        for (c, p, st) in &self.pairs {
            let (Some(&c), Some(&p)) = (candidates.get(c.as_str()), posts.get(p.as_str())) else {
                continue;
            };
            if let Some(i) = pair_index(pairs, c, p) {
                // Column i of a model is pair i.
                cols.push((i as u32, *st));
            }
        }
        for j in pairs.len()..m.columns.len() {
            if let Some(st) = column_key(s, m, j).and_then(|k| self.others.get(&k)) {
                cols.push((j as u32, *st));
            }
        }
        if 2 * cols.len() < self.columns {
            return None;
        }
        cols.sort_unstable_by_key(|&(j, _)| j);
        let basis = self.rows.as_ref().and_then(|base_rows| {
            let rows: Vec<i32> = m
                .rows
                .iter()
                .map(|r| {
                    row_key(s, r.kind)
                        .and_then(|k| base_rows.get(&k).copied())
                        .unwrap_or(BASIC)
                })
                .collect();
            let basic = cols.iter().filter(|c| c.1 == BASIC).count()
                + rows.iter().filter(|&&st| st == BASIC).count();
            (basic == m.rows.len()).then(|| (cols.iter().map(|c| c.1).collect(), rows))
        });
        Some(LpDuals {
            columns: cols.iter().map(|c| c.0).collect(),
            basis,
            ..Default::default()
        })
    }
}

/// A rule's identity across a base and its variants: its label (name, or `rules[i]`) and kind.
fn rule_key(s: &Scenario, rule: usize) -> String {
    let r = &s.rules[rule];
    let kind = match r.kind {
        crate::scenario::RuleKind::Share { .. } => "share",
        crate::scenario::RuleKind::Count { .. } => "count",
        crate::scenario::RuleKind::FitRate => "fit_rate",
    };
    format!("{kind} {}", r.label())
}

fn row_key(s: &Scenario, kind: RowKind) -> Option<Key> {
    let team = |t: Option<usize>| t.map(|t| s.teams[t].id.clone());
    Some(match kind {
        RowKind::CandidateOnce(c) => Key::Candidate(s.candidates[c].id.clone()),
        RowKind::PostOnce(p) => Key::Post(s.posts[p].id.clone()),
        RowKind::Decided(p) => Key::Decided(s.posts[p].id.clone()),
        RowKind::RuleMin { rule, team: t } => Key::Unit(rule_key(s, rule), team(t), 0),
        RowKind::RuleMax { rule, team: t } => Key::Unit(rule_key(s, rule), team(t), 1),
        _ => return None,
    })
}

fn column_key(s: &Scenario, m: &Model, j: usize) -> Option<Key> {
    match m.columns.get(j)?.kind {
        ColumnKind::Shortfall { rule, team } => Some(Key::Unit(
            rule_key(s, rule as usize),
            team.map(|t| s.teams[t as usize].id.clone()),
            2,
        )),
        _ => None,
    }
}
