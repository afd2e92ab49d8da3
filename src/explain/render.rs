//! Explanations as text for people: a summary table, then per-post checklists and the changes
//! each forced placement makes. Pure functions from explanations to strings.
//!
//! Every value from the input (ids, names, titles, notes, reasons that quote them) goes through
//! `render::escape` in a line of text and `render::data` in a cell: a line break in a name is
//! `\u{a}`, never a line of its own (README, "Output safety").

use comfy_table::{Cell, Table};

use super::{
    CandidateExplanation, Change, Condition, FitOut, ForcedStatus, Forcing, PostExplanation,
    PostOption,
};
use crate::plan::Status;
use crate::render::{data, escape, right, table};
use crate::scenario::Scenario;

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn fit_words(f: &FitOut) -> String {
    format!(
        "fit {:.3} (specialty {:.3}, experience {:.3}; {} threshold {})",
        f.fit,
        f.specialty,
        f.experience,
        if f.fits { "reaches" } else { "below" },
        f.threshold
    )
}

/// The status line of the scenario's own solve.
fn status_line(status: Status, objective: Option<f64>) -> String {
    match objective {
        Some(z) => format!(
            "Optimal plan: {}, objective {z:.6}\n",
            status.as_str().to_uppercase()
        ),
        None => format!(
            "No plan: {}; eligibility only, no costs.\n",
            status.no_plan_reason()
        ),
    }
}

/// Forced objective, cost and a short note of a re-solve, as three cells.
fn forcing_cells(f: Option<&Forcing>) -> [Cell; 3] {
    match f {
        None => [Cell::new(""), Cell::new(""), Cell::new("")],
        Some(f) => {
            let obj = f.objective.map_or("-".into(), |o| format!("{o:.6}"));
            let cost = match (f.cost, f.cost_at_least) {
                (Some(c), _) => format!("{c:.6}"),
                (None, Some(b)) => format!(">= {b:.6}"),
                (None, None) => "-".into(),
            };
            let note = match f.status {
                ForcedStatus::Infeasible | ForcedStatus::NoSolution => f.message.clone(),
                ForcedStatus::Screened => "bound: not re-solved".into(),
                _ if f.changes.is_empty() => "no change".into(),
                ForcedStatus::Feasible => format!("{} post(s) change; not proven", f.changes.len()),
                ForcedStatus::Optimal => format!("{} post(s) change", f.changes.len()),
            };
            [right(obj), right(cost), data(note)]
        }
    }
}

fn changes_text(changes: &[Change]) -> String {
    let who = |c: &Option<String>| c.clone().unwrap_or_else(|| "(empty)".into());
    changes
        .iter()
        .map(|c| {
            format!(
                "{}: {} -> {}",
                escape(&c.post),
                escape(&who(&c.from)),
                escape(&who(&c.to))
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn checklist_table(conditions: &[Condition]) -> Table {
    let mut t = table(&["condition", "candidate", "needed", "result"]);
    for c in conditions {
        let result = match (c.applies, c.holds) {
            (false, _) => "n/a",
            (true, true) => "ok",
            (true, false) => "FAILS",
        };
        t.add_row(vec![
            data(&c.condition),
            data(&c.value),
            data(&c.needed),
            Cell::new(result),
        ]);
    }
    t
}

/// The text of `explain --candidate`.
pub fn render_candidate(s: &Scenario, e: &CandidateExplanation) -> String {
    let mut out = format!("Scenario: {}\n", escape(&e.scenario));
    let mut who = format!("Candidate {}", escape(&e.candidate));
    if let Some(n) = &e.name {
        who.push_str(&format!(" {}", escape(n)));
    }
    who.push_str(&format!(
        ": rank {}, {} years at rank",
        escape(&e.rank),
        crate::check::fmt_num(e.years_at_rank)
    ));
    if let Some(t) = &e.team {
        who.push_str(&format!(", sits on team {}", escape(t)));
    }
    if !e.available {
        who.push_str(", NOT AVAILABLE");
        if let Some(n) = &e.note {
            who.push_str(&format!(" ({})", escape(n)));
        }
    }
    out.push_str(&who);
    out.push('\n');
    out.push_str(&status_line(e.status, e.objective));
    match &e.placed {
        Some(p) => {
            out.push_str(&format!(
                "Placed in {}: {}{}\n",
                escape(&p.post),
                fit_words(&p.fit),
                if p.promotion { ", a promotion" } else { "" }
            ));
            out.push_str(&format!("Why there: {}.\n", escape(&p.why)));
        }
        None if e.objective.is_some() => out.push_str("Not placed in the optimal plan.\n"),
        None => {}
    }
    if let (Some(d), None) = (&e.decided, &e.placed) {
        out.push_str(&format!("Decided: {}.\n", escape(d)));
    }

    let mut t = table(&[
        "post",
        "team",
        "rank",
        "eligible",
        "fit",
        "spec",
        "exp",
        "fits",
        "holder",
        "forced objective",
        "cost",
        "note",
    ]);
    for p in &e.posts {
        let [obj, cost, note] = forcing_cells(p.forcing.as_ref());
        let note = if p.placed_here {
            Cell::new("placed here")
        } else if let Some(r) = &p.reason {
            data(r)
        } else {
            note
        };
        t.add_row(vec![
            data(&p.post),
            data(&p.team),
            data(&p.rank),
            Cell::new(yes(p.eligible)),
            right(format!("{:.3}", p.fit.fit)),
            right(format!("{:.3}", p.fit.specialty)),
            right(format!("{:.3}", p.fit.experience)),
            Cell::new(yes(p.fit.fits)),
            data(p.holder.as_deref().unwrap_or("")),
            obj,
            cost,
            note,
        ]);
    }
    out.push_str(&format!(
        "Posts ({} of {}):\n{t}\n",
        e.posts.len(),
        s.posts.len()
    ));
    for p in &e.posts {
        out.push_str(&post_details(&e.candidate, p));
    }
    out
}

/// The checklist and forcing of one post, for the candidate's explanation.
fn post_details(candidate: &str, p: &PostOption) -> String {
    let mut out = format!("\n{}", escape(&p.post));
    if let Some(t) = &p.title {
        out.push_str(&format!(" ({})", escape(t)));
    }
    out.push_str(&format!(
        ", team {}, rank {}: ",
        escape(&p.team),
        escape(&p.rank)
    ));
    match &p.reason {
        None => out.push_str("eligible\n"),
        Some(r) => out.push_str(&format!("NOT eligible: {}\n", escape(r))),
    }
    out.push_str(&format!("{}\n", checklist_table(&p.conditions)));
    out.push_str(&format!("  {}\n", fit_words(&p.fit)));
    let candidate = escape(candidate);
    if p.placed_here {
        out.push_str(&format!("  The optimal plan places {candidate} here.\n"));
    } else if let Some(f) = &p.forcing {
        out.push_str(&format!(
            "  Forcing {candidate} here: {}\n",
            forcing_words(f)
        ));
    }
    out
}

fn forcing_words(f: &Forcing) -> String {
    match (f.objective, f.cost) {
        (Some(o), Some(c)) => {
            let mut w = format!("objective {o:.6}, cost {c:.6}");
            if f.status == ForcedStatus::Feasible {
                w.push_str(" (not proven: time limit)");
            }
            if f.changes.is_empty() {
                w.push_str("; nothing else changes");
            } else {
                w.push_str(&format!("; changes {}", changes_text(&f.changes)));
            }
            w
        }
        _ => escape(&f.message).into_owned(),
    }
}

/// The text of `explain --post`.
pub fn render_post(s: &Scenario, e: &PostExplanation) -> String {
    let mut out = format!("Scenario: {}\n", escape(&e.scenario));
    let mut what = format!("Post {}", escape(&e.post));
    if let Some(t) = &e.title {
        what.push_str(&format!(" ({})", escape(t)));
    }
    what.push_str(&format!(
        ": team {}, rank {}",
        escape(&e.team),
        escape(&e.rank)
    ));
    if let Some(k) = &e.kind {
        what.push_str(&format!(", kind {}", escape(k)));
    }
    if e.must_fill {
        what.push_str(", must fill");
    }
    if let Some(g) = &e.open_to {
        what.push_str(&format!(", open to {}", escape(g)));
    }
    out.push_str(&what);
    out.push('\n');
    out.push_str(&status_line(e.status, e.objective));
    match &e.holder {
        Some(h) => out.push_str(&format!(
            "Held by {}{}: {}\n",
            escape(&h.candidate),
            h.name
                .as_deref()
                .map(|n| format!(" {}", escape(n)))
                .unwrap_or_default(),
            fit_words(&h.fit)
        )),
        None if e.objective.is_some() => out.push_str("Left empty in the optimal plan.\n"),
        None => {}
    }
    if let Some(d) = &e.decided {
        out.push_str(&format!("Decided: {}.\n", escape(d)));
    }
    if let Some(f) = &e.empty {
        out.push_str(&format!("Leaving it empty: {}\n", forcing_words(f)));
    } else if e.holder.is_some() && e.must_fill {
        out.push_str("Leaving it empty: not allowed (must fill).\n");
    }

    let mut t = table(&[
        "#",
        "candidate",
        "name",
        "fit",
        "spec",
        "exp",
        "fits",
        "promotion",
        "now in",
        "forced objective",
        "cost",
        "note",
    ]);
    for (i, c) in e.candidates.iter().enumerate() {
        let [obj, cost, note] = forcing_cells(c.forcing.as_ref());
        t.add_row(vec![
            right(i + 1),
            data(&c.candidate),
            data(c.name.as_deref().unwrap_or("")),
            right(format!("{:.3}", c.fit.fit)),
            right(format!("{:.3}", c.fit.specialty)),
            right(format!("{:.3}", c.fit.experience)),
            Cell::new(yes(c.fit.fits)),
            Cell::new(if c.promotion { "yes" } else { "" }),
            data(c.placed_in.as_deref().unwrap_or("")),
            obj,
            cost,
            match (c.holder, c.eligible) {
                (true, true) => Cell::new("holder"),
                (true, false) => Cell::new("holder (decided, not eligible)"),
                (false, _) => note,
            },
        ]);
    }
    let eligible = e.candidates.iter().filter(|c| c.eligible).count();
    out.push_str(&if eligible == e.candidates.len() {
        format!("Eligible candidates ({eligible}), cheapest first:\n{t}\n")
    } else {
        format!(
            "Eligible candidates ({eligible}) and the decided holder, who is not eligible, cheapest first:\n{t}\n"
        )
    });
    for c in &e.candidates {
        if let Some(f) = c.forcing.as_ref().filter(|f| !f.changes.is_empty()) {
            out.push_str(&format!(
                "  If {} held {}: {}\n",
                escape(&c.candidate),
                escape(&e.post),
                changes_text(&f.changes)
            ));
        }
    }
    let total: usize = e.ineligible.values().sum();
    if total > 0 {
        let by = e
            .ineligible
            .iter()
            .map(|(code, n)| format!("{} {n}", escape(code)))
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&format!(
            "Not eligible: {total} of {} candidates ({by})\n",
            s.candidates.len()
        ));
    }
    out
}
