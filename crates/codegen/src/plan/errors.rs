//! The body of the 400s (and other errors) the generated server answers itself.
//!
//! The schema is chosen explicitly: the one a setting names, else the one every documented 400
//! response of the spec references (when they agree), else the generator's default body
//! (`{"errors": [{"field", "pointer", "keyword", "message"}]}`). The chosen schema is then
//! filled where it has room for the errors: a map of field names to message lists (the desk
//! `Validator`), or a single message text. A chosen schema with no such room is reported, and
//! the server answers the default body.

use crate::error::Diagnostic;
use crate::ir::{Additional, Api, Builtin, Status, TypeDef, TypeId, TypeKind, TypeRef};
use crate::plan::body::is_json;

/// What the server's own error responses look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorBody {
    /// `{"errors": [{"field", "pointer", "keyword", "message"}, ...]}`.
    Default,
    /// A schema of the spec, filled as `fill` says.
    Schema {
        /// The component type.
        type_id: TypeId,
        /// Where the errors go.
        fill: ErrorFill,
    },
}

/// Where the errors go in the chosen schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorFill {
    /// A field that maps each offending field to its messages (`{"errors": {"name": ["must be set"]}}`).
    FieldMap {
        /// The Rust field.
        field: String,
        /// Whether the field is an `Option`.
        optional: bool,
    },
    /// A field that lists one object per error, whose text fields take the error's parts.
    List {
        /// The Rust field.
        field: String,
        /// Whether the field is an `Option`.
        optional: bool,
        /// The item type.
        item: TypeId,
        /// The item's fields and what each gets.
        parts: Vec<(String, ErrorPart, bool)>,
    },
    /// A text field that gets every error, `field: message`, joined with `; `.
    Message {
        /// The Rust field.
        field: String,
        /// Whether the field is an `Option`.
        optional: bool,
    },
}

/// A part of one validation error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPart {
    /// The field name (`contact.value`, `body`).
    Field,
    /// The message.
    Message,
    /// The JSON pointer.
    Pointer,
    /// The keyword that failed.
    Keyword,
}

/// Chooses the error body: `named` (a component schema's name, from the settings) first, then
/// the schema the spec's 400 responses agree on. Returns a warning when the chosen schema
/// cannot hold the errors.
pub fn choose(api: &Api, named: Option<&str>) -> (ErrorBody, Option<Diagnostic>) {
    let chosen = match named {
        Some(name) => component_named(api, name),
        None => agreed_400_schema(api),
    };
    choose_type(api, chosen, &[])
}

/// The component schema `name` names (`server.error_schema`): by its key, or by its type's name
/// (`Status` for `io.k8s.apimachinery.pkg.apis.meta.v1.Status`), as the `types.*` settings do.
pub fn component_named(api: &Api, name: &str) -> Option<TypeId> {
    let components = || api.types.iter().take(api.checks.len());
    components().position(|def| def.spec_name == name).or_else(|| components().position(|def| def.name == name)).map(TypeId)
}

/// Chooses the error body from a schema already found (`None`: the one the spec's 400 responses
/// agree on). A type replaced by the settings (`replaced[id]`) cannot be filled: the generated
/// crates cannot implement the conversion for a type of another crate.
pub fn choose_type(api: &Api, named: Option<TypeId>, replaced: &[bool]) -> (ErrorBody, Option<Diagnostic>) {
    let is_replaced = |id: TypeId| replaced.get(id.0).copied().unwrap_or(false);
    let Some(type_id) = named.or_else(|| agreed_400_schema(api)) else { return (ErrorBody::Default, None) };
    let def = api.ty(type_id);
    if is_replaced(type_id) {
        return (
            ErrorBody::Default,
            Some(Diagnostic::unsupported(
                &def.origin,
                format!(
                    "`{}` is the 400 schema, but the settings replace it by a type of another crate; the server answers its \
                     default body `{{\"errors\": [{{\"field\", \"pointer\", \"keyword\", \"message\"}}]}}`",
                    def.spec_name
                ),
            )),
        );
    }
    match fill_of(api, def, &is_replaced) {
        Some(fill) => (ErrorBody::Schema { type_id, fill }, None),
        None => (
            ErrorBody::Default,
            Some(Diagnostic::invalid(
                &def.origin,
                format!(
                    "`{}` is the 400 schema, but has no field the server can put its errors in (a map of field \
                     names to message lists, or a required text such as `message`); the server answers its default body \
                     `{{\"errors\": [{{\"field\", \"pointer\", \"keyword\", \"message\"}}]}}`",
                    def.spec_name
                ),
            )),
        ),
    }
}

/// The component schema every documented 400 JSON response references, when there is one and
/// they all agree.
fn agreed_400_schema(api: &Api) -> Option<TypeId> {
    let mut found: Option<TypeId> = None;
    for response in api.operations.iter().flat_map(|op| &op.responses).filter(|r| r.status == Status::Code(400)) {
        let Some(media) = response.content.iter().find(|m| is_json(&m.media_type)) else { continue };
        let Some(TypeRef::Named(id)) = &media.ty else { return None };
        match found {
            Some(other) if other != *id => return None,
            _ => found = Some(*id),
        }
    }
    found.filter(|id| id.0 < api.checks.len())
}

/// Where a struct can hold the errors, if anywhere.
fn fill_of(api: &Api, def: &TypeDef, is_replaced: &dyn Fn(TypeId) -> bool) -> Option<ErrorFill> {
    let TypeKind::Struct(strukt) = &def.kind else { return None };
    // The conversion names every field; a map of other properties or a union part has no
    // value to give.
    if strukt.additional != Additional::Ignored && strukt.additional != Additional::Denied || !strukt.flattened.is_empty() {
        return None;
    }
    // Every other required field would need a value the server does not have.
    // (A required `readOnly` field is an `Option` in Rust but required in responses, which
    // this body is.)
    let fillable = |name: &str| strukt.fields.iter().all(|f| f.name == name || !required_in_responses(f) || f.nullable);
    let map = strukt.fields.iter().find(|field| {
        matches!(&field.ty, TypeRef::Map(value) if matches!(value.as_ref(), TypeRef::Vec(item) if item.as_ref() == &TypeRef::Builtin(Builtin::String)))
            && !field.nullable
            && !field.boxed
    });
    if let Some(field) = map.filter(|f| fillable(&f.name)) {
        return Some(ErrorFill::FieldMap { field: field.name.clone(), optional: !field.required });
    }
    for field in strukt.fields.iter().filter(|f| !f.nullable && !f.boxed && fillable(&f.name)) {
        let TypeRef::Vec(item) = &field.ty else { continue };
        let TypeRef::Named(item) = item.as_ref() else { continue };
        if is_replaced(*item) {
            continue;
        }
        if let Some(parts) = error_parts(api.ty(*item)) {
            return Some(ErrorFill::List { field: field.name.clone(), optional: !field.required, item: *item, parts });
        }
    }
    let text = strukt.fields.iter().find(|field| {
        field.ty == TypeRef::Builtin(Builtin::String)
            && !field.nullable
            && matches!(field.wire.as_str(), "message" | "detail" | "error" | "description" | "title")
    });
    text.filter(|f| fillable(&f.name)).map(|field| ErrorFill::Message { field: field.name.clone(), optional: !field.required })
}

/// Whether a response must carry the field: required both ways, or required and `readOnly`.
fn required_in_responses(field: &crate::ir::Field) -> bool {
    field.required || (field.required_one_way && field.read_only)
}

/// The fields of an error object that take the parts of one error, when every required field
/// takes one and the message has a place.
fn error_parts(def: &TypeDef) -> Option<Vec<(String, ErrorPart, bool)>> {
    let TypeKind::Struct(strukt) = &def.kind else { return None };
    if strukt.additional != Additional::Ignored && strukt.additional != Additional::Denied || !strukt.flattened.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    for field in &strukt.fields {
        let part = match field.wire.to_ascii_lowercase().as_str() {
            "field" | "name" | "path" | "property" | "parameter" | "param" | "loc" | "location" => Some(ErrorPart::Field),
            "message" | "detail" | "description" | "reason" | "msg" => Some(ErrorPart::Message),
            "pointer" => Some(ErrorPart::Pointer),
            "keyword" | "code" | "type" => Some(ErrorPart::Keyword),
            _ => None,
        };
        match part {
            Some(part) if field.ty == TypeRef::Builtin(Builtin::String) && !field.nullable => {
                parts.push((field.name.clone(), part, !field.required));
            }
            _ if required_in_responses(field) && !field.nullable => return None,
            _ => {}
        }
    }
    parts.iter().any(|(_, part, _)| *part == ErrorPart::Message).then_some(parts)
}
