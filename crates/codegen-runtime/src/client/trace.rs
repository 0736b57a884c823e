//! Sending a request of a generated client method: its `tracing` span, the response read
//! whole, the response checks, and the method's decoding, in that span.

use super::core::Core;
use super::Error;
use crate::operation::Operation;
use bytes::Bytes;
use std::time::Instant;
use tracing::field::Empty;
use tracing::Instrument as _;

impl Core {
    /// Sends `request` for `operation`, reads the whole response, checks it when response
    /// checks are on ([`ClientBuilder::check_responses`](super::ClientBuilder::check_responses):
    /// a response that breaks the spec is [`Error::InvalidResponse`] with every error), and
    /// returns what `decode` makes of the status and body.
    ///
    /// All of it runs in one span, `request` at level INFO, with the fields
    ///
    /// | field | when | value |
    /// |---|---|---|
    /// | `operation_id`, `otel.name` | at once | the spec's `operationId` |
    /// | `http.request.method` | at once | the operation's method (`GET`) |
    /// | `http.route` | at once | the spec's path template (`/conversations/{id}.json`) |
    /// | `http.response.status_code` | once answered | the status |
    /// | `duration_ms` | at the end | milliseconds from sending to decoded (the span's own timing also gives it) |
    /// | `otel.kind` | at once | `client` |
    /// | `otel.status_code` | at the end, on an error or a 4xx/5xx | `ERROR` |
    ///
    /// Errors are WARN events in it: the transport error, an undocumented status, a body that
    /// does not decode or breaks the spec (with every error). Without a subscriber the span is
    /// a disabled handle, and nothing is formatted, timed or recorded. The request was built
    /// (and, with request validation, checked) before: those errors come before the span.
    pub async fn execute<T>(
        &self,
        operation: &Operation,
        request: reqwest::RequestBuilder,
        decode: impl FnOnce(u16, Bytes) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let span = request_span(operation);
        in_span(span, self.exchange(operation, request, decode)).await
    }

    /// [`execute`](Self::execute) for an operation with a streamed response (an event stream
    /// or a binary body): `decode` gets the response unread and reads each body its own way,
    /// so a stream is handed over before any of it is read. The span ends when `decode`
    /// returns, not when the stream ends. With response checks on, a response sent as JSON is
    /// read and checked first (streams are not checked).
    pub async fn execute_streamed<T, F>(
        &self,
        operation: &Operation,
        request: reqwest::RequestBuilder,
        decode: impl FnOnce(u16, reqwest::Response) -> F,
    ) -> Result<T, Error>
    where
        F: std::future::Future<Output = Result<T, Error>>,
    {
        let span = request_span(operation);
        in_span(span, self.exchange_streamed(operation, request, decode)).await
    }

    async fn exchange_streamed<T, F>(
        &self,
        operation: &Operation,
        request: reqwest::RequestBuilder,
        decode: impl FnOnce(u16, reqwest::Response) -> F,
    ) -> Result<T, Error>
    where
        F: std::future::Future<Output = Result<T, Error>>,
    {
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) => {
                tracing::warn!(error = %err, "request failed");
                return Err(Error::Request(err));
            }
        };
        let status = response.status().as_u16();
        let span = tracing::Span::current();
        span.record("http.response.status_code", status);
        if status >= 400 {
            span.record("otel.status_code", "ERROR");
        }
        let checked = self.checks_responses()
            && operation.expected(status).is_some_and(|expected| expected.check.is_some())
            && sent_as_json(response.headers());
        let response = if checked {
            let mut head = response_head(&response);
            let bytes = response.bytes().await.map_err(Error::Request)?;
            if let Err(errors) = operation.check_response(status, &bytes) {
                tracing::warn!(status, error_count = errors.len(), errors = %errors, "the response breaks the spec");
                return Err(Error::InvalidResponse {
                    status,
                    body: String::from_utf8_lossy(&bytes).into_owned(),
                    errors,
                });
            }
            *head.body_mut() = bytes;
            reqwest::Response::from(head)
        } else {
            response
        };
        let result = decode(status, response).await;
        if let Err(err) = &result {
            tracing::warn!(status, error = %err, "the response could not be read");
        }
        result
    }

    async fn exchange<T>(
        &self,
        operation: &Operation,
        request: reqwest::RequestBuilder,
        decode: impl FnOnce(u16, Bytes) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let (status, bytes) = match send(request).await {
            Ok(answer) => answer,
            Err(err) => {
                tracing::warn!(error = %err, "request failed");
                return Err(Error::Request(err));
            }
        };
        let span = tracing::Span::current();
        span.record("http.response.status_code", status);
        if status >= 400 {
            span.record("otel.status_code", "ERROR");
        }
        if self.checks_responses() && operation.expected(status).is_some() {
            if let Err(errors) = operation.check_response(status, &bytes) {
                tracing::warn!(status, error_count = errors.len(), errors = %errors, "the response breaks the spec");
                return Err(Error::InvalidResponse {
                    status,
                    body: String::from_utf8_lossy(&bytes).into_owned(),
                    errors,
                });
            }
        }
        let result = decode(status, bytes);
        if let Err(err) = &result {
            tracing::warn!(status, error = %err, "the response could not be read");
        }
        result
    }
}

/// The span of one request of `operation` (fields in [`Core::execute`]'s documentation).
fn request_span(operation: &Operation) -> tracing::Span {
    tracing::info_span!(
        "request",
        otel.name = operation.id,
        otel.kind = "client",
        otel.status_code = Empty,
        operation_id = operation.id,
        http.request.method = operation.method,
        http.route = operation.route,
        http.response.status_code = Empty,
        duration_ms = Empty,
    )
}

/// Runs `exchange` in `span`, then records its duration and whether it failed; a disabled span
/// (no subscriber) costs nothing more.
async fn in_span<T>(
    span: tracing::Span,
    exchange: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    if span.is_disabled() {
        return exchange.await;
    }
    let started = Instant::now();
    let result = exchange.instrument(span.clone()).await;
    span.record("duration_ms", started.elapsed().as_secs_f64() * 1000.0);
    if result.is_err() {
        span.record("otel.status_code", "ERROR");
    }
    result
}

async fn send(request: reqwest::RequestBuilder) -> Result<(u16, Bytes), reqwest::Error> {
    let response = request.send().await?;
    let status = response.status().as_u16();
    Ok((status, response.bytes().await?))
}

/// Whether a response's `Content-Type` is JSON (`application/json` or a `+json` type).
fn sent_as_json(headers: &reqwest::header::HeaderMap) -> bool {
    let content_type = headers.get(reqwest::header::CONTENT_TYPE).and_then(|value| value.to_str().ok());
    content_type.is_some_and(crate::operation::is_json_content_type)
}

/// A response's status and headers, with an empty body to be filled once it is read.
fn response_head(response: &reqwest::Response) -> http::Response<Bytes> {
    let mut head = http::Response::new(Bytes::new());
    *head.status_mut() = response.status();
    *head.headers_mut() = response.headers().clone();
    head
}
