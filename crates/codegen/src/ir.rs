//! The intermediate representation: plain data between the spec and the emitters.
//!
//! Lowering (`lower/`) builds it from `openapiv3`; emitters (`emit/`) read only this. It holds
//! resolved Rust names next to the wire names they came from, and the spec pointer of every item,
//! so no emitter needs to look at the spec again. It covers what every generated crate needs:
//! types, constraints (validation), operations, parameters, responses and security (server and
//! client).

use serde_json::Value;

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
    /// Listed in `required`.
    pub required: bool,
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
    /// A named type from [`Api::types`].
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

/// HTTP methods OpenAPI 3.0 knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or one derived from method and path when the spec has none.
    pub id: String,
    /// snake_case Rust name (unique).
    pub rust_name: String,
    /// HTTP method.
    pub method: Method,
    /// The path template as written, e.g. `/desk/api/v2/conversations/{id}.json`.
    pub path: String,
    /// The path split into literal text and parameters.
    pub segments: Vec<PathSegment>,
    /// Tags, in spec order.
    pub tags: Vec<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Path, query, header and cookie parameters, merged from path item and operation.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// Responses, in spec order.
    pub responses: Vec<Response>,
    /// `None` inherits the global requirement; `Some(vec![])` means open (`security: []`).
    pub security: Option<Vec<SecurityRequirement>>,
    /// JSON pointer of the operation.
    pub origin: String,
}

/// Part of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text.
    Literal(String),
    /// A `{name}` placeholder.
    Param(String),
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

/// Serialization style of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamStyle {
    /// `simple`
    Simple,
    /// `label`
    Label,
    /// `matrix`
    Matrix,
    /// `form`
    Form,
    /// `spaceDelimited`
    SpaceDelimited,
    /// `pipeDelimited`
    PipeDelimited,
    /// `deepObject`
    DeepObject,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub wire: String,
    /// The Rust field name (unique within the operation).
    pub rust_name: String,
    /// Where it travels.
    pub location: ParamLocation,
    /// Whether it must be sent.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Its constraints.
    pub constraints: Constraints,
    /// Its schema for validation.
    pub check: CheckNode,
    /// The media type when the parameter uses `content` instead of `schema` (its value is then
    /// that encoding of the schema's value, e.g. JSON text).
    pub content: Option<String>,
    /// `style`, with the spec's default for the location filled in.
    pub style: ParamStyle,
    /// `explode`, with the spec's default for the style filled in.
    pub explode: bool,
    /// `default` of its schema.
    pub default: Option<Value>,
    /// Documentation.
    pub doc: Option<String>,
    /// JSON pointer of the parameter.
    pub origin: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// `required`.
    pub required: bool,
    /// Media types in spec order.
    pub content: Vec<MediaBody>,
    /// Documentation.
    pub doc: Option<String>,
}

/// One media type of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaBody {
    /// The media type, e.g. `application/json`.
    pub media_type: String,
    /// The schema for validation.
    pub check: Option<CheckNode>,
    /// The schema's type; `None` when the media type has no schema.
    pub ty: Option<TypeRef>,
    /// Examples given for this media type (`example` and `examples`), with their pointers.
    pub examples: Vec<(String, Value)>,
    /// How properties of a form body are written, for those its `encoding` names.
    pub encoding: Vec<FieldEncoding>,
}

/// The `encoding` of one property of a form body: `style` and `explode`, the spec's defaults
/// (`form`, exploded) filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEncoding {
    /// The property.
    pub name: String,
    /// `style`.
    pub style: ParamStyle,
    /// `explode`.
    pub explode: bool,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// `1XX` .. `5XX`.
    Range(u8),
    /// `default`.
    Default,
}

/// One documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status it covers.
    pub status: Status,
    /// `description`.
    pub description: String,
    /// Media types in spec order.
    pub content: Vec<MediaBody>,
    /// Declared headers.
    pub headers: Vec<ResponseHeader>,
}

/// A declared response header.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// Header name.
    pub wire: String,
    /// Rust field name.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// `required`.
    pub required: bool,
    /// Documentation.
    pub doc: Option<String>,
}

/// A security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The key in `components.securitySchemes`.
    pub name: String,
    /// What it is.
    pub kind: SecuritySchemeKind,
    /// Documentation.
    pub doc: Option<String>,
}

/// The kinds of security scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecuritySchemeKind {
    /// `http`, `bearer`.
    HttpBearer,
    /// `http`, `basic`.
    HttpBasic,
    /// `http` with another scheme.
    HttpOther(String),
    /// `apiKey`.
    ApiKey {
        /// Where the key travels.
        location: ParamLocation,
        /// The header, query or cookie name.
        name: String,
    },
    /// `oauth2` (the token travels as a bearer token).
    OAuth2,
    /// `openIdConnect` (the token travels as a bearer token).
    OpenIdConnect,
}

/// One alternative of a security requirement: all named schemes together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityRequirement {
    /// Scheme names with their scopes.
    pub schemes: Vec<(String, Vec<String>)>,
}

impl Api {
    /// The type with this id.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

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
    /// A component schema, by its index in [`Api::checks`].
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
    /// The generated type's index in [`Api::types`], for typed parsing.
    pub type_id: TypeId,
    /// The schema.
    pub check: SchemaCheck,
}

impl std::fmt::Display for Method {
    /// The method as HTTP writes it (`GET`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        })
    }
}

impl std::fmt::Display for Status {
    /// The status as the spec writes it: `200`, `4XX`, `default`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(range) => write!(f, "{range}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

impl std::fmt::Display for ParamLocation {
    /// The location as the spec writes it (`query`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        })
    }
}

impl Builtin {
    /// The Rust type a builtin is spelled as in generated code (`i64`, `chrono::NaiveDate`).
    pub fn rust_name(self) -> &'static str {
        match self {
            Builtin::String => "String",
            Builtin::DateTime => "chrono::DateTime<chrono::Utc>",
            Builtin::Date => "chrono::NaiveDate",
            Builtin::Uuid => "uuid::Uuid",
            Builtin::Bool => "bool",
            Builtin::I8 => "i8",
            Builtin::I16 => "i16",
            Builtin::I32 => "i32",
            Builtin::I64 => "i64",
            Builtin::U8 => "u8",
            Builtin::U16 => "u16",
            Builtin::U32 => "u32",
            Builtin::U64 => "u64",
            Builtin::F64 => "f64",
        }
    }
}

impl std::fmt::Display for ParamStyle {
    /// The style as the spec writes it (`deepObject`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ParamStyle::Simple => "simple",
            ParamStyle::Label => "label",
            ParamStyle::Matrix => "matrix",
            ParamStyle::Form => "form",
            ParamStyle::SpaceDelimited => "spaceDelimited",
            ParamStyle::PipeDelimited => "pipeDelimited",
            ParamStyle::DeepObject => "deepObject",
        })
    }
}

impl Param {
    /// Whether the decoded value always exists on the server: required, or a default fills it in.
    pub fn always_present(&self) -> bool {
        self.required || self.default.is_some()
    }
}
