//! The conversion of validation errors into the body the spec's server answers errors with
//! (`plan/errors.rs` chooses it). It is emitted into the types crate: the errors are the
//! runtime's type, so only the crate of the body's type may implement the conversion.

use crate::ir::TypeKind;
use crate::plan::errors::{ErrorBody, ErrorFill, ErrorPart};
use crate::plan::Plan;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `impl From<ValidationErrors>` for the schema the server answers errors with.
pub fn error_body_conversion(plan: &Plan<'_>) -> TokenStream {
    let ErrorBody::Schema { type_id, fill } = &plan.error_body else { return quote!() };
    let def = plan.api.ty(*type_id);
    let type_name = format_ident!("{}", def.name);
    let others = |def: &crate::ir::TypeDef, taken: &[&str]| -> Vec<TokenStream> {
        let TypeKind::Struct(strukt) = &def.kind else { return Vec::new() };
        strukt
            .fields
            .iter()
            .filter(|f| !taken.contains(&f.name.as_str()))
            .map(|f| {
                let name = format_ident!("{}", f.name);
                quote!(#name: ::core::default::Default::default())
            })
            .collect()
    };
    // Spec types may be called `String`, `Some` or `Default`: the paths are spelled out.
    let wrap = |optional: bool, value: TokenStream| if optional { quote!(::core::option::Option::Some(#value)) } else { value };
    let (doc, body) = match fill {
        ErrorFill::FieldMap { field, optional } => {
            let name = format_ident!("{}", field);
            let value = wrap(*optional, quote!(map));
            let rest = others(def, &[field]);
            (
                "one key per offending field (`contact.value`, `messages[0].id`; `body` for the body as a whole), its messages in order",
                quote! {
                    let mut map = indexmap::IndexMap::new();
                    for error in errors.iter() {
                        map.entry(error.field().to_string()).or_insert_with(::std::vec::Vec::new).push(error.message.clone());
                    }
                    #type_name { #name: #value, #(#rest),* }
                },
            )
        }
        ErrorFill::List { field, optional, item, parts } => {
            let name = format_ident!("{}", field);
            let item_def = plan.api.ty(*item);
            let item_name = format_ident!("{}", item_def.name);
            let taken: Vec<&str> = parts.iter().map(|(name, _, _)| name.as_str()).collect();
            let item_rest = others(item_def, &taken);
            let item_fields = parts.iter().map(|(name, part, optional)| {
                let name = format_ident!("{}", name);
                let value = match part {
                    ErrorPart::Field => quote!(error.field().to_string()),
                    ErrorPart::Message => quote!(error.message.clone()),
                    ErrorPart::Pointer => quote!(error.pointer.clone()),
                    ErrorPart::Keyword => quote!(error.keyword.to_string()),
                };
                let value = wrap(*optional, value);
                quote!(#name: #value)
            });
            let value = wrap(*optional, quote!(list));
            let rest = others(def, &[field]);
            (
                "one item per error, with its field and message",
                quote! {
                    let list = errors.iter().map(|error| #item_name { #(#item_fields,)* #(#item_rest),* }).collect();
                    #type_name { #name: #value, #(#rest),* }
                },
            )
        }
        ErrorFill::Message { field, optional } => {
            let name = format_ident!("{}", field);
            let value = wrap(*optional, quote!(text));
            let rest = others(def, &[field]);
            (
                "every error as `field: message`, joined with `; `",
                quote! {
                    let text = errors.iter().map(|error| format!("{}: {}", error.field(), error.message)).collect::<::std::vec::Vec<_>>().join("; ");
                    #type_name { #name: #value, #(#rest),* }
                },
            )
        }
    };
    let doc = format!(" Converts the errors to the spec's `{}` body: {doc}.", def.spec_name);
    quote! {
        #[doc = #doc]
        impl From<codegen_runtime::validation::ValidationErrors> for #type_name {
            fn from(errors: codegen_runtime::validation::ValidationErrors) -> Self {
                #body
            }
        }
    }
}
