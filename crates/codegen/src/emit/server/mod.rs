//! The axum server crate: a trait per tag with one method per operation, a request struct and a
//! response enum per operation, and a router that decodes, authenticates and validates every
//! request before an implementation sees it.

mod decode;
mod handler;
mod items;
mod streams;

use crate::docs::inner_doc_attrs;
use crate::emit::rust_type::ApiRef;
use crate::ir::{Api, SecuritySchemeKind};
use crate::plan::body::multipart_body;
use crate::plan::errors::ErrorBody;
use crate::plan::Plan;
use crate::error::Diagnostic;
use crate::render::{Chunk, RustFile};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};


/// `src/generated.rs` of the server crate: [`server_items`], then [`server_handlers`].
pub fn server_module(plan: &Plan<'_>, types_crate: &str, validation_crate: &str, header: &str) -> Result<Vec<(&'static str, String)>, Diagnostic> {
    let mut text = server_items(plan, types_crate, validation_crate, header)?;
    text.push_str(&server_handlers(plan, types_crate, validation_crate, Chunk::WHOLE)?);
    Ok(vec![("generated.rs", text)])
}

/// The handlers, the end of `src/generated.rs` of the server crate: all of them
/// ([`Chunk::WHOLE`]), or one part of them (the generator prints each part on one of its threads
/// while others print the rest).
pub fn server_handlers(plan: &Plan<'_>, types_crate: &str, validation_crate: &str, chunk: Chunk) -> Result<String, Diagnostic> {
    let api_ref = ApiRef::new(plan.api, Some(types_crate));
    let spelling = api_ref.spelling();
    let validation = format_ident!("{}", validation_crate);
    let mut file = RustFile::continuation("server");
    let operations: Vec<_> = plan.traits.iter().flat_map(|trait_plan| plan.trait_operations(trait_plan)).collect();
    // A handler's size is mostly its parameters'.
    let weights: Vec<usize> = operations.iter().map(|op| 4 + op.operation.params.len()).collect();
    for op in &operations[chunk.range(&weights)] {
        file.items(handler::handler(plan, op, &spelling, &validation))?;
    }
    Ok(file.finish())
}

/// `src/generated.rs` of the server crate up to the handlers: the traits, request structs and
/// response enums, the router and its dispatch, the error body and, when an operation requires
/// credentials, `unauthorized()`.
pub fn server_items(plan: &Plan<'_>, types_crate: &str, validation_crate: &str, header: &str) -> Result<String, Diagnostic> {
    let api = plan.api;
    let api_ref = ApiRef::new(api, Some(types_crate));
    let spelling = api_ref.spelling();
    let types_ident = format_ident!("{}", types_crate);
    let validation = format_ident!("{}", validation_crate);
    let multipart_export = api.operations.iter().any(|op| multipart_body(api, op).is_some()).then(|| quote!(pub use support::Multipart;));
    let mut trait_items = Vec::new();
    let mut dispatch_arms = Vec::new();
    let mut variants = Vec::new();
    let mut operation_specs = Vec::new();
    let reading = streams::reading(plan);
    for trait_plan in &plan.traits {
        let trait_ident = format_ident!("{}", trait_plan.name);
        let mut methods = Vec::new();
        for op in plan.trait_operations(trait_plan) {
            let operation = op.operation;
            let request_name = format_ident!("{}", op.request_type);
            let response_name = format_ident!("{}", op.server_response_type);
            let method_name = format_ident!("{}", operation.rust_name);
            let handler_name = format_ident!("handle_{}", operation.rust_name);
            let doc = items::operation_doc(op);
            // With `server.default_501`, a method not implemented answers 501 Not Implemented.
            let body = if plan.server.default_501 {
                quote!({
                    let _ = request;
                    async { #response_name::NotImplemented }
                })
            } else {
                quote!(;)
            };
            let convention = crate::emit::support::self_convention_allow(&operation.rust_name);
            methods.push(quote! {
                #doc
                #convention
                fn #method_name(&self, request: #request_name) -> impl std::future::Future<Output = #response_name> + Send #body
            });
            let variant = format_ident!("{}", op.variant);
            let variant_doc = format!(" `{}` (`{} {}`).", operation.id, operation.method, operation.path);
            variants.push(quote! {
                #[doc = #variant_doc]
                #variant,
            });
            let module = format_ident!("{}", op.check_module);
            operation_specs.push(quote!((Operation::#variant, &#validation::operations::#module::OPERATION)));
            let body = streams::handler_body(op, reading.is_some());
            dispatch_arms.push(quote!(Operation::#variant => #handler_name(&shared.service, &parts, params, #body).await,));
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
    let bounds: Vec<syn::Ident> = plan.traits.iter().map(|t| format_ident!("{}", t.name)).collect();
    let bound = if bounds.is_empty() { quote!(Send + Sync + 'static) } else { quote!(#(#bounds)+*) };
    // A spec without operations still gets a (404-only) router; its imports are then unused.
    let allow_unused = api.operations.is_empty().then(|| quote!(#[allow(unused_imports)]));
    let error_body = error_body(plan, &types_ident);
    let challenge = challenge(api);
    let module_doc = inner_doc_attrs(&format!("axum server stubs for {}.", api.info.title));
    // This crate's defaults: the runtime's, with the settings' `server.body_limit`,
    // `server.binary_body_limit` and `server.request_timeout_ms`.
    let body_limit = plan.server.body_limit.map(|limit| {
        let limit = Literal::u64_unsuffixed(limit);
        quote!(body_limit: #limit,)
    });
    let binary_body_limit = plan.server.binary_body_limit.map(|limit| {
        let limit = Literal::u64_unsuffixed(limit);
        quote!(binary_body_limit: #limit,)
    });
    let request_timeout = plan.server.request_timeout_ms.map(|ms| {
        let ms = Literal::u64_unsuffixed(ms);
        quote!(request_timeout: Some(std::time::Duration::from_millis(#ms)),)
    });
    let config = if body_limit.is_none() && binary_body_limit.is_none() && request_timeout.is_none() {
        quote!(Config::DEFAULT)
    } else {
        quote!(Config { #body_limit #binary_body_limit #request_timeout ..Config::DEFAULT })
    };
    let (read, finish) = match reading {
        Some(reading) => (reading.read, reading.finish),
        None => (
            quote! {
                let body = match support::read_body(body, &parts.headers, &shared.config).await {
                    Ok(body) => body,
                    Err(err) => return err.into_response(error_response),
                };
            },
            quote!(),
        ),
    };
    let mut file = RustFile::new(header, "server");
    file.items(quote! {
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

        pub use support::{serve, shutdown_signal, Config, ResponseChecks};

        /// This crate's server settings, which [`router`] uses: [`Config::DEFAULT`] with the
        /// generator settings' body limits and request timeout, where they set them.
        pub const CONFIG: Config = #config;

    })?;
    for item in trait_items {
        file.items(item)?;
    }
    for trait_plan in &plan.traits {
        for op in plan.trait_operations(trait_plan) {
            file.items(items::request_struct(op, &spelling))?;
            file.items(items::response_enum(op, &spelling, &plan.server))?;
        }
    }
    file.items(quote! {

        struct Shared<S> {
            service: S,
            config: Config,
            routes: support::Routes<Operation>,
        }

        /// A router serving every operation with `service`, with this crate's settings
        /// ([`CONFIG`]); serve it with [`serve`] for the timeouts.
        pub fn router<S: #bound>(service: S) -> axum::Router {
            router_with_config(service, CONFIG)
        }

        /// A router serving every operation with `service`.
        pub fn router_with_config<S: #bound>(service: S, config: Config) -> axum::Router {
            axum::Router::new()
                .fallback(|state, request| support::traced(request, |request| dispatch::<S>(state, request)))
                .with_state(Arc::new(Shared { service, config, routes: support::Routes::new(OPERATIONS.iter().copied()) }))
        }

        /// The operations, as routing finds them.
        // Named after the operations, which may all start with `Get` or end in `Operation`.
        #[allow(clippy::enum_variant_names)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Operation {
            #(#variants)*
        }

        /// Each operation with what the spec says of it (for routing, tracing and response
        /// checks), indexed by `Operation as usize`.
        const OPERATIONS: &[(Operation, &support::Operation)] = &[#(#operation_specs),*];

        /// The `WWW-Authenticate` challenge of every 401: the spec's HTTP schemes.
        #[allow(dead_code)]
        const CHALLENGE: &str = #challenge;

        async fn dispatch<S: #bound>(
            axum::extract::State(shared): axum::extract::State<Arc<Shared<S>>>,
            request: axum::extract::Request,
        ) -> Response {
            let (parts, body) = request.into_parts();
            // A request from `serve` without its one `Host` (HTTP/1.1) is refused before routing.
            if let Some(errors) = support::host_errors(&parts) {
                return error_response(StatusCode::BAD_REQUEST, errors);
            }
            let (operation, params) = match shared.routes.find(&parts.method, parts.uri.path()) {
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
            let spec = OPERATIONS[operation as usize].1;
            support::found(spec);
            #read
            let answer = async {
                match operation {
                    #(#dispatch_arms)*
                }
            };
            let response = support::within(shared.config.request_timeout, answer, error_response).await;
            #finish
            let response = support::check_response(spec, &shared.config, response, error_response).await;
            if parts.method == axum::http::Method::HEAD {
                // HEAD runs the GET operation (RFC 9110 9.3.2) and answers its headers only.
                return support::head_response(response);
            }
            response
        }

    })?;
    file.items(error_body)?;
    if plan.operations.iter().any(|op| op.auth == crate::plan::Auth::Required) {
        file.items(quote! {
            /// The answer to a request without the credentials its operation requires: 401 with
            /// the spec's challenge.
            fn unauthorized() -> Response {
                let mut response = error_response(
                    StatusCode::UNAUTHORIZED,
                    support::single("authorization", "security", "credentials are required"),
                );
                support::challenge(&mut response, CHALLENGE);
                response
            }
        })?;
    }
    Ok(file.finish())
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
    // `support::refused` reports the error (a `tracing` event) and marks the answer as the
    // server's own, which response checks leave alone.
    quote! {
        /// The body of every error the server itself answers (400, 401, 404, 405, 408, 413,
        /// 500 for a response that breaks the spec, 503).
        fn error_response(status: StatusCode, errors: ValidationErrors) -> Response {
            support::refused(status, errors, |errors| { #build })
        }
    }
}

