//! The fit-rate report (`postfit report`): one or more plans of a scenario side by side, with a
//! greedy baseline, as HTML (inline SVG charts), Markdown and CSV.
//!
//! Every figure comes from the checker (`check::check_plan` and `check::figures`): this module
//! only gathers them per plan ([`build`]), lays them out as tables ([`tables`]) and charts
//! ([`chart`]), and renders ([`html`], [`text`]). It never imports the model or the solver.

pub mod chart;
mod greedy;
pub mod html;
pub mod tables;
pub mod text;

pub use greedy::greedy_plan;

use crate::check::{
    check_plan, compositions, evaluate_rules, fit_histogram, holders, moves, slice_rates,
    CheckReport, Composition, Moves, RuleUnit, SliceRate, FIT_BINS,
};
use crate::scenario::Scenario;

/// A plan to report: its label, where it came from, and its placements.
#[derive(Debug, Clone)]
pub struct PlanSpec {
    /// Short name shown as the plan's column header, unique within a report.
    pub label: String,
    /// Where the plan came from, e.g. `solve: optimal`, `file plan.json`, `greedy baseline`.
    pub source: String,
    /// (post, candidate) index pairs, in any order.
    pub placements: Vec<(usize, usize)>,
}

/// Every figure of one plan, from the checker.
#[derive(Debug, Clone)]
pub struct PlanFigures {
    pub label: String,
    pub source: String,
    /// The checker's report: placements, violations, rule units, objective.
    pub check: CheckReport,
    /// Fit rates overall, by kind, team, rank and group, with targets.
    pub rates: Vec<SliceRate>,
    /// Placements by fit in ten bins of 0.1.
    pub histogram: [usize; FIT_BINS],
    /// Team compositions after the plan, in team order.
    pub after: Vec<Composition>,
    pub moves: Moves,
    /// Holder of each post (candidate index), `None` where empty.
    pub holders: Vec<Option<usize>>,
}

impl PlanFigures {
    /// The plan's overall fit rate slice.
    pub fn overall(&self) -> &SliceRate {
        &self.rates[0]
    }
}

/// A whole report: the scenario's teams before any plan, and each plan's figures.
#[derive(Debug, Clone)]
pub struct Report {
    pub scenario: String,
    /// Compositions before the plans: incumbents and the candidates who sit on each team.
    pub before: Vec<Composition>,
    /// Team-scope rule units before the plans (placement-scope units have no "before").
    pub before_rules: Vec<RuleUnit>,
    pub plans: Vec<PlanFigures>,
}

/// The label of the greedy baseline plan.
pub const GREEDY_LABEL: &str = "greedy";

/// Gathers the figures of each plan, then of the greedy baseline (appended last, labelled
/// [`GREEDY_LABEL`]).
pub fn build(s: &Scenario, plans: Vec<PlanSpec>) -> Report {
    let mut specs = plans;
    specs.push(PlanSpec {
        label: GREEDY_LABEL.to_string(),
        source: "greedy baseline: highest fit first, rules ignored".to_string(),
        placements: greedy_plan(s),
    });
    let plans = specs.into_iter().map(|spec| figures(s, spec)).collect();
    Report {
        scenario: s.name.clone(),
        before: compositions(s, &[]),
        before_rules: evaluate_rules(s, &[])
            .into_iter()
            .filter(|u| u.team.is_some())
            .collect(),
        plans,
    }
}

/// The figures of one plan.
pub fn figures(s: &Scenario, spec: PlanSpec) -> PlanFigures {
    let check = check_plan(s, &spec.placements);
    PlanFigures {
        rates: slice_rates(s, &check.placements),
        histogram: fit_histogram(&check.placements),
        after: compositions(s, &check.placements),
        moves: moves(s, &check.placements),
        holders: holders(s, &check.placements),
        label: spec.label,
        source: spec.source,
        check,
    }
}

/// Posts whose holder differs between at least two plans (post indices, ascending).
pub fn differing_posts(report: &Report) -> Vec<usize> {
    let Some(first) = report.plans.first() else {
        return Vec::new();
    };
    (0..first.holders.len())
        .filter(|&p| {
            report
                .plans
                .iter()
                .any(|f| f.holders[p] != first.holders[p])
        })
        .collect()
}
