//! The `support` module of generated client crates: the client, its builder, errors and
//! parameter serialization. The same for every spec.
//!
//! Rendered once, when the generator is built (`build.rs`), into the generated crate's own file;
//! it only uses `proc_macro2` and `quote` so the build script can include it.

use proc_macro2::TokenStream;
use quote::quote;

/// The module's items. Its doc: The client, its builder, errors and the serialization helpers the methods use.
pub fn tokens() -> TokenStream {
    quote! {
        use super::{Direction, ValidationErrors};
        use serde_json::Value;
        use std::time::Duration;

        /// Something went wrong sending a request or reading its response.
        #[derive(Debug)]
        pub enum Error {
            /// The request breaks the spec (request validation is on); nothing was sent.
            Validation(ValidationErrors),
            /// The request could not be sent or the response not read.
            Request(reqwest::Error),
            /// The server answered a status the spec does not document for this operation.
            UnexpectedStatus {
                /// The status.
                status: u16,
                /// The raw body.
                body: String,
            },
            /// The body does not match the documented schema for its status.
            Decode {
                /// The status.
                status: u16,
                /// The raw body.
                body: String,
                /// What did not match.
                message: String,
            },
            /// A value could not be serialized, or a header or URL could not be built.
            Invalid(String),
        }

        impl std::fmt::Display for Error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Error::Validation(errors) => write!(f, "the request breaks the spec: {errors}"),
                    Error::Request(err) => write!(f, "request failed: {err}"),
                    Error::UnexpectedStatus { status, body } => write!(f, "undocumented status {status}: {body}"),
                    Error::Decode { status, message, .. } => write!(f, "status {status}: the body does not match its schema: {message}"),
                    Error::Invalid(message) => write!(f, "invalid request: {message}"),
                }
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Error::Validation(errors) => Some(errors),
                    Error::Request(err) => Some(err),
                    _ => None,
                }
            }
        }

        impl From<reqwest::Error> for Error {
            fn from(err: reqwest::Error) -> Self {
                Error::Request(err)
            }
        }

        /// How requests are authenticated.
        #[derive(Clone)]
        enum Auth {
            Bearer(String),
            Basic(String, Option<String>),
        }

        /// A client of the API. Cheap to clone.
        #[derive(Clone)]
        pub struct Client {
            base_url: String,
            http: reqwest::Client,
            auth: Option<Auth>,
            validate: bool,
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // Credentials are never printed.
                f.debug_struct("Client").field("base_url", &self.base_url).field("validate", &self.validate).finish()
            }
        }

        impl Client {
            /// A client for `base_url` (e.g. `https://yourcompany.teamwork.com`), without
            /// credentials, with request validation off.
            pub fn new(base_url: &str) -> Client {
                Client { base_url: base_url.trim_end_matches('/').to_string(), http: reqwest::Client::new(), auth: None, validate: false }
            }

            /// A builder for credentials, timeouts, extra headers and more.
            pub fn builder(base_url: &str) -> ClientBuilder {
                ClientBuilder {
                    base_url: base_url.trim_end_matches('/').to_string(),
                    auth: None,
                    timeout: None,
                    headers: Vec::new(),
                    http: None,
                    validate: false,
                }
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            pub(crate) fn http(&self) -> &reqwest::Client {
                &self.http
            }

            /// The check to run on a request value, when request validation is on.
            #[allow(dead_code)]
            pub(crate) fn check(&self, check: Check) -> Option<Check> {
                self.validate.then_some(check)
            }

            pub(crate) fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
                match &self.auth {
                    Some(Auth::Bearer(token)) => request.bearer_auth(token),
                    Some(Auth::Basic(user, password)) => request.basic_auth(user, password.as_ref()),
                    None => request,
                }
            }
        }

        /// Builds a [`Client`].
        pub struct ClientBuilder {
            base_url: String,
            auth: Option<Auth>,
            timeout: Option<Duration>,
            headers: Vec<(String, String)>,
            http: Option<reqwest::Client>,
            validate: bool,
        }

        impl ClientBuilder {
            /// Sends `Authorization: Bearer <token>` (an API key or an OAuth access token).
            pub fn bearer_token(mut self, token: &str) -> Self {
                self.auth = Some(Auth::Bearer(token.to_string()));
                self
            }

            /// Sends HTTP basic credentials.
            pub fn basic_auth(mut self, user: &str, password: Option<&str>) -> Self {
                self.auth = Some(Auth::Basic(user.to_string(), password.map(str::to_string)));
                self
            }

            /// Sends an API key as the basic user name (no password).
            pub fn basic_api_key(self, key: &str) -> Self {
                self.basic_auth(key, None)
            }

            /// A timeout for each whole request (ignored with [`Self::http_client`], whose own
            /// settings apply).
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            /// A header sent with every request.
            pub fn header(mut self, name: &str, value: &str) -> Self {
                self.headers.push((name.to_string(), value.to_string()));
                self
            }

            /// Uses this `reqwest::Client` (its settings, pool and TLS) instead of a new one.
            pub fn http_client(mut self, http: reqwest::Client) -> Self {
                self.http = Some(http);
                self
            }

            /// Checks every request against the spec before sending it; a request that breaks
            /// it fails with [`Error::Validation`] and is not sent.
            pub fn validate_requests(mut self, validate: bool) -> Self {
                self.validate = validate;
                self
            }

            /// Builds the client.
            pub fn build(self) -> Result<Client, Error> {
                let http = match self.http {
                    Some(http) => http,
                    None => {
                        let mut headers = reqwest::header::HeaderMap::new();
                        for (name, value) in &self.headers {
                            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| Error::Invalid(e.to_string()))?;
                            let value = reqwest::header::HeaderValue::from_str(value).map_err(|e| Error::Invalid(e.to_string()))?;
                            headers.append(name, value);
                        }
                        let mut builder = reqwest::Client::builder().default_headers(headers);
                        if let Some(timeout) = self.timeout {
                            builder = builder.timeout(timeout);
                        }
                        builder.build()?
                    }
                };
                Ok(Client { base_url: self.base_url, http, auth: self.auth, validate: self.validate })
            }
        }

        /// A parameter's `style` and `explode`.
        #[derive(Debug, Clone, Copy)]
        pub struct Style {
            /// The style.
            pub kind: StyleKind,
            /// Whether arrays and objects are exploded.
            pub explode: bool,
        }

        impl Style {
            /// `form`, exploded: the default of query and cookie parameters and form fields.
            pub const FORM: Style = Style { kind: StyleKind::Form, explode: true };
            /// `simple`, not exploded: the default of path and header parameters.
            pub const SIMPLE: Style = Style { kind: StyleKind::Simple, explode: false };
        }

        /// `style` values.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum StyleKind {
            /// `simple`
            Simple,
            /// `label`
            Label,
            /// `matrix`
            Matrix,
            /// `form`
            Form,
            /// `spaceDelimited`
            SpaceDelimited,
            /// `pipeDelimited`
            PipeDelimited,
            /// `deepObject`
            DeepObject,
        }

        /// Any serializable value as JSON.
        fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
            serde_json::to_value(value).map_err(|e| Error::Invalid(e.to_string()))
        }

        /// JSON text of a body.
        fn to_bytes(value: &Value) -> Result<Vec<u8>, Error> {
            serde_json::to_vec(value).map_err(|e| Error::Invalid(e.to_string()))
        }

        /// A generated check of one parameter or body.
        pub type Check = fn(&Value, Direction) -> Result<(), ValidationErrors>;

        /// Runs a generated check on a request value, naming errors after the parameter.
        fn run_check(check: Option<Check>, value: &Value, name: &str) -> Result<(), Error> {
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
                self.parts.push(MultipartPart { name: name.to_string(), file_name: None, content_type: None, data: value.into() });
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
                    let clashes = self.parts.iter().any(|part| {
                        part.data.windows(candidate.len()).any(|window| window == candidate.as_bytes())
                    });
                    if !clashes {
                        break candidate;
                    }
                    attempt += 1;
                };
                // Quotes and line breaks in names are percent-encoded, as browsers do; a backslash
                // is escaped, as in an RFC 2616 quoted string, so that it reaches the server as sent.
                let quoted = |text: &str| {
                    text.replace('\\', "\\\\").replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
                };
                let mut body = Vec::new();
                for part in &self.parts {
                    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quoted(&part.name)).as_bytes());
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
                style: Style,
                json: bool,
                check: Option<Check>,
            ) -> Result<(), Error> {
                let Some(value) = value else { return Ok(()) };
                let value = to_json(value)?;
                run_check(check, &value, name)?;
                match location {
                    Location::Query => push_query(&mut self.query, name, &value, style, json),
                    Location::Header => self.headers.push((name, header_text(&value, json))),
                    Location::Cookie => self.cookies.push(format!("{name}={}", header_text(&value, json))),
                }
                Ok(())
            }

            /// Puts the collected parameters on a request.
            pub fn apply(&self, mut request: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, Error> {
                if !self.query.is_empty() {
                    request = request.query(&self.query);
                }
                for (name, value) in &self.headers {
                    let value = reqwest::header::HeaderValue::from_str(value).map_err(|e| Error::Invalid(format!("header {name}: {e}")))?;
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

        /// Percent-encodes one path segment's worth of text.
        fn encode_segment(text: &str) -> String {
            let mut out = String::with_capacity(text.len());
            for byte in text.bytes() {
                if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
                    out.push(byte as char);
                } else {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            out
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
        fn push_query(query: &mut Vec<(String, String)>, name: &str, value: &Value, style: Style, json: bool) {
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

        /// Decodes a JSON body into its documented type.
        pub fn decode_json<T: serde::de::DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T, Error> {
            serde_json::from_slice(bytes).map_err(|err| Error::Decode {
                status,
                body: String::from_utf8_lossy(bytes).into_owned(),
                message: err.to_string(),
            })
        }
    }
}
