//! The body of the errors the generated server answers itself is chosen explicitly: the schema
//! every documented 400 response references, else the generator's default body; never a schema
//! that merely has the right shape.

use codegen::Settings;

fn settings() -> Settings {
    Settings { name: "e".into(), spec_label: "e.yaml".into(), command: "cargo xtask codegen --spec".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() }
}

/// A spec whose operations answer 400 with the given schemas (`None`: no 400 response), and
/// with the given components.
fn spec(bad_requests: &[Option<&str>], schemas: &str) -> String {
    let mut paths = String::new();
    for (index, schema) in bad_requests.iter().enumerate() {
        paths.push_str(&format!("  /op{index}:\n    post:\n      operationId: op{index}\n      responses:\n        '204': {{description: done}}\n"));
        if let Some(schema) = schema {
            paths.push_str(&format!(
                "        '400': {{description: bad, content: {{application/json: {{schema: {{$ref: '#/components/schemas/{schema}'}}}}}}}}\n"
            ));
        }
    }
    format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n{schemas}")
}

const FIELD_MAP: &str = "    Invalid:\n      type: object\n      required: [errors]\n      properties:\n        errors: {type: object, additionalProperties: {type: array, items: {type: string}}}\n";
const LOOKALIKE: &str = "    Lookalike:\n      type: object\n      required: [errors]\n      properties:\n        errors: {type: object, additionalProperties: {type: array, items: {type: string}}}\n";
const MESSAGE: &str = "    Oops:\n      type: object\n      required: [message]\n      properties:\n        message: {type: string}\n        traceId: {type: string}\n";
const UNFILLABLE: &str = "    Code:\n      type: object\n      required: [code]\n      properties:\n        code: {type: integer}\n";

fn generate(text: &str) -> codegen::Generated {
    codegen::generate(text, &settings()).unwrap_or_else(|err| panic!("generates: {err}"))
}

fn server_builds_errors_with(generated: &codegen::Generated) -> Option<String> {
    let server = &generated.files["e-server/src/generated.rs"];
    let start = server.find("let body: e_types::")? + "let body: e_types::".len();
    Some(server[start..].split(' ').next()?.trim_end_matches('=').trim().to_string())
}

#[test]
fn the_schema_the_400_responses_agree_on_is_the_error_body() {
    let generated = generate(&spec(&[Some("Invalid"), None, Some("Invalid")], &format!("{LOOKALIKE}{FIELD_MAP}")));
    assert_eq!(server_builds_errors_with(&generated).as_deref(), Some("Invalid"));
    let types = &generated.files["e-types/src/generated.rs"];
    assert!(types.contains("impl From<codegen_runtime::validation::ValidationErrors> for Invalid"), "{types}");
    assert!(!types.contains("for Lookalike"), "{types}");
    assert!(generated.warnings.items.is_empty(), "{:?}", generated.warnings.items);
}

#[test]
fn a_schema_of_the_right_shape_that_no_400_uses_is_not_the_error_body() {
    let generated = generate(&spec(&[None], LOOKALIKE));
    assert_eq!(server_builds_errors_with(&generated), None);
    assert!(generated.files["e-server/src/generated.rs"].contains("serde_json::json!({ \"errors\" : list })"));
}

#[test]
fn disagreeing_400_schemas_leave_the_default_body() {
    let generated = generate(&spec(&[Some("Invalid"), Some("Oops")], &format!("{FIELD_MAP}{MESSAGE}")));
    assert_eq!(server_builds_errors_with(&generated), None);
}

#[test]
fn a_message_schema_gets_every_error_in_its_text() {
    let generated = generate(&spec(&[Some("Oops")], MESSAGE));
    assert_eq!(server_builds_errors_with(&generated).as_deref(), Some("Oops"));
    let types = &generated.files["e-types/src/generated.rs"];
    assert!(types.contains("message: text,\n            trace_id: ::core::default::Default::default(),"), "{types}");
}

#[test]
fn a_400_schema_with_no_room_for_errors_is_reported_and_the_default_body_used() {
    let generated = generate(&spec(&[Some("Code")], UNFILLABLE));
    assert_eq!(server_builds_errors_with(&generated), None);
    let warnings = &generated.warnings.items;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].location, codegen::error::Location::Pointer("#/components/schemas/Code".into()));
    assert!(warnings[0].message.contains("no field the server can put its errors in"), "{warnings:?}");
}
