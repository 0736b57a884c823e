//! The reqwest client crate: one async method per operation, typed parameters serialized per
//! their style, a response enum per operation with a variant per documented status, and optional
//! validation of requests before they are sent.

use super::rust_type::{ApiRef, Spelling};
use super::server::variant_name;
use super::validation::{is_json, json_body, operation_check_names};
use crate::docs::{doc_attrs, inner_doc_attrs, join};
use crate::ir::{Api, Operation, ParamLocation, ParamStyle, PathSegment, Response, Status};
use crate::naming::NameSet;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The tokens of `src/generated.rs` of the client crate.
pub fn client_module(api: &Api, types_crate: &str, validation_crate: &str) -> TokenStream {
    let api_ref = ApiRef::new(api, Some(types_crate));
    let spelling = api_ref.spelling();
    let validation = format_ident!("{}", validation_crate);
    let mut type_names = NameSet::with_reserved(&["Client", "ClientBuilder", "Error", "Auth"]);
    let mut items = Vec::new();
    let mut methods = Vec::new();
    for operation in &api.operations {
        let camel = crate::naming::type_name(&operation.id, "Op");
        let response_name = format_ident!("{}", type_names.claim(&format!("{camel}Response"), ""));
        let params_name = format_ident!("{}", type_names.claim(&format!("{camel}Params"), ""));
        items.push(response_enum(&spelling, operation, &response_name));
        let (params_struct, has_params) = params_struct(&spelling, operation, &params_name);
        if has_params {
            items.push(params_struct);
        }
        methods.push(method(api, &spelling, operation, &response_name, &params_name, has_params, &validation));
    }
    let module_doc = inner_doc_attrs(&format!("A reqwest client for {}.", api.info.title));
    let default_url = api.servers.first().cloned().unwrap_or_default();
    let support = client_support();
    quote! {
        #module_doc
        // Response enums are decoded once and matched; boxing large variants would only make
        // them harder to use.
        #![allow(clippy::large_enum_variant)]

        use #validation::{Direction, ValidationErrors};
        pub use support::{Client, ClientBuilder, Error};

        #[doc = " The first server URL of the spec, as written (it may contain `{variables}`)."]
        pub const SPEC_SERVER: &str = #default_url;

        impl Client {
            #(#methods)*
        }

        #(#items)*
        #support
    }
}

fn response_enum(spelling: &Spelling<'_>, operation: &Operation, name: &syn::Ident) -> TokenStream {
    let mut variants = Vec::new();
    let mut names = NameSet::default();
    for response in &operation.responses {
        let variant = format_ident!("{}", names.claim(&variant_name(response.status), ""));
        let doc = doc_attrs(&match response.status {
            Status::Code(code) => format!("{code}: {}", response.description),
            Status::Range(range) => format!("{range}XX: {}", response.description),
            Status::Default => format!("Any other status: {}", response.description),
        });
        let payload = payload(spelling, response);
        let fixed = matches!(response.status, Status::Code(_));
        variants.push(match (fixed, payload) {
            (true, None) => quote! { #doc #variant, },
            (true, Some(ty)) => quote! { #doc #variant(#ty), },
            (false, None) => quote! { #doc #variant { status: u16 }, },
            (false, Some(ty)) => quote! { #doc #variant { status: u16, body: #ty }, },
        });
    }
    let doc = format!(" What `{}` answered: one variant per documented status.", operation.id);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// The decoded body type of a response: its JSON schema type, raw bytes, or nothing.
fn payload(spelling: &Spelling<'_>, response: &Response) -> Option<TokenStream> {
    if let Some(media) = response.content.iter().find(|m| is_json(&m.media_type)) {
        return Some(media.ty.as_ref().map(|t| spelling.ty(t)).unwrap_or_else(|| quote!(serde_json::Value)));
    }
    response.content.first().map(|_| quote!(bytes::Bytes))
}

/// The parameters struct: every non-path parameter (path parameters are method arguments).
fn params_struct(spelling: &Spelling<'_>, operation: &Operation, name: &syn::Ident) -> (TokenStream, bool) {
    let others: Vec<_> = operation.params.iter().filter(|p| p.location != ParamLocation::Path).collect();
    let mut names = NameSet::default();
    let fields = others.iter().map(|param| {
        let field = format_ident!("{}", names.claim(&param.rust_name, "_"));
        let ty = spelling.ty(&param.ty);
        let ty = if param.required { ty } else { spelling.option(ty) };
        let location = match param.location {
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
            ParamLocation::Path => "path",
        };
        let default = param.default.as_ref().map(|d| format!("The server uses `{d}` when it is not sent."));
        let what = format!("The `{}` {location} parameter.", param.wire);
        let doc = doc_attrs(&join(&[param.doc.as_deref(), Some(&what), default.as_deref()]));
        quote! { #doc pub #field: #ty, }
    });
    let all_optional = others.iter().all(|p| !p.required);
    let default = all_optional.then(|| quote!(Default,));
    let doc = format!(" The query, header and cookie parameters of `{}`.", operation.id);
    (
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, #default)]
            pub struct #name {
                #(#fields)*
            }
        },
        !others.is_empty(),
    )
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

fn style_tokens(style: ParamStyle, explode: bool) -> TokenStream {
    let kind = match style {
        ParamStyle::Simple => quote!(Simple),
        ParamStyle::Label => quote!(Label),
        ParamStyle::Matrix => quote!(Matrix),
        ParamStyle::Form => quote!(Form),
        ParamStyle::SpaceDelimited => quote!(SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(PipeDelimited),
        ParamStyle::DeepObject => quote!(DeepObject),
    };
    quote!(support::Style { kind: support::StyleKind::#kind, explode: #explode })
}

fn method(
    api: &Api,
    spelling: &Spelling<'_>,
    operation: &Operation,
    response_name: &syn::Ident,
    params_name: &syn::Ident,
    has_params: bool,
    validation: &syn::Ident,
) -> TokenStream {
    let method_name = format_ident!("{}", operation.rust_name);
    let module = format_ident!("{}", operation.rust_name);
    let (check_names, body_check) = operation_check_names(operation);
    let mut args = Vec::new();
    let mut statements = Vec::new();
    // Arguments must not shadow the method's own variables.
    let mut arg_names = NameSet::with_reserved(&["params", "body", "self", "url", "parts", "request", "response", "status", "bytes"]);
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
                let Some((param, check)) = operation.params.iter().zip(&check_names).find(|(p, _)| p.location == ParamLocation::Path && &p.wire == name) else {
                    continue;
                };
                let arg = format_ident!("{}", arg_names.claim(&param.rust_name, "_"));
                args.push(path_arg(api, spelling, &param.ty, &arg));
                let style = style_tokens(param.style, param.explode);
                let wire = &param.wire;
                let check = format_ident!("{}", check);
                statements.push(quote! {
                    let #arg = support::path_value(&#arg, #wire, self.check(#validation::operations::#module::#check))?;
                });
                path_parts.push(quote!(support::push_path(&mut url, #wire, &#arg, #style);));
            }
        }
    }
    let body = operation.body.as_ref();
    let json = json_body(operation);
    if let Some(body) = body {
        let ty = match json.and_then(|m| m.ty.as_ref()) {
            Some(ty) => spelling.ty(ty),
            None if json.is_some() => quote!(serde_json::Value),
            None => quote!(bytes::Bytes),
        };
        if body.required {
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
    let mut field_names = NameSet::default();
    for (param, check) in operation.params.iter().zip(&check_names) {
        if param.location == ParamLocation::Path {
            continue;
        }
        let field = format_ident!("{}", field_names.claim(&param.rust_name, "_"));
        let wire = &param.wire;
        let check = format_ident!("{}", check);
        let style = style_tokens(param.style, param.explode);
        let json_content = param.content.as_deref().is_some_and(is_json);
        let location = match param.location {
            ParamLocation::Query => quote!(support::Location::Query),
            ParamLocation::Header => quote!(support::Location::Header),
            ParamLocation::Cookie => quote!(support::Location::Cookie),
            ParamLocation::Path => continue,
        };
        let value = if param.required { quote!(Some(&params.#field)) } else { quote!(params.#field.as_ref()) };
        param_statements.push(quote! {
            parts.add(#location, #wire, #value, #style, #json_content, self.check(#validation::operations::#module::#check))?;
        });
    }
    let method_tokens = match operation.method {
        crate::ir::Method::Get => quote!(GET),
        crate::ir::Method::Put => quote!(PUT),
        crate::ir::Method::Post => quote!(POST),
        crate::ir::Method::Delete => quote!(DELETE),
        crate::ir::Method::Options => quote!(OPTIONS),
        crate::ir::Method::Head => quote!(HEAD),
        crate::ir::Method::Patch => quote!(PATCH),
        crate::ir::Method::Trace => quote!(TRACE),
    };
    let body_statement = match (body, json) {
        (None, _) => quote!(),
        (Some(body), Some(media)) => {
            let media_type = &media.media_type;
            let check = match &media.check {
                Some(_) => {
                    let check = format_ident!("{}", body_check);
                    quote!(self.check(#validation::operations::#module::#check))
                }
                None => quote!(None),
            };
            let send = quote! {
                request = support::json_body(request, #media_type, body, #check)?;
            };
            if body.required {
                send
            } else {
                quote!(if let Some(body) = body { #send })
            }
        }
        (Some(body), None) => {
            let media_type = body.content.first().map(|m| m.media_type.clone()).unwrap_or_default();
            let send = quote!(request = request.header(reqwest::header::CONTENT_TYPE, #media_type).body(body.clone()););
            if body.required {
                send
            } else {
                quote!(if let Some(body) = body { #send })
            }
        }
    };
    let arms = operation.responses.iter().map(|response| {
        let variant = format_ident!("{}", variant_name(response.status));
        let decode = payload(spelling, response).map(|_| {
            if response.content.iter().any(|m| is_json(&m.media_type)) {
                quote!(support::decode_json(status, &bytes)?)
            } else {
                quote!(bytes.clone())
            }
        });
        let (pattern, build) = match (response.status, decode) {
            (Status::Code(code), None) => {
                let code = Literal::u16_unsuffixed(code);
                (quote!(#code), quote!(#response_name::#variant))
            }
            (Status::Code(code), Some(decode)) => {
                let code = Literal::u16_unsuffixed(code);
                (quote!(#code), quote!(#response_name::#variant(#decode)))
            }
            (Status::Range(range), decode) => {
                let low = Literal::u16_unsuffixed(range as u16 * 100);
                let high = Literal::u16_unsuffixed(range as u16 * 100 + 99);
                let build = match decode {
                    Some(decode) => quote!(#response_name::#variant { status, body: #decode }),
                    None => quote!(#response_name::#variant { status }),
                };
                (quote!(#low..=#high), build)
            }
            (Status::Default, decode) => {
                let build = match decode {
                    Some(decode) => quote!(#response_name::#variant { status, body: #decode }),
                    None => quote!(#response_name::#variant { status }),
                };
                (quote!(_), build)
            }
        };
        (response.status, quote!(#pattern => #build,))
    });
    // Exact codes first, then ranges, then `default`, whatever the spec's order.
    let mut arms: Vec<(Status, TokenStream)> = arms.collect();
    arms.sort_by_key(|(status, _)| *status);
    let has_default = arms.iter().any(|(status, _)| *status == Status::Default);
    let arms = arms.into_iter().map(|(_, arm)| arm);
    let arms: Vec<TokenStream> = arms.collect();
    let decodes = operation.responses.iter().any(|r| !r.content.is_empty());
    let unexpected = quote!(Err(Error::UnexpectedStatus { status, body: String::from_utf8_lossy(&bytes).into_owned() }));
    // The status dispatch, written without a `match` where there is nothing to choose between.
    let (read_bytes, dispatch) = match (arms.len(), has_default) {
        (0, _) => (true, unexpected),
        (1, true) => {
            let only = operation.responses.iter().find(|r| r.status == Status::Default);
            let variant = format_ident!("{}", variant_name(Status::Default));
            let build = match only.and_then(|r| payload(spelling, r)) {
                Some(_) if only.is_some_and(|r| r.content.iter().any(|m| is_json(&m.media_type))) => {
                    quote!(#response_name::#variant { status, body: support::decode_json(status, &bytes)? })
                }
                Some(_) => quote!(#response_name::#variant { status, body: bytes }),
                None => quote!(#response_name::#variant { status }),
            };
            (decodes, quote!(Ok(#build)))
        }
        (_, true) => (decodes, quote!(Ok(match status { #(#arms)* }))),
        (_, false) => (true, quote!(Ok(match status { #(#arms)* _ => return #unexpected, }))),
    };
    let read = if read_bytes {
        quote!(let bytes = response.bytes().await?;)
    } else {
        quote!(let _ = response;)
    };
    let http_method = format!("{:?}", operation.method).to_uppercase();
    let statuses: Vec<String> = operation
        .responses
        .iter()
        .map(|r| {
            let status = match r.status {
                Status::Code(code) => code.to_string(),
                Status::Range(range) => format!("{range}XX"),
                Status::Default => "default".to_string(),
            };
            format!("- {status} (`{}`): {}", variant_name(r.status), r.description.replace('\n', " "))
        })
        .collect();
    let route = format!("`{http_method} {}`", operation.path);
    let responses = format!("Responses:\n\n{}", statuses.join("\n"));
    let auth = match operation.security.as_deref().unwrap_or(&api.security) {
        [] => "Sends no credentials (the operation is open).",
        _ => "Sends the client's credentials.",
    };
    let doc = doc_attrs(&join(&[
        operation.summary.as_deref(),
        operation.description.as_deref(),
        Some(&route),
        Some(auth),
        Some(&responses),
        Some("Errors: `Error::Validation` when request validation is on and the request breaks the spec, `Error::Request` for transport failures, `Error::UnexpectedStatus` for a status the spec does not document, `Error::Decode` for a body that does not match its schema."),
    ]));
    let (parts_decl, parts_apply) = if param_statements.is_empty() {
        (quote!(), quote!())
    } else {
        (quote!(let mut parts = support::Parts::default();), quote!(request = parts.apply(request)?;))
    };
    let open = matches!(operation.security.as_deref(), Some([]));
    let credentials = if open { quote!() } else { quote!(request = self.authorize(request);) };
    let mutable = (!open || !param_statements.is_empty() || body.is_some()).then(|| quote!(mut));
    quote! {
        #doc
        pub async fn #method_name(&self, #(#args),*) -> Result<#response_name, Error> {
            #(#statements)*
            let mut url = self.base_url().to_string();
            #(#path_parts)*
            #parts_decl
            #(#param_statements)*
            let #mutable request = self.http().request(reqwest::Method::#method_tokens, url);
            #credentials
            #parts_apply
            #body_statement
            let response = request.send().await?;
            let status = response.status().as_u16();
            #read
            #dispatch
        }
    }
}

fn client_support() -> TokenStream {
    quote! {
        /// The client, its builder, errors and the serialization helpers the methods use.
        pub mod support {
            use super::{Direction, ValidationErrors};
            use serde_json::Value;
            use std::time::Duration;

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
                /// A value could not be serialized, or a header or URL could not be built.
                Invalid(String),
            }

            impl std::fmt::Display for Error {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        Error::Validation(errors) => write!(f, "the request breaks the spec: {errors}"),
                        Error::Request(err) => write!(f, "request failed: {err}"),
                        Error::UnexpectedStatus { status, body } => write!(f, "undocumented status {status}: {body}"),
                        Error::Decode { status, message, .. } => write!(f, "status {status}: the body does not match its schema: {message}"),
                        Error::Invalid(message) => write!(f, "invalid request: {message}"),
                    }
                }
            }

            impl std::error::Error for Error {
                fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                    match self {
                        Error::Validation(errors) => Some(errors),
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

            /// How requests are authenticated.
            #[derive(Clone)]
            enum Auth {
                Bearer(String),
                Basic(String, Option<String>),
            }

            /// A client of the API. Cheap to clone.
            #[derive(Clone)]
            pub struct Client {
                base_url: String,
                http: reqwest::Client,
                auth: Option<Auth>,
                validate: bool,
            }

            impl std::fmt::Debug for Client {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    // Credentials are never printed.
                    f.debug_struct("Client").field("base_url", &self.base_url).field("validate", &self.validate).finish()
                }
            }

            impl Client {
                /// A client for `base_url` (e.g. `https://yourcompany.teamwork.com`), without
                /// credentials, with request validation off.
                pub fn new(base_url: &str) -> Client {
                    Client { base_url: base_url.trim_end_matches('/').to_string(), http: reqwest::Client::new(), auth: None, validate: false }
                }

                /// A builder for credentials, timeouts, extra headers and more.
                pub fn builder(base_url: &str) -> ClientBuilder {
                    ClientBuilder {
                        base_url: base_url.trim_end_matches('/').to_string(),
                        auth: None,
                        timeout: None,
                        headers: Vec::new(),
                        http: None,
                        validate: false,
                    }
                }

                /// The base URL requests go to.
                pub fn base_url(&self) -> &str {
                    &self.base_url
                }

                pub(crate) fn http(&self) -> &reqwest::Client {
                    &self.http
                }

                /// The check to run on a request value, when request validation is on.
                #[allow(dead_code)]
                pub(crate) fn check(&self, check: Check) -> Option<Check> {
                    self.validate.then_some(check)
                }

                pub(crate) fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
                    match &self.auth {
                        Some(Auth::Bearer(token)) => request.bearer_auth(token),
                        Some(Auth::Basic(user, password)) => request.basic_auth(user, password.as_ref()),
                        None => request,
                    }
                }
            }

            /// Builds a [`Client`].
            pub struct ClientBuilder {
                base_url: String,
                auth: Option<Auth>,
                timeout: Option<Duration>,
                headers: Vec<(String, String)>,
                http: Option<reqwest::Client>,
                validate: bool,
            }

            impl ClientBuilder {
                /// Sends `Authorization: Bearer <token>` (an API key or an OAuth access token).
                pub fn bearer_token(mut self, token: &str) -> Self {
                    self.auth = Some(Auth::Bearer(token.to_string()));
                    self
                }

                /// Sends HTTP basic credentials.
                pub fn basic_auth(mut self, user: &str, password: Option<&str>) -> Self {
                    self.auth = Some(Auth::Basic(user.to_string(), password.map(str::to_string)));
                    self
                }

                /// Sends an API key as the basic user name (no password).
                pub fn basic_api_key(self, key: &str) -> Self {
                    self.basic_auth(key, None)
                }

                /// A timeout for each whole request (ignored with [`Self::http_client`], whose own
                /// settings apply).
                pub fn timeout(mut self, timeout: Duration) -> Self {
                    self.timeout = Some(timeout);
                    self
                }

                /// A header sent with every request.
                pub fn header(mut self, name: &str, value: &str) -> Self {
                    self.headers.push((name.to_string(), value.to_string()));
                    self
                }

                /// Uses this `reqwest::Client` (its settings, pool and TLS) instead of a new one.
                pub fn http_client(mut self, http: reqwest::Client) -> Self {
                    self.http = Some(http);
                    self
                }

                /// Checks every request against the spec before sending it; a request that breaks
                /// it fails with [`Error::Validation`] and is not sent.
                pub fn validate_requests(mut self, validate: bool) -> Self {
                    self.validate = validate;
                    self
                }

                /// Builds the client.
                pub fn build(self) -> Result<Client, Error> {
                    let http = match self.http {
                        Some(http) => http,
                        None => {
                            let mut headers = reqwest::header::HeaderMap::new();
                            for (name, value) in &self.headers {
                                let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| Error::Invalid(e.to_string()))?;
                                let value = reqwest::header::HeaderValue::from_str(value).map_err(|e| Error::Invalid(e.to_string()))?;
                                headers.append(name, value);
                            }
                            let mut builder = reqwest::Client::builder().default_headers(headers);
                            if let Some(timeout) = self.timeout {
                                builder = builder.timeout(timeout);
                            }
                            builder.build()?
                        }
                    };
                    Ok(Client { base_url: self.base_url, http, auth: self.auth, validate: self.validate })
                }
            }

            /// A parameter's `style` and `explode`.
            #[derive(Debug, Clone, Copy)]
            pub struct Style {
                /// The style.
                pub kind: StyleKind,
                /// Whether arrays and objects are exploded.
                pub explode: bool,
            }

            /// `style` values.
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub enum StyleKind {
                /// `simple`
                Simple,
                /// `label`
                Label,
                /// `matrix`
                Matrix,
                /// `form`
                Form,
                /// `spaceDelimited`
                SpaceDelimited,
                /// `pipeDelimited`
                PipeDelimited,
                /// `deepObject`
                DeepObject,
            }

            /// Any serializable value as JSON.
            fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
                serde_json::to_value(value).map_err(|e| Error::Invalid(e.to_string()))
            }

            /// JSON text of a body.
            fn to_bytes(value: &Value) -> Result<Vec<u8>, Error> {
                serde_json::to_vec(value).map_err(|e| Error::Invalid(e.to_string()))
            }

            /// A generated check of one parameter or body.
            pub type Check = fn(&Value, Direction) -> Result<(), ValidationErrors>;

            /// Runs a generated check on a request value, naming errors after the parameter.
            fn run_check(check: Option<Check>, value: &Value, name: &str) -> Result<(), Error> {
                let Some(check) = check else { return Ok(()) };
                check(value, Direction::Request).map_err(|errors| {
                    let errors = errors
                        .0
                        .into_iter()
                        .map(|mut e| {
                            if name != "body" {
                                e.path = if e.path.is_empty() { name.to_string() } else { format!("{name}.{}", e.path) };
                            }
                            e
                        })
                        .collect();
                    Error::Validation(ValidationErrors(errors))
                })
            }

            /// A path parameter as JSON, checked when validation is on.
            pub fn path_value<T: serde::Serialize + ?Sized>(value: &T, name: &str, check: Option<Check>) -> Result<Value, Error> {
                let value = to_json(value)?;
                run_check(check, &value, name)?;
                Ok(value)
            }

            /// Sets a JSON body, checked when validation is on.
            pub fn json_body<T: serde::Serialize + ?Sized>(
                request: reqwest::RequestBuilder,
                media_type: &'static str,
                body: &T,
                check: Option<Check>,
            ) -> Result<reqwest::RequestBuilder, Error> {
                let value = to_json(body)?;
                run_check(check, &value, "body")?;
                Ok(request.header(reqwest::header::CONTENT_TYPE, media_type).body(to_bytes(&value)?))
            }

            /// Where a parameter travels.
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub enum Location {
                /// The query string.
                Query,
                /// A header.
                Header,
                /// The `Cookie` header.
                Cookie,
            }

            /// Query, header and cookie parameters being collected for one request.
            #[derive(Debug, Default)]
            pub struct Parts {
                query: Vec<(String, String)>,
                headers: Vec<(&'static str, String)>,
                cookies: Vec<String>,
            }

            impl Parts {
                /// Adds a parameter if it is set, serialized per its style (or as JSON text), after
                /// checking it when validation is on.
                pub fn add<T: serde::Serialize>(
                    &mut self,
                    location: Location,
                    name: &'static str,
                    value: Option<&T>,
                    style: Style,
                    json: bool,
                    check: Option<Check>,
                ) -> Result<(), Error> {
                    let Some(value) = value else { return Ok(()) };
                    let value = to_json(value)?;
                    run_check(check, &value, name)?;
                    match location {
                        Location::Query => push_query(&mut self.query, name, &value, style, json),
                        Location::Header => self.headers.push((name, header_text(&value, json))),
                        Location::Cookie => self.cookies.push(format!("{name}={}", header_text(&value, json))),
                    }
                    Ok(())
                }

                /// Puts the collected parameters on a request.
                pub fn apply(&self, mut request: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, Error> {
                    if !self.query.is_empty() {
                        request = request.query(&self.query);
                    }
                    for (name, value) in &self.headers {
                        let value = reqwest::header::HeaderValue::from_str(value).map_err(|e| Error::Invalid(format!("header {name}: {e}")))?;
                        request = request.header(*name, value);
                    }
                    if !self.cookies.is_empty() {
                        request = request.header(reqwest::header::COOKIE, self.cookies.join("; "));
                    }
                    Ok(request)
                }
            }

            /// A scalar as parameter text (strings as they are, other values as JSON).
            fn text(value: &Value) -> String {
                match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                }
            }

            /// Header text of a parameter value.
            fn header_text(value: &Value, json: bool) -> String {
                if json {
                    return value.to_string();
                }
                match value {
                    Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
                    Value::Object(map) => map.iter().map(|(k, v)| format!("{k},{}", text(v))).collect::<Vec<_>>().join(","),
                    other => text(other),
                }
            }

            /// Percent-encodes one path segment's worth of text.
            fn encode_segment(text: &str) -> String {
                let mut out = String::with_capacity(text.len());
                for byte in text.bytes() {
                    if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
                        out.push(byte as char);
                    } else {
                        out.push_str(&format!("%{byte:02X}"));
                    }
                }
                out
            }

            /// Appends a path parameter, serialized per its style.
            pub fn push_path(url: &mut String, name: &str, value: &Value, style: Style) {
                let items: Vec<String> = match value {
                    Value::Array(items) => items.iter().map(|v| encode_segment(&text(v))).collect(),
                    other => vec![encode_segment(&text(other))],
                };
                match style.kind {
                    StyleKind::Label => {
                        url.push('.');
                        url.push_str(&items.join(if style.explode { "." } else { "," }));
                    }
                    StyleKind::Matrix => {
                        if style.explode && value.is_array() {
                            for item in items {
                                url.push_str(&format!(";{name}={item}"));
                            }
                        } else {
                            url.push_str(&format!(";{name}={}", items.join(",")));
                        }
                    }
                    _ => url.push_str(&items.join(",")),
                }
            }

            /// Appends a query parameter, serialized per its style (or as JSON text).
            fn push_query(query: &mut Vec<(String, String)>, name: &str, value: &Value, style: Style, json: bool) {
                if json {
                    query.push((name.to_string(), value.to_string()));
                    return;
                }
                match value {
                    Value::Array(items) => {
                        let separator = match style.kind {
                            StyleKind::SpaceDelimited => Some(" "),
                            StyleKind::PipeDelimited => Some("|"),
                            _ if style.explode => None,
                            _ => Some(","),
                        };
                        match separator {
                            Some(separator) => query.push((name.to_string(), items.iter().map(text).collect::<Vec<_>>().join(separator))),
                            None => query.extend(items.iter().map(|item| (name.to_string(), text(item)))),
                        }
                    }
                    Value::Object(map) => match (style.kind, style.explode) {
                        (StyleKind::DeepObject, _) => query.extend(map.iter().map(|(k, v)| (format!("{name}[{k}]"), text(v)))),
                        (_, true) => query.extend(map.iter().map(|(k, v)| (k.clone(), text(v)))),
                        (_, false) => query.push((
                            name.to_string(),
                            map.iter().map(|(k, v)| format!("{k},{}", text(v))).collect::<Vec<_>>().join(","),
                        )),
                    },
                    other => query.push((name.to_string(), text(other))),
                }
            }

            /// Decodes a JSON body into its documented type.
            pub fn decode_json<T: serde::de::DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T, Error> {
                serde_json::from_slice(bytes).map_err(|err| Error::Decode {
                    status,
                    body: String::from_utf8_lossy(bytes).into_owned(),
                    message: err.to_string(),
                })
            }
        }
    }
}
