//! Rule evaluation for the checker: team compositions recomputed person by person, then each
//! rule's value, bounds and shortfall per unit (per team for team scope, once for placements).

use super::figures::compositions;
use super::fmt_num;
use super::CheckedPlacement;
use crate::eligibility::EPS;
use crate::scenario::{RuleKind, RuleScope, Scenario};

/// Which bound of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Min,
    Max,
}

impl Bound {
    pub fn word(self) -> &'static str {
        match self {
            Bound::Min => "min",
            Bound::Max => "max",
        }
    }
}

/// One unit of a rule: a team (team scope) or the rule's placements (placements scope).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleUnit {
    /// Index into `Scenario::rules`.
    pub rule: usize,
    /// The team, for team scope.
    pub team: Option<usize>,
    /// Members of the group (share, count) or fitting placements (fit_rate).
    pub count: f64,
    /// The team's size, or the number of placements in scope.
    pub total: f64,
    /// What the min bound needs: `min × total` (share, fit_rate) or `min` (count).
    pub needed: Option<f64>,
    /// What the max bound allows: `max × total` or `max`.
    pub allowed: Option<f64>,
}

impl RuleUnit {
    /// Shortfall of one bound, in people, never below 0.
    pub fn shortfall_of(&self, b: Bound) -> f64 {
        match b {
            Bound::Min => self.needed.map_or(0.0, |n| (n - self.count).max(0.0)),
            Bound::Max => self.allowed.map_or(0.0, |a| (self.count - a).max(0.0)),
        }
    }

    /// Total shortfall over both bounds.
    pub fn shortfall(&self) -> f64 {
        self.shortfall_of(Bound::Min) + self.shortfall_of(Bound::Max)
    }

    /// The unit holds when its shortfall is at most 1e-9.
    pub fn holds(&self) -> bool {
        self.shortfall() <= EPS
    }

    /// Holds, but one fewer (min) or one more (max) counted person would break it.
    pub fn tight(&self) -> bool {
        self.holds()
            && (self.needed.is_some_and(|n| self.count - 1.0 < n - EPS)
                || self.allowed.is_some_and(|a| self.count + 1.0 > a + EPS))
    }

    /// A sentence for a rule unit that falls short (or goes over a max bound), in people: the
    /// shortfall first (spec "rules": `min x size - count` or `min - count`, per team for team
    /// scope, so a share rule can fall short by a fraction of a person), then where the
    /// fraction comes from, e.g.
    /// `rule "CPPCC half non-party" at team J3-cppcc: short by 0.5 (needs 50% of 7 members = 3.5 non-party, has 3)`,
    /// `rule "non-party in every team" at team agri: short by 1 (needs 1 non-party, has 0 of 2 members)`,
    /// `rule "at most 2 young": over by 1 (allows 2 young, has 3 of 5 placements)`.
    pub fn shortfall_sentence(&self, s: &Scenario, b: Bound) -> String {
        let r = &s.rules[self.rule];
        let at = self
            .team
            .map(|t| format!(" at team {}", s.teams[t].id))
            .unwrap_or_default();
        let who = match r.kind {
            RuleKind::Share { group } | RuleKind::Count { group } => s.groups[group].name.clone(),
            RuleKind::FitRate => "fitting".to_string(),
        };
        let among = |n: f64| {
            let noun = match (matches!(r.scope, RuleScope::Teams(_)), n == 1.0) {
                (true, true) => "member",
                (true, false) => "members",
                (false, true) => "placement",
                (false, false) => "placements",
            };
            format!("{} {noun}", fmt_num(n))
        };
        let (dir, verb, bound) = match b {
            Bound::Min => ("short", "needs", r.min.unwrap_or(0.0)),
            Bound::Max => ("over", "allows", r.max.unwrap_or(0.0)),
        };
        let detail = match r.kind {
            RuleKind::Count { .. } => format!(
                "{verb} {} {who}, has {} of {}",
                fmt_num(bound),
                fmt_num(self.count),
                among(self.total)
            ),
            _ => format!(
                "{verb} {}% of {} = {} {who}, has {}",
                fmt_num(bound * 100.0),
                among(self.total),
                fmt_num(bound * self.total),
                fmt_num(self.count)
            ),
        };
        format!(
            "rule \"{}\"{at}: {dir} by {} ({detail})",
            r.label(),
            fmt_num(self.shortfall_of(b))
        )
    }

    /// The achieved value in the rule's own terms: a share/rate for share and fit_rate, a
    /// head count for count.
    pub fn value(&self, s: &Scenario) -> f64 {
        match s.rules[self.rule].kind {
            RuleKind::Count { .. } => self.count,
            _ if self.total == 0.0 => 1.0,
            _ => self.count / self.total,
        }
    }
}

/// Evaluates every rule of the scenario against the placements.
pub fn evaluate_rules(s: &Scenario, placements: &[CheckedPlacement]) -> Vec<RuleUnit> {
    // Team compositions, person by person (shared with the report's figures).
    let comps = compositions(s, placements);
    let size: Vec<f64> = comps.iter().map(|c| c.size).collect();
    let group_count = |g: usize, t: usize| -> f64 { comps[t].in_group[g] };

    let mut units = Vec::new();
    for r in &s.rules {
        let proportional = !matches!(r.kind, RuleKind::Count { .. });
        let bounds = |total: f64| {
            let scale = if proportional { total } else { 1.0 };
            (r.min.map(|m| m * scale), r.max.map(|m| m * scale))
        };
        match &r.scope {
            RuleScope::Teams(teams) => {
                for &t in teams {
                    // Validation rejects team-scope fit_rate rules.
                    let (RuleKind::Share { group: g } | RuleKind::Count { group: g }) = r.kind
                    else {
                        continue;
                    };
                    let (needed, allowed) = bounds(size[t]);
                    units.push(RuleUnit {
                        rule: r.index,
                        team: Some(t),
                        count: group_count(g, t),
                        total: size[t],
                        needed,
                        allowed,
                    });
                }
            }
            RuleScope::Placements(posts) => {
                let in_scope: Vec<&CheckedPlacement> = placements
                    .iter()
                    .filter(|pl| posts.binary_search(&pl.post).is_ok())
                    .collect();
                let count = in_scope
                    .iter()
                    .filter(|pl| match r.kind {
                        RuleKind::Share { group } | RuleKind::Count { group } => {
                            s.in_group[group][pl.candidate]
                        }
                        RuleKind::FitRate => pl.fits,
                    })
                    .count() as f64;
                let total = in_scope.len() as f64;
                let (needed, allowed) = bounds(total);
                units.push(RuleUnit {
                    rule: r.index,
                    team: None,
                    count,
                    total,
                    needed,
                    allowed,
                });
            }
        }
    }
    units
}
