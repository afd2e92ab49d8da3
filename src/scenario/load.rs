//! Reading a scenario file: bytes -> UTF-8 -> JSON with paths in every error -> validation.
//!
//! Every error is one line: `FILE: JSON.PATH: reason`. Names that come from the input (keys,
//! ids, ranks) are quoted JSON-style in reasons and written as `["..."]` in paths when they are
//! not plain words, so no input can break the line or make the path ambiguous.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{RawScenario, Scenario};
use crate::error::InputError;

/// Read, parse and validate a scenario file. Returns the scenario, the raw document and the
/// SHA-256 of the file's bytes (recorded in every plan).
///
/// A `.xlsx`/`.xls`/`.ods` workbook or a folder of CSV files is read by [`crate::workbook`]
/// (picked here, by extension, so every command accepts one); errors then name the cell.
pub fn load(path: &Path) -> Result<(Scenario, RawScenario, String), InputError> {
    if crate::workbook::is_workbook(path) {
        return crate::workbook::load(path);
    }
    let file = path.display().to_string();
    let bytes = read_bytes(path)?;
    load_bytes(&bytes, &file)
}

/// Like [`load`], for a scenario already in memory; `file` names it in messages.
pub fn load_bytes(bytes: &[u8], file: &str) -> Result<(Scenario, RawScenario, String), InputError> {
    let sha = sha256_hex(bytes);
    let text = utf8(bytes, file)?;
    let raw: RawScenario = parse_str(text, file)?;
    let scenario = Scenario::from_raw(&raw, file)?;
    Ok((scenario, raw, sha))
}

/// The largest input file read: 1 GiB. A province-scale scenario is a few megabytes; a larger
/// file is a mistake (a disk image, a log), refused before reading so it cannot exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Read a whole file, with a one-line reason when it cannot be read. Only a regular file (or a
/// symlink to one) of at most [`MAX_INPUT_BYTES`] is read: a directory, FIFO, socket or device
/// is refused before reading (a FIFO or `/dev/zero` would block or never end).
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let file = path.display().to_string();
    if path == Path::new("-") {
        // `-` is stdin (issue 13 item 2); messages name it as `-`. The 1 GiB cap holds here too.
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                one_line(InputError::new(
                    &file,
                    "",
                    format!("cannot read stdin: {e}"),
                ))
            })?;
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(one_line(InputError::new(
                &file,
                "",
                "is larger than the 1 GiB postfit reads",
            )));
        }
        return Ok(bytes);
    }
    let fail = |reason: String| one_line(InputError::new(&file, "", reason));
    let io_reason = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => format!("cannot read: {e}"),
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(io_reason(e)))?;
    if meta.is_dir() {
        return Err(fail("is a directory, expected a JSON file".into()));
    }
    if !meta.is_file() {
        return Err(fail(format!(
            "is not a regular file ({}), expected a JSON file",
            special_kind(&meta)
        )));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(fail(format!(
            "is {} bytes, larger than the 1 GiB postfit reads",
            meta.len()
        )));
    }
    let f = std::fs::File::open(path).map_err(|e| fail(io_reason(e)))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while it is read: never read past the cap.
    f.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(io_reason(e)))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(fail("grew larger than the 1 GiB postfit reads".into()));
    }
    Ok(bytes)
}

/// What a non-regular file is, for the message.
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = meta;
    "not a plain file"
}

/// UTF-16 or UTF-32, recognised by a byte-order mark or, without one, by the zero bytes that
/// the first ASCII characters of a JSON text have in them (RFC 4627, section 3).
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    let b = |i: usize| bytes.get(i).copied();
    let z = |i: usize| b(i) == Some(0);
    let nz = |i: usize| b(i).is_some_and(|x| x != 0);
    match bytes {
        [0x00, 0x00, 0xFE, 0xFF, ..] => {
            return Some("UTF-32 big-endian text (it has a byte-order mark)")
        }
        [0xFF, 0xFE, 0x00, 0x00, ..] => {
            return Some("UTF-32 little-endian text (it has a byte-order mark)")
        }
        [0xFE, 0xFF, ..] => return Some("UTF-16 big-endian text (it has a byte-order mark)"),
        [0xFF, 0xFE, ..] => return Some("UTF-16 little-endian text (it has a byte-order mark)"),
        _ => {}
    }
    if bytes.len() >= 4 && z(0) && z(1) && z(2) && nz(3) {
        return Some("UTF-32 big-endian text");
    }
    if bytes.len() >= 4 && nz(0) && z(1) && z(2) && z(3) {
        return Some("UTF-32 little-endian text");
    }
    if bytes.len() >= 2 && z(0) && nz(1) {
        return Some("UTF-16 big-endian text");
    }
    if bytes.len() >= 2 && nz(0) && z(1) {
        return Some("UTF-16 little-endian text");
    }
    None
}

pub(crate) fn utf8<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str, InputError> {
    // NUL bytes are valid UTF-8, so UTF-16 text can pass as UTF-8: look for it first.
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(enc) = wide_encoding(body) {
        return Err(one_line(InputError::new(
            file,
            "",
            format!("not UTF-8: the file looks like {enc}; save it as UTF-8"),
        )));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // Columns count characters, as editors do.
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        one_line(InputError::new(
            file,
            "",
            format!("not UTF-8 text: invalid byte at line {line} column {column} (save the file as UTF-8)"),
        ))
    })
}

/// The path shown for an error about the top-level object itself (a missing required key, a
/// key given twice, an array or `null` where the object should be).
pub const TOP_LEVEL: &str = "(top level)";

/// Parse JSON text into `T`, naming the JSON path of the first offending value. Shapes serde
/// would accept but the format does not (an array for an object, `null`) are rejected first,
/// along `T`'s schema (see `shape`).
pub fn parse_str<T: serde::de::DeserializeOwned + schemars::JsonSchema>(
    text: &str,
    file: &str,
) -> Result<T, InputError> {
    // A UTF-8 byte order mark (some editors write one) is not content.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(one_line(InputError::new(
            file,
            "",
            "empty file, expected a JSON object",
        )));
    }
    // Parse to a generic value first so that syntax errors and a non-object top level get
    // their own clear messages, separate from type errors.
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| one_line(InputError::new(file, "", syntax_reason(&e, text))))?;
    if !value.is_object() {
        return Err(one_line(InputError::new(
            file,
            TOP_LEVEL,
            format!("expected a JSON object, found {}", kind_of(&value)),
        )));
    }
    // A key given twice would silently keep only its last value: reject it.
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, NoDuplicateKeys>(&mut de).map_err(|e| {
        let path = json_path(e.path());
        let path = if path.is_empty() {
            TOP_LEVEL.to_string()
        } else {
            path
        };
        one_line(InputError::new(file, path, e.inner().to_string()))
    })?;
    super::shape::check_shapes::<T>(&value)
        .map_err(|(path, reason)| one_line(InputError::new(file, path, reason)))?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = json_path(e.path());
        let path = if path.is_empty() {
            TOP_LEVEL.to_string()
        } else {
            path
        };
        one_line(InputError::new(
            file,
            path,
            tidy_serde_reason(&e.inner().to_string()),
        ))
    })
}

/// A JSON syntax error as `invalid JSON at line L column C: what`, with a hint for the
/// non-JSON numbers people paste from other tools.
fn syntax_reason(e: &serde_json::Error, text: &str) -> String {
    let msg = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let what = msg.strip_suffix(&suffix).unwrap_or(&msg);
    let at = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
    let near = |back: usize| at.get(e.column().saturating_sub(back)..).unwrap_or("");
    let literal = (1..=3).find_map(|back| {
        let s = near(back).trim_start_matches(['-', '+']);
        ["NaN", "Infinity", "inf"]
            .into_iter()
            .find(|l| s.starts_with(l))
    });
    let what = match literal {
        Some(l) => format!("{l} is not a JSON number (numbers must be finite)"),
        None if what.starts_with("EOF while parsing") => {
            what.replacen("EOF while parsing", "the file ends inside", 1)
        }
        None if what == "number out of range" => {
            "number out of range (numbers must be finite, at most about 1.8e308)".to_string()
        }
        None => what.to_string(),
    };
    if e.line() == 0 {
        format!("invalid JSON: {what}")
    } else {
        format!(
            "invalid JSON at line {} column {}: {what}",
            e.line(),
            e.column()
        )
    }
}

/// Accepts any JSON value, failing on an object that has the same key twice.
struct NoDuplicateKeys;

impl<'de> Deserialize<'de> for NoDuplicateKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NoDuplicateKeys;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<NoDuplicateKeys, E> {
                Ok(NoDuplicateKeys)
            }
            fn visit_i64<E>(self, _: i64) -> Result<NoDuplicateKeys, E> {
                Ok(NoDuplicateKeys)
            }
            fn visit_u64<E>(self, _: u64) -> Result<NoDuplicateKeys, E> {
                Ok(NoDuplicateKeys)
            }
            fn visit_f64<E>(self, _: f64) -> Result<NoDuplicateKeys, E> {
                Ok(NoDuplicateKeys)
            }
            fn visit_str<E>(self, _: &str) -> Result<NoDuplicateKeys, E> {
                Ok(NoDuplicateKeys)
            }
            fn visit_unit<E>(self) -> Result<NoDuplicateKeys, E> {
                Ok(NoDuplicateKeys)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NoDuplicateKeys, A::Error> {
                while seq.next_element::<NoDuplicateKeys>()?.is_some() {}
                Ok(NoDuplicateKeys)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoDuplicateKeys, A::Error> {
                let mut seen = HashSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !seen.insert(key.clone()) {
                        return Err(de::Error::custom(format!("duplicate key {}", quoted(&key))));
                    }
                    map.next_value::<NoDuplicateKeys>()?;
                }
                Ok(NoDuplicateKeys)
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON path as users read it: `candidates[17].rank`, `groups.women.gender.in`.
fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => out.push_str(&path_key(key)),
            Segment::Enum { variant } => out.push_str(&path_key(variant)),
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out.strip_prefix('.').map(str::to_string).unwrap_or(out)
}

/// One object key as a path segment: `.key` for plain names (letters, digits, `-`, `_`, inner
/// spaces, any script), else `["key"]` JSON-quoted. Strip a leading `.` for the first segment.
pub(crate) fn path_key(key: &str) -> String {
    let plain = !key.is_empty()
        && key.trim() == key
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '));
    if plain {
        format!(".{key}")
    } else {
        format!("[{}]", quoted(key))
    }
}

/// A name from the input, JSON-quoted: `"sectoin"`, with control characters escaped.
pub(crate) fn quoted(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// A number for a message: as written for everyday magnitudes, in `1e300` form for extreme ones
/// (Rust would print all 301 digits).
pub(crate) fn number(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// The last guard of the one-line rule: escape any line break left in a message.
pub(crate) fn one_line(mut e: InputError) -> InputError {
    fn clean(s: &mut String) {
        if s.chars().any(char::is_control) {
            *s = s
                .chars()
                .map(|c| match c {
                    '\n' => "\\n".to_string(),
                    '\r' => "\\r".to_string(),
                    '\t' => "\\t".to_string(),
                    c if c.is_control() => format!("\\u{:04x}", c as u32),
                    c => c.to_string(),
                })
                .collect();
        }
    }
    clean(&mut e.file);
    clean(&mut e.path);
    clean(&mut e.reason);
    e
}

/// serde's messages speak Rust ("invalid type: floating point `1.5`, expected u32", "unknown
/// field"); say the same in JSON terms, with names from the input quoted.
fn tidy_serde_reason(msg: &str) -> String {
    if let Some(rest) = msg.strip_prefix("missing field `") {
        return format!(
            "missing required key {}",
            quoted(rest.trim_end_matches('`'))
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        return unknown("key", rest);
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        return unknown("value", rest);
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            if let Some((found, expected)) = rest.rsplit_once(", expected ") {
                // An integer of the right type but out of range (`max_step` is a u32).
                let too_large = prefix == "invalid value: "
                    && found.starts_with("integer `")
                    && !found.starts_with("integer `-");
                let found = found_term(found);
                if too_large && expected == "u32" {
                    return format!("must be at most {}, got {found}", u32::MAX);
                }
                return format!("expected {}, found {found}", expected_term(expected));
            }
        }
    }
    if msg.contains("struct ") || msg.contains("Raw") || msg.contains("::") {
        // Never show serde's or Rust's own names ("struct RawRule with 8 elements").
        return "not the shape the format gives here (see postfit schema)".to_string();
    }
    msg.to_string()
}

/// `name`, expected one of `a`, `b` -> unknown KIND "name" (allowed: a, b).
fn unknown(kind: &str, rest: &str) -> String {
    let (name, allowed) = match rest.rfind("`, expected ") {
        Some(i) => (&rest[..i], &rest[i + "`, expected ".len()..]),
        None => match rest.rfind("`, there are no ") {
            Some(i) => (&rest[..i], ""),
            None => (rest.trim_end_matches('`'), ""),
        },
    };
    let allowed: Vec<&str> = allowed
        .trim_start_matches("one of ")
        .split(['`', ',', ' '])
        .filter(|w| !w.is_empty() && *w != "or")
        .collect();
    if allowed.is_empty() {
        format!("unknown {kind} {}", quoted(name))
    } else {
        format!(
            "unknown {kind} {} (allowed: {})",
            quoted(name),
            allowed.join(", ")
        )
    }
}

/// serde's name of what it found, as JSON: `integer `5`` -> 5, `map` -> an object.
fn found_term(found: &str) -> String {
    let unticked = |s: &str| s.trim_matches('`').to_string();
    if let Some(v) = found.strip_prefix("integer ") {
        return unticked(v);
    }
    if let Some(v) = found.strip_prefix("floating point ") {
        // serde writes `2.0` (keep it: it says why 2.0 is not an integer) but also all 301
        // digits of 1e300 (shorten those).
        let v = unticked(v);
        return match v.parse::<f64>() {
            Ok(x) if v.len() > 20 => number(x),
            _ => v,
        };
    }
    if let Some(v) = found.strip_prefix("boolean ") {
        return unticked(v);
    }
    if let Some(v) = found.strip_prefix("string ") {
        // serde quotes with Rust's escapes; re-quote as JSON.
        return match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(inner) if !inner.contains('\\') => quoted(inner),
            _ => v.to_string(),
        };
    }
    match found {
        "map" => "an object".to_string(),
        "sequence" => "an array".to_string(),
        "unit value" | "null" => "null".to_string(),
        other => other.to_string(),
    }
}

/// serde's name of what it expected, as JSON terms.
fn expected_term(expected: &str) -> String {
    match expected {
        "f64" => "a number".to_string(),
        "u32" => "a non-negative integer".to_string(),
        "a boolean" => "true or false".to_string(),
        "a sequence" => "an array".to_string(),
        "a map" => "an object".to_string(),
        // An enum (rule type, scope) given something other than a string.
        "string or map" => "a string".to_string(),
        e if e.starts_with("struct ") => "an object".to_string(),
        // Never show serde's or Rust's own names ("struct RawRule with 8 elements", "u32").
        e if e.contains("struct ") || e.contains("Raw") || e.contains("::") => {
            "a value of another shape".to_string()
        }
        e => e.to_string(),
    }
}

fn kind_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
