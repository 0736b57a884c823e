//! Parameters: non-body parameters keep their place with their value keywords moved into
//! `schema` and `collectionFormat` turned into `style`/`explode`; `body` and `formData`
//! parameters become the operation's request body.

use super::{local_reference, rewrite_reference, unescape, Converter, MediaTypes, Place};
use crate::error::{child_pointer, Diagnostic};
use serde_json::{Map, Value};

/// Keywords of a non-body parameter, an `items` object or a header that describe the value;
/// 3.0 keeps them in `schema`.
const VALUE_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

pub(super) fn is_value_keyword(key: &str) -> bool {
    VALUE_KEYWORDS.contains(&key)
}

/// Fields a 3.0 parameter keeps as they are (`deprecated` and `example` are not 2.0, but are
/// 3.0 and appear in real documents).
const PARAMETER_FIELDS: &[&str] = &["name", "in", "description", "required", "deprecated", "example"];

/// Keywords that describe an array value: a parameter read as one string drops them.
const ARRAY_KEYWORDS: &[&str] = &["items", "maxItems", "minItems", "uniqueItems", "enum"];

/// How an array parameter, header or form field is written on the wire in 3.0 terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// Not an array, or an unknown `in` (reported by the 3.0 deserializer): no style.
    Unset,
    /// The 3.0 `style` and `explode`.
    Set(&'static str, bool),
    /// A `collectionFormat` with no 3.0 style in this place: the value is read as one string.
    Unsplit,
}

/// A parameter, header or form field whose array has no 3.0 style, as a plain string: its type
/// is `string`, and the keywords of the array (and a default or example that is no string) go.
pub(super) fn unsplit(object: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in object {
        let dropped = ARRAY_KEYWORDS.contains(&key.as_str())
            || key == "collectionFormat"
            || (matches!(key.as_str(), "default" | "example") && !value.is_string());
        if key == "type" {
            out.insert(key.clone(), Value::from("string"));
        } else if !dropped {
            out.insert(key.clone(), value.clone());
        }
    }
    out
}

/// The media types a form body can be sent as.
const FORM_MEDIA_TYPES: &[&str] = &["application/x-www-form-urlencoded", "multipart/form-data"];

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum In {
    Body,
    FormData,
    Query,
    Header,
    Path,
    /// Unknown, missing, or a reference that does not resolve: passed through for the 3.0
    /// deserializer or lowering to report.
    Other,
}

impl In {
    fn of(param: &Value) -> In {
        match param.get("in").and_then(Value::as_str) {
            Some("body") => In::Body,
            Some("formData") => In::FormData,
            Some("query") => In::Query,
            Some("header") => In::Header,
            Some("path") => In::Path,
            _ => In::Other,
        }
    }

    fn word(self) -> &'static str {
        match self {
            In::Body => "body",
            In::FormData => "formData",
            In::Query => "query",
            In::Header => "header",
            In::Path => "path",
            In::Other => "other",
        }
    }
}

/// One entry of a parameter list, with a reference into `#/parameters` followed.
#[derive(Debug, Clone)]
pub(super) struct ParamEntry<'d> {
    /// The parameter object (the global one for a reference).
    pub value: &'d Value,
    /// Where the parameter object was written.
    pub origin: String,
    /// Where the list entry was written (the `$ref` for a reference).
    pub entry: String,
    /// For a reference to a global parameter: the reference text, rewritten for 3.0.
    pub reference: Option<String>,
    pub location: In,
}

impl ParamEntry<'_> {
    fn name(&self) -> Option<&str> {
        self.value.get("name").and_then(Value::as_str)
    }
}

/// The converted non-body parameters of a list and the body and form entries taken out of it.
pub(super) struct SplitParams<'d> {
    pub params: Vec<Value>,
    pub bodies: Vec<ParamEntry<'d>>,
}

impl<'d> Converter<'d> {
    /// Splits a path-level or operation-level parameter list; `list` is its place.
    pub(super) fn split_params(&mut self, list: &'d [Value], place: &Place) -> Result<SplitParams<'d>, Diagnostic> {
        let mut params = Vec::new();
        let mut bodies = Vec::new();
        for (index, param) in list.iter().enumerate() {
            let entry = self.resolve_param(param, &child_pointer(&place.old, &index.to_string()))?;
            if matches!(entry.location, In::Body | In::FormData) {
                bodies.push(entry);
                continue;
            }
            let at = Place { new: child_pointer(&place.new, &params.len().to_string()), old: entry.entry.clone() };
            self.record(&at);
            params.push(match &entry.reference {
                Some(reference) => super::reference_object(reference.clone()),
                None => self.parameter(param, entry.location, &at)?,
            });
        }
        Ok(SplitParams { params, bodies })
    }

    fn resolve_param(&self, param: &'d Value, pointer: &str) -> Result<ParamEntry<'d>, Diagnostic> {
        let direct = ParamEntry { value: param, origin: pointer.to_string(), entry: pointer.to_string(), reference: None, location: In::of(param) };
        let Some(reference) = param.get("$ref") else { return Ok(direct) };
        let text = local_reference(reference, &child_pointer(pointer, "$ref"))?;
        let rewritten = Some(rewrite_reference(text));
        let target = text.strip_prefix("#/parameters/").and_then(|token| {
            let name = unescape(token);
            self.global("parameters", &name).map(|value| (name, value))
        });
        Ok(match target {
            Some((name, value)) => ParamEntry {
                value,
                origin: child_pointer("#/parameters", &name),
                entry: pointer.to_string(),
                reference: rewritten,
                location: In::of(value),
            },
            // Kept as a reference: lowering reports it as dangling at the entry.
            None => ParamEntry { reference: rewritten, location: In::Other, ..direct },
        })
    }

    /// A non-body parameter: its value keywords become `schema`, `collectionFormat` becomes
    /// `style`/`explode`.
    pub(super) fn parameter(&mut self, param: &Value, location: In, place: &Place) -> Result<Value, Diagnostic> {
        let Value::Object(param) = param else { return Ok(param.clone()) };
        if let Some(reference) = param.get("$ref") {
            let text = local_reference(reference, &child_pointer(&place.old, "$ref"))?;
            return Ok(super::reference_object(rewrite_reference(text)));
        }
        let mut out = Map::new();
        for (key, value) in param {
            match key.as_str() {
                key if PARAMETER_FIELDS.contains(&key) || (key.starts_with("x-") && key != "x-nullable") => {
                    out.insert(key.to_string(), value.clone());
                }
                "allowEmptyValue" if location == In::Query => {
                    out.insert(key.clone(), value.clone());
                }
                "allowEmptyValue" => self.warn(
                    &child_pointer(&place.old, key),
                    format!("`allowEmptyValue` applies to query parameters in OpenAPI 3.0; dropped from this {} parameter", location.word()),
                ),
                key if VALUE_KEYWORDS.contains(&key) || key == "collectionFormat" || key == "schema" => {}
                _ => self.ignore_field(place, key, "parameter"),
            }
        }
        let style = self.style(param, location, place)?;
        if let Style::Set(style, explode) = style {
            out.insert("style".into(), Value::from(style));
            out.insert("explode".into(), Value::Bool(explode));
        }
        let schema = match style {
            Style::Unsplit => self.parameter_schema(&unsplit(param), place)?,
            _ => self.parameter_schema(param, place)?,
        };
        out.insert("schema".into(), schema);
        // An example of the array is no example of the string.
        if style == Style::Unsplit && out.get("example").is_some_and(|example| !example.is_string()) {
            out.shift_remove("example");
        }
        Ok(Value::Object(out))
    }

    /// The schema of a non-body parameter. A `schema` field is not 2.0 for these, but when a
    /// document has one and no `type`, it is what the author meant.
    fn parameter_schema(&mut self, param: &Map<String, Value>, place: &Place) -> Result<Value, Diagnostic> {
        match param.get("schema") {
            Some(schema) if !param.contains_key("type") => self.schema(schema, &place.child("schema")),
            _ => {
                let schema_place = place.wrapped(&["schema"]);
                self.record(&schema_place);
                self.value_schema(param, &schema_place, &[])
            }
        }
    }

    /// The value keywords of a parameter, header or form field as a schema (plus the `extra`
    /// fields named), with nested `collectionFormat`s checked and dropped.
    pub(super) fn value_schema(&mut self, object: &Map<String, Value>, place: &Place, extra: &[&str]) -> Result<Value, Diagnostic> {
        let mut schema = Map::new();
        for (key, value) in object {
            if VALUE_KEYWORDS.contains(&key.as_str()) || extra.contains(&key.as_str()) {
                let value = if key == "items" { self.strip_item_formats(value, &child_pointer(&place.old, key))? } else { value.clone() };
                schema.insert(key.clone(), value);
            }
        }
        self.schema(&Value::Object(schema), place)
    }

    /// Arrays nested in `items` take the outer array's serialization in 3.0; their own
    /// `collectionFormat` cannot be kept.
    fn strip_item_formats(&mut self, items: &Value, pointer: &str) -> Result<Value, Diagnostic> {
        let Value::Object(map) = items else { return Ok(items.clone()) };
        let mut out = map.clone();
        if let Some(format) = out.remove("collectionFormat") {
            let format_at = child_pointer(pointer, "collectionFormat");
            let format = collection_format(Some(&format), &format_at)?;
            if map.get("type").and_then(Value::as_str) == Some("array") && format != Some("csv") {
                self.warn(
                    &format_at,
                    "a nested array's `collectionFormat` has no OpenAPI 3.0 equivalent; its items are serialized as the outer array's; dropped",
                );
            }
        }
        if let Some(inner) = map.get("items") {
            out.insert("items".into(), self.strip_item_formats(inner, &child_pointer(pointer, "items"))?);
        }
        Ok(Value::Object(out))
    }

    /// `collectionFormat` as 3.0 `style` and `explode`, for array parameters only. A format 3.0
    /// has no style for in that place (`tsv` anywhere; anything but `csv` in a path parameter or
    /// a header) is read as one string, with a warning.
    pub(super) fn style(&mut self, param: &Map<String, Value>, location: In, place: &Place) -> Result<Style, Diagnostic> {
        let at = child_pointer(&place.old, "collectionFormat");
        let format = collection_format(param.get("collectionFormat"), &at)?;
        if param.get("type").and_then(Value::as_str) != Some("array") {
            if format.is_some() {
                self.warn(&at, "`collectionFormat` applies to arrays only; ignored");
            }
            return Ok(Style::Unset);
        }
        let (style, explode) = match (location, format.unwrap_or("csv")) {
            (In::Query | In::FormData, "csv") => ("form", false),
            (In::Query | In::FormData, "multi") => ("form", true),
            (In::Query | In::FormData, "ssv") => ("spaceDelimited", false),
            (In::Query | In::FormData, "pipes") => ("pipeDelimited", false),
            (In::Path | In::Header, "csv") => ("simple", false),
            (In::Query | In::FormData | In::Path | In::Header, other) => {
                let place = match location {
                    In::Path => "path parameter",
                    In::Header => "header",
                    In::FormData => "form field",
                    _ => "query parameter",
                };
                self.warn(
                    &at,
                    format!(
                        "collectionFormat `{other}` has no OpenAPI 3.0 style in a {place}: the value is read as one \
                         string and not split into items (their type and the array's constraints are not checked)"
                    ),
                );
                return Ok(Style::Unsplit);
            }
            // Wrong or missing `in`: the 3.0 deserializer reports the parameter itself.
            _ => return Ok(Style::Unset),
        };
        Ok(Style::Set(style, explode))
    }

    /// A `body` parameter as a request body with its schema under every consumed media type.
    /// Without the `schema` 2.0 requires, the parameter's value keywords (`type`, ...) are read
    /// as the schema, as its author wrote them for one; without those either, any body.
    pub(super) fn request_body(&mut self, param: &Value, consumes: &MediaTypes, place: &Place) -> Result<Value, Diagnostic> {
        self.record(place);
        let Value::Object(param) = param else { return Ok(param.clone()) };
        let schema = param.get("schema");
        if schema.is_none() {
            let keywords: Vec<String> = param.keys().filter(|key| VALUE_KEYWORDS.contains(&key.as_str())).map(|key| format!("`{key}`")).collect();
            let reading = match keywords.as_slice() {
                [] => "read as a body of any value".to_string(),
                _ => format!("its {} read as the body's schema", keywords.join(", ")),
            };
            self.warn(&place.old, format!("a `body` parameter needs a `schema` describing the body; {reading}"));
        }
        let mut out = Map::new();
        for (key, value) in param {
            match key.as_str() {
                "description" | "required" => {
                    out.insert(key.clone(), value.clone());
                }
                key if key.starts_with("x-") => {
                    out.insert(key.to_string(), value.clone());
                }
                "name" | "in" | "schema" => {}
                key if schema.is_none() && VALUE_KEYWORDS.contains(&key) => {}
                _ => self.ignore_field(place, key, "body parameter"),
            }
        }
        let mut content = Map::new();
        for media_type in &consumes.list {
            self.record_media_type(place, consumes, media_type);
            let new = place.wrapped(&["content", media_type, "schema"]).new;
            let mut media = Map::new();
            let converted = match schema {
                Some(schema) => {
                    let schema_place = Place { new, old: child_pointer(&place.old, "schema") };
                    self.record(&schema_place);
                    self.schema(schema, &schema_place)?
                }
                None => {
                    let schema_place = Place { new, old: place.old.clone() };
                    self.record(&schema_place);
                    self.value_schema(param, &schema_place, &[])?
                }
            };
            media.insert("schema".into(), converted);
            content.insert(media_type.clone(), Value::Object(media));
        }
        out.insert("content".into(), Value::Object(content));
        Ok(Value::Object(out))
    }

    /// `formData` parameters as one object schema under the form media types the operation
    /// consumes. `place` is the request body's: new `.../requestBody`, old the operation.
    pub(super) fn form_body(&mut self, fields: &[ParamEntry<'d>], consumes: &MediaTypes, place: &Place) -> Result<Value, Diagnostic> {
        let media_types = self.form_media_types(fields, consumes);
        let mut content = Map::new();
        for media_type in &media_types {
            self.record_media_type(place, consumes, media_type);
            let media_place = place.wrapped(&["content", media_type]);
            content.insert(media_type.clone(), self.form_media(fields, &media_place)?);
        }
        let mut out = Map::new();
        if fields.iter().any(|field| field.value.get("required") == Some(&Value::Bool(true))) {
            out.insert("required".into(), Value::Bool(true));
        }
        out.insert("content".into(), Value::Object(content));
        Ok(Value::Object(out))
    }

    /// The form media types of `consumes`; without any, multipart when a file is uploaded and
    /// URL-encoded otherwise (Swagger 2.0's rule for `formData`).
    fn form_media_types(&mut self, fields: &[ParamEntry<'d>], consumes: &MediaTypes) -> Vec<String> {
        let (form, other): (Vec<&String>, Vec<&String>) =
            consumes.list.iter().partition(|media| FORM_MEDIA_TYPES.contains(&media.as_str()));
        if let (Some(pointer), false) = (&consumes.declared, other.is_empty()) {
            let listed: Vec<String> = other.iter().map(|media| format!("`{media}`")).collect();
            self.warn(
                pointer,
                format!(
                    "formData parameters travel as a form; {} in `consumes` cannot carry them and is left out of the request body",
                    listed.join(", ")
                ),
            );
        }
        if !form.is_empty() {
            return form.into_iter().cloned().collect();
        }
        let uploads = fields.iter().any(|field| field.value.get("type").and_then(Value::as_str) == Some("file"));
        vec![if uploads { "multipart/form-data" } else { "application/x-www-form-urlencoded" }.to_string()]
    }

    fn form_media(&mut self, fields: &[ParamEntry<'d>], place: &Place) -> Result<Value, Diagnostic> {
        let schema_place = place.wrapped(&["schema"]);
        // The form's object schema is made of the operation's formData parameters; its fields
        // map to each parameter below.
        self.record(&Place { new: schema_place.new.clone(), old: child_pointer(&place.old, "parameters") });
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for field in fields {
            let Some(name) = field.name() else {
                return Err(Diagnostic::invalid(&field.origin, "a formData parameter needs a `name`"));
            };
            let Value::Object(param) = field.value else { continue };
            let field_place = Place { new: schema_place.wrapped(&["properties", name]).new, old: field.origin.clone() };
            self.record(&field_place);
            self.form_field_warnings(param, &field_place);
            let style = self.style(param, In::FormData, &field_place)?;
            if let Style::Set(style, explode) = style {
                encoding.insert(name.to_string(), serde_json::json!({ "style": style, "explode": explode }));
            }
            let extra: Vec<&str> = param.keys().map(String::as_str).filter(|key| *key == "description" || key.starts_with("x-")).collect();
            let schema = match style {
                Style::Unsplit => self.value_schema(&unsplit(param), &field_place, &extra)?,
                _ => self.value_schema(param, &field_place, &extra)?,
            };
            properties.insert(name.to_string(), schema);
            if param.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::from(name));
            }
        }
        let mut schema = Map::new();
        schema.insert("type".into(), Value::from("object"));
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        // formData fields are parameters: a closed list, so a field the operation does not
        // declare is refused, as an undeclared query parameter is.
        schema.insert("additionalProperties".into(), Value::Bool(false));
        let mut media = Map::new();
        media.insert("schema".into(), Value::Object(schema));
        if !encoding.is_empty() {
            media.insert("encoding".into(), Value::Object(encoding));
        }
        Ok(Value::Object(media))
    }

    fn form_field_warnings(&mut self, param: &Map<String, Value>, place: &Place) {
        for key in param.keys() {
            match key.as_str() {
                "allowEmptyValue" => self.warn(
                    &child_pointer(&place.old, key),
                    "`allowEmptyValue` has no OpenAPI 3.0 equivalent for form fields; dropped",
                ),
                "name" | "in" | "required" | "description" | "collectionFormat" => {}
                key if VALUE_KEYWORDS.contains(&key) || key.starts_with("x-") => {}
                _ => self.ignore_field(place, key, "formData parameter"),
            }
        }
    }

    /// `#/parameters`: body parameters become `requestBodies`, the others `parameters`; form
    /// fields are merged into the bodies of the operations that use them.
    pub(super) fn global_parameters(&mut self) -> Result<(Option<Value>, Option<Value>), Diagnostic> {
        let Some(globals) = self.root.get("parameters") else { return Ok((None, None)) };
        let Value::Object(globals) = globals else {
            self.record(&Place::moved("#/components/parameters", "#/parameters"));
            return Ok((Some(globals.clone()), None));
        };
        let consumes = self.consumes.clone();
        let mut params = Map::new();
        let mut bodies = Map::new();
        for (name, param) in globals {
            let old = child_pointer("#/parameters", name);
            match In::of(param) {
                In::Body => {
                    let place = Place::moved(&child_pointer("#/components/requestBodies", name), &old);
                    bodies.insert(name.clone(), self.request_body(param, &consumes, &place)?);
                }
                In::FormData => {}
                location => {
                    let place = Place::moved(&child_pointer("#/components/parameters", name), &old);
                    self.record(&place);
                    params.insert(name.clone(), self.parameter(param, location, &place)?);
                }
            }
        }
        let wrap = |map: Map<String, Value>| if map.is_empty() { None } else { Some(Value::Object(map)) };
        Ok((wrap(params), wrap(bodies)))
    }
}

/// A `collectionFormat` value, checked (a format 3.0 has no style for is judged where it is used).
fn collection_format<'v>(value: Option<&'v Value>, pointer: &str) -> Result<Option<&'v str>, Diagnostic> {
    let Some(value) = value else { return Ok(None) };
    match value.as_str() {
        Some(format @ ("csv" | "ssv" | "tsv" | "pipes" | "multi")) => Ok(Some(format)),
        Some(other) => Err(Diagnostic::invalid(
            pointer,
            format!("unknown collectionFormat `{other}`; Swagger 2.0 defines csv, ssv, tsv, pipes and multi"),
        )),
        None => Err(Diagnostic::invalid(pointer, "`collectionFormat` must be a string such as \"csv\"")),
    }
}
