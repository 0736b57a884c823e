//! Callbacks of OpenAPI 3.0 documents: read by the typed model, not generated, and reported so
//! that nothing is dropped silently (the 3.1 converter reports its own as it walks them).

use crate::error::{child_pointer, Diagnostic};
use serde_json::Value;

/// Why a callback has no generated code.
pub(crate) const NOT_GENERATED: &str = "callbacks are not generated: they describe requests the API sends (to a \
    URL it was given), which the generated server and client do not cover; the generated crates cover `paths` only";

/// One warning per callback of an operation under `paths` and per `components.callbacks` entry.
pub(crate) fn warnings(doc: &Value) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut report = |callbacks: Option<&Value>, pointer: &str| {
        for name in callbacks.and_then(Value::as_object).into_iter().flat_map(|map| map.keys()) {
            warnings.push(Diagnostic::unsupported(&child_pointer(pointer, name), NOT_GENERATED));
        }
    };
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let item_at = child_pointer("#/paths", path);
        for (method, operation) in item.as_object().into_iter().flatten() {
            if super::oas31::METHODS.contains(&method.as_str()) {
                let at = child_pointer(&child_pointer(&item_at, method), "callbacks");
                report(operation.get("callbacks"), &at);
            }
        }
    }
    report(doc.get("components").and_then(|components| components.get("callbacks")), "#/components/callbacks");
    warnings
}

#[cfg(test)]
mod tests {
    use super::{warnings, NOT_GENERATED};
    use crate::error::Location;
    use serde_json::json;

    #[test]
    fn each_callback_is_reported_at_its_pointer() {
        let doc = json!({
            "openapi": "3.0.3",
            "paths": {"/a/{b}": {"parameters": [], "post": {"callbacks": {"done": {}, "failed": {"$ref": "#/components/callbacks/F"}}}}},
            "components": {"callbacks": {"F": {}}}
        });
        let found: Vec<(Location, &str)> = warnings(&doc).into_iter().map(|w| (w.location, if w.message == NOT_GENERATED { "ok" } else { "other" })).collect();
        let at = |p: &str| Location::Pointer(p.to_string());
        assert_eq!(
            found,
            [
                (at("#/paths/~1a~1{b}/post/callbacks/done"), "ok"),
                (at("#/paths/~1a~1{b}/post/callbacks/failed"), "ok"),
                (at("#/components/callbacks/F"), "ok"),
            ]
        );
        assert!(warnings(&json!({"paths": 1, "components": {"callbacks": []}})).is_empty());
    }
}
