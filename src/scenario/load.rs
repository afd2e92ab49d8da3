//! Reading a scenario file: bytes -> UTF-8 -> JSON with paths in every error -> validation.

use std::path::Path;

use super::{RawScenario, Scenario};
use crate::error::InputError;

/// Read, parse and validate a scenario file. Returns the scenario, the raw document and the
/// SHA-256 of the file's bytes (recorded in every plan).
pub fn load(path: &Path) -> Result<(Scenario, RawScenario, String), InputError> {
    let file = path.display().to_string();
    let bytes = read_bytes(path)?;
    let sha = sha256_hex(&bytes);
    let text = utf8(&bytes, &file)?;
    let raw: RawScenario = parse_str(text, &file)?;
    let scenario = Scenario::from_raw(&raw, &file)?;
    Ok((scenario, raw, sha))
}

/// Read a whole file, with a one-line reason when it cannot be read.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    let file = path.display().to_string();
    if path.is_dir() {
        return Err(InputError::new(file, "", "is a directory, expected a JSON file"));
    }
    std::fs::read(path).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => format!("cannot read: {e}"),
        };
        InputError::new(file, "", reason)
    })
}

pub(crate) fn utf8<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str, InputError> {
    std::str::from_utf8(bytes).map_err(|e| {
        InputError::new(
            file,
            "",
            format!("not UTF-8 text (invalid byte at offset {})", e.valid_up_to()),
        )
    })
}

/// Parse JSON text into `T`, naming the JSON path of the first offending value.
pub fn parse_str<T: serde::de::DeserializeOwned>(text: &str, file: &str) -> Result<T, InputError> {
    if text.trim().is_empty() {
        return Err(InputError::new(file, "", "empty file, expected a JSON object"));
    }
    // Parse to a generic value first so that syntax errors and a non-object top level get
    // their own clear messages, separate from type errors.
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| InputError::new(file, "", format!("invalid JSON: {e}")))?;
    if !value.is_object() {
        return Err(InputError::new(
            file,
            "",
            format!("expected a JSON object at the top level, found {}", kind_of(&value)),
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        InputError::new(file, path, tidy_serde_reason(&e.inner().to_string()))
    })
}

/// serde's messages are good but say "invalid type: floating point `1.5`, expected u32";
/// make the Rust type names read as JSON terms.
fn tidy_serde_reason(msg: &str) -> String {
    msg.replace("expected u32", "expected a non-negative integer")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected true or false")
        .replace("a sequence", "a list")
        .replace("expected a map", "expected an object")
        .replace("struct Raw", "object ")
}

fn kind_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
