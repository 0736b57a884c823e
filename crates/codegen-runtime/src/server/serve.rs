//! Serving a router over HTTP/1.1 with the timeouts of [`Config`] and graceful shutdown.
//!
//! axum's own `serve` has no timeouts: a client that sends its headers or its body a byte at a
//! time holds its connection (and its task) as long as it likes. [`serve`] runs each connection
//! with hyper's HTTP/1 server and watches it:
//!
//! - from the first byte of a request to the end of its headers: [`Config::header_read_timeout`],
//!   then the connection is closed;
//! - from the end of the headers to the end of the body: [`Config::body_read_timeout`], then
//!   reading the body fails with [`BodyTimeout`] (a generated server answers 408) and the
//!   connection is closed;
//! - with no request, from the connection's opening or the end of the previous response to
//!   the next request's first byte: [`Config::idle_timeout`], then the connection is closed.
//!
//! Time spent in the handler, and writing the response, is not limited here.

use super::config::Config;
use axum::body::{Body, Bytes};
use axum::http::{Request, Response};
use hyper::body::{Frame, Incoming, SizeHint};
use std::convert::Infallible;
use std::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;
use tokio::time::{Instant, Sleep};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Serves `router` on `listener` with the timeouts of `config`, until the future given to
/// [`Serve::with_graceful_shutdown`] completes (or forever).
///
/// ```no_run
/// # async fn run(router: axum::Router) -> std::io::Result<()> {
/// use codegen_runtime::server::{serve, shutdown_signal, Config};
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// serve(listener, router, Config::default()).with_graceful_shutdown(shutdown_signal()).await
/// # }
/// ```
///
/// Every accepted connection gets `TCP_NODELAY`. HTTP/1.1 only (no HTTP/2, no upgrades).
pub fn serve(listener: TcpListener, router: axum::Router, config: Config) -> Serve<std::future::Pending<()>> {
    Serve { listener, router, config, signal: std::future::pending() }
}

/// A server being set up by [`serve`]; `.await` it to run it.
pub struct Serve<F> {
    listener: TcpListener,
    router: axum::Router,
    config: Config,
    signal: F,
}

impl<F> std::fmt::Debug for Serve<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Serve").field("listener", &self.listener).field("config", &self.config).finish()
    }
}

impl<F> Serve<F> {
    /// Shuts down gracefully when `signal` completes: stops accepting, closes idle connections,
    /// lets the requests in flight finish (their responses say `Connection: close`), waits at
    /// most [`Config::shutdown_timeout`] for them, and returns.
    pub fn with_graceful_shutdown<G>(self, signal: G) -> Serve<G>
    where
        G: Future<Output = ()> + Send + 'static,
    {
        Serve { listener: self.listener, router: self.router, config: self.config, signal }
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

impl<F> IntoFuture for Serve<F>
where
    F: Future<Output = ()> + Send + 'static,
{
    type Output = io::Result<()>;
    type IntoFuture = Pin<Box<dyn Future<Output = io::Result<()>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(run(self.listener, self.router, self.config, self.signal))
    }
}

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM: the usual shutdown signal of a server.
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

async fn run<F>(listener: TcpListener, router: axum::Router, config: Config, signal: F) -> io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let (stop, stopping) = watch::channel(());
    let mut connections = JoinSet::new();
    let mut signal = std::pin::pin!(signal);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(connection(stream, router.clone(), config, stopping.clone()));
                }
                // The client gave up before it was accepted.
                Err(err) if matches!(
                    err.kind(),
                    io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionRefused
                ) => {}
                // Out of file descriptors, most likely: wait for connections to close, as
                // hyper's and axum's servers do.
                Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            () = &mut signal => break,
        }
    }
    drop(listener);
    let _ = stop.send(());
    let finished = async { while connections.join_next().await.is_some() {} };
    match config.shutdown_timeout {
        Some(timeout) => {
            if tokio::time::timeout(timeout, finished).await.is_err() {
                connections.shutdown().await;
            }
        }
        None => finished.await,
    }
    Ok(())
}

/// Serves one connection until it ends, one of its timeouts expires, or shutdown.
async fn connection(stream: TcpStream, router: axum::Router, config: Config, mut stopping: watch::Receiver<()>) {
    let activity = Arc::new(Activity::new());
    let io = hyper_util::rt::TokioIo::new(Watched { stream, activity: activity.clone() });
    let service = {
        let activity = activity.clone();
        hyper::service::service_fn(move |request| handle(request, router.clone(), config, activity.clone()))
    };
    let mut http = hyper::server::conn::http1::Builder::new();
    // The header timeout is ours (`Activity`): hyper's starts when the connection waits for a
    // request, so it would also close idle connections.
    http.keep_alive(true).header_read_timeout(None);
    let conn = http.serve_connection(io, service);
    let mut conn = std::pin::pin!(conn);
    let mut shutting_down = false;
    loop {
        let deadline = activity.deadline(&config);
        let changed = activity.changed.notified();
        tokio::select! {
            _ = conn.as_mut() => return,
            () = changed => {}
            () = sleep_until(deadline) => {
                if activity.deadline(&config).is_some_and(|deadline| deadline <= Instant::now()) {
                    // Idle, or too slow with its headers: closed (dropping the connection).
                    return;
                }
            }
            _ = stopping.changed(), if !shutting_down => {
                shutting_down = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// One request: its body gets the body read timeout, and the connection counts as busy until
/// both the request body and the response body are done with.
async fn handle(
    request: Request<Incoming>,
    mut router: axum::Router,
    config: Config,
    activity: Arc<Activity>,
) -> Result<Response<Tracked>, Infallible> {
    let guard = Arc::new(InFlight::begin(activity));
    let deadline = config.body_read_timeout.map(|timeout| (Instant::now() + timeout, timeout));
    let mut request = request.map(|body| Body::new(Timed { body, deadline, sleep: None, _guard: guard.clone() }));
    request.extensions_mut().insert(FromConnection);
    use tower_service::Service;
    let ready = std::future::poll_fn(|cx| Service::<Request<Body>>::poll_ready(&mut router, cx)).await;
    let response = match ready {
        Ok(()) => router.call(request).await,
        Err(never) => match never {},
    };
    let response = response.unwrap_or_else(|never| match never {});
    Ok(response.map(|body| Tracked { body, _guard: guard }))
}

/// Marks a request [`serve`] read from a connection: the rules of HTTP/1.1 messages (one
/// `Host` header) apply to it, not to requests a test builds and hands to the router.
#[derive(Debug, Clone, Copy)]
struct FromConnection;

/// RFC 9112 §3.2: a request read from a connection ([`serve`]) is a 400 when it is HTTP/1.1
/// without a `Host` header, or has more than one. `None` for a good request, and for a
/// request that did not come through [`serve`].
pub fn host_errors(parts: &axum::http::request::Parts) -> Option<crate::validation::ValidationErrors> {
    parts.extensions.get::<FromConnection>()?;
    match parts.headers.get_all(axum::http::header::HOST).iter().count() {
        0 if parts.version == axum::http::Version::HTTP_11 => {
            Some(super::single("Host", "header", "is required in an HTTP/1.1 request"))
        }
        0 | 1 => None,
        count => Some(super::single("Host", "header", &format!("must be sent once, not {count} times"))),
    }
}

/// Reading a request body took longer than [`Config::body_read_timeout`]. It is the source of
/// the body's error (a generated server's `read_body` answers 408 for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTimeout {
    /// The timeout that expired.
    pub after: Duration,
}

impl std::fmt::Display for BodyTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request body was not received within {:?}", self.after)
    }
}

impl std::error::Error for BodyTimeout {}

/// A request body with a deadline.
struct Timed {
    body: Incoming,
    deadline: Option<(Instant, Duration)>,
    sleep: Option<Pin<Box<Sleep>>>,
    _guard: Arc<InFlight>,
}

impl hyper::body::Body for Timed {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.body).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(BoxError::from)));
        }
        let Some((deadline, after)) = this.deadline else { return Poll::Pending };
        let sleep = this.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimeout { after })))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A response body that keeps its request in flight until it is written (or dropped).
struct Tracked {
    body: Body,
    _guard: Arc<InFlight>,
}

impl hyper::body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A request in flight on its connection, from the end of its headers until both its body and
/// its response are done with.
struct InFlight(Arc<Activity>);

impl InFlight {
    fn begin(activity: Arc<Activity>) -> InFlight {
        activity.update(|phase| match phase {
            Phase::Busy { requests } => Phase::Busy { requests: requests + 1 },
            Phase::Waiting { .. } => Phase::Busy { requests: 1 },
        });
        InFlight(activity)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.update(|phase| match phase {
            Phase::Busy { requests } if requests > 1 => Phase::Busy { requests: requests - 1 },
            _ => Phase::Waiting { since: Instant::now(), head: None },
        });
    }
}

/// What a connection is doing, for its timeouts.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// No request in flight since `since`; the next one's first byte came at `head`.
    Waiting { since: Instant, head: Option<Instant> },
    /// Requests in flight (one, but for pipelining).
    Busy { requests: usize },
}

struct Activity {
    phase: Mutex<Phase>,
    changed: Notify,
}

impl Activity {
    fn new() -> Activity {
        Activity { phase: Mutex::new(Phase::Waiting { since: Instant::now(), head: None }), changed: Notify::new() }
    }

    fn lock(&self) -> MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn update(&self, change: impl FnOnce(Phase) -> Phase) {
        let mut phase = self.lock();
        *phase = change(*phase);
        drop(phase);
        self.changed.notify_one();
    }

    /// Bytes arrived: while waiting, they start a request's headers.
    fn received(&self) {
        let mut phase = self.lock();
        if let Phase::Waiting { head: head @ None, .. } = &mut *phase {
            *head = Some(Instant::now());
            drop(phase);
            self.changed.notify_one();
        }
    }

    /// When the connection is to be closed if nothing changes.
    fn deadline(&self, config: &Config) -> Option<Instant> {
        match *self.lock() {
            Phase::Waiting { head: Some(head), .. } => config.header_read_timeout.map(|timeout| head + timeout),
            Phase::Waiting { since, head: None } => config.idle_timeout.map(|timeout| since + timeout),
            Phase::Busy { .. } => None,
        }
    }
}

/// The connection's socket, telling its [`Activity`] when bytes arrive.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.received();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
