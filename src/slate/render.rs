//! Slates as text: a terminal table per post, and a Markdown document for a decision body (one
//! section per team, a table per post). Pure functions from a [`SlateDocument`] to a string.
//!
//! Values from the input are escaped for where they land: `render::escape` in a terminal line,
//! `render::data` in a cell, `markdown_cell` in Markdown, so a line break in a name never starts
//! a line of its own (README, "Output safety").

use comfy_table::Cell;

use super::{DecidedPost, Entry, Slate, SlateDocument};
use crate::plan::Status;
use crate::render::{data, escape, right, table};
use crate::resolve::Change;

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn changes_text(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "none".into();
    }
    let who = |c: &Option<String>| c.clone().unwrap_or_else(|| "(empty)".into());
    changes
        .iter()
        .map(|c| format!("{}: {} -> {}", c.post, who(&c.from), who(&c.to)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn who(e: &Entry) -> String {
    match &e.name {
        Some(n) => format!("{} ({n})", e.candidate),
        None => e.candidate.clone(),
    }
}

/// Why a slate has no entry: no one is eligible, or every eligible candidate breaks a hard
/// rule when forced in.
fn empty_reason(sl: &Slate) -> String {
    if sl.eligible == 0 {
        "no candidate is eligible for this post (postfit explain --post shows why)".to_string()
    } else {
        "no candidate can be placed here under the hard rules".to_string()
    }
}

/// One line on how the slate was proven: eligible, re-solved, screened, infeasible, complete.
fn proof_line(sl: &Slate) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let eligible = match sl.decided_elsewhere {
        0 => format!("{} eligible", sl.eligible),
        d => format!("{} eligible ({d} decided for another post)", sl.eligible),
    };
    let how = if sl.solves == 0 {
        "no re-solve needed".to_string()
    } else {
        format!(
            "{} settled exactly by {} ({} infeasible if forced), {} proven outside the top by a \
             re-solve's bound without one of their own",
            sl.re_solved,
            plural(sl.solves, "re-solve", "re-solves"),
            sl.infeasible,
            sl.screened,
        )
    };
    format!(
        "{eligible}; {how}; {}",
        if sl.complete {
            "complete"
        } else {
            "INCOMPLETE (time limit): the list may miss better candidates"
        }
    )
}

fn header(doc: &SlateDocument) -> String {
    let mut out = format!("Scenario: {}\n", escape(&doc.scenario));
    match doc.objective {
        Some(z) if doc.status == Status::Feasible => out.push_str(&format!(
            "A plan of objective {z:.6} was found, but the time limit ran out before it was \
             proven optimal: no slates (losses would not be exact).\n"
        )),
        Some(z) => out.push_str(&format!(
            "Optimal plan: {}, objective {z:.6}; top {} per post; {}\n",
            doc.status.as_str().to_uppercase(),
            doc.k,
            if doc.complete {
                "every slate complete"
            } else {
                "some slates incomplete"
            }
        )),
        None => out.push_str(&format!(
            "No plan: {}; no slates.\n",
            doc.status.no_plan_reason()
        )),
    }
    out
}

/// `Decided, so no slate: agri-head (C06 杨军), ...`, or nothing.
fn decided_line(decided: &[DecidedPost], esc: impl Fn(&str) -> String) -> String {
    if decided.is_empty() {
        return String::new();
    }
    let posts: Vec<String> = decided
        .iter()
        .map(|d| {
            let who = match &d.name {
                Some(n) => format!("{} {n}", d.candidate),
                None => d.candidate.clone(),
            };
            format!("{} ({})", esc(&d.post), esc(&who))
        })
        .collect();
    format!("Decided, so no slate (spec 1.1): {}\n", posts.join(", "))
}

/// The terminal text of `postfit slate`: a header, then per post a line and a table.
pub fn render_table(doc: &SlateDocument) -> String {
    let mut out = header(doc);
    out.push_str(&decided_line(&doc.decided, |s| escape(s).into_owned()));
    for sl in &doc.slates {
        out.push('\n');
        let title = sl
            .title
            .as_deref()
            .map_or(String::new(), |t| format!(" ({})", escape(t)));
        out.push_str(&format!(
            "Post {}{title}: team {}, rank {}\n  {}\n",
            escape(&sl.post),
            escape(&sl.team),
            escape(&sl.rank),
            proof_line(sl)
        ));
        if sl.entries.is_empty() {
            out.push_str(&format!("  {}\n", empty_reason(sl)));
            continue;
        }
        let mut t = table(&[
            "#",
            "candidate",
            "fit",
            "specialty",
            "experience",
            "objective",
            "loss",
            "promotion",
            "groups",
            "posts that change hands",
        ]);
        for (n, e) in sl.entries.iter().enumerate() {
            let mut name = who(e);
            if e.holder {
                name.push_str(" *");
            }
            t.add_row(vec![
                right(n + 1),
                data(name),
                right(format!("{:.3}", e.fit)),
                right(format!("{:.3}", e.specialty)),
                right(format!("{:.3}", e.experience)),
                right(format!("{:.6}", e.objective)),
                right(format!("{:.6}", e.loss)),
                Cell::new(yes(e.promotion)),
                data(e.groups.join(", ")),
                data(changes_text(&e.changes)),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    if doc
        .slates
        .iter()
        .any(|sl| sl.entries.iter().any(|e| e.holder))
    {
        out.push_str("\n* holds the post in the optimal plan\n");
    }
    out
}

/// Escapes text for a Markdown table cell.
fn md(s: &str) -> String {
    crate::render::markdown_cell(s)
}

/// The Markdown document of `postfit slate --format markdown`: one section per team (in the
/// order teams first appear among the slates), a table per post.
pub fn render_markdown(doc: &SlateDocument) -> String {
    let mut out = format!("# Candidate slates: {}\n\n", md(&doc.scenario));
    match doc.objective {
        Some(z) if doc.status == Status::Feasible => out.push_str(&format!(
            "A plan of objective {z:.6} was found, but the time limit ran out before it was \
             proven optimal: no slates (losses would not be exact).\n"
        )),
        Some(z) => out.push_str(&format!(
            "Optimal plan: **{}**, objective {z:.6}. For each post, {} whose appointment \
             costs the whole plan least; *loss* is what the plan loses (optimum minus the \
             optimum with that candidate forced in, everything else re-optimised and every hard \
             rule kept). {}\n",
            doc.status.as_str(),
            if doc.k == 1 {
                "the candidate".to_string()
            } else {
                format!("the {} candidates", doc.k)
            },
            if doc.complete {
                "Every slate is complete."
            } else {
                "**Some slates are incomplete (time limit).**"
            }
        )),
        None => out.push_str(&format!(
            "No plan: {}; no slates.\n",
            doc.status.no_plan_reason()
        )),
    }
    let decided = decided_line(&doc.decided, md);
    if !decided.is_empty() {
        out.push('\n');
        out.push_str(&decided);
    }
    let mut teams: Vec<&str> = Vec::new();
    for sl in &doc.slates {
        if !teams.contains(&sl.team.as_str()) {
            teams.push(&sl.team);
        }
    }
    for team in teams {
        out.push_str(&format!("\n## Team {}\n", md(team)));
        for sl in doc.slates.iter().filter(|sl| sl.team == team) {
            let title = sl
                .title
                .as_deref()
                .map_or(String::new(), |t| format!(" — {}", md(t)));
            out.push_str(&format!(
                "\n### Post {}{title} (rank {})\n\n{}.\n\n",
                md(&sl.post),
                md(&sl.rank),
                proof_line(sl)
            ));
            if sl.entries.is_empty() {
                let mut why = empty_reason(sl);
                why[..1].make_ascii_uppercase();
                out.push_str(&format!("{why}.\n"));
                continue;
            }
            out.push_str(
                "| # | candidate | fit | specialty | experience | loss | promotion | groups | posts that change hands |\n\
                 |---|---|---:|---:|---:|---:|---|---|---|\n",
            );
            for (n, e) in sl.entries.iter().enumerate() {
                let mut name = md(&who(e));
                if e.holder {
                    name = format!("**{name}** (optimal plan)");
                }
                out.push_str(&format!(
                    "| {} | {name} | {:.3} | {:.3} | {:.3} | {:.4} | {} | {} | {} |\n",
                    n + 1,
                    e.fit,
                    e.specialty,
                    e.experience,
                    e.loss,
                    yes(e.promotion),
                    md(&e.groups.join(", ")),
                    md(&changes_text(&e.changes)),
                ));
            }
        }
    }
    out
}
