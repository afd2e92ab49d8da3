//! Writing workbooks with rust_xlsxwriter: a scenario (lossless: reading it back gives the same
//! `RawScenario`), the fill-in template, and plans.
//!
//! Every sheet gets a bold, frozen header row, an autofilter, and column widths fitted to the
//! display width of its text (CJK characters count double, via unicode-width).

use std::collections::BTreeSet;

use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::layout::{self, bilingual, join_list, list_item, sheet, sheet_name, Prefix, SheetKind};
use crate::scenario::raw::*;

/// One cell to write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Out {
    Empty,
    Str(String),
    Num(f64),
}

impl Out {
    fn opt_str(s: &Option<String>) -> Out {
        s.as_ref().map_or(Out::Empty, |s| Out::Str(s.clone()))
    }
    fn opt_num(v: Option<f64>) -> Out {
        v.map_or(Out::Empty, Out::Num)
    }
    fn text(&self) -> String {
        match self {
            Out::Empty => String::new(),
            Out::Str(s) => s.clone(),
            Out::Num(v) => format!("{v}"),
        }
    }
}

/// A sheet to write: its name, header cells and rows.
pub(crate) struct SheetOut {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Out>>,
}

fn xlsx_err(e: XlsxError) -> String {
    e.to_string()
}

/// Write one sheet: bold frozen header, autofilter, fitted widths.
pub(crate) fn put_sheet(ws: &mut Worksheet, s: &SheetOut) -> Result<(), String> {
    let bold = Format::new().set_bold();
    ws.set_name(&s.name).map_err(xlsx_err)?;
    let mut widths: Vec<usize> = s.headers.iter().map(|h| h.width()).collect();
    for (c, h) in s.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)
            .map_err(xlsx_err)?;
    }
    for (r, row) in s.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, col) = (r as u32 + 1, c as u16);
            match cell {
                Out::Empty => {}
                Out::Str(v) => {
                    // Named by its cell rather than rust_xlsxwriter's bare "String exceeds
                    // Excel's limit" (a plan's 40,000-character candidate name).
                    if let Some(reason) = too_long(v) {
                        return Err(format!(
                            "sheet {}, row {}, column {}: {reason}",
                            s.name,
                            r + 1,
                            s.headers.get(c).map_or("?", String::as_str)
                        ));
                    }
                    ws.write_string(r, col, v).map_err(xlsx_err)?;
                }
                Out::Num(v) => {
                    ws.write_number(r, col, *v).map_err(xlsx_err)?;
                }
            }
            if c < widths.len() {
                widths[c] = widths[c].max(cell.text().width());
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w + 2).clamp(8, 60) as f64)
            .map_err(xlsx_err)?;
    }
    if !s.headers.is_empty() {
        ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
        ws.autofilter(0, 0, s.rows.len() as u32, s.headers.len() as u16 - 1)
            .map_err(xlsx_err)?;
    }
    Ok(())
}

fn yes_no(b: bool) -> Out {
    Out::Str(if b { "yes" } else { "no" }.to_string())
}

/// A list that is empty when absent (tags, avoid_teams): a blank cell.
fn list(v: &[String]) -> Out {
    if v.is_empty() {
        Out::Empty
    } else {
        Out::Str(join_list(v))
    }
}

/// A list that may be absent (`in`, `not_in`): blank when absent, `;` when empty.
fn opt_list(v: &Option<Vec<String>>) -> Out {
    v.as_deref().map_or(Out::Empty, |v| Out::Str(join_list(v)))
}

fn one_or_many(v: &Option<OneOrMany>) -> Out {
    match v {
        None => Out::Empty,
        Some(OneOrMany::One(s)) => Out::Str(list_item(s)),
        // A trailing `;` keeps a one-item list a list.
        Some(OneOrMany::Many(v)) if v.len() == 1 => Out::Str(format!("{};", list_item(&v[0]))),
        Some(OneOrMany::Many(v)) => Out::Str(join_list(v)),
    }
}

fn attr(v: Option<&AttrValue>) -> Out {
    match v {
        None => Out::Empty,
        Some(AttrValue::Str(s)) => Out::Str(s.clone()),
        Some(AttrValue::Num(n)) => Out::Num(*n),
    }
}

fn fixed_headers(kind: SheetKind) -> Vec<String> {
    sheet(kind)
        .columns
        .iter()
        .map(|c| bilingual(c.en, c.zh))
        .collect()
}

fn prefixed<'a, I, V: 'a>(maps: I) -> Vec<String>
where
    I: Iterator<Item = &'a std::collections::BTreeMap<String, V>>,
{
    let set: BTreeSet<&String> = maps.flat_map(|m| m.keys()).collect();
    set.into_iter().cloned().collect()
}

fn heads(p: Prefix, keys: &[String]) -> Vec<String> {
    keys.iter().map(|k| format!("{}.{k}", p.en())).collect()
}

/// The sheets of a scenario, in layout order. Decided and vetoed sheets are written with their
/// headers only until the scenario format carries them (see `super::hook`).
pub(crate) fn scenario_sheets(raw: &RawScenario) -> Vec<SheetOut> {
    let mut out = Vec::new();
    let name_of = |k| sheet_name(sheet(k));

    // settings
    let mut rows = vec![vec![Out::Str("name".into()), Out::Str(raw.name.clone())]];
    if let Some(p) = &raw.promotion {
        if let Some(m) = p.max_step {
            rows.push(vec![Out::Str("max_step".into()), Out::Num(m as f64)]);
        } else if p.min_years.is_empty() && p.requirements.is_empty() {
            // `"promotion": {}`: a blank max_step row says the object is there.
            rows.push(vec![Out::Str("max_step".into()), Out::Empty]);
        }
    }
    if let Some(f) = &raw.fit {
        let given = [f.specialty_weight, f.experience_weight, f.threshold, f.min];
        if given.iter().all(Option::is_none) {
            // `"fit": {}`: a blank threshold row says the object is there.
            rows.push(vec![Out::Str("threshold".into()), Out::Empty]);
        }
        for (k, v) in [
            ("specialty_weight", f.specialty_weight),
            ("experience_weight", f.experience_weight),
            ("threshold", f.threshold),
            ("min_fit", f.min),
        ] {
            if let Some(v) = v {
                rows.push(vec![Out::Str(k.into()), Out::Num(v)]);
            }
        }
    }
    out.push(SheetOut {
        name: name_of(SheetKind::Settings),
        headers: fixed_headers(SheetKind::Settings),
        rows,
    });

    // ranks
    let empty = RawPromotion::default();
    let promo = raw.promotion.as_ref().unwrap_or(&empty);
    let req_keys = prefixed(promo.requirements.values().map(|r| &r.experience));
    let mut headers = fixed_headers(SheetKind::Ranks);
    headers.extend(heads(Prefix::Experience, &req_keys));
    let rows = raw
        .ranks
        .iter()
        .map(|r| {
            let mut row = vec![
                Out::Str(r.clone()),
                Out::opt_num(promo.min_years.get(r).copied()),
            ];
            let req = promo.requirements.get(r);
            row.extend(
                req_keys
                    .iter()
                    .map(|k| Out::opt_num(req.and_then(|q| q.experience.get(k)).copied())),
            );
            row
        })
        .collect();
    out.push(SheetOut {
        name: name_of(SheetKind::Ranks),
        headers,
        rows,
    });

    // teams
    out.push(SheetOut {
        name: name_of(SheetKind::Teams),
        headers: fixed_headers(SheetKind::Teams),
        rows: raw
            .teams
            .iter()
            .map(|t| vec![Out::Str(t.id.clone()), Out::opt_str(&t.name), list(&t.tags)])
            .collect(),
    });

    // members
    let attr_keys = prefixed(raw.teams.iter().flat_map(|t| t.members.iter()));
    let mut headers = fixed_headers(SheetKind::Members);
    headers.extend(heads(Prefix::Attr, &attr_keys));
    let mut rows = Vec::new();
    for t in &raw.teams {
        for m in &t.members {
            let mut row = vec![Out::Str(t.id.clone())];
            row.extend(attr_keys.iter().map(|k| attr(m.get(k))));
            rows.push(row);
        }
    }
    out.push(SheetOut {
        name: name_of(SheetKind::Members),
        headers,
        rows,
    });

    // posts
    let spec = prefixed(raw.posts.iter().map(|p| &p.specialty));
    let exp = prefixed(raw.posts.iter().map(|p| &p.experience));
    let mut headers = fixed_headers(SheetKind::Posts);
    headers.extend(heads(Prefix::Specialty, &spec));
    headers.extend(heads(Prefix::Experience, &exp));
    let rows = raw
        .posts
        .iter()
        .map(|p| {
            let mut row = vec![
                Out::Str(p.id.clone()),
                Out::opt_str(&p.title),
                Out::Str(p.team.clone()),
                Out::Str(p.rank.clone()),
                Out::opt_str(&p.kind),
                if p.must_fill {
                    yes_no(true)
                } else {
                    Out::Empty
                },
                Out::opt_str(&p.open_to),
            ];
            row.extend(
                spec.iter()
                    .map(|k| Out::opt_num(p.specialty.get(k).copied())),
            );
            row.extend(
                exp.iter()
                    .map(|k| Out::opt_num(p.experience.get(k).copied())),
            );
            row
        })
        .collect();
    out.push(SheetOut {
        name: name_of(SheetKind::Posts),
        headers,
        rows,
    });

    // candidates
    let attrs = prefixed(raw.candidates.iter().map(|c| &c.attributes));
    let spec = prefixed(raw.candidates.iter().map(|c| &c.specialty));
    let exp = prefixed(raw.candidates.iter().map(|c| &c.experience));
    let mut headers = fixed_headers(SheetKind::Candidates);
    headers.extend(heads(Prefix::Attr, &attrs));
    headers.extend(heads(Prefix::Specialty, &spec));
    headers.extend(heads(Prefix::Experience, &exp));
    let rows = raw
        .candidates
        .iter()
        .map(|c| {
            let mut row = vec![
                Out::Str(c.id.clone()),
                Out::opt_str(&c.name),
                Out::Str(c.rank.clone()),
                Out::Num(c.years_at_rank),
                c.available.map_or(Out::Empty, yes_no),
                Out::opt_str(&c.note),
                Out::opt_str(&c.team),
                list(&c.avoid_teams),
            ];
            row.extend(attrs.iter().map(|k| attr(c.attributes.get(k))));
            row.extend(
                spec.iter()
                    .map(|k| Out::opt_num(c.specialty.get(k).copied())),
            );
            row.extend(
                exp.iter()
                    .map(|k| Out::opt_num(c.experience.get(k).copied())),
            );
            row
        })
        .collect();
    out.push(SheetOut {
        name: name_of(SheetKind::Candidates),
        headers,
        rows,
    });

    // groups
    let mut rows = Vec::new();
    for (g, cond) in &raw.groups {
        for (a, p) in cond {
            rows.push(vec![
                Out::Str(g.clone()),
                Out::Str(a.clone()),
                opt_list(&p.in_),
                opt_list(&p.not_in),
                Out::opt_num(p.min),
                Out::opt_num(p.max),
            ]);
        }
    }
    out.push(SheetOut {
        name: name_of(SheetKind::Groups),
        headers: fixed_headers(SheetKind::Groups),
        rows,
    });

    // rules
    let rows = raw
        .rules
        .iter()
        .map(|r| {
            let w = r.where_.clone().unwrap_or_default();
            vec![
                Out::opt_str(&r.name),
                Out::Str(
                    match r.type_ {
                        RuleType::Share => "share",
                        RuleType::Count => "count",
                        RuleType::FitRate => "fit_rate",
                    }
                    .into(),
                ),
                Out::Str(
                    match r.scope {
                        RuleScope::Team => "team",
                        RuleScope::Placements => "placements",
                    }
                    .into(),
                ),
                Out::opt_str(&r.group),
                one_or_many(&w.team),
                one_or_many(&w.tag),
                one_or_many(&w.kind),
                one_or_many(&w.rank),
                Out::opt_num(r.min),
                Out::opt_num(r.max),
                Out::opt_num(r.penalty),
            ]
        })
        .collect();
    out.push(SheetOut {
        name: name_of(SheetKind::Rules),
        headers: fixed_headers(SheetKind::Rules),
        rows,
    });

    // decided, vetoed (spec 1.1): one row per pair.
    for (k, list) in [
        (SheetKind::Decided, &raw.decided),
        (SheetKind::Vetoed, &raw.vetoed),
    ] {
        out.push(SheetOut {
            name: name_of(k),
            headers: fixed_headers(k),
            rows: list
                .iter()
                .map(|p| {
                    vec![
                        Out::Str(p.post.clone()),
                        Out::Str(p.candidate.clone()),
                        Out::opt_str(&p.note),
                    ]
                })
                .collect(),
        });
    }
    out
}

/// An empty workbook whose document properties carry a fixed creation time (2000-01-01
/// 00:00 UTC) instead of the clock's, so that the same input writes the same bytes (the
/// project's determinism rule; `rust_xlsxwriter` stamps `docProps/core.xml` with the current
/// time otherwise). Every workbook postfit writes starts here.
pub(crate) fn new_workbook() -> Workbook {
    let mut wb = Workbook::new();
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1).expect("a valid date");
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    wb
}

/// A scenario as `.xlsx` bytes; reading them back gives the same `RawScenario`.
pub fn scenario_xlsx(raw: &RawScenario) -> Result<Vec<u8>, String> {
    let mut wb = new_workbook();
    for s in scenario_sheets(raw) {
        put_sheet(wb.add_worksheet(), &s)?;
    }
    wb.save_to_buffer().map_err(xlsx_err)
}

/// Rows a template's drop-down lists cover.
const LIST_ROWS: u32 = 1000;

/// The example a template is filled with: one row in every sheet, and a scenario that solves.
pub fn template_example() -> RawScenario {
    let json = r#"{
      "name": "示例 example",
      "ranks": ["正科", "副处", "正处"],
      "promotion": { "max_step": 1, "min_years": { "正科": 2 } },
      "fit": { "threshold": 0.7 },
      "groups": { "women": { "gender": { "in": ["女"] } } },
      "teams": [ { "id": "T1", "name": "某县政府班子", "tags": ["county"],
                   "members": [ { "gender": "女", "age": 48 } ] } ],
      "posts": [ { "id": "P1", "title": "副县长", "team": "T1", "rank": "副处", "kind": "executive",
                   "specialty": { "agriculture": 1 }, "experience": { "grassroots": 2 } } ],
      "candidates": [ { "id": "1001", "name": "张三", "rank": "正科", "years_at_rank": 3,
                        "attributes": { "gender": "男", "age": 41 },
                        "specialty": { "agriculture": 0.8 }, "experience": { "grassroots": 5 } } ],
      "rules": [ { "name": "班子至少一名女干部", "type": "count", "scope": "team", "group": "women",
                   "min": 1, "penalty": 10 } ]
    }"#;
    serde_json::from_str(json).expect("the template example parses")
}

/// The instructions sheet: one row per sheet, then the conventions.
fn instructions() -> SheetOut {
    let mut rows: Vec<Vec<Out>> = layout::SHEETS
        .iter()
        .map(|d| {
            let cols: Vec<String> = d
                .columns
                .iter()
                .map(|c| format!("{} {}{}", c.en, c.zh, if c.required { " *" } else { "" }))
                .chain(
                    d.prefixes
                        .iter()
                        .map(|p| format!("{}.X {}.X", p.en(), p.zh())),
                )
                .collect();
            vec![
                Out::Str(sheet_name(d)),
                Out::Str(d.row_is.to_string()),
                Out::Str(cols.join(", ")),
            ]
        })
        .collect();
    for note in [
        "* = required in every row. Yes/no cells: yes/no/true/false/1/0/是/否.",
        "Lists: separate items with ; or ； or 、. An item holding one of these, or starting with \", goes in double quotes, with \"\" for a quote inside: \"cppcc;2027\";plain. A lone ; is an empty list.",
        "Headers may be English, Chinese, or both (\"rank / 职级\"); sheets likewise (\"candidates 候选人\").",
        "Formulas and dates: the value the spreadsheet last computed is read. Blank rows are skipped.",
        "Decided placements (已定): every plan contains them. Vetoed pairs (否决): never placed.",
        "Solve with: postfit solve roster.xlsx --out plan.xlsx. Layout: docs/workbook.md.",
    ] {
        rows.push(vec![Out::Str("note 说明".into()), Out::Str(note.into()), Out::Empty]);
    }
    SheetOut {
        name: format!("{} {}", layout::INSTRUCTIONS.0, layout::INSTRUCTIONS.1),
        headers: vec![
            bilingual("sheet", "工作表"),
            bilingual("one row is", "每行含义"),
            bilingual("columns", "列"),
        ],
        rows,
    }
}

/// The fill-in template: instructions, every sheet with bilingual headers and one example row,
/// and drop-down lists for ranks, teams, rule types and scopes, and yes/no cells.
pub fn template_xlsx() -> Result<Vec<u8>, String> {
    let raw = template_example();
    let mut wb = new_workbook();
    put_sheet(wb.add_worksheet(), &instructions())?;
    let ranks_ref = format!(
        "='{}'!$A$2:$A${LIST_ROWS}",
        sheet_name(sheet(SheetKind::Ranks))
    );
    let teams_ref = format!(
        "='{}'!$A$2:$A${LIST_ROWS}",
        sheet_name(sheet(SheetKind::Teams))
    );
    for s in scenario_sheets(&raw) {
        let ws = wb.add_worksheet();
        put_sheet(ws, &s)?;
        let def = layout::sheet_of(&s.name).expect("a layout sheet");
        for (c, col) in def.columns.iter().enumerate() {
            let dv = match (def.kind, col.en) {
                (SheetKind::Posts | SheetKind::Candidates, "rank") => {
                    Some(DataValidation::new().allow_list_formula(Formula::new(&ranks_ref)))
                }
                (SheetKind::Posts | SheetKind::Members | SheetKind::Candidates, "team") => {
                    Some(DataValidation::new().allow_list_formula(Formula::new(&teams_ref)))
                }
                (SheetKind::Rules, "type") => Some(
                    DataValidation::new()
                        .allow_list_strings(&["share", "count", "fit_rate"])
                        .map_err(xlsx_err)?,
                ),
                (SheetKind::Rules, "scope") => Some(
                    DataValidation::new()
                        .allow_list_strings(&["team", "placements"])
                        .map_err(xlsx_err)?,
                ),
                (_, _) if col.ty == layout::ColType::YesNo => Some(
                    DataValidation::new()
                        .allow_list_strings(&["yes", "no", "是", "否"])
                        .map_err(xlsx_err)?,
                ),
                _ => None,
            };
            if let Some(dv) = dv {
                ws.add_data_validation(1, c as u16, LIST_ROWS, c as u16, &dv)
                    .map_err(xlsx_err)?;
            }
        }
    }
    wb.save_to_buffer().map_err(xlsx_err)
}

/// Excel's limit on the text of one cell, in UTF-16 code units (as rust_xlsxwriter counts).
pub const CELL_TEXT_LIMIT: usize = 32_767;

/// A value for a message: quoted, and cut short when long.
fn shown_value(s: &str) -> String {
    if s.chars().count() > 60 {
        let head: String = s.chars().take(40).collect();
        format!(
            "{}… ({} characters)",
            crate::scenario::quoted(&head),
            s.chars().count()
        )
    } else {
        crate::scenario::quoted(s)
    }
}

/// What a workbook cannot keep about text written into a cell of its own: the reader trims
/// cells (a spreadsheet user's stray spaces are a classic mismatch) and reads a blank cell as
/// no value, and a cell holds at most 32,767 characters.
fn cell_text_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some(
            "an empty text, which a workbook cell cannot keep (a blank cell is no value); remove the field or write some text"
                .to_string(),
        );
    }
    if let Some(c) = [s.chars().next(), s.chars().next_back()]
        .into_iter()
        .flatten()
        .find(|c| c.is_whitespace())
    {
        let what = if c == ' ' {
            "a space".to_string()
        } else {
            format!("whitespace (U+{:04X})", c as u32)
        };
        return Some(format!(
            "{} begins or ends with {what}, which a workbook cell cannot keep (cells are read trimmed); remove it",
            shown_value(s)
        ));
    }
    too_long(s)
}

fn too_long(s: &str) -> Option<String> {
    let n = s.encode_utf16().count();
    (n > CELL_TEXT_LIMIT).then(|| {
        format!(
            "a text of {n} characters, longer than the {CELL_TEXT_LIMIT} a workbook cell holds; shorten it"
        )
    })
}

type Refusal = (String, String);

/// Text written into a cell of its own.
fn own_cell(path: impl Fn() -> String, s: &str) -> Result<(), Refusal> {
    match cell_text_problem(s) {
        Some(reason) => Err((path(), reason)),
        None => Ok(()),
    }
}

fn opt_cell(path: impl Fn() -> String, s: &Option<String>) -> Result<(), Refusal> {
    s.as_deref().map_or(Ok(()), |s| own_cell(path, s))
}

/// A list cell: its items are quoted where needed, so only the cell's length can fail.
fn list_cell(path: impl Fn() -> String, text: &Out) -> Result<(), Refusal> {
    match text {
        Out::Str(s) => match too_long(s) {
            Some(reason) => Err((path(), format!("the list written in one cell is {reason}"))),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A map key written as a prefixed column header (`attr.KEY`): it must read back as that key.
fn header_key(
    path: impl Fn() -> String,
    kind: SheetKind,
    p: Prefix,
    k: &str,
) -> Result<(), Refusal> {
    let head = format!("{}.{k}", p.en());
    let what = |reason: &str| Err((path(), format!("the name {} {reason}", shown_value(k))));
    if k.trim() != k || k.is_empty() {
        return what(
            "is empty or begins or ends with a space, which a column header cannot keep (headers are read trimmed); rename it",
        );
    }
    if too_long(&head).is_some() {
        return what("is too long for a column header; shorten it");
    }
    match layout::match_header(sheet(kind), &head) {
        Some(layout::HeaderMatch::Prefixed(q, j)) if q == p && j == k => Ok(()),
        _ => what(&format!(
            "cannot be a column header: {} reads as another column of sheet {}; rename it",
            shown_value(&head),
            sheet(kind).en
        )),
    }
}

/// Why a scenario cannot be written as a workbook that reads back as the same scenario: the
/// JSON path of the first value a workbook cannot keep, and the reason (`candidates[2]
/// .attributes.affiliation`, `"CPC " begins or ends with a space, ...`). `None` when every
/// value can be written. `convert` refuses such scenarios rather than change them.
pub fn unwritable(raw: &RawScenario) -> Option<(String, String)> {
    check_writable(raw).err()
}

/// The specialty and experience keys of one post or candidate (`base`: its JSON path), each
/// of which becomes a column header of `kind`'s sheet.
fn vector_keys(
    base: &str,
    kind: SheetKind,
    specialty: &std::collections::BTreeMap<String, f64>,
    experience: &std::collections::BTreeMap<String, f64>,
) -> Result<(), Refusal> {
    use crate::scenario::path_key as key;
    for (field, prefix, map) in [
        ("specialty", Prefix::Specialty, specialty),
        ("experience", Prefix::Experience, experience),
    ] {
        for k in map.keys() {
            header_key(|| format!("{base}.{field}{}", key(k)), kind, prefix, k)?;
        }
    }
    Ok(())
}

fn check_writable(raw: &RawScenario) -> Result<(), Refusal> {
    use crate::scenario::path_key as key;
    own_cell(|| "name".into(), &raw.name)?;
    for (i, r) in raw.ranks.iter().enumerate() {
        own_cell(|| format!("ranks[{i}]"), r)?;
    }
    if let Some(p) = &raw.promotion {
        for (rank, req) in &p.requirements {
            for k in req.experience.keys() {
                header_key(
                    || format!("promotion.requirements{}.experience{}", key(rank), key(k)),
                    SheetKind::Ranks,
                    Prefix::Experience,
                    k,
                )?;
            }
        }
    }
    for (i, t) in raw.teams.iter().enumerate() {
        let base = format!("teams[{i}]");
        own_cell(|| format!("{base}.id"), &t.id)?;
        opt_cell(|| format!("{base}.name"), &t.name)?;
        list_cell(|| format!("{base}.tags"), &list(&t.tags))?;
        for (j, m) in t.members.iter().enumerate() {
            attributes(&format!("{base}.members[{j}]"), SheetKind::Members, m)?;
        }
    }
    for (i, p) in raw.posts.iter().enumerate() {
        let base = format!("posts[{i}]");
        own_cell(|| format!("{base}.id"), &p.id)?;
        opt_cell(|| format!("{base}.title"), &p.title)?;
        own_cell(|| format!("{base}.team"), &p.team)?;
        own_cell(|| format!("{base}.rank"), &p.rank)?;
        opt_cell(|| format!("{base}.kind"), &p.kind)?;
        opt_cell(|| format!("{base}.open_to"), &p.open_to)?;
        vector_keys(&base, SheetKind::Posts, &p.specialty, &p.experience)?;
    }
    for (i, c) in raw.candidates.iter().enumerate() {
        let base = format!("candidates[{i}]");
        own_cell(|| format!("{base}.id"), &c.id)?;
        opt_cell(|| format!("{base}.name"), &c.name)?;
        own_cell(|| format!("{base}.rank"), &c.rank)?;
        opt_cell(|| format!("{base}.note"), &c.note)?;
        opt_cell(|| format!("{base}.team"), &c.team)?;
        list_cell(|| format!("{base}.avoid_teams"), &list(&c.avoid_teams))?;
        attributes(
            &format!("{base}.attributes"),
            SheetKind::Candidates,
            &c.attributes,
        )?;
        vector_keys(&base, SheetKind::Candidates, &c.specialty, &c.experience)?;
    }
    for (g, conds) in &raw.groups {
        let gpath = format!("groups{}", key(g));
        own_cell(|| gpath.clone(), g)?;
        for (a, p) in conds {
            let base = format!("{gpath}{}", key(a));
            own_cell(|| base.clone(), a)?;
            list_cell(|| format!("{base}.in"), &opt_list(&p.in_))?;
            list_cell(|| format!("{base}.not_in"), &opt_list(&p.not_in))?;
        }
    }
    for (i, r) in raw.rules.iter().enumerate() {
        let base = format!("rules[{i}]");
        opt_cell(|| format!("{base}.name"), &r.name)?;
        opt_cell(|| format!("{base}.group"), &r.group)?;
        if let Some(w) = &r.where_ {
            for (field, v) in [
                ("team", &w.team),
                ("tag", &w.tag),
                ("kind", &w.kind),
                ("rank", &w.rank),
            ] {
                list_cell(|| format!("{base}.where.{field}"), &one_or_many(v))?;
            }
        }
    }
    for (field, pairs) in [("decided", &raw.decided), ("vetoed", &raw.vetoed)] {
        for (i, p) in pairs.iter().enumerate() {
            let base = format!("{field}[{i}]");
            own_cell(|| format!("{base}.post"), &p.post)?;
            own_cell(|| format!("{base}.candidate"), &p.candidate)?;
            opt_cell(|| format!("{base}.note"), &p.note)?;
        }
    }
    Ok(())
}

/// Attribute maps: each key is a column header, each text value a cell of its own.
fn attributes(
    base: &str,
    kind: SheetKind,
    m: &std::collections::BTreeMap<String, AttrValue>,
) -> Result<(), Refusal> {
    use crate::scenario::path_key as key;
    for (k, v) in m {
        let path = || format!("{base}{}", key(k));
        header_key(path, kind, Prefix::Attr, k)?;
        if let AttrValue::Str(s) = v {
            own_cell(path, s)?;
        }
    }
    Ok(())
}
