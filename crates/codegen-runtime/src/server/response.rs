//! The server's own answers: errors as [`ValidationErrors`], JSON and raw responses, declared
//! response headers and the `WWW-Authenticate` challenge.

use crate::validation::{ValidationError, ValidationErrors};
use axum::body::Bytes;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::future::Future;
use std::time::Duration;

/// One error, for the server's own answers.
pub fn single(field: &str, keyword: &'static str, message: &str) -> ValidationErrors {
    ValidationErrors(vec![error(field, keyword, message)])
}

/// A `required` error for each of `fields` (parameters, `body`).
pub fn missing(fields: &[&str]) -> ValidationErrors {
    ValidationErrors(fields.iter().map(|field| error(field, "required", "must be set")).collect())
}

/// An error about `field` (a parameter, `body`, a form field), with its JSON pointer.
pub(crate) fn error(field: &str, keyword: &'static str, message: &str) -> ValidationError {
    ValidationError {
        path: field.to_string(),
        pointer: format!("/{}", field.replace('~', "~0").replace('/', "~1")),
        keyword,
        message: message.to_string(),
    }
}

/// Runs `answer` within `timeout` (none: unbounded); past it, drops `answer` and returns the
/// 503 that `build` makes of the error.
pub async fn within(
    timeout: Option<Duration>,
    answer: impl Future<Output = Response>,
    build: impl FnOnce(StatusCode, ValidationErrors) -> Response,
) -> Response {
    let Some(limit) = timeout else { return answer.await };
    match tokio::time::timeout(limit, answer).await {
        Ok(response) => response,
        Err(_) => build(
            StatusCode::SERVICE_UNAVAILABLE,
            single("request", "timeout", &format!("took longer than {} ms", limit.as_millis())),
        ),
    }
}

/// Adds the `WWW-Authenticate` challenge to a 401 that has none.
pub fn challenge(response: &mut Response, challenge: &'static str) {
    if response.status() == StatusCode::UNAUTHORIZED && !response.headers().contains_key(header::WWW_AUTHENTICATE) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    }
}

/// The answer to a HEAD request: the response of the path's GET operation without its body,
/// and with the `Content-Length` GET would send when the body's length is known (RFC 9110
/// 9.3.2: the same header fields as GET).
pub fn head_response(response: Response) -> Response {
    let (mut head, body) = response.into_parts();
    if !head.headers.contains_key(header::CONTENT_LENGTH) {
        if let Some(length) = axum::body::HttpBody::size_hint(&body).exact() {
            head.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
    }
    Response::from_parts(head, axum::body::Body::empty())
}

/// A JSON response.
pub fn json_response<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes).into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A response with a raw body of a fixed media type.
pub fn bytes_response(status: StatusCode, media_type: &'static str, body: Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static(media_type))], body).into_response()
}

/// Adds a declared response header (strings as they are, other values as JSON text).
pub fn add_header<T: serde::Serialize>(response: &mut Response, name: &'static str, value: Option<&T>) {
    let Some(value) = value else { return };
    let text = match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => return,
    };
    if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&text)) {
        response.headers_mut().insert(name, value);
    }
}
