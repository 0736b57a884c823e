//! Pointers of a converted document back to the document the user wrote.
//!
//! Swagger 2.0 and OpenAPI 3.1 documents are converted to OpenAPI 3.0 before lowering, so later
//! diagnostics point into the converted tree. A converter records which subtrees it moved
//! (`#/components/schemas/Pet` came from `#/definitions/Pet`); reporting maps a pointer through
//! the longest recorded prefix, so the user sees a place in their own file.

/// Prefix renames from the converted document to the original one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// `(converted prefix, original prefix)`, in the order recorded.
    renames: Vec<(String, String)>,
}

impl SourceMap {
    /// Records that the subtree at `converted` came from `original`.
    pub fn record(&mut self, converted: impl Into<String>, original: impl Into<String>) {
        self.renames.push((converted.into(), original.into()));
    }

    /// Whether nothing was moved (a 3.0 document, or a conversion that kept every place).
    pub fn is_identity(&self) -> bool {
        self.renames.is_empty()
    }

    /// The original pointer for a pointer into the converted document: the longest recorded
    /// prefix (matching whole tokens) is replaced; unmapped pointers are returned unchanged.
    pub fn original(&self, pointer: &str) -> String {
        let mut best: Option<&(String, String)> = None;
        for entry in &self.renames {
            let prefix = entry.0.as_str();
            let matches = pointer == prefix
                || (pointer.starts_with(prefix) && pointer[prefix.len()..].starts_with('/'));
            if matches && best.is_none_or(|current| current.0.len() < prefix.len()) {
                best = Some(entry);
            }
        }
        match best {
            Some((converted, original)) => format!("{original}{}", &pointer[converted.len()..]),
            None => pointer.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SourceMap;

    #[test]
    fn longest_whole_token_prefix_wins() {
        let mut map = SourceMap::default();
        map.record("#/components/schemas", "#/definitions");
        map.record("#/components/schemas/Pet/properties/tag", "#/definitions/Pet/x-tag");
        assert_eq!(map.original("#/components/schemas/Pet/type"), "#/definitions/Pet/type");
        assert_eq!(map.original("#/components/schemas/Pet/properties/tag/type"), "#/definitions/Pet/x-tag/type");
        assert_eq!(map.original("#/components/schemasX"), "#/components/schemasX");
        assert_eq!(map.original("#/paths"), "#/paths");
    }
}
