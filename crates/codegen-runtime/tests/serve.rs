//! `serve` and `read_body` on a real loopback socket, with a raw HTTP/1.1 client so that every
//! byte and its timing is the test's: a body over the limit answered 413 to a client that sends
//! it all before reading (Content-Length and chunked), `Expect: 100-continue`, the read-through
//! bound; header, body and idle timeouts cutting off slow clients while others are served; and
//! graceful shutdown letting requests in flight finish.
#![cfg(feature = "server")]

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use codegen_runtime::server::{read_body, serve, BodyError, Config};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A router whose every route reads the body under `config`'s limit and answers its length;
/// `/sleep` first waits 600 ms.
fn router(config: Config) -> axum::Router {
    let handler = move |request: Request| async move {
        if request.uri().path() == "/sleep" {
            tokio::time::sleep(Duration::from_millis(600)).await;
        }
        let (parts, body) = request.into_parts();
        match read_body(body, &parts.headers, &config).await {
            Ok(bytes) => (StatusCode::OK, format!("{} bytes", bytes.len())).into_response(),
            Err(err) => err.into_response(|status, errors| (status, errors.to_string()).into_response()),
        }
    };
    axum::Router::new().fallback(handler)
}

struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(config: Config) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        let (stop, stopped) = oneshot::channel::<()>();
        let signal = async move {
            let _ = stopped.await;
        };
        let task = tokio::spawn(serve(listener, router(config), config).with_graceful_shutdown(signal).into_future());
        Server { addr, stop: Some(stop), task }
    }

    async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.addr).await.expect("connect")
    }

    fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

use std::future::IntoFuture as _;

/// A response as the client read it.
#[derive(Debug)]
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn closes(&self) -> bool {
        self.head.to_ascii_lowercase().contains("\r\nconnection: close\r\n")
    }
}

/// Reads one response (with a Content-Length body), or `None` when the connection ends first
/// or nothing complete comes within 10 s.
async fn read_reply(stream: &mut TcpStream) -> Option<Reply> {
    tokio::time::timeout(Duration::from_secs(10), read_whole_reply(stream)).await.ok().flatten()
}

async fn read_whole_reply(stream: &mut TcpStream) -> Option<Reply> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[end..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    Some(Reply { status, head, body: String::from_utf8_lossy(&body).into_owned() })
}

/// Whether the server closes the connection within `within` (a read ends or fails); data it
/// still sends is skipped.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut chunk = [0u8; 8192];
    let ends = async {
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(within, ends).await.is_ok()
}

fn post_head(length: Option<usize>, extra: &str) -> String {
    let framing = match length {
        Some(length) => format!("Content-Length: {length}\r\n"),
        None => "Transfer-Encoding: chunked\r\n".to_string(),
    };
    format!("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Type: application/octet-stream\r\n{framing}{extra}\r\n")
}

/// The request a client like Python's urllib sends: headers and the whole body, written before
/// it reads anything.
fn whole_request(size: usize, chunked: bool) -> Vec<u8> {
    let body = vec![b'x'; size];
    if !chunked {
        let mut request = post_head(Some(size), "").into_bytes();
        request.extend_from_slice(&body);
        return request;
    }
    let mut request = post_head(None, "").into_bytes();
    for chunk in body.chunks(16 * 1024) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    request
}

const LIMIT: usize = 1024;

fn limited() -> Config {
    Config { body_limit: LIMIT, discard_limit: 32 * 1024 * 1024, ..Config::DEFAULT }
}

#[tokio::test]
async fn a_client_that_sends_its_whole_body_before_reading_gets_the_413() {
    let server = Server::start(limited()).await;
    // 16 MiB: more than the socket buffers of loopback hold, so the write only completes if
    // the server reads the body through.
    for chunked in [false, true] {
        let mut stream = server.connect().await;
        let request = whole_request(16 * 1024 * 1024, chunked);
        let write = tokio::time::timeout(Duration::from_secs(20), stream.write_all(&request)).await;
        assert!(matches!(write, Ok(Ok(()))), "chunked {chunked}: the body could not be sent: {write:?}");
        let reply = read_reply(&mut stream).await.expect("a response");
        assert_eq!(reply.status, 413, "chunked {chunked}: {reply:?}");
        assert!(reply.body.contains("must be at most 1024 bytes"), "{reply:?}");
        assert!(reply.closes(), "{reply:?}");
        assert!(closed_within(&mut stream, Duration::from_secs(5)).await, "chunked {chunked}: not closed");
    }
    // The server goes on serving.
    let mut stream = server.connect().await;
    stream.write_all(&whole_request(LIMIT, false)).await.expect("send");
    let reply = read_reply(&mut stream).await.expect("a response");
    assert_eq!((reply.status, reply.body.as_str()), (200, "1024 bytes"));
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_answered_before_the_body_arrives() {
    let server = Server::start(limited()).await;
    let mut stream = server.connect().await;
    stream.write_all(post_head(Some(2 * 1024 * 1024), "").as_bytes()).await.expect("send");
    // Nothing of the body sent yet: the answer comes anyway.
    let reply = tokio::time::timeout(Duration::from_secs(5), read_reply(&mut stream)).await.expect("in time");
    let reply = reply.expect("a response");
    assert_eq!(reply.status, 413);
    assert!(reply.closes());
    // Then the body the client sends is read through, and the connection closed.
    let body = vec![b'x'; 2 * 1024 * 1024];
    let write = tokio::time::timeout(Duration::from_secs(10), stream.write_all(&body)).await;
    assert!(matches!(write, Ok(Ok(()))), "{write:?}");
    assert!(closed_within(&mut stream, Duration::from_secs(5)).await);
}

#[tokio::test]
async fn expect_continue_over_the_limit_gets_the_413_instead_of_100() {
    let server = Server::start(limited()).await;
    let mut stream = server.connect().await;
    stream.write_all(post_head(Some(2 * 1024 * 1024), "Expect: 100-continue\r\n").as_bytes()).await.expect("send");
    let reply = tokio::time::timeout(Duration::from_secs(5), read_reply(&mut stream)).await.expect("in time");
    let reply = reply.expect("a response");
    assert_eq!(reply.status, 413, "no 100 Continue: {reply:?}");
    assert!(closed_within(&mut stream, Duration::from_secs(5)).await);

    // Within the limit, the client is told to go on.
    let mut stream = server.connect().await;
    stream.write_all(post_head(Some(10), "Expect: 100-continue\r\n").as_bytes()).await.expect("send");
    let mut interim = [0u8; 25];
    stream.read_exact(&mut interim).await.expect("interim response");
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream.write_all(b"0123456789").await.expect("send");
    let reply = read_reply(&mut stream).await.expect("a response");
    assert_eq!((reply.status, reply.body.as_str()), (200, "10 bytes"));
}

#[tokio::test]
async fn a_body_beyond_the_read_through_bound_is_not_read() {
    let config = Config { body_limit: LIMIT, discard_limit: 64 * 1024, ..Config::DEFAULT };
    let server = Server::start(config).await;
    // Declared beyond the bound: answered and closed without waiting for the body.
    let mut stream = server.connect().await;
    stream.write_all(post_head(Some(1024 * 1024), "").as_bytes()).await.expect("send");
    let reply = read_reply(&mut stream).await.expect("a response");
    assert_eq!(reply.status, 413);
    assert!(closed_within(&mut stream, Duration::from_secs(2)).await, "the connection stays open");
    // Chunked: read up to the bound, then closed while the client is still sending.
    let mut stream = server.connect().await;
    let request = whole_request(32 * 1024 * 1024, true);
    let write = tokio::time::timeout(Duration::from_secs(20), stream.write_all(&request)).await;
    assert!(matches!(write, Ok(Err(_))), "the whole body was read: {write:?}");
}

#[tokio::test]
async fn read_through_stops_after_the_discard_timeout() {
    let config = Config { body_limit: LIMIT, discard_timeout: Duration::from_millis(300), ..Config::DEFAULT };
    let server = Server::start(config).await;
    let mut stream = server.connect().await;
    stream.write_all(post_head(Some(4096), "").as_bytes()).await.expect("send");
    let reply = read_reply(&mut stream).await.expect("a response");
    assert_eq!(reply.status, 413);
    // The client sends nothing more; the server stops waiting for the body.
    let started = Instant::now();
    assert!(closed_within(&mut stream, Duration::from_secs(3)).await);
    assert!(started.elapsed() >= Duration::from_millis(250), "{:?}", started.elapsed());
}

#[tokio::test]
async fn bodies_within_the_limit_keep_the_connection() {
    let server = Server::start(limited()).await;
    let mut stream = server.connect().await;
    for size in [0, 1, LIMIT] {
        stream.write_all(&whole_request(size, size == 1)).await.expect("send");
        let reply = read_reply(&mut stream).await.expect("a response");
        assert_eq!((reply.status, reply.body.clone()), (200, format!("{size} bytes")));
        assert!(!reply.closes());
    }
}

fn quick() -> Config {
    Config {
        header_read_timeout: Some(Duration::from_millis(300)),
        body_read_timeout: Some(Duration::from_millis(300)),
        idle_timeout: Some(Duration::from_millis(300)),
        ..Config::DEFAULT
    }
}

/// Sends `bytes` one at a time every 50 ms until the server closes the connection; returns
/// how long that took, or `None` when all were sent.
async fn trickle(stream: &mut TcpStream, bytes: &[u8]) -> Option<Duration> {
    let started = Instant::now();
    let (mut reader, mut writer) = stream.split();
    let writing = async {
        for byte in bytes {
            if writer.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        std::future::pending::<()>().await;
    };
    let closed = async {
        let mut chunk = [0u8; 1024];
        loop {
            match reader.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    let total = Duration::from_millis(50 * bytes.len() as u64 + 1000);
    tokio::select! {
        () = closed => Some(started.elapsed()),
        () = writing => None,
        () = tokio::time::sleep(total) => None,
    }
}

/// A normal client, one request per connection every 50 ms for `during`: how many got 200.
async fn normal_client(addr: SocketAddr, during: Duration) -> (usize, usize) {
    let started = Instant::now();
    let (mut ok, mut all) = (0, 0);
    while started.elapsed() < during {
        all += 1;
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        stream.write_all(&whole_request(10, false)).await.expect("send");
        if read_reply(&mut stream).await.is_some_and(|reply| reply.status == 200) {
            ok += 1;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (ok, all)
}

#[tokio::test]
async fn slow_headers_are_cut_off_while_others_are_served() {
    let server = Server::start(quick()).await;
    let mut slow = server.connect().await;
    let header = format!("GET / HTTP/1.1\r\nHost: test\r\nX-Slow: {}\r\n\r\n", "a".repeat(60));
    let (cut, (ok, all)) =
        tokio::join!(trickle(&mut slow, header.as_bytes()), normal_client(server.addr, Duration::from_secs(1)));
    let cut = cut.expect("the slow connection was not closed");
    assert!(cut >= Duration::from_millis(250) && cut < Duration::from_millis(1500), "closed after {cut:?}");
    assert_eq!(ok, all, "normal requests failed meanwhile");
}

#[tokio::test]
async fn a_slow_body_is_answered_408_and_closed_while_others_are_served() {
    let server = Server::start(quick()).await;
    let mut slow = server.connect().await;
    slow.write_all(post_head(Some(40), "").as_bytes()).await.expect("send");
    let started = Instant::now();
    let sending = async {
        for _ in 0..40 {
            if slow.write_all(b"x").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            if started.elapsed() > Duration::from_millis(400) {
                break;
            }
        }
        read_reply(&mut slow).await
    };
    let (reply, (ok, all)) = tokio::join!(sending, normal_client(server.addr, Duration::from_millis(800)));
    let reply = reply.expect("a response");
    assert_eq!(reply.status, 408, "{reply:?}");
    assert!(reply.body.contains("was not received within 300ms"), "{reply:?}");
    assert!(reply.closes());
    assert!(closed_within(&mut slow, Duration::from_secs(2)).await);
    assert_eq!(ok, all, "normal requests failed meanwhile");
}

#[tokio::test]
async fn idle_connections_are_closed() {
    let server = Server::start(quick()).await;
    // Opened and never used.
    let mut stream = server.connect().await;
    let started = Instant::now();
    assert!(closed_within(&mut stream, Duration::from_secs(2)).await);
    assert!(started.elapsed() >= Duration::from_millis(250), "{:?}", started.elapsed());
    // Kept alive after a response.
    let mut stream = server.connect().await;
    stream.write_all(&whole_request(1, false)).await.expect("send");
    assert_eq!(read_reply(&mut stream).await.expect("a response").status, 200);
    let started = Instant::now();
    assert!(closed_within(&mut stream, Duration::from_secs(2)).await);
    assert!(started.elapsed() >= Duration::from_millis(250), "{:?}", started.elapsed());
}

#[tokio::test]
async fn the_header_timeout_counts_from_the_first_byte_and_a_slow_handler_is_not_idle() {
    let config = Config { idle_timeout: Some(Duration::from_secs(3)), ..quick() };
    let server = Server::start(config).await;
    let mut stream = server.connect().await;
    // Idle for longer than the header timeout, then a prompt request: served.
    tokio::time::sleep(Duration::from_millis(600)).await;
    stream.write_all(&whole_request(3, false)).await.expect("send");
    assert_eq!(read_reply(&mut stream).await.expect("a response").status, 200);
    // A handler busy for longer than every timeout of quick(): not cut off.
    let server = Server::start(quick()).await;
    let mut stream = server.connect().await;
    stream.write_all(b"GET /sleep HTTP/1.1\r\nHost: test\r\n\r\n").await.expect("send");
    assert_eq!(read_reply(&mut stream).await.expect("a response").status, 200);
}

#[tokio::test]
async fn no_timeouts_when_they_are_none() {
    let config = Config { header_read_timeout: None, body_read_timeout: None, idle_timeout: None, ..Config::DEFAULT };
    let server = Server::start(config).await;
    let mut stream = server.connect().await;
    stream.write_all(b"GET / HTTP/1.1\r\n").await.expect("send");
    assert!(!closed_within(&mut stream, Duration::from_millis(500)).await);
    stream.write_all(b"Host: test\r\n\r\n").await.expect("send");
    assert_eq!(read_reply(&mut stream).await.expect("a response").status, 200);
}

#[tokio::test]
async fn requests_in_flight_finish_on_shutdown() {
    let mut server = Server::start(Config::DEFAULT).await;
    let mut idle = server.connect().await;
    let mut busy = server.connect().await;
    busy.write_all(post_head(Some(10), "").as_bytes()).await.expect("send");
    busy.write_all(b"01234").await.expect("send");
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.shut_down();
    // Idle connections are closed at once, and no new connection is accepted.
    assert!(closed_within(&mut idle, Duration::from_secs(2)).await);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(TcpStream::connect(server.addr).await.is_err(), "still accepting");
    // The request in flight completes, and its connection is closed after it.
    busy.write_all(b"56789").await.expect("send");
    let reply = read_reply(&mut busy).await.expect("a response");
    assert_eq!((reply.status, reply.body.as_str()), (200, "10 bytes"));
    assert!(reply.closes(), "{reply:?}");
    let stopped = tokio::time::timeout(Duration::from_secs(2), server.task).await;
    assert!(matches!(stopped, Ok(Ok(Ok(())))), "{stopped:?}");
}

#[tokio::test]
async fn shutdown_gives_up_on_requests_after_the_shutdown_timeout() {
    let config =
        Config { shutdown_timeout: Some(Duration::from_millis(300)), body_read_timeout: None, ..Config::DEFAULT };
    let mut server = Server::start(config).await;
    let mut stuck = server.connect().await;
    stuck.write_all(post_head(Some(10), "").as_bytes()).await.expect("send");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    server.shut_down();
    let stopped = tokio::time::timeout(Duration::from_secs(3), server.task).await;
    assert!(matches!(stopped, Ok(Ok(Ok(())))), "{stopped:?}");
    assert!(started.elapsed() >= Duration::from_millis(250), "{:?}", started.elapsed());
    assert!(closed_within(&mut stuck, Duration::from_secs(1)).await);
}

#[test]
fn body_errors_answer_with_their_status_and_close_the_connection() {
    let build = |status: StatusCode, errors: codegen_runtime::validation::ValidationErrors| -> Response {
        (status, errors.to_string()).into_response()
    };
    let cases = [
        (BodyError::TooLarge(64), StatusCode::PAYLOAD_TOO_LARGE, "must be at most 64 bytes"),
        (BodyError::TimedOut(Duration::from_secs(60)), StatusCode::REQUEST_TIMEOUT, "was not received within 60s"),
        (BodyError::Unreadable, StatusCode::BAD_REQUEST, "could not be read"),
        (BodyError::Encoded, StatusCode::BAD_REQUEST, "must be sent without a Content-Encoding (uncompressed)"),
    ];
    for (err, status, message) in cases {
        assert_eq!(err.status(), status);
        let errors = err.errors();
        assert_eq!(errors.0.len(), 1);
        assert_eq!((errors.0[0].path.as_str(), errors.0[0].message.as_str()), ("body", message));
        let response = err.into_response(build);
        assert_eq!(response.status(), status);
        assert_eq!(response.headers()["connection"], "close");
    }
    assert_eq!(Config::default(), Config::DEFAULT);
    assert_eq!(Config::DEFAULT.body_limit, 1024 * 1024);
}
