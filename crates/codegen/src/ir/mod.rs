//! The intermediate representation: plain data between the spec and the emitters.
//!
//! Lowering (`lower/`) builds it from `openapiv3`; emitters (`emit/`) read only this. It holds
//! resolved Rust names next to the wire names they came from, and the spec pointer of every item,
//! so no emitter needs to look at the spec again. It covers what every generated crate needs:
//! types, constraints (validation), operations, parameters, responses and security (server and
//! client).

mod check;
mod display;
mod operation;
mod schema;

pub use check::*;
pub use operation::*;
pub use schema::*;

/// Index of a named type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Metadata from `info`.
    pub info: ApiInfo,
    /// Every named type, in spec order (component schemas first, then inline types in the order
    /// they were found).
    pub types: Vec<TypeDef>,
    /// Every operation, in spec order (paths, then methods in the spec's order).
    pub operations: Vec<Operation>,
    /// Server URLs from `servers`, as written.
    pub servers: Vec<String>,
    /// Security schemes from `components.securitySchemes`, in spec order.
    pub security_schemes: Vec<SecurityScheme>,
    /// The document's global `security` requirement.
    pub security: Vec<SecurityRequirement>,
    /// Some type contains itself (directly or through containers).
    pub recursive: bool,
    /// Validation view of every component schema, in the same order as the first
    /// `checks.len()` entries of `types`.
    pub checks: Vec<ComponentCheck>,
}

/// Metadata from the spec's `info` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiInfo {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version` as written.
    pub version: String,
    /// `info.license.name`.
    pub license: Option<String>,
}

impl Api {
    /// The type with this id.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}
