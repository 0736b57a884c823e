//! Spec text to one JSON tree, in one pass.
//!
//! The parser is chosen by content, not by file name: text whose first character (after an
//! optional byte order mark and whitespace) is `{` or `[` is read as JSON, and if that fails as
//! YAML (a YAML flow mapping starts with `{` too); anything else is YAML. Both parsers feed the
//! same visitor, which builds `serde_json::Value` directly:
//!
//! - integers beyond 64 bits (YAML gives them as 128-bit, JSON as floats) are kept as floats;
//! - mapping keys become strings (YAML allows `200:`, `true:` and `null:` as keys);
//! - YAML tags are dropped, non-finite floats (`.inf`, `.nan`) are refused;
//! - a key that appears twice in one mapping is refused, at its second occurrence;
//! - YAML merge keys (`<<: *base`) are applied.
//!
//! Errors carry a line and column: the visitor raises them while the parser still knows where it
//! is (a duplicate key while the key itself is being read), and both parsers attach that place.

mod halves;

use crate::error::{Diagnostic, DiagnosticKind, Location};
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// The key YAML uses to merge other mappings into the one it appears in.
const MERGE_KEY: &str = "<<";

/// How the message of a duplicate key starts (the words serde_yaml uses).
const DUPLICATE_KEY: &str = "duplicate entry with key ";

/// Reads spec text (YAML or JSON) into a JSON tree.
pub(crate) fn parse(text: &str) -> Result<Value, Diagnostic> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim_start().starts_with(['{', '[']) {
        let json_error = match parse_json(body) {
            Ok(value) => return Ok(value),
            Err(err) => err,
        };
        // Too deep for JSON is too deep for YAML too, and libyaml takes quadratic time to
        // find that out (minutes for a 1 MB `[[[[...`).
        if json_error.message.starts_with("recursion limit exceeded") {
            return Err(json_error);
        }
        return parse_yaml(body).map_err(|_| json_error);
    }
    parse_yaml(body)
}

/// Flow collections (`[`, `{`) nested deeper than this are refused before libyaml sees them:
/// libyaml's work grows with the flow depth at every token (minutes for a megabyte of
/// `[[[[...`), and serde_yaml refuses anything nested past 128 anyway, so no document it would
/// read is refused here.
const MAX_FLOW_NESTING: usize = 200;

/// Where the text opens a flow collection nested deeper than [`MAX_FLOW_NESTING`] (line and
/// column, 1-based). A YAML-aware scan: a `[` or `{` counts where a node may start (at the
/// start of a line, after `: `, `- `, `? `, `,` or another opening bracket, or anywhere inside
/// a flow collection), not inside plain scalars (`pattern: ^[a-z`), quoted scalars (which start
/// only where a node may start: the `'` of `don't` is text), block scalars (`|`, `>`, by their
/// indentation) or comments.
fn too_deep_flow(text: &str) -> Option<(usize, usize)> {
    // Bytes: every character that matters is ASCII, and no byte of a multi-byte character is.
    let chars = text.as_bytes();
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    // The indentation of the current line while it is being read, and whether only spaces came
    // so far; the indentation of a line that opened a block scalar, whose more indented lines
    // are its text.
    let (mut indent, mut in_indent, mut block_parent) = (0usize, true, None::<usize>);
    let mut node_start = true;
    let mut index = 0;
    let next_is_blank = |at: usize| chars.get(at + 1).is_none_or(|c| c.is_ascii_whitespace());
    while index < chars.len() {
        let c = chars[index];
        // Columns count characters: not the continuation bytes of a multi-byte one.
        if c & 0xC0 != 0x80 {
            column += 1;
        }
        if c == b'\n' {
            (line, column, indent, in_indent, node_start) = (line + 1, 0, 0, true, true);
            index += 1;
            continue;
        }
        if in_indent {
            if c == b' ' {
                indent += 1;
                index += 1;
                continue;
            }
            in_indent = false;
            match block_parent {
                // A line of a block scalar's text: skipped whole.
                Some(parent) if indent > parent && depth == 0 => {
                    while index < chars.len() && chars[index] != b'\n' {
                        index += 1;
                    }
                    continue;
                }
                _ => block_parent = None,
            }
        }
        let after_space = index == 0 || chars[index - 1].is_ascii_whitespace();
        match c {
            b' ' | b'\t' | b'\r' => {}
            b'#' if after_space => {
                while index + 1 < chars.len() && chars[index + 1] != b'\n' {
                    index += 1;
                }
            }
            b'\'' | b'"' if node_start => {
                // A quoted scalar, to its closing quote (`\"` escapes in double quotes, `''`
                // in single ones), counting the lines it spans.
                index += 1;
                while index < chars.len() {
                    let inner = chars[index];
                    if inner & 0xC0 != 0x80 {
                        column += 1;
                    }
                    if inner == b'\n' {
                        (line, column) = (line + 1, 0);
                    } else if inner == b'\\' && c == b'"' {
                        index += 1;
                        column += 1;
                    } else if inner == c {
                        if c == b'\'' && chars.get(index + 1) == Some(&b'\'') {
                            index += 1;
                            column += 1;
                        } else {
                            break;
                        }
                    }
                    index += 1;
                }
                node_start = false;
            }
            b'[' | b'{' if node_start || depth > 0 => {
                depth += 1;
                if depth > MAX_FLOW_NESTING {
                    return Some((line, column));
                }
                node_start = true;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                node_start = false;
            }
            b',' if depth > 0 => node_start = true,
            b':' if next_is_blank(index) || (depth > 0 && matches!(chars.get(index + 1), Some(b',' | b']' | b'}'))) => {
                node_start = true;
            }
            b'-' | b'?' if node_start && next_is_blank(index) => node_start = true,
            b'&' | b'!' | b'*' if node_start => {
                // An anchor, tag or alias: the node (if any) starts after it.
                while index + 1 < chars.len() && !chars[index + 1].is_ascii_whitespace() {
                    index += 1;
                    column += 1;
                }
            }
            b'|' | b'>' if node_start && depth == 0 => {
                // A block scalar: its header is the rest of this line.
                block_parent = Some(indent);
                while index + 1 < chars.len() && chars[index + 1] != b'\n' {
                    index += 1;
                }
            }
            _ => node_start = false,
        }
        index += 1;
    }
    None
}

fn parse_json(text: &str) -> Result<Value, Diagnostic> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Node { yaml: false }.deserialize(&mut deserializer).and_then(|value| {
        deserializer.end()?;
        Ok(value)
    });
    value.map_err(|err| {
        let message = strip_location(&err.to_string());
        let location = match (err.line(), err.column()) {
            (0, _) => Location::Document,
            // serde_json is past the duplicate key when it is refused; point at its start.
            (line, column) if message.starts_with(DUPLICATE_KEY) => {
                Location::Text { line, column: opening_quote(text, line, column).unwrap_or(column).max(1) }
            }
            (line, column) => Location::Text { line, column: column.max(1) },
        };
        Diagnostic { kind: DiagnosticKind::Syntax, location, message }
    })
}

/// The 1-based column of the quote that opens the JSON string whose closing quote is at `column`
/// of `line` (serde_json's columns count bytes).
fn opening_quote(text: &str, line: usize, column: usize) -> Option<usize> {
    let bytes = text.lines().nth(line.checked_sub(1)?)?.as_bytes();
    let close = column.checked_sub(1)?;
    if bytes.get(close) != Some(&b'"') {
        return None;
    }
    // Going back, the first quote not escaped (an even number of backslashes before it) opens.
    let before = bytes.get(..close)?;
    (0..before.len()).rev().find(|&at| {
        before.get(at) == Some(&b'"') && before.get(..at).is_some_and(|head| head.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0)
    })
    .map(|at| at + 1)
}

fn parse_yaml(text: &str) -> Result<Value, Diagnostic> {
    if let Some((line, column)) = too_deep_flow(text) {
        return Err(Diagnostic {
            kind: DiagnosticKind::Syntax,
            location: Location::Text { line, column },
            message: format!("recursion limit exceeded: flow collections nested more than {MAX_FLOW_NESTING} deep"),
        });
    }
    if text.len() >= halves::PARALLEL_BYTES {
        if let Some(value) = halves::read_in_halves(text, parse_yaml_whole) {
            return Ok(value);
        }
    }
    parse_yaml_whole(text)
}

/// YAML text read as one document.
fn parse_yaml_whole(text: &str) -> Result<Value, Diagnostic> {
    Node { yaml: true }.deserialize(serde_yaml::Deserializer::from_str(text)).map_err(|err| {
        let location = match err.location() {
            Some(at) => Location::Text { line: at.line(), column: at.column() },
            None => Location::Document,
        };
        Diagnostic { kind: DiagnosticKind::Syntax, location, message: strip_location(&err.to_string()) }
    })
}

/// Both parsers append " at line L column C" to their messages (libyaml may go on with the
/// context: ", while parsing a flow mapping at line ..."); the location is reported separately.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// Reads one value of either syntax.
#[derive(Clone, Copy)]
struct Node {
    /// Whether `<<` is YAML's merge key (in JSON it is an ordinary key).
    yaml: bool,
}

impl<'de> DeserializeSeed<'de> for Node {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a YAML or JSON value")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    /// Beyond 64 bits: kept as the nearest float (such bounds are limits, not identifiers).
    fn visit_i128<E: de::Error>(self, value: i128) -> Result<Value, E> {
        self.visit_f64(value as f64)
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<Value, E> {
        self.visit_f64(value as f64)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| E::custom("numbers must be finite (found NaN or infinity)"))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(access.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = access.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        let mut merges = false;
        while let Some(key) = access.next_key_seed(Key { seen: &map })? {
            let value = access.next_value_seed(self)?;
            merges |= self.yaml && key == MERGE_KEY;
            map.insert(key, value);
        }
        if merges {
            map = merge(map).map_err(de::Error::custom)?;
        }
        Ok(Value::Object(map))
    }

    /// A YAML tag (`!foo value`): the tag is dropped, the value kept.
    fn visit_enum<A: EnumAccess<'de>>(self, access: A) -> Result<Value, A::Error> {
        let (_tag, value): (de::IgnoredAny, _) = access.variant()?;
        value.newtype_variant_seed(self)
    }
}

/// Applies a YAML merge key: the entries of the mapping (or list of mappings) under `<<` that the
/// mapping does not set itself take the place of the `<<` entry; of several merged mappings, the
/// first to set a key wins.
fn merge(mut map: Map<String, Value>) -> Result<Map<String, Value>, &'static str> {
    let sources = map.get_mut(MERGE_KEY).map(Value::take).unwrap_or(Value::Null);
    let sources = match sources {
        Value::Object(source) => vec![Value::Object(source)],
        Value::Array(items) => items,
        _ => return Err("expected a mapping or list of mappings for merging, but found a scalar"),
    };
    let mut merged = Map::new();
    for source in sources {
        let Value::Object(source) = source else {
            return Err("expected a mapping for merging, but found something else");
        };
        for (key, value) in source {
            if !map.contains_key(&key) {
                merged.entry(key).or_insert(value);
            }
        }
    }
    let mut out = Map::with_capacity(map.len() + merged.len());
    for (key, value) in map {
        if key == MERGE_KEY {
            out.extend(std::mem::take(&mut merged));
        } else {
            out.insert(key, value);
        }
    }
    Ok(out)
}

/// Reads a mapping key as a string, refusing one the mapping already has.
#[derive(Clone, Copy)]
struct Key<'a> {
    seen: &'a Map<String, Value>,
}

impl Key<'_> {
    fn check<E: de::Error>(self, key: String) -> Result<String, E> {
        if self.seen.contains_key(&key) {
            return Err(E::custom(format!("{DUPLICATE_KEY}{key:?}")));
        }
        Ok(key)
    }
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = String;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a scalar mapping key (string, number, boolean or null)")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<String, E> {
        self.check(value.to_string())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        self.check(value.to_string())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        self.check(value.to_string())
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<String, E> {
        self.check(value.to_string())
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<String, E> {
        self.check(value.to_string())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
        let text = match Number::from_f64(value) {
            Some(number) => number.to_string(),
            None if value.is_nan() => ".nan".to_string(),
            None if value > 0.0 => ".inf".to_string(),
            None => "-.inf".to_string(),
        };
        self.check(text)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        self.check(value.to_string())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<String, E> {
        self.check(value)
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        self.check("null".to_string())
    }

    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        self.visit_unit()
    }

    fn visit_enum<A: EnumAccess<'de>>(self, access: A) -> Result<String, A::Error> {
        let (_tag, value): (de::IgnoredAny, _) = access.variant()?;
        value.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::error::{Diagnostic, DiagnosticKind, Location};
    use serde_json::json;

    /// The location and message of the syntax error `text` gives (a `Document` location and
    /// the value when it parses, so the caller's assertion shows what happened).
    fn syntax_error(text: &str) -> (Location, String) {
        match parse(text) {
            Ok(value) => (Location::Document, format!("no error, parsed {value}")),
            Err(err) if err.kind == DiagnosticKind::Syntax => (err.location, err.message),
            Err(err) => (Location::Document, format!("not a syntax error: {err:?}")),
        }
    }

    fn at(line: usize, column: usize) -> Location {
        Location::Text { line, column }
    }

    #[test]
    fn json_surrogate_pairs_and_raw_emoji() -> Result<(), Diagnostic> {
        let value = parse(r#"{"a": "Hello! \ud83d\udc4d", "b": "Hello! 👍"}"#)?;
        assert_eq!(value, json!({"a": "Hello! 👍", "b": "Hello! 👍"}));
        Ok(())
    }

    #[test]
    fn a_byte_order_mark_is_skipped() -> Result<(), Diagnostic> {
        assert_eq!(parse("\u{feff}{\"a\": 1}")?, json!({"a": 1}));
        assert_eq!(parse("\u{feff}a: 1\n")?, json!({"a": 1}));
        Ok(())
    }

    #[test]
    fn json_syntax_errors_have_line_and_column() {
        // Not YAML either (YAML would read `tru` as a string): the JSON error is reported.
        let (location, message) = syntax_error("{\n  \"a\": 1,\n  \"b\": [1, 2\n}\n");
        assert_eq!(location, at(4, 1), "{message}");
        assert!(message.contains("expected `,` or `]`"), "{message}");
        let (location, message) = syntax_error("{\"a\": 1} x");
        assert_eq!(location, at(1, 10), "{message}");
        assert!(message.contains("trailing characters"), "{message}");
    }

    #[test]
    fn yaml_syntax_errors_have_line_and_column() {
        let (location, message) = syntax_error("a: 1\nb: [1, 2\nc: 3\n");
        assert_eq!(location, at(3, 2), "{message}");
        assert!(message.contains("did not find expected ',' or ']'"), "{message}");
    }

    #[test]
    fn a_yaml_flow_mapping_that_is_not_json_loads() -> Result<(), Diagnostic> {
        let value = parse("{openapi: 3.0.3, info: {title: t, version: '1'},\n paths: {}}\n")?;
        assert_eq!(value, json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}));
        Ok(())
    }

    #[test]
    fn invalid_json_that_is_not_yaml_either_reports_the_json_error() {
        let (location, message) = syntax_error("{\"a\": [1, 2}");
        assert_eq!(location, at(1, 12), "{message}");
        assert!(message.contains("expected `,` or `]`"), "{message}");
    }

    #[test]
    fn deep_nesting_is_refused_in_both_syntaxes() {
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let (location, message) = syntax_error(&deep);
        assert!(matches!(location, Location::Text { line: 1, .. }), "{message}");
        assert!(message.contains("recursion limit exceeded"), "{message}");
        let (_, message) = syntax_error(&format!("a: {deep}\n"));
        assert!(message.contains("recursion limit exceeded"), "{message}");
        // Deeper than libyaml can take in reasonable time: refused where the nesting passes the
        // bound, before libyaml (which took minutes on a megabyte of this) or the JSON retry.
        let deeper = format!("a:\n  b: {}{}\n", "[".repeat(30_000), "]".repeat(30_000));
        let (location, message) = syntax_error(&deeper);
        assert_eq!(location, at(2, 6 + super::MAX_FLOW_NESTING), "{message}");
        assert!(message.contains("recursion limit exceeded"), "{message}");
        let (_, message) = syntax_error(&"[".repeat(300_000));
        assert!(message.contains("recursion limit exceeded"), "{message}");
        // An apostrophe in a plain scalar does not open a quoted one that would hide the rest.
        let hidden = format!("x: don't\nb: {}{}\n", "[".repeat(30_000), "]".repeat(30_000));
        let (location, message) = syntax_error(&hidden);
        assert_eq!(location, at(2, 4 + super::MAX_FLOW_NESTING), "{message}");
        let in_block = format!("x: |\n  say \"hi\nb: {}{}\n", "{".repeat(30_000), "}".repeat(30_000));
        assert!(syntax_error(&in_block).1.contains("recursion limit exceeded"));
    }

    #[test]
    fn brackets_in_scalars_and_comments_are_not_nesting() -> Result<(), Diagnostic> {
        let open = "[".repeat(super::MAX_FLOW_NESTING + 1);
        let text = format!("a: '{open}'\nb: \"{open}\\\"\"\n# {open}\nc: 1\nd: don't\ne: '{open}'\n");
        assert_eq!(parse(&text)?, json!({"a": open, "b": format!("{open}\""), "c": 1, "d": "don't", "e": open}));
        // In plain scalars and in block scalars' text, brackets are text.
        let plain: String = (0..super::MAX_FLOW_NESTING + 1).map(|i| format!("p{i}: ^[a-z\n")).collect();
        assert_eq!(parse(&plain)?.as_object().map(|o| o.len()), Some(super::MAX_FLOW_NESTING + 1));
        let lines: String = (0..super::MAX_FLOW_NESTING + 1).map(|_| "  f(x) {\n").collect();
        let block = format!("code: |\n{lines}after: [1, {{a: [2]}}]\n");
        let value = parse(&block)?;
        assert_eq!(value["after"], json!([1, {"a": [2]}]));
        assert_eq!(value["code"].as_str().map(|code| code.matches('{').count()), Some(super::MAX_FLOW_NESTING + 1));
        Ok(())
    }

    #[test]
    fn big_integers_load_as_floats() -> Result<(), Diagnostic> {
        let yaml = parse("min: -9223372036854776000\nmax: 18446744073709551616\nok: 9223372036854775807\n")?;
        assert_eq!(yaml["min"], json!(-9223372036854776000.0));
        assert_eq!(yaml["max"], json!(18446744073709551616.0));
        assert_eq!(yaml["ok"], json!(9223372036854775807_i64));
        let json = parse(r#"{"min": -9223372036854776000, "huge": 340282366920938463463374607431768211456000}"#)?;
        assert_eq!(json["min"], json!(-9223372036854776000.0));
        assert!(json["huge"].is_f64());
        Ok(())
    }

    #[test]
    fn non_finite_numbers_are_refused_where_they_are() {
        let (location, message) = syntax_error("a:\n  b: .inf\n");
        assert_eq!(location, at(2, 6), "{message}");
        assert!(message.contains("numbers must be finite"), "{message}");
    }

    #[test]
    fn duplicate_keys_are_refused_at_their_second_occurrence() {
        let (location, message) = syntax_error("a: 1\nb:\n  c: 1\n  # note\n  'c': 2\n");
        assert_eq!(location, at(5, 3), "{message}");
        assert_eq!(message, "b: duplicate entry with key \"c\"");
        let (location, message) = syntax_error("{\"a\": 1,\n \"b\": {\"c\": 1,\n  \"c\": 2}}");
        assert_eq!(location, at(3, 3), "{message}");
        assert_eq!(message, "duplicate entry with key \"c\"");
        let (location, message) = syntax_error("{\"a\\\"\\\\\": 1,\n    \"a\\\"\\\\\": 2}");
        assert_eq!(location, at(2, 5), "{message}");
        assert_eq!(message, r#"duplicate entry with key "a\"\\""#);
        // Keys that YAML reads as different types are the same JSON key.
        let (location, message) = syntax_error("responses:\n  200: {}\n  '200': {}\n");
        assert_eq!(location, at(3, 3), "{message}");
    }

    #[test]
    fn scalar_keys_become_strings_and_tags_are_dropped() -> Result<(), Diagnostic> {
        let value = parse("200: a\ntrue: b\n~: c\n1.5: d\n!custom x: !tagged {y: 1}\n")?;
        assert_eq!(value, json!({"200": "a", "true": "b", "null": "c", "1.5": "d", "x": {"y": 1}}));
        let (location, message) = syntax_error("? [a, b]\n: c\n");
        assert_eq!(location, at(1, 3), "{message}");
        assert!(message.contains("expected a scalar mapping key"), "{message}");
        Ok(())
    }

    #[test]
    fn merge_keys_are_applied_in_place() -> Result<(), Diagnostic> {
        let text = "base: &base {a: 1, b: 2}\nmore: &more {b: 3, c: 4}\none:\n  x: 0\n  <<: *base\n  a: 9\ntwo:\n  <<: [*more, *base]\n";
        let value = parse(text)?;
        assert_eq!(value["one"], json!({"x": 0, "b": 2, "a": 9}));
        let keys: Vec<&String> = value["one"].as_object().map(|o| o.keys().collect()).unwrap_or_default();
        assert_eq!(keys, ["x", "b", "a"]);
        assert_eq!(value["two"], json!({"b": 3, "c": 4, "a": 1}));
        let (location, message) = syntax_error("a:\n  <<: 5\n");
        assert_eq!(location, at(2, 3), "{message}");
        assert!(message.contains("expected a mapping or list of mappings for merging"), "{message}");
        // In JSON, `<<` is an ordinary key.
        assert_eq!(parse(r#"{"<<": {"a": 1}}"#)?, json!({"<<": {"a": 1}}));
        Ok(())
    }
}
