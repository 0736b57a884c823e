//! `tests/examples.rs` of the types crate: every example in the spec must deserialize into its
//! generated type and serialize back to the same JSON.

use super::rust_type::ApiRef;
use crate::ir::{Api, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// One example with the type it must fit.
struct ExampleCase<'a> {
    pointer: String,
    ty: TypeRef,
    value: &'a serde_json::Value,
}

fn cases(api: &Api) -> Vec<ExampleCase<'_>> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (index, def) in api.types.iter().enumerate() {
        if let Some(value) = &def.example {
            seen.insert(format!("{}/example", def.origin));
            out.push(ExampleCase {
                pointer: format!("{}/example", def.origin),
                ty: TypeRef::Named(crate::ir::TypeId(index)),
                value,
            });
        }
    }
    for operation in &api.operations {
        let bodies = operation.body.iter().flat_map(|b| &b.content).chain(operation.responses.iter().flat_map(|r| &r.content));
        for body in bodies {
            let Some(ty) = &body.ty else { continue };
            if !body.media_type.contains("json") {
                continue;
            }
            for (pointer, value) in &body.examples {
                if seen.insert(pointer.clone()) {
                    out.push(ExampleCase { pointer: pointer.clone(), ty: ty.clone(), value });
                }
            }
        }
    }
    out
}

/// Whether a type is or holds a type the settings replace (whose JSON this crate cannot vouch for).
fn holds_replaced(plan: &crate::plan::Plan<'_>, ty: &TypeRef, seen: &mut BTreeSet<usize>) -> bool {
    match ty {
        TypeRef::Named(id) => {
            if plan.is_replaced(*id) {
                return true;
            }
            if !seen.insert(id.0) {
                return false;
            }
            let mut found = false;
            crate::ir_walk::each_ref_of(&plan.api.ty(*id).kind, &mut |inner| found = found || holds_replaced(plan, inner, seen));
            found
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => holds_replaced(plan, inner, seen),
        TypeRef::Builtin(_) | TypeRef::Any => false,
    }
}

/// The test file, or `None` when the spec has no JSON examples. Examples of types that are or
/// hold a replaced type are left out: the replacement's JSON is its own business.
pub fn examples_test(plan: &crate::plan::Plan<'_>, crate_ident: &str) -> Option<TokenStream> {
    let api = plan.api;
    let mut cases = cases(api);
    if plan.types.iter().any(|custom| custom.replacement.is_some()) {
        cases.retain(|case| !holds_replaced(plan, &case.ty, &mut BTreeSet::new()));
    }
    if cases.is_empty() {
        return None;
    }
    let api_ref = ApiRef::new(api, Some(crate_ident));
    let spelling = api_ref.spelling();
    let mut names = crate::naming::NameSet::default();
    let tests = cases.iter().map(|case| {
        let name = names.claim(&crate::naming::field_name(&case.pointer, "example"), "_");
        let name = format_ident!("{}", name);
        let ty = spelling.ty(&case.ty);
        let json = serde_json::to_string_pretty(case.value).unwrap_or_default();
        let doc = format!(" The example at `{}`.", case.pointer);
        let cfg = named_in(&case.ty).map(|id| plan.type_cfg(id)).unwrap_or_default();
        quote! {
            #cfg
            #[doc = #doc]
            #[test]
            fn #name() {
                round_trip::<#ty>(#json);
            }
        }
    });
    Some(quote! {
        //! Every example in the spec, through the generated types and back.

        use serde::de::DeserializeOwned;
        use serde::Serialize;

        /// Deserializes `json` into `T`, serializes it again and requires the same JSON: no
        /// field lost, no `null` invented, empty arrays kept.
        fn round_trip<T: DeserializeOwned + Serialize>(json: &str) {
            let original: serde_json::Value = serde_json::from_str(json).expect("example is JSON");
            let typed: T = match serde_json::from_value(original.clone()) {
                Ok(typed) => typed,
                Err(err) => panic!("example does not fit {}: {err}", std::any::type_name::<T>()),
            };
            let back = serde_json::to_value(&typed).expect("serializes");
            assert!(same_json(&original, &back), "round trip changed the example:\n  before: {original}\n  after:  {back}");
        }

        /// JSON equality where `1` and `1.0` are the same number (JSON does not tell them apart).
        fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
            use serde_json::Value;
            match (a, b) {
                (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
                (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
                (Value::Object(x), Value::Object(y)) => {
                    x.len() == y.len() && x.iter().all(|(key, x)| y.get(key).is_some_and(|y| same_json(x, y)))
                }
                _ => a == b,
            }
        }

        #(#tests)*
    })
}

/// The named type a use-site type holds, if any (the one whose gate the example needs).
fn named_in(ty: &TypeRef) -> Option<crate::ir::TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named_in(inner),
        TypeRef::Builtin(_) | TypeRef::Any => None,
    }
}
