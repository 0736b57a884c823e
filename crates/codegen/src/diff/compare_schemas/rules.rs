//! What a change between two built-ins, two keyword values or two fields means for the values
//! a schema accepts, and how the report spells them.

use crate::diff::classify::{Dirs, Effect};
use crate::diff::ChangeKind;
use crate::ir::{AdditionalCheck, Api, Builtin, CheckNode, Constraints, Field, SchemaCheck, TypeKind};
use serde_json::Value;
use std::collections::BTreeMap;

/// The Rust spelling of a built-in, for messages (without its crate path).
pub(super) fn builtin_rust(builtin: Builtin) -> &'static str {
    let full = builtin.rust_name();
    match full.rfind("::") {
        Some(index) if !full.contains('<') => &full[index + 2..],
        _ if builtin == Builtin::DateTime => "DateTime<Utc>",
        _ => full,
    }
}

/// The spec spelling of a built-in.
pub(super) fn builtin_spec(builtin: Builtin) -> &'static str {
    match builtin {
        Builtin::String => "string",
        Builtin::DateTime => "string (date-time)",
        Builtin::Date => "string (date)",
        Builtin::Uuid => "string (uuid)",
        Builtin::Bool => "boolean",
        Builtin::I8 => "integer (int8)",
        Builtin::I16 => "integer (int16)",
        Builtin::I32 => "integer (int32)",
        Builtin::I64 => "integer (int64)",
        Builtin::U8 => "integer (uint8)",
        Builtin::U16 => "integer (uint16)",
        Builtin::U32 => "integer (uint32)",
        Builtin::U64 => "integer (uint64)",
        Builtin::F64 => "number",
    }
}

/// The value range of an integer built-in.
pub(super) fn int_range(builtin: Builtin) -> Option<(i128, i128)> {
    Some(match builtin {
        Builtin::I8 => (i8::MIN.into(), i8::MAX.into()),
        Builtin::I16 => (i16::MIN.into(), i16::MAX.into()),
        Builtin::I32 => (i32::MIN.into(), i32::MAX.into()),
        Builtin::I64 => (i64::MIN.into(), i64::MAX.into()),
        Builtin::U8 => (0, u8::MAX.into()),
        Builtin::U16 => (0, u16::MAX.into()),
        Builtin::U32 => (0, u32::MAX.into()),
        Builtin::U64 => (0, u64::MAX.into()),
        _ => return None,
    })
}

pub(super) fn is_string(builtin: Builtin) -> bool {
    matches!(builtin, Builtin::String | Builtin::DateTime | Builtin::Date | Builtin::Uuid)
}

/// How two different built-ins relate: the kind of change and its effect on valid values.
pub(super) fn builtin_change(old: Builtin, new: Builtin) -> (ChangeKind, Effect) {
    if is_string(old) && is_string(new) {
        let effect = match (old, new) {
            (Builtin::String, _) => Effect::Tightened,
            (_, Builtin::String) => Effect::Loosened,
            _ => Effect::Changed,
        };
        return (ChangeKind::FormatChanged, effect);
    }
    match (int_range(old), int_range(new)) {
        (Some((a_min, a_max)), Some((b_min, b_max))) => {
            let effect = if b_min <= a_min && a_max <= b_max {
                Effect::Loosened
            } else if a_min <= b_min && b_max <= a_max {
                Effect::Tightened
            } else {
                Effect::Changed
            };
            (ChangeKind::FormatChanged, effect)
        }
        (Some(_), None) if new == Builtin::F64 => (ChangeKind::TypeChanged, Effect::Loosened),
        (None, Some(_)) if old == Builtin::F64 => (ChangeKind::TypeChanged, Effect::Tightened),
        _ => (ChangeKind::TypeChanged, Effect::Changed),
    }
}

/// Which kind of named type, for deciding whether two can be compared member by member.
pub(super) fn kind_tag(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "object",
        TypeKind::StringEnum(_) => "string enum",
        TypeKind::IntegerEnum(_) => "integer enum",
        TypeKind::Union(_) => "oneOf/anyOf",
        TypeKind::Newtype(..) => "array or map",
        TypeKind::Alias(..) => "alias",
    }
}

/// Presence of a field in Rust: `T` (0), `Option<T>` (1) or `Option<Option<T>>` (2).
pub(super) fn presence(field: &Field) -> u8 {
    match (field.required, field.nullable) {
        (true, false) => 0,
        (true, true) | (false, false) => 1,
        (false, true) => 2,
    }
}

pub(super) fn presence_text(level: u8) -> &'static str {
    match level {
        0 => "`T`",
        1 => "`Option<T>`",
        _ => "`Option<Option<T>>`",
    }
}

/// The directions a property takes part in.
pub(super) fn field_mask(field: &Field) -> Dirs {
    Dirs { request: !field.read_only, response: !field.write_only }
}

/// Compares two keyword values where larger accepts more (`maxLength`) or fewer (`minLength`).
pub(super) fn bound<T: PartialOrd + Copy>(old: Option<T>, new: Option<T>, larger_loosens: bool) -> Option<Effect> {
    match (old, new) {
        (None, None) => None,
        (None, Some(_)) => Some(Effect::Tightened),
        (Some(_), None) => Some(Effect::Loosened),
        (Some(a), Some(b)) if a == b => None,
        (Some(a), Some(b)) => Some(if (b > a) == larger_loosens { Effect::Loosened } else { Effect::Tightened }),
    }
}

pub(super) fn flag(old: bool, new: bool) -> Option<Effect> {
    match (old, new) {
        (false, true) => Some(Effect::Tightened),
        (true, false) => Some(Effect::Loosened),
        _ => None,
    }
}

pub(super) fn show<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map(|v| format!("`{v}`")).unwrap_or_else(|| "none".to_string())
}

/// Formats that pick a Rust type (their changes are type changes, reported there).
pub(super) fn typed_format(format: &str) -> bool {
    matches!(
        format,
        "date-time" | "date" | "uuid" | "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64" | "float" | "double"
    )
}

/// Every keyword that differs: (keyword, old, new, effect).
pub(crate) fn constraint_changes(old: &Constraints, new: &Constraints) -> Vec<(&'static str, String, String, Effect)> {
    let mut out = Vec::new();
    let mut push = |keyword: &'static str, old: String, new: String, effect: Option<Effect>| {
        if let Some(effect) = effect {
            out.push((keyword, old, new, effect));
        }
    };
    let format_effect = match (old.format.as_deref().filter(|f| !typed_format(f)), new.format.as_deref().filter(|f| !typed_format(f))) {
        (None, None) => None,
        (None, Some(_)) => Some(Effect::Tightened),
        (Some(_), None) => Some(Effect::Loosened),
        (Some(a), Some(b)) if a == b => None,
        _ => Some(Effect::Changed),
    };
    push("format", show(old.format.as_deref()), show(new.format.as_deref()), format_effect);
    push("minLength", show(old.min_length), show(new.min_length), bound(old.min_length, new.min_length, false));
    push("maxLength", show(old.max_length), show(new.max_length), bound(old.max_length, new.max_length, true));
    let pattern = match (&old.pattern, &new.pattern) {
        (None, None) => None,
        (None, Some(_)) => Some(Effect::Tightened),
        (Some(_), None) => Some(Effect::Loosened),
        (Some(a), Some(b)) if a == b => None,
        _ => Some(Effect::Changed),
    };
    push("pattern", show(old.pattern.as_deref()), show(new.pattern.as_deref()), pattern);
    push("minimum", show(old.minimum), show(new.minimum), bound(old.minimum, new.minimum, false));
    push("maximum", show(old.maximum), show(new.maximum), bound(old.maximum, new.maximum, true));
    push(
        "exclusiveMinimum",
        old.exclusive_minimum.to_string(),
        new.exclusive_minimum.to_string(),
        flag(old.exclusive_minimum, new.exclusive_minimum),
    );
    push(
        "exclusiveMaximum",
        old.exclusive_maximum.to_string(),
        new.exclusive_maximum.to_string(),
        flag(old.exclusive_maximum, new.exclusive_maximum),
    );
    let multiple = match (old.multiple_of, new.multiple_of) {
        (None, None) => None,
        (None, Some(_)) => Some(Effect::Tightened),
        (Some(_), None) => Some(Effect::Loosened),
        (Some(a), Some(b)) if a == b => None,
        (Some(a), Some(b)) => {
            let divides = |big: f64, small: f64| small != 0.0 && (big / small).fract() == 0.0;
            Some(if divides(b, a) {
                Effect::Tightened
            } else if divides(a, b) {
                Effect::Loosened
            } else {
                Effect::Changed
            })
        }
    };
    push("multipleOf", show(old.multiple_of), show(new.multiple_of), multiple);
    push("minItems", show(old.min_items), show(new.min_items), bound(old.min_items, new.min_items, false));
    push("maxItems", show(old.max_items), show(new.max_items), bound(old.max_items, new.max_items, true));
    push("uniqueItems", old.unique_items.to_string(), new.unique_items.to_string(), flag(old.unique_items, new.unique_items));
    push("minProperties", show(old.min_properties), show(new.min_properties), bound(old.min_properties, new.min_properties, false));
    push("maxProperties", show(old.max_properties), show(new.max_properties), bound(old.max_properties, new.max_properties, true));
    out
}

/// Indexes every inline validation node by its pointer.
pub(super) fn index_checks(api: &Api) -> BTreeMap<String, &SchemaCheck> {
    fn node<'a>(out: &mut BTreeMap<String, &'a SchemaCheck>, node: &'a CheckNode, depth: usize) {
        if let CheckNode::Inline(check) = node {
            check_of(out, check, depth);
        }
    }
    fn check_of<'a>(out: &mut BTreeMap<String, &'a SchemaCheck>, check: &'a SchemaCheck, depth: usize) {
        // Nesting is bounded by the parser; the limit only guards against surprises.
        if depth > 512 {
            return;
        }
        out.entry(check.pointer.clone()).or_insert(check);
        for property in &check.properties {
            node(out, &property.node, depth + 1);
        }
        if let Some(AdditionalCheck::Schema(schema)) = &check.additional {
            node(out, schema, depth + 1);
        }
        for child in check.items.iter().chain(&check.all_of).chain(&check.one_of).chain(&check.any_of).chain(&check.not) {
            node(out, child, depth + 1);
        }
    }
    let mut out = BTreeMap::new();
    for component in &api.checks {
        check_of(&mut out, &component.check, 0);
    }
    for operation in &api.operations {
        for param in &operation.params {
            node(&mut out, &param.check, 0);
        }
        let media = operation.body.iter().flat_map(|b| &b.content).chain(operation.responses.iter().flat_map(|r| &r.content));
        for media in media {
            if let Some(check) = &media.check {
                node(&mut out, check, 0);
            }
        }
    }
    out
}

pub(super) fn value_text(value: &Value) -> String {
    value.to_string()
}
