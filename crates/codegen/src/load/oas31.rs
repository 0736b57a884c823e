//! OpenAPI 3.1 to 3.0 mapping (placeholder: filled in by the OpenAPI 3.1 work).

use super::Conversion;
use crate::error::Diagnostic;

/// Maps an OpenAPI 3.1 document to OpenAPI 3.0.
pub(crate) fn convert(_doc: serde_json::Value) -> Result<Conversion, Diagnostic> {
    Err(Diagnostic::unsupported("#/openapi", "unsupported version: OpenAPI 3.1 documents are not supported yet"))
}
