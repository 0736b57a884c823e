//! The reqwest client crate: one async method per operation, typed parameters serialized per
//! their style, a response enum per operation with a variant per documented status, and optional
//! validation of requests before they are sent.

use super::rust_type::{ApiRef, Spelling};
use super::support::style_tokens;
use crate::docs::{doc_attrs, inner_doc_attrs, join};
use crate::ir::{Api, ParamLocation, PathSegment, Status};
use crate::plan::body::{is_json, multipart_body};
use crate::error::Diagnostic;
use crate::plan::{BodyKind, OperationPlan, Payload, Plan};
use crate::render::RustFile;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The tokens of `src/generated.rs` of the client crate.
pub fn client_module(plan: &Plan<'_>, types_crate: &str, validation_crate: &str, header: &str) -> Result<Vec<(&'static str, String)>, Diagnostic> {
    let api = plan.api;
    let api_ref = ApiRef::new(api, Some(types_crate));
    let spelling = api_ref.spelling();
    let validation = format_ident!("{}", validation_crate);
    let multipart_export = api.operations.iter().any(|op| multipart_body(api, op).is_some()).then(|| quote!(pub use support::Multipart;));
    let module_doc = inner_doc_attrs(&format!("A reqwest client for {}.", api.info.title));
    let default_url = api.servers.first().cloned().unwrap_or_default();
    let mut file = RustFile::new(header, "client");
    file.items(quote! {
        #module_doc
        // Response enums are decoded once and matched; boxing large variants would only make
        // them harder to use.
        #![allow(clippy::large_enum_variant)]

        pub use codegen_runtime::client as support;
        pub use support::Error;
        #multipart_export

        #[doc = " The first server URL of the spec, as written (it may contain `{variables}`)."]
        pub const SPEC_SERVER: &str = #default_url;

        /// A client of the API. Cheap to clone.
        ///
        /// The runtime's client core (base URL, reqwest client, credentials) is its field; the
        /// core's methods are the client's too.
        #[derive(Clone)]
        pub struct Client(support::Core);

        /// Builds a [`Client`]: credentials, timeouts, extra headers and more.
        pub type ClientBuilder = support::ClientBuilder<Client>;

        impl From<support::Core> for Client {
            fn from(core: support::Core) -> Self {
                Client(core)
            }
        }

        impl std::ops::Deref for Client {
            type Target = support::Core;

            fn deref(&self) -> &support::Core {
                &self.0
            }
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

    })?;
    // The operations' methods are printed one at a time inside the one `impl Client`.
    let constructors = quote! {
        /// A client for `base_url` (where the spec's paths start: [`SPEC_SERVER`] with its
        /// variables filled in), without credentials, with request validation off.
        pub fn new(base_url: &str) -> Client {
            Client(support::Core::new(base_url))
        }

        /// A builder for credentials, timeouts, extra headers and more.
        pub fn builder(base_url: &str) -> ClientBuilder {
            ClientBuilder::new(base_url)
        }
    };
    let methods = plan.operations.iter().map(|op| method(api, &spelling, op, &plan.operation_cfg(op), &validation));
    file.impl_block(quote!(impl Client), std::iter::once(constructors).chain(methods))?;
    for op in &plan.operations {
        let cfg = plan.operation_cfg(op);
        file.gated_items(response_enum(&spelling, op), &cfg)?;
        if let Some(params) = params_struct(&spelling, op) {
            file.gated_items(params, &cfg)?;
        }
    }
    Ok(vec![("generated.rs", file.finish())])
}

fn response_enum(spelling: &Spelling<'_>, op: &OperationPlan<'_>) -> TokenStream {
    let name = format_ident!("{}", op.client_response_type);
    let mut variants = Vec::new();
    for plan in &op.responses {
        let response = plan.response;
        let variant = format_ident!("{}", plan.variant);
        let doc = doc_attrs(&match response.status {
            Status::Default => format!("Any other status: {}", response.description),
            status => format!("{status}: {}", response.description),
        });
        let payload = payload(spelling, plan.payload);
        let fixed = matches!(response.status, Status::Code(_));
        variants.push(match (fixed, payload) {
            (true, None) => quote! { #doc #variant, },
            (true, Some(ty)) => quote! { #doc #variant(#ty), },
            (false, None) => quote! { #doc #variant { status: u16 }, },
            (false, Some(ty)) => quote! { #doc #variant { status: u16, body: #ty }, },
        });
    }
    let doc = format!(" What `{}` answered: one variant per documented status.", op.operation.id);
    let derives = if super::client_streams::streams(op) { quote!(#[derive(Debug)]) } else { quote!(#[derive(Debug, Clone, PartialEq)]) };
    quote! {
        #[doc = #doc]
        #derives
        pub enum #name {
            #(#variants)*
        }
    }
}

/// The decoded body type of a response: its JSON schema type, raw bytes, or nothing.
fn payload(spelling: &Spelling<'_>, payload: Payload<'_>) -> Option<TokenStream> {
    match payload {
        Payload::None => None,
        Payload::Json(ty) => Some(ty.map(|t| spelling.ty(t)).unwrap_or_else(|| quote!(serde_json::Value))),
        Payload::Bytes(_) => Some(quote!(bytes::Bytes)),
        Payload::Binary(_) | Payload::Events(_) | Payload::JsonOrEvents(..) => super::client_streams::payload_type(spelling, payload),
    }
}

/// The parameters struct: every non-path parameter (path parameters are method arguments).
fn params_struct(spelling: &Spelling<'_>, op: &OperationPlan<'_>) -> Option<TokenStream> {
    let name = format_ident!("{}", op.params_type);
    let others: Vec<_> = op.non_path_params().collect();
    if others.is_empty() {
        return None;
    }
    let fields = others.iter().map(|plan| {
        let param = plan.param;
        let field = format_ident!("{}", plan.field);
        let ty = spelling.ty(&param.ty);
        let ty = if param.required { ty } else { spelling.option(ty) };
        let default = param.default.as_ref().map(|d| format!("The server uses `{d}` when it is not sent."));
        let what = format!("The `{}` {} parameter.", param.wire, param.location);
        let doc = doc_attrs(&join(&[param.doc.as_deref(), Some(&what), default.as_deref()]));
        quote! { #doc pub #field: #ty, }
    });
    let all_optional = others.iter().all(|p| !p.param.required);
    let default = all_optional.then(|| quote!(Default,));
    let doc = format!(" The query, header and cookie parameters of `{}`.", op.operation.id);
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
        }
    })
}

/// A path parameter argument: `&str` for strings, by value for small copyable values, by
/// reference otherwise.
fn path_arg(api: &Api, spelling: &Spelling<'_>, ty: &crate::ir::TypeRef, arg: &syn::Ident) -> TokenStream {
    use crate::ir::{Builtin, TypeKind, TypeRef};
    match ty {
        TypeRef::Builtin(Builtin::String) => quote!(#arg: &str),
        TypeRef::Builtin(_) => {
            let ty = spelling.ty(ty);
            quote!(#arg: #ty)
        }
        TypeRef::Named(id) if matches!(api.ty(*id).kind, TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_)) => {
            let ty = spelling.ty(ty);
            quote!(#arg: #ty)
        }
        _ => {
            let ty = spelling.ty(ty);
            quote!(#arg: &#ty)
        }
    }
}


/// One operation's method; `cfg` gates it (features per tag).
fn method(api: &Api, spelling: &Spelling<'_>, op: &OperationPlan<'_>, cfg: &TokenStream, validation: &syn::Ident) -> TokenStream {
    let has_params = op.non_path_params().next().is_some();
    let operation = op.operation;
    let method_name = format_ident!("{}", op.client_method);
    let convention = super::support::self_convention_allow(&op.client_method);
    let response_name = format_ident!("{}", op.client_response_type);
    let params_name = format_ident!("{}", op.params_type);
    let module = format_ident!("{}", op.check_module);
    let mut args = Vec::new();
    // Path: each parameter is an argument, serialized into its segment.
    let mut path_parts = Vec::new();
    for segment in &operation.segments {
        match segment {
            PathSegment::Literal(text) => {
                let mut chars = text.chars();
                path_parts.push(match (chars.next(), chars.next()) {
                    (Some(only), None) => quote!(url.push(#only);),
                    _ => quote!(url.push_str(#text);),
                });
            }
            PathSegment::Param(name) => {
                let Some(plan) = op.params_in(ParamLocation::Path).find(|p| &p.param.wire == name) else {
                    continue;
                };
                let param = plan.param;
                let arg = format_ident!("{}", plan.client_arg);
                args.push(path_arg(api, spelling, &param.ty, &arg));
                let style = style_tokens(param.style, param.explode);
                let wire = &param.wire;
                let check = format_ident!("{}", plan.check);
                path_parts.push(quote!(support::push_path_param(&mut url, #wire, &#arg, #style, self.check(operation::#check))?;));
            }
        }
    }
    if let Some(body) = &op.body {
        let ty = match &body.kind {
            BodyKind::Typed(typed) => typed.media.ty.as_ref().map(|ty| spelling.ty(ty)).unwrap_or_else(|| quote!(serde_json::Value)),
            BodyKind::Multipart(_) => quote!(support::Multipart),
            BodyKind::Raw(_) => quote!(bytes::Bytes),
            BodyKind::Binary(_) => quote!(reqwest::Body),
        };
        if matches!(body.kind, BodyKind::Binary(_)) {
            // A streamed body is handed over, not borrowed.
            args.push(if body.body.required { quote!(body: #ty) } else { quote!(body: Option<#ty>) });
        } else if body.body.required {
            args.push(quote!(body: &#ty));
        } else {
            args.push(quote!(body: Option<&#ty>));
        }
    }
    if has_params {
        args.push(quote!(params: &#params_name));
    }
    // Query, header and cookie parameters.
    let mut param_statements = Vec::new();
    for plan in op.non_path_params() {
        let param = plan.param;
        let field = format_ident!("{}", plan.field);
        let wire = &param.wire;
        let check = format_ident!("{}", plan.check);
        let encoding = if param.content.as_deref().is_some_and(is_json) {
            quote!(support::Encoding::Json)
        } else {
            match super::support::default_style(param.style, param.explode) {
                Some(name) => quote!(support::Encoding::#name),
                None => {
                    let style = style_tokens(param.style, param.explode);
                    quote!(support::Encoding::Style(#style))
                }
            }
        };
        let add = match param.location {
            ParamLocation::Query => quote!(query),
            ParamLocation::Header => quote!(header),
            ParamLocation::Cookie => quote!(cookie),
            ParamLocation::Path => continue,
        };
        let value = if param.required { quote!(Some(&params.#field)) } else { quote!(params.#field.as_ref()) };
        param_statements.push(quote! {
            parts.#add(#wire, #value, #encoding, self.check(operation::#check))?;
        });
    }
    let method_tokens = format_ident!("{}", operation.method.to_string());
    let send = op.body.as_ref().map(|body| {
        let check = match &body.check {
            Some(check) => {
                let check = format_ident!("{}", check);
                quote!(self.check(operation::#check))
            }
            None => quote!(None),
        };
        match &body.kind {
            // JSON when the spec allows it, else an HTML form.
            BodyKind::Typed(typed) => match &typed.form {
                Some(fields) if !typed.json => {
                    let styles = fields.iter().filter(|f| !f.is_default_encoding()).map(|field| {
                        let name = &field.name;
                        let style = style_tokens(field.style, field.explode);
                        quote!((#name, #style))
                    });
                    quote!(request = support::form_body(request, body, &[#(#styles),*], #check)?;)
                }
                _ => {
                    let media_type = &typed.media.media_type;
                    quote!(request = support::json_body(request, #media_type, body, #check)?;)
                }
            },
            BodyKind::Multipart(_) => quote!(request = support::multipart_body(request, body);),
            BodyKind::Binary(media_type) => {
                quote!(request = request.header(reqwest::header::CONTENT_TYPE, #media_type).body(body);)
            }
            BodyKind::Raw(media_type) => {
                let media_type = media_type.unwrap_or_default();
                quote!(request = request.header(reqwest::header::CONTENT_TYPE, #media_type).body(body.clone());)
            }
        }
    });
    let body_statement = match (&op.body, send) {
        (Some(body), Some(send)) if !body.body.required => quote!(if let Some(body) = body { #send }),
        (_, send) => quote!(#send),
    };
    let decode_of = |payload: Payload<'_>| match payload {
        Payload::None => None,
        Payload::Json(_) => Some(quote!(support::decode_json(status, &bytes)?)),
        Payload::Bytes(_) => Some(quote!(bytes.clone())),
        Payload::Binary(_) | Payload::Events(_) | Payload::JsonOrEvents(..) => None,
    };
    let codes: Vec<u16> = op.responses.iter().filter_map(|plan| match plan.response.status {
        Status::Code(code) => Some(code),
        _ => None,
    }).collect();
    let arms = op.responses.iter().filter_map(|plan| {
        let variant = format_ident!("{}", plan.variant);
        let (pattern, build) = match (plan.response.status, decode_of(plan.payload)) {
            (Status::Code(code), None) => {
                let code = Literal::u16_unsuffixed(code);
                (quote!(#code), quote!(#response_name::#variant))
            }
            (Status::Code(code), Some(decode)) => {
                let code = Literal::u16_unsuffixed(code);
                (quote!(#code), quote!(#response_name::#variant(#decode)))
            }
            (Status::Range(range), decode) => {
                let build = match decode {
                    Some(decode) => quote!(#response_name::#variant { status, body: #decode }),
                    None => quote!(#response_name::#variant { status }),
                };
                (super::support::range_pattern(range, &codes)?, build)
            }
            (Status::Default, decode) => {
                let build = match decode {
                    Some(decode) => quote!(#response_name::#variant { status, body: #decode }),
                    None => quote!(#response_name::#variant { status }),
                };
                (quote!(_), build)
            }
        };
        Some((plan.response.status, quote!(#pattern => #build,)))
    });
    // Exact codes first, then ranges, then `default`, whatever the spec's order.
    let mut arms: Vec<(Status, TokenStream)> = arms.collect();
    arms.sort_by_key(|(status, _)| *status);
    let has_default = arms.iter().any(|(status, _)| *status == Status::Default);
    let arms: Vec<TokenStream> = arms.into_iter().map(|(_, arm)| arm).collect();
    let decodes = operation.responses.iter().any(|r| !r.content.is_empty());
    let unexpected = quote!(Err(Error::unexpected(status, &bytes)));
    // The status dispatch, written without a `match` where there is nothing to choose between.
    let (read_bytes, dispatch) = match (arms.len(), has_default) {
        (0, _) => (true, unexpected),
        (1, true) => {
            let only = op.responses.iter().find(|r| r.response.status == Status::Default);
            let build = match only {
                Some(plan) => {
                    let variant = format_ident!("{}", plan.variant);
                    match plan.payload {
                        Payload::Json(_) => quote!(#response_name::#variant { status, body: support::decode_json(status, &bytes)? }),
                        Payload::Bytes(_) => quote!(#response_name::#variant { status, body: bytes }),
                        Payload::Binary(_) | Payload::Events(_) | Payload::JsonOrEvents(..) => quote!(),
                        Payload::None => quote!(#response_name::#variant { status }),
                    }
                }
                None => quote!(),
            };
            (decodes, quote!(Ok(#build)))
        }
        (_, true) => (decodes, quote!(Ok(match status { #(#arms)* }))),
        (_, false) => (true, quote!(Ok(match status { #(#arms)* _ => return #unexpected, }))),
    };
    // `support::Core::execute` sends the request in the operation's span, reads the body,
    // checks it when asked, and runs the status dispatch on it; `execute_streamed` leaves the
    // body to the dispatch, whose arms read each one their own way (streams unread).
    let streams = super::client_streams::streams(op);
    let bytes_param = if read_bytes { quote!(bytes) } else { quote!(_) };
    // `operation` is the validation crate's module of this operation (`use`d first in the
    // method): its checks and what the runtime knows of it.
    let spec = quote!(&operation::OPERATION);
    let execute = if streams {
        let dispatch = super::client_streams::dispatch(op);
        quote!(self.execute_streamed(#spec, request, |status, response| async move { #dispatch }).await)
    } else {
        quote!(self.execute(#spec, request, |status, #bytes_param| #dispatch).await)
    };
    let statuses: Vec<String> = op
        .responses
        .iter()
        .map(|r| format!("- {} (`{}`): {}", r.response.status, r.variant, r.response.description.replace('\n', " ")))
        .collect();
    let route = format!("`{} {}`", operation.method, operation.path);
    let responses = format!("Responses:\n\n{}", statuses.join("\n"));
    let auth = if op.security.is_empty() { "Sends no credentials (the operation is open)." } else { "Sends the client's credentials." };
    // Only an explicit `security: []` keeps credentials back: a spec that declares no security
    // at all often just leaves it out, and the client sends what it was given.
    let open = matches!(operation.security.as_deref(), Some([]));
    let doc = doc_attrs(&join(&[
        operation.summary.as_deref(),
        operation.description.as_deref(),
        Some(&route),
        Some(auth),
        Some(&responses),
        Some("Errors: `Error::Validation` when request validation is on and the request breaks the spec, `Error::Request` for transport failures, `Error::UnexpectedStatus` for a status the spec does not document, `Error::Decode` for a body that does not match its type, `Error::InvalidResponse` (with every error) for a body that breaks its schema when response checks are on."),
    ]));
    let (parts_decl, parts_apply) = if param_statements.is_empty() {
        (quote!(), quote!())
    } else {
        (quote!(let mut parts = support::Parts::default();), quote!(request = parts.apply(request)?;))
    };
    let credentials = if open { quote!() } else { quote!(request = self.authorize(request);) };
    let mutable = (!open || !param_statements.is_empty() || op.body.is_some()).then(|| quote!(mut));
    quote! {
        #doc
        #cfg
        #convention
        pub async fn #method_name(&self, #(#args),*) -> Result<#response_name, Error> {
            use #validation::operations::#module as operation;

            let mut url = self.base_url().to_string();
            #(#path_parts)*
            #parts_decl
            #(#param_statements)*
            let #mutable request = self.http().request(reqwest::Method::#method_tokens, url);
            #credentials
            #parts_apply
            #body_statement
            #execute
        }
    }
}
