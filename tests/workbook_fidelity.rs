//! Workbook fidelity (findings of 2026-12-03): list items holding a separator or a quote were
//! split by `convert` and changed the scenario's answer; an empty `in` list was written as a
//! blank cell that postfit then refused; a boolean cell in an attribute column became the
//! string "true"; an ISO date cell (as .ods files store dates) was refused with a misleading
//! message; a type conflict named a JSON path instead of the cell. Inputs are in
//! tests/fixtures/workbook/ (see its README.md).

use std::path::{Path, PathBuf};

use postfit::scenario::raw::{AttrValue, OneOrMany};
use postfit::scenario::RawScenario;
use postfit::workbook::layout::split_list;
use postfit::workbook::{read_raw, scenario_xlsx};
mod review_support;

use review_support::{postfit, stderr};
use rust_xlsxwriter::Workbook;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/workbook")
        .join(name)
}

fn same(a: &RawScenario, b: &RawScenario) -> bool {
    serde_json::to_value(a).unwrap() == serde_json::to_value(b).unwrap()
}

/// JSON -> workbook -> raw scenario.
fn round_trip(raw: &RawScenario, dir: &Path) -> RawScenario {
    let path = dir.join("rt.xlsx");
    std::fs::write(&path, scenario_xlsx(raw).unwrap()).unwrap();
    read_raw(&path).unwrap_or_else(|e| panic!("{e}")).raw
}

fn solve_json(path: &Path) -> Value {
    let out = postfit(&["solve", path.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}: {}", path.display(), stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `convert` JSON -> xlsx -> JSON gives the same scenario, and the workbook solves to the
/// same answer as the JSON.
fn converts_losslessly(json: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("s.xlsx");
    let back = dir.path().join("back.json");
    for (from, to) in [(json, xlsx.as_path()), (xlsx.as_path(), back.as_path())] {
        let out = postfit(&["convert", from.to_str().unwrap(), to.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let (_, a, _) = postfit::load(json).unwrap();
    let (_, b, _) = postfit::load(&back).unwrap();
    assert!(
        same(&a, &b),
        "{}: convert changed the scenario:\n{}\n---\n{}",
        json.display(),
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    let (x, y) = (solve_json(json), solve_json(&xlsx));
    for k in ["status", "objective", "placements"] {
        assert_eq!(x[k], y[k], "{}: {k}", json.display());
    }
}

#[test]
fn list_items_holding_a_separator_or_a_quote_survive_convert() {
    // A tag "cppcc;2027" came back as two tags and the workbook was infeasible.
    converts_losslessly(&fixture("tag-with-semicolon.json"));
    // Each separator, quotes, in tags, avoid_teams, in/not_in and where (one value or a list).
    let many = fixture("list-items-with-separators.json");
    converts_losslessly(&many);
    let (_, mut raw, _) = postfit::load(&many).unwrap();
    // Items the reader would otherwise trim, drop or unquote.
    raw.teams[0].tags.extend(
        ["", " padded ", "\"\"", "a\"b", "\"x\"、y", "；", ";;"]
            .iter()
            .map(|s| s.to_string()),
    );
    let dir = tempfile::tempdir().unwrap();
    let back = round_trip(&raw, dir.path());
    assert_eq!(back.teams[0].tags, raw.teams[0].tags);
    assert!(same(&raw, &back));
    // A `where` value that is one item keeps being one item, a one-item list stays a list.
    let w = back.rules[0].where_.as_ref().unwrap();
    assert_eq!(w.tag, Some(OneOrMany::One("cppcc;2027".into())));
    let w = back.rules[1].where_.as_ref().unwrap();
    assert_eq!(w.tag, Some(OneOrMany::Many(vec!["cppcc;2027".into()])));
}

#[test]
fn a_list_cell_may_quote_its_items() {
    let items = |s: &str| split_list(s).unwrap().items;
    assert_eq!(items("a; b、c ；d"), ["a", "b", "c", "d"]);
    assert_eq!(items("\"cppcc;2027\"、plain"), ["cppcc;2027", "plain"]);
    assert_eq!(items(" \"say \"\"hi\"\"\" ; x"), ["say \"hi\"", "x"]);
    assert_eq!(items("a\"b;\"\""), ["a\"b", ""]);
    assert_eq!(items(";"), Vec::<String>::new());
    assert!(!split_list("\"a;b\"").unwrap().separated);
    assert!(split_list("\"a;b\";").unwrap().separated);
    for bad in ["\"unclosed;x", "\"a\"b;c"] {
        assert!(split_list(bad).is_err(), "{bad}");
    }
}

/// Write sheets cell by cell: `#3` is the number 3, `!true` a boolean, anything else text.
fn handmade(path: &Path, sheets: &[(&str, &[&[&str]])]) {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if let Some(n) = v.strip_prefix('#') {
                    ws.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
                } else if let Some(b) = v.strip_prefix('!') {
                    ws.write_boolean(r, c, b == "true").unwrap();
                } else if !v.is_empty() {
                    ws.write_string(r, c, *v).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// A small workbook whose teams and candidates sheets are given.
fn small(path: &Path, teams: &[&[&str]], candidates: &[&[&str]], groups: &[&[&str]]) {
    handmade(
        path,
        &[
            ("settings", &[&["key", "value"], &["name", "small"]]),
            ("ranks", &[&["rank"], &["r0"]]),
            ("teams", teams),
            ("posts", &[&["id", "team", "rank"], &["P1", "T1", "r0"]]),
            ("candidates", candidates),
            ("groups", groups),
        ],
    );
}

/// Exit 2 with one line naming the sheet, row and column.
fn refused(path: &Path, sheet: &str, row: &str, column: &str) -> String {
    let out = postfit(&["solve", path.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    for part in [
        format!("sheet {sheet}"),
        format!("row {row}"),
        format!("column {column}"),
    ] {
        assert!(err.contains(&part), "{part}: {err}");
    }
    err
}

const TEAMS: &[&[&str]] = &[&["id", "tags"], &["T1", "county"]];
const CANDIDATES: &[&[&str]] = &[&["id", "rank", "years_at_rank"], &["C1", "r0", "#1"]];
const NO_GROUPS: &[&[&str]] = &[&["group", "attribute"]];

#[test]
fn a_badly_quoted_list_item_names_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.xlsx");
    small(&path, TEAMS, CANDIDATES, NO_GROUPS);
    postfit::load(&path).unwrap();
    small(
        &path,
        &[&["id", "tags"], &["T1", "\"cppcc;2027"]],
        CANDIDATES,
        NO_GROUPS,
    );
    let err = refused(&path, "teams", "2", "tags");
    assert!(err.contains("quote"), "{err}");
}

#[test]
fn an_empty_in_list_survives_convert() {
    // `{"in": []}` was written as a blank cell, and postfit refused its own workbook.
    converts_losslessly(&fixture("empty-in-list.json"));
}

#[test]
fn a_boolean_attribute_cell_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.xlsx");
    let candidates: &[&[&str]] = &[
        &["id", "rank", "years_at_rank", "attr.cpc"],
        &["C1", "r0", "#1", "yes"],
        &["C2", "r0", "#1", "!false"],
    ];
    small(&path, TEAMS, candidates, NO_GROUPS);
    let err = refused(&path, "candidates", "3", "attr.cpc");
    assert!(err.contains("expected a string or a number"), "{err}");
    // The same in the members sheet; a boolean in a yes/no column is still a yes or a no.
    handmade(
        &path,
        &[
            ("settings", &[&["key", "value"], &["name", "small"]]),
            ("ranks", &[&["rank"], &["r0"]]),
            ("teams", TEAMS),
            ("members", &[&["team", "attr.cpc"], &["T1", "!true"]]),
            (
                "posts",
                &[
                    &["id", "team", "rank", "must_fill"],
                    &["P1", "T1", "r0", "!true"],
                ],
            ),
            ("candidates", CANDIDATES),
        ],
    );
    refused(&path, "members", "2", "attr.cpc");
}

#[test]
fn iso_date_cells_read_as_text_or_are_refused_where_a_number_is_expected() {
    let err = refused(
        &fixture("iso-date-in-number-column.ods"),
        "candidates",
        "2",
        "years_at_rank",
    );
    // The reason (after the file name, which says "date" too) says the cell is a date.
    let reason = err.split("column years_at_rank").nth(1).unwrap();
    assert!(reason.contains("date \"2020-01-01\""), "{err}");
    let raw = read_raw(&fixture("iso-date-in-text-column.ods"))
        .unwrap()
        .raw;
    assert_eq!(raw.candidates[0].note.as_deref(), Some("2020-01-01"));
    let raw = read_raw(&fixture("iso-date-in-attribute-column.ods"))
        .unwrap()
        .raw;
    assert_eq!(
        raw.candidates[0].attributes.get("joined"),
        Some(&AttrValue::Str("2020-01-01".into()))
    );
}

#[test]
fn a_type_conflict_names_both_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    let candidates: &[&[&str]] = &[
        &["id", "rank", "years_at_rank", "attr.age"],
        &["C1", "r0", "#1", "forty"],
        &["C2", "r0", "#1", "#41"],
    ];
    let groups: &[&[&str]] = &[&["group", "attribute", "max"], &["young", "age", "#45"]];
    small(&path, TEAMS, candidates, groups);
    let err = refused(&path, "groups", "2", "max");
    assert!(
        err.contains("at sheet candidates, row 2, column attr.age"),
        "{err}"
    );
    assert!(!err.contains("candidates[0]"), "{err}");
}

/// Found by a reviewer (2026-12-03): a candidate id with a leading space (valid in JSON) was
/// written as it is into `solve --out plan.xlsx`, but the plan reader trimmed id cells, so
/// `check` called its own plan's candidate unknown and `--baseline` ignored the placement.
/// Id cells are trimmed only when the text as written is not an id.
#[test]
fn a_plan_workbook_keeps_ids_with_surrounding_spaces() {
    let json = fixture("ids-with-spaces.json");
    let json = json.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.xlsx");
    let plan = plan.to_str().unwrap();
    let o = postfit(&["solve", json, "--out", plan]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = postfit(&["check", json, plan]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = postfit(&["solve", json, "--baseline", plan, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["changes"], 0, "{v}");
    assert!(
        v.get("baseline_ignored")
            .is_none_or(|i| i.as_array().is_some_and(|a| a.is_empty())),
        "{v}"
    );
    // A hand-typed id with stray spaces still reads as the id.
    let typed = dir.path().join("typed.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in [
        ["post", "candidate"],
        ["007", " 1.50 "],
        ["1e3", " 12"],
        ["TRUE", "=1+1 "],
    ]
    .iter()
    .enumerate()
    {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    wb.save(&typed).unwrap();
    let o = postfit(&["check", json, typed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Found by a reviewer (2026-12-03): workbooks carried the time they were written in their
/// document properties, so `generate --out x.xlsx` (and every other workbook) differed from
/// run to run. They now carry a fixed creation time: the same input gives the same bytes.
#[test]
fn workbooks_are_the_same_bytes_whenever_written() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str| {
        let out = dir.path().join(name);
        let o = postfit(&[
            "generate",
            "--preset",
            "county",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::read(out).unwrap()
    };
    let first = write("a.xlsx");
    // The properties' clock counts seconds.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(
        first == write("b.xlsx"),
        "two runs wrote different workbooks"
    );
}

/// Found by a tester (2026-12-03): a plan CSV with two candidate columns silently used the
/// first. A second post or candidate column is refused, naming its cell.
#[test]
fn a_plan_with_two_candidate_columns_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.csv");
    std::fs::write(&plan, "post,candidate,candidate\ncppcc-vice-1,C04,C01\n").unwrap();
    let tut = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tutorial/scenario.json");
    let o = postfit(&["check", tut.to_str().unwrap(), plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "sheet plan, row 1, column candidate: a second candidate column; keep one of them"
        ),
        "{err}"
    );
}

/// Found by a reviewer (2026-12-03, second round): an attribute value `"CPC "` (valid JSON)
/// was written into its cell as it is, the reader trimmed it to `"CPC"`, and the converted
/// workbook was infeasible where the JSON solves. The reader keeps trimming (stray spaces typed
/// into a spreadsheet are a classic mismatch); `convert` refuses, naming the JSON path, any
/// value a workbook cannot keep, and writes nothing.
#[test]
fn convert_refuses_text_a_workbook_cell_cannot_keep() {
    let json = fixture("attribute-with-trailing-space.json");
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("t.xlsx");
    let o = postfit(&["solve", json.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "the JSON solves: {}", stderr(&o));
    let o = postfit(&["convert", json.to_str().unwrap(), xlsx.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(
            "attribute-with-trailing-space.json: candidates[2].attributes.affiliation: \"CPC \" begins or ends with a space, which a workbook cell cannot keep (cells are read trimmed); remove it"
        ),
        "{err}"
    );
    assert!(!xlsx.exists(), "a refused conversion writes nothing");
}

/// Each kind of value a cell cannot keep is named by its JSON path; list items may keep their
/// spaces (they are written in quotes).
#[test]
fn every_value_a_workbook_cannot_keep_is_named() {
    use postfit::workbook::unwritable;
    let base = || {
        let (_, raw, _) = postfit::load(&fixture("tag-with-semicolon.json")).unwrap();
        raw
    };
    assert_eq!(unwritable(&base()), None);
    type Edit = Box<dyn Fn(&mut RawScenario)>;
    let long = "长".repeat(40_000);
    let cases: Vec<(Edit, &str, &str)> = vec![
        (
            Box::new(|r| r.candidates[0].id = format!(" {}", r.candidates[0].id)),
            "candidates[0].id",
            "begins or ends with a space",
        ),
        (
            Box::new(|r| r.teams[0].name = Some("县政府\u{3000}".into())),
            "teams[0].name",
            "begins or ends with whitespace (U+3000)",
        ),
        (
            Box::new(|r| r.candidates[1].note = Some(String::new())),
            "candidates[1].note",
            "an empty text",
        ),
        (
            Box::new(move |r| r.candidates[1].name = Some(long.clone())),
            "candidates[1].name",
            "a text of 40000 characters, longer than the 32767 a workbook cell holds",
        ),
        (
            Box::new(|r| {
                r.candidates[0]
                    .attributes
                    .insert("x (id)".into(), AttrValue::Str("v".into()));
            }),
            "candidates[0].attributes[\"x (id)\"]",
            "reads as another column",
        ),
        (
            Box::new(|r| {
                r.candidates[0]
                    .attributes
                    .insert(" pad".into(), AttrValue::Num(1.0));
            }),
            "candidates[0].attributes[\" pad\"]",
            "headers are read trimmed",
        ),
        (
            Box::new(|r| {
                let g = r.groups.keys().next().unwrap().clone();
                let v = r.groups.remove(&g).unwrap();
                r.groups.insert(format!("{g} "), v);
            }),
            "groups[",
            "begins or ends with a space",
        ),
    ];
    for (edit, path, reason) in cases {
        let mut raw = base();
        edit(&mut raw);
        let (p, r) = unwritable(&raw).unwrap_or_else(|| panic!("{path}: accepted"));
        assert!(p.starts_with(path), "{path}: {p}: {r}");
        assert!(r.contains(reason), "{path}: {p}: {r}");
    }
    // List items keep surrounding spaces in quotes: written, and read back the same.
    let mut raw = base();
    raw.teams[0].tags.push(" padded ".into());
    raw.candidates[0].avoid_teams.push("\u{3000}x".into());
    assert_eq!(unwritable(&raw), None);
    let dir = tempfile::tempdir().unwrap();
    assert!(same(&raw, &round_trip(&raw, dir.path())));
}

/// What `convert` writes is read back and compared before it is saved; a difference is named
/// by its JSON path (checked here with a workbook of a different scenario).
#[test]
fn a_workbook_that_reads_back_differently_is_named() {
    use postfit::workbook::reads_back_differently;
    let (_, raw, _) = postfit::load(&fixture("tag-with-semicolon.json")).unwrap();
    let bytes = scenario_xlsx(&raw).unwrap();
    assert_eq!(reads_back_differently(&raw, &bytes), None);
    let mut other = raw.clone();
    other.candidates[1].years_at_rank += 1.0;
    let (path, reason) = reads_back_differently(&other, &bytes).unwrap();
    assert_eq!(path, "candidates[1].years_at_rank");
    assert!(
        reason.contains("would read back from the workbook as"),
        "{reason}"
    );
}

/// A text too long for a cell in a plan workbook (a 40,000-character candidate name) is named
/// by its sheet, row and column, not only by rust_xlsxwriter's "String exceeds Excel's limit".
#[test]
fn a_plan_value_too_long_for_a_cell_is_named() {
    let plan = serde_json::json!({
        "status": "optimal",
        "placements": [
            { "post": "P1", "candidate": "C1", "candidate_name": "x" },
            { "post": "P2", "candidate": "C2", "candidate_name": "x".repeat(40_000) },
        ],
    });
    let err = postfit::workbook::plan_xlsx(&plan).unwrap_err();
    assert!(
        err.starts_with("sheet placements 配备, row 3, column candidate_name / 姓名: a text of 40000 characters"),
        "{err}"
    );
}

/// The tutorial as a CSV folder (tests/fixtures/workbook/csv-headerless-cell) copied into
/// `dir`, with the stray value past the last header cleared: a folder that solves.
fn clean_csv_folder(dir: &Path) -> PathBuf {
    let src = fixture("csv-headerless-cell");
    let out = dir.join("roster");
    std::fs::create_dir_all(&out).unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let text = text.replace(",important,", ",,");
        std::fs::write(out.join(p.file_name().unwrap()), text).unwrap();
    }
    let o = postfit(&["solve", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    out
}

fn refused_with(path: &Path, expected: &str) {
    let o = postfit(&["solve", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(expected), "expected {expected:?} in: {err}");
}

/// Found by a reviewer (2026-12-03, second round): a setting given twice was taken silently,
/// the last one winning. Refused, naming both rows, as a column or a rank given twice is.
#[test]
fn a_setting_given_twice_is_refused() {
    refused_with(
        &fixture("settings-threshold-twice.xlsx"),
        "settings-threshold-twice.xlsx: sheet settings 设置, row 8, column key / 项目: setting threshold given twice (first at row 6); keep one of them",
    );
    // The Chinese key names the same setting.
    let dir = tempfile::tempdir().unwrap();
    let folder = clean_csv_folder(dir.path());
    append_line(&folder.join("settings.csv"), "适配阈值,0.5\n");
    refused_with(
        &folder,
        "settings.csv: sheet settings, row 8, column key / 项目: setting threshold given twice (first at row 6)",
    );
}

/// Found by a reviewer (2026-12-03, second round): a value in a column with no header was
/// dropped without a word, in a CSV folder and in a workbook alike.
#[test]
fn a_value_in_a_column_without_a_header_is_refused() {
    refused_with(
        &fixture("csv-headerless-cell"),
        "csv-headerless-cell/candidates.csv: sheet candidates, row 2: a value in column 29 (AC) has no header",
    );
    // The same in .xlsx: a value in Z2, past the last header (W), and one under a blank
    // header between two named ones.
    let dir = tempfile::tempdir().unwrap();
    let header: Vec<&str> = ["id", "rank", "years_at_rank", "", "note"].to_vec();
    for (row, expected) in [
        (
            vec![
                "C1", "r1", "#1", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
                "", "", "", "", "", "", "stray",
            ],
            "sheet candidates, row 2: a value in column 26 (Z) has no header",
        ),
        (
            vec!["C1", "r1", "#1", "stray", "n"],
            "sheet candidates, row 2: a value in column 4 (D) has no header",
        ),
    ] {
        let path = dir.path().join("w.xlsx");
        handmade(
            &path,
            &[
                ("settings", &[&["key", "value"], &["name", "x"]]),
                ("ranks", &[&["rank"], &["r1"], &["r2"]]),
                ("teams", &[&["id"], &["T1"]]),
                ("posts", &[&["id", "team", "rank"], &["P1", "T1", "r2"]]),
                ("candidates", &[&header, &row]),
            ],
        );
        refused_with(&path, expected);
    }
}

/// Found by a reviewer (2026-12-03, second round): a pair both decided and vetoed named the
/// decided one by its JSON path (`decided[0]`) in a workbook; it names the sheet and row.
#[test]
fn a_pair_decided_and_vetoed_names_both_rows() {
    let (_, mut raw, _) = postfit::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tutorial/scenario.json"),
    )
    .unwrap();
    let pair = postfit::scenario::raw::RawPair {
        post: "cppcc-vice-2".into(),
        candidate: "C09".into(),
        note: None,
    };
    raw.decided = vec![pair.clone()];
    raw.vetoed = vec![pair];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dv.xlsx");
    std::fs::write(&path, scenario_xlsx(&raw).unwrap()).unwrap();
    refused_with(
        &path,
        "dv.xlsx: sheet vetoed 否决, row 2: the pair (\"cppcc-vice-2\", \"C09\") is also decided (sheet decided 已定, row 2); a pair may not be both",
    );
}

/// Found by a reviewer (2026-12-03, second round): a CSV cell whose opening quote is never
/// closed swallowed the rest of the file and was reported as missing cells.
#[test]
fn an_unclosed_quote_in_a_csv_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let folder = clean_csv_folder(dir.path());
    append_line(
        &folder.join("candidates.csv"),
        "C99,\"unterminated,section,4\r\n",
    );
    refused_with(
        &folder,
        "candidates.csv: sheet candidates, row 14: the double quote that opens the cell in column 2 (B) is never closed",
    );
}

/// Found by a reviewer (2026-12-03, second round): a formula saved without its value
/// (`<f>1/0</f>` and no `<v>`) was reported as a missing cell. The message names the formula
/// and says how to get its value saved.
#[test]
fn a_formula_without_a_saved_value_is_named() {
    refused_with(
        &fixture("formula-without-value.xlsx"),
        "sheet candidates 候选人, row 2, column years_at_rank / 任现职级年限: the cell holds the formula =1/0 with no value saved; open and save the workbook in a spreadsheet program",
    );
}

/// Appends `line` (with its own line ending) to a file of a CSV folder.
fn append_line(file: &std::path::Path, line: &str) {
    let mut text = std::fs::read_to_string(file).unwrap();
    text.push_str(line);
    std::fs::write(file, text).unwrap();
}
