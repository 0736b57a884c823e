//! Error reporting and the format checks the generated validation crates use: the direction a
//! value travels in, every violation with its field path and JSON pointer, and the checks of
//! `format`s and of numbers. The same for every spec.

mod keywords;

pub use keywords::{
    bounds, each, expect, fits, format, items, length, member, multiple_of, pattern, properties, property,
    property_array, property_by, property_enum, property_format, property_integer, property_or_null, property_type,
    required, string_enum, typed_member, Bounds, CheckFn, Format, IntFormat, Kind, Needed, Null, Rule,
};

use serde_json::Value;
use std::fmt;

/// Which way a value travels. `required` on a `readOnly` property applies only to
/// responses, and on a `writeOnly` property only to requests. A `readOnly` property
/// sent in a request is not an error: servers ignore it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A request body or parameter, sent by a client.
    Request,
    /// A response body, sent by a server.
    Response,
}

impl Direction {
    /// Whether `required` applies to a property with these flags.
    pub fn requires(self, read_only: bool, write_only: bool) -> bool {
        match self {
            Direction::Request => !read_only,
            Direction::Response => !write_only,
        }
    }
}

/// One violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Where, in the API's field convention: `contact.value`, `messages[0].id`;
    /// empty for the value as a whole.
    pub path: String,
    /// Where, as a JSON pointer: `/contact/value`.
    pub pointer: String,
    /// The schema keyword that failed (`required`, `maxLength`, `type`, ...).
    pub keyword: &'static str,
    /// A short message, such as "must be set".
    pub message: String,
}

impl ValidationError {
    /// The field name for error bodies: the path, or `body` for the whole value.
    pub fn field(&self) -> &str {
        if self.path.is_empty() {
            "body"
        } else {
            &self.path
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field(), self.message, self.keyword)
    }
}

/// Every violation found in one value, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    /// The violations.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.0.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// A generated check of one value (a parameter or a body), as the server and client call it.
pub type Check = fn(&Value, Direction) -> Result<(), ValidationErrors>;

#[derive(Clone, Copy)]
enum Segment<'v> {
    Key(&'v str),
    Index(usize),
}

/// The location being checked; strings are built only when a check fails.
#[derive(Default)]
pub struct Path<'v> {
    segments: Vec<Segment<'v>>,
}

impl<'v> Path<'v> {
    /// Enters a property.
    pub fn push_key(&mut self, key: &'v str) {
        self.segments.push(Segment::Key(key));
    }

    /// Enters an array item.
    pub fn push_index(&mut self, index: usize) {
        self.segments.push(Segment::Index(index));
    }

    /// Leaves the last property or item.
    pub fn pop(&mut self) {
        self.segments.pop();
    }

    fn render(&self, extra: Option<&str>) -> (String, String) {
        let mut field = String::new();
        let mut pointer = String::new();
        let extra = extra.map(Segment::Key);
        for segment in self.segments.iter().copied().chain(extra) {
            match segment {
                Segment::Key(key) => {
                    if !field.is_empty() {
                        field.push('.');
                    }
                    field.push_str(key);
                    pointer.push('/');
                    if key.contains(['~', '/']) {
                        pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    } else {
                        pointer.push_str(key);
                    }
                }
                Segment::Index(index) => {
                    field.push_str(&format!("[{index}]"));
                    pointer.push_str(&format!("/{index}"));
                }
            }
        }
        (field, pointer)
    }
}

/// Collects violations while checking.
pub struct Context {
    /// The direction being checked.
    pub direction: Direction,
    errors: Vec<ValidationError>,
}

impl Context {
    /// Records a violation at `path`.
    pub fn fail(&mut self, path: &Path<'_>, keyword: &'static str, message: &str) {
        let (path, pointer) = path.render(None);
        self.errors.push(ValidationError { path, pointer, keyword, message: message.to_string() });
    }

    /// Records a violation at the property `key` under `path`.
    pub fn fail_at(&mut self, path: &Path<'_>, key: &str, keyword: &'static str, message: &str) {
        let (path, pointer) = path.render(Some(key));
        self.errors.push(ValidationError { path, pointer, keyword, message: message.to_string() });
    }

    /// Marks the error list before trying a `oneOf`/`anyOf`/`not` branch.
    pub fn mark(&self) -> usize {
        self.errors.len()
    }

    /// Drops the errors of a tried branch; returns whether the branch matched.
    pub fn rollback(&mut self, mark: usize) -> bool {
        let matched = self.errors.len() == mark;
        self.errors.truncate(mark);
        matched
    }
}

/// Runs a check function on a value.
pub fn run(
    value: &Value,
    direction: Direction,
    check: for<'v> fn(&'v Value, &mut Path<'v>, &mut Context),
) -> Result<(), ValidationErrors> {
    let mut cx = Context { direction, errors: Vec::new() };
    check(value, &mut Path::default(), &mut cx);
    if cx.errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(cx.errors))
    }
}

/// Builds the typed value once the checks passed.
pub fn typed<T: serde::de::DeserializeOwned + Send>(value: Value) -> Result<T, ValidationErrors> {
    let depth = crate::json::depth(&value);
    crate::json::from_value(value, depth).map_err(|err| {
        ValidationErrors(vec![ValidationError {
            path: String::new(),
            pointer: String::new(),
            keyword: "type",
            message: err.to_string(),
        }])
    })
}

/// JSON integers only: `1.0` is a number, not an integer, as it is for the typed
/// value (`i64` rejects it).
pub fn is_integer(value: &Value) -> bool {
    value.is_i64() || value.is_u64()
}

/// Equality where `1` and `1.0` are the same number.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(key, x)| y.get(key).is_some_and(|y| same_value(x, y)))
        }
        _ => a == b,
    }
}

/// `uniqueItems`.
pub fn all_unique(items: &[Value]) -> bool {
    items.iter().enumerate().all(|(i, a)| items[i + 1..].iter().all(|b| !same_value(a, b)))
}

/// `multipleOf`, exact for integers.
pub fn is_multiple_of(value: &Value, divisor: f64) -> bool {
    if let (Some(int), true) = (value.as_i64(), divisor.fract() == 0.0 && divisor.abs() < 9.0e15) {
        return int % (divisor as i64) == 0;
    }
    match value.as_f64() {
        Some(number) => {
            let quotient = number / divisor;
            quotient.is_finite() && (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0)
        }
        None => true,
    }
}

/// `format: int32`.
pub fn fits_i32(value: &Value) -> bool {
    value.as_i64().is_some_and(|v| i32::try_from(v).is_ok())
}

/// `format: int64`, and integers without a format (they are `i64`s).
pub fn fits_i64(value: &Value) -> bool {
    value.is_i64()
}

/// `format: int8`.
pub fn fits_i8(value: &Value) -> bool {
    value.as_i64().is_some_and(|v| i8::try_from(v).is_ok())
}

/// `format: int16`.
pub fn fits_i16(value: &Value) -> bool {
    value.as_i64().is_some_and(|v| i16::try_from(v).is_ok())
}

/// `format: uint8`.
pub fn fits_u8(value: &Value) -> bool {
    value.as_u64().is_some_and(|v| u8::try_from(v).is_ok())
}

/// `format: uint16`.
pub fn fits_u16(value: &Value) -> bool {
    value.as_u64().is_some_and(|v| u16::try_from(v).is_ok())
}

/// `format: uint32`.
pub fn fits_u32(value: &Value) -> bool {
    value.as_u64().is_some_and(|v| u32::try_from(v).is_ok())
}

/// `format: uint64`.
pub fn fits_u64(value: &Value) -> bool {
    value.is_u64()
}

/// `format: date-time` (RFC 3339).
pub fn is_date_time(text: &str) -> bool {
    text.len() >= 20
        && text.as_bytes().get(10).is_some_and(|c| matches!(c, b'T' | b't'))
        && chrono::DateTime::parse_from_rfc3339(text).is_ok()
}

/// `format: date` (RFC 3339 full-date).
pub fn is_date(text: &str) -> bool {
    text.len() == 10 && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

/// `format: uuid` (the hyphenated form).
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text
            .char_indices()
            .all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_hexdigit() })
}

/// `format: email`: one `@` between a non-empty local part and a dotted domain.
pub fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !text.chars().any(|c| c.is_whitespace() || c.is_control())
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

/// `format: uri`: an absolute URI (a scheme, then no spaces).
pub fn is_uri(text: &str) -> bool {
    match text.split_once(':') {
        Some((scheme, _)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// `format: ipv4` (dotted quad).
pub fn is_ipv4(text: &str) -> bool {
    text.parse::<std::net::Ipv4Addr>().is_ok()
}

/// `format: ipv6`.
pub fn is_ipv6(text: &str) -> bool {
    text.parse::<std::net::Ipv6Addr>().is_ok()
}

/// `format: byte` (standard base64 with padding).
pub fn is_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return false;
    }
    let padding = bytes.iter().rev().take_while(|b| **b == b'=').count();
    padding <= 2 && bytes[..bytes.len() - padding].iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/'))
}
