//! `text/event-stream` responses: the stream of events an implementation answers with, written
//! event by event as it comes (each event is one body frame, which hyper sends at once), with a
//! comment line whenever the stream stays silent for a while, so that proxies and browsers do
//! not take it for a dead connection.

use crate::sse::{comment, encode, Event};
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt as _};
use std::convert::Infallible;
use std::pin::Pin;
use std::time::Duration;

/// How long an event stream stays silent before it sends a comment (`: keep-alive`), unless
/// [`EventStream::keep_alive`] says otherwise. Proxies commonly close a connection after 30 to
/// 60 s without data.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The events of a `text/event-stream` response, as the implementation produces them: any
/// `Stream` of [`Event`]s ([`EventStream::new`]), or a list of them ([`EventStream::from`]).
pub struct EventStream<T> {
    inner: Pin<Box<dyn Stream<Item = Event<T>> + Send>>,
    keep_alive: Option<Duration>,
}

impl<T> EventStream<T> {
    /// The events of `stream`, written as they come, with a comment after [`KEEP_ALIVE`]
    /// without an event.
    pub fn new(stream: impl Stream<Item = Event<T>> + Send + 'static) -> EventStream<T> {
        EventStream { inner: Box::pin(stream), keep_alive: Some(KEEP_ALIVE) }
    }

    /// Sends a comment line (`: keep-alive`, which clients skip) after `every` without an event;
    /// `None` (or a zero duration): never. With keep-alive on, the response body must be polled
    /// on a Tokio runtime with timers, as axum and hyper do.
    pub fn keep_alive(mut self, every: Option<Duration>) -> EventStream<T> {
        self.keep_alive = every.filter(|every| !every.is_zero());
        self
    }

    /// The events, as a stream.
    pub fn into_inner(self) -> Pin<Box<dyn Stream<Item = Event<T>> + Send>> {
        self.inner
    }
}

impl<T: Send + 'static> From<Vec<Event<T>>> for EventStream<T> {
    fn from(events: Vec<Event<T>>) -> Self {
        EventStream::new(futures_util::stream::iter(events))
    }
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventStream(..)")
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Event<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// A `text/event-stream` response whose events' data is the JSON text of each value. An event
/// whose data cannot be serialized is written as a comment saying so (clients skip it).
pub fn events_response<T: serde::Serialize + 'static>(status: StatusCode, events: EventStream<T>) -> Response {
    stream_response(
        status,
        events.keep_alive,
        events.inner.map(|event| match serde_json::to_string(&event.data) {
            Ok(data) => encode(&event.map(|_| data)),
            Err(err) => comment(&format!("an event could not be written: {err}")),
        }),
    )
}

/// A `text/event-stream` response whose events' data is text, as it is.
pub fn text_events_response(status: StatusCode, events: EventStream<String>) -> Response {
    stream_response(status, events.keep_alive, events.inner.map(|event| encode(&event)))
}

fn stream_response(
    status: StatusCode,
    keep_alive: Option<Duration>,
    text: impl Stream<Item = String> + Send + 'static,
) -> Response {
    let body =
        Body::from_stream(with_keep_alive(text, keep_alive).map(|text| Ok::<Bytes, Infallible>(Bytes::from(text))));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    (status, headers, body).into_response()
}

/// The text of an event stream, with a `: keep-alive` comment after `every` without any.
fn with_keep_alive(
    text: impl Stream<Item = String> + Send + 'static,
    every: Option<Duration>,
) -> Pin<Box<dyn Stream<Item = String> + Send>> {
    let Some(every) = every else { return Box::pin(text) };
    // `next` is cancel-safe: a timeout loses no event.
    Box::pin(futures_util::stream::unfold(Box::pin(text), move |mut text| async move {
        match tokio::time::timeout(every, text.next()).await {
            Ok(item) => item.map(|item| (item, text)),
            Err(_) => Some((comment("keep-alive"), text)),
        }
    }))
}

/// The body of a response that a spec lists both as JSON and as `text/event-stream` (a chat
/// completion that streams when asked to): one or the other.
#[derive(Debug)]
pub enum JsonOrEvents<J, E> {
    /// A JSON body.
    Json(J),
    /// A stream of events.
    Events(EventStream<E>),
}

/// A JSON response, or a `text/event-stream` one whose events' data is JSON.
pub fn json_or_events_response<J: serde::Serialize, E: serde::Serialize + 'static>(
    status: StatusCode,
    body: JsonOrEvents<J, E>,
) -> Response {
    match body {
        JsonOrEvents::Json(body) => super::response::json_response(status, &body),
        JsonOrEvents::Events(events) => events_response(status, events),
    }
}

/// A JSON response, or a `text/event-stream` one whose events' data is text.
pub fn json_or_text_events_response<J: serde::Serialize>(
    status: StatusCode,
    body: JsonOrEvents<J, String>,
) -> Response {
    match body {
        JsonOrEvents::Json(body) => super::response::json_response(status, &body),
        JsonOrEvents::Events(events) => text_events_response(status, events),
    }
}
