//! Security requirements compared, and the report of every operation whose requirements changed.

use super::*;

/// A security change of one operation, before grouping.
pub(super) struct SecurityEntry {
    removed: Vec<String>,
    added: Vec<String>,
    levels: (&'static str, &'static str),
    pointers: (String, String),
    operation: String,
    server_item: String,
    request_item: String,
    client_item: String,
}

pub(super) fn push_security(walker: &mut Walker<'_>, entries: Vec<SecurityEntry>) {
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
pub(super) fn alternative(api: &Api, requirement: &SecurityRequirement) -> String {
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

pub(super) fn auth_level(alternatives: &[SecurityRequirement]) -> &'static str {
    if alternatives.is_empty() {
        "none"
    } else if alternatives.iter().any(|a| a.schemes.is_empty()) {
        "optional"
    } else {
        "required"
    }
}

impl<'a> OpPair<'_, 'a> {
    /// The security change of this operation, if any (grouped with others later).
    pub(super) fn security(&self) -> Option<SecurityEntry> {
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
