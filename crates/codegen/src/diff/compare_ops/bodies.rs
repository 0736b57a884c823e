//! Request bodies and media types compared: presence, requiredness, the typed media type and how it travels.

use super::*;

impl<'a> OpPair<'_, 'a> {
    pub(super) fn body(&mut self) {
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
    pub(super) fn media(&mut self, old: &[MediaBody], new: &[MediaBody], status: Option<Status>, pointers: (Option<String>, Option<String>)) {
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
    pub(super) fn payload(&mut self, old: &[MediaBody], new: &[MediaBody], old_base: &str, new_base: &str, response: bool, items: Vec<String>) {
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
    pub(super) fn form_encoding(&mut self, a: &MediaBody, b: &MediaBody, old_base: &str, new_base: &str) {
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
}
