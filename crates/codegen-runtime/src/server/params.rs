//! Parameters: path, header and cookie values decoded per their style and `explode` into JSON
//! values of their schema's types, then checked and converted.

use super::response::error;
use crate::style::{Style, StyleKind};
use crate::validation::{Check, Direction, ValidationError};
use axum::http::{header, HeaderMap};
use serde_json::{Map, Value};

/// The JSON type a parameter value is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// Kept as text.
    String,
    /// Parsed as a JSON integer when it is one.
    Integer,
    /// Parsed as a JSON number when it is one.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Any JSON (an object or array item, a `oneOf` value) when the text is JSON;
    /// otherwise kept as text.
    Json,
}

/// The shape of a parameter.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// One value.
    Scalar(Scalar),
    /// A list of values.
    Array(Scalar),
    /// An object, with its property types.
    Object(&'static [(&'static str, Scalar)]),
}

impl Shape {
    /// One string.
    pub const STRING: Shape = Shape::Scalar(Scalar::String);
    /// One integer.
    pub const INTEGER: Shape = Shape::Scalar(Scalar::Integer);
    /// One number.
    pub const NUMBER: Shape = Shape::Scalar(Scalar::Number);
    /// One boolean.
    pub const BOOLEAN: Shape = Shape::Scalar(Scalar::Boolean);
    /// One JSON value (an object or array item, a `oneOf` value), or text.
    pub const JSON: Shape = Shape::Scalar(Scalar::Json);
}

/// Reads text as the JSON type the schema asks for; text that does not parse stays a
/// string, so validation reports it with the schema's own message.
pub fn coerce(text: &str, kind: Scalar) -> Value {
    match kind {
        Scalar::String => Value::String(text.to_string()),
        Scalar::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .unwrap_or_else(|_| Value::String(text.to_string())),
        Scalar::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.to_string())),
        Scalar::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_string()),
        },
        Scalar::Json => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string())),
    }
}

/// The type of an object parameter's property (`String` for properties the schema does not list).
pub(crate) fn object_kind(properties: &[(&'static str, Scalar)], key: &str) -> Scalar {
    properties.iter().find(|(name, _)| *name == key).map(|(_, kind)| *kind).unwrap_or(Scalar::String)
}

/// An object sent as `key,value,key,value` (`pairs`: `key=value,key=value`) split at `separator`.
pub(crate) fn split_object(properties: &[(&'static str, Scalar)], text: &str, separator: char, pairs: bool) -> Value {
    let mut map = Map::new();
    if pairs {
        for item in text.split(separator) {
            let (key, value) = item.split_once('=').unwrap_or((item, ""));
            map.insert(key.to_string(), coerce(value, object_kind(properties, key)));
        }
    } else {
        let items: Vec<&str> = text.split(separator).collect();
        for chunk in items.chunks(2) {
            let value = chunk.get(1).copied().unwrap_or("");
            map.insert(chunk[0].to_string(), coerce(value, object_kind(properties, chunk[0])));
        }
    }
    Value::Object(map)
}

/// A path parameter (already percent-decoded) as JSON.
pub fn decode_path(text: &str, name: &str, shape: Shape, style: Style) -> Value {
    let text = match style.kind {
        StyleKind::Label => text.strip_prefix('.').unwrap_or(text),
        StyleKind::Matrix => text.strip_prefix(&format!(";{name}=")).unwrap_or(text),
        _ => text,
    };
    let separator = match (style.kind, style.explode) {
        (StyleKind::Label, true) => '.',
        (StyleKind::Matrix, true) => ';',
        _ => ',',
    };
    match shape {
        Shape::Scalar(kind) => coerce(text, kind),
        Shape::Array(kind) => {
            let prefix = format!("{name}=");
            Value::Array(
                text.split(separator).map(|item| coerce(item.strip_prefix(&prefix).unwrap_or(item), kind)).collect(),
            )
        }
        Shape::Object(properties) => split_object(properties, text, separator, style.explode),
    }
}

/// A header parameter as JSON.
pub fn decode_header(headers: &HeaderMap, name: &str, shape: Shape) -> Option<Value> {
    let text = headers.get(name)?.to_str().unwrap_or_default().trim();
    Some(match shape {
        Shape::Scalar(kind) => coerce(text, kind),
        Shape::Array(kind) => Value::Array(text.split(',').map(|item| coerce(item.trim(), kind)).collect()),
        Shape::Object(properties) => split_object(properties, text, ',', text.contains('=')),
    })
}

/// A cookie parameter as JSON.
pub fn decode_cookie(headers: &HeaderMap, name: &str, shape: Shape) -> Option<Value> {
    let text = cookie(headers, name)?;
    Some(match shape {
        Shape::Scalar(kind) => coerce(&text, kind),
        Shape::Array(kind) => Value::Array(text.split(',').map(|item| coerce(item, kind)).collect()),
        Shape::Object(properties) => split_object(properties, &text, ',', false),
    })
}

/// A parameter sent as JSON text (`content: application/json`).
pub fn json_text(text: &str, name: &str, errors: &mut Vec<ValidationError>) -> Option<Value> {
    match serde_json::from_str(text) {
        Ok(value) => Some(value),
        Err(err) => {
            errors.push(error(name, "json", &format!("is not valid JSON: {err}")));
            None
        }
    }
}

/// A JSON header parameter.
pub fn header_json(headers: &HeaderMap, name: &str, errors: &mut Vec<ValidationError>) -> Option<Value> {
    let text = headers.get(name)?.to_str().unwrap_or_default();
    json_text(text, name, errors)
}

/// A JSON cookie parameter.
pub fn cookie_json(headers: &HeaderMap, name: &str, errors: &mut Vec<ValidationError>) -> Option<Value> {
    let text = cookie(headers, name)?;
    json_text(&text, name, errors)
}

/// The value of the cookie `name`, as sent.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then(|| value.to_string())
    })
}

/// A path parameter, the `index`th of the route's: decoded per its style, then validated and
/// converted as [`param`] does.
#[allow(clippy::too_many_arguments)] // One call per parameter in every handler: a struct would only add lines.
pub fn path_param<T: serde::de::DeserializeOwned + Send>(
    params: &[String],
    index: usize,
    name: &str,
    shape: Shape,
    style: Style,
    presence: Presence,
    check: Check,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    let raw = params.get(index).map(|text| decode_path(text, name, shape, style));
    param(raw, name, presence, check, errors)
}

/// A header parameter, decoded, validated and converted as [`param`] does.
pub fn header_param<T: serde::de::DeserializeOwned + Send>(
    headers: &HeaderMap,
    name: &str,
    shape: Shape,
    presence: Presence,
    check: Check,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    param(decode_header(headers, name, shape), name, presence, check, errors)
}

/// A cookie parameter, decoded, validated and converted as [`param`] does.
pub fn cookie_param<T: serde::de::DeserializeOwned + Send>(
    headers: &HeaderMap,
    name: &str,
    shape: Shape,
    presence: Presence,
    check: Check,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    param(decode_cookie(headers, name, shape), name, presence, check, errors)
}

/// Validates and converts one decoded parameter, collecting errors under its name.
pub fn param<T: serde::de::DeserializeOwned + Send>(
    raw: Option<Value>,
    name: &str,
    presence: Presence,
    check: Check,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    let Some(value) = raw else {
        if presence == Presence::Required {
            errors.push(error(name, "required", "must be set"));
        }
        return None;
    };
    let depth = super::body::within_depth(&value, name, errors)?;
    if let Err(found) = check(&value, Direction::Request) {
        errors.extend(found.0.into_iter().map(|e| prefixed(name, e)));
        return None;
    }
    match crate::json::from_value(value, depth) {
        Ok(typed) => Some(typed),
        Err(err) => {
            errors.push(error(name, "type", &err.to_string()));
            None
        }
    }
}

/// An error of a parameter's value, named after the parameter (`filter.state`, `ids[2]`).
fn prefixed(name: &str, error: ValidationError) -> ValidationError {
    let path = if error.path.is_empty() {
        name.to_string()
    } else if error.path.starts_with('[') {
        format!("{name}{}", error.path)
    } else {
        format!("{name}.{}", error.path)
    };
    ValidationError { path, pointer: format!("/{name}{}", error.pointer), ..error }
}

/// Whether a parameter or body must be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Missing is a 400.
    Required,
    /// Missing is fine (the implementation gets `None`, or the spec's default).
    Optional,
}
