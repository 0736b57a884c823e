//! Comparing a pair of named types by kind: structs (fields, flattened unions,
//! `additionalProperties`), enums and unions.

use super::{presence, presence_text, field_mask, Walker};
use crate::diff::classify::{Dirs, Effect, Level, Raw, Rule, Scope};
use crate::diff::{Bumps, ChangeKind};
use crate::ir::{Additional, Api, EnumVariant, Field, StructDef, TypeDef, TypeKind, TypeRef, UnionDef};
use serde_json::Value;

impl<'a> Walker<'a> {
    pub(super) fn compare_pair(&mut self, index: usize) {
        let (old_api, new_api) = (self.old, self.new);
        let Some(pair) = self.pairs.get(index) else { return };
        let (Some(da), Some(db)) = (old_api.types.get(pair.old.0), new_api.types.get(pair.new.0)) else { return };
        if da.name != db.name {
            let is_component = pair.old.0 < old_api.checks.len();
            let validation = if is_component { Level::Major } else { Level::None };
            let raw = Raw {
                kind: ChangeKind::TypeRenamed,
                summary: format!("type `{}` is now `{}`", da.name, db.name),
                old_pointer: Some(da.origin.clone()),
                new_pointer: Some(db.origin.clone()),
                rust_items: vec![self.type_item(da), self.type_item(db)],
                scope: Scope::Pair(index, Dirs::BOTH),
                rule: Rule::Values { effect: Effect::None, code: Some(format!("`{}` is renamed to `{}`", self.type_item(da), db.name)), note: None },
                bumps: Bumps { types: Level::Major, validation, ..Bumps::default() },
                bump_reason: format!("`{}` is renamed to `{}`", self.type_item(da), db.name),
            };
            self.push(raw);
        }
        if da.doc != db.doc {
            self.docs.types.push(db.name.clone());
        }
        if da.example != db.example {
            self.docs.examples.push(db.name.clone());
        }
        let what = db.spec_name.clone();
        let item = self.type_item(db);
        match (&da.kind, &db.kind) {
            (TypeKind::Struct(sa), TypeKind::Struct(sb)) => self.compare_struct(index, da, db, sa, sb),
            (TypeKind::StringEnum(a), TypeKind::StringEnum(b)) => self.compare_enum(index, da, db, a, b, |v| format!("`{v}`")),
            (TypeKind::IntegerEnum(a), TypeKind::IntegerEnum(b)) => self.compare_enum(index, da, db, a, b, |v| v.to_string()),
            (TypeKind::Union(a), TypeKind::Union(b)) => self.compare_union(index, da, db, a, b),
            (TypeKind::Newtype(ta, ca), TypeKind::Newtype(tb, cb)) => {
                let site = self.pair_site(index, &da.origin, &db.origin, format!("`{what}`"), format!("{item}::0"), Dirs::BOTH);
                self.compare_ref(ta, tb, &site);
                self.constraints(ca, cb, &site);
            }
            (TypeKind::Alias(ta, ca), TypeKind::Alias(tb, cb)) => {
                let site = self.pair_site(index, &da.origin, &db.origin, format!("`{what}`"), item, Dirs::BOTH);
                self.compare_ref(ta, tb, &site);
                self.constraints(ca, cb, &site);
            }
            _ => {}
        }
    }

    fn compare_struct(&mut self, index: usize, da: &'a TypeDef, db: &'a TypeDef, sa: &'a StructDef, sb: &'a StructDef) {
        let type_item = self.type_item(db);
        let mut removed: Vec<&Field> = Vec::new();
        // Maps by wire name (the first of a name, as a scan would find): objects can have
        // thousands of properties.
        let by_wire = |fields: &'a [Field]| {
            let mut map = std::collections::HashMap::new();
            for field in fields {
                map.entry(field.wire.as_str()).or_insert(field);
            }
            map
        };
        let (old_fields, new_fields) = (by_wire(&sa.fields), by_wire(&sb.fields));
        for field in &sa.fields {
            match new_fields.get(field.wire.as_str()) {
                Some(other) => self.compare_field(index, db, field, other),
                None => removed.push(field),
            }
        }
        let added: Vec<&Field> = sb.fields.iter().filter(|g| !old_fields.contains_key(g.wire.as_str())).collect();
        let mut taken = vec![false; added.len()];
        let old_open = !matches!(sa.additional, Additional::Denied);
        let new_open = !matches!(sb.additional, Additional::Denied);
        for field in removed {
            let rename = added.iter().enumerate().position(|(i, g)| !taken[i] && self.same_type(&field.ty, &g.ty));
            let old_item = format!("{}::{}::{}", self.names.types, da.name, field.name);
            match rename {
                Some(i) => {
                    taken[i] = true;
                    let Some(other) = added.get(i) else { continue };
                    let new_item = format!("{type_item}::{}", other.name);
                    self.push(Raw {
                        kind: ChangeKind::PropertyRenamed,
                        summary: format!(
                            "`{}.{}` removed and `{}.{}` added with the same type: possibly a rename",
                            da.spec_name, field.wire, db.spec_name, other.wire
                        ),
                        old_pointer: Some(field.origin.clone()),
                        new_pointer: Some(other.origin.clone()),
                        rust_items: vec![old_item.clone(), new_item.clone()],
                        scope: Scope::Pair(index, field_mask(field).union(field_mask(other))),
                        rule: Rule::Values {
                            effect: Effect::Changed,
                            code: Some(format!("`{old_item}` is gone (now `{new_item}`?)")),
                            note: None,
                        },
                        bumps: Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                        bump_reason: format!("`{old_item}` is removed (renamed?)"),
                    });
                }
                None => {
                    let effect = match (new_open, field.required || field.required_one_way) {
                        (true, _) => Effect::Loosened,
                        (false, false) => Effect::Tightened,
                        (false, true) => Effect::Changed,
                    };
                    self.push(Raw {
                        kind: ChangeKind::PropertyRemoved,
                        summary: format!("`{}.{}` removed", da.spec_name, field.wire),
                        old_pointer: Some(field.origin.clone()),
                        new_pointer: None,
                        rust_items: vec![old_item.clone()],
                        scope: Scope::Pair(index, field_mask(field)),
                        rule: Rule::Values { effect, code: Some(format!("`{old_item}` is removed")), note: None },
                        bumps: Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                        bump_reason: format!("`{old_item}` is removed"),
                    });
                }
            }
        }
        for (i, field) in added.iter().enumerate() {
            if taken[i] {
                continue;
            }
            let effect = match (old_open, field.required || field.required_one_way) {
                (true, false) => Effect::None,
                (true, true) => Effect::Tightened,
                (false, false) => Effect::Loosened,
                (false, true) => Effect::Changed,
            };
            let item = format!("{type_item}::{}", field.name);
            let presence = if field.required || field.required_one_way { "required" } else { "optional" };
            let ty = Self::describe(self.new, &field.ty);
            self.push(Raw {
                kind: ChangeKind::PropertyAdded,
                summary: format!("`{}.{}` added ({presence}, {ty})", db.spec_name, field.wire),
                old_pointer: None,
                new_pointer: Some(field.origin.clone()),
                rust_items: vec![item.clone()],
                scope: Scope::Pair(index, field_mask(field)),
                rule: Rule::Values { effect, code: None, note: None },
                bumps: Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                bump_reason: format!("`{type_item}` gains field `{}` (struct literals and exhaustive patterns break)", field.name),
            });
        }
        self.compare_additional(index, da, db, sa, sb);
        self.compare_flattened(index, da, db, sa, sb);
        let site = self.pair_site(index, &da.origin, &db.origin, format!("`{}`", db.spec_name), type_item, Dirs::BOTH);
        self.constraints(&sa.constraints, &sb.constraints, &site);
    }

    /// The unions of a composed object (its flattened fields), paired by field name.
    fn compare_flattened(&mut self, index: usize, da: &TypeDef, db: &TypeDef, sa: &StructDef, sb: &StructDef) {
        let type_item = self.type_item(db);
        for old in &sa.flattened {
            let item = format!("{type_item}::{}", old.name);
            let what = format!("`{}` ({})", db.spec_name, old.name);
            match sb.flattened.iter().find(|new| new.name == old.name) {
                Some(new) => {
                    let site = self.pair_site(index, &old.origin, &new.origin, what, item, Dirs::BOTH);
                    self.compare_ref(&old.ty, &new.ty, &site);
                }
                None => self.push(Raw {
                    kind: ChangeKind::TypeChanged,
                    summary: format!("{what}: the union part is gone"),
                    old_pointer: Some(old.origin.clone()),
                    new_pointer: Some(db.origin.clone()),
                    rust_items: vec![item.clone()],
                    scope: Scope::Pair(index, Dirs::BOTH),
                    rule: Rule::Values { effect: Effect::Changed, code: Some(format!("`{item}` is removed")), note: None },
                    bumps: Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                    bump_reason: format!("`{item}` is removed"),
                }),
            }
        }
        for new in sb.flattened.iter().filter(|new| !sa.flattened.iter().any(|old| old.name == new.name)) {
            let item = format!("{type_item}::{}", new.name);
            self.push(Raw {
                kind: ChangeKind::TypeChanged,
                summary: format!("`{}` ({}): a union part is added", db.spec_name, new.name),
                old_pointer: Some(da.origin.clone()),
                new_pointer: Some(new.origin.clone()),
                rust_items: vec![item.clone()],
                scope: Scope::Pair(index, Dirs::BOTH),
                rule: Rule::Values { effect: Effect::Changed, code: Some(format!("`{item}` is added")), note: None },
                bumps: Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                bump_reason: format!("`{type_item}` gains field `{}` (struct literals and exhaustive patterns break)", new.name),
            });
        }
    }

    fn compare_field(&mut self, index: usize, db: &TypeDef, old: &Field, new: &Field) {
        let item = format!("{}::{}::{}", self.names.types, db.name, new.name);
        let what = format!("`{}.{}`", db.spec_name, new.wire);
        let mask = field_mask(old).union(field_mask(new));
        let site = self.pair_site(index, &old.origin, &new.origin, what.clone(), item.clone(), mask);
        let (p_old, p_new) = (presence(old), presence(new));
        let code = (p_old != p_new).then(|| format!("`{item}` changes from {} to {}", presence_text(p_old), presence_text(p_new)));
        let retype = Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() };
        let retype_reason = format!("`{item}` changes from {} to {}", presence_text(p_old), presence_text(p_new));
        // What the spec requires, whichever way (a required `readOnly` field is an `Option`
        // in Rust, and still required in responses).
        let (old_required, new_required) = (old.required || old.required_one_way, new.required || new.required_one_way);
        if old_required != new_required {
            let (kind, effect, text) = if new_required {
                (ChangeKind::PropertyBecameRequired, Effect::Tightened, "is now required")
            } else {
                (ChangeKind::PropertyBecameOptional, Effect::Loosened, "is no longer required")
            };
            let (bumps, reason) =
                if code.is_some() { (retype, retype_reason.clone()) } else { (Bumps { validation: Level::Minor, ..Bumps::default() }, format!("validation of {what}")) };
            let raw = self.values_raw(&site, kind, format!("{what} {text}"), effect, code.clone(), (bumps, reason));
            self.push(raw);
        }
        if old.nullable != new.nullable {
            let (effect, text) = if new.nullable { (Effect::Loosened, "is now nullable") } else { (Effect::Tightened, "is no longer nullable") };
            let (bumps, reason) =
                if code.is_some() { (retype, retype_reason.clone()) } else { (Bumps { validation: Level::Minor, ..Bumps::default() }, format!("validation of {what}")) };
            let raw = self.values_raw(&site, ChangeKind::NullableChanged, format!("{what} {text}"), effect, code.clone(), (bumps, reason));
            self.push(raw);
        }
        if old.read_only != new.read_only || old.write_only != new.write_only {
            // A required field that becomes (or stops being) readOnly or writeOnly changes
            // between `T` and `Option<T>`.
            let (access_bumps, access_reason) = if code.is_some() && old_required == new_required && old.nullable == new.nullable {
                (retype, retype_reason.clone())
            } else {
                (Bumps { types: Level::Patch, validation: Level::Minor, ..Bumps::default() }, format!("validation of {what} by direction; its rustdoc"))
            };
            let flags = |f: &Field| match (f.read_only, f.write_only) {
                (true, true) => "readOnly and writeOnly",
                (true, false) => "readOnly",
                (false, true) => "writeOnly",
                (false, false) => "neither readOnly nor writeOnly",
            };
            self.push(Raw {
                kind: ChangeKind::AccessChanged,
                summary: format!("{what}: {} → {}", flags(old), flags(new)),
                old_pointer: Some(old.origin.clone()),
                new_pointer: Some(new.origin.clone()),
                rust_items: vec![item.clone()],
                scope: Scope::Pair(index, Dirs::BOTH),
                rule: Rule::Access { read_only: (old.read_only, new.read_only), write_only: (old.write_only, new.write_only) },
                bumps: access_bumps,
                bump_reason: access_reason,
            });
        }
        if old.default != new.default {
            let show = |v: &Option<Value>| v.as_ref().map(|v| format!("`{v}`")).unwrap_or_else(|| "none".to_string());
            self.push(Raw {
                kind: ChangeKind::DefaultChanged,
                summary: format!("default of {what}: {} → {}", show(&old.default), show(&new.default)),
                old_pointer: Some(old.origin.clone()),
                new_pointer: Some(new.origin.clone()),
                rust_items: vec![item.clone()],
                scope: Scope::Pair(index, mask),
                rule: Rule::Default { server_code: None },
                bumps: Bumps { types: Level::Minor, ..Bumps::default() },
                bump_reason: format!("the `_or_default()` accessor of {what} returns the new default"),
            });
        }
        if old.doc != new.doc || old.deprecated != new.deprecated {
            self.docs.types.push(format!("{}.{}", db.name, new.name));
        }
        self.constraints(&old.constraints, &new.constraints, &site);
        self.compare_ref(&old.ty, &new.ty, &site);
    }

    fn compare_additional(&mut self, index: usize, da: &TypeDef, db: &TypeDef, sa: &StructDef, sb: &StructDef) {
        let type_item = self.type_item(db);
        let what = format!("`{}`", db.spec_name);
        let old_pointer = format!("{}/additionalProperties", da.origin);
        let new_pointer = format!("{}/additionalProperties", db.origin);
        let map_field = format!("{type_item}::additional_properties");
        let describe = |a: &Additional, api: &Api| match a {
            Additional::Ignored => "other properties allowed, not kept".to_string(),
            Additional::Denied => "no other properties".to_string(),
            Additional::Map(ty) => format!("other properties kept ({})", Self::describe(api, ty)),
        };
        let (effect, code, bumps, reason) = match (&sa.additional, &sb.additional) {
            (Additional::Ignored, Additional::Ignored) | (Additional::Denied, Additional::Denied) => return,
            (Additional::Map(a), Additional::Map(b)) => {
                let mut site = self.pair_site(index, &old_pointer, &new_pointer, format!("{what}{{}}"), map_field, Dirs::BOTH);
                site.nested = true;
                self.compare_ref(a, b, &site);
                return;
            }
            (Additional::Ignored, Additional::Denied) => (
                Effect::Tightened,
                None,
                Bumps { types: Level::Minor, validation: Level::Minor, ..Bumps::default() },
                format!("`{type_item}` refuses unknown fields when deserializing"),
            ),
            (Additional::Denied, Additional::Ignored) => (
                Effect::Loosened,
                None,
                Bumps { types: Level::Minor, validation: Level::Minor, ..Bumps::default() },
                format!("`{type_item}` accepts unknown fields when deserializing"),
            ),
            (old, Additional::Map(ty)) => (
                match (old, ty) {
                    (Additional::Denied, _) => Effect::Loosened,
                    (_, TypeRef::Any) => Effect::None,
                    _ => Effect::Tightened,
                },
                None,
                Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                format!("`{type_item}` gains field `additional_properties`"),
            ),
            (Additional::Map(ty), new) => (
                match (new, ty) {
                    (Additional::Denied, _) => Effect::Tightened,
                    (_, TypeRef::Any) => Effect::None,
                    _ => Effect::Loosened,
                },
                Some(format!("`{map_field}` is removed")),
                Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                format!("`{map_field}` is removed"),
            ),
        };
        self.push(Raw {
            kind: ChangeKind::AdditionalPropertiesChanged,
            summary: format!("{what}: {} → {}", describe(&sa.additional, self.old), describe(&sb.additional, self.new)),
            old_pointer: Some(old_pointer),
            new_pointer: Some(new_pointer),
            rust_items: vec![type_item],
            scope: Scope::Pair(index, Dirs::BOTH),
            rule: Rule::Values { effect, code, note: None },
            bumps,
            bump_reason: reason,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn compare_enum<T: PartialEq>(
        &mut self,
        index: usize,
        da: &TypeDef,
        db: &TypeDef,
        old: &[EnumVariant<T>],
        new: &[EnumVariant<T>],
        show: impl Fn(&T) -> String,
    ) {
        let old_item = self.type_item(da);
        let new_item = self.type_item(db);
        for (i, variant) in old.iter().enumerate() {
            if new.iter().any(|v| v.wire == variant.wire) {
                continue;
            }
            let item = format!("{old_item}::{}", variant.name);
            self.push(Raw {
                kind: ChangeKind::EnumValueRemoved,
                summary: format!("`{}` value {} removed", da.spec_name, show(&variant.wire)),
                old_pointer: Some(format!("{}/enum/{i}", da.origin)),
                new_pointer: Some(format!("{}/enum", db.origin)),
                rust_items: vec![item.clone()],
                scope: Scope::Pair(index, Dirs::BOTH),
                rule: Rule::Values { effect: Effect::Tightened, code: Some(format!("`{item}` is removed")), note: None },
                bumps: Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                bump_reason: format!("`{item}` is removed"),
            });
        }
        for (i, variant) in new.iter().enumerate() {
            if old.iter().any(|v| v.wire == variant.wire) {
                continue;
            }
            let item = format!("{new_item}::{}", variant.name);
            self.push(Raw {
                kind: ChangeKind::EnumValueAdded,
                summary: format!("`{}` value {} added", db.spec_name, show(&variant.wire)),
                old_pointer: Some(format!("{}/enum", da.origin)),
                new_pointer: Some(format!("{}/enum/{i}", db.origin)),
                rust_items: vec![item],
                scope: Scope::Pair(index, Dirs::BOTH),
                rule: Rule::Values {
                    effect: Effect::Loosened,
                    code: None,
                    note: Some("generated enums are exhaustive: old code fails to decode the new value and its matches miss it"),
                },
                bumps: Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                bump_reason: format!("`{new_item}` gains variant `{}` (exhaustive matches break)", variant.name),
            });
        }
    }

    fn compare_union(&mut self, index: usize, da: &TypeDef, db: &TypeDef, a: &UnionDef, b: &UnionDef) {
        let old_item = self.type_item(da);
        let new_item = self.type_item(db);
        let what = format!("`{}`", db.spec_name);
        if a.discriminator != b.discriminator {
            let show = |d: &Option<String>| d.as_ref().map(|d| format!("`{d}`")).unwrap_or_else(|| "none".to_string());
            self.push(Raw {
                kind: ChangeKind::TypeChanged,
                summary: format!("discriminator of {what}: {} → {}", show(&a.discriminator), show(&b.discriminator)),
                old_pointer: Some(da.origin.clone()),
                new_pointer: Some(db.origin.clone()),
                rust_items: vec![new_item.clone()],
                scope: Scope::Pair(index, Dirs::BOTH),
                rule: Rule::Values { effect: Effect::Changed, code: None, note: None },
                bumps: Bumps { types: Level::Minor, validation: Level::Minor, ..Bumps::default() },
                bump_reason: format!("`{new_item}` is decoded by another discriminator"),
            });
        }
        if a.exclusive != b.exclusive {
            let (kind, effect, text) = if b.exclusive {
                (ChangeKind::ConstraintTightened, Effect::Tightened, "anyOf → oneOf")
            } else {
                (ChangeKind::ConstraintLoosened, Effect::Loosened, "oneOf → anyOf")
            };
            self.push(Raw {
                kind,
                summary: format!("{what}: {text}"),
                old_pointer: Some(da.origin.clone()),
                new_pointer: Some(db.origin.clone()),
                rust_items: vec![new_item.clone()],
                scope: Scope::Pair(index, Dirs::BOTH),
                rule: Rule::Values { effect, code: None, note: None },
                bumps: Bumps { validation: Level::Minor, ..Bumps::default() },
                bump_reason: format!("validation of {what} ({text})"),
            });
        }
        let mut taken = vec![false; b.variants.len()];
        for variant in &a.variants {
            let found = b
                .variants
                .iter()
                .enumerate()
                .position(|(i, w)| !taken[i] && w.name == variant.name)
                .or_else(|| b.variants.iter().enumerate().position(|(i, w)| !taken[i] && self.same_type(&variant.ty, &w.ty)));
            match found.and_then(|i| b.variants.get(i).map(|w| (i, w))) {
                Some((i, other)) => {
                    taken[i] = true;
                    let item = format!("{new_item}::{}", other.name);
                    let site = self.pair_site(index, &da.origin, &db.origin, format!("{what} variant `{}`", other.name), item, Dirs::BOTH);
                    self.compare_ref(&variant.ty, &other.ty, &site);
                }
                None => {
                    let item = format!("{old_item}::{}", variant.name);
                    self.push(Raw {
                        kind: ChangeKind::UnionVariantRemoved,
                        summary: format!("{what}: variant `{}` ({}) removed", variant.name, Self::describe(self.old, &variant.ty)),
                        old_pointer: Some(da.origin.clone()),
                        new_pointer: Some(db.origin.clone()),
                        rust_items: vec![item.clone()],
                        scope: Scope::Pair(index, Dirs::BOTH),
                        rule: Rule::Values { effect: Effect::Tightened, code: Some(format!("`{item}` is removed")), note: None },
                        bumps: Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                        bump_reason: format!("`{item}` is removed"),
                    });
                }
            }
        }
        for (i, variant) in b.variants.iter().enumerate() {
            if taken[i] {
                continue;
            }
            let item = format!("{new_item}::{}", variant.name);
            self.push(Raw {
                kind: ChangeKind::UnionVariantAdded,
                summary: format!("{what}: variant `{}` ({}) added", variant.name, Self::describe(self.new, &variant.ty)),
                old_pointer: Some(da.origin.clone()),
                new_pointer: Some(db.origin.clone()),
                rust_items: vec![item],
                scope: Scope::Pair(index, Dirs::BOTH),
                rule: Rule::Values {
                    effect: Effect::Loosened,
                    code: None,
                    note: Some("generated enums are exhaustive: old code fails to decode the new variant and its matches miss it"),
                },
                bumps: Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                bump_reason: format!("`{new_item}` gains variant `{}` (exhaustive matches break)", variant.name),
            });
        }
    }
}
