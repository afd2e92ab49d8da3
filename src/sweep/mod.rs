//! What-if sweeps (spec "Sweeps"): a base scenario and its variants, each a JSON Patch (RFC 6902)
//! over the base, solved exactly and side by side; rule prices; shards and their merge.
//!
//! A sweep file names a base scenario (`base`, relative to the sweep file), named `variants`
//! (each a JSON Patch) and `axes` (JSON Pointer paths with values; their Cartesian product adds
//! one variant per combination, named `/fit/threshold=0.7`, or `/a=1, /b=2` for two axes).
//! Patching is done by the `json-patch` crate (a `test` comparing numbers by value, RFC 6902
//! §4.6: `apply_patch`), pointers are read by `jsonptr`.
//!
//! The work list (what [`run_sweep`] solves and a shard splits) is: the base (always solved,
//! index 0), then the variants in file order, then the axes' combinations (the first axis varies
//! slowest), then, with `--price-rules`, the base without each of its rules in order. Each item
//! becomes one [`Line`] of the output.

mod line;
mod merge;
mod patch;
mod render;
mod run;
mod shard;
mod warm;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::error::InputError;
use crate::scenario::{parse_str, RawScenario, Scenario};

pub use line::{FitRateLine, Line, RuleLine};
pub use merge::{merge_lines, read_shards};
pub use render::{render_csv, render_jsonl, render_markdown, render_table};
pub use run::{run_sweep, solves_to_run, SweepOptions};
pub use shard::Shard;
pub use warm::WarmBase;

/// A sweep file as written (spec "Sweeps"). Unknown keys are an error, as in scenarios.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSweep {
    base: String,
    #[serde(default)]
    variants: Vec<RawVariant>,
    #[serde(default)]
    axes: Vec<RawAxis>,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawVariant {
    name: String,
    /// Kept as JSON: a malformed patch is that variant's own error line, not the sweep's.
    patch: Value,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAxis {
    path: String,
    values: Vec<Value>,
}

/// One item of a sweep's work list (the base is not one: it is always solved).
#[derive(Debug, Clone)]
pub struct Variant {
    /// The name shown in every output: the variant's `name`, `/path=value` for axes, or
    /// `without NAME` for a rule price.
    pub name: String,
    /// The JSON Patch, as JSON (checked when applied).
    pub patch: Value,
    /// For a rule price: the index of the rule removed from the base.
    pub price_of: Option<usize>,
    /// Whether the patch was made from the sweep file's `axes` (operation k is axis k's), so
    /// that an error names `axes[k].path`, which the user wrote, not `patch[k].path`.
    pub from_axes: bool,
}

/// A loaded sweep: the base scenario (validated) and the variants, not yet patched.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The sweep file as the user named it (for messages).
    pub file: String,
    /// SHA-256 of the sweep file's bytes (hex), recorded in every output line so that `merge`
    /// can tell shards of another sweep.
    pub sha256: String,
    /// The base scenario's path, as resolved against the sweep file's folder.
    pub base_path: PathBuf,
    /// The base scenario document (patches apply to it).
    pub base_doc: Value,
    /// The validated base scenario.
    pub base: Scenario,
    /// Variants in work-list order: file order, then the axes' product (no rule prices).
    pub variants: Vec<Variant>,
    /// How many of `variants` are the file's `variants` (the rest come from `axes`).
    pub named: usize,
}

/// Reads a sweep file and its base scenario, and expands the axes.
///
/// Errors (exit 2) name the sweep file (or the base scenario file) and the JSON path: unreadable
/// or malformed files, unknown keys, an invalid base, an axis without values or with a path that
/// is not a JSON Pointer, axes whose product is more than [`MAX_AXIS_VARIANTS`] variants, and
/// a variant name used twice (axis names included) or named `base`.
/// A variant's patch is not looked at here: a bad one becomes that variant's error line.
pub fn load_sweep(path: &Path) -> Result<Sweep, InputError> {
    let file = path.display().to_string();
    let bytes = crate::scenario::read_bytes(path)?;
    let sha256 = sha256_hex(&bytes);
    let text = crate::scenario::utf8(&bytes, &file)?;
    let raw: RawSweep = parse_str(text, &file)?;

    let dir = path.parent().unwrap_or(Path::new(""));
    if raw.base.trim().is_empty() {
        return Err(InputError::new(
            &file,
            "base",
            "must name the base scenario file (a path relative to the sweep file)",
        ));
    }
    // Standard input cannot be a base: the base is read twice (as a scenario, and as the
    // document the patches apply to), and every shard of a cluster run reads it again.
    if raw.base.trim() == "-" {
        return Err(InputError::new(
            &file,
            "base",
            "\"-\" (standard input) cannot be a sweep's base: name the base scenario's file",
        ));
    }
    let base_path = dir.join(&raw.base);
    // A base that is not there is the sweep file's mistake: say which key and where it looked.
    if std::fs::metadata(&base_path).is_err() {
        return Err(InputError::new(
            &file,
            "base",
            format!(
                "{}: no such file (the base is read relative to the sweep file's folder)",
                base_path.display()
            ),
        ));
    }
    let base_file = base_path.display().to_string();
    // A base that is wrong as a whole (a folder, as `"."` is, an unreadable or non-scenario
    // file) is the sweep file's `base` mistake: name the sweep file, what it says and where that
    // led, not `.` alone. Errors inside the base name the base file and their JSON path.
    let (base, base_raw, _) = crate::load(&base_path).map_err(|e| {
        if e.file != base_file || !e.path.is_empty() {
            return e;
        }
        let resolved = std::fs::canonicalize(&base_path).unwrap_or_else(|_| base_path.clone());
        InputError::new(
            &file,
            "base",
            format!(
                "{} ({}): {}",
                Value::from(raw.base.as_str()),
                resolved.display(),
                e.reason
            ),
        )
    })?;
    // Patches apply to the JSON document: the file itself, or for a workbook or CSV folder
    // (which every command takes as a scenario) its JSON form, as `postfit convert` writes it.
    let base_doc: Value = if crate::workbook::is_workbook(&base_path) {
        serde_json::to_value(&base_raw)
            .map_err(|e| InputError::new(&base_file, "", format!("cannot convert to JSON: {e}")))?
    } else {
        let base_bytes = crate::scenario::read_bytes(&base_path)?;
        parse_str(crate::scenario::utf8(&base_bytes, &base_file)?, &base_file)?
    };

    let mut variants: Vec<Variant> = raw
        .variants
        .iter()
        .map(|v| Variant {
            name: v.name.clone(),
            patch: v.patch.clone(),
            price_of: None,
            from_axes: false,
        })
        .collect();
    variants.extend(axis_variants(&raw.axes, &base_doc, &file)?);

    let mut seen = std::collections::BTreeMap::new();
    for (i, v) in variants.iter().enumerate() {
        let at = if i < raw.variants.len() {
            format!("variants[{i}].name")
        } else {
            "axes".to_string()
        };
        if v.name == "base" || v.name.trim().is_empty() {
            return Err(InputError::new(
                &file,
                at,
                "a variant name must not be empty or \"base\" (the base's line is named base)",
            ));
        }
        if let Some(first) = seen.insert(v.name.clone(), i) {
            return Err(InputError::new(
                &file,
                at,
                format!(
                    "variant name {} is used twice (first by variant {first})",
                    serde_json::Value::from(v.name.as_str())
                ),
            ));
        }
    }

    Ok(Sweep {
        file,
        sha256,
        base_path,
        base_doc,
        base,
        variants,
        named: raw.variants.len(),
    })
}

/// At most this many variants from a sweep file's `axes` (their product): 100,000 city-sized
/// solves are over an hour on two cores, and every variant's patch lives in memory from the
/// start.
pub const MAX_AXIS_VARIANTS: usize = 100_000;

/// The Cartesian product of the axes, first axis slowest. Each combination is one patch with
/// one operation per axis: `replace` where the path exists in the base, `add` where it does not
/// (e.g. `/fit/threshold` in a base without `fit.threshold`).
fn axis_variants(axes: &[RawAxis], base: &Value, file: &str) -> Result<Vec<Variant>, InputError> {
    if axes.is_empty() {
        return Ok(Vec::new());
    }
    let mut ops_per_axis = Vec::new();
    for (i, axis) in axes.iter().enumerate() {
        let at = format!("axes[{i}].path");
        let path = Value::from(axis.path.as_str());
        let ptr = jsonptr::PointerBuf::parse(axis.path.as_str()).map_err(|e| {
            InputError::new(
                file,
                &at,
                format!(
                    "{path}: not a JSON Pointer (RFC 6901): {}",
                    pointer_words(&e)
                ),
            )
        })?;
        if axis.values.is_empty() {
            return Err(InputError::new(
                file,
                format!("axes[{i}].values"),
                "must list at least one value",
            ));
        }
        let op = if ptr.resolve(base).is_ok() {
            "replace"
        } else {
            "add"
        };
        ops_per_axis.push(
            axis.values
                .iter()
                .map(|v| {
                    (
                        format!("{}={}", axis.path, v),
                        serde_json::json!({"op": op, "path": axis.path, "value": v}),
                    )
                })
                .collect::<Vec<_>>(),
        );
    }
    // The product is built in memory before any solve: refuse one no machine could hold or
    // run (a reviewer's 1000 x 10 x 1000 values took 7.2 GB before the first solve).
    let count = ops_per_axis
        .iter()
        .try_fold(1usize, |n, ops| n.checked_mul(ops.len()));
    if count.is_none_or(|c| c > MAX_AXIS_VARIANTS) {
        let sizes: Vec<String> = ops_per_axis.iter().map(|o| o.len().to_string()).collect();
        return Err(InputError::new(
            file,
            "axes",
            format!(
                "{} values make {} variants, more than the {MAX_AXIS_VARIANTS} a sweep takes; \
                 split the sweep into several files",
                sizes.join(" x "),
                count.map_or_else(|| "more than 2^64".to_string(), |c| c.to_string()),
            ),
        ));
    }
    let mut combos: Vec<(Vec<String>, Vec<Value>)> = vec![(Vec::new(), Vec::new())];
    for ops in &ops_per_axis {
        combos = combos
            .into_iter()
            .flat_map(|(names, patch)| {
                ops.iter().map(move |(n, op)| {
                    let mut names = names.clone();
                    let mut patch = patch.clone();
                    names.push(n.clone());
                    patch.push(op.clone());
                    (names, patch)
                })
            })
            .collect();
    }
    Ok(combos
        .into_iter()
        .map(|(names, patch)| Variant {
            name: names.join(", "),
            patch: Value::Array(patch),
            price_of: None,
            from_axes: true,
        })
        .collect())
}

/// The rule-price items of a base (spec "Sweeps", `--price-rules`): for each rule in order, the
/// base with that rule removed, named `without NAME` (or `without rules[i]`).
pub fn price_variants(base: &Scenario) -> Vec<Variant> {
    base.rules
        .iter()
        .enumerate()
        .map(|(i, r)| Variant {
            name: format!("without {}", r.label()),
            patch: serde_json::json!([{"op": "remove", "path": format!("/rules/{i}")}]),
            price_of: Some(i),
            from_axes: false,
        })
        .collect()
}

/// Refuses a work list whose rule-price lines (`--price-rules`) would share a name with a
/// variant, or with one another, so that every line's name stays unique (the base and the
/// variants are checked by [`load_sweep`]). A variant named `without NAME` for a rule `NAME` of
/// the base is the sweep file's mistake, named by its JSON path:
/// `sweep.json: variants[3].name: variant name "without women" is taken by the rule-price line
/// of --price-rules for rules[2] (the base without it); rename the variant`.
pub fn check_price_names(sweep: &Sweep, price_rules: bool) -> Result<(), InputError> {
    if !price_rules {
        return Ok(());
    }
    let mut seen: std::collections::BTreeMap<&str, usize> = sweep
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| (v.name.as_str(), i))
        .collect();
    let prices = price_variants(&sweep.base);
    for p in &prices {
        let rule = p.price_of.expect("a rule-price item names its rule");
        let Some(i) = seen.insert(p.name.as_str(), sweep.variants.len() + rule) else {
            continue;
        };
        let name = Value::from(p.name.as_str());
        return Err(if i < sweep.named {
            InputError::new(
                &sweep.file,
                format!("variants[{i}].name"),
                format!(
                    "variant name {name} is taken by the rule-price line of --price-rules for \
                     rules[{rule}] (the base without it); rename the variant"
                ),
            )
        } else if i < sweep.variants.len() {
            InputError::new(
                &sweep.file,
                "axes",
                format!("axis variant name {name} is taken by a rule-price line of --price-rules"),
            )
        } else {
            // Only a rule named like another, unnamed one's label can do this: `rules[1]`.
            let first = i - sweep.variants.len();
            let named = if sweep.base.rules[first].name.is_some() {
                first
            } else {
                rule
            };
            InputError::new(
                sweep.base_path.display().to_string(),
                format!("rules[{named}].name"),
                format!(
                    "rules[{first}] and rules[{rule}] would both have the rule-price line {name} \
                     of --price-rules; rename the rule"
                ),
            )
        });
    }
    Ok(())
}

/// Applies a variant's patch to the base document and validates the result like a scenario
/// file. The error, on one line, names the variant, then the JSON path:
/// `variant "cppcc-60": rules[0].min: must be in [0, 1], got 6` or
/// `variant "x": patch[0].path: "/rules/9": path is invalid: "/rules" has 4 items, no index 9`.
pub fn build_variant(base_doc: &Value, v: &Variant) -> Result<Scenario, InputError> {
    let label = format!("variant {}", Value::from(v.name.as_str()));
    // The shapes serde would word in its own terms ("invalid type: map, expected a sequence").
    let Some(ops) = v.patch.as_array() else {
        return Err(InputError::new(
            &label,
            "patch",
            format!(
                "not a JSON Patch (RFC 6902): expected an array of operations, found {}",
                json_kind(&v.patch)
            ),
        ));
    };
    if let Some(i) = ops.iter().position(|op| !op.is_object()) {
        return Err(InputError::new(
            &label,
            format!("patch[{i}]"),
            format!(
                "not a JSON Patch operation: expected an object like {{\"op\": \"replace\", \"path\": ..., \"value\": ...}}, found {}",
                json_kind(&ops[i])
            ),
        ));
    }
    let patch = json_patch::Patch(
        ops.iter()
            .enumerate()
            .map(|(i, op)| patch_operation(&label, i, op))
            .collect::<Result<_, _>>()?,
    );
    let mut doc = base_doc.clone();
    patch::apply_patch(&mut doc, &patch).map_err(|e| {
        let path = match &patch.0[e.operation] {
            json_patch::PatchOperation::Move(_) | json_patch::PatchOperation::Copy(_)
                if matches!(e.kind, json_patch::PatchErrorKind::InvalidFromPointer) =>
            {
                "from"
            }
            json_patch::PatchOperation::Test(_)
                if matches!(e.kind, json_patch::PatchErrorKind::TestFailed) =>
            {
                "value"
            }
            _ => "path",
        };
        let where_ = match &patch.0[e.operation] {
            json_patch::PatchOperation::Move(m) if path == "from" => m.from.to_string(),
            json_patch::PatchOperation::Copy(c) if path == "from" => c.from.to_string(),
            op => op.path().to_string(),
        };
        // An axis's operation k is axis k (`axis_variants`): name what the user wrote.
        let at = if v.from_axes {
            format!("axes[{}].path", e.operation)
        } else {
            format!("patch[{}].{path}", e.operation)
        };
        // The first step of the path that does not resolve, in the document as the patch's
        // earlier operations left it.
        let new_last = path == "path"
            && matches!(
                &patch.0[e.operation],
                json_patch::PatchOperation::Add(_)
                    | json_patch::PatchOperation::Move(_)
                    | json_patch::PatchOperation::Copy(_)
            );
        let why = match e.kind {
            json_patch::PatchErrorKind::InvalidPointer
            | json_patch::PatchErrorKind::InvalidFromPointer => {
                patch::missing_step(&doc, &where_, new_last)
            }
            _ => None,
        };
        let reason = match why {
            Some(why) => format!("{}: {}: {why}", Value::from(where_), e.kind),
            None => format!("{}: {}", Value::from(where_), e.kind),
        };
        InputError::new(&label, at, reason)
    })?;
    let text = doc.to_string();
    let raw: RawScenario = parse_str(&text, &label)?;
    Scenario::from_raw(&raw, &label)
}

/// Operation `i` of a variant's patch (an object), or an error naming the field at fault:
/// `patch[i].op` for an operation RFC 6902 does not have, `patch[i].path` (or `.from`) for a
/// string that is not a JSON Pointer (RFC 6901: empty, or `/` tokens, `~` only as `~0`/`~1`),
/// else `patch[i]` with the parser's reason.
fn patch_operation(
    label: &str,
    i: usize,
    op: &Value,
) -> Result<json_patch::PatchOperation, InputError> {
    const OPS: [&str; 6] = ["add", "remove", "replace", "move", "copy", "test"];
    serde_json::from_value(op.clone()).map_err(|e| {
        let at = |field: &str| format!("patch[{i}].{field}");
        match op.get("op") {
            Some(Value::String(name)) if !OPS.contains(&name.as_str()) => {
                return InputError::new(
                    label,
                    at("op"),
                    format!(
                        "unknown operation {}: RFC 6902 has add, remove, replace, move, copy \
                         and test",
                        Value::from(name.as_str())
                    ),
                )
            }
            Some(Value::String(_)) => {}
            Some(other) => {
                return InputError::new(
                    label,
                    at("op"),
                    format!("expected a string, found {}", json_kind(other)),
                )
            }
            None => return InputError::new(label, format!("patch[{i}]"), "missing field \"op\""),
        }
        let name = op.get("op").and_then(Value::as_str).unwrap_or_default();
        let needs_from = matches!(name, "move" | "copy");
        for (field, needed) in [("path", true), ("from", needs_from)] {
            match op.get(field) {
                None if needed => {
                    return InputError::new(
                        label,
                        at(field),
                        format!("missing; the {name} operation needs it"),
                    )
                }
                Some(v) if !v.is_string() => {
                    return InputError::new(
                        label,
                        at(field),
                        format!("expected a JSON Pointer string, found {}", json_kind(v)),
                    )
                }
                _ => {}
            }
        }
        if matches!(name, "add" | "replace" | "test") && op.get("value").is_none() {
            return InputError::new(
                label,
                at("value"),
                format!("missing; the {name} operation needs it"),
            );
        }
        for field in ["path", "from"] {
            if let Some(Value::String(ptr)) = op.get(field) {
                if let Some(why) = pointer_fault(ptr) {
                    return InputError::new(
                        label,
                        at(field),
                        format!(
                            "{}: not a JSON Pointer (RFC 6901): {why}",
                            Value::from(ptr.as_str())
                        ),
                    );
                }
            }
        }
        InputError::new(
            label,
            format!("patch[{i}]"),
            format!("not a JSON Patch operation (RFC 6902): {e}"),
        )
    })
}

/// Why `ptr` is not a JSON Pointer (RFC 6901 §3), or `None` when it is one: `jsonptr`'s
/// parser decides, and its two faults are worded for people who write sweep files.
fn pointer_fault(ptr: &str) -> Option<&'static str> {
    jsonptr::PointerBuf::parse(ptr)
        .err()
        .map(|e| pointer_words(&e))
}

/// A JSON Pointer parse error in the words of the sweep file's author.
fn pointer_words(e: &jsonptr::ParseError) -> &'static str {
    match e {
        jsonptr::ParseError::NoLeadingSlash => "it must be empty or begin with \"/\"",
        _ => "\"~\" may only be followed by 0 or 1 (\"~0\" is ~, \"~1\" is /)",
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A JSON value's kind, as messages name it (`an object`, `an array`, ...).
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
