//! `oneOf`/`anyOf` to tagged or untagged enums: variant names, discriminator tags, and names for
//! inline branches (after their one-value tag where they have one).

use super::{Lowered, TypeSpace};
use crate::error::child_pointer;
use crate::ir::{Builtin, TypeKind, TypeRef, UnionDef, UnionVariant};
use crate::lower::refs;
use crate::lower::shape::Shape;
use crate::naming::{self, NameSet};
use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

impl TypeSpace<'_> {
    /// A union named `name`; inline branches are named after `prefix` (the union itself, or the
    /// object a union part belongs to) and, when they have one, their tag.
    pub(super) fn lower_union_named(
        &mut self,
        shape: &Shape<'_>,
        branches: &[ReferenceOr<Schema>],
        keyword: &str,
        name: &str,
        prefix: &str,
        pointer: &str,
    ) -> Lowered {
        let branches_pointer = child_pointer(pointer, keyword);
        if branches.len() == 1 {
            return Lowered::Ref(self.use_site_as(&branches[0], name, &child_pointer(&branches_pointer, "0")));
        }
        let discriminator = shape.data.discriminator.as_ref().map(|d| d.property_name.as_str());
        let mut variant_names = NameSet::default();
        let mut variants = Vec::new();
        for (index, branch) in branches.iter().enumerate() {
            let at = child_pointer(&branches_pointer, &index.to_string());
            let tag = match branch {
                ReferenceOr::Item(item) => branch_tag(&Shape::of(item), discriminator),
                ReferenceOr::Reference { .. } => None,
            };
            let hint = match &tag {
                Some(tag) => format!("{prefix}{tag}"),
                None => format!("{prefix}Variant{index}"),
            };
            let ty = self.use_site(branch, &hint, &at);
            let wanted = match (&tag, &ty) {
                (Some(tag), TypeRef::Named(_)) => tag.clone(),
                _ => self.variant_name(&ty, index),
            };
            let tags = match (branch, &shape.data.discriminator) {
                (ReferenceOr::Reference { reference }, Some(discriminator)) => {
                    let key = refs::component_name(reference, "schemas", &at).unwrap_or_default();
                    let mut tags: Vec<String> = discriminator
                        .mapping
                        .iter()
                        .filter(|(_, target)| *target == reference || **target == key)
                        .map(|(tag, _)| tag.clone())
                        .collect();
                    if tags.is_empty() {
                        tags.push(key);
                    }
                    tags
                }
                _ => Vec::new(),
            };
            variants.push(UnionVariant { name: variant_names.claim(&wanted, ""), ty, tags, boxed: false });
        }
        // A discriminator only selects among references (OpenAPI 3.0.3 §4.8.25); with an inline
        // branch the union falls back to trying each branch in order.
        let discriminator = match &shape.data.discriminator {
            Some(discriminator) if branches.iter().all(|b| matches!(b, ReferenceOr::Reference { .. })) => {
                Some(discriminator.property_name.clone())
            }
            _ => None,
        };
        Lowered::Def(TypeKind::Union(UnionDef { discriminator, variants, exclusive: keyword == "oneOf" }))
    }

    fn variant_name(&self, ty: &TypeRef, index: usize) -> String {
        match ty {
            TypeRef::Named(id) => self.types.get(id.0).map(|t| t.name.clone()).unwrap_or_else(|| format!("Variant{index}")),
            TypeRef::Builtin(builtin) => match builtin {
                Builtin::String => "String",
                Builtin::DateTime => "DateTime",
                Builtin::Date => "Date",
                Builtin::Uuid => "Uuid",
                Builtin::Bool => "Boolean",
                Builtin::F64 => "Number",
                _ => "Integer",
            }
            .to_string(),
            TypeRef::Vec(_) => "Array".to_string(),
            TypeRef::Map(_) => "Object".to_string(),
            TypeRef::Nullable(_) | TypeRef::Any => format!("Variant{index}"),
        }
    }
}

/// The value that names an inline union branch: the one value its discriminator property (or
/// else a required property) admits, as in `{type: {enum: [card]}}`.
fn branch_tag(shape: &Shape<'_>, discriminator: Option<&str>) -> Option<String> {
    let single = |key: &str| -> Option<String> {
        let (_, schema) = shape.properties.iter().find(|(name, _)| *name == key)?;
        let ReferenceOr::Item(item) = schema else { return None };
        let property = Shape::of(item);
        let values: Vec<&Value> = property.enumeration.iter().filter(|v| !v.is_null()).collect();
        match values.as_slice() {
            [Value::String(value)] => Some(naming::type_name(value, "V")),
            _ => None,
        }
    };
    if let Some(tag) = discriminator.and_then(single) {
        return Some(tag);
    }
    shape.required.iter().find_map(|key| single(key))
}
