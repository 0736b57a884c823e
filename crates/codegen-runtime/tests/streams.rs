//! Streamed bodies on the server: binary request bodies under the binary limit (and the answer
//! that replaces the implementation's when they pass it), and event stream responses.

#![cfg(feature = "server")]

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use codegen_runtime::server::{
    events_response, incoming, stream_body, BodyError, ByteStream, Config, Event, EventStream, Incoming, Presence,
};
use codegen_runtime::validation::ValidationErrors;
use futures_util::StreamExt as _;
use http_body_util::BodyExt as _;

fn config() -> Config {
    Config { body_limit: 8, binary_body_limit: 16, ..Config::DEFAULT }
}

/// A chunked body (no length) of these chunks.
fn chunked(chunks: &[&'static [u8]]) -> Body {
    let chunks: Vec<Result<Bytes, std::io::Error>> = chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

fn build(status: StatusCode, errors: ValidationErrors) -> Response {
    (status, errors.to_string()).into_response()
}

#[tokio::test]
async fn a_streamed_body_is_not_held_to_the_json_limit() {
    let body = incoming(chunked(&[b"0123456789", b"abcdef"]), &HeaderMap::new(), &config(), true).await;
    let Ok(Incoming::Stream(stream)) = body else { panic!("a stream") };
    assert_eq!(stream.bytes().await.expect("under the limit"), Bytes::from_static(b"0123456789abcdef"));
    // The same body read whole is over the JSON limit.
    let body = incoming(chunked(&[b"0123456789"]), &HeaderMap::new(), &config(), false).await;
    assert_eq!(body.map(|_| ()), Err(BodyError::TooLarge(8)));
}

#[tokio::test]
async fn a_stream_past_the_limit_ends_with_an_error_and_the_answer_is_413() {
    let body = incoming(chunked(&[b"0123456789", b"0123456789", b"never"]), &HeaderMap::new(), &config(), true)
        .await
        .expect("not declared too large");
    let watch = body.watch();
    let mut stream = body.into_stream();
    assert_eq!(stream.next().await.expect("a chunk").expect("under the limit").len(), 10);
    assert_eq!(stream.next().await.expect("an item"), Err(BodyError::TooLarge(16)));
    assert!(stream.next().await.is_none(), "the stream ends");
    let answer = watch.answer(StatusCode::CREATED.into_response(), build);
    assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.headers().get(header::CONNECTION).expect("close"), "close");
}

#[tokio::test]
async fn a_declared_length_over_the_binary_limit_is_refused_at_once() {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("17"));
    let body = incoming(Body::from(vec![0u8; 17]), &headers, &config(), true).await;
    assert_eq!(body.map(|_| ()), Err(BodyError::TooLarge(16)));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("16"));
    let body = incoming(Body::from(vec![0u8; 16]), &headers, &config(), true).await.expect("at the limit");
    let watch = body.watch();
    assert_eq!(body.into_stream().bytes().await.expect("whole").len(), 16);
    assert_eq!(watch.answer(StatusCode::CREATED.into_response(), build).status(), StatusCode::CREATED);
}

#[tokio::test]
async fn an_empty_stream_is_absent() {
    let mut errors = Vec::new();
    assert!(stream_body(ByteStream::from(Bytes::new()), Presence::Required, &mut errors).is_none());
    assert_eq!(errors.len(), 1);
    assert!(stream_body(ByteStream::from(Bytes::new()), Presence::Optional, &mut errors).is_none());
    assert!(stream_body(ByteStream::from(Bytes::from_static(b"x")), Presence::Required, &mut errors).is_some());
    assert_eq!(errors.len(), 1);
}

#[tokio::test]
async fn events_are_written_one_frame_each() {
    let events: EventStream<serde_json::Value> = vec![
        Event::new(serde_json::json!({"a": "line\nbreak"})).id("1").event("x"),
        Event::new(serde_json::json!(2)).retry(std::time::Duration::from_millis(10)),
    ]
    .into();
    let response = events_response(StatusCode::OK, events);
    assert_eq!(response.headers().get(header::CONTENT_TYPE).expect("type"), "text/event-stream");
    let mut body = response.into_body();
    let mut frames = Vec::new();
    while let Some(frame) = body.frame().await {
        frames.push(String::from_utf8(frame.expect("frame").into_data().expect("data").to_vec()).expect("text"));
    }
    assert_eq!(frames, vec!["id: 1\nevent: x\ndata: {\"a\":\"line\\nbreak\"}\n\n", "retry: 10\ndata: 2\n\n"]);
}

#[tokio::test(start_paused = true)]
async fn a_silent_event_stream_sends_keep_alive_comments_between_events() {
    // One event, 40 s of silence, another event: with the default (15 s), two comments in the
    // gap; with keep-alive off, none.
    let events = || {
        futures_util::stream::iter([1, 2]).then(|n| async move {
            if n == 2 {
                tokio::time::sleep(std::time::Duration::from_secs(40)).await;
            }
            Event::new(serde_json::json!(n))
        })
    };
    let frames = |response: Response| async move {
        let mut body = response.into_body();
        let mut frames = Vec::new();
        while let Some(frame) = body.frame().await {
            frames.push(String::from_utf8(frame.expect("frame").into_data().expect("data").to_vec()).expect("text"));
        }
        frames
    };
    let kept = frames(events_response(StatusCode::OK, EventStream::new(events()))).await;
    assert_eq!(kept, ["data: 1\n\n", ": keep-alive\n\n", ": keep-alive\n\n", "data: 2\n\n"]);
    let quiet = frames(events_response(StatusCode::OK, EventStream::new(events()).keep_alive(None))).await;
    assert_eq!(quiet, ["data: 1\n\n", "data: 2\n\n"]);
}

#[tokio::test]
async fn a_stream_dropped_before_its_end_closes_the_connection_after_the_answer() {
    let body = incoming(chunked(&[b"0123", b"4567"]), &HeaderMap::new(), &config(), true).await.expect("a stream");
    let watch = body.watch();
    let mut stream = body.into_stream();
    assert_eq!(stream.next().await.expect("a chunk").expect("read").len(), 4);
    drop(stream);
    let answer = watch.answer(StatusCode::UNAUTHORIZED.into_response(), build);
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "the implementation's answer stands");
    assert_eq!(answer.headers().get(header::CONNECTION).expect("close"), "close");
    // Read to its end, the connection stays open.
    let body = incoming(chunked(&[b"0123"]), &HeaderMap::new(), &config(), true).await.expect("a stream");
    let watch = body.watch();
    assert_eq!(body.into_stream().bytes().await.expect("whole").len(), 4);
    let answer = watch.answer(StatusCode::CREATED.into_response(), build);
    assert!(answer.headers().get(header::CONNECTION).is_none());
}
