//! Tokens to text: parse with `syn`, print with `prettyplease`, prepend the `@generated` header;
//! and placeholder substitution for the non-Rust templates.

use crate::error::{Diagnostic, DiagnosticKind, Location};
use proc_macro2::TokenStream;

/// Prints a Rust file. `header` is the one-line `@generated` text, without comment markers.
pub fn rust_file(tokens: TokenStream, header: &str, what: &str) -> Result<String, Diagnostic> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|err| Diagnostic {
        kind: DiagnosticKind::Internal,
        location: Location::Document,
        message: format!("the {what} emitter produced Rust that does not parse: {err}"),
    })?;
    // prettyplease drops `//` comments, so the header goes on afterwards.
    Ok(format!("// {header}\n{}", prettyplease::unparse(&file)))
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
