//! An independent judge for the generated validators: a hand-written conversion of OpenAPI 3.0
//! component schemas to JSON Schema (draft 4), checked by the `jsonschema` crate.
//!
//! This crate otherwise holds tests (`tests/`) and benchmarks (`benches/`) of the generated
//! crates. The conversion below is what they compare our generated `validate_*` functions
//! against: the differential test (`tests/differential.rs`) asserts that both give the same
//! verdict on many generated and mutated documents, and the benchmark (`benches/validate.rs`)
//! measures both on the same documents.
//!
//! The conversion is written against the OpenAPI 3.0.3 text, **not** against the generator, and
//! shares no code with it (it reads the spec as plain [`serde_json::Value`]s), so a
//! misreading of the spec in one is unlikely to be repeated in the other. It is deliberately
//! strict: a keyword or `format` it does not know panics, so a spec cannot be compared silently
//! wrong.
//!
//! ```
//! use conformance::{judge, Direction, OpenApiDoc};
//! use serde_json::json;
//!
//! let spec = OpenApiDoc::load("desk-v2.yaml");
//! // Built once (it compiles the schema), then reused for every document.
//! let validator = judge(&spec.json_schema("Relationship", Direction::Request));
//! assert!(validator.is_valid(&json!({"id": 2, "type": "users"})));
//! assert!(!validator.is_valid(&json!({"id": "2"})));
//! ```
//!
//! Why draft 4: OpenAPI 3.0's schema object is an extended subset of JSON Schema draft wright-00
//! (draft 5), which keeps draft 4's boolean `exclusiveMinimum`/`exclusiveMaximum`; and in
//! `jsonschema`'s draft 4 mode `type: integer` accepts only JSON integers (`1.0` is rejected),
//! which is also our rule. Drafts 6+ would accept `1.0` as an integer.
//!
//! OpenAPI-specific parts, and how they are expressed:
//! * `nullable: true` becomes `anyOf: [{type: null}, <schema>]`.
//! * `readOnly` / `writeOnly`: a `required` property that is `readOnly` is required in responses
//!   only, a `writeOnly` one in requests only; hence a schema per [`Direction`].
//! * `discriminator` on `oneOf`/`anyOf`: each branch also requires the discriminator property to
//!   hold one of that branch's tags (its `mapping` entries, or its component name).
//! * Formats `uuid` and `byte` become patterns, `int32`/`int64` become `minimum`/`maximum`; the
//!   other known formats (`date-time`, `date`, `email`, `uri`, `ipv4`, `ipv6`) are left to
//!   `jsonschema`'s own implementations.

use serde_json::{json, Map, Value};

/// Which side of an exchange a document is on; it decides how `readOnly` and `writeOnly`
/// properties are treated. Independent of the generated crates (each has its own type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// A request body or parameter, sent by a client: `readOnly` properties are not required.
    Request,
    /// A response body, sent by a server: `writeOnly` properties are not required.
    Response,
}

impl Direction {
    /// Both directions, requests first.
    pub const ALL: [Direction; 2] = [Direction::Request, Direction::Response];
}

/// An OpenAPI 3.0 document, read as plain JSON.
#[derive(Clone, Debug)]
pub struct OpenApiDoc {
    document: Value,
}

impl OpenApiDoc {
    /// Reads the YAML (or JSON) spec at `relative`, a path relative to the workspace's `spec/`
    /// folder (e.g. `"desk-v2.yaml"` or `"fixtures/keywords.yaml"`).
    ///
    /// # Panics
    ///
    /// If the file cannot be read or is not YAML; the message names the path.
    pub fn load(relative: &str) -> OpenApiDoc {
        let path = format!("{}/../../spec/{relative}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
        let document: Value =
            serde_yaml::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"));
        OpenApiDoc { document }
    }

    /// Wraps an already parsed document.
    pub fn from_value(document: Value) -> OpenApiDoc {
        OpenApiDoc { document }
    }

    /// The whole document (to reach `paths`, examples, ...).
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// `components.schemas`, by name.
    ///
    /// # Panics
    ///
    /// If the document has no `components.schemas` object.
    pub fn schemas(&self) -> &Map<String, Value> {
        self.document["components"]["schemas"]
            .as_object()
            .expect("components.schemas")
    }

    /// The component schema a `#/components/schemas/...` reference points at.
    ///
    /// # Panics
    ///
    /// On any other kind of reference, or one naming no component.
    pub fn component(&self, reference: &str) -> &Value {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unsupported $ref `{reference}`"));
        self.schemas()
            .get(name)
            .unwrap_or_else(|| panic!("dangling $ref `{reference}`"))
    }

    /// Follows `$ref`s (siblings of `$ref` are ignored, as in OpenAPI 3.0).
    pub fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            schema = self.component(reference);
        }
        schema
    }

    /// The discriminator property and, per `oneOf`/`anyOf` branch, the values that select it:
    /// the `mapping` entries pointing at the branch, or else the branch's component name (the
    /// implicit mapping of OpenAPI 3.0). `None` without a discriminator or branches.
    pub fn branch_tags(&self, schema: &Value) -> Option<(String, Vec<Vec<String>>)> {
        let discriminator = schema.get("discriminator")?;
        let property = discriminator["propertyName"]
            .as_str()
            .expect("propertyName")
            .to_string();
        let branches = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))?
            .as_array()?;
        let mapping = discriminator.get("mapping").and_then(Value::as_object);
        let tags = branches
            .iter()
            .map(|branch| {
                let reference = branch["$ref"]
                    .as_str()
                    .expect("discriminated branches are $refs");
                let name = reference.trim_start_matches("#/components/schemas/");
                let mut own: Vec<String> = mapping
                    .into_iter()
                    .flatten()
                    .filter(|(_, target)| {
                        target.as_str() == Some(reference) || target.as_str() == Some(name)
                    })
                    .map(|(tag, _)| tag.clone())
                    .collect();
                if own.is_empty() {
                    own.push(name.to_string());
                }
                own
            })
            .collect();
        Some((property, tags))
    }

    /// The JSON Schema (draft 4) of component `key` for `direction`: every component embedded
    /// under `definitions`, the root a reference to `key`. Feed it to [`judge`].
    ///
    /// # Panics
    ///
    /// As [`OpenApiDoc::convert`], for any component of the document.
    pub fn json_schema(&self, key: &str, direction: Direction) -> Value {
        let definitions: Map<String, Value> = self
            .schemas()
            .iter()
            .map(|(name, schema)| (name.clone(), self.convert(schema, direction)))
            .collect();
        json!({
            "definitions": definitions,
            "allOf": [{"$ref": definition_ref(key)}],
        })
    }

    /// One OpenAPI 3.0 schema object -> JSON Schema draft 4, for `direction`. Component
    /// references become references into `#/definitions` (as laid out by
    /// [`OpenApiDoc::json_schema`]).
    ///
    /// # Panics
    ///
    /// On a keyword or `format` the conversion does not know, and on a `$ref` that is not a
    /// component reference.
    pub fn convert(&self, schema: &Value, direction: Direction) -> Value {
        let Value::Object(map) = schema else {
            panic!("schema is not an object: {schema}")
        };
        // Siblings of `$ref` are ignored in OpenAPI 3.0 as in draft 4 (the specs have none).
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .expect("component $ref");
            return json!({"$ref": definition_ref(name)});
        }
        let mut out = Map::new();
        // Constraints added by the conversion; ANDed with the schema through `allOf`.
        let mut extra: Vec<Value> = Vec::new();
        // An integer without a format is an `i64` in the generated types, so its range is int64's.
        if map.get("type") == Some(&json!("integer")) && !map.contains_key("format") {
            extra.push(json!({"minimum": i64::MIN, "maximum": i64::MAX}));
        }
        for (key, value) in map {
            match key.as_str() {
                // Annotations and OpenAPI-only keywords. `nullable` is handled below,
                // `discriminator` with `oneOf`, `readOnly`/`writeOnly` with `required`.
                "description" | "title" | "example" | "default" | "readOnly" | "writeOnly" | "xml"
                | "externalDocs" | "deprecated" | "nullable" | "discriminator" => {}
                k if k.starts_with("x-") => {}
                // Same meaning in draft 4 (including the boolean exclusive bounds).
                "type" | "enum" | "minLength" | "maxLength" | "pattern" | "minimum" | "maximum"
                | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" | "minItems" | "maxItems"
                | "uniqueItems" | "minProperties" | "maxProperties" => {
                    out.insert(key.clone(), value.clone());
                }
                "format" => match value.as_str().expect("format is a string") {
                    // Checked by jsonschema's own format implementations.
                    format @ ("date-time" | "date" | "email" | "uri" | "ipv4" | "ipv6") => {
                        out.insert(key.clone(), json!(format));
                    }
                    // Not draft 4 formats: expressed with keywords instead.
                    "uuid" => extra.push(json!({
                        "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
                    })),
                    "byte" => extra.push(json!({
                        "pattern": "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
                    })),
                    "int32" => extra.push(json!({"minimum": i32::MIN, "maximum": i32::MAX})),
                    "int64" => extra.push(json!({"minimum": i64::MIN, "maximum": i64::MAX})),
                    other => panic!("format `{other}` is not handled by the conversion"),
                },
                "properties" => {
                    let properties: Map<String, Value> = value
                        .as_object()
                        .expect("properties")
                        .iter()
                        .map(|(name, property)| (name.clone(), self.convert(property, direction)))
                        .collect();
                    out.insert(key.clone(), Value::Object(properties));
                }
                "items" | "not" => {
                    out.insert(key.clone(), self.convert(value, direction));
                }
                "additionalProperties" => {
                    let converted = match value {
                        Value::Bool(_) => value.clone(),
                        _ => self.convert(value, direction),
                    };
                    out.insert(key.clone(), converted);
                }
                "allOf" | "anyOf" | "oneOf" => {
                    let branches = value.as_array().expect("a list of schemas");
                    let tags = self.branch_tags(schema).filter(|_| key != "allOf");
                    let converted = branches
                        .iter()
                        .enumerate()
                        .map(|(index, branch)| {
                            let branch = self.convert(branch, direction);
                            match &tags {
                                // The discriminator, as JSON Schema: each branch also requires
                                // the property to hold one of its own tags. Plain `oneOf` would
                                // reject a document matching several branches (a Cat that also
                                // has `good: true` matches Dog) and accept one whose tag names
                                // the other branch; the discriminator selects by the tag alone.
                                Some((property, tags)) => json!({"allOf": [
                                    branch,
                                    {"type": "object", "required": [property], "properties": {property: {"enum": tags[index]}}},
                                ]}),
                                None => branch,
                            }
                        })
                        .collect();
                    out.insert(key.clone(), Value::Array(converted));
                }
                "required" => {
                    // `required` on a readOnly property applies to responses only, on a
                    // writeOnly property to requests only (OpenAPI 3.0.3, "readOnly").
                    let properties = map.get("properties");
                    let required: Vec<Value> = value
                        .as_array()
                        .expect("required")
                        .iter()
                        .filter(|name| {
                            let property = properties.and_then(|p| p.get(name.as_str().expect("name")));
                            let property = property.map(|p| self.resolve_flags(p));
                            let (read_only, write_only) = property.unwrap_or((false, false));
                            match direction {
                                Direction::Request => !read_only,
                                Direction::Response => !write_only,
                            }
                        })
                        .cloned()
                        .collect();
                    // Draft 4 does not allow an empty `required`.
                    if !required.is_empty() {
                        out.insert(key.clone(), Value::Array(required));
                    }
                }
                other => panic!("keyword `{other}` is not handled by the conversion"),
            }
        }
        if !extra.is_empty() {
            let mut all_of = out
                .remove("allOf")
                .and_then(|v| v.as_array().cloned())
                .unwrap_or_default();
            all_of.extend(extra);
            out.insert("allOf".into(), Value::Array(all_of));
        }
        let converted = Value::Object(out);
        if flag(schema, "nullable") {
            // `nullable: true` admits null whatever the other keywords say (type, enum, ...).
            json!({"anyOf": [{"type": "null"}, converted]})
        } else {
            converted
        }
    }

    /// readOnly / writeOnly of a property schema, or of the component it references.
    fn resolve_flags(&self, property: &Value) -> (bool, bool) {
        let flags = |schema: &Value| (flag(schema, "readOnly"), flag(schema, "writeOnly"));
        match property.get("$ref").and_then(Value::as_str) {
            Some(reference) => flags(self.component(reference)),
            None => flags(property),
        }
    }
}

/// Whether boolean keyword `key` of `schema` is present and `true`.
pub fn flag(schema: &Value, key: &str) -> bool {
    schema.get(key) == Some(&Value::Bool(true))
}

/// The JSON pointer reference of a converted component.
fn definition_ref(name: &str) -> String {
    format!(
        "#/definitions/{}",
        name.replace('~', "~0").replace('/', "~1")
    )
}

/// The `jsonschema` validator of a converted schema (from [`OpenApiDoc::json_schema`]): draft 4,
/// with format validation on. Build it once and reuse it; building compiles the schema.
///
/// # Panics
///
/// If `jsonschema` rejects the schema, including a `format` it does not implement (unknown
/// formats are not ignored, so none is skipped silently).
pub fn judge(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        // Every format left in the converted schema must be one jsonschema implements.
        .should_ignore_unknown_formats(false)
        .build(schema)
        .unwrap_or_else(|err| panic!("jsonschema rejects the converted schema: {err}\n{schema:#}"))
}
