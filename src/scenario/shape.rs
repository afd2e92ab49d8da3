//! The published JSON Schema (`postfit schema`) and the strict shape check it drives.
//!
//! serde's derived structs also accept an array (read by position: `"fit": [0.6, 0.4]`), and
//! its `Option` accepts `null`; the spec allows neither. Before serde sees a document, this
//! module walks it along the schema generated from the loader's own types and rejects, with the
//! JSON path, the three shapes serde would let through or word in Rust terms:
//!
//! - an array where the format has an object (`fit: expected an object, found an array`);
//! - an object where the format has no object (e.g. a rule `type` given as `{"share": 1}`);
//! - `null` anywhere the format gives no null (the scenario format has no null at all).
//!
//! Every other type error is left to serde (its messages are tidied in `load`). Because both
//! the check and `postfit schema` come from one generator, they cannot disagree on shapes.

use schemars::gen::SchemaSettings;
use schemars::schema::{InstanceType, RootSchema, Schema, SchemaObject, SingleOrVec};
use schemars::JsonSchema;
use serde_json::Value;

use super::load::path_key;

/// The generator settings of every schema postfit publishes or checks against: draft 7, and an
/// optional key is not nullable (leave the key out for its default; `null` is rejected).
fn settings() -> SchemaSettings {
    SchemaSettings::draft07().with(|s| {
        s.option_add_null_type = false;
        s.option_nullable = false;
    })
}

/// The JSON Schema of type `T` with postfit's settings.
pub fn schema_of<T: JsonSchema>() -> RootSchema {
    settings().into_generator().into_root_schema_for::<T>()
}

/// The JSON Schema of the scenario format, as `postfit schema` prints it: generated from the
/// loader's types, plus the spec's ranges and the relations between keys that JSON Schema can
/// express (non-empty ids and lists, number ranges, integers, which keys each rule type needs).
/// What it cannot express (ids unique and defined, `min <= max`, attribute kinds) is listed in
/// `tests/bad_input.rs` (`SCHEMA_CANNOT_SAY`).
pub fn scenario_schema() -> Value {
    let mut v = serde_json::to_value(schema_of::<super::RawScenario>()).unwrap_or(Value::Null);
    tighten(&mut v);
    v
}

/// Sets `key` to `value` in the object at JSON pointer `at`, if there is one.
fn put(v: &mut Value, at: &str, key: &str, value: Value) {
    if let Some(Value::Object(m)) = v.pointer_mut(at) {
        m.insert(key.to_string(), value);
    }
}

/// The spec's ranges and key relations (section "Validation") added to the generated schema.
fn tighten(v: &mut Value) {
    use serde_json::json;
    let d = "/definitions";
    let non_negative = json!({"type": "number", "minimum": 0});
    let positive = json!({"type": "number", "exclusiveMinimum": 0});
    let unit = json!({"type": "number", "minimum": 0, "maximum": 1});
    let id = json!({"type": "string", "minLength": 1});

    // Top level: ranks non-empty, unique and named; group names non-empty; teams when posts.
    put(v, "/properties/ranks", "minItems", json!(1));
    put(v, "/properties/ranks", "uniqueItems", json!(true));
    put(v, "/properties/ranks", "items", id.clone());
    put(
        v,
        "/properties/groups",
        "propertyNames",
        json!({"minLength": 1}),
    );
    put(
        v,
        "",
        "if",
        json!({"required": ["posts"], "properties": {"posts": {"minItems": 1}}}),
    );
    put(
        v,
        "",
        "then",
        json!({"properties": {"teams": {"minItems": 1}}}),
    );

    // Promotion and fit.
    put(
        v,
        &format!("{d}/Promotion/properties/max_step"),
        "maximum",
        json!(u32::MAX),
    );
    put(
        v,
        &format!("{d}/Promotion/properties/min_years"),
        "additionalProperties",
        non_negative.clone(),
    );
    put(
        v,
        &format!("{d}/Requirement/properties/experience"),
        "additionalProperties",
        non_negative.clone(),
    );
    for w in ["specialty_weight", "experience_weight"] {
        put(v, &format!("{d}/Fit/properties/{w}"), "minimum", json!(0));
    }
    for k in ["threshold", "min"] {
        put(v, &format!("{d}/Fit/properties/{k}"), "minimum", json!(0));
        put(v, &format!("{d}/Fit/properties/{k}"), "maximum", json!(1));
    }
    put(
        v,
        &format!("{d}/Fit"),
        "not",
        json!({
            "required": ["specialty_weight", "experience_weight"],
            "properties": {"specialty_weight": {"const": 0}, "experience_weight": {"const": 0}}
        }),
    );

    // Groups: a predicate has at least one of in, not_in, min, max.
    put(v, &format!("{d}/Predicate"), "minProperties", json!(1));

    // Teams, posts, candidates.
    for def in ["Team", "Post", "Candidate"] {
        put(
            v,
            &format!("{d}/{def}/properties/id"),
            "minLength",
            json!(1),
        );
    }
    put(
        v,
        &format!("{d}/Post/properties/specialty"),
        "additionalProperties",
        non_negative.clone(),
    );
    put(
        v,
        &format!("{d}/Post/properties/experience"),
        "additionalProperties",
        positive,
    );
    put(
        v,
        &format!("{d}/Candidate/properties/specialty"),
        "additionalProperties",
        non_negative.clone(),
    );
    put(
        v,
        &format!("{d}/Candidate/properties/experience"),
        "additionalProperties",
        non_negative.clone(),
    );
    put(
        v,
        &format!("{d}/Candidate/properties/years_at_rank"),
        "minimum",
        json!(0),
    );

    // Rules: bounds by type, the group by type, scope by type, where by scope.
    let rule = format!("{d}/Rule");
    put(
        v,
        &format!("{rule}/properties/penalty"),
        "exclusiveMinimum",
        json!(0),
    );
    put(
        v,
        &format!("{rule}/properties/penalty"),
        "maximum",
        json!(1e9),
    );
    for b in ["min", "max"] {
        put(v, &format!("{rule}/properties/{b}"), "minimum", json!(0));
    }
    let is = |t: &str| json!({"required": ["type"], "properties": {"type": {"const": t}}});
    put(
        v,
        &rule,
        "anyOf",
        json!([{"required": ["min"]}, {"required": ["max"]}]),
    );
    put(
        v,
        &rule,
        "allOf",
        json!([
            {"if": is("share"), "then": {"required": ["group"],
                "properties": {"min": unit, "max": unit}}},
            {"if": is("fit_rate"), "then": {"not": {"required": ["group"]},
                "properties": {"min": unit, "max": unit, "scope": {"const": "placements"}}}},
            {"if": is("count"), "then": {"required": ["group"], "properties": {
                "min": {"multipleOf": 1, "maximum": 1e9},
                "max": {"multipleOf": 1, "maximum": 1e9}}}},
            {"if": {"required": ["scope"], "properties": {"scope": {"const": "team"}}},
             "then": {"properties": {"where": {"not": {"anyOf": [
                 {"required": ["kind"]}, {"required": ["rank"]}]}}}}}
        ]),
    );
    put(v, &format!("{d}/OneOrMany/anyOf/1"), "minItems", json!(1));
}

/// The JSON kind of a value, as the schema names it.
fn kind(v: &Value) -> InstanceType {
    match v {
        Value::Null => InstanceType::Null,
        Value::Bool(_) => InstanceType::Boolean,
        Value::Number(_) => InstanceType::Number,
        Value::String(_) => InstanceType::String,
        Value::Array(_) => InstanceType::Array,
        Value::Object(_) => InstanceType::Object,
    }
}

/// A kind in a message: `an object`, `an array`, `null`.
fn term(t: InstanceType) -> &'static str {
    match t {
        InstanceType::Null => "null",
        InstanceType::Boolean => "true or false",
        InstanceType::Number => "a number",
        InstanceType::Integer => "an integer",
        InstanceType::String => "a string",
        InstanceType::Array => "an array",
        InstanceType::Object => "an object",
    }
}

struct Walker<'a> {
    root: &'a RootSchema,
}

impl<'a> Walker<'a> {
    /// The schema objects a schema stands for: `$ref`s followed, `allOf` with one member and
    /// `anyOf`/`oneOf` branches flattened. Empty means "anything".
    fn objects(&self, s: &'a Schema, out: &mut Vec<&'a SchemaObject>, depth: usize) {
        let Schema::Object(o) = s else { return };
        if depth > 32 {
            return;
        }
        if let Some(r) = &o.reference {
            let name = r.rsplit('/').next().unwrap_or("");
            if let Some(def) = self.root.definitions.get(name) {
                self.objects(def, out, depth + 1);
            }
            return;
        }
        if let Some(sub) = &o.subschemas {
            for list in [&sub.all_of, &sub.any_of, &sub.one_of]
                .into_iter()
                .flatten()
            {
                for s in list {
                    self.objects(s, out, depth + 1);
                }
            }
            if o.instance_type.is_none() && o.enum_values.is_none() {
                return;
            }
        }
        out.push(o);
    }

    /// The kinds a schema object allows; `None` when it does not say.
    fn kinds(o: &SchemaObject) -> Option<Vec<InstanceType>> {
        if let Some(t) = &o.instance_type {
            return Some(match t {
                SingleOrVec::Single(t) => vec![**t],
                SingleOrVec::Vec(v) => v.clone(),
            });
        }
        o.enum_values
            .as_ref()
            .map(|vals| vals.iter().map(kind).collect())
    }

    /// Walks `v` along `schema`; the first shape error as (path, reason).
    fn walk(&self, v: &Value, schema: &'a Schema, path: &str) -> Result<(), (String, String)> {
        let mut objs = Vec::new();
        self.objects(schema, &mut objs, 0);
        if objs.is_empty() {
            return Ok(());
        }
        let mut allowed: Vec<InstanceType> = Vec::new();
        for o in &objs {
            match Self::kinds(o) {
                Some(k) => allowed.extend(k),
                None => return self.descend(v, o, path),
            }
        }
        let vk = kind(v);
        let fits = |k: &InstanceType| {
            *k == vk || (vk == InstanceType::Number && *k == InstanceType::Integer)
        };
        if !allowed.iter().any(fits) {
            let wrong = vk == InstanceType::Null
                || (vk == InstanceType::Array && allowed.contains(&InstanceType::Object))
                || vk == InstanceType::Object;
            if wrong {
                let non_negative = objs.iter().any(|o| {
                    o.number
                        .as_ref()
                        .is_some_and(|n| n.minimum.is_some_and(|m| m >= 0.0))
                });
                let mut names: Vec<&str> = Vec::new();
                for k in &allowed {
                    let t = match k {
                        InstanceType::Integer if non_negative => "a non-negative integer",
                        k => term(*k),
                    };
                    if !names.contains(&t) {
                        names.push(t);
                    }
                }
                let reason = format!("expected {}, found {}", names.join(" or "), term(vk));
                return Err((path.to_string(), reason));
            }
            // Any other mismatch: serde says it, with the value.
            return Ok(());
        }
        match objs
            .iter()
            .find(|o| Self::kinds(o).is_some_and(|k| k.iter().any(fits)))
        {
            Some(o) => self.descend(v, o, path),
            None => Ok(()),
        }
    }

    /// Walks the members of an object or array along `o`.
    fn descend(&self, v: &Value, o: &'a SchemaObject, path: &str) -> Result<(), (String, String)> {
        match v {
            Value::Object(map) => {
                let Some(ov) = &o.object else { return Ok(()) };
                for (k, item) in map {
                    let sub = ov.properties.get(k).or(ov.additional_properties.as_deref());
                    if let Some(sub) = sub {
                        self.walk(item, sub, &join(path, &path_key(k)))?;
                    }
                }
                Ok(())
            }
            Value::Array(items) => {
                let Some(av) = &o.array else { return Ok(()) };
                let Some(SingleOrVec::Single(sub)) = &av.items else {
                    return Ok(());
                };
                for (i, item) in items.iter().enumerate() {
                    self.walk(item, sub, &join(path, &format!("[{i}]")))?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// `a` + `.b` or `[3]`, without a leading `.` at the top.
fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.strip_prefix('.').unwrap_or(segment).to_string()
    } else {
        format!("{path}{segment}")
    }
}

/// Checks the shapes serde would let through (see the module docs): `Err((path, reason))` for
/// the first one in document order.
pub(crate) fn check_shapes<T: JsonSchema>(v: &Value) -> Result<(), (String, String)> {
    let root = schema_of::<T>();
    let walker = Walker { root: &root };
    let top = Schema::Object(root.schema.clone());
    walker.walk(v, &top, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shape(v: Value) -> Result<(), (String, String)> {
        check_shapes::<super::super::RawScenario>(&v)
    }

    #[test]
    fn arrays_nulls_and_objects_in_the_wrong_place_are_named_with_their_path() {
        let bad = |v: Value| shape(v).unwrap_err();
        assert_eq!(
            bad(json!({"fit": [0.6, 0.4]})),
            ("fit".into(), "expected an object, found an array".into())
        );
        assert_eq!(
            bad(json!({"fit": null})),
            ("fit".into(), "expected an object, found null".into())
        );
        assert_eq!(
            bad(json!({"candidates": [{"available": null}]})),
            (
                "candidates[0].available".into(),
                "expected true or false, found null".into()
            )
        );
        assert_eq!(
            bad(json!({"rules": [{"type": {"share": 1}}]})),
            (
                "rules[0].type".into(),
                "expected a string, found an object".into()
            )
        );
        assert_eq!(
            bad(json!({"groups": {"w": {"g": []}}})),
            (
                "groups.w.g".into(),
                "expected an object, found an array".into()
            )
        );
        // Other mismatches are serde's to word.
        assert!(shape(json!({"name": 5, "ranks": "x"})).is_ok());
        assert!(shape(json!({"rules": [{"where": {"team": ["a", "b"]}}]})).is_ok());
    }
}
