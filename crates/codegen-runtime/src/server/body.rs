//! Request bodies: reading them under the limit (and the answer when that fails), JSON bodies,
//! raw bodies, and the checks and conversion every typed body goes through.

use super::config::Config;
use super::params::Presence;
use super::response::{error, single};
use super::serve::BodyTimeout;
use crate::validation::{Check, Direction, ValidationError, ValidationErrors};
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;
use std::time::Duration;

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Larger than the configured limit (in bytes).
    TooLarge(usize),
    /// Not received within [`Config::body_read_timeout`] (applied by [`serve`](super::serve)).
    TimedOut(Duration),
    /// The connection failed while reading, or the body's framing was broken.
    Unreadable,
    /// Sent with a `Content-Encoding` (`gzip`, ...): the server does not decode one, and read as
    /// it is the body would be misread.
    Encoded,
}

impl BodyError {
    /// The status of the answer: 413, 408 or 400.
    pub fn status(&self) -> StatusCode {
        match self {
            BodyError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            BodyError::TimedOut(_) => StatusCode::REQUEST_TIMEOUT,
            BodyError::Unreadable | BodyError::Encoded => StatusCode::BAD_REQUEST,
        }
    }

    /// The error the answer names (field `body`).
    pub fn errors(&self) -> ValidationErrors {
        match self {
            BodyError::TooLarge(limit) => single("body", "maxLength", &format!("must be at most {limit} bytes")),
            BodyError::TimedOut(after) => single("body", "timeout", &format!("was not received within {after:?}")),
            BodyError::Unreadable => single("body", "body", "could not be read"),
            BodyError::Encoded => {
                single("body", "contentEncoding", "must be sent without a Content-Encoding (uncompressed)")
            }
        }
    }

    /// The answer: `build` (the server's error body) of [`Self::status`] and [`Self::errors`],
    /// with `Connection: close`, since the rest of the body is not read as a request.
    pub fn into_response(self, build: impl FnOnce(StatusCode, ValidationErrors) -> Response) -> Response {
        let mut response = build(self.status(), self.errors());
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        response
    }
}

/// Reads the whole body, refusing more than [`Config::body_limit`] bytes.
///
/// A body over the limit is refused as soon as that is known: from its `Content-Length`, or
/// once more bytes have arrived. The rest of it is then read and thrown away in a task of its
/// own, up to [`Config::discard_limit`] bytes in all and for [`Config::discard_timeout`], so
/// that the answer reaches clients that read it only once they have sent their whole body; a
/// client that asked `Expect: 100-continue` and declared a length over the limit has sent
/// nothing, and nothing is read.
pub async fn read_body(body: Body, headers: &HeaderMap, config: &Config) -> Result<Bytes, BodyError> {
    if encoded(headers) {
        return Err(BodyError::Encoded);
    }
    let limit = config.body_limit;
    let body = refuse_declared_over(body, headers, limit, config)?;
    use http_body_util::BodyExt as _;
    let mut body = body;
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut read = 0usize;
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(frame) => {
                // Trailers are not part of the body.
                let Ok(data) = frame.into_data() else { continue };
                read = read.saturating_add(data.len());
                if read > limit {
                    discard(body, read, config);
                    return Err(BodyError::TooLarge(limit));
                }
                if !data.is_empty() {
                    chunks.push(data);
                }
            }
            Err(err) => return Err(timed_out(&err).map_or(BodyError::Unreadable, BodyError::TimedOut)),
        }
    }
    Ok(match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.swap_remove(0),
        _ => Bytes::from(chunks.concat()),
    })
}

/// Whether the request declares a content coding other than `identity` for a body it sends
/// (a declared length of 0, or no length and no chunking, is no body).
fn encoded(headers: &HeaderMap) -> bool {
    let sends_body = match headers.get(header::CONTENT_LENGTH) {
        Some(length) => length.as_bytes() != b"0",
        None => headers.contains_key(header::TRANSFER_ENCODING),
    };
    sends_body
        && headers.get_all(header::CONTENT_ENCODING).iter().any(|value| {
            value.to_str().map_or(true, |codings| {
                codings
                    .split(',')
                    .any(|coding| !coding.trim().eq_ignore_ascii_case("identity") && !coding.trim().is_empty())
            })
        })
}

/// `body` back, unless its declared `Content-Length` is over `limit`: then `TooLarge`, and the
/// body is read through in the background (within the discard bounds) unless the client asked
/// `Expect: 100-continue` and so has sent nothing.
pub(crate) fn refuse_declared_over(
    body: Body,
    headers: &HeaderMap,
    limit: usize,
    config: &Config,
) -> Result<Body, BodyError> {
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if let Some(length) = declared.filter(|length| *length > limit as u64) {
        let expects_continue = headers
            .get(header::EXPECT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("100-continue"));
        if !expects_continue && length <= config.discard_limit as u64 {
            discard(body, 0, config);
        }
        return Err(BodyError::TooLarge(limit));
    }
    Ok(body)
}

/// Reads and drops the rest of a refused body (`read` bytes of it are read), within the
/// configured bounds, without holding up the answer. Outside a tokio runtime it is dropped.
pub(crate) fn discard(mut body: Body, read: usize, config: &Config) {
    let Some(mut left) = config.discard_limit.checked_sub(read).filter(|left| *left > 0) else { return };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
    let timeout = config.discard_timeout;
    runtime.spawn(async move {
        use http_body_util::BodyExt as _;
        let rest = async {
            while let Some(Ok(frame)) = body.frame().await {
                let Ok(data) = frame.into_data() else { continue };
                match left.checked_sub(data.len()) {
                    Some(rest) => left = rest,
                    None => return,
                }
            }
        };
        let _ = tokio::time::timeout(timeout, rest).await;
    });
}

/// The body read timeout behind a body's error, if that is what it is.
pub(crate) fn timed_out(err: &axum::Error) -> Option<Duration> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(err) = source {
        if let Some(timeout) = err.downcast_ref::<BodyTimeout>() {
            return Some(timeout.after);
        }
        source = err.source();
    }
    None
}

/// The essence of the request's `Content-Type` (`application/json`), lowercased.
pub(crate) fn content_type(headers: &HeaderMap) -> Option<String> {
    let content_type = single_header(headers, header::CONTENT_TYPE)?.to_str().ok()?;
    Some(content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

/// A header that may be sent once (`Content-Type`, `Authorization`); `None` when it is absent
/// or sent more than once, since then which one counts would be a guess.
pub(crate) fn single_header(headers: &HeaderMap, name: header::HeaderName) -> Option<&HeaderValue> {
    let mut values = headers.get_all(name).iter();
    let first = values.next()?;
    values.next().is_none().then_some(first)
}

/// `application/json` and `application/*+json`.
pub(crate) fn is_json_type(essence: &str) -> bool {
    crate::operation::is_json_content_type(essence)
}

/// Reads, validates and converts a JSON request body, collecting every error.
pub fn json_body<T: serde::de::DeserializeOwned + Send>(
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
    if value.is_null() && presence == Presence::Optional {
        // An optional body sent as `null` (its schema allows it): read as no body, which is
        // what the generated `Option<T>` of an optional body can say.
        return checked(value, check, errors).and(None);
    }
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
pub(crate) fn typed_value<T: serde::de::DeserializeOwned + Send>(
    value: Value,
    check: Option<Check>,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    let depth = within_depth(&value, "body", errors)?;
    let value = checked(value, check, errors)?;
    match crate::json::from_value(value, depth) {
        Ok(typed) => Some(typed),
        Err(err) => {
            errors.push(error("body", "type", &err.to_string()));
            None
        }
    }
}

/// How deep a request value nests, or `None` with the error naming `path` when it nests deeper
/// than [`crate::json::MAX_DEPTH`].
pub(crate) fn within_depth(value: &Value, path: &str, errors: &mut Vec<ValidationError>) -> Option<usize> {
    let depth = crate::json::depth(value);
    if depth > crate::json::MAX_DEPTH {
        errors.push(error(path, "depth", &format!("is nested deeper than {} levels", crate::json::MAX_DEPTH)));
        return None;
    }
    Some(depth)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::{expect, run, Kind, Null};

    fn json_headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers
    }

    fn nullable_list(value: &Value, direction: Direction) -> Result<(), ValidationErrors> {
        run(value, direction, |value, path, cx| {
            expect(value, path, cx, Kind::Array, Null::Allowed);
        })
    }

    fn list(value: &Value, direction: Direction) -> Result<(), ValidationErrors> {
        run(value, direction, |value, path, cx| {
            expect(value, path, cx, Kind::Array, Null::Refused);
        })
    }

    #[test]
    fn an_optional_body_sent_as_null_is_no_body_when_its_schema_allows_null() {
        let mut errors = Vec::new();
        let body = Bytes::from_static(b"null");
        let read: Option<Vec<String>> =
            json_body(&json_headers(), &body, Presence::Optional, Some(nullable_list), &mut errors);
        assert_eq!((read, errors.len()), (None, 0));
        let read: Option<Vec<String>> = json_body(&json_headers(), &body, Presence::Optional, Some(list), &mut errors);
        assert_eq!(read, None);
        assert_eq!(
            errors.iter().map(|e| e.field()).collect::<Vec<_>>(),
            ["body"],
            "a null the schema refuses is an error"
        );
        // A required nullable body is an `Option<T>`: `null` is its `None`.
        let mut errors = Vec::new();
        let read: Option<Option<Vec<String>>> =
            json_body(&json_headers(), &body, Presence::Required, Some(nullable_list), &mut errors);
        assert_eq!((read, errors.len()), (Some(None), 0));
    }

    #[tokio::test]
    async fn bodies_with_a_content_coding_are_refused_unread() {
        let read = |pairs: &[(&'static str, &'static str)], bytes: &'static [u8]| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                headers.append(*name, HeaderValue::from_static(value));
            }
            async move { read_body(Body::from(bytes), &headers, &Config::DEFAULT).await }
        };
        let gzip = read(&[("content-length", "2"), ("content-encoding", "gzip")], b"{}").await;
        assert_eq!(gzip, Err(BodyError::Encoded));
        let chunked = read(&[("transfer-encoding", "chunked"), ("content-encoding", "identity, br")], b"{}").await;
        assert_eq!(chunked, Err(BodyError::Encoded));
        let identity = read(&[("content-length", "2"), ("content-encoding", "identity")], b"{}").await;
        assert_eq!(identity, Ok(Bytes::from_static(b"{}")));
        let no_body = read(&[("content-length", "0"), ("content-encoding", "gzip")], b"").await;
        assert_eq!(no_body, Ok(Bytes::new()));
    }

    #[test]
    fn values_nested_past_the_limit_are_refused_by_name() {
        let mut errors = Vec::new();
        let deep = format!("{}1{}", "[".repeat(crate::json::MAX_DEPTH + 1), "]".repeat(crate::json::MAX_DEPTH + 1));
        let read: Option<Value> = json_body(&json_headers(), &Bytes::from(deep), Presence::Required, None, &mut errors);
        assert_eq!(read, None);
        assert_eq!((errors[0].field(), errors[0].keyword), ("body", "depth"));
    }
}
