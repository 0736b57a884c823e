//! Responses compared: statuses added and removed, their bodies and headers.

use super::*;

impl<'a> OpPair<'_, 'a> {
    pub(super) fn responses(&mut self) {
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

    pub(super) fn response(&mut self, old: &'a Response, new: &'a Response, pointer_old: String, pointer_new: String) {
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
}
