//! The types an implementation sees: a request struct and a response enum per operation, and the
//! documentation of its trait method.

use crate::docs::{doc_attrs, join};
use crate::emit::rust_type::Spelling;
use crate::plan::custom::ServerDefaults;
use crate::plan::{Auth, BodyKind, OperationPlan};
use crate::ir::Status;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The rustdoc of an operation's trait method.
pub fn operation_doc(op: &OperationPlan<'_>) -> TokenStream {
    let operation = op.operation;
    let route = format!("`{} {}`", operation.method, operation.path);
    let statuses: Vec<String> =
        operation.responses.iter().map(|r| format!("- {}: {}", r.status, r.description.replace('\n', " "))).collect();
    let auth_text = match op.auth {
        Auth::Open => "Open: no credentials needed.",
        Auth::Optional => "Credentials are optional.",
        Auth::Required => "Needs credentials; requests without them get 401 before this method runs.",
    };
    let responses = format!("Responses:\n\n{}", statuses.join("\n"));
    doc_attrs(&join(&[
        operation.summary.as_deref(),
        operation.description.as_deref(),
        Some(&route),
        Some(auth_text),
        Some(&responses),
        Some(&format!("Spec: `{}`", operation.origin)),
    ]))
}

/// The decoded, validated request of one operation.
pub fn request_struct(op: &OperationPlan<'_>, spelling: &Spelling<'_>) -> TokenStream {
    let name = format_ident!("{}", op.request_type);
    let mut fields = Vec::new();
    match op.auth {
        Auth::Open => {}
        Auth::Optional => fields.push(quote! {
            /// The credentials sent, if any (the implementation decides whether they are valid).
            pub credentials: Option<Credentials>,
        }),
        Auth::Required => fields.push(quote! {
            /// The credentials sent (the implementation decides whether they are valid).
            pub credentials: Credentials,
        }),
    }
    for param in &op.params {
        let field = format_ident!("{}", param.field);
        let ty = spelling.ty(&param.param.ty);
        let ty = if param.param.always_present() { ty } else { spelling.option(ty) };
        let default = param.param.default.as_ref().map(|d| format!("Defaults to `{d}` when not sent."));
        let origin = format!("The `{}` {} parameter.", param.param.wire, param.param.location);
        let doc = doc_attrs(&join(&[param.param.doc.as_deref(), Some(&origin), default.as_deref()]));
        fields.push(quote! {
            #doc
            pub #field: #ty,
        });
    }
    if let Some(body) = &op.body {
        let field = format_ident!("{}", body.field);
        let (ty, what) = match &body.kind {
            BodyKind::Typed(typed) => {
                let ty = typed.media.ty.as_ref().map(|ty| spelling.ty(ty)).unwrap_or_else(|| quote!(serde_json::Value));
                (ty, "The request body, validated against its schema.")
            }
            BodyKind::Multipart(_) => (quote!(support::Multipart), "The request body's parts, checked against its schema."),
            BodyKind::Raw(_) => (quote!(Bytes), "The request body, as sent."),
            BodyKind::Binary(_) => (
                quote!(support::ByteStream),
                "The request body, as it arrives (streamed, under `Config::binary_body_limit`).",
            ),
        };
        let ty = if body.body.required { ty } else { spelling.option(ty) };
        let doc = doc_attrs(&join(&[body.body.doc.as_deref(), Some(what)]));
        fields.push(quote! {
            #doc
            pub #field: #ty,
        });
    }
    let doc = format!(" The decoded, validated request of `{}`.", op.operation.id);
    let derives = if op.body.as_ref().is_some_and(|body| matches!(body.kind, BodyKind::Binary(_))) {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    quote! {
        #[doc = #doc]
        #derives
        pub struct #name {
            #(#fields)*
        }
    }
}

/// Every response an operation may answer, and how each becomes an HTTP response.
pub fn response_enum(op: &OperationPlan<'_>, spelling: &Spelling<'_>, server: &ServerDefaults) -> TokenStream {
    let name = format_ident!("{}", op.server_response_type);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for plan in &op.responses {
        let response = plan.response;
        let variant = format_ident!("{}", plan.variant);
        let payload = super::streams::payload(spelling, plan.payload);
        let status_doc = match response.status {
            Status::Default => format!("Any other status: {}", response.description),
            status => format!("{status}: {}", response.description),
        };
        let doc = doc_attrs(&status_doc);
        let fixed_status = match response.status {
            Status::Code(code) => Some(status_tokens(code)),
            _ => None,
        };
        let mut fields = Vec::new();
        let mut bindings = Vec::new();
        if fixed_status.is_none() {
            fields.push(quote! {
                /// The status to answer with.
                status: StatusCode,
            });
            bindings.push(quote!(status));
        }
        if let Some((ty, _)) = &payload {
            fields.push(quote! {
                /// The response body.
                body: #ty,
            });
            bindings.push(quote!(body));
        }
        let mut header_pushes = Vec::new();
        for (header, field) in &plan.headers {
            let field = format_ident!("{}", field);
            let ty = spelling.ty(&header.ty);
            let wire = &header.wire;
            let doc = doc_attrs(&join(&[header.doc.as_deref(), Some(&format!("The `{wire}` header."))]));
            if header.required {
                fields.push(quote! { #doc #field: #ty, });
                header_pushes.push(quote!(support::add_header(&mut response, #wire, Some(&#field));));
            } else {
                let option = spelling.option(ty);
                fields.push(quote! { #doc #field: #option, });
                header_pushes.push(quote!(support::add_header(&mut response, #wire, #field.as_ref());));
            }
            bindings.push(quote!(#field));
        }
        let status_expr = fixed_status.unwrap_or_else(|| quote!(status));
        let build = match &payload {
            Some((_, build)) => build.build(&status_expr),
            None => quote!(#status_expr.into_response()),
        };
        let only_body = fields.len() == 1 && bindings.len() == 1 && payload.is_some() && header_pushes.is_empty();
        if fields.is_empty() {
            variants.push(quote! { #doc #variant, });
            arms.push(quote!(#name::#variant => #build,));
        } else if only_body {
            let ty = payload.as_ref().map(|(ty, _)| ty.clone()).unwrap_or_default();
            variants.push(quote! { #doc #variant(#ty), });
            arms.push(quote!(#name::#variant(body) => #build,));
        } else if header_pushes.is_empty() {
            variants.push(quote! { #doc #variant { #(#fields)* }, });
            arms.push(quote!(#name::#variant { #(#bindings),* } => #build,));
        } else {
            variants.push(quote! { #doc #variant { #(#fields)* }, });
            arms.push(quote! {
                #name::#variant { #(#bindings),* } => {
                    let mut response = #build;
                    #(#header_pushes)*
                    response
                }
            });
        }
    }
    if server.default_501 {
        variants.push(quote! {
            /// 501 Not Implemented, with the server's error body: what the trait method answers
            /// until it is implemented (settings `server.default_501`).
            NotImplemented,
        });
        arms.push(quote! {
            #name::NotImplemented => error_response(
                StatusCode::NOT_IMPLEMENTED,
                support::single("operation", "operation", "is not implemented by this server"),
            ),
        });
    }
    if server.undocumented_responses {
        variants.push(quote! {
            /// A response the spec does not document for this operation (a 404 or a 409 it
            /// leaves out), sent as built and not checked (settings `server.undocumented_responses`).
            Undocumented(Response),
        });
        arms.push(quote!(#name::Undocumented(response) => support::undocumented(response),));
    }
    let doc = format!(" Every response `{}` may answer: one variant per documented status.", op.operation.id);
    // A stream, or an HTTP response, is neither `Clone` nor comparable.
    let derives = if server.undocumented_responses || op.responses.iter().any(|plan| plan.payload.is_stream()) {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    quote! {
        #[doc = #doc]
        #derives
        pub enum #name {
            #(#variants)*
        }

        impl IntoResponse for #name {
            fn into_response(self) -> Response {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// `StatusCode::CREATED` and friends; other codes through `from_u16`.
fn status_tokens(code: u16) -> TokenStream {
    let name = match code {
        200 => "OK",
        201 => "CREATED",
        202 => "ACCEPTED",
        204 => "NO_CONTENT",
        301 => "MOVED_PERMANENTLY",
        302 => "FOUND",
        304 => "NOT_MODIFIED",
        400 => "BAD_REQUEST",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        405 => "METHOD_NOT_ALLOWED",
        409 => "CONFLICT",
        410 => "GONE",
        412 => "PRECONDITION_FAILED",
        413 => "PAYLOAD_TOO_LARGE",
        414 => "URI_TOO_LONG",
        415 => "UNSUPPORTED_MEDIA_TYPE",
        422 => "UNPROCESSABLE_ENTITY",
        429 => "TOO_MANY_REQUESTS",
        500 => "INTERNAL_SERVER_ERROR",
        502 => "BAD_GATEWAY",
        503 => "SERVICE_UNAVAILABLE",
        _ => {
            let code = Literal::u16_unsuffixed(code);
            return quote!(StatusCode::from_u16(#code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
        }
    };
    let name = format_ident!("{}", name);
    quote!(StatusCode::#name)
}
