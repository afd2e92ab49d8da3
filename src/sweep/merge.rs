//! `sweep merge`: joins the JSONL outputs of a sweep's shards into the output one machine gives
//! (the same lines in the same order; only `runtime_ms` differs), and refuses a missing,
//! duplicated or foreign shard.

use std::collections::BTreeMap;

use super::Line;
use crate::error::InputError;

/// Reads shard outputs for [`merge_lines`], as (file name as given, text). Each is read as every
/// input of postfit is (`-` for stdin, a regular file of at most 1 GiB, UTF-8), so errors are
/// one line naming the file: `shard-3.jsonl: no such file`, `results: is a directory ...`, never
/// a Rust `(os error 2)` suffix, and a FIFO is refused instead of blocking.
pub fn read_shards(paths: &[std::path::PathBuf]) -> Result<Vec<(String, String)>, InputError> {
    paths
        .iter()
        .map(|p| {
            let name = p.display().to_string();
            let bytes = crate::scenario::read_bytes(p)?;
            let text = crate::scenario::utf8(&bytes, &name)?.to_string();
            Ok((name, text))
        })
        .collect()
}

/// Merges shard outputs, each given as (file name for messages, its JSONL text).
///
/// Every line must carry the same `sweep_sha256` and `total` (else: a shard of another sweep);
/// every base line must agree on the base's status and objective; each work-list index
/// 1..total must come exactly once over all files (twice: a duplicated shard, naming both
/// files; never: a missing shard, naming the first missing variants). The base line is taken
/// from the first file. Errors name the file and the line number.
pub fn merge_lines(files: &[(String, String)]) -> Result<Vec<Line>, InputError> {
    if files.is_empty() {
        return Err(InputError::new("sweep merge", "", "no shard files given"));
    }
    let mut first: Option<(String, String, usize)> = None; // file, sha, total
    let mut base: Option<(String, Line)> = None;
    let mut items: BTreeMap<usize, (String, Line)> = BTreeMap::new();
    for (file, text) in files {
        let mut lines_in_file = 0;
        for (n, raw) in text.lines().enumerate() {
            if raw.trim().is_empty() {
                continue;
            }
            lines_in_file += 1;
            let at = format!("line {}", n + 1);
            let line: Line = serde_json::from_str(raw).map_err(|e| {
                InputError::new(
                    file,
                    &at,
                    format!("not a line of postfit sweep output (jsonl): {e}"),
                )
            })?;
            match &first {
                None => first = Some((file.clone(), line.sweep_sha256.clone(), line.total)),
                Some((f0, sha, total)) => {
                    if &line.sweep_sha256 != sha {
                        return Err(InputError::new(
                            file,
                            &at,
                            format!(
                                "a shard of another sweep: sweep_sha256 {} differs from {f0}'s {}",
                                line.sweep_sha256, sha
                            ),
                        ));
                    }
                    if line.total != *total {
                        return Err(InputError::new(
                            file,
                            &at,
                            format!(
                                "a shard of another run: {} work-list items, {f0} has {total} \
                                 (were both run with the same --price-rules?)",
                                line.total
                            ),
                        ));
                    }
                }
            }
            if line.index == 0 {
                match &base {
                    None => base = Some((file.clone(), line)),
                    Some((f0, b)) => {
                        if b.status != line.status || b.objective != line.objective {
                            return Err(InputError::new(
                                file,
                                &at,
                                format!(
                                    "its base ({}) differs from {f0}'s ({}): shards of \
                                     different runs",
                                    base_words(&line),
                                    base_words(b)
                                ),
                            ));
                        }
                    }
                }
                continue;
            }
            let total = first.as_ref().map_or(0, |f| f.2);
            if line.index >= total {
                return Err(InputError::new(
                    file,
                    &at,
                    format!("index {} is out of range (total {total})", line.index),
                ));
            }
            if let Some((f0, _)) = items.get(&line.index) {
                return Err(InputError::new(
                    file,
                    &at,
                    format!(
                        "variant {} (index {}) is also in {f0}: a shard given twice, or shards of different splits (--shard I/N with another N)?",
                        serde_json::Value::from(line.variant.as_str()),
                        line.index
                    ),
                ));
            }
            items.insert(line.index, (file.clone(), line));
        }
        if lines_in_file == 0 {
            return Err(InputError::new(
                file,
                "",
                "empty: not a shard output (did that task fail?)",
            ));
        }
    }
    let (_, _, total) = first.expect("a non-empty file has a first line");
    let Some((_, base)) = base else {
        return Err(InputError::new(
            &files[0].0,
            "",
            "no base line (index 0) in any file: not sweep output",
        ));
    };
    // Every item's index is in 1..total and each is there once, so the count of missing ones
    // needs no scan; the first ten are found lazily (a line's `total` is the file's word: a
    // huge one must not be walked or allocated).
    let missing = total.saturating_sub(1) - items.len();
    if missing > 0 {
        let shown: Vec<String> = (1..total)
            .filter(|i| !items.contains_key(i))
            .take(10)
            .map(|i| i.to_string())
            .collect();
        return Err(InputError::new(
            "sweep merge",
            "",
            format!(
                "a shard is missing: {} of {} variants have no line (indices {}{}); \
                 give every shard's output",
                missing,
                total - 1,
                shown.join(", "),
                if missing > 10 { ", ..." } else { "" }
            ),
        ));
    }
    let mut out = vec![base];
    out.extend(items.into_values().map(|(_, l)| l));
    Ok(out)
}

/// A base line's status and objective in words, for messages: `optimal, objective 4.96`,
/// `infeasible, no objective`.
fn base_words(l: &Line) -> String {
    match l.objective {
        Some(o) => format!("{}, objective {o}", l.status),
        None => format!("{}, no objective", l.status),
    }
}
