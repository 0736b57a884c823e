//! Which media type of a request body the generated server and client type, and how it travels.
//!
//! The typed body is the first JSON media type; without one, the first
//! `application/x-www-form-urlencoded` media type whose schema is an object. A form media type
//! with the same schema as the JSON one is accepted too, so a server answers both encodings that
//! a spec lists (Swagger 2.0 `consumes: [application/json, application/x-www-form-urlencoded]`).
//! Without either, a `multipart/form-data` media type with an object schema is read into its
//! parts and checked against the schema (files cannot be typed fields). Every other body
//! (octet-stream, text, ...) stays bytes.

use crate::ir::{Api, CheckNode, JsonKind, MediaBody, Operation, ParamStyle, SchemaCheck};

/// `application/json`, `application/*+json`, `text/json` and the like.
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
}

/// `text/event-stream`: server-sent events.
pub fn is_event_stream(media_type: &str) -> bool {
    media_type.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("text/event-stream")
}

/// A binary media type, whose bodies the generated crates stream rather than hold:
/// `application/octet-stream`, `image/*`, `audio/*`, `video/*`, `font/*` and common archives
/// and documents (`application/pdf`, `application/zip`, `application/gzip`, ...). Text, JSON,
/// XML and forms are not.
pub fn is_binary(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/').unwrap_or((&essence, ""));
    match kind {
        "image" | "audio" | "video" | "font" => !subtype.ends_with("+xml") && !subtype.is_empty(),
        "application" => matches!(
            subtype,
            "octet-stream"
                | "pdf"
                | "zip"
                | "gzip"
                | "x-gzip"
                | "x-tar"
                | "x-bzip2"
                | "x-xz"
                | "zstd"
                | "x-7z-compressed"
                | "wasm"
                | "vnd.apache.parquet"
                | "x-protobuf"
                | "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
        _ => false,
    }
}

/// The media type of HTML forms.
pub const FORM_MEDIA_TYPE: &str = "application/x-www-form-urlencoded";

/// The media type of HTML forms with files.
pub const MULTIPART_MEDIA_TYPE: &str = "multipart/form-data";

/// A request body the generated code decodes into its schema's Rust type.
#[derive(Debug)]
pub struct TypedBody<'a> {
    /// The media type whose schema gives the Rust type and the check.
    pub media: &'a MediaBody,
    /// Whether it may be sent as JSON.
    pub json: bool,
    /// The form fields, when it may be sent form-encoded.
    pub form: Option<Vec<FormField>>,
}

/// One declared field of a form body.
#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    /// The field name on the wire (the schema's property name).
    pub name: String,
    /// The property's schema.
    pub node: CheckNode,
    /// Its `encoding` style, `form` when the spec names none.
    pub style: ParamStyle,
    /// Its `encoding` explode flag.
    pub explode: bool,
}

impl FormField {
    /// Whether the field is written the default way (`form`, exploded).
    pub fn is_default_encoding(&self) -> bool {
        self.style == ParamStyle::Form && self.explode
    }
}

/// The typed request body of an operation, if it has one.
pub fn typed_body<'a>(api: &Api, operation: &'a Operation) -> Option<TypedBody<'a>> {
    let content = &operation.body.as_ref()?.content;
    let media = typed_media(api, content)?;
    let form = content
        .iter()
        .find(|m| is_form(&m.media_type))
        .filter(|form| form.ty.is_some() && form.ty == media.ty)
        .and_then(|form| form_fields(api, form, form.check.as_ref()?));
    Some(TypedBody { media, json: is_json(&media.media_type), form })
}

/// The media type among `content` (a request body's) whose schema is the typed body.
fn typed_media<'a>(api: &Api, content: &'a [MediaBody]) -> Option<&'a MediaBody> {
    content.iter().find(|m| is_json(&m.media_type)).or_else(|| {
        content.iter().find(|m| is_form(&m.media_type)).filter(|media| {
            media.ty.is_some() && media.check.as_ref().and_then(|check| form_fields(api, media, check)).is_some()
        })
    })
}

/// A `multipart/form-data` request body: the media type and its fields (every field written the
/// default way: `encoding` styles apply to URL-encoded forms only).
#[derive(Debug)]
pub struct MultipartBody<'a> {
    /// The multipart media type.
    pub media: &'a MediaBody,
    /// Its schema's fields.
    pub fields: Vec<FormField>,
}

/// The multipart body of an operation, when it has no typed (JSON or URL-encoded) body.
pub fn multipart_body<'a>(api: &Api, operation: &'a Operation) -> Option<MultipartBody<'a>> {
    let content = &operation.body.as_ref()?.content;
    if typed_body(api, operation).is_some() {
        return None;
    }
    let media = content.iter().find(|m| is_multipart(&m.media_type))?;
    let mut fields = form_fields(api, media, media.check.as_ref()?)?;
    for field in &mut fields {
        field.style = ParamStyle::Form;
        field.explode = true;
    }
    Some(MultipartBody { media, fields })
}

/// The media type among `content` (a request body's) whose schema the generated code checks:
/// the typed one, else a multipart form with an object schema.
pub fn checked_media_in<'a>(api: &Api, content: &'a [MediaBody]) -> Option<&'a MediaBody> {
    typed_media(api, content).or_else(|| {
        content.iter().find(|m| is_multipart(&m.media_type)).filter(|media| {
            media.check.as_ref().and_then(|check| form_fields(api, media, check)).is_some()
        })
    })
}

/// `multipart/form-data`, with or without parameters.
pub fn is_multipart(media_type: &str) -> bool {
    media_type.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case(MULTIPART_MEDIA_TYPE)
}

/// The media type whose schema checks the request body: the typed one, else the multipart one.
pub fn checked_media<'a>(api: &Api, operation: &'a Operation) -> Option<(&'a MediaBody, &'static str)> {
    match typed_body(api, operation) {
        Some(typed) => Some((typed.media, if typed.json { "JSON" } else { "form" })),
        None => multipart_body(api, operation).map(|multipart| (multipart.media, "multipart")),
    }
}

/// `application/x-www-form-urlencoded`, with or without parameters.
pub fn is_form(media_type: &str) -> bool {
    media_type.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case(FORM_MEDIA_TYPE)
}

/// The fields of an object schema (through `allOf`), or `None` when it is not an object.
fn form_fields(api: &Api, media: &MediaBody, node: &CheckNode) -> Option<Vec<FormField>> {
    let check = resolve(api, node)?;
    let is_object = check.kind == Some(JsonKind::Object) || !check.properties.is_empty() || !check.all_of.is_empty();
    if !is_object {
        return None;
    }
    let mut fields = Vec::new();
    collect_fields(api, node, 0, &mut Vec::new(), &mut fields);
    for field in &mut fields {
        if let Some(encoding) = media.encoding.iter().find(|e| e.name == field.name) {
            field.style = encoding.style;
            field.explode = encoding.explode;
        }
    }
    Some(fields)
}

/// `seen` holds the components already walked, so that an `allOf` diamond is read once.
fn collect_fields(api: &Api, node: &CheckNode, depth: usize, seen: &mut Vec<usize>, fields: &mut Vec<FormField>) {
    if let CheckNode::Ref(index) = node {
        if seen.contains(index) {
            return;
        }
        seen.push(*index);
    }
    // Bounded like `resolve`: lowering has already refused cycles, this only guards the walk.
    let Some(check) = resolve(api, node).filter(|_| depth < 16) else {
        return;
    };
    for property in &check.properties {
        if !fields.iter().any(|f| f.name == property.name) {
            fields.push(FormField { name: property.name.clone(), node: property.node.clone(), style: ParamStyle::Form, explode: true });
        }
    }
    for part in &check.all_of {
        collect_fields(api, part, depth + 1, seen, fields);
    }
}

/// The JSON type of a schema, through references.
pub fn json_kind(api: &Api, node: &CheckNode) -> Option<JsonKind> {
    resolve(api, node).and_then(kind_of)
}

/// How text (a parameter, a form field, an array item) is read as a JSON value of a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// As it is.
    String,
    /// As an integer when it is one.
    Integer,
    /// As a number when it is one.
    Number,
    /// `true` / `false`.
    Boolean,
    /// As JSON when it is JSON (objects, arrays, `oneOf`/`anyOf` of several types).
    Json,
}

/// How text is read for a schema; `None` (no schema) reads it as it is.
pub fn text_kind(api: &Api, node: Option<&CheckNode>) -> TextKind {
    let Some(check) = node.and_then(|node| resolve(api, node)) else { return TextKind::String };
    match kind_of(check) {
        Some(JsonKind::Integer) => TextKind::Integer,
        Some(JsonKind::Number) => TextKind::Number,
        Some(JsonKind::Boolean) => TextKind::Boolean,
        Some(JsonKind::String) => TextKind::String,
        Some(JsonKind::Object | JsonKind::Array) => TextKind::Json,
        None if !check.one_of.is_empty() || !check.any_of.is_empty() => TextKind::Json,
        None => TextKind::String,
    }
}

/// The check a node stands for, through references and single-member `allOf` wrappers.
pub fn resolve<'a>(api: &'a Api, node: &'a CheckNode) -> Option<&'a SchemaCheck> {
    let mut current = node;
    for _ in 0..32 {
        let check = match current {
            CheckNode::Inline(check) => check,
            CheckNode::Ref(index) => &api.checks.get(*index)?.check,
        };
        if check.kind.is_none() && check.all_of.len() == 1 && check.properties.is_empty() {
            current = &check.all_of[0];
            continue;
        }
        return Some(check);
    }
    None
}

fn kind_of(check: &SchemaCheck) -> Option<JsonKind> {
    check.kind.or_else(|| check.enumeration.iter().all(|v| v.is_string()).then_some(JsonKind::String).filter(|_| !check.enumeration.is_empty()))
}
