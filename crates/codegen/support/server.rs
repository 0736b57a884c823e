//! The `support` module of generated server crates: routing, parameter decoding,
//! authentication, body reading and response building. The same for every spec.
//!
//! Rendered once, when the generator is built (`build.rs`), into the generated crate's own file;
//! it only uses `proc_macro2` and `quote` so the build script can include it.

use proc_macro2::TokenStream;
use quote::quote;

/// The module's items. Its doc: Routing, decoding and response helpers the generated handlers use.
pub fn tokens() -> TokenStream {
    quote! {
        use super::{Direction, ValidationError, ValidationErrors};
        use axum::body::Bytes;
        use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
        use axum::response::{IntoResponse, Response};
        use base64::Engine as _;
        use serde_json::{Map, Value};

        /// A generated check of one parameter or body.
        pub type Check = fn(&Value, Direction) -> Result<(), ValidationErrors>;

        /// One piece of a path template.
        #[derive(Debug, Clone, Copy)]
        pub enum Part {
            /// Literal text.
            Literal(&'static str),
            /// A parameter: one or more characters, never `/`.
            Param,
        }

        /// One operation's method and path template.
        #[derive(Debug)]
        pub struct Route {
            /// The HTTP method.
            pub method: Method,
            /// The path template.
            pub parts: &'static [Part],
            /// Which operation it is.
            pub operation: usize,
        }

        /// What a request path and method select.
        pub enum Found {
            /// An operation with its decoded path parameters, in template order.
            Operation(usize, Vec<String>),
            /// The path exists with other methods.
            MethodNotAllowed(Vec<&'static str>),
            /// No operation has this path.
            NotFound,
            /// A path parameter is not valid percent-encoded UTF-8.
            BadPath,
        }

        fn match_parts(parts: &[Part], path: &str, out: &mut Vec<String>) -> bool {
            match parts.split_first() {
                None => path.is_empty(),
                Some((Part::Literal(text), rest)) => {
                    path.strip_prefix(text).is_some_and(|remaining| match_parts(rest, remaining, out))
                }
                Some((Part::Param, rest)) => {
                    let segment_end = path.find('/').unwrap_or(path.len());
                    let ends: Vec<usize> = path[..segment_end].char_indices().map(|(i, c)| i + c.len_utf8()).collect();
                    for &end in ends.iter().rev() {
                        out.push(path[..end].to_string());
                        if match_parts(rest, &path[end..], out) {
                            return true;
                        }
                        out.pop();
                    }
                    false
                }
            }
        }

        /// Finds the operation for a method and path. Routes are ordered most literal text
        /// first, so a literal segment wins over a parameter in the same place.
        pub fn find(routes: &[Route], method: &Method, path: &str) -> Found {
            let mut allowed: Vec<&'static str> = Vec::new();
            // The most specific template that matches the path decides, as OpenAPI asks:
            // concrete paths match before templated ones, so `PATCH /token.json` is a 405
            // when only `POST /token.json` exists, even though `/{id}.json` would match.
            let mut template: Option<&'static [Part]> = None;
            // HEAD is answered by the GET operation of the path unless the spec has a HEAD one.
            let mut get_for_head: Option<(usize, Vec<String>)> = None;
            for route in routes {
                if let Some(template) = template {
                    if !same_template(template, route.parts) {
                        continue;
                    }
                }
                let mut params = Vec::new();
                if !match_parts(route.parts, path, &mut params) {
                    continue;
                }
                template = Some(route.parts);
                if route.method == *method {
                    return found(route.operation, &params);
                }
                if *method == Method::HEAD && route.method == Method::GET && get_for_head.is_none() {
                    get_for_head = Some((route.operation, params.clone()));
                }
                let name = route.method.as_str();
                let name: &'static str = match name {
                    "GET" => "GET",
                    "PUT" => "PUT",
                    "POST" => "POST",
                    "DELETE" => "DELETE",
                    "OPTIONS" => "OPTIONS",
                    "HEAD" => "HEAD",
                    "PATCH" => "PATCH",
                    _ => "TRACE",
                };
                if !allowed.contains(&name) {
                    allowed.push(name);
                }
            }
            if let Some((operation, params)) = get_for_head {
                return found(operation, &params);
            }
            if allowed.contains(&"GET") && !allowed.contains(&"HEAD") {
                allowed.push("HEAD");
            }
            if allowed.is_empty() { Found::NotFound } else { Found::MethodNotAllowed(allowed) }
        }

        fn found(operation: usize, params: &[String]) -> Found {
            let mut decoded = Vec::with_capacity(params.len());
            for param in params {
                match percent_decode(param) {
                    Some(text) => decoded.push(text),
                    None => return Found::BadPath,
                }
            }
            Found::Operation(operation, decoded)
        }

        fn same_template(a: &[Part], b: &[Part]) -> bool {
            a.len() == b.len()
                && a.iter().zip(b).all(|pair| match pair {
                    (Part::Literal(x), Part::Literal(y)) => x == y,
                    (Part::Param, Part::Param) => true,
                    _ => false,
                })
        }

        /// Decodes `%XX` escapes; `None` when the result is not UTF-8 or an escape is broken.
        pub fn percent_decode(text: &str) -> Option<String> {
            if !text.contains('%') {
                return Some(text.to_string());
            }
            let bytes = text.as_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut index = 0;
            while index < bytes.len() {
                if bytes[index] == b'%' {
                    let hex = text.get(index + 1..index + 3)?;
                    out.push(u8::from_str_radix(hex, 16).ok()?);
                    index += 3;
                } else {
                    out.push(bytes[index]);
                    index += 1;
                }
            }
            String::from_utf8(out).ok()
        }

        /// One error, for the server's own answers.
        pub fn single(field: &str, keyword: &'static str, message: &str) -> ValidationErrors {
            ValidationErrors(vec![error(field, keyword, message)])
        }

        fn error(field: &str, keyword: &'static str, message: &str) -> ValidationError {
            ValidationError {
                path: field.to_string(),
                pointer: format!("/{}", field.replace('~', "~0").replace('/', "~1")),
                keyword,
                message: message.to_string(),
            }
        }

        /// Why a body could not be read.
        pub enum BodyError {
            /// Larger than the configured limit.
            TooLarge,
            /// The connection failed while reading.
            Unreadable,
        }

        /// Reads the whole body, refusing more than `limit` bytes.
        pub async fn read_body(body: axum::body::Body, headers: &HeaderMap, limit: usize) -> Result<Bytes, BodyError> {
            let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
            if declared.is_some_and(|length| length > limit as u64) {
                return Err(BodyError::TooLarge);
            }
            use http_body_util::BodyExt as _;
            match http_body_util::Limited::new(body, limit).collect().await {
                Ok(collected) => Ok(collected.to_bytes()),
                Err(err) if err.downcast_ref::<http_body_util::LengthLimitError>().is_some() => Err(BodyError::TooLarge),
                Err(_) => Err(BodyError::Unreadable),
            }
        }

        /// Adds the `WWW-Authenticate` challenge to a 401 that has none.
        pub fn challenge(response: &mut Response, challenge: &'static str) {
            if response.status() == StatusCode::UNAUTHORIZED && !response.headers().contains_key(header::WWW_AUTHENTICATE) {
                response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
            }
        }

        /// A JSON response.
        pub fn json_response<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
            match serde_json::to_vec(body) {
                Ok(bytes) => (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes).into_response(),
                Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }

        /// A response with a raw body of a fixed media type.
        pub fn bytes_response(status: StatusCode, media_type: &'static str, body: Bytes) -> Response {
            (status, [(header::CONTENT_TYPE, HeaderValue::from_static(media_type))], body).into_response()
        }

        /// Adds a declared response header (strings as they are, other values as JSON text).
        pub fn add_header<T: serde::Serialize>(response: &mut Response, name: &'static str, value: Option<&T>) {
            let Some(value) = value else { return };
            let text = match serde_json::to_value(value) {
                Ok(Value::String(text)) => text,
                Ok(other) => other.to_string(),
                Err(_) => return,
            };
            if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&text)) {
                response.headers_mut().insert(name, value);
            }
        }

        /// The JSON type a parameter value is read as.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Scalar {
            /// Kept as text.
            String,
            /// Parsed as a JSON integer when it is one.
            Integer,
            /// Parsed as a JSON number when it is one.
            Number,
            /// `true` or `false`.
            Boolean,
            /// Any JSON (an object or array item, a `oneOf` value) when the text is JSON;
            /// otherwise kept as text.
            Json,
        }

        /// The shape of a parameter.
        #[derive(Debug, Clone, Copy)]
        pub enum Shape {
            /// One value.
            Scalar(Scalar),
            /// A list of values.
            Array(Scalar),
            /// An object, with its property types.
            Object(&'static [(&'static str, Scalar)]),
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

        /// Reads text as the JSON type the schema asks for; text that does not parse stays a
        /// string, so validation reports it with the schema's own message.
        pub fn coerce(text: &str, kind: Scalar) -> Value {
            match kind {
                Scalar::String => Value::String(text.to_string()),
                Scalar::Integer => text
                    .parse::<i64>()
                    .map(Value::from)
                    .or_else(|_| text.parse::<u64>().map(Value::from))
                    .unwrap_or_else(|_| Value::String(text.to_string())),
                Scalar::Number => text
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or_else(|| Value::String(text.to_string())),
                Scalar::Boolean => match text {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::String(text.to_string()),
                },
                Scalar::Json => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string())),
            }
        }

        fn object_kind(properties: &[(&'static str, Scalar)], key: &str) -> Scalar {
            properties.iter().find(|(name, _)| *name == key).map(|(_, kind)| *kind).unwrap_or(Scalar::String)
        }

        fn split_object(properties: &[(&'static str, Scalar)], text: &str, separator: char, pairs: bool) -> Value {
            let mut map = Map::new();
            if pairs {
                for item in text.split(separator) {
                    let (key, value) = item.split_once('=').unwrap_or((item, ""));
                    map.insert(key.to_string(), coerce(value, object_kind(properties, key)));
                }
            } else {
                let items: Vec<&str> = text.split(separator).collect();
                for chunk in items.chunks(2) {
                    let value = chunk.get(1).copied().unwrap_or("");
                    map.insert(chunk[0].to_string(), coerce(value, object_kind(properties, chunk[0])));
                }
            }
            Value::Object(map)
        }

        /// A path parameter (already percent-decoded) as JSON.
        pub fn decode_path(text: &str, name: &str, shape: Shape, style: Style) -> Value {
            let text = match style.kind {
                StyleKind::Label => text.strip_prefix('.').unwrap_or(text),
                StyleKind::Matrix => text.strip_prefix(&format!(";{name}=")).unwrap_or(text),
                _ => text,
            };
            let separator = match (style.kind, style.explode) {
                (StyleKind::Label, true) => '.',
                (StyleKind::Matrix, true) => ';',
                _ => ',',
            };
            match shape {
                Shape::Scalar(kind) => coerce(text, kind),
                Shape::Array(kind) => {
                    let prefix = format!("{name}=");
                    Value::Array(text.split(separator).map(|item| coerce(item.strip_prefix(&prefix).unwrap_or(item), kind)).collect())
                }
                Shape::Object(properties) => split_object(properties, text, separator, style.explode),
            }
        }

        /// A header parameter as JSON.
        pub fn decode_header(headers: &HeaderMap, name: &str, shape: Shape) -> Option<Value> {
            let text = headers.get(name)?.to_str().unwrap_or_default().trim();
            Some(match shape {
                Shape::Scalar(kind) => coerce(text, kind),
                Shape::Array(kind) => Value::Array(text.split(',').map(|item| coerce(item.trim(), kind)).collect()),
                Shape::Object(properties) => split_object(properties, text, ',', text.contains('=')),
            })
        }

        /// A cookie parameter as JSON.
        pub fn decode_cookie(headers: &HeaderMap, name: &str, shape: Shape) -> Option<Value> {
            let text = cookie(headers, name)?;
            Some(match shape {
                Shape::Scalar(kind) => coerce(&text, kind),
                Shape::Array(kind) => Value::Array(text.split(',').map(|item| coerce(item, kind)).collect()),
                Shape::Object(properties) => split_object(properties, &text, ',', false),
            })
        }

        /// A parameter sent as JSON text (`content: application/json`).
        pub fn json_text(text: &str, name: &str, errors: &mut Vec<ValidationError>) -> Option<Value> {
            match serde_json::from_str(text) {
                Ok(value) => Some(value),
                Err(err) => {
                    errors.push(error(name, "json", &format!("is not valid JSON: {err}")));
                    None
                }
            }
        }

        /// A JSON header parameter.
        pub fn header_json(headers: &HeaderMap, name: &str, errors: &mut Vec<ValidationError>) -> Option<Value> {
            let text = headers.get(name)?.to_str().unwrap_or_default();
            json_text(text, name, errors)
        }

        /// A JSON cookie parameter.
        pub fn cookie_json(headers: &HeaderMap, name: &str, errors: &mut Vec<ValidationError>) -> Option<Value> {
            let text = cookie(headers, name)?;
            json_text(&text, name, errors)
        }

        fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
            headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                (key == name).then(|| value.to_string())
            })
        }

        /// The decoded query string.
        pub struct Query {
            pairs: Vec<(String, String)>,
        }

        impl Query {
            /// Parses `a=1&b=2` (form encoding: `+` is a space).
            pub fn parse(query: Option<&str>) -> Query {
                let pairs = form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect();
                Query { pairs }
            }

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
            pub fn reject_unknown(&self, known: &[(&str, bool)], errors: &mut Vec<ValidationError>) {
                for (key, _) in &self.pairs {
                    // A deepObject parameter is read from `name[key]` only; a bare `name` would be
                    // dropped, so it is refused like an unknown parameter.
                    let declared = known.iter().any(|(name, deep)| {
                        if *deep {
                            key.strip_prefix(name).is_some_and(|rest| rest.starts_with('[') && rest.ends_with(']'))
                        } else {
                            key == name
                        }
                    });
                    if !declared && !errors.iter().any(|e| &e.path == key) {
                        errors.push(error(key, "parameter", "is not a parameter of this operation"));
                    }
                }
            }

            /// A query parameter as JSON, per its style.
            pub fn decode(&self, name: &str, shape: Shape, style: Style, errors: &mut Vec<ValidationError>) -> Option<Value> {
                match shape {
                    Shape::Object(properties) if style.kind == StyleKind::DeepObject => {
                        let mut map = Map::new();
                        for (key, value) in &self.pairs {
                            let Some(property) = key.strip_prefix(name).and_then(|r| r.strip_prefix('[')).and_then(|r| r.strip_suffix(']')) else {
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
                        let values = if style.kind == StyleKind::DeepObject { self.indexed_values(name) } else { self.values(name) };
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

            fn first(&self, name: &str) -> Option<&str> {
                self.values(name).into_iter().next()
            }
        }

        /// Validates and converts one decoded parameter, collecting errors under its name.
        pub fn param<T: serde::de::DeserializeOwned>(
            raw: Option<Value>,
            name: &str,
            required: bool,
            check: Check,
            errors: &mut Vec<ValidationError>,
        ) -> Option<T> {
            let Some(value) = raw else {
                if required {
                    errors.push(error(name, "required", "must be set"));
                }
                return None;
            };
            if let Err(found) = check(&value, Direction::Request) {
                errors.extend(found.0.into_iter().map(|e| prefixed(name, e)));
                return None;
            }
            match serde_json::from_value(value) {
                Ok(typed) => Some(typed),
                Err(err) => {
                    errors.push(error(name, "type", &err.to_string()));
                    None
                }
            }
        }

        fn prefixed(name: &str, error: ValidationError) -> ValidationError {
            let path = if error.path.is_empty() {
                name.to_string()
            } else if error.path.starts_with('[') {
                format!("{name}{}", error.path)
            } else {
                format!("{name}.{}", error.path)
            };
            ValidationError { path, pointer: format!("/{name}{}", error.pointer), ..error }
        }

        /// The essence of the request's `Content-Type` (`application/json`), lowercased.
        fn content_type(headers: &HeaderMap) -> Option<String> {
            let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
            Some(content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        }

        fn is_json_type(essence: &str) -> bool {
            essence == "application/json" || essence.ends_with("+json")
        }

        /// Reads, validates and converts a JSON request body, collecting every error.
        pub fn json_body<T: serde::de::DeserializeOwned>(
            headers: &HeaderMap,
            body: &Bytes,
            required: bool,
            check: Option<Check>,
            errors: &mut Vec<ValidationError>,
        ) -> Option<T> {
            if body.is_empty() {
                if required {
                    errors.push(error("body", "required", "a JSON request body is required"));
                }
                return None;
            }
            if !content_type(headers).is_some_and(|essence| is_json_type(&essence)) {
                errors.push(error("body", "contentType", "must be sent with Content-Type: application/json"));
                return None;
            }
            let value = parse_json(body, errors)?;
            typed_value(value, check, errors)
        }

        /// Reads, validates and converts a request body sent as an HTML form
        /// (`application/x-www-form-urlencoded`) or, when `json` is set, as JSON. Form fields are
        /// read per their schema's type and `encoding` (`fields`: name, shape, style; objects are
        /// JSON text unless their style is `deepObject`); fields the schema does not declare are
        /// kept as text, so that
        /// `additionalProperties` judges them as it would in JSON.
        pub fn form_body<T: serde::de::DeserializeOwned>(
            headers: &HeaderMap,
            body: &Bytes,
            required: bool,
            json: bool,
            form: &Form,
            check: Option<Check>,
            errors: &mut Vec<ValidationError>,
        ) -> Option<T> {
            let essence = content_type(headers);
            let is_json = essence.as_deref().is_some_and(is_json_type);
            // A required body sent as an empty form is a form with no fields, not a missing body.
            let is_form = essence.as_deref() == Some("application/x-www-form-urlencoded");
            if body.is_empty() && !(is_form && required) {
                if required {
                    errors.push(error("body", "required", "a request body is required"));
                }
                return None;
            }
            let value = if is_form {
                let query = Query { pairs: form_urlencoded::parse(body).into_owned().collect() };
                // Already checked: only the conversion to the Rust type is left.
                let value = decode_fields(&query, form, check, errors)?;
                return typed_value(value, None, errors);
            } else if json && is_json {
                parse_json(body, errors)?
            } else {
                let expected = if json {
                    "must be sent with Content-Type: application/x-www-form-urlencoded or application/json"
                } else {
                    "must be sent with Content-Type: application/x-www-form-urlencoded"
                };
                errors.push(error("body", "contentType", expected));
                return None;
            };
            typed_value(value, check, errors)
        }

        /// The fields of a form's schema: each declared one with its shape and `encoding`, and
        /// how undeclared ones are read (per `additionalProperties`).
        #[derive(Debug, Clone, Copy)]
        pub struct Form {
            /// (name, shape, style) of each declared field.
            pub fields: &'static [(&'static str, Shape, Style)],
            /// How the value of an undeclared field is read.
            pub other: Scalar,
        }

        /// `name`, `name[]` or `name[<digits>]`.
        fn is_indexed(key: &str, name: &str) -> bool {
            match key.strip_prefix(name) {
                Some("") | Some("[]") => true,
                Some(rest) => rest
                    .strip_prefix('[')
                    .and_then(|rest| rest.strip_suffix(']'))
                    .is_some_and(|index| index.bytes().all(|b| b.is_ascii_digit())),
                None => false,
            }
        }

        /// Form fields (name, text) as a JSON object, each declared field read per its shape,
        /// then checked against the schema. A field that cannot be read (sent twice, bad JSON)
        /// is reported once, and the schema's errors about the others are reported with it.
        fn decode_fields(form: &Query, spec: &Form, check: Option<Check>, errors: &mut Vec<ValidationError>) -> Option<Value> {
            let found = errors.len();
            let mut map = Map::new();
            for (name, shape, style) in spec.fields {
                let value = match shape {
                    Shape::Object(_) if style.kind != StyleKind::DeepObject => form.decode_json(name, errors),
                    _ => form.decode(name, *shape, *style, errors),
                };
                if let Some(value) = value {
                    map.insert((*name).to_string(), value);
                }
            }
            // The keys each field is read from; any other key is undeclared.
            let declared = |key: &str| {
                spec.fields.iter().any(|(name, shape, style)| match (shape, style.kind) {
                    (Shape::Object(_), StyleKind::DeepObject) => {
                        key.strip_prefix(name).is_some_and(|rest| rest.starts_with('[') && rest.ends_with(']'))
                    }
                    (Shape::Array(_), StyleKind::DeepObject) => is_indexed(key, name),
                    _ => key == *name,
                })
            };
            for (key, text) in &form.pairs {
                if declared(key) {
                    continue;
                }
                let value = coerce(text, spec.other);
                match map.get_mut(key) {
                    Some(Value::Array(items)) => items.push(value),
                    Some(first) => *first = Value::Array(vec![first.take(), value]),
                    None => {
                        map.insert(key.clone(), value);
                    }
                }
            }
            let unreadable: Vec<String> = errors.get(found..).unwrap_or_default().iter().map(|e| e.path.clone()).collect();
            let value = Value::Object(map);
            if let Some(check) = check {
                if let Err(reported) = check(&value, Direction::Request) {
                    let top = |path: &str| path.split(['.', '[']).next().unwrap_or_default().to_string();
                    errors.extend(
                        reported
                            .0
                            .into_iter()
                            .filter(|e| !unreadable.contains(&top(&e.path)))
                            .map(|e| if e.path.is_empty() { ValidationError { path: "body".into(), ..e } } else { e }),
                    );
                }
            }
            (errors.len() == found).then_some(value)
        }

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
        pub fn multipart_body(
            headers: &HeaderMap,
            body: &Bytes,
            required: bool,
            form: &Form,
            check: Option<Check>,
            errors: &mut Vec<ValidationError>,
        ) -> Option<Multipart> {
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
                errors.push(error("body", "contentType", "multipart/form-data needs a boundary parameter of 1 to 70 characters"));
                return None;
            };
            let parts = match parse_multipart(body, &boundary) {
                Ok(parts) => parts,
                Err(message) => {
                    errors.push(error("body", "multipart", &format!("is not valid multipart/form-data: {message}")));
                    return None;
                }
            };
            let pairs = parts.iter().map(|part| (part.name.clone(), String::from_utf8_lossy(&part.data).into_owned())).collect();
            decode_fields(&Query { pairs }, form, check, errors)?;
            Some(Multipart { parts })
        }

        fn find_bytes(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
            let rest = haystack.get(from..)?;
            if needle.is_empty() || rest.len() < needle.len() {
                return None;
            }
            rest.windows(needle.len()).position(|window| window == needle).map(|at| at + from)
        }

        /// Splits a complete multipart body (RFC 7578) into its parts.
        fn parse_multipart(body: &Bytes, boundary: &str) -> Result<Vec<MultipartPart>, String> {
            let delimiter = format!("--{boundary}");
            let next_delimiter = format!("\r\n--{boundary}");
            let bytes: &[u8] = body;
            // The preamble before the first delimiter is ignored.
            let mut at = if bytes.starts_with(delimiter.as_bytes()) {
                0
            } else {
                find_bytes(bytes, next_delimiter.as_bytes(), 0).map(|at| at + 2).ok_or("no opening boundary")?
            };
            let mut parts = Vec::new();
            loop {
                at += delimiter.len();
                let rest = bytes.get(at..).unwrap_or_default();
                if rest.starts_with(b"--") {
                    return Ok(parts);
                }
                let padding = rest.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
                if !rest.get(padding..).unwrap_or_default().starts_with(b"\r\n") {
                    return Err("a boundary line must end with CRLF".into());
                }
                at += padding + 2;
                let (head, data_start) = if bytes.get(at..).unwrap_or_default().starts_with(b"\r\n") {
                    ("", at + 2)
                } else {
                    let end = find_bytes(bytes, b"\r\n\r\n", at).ok_or("a part's headers do not end")?;
                    let head = std::str::from_utf8(bytes.get(at..end).unwrap_or_default()).map_err(|_| "a part's headers are not UTF-8")?;
                    (head, end + 4)
                };
                let data_end = find_bytes(bytes, next_delimiter.as_bytes(), data_start).ok_or("a part does not end with the boundary")?;
                let mut name = None;
                let mut file_name = None;
                let mut content_type = None;
                for line in head.split("\r\n") {
                    let Some((key, value)) = line.split_once(':') else {
                        return Err(format!("`{line}` is not a header"));
                    };
                    let key = key.trim();
                    if key.eq_ignore_ascii_case("content-disposition") {
                        for (param, value) in disposition_params(value)? {
                            match param.to_ascii_lowercase().as_str() {
                                "name" => name = Some(value),
                                "filename" => file_name = Some(value),
                                _ => {}
                            }
                        }
                    } else if key.eq_ignore_ascii_case("content-type") {
                        content_type = Some(value.trim().to_string());
                    }
                }
                let name = name.filter(|name| !name.is_empty()).ok_or("a part has no Content-Disposition name")?;
                parts.push(MultipartPart { name, file_name, content_type, data: body.slice(data_start..data_end) });
                at = data_end + 2;
            }
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
                            '\\' if matches!(chars.peek(), Some((_, '"' | '\\'))) => text.extend(chars.next().map(|(_, escaped)| escaped)),
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

        fn parse_json(body: &Bytes, errors: &mut Vec<ValidationError>) -> Option<Value> {
            match serde_json::from_slice(body) {
                Ok(value) => Some(value),
                Err(err) => {
                    errors.push(error("body", "json", &format!("is not valid JSON: {err}")));
                    None
                }
            }
        }

        /// Checks a decoded body against its schema; errors at the root are named `body`.
        fn checked(value: Value, check: Option<Check>, errors: &mut Vec<ValidationError>) -> Option<Value> {
            if let Some(check) = check {
                if let Err(found) = check(&value, Direction::Request) {
                    errors.extend(found.0.into_iter().map(|e| if e.path.is_empty() { ValidationError { path: "body".into(), ..e } } else { e }));
                    return None;
                }
            }
            Some(value)
        }

        /// Checks a decoded body against its schema and converts it to its Rust type.
        fn typed_value<T: serde::de::DeserializeOwned>(value: Value, check: Option<Check>, errors: &mut Vec<ValidationError>) -> Option<T> {
            let value = checked(value, check, errors)?;
            match serde_json::from_value(value) {
                Ok(typed) => Some(typed),
                Err(err) => {
                    errors.push(error("body", "type", &err.to_string()));
                    None
                }
            }
        }

        /// A non-JSON request body, passed through as bytes.
        pub fn raw_body(body: &Bytes, required: bool, errors: &mut Vec<ValidationError>) -> Option<Bytes> {
            if body.is_empty() {
                if required {
                    errors.push(error("body", "required", "a request body is required"));
                }
                return None;
            }
            Some(body.clone())
        }

        /// Operations without a request body refuse one rather than drop it.
        pub fn no_body(body: &Bytes, errors: &mut Vec<ValidationError>) {
            if !body.is_empty() {
                errors.push(error("body", "body", "this operation takes no request body"));
            }
        }

        /// Credentials found in a request. The server only checks that they are present and
        /// well formed; the implementation decides whether they are valid.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Credentials {
            /// `Authorization: Bearer <token>` (API keys and OAuth tokens).
            Bearer(String),
            /// `Authorization: Basic <base64 user:password>`.
            Basic {
                /// The user name.
                username: String,
                /// The password (empty when none was sent).
                password: String,
            },
            /// An API key from a header, query parameter or cookie.
            ApiKey {
                /// The header, parameter or cookie name.
                name: &'static str,
                /// The key.
                key: String,
            },
        }

        /// A security scheme, as the server reads it.
        #[derive(Debug, Clone, Copy)]
        pub enum Scheme {
            /// HTTP bearer (also OAuth 2 and OpenID Connect tokens).
            Bearer,
            /// HTTP basic.
            Basic,
            /// An API key header.
            ApiKeyHeader(&'static str),
            /// An API key query parameter.
            ApiKeyQuery(&'static str),
            /// An API key cookie.
            ApiKeyCookie(&'static str),
            /// An HTTP scheme this server cannot read.
            Other(&'static str),
        }

        fn authorization<'h>(headers: &'h HeaderMap, scheme: &str) -> Option<&'h str> {
            let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
            let (name, rest) = value.split_once(' ')?;
            (name.eq_ignore_ascii_case(scheme) && !rest.trim().is_empty()).then(|| rest.trim())
        }

        fn credential(headers: &HeaderMap, query: Option<&Query>, scheme: Scheme) -> Option<Credentials> {
            match scheme {
                Scheme::Bearer => authorization(headers, "Bearer").map(|token| Credentials::Bearer(token.to_string())),
                Scheme::Basic => {
                    let encoded = authorization(headers, "Basic")?;
                    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
                    let text = String::from_utf8(decoded).ok()?;
                    let (username, password) = text.split_once(':').unwrap_or((text.as_str(), ""));
                    (!username.is_empty()).then(|| Credentials::Basic { username: username.to_string(), password: password.to_string() })
                }
                Scheme::ApiKeyHeader(name) => {
                    let key = headers.get(name)?.to_str().ok()?;
                    (!key.is_empty()).then(|| Credentials::ApiKey { name, key: key.to_string() })
                }
                Scheme::ApiKeyQuery(name) => {
                    let key = query?.first(name)?;
                    (!key.is_empty()).then(|| Credentials::ApiKey { name, key: key.to_string() })
                }
                Scheme::ApiKeyCookie(name) => {
                    let key = cookie(headers, name)?;
                    (!key.is_empty()).then_some(Credentials::ApiKey { name, key })
                }
                Scheme::Other(_) => None,
            }
        }

        /// The credentials of the first security alternative the request satisfies.
        pub fn authenticate(headers: &HeaderMap, query: Option<&Query>, alternatives: &[&[Scheme]]) -> Option<Credentials> {
            alternatives.iter().filter(|schemes| !schemes.is_empty()).find_map(|schemes| {
                let found: Option<Vec<Credentials>> = schemes.iter().map(|scheme| credential(headers, query, *scheme)).collect();
                found.and_then(|list| list.into_iter().next())
            })
        }
    }
}
