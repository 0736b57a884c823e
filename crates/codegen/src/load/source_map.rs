//! Pointers of a converted document back to the document the user wrote.
//!
//! Swagger 2.0 and OpenAPI 3.1 documents are converted to OpenAPI 3.0 before lowering, so later
//! diagnostics point into the converted tree. A converter records which subtrees it moved
//! (`#/components/schemas/Pet` came from `#/definitions/Pet`); reporting maps a pointer through
//! the longest recorded prefix, so the user sees a place in their own file.

/// Prefix renames from the converted document to the original one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// Converted prefix -> original prefix; the first recorded for a prefix is kept. A map,
    /// not a list: every `Spec:` pointer of a converted document is looked up, and a large
    /// Swagger 2.0 document records thousands of prefixes (a scan of them all for each pointer
    /// took longer than all the rest of the generator on a 4 MB one). Only looked up, never
    /// iterated, so its order cannot reach the output.
    renames: std::collections::HashMap<String, String>,
}

impl SourceMap {
    /// Records that the subtree at `converted` came from `original`.
    pub fn record(&mut self, converted: impl Into<String>, original: impl Into<String>) {
        self.renames.entry(converted.into()).or_insert_with(|| original.into());
    }

    /// Takes over `other`'s records; a prefix recorded by both keeps this map's original.
    pub fn extend(&mut self, other: SourceMap) {
        for (converted, original) in other.renames {
            self.record(converted, original);
        }
    }

    /// Whether nothing was moved (a 3.0 document, or a conversion that kept every place).
    pub fn is_identity(&self) -> bool {
        self.renames.is_empty()
    }

    /// The original pointer for a pointer into the converted document: the longest recorded
    /// prefix (matching whole tokens) is replaced; unmapped pointers are returned unchanged.
    pub fn original(&self, pointer: &str) -> String {
        // The pointer itself, then each prefix that ends before one of its `/`, longest first.
        let mut prefix = pointer;
        loop {
            if let Some(original) = self.renames.get(prefix) {
                return format!("{original}{}", &pointer[prefix.len()..]);
            }
            match prefix.rfind('/') {
                Some(end) => prefix = &pointer[..end],
                None => return pointer.to_string(),
            }
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
        assert_eq!(map.original("#/components/schemas"), "#/definitions");
    }

    #[test]
    fn the_first_record_of_a_prefix_is_kept() {
        let mut map = SourceMap::default();
        map.record("#/components/schemas/A", "#/definitions/A");
        map.record("#/components/schemas/A", "#/definitions/B");
        assert_eq!(map.original("#/components/schemas/A/type"), "#/definitions/A/type");
    }
}
