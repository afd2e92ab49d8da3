//! Figures of a checked plan beyond pass/fail: team compositions, fit rates by any slice of the
//! placements (overall, post kind, team, rank, group of people), the distribution of fit values
//! and promotions vs lateral moves. Computed once here so that `check`, `solve` and `report`
//! show the same numbers; `evaluate_rules` counts team compositions through [`compositions`].

use std::collections::BTreeMap;

use super::CheckedPlacement;
use crate::eligibility::EPS;
use crate::scenario::{RuleKind, RuleScope, Scenario};

/// Who sits on one team after a plan (or before it, for the empty plan).
#[derive(Debug, Clone, PartialEq)]
pub struct Composition {
    /// Index into `Scenario::teams`.
    pub team: usize,
    /// Members: incumbents, plus candidates whose final team it is (spec, "The plan and its
    /// objective").
    pub size: f64,
    /// Members in each group, indexed like `Scenario::groups`.
    pub in_group: Vec<f64>,
}

/// The team each candidate ends up on: the team of the post they are placed in (their first
/// placement, if a broken plan places them twice), else the team they sit on now, if any.
pub fn final_teams(s: &Scenario, placements: &[CheckedPlacement]) -> Vec<Option<usize>> {
    let mut final_team: Vec<Option<usize>> = s.candidates.iter().map(|c| c.team).collect();
    let mut placed = vec![false; s.candidates.len()];
    for pl in placements {
        if !placed[pl.candidate] {
            placed[pl.candidate] = true;
            final_team[pl.candidate] = Some(s.posts[pl.post].team);
        }
    }
    final_team
}

/// Every team's composition after the placements, in team order. With no placements this is
/// the composition before the plan: incumbents and the candidates who sit on the team.
pub fn compositions(s: &Scenario, placements: &[CheckedPlacement]) -> Vec<Composition> {
    let mut out: Vec<Composition> = s
        .teams
        .iter()
        .enumerate()
        .map(|(t, team)| Composition {
            team: t,
            size: team.members.len() as f64,
            in_group: team.members_in_group.iter().map(|&n| n as f64).collect(),
        })
        .collect();
    for (c, t) in final_teams(s, placements).into_iter().enumerate() {
        let Some(t) = t else { continue };
        out[t].size += 1.0;
        for (g, members) in s.in_group.iter().enumerate() {
            if members[c] {
                out[t].in_group[g] += 1.0;
            }
        }
    }
    out
}

/// What a slice of placements is cut by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slice {
    /// Every placement.
    All,
    /// Posts of one `kind` (`None`: posts without a kind).
    Kind(Option<String>),
    /// Posts of one team (index).
    Team(usize),
    /// Posts of one rank (index).
    Rank(usize),
    /// Placements of people in one group (index), whatever the post.
    Group(usize),
}

impl Slice {
    /// The dimension's name: `overall`, `kind`, `team`, `rank` or `group`.
    pub fn dimension(&self) -> &'static str {
        match self {
            Slice::All => "overall",
            Slice::Kind(_) => "kind",
            Slice::Team(_) => "team",
            Slice::Rank(_) => "rank",
            Slice::Group(_) => "group",
        }
    }

    /// The slice's name in the scenario's terms (team id, rank name, group name...).
    pub fn name(&self, s: &Scenario) -> String {
        match self {
            Slice::All => "all placements".to_string(),
            Slice::Kind(k) => k.clone().unwrap_or_else(|| "(no kind)".to_string()),
            Slice::Team(t) => s.teams[*t].id.clone(),
            Slice::Rank(r) => s.ranks[*r].clone(),
            Slice::Group(g) => s.groups[*g].name.clone(),
        }
    }

    /// The posts a slice of posts covers, ascending; `None` for a group (a slice of people).
    pub fn posts(&self, s: &Scenario) -> Option<Vec<usize>> {
        let keep = |p: usize| {
            let post = &s.posts[p];
            match self {
                Slice::All => true,
                Slice::Kind(k) => &post.kind == k,
                Slice::Team(t) => post.team == *t,
                Slice::Rank(r) => post.rank == *r,
                Slice::Group(_) => false,
            }
        };
        match self {
            Slice::Group(_) => None,
            _ => Some((0..s.posts.len()).filter(|&p| keep(p)).collect()),
        }
    }
}

/// The fit rate of one slice: the share of its placements with fit >= threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct SliceRate {
    pub slice: Slice,
    /// Posts in the slice (0 for a group slice).
    pub posts: usize,
    pub placements: usize,
    pub fitting: usize,
    /// fitting / placements; `None` when there are no placements.
    pub rate: Option<f64>,
    /// The strictest `min` of the fit_rate rules whose scope is exactly this slice's posts.
    pub target: Option<f64>,
}

impl SliceRate {
    /// Whether the slice reaches its target: fitting >= target × placements − 1e-9 (the spec's
    /// rule test). `None` without a target.
    pub fn meets_target(&self) -> Option<bool> {
        self.target
            .map(|t| self.fitting as f64 >= t * self.placements as f64 - EPS)
    }
}

/// The strictest `min` of the fit_rate rules whose placements scope is exactly `posts`
/// (ascending post indices); `None` when no rule targets that set of posts.
pub fn fit_rate_target(s: &Scenario, posts: &[usize]) -> Option<f64> {
    s.rules
        .iter()
        .filter(|r| r.kind == RuleKind::FitRate)
        .filter(|r| matches!(&r.scope, RuleScope::Placements(ps) if ps == posts))
        .filter_map(|r| r.min)
        .max_by(f64::total_cmp)
}

/// Fit rates overall, then by post kind, team, rank (scenario order; kinds sorted) and group.
/// Kinds, teams and ranks without posts are left out; every group is listed.
pub fn slice_rates(s: &Scenario, placements: &[CheckedPlacement]) -> Vec<SliceRate> {
    let mut slices = vec![Slice::All];
    slices.extend(kind_slices(s));
    slices.extend(
        (0..s.teams.len())
            .filter(|&t| s.posts.iter().any(|p| p.team == t))
            .map(Slice::Team),
    );
    slices.extend(
        (0..s.ranks.len())
            .filter(|&r| s.posts.iter().any(|p| p.rank == r))
            .map(Slice::Rank),
    );
    slices.extend((0..s.groups.len()).map(Slice::Group));
    rates_of(s, placements, slices)
}

/// The post kinds of the scenario (sorted; `None` for posts without a kind) as slices.
pub fn kind_slices(s: &Scenario) -> Vec<Slice> {
    let kinds: std::collections::BTreeSet<Option<String>> =
        s.posts.iter().map(|p| p.kind.clone()).collect();
    kinds.into_iter().map(Slice::Kind).collect()
}

/// The fit rate of each given slice, in the order given.
pub fn rates_of(
    s: &Scenario,
    placements: &[CheckedPlacement],
    slices: Vec<Slice>,
) -> Vec<SliceRate> {
    slices
        .into_iter()
        .map(|slice| {
            let posts = slice.posts(s);
            let counted: Vec<&CheckedPlacement> = placements
                .iter()
                .filter(|pl| match (&slice, &posts) {
                    (Slice::Group(g), _) => s.in_group[*g][pl.candidate],
                    (_, Some(ps)) => ps.binary_search(&pl.post).is_ok(),
                    (_, None) => false,
                })
                .collect();
            let fitting = counted.iter().filter(|pl| pl.fits).count();
            SliceRate {
                target: posts.as_deref().and_then(|ps| fit_rate_target(s, ps)),
                posts: posts.as_ref().map_or(0, Vec::len),
                placements: counted.len(),
                fitting,
                rate: (!counted.is_empty()).then(|| fitting as f64 / counted.len() as f64),
                slice,
            }
        })
        .collect()
}

/// Number of histogram bins of [`fit_histogram`].
pub const FIT_BINS: usize = 10;

/// Counts of placements by fit in ten bins [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0]; a fit within
/// 1e-9 below a bin edge counts in the upper bin (the spec's tolerance).
pub fn fit_histogram(placements: &[CheckedPlacement]) -> [usize; FIT_BINS] {
    let mut bins = [0usize; FIT_BINS];
    for pl in placements {
        let b = ((pl.fit.total + EPS) * FIT_BINS as f64).floor();
        bins[(b.max(0.0) as usize).min(FIT_BINS - 1)] += 1;
    }
    bins
}

/// Placements that promote the candidate (post rank above theirs) and lateral moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Moves {
    pub promotions: usize,
    pub lateral: usize,
    /// Placements into a team other than the one the candidate sits on (or any team, for a
    /// candidate without one).
    pub team_changes: usize,
}

/// Promotions, lateral moves and team changes of the placements.
pub fn moves(s: &Scenario, placements: &[CheckedPlacement]) -> Moves {
    let mut m = Moves::default();
    for pl in placements {
        if pl.promotion {
            m.promotions += 1;
        } else {
            m.lateral += 1;
        }
        if s.candidates[pl.candidate].team != Some(s.posts[pl.post].team) {
            m.team_changes += 1;
        }
    }
    m
}

/// Holders of each post by post index: `None` where the plan leaves it empty.
pub fn holders(s: &Scenario, placements: &[CheckedPlacement]) -> Vec<Option<usize>> {
    let mut by_post: BTreeMap<usize, usize> = BTreeMap::new();
    for pl in placements {
        by_post.entry(pl.post).or_insert(pl.candidate);
    }
    (0..s.posts.len())
        .map(|p| by_post.get(&p).copied())
        .collect()
}
