//! Multipart bodies (`multipart/form-data`, RFC 7578): split into parts by multer, read like a
//! form and checked against their schema; the implementation gets the parts.

use super::forms::{decode_fields, Form};
use super::params::Presence;
use super::query::Query;
use super::response::error;
use crate::validation::{Check, ValidationError};
use axum::body::Bytes;
use axum::http::{header, HeaderMap};

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartPart {
    /// The field name (`Content-Disposition: form-data; name="..."`).
    pub name: String,
    /// The file name, when the part is a file upload.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, when it was sent.
    pub content_type: Option<String>,
    /// The part's bytes.
    pub data: Bytes,
}

impl MultipartPart {
    /// The part's bytes as text, if they are UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.data).ok()
    }
}

/// A `multipart/form-data` body, checked against its schema: its parts in the order
/// they were sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    /// Every part, in order.
    pub parts: Vec<MultipartPart>,
}

impl Multipart {
    /// The first part named `name`.
    pub fn part(&self, name: &str) -> Option<&MultipartPart> {
        self.parts.iter().find(|part| part.name == name)
    }

    /// Every part named `name`, in order (the items of an array field).
    pub fn parts_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a MultipartPart> + 'a {
        self.parts.iter().filter(move |part| part.name == name)
    }

    /// The first part named `name` as text, if it is UTF-8.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.part(name).and_then(MultipartPart::text)
    }
}

/// Reads a `multipart/form-data` body and checks it against its schema, collecting
/// every error: each part's text is read per its field's shape (repeated parts for
/// arrays, JSON text for objects; file contents as text, lossily), as for a form.
pub async fn multipart_body(
    headers: &HeaderMap,
    body: &Bytes,
    presence: Presence,
    form: &Form,
    check: Option<Check>,
    errors: &mut Vec<ValidationError>,
) -> Option<Multipart> {
    let required = presence == Presence::Required;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let mut params = content_type.split(';');
    let essence = params.next().unwrap_or_default().trim().to_ascii_lowercase();
    if body.is_empty() {
        if required {
            errors.push(error("body", "required", "a request body is required"));
        }
        return None;
    }
    if essence != "multipart/form-data" {
        errors.push(error("body", "contentType", "must be sent with Content-Type: multipart/form-data"));
        return None;
    }
    let boundary = params.find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim().eq_ignore_ascii_case("boundary").then(|| value.trim().trim_matches('"').to_string())
    });
    let Some(boundary) = boundary.filter(|b| !b.is_empty() && b.len() <= 70) else {
        errors.push(error(
            "body",
            "contentType",
            "multipart/form-data needs a boundary parameter of 1 to 70 characters",
        ));
        return None;
    };
    let parts = match parse_multipart(body, &boundary).await {
        Ok(parts) => parts,
        Err(message) => {
            errors.push(error("body", "multipart", &format!("is not valid multipart/form-data: {message}")));
            return None;
        }
    };
    let pairs =
        parts.iter().map(|part| (part.name.clone(), String::from_utf8_lossy(&part.data).into_owned())).collect();
    decode_fields(&Query { pairs }, form, check, errors)?;
    Some(Multipart { parts })
}

/// Splits a complete multipart body into its parts. multer finds the parts and their headers;
/// the names come from our own reading of `Content-Disposition` ([`disposition_params`]),
/// which multer's does not match (see ARCHITECTURE.md).
async fn parse_multipart(body: &Bytes, boundary: &str) -> Result<Vec<MultipartPart>, String> {
    // The body is already read: one chunk, so no poll below ever waits.
    let chunk: Result<Bytes, std::convert::Infallible> = Ok(body.clone());
    let mut reader = multer::Multipart::new(futures_util::stream::iter([chunk]), boundary);
    let mut parts = Vec::new();
    while let Some(field) = reader.next_field().await.map_err(|err| err.to_string())? {
        let text = |name: header::HeaderName| {
            let value = field.headers().get(name).map(|value| std::str::from_utf8(value.as_bytes()));
            value.transpose().map_err(|_| "a part's headers are not UTF-8".to_string())
        };
        let (mut name, mut file_name) = (None, None);
        if let Some(disposition) = text(header::CONTENT_DISPOSITION)? {
            for (param, value) in disposition_params(disposition)? {
                match param.to_ascii_lowercase().as_str() {
                    "name" => name = Some(value),
                    "filename" => file_name = Some(value),
                    _ => {}
                }
            }
        }
        let content_type = text(header::CONTENT_TYPE)?.map(|value| value.trim().to_string());
        let name = name.filter(|name| !name.is_empty()).ok_or("a part has no Content-Disposition name")?;
        let data = field.bytes().await.map_err(|err| err.to_string())?;
        parts.push(MultipartPart { name, file_name, content_type, data });
    }
    Ok(parts)
}

/// The `key=value` parameters of a `Content-Disposition` value (`form-data; name="a"`).
/// A quoted value may contain `;`; in it `\"` and `\\` stand for `"` and `\` (RFC 2616)
/// and `%22`, `%0D`, `%0A` for `"`, CR and LF (what browsers write). Parameters without a
/// value are skipped.
fn disposition_params(value: &str) -> Result<Vec<(String, String)>, String> {
    let mut params = Vec::new();
    let mut rest = value.split_once(';').map(|(_, rest)| rest).unwrap_or_default();
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        if rest.is_empty() {
            return Ok(params);
        }
        let key_end = rest.find(['=', ';']).unwrap_or(rest.len());
        let key = rest.get(..key_end).unwrap_or_default().trim().to_string();
        rest = rest.get(key_end..).unwrap_or_default();
        let Some(after) = rest.strip_prefix('=') else { continue };
        let after = after.trim_start();
        let text = if let Some(quoted) = after.strip_prefix('"') {
            let mut text = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut end = None;
            while let Some((index, c)) = chars.next() {
                match c {
                    '\\' if matches!(chars.peek(), Some((_, '"' | '\\'))) => {
                        text.extend(chars.next().map(|(_, escaped)| escaped))
                    }
                    '"' => {
                        end = Some(index + 1);
                        break;
                    }
                    other => text.push(other),
                }
            }
            let end = end.ok_or_else(|| format!("the quoted `{key}` parameter does not end"))?;
            rest = quoted.get(end..).unwrap_or_default();
            text
        } else {
            let end = after.find(';').unwrap_or(after.len());
            rest = after.get(end..).unwrap_or_default();
            after.get(..end).unwrap_or_default().trim().to_string()
        };
        let text = text.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
        params.push((key, text));
    }
}
