//! Operations: paths, parameters, bodies, responses and security.

use super::{CheckNode, Constraints, TypeRef};
use serde_json::Value;

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
    /// JSON pointer of the media type object.
    pub origin: String,
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
