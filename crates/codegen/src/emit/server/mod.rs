//! The axum server crate: a trait per tag with one method per operation, a request struct and a
//! response enum per operation, and a router that decodes, authenticates and validates every
//! request before an implementation sees it.

mod decode;
mod handler;
mod items;

use crate::docs::inner_doc_attrs;
use crate::emit::rust_type::ApiRef;
use crate::ir::{Api, Method, PathSegment, SecuritySchemeKind};
use crate::plan::body::multipart_body;
use crate::plan::errors::ErrorBody;
use crate::plan::Plan;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

fn method_tokens(method: Method) -> TokenStream {
    match method {
        Method::Get => quote!(GET),
        Method::Put => quote!(PUT),
        Method::Post => quote!(POST),
        Method::Delete => quote!(DELETE),
        Method::Options => quote!(OPTIONS),
        Method::Head => quote!(HEAD),
        Method::Patch => quote!(PATCH),
        Method::Trace => quote!(TRACE),
    }
}

/// The tokens of `src/generated.rs` of the server crate.
pub fn server_module(plan: &Plan<'_>, types_crate: &str, validation_crate: &str) -> TokenStream {
    let api = plan.api;
    let api_ref = ApiRef::new(api, Some(types_crate));
    let spelling = api_ref.spelling();
    let types_ident = format_ident!("{}", types_crate);
    let validation = format_ident!("{}", validation_crate);
    let multipart_export = api.operations.iter().any(|op| multipart_body(api, op).is_some()).then(|| quote!(pub use support::Multipart;));
    let mut items = Vec::new();
    let mut trait_items = Vec::new();
    let mut handlers = Vec::new();
    let mut dispatch_arms = Vec::new();
    let mut route_entries: Vec<(usize, TokenStream, usize)> = Vec::new();
    let mut op_index = 0usize;
    for trait_plan in &plan.traits {
        let trait_ident = format_ident!("{}", trait_plan.name);
        let mut methods = Vec::new();
        for op in plan.trait_operations(trait_plan) {
            let operation = op.operation;
            let request_name = format_ident!("{}", op.request_type);
            let response_name = format_ident!("{}", op.server_response_type);
            let method_name = format_ident!("{}", operation.rust_name);
            let handler_name = format_ident!("handle_{}", operation.rust_name);
            items.push(items::request_struct(op, &spelling));
            items.push(items::response_enum(op, &spelling));
            let doc = items::operation_doc(op);
            methods.push(quote! {
                #doc
                fn #method_name(&self, request: #request_name) -> impl std::future::Future<Output = #response_name> + Send;
            });
            handlers.push(handler::handler(plan, op, &spelling, &validation));
            let index = Literal::usize_unsuffixed(op_index);
            dispatch_arms.push(quote!(#index => #handler_name(&shared.service, &parts, params, body).await,));
            let parts = operation.segments.iter().map(|segment| match segment {
                PathSegment::Literal(text) => quote!(support::Part::Literal(#text)),
                PathSegment::Param(_) => quote!(support::Part::Param),
            });
            let literal_len: usize = operation.segments.iter().map(|s| if let PathSegment::Literal(t) = s { t.len() } else { 0 }).sum();
            let method = method_tokens(operation.method);
            route_entries.push((literal_len, quote!(support::Route { method: axum::http::Method::#method, parts: &[#(#parts),*], operation: #index }), op_index));
            op_index += 1;
        }
        let doc = if trait_plan.tag.is_empty() {
            " The operations of the API.".to_string()
        } else {
            format!(" The operations tagged `{}`.", trait_plan.tag)
        };
        trait_items.push(quote! {
            #[doc = #doc]
            pub trait #trait_ident: Send + Sync + 'static {
                #(#methods)*
            }
        });
    }
    // Most literal text first, so `/conversations/token.json` wins over `/conversations/{id}.json`.
    route_entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    let routes = route_entries.iter().map(|(_, tokens, _)| tokens);
    let bounds: Vec<syn::Ident> = plan.traits.iter().map(|t| format_ident!("{}", t.name)).collect();
    let bound = if bounds.is_empty() { quote!(Send + Sync + 'static) } else { quote!(#(#bounds)+*) };
    // A spec without operations still gets a (404-only) router; its imports are then unused.
    let allow_unused = api.operations.is_empty().then(|| quote!(#[allow(unused_imports)]));
    let error_body = error_body(plan, &types_ident);
    let challenge = challenge(api);
    let module_doc = inner_doc_attrs(&format!("axum server stubs for {}.", api.info.title));
    quote! {
        #module_doc
        // Response enums are built once and moved into the response; boxing the large variants
        // would only make them harder to construct.
        #![allow(clippy::large_enum_variant)]

        #allow_unused
        use axum::body::Bytes;
        #allow_unused
        use axum::http::{request::Parts, StatusCode};
        #allow_unused
        use axum::response::{IntoResponse, Response};
        use std::sync::Arc;
        use #validation::{ValidationError, ValidationErrors};
        pub use codegen_runtime::server as support;
        pub use support::Credentials;
        #multipart_export

        pub use support::{serve, shutdown_signal, Config};

        #(#trait_items)*
        #(#items)*

        struct Shared<S> {
            service: S,
            config: Config,
        }

        /// A router serving every operation with `service`, with the default [`Config`]; serve it
        /// with [`serve`] for the timeouts.
        pub fn router<S: #bound>(service: S) -> axum::Router {
            router_with_config(service, Config::default())
        }

        /// A router serving every operation with `service`.
        pub fn router_with_config<S: #bound>(service: S, config: Config) -> axum::Router {
            axum::Router::new().fallback(dispatch::<S>).with_state(Arc::new(Shared { service, config }))
        }

        const ROUTES: &[support::Route] = &[#(#routes),*];

        /// The `WWW-Authenticate` challenge of every 401: the spec's HTTP schemes.
        #[allow(dead_code)]
        const CHALLENGE: &str = #challenge;

        async fn dispatch<S: #bound>(
            axum::extract::State(shared): axum::extract::State<Arc<Shared<S>>>,
            request: axum::extract::Request,
        ) -> Response {
            let (parts, body) = request.into_parts();
            let (operation, params) = match support::find(ROUTES, &parts.method, parts.uri.path()) {
                support::Found::Operation(operation, params) => (operation, params),
                support::Found::MethodNotAllowed(allowed) => {
                    let mut response = error_response(
                        StatusCode::METHOD_NOT_ALLOWED,
                        support::single("method", "method", &format!("{} is not allowed here; allowed: {}", parts.method, allowed.join(", "))),
                    );
                    if let Ok(value) = axum::http::HeaderValue::from_str(&allowed.join(", ")) {
                        response.headers_mut().insert(axum::http::header::ALLOW, value);
                    }
                    return response;
                }
                support::Found::NotFound => {
                    return error_response(StatusCode::NOT_FOUND, support::single("path", "path", "no operation has this path"));
                }
                support::Found::BadPath => {
                    return error_response(StatusCode::BAD_REQUEST, support::single("path", "path", "is not valid percent-encoded UTF-8"));
                }
            };
            let body = match support::read_body(body, &parts.headers, &shared.config).await {
                Ok(body) => body,
                Err(err) => return err.into_response(error_response),
            };
            let response = match operation {
                #(#dispatch_arms)*
                _ => error_response(StatusCode::NOT_FOUND, support::single("path", "path", "no operation has this path")),
            };
            if parts.method == axum::http::Method::HEAD {
                // HEAD runs the GET operation (RFC 9110 9.3.2) and answers its headers only.
                let (head, _) = response.into_parts();
                return Response::from_parts(head, axum::body::Body::empty());
            }
            response
        }

        #error_body
        #(#handlers)*
    }
}

/// `Bearer realm="api", Basic realm="api"` for the schemes the spec declares (bearer for OAuth 2
/// and OpenID Connect too; API keys have no standard challenge).
fn challenge(api: &Api) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for scheme in &api.security_schemes {
        let part = match scheme.kind {
            SecuritySchemeKind::HttpBearer | SecuritySchemeKind::OAuth2 | SecuritySchemeKind::OpenIdConnect => "Bearer realm=\"api\"",
            SecuritySchemeKind::HttpBasic => "Basic realm=\"api\"",
            _ => continue,
        };
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        "ApiKey realm=\"api\"".to_string()
    } else {
        parts.join(", ")
    }
}

/// `fn error_response`: the spec's error body (`Validator` shape) when it has one, otherwise a
/// plain JSON list of errors.
fn error_body(plan: &Plan<'_>, types_crate: &syn::Ident) -> TokenStream {
    let build = match &plan.error_body {
        ErrorBody::Schema { type_id, .. } => {
            let name = format_ident!("{}", plan.api.ty(*type_id).name);
            quote! {
                let body: #types_crate::#name = errors.into();
                support::json_response(status, &body)
            }
        }
        ErrorBody::Default => quote! {
            let list: Vec<serde_json::Value> = errors
                .iter()
                .map(|e| serde_json::json!({"field": e.field(), "pointer": e.pointer, "keyword": e.keyword, "message": e.message}))
                .collect();
            support::json_response(status, &serde_json::json!({ "errors": list }))
        },
    };
    quote! {
        /// The body of every error the server itself answers (400, 401, 404, 405, 408, 413).
        fn error_response(status: StatusCode, errors: ValidationErrors) -> Response {
            #build
        }
    }
}

