//! Cargo features per tag, so that a team using a few operations of a large spec compiles only
//! those and the types they need.
//!
//! Each server trait (first tag) gets a feature; the types, validation and client crates gate
//! every item by the tags whose operations reach it: an operation's items by its own tag, a type
//! or a schema's check by every tag whose operations use it (through fields, items, variants,
//! references), so whatever a gated item uses is compiled whenever the item is. Items no
//! operation reaches stay ungated. All features are on by default. Small specs get none: the
//! gates would only add noise.

use crate::ir::{Additional, Api, CheckNode, SchemaCheck, TypeKind, TypeRef};
use crate::naming::{self, NameSet};
use std::collections::BTreeSet;

/// Specs with fewer operations than this get no features.
pub const MIN_OPERATIONS: usize = 20;

/// The tags (as indexes of `Plan::traits`) an item is compiled for; empty: always.
pub type Gate = BTreeSet<usize>;

/// The features of a spec.
#[derive(Debug, Clone)]
pub struct Features {
    /// The Cargo feature of each server trait, by trait index.
    pub names: Vec<String>,
    /// The gate of each type, by `TypeId`.
    pub types: Vec<Gate>,
    /// The gate of each component schema's check, by index in `Api::checks`.
    pub checks: Vec<Gate>,
}

impl Features {
    /// The gate of an operation of trait `index`.
    pub fn operation(&self, index: usize) -> Gate {
        std::iter::once(index).collect()
    }
}

/// The features of an API whose operations belong to `trait_of` (trait index per operation),
/// when it is large enough and has two tags or more.
pub fn plan_features(api: &Api, trait_names: &[String], trait_of: &[usize]) -> Option<Features> {
    if trait_names.len() < 2 || api.operations.len() < MIN_OPERATIONS {
        return None;
    }
    let mut taken = NameSet::with_reserved(&["default"]);
    let names = trait_names
        .iter()
        .map(|name| {
            let tag = name.strip_suffix("Api").filter(|t| !t.is_empty()).unwrap_or(name);
            taken.claim(&naming::field_name(tag, "tag").trim_end_matches('_').replace('_', "-"), "-")
        })
        .collect();
    let mut types = vec![Gate::new(); api.types.len()];
    let mut checks = vec![Gate::new(); api.checks.len()];
    for (operation, &tag) in api.operations.iter().zip(trait_of) {
        let mut type_roots = Vec::new();
        let mut check_roots = Vec::new();
        for param in &operation.params {
            type_roots.push(&param.ty);
            check_roots.push(&param.check);
        }
        let bodies = operation.body.iter().flat_map(|b| &b.content).chain(operation.responses.iter().flat_map(|r| &r.content));
        for media in bodies {
            type_roots.extend(&media.ty);
            check_roots.extend(&media.check);
        }
        type_roots.extend(operation.responses.iter().flat_map(|r| &r.headers).map(|h| &h.ty));
        for root in type_roots {
            mark_type(api, root, tag, &mut types);
        }
        for root in check_roots {
            mark_check(api, root, tag, &mut checks);
        }
    }
    Some(Features { names, types, checks })
}

/// Adds `tag` to the gate of every named type `ty` reaches (iteratively: specs nest deeply).
fn mark_type(api: &Api, ty: &TypeRef, tag: usize, gates: &mut [Gate]) {
    let mut pending = vec![ty];
    while let Some(ty) = pending.pop() {
        match ty {
            TypeRef::Named(id) => {
                let Some(gate) = gates.get_mut(id.0) else { continue };
                if !gate.insert(tag) {
                    continue;
                }
                match &api.ty(*id).kind {
                    TypeKind::Struct(strukt) => {
                        pending.extend(strukt.fields.iter().map(|f| &f.ty));
                        pending.extend(strukt.flattened.iter().map(|f| &f.ty));
                        if let Additional::Map(value) = &strukt.additional {
                            pending.push(value);
                        }
                    }
                    TypeKind::Union(union) => pending.extend(union.variants.iter().map(|v| &v.ty)),
                    TypeKind::Newtype(inner, _) | TypeKind::Alias(inner, _) => pending.push(inner),
                    TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
                }
            }
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => pending.push(inner),
            TypeRef::Builtin(_) | TypeRef::Any => {}
        }
    }
}

/// Adds `tag` to the gate of every component check `node` reaches.
fn mark_check<'a>(api: &'a Api, node: &'a CheckNode, tag: usize, gates: &mut [Gate]) {
    let mut pending: Vec<&'a SchemaCheck> = Vec::new();
    visit_check(api, node, tag, gates, &mut pending);
    while let Some(check) = pending.pop() {
        let additional = check.additional.iter().filter_map(|a| match a {
            crate::ir::AdditionalCheck::Schema(node) => Some(node),
            crate::ir::AdditionalCheck::Denied => None,
        });
        let children = check
            .properties
            .iter()
            .map(|p| &p.node)
            .chain(check.items.iter())
            .chain(check.all_of.iter())
            .chain(check.one_of.iter())
            .chain(check.any_of.iter())
            .chain(check.not.iter())
            .chain(additional);
        for child in children {
            visit_check(api, child, tag, gates, &mut pending);
        }
    }
}

fn visit_check<'a>(api: &'a Api, node: &'a CheckNode, tag: usize, gates: &mut [Gate], pending: &mut Vec<&'a SchemaCheck>) {
    match node {
        CheckNode::Ref(index) => {
            if let (Some(gate), Some(component)) = (gates.get_mut(*index), api.checks.get(*index)) {
                if gate.insert(tag) {
                    pending.push(&component.check);
                }
            }
        }
        CheckNode::Inline(check) => pending.push(check),
    }
}
