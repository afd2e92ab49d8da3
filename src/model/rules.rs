//! Rule rows of the model: team-scope rules over team compositions, placement-scope rules over
//! placements. A soft rule gets a shortfall column per bound and unit.
//!
//! Team composition as a linear expression: for team T, a fixed part (incumbents and candidates
//! who sit on T) plus, per pair, +1 if placing it brings a candidate into T from elsewhere and −1
//! if it takes a candidate of T to another team's post.

use super::{ColumnKind, Model, RowKind};
use crate::eligibility::{fits, Pair};
use crate::scenario::{Rule, RuleKind, RuleScope, Scenario};

/// Pair moves per team: (pair index, +1 joins / −1 leaves). The sign is a byte, not an `f64`:
/// national-hard has 50 M moves, and the list lives only while the team rules are built.
fn team_moves(s: &Scenario, pairs: &[Pair]) -> Vec<Vec<(u32, i8)>> {
    let mut moves: Vec<Vec<(u32, i8)>> = vec![Vec::new(); s.teams.len()];
    for (i, p) in pairs.iter().enumerate() {
        let to = s.posts[p.post as usize].team;
        let from = s.candidates[p.candidate as usize].team;
        if from != Some(to) {
            moves[to].push((i as u32, 1));
            if let Some(f) = from {
                moves[f].push((i as u32, -1));
            }
        }
    }
    moves
}

/// One row per bound of a rule unit: `lower <= expr (+/- shortfall) <= upper`, with a shortfall
/// column when the rule is soft. `expr_min`/`expr_max` are the pair coefficients of
/// (count − needed) and (count − allowed); `rhs_*` the constants moved to the right.
fn add_bounds(
    m: &mut Model,
    relax: bool,
    r: &Rule,
    team: Option<usize>,
    min: Option<(Vec<(u32, f64)>, f64)>,
    max: Option<(Vec<(u32, f64)>, f64)>,
) {
    // One shortfall column per unit covers both bounds: they cannot both fall short. Its upper
    // bound is the largest shortfall any plan could have, so every column stays bounded (the
    // fast path's Lagrangian bounds need that).
    let worst_min = min.as_ref().map_or(0.0, |(e, rhs)| {
        rhs - e.iter().map(|&(_, a)| a.min(0.0)).sum::<f64>()
    });
    let worst_max = max.as_ref().map_or(0.0, |(e, rhs)| {
        e.iter().map(|&(_, a)| a.max(0.0)).sum::<f64>() - rhs
    });
    let upper = worst_min.max(worst_max).max(0.0) + 1e-6;
    let (rule, team_id) = (r.index as u32, team.map(|t| t as u32));
    if let Some(w) = r.penalty {
        if let Some(short) = constant_shortfall(&min, &max) {
            // No placement changes this unit: its penalty is part of the constant C, not a
            // column (spec 1.1, "Optimality tolerance").
            m.constant -= w * short;
            return;
        }
    }
    let shortfall = match (r.penalty, relax) {
        (Some(w), _) => Some(m.add_column(
            ColumnKind::Shortfall {
                rule,
                team: team_id,
            },
            -w,
            upper,
            false,
        )),
        (None, true) => Some(m.add_column(
            ColumnKind::Relaxed {
                rule,
                team: team_id,
            },
            0.0,
            upper,
            false,
        )),
        (None, false) => None,
    };
    if let Some((mut entries, rhs)) = min {
        if let Some(sc) = shortfall {
            entries.push((sc, 1.0));
        }
        m.add_row(
            RowKind::RuleMin {
                rule: r.index,
                team,
            },
            rhs,
            f64::INFINITY,
            entries,
        );
    }
    if let Some((mut entries, rhs)) = max {
        if let Some(sc) = shortfall {
            entries.push((sc, -1.0));
        }
        m.add_row(
            RowKind::RuleMax {
                rule: r.index,
                team,
            },
            f64::NEG_INFINITY,
            rhs,
            entries,
        );
    }
}

/// One bound of a unit: pair coefficients and right-hand side.
type Bound = Option<(Vec<(u32, f64)>, f64)>;

/// The shortfall of a unit that no placement can change (every pair coefficient of both bounds
/// is zero), `None` when some placement changes it. Rows read `expr + s >= rhs` (min) and
/// `expr - s <= rhs` (max), so with `expr = 0` the shortfall is `max(0, rhs_min, -rhs_max)`.
fn constant_shortfall(min: &Bound, max: &Bound) -> Option<f64> {
    let fixed = |b: &Bound| {
        b.as_ref()
            .is_none_or(|(e, _)| e.iter().all(|&(_, a)| a == 0.0))
    };
    if !(fixed(min) && fixed(max)) {
        return None;
    }
    let from_min = min.as_ref().map_or(0.0, |(_, rhs)| *rhs);
    let from_max = max.as_ref().map_or(0.0, |(_, rhs)| -*rhs);
    Some(from_min.max(from_max).max(0.0))
}

/// Share and count rules over team compositions, one unit per team in scope.
pub(super) fn add_team_rules(m: &mut Model, s: &Scenario, pairs: &[Pair], relax: bool) {
    let moves = team_moves(s, pairs);
    // Fixed part of each team: incumbents plus candidates who sit on it.
    let mut base_size: Vec<f64> = s.teams.iter().map(|t| t.members.len() as f64).collect();
    let mut sitting: Vec<Vec<usize>> = vec![Vec::new(); s.teams.len()];
    for (c, cand) in s.candidates.iter().enumerate() {
        if let Some(t) = cand.team {
            base_size[t] += 1.0;
            sitting[t].push(c);
        }
    }
    for r in &s.rules {
        let RuleScope::Teams(teams) = &r.scope else {
            continue;
        };
        let (g, proportional) = match r.kind {
            RuleKind::Share { group } => (group, true),
            RuleKind::Count { group } => (group, false),
            RuleKind::FitRate => continue,
        };
        for &t in teams {
            let base_count = s.teams[t].members_in_group[g] as f64
                + sitting[t].iter().filter(|&&c| s.in_group[g][c]).count() as f64;
            // count − bound·size as pair coefficients, and its constant part.
            let side = |bound: f64| {
                let (scale_size, bound_const) = if proportional {
                    (bound, bound * base_size[t])
                } else {
                    (0.0, bound)
                };
                let entries: Vec<(u32, f64)> = moves[t]
                    .iter()
                    .map(|&(i, sign)| {
                        let c = pairs[i as usize].candidate as usize;
                        let in_g = if s.in_group[g][c] { 1.0 } else { 0.0 };
                        (i, f64::from(sign) * (in_g - scale_size))
                    })
                    .collect();
                (entries, bound_const - base_count)
            };
            add_bounds(m, relax, r, Some(t), r.min.map(side), r.max.map(side));
        }
    }
}

/// Share, count and fit-rate rules over the placements into the posts in scope.
pub(super) fn add_placement_rules(m: &mut Model, s: &Scenario, pairs: &[Pair], relax: bool) {
    for r in &s.rules {
        let RuleScope::Placements(posts) = &r.scope else {
            continue;
        };
        let mut in_scope = vec![false; s.posts.len()];
        for &p in posts {
            in_scope[p] = true;
        }
        let counted = |p: &Pair| match r.kind {
            RuleKind::Share { group } | RuleKind::Count { group } => {
                s.in_group[group][p.candidate as usize]
            }
            RuleKind::FitRate => fits(&s.fit, p.fit),
        };
        let proportional = !matches!(r.kind, RuleKind::Count { .. });
        let side = |bound: f64| {
            let per_placement = if proportional { bound } else { 0.0 };
            let entries: Vec<(u32, f64)> = pairs
                .iter()
                .enumerate()
                .filter(|(_, p)| in_scope[p.post as usize])
                .map(|(i, p)| {
                    let one = if counted(p) { 1.0 } else { 0.0 };
                    (i as u32, one - per_placement)
                })
                .collect();
            let rhs = if proportional { 0.0 } else { bound };
            (entries, rhs)
        };
        add_bounds(m, relax, r, None, r.min.map(side), r.max.map(side));
    }
}
