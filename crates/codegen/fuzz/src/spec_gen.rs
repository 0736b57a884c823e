//! Structure-aware random specs for fuzzing the generator.
//!
//! Shared by the `structured` cargo-fuzz target (bytes from libFuzzer) and by
//! `crates/codegen/tests/fuzz_specs.rs` (bytes from a seeded PRNG, included with `#[path]`), so it
//! depends only on `arbitrary`, `serde_json` and `serde_yaml`.
//!
//! Two ways to make a document from an `Unstructured`:
//! - [`spec_text`]: an OpenAPI-ish document built from scratch (OpenAPI 3.0 mostly, sometimes
//!   3.1 or Swagger 2.0) with components that reference each other (`$ref`, `allOf`, `oneOf`,
//!   discriminators), odd names, every parameter style, nested arrays and maps, formats,
//!   nullable, defaults and examples; mostly valid enough to reach lowering and emitting.
//! - [`mutate_text`]: one of our fixture specs, parsed, with a few random edits (delete, replace
//!   with a random schema or value, copy another subtree, add `$ref`s, rename keys).
//!
//! Either is rendered as YAML, compact JSON or pretty JSON.

use arbitrary::{Result, Unstructured};
use serde_json::{json, Map, Value};

/// The fixture specs [`mutate_text`] starts from (ours: `spec/`).
pub const FIXTURES: &[&str] = &[
    include_str!("../../../../spec/fixtures/kitchen-sink.yaml"),
    include_str!("../../../../spec/fixtures/keywords.yaml"),
    include_str!("../../../../spec/desk-v2.yaml"),
];

/// Names that stress casing, keyword escaping, collisions and shadowing of std names.
const NAMES: &[&str] = &[
    "Pet", "pet", "PET", "pet_id", "petId", "PetId", "pet-id", "pet id", "Pet.Id", "self", "Self", "type", "match",
    "crate", "super", "fn", "async", "await", "dyn", "union", "r#type", "123abc", "2fa", "", "_", "__", "-", "$ref",
    "é", "café", "日本", "a/b", "a~b", "a~1b", "a%20b", "Option", "Result", "Box", "String", "Vec", "Some", "None",
    "Ok", "Err", "support", "serde", "std", "core", "Value", "Error", "Default", "Clone", "Debug", "Client",
    "Server", "Request", "Response", "Params", "Body", "x", "X", "id", "ID", "Id", "data", "Data", "list_pets",
    "ListPets", "listPets", "FooBar", "foo_bar", "Foo-Bar", "fooBar", "FooBarItem", "FooBarValue", "FooBarVariant0",
    "check_0", "validate", "HashMap", "BTreeMap", "Json", "axum", "main", "tests", "generated", "u8", "i64", "f64",
    "bool", "str", "char", "Variant0", "Empty", "Type", "T", "V", "Field", "field", "'quote", "\"dq", "back\\slash",
    "new\nline", "tab\tbed", " lead", "trail ", "{brace}", "}", "{", "a*", ".dot", ";semi", "?q", "#hash", "&amp",
    "Ω", "🦀", "\u{0}", "\u{7f}", "a::b", "/* c */", "// c", "*/", "'static", "macro_rules!", "#[doc]",
];

const FORMATS: &[&str] = &[
    "int32", "int64", "int8", "int16", "uint8", "uint16", "uint32", "uint64", "float", "double", "date",
    "date-time", "uuid", "byte", "binary", "password", "email", "uri", "ipv4", "ipv6", "hostname", "unknown", "",
];

const PATTERNS: &[&str] = &[
    "^[a-z]+$", "^\\d{2,}$", "(", "[a-", "\\", "a{2,1}", "(?<n>x)\\k<n>", "\\p{L}+", "^$", "", ".*", "a|b|",
    "[\\u0000-\\u001f]", "(?=x)", "\\bword\\b", "\"'\\\"#", "}{", "x{99999999999}", "\\u{1F980}", "[[:alpha:]]",
];

const DOCS: &[&str] = &[
    "A plain description.",
    "```\nnot rust\n```",
    "```rust\nfn main() { panic!() }\n```",
    "    indented code block",
    "*/ /* // \\ \" ' #[doc = \"x\"] r#\"raw\"#",
    "<b>html</b> <script>x</script> [link](https://example.com) [broken] <https://example.com>",
    "line one\n\nline two\r\nline three",
    "# Heading\n- list\n  - nested\n1. one",
    "tab\there, unicode é 日本 🦀, control \u{1}\u{7}",
    "",
    "{{name}} {{version}} ${HOME} %s {}",
];

const MEDIA: &[&str] = &[
    "application/json",
    "application/json",
    "application/problem+json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
    "text/html",
    "application/octet-stream",
    "*/*",
    "application/*",
    "application/json; charset=utf-8",
    "weird",
];

const STATUSES: &[&str] =
    &["200", "201", "202", "204", "301", "400", "401", "404", "409", "422", "500", "2XX", "4XX", "5xx", "default"];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// What kind of document is being built.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    V30,
    V31,
    Swagger2,
}

struct Gen<'u, 'd> {
    u: &'u mut Unstructured<'d>,
    dialect: Dialect,
    /// Component schema names, chosen before any schema so refs can point anywhere.
    schemas: Vec<String>,
    parameters: Vec<String>,
    responses: Vec<String>,
    bodies: Vec<String>,
    security: Vec<String>,
    /// Budget of schema nodes left, so documents stay small and generation fast.
    budget: u32,
}

/// A JSON pointer token (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn pick<'a, T>(u: &mut Unstructured<'_>, items: &'a [T]) -> Result<&'a T> {
    u.choose(items)
}

impl Gen<'_, '_> {
    /// `numerator` in `denominator`; false once the input is used up (so a short input gives a
    /// plain document rather than one with every optional part).
    fn ratio(&mut self, numerator: u8, denominator: u8) -> Result<bool> {
        if self.u.is_empty() {
            return Ok(false);
        }
        self.u.ratio(numerator, denominator)
    }

    /// Whether to make something invalid here: rare, so that most documents reach emitting
    /// (one invalid part anywhere fails the whole document).
    fn rare(&mut self) -> Result<bool> {
        self.ratio(1, 200)
    }

    fn small(&mut self, max: usize) -> Result<usize> {
        self.u.int_in_range(0..=max)
    }

    fn name(&mut self) -> Result<String> {
        if self.ratio(1, 12)? {
            // Sometimes a name of the fuzzer's own.
            let text: String = self.u.arbitrary()?;
            return Ok(text.chars().take(12).collect());
        }
        if self.ratio(1, 3)? {
            let base = pick(self.u, NAMES)?;
            let suffix = self.small(3)?;
            return Ok(if suffix == 0 { base.to_string() } else { format!("{base}{suffix}") });
        }
        Ok(pick(self.u, NAMES)?.to_string())
    }

    /// A path parameter name: any name can be declared, but `{`, `}`, `/`, a leading operator or
    /// a trailing `*` change what the template means, so those are rare.
    fn path_param_name(&mut self) -> Result<String> {
        let name = self.name()?;
        let special = name.is_empty()
            || name.contains(['{', '}', '/', '?', '#', '&'])
            || name.starts_with(['.', ';', '+', '*'])
            || name.ends_with('*');
        if special && !self.rare()? {
            return Ok(pick(self.u, &["id", "petId", "pet_id", "name", "self", "type", "x", "é"])?.to_string());
        }
        Ok(name)
    }

    fn doc(&mut self) -> Result<String> {
        Ok(pick(self.u, DOCS)?.to_string())
    }

    fn number(&mut self) -> Result<Value> {
        Ok(match self.small(9)? {
            0 => json!(0),
            1 => json!(-1),
            2 => json!(i64::MAX),
            3 => json!(i64::MIN),
            4 => json!(u64::MAX),
            5 => json!(0.5),
            6 => json!(1e300),
            7 => json!(-2.5e-10),
            8 => json!(self.u.arbitrary::<i32>()?),
            _ => json!(self.u.arbitrary::<u16>()? as f64 / 7.0),
        })
    }

    /// A number of the kind the schema's type wants (a wrong one now and then).
    fn typed_number(&mut self, integer: bool) -> Result<Value> {
        if !integer || self.rare()? {
            return self.number();
        }
        Ok(match self.small(5)? {
            0 => json!(0),
            1 => json!(-1),
            2 => json!(i64::MAX),
            3 => json!(i64::MIN),
            _ => json!(self.u.arbitrary::<i32>()?),
        })
    }

    fn count(&mut self) -> Result<Value> {
        Ok(match self.small(5)? {
            0 => json!(0),
            1 => json!(1),
            2 => json!(3),
            3 => json!(u64::MAX),
            4 if self.rare()? => json!(-1),
            _ => json!(self.u.arbitrary::<u8>()?),
        })
    }

    /// Any JSON value (defaults, examples, enums, and replacement nodes in mutations).
    fn value(&mut self, depth: u32) -> Result<Value> {
        let choice = if depth == 0 { self.small(4)? } else { self.small(6)? };
        Ok(match choice {
            0 => Value::Null,
            1 => json!(self.u.arbitrary::<bool>()?),
            2 => self.number()?,
            3 => json!(self.name()?),
            4 => json!(self.doc()?),
            5 => {
                let len = self.small(3)?;
                let mut items = Vec::new();
                for _ in 0..len {
                    items.push(self.value(depth - 1)?);
                }
                Value::Array(items)
            }
            _ => {
                let len = self.small(3)?;
                let mut map = Map::new();
                for _ in 0..len {
                    let key = self.name()?;
                    let value = self.value(depth - 1)?;
                    map.insert(key, value);
                }
                Value::Object(map)
            }
        })
    }

    fn ref_prefix(&self, kind: &str) -> String {
        match (self.dialect, kind) {
            (Dialect::Swagger2, "schemas") => "#/definitions/".into(),
            (Dialect::Swagger2, "parameters") => "#/parameters/".into(),
            (Dialect::Swagger2, "responses") => "#/responses/".into(),
            _ => format!("#/components/{kind}/"),
        }
    }

    /// A `$ref` to a component of `kind`; sometimes dangling, external or nested.
    fn reference(&mut self, kind: &str, names: &[String]) -> Result<Value> {
        let prefix = self.ref_prefix(kind);
        // Nested pointers (which dangle when the target lacks that part) and percent-encoded
        // names are valid; the other odd variants are not.
        let variant = if self.rare()? {
            self.small(5)?
        } else if self.ratio(1, 25)? {
            *pick(self.u, &[2, 5])?
        } else {
            6
        };
        let target = match variant {
            0 => format!("{prefix}Missing"),
            1 => format!("other.yaml{prefix}X"),
            2 if !names.is_empty() => {
                let name = pick(self.u, names)?.clone();
                let inner = *pick(self.u, &["properties/id", "items", "allOf/0", "oneOf/1", "additionalProperties", "properties"])?;
                format!("{prefix}{}/{inner}", escape(&name))
            }
            3 => "#/".into(),
            4 => "#".into(),
            5 if !names.is_empty() => {
                // Percent-encoded name.
                let name = pick(self.u, names)?.clone();
                let encoded: String = name.bytes().map(|b| format!("%{b:02X}")).collect();
                format!("{prefix}{encoded}")
            }
            _ if !names.is_empty() => format!("{prefix}{}", escape(pick(self.u, names)?)),
            _ => format!("{prefix}Nothing"),
        };
        Ok(json!({ "$ref": target }))
    }

    fn schema_ref(&mut self) -> Result<Value> {
        let names = self.schemas.clone();
        self.reference("schemas", &names)
    }

    /// A schema, `depth` levels deep at most.
    fn schema(&mut self, depth: u32) -> Result<Value> {
        self.budget = self.budget.saturating_sub(1);
        if depth == 0 || self.budget == 0 {
            return if !self.schemas.is_empty() && self.ratio(1, 2)? { self.schema_ref() } else { self.primitive() };
        }
        let mut schema = match self.small(17)? {
            0..=2 if !self.schemas.is_empty() => return self.schema_ref(),
            0..=2 => self.primitive()?,
            3..=5 => self.primitive()?,
            6 => self.string_enum()?,
            7..=9 => self.object(depth)?,
            10 | 11 => {
                let mut s = json!({"type": "array"});
                if !self.ratio(1, 10)? {
                    s["items"] = self.schema(depth - 1)?;
                }
                self.array_constraints(&mut s)?;
                s
            }
            12 | 13 => self.composition(depth, "allOf")?,
            14 => self.composition(depth, "oneOf")?,
            15 => self.composition(depth, "anyOf")?,
            16 => json!({"not": self.schema(depth - 1)?}),
            _ => {
                if !self.rare()? {
                    json!({})
                } else {
                    json!({"type": pick(self.u, &["null", "file", "any", "Object", "", "string "])?})
                }
            }
        };
        self.decorate(&mut schema)?;
        Ok(schema)
    }

    fn primitive(&mut self) -> Result<Value> {
        let mut schema = match self.small(4)? {
            0 => {
                let mut s = json!({"type": "string"});
                if self.ratio(1, 2)? {
                    s["format"] = json!(pick(self.u, FORMATS)?);
                }
                if self.ratio(1, 4)? {
                    s["pattern"] = json!(if self.rare()? { pick(self.u, PATTERNS)? } else { pick(self.u, &PATTERNS[..2])? });
                }
                if self.ratio(1, 4)? {
                    s["minLength"] = self.count()?;
                }
                if self.ratio(1, 4)? {
                    s["maxLength"] = self.count()?;
                }
                s
            }
            1 | 2 => {
                let ty = if self.ratio(1, 2)? { "integer" } else { "number" };
                let mut s = json!({"type": ty});
                if self.ratio(1, 2)? {
                    s["format"] = json!(pick(self.u, FORMATS)?);
                }
                for key in ["minimum", "maximum", "multipleOf"] {
                    if self.ratio(1, 4)? {
                        s[key] = self.typed_number(ty == "integer")?;
                    }
                }
                for key in ["exclusiveMinimum", "exclusiveMaximum"] {
                    if self.ratio(1, 6)? {
                        // A boolean in 3.0 and Swagger 2.0, a number in 3.1 (and the wrong one sometimes).
                        s[key] = if (self.dialect == Dialect::V31) != self.rare()? { self.typed_number(ty == "integer")? } else { json!(true) };
                    }
                }
                if self.ratio(1, 5)? {
                    let len = self.small(4)?;
                    let mut values = Vec::new();
                    for _ in 0..len {
                        values.push(if self.ratio(1, 6)? { Value::Null } else { self.typed_number(ty == "integer")? });
                    }
                    s["enum"] = Value::Array(values);
                }
                s
            }
            3 => json!({"type": "boolean"}),
            _ => {
                if self.ratio(1, 2)? {
                    json!({"format": pick(self.u, FORMATS)?})
                } else {
                    json!({"type": "string", "format": pick(self.u, &["date", "date-time", "uuid"])?})
                }
            }
        };
        self.decorate(&mut schema)?;
        Ok(schema)
    }

    fn string_enum(&mut self) -> Result<Value> {
        let len = self.small(5)?;
        let mut values = Vec::new();
        for _ in 0..len {
            values.push(match self.small(9)? {
                0 => Value::Null,
                1 => self.number()?,
                2 => json!(true),
                _ => json!(self.name()?),
            });
        }
        let mut schema = json!({"enum": values});
        if self.ratio(3, 4)? {
            schema["type"] = json!(pick(self.u, &["string", "string", "integer", "boolean", "object"])?);
        }
        Ok(schema)
    }

    fn object(&mut self, depth: u32) -> Result<Value> {
        let mut schema = json!({});
        if self.ratio(4, 5)? {
            schema["type"] = json!("object");
        }
        let len = self.small(5)?;
        let mut properties = Map::new();
        let mut names = Vec::new();
        for _ in 0..len {
            let name = self.name()?;
            let value = self.schema(depth - 1)?;
            names.push(name.clone());
            properties.insert(name, value);
        }
        if !properties.is_empty() || self.ratio(1, 2)? {
            schema["properties"] = Value::Object(properties);
        }
        if self.ratio(1, 2)? {
            let mut required = Vec::new();
            for name in &names {
                if self.ratio(1, 2)? {
                    required.push(json!(name));
                }
            }
            if self.ratio(1, 6)? {
                required.push(json!(self.name()?));
            }
            schema["required"] = Value::Array(required);
        }
        match self.small(5)? {
            0 => schema["additionalProperties"] = json!(false),
            1 => schema["additionalProperties"] = json!(true),
            2 => schema["additionalProperties"] = self.schema(depth - 1)?,
            _ => {}
        }
        for key in ["minProperties", "maxProperties"] {
            if self.ratio(1, 8)? {
                schema[key] = self.count()?;
            }
        }
        if self.ratio(1, 8)? {
            let name = self.name()?;
            schema["discriminator"] = json!({"propertyName": name});
        }
        Ok(schema)
    }

    fn array_constraints(&mut self, schema: &mut Value) -> Result<()> {
        for key in ["minItems", "maxItems"] {
            if self.ratio(1, 6)? {
                schema[key] = self.count()?;
            }
        }
        if self.ratio(1, 6)? {
            schema["uniqueItems"] = json!(self.u.arbitrary::<bool>()?);
        }
        if self.dialect == Dialect::Swagger2 && self.ratio(1, 4)? {
            schema["collectionFormat"] = json!(self.collection_format()?);
        }
        Ok(())
    }

    fn collection_format(&mut self) -> Result<&'static str> {
        Ok(if self.rare()? { pick(self.u, &["tsv", "bogus", ""])? } else { pick(self.u, &["csv", "ssv", "pipes", "multi"])? })
    }

    fn composition(&mut self, depth: u32, keyword: &str) -> Result<Value> {
        let len = self.small(4)?;
        let mut branches = Vec::new();
        for _ in 0..len {
            branches.push(if self.ratio(1, 2)? && !self.schemas.is_empty() {
                self.schema_ref()?
            } else if self.ratio(1, 5)? {
                // A constraint-only branch.
                json!({"required": [self.name()?]})
            } else {
                self.schema(depth - 1)?
            });
        }
        let mut schema = json!({ keyword: branches });
        if keyword != "allOf" && self.ratio(1, 3)? {
            let mut discriminator = json!({"propertyName": self.name()?});
            if self.ratio(1, 2)? {
                let mut mapping = Map::new();
                for _ in 0..self.small(3)? {
                    let tag = self.name()?;
                    let target = if self.ratio(1, 3)? || self.schemas.is_empty() {
                        json!(self.name()?)
                    } else {
                        self.schema_ref()?["$ref"].clone()
                    };
                    mapping.insert(tag, target);
                }
                discriminator["mapping"] = Value::Object(mapping);
            }
            schema["discriminator"] = discriminator;
        }
        if keyword == "allOf" && self.ratio(1, 4)? || self.rare()? {
            let object = self.object(depth)?;
            if let (Some(into), Value::Object(from)) = (schema.as_object_mut(), object) {
                into.extend(from);
            }
        }
        Ok(schema)
    }

    /// Annotations any schema may have.
    fn decorate(&mut self, schema: &mut Value) -> Result<()> {
        if !schema.is_object() || schema.get("$ref").is_some() {
            return Ok(());
        }
        if self.ratio(1, 4)? {
            match self.dialect {
                Dialect::V30 => schema["nullable"] = json!(true),
                Dialect::Swagger2 => schema["x-nullable"] = json!(true),
                Dialect::V31 => {
                    // Type arrays with "null" (only "null" now and then).
                    match schema.get("type").cloned() {
                        Some(Value::Array(_)) => {}
                        _ if self.rare()? => schema["type"] = json!(["null"]),
                        Some(ty) => schema["type"] = json!([ty, "null"]),
                        None => schema["type"] = json!(["string", "null"]),
                    }
                }
            }
        }
        if self.dialect == Dialect::V31 && self.ratio(1, 8)? {
            schema["const"] = self.value(1)?;
        }
        if self.dialect == Dialect::V31 && self.rare()? {
            schema["type"] = json!(["string", "integer"]);
        }
        for key in ["readOnly", "writeOnly", "deprecated"] {
            if self.ratio(1, 12)? {
                schema[key] = json!(true);
            }
        }
        if self.ratio(1, 5)? {
            schema["description"] = json!(self.doc()?);
        }
        if self.ratio(1, 10)? {
            schema["title"] = json!(self.name()?);
        }
        if self.ratio(1, 6)? {
            schema["default"] = self.value(2)?;
        }
        if self.ratio(1, 8)? {
            schema["example"] = self.value(2)?;
        }
        if self.dialect == Dialect::V31 && self.ratio(1, 6)? {
            schema["examples"] = json!([self.value(1)?, self.value(1)?]);
        }
        Ok(())
    }

    fn security_scheme(&mut self) -> Result<Value> {
        let swagger = self.dialect == Dialect::Swagger2;
        let variant = if self.rare()? { self.small(2)? + 5 } else { self.small(4)? };
        Ok(match variant {
            0 if swagger => json!({"type": "basic"}),
            0 => json!({"type": "http", "scheme": pick(self.u, &["bearer", "basic", "Bearer", "digest", ""])?, "bearerFormat": "JWT"}),
            1 | 2 => {
                let places: &[&str] = if swagger { &["header", "query"] } else { &["header", "query", "cookie"] };
                let place = if self.rare()? { "path" } else { pick(self.u, places)? };
                json!({"type": "apiKey", "in": place, "name": self.name()?})
            }
            3 if swagger => json!({"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://example.com", "scopes": {"read": "r"}}),
            3 => json!({"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://example.com/t", "scopes": {"read": "r"}}}}),
            4 => json!({"type": "openIdConnect", "openIdConnectUrl": "https://example.com/.well-known"}),
            5 => json!({"type": pick(self.u, &["mutualTLS", "bogus"])?}),
            _ => {
                let names = self.security.clone();
                self.reference("securitySchemes", &names)?
            }
        })
    }

    fn security_requirements(&mut self) -> Result<Value> {
        let len = self.small(3)?;
        let mut list = Vec::new();
        for _ in 0..len {
            let mut requirement = Map::new();
            let names = if self.security.is_empty() && !self.rare()? { 0 } else { self.small(2)? };
            for _ in 0..names {
                let name = if !self.security.is_empty() && !self.rare()? {
                    pick(self.u, &self.security)?.clone()
                } else {
                    self.name()?
                };
                let scopes = if self.ratio(1, 4)? { json!(["read", "write"]) } else { json!([]) };
                requirement.insert(name, scopes);
            }
            list.push(Value::Object(requirement));
        }
        Ok(Value::Array(list))
    }

    /// A path template with its path parameter names.
    fn path(&mut self) -> Result<(String, Vec<String>)> {
        let mut path = String::new();
        let mut params = Vec::new();
        let segments = self.small(4)?;
        for _ in 0..segments {
            path.push('/');
            let variant = if self.rare()? { 9 } else { self.small(11)? };
            match variant {
                0..=3 => path.push_str(pick(self.u, &["pets", "users", "a", "v1", "items.json", "x-y", "%20", "é", "", "a b"])?),
                4..=7 => {
                    let name = self.path_param_name()?;
                    let op = if self.rare()? { *pick(self.u, &["+", "#", "?", "&", "/"])? } else { *pick(self.u, &["", "", "", ".", ";"])? };
                    let star = if self.ratio(1, 6)? { "*" } else { "" };
                    path.push_str(&format!("{{{op}{name}{star}}}"));
                    params.push(name);
                }
                8 => {
                    // Two parameters in one segment.
                    let a = self.path_param_name()?;
                    let b = self.path_param_name()?;
                    path.push_str(&format!("{{{a}}}.{{{b}}}"));
                    params.push(a);
                    params.push(b);
                }
                9 if self.rare()? => path.push_str(pick(self.u, &["{", "}", "{}", "{a", "a}b{", "{{a}}", "{a}{a}"])?),
                9 => path.push_str("static"),
                10 => {
                    path.push_str("prefix-{id}-suffix");
                    params.push("id".to_string());
                }
                _ => path.push_str(&self.name()?),
            }
        }
        if path.is_empty() || self.ratio(1, 10)? {
            path.push('/');
        }
        // A name used twice in one template is declared once.
        let mut seen = Vec::new();
        params.retain(|name| if seen.contains(name) { false } else { seen.push(name.clone()); true });
        if self.rare()? {
            path = path.trim_start_matches('/').to_string();
        }
        Ok((path, params))
    }

    fn parameter(&mut self, forced_path: Option<&str>) -> Result<Value> {
        let location = match forced_path {
            Some(_) => "path",
            None if self.rare()? => *pick(self.u, &["body", "cookie", "path", "bogus"])?,
            None => match self.dialect {
                Dialect::Swagger2 => *pick(self.u, &["query", "header", "formData", "body"])?,
                _ => *pick(self.u, &["query", "query", "header", "cookie"])?,
            },
        };
        let name = match forced_path {
            Some(name) if !self.rare()? => name.to_string(),
            _ => self.name()?,
        };
        let mut param = json!({"name": name, "in": location});
        if location == "path" || self.ratio(1, 3)? {
            param["required"] = json!(location == "path" || self.u.arbitrary::<bool>()?);
        }
        if self.rare()? {
            param["required"] = json!(false);
        }
        if self.dialect == Dialect::Swagger2 && location != "body" {
            // Swagger 2.0 puts the type on the parameter itself.
            let schema = self.primitive()?;
            if let (Some(into), Value::Object(from)) = (param.as_object_mut(), schema) {
                into.extend(from);
            }
            if self.ratio(1, 3)? {
                param["type"] = json!("array");
                param["items"] = self.primitive()?;
                param["collectionFormat"] = json!(match location {
                    "query" | "formData" => self.collection_format()?,
                    _ if self.rare()? => self.collection_format()?,
                    _ => "csv",
                });
            }
            if location == "formData" && self.ratio(1, 4)? {
                param["type"] = json!("file");
            }
            return Ok(param);
        }
        if self.ratio(1, 8)? {
            let media = *pick(self.u, MEDIA)?;
            param["content"] = json!({ media: {"schema": self.schema(2)?} });
        } else if !self.rare()? {
            param["schema"] = self.schema(2)?;
        }
        if self.ratio(1, 3)? {
            // Each location has its own styles; a wrong one now and then.
            let styles: &[&str] = match location {
                _ if self.rare()? => &["form", "simple", "label", "matrix", "spaceDelimited", "pipeDelimited", "deepObject", "bogus"],
                "path" => &["simple", "label", "matrix"],
                "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
                "header" => &["simple"],
                _ => &["form"],
            };
            param["style"] = json!(pick(self.u, styles)?);
        }
        if self.ratio(1, 3)? {
            param["explode"] = json!(self.u.arbitrary::<bool>()?);
        }
        for key in ["allowReserved", "deprecated", "allowEmptyValue"] {
            if self.ratio(1, 10)? {
                param[key] = json!(true);
            }
        }
        if self.ratio(1, 5)? {
            param["description"] = json!(self.doc()?);
        }
        if self.ratio(1, 8)? {
            param["example"] = self.value(1)?;
        }
        Ok(param)
    }

    fn content(&mut self) -> Result<Value> {
        let mut content = Map::new();
        for _ in 0..self.small(2)? + 1 {
            let media = pick(self.u, MEDIA)?.to_string();
            let mut item = Map::new();
            if !self.ratio(1, 8)? {
                item.insert("schema".into(), self.schema(3)?);
            }
            if self.ratio(1, 8)? {
                item.insert("example".into(), self.value(2)?);
            }
            if media.contains("form") && self.ratio(1, 3)? {
                let style = *pick(self.u, &["form", "spaceDelimited", "pipeDelimited", "deepObject", "matrix"])?;
                let field = json!({ "style": style, "explode": self.ratio(1, 2)? });
                item.insert("encoding".into(), json!({ *pick(self.u, NAMES)?: field }));
            }
            content.insert(media, Value::Object(item));
        }
        Ok(Value::Object(content))
    }

    fn response(&mut self) -> Result<Value> {
        if !self.responses.is_empty() && self.ratio(1, 5)? {
            let names = self.responses.clone();
            return self.reference("responses", &names);
        }
        let mut response = json!({"description": self.doc()?});
        if self.ratio(1, 3)? {
            let mut headers = Map::new();
            for _ in 0..self.small(2)? {
                let mut header = json!({"schema": self.schema(1)?});
                if self.dialect == Dialect::Swagger2 {
                    header = self.primitive()?;
                }
                if self.ratio(1, 2)? {
                    header["required"] = json!(true);
                }
                let name = self.name()?;
                headers.insert(name, header);
            }
            response["headers"] = Value::Object(headers);
        }
        if self.ratio(2, 3)? {
            if self.dialect == Dialect::Swagger2 {
                response["schema"] = self.schema(3)?;
            } else {
                response["content"] = self.content()?;
            }
        }
        Ok(response)
    }

    fn request_body(&mut self) -> Result<Value> {
        if !self.bodies.is_empty() && self.ratio(1, 4)? {
            let names = self.bodies.clone();
            return self.reference("requestBodies", &names);
        }
        let mut body = json!({"content": self.content()?});
        if self.ratio(1, 2)? {
            body["required"] = json!(self.u.arbitrary::<bool>()?);
        }
        if self.ratio(1, 5)? {
            body["description"] = json!(self.doc()?);
        }
        Ok(body)
    }

    fn operation(&mut self, path_params: &[String]) -> Result<Value> {
        let mut op = Map::new();
        if self.ratio(3, 4)? {
            op.insert("operationId".into(), json!(self.name()?));
        }
        if self.ratio(1, 3)? {
            op.insert("tags".into(), json!([self.name()?]));
        }
        if self.ratio(1, 3)? {
            op.insert("summary".into(), json!(self.doc()?));
        }
        if self.ratio(1, 8)? {
            op.insert("deprecated".into(), json!(true));
        }
        let mut params = Vec::new();
        if !self.rare()? {
            for name in path_params {
                params.push(self.parameter(Some(name))?);
            }
        }
        for _ in 0..self.small(3)? {
            params.push(if !self.parameters.is_empty() && self.ratio(1, 4)? {
                let names = self.parameters.clone();
                self.reference("parameters", &names)?
            } else {
                self.parameter(None)?
            });
        }
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }
        if self.ratio(1, 3)? {
            if self.dialect == Dialect::Swagger2 {
                op.insert("consumes".into(), json!([pick(self.u, MEDIA)?]));
            } else {
                op.insert("requestBody".into(), self.request_body()?);
            }
        }
        if self.dialect == Dialect::Swagger2 && self.ratio(1, 3)? {
            op.insert("produces".into(), json!([pick(self.u, MEDIA)?]));
        }
        let mut responses = Map::new();
        for _ in 0..self.small(3)? + usize::from(!self.rare()?) {
            let status = if self.rare()? { pick(self.u, &["999", "0", "abc", "1XX", "6XX"])? } else { pick(self.u, STATUSES)? }.to_string();
            let response = self.response()?;
            responses.insert(status, response);
        }
        op.insert("responses".into(), Value::Object(responses));
        if self.ratio(1, 4)? {
            op.insert("security".into(), self.security_requirements()?);
        }
        if self.rare()? {
            op.insert("callbacks".into(), json!({"cb": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}}}));
        }
        Ok(Value::Object(op))
    }

    fn names(&mut self, max: usize) -> Result<Vec<String>> {
        let mut names = Vec::new();
        for _ in 0..self.small(max)? {
            names.push(self.name()?);
        }
        Ok(names)
    }

    fn document(&mut self) -> Result<Value> {
        self.schemas = self.names(7)?;
        self.parameters = self.names(2)?;
        self.responses = self.names(2)?;
        self.bodies = if self.dialect == Dialect::Swagger2 { Vec::new() } else { self.names(2)? };
        self.security = self.names(2)?;

        let mut doc = Map::new();
        match self.dialect {
            Dialect::V30 => doc.insert("openapi".into(), json!(pick(self.u, &["3.0.3", "3.0.0", "3.0.1", "3.0"])?)),
            Dialect::V31 => doc.insert("openapi".into(), json!(pick(self.u, &["3.1.0", "3.1.1"])?)),
            Dialect::Swagger2 => doc.insert("swagger".into(), json!("2.0")),
        };
        let mut info = json!({"title": self.name()?, "version": pick(self.u, &["1.0.0", "1", "", "v2-beta", "0.0.0-rc.1+x", "not a version"])?});
        if self.ratio(1, 3)? {
            info["description"] = json!(self.doc()?);
        }
        if self.ratio(1, 3)? {
            info["license"] = json!({"name": pick(self.u, &["MIT", "Apache 2.0", "\"quoted\"", "", "a\nb"])?});
        }
        doc.insert("info".into(), info);
        if self.ratio(1, 3)? {
            if self.dialect == Dialect::Swagger2 {
                doc.insert("host".into(), json!("api.example.com"));
                doc.insert("basePath".into(), json!(pick(self.u, &["/v1", "/", "", "v1"])?));
                doc.insert("schemes".into(), json!(["https"]));
            } else {
                doc.insert("servers".into(), json!([{"url": pick(self.u, &["https://api.example.com/v1", "/", "{scheme}://x", ""])?}]));
            }
        }
        if self.ratio(1, 4)? {
            doc.insert("security".into(), self.security_requirements()?);
        }

        let mut paths = Map::new();
        for _ in 0..self.small(4)? {
            let (path, path_params) = self.path()?;
            let mut item = Map::new();
            let path_level = self.ratio(1, 3)? && !path_params.is_empty();
            if path_level {
                let mut params = Vec::new();
                for name in &path_params {
                    params.push(self.parameter(Some(name))?);
                }
                item.insert("parameters".into(), Value::Array(params));
            }
            for _ in 0..self.small(2)? + 1 {
                let method = pick(self.u, METHODS)?.to_string();
                let op = self.operation(if path_level { &[] } else { &path_params })?;
                item.insert(method, op);
            }
            if self.rare()? {
                item.insert("$ref".into(), json!("#/paths/~1other"));
            }
            paths.insert(path, Value::Object(item));
        }
        doc.insert("paths".into(), Value::Object(paths));
        if self.dialect == Dialect::V31 && self.ratio(1, 4)? {
            doc.insert("webhooks".into(), json!({"hook": {"post": {"responses": {"200": {"description": "ok"}}}}}));
        }

        let mut schemas = Map::new();
        for name in self.schemas.clone() {
            let mut schema = self.schema(4)?;
            if schema.get("$ref").is_some() && !self.rare()? {
                // A component that is only a `$ref` easily makes an alias cycle (`A -> A`).
                schema = json!({"type": "object", "properties": {"inner": schema}});
            }
            schemas.insert(name, schema);
        }
        let mut parameters = Map::new();
        for name in self.parameters.clone() {
            let param = self.parameter(None)?;
            parameters.insert(name, param);
        }
        // Components that are `$ref`s to their own kind easily make cycles (`A -> A`): rare.
        let keep = self.rare()?;
        let response_names = if keep { self.responses.clone() } else { std::mem::take(&mut self.responses) };
        let body_names = if keep { self.bodies.clone() } else { std::mem::take(&mut self.bodies) };
        let mut responses = Map::new();
        for name in &response_names {
            let response = self.response()?;
            responses.insert(name.clone(), response);
        }
        let mut bodies = Map::new();
        for name in &body_names {
            let body = self.request_body()?;
            bodies.insert(name.clone(), body);
        }
        self.responses = response_names;
        self.bodies = body_names;
        let mut security = Map::new();
        for name in self.security.clone() {
            let scheme = self.security_scheme()?;
            security.insert(name, scheme);
        }
        if self.dialect == Dialect::Swagger2 {
            doc.insert("definitions".into(), Value::Object(schemas));
            doc.insert("parameters".into(), Value::Object(parameters));
            doc.insert("responses".into(), Value::Object(responses));
            doc.insert("securityDefinitions".into(), Value::Object(security));
        } else {
            let mut components = Map::new();
            components.insert("schemas".into(), Value::Object(schemas));
            components.insert("parameters".into(), Value::Object(parameters));
            components.insert("responses".into(), Value::Object(responses));
            components.insert("requestBodies".into(), Value::Object(bodies));
            components.insert("securitySchemes".into(), Value::Object(security));
            if self.ratio(1, 10)? {
                components.insert("headers".into(), json!({"H": {"schema": {"type": "string"}}}));
            }
            doc.insert("components".into(), Value::Object(components));
        }
        if self.ratio(1, 10)? {
            doc.insert("x-extension".into(), self.value(2)?);
        }
        Ok(Value::Object(doc))
    }
}

/// Renders a document as YAML, compact JSON or pretty JSON.
fn render(u: &mut Unstructured<'_>, doc: &Value) -> Result<String> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => serde_json::to_string(doc).unwrap_or_default(),
        1 => serde_json::to_string_pretty(doc).unwrap_or_default(),
        _ => serde_yaml::to_string(doc).unwrap_or_default(),
    })
}

/// A random document built from scratch.
pub fn spec_value(u: &mut Unstructured<'_>) -> Result<Value> {
    let dialect = match u.int_in_range(0..=9u8)? {
        0 | 1 => Dialect::V31,
        2 | 3 => Dialect::Swagger2,
        _ => Dialect::V30,
    };
    let budget = u.int_in_range(4..=60)?;
    let mut gen = Gen {
        u,
        dialect,
        schemas: Vec::new(),
        parameters: Vec::new(),
        responses: Vec::new(),
        bodies: Vec::new(),
        security: Vec::new(),
        budget,
    };
    gen.document()
}

/// A random document built from scratch, as text.
pub fn spec_text(u: &mut Unstructured<'_>) -> Result<String> {
    let doc = spec_value(u)?;
    render(u, &doc)
}

/// Paths (as lists of keys/indices) of every node of a document, in document order.
fn node_paths(value: &Value, prefix: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(PathStep::Key(key.clone()));
                node_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                prefix.push(PathStep::Index(index));
                node_paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn node_mut<'v>(value: &'v mut Value, path: &[PathStep]) -> Option<&'v mut Value> {
    let mut current = value;
    for step in path {
        current = match (step, current) {
            (PathStep::Key(key), Value::Object(map)) => map.get_mut(key)?,
            (PathStep::Index(index), Value::Array(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(current)
}

fn node<'v>(value: &'v Value, path: &[PathStep]) -> Option<&'v Value> {
    let mut current = value;
    for step in path {
        current = match (step, current) {
            (PathStep::Key(key), Value::Object(map)) => map.get(key)?,
            (PathStep::Index(index), Value::Array(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Applies a few random edits to a document.
pub fn mutate_value(u: &mut Unstructured<'_>, doc: &mut Value) -> Result<()> {
    let schemas: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|map| map.keys().cloned().collect())
        .unwrap_or_default();
    let edits = u.int_in_range(1..=4)?;
    for _ in 0..edits {
        let mut paths = Vec::new();
        node_paths(doc, &mut Vec::new(), &mut paths);
        // Skip the root: replacing the whole document only tests the version check.
        let Some(path) = paths.get(1..).and_then(|rest| u.choose(rest).ok()).cloned() else { break };
        let donor = u.choose(&paths)?.clone();
        let donor_value = node(doc, &donor).cloned().unwrap_or(Value::Null);
        let dialect = Dialect::V30;
        let mut gen = Gen {
            u: &mut *u,
            dialect,
            schemas: schemas.clone(),
            parameters: Vec::new(),
            responses: Vec::new(),
            bodies: Vec::new(),
            security: Vec::new(),
            budget: 12,
        };
        let replacement = match gen.small(9)? {
            0 => None,
            1 => Some(gen.value(2)?),
            2 | 3 => Some(gen.schema(3)?),
            4 | 5 => Some(donor_value),
            6 => Some(gen.schema_ref()?),
            7 => {
                // Annotate an object node instead of replacing it.
                let key = *pick(gen.u, &["nullable", "readOnly", "writeOnly", "deprecated", "required", "enum", "default", "allOf", "additionalProperties", "discriminator", "style", "explode"])?;
                let value = match key {
                    "required" => json!([gen.name()?]),
                    "enum" => json!([gen.name()?, null, gen.name()?]),
                    "allOf" => json!([gen.schema_ref()?]),
                    "default" => gen.value(1)?,
                    "discriminator" => json!({"propertyName": gen.name()?}),
                    "style" => json!(pick(gen.u, &["form", "simple", "label", "matrix", "deepObject", "pipeDelimited"])?),
                    _ => json!(true),
                };
                if let Some(Value::Object(map)) = node_mut(doc, &path) {
                    map.insert(key.to_string(), value);
                }
                continue;
            }
            8 => {
                // Rename a key.
                let new_name = gen.name()?;
                if let Some((PathStep::Key(old), parent)) = path.split_last() {
                    if let Some(Value::Object(map)) = node_mut(doc, parent) {
                        if let Some(value) = map.shift_remove(old) {
                            map.insert(new_name, value);
                        }
                    }
                }
                continue;
            }
            _ => {
                // Wrap the node in an array, an allOf or a nullable.
                let inner = node(doc, &path).cloned().unwrap_or(Value::Null);
                Some(match gen.small(2)? {
                    0 => json!({"type": "array", "items": inner}),
                    1 => json!({"allOf": [inner], "nullable": true}),
                    _ => json!({"oneOf": [inner, {"type": "string"}]}),
                })
            }
        };
        match replacement {
            Some(value) => {
                if let Some(slot) = node_mut(doc, &path) {
                    *slot = value;
                }
            }
            None => {
                if let Some((last, parent)) = path.split_last() {
                    match (last, node_mut(doc, parent)) {
                        (PathStep::Key(key), Some(Value::Object(map))) => {
                            map.shift_remove(key);
                        }
                        (PathStep::Index(index), Some(Value::Array(items))) if *index < items.len() => {
                            items.remove(*index);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    Ok(())
}

/// One of [`FIXTURES`] (by index, modulo their number), parsed, mutated and rendered.
pub fn mutate_text(u: &mut Unstructured<'_>, fixture: usize) -> Result<String> {
    let text = FIXTURES[fixture % FIXTURES.len()];
    let Ok(mut doc) = serde_yaml::from_str::<Value>(text) else { return Ok(text.to_string()) };
    mutate_value(u, &mut doc)?;
    render(u, &doc)
}
