//! The types crate: one Rust item per named type; the items' helpers are the runtime's `support`.

use super::rust_type::{ApiRef, Spelling};
use crate::docs::{doc_attrs, inner_doc_attrs, join};
use crate::ir::{
    Additional, Api, Builtin, EnumVariant, Field, StructDef, TypeDef, TypeKind, TypeRef, UnionDef,
};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use crate::error::Diagnostic;
use crate::render::{Chunk, RustFile};

/// Writes `src/generated.rs` of the types crate, one type at a time.
pub fn types_module(plan: &crate::plan::Plan<'_>, file: &mut RustFile) -> Result<(), Diagnostic> {
    types_part(plan, file, Chunk::WHOLE)
}

/// Each type's weight for cutting the types crate's `generated.rs` in parts of about the same
/// size, which the generator prints on its threads: roughly its bytes of output, mostly docs (a
/// doc-heavy spec has dozens of doc lines per field).
fn type_weights(plan: &crate::plan::Plan<'_>) -> Vec<usize> {
    let text = |doc: &Option<String>| doc.as_ref().map_or(0, String::len);
    // An enum's variant is written in several impls.
    let weight = |def: &TypeDef| {
        let members = match &def.kind {
            TypeKind::Struct(strukt) => strukt.fields.iter().map(|field| 300 + text(&field.doc)).sum(),
            TypeKind::StringEnum(variants) => variants.len() * 600,
            TypeKind::IntegerEnum(variants) => variants.len() * 600,
            TypeKind::Union(union) => union.variants.len() * 600,
            TypeKind::Newtype(..) | TypeKind::Alias(..) => 300,
        };
        500 + text(&def.doc) + members
    };
    plan.api.types.iter().map(weight).collect()
}

/// One part of the types crate's `generated.rs`: the first begins with the module docs, the
/// last ends with the error body's conversion and the runtime's name.
pub fn types_part(plan: &crate::plan::Plan<'_>, file: &mut RustFile, chunk: Chunk) -> Result<(), Diagnostic> {
    if chunk.is_first() {
        let module_doc = inner_doc_attrs(&format!("Types generated from {}: one per schema of the spec.", plan.api.info.title));
        file.items(quote! {
            #module_doc
            #![allow(clippy::large_enum_variant, clippy::enum_variant_names)]
        })?;
    }
    type_items(plan, file, chunk.range(&type_weights(plan)))?;
    if chunk.is_last() {
        let error_body_cfg = match &plan.error_body {
            crate::plan::errors::ErrorBody::Schema { type_id, .. } => plan.type_cfg(*type_id),
            crate::plan::errors::ErrorBody::Default => TokenStream::new(),
        };
        file.gated_items(super::error_body::error_body_conversion(plan), &error_body_cfg)?;
        file.items(quote!(pub use codegen_runtime::types as support;))?;
    }
    Ok(())
}

/// The types of `range` (indexes of the IR's types), in order.
fn type_items(plan: &crate::plan::Plan<'_>, file: &mut RustFile, range: std::ops::Range<usize>) -> Result<(), Diagnostic> {
    let api_ref = ApiRef::new(plan.api, None);
    let spelling = api_ref.spelling();
    for (index, def) in plan.api.types.iter().enumerate().skip(range.start).take(range.len()) {
        let item = match plan.types.get(index) {
            Some(custom) if custom.replacement.is_some() => replaced_item(def, custom),
            custom => {
                let custom = custom.cloned().unwrap_or_default();
                type_item(&spelling, plan, def, &custom.derive_tokens(), &custom.attribute_tokens())
            }
        };
        file.gated_items(item, &plan.type_cfg(crate::ir::TypeId(index)))?;
    }
    Ok(())
}

fn item_doc(def: &TypeDef) -> TokenStream {
    let origin = format!("Spec: `{}`", def.origin);
    // Unlisted properties are valid JSON for such a schema; saying where they go keeps their
    // loss from being silent.
    let unlisted = match &def.kind {
        TypeKind::Struct(strukt) if strukt.additional == Additional::Ignored => {
            Some("Properties the schema does not list are accepted, as it allows them (no `additionalProperties`), and not kept.")
        }
        _ => None,
    };
    doc_attrs(&join(&[def.doc.as_deref(), unlisted, Some(&origin)]))
}

/// A schema the settings replace by an existing type: an alias, so every use of the schema's
/// name (here and in the other crates) is that type.
fn replaced_item(def: &TypeDef, custom: &crate::plan::custom::TypeCustom) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let path = custom.replacement_tokens().unwrap_or_default();
    let replaced = format!("Replaced by `{}` (settings `types.replace`).", custom.replacement.as_deref().unwrap_or_default());
    let origin = format!("Spec: `{}`", def.origin);
    let doc = doc_attrs(&join(&[def.doc.as_deref(), Some(&replaced), Some(&origin)]));
    quote! {
        #doc
        pub type #name = #path;
    }
}

/// The derives and outer attributes the settings add to a type: `, Hash, Eq` to put after the
/// generated derives, and the attributes to put after the generated ones.
struct Extra<'a> {
    derives: &'a [TokenStream],
    attributes: &'a [TokenStream],
}

fn type_item(spelling: &Spelling<'_>, plan: &crate::plan::Plan<'_>, def: &TypeDef, derives: &[TokenStream], attributes: &[TokenStream]) -> TokenStream {
    let api = plan.api;
    let doc = item_doc(def);
    let name = format_ident!("{}", def.name);
    let extra = Extra { derives, attributes };
    match &def.kind {
        TypeKind::Struct(strukt) => struct_item(spelling, plan, &name, doc, strukt, &def.origin, &extra),
        TypeKind::StringEnum(variants) => string_enum_item(spelling, &name, doc, variants, &extra),
        TypeKind::IntegerEnum(variants) => integer_enum_item(spelling, &name, doc, variants, &extra),
        TypeKind::Union(union) => union_item(spelling, api, &name, doc, union, &extra),
        TypeKind::Newtype(ty, _) => {
            let inner = spelling.ty(ty);
            let (derives, attributes) = (extra.derives, extra.attributes);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize #(, #derives)*)]
                #[serde(transparent)]
                #(#attributes)*
                pub struct #name(pub #inner);
            }
        }
        TypeKind::Alias(ty, _) => {
            let inner = spelling.ty(ty);
            quote! {
                #doc
                pub type #name = #inner;
            }
        }
    }
}

/// The Rust type of a field, with the `Option`s that optionality and nullability add.
fn field_type(spelling: &Spelling<'_>, field: &Field) -> TokenStream {
    let mut base = spelling.ty(&field.ty);
    if field.boxed {
        base = spelling.boxed(base);
    }
    match (field.required, field.nullable) {
        (true, false) => base,
        (true, true) | (false, false) => spelling.option(base),
        (false, true) => spelling.option(spelling.option(base)),
    }
}

fn field_doc(field: &Field, parent: &str) -> TokenStream {
    let read_only = field
        .read_only
        .then_some("Read-only: set by the server. Servers ignore it when a client sends it in a request.");
    let write_only = field.write_only.then_some("Write-only: sent in requests, never returned in responses.");
    let one_way = field.required_one_way.then_some(if field.read_only {
        "Required in responses; `Option` because requests leave it out."
    } else {
        "Required in requests; `Option` because responses leave it out."
    });
    let deprecated = field.deprecated.then_some("Deprecated by the spec.");
    let states = (!field.required && field.nullable)
        .then_some("`None`: absent; `Some(None)`: sent as `null`; `Some(Some(value))`: a value.");
    let default = field.default.as_ref().map(|value| format!("Default: `{value}`."));
    // A property's pointer is its object's followed by `/properties/<name>`: said only
    // where it is not (a property an `allOf` member declares).
    let origin = (field.origin != crate::error::child_pointer(&crate::error::child_pointer(parent, "properties"), &field.wire))
        .then(|| format!("Spec: `{}`", field.origin));
    doc_attrs(&join(&[
        field.doc.as_deref(),
        read_only,
        write_only,
        one_way,
        deprecated,
        states,
        default.as_deref(),
        origin.as_deref(),
    ]))
}

fn struct_item(
    spelling: &Spelling<'_>,
    plan: &crate::plan::Plan<'_>,
    name: &syn::Ident,
    doc: TokenStream,
    strukt: &StructDef,
    origin: &str,
    extra: &Extra<'_>,
) -> TokenStream {
    let is_none = spelling.option_is_none();
    let fields = strukt.fields.iter().map(|field| {
        let field_name = format_ident!("{}", field.name);
        let ty = field_type(spelling, field);
        let doc = field_doc(field, origin);
        let wire = &field.wire;
        let mut serde_args = Vec::new();
        if field.wire != field.name {
            serde_args.push(quote!(rename = #wire));
        }
        if !field.required {
            serde_args.push(quote!(default, skip_serializing_if = #is_none));
            if field.nullable {
                serde_args.push(quote!(deserialize_with = "support::deserialize_some"));
            }
        }
        let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde(#(#serde_args),*)]));
        quote! {
            #doc
            #serde_attr
            pub #field_name: #ty,
        }
    });
    let (additional_field, deny) = match &strukt.additional {
        Additional::Ignored => (quote!(), quote!()),
        Additional::Denied => (quote!(), quote!(#[serde(deny_unknown_fields)])),
        Additional::Map(value) => {
            let string = spelling.string();
            let value = spelling.ty(value);
            let field_name = additional_name(strukt);
            (
                quote! {
                    /// Properties not listed above (`additionalProperties`), in the order received.
                    #[serde(flatten)]
                    pub #field_name: indexmap::IndexMap<#string, #value>,
                },
                quote!(),
            )
        }
    };
    let flattened = strukt.flattened.iter().map(|part| {
        let field_name = format_ident!("{}", part.name);
        let mut ty = spelling.ty(&part.ty);
        if part.boxed {
            ty = spelling.boxed(ty);
        }
        let origin = format!("Spec: `{}`", part.origin);
        let doc = doc_attrs(&join(&[part.doc.as_deref(), Some(&origin)]));
        quote! {
            #doc
            #[serde(flatten)]
            pub #field_name: #ty,
        }
    });
    let all_optional = strukt.fields.iter().all(|f| !f.required || f.nullable) && strukt.flattened.is_empty();
    let default_derive = all_optional.then(|| quote!(Default,));
    let accessors = default_accessors(spelling, plan, strukt);
    let accessors = (!accessors.is_empty()).then(|| quote! {
        impl #name {
            #(#accessors)*
        }
    });
    let (derives, attributes) = (extra.derives, extra.attributes);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default_derive serde::Serialize, serde::Deserialize #(, #derives)*)]
        #deny
        #(#attributes)*
        pub struct #name {
            #(#fields)*
            #(#flattened)*
            #additional_field
        }
        #accessors
    }
}

/// The map field for `additionalProperties`, named so it cannot clash with a property.
fn additional_name(strukt: &StructDef) -> syn::Ident {
    let mut name = "additional_properties".to_string();
    while strukt.fields.iter().any(|f| f.name == name) {
        name.push('_');
    }
    format_ident!("{}", name)
}

/// `fn x_or_default(&self) -> T` for optional fields whose spec default is a scalar or enum.
fn default_accessors(spelling: &Spelling<'_>, plan: &crate::plan::Plan<'_>, strukt: &StructDef) -> Vec<TokenStream> {
    let api = plan.api;
    let mut out = Vec::new();
    for field in &strukt.fields {
        if field.required || field.nullable || field.boxed {
            continue;
        }
        let Some(default) = &field.default else { continue };
        // A replaced enum's variants are not known here.
        if matches!(field.ty, TypeRef::Named(id) if plan.is_replaced(id)) {
            continue;
        }
        let Some((ty, value)) = default_expr(spelling, api, &field.ty, default) else { continue };
        let field_name = format_ident!("{}", field.name);
        let method = format_ident!("{}_or_default", field.name.trim_end_matches('_'));
        let doc = format!(" `{}`, or its spec default `{default}` when absent.", field.wire);
        let is_type_default = matches!(default, Value::Bool(false))
            || matches!(default, Value::String(text) if text.is_empty())
            || matches!(default, Value::Number(n) if n.as_f64() == Some(0.0));
        let body = if is_type_default && matches!(field.ty, TypeRef::Builtin(_)) {
            if matches!(field.ty, TypeRef::Builtin(Builtin::String)) {
                quote!(self.#field_name.clone().unwrap_or_default())
            } else {
                quote!(self.#field_name.unwrap_or_default())
            }
        } else if matches!(field.ty, TypeRef::Builtin(Builtin::String)) {
            quote!(self.#field_name.clone().unwrap_or_else(|| #value))
        } else {
            quote!(self.#field_name.unwrap_or(#value))
        };
        out.push(quote! {
            #[doc = #doc]
            pub fn #method(&self) -> #ty {
                #body
            }
        });
    }
    out
}

/// A Rust expression for a spec default, when it fits the type.
fn default_expr(spelling: &Spelling<'_>, api: &Api, ty: &TypeRef, default: &Value) -> Option<(TokenStream, TokenStream)> {
    let rust_ty = spelling.ty(ty);
    let value = match (ty, default) {
        (TypeRef::Builtin(Builtin::Bool), Value::Bool(flag)) => quote!(#flag),
        (TypeRef::Builtin(Builtin::String), Value::String(text)) => quote!(#text.to_string()),
        (TypeRef::Builtin(Builtin::F64), Value::Number(number)) => {
            let literal = Literal::f64_unsuffixed(number.as_f64()?);
            quote!(#literal)
        }
        (TypeRef::Builtin(builtin), Value::Number(number)) => {
            let int = number.as_i64()?;
            let fits = match builtin {
                Builtin::I8 => i8::try_from(int).is_ok(),
                Builtin::I16 => i16::try_from(int).is_ok(),
                Builtin::I32 => i32::try_from(int).is_ok(),
                Builtin::I64 => true,
                Builtin::U8 => u8::try_from(int).is_ok(),
                Builtin::U16 => u16::try_from(int).is_ok(),
                Builtin::U32 => u32::try_from(int).is_ok(),
                Builtin::U64 => int >= 0,
                _ => false,
            };
            if !fits {
                return None;
            }
            let literal = Literal::i64_unsuffixed(int);
            quote!(#literal)
        }
        (TypeRef::Named(id), value) => {
            let def = api.ty(*id);
            let type_name = format_ident!("{}", def.name);
            let variant = match (&def.kind, value) {
                (TypeKind::StringEnum(variants), Value::String(text)) => variants.iter().find(|v| &v.wire == text)?.name.clone(),
                (TypeKind::IntegerEnum(variants), Value::Number(number)) => {
                    let int = number.as_i64()?;
                    variants.iter().find(|v| v.wire == int)?.name.clone()
                }
                _ => return None,
            };
            let variant = format_ident!("{}", variant);
            quote!(#type_name::#variant)
        }
        _ => return None,
    };
    Some((rust_ty, value))
}

fn string_enum_item(spelling: &Spelling<'_>, name: &syn::Ident, doc: TokenStream, variants: &[EnumVariant<String>], extra: &Extra<'_>) -> TokenStream {
    let (derives, attributes) = (extra.derives, extra.attributes);
    let result = spelling.result();
    let name_text = name.to_string();
    let idents: Vec<syn::Ident> = variants.iter().map(|v| format_ident!("{}", v.name)).collect();
    let wires: Vec<&String> = variants.iter().map(|v| &v.wire).collect();
    let count = Literal::usize_unsuffixed(variants.len());
    let decls = idents.iter().zip(&wires).map(|(ident, wire)| {
        let doc = format!(" `{wire}`");
        quote! {
            #[doc = #doc]
            #[serde(rename = #wire)]
            #ident,
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize #(, #derives)*)]
        #(#attributes)*
        pub enum #name {
            #(#decls)*
        }

        impl #name {
            /// Every value, in spec order.
            pub const ALL: [Self; #count] = [#(Self::#idents),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(Self::#idents => #wires,)*
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = support::ParseEnumError;

            /// The value spelled `value` on the wire, read by the type's `Deserialize`.
            fn from_str(value: &str) -> #result<Self, support::ParseEnumError> {
                support::parse_enum(value, #name_text)
            }
        }
    }
}

fn integer_enum_item(spelling: &Spelling<'_>, name: &syn::Ident, doc: TokenStream, variants: &[EnumVariant<i64>], extra: &Extra<'_>) -> TokenStream {
    let (derives, attributes) = (extra.derives, extra.attributes);
    let result = spelling.result();
    let (from_trait, try_from_trait) = (spelling.convert_from(), spelling.convert_try_from());
    let name_text = name.to_string();
    let idents: Vec<syn::Ident> = variants.iter().map(|v| format_ident!("{}", v.name)).collect();
    let wires: Vec<Literal> = variants.iter().map(|v| Literal::i64_unsuffixed(v.wire)).collect();
    let decls = idents.iter().zip(variants).map(|(ident, variant)| {
        let doc = format!(" `{}`", variant.wire);
        quote! {
            #[doc = #doc]
            #ident,
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize #(, #derives)*)]
        #[serde(try_from = "i64", into = "i64")]
        #(#attributes)*
        pub enum #name {
            #(#decls)*
        }

        impl #from_trait<#name> for i64 {
            fn from(value: #name) -> i64 {
                match value {
                    #(#name::#idents => #wires,)*
                }
            }
        }

        impl #try_from_trait<i64> for #name {
            type Error = support::ParseEnumError;

            fn try_from(value: i64) -> #result<Self, support::ParseEnumError> {
                match value {
                    #(#wires => Ok(Self::#idents),)*
                    other => Err(support::ParseEnumError::new(#name_text, other.to_string())),
                }
            }
        }
    }
}

fn union_item(spelling: &Spelling<'_>, api: &Api, name: &syn::Ident, doc: TokenStream, union: &UnionDef, extra: &Extra<'_>) -> TokenStream {
    let (derives, attributes) = (extra.derives, extra.attributes);
    let result = spelling.result();
    let variant_types: Vec<TokenStream> = union
        .variants
        .iter()
        .map(|v| {
            let ty = spelling.ty(&v.ty);
            if v.boxed { spelling.boxed(ty) } else { ty }
        })
        .collect();
    let idents: Vec<syn::Ident> = union.variants.iter().map(|v| format_ident!("{}", v.name)).collect();
    let decls = idents.iter().zip(&variant_types).zip(&union.variants).map(|((ident, ty), variant)| {
        let doc = if variant.tags.is_empty() {
            quote!()
        } else {
            let text = format!(
                " Selected when the discriminator is {}.",
                variant.tags.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(" or ")
            );
            quote!(#[doc = #text])
        };
        quote! {
            #doc
            #ident(#ty),
        }
    });
    let Some(property) = &union.discriminator else {
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize #(, #derives)*)]
            #[serde(untagged)]
            #(#attributes)*
            pub enum #name {
                #(#decls)*
            }
        };
    };
    // The variant types carry the discriminator property themselves, so serialization writes
    // the variant as it is, and deserialization reads the property to pick the variant.
    let arms = union.variants.iter().zip(&idents).map(|(variant, ident)| {
        let tags = &variant.tags;
        let build = if variant.boxed {
            quote!(serde_json::from_value(value).map(|inner| #name::#ident(Box::new(inner))))
        } else {
            quote!(serde_json::from_value(value).map(#name::#ident))
        };
        quote! {
            #(#tags)|* => #build.map_err(serde::de::Error::custom),
        }
    });
    let all_tags: Vec<&String> = union.variants.iter().flat_map(|v| &v.tags).collect();
    // A variant whose type does not declare the discriminator (the object around the union
    // does) is written with it added, so the union reads back the way it was written.
    let tag_kept = |variant: &crate::ir::UnionVariant| match &variant.ty {
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Struct(strukt) => strukt.fields.iter().any(|f| &f.wire == property),
            _ => true,
        },
        _ => true,
    };
    let custom_serialize = (!union.variants.iter().all(tag_kept)).then(|| {
        let arms = union.variants.iter().zip(&idents).map(|(variant, ident)| {
            let tag = variant.tags.first().cloned().unwrap_or_default();
            quote!(#name::#ident(inner) => (#tag, serde_json::to_value(inner)),)
        });
        quote! {
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                    let (tag, value) = match self {
                        #(#arms)*
                    };
                    let mut value = value.map_err(serde::ser::Error::custom)?;
                    if let serde_json::Value::Object(object) = &mut value {
                        object.entry(#property).or_insert_with(|| serde_json::Value::from(tag));
                    }
                    serde::Serialize::serialize(&value, serializer)
                }
            }
        }
    });
    let (serialize_derive, untagged) = match custom_serialize {
        None => (quote!(serde::Serialize,), quote!(#[serde(untagged)])),
        Some(_) => (quote!(), quote!()),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #serialize_derive #(#derives),*)]
        #untagged
        #(#attributes)*
        pub enum #name {
            #(#decls)*
        }

        #custom_serialize

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                const TAGS: &[&str] = &[#(#all_tags),*];
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = match value.get(#property) {
                    Some(serde_json::Value::String(tag)) => tag.clone(),
                    Some(_) => return Err(serde::de::Error::custom(concat!("discriminator `", #property, "` must be a string"))),
                    None => return Err(serde::de::Error::missing_field(#property)),
                };
                match tag.as_str() {
                    #(#arms)*
                    other => Err(serde::de::Error::unknown_variant(other, TAGS)),
                }
            }
        }
    }
}
