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
use crate::plan::body::is_json;
use crate::plan::features::Gate;
use crate::plan::{BodyKind, OperationPlan, Plan, ResponseCheck};
use crate::render::RustFile;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};

/// One check function of an operation.
struct Check {
    /// Its name in the operation's module.
    name: String,
    doc: String,
    /// The closure handed to `run`, as text: checks with the same text are the same function.
    /// Only the text is kept until the check is printed (read back by [`body_tokens`]): the
    /// tokens of every check of a large spec at once are many times the size of their text
    /// (the checks of a 3.9 MB spec's inline response bodies: tens of MB).
    key: String,
}

/// A check written once for several operations.
struct SharedCheck {
    name: String,
    doc: String,
    /// The closure's text, as [`Check::key`].
    body: String,
    /// The tags of the operations that use it (with Cargo features).
    gate: Gate,
    uses: usize,
}

/// Writes the file, one operation at a time after the shared checks.
pub(super) fn operation_checks(plan: &Plan<'_>, emitter: &mut Emitter, header: &str) -> Result<String, Diagnostic> {
    let checks: Vec<Vec<Check>> = plan.operations.iter().map(|op| checks_of(op, emitter)).collect();
    let (shared, by_key) = shared_checks(plan, &checks);
    // The plan keeps `shared` free of operation modules.
    let shared_module = format_ident!("shared");
    // With features, every operation's module may be left out.
    let runtime = if plan.operations.iter().any(|op| !op.responses.is_empty()) {
        quote!(#[allow(unused_imports)] use codegen_runtime::operation::{Expected, Operation};)
    } else if !plan.operations.is_empty() {
        quote!(#[allow(unused_imports)] use codegen_runtime::operation::Operation;)
    } else {
        TokenStream::new()
    };
    let mut file = RustFile::new(header, "validation");
    file.items(quote! {
        //! Checks of each operation's parameters, request body and JSON response bodies, and
        //! what the runtime knows of each operation.
        #[allow(unused_imports)]
        use super::*;
        #runtime
    })?;
    if !shared.is_empty() {
        let functions = shared
            .iter()
            .map(|check| {
                let doc = format!("{} One function for the {} operation checks with this code.", check.doc, check.uses);
                Ok(check_fn(&check.name, &doc, &body_tokens(&check.body)?, plan.cfg(&[&check.gate])))
            })
            .collect::<Result<Vec<_>, Diagnostic>>()?;
        file.items(quote! {
            /// Checks that several operations share, re-exported by each of their modules.
            mod #shared_module {
                #[allow(unused_imports)]
                use super::*;
                #(#functions)*
            }
        })?;
    }
    for (op, checks) in plan.operations.iter().zip(checks) {
        let items = checks
            .into_iter()
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
    for pattern in emitter.pattern_statics(plan) {
        file.items(pattern)?;
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

/// `pub fn name(value, direction)`, running `body` (a closure for `run`).
fn check_fn(name: &str, doc: &str, body: &TokenStream, cfg: TokenStream) -> TokenStream {
    let name = format_ident!("{}", name);
    let doc = crate::docs::literal(doc);
    quote! {
        #[doc = #doc]
        #cfg
        pub fn #name(value: &Value, direction: Direction) -> Result<(), ValidationErrors> {
            run(value, direction, #body)
        }
    }
}

/// An operation's checks: parameters, request body, inline JSON response bodies.
fn checks_of(op: &OperationPlan<'_>, emitter: &mut Emitter) -> Vec<Check> {
    let operation = op.operation;
    let mut checks = Vec::new();
    let mut push = |name: &str, doc: String, body: TokenStream| {
        checks.push(Check { name: name.to_string(), doc, key: closure(body).to_string() });
    };
    for p in &op.params {
        push(&p.check, format!(" Checks the `{}` parameter (`{}`).", p.param.wire, p.param.origin), emitter.node(&p.param.check));
    }
    if let Some(body) = &op.body {
        let typed = match &body.kind {
            BodyKind::Typed(typed) => Some((typed.media, if typed.json { "JSON" } else { "form" })),
            BodyKind::Multipart(multipart) => Some((multipart.media, "multipart")),
            BodyKind::Raw(_) | BodyKind::Binary(_) => None,
        };
        if let (Some(name), Some((media, encoding))) = (&body.check, typed) {
            if let Some(check) = &media.check {
                push(name, format!(" Checks the {encoding} request body of `{}`.", operation.id), emitter.node(check));
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
        push(name, doc, emitter.node(check));
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
