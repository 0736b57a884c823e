//! OpenAPI 3.1 documents end to end: mapped to 3.0 by the loader, lowered to the IR and
//! generated. Each mapping is checked on what it must produce (nullable fields, enums from
//! `const`, constraints, unions), and each refusal on its kind, pointer and message.

use codegen::error::{DiagnosticKind, Diagnostics, Location};
use codegen::ir::{Additional, Api, Builtin, Field, TypeDef, TypeKind, TypeRef};
use codegen::Settings;
use std::path::PathBuf;

fn settings() -> Settings {
    Settings { name: "oas31".into(), spec_label: "oas31.yaml".into(), command: "cargo xtask codegen --spec".into() }
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

#[test]
fn refusals_name_the_keyword_and_point_at_it() {
    let cases = [
        ("prefixItems: [{type: string}]", "prefixItems", "`prefixItems` (tuple items) has no OpenAPI 3.0 equivalent"),
        ("if: {required: [a]}\n      then: {required: [b]}", "if", "`if`/`then`/`else` has no OpenAPI 3.0 equivalent"),
        ("patternProperties: {'^x-': {}}", "patternProperties", "`patternProperties` has no OpenAPI 3.0 equivalent"),
        ("dependentRequired: {a: [b]}", "dependentRequired", "`dependentRequired` has no OpenAPI 3.0 equivalent"),
        ("dependentSchemas: {a: {}}", "dependentSchemas", "`dependentSchemas` has no OpenAPI 3.0 equivalent"),
        ("propertyNames: {pattern: '^a'}", "propertyNames", "`propertyNames` has no OpenAPI 3.0 equivalent"),
        ("contains: {type: string}", "contains", "`contains` (with `minContains`/`maxContains`)"),
        ("unevaluatedItems: false\n      allOf: [{}]", "unevaluatedItems", "`unevaluatedItems` next to"),
        ("unevaluatedProperties: false\n      allOf: [{}]", "unevaluatedProperties", "`unevaluatedProperties` has no"),
        ("$dynamicRef: '#meta'", "$dynamicRef", "`$dynamicRef` has no OpenAPI 3.0 equivalent"),
        ("$ref: '#pet'", "$ref", "`$ref` `#pet` refers to an `$anchor`"),
    ];
    for (keywords, keyword, message) in cases {
        let (kind, pointer, text) = refused(&format!("paths: {{}}\ncomponents:\n  schemas:\n    A:\n      {keywords}\n"));
        assert_eq!(kind, DiagnosticKind::Unsupported, "{keyword}");
        assert_eq!(pointer, format!("#/components/schemas/A/{keyword}"));
        assert!(text.starts_with(message), "{text}");
    }
    let (kind, pointer, text) = refused("jsonSchemaDialect: https://json-schema.org/draft/2019-09/schema\npaths: {}\n");
    assert_eq!((kind, pointer.as_str()), (DiagnosticKind::Unsupported, "#/jsonSchemaDialect"));
    assert!(text.contains("only the default OpenAPI 3.1 dialect"), "{text}");
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

