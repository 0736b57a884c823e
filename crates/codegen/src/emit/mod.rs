//! Emitters: IR to token streams, one module per generated artefact. They never see `openapiv3`.

pub mod client;
pub mod client_streams;
pub mod error_body;
pub mod examples;
pub mod rust_type;
pub mod server;
pub mod support;
pub mod types;
pub mod validation;
