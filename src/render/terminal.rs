//! What tables may send to a terminal (issue 7 item 4, issue 13 item 3): data escaped so no
//! name or title can move the cursor, clear the screen, set the window title or reverse the
//! text direction; tables that fit the terminal's width; tab-separated tables for pipes.
//!
//! JSON output never passes through here: it stays exact (serde_json escapes C0 controls).

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};

/// Whether a character may not reach a terminal raw: C0 and C1 controls, DEL, and the Unicode
/// bidirectional formatting characters (embeddings, overrides, isolates, marks; Unicode UAX #9)
/// that can make text read differently from its bytes ("Trojan Source", CVE-2021-42574).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200E}' | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}')
}

/// Escapes a data value for a terminal: each unsafe character (see [`is_unsafe_char`]),
/// newlines and tabs included, becomes a visible `\u{…}` in Rust/JSON-like notation
/// (`ESC` -> `\u{1b}`, `U+202E` -> `\u{202e}`). Other text is unchanged.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Escapes a data value for a Markdown table cell or heading (slate, report, diff and sweep
/// documents): `\` and `|` get a backslash, and so do `*`, `` ` ``, `<`, `[` and `]`, which
/// would start emphasis, code, HTML or a link anywhere in a word (a name `*Li*` is shown as
/// written, not in italics, and `[x](http://…)` is no live link in a decision document; `_`
/// acts only at word edges, and captions use it); line breaks and tabs become spaces, and every
/// other unsafe character ([`is_unsafe_char`]) becomes `\u{…}` as in tables, so a Markdown
/// document, on stdout or in a file read with `cat`, cannot drive a terminal or break its table.
pub fn markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' | '*' | '`' | '<' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a whole rendered text (the last line of defence before stdout): like [`escape`] but
/// keeps the line breaks `\n` the renderer put there.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    // In TSV mode the tables' column mark survives until `tsv_text` turns it into a tab.
    let keep = |c: char| c == '\n' || (c == TSV_MARK && tsv());
    if !s.chars().any(|c| !keep(c) && is_unsafe_char(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for line in s.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        for c in body.chars() {
            if is_unsafe_char(c) && !keep(c) {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            } else {
                out.push(c);
            }
        }
        out.push_str(nl);
    }
    Cow::Owned(out)
}

/// Column separator of tables in TSV mode; turned into a tab by [`tsv_text`].
pub(crate) const TSV_MARK: char = '\u{1f}';

static WIDTH: AtomicU16 = AtomicU16::new(0);
static TSV: AtomicBool = AtomicBool::new(false);

/// Sets the width tables must fit (in terminal columns; `None`: no limit, as for a pipe).
/// Tables then drop low-priority columns and wrap cells to fit.
pub fn set_width(width: Option<u16>) {
    WIDTH.store(width.unwrap_or(0), Ordering::Relaxed);
}

/// The width tables must fit, if any.
pub fn width() -> Option<u16> {
    Some(WIDTH.load(Ordering::Relaxed)).filter(|&w| w > 0)
}

/// Switches every table to tab-separated values (`--format tsv`).
pub fn set_tsv(on: bool) {
    TSV.store(on, Ordering::Relaxed);
}

/// Whether tables are tab-separated.
pub fn tsv() -> bool {
    TSV.load(Ordering::Relaxed)
}

/// The width of the terminal on stdout, if stdout is one: `COLUMNS` when set to a number
/// (also for tests), else the terminal's size.
pub fn terminal_width() -> Option<u16> {
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<u16>().ok())
        .filter(|&w| w >= 20)
    {
        return Some(w);
    }
    // comfy-table asks the terminal when stdout is one.
    comfy_table::Table::new().width().filter(|&w| w >= 20)
}

/// Turns the lines of a rendered TSV-mode table into tab-separated values: cells trimmed of
/// their padding, joined by tabs. Lines without the separator (headings) pass unchanged.
pub fn tsv_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if body.contains(TSV_MARK) {
            let cells: Vec<&str> = body
                .trim_matches(TSV_MARK)
                .split(TSV_MARK)
                .map(str::trim)
                .collect();
            out.push_str(&cells.join("\t"));
        } else {
            out.push_str(body);
        }
        out.push_str(nl);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_but_not_text() {
        assert_eq!(escape("Zhang Wei 张伟"), "Zhang Wei 张伟");
        assert_eq!(escape("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(escape("\u{202e}gnp.exe"), "\\u{202e}gnp.exe");
        assert_eq!(escape("a\tb\nc\u{85}"), "a\\u{9}b\\u{a}c\\u{85}");
        assert_eq!(escape_text("x\u{1b}[2J\ny\n"), "x\\u{1b}[2J\ny\n");
    }

    #[test]
    fn markdown_cells_escape_pipes_breaks_and_controls() {
        assert_eq!(markdown_cell("张伟 a|b"), "张伟 a\\|b");
        assert_eq!(markdown_cell("a\\b"), "a\\\\b");
        assert_eq!(markdown_cell("a\nb\r\tc"), "a b  c");
        assert_eq!(
            markdown_cell("x\u{1b}[31m\u{202e}y"),
            "x\\u{1b}\\[31m\\u{202e}y"
        );
        // Emphasis, code, HTML and links are shown as written (session 20).
        assert_eq!(
            markdown_cell("*a* `b` <i> [l](u) _c_"),
            "\\*a\\* \\`b\\` \\<i> \\[l\\](u) _c_"
        );
    }

    #[test]
    fn tsv_lines() {
        let m = TSV_MARK;
        assert_eq!(
            tsv_text(&format!("Title\n{m} a  {m} bb {m}\n{m} 1  {m} 2  {m}\n")),
            "Title\na\tbb\n1\t2\n"
        );
    }
}
