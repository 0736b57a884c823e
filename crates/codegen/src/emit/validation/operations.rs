//! `generated/operations.rs` of the validation crate: a module per operation, with a check per
//! parameter, per checked request body and per inline JSON response body, and the operation's
//! `OPERATION` (what the runtime knows of it), which the server and the client share.
//!
//! Large specs repeat the same parameter on many operations (`limit`, `page_token`, ...): a
//! check whose code is the same as another's is written once, in a private module, and each
//! operation's module re-exports it under its own name. The functions the server and client
//! call keep their paths; the file (nexus.json: 3,929 lines, 68% of them repeated) and the time
//! to print and compile it shrink.

use super::{closure, Emitter};
use crate::error::Diagnostic;
use crate::ir::CheckNode;
use crate::plan::body::is_json;
use crate::plan::features::Gate;
use crate::plan::{BodyKind, OperationPlan, Plan, ResponseCheck};
use crate::render::{Chunk, RustFile};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// One check function of an operation.
struct Check {
    /// Its name in the operation's module.
    name: String,
    doc: String,
    /// The function's body (the closure handed to `run`, after the functions hoisted from it),
    /// as text: checks with the same text are the same function.
    /// Only the text is kept until the check is printed (read back by [`body_tokens`]): the
    /// tokens of every check of a large spec at once are many times the size of their text
    /// (the checks of a 3.9 MB spec's inline response bodies: tens of MB).
    key: String,
}

/// A check written once for several operations.
struct SharedCheck {
    name: String,
    doc: String,
    /// The function body's text, as [`Check::key`].
    body: String,
    /// The tags of the operations that use it (with Cargo features).
    gate: Gate,
    uses: usize,
}

/// Every operation's checks, emitted once (with the patterns they use) and printed in parts
/// ([`print_part`]): the checks must all be known to find those several operations share, and
/// on a large spec printing them is the largest single piece of work.
pub struct OperationChecks {
    checks: Vec<Vec<Check>>,
    shared: Vec<SharedCheck>,
    by_key: BTreeMap<String, usize>,
    /// The patterns the checks use, in order of first use, and their statics' prefix.
    patterns: Vec<String>,
    pattern_prefix: &'static str,
}

/// Emits every operation's checks.
pub(super) fn prepare(plan: &Plan<'_>, mut emitter: Emitter) -> OperationChecks {
    let checks: Vec<Vec<Check>> = plan.operations.iter().map(|op| checks_of(op, &mut emitter)).collect();
    let (shared, by_key) = shared_checks(plan, &checks);
    OperationChecks { checks, shared, by_key, patterns: emitter.patterns, pattern_prefix: emitter.pattern_prefix }
}

/// What the file prints after its preamble, in order: the shared checks (in a module of their
/// own), each operation's module, the patterns' statics.
#[derive(Clone, Copy)]
enum Unit {
    Shared(usize),
    Operation(usize),
    Patterns,
}

/// One part of the file (the whole file with [`Chunk::WHOLE`]): parts weigh about the same by
/// the length of the code they print, and their texts one after the other are the file.
pub(super) fn print_part(plan: &Plan<'_>, prepared: &OperationChecks, header: &str, chunk: Chunk) -> Result<String, Diagnostic> {
    let OperationChecks { checks, shared, by_key, patterns, pattern_prefix } = prepared;
    let units: Vec<Unit> = (0..shared.len())
        .map(Unit::Shared)
        .chain((0..plan.operations.len()).map(Unit::Operation))
        .chain(std::iter::once(Unit::Patterns))
        .collect();
    // An operation's module: its own checks, and a line per re-export and for `OPERATION`.
    let weights: Vec<usize> = units
        .iter()
        .map(|unit| match *unit {
            Unit::Shared(index) => shared[index].body.len(),
            Unit::Operation(index) => {
                checks[index].iter().map(|check| if by_key.contains_key(&check.key) { 60 } else { check.key.len() }).sum::<usize>() + 300
            }
            Unit::Patterns => patterns.len() * 100,
        })
        .collect();
    let mut file = if chunk.is_first() { RustFile::new(header, "validation") } else { RustFile::continuation("validation") };
    if chunk.is_first() {
        // With features, every operation's module may be left out.
        let runtime = if plan.operations.iter().any(|op| !op.responses.is_empty()) {
            quote!(#[allow(unused_imports)] use codegen_runtime::operation::{Expected, Operation};)
        } else if !plan.operations.is_empty() {
            quote!(#[allow(unused_imports)] use codegen_runtime::operation::Operation;)
        } else {
            TokenStream::new()
        };
        file.items(quote! {
            //! Checks of each operation's parameters, request body and JSON response bodies, and
            //! what the runtime knows of each operation.
            #[allow(unused_imports)]
            use super::*;
            #runtime
        })?;
    }
    // The plan keeps `shared` free of operation modules.
    let shared_module = format_ident!("shared");
    let shared_block = quote!(mod #shared_module);
    for &unit in &units[chunk.range(&weights)] {
        match unit {
            Unit::Shared(index) => {
                let check = &shared[index];
                if index == 0 {
                    file.block_open(&quote! {
                        /// Checks that several operations share, re-exported by each of their modules.
                        #shared_block
                    })?;
                    file.block_member(&shared_block, quote!(#[allow(unused_imports)] use super::*;))?;
                }
                let doc = format!("{} One function for the {} operation checks with this code.", check.doc, check.uses);
                let function = check_fn(&check.name, &doc, &body_tokens(&check.body)?, plan.cfg(&[&check.gate]));
                file.block_member(&shared_block, function)?;
                if index + 1 == shared.len() {
                    file.block_close();
                }
            }
            Unit::Operation(index) => {
                let op = &plan.operations[index];
                let items = checks[index]
                    .iter()
                    .map(|check| {
                        let name = format_ident!("{}", check.name);
                        Ok(match by_key.get(&check.key) {
                            Some(&index) if shared[index].name == check.name => {
                                quote!(pub use super::#shared_module::#name;)
                            }
                            Some(&index) => {
                                let original = format_ident!("{}", shared[index].name);
                                quote!(pub use super::#shared_module::#original as #name;)
                            }
                            None => check_fn(&check.name, &check.doc, &body_tokens(&check.key)?, TokenStream::new()),
                        })
                    })
                    .collect::<Result<Vec<_>, Diagnostic>>()?;
                let module = format_ident!("{}", op.check_module);
                let doc = format!(" Checks of the `{}` operation.", op.operation.id);
                let operation = operation_const(op);
                file.gated_items(
                    quote! {
                        #[doc = #doc]
                        pub mod #module {
                            #[allow(unused_imports)]
                            use super::*;
                            #operation
                            #(#items)*
                        }
                    },
                    &plan.operation_cfg(op),
                )?;
            }
            Unit::Patterns => {
                for pattern in super::pattern_statics(plan, pattern_prefix, patterns) {
                    file.items(pattern)?;
                }
            }
        }
    }
    Ok(file.finish())
}

/// `const OPERATION`: what the runtime knows of an operation (its `operationId`, method and path
/// template for tracing, its documented responses with the check of each JSON body for
/// response checks). Written in the operation's module, beside its own checks.
fn operation_const(op: &OperationPlan<'_>) -> TokenStream {
    use crate::ir::Status;
    use proc_macro2::Literal;
    let operation = op.operation;
    let id = &operation.id;
    let method = operation.method.to_string();
    let route = &operation.path;
    let responses = op.responses.iter().map(|response| {
        let check = match &response.check {
            Some(ResponseCheck::Component(check) | ResponseCheck::Own(check)) => {
                let check = format_ident!("{}", check);
                quote!(Some(#check))
            }
            None => quote!(None),
        };
        match response.response.status {
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(Expected::code(#code, #check))
            }
            Status::Range(range) => {
                let range = Literal::u16_unsuffixed(u16::from(range));
                quote!(Expected::range(#range, #check))
            }
            Status::Default => quote!(Expected::default_response(#check)),
        }
    });
    let doc = format!(
        " What the spec says of `{id}` (`{method} {route}`): its documented responses, with the check of each JSON body."
    );
    quote! {
        #[doc = #doc]
        pub const OPERATION: Operation = Operation { id: #id, method: #method, route: #route, responses: &[#(#responses),*] };
    }
}

/// A check's closure read back from its text ([`Check::key`]), which proc_macro2 prints so
/// that it reads back as the same tokens.
fn body_tokens(text: &str) -> Result<TokenStream, Diagnostic> {
    text.parse().map_err(|err| crate::internal_diagnostic(&format!("a validation check's code does not read back: {err}")))
}

/// `pub fn name(value, direction)` with its body ([`Check::key`]).
fn check_fn(name: &str, doc: &str, body: &TokenStream, cfg: TokenStream) -> TokenStream {
    let name = format_ident!("{}", name);
    let doc = crate::docs::literal(doc);
    quote! {
        #[doc = #doc]
        #cfg
        pub fn #name(value: &Value, direction: Direction) -> Result<(), ValidationErrors> {
            #body
        }
    }
}

/// An operation's checks: parameters, request body, inline JSON response bodies.
fn checks_of(op: &OperationPlan<'_>, emitter: &mut Emitter) -> Vec<Check> {
    let operation = op.operation;
    let mut checks = Vec::new();
    // The functions hoisted from the check go before its call of `run`.
    let mut push = |name: &str, doc: String, emitter: &mut Emitter, node: &CheckNode| {
        let (helpers, body) = emitter.root(|emitter| emitter.root_node(node));
        let closure = closure(body);
        checks.push(Check { name: name.to_string(), doc, key: quote!(#helpers run(value, direction, #closure)).to_string() });
    };
    for p in &op.params {
        push(&p.check, format!(" Checks the `{}` parameter (`{}`).", p.param.wire, p.param.origin), emitter, &p.param.check);
    }
    if let Some(body) = &op.body {
        let typed = match &body.kind {
            BodyKind::Typed(typed) => Some((typed.media, if typed.json { "JSON" } else { "form" })),
            BodyKind::Multipart(multipart) => Some((multipart.media, "multipart")),
            BodyKind::Raw(_) | BodyKind::Binary(_) => None,
        };
        if let (Some(name), Some((media, encoding))) = (&body.check, typed) {
            if let Some(check) = &media.check {
                push(name, format!(" Checks the {encoding} request body of `{}`.", operation.id), emitter, check);
            }
        }
    }
    for response in &op.responses {
        // A component schema's body is checked by its `validate_<name>`; only inline ones get a
        // function here.
        let Some(ResponseCheck::Own(name)) = &response.check else { continue };
        let Some(check) = response.response.content.iter().find(|m| is_json(&m.media_type)).and_then(|m| m.check.as_ref()) else {
            continue;
        };
        let doc = format!(" Checks the JSON body of the {} response of `{}` (response checks).", response.response.status, operation.id);
        push(name, doc, emitter, check);
    }
    checks
}

/// The checks whose code appears more than once, in order of first use, each named after its
/// first use (numbered when two differ under one name), and the index of each by code.
fn shared_checks(plan: &Plan<'_>, checks: &[Vec<Check>]) -> (Vec<SharedCheck>, BTreeMap<String, usize>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for check in checks.iter().flatten() {
        *counts.entry(check.key.as_str()).or_default() += 1;
    }
    let mut shared: Vec<SharedCheck> = Vec::new();
    let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
    // Numbered names stay clear of what the checks call, as the plan's names do.
    let mut names: BTreeSet<String> = crate::plan::check_reserved_names(&plan.schemas).into_iter().map(str::to_string).collect();
    for (op, op_checks) in plan.operations.iter().zip(checks) {
        let gate = plan.features.as_ref().map(|features| features.operation(op.trait_index)).unwrap_or_default();
        for check in op_checks {
            let uses = counts.get(check.key.as_str()).copied().unwrap_or_default();
            if uses < 2 {
                continue;
            }
            if let Some(&index) = by_key.get(&check.key) {
                shared[index].gate.extend(gate.iter().copied());
                continue;
            }
            let mut name = check.name.clone();
            let mut number = 1;
            while !names.insert(name.clone()) {
                number += 1;
                name = format!("{}_{number}", check.name);
            }
            by_key.insert(check.key.clone(), shared.len());
            shared.push(SharedCheck { name, doc: check.doc.clone(), body: check.key.clone(), gate: gate.clone(), uses });
        }
    }
    (shared, by_key)
}

#[cfg(test)]
mod tests {
    use super::super::{operations_part, prepare_operations, validation_operations};
    use crate::plan::Plan;
    use crate::render::Chunk;

    /// Operations that share a check (the same `limit` parameter), have checks of their own,
    /// and use patterns, so that every kind of unit is in the file.
    fn spec() -> String {
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: Parts, version: '1'}\npaths:\n");
        for index in 0..12 {
            text.push_str(&format!(
                "  /items{index}:\n    get:\n      operationId: list{index}\n      parameters:\n        - {{name: limit, in: query, schema: {{type: integer, minimum: 1, maximum: 100}}}}\n        - {{name: offset, in: query, schema: {{type: integer, minimum: 0}}}}\n        - {{name: sort, in: query, schema: {{type: string, pattern: '^(asc|desc)$'}}}}\n        - {{name: code{index}, in: query, schema: {{type: string, pattern: '^[a-z]{{{index}}}$'}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, required: [id{index}], properties: {{id{index}: {{type: integer}}, name: {{type: string, maxLength: {index}}}}}}}\n"
            ));
        }
        text
    }

    #[test]
    fn the_operations_file_printed_in_parts_is_the_file_printed_whole() -> Result<(), String> {
        let api = crate::lower_str(&spec(), &crate::Settings::default()).map_err(|err| err.to_string())?;
        let plan = Plan::new(&api);
        let whole = validation_operations(&plan, "@generated").map_err(|err| err.message)?;
        assert!(whole.contains("mod shared {") && whole.contains("OPERATION_PATTERN_12"), "{whole}");
        assert_eq!(whole.matches("One function for the 12 operation checks").count(), 3, "{whole}");
        let prepared = prepare_operations(&plan);
        for count in [2, 3, 8, 40] {
            let mut joined = String::new();
            for index in 0..count {
                joined.push_str(&operations_part(&plan, &prepared, "@generated", Chunk { index, count }).map_err(|err| err.message)?);
            }
            assert_eq!(joined, whole, "in {count} parts");
        }
        Ok(())
    }
}
