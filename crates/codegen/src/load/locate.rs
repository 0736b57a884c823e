//! Where a document that does not read into the typed model goes wrong, as precisely as the
//! raw tree allows. `serde_path_to_error` stops where openapiv3 deserializes by hand or through
//! flattened or tagged enums (`#/paths`, a whole schema, a whole parameter); from there the
//! failing path item, operation part, schema and finally keyword are found by reading the raw
//! pieces again. Only on the error path: a document that reads never comes here.

use crate::error::child_pointer;
use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
use serde::de::DeserializeOwned;
use serde_json::Value;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The most precise pointer under `pointer` (where path tracking stopped, in `raw`) at which
/// the document does not read.
pub(crate) fn refine(raw: &Value, pointer: String) -> String {
    let Some(value) = raw.pointer(pointer.trim_start_matches('#')) else { return pointer };
    let segments: Vec<&str> = pointer.split('/').collect();
    match segments.as_slice() {
        ["#", "paths"] => {
            let Some(paths) = value.as_object() else { return pointer };
            for (path, item) in paths.iter().filter(|(path, _)| path.starts_with('/')) {
                if !reads::<ReferenceOr<PathItem>>(item) {
                    return in_path_item(item, child_pointer(&pointer, path));
                }
            }
            pointer
        }
        ["#", "paths", _] => in_path_item(value, pointer),
        ["#", "paths", _, method] if METHODS.contains(method) => in_operation(value, pointer),
        ["#", "components", "schemas", _] => in_schema(value, pointer),
        ["#", "components", "parameters", _] => in_parameter(value, pointer),
        ["#", "components", "responses" | "requestBodies", _] => in_content(value, pointer),
        _ => pointer,
    }
}

/// A path item that does not read: its parameters, then each operation.
fn in_path_item(item: &Value, pointer: String) -> String {
    if let Some(found) = in_parameters(item, &pointer) {
        return found;
    }
    for method in METHODS {
        if let Some(operation) = item.get(method) {
            if !reads::<Operation>(operation) {
                return in_operation(operation, child_pointer(&pointer, method));
            }
        }
    }
    culprit_key::<ReferenceOr<PathItem>>(item, pointer)
}

/// An operation that does not read: its parameters, request body, then each response.
fn in_operation(operation: &Value, pointer: String) -> String {
    if let Some(found) = in_parameters(operation, &pointer) {
        return found;
    }
    if let Some(body) = operation.get("requestBody") {
        if !reads::<ReferenceOr<RequestBody>>(body) {
            return in_content(body, child_pointer(&pointer, "requestBody"));
        }
    }
    if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
        let at = child_pointer(&pointer, "responses");
        // openapiv3 reads status codes and `default` only (extensions are skipped).
        let is_status = |key: &str| {
            key == "default" || (key.len() == 3 && key.bytes().all(|b| b.is_ascii_digit() || b == b'X' || b == b'x'))
        };
        for (status, response) in responses.iter().filter(|(status, _)| is_status(status)) {
            if !reads::<ReferenceOr<Response>>(response) {
                return in_content(response, child_pointer(&at, status));
            }
        }
    }
    culprit_key::<Operation>(operation, pointer)
}

/// The first parameter of a path item or operation that does not read.
fn in_parameters(holder: &Value, pointer: &str) -> Option<String> {
    let parameters = holder.get("parameters").and_then(Value::as_array)?;
    let at = child_pointer(pointer, "parameters");
    parameters
        .iter()
        .enumerate()
        .find(|(_, parameter)| !reads::<ReferenceOr<Parameter>>(parameter))
        .map(|(index, parameter)| in_parameter(parameter, child_pointer(&at, &index.to_string())))
}

/// A request body or response that does not read: the schema of one of its media types or
/// headers, else the keyword.
fn in_content(value: &Value, pointer: String) -> String {
    for part in ["content", "headers"] {
        let Some(entries) = value.get(part).and_then(Value::as_object) else { continue };
        let at = child_pointer(&pointer, part);
        for (name, entry) in entries {
            if let Some(schema) = entry.get("schema") {
                if !reads::<ReferenceOr<Schema>>(schema) {
                    return in_schema(schema, child_pointer(&child_pointer(&at, name), "schema"));
                }
            }
        }
    }
    if value.get("description").is_some() {
        culprit_key::<ReferenceOr<Response>>(value, pointer)
    } else {
        culprit_key::<ReferenceOr<RequestBody>>(value, pointer)
    }
}

/// A parameter that does not read: its schema, else the keyword without which it would.
fn in_parameter(value: &Value, pointer: String) -> String {
    if let Some(schema) = value.get("schema") {
        if !reads::<ReferenceOr<Schema>>(schema) {
            return in_schema(schema, child_pointer(&pointer, "schema"));
        }
    }
    // `in` is the tag that picks the kind of parameter: an unknown one reads as nothing.
    if let Some(location) = value.get("in") {
        if !matches!(location.as_str(), Some("query" | "header" | "path" | "cookie")) {
            return child_pointer(&pointer, "in");
        }
    }
    culprit_key::<ReferenceOr<Parameter>>(value, pointer)
}

/// A schema that does not read: the first child schema that does not, else the keyword.
fn in_schema(value: &Value, pointer: String) -> String {
    let Some(object) = value.as_object() else { return pointer };
    for (keyword, child) in object {
        let at = child_pointer(&pointer, keyword);
        let children: Vec<(String, &Value)> = match (keyword.as_str(), child) {
            ("items" | "not" | "additionalProperties", Value::Object(_)) => vec![(at, child)],
            ("properties", Value::Object(properties)) => {
                properties.iter().map(|(name, schema)| (child_pointer(&at, name), schema)).collect()
            }
            ("allOf" | "oneOf" | "anyOf", Value::Array(schemas)) => {
                schemas.iter().enumerate().map(|(index, schema)| (child_pointer(&at, &index.to_string()), schema)).collect()
            }
            _ => Vec::new(),
        };
        for (at, child) in children {
            if !reads::<ReferenceOr<Schema>>(child) {
                return in_schema(child, at);
            }
        }
    }
    culprit_key::<ReferenceOr<Schema>>(value, pointer)
}

/// The key of an object without which it would read as `T`, if one alone does it.
fn culprit_key<T: DeserializeOwned>(value: &Value, pointer: String) -> String {
    let Some(object) = value.as_object().filter(|_| !reads::<T>(value)) else { return pointer };
    for key in object.keys() {
        let mut without = object.clone();
        without.remove(key);
        if reads::<T>(&Value::Object(without)) {
            return child_pointer(&pointer, key);
        }
    }
    pointer
}

fn reads<T: DeserializeOwned>(value: &Value) -> bool {
    T::deserialize(value).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, "components": {"schemas": schemas}})
    }

    #[test]
    fn an_unknown_parameter_location_is_found() {
        let raw = doc(
            json!({"/a": {"get": {"parameters": [{"name": "ok", "in": "query", "schema": {"type": "string"}}, {"name": "x", "in": "querry", "schema": {"type": "string"}}], "responses": {}}}}),
            json!({}),
        );
        assert_eq!(refine(&raw, "#/paths".into()), "#/paths/~1a/get/parameters/1/in");
    }

    #[test]
    fn a_bad_keyword_deep_in_a_schema_is_found() {
        let raw = doc(
            json!({"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"n": {"type": "string", "maxLength": -5}}}}}}}}}}),
            json!({"S": {"type": "object", "properties": {"a": {"type": "array", "items": {"type": "integer", "minimum": "low"}}}}}),
        );
        assert_eq!(
            refine(&raw, "#/paths".into()),
            "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/n/maxLength"
        );
        assert_eq!(refine(&raw, "#/components/schemas/S".into()), "#/components/schemas/S/properties/a/items/minimum");
    }

    #[test]
    fn a_document_that_reads_is_left_where_it_was() {
        let raw = doc(json!({}), json!({"S": {"type": "string"}}));
        assert_eq!(refine(&raw, "#/components/schemas/S".into()), "#/components/schemas/S");
    }
}
