//! The axum server crate: a trait per tag with one method per operation, a request struct and a
//! response enum per operation, and a router that decodes, authenticates and validates every
//! request before an implementation sees it.

use super::rust_type::{ApiRef, Spelling};
use super::support::style_tokens;
use super::request_body::{json_kind, multipart_body, resolve, text_kind, typed_body, FormField, TextKind};
use super::validation::{is_json, operation_check_names};
use crate::docs::{doc_attrs, inner_doc_attrs, join};
use crate::ir::{
    AdditionalCheck, Api, CheckNode, JsonKind, Method, Operation, Param, ParamLocation, ParamStyle, PathSegment, Response,
    SecurityRequirement, SecuritySchemeKind, Status,
};
use crate::naming::{self, NameSet};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// Trait names by tag, in the order tags first appear.
pub fn traits(api: &Api) -> Vec<(String, Vec<&Operation>)> {
    let has_tags = api.operations.iter().any(|o| !o.tags.is_empty());
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for operation in &api.operations {
        let tag = match operation.tags.first() {
            Some(tag) => tag.clone(),
            None if has_tags => "default".to_string(),
            None => String::new(),
        };
        if !groups.contains_key(&tag) {
            order.push(tag.clone());
        }
        groups.entry(tag).or_default().push(operation);
    }
    let mut names = NameSet::with_reserved(&["Config", "Credentials"]);
    order
        .into_iter()
        .map(|tag| {
            let name = if tag.is_empty() { "Api".to_string() } else { format!("{}Api", naming::type_name(&tag, "Tag")) };
            let operations = groups.remove(&tag).unwrap_or_default();
            (names.claim(&name, ""), operations)
        })
        .collect()
}

/// The security alternatives that apply to an operation (its own, else the global ones).
fn security<'a>(api: &'a Api, operation: &'a Operation) -> &'a [SecurityRequirement] {
    operation.security.as_deref().unwrap_or(&api.security)
}

/// Whether the operation needs credentials, accepts them optionally, or is open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Auth {
    Open,
    Optional,
    Required,
}

fn auth(api: &Api, operation: &Operation) -> Auth {
    let alternatives = security(api, operation);
    if alternatives.is_empty() {
        Auth::Open
    } else if alternatives.iter().any(|a| a.schemes.is_empty()) {
        Auth::Optional
    } else {
        Auth::Required
    }
}

/// The variant name of a response status: the reason phrase where there is a common one.
pub fn variant_name(status: Status) -> String {
    let code = match status {
        Status::Default => return "Default".to_string(),
        Status::Range(range) => return format!("Status{range}xx"),
        Status::Code(code) => code,
    };
    let reason = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        204 => "NoContent",
        301 => "MovedPermanently",
        302 => "Found",
        304 => "NotModified",
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        _ => return format!("Status{code}"),
    };
    reason.to_string()
}

/// How a parameter or form field is read from text: `support::Shape` of its schema.
fn shape_tokens(api: &Api, node: &CheckNode) -> TokenStream {
    match json_kind(api, node) {
        Some(JsonKind::Array) => {
            let item = scalar_tokens(api, resolve(api, node).and_then(|c| c.items.as_ref()));
            quote!(support::Shape::Array(#item))
        }
        Some(JsonKind::Object) => {
            let properties = resolve(api, node).map(|c| c.properties.clone()).unwrap_or_default();
            let props = properties.iter().map(|p| {
                let name = &p.name;
                let kind = scalar_tokens(api, Some(&p.node));
                quote!((#name, #kind))
            });
            quote!(support::Shape::Object(&[#(#props),*]))
        }
        _ => {
            let scalar = scalar_tokens(api, Some(node));
            quote!(support::Shape::Scalar(#scalar))
        }
    }
}

/// A form's fields as `&support::Form`: each with its shape and style, and how undeclared
/// fields are read (per `additionalProperties`).
fn form_tokens(api: &Api, fields: &[FormField], body: Option<&CheckNode>) -> TokenStream {
    let fields = fields.iter().map(|field| {
        let name = &field.name;
        let shape = shape_tokens(api, &field.node);
        let style = style_tokens(field.style, field.explode);
        quote!((#name, #shape, #style))
    });
    let other = match body.and_then(|node| resolve(api, node)).and_then(|check| check.additional.as_ref()) {
        Some(AdditionalCheck::Schema(node)) => scalar_tokens(api, Some(node)),
        _ => scalar_tokens(api, None),
    };
    quote!(&support::Form { fields: &[#(#fields),*], other: #other })
}

/// How text is read as JSON for a schema: `support::Scalar`.
fn scalar_tokens(api: &Api, node: Option<&CheckNode>) -> TokenStream {
    match text_kind(api, node) {
        TextKind::Integer => quote!(support::Scalar::Integer),
        TextKind::Number => quote!(support::Scalar::Number),
        TextKind::Boolean => quote!(support::Scalar::Boolean),
        TextKind::Json => quote!(support::Scalar::Json),
        TextKind::String => quote!(support::Scalar::String),
    }
}

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
pub fn server_module(api: &Api, types_crate: &str, validation_crate: &str) -> TokenStream {
    let api_ref = ApiRef::new(api, Some(types_crate));
    let spelling = api_ref.spelling();
    let types_ident = format_ident!("{}", types_crate);
    let validation = format_ident!("{}", validation_crate);
    let groups = traits(api);
    let mut type_names = NameSet::with_reserved(&["Config", "Credentials", "Multipart"]);
    for (name, _) in &groups {
        type_names.claim(name, "");
    }
    let multipart_export = api.operations.iter().any(|op| multipart_body(api, op).is_some()).then(|| quote!(pub use support::Multipart;));
    let mut items = Vec::new();
    let mut trait_items = Vec::new();
    let mut handlers = Vec::new();
    let mut dispatch_arms = Vec::new();
    let mut route_entries: Vec<(usize, TokenStream, usize)> = Vec::new();
    let mut op_index = 0usize;
    for (trait_name, operations) in &groups {
        let trait_ident = format_ident!("{}", trait_name);
        let mut methods = Vec::new();
        for operation in operations {
            let camel = naming::type_name(&operation.id, "Op");
            let request_name = format_ident!("{}", type_names.claim(&format!("{camel}Request"), ""));
            let response_name = format_ident!("{}", type_names.claim(&format!("{camel}Response"), ""));
            let method_name = format_ident!("{}", operation.rust_name);
            let handler_name = format_ident!("handle_{}", operation.rust_name);
            items.push(request_struct(api, &spelling, operation, &request_name));
            items.push(response_enum(&spelling, operation, &response_name));
            let doc = operation_doc(api, operation);
            methods.push(quote! {
                #doc
                fn #method_name(&self, request: #request_name) -> impl std::future::Future<Output = #response_name> + Send;
            });
            handlers.push(handler(api, operation, &trait_ident, &request_name, &method_name, &handler_name, &validation, &spelling));
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
        let doc = if trait_name == "Api" {
            " The operations of the API.".to_string()
        } else {
            format!(" The operations tagged `{}`.", trait_name.trim_end_matches("Api"))
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
    let bounds: Vec<syn::Ident> = groups.iter().map(|(name, _)| format_ident!("{}", name)).collect();
    let bound = if bounds.is_empty() { quote!(Send + Sync + 'static) } else { quote!(#(#bounds)+*) };
    // A spec without operations still gets a (404-only) router; its imports are then unused.
    let allow_unused = api.operations.is_empty().then(|| quote!(#[allow(unused_imports)]));
    let error_body = error_body(api, &types_ident);
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

        /// Server settings.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Config {
            /// The largest request body accepted, in bytes; larger ones get 413.
            pub body_limit: usize,
        }

        impl Default for Config {
            fn default() -> Self {
                Config { body_limit: 1024 * 1024 }
            }
        }

        #(#trait_items)*
        #(#items)*

        struct Shared<S> {
            service: S,
            config: Config,
        }

        /// A router serving every operation with `service`, with the default [`Config`].
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
            let body = match support::read_body(body, &parts.headers, shared.config.body_limit).await {
                Ok(body) => body,
                Err(support::BodyError::TooLarge) => {
                    let message = format!("must be at most {} bytes", shared.config.body_limit);
                    return error_response(StatusCode::PAYLOAD_TOO_LARGE, support::single("body", "maxLength", &message));
                }
                Err(support::BodyError::Unreadable) => {
                    return error_response(StatusCode::BAD_REQUEST, support::single("body", "body", "could not be read"));
                }
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
fn error_body(api: &Api, types_crate: &syn::Ident) -> TokenStream {
    let shape = super::validation::error_body_type(api);
    let build = match shape {
        Some(name) => {
            let name = format_ident!("{}", name);
            quote! {
                let body: #types_crate::#name = errors.into();
                support::json_response(status, &body)
            }
        }
        None => quote! {
            let list: Vec<serde_json::Value> = errors
                .iter()
                .map(|e| serde_json::json!({"field": e.field(), "pointer": e.pointer, "keyword": e.keyword, "message": e.message}))
                .collect();
            support::json_response(status, &serde_json::json!({ "errors": list }))
        },
    };
    quote! {
        /// The body of every error the server itself answers (400, 401, 404, 405, 413).
        fn error_response(status: StatusCode, errors: ValidationErrors) -> Response {
            #build
        }
    }
}

fn operation_doc(api: &Api, operation: &Operation) -> TokenStream {
    let method = format!("{:?}", operation.method).to_uppercase();
    let route = format!("`{method} {}`", operation.path);
    let statuses: Vec<String> = operation
        .responses
        .iter()
        .map(|r| {
            let status = match r.status {
                Status::Code(code) => code.to_string(),
                Status::Range(range) => format!("{range}XX"),
                Status::Default => "default".to_string(),
            };
            format!("- {status}: {}", r.description.replace('\n', " "))
        })
        .collect();
    let auth_text = match auth(api, operation) {
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

/// Whether a parameter always has a value once decoded (required or defaulted).
fn always_present(param: &Param) -> bool {
    param.required || param.default.is_some()
}

fn request_struct(api: &Api, spelling: &Spelling<'_>, operation: &Operation, name: &syn::Ident) -> TokenStream {
    let mut fields = Vec::new();
    let mut names = NameSet::default();
    match auth(api, operation) {
        Auth::Open => {}
        Auth::Optional => {
            names.claim("credentials", "_");
            fields.push(quote! {
                /// The credentials sent, if any (the implementation decides whether they are valid).
                pub credentials: Option<Credentials>,
            });
        }
        Auth::Required => {
            names.claim("credentials", "_");
            fields.push(quote! {
                /// The credentials sent (the implementation decides whether they are valid).
                pub credentials: Credentials,
            });
        }
    }
    for param in &operation.params {
        let field = format_ident!("{}", names.claim(&param.rust_name, "_"));
        let ty = spelling.ty(&param.ty);
        let ty = if always_present(param) { ty } else { spelling.option(ty) };
        let location = match param.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        };
        let default = param.default.as_ref().map(|d| format!("Defaults to `{d}` when not sent."));
        let origin = format!("The `{}` {location} parameter.", param.wire);
        let doc = doc_attrs(&join(&[param.doc.as_deref(), Some(&origin), default.as_deref()]));
        fields.push(quote! {
            #doc
            pub #field: #ty,
        });
    }
    if let Some(body) = &operation.body {
        let field = format_ident!("{}", names.claim("body", "_"));
        let (ty, what) = match (typed_body(api, operation), multipart_body(api, operation)) {
            (Some(typed), _) => {
                let ty = typed.media.ty.as_ref().map(|ty| spelling.ty(ty)).unwrap_or_else(|| quote!(serde_json::Value));
                (ty, "The request body, validated against its schema.")
            }
            (None, Some(_)) => (quote!(support::Multipart), "The request body's parts, checked against its schema."),
            (None, None) => (quote!(Bytes), "The request body, as sent."),
        };
        let ty = if body.required { ty } else { spelling.option(ty) };
        let doc = doc_attrs(&join(&[body.doc.as_deref(), Some(what)]));
        fields.push(quote! {
            #doc
            pub #field: #ty,
        });
    }
    let doc = format!(" The decoded, validated request of `{}`.", operation.id);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The payload type of a response: JSON schema type, raw bytes, or nothing.
fn response_payload(spelling: &Spelling<'_>, response: &Response) -> Option<(TokenStream, Option<String>)> {
    if let Some(media) = response.content.iter().find(|m| is_json(&m.media_type)) {
        let ty = media.ty.as_ref().map(|t| spelling.ty(t)).unwrap_or_else(|| quote!(serde_json::Value));
        return Some((ty, None));
    }
    response.content.first().map(|media| (quote!(Bytes), Some(media.media_type.clone())))
}

fn response_enum(spelling: &Spelling<'_>, operation: &Operation, name: &syn::Ident) -> TokenStream {
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut names = NameSet::default();
    for response in &operation.responses {
        let variant = format_ident!("{}", names.claim(&variant_name(response.status), ""));
        let payload = response_payload(spelling, response);
        let status_doc = match response.status {
            Status::Code(code) => format!("{code}: {}", response.description),
            Status::Range(range) => format!("{range}XX: {}", response.description),
            Status::Default => format!("Any other status: {}", response.description),
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
        let mut header_names = NameSet::with_reserved(&["status", "body"]);
        let mut header_pushes = Vec::new();
        for header in &response.headers {
            let field = format_ident!("{}", header_names.claim(&header.rust_name, "_"));
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
            Some((_, None)) => quote!(support::json_response(#status_expr, &body)),
            Some((_, Some(media))) => quote!(support::bytes_response(#status_expr, #media, body)),
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
    let doc = format!(" Every response `{}` may answer: one variant per documented status.", operation.id);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
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
pub fn status_tokens(code: u16) -> TokenStream {
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


#[allow(clippy::too_many_arguments)]
fn handler(
    api: &Api,
    operation: &Operation,
    trait_ident: &syn::Ident,
    request_name: &syn::Ident,
    method_name: &syn::Ident,
    handler_name: &syn::Ident,
    validation: &syn::Ident,
    spelling: &Spelling<'_>,
) -> TokenStream {
    let module = format_ident!("{}", operation.rust_name);
    let (check_names, body_check) = operation_check_names(operation);
    let mut statements = Vec::new();
    let mut fields = Vec::new();
    let mut names = NameSet::default();
    // Every operation reads the query string: parameters it does not declare are refused, never
    // silently dropped.
    let uses_query = true;
    if uses_query {
        statements.push(quote!(let query = support::Query::parse(parts.uri.query());));
    }
    // Security comes first: without credentials nothing else is looked at.
    let auth_kind = auth(api, operation);
    if auth_kind != Auth::Open {
        let alternatives = security(api, operation).iter().map(|requirement| {
            let schemes = requirement.schemes.iter().map(|(name, _)| {
                // A scheme the spec never declares cannot be checked, so it is never met.
                let Some(scheme) = api.security_schemes.iter().find(|s| &s.name == name) else {
                    return quote!(support::Scheme::Other(#name));
                };
                match &scheme.kind {
                    SecuritySchemeKind::HttpBearer | SecuritySchemeKind::OAuth2 | SecuritySchemeKind::OpenIdConnect => {
                        quote!(support::Scheme::Bearer)
                    }
                    SecuritySchemeKind::HttpBasic => quote!(support::Scheme::Basic),
                    SecuritySchemeKind::ApiKey { location, name: key } => match location {
                        ParamLocation::Query => quote!(support::Scheme::ApiKeyQuery(#key)),
                        ParamLocation::Cookie => quote!(support::Scheme::ApiKeyCookie(#key)),
                        _ => quote!(support::Scheme::ApiKeyHeader(#key)),
                    },
                    SecuritySchemeKind::HttpOther(other) => quote!(support::Scheme::Other(#other)),
                }
            });
            quote!(&[#(#schemes),*])
        });
        let query_arg = if uses_query { quote!(Some(&query)) } else { quote!(None) };
        statements.push(quote! {
            let credentials = support::authenticate(&parts.headers, #query_arg, &[#(#alternatives),*]);
        });
        if auth_kind == Auth::Required {
            statements.push(quote! {
                let Some(credentials) = credentials else {
                    let mut response = error_response(
                        StatusCode::UNAUTHORIZED,
                        support::single("authorization", "security", "credentials are required"),
                    );
                    support::challenge(&mut response, CHALLENGE);
                    return response;
                };
            });
        }
        names.claim("credentials", "_");
        fields.push(quote!(credentials));
    }
    statements.push(quote!(let mut errors: Vec<ValidationError> = Vec::new();));
    if uses_query {
        let known = operation.params.iter().filter(|p| p.location == ParamLocation::Query).map(|p| {
            let wire = &p.wire;
            let deep = p.style == ParamStyle::DeepObject;
            quote!((#wire, #deep))
        });
        let api_keys = api.security_schemes.iter().filter_map(|s| match &s.kind {
            SecuritySchemeKind::ApiKey { location: ParamLocation::Query, name } => Some(quote!((#name, false))),
            _ => None,
        });
        statements.push(quote!(query.reject_unknown(&[#(#known,)* #(#api_keys),*], &mut errors);));
    }
    let path_names: Vec<&String> = operation.segments.iter().filter_map(|s| if let PathSegment::Param(n) = s { Some(n) } else { None }).collect();
    for (param, check_name) in operation.params.iter().zip(&check_names) {
        let field = format_ident!("{}", names.claim(&param.rust_name, "_"));
        // Locals get a prefix so that no parameter name can shadow the handler's own variables
        // (`query`, `errors`, `parts`, `body`, ...).
        let local = format_ident!("param_{}", field);
        let wire = &param.wire;
        let shape = shape_tokens(api, &param.check);
        let style = style_tokens(param.style, param.explode);
        let json_content = param.content.as_deref().is_some_and(is_json);
        let raw = match param.location {
            ParamLocation::Path if json_content => {
                let index = path_names.iter().position(|n| *n == wire).unwrap_or(0);
                let get = if index == 0 {
                    quote!(params.first())
                } else {
                    let index = Literal::usize_unsuffixed(index);
                    quote!(params.get(#index))
                };
                quote!(#get.and_then(|text| support::json_text(text, #wire, &mut errors)))
            }
            ParamLocation::Query if json_content => quote!(query.decode_json(#wire, &mut errors)),
            ParamLocation::Header if json_content => quote!(support::header_json(&parts.headers, #wire, &mut errors)),
            ParamLocation::Cookie if json_content => quote!(support::cookie_json(&parts.headers, #wire, &mut errors)),
            ParamLocation::Path => {
                let index = path_names.iter().position(|n| *n == wire).unwrap_or(0);
                let get = if index == 0 {
                    quote!(params.first())
                } else {
                    let index = Literal::usize_unsuffixed(index);
                    quote!(params.get(#index))
                };
                quote!(#get.map(|text| support::decode_path(text, #wire, #shape, #style)))
            }
            ParamLocation::Query => quote!(query.decode(#wire, #shape, #style, &mut errors)),
            ParamLocation::Header => quote!(support::decode_header(&parts.headers, #wire, #shape)),
            ParamLocation::Cookie => quote!(support::decode_cookie(&parts.headers, #wire, #shape)),
        };
        let check = format_ident!("{}", check_name);
        let ty = spelling.ty(&param.ty);
        let default = match &param.default {
            Some(default) => {
                let json = serde_json::to_string(default).unwrap_or_default();
                quote!(.or_else(|| serde_json::from_str::<serde_json::Value>(#json).ok()))
            }
            None => quote!(),
        };
        let required = param.required;
        statements.push(quote! {
            let #local: Option<#ty> = support::param(#raw #default, #wire, #required, #validation::operations::#module::#check, &mut errors);
        });
        fields.push(quote!(#field: #local));
    }
    if let Some(body) = &operation.body {
        let field = format_ident!("{}", names.claim("body", "_"));
        let required = body.required;
        // The body's check function, when its media type has a schema.
        let check_of = |media: &crate::ir::MediaBody| match &media.check {
            Some(_) => {
                let check = format_ident!("{}", body_check);
                quote!(Some(#validation::operations::#module::#check))
            }
            None => quote!(None),
        };
        let decode = match (typed_body(api, operation), multipart_body(api, operation)) {
            (Some(typed), _) => {
                let ty = typed.media.ty.as_ref().map(|t| spelling.ty(t)).unwrap_or_else(|| quote!(serde_json::Value));
                let check = check_of(typed.media);
                match &typed.form {
                    None => quote!(let request_body: Option<#ty> = support::json_body(&parts.headers, &body, #required, #check, &mut errors);),
                    Some(fields) => {
                        let fields = form_tokens(api, fields, typed.media.check.as_ref());
                        let json = typed.json;
                        quote!(let request_body: Option<#ty> = support::form_body(&parts.headers, &body, #required, #json, #fields, #check, &mut errors);)
                    }
                }
            }
            (None, Some(multipart)) => {
                let check = check_of(multipart.media);
                let fields = form_tokens(api, &multipart.fields, multipart.media.check.as_ref());
                quote!(let request_body: Option<support::Multipart> = support::multipart_body(&parts.headers, &body, #required, #fields, #check, &mut errors).await;)
            }
            (None, None) => quote!(let request_body: Option<Bytes> = support::raw_body(&body, #required, &mut errors);),
        };
        statements.push(decode);
        fields.push(quote!(#field: request_body));
    } else {
        statements.push(quote!(support::no_body(&body, &mut errors);));
    }
    statements.push(quote! {
        if !errors.is_empty() {
            return error_response(StatusCode::BAD_REQUEST, ValidationErrors(errors));
        }
    });
    // Unwrap what must be present; the checks above guarantee it, and a miss is a 400, not a panic.
    let mut unwraps = Vec::new();
    for param in &operation.params {
        if always_present(param) {
            let local = format_ident!("param_{}", names_lookup(&operation.params, param, auth_kind != Auth::Open));
            let wire = &param.wire;
            unwraps.push(quote! {
                let Some(#local) = #local else {
                    return error_response(StatusCode::BAD_REQUEST, support::single(#wire, "required", "must be set"));
                };
            });
        }
    }
    if let Some(body) = &operation.body {
        if body.required {
            unwraps.push(quote! {
                let Some(request_body) = request_body else {
                    return error_response(StatusCode::BAD_REQUEST, support::single("body", "required", "a request body is required"));
                };
            });
        }
    }
    // A 401 from the implementation gets the same challenge as the server's own 401.
    let finish = if auth_kind == Auth::Open {
        quote!(service.#method_name(request).await.into_response())
    } else {
        quote! {
            let mut response = service.#method_name(request).await.into_response();
            support::challenge(&mut response, CHALLENGE);
            response
        }
    };
    let unused_params = if operation.segments.iter().any(|s| matches!(s, PathSegment::Param(_))) { quote!() } else { quote!(let _ = params;) };
    let uses_parts = uses_query
        || auth_kind != Auth::Open
        || operation.params.iter().any(|p| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie))
        || typed_body(api, operation).is_some()
        || multipart_body(api, operation).is_some();
    let unused_parts = if uses_parts { quote!() } else { quote!(let _ = parts;) };
    quote! {
        async fn #handler_name<S: #trait_ident>(service: &S, parts: &Parts, params: Vec<String>, body: Bytes) -> Response {
            #unused_params
            #unused_parts
            #(#statements)*
            #(#unwraps)*
            let request = #request_name { #(#fields),* };
            #finish
        }
    }
}

/// The field name a parameter got in the request struct (same claim order as the struct).
fn names_lookup(params: &[Param], target: &Param, has_credentials: bool) -> String {
    let mut names = NameSet::default();
    if has_credentials {
        names.claim("credentials", "_");
    }
    let mut found = String::new();
    for param in params {
        let name = names.claim(&param.rust_name, "_");
        if std::ptr::eq(param, target) {
            found = name;
        }
    }
    found
}
