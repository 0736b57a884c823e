//! Breaking containment cycles with `Box`.
//!
//! A type that contains itself by value (directly, through `Option`, or through other named
//! types) has infinite size. `Vec` and maps already store their items on the heap, so only the
//! edges that are not behind one count. Every such edge between two types of the same strongly
//! connected component gets a `Box`.

use crate::error::Diagnostic;
use crate::ir::{TypeDef, TypeKind, TypeRef};

/// Named types reachable from `ty` without passing through a heap container.
fn direct_targets(ty: &TypeRef, out: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(id) => out.push(id.0),
        TypeRef::Nullable(inner) => direct_targets(inner, out),
        TypeRef::Builtin(_) | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Any => {}
    }
}

/// Named types reachable from `ty` at all (for type aliases, which may never be recursive).
fn all_targets(ty: &TypeRef, out: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(id) => out.push(id.0),
        TypeRef::Nullable(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => all_targets(inner, out),
        TypeRef::Builtin(_) | TypeRef::Any => {}
    }
}

fn edges(def: &TypeDef) -> Vec<usize> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct(strukt) => {
            strukt.fields.iter().for_each(|f| direct_targets(&f.ty, &mut out));
            strukt.flattened.iter().for_each(|f| direct_targets(&f.ty, &mut out));
        }
        TypeKind::Union(union) => union.variants.iter().for_each(|v| direct_targets(&v.ty, &mut out)),
        TypeKind::Newtype(ty, _) => direct_targets(ty, &mut out),
        TypeKind::Alias(ty, _) => all_targets(ty, &mut out),
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
    }
    out
}

/// Strongly connected components (Tarjan, iterative so deep specs cannot overflow the stack).
fn components(graph: &[Vec<usize>]) -> Vec<usize> {
    let n = graph.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&(node, edge)) = work.last() {
            if edge == 0 && index[node] == usize::MAX {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = graph[node].get(edge) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if next >= n {
                    continue;
                }
                if index[next] == usize::MAX {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Marks every by-value edge inside a cycle as boxed. Type aliases inside a cycle become
/// newtypes, because Rust rejects recursive aliases.
pub fn box_cycles(types: &mut [TypeDef]) {
    let graph: Vec<Vec<usize>> = types.iter().map(edges).collect();
    let component = components(&graph);
    let cyclic = |from: usize, to: usize| to < component.len() && component[from] == component[to];
    for from in 0..types.len() {
        let in_cycle = graph[from].iter().any(|&to| cyclic(from, to));
        if !in_cycle {
            continue;
        }
        let is_boxed = |ty: &TypeRef| {
            let mut targets = Vec::new();
            direct_targets(ty, &mut targets);
            targets.iter().any(|&to| cyclic(from, to))
        };
        match &mut types[from].kind {
            TypeKind::Struct(strukt) => {
                for field in &mut strukt.fields {
                    field.boxed = is_boxed(&field.ty);
                }
                for part in &mut strukt.flattened {
                    part.boxed = is_boxed(&part.ty);
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    variant.boxed = is_boxed(&variant.ty);
                }
            }
            TypeKind::Alias(ty, constraints) => {
                types[from].kind = TypeKind::Newtype(ty.clone(), constraints.clone());
            }
            TypeKind::Newtype(..) | TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
        }
    }
}

/// Whether any type contains itself, even through a `Vec` or map (rustdoc's auto-trait
/// evaluation recurses through those too).
pub fn has_recursion(types: &[TypeDef]) -> bool {
    let graph: Vec<Vec<usize>> = types
        .iter()
        .map(|def| {
            let mut out = Vec::new();
            match &def.kind {
                TypeKind::Struct(strukt) => {
                    strukt.fields.iter().for_each(|f| all_targets(&f.ty, &mut out));
                    strukt.flattened.iter().for_each(|f| all_targets(&f.ty, &mut out));
                }
                TypeKind::Union(union) => union.variants.iter().for_each(|v| all_targets(&v.ty, &mut out)),
                TypeKind::Newtype(ty, _) | TypeKind::Alias(ty, _) => all_targets(ty, &mut out),
                TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
            }
            out
        })
        .collect();
    let component = components(&graph);
    graph.iter().enumerate().any(|(from, edges)| edges.iter().any(|&to| to < component.len() && component[from] == component[to]))
}

/// Types that only stand for other types (`A: allOf: [$ref: B]`, `B: allOf: [$ref: A]`) and
/// come back to themselves describe no value at all: there is nothing to check or hold.
pub fn wrapper_cycles(types: &[TypeDef]) -> Vec<Diagnostic> {
    let graph: Vec<Vec<usize>> = types
        .iter()
        .map(|def| {
            let mut out = Vec::new();
            if let TypeKind::Alias(ty, _) | TypeKind::Newtype(ty, _) = &def.kind {
                direct_targets(ty, &mut out);
            }
            out
        })
        .collect();
    let component = components(&graph);
    let mut reported = Vec::new();
    let mut out = Vec::new();
    for (from, edges) in graph.iter().enumerate() {
        let Some(&to) = edges.iter().find(|&&to| to < component.len() && component[from] == component[to]) else { continue };
        if reported.contains(&component[from]) {
            continue;
        }
        reported.push(component[from]);
        let (name, target) = (&types[from].spec_name, &types[to].spec_name);
        out.push(Diagnostic::invalid(
            &types[from].origin,
            format!(
                "`{name}` only stands for `{target}`, which comes back to `{name}`: the schemas refer to each other and to nothing else, so they describe no value"
            ),
        ));
    }
    out
}
