//! What streams in the server: response bodies (binary media types as an `axum::body::Body`,
//! `text/event-stream` as a `support::EventStream` of typed events) and binary request bodies
//! (a `support::ByteStream` under the binary limit, never read by the router).

use crate::emit::rust_type::Spelling;
use crate::plan::{BodyKind, OperationPlan, Payload, Plan};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// How a response enum's variant turns its body into a response.
pub enum Build<'a> {
    /// `support::json_response`.
    Json,
    /// `support::bytes_response` with the media type.
    Bytes(&'a str),
    /// `support::body_response` (streamed) with the media type.
    Binary(&'a str),
    /// `support::events_response`: JSON data.
    Events,
    /// `support::text_events_response`: text data.
    TextEvents,
    /// `support::json_or_events_response`: JSON, or events with JSON data.
    JsonOrEvents,
    /// `support::json_or_text_events_response`: JSON, or events with text data.
    JsonOrTextEvents,
}

impl Build<'_> {
    /// The expression that builds the response of `body` with `status`.
    pub fn build(&self, status: &TokenStream) -> TokenStream {
        match self {
            Build::Json => quote!(support::json_response(#status, &body)),
            Build::Bytes(media) => quote!(support::bytes_response(#status, #media, body)),
            Build::Binary(media) => quote!(support::body_response(#status, #media, body)),
            Build::Events => quote!(support::events_response(#status, body)),
            Build::TextEvents => quote!(support::text_events_response(#status, body)),
            Build::JsonOrEvents => quote!(support::json_or_events_response(#status, body)),
            Build::JsonOrTextEvents => quote!(support::json_or_text_events_response(#status, body)),
        }
    }
}

/// The Rust type of a response body and how it is answered.
pub fn payload<'a>(spelling: &Spelling<'_>, payload: Payload<'a>) -> Option<(TokenStream, Build<'a>)> {
    Some(match payload {
        Payload::None => return None,
        Payload::Json(ty) => (ty.map(|t| spelling.ty(t)).unwrap_or_else(|| quote!(serde_json::Value)), Build::Json),
        Payload::Bytes(media) => (quote!(Bytes), Build::Bytes(media)),
        Payload::Binary(media) => (quote!(axum::body::Body), Build::Binary(media)),
        Payload::Events(Some(ty)) => {
            let ty = spelling.ty(ty);
            (quote!(support::EventStream<#ty>), Build::Events)
        }
        Payload::Events(None) => (quote!(support::EventStream<String>), Build::TextEvents),
        Payload::JsonOrEvents(json, events) => {
            let json = json.map(|t| spelling.ty(t)).unwrap_or_else(|| quote!(serde_json::Value));
            match events {
                Some(ty) => {
                    let ty = spelling.ty(ty);
                    (quote!(support::JsonOrEvents<#json, #ty>), Build::JsonOrEvents)
                }
                None => (quote!(support::JsonOrEvents<#json, String>), Build::JsonOrTextEvents),
            }
        }
    })
}

/// Whether the operation's request body is binary, and so streamed.
pub fn streams_body(op: &OperationPlan<'_>) -> bool {
    op.body.as_ref().is_some_and(|body| matches!(body.kind, BodyKind::Binary(_)))
}

/// How the router reads the body and calls each operation's handler, when some operation
/// streams its body: those get a stream, under the binary limit; the others the bytes, read
/// under the body limit, as without streams. `None` when no operation streams.
pub struct Reading {
    /// Reads the body (`body`) into `support::Incoming` (or answers its error), and notes what
    /// answers a failure of a streamed body (`watch`).
    pub read: TokenStream,
    /// Replaces `response` with the answer to a streamed body's failure.
    pub finish: TokenStream,
}

/// The body reading of the router, when some operation streams its body.
pub fn reading(plan: &Plan<'_>) -> Option<Reading> {
    let streamed: Vec<syn::Ident> =
        plan.operations.iter().filter(|op| streams_body(op)).map(|op| format_ident!("{}", op.variant)).collect();
    if streamed.is_empty() {
        return None;
    }
    Some(Reading {
        read: quote! {
            let streamed = matches!(operation, #(Operation::#streamed)|*);
            let body = match support::incoming(body, &parts.headers, &shared.config, streamed).await {
                Ok(body) => body,
                Err(err) => return err.into_response(error_response),
            };
            let watch = body.watch();
        },
        finish: quote!(let response = watch.answer(response, error_response);),
    })
}

/// The body argument a handler gets from `body` (a `support::Incoming` when some operation
/// streams, else `Bytes`).
pub fn handler_body(op: &OperationPlan<'_>, incoming: bool) -> TokenStream {
    match (incoming, streams_body(op)) {
        (false, _) => quote!(body),
        (true, true) => quote!(body.into_stream()),
        (true, false) => quote!(body.into_bytes()),
    }
}
