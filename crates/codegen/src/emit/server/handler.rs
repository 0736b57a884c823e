//! One handler per operation: authenticate, decode every parameter and the body, collect every
//! error, answer 400 with all of them, and only then call the implementation.

use super::decode::{form_tokens, shape_tokens};
use crate::emit::rust_type::Spelling;
use crate::emit::support::style_tokens;
use crate::ir::{Api, MediaBody, ParamLocation, ParamStyle, PathSegment, SecuritySchemeKind};
use crate::plan::body::is_json;
use crate::plan::{Auth, BodyKind, OperationPlan, ParamPlan, Plan};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};

/// The `support::Scheme` list of each security alternative of the operation.
fn alternatives(api: &Api, op: &OperationPlan<'_>) -> Vec<TokenStream> {
    op.security
        .iter()
        .map(|requirement| {
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
        })
        .collect()
}

/// The index of a path parameter among the route's parameters.
fn path_index(op: &OperationPlan<'_>, wire: &str) -> usize {
    op.operation
        .segments
        .iter()
        .filter_map(|s| if let PathSegment::Param(n) = s { Some(n) } else { None })
        .position(|n| n == wire)
        .unwrap_or(0)
}

/// How a parameter is read from the request, validated and converted: one runtime call per
/// location; a parameter with a default or with JSON content has its raw value read first
/// (`default` is the `.or(..)` that falls back to the default).
fn param_call(api: &Api, op: &OperationPlan<'_>, param: &ParamPlan<'_>, default: TokenStream, presence: TokenStream) -> TokenStream {
    let p = param.param;
    let wire = &p.wire;
    let check = format_ident!("{}", param.check);
    let json_content = p.content.as_deref().is_some_and(is_json);
    let shape = shape_tokens(api, &p.check);
    let style = style_tokens(p.style, p.explode);
    if default.is_empty() && !json_content {
        return match p.location {
            ParamLocation::Path => {
                let index = Literal::usize_unsuffixed(path_index(op, wire));
                quote!(support::path_param(&params, #index, #wire, #shape, #style, #presence, operation::#check, &mut errors))
            }
            ParamLocation::Query => quote!(query.param(#wire, #shape, #style, #presence, operation::#check, &mut errors)),
            ParamLocation::Header => {
                quote!(support::header_param(&parts.headers, #wire, #shape, #presence, operation::#check, &mut errors))
            }
            ParamLocation::Cookie => {
                quote!(support::cookie_param(&parts.headers, #wire, #shape, #presence, operation::#check, &mut errors))
            }
        };
    }
    // `first()` for the first: clippy's `get_first` asks for it.
    let segment = || match path_index(op, wire) {
        0 => quote!(params.first()),
        index => {
            let index = Literal::usize_unsuffixed(index);
            quote!(params.get(#index))
        }
    };
    let raw = match p.location {
        ParamLocation::Path if json_content => {
            let get = segment();
            quote!(#get.and_then(|text| support::json_text(text, #wire, &mut errors)))
        }
        ParamLocation::Query if json_content => quote!(query.decode_json(#wire, &mut errors)),
        ParamLocation::Header if json_content => quote!(support::header_json(&parts.headers, #wire, &mut errors)),
        ParamLocation::Cookie if json_content => quote!(support::cookie_json(&parts.headers, #wire, &mut errors)),
        ParamLocation::Path => {
            let get = segment();
            quote!(#get.map(|text| support::decode_path(text, #wire, #shape, #style)))
        }
        ParamLocation::Query => quote!(query.decode(#wire, #shape, #style, &mut errors)),
        ParamLocation::Header => quote!(support::decode_header(&parts.headers, #wire, #shape)),
        ParamLocation::Cookie => quote!(support::decode_cookie(&parts.headers, #wire, #shape)),
    };
    quote!(support::param(#raw #default, #wire, #presence, operation::#check, &mut errors))
}

/// The handler of one operation.
pub fn handler(plan: &Plan<'_>, op: &OperationPlan<'_>, spelling: &Spelling<'_>, validation: &syn::Ident) -> TokenStream {
    let api = plan.api;
    let operation = op.operation;
    let trait_ident = format_ident!("{}", plan.traits[op.trait_index].name);
    let request_name = format_ident!("{}", op.request_type);
    let method_name = format_ident!("{}", operation.rust_name);
    let handler_name = format_ident!("handle_{}", operation.rust_name);
    let module = format_ident!("{}", op.check_module);
    // Every operation reads the query string: parameters it does not declare are refused, never
    // silently dropped.
    let mut statements = vec![quote!(let query = support::Query::parse(parts.uri.query());)];
    let mut fields = Vec::new();
    // Security comes first: without credentials nothing else is looked at.
    if op.auth != Auth::Open {
        let alternatives = alternatives(api, op);
        statements.push(quote! {
            let credentials = support::authenticate(&parts.headers, Some(&query), &[#(#alternatives),*]);
        });
        if op.auth == Auth::Required {
            statements.push(quote! {
                let Some(credentials) = credentials else {
                    return unauthorized();
                };
            });
        }
        fields.push(quote!(credentials));
    }
    statements.push(quote!(let mut errors: Vec<ValidationError> = Vec::new();));
    let known = op.params_in(ParamLocation::Query).flat_map(|p| {
        let wire = &p.param.wire;
        if p.param.style == ParamStyle::DeepObject {
            return vec![quote!(support::QueryName::DeepObject(#wire))];
        }
        // An exploded form object is sent as its properties (`?limit=5&offset=10`), each a name
        // of its own (one sent as JSON text, `content`, is one value under its name).
        let exploded_object = p.param.content.is_none()
            && p.param.style == ParamStyle::Form
            && p.param.explode
            && crate::plan::body::json_kind(plan.api, &p.param.check) == Some(crate::ir::JsonKind::Object);
        let properties = match crate::plan::body::resolve(plan.api, &p.param.check) {
            Some(check) if exploded_object => check.properties.as_slice(),
            _ => &[],
        };
        std::iter::once(quote!(support::QueryName::Plain(#wire)))
            .chain(properties.iter().map(|property| {
                let name = &property.name;
                quote!(support::QueryName::Plain(#name))
            }))
            .collect()
    });
    let api_keys = api.security_schemes.iter().filter_map(|s| match &s.kind {
        SecuritySchemeKind::ApiKey { location: ParamLocation::Query, name } => Some(quote!(support::QueryName::Plain(#name))),
        _ => None,
    });
    // Parameters the settings say every operation ignores (`server.ignored_query_parameters`).
    let ignored = plan
        .server
        .ignored_query_parameters
        .iter()
        .filter(|name| !op.params_in(ParamLocation::Query).any(|p| p.param.wire == **name))
        .map(|name| quote!(support::QueryName::Plain(#name)));
    statements.push(quote!(query.reject_unknown(&[#(#known,)* #(#api_keys,)* #(#ignored),*], &mut errors);));
    for param in &op.params {
        let field = format_ident!("{}", param.field);
        // Locals get a prefix so that no parameter name can shadow the handler's own variables
        // (`query`, `errors`, `parts`, `body`, ...).
        let local = format_ident!("param_{}", param.field);
        let ty = spelling.ty(&param.param.ty);
        let default = match &param.param.default {
            Some(default) => {
                let (constant, fallback) = default_value(&param.field, default);
                statements.push(constant);
                fallback
            }
            None => quote!(),
        };
        let call = param_call(api, op, param, default, presence(param.param.required));
        statements.push(quote!(let #local: Option<#ty> = #call;));
        fields.push(quote!(#field: #local));
    }
    let body_checked = std::cell::Cell::new(false);
    match &op.body {
        Some(body) => {
            let field = format_ident!("{}", body.field);
            let presence = presence(body.body.required);
            // The body's check function, when its media type has a schema.
            let check_of = |media: &MediaBody| match (&media.check, &body.check) {
                (Some(_), Some(check)) => {
                    body_checked.set(true);
                    let check = format_ident!("{}", check);
                    quote!(Some(operation::#check))
                }
                _ => quote!(None),
            };
            statements.push(match &body.kind {
                BodyKind::Typed(typed) => {
                    let ty = typed.media.ty.as_ref().map(|t| spelling.ty(t)).unwrap_or_else(|| quote!(serde_json::Value));
                    let check = check_of(typed.media);
                    match &typed.form {
                        None => quote!(let request_body: Option<#ty> = support::json_body(&parts.headers, &body, #presence, #check, &mut errors);),
                        Some(fields) => {
                            let fields = form_tokens(api, fields, typed.media.check.as_ref());
                            let accepts = if typed.json { quote!(support::Accepts::FormOrJson) } else { quote!(support::Accepts::Form) };
                            quote!(let request_body: Option<#ty> = support::form_body(&parts.headers, &body, #presence, #accepts, #fields, #check, &mut errors);)
                        }
                    }
                }
                BodyKind::Multipart(multipart) => {
                    let check = check_of(multipart.media);
                    let fields = form_tokens(api, &multipart.fields, multipart.media.check.as_ref());
                    quote!(let request_body: Option<support::Multipart> = support::multipart_body(&parts.headers, &body, #presence, #fields, #check, &mut errors).await;)
                }
                BodyKind::Raw(_) => quote!(let request_body: Option<Bytes> = support::raw_body(&body, #presence, &mut errors);),
                BodyKind::Binary(_) => {
                    quote!(let request_body: Option<support::ByteStream> = support::stream_body(body, #presence, &mut errors);)
                }
            });
            fields.push(quote!(#field: request_body));
        }
        None => statements.push(quote!(support::no_body(&body, &mut errors);)),
    }
    statements.push(quote! {
        if !errors.is_empty() {
            return error_response(StatusCode::BAD_REQUEST, ValidationErrors(errors));
        }
    });
    // Unwrap what must be present, in one `let`: the checks above guarantee it (a required
    // value that is missing or wrong left an error), and a miss would be a 400, not a panic.
    let mut required: Vec<(proc_macro2::Ident, &str)> = op
        .params
        .iter()
        .filter(|p| p.param.always_present())
        .map(|p| (format_ident!("param_{}", p.field), p.param.wire.as_str()))
        .collect();
    if op.body.as_ref().is_some_and(|body| body.body.required) {
        required.push((format_ident!("request_body"), "body"));
    }
    let unwraps = match required.as_slice() {
        [] => quote!(),
        [(local, wire)] => quote! {
            let Some(#local) = #local else {
                return error_response(StatusCode::BAD_REQUEST, support::missing(&[#wire]));
            };
        },
        several => {
            let locals = several.iter().map(|(local, _)| local);
            let patterns = several.iter().map(|(local, _)| quote!(Some(#local)));
            let wires = several.iter().map(|(_, wire)| wire);
            quote! {
                let (#(#patterns),*) = (#(#locals),*) else {
                    return error_response(StatusCode::BAD_REQUEST, support::missing(&[#(#wires),*]));
                };
            }
        }
    };
    // A 401 from the implementation gets the same challenge as the server's own 401.
    let finish = if op.auth == Auth::Open {
        quote!(service.#method_name(request).await.into_response())
    } else {
        quote! {
            let mut response = service.#method_name(request).await.into_response();
            support::challenge(&mut response, CHALLENGE);
            response
        }
    };
    let params_arg = if op.operation.segments.iter().any(|s| matches!(s, PathSegment::Param(_))) {
        quote!(params)
    } else {
        quote!(_params)
    };
    let body_type = if super::streams::streams_body(op) { quote!(support::ByteStream) } else { quote!(Bytes) };
    // `operation` is the validation crate's module of this operation: its checks.
    let uses_checks = !op.params.is_empty() || body_checked.get();
    let checks = uses_checks.then(|| quote!(use #validation::operations::#module as operation;));
    quote! {
        async fn #handler_name<S: #trait_ident>(service: &S, parts: &Parts, #params_arg: Vec<String>, body: #body_type) -> Response {
            #checks
            #(#statements)*
            #unwraps
            let request = #request_name { #(#fields),* };
            #finish
        }
    }
}

fn presence(required: bool) -> TokenStream {
    if required {
        quote!(support::Presence::Required)
    } else {
        quote!(support::Presence::Optional)
    }
}

/// A parameter's spec default: a constant in the handler (a static JSON value for arrays and
/// objects, built once) and the `.or(..)` that falls back to it.
fn default_value(field: &str, default: &serde_json::Value) -> (TokenStream, TokenStream) {
    use serde_json::Value;
    let name = format_ident!("{}_DEFAULT", field.trim_end_matches('_').to_uppercase());
    let doc = format!(" The spec's default of `{field}`.");
    let scalar = |ty: TokenStream, value: TokenStream| {
        (quote! { #[doc = #doc] const #name: #ty = #value; }, quote!(.or(Some(#name.into()))))
    };
    match default {
        Value::Bool(flag) => scalar(quote!(bool), quote!(#flag)),
        Value::String(text) => scalar(quote!(&str), quote!(#text)),
        Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(int), _, _) => scalar(quote!(i64), Literal::i64_unsuffixed(int).into_token_stream()),
            (None, Some(int), _) => scalar(quote!(u64), Literal::u64_unsuffixed(int).into_token_stream()),
            (None, None, Some(float)) => scalar(quote!(f64), Literal::f64_unsuffixed(float).into_token_stream()),
            _ => (quote!(), quote!()),
        },
        Value::Null => (quote!(), quote!(.or(Some(serde_json::Value::Null)))),
        Value::Array(_) | Value::Object(_) => {
            let json = serde_json::to_string(default).unwrap_or_default();
            (
                quote! {
                    #[doc = #doc]
                    static #name: std::sync::LazyLock<serde_json::Value> =
                        std::sync::LazyLock::new(|| serde_json::from_str(#json).expect("the default was JSON at generation time"));
                },
                quote!(.or_else(|| Some(#name.clone()))),
            )
        }
    }
}
