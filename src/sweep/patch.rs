//! Applying a variant's JSON Patch (RFC 6902) with the `json-patch` crate: numbers compared
//! by value in `test`, and a path that does not resolve explained by its first missing step.

use serde_json::Value;

/// Applies a JSON Patch with the `json-patch` crate, one operation at a time, so that each
/// `test` compares numbers as RFC 6902 §4.6 says: "numbers are considered equal if their values
/// are numerically equal" (the crate compares `serde_json` values, where `1` and `1.0` differ).
/// Before a `test` runs, every number of its value (nested in arrays and objects too) that
/// equals, by value, the number at the same place in the document is replaced by the
/// document's, so `1.0` passes against `1` and `[1.0, {"a": 2}]` against `[1, {"a": 2.0}]`;
/// everything else (strings, key sets, lengths, a missing path) is left to the crate, as are the
/// other operations. The error is the crate's, with the index of the operation in the patch.
pub(super) fn apply_patch(
    doc: &mut Value,
    patch: &json_patch::Patch,
) -> Result<(), json_patch::PatchError> {
    for (i, op) in patch.0.iter().enumerate() {
        let op = match op {
            json_patch::PatchOperation::Test(t) => {
                let mut t = t.clone();
                if let Some(found) = doc.pointer(t.path.as_str()) {
                    numbers_as_in(&mut t.value, found);
                }
                json_patch::PatchOperation::Test(t)
            }
            op => op.clone(),
        };
        // json-patch's `move` removes `from` before it adds at `path`, and leaves it removed
        // when the add fails: keep the document as it was, so that the error describes it.
        let before = matches!(op, json_patch::PatchOperation::Move(_)).then(|| doc.clone());
        json_patch::patch(doc, std::slice::from_ref(&op)).map_err(|mut e| {
            if let Some(before) = before {
                *doc = before;
            }
            e.operation = i;
            e
        })?;
    }
    Ok(())
}

/// Replaces each number of `value` that is numerically equal to the number at the same place
/// in `doc` by that number (see [`apply_patch`]).
fn numbers_as_in(value: &mut Value, doc: &Value) {
    match (value, doc) {
        (Value::Number(a), Value::Number(b)) if numerically_equal(a, b) => *a = b.clone(),
        (Value::Array(a), Value::Array(b)) => {
            for (x, y) in a.iter_mut().zip(b) {
                numbers_as_in(x, y);
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, x) in a.iter_mut() {
                if let Some(y) = b.get(k) {
                    numbers_as_in(x, y);
                }
            }
        }
        _ => {}
    }
}

/// Whether two JSON numbers have the same value, exactly: integers compare as integers (so
/// 2^53 + 1 is not 2^53), an integer and a float only when the float is that very integer.
fn numerically_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    fn int(n: &serde_json::Number) -> Option<i128> {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    }
    fn float_as_int(f: f64) -> Option<i128> {
        // Every f64 of magnitude below 2^127 that has no fraction is an i128 exactly.
        (f.fract() == 0.0 && f.abs() < 1.7e38).then_some(f as i128)
    }
    match (int(a), int(b)) {
        (Some(x), Some(y)) => x == y,
        (Some(x), None) => b.as_f64().and_then(float_as_int) == Some(x),
        (None, Some(y)) => a.as_f64().and_then(float_as_int) == Some(y),
        (None, None) => a.as_f64() == b.as_f64(),
    }
}

/// Why `pointer` does not resolve in `doc`, in words: its first step that fails, e.g.
/// `"/rules" has 4 items, no index 9` or `"/posts/0" has no key "rnak"`. An `add` (and a
/// `move` or `copy`) may name a new last step (`new_last`): a missing key, the index one past
/// the end, or `-`. `None` when every step resolves (or the pointer does not parse: that is
/// reported before the patch runs).
pub(super) fn missing_step(doc: &Value, pointer: &str, new_last: bool) -> Option<String> {
    let ptr = jsonptr::PointerBuf::parse(pointer).ok()?;
    let tokens: Vec<_> = ptr.tokens().collect();
    let mut at = doc;
    let mut walked = String::new();
    for (k, token) in tokens.iter().enumerate() {
        let last = k + 1 == tokens.len();
        let name = token.decoded();
        let here = if walked.is_empty() {
            "the document".to_string()
        } else {
            Value::from(walked.as_str()).to_string()
        };
        match at {
            Value::Object(map) => match map.get(name.as_ref()) {
                Some(v) => at = v,
                None if last && new_last => return None,
                None => return Some(format!("{here} has no key {}", Value::from(name.as_ref()))),
            },
            Value::Array(items) => {
                // RFC 6901: digits only, no leading zero; one too large for usize is past
                // the end all the same.
                let digits = !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_digit())
                    && (name == "0" || !name.starts_with('0'));
                let index = digits.then(|| name.parse::<usize>().unwrap_or(usize::MAX));
                match index {
                    Some(i) if i < items.len() => at = &items[i],
                    Some(i) if last && new_last && i == items.len() => return None,
                    None if last && new_last && name == "-" => return None,
                    Some(_) => {
                        let count = match items.len() {
                            1 => "1 item".to_string(),
                            n => format!("{n} items"),
                        };
                        return Some(format!("{here} has {count}, no index {name}"));
                    }
                    None => {
                        return Some(format!(
                            "{here} is an array, and {} is not an index",
                            Value::from(name.as_ref())
                        ))
                    }
                }
            }
            other => {
                return Some(format!(
                    "{here} is {}, not an object or an array",
                    super::json_kind(other)
                ))
            }
        }
        walked.push('/');
        walked.push_str(token.encoded());
    }
    None
}
