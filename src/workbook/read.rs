//! Turning sheets into the same `RawScenario` the JSON loader produces, remembering which cell
//! every value came from so that validation errors (which speak JSON paths) can name the cell.

use std::collections::{BTreeMap, HashMap};

use super::layout::{self, ColType, ListCell, Prefix, SheetKind};
use super::sheet::{key, shown, Sheet};
pub use super::sheet::{Loc, Locations};
use super::source::Table;
use crate::error::InputError;
use crate::scenario::raw::*;

/// A placement named in the decided or vetoed sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetPlacement {
    pub post: String,
    pub candidate: String,
    pub note: Option<String>,
}

/// What a workbook says: the raw scenario, where each value came from, and the decided and
/// vetoed placements (kept apart until the scenario format carries them; see `super::hook`).
pub struct ReadOutcome {
    pub raw: RawScenario,
    pub locations: Locations,
    pub decided: Vec<SheetPlacement>,
    pub vetoed: Vec<SheetPlacement>,
}

fn rule_type(t: &str) -> Option<RuleType> {
    match t.trim().to_lowercase().as_str() {
        "share" | "占比" | "比例" => Some(RuleType::Share),
        "count" | "人数" => Some(RuleType::Count),
        "fit_rate" | "适配率" => Some(RuleType::FitRate),
        _ => None,
    }
}

fn rule_scope(t: &str) -> Option<RuleScope> {
    match t.trim().to_lowercase().as_str() {
        "team" | "班子" => Some(RuleScope::Team),
        "placements" | "全部" | "配备" => Some(RuleScope::Placements),
        _ => None,
    }
}

/// A `where` cell: several items (or a separator, as in `a;`) make a list, one item a plain
/// value.
fn one_or_many(cell: ListCell) -> OneOrMany {
    if cell.items.len() == 1 && !cell.separated {
        OneOrMany::One(cell.items.into_iter().next().unwrap_or_default())
    } else {
        OneOrMany::Many(cell.items)
    }
}

/// Build the raw scenario from the sheets of one file.
pub(crate) fn build(tables: &[Table], file: &str) -> Result<ReadOutcome, InputError> {
    let mut found: BTreeMap<SheetKind, Sheet> = BTreeMap::new();
    for t in tables {
        let Some(def) = layout::sheet_of(&t.name) else {
            continue; // instructions and other sheets are not part of the scenario
        };
        let f = if t.file.is_empty() {
            file.to_string()
        } else {
            format!("{file}/{}", t.file)
        };
        if found.contains_key(&def.kind) {
            return Err(InputError::new(
                f,
                format!("sheet {}", shown(&t.name, def.en)),
                format!("a second {} sheet", def.en),
            ));
        }
        found.insert(def.kind, Sheet::new(def, t, &f)?);
    }
    for def in layout::SHEETS {
        if def.required && !found.contains_key(&def.kind) {
            return Err(InputError::new(
                file,
                "",
                format!("missing sheet {} ({})", def.zh, def.en),
            ));
        }
    }
    // In a CSV folder each sheet is its own file; messages name it.
    let files: BTreeMap<SheetKind, String> = found
        .iter()
        .map(|(k, s)| {
            let f = if s.table.file.is_empty() {
                file.to_string()
            } else {
                format!("{file}/{}", s.table.file)
            };
            (*k, f)
        })
        .collect();
    let mut locs = Locations::default();
    let mut raw = RawScenario {
        name: String::new(),
        ranks: Vec::new(),
        promotion: None,
        fit: None,
        groups: BTreeMap::new(),
        teams: Vec::new(),
        posts: Vec::new(),
        candidates: Vec::new(),
        rules: Vec::new(),
        decided: Vec::new(),
        vetoed: Vec::new(),
    };
    let mut promotion = RawPromotion::default();
    let mut promotion_given = false;
    let mut fit = RawFit::default();
    let mut fit_given = false;

    // settings
    let s = &found[&SheetKind::Settings];
    let f = &files[&SheetKind::Settings];
    let mut name = None;
    let mut setting_row: HashMap<&str, u32> = HashMap::new();
    for row in s.rows(f) {
        row.check_required()?;
        let kpos = row.pos("key").expect("required");
        let k = row.text_at(kpos)?.unwrap_or_default();
        let Some(&(en, _, ty)) = layout::SETTINGS
            .iter()
            .find(|(en, zh, _)| layout::names(&k, en, zh))
        else {
            return Err(row.err(
                Some(kpos),
                format!(
                    "unknown setting {} (allowed: {})",
                    crate::scenario::quoted(&k),
                    layout::SETTINGS
                        .iter()
                        .map(|s| s.0)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        if let Some(first) = setting_row.insert(en, row.number) {
            return Err(row.err(
                Some(kpos),
                format!("setting {en} given twice (first at row {first}); keep one of them"),
            ));
        }
        let vpos = row.pos("value");
        let path = match en {
            "name" => "name".to_string(),
            "max_step" => "promotion.max_step".to_string(),
            "min_fit" => "fit.min".to_string(),
            other => format!("fit.{other}"),
        };
        locs.put(path, row.loc(vpos.or(Some(kpos))));
        // A setting's row, even with a blank value, says its object is there (`"fit": {}`),
        // which keeps the round trip lossless.
        match ty {
            ColType::Integer => promotion_given = true,
            ColType::Number => fit_given = true,
            _ => {}
        }
        let Some(vpos) = vpos else { continue };
        match ty {
            ColType::Text => name = row.text_at(vpos)?,
            ColType::Integer => promotion.max_step = row.integer_at(vpos)?,
            _ => {
                let v = row.number_at(vpos)?;
                match en {
                    "specialty_weight" => fit.specialty_weight = v,
                    "experience_weight" => fit.experience_weight = v,
                    "threshold" => fit.threshold = v,
                    _ => fit.min = v,
                }
            }
        }
    }
    raw.name = name.ok_or_else(|| {
        InputError::new(
            f,
            format!("sheet {}", s.shown),
            "missing setting name (名称): the scenario's name",
        )
    })?;

    // ranks
    let s = &found[&SheetKind::Ranks];
    let f = &files[&SheetKind::Ranks];
    locs.put("ranks".into(), s.loc(s.header_row, None));
    for row in s.rows(f) {
        row.check_required()?;
        let rank = row.text("rank")?.unwrap_or_default();
        let i = raw.ranks.len();
        locs.put(format!("ranks[{i}]"), row.loc(row.pos("rank")));
        if let Some(y) = row.number("min_years")? {
            promotion.min_years.insert(rank.clone(), y);
            promotion_given = true;
            locs.put(
                format!("promotion.min_years{}", key(&rank)),
                row.loc(row.pos("min_years")),
            );
        }
        let base = format!("promotion.requirements{}", key(&rank));
        let exp =
            row.prefixed_numbers(Prefix::Experience, &format!("{base}.experience"), &mut locs)?;
        if !exp.is_empty() {
            locs.put(base, row.loc(None));
            promotion
                .requirements
                .insert(rank.clone(), RawRequirement { experience: exp });
            promotion_given = true;
        }
        raw.ranks.push(rank);
    }
    if promotion_given {
        raw.promotion = Some(promotion);
    }
    if fit_given {
        raw.fit = Some(fit);
    }

    // teams
    let s = &found[&SheetKind::Teams];
    let f = &files[&SheetKind::Teams];
    locs.put("teams".into(), s.loc(s.header_row, None));
    for row in s.rows(f) {
        row.check_required()?;
        let i = raw.teams.len();
        let base = format!("teams[{i}]");
        locs.put(base.clone(), row.loc(None));
        for c in ["id", "name", "tags"] {
            row.put(&mut locs, &base, c);
        }
        raw.teams.push(RawTeam {
            id: row.text("id")?.unwrap_or_default(),
            name: row.text("name")?,
            tags: row.list("tags")?.unwrap_or_default(),
            members: Vec::new(),
        });
    }

    // members
    if let Some(s) = found.get(&SheetKind::Members) {
        let f = &files[&SheetKind::Members];
        for row in s.rows(f) {
            row.check_required()?;
            let team = row.text("team")?.unwrap_or_default();
            let Some(t) = raw.teams.iter().position(|x| x.id == team) else {
                return Err(row.err(
                    row.pos("team"),
                    format!("unknown team {}", crate::scenario::quoted(&team)),
                ));
            };
            let m = raw.teams[t].members.len();
            let base = format!("teams[{t}].members[{m}]");
            locs.put(base.clone(), row.loc(None));
            let attrs = row.attributes(&base, &mut locs)?;
            raw.teams[t].members.push(attrs);
        }
    }

    // posts
    let s = &found[&SheetKind::Posts];
    let f = &files[&SheetKind::Posts];
    locs.put("posts".into(), s.loc(s.header_row, None));
    for row in s.rows(f) {
        row.check_required()?;
        let i = raw.posts.len();
        let base = format!("posts[{i}]");
        locs.put(base.clone(), row.loc(None));
        for c in [
            "id",
            "title",
            "team",
            "rank",
            "kind",
            "must_fill",
            "open_to",
        ] {
            row.put(&mut locs, &base, c);
        }
        raw.posts.push(RawPost {
            id: row.text("id")?.unwrap_or_default(),
            title: row.text("title")?,
            team: row.text("team")?.unwrap_or_default(),
            rank: row.text("rank")?.unwrap_or_default(),
            kind: row.text("kind")?,
            specialty: row.prefixed_numbers(
                Prefix::Specialty,
                &format!("{base}.specialty"),
                &mut locs,
            )?,
            experience: row.prefixed_numbers(
                Prefix::Experience,
                &format!("{base}.experience"),
                &mut locs,
            )?,
            must_fill: row.yes_no("must_fill")?.unwrap_or(false),
            open_to: row.text("open_to")?,
        });
    }

    // candidates
    let s = &found[&SheetKind::Candidates];
    let f = &files[&SheetKind::Candidates];
    locs.put("candidates".into(), s.loc(s.header_row, None));
    for row in s.rows(f) {
        row.check_required()?;
        let i = raw.candidates.len();
        let base = format!("candidates[{i}]");
        locs.put(base.clone(), row.loc(None));
        for c in [
            "id",
            "name",
            "rank",
            "years_at_rank",
            "available",
            "note",
            "team",
            "avoid_teams",
        ] {
            row.put(&mut locs, &base, c);
        }
        raw.candidates.push(RawCandidate {
            id: row.text("id")?.unwrap_or_default(),
            name: row.text("name")?,
            rank: row.text("rank")?.unwrap_or_default(),
            years_at_rank: row.number("years_at_rank")?.unwrap_or_default(),
            attributes: row.attributes(&format!("{base}.attributes"), &mut locs)?,
            specialty: row.prefixed_numbers(
                Prefix::Specialty,
                &format!("{base}.specialty"),
                &mut locs,
            )?,
            experience: row.prefixed_numbers(
                Prefix::Experience,
                &format!("{base}.experience"),
                &mut locs,
            )?,
            available: row.yes_no("available")?,
            note: row.text("note")?,
            team: row.text("team")?,
            avoid_teams: row.list("avoid_teams")?.unwrap_or_default(),
        });
    }

    // groups
    if let Some(s) = found.get(&SheetKind::Groups) {
        let f = &files[&SheetKind::Groups];
        let mut first_row: HashMap<(String, String), u32> = HashMap::new();
        for row in s.rows(f) {
            row.check_required()?;
            let g = row.text("group")?.unwrap_or_default();
            let a = row.text("attribute")?.unwrap_or_default();
            if let Some(first) = first_row.insert((g.clone(), a.clone()), row.number) {
                return Err(row.err(
                    row.pos("attribute"),
                    format!(
                        "a second condition on attribute {} of group {} (first at row {first}); put every allowed value in one row",
                        crate::scenario::quoted(&a),
                        crate::scenario::quoted(&g)
                    ),
                ));
            }
            let gpath = format!("groups{}", key(&g));
            locs.put(gpath.clone(), row.loc(row.pos("group")));
            let base = format!("{gpath}{}", key(&a));
            locs.put(base.clone(), row.loc(row.pos("attribute")));
            for c in ["in", "not_in", "min", "max"] {
                row.put(&mut locs, &base, c);
            }
            let pred = RawPredicate {
                in_: row.list("in")?,
                not_in: row.list("not_in")?,
                min: row.number("min")?,
                max: row.number("max")?,
            };
            raw.groups.entry(g).or_default().insert(a, pred);
        }
    }

    // rules
    if let Some(s) = found.get(&SheetKind::Rules) {
        let f = &files[&SheetKind::Rules];
        for row in s.rows(f) {
            row.check_required()?;
            let i = raw.rules.len();
            let base = format!("rules[{i}]");
            locs.put(base.clone(), row.loc(None));
            for c in ["name", "type", "scope", "group", "min", "max", "penalty"] {
                row.put(&mut locs, &base, c);
            }
            let t = row.text("type")?.unwrap_or_default();
            let type_ = rule_type(&t).ok_or_else(|| {
                row.err(
                    row.pos("type"),
                    format!(
                        "unknown value {} (allowed: share, count, fit_rate)",
                        crate::scenario::quoted(&t)
                    ),
                )
            })?;
            let sc = row.text("scope")?.unwrap_or_default();
            let scope = rule_scope(&sc).ok_or_else(|| {
                row.err(
                    row.pos("scope"),
                    format!(
                        "unknown value {} (allowed: team, placements)",
                        crate::scenario::quoted(&sc)
                    ),
                )
            })?;
            let mut w = RawWhere::default();
            let mut any = false;
            for (en, slot) in [
                ("where.team", &mut w.team),
                ("where.tag", &mut w.tag),
                ("where.kind", &mut w.kind),
                ("where.rank", &mut w.rank),
            ] {
                if let Some(cell) = row.list_cell(en)? {
                    *slot = Some(one_or_many(cell));
                    any = true;
                    let field = en.trim_start_matches("where.");
                    locs.put(format!("{base}.where.{field}"), row.loc(row.pos(en)));
                }
            }
            raw.rules.push(RawRule {
                name: row.text("name")?,
                type_,
                scope,
                group: row.text("group")?,
                where_: any.then_some(w),
                min: row.number("min")?,
                max: row.number("max")?,
                penalty: row.number("penalty")?,
            });
        }
    }

    // decided and vetoed placements
    let mut lists = [Vec::new(), Vec::new()];
    for (slot, kind, field) in [
        (0, SheetKind::Decided, "decided"),
        (1, SheetKind::Vetoed, "vetoed"),
    ] {
        if let Some(s) = found.get(&kind) {
            let f = &files[&kind];
            for row in s.rows(f) {
                row.check_required()?;
                let i = lists[slot].len();
                let base = format!("{field}[{i}]");
                locs.put(base.clone(), row.loc(None));
                for c in ["post", "candidate", "note"] {
                    row.put(&mut locs, &base, c);
                }
                lists[slot].push(SheetPlacement {
                    post: row.text("post")?.unwrap_or_default(),
                    candidate: row.text("candidate")?.unwrap_or_default(),
                    note: row.text("note")?,
                });
            }
        }
    }
    let [decided, vetoed] = lists;
    Ok(ReadOutcome {
        raw,
        locations: locs,
        decided,
        vetoed,
    })
}
