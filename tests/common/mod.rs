//! Shared helpers for the oracle tests: a seeded generator of small random scenarios (as JSON),
//! and an independent reference evaluator of plans that reads that JSON straight from the spec
//! (it shares no code with the crate: no `Scenario`, no eligibility, no checker).

#![allow(dead_code)]

use std::collections::BTreeMap;

use postfit::scenario::RawScenario;
use postfit::Scenario;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

const RANKS: [&str; 4] = ["clerk", "section", "division", "bureau"];
const TAGS: [&str; 3] = ["law", "econ", "tech"];
const DOMAINS: [&str; 2] = ["grass", "finance"];
const TEAM_TAGS: [&str; 2] = ["cppcc", "county"];
const KINDS: [&str; 2] = ["technical", "comprehensive"];

fn pick<T: Clone>(rng: &mut ChaCha8Rng, xs: &[T]) -> T {
    xs.choose(rng).expect("non-empty choice").clone()
}

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.gen_bool(p)
}

/// Every group the generator may define: (name, condition). String attributes (`party`,
/// `gender`) use `in`/`not_in`, the numeric one (`age`) uses `min`/`max`.
fn all_groups() -> Vec<(&'static str, Value)> {
    vec![
        ("non-party", json!({"party": {"not_in": ["CPC"]}})),
        ("women", json!({"gender": {"in": ["F"]}})),
        ("young", json!({"age": {"max": 40}})),
        ("senior", json!({"age": {"min": 50}})),
        (
            "dl",
            json!({"party": {"in": ["DL", "JS"], "not_in": ["JS"]}}),
        ),
        (
            "young-women",
            json!({"gender": {"in": ["F"]}, "age": {"max": 45}}),
        ),
        ("mid", json!({"age": {"min": 35, "max": 50}})),
    ]
}

/// Attributes of one person; each attribute is sometimes missing (then the person belongs to no
/// group that tests it).
fn person(rng: &mut ChaCha8Rng) -> Value {
    let mut m = Map::new();
    if chance(rng, 0.85) {
        m.insert(
            "party".into(),
            json!(pick(rng, &["CPC", "CPC", "DL", "JS", "none"])),
        );
    }
    if chance(rng, 0.9) {
        m.insert("gender".into(), json!(pick(rng, &["F", "M"])));
    }
    if chance(rng, 0.85) {
        // Boundary values of the groups' thresholds come up often.
        let age = if chance(rng, 0.5) {
            pick(rng, &[35.0, 40.0, 45.0, 50.0])
        } else {
            rng.gen_range(28..=62) as f64
        };
        m.insert("age".into(), json!(age));
    }
    Value::Object(m)
}

fn specialty(rng: &mut ChaCha8Rng) -> Value {
    let mut m = Map::new();
    for t in TAGS {
        if chance(rng, 0.5) {
            m.insert(t.into(), json!(pick(rng, &[0.0, 0.5, 1.0, 1.0, 2.0])));
        }
    }
    Value::Object(m)
}

fn one_or_many(rng: &mut ChaCha8Rng, values: Vec<String>) -> Value {
    let mut values = values;
    values.shuffle(rng);
    let k = rng.gen_range(1..=values.len().min(2));
    values.truncate(k);
    if k == 1 && chance(rng, 0.6) {
        json!(values[0])
    } else {
        json!(values)
    }
}

/// A small random scenario: up to 7 candidates, 4 posts, 3 teams and 4 ranks, with every kind of
/// rule. Deterministic in `seed`. Always valid (the generator only makes valid documents).
pub fn scenario_json(seed: u64) -> Value {
    scenario_json_sized(seed, false)
}

/// Like [`scenario_json`]; `large` makes 8–16 candidates and 3–8 posts (too many to enumerate).
pub fn scenario_json_sized(seed: u64, large: bool) -> Value {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rng = &mut rng;

    let nranks = rng.gen_range(3..=4);
    let ranks: Vec<&str> = RANKS[..nranks].to_vec();

    let mut doc = Map::new();
    doc.insert("name".into(), json!(format!("oracle-{seed}")));
    doc.insert("ranks".into(), json!(ranks));

    if chance(rng, 0.85) {
        let mut pr = Map::new();
        if chance(rng, 0.75) {
            pr.insert("max_step".into(), json!(pick(rng, &[0, 1, 1, 2, 2])));
        }
        let mut min_years = Map::new();
        for r in &ranks {
            if chance(rng, 0.3) {
                min_years.insert((*r).into(), json!(pick(rng, &[1.0, 2.0, 3.0])));
            }
        }
        if !min_years.is_empty() {
            pr.insert("min_years".into(), Value::Object(min_years));
        }
        let mut req = Map::new();
        for r in &ranks[1..] {
            if chance(rng, 0.25) {
                let d = pick(rng, &DOMAINS);
                req.insert(
                    (*r).into(),
                    json!({"experience": {d: pick(rng, &[1.0, 2.0, 3.0])}}),
                );
            }
        }
        if !req.is_empty() {
            pr.insert("requirements".into(), Value::Object(req));
        }
        doc.insert("promotion".into(), Value::Object(pr));
    }

    if chance(rng, 0.75) {
        let mut fit = Map::new();
        let ws = chance(rng, 0.6).then(|| pick(rng, &[0.0, 0.5, 1.0, 2.0]));
        let mut we = chance(rng, 0.6).then(|| pick(rng, &[0.0, 0.5, 1.0, 2.0]));
        if ws == Some(0.0) && we == Some(0.0) {
            we = Some(1.0);
        }
        if let Some(ws) = ws {
            fit.insert("specialty_weight".into(), json!(ws));
        }
        if let Some(we) = we {
            fit.insert("experience_weight".into(), json!(we));
        }
        if chance(rng, 0.6) {
            fit.insert(
                "threshold".into(),
                json!(pick(rng, &[0.5, 0.6, 0.7, 0.75, 0.8, 0.9])),
            );
        }
        if chance(rng, 0.5) {
            fit.insert("min".into(), json!(pick(rng, &[0.0, 0.2, 0.3, 0.5, 0.6])));
        }
        doc.insert("fit".into(), Value::Object(fit));
    }

    let mut groups = all_groups();
    groups.shuffle(rng);
    groups.truncate(rng.gen_range(2..=3));
    let group_names: Vec<&str> = groups.iter().map(|g| g.0).collect();
    doc.insert(
        "groups".into(),
        Value::Object(
            groups
                .iter()
                .map(|(n, c)| ((*n).to_string(), c.clone()))
                .collect(),
        ),
    );

    let nteams = rng.gen_range(2..=3);
    let team_ids: Vec<String> = (0..nteams).map(|t| format!("T{t}")).collect();
    let teams: Vec<Value> = team_ids
        .iter()
        .map(|id| {
            let tags: Vec<&str> = TEAM_TAGS
                .iter()
                .copied()
                .filter(|_| chance(rng, 0.4))
                .collect();
            let nmembers = rng.gen_range(0..=3);
            let members: Vec<Value> = (0..nmembers).map(|_| person(rng)).collect();
            json!({"id": id, "tags": tags, "members": members})
        })
        .collect();
    doc.insert("teams".into(), json!(teams));

    let nposts = if large {
        rng.gen_range(3..=8)
    } else {
        rng.gen_range(1..=4)
    };
    let posts: Vec<Value> = (0..nposts)
        .map(|i| {
            let mut p = Map::new();
            p.insert("id".into(), json!(format!("P{i}")));
            p.insert("team".into(), json!(pick(rng, &team_ids)));
            p.insert("rank".into(), json!(pick(rng, &ranks)));
            if chance(rng, 0.7) {
                p.insert("kind".into(), json!(pick(rng, &KINDS)));
            }
            if chance(rng, 0.75) {
                p.insert("specialty".into(), specialty(rng));
            }
            if chance(rng, 0.6) {
                let mut e = Map::new();
                for d in DOMAINS {
                    if chance(rng, 0.6) {
                        e.insert(d.into(), json!(pick(rng, &[1.0, 2.0, 4.0])));
                    }
                }
                p.insert("experience".into(), Value::Object(e));
            }
            if chance(rng, 0.2) {
                p.insert("must_fill".into(), json!(true));
            }
            if chance(rng, 0.15) {
                p.insert("open_to".into(), json!(pick(rng, &group_names)));
            }
            Value::Object(p)
        })
        .collect();
    doc.insert("posts".into(), json!(posts));

    let ncands = if large {
        rng.gen_range(8..=16)
    } else {
        pick(rng, &[1, 2, 3, 4, 4, 5, 5, 6, 6, 7])
    };
    let candidates: Vec<Value> = (0..ncands)
        .map(|i| {
            let mut c = Map::new();
            c.insert("id".into(), json!(format!("C{i}")));
            c.insert("rank".into(), json!(pick(rng, &ranks)));
            c.insert(
                "years_at_rank".into(),
                json!(pick(rng, &[0.0, 1.0, 2.0, 3.0, 5.0])),
            );
            c.insert("attributes".into(), person(rng));
            if chance(rng, 0.85) {
                c.insert("specialty".into(), specialty(rng));
            }
            if chance(rng, 0.8) {
                let mut e = Map::new();
                for d in DOMAINS {
                    if chance(rng, 0.6) {
                        e.insert(d.into(), json!(pick(rng, &[0.0, 1.0, 2.0, 3.0, 5.0])));
                    }
                }
                c.insert("experience".into(), Value::Object(e));
            }
            if chance(rng, 0.1) {
                c.insert("available".into(), json!(false));
                c.insert("note".into(), json!("not ready"));
            } else if chance(rng, 0.1) {
                c.insert("available".into(), json!(true));
            }
            if chance(rng, 0.45) {
                c.insert("team".into(), json!(pick(rng, &team_ids)));
            }
            if chance(rng, 0.15) {
                c.insert("avoid_teams".into(), json!([pick(rng, &team_ids)]));
            }
            Value::Object(c)
        })
        .collect();
    doc.insert("candidates".into(), json!(candidates));

    let nrules = pick(rng, &[0, 1, 1, 2, 2, 2, 3, 3, 4]);
    let rules: Vec<Value> = (0..nrules)
        .map(|i| rule(rng, i, &group_names, &team_ids, &ranks))
        .collect();
    if !rules.is_empty() || chance(rng, 0.5) {
        doc.insert("rules".into(), json!(rules));
    }
    Value::Object(doc)
}

fn rule(
    rng: &mut ChaCha8Rng,
    i: usize,
    group_names: &[&str],
    team_ids: &[String],
    ranks: &[&str],
) -> Value {
    let mut r = Map::new();
    if chance(rng, 0.5) {
        r.insert("name".into(), json!(format!("rule-{i}")));
    }
    let type_ = pick(
        rng,
        &["share", "share", "share", "count", "count", "fit_rate"],
    );
    let scope = if type_ == "fit_rate" || chance(rng, 0.5) {
        "placements"
    } else {
        "team"
    };
    r.insert("type".into(), json!(type_));
    r.insert("scope".into(), json!(scope));
    if type_ != "fit_rate" {
        r.insert("group".into(), json!(pick(rng, group_names)));
    }

    let mut w = Map::new();
    let team_list = || team_ids.to_vec();
    if scope == "team" {
        match rng.gen_range(0..5) {
            0 | 1 => {}
            2 => {
                w.insert("team".into(), one_or_many(rng, team_list()));
            }
            3 => {
                w.insert("tag".into(), json!(pick(rng, &TEAM_TAGS)));
            }
            _ => {
                w.insert("team".into(), one_or_many(rng, team_list()));
                w.insert("tag".into(), json!(pick(rng, &TEAM_TAGS)));
            }
        }
    } else if chance(rng, 0.6) {
        let fields = ["team", "tag", "kind", "rank"];
        let n = pick(rng, &[1, 1, 1, 2]);
        for f in fields.choose_multiple(rng, n) {
            let v = match *f {
                "team" => one_or_many(rng, team_list()),
                "tag" => json!(pick(rng, &TEAM_TAGS)),
                "kind" => one_or_many(rng, KINDS.iter().map(|s| s.to_string()).collect()),
                _ => one_or_many(rng, ranks.iter().map(|s| s.to_string()).collect()),
            };
            w.insert((*f).into(), v);
        }
    }
    if !w.is_empty() {
        r.insert("where".into(), Value::Object(w));
    }

    let (lo, hi) = match type_ {
        "count" => {
            let a: f64 = pick(rng, &[0.0, 1.0, 1.0, 2.0]);
            let b = pick(rng, &[0.0, 1.0, 1.0, 2.0]);
            (a.min(b), a.max(b))
        }
        _ => {
            let a: f64 = pick(rng, &[0.25, 0.5, 0.5, 0.6, 1.0]);
            let b = pick(rng, &[0.0, 0.25, 0.5, 0.6, 0.6]);
            (a.min(b), a.max(b))
        }
    };
    let mode = if type_ == "fit_rate" {
        0
    } else {
        rng.gen_range(0..4)
    };
    match mode {
        0 | 1 => {
            r.insert(
                "min".into(),
                json!(if type_ == "count" { lo.max(1.0) } else { hi }),
            );
        }
        2 => {
            r.insert("max".into(), json!(lo));
        }
        _ => {
            r.insert("min".into(), json!(lo));
            r.insert("max".into(), json!(hi));
        }
    }
    if chance(rng, 0.5) {
        r.insert("penalty".into(), json!(pick(rng, &[0.3, 0.5, 1.0, 2.0])));
    }
    Value::Object(r)
}

/// Parses and validates a generated document with the crate's own loader types.
pub fn build(doc: &Value) -> Scenario {
    let raw: RawScenario = serde_json::from_value(doc.clone())
        .unwrap_or_else(|e| panic!("generated scenario does not parse: {e}\n{doc:#}"));
    Scenario::from_raw(&raw, "generated.json")
        .unwrap_or_else(|e| panic!("generated scenario is invalid: {e}\n{doc:#}"))
}

// ---------------------------------------------------------------------------------------------
// The reference evaluator: the spec, re-implemented on the JSON document.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum RefKind {
    Share(usize),
    Count(usize),
    FitRate,
}

#[derive(Debug, Clone)]
enum RefScope {
    /// Team indices, each a unit of its own.
    Teams(Vec<usize>),
    /// Whether each post is in scope.
    Posts(Vec<bool>),
}

#[derive(Debug, Clone)]
struct RefRule {
    kind: RefKind,
    scope: RefScope,
    min: Option<f64>,
    max: Option<f64>,
    penalty: Option<f64>,
}

/// A scenario compiled from its JSON, spec in hand.
#[derive(Debug, Clone)]
pub struct Reference {
    pub n_posts: usize,
    pub n_candidates: usize,
    /// `fit[c][p]`: Some(fit) when the pair is eligible.
    eligible: Vec<Vec<Option<f64>>>,
    threshold: f64,
    cand_team: Vec<Option<usize>>,
    /// `in_group[g][c]`.
    in_group: Vec<Vec<bool>>,
    /// `members_in_group[t][g]`.
    members_in_group: Vec<Vec<usize>>,
    members: Vec<usize>,
    post_team: Vec<usize>,
    must_fill: Vec<bool>,
    rules: Vec<RefRule>,
    /// `decided[p]`: the candidate decided for post p (spec 1.1).
    decided: Vec<Option<usize>>,
}

/// What the reference evaluator says of one plan.
#[derive(Debug, Clone, PartialEq)]
pub struct RefEval {
    /// Distinct candidates, every placement eligible, every must-fill post filled.
    pub basic_ok: bool,
    /// `basic_ok` and every hard rule holds.
    pub ok: bool,
    pub fit_total: f64,
    /// Sum of penalty × shortfall of the soft rules.
    pub penalty_total: f64,
    pub objective: f64,
}

const EPS: f64 = 1e-9;

fn strs(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .map(|x| x.as_str().expect("string").to_string())
            .collect(),
        _ => panic!("expected a string or a list of strings, got {v}"),
    }
}

fn num_map(v: Option<&Value>) -> BTreeMap<String, f64> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, x)| (k.clone(), x.as_f64().expect("number")))
                .collect()
        })
        .unwrap_or_default()
}

fn belongs(cond: &Value, attrs: &Value) -> bool {
    cond.as_object()
        .expect("condition")
        .iter()
        .all(|(attr, pred)| {
            let Some(v) = attrs.get(attr) else {
                return false;
            };
            let pred = pred.as_object().expect("predicate");
            pred.iter().all(|(op, arg)| match (op.as_str(), v) {
                ("in", Value::String(s)) => strs(arg).contains(s),
                ("not_in", Value::String(s)) => !strs(arg).contains(s),
                ("min", Value::Number(n)) => n.as_f64().unwrap() >= arg.as_f64().unwrap(),
                ("max", Value::Number(n)) => n.as_f64().unwrap() <= arg.as_f64().unwrap(),
                _ => false,
            })
        })
}

fn fit_of(ws: f64, we: f64, cand: &Value, post: &Value) -> f64 {
    let ps = num_map(post.get("specialty"));
    let cs = num_map(cand.get("specialty"));
    let norm = |m: &BTreeMap<String, f64>| m.values().map(|x| x * x).sum::<f64>().sqrt();
    let s = if ps.values().all(|&x| x == 0.0) {
        1.0
    } else if cs.values().all(|&x| x == 0.0) {
        0.0
    } else {
        let dot: f64 = ps
            .iter()
            .map(|(k, x)| x * cs.get(k).copied().unwrap_or(0.0))
            .sum();
        dot / (norm(&cs) * norm(&ps))
    };
    let pe = num_map(post.get("experience"));
    let ce = num_map(cand.get("experience"));
    let e = if pe.is_empty() {
        1.0
    } else {
        pe.iter()
            .map(|(d, need)| (ce.get(d).copied().unwrap_or(0.0) / need).min(1.0))
            .sum::<f64>()
            / pe.len() as f64
    };
    (ws * s + we * e) / (ws + we)
}

impl Reference {
    pub fn new(doc: &Value) -> Reference {
        let ranks: Vec<&str> = doc["ranks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        let rank = |v: &Value| ranks.iter().position(|r| Some(*r) == v.as_str()).unwrap();
        let empty = json!({});
        let promotion = doc.get("promotion").unwrap_or(&empty);
        let max_step = promotion.get("max_step").map_or(1, |v| v.as_u64().unwrap()) as usize;
        let min_years = num_map(promotion.get("min_years"));
        let requirements: BTreeMap<String, BTreeMap<String, f64>> = promotion
            .get("requirements")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), num_map(v.get("experience"))))
                    .collect()
            })
            .unwrap_or_default();
        let fit = doc.get("fit").unwrap_or(&empty);
        let get = |k: &str, d: f64| fit.get(k).map_or(d, |v| v.as_f64().unwrap());
        let (ws, we) = (get("specialty_weight", 0.5), get("experience_weight", 0.5));
        let threshold = get("threshold", 0.7);
        let fit_min = get("min", 0.0);

        let groups: Vec<(&String, &Value)> = doc
            .get("groups")
            .and_then(Value::as_object)
            .map(|m| m.iter().collect())
            .unwrap_or_default();
        let group = |name: &Value| {
            groups
                .iter()
                .position(|g| g.0.as_str() == name.as_str().unwrap())
                .unwrap()
        };

        let teams = doc["teams"].as_array().unwrap();
        let team_ids: Vec<&str> = teams.iter().map(|t| t["id"].as_str().unwrap()).collect();
        let team = |v: &Value| {
            team_ids
                .iter()
                .position(|t| Some(*t) == v.as_str())
                .unwrap()
        };
        let team_tags: Vec<Vec<String>> = teams
            .iter()
            .map(|t| t.get("tags").map(strs).unwrap_or_default())
            .collect();
        let team_members: Vec<Vec<Value>> = teams
            .iter()
            .map(|t| {
                t.get("members")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();

        let posts = doc["posts"].as_array().unwrap();
        let cands = doc["candidates"].as_array().unwrap();

        let eligible = cands
            .iter()
            .map(|c| {
                posts
                    .iter()
                    .map(|p| {
                        if c.get("available").and_then(Value::as_bool) == Some(false) {
                            return None;
                        }
                        let (cr, pr) = (rank(&c["rank"]), rank(&p["rank"]));
                        if pr < cr || pr - cr > max_step {
                            return None;
                        }
                        if pr > cr {
                            let need = min_years.get(ranks[cr]).copied().unwrap_or(0.0);
                            if c["years_at_rank"].as_f64().unwrap() < need {
                                return None;
                            }
                            let exp = num_map(c.get("experience"));
                            if let Some(req) = requirements.get(ranks[pr]) {
                                for (d, y) in req {
                                    if exp.get(d).copied().unwrap_or(0.0) < *y {
                                        return None;
                                    }
                                }
                            }
                        }
                        if let Some(g) = p.get("open_to") {
                            let attrs = c.get("attributes").unwrap_or(&empty);
                            if !belongs(groups[group(g)].1, attrs) {
                                return None;
                            }
                        }
                        let avoid = c.get("avoid_teams").map(strs).unwrap_or_default();
                        if avoid.iter().any(|t| Some(t.as_str()) == p["team"].as_str()) {
                            return None;
                        }
                        let f = fit_of(ws, we, c, p);
                        (f >= fit_min - EPS).then_some(f)
                    })
                    .collect()
            })
            .collect();
        // Spec 1.1: a vetoed pair is not eligible; a decided pair is placed even when it is not.
        let mut eligible: Vec<Vec<Option<f64>>> = eligible;
        let post_ix = |id: &Value| posts.iter().position(|p| p["id"] == *id).unwrap();
        let cand_ix = |id: &Value| cands.iter().position(|c| c["id"] == *id).unwrap();
        for v in doc
            .get("vetoed")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            eligible[cand_ix(&v["candidate"])][post_ix(&v["post"])] = None;
        }
        let mut decided = vec![None; posts.len()];
        for d in doc
            .get("decided")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (c, p) = (cand_ix(&d["candidate"]), post_ix(&d["post"]));
            eligible[c][p] = Some(fit_of(ws, we, &cands[c], &posts[p]));
            decided[p] = Some(c);
        }

        let in_group = groups
            .iter()
            .map(|(_, cond)| {
                cands
                    .iter()
                    .map(|c| belongs(cond, c.get("attributes").unwrap_or(&empty)))
                    .collect()
            })
            .collect();
        let members_in_group = team_members
            .iter()
            .map(|ms| {
                groups
                    .iter()
                    .map(|(_, cond)| ms.iter().filter(|m| belongs(cond, m)).count())
                    .collect()
            })
            .collect();
        let post_team: Vec<usize> = posts.iter().map(|p| team(&p["team"])).collect();

        let rules = doc
            .get("rules")
            .and_then(Value::as_array)
            .map(|rs| {
                rs.iter()
                    .map(|r| {
                        let kind = match r["type"].as_str().unwrap() {
                            "share" => RefKind::Share(group(&r["group"])),
                            "count" => RefKind::Count(group(&r["group"])),
                            _ => RefKind::FitRate,
                        };
                        let w = r.get("where").unwrap_or(&empty);
                        let team_ok = |t: usize| {
                            w.get("team")
                                .is_none_or(|v| strs(v).iter().any(|x| x == team_ids[t]))
                                && w.get("tag").is_none_or(|v| {
                                    strs(v).iter().any(|x| team_tags[t].contains(x))
                                })
                        };
                        let scope = if r["scope"] == "team" {
                            RefScope::Teams((0..teams.len()).filter(|&t| team_ok(t)).collect())
                        } else {
                            RefScope::Posts(
                                posts
                                    .iter()
                                    .enumerate()
                                    .map(|(i, p)| {
                                        team_ok(post_team[i])
                                            && w.get("kind").is_none_or(|v| {
                                                p.get("kind").is_some_and(|k| {
                                                    strs(v)
                                                        .iter()
                                                        .any(|x| Some(x.as_str()) == k.as_str())
                                                })
                                            })
                                            && w.get("rank").is_none_or(|v| {
                                                strs(v)
                                                    .iter()
                                                    .any(|x| Some(x.as_str()) == p["rank"].as_str())
                                            })
                                    })
                                    .collect(),
                            )
                        };
                        RefRule {
                            kind,
                            scope,
                            min: r.get("min").and_then(Value::as_f64),
                            max: r.get("max").and_then(Value::as_f64),
                            penalty: r.get("penalty").and_then(Value::as_f64),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();

        Reference {
            n_posts: posts.len(),
            n_candidates: cands.len(),
            eligible,
            threshold,
            cand_team: cands.iter().map(|c| c.get("team").map(team)).collect(),
            in_group,
            members_in_group,
            members: team_members.iter().map(Vec::len).collect(),
            post_team,
            must_fill: posts
                .iter()
                .map(|p| p.get("must_fill").and_then(Value::as_bool) == Some(true))
                .collect(),
            rules,
            decided,
        }
    }

    /// Whether candidate `c` may fill post `p`.
    pub fn is_eligible(&self, c: usize, p: usize) -> bool {
        self.eligible[c][p].is_some()
    }

    /// Evaluates a plan given as `plan[post] = Some(candidate)`.
    pub fn evaluate(&self, plan: &[Option<usize>]) -> RefEval {
        let mut basic_ok = true;
        let mut seen = vec![false; self.n_candidates];
        let mut fit_total = 0.0;
        let mut placed_at: Vec<Option<usize>> = vec![None; self.n_candidates];
        // (post, candidate, fits)
        let mut placements = Vec::new();
        for (p, slot) in plan.iter().enumerate() {
            if self.decided[p].is_some() && *slot != self.decided[p] {
                basic_ok = false;
            }
            match *slot {
                None => basic_ok &= !self.must_fill[p],
                Some(c) => {
                    basic_ok &= !seen[c];
                    seen[c] = true;
                    placed_at[c] = Some(p);
                    match self.eligible[c][p] {
                        Some(f) => {
                            fit_total += f;
                            placements.push((p, c, f >= self.threshold - EPS));
                        }
                        None => basic_ok = false,
                    }
                }
            }
        }
        // Compositions: incumbents, sitting candidates who are not moved away, and candidates
        // placed into a team's post.
        let nteams = self.members.len();
        let mut size: Vec<f64> = self.members.iter().map(|&m| m as f64).collect();
        let mut final_team: Vec<Option<usize>> = vec![None; self.n_candidates];
        for c in 0..self.n_candidates {
            final_team[c] = match placed_at[c] {
                Some(p) => Some(self.post_team[p]),
                None => self.cand_team[c],
            };
            if let Some(t) = final_team[c] {
                size[t] += 1.0;
            }
        }
        debug_assert_eq!(size.len(), nteams);

        let mut ok = basic_ok;
        let mut penalty_total = 0.0;
        for r in &self.rules {
            // Units as (count, total).
            let units: Vec<(f64, f64)> = match &r.scope {
                RefScope::Teams(ts) => ts
                    .iter()
                    .map(|&t| {
                        let g = match r.kind {
                            RefKind::Share(g) | RefKind::Count(g) => g,
                            RefKind::FitRate => unreachable!("fit_rate has placements scope"),
                        };
                        let count = self.members_in_group[t][g]
                            + (0..self.n_candidates)
                                .filter(|&c| final_team[c] == Some(t) && self.in_group[g][c])
                                .count();
                        (count as f64, size[t])
                    })
                    .collect(),
                RefScope::Posts(in_scope) => {
                    let mine: Vec<&(usize, usize, bool)> =
                        placements.iter().filter(|pl| in_scope[pl.0]).collect();
                    let count = mine
                        .iter()
                        .filter(|&&&(_, c, fits)| match r.kind {
                            RefKind::Share(g) | RefKind::Count(g) => self.in_group[g][c],
                            RefKind::FitRate => fits,
                        })
                        .count();
                    vec![(count as f64, mine.len() as f64)]
                }
            };
            let scale = |total: f64| {
                if matches!(r.kind, RefKind::Count(_)) {
                    1.0
                } else {
                    total
                }
            };
            for (count, total) in units {
                let short_min = r.min.map_or(0.0, |m| (m * scale(total) - count).max(0.0));
                let short_max = r.max.map_or(0.0, |m| (count - m * scale(total)).max(0.0));
                match r.penalty {
                    Some(w) => penalty_total += w * (short_min + short_max),
                    None => ok &= short_min <= EPS && short_max <= EPS,
                }
            }
        }
        RefEval {
            basic_ok,
            ok,
            fit_total,
            penalty_total,
            objective: fit_total - penalty_total,
        }
    }
}

/// Calls `f` on every plan: each post gets no candidate or one candidate not used by an earlier
/// post (eligible or not).
pub fn for_each_plan(n_posts: usize, n_candidates: usize, mut f: impl FnMut(&[Option<usize>])) {
    fn rec(
        p: usize,
        used: &mut Vec<bool>,
        plan: &mut Vec<Option<usize>>,
        f: &mut dyn FnMut(&[Option<usize>]),
    ) {
        if p == plan.len() {
            f(plan);
            return;
        }
        plan[p] = None;
        rec(p + 1, used, plan, f);
        for c in 0..used.len() {
            if !used[c] {
                used[c] = true;
                plan[p] = Some(c);
                rec(p + 1, used, plan, f);
                used[c] = false;
            }
        }
        plan[p] = None;
    }
    let mut used = vec![false; n_candidates];
    let mut plan = vec![None; n_posts];
    rec(0, &mut used, &mut plan, &mut f);
}

/// A plan as (post, candidate) pairs.
pub fn pairs_of(plan: &[Option<usize>]) -> Vec<(usize, usize)> {
    plan.iter()
        .enumerate()
        .filter_map(|(p, c)| c.map(|c| (p, c)))
        .collect()
}

/// A hard-preset-like case (issue 14): the random scenario of [`scenario_json_sized`] with soft
/// team-scope share rules whose targets cannot be met exactly (penalties 1.5–2 per person short),
/// sometimes a cap on one group's share of the appointees (hard or soft) and at most one of its
/// own rules, so that LP relaxations come out fractional.
pub fn hard_scenario_json(seed: u64, large: bool) -> Value {
    let mut doc = scenario_json_sized(seed, large);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6861_7264);
    let rng = &mut rng;
    let groups: Vec<String> = doc["groups"]
        .as_object()
        .map(|g| g.keys().cloned().collect())
        .unwrap_or_default();
    let mut rules: Vec<Value> = doc
        .get("rules")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    rules.truncate(usize::from(chance(rng, 0.5)));
    for i in 0..rng.gen_range(1..=2) {
        rules.push(json!({
            "name": format!("team share {i}"),
            "type": "share",
            "scope": "team",
            "group": pick(rng, &groups),
            "min": pick(rng, &[0.34, 0.4, 0.4, 0.5, 0.6]),
            "penalty": pick(rng, &[1.5, 2.0, 2.0]),
        }));
    }
    if chance(rng, 0.5) {
        let mut cap = json!({
            "name": "appointee cap",
            "type": "share",
            "scope": "placements",
            "group": pick(rng, &groups),
            "max": pick(rng, &[0.2, 0.34, 0.5]),
        });
        if chance(rng, 0.5) {
            cap["penalty"] = json!(pick(rng, &[0.5, 1.0]));
        }
        rules.push(cap);
    }
    // A hard team rule beside the soft ones: the hull cuts then list only the count vectors
    // that keep it (`solve::cuts`), which the plans checked against the cuts must survive.
    if chance(rng, 0.5) {
        let hard = if chance(rng, 0.5) {
            json!({"name": "hard team count", "type": "count", "scope": "team",
                   "group": pick(rng, &groups), "min": 1})
        } else {
            json!({"name": "hard team share", "type": "share", "scope": "team",
                   "group": pick(rng, &groups), "min": pick(rng, &[0.25, 0.34, 0.5])})
        };
        rules.push(hard);
    }
    doc["rules"] = json!(rules);
    doc
}
