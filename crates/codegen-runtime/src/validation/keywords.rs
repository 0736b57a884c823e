//! The keywords of one schema as functions, so that generated checks are one call per keyword
//! rather than the same dozen lines each time. Every function applies its keyword as JSON
//! Schema does: only to values of the type the keyword is about (`minLength` to strings, ...).

use super::{
    all_unique, fits_i16, fits_i32, fits_i64, fits_i8, fits_u16, fits_u32, fits_u64, fits_u8, is_base64, is_date,
    is_date_time, is_email, is_integer, is_ipv4, is_ipv6, is_multiple_of, is_uri, is_uuid, Context, Path,
};
use serde_json::{Map, Value};

/// The JSON type a schema requires (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `integer`.
    Integer,
    /// `boolean`.
    Boolean,
    /// `object`.
    Object,
    /// `array`.
    Array,
}

/// Whether `null` is a value of a typed schema (`nullable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Null {
    /// `nullable: true`: null is valid, and no other keyword applies to it.
    Allowed,
    /// Null is refused.
    Refused,
}

/// Checks the type of `value`; returns whether the schema's other keywords apply (a value of
/// the type, not null).
pub fn expect(value: &Value, path: &Path<'_>, cx: &mut Context, kind: Kind, null: Null) -> bool {
    if value.is_null() {
        if null == Null::Refused {
            cx.fail(path, "nullable", "must not be null");
        }
        return false;
    }
    let (ok, message) = match kind {
        Kind::String => (value.is_string(), "must be a string"),
        Kind::Number => (value.is_number(), "must be a number"),
        Kind::Integer => (is_integer(value), "must be an integer"),
        Kind::Boolean => (value.is_boolean(), "must be a boolean"),
        Kind::Object => (value.is_object(), "must be an object"),
        Kind::Array => (value.is_array(), "must be an array"),
    };
    if !ok {
        cx.fail(path, "type", message);
    }
    ok
}

/// `minLength` and `maxLength`, in characters.
pub fn length(value: &Value, path: &Path<'_>, cx: &mut Context, min: Option<u64>, max: Option<u64>) {
    let Some(text) = value.as_str() else { return };
    let length = text.chars().count() as u64;
    if let Some(min) = min.filter(|min| length < *min) {
        cx.fail(path, "minLength", &format!("must be at least {min} characters long"));
    }
    if let Some(max) = max.filter(|max| length > *max) {
        cx.fail(path, "maxLength", &format!("must be at most {max} characters long"));
    }
}

/// `pattern`: `matches` runs the compiled pattern (the generated crate owns it), `pattern` is
/// its text for the message.
pub fn pattern(value: &Value, path: &Path<'_>, cx: &mut Context, matches: fn(&str) -> bool, pattern: &str) {
    if let Some(text) = value.as_str() {
        if !matches(text) {
            cx.fail(path, "pattern", &format!("must match the pattern `{pattern}`"));
        }
    }
}

/// The string formats that are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `date-time` (RFC 3339).
    DateTime,
    /// `date`.
    Date,
    /// `uuid`.
    Uuid,
    /// `email`.
    Email,
    /// `uri` (absolute).
    Uri,
    /// `ipv4`.
    Ipv4,
    /// `ipv6`.
    Ipv6,
    /// `byte` (base64).
    Byte,
}

/// A string `format`.
pub fn format(value: &Value, path: &Path<'_>, cx: &mut Context, format: Format) {
    let Some(text) = value.as_str() else { return };
    let (ok, message) = match format {
        Format::DateTime => (is_date_time(text), "must be an RFC 3339 date-time"),
        Format::Date => (is_date(text), "must be a date (YYYY-MM-DD)"),
        Format::Uuid => (is_uuid(text), "must be a UUID"),
        Format::Email => (is_email(text), "must be an email address"),
        Format::Uri => (is_uri(text), "must be an absolute URI"),
        Format::Ipv4 => (is_ipv4(text), "must be an IPv4 address"),
        Format::Ipv6 => (is_ipv6(text), "must be an IPv6 address"),
        Format::Byte => (is_base64(text), "must be base64"),
    };
    if !ok {
        cx.fail(path, "format", message);
    }
}

/// `minimum`, `maximum` and their exclusive forms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum: true`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum: true`.
    pub exclusive_maximum: bool,
}

impl Bounds {
    /// No bound, to fill the rest of a literal with `..Bounds::NONE`.
    pub const NONE: Bounds =
        Bounds { minimum: None, maximum: None, exclusive_minimum: false, exclusive_maximum: false };
}

/// The bounds of a number.
pub fn bounds(value: &Value, path: &Path<'_>, cx: &mut Context, bounds: &Bounds) {
    let Some(number) = value.as_f64() else { return };
    if let Some(min) = bounds.minimum {
        if bounds.exclusive_minimum && number <= min {
            cx.fail(path, "exclusiveMinimum", &format!("must be greater than {min}"));
        } else if !bounds.exclusive_minimum && number < min {
            cx.fail(path, "minimum", &format!("must be at least {min}"));
        }
    }
    if let Some(max) = bounds.maximum {
        if bounds.exclusive_maximum && number >= max {
            cx.fail(path, "exclusiveMaximum", &format!("must be less than {max}"));
        } else if !bounds.exclusive_maximum && number > max {
            cx.fail(path, "maximum", &format!("must be at most {max}"));
        }
    }
}

/// `multipleOf`.
pub fn multiple_of(value: &Value, path: &Path<'_>, cx: &mut Context, divisor: f64) {
    if value.is_number() && !is_multiple_of(value, divisor) {
        cx.fail(path, "multipleOf", &format!("must be a multiple of {divisor}"));
    }
}

/// The Rust type an integer gets, whose range it must fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntFormat {
    /// `int8`.
    Int8,
    /// `int16`.
    Int16,
    /// `int32`.
    Int32,
    /// `int64`.
    Int64,
    /// `uint8`.
    Uint8,
    /// `uint16`.
    Uint16,
    /// `uint32`.
    Uint32,
    /// `uint64`.
    Uint64,
    /// No format: `i64`.
    Unspecified,
}

/// An integer fits the Rust type it gets, so that a valid value always parses.
pub fn fits(value: &Value, path: &Path<'_>, cx: &mut Context, format: IntFormat) {
    let (ok, keyword, message) = match format {
        IntFormat::Int8 => (fits_i8(value), "format", "must fit in an 8-bit signed integer (int8)"),
        IntFormat::Int16 => (fits_i16(value), "format", "must fit in a 16-bit signed integer (int16)"),
        IntFormat::Int32 => (fits_i32(value), "format", "must fit in a 32-bit signed integer (int32)"),
        IntFormat::Int64 => (fits_i64(value), "format", "must fit in a 64-bit signed integer (int64)"),
        IntFormat::Uint8 => (fits_u8(value), "format", "must fit in an 8-bit unsigned integer (uint8)"),
        IntFormat::Uint16 => (fits_u16(value), "format", "must fit in a 16-bit unsigned integer (uint16)"),
        IntFormat::Uint32 => (fits_u32(value), "format", "must fit in a 32-bit unsigned integer (uint32)"),
        IntFormat::Uint64 => (fits_u64(value), "format", "must fit in a 64-bit unsigned integer (uint64)"),
        IntFormat::Unspecified => (fits_i64(value), "type", "must fit in a 64-bit signed integer"),
    };
    if !ok {
        cx.fail(path, keyword, message);
    }
}

/// `minItems`, `maxItems` and `uniqueItems` of an array.
pub fn items(value: &Value, path: &Path<'_>, cx: &mut Context, min: Option<u64>, max: Option<u64>, unique: bool) {
    let Some(items) = value.as_array() else { return };
    let count = items.len() as u64;
    if let Some(min) = min.filter(|min| count < *min) {
        cx.fail(path, "minItems", &format!("must have at least {min} items"));
    }
    if let Some(max) = max.filter(|max| count > *max) {
        cx.fail(path, "maxItems", &format!("must have at most {max} items"));
    }
    if unique && !all_unique(items) {
        cx.fail(path, "uniqueItems", "must not contain duplicate items");
    }
}

/// `minProperties` and `maxProperties` of an object.
pub fn properties(value: &Value, path: &Path<'_>, cx: &mut Context, min: Option<u64>, max: Option<u64>) {
    let Some(object) = value.as_object() else { return };
    let count = object.len() as u64;
    if let Some(min) = min.filter(|min| count < *min) {
        cx.fail(path, "minProperties", &format!("must have at least {min} properties"));
    }
    if let Some(max) = max.filter(|max| count > *max) {
        cx.fail(path, "maxProperties", &format!("must have at most {max} properties"));
    }
}

/// Which messages a required property must be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needed {
    /// Requests and responses.
    Always,
    /// `readOnly`: responses only.
    ReadOnly,
    /// `writeOnly`: requests only.
    WriteOnly,
    /// Both flags: never.
    Never,
}

/// `required`: each name with the messages it must be in.
pub fn required(object: &Map<String, Value>, path: &Path<'_>, cx: &mut Context, names: &[(&str, Needed)]) {
    for (name, needed) in names {
        let (read_only, write_only) = match needed {
            Needed::Always => (false, false),
            Needed::ReadOnly => (true, false),
            Needed::WriteOnly => (false, true),
            Needed::Never => (true, true),
        };
        if !object.contains_key(*name) && cx.direction.requires(read_only, write_only) {
            cx.fail_at(path, name, "required", "must be set");
        }
    }
}

/// Checks a property's value with a component check, at the property's path.
pub fn property<'v>(
    key: &'v str,
    value: &'v Value,
    path: &mut Path<'v>,
    cx: &mut Context,
    check: fn(&'v Value, &mut Path<'v>, &mut Context),
) {
    path.push_key(key);
    check(value, path, cx);
    path.pop();
}

/// Checks a property's value with a component check unless it is `null` (a nullable reference),
/// at the property's path.
pub fn property_or_null<'v>(
    key: &'v str,
    value: &'v Value,
    path: &mut Path<'v>,
    cx: &mut Context,
    check: fn(&'v Value, &mut Path<'v>, &mut Context),
) {
    if !value.is_null() {
        property(key, value, path, cx, check);
    }
}

/// Checks every item of an array with a component check, at the item's path.
pub fn each<'v>(
    value: &'v Value,
    path: &mut Path<'v>,
    cx: &mut Context,
    check: fn(&'v Value, &mut Path<'v>, &mut Context),
) {
    if let Some(items) = value.as_array() {
        for (index, item) in items.iter().enumerate() {
            path.push_index(index);
            check(item, path, cx);
            path.pop();
        }
    }
}

/// Checks an array property whose schema is its type and items of a component schema, at the
/// property's path.
pub fn property_array<'v>(
    key: &'v str,
    value: &'v Value,
    path: &mut Path<'v>,
    cx: &mut Context,
    null: Null,
    check: fn(&'v Value, &mut Path<'v>, &mut Context),
) {
    path.push_key(key);
    if expect(value, path, cx, Kind::Array, null) {
        each(value, path, cx, check);
    }
    path.pop();
}

/// Checks a string property whose schema is its type and a `format`, at the property's path.
pub fn property_format<'v>(
    key: &'v str,
    value: &Value,
    path: &mut Path<'v>,
    cx: &mut Context,
    null: Null,
    format: Format,
) {
    path.push_key(key);
    if expect(value, path, cx, Kind::String, null) {
        self::format(value, path, cx, format);
    }
    path.pop();
}

/// Checks a string property whose schema is its type and an `enum` of strings, at the
/// property's path.
pub fn property_enum<'v>(
    key: &'v str,
    value: &Value,
    path: &mut Path<'v>,
    cx: &mut Context,
    null: Null,
    allowed: &[&str],
) {
    path.push_key(key);
    if expect(value, path, cx, Kind::String, null) {
        string_enum(value, path, cx, allowed);
    }
    path.pop();
}

/// Checks a property's type (the whole of its schema), at the property's path.
pub fn property_type<'v>(key: &'v str, value: &Value, path: &mut Path<'v>, cx: &mut Context, kind: Kind, null: Null) {
    path.push_key(key);
    expect(value, path, cx, kind, null);
    path.pop();
}

/// Checks a member against the members of its object whose schema is their type alone
/// (`members`: name, type, null, sorted by name), at the member's path; an integer (an integer
/// without a `format`) must also fit an `i64`, as [`property_integer`] checks. `false` when
/// `key` is not one of them: the caller then checks it as another member.
pub fn typed_member<'v>(
    key: &'v str,
    value: &Value,
    path: &mut Path<'v>,
    cx: &mut Context,
    members: &[(&str, Kind, Null)],
) -> bool {
    let Ok(index) = members.binary_search_by(|(name, ..)| (*name).cmp(key)) else { return false };
    match members[index] {
        (_, Kind::Integer, null) => property_integer(key, value, path, cx, null, IntFormat::Unspecified),
        (_, kind, null) => property_type(key, value, path, cx, kind, null),
    }
    true
}

/// A check function: a component schema's, or one of an object inline in another schema.
pub type CheckFn = for<'v> fn(&'v Value, &mut Path<'v>, &mut Context);

/// What a member of an object must be, for the shapes most members' schemas have; an object's
/// check lists its members' rules in one table ([`member`]) instead of a call each. Each
/// shape has a variant where `null` is a value too (`nullable`), named `...OrNull`.
#[derive(Clone, Copy)]
pub enum Rule {
    /// The type alone; an integer must also fit an `i64` ([`property_type`], [`property_integer`]).
    Type(Kind),
    /// [`Rule::Type`], or `null`.
    TypeOrNull(Kind),
    /// An integer that must fit the Rust integer of its `format` ([`property_integer`]).
    Integer(IntFormat),
    /// [`Rule::Integer`], or `null`.
    IntegerOrNull(IntFormat),
    /// A string in a `format` the runtime checks ([`property_format`]).
    Format(Format),
    /// [`Rule::Format`], or `null`.
    FormatOrNull(Format),
    /// A string `enum` ([`property_enum`]).
    Enum(&'static [&'static str]),
    /// [`Rule::Enum`], or `null`.
    EnumOrNull(&'static [&'static str]),
    /// Checked by a function ([`property`]).
    Check(CheckFn),
    /// [`Rule::Check`], or `null` ([`property_or_null`]).
    CheckOrNull(CheckFn),
    /// An array whose items a function checks ([`property_array`]).
    Array(CheckFn),
    /// [`Rule::Array`], or `null`.
    ArrayOrNull(CheckFn),
}

/// Checks a member by its rule in `members` (name and rule, sorted by name), at the member's
/// path. `false` when `key` is not in the table: the caller then checks it as another member.
pub fn member<'v>(
    key: &'v str,
    value: &'v Value,
    path: &mut Path<'v>,
    cx: &mut Context,
    members: &[(&str, Rule)],
) -> bool {
    let Ok(index) = members.binary_search_by(|(name, _)| (*name).cmp(key)) else { return false };
    property_by(key, value, path, cx, members[index].1);
    true
}

/// Checks a property by its rule, at the property's path.
pub fn property_by<'v>(key: &'v str, value: &'v Value, path: &mut Path<'v>, cx: &mut Context, rule: Rule) {
    use Null::{Allowed, Refused};
    match rule {
        Rule::Type(Kind::Integer) => property_integer(key, value, path, cx, Refused, IntFormat::Unspecified),
        Rule::TypeOrNull(Kind::Integer) => property_integer(key, value, path, cx, Allowed, IntFormat::Unspecified),
        Rule::Type(kind) => property_type(key, value, path, cx, kind, Refused),
        Rule::TypeOrNull(kind) => property_type(key, value, path, cx, kind, Allowed),
        Rule::Integer(format) => property_integer(key, value, path, cx, Refused, format),
        Rule::IntegerOrNull(format) => property_integer(key, value, path, cx, Allowed, format),
        Rule::Format(format) => property_format(key, value, path, cx, Refused, format),
        Rule::FormatOrNull(format) => property_format(key, value, path, cx, Allowed, format),
        Rule::Enum(allowed) => property_enum(key, value, path, cx, Refused, allowed),
        Rule::EnumOrNull(allowed) => property_enum(key, value, path, cx, Allowed, allowed),
        Rule::Check(check) => property(key, value, path, cx, check),
        Rule::CheckOrNull(check) => property_or_null(key, value, path, cx, check),
        Rule::Array(check) => property_array(key, value, path, cx, Refused, check),
        Rule::ArrayOrNull(check) => property_array(key, value, path, cx, Allowed, check),
    }
}

/// Checks an integer property whose schema is the type alone (with a `format`, or none): its
/// type, then that it fits the Rust integer the types crate gives it ([`fits`]).
pub fn property_integer<'v>(
    key: &'v str,
    value: &Value,
    path: &mut Path<'v>,
    cx: &mut Context,
    null: Null,
    format: IntFormat,
) {
    path.push_key(key);
    if expect(value, path, cx, Kind::Integer, null) {
        fits(value, path, cx, format);
    }
    path.pop();
}

/// `enum` of strings.
pub fn string_enum(value: &Value, path: &Path<'_>, cx: &mut Context, allowed: &[&str]) {
    if value.as_str().is_some_and(|text| allowed.contains(&text)) {
        return;
    }
    let shown: Vec<String> = allowed.iter().map(|text| serde_json::to_string(text).unwrap_or_default()).collect();
    cx.fail(path, "enum", &format!("must be one of {}", shown.join(", ")));
}
