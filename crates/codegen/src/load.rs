//! Reading a spec: text (YAML or JSON) to a checked `openapiv3::OpenAPI`.
//!
//! This is the only module that knows the YAML crate. The text is read once into a JSON tree
//! (`parse.rs`: JSON or YAML by content); syntax errors carry a line and column, and typed-model
//! errors carry the JSON pointer of the value that did not fit.

mod callbacks;
mod lenient;
mod locate;
mod oas31;
mod parse;
mod source_map;
mod swagger2;

pub use source_map::SourceMap;

/// The schema extension that makes a schema a JSON value (`serde_json::Value`) in generated
/// code. The converters set it on schemas whose keywords have no precise Rust type (3.1
/// `if`/`then`/`else`, `patternProperties`, ...), with the reason as its value; authors may set
/// it too.
pub const JSON_VALUE_EXTENSION: &str = "x-codegen-json-value";

use serde::Deserialize as _;
use crate::error::{child_pointer, Diagnostic, DiagnosticKind, Location};

/// A parsed spec: the raw JSON tree (kept for pointer lookups) and the typed model.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The document as plain JSON, in spec order.
    pub raw: serde_json::Value,
    /// The typed OpenAPI 3.0 model.
    pub openapi: openapiv3::OpenAPI,
    /// Maps pointers into `raw` back to the file the user wrote (identity for 3.0 documents).
    pub source_map: SourceMap,
    /// Constructs that were read but have no effect on generated code (such as 3.1 `webhooks`),
    /// reported so nothing is dropped silently.
    pub warnings: Vec<Diagnostic>,
    /// The document as written, when it was converted from another version. Nothing reads it;
    /// it is kept so that the caller can free it where that costs no time (on a large document
    /// freeing it takes a hundredth of a second).
    pub original: Option<serde_json::Value>,
}

/// A document converted to OpenAPI 3.0 by one of the version converters.
pub(crate) struct Conversion {
    /// The OpenAPI 3.0 document.
    pub doc: serde_json::Value,
    /// Where the converted document's subtrees came from.
    pub source_map: SourceMap,
    /// Constructs the conversion dropped, each with its original pointer.
    pub warnings: Vec<Diagnostic>,
    /// The document as written, when the conversion did not consume it: handed back to be freed
    /// later.
    pub original: Option<serde_json::Value>,
    /// `doc`'s path items, already read into the typed model when the converter did so as it
    /// made them (on its threads); `None` when they are still to be read.
    pub typed_paths: Option<TypedPaths>,
}


/// The document families the loader reads.
enum Family {
    OpenApi30,
    OpenApi31,
    Swagger20,
}

/// Parses spec text. `text` may be YAML or JSON.
pub fn load_str(text: &str) -> Result<LoadedSpec, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic {
            kind: DiagnosticKind::Invalid,
            location: Location::Document,
            message: "the file is empty; expected an OpenAPI 3.0 document".into(),
        });
    }
    let mut raw = parse::parse(text)?;
    let conversion = match check_version(&raw)? {
        Family::OpenApi30 => {
            let mut warnings = lenient::exclusive_bounds(&mut raw);
            warnings.extend(callbacks::warnings(&raw));
            Conversion { doc: raw, source_map: SourceMap::default(), warnings, original: None, typed_paths: None }
        }
        Family::OpenApi31 => oas31::convert(raw)?,
        Family::Swagger20 => swagger2::convert(raw)?,
    };
    let Conversion { doc: raw, source_map, warnings, original, typed_paths } = conversion;
    // Tracking the path of every value costs a third more than reading the document; it is only
    // needed to say where a document that does not read went wrong, so it is read again then.
    let openapi = match typed_model(&raw, text.len(), typed_paths) {
        Ok(openapi) => openapi,
        Err(plain) => {
            return Err(match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw) {
                Err(err) => {
                    let pointer = source_map.original(&locate::refine(&raw, path_to_pointer(err.path())));
                    Diagnostic::invalid(&pointer, format!("not a valid OpenAPI 3.0 document: {}", explain(&err.inner().to_string())))
                }
                Ok(_) => Diagnostic::invalid("#", format!("not a valid OpenAPI 3.0 document: {plain}")),
            });
        }
    };
    Ok(LoadedSpec { raw, openapi, source_map, warnings, original })
}

/// Documents from this size on are read into the typed model on two threads, and freed on
/// another thread than the one generating.
pub(crate) const PARALLEL_READ_BYTES: usize = 64 * 1024;

/// Path items read into the typed model, in document order (the keys of `paths` that start
/// with `/`).
pub(crate) type TypedPaths = Vec<(String, openapiv3::ReferenceOr<openapiv3::PathItem>)>;

/// The typed model of a document of `size` bytes, with its path items already read when a
/// converter read them as it made them (`read_paths`). A large one is read on two threads: the
/// other threads are idle until the document is read and lowered, and this read is a fifth of
/// that. A second thread reads the first path items, up to about half of the document's values;
/// this one reads the rest of them, the components and the rest of the document. Path items
/// are read one by one, as openapiv3's `Paths` reads them (the keys that start with `/`; those
/// that start with `x-` are its extensions), without first buffering the whole of `paths` as it
/// does.
fn typed_model(raw: &serde_json::Value, size: usize, read_paths: Option<TypedPaths>) -> Result<openapiv3::OpenAPI, serde_json::Error> {
    use openapiv3::{PathItem, ReferenceOr};
    use serde_json::Value;
    let whole = || openapiv3::OpenAPI::deserialize(raw);
    let (Value::Object(map), Some(Value::Object(paths))) = (raw, raw.get("paths")) else { return whole() };
    if size < PARALLEL_READ_BYTES && read_paths.is_none() {
        return whole();
    }
    let mut rest: serde_json::Map<String, Value> =
        map.iter().filter(|(key, _)| *key != "paths" && *key != "components").map(|(key, value)| (key.clone(), value.clone())).collect();
    rest.insert("paths".to_string(), Value::Object(serde_json::Map::new()));
    let items: Vec<(&String, &Value)> = match read_paths {
        Some(_) => Vec::new(),
        None => paths.iter().filter(|(key, _)| key.starts_with('/')).collect(),
    };
    // The first half by weight of the path items followed by the components, less the
    // components should the half reach them.
    let mut weights: Vec<usize> = items.iter().map(|(_, item)| values_in(item)).collect();
    weights.push(raw.get("components").map_or(0, values_in));
    let (first, second) = items.split_at(crate::threads::halfway(&weights).min(items.len()));
    let read = |items: &[(&String, &Value)]| -> Result<TypedPaths, serde_json::Error> {
        items.iter().map(|(key, item)| Ok(((*key).clone(), ReferenceOr::<PathItem>::deserialize(*item)?))).collect()
    };
    let (first, (second, rest, components)) = crate::threads::both(
        !first.is_empty(),
        || read(first),
        || {
            let rest = openapiv3::OpenAPI::deserialize(&Value::Object(rest));
            let components = raw.get("components").map(Option::<openapiv3::Components>::deserialize).transpose();
            (read(second), rest, components)
        },
    );
    let mut openapi = rest?;
    openapi.paths = openapiv3::Paths {
        paths: read_paths.unwrap_or_default().into_iter().chain(first?).chain(second?).collect(),
        extensions: paths.iter().filter(|(key, _)| key.starts_with("x-")).map(|(key, value)| (key.clone(), value.clone())).collect(),
    };
    openapi.components = components?.flatten();
    Ok(openapi)
}

/// How many JSON values a tree holds (itself included): the weight of reading it.
pub(crate) fn values_in(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Object(map) => 1 + map.values().map(values_in).sum::<usize>(),
        serde_json::Value::Array(items) => 1 + items.iter().map(values_in).sum::<usize>(),
        _ => 1,
    }
}

/// A typed-model error in the words of the document: a YAML number too large for a float was
/// read as text (`invalid type: string "1e400", expected ...`), though the author wrote a number.
fn explain(message: &str) -> String {
    let text = message.strip_prefix("invalid type: string \"").and_then(|rest| rest.split_once('"')).map(|(text, _)| text);
    match text {
        Some(text) if text.parse::<f64>().is_ok_and(f64::is_infinite) && !text.to_ascii_lowercase().contains("inf") => {
            format!("the number {text} is out of range (beyond ±1.8e308)")
        }
        _ => message.to_string(),
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Map { key } => pointer = child_pointer(&pointer, key),
            serde_path_to_error::Segment::Seq { index } => pointer = child_pointer(&pointer, &index.to_string()),
            serde_path_to_error::Segment::Enum { variant } => pointer = child_pointer(&pointer, variant),
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    pointer
}

/// Tells the document family from its version field; refuses unknown versions by name.
fn check_version(raw: &serde_json::Value) -> Result<Family, Diagnostic> {
    let Some(object) = raw.as_object() else {
        return Err(Diagnostic::invalid("#", "not an OpenAPI document: the top level must be a mapping"));
    };
    if let Some(swagger) = object.get("swagger") {
        // YAML reads an unquoted `swagger: 2.0` as a number.
        if swagger.as_str() == Some("2.0") || swagger.as_f64() == Some(2.0) {
            return Ok(Family::Swagger20);
        }
        return Err(Diagnostic::unsupported(
            "#/swagger",
            format!(
                "unsupported version: Swagger {}; this generator reads Swagger 2.0 and OpenAPI 3.0/3.1 documents",
                display_scalar(swagger)
            ),
        ));
    }
    let Some(version) = object.get("openapi") else {
        return Err(Diagnostic::invalid(
            "#",
            "not an OpenAPI document: the `openapi` version field is missing",
        ));
    };
    let Some(version) = version.as_str() else {
        return Err(Diagnostic::invalid("#/openapi", "the `openapi` version must be a string such as \"3.0.3\""));
    };
    if version.starts_with("3.0.") || version == "3.0" {
        return Ok(Family::OpenApi30);
    }
    if version.starts_with("3.1.") || version == "3.1" {
        return Ok(Family::OpenApi31);
    }
    Err(Diagnostic::unsupported(
        "#/openapi",
        format!("unsupported version: OpenAPI {version}; this generator reads OpenAPI 3.0.x and 3.1.x (and Swagger 2.0) documents"),
    ))
}

fn display_scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
