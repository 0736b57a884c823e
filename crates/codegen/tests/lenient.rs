//! Valid documents generate. Where a construct has no precise Rust type, the schema becomes a
//! JSON value with a warning naming its pointer; where a document has a small defect with one
//! obvious reading, it is read that way with a warning. Invalid documents are in `errors.rs`.

use codegen::error::Location;
use codegen::Settings;

fn settings() -> Settings {
    Settings { name: "ok".into(), spec_label: "ok.yaml".into(), command: "cargo xtask codegen --spec".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

/// Generation must succeed; returns the files and the warnings as (pointer, message).
fn generates(body: &str) -> (codegen::GeneratedFiles, Vec<(String, String)>) {
    let text = format!("{HEAD}{body}");
    let generated = codegen::generate(&text, &settings()).unwrap_or_else(|err| panic!("a valid document is refused:\n{err}"));
    let warnings = generated
        .warnings
        .items
        .iter()
        .map(|item| match &item.location {
            Location::Pointer(pointer) => (pointer.clone(), item.message.clone()),
            other => (format!("{other:?}"), item.message.clone()),
        })
        .collect();
    (generated.files, warnings)
}

#[test]
fn properties_beside_a_one_of_are_an_object_with_a_flattened_union() {
    let (files, warnings) = generates(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      properties: {x: {type: string}}\n      oneOf:\n        - {properties: {kind: {enum: [b]}, b: {type: integer}}, required: [kind]}\n        - {properties: {kind: {enum: [c]}, c: {type: string}}, required: [kind]}\n",
    );
    assert_eq!(warnings, vec![]);
    let types = &files["ok-types/src/generated.rs"];
    assert!(types.contains("pub struct A {"), "{types}");
    assert!(types.contains("#[serde(flatten)]\n    pub variant: AVariant,"), "{types}");
    assert!(types.contains("pub enum AVariant {\n    B(AB),\n    C(AC),\n}"), "{types}");
}

#[test]
fn all_of_with_a_union_member_flattens_the_union() {
    let (files, warnings) = generates(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      allOf:\n        - {type: object, properties: {x: {type: string}}}\n        - $ref: '#/components/schemas/U'\n    U:\n      oneOf:\n        - {type: object, properties: {a: {type: string}}}\n        - {type: object, properties: {b: {type: string}}}\n",
    );
    assert_eq!(warnings, vec![]);
    let types = &files["ok-types/src/generated.rs"];
    assert!(types.contains("pub x: Option<String>,"), "{types}");
    assert!(types.contains("#[serde(flatten)]\n    pub u: U,"), "{types}");
}

#[test]
fn a_union_that_admits_no_object_beside_properties_is_a_json_value() {
    let (files, warnings) = generates(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      properties: {x: {type: string}}\n      oneOf: [{type: string}, {type: integer}]\n",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "#/components/schemas/A/oneOf");
    assert!(warnings[0].1.contains("generated as a JSON value"), "{warnings:?}");
    assert!(files["ok-types/src/generated.rs"].contains("pub type A = serde_json::Value;"));
}

#[test]
fn a_property_declared_beside_a_union_and_by_only_some_variants_is_reported() {
    let (files, warnings) = generates(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      properties: {x: {type: string}, y: {type: string}}\n      oneOf:\n        - {type: object, properties: {x: {type: string}, p: {type: integer}}, required: [p]}\n        - {type: object, properties: {q: {type: integer}}, required: [q]}\n",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "#/components/schemas/A");
    assert!(warnings[0].1.starts_with("`x` is declared here and by some of the union's variants"), "{warnings:?}");
    let types = &files["ok-types/src/generated.rs"];
    // `y` stays on the object; `x` moves to the variants (the first one holds it).
    assert!(types.contains("pub y: Option<String>,"), "{types}");
    assert!(!types.contains("pub struct A {\n    /// Spec: `#/components/schemas/A/properties/x`"), "{types}");
    assert!(types.contains("It also holds `x`"), "{types}");
}

#[test]
fn a_requirement_naming_an_undeclared_scheme_is_never_met() {
    let (files, warnings) = generates(
        "paths:\n  /a:\n    get:\n      operationId: a\n      security: [{ghost: []}]\n      responses: {'200': {description: ok}}\n",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "#/paths/~1a/get/security/0/ghost");
    assert!(warnings[0].1.contains("no request can meet"), "{warnings:?}");
    let server = &files["ok-server/src/generated.rs"];
    assert!(server.contains("support::Scheme::Other(\"ghost\")"), "{server}");
}

#[test]
fn authors_can_ask_for_a_json_value() {
    let (files, warnings) = generates(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      x-codegen-json-value: kept as sent\n      properties: {x: {type: string}}\n",
    );
    assert_eq!(warnings, vec![]);
    assert!(files["ok-types/src/generated.rs"].contains("pub type A = serde_json::Value;"));
    // Validation still checks what the schema says.
    assert!(files["ok-validation/src/generated.rs"].contains("Kind::String"));
}

#[test]
fn a_template_parameter_declared_in_another_location_is_the_path_parameter() {
    let (files, warnings) = generates(
        "paths:\n  /jobs/{job}:\n    get:\n      operationId: getJob\n      parameters:\n        - {name: job, in: query, required: false, schema: {type: string}}\n      responses: {'200': {description: ok}}\n",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "#/paths/~1jobs~1{job}/get/parameters/0/in");
    let client = &files["ok-client/src/generated.rs"];
    assert!(client.contains("pub async fn get_job(&self, job: &str"), "{client}");
}

#[test]
fn references_to_objects_outside_components_are_followed() {
    let (files, warnings) = generates(
        "paths:\n  /a/{id}:\n    get:\n      operationId: getA\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}}\n        - {name: limit, in: query, schema: {type: integer, maximum: 10}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: string}}}}\n  /b/{id}:\n    get:\n      operationId: getB\n      parameters:\n        - $ref: '#/paths/~1a~1%7Bid%7D/get/parameters/0'\n        - $ref: '#/paths/~1a~1{id}/get/parameters/1'\n      responses:\n        '200': {$ref: '#/paths/~1a~1{id}/get/responses/200'}\n  /c/{id}:\n    $ref: '#/paths/~1a~1{id}'\n",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "#/paths/~1c~1{id}/$ref/get");
    let client = &files["ok-client/src/generated.rs"];
    assert!(client.contains("pub async fn get_c_id("), "{client}");
    assert!(client.contains("pub async fn get_b(\n        &self,\n        id: i64,"), "{client}");
    assert!(client.contains("pub limit: Option<i64>,"), "{client}");
}

#[test]
fn a_path_item_reference_is_refused_only_when_it_cannot_be_followed() {
    let text = format!("{HEAD}paths:\n  /c:\n    $ref: 'other.yaml#/paths/~1c'\n");
    let err = codegen::generate(&text, &settings()).expect_err("an external path item cannot be read");
    assert_eq!(err.items[0].location, Location::Pointer("#/paths/~1c/$ref".into()));
}

#[test]
fn a_schema_that_is_only_nullable_checks_nothing() {
    let (files, _) = generates("paths: {}\ncomponents:\n  schemas:\n    A: {nullable: true}\n");
    let validation = &files["ok-validation/src/generated.rs"];
    assert!(validation.contains("fn check_a<'v>(_value: &'v Value, _path: &mut Path<'v>, _cx: &mut Context) {}"), "{validation}");
}

#[test]
fn a_path_parameter_the_template_does_not_use_is_left_out_with_a_warning() {
    let (files, warnings) = generates(
        "paths:\n  /a:\n    get:\n      operationId: a\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n",
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "#/paths/~1a/get/parameters/0");
    assert!(warnings[0].1.contains("the path template has no `{id}`; left out"), "{warnings:?}");
    let client = &files["ok-client/src/generated.rs"];
    assert!(client.contains("pub async fn a(&self) -> Result<AResponse, Error> {"), "{client}");
}

#[test]
fn a_schema_that_admits_nothing_has_a_check_that_never_reads_its_value() {
    let (files, warnings) = generates("paths: {}\ncomponents:\n  schemas:\n    Never: {not: {}}\n");
    assert_eq!(warnings, vec![]);
    let validation = &files["ok-validation/src/generated.rs"];
    assert!(validation.contains("fn check_never<'v>(_value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {"), "{validation}");
}

#[test]
fn a_nullable_response_body_admits_null() {
    let (files, warnings) = generates(
        "paths:\n  /y:\n    get:\n      operationId: y\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/N'}\n  /x:\n    post:\n      operationId: x\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {type: array, nullable: true, items: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: array, nullable: true, items: {type: string}}\ncomponents:\n  schemas:\n    N: {type: object, nullable: true, properties: {a: {type: string}}}\n",
    );
    assert_eq!(warnings, vec![]);
    let server = &files["ok-server/src/generated.rs"];
    assert!(server.contains("Ok(Option<ok_types::N>),"), "{server}");
    assert!(server.contains("Ok(Option<Vec<String>>),"), "{server}");
    assert!(server.contains("pub body: Option<Vec<String>>,"), "a required nullable body: {server}");
}

#[test]
fn a_path_parameter_that_is_not_required_is_read_as_required() {
    let (files, warnings) = generates(
        "paths:\n  /a/{id}:\n    get:\n      operationId: a\n      parameters:\n        - {name: id, in: path, schema: {type: string}}\n      responses: {'204': {description: ok}}\n",
    );
    assert_eq!(
        warnings,
        vec![(
            "#/paths/~1a~1{id}/get/parameters/0".to_string(),
            "path parameter `id` is not `required: true`, which OpenAPI requires of path parameters; read as required".to_string()
        )]
    );
    let client = &files["ok-client/src/generated.rs"];
    assert!(client.contains("id: &str"), "{client}");
}

#[test]
fn an_empty_enum_refuses_every_value_with_a_warning() {
    let (files, warnings) = generates("paths: {}\ncomponents:\n  schemas:\n    E: {type: string, enum: []}\n    N: {type: string, enum: [null]}\n");
    let pointers: Vec<&str> = warnings.iter().map(|(pointer, _)| pointer.as_str()).collect();
    assert_eq!(pointers, vec!["#/components/schemas/E/enum", "#/components/schemas/N/enum"]);
    let validation = &files["ok-validation/src/generated.rs"];
    assert_eq!(validation.matches("the schema's `enum` lists no value").count(), 2, "{validation}");
}
