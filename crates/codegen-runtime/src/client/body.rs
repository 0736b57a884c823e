//! Request bodies (JSON, HTML forms, multipart forms) and the decoding of JSON responses.

use super::params::{push_query, run_check, to_json};
use super::Error;
use crate::style::{Style, StyleKind};
use crate::validation::Check;
use serde_json::Value;

/// JSON text of a body.
fn to_bytes(value: &Value) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|e| Error::Invalid(e.to_string()))
}

/// Sets a JSON body, checked when validation is on.
pub fn json_body<T: serde::Serialize + ?Sized>(
    request: reqwest::RequestBuilder,
    media_type: &'static str,
    body: &T,
    check: Option<Check>,
) -> Result<reqwest::RequestBuilder, Error> {
    let value = to_json(body)?;
    run_check(check, &value, "body")?;
    Ok(request.header(reqwest::header::CONTENT_TYPE, media_type).body(to_bytes(&value)?))
}

/// Sets an HTML form body (`application/x-www-form-urlencoded`), checked when
/// validation is on: a field per property, written per its `encoding` (`styles` lists
/// those that are not `form`, exploded: arrays as repeated fields); objects are JSON
/// text unless their style is `deepObject`; nulls are left out.
pub fn form_body<T: serde::Serialize + ?Sized>(
    request: reqwest::RequestBuilder,
    body: &T,
    styles: &[(&str, Style)],
    check: Option<Check>,
) -> Result<reqwest::RequestBuilder, Error> {
    let value = to_json(body)?;
    run_check(check, &value, "body")?;
    let Value::Object(map) = &value else {
        return Err(Error::Invalid("a form body must be an object".to_string()));
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (name, value) in map {
        let style = styles.iter().find(|(field, _)| field == name).map(|(_, style)| *style);
        let style = style.unwrap_or(Style { kind: StyleKind::Form, explode: true });
        let json = value.is_object() && style.kind != StyleKind::DeepObject;
        if !value.is_null() {
            push_query(&mut pairs, name, value, style, json);
        }
    }
    Ok(request.form(&pairs))
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartPart {
    /// The field name.
    pub name: String,
    /// The file name, for a file upload.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, if it has one.
    pub content_type: Option<String>,
    /// The part's bytes.
    pub data: bytes::Bytes,
}

/// A `multipart/form-data` body, built part by part: text fields and files. Array
/// fields are parts repeated under one name; object fields are JSON text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    /// Every part, in the order they are sent.
    pub parts: Vec<MultipartPart>,
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Multipart {
        let value: String = value.into();
        self.parts.push(MultipartPart {
            name: name.to_string(),
            file_name: None,
            content_type: None,
            data: value.into(),
        });
        self
    }

    /// Adds a file.
    pub fn file(mut self, name: &str, file_name: &str, content_type: &str, data: impl Into<bytes::Bytes>) -> Multipart {
        self.parts.push(MultipartPart {
            name: name.to_string(),
            file_name: Some(file_name.to_string()),
            content_type: Some(content_type.to_string()),
            data: data.into(),
        });
        self
    }

    /// The body and a boundary that occurs in none of its parts.
    fn encode(&self) -> (String, Vec<u8>) {
        let mut attempt = 0u32;
        let boundary = loop {
            let candidate = format!("openapi-form-boundary-{attempt:08x}");
            let clashes = self
                .parts
                .iter()
                .any(|part| part.data.windows(candidate.len()).any(|window| window == candidate.as_bytes()));
            if !clashes {
                break candidate;
            }
            attempt += 1;
        };
        // Quotes and line breaks in names are percent-encoded, as browsers do; a backslash
        // is escaped, as in an RFC 2616 quoted string, so that it reaches the server as sent.
        let quoted =
            |text: &str| text.replace('\\', "\\\\").replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
        let mut body = Vec::new();
        for part in &self.parts {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quoted(&part.name)).as_bytes(),
            );
            if let Some(file_name) = &part.file_name {
                body.extend_from_slice(format!("; filename=\"{}\"", quoted(file_name)).as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                body.extend_from_slice(format!("Content-Type: {}\r\n", quoted(content_type)).as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (boundary, body)
    }
}

/// Sets a `multipart/form-data` body. It is not checked against its schema, even when
/// validation is on: the parts are text and bytes, not the schema's JSON values.
pub fn multipart_body(request: reqwest::RequestBuilder, body: &Multipart) -> reqwest::RequestBuilder {
    let (boundary, bytes) = body.encode();
    request.header(reqwest::header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}")).body(bytes)
}

/// Decodes a JSON body into its documented type.
pub fn decode_json<T: serde::de::DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|err| Error::Decode {
        status,
        body: String::from_utf8_lossy(bytes).into_owned(),
        message: err.to_string(),
    })
}
