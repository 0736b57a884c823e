//! Spec descriptions to rustdoc attributes that `cargo doc` and `cargo test` accept as they are.
//!
//! Descriptions are CommonMark written for API docs, not for rustdoc: a fenced block without a
//! language, or an indented block, would be compiled as a doctest; `[name]` would be read as an
//! intra-doc link; bare URLs and stray HTML tags draw rustdoc warnings. This module rewrites just
//! those constructs and leaves the rest of the text alone.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Stands for a line break inside the one doc attribute that carries all the lines of a doc
/// comment; [`crate::render`] breaks the printed `///` line there. One attribute instead of one
/// per line: syn reads a literal three times (to peek, to parse, and prettyplease for its value),
/// and every attribute has its own tokens, so line by line the docs were a seventh of the
/// generator's work. A private-use character, which [`sanitize`] takes out of spec text.
pub const LINE_BREAK: char = '\u{E001}';

/// Begins the value of such a joined attribute, so that only those are broken into lines: doc
/// text written some other way (an enum value quoted in its variant's docs, an attribute from
/// the settings) is printed as it is, whatever it holds.
pub const JOINED: char = '\u{E000}';

/// The `#[doc = "..."]` attribute for a block of text (nothing for empty text): [`JOINED`],
/// then its lines, each after a space, joined by [`LINE_BREAK`].
pub fn doc_attrs(text: &str) -> TokenStream {
    match doc_literal(text) {
        Some(doc) => quote! { #[doc = #doc] },
        None => TokenStream::new(),
    }
}

/// The inner `#![doc = "..."]` attribute, for module and crate docs.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    match doc_literal(text) {
        Some(doc) => quote! { #![doc = #doc] },
        None => TokenStream::new(),
    }
}

fn doc_literal(text: &str) -> Option<Literal> {
    let lines = sanitize(text);
    if lines.is_empty() {
        return None;
    }
    let mut joined = String::with_capacity(lines.iter().map(|line| line.len() + 4).sum());
    joined.push(JOINED);
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            joined.push(LINE_BREAK);
        }
        if !line.is_empty() {
            joined.push(' ');
            joined.push_str(line);
        }
    }
    Some(literal(&joined))
}

/// The string literal of one doc line, written raw (`r"..."`, with as many `#` as the text
/// needs). prettyplease prints a doc attribute's value as `///` text whatever the literal's form,
/// so the output is the same; a raw literal is not escaped here nor unescaped again by `syn`,
/// which for an ordinary literal was a tenth of the generator's time on a well-documented spec.
pub fn literal(text: &str) -> Literal {
    let mut hashes = 0;
    let mut run: Option<usize> = None;
    for ch in text.chars() {
        run = match (ch, run) {
            ('"', _) => Some(0),
            ('#', Some(count)) => Some(count + 1),
            _ => None,
        };
        if let Some(count) = run {
            hashes = hashes.max(count + 1);
        }
    }
    let fence = "#".repeat(hashes);
    // Only a bare carriage return cannot be written raw; `sanitize` never leaves one, and
    // anything the lexer refuses still gets an escaped literal.
    format!("r{fence}\"{text}\"{fence}").parse().unwrap_or_else(|_| Literal::string(text))
}

/// Joins documentation parts with blank lines, skipping empty ones.
pub fn join(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Rewrites description text into rustdoc-safe lines.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut text: std::borrow::Cow<'_, str> =
        if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n").into() } else { text.into() };
    if text.contains(LINE_BREAK) {
        text = text.replace(LINE_BREAK, "\u{FFFD}").into();
    }
    let mut out = Vec::new();
    let mut in_fence: Option<String> = None;
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some(fence) = in_fence.clone() {
            if trimmed.starts_with(fence.as_str()) {
                in_fence = None;
                out.push(fence);
            } else {
                out.push(line.to_string());
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed.chars().take_while(|c| *c == '`' || *c == '~').collect();
            // Every fence becomes `text`: only Rust fences would be compiled, and spec examples
            // are never Rust meant for this crate.
            in_fence = Some(marker.clone());
            out.push(format!("{marker}text"));
            continue;
        }
        // Four or more spaces of indentation would open an indented code block (a doctest).
        let indent = line.len() - trimmed.len();
        let kept = " ".repeat(indent.min(3));
        out.push(format!("{kept}{}", escape_inline(trimmed)));
    }
    if let Some(fence) = in_fence {
        out.push(fence);
    }
    out
}

/// Escapes brackets, angle brackets and bare URLs outside inline code spans.
fn escape_inline(line: &str) -> String {
    if !line.contains(['`', '[', ']', '<', '>']) && !line.contains("http") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(stripped) = rest.strip_prefix('`') {
            // Copy a code span verbatim, up to its closing backtick.
            match stripped.find('`') {
                Some(end) => {
                    out.push('`');
                    out.push_str(&stripped[..=end]);
                    rest = &stripped[end + 1..];
                }
                None => {
                    out.push_str("\\`");
                    rest = stripped;
                }
            }
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == '<' || c == '"' || c == '`')
                .unwrap_or(rest.len());
            let mut url = &rest[..end];
            while url.ends_with(['.', ',', ';', ':', '!', '?', '\'']) {
                url = &url[..url.len() - 1];
            }
            // Bare only as the destination of a link that CommonMark will parse (`[a](url)` or
            // `[a](url "title")`); after an escaped `\](` or before other text it is plain text.
            let after = &rest[end..];
            let link_target = out.ends_with("](")
                && !out.ends_with("\\](")
                && (after.starts_with(')') || after.trim_start().starts_with('"'));
            if link_target {
                out.push_str(url);
            } else {
                out.push('<');
                out.push_str(url);
                out.push('>');
            }
            rest = &rest[url.len()..];
            continue;
        }
        let ch = rest.chars().next().unwrap_or(' ');
        match ch {
            '[' => {
                // Keep real Markdown links `[text](url)`; escape every other bracket.
                if let Some(close) = rest.find("](") {
                    // A destination that is a Rust path (`crate::views::Disk`, from the
                    // server's own source) would be an intra-doc link to nothing here: the
                    // text alone.
                    let after = &rest[close + 2..];
                    let path_link = destination_end(after).filter(|end| is_rust_path(&after[..*end]));
                    if let (Some(end), false) = (path_link, rest[1..close].contains(['[', ']'])) {
                        out.push_str(&escape_inline(&rest[1..close]));
                        rest = &after[end + 1..];
                        continue;
                    }
                    if !rest[1..close].contains(['[', ']']) {
                        out.push('[');
                        out.push_str(&escape_inline(&rest[1..close]));
                        out.push_str("](");
                        rest = &rest[close + 2..];
                        continue;
                    }
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(ch),
        }
        rest = &rest[ch.len_utf8()..];
    }
    out
}

/// Where a link destination ends: at the `)` that balances the parentheses inside it
/// (`crate::f()`).
fn destination_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (index, ch) in text.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(index),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether a link destination reads as a Rust path (`Foo`, `a::b::Foo`, `Foo::bar()`,
/// `struct@Foo`, `vec!`), which rustdoc resolves as an intra-doc link, rather than a URL.
fn is_rust_path(destination: &str) -> bool {
    let path = destination.split_once('@').map_or(destination, |(_, path)| path);
    let path = path.strip_suffix("()").or_else(|| path.strip_suffix('!')).unwrap_or(path);
    !path.is_empty()
        && path.split("::").all(|segment| {
            let mut chars = segment.chars();
            chars.next().is_some_and(|first| first.is_alphabetic() || first == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_literals_are_raw_and_keep_their_text() -> syn::Result<()> {
        for text in ["", " plain", r#" a "quoted" word"#, r##" a "# fence"##, r###" "## and "# and \n"###, " ends with \""] {
            let literal = literal(text);
            assert!(literal.to_string().starts_with('r'), "{literal} is not raw");
            let parsed: syn::LitStr = syn::parse2(quote!(#literal))?;
            assert_eq!(parsed.value(), text);
        }
        // A bare carriage return cannot be written raw: an escaped literal instead.
        let escaped = literal("a\rb");
        assert!(!escaped.to_string().starts_with('r'));
        let parsed: syn::LitStr = syn::parse2(quote!(#escaped))?;
        assert_eq!(parsed.value(), "a\rb");
        Ok(())
    }

    #[test]
    fn sanitize_keeps_lines_without_markup_as_they_are() {
        assert_eq!(sanitize("plain text, no markup\r\nsecond line"), vec!["plain text, no markup", "second line"]);
    }

    #[test]
    fn spec_text_cannot_break_a_doc_line_where_it_likes() {
        let text = format!("a{}b", super::LINE_BREAK);
        assert_eq!(sanitize(&text), vec!["a\u{FFFD}b"]);
    }

    #[test]
    fn rewrites_rustdoc_hazards() {
        assert_eq!(sanitize("See https://x.io/a. Done"), vec!["See <https://x.io/a>. Done"]);
        assert_eq!(sanitize("a [b] c"), vec!["a \\[b\\] c"]);
        assert_eq!(sanitize("a [b](https://x) c"), vec!["a [b](https://x) c"]);
        // Links into the server's own Rust code (progenitor's nexus.json has them) name nothing here.
        assert_eq!(
            sanitize("for a [`Disk`](omicron_common::api::external::Disk) and [it](crate::views::Vpc)."),
            vec!["for a `Disk` and it."]
        );
        assert_eq!(sanitize("call [f](crate::views::f()) or [m](vec!)"), vec!["call f or m"]);
        assert_eq!(sanitize("see [the guide](docs/guide.md) or [here](#top)"), vec!["see [the guide](docs/guide.md) or [here](#top)"]);
        assert_eq!(sanitize("<b>bold</b> `<T>`"), vec!["&lt;b&gt;bold&lt;/b&gt; `<T>`"]);
        assert_eq!(sanitize("```\nlet x;\n```"), vec!["```text", "let x;", "```"]);
        assert_eq!(sanitize("x\n\n        code"), vec!["x", "", "   code"]);
        assert_eq!(sanitize("```json\n{}"), vec!["```text", "{}", "```"]);
        assert_eq!(
            sanitize("[![b](https://a.io/b.svg =1x2)](https://a.io)"),
            vec!["\\[![b](<https://a.io/b.svg> =1x2)\\](<https://a.io>)"]
        );
    }
}
