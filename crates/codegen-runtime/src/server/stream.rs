//! Binary bodies, streamed: a request body handed to the implementation as a stream of chunks
//! under [`Config::binary_body_limit`] (the JSON limit does not apply), and responses whose body
//! is a stream.

use super::body::{discard, read_body, timed_out, BodyError};
use super::config::Config;
use super::params::Presence;
use super::response::error;
use crate::validation::{ValidationError, ValidationErrors};
use axum::body::{Body, Bytes, HttpBody as _};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::TooLarge(limit) => write!(f, "the body is larger than {limit} bytes"),
            BodyError::TimedOut(after) => write!(f, "the body was not received within {after:?}"),
            BodyError::Unreadable => f.write_str("the body could not be read"),
            BodyError::Encoded => f.write_str("the body was sent with a Content-Encoding"),
        }
    }
}

impl std::error::Error for BodyError {}

/// What a streamed body tells the router once the implementation has answered.
#[derive(Debug, Default)]
struct Outcome {
    /// Why it failed (413, 408, 400 replace the implementation's answer).
    error: Option<BodyError>,
    /// It was dropped before its end (its rest is read through, and the connection closed).
    unfinished: bool,
}

/// Shared by a streamed body and the router's [`Watch`].
type Failure = Arc<Mutex<Outcome>>;

/// A request body as it arrives, chunk by chunk, at most [`Config::binary_body_limit`] bytes.
///
/// It is a `Stream` of `Result<Bytes, BodyError>`; [`ByteStream::bytes`] reads it whole. Once
/// the limit is passed it yields `Err(BodyError::TooLarge)` and ends, and the router answers
/// 413 (with `Connection: close`, reading the rest through as for JSON bodies) whatever the
/// implementation returns; a body that times out or breaks is answered 408 or 400 likewise.
pub struct ByteStream {
    body: Option<Body>,
    read: usize,
    limit: usize,
    config: Config,
    failure: Failure,
}

impl ByteStream {
    /// The body of a request, under `limit` bytes.
    fn new(body: Body, limit: usize, config: &Config) -> ByteStream {
        ByteStream { body: Some(body), read: 0, limit, config: *config, failure: Failure::default() }
    }

    /// Reads the rest of the body into one buffer.
    pub async fn bytes(self) -> Result<Bytes, BodyError> {
        crate::chunks::collect(self).await
    }

    /// How many bytes have been read so far.
    pub fn bytes_read(&self) -> usize {
        self.read
    }

    /// Whether the body is known to be empty (no bytes declared, or none left).
    fn is_empty(&self) -> bool {
        self.body.as_ref().is_none_or(|body| body.is_end_stream())
    }

    fn fail(&mut self, err: BodyError) -> Poll<Option<Result<Bytes, BodyError>>> {
        if let Ok(mut outcome) = self.failure.lock() {
            outcome.error.get_or_insert(err);
        }
        Poll::Ready(Some(Err(err)))
    }
}

/// A body of known bytes (for tests, and for calling an implementation directly).
impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        ByteStream::new(Body::from(bytes), usize::MAX, &Config::DEFAULT)
    }
}

/// A body dropped before its end (the implementation answered without reading all of it) is
/// read through and thrown away in the background, within [`Config::discard_limit`] and
/// [`Config::discard_timeout`], so that a client still sending can read the answer; the answer
/// then closes the connection.
impl Drop for ByteStream {
    fn drop(&mut self) {
        let Some(body) = self.body.take() else { return };
        if body.is_end_stream() {
            return;
        }
        discard(body, self.read, &self.config);
        if let Ok(mut outcome) = self.failure.lock() {
            outcome.unfinished = true;
        }
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream").field("read", &self.read).field("limit", &self.limit).finish()
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            let Some(body) = self.body.as_mut() else { return Poll::Ready(None) };
            match Pin::new(body).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    self.body = None;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(err))) => {
                    self.body = None;
                    return self.fail(timed_out(&err).map_or(BodyError::Unreadable, BodyError::TimedOut));
                }
                Poll::Ready(Some(Ok(frame))) => {
                    // Trailers are not part of the body.
                    let Ok(data) = frame.into_data() else { continue };
                    self.read = self.read.saturating_add(data.len());
                    if self.read > self.limit {
                        if let Some(body) = self.body.take() {
                            discard(body, self.read, &self.config);
                        }
                        let limit = self.limit;
                        return self.fail(BodyError::TooLarge(limit));
                    }
                    if !data.is_empty() {
                        return Poll::Ready(Some(Ok(data)));
                    }
                }
            }
        }
    }
}

/// A request body as the router hands it on: read whole (JSON, forms, other bodies) or
/// streamed (binary bodies).
#[derive(Debug)]
pub enum Incoming {
    /// Read whole, under [`Config::body_limit`].
    Bytes(Bytes),
    /// Streamed, under [`Config::binary_body_limit`].
    Stream(ByteStream),
}

impl Incoming {
    /// The bytes (empty for a streamed body, which no operation then reads whole).
    pub fn into_bytes(self) -> Bytes {
        match self {
            Incoming::Bytes(bytes) => bytes,
            Incoming::Stream(_) => Bytes::new(),
        }
    }

    /// The stream (of the bytes, when the body was read whole).
    pub fn into_stream(self) -> ByteStream {
        match self {
            Incoming::Bytes(bytes) => ByteStream::from(bytes),
            Incoming::Stream(stream) => stream,
        }
    }

    /// What answers a streamed body's failure once the implementation has answered.
    pub fn watch(&self) -> Watch {
        match self {
            Incoming::Bytes(_) => Watch(None),
            Incoming::Stream(stream) => Watch(Some(stream.failure.clone())),
        }
    }
}

/// Replaces the implementation's answer when its streamed body failed ([`Incoming::watch`]).
#[derive(Debug)]
pub struct Watch(Option<Failure>);

impl Watch {
    /// `response`, or the answer to the body's failure: 413 past the limit, 408 when it timed
    /// out, 400 when it broke (with `Connection: close`), built by `build`. A `response` given
    /// before the body was read to its end gets `Connection: close`.
    pub fn answer(self, response: Response, build: impl FnOnce(StatusCode, ValidationErrors) -> Response) -> Response {
        let Some(outcome) = self.0 else { return response };
        let (error, unfinished) = match outcome.lock() {
            Ok(outcome) => (outcome.error, outcome.unfinished),
            Err(_) => (None, false),
        };
        match error {
            Some(err) => err.into_response(build),
            None if unfinished => {
                let mut response = response;
                response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
                response
            }
            None => response,
        }
    }
}

/// Reads the body of a request whose operation reads it whole ([`read_body`], under
/// [`Config::body_limit`]), or starts streaming it (`streamed`, under
/// [`Config::binary_body_limit`]; a body whose `Content-Length` is over it is refused at once,
/// as [`read_body`] does).
pub async fn incoming(body: Body, headers: &HeaderMap, config: &Config, streamed: bool) -> Result<Incoming, BodyError> {
    if !streamed {
        return read_body(body, headers, config).await.map(Incoming::Bytes);
    }
    let limit = config.binary_body_limit;
    let body = super::body::refuse_declared_over(body, headers, limit, config)?;
    Ok(Incoming::Stream(ByteStream::new(body, limit, config)))
}

/// A streamed request body; an empty one is absent (an error when it is required).
pub fn stream_body(body: ByteStream, presence: Presence, errors: &mut Vec<ValidationError>) -> Option<ByteStream> {
    if body.is_empty() {
        if presence == Presence::Required {
            errors.push(error("body", "required", "a request body is required"));
        }
        return None;
    }
    Some(body)
}

/// A response whose body is streamed as it is produced (`Body::from_stream`, or any `Body`).
pub fn body_response(status: StatusCode, media_type: &'static str, body: Body) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static(media_type))], body).into_response()
}
