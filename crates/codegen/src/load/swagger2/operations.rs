//! Paths, operations and responses: per-operation media types, request bodies gathered from
//! `body`/`formData` parameters (path level and operation level), responses with content per
//! produced media type, headers with schemas.

use super::params::{In, ParamEntry};
use super::{local_reference, media_types, rewrite_reference, unescape, Converter, MediaTypes, Place};
use crate::error::{child_pointer, Diagnostic};
use serde_json::{Map, Value};

/// The converted path items (the keys that start with `/`) read into the typed model; `None`
/// should one not read (the whole document is read again then, to say where).
fn typed_path_items(converted: &Map<String, Value>) -> Option<crate::load::TypedPaths> {
    use serde::Deserialize;
    converted
        .iter()
        .filter(|(path, _)| path.starts_with('/'))
        .map(|(path, item)| Some((path.clone(), openapiv3::ReferenceOr::<openapiv3::PathItem>::deserialize(item).ok()?)))
        .collect()
}

/// From how many values (objects, arrays and scalars) on `paths` is converted on two threads.
pub(super) const PARALLEL_PATH_VALUES: usize = 16 * 1024;

/// The operations of a Swagger 2.0 path item.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// Operation fields that are the same in 3.0.
const OPERATION_FIELDS: &[&str] = &["tags", "summary", "description", "externalDocs", "operationId", "deprecated", "security"];

impl<'d> Converter<'d> {
    /// The converted `paths`. Path items convert independently of each other, so those of a large
    /// document are converted on two threads, the first ones (up to half the values) on a second
    /// thread, each half by a converter of its own whose source map and warnings are then taken
    /// in document order: the result is the same as converting them one after the other. Each
    /// thread also reads its converted path items into the typed model (kept in `typed_paths`),
    /// which would otherwise be read on one thread after the conversion.
    pub(super) fn paths(&mut self, paths: &'d Value) -> Result<Value, Diagnostic> {
        let Value::Object(paths) = paths else { return Ok(paths.clone()) };
        let items: Vec<(&'d String, &'d Value)> = paths.iter().collect();
        let weights: Vec<usize> = items.iter().map(|(_, item)| crate::load::values_in(item)).collect();
        let large = weights.iter().sum::<usize>() >= PARALLEL_PATH_VALUES;
        let split = if large { crate::threads::halfway(&weights) } else { 0 };
        let (first, second) = items.split_at(split);
        let convert = |mut converter: Converter<'d>, items: &[(&'d String, &'d Value)]| {
            let converted = converter.path_items(items);
            let typed = match &converted {
                Ok(converted) if large => typed_path_items(converted),
                _ => None,
            };
            (converter, converted, typed)
        };
        let ((first_converter, first, first_typed), (second_converter, second, second_typed)) =
            crate::threads::both(!first.is_empty(), || convert(self.fork(), first), || convert(self.fork(), second));
        let mut out = first?;
        self.absorb(first_converter);
        out.extend(second?);
        self.absorb(second_converter);
        self.typed_paths = first_typed.zip(second_typed).map(|(mut first, second)| {
            first.extend(second);
            first
        });
        Ok(Value::Object(out))
    }

    /// Path items (and `paths` extensions) converted in order.
    fn path_items(&mut self, items: &[(&'d String, &'d Value)]) -> Result<Map<String, Value>, Diagnostic> {
        let mut out = Map::new();
        for (path, item) in items {
            let value = if path.starts_with("x-") {
                (*item).clone()
            } else {
                self.path_item(item, &Place::same(&child_pointer("#/paths", path)))?
            };
            out.insert((*path).clone(), value);
        }
        Ok(out)
    }

    fn path_item(&mut self, item: &'d Value, place: &Place) -> Result<Value, Diagnostic> {
        let Value::Object(item) = item else { return Ok(item.clone()) };
        let mut shared = Vec::new();
        let mut out = Map::new();
        if let Some(Value::Array(list)) = item.get("parameters") {
            let split = self.split_params(list, &place.child("parameters"))?;
            shared = split.bodies;
            if !split.params.is_empty() {
                out.insert("parameters".into(), Value::Array(split.params));
            }
        }
        for (key, value) in item {
            match key.as_str() {
                "$ref" => {
                    let text = local_reference(value, &child_pointer(&place.old, key))?;
                    out.insert(key.clone(), Value::String(rewrite_reference(text)));
                }
                "parameters" if !value.is_array() => {
                    out.insert(key.clone(), value.clone());
                }
                "parameters" => {}
                method if METHODS.contains(&method) => {
                    out.insert(key.clone(), self.operation(value, &place.child(key), &shared)?);
                }
                key if key.starts_with("x-") => {
                    out.insert(key.to_string(), value.clone());
                }
                _ => self.ignore_field(place, key, "path item"),
            }
        }
        Ok(Value::Object(out))
    }

    /// One operation; `shared` holds the path item's body and form parameters.
    fn operation(&mut self, operation: &'d Value, place: &Place, shared: &[ParamEntry<'d>]) -> Result<Value, Diagnostic> {
        let Value::Object(operation) = operation else { return Ok(operation.clone()) };
        let consumes = media_types(operation.get("consumes"), &child_pointer(&place.old, "consumes"), Some(&self.consumes))?;
        let produces = media_types(operation.get("produces"), &child_pointer(&place.old, "produces"), Some(&self.produces))?;
        let mut own = Vec::new();
        let mut out = Map::new();
        for (key, value) in operation {
            match key.as_str() {
                "parameters" => match value {
                    Value::Array(list) => {
                        let split = self.split_params(list, &place.child(key))?;
                        own = split.bodies;
                        if !split.params.is_empty() {
                            out.insert(key.clone(), Value::Array(split.params));
                        }
                    }
                    _ => {
                        out.insert(key.clone(), value.clone());
                    }
                },
                "responses" => {
                    out.insert(key.clone(), self.responses(value, &produces, &place.child(key))?);
                }
                "consumes" | "produces" => {}
                "schemes" => self.warn(
                    &child_pointer(&place.old, key),
                    "operation `schemes` are not used by the generated code (it takes the base URL from the caller); dropped",
                ),
                key if OPERATION_FIELDS.contains(&key) || key.starts_with("x-") => {
                    out.insert(key.to_string(), value.clone());
                }
                _ => self.ignore_field(place, key, "operation"),
            }
        }
        if let Some(body) = self.operation_body(shared, &own, &consumes, place)? {
            out.insert("requestBody".into(), body);
        }
        Ok(Value::Object(out))
    }

    /// The request body of an operation: its `body` parameter (the operation's own, else the
    /// path item's) or its form fields (the path item's, replaced by the operation's of the
    /// same name).
    fn operation_body(
        &mut self,
        shared: &[ParamEntry<'d>],
        own: &[ParamEntry<'d>],
        consumes: &MediaTypes,
        place: &Place,
    ) -> Result<Option<Value>, Diagnostic> {
        let body = match single_body(own)? {
            Some(body) => Some(body),
            None => single_body(shared)?,
        };
        let mut fields: Vec<ParamEntry<'d>> = Vec::new();
        for field in shared.iter().chain(own).filter(|entry| entry.location == In::FormData) {
            let name = field.value.get("name");
            match fields.iter_mut().find(|known| known.value.get("name") == name) {
                Some(known) => *known = field.clone(),
                None => fields.push(field.clone()),
            }
        }
        let body_place = place.wrapped(&["requestBody"]);
        match (body, fields.is_empty()) {
            (Some(body), false) => Err(Diagnostic::invalid(
                &body.entry,
                "an operation takes either one `body` parameter or `formData` parameters, not both; describe the form fields as properties of the body schema",
            )),
            (Some(body), true) => self.body_parameter(body, consumes, &body_place).map(Some),
            (None, false) => self.form_body(&fields, consumes, &body_place).map(Some),
            (None, true) => Ok(None),
        }
    }

    /// A `body` parameter: a reference to `#/components/requestBodies` when it is a global one
    /// and the operation consumes what the document does; otherwise converted in place, so
    /// the request body lists the operation's own media types.
    fn body_parameter(&mut self, body: &ParamEntry<'d>, consumes: &MediaTypes, place: &Place) -> Result<Value, Diagnostic> {
        if let Some(reference) = &body.reference {
            if consumes.list == self.consumes.list {
                self.record(&Place { new: place.new.clone(), old: body.entry.clone() });
                let name = reference.trim_start_matches("#/components/parameters/");
                return Ok(super::reference_object(format!("#/components/requestBodies/{name}")));
            }
        }
        self.request_body(body.value, consumes, &Place { new: place.new.clone(), old: body.origin.clone() })
    }

    fn responses(&mut self, responses: &'d Value, produces: &MediaTypes, place: &Place) -> Result<Value, Diagnostic> {
        let Value::Object(responses) = responses else { return Ok(responses.clone()) };
        let mut out = Map::new();
        for (code, response) in responses {
            let value = if code.starts_with("x-") {
                response.clone()
            } else {
                self.response_entry(response, produces, &place.child(code))?
            };
            out.insert(code.clone(), value);
        }
        Ok(Value::Object(out))
    }

    /// A response or a reference to a global one. The global response lists the document's
    /// media types; an operation that produces others gets its own copy.
    fn response_entry(&mut self, response: &'d Value, produces: &MediaTypes, place: &Place) -> Result<Value, Diagnostic> {
        let Some(reference) = response.get("$ref") else { return self.response(response, produces, place) };
        let text = local_reference(reference, &child_pointer(&place.old, "$ref"))?;
        let target = text.strip_prefix("#/responses/").and_then(|token| {
            let name = unescape(token);
            self.global("responses", &name).map(|value| (name, value))
        });
        if let Some((name, target)) = target {
            if produces.list != self.produces.list && has_body(target) {
                let copy = Place { new: place.new.clone(), old: child_pointer("#/responses", &name) };
                self.record(&copy);
                return self.response(target, produces, &copy);
            }
        }
        Ok(super::reference_object(rewrite_reference(text)))
    }

    pub(super) fn response(&mut self, response: &Value, produces: &MediaTypes, place: &Place) -> Result<Value, Diagnostic> {
        let Value::Object(response) = response else { return Ok(response.clone()) };
        if let Some(reference) = response.get("$ref") {
            let text = local_reference(reference, &child_pointer(&place.old, "$ref"))?;
            return Ok(super::reference_object(rewrite_reference(text)));
        }
        let mut out = Map::new();
        for (key, value) in response {
            match key.as_str() {
                "description" => {
                    out.insert(key.clone(), value.clone());
                }
                "headers" => {
                    out.insert(key.clone(), self.headers(value, &place.child(key))?);
                }
                key if key.starts_with("x-") => {
                    out.insert(key.to_string(), value.clone());
                }
                "schema" | "examples" => {}
                _ => self.ignore_field(place, key, "response"),
            }
        }
        if let Some(content) = self.response_content(response, produces, place)? {
            out.insert("content".into(), content);
        }
        Ok(Value::Object(out))
    }

    /// The schema under every produced media type, with the example given for that type.
    fn response_content(&mut self, response: &Map<String, Value>, produces: &MediaTypes, place: &Place) -> Result<Option<Value>, Diagnostic> {
        let examples = response.get("examples").and_then(Value::as_object);
        let Some(schema) = response.get("schema") else {
            if let Some(examples) = examples.filter(|examples| !examples.is_empty()) {
                let keys = examples.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                self.warn(&child_pointer(&place.old, "examples"), format!("examples ({keys}) of a response without a `schema` (no body); dropped"));
            }
            return Ok(None);
        };
        let mut content = Map::new();
        for media_type in &produces.list {
            self.record_media_type(place, produces, media_type);
            let schema_place = Place { new: place.wrapped(&["content", media_type, "schema"]).new, old: child_pointer(&place.old, "schema") };
            self.record(&schema_place);
            let mut media = Map::new();
            media.insert("schema".into(), self.schema(schema, &schema_place)?);
            if let Some(example) = examples.and_then(|examples| examples.get(media_type)) {
                let old = child_pointer(&child_pointer(&place.old, "examples"), media_type);
                self.record(&Place { new: place.wrapped(&["content", media_type, "example"]).new, old });
                media.insert("example".into(), example.clone());
            }
            content.insert(media_type.clone(), Value::Object(media));
        }
        for key in examples.into_iter().flat_map(|examples| examples.keys()) {
            if !produces.list.contains(key) {
                self.warn(
                    &child_pointer(&child_pointer(&place.old, "examples"), key),
                    format!("example for `{key}`, which the operation does not produce; dropped"),
                );
            }
        }
        Ok(Some(Value::Object(content)))
    }

    fn headers(&mut self, headers: &Value, place: &Place) -> Result<Value, Diagnostic> {
        let Value::Object(headers) = headers else { return Ok(headers.clone()) };
        let mut out = Map::new();
        for (name, header) in headers {
            out.insert(name.clone(), self.header(header, &place.child(name))?);
        }
        Ok(Value::Object(out))
    }

    /// A response header: its value keywords become `schema`; only comma-separated arrays
    /// exist in 3.0 headers.
    fn header(&mut self, header: &Value, place: &Place) -> Result<Value, Diagnostic> {
        let Value::Object(header) = header else { return Ok(header.clone()) };
        if let Some(reference) = header.get("$ref") {
            let text = local_reference(reference, &child_pointer(&place.old, "$ref"))?;
            return Ok(super::reference_object(rewrite_reference(text)));
        }
        let unsplit = match self.style(header, In::Header, place)? {
            super::params::Style::Unsplit => Some(super::params::unsplit(header)),
            _ => None,
        };
        let mut out = Map::new();
        for (key, value) in header {
            match key.as_str() {
                "description" => {
                    out.insert(key.clone(), value.clone());
                }
                key if key.starts_with("x-") && key != "x-nullable" => {
                    out.insert(key.to_string(), value.clone());
                }
                "collectionFormat" => {}
                key if super::params::is_value_keyword(key) => {}
                _ => self.ignore_field(place, key, "header"),
            }
        }
        let schema_place = place.wrapped(&["schema"]);
        self.record(&schema_place);
        out.insert("schema".into(), self.value_schema(unsplit.as_ref().unwrap_or(header), &schema_place, &[])?);
        Ok(Value::Object(out))
    }
}

/// The one `body` parameter of a list; a second one is an error.
fn single_body<'e, 'd>(entries: &'e [ParamEntry<'d>]) -> Result<Option<&'e ParamEntry<'d>>, Diagnostic> {
    let mut bodies = entries.iter().filter(|entry| entry.location == In::Body);
    let first = bodies.next();
    match bodies.next() {
        Some(second) => Err(Diagnostic::invalid(&second.entry, "a second `body` parameter; an operation has at most one")),
        None => Ok(first),
    }
}

/// Whether a response carries content that depends on the produced media types.
fn has_body(response: &Value) -> bool {
    response.get("schema").is_some() || response.get("examples").is_some()
}
