//! Settling composed objects once every type is lowered.
//!
//! A composed object (`properties` beside a `oneOf`, or an `allOf` with a union member) holds
//! its own properties as fields and each union as a `#[serde(flatten)]` field. serde gives a
//! flattened field only the members that the object's own fields did not take, so a property
//! that the object declares and a union variant declares too (typically the discriminator)
//! must live in one place: the variants, which need it to be told apart. And a union that
//! admits no object cannot be flattened at all; such an object has no precise Rust type.

use crate::error::Diagnostic;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::BTreeSet;

/// How deep type references are followed (aliases of aliases ...) before giving up.
const MAX_DEPTH: usize = 32;

/// Moves properties declared by an object and by its flattened parts into the parts, and turns
/// objects whose parts cannot be flattened into JSON values. Returns the warnings.
pub fn settle_flattened(types: &mut [TypeDef]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for index in 0..types.len() {
        let TypeKind::Struct(strukt) = &types[index].kind else { continue };
        if strukt.flattened.is_empty() {
            continue;
        }
        if let Some(part) = strukt.flattened.iter().find(|part| !object_like(types, &part.ty, 0)) {
            warnings.push(Diagnostic::unsupported(
                &part.origin,
                "this union admits no object, while the schema beside it describes one; the schema has no precise \
                 Rust type and is generated as a JSON value (validation still checks every keyword)",
            ));
            types[index].kind = TypeKind::Alias(TypeRef::Any, Default::default());
            continue;
        }
        let mut held = BTreeSet::new();
        let mut tags = BTreeSet::new();
        let mut alternatives: Vec<BTreeSet<String>> = Vec::new();
        for part in &strukt.flattened {
            let own = declared(types, &part.ty, 0);
            held.extend(own.iter().flatten().cloned());
            tags.extend(discriminator(types, &part.ty, 0));
            alternatives.extend(own);
        }
        held.extend(tags.iter().cloned());
        let moved: Vec<String> = strukt.fields.iter().map(|f| f.wire.clone()).filter(|wire| held.contains(wire)).collect();
        if moved.is_empty() {
            continue;
        }
        let origin = types[index].origin.clone();
        let TypeKind::Struct(strukt) = &mut types[index].kind else { continue };
        strukt.fields.retain(|field| !moved.contains(&field.wire));
        let shown: Vec<String> = moved.iter().map(|wire| format!("`{wire}`")).collect();
        let note = format!("It also holds {}, which the schema declares beside it.", shown.join(", "));
        for part in &mut strukt.flattened {
            part.doc = Some(match part.doc.take() {
                Some(doc) => format!("{doc}\n\n{note}"),
                None => note.clone(),
            });
        }
        // A union writes and reads its own discriminator, whatever its variants declare.
        let lost: Vec<&String> = moved
            .iter()
            .filter(|wire| !tags.contains(*wire) && alternatives.iter().any(|alt| !alt.contains(*wire)))
            .collect();
        if !lost.is_empty() {
            let lost: Vec<String> = lost.iter().map(|wire| format!("`{wire}`")).collect();
            warnings.push(Diagnostic::unsupported(
                &origin,
                format!(
                    "{} is declared here and by some of the union's variants; the generated type keeps it in the \
                     variants, so a value that matches a variant without it does not keep it (validation still checks it)",
                    lost.join(", ")
                ),
            ));
        }
    }
    warnings
}

/// Whether a value of this type can be an object, so that it can be flattened into one.
fn object_like(types: &[TypeDef], ty: &TypeRef, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return true;
    }
    match ty {
        TypeRef::Named(id) => match types.get(id.0).map(|def| &def.kind) {
            Some(TypeKind::Struct(_)) | None => true,
            Some(TypeKind::Union(union)) => union.variants.iter().any(|v| object_like(types, &v.ty, depth + 1)),
            Some(TypeKind::Alias(inner, _) | TypeKind::Newtype(inner, _)) => object_like(types, inner, depth + 1),
            Some(TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_)) => false,
        },
        TypeRef::Map(_) | TypeRef::Any => true,
        TypeRef::Nullable(inner) => object_like(types, inner, depth + 1),
        TypeRef::Builtin(_) | TypeRef::Vec(_) => false,
    }
}

/// The property names a type declares, one set per alternative (one for an object, one per
/// variant for a union).
fn declared(types: &[TypeDef], ty: &TypeRef, depth: usize) -> Vec<BTreeSet<String>> {
    if depth > MAX_DEPTH {
        return vec![BTreeSet::new()];
    }
    let TypeRef::Named(id) = ty else { return vec![BTreeSet::new()] };
    match types.get(id.0).map(|def| &def.kind) {
        Some(TypeKind::Struct(strukt)) => {
            let mut names: BTreeSet<String> = strukt.fields.iter().map(|f| f.wire.clone()).collect();
            for part in &strukt.flattened {
                names.extend(declared(types, &part.ty, depth + 1).into_iter().flatten());
            }
            vec![names]
        }
        Some(TypeKind::Union(union)) => union
            .variants
            .iter()
            .map(|variant| declared(types, &variant.ty, depth + 1).into_iter().flatten().collect())
            .collect(),
        Some(TypeKind::Alias(inner, _) | TypeKind::Newtype(inner, _)) => declared(types, inner, depth + 1),
        _ => vec![BTreeSet::new()],
    }
}

/// The discriminator properties of a type's unions (they select a variant, so the variants
/// must see them).
fn discriminator(types: &[TypeDef], ty: &TypeRef, depth: usize) -> Vec<String> {
    if depth > MAX_DEPTH {
        return Vec::new();
    }
    let TypeRef::Named(id) = ty else { return Vec::new() };
    match types.get(id.0).map(|def| &def.kind) {
        Some(TypeKind::Union(union)) => union.discriminator.iter().cloned().collect(),
        Some(TypeKind::Struct(strukt)) => {
            strukt.flattened.iter().flat_map(|part| discriminator(types, &part.ty, depth + 1)).collect()
        }
        Some(TypeKind::Alias(inner, _)) => discriminator(types, inner, depth + 1),
        _ => Vec::new(),
    }
}
