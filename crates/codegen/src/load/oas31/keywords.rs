//! JSON Schema keywords with no OpenAPI 3.0 spelling: removed with a warning that says what the generated code loses, the schema made a JSON value where its shape is lost.

use super::*;

/// The keywords [`Converter::unmapped_keywords`] handles (each has its arm there).
const UNMAPPED_KEYWORDS: &[&str] = &[
    "prefixItems",
    "items",
    "if",
    "dependentSchemas",
    "patternProperties",
    "$dynamicRef",
    "propertyNames",
    "dependentRequired",
    "contains",
    "$id",
    "$schema",
];

impl Converter {
    /// Takes out the keywords that have no 3.0 spelling, each with a warning at its pointer. A
    /// keyword that changes the shape of the value makes the schema a JSON value; one that only
    /// constrains it is not checked. `$id` and `$schema` are read as the document and the default
    /// dialect.
    pub(super) fn unmapped_keywords(&mut self, schema: &mut Object, conv: &str) -> Lost {
        let mut lost = Lost::default();
        let mut shapes: Vec<&'static str> = Vec::new();
        // Most schemas have none of them: nothing is copied or looked up for the others.
        let keys: Vec<String> = schema.keys().filter(|key| UNMAPPED_KEYWORDS.contains(&key.as_str())).cloned().collect();
        for key in keys {
            let Some(value) = schema.get(&key) else { continue };
            let is_list = value.is_array();
            let text = value.as_str().map(str::to_string);
            let message = match key.as_str() {
                "prefixItems" => {
                    shapes.push("`prefixItems`");
                    let rest = take_rest_of_items(schema, &["items", "unevaluatedItems"]);
                    format!(
                        "`prefixItems` (tuple items) has no OpenAPI 3.0 equivalent: the array is read as a JSON value \
                         (`serde_json::Value`) and the items at those positions are not checked{rest}"
                    )
                }
                "items" if is_list => {
                    shapes.push("`items` as a list");
                    let rest = take_rest_of_items(schema, &["additionalItems", "unevaluatedItems"]);
                    format!(
                        "`items` as a list of schemas (tuple items) has no OpenAPI 3.0 equivalent: the array is read \
                         as a JSON value (`serde_json::Value`) and the items at those positions are not checked{rest}"
                    )
                }
                "if" => {
                    shapes.push("`if`/`then`/`else`");
                    lost = Lost { properties: true, items: true };
                    for partner in ["then", "else"] {
                        schema.shift_remove(partner);
                    }
                    "`if`/`then`/`else` has no OpenAPI 3.0 equivalent: the value is read as a JSON value \
                     (`serde_json::Value`) and the conditions are not checked"
                        .to_string()
                }
                "dependentSchemas" => {
                    shapes.push("`dependentSchemas`");
                    lost = Lost { properties: true, items: true };
                    "`dependentSchemas` has no OpenAPI 3.0 equivalent: the object is read as a JSON value \
                     (`serde_json::Value`) and the dependent schemas are not checked"
                        .to_string()
                }
                "patternProperties" => {
                    shapes.push("`patternProperties`");
                    lost.properties = true;
                    let closed = schema.get("additionalProperties").is_some_and(|extra| !admits_anything(extra));
                    if schema.contains_key("additionalProperties") {
                        // `additionalProperties` evaluates every property: `unevaluatedProperties` adds nothing.
                        schema.shift_remove("unevaluatedProperties");
                    }
                    let rest = if closed {
                        schema.shift_remove("additionalProperties");
                        "; nor is `additionalProperties`, which applies only to the properties that no pattern matches"
                    } else {
                        ""
                    };
                    format!(
                        "`patternProperties` has no OpenAPI 3.0 equivalent: the object is read as a JSON value \
                         (`serde_json::Value`) and the properties matching the patterns are not checked{rest}"
                    )
                }
                "$dynamicRef" => {
                    shapes.push("`$dynamicRef`");
                    lost = Lost { properties: true, items: true };
                    "`$dynamicRef` has no OpenAPI 3.0 equivalent: the value is read as a JSON value \
                     (`serde_json::Value`) and not checked against the schema it refers to"
                        .to_string()
                }
                "propertyNames" => "`propertyNames` has no OpenAPI 3.0 equivalent: property names are not checked".to_string(),
                "dependentRequired" => {
                    "`dependentRequired` has no OpenAPI 3.0 equivalent: the properties it requires are not checked".to_string()
                }
                "contains" => {
                    lost.items = true;
                    for partner in ["minContains", "maxContains"] {
                        schema.shift_remove(partner);
                    }
                    "`contains` (with `minContains`/`maxContains`) has no OpenAPI 3.0 equivalent: not checked".to_string()
                }
                "$id" if has_local_ref(schema) => {
                    let id = text.map(|id| format!(" `{id}`")).unwrap_or_default();
                    format!(
                        "`$id`{id} is ignored: the `$ref`s in this schema are read against this document, the base \
                         URI of every schema here"
                    )
                }
                "$schema" => match text.filter(|uri| !is_default_dialect(uri)) {
                    Some(uri) => format!(
                        "`$schema` `{uri}` is ignored: the schema is read with the default OpenAPI 3.1 dialect \
                         ({OAS_DIALECT_PREFIX}base), the only one that maps to OpenAPI 3.0"
                    ),
                    None => continue,
                },
                _ => continue,
            };
            schema.shift_remove(&key);
            self.warnings.push(Diagnostic::unsupported(&self.at(conv, &key), message));
        }
        if !shapes.is_empty() {
            let reason = format!("{} (OpenAPI 3.1) has no OpenAPI 3.0 equivalent", shapes.join(", "));
            schema.entry(JSON_VALUE_EXTENSION).or_insert(Value::String(reason));
        }
        lost
    }

    /// `unevaluatedProperties` is `additionalProperties` where only the schema's own `properties`
    /// evaluate anything, and moves into the branches of a `oneOf` that can be closed exactly;
    /// elsewhere it is not checked, with a warning.
    pub(super) fn map_unevaluated_properties(&mut self, schema: &mut Object, conv: &str, lost: Lost) {
        let Some(value) = schema.get("unevaluatedProperties") else { return };
        // Every property is evaluated by `additionalProperties`, and `true`/`{}` admit anything.
        if admits_anything(value) || schema.contains_key("additionalProperties") {
            schema.shift_remove("unevaluatedProperties");
            return;
        }
        let orig = self.at(conv, "unevaluatedProperties");
        let applicators: Vec<&str> =
            ["allOf", "oneOf", "anyOf"].into_iter().filter(|keyword| schema.contains_key(*keyword)).collect();
        if applicators.is_empty() && !lost.properties {
            // Without applicators only this schema's own `properties` evaluate anything.
            if let Some(value) = schema.shift_remove("unevaluatedProperties") {
                schema.insert("additionalProperties".into(), value);
                self.derived(child_pointer(conv, "additionalProperties"), orig);
            }
            return;
        }
        let closable = applicators == ["oneOf"]
            && !lost.properties
            && *value == Value::Bool(false)
            && !schema.contains_key("properties")
            && schema.get("oneOf").and_then(Value::as_array).is_some_and(|branches| closable_branches(branches));
        if !closable {
            let message = if *value == Value::Bool(false) {
                "`unevaluatedProperties: false` beside subschemas (`allOf`, `oneOf`, `anyOf`, `$ref`, ...) has no \
                 OpenAPI 3.0 equivalent: it is not checked, so properties that no subschema declares are accepted \
                 (close each object schema with `additionalProperties: false` to reject them)"
            } else {
                "`unevaluatedProperties` beside subschemas (`allOf`, `oneOf`, `anyOf`, `$ref`, ...) has no OpenAPI \
                 3.0 equivalent: it is not checked, and the generated type does not keep the properties it \
                 describes either"
            };
            schema.shift_remove("unevaluatedProperties");
            self.warnings.push(Diagnostic::unsupported(&orig, message));
            return;
        }
        schema.shift_remove("unevaluatedProperties");
        let Some(Value::Array(branches)) = schema.get_mut("oneOf") else { return };
        for (index, branch) in branches.iter_mut().enumerate() {
            let Some(branch) = branch.as_object_mut() else { continue };
            if branch.contains_key("additionalProperties") {
                continue;
            }
            branch.insert("additionalProperties".into(), Value::Bool(false));
            let at = child_pointer(&child_pointer(&child_pointer(conv, "oneOf"), &index.to_string()), "additionalProperties");
            self.derived(at, orig.clone());
        }
    }

    /// `unevaluatedItems` is `items` where nothing else evaluates items; elsewhere it is not
    /// checked, with a warning.
    pub(super) fn map_unevaluated_items(&mut self, schema: &mut Object, conv: &str, lost: Lost) {
        let Some(value) = schema.get("unevaluatedItems") else { return };
        if admits_anything(value) || schema.contains_key("items") {
            schema.shift_remove("unevaluatedItems");
            return;
        }
        let orig = self.at(conv, "unevaluatedItems");
        let Some(value) = schema.shift_remove("unevaluatedItems") else { return };
        if lost.items || ["allOf", "oneOf", "anyOf"].iter().any(|keyword| schema.contains_key(*keyword)) {
            self.warnings.push(Diagnostic::unsupported(
                &orig,
                "`unevaluatedItems` beside subschemas (`allOf`, `oneOf`, `anyOf`, `$ref`, `contains`, ...) has no \
                 OpenAPI 3.0 equivalent: the items that no subschema describes are not checked",
            ));
            return;
        }
        schema.insert("items".into(), value);
        self.derived(child_pointer(conv, "items"), orig);
    }
}

/// Takes out the keywords that describe the items after a tuple prefix (which would otherwise
/// apply to every item), and says so for the warning.
pub(super) fn take_rest_of_items(schema: &mut Object, keywords: &[&str]) -> String {
    let taken: Vec<String> =
        keywords.iter().filter(|keyword| schema.shift_remove(**keyword).is_some()).map(|keyword| format!("`{keyword}`")).collect();
    match taken.as_slice() {
        [] => String::new(),
        [one] => format!("; nor is {one}, which describes only the items after them"),
        _ => format!("; nor are {}, which describe only the items after them", taken.join(" and ")),
    }
}

/// Whether a `$ref` inside the value (at any depth) is a fragment of the current resource.
pub(super) fn has_local_ref(schema: &Object) -> bool {
    schema.iter().any(|(key, value)| match value {
        Value::String(text) => key == "$ref" && text.starts_with('#'),
        Value::Object(inner) => has_local_ref(inner),
        Value::Array(items) => items.iter().any(|item| item.as_object().is_some_and(has_local_ref)),
        _ => false,
    })
}

pub(super) fn admits_anything(value: &Value) -> bool {
    *value == Value::Bool(true) || value.as_object().is_some_and(Map::is_empty)
}

/// Whether `additionalProperties: false` can move from a `oneOf` into its branches without
/// changing which values are valid: it can when the branches are plain inline objects and each
/// requires a property every other branch does not declare, so that no value fits two closed
/// branches (where 3.1 would reject it for matching two open ones).
pub(super) fn closable_branches(branches: &[Value]) -> bool {
    let mut shapes: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
    for branch in branches {
        let Some(fields) = branch.as_object() else { return false };
        let composed = ["$ref", "allOf", "oneOf", "anyOf", "unevaluatedProperties", "patternProperties"]
            .iter()
            .any(|keyword| fields.contains_key(*keyword));
        let object_typed = fields.get("type").is_none_or(|ty| ty == "object");
        let open = fields.get("additionalProperties").is_some_and(|extra| *extra != Value::Bool(false));
        if composed || !object_typed || open {
            return false;
        }
        let declared = fields.get("properties").and_then(Value::as_object).map(|p| p.keys().map(String::as_str).collect());
        let required = fields.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect());
        shapes.push((declared.unwrap_or_default(), required.unwrap_or_default()));
    }
    shapes.iter().enumerate().all(|(index, (_, required))| {
        shapes.iter().enumerate().all(|(other, (declared, _))| {
            other == index || required.iter().any(|name| !declared.contains(name))
        })
    })
}
