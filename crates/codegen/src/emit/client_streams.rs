//! What streams in the client: responses whose body is a stream (`text/event-stream` as
//! `support::Events<T>`, binary media types as `support::ByteStream`), which the method must
//! not read before it knows the status, and binary request bodies (a `reqwest::Body`).

use crate::ir::Status;
use crate::plan::{OperationPlan, Payload};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The Rust type of a streamed response body, `None` for the others.
pub fn payload_type(spelling: &crate::emit::rust_type::Spelling<'_>, payload: Payload<'_>) -> Option<TokenStream> {
    match payload {
        Payload::Binary(_) => Some(quote!(support::ByteStream)),
        Payload::Events(Some(ty)) => {
            let ty = spelling.ty(ty);
            Some(quote!(support::Events<#ty>))
        }
        Payload::Events(None) => Some(quote!(support::Events<String>)),
        Payload::JsonOrEvents(json, events) => {
            let json = json.map(|t| spelling.ty(t)).unwrap_or_else(|| quote!(serde_json::Value));
            let events = events.map(|t| spelling.ty(t)).unwrap_or_else(|| quote!(String));
            Some(quote!(support::JsonOrEvents<#json, #events>))
        }
        Payload::None | Payload::Json(_) | Payload::Bytes(_) => None,
    }
}

/// Whether some response of the operation streams.
pub fn streams(op: &OperationPlan<'_>) -> bool {
    op.responses.iter().any(|plan| plan.payload.is_stream())
}

/// The status dispatch of an operation with a streamed response: each arm reads the body its
/// own way (whole for JSON and bytes, as a stream for events and binary bodies), so a stream
/// is handed over before any of it is read.
pub fn dispatch(op: &OperationPlan<'_>) -> TokenStream {
    let name = format_ident!("{}", op.client_response_type);
    let codes: Vec<u16> = op
        .responses
        .iter()
        .filter_map(|plan| match plan.response.status {
            Status::Code(code) => Some(code),
            _ => None,
        })
        .collect();
    let mut arms: Vec<(Status, TokenStream)> = op
        .responses
        .iter()
        .filter_map(|plan| {
            let variant = format_ident!("{}", plan.variant);
            let (read, body) = match plan.payload {
                Payload::None => (quote!(), None),
                Payload::Json(_) => {
                    (quote!(let bytes = response.bytes().await?;), Some(quote!(support::decode_json(status, &bytes)?)))
                }
                Payload::Bytes(_) => (quote!(), Some(quote!(response.bytes().await?))),
                Payload::Binary(_) => (quote!(), Some(quote!(support::byte_stream(response)))),
                Payload::Events(Some(_)) => (quote!(), Some(quote!(support::json_events(response)))),
                Payload::Events(None) => (quote!(), Some(quote!(support::text_events(response)))),
                Payload::JsonOrEvents(_, Some(_)) => (quote!(), Some(quote!(support::json_or_events(response).await?))),
                Payload::JsonOrEvents(_, None) => (quote!(), Some(quote!(support::json_or_text_events(response).await?))),
            };
            let build = match (plan.response.status, body) {
                (Status::Code(_), None) => quote!(#name::#variant),
                (Status::Code(_), Some(body)) => quote!(#name::#variant(#body)),
                (_, None) => quote!(#name::#variant { status }),
                (_, Some(body)) => quote!(#name::#variant { status, body: #body }),
            };
            let pattern = match plan.response.status {
                Status::Code(code) => {
                    let code = Literal::u16_unsuffixed(code);
                    quote!(#code)
                }
                Status::Range(range) => super::support::range_pattern(range, &codes)?,
                Status::Default => quote!(_),
            };
            Some((plan.response.status, quote!(#pattern => { #read #build })))
        })
        .collect();
    // Exact codes first, then ranges, then `default`, whatever the spec's order.
    arms.sort_by_key(|(status, _)| *status);
    let has_default = arms.iter().any(|(status, _)| *status == Status::Default);
    let arms = arms.into_iter().map(|(_, arm)| arm);
    let unexpected = (!has_default).then(|| {
        quote! {
            _ => {
                let bytes = response.bytes().await?;
                return Err(Error::unexpected(status, &bytes));
            }
        }
    });
    quote!(Ok(match status { #(#arms)* #unexpected }))
}
