//! Diagnostics: every problem the generator reports points at a place in the spec.

use std::fmt;

/// Where in the spec a diagnostic applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line and column (1-based), known when the YAML/JSON parser reported them.
    Text {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// An RFC 6901 JSON pointer into the document, such as `#/components/schemas/Pet`.
    Pointer(String),
    /// The document as a whole.
    Document,
}

/// What kind of problem a diagnostic describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagnosticKind {
    /// The document cannot be read at all (I/O, syntax).
    Syntax,
    /// The document is readable but is not a valid OpenAPI document we accept.
    Invalid,
    /// The document uses a construct this generator does not support yet.
    Unsupported,
    /// A bug in the generator (it produced Rust that does not parse).
    Internal,
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem this is.
    pub kind: DiagnosticKind,
    /// Where it is.
    pub location: Location,
    /// A short human explanation, with a suggestion where there is one.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at a JSON pointer.
    pub fn at(kind: DiagnosticKind, pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic { kind, location: Location::Pointer(pointer.to_string()), message: message.into() }
    }

    /// An `Invalid` diagnostic at a JSON pointer.
    pub fn invalid(pointer: &str, message: impl Into<String>) -> Self {
        Self::at(DiagnosticKind::Invalid, pointer, message)
    }

    /// An `Unsupported` diagnostic at a JSON pointer.
    pub fn unsupported(pointer: &str, message: impl Into<String>) -> Self {
        Self::at(DiagnosticKind::Unsupported, pointer, message)
    }
}

/// All problems found in one run, with the name of the file they are about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    /// The spec file as the user named it.
    pub file: String,
    /// The problems, in the order they were found (spec order).
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// The diagnostics as warnings (`warning: file: ...`), one per line; empty when there are none.
    pub fn as_warnings(&self) -> String {
        let mut out = String::new();
        for (index, item) in self.items.iter().enumerate() {
            if index > 0 {
                out.push('\n');
            }
            out.push_str(&render(&self.file, item, "warning", None));
        }
        out
    }
}

fn render(file: &str, item: &Diagnostic, severity: &str, kind: Option<&str>) -> String {
    let kind = kind.map(|kind| format!("{kind}: ")).unwrap_or_default();
    match &item.location {
        Location::Text { line, column } => format!("{severity}: {file}:{line}:{column}: {kind}{}", item.message),
        Location::Pointer(pointer) => {
            let kind = kind.trim_end_matches(": ");
            let at = if kind.is_empty() { format!("at {pointer}") } else { format!("{kind} at {pointer}") };
            format!("{severity}: {file}: {at}: {}", item.message)
        }
        Location::Document => format!("{severity}: {file}: {kind}{}", item.message),
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, item) in self.items.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            let kind = match item.kind {
                DiagnosticKind::Syntax => "syntax error",
                DiagnosticKind::Invalid => "invalid spec",
                DiagnosticKind::Unsupported => "unsupported",
                DiagnosticKind::Internal => "internal error (please report)",
            };
            f.write_str(&render(&self.file, item, "error", Some(kind)))?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Escapes one reference token for a JSON pointer (RFC 6901: `~` -> `~0`, `/` -> `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends one token to a pointer.
pub fn child_pointer(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_pointer_token(token))
}
