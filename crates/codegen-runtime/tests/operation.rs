//! The run-time description of an operation: which documented response covers a status, and
//! the response checks built on it.

use codegen_runtime::operation::{check_body, Expected, Operation, Statuses};
use codegen_runtime::validation::{Direction, ValidationError, ValidationErrors};
use serde_json::Value;

/// `id` must be a positive integer; the whole value an object.
fn positive_id(value: &Value, direction: Direction) -> Result<(), ValidationErrors> {
    assert_eq!(direction, Direction::Response);
    let mut errors = Vec::new();
    match value.get("id").and_then(Value::as_i64) {
        Some(id) if id > 0 => {}
        _ => errors.push(ValidationError {
            path: "id".into(),
            pointer: "/id".into(),
            keyword: "minimum",
            message: "must be at least 1".into(),
        }),
    }
    if let Some(items) = value.get("items").and_then(Value::as_array) {
        for (index, item) in items.iter().enumerate() {
            if !item.is_string() {
                errors.push(ValidationError {
                    path: format!("items[{index}]"),
                    pointer: format!("/items/{index}"),
                    keyword: "type",
                    message: "must be a string".into(),
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errors))
    }
}

fn list(_: &Value, _: Direction) -> Result<(), ValidationErrors> {
    Err(ValidationErrors(vec![ValidationError {
        path: String::new(),
        pointer: String::new(),
        keyword: "type",
        message: "must be an object".into(),
    }]))
}

const OPERATION: Operation = Operation {
    id: "getThing",
    method: "GET",
    route: "/things/{id}",
    responses: &[
        Expected { status: Statuses::Default, check: Some(list) },
        Expected { status: Statuses::Range(4), check: None },
        Expected { status: Statuses::Code(200), check: Some(positive_id) },
        Expected { status: Statuses::Code(204), check: None },
    ],
};

const NO_DEFAULT: Operation = Operation {
    id: "putThing",
    method: "PUT",
    route: "/things",
    responses: &[Expected { status: Statuses::Code(201), check: None }],
};

#[test]
fn exact_codes_win_over_ranges_and_ranges_over_default() {
    assert_eq!(OPERATION.expected(200).map(|e| e.status), Some(Statuses::Code(200)));
    assert_eq!(OPERATION.expected(404).map(|e| e.status), Some(Statuses::Range(4)));
    assert_eq!(OPERATION.expected(503).map(|e| e.status), Some(Statuses::Default));
    assert!(NO_DEFAULT.expected(200).is_none());
}

#[test]
fn a_response_is_checked_against_the_schema_of_its_status_with_every_error() {
    assert_eq!(OPERATION.check_response(200, br#"{"id": 3, "items": ["a"]}"#), Ok(()));
    let errors = OPERATION.check_response(200, br#"{"id": 0, "items": ["a", 1, false]}"#).unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["response.id", "response.items[1]", "response.items[2]"]);
    assert_eq!(errors.0[0].pointer, "/id");
    // The whole body.
    let errors = OPERATION.check_response(500, b"[]").unwrap_err();
    assert_eq!(errors.0[0].path, "response");
    assert_eq!(errors.0[0].field(), "response");
    // No schema: not checked; no body: not read.
    assert_eq!(OPERATION.check_response(404, b"<html>"), Ok(()));
    assert_eq!(OPERATION.check_response(204, b""), Ok(()));
}

#[test]
fn a_body_that_is_not_json_and_an_undocumented_status_are_errors() {
    let errors = check_body(positive_id, b"{oops").unwrap_err();
    assert_eq!((errors.0[0].path.as_str(), errors.0[0].keyword), ("response", "type"));
    assert!(errors.0[0].message.starts_with("is not JSON"), "{errors}");
    let errors = NO_DEFAULT.check_response(200, b"{}").unwrap_err();
    assert_eq!((errors.0[0].path.as_str(), errors.0[0].keyword), ("response.status", "status"));
    assert_eq!(errors.0[0].message, "200 is not documented for putThing");
}
