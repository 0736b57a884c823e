//! Diagnostics: every problem the generator reports points at a place in the spec.

use std::fmt;

/// Where in the spec a diagnostic applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// A place in the settings file (`codegen.toml`), which is not the spec.
    Setting {
        /// The settings file as the user named it.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
}

/// What kind of problem a diagnostic describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosticKind {
    /// The document cannot be read at all (I/O, syntax).
    Syntax,
    /// The document is readable but is not a valid OpenAPI document we accept.
    Invalid,
    /// The document uses a construct this generator does not support yet.
    Unsupported,
    /// A bug in the generator (it produced Rust that does not parse).
    Internal,
    /// A setting that is unknown, malformed, or does not fit the spec.
    Settings,
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

/// Warnings of one kind: the same message, at one or more places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningGroup<'a> {
    /// The message they share.
    pub message: &'a str,
    /// Every warning with that message, in the order they were found.
    pub items: Vec<&'a Diagnostic>,
}

/// How many places a grouped warning line names before it says how many more there are.
const PLACES_SHOWN: usize = 3;

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

    /// The diagnostics grouped by kind (the same message text), in the order each kind first
    /// occurs.
    pub fn warning_groups(&self) -> Vec<WarningGroup<'_>> {
        let mut groups: indexmap::IndexMap<&str, Vec<&Diagnostic>> = indexmap::IndexMap::new();
        for item in &self.items {
            groups.entry(item.message.as_str()).or_default().push(item);
        }
        groups.into_iter().map(|(message, items)| WarningGroup { message, items }).collect()
    }

    /// The diagnostics as warnings, one line per kind: a kind seen once reads as in
    /// [`Diagnostics::as_warnings`]; a kind seen more often says how often and names the first
    /// places (`warning: file: 76 times: message; at #/a, #/b, #/c and 73 more`). Empty when there
    /// are none.
    pub fn as_warning_summary(&self) -> String {
        let mut lines = Vec::new();
        for group in self.warning_groups() {
            let [first, ..] = group.items.as_slice() else { continue };
            if group.items.len() == 1 {
                lines.push(render(&self.file, first, "warning", None));
                continue;
            }
            let places: Vec<String> = group.items.iter().take(PLACES_SHOWN).map(|item| place(&item.location)).collect();
            let more = match group.items.len().saturating_sub(PLACES_SHOWN) {
                0 => String::new(),
                more => format!(" and {more} more"),
            };
            lines.push(format!(
                "warning: {}: {} times: {}; at {}{more}",
                self.file,
                group.items.len(),
                group.message,
                places.join(", ")
            ));
        }
        lines.join("\n")
    }
}

/// A location as one of a list of places.
fn place(location: &Location) -> String {
    match location {
        Location::Text { line, column } => format!("{line}:{column}"),
        Location::Pointer(pointer) => pointer.clone(),
        Location::Document => "the document".to_string(),
        Location::Setting { file, line, column } => format!("{file}:{line}:{column}"),
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
        Location::Setting { file, line, column } => format!("{severity}: {file}:{line}:{column}: {kind}{}", item.message),
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
                DiagnosticKind::Settings => "invalid setting",
            };
            f.write_str(&render(&self.file, item, "error", Some(kind)))?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Escapes one reference token for a JSON pointer (RFC 6901: `~` -> `~0`, `/` -> `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_pointer_token(&mut out, token);
    out
}

/// `diagnostics` with each one only the first time it occurs, in order. (A subtree a converter
/// reads more than once reports its warnings once.)
pub fn first_occurrences(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::with_capacity(diagnostics.len());
    diagnostics.into_iter().filter(|diagnostic| seen.insert(diagnostic.clone())).collect()
}

/// Appends one token to a pointer.
pub fn child_pointer(pointer: &str, token: &str) -> String {
    // Built in place: the loader and the lowering make a pointer for every subtree they read.
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    push_pointer_token(&mut out, token);
    out
}

/// Where a walk of a document is: the tokens from the root, spelled as a pointer only when
/// needed (a walk visits every container of the document, and almost none has anything to say).
pub(crate) enum Place<'p> {
    Root,
    Key(&'p Place<'p>, &'p str),
    Index(&'p Place<'p>, usize),
}

impl Place<'_> {
    /// The JSON pointer of this place.
    pub(crate) fn pointer(&self) -> String {
        match self {
            Place::Root => String::from("#"),
            Place::Key(parent, key) => child_pointer(&parent.pointer(), key),
            Place::Index(parent, index) => format!("{}/{index}", parent.pointer()),
        }
    }
}

/// Appends `token` escaped (`~` as `~0`, `/` as `~1`).
fn push_pointer_token(out: &mut String, token: &str) {
    if !token.contains(['~', '/']) {
        out.push_str(token);
        return;
    }
    for ch in token.chars() {
        match ch {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            ch => out.push(ch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Diagnostic, DiagnosticKind, Diagnostics, Location};

    fn warnings(items: &[(&str, &str)]) -> Diagnostics {
        let items = items.iter().map(|(pointer, message)| Diagnostic::unsupported(pointer, *message)).collect();
        Diagnostics { file: "spec.json".to_string(), items }
    }

    #[test]
    fn warnings_are_grouped_by_message_in_order_of_first_occurrence() {
        let diagnostics = warnings(&[
            ("#/a", "form only"),
            ("#/b", "tuple items"),
            ("#/c", "form only"),
            ("#/d", "form only"),
            ("#/e", "form only"),
            ("#/f", "form only"),
            ("#/g", "tuple items"),
            ("#/h", "once"),
        ]);
        let groups = diagnostics.warning_groups();
        let shape: Vec<(&str, usize)> = groups.iter().map(|g| (g.message, g.items.len())).collect();
        assert_eq!(shape, [("form only", 5), ("tuple items", 2), ("once", 1)]);
        assert_eq!(groups[0].items[1].location, Location::Pointer("#/c".into()));
        assert_eq!(
            diagnostics.as_warning_summary(),
            "warning: spec.json: 5 times: form only; at #/a, #/c, #/d and 2 more\n\
             warning: spec.json: 2 times: tuple items; at #/b, #/g\n\
             warning: spec.json: at #/h: once"
        );
        assert_eq!(diagnostics.as_warnings().lines().count(), 8);
        assert_eq!(diagnostics.as_warnings().lines().next(), Some("warning: spec.json: at #/a: form only"));
    }

    #[test]
    fn exactly_three_places_are_all_named_and_other_locations_read_plainly() {
        let mut diagnostics = warnings(&[("#/a", "same"), ("#/b", "same")]);
        diagnostics.items.push(Diagnostic { kind: DiagnosticKind::Syntax, location: Location::Text { line: 3, column: 7 }, message: "same".into() });
        assert_eq!(diagnostics.as_warning_summary(), "warning: spec.json: 3 times: same; at #/a, #/b, 3:7");
        diagnostics.items.push(Diagnostic { kind: DiagnosticKind::Invalid, location: Location::Document, message: "same".into() });
        assert!(diagnostics.as_warning_summary().ends_with("4 times: same; at #/a, #/b, 3:7 and 1 more"));
    }

    #[test]
    fn no_warnings_no_lines() {
        let diagnostics = warnings(&[]);
        assert!(diagnostics.warning_groups().is_empty());
        assert_eq!(diagnostics.as_warning_summary(), "");
    }

    #[test]
    fn pointer_tokens_escape_tilde_before_slash() {
        assert_eq!(super::child_pointer("#/paths", "/a~b/{id}"), "#/paths/~1a~0b~1{id}");
        assert_eq!(super::child_pointer("#", "~1"), "#/~01");
        assert_eq!(super::child_pointer("#/x", "plain é"), "#/x/plain é");
        assert_eq!(super::escape_pointer_token("~/"), "~0~1");
    }
}
