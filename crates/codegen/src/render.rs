//! Tokens to text: parse with `syn`, print with `prettyplease`, prepend the `@generated` header;
//! and placeholder substitution for the non-Rust templates.

use crate::docs::{JOINED, LINE_BREAK};
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
        self.out.push_str(&print(&file));
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
        self.out.push_str(&print(&file));
        Ok(())
    }

    /// `header { members }` (an `impl` block), printed member by member.
    pub fn impl_block(&mut self, header: TokenStream, members: impl IntoIterator<Item = TokenStream>) -> Result<(), Diagnostic> {
        let empty = self.empty_block(&header)?;
        let Some(opening) = empty.strip_suffix("{}\n") else {
            self.out.push_str(&empty);
            return Ok(());
        };
        let mut body = String::new();
        for member in members {
            body.push_str(&self.member_text(&header, member)?);
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

    /// The beginning of `header { ... }` (a module, an `impl` block), whose members are then
    /// printed one by one ([`RustFile::block_member`], possibly by other `RustFile`s that print
    /// the following parts of the file) until [`RustFile::block_close`]. For a block with members.
    pub fn block_open(&mut self, header: &TokenStream) -> Result<(), Diagnostic> {
        let empty = self.empty_block(header)?;
        let opening = empty.strip_suffix("{}\n").ok_or_else(|| self.error(format!("`{header} {{}}` does not print as a block")))?;
        self.out.push_str(opening);
        self.out.push_str("{\n");
        Ok(())
    }

    /// A member of the block [`RustFile::block_open`] began, as printed inside it. `header` is
    /// the block's header without its attributes (`mod name`), which prints on one line.
    pub fn block_member(&mut self, header: &TokenStream, member: TokenStream) -> Result<(), Diagnostic> {
        let text = self.member_text(header, member)?;
        self.out.push_str(&text);
        Ok(())
    }

    /// The end of the block [`RustFile::block_open`] began.
    pub fn block_close(&mut self) {
        self.out.push_str("}\n");
    }

    /// `header {}` printed.
    fn empty_block(&self, header: &TokenStream) -> Result<String, Diagnostic> {
        Ok(print(&self.parse::<syn::File>(quote::quote!(#header {}))?))
    }

    /// The lines of `member` printed inside `header { }` (a header without attributes).
    fn member_text(&self, header: &TokenStream, member: TokenStream) -> Result<String, Diagnostic> {
        let printed = print(&self.parse::<syn::File>(quote::quote!(#header { #member }))?);
        // The member's lines sit between the block's first and last line.
        let inner = printed.split_once('\n').map(|(_, rest)| rest).unwrap_or_default();
        Ok(inner.strip_suffix("}\n").unwrap_or(inner).to_string())
    }

    /// The printed text.
    pub fn finish(self) -> String {
        self.out
    }

    fn parse<T: syn::parse::Parse>(&self, tokens: TokenStream) -> Result<T, Diagnostic> {
        syn::parse2::<T>(tokens).map_err(|err| self.error(format!("produced Rust that does not parse: {err}")))
    }

    fn error(&self, what: String) -> Diagnostic {
        Diagnostic { kind: DiagnosticKind::Internal, location: Location::Document, message: format!("the {} emitter {what}", self.what) }
    }
}

/// prettyplease's text, each joined doc comment (a `///` or `//!` line whose text begins
/// with [`JOINED`]) broken into lines at its [`LINE_BREAK`]s, each with the indentation and
/// `///` or `//!` of the line it was on. Every other line is kept as it is.
fn print(file: &syn::File) -> String {
    let printed = prettyplease::unparse(file);
    if !printed.contains(JOINED) {
        return printed;
    }
    let mut out = String::with_capacity(printed.len() + printed.len() / 8);
    for line in printed.split_inclusive('\n') {
        let text = line.trim_start();
        let indent = &line[..line.len() - text.len()];
        let joined = ["///", "//!"].into_iter().find_map(|marker| Some((marker, text.strip_prefix(marker)?.strip_prefix(JOINED)?)));
        let Some((marker, doc)) = joined else {
            out.push_str(line);
            continue;
        };
        for part in doc.trim_end_matches('\n').split(LINE_BREAK) {
            out.push_str(indent);
            out.push_str(marker);
            out.push_str(part);
            out.push('\n');
        }
    }
    out
}

/// One of `count` consecutive parts of a file's items, printed apart, on the
/// generator's threads, and appended in order: a large file cut in several parts lets the threads
/// finish together whatever the spec's mix of types and operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// Which part, from 0.
    pub index: usize,
    /// How many parts the file has.
    pub count: usize,
}

impl Chunk {
    /// The whole file, in one part.
    pub const WHOLE: Chunk = Chunk { index: 0, count: 1 };

    /// The part that begins the file.
    pub fn is_first(self) -> bool {
        self.index == 0
    }

    /// The part that ends the file.
    pub fn is_last(self) -> bool {
        self.index + 1 >= self.count
    }

    /// The items (indexes into `weights`, one weight per item in file order) this part prints:
    /// part `k` ends after the first item at which the running total reaches `(k + 1) / count`
    /// of the whole, so the parts weigh about the same.
    pub fn range(self, weights: &[usize]) -> std::ops::Range<usize> {
        let total: usize = weights.iter().sum();
        let end_of = |part: usize| {
            if part + 1 >= self.count {
                return weights.len();
            }
            let mut sum = 0;
            weights
                .iter()
                .position(|weight| {
                    sum += weight;
                    sum * self.count >= total * (part + 1)
                })
                .map_or(weights.len(), |index| index + 1)
        };
        let start = if self.index == 0 { 0 } else { end_of(self.index - 1) };
        start..end_of(self.index).max(start)
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

#[cfg(test)]
mod tests {
    use super::{Chunk, RustFile};
    use crate::docs::{doc_attrs, inner_doc_attrs};
    use quote::quote;

    #[test]
    fn a_doc_comment_is_printed_line_by_line_at_its_indentation() {
        let module = inner_doc_attrs("Module.\n\nSecond paragraph.");
        let doc = doc_attrs("First line.\n\n  indented \"quoted\" \\ line");
        let field = doc_attrs("A field.\nTwo lines.");
        let mut file = RustFile::new("@generated", "test");
        let printed = file.items(quote! {
            #module
            #doc
            pub struct S {
                #field
                pub a: u8,
            }
        });
        assert!(printed.is_ok(), "{printed:?}");
        let expected = "// @generated\n//! Module.\n//!\n//! Second paragraph.\n/// First line.\n///\n///   indented \"quoted\" \\ line\npub struct S {\n    /// A field.\n    /// Two lines.\n    pub a: u8,\n}\n";
        assert_eq!(file.finish(), expected);
    }

    #[test]
    fn doc_text_written_any_other_way_is_printed_as_it_is() {
        // The characters themselves (raw literals), in a constant and in a plain doc attribute.
        let text = format!("a{}b{}c", crate::docs::JOINED, crate::docs::LINE_BREAK);
        let (value, doc) = (crate::docs::literal(&text), crate::docs::literal(&format!(" {text}")));
        let mut file = RustFile::new("@generated", "test");
        let printed = file.items(quote! {
            #[doc = #doc]
            pub const S: &str = #value;
        });
        assert!(printed.is_ok(), "{printed:?}");
        assert_eq!(file.finish(), format!("// @generated\n/// {text}\npub const S: &str = r\"{text}\";\n"));
    }

    fn parts(weights: &[usize], count: usize) -> Vec<std::ops::Range<usize>> {
        (0..count).map(|index| Chunk { index, count }.range(weights)).collect()
    }

    #[test]
    fn the_parts_of_a_file_cover_every_item_once_in_order() {
        let cases: [&[usize]; 5] = [&[], &[7], &[1, 1, 1], &[5, 1, 1, 1, 1, 1, 1, 9, 2, 2], &[100, 1, 1, 1]];
        for weights in cases {
            for count in 1..=9 {
                let parts = parts(weights, count);
                assert_eq!(parts.first().map(|r| r.start), Some(0), "{weights:?} in {count}");
                assert_eq!(parts.last().map(|r| r.end), Some(weights.len()), "{weights:?} in {count}");
                for pair in parts.windows(2) {
                    assert_eq!(pair[0].end, pair[1].start, "{weights:?} in {count}: {parts:?}");
                }
            }
        }
    }

    #[test]
    fn parts_weigh_about_the_same() {
        let weights = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4];
        let total: usize = weights.iter().sum();
        for count in [2, 4, 8] {
            for range in parts(&weights, count) {
                let weight: usize = weights[range].iter().sum();
                // A part ends at the first item that reaches its share, so it is within one
                // item (at most 9 here) of the share.
                assert!(weight.abs_diff(total / count) <= 9, "{count} parts: {weight} of {total}");
            }
        }
        // One heavy item takes a part of its own; the light ones share the rest.
        assert_eq!(parts(&[100, 1, 1, 1], 2), vec![0..1, 1..4]);
        assert_eq!(parts(&[1, 1, 1, 1], 2), vec![0..2, 2..4]);
        assert_eq!(Chunk::WHOLE.range(&[1, 2, 3]), 0..3);
    }
}
