//! Parameters of one operation compared: added, removed, and changed in presence, location, style or type.

use super::*;

impl<'a> OpPair<'_, 'a> {
    pub(super) fn param_items(&self, param: &Param) -> Vec<String> {
        let client = if param.location == ParamLocation::Path { self.client_method() } else { format!("{}::{}", self.client_params(), param.rust_name) };
        vec![client, format!("{}::{}", self.server_request(), param.rust_name)]
    }

    pub(super) fn params(&mut self) {
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

    pub(super) fn param_what(&self, param: &Param) -> String {
        format!("{} parameter `{}` of `{}`", param.location, param.wire, self.new.id)
    }

    pub(super) fn param_added(&mut self, param: &Param) {
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

    pub(super) fn param_removed(&mut self, param: &Param) {
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

    pub(super) fn param(&mut self, old: &'a Param, new: &'a Param) {
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
    pub(super) fn scalar(&self, ty: &TypeRef, in_new: bool) -> bool {
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
}
