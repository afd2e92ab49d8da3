//! One sheet with its header row matched to the layout, and typed access to its cells with
//! cell-precise errors; plus `Locations`, the map from JSON paths back to cells.
//!
//! Text cells are trimmed; a blank row is skipped; a row with only some of its required cells
//! is an error naming the missing ones; numbers stored as text read as numbers where a number
//! is expected, and a number typed into a text cell (an id 1001) reads as the text "1001".

use std::collections::{BTreeMap, HashMap};

use super::layout::{
    match_header, parse_yes_no, split_list, HeaderMatch, ListCell, Prefix, SheetDef,
};
use super::source::{Cell, Table};
use crate::error::InputError;
use crate::scenario::raw::AttrValue;

/// Where a value came from: sheet, row (as the spreadsheet shows it) and column header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    /// `候选人 (candidates)`: the name as written, with the English name when it differs.
    pub sheet: String,
    pub row: u32,
    pub column: Option<String>,
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sheet {}, row {}", self.sheet, self.row)?;
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        Ok(())
    }
}

/// JSON path -> cell, for every value read from a workbook.
#[derive(Debug, Clone, Default)]
pub struct Locations(HashMap<String, Loc>);

impl Locations {
    /// The cell of a JSON path, or of its nearest enclosing value that has one
    /// (`candidates[3].avoid_teams[1]` -> the avoid_teams cell of that row).
    pub fn find(&self, path: &str) -> Option<&Loc> {
        let mut p = path;
        loop {
            if let Some(l) = self.0.get(p) {
                return Some(l);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// Rewrite an error about the scenario: its JSON path becomes the cell it came from, and
    /// so does a JSON path the reason ends with.
    pub fn relocate(&self, mut e: InputError) -> InputError {
        if let Some(loc) = self.find(&e.path) {
            e.path = loc.to_string();
            // `duplicate id "7" (first used at candidates[2])`: name the row instead.
            if let Some(start) = e.reason.rfind(" at ") {
                let rest = &e.reason[start + 4..];
                if let Some(path) = rest.strip_suffix(')') {
                    if let Some(first) = self.find(path) {
                        e.reason = format!("{} at row {})", &e.reason[..start], first.row);
                        return e;
                    }
                }
            }
            // `"max" compares numbers, but "age" is a string at candidates[0].attributes.age`:
            // name that value's cell (a path may hold " at " itself, so try each).
            let ats: Vec<usize> = e.reason.match_indices(" at ").map(|(i, _)| i).collect();
            for start in ats {
                if let Some(other) = self.0.get(&e.reason[start + 4..]) {
                    e.reason = format!("{} at {other}", &e.reason[..start]);
                    return e;
                }
            }
            // `the pair (...) is also decided (decided[0]); ...`: a JSON path in parentheses
            // becomes its sheet and row (another sheet's, here).
            let opens: Vec<usize> = e.reason.match_indices('(').map(|(i, _)| i).collect();
            for open in opens {
                let Some(len) = e.reason[open + 1..].find(')') else {
                    continue;
                };
                let inner = &e.reason[open + 1..open + 1 + len];
                if let Some(other) = self.0.get(inner) {
                    e.reason = format!(
                        "{}({other}){}",
                        &e.reason[..open],
                        &e.reason[open + 1 + len + 1..]
                    );
                    break;
                }
            }
        }
        e
    }

    pub(super) fn put(&mut self, path: String, loc: Loc) {
        self.0.entry(path).or_insert(loc);
    }
}

/// A name as shown in messages: as written, plus the English name when it differs.
pub(super) fn shown(written: &str, en: &str) -> String {
    let w = written.trim();
    if w.to_lowercase().contains(en) {
        w.to_string()
    } else {
        format!("{w} ({en})")
    }
}

pub(super) fn key(k: &str) -> String {
    crate::scenario::path_key(k)
}

/// A sheet with its header matched: for each cell position, what it holds.
pub(super) struct Sheet<'a> {
    pub(super) def: &'static SheetDef,
    pub(super) table: &'a Table,
    pub(super) shown: String,
    pub(super) header_row: u32,
    /// Column position of each fixed column, if present.
    pub(super) fixed: Vec<Option<usize>>,
    /// (position, prefix, key) of each prefixed column, in sheet order.
    pub(super) prefixed: Vec<(usize, Prefix, String)>,
    pub(super) headers: Vec<String>,
}

/// One data row, with helpers that turn cells into typed values or cell-precise errors.
pub(super) struct Row<'s, 'a> {
    pub(super) sheet: &'s Sheet<'a>,
    pub(super) number: u32,
    pub(super) cells: &'a [Cell],
    pub(super) file: &'s str,
}

impl<'a> Sheet<'a> {
    pub(super) fn new(
        def: &'static SheetDef,
        table: &'a Table,
        file: &str,
    ) -> Result<Sheet<'a>, InputError> {
        let shown_name = shown(&table.name, def.en);
        let err = |row: u32, col: Option<String>, reason: String| {
            InputError::new(
                file,
                Loc {
                    sheet: shown_name.clone(),
                    row,
                    column: col,
                }
                .to_string(),
                reason,
            )
        };
        // The header row is the first row naming one of the sheet's columns: a title row
        // (merged or not) above it is skipped.
        let Some((header_row, cells)) = table.rows.iter().find(|(_, cells)| {
            cells.iter().any(|c| match c {
                Cell::Text(t) => match_header(def, t).is_some(),
                _ => false,
            })
        }) else {
            return Err(InputError::new(
                file,
                format!("sheet {shown_name}"),
                format!(
                    "no header row: expected columns such as {}",
                    def.columns
                        .iter()
                        .filter(|c| c.required)
                        .map(|c| format!("{} ({})", c.zh, c.en))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        let mut fixed = vec![None; def.columns.len()];
        let mut prefixed: Vec<(usize, Prefix, String)> = Vec::new();
        let mut headers = vec![String::new(); cells.len()];
        for (pos, c) in cells.iter().enumerate() {
            let text = match c {
                Cell::Empty => continue,
                Cell::Text(t) if t.trim().is_empty() => continue,
                Cell::Text(t) => t.trim().to_string(),
                Cell::Num(n) => crate::scenario::number(*n),
                Cell::Bool(b) => b.to_string(),
                Cell::IsoDate(d) => d.clone(),
                Cell::Error(e) => e.clone(),
                Cell::Unsaved(f) => format!("={f}"),
            };
            let col_name = column_letters;
            match match_header(def, &text) {
                Some(HeaderMatch::Fixed(i)) => {
                    if let Some(first) = fixed[i] {
                        return Err(err(
                            *header_row,
                            Some(text.clone()),
                            format!(
                                "column {} given twice (first in column {})",
                                def.columns[i].en,
                                col_name(first)
                            ),
                        ));
                    }
                    fixed[i] = Some(pos);
                    headers[pos] = shown(&text, def.columns[i].en);
                }
                Some(HeaderMatch::Prefixed(p, k)) => {
                    if let Some((first, _, _)) =
                        prefixed.iter().find(|(_, q, j)| *q == p && *j == k)
                    {
                        return Err(err(
                            *header_row,
                            Some(text.clone()),
                            format!(
                                "column {}.{k} given twice (first in column {})",
                                p.en(),
                                col_name(*first)
                            ),
                        ));
                    }
                    prefixed.push((pos, p, k.clone()));
                    headers[pos] = shown(&text, &format!("{}.{k}", p.en()));
                }
                None => {
                    let hint = if def.prefixes.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; prefixed columns here: {}",
                            def.prefixes
                                .iter()
                                .map(|p| format!("{}.NAME", p.en()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    return Err(err(
                        *header_row,
                        Some(text.clone()),
                        format!(
                            "unknown column {} (allowed: {}{hint})",
                            crate::scenario::quoted(&text),
                            def.columns
                                .iter()
                                .map(|c| c.en)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
            }
        }
        for (i, c) in def.columns.iter().enumerate() {
            if c.required && fixed[i].is_none() {
                return Err(err(
                    *header_row,
                    None,
                    format!("missing required column {} ({})", c.zh, c.en),
                ));
            }
        }
        Ok(Sheet {
            def,
            table,
            shown: shown_name,
            header_row: *header_row,
            fixed,
            prefixed,
            headers,
        })
    }

    /// The non-blank rows below the header.
    pub(super) fn rows<'s>(&'s self, file: &'s str) -> impl Iterator<Item = Row<'s, 'a>> + 's {
        self.table
            .rows
            .iter()
            .filter(move |(n, cells)| *n > self.header_row && !cells.iter().all(Cell::is_blank))
            .map(move |(n, cells)| Row {
                sheet: self,
                number: *n,
                cells,
                file,
            })
    }

    pub(super) fn loc(&self, row: u32, pos: Option<usize>) -> Loc {
        Loc {
            sheet: self.shown.clone(),
            row,
            column: pos.map(|p| self.headers[p].clone()),
        }
    }
}

/// Why a formula saved without its value cannot be read.
fn unsaved(formula: &str) -> String {
    format!(
        "the cell holds the formula ={formula} with no value saved; open and save the workbook in a spreadsheet program (Excel, WPS, LibreOffice) so its values are computed, or type the value"
    )
}

/// A column's letters as a spreadsheet shows them: position 0 is `A`, 28 is `AC`.
pub(super) fn column_letters(pos: usize) -> String {
    let mut s = String::new();
    let mut n = pos + 1;
    while n > 0 {
        s.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    s
}

/// A number for a text cell: `1001`, not `1001.0`.
fn num_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl Row<'_, '_> {
    pub(super) fn err(&self, pos: Option<usize>, reason: impl Into<String>) -> InputError {
        InputError::new(
            self.file,
            self.sheet.loc(self.number, pos).to_string(),
            reason,
        )
    }

    pub(super) fn loc(&self, pos: Option<usize>) -> Loc {
        self.sheet.loc(self.number, pos)
    }

    pub(super) fn cell(&self, pos: usize) -> &Cell {
        self.cells.get(pos).unwrap_or(&Cell::Empty)
    }

    pub(super) fn pos(&self, en: &str) -> Option<usize> {
        let i = self.sheet.def.columns.iter().position(|c| c.en == en)?;
        self.sheet.fixed[i]
    }

    /// Every required column must be filled in a row that has anything, and no value may sit
    /// in a column without a header (it would be dropped without a word).
    pub(super) fn check_required(&self) -> Result<(), InputError> {
        if let Some(pos) = self.cells.iter().enumerate().position(|(pos, c)| {
            !c.is_blank() && self.sheet.headers.get(pos).is_none_or(|h| h.is_empty())
        }) {
            return Err(self.err(
                None,
                format!(
                    "a value in column {} ({}) has no header; give the column a header (extra data goes into attr.NAME columns) or clear the cell",
                    pos + 1,
                    column_letters(pos)
                ),
            ));
        }
        let missing: Vec<String> = self
            .sheet
            .def
            .columns
            .iter()
            .zip(&self.sheet.fixed)
            .filter(|(c, p)| c.required && p.is_some_and(|p| self.cell(p).is_blank()))
            .map(|(_, p)| self.sheet.headers[p.unwrap()].clone())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(self.err(
                None,
                format!(
                    "missing required {} {}",
                    if missing.len() == 1 { "cell" } else { "cells" },
                    missing.join(", ")
                ),
            ))
        }
    }

    pub(super) fn text_at(&self, pos: usize) -> Result<Option<String>, InputError> {
        Ok(match self.cell(pos) {
            Cell::Empty => None,
            Cell::Text(t) => Some(t.trim().to_string()).filter(|t| !t.is_empty()),
            Cell::Num(v) => Some(num_text(*v)),
            Cell::Bool(b) => Some(b.to_string()),
            Cell::IsoDate(d) => Some(d.clone()),
            Cell::Error(e) => {
                return Err(self.err(Some(pos), format!("the cell holds the error {e}")))
            }
            Cell::Unsaved(f) => return Err(self.err(Some(pos), unsaved(f))),
        })
    }

    pub(super) fn number_at(&self, pos: usize) -> Result<Option<f64>, InputError> {
        let v = match self.cell(pos) {
            Cell::Empty => return Ok(None),
            Cell::Num(v) => *v,
            Cell::Text(t) if t.trim().is_empty() => return Ok(None),
            Cell::Text(t) => t.trim().parse::<f64>().map_err(|_| {
                self.err(
                    Some(pos),
                    format!("expected a number, found {}", crate::scenario::quoted(t)),
                )
            })?,
            Cell::Bool(b) => {
                return Err(self.err(Some(pos), format!("expected a number, found {b}")))
            }
            Cell::IsoDate(d) => {
                return Err(self.err(
                    Some(pos),
                    format!(
                        "expected a number, found the date {} (this file stores dates as ISO dates, not as serial numbers); type the number",
                        crate::scenario::quoted(d)
                    ),
                ))
            }
            Cell::Error(e) => {
                return Err(self.err(Some(pos), format!("the cell holds the error {e}")))
            }
            Cell::Unsaved(f) => return Err(self.err(Some(pos), unsaved(f))),
        };
        if !v.is_finite() {
            return Err(self.err(Some(pos), "must be a finite number"));
        }
        Ok(Some(v))
    }

    pub(super) fn integer_at(&self, pos: usize) -> Result<Option<u32>, InputError> {
        match self.number_at(pos)? {
            None => Ok(None),
            Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 => Ok(Some(v as u32)),
            Some(v) => Err(self.err(
                Some(pos),
                format!(
                    "expected a non-negative integer, found {}",
                    crate::scenario::number(v)
                ),
            )),
        }
    }

    pub(super) fn yes_no_at(&self, pos: usize) -> Result<Option<bool>, InputError> {
        match self.cell(pos) {
            Cell::Bool(b) => Ok(Some(*b)),
            Cell::Num(v) if *v == 1.0 => Ok(Some(true)),
            Cell::Num(v) if *v == 0.0 => Ok(Some(false)),
            _ => match self.text_at(pos)? {
                None => Ok(None),
                Some(t) => parse_yes_no(&t).map(Some).ok_or_else(|| {
                    self.err(
                        Some(pos),
                        format!(
                            "expected yes or no (yes/no/true/false/1/0/是/否), found {}",
                            crate::scenario::quoted(&t)
                        ),
                    )
                }),
            },
        }
    }

    /// An attribute or setting value: numbers stay numbers, text stays text (in a CSV file,
    /// where every cell is text, text that is a number reads as the number).
    ///
    /// A spreadsheet boolean is an error, as `true` is in JSON: the spec allows no boolean
    /// attributes, and TRUE read as the text "true" would match no `in` list typed `TRUE`.
    pub(super) fn any_at(&self, pos: usize) -> Result<Option<AttrValue>, InputError> {
        match self.cell(pos) {
            Cell::Num(v) => return Ok(Some(AttrValue::Num(*v))),
            Cell::Bool(b) => {
                return Err(self.err(
                    Some(pos),
                    format!(
                        "expected a string or a number, found the boolean {}; type it as text or as a number",
                        if *b { "TRUE" } else { "FALSE" }
                    ),
                ))
            }
            _ => {}
        }
        Ok(self.text_at(pos)?.map(|t| match t.parse::<f64>() {
            Ok(v) if self.sheet.table.all_text && v.is_finite() => AttrValue::Num(v),
            _ => AttrValue::Str(t),
        }))
    }

    pub(super) fn text(&self, en: &str) -> Result<Option<String>, InputError> {
        self.pos(en).map_or(Ok(None), |p| self.text_at(p))
    }
    pub(super) fn number(&self, en: &str) -> Result<Option<f64>, InputError> {
        self.pos(en).map_or(Ok(None), |p| self.number_at(p))
    }
    pub(super) fn yes_no(&self, en: &str) -> Result<Option<bool>, InputError> {
        self.pos(en).map_or(Ok(None), |p| self.yes_no_at(p))
    }
    /// A list cell: its items and whether it has a separator (`None` when blank).
    pub(super) fn list_cell(&self, en: &str) -> Result<Option<ListCell>, InputError> {
        let Some(pos) = self.pos(en) else {
            return Ok(None);
        };
        match self.text_at(pos)? {
            None => Ok(None),
            Some(t) => split_list(&t)
                .map(Some)
                .map_err(|reason| self.err(Some(pos), reason)),
        }
    }
    pub(super) fn list(&self, en: &str) -> Result<Option<Vec<String>>, InputError> {
        Ok(self.list_cell(en)?.map(|l| l.items))
    }

    /// Record where fixed column `en` of this row sits, at `path.en`.
    pub(super) fn put(&self, locs: &mut Locations, base: &str, en: &str) {
        locs.put(format!("{base}.{en}"), self.loc(self.pos(en)));
    }

    /// The prefixed number columns of one prefix, recording their cells under `base`.
    pub(super) fn prefixed_numbers(
        &self,
        p: Prefix,
        base: &str,
        locs: &mut Locations,
    ) -> Result<BTreeMap<String, f64>, InputError> {
        let mut out = BTreeMap::new();
        for (pos, q, k) in &self.sheet.prefixed {
            if *q == p {
                if let Some(v) = self.number_at(*pos)? {
                    out.insert(k.clone(), v);
                    locs.put(format!("{base}{}", key(k)), self.loc(Some(*pos)));
                }
            }
        }
        Ok(out)
    }

    pub(super) fn attributes(
        &self,
        base: &str,
        locs: &mut Locations,
    ) -> Result<BTreeMap<String, AttrValue>, InputError> {
        let mut out = BTreeMap::new();
        for (pos, q, k) in &self.sheet.prefixed {
            if *q == Prefix::Attr {
                if let Some(v) = self.any_at(*pos)? {
                    out.insert(k.clone(), v);
                    locs.put(format!("{base}{}", key(k)), self.loc(Some(*pos)));
                }
            }
        }
        Ok(out)
    }
}
