//! How the generated server reads text (parameters, form fields) into JSON: the `support::Shape`,
//! `support::Scalar` and `support::Form` values a handler passes to the runtime.

use crate::emit::support::style_tokens;
use crate::ir::{AdditionalCheck, Api, CheckNode, JsonKind};
use crate::plan::body::{json_kind, resolve, text_kind, FormField, TextKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// How a parameter or form field is read from text: `support::Shape` of its schema.
pub fn shape_tokens(api: &Api, node: &CheckNode) -> TokenStream {
    match json_kind(api, node) {
        Some(JsonKind::Array) => {
            let item = scalar_tokens(api, resolve(api, node).and_then(|c| c.items.as_ref()));
            quote!(support::Shape::Array(#item))
        }
        Some(JsonKind::Object) => {
            let properties = resolve(api, node).map(|c| c.properties.as_slice()).unwrap_or_default();
            let props = properties.iter().map(|p| {
                let name = &p.name;
                let kind = scalar_tokens(api, Some(&p.node));
                quote!((#name, #kind))
            });
            quote!(support::Shape::Object(&[#(#props),*]))
        }
        // One value: the shape's named constant.
        _ => {
            let constant = format_ident!("{}", scalar_name(text_kind(api, Some(node))).to_uppercase());
            quote!(support::Shape::#constant)
        }
    }
}

/// A form's fields as `&support::Form`: each with its shape and style, and how undeclared
/// fields are read (per `additionalProperties`).
pub fn form_tokens(api: &Api, fields: &[FormField], body: Option<&CheckNode>) -> TokenStream {
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
pub fn scalar_tokens(api: &Api, node: Option<&CheckNode>) -> TokenStream {
    let variant = format_ident!("{}", scalar_name(text_kind(api, node)));
    quote!(support::Scalar::#variant)
}

/// The `support::Scalar` variant of a text kind (`Shape`'s constant is the same, upper case).
fn scalar_name(kind: TextKind) -> &'static str {
    match kind {
        TextKind::Integer => "Integer",
        TextKind::Number => "Number",
        TextKind::Boolean => "Boolean",
        TextKind::Json => "Json",
        TextKind::String => "String",
    }
}
