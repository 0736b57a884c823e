//! Streamed bodies end to end, through the generated server and client of
//! `spec/fixtures/streaming.yaml`: server-sent events typed on both sides (ids, types, retry,
//! data decoded into the schema's type; data that does not decode is an error item), each event
//! delivered as it is sent; a binary download read chunk by chunk before the server has
//! finished it; binary uploads streamed to the implementation under the binary limit (the JSON
//! limit does not apply), and answered 413 past it.

use futures_util::StreamExt as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use streaming_client as client;
use streaming_server as server;
use streaming_types::CompletionChunkFinishReason as FinishReason;
use streaming_types::{Completion, CompletionChunk, CompletionRequest, FileInfo, Problem};
use tokio::sync::{mpsc, oneshot};

/// The binary body limit of these tests' server: 2 MiB (the JSON limit stays 1 MiB).
const BINARY_LIMIT: usize = 2 * 1024 * 1024;

fn chunk(index: i64, delta: &str, finish: Option<FinishReason>) -> CompletionChunk {
    CompletionChunk { index, delta: delta.into(), finish_reason: finish }
}

/// The events `createCompletion` answers (model `echo`).
fn completion() -> Vec<server::support::Event<CompletionChunk>> {
    use server::support::Event;
    vec![
        Event::new(chunk(0, "Hel", None)).id("1").event("delta").retry(Duration::from_millis(1500)),
        Event::new(chunk(1, "lo\nworld", None)).id("2").event("delta"),
        Event::new(chunk(2, "", Some(FinishReason::Stop))).event("done"),
    ]
}

/// What the tests hand the implementation: the channels of the live streams, and what uploads
/// it saw.
#[derive(Default)]
struct Streams {
    /// `model: live`: the events come from this channel's receiver.
    live_events: Mutex<Option<mpsc::Receiver<server::support::Event<CompletionChunk>>>>,
    /// `GET /files/large`: waits for this before it sends the rest.
    go_on: Mutex<Option<oneshot::Receiver<()>>>,
    /// (bytes, checksum) of each upload, as the implementation read it, or its error.
    uploads: Mutex<Vec<Result<(usize, i64), String>>>,
}

#[derive(Clone, Default)]
struct Service(Arc<Streams>);

/// 1 MiB chunks of a byte pattern.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

fn checksum(bytes: &[u8]) -> i64 {
    bytes.iter().map(|b| i64::from(*b)).sum()
}

impl server::Api for Service {
    async fn create_completion(&self, request: server::CreateCompletionRequest) -> server::CreateCompletionResponse {
        use server::CreateCompletionResponse as R;
        match request.body.model.as_str() {
            "echo" => R::Ok(completion().into()),
            "live" => {
                let receiver = self.0.live_events.lock().expect("lock").take().expect("one live stream");
                let events = futures_util::stream::unfold(receiver, |mut receiver| async move {
                    receiver.recv().await.map(|event| (event, receiver))
                });
                R::Ok(server::support::EventStream::new(events))
            }
            other => R::NotFound(Problem { message: format!("no model {other}") }),
        }
    }

    async fn complete(&self, request: server::CompleteRequest) -> server::CompleteResponse {
        use server::support::JsonOrEvents;
        if request.body.stream == Some(true) {
            server::CompleteResponse::Ok(JsonOrEvents::Events(completion().into()))
        } else {
            server::CompleteResponse::Ok(JsonOrEvents::Json(Completion { text: "Hello\nworld".into() }))
        }
    }

    async fn tail_logs(&self, request: server::TailLogsRequest) -> server::TailLogsResponse {
        use server::support::Event;
        let lines = request.lines.unwrap_or(2);
        let events: Vec<Event<String>> =
            (0..lines).map(|n| Event::new(format!("line {n}\r\ncontinued\n")).id(n.to_string())).collect();
        server::TailLogsResponse::Ok(events.into())
    }

    async fn download_file(&self, request: server::DownloadFileRequest) -> server::DownloadFileResponse {
        match request.name.as_str() {
            "large" => {
                // 8 MiB in 1 MiB chunks; after the first, it waits until the client says so.
                let go_on = self.0.go_on.lock().expect("lock").take().expect("one large download");
                let data = pattern(8 << 20);
                let sum = checksum(&data);
                let chunks: Vec<Vec<u8>> = data.chunks(1 << 20).map(<[u8]>::to_vec).collect();
                let stream = futures_util::stream::unfold((chunks.into_iter(), Some(go_on), 0), |(mut chunks, go_on, n)| async move {
                    let mut go_on = go_on;
                    if n == 1 {
                        if let Some(go_on) = go_on.take() {
                            let _ = go_on.await;
                        }
                    }
                    let chunk = chunks.next()?;
                    Some((Ok::<_, std::io::Error>(chunk), (chunks, go_on, n + 1)))
                });
                server::DownloadFileResponse::Ok { body: axum::body::Body::from_stream(stream), x_checksum: Some(sum) }
            }
            "small" => server::DownloadFileResponse::Ok { body: axum::body::Body::from("tiny"), x_checksum: None },
            _ => server::DownloadFileResponse::NotFound(Problem { message: "no such file".into() }),
        }
    }

    async fn upload_file(&self, request: server::UploadFileRequest) -> server::UploadFileResponse {
        let mut body = request.body;
        let (mut size, mut sum) = (0usize, 0i64);
        let mut outcome = Ok(());
        while let Some(chunk) = body.next().await {
            match chunk {
                Ok(chunk) => {
                    size += chunk.len();
                    sum += checksum(&chunk);
                }
                Err(err) => {
                    outcome = Err(err.to_string());
                    break;
                }
            }
        }
        self.0.uploads.lock().expect("lock").push(outcome.map(|()| (size, sum)));
        // Past the limit this answer is replaced by the router's 413.
        server::UploadFileResponse::Created(FileInfo { name: request.name, size: size as i64, checksum: Some(sum) })
    }

    async fn get_avatar(&self, request: server::GetAvatarRequest) -> server::GetAvatarResponse {
        match request.id {
            1 => server::GetAvatarResponse::Ok(axum::body::Body::from(vec![0x89, b'P', b'N', b'G'])),
            _ => server::GetAvatarResponse::Default {
                status: axum::http::StatusCode::GONE,
                body: axum::body::Body::from("gone"),
            },
        }
    }
}

async fn serve(service: Service) -> client::Client {
    let config = server::Config { binary_body_limit: BINARY_LIMIT, ..server::CONFIG };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    let app = server::router_with_config(service, config);
    tokio::spawn(async move { server::serve(listener, app, config).await });
    client::Client::new(&format!("http://{addr}"))
}

fn request(model: &str) -> CompletionRequest {
    CompletionRequest { model: model.into(), prompt: "Hello".into(), max_tokens: None, stream: None }
}

#[tokio::test]
async fn events_round_trip_typed_with_ids_types_and_retry() {
    let client = serve(Service::default()).await;
    let client::CreateCompletionResponse::Ok(mut events) = client.create_completion(&request("echo")).await.expect("sent")
    else {
        panic!("not 200")
    };
    let mut received = Vec::new();
    while let Some(event) = events.next().await {
        received.push(event.expect("every event decodes"));
    }
    assert_eq!(received, completion());
    match client.create_completion(&request("nope")).await.expect("sent") {
        client::CreateCompletionResponse::NotFound(problem) => assert_eq!(problem.message, "no model nope"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_response_listed_as_json_and_as_events_is_either_by_its_content_type() {
    use client::support::JsonOrEvents;
    let client = serve(Service::default()).await;
    match client.complete(&request("echo")).await.expect("sent") {
        client::CompleteResponse::Ok(JsonOrEvents::Json(completion)) => assert_eq!(completion.text, "Hello\nworld"),
        other => panic!("{other:?}"),
    }
    let streamed = CompletionRequest { stream: Some(true), ..request("echo") };
    match client.complete(&streamed).await.expect("sent") {
        client::CompleteResponse::Ok(JsonOrEvents::Events(events)) => {
            let received: Vec<_> = events.map(|event| event.expect("decodes")).collect().await;
            assert_eq!(received, completion());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn text_events_keep_their_lines() {
    let client = serve(Service::default()).await;
    let client::TailLogsResponse::Ok(events) =
        client.tail_logs(&client::TailLogsParams { lines: Some(3) }).await.expect("sent");
    let received: Vec<_> = events.map(|event| event.expect("text")).collect().await;
    let expected: Vec<client::support::Event<String>> = (0..3)
        .map(|n| client::support::Event::new(format!("line {n}\ncontinued\n")).id(n.to_string()))
        .collect();
    assert_eq!(received, expected);
}

#[tokio::test]
async fn each_event_arrives_when_it_is_sent() {
    let service = Service::default();
    let (sender, receiver) = mpsc::channel(1);
    *service.0.live_events.lock().expect("lock") = Some(receiver);
    let client = serve(service).await;
    let client::CreateCompletionResponse::Ok(mut events) = client.create_completion(&request("live")).await.expect("sent")
    else {
        panic!("not 200")
    };
    for index in 0..3 {
        let event = server::support::Event::new(chunk(index, "x", None)).id(index.to_string());
        sender.send(event.clone()).await.expect("the server reads");
        // The stream is still open: only the event just sent can have arrived.
        let received = tokio::time::timeout(Duration::from_secs(5), events.next()).await.expect("in time");
        assert_eq!(received.expect("an event").expect("decodes"), event);
    }
    drop(sender);
    assert!(events.next().await.is_none(), "the stream ends with the server's");
}

/// A server that writes events by hand, some of whose data is not a `CompletionChunk`.
async fn raw_events_server(text: &'static str) -> client::Client {
    let app = axum::Router::new().route(
        "/chat/completions",
        axum::routing::post(move || async move { ([("content-type", "text/event-stream")], text) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    client::Client::new(&format!("http://{addr}"))
}

#[tokio::test]
async fn data_that_does_not_decode_is_an_error_item_and_the_stream_goes_on() {
    let text = ": a comment\r\nid: 1\r\ndata: {\"index\": 0, \"delta\": \"a\"}\r\n\r\n\
                data: not json\n\n\
                data: {\"index\": \"one\", \"delta\": \"b\"}\n\n\
                data: {\"index\": 1,\ndata:  \"delta\": \"c\"}\n\n\
                data: [DONE]\n\n";
    let client = raw_events_server(text).await;
    let client::CreateCompletionResponse::Ok(events) = client.create_completion(&request("any")).await.expect("sent")
    else {
        panic!("not 200")
    };
    let items: Vec<_> = events.collect().await;
    assert_eq!(items.len(), 5, "{items:?}");
    assert_eq!(items[0].as_ref().expect("decodes"), &client::support::Event::new(chunk(0, "a", None)).id("1"));
    for (item, data) in [(&items[1], "not json"), (&items[2], "{\"index\": \"one\", \"delta\": \"b\"}"), (&items[4], "[DONE]")] {
        match item {
            Err(client::Error::Decode { status: 200, body, .. }) => assert_eq!(body, data),
            other => panic!("{other:?}"),
        }
    }
    // Data of several lines is joined with line feeds, which JSON reads as white space.
    assert_eq!(items[3].as_ref().expect("decodes").data, chunk(1, "c", None));
}

#[tokio::test]
async fn a_large_download_is_read_before_the_server_has_sent_it_all() {
    let service = Service::default();
    let (go_on, wait) = oneshot::channel();
    *service.0.go_on.lock().expect("lock") = Some(wait);
    let client = serve(service).await;
    let client::DownloadFileResponse::Ok(mut body) = client.download_file("large").await.expect("sent") else {
        panic!("not 200")
    };
    // The server holds back all but the first MiB until told to go on.
    let mut received = Vec::new();
    while received.len() < 1 << 20 {
        let chunk = tokio::time::timeout(Duration::from_secs(5), body.next()).await.expect("the first MiB in time");
        received.extend_from_slice(&chunk.expect("a chunk").expect("read"));
    }
    assert_eq!(received.len(), 1 << 20, "nothing beyond the first MiB was sent yet");
    go_on.send(()).expect("the server waits");
    received.extend_from_slice(&body.bytes().await.expect("the rest"));
    assert_eq!(received, pattern(8 << 20));
    let client::DownloadFileResponse::Ok(small) = client.download_file("small").await.expect("sent") else {
        panic!("not 200")
    };
    assert_eq!(&small.bytes().await.expect("read")[..], b"tiny");
    match client.download_file("missing").await.expect("sent") {
        client::DownloadFileResponse::NotFound(problem) => assert_eq!(problem.message, "no such file"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn binary_responses_of_any_status_stream() {
    let client = serve(Service::default()).await;
    let client::GetAvatarResponse::Ok(image) = client.get_avatar(1).await.expect("sent") else { panic!("not 200") };
    assert_eq!(&image.bytes().await.expect("read")[..], b"\x89PNG");
    match client.get_avatar(2).await.expect("sent") {
        client::GetAvatarResponse::Default { status: 410, body } => assert_eq!(&body.bytes().await.expect("read")[..], b"gone"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_upload_under_the_binary_limit_arrives_whole_past_the_json_limit() {
    let service = Service::default();
    let client = serve(service.clone()).await;
    // 1.5 MiB: over the JSON limit (1 MiB), under the binary one (2 MiB).
    let data = pattern(3 << 19);
    let created = client.upload_file("a.bin", data.clone().into()).await.expect("sent");
    let client::UploadFileResponse::Created(info) = created;
    assert_eq!(info, FileInfo { name: "a.bin".into(), size: data.len() as i64, checksum: Some(checksum(&data)) });
    // Streamed by the client too (chunked, no Content-Length).
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = data.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let client::UploadFileResponse::Created(info) = client.upload_file("b.bin", body).await.expect("sent");
    assert_eq!(info.size, data.len() as i64);
    assert_eq!(service.0.uploads.lock().expect("lock").clone(), vec![Ok((data.len(), checksum(&data))); 2]);
}

#[tokio::test]
async fn an_upload_over_the_binary_limit_is_answered_413() {
    let service = Service::default();
    let client = serve(service.clone()).await;
    let data = pattern(BINARY_LIMIT + 1);
    // With a Content-Length: refused before the implementation runs.
    match client.upload_file("big.bin", data.clone().into()).await {
        Err(client::Error::UnexpectedStatus { status: 413, body }) => assert!(body.contains("2097152"), "{body}"),
        other => panic!("{other:?}"),
    }
    assert!(service.0.uploads.lock().expect("lock").is_empty(), "the implementation never ran");
    // Chunked: the implementation's stream ends with the error, and the router answers 413.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = data.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    match client.upload_file("big.bin", body).await {
        Err(client::Error::UnexpectedStatus { status: 413, .. }) => {}
        other => panic!("{other:?}"),
    }
    let uploads = service.0.uploads.lock().expect("lock").clone();
    assert_eq!(uploads.len(), 1);
    assert!(uploads[0].as_ref().is_err_and(|err| err.contains("larger than 2097152")), "{uploads:?}");
}

#[tokio::test]
async fn an_empty_upload_is_a_400() {
    let client = serve(Service::default()).await;
    match client.upload_file("empty.bin", Vec::<u8>::new().into()).await {
        Err(client::Error::UnexpectedStatus { status: 400, body }) => assert!(body.contains("required"), "{body}"),
        other => panic!("{other:?}"),
    }
}

/// A server that answers `/completions` with one fixed JSON body, right or wrong.
async fn raw_json_server(body: &'static str) -> String {
    let app = axum::Router::new().route(
        "/completions",
        axum::routing::post(move || async move { ([("content-type", "application/json")], body) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn checked_responses_stream_events_unread_and_check_json() {
    use client::support::JsonOrEvents;
    // The generated server checks its responses too (Reject): the events flow past the check.
    let config = server::Config { response_checks: server::ResponseChecks::Reject, ..server::CONFIG };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    let app = server::router_with_config(Service::default(), config);
    tokio::spawn(async move { server::serve(listener, app, config).await });
    let checked = client::Client::builder(&format!("http://{addr}")).check_responses(true).build().expect("client");
    let streamed = CompletionRequest { stream: Some(true), ..request("echo") };
    match checked.complete(&streamed).await.expect("sent") {
        client::CompleteResponse::Ok(JsonOrEvents::Events(events)) => {
            let received: Vec<_> = events.map(|event| event.expect("decodes")).collect().await;
            assert_eq!(received, completion());
        }
        other => panic!("{other:?}"),
    }
    match checked.complete(&request("echo")).await.expect("sent") {
        client::CompleteResponse::Ok(JsonOrEvents::Json(completion)) => assert_eq!(completion.text, "Hello\nworld"),
        other => panic!("{other:?}"),
    }
    // A JSON answer that breaks the schema is every error, before decoding.
    let base = raw_json_server(r#"{"text": 5}"#).await;
    let checked = client::Client::builder(&base).check_responses(true).build().expect("client");
    match checked.complete(&request("echo")).await {
        Err(client::Error::InvalidResponse { status, errors, .. }) => {
            assert_eq!(status, 200);
            let paths: Vec<&str> = errors.iter().map(|error| error.path.as_str()).collect();
            assert_eq!(paths, ["response.text"]);
        }
        other => panic!("{other:?}"),
    }
    // Unchecked, the same answer fails only where it does not decode.
    let unchecked = client::Client::new(&base);
    assert!(matches!(unchecked.complete(&request("echo")).await, Err(client::Error::Decode { .. })));
}
