//! The HTML report in a real browser: headless Chromium, network disabled, loads the page; it
//! must show no console or load errors, make no request, draw every chart with a non-zero size,
//! and keep every chart label within the room the layout measured for it (CJK included). A
//! screenshot is written to `target/report-screenshots/`, and to `docs/report.png` when
//! `POSTFIT_UPDATE_SCREENSHOT=1`.
//!
//! Skipped, with a message, when no Chromium is installed; under CI (`CI` set) a missing browser
//! fails the test, since `.ci/run` installs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use postfit::report::{build, html, PlanSpec};
use postfit::Scenario;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The browser: `POSTFIT_CHROMIUM`, else the first of chromium, chromium-browser,
/// google-chrome on PATH.
fn browser() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("POSTFIT_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Runs the browser headless with the network cut off (an unreachable proxy) and a fresh
/// profile; returns stdout. Killed after 90 s.
fn run_browser(bin: &Path, profile: &Path, extra: &[String], url: &str) -> String {
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
    ]
    .map(String::from)
    .to_vec();
    args.push(format!("--user-data-dir={}", profile.display()));
    args.extend(extra.iter().cloned());
    args.push(url.to_string());
    std::fs::create_dir_all(profile).unwrap();
    let out_path = profile.join("stdout.txt");
    let out_file = std::fs::File::create(&out_path).unwrap();
    let mut child = Command::new(bin)
        .args(&args)
        .stdout(out_file)
        .stderr(Stdio::null())
        .spawn()
        .expect("browser starts");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("browser did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::read_to_string(out_path).unwrap_or_default()
}

/// Checks the page in the browser: the DOM probe, the network log, and a screenshot.
fn check_in_browser(bin: &Path, page: &str, name: &str, expected_charts: &[String]) {
    let dir = tempfile::tempdir().unwrap();
    // The probe: a copy of the page with a script that records errors and measures the charts
    // after load, writing its findings into the DOM for --dump-dom. The page's own policy
    // forbids scripts; the copy allows inline scripts only.
    let probe = include_str!("report_probe.js");
    let policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
    assert!(
        page.contains(policy),
        "the page carries its no-network policy"
    );
    let probed = page
        .replace(
            policy,
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:",
        )
        .replacen(
            "<meta charset=\"utf-8\">",
            &format!("<meta charset=\"utf-8\">\n<script>{probe}</script>"),
            1,
        );
    let probe_file = dir.path().join("probe.html");
    std::fs::write(&probe_file, probed).unwrap();
    let netlog = dir.path().join("netlog.json");
    let profile = dir.path().join("profile-probe");
    let dom = run_browser(
        bin,
        &profile,
        &[
            "--virtual-time-budget=5000".to_string(),
            format!("--log-net-log={}", netlog.display()),
            "--dump-dom".to_string(),
        ],
        &format!("file://{}", probe_file.display()),
    );
    let start = dom
        .rfind("<pre id=\"probe\">")
        .unwrap_or_else(|| panic!("{name}: the probe did not run; DOM: {dom:.2000}"));
    let rest = &dom[start + "<pre id=\"probe\">".len()..];
    let json = rest[..rest.find("</pre>").expect("probe ends")]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let v: serde_json::Value = serde_json::from_str(&json).expect("probe JSON");
    assert_eq!(
        v["errs"],
        serde_json::json!([]),
        "{name}: errors in the page"
    );
    assert_eq!(
        v["resources"],
        serde_json::json!([]),
        "{name}: the page requested resources"
    );
    assert_eq!(
        v["over"],
        serde_json::json!([]),
        "{name}: labels wider than their room"
    );
    let charts = v["charts"].as_array().expect("charts");
    let ids: Vec<String> = charts
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, expected_charts, "{name}: every chart is in the page");
    for c in charts {
        assert!(
            c["w"].as_f64().unwrap() > 50.0 && c["h"].as_f64().unwrap() > 50.0,
            "{name}: chart {} has no size: {c}",
            c["id"]
        );
        assert!(
            c["texts"].as_u64().unwrap() > 0,
            "{name}: chart {} has no text",
            c["id"]
        );
    }
    // The network log: no request from the page. Chromium's own services (time, update,
    // account checks) still try to go out and meet the dead proxy; those are not the page's.
    let log = std::fs::read_to_string(&netlog).unwrap_or_default();
    let browser_own = [
        "google.com/",
        "googleapis.com/",
        "gstatic.com/",
        "gvt1.com/",
    ];
    let page_requests: Vec<&str> = log
        .match_indices("\"url\":\"")
        .map(|(i, m)| {
            let rest = &log[i + m.len()..];
            &rest[..rest.find('"').unwrap_or(rest.len())]
        })
        .filter(|u| !u.starts_with("file:") && !u.starts_with("data:"))
        .filter(|u| !browser_own.iter().any(|h| u.contains(h)))
        .collect();
    assert!(
        page_requests.is_empty(),
        "{name}: requests {page_requests:?}"
    );

    // A screenshot of the page as users see it (no probe).
    let page_file = dir.path().join(format!("{name}.html"));
    std::fs::write(&page_file, page).unwrap();
    let shots = root().join("target/report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&shot);
    run_browser(
        bin,
        &dir.path().join("profile-shot"),
        &[
            "--window-size=1280,2400".to_string(),
            format!("--screenshot={}", shot.display()),
        ],
        &format!("file://{}", page_file.display()),
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{name}: a real screenshot"
    );
    if name == "tutorial" && std::env::var("POSTFIT_UPDATE_SCREENSHOT").as_deref() == Ok("1") {
        std::fs::write(root().join("docs/report.png"), &png).unwrap();
    }
}

fn load(rel: &str) -> Scenario {
    postfit::load(&root().join(rel)).expect("loads").0
}

fn ids(s: &Scenario, plan: &[(&str, &str)]) -> Vec<(usize, usize)> {
    plan.iter()
        .map(|(p, c)| (s.post_by_id(p).unwrap(), s.candidate_by_id(c).unwrap()))
        .collect()
}

#[test]
fn html_report_loads_offline_in_chromium_with_every_chart() {
    let Some(bin) = browser() else {
        if std::env::var_os("CI").is_some() {
            panic!("no Chromium under CI: .ci/run installs it (apt-get install chromium)");
        }
        eprintln!(
            "SKIPPED html_report_loads_offline_in_chromium_with_every_chart: no Chromium found \
             (install it: apt-get install chromium, or set POSTFIT_CHROMIUM)"
        );
        return;
    };
    // The tutorial: the optimal plan against one drawn up by hand that gives the first CPPCC
    // vice-chair to the CPC candidate C02, breaking the half-non-party quota.
    let s = load("scenarios/tutorial/scenario.json");
    let optimal = [
        ("cppcc-vice-1", "C04"),
        ("cppcc-vice-2", "C01"),
        ("gov-vice", "C03"),
        ("agri-head", "C06"),
        ("agri-deputy", "C05"),
    ];
    let mut by_hand = optimal;
    by_hand[0].1 = "C02";
    let r = build(
        &s,
        vec![
            PlanSpec {
                label: "优化 optimal".into(),
                source: "postfit solve".into(),
                placements: ids(&s, &optimal),
            },
            PlanSpec {
                label: "人工 by hand".into(),
                source: "drawn up by hand".into(),
                placements: ids(&s, &by_hand),
            },
        ],
    );
    assert!(!r.plans[1].check.is_ok(), "the hand plan breaks the quota");
    let page = html::html(&s, &r).unwrap();
    let expected: Vec<String> = html::charts(&s, &r).into_iter().map(|c| c.id).collect();
    check_in_browser(&bin, &page, "tutorial", &expected);

    // The city: the greedy baseline against a post-by-post hand plan (no solve here, to keep the
    // test quick); 156 teams, the longest tables and charts.
    let s = load("scenarios/city/scenario.json");
    let plan = postfit::plan::read_plan(&root().join("scenarios/city/hand-plan.json"), &s).unwrap();
    let r = build(
        &s,
        vec![PlanSpec {
            label: "by hand".into(),
            source: "scenarios/city/hand-plan.json".into(),
            placements: plan,
        }],
    );
    let page = html::html(&s, &r).unwrap();
    let expected: Vec<String> = html::charts(&s, &r).into_iter().map(|c| c.id).collect();
    check_in_browser(&bin, &page, "city", &expected);
}
