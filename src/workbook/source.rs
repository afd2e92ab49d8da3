//! Getting cells out of a file: `.xlsx`/`.xls`/`.ods` through calamine, or a folder of CSV
//! files (one per sheet) through the csv crate, decoded from UTF-8 (with or without BOM) or
//! GB18030/GBK (encoding_rs).
//!
//! Formulas and dates come in as the value the spreadsheet program cached when it saved the
//! file (an .xlsx/.xls date as its serial number, an ISO date as [`Cell::IsoDate`]); nothing
//! is recomputed.

use std::io::Cursor;
use std::path::Path;

use crate::error::InputError;

/// One cell, as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    Num(f64),
    Bool(bool),
    /// A date or time stored as ISO text (`2020-01-01`, `PT12H`), as .ods files (and some
    /// .xlsx writers, type `d`) store them; an .xlsx date is a number formatted as a date.
    IsoDate(String),
    /// A formula error such as `#N/A`.
    Error(String),
    /// A formula with no value saved with it (the file was written by a program that does not
    /// compute formulas): the formula's text.
    Unsaved(String),
}

impl Cell {
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// One sheet: its name as written and its rows with the row numbers a spreadsheet shows.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub name: String,
    /// The file the sheet came from, for a CSV folder (`candidates.csv`); empty for a workbook.
    pub file: String,
    pub rows: Vec<(u32, Vec<Cell>)>,
    /// Every cell is text (CSV): numbers cannot be told from text by the cell's type.
    pub all_text: bool,
}

/// Every sheet of a workbook or CSV folder, the SHA-256 of its bytes, and notes for the user
/// (which encoding each CSV file was read as).
pub(crate) struct Source {
    pub tables: Vec<Table>,
    pub sha256: String,
    pub notes: Vec<String>,
}

/// Extensions read as workbooks.
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `path` names a workbook (by extension) or a folder of CSV files (a folder not named
/// `*.json`: that one is reported as a directory where a JSON file was expected).
pub fn is_workbook(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if path.is_dir() {
        return ext.as_deref() != Some("json");
    }
    ext.is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.as_str()))
}

pub(crate) fn read_source(path: &Path) -> Result<Source, InputError> {
    if path.is_dir() {
        read_csv_folder(path)
    } else if is_csv_file(path) {
        // One CSV file is one sheet (a plan typed by hand and saved as CSV).
        read_csv_files(true, vec![path.to_path_buf()])
    } else {
        read_workbook(path)
    }
}

/// Whether `path` names a single CSV file (by extension): a plan may be one (`check`, `diff`,
/// `report`, `solve --baseline`); a scenario needs a folder of them.
pub fn is_csv_file(path: &Path) -> bool {
    !path.is_dir()
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

fn read_workbook(path: &Path) -> Result<Source, InputError> {
    let file = path.display().to_string();
    let bytes = crate::scenario::read_bytes(path)?;
    read_workbook_bytes(bytes, &file)
}

/// A workbook's sheets from its bytes; `file` names it in messages.
pub(crate) fn read_workbook_bytes(bytes: Vec<u8>, file: &str) -> Result<Source, InputError> {
    use calamine::{Data, Reader};
    let file = file.to_string();
    let sha256 = crate::scenario::sha256_hex(&bytes);
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        InputError::new(
            &file,
            "",
            format!("cannot read as a spreadsheet ({e}); save it as .xlsx, .xls or .ods"),
        )
    })?;
    let mut tables = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).map_err(|e| {
            InputError::new(&file, format!("sheet {name}"), format!("cannot read: {e}"))
        })?;
        // A formula saved without its value reads as an empty cell: its text says why.
        let formulas = wb.worksheet_formula(&name).ok();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for (i, row) in range.rows().enumerate() {
            let mut cells = vec![Cell::Empty; c0 as usize];
            let r = r0 + i as u32;
            cells.extend(row.iter().enumerate().map(|(j, d)| {
                match d {
                    Data::Empty => formulas
                        .as_ref()
                        .and_then(|f| f.get_value((r, c0 + j as u32)))
                        .filter(|f| !f.is_empty())
                        .map_or(Cell::Empty, |f| Cell::Unsaved(f.clone())),
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Float(f) => Cell::Num(*f),
                    Data::Int(i) => Cell::Num(*i as f64),
                    Data::Bool(b) => Cell::Bool(*b),
                    Data::DateTime(d) => Cell::Num(d.as_f64()),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::IsoDate(s.clone()),
                    Data::Error(e) => Cell::Error(e.to_string()),
                }
            }));
            rows.push((r0 + i as u32 + 1, cells));
        }
        tables.push(Table {
            name,
            file: String::new(),
            rows,
            all_text: false,
        });
    }
    Ok(Source {
        tables,
        sha256,
        notes: Vec::new(),
    })
}

/// Decode CSV bytes: UTF-8 with or without BOM, else GB18030 (a superset of GBK and GB2312).
/// Returns the text and the encoding's name.
pub(crate) fn decode(bytes: &[u8], file: &str) -> Result<(String, &'static str), InputError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8 with BOM"))
            .map_err(|_| InputError::new(file, "", "starts with a UTF-8 BOM but is not UTF-8"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| (s.into_owned(), "GB18030/GBK"))
        .ok_or_else(|| {
            InputError::new(
                file,
                "",
                "neither UTF-8 nor GB18030/GBK text (save the CSV as UTF-8)",
            )
        })
}

/// A CSV file's name as text. Names unzipped from a Chinese Windows archive are GBK bytes
/// (`候选人.csv` is `BA F2 D1 A1 C8 CB .csv`), so on Unix, where names are bytes, a name that
/// is not UTF-8 is read as GB18030/GBK; so is one whose bytes are also valid UTF-8 (GBK
/// `职位` is) when only the GBK reading names a sheet. Bytes of neither show as U+FFFD.
pub(crate) fn os_name(name: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    let gbk = {
        use std::os::unix::ffi::OsStrExt;
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(name.as_bytes())
            .map(|s| s.into_owned())
    };
    #[cfg(not(unix))]
    let gbk: Option<String> = None;
    let names_sheet = |n: &str| {
        Path::new(n)
            .file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|s| super::layout::sheet_of(s).is_some())
    };
    match (name.to_str(), gbk) {
        (Some(utf8), Some(gbk)) if !names_sheet(utf8) && names_sheet(&gbk) => gbk,
        (Some(utf8), _) => utf8.to_string(),
        (None, Some(gbk)) => gbk,
        (None, None) => name.to_string_lossy().into_owned(),
    }
}

fn read_csv_folder(dir: &Path) -> Result<Source, InputError> {
    let folder = dir.display().to_string();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| InputError::new(&folder, "", format!("cannot read folder: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(InputError::new(
            folder,
            "",
            "is a folder without .csv files; expected a JSON file, a workbook, or a folder of CSV files (one per sheet)",
        ));
    }
    read_csv_files(false, files)
}

/// CSV files as sheets, each named after its file (without `.csv`); `single`: the path given
/// is the file itself (messages name it alone, not as folder/file).
fn read_csv_files(single: bool, files: Vec<std::path::PathBuf>) -> Result<Source, InputError> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut tables = Vec::new();
    let mut notes = Vec::new();
    for f in files {
        let fname = f.file_name().map(os_name).unwrap_or_default();
        let name = Path::new(&fname)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        // Messages name the file as the user sees it, a GBK name decoded.
        let shown = match f.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(parent) => parent.join(&fname).display().to_string(),
            None => fname.clone(),
        };
        let bytes = crate::scenario::read_bytes(&f)?;
        hasher.update(fname.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
        let (text, enc) = decode(&bytes, &shown)?;
        // Only what was not plain UTF-8 is worth a note (a note per file was noise).
        if enc != "UTF-8" {
            notes.push(format!("{fname}: read as {enc}"));
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| InputError::new(&shown, "", format!("invalid CSV: {e}")))?;
            let cells: Vec<Cell> = rec
                .iter()
                .map(|s| {
                    if s.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_string())
                    }
                })
                .collect();
            rows.push((i as u32 + 1, cells));
        }
        // The csv crate reads an unclosed quote to the end of the file without complaint, and
        // the row would be reported as missing cells.
        if quote_left_open(&text) {
            let (row, cols) = rows.last().map_or((1, 1), |(n, c)| (*n, c.len().max(1)));
            return Err(InputError::new(
                &shown,
                format!("sheet {name}, row {row}"),
                format!(
                    "the double quote that opens the cell in column {cols} ({}) is never closed, so the cell runs to the end of the file; close it (a quote inside a quoted cell is written \"\")",
                    super::sheet::column_letters(cols - 1)
                ),
            ));
        }
        tables.push(Table {
            name,
            file: if single { String::new() } else { fname },
            rows,
            all_text: true,
        });
    }
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Source {
        tables,
        sha256,
        notes,
    })
}

/// Whether CSV text ends inside a quoted field: a quote that opens a field (RFC 4180: at the
/// field's start) and is never closed. `""` inside a quoted field is a quote.
fn quote_left_open(text: &str) -> bool {
    let mut in_quotes = false;
    let mut field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' && chars.next_if_eq(&'"').is_none() {
                in_quotes = false;
            }
            continue;
        }
        match c {
            '"' if field_start => in_quotes = true,
            ',' | '\n' | '\r' => {
                field_start = true;
                continue;
            }
            _ => {}
        }
        field_start = false;
    }
    in_quotes
}

#[cfg(test)]
mod tests {
    use super::quote_left_open;

    #[test]
    fn an_unclosed_quote_is_found() {
        assert!(quote_left_open("a,b\nC99,\"unterminated,section,4\n"));
        assert!(quote_left_open("\"a\"\"b"));
        assert!(!quote_left_open("a,\"b,\nc\",d\n\"x\"\"y\",z\n"));
        assert!(!quote_left_open("a,b\"c,d\n"));
    }
}
