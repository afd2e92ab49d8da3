//! Sweep output for people and programs: JSONL (one line per variant), a terminal table and a
//! Markdown table that put base and variants side by side, and CSV for spreadsheets. Pure
//! functions from lines to text.

use super::run::difference;
use super::Line;
use crate::check::fmt_num;
use crate::render::{data, right, table};

/// JSONL: one JSON object per line, in the lines' order.
pub fn render_jsonl(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| serde_json::to_string(l).expect("sweep lines serialise") + "\n")
        .collect()
}

/// The post kinds of all lines, in order of first appearance (`None`: posts without a kind).
fn kinds(lines: &[Line]) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = Vec::new();
    for l in lines {
        for f in &l.fit_rates {
            if !out.contains(&f.kind) {
                out.push(f.kind.clone());
            }
        }
    }
    out
}

fn kind_label(k: &Option<String>) -> String {
    k.clone().unwrap_or_else(|| "(no kind)".to_string())
}

/// The cells of one row, shared by the table and Markdown: variant, status, objective, change
/// from the base, price (when any line has one), placed, unfilled, fit rate per kind, binding
/// rules, changed posts.
fn rows(lines: &[Line]) -> (Vec<String>, Vec<Vec<String>>) {
    let kinds = kinds(lines);
    let base = lines
        .iter()
        .find(|l| l.index == 0)
        .and_then(|l| l.objective);
    let with_price = lines.iter().any(|l| l.price.is_some());
    let mut header: Vec<String> = ["variant", "status", "objective", "vs base"]
        .map(String::from)
        .to_vec();
    if with_price {
        header.push("price".into());
    }
    header.extend(["placed", "unfilled"].map(String::from));
    header.extend(kinds.iter().map(|k| format!("fit {}", kind_label(k))));
    header.extend(["binding rules", "changed"].map(String::from));
    let opt = |x: Option<f64>| x.map_or("-".to_string(), fmt_num);
    let rows = lines
        .iter()
        .map(|l| {
            let mut r = vec![l.variant.clone(), status_cell(l), opt(l.objective)];
            r.push(match (l.index, l.objective, base) {
                (0, _, _) => String::new(),
                (_, Some(o), Some(b)) => signed(difference(o, b)),
                _ => "-".into(),
            });
            if with_price {
                r.push(l.price.map_or(String::new(), signed));
            }
            r.push(l.placements.map_or("-".into(), |n| n.to_string()));
            r.push(l.unfilled.map_or("-".into(), |n| n.to_string()));
            for k in &kinds {
                r.push(
                    l.fit_rates
                        .iter()
                        .find(|f| &f.kind == k)
                        .map_or("-".into(), |f| format!("{:.1}%", f.rate * 100.0)),
                );
            }
            let binding: Vec<String> = l
                .rules
                .iter()
                .filter(|r| r.binds)
                .map(|r| short(&r.name, 28))
                .collect();
            r.push(binding.join("; "));
            r.push(match l.changed {
                None => "-".into(),
                Some(0) => "0".into(),
                Some(n) => {
                    let shown: Vec<&str> =
                        l.changed_posts.iter().take(3).map(String::as_str).collect();
                    let more = if n > 3 { ", ..." } else { "" };
                    format!("{n}: {}{more}", shown.join(", "))
                }
            });
            r
        })
        .collect();
    (header, rows)
}

/// The status, with the first line of the reason for an invalid, infeasible or failed variant.
fn status_cell(l: &Line) -> String {
    if let Some(e) = &l.error {
        return format!("{}: {}", l.status, short(e, 60));
    }
    if let Some(d) = l.diagnosis.first() {
        return format!("{}: {}", l.status, short(&d.message, 60));
    }
    l.status.clone()
}

fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", fmt_num(x))
    } else {
        fmt_num(x)
    }
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}...", s.chars().take(n - 3).collect::<String>())
    }
}

/// The side-by-side terminal table: one row per line (base first), then a note on the columns.
pub fn render_table(lines: &[Line]) -> String {
    let (header, rows) = rows(lines);
    let numeric = |h: &str| {
        matches!(h, "objective" | "vs base" | "price" | "placed" | "unfilled")
            || h.starts_with("fit ")
    };
    let mut t = table(&header);
    for r in rows {
        t.add_row(r.into_iter().zip(&header).map(|(c, h)| {
            if numeric(h) {
                right(c)
            } else {
                // Variant and rule names, reasons: escaped, so a line break stays in its cell.
                data(c)
            }
        }));
    }
    format!("{t}\n{}\n", legend(lines))
}

fn legend(lines: &[Line]) -> String {
    let sha = lines.first().map_or("", |l| l.sweep_sha256.as_str());
    format!(
        "vs base: objective minus the base's; changed: posts whose holder differs from the base \
         plan; sweep file sha256 {sha}"
    )
}

/// The same table in Markdown (GitHub pipe table), for reports.
pub fn render_markdown(lines: &[Line]) -> String {
    let (header, rows) = rows(lines);
    let esc = |s: &str| crate::render::markdown_cell(s);
    let mut out = format!(
        "| {} |\n|{}|\n",
        header
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(" | "),
        header.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    );
    for r in rows {
        out.push_str(&format!(
            "| {} |\n",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out.push_str(&format!("\n{}\n", legend(lines)));
    out
}

/// CSV for spreadsheets: one row per line, every number in full precision; lists joined with
/// `; `. Columns: variant, index, status, objective, change (vs base), price, bound, gap,
/// placements, unfilled, one `fit_rate <kind>` per kind, binding_rules, changed,
/// changed_posts, error, runtime_ms, sweep_sha256.
pub fn render_csv(lines: &[Line]) -> String {
    let kinds = kinds(lines);
    let base = lines
        .iter()
        .find(|l| l.index == 0)
        .and_then(|l| l.objective);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "variant",
        "index",
        "status",
        "objective",
        "change",
        "price",
        "bound",
        "gap",
        "placements",
        "unfilled",
    ]
    .map(String::from)
    .to_vec();
    header.extend(kinds.iter().map(|k| format!("fit_rate {}", kind_label(k))));
    header.extend(
        [
            "binding_rules",
            "changed",
            "changed_posts",
            "error",
            "runtime_ms",
            "sweep_sha256",
        ]
        .map(String::from),
    );
    let f = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    let u = |x: Option<usize>| x.map_or(String::new(), |v| v.to_string());
    w.write_record(&header).expect("writes to memory");
    for l in lines {
        let mut r = vec![
            l.variant.clone(),
            l.index.to_string(),
            l.status.clone(),
            f(l.objective),
            f(l.objective.zip(base).map(|(o, b)| difference(o, b))),
            f(l.price),
            f(l.bound),
            f(l.gap),
            u(l.placements),
            u(l.unfilled),
        ];
        for k in &kinds {
            r.push(f(l.fit_rates.iter().find(|x| &x.kind == k).map(|x| x.rate)));
        }
        let binding: Vec<&str> = l
            .rules
            .iter()
            .filter(|r| r.binds)
            .map(|r| r.name.as_str())
            .collect();
        r.push(binding.join("; "));
        r.push(u(l.changed));
        r.push(l.changed_posts.join("; "));
        r.push(
            l.error
                .clone()
                .or_else(|| l.diagnosis.first().map(|d| d.message.clone()))
                .unwrap_or_default(),
        );
        r.push(format!("{:.1}", l.runtime_ms));
        r.push(l.sweep_sha256.clone());
        w.write_record(&r).expect("writes to memory");
    }
    String::from_utf8(w.into_inner().expect("flushes to memory")).expect("CSV of UTF-8 is UTF-8")
}
