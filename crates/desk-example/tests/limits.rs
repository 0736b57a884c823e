//! The body limit as real clients see it: the example served by the generated `serve` on
//! loopback, bodies over the 1 MiB limit sent by reqwest (with a Content-Length and streamed,
//! chunked) and by a client that writes its whole request before it reads anything (as Python's
//! urllib does); each must read the 413 and its body, and the server must go on serving.
//! `clients/body_limit.py` runs the same checks with urllib, requests, curl and Node's fetch
//! (`.ci/run` runs it).

use bytes::Bytes;
use serde_json::{json, Value};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "limits-test-key";
const PATH: &str = "/desk/api/v2/conversations.json";
const MIB: usize = 1024 * 1024;

async fn example() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    let config = desk_server::Config::default();
    let router = desk_server::router_with_config(desk_example::DeskExample::new(KEY), config);
    tokio::spawn(async move {
        let _ = desk_server::serve(listener, router, config).await;
    });
    format!("http://{addr}")
}

/// A JSON document of exactly `size` bytes.
fn payload(size: usize) -> Vec<u8> {
    let mut body = br#"{"socket_id": ""#.to_vec();
    body.resize(size - 2, b'x');
    body.extend_from_slice(br#""}"#);
    body
}

fn too_large() -> Value {
    json!({"errors": {"body": [format!("must be at most {MIB} bytes")]}})
}

/// A body sent in 64 KiB chunks with no length known beforehand (so: chunked).
struct Chunks(Vec<Bytes>);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        Poll::Ready(if self.0.is_empty() { None } else { Some(Ok(http_body::Frame::data(self.0.remove(0)))) })
    }
}

fn chunks(data: &[u8]) -> Chunks {
    Chunks(data.chunks(64 * 1024).map(Bytes::copy_from_slice).collect())
}

#[tokio::test]
async fn reqwest_reads_the_413() {
    let base = example().await;
    let http = reqwest::Client::new();
    for size in [MIB + 1, 2 * MIB, 6 * MIB] {
        for chunked in [false, true] {
            let data = payload(size);
            let body = if chunked { reqwest::Body::wrap(chunks(&data)) } else { reqwest::Body::from(data) };
            let response = http
                .post(format!("{base}{PATH}"))
                .bearer_auth(KEY)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap_or_else(|err| panic!("{size} bytes, chunked {chunked}: {err:?}"));
            assert_eq!(response.status(), 413, "{size} bytes, chunked {chunked}");
            assert_eq!(response.headers()["connection"], "close");
            let body: Value = response.json().await.expect("JSON body");
            assert_eq!(body, too_large());
        }
    }
    // The limit itself is accepted (and the server still serves).
    let response = http
        .post(format!("{base}{PATH}"))
        .bearer_auth(KEY)
        .header("content-type", "application/json")
        .body(payload(MIB))
        .send()
        .await
        .expect("a body of exactly the limit");
    assert_eq!(response.status(), 201);
}

/// Writes the whole request, then reads the whole response (until the server closes).
async fn send_all_then_read(base: &str, size: usize, chunked: bool) -> Result<(u16, Value), String> {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let data = payload(size);
    let framing = if chunked { "Transfer-Encoding: chunked".to_string() } else { format!("Content-Length: {size}") };
    let mut request = format!(
        "POST {PATH} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"
    )
    .into_bytes();
    if chunked {
        for chunk in data.chunks(64 * 1024) {
            request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            request.extend_from_slice(chunk);
            request.extend_from_slice(b"\r\n");
        }
        request.extend_from_slice(b"0\r\n\r\n");
    } else {
        request.extend_from_slice(&data);
    }
    let exchange = async {
        stream.write_all(&request).await.map_err(|e| format!("sending: {e}"))?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.map_err(|e| format!("reading: {e}"))?;
        Ok::<_, String>(response)
    };
    let response = tokio::time::timeout(Duration::from_secs(30), exchange).await.map_err(|_| "timed out")??;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").ok_or(format!("no response: {text:?}"))?;
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or(format!("bad head: {head}"))?;
    let body = serde_json::from_str(body).map_err(|e| format!("{e}: {body}"))?;
    Ok((status, body))
}

#[tokio::test]
async fn a_client_that_sends_everything_before_reading_gets_the_413() {
    let base = example().await;
    for size in [MIB + 1, 2 * MIB, 6 * MIB] {
        for chunked in [false, true] {
            let reply = send_all_then_read(&base, size, chunked).await;
            assert_eq!(reply, Ok((413, too_large())), "{size} bytes, chunked {chunked}");
        }
    }
}

/// Sends one request head (no body) on its own connection; returns the status and the body.
async fn raw_head(base: &str, head: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(head.as_bytes()).await.expect("send");
    let mut response = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response)).await;
    let text = String::from_utf8_lossy(&response).to_string();
    let status = text.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, body)| body.to_string()).unwrap_or_default();
    (status, body)
}

/// RFC 9112 §3.2: an HTTP/1.1 request without `Host`, or one with two, is a 400 that says so;
/// HTTP/1.0 may leave it out.
#[tokio::test]
async fn a_request_needs_exactly_one_host() {
    let base = example().await;
    let auth = format!("Authorization: Bearer {KEY}\r\nConnection: close\r\n");
    let get = format!("GET {PATH}?fields=id");
    let (status, body) = raw_head(&base, &format!("{get} HTTP/1.1\r\n{auth}\r\n")).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("Host") && body.contains("is required in an HTTP/1.1 request"), "{body}");
    let (status, body) = raw_head(&base, &format!("{get} HTTP/1.1\r\nHost: a\r\nHost: b\r\n{auth}\r\n")).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("must be sent once, not 2 times"), "{body}");
    let (status, body) = raw_head(&base, &format!("{get} HTTP/1.1\r\nHost: a\r\n{auth}\r\n")).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = raw_head(&base, &format!("{get} HTTP/1.0\r\n{auth}\r\n")).await;
    assert_eq!(status, 200, "{body}");
}
