//! Routing, decoding and response helpers the generated axum handlers use (feature `server`).
//!
//! A generated server crate names this module `support`. Its one fallback handler finds the
//! operation ([`Routes::find`]), reads the body ([`read_body`]), and each operation's handler
//! authenticates ([`authenticate`]), decodes every parameter per its style ([`decode_path`],
//! [`Query::decode`], [`decode_header`], [`decode_cookie`]), reads the body ([`json_body`],
//! [`form_body`], [`multipart_body`], [`raw_body`]), collects every error, and answers with
//! [`json_response`] and friends. Binary request bodies are streamed ([`incoming`],
//! [`ByteStream`]) and so are binary responses ([`body_response`]) and event streams
//! ([`EventStream`], [`events_response`]).
//!
//! The generated crate re-exports [`Config`] (the body limit and the timeouts, with their
//! defaults), [`serve`] (an HTTP/1.1 server with those timeouts and graceful shutdown) and
//! [`shutdown_signal`].
//!
//! Every request runs in a `tracing` span ([`traced`] lists its fields), and the implementation's responses are checked against the spec as
//! [`Config::response_checks`] says ([`check_response`]).

mod auth;
mod body;
mod config;
mod events;
mod forms;
mod multipart;
mod params;
mod query;
mod response;
mod routing;
mod serve;
mod stream;
mod trace;

pub use crate::operation::{Expected, Operation, Statuses};
pub use crate::sse::Event;
pub use crate::style::{Style, StyleKind};
pub use crate::validation::Check;
pub use auth::{authenticate, Credentials, Scheme};
pub use body::{json_body, no_body, raw_body, read_body, BodyError};
pub use config::{Config, ResponseChecks};
pub use events::{
    events_response, json_or_events_response, json_or_text_events_response, text_events_response, EventStream,
    JsonOrEvents, KEEP_ALIVE,
};
pub use forms::{form_body, Accepts, Form};
pub use multipart::{multipart_body, Multipart, MultipartPart};
pub use params::{
    coerce, cookie_json, cookie_param, decode_cookie, decode_header, decode_path, header_json, header_param, json_text,
    param, path_param, Presence, Scalar, Shape,
};
pub use query::{Query, QueryName};
pub use response::{add_header, bytes_response, challenge, head_response, json_response, missing, single, within};
pub use routing::{percent_decode, template_parts, Found, Part, Routes};
pub use serve::{host_errors, serve, shutdown_signal, BodyTimeout, Serve};
pub use stream::{body_response, incoming, stream_body, ByteStream, Incoming, Watch};
pub use trace::{check_response, found, refused, traced, undocumented};
