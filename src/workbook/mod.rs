//! Spreadsheets in and out: scenarios read from `.xlsx`/`.xls`/`.ods` workbooks or folders of
//! CSV files, scenarios and plans written as `.xlsx`. Layout: docs/workbook.md.
//!
//! A workbook becomes the same `RawScenario` the JSON loader produces and is validated by the
//! same code; validation errors, which name JSON paths, are mapped back to the cell the value
//! came from (`roster.xlsx: sheet 候选人 (candidates), row 17, column 职级 (rank): unknown rank
//! "正科"`).

pub mod layout;
mod plan;
pub mod read;
mod sheet;
mod source;
pub mod write;

use std::path::Path;

pub use plan::{plan_workbook_rows, plan_xlsx, read_plan_workbook, PlanRow};
pub use read::{Locations, ReadOutcome, SheetPlacement};
pub use source::{is_csv_file, is_workbook, WORKBOOK_EXTENSIONS};
pub use write::{scenario_xlsx, template_example, template_xlsx, unwritable};

use crate::error::InputError;
use crate::scenario::{RawScenario, Scenario};

/// A workbook read and checked: the raw scenario, the cell of every value, the SHA-256 of the
/// file's bytes (of every CSV file, for a folder) and notes such as which encoding each CSV
/// file was read as.
pub struct WorkbookScenario {
    pub raw: RawScenario,
    pub locations: Locations,
    pub sha256: String,
    pub notes: Vec<String>,
}

/// Read a workbook or CSV folder into a raw scenario, without validating it.
pub fn read_raw(path: &Path) -> Result<WorkbookScenario, InputError> {
    let file = path.display().to_string();
    let src = source::read_source(path)?;
    let out = read::build(&src.tables, &file)?;
    let mut raw = out.raw;
    hook::apply_placements(&mut raw, &out.decided, &out.vetoed, &file, &out.locations)?;
    Ok(WorkbookScenario {
        raw,
        locations: out.locations,
        sha256: src.sha256,
        notes: src.notes,
    })
}

/// Whether `bytes`, a scenario workbook just written from `raw`, read back as `raw`: `None`
/// when they do, else the JSON path of the first value that does not and how it reads back.
/// `convert` checks every workbook it writes this way, so a conversion it accepts is lossless
/// even for a case [`write::unwritable`] does not foresee.
pub fn reads_back_differently(raw: &RawScenario, bytes: &[u8]) -> Option<(String, String)> {
    let file = "the workbook written";
    let back = source::read_workbook_bytes(bytes.to_vec(), file)
        .and_then(|src| read::build(&src.tables, file))
        .and_then(|out| {
            let mut back = out.raw;
            hook::apply_placements(&mut back, &out.decided, &out.vetoed, file, &out.locations)?;
            Ok(back)
        });
    let back = match back {
        Ok(b) => b,
        Err(e) => {
            return Some((
                String::new(),
                format!("the workbook written from it does not read back ({e})"),
            ))
        }
    };
    let (a, b) = (
        serde_json::to_value(raw).expect("scenarios serialise"),
        serde_json::to_value(&back).expect("scenarios serialise"),
    );
    first_difference(&a, &b).map(|(path, was, now)| {
        (
            path,
            format!("{was} would read back from the workbook as {now}, so it cannot be converted losslessly"),
        )
    })
}

/// The first place two JSON documents differ (the first operation of `json_patch::diff`): its
/// path as users read it (`candidates[3].name`), and the value in each (`absent` when one has
/// none).
fn first_difference(
    a: &serde_json::Value,
    b: &serde_json::Value,
) -> Option<(String, String, String)> {
    use serde_json::Value;
    let patch = json_patch::diff(a, b);
    let ptr = patch.0.first()?.path();
    let show = |v: Option<&Value>| match v {
        None => "absent".to_string(),
        Some(v) => {
            let t = v.to_string();
            if t.chars().count() > 60 {
                format!("{}…", t.chars().take(40).collect::<String>())
            } else {
                t
            }
        }
    };
    // Walk the pointer in `a` to tell array indices from keys: a diff operation's parent is
    // always in `a` (add, remove and replace alike).
    let (mut path, mut node) = (String::new(), Some(a));
    for token in ptr.tokens() {
        let key = token.decoded();
        match node {
            Some(Value::Array(items)) => {
                path.push_str(&format!("[{key}]"));
                node = key.parse::<usize>().ok().and_then(|i| items.get(i));
            }
            other => {
                path.push_str(&crate::scenario::path_key(&key));
                node = other.and_then(|v| v.get(key.as_ref()));
            }
        }
    }
    let path = path.strip_prefix('.').map_or(path.clone(), str::to_string);
    Some((path, show(ptr.resolve(a).ok()), show(ptr.resolve(b).ok())))
}

/// Read and validate a workbook: what `postfit::load` does for a `.xlsx`/`.xls`/`.ods` file or
/// a folder. Validation errors name the cell.
pub fn load(path: &Path) -> Result<(Scenario, RawScenario, String), InputError> {
    let file = path.display().to_string();
    let wb = read_raw(path)?;
    let scenario = Scenario::from_raw(&wb.raw, &file).map_err(|e| wb.locations.relocate(e))?;
    Ok((scenario, wb.raw, wb.sha256))
}

/// Where the decided and vetoed sheets meet the scenario format.
mod hook {
    use super::*;
    use crate::scenario::raw::RawPair;

    /// Sets the scenario's `decided` and `vetoed` lists (spec 1.1) from the two sheets; their
    /// JSON paths (`decided[i].post`, ...) already point back at the sheet rows in `locs`, so
    /// validation errors name the cell.
    pub(super) fn apply_placements(
        raw: &mut RawScenario,
        decided: &[SheetPlacement],
        vetoed: &[SheetPlacement],
        _file: &str,
        _locs: &Locations,
    ) -> Result<(), InputError> {
        let pairs = |list: &[SheetPlacement]| -> Vec<RawPair> {
            list.iter()
                .map(|p| RawPair {
                    post: p.post.clone(),
                    candidate: p.candidate.clone(),
                    note: p.note.clone(),
                })
                .collect()
        };
        raw.decided = pairs(decided);
        raw.vetoed = pairs(vetoed);
        Ok(())
    }
}
