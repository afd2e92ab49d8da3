//! `postfit report`: figures equal hand-computed values (the tutorial's optimal plan, and a small
//! hand-made two-plan comparison), Markdown and CSV snapshots, chart layout (CJK label widths),
//! a self-contained HTML page, and the command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use postfit::check::{Slice, SliceRate};
use postfit::report::chart::{self, text_width, Bars, COLUMN_PX};
use postfit::report::{self, build, greedy_plan, html, tables, text, PlanSpec, Report};
use postfit::scenario::{parse_str, RawScenario};
use postfit::Scenario;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

fn assert_close(what: &str, got: f64, want: f64) {
    assert!(close(got, want), "{what}: got {got}, want {want}");
}

fn ids(s: &Scenario, plan: &[(&str, &str)]) -> Vec<(usize, usize)> {
    plan.iter()
        .map(|(p, c)| {
            (
                s.post_by_id(p).expect("post"),
                s.candidate_by_id(c).expect("candidate"),
            )
        })
        .collect()
}

fn rate<'a>(rates: &'a [SliceRate], slice: &Slice) -> &'a SliceRate {
    rates
        .iter()
        .find(|r| &r.slice == slice)
        .unwrap_or_else(|| panic!("no slice {slice:?}"))
}

// ---------------------------------------------------------------------------------------------
// The tutorial scenario, with its optimal plan, computed by hand.

fn tutorial() -> Scenario {
    postfit::load(&root().join("scenarios/tutorial/scenario.json"))
        .expect("tutorial loads")
        .0
}

/// The tutorial's optimal plan (README; `postfit solve` finds it).
const TUTORIAL_PLAN: [(&str, &str); 5] = [
    ("cppcc-vice-1", "C04"),
    ("cppcc-vice-2", "C01"),
    ("gov-vice", "C03"),
    ("agri-head", "C06"),
    ("agri-deputy", "C05"),
];

/// Fits by hand from the spec: fit = 0.6·S + 0.4·E; every placement here has E = 1 (each
/// candidate has at least the years the post wants), S is the cosine of the specialty maps.
fn tutorial_fits() -> [f64; 5] {
    let s1 = (0.6 * 0.5 + 1.0 * 0.9) / ((0.36f64 + 1.0).sqrt() * (0.81f64 + 0.25).sqrt());
    let s2 = (1.0 * 0.9 + 0.5 * 0.6) / ((1.0f64 + 0.25).sqrt() * (0.81f64 + 0.36).sqrt());
    let s3 = (1.0 * 0.9 + 0.8 * 0.5) / ((1.0f64 + 0.64).sqrt() * (0.81f64 + 0.25).sqrt());
    let s4 = 1.0 / (1.0f64 + 0.09).sqrt();
    let s5 = (0.8 * 0.9 + 0.6 * 0.7) / (0.81f64 + 0.49).sqrt();
    [s1, s2, s3, s4, s5].map(|s| 0.6 * s + 0.4)
}

#[test]
fn tutorial_figures_equal_hand_computed_values() {
    let s = tutorial();
    let r = build(
        &s,
        vec![PlanSpec {
            label: "optimal".into(),
            source: "hand".into(),
            placements: ids(&s, &TUTORIAL_PLAN),
        }],
    );
    assert_eq!(r.plans.len(), 2, "the plan and the greedy baseline");
    let p = &r.plans[0];
    let fits = tutorial_fits();
    // Placements are in post order, as the plan lists them.
    for (pl, want) in p.check.placements.iter().zip(fits) {
        assert_close("fit", pl.fit.total, want);
    }
    let total: f64 = fits.iter().sum();
    assert_close("total fit", p.check.fit_total, total);
    assert_close("objective", p.check.objective, total);
    assert_close("tutorial optimum", total, 4.961225657829248);

    // Every fit is above 0.9: all five in the top band, all fit (threshold 0.7).
    assert!(fits.iter().all(|&f| f >= 0.9));
    assert_eq!(p.histogram, [0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
    let all = rate(&p.rates, &Slice::All);
    assert_eq!((all.placements, all.fitting, all.rate), (5, 5, Some(1.0)));
    assert_eq!(all.target, None, "no fit_rate rule covers all posts");
    let tech = rate(&p.rates, &Slice::Kind(Some("technical".into())));
    assert_eq!((tech.posts, tech.placements, tech.fitting), (3, 3, 3));
    assert_eq!(tech.target, Some(0.8));
    assert_eq!(tech.meets_target(), Some(true));
    let comp = rate(&p.rates, &Slice::Kind(Some("comprehensive".into())));
    assert_eq!(
        (comp.posts, comp.placements, comp.target),
        (2, 2, Some(0.75))
    );
    // The CPPCC team's posts are exactly the comprehensive posts, so that rule is its target.
    let cppcc = s.team_by_id("cppcc").unwrap();
    assert_eq!(rate(&p.rates, &Slice::Team(cppcc)).target, Some(0.75));
    // Ranks: deputy-division holds the three vice posts.
    let dd = s.ranks.iter().position(|r| r == "deputy-division").unwrap();
    assert_eq!(rate(&p.rates, &Slice::Rank(dd)).placements, 3);
    // Groups: women placed are C01, C03, C05; non-party C04, C01, C03, C05; young C03 (39), C05 (36).
    let g = |n: &str| Slice::Group(s.group_by_name(n).unwrap());
    assert_eq!(rate(&p.rates, &g("women")).placements, 3);
    assert_eq!(rate(&p.rates, &g("non-party")).placements, 4);
    assert_eq!(rate(&p.rates, &g("young")).placements, 2);

    // Promotions: C04, C01, C03 step from section to deputy-division; C06, C05 stay at rank.
    assert_eq!((p.moves.promotions, p.moves.lateral), (3, 2));
    // C06 already sits on agri; the four others join a team.
    assert_eq!(p.moves.team_changes, 4);
    assert!(p.check.unfilled.is_empty());

    // Compositions: (size, non-party, women, young), before and after.
    let gi = |n: &str| s.group_by_name(n).unwrap();
    let (np, w, y) = (gi("non-party"), gi("women"), gi("young"));
    let comp_of =
        |c: &postfit::check::Composition| (c.size, c.in_group[np], c.in_group[w], c.in_group[y]);
    let team = |id: &str| s.team_by_id(id).unwrap();
    // cppcc: three incumbents, one Jiusan woman of 49.
    assert_eq!(comp_of(&r.before[team("cppcc")]), (3.0, 1.0, 1.0, 0.0));
    // gov: three CPC incumbents (one woman) and C09 (Minjian, F, 38) who sits on it.
    assert_eq!(comp_of(&r.before[team("gov")]), (4.0, 1.0, 2.0, 1.0));
    // agri: one CPC incumbent and C06 (CPC, M, 50).
    assert_eq!(comp_of(&r.before[team("agri")]), (2.0, 0.0, 0.0, 0.0));
    // After: cppcc + C04 (none, M, 45) + C01 (Minmeng, F, 43).
    assert_eq!(comp_of(&p.after[team("cppcc")]), (5.0, 3.0, 2.0, 0.0));
    // gov + C03 (Jiusan, F, 39).
    assert_eq!(comp_of(&p.after[team("gov")]), (5.0, 2.0, 3.0, 2.0));
    // agri: C06 stays, + C05 (Nonggong, F, 36).
    assert_eq!(comp_of(&p.after[team("agri")]), (3.0, 1.0, 1.0, 1.0));

    // Rules: "CPPCC half non-party" needs 2.5 of 5 and has 3 (tight: 2 would break it);
    // before, 1 of 3 is 0.5 short.
    let unit = |units: &[postfit::check::RuleUnit], rule: usize, t: Option<usize>| {
        units
            .iter()
            .find(|u| u.rule == rule && u.team == t)
            .cloned()
            .unwrap()
    };
    let half = unit(&p.check.rules, 1, Some(team("cppcc")));
    assert_eq!((half.count, half.total, half.needed), (3.0, 5.0, Some(2.5)));
    assert!(half.holds() && half.tight());
    let before = unit(&r.before_rules, 1, Some(team("cppcc")));
    assert_close("shortfall before", before.shortfall(), 0.5);
    // agri had no non-party member before (1 short); after, exactly one (tight).
    assert_close(
        "agri before",
        unit(&r.before_rules, 0, Some(team("agri"))).shortfall(),
        1.0,
    );
    assert!(unit(&p.check.rules, 0, Some(team("agri"))).tight());
    // Women among appointees: 3 of 5 = 60% >= 40%.
    let women = unit(&p.check.rules, 2, None);
    assert_eq!((women.count, women.total), (3.0, 5.0));
    assert!(women.holds() && !women.tight());
    assert!(p.check.is_ok());
}

#[test]
fn tutorial_tables_snapshot() {
    let s = tutorial();
    let r = build(
        &s,
        vec![PlanSpec {
            label: "optimal".into(),
            source: "postfit solve".into(),
            placements: ids(&s, &TUTORIAL_PLAN),
        }],
    );
    insta::assert_snapshot!("tutorial_markdown", text::markdown(&s, &r));
}

// ---------------------------------------------------------------------------------------------
// A small hand-made comparison: two plans, fits by experience alone (x years of 4 wanted).

const SMALL: &str = r#"{
  "name": "两个计划 two plans",
  "ranks": ["staff", "head"],
  "fit": {"specialty_weight": 0, "experience_weight": 1, "threshold": 0.7},
  "groups": {"women": {"gender": {"in": ["F"]}}},
  "teams": [
    {"id": "T1", "name": "一局 Bureau one", "members": [{"gender": "M"}]},
    {"id": "T2", "members": [{"gender": "F"}, {"gender": "M"}]}
  ],
  "posts": [
    {"id": "P1", "title": "局长", "team": "T1", "rank": "head", "kind": "technical", "experience": {"x": 4}},
    {"id": "P2", "team": "T1", "rank": "staff", "kind": "technical", "experience": {"x": 4}},
    {"id": "P3", "team": "T2", "rank": "head", "kind": "general", "experience": {"x": 4}}
  ],
  "candidates": [
    {"id": "A", "name": "王芳", "rank": "staff", "years_at_rank": 1, "attributes": {"gender": "F"}, "experience": {"x": 4}},
    {"id": "B", "rank": "head", "years_at_rank": 1, "attributes": {"gender": "M"}, "experience": {"x": 3}},
    {"id": "C", "rank": "staff", "years_at_rank": 1, "attributes": {"gender": "M"}, "experience": {"x": 2}, "team": "T2"},
    {"id": "D", "rank": "staff", "years_at_rank": 1, "attributes": {"gender": "F"}, "experience": {"x": 1}}
  ],
  "rules": [
    {"name": "T1 half women", "type": "share", "group": "women", "scope": "team", "where": {"team": "T1"}, "min": 0.5},
    {"name": "technical fit rate", "type": "fit_rate", "scope": "placements", "where": {"kind": "technical"}, "min": 0.5, "penalty": 2}
  ]
}"#;

fn small() -> Scenario {
    let raw: RawScenario = parse_str(SMALL, "small.json").expect("parses");
    Scenario::from_raw(&raw, "small.json").expect("valid")
}

/// "first": P1←A (fit 1), P2←C (0.5), P3←B (0.75). "second": P1←A (1), P2←D (0.25), P3 empty.
fn small_report(s: &Scenario) -> Report {
    build(
        s,
        vec![
            PlanSpec {
                label: "first".into(),
                source: "hand".into(),
                placements: ids(s, &[("P1", "A"), ("P2", "C"), ("P3", "B")]),
            },
            PlanSpec {
                label: "second".into(),
                source: "hand".into(),
                placements: ids(s, &[("P2", "D"), ("P1", "A")]),
            },
        ],
    )
}

#[test]
fn two_plan_comparison_equals_hand_computed_values() {
    let s = small();
    let r = small_report(&s);
    let [first, second, greedy] = &r.plans[..] else {
        panic!("three plans")
    };
    assert_eq!(greedy.label, report::GREEDY_LABEL);
    // Fits are years / 4: A 1, B 0.75, C 0.5, D 0.25.
    assert_close("first fit", first.check.fit_total, 1.0 + 0.5 + 0.75);
    assert_close("second fit", second.check.fit_total, 1.0 + 0.25);
    // Technical fit rate: first P1 fits, P2 (0.5) does not: 1/2 meets 50% exactly, no penalty;
    // second likewise (P2 0.25).
    for p in [first, second] {
        let t = rate(&p.rates, &Slice::Kind(Some("technical".into())));
        assert_eq!((t.placements, t.fitting, t.target), (2, 1, Some(0.5)));
        assert_eq!(t.meets_target(), Some(true));
        assert_close("penalty", p.check.penalty_total, 0.0);
    }
    assert_eq!(rate(&first.rates, &Slice::All).rate, Some(2.0 / 3.0));
    assert_eq!(rate(&second.rates, &Slice::All).rate, Some(0.5));
    let general = rate(&second.rates, &Slice::Kind(Some("general".into())));
    assert_eq!((general.placements, general.rate), (0, None));
    // Histograms: 1.0 is in the top band, 0.75 in 0.7–0.8, 0.5 in 0.5–0.6, 0.25 in 0.2–0.3.
    assert_eq!(first.histogram, [0, 0, 0, 0, 0, 1, 0, 1, 0, 1]);
    assert_eq!(second.histogram, [0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    // Moves: A is promoted (staff → head) in both; B and C, D move laterally.
    assert_eq!(
        (
            first.moves.promotions,
            first.moves.lateral,
            first.moves.team_changes
        ),
        (1, 2, 3)
    );
    assert_eq!(
        (
            second.moves.promotions,
            second.moves.lateral,
            second.moves.team_changes
        ),
        (1, 1, 2)
    );
    assert_eq!(second.check.unfilled, vec![2]);
    // T1 before: one man (0 of 1 women: 0.5 short). First: man + A + C = 1 woman of 3, needs
    // 1.5: 0.5 short, a hard break. Second: man + A + D = 2 of 3, holds, tight (1 < 1.5).
    let t1 =
        |units: &[postfit::check::RuleUnit]| units.iter().find(|u| u.rule == 0).cloned().unwrap();
    assert_close("before", t1(&r.before_rules).shortfall(), 0.5);
    assert_close("first", t1(&first.check.rules).shortfall(), 0.5);
    assert_eq!(first.check.violations.len(), 1);
    let u = t1(&second.check.rules);
    assert!(u.holds() && u.tight() && u.count == 2.0 && u.total == 3.0);
    assert!(second.check.is_ok());
    // T2: C leaves it in the first plan (B joins); in the second C stays.
    assert_eq!(
        (first.after[1].size, first.after[1].in_group[0]),
        (3.0, 1.0)
    );
    assert_eq!(
        (second.after[1].size, second.after[1].in_group[0]),
        (3.0, 1.0)
    );
    // Greedy by hand: A's fit-1 pairs first, lowest post: A→P1; then B (0.75): P1 taken, B→P3;
    // then C (0.5): P1 taken, C→P2. That is the first plan.
    assert_eq!(
        greedy_plan(&s),
        ids(&s, &[("P1", "A"), ("P2", "C"), ("P3", "B")])
    );
    assert_close("greedy fit", greedy.check.fit_total, 2.25);
    // Posts where plans differ: P2 (C / D / C) and P3 (B / empty / B).
    assert_eq!(report::differing_posts(&r), vec![1, 2]);
}

#[test]
fn two_plan_markdown_and_csv_snapshots() {
    let s = small();
    let r = small_report(&s);
    insta::assert_snapshot!("two_plans_markdown", text::markdown(&s, &r));
    let files = text::csv_files(&s, &r).expect("csv");
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "summary.csv",
            "fit_rates.csv",
            "fit_distribution.csv",
            "rules.csv",
            "compositions.csv",
            "breaks.csv",
            "unfilled.csv",
            "differences.csv"
        ]
    );
    let mut all = String::new();
    for (name, bytes) in &files {
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "{name} starts with a BOM"
        );
        let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
        all.push_str(&format!("=== {name}\n{text}"));
    }
    insta::assert_snapshot!("two_plans_csv", all);
}

#[test]
fn csv_quotes_commas_and_quotes() {
    let t = tables::Table {
        id: "t",
        title: "t".into(),
        note: String::new(),
        header: vec!["a".into(), "b".into()],
        rows: vec![vec![
            tables::Cell {
                text: "x, \"y\"".into(),
                mark: tables::Mark::None,
            },
            tables::Cell {
                text: "政协".into(),
                mark: tables::Mark::Bad,
            },
        ]],
    };
    let bytes = text::csv_bytes(&t).unwrap();
    assert_eq!(
        std::str::from_utf8(&bytes).unwrap(),
        "\u{feff}a,b\n\"x, \"\"y\"\"\",政协\n"
    );
    assert!(text::markdown_table(&t).contains("| x, \"y\" | 政协 |"));
}

// ---------------------------------------------------------------------------------------------
// Charts and the HTML page.

#[test]
fn cjk_labels_are_measured_as_wide_characters() {
    assert_eq!(text_width("ab"), 2.0 * COLUMN_PX);
    assert_eq!(text_width("政协"), 4.0 * COLUMN_PX);
    assert_eq!(text_width("政协 ab"), 7.0 * COLUMN_PX);
    // Cut labels keep whole characters and fit the room they are given.
    let long = "县政协领导班子 County CPPCC leadership of a very long name";
    for room in [40.0, 100.0, 200.0] {
        let cut = chart::fit_text(long, room);
        assert!(cut.ends_with('…'));
        assert!(text_width(&cut) <= room, "{cut} fits {room}");
        assert!(long.starts_with(cut.trim_end_matches('…')));
    }
    assert_eq!(chart::fit_text("短", 100.0), "短");
}

#[test]
fn bar_chart_labels_do_not_overlap_bars_or_each_other() {
    let rows = vec![
        "县政协领导班子 CPPCC".to_string(),
        "gov".to_string(),
        "农业农村局".to_string(),
    ];
    let c = chart::bars(&Bars {
        id: "c".into(),
        title: "t".into(),
        caption: "c".into(),
        rows: rows.clone(),
        series: vec![
            ("优化方案 optimal".into(), "#000".into()),
            ("人工方案 by hand".into(), "#111".into()),
            ("greedy".into(), "#222".into()),
        ],
        values: vec![vec![Some(0.5), Some(1.0), None]; 3],
        markers: vec![vec![(0.8, "target".into())]; 3],
        lo: 0.0,
        hi: 1.0,
        percent: true,
        marks: vec![vec!["bad", "", "tight"]; 3],
    });
    let labels: Vec<_> = c.texts.iter().filter(|t| t.class == "label").collect();
    assert_eq!(labels.len(), 3);
    let bar_start = c
        .rects
        .iter()
        .filter(|r| r.w > 0.0 && r.h > 10.0)
        .map(|r| r.x)
        .fold(f64::INFINITY, f64::min);
    for l in &labels {
        // Right-aligned at x: the label spans [x − width, x], left of every bar.
        assert!(
            l.x - text_width(&l.text) >= 0.0,
            "{} starts inside the chart",
            l.text
        );
        assert!(l.x < bar_start, "{} ends before the bars", l.text);
        assert!(text_width(&l.text) <= l.max_width);
    }
    for w in labels.windows(2) {
        assert!(w[1].y - w[0].y >= chart::FONT_PX, "rows are a line apart");
    }
    // Legend items sit side by side without overlapping.
    let legend: Vec<_> = c.texts.iter().filter(|t| t.class == "legend").collect();
    for w in legend.windows(2) {
        if w[0].y == w[1].y {
            assert!(w[0].x + text_width(&w[0].text) < w[1].x - 10.0);
        }
    }
    assert!(c.texts.iter().any(|t| t.class == "value" && t.text == "–"));
    // Marks reach the bars: the first series' bars are outlined as broken.
    let bad: Vec<_> = c.rects.iter().filter(|r| r.class == "bad").collect();
    assert_eq!(bad.len(), 3);
    assert!(bad.iter().all(|r| r.tip.contains("优化方案 optimal")));
    assert_eq!(c.lines.iter().filter(|l| l.class == "target").count(), 3);
    // Bars scale: 100% reaches the right end of the axis, 50% half way.
    let full = c.rects.iter().find(|r| r.tip.ends_with("100.0%")).unwrap();
    let half = c.rects.iter().find(|r| r.tip.ends_with("50.0%")).unwrap();
    assert!((full.w - 2.0 * half.w).abs() <= 0.2);
}

#[test]
fn html_is_self_contained_and_has_every_chart() {
    let s = small();
    let r = small_report(&s);
    let page = html::html(&s, &r).expect("renders");
    let charts = html::charts(&s, &r);
    // A histogram per plan, fit rate by kind, one composition chart (one team rule), comparison.
    assert_eq!(charts.len(), 3 + 1 + 1 + 1);
    for c in &charts {
        assert!(page.contains(&format!("<svg class=\"chart\" id=\"{}\"", c.id)));
        assert!(c.width > 0.0 && c.height > 0.0);
    }
    for banned in [
        "<script", "<link", "<img", "src=", "@import", "url(", "https:",
    ] {
        assert!(!page.contains(banned), "page contains {banned}");
    }
    // The only http: is the SVG namespace name, which is never fetched.
    assert_eq!(
        page.matches("http:").count(),
        page.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(page.contains("Noto Sans CJK SC") && page.contains("@media print"));
    assert!(page.contains("两个计划 two plans") && page.contains("一局 Bureau one"));
    // Text is escaped.
    let mut s2 = s.clone();
    s2.teams[0].name = Some("<b>&</b>".into());
    let r2 = small_report(&s2);
    let page2 = html::html(&s2, &r2).unwrap();
    assert!(page2.contains("&lt;b&gt;&amp;&lt;&#x2f;b&gt;") && !page2.contains("<b>&"));
}

// ---------------------------------------------------------------------------------------------
// The command line.

fn postfit(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_postfit"))
        .args(args)
        .output()
        .expect("postfit runs")
}

#[test]
fn cli_writes_html_markdown_and_csv_for_the_city_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).display().to_string();
    let city = root().join("scenarios/city/scenario.json");
    let hand = root().join("scenarios/city/hand-plan.json");
    let o = postfit(&["solve", city.to_str().unwrap(), "--out", &d("optimal.json")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = postfit(&[
        "report",
        city.to_str().unwrap(),
        &d("optimal.json"),
        hand.to_str().unwrap(),
        "--label",
        "optimal",
        "--label",
        "by hand",
        "--html",
        &d("r.html"),
        "--markdown",
        &d("r.md"),
        "--csv",
        &d("csv"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        o.stdout.is_empty(),
        "nothing on stdout when outputs are named"
    );
    let md = std::fs::read_to_string(d("r.md")).unwrap();
    assert!(md.contains("| figure | optimal | by hand | greedy |"));
    // The hand plan's quota mistake shows, and the optimiser's plan breaks nothing.
    assert!(md.contains(
        "| by hand | breaks | hard rule \"non-party member in every congress, government and CPPCC team\" at team J02-congress"
    ));
    assert!(md.contains("| breaks (hard rules, must-fill, eligibility) | nothing | ✗ 1 |"));
    assert!(md.contains("## Posts where the plans differ"));
    let html = std::fs::read_to_string(d("r.html")).unwrap();
    assert!(html.contains("id=\"chart-compare\""));
    let summary = std::fs::read(dir.path().join("csv/summary.csv")).unwrap();
    assert!(summary.starts_with(b"\xEF\xBB\xBFfigure,optimal,by hand,greedy\n"));
}

#[test]
fn cli_solves_when_no_plan_is_given_and_prints_markdown() {
    let tut = root().join("scenarios/tutorial/scenario.json");
    let o = postfit(&["report", tut.to_str().unwrap()]);
    assert!(o.status.success());
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(md.contains("| figure | optimal | greedy |"));
    assert!(md.contains("| total fit | 4.961 | 4.961 |"));
}

#[test]
fn cli_rejects_bad_labels_and_plans_with_exit_2() {
    let tut = root().join("scenarios/tutorial/scenario.json");
    let tut = tut.to_str().unwrap();
    let o = postfit(&["report", tut, "--label", "a", "--label", "b"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--label"));
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.json");
    std::fs::write(
        &plan,
        r#"{"placements": [{"post": "nope", "candidate": "C01"}]}"#,
    )
    .unwrap();
    let p = plan.to_str().unwrap();
    let o = postfit(&["report", tut, p]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("placements[0].post") && err.contains("unknown post"),
        "{err}"
    );
    std::fs::write(&plan, r#"{"placements": []}"#).unwrap();
    let o = postfit(&["report", tut, p, p]);
    assert_eq!(o.status.code(), Some(2), "two plans named p");
    let o = postfit(&["report", tut, p, "--label", "greedy"]);
    assert_eq!(o.status.code(), Some(2), "greedy is the baseline's name");
}

#[test]
fn cli_reports_the_minimal_relaxation_of_an_infeasible_scenario() {
    let sc = root().join("scenarios/county-infeasible/scenario.json");
    let o = postfit(&["report", sc.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("minimal relaxation"));
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(md.contains("| figure | relaxed | greedy |"));
    // The relaxation breaks exactly the hard rules its diagnosis lists: the report says so.
    assert!(md.contains("| relaxed | breaks | hard rule"));
}

#[test]
fn a_fit_at_the_threshold_fits_and_lands_in_its_band() {
    // 7 of 10 years wanted: fit 0.7 (up to rounding), exactly the threshold.
    let text = SMALL
        .replace(r#""experience": {"x": 4}}"#, r#""experience": {"x": 10}}"#)
        .replace(r#""experience": {"x": 3}"#, r#""experience": {"x": 7}"#);
    let raw: RawScenario = parse_str(&text, "edge.json").unwrap();
    let s = Scenario::from_raw(&raw, "edge.json").unwrap();
    let r = build(
        &s,
        vec![PlanSpec {
            label: "b".into(),
            source: "hand".into(),
            placements: ids(&s, &[("P3", "B")]),
        }],
    );
    let p = &r.plans[0];
    assert!((p.check.placements[0].fit.total - 0.7).abs() < 1e-12);
    assert_eq!(p.histogram[7], 1, "0.7 is in the 0.7–0.8 band");
    assert_eq!(rate(&p.rates, &Slice::All).fitting, 1);
    // The checker's own by-kind fit rates are the report's kind slices.
    for fr in &p.check.fit_rates {
        let sr = rate(&p.rates, &Slice::Kind(fr.kind.clone()));
        assert_eq!((fr.placements, fr.fitting), (sr.placements, sr.fitting));
        assert_eq!(fr.rate, sr.rate.unwrap_or(1.0));
    }
}

#[test]
fn greedy_baseline_keeps_decided_placements_first() {
    // Decide C into P1 (A, with fit 1, would take it greedily): the greedy plan must keep the
    // decision, then go on by fit: A (fit 1 elsewhere? A's next best is P2 or P3) and B.
    let with_decided = SMALL.replacen(
        "\"rules\": [",
        "\"decided\": [{\"post\": \"P1\", \"candidate\": \"C\"}],\n  \"rules\": [",
        1,
    );
    let raw: RawScenario = parse_str(&with_decided, "small.json").expect("parses");
    let s = Scenario::from_raw(&raw, "small.json").expect("valid");
    let plan = greedy_plan(&s);
    let p1 = s.post_by_id("P1").expect("P1");
    let c = s.candidate_by_id("C").expect("C");
    assert!(plan.contains(&(p1, c)), "decided P1<-C missing: {plan:?}");
    assert_eq!(
        plan.iter().filter(|&&(p, _)| p == p1).count(),
        1,
        "P1 held twice: {plan:?}"
    );
    assert_eq!(
        plan.iter().filter(|&&(_, x)| x == c).count(),
        1,
        "C placed twice: {plan:?}"
    );
    // Without the decision, greedy puts A in P1 (test above); with it, A goes elsewhere.
    assert_ne!(greedy_plan(&small()), plan);
}
