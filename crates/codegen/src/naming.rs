//! Names: casing, keyword escaping and collision handling, all in one place.
//!
//! Every Rust identifier the generator emits for a spec name comes from here, so the rules
//! (heck's casing, ASCII-only identifiers, keyword escaping, deterministic disambiguation) are
//! the same for types, fields, variants and operations.

mod case;

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
    let cased = case::upper_camel(&asciify(name));
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

/// The type name of each component schema key, in order: [`type_name`] of the key, without a
/// leading package (`io.k8s.api.core.v1.Pod` -> `Pod`, as Java, Go and Kubernetes specs name
/// their schemas after the package that declares them: 60-character type names otherwise).
/// The package is the dotted segments before the first one that begins with a capital, each
/// lowercase (`v1`, `api`); keys whose short names are the same type name keep one more
/// segment each until they differ (`V1Scale`, `V2Scale`), or until they are whole. Names that
/// still clash are numbered by the caller's [`NameSet`], as any other clash.
pub fn component_type_names(keys: &[&str]) -> Vec<String> {
    fn package_segment(segment: &str) -> bool {
        segment.starts_with(|c: char| c.is_ascii_lowercase())
            && segment.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    }
    let segments: Vec<Vec<&str>> = keys.iter().map(|key| key.split('.').collect()).collect();
    // Where each key's name starts, in segments.
    let mut starts: Vec<usize> = segments
        .iter()
        .map(|parts| {
            let package = parts.iter().take_while(|part| package_segment(part)).count();
            let named = parts.get(package).is_some_and(|part| part.starts_with(|c: char| c.is_ascii_uppercase()));
            if named && package > 0 { package } else { 0 }
        })
        .collect();
    let name = |parts: &[&str], start: usize| type_name(&parts[start..].join("."), "Type");
    // Each round lengthens every clashing name that can be, so it ends within the longest key.
    loop {
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, parts) in segments.iter().enumerate() {
            by_name.entry(name(parts, starts[index])).or_default().push(index);
        }
        let mut lengthened = false;
        for clashing in by_name.values().filter(|indices| indices.len() > 1) {
            for &index in clashing {
                if starts[index] > 0 {
                    starts[index] -= 1;
                    lengthened = true;
                }
            }
        }
        if !lengthened {
            break;
        }
    }
    segments.iter().zip(starts).map(|(parts, start)| name(parts, start)).collect()
}

/// `snake_case` field, method or module name for a spec name.
pub fn field_name(name: &str, fallback: &str) -> String {
    let cased = case::snake(&asciify(name));
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
    fn component_names_leave_out_the_package_they_are_declared_in() {
        let keys = [
            "io.k8s.api.core.v1.Pod",
            "io.k8s.api.autoscaling.v1.Scale",
            "io.k8s.api.autoscaling.v2.Scale",
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
            "ObjectMeta",
            "Chart.Axes.Details",
            "RL.ModelInput",
            "foo.bar",
            "com.example.Outer.Inner",
        ];
        assert_eq!(
            component_type_names(&keys),
            [
                "Pod",
                "V1Scale",
                "V2Scale",
                // Clashes with the key `ObjectMeta`, which cannot be longer.
                "V1ObjectMeta",
                "ObjectMeta",
                // Capitalised segments are part of the name, not a package.
                "ChartAxesDetails",
                "RlModelInput",
                "FooBar",
                "OuterInner",
            ]
        );
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
