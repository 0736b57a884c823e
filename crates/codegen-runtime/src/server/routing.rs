//! Routing: the spec's path templates matched against a request's method and path.
//!
//! axum's router (matchit) cannot route templates such as `/{id}.json`, where a parameter
//! shares its segment with literal text, so the generated server routes with these.

use axum::http::Method;

/// One piece of a path template.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    /// Literal text.
    Literal(&'static str),
    /// A parameter: one or more characters, never `/`.
    Param,
}

/// One operation's method and path template. `Op` names the operations (the generated
/// server's `Operation` enum).
#[derive(Debug)]
pub struct Route<Op: 'static> {
    /// The HTTP method.
    pub method: Method,
    /// The path template.
    pub parts: &'static [Part],
    /// Which operation it is.
    pub operation: Op,
}

/// What a request path and method select.
pub enum Found<Op> {
    /// An operation with its decoded path parameters, in template order.
    Operation(Op, Vec<String>),
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
pub fn find<Op: Copy>(routes: &[Route<Op>], method: &Method, path: &str) -> Found<Op> {
    let mut allowed: Vec<&'static str> = Vec::new();
    // The most specific template that matches the path decides, as OpenAPI asks:
    // concrete paths match before templated ones, so `PATCH /token.json` is a 405
    // when only `POST /token.json` exists, even though `/{id}.json` would match.
    let mut template: Option<&'static [Part]> = None;
    // HEAD is answered by the GET operation of the path unless the spec has a HEAD one.
    let mut get_for_head: Option<(Op, Vec<String>)> = None;
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
    if allowed.is_empty() {
        Found::NotFound
    } else {
        Found::MethodNotAllowed(allowed)
    }
}

fn found<Op>(operation: Op, params: &[String]) -> Found<Op> {
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

/// Decodes `%XX` escapes; `None` when an escape is broken (`%`, then anything but two hex
/// digits) or the result is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    // percent-encoding passes broken escapes through as text, as the URL standard does; a
    // path parameter with one is refused instead, so it is looked for first.
    let bytes = text.as_bytes();
    let broken = bytes.iter().enumerate().any(|(index, byte)| {
        *byte == b'%' && !bytes.get(index + 1..index + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if broken {
        return None;
    }
    percent_encoding::percent_decode_str(text).decode_utf8().ok().map(|text| text.into_owned())
}
