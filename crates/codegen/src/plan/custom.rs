//! What the settings change about the generated types: extra derives and attributes, schemas
//! replaced by existing Rust types, and the server's defaults.
//!
//! Derives: a derive asked for a type is applied to every generated type that type holds (a
//! derived `Hash` needs `Hash` on every field). The standard derives whose fields' support is
//! known (`Eq`, `Hash`, `PartialOrd`, `Ord`, `Copy`, `Default`) are checked: `f64` has no `Eq`,
//! `Hash` or `Ord`, maps have no `Hash` or order, JSON values no order, enums and unions no
//! `Default`. A derive in `types.derives` (all types) is left out of the types that cannot take
//! it, with a warning at each type; one in `[types.schemas.NAME]` that cannot be derived is an
//! error at the setting. Other derives (`schemars::JsonSchema`) are applied as asked; a replaced
//! type must implement what the types holding it derive.

use crate::error::Diagnostic;
use crate::ir::{Additional, Api, Builtin, TypeId, TypeKind, TypeRef};
use crate::settings::{parse_attributes, parse_derive, parse_type_path, Located, Options};
use proc_macro2::TokenStream;
use quote::ToTokens;

/// What the settings add to one generated type, as Rust token text (parsed and checked; the
/// plan is shared between threads, which token streams cannot be).
#[derive(Debug, Clone, Default)]
pub struct TypeCustom {
    /// Derives after the generated ones (paths, in settings order).
    pub derives: Vec<String>,
    /// Outer attributes after the generated ones.
    pub attributes: Vec<String>,
    /// The existing type that takes the schema's place (a path).
    pub replacement: Option<String>,
}

impl TypeCustom {
    /// The derives as tokens.
    pub fn derive_tokens(&self) -> Vec<TokenStream> {
        self.derives.iter().map(|text| tokens(text)).collect()
    }

    /// The attributes as tokens.
    pub fn attribute_tokens(&self) -> Vec<TokenStream> {
        self.attributes.iter().map(|text| tokens(text)).collect()
    }

    /// The replacement as tokens.
    pub fn replacement_tokens(&self) -> Option<TokenStream> {
        self.replacement.as_deref().map(tokens)
    }
}

/// Token text back to tokens (it came from tokens, so it lexes).
fn tokens(text: &str) -> TokenStream {
    text.parse().unwrap_or_default()
}

/// The server's defaults from the settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerDefaults {
    /// `Config::default().body_limit` in bytes (`None`: 1 MiB).
    pub body_limit: Option<u64>,
    /// `Config::default().binary_body_limit` in bytes (`None`: 64 MiB).
    pub binary_body_limit: Option<u64>,
    /// `Config::default().request_timeout` in milliseconds (`None`: no timeout, no field).
    pub request_timeout_ms: Option<u64>,
    /// Trait methods answer 501 Not Implemented unless implemented.
    pub default_501: bool,
    /// Response enums have an `Undocumented` variant: any response, as built.
    pub undocumented_responses: bool,
    /// Query parameters every handler accepts and ignores.
    pub ignored_query_parameters: Vec<String>,
}

/// The derives whose support by each field type is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Copy,
    Default,
}

const KNOWN: [Known; 6] = [Known::Eq, Known::Hash, Known::PartialOrd, Known::Ord, Known::Copy, Known::Default];

impl Known {
    fn of(name: &str) -> Option<Known> {
        Some(match name {
            "Eq" => Known::Eq,
            "Hash" => Known::Hash,
            "PartialOrd" => Known::PartialOrd,
            "Ord" => Known::Ord,
            "Copy" => Known::Copy,
            "Default" => Known::Default,
            _ => return None,
        })
    }

    fn index(self) -> usize {
        self as usize
    }

    /// What the derive needs besides itself (`Ord` needs `PartialOrd` and `Eq`).
    fn implies(self) -> &'static [&'static str] {
        match self {
            Known::Ord => &["PartialOrd", "Eq"],
            _ => &[],
        }
    }
}

/// The derives every generated type already has (`Serialize` and `Deserialize` are derived or
/// implemented by hand, so a second one would conflict).
const ALWAYS: &[&str] = &["Debug", "Clone", "PartialEq", "Serialize", "Deserialize"];

/// The last segment of a derive path: what it derives.
fn derive_name(path: &syn::Path) -> String {
    path.segments.last().map(|segment| segment.ident.to_string()).unwrap_or_default()
}

/// Finds a type by component schema name, else by Rust name.
pub fn find_type(api: &Api, name: &str) -> Option<TypeId> {
    let components = api.checks.len().min(api.types.len());
    api.types[..components]
        .iter()
        .position(|def| def.spec_name == name)
        .or_else(|| api.types.iter().position(|def| def.name == name))
        .map(TypeId)
}

/// The customization of every type (indexed like `api.types`), with warnings; or the settings
/// errors.
pub fn customize(api: &Api, options: &Options) -> Result<(Vec<TypeCustom>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut errors = options.check();
    let mut warnings = Vec::new();
    let mut custom = vec![TypeCustom::default(); api.types.len()];
    let unknown = |name: &Located<String>, key: &str| {
        options.error(name.at, key, format!("the spec has no component schema (and no generated type) named `{}`", name.value))
    };
    for replacement in &options.replacements {
        let Some(id) = find_type(api, &replacement.schema.value) else {
            errors.push(unknown(&replacement.schema, "types.replace"));
            continue;
        };
        if let Ok(path) = parse_type_path(&replacement.path.value) {
            custom[id.0].replacement = Some(path.to_token_stream().to_string());
        }
    }
    let replaced: Vec<bool> = custom.iter().map(|c| c.replacement.is_some()).collect();
    let support = Support::compute(api, &replaced);
    // Derives: (type, path, where asked) in settings order, then spread to what each type holds.
    let mut asked: Vec<Vec<syn::Path>> = vec![Vec::new(); api.types.len()];
    let add = |asked: &mut Vec<Vec<syn::Path>>, id: TypeId, path: &syn::Path| {
        for held in holds(api, id, &replaced) {
            let list = &mut asked[held.0];
            if !list.iter().any(|p| p.to_token_stream().to_string() == path.to_token_stream().to_string()) {
                list.push(path.clone());
            }
        }
    };
    for derive in &options.derives {
        let Ok(path) = parse_derive(&derive.value) else { continue };
        for path in with_implied(&path) {
            let known = Known::of(&derive_name(&path));
            for (index, def) in api.types.iter().enumerate() {
                if replaced[index] || matches!(def.kind, TypeKind::Alias(..)) {
                    continue;
                }
                match known {
                    Some(known) if !support.can(known, TypeId(index)) => {
                        // One warning per derive and kind of reason keeps them groupable.
                        warnings.push(Diagnostic::unsupported(
                            &def.origin,
                            format!(
                                "derive `{}` (settings `types.derives`) left out: {}",
                                derive_name(&path),
                                support.why(api, known, TypeId(index), &replaced)
                            ),
                        ));
                    }
                    _ => add(&mut asked, TypeId(index), &path),
                }
            }
        }
    }
    for type_options in &options.type_options {
        let Some(id) = find_type(api, &type_options.schema.value) else {
            errors.push(unknown(&type_options.schema, "types.schemas"));
            continue;
        };
        let def = api.ty(id);
        if replaced[id.0] {
            errors.push(options.error(
                type_options.schema.at,
                "types.schemas",
                format!("`{}` is replaced (`types.replace`): derives and attributes belong on the replacement", type_options.schema.value),
            ));
            continue;
        }
        if let TypeKind::Alias(..) = def.kind {
            errors.push(options.error(
                type_options.schema.at,
                "types.schemas",
                format!("`{}` is generated as a type alias (`type {} = ...`), which takes no derives or attributes: set them on the type it names", type_options.schema.value, def.name),
            ));
            continue;
        }
        for derive in &type_options.derives {
            let Ok(path) = parse_derive(&derive.value) else { continue };
            for path in with_implied(&path) {
                if let Some(known) = Known::of(&derive_name(&path)) {
                    if !support.can(known, id) {
                        errors.push(options.error(
                            derive.at,
                            "types.schemas.derives",
                            format!("`{}` cannot be derived for `{}`: {}", derive_name(&path), def.name, support.why(api, known, id, &replaced)),
                        ));
                        continue;
                    }
                }
                add(&mut asked, id, &path);
            }
        }
        for attribute in &type_options.attributes {
            if let Ok(attributes) = parse_attributes(&attribute.value) {
                custom[id.0].attributes.extend(attributes.iter().map(|a| a.to_token_stream().to_string()));
            }
        }
    }
    let global_attributes: Vec<String> = options
        .attributes
        .iter()
        .filter_map(|attribute| parse_attributes(&attribute.value).ok())
        .flatten()
        .map(|attribute| attribute.to_token_stream().to_string())
        .collect();
    for (index, def) in api.types.iter().enumerate() {
        if replaced[index] || matches!(def.kind, TypeKind::Alias(..)) {
            continue;
        }
        let base = base_derives(api, TypeId(index));
        let derives = asked[index].iter().filter(|path| {
            let name = derive_name(path);
            !ALWAYS.contains(&name.as_str()) && !base.contains(&name.as_str())
        });
        custom[index].derives = derives.map(|path| path.to_token_stream().to_string()).collect();
        let own = std::mem::take(&mut custom[index].attributes);
        custom[index].attributes = global_attributes.iter().cloned().chain(own).collect();
    }
    if errors.is_empty() {
        Ok((custom, warnings))
    } else {
        Err(errors)
    }
}

/// A derive with the ones it needs (`Ord` with `PartialOrd` and `Eq`), the needed ones first.
fn with_implied(path: &syn::Path) -> Vec<syn::Path> {
    let mut out: Vec<syn::Path> = Known::of(&derive_name(path))
        .map(Known::implies)
        .unwrap_or_default()
        .iter()
        .filter_map(|name| syn::parse_str(name).ok())
        .collect();
    out.push(path.clone());
    out
}

/// The derives the types emitter writes for a type (beyond [`ALWAYS`]).
fn base_derives(api: &Api, id: TypeId) -> &'static [&'static str] {
    match &api.ty(id).kind {
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => &["Copy", "Eq", "Hash", "PartialOrd", "Ord"],
        TypeKind::Newtype(..) => &["Default"],
        TypeKind::Struct(strukt) if strukt.fields.iter().all(|f| !f.required || f.nullable) && strukt.flattened.is_empty() => {
            &["Default"]
        }
        _ => &[],
    }
}

/// `id` and every generated type it holds (through fields, variants, wrappers and aliases; not
/// into replaced types), each once, `id` first.
fn holds(api: &Api, id: TypeId, replaced: &[bool]) -> Vec<TypeId> {
    let mut out = vec![id];
    let mut next = 0;
    while let Some(&current) = out.get(next) {
        next += 1;
        let mut refs = Vec::new();
        each_named(api, current, &mut |ty| refs.push(ty));
        for found in refs {
            if !out.contains(&found) && !replaced[found.0] {
                out.push(found);
            }
        }
    }
    // Aliases take no derives, but were walked through.
    out.into_iter().filter(|held| *held == id || !matches!(api.ty(*held).kind, TypeKind::Alias(..))).collect()
}

/// Calls `f` with every named type a type's own definition mentions.
fn each_named(api: &Api, id: TypeId, f: &mut dyn FnMut(TypeId)) {
    fn walk(ty: &TypeRef, f: &mut dyn FnMut(TypeId)) {
        match ty {
            TypeRef::Named(id) => f(*id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => walk(inner, f),
            TypeRef::Builtin(_) | TypeRef::Any => {}
        }
    }
    match &api.ty(id).kind {
        TypeKind::Struct(strukt) => {
            for field in &strukt.fields {
                walk(&field.ty, f);
            }
            for part in &strukt.flattened {
                walk(&part.ty, f);
            }
            if let Additional::Map(value) = &strukt.additional {
                walk(value, f);
            }
        }
        TypeKind::Union(union) => {
            for variant in &union.variants {
                walk(&variant.ty, f);
            }
        }
        TypeKind::Newtype(ty, _) | TypeKind::Alias(ty, _) => walk(ty, f),
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
    }
}

/// Every type, each after the types it holds (depth first, in index order; within a cycle
/// the order is arbitrary but fixed).
fn held_first(holds: &[Vec<usize>]) -> Vec<usize> {
    let mut order = Vec::with_capacity(holds.len());
    let mut seen = vec![false; holds.len()];
    // (type, how many of its held types were visited), without recursion: chains of thousands.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..holds.len() {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        stack.push((root, 0));
        while let Some((index, next)) = stack.pop() {
            match holds[index].get(next) {
                Some(&held) => {
                    stack.push((index, next + 1));
                    if !seen[held] {
                        seen[held] = true;
                        stack.push((held, 0));
                    }
                }
                None => order.push(index),
            }
        }
    }
    order
}

/// Which known derives each type can take (the greatest fixpoint: a cycle of types that are
/// otherwise fine can take it).
struct Support {
    can: Vec<[bool; KNOWN.len()]>,
}

/// Which of a type's members a reason is about, spelled only when a reason is given.
enum What<'a> {
    Variant(&'a str),
    Field(&'a str),
    OtherProperties,
    Wrapped,
}

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            What::Variant(name) => write!(f, "its variant `{name}`"),
            What::Field(name) => write!(f, "its field `{name}`"),
            What::OtherProperties => f.write_str("its map of other properties"),
            What::Wrapped => f.write_str("the type it wraps"),
        }
    }
}

/// One thing a type holds, as the derive sees it.
enum Held<'a> {
    Ty(&'a TypeRef),
    /// `Option<T>`: `Default` whatever `T` is.
    Optional(&'a TypeRef),
    /// `Box<T>`: never `Copy`.
    Boxed(&'a TypeRef),
    /// `Option<Box<T>>`.
    OptionalBoxed(&'a TypeRef),
    /// `IndexMap<String, T>`.
    Map(&'a TypeRef),
}

impl Support {
    fn compute(api: &Api, replaced: &[bool]) -> Support {
        let count = api.types.len();
        let mut support = Support { can: vec![[true; KNOWN.len()]; count] };
        // A type's answers change only when those of a type it holds do: after the first look at
        // every type, only the holders of a type that lost a derive are looked at again (sweeping
        // every type until nothing changed took one sweep per link of a chain: minutes for a
        // chain of thousands of aliases).
        let mut holders: Vec<Vec<usize>> = vec![Vec::new(); count];
        let mut holds: Vec<Vec<usize>> = vec![Vec::new(); count];
        for index in (0..count).filter(|index| !replaced[*index]) {
            each_named(api, TypeId(index), &mut |held| {
                if let Some(list) = holders.get_mut(held.0) {
                    list.push(index);
                    holds[index].push(held.0);
                }
            });
        }
        // The first look goes held types first (a depth-first post-order), so that outside a
        // cycle every type is looked at once, with the final answers of what it holds: in spec
        // order a union of a thousand variants, each of which changes after it, was looked at
        // again for each (a thousand variants each time).
        let mut pending: Vec<usize> = held_first(&holds);
        pending.reverse();
        let mut queued = vec![true; count];
        while let Some(index) = pending.pop() {
            queued[index] = false;
            if replaced[index] {
                continue;
            }
            let mut changed = false;
            for known in KNOWN {
                if support.can[index][known.index()] && support.reason(api, known, TypeId(index), replaced).is_some() {
                    support.can[index][known.index()] = false;
                    changed = true;
                }
            }
            if changed {
                for &holder in &holders[index] {
                    if !queued[holder] {
                        queued[holder] = true;
                        pending.push(holder);
                    }
                }
            }
        }
        support
    }

    fn can(&self, known: Known, id: TypeId) -> bool {
        self.can.get(id.0).is_none_or(|can| can[known.index()])
    }

    /// Why the type cannot take the derive, for messages.
    fn why(&self, api: &Api, known: Known, id: TypeId, replaced: &[bool]) -> String {
        self.reason(api, known, id, replaced).unwrap_or_else(|| "a type it holds cannot".to_string())
    }

    /// Why the type cannot take the derive given what is known of the others, if it cannot.
    fn reason(&self, api: &Api, known: Known, id: TypeId, replaced: &[bool]) -> Option<String> {
        if replaced.get(id.0).copied().unwrap_or(false) {
            return None;
        }
        let def = api.ty(id);
        let mut held: Vec<(What<'_>, Held<'_>)> = Vec::new();
        match &def.kind {
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {
                return (known == Known::Default).then(|| "it is an enum, which has no default value".to_string());
            }
            TypeKind::Union(union) => {
                if known == Known::Default {
                    return Some("it is a `oneOf`/`anyOf` union, which has no default value".to_string());
                }
                for variant in &union.variants {
                    let what = What::Variant(&variant.name);
                    held.push((what, if variant.boxed { Held::Boxed(&variant.ty) } else { Held::Ty(&variant.ty) }));
                }
            }
            TypeKind::Struct(strukt) => {
                for field in &strukt.fields {
                    let optional = !field.required || field.nullable;
                    let what = What::Field(&field.name);
                    held.push((
                        what,
                        match (optional, field.boxed) {
                            (false, false) => Held::Ty(&field.ty),
                            (true, false) => Held::Optional(&field.ty),
                            (false, true) => Held::Boxed(&field.ty),
                            (true, true) => Held::OptionalBoxed(&field.ty),
                        },
                    ));
                }
                for part in &strukt.flattened {
                    let what = What::Field(&part.name);
                    held.push((what, if part.boxed { Held::Boxed(&part.ty) } else { Held::Ty(&part.ty) }));
                }
                if let Additional::Map(value) = &strukt.additional {
                    held.push((What::OtherProperties, Held::Map(value)));
                }
            }
            TypeKind::Newtype(ty, _) | TypeKind::Alias(ty, _) => held.push((What::Wrapped, Held::Ty(ty))),
        }
        for (what, item) in held {
            let (ty, optional, boxed, map) = match item {
                Held::Ty(ty) => (ty, false, false, false),
                Held::Optional(ty) => (ty, true, false, false),
                Held::Boxed(ty) => (ty, false, true, false),
                Held::OptionalBoxed(ty) => (ty, true, true, false),
                Held::Map(ty) => (ty, false, false, true),
            };
            if map {
                if let Some(reason) = self.map_reason(known) {
                    return Some(format!("{what} is a map, which {reason}"));
                }
            }
            if boxed && known == Known::Copy {
                return Some(format!("{what} is boxed (a recursive type), which is not `Copy`"));
            }
            if (optional || map) && known == Known::Default {
                continue;
            }
            if let Some(reason) = self.ty_reason(api, known, ty, replaced) {
                return Some(format!("{what} {reason}"));
            }
        }
        None
    }

    fn map_reason(&self, known: Known) -> Option<&'static str> {
        match known {
            Known::Hash => Some("has no `Hash`"),
            Known::PartialOrd | Known::Ord => Some("has no order"),
            Known::Copy => Some("is not `Copy`"),
            Known::Eq | Known::Default => None,
        }
    }

    /// Why a use-site type cannot take the derive, as the end of a sentence (`is a number (f64)`).
    fn ty_reason(&self, api: &Api, known: Known, ty: &TypeRef, replaced: &[bool]) -> Option<String> {
        match ty {
            TypeRef::Builtin(Builtin::F64) => {
                matches!(known, Known::Eq | Known::Hash | Known::Ord).then(|| "is a number (`f64`), which has no total equality or order".to_string())
            }
            TypeRef::Builtin(Builtin::String) => (known == Known::Copy).then(|| "is a `String`, which is not `Copy`".to_string()),
            TypeRef::Builtin(_) => None,
            TypeRef::Any => match known {
                Known::PartialOrd | Known::Ord => Some("is a JSON value, which has no order".to_string()),
                Known::Copy => Some("is a JSON value, which is not `Copy`".to_string()),
                _ => None,
            },
            TypeRef::Vec(inner) => match known {
                Known::Copy => Some("is a `Vec`, which is not `Copy`".to_string()),
                Known::Default => None,
                _ => self.ty_reason(api, known, inner, replaced).map(|r| format!("holds items that: {r}")),
            },
            TypeRef::Map(inner) => match self.map_reason(known) {
                Some(reason) => Some(format!("is a map, which {reason}")),
                None if known == Known::Default => None,
                None => self.ty_reason(api, known, inner, replaced).map(|r| format!("holds values that: {r}")),
            },
            TypeRef::Nullable(inner) => {
                if known == Known::Default {
                    None
                } else {
                    self.ty_reason(api, known, inner, replaced)
                }
            }
            TypeRef::Named(id) => {
                if replaced.get(id.0).copied().unwrap_or(false) || self.can(known, *id) {
                    None
                } else {
                    Some(format!("is `{}`, which cannot take it", api.ty(*id).name))
                }
            }
        }
    }
}
