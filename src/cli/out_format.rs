//! Which format an output file gets from its name: the extension picks the format when the
//! command can write it, an extension that names a format the command cannot write is refused
//! (exit 2, before any work), and any other name gets the command's default.
//!
//! Before this, `solve --out plan.csv` wrote JSON into `plan.csv`, `solve --out plan.ods` an
//! `.xlsx` workbook under an `.ods` name, and `slate --out s.xlsx` a box-drawn text table: the
//! file's name and its bytes disagreed with no word said.

use std::path::Path;

use postfit::error::Error;

use super::usage;

/// Extensions of file formats users meet around postfit (lower case, no dot). An output named
/// with one of these must be written in that format, or refused.
pub const KNOWN: &[&str] = &[
    "json", "jsonl", "ndjson", "csv", "tsv", "md", "markdown", "html", "htm", "xlsx", "xlsm",
    "xlsb", "xls", "ods", "txt", "pdf", "doc", "docx",
];

/// The format for an output file at `path` (given with `flag`, e.g. `--out`): the format paired
/// with its extension in `writes` (compared without case), `default` for a name without an
/// extension or with one outside [`KNOWN`]. `-` (stdout) is always `default`.
///
/// Errors (exit 2): an extension in [`KNOWN`] that `writes` does not list, e.g.
/// `--out: plan.csv: a plan is written as .json or .xlsx, not .csv`.
pub fn by_extension<F: Copy>(
    flag: &str,
    path: &Path,
    what: &str,
    writes: &[(&str, F)],
    default: F,
) -> Result<F, Error> {
    if path == Path::new("-") {
        return Ok(default);
    }
    // A file named only by an extension (`.xlsx`) has none to Rust (a dot file); to a user it
    // names that format all the same.
    let bare = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix('.'))
        .filter(|e| !e.is_empty() && !e.contains('.'));
    let Some(ext) = path
        .extension()
        .and_then(|e| e.to_str())
        .or(bare)
        .map(str::to_ascii_lowercase)
    else {
        return Ok(default);
    };
    if let Some((_, f)) = writes.iter().find(|(e, _)| *e == ext) {
        return Ok(*f);
    }
    if !KNOWN.contains(&ext.as_str()) {
        return Ok(default);
    }
    let mut names: Vec<String> = Vec::new();
    for (e, _) in writes {
        let e = format!(".{e}");
        if !names.contains(&e) {
            names.push(e);
        }
    }
    let list = match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => "another name".to_string(),
    };
    Err(usage(
        flag,
        &format!("{}: {what} written as {list}, not .{ext}", path.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    enum F {
        Json,
        Book,
    }

    const W: &[(&str, F)] = &[("json", F::Json), ("xlsx", F::Book)];

    #[test]
    fn extensions_pick_refuse_or_default() {
        let f = |p: &str| by_extension("--out", Path::new(p), "a plan is", W, F::Json);
        assert_eq!(f("a.json").unwrap(), F::Json);
        assert_eq!(f("A.XLSX").unwrap(), F::Book);
        assert_eq!(f("plan").unwrap(), F::Json);
        assert_eq!(f("plan.v2").unwrap(), F::Json);
        assert_eq!(f("-").unwrap(), F::Json);
        let e = f("p.csv").unwrap_err().to_string();
        assert!(
            e.contains("p.csv: a plan is written as .json or .xlsx, not .csv"),
            "{e}"
        );
        assert!(f("p.ods").is_err());
        assert!(f("p.md").is_err());
        // A file named only by its extension (found by a tester: `--out .xlsx` got JSON).
        assert_eq!(f(".xlsx").unwrap(), F::Book);
        assert_eq!(f("dir/.XLSX").unwrap(), F::Book);
        assert!(f(".csv").is_err());
        assert_eq!(f(".hidden.json").unwrap(), F::Json);
        assert_eq!(f(".postfitrc").unwrap(), F::Json);
    }
}
