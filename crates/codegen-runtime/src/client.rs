//! The client core, its builder, errors and the serialization helpers the generated reqwest
//! client methods use (feature `client`).
//!
//! A generated client crate names this module `support` and owns its `Client` type (its
//! methods are the spec's operations): a newtype of [`Core`] that dereferences to it, built by
//! `ClientBuilder`, an alias of [`ClientBuilder<Client>`](ClientBuilder).

mod body;
mod core;
mod params;
mod streams;
mod trace;

pub use self::core::{ClientBuilder, Core};
pub use crate::operation::{Expected, Operation, Statuses};
pub use crate::sse::Event;
pub use crate::style::{Style, StyleKind};
pub use crate::validation::Check;
pub use body::{decode_json, form_body, json_body, multipart_body, Multipart, MultipartPart};
pub use params::{path_value, push_path, push_path_param, Encoding, Location, Parts};
pub use streams::{
    byte_stream, json_events, json_or_events, json_or_text_events, text_events, ByteStream, Events, JsonOrEvents,
};

use crate::validation::ValidationErrors;

/// Something went wrong sending a request or reading its response.
#[derive(Debug)]
pub enum Error {
    /// The request breaks the spec (request validation is on); nothing was sent.
    Validation(ValidationErrors),
    /// The request could not be sent or the response not read.
    Request(reqwest::Error),
    /// The server answered a status the spec does not document for this operation.
    UnexpectedStatus {
        /// The status.
        status: u16,
        /// The raw body.
        body: String,
    },
    /// The body does not match the documented schema for its status.
    Decode {
        /// The status.
        status: u16,
        /// The raw body.
        body: String,
        /// What did not match.
        message: String,
    },
    /// The response breaks the spec (response checks are on,
    /// [`ClientBuilder::check_responses`]): its body does not match the schema documented for
    /// its status.
    InvalidResponse {
        /// The status.
        status: u16,
        /// The raw body.
        body: String,
        /// Every error, each path starting with `response` (`response.conversation.id`).
        errors: ValidationErrors,
    },
    /// A value could not be serialized, or a header or URL could not be built.
    Invalid(String),
}

impl Error {
    /// [`Error::UnexpectedStatus`] with the body as text (invalid UTF-8 replaced).
    pub fn unexpected(status: u16, body: &[u8]) -> Self {
        Error::UnexpectedStatus { status, body: String::from_utf8_lossy(body).into_owned() }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Validation(errors) => write!(f, "the request breaks the spec: {errors}"),
            Error::Request(err) => write!(f, "request failed: {err}"),
            Error::UnexpectedStatus { status, body } => write!(f, "undocumented status {status}: {body}"),
            Error::Decode { status, message, .. } => {
                write!(f, "status {status}: the body does not match its schema: {message}")
            }
            Error::InvalidResponse { status, errors, .. } => {
                write!(f, "status {status}: the response breaks the spec: {errors}")
            }
            Error::Invalid(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Validation(errors) | Error::InvalidResponse { errors, .. } => Some(errors),
            Error::Request(err) => Some(err),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(err: reqwest::Error) -> Self {
        Error::Request(err)
    }
}
