//! The server's settings, with their defaults in one place ([`Config::DEFAULT`]).

use std::time::Duration;

/// Server settings: the request body limit and the request timeout (applied by a generated
/// `router_with_config`) and the connection timeouts (applied by [`serve`](super::serve)).
/// Pass the same value to both.
///
/// Every field has a documented default; [`Config::DEFAULT`] (also `Config::default()`) holds
/// them all, so a change of one setting reads `Config { body_limit: 64 * 1024, ..Config::DEFAULT }`.
/// A timeout of `None` is no timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// The largest request body accepted, in bytes; a larger one is answered 413 with
    /// `Connection: close`. Default: 1 MiB.
    ///
    /// A body whose `Content-Length` is over the limit is answered at once; one without
    /// (chunked) when the limit is passed. Either way the server then reads and throws away the
    /// rest of the body, up to [`discard_limit`](Self::discard_limit) and
    /// [`discard_timeout`](Self::discard_timeout), so that clients that send their whole body
    /// before they read the answer (Python's `urllib` and `requests`) get the 413 rather than a
    /// broken pipe. A client that sent `Expect: 100-continue` gets the 413 instead of the
    /// `100 Continue` and sends nothing. Binary request bodies, which are streamed, are held to
    /// [`binary_body_limit`](Self::binary_body_limit) instead.
    pub body_limit: usize,
    /// The largest binary request body (`application/octet-stream`, `image/*`, ...) accepted, in
    /// bytes. Such bodies are not read before the implementation runs: it gets them as a
    /// stream, and [`body_limit`](Self::body_limit) does not apply to them. A body declared
    /// larger is answered 413 at once; one that turns out larger ends its stream with an error
    /// and is answered 413, whatever the implementation answers. Default: 64 MiB.
    pub binary_body_limit: usize,
    /// How much of a refused body (over [`body_limit`](Self::body_limit)) the server reads
    /// through, in bytes in all, so that its client can read the 413. A body declared larger
    /// is not read at all, and one that turns out larger is cut off there: the connection is
    /// closed, and a client still sending may see it reset instead of the 413. Default: 8 MiB.
    pub discard_limit: usize,
    /// How long the server goes on reading a refused body before it closes the connection.
    /// Default: 10 s.
    pub discard_timeout: Duration,
    /// How long a client may take to send a request's headers, from their first byte to the
    /// blank line that ends them; a connection that takes longer (a slow-loris client) is
    /// closed. Default: 30 s.
    pub header_read_timeout: Option<Duration>,
    /// How long a client may take to send a request's body, from the end of its headers; a
    /// body still incomplete then is answered 408 with `Connection: close` (when the handler is
    /// reading it) and the connection is closed. Default: 60 s.
    pub body_read_timeout: Option<Duration>,
    /// How long a keep-alive connection may stay open with no request: from its opening, or
    /// from the end of the previous response, to the first byte of the next request. Then the
    /// server closes it. Default: 75 s (longer than the 60 s idle timeout of common load
    /// balancers, so that they, not the server, close idle connections).
    pub idle_timeout: Option<Duration>,
    /// How long the server may take to answer a request once its body is read (decoding,
    /// validation and the implementation); a slower one is answered 503 with the error body,
    /// and the implementation's future is dropped. Applied by the generated router. Default:
    /// none (a generated crate's `CONFIG` may set one, from `server.request_timeout_ms`).
    pub request_timeout: Option<Duration>,
    /// After a shutdown signal, how long [`serve`](super::serve) waits for requests in flight to
    /// finish before it closes their connections and returns. Default: 30 s.
    pub shutdown_timeout: Option<Duration>,
    /// Whether the generated router checks every response of the implementation against the
    /// spec (its status, and its JSON body against the schema documented for that status),
    /// and what it does when one breaks it: nothing ([`ResponseChecks::Off`]), an ERROR
    /// `tracing` event naming the operation, the status and every error
    /// ([`ResponseChecks::Log`]), or that event and a 500 with the server's error body listing
    /// every error instead of the response ([`ResponseChecks::Reject`]). The server's own
    /// answers (400, 401, 404, ...) are not checked. Default: [`ResponseChecks::Reject`] in
    /// debug builds (`debug_assertions`), [`ResponseChecks::Off`] in release builds: a check
    /// parses the body it checks again, which costs time on every request.
    pub response_checks: ResponseChecks,
}

/// What the generated router does with responses of the implementation that break the spec
/// ([`Config::response_checks`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseChecks {
    /// Responses are not checked.
    Off,
    /// Responses are checked; one that breaks the spec is sent as it is, after an ERROR event.
    Log,
    /// Responses are checked; one that breaks the spec is replaced by a 500 listing every
    /// error, after an ERROR event.
    Reject,
}

impl ResponseChecks {
    /// The default: [`ResponseChecks::Reject`] in debug builds, [`ResponseChecks::Off`] in
    /// release builds.
    pub const DEFAULT: ResponseChecks =
        if cfg!(debug_assertions) { ResponseChecks::Reject } else { ResponseChecks::Off };
}

impl Default for ResponseChecks {
    fn default() -> Self {
        ResponseChecks::DEFAULT
    }
}

impl Config {
    /// The defaults of every setting.
    pub const DEFAULT: Config = Config {
        body_limit: 1024 * 1024,
        binary_body_limit: 64 * 1024 * 1024,
        discard_limit: 8 * 1024 * 1024,
        discard_timeout: Duration::from_secs(10),
        header_read_timeout: Some(Duration::from_secs(30)),
        body_read_timeout: Some(Duration::from_secs(60)),
        idle_timeout: Some(Duration::from_secs(75)),
        request_timeout: None,
        shutdown_timeout: Some(Duration::from_secs(30)),
        response_checks: ResponseChecks::DEFAULT,
    };
}

impl Default for Config {
    fn default() -> Self {
        Config::DEFAULT
    }
}
