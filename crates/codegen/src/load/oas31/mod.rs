//! OpenAPI 3.1 to OpenAPI 3.0 mapping.
//!
//! OpenAPI 3.1 schemas are JSON Schema 2020-12; OpenAPI 3.0 schemas are a draft-5 dialect with
//! `nullable`. Most 3.1 keywords have a 3.0 spelling (`type: [T, "null"]` is `nullable: true`,
//! `const` is a one-value `enum`, a numeric `exclusiveMinimum` is `minimum` plus
//! `exclusiveMinimum: true`), so the mapping rewrites the JSON tree in place before the typed 3.0
//! model reads it. Keywords with no 3.0 spelling are read leniently, each with a warning at its
//! pointer: those that change the shape of the value (tuple items, `if`/`then`/`else`,
//! `patternProperties`, ...) make their schema a JSON value (`x-codegen-json-value`), those that
//! only constrain it (`propertyNames`, `contains`, ...) are not checked. Either way the generated
//! code never rejects a value the spec admits, and the rest of the schema is still checked. Only
//! invalid documents are refused (a dangling `$anchor` reference, a malformed keyword).
//!
//! Most rewrites keep every pointer. Where a schema is restructured (a type list split into
//! `oneOf`, a `$ref` with constraints wrapped in `allOf`, a `null` branch taken out of a `oneOf`),
//! the converter records where each new subtree came from, so that later diagnostics point into
//! the user's file and `$ref`s into moved subtrees follow them.


mod keywords;
mod schema;
mod types;

use types::*;

pub(super) use schema::{map_bound, BoundRead};
use super::{Conversion, SourceMap, JSON_VALUE_EXTENSION};
use crate::error::{child_pointer, Diagnostic, Place};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub(super) type Object = Map<String, Value>;

/// A walker over one kind of document object at a pointer.
pub(super) type Visit = fn(&mut Converter, &mut Value, &str) -> Result<(), Diagnostic>;

/// The dialect OpenAPI 3.1 documents use unless they say otherwise, and the JSON Schema
/// dialect it extends (the same validation keywords).
pub(super) const OAS_DIALECT_PREFIX: &str = "https://spec.openapis.org/oas/3.1/dialect/";
pub(super) const JSON_SCHEMA_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

pub(super) const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Keywords that only document a schema: a `null` branch may carry them, and a branch merged
/// into its parent may bring them along without clashing.
pub(super) const DOC_KEYWORDS: &[&str] = &["description", "title", "$comment", "examples", "example"];

/// Keywords that never change validation in an OpenAPI document: identifiers of schema
/// resources (`$anchor`s are resolved before conversion), comments, and keywords that need a
/// partner keyword (`then` without `if`, `minContains` without `contains`): with the partner they
/// are part of its warning, without it they mean nothing.
pub(super) const DROPPED_KEYWORDS: &[&str] = &[
    "$comment",
    "$anchor",
    "$dynamicAnchor",
    "$schema",
    "$id",
    "$vocabulary",
    "contentSchema",
    "then",
    "else",
    "minContains",
    "maxContains",
];

/// Maps an OpenAPI 3.1 document to OpenAPI 3.0.
pub(crate) fn convert(doc: Value) -> Result<Conversion, Diagnostic> {
    let Value::Object(mut root) = doc else {
        return Err(Diagnostic::invalid("#", "not an OpenAPI document: the top level must be a mapping"));
    };
    let mut converter = Converter { anchors: anchors(&root), ..Converter::default() };
    converter.document(&mut root)?;
    let mut doc = Value::Object(root);
    converter.rewrite_moved_refs(&mut doc);
    converter.inherit_nullability(&mut doc);
    // A path item that several paths refer to is converted once per path; its warnings are
    // reported once.
    let warnings = crate::error::first_occurrences(converter.warnings);
    Ok(Conversion { doc, source_map: converter.source_map, warnings, original: None, typed_paths: None })
}

/// Where a schema sits, for what a `$ref` next to a description means there.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Site {
    /// A property or a component: a description next to a `$ref` documents the field or type,
    /// which the 3.0 spelling `allOf: [$ref]` + `description` keeps.
    Documented,
    /// Anywhere else (union branches, items, bodies): descriptions next to a `$ref` are dropped,
    /// because wrapping the reference would hide it from a discriminator.
    Other,
}

#[derive(Default)]
pub(super) struct Converter {
    /// Converted pointers back to original ones.
    source_map: SourceMap,
    /// `(original, converted)` prefixes of subtrees that moved, for `$ref`s that point into them.
    moved: Vec<(String, String)>,
    /// Converted pointers of bare `$ref` schemas, whose targets may have moved.
    refs: Vec<String>,
    /// Converted pointers of `allOf: [$ref]` wrappers made from a `$ref` with siblings.
    wrappers: Vec<String>,
    /// `components.pathItems`, inlined where paths and callbacks refer to them.
    path_items: Object,
    /// Every `$anchor` (and `$dynamicAnchor`) name, with the pointers of the schemas that declare
    /// it in the user's file.
    anchors: BTreeMap<String, Vec<String>>,
    /// How many callbacks the walk is inside (a callback's own callbacks are covered by its
    /// warning).
    callback_depth: usize,
    warnings: Vec<Diagnostic>,
}

/// What a schema lost to keywords with no 3.0 spelling, for the `unevaluated*` keywords that
/// depend on which properties and items other keywords evaluate.
#[derive(Default, Clone, Copy)]
pub(super) struct Lost {
    /// A dropped keyword evaluated properties (`patternProperties`, `if`, ...).
    properties: bool,
    /// A dropped keyword evaluated items (`contains`, `if`, ...).
    items: bool,
}

// Document level.
impl Converter {
    fn document(&mut self, root: &mut Object) -> Result<(), Diagnostic> {
        self.check_dialect(root)?;
        root.insert("openapi".into(), Value::from("3.0.3"));
        self.drop_webhooks(root);
        map_info(root);
        // `paths` is optional in 3.1 (a document may hold only components or webhooks).
        root.entry("paths").or_insert_with(|| json!({}));
        self.path_items = take_path_items(root);
        for (key, value) in root.iter_mut() {
            match key.as_str() {
                "paths" => self.each_entry(value, "#/paths", Self::path_item)?,
                "components" => self.components(value)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn drop_webhooks(&mut self, root: &mut Object) {
        let Some(webhooks) = root.shift_remove("webhooks") else { return };
        if webhooks.as_object().is_some_and(Map::is_empty) {
            return;
        }
        self.warnings.push(Diagnostic::unsupported(
            "#/webhooks",
            "webhooks are not generated: they describe requests the API sends to its subscribers, which \
             OpenAPI 3.0 cannot express; the generated server and client cover `paths` only",
        ));
    }

    /// Reads `jsonSchemaDialect`: schemas are read with the default dialect whatever it says.
    fn check_dialect(&mut self, root: &mut Object) -> Result<(), Diagnostic> {
        let Some(dialect) = root.get("jsonSchemaDialect") else { return Ok(()) };
        let Some(uri) = dialect.as_str() else {
            return Err(Diagnostic::invalid("#/jsonSchemaDialect", "`jsonSchemaDialect` must be a URI"));
        };
        if !is_default_dialect(uri) {
            self.warnings.push(Diagnostic::unsupported(
                "#/jsonSchemaDialect",
                format!(
                    "`jsonSchemaDialect` `{uri}` is ignored: schemas are read with the default OpenAPI 3.1 dialect \
                     ({OAS_DIALECT_PREFIX}base), the only one that maps to OpenAPI 3.0"
                ),
            ));
        }
        root.shift_remove("jsonSchemaDialect");
        Ok(())
    }

    fn components(&mut self, value: &mut Value) -> Result<(), Diagnostic> {
        let Some(components) = value.as_object_mut() else { return Ok(()) };
        if let Some(schemes) = components.get_mut("securitySchemes").and_then(Value::as_object_mut) {
            self.drop_mutual_tls(schemes);
        }
        for (kind, entries) in components.iter_mut() {
            let visit: Visit = match kind.as_str() {
                "schemas" => Self::component_schema,
                "parameters" | "headers" => Self::parameter,
                "responses" => Self::response,
                "requestBodies" => Self::request_body,
                "callbacks" => Self::callback,
                _ => continue,
            };
            let at = child_pointer("#/components", kind);
            if kind == "callbacks" {
                self.warn_callbacks(entries, &at);
            }
            self.each_in_map(entries, &at, visit)?;
        }
        Ok(())
    }

    /// `mutualTLS` schemes have no 3.0 equivalent. Left out, a requirement that names one names
    /// an undeclared scheme, which lowering reads as a requirement no request meets: the most
    /// conservative reading. A scheme that is a `$ref` to a dropped one goes too.
    fn drop_mutual_tls(&mut self, schemes: &mut Object) {
        let mut dropped: Vec<String> = Vec::new();
        loop {
            let next = schemes.iter().find_map(|(name, scheme)| {
                let mutual = scheme.get("type").and_then(Value::as_str) == Some("mutualTLS");
                let reference = scheme.get("$ref").and_then(Value::as_str);
                let to_dropped = reference.is_some_and(|target| {
                    dropped.iter().any(|gone| target == child_pointer("#/components/securitySchemes", gone))
                });
                (mutual || to_dropped).then(|| name.clone())
            });
            let Some(name) = next else { break };
            schemes.shift_remove(&name);
            self.warnings.push(Diagnostic::unsupported(
                &child_pointer("#/components/securitySchemes", &name),
                format!(
                    "`mutualTLS` security schemes have no OpenAPI 3.0 equivalent: `{name}` is left out, so a \
                     security requirement that names it can never be met by the generated server (configure \
                     client certificates outside the spec)"
                ),
            ));
            dropped.push(name);
        }
    }

    /// One warning per callback of an operation or of `components`: callbacks are read (their
    /// schemas must be 3.0 too) but not generated.
    fn warn_callbacks(&mut self, callbacks: &Value, conv: &str) {
        if self.callback_depth > 0 {
            return;
        }
        let Some(callbacks) = callbacks.as_object() else { return };
        for name in callbacks.keys() {
            let at = self.at(conv, name);
            self.warnings.push(Diagnostic::unsupported(&at, super::callbacks::NOT_GENERATED));
        }
    }

    /// Visits every value of a map whose keys are names.
    fn each_in_map(&mut self, value: &mut Value, conv: &str, visit: Visit) -> Result<(), Diagnostic> {
        let Some(map) = value.as_object_mut() else { return Ok(()) };
        for (name, item) in map.iter_mut() {
            visit(self, item, &child_pointer(conv, name))?;
        }
        Ok(())
    }

    /// Visits every entry of a map that may also hold `x-` extensions (paths, responses,
    /// callbacks).
    fn each_entry(&mut self, value: &mut Value, conv: &str, visit: Visit) -> Result<(), Diagnostic> {
        let Some(map) = value.as_object_mut() else { return Ok(()) };
        for (name, item) in map.iter_mut() {
            if !name.starts_with("x-") {
                visit(self, item, &child_pointer(conv, name))?;
            }
        }
        Ok(())
    }

    fn each_in_list(&mut self, value: &mut Value, conv: &str, visit: Visit) -> Result<(), Diagnostic> {
        let Some(list) = value.as_array_mut() else { return Ok(()) };
        for (index, item) in list.iter_mut().enumerate() {
            visit(self, item, &child_pointer(conv, &index.to_string()))?;
        }
        Ok(())
    }

    fn path_item(&mut self, value: &mut Value, conv: &str) -> Result<(), Diagnostic> {
        self.inline_path_item(value, conv)?;
        let Some(item) = value.as_object_mut() else { return Ok(()) };
        for (key, value) in item.iter_mut() {
            let at = child_pointer(conv, key);
            if key == "parameters" {
                self.each_in_list(value, &at, Self::parameter)?;
            } else if METHODS.contains(&key.as_str()) {
                self.operation(value, &at)?;
            }
        }
        Ok(())
    }

    /// Replaces a `$ref` to `components.pathItems` with the path item (3.0 has no such
    /// component, and its path item `$ref`s are not followed by lowering).
    fn inline_path_item(&mut self, value: &mut Value, conv: &str) -> Result<(), Diagnostic> {
        let Some(reference) = value.get("$ref").and_then(Value::as_str).map(str::to_string) else { return Ok(()) };
        let Some(name) = path_item_name(&reference) else { return Ok(()) };
        let at = self.at(conv, "$ref");
        let (name, mut resolved) = self.resolve_path_item(&reference, name, &at)?;
        if let (Some(from), Some(into)) = (value.as_object(), resolved.as_object_mut()) {
            // A 3.1 Reference Object's summary and description override the target's.
            for key in ["summary", "description"] {
                if let Some(text) = from.get(key) {
                    into.insert(key.to_string(), text.clone());
                }
            }
        }
        *value = resolved;
        self.derived(conv.to_string(), child_pointer("#/components/pathItems", &name));
        Ok(())
    }

    /// Follows a chain of path item references to the path item and its name.
    fn resolve_path_item(&self, reference: &str, mut name: String, at: &str) -> Result<(String, Value), Diagnostic> {
        let mut seen: Vec<String> = Vec::new();
        loop {
            if seen.contains(&name) {
                seen.push(name);
                return Err(Diagnostic::invalid(at, format!("$ref cycle with no path item in it: {}", seen.join(" -> "))));
            }
            let Some(target) = self.path_items.get(&name) else {
                return Err(Diagnostic::invalid(
                    at,
                    format!("dangling $ref `{reference}`: there is no `{name}` in components.pathItems"),
                ));
            };
            seen.push(name.clone());
            match target.get("$ref").and_then(Value::as_str).and_then(path_item_name) {
                Some(next) => name = next,
                None => return Ok((name, target.clone())),
            }
        }
    }

    fn operation(&mut self, value: &mut Value, conv: &str) -> Result<(), Diagnostic> {
        let Some(operation) = value.as_object_mut() else { return Ok(()) };
        // `responses` is optional in 3.1 and required in 3.0.
        operation.entry("responses").or_insert_with(|| json!({}));
        for (key, value) in operation.iter_mut() {
            let at = child_pointer(conv, key);
            match key.as_str() {
                "parameters" => self.each_in_list(value, &at, Self::parameter)?,
                "requestBody" => self.request_body(value, &at)?,
                "responses" => self.each_entry(value, &at, Self::response)?,
                "callbacks" => {
                    self.warn_callbacks(value, &at);
                    self.each_in_map(value, &at, Self::callback)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A parameter or a header: a `schema`, or a `content` map.
    fn parameter(&mut self, value: &mut Value, conv: &str) -> Result<(), Diagnostic> {
        let Some(parameter) = value.as_object_mut() else { return Ok(()) };
        for (key, value) in parameter.iter_mut() {
            let at = child_pointer(conv, key);
            match key.as_str() {
                "schema" => self.schema(value, &at, Site::Other)?,
                "content" => self.each_in_map(value, &at, Self::media_type)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn request_body(&mut self, value: &mut Value, conv: &str) -> Result<(), Diagnostic> {
        match value.get_mut("content") {
            Some(content) => self.each_in_map(content, &child_pointer(conv, "content"), Self::media_type),
            None => Ok(()),
        }
    }

    fn response(&mut self, value: &mut Value, conv: &str) -> Result<(), Diagnostic> {
        let Some(response) = value.as_object_mut() else { return Ok(()) };
        for (key, value) in response.iter_mut() {
            let at = child_pointer(conv, key);
            match key.as_str() {
                "headers" => self.each_in_map(value, &at, Self::parameter)?,
                "content" => self.each_in_map(value, &at, Self::media_type)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn media_type(&mut self, value: &mut Value, conv: &str) -> Result<(), Diagnostic> {
        let Some(media_type) = value.as_object_mut() else { return Ok(()) };
        for (key, value) in media_type.iter_mut() {
            let at = child_pointer(conv, key);
            match key.as_str() {
                "schema" => self.schema(value, &at, Site::Other)?,
                "encoding" => self.each_in_map(value, &at, Self::encoding)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn encoding(&mut self, value: &mut Value, conv: &str) -> Result<(), Diagnostic> {
        match value.get_mut("headers") {
            Some(headers) => self.each_in_map(headers, &child_pointer(conv, "headers"), Self::parameter),
            None => Ok(()),
        }
    }

    /// A callback: expressions to path items, read by the 3.0 model though nothing is generated
    /// from them, so their schemas must be 3.0 too.
    fn callback(&mut self, value: &mut Value, conv: &str) -> Result<(), Diagnostic> {
        self.callback_depth += 1;
        let visited = self.each_entry(value, conv, Self::path_item);
        self.callback_depth -= 1;
        visited
    }

    fn component_schema(&mut self, value: &mut Value, conv: &str) -> Result<(), Diagnostic> {
        self.schema(value, conv, Site::Documented)
    }
}

// Pointer bookkeeping.
impl Converter {
    /// The pointer in the user's document of a pointer into the converted one.
    fn orig(&self, conv: &str) -> String {
        self.source_map.original(conv)
    }

    /// The original pointer of a keyword of the schema at `conv` (a keyword merged in from a
    /// `oneOf` branch keeps the branch's pointer).
    fn at(&self, conv: &str, keyword: &str) -> String {
        self.orig(&child_pointer(conv, keyword))
    }

    /// Records that the subtree at `conv` is the one the user wrote at `orig`: diagnostics map
    /// back, and `$ref`s to `orig` (or inside it) are rewritten to `conv`.
    fn moved(&mut self, conv: String, orig: String) {
        if conv != orig {
            self.source_map.record(conv.clone(), orig.clone());
            self.moved.push((orig, conv));
        }
    }

    /// Records that the subtree at `conv` was built from the one at `orig`, for diagnostics
    /// only (a `$ref` to `orig` still means the schema that stayed there).
    fn derived(&mut self, conv: String, orig: String) {
        if conv != orig {
            self.source_map.record(conv, orig);
        }
    }

    fn rewrite_moved_refs(&self, doc: &mut Value) {
        if self.moved.is_empty() {
            return;
        }
        for conv in &self.refs {
            let Some(schema) = conv.strip_prefix('#').and_then(|pointer| doc.pointer_mut(pointer)) else { continue };
            let Some(reference) = schema.get_mut("$ref") else { continue };
            let Some(target) = reference.as_str().and_then(|text| follow_moves(&self.moved, text)) else { continue };
            *reference = Value::String(target);
        }
    }

    /// An `allOf: [$ref]` wrapper admits `null` when its target does (3.0 lowering reads
    /// `nullable` from the wrapper), unless its own `type` or `enum` excludes it.
    fn inherit_nullability(&self, doc: &mut Value) {
        for conv in &self.wrappers {
            let Some(pointer) = conv.strip_prefix('#') else { continue };
            if !doc.pointer(pointer).is_some_and(|wrapper| wrapper_inherits_null(doc, wrapper)) {
                continue;
            }
            if let Some(wrapper) = doc.pointer_mut(pointer).and_then(Value::as_object_mut) {
                wrapper.insert("nullable".into(), Value::Bool(true));
            }
        }
    }
}

// Schemas.
impl Converter {
}

pub(super) fn is_default_dialect(uri: &str) -> bool {
    let uri = uri.trim_end_matches('#');
    uri.starts_with(OAS_DIALECT_PREFIX) || uri == JSON_SCHEMA_2020_12
}

/// `info.summary` and `info.license.identifier` are new in 3.1.
pub(super) fn map_info(root: &mut Object) {
    let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) else { return };
    if let Some(summary) = info.shift_remove("summary") {
        if summary.is_string() && !info.contains_key("description") {
            info.insert("description".into(), summary);
        }
    }
    let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) else { return };
    let Some(identifier) = license.shift_remove("identifier") else { return };
    let Some(identifier) = identifier.as_str() else { return };
    // The generated crates take their Cargo `license` from the name, which must be an SPDX
    // expression; the identifier is exactly that, and the URL keeps it in 3.0 terms.
    license.entry("url").or_insert_with(|| Value::String(format!("https://spdx.org/licenses/{identifier}.html")));
    license.insert("name".into(), Value::String(identifier.to_string()));
}

pub(super) fn take_path_items(root: &mut Object) -> Object {
    let components = root.get_mut("components").and_then(Value::as_object_mut);
    match components.and_then(|components| components.shift_remove("pathItems")) {
        Some(Value::Object(items)) => items,
        _ => Object::new(),
    }
}

/// The component name of a `#/components/pathItems/<name>` reference.
pub(super) fn path_item_name(reference: &str) -> Option<String> {
    let token = reference.strip_prefix("#/components/pathItems/")?;
    (!token.contains('/')).then(|| token.replace("~1", "/").replace("~0", "~"))
}

/// Every `$anchor` and `$dynamicAnchor` (which a plain `$ref` may name too) in the document,
/// with the pointer of the schema object that declares it.
pub(super) fn anchors(root: &Object) -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    for (key, value) in root {
        collect_anchors(value, &Place::Key(&Place::Root, key), &mut found);
    }
    found
}

/// The anchors under `value`, at `place` (whose pointer is spelled only for an anchor).
pub(super) fn collect_anchors(value: &Value, place: &Place<'_>, found: &mut BTreeMap<String, Vec<String>>) {
    match value {
        Value::Object(fields) => {
            for keyword in ["$anchor", "$dynamicAnchor"] {
                if let Some(name) = fields.get(keyword).and_then(Value::as_str) {
                    let pointer = place.pointer();
                    let declared: &mut Vec<String> = found.entry(name.to_string()).or_default();
                    if !declared.contains(&pointer) {
                        declared.push(pointer);
                    }
                }
            }
            for (key, child) in fields {
                collect_anchors(child, &Place::Key(place, key), found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_anchors(item, &Place::Index(place, index), found);
            }
        }
        _ => {}
    }
}

pub(super) fn wrapper_inherits_null(doc: &Value, wrapper: &Value) -> bool {
    let Some(fields) = wrapper.as_object() else { return false };
    if ["type", "enum", "nullable"].iter().any(|keyword| fields.contains_key(*keyword)) {
        return false;
    }
    let target = fields
        .get("allOf")
        .and_then(Value::as_array)
        .and_then(|branches| branches.last())
        .and_then(|branch| branch.get("$ref"))
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| doc.pointer(pointer));
    target.and_then(|schema| schema.get("nullable")).and_then(Value::as_bool).unwrap_or(false)
}

/// A `$ref` into a subtree that moved, rewritten to its new place (the longest moved prefix,
/// matching whole tokens, wins).
pub(super) fn follow_moves(moved: &[(String, String)], reference: &str) -> Option<String> {
    let mut best: Option<&(String, String)> = None;
    for entry in moved {
        let prefix = entry.0.as_str();
        let matches = reference == prefix
            || (reference.starts_with(prefix) && reference[prefix.len()..].starts_with('/'));
        if matches && best.is_none_or(|current| current.0.len() < prefix.len()) {
            best = Some(entry);
        }
    }
    best.map(|(orig, conv)| format!("{conv}{}", &reference[orig.len()..]))
}

#[cfg(test)]
mod tests;
