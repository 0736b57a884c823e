//! `$ref` lookup for every component kind, with dangling and cyclic references reported.

use crate::error::{child_pointer, Diagnostic};
use indexmap::IndexMap;
use openapiv3::ReferenceOr;

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

/// Follows a chain of references in one component map to the item, reporting dangling refs and
/// cycles. Returns the item with the pointer where it is defined.
pub fn resolve<'a, T>(
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    kind: &str,
    start: &'a ReferenceOr<T>,
    at: &str,
) -> Result<(&'a T, String), Diagnostic> {
    let mut current = start;
    let mut pointer = at.to_string();
    let mut seen: Vec<String> = Vec::new();
    loop {
        match current {
            ReferenceOr::Item(item) => return Ok((item, pointer)),
            ReferenceOr::Reference { reference } => {
                let ref_at = child_pointer(&pointer, "$ref");
                let name = component_name(reference, kind, &ref_at)?;
                if seen.contains(&name) {
                    seen.push(name);
                    return Err(Diagnostic::invalid(
                        &ref_at,
                        format!("$ref cycle with no {kind} in it: {}", seen.join(" -> ")),
                    ));
                }
                let Some(next) = map.and_then(|m| m.get(&name)) else {
                    return Err(Diagnostic::invalid(
                        &ref_at,
                        format!("dangling $ref `{reference}`: there is no `{name}` in components.{kind}"),
                    ));
                };
                seen.push(name.clone());
                pointer = child_pointer(&format!("#/components/{kind}"), &name);
                current = next;
            }
        }
    }
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
