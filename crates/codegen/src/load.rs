//! Reading a spec: text (YAML or JSON) to a checked `openapiv3::OpenAPI`.
//!
//! This is the only module that knows the YAML crate. YAML is a superset of JSON, so one parser
//! reads both; syntax errors carry a line and column, and typed-model errors carry the JSON
//! pointer of the value that did not fit.

mod oas31;
mod source_map;
mod swagger2;

pub use source_map::SourceMap;

/// The schema extension that makes a schema a JSON value (`serde_json::Value`) in generated
/// code. The converters set it on schemas whose keywords have no precise Rust type (3.1
/// `if`/`then`/`else`, `patternProperties`, ...), with the reason as its value; authors may set
/// it too.
pub const JSON_VALUE_EXTENSION: &str = "x-codegen-json-value";

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
}

/// A document converted to OpenAPI 3.0 by one of the version converters.
pub(crate) struct Conversion {
    /// The OpenAPI 3.0 document.
    pub doc: serde_json::Value,
    /// Where the converted document's subtrees came from.
    pub source_map: SourceMap,
    /// Constructs the conversion dropped, each with its original pointer.
    pub warnings: Vec<Diagnostic>,
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
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|err| {
        let message = strip_location(&err.to_string());
        let location = match err.location() {
            Some(at) => {
                let (line, column) = duplicate_key_line(text, &message, at.line(), at.column()).unwrap_or((at.line(), at.column()));
                Location::Text { line, column }
            }
            None => Location::Document,
        };
        Diagnostic { kind: DiagnosticKind::Syntax, location, message }
    })?;
    yaml.apply_merge().map_err(|err| Diagnostic {
        kind: DiagnosticKind::Syntax,
        location: Location::Document,
        message: format!("cannot apply YAML merge keys: {err}"),
    })?;
    let raw = yaml_to_json(yaml, "#")?;
    let conversion = match check_version(&raw)? {
        Family::OpenApi30 => Conversion { doc: raw, source_map: SourceMap::default(), warnings: Vec::new() },
        Family::OpenApi31 => oas31::convert(raw)?,
        Family::Swagger20 => swagger2::convert(raw)?,
    };
    let Conversion { doc: raw, source_map, warnings } = conversion;
    let openapi = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(raw.clone()).map_err(|err| {
        let pointer = source_map.original(&path_to_pointer(err.path()));
        Diagnostic::invalid(&pointer, format!("not a valid OpenAPI 3.0 document: {}", err.inner()))
    })?;
    Ok(LoadedSpec { raw, openapi, source_map, warnings })
}

/// serde_yaml reports a duplicate key at the start of its mapping (`1:1` for a top-level key);
/// in a block mapping, the line of the second occurrence is where the user must look.
fn duplicate_key_line(text: &str, message: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    let quoted = message.split("duplicate entry with key ").nth(1)?;
    let quoted = quoted.trim();
    let key: String = serde_json::from_str(quoted).unwrap_or_else(|_| quoted.to_string());
    let indent = column.checked_sub(1)?;
    let spellings = [format!("{key}:"), format!("\"{key}\":"), format!("'{key}':")];
    let mut seen = 0;
    for (index, text_line) in text.lines().enumerate().skip(line.checked_sub(1)?) {
        let content = text_line.trim_start_matches(' ');
        let depth = text_line.len() - content.len();
        if content.is_empty() || content.starts_with('#') || depth > indent {
            continue;
        }
        if depth < indent && index + 1 > line {
            return None;
        }
        let content = content.strip_prefix("- ").filter(|_| index + 1 == line).unwrap_or(content);
        if spellings.iter().any(|s| content.starts_with(s.as_str())) {
            seen += 1;
            if seen == 2 {
                return Some((index + 1, indent + 1));
            }
        }
    }
    None
}

/// serde_yaml appends " at line L column C" to its messages; the location is reported separately.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
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

/// Converts YAML to JSON: keys become strings (YAML allows `200:` as an integer key), tags are
/// dropped, and non-finite floats are refused.
fn yaml_to_json(value: serde_yaml::Value, pointer: &str) -> Result<serde_json::Value, Diagnostic> {
    Ok(match value {
        serde_yaml::Value::Null => serde_json::Value::Null,
        serde_yaml::Value::Bool(flag) => serde_json::Value::Bool(flag),
        serde_yaml::Value::Number(number) => {
            if let Some(int) = number.as_i64() {
                serde_json::Value::from(int)
            } else if let Some(int) = number.as_u64() {
                serde_json::Value::from(int)
            } else {
                let float = number.as_f64().unwrap_or(f64::NAN);
                match serde_json::Number::from_f64(float) {
                    Some(number) => serde_json::Value::Number(number),
                    None => return Err(Diagnostic::invalid(pointer, "numbers must be finite (found NaN or infinity)")),
                }
            }
        }
        serde_yaml::Value::String(text) => serde_json::Value::String(text),
        serde_yaml::Value::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                out.push(yaml_to_json(item, &child_pointer(pointer, &index.to_string()))?);
            }
            serde_json::Value::Array(out)
        }
        serde_yaml::Value::Mapping(mapping) => {
            let mut out = serde_json::Map::with_capacity(mapping.len());
            for (key, item) in mapping {
                let key = match key {
                    serde_yaml::Value::String(text) => text,
                    serde_yaml::Value::Number(number) => number.to_string(),
                    serde_yaml::Value::Bool(flag) => flag.to_string(),
                    serde_yaml::Value::Null => "null".to_string(),
                    _ => return Err(Diagnostic::invalid(pointer, "mapping keys must be scalars")),
                };
                let child = yaml_to_json(item, &child_pointer(pointer, &key))?;
                out.insert(key, child);
            }
            serde_json::Value::Object(out)
        }
        serde_yaml::Value::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}
