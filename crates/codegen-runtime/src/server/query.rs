//! The query string: parameters decoded per their style, deepObject included, and parameters
//! the operation does not declare refused.

use super::params::{coerce, json_text, object_kind, split_object, Presence, Shape};
use super::response::error;
use crate::style::{Style, StyleKind};
use crate::validation::{Check, ValidationError};
use serde_json::{Map, Value};

/// The decoded query string.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The (name, value) pairs, decoded, in the order sent.
    pub(crate) pairs: Vec<(String, String)>,
}

impl Query {
    /// Parses `a=1&b=2` (form encoding: `+` is a space).
    pub fn parse(query: Option<&str>) -> Query {
        let pairs = form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect();
        Query { pairs }
    }

    /// Every value of `name`, in the order sent.
    fn values(&self, name: &str) -> Vec<&str> {
        self.pairs.iter().filter(|(key, _)| key == name).map(|(_, value)| value.as_str()).collect()
    }

    /// The values of an array sent as `name`, `name[]` or `name[0]` (deepObject style on
    /// an array, as Rails, PHP and Stripe write them), in the order sent.
    fn indexed_values(&self, name: &str) -> Vec<&str> {
        self.pairs.iter().filter(|(key, _)| is_indexed(key, name)).map(|(_, value)| value.as_str()).collect()
    }

    /// Reports every query parameter the operation does not declare: nothing a
    /// caller sends is silently dropped. `known` lists (name, is deepObject).
    pub fn reject_unknown(&self, known: &[QueryName], errors: &mut Vec<ValidationError>) {
        for (key, _) in &self.pairs {
            // A deepObject parameter is read from `name[key]` only; a bare `name` would be
            // dropped, so it is refused like an unknown parameter.
            let declared = known.iter().any(|known| match known {
                QueryName::DeepObject(name) => {
                    key.strip_prefix(name).is_some_and(|rest| rest.starts_with('[') && rest.ends_with(']'))
                }
                QueryName::Plain(name) => key == name,
            });
            // A pair with no name (`?=x`, `?&`) is named for what it is: an empty error path
            // would read as the body's.
            let key = if key.is_empty() { "(empty name)" } else { key.as_str() };
            if !declared && !errors.iter().any(|e| e.path == key) {
                errors.push(error(key, "parameter", "is not a parameter of this operation"));
            }
        }
    }

    /// A query parameter, decoded per its style, then validated and converted as
    /// [`param`](super::params::param) does.
    #[allow(clippy::too_many_arguments)] // One call per parameter in every handler.
    pub fn param<T: serde::de::DeserializeOwned + Send>(
        &self,
        name: &str,
        shape: Shape,
        style: Style,
        presence: Presence,
        check: Check,
        errors: &mut Vec<ValidationError>,
    ) -> Option<T> {
        let raw = self.decode(name, shape, style, errors);
        super::params::param(raw, name, presence, check, errors)
    }

    /// A query parameter as JSON, per its style.
    pub fn decode(&self, name: &str, shape: Shape, style: Style, errors: &mut Vec<ValidationError>) -> Option<Value> {
        match shape {
            Shape::Object(properties) if style.kind == StyleKind::DeepObject => {
                let mut map = Map::new();
                for (key, value) in &self.pairs {
                    let Some(property) =
                        key.strip_prefix(name).and_then(|r| r.strip_prefix('[')).and_then(|r| r.strip_suffix(']'))
                    else {
                        continue;
                    };
                    map.insert(property.to_string(), coerce(value, object_kind(properties, property)));
                }
                (!map.is_empty()).then_some(Value::Object(map))
            }
            Shape::Object(properties) if style.explode => {
                let mut map = Map::new();
                for (key, value) in &self.pairs {
                    if properties.iter().any(|(p, _)| p == key) {
                        map.insert(key.clone(), coerce(value, object_kind(properties, key)));
                    }
                }
                (!map.is_empty()).then_some(Value::Object(map))
            }
            Shape::Object(properties) => {
                let values = self.values(name);
                values.first().map(|text| split_object(properties, text, ',', false))
            }
            Shape::Array(kind) => {
                let values =
                    if style.kind == StyleKind::DeepObject { self.indexed_values(name) } else { self.values(name) };
                if values.is_empty() {
                    return None;
                }
                let separator = match style.kind {
                    StyleKind::SpaceDelimited => Some(' '),
                    StyleKind::PipeDelimited => Some('|'),
                    _ if style.explode => None,
                    _ => Some(','),
                };
                // `name=` is an empty list, not a list of one empty string.
                let items: Vec<Value> = match separator {
                    Some(separator) => values
                        .iter()
                        .filter(|v| !v.is_empty())
                        .flat_map(|v| v.split(separator))
                        .map(|item| coerce(item, kind))
                        .collect(),
                    None => values.iter().map(|item| coerce(item, kind)).collect(),
                };
                Some(Value::Array(items))
            }
            Shape::Scalar(kind) => {
                let values = self.values(name);
                match values.as_slice() {
                    [] => None,
                    [one] => Some(coerce(one, kind)),
                    _ => {
                        errors.push(error(name, "parameter", "must be sent once"));
                        None
                    }
                }
            }
        }
    }

    /// A query parameter sent as JSON text.
    pub fn decode_json(&self, name: &str, errors: &mut Vec<ValidationError>) -> Option<Value> {
        match self.values(name).as_slice() {
            [] => None,
            [one] => json_text(one, name, errors),
            _ => {
                errors.push(error(name, "parameter", "must be sent once"));
                None
            }
        }
    }

    /// The first value of `name`.
    pub(crate) fn first(&self, name: &str) -> Option<&str> {
        self.values(name).into_iter().next()
    }
}

/// `name`, `name[]` or `name[<digits>]`.
pub(crate) fn is_indexed(key: &str, name: &str) -> bool {
    match key.strip_prefix(name) {
        Some("") | Some("[]") => true,
        Some(rest) => rest
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
            .is_some_and(|index| index.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

/// A query parameter an operation declares, as its keys appear in the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryName {
    /// `name=...`.
    Plain(&'static str),
    /// `name[key]=...` (`style: deepObject`).
    DeepObject(&'static str),
}
