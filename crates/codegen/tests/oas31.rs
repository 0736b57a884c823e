//! OpenAPI 3.1 documents end to end: mapped to 3.0 by the loader, lowered to the IR and
//! generated. Each mapping is checked on what it must produce (nullable fields, enums from
//! `const`, constraints, unions), each construct with no 3.0 spelling on its warning (pointer
//! and message) and what it generates, and each refusal on its kind, pointer and message.

use codegen::error::{DiagnosticKind, Diagnostics, Location};
use codegen::ir::{Additional, Api, Builtin, Field, TypeDef, TypeKind, TypeRef};
use codegen::Settings;
use std::path::PathBuf;

fn settings() -> Settings {
    Settings { name: "oas31".into(), spec_label: "oas31.yaml".into(), command: "cargo xtask codegen --spec".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() }
}

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

fn lower(body: &str) -> Api {
    match codegen::lower_str(&format!("{HEAD}{body}"), &settings()) {
        Ok(api) => api,
        Err(err) => panic!("the spec lowers: {err}"),
    }
}

/// The first diagnostic of a spec that must be refused: kind, pointer, message.
fn refused(body: &str) -> (DiagnosticKind, String, String) {
    let diagnostics = match codegen::lower_str(&format!("{HEAD}{body}"), &settings()) {
        Ok(_) => panic!("expected a diagnostic"),
        Err(diagnostics) => diagnostics,
    };
    let Some(first) = diagnostics.items.into_iter().next() else { panic!("no diagnostic") };
    let Location::Pointer(pointer) = first.location else { panic!("no pointer: {:?}", first.location) };
    (first.kind, pointer, first.message)
}

fn named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no type {name}"))
}

fn id_of(api: &Api, name: &str) -> TypeRef {
    let index = api.types.iter().position(|t| t.name == name).unwrap_or_else(|| panic!("no type {name}"));
    TypeRef::Named(codegen::ir::TypeId(index))
}

fn field<'a>(api: &'a Api, type_name: &str, wire: &str) -> &'a Field {
    match &named(api, type_name).kind {
        TypeKind::Struct(strukt) => {
            strukt.fields.iter().find(|f| f.wire == wire).unwrap_or_else(|| panic!("no field {type_name}.{wire}"))
        }
        other => panic!("{type_name} is not a struct: {other:?}"),
    }
}

fn additional(api: &Api, ty: &TypeRef) -> Additional {
    let TypeRef::Named(id) = ty else { panic!("not named: {ty:?}") };
    match &api.types[id.0].kind {
        TypeKind::Struct(strukt) => strukt.additional.clone(),
        other => panic!("not a struct: {other:?}"),
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture() -> (Api, Diagnostics) {
    let text = std::fs::read_to_string(root().join("spec/fixtures/oas31.yaml")).expect("the fixture is readable");
    match codegen::lower_with_warnings(&text, &settings()) {
        Ok(lowered) => lowered,
        Err(err) => panic!("the fixture lowers: {err}"),
    }
}

#[test]
fn type_lists_and_null_branches_make_nullable_fields() {
    let (api, _) = fixture();
    let tag = field(&api, "Pet", "tag");
    assert!(tag.nullable && !tag.required);
    assert_eq!(tag.ty, TypeRef::Builtin(Builtin::String));
    assert_eq!(tag.constraints.max_length, Some(20));
    let nickname = field(&api, "Pet", "nickname");
    assert!(nickname.nullable);
    assert_eq!(nickname.ty, TypeRef::Builtin(Builtin::String));
    let owner = field(&api, "Pet", "owner");
    assert!(owner.nullable);
    assert_eq!(owner.ty, id_of(&api, "Owner"));
    // `type: "null"`: a field that only admits null.
    let legacy = field(&api, "Pet", "legacy");
    assert!(legacy.nullable);
    assert_eq!(legacy.ty, TypeRef::Any);
    // A `$ref` with `readOnly` next to it keeps the reference, the flag and the target's null.
    let status = field(&api, "Pet", "status");
    assert!(status.nullable && status.read_only);
    assert_eq!(status.ty, id_of(&api, "Status"));
    let TypeKind::StringEnum(values) = &named(&api, "Status").kind else { panic!("Status is an enum") };
    assert_eq!(values.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>(), ["available", "adopted"]);
}

#[test]
fn ref_with_description_documents_the_field() {
    let (api, _) = fixture();
    let kind = field(&api, "Pet", "kind");
    assert_eq!(kind.ty, id_of(&api, "Kind"));
    assert_eq!(kind.doc.as_deref(), Some("What kind of animal the pet is."));
    assert!(kind.required && !kind.nullable);
}

#[test]
fn const_becomes_an_enum() {
    let (api, _) = fixture();
    let problem_type = field(&api, "Problem", "type");
    let TypeRef::Named(id) = &problem_type.ty else { panic!("Problem.type is an enum type") };
    let TypeKind::StringEnum(values) = &api.types[id.0].kind else { panic!("a string enum") };
    assert_eq!(values.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>(), ["about:blank"]);
    let TypeKind::IntegerEnum(values) = &named(&api, "ApiVersion").kind else { panic!("an integer enum") };
    assert_eq!(values.iter().map(|v| v.wire).collect::<Vec<_>>(), [2]);
}

#[test]
fn numeric_exclusive_bounds_become_constraints() {
    let (api, _) = fixture();
    let weight = &field(&api, "Pet", "weight").constraints;
    assert_eq!((weight.minimum, weight.exclusive_minimum), (Some(0.0), true));
    assert_eq!((weight.maximum, weight.exclusive_maximum), (Some(200.0), true));
    let id = &field(&api, "Pet", "id").constraints;
    assert_eq!((id.minimum, id.exclusive_minimum), (Some(0.0), true));
    let TypeRef::Named(inner) = &field(&api, "Container", "inner").ty else { panic!("a $defs type") };
    let TypeKind::Struct(inner) = &api.types[inner.0].kind else { panic!("a struct") };
    let size = &inner.fields[0].constraints;
    assert_eq!((size.maximum, size.exclusive_maximum), (Some(10.0), true));
}

#[test]
fn other_mappings_reach_the_ir() {
    let (api, _) = fixture();
    assert_eq!(field(&api, "Pet", "photo").constraints.format.as_deref(), Some("byte"));
    let TypeRef::Named(union) = &field(&api, "Pet", "ageOrLabel").ty else { panic!("a union") };
    let TypeKind::Union(union) = &api.types[union.0].kind else { panic!("a union") };
    let variants: Vec<&TypeRef> = union.variants.iter().map(|v| &v.ty).collect();
    assert_eq!(variants, [&TypeRef::Builtin(Builtin::I64), &TypeRef::Builtin(Builtin::String)]);
    assert!(union.exclusive);
    let example = named(&api, "Pet").example.as_ref().and_then(|e| e.get("name")).cloned();
    assert_eq!(example, Some(serde_json::json!("Rex")));
    assert_eq!(field(&api, "NewPet", "tags").ty, TypeRef::Vec(Box::new(TypeRef::Builtin(Builtin::String))));
    assert_eq!(named(&api, "Anything").kind, TypeKind::Alias(TypeRef::Any, Default::default()));
    assert_eq!(api.info.license.as_deref(), Some("MIT"));
    assert_eq!(api.info.description.as_deref(), Some("Every OpenAPI 3.1 construct the generator maps to OpenAPI 3.0, in one spec."));
}

#[test]
fn unevaluated_properties_close_objects() {
    let (api, _) = fixture();
    assert_eq!(additional(&api, &id_of(&api, "Owner")), Additional::Denied);
    let TypeRef::Named(source) = &field(&api, "Payment", "source").ty else { panic!("a union") };
    let TypeKind::Union(source) = &api.types[source.0].kind else { panic!("a union") };
    assert_eq!(source.variants.len(), 2);
    for variant in &source.variants {
        assert_eq!(additional(&api, &variant.ty), Additional::Denied);
    }
}

#[test]
fn path_items_and_optional_responses() {
    let (api, warnings) = fixture();
    let operations: Vec<(&str, &str)> = api.operations.iter().map(|o| (o.id.as_str(), o.path.as_str())).collect();
    assert_eq!(
        operations,
        [
            ("listPets", "/pets"),
            ("createPet", "/pets"),
            ("getPet", "/pets/{petId}"),
            ("deletePet", "/pets/{petId}"),
            ("createPayment", "/payments")
        ]
    );
    let delete = api.operations.iter().find(|o| o.id == "deletePet").expect("deletePet");
    assert!(delete.responses.is_empty());
    let limit = &api.operations[0].params[0];
    assert_eq!((limit.wire.as_str(), limit.constraints.minimum), ("limit", Some(1.0)));
    assert!(warnings.items.is_empty(), "{}", warnings.as_warnings());
}

/// Webhooks are read but not generated, and said so.
#[test]
fn webhooks_are_reported_as_not_generated() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  petAdopted:\n    post:\n      \
                operationId: petAdopted\n      responses: {'200': {description: ok}}\n";
    let (api, warnings) = codegen::lower_with_warnings(text, &settings()).unwrap_or_else(|err| panic!("{err}"));
    assert!(api.operations.is_empty());
    assert_eq!(warnings.items.len(), 1);
    let warning = &warnings.items[0];
    assert_eq!(warning.kind, DiagnosticKind::Unsupported);
    assert_eq!(warning.location, Location::Pointer("#/webhooks".into()));
    assert!(warning.message.starts_with("webhooks are not generated"), "{}", warning.message);
    assert!(warnings.as_warnings().starts_with("warning: oas31.yaml: at #/webhooks: webhooks are not generated"));
}

#[test]
fn the_fixture_generates_every_crate() {
    let text = std::fs::read_to_string(root().join("spec/fixtures/oas31.yaml")).expect("the fixture is readable");
    let files = codegen::generate_str(&text, &settings()).unwrap_or_else(|err| panic!("generates: {err}"));
    for krate in ["types", "validation", "server", "client"] {
        assert!(files.contains_key(&format!("oas31-{krate}/src/generated.rs")), "{krate}");
    }
    let types = &files["oas31-types/src/generated.rs"];
    assert!(types.contains("pub tag: Option<Option<String>>"), "{types}");
    assert!(types.contains("#[serde(deny_unknown_fields)]\npub struct Owner"), "{types}");
}

#[test]
fn small_specs_map_nullable_unions_and_constraints() {
    let api = lower(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        \
         u: {type: [integer, boolean, 'null']}\n        c: {$ref: '#/components/schemas/B', minLength: 2}\n        \
         n: {enum: [a, null]}\n    B: {type: string}\n",
    );
    let u = field(&api, "A", "u");
    assert!(u.nullable);
    let TypeRef::Named(union) = &u.ty else { panic!("a union") };
    let TypeKind::Union(union) = &api.types[union.0].kind else { panic!("a union") };
    let names: Vec<&str> = union.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Integer", "Boolean"]);
    let c = field(&api, "A", "c");
    assert_eq!((c.ty.clone(), c.constraints.min_length), (id_of(&api, "B"), Some(2)));
    assert!(field(&api, "A", "n").nullable, "a null in a typeless enum admits null");
}

/// The type a component schema lowers to and the warnings, each as (pointer, message).
fn lenient(body: &str) -> (Api, Vec<(String, String)>) {
    let (api, warnings) = codegen::lower_with_warnings(&format!("{HEAD}{body}"), &settings())
        .unwrap_or_else(|err| panic!("the spec lowers: {err}"));
    let warnings = warnings
        .items
        .into_iter()
        .map(|item| match item.location {
            Location::Pointer(pointer) => (pointer, item.message),
            other => panic!("no pointer: {other:?}"),
        })
        .collect();
    (api, warnings)
}

#[test]
fn keywords_without_equivalent_warn_at_their_pointer() {
    // (keywords, the keyword warned about, the start of the warning, whether `A` is a JSON value)
    let cases = [
        ("type: array\n      prefixItems: [{type: string}]\n      items: {type: integer}", "prefixItems", "`prefixItems` (tuple items) has no OpenAPI 3.0 equivalent", true),
        ("type: array\n      items: [{type: string}]", "items", "`items` as a list of schemas (tuple items)", true),
        ("if: {required: [a]}\n      then: {required: [b]}", "if", "`if`/`then`/`else` has no OpenAPI 3.0 equivalent", true),
        ("patternProperties: {'^x-': {}}", "patternProperties", "`patternProperties` has no OpenAPI 3.0 equivalent", true),
        ("dependentSchemas: {a: {}}", "dependentSchemas", "`dependentSchemas` has no OpenAPI 3.0 equivalent", true),
        ("$dynamicRef: '#meta'", "$dynamicRef", "`$dynamicRef` has no OpenAPI 3.0 equivalent", true),
        ("type: object\n      dependentRequired: {a: [b]}", "dependentRequired", "`dependentRequired` has no OpenAPI 3.0 equivalent", false),
        ("type: object\n      propertyNames: {pattern: '^a'}", "propertyNames", "`propertyNames` has no OpenAPI 3.0 equivalent", false),
        ("type: array\n      contains: {type: string}", "contains", "`contains` (with `minContains`/`maxContains`)", false),
        ("type: array\n      unevaluatedItems: false\n      allOf: [{}]", "unevaluatedItems", "`unevaluatedItems` beside subschemas", false),
        ("type: object\n      unevaluatedProperties: false\n      allOf: [{}]", "unevaluatedProperties", "`unevaluatedProperties: false` beside subschemas", false),
        ("type: string\n      $schema: 'http://json-schema.org/draft-07/schema#'", "$schema", "`$schema` `http://json-schema.org/draft-07/schema#` is ignored", false),
    ];
    for (keywords, keyword, message, json_value) in cases {
        let (api, warnings) = lenient(&format!("paths: {{}}\ncomponents:\n  schemas:\n    A:\n      {keywords}\n"));
        assert_eq!(warnings.len(), 1, "{keyword}: {warnings:?}");
        let (pointer, text) = &warnings[0];
        assert_eq!(pointer, &format!("#/components/schemas/A/{keyword}"));
        assert!(text.starts_with(message), "{text}");
        let any = matches!(named(&api, "A").kind, TypeKind::Alias(TypeRef::Any, _));
        assert_eq!(any, json_value, "{keyword}: {:?}", named(&api, "A").kind);
    }
    let (_, warnings) = lenient("jsonSchemaDialect: https://json-schema.org/draft/2019-09/schema\npaths: {}\n");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].0, "#/jsonSchemaDialect");
    assert!(warnings[0].1.contains("is ignored: schemas are read with the default OpenAPI 3.1 dialect"), "{}", warnings[0].1);
}

#[test]
fn a_dangling_anchor_reference_is_invalid() {
    let (kind, pointer, text) =
        refused("paths: {}\ncomponents:\n  schemas:\n    A: {$anchor: a}\n    B:\n      properties: {b: {$ref: '#b'}}\n");
    assert_eq!((kind, pointer.as_str()), (DiagnosticKind::Invalid, "#/components/schemas/B/properties/b/$ref"));
    assert!(text.starts_with("dangling $ref `#b`: no schema in the document declares `$anchor: b`"), "{text}");
}

/// Every 3.1 construct that has no 3.0 spelling, in one spec that must generate.
const LENIENT: &str = r##"openapi: 3.1.0
jsonSchemaDialect: https://json-schema.org/draft/2019-09/schema
info: {title: lenient, version: '1'}
paths:
  /things:
    post:
      operationId: createThing
      security: [{mtls: []}, {key: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#thing'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
      callbacks:
        done:
          '{$request.body#/url}':
            post:
              requestBody: {content: {application/json: {schema: {type: object, patternProperties: {'^a': {}}}}}}
              responses: {'200': {description: ok}}
components:
  securitySchemes:
    mtls: {type: mutualTLS}
    key: {type: apiKey, in: header, name: X-Key}
  callbacks:
    Ping:
      '{$request.query.url}':
        post:
          responses: {'200': {description: ok}}
  schemas:
    Leaf: {$anchor: leaf, type: string, minLength: 1}
    Thing:
      $anchor: thing
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 10}
        pair: {type: array, prefixItems: [{type: string}, {type: integer}], items: false}
        legacyPair: {type: array, items: [{type: string}, {type: integer}]}
        conditional: {type: object, if: {required: [kind]}, then: {required: [id]}, else: {required: [name]}}
        dependent: {type: object, dependentSchemas: {card: {required: [billing]}}}
        labels: {type: object, patternProperties: {'^x-': {type: string}}, additionalProperties: false}
        tree: {$dynamicRef: '#node'}
        keys: {type: object, propertyNames: {pattern: '^[a-z]+$'}, additionalProperties: {type: integer}}
        billing: {type: object, dependentRequired: {card: [address]}}
        tags: {type: array, items: {type: string}, contains: {const: main}, minContains: 1}
        merged:
          allOf: [{type: object, properties: {a: {type: string}}}]
          unevaluatedProperties: {type: integer}
        listed:
          type: array
          allOf: [{maxItems: 3}]
          unevaluatedItems: false
        either:
          type: [string, integer]
          anyOf: [{maxLength: 3}, {maximum: 9}]
        foreign: {$schema: 'http://json-schema.org/draft-07/schema#', type: string}
        scoped:
          $id: https://example.com/scoped
          type: object
          properties:
            leaf: {$ref: '#leaf'}
"##;

#[test]
fn every_construct_without_a_3_0_spelling_generates_with_warnings() {
    let generated = codegen::generate(LENIENT, &settings()).unwrap_or_else(|err| panic!("generates: {err}"));
    for krate in ["types", "validation", "server", "client"] {
        assert!(generated.files.contains_key(&format!("oas31-{krate}/src/generated.rs")), "{krate}");
    }
    let warnings: Vec<(String, String)> = generated
        .warnings
        .items
        .iter()
        .map(|item| match &item.location {
            Location::Pointer(pointer) => (pointer.clone(), item.message.clone()),
            other => panic!("no pointer: {other:?}"),
        })
        .collect();
    let thing = "#/components/schemas/Thing/properties";
    let expected: Vec<(String, &str)> = vec![
        ("#/jsonSchemaDialect".into(), "`jsonSchemaDialect` `https://json-schema.org/draft/2019-09/schema` is ignored"),
        ("#/paths/~1things/post/callbacks/done".into(), "callbacks are not generated"),
        ("#/paths/~1things/post/callbacks/done/{$request.body#~1url}/post/requestBody/content/application~1json/schema/patternProperties".into(),
         "`patternProperties` has no OpenAPI 3.0 equivalent"),
        ("#/components/securitySchemes/mtls".into(), "`mutualTLS` security schemes have no OpenAPI 3.0 equivalent: `mtls` is left out"),
        ("#/components/callbacks/Ping".into(), "callbacks are not generated"),
        (format!("{thing}/pair/prefixItems"), "`prefixItems` (tuple items) has no OpenAPI 3.0 equivalent"),
        (format!("{thing}/legacyPair/items"), "`items` as a list of schemas (tuple items) has no OpenAPI 3.0 equivalent"),
        (format!("{thing}/conditional/if"), "`if`/`then`/`else` has no OpenAPI 3.0 equivalent"),
        (format!("{thing}/dependent/dependentSchemas"), "`dependentSchemas` has no OpenAPI 3.0 equivalent"),
        (format!("{thing}/labels/patternProperties"), "`patternProperties` has no OpenAPI 3.0 equivalent"),
        (format!("{thing}/tree/$dynamicRef"), "`$dynamicRef` has no OpenAPI 3.0 equivalent"),
        (format!("{thing}/keys/propertyNames"), "`propertyNames` has no OpenAPI 3.0 equivalent: property names are not checked"),
        (format!("{thing}/billing/dependentRequired"), "`dependentRequired` has no OpenAPI 3.0 equivalent"),
        (format!("{thing}/tags/contains"), "`contains` (with `minContains`/`maxContains`) has no OpenAPI 3.0 equivalent: not checked"),
        (format!("{thing}/merged/unevaluatedProperties"), "`unevaluatedProperties` beside subschemas"),
        (format!("{thing}/listed/unevaluatedItems"), "`unevaluatedItems` beside subschemas"),
        (format!("{thing}/foreign/$schema"), "`$schema` `http://json-schema.org/draft-07/schema#` is ignored"),
        (format!("{thing}/scoped/$id"), "`$id` `https://example.com/scoped` is ignored"),
        ("#/paths/~1things/post/security/0/mtls".into(), "security requirement names `mtls`, which is not in components.securitySchemes"),
    ];
    let found: Vec<&str> = warnings.iter().map(|(pointer, _)| pointer.as_str()).collect();
    let wanted: Vec<&str> = expected.iter().map(|(pointer, _)| pointer.as_str()).collect();
    assert_eq!(found, wanted, "{}", generated.warnings.as_warnings());
    for ((_, message), (pointer, start)) in warnings.iter().zip(&expected) {
        assert!(message.starts_with(start), "{pointer}: {message}");
    }
    let rendered = generated.warnings.as_warnings();
    assert!(rendered.contains("warning: oas31.yaml: at #/components/schemas/Thing/properties/tree/$dynamicRef: "), "{rendered}");

    // The shape keywords made their fields JSON values; the rest keep their Rust types.
    let api = codegen::lower_str(LENIENT, &settings()).unwrap_or_else(|err| panic!("lowers: {err}"));
    for any in ["pair", "legacyPair", "conditional", "dependent", "labels", "tree"] {
        assert_eq!(field(&api, "Thing", any).ty, TypeRef::Any, "{any}");
    }
    assert_eq!(field(&api, "Thing", "tags").ty, TypeRef::Vec(Box::new(TypeRef::Builtin(Builtin::String))));
    assert_eq!(field(&api, "Thing", "foreign").ty, TypeRef::Builtin(Builtin::String));
    assert_ne!(field(&api, "Thing", "keys").ty, TypeRef::Any);
    // `$ref`s to anchors name the anchored schemas.
    let create = api.operations.iter().find(|o| o.id == "createThing").expect("createThing");
    assert_eq!(create.body.as_ref().and_then(|body| body.content[0].ty.clone()), Some(id_of(&api, "Thing")));
    let TypeRef::Named(scoped) = &field(&api, "Thing", "scoped").ty else { panic!("a struct") };
    let TypeKind::Struct(scoped) = &api.types[scoped.0].kind else { panic!("a struct") };
    assert_eq!(scoped.fields[0].ty, id_of(&api, "Leaf"));
}

#[test]
fn lowering_diagnostics_point_into_the_users_file() {
    // The type list is split into `oneOf` branches; lowering's complaint about the unknown type
    // and the dangling reference still name the keyword the user wrote.
    let (kind, pointer, text) =
        refused("paths: {}\ncomponents:\n  schemas:\n    A: {type: [strin, integer]}\n");
    assert_eq!((kind, pointer.as_str()), (DiagnosticKind::Unsupported, "#/components/schemas/A/type"));
    assert!(text.starts_with("unknown schema type `strin`"), "{text}");
    let (_, pointer, text) = refused(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: [object, string, 'null']\n      \
         properties: {b: {$ref: '#/components/schemas/Missing'}}\n",
    );
    assert_eq!(pointer, "#/components/schemas/A/properties/b/$ref");
    assert!(text.starts_with("dangling $ref"), "{text}");
    let (_, pointer, _) = refused(
        "paths:\n  /a: {$ref: '#/components/pathItems/A'}\ncomponents:\n  pathItems:\n    A:\n      get:\n        \
         operationId: a\n        parameters: [{$ref: '#/components/parameters/Nope'}]\n",
    );
    assert_eq!(pointer, "#/components/pathItems/A/get/parameters/0/$ref");
}

