//! Tokens to text: parse with `syn`, print with `prettyplease`, prepend the `@generated` header;
//! and placeholder substitution for the non-Rust templates.

use crate::error::{Diagnostic, DiagnosticKind, Location};
use proc_macro2::TokenStream;

/// Prints a Rust file from one token stream. `header` is the one-line `@generated` text,
/// without comment markers. For small files; large ones are written with [`RustFile`].
pub fn rust_file(tokens: TokenStream, header: &str, what: &str) -> Result<String, Diagnostic> {
    let mut file = RustFile::new(header, what);
    file.items(tokens)?;
    Ok(file.finish())
}

/// A Rust file printed item by item: each item's tokens are parsed and printed as soon as the
/// emitter hands them over, then dropped, so that a generated file of any size never exists as
/// one token tree or one syntax tree (each is many times the size of the text). prettyplease
/// prints a file as its inner attributes followed by each item, so the text is the same as
/// printing the whole file at once.
pub struct RustFile {
    out: String,
    what: String,
}

impl RustFile {
    /// A file that starts with the `@generated` header. `what` names the emitter in errors.
    pub fn new(header: &str, what: &str) -> Self {
        // prettyplease drops `//` comments, so the header goes on as text.
        RustFile { out: format!("// {header}\n"), what: what.to_string() }
    }

    /// The rest of a file whose beginning another [`RustFile`] prints (no header): the two
    /// texts, one after the other, are the file.
    pub fn continuation(what: &str) -> Self {
        RustFile { out: String::new(), what: what.to_string() }
    }

    /// Inner attributes and docs (`#![...]`, `//!`) and any items after them.
    pub fn items(&mut self, tokens: TokenStream) -> Result<(), Diagnostic> {
        let file = self.parse::<syn::File>(tokens)?;
        self.out.push_str(&prettyplease::unparse(&file));
        Ok(())
    }

    /// Items compiled only where `cfg` (a `#[cfg(...)]` attribute, or nothing) says: the
    /// attribute goes on each of them.
    pub fn gated_items(&mut self, tokens: TokenStream, cfg: &TokenStream) -> Result<(), Diagnostic> {
        if cfg.is_empty() {
            return self.items(tokens);
        }
        let mut file = self.parse::<syn::File>(tokens)?;
        let attrs = self.parse::<AttrList>(cfg.clone())?.0;
        for item in &mut file.items {
            if let Some(existing) = item_attrs(item) {
                // After the docs, which read first.
                let at = existing.iter().take_while(|attr| attr.path().is_ident("doc")).count();
                existing.splice(at..at, attrs.iter().cloned());
            }
        }
        self.out.push_str(&prettyplease::unparse(&file));
        Ok(())
    }

    /// `header { members }` (an `impl` block), printed member by member.
    pub fn impl_block(&mut self, header: TokenStream, members: impl IntoIterator<Item = TokenStream>) -> Result<(), Diagnostic> {
        let empty = prettyplease::unparse(&self.parse::<syn::File>(quote::quote!(#header {}))?);
        let Some(opening) = empty.strip_suffix("{}\n") else {
            self.out.push_str(&empty);
            return Ok(());
        };
        let mut body = String::new();
        for member in members {
            let printed = prettyplease::unparse(&self.parse::<syn::File>(quote::quote!(#header { #member }))?);
            // The member's lines sit between the block's first and last line.
            let inner = printed.split_once('\n').map(|(_, rest)| rest).unwrap_or_default();
            body.push_str(inner.strip_suffix("}\n").unwrap_or(inner));
        }
        if body.is_empty() {
            self.out.push_str(&empty);
        } else {
            self.out.push_str(opening);
            self.out.push_str("{\n");
            self.out.push_str(&body);
            self.out.push_str("}\n");
        }
        Ok(())
    }

    /// The printed text.
    pub fn finish(self) -> String {
        self.out
    }

    fn parse<T: syn::parse::Parse>(&self, tokens: TokenStream) -> Result<T, Diagnostic> {
        syn::parse2::<T>(tokens).map_err(|err| Diagnostic {
            kind: DiagnosticKind::Internal,
            location: Location::Document,
            message: format!("the {} emitter produced Rust that does not parse: {err}", self.what),
        })
    }
}

/// Outer attributes, parsed.
struct AttrList(Vec<syn::Attribute>);

impl syn::parse::Parse for AttrList {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        input.call(syn::Attribute::parse_outer).map(AttrList)
    }
}

/// The attributes of an item, for the kinds generated code has.
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Const(item) => &mut item.attrs,
        syn::Item::Enum(item) => &mut item.attrs,
        syn::Item::Fn(item) => &mut item.attrs,
        syn::Item::Impl(item) => &mut item.attrs,
        syn::Item::Mod(item) => &mut item.attrs,
        syn::Item::Static(item) => &mut item.attrs,
        syn::Item::Struct(item) => &mut item.attrs,
        syn::Item::Trait(item) => &mut item.attrs,
        syn::Item::Type(item) => &mut item.attrs,
        syn::Item::Union(item) => &mut item.attrs,
        syn::Item::Use(item) => &mut item.attrs,
        _ => return None,
    })
}

/// Replaces every `{{key}}` of a template.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{{{key}}}}}"), value);
    }
    out
}

/// A TOML basic string's contents (without the quotes).
pub fn toml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
