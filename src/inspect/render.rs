//! The supply check as text: a table of posts, the posts nobody can take, the candidates eligible
//! for nothing (by reason, then one by one), and the impossibilities. Nothing here decides anything.

use comfy_table::Cell;

use super::SupplyReport;
use crate::render::{data, escape, right, table};
use crate::scenario::{RuleKind, Scenario};

/// The groups some share or count rule counts, in group order, and whether any fit_rate rule
/// exists: the optional columns of the post table.
fn columns(s: &Scenario) -> (Vec<String>, bool) {
    let mut used = vec![false; s.groups.len()];
    let mut fit_rate = false;
    for r in &s.rules {
        match r.kind {
            RuleKind::Share { group } | RuleKind::Count { group } => used[group] = true,
            RuleKind::FitRate => fit_rate = true,
        }
    }
    let groups = s
        .groups
        .iter()
        .zip(used)
        .filter(|(_, u)| *u)
        .map(|(g, _)| g.name.clone())
        .collect();
    (groups, fit_rate)
}

fn posts_table(s: &Scenario, r: &SupplyReport) -> String {
    let (groups, fit_rate) = columns(s);
    let mut header: Vec<String> = ["post", "team", "rank", "must fill", "eligible"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    header.extend(groups.iter().cloned());
    if fit_rate {
        header.push("would fit".to_string());
    }
    let mut t = table(&header);
    for p in &r.posts {
        let mut row = vec![
            data(&p.post),
            data(&p.team),
            data(&p.rank),
            Cell::new(if p.must_fill { "yes" } else { "" }),
            right(p.eligible),
        ];
        for g in &groups {
            // Blank where no rule counts this group for this post.
            row.push(right(
                p.groups
                    .iter()
                    .find(|x| &x.group == g)
                    .map_or(String::new(), |x| x.eligible.to_string()),
            ));
        }
        if fit_rate {
            row.push(right(p.fitting.map_or(String::new(), |n| n.to_string())));
        }
        t.add_row(row);
    }
    let note = if groups.is_empty() && !fit_rate {
        String::new()
    } else {
        " (group and fit columns: how many of the eligible, where a rule counts them)".to_string()
    };
    format!("Eligible candidates per post{note}:\n{t}\n")
}

fn idle_tables(r: &SupplyReport) -> String {
    let mut out = format!(
        "Candidates eligible for no post ({}), by the reason that blocks them for the most posts:\n",
        r.idle_candidates.len()
    );
    let mut t = table(&["reason".to_string(), "candidates".to_string()]);
    for rc in r.idle_by_reason.iter().filter(|rc| rc.count > 0) {
        t.add_row(vec![data(&rc.reason), right(rc.count)]);
    }
    out.push_str(&format!("{t}\n"));
    let mut t =
        table(&["candidate", "name", "reason", "posts", "e.g. post", "why"].map(|h| h.to_string()));
    for c in &r.idle_candidates {
        t.add_row(vec![
            data(&c.candidate),
            data(c.name.as_deref().unwrap_or("")),
            data(&c.reason),
            right(c.blocked_posts),
            data(&c.example_post),
            data(&c.why),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    out
}

/// The text of `postfit inspect`.
pub fn render_text(s: &Scenario, r: &SupplyReport) -> String {
    // Every value from the input in a line of text is escaped (`render::escape`): a line break
    // in a name must not start a line of its own (README, "Output safety").
    let mut out = format!("Scenario: {}\n", escape(&r.scenario));
    if !r.posts.is_empty() {
        out.push_str(&posts_table(s, r));
    }
    // Decided posts count their decided candidate only, eligible or not: say which.
    let decided: Vec<String> = r
        .posts
        .iter()
        .filter_map(|p| {
            let d = p.decided.as_ref()?;
            Some(format!(
                "{} -> {}{}",
                escape(&d.candidate),
                escape(&p.post),
                if d.eligible {
                    ""
                } else {
                    " (not eligible: an exceptional appointment)"
                }
            ))
        })
        .collect();
    if !decided.is_empty() {
        out.push_str(&format!(
            "Decided posts ({}; every plan holds them, and each counts only its decided candidate): {}\n",
            decided.len(),
            decided.join(", ")
        ));
    }
    if r.unstaffable_posts.is_empty() {
        out.push_str("Every post has at least one eligible candidate.\n");
    } else {
        let ids: Vec<String> = r
            .posts
            .iter()
            .filter(|p| p.eligible == 0)
            .map(|p| {
                if p.must_fill {
                    format!("{} (must fill)", escape(&p.post))
                } else {
                    escape(&p.post).into_owned()
                }
            })
            .collect();
        out.push_str(&format!(
            "Posts no one can take ({}): {}\n",
            ids.len(),
            ids.join(", ")
        ));
    }
    if r.idle_candidates.is_empty() {
        if !r.posts.is_empty() {
            out.push_str("Every candidate is eligible for at least one post.\n");
        }
    } else {
        out.push_str(&idle_tables(r));
    }
    if r.impossibilities.is_empty() {
        out.push_str(
            "Nothing is impossible on its face (the solver may still find that the rules cannot all hold together).\n",
        );
    } else {
        out.push_str(&format!(
            "Impossible on its face ({}): no plan can meet these, whatever the solver does:\n",
            r.impossibilities.len()
        ));
        for i in &r.impossibilities {
            out.push_str(&format!("  - {}\n", escape(&i.message)));
        }
    }
    if !r.soft_shortfalls.is_empty() {
        out.push_str(&format!(
            "Soft rules every plan falls short of ({}):\n",
            r.soft_shortfalls.len()
        ));
        for i in &r.soft_shortfalls {
            out.push_str(&format!("  - {}\n", escape(&i.message)));
        }
    }
    let t = &r.totals;
    out.push_str(&format!(
        "{} posts ({} must fill), {} candidates ({} available), {} eligible pairs; {} posts no one can take, {} candidates eligible for nothing; {} impossible ({} certain soft shortfalls)\n",
        t.posts,
        t.must_fill_posts,
        t.candidates,
        t.available_candidates,
        t.eligible_pairs,
        t.unstaffable_posts,
        t.idle_candidates,
        t.impossibilities,
        t.soft_shortfalls,
    ));
    out
}
