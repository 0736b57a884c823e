//! The validation view of schemas: every keyword kept, component references kept as references.

use super::{Constraints, TypeId};
use serde_json::Value;

/// The JSON types a schema can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonKind {
    /// `string`
    String,
    /// `number`
    Number,
    /// `integer`
    Integer,
    /// `boolean`
    Boolean,
    /// `object`
    Object,
    /// `array`
    Array,
}

/// A schema as the validation crate sees it: every keyword kept, references kept as references
/// (so recursive schemas stay finite).
#[derive(Debug, Clone, PartialEq)]
pub enum CheckNode {
    /// A component schema, by its index in [`Api::checks`](super::Api::checks).
    Ref(usize),
    /// An inline schema.
    Inline(Box<SchemaCheck>),
}

/// Every validation keyword of one schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaCheck {
    /// JSON pointer of the schema.
    pub pointer: String,
    /// `type`.
    pub kind: Option<JsonKind>,
    /// `nullable: true`.
    pub nullable: bool,
    /// `readOnly: true`.
    pub read_only: bool,
    /// `writeOnly: true`.
    pub write_only: bool,
    /// `enum` (a `null` member is kept only when `nullable`).
    pub enumeration: Vec<Value>,
    /// An `enum` with no value left (`enum: []`, or only `null` without `nullable`): no value
    /// is valid.
    pub no_value: bool,
    /// Scalar, array and object size keywords.
    pub constraints: Constraints,
    /// `properties`, in spec order, each with whether it is read-only or write-only.
    pub properties: Vec<PropertyCheck>,
    /// `required`.
    pub required: Vec<String>,
    /// `additionalProperties`: `None` allows anything.
    pub additional: Option<AdditionalCheck>,
    /// `items`.
    pub items: Option<CheckNode>,
    /// `allOf`.
    pub all_of: Vec<CheckNode>,
    /// `oneOf`.
    pub one_of: Vec<CheckNode>,
    /// `anyOf`.
    pub any_of: Vec<CheckNode>,
    /// `not`.
    pub not: Option<CheckNode>,
    /// The discriminator of a `oneOf`/`anyOf`: property name and tag -> branch index.
    pub discriminator: Option<(String, Vec<(String, usize)>)>,
}

/// One property of an object check.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyCheck {
    /// The JSON name.
    pub name: String,
    /// The property's schema.
    pub node: CheckNode,
    /// The property (or the schema it references) is `readOnly`.
    pub read_only: bool,
    /// The property (or the schema it references) is `writeOnly`.
    pub write_only: bool,
}

/// `additionalProperties` for validation.
#[derive(Debug, Clone, PartialEq)]
pub enum AdditionalCheck {
    /// `false`.
    Denied,
    /// A schema every other property must match.
    Schema(CheckNode),
}

/// A component schema's validation entry point.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentCheck {
    /// The component key.
    pub spec_name: String,
    /// The generated type's index in [`Api::types`](super::Api::types), for typed parsing.
    pub type_id: TypeId,
    /// The schema.
    pub check: SchemaCheck,
}
