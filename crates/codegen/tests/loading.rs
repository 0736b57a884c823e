//! Reading spec text end to end: JSON and YAML chosen by content, what each syntax allows that
//! the other does not, and the lenient reading of numeric exclusive bounds in 3.0 documents.

use codegen::error::{DiagnosticKind, Diagnostics, Location};
use codegen::ir::{Api, Status};
use codegen::Settings;

fn settings(label: &str) -> Settings {
    Settings { name: "load".into(), spec_label: label.into(), command: "cargo xtask codegen --spec".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() }
}

fn lower(text: &str) -> (Api, Diagnostics) {
    match codegen::lower_with_warnings(text, &settings("spec.yaml")) {
        Ok(lowered) => lowered,
        Err(err) => panic!("the spec lowers: {err}"),
    }
}

fn refused(text: &str) -> Diagnostics {
    match codegen::lower_str(text, &settings("spec.json")) {
        Ok(_) => panic!("expected an error"),
        Err(diagnostics) => diagnostics,
    }
}

fn minimum(api: &Api, schema: &str) -> (Option<f64>, bool) {
    let check = api.checks.iter().find(|c| c.spec_name == schema).unwrap_or_else(|| panic!("no check for {schema}"));
    (check.check.constraints.minimum, check.check.constraints.exclusive_minimum)
}

#[test]
fn json_with_surrogate_pairs_and_raw_emoji_generates() {
    let text = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Hello! \ud83d\udc4d", "version": "1", "description": "Raw: 👍"},
  "paths": {}
}"#;
    let (api, warnings) = lower(text);
    assert_eq!(api.info.title, "Hello! 👍");
    assert_eq!(api.info.description.as_deref(), Some("Raw: 👍"));
    assert!(warnings.items.is_empty());
}

#[test]
fn syntax_errors_point_at_line_and_column_in_both_syntaxes() {
    let json = refused("{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {]\n}\n");
    assert_eq!(json.items[0].kind, DiagnosticKind::Syntax);
    assert_eq!(json.items[0].location, Location::Text { line: 3, column: 13 }, "{json}");
    assert!(json.to_string().starts_with("error: spec.json:3:13: syntax error: "), "{json}");

    let yaml = refused("openapi: 3.0.3\npaths:\n  /a: [\n");
    assert_eq!(yaml.items[0].kind, DiagnosticKind::Syntax);
    assert!(matches!(yaml.items[0].location, Location::Text { line: 4, .. }), "{yaml}");
}

#[test]
fn a_yaml_document_written_as_one_flow_mapping_loads() {
    let (api, _) = lower("{openapi: 3.0.3, info: {title: flow, version: '1'},\n  paths: {}}\n");
    assert_eq!(api.info.title, "flow");
}

#[test]
fn integers_beyond_64_bits_load_as_floats() {
    let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Big:\n      type: integer\n      minimum: -9223372036854776000\n";
    let (api, _) = lower(yaml);
    assert_eq!(minimum(&api, "Big"), (Some(-9223372036854776000.0), false));

    let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
      "components": {"schemas": {"Big": {"type": "integer", "minimum": -92233720368547760000}}}}"#;
    let (api, _) = lower(json);
    assert_eq!(minimum(&api, "Big"), (Some(-92233720368547760000.0), false));
}

#[test]
fn numbers_beyond_a_float_are_refused_as_numbers_where_a_number_is_needed() {
    let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    X: {type: number, maximum: 1e400}\n";
    let refused_yaml = refused(yaml);
    assert_eq!(refused_yaml.items[0].location, Location::Pointer("#/components/schemas/X/maximum".into()), "{refused_yaml}");
    assert!(refused_yaml.items[0].message.contains("the number 1e400 is out of range"), "{refused_yaml}");
    let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
      "components": {"schemas": {"X": {"type": "number", "maximum": 1e400}}}}"#;
    let refused_json = refused(json);
    assert_eq!(refused_json.items[0].location, Location::Pointer("#/components/schemas/X/maximum".into()), "{refused_json}");
    assert!(refused_json.items[0].message.contains("the number 1e400 is out of range"), "{refused_json}");
    // Where no number is needed (an example, an extension), such a number is read as it is.
    let example = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
      "components": {"schemas": {"X": {"type": "string", "example": 1e400, "x-big": 1e400}}}}"#;
    lower(example);
}

#[test]
fn duplicate_keys_are_refused_in_yaml_and_json() {
    let yaml = refused("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {}\n  /b: {}\n  /a: {}\n");
    assert_eq!(yaml.items[0].location, Location::Text { line: 6, column: 3 });
    assert_eq!(yaml.items[0].message, "paths: duplicate entry with key \"/a\"");

    let json = refused("{\"openapi\": \"3.0.3\",\n \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \"openapi\": \"3.0.0\",\n \"paths\": {}}");
    assert_eq!(json.items[0].kind, DiagnosticKind::Syntax);
    assert_eq!(json.items[0].location, Location::Text { line: 3, column: 2 }, "{json}");
    assert_eq!(json.items[0].message, "duplicate entry with key \"openapi\"");
}

#[test]
fn yaml_merge_keys_and_integer_response_keys() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
x-shared:
  ok: &ok
    description: fine
    content:
      application/json:
        schema: {type: string}
paths:
  /a:
    get:
      operationId: getA
      responses:
        200:
          <<: *ok
          description: the one
        404: {description: missing}
";
    let (api, _) = lower(text);
    let operation = &api.operations[0];
    let statuses: Vec<&Status> = operation.responses.iter().map(|r| &r.status).collect();
    assert_eq!(statuses, [&Status::Code(200), &Status::Code(404)]);
    assert_eq!(operation.responses[0].description, "the one");
    assert_eq!(operation.responses[0].content.len(), 1, "merged in from the anchor");
}

const EXCLUSIVE: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Positive:
      type: integer
      exclusiveMinimum: 0
    Limits:
      type: object
      example: {exclusiveMinimum: 5}
      properties:
        exclusiveMinimum:
          type: number
          minimum: 1
          exclusiveMinimum: 5
";

#[test]
fn a_numeric_exclusive_minimum_in_a_3_0_document_is_read_with_a_warning() {
    let (api, warnings) = lower(EXCLUSIVE);
    assert_eq!(minimum(&api, "Positive"), (Some(0.0), true));
    let locations: Vec<&Location> = warnings.items.iter().map(|w| &w.location).collect();
    assert_eq!(
        locations,
        [
            &Location::Pointer("#/components/schemas/Positive/exclusiveMinimum".into()),
            &Location::Pointer("#/components/schemas/Limits/properties/exclusiveMinimum/exclusiveMinimum".into()),
        ]
    );
    assert!(
        warnings.as_warnings().starts_with(
            "warning: spec.yaml: at #/components/schemas/Positive/exclusiveMinimum: a numeric `exclusiveMinimum` is OpenAPI 3.1 syntax"
        ),
        "{}",
        warnings.as_warnings()
    );

    // The example is data: it keeps its number.
    let loaded = codegen::load::load_str(EXCLUSIVE).unwrap_or_else(|err| panic!("{err:?}"));
    assert_eq!(loaded.raw.pointer("/components/schemas/Limits/example/exclusiveMinimum"), Some(&serde_json::json!(5)));
    assert_eq!(
        loaded.raw.pointer("/components/schemas/Limits/properties/exclusiveMinimum"),
        Some(&serde_json::json!({"type": "number", "minimum": 5, "exclusiveMinimum": true}))
    );
}

/// A document large enough that its paths are read on a thread of their own: `count` paths,
/// a schema per path, tags, security and extensions at the top.
fn large_document(count: usize, bad_path: Option<usize>) -> String {
    let paths: Vec<String> = (0..count)
        .map(|i| {
            let summary = if bad_path == Some(i) { "[1, 2]".to_string() } else { format!("\"Item {i}, read back\"") };
            format!(
                r##""/items{i}/{{id}}": {{"parameters": [{{"name": "id", "in": "path", "required": true, "schema": {{"type": "integer"}}}}],
                "get": {{"operationId": "get_item{i}", "summary": {summary}, "tags": ["t{tag}"], "x-note": {i},
                "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Item{i}"}}}}}}}}}}}}}}"##,
                tag = i % 3
            )
        })
        .collect();
    let schemas: Vec<String> = (0..count)
        .map(|i| format!(r#""Item{i}": {{"type": "object", "required": ["id"], "properties": {{"id": {{"type": "integer", "minimum": {i}}}, "name": {{"type": "string", "maxLength": 40}}}}}}"#))
        .collect();
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "Large", "version": "1"}}, "x-top": {{"a": 1}},
        "tags": [{{"name": "t0"}}, {{"name": "t1", "description": "second"}}], "security": [{{"key": []}}],
        "paths": {{"x-paths-note": {{"n": 1}}, {}}},
        "components": {{"securitySchemes": {{"key": {{"type": "apiKey", "in": "header", "name": "X-Key"}}}}, "schemas": {{{}}}}}}}"#,
        paths.join(",\n"),
        schemas.join(",\n")
    )
}

/// The loaded document, after checking that its typed model (read in pieces, on threads) is the
/// one its (converted) JSON tree reads into in one piece.
fn loaded_as_in_one_piece(text: &str) -> codegen::load::LoadedSpec {
    let loaded = match codegen::load::load_str(text) {
        Ok(loaded) => loaded,
        Err(err) => panic!("the document loads: {err:?}"),
    };
    let whole: openapiv3::OpenAPI = match serde_json::from_value(loaded.raw.clone()) {
        Ok(whole) => whole,
        Err(err) => panic!("the document reads in one piece: {err}"),
    };
    assert_eq!(loaded.openapi, whole);
    loaded
}

#[test]
fn a_large_document_reads_into_the_same_model_as_in_one_piece() {
    let text = large_document(300, None);
    assert!(text.len() > 100_000, "large enough to be read on two threads: {} bytes", text.len());
    let loaded = loaded_as_in_one_piece(&text);
    assert_eq!(loaded.openapi.paths.paths.len(), 300);
    assert!(loaded.openapi.extensions.contains_key("x-top"));
    assert!(loaded.openapi.paths.extensions.contains_key("x-paths-note"));
    let order: Vec<&String> = loaded.openapi.paths.paths.keys().collect();
    assert_eq!(order.first().map(|key| key.as_str()), Some("/items0/{id}"));
    assert_eq!(order.last().map(|key| key.as_str()), Some("/items299/{id}"));
    assert_eq!(loaded.openapi.components.as_ref().map(|c| c.schemas.len()), Some(300));
}

#[test]
fn an_error_in_a_large_documents_paths_is_found_at_its_pointer() {
    let diagnostics = refused(&large_document(300, Some(250)));
    let text = diagnostics.to_string();
    assert!(text.contains("#/paths/~1items250~1{id}/get/summary"), "{text}");
}

/// A Swagger 2.0 document large enough that its path items are converted, and read into the
/// typed model, on two threads: `count` paths with a body, a query parameter and a response.
fn large_swagger(count: usize, bad_path: Option<usize>) -> String {
    let paths: Vec<String> = (0..count)
        .map(|i| {
            let summary = if bad_path == Some(i) { "[1, 2]".to_string() } else { format!("\"Item {i}\"") };
            format!(
                r##""/items{i}": {{"x-note": {i}, "post": {{"operationId": "post_item{i}", "summary": {summary}, "tags": ["t{tag}"],
                "parameters": [{{"name": "body", "in": "body", "schema": {{"$ref": "#/definitions/Item"}}}},
                {{"name": "q", "in": "query", "type": "array", "items": {{"type": "integer"}}, "collectionFormat": "csv"}}],
                "responses": {{"200": {{"description": "ok", "schema": {{"type": "object", "properties": {{"n": {{"type": "integer", "minimum": {i}}}}}}}}}}}}}}}"##,
                tag = i % 3
            )
        })
        .collect();
    format!(
        r#"{{"swagger": "2.0", "info": {{"title": "Large", "version": "1"}}, "host": "example.com", "x-top": 1,
        "paths": {{"x-paths-note": {{"n": 1}}, {}}},
        "definitions": {{"Item": {{"type": "object", "properties": {{"name": {{"type": "string"}}}}}}}}}}"#,
        paths.join(",\n")
    )
}

#[test]
fn a_large_swagger_document_converts_into_the_same_model_as_in_one_piece() {
    let text = large_swagger(1200, None);
    let loaded = loaded_as_in_one_piece(&text);
    let order: Vec<&String> = loaded.openapi.paths.paths.keys().collect();
    let expected: Vec<String> = (0..1200).map(|i| format!("/items{i}")).collect();
    assert_eq!(order, expected.iter().collect::<Vec<_>>());
    assert!(loaded.openapi.paths.extensions.contains_key("x-paths-note"));
    assert!(loaded.openapi.extensions.contains_key("x-top"));
}

#[test]
fn an_error_in_a_large_swagger_documents_paths_is_found_where_it_was_written() {
    let diagnostics = refused(&large_swagger(1200, Some(1100)));
    let text = diagnostics.to_string();
    assert!(text.contains("#/paths/~1items1100/post/summary"), "{text}");
}

/// A YAML document large enough to be read in two halves (256 KB or more): `count` paths.
fn large_yaml(count: usize) -> String {
    let mut text = String::from("openapi: 3.0.3\ninfo:\n  title: Large\n  version: '1'\npaths:\n");
    for i in 0..count {
        text.push_str(&format!(
            "  /items{i}:\n    get:\n      operationId: get_item{i}\n      description: |\n        Item {i}: read back.\n        key: not an entry\n      responses:\n        '200':\n          description: ok\n"
        ));
    }
    text.push_str("components:\n  schemas:\n    Item:\n      type: object\n");
    text
}

#[test]
fn a_large_yaml_document_reads_as_in_one_piece() {
    let text = large_yaml(2000);
    assert!(text.len() > 256 * 1024, "{} bytes", text.len());
    let (api, _) = lower(&text);
    let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    let expected: Vec<String> = (0..2000).map(|i| format!("get_item{i}")).collect();
    assert_eq!(ids, expected.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(api.operations[1500].description.as_deref(), Some("Item 1500: read back.\nkey: not an entry\n"));
}

#[test]
fn errors_in_a_large_yaml_document_point_at_the_whole_documents_lines() {
    let text = large_yaml(2000);
    // A syntax error late in the document, on its line of the whole text.
    let line = text.lines().position(|line| line == "  /items1800:").map(|index| index + 2).unwrap_or_default();
    let broken = text.replacen("  /items1800:\n    get:\n", "  /items1800:\n    get: [\n", 1);
    let diagnostics = refused(&broken);
    assert!(matches!(diagnostics.items[0].location, Location::Text { line: at, .. } if at > line), "{diagnostics}");
    // A path written twice, once in each half: refused at the second, as in one piece.
    let doubled = text.replacen("  /items1900:\n", "  /items10:\n", 1);
    let diagnostics = refused(&doubled);
    let second = doubled.lines().enumerate().filter(|(_, line)| *line == "  /items10:").nth(1).map(|(index, _)| index + 1);
    assert_eq!(diagnostics.items[0].kind, DiagnosticKind::Syntax, "{diagnostics}");
    assert!(matches!(diagnostics.items[0].location, Location::Text { line, .. } if Some(line) == second), "{diagnostics}");
}
