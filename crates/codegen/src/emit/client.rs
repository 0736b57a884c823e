//! The reqwest client crate: one async method per operation, typed parameters serialized per
//! their style, a response enum per operation with a variant per documented status, and optional
//! validation of requests before they are sent.

use super::rust_type::{ApiRef, Spelling};
use super::server::variant_name;
use super::support::style_tokens;
use super::request_body::{multipart_body, typed_body};
use super::validation::{is_json, operation_check_names};
use crate::docs::{doc_attrs, inner_doc_attrs, join};
use crate::ir::{Api, Operation, ParamLocation, PathSegment, Response, Status};
use crate::naming::NameSet;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The tokens of `src/generated.rs` of the client crate.
pub fn client_module(api: &Api, types_crate: &str, validation_crate: &str) -> TokenStream {
    let api_ref = ApiRef::new(api, Some(types_crate));
    let spelling = api_ref.spelling();
    let validation = format_ident!("{}", validation_crate);
    let mut type_names = NameSet::with_reserved(&["Client", "ClientBuilder", "Error", "Auth", "Multipart"]);
    let multipart_export = api.operations.iter().any(|op| multipart_body(api, op).is_some()).then(|| quote!(pub use support::Multipart;));
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
    quote! {
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

        impl Client {
            /// A client for `base_url` (where the spec's paths start: [`SPEC_SERVER`] with its
            /// variables filled in), without credentials, with request validation off.
            pub fn new(base_url: &str) -> Client {
                Client(support::Core::new(base_url))
            }

            /// A builder for credentials, timeouts, extra headers and more.
            pub fn builder(base_url: &str) -> ClientBuilder {
                ClientBuilder::new(base_url)
            }

            #(#methods)*
        }

        #(#items)*
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
    let typed = typed_body(api, operation);
    if let Some(body) = body {
        let ty = match typed.as_ref().and_then(|t| t.media.ty.as_ref()) {
            Some(ty) => spelling.ty(ty),
            None if typed.is_some() => quote!(serde_json::Value),
            None if multipart_body(api, operation).is_some() => quote!(support::Multipart),
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
    let send = match (body, typed) {
        (None, _) => None,
        (Some(_), Some(typed)) => {
            let media_type = &typed.media.media_type;
            let check = match &typed.media.check {
                Some(_) => {
                    let check = format_ident!("{}", body_check);
                    quote!(self.check(#validation::operations::#module::#check))
                }
                None => quote!(None),
            };
            // JSON when the spec allows it, else an HTML form.
            Some(match &typed.form {
                Some(fields) if !typed.json => {
                    let styles = fields.iter().filter(|f| !f.is_default_encoding()).map(|field| {
                        let name = &field.name;
                        let style = style_tokens(field.style, field.explode);
                        quote!((#name, #style))
                    });
                    quote!(request = support::form_body(request, body, &[#(#styles),*], #check)?;)
                }
                _ => quote!(request = support::json_body(request, #media_type, body, #check)?;),
            })
        }
        (Some(_), None) if multipart_body(api, operation).is_some() => Some(quote!(request = support::multipart_body(request, body);)),
        (Some(body), None) => {
            let media_type = body.content.first().map(|m| m.media_type.clone()).unwrap_or_default();
            Some(quote!(request = request.header(reqwest::header::CONTENT_TYPE, #media_type).body(body.clone());))
        }
    };
    let body_statement = match (body, send) {
        (Some(body), Some(send)) if !body.required => quote!(if let Some(body) = body { #send }),
        (_, send) => quote!(#send),
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
