//! Comparing operations: matching, parameters, bodies, responses and security.

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
    walker.push(Raw {
        kind: ChangeKind::OperationAdded,
        summary: format!("operation `{}` ({} {}) added", operation.id, operation.method, operation.path),
        old_pointer: None,
        new_pointer: Some(operation.origin.clone()),
        rust_items: vec![client_item.clone(), server_item.clone()],
        scope: Scope::Operation,
        rule: fixed(
            Impact::ok(format!("A new method `{client_item}`; existing calls are unaffected.")),
            Impact::code(format!(
                "`{}` gains the method `{}` (no default): every implementation must add it.",
                names.trait_name, names.method
            )),
        ),
        bumps: Bumps { types: Level::None, validation: Level::Minor, server: Level::Major, client: Level::Minor },
        bump_reason: format!("new method `{}`: a required trait method on the server, a new method on the client", names.method),
    });
}

/// A security change of one operation, before grouping.
struct SecurityEntry {
    removed: Vec<String>,
    added: Vec<String>,
    levels: (&'static str, &'static str),
    pointers: (String, String),
    operation: String,
    server_item: String,
    request_item: String,
    client_item: String,
}

fn push_security(walker: &mut Walker<'_>, entries: Vec<SecurityEntry>) {
    // One change per distinct (removed, added, levels, place): a global requirement change shows
    // once with every operation it reaches.
    let mut groups: Vec<(SecurityEntry, Vec<String>, Vec<String>)> = Vec::new();
    for entry in entries {
        let key = |e: &SecurityEntry| (e.removed.clone(), e.added.clone(), e.levels, e.pointers.clone());
        match groups.iter_mut().find(|(g, _, _)| key(g) == key(&entry)) {
            Some((_, operations, items)) => {
                operations.push(entry.operation.clone());
                items.extend([entry.client_item.clone(), entry.server_item.clone()]);
            }
            None => {
                let operations = vec![entry.operation.clone()];
                let items = vec![entry.client_item.clone(), entry.server_item.clone()];
                groups.push((entry, operations, items));
            }
        }
    }
    for (entry, operations, items) in groups {
        let mut parts = Vec::new();
        if !entry.removed.is_empty() {
            parts.push(format!("no longer accepts {}", entry.removed.join(", ")));
        }
        if !entry.added.is_empty() {
            parts.push(format!("now accepts {}", entry.added.join(", ")));
        }
        if entry.levels.0 != entry.levels.1 {
            parts.push(format!("credentials {} → {}", entry.levels.0, entry.levels.1));
        }
        let client = if entry.removed.is_empty() {
            Impact::ok("Every way old clients authenticate is still accepted.")
        } else {
            Impact::wire(format!("Old clients that authenticate with {} are refused (401).", entry.removed.join(" or ")))
        };
        let level_changed = entry.levels.0 != entry.levels.1;
        let server = match (entry.added.is_empty(), level_changed) {
            (true, false) => Impact::ok("Servers accept nothing they did not accept before."),
            (false, false) => Impact::wire(format!("Servers must now accept {}.", entry.added.join(" or "))),
            (added_none, true) => {
                let code = format!(
                    "`{}::credentials` changes ({} → {})",
                    entry.request_item, entry.levels.0, entry.levels.1
                );
                if added_none {
                    Impact::code(format!("{code}."))
                } else {
                    Impact::both(format!("Servers must now accept {}; {code}.", entry.added.join(" or ")))
                }
            }
        };
        walker.push(Raw {
            kind: ChangeKind::SecurityChanged,
            summary: format!("security of {}: {}", operations.join(", "), parts.join("; ")),
            old_pointer: Some(entry.pointers.0.clone()),
            new_pointer: Some(entry.pointers.1.clone()),
            rust_items: items,
            scope: Scope::Operation,
            rule: fixed(client, server),
            bumps: Bumps {
                types: Level::None,
                validation: Level::None,
                server: if level_changed { Level::Major } else { Level::Minor },
                client: Level::Minor,
            },
            bump_reason: if level_changed {
                "the server request's `credentials` field changes type".to_string()
            } else {
                "which credentials are sent and accepted".to_string()
            },
        });
    }
}

/// How one alternative of a requirement authenticates, independent of scheme names.
fn alternative(api: &Api, requirement: &SecurityRequirement) -> String {
    if requirement.schemes.is_empty() {
        return "no credentials".to_string();
    }
    let mut parts: Vec<String> = requirement
        .schemes
        .iter()
        .map(|(name, scopes)| {
            let kind = api.security_schemes.iter().find(|s| &s.name == name).map(|s| &s.kind);
            let text = match kind {
                Some(SecuritySchemeKind::HttpBearer) => "a bearer token".to_string(),
                Some(SecuritySchemeKind::HttpBasic) => "basic auth".to_string(),
                Some(SecuritySchemeKind::HttpOther(scheme)) => format!("HTTP `{scheme}` auth"),
                Some(SecuritySchemeKind::ApiKey { location, name }) => format!("an API key in {} `{name}`", location),
                Some(SecuritySchemeKind::OAuth2) => "an OAuth2 token".to_string(),
                Some(SecuritySchemeKind::OpenIdConnect) => "an OpenID Connect token".to_string(),
                None => format!("`{name}`"),
            };
            if scopes.is_empty() {
                text
            } else {
                let mut scopes = scopes.clone();
                scopes.sort();
                format!("{text} (scopes {})", scopes.join(", "))
            }
        })
        .collect();
    parts.sort();
    parts.join(" + ")
}

fn auth_level(alternatives: &[SecurityRequirement]) -> &'static str {
    if alternatives.is_empty() {
        "none"
    } else if alternatives.iter().any(|a| a.schemes.is_empty()) {
        "optional"
    } else {
        "required"
    }
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

    fn param_items(&self, param: &Param) -> Vec<String> {
        let client = if param.location == ParamLocation::Path { self.client_method() } else { format!("{}::{}", self.client_params(), param.rust_name) };
        vec![client, format!("{}::{}", self.server_request(), param.rust_name)]
    }

    fn params(&mut self) {
        let (old, new) = (self.old, self.new);
        // Path parameters renamed in place keep their identity.
        let renames: BTreeMap<&str, &str> =
            if shape(old) == shape(new) { path_params(old).into_iter().zip(path_params(new)).collect() } else { BTreeMap::new() };
        let key = |param: &'a Param| -> (ParamLocation, &'a str) {
            let wire = if param.location == ParamLocation::Path { renames.get(param.wire.as_str()).copied().unwrap_or(&param.wire) } else { &param.wire };
            (param.location, wire)
        };
        let mut matched = BTreeSet::new();
        for param in &old.params {
            let (location, wire) = key(param);
            let wire_lower = wire.to_ascii_lowercase();
            let found = new.params.iter().enumerate().find(|(_, q)| {
                q.location == location
                    && if location == ParamLocation::Header { q.wire.to_ascii_lowercase() == wire_lower } else { q.wire == wire }
            });
            match found {
                Some((j, other)) => {
                    matched.insert(j);
                    self.param(param, other);
                }
                None => self.param_removed(param),
            }
        }
        for (j, param) in new.params.iter().enumerate() {
            if !matched.contains(&j) {
                self.param_added(param);
            }
        }
    }

    fn param_what(&self, param: &Param) -> String {
        format!("{} parameter `{}` of `{}`", param.location, param.wire, self.new.id)
    }

    fn param_added(&mut self, param: &Param) {
        let what = self.param_what(param);
        let items = self.param_items(param);
        let client_item = items.first().cloned().unwrap_or_default();
        let (client, server) = if param.required {
            let needs = if param.location == ParamLocation::Path { "a new argument".to_string() } else { format!("the new required field `{client_item}`") };
            (
                Impact::both(format!("Old clients do not send it and are refused (400); calls need {needs}.")),
                Impact::ok("Servers receive it decoded and validated."),
            )
        } else {
            (Impact::ok("Optional: old clients may leave it out."), Impact::ok("Optional: servers may ignore it."))
        };
        let presence = if param.required { "required" } else { "optional" };
        self.push(
            ChangeKind::ParameterAdded,
            format!("{what} added ({presence}, {})", Walker::describe(self.walker.new, &param.ty)),
            (None, Some(param.origin.clone())),
            items,
            fixed(client, server),
            Bumps { types: Level::None, validation: Level::Minor, server: Level::Major, client: Level::Major },
            format!("`{}` and `{}` gain a field (struct literals break)", self.client_params(), self.server_request()),
        );
    }

    fn param_removed(&mut self, param: &Param) {
        let what = format!("{} parameter `{}` of `{}`", param.location, param.wire, self.old.id);
        let old_request = format!("{}::{}::{}", self.walker.names.server, self.old_names.request, param.rust_name);
        let old_client = if param.location == ParamLocation::Path {
            format!("{}::Client::{}", self.walker.names.client, self.old_names.method)
        } else {
            format!("{}::{}::{}", self.walker.names.client, self.old_names.params, param.rust_name)
        };
        self.push(
            ChangeKind::ParameterRemoved,
            format!("{what} removed"),
            (Some(param.origin.clone()), None),
            vec![old_client.clone(), old_request.clone()],
            fixed(
                Impact::code(format!("`{old_client}` loses it: code that sets it no longer compiles (the server ignores it if old clients still send it).")),
                Impact::code(format!("`{old_request}` is removed: code that reads it no longer compiles.")),
            ),
            Bumps { types: Level::None, validation: Level::Major, server: Level::Major, client: Level::Major },
            format!("`{old_request}` and its client field are removed"),
        );
    }

    fn param(&mut self, old: &'a Param, new: &'a Param) {
        let what = self.param_what(new);
        let items = self.param_items(new);
        let pointers = (Some(old.origin.clone()), Some(new.origin.clone()));
        let client_item = items.first().cloned().unwrap_or_default();
        let server_item = items.get(1).cloned().unwrap_or_default();
        let server_presence_changed = old.always_present() != new.always_present();
        if old.required != new.required {
            if new.required {
                let server = if server_presence_changed {
                    Impact::code(format!("`{server_item}` changes from `Option<T>` to `T`."))
                } else {
                    Impact::ok("Servers already had a value (the default) when it was not sent.")
                };
                self.push(
                    ChangeKind::ParameterBecameRequired,
                    format!("{what} is now required"),
                    pointers.clone(),
                    items.clone(),
                    fixed(
                        Impact::both(format!("Old clients may leave it out and are refused (400); `{client_item}` changes from `Option<T>` to `T`.")),
                        server,
                    ),
                    Bumps { types: Level::None, validation: Level::Minor, server: if server_presence_changed { Level::Major } else { Level::None }, client: Level::Major },
                    format!("`{client_item}` changes from `Option<T>` to `T`"),
                );
            } else {
                let server = if server_presence_changed {
                    Impact::both(format!("Servers must handle requests without it; `{server_item}` changes from `T` to `Option<T>`."))
                } else {
                    Impact::ok("The router fills in the default when it is not sent.")
                };
                self.push(
                    ChangeKind::ParameterBecameOptional,
                    format!("{what} is no longer required"),
                    pointers.clone(),
                    items.clone(),
                    fixed(Impact::code(format!("`{client_item}` changes from `T` to `Option<T>`.")), server),
                    Bumps { types: Level::None, validation: Level::Minor, server: if server_presence_changed { Level::Major } else { Level::None }, client: Level::Major },
                    format!("`{client_item}` changes from `T` to `Option<T>`"),
                );
            }
        }
        // `explode` makes no difference on the wire for a single value.
        let explode_matters = !(self.scalar(&old.ty, false) && self.scalar(&new.ty, true));
        if old.style != new.style || (old.explode != new.explode && explode_matters) || old.content != new.content {
            self.push(
                ChangeKind::ParameterStyleChanged,
                format!("{what}: {} → {}", style_text(old), style_text(new)),
                pointers.clone(),
                items.clone(),
                fixed(
                    Impact::wire("Old clients serialize it the old way, which the new server decodes differently or refuses."),
                    Impact::ok("The generated router decodes the new style; implementations are unchanged."),
                ),
                Bumps { types: Level::None, validation: Level::None, server: Level::Minor, client: Level::Minor },
                "parameter encoding follows the new style".to_string(),
            );
        }
        if old.default != new.default {
            let show = |v: &Option<serde_json::Value>| v.as_ref().map(|v| format!("`{v}`")).unwrap_or_else(|| "none".to_string());
            let server_code = server_presence_changed.then(|| format!("`{server_item}` changes between `T` and `Option<T>`"));
            let server_level = if server_presence_changed { Level::Major } else { Level::Minor };
            // Parameters are always in requests: the rule needs that direction.
            let scope = self.scope(false);
            self.walker.push(Raw {
                kind: ChangeKind::DefaultChanged,
                summary: format!("default of {what}: {} → {}", show(&old.default), show(&new.default)),
                old_pointer: pointers.0.clone(),
                new_pointer: pointers.1.clone(),
                rust_items: items.clone(),
                scope,
                rule: Rule::Default { server_code },
                bumps: Bumps { types: Level::None, validation: Level::None, server: server_level, client: Level::Patch },
                bump_reason: "the router fills in the new default".to_string(),
            });
        }
        if old.doc != new.doc {
            self.walker.docs.operations.push(format!("{}.{}", self.new.id, new.wire));
        }
        let site = Site {
            old_pointer: format!("{}/schema", old.origin),
            new_pointer: format!("{}/schema", new.origin),
            what: format!("{} parameter `{}` of `{}`", new.location, new.wire, self.new.id),
            rust_items: items,
            type_kind: ChangeKind::ParameterTypeChanged,
            scope: self.scope(false),
            parent: self.root(false),
            owner: Owner::Operation,
            nested: false,
        };
        self.walker.constraints(&old.constraints, &new.constraints, &site);
        self.walker.compare_ref(&old.ty, &new.ty, &site);
    }

    /// Whether a parameter type is one value (not an array, map or object).
    fn scalar(&self, ty: &TypeRef, in_new: bool) -> bool {
        let api = if in_new { self.walker.new } else { self.walker.old };
        let mut ty = ty;
        for _ in 0..64 {
            match ty {
                TypeRef::Builtin(_) => return true,
                TypeRef::Named(id) => match api.types.get(id.0).map(|d| &d.kind) {
                    Some(TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_)) => return true,
                    Some(TypeKind::Alias(inner, _)) => ty = inner,
                    _ => return false,
                },
                _ => return false,
            }
        }
        false
    }

    fn body(&mut self) {
        let (old, new) = (self.old, self.new);
        let client_item = self.client_method();
        let server_item = format!("{}::body", self.server_request());
        let items = vec![client_item.clone(), server_item.clone()];
        let pointer = |op: &Operation| format!("{}/requestBody", op.origin);
        match (&old.body, &new.body) {
            (None, None) => {}
            (None, Some(body)) => {
                let client = if body.required {
                    Impact::both("Old clients send no body and are refused (400); calls need a new `body` argument.")
                } else {
                    Impact::code("Calls need a new `body` argument (an `Option`).")
                };
                self.push(
                    ChangeKind::RequestBodyAdded,
                    format!("request body of `{}` added ({})", new.id, if body.required { "required" } else { "optional" }),
                    (None, Some(pointer(new))),
                    items,
                    fixed(client, Impact::ok("Servers receive it decoded and validated.")),
                    Bumps { types: Level::None, validation: Level::Minor, server: Level::Major, client: Level::Major },
                    format!("`{client_item}` gains an argument; `{}` gains a field", self.server_request()),
                );
            }
            (Some(_), None) => {
                self.push(
                    ChangeKind::RequestBodyRemoved,
                    format!("request body of `{}` removed", new.id),
                    (Some(pointer(old)), None),
                    items,
                    fixed(
                        Impact::code(format!("`{client_item}` loses its `body` argument.")),
                        Impact::code(format!("`{server_item}` is removed.")),
                    ),
                    Bumps { types: Level::None, validation: Level::Major, server: Level::Major, client: Level::Major },
                    format!("`{client_item}` loses an argument; `{server_item}` is removed"),
                );
            }
            (Some(a), Some(b)) => {
                let pointers = (Some(pointer(old)), Some(pointer(new)));
                if a.required != b.required {
                    let (kind, text, client, server) = if b.required {
                        (
                            ChangeKind::RequestBodyBecameRequired,
                            "is now required",
                            Impact::both("Old clients may send no body and are refused (400); the argument changes from `Option<&T>` to `&T`."),
                            Impact::code(format!("`{server_item}` changes from `Option<T>` to `T`.")),
                        )
                    } else {
                        (
                            ChangeKind::RequestBodyBecameOptional,
                            "is no longer required",
                            Impact::code("The `body` argument changes from `&T` to `Option<&T>`."),
                            Impact::both(format!("Servers must handle requests without a body; `{server_item}` becomes an `Option`.")),
                        )
                    };
                    self.push(
                        kind,
                        format!("request body of `{}` {text}", new.id),
                        pointers.clone(),
                        items.clone(),
                        fixed(client, server),
                        Bumps { types: Level::None, validation: Level::Minor, server: Level::Major, client: Level::Major },
                        "the body argument and field change between `T` and `Option<T>`".to_string(),
                    );
                }
                if a.doc != b.doc {
                    self.walker.docs.operations.push(format!("{} request body", new.id));
                }
                self.media(&a.content, &b.content, None, pointers);
                self.payload(&a.content, &b.content, &pointer(old), &pointer(new), false, items);
            }
        }
    }

    /// Media types added and removed, for a request body (`status` none) or a response.
    fn media(&mut self, old: &[MediaBody], new: &[MediaBody], status: Option<Status>, pointers: (Option<String>, Option<String>)) {
        let (old_typed, new_typed) = match status {
            None => (checked_media_in(self.walker.old, old), checked_media_in(self.walker.new, new)),
            Some(_) => (json_media(old), json_media(new)),
        };
        let (old_kind, new_kind) = (payload_kind(old, old_typed), payload_kind(new, new_typed));
        let retyped = rust_payload(old_kind) != rust_payload(new_kind);
        let place = match status {
            None => format!("request body of `{}`", self.new.id),
            Some(status) => format!("`{}` response of `{}`", status_display(status), self.new.id),
        };
        let items = match status {
            None => vec![self.client_method(), format!("{}::body", self.server_request())],
            Some(status) => self.response_items(status),
        };
        let code = retyped.then(|| format!("the payload changes from {old_kind} to {new_kind}"));
        let bumps = if retyped {
            Bumps { types: Level::None, validation: Level::Minor, server: Level::Major, client: Level::Major }
        } else {
            Bumps { types: Level::None, validation: Level::None, server: Level::Minor, client: Level::Minor }
        };
        let reason = match &code {
            Some(code) => code.clone(),
            None => "content negotiation follows the new media types".to_string(),
        };
        let with_code = |impact: Impact| match &code {
            Some(code) => Impact { breaking: true, code: true, why: format!("{} Code: {code}.", impact.why), ..impact },
            None => impact,
        };
        for media in old.iter().filter(|m| !new.iter().any(|n| n.media_type == m.media_type)) {
            let (client, server) = match status {
                None => (
                    Impact::wire(format!("Old clients that send `{}` are refused (400).", media.media_type)),
                    Impact::ok("Servers accept less than before."),
                ),
                Some(_) => (
                    Impact::ok("Old clients read less than before."),
                    Impact::wire(format!("Servers must no longer answer `{}`.", media.media_type)),
                ),
            };
            self.push(
                ChangeKind::MediaTypeRemoved,
                format!("media type `{}` of the {place} removed", media.media_type),
                pointers.clone(),
                items.clone(),
                fixed(with_code(client), with_code(server)),
                bumps,
                reason.clone(),
            );
        }
        for media in new.iter().filter(|n| !old.iter().any(|m| m.media_type == n.media_type)) {
            let (client, server) = match status {
                None => (Impact::ok("Old clients keep sending what they sent."), Impact::wire(format!("Servers must now accept `{}`.", media.media_type))),
                Some(_) => (
                    Impact::wire(format!("Old clients may now receive `{}`, which they do not decode.", media.media_type)),
                    Impact::ok("Servers may keep answering as before."),
                ),
            };
            self.push(
                ChangeKind::MediaTypeAdded,
                format!("media type `{}` of the {place} added", media.media_type),
                pointers.clone(),
                items.clone(),
                fixed(with_code(client), with_code(server)),
                bumps,
                reason.clone(),
            );
        }
    }

    /// The JSON payload types of a body or response, compared as a site.
    fn payload(&mut self, old: &[MediaBody], new: &[MediaBody], old_base: &str, new_base: &str, response: bool, items: Vec<String>) {
        let (a, b) = if response {
            (json_media(old), json_media(new))
        } else {
            (checked_media_in(self.walker.old, old), checked_media_in(self.walker.new, new))
        };
        let (Some(a), Some(b)) = (a, b) else { return };
        let any = TypeRef::Any;
        let what = if response {
            format!("the {} response of `{}`", old_base.rsplit('/').next().unwrap_or_default(), self.new.id)
        } else {
            format!("the request body of `{}`", self.new.id)
        };
        if !response && is_form(&a.media_type) && is_form(&b.media_type) {
            self.form_encoding(a, b, old_base, new_base);
        }
        // A multipart body is `Multipart` in the server and the client whatever its schema: only
        // the types and the checks change with it.
        let items = if !response && is_multipart(&b.media_type) { Vec::new() } else { items };
        let site = Site {
            old_pointer: format!("{old_base}/content/{}/schema", crate::error::escape_pointer_token(&a.media_type)),
            new_pointer: format!("{new_base}/content/{}/schema", crate::error::escape_pointer_token(&b.media_type)),
            what,
            rust_items: items,
            type_kind: ChangeKind::TypeChanged,
            scope: self.scope(response),
            parent: self.root(response),
            owner: Owner::Operation,
            nested: false,
        };
        self.walker.compare_ref(a.ty.as_ref().unwrap_or(&any), b.ty.as_ref().unwrap_or(&any), &site);
    }

    /// The `encoding` of a URL-encoded form body: a field written another way is a style
    /// change, like a parameter's.
    fn form_encoding(&mut self, a: &MediaBody, b: &MediaBody, old_base: &str, new_base: &str) {
        let effective = |media: &MediaBody, name: &str| {
            media.encoding.iter().find(|e| e.name == name).map(|e| (e.style, e.explode)).unwrap_or((ParamStyle::Form, true))
        };
        let mut names: Vec<&str> = a.encoding.iter().chain(&b.encoding).map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let (old_style, new_style) = (effective(a, name), effective(b, name));
            if old_style == new_style {
                continue;
            }
            let text = |(style, explode): (ParamStyle, bool)| format!("{}, {}", style, if explode { "explode" } else { "no explode" });
            let at = |base: &str, media: &MediaBody| {
                let media_pointer = format!("{base}/content/{}", crate::error::escape_pointer_token(&media.media_type));
                format!("{media_pointer}/encoding/{}", crate::error::escape_pointer_token(name))
            };
            self.push(
                ChangeKind::ParameterStyleChanged,
                format!("form field `{name}` of the request body of `{}`: {} → {}", self.new.id, text(old_style), text(new_style)),
                (Some(at(old_base, a)), Some(at(new_base, b))),
                vec![self.client_method(), format!("{}::body", self.server_request())],
                fixed(
                    Impact::wire("Old clients write the field the old way, which the new server reads differently or refuses."),
                    Impact::ok("The generated router reads the new encoding; implementations are unchanged."),
                ),
                Bumps { types: Level::None, validation: Level::None, server: Level::Minor, client: Level::Minor },
                "form encoding follows the new style".to_string(),
            );
        }
    }

    fn responses(&mut self) {
        let (old, new) = (self.old, self.new);
        let covered = |status: Status, responses: &[Response]| {
            responses.iter().any(|r| match (r.status, status) {
                (Status::Default, _) => true,
                (Status::Range(range), Status::Code(code)) => u16::from(range) == code / 100,
                _ => false,
            })
        };
        for response in &old.responses {
            let pointer_old = format!("{}/responses/{}", old.origin, crate::error::escape_pointer_token(&status_display(response.status)));
            match new.responses.iter().find(|r| r.status == response.status) {
                Some(other) => {
                    let pointer_new = format!("{}/responses/{}", new.origin, crate::error::escape_pointer_token(&status_display(other.status)));
                    self.response(response, other, pointer_old, pointer_new);
                }
                None => {
                    let items = vec![
                        format!("{}::{}::{}", self.walker.names.client, self.old_names.client_response, variant_name(response.status)),
                        format!("{}::{}::{}", self.walker.names.server, self.old_names.server_response, variant_name(response.status)),
                    ];
                    let client_item = items.first().cloned().unwrap_or_default();
                    let server_item = items.get(1).cloned().unwrap_or_default();
                    self.push(
                        ChangeKind::ResponseStatusRemoved,
                        format!("`{}` response of `{}` removed", status_display(response.status), new.id),
                        (Some(pointer_old), None),
                        items,
                        fixed(
                            Impact::code(format!("`{client_item}` is removed: code that matches on it no longer compiles.")),
                            Impact::both(format!("Servers must no longer send it; `{server_item}` is removed.")),
                        ),
                        Bumps { types: Level::None, validation: Level::None, server: Level::Major, client: Level::Major },
                        format!("the `{}` variant of the response enums is removed", variant_name(response.status)),
                    );
                }
            }
        }
        for response in new.responses.iter().filter(|r| !old.responses.iter().any(|o| o.status == r.status)) {
            let pointer_new = format!("{}/responses/{}", new.origin, crate::error::escape_pointer_token(&status_display(response.status)));
            let items = self.response_items(response.status);
            let client_item = items.first().cloned().unwrap_or_default();
            let client = if covered(response.status, &old.responses) {
                Impact::code(format!("Exhaustive matches on the response enum miss the new variant `{client_item}` (old clients decoded it as a broader one)."))
            } else {
                Impact::both(format!(
                    "Old clients see `{}` as an undocumented status (`Error::UnexpectedStatus`); exhaustive matches miss the new variant `{client_item}`.",
                    status_display(response.status)
                ))
            };
            self.push(
                ChangeKind::ResponseStatusAdded,
                format!("`{}` response of `{}` added", status_display(response.status), new.id),
                (None, Some(pointer_new)),
                items,
                fixed(client, Impact::ok("Servers may send it; nothing they send today becomes invalid.")),
                Bumps { types: Level::None, validation: Level::None, server: Level::Major, client: Level::Major },
                format!("the response enums gain the variant `{}` (exhaustive matches break)", variant_name(response.status)),
            );
        }
    }

    fn response(&mut self, old: &'a Response, new: &'a Response, pointer_old: String, pointer_new: String) {
        let items = self.response_items(new.status);
        if old.description != new.description {
            self.walker.docs.operations.push(format!("{} {}", self.new.id, status_display(new.status)));
        }
        self.media(&old.content, &new.content, Some(new.status), (Some(pointer_old.clone()), Some(pointer_new.clone())));
        self.payload(&old.content, &new.content, &pointer_old, &pointer_new, true, items.clone());
        let server_item = items.get(1).cloned().unwrap_or_default();
        for header in &old.headers {
            let name = header.wire.to_ascii_lowercase();
            if new.headers.iter().any(|h| h.wire.to_ascii_lowercase() == name) {
                continue;
            }
            let client = if header.required {
                Impact::wire("Old clients that read it no longer get it.")
            } else {
                Impact::ok("It was optional: clients could not rely on it.")
            };
            self.push(
                ChangeKind::ResponseHeaderRemoved,
                format!("header `{}` of the `{}` response of `{}` removed", header.wire, status_display(new.status), self.new.id),
                (Some(format!("{pointer_old}/headers/{}", crate::error::escape_pointer_token(&header.wire))), None),
                vec![server_item.clone()],
                fixed(client, Impact::code(format!("`{server_item}` loses the field `{}`.", header.rust_name))),
                Bumps { server: Level::Major, ..Bumps::default() },
                format!("`{server_item}` loses a field"),
            );
        }
        for header in &new.headers {
            let name = header.wire.to_ascii_lowercase();
            if old.headers.iter().any(|h| h.wire.to_ascii_lowercase() == name) {
                continue;
            }
            let server = if header.required {
                Impact::both(format!("Servers must now send it; `{server_item}` gains the required field `{}`.", header.rust_name))
            } else {
                Impact::ok("Optional: servers may leave it out.")
            };
            self.push(
                ChangeKind::ResponseHeaderAdded,
                format!(
                    "header `{}` of the `{}` response of `{}` added ({})",
                    header.wire,
                    status_display(new.status),
                    self.new.id,
                    if header.required { "required" } else { "optional" }
                ),
                (None, Some(format!("{pointer_new}/headers/{}", crate::error::escape_pointer_token(&header.wire)))),
                vec![server_item.clone()],
                fixed(Impact::ok("Old clients ignore headers they do not know."), server),
                Bumps { server: Level::Major, ..Bumps::default() },
                format!("`{server_item}` gains a field"),
            );
        }
        for header in &old.headers {
            let name = header.wire.to_ascii_lowercase();
            let Some(other) = new.headers.iter().find(|h| h.wire.to_ascii_lowercase() == name) else { continue };
            let site = Site {
                old_pointer: format!("{pointer_old}/headers/{}/schema", crate::error::escape_pointer_token(&header.wire)),
                new_pointer: format!("{pointer_new}/headers/{}/schema", crate::error::escape_pointer_token(&other.wire)),
                what: format!("header `{}` of the `{}` response of `{}`", other.wire, status_display(new.status), self.new.id),
                rust_items: vec![format!("{server_item}::{}", other.rust_name)],
                type_kind: ChangeKind::TypeChanged,
                scope: self.scope(true),
                parent: self.root(true),
                owner: Owner::Server,
                nested: false,
            };
            self.walker.compare_ref(&header.ty, &other.ty, &site);
        }
    }

    /// The security change of this operation, if any (grouped with others later).
    fn security(&self) -> Option<SecurityEntry> {
        let (old_api, new_api) = (self.walker.old, self.walker.new);
        let old_reqs = self.old.security.as_deref().unwrap_or(&old_api.security);
        let new_reqs = self.new.security.as_deref().unwrap_or(&new_api.security);
        let old_alts: BTreeSet<String> = old_reqs.iter().map(|r| alternative(old_api, r)).collect();
        let new_alts: BTreeSet<String> = new_reqs.iter().map(|r| alternative(new_api, r)).collect();
        // No requirement at all accepts anything, including no credentials.
        let with_none = |alts: BTreeSet<String>, reqs: &[SecurityRequirement]| {
            if reqs.is_empty() {
                BTreeSet::from(["no credentials".to_string()])
            } else {
                alts
            }
        };
        let old_alts = with_none(old_alts, old_reqs);
        let new_alts = with_none(new_alts, new_reqs);
        // Where no credentials are needed, credentials that are sent anyway are not refused.
        let open = new_alts.contains("no credentials");
        let removed: Vec<String> = if open { Vec::new() } else { old_alts.difference(&new_alts).cloned().collect() };
        let added: Vec<String> = new_alts.difference(&old_alts).cloned().collect();
        let levels = (auth_level(old_reqs), auth_level(new_reqs));
        if removed.is_empty() && added.is_empty() && levels.0 == levels.1 {
            return None;
        }
        let pointer = |op: &Operation, inherited: bool| if inherited { "#/security".to_string() } else { format!("{}/security", op.origin) };
        Some(SecurityEntry {
            removed,
            added,
            levels,
            pointers: (pointer(self.old, self.old.security.is_none()), pointer(self.new, self.new.security.is_none())),
            operation: format!("`{}`", self.new.id),
            server_item: self.server_method(),
            request_item: self.server_request(),
            client_item: self.client_method(),
        })
    }
}
