//! Schemas to the validation view (`ir::SchemaCheck`): every keyword kept as written, component
//! references kept as references so recursive schemas stay finite.

use super::refs;
use super::shape::Shape;
use crate::error::{child_pointer, Diagnostic};
use crate::ir::{AdditionalCheck, CheckNode, ComponentCheck, PropertyCheck, SchemaCheck, TypeId};
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

/// Builds validation views.
pub struct CheckBuilder<'a> {
    spec: &'a OpenAPI,
    raw: &'a Value,
    components: IndexMap<String, usize>,
    /// Nested pointers being expanded (a nested `$ref` back into one of them is left open).
    in_progress: Vec<String>,
    /// Problems found (only what type lowering does not already report).
    pub diagnostics: Vec<Diagnostic>,
    /// Constructs checked differently from what the spec may mean (only what type lowering
    /// does not already report).
    pub warnings: Vec<Diagnostic>,
    /// Whether the document has an `enum` with no value but `null` anywhere.
    valueless_enums: bool,
}

/// Whether a mapping anywhere in the value has an `enum` list with no value other than `null`.
pub(super) fn has_valueless_enum(value: &Value) -> bool {
    match value {
        Value::Object(object) => {
            object.get("enum").and_then(Value::as_array).is_some_and(|values| values.iter().all(Value::is_null))
                || object.values().any(has_valueless_enum)
        }
        Value::Array(items) => items.iter().any(has_valueless_enum),
        _ => false,
    }
}

impl<'a> CheckBuilder<'a> {
    /// Indexes the component schemas in spec order (the same order as their type ids).
    /// `valueless_enums`: what [`has_valueless_enum`] says of the document.
    pub fn new(spec: &'a OpenAPI, raw: &'a Value, valueless_enums: bool) -> Self {
        let components = spec
            .components
            .as_ref()
            .map(|c| c.schemas.keys().enumerate().map(|(index, key)| (key.clone(), index)).collect())
            .unwrap_or_default();
        CheckBuilder { spec, raw, components, in_progress: Vec::new(), diagnostics: Vec::new(), warnings: Vec::new(), valueless_enums }
    }

    /// The validation view of every component schema.
    pub fn components(&mut self) -> Vec<ComponentCheck> {
        let Some(components) = &self.spec.components else { return Vec::new() };
        let mut out = Vec::new();
        for (index, (key, schema)) in components.schemas.iter().enumerate() {
            let pointer = child_pointer("#/components/schemas", key);
            let check = match schema {
                ReferenceOr::Item(item) => self.check(item, &pointer),
                ReferenceOr::Reference { .. } => {
                    SchemaCheck { pointer: pointer.clone(), all_of: vec![self.node(schema, &pointer)], ..Default::default() }
                }
            };
            out.push(ComponentCheck { spec_name: key.clone(), type_id: TypeId(index), check });
        }
        out
    }

    /// A use-site schema.
    pub fn node(&mut self, schema: &ReferenceOr<Schema>, pointer: &str) -> CheckNode {
        match schema {
            ReferenceOr::Item(item) => CheckNode::Inline(Box::new(self.check(item, pointer))),
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
        }
    }

    fn node_boxed(&mut self, schema: &ReferenceOr<Box<Schema>>, pointer: &str) -> CheckNode {
        match schema {
            ReferenceOr::Item(item) => CheckNode::Inline(Box::new(self.check(item, pointer))),
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
        }
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> CheckNode {
        let at = child_pointer(pointer, "$ref");
        if let Ok(name) = refs::component_name(reference, "schemas", &at) {
            if let Some(&index) = self.components.get(&name) {
                return CheckNode::Ref(index);
            }
        }
        // Inside a component: expand the schema it points at (type lowering reports dangling
        // and external references, so they are simply permissive here).
        if self.in_progress.iter().any(|p| p == reference) {
            return CheckNode::Inline(Box::default());
        }
        let Some(target) = reference.strip_prefix('#').and_then(|p| self.raw.pointer(p)) else {
            return CheckNode::Inline(Box::default());
        };
        let Ok(schema) = serde_json::from_value::<ReferenceOr<Schema>>(target.clone()) else {
            return CheckNode::Inline(Box::default());
        };
        self.in_progress.push(reference.to_string());
        let node = self.node(&schema, reference);
        self.in_progress.pop();
        node
    }

    /// Whether a property schema (or the component it references) is read-only / write-only.
    fn access(&self, schema: &ReferenceOr<Box<Schema>>) -> (bool, bool) {
        let data = match schema {
            ReferenceOr::Item(item) => Some(&item.schema_data),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/schemas/").unwrap_or_default();
                match self.spec.components.as_ref().and_then(|c| c.schemas.get(name)) {
                    Some(ReferenceOr::Item(item)) => Some(&item.schema_data),
                    _ => None,
                }
            }
        };
        data.map(|d| (d.read_only, d.write_only)).unwrap_or((false, false))
    }

    /// Every `mapping` of a discriminator must name a schema of the document (a `$ref` value or
    /// a component name): one that names nothing would leave its tag without a branch.
    fn check_mapping(&mut self, discriminator: &openapiv3::Discriminator, pointer: &str) {
        for (tag, target) in &discriminator.mapping {
            let found = match super::refs::local_pointer(target) {
                Some(target_pointer) => self.raw.pointer(&target_pointer).is_some(),
                None => !target.contains('#') && self.components.contains_key(target.as_str()),
            };
            if found {
                continue;
            }
            let at = child_pointer(&child_pointer(&child_pointer(pointer, "discriminator"), "mapping"), tag);
            let message = format!("discriminator mapping `{tag}` points at `{target}`, which is not a schema of this document");
            super::push_once(&mut self.diagnostics, Diagnostic::invalid(&at, message));
        }
    }

    fn check(&mut self, schema: &Schema, pointer: &str) -> SchemaCheck {
        let shape = Shape::of(schema);
        let data = shape.data;
        let kind = shape.ty;
        // `Shape` infers `object` from `properties`; JSON Schema does not, so only a declared
        // type constrains the value.
        let declared = match &schema.schema_kind {
            openapiv3::SchemaKind::Type(_) => kind,
            openapiv3::SchemaKind::Any(any) => any.typ.as_ref().and(kind),
            _ => None,
        };
        let mut enumeration = shape.enumeration.clone();
        if !data.nullable {
            enumeration.retain(|v| !v.is_null());
        }
        // The typed model reads a missing `enum` and an empty one alike; the document tells
        // (looked up only in documents that have an `enum` with no value other than `null`).
        let no_value = enumeration.is_empty()
            && self.valueless_enums
            && self.raw.pointer(pointer.trim_start_matches('#')).and_then(|raw| raw.get("enum")).is_some_and(Value::is_array);
        if no_value {
            let message = "this `enum` lists no value the schema allows, so no value is valid: validation refuses every one";
            super::push_once(&mut self.warnings, Diagnostic::invalid(&child_pointer(pointer, "enum"), message));
        }
        let properties_pointer = child_pointer(pointer, "properties");
        let properties = shape
            .properties
            .iter()
            .map(|(name, property)| {
                let (read_only, write_only) = self.access(property);
                PropertyCheck {
                    name: name.to_string(),
                    node: self.node_boxed(property, &child_pointer(&properties_pointer, name)),
                    read_only,
                    write_only,
                }
            })
            .collect();
        let additional = match shape.additional {
            None | Some(AdditionalProperties::Any(true)) => None,
            Some(AdditionalProperties::Any(false)) => Some(AdditionalCheck::Denied),
            Some(AdditionalProperties::Schema(schema)) => {
                Some(AdditionalCheck::Schema(self.node(schema, &child_pointer(pointer, "additionalProperties"))))
            }
        };
        let items = shape.items.map(|items| self.node_boxed(items, &child_pointer(pointer, "items")));
        let list = |builder: &mut Self, branches: &[ReferenceOr<Schema>], keyword: &str| -> Vec<CheckNode> {
            let base = child_pointer(pointer, keyword);
            branches.iter().enumerate().map(|(i, b)| builder.node(b, &child_pointer(&base, &i.to_string()))).collect()
        };
        let all_of = list(self, shape.all_of, "allOf");
        let one_of = list(self, shape.one_of, "oneOf");
        let any_of = list(self, shape.any_of, "anyOf");
        let not = match &schema.schema_kind {
            openapiv3::SchemaKind::Not { not } => Some(self.node(not, &child_pointer(pointer, "not"))),
            openapiv3::SchemaKind::Any(any) => any.not.as_ref().map(|not| self.node(not, &child_pointer(pointer, "not"))),
            _ => None,
        };
        let branches = if !shape.one_of.is_empty() { shape.one_of } else { shape.any_of };
        let discriminator = data.discriminator.as_ref().and_then(|discriminator| {
            let mut tags = Vec::new();
            for (index, branch) in branches.iter().enumerate() {
                let ReferenceOr::Reference { reference } = branch else { return None };
                let name = reference.strip_prefix("#/components/schemas/").unwrap_or(reference);
                let mut own: Vec<String> = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| *target == reference || target.as_str() == name)
                    .map(|(tag, _)| tag.clone())
                    .collect();
                if own.is_empty() {
                    own.push(name.to_string());
                }
                tags.extend(own.into_iter().map(|tag| (tag, index)));
            }
            Some((discriminator.property_name.clone(), tags))
        });
        if let Some(discriminator) = &data.discriminator {
            self.check_mapping(discriminator, pointer);
        }
        if let Some(pattern) = &shape.constraints.pattern {
            if let Err(err) = regress::Regex::new(pattern) {
                self.diagnostics.push(Diagnostic::invalid(
                    &child_pointer(pointer, "pattern"),
                    format!("`pattern` is not an ECMA-262 regular expression: {err}"),
                ));
            }
        }
        if let Some(divisor) = shape.constraints.multiple_of.filter(|divisor| divisor.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater)) {
            // JSON Schema: "MUST be a number, strictly greater than 0"; a zero divisor would
            // make every check of the value divide by zero.
            self.diagnostics.push(Diagnostic::invalid(
                &child_pointer(pointer, "multipleOf"),
                format!("`multipleOf` must be greater than 0, not {divisor}"),
            ));
        }
        SchemaCheck {
            pointer: pointer.to_string(),
            kind: declared,
            nullable: data.nullable,
            read_only: data.read_only,
            write_only: data.write_only,
            enumeration,
            no_value,
            constraints: shape.constraints.clone(),
            properties,
            required: shape.required.to_vec(),
            additional,
            items,
            all_of,
            one_of,
            any_of,
            not,
            discriminator,
        }
    }
}
