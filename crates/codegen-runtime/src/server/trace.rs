//! Tracing and response checks of the generated server.

use super::config::{Config, ResponseChecks};
use crate::operation::Operation;
use crate::validation::ValidationErrors;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::Response;
use std::future::Future;
use std::time::Instant;
use tracing::field::Empty;
use tracing::Instrument as _;

/// Marks a response as the server's own answer (made by the generated `error_response`), or one
/// the implementation built for a status the spec leaves out ([`undocumented`]), so that
/// response checks leave it alone.
#[derive(Debug, Clone, Copy)]
struct ServerAnswer;

/// Runs `dispatch` on `request` in the request's span, and records the status and duration
/// when it answers.
///
/// The span is `request`, at level INFO, with the fields
///
/// | field | when | value |
/// |---|---|---|
/// | `http.request.method` | at once | the request's method (`GET`) |
/// | `operation_id`, `otel.name` | once routed ([`found`]) | the spec's `operationId` |
/// | `http.route` | once routed | the spec's path template (`/conversations/{id}.json`) |
/// | `http.response.status_code` | at the end | the status answered |
/// | `duration_ms` | at the end | milliseconds from the span's start to the response (the span's own timing, between its creation and its close, also gives it) |
/// | `otel.kind` | at once | `server` |
/// | `otel.status_code` | at the end, for 5xx | `ERROR` |
///
/// The errors the server answers itself ([`refused`]) are events in that span: 4xx at DEBUG and
/// 5xx at ERROR, with the status and every error (`errors`, rendered only when a subscriber
/// takes the event). A response of the implementation that breaks the spec is an ERROR event
/// ([`check_response`]). Without a subscriber, or with one that does not want these, a span
/// is a disabled handle: nothing is formatted, timed or recorded.
pub fn traced<F, Fut>(request: Request, dispatch: F) -> impl Future<Output = Response>
where
    F: FnOnce(Request) -> Fut,
    Fut: Future<Output = Response>,
{
    let span = tracing::info_span!(
        "request",
        otel.name = Empty,
        otel.kind = "server",
        otel.status_code = Empty,
        operation_id = Empty,
        http.request.method = request.method().as_str(),
        http.route = Empty,
        http.response.status_code = Empty,
        duration_ms = Empty,
    );
    async move {
        if span.is_disabled() {
            return dispatch(request).await;
        }
        let started = Instant::now();
        let response = dispatch(request).instrument(span.clone()).await;
        let status = response.status();
        span.record("http.response.status_code", status.as_u16());
        span.record("duration_ms", started.elapsed().as_secs_f64() * 1000.0);
        if status.is_server_error() {
            span.record("otel.status_code", "ERROR");
        }
        response
    }
}

/// Records the operation routing found on the current span (the request's, in [`traced`]; a
/// subscriber that keeps track of the current span, as `tracing-subscriber`'s registry does, is
/// needed for it).
pub fn found(operation: &Operation) {
    let span = tracing::Span::current();
    if span.is_disabled() {
        return;
    }
    span.record("operation_id", operation.id);
    span.record("otel.name", operation.id);
    span.record("http.route", operation.route);
}

/// An error the server answers itself (a bad request, a missing credential, a timeout, a
/// response that broke the spec): an event with the status and every error, then `build`'s
/// answer, marked as the server's own. The generated `error_response` calls it.
pub fn refused(
    status: StatusCode,
    errors: ValidationErrors,
    build: impl FnOnce(ValidationErrors) -> Response,
) -> Response {
    let code = status.as_u16();
    if status.is_server_error() {
        tracing::error!(status = code, error_count = errors.len(), errors = %errors, "server error");
    } else {
        tracing::debug!(status = code, error_count = errors.len(), errors = %errors, "request refused");
    }
    let mut response = build(errors);
    response.extensions_mut().insert(ServerAnswer);
    response
}

/// A response the implementation built itself for what the spec does not document (the
/// `Undocumented` variant of response enums, settings `server.undocumented_responses`): sent as
/// it is, never checked against the spec, so [`Config::response_checks`] does not turn it into
/// a 500.
pub fn undocumented(mut response: Response) -> Response {
    tracing::debug!(status = response.status().as_u16(), "a response the spec does not document");
    response.extensions_mut().insert(ServerAnswer);
    response
}

/// Checks a response of the implementation against the spec, as [`Config::response_checks`]
/// says: with [`ResponseChecks::Off`], and for the server's own answers, it is returned as it
/// is. Otherwise its status and JSON body are checked ([`Operation::check_response`]); when
/// they break the spec, an ERROR event names the operation, the status and every error, and
/// with [`ResponseChecks::Reject`] the answer is `build`'s 500 listing them instead.
pub async fn check_response(
    operation: &Operation,
    config: &Config,
    response: Response,
    build: impl FnOnce(StatusCode, ValidationErrors) -> Response,
) -> Response {
    if config.response_checks == ResponseChecks::Off || response.extensions().get::<ServerAnswer>().is_some() {
        return response;
    }
    let status = response.status().as_u16();
    // Only what the spec says about this status decides whether the body is read.
    let must_read = match operation.expected(status) {
        None => false,
        // A status that lists JSON and an event stream may answer either: an event stream
        // (or any body not sent as JSON) is left to flow, unread.
        Some(expected) if expected.check.is_some() && !sent_as_json(&response) => return response,
        Some(expected) => expected.check.is_some(),
    };
    let (response, body) = if must_read {
        let (parts, body) = response.into_parts();
        // The implementation's JSON bodies are whole in memory; this does not wait.
        match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => (Response::from_parts(parts, Body::from(bytes.clone())), bytes),
            Err(_) => {
                return build(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    crate::server::single("response", "body", "could not be read"),
                )
            }
        }
    } else {
        (response, Default::default())
    };
    let Err(errors) = operation.check_response(status, &body) else { return response };
    tracing::error!(
        operation_id = operation.id,
        status,
        error_count = errors.len(),
        errors = %errors,
        "the response breaks the spec"
    );
    match config.response_checks {
        ResponseChecks::Reject => build(StatusCode::INTERNAL_SERVER_ERROR, errors),
        _ => response,
    }
}

/// Whether a response's `Content-Type` is JSON (`application/json` or a `+json` type).
fn sent_as_json(response: &Response) -> bool {
    let content_type = response.headers().get(axum::http::header::CONTENT_TYPE).and_then(|value| value.to_str().ok());
    content_type.is_some_and(crate::operation::is_json_content_type)
}
