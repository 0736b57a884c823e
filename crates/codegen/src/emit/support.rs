//! Tokens naming items of the runtime (`codegen-runtime`), which generated crates call under
//! the names `support` (server, client, types) and `report` (validation).

/// `support::Style` of a parameter or form field: the named constant for the two defaults
/// (`Style::FORM`, `Style::SIMPLE`), the struct otherwise. The runtime's server and client
/// modules both export it.
pub fn style_tokens(style: crate::ir::ParamStyle, explode: bool) -> proc_macro2::TokenStream {
    use crate::ir::ParamStyle;
    use quote::quote;
    if let Some(name) = default_style(style, explode) {
        return quote!(support::Style::#name);
    }
    let kind = match (style, explode) {
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

/// The name of the runtime's constant for the two default styles (`FORM`: `form`, exploded;
/// `SIMPLE`: `simple`, not exploded), which `Style` and the client's `Encoding` both have.
pub fn default_style(style: crate::ir::ParamStyle, explode: bool) -> Option<proc_macro2::Ident> {
    use crate::ir::ParamStyle;
    let name = match (style, explode) {
        (ParamStyle::Form, true) => "FORM",
        (ParamStyle::Simple, false) => "SIMPLE",
        _ => return None,
    };
    Some(quote::format_ident!("{name}"))
}

/// `#[allow(...)]` for a method taking `&self` whose name clippy reserves for another receiver
/// (`new`, `from_*`, `into_*`): an operation may be called so, and its method keeps the name.
pub fn self_convention_allow(method: &str) -> proc_macro2::TokenStream {
    if method == "new" {
        quote::quote!(#[allow(clippy::new_ret_no_self, clippy::wrong_self_convention)])
    } else if method.starts_with("from_") || method.starts_with("into_") {
        quote::quote!(#[allow(clippy::wrong_self_convention)])
    } else {
        proc_macro2::TokenStream::new()
    }
}

/// The `match` pattern of a status range (`2XX`) in a status dispatch whose arms for the exact
/// codes of `codes` come first: the range without those codes (`202..=299`, or
/// `200..=203 | 205..=299`), so that no two arms overlap (clippy's `match_overlapping_arm`).
/// `None` when the codes cover the whole range.
pub fn range_pattern(range: u8, codes: &[u16]) -> Option<proc_macro2::TokenStream> {
    let (low, high) = (u16::from(range) * 100, u16::from(range) * 100 + 99);
    let mut taken: Vec<u16> = codes.iter().copied().filter(|code| (low..=high).contains(code)).collect();
    taken.sort_unstable();
    taken.dedup();
    let mut pieces = Vec::new();
    let mut start = low;
    for code in taken.into_iter().chain(std::iter::once(high + 1)) {
        if code > start {
            let (first, last) = (proc_macro2::Literal::u16_unsuffixed(start), proc_macro2::Literal::u16_unsuffixed(code - 1));
            pieces.push(if code - 1 == start { quote::quote!(#first) } else { quote::quote!(#first..=#last) });
        }
        start = code + 1;
    }
    (!pieces.is_empty()).then(|| quote::quote!(#(#pieces)|*))
}

#[cfg(test)]
mod tests {
    use super::range_pattern;

    fn pattern(range: u8, codes: &[u16]) -> Option<String> {
        range_pattern(range, codes).map(|tokens| tokens.to_string())
    }

    #[test]
    fn ranges_leave_out_the_codes_matched_before_them() {
        assert_eq!(pattern(2, &[]).as_deref(), Some("200 ..= 299"));
        assert_eq!(pattern(2, &[200, 201, 404]).as_deref(), Some("202 ..= 299"));
        assert_eq!(pattern(2, &[204]).as_deref(), Some("200 ..= 203 | 205 ..= 299"));
        assert_eq!(pattern(4, &[400, 402, 499]).as_deref(), Some("401 | 403 ..= 498"));
        assert_eq!(pattern(2, &(200..=299).collect::<Vec<u16>>()), None);
    }
}
