//! Schemas: Swagger 2.0's JSON Schema dialect (plus the `x-nullable` extension and the
//! JSON-Schema-style `type` lists real specs use) to OpenAPI 3.0's.

use super::{local_reference, rewrite_reference, Converter, Place};
use crate::error::{child_pointer, Diagnostic};
use serde_json::{Map, Value};

const STRING_KEYWORDS: &[&str] = &["format", "pattern", "minLength", "maxLength"];
const NUMBER_KEYWORDS: &[&str] = &["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
const ARRAY_KEYWORDS: &[&str] = &["items", "minItems", "maxItems", "uniqueItems"];
const OBJECT_KEYWORDS: &[&str] =
    &["properties", "required", "additionalProperties", "minProperties", "maxProperties", "discriminator"];

/// Siblings of a `$ref` that are kept: 3.0 ignores them next to a reference, but they document
/// the use site, and inside an `allOf` wrapper they apply.
const REFERENCE_ANNOTATIONS: &[&str] = &["description", "title", "readOnly"];

/// The keywords that only constrain values of one JSON type, so that a `type` list can be split
/// into one `oneOf` branch per type.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" | "file" => STRING_KEYWORDS,
        "number" | "integer" => NUMBER_KEYWORDS,
        "array" => ARRAY_KEYWORDS,
        "object" => OBJECT_KEYWORDS,
        _ => &[],
    }
}

fn is_typed_keyword(key: &str) -> bool {
    key == "enum" || [STRING_KEYWORDS, NUMBER_KEYWORDS, ARRAY_KEYWORDS, OBJECT_KEYWORDS].iter().any(|list| list.contains(&key))
}

/// Whether an enum value can be a value of the JSON type `ty`.
fn value_has_type(value: &Value, ty: &str) -> bool {
    match ty {
        "string" | "file" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

impl Converter<'_> {
    /// Converts one schema and everything nested in it.
    pub(super) fn schema(&mut self, value: &Value, place: &Place) -> Result<Value, Diagnostic> {
        let Value::Object(schema) = value else { return Ok(value.clone()) };
        if let Some(reference) = schema.get("$ref") {
            return self.schema_reference(schema, reference, place);
        }
        match schema.get("type") {
            Some(Value::Array(types)) => self.type_list(schema, types, place),
            _ => self.schema_object(schema, place).map(Value::Object),
        }
    }

    fn schema_object(&mut self, schema: &Map<String, Value>, place: &Place) -> Result<Map<String, Value>, Diagnostic> {
        let is_file = schema.get("type").and_then(Value::as_str) == Some("file");
        let mut out = Map::new();
        for (key, value) in schema {
            let at = place.child(key);
            match key.as_str() {
                "type" => convert_type(value, &mut out),
                // `type: file` decides the format.
                "format" if is_file => {}
                "x-nullable" => self.x_nullable(value, &at.old, &mut out),
                "discriminator" => {
                    out.insert(key.clone(), discriminator(value, &at.old)?);
                }
                "properties" => {
                    out.insert(key.clone(), self.schema_map(value, &at)?);
                }
                "items" => {
                    out.insert(key.clone(), self.items(value, &at)?);
                }
                "additionalProperties" | "not" => {
                    out.insert(key.clone(), self.schema(value, &at)?);
                }
                "allOf" | "anyOf" | "oneOf" => {
                    out.insert(key.clone(), self.schema_list(value, &at)?);
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        Ok(out)
    }

    /// `$ref` with the 2.0 prefix rewritten. `x-nullable: true` next to it (go-swagger's way to
    /// say "this reference or null") becomes `allOf: [$ref]` with `nullable`, because 3.0
    /// ignores siblings of `$ref`.
    fn schema_reference(&mut self, schema: &Map<String, Value>, reference: &Value, place: &Place) -> Result<Value, Diagnostic> {
        let text = local_reference(reference, &child_pointer(&place.old, "$ref"))?;
        let mut out = Map::new();
        out.insert("$ref".into(), Value::String(rewrite_reference(text)));
        let mut annotations = Map::new();
        for (key, value) in schema {
            if REFERENCE_ANNOTATIONS.contains(&key.as_str()) || (key.starts_with("x-") && key != "x-nullable") {
                annotations.insert(key.clone(), value.clone());
            }
        }
        if let Some(flag) = schema.get("x-nullable").filter(|flag| !flag.is_boolean()) {
            self.x_nullable(flag, &child_pointer(&place.old, "x-nullable"), &mut annotations);
        }
        if schema.get("x-nullable") != Some(&Value::Bool(true)) {
            out.extend(annotations);
            return Ok(Value::Object(out));
        }
        self.record(&place.wrapped(&["allOf", "0"]));
        let mut wrapper = Map::new();
        wrapper.insert("allOf".into(), Value::Array(vec![Value::Object(out)]));
        wrapper.extend(annotations);
        wrapper.insert("nullable".into(), Value::Bool(true));
        Ok(Value::Object(wrapper))
    }

    /// `type: [T, "null"]` is `type: T` with `nullable`; several non-null types become a
    /// `oneOf` with one single-typed branch each, taking the keywords that apply to its type.
    fn type_list(&mut self, schema: &Map<String, Value>, types: &[Value], place: &Place) -> Result<Value, Diagnostic> {
        let type_at = child_pointer(&place.old, "type");
        let mut names: Vec<&str> = Vec::new();
        let mut nullable = false;
        for (index, ty) in types.iter().enumerate() {
            match ty.as_str() {
                Some("null") => nullable = true,
                Some(name) if !names.contains(&name) => names.push(name),
                Some(_) => {}
                None => {
                    return Err(Diagnostic::invalid(
                        &child_pointer(&type_at, &index.to_string()),
                        "a `type` list must hold type names such as \"string\" or \"null\"",
                    ))
                }
            }
        }
        if names.len() > 1 {
            return self.type_union(schema, &names, nullable, place);
        }
        let mut single = schema.clone();
        match names.first() {
            Some(name) => {
                single.insert("type".into(), Value::from(*name));
            }
            None => {
                single.remove("type");
            }
        }
        let mut out = self.schema_object(&single, place)?;
        if nullable {
            out.insert("nullable".into(), Value::Bool(true));
        }
        Ok(Value::Object(out))
    }

    /// Several types: a `oneOf` with one branch per type. Next to a `oneOf` of the schema's own,
    /// that `oneOf` becomes a new member of `allOf`, so the schema means (one of the types) and
    /// (one of its branches), as the type list did.
    fn type_union(&mut self, schema: &Map<String, Value>, names: &[&str], nullable: bool, place: &Place) -> Result<Value, Diagnostic> {
        let shared: Map<String, Value> =
            schema.iter().filter(|(key, _)| *key != "type" && !is_typed_keyword(key)).map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut out = self.schema_object(&shared, place)?;
        let beside_one_of = schema.contains_key("oneOf");
        let base = if beside_one_of {
            let members = match out.get("allOf") {
                None => 0,
                Some(Value::Array(members)) => members.len(),
                Some(_) => return Err(Diagnostic::invalid(&child_pointer(&place.old, "allOf"), "`allOf` must be a list of schemas")),
            };
            let base = place.wrapped(&["allOf", &members.to_string()]);
            self.record(&base);
            base
        } else {
            place.clone()
        };
        let mut branches = Vec::new();
        for (index, name) in names.iter().enumerate() {
            let branch_place = base.wrapped(&["oneOf", &index.to_string()]);
            self.record(&branch_place);
            branches.push(Value::Object(self.schema_object(&type_branch(schema, name), &branch_place)?));
        }
        if beside_one_of {
            let mut member = Map::new();
            member.insert("oneOf".into(), Value::Array(branches));
            if let Value::Array(members) = out.entry("allOf").or_insert_with(|| Value::Array(Vec::new())) {
                members.push(Value::Object(member));
            }
        } else {
            out.insert("oneOf".into(), Value::Array(branches));
        }
        if nullable {
            out.insert("nullable".into(), Value::Bool(true));
        }
        Ok(Value::Object(out))
    }

    fn x_nullable(&mut self, value: &Value, pointer: &str, out: &mut Map<String, Value>) {
        match value {
            Value::Bool(true) => {
                out.insert("nullable".into(), Value::Bool(true));
            }
            Value::Bool(false) => {}
            _ => self.warn(pointer, "`x-nullable` must be true or false; ignored"),
        }
    }

    fn schema_map(&mut self, value: &Value, place: &Place) -> Result<Value, Diagnostic> {
        let Value::Object(map) = value else { return Ok(value.clone()) };
        let mut out = Map::new();
        for (name, schema) in map {
            out.insert(name.clone(), self.schema(schema, &place.child(name))?);
        }
        Ok(Value::Object(out))
    }

    fn schema_list(&mut self, value: &Value, place: &Place) -> Result<Value, Diagnostic> {
        let Value::Array(list) = value else { return Ok(value.clone()) };
        let mut out = Vec::with_capacity(list.len());
        for (index, schema) in list.iter().enumerate() {
            out.push(self.schema(schema, &place.child(&index.to_string()))?);
        }
        Ok(Value::Array(out))
    }

    fn items(&mut self, value: &Value, place: &Place) -> Result<Value, Diagnostic> {
        match value {
            Value::Array(list) => self.tuple_items(list, place),
            _ => self.schema(value, place),
        }
    }

    /// `items` as a list (JSON Schema tuple validation, which 3.0 lacks) is read the way
    /// swagger2openapi reads it: items that match any of the schemas. `{type: "null"}` entries
    /// make the items nullable instead of being a branch of their own.
    fn tuple_items(&mut self, list: &[Value], place: &Place) -> Result<Value, Diagnostic> {
        self.warn(
            &place.old,
            "`items` is a list of schemas (tuple validation), which OpenAPI 3.0 lacks; read as items matching any of them, positions unchecked",
        );
        let mut nullable = false;
        let mut branches: Vec<(usize, &Value)> = Vec::new();
        for (index, branch) in list.iter().enumerate() {
            if is_null_schema(branch) {
                nullable = true;
            } else {
                branches.push((index, branch));
            }
        }
        let mut out = match branches.as_slice() {
            [] => Map::new(),
            [(index, branch)] => {
                let branch_place = Place { new: place.new.clone(), old: child_pointer(&place.old, &index.to_string()) };
                self.record(&branch_place);
                match self.schema(branch, &branch_place)? {
                    Value::Object(map) if nullable && map.contains_key("$ref") => {
                        self.record(&branch_place.wrapped(&["allOf", "0"]));
                        let mut wrapper = Map::new();
                        wrapper.insert("allOf".into(), Value::Array(vec![Value::Object(map)]));
                        wrapper
                    }
                    Value::Object(map) => map,
                    other => return Ok(other),
                }
            }
            _ => {
                let mut converted = Vec::with_capacity(branches.len());
                for (position, (index, branch)) in branches.iter().enumerate() {
                    let branch_place =
                        Place { new: place.wrapped(&["anyOf", &position.to_string()]).new, old: child_pointer(&place.old, &index.to_string()) };
                    self.record(&branch_place);
                    converted.push(self.schema(branch, &branch_place)?);
                }
                let mut map = Map::new();
                map.insert("anyOf".into(), Value::Array(converted));
                map
            }
        };
        if nullable {
            out.insert("nullable".into(), Value::Bool(true));
        }
        Ok(Value::Object(out))
    }
}

/// `{type: "null"}` (with nothing but annotations): the schema that allows only null.
fn is_null_schema(schema: &Value) -> bool {
    let Value::Object(map) = schema else { return false };
    map.get("type").and_then(Value::as_str) == Some("null")
        && map.keys().all(|key| matches!(key.as_str(), "type" | "title" | "description") || key.starts_with("x-"))
}

/// `type: file` (a form upload or a binary response) is a binary string in 3.0; `type: "null"`
/// alone allows only null, the closest 3.0 has being a nullable schema without a type.
fn convert_type(value: &Value, out: &mut Map<String, Value>) {
    match value.as_str() {
        Some("file") => {
            out.insert("type".into(), Value::from("string"));
            out.insert("format".into(), Value::from("binary"));
        }
        Some("null") => {
            out.insert("nullable".into(), Value::Bool(true));
        }
        _ => {
            out.insert("type".into(), value.clone());
        }
    }
}

/// The `oneOf` branch of a type list for one type: that type, its keywords, and the enum values
/// of that type.
fn type_branch(schema: &Map<String, Value>, name: &str) -> Map<String, Value> {
    let mut branch = Map::new();
    branch.insert("type".into(), Value::from(name));
    let keywords = keywords_of(name);
    for (key, value) in schema {
        if keywords.contains(&key.as_str()) {
            branch.insert(key.clone(), value.clone());
        }
    }
    if let Some(Value::Array(values)) = schema.get("enum") {
        let values: Vec<Value> = values.iter().filter(|value| value_has_type(value, name)).cloned().collect();
        if !values.is_empty() {
            branch.insert("enum".into(), Value::Array(values));
        }
    }
    branch
}

/// 2.0 names the discriminating property; 3.0 wraps the name in an object.
fn discriminator(value: &Value, pointer: &str) -> Result<Value, Diagnostic> {
    match value {
        Value::String(name) => Ok(serde_json::json!({ "propertyName": name })),
        // Already in the 3.0 form (some 2.0 documents are written that way).
        Value::Object(_) => Ok(value.clone()),
        _ => Err(Diagnostic::invalid(pointer, "`discriminator` must be the name of a property")),
    }
}
