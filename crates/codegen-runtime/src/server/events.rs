//! `text/event-stream` responses: the stream of events an implementation answers with, written
//! event by event as it comes (each event is one body frame, which hyper sends at once).

use crate::sse::{comment, encode, Event};
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt as _};
use std::convert::Infallible;
use std::pin::Pin;

/// The events of a `text/event-stream` response, as the implementation produces them: any
/// `Stream` of [`Event`]s ([`EventStream::new`]), or a list of them ([`EventStream::from`]).
pub struct EventStream<T> {
    inner: Pin<Box<dyn Stream<Item = Event<T>> + Send>>,
}

impl<T> EventStream<T> {
    /// The events of `stream`, written as they come.
    pub fn new(stream: impl Stream<Item = Event<T>> + Send + 'static) -> EventStream<T> {
        EventStream { inner: Box::pin(stream) }
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
        events.inner.map(|event| match serde_json::to_string(&event.data) {
            Ok(data) => encode(&event.map(|_| data)),
            Err(err) => comment(&format!("an event could not be written: {err}")),
        }),
    )
}

/// A `text/event-stream` response whose events' data is text, as it is.
pub fn text_events_response(status: StatusCode, events: EventStream<String>) -> Response {
    stream_response(status, events.inner.map(|event| encode(&event)))
}

fn stream_response(status: StatusCode, text: impl Stream<Item = String> + Send + 'static) -> Response {
    let body = Body::from_stream(text.map(|text| Ok::<Bytes, Infallible>(Bytes::from(text))));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    (status, headers, body).into_response()
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
