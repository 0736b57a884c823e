//! What a change of the settings does to the generated crates: crates added, removed or renamed,
//! derives, attributes and replaced types, the server's error body and defaults. Each is one
//! [`ChangeKind::SettingChanged`](super::ChangeKind::SettingChanged) judged like an
//! operation-level change (fixed verdicts).

use super::classify::{Level, Raw, Rule, Scope};
use super::{Bumps, ChangeKind, Impact};
use crate::ir::Api;
use crate::plan::errors::ErrorBody;
use crate::plan::Plan;
use crate::settings::CrateKind;
use crate::Settings;
use std::collections::{BTreeMap, BTreeSet};

fn push(raws: &mut Vec<Raw>, summary: String, items: Vec<String>, client: Impact, server: Impact, bumps: Bumps, reason: String) {
    raws.push(Raw {
        kind: ChangeKind::SettingChanged,
        summary,
        old_pointer: None,
        new_pointer: None,
        rust_items: items,
        scope: Scope::Operation,
        rule: Rule::Fixed { client, server },
        bumps,
        bump_reason: reason,
    });
}

fn bump(kind: CrateKind, level: Level) -> Bumps {
    let mut bumps = Bumps::default();
    match kind {
        CrateKind::Types => bumps.types = level,
        CrateKind::Validation => bumps.validation = level,
        CrateKind::Server => bumps.server = level,
        CrateKind::Client => bumps.client = level,
    }
    bumps
}

/// Who uses a crate's API: (clients, servers).
fn users(kind: CrateKind) -> (bool, bool) {
    match kind {
        CrateKind::Types | CrateKind::Validation => (true, true),
        CrateKind::Server => (false, true),
        CrateKind::Client => (true, false),
    }
}

/// The changes between the settings the old and the new crates were generated with.
pub(crate) fn compare(old_api: &Api, new_api: &Api, old: &Settings, new: &Settings) -> Vec<Raw> {
    let mut raws = Vec::new();
    let has_operations = !new_api.operations.is_empty() || !old_api.operations.is_empty();
    let (old_crates, new_crates) = (old.options.crates(), new.options.crates());
    for kind in CrateKind::ALL {
        if !has_operations && matches!(kind, CrateKind::Server | CrateKind::Client) {
            continue;
        }
        let (clients, servers) = users(kind);
        let (old_name, new_name) = (old.crate_name(kind), new.crate_name(kind));
        let impact = |used: bool, text: String| if used { Impact::code(text) } else { Impact::ok("It does not use this crate.") };
        match (old_crates.has(kind), new_crates.has(kind)) {
            (true, false) => push(
                &mut raws,
                format!("crate `{old_name}` is no longer generated (settings `crates`)"),
                vec![old_name.replace('-', "_")],
                impact(clients, format!("Code using `{old_name}` no longer builds.")),
                impact(servers, format!("Code using `{old_name}` no longer builds.")),
                bump(kind, Level::Major),
                format!("`{old_name}` is removed"),
            ),
            (false, true) => push(
                &mut raws,
                format!("crate `{new_name}` is generated (settings `crates`)"),
                vec![new_name.replace('-', "_")],
                Impact::ok("A new crate; nothing existing changes."),
                Impact::ok("A new crate; nothing existing changes."),
                bump(kind, Level::Minor),
                format!("`{new_name}` is new"),
            ),
            (true, true) if old_name != new_name => push(
                &mut raws,
                format!("crate `{old_name}` is renamed `{new_name}` (settings `{}.name`)", kind.key()),
                vec![new_name.replace('-', "_")],
                impact(clients, format!("Dependencies on `{old_name}` and paths through it must be renamed.")),
                impact(servers, format!("Dependencies on `{old_name}` and paths through it must be renamed.")),
                bump(kind, Level::Major),
                format!("the crate is renamed `{new_name}`"),
            ),
            _ => {}
        }
    }
    let types_crate = new.crate_name(CrateKind::Types).replace('-', "_");
    let (old_plan, new_plan) = match (Plan::with_options(old_api, &old.options), Plan::with_options(new_api, &new.options)) {
        (Ok(old_plan), Ok(new_plan)) => (old_plan, new_plan),
        // Settings that do not fit their spec do not generate; generation reports them.
        _ => return raws,
    };
    types(&mut raws, &old_plan, &new_plan, &types_crate);
    server(&mut raws, &old_plan, &new_plan, old, new, has_operations);
    raws
}

/// Derives, attributes and replacements of the types both sides have (by Rust name).
fn types(raws: &mut Vec<Raw>, old: &Plan<'_>, new: &Plan<'_>, types_crate: &str) {
    let index = |plan: &Plan<'_>| -> BTreeMap<String, usize> {
        plan.api.types.iter().enumerate().map(|(i, def)| (def.name.clone(), i)).collect()
    };
    let old_index = index(old);
    for (index, def) in new.api.types.iter().enumerate() {
        let Some(&old_position) = old_index.get(&def.name) else { continue };
        let (Some(before), Some(after)) = (old.types.get(old_position), new.types.get(index)) else { continue };
        let item = format!("{types_crate}::{}", def.name);
        if before.replacement != after.replacement {
            let text = |r: &Option<String>| r.as_deref().map(|p| format!("`{}`", p.replace(' ', ""))).unwrap_or_else(|| "the generated type".to_string());
            let why = format!("`{}` is now {} instead of {}.", def.name, text(&after.replacement), text(&before.replacement));
            push(
                raws,
                format!("type `{}` is now {} (settings `types.replace`)", def.name, text(&after.replacement)),
                vec![item.clone()],
                Impact::code(why.clone()),
                Impact::code(why),
                Bumps { types: Level::Major, ..Bumps::default() },
                format!("`{}` is another type", def.name),
            );
            continue;
        }
        let set = |list: &[String]| list.iter().map(|d| d.replace(' ', "")).collect::<BTreeSet<String>>();
        let (before_derives, after_derives) = (set(&before.derives), set(&after.derives));
        let removed: Vec<&String> = before_derives.difference(&after_derives).collect();
        let added: Vec<&String> = after_derives.difference(&before_derives).collect();
        let list = |names: &[&String]| names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        if !removed.is_empty() {
            let why = format!("`{}` no longer implements {}: code relying on it no longer builds.", def.name, list(&removed));
            push(
                raws,
                format!("type `{}` no longer derives {} (settings `types`)", def.name, list(&removed)),
                vec![item.clone()],
                Impact::code(why.clone()),
                Impact::code(why),
                Bumps { types: Level::Major, ..Bumps::default() },
                format!("`{}` loses trait implementations", def.name),
            );
        }
        if !added.is_empty() {
            push(
                raws,
                format!("type `{}` now derives {} (settings `types`)", def.name, list(&added)),
                vec![item.clone()],
                Impact::ok("New trait implementations; existing code is unaffected."),
                Impact::ok("New trait implementations; existing code is unaffected."),
                Bumps { types: Level::Minor, ..Bumps::default() },
                format!("`{}` gains trait implementations", def.name),
            );
        }
        if set(&before.attributes) != set(&after.attributes) {
            let why = format!(
                "The attributes of `{}` changed; what they do is theirs to say (`#[non_exhaustive]` stops struct literals and exhaustive matches, `#[serde(...)]` changes the JSON): review.",
                def.name
            );
            push(
                raws,
                format!("type `{}` has other attributes (settings `types`)", def.name),
                vec![item.clone()],
                Impact::code(why.clone()),
                Impact::code(why),
                Bumps { types: Level::Major, ..Bumps::default() },
                format!("the attributes of `{}` changed", def.name),
            );
        }
    }
}

/// One of the server's body limits (`server.body_limit`, `server.binary_body_limit`).
struct BodyLimit {
    /// The `Config` field and setting name.
    field: &'static str,
    /// What it limits (`bodies`).
    bodies: &'static str,
    /// Before "body limit" in the summary (`streamed `).
    label: &'static str,
    /// The runtime's default, in bytes.
    default: u64,
}

impl BodyLimit {
    /// The change of its default, if any.
    fn change(&self, raws: &mut Vec<Raw>, server_crate: &str, old: Option<u64>, new: Option<u64>) {
        let (old, new) = (old.unwrap_or(self.default), new.unwrap_or(self.default));
        if old == new {
            return;
        }
        let (field, bodies, label) = (self.field, self.bodies, self.label);
        let client = if new < old {
            Impact::wire(format!("Requests with {bodies} between {new} and {old} bytes were accepted and now get 413."))
        } else {
            Impact::ok(format!("Larger {bodies} are accepted; nothing accepted before is refused."))
        };
        push(
            raws,
            format!("the server's default {label}body limit is {new} bytes, not {old} (settings `server.{field}`)"),
            vec![format!("{server_crate}::Config")],
            client,
            Impact::ok(format!("`Config::default()` changes; servers that set `{field}` themselves are unaffected.")),
            Bumps { server: Level::Minor, ..Bumps::default() },
            format!("the default of `Config::{field}` changes"),
        );
    }
}

/// The server's error body and defaults.
fn server(raws: &mut Vec<Raw>, old: &Plan<'_>, new: &Plan<'_>, old_settings: &Settings, new_settings: &Settings, has_operations: bool) {
    if !has_operations {
        return;
    }
    let server_crate = new_settings.crate_name(CrateKind::Server).replace('-', "_");
    let body_name = |plan: &Plan<'_>| match &plan.error_body {
        ErrorBody::Default => "the default body `{\"errors\": [...]}`".to_string(),
        ErrorBody::Schema { type_id, .. } => format!("`{}`", plan.api.ty(*type_id).spec_name),
    };
    let (old_body, new_body) = (body_name(old), body_name(new));
    let setting_changed = old_settings.options.error_schema.as_ref().map(|s| &s.value) != new_settings.options.error_schema.as_ref().map(|s| &s.value);
    if old_body != new_body && setting_changed {
        push(
            raws,
            format!("the server's own errors (400, 401, 404, 405, 413) are now {new_body}, not {old_body} (settings `server.error_schema`)"),
            vec![format!("{server_crate}::router")],
            Impact::wire(format!("Clients reading the server's error bodies as {old_body} get {new_body}.")),
            Impact::ok("The generated router fills the new body itself."),
            Bumps { types: Level::Major, server: Level::Minor, ..Bumps::default() },
            "the conversion of validation errors moves to another type".to_string(),
        );
    }
    let body = BodyLimit { field: "body_limit", bodies: "bodies", label: "", default: 1024 * 1024 };
    body.change(raws, &server_crate, old.server.body_limit, new.server.body_limit);
    let binary =
        BodyLimit { field: "binary_body_limit", bodies: "streamed (binary) bodies", label: "streamed ", default: 64 * 1024 * 1024 };
    binary.change(raws, &server_crate, old.server.binary_body_limit, new.server.binary_body_limit);
    match (old.server.request_timeout_ms, new.server.request_timeout_ms) {
        (None, Some(ms)) => push(
            raws,
            format!("the server answers 503 after {ms} ms (settings `server.request_timeout_ms`)"),
            vec![format!("{server_crate}::Config::request_timeout")],
            Impact::wire(format!("Requests the server takes longer than {ms} ms to answer now get 503.")),
            Impact::code("`Config` gains the field `request_timeout`: struct literals of it no longer build.".to_string()),
            Bumps { server: Level::Major, ..Bumps::default() },
            "`Config` gains a field".to_string(),
        ),
        (Some(_), None) => push(
            raws,
            "the server has no request timeout (settings `server.request_timeout_ms` removed)".to_string(),
            vec![format!("{server_crate}::Config::request_timeout")],
            Impact::ok("Requests are no longer cut short."),
            Impact::code("`Config::request_timeout` is removed.".to_string()),
            Bumps { server: Level::Major, ..Bumps::default() },
            "`Config` loses a field".to_string(),
        ),
        (Some(before), Some(after)) if before != after => push(
            raws,
            format!("the server's default request timeout is {after} ms, not {before} (settings `server.request_timeout_ms`)"),
            vec![format!("{server_crate}::Config::request_timeout")],
            if after < before {
                Impact::wire(format!("Requests taking between {after} and {before} ms now get 503."))
            } else {
                Impact::ok("Requests get more time.")
            },
            Impact::ok("`Config::default()` changes."),
            Bumps { server: Level::Minor, ..Bumps::default() },
            "the default of `Config::request_timeout` changes".to_string(),
        ),
        _ => {}
    }
    match (old.server.default_501, new.server.default_501) {
        (false, true) => push(
            raws,
            "server trait methods get a default body answering 501, and response enums a `NotImplemented` variant (settings `server.default_501`)".to_string(),
            vec![format!("{server_crate}::*Response::NotImplemented")],
            Impact::ok("Operations a server does not implement answer 501 instead of not building."),
            Impact::ok("Implementations build unchanged; exhaustive matches on response enums must handle `NotImplemented`."),
            Bumps { server: Level::Major, ..Bumps::default() },
            "response enums gain the variant `NotImplemented`".to_string(),
        ),
        (true, false) => push(
            raws,
            "server trait methods lose their default 501 body (settings `server.default_501` off)".to_string(),
            vec![format!("{server_crate}::*Response::NotImplemented")],
            Impact::ok("Every operation is implemented by every server that builds."),
            Impact::code("Every trait method must be implemented, and `NotImplemented` is removed from the response enums.".to_string()),
            Bumps { server: Level::Major, ..Bumps::default() },
            "trait methods lose their default bodies".to_string(),
        ),
        _ => {}
    }
    match (old.server.undocumented_responses, new.server.undocumented_responses) {
        (false, true) => push(
            raws,
            "response enums gain an `Undocumented` variant, a response the spec leaves out (settings `server.undocumented_responses`)".to_string(),
            vec![format!("{server_crate}::*Response::Undocumented")],
            Impact::wire("Servers may answer statuses the spec does not document; clients see them as `Error::UnexpectedStatus`.".to_string()),
            Impact::code("Exhaustive matches on response enums must handle `Undocumented`, and the enums are no longer `Clone` or `PartialEq`.".to_string()),
            Bumps { server: Level::Major, ..Bumps::default() },
            "response enums gain the variant `Undocumented`".to_string(),
        ),
        (true, false) => push(
            raws,
            "response enums lose their `Undocumented` variant (settings `server.undocumented_responses` off)".to_string(),
            vec![format!("{server_crate}::*Response::Undocumented")],
            Impact::ok("Servers answer only the statuses the spec documents."),
            Impact::code("Implementations that answer `Undocumented` must answer a documented status instead.".to_string()),
            Bumps { server: Level::Major, ..Bumps::default() },
            "response enums lose the variant `Undocumented`".to_string(),
        ),
        _ => {}
    }
    let (old_ignored, new_ignored) = (&old.server.ignored_query_parameters, &new.server.ignored_query_parameters);
    let refused: Vec<&String> = old_ignored.iter().filter(|name| !new_ignored.contains(name)).collect();
    let accepted: Vec<&String> = new_ignored.iter().filter(|name| !old_ignored.contains(name)).collect();
    let quoted = |names: &[&String]| names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
    if !accepted.is_empty() {
        push(
            raws,
            format!("every operation accepts and ignores the query parameters {} (settings `server.ignored_query_parameters`)", quoted(&accepted)),
            vec![format!("{server_crate}::router")],
            Impact::ok("Requests that send them are no longer refused."),
            Impact::ok("Handlers are unchanged; the parameters never reach them."),
            Bumps { server: Level::Minor, ..Bumps::default() },
            "the server accepts more requests".to_string(),
        );
    }
    if !refused.is_empty() {
        push(
            raws,
            format!("the query parameters {} are refused again where an operation does not declare them (settings `server.ignored_query_parameters`)", quoted(&refused)),
            vec![format!("{server_crate}::router")],
            Impact::wire("Clients that send them get 400.".to_string()),
            Impact::ok("Handlers are unchanged."),
            Bumps { server: Level::Minor, ..Bumps::default() },
            "the server refuses requests it accepted".to_string(),
        );
    }
}
