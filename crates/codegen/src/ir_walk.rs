//! Visiting every `TypeRef` in an API (for dependency detection and checks).

use crate::ir::{Additional, Api, TypeKind, TypeRef};

/// Calls `visit` on every type reference that appears in the API's types and operations.
pub fn each_type_ref(api: &Api, visit: &mut dyn FnMut(&TypeRef)) {
    for def in &api.types {
        each_ref_of(&def.kind, visit);
    }
    for operation in &api.operations {
        operation.params.iter().for_each(|p| visit(&p.ty));
        for body in operation.body.iter().flat_map(|b| &b.content).chain(operation.responses.iter().flat_map(|r| &r.content)) {
            if let Some(ty) = &body.ty {
                visit(ty);
            }
        }
        operation.responses.iter().flat_map(|r| &r.headers).for_each(|h| visit(&h.ty));
    }
}

/// Calls `visit` on every type reference of one named type's definition (its fields, flattened
/// parts, map of other properties, variants, wrapped or aliased type).
pub fn each_ref_of(kind: &TypeKind, visit: &mut dyn FnMut(&TypeRef)) {
    match kind {
        TypeKind::Struct(strukt) => {
            strukt.fields.iter().for_each(|f| visit(&f.ty));
            strukt.flattened.iter().for_each(|f| visit(&f.ty));
            if let Additional::Map(ty) = &strukt.additional {
                visit(&TypeRef::Map(Box::new(ty.clone())));
            }
        }
        TypeKind::Union(union) => union.variants.iter().for_each(|v| visit(&v.ty)),
        TypeKind::Newtype(ty, _) | TypeKind::Alias(ty, _) => visit(ty),
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
    }
}
