//! Chart geometry for the HTML report: horizontal grouped bar charts (fit rates against targets,
//! team compositions against rule bounds, plan against plan) and column charts (fit histograms),
//! laid out here as plain shapes and drawn by one small SVG template (`templates/chart.svg`).
//!
//! Label widths are measured with `unicode-width` (a CJK ideograph takes two columns, a Latin
//! letter one), so the label area is as wide as the widest label and Chinese labels never run
//! into the bars; over-long labels are cut with an ellipsis, whole characters at a time.

use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Font size of chart text, in CSS pixels.
pub const FONT_PX: f64 = 12.0;
/// Width of one display column at [`FONT_PX`]: an upper bound of the average Latin glyph
/// (≈0.55 em in common sans-serif fonts); a CJK glyph (1 em) takes two columns, 1.2 em.
pub const COLUMN_PX: f64 = FONT_PX * 0.62;
/// Widest label area of a bar chart, in pixels.
pub const MAX_LABEL_PX: f64 = 300.0;
/// Width of every chart, in pixels (it scales down with the page).
pub const WIDTH: f64 = 760.0;

/// Series colours (colour-blind-safe Okabe–Ito palette), in series order.
pub const PALETTE: [&str; 7] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
];
/// Colour of the "before" series of composition charts.
pub const BEFORE_COLOUR: &str = "#999999";

/// The width a text takes at [`FONT_PX`], in pixels.
pub fn text_width(s: &str) -> f64 {
    s.width() as f64 * COLUMN_PX
}

/// Cuts `s` so that it takes at most `max_px` pixels, ending in `…` when cut.
pub fn fit_text(s: &str, max_px: f64) -> String {
    if text_width(s) <= max_px {
        return s.to_string();
    }
    let max_cols = (max_px / COLUMN_PX).floor() as usize;
    let mut out = String::new();
    let mut cols = 1; // the ellipsis
    for ch in s.chars() {
        let w = ch.width().unwrap_or(0);
        if cols + w > max_cols {
            break;
        }
        cols += w;
        out.push(ch);
    }
    out.push('…');
    out
}

fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A text of a chart. `max_width` (pixels) is the room the layout gave it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Text {
    pub x: f64,
    pub y: f64,
    pub text: String,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
    /// `label`, `value`, `tick` or `legend`.
    pub class: &'static str,
    pub max_width: f64,
}

/// A filled rectangle (a bar or a legend key), with a tooltip.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub fill: String,
    pub tip: String,
    /// `bad` (a broken bound: red outline), `tight` (only just met: dashed outline) or empty.
    pub class: &'static str,
}

/// A line: `axis`, `grid` or `target` (a rule's bound or a fit-rate target).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Line {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    pub class: &'static str,
    pub tip: String,
}

/// A laid-out chart: shapes in a `width` × `height` box.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Chart {
    /// Unique within the page; also the chart's HTML id.
    pub id: String,
    pub title: String,
    /// One sentence on how to read it (also the SVG's accessible description).
    pub caption: String,
    pub width: f64,
    pub height: f64,
    pub texts: Vec<Text>,
    pub rects: Vec<Rect>,
    pub lines: Vec<Line>,
}

/// What a horizontal grouped bar chart shows.
#[derive(Debug, Clone)]
pub struct Bars {
    pub id: String,
    pub title: String,
    pub caption: String,
    /// Row labels.
    pub rows: Vec<String>,
    /// Series names and colours.
    pub series: Vec<(String, String)>,
    /// `values[row][series]`; `None` draws no bar and writes `–`.
    pub values: Vec<Vec<Option<f64>>>,
    /// Per row, target lines: (value, tooltip).
    pub markers: Vec<Vec<(f64, String)>>,
    /// The value axis runs from `lo` to `hi`.
    pub lo: f64,
    pub hi: f64,
    /// Values and ticks as percentages (`0.8` → `80%`) rather than numbers.
    pub percent: bool,
    /// `marks[row][series]`: `bad`, `tight` or empty; no marks when empty.
    pub marks: Vec<Vec<&'static str>>,
}

fn value_text(v: f64, percent: bool) -> String {
    if percent {
        format!("{:.1}%", v * 100.0)
    } else {
        crate::check::fmt_num((v * 1000.0).round() / 1000.0)
    }
}

/// Lays out a horizontal grouped bar chart.
pub fn bars(b: &Bars) -> Chart {
    const BAR_H: f64 = 13.0;
    const ROW_PAD: f64 = 10.0;
    const VALUE_W: f64 = 64.0;
    let widest = b.rows.iter().map(|l| text_width(l)).fold(0.0, f64::max);
    let label_w = widest.min(MAX_LABEL_PX) + 12.0;
    let x0 = label_w;
    let x1 = WIDTH - VALUE_W;
    let span = if b.hi > b.lo { b.hi - b.lo } else { 1.0 };
    let sx = |v: f64| r1(x0 + (v.clamp(b.lo, b.hi) - b.lo) / span * (x1 - x0));
    let mut chart = Chart {
        id: b.id.clone(),
        title: b.title.clone(),
        caption: b.caption.clone(),
        width: WIDTH,
        height: 0.0,
        texts: Vec::new(),
        rects: Vec::new(),
        lines: Vec::new(),
    };

    // Legend, wrapped onto more lines when it does not fit.
    let (mut lx, mut ly) = (x0, 4.0);
    for (name, colour) in &b.series {
        let w = 14.0 + text_width(name) + 16.0;
        if lx + w > WIDTH && lx > x0 {
            lx = x0;
            ly += 18.0;
        }
        chart.rects.push(Rect {
            x: r1(lx),
            y: ly + 2.0,
            w: 10.0,
            h: 10.0,
            fill: colour.clone(),
            tip: name.clone(),
            class: "",
        });
        chart.texts.push(Text {
            x: r1(lx + 14.0),
            y: ly + 11.0,
            text: name.clone(),
            anchor: "start",
            class: "legend",
            max_width: r1(text_width(name)),
        });
        lx += w;
    }
    let top = ly + 24.0;

    let block = b.series.len() as f64 * (BAR_H + 2.0) + ROW_PAD;
    let zero = sx(0.0_f64.clamp(b.lo, b.hi));
    for (i, label) in b.rows.iter().enumerate() {
        let y = top + i as f64 * block;
        chart.texts.push(Text {
            x: r1(label_w - 8.0),
            y: r1(y + (block - ROW_PAD) / 2.0 + 4.0),
            text: fit_text(label, MAX_LABEL_PX),
            anchor: "end",
            class: "label",
            max_width: r1(label_w - 8.0),
        });
        for (k, (name, colour)) in b.series.iter().enumerate() {
            let by = r1(y + k as f64 * (BAR_H + 2.0));
            match b.values[i][k] {
                Some(v) => {
                    let (a, e) = (zero.min(sx(v)), zero.max(sx(v)));
                    let text = value_text(v, b.percent);
                    chart.rects.push(Rect {
                        x: a,
                        y: by,
                        w: r1((e - a).max(0.0)),
                        h: BAR_H,
                        fill: colour.clone(),
                        tip: format!("{label} — {name}: {text}"),
                        class: b.marks.get(i).and_then(|m| m.get(k)).copied().unwrap_or(""),
                    });
                    chart.texts.push(Text {
                        x: r1(e + 4.0),
                        y: r1(by + BAR_H - 2.5),
                        max_width: r1(text_width(&text)),
                        text,
                        anchor: "start",
                        class: "value",
                    });
                }
                None => chart.texts.push(Text {
                    x: r1(x0 + 4.0),
                    y: r1(by + BAR_H - 2.5),
                    text: "–".to_string(),
                    anchor: "start",
                    class: "value",
                    max_width: r1(text_width("–")),
                }),
            }
        }
        for (m, tip) in &b.markers[i] {
            let x = sx(*m);
            chart.lines.push(Line {
                x1: x,
                y1: r1(y - 3.0),
                x2: x,
                y2: r1(y + block - ROW_PAD + 1.0),
                class: "target",
                tip: tip.clone(),
            });
        }
    }
    let bottom = r1(top + b.rows.len() as f64 * block);
    chart.lines.push(Line {
        x1: x0,
        y1: r1(top - 4.0),
        x2: x0,
        y2: bottom,
        class: "axis",
        tip: String::new(),
    });
    for k in 0..=4 {
        let v = b.lo + span * k as f64 / 4.0;
        let x = sx(v);
        chart.lines.push(Line {
            x1: x,
            y1: r1(top - 4.0),
            x2: x,
            y2: bottom,
            class: "grid",
            tip: String::new(),
        });
        let text = if b.percent {
            format!("{:.0}%", v * 100.0)
        } else {
            crate::check::fmt_num((v * 100.0).round() / 100.0)
        };
        chart.texts.push(Text {
            x,
            y: r1(bottom + 14.0),
            max_width: r1(text_width(&text)),
            text,
            anchor: "middle",
            class: "tick",
        });
    }
    chart.height = r1(bottom + 22.0);
    chart
}

/// Lays out a fit histogram: one column per bin of 0.1, a dashed line at the threshold.
pub fn histogram(id: &str, title: &str, bins: &[usize], threshold: f64, colour: &str) -> Chart {
    const W: f64 = 370.0;
    const H: f64 = 200.0;
    let (x0, x1, y0, y1) = (34.0, W - 12.0, 22.0, H - 34.0);
    let n = bins.len().max(1) as f64;
    let max = bins.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = (x1 - x0) / n;
    let mut chart = Chart {
        id: id.to_string(),
        title: title.to_string(),
        caption: format!(
            "Placements per band of fit; a placement fits at {} or more (dashed line).",
            crate::check::fmt_num(threshold)
        ),
        width: W,
        height: H,
        texts: Vec::new(),
        rects: Vec::new(),
        lines: Vec::new(),
    };
    for (b, &count) in bins.iter().enumerate() {
        let h = r1(count as f64 / max * (y1 - y0));
        let x = r1(x0 + b as f64 * step + 2.0);
        let band = super::tables::bin_label(b);
        chart.rects.push(Rect {
            x,
            y: r1(y1 - h),
            w: r1(step - 4.0),
            h,
            fill: colour.to_string(),
            tip: format!("fit {band}: {count}"),
            class: "",
        });
        if count > 0 {
            let text = count.to_string();
            chart.texts.push(Text {
                x: r1(x + (step - 4.0) / 2.0),
                y: r1(y1 - h - 4.0),
                max_width: r1(text_width(&text)),
                text,
                anchor: "middle",
                class: "value",
            });
        }
    }
    for k in 0..=bins.len() {
        if k % 2 == 1 {
            continue;
        }
        let text = format!("{:.1}", k as f64 / n);
        chart.texts.push(Text {
            x: r1(x0 + k as f64 * step),
            y: y1 + 14.0,
            max_width: r1(text_width(&text)),
            text,
            anchor: "middle",
            class: "tick",
        });
    }
    chart.texts.push(Text {
        x: r1((x0 + x1) / 2.0),
        y: H - 4.0,
        text: "fit".to_string(),
        anchor: "middle",
        class: "tick",
        max_width: r1(text_width("fit")),
    });
    let text = format!("{}", max as usize);
    chart.texts.push(Text {
        x: x0 - 4.0,
        y: y0 + 4.0,
        max_width: r1(text_width(&text)),
        text,
        anchor: "end",
        class: "tick",
    });
    chart.lines.push(Line {
        x1: x0,
        y1,
        x2: x1,
        y2: y1,
        class: "axis",
        tip: String::new(),
    });
    let tx = r1(x0 + threshold.clamp(0.0, 1.0) * (x1 - x0));
    chart.lines.push(Line {
        x1: tx,
        y1: y0 - 8.0,
        x2: tx,
        y2: y1,
        class: "target",
        tip: format!("threshold {}", crate::check::fmt_num(threshold)),
    });
    chart
}
