//! Comparing types: both APIs walked at once through `TypeRef`/`TypeId`.
//!
//! A use site (a parameter, a body, a property, an array's items) compares its two `TypeRef`s
//! structurally; two named types at the same place become a *pair*, compared once however many
//! places reach it (so recursive schemas terminate). Each pair remembers what reached it, so the
//! directions and operations it is used in are known when the changes are judged.

mod kinds;
mod rules;

use rules::*;

use super::classify::{Dirs, Effect, Level, Raw, Rule, Scope};
use super::{Bumps, ChangeKind, CrateNames};
use crate::ir::{
    Api, Builtin, Constraints, SchemaCheck, TypeDef, TypeId, TypeKind, TypeRef,
};
use std::collections::{BTreeMap, BTreeSet};

/// What reached a pair.
#[derive(Debug, Clone)]
pub(crate) enum Parent {
    /// An operation's parameter, body or response: the direction and a label
    /// (`request: createConversation`).
    Root(Dirs, String),
    /// Another pair (a property, item or variant of it).
    Pair(usize),
    /// Matched as component schemas of the same name, not (yet) through an operation.
    Component,
}

/// Which generated crates a Rust type change at a site touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// An item of the types crate (a field, a variant, a newtype).
    Types,
    /// An operation's argument, parameter or response payload (client and server).
    Operation,
    /// A response header (server only: the client does not expose headers).
    Server,
}

/// One place where two types are compared.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub old_pointer: String,
    pub new_pointer: String,
    /// Human name of the place (`Conversation.subject`, `parameter page of listConversations`).
    pub what: String,
    pub rust_items: Vec<String>,
    /// `TypeChanged` or `ParameterTypeChanged`.
    pub type_kind: ChangeKind,
    pub scope: Scope,
    pub parent: Parent,
    pub owner: Owner,
    /// Array items and map values: their constraints live only in the validation view.
    pub nested: bool,
}

impl Site {
    fn child(&self, token: &str, what: &str) -> Site {
        Site {
            old_pointer: format!("{}/{token}", self.old_pointer),
            new_pointer: format!("{}/{token}", self.new_pointer),
            what: format!("{}{what}", self.what),
            nested: true,
            ..self.clone()
        }
    }
}

#[derive(Debug)]
struct Pair {
    old: TypeId,
    new: TypeId,
    parents: Vec<Parent>,
}

/// Documentation that changed, gathered into one change at the end.
#[derive(Debug, Default)]
pub(crate) struct Docs {
    pub types: Vec<String>,
    pub operations: Vec<String>,
    pub examples: Vec<String>,
    pub info: bool,
}

/// The state of one comparison.
pub(crate) struct Walker<'a> {
    pub old: &'a Api,
    pub new: &'a Api,
    pub names: &'a CrateNames,
    pairs: Vec<Pair>,
    pair_index: BTreeMap<(TypeId, TypeId), usize>,
    processed: usize,
    raws: Vec<Raw>,
    old_checks: BTreeMap<String, &'a SchemaCheck>,
    new_checks: BTreeMap<String, &'a SchemaCheck>,
    pub docs: Docs,
}

impl<'a> Walker<'a> {
    /// A walker over two APIs.
    pub fn new(old: &'a Api, new: &'a Api, names: &'a CrateNames) -> Self {
        Walker {
            old,
            new,
            names,
            pairs: Vec::new(),
            pair_index: BTreeMap::new(),
            processed: 0,
            raws: Vec::new(),
            old_checks: index_checks(old),
            new_checks: index_checks(new),
            docs: Docs::default(),
        }
    }

    /// Records a change.
    pub fn push(&mut self, raw: Raw) {
        self.raws.push(raw);
    }

    /// `desk_types::Name`.
    pub fn type_item(&self, def: &TypeDef) -> String {
        format!("{}::{}", self.names.types, def.name)
    }

    /// Describes a type for messages, in spec terms.
    pub fn describe(api: &Api, ty: &TypeRef) -> String {
        Self::describe_depth(api, ty, 0)
    }

    fn describe_depth(api: &Api, ty: &TypeRef, depth: usize) -> String {
        if depth > 16 {
            return "...".to_string();
        }
        match ty {
            TypeRef::Named(id) => match api.types.get(id.0) {
                Some(def) => format!("`{}`", def.spec_name),
                None => "?".to_string(),
            },
            TypeRef::Builtin(builtin) => builtin_spec(*builtin).to_string(),
            TypeRef::Vec(item) => format!("array of {}", Self::describe_depth(api, item, depth + 1)),
            TypeRef::Map(value) => format!("map of {}", Self::describe_depth(api, value, depth + 1)),
            TypeRef::Nullable(inner) => format!("{} or null", Self::describe_depth(api, inner, depth + 1)),
            TypeRef::Any => "any value".to_string(),
        }
    }

    /// Follows `Alias` definitions to what they stand for.
    fn deref<'t>(api: &'t Api, mut ty: &'t TypeRef) -> &'t TypeRef {
        for _ in 0..64 {
            match ty {
                TypeRef::Named(id) => match api.types.get(id.0).map(|d| &d.kind) {
                    Some(TypeKind::Alias(inner, _)) => ty = inner,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    fn is_alias(api: &Api, ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::Named(id) if matches!(api.types.get(id.0).map(|d| &d.kind), Some(TypeKind::Alias(..))))
    }

    /// Whether two types are the same shape (for spotting renamed properties).
    pub fn same_type(&self, old: &TypeRef, new: &TypeRef) -> bool {
        self.same_depth(old, new, 0)
    }

    fn same_depth(&self, old: &TypeRef, new: &TypeRef, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        match (Self::deref(self.old, old), Self::deref(self.new, new)) {
            (TypeRef::Builtin(a), TypeRef::Builtin(b)) => a == b,
            (TypeRef::Any, TypeRef::Any) => true,
            (TypeRef::Vec(a), TypeRef::Vec(b)) | (TypeRef::Map(a), TypeRef::Map(b)) | (TypeRef::Nullable(a), TypeRef::Nullable(b)) => {
                self.same_depth(a, b, depth + 1)
            }
            (TypeRef::Named(a), TypeRef::Named(b)) => match (self.old.types.get(a.0), self.new.types.get(b.0)) {
                (Some(a), Some(b)) => a.spec_name == b.spec_name || a.name == b.name,
                _ => false,
            },
            _ => false,
        }
    }

    fn values_raw(&self, site: &Site, kind: ChangeKind, summary: String, effect: Effect, code: Option<String>, bump: (Bumps, String)) -> Raw {
        let (bumps, reason) = bump;
        Raw {
            kind,
            summary,
            old_pointer: Some(site.old_pointer.clone()),
            new_pointer: Some(site.new_pointer.clone()),
            rust_items: site.rust_items.clone(),
            scope: site.scope.clone(),
            rule: Rule::Values { effect, code, note: None },
            bumps,
            bump_reason: reason,
        }
    }

    /// The bumps of a Rust type change at a site.
    fn retype_bumps(&self, site: &Site) -> (Bumps, String) {
        let item = site.rust_items.first().cloned().unwrap_or_default();
        match site.owner {
            Owner::Types => (
                Bumps { types: Level::Major, validation: Level::Minor, ..Bumps::default() },
                format!("`{item}` changes type"),
            ),
            Owner::Operation => (
                Bumps { validation: Level::Minor, server: Level::Major, client: Level::Major, ..Bumps::default() },
                format!("`{item}` changes type"),
            ),
            Owner::Server => (Bumps { server: Level::Major, ..Bumps::default() }, format!("`{item}` changes type")),
        }
    }

    /// A type change at a site (the Rust type changes with it).
    fn type_change(&mut self, site: &Site, kind: ChangeKind, effect: Effect, old_text: String, new_text: String) {
        let kind = if site.type_kind == ChangeKind::ParameterTypeChanged { site.type_kind } else { kind };
        let (bumps, reason) = self.retype_bumps(site);
        let item = site.rust_items.first().cloned().unwrap_or_default();
        let what = if kind == ChangeKind::FormatChanged { "format" } else { "type" };
        let raw = self.values_raw(
            site,
            kind,
            format!("{what} of {}: {old_text} → {new_text}", site.what),
            effect,
            Some(format!("`{item}` changes type")),
            (bumps, reason),
        );
        self.push(raw);
    }

    /// Compares the types at one site.
    pub fn compare_ref(&mut self, old: &TypeRef, new: &TypeRef, site: &Site) {
        self.compare_ref_depth(old, new, site, 0);
    }

    fn compare_ref_depth(&mut self, old: &TypeRef, new: &TypeRef, site: &Site, depth: usize) {
        if depth > 64 {
            return;
        }
        let (old_api, new_api) = (self.old, self.new);
        // An alias on one side only: compare what it stands for (the Rust type is the same).
        if Self::is_alias(old_api, old) != Self::is_alias(new_api, new) {
            let (o, n) = (Self::deref(old_api, old), Self::deref(new_api, new));
            if !(std::ptr::eq(o, old) && std::ptr::eq(n, new)) {
                return self.compare_ref_depth(o, n, site, depth + 1);
            }
        }
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => self.named(*a, *b, site, depth),
            (TypeRef::Builtin(a), TypeRef::Builtin(b)) => {
                if a != b {
                    let (kind, effect) = builtin_change(*a, *b);
                    self.type_change(
                        site,
                        kind,
                        effect,
                        format!("{} (`{}`)", builtin_spec(*a), builtin_rust(*a)),
                        format!("{} (`{}`)", builtin_spec(*b), builtin_rust(*b)),
                    );
                }
                self.check_keywords(site);
            }
            (TypeRef::Vec(a), TypeRef::Vec(b)) => self.compare_ref_depth(a, b, &site.child("items", "[]"), depth + 1),
            (TypeRef::Map(a), TypeRef::Map(b)) => self.compare_ref_depth(a, b, &site.child("additionalProperties", "{}"), depth + 1),
            (TypeRef::Nullable(a), TypeRef::Nullable(b)) => self.compare_ref_depth(a, b, site, depth + 1),
            (TypeRef::Nullable(a), b) => {
                self.nullable_item(site, false);
                self.compare_ref_depth(a, b, site, depth + 1);
            }
            (a, TypeRef::Nullable(b)) => {
                self.nullable_item(site, true);
                self.compare_ref_depth(a, b, site, depth + 1);
            }
            (TypeRef::Any, TypeRef::Any) => {}
            (a, b) => {
                let effect = match (a, b) {
                    (TypeRef::Any, _) => Effect::Tightened,
                    (_, TypeRef::Any) => Effect::Loosened,
                    (TypeRef::Builtin(Builtin::String), TypeRef::Named(id)) if matches!(self.kind_of(false, *id), Some(TypeKind::StringEnum(_))) => {
                        Effect::Tightened
                    }
                    (TypeRef::Named(id), TypeRef::Builtin(Builtin::String)) if matches!(self.kind_of(true, *id), Some(TypeKind::StringEnum(_))) => {
                        Effect::Loosened
                    }
                    (TypeRef::Builtin(builtin), TypeRef::Named(id))
                        if int_range(*builtin).is_some() && matches!(self.kind_of(false, *id), Some(TypeKind::IntegerEnum(_))) =>
                    {
                        Effect::Tightened
                    }
                    (TypeRef::Named(id), TypeRef::Builtin(builtin))
                        if int_range(*builtin).is_some() && matches!(self.kind_of(true, *id), Some(TypeKind::IntegerEnum(_))) =>
                    {
                        Effect::Loosened
                    }
                    _ => Effect::Changed,
                };
                self.type_change(site, ChangeKind::TypeChanged, effect, Self::describe(old_api, a), Self::describe(new_api, b));
            }
        }
    }

    /// The kind of a type: `old` side when `in_old`.
    fn kind_of(&self, in_old: bool, id: TypeId) -> Option<&'a TypeKind> {
        let api = if in_old { self.old } else { self.new };
        api.types.get(id.0).map(|d| &d.kind)
    }

    fn nullable_item(&mut self, site: &Site, now_nullable: bool) {
        let (bumps, reason) = self.retype_bumps(site);
        let item = site.rust_items.first().cloned().unwrap_or_default();
        let (effect, text) = if now_nullable { (Effect::Loosened, "may now be null") } else { (Effect::Tightened, "may no longer be null") };
        let raw = self.values_raw(
            site,
            ChangeKind::NullableChanged,
            format!("{} {text}", site.what),
            effect,
            Some(format!("`{item}` changes type (`Option` wrapping)")),
            (bumps, reason),
        );
        self.push(raw);
    }

    /// Keywords only the validation view keeps: enums of non-string/integer values at any site,
    /// and the constraints of array items and map values.
    fn check_keywords(&mut self, site: &Site) {
        let (Some(old), Some(new)) = (self.old_checks.get(&site.old_pointer).copied(), self.new_checks.get(&site.new_pointer).copied()) else {
            return;
        };
        if site.nested {
            self.constraints(&old.constraints, &new.constraints, site);
        }
        let old_values: Vec<String> = old.enumeration.iter().map(value_text).collect();
        let new_values: Vec<String> = new.enumeration.iter().map(value_text).collect();
        if old_values.is_empty() && new_values.is_empty() {
            return;
        }
        let bumps = Bumps { validation: Level::Minor, ..Bumps::default() };
        let reason = "validation follows the new enum".to_string();
        if old_values.is_empty() || new_values.is_empty() {
            let effect = if old_values.is_empty() { Effect::Tightened } else { Effect::Loosened };
            let kind = if old_values.is_empty() { ChangeKind::ConstraintTightened } else { ChangeKind::ConstraintLoosened };
            let text = if old_values.is_empty() { "now limited to an enum" } else { "no longer limited to an enum" };
            let raw = self.values_raw(site, kind, format!("{} {text}", site.what), effect, None, (bumps, reason));
            self.push(raw);
            return;
        }
        for value in old_values.iter().filter(|v| !new_values.contains(v)) {
            let raw = self.values_raw(
                site,
                ChangeKind::EnumValueRemoved,
                format!("enum value {value} of {} removed", site.what),
                Effect::Tightened,
                None,
                (bumps, reason.clone()),
            );
            self.push(raw);
        }
        for value in new_values.iter().filter(|v| !old_values.contains(v)) {
            let raw = self.values_raw(
                site,
                ChangeKind::EnumValueAdded,
                format!("enum value {value} of {} added", site.what),
                Effect::Loosened,
                None,
                (bumps, reason.clone()),
            );
            self.push(raw);
        }
    }

    /// Validation keyword changes at a site.
    pub fn constraints(&mut self, old: &Constraints, new: &Constraints, site: &Site) {
        for (keyword, old_value, new_value, effect) in constraint_changes(old, new) {
            let kind = match (keyword, effect) {
                ("format", _) => ChangeKind::FormatChanged,
                (_, Effect::Tightened) => ChangeKind::ConstraintTightened,
                (_, Effect::Loosened) => ChangeKind::ConstraintLoosened,
                _ => ChangeKind::ConstraintChanged,
            };
            let raw = self.values_raw(
                site,
                kind,
                format!("`{keyword}` of {}: {old_value} → {new_value}", site.what),
                effect,
                None,
                (Bumps { validation: Level::Minor, ..Bumps::default() }, format!("validation of {} follows `{keyword}`", site.what)),
            );
            self.push(raw);
        }
    }

    /// Two named types at one site: a pair to compare, unless they cannot be compared.
    fn named(&mut self, a: TypeId, b: TypeId, site: &Site, depth: usize) {
        let (old_api, new_api) = (self.old, self.new);
        let (Some(da), Some(db)) = (old_api.types.get(a.0), new_api.types.get(b.0)) else { return };
        if kind_tag(&da.kind) != kind_tag(&db.kind) {
            if matches!(da.kind, TypeKind::Alias(..)) || matches!(db.kind, TypeKind::Alias(..)) {
                let (o, n) = (Self::deref(old_api, &TypeRef::Named(a)).clone(), Self::deref(new_api, &TypeRef::Named(b)).clone());
                if o != TypeRef::Named(a) || n != TypeRef::Named(b) {
                    return self.compare_ref_depth(&o, &n, site, depth + 1);
                }
            }
            self.type_change(
                site,
                ChangeKind::TypeChanged,
                Effect::Changed,
                format!("`{}` ({})", da.spec_name, kind_tag(&da.kind)),
                format!("`{}` ({})", db.spec_name, kind_tag(&db.kind)),
            );
            return;
        }
        // Another component that exists on both sides: the reference switched, it is not a rename.
        let is_component_old = a.0 < old_api.checks.len();
        let is_component_new = b.0 < new_api.checks.len();
        if da.spec_name != db.spec_name && is_component_old && is_component_new {
            let old_has_new = old_api.checks.iter().any(|c| c.spec_name == db.spec_name);
            let new_has_old = new_api.checks.iter().any(|c| c.spec_name == da.spec_name);
            if old_has_new || new_has_old {
                self.type_change(site, ChangeKind::TypeChanged, Effect::Changed, format!("`{}`", da.spec_name), format!("`{}`", db.spec_name));
                return;
            }
        }
        let index = self.pair(a, b);
        if let Some(pair) = self.pairs.get_mut(index) {
            pair.parents.push(site.parent.clone());
        }
    }

    fn pair(&mut self, a: TypeId, b: TypeId) -> usize {
        if let Some(index) = self.pair_index.get(&(a, b)) {
            return *index;
        }
        let index = self.pairs.len();
        self.pairs.push(Pair { old: a, new: b, parents: Vec::new() });
        self.pair_index.insert((a, b), index);
        index
    }

    /// Compares every pair found so far, and the ones those find.
    fn process(&mut self) {
        while self.processed < self.pairs.len() {
            let index = self.processed;
            self.processed += 1;
            self.compare_pair(index);
        }
    }

    /// After the operations: the remaining component schemas by name, then added and removed ones.
    pub fn finish_schemas(&mut self) {
        self.process();
        let (old_api, new_api) = (self.old, self.new);
        for component in &old_api.checks {
            if let Some(other) = new_api.checks.iter().find(|c| c.spec_name == component.spec_name) {
                if !self.pair_index.contains_key(&(component.type_id, other.type_id)) {
                    let index = self.pair(component.type_id, other.type_id);
                    if let Some(pair) = self.pairs.get_mut(index) {
                        pair.parents.push(Parent::Component);
                    }
                }
            }
        }
        self.process();
        let paired_old: BTreeSet<TypeId> = self.pairs.iter().map(|p| p.old).collect();
        let paired_new: BTreeSet<TypeId> = self.pairs.iter().map(|p| p.new).collect();
        for component in &old_api.checks {
            let gone = !new_api.checks.iter().any(|c| c.spec_name == component.spec_name);
            if gone && !paired_old.contains(&component.type_id) {
                let Some(def) = old_api.types.get(component.type_id.0) else { continue };
                let item = self.type_item(def);
                let why = "No remaining operation used it; only code that names the type breaks (a major change of the types crate).";
                self.push(Raw {
                    kind: ChangeKind::SchemaRemoved,
                    summary: format!("schema `{}` removed", component.spec_name),
                    old_pointer: Some(def.origin.clone()),
                    new_pointer: None,
                    rust_items: vec![item.clone()],
                    scope: Scope::Nowhere,
                    rule: Rule::Fixed { client: super::Impact::ok(why), server: super::Impact::ok(why) },
                    bumps: Bumps { types: Level::Major, validation: Level::Major, ..Bumps::default() },
                    bump_reason: format!("`{item}` and its `validate_`/`parse_` functions are removed"),
                });
            }
        }
        for component in &new_api.checks {
            let fresh = !old_api.checks.iter().any(|c| c.spec_name == component.spec_name);
            if fresh && !paired_new.contains(&component.type_id) {
                let Some(def) = new_api.types.get(component.type_id.0) else { continue };
                let item = self.type_item(def);
                let why = "A new type; nothing existing changes.";
                self.push(Raw {
                    kind: ChangeKind::SchemaAdded,
                    summary: format!("schema `{}` added", component.spec_name),
                    old_pointer: None,
                    new_pointer: Some(def.origin.clone()),
                    rust_items: vec![item.clone()],
                    scope: Scope::Nowhere,
                    rule: Rule::Fixed { client: super::Impact::ok(why), server: super::Impact::ok(why) },
                    bumps: Bumps { types: Level::Minor, validation: Level::Minor, ..Bumps::default() },
                    bump_reason: format!("new type `{item}` with its `validate_`/`parse_` functions"),
                });
            }
        }
    }

    /// A site inside pair `index`.
    fn pair_site(&self, index: usize, old_pointer: &str, new_pointer: &str, what: String, item: String, mask: Dirs) -> Site {
        Site {
            old_pointer: old_pointer.to_string(),
            new_pointer: new_pointer.to_string(),
            what,
            rust_items: vec![item],
            type_kind: ChangeKind::TypeChanged,
            scope: Scope::Pair(index, mask),
            parent: Parent::Pair(index),
            owner: Owner::Types,
            nested: false,
        }
    }

    /// The directions and users of a pair: everything that reaches it, transitively.
    fn reach(&self, index: usize) -> (Dirs, Vec<String>) {
        let mut dirs = Dirs::NONE;
        let mut users: Vec<String> = Vec::new();
        let mut seen = BTreeSet::new();
        let mut stack = vec![index];
        // Depth-first over parents; labels come out in the order the walk first met them.
        let mut labels: Vec<(usize, String)> = Vec::new();
        while let Some(current) = stack.pop() {
            if !seen.insert(current) {
                continue;
            }
            let Some(pair) = self.pairs.get(current) else { continue };
            for parent in &pair.parents {
                match parent {
                    Parent::Root(d, label) => {
                        dirs = dirs.union(*d);
                        labels.push((self.root_order(label), label.clone()));
                    }
                    Parent::Pair(other) => stack.push(*other),
                    Parent::Component => {}
                }
            }
        }
        labels.sort();
        for (_, label) in labels {
            if !users.contains(&label) {
                users.push(label);
            }
        }
        (dirs, users)
    }

    /// Labels sort by operation order: request before response, then spec order.
    fn root_order(&self, label: &str) -> usize {
        let id = label.rsplit(' ').next().unwrap_or_default();
        let position = self.new.operations.iter().position(|o| o.id == id).unwrap_or(usize::MAX / 4);
        let response = usize::from(label.starts_with("response"));
        position * 2 + response
    }

    /// The changes with their directions and users.
    pub fn into_raws(mut self) -> Vec<(Raw, Dirs, Vec<String>)> {
        if let Some(raw) = self.docs_raw() {
            self.raws.push(raw);
        }
        // Only pairs with changes need their users (a large spec has many unchanged pairs).
        let mut reach: BTreeMap<usize, (Dirs, Vec<String>)> = BTreeMap::new();
        let raws = std::mem::take(&mut self.raws);
        raws.into_iter()
            .map(|raw| {
                let (dirs, used_in) = match &raw.scope {
                    Scope::Operation => (Dirs::NONE, Vec::new()),
                    Scope::Direct(dirs, used_in) => (*dirs, used_in.clone()),
                    Scope::Pair(index, mask) => {
                        let (dirs, users) = reach.entry(*index).or_insert_with(|| self.reach(*index)).clone();
                        let users = if users.is_empty() { vec!["none".to_string()] } else { users };
                        (dirs.intersect(*mask), users)
                    }
                    Scope::Nowhere => (Dirs::NONE, Vec::new()),
                };
                (raw, dirs, used_in)
            })
            .collect()
    }

    fn docs_raw(&self) -> Option<Raw> {
        let docs = &self.docs;
        if docs.types.is_empty() && docs.operations.is_empty() && docs.examples.is_empty() && !docs.info {
            return None;
        }
        let mut places: Vec<String> = Vec::new();
        if docs.info {
            places.push("info".to_string());
        }
        places.extend(docs.types.iter().map(|t| format!("`{t}`")));
        places.extend(docs.operations.iter().cloned());
        places.extend(docs.examples.iter().map(|t| format!("example of `{t}`")));
        let total = places.len();
        places.truncate(8);
        let more = if total > 8 { format!(" and {} more", total - 8) } else { String::new() };
        let types = if docs.types.is_empty() && docs.examples.is_empty() && !docs.info { Level::None } else { Level::Patch };
        let ops = if docs.operations.is_empty() && !docs.info { Level::None } else { Level::Patch };
        let why = "Documentation only.";
        Some(Raw {
            kind: ChangeKind::DocsChanged,
            summary: format!("documentation changed: {}{more}", places.join(", ")),
            old_pointer: None,
            new_pointer: None,
            rust_items: Vec::new(),
            scope: Scope::Nowhere,
            rule: Rule::Fixed { client: super::Impact::ok(why), server: super::Impact::ok(why) },
            bumps: Bumps {
                types,
                validation: if docs.info { Level::Patch } else { Level::None },
                server: ops,
                client: ops,
            },
            bump_reason: "rustdoc and examples only".to_string(),
        })
    }
}
