//! Swagger 2.0 to OpenAPI 3.0 conversion, in the manner of swagger2openapi.
//!
//! The conversion works on plain JSON rather than on a typed 2.0 model: whatever it does not
//! need to understand is passed through, so the typed 3.0 deserializer reports wrong shapes at
//! the place they were written (through the source map) instead of this module guessing. Every
//! subtree that lands somewhere else in the 3.0 document is recorded in the source map, so later
//! diagnostics point into the user's file. Only invalid documents are refused (with their
//! original pointer); a construct with no 3.0 spelling is read the most conservative way (an
//! array with no 3.0 style is one string) and, like a construct dropped without changing
//! generated code, reported as a warning.

mod operations;
mod params;
mod schema;
mod security;
#[cfg(test)]
mod tests;

use super::{Conversion, SourceMap};
use crate::error::{child_pointer, Diagnostic};
use serde_json::{Map, Value};

/// What Swagger 2.0 assumes when neither the operation nor the document lists media types.
const DEFAULT_MEDIA_TYPE: &str = "application/json";

/// Top-level fields of a Swagger 2.0 document this converter reads.
const TOP_LEVEL: &[&str] = &[
    "swagger",
    "info",
    "host",
    "basePath",
    "schemes",
    "consumes",
    "produces",
    "paths",
    "definitions",
    "parameters",
    "responses",
    "securityDefinitions",
    "security",
    "tags",
    "externalDocs",
];

/// Converts a Swagger 2.0 document to OpenAPI 3.0.3.
pub(crate) fn convert(doc: Value) -> Result<Conversion, Diagnostic> {
    let Value::Object(root) = doc else {
        return Err(Diagnostic::invalid("#", "not a Swagger document: the top level must be a mapping"));
    };
    let mut converter = Converter::new(&root)?;
    let doc = converter.document()?;
    // A subtree converted once per media type reports its warnings once.
    let warnings = crate::error::first_occurrences(converter.warnings);
    let (source_map, typed_paths) = (converter.source_map, converter.typed_paths);
    Ok(Conversion { doc, source_map, warnings, original: Some(Value::Object(root)), typed_paths })
}

/// A position in both documents: where a subtree lands (`new`) and where it was written (`old`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    new: String,
    old: String,
}

impl Place {
    /// A subtree that keeps its position.
    fn same(pointer: &str) -> Place {
        Place { new: pointer.to_string(), old: pointer.to_string() }
    }

    /// A subtree that moves from `old` to `new`.
    fn moved(new: &str, old: &str) -> Place {
        Place { new: new.to_string(), old: old.to_string() }
    }

    /// The same child token on both sides.
    fn child(&self, token: &str) -> Place {
        Place { new: child_pointer(&self.new, token), old: child_pointer(&self.old, token) }
    }

    /// A level that exists only in the 3.0 document (`content/<media type>/schema`); its contents
    /// came from `old` itself.
    fn wrapped(&self, tokens: &[&str]) -> Place {
        let new = tokens.iter().fold(self.new.clone(), |pointer, token| child_pointer(&pointer, token));
        Place { new, old: self.old.clone() }
    }
}

/// The media types in effect for an operation, with where they were listed (for warnings).
#[derive(Debug, Clone, PartialEq, Eq)]
struct MediaTypes {
    /// Never empty: `application/json` when nothing is listed.
    list: Vec<String>,
    /// The pointer of the `consumes`/`produces` list, when the document has one.
    declared: Option<String>,
}

impl MediaTypes {
    fn defaulted(list: Vec<String>, declared: Option<String>) -> MediaTypes {
        let list = if list.is_empty() { vec![DEFAULT_MEDIA_TYPE.to_string()] } else { list };
        MediaTypes { list, declared }
    }
}

/// Conversion state: the original document, the global media types, and what was recorded.
struct Converter<'d> {
    root: &'d Map<String, Value>,
    consumes: MediaTypes,
    produces: MediaTypes,
    source_map: SourceMap,
    warnings: Vec<Diagnostic>,
    /// The converted path items in the typed model, when `paths` read them (see there).
    typed_paths: Option<crate::load::TypedPaths>,
}

impl<'d> Converter<'d> {
    fn new(root: &'d Map<String, Value>) -> Result<Self, Diagnostic> {
        let consumes = media_types(root.get("consumes"), "#/consumes", None)?;
        let produces = media_types(root.get("produces"), "#/produces", None)?;
        Ok(Converter { root, consumes, produces, source_map: SourceMap::default(), warnings: Vec::new(), typed_paths: None })
    }

    /// A converter for part of the same document, with no records or warnings of its own yet.
    fn fork(&self) -> Converter<'d> {
        Converter {
            root: self.root,
            consumes: self.consumes.clone(),
            produces: self.produces.clone(),
            source_map: SourceMap::default(),
            warnings: Vec::new(),
            typed_paths: None,
        }
    }

    /// Takes over what a [`fork`](Converter::fork) recorded, after what this one has.
    fn absorb(&mut self, part: Converter<'d>) {
        self.source_map.extend(part.source_map);
        self.warnings.extend(part.warnings);
    }

    /// Records that `place.new` came from `place.old` (when they differ).
    fn record(&mut self, place: &Place) {
        if place.new != place.old {
            self.source_map.record(place.new.clone(), place.old.clone());
        }
    }

    /// Records that the media type `media_type` of the converted `content` at `place` (a request
    /// body's or a response's) is the entry of the `consumes`/`produces` list that names it.
    fn record_media_type(&mut self, place: &Place, media_types: &MediaTypes, media_type: &str) {
        let Some(declared) = &media_types.declared else { return };
        let Some(index) = media_types.list.iter().position(|listed| listed == media_type) else { return };
        let new = place.wrapped(&["content", media_type]).new;
        self.source_map.record(new, child_pointer(declared, &index.to_string()));
    }

    /// Reports a construct that was read and dropped without changing generated code.
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic::unsupported(pointer, message));
    }

    /// Reports a field that has no place in the object it was found in.
    fn ignore_field(&mut self, object: &Place, key: &str, what: &str) {
        self.warn(&child_pointer(&object.old, key), format!("`{key}` is not a field of a Swagger 2.0 {what}; ignored"));
    }

    fn document(&mut self) -> Result<Value, Diagnostic> {
        let root = self.root;
        let mut out = Map::new();
        out.insert("openapi".into(), Value::from("3.0.3"));
        if let Some(info) = root.get("info") {
            out.insert("info".into(), info.clone());
        }
        if let Some(servers) = servers(root)? {
            out.insert("servers".into(), servers);
        }
        for key in ["tags", "externalDocs", "security"] {
            if let Some(value) = root.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        // Components first, so that warnings come in the order most documents are written.
        let components = self.components()?;
        if let Some(paths) = root.get("paths") {
            out.insert("paths".into(), self.paths(paths)?);
        }
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        for (key, value) in root {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            } else if !TOP_LEVEL.contains(&key.as_str()) {
                self.ignore_field(&Place::same("#"), key, "document");
            }
        }
        Ok(Value::Object(out))
    }

    fn components(&mut self) -> Result<Map<String, Value>, Diagnostic> {
        let root = self.root;
        let mut out = Map::new();
        if let Some(definitions) = root.get("definitions") {
            out.insert("schemas".into(), self.definitions(definitions)?);
        }
        let (parameters, bodies) = self.global_parameters()?;
        if let Some(parameters) = parameters {
            out.insert("parameters".into(), parameters);
        }
        if let Some(bodies) = bodies {
            out.insert("requestBodies".into(), bodies);
        }
        if let Some(responses) = root.get("responses") {
            out.insert("responses".into(), self.global_responses(responses)?);
        }
        if let Some(definitions) = root.get("securityDefinitions") {
            out.insert("securitySchemes".into(), self.security_schemes(definitions)?);
        }
        Ok(out)
    }

    fn definitions(&mut self, definitions: &Value) -> Result<Value, Diagnostic> {
        let place = Place::moved("#/components/schemas", "#/definitions");
        self.record(&place);
        let Value::Object(definitions) = definitions else { return Ok(definitions.clone()) };
        let mut out = Map::new();
        for (name, schema) in definitions {
            out.insert(name.clone(), self.schema(schema, &place.child(name))?);
        }
        Ok(Value::Object(out))
    }

    fn global_responses(&mut self, responses: &Value) -> Result<Value, Diagnostic> {
        let place = Place::moved("#/components/responses", "#/responses");
        self.record(&place);
        let Value::Object(responses) = responses else { return Ok(responses.clone()) };
        let produces = self.produces.clone();
        let mut out = Map::new();
        for (name, response) in responses {
            out.insert(name.clone(), self.response(response, &produces, &place.child(name))?);
        }
        Ok(Value::Object(out))
    }

    /// A global definition (`#/parameters/X` or `#/responses/X`) by its unescaped name.
    fn global(&self, section: &str, name: &str) -> Option<&'d Value> {
        self.root.get(section).and_then(Value::as_object).and_then(|map| map.get(name))
    }
}

/// `host`, `basePath` and `schemes` as 3.0 `servers`: one server per scheme; without a host
/// the base path alone, which 3.0 reads relative to where the document was served, as 2.0 does.
fn servers(root: &Map<String, Value>) -> Result<Option<Value>, Diagnostic> {
    let host = optional_string(root, "host")?;
    let base_path = optional_string(root, "basePath")?;
    let schemes = match root.get("schemes") {
        Some(value) => string_list(value, "#/schemes", "`schemes` must be a list such as [https]")?,
        None => Vec::new(),
    };
    let base = base_path.map(|path| path.trim_end_matches('/')).unwrap_or_default();
    // 2.0 requires the leading slash; without it the host and the path would run together.
    let base = if base.is_empty() || base.starts_with('/') { base.to_string() } else { format!("/{base}") };
    let urls: Vec<String> = match host {
        // Without schemes 2.0 uses the scheme the document was fetched with: a scheme-relative URL.
        Some(host) if schemes.is_empty() => vec![format!("//{host}{base}")],
        Some(host) => schemes.iter().map(|scheme| format!("{scheme}://{host}{base}")).collect(),
        None if base_path.is_none() => return Ok(None),
        None if base.is_empty() => vec!["/".to_string()],
        None => vec![base],
    };
    Ok(Some(Value::Array(urls.into_iter().map(|url| serde_json::json!({ "url": url })).collect())))
}

fn optional_string<'v>(root: &'v Map<String, Value>, key: &str) -> Result<Option<&'v str>, Diagnostic> {
    match root.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(Diagnostic::invalid(&child_pointer("#", key), format!("`{key}` must be a string"))),
    }
}

fn string_list(value: &Value, pointer: &str, message: &str) -> Result<Vec<String>, Diagnostic> {
    let Value::Array(items) = value else { return Err(Diagnostic::invalid(pointer, message)) };
    items
        .iter()
        .enumerate()
        .map(|(index, item)| match item {
            Value::String(text) => Ok(text.clone()),
            _ => Err(Diagnostic::invalid(&child_pointer(pointer, &index.to_string()), message)),
        })
        .collect()
}

/// A `consumes`/`produces` list; an operation's own list replaces the document's (`inherited`).
fn media_types(value: Option<&Value>, pointer: &str, inherited: Option<&MediaTypes>) -> Result<MediaTypes, Diagnostic> {
    match (value, inherited) {
        (Some(value), _) => {
            let message = "a media type list must be a list of strings such as [application/json]";
            Ok(MediaTypes::defaulted(string_list(value, pointer, message)?, Some(pointer.to_string())))
        }
        (None, Some(inherited)) => Ok(inherited.clone()),
        (None, None) => Ok(MediaTypes::defaulted(Vec::new(), None)),
    }
}

/// The reference text, refusing anything that is not a string or not inside this document.
fn local_reference<'v>(reference: &'v Value, pointer: &str) -> Result<&'v str, Diagnostic> {
    let Some(text) = reference.as_str() else {
        return Err(Diagnostic::invalid(pointer, "`$ref` must be a string such as \"#/definitions/Pet\""));
    };
    if text.trim().is_empty() {
        return Err(Diagnostic::invalid(
            pointer,
            "empty $ref: it names no target (it would mean the whole document); point it at `#/definitions/<name>`",
        ));
    }
    if !text.starts_with('#') {
        return Err(Diagnostic::unsupported(
            pointer,
            format!("external $ref `{text}`: only references inside the same document (`#/definitions/...`) are supported; bundle the spec into one file first"),
        ));
    }
    Ok(text)
}

/// Where 2.0 keeps each component kind, and where 3.0 does.
const REFERENCE_PREFIXES: &[(&str, &str)] = &[
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
    ("#/securityDefinitions/", "#/components/securitySchemes/"),
];

/// A local reference in 3.0 terms; references elsewhere are kept for lowering to judge.
fn rewrite_reference(text: &str) -> String {
    for (from, to) in REFERENCE_PREFIXES {
        if let Some(rest) = text.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    text.to_string()
}

/// The name a reference token stands for: RFC 6901 escapes and URI percent-encoding undone.
fn unescape(token: &str) -> String {
    let bytes = token.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = token.get(index + 1..index + 3).filter(|_| bytes[index] == b'%');
        if let Some(byte) = escaped.and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
            decoded.push(byte);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8_lossy(&decoded).replace("~1", "/").replace("~0", "~")
}

/// A `{"$ref": ...}` object.
fn reference_object(reference: String) -> Value {
    let mut out = Map::new();
    out.insert("$ref".into(), Value::String(reference));
    Value::Object(out)
}
