//! Impossibilities on the face of a scenario: necessary conditions that every plan meets, checked
//! without a solver. Each reported failure is a proof that no plan exists, never a guess.
//!
//! Notation for team T: `M` incumbents (`M_g` in group g), `S` candidates sitting on T (`S_g` in
//! g), `P` its posts. In any plan, let `a`/`b` be the sitters in g / outside g placed in other
//! teams' posts (they leave), `x`/`y` the candidates from elsewhere in g / outside g placed in T's
//! posts (they join). Then `count = M_g + S_g − a + x` and `size = M + S − a − b + x + y`. Each of
//! a, b, x, y is at most a maximum bipartite matching between the people and posts concerned
//! (distinct people in distinct posts), so:
//!
//! - team count min: `count <= M_g + S_g + X` (X: matching of T's posts with eligible group
//!   members from elsewhere);
//! - team count max: `count >= M_g + S_g − A` (A: matching of T's sitters in g with other teams'
//!   posts; incumbents never leave);
//! - team share min: `count − min·size = [M_g + S_g − min(M+S)] − (1−min)a + min·b + (1−min)x −
//!   min·y <= [..] + (1−min)X + min·B` (B: matching of T's sitters outside g with other teams'
//!   posts), since 0 <= min <= 1 fixes every coefficient's sign;
//! - team share max: `count − max·size >= [M_g + S_g − max(M+S)] − (1−max)A − max·Y` (Y: matching
//!   of T's posts with eligible people from elsewhere outside g).
//!
//! Placements scope (posts in scope `Q`, must-fill posts among them `F`; "counted" = a group
//! member for share/count, a fitting pair for fit_rate): every plan fills all of F, and counted
//! placements are at most `X` (matching of Q over counted pairs); among F, counted ones are at
//! most `X_F` and uncounted ones at most `Y_F` (matchings of F), uncounted in all at most `Y`:
//!
//! - count min: `count <= X`; count max: `count >= |F| − Y_F`;
//! - share/fit_rate min: `count − min·n = (1−min)·count − min·uncounted <= (1−min)X −
//!   min(|F| − X_F)`; max: `count − max·n >= (1−max)(|F| − Y_F) − max·Y`.
//!
//! Must-fill posts nobody can take are left out of F here (that only weakens the bounds): they
//! are reported once, on their own, not again through every rule that counts them.
//!
//! Must-fill posts: one with no eligible candidate, or (Hall's condition) a set of must-fill posts
//! with fewer distinct eligible candidates than posts (found from a maximum matching).
//!
//! A bound counts as a proof only when it misses by more than 1e-6 (rules hold within 1e-9), so
//! rounding can never raise a false alarm.

use rayon::prelude::*;

use super::matching::{hall_violator, max_matching};
use super::{Impossibility, ImpossibilityKind, Supply, REASONS};
use crate::check::fmt_num;
use crate::eligibility::{eligibility, fits};
use crate::scenario::{Rule, RuleKind, RuleScope};

/// A bound must miss by more than this to count as a proof.
const MARGIN: f64 = 1e-6;

/// `1 post`, `2 posts`: a number with the singular or plural phrase.
fn count_of(n: f64, one: &str, many: &str) -> String {
    let word = if (n - 1.0).abs() < 1e-9 { one } else { many };
    format!("{} {word}", fmt_num(n))
}

fn plural(n: f64, word: &str) -> String {
    count_of(n, word, &format!("{word}s"))
}

/// `3 women`, `1 non-party`: a number of a group's people, the group's name as the noun, as the
/// spec ("people in group") and `RuleUnit::shortfall_sentence` ("needs 7 women, has 6 of 12
/// members") word them; the role (member, candidate, placement) is said apart, never glued to
/// the name ("1 women candidate").
fn people_of(n: f64, group: &str) -> String {
    format!("{} {group}", fmt_num(n))
}

fn pct(x: f64) -> String {
    format!("{}%", fmt_num((x * 100.0 * 1e6).round() / 1e6))
}

/// Up to eight ids, then how many more.
fn list(ids: &[&str]) -> String {
    if ids.len() <= 8 {
        ids.join(", ")
    } else {
        format!("{} and {} more", ids[..8].join(", "), ids.len() - 8)
    }
}

/// The end of every rule sentence: why it is a proof, and what it costs.
fn conclude(r: &Rule, shortfall: f64) -> String {
    match r.penalty {
        None => format!(
            ", so no plan can meet it (every plan is short by at least {})",
            fmt_num(shortfall)
        ),
        Some(w) => format!(
            "; the rule is soft (penalty {}): every plan falls short by at least {}, costing at least {}",
            fmt_num(w),
            fmt_num(shortfall),
            fmt_num(w * shortfall)
        ),
    }
}

/// Every impossibility: (hard ones and must-fill posts, soft rules' certain shortfalls).
pub(super) fn impossibilities(sup: &Supply) -> (Vec<Impossibility>, Vec<Impossibility>) {
    let mut hard = must_fill(sup);
    let mut soft = Vec::new();
    for r in &sup.s.rules {
        let found = match &r.scope {
            RuleScope::Teams(ts) => {
                let per_team: Vec<Vec<Impossibility>> =
                    ts.par_iter().map(|&t| team_unit(sup, r, t)).collect();
                per_team.into_iter().flatten().collect()
            }
            RuleScope::Placements(ps) => placements_unit(sup, r, ps),
        };
        if r.penalty.is_some() {
            soft.extend(found);
        } else {
            hard.extend(found);
        }
    }
    (hard, soft)
}

fn must_fill(sup: &Supply) -> Vec<Impossibility> {
    let s = sup.s;
    let mut out = Vec::new();
    let mut with_supply = Vec::new();
    for (p, post) in s.posts.iter().enumerate() {
        if !post.must_fill {
            continue;
        }
        if sup.post_supply(p) > 0 {
            with_supply.push(p);
            continue;
        }
        let mut counts = [0usize; REASONS.len()];
        for c in 0..s.candidates.len() {
            if let Err(why) = eligibility(s, c, p) {
                if let Some(i) = REASONS.iter().position(|&r| r == why.code()) {
                    counts[i] += 1;
                }
            }
        }
        let reasons: Vec<String> = (0..REASONS.len())
            .filter(|&i| counts[i] > 0)
            .map(|i| format!("{} {}", counts[i], REASONS[i]))
            .collect();
        let why = if reasons.is_empty() {
            "there are no candidates".to_string()
        } else {
            format!(
                "candidates by first failing condition: {}",
                reasons.join(", ")
            )
        };
        out.push(Impossibility {
            kind: ImpossibilityKind::MustFillNoCandidate,
            rule: None,
            name: None,
            team: Some(s.teams[post.team].id.clone()),
            posts: vec![post.id.clone()],
            shortfall: 1.0,
            message: format!(
                "must-fill post {} ({}, team {}): no candidate is eligible ({why}), so no plan can fill it",
                post.id, s.ranks[post.rank], s.teams[post.team].id
            ),
        });
    }
    let adj: Vec<Vec<u32>> = with_supply
        .iter()
        .map(|&p| sup.of_post(p).map(|x| x.candidate).collect())
        .collect();
    let m = max_matching(&adj, s.candidates.len());
    if m.size < adj.len() {
        let (set, people) = hall_violator(&adj, &m);
        let posts: Vec<&str> = set
            .iter()
            .map(|&i| s.posts[with_supply[i]].id.as_str())
            .collect();
        let people: Vec<&str> = people
            .iter()
            .map(|&c| s.candidates[c].id.as_str())
            .collect();
        let short = posts.len() - people.len();
        out.push(Impossibility {
            kind: ImpossibilityKind::MustFillTooFewCandidates,
            rule: None,
            name: None,
            team: None,
            posts: posts.iter().map(|p| p.to_string()).collect(),
            shortfall: short as f64,
            message: format!(
                "{} must-fill posts ({}) can only be taken by {} ({}), so no plan can fill them all (at least {} stays empty)",
                posts.len(),
                list(&posts),
                plural(people.len() as f64, "distinct candidate"),
                list(&people),
                short
            ),
        });
    }
    out
}

/// The necessary conditions of one team of a team-scope share or count rule.
fn team_unit(sup: &Supply, r: &Rule, t: usize) -> Vec<Impossibility> {
    let s = sup.s;
    let (g, share) = match r.kind {
        RuleKind::Share { group } => (group, true),
        RuleKind::Count { group } => (group, false),
        RuleKind::FitRate => return Vec::new(),
    };
    let gname = &s.groups[g].name;
    let team = &s.teams[t];
    let posts = &sup.team_posts[t];
    let m = team.members.len() as f64;
    let m_g = team.members_in_group[g] as f64;
    let sitters = &sup.sitting[t];
    let s_all = sitters.len() as f64;
    let s_g = sitters.iter().filter(|&&c| s.in_group[g][c]).count() as f64;
    // Who can join T from elsewhere (in g or not): matching size and distinct people.
    let join = |in_g: bool| {
        let adj: Vec<Vec<u32>> = posts
            .iter()
            .map(|&p| {
                sup.of_post(p)
                    .map(|x| x.candidate)
                    .filter(|&c| {
                        let c = c as usize;
                        s.candidates[c].team != Some(t) && s.in_group[g][c] == in_g
                    })
                    .collect()
            })
            .collect();
        matching_and_people(&adj, s.candidates.len())
    };
    // How many sitters (in g or not) can leave T for other teams' posts at once.
    let leave = |in_g: bool| {
        let adj: Vec<Vec<u32>> = sitters
            .iter()
            .filter(|&&c| s.in_group[g][c] == in_g)
            .map(|&c| {
                sup.of_candidate(c)
                    .iter()
                    .map(|x| x.post)
                    .filter(|&p| s.posts[p as usize].team != t)
                    .collect()
            })
            .collect();
        max_matching(&adj, s.posts.len()).size as f64
    };
    let head = format!("rule \"{}\" at team {}", r.label(), team.id);
    let via = |n: f64, people: usize| {
        format!(
            "at most {} more through its {} ({} eligible from elsewhere)",
            fmt_num(n),
            plural(posts.len() as f64, "post"),
            people_of(people as f64, gname),
        )
    };
    let unit = |kind, shortfall: f64, message: String| Impossibility {
        kind,
        rule: Some(r.index),
        name: Some(r.label()),
        team: Some(team.id.clone()),
        posts: posts.iter().map(|&p| s.posts[p].id.clone()).collect(),
        shortfall,
        message: format!("{message}{}", conclude(r, shortfall)),
    };
    let mut out = Vec::new();
    if let Some(lo) = r.min {
        let (x, people) = join(true);
        let best_count = m_g + s_g + x;
        if !share && best_count < lo - MARGIN {
            out.push(unit(
                ImpossibilityKind::TeamMin,
                lo - best_count,
                format!(
                    "{head}: needs at least {} among its members, at most {} possible ({} among the incumbents, {} among the candidates sitting on it, {})",
                    people_of(lo, gname),
                    fmt_num(best_count),
                    people_of(m_g, gname),
                    people_of(s_g, gname),
                    via(x, people),
                ),
            ));
        }
        if share && lo > 0.0 {
            let b = leave(false);
            let best = m_g + s_g - lo * (m + s_all) + (1.0 - lo) * x + lo * b;
            if best < -MARGIN {
                let size = m + s_all - b + x;
                let moved = if b > 0.0 {
                    format!(
                        ", and {} outside {gname} sitting on it moved to other teams",
                        plural(b, "candidate")
                    )
                } else {
                    String::new()
                };
                out.push(unit(
                    ImpossibilityKind::TeamMin,
                    -best,
                    format!(
                        "{head}: needs at least {} {gname} among its members, at best {} of {} (needs {}): {} of {} incumbents, {} of {} candidates sitting on it, {}{moved}",
                        pct(lo),
                        fmt_num(best_count),
                        fmt_num(size),
                        fmt_num(lo * size),
                        fmt_num(m_g),
                        fmt_num(m),
                        fmt_num(s_g),
                        fmt_num(s_all),
                        via(x, people),
                    ),
                ));
            }
        }
    }
    if let Some(hi) = r.max {
        let a = leave(true);
        let worst_count = m_g + s_g - a;
        let stay = format!(
            "{} among the incumbents (who never leave); {} among the candidates sitting on it, at most {} of whom can move to other teams' posts",
            people_of(m_g, gname),
            people_of(s_g, gname),
            fmt_num(a)
        );
        if !share && worst_count > hi + MARGIN {
            out.push(unit(
                ImpossibilityKind::TeamMax,
                worst_count - hi,
                format!(
                    "{head}: allows at most {} among its members, at least {} remain in every plan: {stay}",
                    people_of(hi, gname),
                    fmt_num(worst_count),
                ),
            ));
        }
        if share {
            let (y, people) = join(false);
            let worst = m_g + s_g - hi * (m + s_all) - (1.0 - hi) * a - hi * y;
            if worst > MARGIN {
                let size = m + s_all - a + y;
                out.push(unit(
                    ImpossibilityKind::TeamMax,
                    worst,
                    format!(
                        "{head}: allows at most {} {gname} among its members, at best {} of {} (allows {}): {stay}; at most {} outside {gname} can join through its {} ({} from elsewhere)",
                        pct(hi),
                        fmt_num(worst_count),
                        fmt_num(size),
                        fmt_num(hi * size),
                        plural(y, "person").replace("persons", "people"),
                        plural(posts.len() as f64, "post"),
                        plural(people as f64, "eligible candidate"),
                    ),
                ));
            }
        }
    }
    out
}

/// The necessary conditions of a placements-scope rule over the posts `ps`.
fn placements_unit(sup: &Supply, r: &Rule, ps: &[usize]) -> Vec<Impossibility> {
    let s = sup.s;
    let counted = |c: u32, f: f64| match r.kind {
        RuleKind::Share { group } | RuleKind::Count { group } => s.in_group[group][c as usize],
        RuleKind::FitRate => fits(&s.fit, f),
    };
    // (the counted placements as a share's noun, the counted people, the uncounted people);
    // a group's people are named by the group (`people_of`), as in `shortfall_sentence`.
    let group = match r.kind {
        RuleKind::Share { group } | RuleKind::Count { group } => Some(&s.groups[group].name),
        RuleKind::FitRate => None,
    };
    let (noun, by, others) = match group {
        Some(g) => (
            format!("{g} among its placements"),
            g.clone(),
            format!("people outside {g}"),
        ),
        None => (
            "fitting placements".to_string(),
            "candidates who would fit".to_string(),
            "candidates who would not fit".to_string(),
        ),
    };
    // `2 women`, `1 fitting placement`: how many counted placements.
    let counted_n = |n: f64| match group {
        Some(g) => people_of(n, g),
        None => plural(n, "fitting placement"),
    };
    let count_rule = matches!(r.kind, RuleKind::Count { .. });
    // Must-fill posts nobody can take are reported on their own; leaving them out of F only
    // weakens the bounds (they stay valid), and keeps these sentences about the rule.
    let must: Vec<usize> = ps
        .iter()
        .copied()
        .filter(|&p| s.posts[p].must_fill && sup.post_supply(p) > 0)
        .collect();
    let f = must.len() as f64;
    // Matching of the posts with the pairs counted (or not), and the distinct people.
    let matching = |posts: &[usize], want: bool| {
        let adj: Vec<Vec<u32>> = posts
            .iter()
            .map(|&p| {
                sup.of_post(p)
                    .filter(|x| counted(x.candidate, x.fit) == want)
                    .map(|x| x.candidate)
                    .collect()
            })
            .collect();
        matching_and_people(&adj, s.candidates.len())
    };
    let unit = |kind, shortfall: f64, message: String| Impossibility {
        kind,
        rule: Some(r.index),
        name: Some(r.label()),
        team: None,
        posts: ps.iter().map(|&p| s.posts[p].id.clone()).collect(),
        shortfall,
        message: format!(
            "rule \"{}\": {message}{}",
            r.label(),
            conclude(r, shortfall)
        ),
    };
    let supply = |people: usize| {
        format!(
            "{} for its {}",
            match group {
                Some(g) => format!("{} eligible", people_of(people as f64, g)),
                None => count_of(
                    people as f64,
                    "eligible candidate who would fit",
                    "eligible candidates who would fit",
                ),
            },
            plural(ps.len() as f64, "post"),
        )
    };
    let forced = |filled_by: &str, k: f64| {
        format!(
            "its must-fill posts force {}, of which at most {} by {filled_by}",
            plural(f, "placement"),
            fmt_num(k)
        )
    };
    let mut out = Vec::new();
    if let Some(lo) = r.min {
        if count_rule {
            let (x, people) = matching(ps, true);
            if x < lo - MARGIN {
                out.push(unit(
                    ImpossibilityKind::PlacementsMin,
                    lo - x,
                    format!(
                        "needs at least {}, at most {} possible at once ({})",
                        counted_n(lo),
                        fmt_num(x),
                        supply(people)
                    ),
                ));
            }
        } else if lo > 0.0 && !must.is_empty() {
            let (x, people) = matching(ps, true);
            let (x_f, _) = matching(&must, true);
            let uncounted = f - x_f;
            let best = (1.0 - lo) * x - lo * uncounted;
            if best < -MARGIN {
                let n = x + uncounted;
                out.push(unit(
                    ImpossibilityKind::PlacementsMin,
                    -best,
                    format!(
                        "needs at least {} {noun}, at best {} of {} (needs {}): {}, and at most {} possible at once ({})",
                        pct(lo),
                        fmt_num(x),
                        fmt_num(n),
                        fmt_num(lo * n),
                        forced(&by, x_f),
                        counted_n(x),
                        supply(people)
                    ),
                ));
            }
        }
    }
    if let Some(hi) = r.max {
        let (y_f, _) = matching(&must, false);
        let least = f - y_f;
        if count_rule && least > hi + MARGIN {
            out.push(unit(
                ImpossibilityKind::PlacementsMax,
                least - hi,
                format!(
                    "allows at most {}, at least {} in every plan: {}",
                    counted_n(hi),
                    fmt_num(least),
                    forced(&others, y_f)
                ),
            ));
        }
        if !count_rule && !must.is_empty() {
            let (y, _) = matching(ps, false);
            let worst = (1.0 - hi) * least - hi * y;
            if worst > MARGIN {
                let n = least + y;
                out.push(unit(
                    ImpossibilityKind::PlacementsMax,
                    worst,
                    format!(
                        "allows at most {} {noun}, at best {} of {} (allows {}): {}, and at most {} of {others} possible at once",
                        pct(hi),
                        fmt_num(least),
                        fmt_num(n),
                        fmt_num(hi * n),
                        forced(&others, y_f),
                        plural(y, "placement")
                    ),
                ));
            }
        }
    }
    out
}

/// The size of a maximum matching of posts to people, and how many distinct people the posts
/// could take at all.
fn matching_and_people(adj: &[Vec<u32>], n_people: usize) -> (f64, usize) {
    let mut people: Vec<u32> = adj.iter().flatten().copied().collect();
    people.sort_unstable();
    people.dedup();
    (max_matching(adj, n_people).size as f64, people.len())
}
