//! Names: casing, keyword escaping and collision handling, all in one place.
//!
//! Every Rust identifier the generator emits for a spec name comes from here, so the rules
//! (heck casing, ASCII-only identifiers, keyword escaping, deterministic disambiguation) are the
//! same for types, fields, variants and operations.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

/// Rust keywords (strict, reserved and edition-2018+ weak ones that cannot be identifiers).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "gen", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// Replaces characters that cannot appear in an ASCII identifier with a readable spelling, so
/// that non-ASCII names stay distinct (`é` -> `u00e9`) and punctuation becomes a word break.
fn asciify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if ch.is_ascii() {
            out.push(' ');
        } else {
            out.push_str(&format!(" u{:04x} ", ch as u32));
        }
    }
    out
}

/// `UpperCamelCase` type or variant name for a spec name. `fallback` is used when nothing is left.
pub fn type_name(name: &str, fallback: &str) -> String {
    let cased = asciify(name).to_upper_camel_case();
    let cased = if cased.is_empty() { fallback.to_string() } else { cased };
    let cased = if cased.starts_with(|c: char| c.is_ascii_digit()) { format!("{fallback}{cased}") } else { cased };
    // Not `Self_`: names are also prefixes of others (`{name}Item`, `{name}ResponseStatus200`),
    // and `Self_Item` is not UpperCamelCase.
    if cased == "Self" {
        "SelfType".to_string()
    } else {
        cased
    }
}

/// `snake_case` field, method or module name for a spec name.
pub fn field_name(name: &str, fallback: &str) -> String {
    let cased = asciify(name).to_snake_case();
    let cased = if cased.is_empty() { fallback.to_string() } else { cased };
    let cased = if cased.starts_with(|c: char| c.is_ascii_digit()) { format!("{fallback}_{cased}") } else { cased };
    if KEYWORDS.contains(&cased.as_str()) || cased == "_" {
        format!("{cased}_")
    } else {
        cased
    }
}

/// Hands out unique names within one namespace. The first claimant keeps a name; later ones get
/// a numeric suffix (`Foo`, `Foo2`, `Foo3`), so the result depends only on claim order, which
/// callers keep in spec order.
#[derive(Debug, Default, Clone)]
pub struct NameSet {
    taken: BTreeSet<String>,
    /// For a wanted name and separator, a counter below which every numbered form is taken, so
    /// thousands of claims of one name stay linear (cleared on release, which can free one).
    next_counter: BTreeMap<(String, String), usize>,
}

impl NameSet {
    /// A set with some names already reserved (the generator's own helper names).
    pub fn with_reserved(reserved: &[&str]) -> Self {
        NameSet { taken: reserved.iter().map(|name| name.to_string()).collect(), next_counter: BTreeMap::new() }
    }

    /// Claims `wanted`, or the first free `wanted{N}` (N from 2), and returns the claimed name.
    /// `separator` goes between the name and the number (`""` for types, `"_"` for fields).
    pub fn claim(&mut self, wanted: &str, separator: &str) -> String {
        if self.taken.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let key = (wanted.to_string(), separator.to_string());
        let mut counter = self.next_counter.get(&key).copied().unwrap_or(2);
        // `self_` (an escaped keyword) numbers as `self_2`: `self__2` is not snake case.
        let stem = match separator {
            "_" if wanted.len() > 1 => wanted.trim_end_matches('_'),
            _ => wanted,
        };
        loop {
            let candidate = format!("{stem}{separator}{counter}");
            counter += 1;
            if self.taken.insert(candidate.clone()) {
                self.next_counter.insert(key, counter);
                return candidate;
            }
        }
    }

    /// Gives a name back, so that a later claim can have it.
    pub fn release(&mut self, name: &str) {
        self.taken.remove(name);
        self.next_counter.clear();
    }

    /// Whether a name is already taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_and_escaping() {
        assert_eq!(type_name("ConversationAPIBody", "Type"), "ConversationApiBody");
        assert_eq!(type_name("foo_bar", "Type"), "FooBar");
        assert_eq!(type_name("404-error", "Type"), "Type404Error");
        assert_eq!(type_name("", "Empty"), "Empty");
        assert_eq!(type_name("café", "Type"), "CafU00e9");
        assert_eq!(field_name("type", "field"), "type_");
        assert_eq!(field_name("ticket_id", "field"), "ticket_id");
        assert_eq!(field_name("contactId", "field"), "contact_id");
        assert_eq!(field_name("2fa", "field"), "field_2fa");
        assert_eq!(field_name("self", "field"), "self_");
        assert_eq!(field_name("$ref", "field"), "ref_");
    }

    #[test]
    fn collisions_get_numbered_in_claim_order() {
        let mut names = NameSet::with_reserved(&["Reserved"]);
        assert_eq!(names.claim("FooBar", ""), "FooBar");
        assert_eq!(names.claim("FooBar", ""), "FooBar2");
        assert_eq!(names.claim("FooBar", ""), "FooBar3");
        assert_eq!(names.claim("Reserved", ""), "Reserved2");
    }

    #[test]
    fn released_numbers_are_handed_out_again() {
        let mut names = NameSet::default();
        let claimed: Vec<String> = (0..5).map(|_| names.claim("A", "_")).collect();
        assert_eq!(claimed, ["A", "A_2", "A_3", "A_4", "A_5"]);
        names.release("A_3");
        assert_eq!(names.claim("A", "_"), "A_3");
        assert_eq!(names.claim("A", "_"), "A_6");
        // A numbered form claimed directly is skipped by later numbering.
        assert_eq!(names.claim("B2", ""), "B2");
        assert_eq!(names.claim("B", ""), "B");
        assert_eq!(names.claim("B", ""), "B3");
    }
}
