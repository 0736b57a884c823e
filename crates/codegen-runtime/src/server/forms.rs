//! HTML form bodies (`application/x-www-form-urlencoded`): each field read per its schema's
//! type and `encoding`, as the parameters are, then checked like a JSON body. Multipart bodies
//! read their parts' text through the same decoding.

use super::body::{content_type, is_json_type, parse_json, typed_value};
use super::params::{coerce, Presence, Scalar, Shape};
use super::query::{is_indexed, Query};
use super::response::error;
use crate::style::{Style, StyleKind};
use crate::validation::{Check, Direction, ValidationError};
use axum::body::Bytes;
use axum::http::HeaderMap;
use serde_json::{Map, Value};

/// Reads, validates and converts a request body sent as an HTML form
/// (`application/x-www-form-urlencoded`) or, when `accepts` says so, as JSON. Form fields are
/// read per their schema's type and `encoding` (`fields`: name, shape, style; objects are
/// JSON text unless their style is `deepObject`); fields the schema does not declare are
/// kept as text, so that `additionalProperties` judges them as it would in JSON.
pub fn form_body<T: serde::de::DeserializeOwned + Send>(
    headers: &HeaderMap,
    body: &Bytes,
    presence: Presence,
    accepts: Accepts,
    form: &Form,
    check: Option<Check>,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    let required = presence == Presence::Required;
    let json = accepts == Accepts::FormOrJson;
    let essence = content_type(headers);
    let is_json = essence.as_deref().is_some_and(is_json_type);
    // A required body sent as an empty form is a form with no fields, not a missing body.
    let is_form = essence.as_deref() == Some("application/x-www-form-urlencoded");
    if body.is_empty() && !(is_form && required) {
        if required {
            errors.push(error("body", "required", "a request body is required"));
        }
        return None;
    }
    let value = if is_form {
        let query = Query { pairs: form_urlencoded::parse(body).into_owned().collect() };
        // Already checked: only the conversion to the Rust type is left.
        let value = decode_fields(&query, form, check, errors)?;
        return typed_value(value, None, errors);
    } else if json && is_json {
        parse_json(body, errors)?
    } else {
        let expected = if json {
            "must be sent with Content-Type: application/x-www-form-urlencoded or application/json"
        } else {
            "must be sent with Content-Type: application/x-www-form-urlencoded"
        };
        errors.push(error("body", "contentType", expected));
        return None;
    };
    typed_value(value, check, errors)
}

/// The encodings a form body may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepts {
    /// `application/x-www-form-urlencoded` only.
    Form,
    /// A form, or JSON (the spec lists both with one schema).
    FormOrJson,
}

/// The fields of a form's schema: each declared one with its shape and `encoding`, and
/// how undeclared ones are read (per `additionalProperties`).
#[derive(Debug, Clone, Copy)]
pub struct Form {
    /// (name, shape, style) of each declared field.
    pub fields: &'static [(&'static str, Shape, Style)],
    /// How the value of an undeclared field is read.
    pub other: Scalar,
}

/// Form fields (name, text) as a JSON object, each declared field read per its shape,
/// then checked against the schema. A field that cannot be read (sent twice, bad JSON)
/// is reported once, and the schema's errors about the others are reported with it.
pub(crate) fn decode_fields(
    form: &Query,
    spec: &Form,
    check: Option<Check>,
    errors: &mut Vec<ValidationError>,
) -> Option<Value> {
    let found = errors.len();
    let mut map = Map::new();
    for (name, shape, style) in spec.fields {
        let value = match shape {
            Shape::Object(_) if style.kind != StyleKind::DeepObject => form.decode_json(name, errors),
            _ => form.decode(name, *shape, *style, errors),
        };
        if let Some(value) = value {
            map.insert((*name).to_string(), value);
        }
    }
    // The keys each field is read from; any other key is undeclared.
    let declared = |key: &str| {
        spec.fields.iter().any(|(name, shape, style)| match (shape, style.kind) {
            (Shape::Object(_), StyleKind::DeepObject) => {
                key.strip_prefix(name).is_some_and(|rest| rest.starts_with('[') && rest.ends_with(']'))
            }
            (Shape::Array(_), StyleKind::DeepObject) => is_indexed(key, name),
            _ => key == *name,
        })
    };
    for (key, text) in &form.pairs {
        if declared(key) {
            continue;
        }
        let value = coerce(text, spec.other);
        match map.get_mut(key) {
            Some(Value::Array(items)) => items.push(value),
            Some(first) => *first = Value::Array(vec![first.take(), value]),
            None => {
                map.insert(key.clone(), value);
            }
        }
    }
    let unreadable: Vec<String> = errors.get(found..).unwrap_or_default().iter().map(|e| e.path.clone()).collect();
    let value = Value::Object(map);
    if let Some(check) = check {
        if let Err(reported) = check(&value, Direction::Request) {
            let top = |path: &str| path.split(['.', '[']).next().unwrap_or_default().to_string();
            errors.extend(reported.0.into_iter().filter(|e| !unreadable.contains(&top(&e.path))).map(|e| {
                if e.path.is_empty() {
                    ValidationError { path: "body".into(), ..e }
                } else {
                    e
                }
            }));
        }
    }
    (errors.len() == found).then_some(value)
}
