//! Comparing operations: matching, parameters, bodies, responses and security.

mod bodies;
mod params;
mod responses;
mod security;

use security::push_security;

use super::classify::{Dirs, Level, Raw, Rule, Scope};
use super::compare_schemas::{Owner, Parent, Site, Walker};
use super::{Bumps, ChangeKind, Impact};
use crate::plan::body::{checked_media_in, is_form, is_json, is_multipart};
use crate::plan::{variant_name, Plan};
use crate::ir::{
    Api, MediaBody, Operation, Param, ParamLocation, ParamStyle, PathSegment, Response, SecurityRequirement,
    SecuritySchemeKind, Status, TypeKind, TypeRef,
};
use std::collections::{BTreeMap, BTreeSet};

/// The Rust names the server and client crates give an operation.
#[derive(Debug, Clone, Default)]
struct OpNames {
    trait_name: String,
    method: String,
    /// The server's request struct.
    request: String,
    server_response: String,
    client_response: String,
    /// The client's params struct.
    params: String,
}

fn op_names(api: &Api) -> BTreeMap<String, OpNames> {
    let plan = Plan::new(api);
    let mut out = BTreeMap::new();
    for op in &plan.operations {
        out.insert(
            op.operation.id.clone(),
            OpNames {
                trait_name: plan.traits.get(op.trait_index).map(|t| t.name.clone()).unwrap_or_default(),
                method: op.operation.rust_name.clone(),
                request: op.request_type.clone(),
                server_response: op.server_response_type.clone(),
                client_response: op.client_response_type.clone(),
                params: op.params_type.clone(),
            },
        );
    }
    out
}


fn style_text(param: &Param) -> String {
    let style = param.style;
    let explode = if param.explode { "explode" } else { "no explode" };
    match &param.content {
        Some(media) => format!("content `{media}`"),
        None => format!("{style}, {explode}"),
    }
}

fn status_display(status: Status) -> String {
    status.to_string()
}

/// The path with parameter names left out: `/a/{}/b`.
fn shape(operation: &Operation) -> String {
    operation
        .segments
        .iter()
        .map(|s| match s {
            PathSegment::Literal(text) => text.clone(),
            PathSegment::Param(_) => "{}".to_string(),
        })
        .collect()
}

fn path_params(operation: &Operation) -> Vec<&str> {
    operation
        .segments
        .iter()
        .filter_map(|s| match s {
            PathSegment::Param(name) => Some(name.as_str()),
            PathSegment::Literal(_) => None,
        })
        .collect()
}

fn fixed(client: Impact, server: Impact) -> Rule {
    Rule::Fixed { client, server }
}


/// The first JSON media type of a body or response.
fn json_media(content: &[MediaBody]) -> Option<&MediaBody> {
    content.iter().find(|m| is_json(&m.media_type))
}

/// How a body or response payload travels: nothing, bytes, or a schema type as JSON or (request
/// bodies only) as an HTML form or multipart parts. `typed` is the media type the generated
/// code reads, if any.
fn payload_kind(content: &[MediaBody], typed: Option<&MediaBody>) -> &'static str {
    match typed {
        Some(media) if is_form(&media.media_type) => "form",
        Some(media) if is_multipart(&media.media_type) => "multipart",
        Some(_) => "json",
        None if content.is_empty() => "none",
        None => "bytes",
    }
}

/// What a payload is in Rust: a JSON and a form payload are both the schema's type.
fn rust_payload(kind: &str) -> &str {
    if kind == "form" {
        "json"
    } else {
        kind
    }
}

/// Matches operations and compares every pair; records added and removed ones.
pub(crate) fn compare_operations(walker: &mut Walker<'_>) {
    let (old, new) = (walker.old, walker.new);
    let old_names = op_names(old);
    let new_names = op_names(new);
    let mut taken = vec![false; new.operations.len()];
    let mut matches: Vec<Option<usize>> = vec![None; old.operations.len()];
    for (i, operation) in old.operations.iter().enumerate() {
        let found = new.operations.iter().enumerate().position(|(j, other)| {
            !taken[j] && other.method == operation.method && shape(other) == shape(operation)
        });
        if let Some(j) = found {
            taken[j] = true;
            matches[i] = Some(j);
        }
    }
    for (i, operation) in old.operations.iter().enumerate() {
        if matches[i].is_some() {
            continue;
        }
        if let Some(j) = new.operations.iter().enumerate().position(|(j, other)| !taken[j] && other.id == operation.id) {
            taken[j] = true;
            matches[i] = Some(j);
        }
    }
    let mut security = Vec::new();
    for (i, operation) in old.operations.iter().enumerate() {
        let names = old_names.get(&operation.id).cloned().unwrap_or_default();
        match matches[i].and_then(|j| new.operations.get(j)) {
            Some(other) => {
                let other_names = new_names.get(&other.id).cloned().unwrap_or_default();
                let mut ops = OpPair { walker: &mut *walker, old: operation, new: other, old_names: names, new_names: other_names };
                ops.compare();
                if let Some(entry) = ops.security() {
                    security.push(entry);
                }
            }
            None => removed(walker, operation, &names),
        }
    }
    for (j, operation) in new.operations.iter().enumerate() {
        if !taken[j] {
            let names = new_names.get(&operation.id).cloned().unwrap_or_default();
            added(walker, operation, &names);
        }
    }
    push_security(walker, security);
}

fn removed(walker: &mut Walker<'_>, operation: &Operation, names: &OpNames) {
    let n = walker.names.clone();
    let client_item = format!("{}::Client::{}", n.client, names.method);
    let server_item = format!("{}::{}::{}", n.server, names.trait_name, names.method);
    walker.push(Raw {
        kind: ChangeKind::OperationRemoved,
        summary: format!("operation `{}` ({} {}) removed", operation.id, operation.method, operation.path),
        old_pointer: Some(operation.origin.clone()),
        new_pointer: None,
        rust_items: vec![client_item.clone(), server_item.clone()],
        scope: Scope::Operation,
        rule: fixed(
            Impact::both(format!("The server no longer serves {} {}; `{client_item}` is removed.", operation.method, operation.path)),
            Impact::code(format!("`{server_item}` is removed: implementations that define it no longer compile.")),
        ),
        bumps: Bumps { types: Level::None, validation: Level::Major, server: Level::Major, client: Level::Major },
        bump_reason: format!("`{}` is removed with its request and response types", names.method),
    });
}

fn added(walker: &mut Walker<'_>, operation: &Operation, names: &OpNames) {
    let n = walker.names.clone();
    let client_item = format!("{}::Client::{}", n.client, names.method);
    let server_item = format!("{}::{}::{}", n.server, names.trait_name, names.method);
    // With `server.default_501` the new trait method has a body answering 501.
    let (server, server_level, bump_reason) = if n.default_501 {
        (
            Impact::ok(format!(
                "`{}` gains the method `{}` with a default body answering 501 Not Implemented (settings \
                 `server.default_501`): implementations compile unchanged.",
                names.trait_name, names.method
            )),
            Level::Minor,
            format!("new method `{}`: a trait method with a default body on the server, a new method on the client", names.method),
        )
    } else {
        (
            Impact::code(format!(
                "`{}` gains the method `{}` (no default): every implementation must add it.",
                names.trait_name, names.method
            )),
            Level::Major,
            format!("new method `{}`: a required trait method on the server, a new method on the client", names.method),
        )
    };
    walker.push(Raw {
        kind: ChangeKind::OperationAdded,
        summary: format!("operation `{}` ({} {}) added", operation.id, operation.method, operation.path),
        old_pointer: None,
        new_pointer: Some(operation.origin.clone()),
        rust_items: vec![client_item.clone(), server_item.clone()],
        scope: Scope::Operation,
        rule: fixed(Impact::ok(format!("A new method `{client_item}`; existing calls are unaffected.")), server),
        bumps: Bumps { types: Level::None, validation: Level::Minor, server: server_level, client: Level::Minor },
        bump_reason,
    });
}

/// A matched pair of operations.
struct OpPair<'w, 'a> {
    walker: &'w mut Walker<'a>,
    old: &'a Operation,
    new: &'a Operation,
    old_names: OpNames,
    new_names: OpNames,
}

impl<'w, 'a> OpPair<'w, 'a> {
    fn client_method(&self) -> String {
        format!("{}::Client::{}", self.walker.names.client, self.new_names.method)
    }

    fn server_method(&self) -> String {
        format!("{}::{}::{}", self.walker.names.server, self.new_names.trait_name, self.new_names.method)
    }

    fn server_request(&self) -> String {
        format!("{}::{}", self.walker.names.server, self.new_names.request)
    }

    fn client_params(&self) -> String {
        format!("{}::{}", self.walker.names.client, self.new_names.params)
    }

    fn response_items(&self, status: Status) -> Vec<String> {
        let variant = variant_name(status);
        vec![
            format!("{}::{}::{variant}", self.walker.names.client, self.new_names.client_response),
            format!("{}::{}::{variant}", self.walker.names.server, self.new_names.server_response),
        ]
    }

    #[allow(clippy::too_many_arguments)]
    fn push(&mut self, kind: ChangeKind, summary: String, pointers: (Option<String>, Option<String>), items: Vec<String>, rule: Rule, bumps: Bumps, reason: String) {
        self.walker.push(Raw {
            kind,
            summary,
            old_pointer: pointers.0,
            new_pointer: pointers.1,
            rust_items: items,
            scope: Scope::Operation,
            rule,
            bumps,
            bump_reason: reason,
        });
    }

    fn compare(&mut self) {
        self.identity();
        self.params();
        self.body();
        self.responses();
        if self.old.summary != self.new.summary || self.old.description != self.new.description || self.old.deprecated != self.new.deprecated {
            self.walker.docs.operations.push(self.new.id.clone());
        }
    }

    fn identity(&mut self) {
        let (old, new) = (self.old, self.new);
        let pointers = (Some(old.origin.clone()), Some(new.origin.clone()));
        if old.id != new.id {
            let rust_changed = self.old_names.method != self.new_names.method || self.old_names.request != self.new_names.request;
            let (old_method, new_method) = (self.old_names.method.clone(), self.new_names.method.clone());
            let rule = if rust_changed {
                fixed(
                    Impact::code(format!(
                        "`Client::{old_method}` is now `Client::{new_method}` (and its `{}`/`{}` types are renamed).",
                        self.old_names.client_response, self.old_names.params
                    )),
                    Impact::code(format!(
                        "The trait method `{old_method}` is now `{new_method}` and `{}`/`{}` are renamed.",
                        self.old_names.request, self.old_names.server_response
                    )),
                )
            } else {
                fixed(Impact::ok("Same method, path and Rust names."), Impact::ok("Same method, path and Rust names."))
            };
            let (bumps, reason) = if rust_changed {
                (
                    Bumps { types: Level::None, validation: Level::Major, server: Level::Major, client: Level::Major },
                    format!("`{old_method}` and its types are renamed to `{new_method}`"),
                )
            } else {
                (Bumps { types: Level::None, validation: Level::None, server: Level::Patch, client: Level::Patch }, "rustdoc only".to_string())
            };
            let items = vec![self.client_method(), self.server_method()];
            self.push(
                ChangeKind::OperationRenamed,
                format!("operation `{}` is now `{}` ({} {})", old.id, new.id, new.method, new.path),
                pointers.clone(),
                items,
                rule,
                bumps,
                reason,
            );
        }
        if self.old_names.trait_name != self.new_names.trait_name {
            let items = vec![self.server_method()];
            let (from, to) = (self.old_names.trait_name.clone(), self.new_names.trait_name.clone());
            self.push(
                ChangeKind::OperationTagChanged,
                format!("operation `{}` moves from `{from}` to `{to}` (first tag changed)", new.id),
                pointers.clone(),
                items,
                fixed(
                    Impact::ok("The client has one `Client` for every tag."),
                    Impact::code(format!("The method `{}` moves from trait `{from}` to `{to}`.", self.new_names.method)),
                ),
                Bumps { server: Level::Major, ..Bumps::default() },
                format!("`{}` moves to trait `{to}`", self.new_names.method),
            );
        }
        if old.method != new.method || old.path != new.path {
            let same_urls = old.method == new.method && shape(old) == shape(new);
            let old_route = format!("{} {}", old.method, old.path);
            let new_route = format!("{} {}", new.method, new.path);
            // Path parameters renamed in place: the server request's fields follow their names.
            let renamed: Vec<(String, String)> = if same_urls {
                path_params(old)
                    .iter()
                    .zip(path_params(new))
                    .filter_map(|(a, b)| {
                        let old_field = old.params.iter().find(|p| p.location == ParamLocation::Path && p.wire == *a)?;
                        let new_field = new.params.iter().find(|p| p.location == ParamLocation::Path && p.wire == b)?;
                        (old_field.rust_name != new_field.rust_name).then(|| (old_field.rust_name.clone(), new_field.rust_name.clone()))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let client = if same_urls {
                Impact::ok("Same URLs: only path parameter names changed (argument names are not part of the Rust API).")
            } else {
                Impact::wire(format!("Old clients call {old_route}, which the new server does not serve."))
            };
            let server = if renamed.is_empty() {
                Impact::ok("The generated router serves the new route; implementations are unchanged.")
            } else {
                let list: Vec<String> = renamed.iter().map(|(a, b)| format!("`{a}` → `{b}`")).collect();
                Impact::code(format!("Fields of `{}` are renamed: {}.", self.server_request(), list.join(", ")))
            };
            let server_level = if renamed.is_empty() { Level::Minor } else { Level::Major };
            let items = vec![self.client_method(), self.server_method()];
            self.push(
                ChangeKind::PathChanged,
                format!("operation `{}`: {old_route} → {new_route}", new.id),
                pointers,
                items,
                fixed(client, server),
                Bumps { types: Level::None, validation: Level::None, server: server_level, client: Level::Minor },
                if renamed.is_empty() { "routing and request URLs follow the new path".to_string() } else { "server request fields renamed".to_string() },
            );
        }
    }

    /// The label operations use for a direction (`request: id`).
    fn root(&self, response: bool) -> Parent {
        let (dirs, label) = if response { (Dirs::RESPONSE, "response") } else { (Dirs::REQUEST, "request") };
        Parent::Root(dirs, format!("{label}: {}", self.new.id))
    }

    fn scope(&self, response: bool) -> Scope {
        let (dirs, label) = if response { (Dirs::RESPONSE, "response") } else { (Dirs::REQUEST, "request") };
        Scope::Direct(dirs, vec![format!("{label}: {}", self.new.id)])
    }

}
