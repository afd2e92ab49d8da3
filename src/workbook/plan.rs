//! Plans as workbooks: `solve --out plan.xlsx` writes one, and `check` reads the placements of
//! one (any sheet with post and candidate columns, so a plan typed by hand in Excel works).
//!
//! The plan workbook is built from the plan's JSON document, so fields that later versions add
//! to plans appear as extra columns without changes here.

use std::path::Path;

use serde_json::Value;

use super::layout::{bilingual, names};
use super::source::{read_source, Cell};
use super::write::{put_sheet, Out, SheetOut};
use crate::error::InputError;
use crate::scenario::Scenario;

/// Chinese names of plan columns and sheets (English key -> alias).
const ALIASES: &[(&str, &str)] = &[
    ("post", "职位"),
    ("team", "班子"),
    ("rank", "职级"),
    ("title", "职位名称"),
    ("kind", "类别"),
    ("candidate", "候选人"),
    ("candidate_name", "姓名"),
    ("fit", "适配度"),
    ("specialty", "专长"),
    ("experience", "经历"),
    ("fits", "达标"),
    ("promotion", "晋升"),
    ("rule", "规则"),
    ("name", "名称"),
    ("type", "类型"),
    ("value", "值"),
    ("count", "人数"),
    ("total", "总数"),
    ("min", "下限"),
    ("max", "上限"),
    ("hard", "硬性"),
    ("shortfall", "缺口"),
    ("cost", "代价"),
    ("holds", "满足"),
    ("tight", "紧"),
    ("placements", "配备数"),
    ("fitting", "达标数"),
    ("rate", "达标率"),
    ("target", "目标"),
    ("meets_target", "达到目标"),
    ("key", "项目"),
    ("message", "说明"),
];

/// Preferred column order of the placements sheet; other keys follow in document order.
const PLACEMENT_ORDER: &[&str] = &[
    "post",
    "team",
    "rank",
    "title",
    "kind",
    "candidate",
    "candidate_name",
    "fit",
    "specialty",
    "experience",
    "fits",
    "promotion",
];

fn header(key: &str) -> String {
    match ALIASES.iter().find(|(en, _)| *en == key) {
        Some((en, zh)) => bilingual(en, zh),
        None => key.to_string(),
    }
}

fn cell(v: &Value) -> Out {
    match v {
        Value::Null => Out::Empty,
        Value::Bool(b) => Out::Str(if *b { "yes" } else { "no" }.into()),
        Value::Number(n) => n.as_f64().map_or(Out::Empty, Out::Num),
        Value::String(s) => Out::Str(s.clone()),
        other => Out::Str(other.to_string()),
    }
}

/// A list of objects as a sheet: one column per key (first-seen order after `order`).
fn table(name: &str, items: &[Value], order: &[&str]) -> SheetOut {
    let mut keys: Vec<String> = order
        .iter()
        .filter(|k| items.iter().any(|i| i.get(**k).is_some()))
        .map(|k| k.to_string())
        .collect();
    for i in items {
        if let Some(o) = i.as_object() {
            for k in o.keys() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
    }
    SheetOut {
        name: name.to_string(),
        headers: keys.iter().map(|k| header(k)).collect(),
        rows: items
            .iter()
            .map(|i| {
                keys.iter()
                    .map(|k| i.get(k).map_or(Out::Empty, cell))
                    .collect()
            })
            .collect(),
    }
}

/// Flatten an object into (dotted key, value) rows.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<Vec<Out>>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        Value::Array(a) if a.iter().all(|x| !x.is_object()) => {
            let items: Vec<String> = a.iter().map(|x| cell(x).text_for_list()).collect();
            out.push(vec![Out::Str(prefix.into()), Out::Str(items.join(";"))]);
        }
        Value::Array(_) => {}
        other => out.push(vec![Out::Str(prefix.into()), cell(other)]),
    }
}

impl Out {
    fn text_for_list(&self) -> String {
        match self {
            Out::Empty => String::new(),
            Out::Str(s) => s.clone(),
            Out::Num(v) => format!("{v}"),
        }
    }
}

/// A plan document (as `serde_json::to_value(&plan)`) as `.xlsx` bytes: sheets placements,
/// unfilled, fit_rates, rules, diagnosis (when any) and provenance (status, objective, bound,
/// gap and how the plan was made).
pub fn plan_xlsx(plan: &Value) -> Result<Vec<u8>, String> {
    let arr = |k: &str| {
        plan.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut sheets = vec![table(
        "placements 配备",
        &arr("placements"),
        PLACEMENT_ORDER,
    )];
    let unfilled: Vec<Value> = arr("unfilled")
        .into_iter()
        .map(|p| serde_json::json!({ "post": p }))
        .collect();
    let mut unfilled_sheet = table("unfilled 空缺", &unfilled, &["post"]);
    if unfilled_sheet.headers.is_empty() {
        unfilled_sheet.headers.push(header("post"));
    }
    sheets.push(unfilled_sheet);
    sheets.push(table("fit_rates 适配率", &arr("fit_rates"), &[]));
    sheets.push(table("rules 规则", &arr("rules"), &[]));
    let diagnosis = arr("diagnosis");
    if !diagnosis.is_empty() {
        sheets.push(table("diagnosis 诊断", &diagnosis, &["message"]));
    }
    let mut rows = Vec::new();
    if let Some(o) = plan.as_object() {
        for (k, v) in o {
            if !matches!(v, Value::Array(_)) {
                flatten(k, v, &mut rows);
            }
        }
    }
    sheets.push(SheetOut {
        name: "provenance 来源".into(),
        headers: vec![header("key"), header("value")],
        rows,
    });
    let mut wb = super::write::new_workbook();
    for s in &sheets {
        if s.headers.is_empty() {
            continue;
        }
        put_sheet(wb.add_worksheet(), s)?;
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}

/// One placement row of a plan workbook or CSV folder: the ids as typed, and where each sits
/// (`file`, and `sheet S, row R, column C` for the post and the candidate cell), for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    pub post: String,
    pub candidate: String,
    pub file: String,
    pub post_at: String,
    pub candidate_at: String,
}

/// A cell's text as a plan row reads it: trimmed text, whole numbers without `.0`.
fn text(c: &Cell) -> String {
    match c {
        Cell::Text(t) => t.trim().to_string(),
        Cell::Num(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", *v as i64),
        Cell::Num(v) => format!("{v}"),
        Cell::Bool(b) => b.to_string(),
        Cell::IsoDate(d) => d.clone(),
        Cell::Empty | Cell::Error(_) | Cell::Unsaved(_) => String::new(),
    }
}

/// The placement rows of a plan workbook or CSV folder, unresolved, with the SHA-256 of what was
/// read: the first sheet whose header row has a post and a candidate column (`post`/`职位`,
/// `candidate`/`候选人`). Blank rows are skipped; a row with only one of the two cells is an
/// error naming the cell. Id cells are trimmed, unless the text as written is an id of `s` and
/// the trimmed text is not (JSON ids may have leading or trailing spaces, and `solve --out
/// plan.xlsx` writes them as they are).
pub fn plan_workbook_rows(path: &Path, s: &Scenario) -> Result<(Vec<PlanRow>, String), InputError> {
    let file = path.display().to_string();
    let src = read_source(path)?;
    let id = |c: Option<&Cell>, known: &dyn Fn(&str) -> bool| match c {
        Some(Cell::Text(t)) if !known(t.trim()) && known(t) => t.clone(),
        Some(c) => text(c),
        None => String::new(),
    };
    for t in &src.tables {
        for (hi, (_, cells)) in t.rows.iter().enumerate() {
            let find = |en, zh| cells.iter().position(|c| names(&text(c), en, zh));
            let (Some(pc), Some(cc)) = (find("post", "职位"), find("candidate", "候选人"))
            else {
                continue;
            };
            let f = if t.file.is_empty() {
                file.clone()
            } else {
                format!("{file}/{}", t.file)
            };
            let loc = |row: u32, col: usize| {
                format!("sheet {}, row {row}, column {}", t.name, text(&cells[col]))
            };
            // A second post or candidate column would be ignored without a word: refused.
            for (en, zh, first) in [("post", "职位", pc), ("candidate", "候选人", cc)] {
                if let Some(second) = cells
                    .iter()
                    .enumerate()
                    .skip(first + 1)
                    .find(|(_, c)| names(&text(c), en, zh))
                    .map(|(i, _)| i)
                {
                    let (row, _) = &t.rows[hi];
                    return Err(InputError::new(
                        &f,
                        loc(*row, second),
                        format!("a second {en} column; keep one of them"),
                    ));
                }
            }
            let mut out = Vec::new();
            for (row, rc) in &t.rows[hi + 1..] {
                let (post, cand) = (
                    id(rc.get(pc), &|x| s.post_by_id(x).is_some()),
                    id(rc.get(cc), &|x| s.candidate_by_id(x).is_some()),
                );
                if post.is_empty() && cand.is_empty() {
                    continue;
                }
                for (v, col) in [(&post, pc), (&cand, cc)] {
                    if v.is_empty() {
                        return Err(InputError::new(&f, loc(*row, col), "missing required cell"));
                    }
                }
                out.push(PlanRow {
                    post,
                    candidate: cand,
                    file: f.clone(),
                    post_at: loc(*row, pc),
                    candidate_at: loc(*row, cc),
                });
            }
            return Ok((out, src.sha256));
        }
    }
    Err(InputError::new(
        file,
        "",
        "no sheet with post (职位) and candidate (候选人) columns",
    ))
}

/// The placements of a plan workbook or CSV folder ([`plan_workbook_rows`]), resolved against
/// the scenario. Errors name the cell (an unknown post or candidate).
pub fn read_plan_workbook(path: &Path, s: &Scenario) -> Result<Vec<(usize, usize)>, InputError> {
    let (rows, _) = plan_workbook_rows(path, s)?;
    rows.iter()
        .map(|r| {
            let p = s.post_by_id(&r.post).ok_or_else(|| {
                InputError::new(
                    &r.file,
                    &r.post_at,
                    format!("unknown post {}", crate::scenario::quoted(&r.post)),
                )
            })?;
            let c = s.candidate_by_id(&r.candidate).ok_or_else(|| {
                InputError::new(
                    &r.file,
                    &r.candidate_at,
                    format!(
                        "unknown candidate {}",
                        crate::scenario::quoted(&r.candidate)
                    ),
                )
            })?;
            Ok((p, c))
        })
        .collect()
}
