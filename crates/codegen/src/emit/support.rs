//! Tokens naming items of the runtime (`codegen-runtime`), which generated crates call under
//! the names `support` (server, client, types) and `report` (validation).

/// `support::Style` of a parameter or form field: the named constant for the two defaults
/// (`Style::FORM`, `Style::SIMPLE`), the struct otherwise. The runtime's server and client
/// modules both export it.
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
