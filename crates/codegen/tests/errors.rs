//! Each kind of bad spec gets one clear error that says where the problem is.
//!
//! Every case checks the error text and its location (line:column for syntax errors, the JSON
//! pointer otherwise). The full messages are also kept as a snapshot in `snapshots/errors/` so a
//! change of wording is reviewed like any other output change.

use codegen::error::{DiagnosticKind, Location};
use codegen::Settings;

fn settings() -> Settings {
    Settings { name: "bad".into(), spec_label: "bad.yaml".into(), command: "cargo xtask codegen --spec".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() }
}

/// Generation must fail; returns the rendered errors.
fn fails(spec: &str) -> codegen::error::Diagnostics {
    match codegen::generate_str(spec, &settings()) {
        Ok(files) => panic!("expected an error, got {} files", files.len()),
        Err(diagnostics) => diagnostics,
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

fn spec(body: &str) -> String {
    format!("{HEAD}{body}")
}

struct Case {
    name: &'static str,
    spec: String,
    kind: DiagnosticKind,
    location: Location,
    message: &'static str,
}

fn pointer(p: &str) -> Location {
    Location::Pointer(p.to_string())
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "invalid YAML",
            spec: "openapi: 3.0.3\ninfo: {title: t\npaths: {}\n".into(),
            kind: DiagnosticKind::Syntax,
            location: Location::Text { line: 3, column: 6 },
            message: "did not find expected ',' or '}'",
        },
        Case {
            name: "duplicate top-level key (reported at its second occurrence)",
            spec: "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ninfo: {title: u, version: '2'}\n".into(),
            kind: DiagnosticKind::Syntax,
            location: Location::Text { line: 4, column: 1 },
            message: "duplicate entry with key \"info\"",
        },
        Case {
            name: "duplicate path (reported at its second occurrence)",
            spec: spec("paths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n  # a comment\n  '/a':\n    get:\n      responses: {'200': {description: ok}}\n"),
            kind: DiagnosticKind::Syntax,
            location: Location::Text { line: 8, column: 3 },
            message: "duplicate entry with key \"/a\"",
        },
        Case {
            name: "duplicate key in a list item (a parameter)",
            spec: spec("paths:\n  /a:\n    get:\n      parameters:\n        - name: a\n          in: query\n          name: b\n      responses: {'200': {description: ok}}\n"),
            kind: DiagnosticKind::Syntax,
            location: Location::Text { line: 9, column: 11 },
            message: "duplicate entry with key \"name\"",
        },
        Case {
            name: "empty file",
            spec: "  \n".into(),
            kind: DiagnosticKind::Invalid,
            location: Location::Document,
            message: "the file is empty",
        },
        Case {
            name: "YAML that is not OpenAPI",
            spec: "name: my-service\nreplicas: 3\n".into(),
            kind: DiagnosticKind::Invalid,
            location: pointer("#"),
            message: "the `openapi` version field is missing",
        },
        Case {
            name: "a list at the top level",
            spec: "- a\n- b\n".into(),
            kind: DiagnosticKind::Invalid,
            location: pointer("#"),
            message: "the top level must be a mapping",
        },
        Case {
            name: "OpenAPI 4.0",
            spec: "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n".into(),
            kind: DiagnosticKind::Unsupported,
            location: pointer("#/openapi"),
            message: "unsupported version: OpenAPI 4.0.0",
        },
        Case {
            name: "Swagger 1.2",
            spec: "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n".into(),
            kind: DiagnosticKind::Unsupported,
            location: pointer("#/swagger"),
            message: "unsupported version: Swagger 1.2",
        },
        Case {
            name: "wrong shape for a known field",
            spec: spec("paths: 5\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/paths"),
            message: "not a valid OpenAPI 3.0 document",
        },
        Case {
            name: "dangling schema $ref",
            spec: spec("paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/components/schemas/A/properties/b/$ref"),
            message: "dangling $ref `#/components/schemas/Missing`",
        },
        Case {
            name: "dangling parameter $ref",
            spec: spec("paths:\n  /a:\n    get:\n      operationId: a\n      parameters: [{$ref: '#/components/parameters/Nope'}]\n      responses: {'200': {description: ok}}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/paths/~1a/get/parameters/0/$ref"),
            message: "there is no `Nope` in components.parameters",
        },
        Case {
            name: "$ref cycle with no schema in it",
            spec: spec("paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/components/schemas/A/$ref"),
            message: "$ref cycle with no schemas in it: B -> A -> B",
        },
        Case {
            name: "parameter $ref cycle",
            spec: spec("paths:\n  /a:\n    get:\n      operationId: a\n      parameters: [{$ref: '#/components/parameters/P'}]\n      responses: {'200': {description: ok}}\ncomponents:\n  parameters:\n    P: {$ref: '#/components/parameters/Q'}\n    Q: {$ref: '#/components/parameters/P'}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/components/parameters/Q/$ref"),
            message: "$ref cycle with no parameters in it: P -> Q -> P",
        },
        Case {
            name: "external $ref",
            spec: spec("paths: {}\ncomponents:\n  schemas:\n    A: {type: array, items: {$ref: 'other.yaml#/components/schemas/B'}}\n"),
            kind: DiagnosticKind::Unsupported,
            location: pointer("#/components/schemas/A/items/$ref"),
            message: "external $ref `other.yaml#/components/schemas/B`",
        },
        Case {
            name: "duplicate operationId",
            spec: spec("paths:\n  /a:\n    get: {operationId: same, responses: {'200': {description: ok}}}\n  /b:\n    get: {operationId: same, responses: {'200': {description: ok}}}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/paths/~1b/get/operationId"),
            message: "duplicate operationId `same` (first used at #/paths/~1a/get)",
        },
        Case {
            name: "path parameter never declared",
            spec: spec("paths:\n  /items/{id}:\n    get: {operationId: get, responses: {'200': {description: ok}}}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/paths/~1items~1{id}/get"),
            message: "path parameter `{id}` is used in the path but never declared",
        },
        Case {
            name: "allOf that includes itself",
            spec: spec("paths: {}\ncomponents:\n  schemas:\n    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n    B:\n      allOf:\n        - $ref: '#/components/schemas/A'\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/components/schemas/A"),
            message: "`A` only stands for `B`, which comes back to `A`",
        },
        Case {
            name: "invalid pattern",
            spec: spec("paths: {}\ncomponents:\n  schemas:\n    A: {type: string, pattern: '([a-z'}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/components/schemas/A/pattern"),
            message: "`pattern` is not an ECMA-262 regular expression",
        },
        Case {
            name: "unknown parameter location, deep in a path item",
            spec: spec("paths:\n  /a:\n    get:\n      operationId: a\n      parameters: [{name: q, in: querry, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/paths/~1a/get/parameters/0/in"),
            message: "unknown variant `querry`",
        },
        Case {
            name: "keyword of the wrong type in a nested property",
            spec: spec("paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {type: array, items: {type: string, maxLength: -1}}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/components/schemas/A/properties/b/items/maxLength"),
            message: "expected usize",
        },
        Case {
            name: "multipleOf zero",
            spec: spec("paths: {}\ncomponents:\n  schemas:\n    A: {type: integer, multipleOf: 0}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/components/schemas/A/multipleOf"),
            message: "`multipleOf` must be greater than 0, not 0",
        },
        Case {
            name: "template parameter used twice",
            spec: spec("paths:\n  /d/{x}/{x}:\n    get:\n      operationId: d\n      parameters: [{name: x, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/paths/~1d~1{x}~1{x}"),
            message: "uses `{x}` twice",
        },
        Case {
            name: "a parameter declared twice in one list",
            spec: spec("paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {name: q, in: query, schema: {type: string}}\n        - {name: q, in: query, schema: {type: integer}}\n      responses: {'204': {description: ok}}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/paths/~1a/get/parameters/1"),
            message: "parameter `q` (in: query) is declared twice in this list (first at #/paths/~1a/get/parameters/0)",
        },
        Case {
            name: "a path without a leading slash",
            spec: spec("paths:\n  pets:\n    get:\n      operationId: a\n      responses: {'204': {description: ok}}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/paths/pets"),
            message: "path `pets` does not begin with `/`",
        },
        Case {
            name: "a discriminator mapping to no schema",
            spec: spec("paths: {}\ncomponents:\n  schemas:\n    Cat: {type: object}\n    Pet:\n      oneOf: [{$ref: '#/components/schemas/Cat'}]\n      discriminator:\n        propertyName: kind\n        mapping: {cat: Cat, bird: '#/components/schemas/Bird'}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/components/schemas/Pet/discriminator/mapping/bird"),
            message: "discriminator mapping `bird` points at `#/components/schemas/Bird`, which is not a schema of this document",
        },
        Case {
            name: "a $ref to a property that is that $ref (once overflowed the stack)",
            spec: spec("paths: {}\ncomponents:\n  schemas:\n    Loop:\n      type: object\n      properties:\n        me: {$ref: '#/components/schemas/Loop/properties/me'}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/components/schemas/Loop/properties/me/$ref"),
            message: "$ref `#/components/schemas/Loop/properties/me` leads back to itself through references alone: it never reaches a schema",
        },
        Case {
            name: "nested $refs that lead to each other",
            spec: spec("paths: {}\ncomponents:\n  schemas:\n    L:\n      type: array\n      items: {$ref: '#/components/schemas/M/additionalProperties'}\n    M:\n      type: object\n      additionalProperties: {$ref: '#/components/schemas/L/items'}\n"),
            kind: DiagnosticKind::Invalid,
            location: pointer("#/components/schemas/L/items/$ref"),
            message: "$ref `#/components/schemas/M/additionalProperties` leads back to itself through references alone",
        },
        Case {
            name: "unknown schema type",
            spec: spec("paths: {}\ncomponents:\n  schemas:\n    A: {type: file}\n"),
            kind: DiagnosticKind::Unsupported,
            location: pointer("#/components/schemas/A/type"),
            message: "unknown schema type `file`",
        },
    ]
}

#[test]
fn every_bad_spec_is_reported_with_its_location() {
    let mut transcript = String::new();
    for case in cases() {
        let diagnostics = fails(&case.spec);
        let first = &diagnostics.items[0];
        assert_eq!(first.kind, case.kind, "{}: kind", case.name);
        assert_eq!(first.location, case.location, "{}: location", case.name);
        assert!(
            first.message.contains(case.message),
            "{}: message {:?} does not contain {:?}",
            case.name,
            first.message,
            case.message
        );
        let rendered = diagnostics.to_string();
        assert!(rendered.starts_with("error: bad.yaml"), "{}: names the file: {rendered}", case.name);
        transcript.push_str(&format!("# {}\n{rendered}\n\n", case.name));
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut insta_settings = insta::Settings::clone_current();
    insta_settings.set_snapshot_path(root.join("snapshots/errors"));
    insta_settings.set_prepend_module_to_snapshot(false);
    insta_settings.bind(|| insta::assert_snapshot!("bad_specs", transcript));
}

#[test]
fn all_problems_are_reported_in_one_run() {
    let diagnostics = fails(&spec(
        "paths:\n  /a/{x}:\n    get: {operationId: a, responses: {'200': {description: ok}}}\ncomponents:\n  schemas:\n    A: {type: array, items: {$ref: '#/components/schemas/Nope'}}\n",
    ));
    assert_eq!(diagnostics.items.len(), 2, "{diagnostics}");
}

#[test]
fn deeply_nested_schemas_never_overflow_the_stack() {
    // Thousands of levels: the YAML parser's recursion limit answers with an error, never a crash.
    let depth = 5000;
    let mut nested = String::from("{type: string}");
    for _ in 0..depth {
        nested = format!("{{type: array, items: {nested}}}");
    }
    let text = spec(&format!("paths: {{}}\ncomponents:\n  schemas:\n    Deep: {nested}\n"));
    let diagnostics = fails(&text);
    assert_eq!(diagnostics.items[0].kind, DiagnosticKind::Syntax);
    assert!(diagnostics.to_string().contains("recursion limit exceeded"), "{diagnostics}");

    // Depth the parser accepts still generates.
    let mut nested = String::from("{type: string}");
    for _ in 0..60 {
        nested = format!("{{type: array, items: {nested}}}");
    }
    let text = spec(&format!("paths: {{}}\ncomponents:\n  schemas:\n    Deep: {nested}\n"));
    let files = codegen::generate_str(&text, &settings()).unwrap_or_else(|err| panic!("{err}"));
    assert!(files["bad-types/src/generated.rs"].contains("pub struct Deep("));
}
