//! Streamed response bodies: server-sent events decoded into typed events as they arrive, and
//! binary bodies as a stream of chunks. Neither is held whole.

use super::Error;
use crate::sse::{Decoder, Event};
use bytes::Bytes;
use futures_util::{Stream, StreamExt as _};
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The events of a `text/event-stream` response, in order, as they arrive.
///
/// A `Stream` of `Result<Event<T>, Error>` (use [`Events::next`] without importing a stream
/// trait). An event whose data does not decode into `T` is an `Err(Error::Decode)` item (its
/// `body` is the data), and the stream goes on; a broken connection is an `Err(Error::Request)`
/// item, and the stream ends.
pub struct Events<T> {
    inner: Pin<Box<dyn Stream<Item = Result<Event<T>, Error>> + Send>>,
}

impl<T> Events<T> {
    /// The next event, `None` at the end of the stream.
    pub async fn next(&mut self) -> Option<Result<Event<T>, Error>> {
        self.inner.next().await
    }
}

impl<T> std::fmt::Debug for Events<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Events(..)")
    }
}

impl<T> Stream for Events<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// The events of a response, their data decoded by `decode`.
fn events<T: Send + 'static>(
    response: reqwest::Response,
    decode: impl Fn(u16, String) -> Result<T, Error> + Send + 'static,
) -> Events<T> {
    let status = response.status().as_u16();
    struct State<F> {
        chunks: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
        decoder: Decoder,
        ready: VecDeque<Event<String>>,
        done: bool,
        decode: F,
    }
    let state = State {
        chunks: Box::pin(response.bytes_stream()),
        decoder: Decoder::new(),
        ready: VecDeque::new(),
        done: false,
        decode,
    };
    let stream = futures_util::stream::unfold(state, move |mut state| async move {
        loop {
            if let Some(event) = state.ready.pop_front() {
                let Event { id, event, retry, data } = event;
                let item = (state.decode)(status, data).map(|data| Event { id, event, retry, data });
                return Some((item, state));
            }
            if state.done {
                return None;
            }
            match state.chunks.next().await {
                Some(Ok(chunk)) => {
                    let mut found = Vec::new();
                    state.decoder.feed(&chunk, &mut found);
                    state.ready.extend(found);
                }
                Some(Err(err)) => {
                    state.done = true;
                    return Some((Err(Error::Request(err)), state));
                }
                None => state.done = true,
            }
        }
    });
    Events { inner: Box::pin(stream) }
}

/// The events of a response whose data is JSON of `T`.
pub fn json_events<T: serde::de::DeserializeOwned + Send + 'static>(response: reqwest::Response) -> Events<T> {
    events(response, |status, data| {
        serde_json::from_str(&data).map_err(|err| Error::Decode { status, message: err.to_string(), body: data })
    })
}

/// The events of a response whose data is text.
pub fn text_events(response: reqwest::Response) -> Events<String> {
    events(response, |_, data| Ok(data))
}

/// A binary response body, chunk by chunk as it arrives.
///
/// A `Stream` of `Result<Bytes, Error>` (use [`ByteStream::next`] without importing a stream
/// trait); [`ByteStream::bytes`] reads the rest whole.
pub struct ByteStream {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>,
}

impl ByteStream {
    /// The next chunk, `None` at the end of the body.
    pub async fn next(&mut self) -> Option<Result<Bytes, Error>> {
        self.inner.next().await
    }

    /// Reads the rest of the body into one buffer.
    pub async fn bytes(self) -> Result<Bytes, Error> {
        crate::chunks::collect(self).await
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ByteStream(..)")
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// The body of a response, streamed.
pub fn byte_stream(response: reqwest::Response) -> ByteStream {
    ByteStream { inner: Box::pin(response.bytes_stream().map(|chunk| chunk.map_err(Error::Request))) }
}

/// The body of a response that a spec lists both as JSON and as `text/event-stream`: which one
/// the server sent, by its `Content-Type`.
#[derive(Debug)]
pub enum JsonOrEvents<J, E> {
    /// A JSON body, decoded.
    Json(J),
    /// A stream of events.
    Events(Events<E>),
}

/// Whether a response says it is an event stream.
fn is_event_stream(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("text/event-stream"))
}

/// The events of a `text/event-stream` response (their data JSON of `E`), else the body read
/// whole and decoded as JSON of `J`.
pub async fn json_or_events<J, E>(response: reqwest::Response) -> Result<JsonOrEvents<J, E>, Error>
where
    J: serde::de::DeserializeOwned,
    E: serde::de::DeserializeOwned + Send + 'static,
{
    if is_event_stream(&response) {
        return Ok(JsonOrEvents::Events(json_events(response)));
    }
    let status = response.status().as_u16();
    let bytes = response.bytes().await?;
    super::decode_json(status, &bytes).map(JsonOrEvents::Json)
}

/// The events of a `text/event-stream` response (their data text), else the body read whole
/// and decoded as JSON of `J`.
pub async fn json_or_text_events<J: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<JsonOrEvents<J, String>, Error> {
    if is_event_stream(&response) {
        return Ok(JsonOrEvents::Events(text_events(response)));
    }
    let status = response.status().as_u16();
    let bytes = response.bytes().await?;
    super::decode_json(status, &bytes).map(JsonOrEvents::Json)
}
