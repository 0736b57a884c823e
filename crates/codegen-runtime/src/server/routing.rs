//! Routing: the spec's path templates matched against a request's method and path.
//!
//! axum's router (matchit) cannot route templates such as `/{id}.json`, where a parameter
//! shares its segment with literal text, so the generated server routes with these.

use crate::operation::Operation;
use axum::http::Method;

/// One piece of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Literal(&'static str),
    /// A parameter: one or more characters, never `/`.
    Param,
}

/// One operation's method and path template, parsed: the template's `/`-separated segments,
/// each a sequence of parts.
#[derive(Debug)]
struct Route<Op> {
    method: Method,
    segments: Vec<Vec<Part>>,
    operation: Op,
}

/// A server's routes: each operation's method and path template, parsed once when the router is
/// built, most literal text first (so `/conversations/token.json` wins over
/// `/conversations/{id}.json`), in the given order among equals. `Op` names the operations (the
/// generated server's `Operation` enum).
#[derive(Debug)]
pub struct Routes<Op> {
    routes: Vec<Route<Op>>,
}

impl<Op: Copy> Routes<Op> {
    /// The routes of `operations`: each operation with what the spec says of it (its method and
    /// path template). A method that is not an HTTP token is left out (the spec's methods always
    /// are).
    pub fn new<'a>(operations: impl IntoIterator<Item = (Op, &'a Operation)>) -> Self {
        let mut routes: Vec<Route<Op>> = operations
            .into_iter()
            .filter_map(|(operation, spec)| {
                let method = Method::from_bytes(spec.method.as_bytes()).ok()?;
                Some(Route { method, segments: segments(&template_parts(spec.route)), operation })
            })
            .collect();
        // A stable sort keeps the given order among templates with as much literal text.
        routes.sort_by_key(|route| {
            std::cmp::Reverse(route.segments.iter().map(|parts| literal_len(parts)).sum::<usize>())
        });
        Routes { routes }
    }

    /// Finds the operation for a method and path.
    pub fn find(&self, method: &Method, path: &str) -> Found<Op> {
        find(&self.routes, method, path)
    }
}

/// A path template's pieces: `/a/{b}.json` is `/a/`, a parameter, `.json`. The generator
/// checked the template, so a `{` without its `}` is read as literal text.
pub fn template_parts(template: &'static str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some((open, close)) = rest.find('{').and_then(|open| Some((open, open + rest[open..].find('}')?))) {
        if open > 0 {
            parts.push(Part::Literal(&rest[..open]));
        }
        parts.push(Part::Param);
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Literal(rest));
    }
    parts
}

fn literal_len(parts: &[Part]) -> usize {
    parts.iter().map(|part| if let Part::Literal(text) = part { text.len() } else { 0 }).sum()
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

/// A template's parts split at each `/` of its literal text: one list of parts per path segment.
fn segments(parts: &[Part]) -> Vec<Vec<Part>> {
    let mut segments = vec![Vec::new()];
    for part in parts {
        match part {
            Part::Param => segments.last_mut().expect("never empty").push(Part::Param),
            Part::Literal(text) => {
                for (index, piece) in text.split('/').enumerate() {
                    if index > 0 {
                        segments.push(Vec::new());
                    }
                    if !piece.is_empty() {
                        segments.last_mut().expect("never empty").push(Part::Literal(piece));
                    }
                }
            }
        }
    }
    segments
}

/// Matches one path segment (no `/` in it) against a template segment, pushing its parameters.
///
/// Literal text before the first parameter and after the last is anchored at the segment's
/// ends. Between parameters the match is the one a left-to-right backtracking search finds
/// (each parameter as long as the rest allows), found without backtracking: one pass from
/// the right places each separating literal as late as the parameters after it allow, which
/// is where the longest parameters before it end. Linear in the segment's length, whatever
/// it holds (a backtracking search was cubic for `/{base}...{head}` and a path of dots).
fn match_segment(parts: &[Part], text: &str, out: &mut Vec<String>) -> bool {
    let Some(first) = parts.iter().position(|part| *part == Part::Param) else {
        // Literal text only (`template_parts` joins adjacent literal text: one part at most).
        return match parts {
            [] => text.is_empty(),
            [Part::Literal(literal)] => *literal == text,
            _ => false,
        };
    };
    let last = parts.iter().rposition(|part| *part == Part::Param).unwrap_or(first);
    let mut middle = text;
    for part in &parts[..first] {
        let Part::Literal(literal) = part else { return false };
        let Some(rest) = middle.strip_prefix(literal) else { return false };
        middle = rest;
    }
    for part in parts[last + 1..].iter().rev() {
        let Part::Literal(literal) = part else { return false };
        let Some(rest) = middle.strip_suffix(literal) else { return false };
        middle = rest;
    }
    // The literal between each two parameters (empty when they are adjacent).
    let mut separators: Vec<&str> = Vec::new();
    let mut pending = "";
    for part in &parts[first + 1..=last] {
        match part {
            Part::Literal(literal) => pending = literal,
            Part::Param => separators.push(std::mem::take(&mut pending)),
        }
    }
    // From the right: where each separator starts, leaving at least one character to the
    // parameter after it.
    let mut starts = vec![0; separators.len()];
    let mut bound = middle.len();
    for (index, separator) in separators.iter().enumerate().rev() {
        let Some((before_last_char, _)) = middle[..bound].char_indices().next_back() else { return false };
        let Some(start) = middle[..before_last_char].rfind(separator) else { return false };
        starts[index] = start;
        bound = start;
    }
    if bound == 0 {
        // The first parameter would be empty.
        return false;
    }
    let mut from = 0;
    for (start, separator) in starts.iter().zip(&separators) {
        out.push(middle[from..*start].to_string());
        from = start + separator.len();
    }
    out.push(middle[from..].to_string());
    true
}

/// Matches a path (its `/`-separated segments) against a template's segments.
fn match_segments(template: &[Vec<Part>], path: &[&str], out: &mut Vec<String>) -> bool {
    template.len() == path.len() && template.iter().zip(path).all(|(parts, text)| match_segment(parts, text, out))
}

fn find<Op: Copy>(routes: &[Route<Op>], method: &Method, path: &str) -> Found<Op> {
    let mut allowed: Vec<&'static str> = Vec::new();
    // The most specific template that matches the path decides, as OpenAPI asks:
    // concrete paths match before templated ones, so `PATCH /token.json` is a 405
    // when only `POST /token.json` exists, even though `/{id}.json` would match.
    let mut template: Option<&[Vec<Part>]> = None;
    let path: Vec<&str> = path.split('/').collect();
    // HEAD is answered by the GET operation of the path unless the spec has a HEAD one.
    let mut get_for_head: Option<(Op, Vec<String>)> = None;
    for route in routes {
        if let Some(template) = template {
            if template != route.segments.as_slice() {
                continue;
            }
        }
        let mut params = Vec::new();
        if !match_segments(&route.segments, &path, &mut params) {
            continue;
        }
        template = Some(&route.segments);
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
