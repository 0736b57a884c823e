//! The support modules of generated crates, printed by `build.rs` from `support/*.rs`.
//!
//! Each is the same for every spec and becomes a file of its own in the generated crate
//! (`src/generated/support.rs`, or `src/generated/report.rs` for validation), declared by the
//! emitted `generated.rs`.

/// A support module: its name in `generated.rs` and its printed text.
#[derive(Debug, Clone, Copy)]
pub struct SupportModule {
    /// The module name (`support`, `report`), also its file name.
    pub name: &'static str,
    /// The printed module body.
    pub text: &'static str,
}

/// The server crate's routing, decoding and response helpers.
pub const SERVER: SupportModule =
    SupportModule { name: "support", text: include_str!(concat!(env!("OUT_DIR"), "/server_support.rs")) };

/// The client crate's client, builder, errors and serialization helpers.
pub const CLIENT: SupportModule =
    SupportModule { name: "support", text: include_str!(concat!(env!("OUT_DIR"), "/client_support.rs")) };

/// The validation crate's error reporting and format checks.
pub const VALIDATION: SupportModule =
    SupportModule { name: "report", text: include_str!(concat!(env!("OUT_DIR"), "/validation_support.rs")) };

/// `support::Style` of a parameter or form field: the named constant for the two defaults
/// (`Style::FORM`, `Style::SIMPLE`), the struct otherwise. Server and client supports both
/// define it.
pub fn style_tokens(style: crate::ir::ParamStyle, explode: bool) -> proc_macro2::TokenStream {
    use crate::ir::ParamStyle;
    use quote::quote;
    let kind = match (style, explode) {
        (ParamStyle::Form, true) => return quote!(support::Style::FORM),
        (ParamStyle::Simple, false) => return quote!(support::Style::SIMPLE),
        (ParamStyle::Simple, _) => quote!(Simple),
        (ParamStyle::Label, _) => quote!(Label),
        (ParamStyle::Matrix, _) => quote!(Matrix),
        (ParamStyle::Form, _) => quote!(Form),
        (ParamStyle::SpaceDelimited, _) => quote!(SpaceDelimited),
        (ParamStyle::PipeDelimited, _) => quote!(PipeDelimited),
        (ParamStyle::DeepObject, _) => quote!(DeepObject),
    };
    quote!(support::Style { kind: support::StyleKind::#kind, explode: #explode })
}
