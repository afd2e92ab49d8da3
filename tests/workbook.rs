//! Workbooks in and out (issue 11): lossless round trips, the same plan from a workbook as from
//! JSON, workbooks made the way people make them, cell-precise errors, templates, plan
//! workbooks, CSV folders in UTF-8 and GBK.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use postfit::scenario::RawScenario;
use postfit::workbook::{read_raw, scenario_xlsx};
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

fn postfit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(args)
        .output()
        .expect("postfit runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every scenario whose round trip is checked: scenarios/*, the spec's examples.
fn json_scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path().join("scenario.json"))
        .filter(|p| p.is_file())
        .collect();
    let ex = Path::new("/work/shared/spec/examples");
    if ex.is_dir() {
        files.push(ex.join("tutorial.json"));
        let mut micro: Vec<PathBuf> = std::fs::read_dir(ex.join("micro"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap() != "expected.json")
            .collect();
        micro.sort();
        files.extend(micro);
    }
    files.sort();
    files
}

/// JSON -> workbook -> JSON, compared as documents.
fn round_trip(raw: &RawScenario, dir: &Path, name: &str) -> RawScenario {
    let path = dir.join(format!("{name}.xlsx"));
    std::fs::write(&path, scenario_xlsx(raw).unwrap()).unwrap();
    let back = read_raw(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    back.raw
}

fn same(a: &RawScenario, b: &RawScenario) -> bool {
    serde_json::to_value(a).unwrap() == serde_json::to_value(b).unwrap()
}

#[test]
fn every_committed_and_spec_scenario_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let files = json_scenarios();
    assert!(files.len() >= 4, "{files:?}");
    for f in &files {
        let (_, raw, _) = postfit::load(f).unwrap_or_else(|e| panic!("{e}"));
        let back = round_trip(&raw, dir.path(), "x");
        assert!(
            same(&raw, &back),
            "{}: round trip differs:\n{}\n---\n{}",
            f.display(),
            serde_json::to_string(&raw).unwrap(),
            serde_json::to_string(&back).unwrap()
        );
        // And it validates as a workbook.
        postfit::load(&dir.path().join("x.xlsx")).unwrap();
    }
}

#[test]
fn generated_scenarios_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    for seed in 1..=3 {
        let mut opts = postfit::generate::preset("county").unwrap();
        opts.seed = seed;
        opts.candidates = 60;
        let raw = postfit::generate::generate(&opts);
        let back = round_trip(&raw, dir.path(), "g");
        assert!(same(&raw, &back), "seed {seed}");
    }
}

fn solve_json(path: &Path) -> Value {
    let out = postfit(&["solve", path.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}: {}", path.display(), stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn solving_the_workbook_gives_the_same_plan_and_objective() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["tutorial", "county"] {
        let json = root().join(format!("scenarios/{name}/scenario.json"));
        let xlsx = dir.path().join(format!("{name}.xlsx"));
        let out = postfit(&["convert", json.to_str().unwrap(), xlsx.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        let a = solve_json(&json);
        let b = solve_json(&xlsx);
        assert_eq!(a["status"], b["status"], "{name}");
        assert_eq!(a["objective"], b["objective"], "{name}");
        assert_eq!(a["placements"], b["placements"], "{name}");
    }
}

#[test]
fn convert_goes_both_ways_losslessly() {
    let dir = tempfile::tempdir().unwrap();
    let json = root().join("scenarios/tutorial/scenario.json");
    let xlsx = dir.path().join("t.xlsx");
    let back = dir.path().join("t.json");
    assert!(
        postfit(&["convert", json.to_str().unwrap(), xlsx.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        postfit(&["convert", xlsx.to_str().unwrap(), back.to_str().unwrap()])
            .status
            .success()
    );
    let a: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let b: Value = serde_json::from_str(&std::fs::read_to_string(&back).unwrap()).unwrap();
    // Compare as scenarios (1 and 1.0 are the same number).
    let a: RawScenario = serde_json::from_value(a).unwrap();
    let b: RawScenario = serde_json::from_value(b).unwrap();
    assert!(same(&a, &b));
    let bad = postfit(&["convert", json.to_str().unwrap(), "out.txt"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn county_ships_its_scenario_as_a_workbook() {
    let (_, json, _) = postfit::load(&root().join("scenarios/county/scenario.json")).unwrap();
    let (_, xlsx, _) = postfit::load(&root().join("scenarios/county/scenario.xlsx")).unwrap();
    assert!(
        same(&json, &xlsx),
        "scenarios/county/scenario.xlsx is stale: run postfit convert scenarios/county/scenario.json scenarios/county/scenario.xlsx"
    );
}

/// Write a workbook cell by cell: `sheets` = (name, rows of cells); a cell starting with `#`
/// is written as a number.
fn handmade(path: &Path, sheets: &[(&str, Vec<Vec<&str>>)]) {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if let Some(n) = v.strip_prefix('#') {
                    ws.write_number(r as u32, c as u16, n.parse::<f64>().unwrap())
                        .unwrap();
                } else if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, *v).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// Sheets to write by hand: (name, rows of cells).
type Sheets = Vec<(&'static str, Vec<Vec<&'static str>>)>;

/// A change to a hand-made workbook that introduces one mistake.
type Mistake = Box<dyn Fn(&mut Sheets)>;

/// A roster as an organization department would type it: Chinese headers, a title row, stray
/// spaces, numbers stored as text, an id typed as a number, blank trailing rows.
fn person_made() -> Sheets {
    vec![
        (
            "设置",
            vec![
                vec!["项目", "值"],
                vec!["名称", " 县级换届 "],
                vec!["适配阈值", "0.6"],
            ],
        ),
        (
            "职级序列",
            vec![vec!["职级"], vec!["正科"], vec!["副处 "], vec![""]],
        ),
        (
            "班子",
            vec![
                vec!["2026年班子名单"],
                vec!["班子编号", "班子名称"],
                vec!["T1", "县政府"],
            ],
        ),
        (
            "班子成员",
            vec![vec!["班子", "属性.性别"], vec!["T1", "女"]],
        ),
        (
            "职位",
            vec![
                vec![
                    " 职位编号 ",
                    "职位名称",
                    "班子",
                    "职级",
                    "必须补缺",
                    "专长.农业",
                ],
                vec!["P1", "副县长", "T1", "副处", "否", "1"],
                vec!["P2", "副县长", " T1 ", "副处", "", "#1"],
            ],
        ),
        (
            "候选人",
            vec![
                vec![
                    "编号",
                    "姓名",
                    "职级",
                    "任现职级年限",
                    "属性.性别",
                    "专长.农业",
                ],
                vec!["#1001", "张三", "正科 ", " 3 ", "男", "0.9"],
                vec!["#1002", "李四", "正科", "5.0", "女", "#1"],
                vec!["1003", "王五", "正科", "#4", "男", "0.5"],
                vec!["", "", "", "", "", ""],
                vec![],
            ],
        ),
    ]
}

#[test]
fn a_person_made_workbook_solves() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.xlsx");
    handmade(&path, &person_made());
    let (s, raw, _) = postfit::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(raw.name, "县级换届");
    assert_eq!(raw.ranks, ["正科", "副处"]);
    let ids: Vec<&str> = raw.candidates.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["1001", "1002", "1003"]);
    assert_eq!(raw.candidates[0].years_at_rank, 3.0);
    assert_eq!(raw.teams[0].members.len(), 1);
    assert_eq!(s.posts.len(), 2);
    let plan = solve_json(&path);
    assert_eq!(plan["status"], "optimal");
    assert_eq!(plan["placements"].as_array().unwrap().len(), 2);
}

/// GBK-encoded CSV files, one per sheet, with a BOM-less UTF-8 one among them.
#[test]
fn a_gbk_csv_folder_solves_and_says_its_encoding() {
    let dir = tempfile::tempdir().unwrap();
    for (name, rows) in person_made() {
        let text: String = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| c.trim_start_matches('#'))
                    .collect::<Vec<_>>()
                    .join(",")
                    + "\r\n"
            })
            .collect();
        let bytes = if name == "设置" {
            text.into_bytes()
        } else {
            encoding_rs::GBK.encode(&text).0.into_owned()
        };
        std::fs::write(dir.path().join(format!("{name}.csv")), bytes).unwrap();
    }
    let (s, _, _) = postfit::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.candidates[0].name.as_deref(), Some("张三"));
    let wb = read_raw(dir.path()).unwrap();
    assert!(
        wb.notes
            .iter()
            .any(|n| n == "候选人.csv: read as GB18030/GBK"),
        "{:?}",
        wb.notes
    );
    assert!(
        // Plain UTF-8 gets no note (found by a reviewer, session 20: one per file was noise).
        !wb.notes.iter().any(|n| n.starts_with("设置.csv")),
        "{:?}",
        wb.notes
    );
    let plan = solve_json(dir.path());
    assert_eq!(plan["status"], "optimal");
}

/// A CSV folder unzipped from a Chinese Windows archive: the file names themselves are GBK
/// bytes (not UTF-8), as are the contents; the sheets are found by their decoded names, and
/// messages name the files as the user sees them.
#[cfg(unix)]
#[test]
fn csv_files_with_gbk_names_load() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let gbk_path = |name: &str| {
        let bytes = encoding_rs::GBK
            .encode(&format!("{name}.csv"))
            .0
            .into_owned();
        dir.path().join(std::ffi::OsStr::from_bytes(&bytes))
    };
    for (name, rows) in person_made() {
        let text: String = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| c.trim_start_matches('#'))
                    .collect::<Vec<_>>()
                    .join(",")
                    + "\r\n"
            })
            .collect();
        let path = gbk_path(name);
        // GBK `职位` happens to be valid UTF-8 too (as "ְλ"): read as GBK since only that
        // names a sheet.
        let utf8 = path.file_name().unwrap().to_str().is_some();
        assert_eq!(utf8, name == "职位", "{name}: GBK bytes");
        std::fs::write(path, &*encoding_rs::GBK.encode(&text).0).unwrap();
    }
    let (s, _, _) = postfit::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.candidates[0].name.as_deref(), Some("张三"));
    let wb = read_raw(dir.path()).unwrap();
    assert!(
        wb.notes
            .iter()
            .any(|n| n == "候选人.csv: read as GB18030/GBK"),
        "{:?}",
        wb.notes
    );
    let plan = solve_json(dir.path());
    assert_eq!(plan["status"], "optimal");
    // A file of neither encoding is named in Chinese, not as U+FFFD.
    std::fs::write(gbk_path("候选人"), b"\xff\xff\xff").unwrap();
    let out = postfit(&["solve", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("候选人.csv: neither UTF-8 nor GB18030/GBK"),
        "{}",
        stderr(&out)
    );
}

/// Each kind of mistake exits 2 with one line naming sheet, row and column.
#[test]
fn mistakes_name_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Mistake)> = vec![
        ("unknown rank", Box::new(|s| s[5].1[2][2] = "正科级")),
        (
            "missing column",
            Box::new(|s| {
                for r in s[5].1.iter_mut() {
                    if r.len() > 3 {
                        r.remove(3);
                    }
                }
            }),
        ),
        ("duplicate id", Box::new(|s| s[5].1[3][0] = "1001")),
        (
            "text in a number column",
            Box::new(|s| s[5].1[1][3] = "三年"),
        ),
        (
            "partial row",
            Box::new(|s| s[5].1[4] = vec!["1004", "赵六", "", "", "", ""]),
        ),
        ("unknown team in a post", Box::new(|s| s[4].1[2][2] = "T9")),
        ("bad yes/no", Box::new(|s| s[4].1[1][4] = "maybe")),
        ("unknown column", Box::new(|s| s[5].1[0][1] = "名字")),
        (
            "missing sheet",
            Box::new(|s| {
                s.remove(5);
            }),
        ),
    ];
    let mut report = String::new();
    for (what, mutate) in cases {
        let mut sheets = person_made();
        mutate(&mut sheets);
        let path = dir.path().join("roster.xlsx");
        handmade(&path, &sheets);
        let out = postfit(&["solve", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(&out));
        let msg = stderr(&out).replace(&dir.path().display().to_string(), "DIR");
        assert_eq!(msg.lines().count(), 1, "{what}: {msg}");
        if what != "missing sheet" {
            assert!(
                msg.contains("sheet ") && msg.contains(", row "),
                "{what}: {msg}"
            );
        }
        report.push_str(&format!("{what}: {msg}"));
    }
    insta::assert_snapshot!(report);
}

#[test]
fn the_template_filled_in_solves() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.xlsx");
    let out = postfit(&["template", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Every sheet of the layout is there, plus instructions.
    use calamine::Reader;
    let wb = calamine::open_workbook_auto(&path).unwrap();
    let names = wb.sheet_names();
    for def in postfit::workbook::layout::SHEETS {
        assert!(
            names
                .iter()
                .any(|n| n.contains(def.en) && n.contains(def.zh)),
            "{names:?}"
        );
    }
    assert!(names.iter().any(|n| n.contains("instructions")));
    let (_, raw, _) = postfit::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(same(&raw, &postfit::workbook::template_example()));
    let plan = solve_json(&path);
    assert_eq!(plan["status"], "optimal");
    assert_eq!(plan["placements"][0]["candidate"], "1001");
    assert_eq!(postfit(&["template", "x.json"]).status.code(), Some(2));
}

#[test]
fn plan_workbooks_are_written_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = root().join("scenarios/tutorial/scenario.json");
    let plan = dir.path().join("plan.xlsx");
    let out = postfit(&[
        "solve",
        scenario.to_str().unwrap(),
        "--out",
        plan.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(&plan).unwrap();
    let names = wb.sheet_names();
    for s in ["placements", "unfilled", "fit_rates", "rules", "provenance"] {
        assert!(
            names.iter().any(|n| n.starts_with(s)),
            "{s} missing from {names:?}"
        );
    }
    let placements = wb.worksheet_range(&names[0]).unwrap();
    let json = solve_json(&scenario);
    assert_eq!(
        placements.height() - 1,
        json["placements"].as_array().unwrap().len()
    );
    let ok = postfit(&["check", scenario.to_str().unwrap(), plan.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));

    // A plan typed by hand: one placement twice breaks the plan (exit 1); an unknown post is
    // bad input naming the cell (exit 2).
    let first = &json["placements"][0];
    let (p, c) = (
        first["post"].as_str().unwrap(),
        first["candidate"].as_str().unwrap(),
    );
    let hand = dir.path().join("hand.xlsx");
    handmade(
        &hand,
        &[(
            "方案",
            vec![vec!["职位", "候选人"], vec![p, c], vec!["NOPE", c]],
        )],
    );
    let bad = postfit(&["check", scenario.to_str().unwrap(), hand.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("sheet 方案, row 3, column 职位: unknown post \"NOPE\""),
        "{}",
        stderr(&bad)
    );
    handmade(&hand, &[("方案", vec![vec!["职位", "候选人"], vec![p, c]])]);
    let partial = postfit(&["check", scenario.to_str().unwrap(), hand.to_str().unwrap()]);
    assert!(partial.status.code() == Some(0) || partial.status.code() == Some(1));
}

/// The plan workbook opens in LibreOffice: converting it headless succeeds and keeps the
/// placements. Skipped (with a message) where LibreOffice is not installed.
#[test]
fn the_plan_workbook_opens_in_libreoffice() {
    let Some(lo) = ["libreoffice", "soffice"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("skipped: LibreOffice is not installed (apt-get install libreoffice-calc-nogui)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let scenario = root().join("scenarios/tutorial/scenario.json");
    let plan = dir.path().join("plan.xlsx");
    assert!(postfit(&[
        "solve",
        scenario.to_str().unwrap(),
        "--out",
        plan.to_str().unwrap()
    ])
    .status
    .success());
    let out = Command::new(lo)
        .args(["--headless", "--convert-to", "ods", "--outdir"])
        .arg(dir.path())
        .arg(&plan)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    // Complaints about the file, not about the machine (no Java installed is not the file's).
    let about_file: Vec<&str> = err
        .lines()
        .filter(|l| !l.contains("javaldx"))
        .filter(|l| {
            let l = l.to_lowercase();
            l.contains("warn") || l.contains("error")
        })
        .collect();
    assert!(about_file.is_empty(), "{err}");
    let ods = dir.path().join("plan.ods");
    assert!(ods.is_file(), "LibreOffice wrote no plan.ods: {err}");
    // The template survives LibreOffice too, and the .ods it saves reads as the same scenario.
    let template = dir.path().join("roster.xlsx");
    assert!(postfit(&["template", template.to_str().unwrap()])
        .status
        .success());
    let out = Command::new(lo)
        .args(["--headless", "--convert-to", "ods", "--outdir"])
        .arg(dir.path())
        .arg(&template)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let (_, raw, _) =
        postfit::load(&dir.path().join("roster.ods")).unwrap_or_else(|e| panic!("{e}"));
    assert!(same(&raw, &postfit::workbook::template_example()));
    // The converted plan still has the placements.
    let ok = postfit(&["check", scenario.to_str().unwrap(), ods.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
}

#[test]
fn docs_name_every_sheet_and_column() {
    let docs = std::fs::read_to_string(root().join("docs/workbook.md")).unwrap();
    for def in postfit::workbook::layout::SHEETS {
        assert!(
            docs.contains(&format!("### {} {}", def.en, def.zh)) || docs.contains(def.zh),
            "{}",
            def.en
        );
        for c in def.columns {
            assert!(
                docs.contains(c.en) && docs.contains(c.zh),
                "{}: {} {}",
                def.en,
                c.en,
                c.zh
            );
        }
    }
    for (en, zh, _) in postfit::workbook::layout::SETTINGS {
        assert!(docs.contains(en) && docs.contains(zh), "{en}");
    }
}

/// Attribute values that look like numbers but are text, Chinese, empty-looking: all kept.
fn attr_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("007".to_string()),
        Just("1001".to_string()),
        Just("中共党员".to_string()),
        "[a-z]{1,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random valid scenarios (the oracle tests' generator, with text that looks like numbers
    /// added) survive JSON -> workbook -> JSON.
    #[test]
    fn random_scenarios_survive_the_round_trip(seed in 0u64..10_000, extra in attr_text(), num in -1e6f64..1e6) {
        let doc = common::scenario_json(seed);
        let mut raw: RawScenario = serde_json::from_value(doc).unwrap();
        if let Some(c) = raw.candidates.first_mut() {
            c.attributes.insert("code".into(), postfit::scenario::raw::AttrValue::Str(extra.clone()));
            c.attributes.insert("score".into(), postfit::scenario::raw::AttrValue::Num(num));
            c.note = Some(format!("note {extra}"));
        }
        let dir = tempfile::tempdir().unwrap();
        let back = round_trip(&raw, dir.path(), "p");
        prop_assert!(same(&raw, &back), "{}\n---\n{}", serde_json::to_string(&raw).unwrap(), serde_json::to_string(&back).unwrap());
    }
}

/// `"promotion": {}` and `"fit": {}` are kept (found by the property test, seed 3165).
#[test]
fn empty_promotion_and_fit_objects_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut raw, _) = postfit::load(&root().join("scenarios/tutorial/scenario.json")).unwrap();
    raw.promotion = Some(Default::default());
    raw.fit = Some(Default::default());
    let back = round_trip(&raw, dir.path(), "e");
    assert!(back.promotion.is_some() && back.fit.is_some());
    assert!(same(&raw, &back));
    raw.promotion = None;
    raw.fit = None;
    let back = round_trip(&raw, dir.path(), "n");
    assert!(back.promotion.is_none() && back.fit.is_none());
}

#[test]
fn decided_and_vetoed_placements_round_trip_and_name_their_row() {
    // The city re-plan carries three decided placements (spec 1.1); add a vetoed pair too.
    let dir = tempfile::tempdir().unwrap();
    let (_, mut raw, _) = postfit::load(&root().join("scenarios/city/replan.json")).unwrap();
    assert_eq!(raw.decided.len(), 3, "the city re-plan decides three posts");
    raw.vetoed.push(postfit::scenario::raw::RawPair {
        post: raw.posts[5].id.clone(),
        candidate: raw.candidates[7].id.clone(),
        note: Some("inspection".into()),
    });
    let back = round_trip(&raw, dir.path(), "replan");
    assert!(same(&raw, &back), "decided/vetoed lost in the round trip");
    // An unknown post in the decided sheet is named by sheet, row and column.
    raw.decided[1].post = "NO-SUCH-POST".into();
    let path = dir.path().join("bad.xlsx");
    std::fs::write(&path, scenario_xlsx(&raw).unwrap()).unwrap();
    let o = postfit(&["inspect", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("decided") && err.contains("row 3") && err.contains("NO-SUCH-POST"),
        "{err}"
    );
}
