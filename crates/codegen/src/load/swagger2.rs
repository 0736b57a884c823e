//! Swagger 2.0 to OpenAPI 3.0 conversion (placeholder: filled in by the Swagger 2.0 work).

use super::Conversion;
use crate::error::Diagnostic;

/// Converts a Swagger 2.0 document to OpenAPI 3.0.
pub(crate) fn convert(_doc: serde_json::Value) -> Result<Conversion, Diagnostic> {
    Err(Diagnostic::unsupported(
        "#/swagger",
        "unsupported version: Swagger 2.0 documents are not supported yet; convert the document to OpenAPI 3.0 first",
    ))
}
