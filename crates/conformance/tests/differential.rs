//! Differential test: our generated validators against the `jsonschema` crate as an independent
//! judge.
//!
//! For every component schema of `spec/desk-v2.yaml` and `spec/fixtures/keywords.yaml`, this
//! test builds a set of documents — the spec's own examples, values generated from the schema,
//! and many mutations of those (seeded, so every run checks the same documents) — and, for both
//! directions, asserts that our valid/invalid verdict equals the verdict of `jsonschema` on the
//! same schema. The OpenAPI 3.0 schema is converted to JSON Schema (draft 4) by the library of
//! this crate, by hand and independently of the generator (see [`OpenApiDoc::convert`], and the
//! crate docs for why draft 4). Any difference is a bug in one of the two, unless [`explain`]
//! names it as a known corner case; every such case is documented there.
//!
//! `DIFFERENTIAL_SEED` (a number) changes the seed and `DIFFERENTIAL_MUTANTS` the number of
//! mutants per schema, to explore other documents locally; the defaults are what CI checks.

use conformance::{flag, judge, Direction, OpenApiDoc};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// How many values are generated from each schema (and compared unmutated).
const GENERATED: usize = 40;
/// How many mutated documents are compared per schema (`DIFFERENTIAL_MUTANTS` overrides it).
const MUTANTS: usize = 200;

// ---------------------------------------------------------------------------------------------
// Our validators, behind one signature.
// ---------------------------------------------------------------------------------------------

/// One of our generated `validate_*` functions; the error is the rendered `ValidationErrors`.
type Check = fn(&Value, Direction) -> Result<(), String>;

/// `(schema key, validate fn)` for every listed component schema of a generated crate.
macro_rules! checks {
    ($krate:ident { $($key:literal => $func:ident),* $(,)? }) => {
        vec![$((
            $key,
            (|value: &Value, direction: Direction| {
                let direction = match direction {
                    Direction::Request => $krate::Direction::Request,
                    Direction::Response => $krate::Direction::Response,
                };
                $krate::$func(value, direction).map_err(|errors| errors.to_string())
            }) as Check,
        )),*]
    };
}

fn desk_checks() -> Vec<(&'static str, Check)> {
    checks!(desk_validation {
        "State" => validate_state,
        "OrderMode" => validate_order_mode,
        "ConversationOrderBy" => validate_conversation_order_by,
        "ConversationMessageOrderBy" => validate_conversation_message_order_by,
        "ConversationInclude" => validate_conversation_include,
        "ConversationMessageInclude" => validate_conversation_message_include,
        "ConversationField" => validate_conversation_field,
        "ConversationMessageField" => validate_conversation_message_field,
        "FilterValue" => validate_filter_value,
        "FilterOperators" => validate_filter_operators,
        "FilterCondition" => validate_filter_condition,
        "ConversationFilter" => validate_conversation_filter,
        "ConversationMessageFilter" => validate_conversation_message_filter,
        "Relationship" => validate_relationship,
        "RequestCommons" => validate_request_commons,
        "Conversation" => validate_conversation,
        "CustomerContact" => validate_customer_contact,
        "ConversationMessage" => validate_conversation_message,
        "Customer" => validate_customer,
        "User" => validate_user,
        "File" => validate_file,
        "Included" => validate_included,
        "PageMeta" => validate_page_meta,
        "ListMeta" => validate_list_meta,
        "ConversationAPIBody" => validate_conversation_api_body,
        "ConversationsAPIBody" => validate_conversations_api_body,
        "ConversationMessagesAPIBody" => validate_conversation_messages_api_body,
        "BulkOpResponse" => validate_bulk_op_response,
        "Validator" => validate_validator,
    })
}

fn keywords_checks() -> Vec<(&'static str, Check)> {
    checks!(keywords_validation {
        "Length" => validate_length,
        "Pattern" => validate_pattern,
        "Formats" => validate_formats,
        "Range" => validate_range,
        "Exclusive" => validate_exclusive,
        "Multiple" => validate_multiple,
        "Items" => validate_items,
        "Sized" => validate_sized,
        "Map" => validate_map,
        "Closed" => validate_closed,
        "Record" => validate_record,
        "Choice" => validate_choice,
        "Numbers" => validate_numbers,
        "Both" => validate_both,
        "Exactly" => validate_exactly,
        "Some" => validate_some,
        "Never" => validate_never,
        "Pet" => validate_pet,
        "Cat" => validate_cat,
        "Dog" => validate_dog,
        "Typed" => validate_typed,
        "Nested" => validate_nested,
        "OneChecked" => validate_one_checked,
        "io.example.v1.Check" => validate_check,
        "io.example.v1.Pod" => validate_v1_pod,
        "io.example.v2.Pod" => validate_v2_pod,
        "Owner" => validate_owner,
    })
}

// ---------------------------------------------------------------------------------------------
// A small seeded PRNG (SplitMix64): deterministic, no dependency.
// ---------------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "empty range");
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `num / den`.
    fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next_u64() % den < num
    }

    /// Uniform in `lo..=hi`.
    fn int_in(&mut self, lo: i128, hi: i128) -> i128 {
        assert!(lo <= hi, "empty range {lo}..={hi}");
        let span = (hi - lo) as u128 + 1;
        lo + ((u128::from(self.next_u64()) << 64 | u128::from(self.next_u64())) % span) as i128
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// FNV-1a, to derive one seed per schema (adding a schema does not shift the others).
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
    })
}

// ---------------------------------------------------------------------------------------------
// Sample values.
// ---------------------------------------------------------------------------------------------

/// Characters for generated strings: ASCII, two-byte, three-byte and four-byte UTF-8, so that
/// lengths are checked in characters (both sides count Unicode scalar values).
const ALPHABET: &[char] = &[
    'a', 'b', 'z', 'A', 'Q', '0', '7', ' ', '-', '_', '.', 'é', 'ß', '日', '本', '😀',
];

/// Common values of each checked format: (valid, invalid), on which both implementations agree.
///
/// Corner cases where they knowingly differ are left out. Ours follows the documented, lenient
/// checks of the generated `report` module; jsonschema follows the RFCs more closely. Found by
/// probing both with the values below (ours / jsonschema):
/// * `date-time` leap seconds: `2024-12-19T16:02:60Z` is valid / invalid (chrono accepts second 60
///   at any minute; jsonschema only at 23:59 UTC). `…T23:59:60Z` is valid for both.
/// * `email`: ours only asks for one `@` between a non-empty local part and a domain not starting
///   or ending with `.`, without whitespace. So these are valid / invalid: a domain label starting
///   or ending with `-` (`a@-b.example`), `_` in the domain (`a@b_c.example`), `a..b@…`, `.a@…`,
///   `a@example..com`, an IDN domain (`a@例え.jp`), a local part over 64 octets, comments
///   (`a(comment)@…`), unquoted specials (`a"b@…`, `a<b@…`, `a@ex,ample.com`); and a quoted local
///   part with a space (`"a b"@example.com`) is invalid / valid.
/// * `uri`: ours asks for a scheme and no whitespace, nothing about the rest. So these are
///   valid / invalid: `http://[::1`, bad percent-escapes (`http://exa%mple.com`, `/%zz`), a
///   non-ASCII host (`http://例え.jp`), characters RFC 3986 excludes (`<>`, `{x}`, `|`, `\`, `^`,
///   `` ` ``, `"`), a second `#`, a non-numeric port (`http://example.com:port`).
/// * `ipv4`, `ipv6`, `date`, `byte`, `uuid`: no difference found (both use the standard library
///   parsers for IP addresses; `byte` and `uuid` are converted to patterns).
fn format_samples(format: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match format {
        "date-time" => (
            &[
                "2024-12-19T16:02:17.198Z",
                "2024-12-19T16:02:17Z",
                "2023-03-01T09:00:00+01:00",
                "2024-02-29T23:59:59-05:30",
                "2000-01-01T00:00:00.123456Z",
                "2024-12-19t16:02:17z",
            ],
            &[
                "2024-12-19 16:02:17Z",
                "2024-12-19T16:02Z",
                "2024-13-01T00:00:00Z",
                "2023-02-29T00:00:00Z",
                "2024-12-19T25:00:00Z",
                "2024-12-19T16:02:17",
                "2024-12-19",
                "yesterday",
                "",
            ],
        ),
        "date" => (
            &["2024-02-29", "2023-12-31", "2000-01-01", "1999-07-04"],
            &[
                "2023-02-29",
                "2024-1-01",
                "2024/01/01",
                "2024-12-19T00:00:00Z",
                "20240101",
                "2024-00-10",
                "",
                "today",
            ],
        ),
        "uuid" => (
            &[
                "6f1c2b1e-4f5a-4c3e-9a7b-1d2e3f4a5b6c",
                "C0A8E5F2-4B1D-4E8A-9F3C-2D7B6A1E9C40",
                "00000000-0000-0000-0000-000000000000",
            ],
            &[
                "6f1c2b1e4f5a4c3e9a7b1d2e3f4a5b6c",
                "6f1c2b1e-4f5a-4c3e-9a7b-1d2e3f4a5b6",
                "6f1c2b1e-4f5a-4c3e-9a7b-1d2e3f4a5b6g",
                "{6f1c2b1e-4f5a-4c3e-9a7b-1d2e3f4a5b6c}",
                "6f1c2b1e-4f5a-4c3e-9a7b1d2e-3f4a5b6c",
                "",
            ],
        ),
        "email" => (
            &[
                "jane.doe@example.com",
                "a@b.example",
                "sam.agent@yourcompany.com",
                "x+tag@mail.example.org",
            ],
            &[
                "no-at-sign",
                "a@",
                "@b.example",
                "a b@c.example",
                "a@@b.example",
                "a@b.example.",
                "",
            ],
        ),
        "uri" => (
            &[
                "https://x.example/a?b",
                "http://example.com",
                "mailto:jane@example.com",
                "urn:isbn:0451450523",
                "https://yourcompany.teamwork.com/images/avatars/2.png",
                "ftp://ftp.example.org/file.txt",
            ],
            &[
                "not a uri",
                "/relative/path",
                "example.com",
                "",
                "http://exa mple.com",
                "1http://x.example",
                "://x",
            ],
        ),
        "ipv4" => (
            &["10.0.0.1", "192.168.1.255", "0.0.0.0", "255.255.255.255"],
            &[
                "256.0.0.1",
                "1.2.3",
                "1.2.3.4.5",
                "01.2.3.4",
                "::1",
                "1.2.3.-4",
                "",
            ],
        ),
        "ipv6" => (
            &[
                "::1",
                "2001:db8::1",
                "fe80::1:2:3:4",
                "::ffff:192.168.0.1",
                "1:2:3:4:5:6:7:8",
                "::",
            ],
            &[
                "1:::2",
                "2001:db8::g",
                "10.0.0.1",
                "",
                "1:2:3:4:5:6:7:8:9",
                "12345::1",
            ],
        ),
        "byte" => (
            &["aGk=", "aGVsbG8=", "", "AAAA", "+/+/", "YWJjZA=="],
            &[
                "aGk", "a===", "aGk=aGk=", "a-b_", "aGk= ", "====", "YWJjZA=",
            ],
        ),
        other => panic!("no samples for format `{other}`"),
    }
}

/// Generates strings matching each `pattern` used in the specs. A new pattern must be added
/// here (the test panics otherwise), because generating from arbitrary regexes is out of scope.
fn pattern_sample(pattern: &str, rng: &mut Rng) -> String {
    match pattern {
        r"^[a-z]+\d$" => {
            let letters: String = (0..1 + rng.below(6))
                .map(|_| (b'a' + rng.below(26) as u8) as char)
                .collect();
            format!("{letters}{}", rng.below(10))
        }
        other => panic!("no generator for pattern `{other}`: add one to `pattern_sample`"),
    }
}

/// Strings near a pattern that must not match it.
fn pattern_misses(pattern: &str) -> &'static [&'static str] {
    match pattern {
        r"^[a-z]+\d$" => &["abc", "Abc1", "1", "abc12", "ab c1", "abc1\n", "", "é1"],
        other => panic!("no misses for pattern `{other}`"),
    }
}

fn random_string(rng: &mut Rng, min: usize, max: usize) -> String {
    let length = rng.int_in(min as i128, max as i128) as usize;
    (0..length).map(|_| *rng.pick(ALPHABET)).collect()
}

fn uuid(rng: &mut Rng) -> String {
    let hex: Vec<char> = "0123456789abcdefABCDEF".chars().collect();
    let mut text = String::new();
    for (index, group) in [8, 4, 4, 4, 12].into_iter().enumerate() {
        if index > 0 {
            text.push('-');
        }
        text.extend((0..group).map(|_| *rng.pick(&hex)));
    }
    text
}

/// Standard base64 with padding, written here so the generator needs no dependency.
fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn format_value(format: &str, rng: &mut Rng) -> String {
    match format {
        "uuid" if rng.chance(2, 3) => uuid(rng),
        "byte" if rng.chance(2, 3) => {
            let bytes: Vec<u8> = (0..rng.below(10)).map(|_| rng.next_u64() as u8).collect();
            base64(&bytes)
        }
        _ => rng.pick(format_samples(format).0).to_string(),
    }
}

/// Any JSON value, of any type.
fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth == 0 { 7 } else { 9 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(1, 2)),
        2 => json!(rng.int_in(-100, 100) as i64),
        3 => json!(((rng.unit() - 0.5) * 2000.0 * 100.0).round() / 100.0),
        4 | 5 => Value::String(random_string(rng, 0, 6)),
        6 => json!(rng.int_in(0, 3) as i64),
        7 => Value::Array(
            (0..rng.below(3))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(3))
                .map(|i| (format!("k{i}"), random_value(rng, depth - 1)))
                .collect(),
        ),
    }
}

/// Replacements of another JSON type (including `1.0`, a number that is not an integer).
fn retyped(current: &Value, rng: &mut Rng) -> Value {
    let pool = [
        json!(0),
        json!(7),
        json!(-2),
        json!(1.0),
        json!(2.5),
        json!("text"),
        json!(""),
        json!(true),
        json!(false),
        json!([]),
        json!([1]),
        json!({}),
        json!({"k": 1}),
    ];
    loop {
        let candidate = rng.pick(&pool);
        if std::mem::discriminant(candidate) != std::mem::discriminant(current) || rng.chance(1, 8)
        {
            return candidate.clone();
        }
    }
}

fn number(value: f64) -> Value {
    json!(value)
}

// ---------------------------------------------------------------------------------------------
// A spec: its document (with the OpenAPI -> JSON Schema conversion, in the library), its
// validators, the generator and the mutator.
// ---------------------------------------------------------------------------------------------

struct Spec {
    name: &'static str,
    /// The spec document, and its conversion to JSON Schema.
    api: OpenApiDoc,
    checks: Vec<(&'static str, Check)>,
}

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

fn node_mut<'a>(mut value: &'a mut Value, path: &[Seg]) -> &'a mut Value {
    for segment in path {
        value = match segment {
            Seg::Key(key) => value.get_mut(key.as_str()).expect("path exists"),
            Seg::Index(index) => value.get_mut(*index).expect("path exists"),
        };
    }
    value
}

impl Spec {
    fn load(name: &'static str, relative: &str, checks: Vec<(&'static str, Check)>) -> Spec {
        Spec {
            name,
            api: OpenApiDoc::load(relative),
            checks,
        }
    }

    // -- Examples -------------------------------------------------------------------------------

    /// The examples of component `key`: its own `example`, and the `example`/`examples` of every
    /// media type or parameter whose schema is exactly a reference to it.
    fn examples(&self, key: &str) -> Vec<Value> {
        let mut out = Vec::new();
        if let Some(example) = self.api.schemas()[key].get("example") {
            out.push(example.clone());
        }
        let reference = format!("#/components/schemas/{key}");
        fn walk(value: &Value, reference: &str, out: &mut Vec<Value>) {
            match value {
                Value::Object(map) => {
                    let refers = map
                        .get("schema")
                        .and_then(|s| s.get("$ref"))
                        .and_then(Value::as_str)
                        == Some(reference);
                    if refers {
                        if let Some(example) = map.get("example") {
                            out.push(example.clone());
                        }
                        for example in map
                            .get("examples")
                            .and_then(Value::as_object)
                            .into_iter()
                            .flat_map(|m| m.values())
                        {
                            if let Some(value) = example.get("value") {
                                out.push(value.clone());
                            }
                        }
                    }
                    map.values().for_each(|v| walk(v, reference, out));
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, reference, out)),
                _ => {}
            }
        }
        walk(self.api.document(), &reference, &mut out);
        out
    }

    // -- Generation -----------------------------------------------------------------------------

    /// A value meant to be valid (the judge decides; generation is only "valid-ish").
    fn generate(&self, schema: &Value, rng: &mut Rng, depth: usize) -> Value {
        let schema = self.api.resolve(schema);
        if flag(schema, "nullable") && rng.chance(1, 8) {
            return Value::Null;
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            return rng.pick(values).clone();
        }
        if let Some(branches) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)
        {
            let index = rng.below(branches.len());
            let mut value = self.generate(&branches[index], rng, depth + 1);
            if let (Some((property, tags)), Some(object)) =
                (self.api.branch_tags(schema), value.as_object_mut())
            {
                object.insert(property, Value::String(rng.pick(&tags[index]).clone()));
            }
            return value;
        }
        if schema.get("allOf").is_some() {
            let merged = self.merge_all_of(schema);
            return self.generate_typed(&merged, rng, depth);
        }
        if schema.get("not").is_some() {
            return random_value(rng, 2);
        }
        self.generate_typed(schema, rng, depth)
    }

    /// `allOf` flattened into one schema (enough for generation).
    fn merge_all_of(&self, schema: &Value) -> Value {
        let mut merged = schema.as_object().cloned().unwrap_or_default();
        let branches = merged
            .remove("allOf")
            .and_then(|b| b.as_array().cloned())
            .unwrap_or_default();
        for branch in &branches {
            let branch = self.api.resolve(branch);
            let branch = if branch.get("allOf").is_some() {
                self.merge_all_of(branch)
            } else {
                branch.clone()
            };
            for (key, value) in branch.as_object().into_iter().flatten() {
                match (key.as_str(), merged.get_mut(key)) {
                    (_, None) => {
                        merged.insert(key.clone(), value.clone());
                    }
                    ("properties", Some(Value::Object(mine))) => {
                        for (name, property) in value.as_object().into_iter().flatten() {
                            mine.entry(name.clone()).or_insert_with(|| property.clone());
                        }
                    }
                    ("required", Some(Value::Array(mine))) => {
                        for name in value.as_array().into_iter().flatten() {
                            if !mine.contains(name) {
                                mine.push(name.clone());
                            }
                        }
                    }
                    // Two bounds: the tighter one.
                    ("minLength" | "minItems" | "minProperties" | "minimum", Some(mine))
                        if value.as_f64() > mine.as_f64() =>
                    {
                        *mine = value.clone();
                    }
                    ("maxLength" | "maxItems" | "maxProperties" | "maximum", Some(mine))
                        if value.as_f64() < mine.as_f64() =>
                    {
                        *mine = value.clone();
                    }
                    _ => {}
                }
            }
        }
        Value::Object(merged)
    }

    fn generate_typed(&self, schema: &Value, rng: &mut Rng, depth: usize) -> Value {
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => Value::String(generate_string(schema, rng)),
            Some("integer") => generate_integer(schema, rng),
            Some("number") => generate_number(schema, rng),
            Some("boolean") => Value::Bool(rng.chance(1, 2)),
            Some("array") => {
                let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                let max = schema
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .map_or(min + 3, |m| m as usize);
                let max = if depth > 5 { min.max(max.min(1)) } else { max };
                let count = rng.int_in(min as i128, max as i128) as usize;
                let unique = flag(schema, "uniqueItems");
                let mut items: Vec<Value> = Vec::new();
                for _ in 0..count * 10 {
                    if items.len() == count {
                        break;
                    }
                    let item = match schema.get("items") {
                        Some(items) => self.generate(items, rng, depth + 1),
                        None => random_value(rng, 1),
                    };
                    if !unique || !items.contains(&item) {
                        items.push(item);
                    }
                }
                Value::Array(items)
            }
            Some("object") => self.generate_object(schema, rng, depth),
            _ if schema.get("properties").is_some() => self.generate_object(schema, rng, depth),
            _ => random_value(rng, 2),
        }
    }

    fn generate_object(&self, schema: &Value, rng: &mut Rng, depth: usize) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let properties = schema.get("properties").and_then(Value::as_object);
        let mut object = Map::new();
        for (name, property) in properties.into_iter().flatten() {
            if required.contains(&name.as_str()) || (depth < 6 && rng.chance(2, 3)) {
                object.insert(name.clone(), self.generate(property, rng, depth + 1));
            }
        }
        match schema.get("additionalProperties") {
            Some(Value::Bool(false)) => {}
            Some(additional @ Value::Object(_)) => {
                for index in 0..rng.below(4) {
                    object.insert(
                        format!("key{index}"),
                        self.generate(additional, rng, depth + 1),
                    );
                }
            }
            _ => {
                if properties.is_none() || rng.chance(1, 6) {
                    for index in 0..rng.below(3) {
                        object.insert(format!("extra{index}"), random_value(rng, 1));
                    }
                }
            }
        }
        let min = schema
            .get("minProperties")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        let max = schema
            .get("maxProperties")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        if min.is_some() || max.is_some() {
            let low = min.unwrap_or(0);
            let target = rng.int_in(low as i128, max.unwrap_or(low + 3) as i128) as usize;
            let mut index = 0;
            while object.len() < target {
                object.insert(format!("p{index}"), random_value(rng, 1));
                index += 1;
            }
            while object.len() > target {
                let last = object.keys().next_back().cloned().expect("non-empty");
                object.remove(&last);
            }
        }
        Value::Object(object)
    }

    // -- Mutation -------------------------------------------------------------------------------

    /// Every node of `value` with the schemas that apply to it (one entry per schema view: a
    /// node under `allOf` or `oneOf` appears once per branch). `None`: no schema constrains it.
    fn targets<'s>(
        &'s self,
        value: &Value,
        schema: Option<&'s Value>,
        path: &mut Vec<Seg>,
        out: &mut Vec<(Vec<Seg>, Option<&'s Value>)>,
        depth: usize,
    ) {
        if depth > 64 {
            return;
        }
        let schema = schema.map(|s| self.api.resolve(s));
        out.push((path.clone(), schema));
        if let Some(schema) = schema {
            if value.is_null() {
                return;
            }
            for branch in schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.targets(value, Some(branch), path, out, depth + 1);
            }
            if let Some(branches) = schema
                .get("oneOf")
                .or_else(|| schema.get("anyOf"))
                .and_then(Value::as_array)
            {
                match self.api.branch_tags(schema) {
                    Some((property, tags)) => {
                        let tag = value.get(&property).and_then(Value::as_str);
                        if let Some(index) = tags
                            .iter()
                            .position(|t| tag.is_some_and(|tag| t.iter().any(|t| t == tag)))
                        {
                            self.targets(value, Some(&branches[index]), path, out, depth + 1);
                        }
                    }
                    None => {
                        for branch in branches {
                            self.targets(value, Some(branch), path, out, depth + 1);
                        }
                    }
                }
            }
        }
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    let child_schema = schema.and_then(|s| {
                        s.get("properties")
                            .and_then(|p| p.get(key))
                            .or_else(|| s.get("additionalProperties").filter(|a| a.is_object()))
                    });
                    // Children of a node whose schema view does not describe them are reached
                    // through the view that does (or, without any, once with no schema).
                    if schema.is_none()
                        || child_schema.is_some()
                        || !Spec::describes_children(schema)
                    {
                        path.push(Seg::Key(key.clone()));
                        self.targets(child, child_schema, path, out, depth + 1);
                        path.pop();
                    }
                }
            }
            Value::Array(items) => {
                let item_schema = schema.and_then(|s| s.get("items"));
                if schema.is_none() || item_schema.is_some() || !Spec::describes_children(schema) {
                    for (index, item) in items.iter().enumerate() {
                        path.push(Seg::Index(index));
                        self.targets(item, item_schema, path, out, depth + 1);
                        path.pop();
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether a schema view leaves the children to its combinators (so they are not visited
    /// twice, once without a schema).
    fn describes_children(schema: Option<&Value>) -> bool {
        schema.is_some_and(|s| {
            ["allOf", "oneOf", "anyOf"]
                .iter()
                .any(|k| s.get(*k).is_some())
        })
    }

    /// Applies one random mutation to one random node of `doc` (at a random depth).
    fn mutate(&self, root: &Value, doc: &mut Value, rng: &mut Rng) {
        let mut targets = Vec::new();
        self.targets(doc, Some(root), &mut Vec::new(), &mut targets, 0);
        let (path, schema) = rng.pick(&targets).clone();
        let node = node_mut(doc, &path);
        self.mutate_node(node, schema, rng);
    }

    fn mutate_node(&self, node: &mut Value, schema: Option<&Value>, rng: &mut Rng) {
        #[derive(Clone, Copy)]
        enum M {
            Null,
            Retype,
            RandomString,
            TooLong,
            TooShort,
            UnicodeAtLimit,
            BadFormat,
            GoodFormat,
            PatternMiss,
            AboveMaximum,
            BelowMinimum,
            OffMultiple,
            FloatForInteger,
            FormatRange,
            Negate,
            WrongEnum,
            DropProperty,
            ExtraProperty,
            DeclaredProperty,
            EmptyObject,
            DuplicateItem,
            EmptyArray,
            ExtraItems,
            RandomItem,
            WrongTag,
        }
        let empty = json!({});
        let schema = schema.unwrap_or(&empty);
        let ty = schema.get("type").and_then(Value::as_str);
        let has = |key: &str| schema.get(key).is_some();
        let format = schema.get("format").and_then(Value::as_str);
        let mut kinds = vec![M::Null, M::Retype];
        if node.is_string() || ty == Some("string") {
            kinds.push(M::RandomString);
            if has("maxLength") {
                kinds.extend([M::TooLong, M::UnicodeAtLimit]);
            }
            if schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) > 0 {
                kinds.extend([M::TooShort, M::UnicodeAtLimit]);
            }
            if format.is_some_and(|f| !f.starts_with("int")) {
                kinds.extend([M::BadFormat, M::BadFormat, M::GoodFormat]);
            }
            if has("pattern") {
                kinds.extend([M::PatternMiss, M::PatternMiss]);
            }
        }
        if node.is_number() || matches!(ty, Some("integer" | "number")) {
            kinds.push(M::Negate);
            if has("maximum") {
                kinds.extend([M::AboveMaximum, M::AboveMaximum]);
            }
            if has("minimum") {
                kinds.extend([M::BelowMinimum, M::BelowMinimum]);
            }
            if has("multipleOf") {
                kinds.extend([M::OffMultiple, M::OffMultiple]);
            }
            if ty == Some("integer") {
                kinds.push(M::FloatForInteger);
            }
            if format.is_some_and(|f| f.starts_with("int")) {
                kinds.extend([M::FormatRange, M::FormatRange]);
            }
        }
        if has("enum") {
            kinds.extend([M::WrongEnum, M::WrongEnum]);
        }
        if node.is_object() {
            kinds.extend([
                M::DropProperty,
                M::DropProperty,
                M::ExtraProperty,
                M::EmptyObject,
            ]);
            if has("properties") {
                kinds.push(M::DeclaredProperty);
            }
        }
        if let Some(items) = node.as_array() {
            kinds.extend([M::EmptyArray, M::ExtraItems, M::RandomItem]);
            if !items.is_empty() {
                kinds.extend([M::DuplicateItem, M::DuplicateItem]);
            }
        }
        if self.api.branch_tags(schema).is_some() {
            kinds.extend([M::WrongTag, M::WrongTag]);
        }
        let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
        let integral = ty == Some("integer");
        match *rng.pick(&kinds) {
            M::Null => *node = Value::Null,
            M::Retype => *node = retyped(node, rng),
            M::RandomString => *node = Value::String(random_string(rng, 0, 8)),
            M::TooLong => {
                let max = schema["maxLength"].as_u64().expect("maxLength") as usize;
                *node = Value::String(random_string(rng, max + 1, max + 3));
            }
            M::TooShort => {
                let min = schema["minLength"].as_u64().expect("minLength") as usize;
                *node = Value::String(random_string(rng, 0, min - 1));
            }
            M::UnicodeAtLimit => {
                // Multi-byte characters exactly at (or one past) a length limit.
                let limit = schema
                    .get("maxLength")
                    .or_else(|| schema.get("minLength"))
                    .and_then(Value::as_u64)
                    .unwrap_or(1);
                let length = (limit as i128 + rng.int_in(-1, 1)).max(0) as usize;
                let ch = *rng.pick(&['é', '日', '😀']);
                *node = Value::String(std::iter::repeat_n(ch, length).collect());
            }
            M::BadFormat => *node = json!(rng.pick(format_samples(format.expect("format")).1)),
            M::GoodFormat => *node = json!(format_value(format.expect("format"), rng)),
            M::PatternMiss => {
                let pattern = schema["pattern"].as_str().expect("pattern");
                *node = json!(rng.pick(pattern_misses(pattern)));
            }
            M::AboveMaximum => *node = past_bound(schema, "maximum", 1.0, integral, rng),
            M::BelowMinimum => *node = past_bound(schema, "minimum", -1.0, integral, rng),
            M::OffMultiple => {
                let divisor = bound("multipleOf").expect("multipleOf");
                let k = rng.int_in(-5, 20) as f64;
                let offset = *rng.pick(&[0.5, 0.25, 0.1, 0.3]);
                *node = number((k + offset) * divisor);
            }
            M::FloatForInteger => {
                let base = node.as_f64().unwrap_or(3.0).trunc();
                *node = if rng.chance(1, 2) {
                    number(base)
                } else {
                    number(base + 0.5)
                };
            }
            M::FormatRange => {
                let pool: &[Value] = if format == Some("int32") {
                    &[
                        json!(i32::MAX),
                        json!(i64::from(i32::MAX) + 1),
                        json!(i32::MIN),
                        json!(i64::from(i32::MIN) - 1),
                    ]
                } else {
                    &[
                        json!(i64::MAX),
                        json!(i64::MIN),
                        json!(i64::MAX as u64 + 1),
                        json!(u64::MAX),
                        json!(1e19),
                    ]
                };
                *node = rng.pick(pool).clone();
            }
            M::Negate => {
                *node = match (node.as_i64(), node.as_f64()) {
                    (Some(int), _) => json!(int.wrapping_neg()),
                    (None, Some(float)) => number(-float),
                    _ => json!(-1),
                }
            }
            M::WrongEnum => {
                let values = schema["enum"].as_array().expect("enum");
                let member = rng.pick(values).clone();
                *node = match member {
                    Value::String(text) => match rng.below(4) {
                        0 => json!(text.to_uppercase()),
                        1 => json!(format!("{text}x")),
                        2 => json!(""),
                        // A prefix (often another value's, or the value itself: still valid).
                        _ => json!(text
                            .chars()
                            .take(text.chars().count() / 2 + 1)
                            .collect::<String>()),
                    },
                    Value::Number(n) => match rng.below(3) {
                        0 => json!(n.as_i64().unwrap_or(0) + values.len() as i64 + 1),
                        1 => json!(n.as_f64().unwrap_or(0.0) + 0.5),
                        _ => json!(n.to_string()),
                    },
                    other => retyped(&other, rng),
                };
            }
            M::DropProperty => {
                let object = node.as_object_mut().expect("object");
                let required: Vec<String> = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|n| n.as_str().map(String::from))
                    .filter(|n| object.contains_key(n))
                    .collect();
                let victim = if !required.is_empty() && rng.chance(3, 4) {
                    Some(rng.pick(&required).clone())
                } else if !object.is_empty() {
                    let keys: Vec<String> = object.keys().cloned().collect();
                    Some(rng.pick(&keys).clone())
                } else {
                    None
                };
                if let Some(victim) = victim {
                    object.remove(&victim);
                }
            }
            M::ExtraProperty => {
                let name = *rng.pick(&["extra", "zzz", "é", "", "Kind", "b"]);
                let value = random_value(rng, 1);
                node.as_object_mut()
                    .expect("object")
                    .insert(name.to_string(), value);
            }
            M::DeclaredProperty => {
                let names: Vec<&String> = schema["properties"]
                    .as_object()
                    .expect("properties")
                    .keys()
                    .collect();
                let name = rng.pick(&names).to_string();
                let value = random_value(rng, 1);
                node.as_object_mut().expect("object").insert(name, value);
            }
            M::EmptyObject => *node = json!({}),
            M::DuplicateItem => {
                let items = node.as_array_mut().expect("array");
                let item = rng.pick(items).clone();
                // Sometimes the same number written as a float: still a duplicate.
                let item = match item.as_i64() {
                    Some(int) if rng.chance(1, 4) => number(int as f64),
                    _ => item,
                };
                let at = rng.below(items.len() + 1);
                items.insert(at, item);
            }
            M::EmptyArray => *node = json!([]),
            M::ExtraItems => {
                let items = node.as_array_mut().expect("array");
                let extra = items.first().cloned();
                for _ in 0..1 + rng.below(3) {
                    let item = match (&extra, schema.get("items")) {
                        (_, Some(item_schema)) if rng.chance(2, 3) => {
                            self.generate(item_schema, rng, 4)
                        }
                        (Some(extra), _) if rng.chance(1, 2) => extra.clone(),
                        _ => random_value(rng, 1),
                    };
                    items.push(item);
                }
            }
            M::RandomItem => {
                let value = random_value(rng, 1);
                node.as_array_mut().expect("array").push(value);
            }
            M::WrongTag => {
                let (property, tags) = self.api.branch_tags(schema).expect("discriminator");
                let all: Vec<String> = tags.into_iter().flatten().collect();
                let value = match rng.below(4) {
                    0 => json!("bird"),
                    1 => json!(5),
                    2 => Value::Null,
                    _ => json!(rng.pick(&all)),
                };
                if let Some(object) = node.as_object_mut() {
                    if rng.chance(1, 5) {
                        object.remove(&property);
                    } else {
                        object.insert(property, value);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scalar generation.
// ---------------------------------------------------------------------------------------------

fn generate_string(schema: &Value, rng: &mut Rng) -> String {
    if let Some(format) = schema.get("format").and_then(Value::as_str) {
        return format_value(format, rng);
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        return pattern_sample(pattern, rng);
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .map_or(min + 8, |m| m as usize);
    random_string(rng, min, max)
}

/// The valid integers of an integer schema, inclusive (formats and bounds).
fn integer_bounds(schema: &Value) -> (i128, i128) {
    let (mut lo, mut hi) = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => (i128::from(i32::MIN), i128::from(i32::MAX)),
        Some("int64") => (i128::from(i64::MIN), i128::from(i64::MAX)),
        _ => (i128::from(i64::MIN), i128::from(u64::MAX)),
    };
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        let min = if flag(schema, "exclusiveMinimum") {
            min.floor() + 1.0
        } else {
            min.ceil()
        };
        lo = lo.max(min as i128);
    }
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
        let max = if flag(schema, "exclusiveMaximum") {
            max.ceil() - 1.0
        } else {
            max.floor()
        };
        hi = hi.min(max as i128);
    }
    (lo, hi)
}

fn integer(value: i128) -> Value {
    match (i64::try_from(value), u64::try_from(value)) {
        (Ok(int), _) => json!(int),
        (_, Ok(int)) => json!(int),
        _ => number(value as f64),
    }
}

fn generate_integer(schema: &Value, rng: &mut Rng) -> Value {
    let (lo, hi) = integer_bounds(schema);
    let mut value = match rng.below(10) {
        0 => lo,
        1 => hi,
        _ => {
            let center = 0.clamp(lo, hi);
            rng.int_in(lo.max(center - 1000), hi.min(center + 1000))
        }
    };
    if let Some(divisor) = schema
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|d| d.fract() == 0.0)
    {
        let divisor = divisor as i128;
        value -= value.rem_euclid(divisor);
        if value < lo {
            value += divisor;
        }
    }
    integer(value)
}

fn generate_number(schema: &Value, rng: &mut Rng) -> Value {
    let min = schema.get("minimum").and_then(Value::as_f64);
    let max = schema.get("maximum").and_then(Value::as_f64);
    let lo = min.unwrap_or_else(|| max.map_or(-1000.0, |m| m - 1000.0));
    let hi = max.unwrap_or(lo + 2000.0);
    if let Some(divisor) = schema.get("multipleOf").and_then(Value::as_f64) {
        let k = rng.int_in(
            (lo / divisor).ceil() as i128,
            (hi / divisor).floor() as i128,
        );
        let value = k as f64 * divisor;
        return if value.fract() == 0.0 && rng.chance(1, 2) {
            integer(value as i128)
        } else {
            number(value)
        };
    }
    match rng.below(5) {
        0 if !flag(schema, "exclusiveMinimum") => number(lo),
        1 if !flag(schema, "exclusiveMaximum") => number(hi),
        2 => integer(rng.int_in(lo.ceil() as i128, hi.floor() as i128)),
        _ => number(
            ((lo + rng.unit() * (hi - lo)) * 100.0)
                .round()
                .clamp(lo * 100.0, hi * 100.0)
                / 100.0,
        ),
    }
}

/// A number at, or just past, the bound `key` (`sign` 1: above a maximum, -1: below a minimum).
fn past_bound(schema: &Value, key: &str, sign: f64, integral: bool, rng: &mut Rng) -> Value {
    let limit = schema[key].as_f64().expect("a numeric bound");
    let delta = if integral {
        *rng.pick(&[0.0, 1.0, 2.0])
    } else {
        *rng.pick(&[0.0, 1.0, 0.5, 0.01])
    };
    let value = limit + sign * delta;
    if value.fract() == 0.0 && value.abs() < 9.0e15 && (integral || rng.chance(1, 2)) {
        integer(value as i128)
    } else {
        number(value)
    }
}

// ---------------------------------------------------------------------------------------------
// Known differences.
// ---------------------------------------------------------------------------------------------

/// jsonschema 0.33 rejects every negative number under a non-integer `multipleOf`:
/// `ext::numeric::is_multiple_of_float` returns false as soon as `value < multiple`, a shortcut
/// meant for `0 < value < multiple` that also catches all negatives. So `-3` is "not a multiple of
/// 0.5" for it, while `-3 / 0.5 = -6` is an integer and we accept it. A bug in jsonschema; our
/// verdict is the correct one.
const NEGATIVE_MULTIPLE: &str =
    "jsonschema 0.33 bug: negative multiples of a fractional multipleOf are rejected (e.g. -3 for multipleOf 0.5)";

/// Why a disagreement between our verdict and jsonschema's is expected, if it is. Called only
/// when the verdicts differ; anything not explained here fails the test.
///
/// A difference is explained only if it disappears once the known cause is taken away and our
/// own verdict does not move: here, every negative number checked by a non-integer `multipleOf`
/// is replaced by its absolute value (a multiple or not exactly as the negative one is), and
/// jsonschema must then agree with us. A document with a second, unexplained difference is
/// still reported.
///
/// Differences kept out of the documents instead of explained (the generator and mutator never
/// produce them; see also [`format_samples`]):
/// * `multipleOf` precision: we accept a quotient within 1e-9 (relative) of an integer, so that
///   `0.3` is a multiple of `0.1` despite binary floating point; jsonschema divides exactly (as
///   fractions), so `2.5000000001` or `1e-320` are multiples of 0.5 for us and not for it.
///   Generated numbers are exact multiples, and mutations move them by at least a tenth of the
///   divisor.
/// * `format` corner cases, where both follow a different reading of the RFCs (listed at
///   [`format_samples`]).
fn explain(
    spec: &Spec,
    key: &str,
    doc: &Value,
    direction: Direction,
    check: Check,
    judge: &jsonschema::Validator,
) -> Option<&'static str> {
    let ours = check(doc, direction).is_ok();
    let mut targets = Vec::new();
    spec.targets(
        doc,
        Some(&spec.api.schemas()[key]),
        &mut Vec::new(),
        &mut targets,
        0,
    );
    let mut fixed = doc.clone();
    let mut changed = false;
    for (path, schema) in &targets {
        let fractional = schema
            .and_then(|s| s.get("multipleOf"))
            .and_then(Value::as_f64)
            .is_some_and(|divisor| divisor.fract() != 0.0);
        let node = node_mut(&mut fixed, path);
        if !fractional || !node.as_f64().is_some_and(|v| v < 0.0) {
            continue;
        }
        *node = match node.as_i64() {
            Some(int) => json!(int.unsigned_abs()),
            None => number(-node.as_f64().expect("a number")),
        };
        changed = true;
    }
    let ours_fixed = check(&fixed, direction).is_ok();
    (changed && ours_fixed == ours && judge.is_valid(&fixed) == ours).then_some(NEGATIVE_MULTIPLE)
}

// ---------------------------------------------------------------------------------------------
// The test.
// ---------------------------------------------------------------------------------------------

impl Spec {
    /// Every document compared for component `key`, with where it came from.
    fn documents(&self, key: &str, seed: u64, mutants: usize) -> Vec<(&'static str, Value)> {
        let schema = &self.api.schemas()[key];
        let mut rng = Rng(seed ^ fnv(&format!("{}/{key}", self.name)));
        let mut documents: Vec<(&'static str, Value)> = self
            .examples(key)
            .into_iter()
            .map(|e| ("example", e))
            .collect();
        for _ in 0..GENERATED {
            documents.push(("generated", self.generate(schema, &mut rng, 0)));
        }
        let bases: Vec<Value> = documents.iter().map(|(_, doc)| doc.clone()).collect();
        for _ in 0..mutants {
            let mut doc = rng.pick(&bases).clone();
            let steps = match rng.below(10) {
                0..=5 => 1,
                6..=8 => 2,
                _ => 3,
            };
            for _ in 0..steps {
                self.mutate(schema, &mut doc, &mut rng);
            }
            documents.push(("mutant", doc));
        }
        documents
    }
}

/// Tallies for one schema or one spec.
#[derive(Default)]
struct Counts {
    /// Documents compared (each in both directions).
    documents: usize,
    /// Of which the spec's own examples.
    examples: usize,
    /// (document, direction) verdicts compared.
    compared: usize,
    /// Verdicts where both say valid.
    valid: usize,
    /// Verdicts where both say invalid.
    invalid: usize,
    /// Verdicts that differ for a reason documented at [`explain`].
    explained: usize,
}

#[test]
fn generated_validators_agree_with_jsonschema() {
    let seed = std::env::var("DIFFERENTIAL_SEED")
        .ok()
        .map(|s| s.parse::<u64>().expect("DIFFERENTIAL_SEED is a number"))
        .unwrap_or(0x5EED_D1FF);
    let mutants = std::env::var("DIFFERENTIAL_MUTANTS")
        .ok()
        .map(|s| {
            s.parse::<usize>()
                .expect("DIFFERENTIAL_MUTANTS is a number")
        })
        .unwrap_or(MUTANTS);
    let specs = [
        Spec::load("desk", "desk-v2.yaml", desk_checks()),
        Spec::load("keywords", "fixtures/keywords.yaml", keywords_checks()),
    ];
    let mut mismatches: Vec<String> = Vec::new();
    let mut reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
    for spec in &specs {
        // The table must list every component schema, so none is skipped silently.
        let listed: BTreeSet<&str> = spec.checks.iter().map(|(key, _)| *key).collect();
        let declared: BTreeSet<&str> = spec.api.schemas().keys().map(String::as_str).collect();
        assert_eq!(
            listed.len(),
            spec.checks.len(),
            "{}: a schema is listed twice",
            spec.name
        );
        assert_eq!(
            listed, declared,
            "{}: the validator table and the spec's component schemas differ",
            spec.name
        );

        let mut total = Counts::default();
        for (key, check) in &spec.checks {
            let judges = Direction::ALL
                .map(|direction| (direction, judge(&spec.api.json_schema(key, direction))));
            let documents = spec.documents(key, seed, mutants);
            let mut counts = Counts {
                documents: documents.len(),
                ..Counts::default()
            };
            for (origin, doc) in &documents {
                counts.examples += usize::from(*origin == "example");
                for (direction, judge) in &judges {
                    let ours = check(doc, *direction);
                    let theirs = judge.is_valid(doc);
                    counts.compared += 1;
                    // The split counts agreed verdicts only; differences are counted apart.
                    match (ours.is_ok(), theirs) {
                        (true, true) => counts.valid += 1,
                        (false, false) => counts.invalid += 1,
                        _ => {}
                    }
                    if ours.is_ok() == theirs {
                        continue;
                    }
                    if let Some(reason) = explain(spec, key, doc, *direction, *check, judge) {
                        counts.explained += 1;
                        *reasons.entry(reason).or_default() += 1;
                        continue;
                    }
                    let judged: Vec<String> = judge
                        .iter_errors(doc)
                        .map(|e| format!("{} at `{}`", e, e.instance_path))
                        .collect();
                    let mut line = String::new();
                    let _ = write!(
                        line,
                        "{}/{key} {direction:?} ({origin}): {doc}\n    ours: {}\n    jsonschema: {}",
                        spec.name,
                        match &ours {
                            Ok(()) => "valid".to_string(),
                            Err(errors) => format!("invalid: {errors}"),
                        },
                        if theirs { "valid".to_string() } else { format!("invalid: {}", judged.join("; ")) },
                    );
                    mismatches.push(line);
                }
            }
            eprintln!(
                "{:>8}/{key:<28} {:>4} documents ({:>2} examples), {:>4} verdicts: {:>4} valid, {:>4} invalid, {} explained",
                spec.name, counts.documents, counts.examples, counts.compared, counts.valid, counts.invalid, counts.explained
            );
            // Each schema must be exercised on both sides of its boundary.
            assert!(
                counts.valid >= 10 && counts.invalid >= 10,
                "{}/{key}: too few valid ({}) or invalid ({}) documents",
                spec.name,
                counts.valid,
                counts.invalid
            );
            total.documents += counts.documents;
            total.examples += counts.examples;
            total.compared += counts.compared;
            total.valid += counts.valid;
            total.invalid += counts.invalid;
            total.explained += counts.explained;
        }
        eprintln!(
            "{}: {} documents ({} examples), {} verdicts compared: {} valid, {} invalid, {} explained differences",
            spec.name, total.documents, total.examples, total.compared, total.valid, total.invalid, total.explained
        );
        // Not vacuous: plenty of documents on both sides, for each spec.
        assert!(
            total.valid * 5 >= total.compared,
            "{}: under 20% valid documents",
            spec.name
        );
        assert!(
            total.invalid * 5 >= total.compared,
            "{}: under 20% invalid documents",
            spec.name
        );
    }
    for (reason, count) in &reasons {
        eprintln!("explained ({count}): {reason}");
    }
    assert!(
        mismatches.is_empty(),
        "{} verdicts differ between our validators and jsonschema:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
