//! Raw scenario -> validated `Scenario`: every check of the spec's "Validation" section, in
//! document order, stopping at the first failure with its JSON path and reason.
//!
//! Names from the input are quoted (`q`) in reasons and written with `key` in paths, so every
//! message stays one line whatever the input holds.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::load::{number as n, one_line, path_key as key, quoted as q};
use super::raw::{AttrValue, OneOrMany, RawScenario, RuleScope as RawScope, RuleType};
use super::*;

type R<T> = Result<T, InputError>;

/// Largest count bound accepted: far beyond any pool, and far below the 1e20 that HiGHS reads as
/// infinity (a bound there would silently mean "no bound").
const MAX_PEOPLE: f64 = 1e9;
/// Largest penalty accepted per person of shortfall: a fit is at most 1, so 1e9 already makes a
/// rule all but hard, while larger values would drown the fits in the solver's tolerances.
const MAX_PENALTY: f64 = 1e9;

struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn err<T>(&self, path: impl Into<String>, reason: impl Into<String>) -> R<T> {
        Err(InputError::new(self.file, path, reason))
    }

    fn finite_at_least(&self, path: &str, v: f64, lo: f64, strict: bool) -> R<()> {
        if !v.is_finite() {
            return self.err(path, format!("must be a finite number, got {}", n(v)));
        }
        if (strict && v <= lo) || (!strict && v < lo) {
            let op = if strict { ">" } else { ">=" };
            return self.err(path, format!("must be {op} {lo}, got {}", n(v)));
        }
        Ok(())
    }

    fn unit_interval(&self, path: &str, v: f64) -> R<()> {
        if !v.is_finite() || !(0.0..=1.0).contains(&v) {
            return self.err(path, format!("must be in [0, 1], got {}", n(v)));
        }
        Ok(())
    }

    fn non_empty_unique_ids<'i>(
        &self,
        list: &str,
        ids: impl Iterator<Item = &'i str>,
    ) -> R<HashMap<String, usize>> {
        let mut seen = HashMap::new();
        for (i, id) in ids.enumerate() {
            if id.is_empty() {
                return self.err(format!("{list}[{i}].id"), "must not be empty");
            }
            if let Some(first) = seen.insert(id.to_string(), i) {
                return self.err(
                    format!("{list}[{i}].id"),
                    format!("duplicate id {} (first used at {list}[{first}])", q(id)),
                );
            }
        }
        Ok(seen)
    }
}

/// Interns names to dense ids, in sorted name order so ids do not depend on input order.
fn intern(names: BTreeSet<&str>) -> (Vec<String>, HashMap<String, u32>) {
    let list: Vec<String> = names.into_iter().map(str::to_string).collect();
    let index = list
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), i as u32))
        .collect();
    (list, index)
}

pub(super) fn validate(raw: &RawScenario, file: &str) -> R<Scenario> {
    validate_inner(raw, file).map_err(one_line)
}

fn validate_inner(raw: &RawScenario, file: &str) -> R<Scenario> {
    let cx = Ctx { file };

    // ranks
    if raw.ranks.is_empty() {
        return cx.err("ranks", "must list at least one rank");
    }
    let mut rank_index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in raw.ranks.iter().enumerate() {
        if r.is_empty() {
            return cx.err(format!("ranks[{i}]"), "must not be empty");
        }
        if let Some(first) = rank_index.insert(r.as_str(), i) {
            return cx.err(
                format!("ranks[{i}]"),
                format!("duplicate rank {} (first at ranks[{first}])", q(r)),
            );
        }
    }
    let rank_of = |path: String, name: &str| -> R<usize> {
        rank_index
            .get(name)
            .copied()
            .ok_or_else(|| InputError::new(file, path, format!("unknown rank {}", q(name))))
    };

    // interned tags and domains
    let mut tag_names = BTreeSet::new();
    let mut domain_names = BTreeSet::new();
    for p in &raw.posts {
        tag_names.extend(p.specialty.keys().map(String::as_str));
        domain_names.extend(p.experience.keys().map(String::as_str));
    }
    for c in &raw.candidates {
        tag_names.extend(c.specialty.keys().map(String::as_str));
        domain_names.extend(c.experience.keys().map(String::as_str));
    }
    if let Some(pr) = &raw.promotion {
        for req in pr.requirements.values() {
            domain_names.extend(req.experience.keys().map(String::as_str));
        }
    }
    let (tags, tag_index) = intern(tag_names);
    let (domains, domain_index) = intern(domain_names);

    // promotion
    let nranks = raw.ranks.len();
    let default_promotion = Default::default();
    let rp = raw.promotion.as_ref().unwrap_or(&default_promotion);
    let mut promotion = Promotion {
        max_step: rp.max_step.unwrap_or(1),
        min_years: vec![0.0; nranks],
        requirements: vec![Vec::new(); nranks],
    };
    for (rank, years) in &rp.min_years {
        let path = format!("promotion.min_years{}", key(rank));
        let r = rank_of(path.clone(), rank)?;
        cx.finite_at_least(&path, *years, 0.0, false)?;
        promotion.min_years[r] = *years;
    }
    for (rank, req) in &rp.requirements {
        let path = format!("promotion.requirements{}", key(rank));
        let r = rank_of(path.clone(), rank)?;
        for (d, years) in &req.experience {
            cx.finite_at_least(&format!("{path}.experience{}", key(d)), *years, 0.0, false)?;
            promotion.requirements[r].push((domain_index[d.as_str()], *years));
        }
        promotion.requirements[r].sort_by_key(|e| e.0);
    }

    // fit
    let rf = raw.fit.clone().unwrap_or_default();
    let mut fit = FitParams {
        specialty_weight: rf.specialty_weight.unwrap_or(0.5),
        experience_weight: rf.experience_weight.unwrap_or(0.5),
        threshold: rf.threshold.unwrap_or(0.7),
        min: rf.min.unwrap_or(0.0),
    };
    cx.finite_at_least("fit.specialty_weight", fit.specialty_weight, 0.0, false)?;
    cx.finite_at_least("fit.experience_weight", fit.experience_weight, 0.0, false)?;
    if fit.specialty_weight + fit.experience_weight <= 0.0 {
        return cx.err(
            "fit.experience_weight",
            "must be > 0 when specialty_weight is 0 (the weights must not both be 0)",
        );
    }
    // Only the ratio of the weights matters: rescale both by an exact power of two so that
    // their sum cannot overflow.
    let mut weights = [fit.specialty_weight, fit.experience_weight];
    rescale_to_unit(&mut weights);
    [fit.specialty_weight, fit.experience_weight] = weights;
    cx.unit_interval("fit.threshold", fit.threshold)?;
    cx.unit_interval("fit.min", fit.min)?;

    // attribute kinds held by anyone (for group predicate checks)
    let mut numeric_attrs: BTreeMap<&str, String> = BTreeMap::new();
    let mut string_attrs: BTreeMap<&str, String> = BTreeMap::new();
    let people = raw
        .teams
        .iter()
        .enumerate()
        .flat_map(|(t, team)| {
            team.members
                .iter()
                .enumerate()
                .map(move |(m, attrs)| (attrs, format!("teams[{t}].members[{m}]")))
        })
        .chain(
            raw.candidates
                .iter()
                .enumerate()
                .map(|(i, c)| (&c.attributes, format!("candidates[{i}].attributes"))),
        );
    for (attrs, path) in people {
        for (k, v) in attrs {
            let map = match v {
                AttrValue::Num(_) => &mut numeric_attrs,
                AttrValue::Str(_) => &mut string_attrs,
            };
            map.entry(k.as_str())
                .or_insert_with(|| format!("{path}{}", key(k)));
        }
    }
    for (t, team) in raw.teams.iter().enumerate() {
        for (m, attrs) in team.members.iter().enumerate() {
            check_attr_values(&cx, attrs, &format!("teams[{t}].members[{m}]"))?;
        }
    }
    for (i, c) in raw.candidates.iter().enumerate() {
        check_attr_values(&cx, &c.attributes, &format!("candidates[{i}].attributes"))?;
    }

    // groups
    let mut groups = Vec::new();
    for (name, cond) in &raw.groups {
        if name.is_empty() {
            return cx.err("groups[\"\"]", "group name must not be empty");
        }
        let mut predicates = Vec::new();
        for (attr, p) in cond {
            let path = format!("groups{}{}", key(name), key(attr));
            if p.in_.is_none() && p.not_in.is_none() && p.min.is_none() && p.max.is_none() {
                return cx.err(
                    path,
                    "a predicate needs at least one of \"in\", \"not_in\", \"min\", \"max\"",
                );
            }
            if p.in_.is_some() || p.not_in.is_some() {
                if let Some(at) = numeric_attrs.get(attr.as_str()) {
                    let which = if p.in_.is_some() { "in" } else { "not_in" };
                    return cx.err(
                        format!("{path}.{which}"),
                        format!(
                            "\"{which}\" compares strings, but {} is a number at {at}",
                            q(attr)
                        ),
                    );
                }
            }
            for (which, v) in [("min", p.min), ("max", p.max)] {
                if let Some(v) = v {
                    if !v.is_finite() {
                        return cx.err(format!("{path}.{which}"), "must be a finite number");
                    }
                    if let Some(at) = string_attrs.get(attr.as_str()) {
                        return cx.err(
                            format!("{path}.{which}"),
                            format!(
                                "\"{which}\" compares numbers, but {} is a string at {at}",
                                q(attr)
                            ),
                        );
                    }
                }
            }
            predicates.push(Predicate {
                attribute: attr.clone(),
                in_: p.in_.clone(),
                not_in: p.not_in.clone(),
                min: p.min,
                max: p.max,
            });
        }
        groups.push(Group {
            name: name.clone(),
            predicates,
        });
    }
    let group_of = |path: String, name: &str| -> R<usize> {
        groups
            .iter()
            .position(|g| g.name == name)
            .ok_or_else(|| InputError::new(file, path, format!("unknown group {}", q(name))))
    };

    // teams
    let team_index = cx.non_empty_unique_ids("teams", raw.teams.iter().map(|t| t.id.as_str()))?;
    let team_of = |path: String, id: &str| -> R<usize> {
        team_index
            .get(id)
            .copied()
            .ok_or_else(|| InputError::new(file, path, format!("unknown team {}", q(id))))
    };
    let teams: Vec<Team> = raw
        .teams
        .iter()
        .map(|t| Team {
            id: t.id.clone(),
            name: t.name.clone(),
            tags: t.tags.clone(),
            members: t.members.clone(),
            members_in_group: groups
                .iter()
                .map(|g| t.members.iter().filter(|m| g.contains(m)).count() as u32)
                .collect(),
        })
        .collect();

    // posts
    let post_index = cx.non_empty_unique_ids("posts", raw.posts.iter().map(|p| p.id.as_str()))?;
    let mut posts = Vec::with_capacity(raw.posts.len());
    for (i, p) in raw.posts.iter().enumerate() {
        let path = format!("posts[{i}]");
        let team = team_of(format!("{path}.team"), &p.team)?;
        let rank = rank_of(format!("{path}.rank"), &p.rank)?;
        let specialty = specialty(&cx, &p.specialty, &format!("{path}.specialty"), &tag_index)?;
        let mut experience = Vec::new();
        for (d, years) in &p.experience {
            cx.finite_at_least(&format!("{path}.experience{}", key(d)), *years, 0.0, true)?;
            experience.push((domain_index[d.as_str()], *years));
        }
        experience.sort_by_key(|e| e.0);
        let open_to = match &p.open_to {
            Some(g) => Some(group_of(format!("{path}.open_to"), g)?),
            None => None,
        };
        posts.push(Post {
            id: p.id.clone(),
            title: p.title.clone(),
            team,
            rank,
            kind: p.kind.clone(),
            specialty,
            experience,
            must_fill: p.must_fill,
            open_to,
        });
    }

    // candidates
    let candidate_index =
        cx.non_empty_unique_ids("candidates", raw.candidates.iter().map(|c| c.id.as_str()))?;
    let mut candidates = Vec::with_capacity(raw.candidates.len());
    for (i, c) in raw.candidates.iter().enumerate() {
        let path = format!("candidates[{i}]");
        let rank = rank_of(format!("{path}.rank"), &c.rank)?;
        cx.finite_at_least(
            &format!("{path}.years_at_rank"),
            c.years_at_rank,
            0.0,
            false,
        )?;
        let specialty = specialty(&cx, &c.specialty, &format!("{path}.specialty"), &tag_index)?;
        let mut experience = vec![0.0; domains.len()];
        for (d, years) in &c.experience {
            cx.finite_at_least(&format!("{path}.experience{}", key(d)), *years, 0.0, false)?;
            experience[domain_index[d.as_str()] as usize] = *years;
        }
        let team = match &c.team {
            Some(t) => Some(team_of(format!("{path}.team"), t)?),
            None => None,
        };
        let mut avoid_teams = Vec::new();
        for (k, t) in c.avoid_teams.iter().enumerate() {
            avoid_teams.push(team_of(format!("{path}.avoid_teams[{k}]"), t)?);
        }
        candidates.push(Candidate {
            id: c.id.clone(),
            name: c.name.clone(),
            rank,
            years_at_rank: c.years_at_rank,
            attributes: c.attributes.clone(),
            specialty,
            experience,
            available: c.available.unwrap_or(true),
            note: c.note.clone(),
            team,
            avoid_teams,
        });
    }

    // rules
    let mut rule_names: HashMap<&str, usize> = HashMap::new();
    let mut rules = Vec::with_capacity(raw.rules.len());
    for (i, r) in raw.rules.iter().enumerate() {
        let path = format!("rules[{i}]");
        if let Some(name) = &r.name {
            if let Some(first) = rule_names.insert(name.as_str(), i) {
                return cx.err(
                    format!("{path}.name"),
                    format!(
                        "duplicate rule name {} (first used at rules[{first}])",
                        q(name)
                    ),
                );
            }
        }
        let kind = match (r.type_, &r.group) {
            (RuleType::FitRate, None) => RuleKind::FitRate,
            (RuleType::FitRate, Some(_)) => {
                return cx.err(format!("{path}.group"), "a fit_rate rule takes no group")
            }
            (RuleType::Share, None) => {
                return cx.err(&path, "missing key \"group\" (a share rule needs one)")
            }
            (RuleType::Count, None) => {
                return cx.err(&path, "missing key \"group\" (a count rule needs one)")
            }
            (RuleType::Share, Some(g)) => RuleKind::Share {
                group: group_of(format!("{path}.group"), g)?,
            },
            (RuleType::Count, Some(g)) => RuleKind::Count {
                group: group_of(format!("{path}.group"), g)?,
            },
        };
        if r.type_ == RuleType::FitRate && r.scope == RawScope::Team {
            return cx.err(
                format!("{path}.scope"),
                "a fit_rate rule needs scope \"placements\"",
            );
        }
        if r.min.is_none() && r.max.is_none() {
            return cx.err(&path, "a rule needs \"min\", \"max\" or both");
        }
        for (which, v) in [("min", r.min), ("max", r.max)] {
            let Some(v) = v else { continue };
            let p = format!("{path}.{which}");
            match r.type_ {
                RuleType::Share | RuleType::FitRate => cx.unit_interval(&p, v)?,
                RuleType::Count => {
                    if !v.is_finite() || v < 0.0 || v.fract() != 0.0 {
                        return cx.err(p, format!("must be a non-negative integer, got {}", n(v)));
                    }
                    if v > MAX_PEOPLE {
                        return cx.err(
                            p,
                            format!("must be at most {MAX_PEOPLE:e} people, got {}", n(v)),
                        );
                    }
                }
            }
        }
        if let (Some(lo), Some(hi)) = (r.min, r.max) {
            if lo > hi {
                return cx.err(
                    format!("{path}.min"),
                    format!("must be <= max ({}), got {}", n(hi), n(lo)),
                );
            }
        }
        if let Some(w) = r.penalty {
            cx.finite_at_least(&format!("{path}.penalty"), w, 0.0, true)?;
            if w > MAX_PENALTY {
                return cx.err(
                    format!("{path}.penalty"),
                    format!("must be at most {MAX_PENALTY:e} per person, got {}", n(w)),
                );
            }
        }
        let scope = rule_scope(&cx, r, &path, &raw.ranks, &teams, &raw.posts, &team_of)?;
        rules.push(Rule {
            index: i,
            name: r.name.clone(),
            kind,
            scope,
            min: r.min,
            max: r.max,
            penalty: r.penalty,
        });
    }

    let in_group = groups
        .iter()
        .map(|g| {
            candidates
                .iter()
                .map(|c| g.contains(&c.attributes))
                .collect()
        })
        .collect();

    let (decided, vetoed) = decisions(&cx, raw, &post_index, &candidate_index)?;
    let mut decided_in = vec![None; posts.len()];
    for d in &decided {
        decided_in[d.post] = Some(d.candidate);
    }
    let vetoed_pairs = vetoed.iter().map(|d| (d.candidate, d.post)).collect();

    Ok(Scenario {
        name: raw.name.clone(),
        ranks: raw.ranks.clone(),
        promotion,
        fit,
        groups,
        teams,
        posts,
        candidates,
        rules,
        tags,
        domains,
        in_group,
        decided,
        vetoed,
        decided_in,
        vetoed_pairs,
        post_index,
        candidate_index,
    })
}

/// `decided` and `vetoed` (spec 1.1, Validation): every post and candidate exists; no post and
/// no candidate twice in `decided`; no pair in both.
fn decisions(
    cx: &Ctx,
    raw: &RawScenario,
    post_index: &HashMap<String, usize>,
    candidate_index: &HashMap<String, usize>,
) -> R<(Vec<Decision>, Vec<Decision>)> {
    let resolve = |list: &str, i: usize, d: &super::raw::RawPair| -> R<Decision> {
        let post = *post_index.get(&d.post).ok_or_else(|| {
            InputError::new(
                cx.file,
                format!("{list}[{i}].post"),
                format!("unknown post {}", q(&d.post)),
            )
        })?;
        let candidate = *candidate_index.get(&d.candidate).ok_or_else(|| {
            InputError::new(
                cx.file,
                format!("{list}[{i}].candidate"),
                format!("unknown candidate {}", q(&d.candidate)),
            )
        })?;
        Ok(Decision {
            post,
            candidate,
            note: d.note.clone(),
        })
    };
    let mut decided = Vec::with_capacity(raw.decided.len());
    let mut post_at: HashMap<usize, usize> = HashMap::new();
    let mut candidate_at: HashMap<usize, usize> = HashMap::new();
    for (i, d) in raw.decided.iter().enumerate() {
        let x = resolve("decided", i, d)?;
        if let Some(first) = post_at.insert(x.post, i) {
            return cx.err(
                format!("decided[{i}].post"),
                format!(
                    "post {} is decided twice (first at decided[{first}])",
                    q(&d.post)
                ),
            );
        }
        if let Some(first) = candidate_at.insert(x.candidate, i) {
            return cx.err(
                format!("decided[{i}].candidate"),
                format!(
                    "candidate {} is decided twice (first at decided[{first}])",
                    q(&d.candidate)
                ),
            );
        }
        decided.push(x);
    }
    let mut vetoed = Vec::with_capacity(raw.vetoed.len());
    for (i, d) in raw.vetoed.iter().enumerate() {
        let x = resolve("vetoed", i, d)?;
        if let Some(&j) = post_at.get(&x.post) {
            if decided[j].candidate == x.candidate {
                return cx.err(
                    format!("vetoed[{i}]"),
                    format!(
                        "the pair ({}, {}) is also decided (decided[{j}]); a pair may not be both",
                        q(&d.post),
                        q(&d.candidate)
                    ),
                );
            }
        }
        vetoed.push(x);
    }
    Ok((decided, vetoed))
}

fn check_attr_values(cx: &Ctx, attrs: &BTreeMap<String, AttrValue>, path: &str) -> R<()> {
    for (k, v) in attrs {
        if let AttrValue::Num(x) = v {
            if !x.is_finite() {
                return cx.err(format!("{path}{}", key(k)), "must be a finite number");
            }
        }
    }
    Ok(())
}

fn specialty(
    cx: &Ctx,
    map: &BTreeMap<String, f64>,
    path: &str,
    tag_index: &HashMap<String, u32>,
) -> R<Specialty> {
    let mut entries = Vec::with_capacity(map.len());
    let mut sq = 0.0;
    for (tag, w) in map {
        cx.finite_at_least(&format!("{path}{}", key(tag)), *w, 0.0, false)?;
        if *w > 0.0 {
            entries.push((tag_index[tag.as_str()], *w));
            sq += w * w;
        }
    }
    entries.sort_by_key(|e| e.0);
    // Cosine similarity does not depend on scale. Rescale by an exact power of two so that
    // squares can neither overflow nor underflow; ordinary weights (largest in [1, 2)) are left
    // bit for bit as given.
    let mut weights: Vec<f64> = entries.iter().map(|e| e.1).collect();
    if rescale_to_unit(&mut weights) {
        sq = 0.0;
        for (e, w) in entries.iter_mut().zip(weights) {
            e.1 = w;
            sq += w * w;
        }
    }
    Ok(Specialty {
        entries,
        norm: sq.sqrt(),
    })
}

/// Rescales by exact powers of two so that the largest value lies in [1, 2): nothing a fit
/// computes from them can overflow, and subnormal inputs no longer underflow to 0/0. Values
/// whose largest is already in [1, 2) are left bit for bit; returns whether anything changed.
fn rescale_to_unit(values: &mut [f64]) -> bool {
    let mut largest = values.iter().copied().fold(0.0, f64::max);
    if !(largest > 0.0 && largest.is_finite()) || (1.0..2.0).contains(&largest) {
        return false;
    }
    if largest < f64::MIN_POSITIVE {
        // Subnormal: lift into the normal range first (exact: powers of two).
        let lift = 2f64.powi(600);
        values.iter_mut().for_each(|v| *v *= lift);
        largest *= lift;
    }
    let scale = power_of_two_below(largest).recip();
    values.iter_mut().for_each(|v| *v *= scale);
    true
}

/// The largest power of two <= x (x > 0, finite), computed exactly.
fn power_of_two_below(x: f64) -> f64 {
    let mut p = 2f64.powi(x.log2().floor() as i32);
    // log2 may round across a power of two; correct by one step either way.
    if p > x {
        p /= 2.0;
    } else if p * 2.0 <= x {
        p *= 2.0;
    }
    p
}

fn rule_scope(
    cx: &Ctx,
    r: &raw::RawRule,
    path: &str,
    rank_names: &[String],
    teams: &[Team],
    raw_posts: &[raw::RawPost],
    team_of: &dyn Fn(String, &str) -> R<usize>,
) -> R<RuleScope> {
    let w = r.where_.clone().unwrap_or_default();
    let wpath = format!("{path}.where");
    // resolve team ids
    let team_filter: Option<Vec<usize>> = match &w.team {
        None => None,
        Some(t) => Some(resolve_list(t, &format!("{wpath}.team"), |p, id| {
            team_of(p, id)
        })?),
    };
    let tag_filter: Option<Vec<&str>> = w.tag.as_ref().map(OneOrMany::values);
    let team_matches = |t: usize| {
        team_filter.as_ref().is_none_or(|l| l.contains(&t))
            && tag_filter
                .as_ref()
                .is_none_or(|tags| teams[t].tags.iter().any(|x| tags.contains(&x.as_str())))
    };
    match r.scope {
        RawScope::Team => {
            if w.kind.is_some() {
                return cx.err(
                    format!("{wpath}.kind"),
                    "\"kind\" filters placements, not teams (scope is \"team\")",
                );
            }
            if w.rank.is_some() {
                return cx.err(
                    format!("{wpath}.rank"),
                    "\"rank\" filters placements, not teams (scope is \"team\")",
                );
            }
            Ok(RuleScope::Teams(
                (0..teams.len()).filter(|&t| team_matches(t)).collect(),
            ))
        }
        RawScope::Placements => {
            let ranks: Option<Vec<&str>> = match &w.rank {
                None => None,
                Some(list) => {
                    resolve_list(list, &format!("{wpath}.rank"), |p, name| {
                        if rank_names.iter().any(|r| r == name) {
                            Ok(())
                        } else {
                            cx.err(p, format!("unknown rank {}", q(name)))
                        }
                    })?;
                    Some(list.values())
                }
            };
            let kinds: Option<Vec<&str>> = w.kind.as_ref().map(OneOrMany::values);
            let posts = raw_posts
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    let t = teams
                        .iter()
                        .position(|t| t.id == p.team)
                        .unwrap_or(usize::MAX);
                    t != usize::MAX
                        && team_matches(t)
                        && ranks.as_ref().is_none_or(|l| l.contains(&p.rank.as_str()))
                        && kinds
                            .as_ref()
                            .is_none_or(|l| p.kind.as_deref().is_some_and(|k| l.contains(&k)))
                })
                .map(|(i, _)| i)
                .collect();
            Ok(RuleScope::Placements(posts))
        }
    }
}

fn resolve_list<T>(v: &OneOrMany, path: &str, f: impl Fn(String, &str) -> R<T>) -> R<Vec<T>> {
    match v {
        OneOrMany::One(s) => Ok(vec![f(path.to_string(), s)?]),
        OneOrMany::Many(l) => l
            .iter()
            .enumerate()
            .map(|(i, s)| f(format!("{path}[{i}]"), s))
            .collect(),
    }
}
