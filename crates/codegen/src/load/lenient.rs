//! Lenient reading of common defects of OpenAPI 3.0 documents, each reported as a warning.
//!
//! A numeric `exclusiveMinimum`/`exclusiveMaximum` (`exclusiveMinimum: 0`) is the OpenAPI 3.1
//! (JSON Schema 2019+) spelling; OpenAPI 3.0 wants a boolean next to `minimum`/`maximum`, and the
//! 3.0 model refuses the whole document over it. Many 3.0 documents (generated ones especially)
//! use it anyway, and its meaning is clear, so it is read the way the 3.1 converter reads it:
//! `minimum: N` plus `exclusiveMinimum: true`, the stricter bound kept when both are given.
//!
//! Only schema keywords are rewritten: the walk skips values that are data (`example`,
//! `examples`, `default`, `enum`, `const`) and extensions (`x-*`), and treats the keys of maps of
//! names (`properties`, `responses`, `content`, ...) as names, so a property called `default`
//! is still a schema and an example that happens to contain `exclusiveMinimum: 5` is left alone.

use super::oas31::{map_bound, BoundRead};
use crate::error::{child_pointer, Diagnostic, Place};
use serde_json::Value;

/// Keys whose values are data, not schemas or other document objects.
const DATA_KEYWORDS: &[&str] = &["example", "examples", "default", "enum", "const"];

/// Keys whose values (when they are mappings) are keyed by names the user chose, not keywords.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "paths",
    "schemas",
    "responses",
    "parameters",
    "headers",
    "content",
    "encoding",
    "requestBodies",
    "securitySchemes",
    "links",
    "callbacks",
];

/// Rewrites numeric exclusive bounds of an OpenAPI 3.0 document in place; one warning each.
pub(super) fn exclusive_bounds(doc: &mut Value) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    walk(doc, false, &Place::Root, &mut warnings);
    warnings
}

/// Walks a value; `names` says that the keys of a mapping here are names.
fn walk(value: &mut Value, names: bool, place: &Place<'_>, warnings: &mut Vec<Diagnostic>) {
    match value {
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                if is_container(item) {
                    walk(item, false, &Place::Index(place, index), warnings);
                }
            }
        }
        Value::Object(object) if names => {
            for (name, item) in object.iter_mut() {
                if is_container(item) {
                    walk(item, false, &Place::Key(place, name), warnings);
                }
            }
        }
        Value::Object(object) => {
            // A look at the few keys costs less than hashing the two names for every object.
            if object.keys().any(|key| key.starts_with("exclusiveM")) {
                bound(object, "exclusiveMinimum", "minimum", |limit, bound| limit >= bound, place, warnings);
                bound(object, "exclusiveMaximum", "maximum", |limit, bound| limit <= bound, place, warnings);
            }
            for (key, item) in object.iter_mut() {
                if !is_container(item) || DATA_KEYWORDS.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                walk(item, NAME_MAPS.contains(&key.as_str()), &Place::Key(place, key), warnings);
            }
        }
        _ => {}
    }
}

/// Only containers can hold a schema keyword.
fn is_container(value: &Value) -> bool {
    value.is_object() || value.is_array()
}

fn bound(
    object: &mut serde_json::Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    tighter: fn(f64, f64) -> bool,
    place: &Place<'_>,
    warnings: &mut Vec<Diagnostic>,
) {
    let how = match map_bound(object, exclusive, inclusive, tighter) {
        BoundRead::Untouched => return,
        BoundRead::Exclusive => format!("read as `{inclusive}` with that value and `{exclusive}: true`"),
        BoundRead::ExclusiveOverInclusive => format!(
            "it is stricter than the `{inclusive}` next to it, so read as `{inclusive}` with that value and `{exclusive}: true`"
        ),
        BoundRead::InclusiveKept => format!("the `{inclusive}` next to it is stricter and is kept; `{exclusive}` ignored"),
    };
    let pointer = child_pointer(&place.pointer(), exclusive);
    let message =
        format!("a numeric `{exclusive}` is OpenAPI 3.1 syntax (OpenAPI 3.0 takes `true` or `false` next to `{inclusive}`); {how}");
    warnings.push(Diagnostic::invalid(&pointer, message));
}

#[cfg(test)]
mod tests {
    use super::exclusive_bounds;
    use crate::error::{Diagnostic, Location};
    use serde_json::{json, Value};

    fn pointers(warnings: &[Diagnostic]) -> Vec<String> {
        warnings
            .iter()
            .map(|w| match &w.location {
                Location::Pointer(pointer) => pointer.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn numeric_bounds_become_the_boolean_form() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10.5},
            "B": {"type": "integer", "minimum": 5, "exclusiveMinimum": 1},
            "C": {"type": "integer", "minimum": 1, "exclusiveMinimum": 5},
            "D": {"type": "integer", "minimum": 1, "exclusiveMinimum": true},
        }}});
        let warnings = exclusive_bounds(&mut doc);
        assert_eq!(
            doc["components"]["schemas"],
            json!({
                "A": {"type": "integer", "exclusiveMinimum": true, "exclusiveMaximum": true, "minimum": 0, "maximum": 10.5},
                "B": {"type": "integer", "minimum": 5},
                "C": {"type": "integer", "minimum": 5, "exclusiveMinimum": true},
                "D": {"type": "integer", "minimum": 1, "exclusiveMinimum": true},
            })
        );
        assert_eq!(
            pointers(&warnings),
            [
                "#/components/schemas/A/exclusiveMinimum",
                "#/components/schemas/A/exclusiveMaximum",
                "#/components/schemas/B/exclusiveMinimum",
                "#/components/schemas/C/exclusiveMinimum",
            ]
        );
        assert_eq!(
            warnings[0].message,
            "a numeric `exclusiveMinimum` is OpenAPI 3.1 syntax (OpenAPI 3.0 takes `true` or `false` next to `minimum`); \
             read as `minimum` with that value and `exclusiveMinimum: true`"
        );
        assert!(warnings[2].message.ends_with("the `minimum` next to it is stricter and is kept; `exclusiveMinimum` ignored"));
        assert!(warnings[3].message.contains("it is stricter than the `minimum` next to it"));
    }

    #[test]
    fn data_and_extensions_are_left_alone_but_names_are_not_keywords() {
        let data = json!({"exclusiveMinimum": 5, "nested": [{"exclusiveMaximum": 1}]});
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {"default": {"content": {"application/json": {
            "schema": {
                "type": "object",
                "example": data,
                "default": data,
                "enum": [data],
                "x-limits": data,
                "properties": {
                    "example": {"type": "integer", "exclusiveMinimum": 0},
                    "x-count": {"type": "integer", "exclusiveMaximum": 9},
                },
            },
            "examples": {"one": {"value": data}},
        }}}}}}}});
        let before = doc.clone();
        let warnings = exclusive_bounds(&mut doc);
        let schema = "#/paths/~1a/get/responses/default/content/application~1json/schema";
        assert_eq!(
            pointers(&warnings),
            [
                format!("{schema}/properties/example/exclusiveMinimum"),
                format!("{schema}/properties/x-count/exclusiveMaximum"),
            ]
        );
        let untouched = |doc: &Value, key: &str| doc.pointer(&format!("/paths/~1a/get/responses/default/content/application~1json/schema/{key}")).cloned();
        for key in ["example", "default", "enum", "x-limits"] {
            assert_eq!(untouched(&doc, key), untouched(&before, key), "{key}");
        }
        let examples = "/paths/~1a/get/responses/default/content/application~1json/examples";
        assert_eq!(doc.pointer(examples), before.pointer(examples));
    }

    #[test]
    fn non_numeric_values_are_not_touched() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"exclusiveMinimum": "0"},
            "B": {"exclusiveMinimum": 1, "minimum": "x"},
        }}});
        let before = doc.clone();
        assert!(exclusive_bounds(&mut doc).is_empty());
        assert_eq!(doc, before);
    }
}
