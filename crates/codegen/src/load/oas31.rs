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

use super::{Conversion, SourceMap, JSON_VALUE_EXTENSION};
use crate::error::{child_pointer, Diagnostic};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

type Object = Map<String, Value>;

/// A walker over one kind of document object at a pointer.
type Visit = fn(&mut Converter, &mut Value, &str) -> Result<(), Diagnostic>;

/// The dialect OpenAPI 3.1 documents use unless they say otherwise, and the JSON Schema
/// dialect it extends (the same validation keywords).
const OAS_DIALECT_PREFIX: &str = "https://spec.openapis.org/oas/3.1/dialect/";
const JSON_SCHEMA_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

pub(super) const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Keywords that only document a schema: a `null` branch may carry them, and a branch merged
/// into its parent may bring them along without clashing.
const DOC_KEYWORDS: &[&str] = &["description", "title", "$comment", "examples", "example"];

/// Keywords that never change validation in an OpenAPI document: identifiers of schema
/// resources (`$anchor`s are resolved before conversion), comments, and keywords that need a
/// partner keyword (`then` without `if`, `minContains` without `contains`): with the partner they
/// are part of its warning, without it they mean nothing.
const DROPPED_KEYWORDS: &[&str] = &[
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
    let mut warnings: Vec<Diagnostic> = Vec::new();
    for warning in converter.warnings {
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }
    Ok(Conversion { doc, source_map: converter.source_map, warnings })
}

/// Where a schema sits, for what a `$ref` next to a description means there.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Site {
    /// A property or a component: a description next to a `$ref` documents the field or type,
    /// which the 3.0 spelling `allOf: [$ref]` + `description` keeps.
    Documented,
    /// Anywhere else (union branches, items, bodies): descriptions next to a `$ref` are dropped,
    /// because wrapping the reference would hide it from a discriminator.
    Other,
}

#[derive(Default)]
struct Converter {
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
struct Lost {
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
    fn schema(&mut self, value: &mut Value, conv: &str, site: Site) -> Result<(), Diagnostic> {
        match value {
            Value::Bool(true) => *value = json!({}),
            Value::Bool(false) => *value = json!({"not": {}}),
            _ => {}
        }
        let Some(schema) = value.as_object_mut() else { return Ok(()) };
        self.map_null_branches(schema, conv);
        let lost = self.unmapped_keywords(schema, conv);
        for keyword in DROPPED_KEYWORDS {
            schema.shift_remove(*keyword);
        }
        if self.reference(schema, conv, site)? {
            return Ok(());
        }
        map_examples(schema);
        self.map_const(schema, conv)?;
        map_bound(schema, "exclusiveMinimum", "minimum", |limit, bound| limit >= bound);
        map_bound(schema, "exclusiveMaximum", "maximum", |limit, bound| limit <= bound);
        map_content(schema);
        self.map_unevaluated_properties(schema, conv, lost);
        self.map_unevaluated_items(schema, conv, lost);
        self.map_type(schema, conv)?;
        nullable_from_enum(schema);
        self.children(schema, conv)
    }

    fn children(&mut self, schema: &mut Object, conv: &str) -> Result<(), Diagnostic> {
        for (key, value) in schema.iter_mut() {
            let at = child_pointer(conv, key);
            match key.as_str() {
                "properties" => self.each_schema_in_map(value, &at, Site::Documented)?,
                "$defs" => self.each_schema_in_map(value, &at, Site::Other)?,
                "items" | "not" => self.schema(value, &at, Site::Other)?,
                // `true`/`false` are 3.0 spellings here.
                "additionalProperties" if value.is_object() => self.schema(value, &at, Site::Other)?,
                "allOf" | "oneOf" | "anyOf" => {
                    let Some(list) = value.as_array_mut() else { continue };
                    for (index, branch) in list.iter_mut().enumerate() {
                        self.schema(branch, &child_pointer(&at, &index.to_string()), Site::Other)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn each_schema_in_map(&mut self, value: &mut Value, conv: &str, site: Site) -> Result<(), Diagnostic> {
        let Some(map) = value.as_object_mut() else { return Ok(()) };
        for (name, schema) in map.iter_mut() {
            self.schema(schema, &child_pointer(conv, name), site)?;
        }
        Ok(())
    }

    /// Takes out the keywords that have no 3.0 spelling, each with a warning at its pointer. A
    /// keyword that changes the shape of the value makes the schema a JSON value; one that only
    /// constrains it is not checked. `$id` and `$schema` are read as the document and the default
    /// dialect.
    fn unmapped_keywords(&mut self, schema: &mut Object, conv: &str) -> Lost {
        let mut lost = Lost::default();
        let mut shapes: Vec<&'static str> = Vec::new();
        let keys: Vec<String> = schema.keys().cloned().collect();
        for key in keys {
            let Some(value) = schema.get(&key) else { continue };
            let is_list = value.is_array();
            let text = value.as_str().map(str::to_string);
            let at = self.at(conv, &key);
            let message = match key.as_str() {
                "prefixItems" => {
                    shapes.push("`prefixItems`");
                    let rest = take_rest_of_items(schema, &["items", "unevaluatedItems"]);
                    format!(
                        "`prefixItems` (tuple items) has no OpenAPI 3.0 equivalent: the array is read as a JSON value \
                         (`serde_json::Value`) and the items at those positions are not checked{rest}"
                    )
                }
                "items" if is_list => {
                    shapes.push("`items` as a list");
                    let rest = take_rest_of_items(schema, &["additionalItems", "unevaluatedItems"]);
                    format!(
                        "`items` as a list of schemas (tuple items) has no OpenAPI 3.0 equivalent: the array is read \
                         as a JSON value (`serde_json::Value`) and the items at those positions are not checked{rest}"
                    )
                }
                "if" => {
                    shapes.push("`if`/`then`/`else`");
                    lost = Lost { properties: true, items: true };
                    for partner in ["then", "else"] {
                        schema.shift_remove(partner);
                    }
                    "`if`/`then`/`else` has no OpenAPI 3.0 equivalent: the value is read as a JSON value \
                     (`serde_json::Value`) and the conditions are not checked"
                        .to_string()
                }
                "dependentSchemas" => {
                    shapes.push("`dependentSchemas`");
                    lost = Lost { properties: true, items: true };
                    "`dependentSchemas` has no OpenAPI 3.0 equivalent: the object is read as a JSON value \
                     (`serde_json::Value`) and the dependent schemas are not checked"
                        .to_string()
                }
                "patternProperties" => {
                    shapes.push("`patternProperties`");
                    lost.properties = true;
                    let closed = schema.get("additionalProperties").is_some_and(|extra| !admits_anything(extra));
                    if schema.contains_key("additionalProperties") {
                        // `additionalProperties` evaluates every property: `unevaluatedProperties` adds nothing.
                        schema.shift_remove("unevaluatedProperties");
                    }
                    let rest = if closed {
                        schema.shift_remove("additionalProperties");
                        "; nor is `additionalProperties`, which applies only to the properties that no pattern matches"
                    } else {
                        ""
                    };
                    format!(
                        "`patternProperties` has no OpenAPI 3.0 equivalent: the object is read as a JSON value \
                         (`serde_json::Value`) and the properties matching the patterns are not checked{rest}"
                    )
                }
                "$dynamicRef" => {
                    shapes.push("`$dynamicRef`");
                    lost = Lost { properties: true, items: true };
                    "`$dynamicRef` has no OpenAPI 3.0 equivalent: the value is read as a JSON value \
                     (`serde_json::Value`) and not checked against the schema it refers to"
                        .to_string()
                }
                "propertyNames" => "`propertyNames` has no OpenAPI 3.0 equivalent: property names are not checked".to_string(),
                "dependentRequired" => {
                    "`dependentRequired` has no OpenAPI 3.0 equivalent: the properties it requires are not checked".to_string()
                }
                "contains" => {
                    lost.items = true;
                    for partner in ["minContains", "maxContains"] {
                        schema.shift_remove(partner);
                    }
                    "`contains` (with `minContains`/`maxContains`) has no OpenAPI 3.0 equivalent: not checked".to_string()
                }
                "$id" if has_local_ref(schema) => {
                    let id = text.map(|id| format!(" `{id}`")).unwrap_or_default();
                    format!(
                        "`$id`{id} is ignored: the `$ref`s in this schema are read against this document, the base \
                         URI of every schema here"
                    )
                }
                "$schema" => match text.filter(|uri| !is_default_dialect(uri)) {
                    Some(uri) => format!(
                        "`$schema` `{uri}` is ignored: the schema is read with the default OpenAPI 3.1 dialect \
                         ({OAS_DIALECT_PREFIX}base), the only one that maps to OpenAPI 3.0"
                    ),
                    None => continue,
                },
                _ => continue,
            };
            schema.shift_remove(&key);
            self.warnings.push(Diagnostic::unsupported(&at, message));
        }
        if !shapes.is_empty() {
            let reason = format!("{} (OpenAPI 3.1) has no OpenAPI 3.0 equivalent", shapes.join(", "));
            schema.entry(JSON_VALUE_EXTENSION).or_insert(Value::String(reason));
        }
        lost
    }

    /// A `$ref` with siblings is legal in 3.1 and means "the target, and also the siblings";
    /// in 3.0 siblings are ignored, so those that matter move next to an `allOf: [$ref]`.
    /// Returns true when the schema is a bare reference.
    fn reference(&mut self, schema: &mut Object, conv: &str, site: Site) -> Result<bool, Diagnostic> {
        let Some(reference) = schema.get("$ref") else { return Ok(false) };
        let Some(text) = reference.as_str() else {
            return Err(Diagnostic::invalid(&self.at(conv, "$ref"), "`$ref` must be a string"));
        };
        if is_anchor_ref(text) {
            let target = self.anchor_target(text, &self.at(conv, "$ref"))?;
            schema.insert("$ref".into(), Value::String(target));
        }
        if !schema.keys().any(|key| changes_meaning(key, site)) {
            schema.retain(|key, _| key == "$ref");
            self.refs.push(conv.to_string());
            return Ok(true);
        }
        let orig = self.at(conv, "$ref");
        let all_of_at = self.at(conv, "allOf");
        let Some(reference) = schema.shift_remove("$ref") else { return Ok(false) };
        let all_of = schema.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
        let Some(list) = all_of.as_array_mut() else {
            return Err(Diagnostic::invalid(&all_of_at, "`allOf` must be a list of schemas"));
        };
        list.push(json!({ "$ref": reference }));
        let branch = child_pointer(&child_pointer(conv, "allOf"), &(list.len() - 1).to_string());
        self.derived(child_pointer(&branch, "$ref"), orig);
        self.wrappers.push(conv.to_string());
        Ok(false)
    }

    /// The pointer (in the user's file) of the schema a `#name` reference names by its
    /// `$anchor`. The `$ref`s to moved subtrees are rewritten later, as for any pointer.
    fn anchor_target(&self, reference: &str, at: &str) -> Result<String, Diagnostic> {
        let name = reference.strip_prefix('#').unwrap_or(reference);
        match self.anchors.get(name).map(Vec::as_slice) {
            Some([target]) => Ok(target.clone()),
            Some(targets) if !targets.is_empty() => Err(Diagnostic::invalid(
                at,
                format!("$ref `{reference}` is ambiguous: `$anchor` `{name}` is declared at {}", targets.join(" and ")),
            )),
            _ => Err(Diagnostic::invalid(
                at,
                format!("dangling $ref `{reference}`: no schema in the document declares `$anchor: {name}`"),
            )),
        }
    }

    fn map_const(&self, schema: &mut Object, conv: &str) -> Result<(), Diagnostic> {
        let Some(value) = schema.shift_remove("const") else { return Ok(()) };
        match schema.get("enum") {
            Some(Value::Array(values)) if !values.contains(&value) => {
                return Err(Diagnostic::invalid(
                    &self.at(conv, "const"),
                    "`const` is not one of the `enum` values, so no value is valid",
                ));
            }
            // A malformed `enum` is left for the 3.0 reader to report.
            Some(other) if !other.is_array() => return Ok(()),
            _ => {}
        }
        schema.insert("enum".into(), Value::Array(vec![value]));
        Ok(())
    }

    /// `oneOf`/`anyOf` with a `{type: "null"}` branch is the 3.1 spelling of a nullable union
    /// (or, with one other branch, of a nullable schema).
    fn map_null_branches(&mut self, schema: &mut Object, conv: &str) {
        for keyword in ["oneOf", "anyOf"] {
            let Some(Value::Array(branches)) = schema.get(keyword) else { continue };
            let nulls = branches.iter().filter(|branch| is_null_schema(branch)).count();
            let all_of_ok = schema.get("allOf").is_none_or(Value::is_array);
            if nulls == 0 || nulls == branches.len() || !all_of_ok {
                continue;
            }
            let Some(Value::Array(branches)) = schema.shift_remove(keyword) else { continue };
            let kept: Vec<(usize, Value)> =
                branches.into_iter().enumerate().filter(|(_, branch)| !is_null_schema(branch)).collect();
            schema.insert("nullable".into(), Value::Bool(true));
            let orig = self.at(conv, keyword);
            if kept.len() == 1 {
                let Some((index, branch)) = kept.into_iter().next() else { continue };
                self.single_branch(schema, conv, child_pointer(&orig, &index.to_string()), branch);
                continue;
            }
            let base = child_pointer(conv, keyword);
            let mut list = Vec::with_capacity(kept.len());
            for (new, (old, branch)) in kept.into_iter().enumerate() {
                self.moved(child_pointer(&base, &new.to_string()), child_pointer(&orig, &old.to_string()));
                list.push(branch);
            }
            schema.insert(keyword.into(), Value::Array(list));
        }
    }

    /// The one branch left beside a `null` branch becomes the schema itself: merged when its
    /// keywords do not clash with the schema's, else the 3.0 idiom `allOf: [branch]`.
    fn single_branch(&mut self, schema: &mut Object, conv: &str, orig: String, branch: Value) {
        match branch {
            Value::Object(fields) if mergeable(schema, &fields) => {
                for (key, value) in fields {
                    if !schema.contains_key(&key) {
                        self.moved(child_pointer(conv, &key), child_pointer(&orig, &key));
                        schema.insert(key, value);
                    }
                }
            }
            branch => {
                let all_of = schema.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
                if let Some(list) = all_of.as_array_mut() {
                    list.push(branch);
                    let index = (list.len() - 1).to_string();
                    self.moved(child_pointer(&child_pointer(conv, "allOf"), &index), orig);
                }
            }
        }
    }

    /// `unevaluatedProperties` is `additionalProperties` where only the schema's own `properties`
    /// evaluate anything, and moves into the branches of a `oneOf` that can be closed exactly;
    /// elsewhere it is not checked, with a warning.
    fn map_unevaluated_properties(&mut self, schema: &mut Object, conv: &str, lost: Lost) {
        let Some(value) = schema.get("unevaluatedProperties") else { return };
        // Every property is evaluated by `additionalProperties`, and `true`/`{}` admit anything.
        if admits_anything(value) || schema.contains_key("additionalProperties") {
            schema.shift_remove("unevaluatedProperties");
            return;
        }
        let orig = self.at(conv, "unevaluatedProperties");
        let applicators: Vec<&str> =
            ["allOf", "oneOf", "anyOf"].into_iter().filter(|keyword| schema.contains_key(*keyword)).collect();
        if applicators.is_empty() && !lost.properties {
            // Without applicators only this schema's own `properties` evaluate anything.
            if let Some(value) = schema.shift_remove("unevaluatedProperties") {
                schema.insert("additionalProperties".into(), value);
                self.derived(child_pointer(conv, "additionalProperties"), orig);
            }
            return;
        }
        let closable = applicators == ["oneOf"]
            && !lost.properties
            && *value == Value::Bool(false)
            && !schema.contains_key("properties")
            && schema.get("oneOf").and_then(Value::as_array).is_some_and(|branches| closable_branches(branches));
        if !closable {
            let message = if *value == Value::Bool(false) {
                "`unevaluatedProperties: false` beside subschemas (`allOf`, `oneOf`, `anyOf`, `$ref`, ...) has no \
                 OpenAPI 3.0 equivalent: it is not checked, so properties that no subschema declares are accepted \
                 (close each object schema with `additionalProperties: false` to reject them)"
            } else {
                "`unevaluatedProperties` beside subschemas (`allOf`, `oneOf`, `anyOf`, `$ref`, ...) has no OpenAPI \
                 3.0 equivalent: it is not checked, and the generated type does not keep the properties it \
                 describes either"
            };
            schema.shift_remove("unevaluatedProperties");
            self.warnings.push(Diagnostic::unsupported(&orig, message));
            return;
        }
        schema.shift_remove("unevaluatedProperties");
        let Some(Value::Array(branches)) = schema.get_mut("oneOf") else { return };
        for (index, branch) in branches.iter_mut().enumerate() {
            let Some(branch) = branch.as_object_mut() else { continue };
            if branch.contains_key("additionalProperties") {
                continue;
            }
            branch.insert("additionalProperties".into(), Value::Bool(false));
            let at = child_pointer(&child_pointer(&child_pointer(conv, "oneOf"), &index.to_string()), "additionalProperties");
            self.derived(at, orig.clone());
        }
    }

    /// `unevaluatedItems` is `items` where nothing else evaluates items; elsewhere it is not
    /// checked, with a warning.
    fn map_unevaluated_items(&mut self, schema: &mut Object, conv: &str, lost: Lost) {
        let Some(value) = schema.get("unevaluatedItems") else { return };
        if admits_anything(value) || schema.contains_key("items") {
            schema.shift_remove("unevaluatedItems");
            return;
        }
        let orig = self.at(conv, "unevaluatedItems");
        let Some(value) = schema.shift_remove("unevaluatedItems") else { return };
        if lost.items || ["allOf", "oneOf", "anyOf"].iter().any(|keyword| schema.contains_key(*keyword)) {
            self.warnings.push(Diagnostic::unsupported(
                &orig,
                "`unevaluatedItems` beside subschemas (`allOf`, `oneOf`, `anyOf`, `$ref`, `contains`, ...) has no \
                 OpenAPI 3.0 equivalent: the items that no subschema describes are not checked",
            ));
            return;
        }
        schema.insert("items".into(), value);
        self.derived(child_pointer(conv, "items"), orig);
    }

    /// `type` lists: one type plus `"null"` is `nullable`; several types are a `oneOf` of
    /// single-typed schemas, each with the keywords that constrain its type.
    fn map_type(&mut self, schema: &mut Object, conv: &str) -> Result<(), Diagnostic> {
        let Some(declared) = schema.get("type") else { return Ok(()) };
        let names = match declared {
            Value::String(name) if name != "null" => return Ok(()),
            Value::String(name) => vec![name.clone()],
            Value::Array(list) => self.type_names(list, conv)?,
            // Left for the 3.0 reader to report.
            _ => return Ok(()),
        };
        let has_null = names.iter().any(|name| name == "null");
        let mut kinds: Vec<String> = names.into_iter().filter(|name| name != "null").collect();
        // Every integer is a number, and `oneOf` branches must not overlap.
        if kinds.iter().any(|kind| kind == "number") {
            kinds.retain(|kind| kind != "integer");
        }
        let enumeration = schema.get("enum").and_then(Value::as_array).cloned();
        if let Some(values) = &enumeration {
            let admitted: Vec<String> =
                kinds.iter().filter(|kind| values.iter().any(|value| admits(kind, value))).cloned().collect();
            if kinds.len() > 1 && !admitted.is_empty() {
                kinds = admitted;
            }
        }
        // An `enum` without null rejects null whatever `type` says.
        let null_ok = has_null && enumeration.as_ref().is_none_or(|values| values.iter().any(Value::is_null));
        if null_ok {
            schema.insert("nullable".into(), Value::Bool(true));
        }
        match kinds.as_slice() {
            [] => self.null_only(schema, conv, null_ok),
            [kind] => {
                schema.insert("type".into(), Value::String(kind.clone()));
                Ok(())
            }
            _ => self.split_types(schema, conv, &kinds),
        }
    }

    fn type_names(&self, list: &[Value], conv: &str) -> Result<Vec<String>, Diagnostic> {
        if list.is_empty() {
            return Err(Diagnostic::invalid(&self.at(conv, "type"), "`type` must name at least one type"));
        }
        let mut names: Vec<String> = Vec::new();
        for (index, entry) in list.iter().enumerate() {
            let Some(name) = entry.as_str() else {
                let at = child_pointer(&self.at(conv, "type"), &index.to_string());
                return Err(Diagnostic::invalid(&at, "`type` entries must be strings"));
            };
            if !names.iter().any(|seen| seen == name) {
                names.push(name.to_string());
            }
        }
        Ok(names)
    }

    /// `type: "null"`: 3.0 has no null type; `nullable` with `enum: [null]` admits null only.
    fn null_only(&self, schema: &mut Object, conv: &str, null_ok: bool) -> Result<(), Diagnostic> {
        if !null_ok {
            return Err(Diagnostic::invalid(
                &self.at(conv, "enum"),
                "`type` only admits null and `enum` has no null, so no value is valid",
            ));
        }
        schema.shift_remove("type");
        schema.entry("enum").or_insert_with(|| json!([null]));
        Ok(())
    }

    /// Several types: a `oneOf` with one single-typed branch per type. Next to `allOf`, `oneOf`
    /// or `anyOf` that `oneOf` becomes a new member of the schema's `allOf`, so the schema means
    /// (one of the types) and (the rest), as the type list did.
    fn split_types(&mut self, schema: &mut Object, conv: &str, kinds: &[String]) -> Result<(), Diagnostic> {
        let orig = self.orig(conv);
        let type_at = self.at(conv, "type");
        let composed = ["allOf", "oneOf", "anyOf"].into_iter().any(|keyword| schema.contains_key(keyword));
        let base = if composed {
            let members = match schema.get("allOf") {
                None => 0,
                Some(Value::Array(members)) => members.len(),
                Some(_) => return Err(Diagnostic::invalid(&self.at(conv, "allOf"), "`allOf` must be a list of schemas")),
            };
            child_pointer(&child_pointer(conv, "allOf"), &members.to_string())
        } else {
            conv.to_string()
        };
        let one_of = child_pointer(&base, "oneOf");
        schema.shift_remove("type");
        let enumeration = match schema.get("enum") {
            Some(Value::Array(_)) => schema.shift_remove("enum").and_then(|values| values.as_array().cloned()),
            _ => None,
        };
        let mut branches: Vec<Object> = kinds.iter().map(|kind| single_type(kind)).collect();
        let keys: Vec<String> = schema.keys().cloned().collect();
        for key in keys {
            let owners = schema.get(&key).map(|value| owners(&key, value)).unwrap_or_default();
            if owners.is_empty() {
                continue;
            }
            let key_at = self.at(conv, &key);
            // A keyword for a type the list does not name constrains nothing, as in 3.1.
            let Some(value) = schema.shift_remove(&key) else { continue };
            for (index, kind) in kinds.iter().enumerate() {
                if !owners.contains(&kind.as_str()) {
                    continue;
                }
                branches[index].insert(key.clone(), value.clone());
                let branch = child_pointer(&one_of, &index.to_string());
                if matches!(key.as_str(), "properties" | "items" | "additionalProperties") {
                    self.moved(child_pointer(&branch, &key), key_at.clone());
                } else {
                    self.derived(child_pointer(&branch, &key), key_at.clone());
                }
            }
        }
        if let Some(values) = enumeration {
            for (branch, kind) in branches.iter_mut().zip(kinds) {
                let own: Vec<Value> = values.iter().filter(|value| admits(kind, value)).cloned().collect();
                if !own.is_empty() {
                    branch.insert("enum".into(), Value::Array(own));
                }
            }
        }
        for index in 0..branches.len() {
            let branch = child_pointer(&one_of, &index.to_string());
            self.derived(branch.clone(), orig.clone());
            self.derived(child_pointer(&branch, "type"), type_at.clone());
        }
        let branches = Value::Array(branches.into_iter().map(Value::Object).collect());
        if !composed {
            schema.insert("oneOf".into(), branches);
            return Ok(());
        }
        self.derived(base, orig);
        let mut member = Object::new();
        member.insert("oneOf".into(), branches);
        if let Value::Array(members) = schema.entry("allOf").or_insert_with(|| Value::Array(Vec::new())) {
            members.push(Value::Object(member));
        }
        Ok(())
    }
}

fn is_default_dialect(uri: &str) -> bool {
    let uri = uri.trim_end_matches('#');
    uri.starts_with(OAS_DIALECT_PREFIX) || uri == JSON_SCHEMA_2020_12
}

/// `info.summary` and `info.license.identifier` are new in 3.1.
fn map_info(root: &mut Object) {
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

fn take_path_items(root: &mut Object) -> Object {
    let components = root.get_mut("components").and_then(Value::as_object_mut);
    match components.and_then(|components| components.shift_remove("pathItems")) {
        Some(Value::Object(items)) => items,
        _ => Object::new(),
    }
}

/// The component name of a `#/components/pathItems/<name>` reference.
fn path_item_name(reference: &str) -> Option<String> {
    let token = reference.strip_prefix("#/components/pathItems/")?;
    (!token.contains('/')).then(|| token.replace("~1", "/").replace("~0", "~"))
}

/// Takes out the keywords that describe the items after a tuple prefix (which would otherwise
/// apply to every item), and says so for the warning.
fn take_rest_of_items(schema: &mut Object, keywords: &[&str]) -> String {
    let taken: Vec<String> =
        keywords.iter().filter(|keyword| schema.shift_remove(**keyword).is_some()).map(|keyword| format!("`{keyword}`")).collect();
    match taken.as_slice() {
        [] => String::new(),
        [one] => format!("; nor is {one}, which describes only the items after them"),
        _ => format!("; nor are {}, which describe only the items after them", taken.join(" and ")),
    }
}

/// Every `$anchor` and `$dynamicAnchor` (which a plain `$ref` may name too) in the document,
/// with the pointer of the schema object that declares it.
fn anchors(root: &Object) -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    for (key, value) in root {
        collect_anchors(value, &child_pointer("#", key), &mut found);
    }
    found
}

fn collect_anchors(value: &Value, pointer: &str, found: &mut BTreeMap<String, Vec<String>>) {
    match value {
        Value::Object(fields) => {
            for keyword in ["$anchor", "$dynamicAnchor"] {
                if let Some(name) = fields.get(keyword).and_then(Value::as_str) {
                    let declared: &mut Vec<String> = found.entry(name.to_string()).or_default();
                    if !declared.iter().any(|known| known == pointer) {
                        declared.push(pointer.to_string());
                    }
                }
            }
            for (key, child) in fields {
                collect_anchors(child, &child_pointer(pointer, key), found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_anchors(item, &child_pointer(pointer, &index.to_string()), found);
            }
        }
        _ => {}
    }
}

fn is_anchor_ref(reference: &str) -> bool {
    reference.len() > 1 && reference.starts_with('#') && !reference.starts_with("#/")
}

/// Whether a `$ref` inside the value (at any depth) is a fragment of the current resource.
fn has_local_ref(schema: &Object) -> bool {
    schema.iter().any(|(key, value)| match value {
        Value::String(text) => key == "$ref" && text.starts_with('#'),
        Value::Object(inner) => has_local_ref(inner),
        Value::Array(items) => items.iter().any(|item| item.as_object().is_some_and(has_local_ref)),
        _ => false,
    })
}

fn changes_meaning(key: &str, site: Site) -> bool {
    match key {
        "$ref" | "$comment" | "examples" | "example" => false,
        // A reference whose siblings make it a JSON value stays one.
        JSON_VALUE_EXTENSION => true,
        "description" | "title" => site == Site::Documented,
        _ => !key.starts_with("x-"),
    }
}

/// A branch that admits null and nothing else: `{type: "null"}`, `{const: null}`, `{enum: [null]}`.
fn is_null_schema(branch: &Value) -> bool {
    let Some(fields) = branch.as_object() else { return false };
    let mut says_null = false;
    for (key, value) in fields {
        let null = match key.as_str() {
            "type" => *value == json!("null") || *value == json!(["null"]),
            "const" => value.is_null(),
            "enum" => value.as_array().is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null)),
            other if DOC_KEYWORDS.contains(&other) || other.starts_with("x-") => continue,
            _ => false,
        };
        if !null {
            return false;
        }
        says_null = true;
    }
    says_null
}

fn mergeable(schema: &Object, branch: &Object) -> bool {
    !branch.contains_key("$ref")
        && branch.keys().all(|key| DOC_KEYWORDS.contains(&key.as_str()) || !schema.contains_key(key))
}

fn admits_anything(value: &Value) -> bool {
    *value == Value::Bool(true) || value.as_object().is_some_and(Map::is_empty)
}

/// Whether `additionalProperties: false` can move from a `oneOf` into its branches without
/// changing which values are valid: it can when the branches are plain inline objects and each
/// requires a property every other branch does not declare, so that no value fits two closed
/// branches (where 3.1 would reject it for matching two open ones).
fn closable_branches(branches: &[Value]) -> bool {
    let mut shapes: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
    for branch in branches {
        let Some(fields) = branch.as_object() else { return false };
        let composed = ["$ref", "allOf", "oneOf", "anyOf", "unevaluatedProperties", "patternProperties"]
            .iter()
            .any(|keyword| fields.contains_key(*keyword));
        let object_typed = fields.get("type").is_none_or(|ty| ty == "object");
        let open = fields.get("additionalProperties").is_some_and(|extra| *extra != Value::Bool(false));
        if composed || !object_typed || open {
            return false;
        }
        let declared = fields.get("properties").and_then(Value::as_object).map(|p| p.keys().map(String::as_str).collect());
        let required = fields.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect());
        shapes.push((declared.unwrap_or_default(), required.unwrap_or_default()));
    }
    shapes.iter().enumerate().all(|(index, (_, required))| {
        shapes.iter().enumerate().all(|(other, (declared, _))| {
            other == index || required.iter().any(|name| !declared.contains(name))
        })
    })
}

fn map_examples(schema: &mut Object) {
    // A map (a common mistake) is left alone: the 3.0 reader ignores it.
    let Some(Value::Array(examples)) = schema.get("examples") else { return };
    let first = examples.first().cloned();
    schema.shift_remove("examples");
    if let Some(first) = first {
        schema.entry("example").or_insert(first);
    }
}

/// What [`map_bound`] did with a numeric exclusive bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BoundRead {
    /// The schema has no numeric exclusive bound (or a malformed inclusive one, left for the 3.0
    /// reader to report).
    Untouched,
    /// It became the inclusive bound plus the boolean flag.
    Exclusive,
    /// It was at least as strict as the inclusive bound next to it, which it replaced.
    ExclusiveOverInclusive,
    /// The inclusive bound next to it was stricter and stays; the exclusive one was dropped.
    InclusiveKept,
}

/// A numeric `exclusiveMinimum`/`exclusiveMaximum` becomes the 3.0 boolean form; next to an
/// inclusive bound the tighter of the two stays.
pub(super) fn map_bound(schema: &mut Object, exclusive: &str, inclusive: &str, tighter: fn(f64, f64) -> bool) -> BoundRead {
    let Some(Value::Number(limit)) = schema.get(exclusive) else { return BoundRead::Untouched };
    let limit = limit.clone();
    let read = match schema.get(inclusive) {
        Some(Value::Number(bound)) => {
            let exclusive_wins = match (limit.as_f64(), bound.as_f64()) {
                (Some(limit), Some(bound)) => tighter(limit, bound),
                _ => true,
            };
            if !exclusive_wins {
                schema.shift_remove(exclusive);
                return BoundRead::InclusiveKept;
            }
            BoundRead::ExclusiveOverInclusive
        }
        // A malformed bound is left for the 3.0 reader to report.
        Some(_) => return BoundRead::Untouched,
        None => BoundRead::Exclusive,
    };
    schema.insert(inclusive.into(), Value::Number(limit));
    schema.insert(exclusive.into(), Value::Bool(true));
    read
}

/// `contentEncoding`/`contentMediaType` are annotations in 3.1; 3.0 says the same of strings
/// with `format: byte` (base64) and `format: binary` (raw bytes).
fn map_content(schema: &mut Object) {
    let encoding = schema.shift_remove("contentEncoding");
    let media_type = schema.shift_remove("contentMediaType");
    if schema.contains_key("format") || !declares_string(schema.get("type")) {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media_type.as_ref().and_then(Value::as_str)) {
        (Some(encoding), _) if encoding.eq_ignore_ascii_case("base64") => "byte",
        (None, Some(media_type)) if !is_textual(media_type) => "binary",
        _ => return,
    };
    schema.insert("format".into(), Value::from(format));
}

fn declares_string(declared: Option<&Value>) -> bool {
    match declared {
        Some(Value::String(name)) => name == "string",
        Some(Value::Array(names)) => names.iter().any(|name| name == "string"),
        _ => false,
    }
}

fn is_textual(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence.starts_with("text/")
        || essence.ends_with("json")
        || essence.ends_with("xml")
        || essence.ends_with("yaml")
        || essence == "application/x-www-form-urlencoded"
}

/// Without a `type`, a null in `enum` admits null; 3.0 needs `nullable` for that.
fn nullable_from_enum(schema: &mut Object) {
    if schema.contains_key("type") {
        return;
    }
    if schema.get("enum").and_then(Value::as_array).is_some_and(|values| values.iter().any(Value::is_null)) {
        schema.insert("nullable".into(), Value::Bool(true));
    }
}

fn single_type(kind: &str) -> Object {
    let mut branch = Object::new();
    branch.insert("type".into(), Value::String(kind.to_string()));
    branch
}

/// The types whose values a keyword constrains (none: it stays on the `oneOf` wrapper).
fn owners(key: &str, value: &Value) -> &'static [&'static str] {
    match key {
        "minLength" | "maxLength" | "pattern" => &["string"],
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => &["integer", "number"],
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => &["object"],
        "items" | "minItems" | "maxItems" | "uniqueItems" => &["array"],
        "format" => match value.as_str() {
            Some("int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64" | "float" | "double") => {
                &["integer", "number"]
            }
            Some(_) => &["string"],
            None => &[],
        },
        _ => &[],
    }
}

/// Whether a JSON type admits a value (unknown type names admit anything; lowering refuses them).
fn admits(kind: &str, value: &Value) -> bool {
    match kind {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|number| number.fract() == 0.0),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => true,
    }
}

fn wrapper_inherits_null(doc: &Value, wrapper: &Value) -> bool {
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
fn follow_moves(moved: &[(String, String)], reference: &str) -> Option<String> {
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
mod tests {
    use super::convert;
    use crate::error::{Diagnostic, DiagnosticKind, Location};
    use serde_json::{json, Value};

    fn document(schemas: Value) -> Value {
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}})
    }

    /// The converted document, which must also read as OpenAPI 3.0.
    fn converted(doc: Value) -> Result<Value, Diagnostic> {
        let doc = convert(doc)?.doc;
        serde_json::from_value::<openapiv3::OpenAPI>(doc.clone())
            .map_err(|err| Diagnostic::invalid("#", format!("not 3.0: {err}")))?;
        Ok(doc)
    }

    /// The converted component schema `S`.
    fn schema(input: Value) -> Result<Value, Diagnostic> {
        let doc = converted(document(json!({ "S": input })))?;
        Ok(doc.pointer("/components/schemas/S").cloned().unwrap_or(Value::Null))
    }

    /// The diagnostic converting a document with component schema `S` gives.
    fn refusal(input: Value) -> Option<(DiagnosticKind, String, String)> {
        let err = convert(document(json!({ "S": input }))).err()?;
        let pointer = match err.location {
            Location::Pointer(pointer) => pointer,
            other => format!("{other:?}"),
        };
        Some((err.kind, pointer, err.message))
    }

    fn pointer(p: &str) -> String {
        format!("#/components/schemas/S{p}")
    }

    /// The converted component schema `S` and the warnings, each as (pointer, message).
    fn lenient(input: Value) -> Result<(Value, Vec<(String, String)>), Diagnostic> {
        let conversion = convert(document(json!({ "S": input })))?;
        serde_json::from_value::<openapiv3::OpenAPI>(conversion.doc.clone())
            .map_err(|err| Diagnostic::invalid("#", format!("not 3.0: {err}")))?;
        let schema = conversion.doc.pointer("/components/schemas/S").cloned().unwrap_or(Value::Null);
        Ok((schema, warnings(&conversion.warnings)))
    }

    fn warnings(warnings: &[Diagnostic]) -> Vec<(String, String)> {
        warnings
            .iter()
            .map(|warning| {
                assert_eq!(warning.kind, DiagnosticKind::Unsupported, "{warning:?}");
                let pointer = match &warning.location {
                    Location::Pointer(pointer) => pointer.clone(),
                    other => format!("{other:?}"),
                };
                (pointer, warning.message.clone())
            })
            .collect()
    }

    /// The pointer of the only warning, when there is one and its message starts with `start`.
    fn warned_at(warnings: &[(String, String)], start: &str) -> Option<String> {
        match warnings {
            [(at, message)] if message.starts_with(start) => Some(at.clone()),
            _ => None,
        }
    }

    #[test]
    fn type_with_null_is_nullable() -> Result<(), Diagnostic> {
        assert_eq!(schema(json!({"type": ["string", "null"], "maxLength": 3}))?, json!({"type": "string", "maxLength": 3, "nullable": true}));
        assert_eq!(schema(json!({"type": ["object"]}))?, json!({"type": "object"}));
        Ok(())
    }

    #[test]
    fn null_type_admits_only_null() -> Result<(), Diagnostic> {
        assert_eq!(schema(json!({"type": "null"}))?, json!({"nullable": true, "enum": [null]}));
        assert_eq!(schema(json!({"type": ["null"]}))?, json!({"nullable": true, "enum": [null]}));
        let none = refusal(json!({"type": "null", "enum": ["a"]}));
        assert_eq!(none.map(|(kind, at, _)| (kind, at)), Some((DiagnosticKind::Invalid, pointer("/enum"))));
        Ok(())
    }

    #[test]
    fn several_types_become_one_of_with_their_keywords() -> Result<(), Diagnostic> {
        let input = json!({
            "description": "d", "type": ["integer", "string", "null"], "format": "int64",
            "minimum": 0, "maxLength": 8, "minItems": 1
        });
        let expected = json!({
            "description": "d", "nullable": true,
            "oneOf": [{"type": "integer", "format": "int64", "minimum": 0}, {"type": "string", "maxLength": 8}]
        });
        assert_eq!(schema(input)?, expected);
        let objects = schema(json!({"type": ["object", "array"], "properties": {"a": {}}, "required": ["a"], "items": {"type": "string"}}))?;
        let expected = json!({"oneOf": [
            {"type": "object", "properties": {"a": {}}, "required": ["a"]},
            {"type": "array", "items": {"type": "string"}}
        ]});
        assert_eq!(objects, expected);
        Ok(())
    }

    #[test]
    fn enum_values_follow_their_type() -> Result<(), Diagnostic> {
        let split = schema(json!({"type": ["string", "integer", "null"], "enum": ["a", 1, null]}))?;
        let expected = json!({"nullable": true, "oneOf": [{"type": "string", "enum": ["a"]}, {"type": "integer", "enum": [1]}]});
        assert_eq!(split, expected);
        // Only string values: the integer type admits none of them.
        assert_eq!(schema(json!({"type": ["string", "integer"], "enum": ["a"]}))?, json!({"type": "string", "enum": ["a"]}));
        // An enum without null rejects null whatever the type list says.
        assert_eq!(schema(json!({"type": ["string", "null"], "enum": ["a"]}))?, json!({"type": "string", "enum": ["a"]}));
        Ok(())
    }

    #[test]
    fn integer_and_number_is_number() -> Result<(), Diagnostic> {
        assert_eq!(schema(json!({"type": ["integer", "number"], "minimum": 1}))?, json!({"type": "number", "minimum": 1}));
        Ok(())
    }

    #[test]
    fn malformed_type_lists_are_reported() {
        let not_string = refusal(json!({"type": ["string", 1]}));
        assert_eq!(not_string.map(|(kind, at, _)| (kind, at)), Some((DiagnosticKind::Invalid, pointer("/type/1"))));
        let empty = refusal(json!({"type": []}));
        assert_eq!(empty.map(|(kind, at, _)| (kind, at)), Some((DiagnosticKind::Invalid, pointer("/type"))));
    }

    #[test]
    fn a_type_list_next_to_subschemas_is_a_new_all_of_member() -> Result<(), Diagnostic> {
        let conversion = convert(document(json!({
            "S": {"type": ["string", "object", "null"], "maxLength": 3, "properties": {"a": {"type": ["integer", "null"]}},
                  "oneOf": [{"required": ["a"]}, {"minLength": 1}]},
            "T": {"type": ["string", "integer"], "allOf": [{"description": "d"}], "anyOf": [{}]},
            "U": {"$ref": "#/components/schemas/S/properties/a"}
        })))?;
        let doc = &conversion.doc;
        let s = json!({
            "nullable": true,
            "oneOf": [{"required": ["a"]}, {"minLength": 1}],
            "allOf": [{"oneOf": [
                {"type": "string", "maxLength": 3},
                {"type": "object", "properties": {"a": {"type": "integer", "nullable": true}}}
            ]}]
        });
        assert_eq!(doc.pointer("/components/schemas/S"), Some(&s));
        let t = json!({"allOf": [{"description": "d"}, {"oneOf": [{"type": "string"}, {"type": "integer"}]}], "anyOf": [{}]});
        assert_eq!(doc.pointer("/components/schemas/T"), Some(&t));
        // A `$ref` into a keyword that moved into a branch follows it.
        assert_eq!(doc.pointer("/components/schemas/U/$ref"), Some(&json!("#/components/schemas/S/allOf/0/oneOf/1/properties/a")));
        let map = &conversion.source_map;
        assert_eq!(map.original(&pointer("/allOf/0/oneOf/0/maxLength")), pointer("/maxLength"));
        assert_eq!(map.original(&pointer("/allOf/0/oneOf/1/type")), pointer("/type"));
        assert_eq!(map.original(&pointer("/allOf/0/oneOf/1/properties/a/type")), pointer("/properties/a/type"));
        assert_eq!(map.original(&pointer("/allOf/0")), pointer(""));
        assert_eq!(map.original("#/components/schemas/T/allOf/1/oneOf/0/type"), "#/components/schemas/T/type");
        assert!(conversion.warnings.is_empty());
        // A `$ref` with a type list beside it: the reference and the types both apply.
        let (reference, _) = lenient(json!({"$ref": "#/components/schemas/T", "type": ["string", "integer"]}))?;
        let expected = json!({"allOf": [{"$ref": "#/components/schemas/T"}, {"oneOf": [{"type": "string"}, {"type": "integer"}]}]});
        assert_eq!(reference, expected);
        let malformed = refusal(json!({"type": ["string", "integer"], "oneOf": [{}], "allOf": 3}));
        assert_eq!(malformed.map(|(kind, at, _)| (kind, at)), Some((DiagnosticKind::Invalid, pointer("/allOf"))));
        Ok(())
    }

    #[test]
    fn a_type_that_is_no_string_is_left_for_the_reader() {
        let converted = convert(document(json!({"S": {"type": 5}}))).map(|c| c.doc);
        assert_eq!(converted.ok().and_then(|d| d.pointer("/components/schemas/S/type").cloned()), Some(json!(5)));
    }

    #[test]
    fn examples_become_example() -> Result<(), Diagnostic> {
        assert_eq!(schema(json!({"type": "string", "examples": ["a", "b"]}))?, json!({"type": "string", "example": "a"}));
        assert_eq!(schema(json!({"example": "x", "examples": ["a"]}))?, json!({"example": "x"}));
        assert_eq!(schema(json!({"examples": []}))?, json!({}));
        // A map is not a 3.1 `examples`; the 3.0 reader ignores it.
        assert_eq!(schema(json!({"examples": {"a": 1}}))?, json!({"examples": {"a": 1}}));
        Ok(())
    }

    #[test]
    fn const_becomes_a_one_value_enum() -> Result<(), Diagnostic> {
        assert_eq!(schema(json!({"type": "string", "const": "card"}))?, json!({"type": "string", "enum": ["card"]}));
        assert_eq!(schema(json!({"const": 2, "enum": [1, 2]}))?, json!({"enum": [2]}));
        assert_eq!(schema(json!({"const": null}))?, json!({"enum": [null], "nullable": true}));
        let outside = refusal(json!({"const": 3, "enum": [1, 2]}));
        assert_eq!(outside.map(|(kind, at, _)| (kind, at)), Some((DiagnosticKind::Invalid, pointer("/const"))));
        Ok(())
    }

    #[test]
    fn numeric_exclusive_bounds_become_boolean() -> Result<(), Diagnostic> {
        assert_eq!(
            schema(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10}))?,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
        // The tighter bound wins.
        assert_eq!(
            schema(json!({"type": "integer", "minimum": 5, "exclusiveMinimum": 1}))?,
            json!({"type": "integer", "minimum": 5})
        );
        assert_eq!(
            schema(json!({"type": "integer", "minimum": 1, "exclusiveMinimum": 5}))?,
            json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true})
        );
        assert_eq!(schema(json!({"maximum": 1, "exclusiveMaximum": 1}))?, json!({"maximum": 1, "exclusiveMaximum": true}));
        assert_eq!(schema(json!({"maximum": 9, "exclusiveMaximum": 12.5}))?, json!({"maximum": 9}));
        // Already the 3.0 form.
        assert_eq!(schema(json!({"minimum": 1, "exclusiveMinimum": true}))?, json!({"minimum": 1, "exclusiveMinimum": true}));
        Ok(())
    }

    #[test]
    fn content_keywords_become_formats() -> Result<(), Diagnostic> {
        let base64 = schema(json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"}))?;
        assert_eq!(base64, json!({"type": "string", "format": "byte"}));
        assert_eq!(schema(json!({"type": "string", "contentMediaType": "image/png"}))?, json!({"type": "string", "format": "binary"}));
        assert_eq!(schema(json!({"type": "string", "contentMediaType": "application/json"}))?, json!({"type": "string"}));
        assert_eq!(
            schema(json!({"type": "string", "format": "uri", "contentEncoding": "base64"}))?,
            json!({"type": "string", "format": "uri"})
        );
        assert_eq!(schema(json!({"type": "object", "contentEncoding": "base64"}))?, json!({"type": "object"}));
        Ok(())
    }

    #[test]
    fn null_branches_make_the_union_nullable() -> Result<(), Diagnostic> {
        let reference = schema(json!({"oneOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}))?;
        assert_eq!(reference, json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]}));
        let inline = schema(json!({"description": "d", "anyOf": [{"type": "string", "const": "x"}, {"type": "null", "description": "none"}]}))?;
        assert_eq!(inline, json!({"description": "d", "nullable": true, "type": "string", "enum": ["x"]}));
        let several = schema(json!({"oneOf": [{"type": "string"}, {"const": null}, {"type": "integer"}]}))?;
        assert_eq!(several, json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]}));
        Ok(())
    }

    #[test]
    fn refs_into_moved_subtrees_follow_them() -> Result<(), Diagnostic> {
        let doc = converted(document(json!({
            "S": {"oneOf": [{"type": "string"}, {"type": "null"}, {"type": "object", "properties": {"a": {"type": "integer"}}}]},
            "T": {"$ref": "#/components/schemas/S/oneOf/2/properties/a"},
            "U": {"type": ["object", "null", "string"], "properties": {"b": {"type": "string"}}},
            "V": {"$ref": "#/components/schemas/U/properties/b"},
            "W": {"$ref": "#/components/schemas/U"}
        })))?;
        assert_eq!(doc.pointer("/components/schemas/T/$ref"), Some(&json!("#/components/schemas/S/oneOf/1/properties/a")));
        assert_eq!(doc.pointer("/components/schemas/V/$ref"), Some(&json!("#/components/schemas/U/oneOf/0/properties/b")));
        assert_eq!(doc.pointer("/components/schemas/W/$ref"), Some(&json!("#/components/schemas/U")));
        Ok(())
    }

    #[test]
    fn restructured_pointers_map_back() -> Result<(), Diagnostic> {
        let conversion = convert(document(json!({
            "S": {"type": ["object", "string"], "properties": {"a": {"type": ["integer", "boolean"]}}, "maxLength": 2},
            "T": {"$ref": "#/components/schemas/S", "minProperties": 1}
        })))?;
        let map = &conversion.source_map;
        assert_eq!(map.original(&pointer("/oneOf/1/maxLength")), pointer("/maxLength"));
        assert_eq!(map.original(&pointer("/oneOf/0/properties/a/oneOf/1/type")), pointer("/properties/a/type"));
        assert_eq!(map.original("#/components/schemas/T/allOf/0/$ref"), "#/components/schemas/T/$ref");
        Ok(())
    }

    #[test]
    fn ref_siblings_that_matter_wrap_the_ref() -> Result<(), Diagnostic> {
        let doc = converted(document(json!({
            "T": {"type": ["string", "null"]},
            "S": {"type": "object", "properties": {
                "documented": {"$ref": "#/components/schemas/T", "description": "d"},
                "constrained": {"$ref": "#/components/schemas/U", "minLength": 2},
                "plain": {"$ref": "#/components/schemas/U", "$comment": "c", "examples": ["a"]},
                "typed": {"$ref": "#/components/schemas/T", "type": "string"}
            }, "items": {"$ref": "#/components/schemas/U", "description": "dropped"}},
            "U": {"type": "string"}
        })))?;
        let properties = doc.pointer("/components/schemas/S/properties").cloned().unwrap_or(Value::Null);
        let t = json!([{"$ref": "#/components/schemas/T"}]);
        let u = json!([{"$ref": "#/components/schemas/U"}]);
        // The wrapper admits null as its target does, unless its own `type` says otherwise.
        assert_eq!(properties["documented"], json!({"description": "d", "allOf": t, "nullable": true}));
        assert_eq!(properties["constrained"], json!({"minLength": 2, "allOf": u}));
        assert_eq!(properties["plain"], json!({"$ref": "#/components/schemas/U"}));
        assert_eq!(properties["typed"], json!({"type": "string", "allOf": t}));
        assert_eq!(doc.pointer("/components/schemas/S/items"), Some(&json!({"$ref": "#/components/schemas/U"})));
        Ok(())
    }

    #[test]
    fn unevaluated_properties_map_where_exact() -> Result<(), Diagnostic> {
        assert_eq!(
            schema(json!({"properties": {"a": {}}, "unevaluatedProperties": false}))?,
            json!({"properties": {"a": {}}, "additionalProperties": false})
        );
        assert_eq!(
            schema(json!({"additionalProperties": {"type": "string"}, "unevaluatedProperties": false}))?,
            json!({"additionalProperties": {"type": "string"}})
        );
        assert_eq!(schema(json!({"allOf": [{}], "unevaluatedProperties": true}))?, json!({"allOf": [{}]}));
        let closed = schema(json!({"unevaluatedProperties": false, "oneOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {}}},
            {"required": ["b"], "properties": {"b": {}, "c": {}}}
        ]}))?;
        let expected = json!({"oneOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {}}, "additionalProperties": false},
            {"required": ["b"], "properties": {"b": {}, "c": {}}, "additionalProperties": false}
        ]});
        assert_eq!(closed, expected);
        Ok(())
    }

    #[test]
    fn unevaluated_properties_are_not_checked_where_not_exact() -> Result<(), Diagnostic> {
        let cases = [
            // A value with `a` and `b` fits both open branches (3.1 rejects it) but one closed one.
            json!({"unevaluatedProperties": false, "oneOf": [
                {"required": ["a"], "properties": {"a": {}, "b": {}}}, {"required": ["b"], "properties": {"b": {}}}
            ]}),
            json!({"unevaluatedProperties": false, "allOf": [{"properties": {"a": {}}}]}),
            json!({"unevaluatedProperties": false, "anyOf": [{"required": ["a"], "properties": {"a": {}}}]}),
            json!({"unevaluatedProperties": false, "oneOf": [{"$ref": "#/components/schemas/T"}]}),
            json!({"unevaluatedProperties": {"type": "string"}, "oneOf": [{"required": ["a"], "properties": {"a": {}}}]}),
            json!({"$ref": "#/components/schemas/T", "unevaluatedProperties": false}),
            // Properties matching a dropped `patternProperties` are evaluated too.
            json!({"properties": {"a": {}}, "patternProperties": {"^x-": {}}, "unevaluatedProperties": false}),
        ];
        for case in cases {
            let (converted, warnings) = lenient(case.clone())?;
            assert!(converted.get("unevaluatedProperties").is_none() && converted.get("additionalProperties").is_none(), "{converted}");
            let about: Vec<&(String, String)> = warnings.iter().filter(|(at, _)| at.ends_with("/unevaluatedProperties")).collect();
            assert_eq!(about.len(), 1, "{case}: {warnings:?}");
            assert_eq!(about[0].0, pointer("/unevaluatedProperties"));
            let message = &about[0].1;
            if case["unevaluatedProperties"] == json!(false) {
                assert!(message.starts_with("`unevaluatedProperties: false` beside subschemas"), "{message}");
                assert!(message.contains("not checked, so properties that no subschema declares are accepted"), "{message}");
            } else {
                assert!(message.contains("the generated type does not keep the properties it describes"), "{message}");
            }
        }
        // Beside `additionalProperties` it evaluates nothing: no warning.
        let (_, warnings) = lenient(json!({"patternProperties": {"^x": {}}, "additionalProperties": {}, "unevaluatedProperties": false}))?;
        assert_eq!(warned_at(&warnings, "`patternProperties`"), Some(pointer("/patternProperties")));
        Ok(())
    }

    #[test]
    fn unevaluated_items_map_where_exact() -> Result<(), Diagnostic> {
        assert_eq!(schema(json!({"type": "array", "unevaluatedItems": {"type": "string"}}))?, json!({"type": "array", "items": {"type": "string"}}));
        assert_eq!(schema(json!({"type": "array", "items": {}, "unevaluatedItems": false}))?, json!({"type": "array", "items": {}}));
        for case in [json!({"allOf": [{}], "unevaluatedItems": false}), json!({"contains": {}, "unevaluatedItems": false})] {
            let (converted, warnings) = lenient(case.clone())?;
            assert!(converted.get("items").is_none() && converted.get("unevaluatedItems").is_none(), "{converted}");
            let at: Vec<&str> = warnings.iter().map(|(at, _)| at.as_str()).collect();
            assert_eq!(at.last().copied(), Some(pointer("/unevaluatedItems").as_str()), "{case}");
            assert!(warnings.iter().any(|(_, message)| message.contains("the items that no subschema describes are not checked")));
        }
        Ok(())
    }

    #[test]
    fn keywords_that_change_the_shape_make_a_json_value() -> Result<(), Diagnostic> {
        let cases = [
            ("prefixItems", json!({"type": "array", "prefixItems": [{}], "items": {"type": "string"}, "minItems": 1}),
             json!({"type": "array", "minItems": 1}), "`prefixItems` (tuple items) has no OpenAPI 3.0 equivalent",
             "nor is `items`, which describes only the items after them"),
            ("items", json!({"type": "array", "items": [{}], "additionalItems": false, "unevaluatedItems": false}),
             json!({"type": "array"}), "`items` as a list of schemas (tuple items)",
             "nor are `additionalItems` and `unevaluatedItems`, which describe only the items after them"),
            ("if", json!({"then": {"required": ["b"]}, "if": {"required": ["a"]}, "else": {}, "type": "object"}),
             json!({"type": "object"}), "`if`/`then`/`else` has no OpenAPI 3.0 equivalent", "the conditions are not checked"),
            ("dependentSchemas", json!({"dependentSchemas": {"a": {}}, "required": ["a"]}),
             json!({"required": ["a"]}), "`dependentSchemas` has no OpenAPI 3.0 equivalent", "not checked"),
            ("patternProperties", json!({"type": "object", "properties": {"a": {}}, "patternProperties": {"^x": {}}, "additionalProperties": false}),
             json!({"type": "object", "properties": {"a": {}}}), "`patternProperties` has no OpenAPI 3.0 equivalent",
             "nor is `additionalProperties`, which applies only to the properties that no pattern matches"),
            ("$dynamicRef", json!({"$dynamicRef": "#node"}), json!({}), "`$dynamicRef` has no OpenAPI 3.0 equivalent",
             "not checked against the schema it refers to"),
        ];
        for (keyword, input, kept, start, lost) in cases {
            let (converted, warnings) = lenient(json!({"type": "object", "properties": {"p": input}}))?;
            let p = &converted["properties"]["p"];
            let marker = p.get(crate::load::JSON_VALUE_EXTENSION).and_then(Value::as_str).unwrap_or_default();
            assert!(marker.contains("has no OpenAPI 3.0 equivalent"), "{keyword}: {p}");
            let mut rest = p.clone();
            if let Some(rest) = rest.as_object_mut() {
                rest.shift_remove(crate::load::JSON_VALUE_EXTENSION);
            }
            assert_eq!(rest, kept, "{keyword}: the 3.0 keywords stay to be checked");
            assert_eq!(warned_at(&warnings, start), Some(pointer(&format!("/properties/p/{keyword}"))));
            assert!(warnings[0].1.contains("read as a JSON value (`serde_json::Value`)"), "{warnings:?}");
            assert!(warnings[0].1.contains(lost), "{keyword}: {warnings:?}");
        }
        // A marked `$ref` keeps its wrapper, so the marker is not lost with the siblings.
        let (reference, _) = lenient(json!({"$ref": "#/components/schemas/T", "patternProperties": {"^x": {}}}))?;
        assert_eq!(reference["allOf"], json!([{"$ref": "#/components/schemas/T"}]));
        assert!(reference.get(crate::load::JSON_VALUE_EXTENSION).is_some(), "{reference}");
        // An author's own marker is kept.
        let (own, _) = lenient(json!({"x-codegen-json-value": "mine", "if": {}}))?;
        assert_eq!(own, json!({"x-codegen-json-value": "mine"}));
        Ok(())
    }

    #[test]
    fn keywords_that_only_constrain_are_not_checked() -> Result<(), Diagnostic> {
        let cases = [
            ("propertyNames", json!({"type": "object", "propertyNames": {"maxLength": 3}}), "property names are not checked"),
            ("dependentRequired", json!({"type": "object", "dependentRequired": {"a": ["b"]}}), "the properties it requires are not checked"),
            ("contains", json!({"type": "object", "maxContains": 3, "contains": {}, "minContains": 2}), "not checked"),
        ];
        for (keyword, input, lost) in cases {
            let (converted, warnings) = lenient(json!({"properties": {"p": input}}))?;
            assert_eq!(converted["properties"]["p"], json!({"type": "object"}), "{keyword}: no marker, nothing else left");
            let at = warned_at(&warnings, &format!("`{keyword}`"));
            assert_eq!(at, Some(pointer(&format!("/properties/p/{keyword}"))));
            assert!(warnings[0].1.ends_with(lost), "{warnings:?}");
        }
        Ok(())
    }

    #[test]
    fn other_dialects_and_ids_are_read_as_this_document() -> Result<(), Diagnostic> {
        let (converted, warnings) = lenient(json!({"type": "object", "properties": {
            "a": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"},
            "b": {"$id": "https://x.io/s", "properties": {"c": {"$ref": "#/components/schemas/T"}}}
        }}))?;
        assert_eq!(converted["properties"]["a"], json!({"type": "string"}));
        assert_eq!(converted["properties"]["b"], json!({"properties": {"c": {"$ref": "#/components/schemas/T"}}}));
        let at: Vec<&str> = warnings.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(at, [pointer("/properties/a/$schema"), pointer("/properties/b/$id")]);
        assert!(warnings[0].1.starts_with("`$schema` `http://json-schema.org/draft-07/schema#` is ignored: the schema is read with the default OpenAPI 3.1 dialect"));
        assert!(warnings[1].1.starts_with("`$id` `https://x.io/s` is ignored: the `$ref`s in this schema are read against this document"));
        Ok(())
    }

    #[test]
    fn anchor_references_become_pointers() -> Result<(), Diagnostic> {
        let conversion = convert(document(json!({
            "S": {"oneOf": [{"type": "null"}, {"type": "string"}, {"$anchor": "obj", "type": "object"}]},
            "T": {"$ref": "#obj"},
            "U": {"$dynamicAnchor": "u", "type": "integer"},
            "V": {"type": "object", "properties": {"u": {"$ref": "#u", "description": "d"}}}
        })))?;
        let doc = &conversion.doc;
        // The anchored branch moved when the null branch was taken out; the reference follows.
        assert_eq!(doc.pointer("/components/schemas/T"), Some(&json!({"$ref": "#/components/schemas/S/oneOf/1"})));
        assert_eq!(doc.pointer("/components/schemas/V/properties/u/allOf/0"), Some(&json!({"$ref": "#/components/schemas/U"})));
        assert!(conversion.warnings.is_empty());
        let dangling = refusal(json!({"properties": {"a": {"$ref": "#nowhere"}}}));
        assert_eq!(dangling.as_ref().map(|(kind, at, _)| (*kind, at.clone())), Some((DiagnosticKind::Invalid, pointer("/properties/a/$ref"))));
        assert!(dangling.is_some_and(|(_, _, message)| message.starts_with("dangling $ref `#nowhere`")));
        let twice = convert(document(json!({"A": {"$anchor": "x"}, "B": {"$anchor": "x"}, "S": {"$ref": "#x"}}))).err();
        assert!(twice.is_some_and(|err| err.message.contains("ambiguous") && err.location == Location::Pointer(pointer("/$ref"))));
        Ok(())
    }

    #[test]
    fn warnings_point_into_the_users_file_after_restructuring() -> Result<(), Diagnostic> {
        let (_, warnings) = lenient(json!({"type": ["object", "string"], "properties": {"a": {"type": ["integer", "string"], "if": {}}}}))?;
        assert_eq!(warned_at(&warnings, "`if`"), Some(pointer("/properties/a/if")));
        let (_, warnings) = lenient(json!({"anyOf": [{"type": "null"}, {"type": "object", "patternProperties": {}}]}))?;
        assert_eq!(warned_at(&warnings, "`patternProperties`"), Some(pointer("/anyOf/1/patternProperties")));
        Ok(())
    }

    #[test]
    fn identifiers_and_comments_are_dropped_when_harmless() -> Result<(), Diagnostic> {
        let input = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://x.io/s", "$comment": "c",
            "$anchor": "s", "then": {}, "maxContains": 1, "type": "string"
        });
        // `then` without `if` and `maxContains` without `contains` mean nothing: no warning.
        assert_eq!(lenient(input)?, (json!({"type": "string"}), Vec::new()));
        Ok(())
    }

    #[test]
    fn boolean_schemas_and_defs() -> Result<(), Diagnostic> {
        let input = json!({"properties": {"any": true, "none": false}, "additionalProperties": false, "$defs": {"D": {"type": ["string", "null"]}}});
        let expected = json!({
            "properties": {"any": {}, "none": {"not": {}}}, "additionalProperties": false,
            "$defs": {"D": {"type": "string", "nullable": true}}
        });
        assert_eq!(schema(input)?, expected);
        assert_eq!(schema(json!(true))?, json!({}));
        Ok(())
    }

    #[test]
    fn schemas_everywhere_are_mapped() -> Result<(), Diagnostic> {
        let nullable = json!({"type": ["string", "null"]});
        let mapped = json!({"type": "string", "nullable": true});
        let media = json!({"application/json": {"schema": nullable, "encoding": {"a": {"headers": {"H": {"schema": nullable}}}}}});
        let operation = json!({
            "parameters": [{"name": "q", "in": "query", "schema": nullable}, {"name": "c", "in": "query", "content": media}],
            "requestBody": {"content": media},
            "responses": {"200": {"description": "ok", "headers": {"H": {"schema": nullable}}, "content": media}},
            "callbacks": {"cb": {"{$request.body#/url}": {"post": {"requestBody": {"content": media}}}}}
        });
        let doc = converted(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"parameters": [{"name": "p", "in": "query", "schema": nullable}], "post": operation}},
            "components": {
                "parameters": {"P": {"name": "p", "in": "query", "schema": nullable}},
                "headers": {"H": {"schema": nullable}},
                "requestBodies": {"B": {"content": media}},
                "responses": {"R": {"description": "r", "content": media}}
            }
        }))?;
        let pointers = [
            "/paths/~1a/parameters/0/schema",
            "/paths/~1a/post/parameters/0/schema",
            "/paths/~1a/post/parameters/1/content/application~1json/schema",
            "/paths/~1a/post/parameters/1/content/application~1json/encoding/a/headers/H/schema",
            "/paths/~1a/post/requestBody/content/application~1json/schema",
            "/paths/~1a/post/responses/200/headers/H/schema",
            "/paths/~1a/post/responses/200/content/application~1json/schema",
            "/paths/~1a/post/callbacks/cb/{$request.body#~1url}/post/requestBody/content/application~1json/schema",
            "/components/parameters/P/schema",
            "/components/headers/H/schema",
            "/components/requestBodies/B/content/application~1json/schema",
            "/components/responses/R/content/application~1json/schema",
        ];
        for at in pointers {
            assert_eq!(doc.pointer(at), Some(&mapped), "{at}");
        }
        Ok(())
    }

    #[test]
    fn document_fields_new_in_31() -> Result<(), Diagnostic> {
        let conversion = convert(json!({
            "openapi": "3.1.1",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {"title": "t", "summary": "s", "version": "1", "license": {"name": "Apache License", "identifier": "Apache-2.0"}},
            "webhooks": {"hook": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "components": {}
        }))?;
        let doc = &conversion.doc;
        assert_eq!(doc["openapi"], json!("3.0.3"));
        assert_eq!(doc.get("jsonSchemaDialect"), None);
        assert_eq!(doc.get("webhooks"), None);
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(doc["info"]["description"], json!("s"));
        assert_eq!(
            doc["info"]["license"],
            json!({"name": "Apache-2.0", "url": "https://spdx.org/licenses/Apache-2.0.html"})
        );
        let warnings: Vec<(DiagnosticKind, Location)> = conversion.warnings.iter().map(|w| (w.kind, w.location.clone())).collect();
        assert_eq!(warnings, vec![(DiagnosticKind::Unsupported, Location::Pointer("#/webhooks".into()))]);
        assert!(conversion.warnings[0].message.starts_with("webhooks are not generated"));
        Ok(())
    }

    #[test]
    fn dialects_other_than_the_default_are_read_as_the_default() -> Result<(), Diagnostic> {
        let with = |dialect: Value| {
            convert(json!({"openapi": "3.1.0", "jsonSchemaDialect": dialect, "info": {"title": "t", "version": "1"}}))
        };
        let other = with(json!("https://json-schema.org/draft/2019-09/schema"))?;
        assert_eq!(other.doc.get("jsonSchemaDialect"), None);
        let warned = warnings(&other.warnings);
        assert_eq!(warned_at(&warned, "`jsonSchemaDialect` `https://json-schema.org/draft/2019-09/schema` is ignored"), Some("#/jsonSchemaDialect".into()));
        assert!(warned[0].1.contains("read with the default OpenAPI 3.1 dialect"));
        assert_eq!(with(json!(7)).err().map(|err| (err.kind, err.location)), Some((DiagnosticKind::Invalid, Location::Pointer("#/jsonSchemaDialect".into()))));
        assert!(with(json!("https://json-schema.org/draft/2020-12/schema"))?.warnings.is_empty());
        Ok(())
    }

    #[test]
    fn path_items_are_inlined() -> Result<(), Diagnostic> {
        let operation = json!({"operationId": "list", "parameters": [{"name": "q", "in": "query", "schema": {"type": ["string", "null"]}}]});
        let conversion = convert(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "mine"}},
            "components": {"pathItems": {"A": {"$ref": "#/components/pathItems/B"}, "B": {"summary": "theirs", "get": operation}}}
        }))?;
        let item = &conversion.doc["paths"]["/a"];
        assert_eq!(item["summary"], json!("mine"));
        assert_eq!(item["get"]["parameters"][0]["schema"], json!({"type": "string", "nullable": true}));
        assert_eq!(item["get"]["responses"], json!({}));
        assert_eq!(conversion.doc["components"], json!({}));
        assert_eq!(conversion.source_map.original("#/paths/~1a/get/operationId"), "#/components/pathItems/B/get/operationId");
        Ok(())
    }

    #[test]
    fn bad_path_item_refs_are_reported() {
        let with = |path_items: Value| {
            convert(json!({
                "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"$ref": "#/components/pathItems/A"}}, "components": {"pathItems": path_items}
            }))
            .err()
            .map(|err| (err.kind, err.location, err.message))
        };
        let at = Location::Pointer("#/paths/~1a/$ref".into());
        let dangling = with(json!({}));
        assert_eq!(dangling.as_ref().map(|d| (d.0, d.1.clone())), Some((DiagnosticKind::Invalid, at.clone())));
        assert!(dangling.is_some_and(|d| d.2.contains("no `A` in components.pathItems")));
        let cycle = with(json!({"A": {"$ref": "#/components/pathItems/B"}, "B": {"$ref": "#/components/pathItems/A"}}));
        assert!(cycle.is_some_and(|d| d.1 == at && d.2.contains("A -> B -> A")));
    }

    #[test]
    fn mutual_tls_schemes_are_left_out() -> Result<(), Diagnostic> {
        let conversion = convert(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "security": [{"m": []}, {"k": []}],
            "components": {"securitySchemes": {
                "alias": {"$ref": "#/components/securitySchemes/m"},
                "m": {"type": "mutualTLS", "description": "client certificates"},
                "k": {"type": "apiKey", "in": "header", "name": "K"}
            }}
        }))?;
        assert_eq!(conversion.doc["components"]["securitySchemes"], json!({"k": {"type": "apiKey", "in": "header", "name": "K"}}));
        // The requirement stays: lowering reads it as one no request meets.
        assert_eq!(conversion.doc["security"], json!([{"m": []}, {"k": []}]));
        let warned = warnings(&conversion.warnings);
        let at: Vec<&str> = warned.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(at, ["#/components/securitySchemes/m", "#/components/securitySchemes/alias"]);
        assert!(warned[0].1.starts_with("`mutualTLS` security schemes have no OpenAPI 3.0 equivalent: `m` is left out"));
        assert!(warned[0].1.contains("a security requirement that names it can never be met by the generated server"));
        Ok(())
    }

    #[test]
    fn each_callback_is_reported_once() -> Result<(), Diagnostic> {
        let nested = json!({"{$request.body#/url}": {"post": {"callbacks": {"inner": {}}, "responses": {}}}});
        let conversion = convert(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}, "/b": {"$ref": "#/components/pathItems/A"}},
            "components": {
                "pathItems": {"A": {"post": {"callbacks": {"done": nested, "failed": {"$ref": "#/components/callbacks/F"}}}}},
                "callbacks": {"F": {}}
            }
        }))?;
        let warned = warnings(&conversion.warnings);
        let at: Vec<&str> = warned.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(at, ["#/components/pathItems/A/post/callbacks/done", "#/components/pathItems/A/post/callbacks/failed", "#/components/callbacks/F"]);
        assert!(warned.iter().all(|(_, message)| message == crate::load::callbacks::NOT_GENERATED));
        assert!(warned[0].1.starts_with("callbacks are not generated"));
        Ok(())
    }

    #[test]
    fn odd_values_never_panic() {
        let odd = [
            json!(5), json!(null), json!("s"), json!([]),
            json!({"type": {"a": 1}}), json!({"type": [null]}), json!({"examples": "x"}), json!({"const": {"a": [1]}, "enum": "x"}),
            json!({"exclusiveMinimum": "x", "minimum": 1}), json!({"exclusiveMinimum": 1, "minimum": "x"}),
            json!({"properties": [1]}), json!({"properties": {"a": 1}}), json!({"items": 3}), json!({"allOf": {"a": 1}}),
            json!({"oneOf": [null, {"type": "null"}]}), json!({"oneOf": [{"type": "null"}]}), json!({"anyOf": [{"type": "null"}, 1]}),
            json!({"$ref": 5}), json!({"$ref": "#/x", "allOf": 3}), json!({"$ref": "#/x", "minimum": 1, "allOf": [true]}),
            json!({"oneOf": [{}, {"type": "null"}], "allOf": "x"}), json!({"unevaluatedProperties": false, "oneOf": [1, 2]}),
            json!({"unevaluatedItems": 1}), json!({"type": ["string", "integer"], "enum": "x"}), json!({"contentEncoding": 1, "type": "string"}),
            json!({"$id": 1}), json!({"$schema": 1}), json!({"$defs": [1]}), json!({"type": ["object", "string"], "format": 5}),
            json!({"prefixItems": 1, "items": [1], "additionalItems": 2}), json!({"items": [], "unevaluatedItems": 1}),
            json!({"if": 1, "then": 1, "else": 1}), json!({"patternProperties": [1], "additionalProperties": 3, "unevaluatedProperties": 1}),
            json!({"$ref": "#a", "$anchor": 5}), json!({"$ref": "#a", "$dynamicAnchor": "a"}), json!({"$ref": "#", "$anchor": "x"}),
            json!({"type": ["string", "integer"], "allOf": "x"}), json!({"type": ["string", "integer"], "oneOf": 1}),
            json!({"$id": "x", "$ref": "#/x", "$schema": "y"}), json!({"x-codegen-json-value": 1, "contains": 1, "minContains": 1}),
        ];
        for schema in odd {
            let doc = document(json!({ "S": schema }));
            if let Ok(text) = serde_json::to_string(&doc) {
                let _ = crate::load::load_str(&text);
            }
        }
        let documents = [
            json!({"openapi": "3.1.0", "info": 1, "paths": [], "webhooks": 1, "components": 2}),
            json!({"openapi": "3.1.0", "info": {"license": {"identifier": 1}, "summary": 2}, "paths": {"/a": 1, "/b": {"$ref": 1}}}),
            json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": {"a": 1}, "responses": [], "callbacks": 1}}}}),
            json!({"openapi": "3.1.0", "components": {"pathItems": [], "schemas": [], "parameters": {"p": {"content": 1}}}}),
            json!({"openapi": "3.1.0", "components": {"securitySchemes": [], "callbacks": [1]}, "jsonSchemaDialect": "x"}),
            json!({"openapi": "3.1.0", "components": {"securitySchemes": {"a": 1, "b": {"type": "mutualTLS"}, "c": {"$ref": 3}}}}),
            json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"callbacks": {"c": 1, "d": {"e": 2}}}}}}),
        ];
        for doc in documents {
            if let Ok(text) = serde_json::to_string(&doc) {
                let _ = crate::load::load_str(&text);
            }
        }
    }
}
