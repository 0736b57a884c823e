//! `TypeRef` to Rust type tokens, shared by every emitter.

use crate::ir::{Api, Builtin, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Spells Rust types for one API. Prelude names (`String`, `Vec`, `Option`, `Box`, `Result`,
/// `From`, `TryFrom`) are written with their full `::std` path only when the spec defines a type
/// of the same name.
pub struct Spelling<'a> {
    api: &'a api_ref::ApiRef<'a>,
}

mod api_ref {
    use crate::ir::Api;

    /// The API plus which prelude names it shadows.
    pub struct ApiRef<'a> {
        pub api: &'a Api,
        pub shadows_string: bool,
        pub shadows_vec: bool,
        pub shadows_option: bool,
        pub shadows_box: bool,
        pub shadows_result: bool,
        pub shadows_from: bool,
        pub shadows_try_from: bool,
        /// Path prefix for named types (`crate_name::` in tests, empty inside the crate).
        pub prefix: Option<syn::Ident>,
    }
}

pub use api_ref::ApiRef;

impl<'a> ApiRef<'a> {
    /// Looks at the API's type names. `prefix` is the crate to qualify named types with.
    pub fn new(api: &'a Api, prefix: Option<&str>) -> Self {
        let has = |name: &str| api.types.iter().any(|t| t.name == name);
        ApiRef {
            api,
            shadows_string: has("String"),
            shadows_vec: has("Vec"),
            shadows_option: has("Option"),
            shadows_box: has("Box"),
            shadows_result: has("Result"),
            shadows_from: has("From"),
            shadows_try_from: has("TryFrom"),
            prefix: prefix.map(|p| format_ident!("{}", p)),
        }
    }

    /// A spelling helper borrowing this.
    pub fn spelling(&'a self) -> Spelling<'a> {
        Spelling { api: self }
    }
}

impl Spelling<'_> {
    /// `String`.
    pub fn string(&self) -> TokenStream {
        if self.api.shadows_string { quote!(::std::string::String) } else { quote!(String) }
    }

    /// `Vec<inner>`.
    pub fn vec(&self, inner: TokenStream) -> TokenStream {
        if self.api.shadows_vec { quote!(::std::vec::Vec<#inner>) } else { quote!(Vec<#inner>) }
    }

    /// `Option<inner>`.
    pub fn option(&self, inner: TokenStream) -> TokenStream {
        if self.api.shadows_option { quote!(::std::option::Option<#inner>) } else { quote!(Option<#inner>) }
    }

    /// The path of `Option::is_none` for `skip_serializing_if`.
    pub fn option_is_none(&self) -> &'static str {
        if self.api.shadows_option { "::std::option::Option::is_none" } else { "Option::is_none" }
    }

    /// `Result`, as a path to put generic arguments after.
    pub fn result(&self) -> TokenStream {
        if self.api.shadows_result { quote!(::std::result::Result) } else { quote!(Result) }
    }

    /// The `From` trait, as a path to put generic arguments after.
    pub fn convert_from(&self) -> TokenStream {
        if self.api.shadows_from { quote!(::std::convert::From) } else { quote!(From) }
    }

    /// The `TryFrom` trait, as a path to put generic arguments after.
    pub fn convert_try_from(&self) -> TokenStream {
        if self.api.shadows_try_from { quote!(::std::convert::TryFrom) } else { quote!(TryFrom) }
    }

    /// `Box<inner>`.
    pub fn boxed(&self, inner: TokenStream) -> TokenStream {
        if self.api.shadows_box { quote!(::std::boxed::Box<#inner>) } else { quote!(Box<#inner>) }
    }

    /// The type of a `TypeRef`.
    pub fn ty(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Named(id) => {
                let name = format_ident!("{}", self.api.api.ty(*id).name);
                match &self.api.prefix {
                    Some(prefix) => quote!(#prefix::#name),
                    None => quote!(#name),
                }
            }
            TypeRef::Builtin(builtin) => match builtin {
                Builtin::String => self.string(),
                Builtin::DateTime => quote!(chrono::DateTime<chrono::Utc>),
                Builtin::Date => quote!(chrono::NaiveDate),
                Builtin::Uuid => quote!(uuid::Uuid),
                Builtin::Bool => quote!(bool),
                Builtin::I8 => quote!(i8),
                Builtin::I16 => quote!(i16),
                Builtin::I32 => quote!(i32),
                Builtin::I64 => quote!(i64),
                Builtin::U8 => quote!(u8),
                Builtin::U16 => quote!(u16),
                Builtin::U32 => quote!(u32),
                Builtin::U64 => quote!(u64),
                Builtin::F64 => quote!(f64),
            },
            TypeRef::Vec(inner) => self.vec(self.ty(inner)),
            TypeRef::Map(inner) => {
                let key = self.string();
                let value = self.ty(inner);
                quote!(indexmap::IndexMap<#key, #value>)
            }
            TypeRef::Nullable(inner) => self.option(self.ty(inner)),
            TypeRef::Any => quote!(serde_json::Value),
        }
    }
}

/// Which external crates the types of an API need.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Uses {
    /// `chrono` for dates.
    pub chrono: bool,
    /// `uuid`.
    pub uuid: bool,
    /// `indexmap` for maps.
    pub indexmap: bool,
}

impl Uses {
    /// Scans every type reference of the API.
    pub fn of(api: &Api) -> Uses {
        let mut uses = Uses::default();
        let mut visit = |ty: &TypeRef| uses.add(ty);
        crate::ir_walk::each_type_ref(api, &mut visit);
        uses
    }

    fn add(&mut self, ty: &TypeRef) {
        match ty {
            TypeRef::Builtin(Builtin::DateTime | Builtin::Date) => self.chrono = true,
            TypeRef::Builtin(Builtin::Uuid) => self.uuid = true,
            TypeRef::Map(inner) => {
                self.indexmap = true;
                self.add(inner);
            }
            TypeRef::Vec(inner) | TypeRef::Nullable(inner) => self.add(inner),
            TypeRef::Named(_) | TypeRef::Builtin(_) | TypeRef::Any => {}
        }
    }
}
