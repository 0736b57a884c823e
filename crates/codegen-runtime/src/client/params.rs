//! Parameters: values serialized per their style and `explode` (the rules the server decodes
//! by) into the path, the query string, headers and cookies, and checked first when request
//! validation is on.

use super::Error;
use crate::style::{Style, StyleKind};
use crate::validation::{Check, Direction, ValidationErrors};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

/// Any serializable value as JSON.
pub(crate) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::Invalid(e.to_string()))
}

/// Runs a generated check on a request value, naming errors after the parameter.
pub(crate) fn run_check(check: Option<Check>, value: &Value, name: &str) -> Result<(), Error> {
    let Some(check) = check else { return Ok(()) };
    check(value, Direction::Request).map_err(|errors| {
        let errors = errors
            .0
            .into_iter()
            .map(|mut e| {
                if name != "body" {
                    e.path = if e.path.is_empty() { name.to_string() } else { format!("{name}.{}", e.path) };
                }
                e
            })
            .collect();
        Error::Validation(ValidationErrors(errors))
    })
}

/// A path parameter as JSON, checked when validation is on.
pub fn path_value<T: serde::Serialize + ?Sized>(value: &T, name: &str, check: Option<Check>) -> Result<Value, Error> {
    let value = to_json(value)?;
    run_check(check, &value, name)?;
    Ok(value)
}
/// Appends a path parameter serialized per its style, after checking it when validation is on.
pub fn push_path_param<T: serde::Serialize + ?Sized>(
    url: &mut String,
    name: &str,
    value: &T,
    style: Style,
    check: Option<Check>,
) -> Result<(), Error> {
    let value = path_value(value, name, check)?;
    push_path(url, name, &value, style);
    Ok(())
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The query string.
    Query,
    /// A header.
    Header,
    /// The `Cookie` header.
    Cookie,
}

/// Query, header and cookie parameters being collected for one request.
#[derive(Debug, Default)]
pub struct Parts {
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<String>,
}

impl Parts {
    /// Adds a parameter if it is set, serialized per its style (or as JSON text), after
    /// checking it when validation is on.
    pub fn add<T: serde::Serialize>(
        &mut self,
        location: Location,
        name: &'static str,
        value: Option<&T>,
        encoding: Encoding,
        check: Option<Check>,
    ) -> Result<(), Error> {
        let Some(value) = value else { return Ok(()) };
        let (style, json) = match encoding {
            Encoding::Style(style) => (style, false),
            Encoding::Json => (Style::FORM, true),
        };
        let value = to_json(value)?;
        run_check(check, &value, name)?;
        match location {
            Location::Query => push_query(&mut self.query, name, &value, style, json),
            Location::Header => self.headers.push((name, header_text(&value, json))),
            Location::Cookie => self.cookies.push(format!("{name}={}", header_text(&value, json))),
        }
        Ok(())
    }

    /// [`add`](Self::add)s a query parameter.
    pub fn query<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
        encoding: Encoding,
        check: Option<Check>,
    ) -> Result<(), Error> {
        self.add(Location::Query, name, value, encoding, check)
    }

    /// [`add`](Self::add)s a header parameter.
    pub fn header<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
        encoding: Encoding,
        check: Option<Check>,
    ) -> Result<(), Error> {
        self.add(Location::Header, name, value, encoding, check)
    }

    /// [`add`](Self::add)s a cookie parameter.
    pub fn cookie<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
        encoding: Encoding,
        check: Option<Check>,
    ) -> Result<(), Error> {
        self.add(Location::Cookie, name, value, encoding, check)
    }

    /// Puts the collected parameters on a request.
    pub fn apply(&self, mut request: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, Error> {
        if !self.query.is_empty() {
            request = request.query(&self.query);
        }
        for (name, value) in &self.headers {
            let value = reqwest::header::HeaderValue::from_str(value)
                .map_err(|e| Error::Invalid(format!("header {name}: {e}")))?;
            request = request.header(*name, value);
        }
        if !self.cookies.is_empty() {
            request = request.header(reqwest::header::COOKIE, self.cookies.join("; "));
        }
        Ok(request)
    }
}

/// A scalar as parameter text (strings as they are, other values as JSON).
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Header text of a parameter value.
fn header_text(value: &Value, json: bool) -> String {
    if json {
        return value.to_string();
    }
    match value {
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        Value::Object(map) => map.iter().map(|(k, v)| format!("{k},{}", text(v))).collect::<Vec<_>>().join(","),
        other => text(other),
    }
}

/// What a path segment keeps as it is: RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes one path segment's worth of text.
fn encode_segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

/// Appends a path parameter, serialized per its style.
pub fn push_path(url: &mut String, name: &str, value: &Value, style: Style) {
    let items: Vec<String> = match value {
        Value::Array(items) => items.iter().map(|v| encode_segment(&text(v))).collect(),
        other => vec![encode_segment(&text(other))],
    };
    match style.kind {
        StyleKind::Label => {
            url.push('.');
            url.push_str(&items.join(if style.explode { "." } else { "," }));
        }
        StyleKind::Matrix => {
            if style.explode && value.is_array() {
                for item in items {
                    url.push_str(&format!(";{name}={item}"));
                }
            } else {
                url.push_str(&format!(";{name}={}", items.join(",")));
            }
        }
        _ => url.push_str(&items.join(",")),
    }
}

/// Appends a query parameter, serialized per its style (or as JSON text).
pub(crate) fn push_query(query: &mut Vec<(String, String)>, name: &str, value: &Value, style: Style, json: bool) {
    if json {
        query.push((name.to_string(), value.to_string()));
        return;
    }
    match value {
        Value::Array(items) => {
            let separator = match style.kind {
                StyleKind::SpaceDelimited => Some(" "),
                StyleKind::PipeDelimited => Some("|"),
                _ if style.explode => None,
                _ => Some(","),
            };
            // deepObject on an array: `name[]=a&name[]=b`, as Rails, PHP and Stripe read it.
            let key = if style.kind == StyleKind::DeepObject { format!("{name}[]") } else { name.to_string() };
            match separator {
                Some(separator) => query.push((key, items.iter().map(text).collect::<Vec<_>>().join(separator))),
                None => query.extend(items.iter().map(|item| (key.clone(), text(item)))),
            }
        }
        Value::Object(map) => match (style.kind, style.explode) {
            (StyleKind::DeepObject, _) => query.extend(map.iter().map(|(k, v)| (format!("{name}[{k}]"), text(v)))),
            (_, true) => query.extend(map.iter().map(|(k, v)| (k.clone(), text(v)))),
            (_, false) => query.push((
                name.to_string(),
                map.iter().map(|(k, v)| format!("{k},{}", text(v))).collect::<Vec<_>>().join(","),
            )),
        },
        other => query.push((name.to_string(), text(other))),
    }
}

/// How a parameter's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Per its `style` and `explode`.
    Style(Style),
    /// As JSON text (`content: application/json`).
    Json,
}

impl Encoding {
    /// `style: form, explode: true`, the default of query and cookie parameters.
    pub const FORM: Encoding = Encoding::Style(Style::FORM);
    /// `style: simple, explode: false`, the default of path and header parameters.
    pub const SIMPLE: Encoding = Encoding::Style(Style::SIMPLE);
}
