//! Bad input: every check of the spec's "Validation" section has a case here, each case names the
//! exact file, JSON path and reason, and no input, however malformed, makes `load` (or the CLI)
//! panic.
//!
//! Each case is one mutation of a small valid scenario (the spec's tutorial, embedded below so the
//! tests do not depend on files outside the crate). All messages are kept in one snapshot,
//! `tests/snapshots/bad_input__validation_messages.snap`, one line per case, so a change of any
//! wording shows up in review.

use std::path::{Path, PathBuf};
use std::process::Command;

use postfit::scenario::load;
use postfit::InputError;
use proptest::prelude::*;
use serde_json::{json, Value};

/// The spec's tutorial scenario (`spec/examples/tutorial.json`), valid.
const BASE: &str = r#"
{
  "name": "Tutorial: a county re-election with 5 vacancies",
  "ranks": ["clerk", "deputy-section", "section", "deputy-division", "division"],
  "promotion": {
    "max_step": 1,
    "min_years": {"deputy-section": 2, "section": 3, "deputy-division": 2},
    "requirements": {"deputy-division": {"experience": {"grassroots": 2}}}
  },
  "fit": {"specialty_weight": 0.6, "experience_weight": 0.4, "threshold": 0.7, "min": 0.2},
  "groups": {
    "non-party": {"affiliation": {"not_in": ["CPC"]}},
    "women": {"gender": {"in": ["F"]}},
    "young": {"age": {"max": 40}}
  },
  "teams": [
    {"id": "cppcc", "name": "县政协领导班子 County CPPCC leadership", "tags": ["cppcc"],
     "members": [
       {"affiliation": "CPC", "gender": "M", "age": 55},
       {"affiliation": "CPC", "gender": "M", "age": 51},
       {"affiliation": "Jiusan", "gender": "F", "age": 49}
     ]},
    {"id": "gov", "name": "县政府领导班子 County government leadership", "tags": ["government"],
     "members": [
       {"affiliation": "CPC", "gender": "M", "age": 52},
       {"affiliation": "CPC", "gender": "F", "age": 47},
       {"affiliation": "CPC", "gender": "M", "age": 45}
     ]},
    {"id": "agri", "name": "县农业农村局 Agriculture bureau", "tags": ["department"],
     "members": [{"affiliation": "CPC", "gender": "M", "age": 50}]}
  ],
  "posts": [
    {"id": "cppcc-vice-1", "title": "政协副主席 CPPCC vice-chair", "team": "cppcc", "rank": "deputy-division",
     "kind": "comprehensive", "specialty": {"economics": 0.6, "social-work": 1.0},
     "experience": {"grassroots": 3, "administration": 3}, "must_fill": true},
    {"id": "cppcc-vice-2", "title": "政协副主席 CPPCC vice-chair", "team": "cppcc", "rank": "deputy-division",
     "kind": "comprehensive", "specialty": {"education": 1.0, "culture": 0.5},
     "experience": {"grassroots": 2}, "open_to": "non-party"},
    {"id": "gov-vice", "title": "副县长 Deputy county head (tourism, transport)", "team": "gov",
     "rank": "deputy-division", "kind": "technical", "specialty": {"tourism": 1.0, "transport": 0.8},
     "experience": {"grassroots": 2, "economic-management": 4}, "must_fill": true},
    {"id": "agri-head", "title": "局长 Bureau director", "team": "agri", "rank": "section",
     "kind": "technical", "specialty": {"agriculture": 1.0, "economics": 0.3},
     "experience": {"technical": 5}},
    {"id": "agri-deputy", "title": "副局长 Deputy director", "team": "agri", "rank": "deputy-section",
     "kind": "technical", "specialty": {"agriculture": 0.8, "environment": 0.6},
     "experience": {"technical": 3}}
  ],
  "candidates": [
    {"id": "C01", "name": "王芳", "rank": "section", "years_at_rank": 4,
     "attributes": {"affiliation": "Minmeng", "gender": "F", "age": 43},
     "specialty": {"education": 0.9, "culture": 0.6}, "experience": {"grassroots": 5, "administration": 2}},
    {"id": "C02", "name": "李强", "rank": "deputy-division", "years_at_rank": 1,
     "attributes": {"affiliation": "CPC", "gender": "M", "age": 48},
     "specialty": {"economics": 1.0, "social-work": 0.4}, "experience": {"grassroots": 6, "administration": 6}},
    {"id": "C03", "name": "张敏", "rank": "section", "years_at_rank": 3.5,
     "attributes": {"affiliation": "Jiusan", "gender": "F", "age": 39},
     "specialty": {"tourism": 0.9, "transport": 0.5}, "experience": {"grassroots": 3, "economic-management": 5}},
    {"id": "C04", "name": "刘洋", "rank": "section", "years_at_rank": 5,
     "attributes": {"affiliation": "none", "gender": "M", "age": 45},
     "specialty": {"social-work": 0.9, "economics": 0.5}, "experience": {"grassroots": 4, "administration": 4}},
    {"id": "C05", "name": "陈静", "rank": "deputy-section", "years_at_rank": 2.5,
     "attributes": {"affiliation": "Nonggong", "gender": "F", "age": 36},
     "specialty": {"agriculture": 0.9, "environment": 0.7}, "experience": {"technical": 6, "grassroots": 2}},
    {"id": "C06", "name": "杨军", "rank": "section", "years_at_rank": 6,
     "attributes": {"affiliation": "CPC", "gender": "M", "age": 50},
     "specialty": {"agriculture": 1.0}, "experience": {"technical": 8, "grassroots": 5}, "team": "agri"},
    {"id": "C07", "name": "赵丽", "rank": "section", "years_at_rank": 2,
     "attributes": {"affiliation": "Zhigong", "gender": "F", "age": 41},
     "specialty": {"tourism": 1.0, "culture": 0.4}, "experience": {"grassroots": 1, "economic-management": 6}},
    {"id": "C08", "name": "黄磊", "rank": "deputy-section", "years_at_rank": 4,
     "attributes": {"affiliation": "CPC", "gender": "M", "age": 33},
     "specialty": {"agriculture": 0.7, "economics": 0.6}, "experience": {"technical": 4}},
    {"id": "C09", "name": "周婷", "rank": "section", "years_at_rank": 3,
     "attributes": {"affiliation": "Minjian", "gender": "F", "age": 38},
     "specialty": {"economics": 0.8, "transport": 0.6}, "experience": {"grassroots": 2, "economic-management": 3},
     "team": "gov"},
    {"id": "C10", "name": "吴刚", "rank": "section", "years_at_rank": 8,
     "attributes": {"affiliation": "Jiusan", "gender": "M", "age": 52},
     "specialty": {"education": 1.0}, "experience": {"grassroots": 10}, "available": false,
     "note": "on leave for training until next year"},
    {"id": "C11", "name": "徐燕", "rank": "deputy-section", "years_at_rank": 1,
     "attributes": {"affiliation": "none", "gender": "F", "age": 31},
     "specialty": {"agriculture": 0.6, "environment": 1.0}, "experience": {"technical": 2}},
    {"id": "C12", "name": "孙浩", "rank": "section", "years_at_rank": 4,
     "attributes": {"affiliation": "Minge", "gender": "M", "age": 44},
     "specialty": {"social-work": 0.6, "education": 0.7}, "experience": {"grassroots": 3, "administration": 5},
     "avoid_teams": ["cppcc"]}
  ],
  "rules": [
    {"name": "non-party in every team", "type": "count", "group": "non-party", "scope": "team", "min": 1},
    {"name": "CPPCC half non-party", "type": "share", "group": "non-party", "scope": "team",
     "where": {"tag": "cppcc"}, "min": 0.5},
    {"name": "women among appointees", "type": "share", "group": "women", "scope": "placements", "min": 0.4,
     "penalty": 0.5},
    {"name": "technical fit rate", "type": "fit_rate", "scope": "placements", "where": {"kind": "technical"},
     "min": 0.8},
    {"name": "comprehensive fit rate", "type": "fit_rate", "scope": "placements",
     "where": {"kind": "comprehensive"}, "min": 0.75, "penalty": 1.0}
  ]
}
"#;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn base() -> Value {
    serde_json::from_str(BASE).expect("the embedded base scenario is valid JSON")
}

/// Splits a JSON pointer into its parent pointer and its last token.
fn split(ptr: &str) -> (&str, String) {
    let at = ptr.rfind('/').expect("a JSON pointer starts with /");
    let last = ptr[at + 1..].replace("~1", "/").replace("~0", "~");
    (&ptr[..at], last)
}

/// Sets the value at `ptr`, adding the key if the parent object lacks it (`-` appends to a list).
fn set(v: &mut Value, ptr: &str, new: Value) {
    let (parent, last) = split(ptr);
    match v.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.insert(last, new);
        }
        Some(Value::Array(a)) if last == "-" => a.push(new),
        Some(Value::Array(a)) => a[last.parse::<usize>().expect("an index")] = new,
        _ => panic!("no object or list at {parent}"),
    }
}

/// Removes the value at `ptr`.
fn remove(v: &mut Value, ptr: &str) {
    let (parent, last) = split(ptr);
    match v.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.shift_remove(&last)
                .unwrap_or_else(|| panic!("no key at {ptr}"));
        }
        Some(Value::Array(a)) => {
            a.remove(last.parse::<usize>().expect("an index"));
        }
        _ => panic!("no object or list at {parent}"),
    }
}

/// Renames a key of an object, keeping its value.
fn rename(v: &mut Value, ptr: &str, new_key: &str) {
    let (parent, _) = split(ptr);
    let value = v
        .pointer(ptr)
        .unwrap_or_else(|| panic!("no value at {ptr}"))
        .clone();
    remove(v, ptr);
    set(v, &format!("{parent}/{new_key}"), value);
}

/// What a case writes (or does not write) where the scenario file should be.
enum Input {
    /// No file at all.
    Missing,
    /// A directory in place of the file.
    Directory,
    /// These bytes.
    Bytes(Vec<u8>),
    /// A named pipe (FIFO): reading it would block until a writer comes.
    Fifo,
    /// A sparse file one byte larger than the 1 GiB cap.
    Huge,
}

struct Case {
    /// Short description, shown in the snapshot.
    name: &'static str,
    /// The JSON path the error must name (empty: the whole file).
    path: &'static str,
    input: Input,
}

fn bytes(name: &'static str, path: &'static str, b: &[u8]) -> Case {
    Case {
        name,
        path,
        input: Input::Bytes(b.to_vec()),
    }
}

/// The base scenario in UTF-16, big- or little-endian, with or without a byte-order mark.
fn utf16(big: bool, mark: bool) -> Vec<u8> {
    let units = (mark.then_some(0xFEFF))
        .into_iter()
        .chain(BASE.encode_utf16());
    units
        .flat_map(|u| {
            if big {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

/// The base scenario in UTF-32, big- or little-endian, with or without a byte-order mark.
fn utf32(big: bool, mark: bool) -> Vec<u8> {
    let chars = (mark.then_some(0xFEFF))
        .into_iter()
        .chain(BASE.chars().map(u32::from));
    chars
        .flat_map(|c| {
            if big {
                c.to_be_bytes()
            } else {
                c.to_le_bytes()
            }
        })
        .collect()
}

/// The base scenario's text with one textual replacement (for things a `Value` cannot hold).
fn text(name: &'static str, path: &'static str, from: &str, to: &str) -> Case {
    assert!(BASE.contains(from), "{name}: base has no {from:?}");
    bytes(name, path, BASE.replacen(from, to, 1).as_bytes())
}

/// The base scenario with one edit applied.
fn edit(name: &'static str, path: &'static str, f: impl FnOnce(&mut Value)) -> Case {
    let text = serde_json::to_string_pretty(&with(f)).unwrap();
    bytes(name, path, text.as_bytes())
}

/// Writes a case's input as `scenario.json` in a fresh directory; returns the directory and path.
fn materialise(input: &Input) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.json");
    match input {
        Input::Missing => {}
        Input::Directory => std::fs::create_dir(&file).unwrap(),
        Input::Bytes(b) => std::fs::write(&file, b).unwrap(),
        Input::Fifo => {
            let made = Command::new("mkfifo").arg(&file).status().unwrap();
            assert!(made.success(), "mkfifo failed");
        }
        Input::Huge => std::fs::File::create(&file)
            .unwrap()
            .set_len((1 << 30) + 1)
            .unwrap(),
    }
    (dir, file)
}

/// The message with the temporary directory removed, so the file reads `scenario.json`.
fn normalise(msg: &str, dir: &Path) -> String {
    let prefix = format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR);
    msg.replace(&prefix, "")
}

/// Loads a case and returns its error; fails the test if the case loads.
fn load_err(case: &Case) -> (InputError, String) {
    let (dir, file) = materialise(&case.input);
    match load(&file) {
        Ok(_) => panic!("case {:?} loaded, but it must be rejected", case.name),
        Err(e) => {
            let line = normalise(&e.to_string(), dir.path());
            (e, line)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The cases: one per check of the spec's "Validation" section
// ---------------------------------------------------------------------------------------------

fn cases() -> Vec<Case> {
    vec![
        // --- JSON: the file exists, is UTF-8, parses, and its top level is an object.
        Case {
            name: "missing file",
            path: "",
            input: Input::Missing,
        },
        Case {
            name: "directory",
            path: "",
            input: Input::Directory,
        },
        bytes("empty file", "", b""),
        bytes("whitespace only", "", b"  \n\t\r\n  "),
        bytes("non-UTF-8 byte", "", b"{\"name\": \"caf\xe9\"}"),
        bytes("UTF-16 LE without a mark", "", &utf16(false, false)),
        bytes("UTF-16 BE without a mark", "", &utf16(true, false)),
        bytes("UTF-16 LE with a mark", "", &utf16(false, true)),
        bytes("UTF-16 BE with a mark", "", &utf16(true, true)),
        bytes("UTF-32 LE without a mark", "", &utf32(false, false)),
        bytes("UTF-32 BE with a mark", "", &utf32(true, true)),
        bytes("UTF-16 LE after a UTF-8 mark", "", &{
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend(utf16(false, false));
            b
        }),
        Case {
            name: "a FIFO",
            path: "",
            input: Input::Fifo,
        },
        Case {
            name: "larger than 1 GiB",
            path: "",
            input: Input::Huge,
        },
        bytes("invalid JSON: trailing comma", "", b"{\"name\": \"x\",}"),
        bytes("invalid JSON: truncated", "", &BASE.as_bytes()[..200]),
        bytes("invalid JSON: single quotes", "", b"{'name': 'x'}"),
        bytes("top level is a list", "(top level)", b"[{\"name\": \"x\"}]"),
        bytes("top level is a string", "(top level)", b"\"scenario\""),
        bytes("top level is null", "(top level)", b"null"),
        text(
            "NaN literal",
            "",
            "\"threshold\": 0.7",
            "\"threshold\": NaN",
        ),
        text("Infinity literal", "", "\"min\": 0.2", "\"min\": Infinity"),
        text(
            "-Infinity literal",
            "",
            "\"years_at_rank\": 4,",
            "\"years_at_rank\": -Infinity,",
        ),
        text(
            "number too large",
            "",
            "\"years_at_rank\": 4,",
            "\"years_at_rank\": 1e400,",
        ),
        // Found by a reviewer (session 21): a top-level key given twice named no path.
        text(
            "duplicate top-level key",
            "(top level)",
            "\"name\": \"Tutorial: a county re-election with 5 vacancies\",",
            "\"name\": \"x\", \"name\": \"Tutorial: a county re-election with 5 vacancies\",",
        ),
        text(
            "duplicate key",
            "groups",
            "\"women\": {",
            "\"women\": {}, \"women\": {",
        ),
        text(
            "duplicate key in a candidate",
            "candidates[1]",
            "\"rank\": \"deputy-division\", \"years_at_rank\": 1,",
            "\"rank\": \"deputy-division\", \"rank\": \"section\", \"years_at_rank\": 1,",
        ),
        // --- Types: required keys are present.
        edit("missing name", "(top level)", |v| remove(v, "/name")),
        edit("missing ranks", "(top level)", |v| remove(v, "/ranks")),
        edit("missing teams", "(top level)", |v| remove(v, "/teams")),
        edit("missing posts", "(top level)", |v| remove(v, "/posts")),
        edit("missing candidates", "(top level)", |v| {
            remove(v, "/candidates")
        }),
        edit("missing team id", "teams[1]", |v| remove(v, "/teams/1/id")),
        edit("missing post id", "posts[1]", |v| remove(v, "/posts/1/id")),
        edit("missing post team", "posts[2]", |v| {
            remove(v, "/posts/2/team")
        }),
        edit("missing post rank", "posts[3]", |v| {
            remove(v, "/posts/3/rank")
        }),
        edit("missing candidate id", "candidates[4]", |v| {
            remove(v, "/candidates/4/id")
        }),
        edit("missing candidate rank", "candidates[5]", |v| {
            remove(v, "/candidates/5/rank")
        }),
        edit("missing years_at_rank", "candidates[6]", |v| {
            remove(v, "/candidates/6/years_at_rank")
        }),
        edit("missing rule type", "rules[2]", |v| {
            remove(v, "/rules/2/type")
        }),
        edit("missing rule scope", "rules[2]", |v| {
            remove(v, "/rules/2/scope")
        }),
        // --- Types: every key has the type the spec gives.
        edit("name is a number", "name", |v| set(v, "/name", json!(5))),
        edit("ranks is a string", "ranks", |v| {
            set(v, "/ranks", json!("clerk"))
        }),
        edit("rank is an object", "ranks[1]", |v| {
            set(v, "/ranks/1", json!({"name": "x"}))
        }),
        edit("teams is an object", "teams", |v| {
            set(v, "/teams", json!({}))
        }),
        edit(
            "years_at_rank is a string",
            "candidates[2].years_at_rank",
            |v| set(v, "/candidates/2/years_at_rank", json!("3.5")),
        ),
        edit("post rank is a number", "posts[0].rank", |v| {
            set(v, "/posts/0/rank", json!(3))
        }),
        edit("must_fill is a string", "posts[0].must_fill", |v| {
            set(v, "/posts/0/must_fill", json!("yes"))
        }),
        edit("available is a number", "candidates[9].available", |v| {
            set(v, "/candidates/9/available", json!(0))
        }),
        edit(
            "specialty weight is a string",
            "posts[3].specialty.agriculture",
            |v| set(v, "/posts/3/specialty/agriculture", json!("high")),
        ),
        edit("experience is a list", "candidates[0].experience", |v| {
            set(v, "/candidates/0/experience", json!([5, 2]))
        }),
        edit("threshold is a string", "fit.threshold", |v| {
            set(v, "/fit/threshold", json!("0.7"))
        }),
        edit("name is null", "name", |v| set(v, "/name", Value::Null)),
        edit("team tags is a string", "teams[0].tags", |v| {
            set(v, "/teams/0/tags", json!("cppcc"))
        }),
        edit(
            "avoid_teams is a string",
            "candidates[11].avoid_teams",
            |v| set(v, "/candidates/11/avoid_teams", json!("cppcc")),
        ),
        edit(
            "avoid_teams element is a number",
            "candidates[11].avoid_teams[1]",
            |v| set(v, "/candidates/11/avoid_teams/-", json!(2)),
        ),
        edit(
            "min_years value is a string",
            "promotion.min_years.section",
            |v| set(v, "/promotion/min_years/section", json!("3")),
        ),
        edit("max_step is fractional", "promotion.max_step", |v| {
            set(v, "/promotion/max_step", json!(1.5))
        }),
        edit("max_step is negative", "promotion.max_step", |v| {
            set(v, "/promotion/max_step", json!(-1))
        }),
        edit("max_step is a huge float", "promotion.max_step", |v| {
            set(v, "/promotion/max_step", json!(1e300))
        }),
        edit("max_step is too large", "promotion.max_step", |v| {
            set(v, "/promotion/max_step", json!(4_294_967_296u64))
        }),
        // Spec 1.1: a number with a zero fraction is that integer, so 5e9 is too large, not
        // "not an integer".
        edit(
            "max_step is too large, as a float",
            "promotion.max_step",
            |v| set(v, "/promotion/max_step", json!(5e9)),
        ),
        edit("rule min is a string", "rules[1].min", |v| {
            set(v, "/rules/1/min", json!("50%"))
        }),
        edit("rule type is a number", "rules[0].type", |v| {
            set(v, "/rules/0/type", json!(1))
        }),
        edit("where.team is a number", "rules[1].where.team", |v| {
            set(v, "/rules/1/where/team", json!(7))
        }),
        edit(
            "where.team element is a number",
            "rules[1].where.team[1]",
            |v| set(v, "/rules/1/where/team", json!(["gov", 7])),
        ),
        edit("predicate in is a string", "groups.women.gender.in", |v| {
            set(v, "/groups/women/gender/in", json!("F"))
        }),
        edit(
            "predicate in lists a number",
            "groups.women.gender.in[1]",
            |v| set(v, "/groups/women/gender/in", json!(["F", 1])),
        ),
        edit("predicate max is a string", "groups.young.age.max", |v| {
            set(v, "/groups/young/age/max", json!("40"))
        }),
        edit("group condition is a list", "groups.women", |v| {
            set(v, "/groups/women", json!([]))
        }),
        // --- Types: an object is an object (serde would read an array by position).
        edit("fit is an array", "fit", |v| {
            set(v, "/fit", json!([0.6, 0.4, 0.7, 0.2]))
        }),
        edit("fit is an empty array", "fit", |v| {
            set(v, "/fit", json!([]))
        }),
        edit("promotion is an array", "promotion", |v| {
            set(v, "/promotion", json!([1, {}, {}]))
        }),
        edit("a team is an array", "teams[0]", |v| {
            set(v, "/teams/0", json!(["x", "X", [], []]))
        }),
        edit("a post is an array", "posts[1]", |v| {
            set(v, "/posts/1", json!(["p", "P", "gov", "section"]))
        }),
        edit("a candidate is an array", "candidates[2]", |v| {
            set(v, "/candidates/2", json!(["C99", "x", "section", 3]))
        }),
        edit("a rule is an array of 8", "rules[0]", |v| {
            set(
                v,
                "/rules/0",
                json!(["r", "count", "team", "women", null, 1, null, null]),
            )
        }),
        edit("where is an array", "rules[1].where", |v| {
            set(v, "/rules/1/where", json!(["gov"]))
        }),
        edit("a predicate is an array", "groups.women.gender", |v| {
            set(v, "/groups/women/gender", json!([["F"]]))
        }),
        edit(
            "a requirement is an array",
            "promotion.requirements.deputy-division",
            |v| set(v, "/promotion/requirements/deputy-division", json!([{}])),
        ),
        edit("rule type is an object", "rules[0].type", |v| {
            set(v, "/rules/0/type", json!({"count": 1}))
        }),
        // --- Types: no null where the spec gives none (leave the key out for its default).
        edit("fit is null", "fit", |v| set(v, "/fit", Value::Null)),
        edit("promotion is null", "promotion", |v| {
            set(v, "/promotion", Value::Null)
        }),
        edit("rules is null", "rules", |v| set(v, "/rules", Value::Null)),
        edit("available is null", "candidates[0].available", |v| {
            set(v, "/candidates/0/available", Value::Null)
        }),
        edit("max_step is null", "promotion.max_step", |v| {
            set(v, "/promotion/max_step", Value::Null)
        }),
        edit("post kind is null", "posts[0].kind", |v| {
            set(v, "/posts/0/kind", Value::Null)
        }),
        edit("threshold is null", "fit.threshold", |v| {
            set(v, "/fit/threshold", Value::Null)
        }),
        edit("rule penalty is null", "rules[2].penalty", |v| {
            set(v, "/rules/2/penalty", Value::Null)
        }),
        edit("where.tag is null", "rules[1].where.tag", |v| {
            set(v, "/rules/1/where/tag", Value::Null)
        }),
        // --- Types: attribute values are strings or numbers.
        edit(
            "attribute is a boolean",
            "candidates[0].attributes.gender",
            |v| set(v, "/candidates/0/attributes/gender", json!(true)),
        ),
        edit(
            "attribute is a list",
            "candidates[1].attributes.affiliation",
            |v| set(v, "/candidates/1/attributes/affiliation", json!(["CPC"])),
        ),
        edit(
            "attribute is an object",
            "candidates[2].attributes.age",
            |v| set(v, "/candidates/2/attributes/age", json!({"years": 39})),
        ),
        edit("attribute is null", "candidates[3].attributes.age", |v| {
            set(v, "/candidates/3/attributes/age", Value::Null)
        }),
        edit(
            "member attribute is a boolean",
            "teams[1].members[2].age",
            |v| set(v, "/teams/1/members/2/age", json!(false)),
        ),
        edit("member is a string", "teams[2].members[0]", |v| {
            set(v, "/teams/2/members/0", json!("CPC"))
        }),
        // --- Types: no unknown keys, at every level.
        edit("unknown key at top level", "nmae", |v| {
            rename(v, "/name", "nmae")
        }),
        edit("unknown key in promotion", "promotion.max_steps", |v| {
            rename(v, "/promotion/max_step", "max_steps")
        }),
        edit(
            "unknown key in a requirement",
            "promotion.requirements.deputy-division.experiance",
            |v| {
                rename(
                    v,
                    "/promotion/requirements/deputy-division/experience",
                    "experiance",
                )
            },
        ),
        edit("unknown key in fit", "fit.treshold", |v| {
            rename(v, "/fit/threshold", "treshold")
        }),
        edit("unknown key in a team", "teams[1].tag", |v| {
            rename(v, "/teams/1/tags", "tag")
        }),
        edit("unknown key in a post", "posts[1].open", |v| {
            rename(v, "/posts/1/open_to", "open")
        }),
        edit("unknown key in a candidate", "candidates[7].years", |v| {
            rename(v, "/candidates/7/years_at_rank", "years")
        }),
        edit("unknown key in a rule", "rules[0].groups", |v| {
            rename(v, "/rules/0/group", "groups")
        }),
        edit("unknown key in a where", "rules[1].where.tags", |v| {
            rename(v, "/rules/1/where/tag", "tags")
        }),
        edit(
            "unknown key in a predicate",
            "groups.women.gender.is",
            |v| rename(v, "/groups/women/gender/in", "is"),
        ),
        // --- ranks: non-empty, no duplicates.
        edit("empty ranks", "ranks", |v| set(v, "/ranks", json!([]))),
        edit("duplicate rank", "ranks[3]", |v| {
            set(v, "/ranks/3", json!("section"))
        }),
        edit("empty rank name", "ranks[0]", |v| {
            set(v, "/ranks/0", json!(""))
        }),
        // --- Ids: non-empty; unique among teams, posts, candidates; rule names unique.
        edit("empty team id", "teams[0].id", |v| {
            set(v, "/teams/0/id", json!(""))
        }),
        edit("empty post id", "posts[4].id", |v| {
            set(v, "/posts/4/id", json!(""))
        }),
        edit("empty candidate id", "candidates[10].id", |v| {
            set(v, "/candidates/10/id", json!(""))
        }),
        edit("duplicate team id", "teams[2].id", |v| {
            set(v, "/teams/2/id", json!("gov"))
        }),
        edit("duplicate post id", "posts[1].id", |v| {
            set(v, "/posts/1/id", json!("cppcc-vice-1"))
        }),
        edit("duplicate candidate id", "candidates[11].id", |v| {
            set(v, "/candidates/11/id", json!("C03"))
        }),
        edit("duplicate rule name", "rules[4].name", |v| {
            set(v, "/rules/4/name", json!("technical fit rate"))
        }),
        // --- References: ranks.
        edit("unknown rank in a post", "posts[2].rank", |v| {
            set(v, "/posts/2/rank", json!("sectoin"))
        }),
        edit("unknown rank in a candidate", "candidates[17].rank", |v| {
            for i in 12..=17 {
                let mut c = v.pointer("/candidates/0").unwrap().clone();
                c["id"] = json!(format!("C{}", i + 1));
                set(v, "/candidates/-", c);
            }
            set(v, "/candidates/17/rank", json!("sectoin"));
        }),
        edit(
            "unknown rank in min_years",
            "promotion.min_years.sectoin",
            |v| rename(v, "/promotion/min_years/section", "sectoin"),
        ),
        edit(
            "unknown rank in requirements",
            "promotion.requirements.division-deputy",
            |v| {
                rename(
                    v,
                    "/promotion/requirements/deputy-division",
                    "division-deputy",
                )
            },
        ),
        edit("unknown rank in where.rank", "rules[2].where.rank", |v| {
            set(v, "/rules/2/where", json!({"rank": "director"}))
        }),
        edit(
            "unknown rank in where.rank list",
            "rules[2].where.rank[1]",
            |v| {
                set(
                    v,
                    "/rules/2/where",
                    json!({"rank": ["section", "director"]}),
                )
            },
        ),
        // --- References: teams.
        edit("unknown team in a post", "posts[2].team", |v| {
            set(v, "/posts/2/team", json!("government"))
        }),
        edit(
            "unknown team in candidate.team",
            "candidates[5].team",
            |v| set(v, "/candidates/5/team", json!("agriculture")),
        ),
        edit(
            "unknown team in avoid_teams",
            "candidates[11].avoid_teams[1]",
            |v| set(v, "/candidates/11/avoid_teams/-", json!("cpcc")),
        ),
        edit("unknown team in where.team", "rules[1].where.team", |v| {
            set(v, "/rules/1/where", json!({"team": "cpcc"}))
        }),
        edit(
            "unknown team in where.team list",
            "rules[1].where.team[1]",
            |v| set(v, "/rules/1/where", json!({"team": ["cppcc", "gvo"]})),
        ),
        edit(
            "unknown team in placements where.team",
            "rules[3].where.team",
            |v| set(v, "/rules/3/where/team", json!("agriculture")),
        ),
        edit("posts but no teams", "posts[0].team", |v| {
            set(v, "/teams", json!([]));
            for i in [5, 8, 11] {
                let c = v
                    .pointer_mut(&format!("/candidates/{i}"))
                    .unwrap()
                    .as_object_mut()
                    .unwrap();
                c.remove("team");
                c.remove("avoid_teams");
            }
            set(v, "/rules", json!([]));
        }),
        // --- References: groups.
        edit("unknown group in open_to", "posts[1].open_to", |v| {
            set(v, "/posts/1/open_to", json!("nonparty"))
        }),
        edit("empty group name", "groups[\"\"]", |v| {
            rename(v, "/groups/young", "")
        }),
        edit("unknown group in a rule", "rules[0].group", |v| {
            set(v, "/rules/0/group", json!("non_party"))
        }),
        // --- Numbers.
        edit(
            "negative years_at_rank",
            "candidates[3].years_at_rank",
            |v| set(v, "/candidates/3/years_at_rank", json!(-1)),
        ),
        edit(
            "huge negative years_at_rank",
            "candidates[3].years_at_rank",
            |v| set(v, "/candidates/3/years_at_rank", json!(-1e300)),
        ),
        edit(
            "negative candidate experience",
            "candidates[0].experience.grassroots",
            |v| set(v, "/candidates/0/experience/grassroots", json!(-5)),
        ),
        edit(
            "negative candidate specialty weight",
            "candidates[0].specialty.culture",
            |v| set(v, "/candidates/0/specialty/culture", json!(-0.6)),
        ),
        edit(
            "negative post specialty weight",
            "posts[3].specialty.economics",
            |v| set(v, "/posts/3/specialty/economics", json!(-0.3)),
        ),
        edit(
            "post experience 0",
            "posts[0].experience.administration",
            |v| set(v, "/posts/0/experience/administration", json!(0)),
        ),
        edit(
            "post experience negative",
            "posts[4].experience.technical",
            |v| set(v, "/posts/4/experience/technical", json!(-3)),
        ),
        edit("negative min_years", "promotion.min_years.section", |v| {
            set(v, "/promotion/min_years/section", json!(-3))
        }),
        edit(
            "negative requirement years",
            "promotion.requirements.deputy-division.experience.grassroots",
            |v| {
                set(
                    v,
                    "/promotion/requirements/deputy-division/experience/grassroots",
                    json!(-2),
                )
            },
        ),
        edit("negative specialty_weight", "fit.specialty_weight", |v| {
            set(v, "/fit/specialty_weight", json!(-0.6))
        }),
        edit("negative experience_weight", "fit.experience_weight", |v| {
            set(v, "/fit/experience_weight", json!(-0.4))
        }),
        edit("both weights 0", "fit.experience_weight", |v| {
            set(v, "/fit/specialty_weight", json!(0));
            set(v, "/fit/experience_weight", json!(0));
        }),
        edit("threshold above 1", "fit.threshold", |v| {
            set(v, "/fit/threshold", json!(1.5))
        }),
        edit("threshold below 0", "fit.threshold", |v| {
            set(v, "/fit/threshold", json!(-0.1))
        }),
        edit("fit.min below 0", "fit.min", |v| {
            set(v, "/fit/min", json!(-0.2))
        }),
        edit("fit.min above 1", "fit.min", |v| {
            set(v, "/fit/min", json!(2))
        }),
        edit("share min above 1", "rules[1].min", |v| {
            set(v, "/rules/1/min", json!(50))
        }),
        edit("share max below 0", "rules[2].max", |v| {
            set(v, "/rules/2/max", json!(-0.5))
        }),
        edit("fit_rate min below 0", "rules[3].min", |v| {
            set(v, "/rules/3/min", json!(-0.8))
        }),
        edit("fit_rate min above 1", "rules[4].min", |v| {
            set(v, "/rules/4/min", json!(75))
        }),
        edit("count min fractional", "rules[0].min", |v| {
            set(v, "/rules/0/min", json!(1.5))
        }),
        edit("count min negative", "rules[0].min", |v| {
            set(v, "/rules/0/min", json!(-1))
        }),
        edit("count max fractional", "rules[0].max", |v| {
            set(v, "/rules/0/max", json!(2.5))
        }),
        edit("share min > max", "rules[2].min", |v| {
            set(v, "/rules/2/max", json!(0.3))
        }),
        edit("count min > max", "rules[0].min", |v| {
            set(v, "/rules/0/min", json!(3));
            set(v, "/rules/0/max", json!(2));
        }),
        edit("penalty 0", "rules[2].penalty", |v| {
            set(v, "/rules/2/penalty", json!(0))
        }),
        edit("penalty negative", "rules[4].penalty", |v| {
            set(v, "/rules/4/penalty", json!(-1))
        }),
        // Beyond these, HiGHS would read a bound as infinity (found in review: a panic).
        edit("penalty above 1e9", "rules[4].penalty", |v| {
            set(v, "/rules/4/penalty", json!(1e25))
        }),
        edit("count min above 1e9", "rules[0].min", |v| {
            set(v, "/rules/0/min", json!(1e300))
        }),
        // --- Groups.
        edit("predicate min > max", "groups.young.age.min", |v| {
            set(v, "/groups/young/age", json!({"min": 41, "max": 40}))
        }),
        edit("predicate with no bound", "groups.women.gender", |v| {
            set(v, "/groups/women/gender", json!({}))
        }),
        edit("in on a numeric attribute", "groups.young.age.in", |v| {
            set(v, "/groups/young/age", json!({"in": ["40"]}))
        }),
        edit(
            "not_in on a numeric attribute",
            "groups.young.age.not_in",
            |v| set(v, "/groups/young/age", json!({"not_in": ["40"]})),
        ),
        edit(
            "in on an attribute one member holds as a number",
            "groups.women.gender.in",
            |v| set(v, "/teams/2/members/0/gender", json!(1)),
        ),
        edit(
            "min on a string attribute",
            "groups.women.gender.min",
            |v| set(v, "/groups/women/gender", json!({"min": 1})),
        ),
        edit(
            "max on an attribute one candidate holds as a string",
            "groups.young.age.max",
            |v| set(v, "/candidates/6/attributes/age", json!("41")),
        ),
        // --- Rules: a list in `where` is not empty.
        edit("where.team is an empty list", "rules[1].where.team", |v| {
            set(v, "/rules/1/where/team", json!([]))
        }),
        edit("where.tag is an empty list", "rules[1].where.tag", |v| {
            set(v, "/rules/1/where/tag", json!([]))
        }),
        edit("where.kind is an empty list", "rules[3].where.kind", |v| {
            set(v, "/rules/3/where/kind", json!([]))
        }),
        edit("where.rank is an empty list", "rules[3].where.rank", |v| {
            set(v, "/rules/3/where/rank", json!([]))
        }),
        // --- Rules.
        edit("unknown rule type", "rules[1].type", |v| {
            set(v, "/rules/1/type", json!("proportion"))
        }),
        edit("unknown scope", "rules[2].scope", |v| {
            set(v, "/rules/2/scope", json!("teams"))
        }),
        edit("fit_rate with scope team", "rules[3].scope", |v| {
            set(v, "/rules/3/scope", json!("team"))
        }),
        edit("fit_rate with a group", "rules[3].group", |v| {
            set(v, "/rules/3/group", json!("women"))
        }),
        edit("fit_rate max above 1", "rules[3].max", |v| {
            set(v, "/rules/3/max", json!(1.2))
        }),
        edit("share without group", "rules[1]", |v| {
            remove(v, "/rules/1/group")
        }),
        edit("count without group", "rules[0]", |v| {
            remove(v, "/rules/0/group")
        }),
        edit("rule without min and max", "rules[2]", |v| {
            remove(v, "/rules/2/min")
        }),
        edit("where.kind with scope team", "rules[1].where.kind", |v| {
            set(v, "/rules/1/where/kind", json!("technical"))
        }),
        edit("where.rank with scope team", "rules[0].where.rank", |v| {
            set(v, "/rules/0/where", json!({"rank": "section"}))
        }),
        // --- Names from the input never break the line or the path.
        edit("unknown rank with a line break", "posts[0].rank", |v| {
            set(v, "/posts/0/rank", json!("deputy-\ndivision"))
        }),
        edit(
            "unknown key with a line break",
            "candidates[0][\"years\\n\"]",
            |v| set(v, "/candidates/0/years\n", json!(1)),
        ),
        edit("unknown key with a quote", "fit[\"min\\\"\"]", |v| {
            rename(v, "/fit/min", "min\"")
        }),
        edit(
            "specialty tag with a dot",
            "posts[3].specialty[\"agri.culture\"]",
            |v| set(v, "/posts/3/specialty/agri.culture", json!(-1)),
        ),
        edit(
            "Chinese names stay readable",
            "candidates[0].specialty.教育",
            |v| set(v, "/candidates/0/specialty/教育", json!(-1)),
        ),
        edit(
            "unknown team with a control character",
            "candidates[8].team",
            |v| set(v, "/candidates/8/team", json!("gov\u{0}")),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn the_base_scenario_is_valid() {
    let (dir, file) = materialise(&Input::Bytes(BASE.as_bytes().to_vec()));
    let loaded = load(&file);
    drop(dir);
    let (scenario, _, _) = loaded.expect("the base scenario loads");
    assert_eq!(scenario.posts.len(), 5);
    assert_eq!(scenario.candidates.len(), 12);
}

#[test]
fn every_validation_has_a_one_line_message_with_file_path_and_reason() {
    let mut report = String::new();
    let mut names = std::collections::HashSet::new();
    for case in cases() {
        assert!(
            names.insert(case.name),
            "two cases are named {:?}",
            case.name
        );
        let (err, line) = load_err(&case);
        assert_eq!(
            err.path, case.path,
            "case {:?}: wrong JSON path in {line:?}",
            case.name
        );
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "case {:?}: more than one line: {line:?}",
            case.name
        );
        assert!(!err.reason.is_empty(), "case {:?}: no reason", case.name);
        assert!(
            line.starts_with("scenario.json: "),
            "case {:?}: the message does not start with the file: {line:?}",
            case.name
        );
        report.push_str(&format!("{:<52} {line}\n", case.name));
    }
    insta::assert_snapshot!("validation_messages", report);
}

/// The base scenario with an edit applied.
fn with(f: impl FnOnce(&mut Value)) -> Value {
    let mut v = base();
    f(&mut v);
    v
}

/// Things that look odd but the spec allows; a golden example relies on the `where` ones.
#[test]
fn valid_oddities_are_accepted() {
    for (name, v) in accepted_cases() {
        let (dir, file) = materialise(&Input::Bytes(serde_json::to_vec(&v).unwrap()));
        if let Err(e) = load(&file) {
            panic!(
                "{name}: rejected: {}",
                normalise(&e.to_string(), dir.path())
            );
        }
    }
    // A UTF-8 byte order mark (Windows Notepad writes one) is not an error.
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(BASE.as_bytes());
    let (dir, file) = materialise(&Input::Bytes(with_bom));
    if let Err(e) = load(&file) {
        panic!("BOM: rejected: {}", normalise(&e.to_string(), dir.path()));
    }
}

/// Scenarios that look odd but are valid.
fn accepted_cases() -> Vec<(&'static str, Value)> {
    vec![
        (
            "where.kind no post has",
            with(|v| set(v, "/rules/3/where/kind", json!("no-such-kind"))),
        ),
        (
            "where.tag no team has",
            with(|v| set(v, "/rules/1/where/tag", json!(["no-such-tag"]))),
        ),
        (
            "where.kind list",
            with(|v| set(v, "/rules/3/where/kind", json!(["technical", "other"]))),
        ),
        (
            "open_to an empty group",
            with(|v| set(v, "/groups/non-party", json!({"affiliation": {"in": []}}))),
        ),
        (
            "no teams, no posts",
            with(|v| {
                set(v, "/teams", json!([]));
                set(v, "/posts", json!([]));
                set(v, "/candidates", json!([]));
                set(v, "/rules", json!([]));
            }),
        ),
        (
            "fit_rate with a max",
            with(|v| set(v, "/rules/3/max", json!(0.9))),
        ),
        (
            "max_step 0",
            with(|v| set(v, "/promotion/max_step", json!(0))),
        ),
        // Spec 1.1: a number with a zero fraction is that integer where one is required.
        (
            "max_step 2.0",
            with(|v| set(v, "/promotion/max_step", json!(2.0))),
        ),
        (
            "max_step 1e0 and count bounds 1.0 (a spreadsheet's export)",
            with(|v| {
                set(v, "/promotion/max_step", json!(1e0));
                set(v, "/rules/0/min", json!(1.0));
                set(v, "/rules/0/max", json!(3.0));
            }),
        ),
        (
            "predicate min = max",
            with(|v| set(v, "/groups/young/age", json!({"min": 40, "max": 40}))),
        ),
        (
            "one weight 0",
            with(|v| set(v, "/fit/specialty_weight", json!(0))),
        ),
        (
            "bounds at the edges",
            with(|v| {
                set(v, "/fit/threshold", json!(1));
                set(v, "/fit/min", json!(0));
                set(v, "/rules/1/max", json!(0.5));
                set(v, "/rules/0/min", json!(0));
                set(v, "/rules/0/max", json!(2.0));
            }),
        ),
        (
            "an attribute some hold as a number, unused by groups",
            with(|v| {
                set(v, "/candidates/0/attributes/level", json!(3));
                set(v, "/candidates/1/attributes/level", json!("senior"));
            }),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// `postfit schema` agrees with the loader
// ---------------------------------------------------------------------------------------------

/// Rejected cases that the published JSON Schema accepts, because JSON Schema cannot express
/// the check (references between lists, uniqueness of ids, relations between two values,
/// checks that depend on which attributes people hold, duplicate keys that a JSON parser
/// merges). Any other difference fails the test; so does a listed case the schema rejects
/// (then the list is stale).
const SCHEMA_CANNOT_SAY: &[&str] = &[
    // A JSON parser keeps the last of two equal keys; the schema sees one.
    "duplicate key",
    "duplicate key in a candidate",
    "duplicate top-level key",
    // Ids unique within a list of objects (uniqueItems compares whole items).
    "duplicate candidate id",
    "duplicate post id",
    "duplicate rule name",
    "duplicate team id",
    // References: a name must be defined elsewhere in the same document.
    "unknown group in a rule",
    "unknown group in open_to",
    "unknown rank in a candidate",
    "unknown rank in a post",
    "unknown rank in min_years",
    "unknown rank in requirements",
    "unknown rank in where.rank",
    "unknown rank in where.rank list",
    "unknown rank with a line break",
    "unknown team in a post",
    "unknown team in avoid_teams",
    "unknown team in candidate.team",
    "unknown team in placements where.team",
    "unknown team in where.team",
    "unknown team in where.team list",
    "unknown team with a control character",
    // Two values compared with each other (min <= max).
    "count min > max",
    "share min > max",
    "predicate min > max",
    // Whether an attribute is a number or a string depends on what the people hold.
    "in on a numeric attribute",
    "in on an attribute one member holds as a number",
    "max on an attribute one candidate holds as a string",
    "min on a string attribute",
    "not_in on a numeric attribute",
];

/// The JSON value of a case's bytes, when they are a JSON document at all (after a UTF-8
/// byte-order mark); `None` for inputs outside any schema's reach (no file, not JSON).
fn json_of(input: &Input) -> Option<Value> {
    let Input::Bytes(b) = input else { return None };
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    let text = std::str::from_utf8(b).ok()?;
    serde_json::from_str(text).ok()
}

#[test]
fn the_published_schema_agrees_with_the_loader() {
    let schema = postfit::scenario::scenario_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");

    // Everything the loader accepts, the schema accepts.
    let mut accepted: Vec<(String, Value)> = accepted_cases()
        .into_iter()
        .map(|(n, v)| (n.to_string(), v))
        .collect();
    accepted.push(("the base scenario".into(), base()));
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for entry in std::fs::read_dir(&scenarios).unwrap() {
        let file = entry.unwrap().path().join("scenario.json");
        let text = std::fs::read_to_string(&file).unwrap();
        accepted.push((
            file.display().to_string(),
            serde_json::from_str(&text).unwrap(),
        ));
    }
    for (name, v) in &accepted {
        let errors: Vec<String> = validator.iter_errors(v).map(|e| e.to_string()).collect();
        assert!(
            errors.is_empty(),
            "{name}: the schema rejects a valid scenario: {errors:?}"
        );
    }

    // Everything the loader rejects, the schema rejects too, but for the listed differences.
    let mut differences = Vec::new();
    let mut outside = Vec::new();
    for case in cases() {
        match json_of(&case.input) {
            None => outside.push(case.name),
            Some(v) => {
                if validator.is_valid(&v) {
                    differences.push(case.name);
                }
            }
        }
    }
    let mut expected: Vec<&str> = SCHEMA_CANNOT_SAY.to_vec();
    expected.sort_unstable();
    differences.sort_unstable();
    assert_eq!(
        differences, expected,
        "cases the loader rejects but the schema accepts (update SCHEMA_CANNOT_SAY only for \
         checks JSON Schema cannot express)"
    );
    // Inputs that are no JSON document (no file, not UTF-8, syntax) are outside any schema.
    for name in &outside {
        let case = cases().into_iter().find(|c| c.name == *name).unwrap();
        if let Input::Bytes(b) = &case.input {
            let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
            assert!(
                std::str::from_utf8(b)
                    .ok()
                    .and_then(|t| serde_json::from_str::<Value>(t).ok())
                    .is_none(),
                "{name}"
            );
        }
    }
    assert!(outside.len() < 40, "{} cases are not JSON", outside.len());
}

// ---------------------------------------------------------------------------------------------
// The CLI contract: exit 2, one line on stderr (the library's line after "postfit: "),
// nothing on stdout, never a panic.
// ---------------------------------------------------------------------------------------------

fn cli_case(name: &str) -> Case {
    cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name:?}"))
}

fn assert_cli_rejects(case: &Case) {
    let (dir, file) = materialise(&case.input);
    let expected = load(&file)
        .expect_err("the case is rejected by the library")
        .to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_postfit"))
        .arg("solve")
        .arg(&file)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the postfit binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let shown = normalise(&stderr, dir.path());
    assert_eq!(
        out.status.code(),
        Some(2),
        "case {:?}: exit code; stderr: {shown}",
        case.name
    );
    assert!(
        !stderr.contains("panicked"),
        "case {:?}: panicked: {shown}",
        case.name
    );
    assert!(
        stdout.is_empty(),
        "case {:?}: stdout not empty: {stdout}",
        case.name
    );
    assert_eq!(
        stderr.matches('\n').count(),
        1,
        "case {:?}: not exactly one line: {shown:?}",
        case.name
    );
    // src/main.rs prints every error as `postfit: MESSAGE`.
    let line = stderr.trim_end_matches('\n');
    let line = line.strip_prefix("postfit: ").unwrap_or(line);
    assert_eq!(
        line, expected,
        "case {:?}: the CLI's line differs from the library's",
        case.name
    );
}

#[test]
fn cli_exits_2_with_one_line_for_a_missing_file() {
    assert_cli_rejects(&cli_case("missing file"));
}

#[test]
fn cli_exits_2_with_one_line_for_invalid_json() {
    assert_cli_rejects(&cli_case("invalid JSON: trailing comma"));
}

#[test]
fn cli_exits_2_with_one_line_for_an_unknown_rank() {
    assert_cli_rejects(&cli_case("unknown rank in a candidate"));
}

#[test]
fn cli_exits_2_with_one_line_for_an_unknown_key() {
    assert_cli_rejects(&cli_case("unknown key in a candidate"));
}

#[test]
fn cli_exits_2_with_one_line_for_non_utf8_and_a_directory() {
    assert_cli_rejects(&cli_case("non-UTF-8 byte"));
    assert_cli_rejects(&cli_case("directory"));
}

#[test]
fn cli_exits_2_at_once_for_a_fifo_a_huge_file_utf16_and_shapes() {
    // A FIFO with no writer would block a reader forever: refused before opening.
    assert_cli_rejects(&cli_case("a FIFO"));
    assert_cli_rejects(&cli_case("larger than 1 GiB"));
    assert_cli_rejects(&cli_case("UTF-16 LE without a mark"));
    assert_cli_rejects(&cli_case("fit is an array"));
    assert_cli_rejects(&cli_case("available is null"));
    assert_cli_rejects(&cli_case("missing name"));
}

/// `check` reads plans with the same strict shapes: placements given as arrays are not read
/// by position.
#[test]
fn check_rejects_a_plan_whose_placements_are_arrays() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("scenario.json");
    let plan = dir.path().join("plan.json");
    std::fs::write(&scenario, BASE).unwrap();
    std::fs::write(&plan, r#"{"placements": [["agri-head", "C06"]]}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_postfit"))
        .arg("check")
        .arg(&scenario)
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = normalise(&String::from_utf8_lossy(&out.stderr), dir.path());
    assert_eq!(
        stderr,
        "postfit: plan.json: placements[0]: expected an object, found an array\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Never a panic: arbitrary bytes and arbitrary mutations of the base scenario.
// ---------------------------------------------------------------------------------------------

/// `PROPTEST_CASES` if set (for a longer local hunt), else `default` (quick, for CI).
fn cases_from_env(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Loads `bytes` from a temporary `scenario.json`; any error must be one line naming the file.
fn load_never_panics(bytes: &[u8]) -> Result<(), TestCaseError> {
    let (dir, file) = materialise(&Input::Bytes(bytes.to_vec()));
    let result = std::panic::catch_unwind(|| load(&file));
    let result = result.map_err(|_| TestCaseError::fail("load panicked"))?;
    if let Err(e) = result {
        let line = e.to_string();
        let shown = normalise(&line, dir.path());
        prop_assert!(
            !line.contains(['\n', '\r']),
            "more than one line: {shown:?}"
        );
        prop_assert!(
            shown.starts_with("scenario.json: "),
            "does not start with the file: {shown:?}"
        );
        prop_assert!(!e.reason.is_empty(), "no reason: {shown:?}");
    }
    Ok(())
}

/// Every JSON pointer in `v`, the root included.
fn pointers(v: &Value) -> Vec<String> {
    fn walk(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    walk(
                        child,
                        format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        out,
                    );
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    walk(child, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

/// Values a mutation may put anywhere: every JSON type, edge numbers, and names that exist.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            Just(0.0),
            Just(-0.0),
            Just(1.0),
            Just(-1.0),
            Just(0.5),
            Just(1.5),
            Just(1e-300),
            Just(1e300),
            Just(-1e300),
            Just(f64::MAX),
            Just(f64::MIN_POSITIVE),
            any::<f64>(),
        ]
        .prop_map(|x| json!(x)),
        any::<i64>().prop_map(|x| json!(x)),
        any::<u64>().prop_map(|x| json!(x)),
        prop_oneof![
            Just(""),
            Just("section"),
            Just("cppcc"),
            Just("gov"),
            Just("women"),
            Just("C01"),
            Just("share"),
            Just("count"),
            Just("fit_rate"),
            Just("team"),
            Just("placements"),
            Just("technical"),
            Just("F"),
            Just("\u{0}\n\"'\\ \u{1F600}"),
        ]
        .prop_map(|s| json!(s)),
        "[a-z_]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("in".to_string()),
                    Just("min".to_string()),
                    Just("max".to_string()),
                    Just("experience".to_string()),
                    "[a-z]{1,6}",
                ],
                inner,
                0..3
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Keys a rename may use: plain ones, and ones that must not break a message's line or path.
fn any_key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_]{0,6}",
        Just("min".to_string()),
        Just("team".to_string()),
        Just("a.b".to_string()),
        Just("line\nbreak".to_string()),
        Just("quote\"".to_string()),
        Just("[0]".to_string()),
        Just("\u{0}".to_string()),
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Replace(usize, Value),
    Rename(usize, String),
    Duplicate(usize),
}

fn any_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), any_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        (any::<usize>(), any_key()).prop_map(|(i, k)| Mutation::Rename(i, k)),
        any::<usize>().prop_map(Mutation::Duplicate),
    ]
}

fn apply(v: &mut Value, m: &Mutation) {
    let ptrs = pointers(v);
    let pick = |i: &usize| ptrs[i % ptrs.len()].clone();
    match m {
        Mutation::Delete(i) => {
            let p = pick(i);
            if !p.is_empty() {
                remove(v, &p);
            }
        }
        Mutation::Replace(i, new) => {
            let p = pick(i);
            if p.is_empty() {
                *v = new.clone();
            } else {
                set(v, &p, new.clone());
            }
        }
        Mutation::Rename(i, key) => {
            let p = pick(i);
            if p.is_empty() {
                return;
            }
            let (parent, _) = split(&p);
            if v.pointer(parent).is_some_and(Value::is_object) {
                rename(v, &p, key);
            }
        }
        // Copy a value over a sibling of the same list or object (duplicate ids, ranks, ...).
        Mutation::Duplicate(i) => {
            let p = pick(i);
            if p.is_empty() {
                return;
            }
            let (parent, _) = split(&p);
            let value = v.pointer(&p).unwrap().clone();
            match v.pointer_mut(parent) {
                Some(Value::Array(a)) => a.push(value),
                Some(Value::Object(m)) => {
                    if let Some(first) = m.keys().next().cloned() {
                        m.insert(first, value);
                    }
                }
                _ => {}
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases_from_env(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..64)) {
        load_never_panics(&b)?;
    }

    #[test]
    fn byte_edits_of_the_base_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4),
        cut in proptest::option::of(any::<usize>()),
    ) {
        let mut b = BASE.as_bytes().to_vec();
        for (at, byte) in edits {
            let at = at % b.len();
            b[at] = byte;
        }
        if let Some(cut) = cut {
            b.truncate(cut % (b.len() + 1));
        }
        load_never_panics(&b)?;
    }

    #[test]
    fn json_mutations_of_the_base_never_panic(
        mutations in proptest::collection::vec(any_mutation(), 1..5),
    ) {
        let mut v = base();
        for m in &mutations {
            apply(&mut v, m);
        }
        load_never_panics(serde_json::to_string(&v).unwrap().as_bytes())?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases_from_env(24),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The whole command on mutated scenarios: whatever it decides, it never panics, and a
    /// rejection is exit 2 with one line. Few cases: each runs the solver.
    #[test]
    fn solve_never_panics_on_mutated_scenarios(
        mutations in proptest::collection::vec(any_mutation(), 1..4),
    ) {
        let mut v = base();
        for m in &mutations {
            apply(&mut v, m);
        }
        let (_dir, file) = materialise(&Input::Bytes(serde_json::to_vec(&v).unwrap()));
        let out = Command::new(env!("CARGO_BIN_EXE_postfit"))
            .arg("solve")
            .arg(&file)
            .env("RUST_BACKTRACE", "1")
            .output()
            .expect("the postfit binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(!stderr.contains("panicked"), "panicked: {stderr}");
        let code = out.status.code();
        prop_assert!(matches!(code, Some(0 | 2 | 3)), "exit {code:?}: {stderr}");
        if code == Some(2) {
            prop_assert_eq!(stderr.matches('\n').count(), 1, "not one line: {}", stderr);
            prop_assert!(out.stdout.is_empty());
        }
    }
}

/// Issue 13: every property of `postfit schema` says what it is (from the spec), and the type
/// names are the format's (`Candidate`), never the loader's (`RawCandidate`).
#[test]
fn every_property_of_the_schema_has_a_description_and_a_format_name() {
    let schema = postfit::scenario::scenario_schema();
    fn walk(v: &Value, at: &str, missing: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::Object(props)) = m.get("properties") {
                    for (k, p) in props {
                        let described = p
                            .get("description")
                            .and_then(Value::as_str)
                            .is_some_and(|d| d.len() > 10);
                        if !described {
                            missing.push(format!("{at}/properties/{k}"));
                        }
                    }
                }
                for (k, x) in m {
                    walk(x, &format!("{at}/{k}"), missing);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{at}/{i}"), missing);
                }
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    // Only the generated part: the definitions and the top level's own properties.
    let mut generated = schema.clone();
    if let Value::Object(m) = &mut generated {
        m.remove("allOf");
        m.remove("if");
        m.remove("then");
    }
    if let Some(Value::Object(rule)) = generated.pointer_mut("/definitions/Rule") {
        rule.remove("allOf");
        rule.remove("anyOf");
    }
    if let Some(Value::Object(fit)) = generated.pointer_mut("/definitions/Fit") {
        fit.remove("not");
    }
    walk(&generated, "", &mut missing);
    assert!(
        missing.is_empty(),
        "properties without a description: {missing:?}"
    );
    let names: Vec<&String> = schema["definitions"].as_object().unwrap().keys().collect();
    for name in [
        "Candidate",
        "Post",
        "Team",
        "Rule",
        "Fit",
        "Promotion",
        "Predicate",
        "Where",
    ] {
        assert!(names.iter().any(|n| *n == name), "no {name} in {names:?}");
    }
    assert!(
        !schema.to_string().contains("Raw"),
        "a loader type name in the schema"
    );
    // No null anywhere: an optional key is left out, never null.
    assert!(
        !schema.to_string().contains("\"null\""),
        "the schema allows null"
    );
}
