//! Schemas to named Rust types (`TypeDef`) and use-site types (`TypeRef`).
//!
//! Two phases, as in typify: every component schema gets its id and name before any schema is
//! converted, so forward and cyclic `$ref`s resolve to ids. Inline schemas that need a name of
//! their own (objects, enums, unions) get one derived from their parent and claimed after all
//! component names, so a component always keeps its own name.

mod composed;
mod unions;

use composed::typed_unions;

use super::refs;
use super::shape::Shape;
use crate::ir::JsonKind;
use crate::error::{child_pointer, Diagnostic};
use crate::ir::{
    Additional, Builtin, Constraints, EnumVariant, Field, StructDef, TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::naming::{self, NameSet};
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

/// Type names the generated code itself uses at the top level of the types crate.
const RESERVED_TYPE_NAMES: &[&str] = &[];

/// What a schema lowers to before it has a home.
// Short-lived and moved once, so the size difference between variants does not matter.
#[allow(clippy::large_enum_variant)]
enum Lowered {
    /// Needs a named type of its own.
    Def(TypeKind),
    /// Is expressed at the use site.
    Ref(TypeRef),
}

/// Builds the named types of an API.
pub struct TypeSpace<'a> {
    spec: &'a OpenAPI,
    /// The raw document, for `$ref`s that point inside a component.
    raw: &'a Value,
    /// Types already made for inline schemas, by JSON pointer, so that a `$ref` into a
    /// component and the component itself share one type.
    by_pointer: IndexMap<String, TypeRef>,
    /// Pointers being lowered right now (a nested `$ref` back into one of them is recursive).
    in_progress: Vec<String>,
    /// Nested `$ref`s being followed right now: one reached again before any schema is a
    /// chain of references that never ends.
    following: Vec<String>,
    types: Vec<TypeDef>,
    names: NameSet,
    components: IndexMap<String, TypeId>,
    /// The Rust names of the component types (never handed on to a member).
    component_names: std::collections::BTreeSet<String>,
    /// Recursion guard for `allOf` merging through references.
    merging: Vec<String>,
    /// Schemas (by pointer) already merged into the `allOf` being collected: a second inclusion
    /// adds nothing, and following it again makes diamonds (`A: allOf [B, B]`, `B: allOf [C, C]`,
    /// ...) exponential.
    merged_once: Vec<String>,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// Valid constructs generated less precisely than the spec says, with what was lost.
    pub warnings: Vec<Diagnostic>,
}

fn placeholder(name: String, spec_name: String, origin: String) -> TypeDef {
    TypeDef { name, spec_name, doc: None, origin, example: None, kind: TypeKind::Alias(TypeRef::Any, Constraints::default()) }
}

impl<'a> TypeSpace<'a> {
    /// Pre-assigns ids and names to every component schema.
    /// The raw document (JSON), for what the typed model does not keep.
    pub fn raw(&self) -> &'a Value {
        self.raw
    }

    pub fn new(spec: &'a OpenAPI, raw: &'a Value) -> Self {
        let mut space = TypeSpace {
            spec,
            raw,
            by_pointer: IndexMap::new(),
            in_progress: Vec::new(),
            following: Vec::new(),
            types: Vec::new(),
            names: NameSet::with_reserved(RESERVED_TYPE_NAMES),
            components: IndexMap::new(),
            component_names: Default::default(),
            merging: Vec::new(),
            merged_once: Vec::new(),
            diagnostics: Vec::new(),
            warnings: Vec::new(),
        };
        if let Some(components) = &spec.components {
            let keys: Vec<&str> = components.schemas.keys().map(String::as_str).collect();
            for (key, wanted) in components.schemas.keys().zip(naming::component_type_names(&keys)) {
                let name = space.names.claim(&wanted, "");
                let id = TypeId(space.types.len());
                let origin = child_pointer("#/components/schemas", key);
                space.component_names.insert(name.clone());
                space.types.push(placeholder(name, key.clone(), origin));
                space.components.insert(key.clone(), id);
            }
        }
        space
    }

    /// Converts every component schema.
    pub fn lower_components(&mut self) {
        let Some(components) = &self.spec.components else { return };
        let mut chains = std::collections::HashMap::new();
        for (key, schema) in &components.schemas {
            let Some(&id) = self.components.get(key) else { continue };
            let pointer = child_pointer("#/components/schemas", key);
            let name = self.types[id.0].name.clone();
            let kind = match schema {
                ReferenceOr::Reference { .. } => {
                    let resolved = if chain_ends_at_schema(&components.schemas, key, &mut chains) {
                        Ok(())
                    } else {
                        // Not a plain chain of component references: resolved in full, which also
                        // words the error of a dangling reference or a cycle.
                        refs::resolve(Some(&components.schemas), self.raw, "schemas", schema, &pointer).map(|_| ())
                    };
                    resolved.and_then(|()| self.reference(schema, &pointer).map(|r| TypeKind::Alias(r, Constraints::default())))
                }
                ReferenceOr::Item(item) => {
                    self.types[id.0].doc = Shape::of(item).doc();
                    self.types[id.0].example = item.schema_data.example.clone();
                    Ok(match self.lower_schema(item, &name, &pointer) {
                        Lowered::Def(kind) => kind,
                        Lowered::Ref(r @ (TypeRef::Vec(_) | TypeRef::Map(_))) => TypeKind::Newtype(r, Shape::of(item).constraints),
                        Lowered::Ref(r) => TypeKind::Alias(r, Shape::of(item).constraints),
                    })
                }
            };
            match kind {
                Ok(kind) => self.types[id.0].kind = kind,
                Err(err) => self.diagnostics.push(err),
            }
        }
    }

    /// Finishes: breaks containment cycles with `Box` and returns the types.
    pub fn finish(mut self) -> (Vec<TypeDef>, Vec<Diagnostic>, Vec<Diagnostic>) {
        self.warnings.extend(super::compose::settle_flattened(&mut self.types));
        self.diagnostics.extend(super::cycles::wrapper_cycles(&self.types));
        super::cycles::box_cycles(&mut self.types);
        (self.types, self.diagnostics, self.warnings)
    }

    /// Whether a `$ref` points at a component schema that is itself `nullable: true` (the field
    /// or item that references it then admits `null` too).
    fn referenced_nullable<T>(&self, schema: &ReferenceOr<T>) -> bool {
        let ReferenceOr::Reference { reference } = schema else { return false };
        let Some(name) = reference.strip_prefix("#/components/schemas/") else { return false };
        matches!(
            self.spec.components.as_ref().and_then(|c| c.schemas.get(name)),
            Some(ReferenceOr::Item(item)) if item.schema_data.nullable
        )
    }

    /// The id of a component schema, by its key.
    fn component(&self, name: &str) -> Option<TypeId> {
        self.components.get(name).copied()
    }

    /// A `$ref` to a component schema as a use-site type.
    fn reference<T>(&mut self, schema: &ReferenceOr<T>, pointer: &str) -> Result<TypeRef, Diagnostic> {
        let ReferenceOr::Reference { reference } = schema else {
            return Ok(TypeRef::Any);
        };
        let at = child_pointer(pointer, "$ref");
        let name = match refs::component_name(reference, "schemas", &at) {
            Ok(name) => name,
            Err(_) if reference.starts_with("#/") => return self.nested_reference(reference, &at),
            Err(err) => return Err(err),
        };
        match self.component(&name) {
            Some(id) => Ok(TypeRef::Named(id)),
            None => Err(Diagnostic::invalid(
                &at,
                format!("dangling $ref `{reference}`: there is no `{name}` in components.schemas"),
            )),
        }
    }

    /// Lowers a schema found at a use site (property, item, parameter, body) to a type,
    /// creating a named type for it when it needs one. `hint` is the name it gets then.
    pub fn use_site(&mut self, schema: &ReferenceOr<Schema>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { .. } => self.reference(schema, pointer).unwrap_or_else(|err| {
                self.diagnostics.push(err);
                TypeRef::Any
            }),
            ReferenceOr::Item(item) => self.inline(item, hint, pointer),
        }
    }

    /// The type of a request or response body: [`Self::use_site`], in an `Option` when the
    /// schema (or the component it names) is `nullable`, so that a `null` body is a value too.
    pub fn body_type(&mut self, schema: &ReferenceOr<Schema>, hint: &str, pointer: &str) -> TypeRef {
        let nullable = match schema {
            ReferenceOr::Item(item) => item.schema_data.nullable,
            ReferenceOr::Reference { .. } => self.referenced_nullable(schema),
        };
        let ty = self.use_site(schema, hint, pointer);
        if nullable && !matches!(ty, TypeRef::Nullable(_) | TypeRef::Any) {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    /// Same as [`Self::use_site`] for the boxed schemas `openapiv3` uses in properties and items.
    pub fn use_site_boxed(&mut self, schema: &ReferenceOr<Box<Schema>>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { .. } => self.reference(schema, pointer).unwrap_or_else(|err| {
                self.diagnostics.push(err);
                TypeRef::Any
            }),
            ReferenceOr::Item(item) => self.inline(item, hint, pointer),
        }
    }

    /// A `$ref` to a schema inside a component (`#/components/schemas/A/properties/b`).
    fn nested_reference(&mut self, reference: &str, at: &str) -> Result<TypeRef, Diagnostic> {
        if let Some(found) = self.by_pointer.get(reference) {
            return Ok(found.clone());
        }
        if self.in_progress.iter().any(|p| p == reference) {
            // A schema that refers to itself through a nested pointer: the cycle is kept open
            // with a JSON value rather than an infinitely deep type.
            return Ok(TypeRef::Any);
        }
        let target = self.raw.pointer(&reference[1..]).ok_or_else(|| {
            Diagnostic::invalid(at, format!("dangling $ref `{reference}`: nothing at that pointer"))
        })?;
        if let Some(kind) = other_component_kind(reference) {
            // Any object reads as a schema that admits everything; say so rather than guess.
            return Err(Diagnostic::invalid(
                at,
                format!("$ref `{reference}` points at a {kind} object where a schema is expected; point it at `#/components/schemas/<name>`"),
            ));
        }
        let schema: ReferenceOr<Schema> = serde_json::from_value(target.clone())
            .map_err(|err| Diagnostic::invalid(at, format!("$ref `{reference}` does not point at a schema: {err}")))?;
        // Named after the component's type (`Other`, not `IoExampleV1Other`) and the path in it.
        let mut tokens = reference.trim_start_matches("#/components/schemas/").split('/');
        let component = tokens.next().unwrap_or_default();
        let component_key = component.replace("~1", "/").replace("~0", "~");
        let mut hint = match self.components.get(component_key.as_str()).and_then(|id| self.types.get(id.0)) {
            Some(def) => def.name.clone(),
            None => naming::type_name(component, "T"),
        };
        for token in tokens.filter(|token| !matches!(*token, "properties" | "items" | "allOf" | "oneOf" | "anyOf" | "additionalProperties")) {
            hint.push_str(&naming::type_name(token, "T"));
        }
        if self.following.iter().any(|followed| followed == reference) {
            return Err(Diagnostic::invalid(
                at,
                format!("$ref `{reference}` leads back to itself through references alone: it never reaches a schema"),
            ));
        }
        self.following.push(reference.to_string());
        let ty = self.use_site(&schema, &hint, reference);
        self.following.pop();
        Ok(ty)
    }

    fn inline(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        if is_builtin(schema) {
            // Nothing to name, to share with a `$ref` or to recurse into: most properties.
            if let Lowered::Ref(ty) = self.lower_schema(schema, hint, pointer) {
                return ty;
            }
        }
        if let Some(found) = self.by_pointer.get(pointer) {
            return found.clone();
        }
        if self.in_progress.iter().any(|p| p == pointer) {
            // Reached again while being lowered (an `allOf` that merges its own parent's
            // properties): as for nested pointers, the cycle is kept open with a JSON value.
            return TypeRef::Any;
        }
        self.in_progress.push(pointer.to_string());
        let ty = self.inline_new(schema, hint, pointer);
        self.in_progress.pop();
        self.by_pointer.insert(pointer.to_string(), ty.clone());
        ty
    }

    fn inline_new(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        // Claim the name before lowering so that children derive their names from it.
        let name = self.names.claim(hint, "");
        match self.lower_schema(schema, &name, pointer) {
            Lowered::Ref(r) => {
                // A schema that stands for its only member may have handed its name on to it.
                if !self.is_named(&r, &name) {
                    self.names_release(&name);
                }
                r
            }
            Lowered::Def(kind) => {
                let id = TypeId(self.types.len());
                self.types.push(TypeDef {
                    name: name.clone(),
                    spec_name: name,
                    doc: Shape::of(schema).doc(),
                    origin: pointer.to_string(),
                    example: None,
                    kind,
                });
                id_ref(id)
            }
        }
    }

    /// Gives back a name claimed for an inline schema that turned out not to need one.
    fn names_release(&mut self, name: &str) {
        self.names.release(name);
    }

    fn is_named(&self, ty: &TypeRef, name: &str) -> bool {
        matches!(ty, TypeRef::Named(id) if self.types.get(id.0).is_some_and(|def| def.name == name))
    }

    /// Lowers the one member a schema stands for (a single `oneOf` branch, `allOf: [x]`) under
    /// the schema's own name, which an inline schema hands on (a component keeps its name).
    fn use_site_as(&mut self, schema: &ReferenceOr<Schema>, name: &str, pointer: &str) -> TypeRef {
        if self.component_names.contains(name) {
            return self.use_site(schema, name, pointer);
        }
        self.names.release(name);
        let ty = self.use_site(schema, name, pointer);
        if !self.is_named(&ty, name) {
            self.names.claim(name, "");
        }
        ty
    }

    /// The core decision: what Rust shape a schema has.
    fn lower_schema(&mut self, schema: &Schema, name: &str, pointer: &str) -> Lowered {
        let shape = Shape::of(schema);
        // Set by the loader on schemas that use a keyword with no precise Rust type (and by
        // authors who want a JSON value): nothing else about the shape is looked at.
        if shape.data.extensions.contains_key(crate::load::JSON_VALUE_EXTENSION) {
            return Lowered::Ref(TypeRef::Any);
        }
        if let Some(unknown) = shape.unknown_type {
            self.diagnostics.push(Diagnostic::unsupported(
                &child_pointer(pointer, "type"),
                format!("unknown schema type `{unknown}`; OpenAPI 3.0 types are string, number, integer, boolean, object and array"),
            ));
            return Lowered::Ref(TypeRef::Any);
        }
        let unions = typed_unions(&shape);
        // Properties that only declare the discriminator add nothing the union does not hold.
        let discriminator = shape.data.discriminator.as_ref().map(|d| d.property_name.as_str());
        let only_discriminator = shape.properties.iter().all(|(key, _)| Some(*key) == discriminator);
        if shape.all_of.is_empty() && only_discriminator {
            if let [(keyword, branches)] = unions.as_slice() {
                return self.lower_union_named(&shape, branches, keyword, name, name, pointer);
            }
        }
        // An `allOf` of constraints only (`allOf: [{maxItems: 3}]`) leaves the shape to the type.
        let all_of_shapes = shape.all_of.iter().any(|member| match member {
            ReferenceOr::Item(item) => !Shape::of(item).is_constraint_only(),
            ReferenceOr::Reference { .. } => true,
        });
        if all_of_shapes || !unions.is_empty() {
            return self.lower_composed(&shape, name, pointer);
        }
        if !shape.enumeration.is_empty() {
            if let Some(lowered) = self.lower_enum(&shape, name, pointer) {
                return lowered;
            }
        }
        match shape.ty {
            Some(JsonKind::Object) => self.lower_object(&shape, name, pointer),
            Some(JsonKind::Array) => {
                let item = match shape.items {
                    Some(items) => {
                        let nullable =
                            matches!(items, ReferenceOr::Item(s) if s.schema_data.nullable) || self.referenced_nullable(items);
                        let ty = self.use_site_boxed(items, &format!("{name}Item"), &child_pointer(pointer, "items"));
                        if nullable { TypeRef::Nullable(Box::new(ty)) } else { ty }
                    }
                    None => TypeRef::Any,
                };
                Lowered::Ref(TypeRef::Vec(Box::new(item)))
            }
            Some(JsonKind::String) => Lowered::Ref(TypeRef::Builtin(match shape.format.as_deref() {
                Some("date-time") => Builtin::DateTime,
                Some("date") => Builtin::Date,
                Some("uuid") => Builtin::Uuid,
                _ => Builtin::String,
            })),
            Some(JsonKind::Integer) => Lowered::Ref(TypeRef::Builtin(match shape.format.as_deref() {
                Some("int8") => Builtin::I8,
                Some("int16") => Builtin::I16,
                Some("int32") => Builtin::I32,
                Some("uint8") => Builtin::U8,
                Some("uint16") => Builtin::U16,
                Some("uint32") => Builtin::U32,
                Some("uint64") => Builtin::U64,
                _ => Builtin::I64,
            })),
            Some(JsonKind::Number) => Lowered::Ref(TypeRef::Builtin(Builtin::F64)),
            Some(JsonKind::Boolean) => Lowered::Ref(TypeRef::Builtin(Builtin::Bool)),
            None => Lowered::Ref(TypeRef::Any),
        }
    }

    fn lower_enum(&mut self, shape: &Shape<'_>, name: &str, pointer: &str) -> Option<Lowered> {
        let values: Vec<&Value> = shape.enumeration.iter().filter(|v| !v.is_null()).collect();
        if values.is_empty() {
            return None;
        }
        if values.iter().all(|v| v.is_string()) && matches!(shape.ty, None | Some(JsonKind::String)) {
            let mut names = NameSet::default();
            let mut variants = Vec::new();
            // A set, not a list: an enum can have thousands of values.
            let mut seen = std::collections::HashSet::new();
            for value in values {
                let wire = value.as_str().unwrap_or_default().to_string();
                if !seen.insert(wire.clone()) {
                    continue;
                }
                let wanted = if wire.is_empty() { "Empty".to_string() } else { naming::type_name(&wire, "V") };
                variants.push(EnumVariant { name: names.claim(&wanted, ""), wire });
            }
            return Some(Lowered::Def(TypeKind::StringEnum(variants)));
        }
        if values.iter().all(|v| v.is_i64()) && matches!(shape.ty, None | Some(JsonKind::Integer)) {
            let mut names = NameSet::default();
            let mut variants = Vec::new();
            let mut seen = std::collections::HashSet::new();
            let custom: Option<Vec<String>> = shape
                .data
                .extensions
                .get("x-enum-varnames")
                .and_then(|v| serde_json::from_value(v.clone()).ok());
            for (index, value) in values.iter().enumerate() {
                let wire = value.as_i64().unwrap_or_default();
                if !seen.insert(wire) {
                    continue;
                }
                let wanted = match custom.as_ref().and_then(|c| c.get(index)) {
                    Some(custom) => naming::type_name(custom, "V"),
                    None if wire < 0 => format!("VMinus{}", wire.unsigned_abs()),
                    None => format!("V{wire}"),
                };
                variants.push(EnumVariant { name: names.claim(&wanted, ""), wire });
            }
            return Some(Lowered::Def(TypeKind::IntegerEnum(variants)));
        }
        // Enums of booleans, numbers or mixed values keep their base type; the validation
        // crate checks membership.
        let _ = (name, pointer);
        None
    }

    fn lower_object(&mut self, shape: &Shape<'_>, name: &str, pointer: &str) -> Lowered {
        let additional_pointer = child_pointer(pointer, "additionalProperties");
        let additional = match shape.additional {
            None => None,
            Some(AdditionalProperties::Any(false)) => Some(Additional::Denied),
            Some(AdditionalProperties::Any(true)) => Some(Additional::Map(TypeRef::Any)),
            Some(AdditionalProperties::Schema(schema)) => {
                let nullable = matches!(schema.as_ref(), ReferenceOr::Item(s) if s.schema_data.nullable)
                    || self.referenced_nullable(schema.as_ref());
                let ty = self.use_site(schema, &format!("{name}Value"), &additional_pointer);
                Some(Additional::Map(if nullable { TypeRef::Nullable(Box::new(ty)) } else { ty }))
            }
        };
        if shape.properties.is_empty() {
            return match additional {
                Some(Additional::Denied) => Lowered::Def(TypeKind::Struct(StructDef {
                    fields: Vec::new(),
                    additional: Additional::Denied,
                    constraints: shape.constraints.clone(),
                    flattened: Vec::new(),
                })),
                Some(Additional::Map(value)) => Lowered::Ref(TypeRef::Map(Box::new(value))),
                None | Some(Additional::Ignored) => Lowered::Ref(TypeRef::Map(Box::new(TypeRef::Any))),
            };
        }
        let properties: Vec<(String, PropertySource<'_>)> =
            shape.properties.iter().map(|(key, schema)| (key.to_string(), PropertySource::Boxed(schema))).collect();
        let fields = self.lower_fields(&properties, shape.required, name, &child_pointer(pointer, "properties"), &mut NameSet::default());
        Lowered::Def(TypeKind::Struct(StructDef {
            fields,
            additional: additional.unwrap_or(Additional::Ignored),
            constraints: shape.constraints.clone(),
            flattened: Vec::new(),
        }))
    }

    fn lower_fields(
        &mut self,
        properties: &[(String, PropertySource<'_>)],
        required: &[String],
        parent: &str,
        properties_pointer: &str,
        field_names: &mut NameSet,
    ) -> Vec<Field> {
        let mut fields = Vec::new();
        // A set: an object can list thousands of properties and required names.
        let required: std::collections::HashSet<&str> = required.iter().map(String::as_str).collect();
        for (key, source) in properties {
            let pointer = match source {
                PropertySource::Boxed(_) => child_pointer(properties_pointer, key),
                PropertySource::Merged(_, at) => at.clone(),
            };
            // Only a schema that may become a named type is offered a name.
            let hint = match source {
                PropertySource::Boxed(ReferenceOr::Item(item)) | PropertySource::Merged(ReferenceOr::Item(item), _) if !is_builtin(item) => {
                    format!("{parent}{}", naming::type_name(key, "Field"))
                }
                _ => String::new(),
            };
            let (ty, item) = match source {
                PropertySource::Boxed(schema) => (
                    self.use_site_boxed(schema, &hint, &pointer),
                    match schema {
                        ReferenceOr::Item(item) => Some(item.as_ref()),
                        ReferenceOr::Reference { .. } => None,
                    },
                ),
                PropertySource::Merged(schema, _) => (
                    self.use_site_boxed(schema, &hint, &pointer),
                    match schema {
                        ReferenceOr::Item(item) => Some(item.as_ref()),
                        ReferenceOr::Reference { .. } => None,
                    },
                ),
            };
            let (nullable, read_only, write_only, deprecated, default, doc, constraints) = match item {
                Some(item) => {
                    let shape = Shape::of(item);
                    let data = &item.schema_data;
                    // A property that is a named type keeps its docs on the type; a property
                    // wrapper (`allOf: [$ref]` with a description) documents the field.
                    (
                        data.nullable,
                        data.read_only,
                        data.write_only,
                        data.deprecated,
                        data.default.clone(),
                        shape.doc(),
                        shape.constraints,
                    )
                }
                None => {
                    let nullable = match source {
                        PropertySource::Boxed(schema) | PropertySource::Merged(schema, _) => self.referenced_nullable(*schema),
                    };
                    (nullable, false, false, false, None, None, Constraints::default())
                }
            };
            let doc = match (&ty, doc) {
                (TypeRef::Named(id), Some(doc)) if self.types.get(id.0).is_some_and(|t| t.doc.as_deref() == Some(doc.as_str())) => None,
                (_, doc) => doc,
            };
            fields.push(Field {
                name: field_names.claim(&naming::field_name(key, "field"), "_"),
                wire: key.clone(),
                ty,
                required: required.contains(key.as_str()) && !read_only && !write_only,
                required_one_way: required.contains(key.as_str()) && (read_only || write_only),
                nullable,
                read_only,
                write_only,
                deprecated,
                boxed: false,
                default,
                doc,
                origin: pointer,
                constraints,
            });
        }
        fields
    }

}

/// Where a property schema comes from: a schema's own `properties`, or a merged `allOf`.
enum PropertySource<'p> {
    Boxed(&'p ReferenceOr<Box<Schema>>),
    Merged(&'p ReferenceOr<Box<Schema>>, String),
}

/// Whether a schema is a string, number, integer or boolean without `enum`: a builtin type,
/// which never needs the name [`TypeSpace::inline`] offers it (it has no members to hand the
/// name on to), so none is claimed.
fn is_builtin(schema: &Schema) -> bool {
    use openapiv3::{SchemaKind, Type};
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string.enumeration.is_empty(),
        SchemaKind::Type(Type::Number(number)) => number.enumeration.is_empty(),
        SchemaKind::Type(Type::Integer(integer)) => integer.enumeration.is_empty(),
        SchemaKind::Type(Type::Boolean(boolean)) => boolean.enumeration.is_empty(),
        _ => false,
    }
}

fn id_ref(id: TypeId) -> TypeRef {
    TypeRef::Named(id)
}

/// The component kind of a `$ref` that names a whole non-schema component
/// (`#/components/responses/NotFound`), which can never be a schema.
fn other_component_kind(reference: &str) -> Option<&str> {
    let mut tokens = reference.strip_prefix("#/components/")?.split('/');
    let (kind, _name) = (tokens.next()?, tokens.next()?);
    let kinds = ["responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems"];
    (tokens.next().is_none() && kinds.contains(&kind)).then_some(kind)
}

/// Whether the component schema `key` is a chain of plain `#/components/schemas/<name>`
/// references that ends at a schema. Each answer is kept for every component of the chain, so
/// a chain of n references is walked once rather than once per component (5,000 chained
/// components took minutes). `false` also for chains this does not follow (escaped names, other
/// pointers), which the caller resolves in full.
fn chain_ends_at_schema<'s>(
    schemas: &'s indexmap::IndexMap<String, ReferenceOr<openapiv3::Schema>>,
    key: &'s str,
    known: &mut std::collections::HashMap<&'s str, bool>,
) -> bool {
    let mut chain: Vec<&str> = Vec::new();
    let mut on_chain = std::collections::HashSet::new();
    let mut current = key;
    let ends = loop {
        if let Some(&ends) = known.get(current) {
            break ends;
        }
        if !on_chain.insert(current) {
            break false;
        }
        chain.push(current);
        match schemas.get_key_value(current) {
            Some((_, ReferenceOr::Item(_))) => break true,
            Some((_, ReferenceOr::Reference { reference })) => match reference.strip_prefix("#/components/schemas/") {
                Some(next) if !next.contains(['~', '%', '/']) => match schemas.get_key_value(next) {
                    Some((next, _)) => current = next.as_str(),
                    None => break false,
                },
                _ => break false,
            },
            None => break false,
        }
    };
    for name in chain {
        known.insert(name, ends);
    }
    ends
}
