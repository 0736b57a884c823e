//! Regressions found by running the generator on large vendor specs from other ecosystems.
//!
//! Every spec here is a small one written for the test; each names the vendor shape it stands
//! for, not the vendor text.

use codegen::error::{DiagnosticKind, Location};
use codegen::Settings;

fn settings() -> Settings {
    Settings { name: "vendor".into(), spec_label: "vendor.yaml".into(), command: "cargo xtask codegen --spec".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() }
}

fn generated_text(spec: &str) -> String {
    match codegen::generate_str(spec, &settings()) {
        Ok(files) => files.values().cloned().collect::<Vec<_>>().join("\n"),
        Err(diagnostics) => panic!("expected the spec to generate, got:\n{diagnostics}"),
    }
}

/// An exported spec whose exporter lost its reference targets writes `$ref: ""`. That is not an
/// external reference (the old message said so): it is refused as invalid, at the `$ref` itself,
/// with the form a reference should have.
#[test]
fn empty_schema_ref_is_invalid_not_external() {
    let spec = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Event:
      type: object
      properties:
        kind: {$ref: ''}
"##;
    let diagnostics = match codegen::generate_str(spec, &settings()) {
        Ok(_) => panic!("an empty $ref must be refused"),
        Err(diagnostics) => diagnostics,
    };
    let item = diagnostics.items.first().expect("one diagnostic");
    assert_eq!(item.kind, DiagnosticKind::Invalid, "{diagnostics}");
    assert_eq!(item.location, Location::Pointer("#/components/schemas/Event/properties/kind/$ref".into()));
    assert!(item.message.contains("empty $ref"), "{}", item.message);
    assert!(item.message.contains("#/components/schemas/<name>"), "{}", item.message);
    assert!(!item.message.contains("external"), "{}", item.message);
}

/// The same in a Swagger 2.0 document: the hint names 2.0's `#/definitions/`.
#[test]
fn empty_schema_ref_in_swagger2_is_invalid_not_external() {
    let spec = r##"
swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Event:
    type: object
    properties:
      kind: {$ref: ''}
"##;
    let diagnostics = match codegen::generate_str(spec, &settings()) {
        Ok(_) => panic!("an empty $ref must be refused"),
        Err(diagnostics) => diagnostics,
    };
    let item = diagnostics.items.first().expect("one diagnostic");
    assert_eq!(item.kind, DiagnosticKind::Invalid, "{diagnostics}");
    assert!(item.message.contains("empty $ref"), "{}", item.message);
    assert!(item.message.contains("#/definitions/<name>"), "{}", item.message);
    assert!(!item.message.contains("external"), "{}", item.message);
}

/// GitHub-style reaction counters: property names that differ only in punctuation (`+1`, `-1`)
/// keep their wire names and get distinct Rust fields.
#[test]
fn punctuation_only_property_names_get_distinct_fields() {
    let spec = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Reactions:
      type: object
      properties:
        '+1': {type: integer}
        '-1': {type: integer}
"##;
    let text = generated_text(spec);
    assert!(text.contains("rename = \"+1\""), "wire name `+1` kept");
    assert!(text.contains("rename = \"-1\""), "wire name `-1` kept");
    assert!(text.contains("pub field_1:") && text.contains("pub field_1_2:"), "distinct fields");
}

/// An OpenAPI 3.1 document may have `webhooks` and no `paths` at all; it still generates its
/// types, with a warning for the webhooks.
#[test]
fn oas31_webhooks_only_document_generates_types() {
    let spec = r##"
openapi: 3.1.0
info: {title: hooks, version: '1'}
webhooks:
  ping:
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Ping'}}}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Ping: {type: object, properties: {at: {type: string, format: date-time}}}
"##;
    let generated = match codegen::generate(spec, &settings()) {
        Ok(generated) => generated,
        Err(diagnostics) => panic!("expected the spec to generate, got:\n{diagnostics}"),
    };
    assert!(generated.warnings.items.iter().any(|w| w.message.contains("webhooks")), "webhooks warned about");
    let text = generated.files.values().cloned().collect::<Vec<_>>().join("\n");
    assert!(text.contains("pub struct Ping"), "the component schema is generated");
}

/// A schema `$ref` that names a response (or any other non-schema component) is an error at the
/// `$ref`, not a schema that silently admits every value.
#[test]
fn schema_ref_to_a_response_object_is_refused() {
    let spec = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Problem:
      type: object
      properties:
        detail: {$ref: '#/components/responses/BadRequest'}
  responses:
    BadRequest: {description: bad, content: {application/json: {schema: {type: string}}}}
"##;
    let err = match codegen::lower_str(spec, &settings()) {
        Ok(_) => panic!("a response object is not a schema"),
        Err(diagnostics) => diagnostics,
    };
    let at = Location::Pointer("#/components/schemas/Problem/properties/detail/$ref".into());
    assert!(
        err.items.iter().any(|item| item.location == at
            && item.message.contains("#/components/schemas/<name>")),
        "{err}"
    );
}

/// Kubernetes, Java and Go specs key their schemas by package (`io.k8s.api.core.v1.Pod`): the
/// types are named without it, a name two packages share keeps its version, and a type inline
/// in a packaged schema, reached by a `$ref` into it, is named after the short name too.
#[test]
fn packaged_schema_keys_name_types_without_the_package() {
    let spec = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    io.k8s.api.core.v1.Pod: {type: object, properties: {spec: {$ref: '#/components/schemas/io.k8s.api.core.v1.Other/properties/inner'}}}
    io.k8s.api.core.v1.Other: {type: object, properties: {inner: {type: object, properties: {z: {type: string}}}}}
    io.k8s.api.autoscaling.v1.Scale: {type: object, properties: {a: {type: integer}}}
    io.k8s.api.autoscaling.v2.Scale: {type: object, properties: {b: {type: integer}}}
"##;
    let text = generated_text(spec);
    for wanted in ["pub struct Pod {", "pub struct Other {", "pub struct OtherInner {", "pub struct V1Scale {", "pub struct V2Scale {"] {
        assert!(text.contains(wanted), "no `{wanted}` in the generated types");
    }
    assert!(!text.contains("IoK8s"), "a type is named after its package");
}
