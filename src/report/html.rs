//! The report as one self-contained HTML page: the tables, and inline SVG charts (fit histogram
//! per plan, fit rate by post kind against targets, team compositions before and after against
//! each team rule's bounds, plan against plan). No scripts, fonts, styles or images from
//! anywhere: everything is in the file. Rendered with minijinja from `templates/`.

use minijinja::{context, AutoEscape, Environment};

use super::chart::{bars, histogram, Bars, Chart, BEFORE_COLOUR, PALETTE};
use super::tables::{bound_text, pct, rule_teams, tables};
use super::Report;
use crate::check::{fmt_num, Slice};
use crate::error::Error;
use crate::scenario::{RuleKind, Scenario};

/// Most teams one composition chart shows (the table lists them all).
pub const MAX_TEAMS_PER_CHART: usize = 24;

fn colour(i: usize) -> String {
    PALETTE[i % PALETTE.len()].to_string()
}

/// Every chart of the report, in page order: one fit histogram per plan, fit rate by post
/// kind, one composition chart per team-scope rule, and the plan comparison.
pub fn charts(s: &Scenario, r: &Report) -> Vec<Chart> {
    let mut out = Vec::new();
    for (i, p) in r.plans.iter().enumerate() {
        out.push(histogram(
            &format!("chart-hist-{i}"),
            &format!("Fit distribution: {}", p.label),
            &p.histogram,
            s.fit.threshold,
            &colour(i),
        ));
    }
    out.push(kind_chart(r));
    for rule in 0..s.rules.len() {
        if let Some(c) = composition_chart(s, r, rule) {
            out.push(c);
        }
    }
    out.push(comparison_chart(r));
    out
}

fn series(r: &Report) -> Vec<(String, String)> {
    r.plans
        .iter()
        .enumerate()
        .map(|(i, p)| (p.label.clone(), colour(i)))
        .collect()
}

fn kind_chart(r: &Report) -> Chart {
    let idx: Vec<usize> = r.plans[0]
        .rates
        .iter()
        .enumerate()
        .filter(|(_, sr)| matches!(sr.slice, Slice::All | Slice::Kind(_)))
        .map(|(i, _)| i)
        .collect();
    let first = &r.plans[0].rates;
    bars(&Bars {
        id: "chart-kinds".to_string(),
        title: "Fit rate by post kind".to_string(),
        caption: "Share of placements that fit, per plan; a dark line marks the fit_rate rule's target for those posts (a bar outlined in red misses it).".to_string(),
        rows: idx
            .iter()
            .map(|&i| match &first[i].slice {
                Slice::All => "all posts".to_string(),
                Slice::Kind(k) => k.clone().unwrap_or_else(|| "(no kind)".to_string()),
                _ => String::new(),
            })
            .collect(),
        series: series(r),
        values: idx
            .iter()
            .map(|&i| r.plans.iter().map(|p| p.rates[i].rate).collect())
            .collect(),
        markers: idx
            .iter()
            .map(|&i| {
                first[i]
                    .target
                    .map(|t| vec![(t, format!("target {}", pct(t)))])
                    .unwrap_or_default()
            })
            .collect(),
        lo: 0.0,
        hi: 1.0,
        percent: true,
        marks: idx
            .iter()
            .map(|&i| {
                r.plans
                    .iter()
                    .map(|p| match p.rates[i].meets_target() {
                        Some(false) => "bad",
                        _ => "",
                    })
                    .collect()
            })
            .collect(),
    })
}

/// The chart of one team-scope rule: per team, its value before and after each plan, with the
/// rule's bounds as lines. Teams that no plan changes and that hold comfortably are left out
/// when there are many.
fn composition_chart(s: &Scenario, r: &Report, rule: usize) -> Option<Chart> {
    let teams = rule_teams(s, rule);
    if teams.is_empty() {
        return None;
    }
    let unit = |units: &[crate::check::RuleUnit], t: usize| {
        units
            .iter()
            .find(|u| u.rule == rule && u.team == Some(t))
            .cloned()
    };
    let interesting = |t: usize| {
        let before = unit(&r.before_rules, t);
        r.plans.iter().any(|p| {
            let after = unit(&p.check.rules, t);
            after.as_ref().is_some_and(|u| !u.holds() || u.tight())
                || after.map(|u| u.count) != before.as_ref().map(|u| u.count)
        })
    };
    let mut shown: Vec<usize> = teams.clone();
    let mut note = String::new();
    if shown.len() > MAX_TEAMS_PER_CHART {
        shown.retain(|&t| interesting(t));
        if shown.len() > MAX_TEAMS_PER_CHART {
            // Teams that break or only just meet the rule first, then team order.
            let broken = |t: usize| {
                !r.plans
                    .iter()
                    .any(|p| unit(&p.check.rules, t).is_some_and(|u| !u.holds() || u.tight()))
            };
            shown.sort_by_key(|&t| (broken(t), t));
            shown.truncate(MAX_TEAMS_PER_CHART);
            shown.sort_unstable();
        }
        note = format!(
            " Shown: {} of {} teams in scope (those that break or only just meet the rule in some plan first, then those a plan changes; {} at most); the table lists all.",
            shown.len(),
            teams.len(),
            MAX_TEAMS_PER_CHART
        );
    }
    let ru = &s.rules[rule];
    let count = matches!(ru.kind, RuleKind::Count { .. });
    let value = |u: Option<crate::check::RuleUnit>| u.map(|u| u.value(s));
    let mut series_ = vec![("before".to_string(), BEFORE_COLOUR.to_string())];
    series_.extend(series(r));
    let values: Vec<Vec<Option<f64>>> = shown
        .iter()
        .map(|&t| {
            std::iter::once(value(unit(&r.before_rules, t)))
                .chain(r.plans.iter().map(|p| value(unit(&p.check.rules, t))))
                .collect()
        })
        .collect();
    let bounds: Vec<(f64, String)> = [(ru.min, "min"), (ru.max, "max")]
        .into_iter()
        .filter_map(|(b, w)| b.map(|b| (b, format!("{w} {}", bound_text(s, rule)))))
        .collect();
    let hi = if count {
        values
            .iter()
            .flatten()
            .flatten()
            .copied()
            .chain(bounds.iter().map(|b| b.0))
            .fold(1.0, f64::max)
            .ceil()
            + 1.0
    } else {
        1.0
    };
    let group = match ru.kind {
        RuleKind::Share { group } | RuleKind::Count { group } => s.groups[group].name.clone(),
        RuleKind::FitRate => String::new(),
    };
    Some(bars(&Bars {
        id: format!("chart-rule-{rule}"),
        title: format!("Team composition: {} ({})", ru.label(), bound_text(s, rule)),
        caption: format!(
            "{} of {group} per team before and after each plan; dark lines mark the rule's bounds; a bar outlined in red breaks the rule, dashed only just meets it.{note}",
            if count { "Members" } else { "Share" }
        ),
        rows: shown
            .iter()
            .map(|&t| super::tables::slice_label(s, &Slice::Team(t)))
            .collect(),
        series: series_,
        values,
        markers: shown.iter().map(|_| bounds.clone()).collect(),
        lo: 0.0,
        hi,
        percent: !count,
        marks: shown
            .iter()
            .map(|&t| {
                std::iter::once(unit(&r.before_rules, t))
                    .chain(r.plans.iter().map(|p| unit(&p.check.rules, t)))
                    .map(|u| match u {
                        Some(u) if !u.holds() => "bad",
                        Some(u) if u.tight() => "tight",
                        _ => "",
                    })
                    .collect()
            })
            .collect(),
    }))
}

fn comparison_chart(r: &Report) -> Chart {
    let fit = |p: &super::PlanFigures| p.check.fit_total;
    let obj = |p: &super::PlanFigures| p.check.objective;
    let lo = r.plans.iter().map(obj).fold(0.0, f64::min);
    let hi = r.plans.iter().map(fit).fold(1.0, f64::max);
    bars(&Bars {
        id: "chart-compare".to_string(),
        title: "Plan against plan".to_string(),
        caption: "Total fit and objective (fit minus soft-rule penalties) of each plan."
            .to_string(),
        rows: r.plans.iter().map(|p| p.label.clone()).collect(),
        series: vec![
            ("total fit".to_string(), PALETTE[0].to_string()),
            ("objective".to_string(), PALETTE[2].to_string()),
        ],
        values: r
            .plans
            .iter()
            .map(|p| vec![Some(fit(p)), Some(obj(p))])
            .collect(),
        markers: r.plans.iter().map(|_| Vec::new()).collect(),
        lo,
        hi,
        percent: false,
        marks: Vec::new(),
    })
}

fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("report.html", include_str!("templates/report.html"))?;
    env.add_template("chart.svg", include_str!("templates/chart.svg"))?;
    env.add_template("style.css", include_str!("templates/style.css"))?;
    env.add_template("table.html", include_str!("templates/table.html"))?;
    Ok(env)
}

/// The whole report as one HTML page.
///
/// Errors: only a template error, which is a bug (`Error::Solver` is not used; the caller
/// maps this to an internal error).
pub fn html(s: &Scenario, r: &Report) -> Result<String, Error> {
    let env = environment().map_err(internal)?;
    let charts = charts(s, r);
    let (hists, rest): (Vec<&Chart>, Vec<&Chart>) =
        charts.iter().partition(|c| c.id.starts_with("chart-hist-"));
    let greedy_breaks: Vec<String> = r
        .plans
        .last()
        .map(|g| g.check.violations.iter().map(|v| v.message(s)).collect())
        .unwrap_or_default();
    let tmpl = env.get_template("report.html").map_err(internal)?;
    tmpl.render(context! {
        scenario => &r.scenario,
        threshold => fmt_num(s.fit.threshold),
        plans => r.plans.iter().map(|p| context!{label => &p.label, source => &p.source, violations => p.check.violations.len()}).collect::<Vec<_>>(),
        hists => hists,
        charts => rest,
        tables => tables(s, r),
        greedy_breaks => greedy_breaks,
        version => env!("CARGO_PKG_VERSION"),
    })
    .map_err(internal)
}

fn internal(e: minijinja::Error) -> Error {
    Error::Solver(format!("report template: {e:#}"))
}
