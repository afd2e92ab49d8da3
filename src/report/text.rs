//! The report as Markdown (the same tables as the HTML, no charts, for pasting into documents)
//! and as CSV (one UTF-8 file with a byte-order mark per table, so Excel reads Chinese right).

use super::tables::{tables, Table};
use super::Report;
use crate::scenario::Scenario;

/// Escapes a cell for a Markdown table: pipes and line breaks would end the cell.
fn md_cell(s: &str) -> String {
    crate::render::markdown_cell(s)
}

/// The whole report as Markdown: a title, then each table under its own heading.
pub fn markdown(s: &Scenario, r: &Report) -> String {
    let mut out = format!("# Fit-rate report: {}\n\n", md_cell(&r.scenario));
    out.push_str("Plans: ");
    out.push_str(
        &r.plans
            .iter()
            .map(|p| format!("**{}** ({})", md_cell(&p.label), md_cell(&p.source)))
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push_str(".\n");
    for t in tables(s, r) {
        out.push('\n');
        out.push_str(&markdown_table(&t));
    }
    out
}

/// One table as a Markdown section.
pub fn markdown_table(t: &Table) -> String {
    let mut out = format!("## {}\n\n{}\n\n", md_cell(&t.title), md_cell(&t.note));
    if t.rows.is_empty() {
        out.push_str("(none)\n");
        return out;
    }
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    out.push_str(&line(t.header.iter().map(|h| md_cell(h)).collect()));
    out.push_str(&line(t.header.iter().map(|_| "---".to_string()).collect()));
    for row in &t.rows {
        out.push_str(&line(row.iter().map(|c| md_cell(&c.text)).collect()));
    }
    out
}

/// One table as CSV bytes: a UTF-8 byte-order mark, the header, then the rows.
pub fn csv_bytes(t: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(&t.header)?;
    for row in &t.rows {
        w.write_record(row.iter().map(|c| c.text.as_str()))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Every table as `(file name, CSV bytes)`, e.g. `("fit_rates.csv", ...)`, in report order.
pub fn csv_files(s: &Scenario, r: &Report) -> Result<Vec<(String, Vec<u8>)>, csv::Error> {
    tables(s, r)
        .iter()
        .map(|t| Ok((format!("{}.csv", t.id), csv_bytes(t)?)))
        .collect()
}
