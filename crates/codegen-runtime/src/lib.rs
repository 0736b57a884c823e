//! The runtime of the crates that desk-codegen generates from an OpenAPI document.
//!
//! The generated crates hold what is particular to one spec (types, checks, handlers, client
//! methods); what is the same for every spec lives here, as ordinary Rust, and each generated
//! crate depends on it:
//!
//! - [`types`]: the helpers of the types crate (enum parsing errors, optional nullable fields);
//! - [`validation`]: directions, error paths and reports, and the format checks of the
//!   validation crate;
//! - `server` (feature `server`): routing, parameter decoding per style, bodies (JSON, forms,
//!   multipart), authentication and responses of the axum server crate;
//! - [`json`]: the depth of request values, and their conversion to Rust types at any depth;
//! - [`operation`]: what generated code knows of each operation at run time (its
//!   `operationId`, method, route, and the check of each documented response body), for
//!   tracing and response checks;
//! - `client` (feature `client`): the reqwest client core and its builder, parameter encoding
//!   per style, and bodies of the client crate;
//! - `sse` (either feature): server-sent events, written by the server and read by the client.
//!
//! Generated code refers to these modules under the names it always used (`report` for
//! [`validation`], `support` for the others); the API of this crate is what generated code
//! calls, and it changes with the generator's minor version.

#![deny(missing_docs)]

#[cfg(any(feature = "server", feature = "client"))]
mod chunks;
#[cfg(feature = "client")]
pub mod client;
pub mod json;
pub mod operation;
#[cfg(feature = "server")]
pub mod server;
#[cfg(any(feature = "server", feature = "client"))]
pub mod sse;
#[cfg(any(feature = "server", feature = "client"))]
mod style;
pub mod types;
pub mod validation;
