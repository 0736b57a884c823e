//! `$ref` lookup for every component kind, with dangling and cyclic references reported.

use crate::error::{child_pointer, Diagnostic};
use indexmap::IndexMap;
use openapiv3::ReferenceOr;
use std::borrow::Cow;

/// Parses a local reference `#/components/<kind>/<name>` and returns the name, unescaped.
pub fn component_name(reference: &str, kind: &str, at: &str) -> Result<String, Diagnostic> {
    if reference.trim().is_empty() {
        return Err(Diagnostic::invalid(
            at,
            format!("empty $ref: it names no target (it would mean the whole document); point it at `#/components/{kind}/<name>`"),
        ));
    }
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(Diagnostic::unsupported(
            at,
            format!("external $ref `{reference}`: only references inside the same document (`#/components/...`) are supported; bundle the spec into one file first"),
        ));
    };
    let prefix = format!("/components/{kind}/");
    let Some(name) = fragment.strip_prefix(prefix.as_str()) else {
        return Err(Diagnostic::unsupported(
            at,
            format!("$ref `{reference}` must point at `#/components/{kind}/<name>` here"),
        ));
    };
    if name.contains('/') {
        return Err(Diagnostic::unsupported(
            at,
            format!("$ref `{reference}` points inside a component; only whole components can be referenced"),
        ));
    }
    Ok(unescape(name))
}

/// Undoes RFC 6901 escaping and URI percent-encoding of one pointer token.
fn unescape(token: &str) -> String {
    let bytes = token.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            if let Some(byte) = token.get(index + 1..index + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                decoded.push(byte);
                index += 3;
                continue;
            }
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&decoded).replace("~1", "/").replace("~0", "~")
}

/// Follows a chain of references to the item, reporting dangling refs and cycles. Returns the
/// item with the pointer where it is defined. References to `#/components/<kind>/<name>` are
/// looked up in `map`; other local pointers (`#/paths/~1a/get/parameters/0`) are read from the
/// raw document.
pub fn resolve<'a, T: Clone + serde::de::DeserializeOwned>(
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    raw: &serde_json::Value,
    kind: &str,
    start: &'a ReferenceOr<T>,
    at: &str,
) -> Result<(Cow<'a, T>, String), Diagnostic> {
    let mut current: Cow<'a, ReferenceOr<T>> = Cow::Borrowed(start);
    let mut pointer = at.to_string();
    // In order, for the message; and as a set, so that a long chain is not quadratic.
    let mut seen: Vec<String> = Vec::new();
    let mut seen_set: std::collections::HashSet<String> = std::collections::HashSet::new();
    loop {
        let reference = match current {
            Cow::Borrowed(ReferenceOr::Item(item)) => return Ok((Cow::Borrowed(item), pointer)),
            Cow::Owned(ReferenceOr::Item(item)) => return Ok((Cow::Owned(item), pointer)),
            Cow::Borrowed(ReferenceOr::Reference { reference }) => reference.clone(),
            Cow::Owned(ReferenceOr::Reference { reference }) => reference,
        };
        let ref_at = child_pointer(&pointer, "$ref");
        let component = component_name(&reference, kind, &ref_at);
        // The chain is shown by component names where it runs through components.
        let shown = component.clone().unwrap_or_else(|_| reference.clone());
        if !seen_set.insert(shown.clone()) {
            seen.push(shown);
            return Err(Diagnostic::invalid(&ref_at, format!("$ref cycle with no {kind} in it: {}", seen.join(" -> "))));
        }
        seen.push(shown);
        match component {
            Ok(name) => {
                let Some(next) = map.and_then(|m| m.get(&name)) else {
                    return Err(Diagnostic::invalid(
                        &ref_at,
                        format!("dangling $ref `{reference}`: there is no `{name}` in components.{kind}"),
                    ));
                };
                pointer = child_pointer(&format!("#/components/{kind}"), &name);
                current = Cow::Borrowed(next);
            }
            Err(err) => {
                // A local pointer outside `components.<kind>` is as good a reference.
                let Some(target) = local_pointer(&reference) else { return Err(err) };
                let Some(value) = raw.pointer(&target) else {
                    return Err(Diagnostic::invalid(&ref_at, format!("dangling $ref `{reference}`: nothing at that pointer")));
                };
                let next: ReferenceOr<T> = serde_json::from_value(value.clone()).map_err(|e| {
                    Diagnostic::invalid(&ref_at, format!("$ref `{reference}` does not point at one of {kind}: {e}"))
                })?;
                pointer = format!("#{target}");
                current = Cow::Owned(next);
            }
        }
    }
}

/// The JSON pointer of a same-document reference (`#/a/b`), percent-decoded.
pub fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    if !fragment.starts_with('/') {
        return None;
    }
    let bytes = fragment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            if let Some(byte) = fragment.get(index + 1..index + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                decoded.push(byte);
                index += 3;
                continue;
            }
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(decoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unescaped() {
        assert_eq!(component_name("#/components/schemas/a~1b~0c", "schemas", "#").ok(), Some("a/b~c".into()));
        assert_eq!(component_name("#/components/schemas/a%20b", "schemas", "#").ok(), Some("a b".into()));
        assert!(component_name("other.yaml#/components/schemas/A", "schemas", "#").is_err());
        assert!(component_name("#/components/schemas/A/properties/b", "schemas", "#").is_err());
    }
}
