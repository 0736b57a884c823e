//! Named types and use-site types: what each schema becomes in Rust.

use super::TypeId;
use serde_json::Value;

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name (unique across the crate).
    pub name: String,
    /// The spec name it came from (component key, or a derived name for inline schemas).
    pub spec_name: String,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// JSON pointer of the schema.
    pub origin: String,
    /// The schema's `example`, if any.
    pub example: Option<Value>,
    /// What the type is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructDef),
    /// A closed set of strings.
    StringEnum(Vec<EnumVariant<String>>),
    /// A closed set of integers.
    IntegerEnum(Vec<EnumVariant<i64>>),
    /// `oneOf`/`anyOf`: one of several types.
    Union(UnionDef),
    /// A named wrapper around another type (component schemas that are arrays or maps).
    Newtype(TypeRef, Constraints),
    /// A plain alias (component schemas that are primitives or references).
    Alias(TypeRef, Constraints),
}

/// An object type.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Properties in spec order.
    pub fields: Vec<Field>,
    /// What happens with properties not listed.
    pub additional: Additional,
    /// `minProperties`/`maxProperties`.
    pub constraints: Constraints,
    /// Parts of the object that are not properties of its own: the `oneOf`/`anyOf` next to
    /// `properties`, and `allOf` members that are unions. Each is a `#[serde(flatten)]` field,
    /// so the object's JSON holds its own properties and those of the part side by side.
    pub flattened: Vec<FlattenedField>,
}

/// A field that holds a part of its object's JSON (`#[serde(flatten)]`).
#[derive(Debug, Clone, PartialEq)]
pub struct FlattenedField {
    /// The Rust field name.
    pub name: String,
    /// The part's type: a union, or a struct that has flattened parts itself.
    pub ty: TypeRef,
    /// Wrapped in `Box` to break a containment cycle.
    pub boxed: bool,
    /// Documentation.
    pub doc: Option<String>,
    /// JSON pointer of the schema the part comes from.
    pub origin: String,
}

/// Treatment of properties that a struct does not list.
#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    /// `additionalProperties` absent: allowed by the schema, not kept by the type.
    Ignored,
    /// `additionalProperties: false`: refused.
    Denied,
    /// `additionalProperties: true` or a schema: kept in a map.
    Map(TypeRef),
}

/// One property of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The JSON property name.
    pub wire: String,
    /// The type, without the `Option` that optionality or nullability adds.
    pub ty: TypeRef,
    /// Listed in `required`, and required both ways: a `readOnly` property is required only
    /// in responses and a `writeOnly` one only in requests, so theirs is `Option` (the other
    /// direction leaves them out; validation still requires them where the spec does).
    pub required: bool,
    /// Listed in `required` but `readOnly` or `writeOnly`: required one way only.
    pub required_one_way: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// `readOnly: true`.
    pub read_only: bool,
    /// `writeOnly: true`.
    pub write_only: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Wrapped in `Box` to break a containment cycle.
    pub boxed: bool,
    /// The spec's `default`.
    pub default: Option<Value>,
    /// Documentation.
    pub doc: Option<String>,
    /// JSON pointer of the property schema.
    pub origin: String,
    /// Value constraints of the property schema.
    pub constraints: Constraints,
}

/// One value of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant<T> {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub wire: T,
}

/// A union of types.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    /// The discriminator property, when the spec names one and every variant is a reference.
    pub discriminator: Option<String>,
    /// The variants, in spec order.
    pub variants: Vec<UnionVariant>,
    /// `oneOf` (exactly one must match) or `anyOf` (at least one).
    pub exclusive: bool,
}

/// One arm of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The type it holds.
    pub ty: TypeRef,
    /// Discriminator values that select this variant.
    pub tags: Vec<String>,
    /// Wrapped in `Box` to break a containment cycle.
    pub boxed: bool,
}

/// A reference to a type at a use site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    /// A named type from [`Api::types`](super::Api::types).
    Named(TypeId),
    /// A built-in scalar.
    Builtin(Builtin),
    /// An array.
    Vec(Box<TypeRef>),
    /// A string-keyed map, in insertion order.
    Map(Box<TypeRef>),
    /// A value that may also be `null` (only inside arrays and maps; fields carry `nullable`).
    Nullable(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

/// Built-in scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Builtin {
    /// `string`.
    String,
    /// `string`, `format: date-time`.
    DateTime,
    /// `string`, `format: date`.
    Date,
    /// `string`, `format: uuid`.
    Uuid,
    /// `boolean`.
    Bool,
    /// `integer`, `format: int8`.
    I8,
    /// `integer`, `format: int16`.
    I16,
    /// `integer`, `format: int32`.
    I32,
    /// `integer`, `format: int64` or no format.
    I64,
    /// `integer`, `format: uint8`.
    U8,
    /// `integer`, `format: uint16`.
    U16,
    /// `integer`, `format: uint32`.
    U32,
    /// `integer`, `format: uint64`.
    U64,
    /// `number` (any format; `f64` keeps every JSON number that `f32` would round).
    F64,
}

/// Validation keywords of one schema position. Empty for most positions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `format`, as written.
    pub format: Option<String>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern` (ECMA-262).
    pub pattern: Option<String>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum: true`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum: true`.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
}
