//! A seeded mutation fuzzer on stable Rust, run by `cargo test --release --test fuzz`.
//!
//! Seeds: the committed scenarios (`scenarios/*/scenario.json`), the spec's examples and the
//! users' cases (`../shared`, or `$POSTFIT_SHARED`; skipped with a note when absent). Each case
//! applies one to four mutations to a seed: delete, duplicate, retype, swap values between
//! fields, extreme numbers, unicode in values and keys, unknown keys, deep nesting, truncation,
//! random bytes, byte-order marks and UTF-16/32 re-encoding. Asserted for every case:
//!
//! - no panic (loading and solving run in-process under `catch_unwind`);
//! - bad input is an `InputError` naming the file and a JSON path, or a line and column, or a
//!   whole-file reason (empty, not UTF-8, top level not an object);
//! - a valid scenario solves to a documented outcome (exit 0, 3 or 4: never an internal error),
//!   and every plan passes the independent checker.
//!
//! Every 20th case also runs the release binary (`solve --out`, then `check` on the plan): exit
//! codes in {0, 1, 2, 3, 4}, no panic, one line for exit 2, and `check` accepting every plan
//! `solve` wrote.
//!
//! `POSTFIT_FUZZ_CASES=N` runs N cases (default 6000; `POSTFIT_FUZZ_SECONDS=T` stops after T seconds), `POSTFIT_FUZZ_SEED=S` picks another
//! sequence, `POSTFIT_FUZZ_BIN=PATH` another binary. A failure prints the case number and seed,
//! and writes the input to `target/fuzz-failure.json`.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use postfit::check::check_plan;
use postfit::plan::{solve_scenario, Status};
use postfit::scenario::load_bytes;
use postfit::solve::SolveOptions;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

const FILE: &str = "fuzz.json";
const NEST_MARK: &str = "\u{1}NEST\u{1}";

struct Seed {
    name: String,
    value: Value,
    /// Large seeds (city, county) take long to solve: picked rarely.
    large: bool,
}

fn shared_dir() -> PathBuf {
    match std::env::var_os("POSTFIT_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    }
}

fn seeds() -> Vec<Seed> {
    let mut files: Vec<PathBuf> = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for d in ["tutorial", "county", "county-infeasible", "city"] {
        files.push(root.join("scenarios").join(d).join("scenario.json"));
    }
    let shared = shared_dir();
    if shared.is_dir() {
        files.push(shared.join("spec/examples/tutorial.json"));
        let mut micro: Vec<PathBuf> = std::fs::read_dir(shared.join("spec/examples/micro"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        micro.retain(|p| p.file_name().is_some_and(|n| n != "expected.json"));
        micro.sort();
        files.extend(micro);
        for c in [
            "constant-penalty-offset.json",
            "fit-weight-f64-max.json",
            "control-characters-in-names.json",
            "integer-written-as-float.json",
            "array-where-object-expected.json",
            "missing-top-level-key.json",
        ] {
            files.push(shared.join("cases/2026-11-30").join(c));
        }
    } else {
        eprintln!(
            "fuzz: {} is absent: fuzzing the committed scenarios only",
            shared.display()
        );
    }
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(&f).ok()?;
            let value: Value = serde_json::from_str(&text).ok()?;
            Some(Seed {
                name: f.display().to_string(),
                large: text.len() > 100_000,
                value,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

/// Every JSON pointer in `v` (containers and leaves), root excluded.
fn pointers(v: &Value, at: &mut String, out: &mut Vec<String>) {
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                out.push(at.clone());
                pointers(x, at, out);
                at.truncate(len);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                let len = at.len();
                at.push('/');
                at.push_str(&k.replace('~', "~0").replace('/', "~1"));
                out.push(at.clone());
                pointers(x, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

fn split(ptr: &str) -> (&str, String) {
    let at = ptr.rfind('/').unwrap();
    (
        &ptr[..at],
        ptr[at + 1..].replace("~1", "/").replace("~0", "~"),
    )
}

fn remove(v: &mut Value, ptr: &str) -> Option<Value> {
    let (parent, last) = split(ptr);
    match v.pointer_mut(parent)? {
        Value::Object(m) => m.shift_remove(&last),
        Value::Array(a) => {
            let i: usize = last.parse().ok()?;
            (i < a.len()).then(|| a.remove(i))
        }
        _ => None,
    }
}

const EXTREMES: &[f64] = &[
    f64::MAX,
    -f64::MAX,
    f64::MIN_POSITIVE,
    5e-324,
    -5e-324,
    0.0,
    -0.0,
    1e308,
    1e-308,
    1e9,
    1e9 + 1.0,
    1e20,
    4294967295.0,
    4294967296.0,
    9007199254740993.0,
    -1.0,
    0.5,
    1.5,
    2.0,
    1e-9,
    0.9999999999999999,
    1.0000000000000002,
];

fn extreme_number(rng: &mut ChaCha8Rng) -> Value {
    match rng.gen_range(0..10) {
        0 => json!(u64::MAX),
        1 => json!(i64::MIN),
        2 => json!(rng.gen_range(0..5)),
        _ => json!(*EXTREMES.choose(rng).unwrap()),
    }
}

const STRINGS: &[&str] = &[
    "",
    " ",
    "\u{202e}evil\u{202c}",
    "\u{1b}[2J\u{1b}]0;title\u{7}",
    "line\nbreak",
    "tab\there",
    "\u{0}",
    "女",
    "👩‍👩‍👧‍👦",
    "e\u{301}",
    "\u{feff}",
    "\u{fffd}",
    "\"quoted\"",
    "back\\slash",
    "a.b[0]",
    "CPC",
    "F",
    "section",
    "team",
    "placements",
    "share",
    "count",
    "fit_rate",
    "technical",
    "women",
    "non-party",
];

fn weird_string(rng: &mut ChaCha8Rng) -> String {
    match rng.gen_range(0..8) {
        0 => "x".repeat(rng.gen_range(100..5000)),
        1 => (0..rng.gen_range(1..12))
            .map(|_| char::from_u32(rng.gen_range(0..0x11_0000)).unwrap_or('\u{fffd}'))
            .collect(),
        _ => STRINGS.choose(rng).unwrap().to_string(),
    }
}

fn random_value(rng: &mut ChaCha8Rng) -> Value {
    match rng.gen_range(0..10) {
        0 => Value::Null,
        1 => json!(rng.gen::<bool>()),
        2 => extreme_number(rng),
        3 => json!(weird_string(rng)),
        4 => json!([]),
        5 => json!({}),
        6 => json!([1, "a", null]),
        7 => json!({"a": 1}),
        8 => json!([[0.6, 0.4]]),
        _ => json!(rng.gen_range(-3.0..3.0)),
    }
}

/// One structural mutation of the value; returns a short name for the report.
fn mutate_value(v: &mut Value, rng: &mut ChaCha8Rng, nest: &mut Option<String>) -> &'static str {
    let mut ptrs = Vec::new();
    pointers(v, &mut String::new(), &mut ptrs);
    if ptrs.is_empty() {
        *v = random_value(rng);
        return "replace root";
    }
    // Prefer short pointers now and then: the top level and its direct keys matter most.
    let pick = |rng: &mut ChaCha8Rng| -> String {
        if rng.gen_ratio(1, 4) {
            let shallow: Vec<&String> = ptrs
                .iter()
                .filter(|p| p.matches('/').count() <= 2)
                .collect();
            if !shallow.is_empty() {
                return shallow.choose(rng).unwrap().to_string();
            }
        }
        ptrs.choose(rng).unwrap().clone()
    };
    match rng.gen_range(0..11) {
        0 => {
            remove(v, &pick(rng));
            "delete"
        }
        1 => {
            let p = pick(rng);
            let (parent, last) = split(&p);
            let copy = v.pointer(&p).cloned();
            match (v.pointer_mut(parent), copy) {
                (Some(Value::Array(a)), Some(c)) => {
                    let i: usize = last.parse().unwrap_or(0).min(a.len());
                    a.insert(i, c);
                }
                (Some(Value::Object(m)), Some(c)) => {
                    m.insert(format!("{last}2"), c);
                }
                _ => {}
            }
            "duplicate"
        }
        2 => {
            let p = pick(rng);
            if let Some(x) = v.pointer_mut(&p) {
                *x = random_value(rng);
            }
            "retype"
        }
        3 => {
            let (a, b) = (pick(rng), pick(rng));
            if a.starts_with(&b) || b.starts_with(&a) {
                return "swap (skipped)";
            }
            let (va, vb) = (v.pointer(&a).cloned(), v.pointer(&b).cloned());
            if let (Some(va), Some(vb)) = (va, vb) {
                *v.pointer_mut(&a).unwrap() = vb;
                *v.pointer_mut(&b).unwrap() = va;
            }
            "swap"
        }
        4 | 5 => {
            // Extreme numbers, mostly where numbers are.
            let numbers: Vec<&String> = ptrs
                .iter()
                .filter(|p| v.pointer(p).is_some_and(Value::is_number))
                .collect();
            let p = match numbers.choose(rng) {
                Some(p) if rng.gen_ratio(4, 5) => p.to_string(),
                _ => pick(rng),
            };
            if let Some(x) = v.pointer_mut(&p) {
                *x = extreme_number(rng);
            }
            "extreme number"
        }
        6 => {
            let strings: Vec<&String> = ptrs
                .iter()
                .filter(|p| v.pointer(p).is_some_and(Value::is_string))
                .collect();
            if let Some(p) = strings.choose(rng) {
                let p = p.to_string();
                *v.pointer_mut(&p).unwrap() = json!(weird_string(rng));
            }
            "unicode value"
        }
        7 => {
            // Rename a key (unknown keys, typos, unicode keys).
            let p = pick(rng);
            let (parent, _) = split(&p);
            if matches!(v.pointer(parent), Some(Value::Object(_))) {
                if let Some(x) = remove(v, &p) {
                    if let Some(Value::Object(m)) = v.pointer_mut(parent) {
                        m.insert(weird_string(rng), x);
                    }
                }
            }
            "rename key"
        }
        8 => {
            // Add a key to an object (unknown or misplaced).
            let objects: Vec<&String> = ptrs
                .iter()
                .filter(|p| v.pointer(p).is_some_and(Value::is_object))
                .collect();
            let key = *[
                "min", "max", "penalty", "where", "group", "team", "tags", "note", "in", "zzz",
            ]
            .choose(rng)
            .unwrap();
            let val = random_value(rng);
            let target = objects.choose(rng).map(|p| p.to_string());
            match target.and_then(|p| v.pointer_mut(&p)) {
                Some(Value::Object(m)) => {
                    m.insert(key.to_string(), val);
                }
                _ => {
                    if let Value::Object(m) = v {
                        m.insert(key.to_string(), val);
                    }
                }
            }
            "add key"
        }
        9 => {
            let p = pick(rng);
            if let Some(x) = v.pointer_mut(&p) {
                *x = json!(NEST_MARK);
                let depth = *[10, 100, 127, 128, 129, 1000, 20_000].choose(rng).unwrap();
                let (open, close) = if rng.gen() {
                    ("[", "]")
                } else {
                    ("{\"a\":", "}")
                };
                *nest = Some(format!("{}0{}", open.repeat(depth), close.repeat(depth)));
            }
            "deep nesting"
        }
        _ => {
            // Empty an array or object.
            let p = pick(rng);
            match v.pointer_mut(&p) {
                Some(Value::Array(a)) => a.clear(),
                Some(Value::Object(m)) => m.clear(),
                _ => {}
            }
            "empty container"
        }
    }
}

/// One byte-level mutation of the text.
fn mutate_bytes(b: &mut Vec<u8>, rng: &mut ChaCha8Rng) -> &'static str {
    match rng.gen_range(0..7) {
        0 => {
            let at = rng.gen_range(0..=b.len());
            b.truncate(at);
            "truncate"
        }
        1 => {
            for _ in 0..rng.gen_range(1..8) {
                if b.is_empty() {
                    break;
                }
                let i = rng.gen_range(0..b.len());
                b[i] = rng.gen();
            }
            "random bytes"
        }
        2 => {
            let at = rng.gen_range(0..=b.len());
            let n = rng.gen_range(1..16);
            let junk: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
            b.splice(at..at, junk);
            "insert bytes"
        }
        3 => {
            // Copy a slice elsewhere (duplicate keys and elements, textually).
            if b.len() > 2 {
                let from = rng.gen_range(0..b.len() - 1);
                let to = (from + rng.gen_range(1..200)).min(b.len());
                let piece = b[from..to].to_vec();
                let at = rng.gen_range(0..=b.len());
                b.splice(at..at, piece);
            }
            "duplicate slice"
        }
        4 => {
            b.splice(
                0..0,
                [b"\xEF\xBB\xBF".as_slice(), b"\xFF\xFE", b"\xFE\xFF"]
                    .choose(rng)
                    .unwrap()
                    .iter()
                    .copied(),
            );
            "byte-order mark"
        }
        5 => {
            let text = String::from_utf8_lossy(b).to_string();
            let big = rng.gen::<bool>();
            *b = if rng.gen() {
                text.encode_utf16()
                    .flat_map(|u| {
                        if big {
                            u.to_be_bytes()
                        } else {
                            u.to_le_bytes()
                        }
                    })
                    .collect()
            } else {
                text.chars()
                    .flat_map(|c| {
                        let c = c as u32;
                        if big {
                            c.to_be_bytes()
                        } else {
                            c.to_le_bytes()
                        }
                    })
                    .collect()
            };
            "UTF-16/32"
        }
        _ => {
            let at = rng.gen_range(0..=b.len());
            b.splice(
                at..at,
                [
                    b"NaN".as_slice(),
                    b"-Infinity",
                    b"1e999",
                    b"'",
                    b"//",
                    b",",
                    b"}",
                    b"]",
                ]
                .choose(rng)
                .unwrap()
                .iter()
                .copied(),
            );
            "insert token"
        }
    }
}

/// A fuzz input: one to four mutations of a seed. Returns the bytes and the mutation names.
fn make_case(seeds: &[Seed], rng: &mut ChaCha8Rng) -> (Vec<u8>, String) {
    let small: Vec<&Seed> = seeds.iter().filter(|s| !s.large).collect();
    let seed = if rng.gen_ratio(1, 60) || small.is_empty() {
        seeds.choose(rng).unwrap()
    } else {
        small.choose(rng).unwrap()
    };
    let mut v = seed.value.clone();
    let mut nest = None;
    let mut names = vec![seed.name.rsplit('/').take(2).collect::<Vec<_>>().join("<")];
    let n = if rng.gen() { 1 } else { rng.gen_range(2..=4) };
    let byte_level = rng.gen_ratio(1, 5);
    for _ in 0..n {
        names.push(mutate_value(&mut v, rng, &mut nest).to_string());
    }
    let text = if rng.gen() {
        serde_json::to_string(&v).unwrap()
    } else {
        serde_json::to_string_pretty(&v).unwrap()
    };
    let text = match nest {
        Some(n) => text.replacen(&format!("\"{}\"", "\\u0001NEST\\u0001"), &n, 1),
        None => text,
    };
    let mut bytes = text.into_bytes();
    if byte_level {
        names.push(mutate_bytes(&mut bytes, rng).to_string());
    }
    (bytes, names.join(", "))
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/// Whether an input error locates itself (a JSON path, a line and column, or the whole file)
/// and speaks JSON, not Rust.
fn locates(e: &postfit::InputError) -> bool {
    let whole_file = [
        "empty file",
        "not UTF-8",
        "expected a JSON object, found",
        "invalid JSON: ",
    ];
    // No serde or Rust names outside the quoted input ("struct RawRule with 8 elements").
    let unquoted: String = e.reason.split('"').step_by(2).collect::<Vec<_>>().join(" ");
    if ["struct ", "Raw", "u32", "f64", "variant", "::"]
        .iter()
        .any(|w| unquoted.contains(w))
    {
        return false;
    }
    let line_col = e.reason.contains(" line ") && e.reason.contains(" column ");
    !e.path.is_empty() || line_col || whole_file.iter().any(|w| e.reason.starts_with(w))
}

#[derive(Default)]
struct Tally {
    outcomes: BTreeMap<String, usize>,
}

impl Tally {
    fn add(&mut self, k: &str) {
        *self.outcomes.entry(k.to_string()).or_default() += 1;
    }
}

fn failure(case: usize, seed: u64, what: &str, bytes: &[u8], msg: String) -> ! {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failure.json");
    let _ = std::fs::write(&out, bytes);
    panic!(
        "fuzz case {case} (POSTFIT_FUZZ_SEED={seed}; {what}): {msg}\ninput written to {}",
        out.display()
    );
}

/// Loads and solves in-process; panics (with the case) on any broken promise.
fn run_in_process(case: usize, seed: u64, what: &str, bytes: &[u8], tally: &mut Tally) {
    let loaded = catch_unwind(AssertUnwindSafe(|| load_bytes(bytes, FILE)));
    let s = match loaded {
        Err(_) => failure(case, seed, what, bytes, "load panicked".into()),
        Ok(Err(e)) => {
            if e.file != FILE || !locates(&e) || e.to_string().contains('\n') {
                failure(
                    case,
                    seed,
                    what,
                    bytes,
                    format!("message does not locate itself: {e}"),
                );
            }
            tally.add("rejected (exit 2)");
            return;
        }
        Ok(Ok((s, _, _))) => s,
    };
    let opts = SolveOptions {
        time_limit: Some(0.5),
        ..SolveOptions::default()
    };
    let solved = catch_unwind(AssertUnwindSafe(|| solve_scenario(&s, &opts)));
    let sol = match solved {
        Err(_) => failure(case, seed, what, bytes, "solve panicked".into()),
        Ok(Err(e)) => failure(
            case,
            seed,
            what,
            bytes,
            format!("internal error (exit 5): {e}"),
        ),
        Ok(Ok(sol)) => sol,
    };
    match sol.status {
        Status::Optimal | Status::Feasible => {
            let report = check_plan(&s, &sol.placements());
            if !report.is_ok() || !report.objective.is_finite() {
                failure(case, seed, what, bytes, "a plan fails the checker".into());
            }
            if !sol.bound.is_some_and(f64::is_finite) {
                failure(case, seed, what, bytes, format!("bound {:?}", sol.bound));
            }
            tally.add(if sol.status == Status::Optimal {
                "optimal (exit 0)"
            } else {
                "feasible (exit 0)"
            });
        }
        Status::Infeasible => tally.add("infeasible (exit 3)"),
        Status::NoSolution => tally.add("no solution (exit 4)"),
        Status::Relaxed => failure(case, seed, what, bytes, "status relaxed from solve".into()),
    }
}

fn binary() -> PathBuf {
    std::env::var_os("POSTFIT_FUZZ_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_postfit")))
}

/// Runs the binary on the case: `solve --out`, then `check` on a written plan.
fn run_binary(case: usize, seed: u64, what: &str, bytes: &[u8], tally: &mut Tally) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(FILE);
    let plan = dir.path().join("plan.json");
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new(binary())
        .arg("solve")
        .arg(&file)
        .args(["--time-limit", "1", "--out"])
        .arg(&plan)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    if stderr.contains("panicked") || !matches!(code, Some(0..=4)) {
        failure(
            case,
            seed,
            what,
            bytes,
            format!("solve exit {code:?}: {stderr}"),
        );
    }
    tally.add(&format!("binary solve exit {}", code.unwrap()));
    if code == Some(2) {
        let prefix = format!("postfit: {}: ", file.display());
        if !stderr.starts_with(&prefix) || stderr.trim_end().contains('\n') {
            failure(case, seed, what, bytes, format!("exit 2 message: {stderr}"));
        }
    }
    if code == Some(0) {
        let out = Command::new(binary())
            .arg("check")
            .arg(&file)
            .arg(&plan)
            .output()
            .unwrap();
        if out.status.code() != Some(0) {
            failure(
                case,
                seed,
                what,
                bytes,
                format!(
                    "check of solve's plan exited {:?}: {}{}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ),
            );
        }
    }
}

#[test]
fn mutated_scenarios_keep_every_promise() {
    let n: usize = std::env::var("POSTFIT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6000);
    // A time budget for long runs: stop after this many seconds with the count so far.
    let budget: Option<f64> = std::env::var("POSTFIT_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok());
    let seed: u64 = std::env::var("POSTFIT_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20261130);
    let seeds = seeds();
    assert!(!seeds.is_empty(), "no seed scenarios found");
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut done = 0;
    for case in 0..n {
        if budget.is_some_and(|b| started.elapsed().as_secs_f64() > b) {
            break;
        }
        done += 1;
        // One generator per case: a failing case reruns alone from its number.
        let mut rng =
            ChaCha8Rng::seed_from_u64(seed ^ (case as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let (bytes, what) = make_case(&seeds, &mut rng);
        run_in_process(case, seed, &what, &bytes, &mut tally);
        if case % 20 == 0 {
            run_binary(case, seed, &what, &bytes, &mut tally);
        }
        if (case + 1) % 10_000 == 0 {
            eprintln!(
                "fuzz: {} cases in {:.0} s: {:?}",
                case + 1,
                started.elapsed().as_secs_f64(),
                tally.outcomes
            );
        }
    }
    let n = done;
    eprintln!(
        "fuzz: {n} cases from {} seeds in {:.1} s, all promises kept: {:?}",
        seeds.len(),
        started.elapsed().as_secs_f64(),
        tally.outcomes
    );
    // The mutations must reach both sides: rejections and solved plans.
    let rejected = tally
        .outcomes
        .get("rejected (exit 2)")
        .copied()
        .unwrap_or(0);
    let solved = tally.outcomes.get("optimal (exit 0)").copied().unwrap_or(0);
    if n >= 500 {
        assert!(
            rejected >= n / 10,
            "only {rejected} of {n} cases were rejected"
        );
        assert!(solved >= n / 20, "only {solved} of {n} cases solved");
    }
}
