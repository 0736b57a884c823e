//! Request bodies: reading them under the limit, JSON bodies, raw bodies, and the checks and
//! conversion every typed body goes through.

use super::params::Presence;
use super::response::error;
use crate::validation::{Check, Direction, ValidationError};
use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use serde_json::Value;

/// Why a body could not be read.
pub enum BodyError {
    /// Larger than the configured limit.
    TooLarge,
    /// The connection failed while reading.
    Unreadable,
}

/// Reads the whole body, refusing more than `limit` bytes.
pub async fn read_body(body: axum::body::Body, headers: &HeaderMap, limit: usize) -> Result<Bytes, BodyError> {
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    use http_body_util::BodyExt as _;
    match http_body_util::Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.downcast_ref::<http_body_util::LengthLimitError>().is_some() => Err(BodyError::TooLarge),
        Err(_) => Err(BodyError::Unreadable),
    }
}

/// The essence of the request's `Content-Type` (`application/json`), lowercased.
pub(crate) fn content_type(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

/// `application/json` and `application/*+json`.
pub(crate) fn is_json_type(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

/// Reads, validates and converts a JSON request body, collecting every error.
pub fn json_body<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &Bytes,
    presence: Presence,
    check: Option<Check>,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    if body.is_empty() {
        if presence == Presence::Required {
            errors.push(error("body", "required", "a JSON request body is required"));
        }
        return None;
    }
    if !content_type(headers).is_some_and(|essence| is_json_type(&essence)) {
        errors.push(error("body", "contentType", "must be sent with Content-Type: application/json"));
        return None;
    }
    let value = parse_json(body, errors)?;
    typed_value(value, check, errors)
}

/// A body as JSON; a body that is not JSON is an error.
pub(crate) fn parse_json(body: &Bytes, errors: &mut Vec<ValidationError>) -> Option<Value> {
    match serde_json::from_slice(body) {
        Ok(value) => Some(value),
        Err(err) => {
            errors.push(error("body", "json", &format!("is not valid JSON: {err}")));
            None
        }
    }
}

/// Checks a decoded body against its schema; errors at the root are named `body`.
pub(crate) fn checked(value: Value, check: Option<Check>, errors: &mut Vec<ValidationError>) -> Option<Value> {
    if let Some(check) = check {
        if let Err(found) = check(&value, Direction::Request) {
            errors.extend(found.0.into_iter().map(|e| {
                if e.path.is_empty() {
                    ValidationError { path: "body".into(), ..e }
                } else {
                    e
                }
            }));
            return None;
        }
    }
    Some(value)
}

/// Checks a decoded body against its schema and converts it to its Rust type.
pub(crate) fn typed_value<T: serde::de::DeserializeOwned>(
    value: Value,
    check: Option<Check>,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    let value = checked(value, check, errors)?;
    match serde_json::from_value(value) {
        Ok(typed) => Some(typed),
        Err(err) => {
            errors.push(error("body", "type", &err.to_string()));
            None
        }
    }
}

/// A non-JSON request body, passed through as bytes.
pub fn raw_body(body: &Bytes, presence: Presence, errors: &mut Vec<ValidationError>) -> Option<Bytes> {
    if body.is_empty() {
        if presence == Presence::Required {
            errors.push(error("body", "required", "a request body is required"));
        }
        return None;
    }
    Some(body.clone())
}

/// Operations without a request body refuse one rather than drop it.
pub fn no_body(body: &Bytes, errors: &mut Vec<ValidationError>) {
    if !body.is_empty() {
        errors.push(error("body", "body", "this operation takes no request body"));
    }
}
