//! Composed objects: `allOf` members merged into one struct, and the unions among them (the
//! schema's own `oneOf`/`anyOf` beside `properties`, `allOf` members that are unions) carried
//! whole as flattened fields. `lower/compose.rs` settles them once every type exists.

use super::{id_ref, Lowered, PropertySource, TypeSpace};
use crate::error::{child_pointer, Diagnostic};
use crate::ir::{Additional, Builtin, FlattenedField, StructDef, TypeDef, TypeId, TypeKind, TypeRef};
use crate::lower::refs;
use crate::lower::shape::Shape;
use crate::ir::JsonKind;
use crate::naming::{self, NameSet};
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

impl TypeSpace<'_> {
    /// An object made of several schemas: `allOf` members merged, its own `properties`, and the
    /// unions among them (its own `oneOf`/`anyOf`, `allOf` members that are unions or reference
    /// one) carried whole as flattened fields.
    pub(super) fn lower_composed(&mut self, shape: &Shape<'_>, name: &str, pointer: &str) -> Lowered {
        let own_unions = typed_unions(shape);
        let branches_pointer = child_pointer(pointer, "allOf");
        // `allOf: [$ref]` with siblings such as `nullable` or `description` is the OpenAPI 3.0
        // way to annotate a reference: it is that reference.
        let meaningful: Vec<(usize, &ReferenceOr<Schema>)> = shape
            .all_of
            .iter()
            .enumerate()
            .filter(|(_, branch)| !matches!(branch, ReferenceOr::Item(item) if Shape::of(item).is_constraint_only()))
            .collect();
        if own_unions.is_empty()
            && meaningful.len() == 1
            && shape.properties.is_empty()
            && shape.ty.is_none_or(|t| t == JsonKind::Object)
        {
            let (index, branch) = meaningful[0];
            return Lowered::Ref(self.use_site_as(branch, name, &child_pointer(&branches_pointer, &index.to_string())));
        }
        let mut merge = Merge::default();
        // An `allOf` met while collecting another (through `additionalProperties`) has its own set.
        let outer_merged = std::mem::take(&mut self.merged_once);
        let collected = self.collect_all_of(shape, pointer, &mut merge, name);
        self.merged_once = outer_merged;
        if let Err(err) = collected {
            self.diagnostics.push(err);
            return Lowered::Ref(TypeRef::Any);
        }
        for (keyword, branches) in own_unions {
            let part = self.union_part(shape, branches, keyword, name, pointer);
            merge.parts.push(part);
        }
        if merge.properties.is_empty() && merge.parts.is_empty() {
            if let Some(primitive) = merge.primitive {
                return Lowered::Ref(primitive);
            }
        }
        // One part and nothing beside it is that part.
        if merge.properties.is_empty() && merge.additional.is_none() && merge.parts.len() == 1 {
            return Lowered::Ref(merge.parts.remove(0).ty);
        }
        let properties: Vec<(String, PropertySource<'_>)> =
            merge.properties.iter().map(|(key, (schema, at))| (key.clone(), PropertySource::Merged(schema, at.clone()))).collect();
        let mut field_names = NameSet::default();
        let fields = self.lower_fields(&properties, &merge.required, name, &child_pointer(pointer, "properties"), &mut field_names);
        let flattened: Vec<FlattenedField> = merge
            .parts
            .into_iter()
            .map(|part| FlattenedField {
                name: field_names.claim(&part.wanted, "_"),
                ty: part.ty,
                boxed: false,
                doc: part.doc,
                origin: part.origin,
            })
            .collect();
        // A map of the other properties would hold the parts' properties a second time.
        let additional = if flattened.is_empty() { merge.additional.unwrap_or(Additional::Ignored) } else { Additional::Ignored };
        Lowered::Def(TypeKind::Struct(StructDef { fields, additional, constraints: shape.constraints.clone(), flattened }))
    }

    /// A `oneOf`/`anyOf` of a composed object as a type of its own (`<Parent>Variant`), to be
    /// flattened into the object.
    fn union_part(&mut self, owner: &Shape<'_>, branches: &[ReferenceOr<Schema>], keyword: &str, parent: &str, pointer: &str) -> Part {
        let origin = child_pointer(pointer, keyword);
        let type_name = self.names.claim(&format!("{parent}Variant"), "");
        let doc = Some(format!("The `{keyword}` of `{parent}`: its properties sit beside the fields above in the JSON."));
        let ty = match self.lower_union_named(owner, branches, keyword, &type_name, parent, pointer) {
            Lowered::Ref(ty) => {
                self.names_release(&type_name);
                ty
            }
            Lowered::Def(kind) => {
                let id = TypeId(self.types.len());
                self.types.push(TypeDef {
                    name: type_name.clone(),
                    spec_name: type_name,
                    doc: Some(format!("One of the shapes of `{parent}` (`{keyword}`).")),
                    origin: origin.clone(),
                    example: None,
                    kind,
                });
                id_ref(id)
            }
        };
        Part { ty, wanted: "variant".to_string(), doc, origin }
    }

    /// Gathers the properties of an `allOf` tree (through references) in order, and the unions
    /// in it as parts.
    fn collect_all_of(&mut self, shape: &Shape<'_>, pointer: &str, merge: &mut Merge, name: &str) -> Result<(), Diagnostic> {
        let spec = self.spec;
        for (index, branch) in shape.all_of.iter().enumerate() {
            let at = child_pointer(&child_pointer(pointer, "allOf"), &index.to_string());
            let (schema, schema_at) = match branch {
                ReferenceOr::Item(item) => (item, at.clone()),
                ReferenceOr::Reference { reference } => {
                    let key = match refs::component_name(reference, "schemas", &child_pointer(&at, "$ref")) {
                        Ok(key) => key,
                        Err(err) => {
                            // A reference inside a component: merge the schema it points at.
                            let target = reference.strip_prefix('#').and_then(|p| self.raw.pointer(p)).ok_or(err)?;
                            let owned: Schema = serde_json::from_value(target.clone()).map_err(|e| {
                                Diagnostic::invalid(&at, format!("$ref `{reference}` does not point at a schema: {e}"))
                            })?;
                            if self.merging.contains(reference) {
                                return Err(Diagnostic::invalid(&at, format!("`allOf` that includes itself through `{reference}`: no value can be checked against it")));
                            }
                            if self.merged_once.contains(reference) {
                                continue;
                            }
                            self.merged_once.push(reference.clone());
                            self.merging.push(reference.clone());
                            let result = self.collect_branch(&Shape::of(&owned), reference, merge, name);
                            self.merging.pop();
                            result?;
                            continue;
                        }
                    };
                    if self.merging.contains(&key) {
                        return Err(Diagnostic::invalid(&at, format!("`allOf` that includes itself through `{reference}`: no value can be checked against it")));
                    }
                    let schemas = spec.components.as_ref().map(|c| &c.schemas);
                    let (item, item_at) = refs::resolve(schemas, self.raw, "schemas", branch, &at)?;
                    if self.merged_once.contains(&item_at) {
                        continue;
                    }
                    self.merged_once.push(item_at.clone());
                    let branch_shape = Shape::of(&item);
                    // A component that is (or holds) a union keeps its own type, flattened.
                    if !typed_unions(&branch_shape).is_empty() {
                        if let Some(id) = self.component(&key) {
                            let wanted = naming::field_name(&self.types[id.0].name, "part");
                            let doc = Some(format!("The `{key}` part: its properties sit beside the fields above in the JSON."));
                            merge.parts.push(Part { ty: id_ref(id), wanted, doc, origin: at.clone() });
                            continue;
                        }
                    }
                    self.merging.push(key);
                    let result = self.collect_branch(&branch_shape, &item_at, merge, name);
                    self.merging.pop();
                    result?;
                    continue;
                }
            };
            let branch_shape = Shape::of(schema);
            self.collect_branch(&branch_shape, &schema_at, merge, name)?;
        }
        for (key, schema) in &shape.properties {
            merge.properties.insert(key.to_string(), ((*schema).clone(), child_pointer(&child_pointer(pointer, "properties"), key)));
        }
        merge.required.extend(shape.required.iter().cloned());
        Ok(())
    }

    fn collect_branch(&mut self, branch: &Shape<'_>, at: &str, merge: &mut Merge, name: &str) -> Result<(), Diagnostic> {
        for (keyword, branches) in typed_unions(branch) {
            let part = self.union_part(branch, branches, keyword, name, at);
            merge.parts.push(part);
        }
        if !branch.all_of.is_empty() {
            self.collect_all_of(branch, at, merge, name)?;
            return Ok(());
        }
        match branch.ty {
            Some(JsonKind::Object) | None => {
                for (key, schema) in &branch.properties {
                    merge.properties.insert(key.to_string(), ((*schema).clone(), child_pointer(&child_pointer(at, "properties"), key)));
                }
                merge.required.extend(branch.required.iter().cloned());
                if let Some(AdditionalProperties::Schema(schema)) = branch.additional {
                    let ty = self.use_site(schema, &format!("{name}Value"), &child_pointer(at, "additionalProperties"));
                    merge.additional = Some(Additional::Map(ty));
                } else if let Some(AdditionalProperties::Any(true)) = branch.additional {
                    merge.additional = Some(Additional::Map(TypeRef::Any));
                }
            }
            Some(_) => {
                if merge.primitive.is_none() {
                    merge.primitive = Some(match branch.ty {
                        Some(JsonKind::String) => TypeRef::Builtin(Builtin::String),
                        Some(JsonKind::Integer) => TypeRef::Builtin(Builtin::I64),
                        Some(JsonKind::Number) => TypeRef::Builtin(Builtin::F64),
                        Some(JsonKind::Boolean) => TypeRef::Builtin(Builtin::Bool),
                        _ => TypeRef::Vec(Box::new(TypeRef::Any)),
                    });
                }
            }
        }
        Ok(())
    }
}

/// What an `allOf` tree adds up to while it is collected.
#[derive(Default)]
struct Merge {
    /// Properties in order, each with the pointer it was declared at.
    properties: IndexMap<String, (ReferenceOr<Box<Schema>>, String)>,
    required: Vec<String>,
    additional: Option<Additional>,
    /// The type of a member that is not an object (the first one).
    primitive: Option<TypeRef>,
    /// Unions, carried whole.
    parts: Vec<Part>,
}

/// A part of a composed object that is carried whole in a flattened field.
struct Part {
    ty: TypeRef,
    /// The field name it wants.
    wanted: String,
    doc: Option<String>,
    origin: String,
}

/// The `oneOf` and `anyOf` of a schema that say something about the shape of the value
/// (`oneOf: [{required: [a]}, {required: [b]}]` only constrains, and is left to validation).
pub(super) fn typed_unions<'s>(shape: &Shape<'s>) -> Vec<(&'static str, &'s [ReferenceOr<Schema>])> {
    let mut out = Vec::new();
    for (keyword, branches) in [("oneOf", shape.one_of), ("anyOf", shape.any_of)] {
        let constraint_only = branches.iter().all(|branch| match branch {
            ReferenceOr::Item(item) => Shape::of(item).is_constraint_only(),
            ReferenceOr::Reference { .. } => false,
        });
        if !branches.is_empty() && !constraint_only {
            out.push((keyword, branches));
        }
    }
    out
}
