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
//! column at its lower bound. A basis needs as many basic variables as rows: where a tight row
//! of the base is gone (a rule removed), one basic column of that row leaves the basis (one the
//! base plan does not place, else any such column); where a
//! basic column is gone (a candidate withdrawn), the tight row of its post or candidate becomes
//! basic. When the count still does not match, only the column set is carried over (the
//! solver may also refuse a basis, e.g. a singular one: then too). When fewer than half of the
//! base's LP columns carry over, the variant is solved cold.
//!
//! Nothing here changes an answer: the fast path prices every column of the variant's own model
//! from its own duals, so any starting set ends at the same LP optimum and the same proof
//! (`solve::Warm`); only the number of simplex iterations and pricing rounds changes.
//! `POSTFIT_SWEEP_COLD=1` (or [`super::SweepOptions::cold`]) turns warm starts off, for
//! measurements and for the test that compares both.

use std::collections::HashMap;

use crate::eligibility::Pair;
use crate::error::Error;
use crate::model::{ColumnKind, Model, RowKind};
use crate::plan::{solve_scenario_keeping, Kept, Solution};
use crate::resolve::pair_index;
use crate::scenario::Scenario;
use crate::solve::{LpDuals, SolveOptions};

/// Basis status of a basic variable, and of a column at its lower bound, as [`LpDuals::basis`]
/// holds them (the solver's codes).
const BASIC: i32 = 1;
const AT_LOWER: i32 = 0;

/// What identifies a row or a non-pair column across a base and its variants.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Candidate(String),
    Post(String),
    Decided(String),
    /// Rule unit: rule label and kind, team id (team scope), side (0 min, 1 max, 2 shortfall).
    Unit(String, Option<String>, u8),
}

/// The base solve's final LP, keyed by ids: what [`WarmBase::solve`] starts a variant from.
///
/// Built once per sweep from the base's [`Kept`] ([`plan::solve_scenario_keeping`]); holds ids
/// and basis statuses only (about 60 bytes per LP column: 5 MB for the province's 76,000).
///
/// [`plan::solve_scenario_keeping`]: crate::plan::solve_scenario_keeping
pub struct WarmBase {
    /// (candidate id, post id, basis status) of each pair column of the base's final LP.
    pairs: Vec<(String, String, i32)>,
    /// Whether each of `pairs` is a placement of the base plan (at 1 in the LP, when integral).
    placed: Vec<bool>,
    /// Key and basis status of each non-pair column of the base's final LP that has a key.
    others: HashMap<Key, i32>,
    /// Basis status of each keyed row of the base model (`None`: the LP had no basis).
    rows: Option<HashMap<Key, i32>>,
    /// Each keyed row of the base model that was tight (not basic), with the basic LP columns in
    /// it (indices into `pairs`): when the row is gone from a variant, one of them leaves the
    /// basis in its place (see [`WarmBase::carry_over`]).
    tight: Vec<(Key, Vec<usize>)>,
    /// Columns of the base's final LP (the denominator of the carried-over share).
    columns: usize,
}

impl WarmBase {
    /// The base's final LP, if the fast path priced it out (`None` otherwise: solve cold).
    /// `solution` is the base's: its plan tells which basic columns are at 1.
    pub fn new(base: &Scenario, solution: &Solution, kept: &Kept) -> Option<WarmBase> {
        let lp = kept.lp.as_ref()?;
        // (candidate, post) of each placement of the base plan, as model pairs name them.
        let plan: std::collections::HashSet<(u32, u32)> = solution
            .placements()
            .into_iter()
            .map(|(p, c)| (c as u32, p as u32))
            .collect();
        let statuses: Option<&(Vec<i32>, Vec<i32>)> = lp
            .basis
            .as_ref()
            .filter(|(cols, _)| cols.len() == lp.columns.len());
        let mut pairs = Vec::new();
        let mut placed = Vec::new();
        let mut others = HashMap::new();
        for (k, &j) in lp.columns.iter().enumerate() {
            let status = statuses.map_or(0, |(cols, _)| cols[k]);
            let j = j as usize;
            if let Some(p) = kept.pairs.get(j) {
                placed.push(plan.contains(&(p.candidate, p.post)));
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
        // Position in `pairs` of each basic pair column of the LP, by model column.
        let mut basic_at: HashMap<u32, usize> = HashMap::new();
        let mut k = 0;
        for &j in &lp.columns {
            if (j as usize) < kept.pairs.len() {
                if pairs[k].2 == BASIC {
                    basic_at.insert(j, k);
                }
                k += 1;
            }
        }
        let tight = match statuses {
            None => Vec::new(),
            Some((_, rows)) => kept
                .model
                .rows
                .iter()
                .zip(rows)
                .filter(|(_, &st)| st != BASIC)
                .filter_map(|(r, _)| {
                    let key = row_key(base, r.kind)?;
                    let basic: Vec<usize> = r
                        .entries
                        .iter()
                        .filter_map(|(j, _)| basic_at.get(&j).copied())
                        .collect();
                    Some((key, basic))
                })
                .collect(),
        };
        Some(WarmBase {
            pairs,
            placed,
            others,
            rows,
            tight,
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
        // Where each base LP pair column went in `cols` (`None`: not a pair of the variant).
        let mut carried: Vec<Option<usize>> = Vec::with_capacity(self.pairs.len());
        for (c, p, st) in &self.pairs {
            let at = match (candidates.get(c.as_str()), posts.get(p.as_str())) {
                (Some(&c), Some(&p)) => pair_index(pairs, c, p),
                _ => None,
            };
            carried.push(at.map(|i| {
                // Column i of a model is pair i.
                cols.push((i as u32, *st));
                cols.len() - 1
            }));
        }
        for j in pairs.len()..m.columns.len() {
            if let Some(st) = column_key(s, m, j).and_then(|k| self.others.get(&k)) {
                cols.push((j as u32, *st));
            }
        }
        if 2 * cols.len() < self.columns {
            return None;
        }
        let basis = self.rows.as_ref().and_then(|base_rows| {
            let keys: Vec<Option<Key>> = m.rows.iter().map(|r| row_key(s, r.kind)).collect();
            let mut rows: Vec<i32> = keys
                .iter()
                .map(|k| {
                    k.as_ref()
                        .and_then(|k| base_rows.get(k).copied())
                        .unwrap_or(BASIC)
                })
                .collect();
            let basic = cols.iter().filter(|c| c.1 == BASIC).count()
                + rows.iter().filter(|&&st| st == BASIC).count();
            if basic > m.rows.len() {
                // Tight rows are gone (a rule removed): for each, one basic column of it
                // leaves the basis at its lower bound, as the row's slack would have entered;
                // never one the base plan places (at 1, it would move a person for nothing).
                let present: std::collections::HashSet<&Key> = keys.iter().flatten().collect();
                let mut excess = basic - m.rows.len();
                for (key, basic_cols) in &self.tight {
                    if excess == 0 {
                        break;
                    }
                    if present.contains(key) {
                        continue;
                    }
                    let leaving = basic_cols
                        .iter()
                        .filter(|&&k| !self.placed[k])
                        .filter_map(|&k| carried[k])
                        .find(|&at| cols[at].1 == BASIC);
                    if let Some(at) = leaving {
                        cols[at].1 = AT_LOWER;
                        excess -= 1;
                    }
                }
                // Then any basic column the base plan does not place (at 0 when the LP is
                // integral, so the LP point stays where it was).
                for (k, to) in carried.iter().enumerate() {
                    if excess == 0 {
                        break;
                    }
                    if let Some(at) = *to {
                        if !self.placed[k] && cols[at].1 == BASIC {
                            cols[at].1 = AT_LOWER;
                            excess -= 1;
                        }
                    }
                }
            } else if basic < m.rows.len() {
                // Basic pair columns are gone (a candidate withdrawn, a post removed): the
                // rows of their candidate or post, when tight, become basic in their place.
                let mut deficit = m.rows.len() - basic;
                let at_row: HashMap<&Key, usize> = keys
                    .iter()
                    .enumerate()
                    .filter_map(|(i, k)| k.as_ref().map(|k| (k, i)))
                    .collect();
                for ((c, p, st), to) in self.pairs.iter().zip(&carried) {
                    if deficit == 0 {
                        break;
                    }
                    if *st != BASIC || to.is_some() {
                        continue;
                    }
                    let row = [Key::Post(p.clone()), Key::Candidate(c.clone())]
                        .iter()
                        .filter_map(|k| at_row.get(k).copied())
                        .find(|&i| rows[i] != BASIC);
                    if let Some(i) = row {
                        rows[i] = BASIC;
                        deficit -= 1;
                    }
                }
            }
            let basic = cols.iter().filter(|c| c.1 == BASIC).count()
                + rows.iter().filter(|&&st| st == BASIC).count();
            (basic == m.rows.len()).then_some(rows)
        });
        let mut order: Vec<usize> = (0..cols.len()).collect();
        order.sort_unstable_by_key(|&k| cols[k].0);
        let basis = basis.map(|rows| (order.iter().map(|&k| cols[k].1).collect(), rows));
        Some(LpDuals {
            columns: order.iter().map(|&k| cols[k].0).collect(),
            basis,
            ..Default::default()
        })
    }
}

impl WarmBase {
    /// Solves a variant `s` exactly like [`crate::plan::solve_scenario`], starting from the
    /// base's final LP where it carries over (cold otherwise). Same answers, same errors.
    pub fn solve(&self, s: &Scenario, opts: &SolveOptions) -> Result<Solution, Error> {
        Ok(solve_scenario_keeping(s, opts, |pairs, m| self.carry_over(s, pairs, m))?.0)
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
