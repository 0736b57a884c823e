//! Swagger 2.0 documents end to end: converted on load, lowered to the IR, generated; problems
//! reported at the pointer the user wrote in the 2.0 document.

use codegen::error::{DiagnosticKind, Location};
use codegen::ir::{
    Api, Builtin, Operation, Param, ParamLocation, ParamStyle, SecuritySchemeKind, Status, TypeKind, TypeRef,
};
use codegen::Settings;

const FIXTURE: &str = include_str!("../../../spec/fixtures/swagger2-petstore.yaml");

fn settings() -> Settings {
    Settings { name: "sw".into(), spec_label: "sw.yaml".into(), command: "cargo xtask codegen --spec".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() }
}

fn lower(text: &str) -> Api {
    codegen::lower_str(text, &settings()).unwrap_or_else(|err| panic!("lowers: {err}"))
}

fn fixture() -> Api {
    lower(FIXTURE)
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations.iter().find(|op| op.id == id).unwrap_or_else(|| panic!("no operation {id}"))
}

fn param<'a>(op: &'a Operation, wire: &str) -> &'a Param {
    op.params.iter().find(|p| p.wire == wire).unwrap_or_else(|| panic!("no parameter {wire} in {}", op.id))
}

fn body_media_types(op: &Operation) -> Vec<&str> {
    op.body.as_ref().map(|body| body.content.iter().map(|m| m.media_type.as_str()).collect()).unwrap_or_default()
}

fn named<'a>(api: &'a Api, name: &str) -> &'a codegen::ir::TypeDef {
    api.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("no type {name}"))
}

fn struct_fields(api: &Api, name: &str) -> Vec<(String, bool, TypeRef)> {
    match &named(api, name).kind {
        TypeKind::Struct(def) => def.fields.iter().map(|f| (f.wire.clone(), f.nullable, f.ty.clone())).collect(),
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

/// A 2.0 document with these paths and definitions.
fn spec(paths: &str, rest: &str) -> String {
    format!("swagger: '2.0'\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}\n{rest}")
}

fn refused(text: &str) -> codegen::error::Diagnostics {
    match codegen::generate_str(text, &settings()) {
        Ok(files) => panic!("expected an error, got {} files", files.len()),
        Err(diagnostics) => diagnostics,
    }
}

fn first(text: &str) -> (DiagnosticKind, Location, String) {
    let diagnostics = refused(text);
    let item = diagnostics.items.first().cloned().unwrap_or_else(|| panic!("no diagnostic"));
    (item.kind, item.location, item.message)
}

fn pointer(p: &str) -> Location {
    Location::Pointer(p.to_string())
}

#[test]
fn operations_keep_their_order_and_the_server_comes_from_host_and_base_path() {
    let api = fixture();
    let ids: Vec<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    assert_eq!(
        ids,
        ["listPets", "addPet", "getPet", "replacePet", "deletePet", "uploadPhoto", "recordVisit", "checkVaccines", "getPhoto"]
    );
    assert_eq!(api.servers, ["https://shelter.example.com/api/v2"]);
    assert_eq!(api.info.title, "Pet shelter (Swagger 2.0)");
}

#[test]
fn collection_formats_become_styles() {
    let api = fixture();
    let list = operation(&api, "listPets");
    let styles: Vec<(&str, ParamLocation, ParamStyle, bool)> =
        list.params.iter().map(|p| (p.wire.as_str(), p.location, p.style, p.explode)).collect();
    assert_eq!(
        styles,
        [
            ("limit", ParamLocation::Query, ParamStyle::Form, true),
            ("tag", ParamLocation::Query, ParamStyle::Form, true),
            ("status", ParamLocation::Query, ParamStyle::Form, false),
            ("X-Request-Id", ParamLocation::Header, ParamStyle::Simple, false),
        ]
    );
    assert_eq!(param(list, "limit").default, Some(serde_json::json!(20)));
    assert_eq!(param(list, "limit").ty, TypeRef::Builtin(Builtin::I32));
    assert_eq!(param(list, "X-Request-Id").ty, TypeRef::Builtin(Builtin::Uuid));
    let vaccines = operation(&api, "checkVaccines");
    let names = param(vaccines, "names");
    assert_eq!((names.location, names.style, names.explode, names.required), (ParamLocation::Path, ParamStyle::Simple, false, true));
    assert_eq!(names.ty, TypeRef::Vec(Box::new(TypeRef::Builtin(Builtin::String))));
}

#[test]
fn path_level_and_global_parameters_reach_every_operation() {
    let api = fixture();
    for id in ["getPet", "replacePet", "deletePet", "uploadPhoto", "recordVisit", "checkVaccines"] {
        let id_param = param(operation(&api, id), "petId");
        assert_eq!((id_param.location, id_param.required), (ParamLocation::Path, true), "{id}");
        assert_eq!(id_param.ty, TypeRef::Builtin(Builtin::I64), "{id}");
    }
}

#[test]
fn body_parameters_become_request_bodies_per_consumed_media_type() {
    let api = fixture();
    let add = operation(&api, "addPet");
    assert_eq!(body_media_types(add), ["application/json", "application/xml"]);
    let body = add.body.as_ref().unwrap_or_else(|| panic!("addPet has a body"));
    assert!(body.required);
    assert_eq!(body.doc.as_deref(), Some("The pet to add."));
    let new_pet = api.types.iter().position(|t| t.name == "NewPet").map(codegen::ir::TypeId);
    assert_eq!(body.content[0].ty, new_pet.map(TypeRef::Named));
    let replace = operation(&api, "replacePet");
    assert_eq!(body_media_types(replace), ["application/json"]);
    assert_eq!(replace.body.as_ref().and_then(|b| b.doc.as_deref()), Some("The new state of the pet."));
    assert!(operation(&api, "getPet").body.is_none());
}

#[test]
fn form_fields_become_one_form_body() {
    let api = fixture();
    let upload = operation(&api, "uploadPhoto");
    assert_eq!(body_media_types(upload), ["multipart/form-data"]);
    assert!(upload.params.iter().all(|p| p.location == ParamLocation::Path));
    let fields = struct_fields(&api, "UploadPhotoRequest");
    let names: Vec<&str> = fields.iter().map(|(wire, _, _)| wire.as_str()).collect();
    // The path item's `caption` is replaced by the operation's own (a string, not an integer).
    assert_eq!(names, ["caption", "photo", "labels"]);
    assert_eq!(fields[0].2, TypeRef::Builtin(Builtin::String));
    assert_eq!(fields[1].2, TypeRef::Builtin(Builtin::String));
    let visit = operation(&api, "recordVisit");
    assert_eq!(body_media_types(visit), ["application/x-www-form-urlencoded"]);
    assert!(visit.body.as_ref().is_some_and(|b| b.required));
}

#[test]
fn responses_get_content_per_produced_type_and_headers() {
    let api = fixture();
    let list = operation(&api, "listPets");
    let ok = &list.responses[0];
    assert_eq!(ok.status, Status::Code(200));
    assert_eq!(ok.content.iter().map(|m| m.media_type.as_str()).collect::<Vec<_>>(), ["application/json"]);
    let headers: Vec<(&str, &TypeRef)> = ok.headers.iter().map(|h| (h.wire.as_str(), &h.ty)).collect();
    assert_eq!(
        headers,
        [("X-Total-Count", &TypeRef::Builtin(Builtin::I64)), ("X-Next", &TypeRef::Builtin(Builtin::String))]
    );
    assert_eq!(list.responses[1].status, Status::Default);
    let photo = operation(&api, "getPhoto");
    let media: Vec<&str> = photo.responses[0].content.iter().map(|m| m.media_type.as_str()).collect();
    assert_eq!(media, ["image/png", "image/jpeg"]);
    let get = operation(&api, "getPet");
    let not_found = get.responses.iter().find(|r| r.status == Status::Code(404)).unwrap_or_else(|| panic!("404"));
    assert_eq!(not_found.description, "There is no pet with that id.");
    assert_eq!(not_found.content[0].examples.len(), 1);
    // The example's pointer is where the 2.0 document has it.
    assert_eq!(get.responses[0].content[0].examples[0].0, "#/paths/~1pets~1{petId}/get/responses/200/examples/application~1json");
}

#[test]
fn x_nullable_and_null_in_type_lists_make_nullable_fields() {
    let api = fixture();
    let fields = struct_fields(&api, "NewPet");
    let nullable: Vec<(&str, bool)> = fields.iter().map(|(wire, nullable, _)| (wire.as_str(), *nullable)).collect();
    assert_eq!(nullable, [("name", false), ("tag", true), ("birthday", true), ("owner", true)]);
    assert_eq!(fields[2].2, TypeRef::Builtin(Builtin::Date));
    let owner = api.types.iter().position(|t| t.name == "Owner").map(codegen::ir::TypeId);
    assert_eq!(Some(fields[3].2.clone()), owner.map(TypeRef::Named));
    let owner_fields = struct_fields(&api, "Owner");
    assert!(owner_fields[1].1, "phone is nullable");
    match &owner_fields[1].2 {
        TypeRef::Named(id) => match &api.ty(*id).kind {
            TypeKind::Union(union) => assert_eq!(union.variants.len(), 2),
            other => panic!("phone is a union of string and integer, got {other:?}"),
        },
        other => panic!("phone is a named union, got {other:?}"),
    }
    assert!(struct_fields(&api, "Photo")[2].1, "caption is nullable");
}

#[test]
fn security_definitions_become_schemes() {
    let api = fixture();
    let schemes: Vec<(&str, &SecuritySchemeKind)> = api.security_schemes.iter().map(|s| (s.name.as_str(), &s.kind)).collect();
    let api_key = SecuritySchemeKind::ApiKey { location: ParamLocation::Header, name: "X-Api-Key".into() };
    assert_eq!(
        schemes,
        [("apiKey", &api_key), ("staff", &SecuritySchemeKind::HttpBasic), ("partners", &SecuritySchemeKind::OAuth2)]
    );
    assert_eq!(api.security[0].schemes, [("apiKey".to_string(), Vec::<String>::new())]);
    let add = operation(&api, "addPet").security.clone().unwrap_or_default();
    assert_eq!(add[0].schemes, [("partners".to_string(), vec!["pets:write".to_string()])]);
    let delete = operation(&api, "deletePet").security.clone().unwrap_or_default();
    assert_eq!(delete[0].schemes[0].0, "staff");
}

#[test]
fn the_fixture_generates_every_crate() {
    let files = codegen::generate_str(FIXTURE, &settings()).unwrap_or_else(|err| panic!("generates: {err}"));
    let client = files.get("sw-client/src/generated.rs").unwrap_or_else(|| panic!("client crate"));
    assert!(client.contains("\"https://shelter.example.com/api/v2\""));
    assert!(files.contains_key("sw-server/src/generated.rs"));
}

#[test]
fn lowering_problems_point_into_the_2_0_document() {
    // A dangling reference in a definition.
    let text = spec("  {}", "definitions:\n  A:\n    properties:\n      b: {$ref: '#/definitions/Missing'}\n");
    let (kind, location, message) = first(&text);
    assert_eq!((kind, location), (DiagnosticKind::Invalid, pointer("#/definitions/A/properties/b/$ref")));
    assert!(message.contains("dangling $ref `#/definitions/Missing`: there is no `Missing` in definitions"), "{message}");

    // In a body parameter's schema, after a query parameter (the body leaves the list).
    let paths = "  /pets:\n    post:\n      parameters:\n        - {name: q, in: query, type: string}\n        - {name: b, in: body, schema: {$ref: '#/definitions/Nope'}}\n      responses: {'200': {description: ok}}";
    let (_, location, _) = first(&spec(paths, ""));
    assert_eq!(location, pointer("#/paths/~1pets/post/parameters/1/schema/$ref"));

    // In a response schema.
    let paths = "  /pets:\n    get:\n      responses:\n        200: {description: ok, schema: {type: array, items: {$ref: '#/definitions/Nope'}}}";
    let (_, location, _) = first(&spec(paths, ""));
    assert_eq!(location, pointer("#/paths/~1pets/get/responses/200/schema/items/$ref"));

    // A global parameter that does not exist.
    let paths = "  /pets:\n    get:\n      parameters: [{$ref: '#/parameters/Nope'}]\n      responses: {'200': {description: ok}}";
    let (_, location, _) = first(&spec(paths, ""));
    assert_eq!(location, pointer("#/paths/~1pets/get/parameters/0/$ref"));

    // An unknown type in a non-body parameter, whose keywords moved into `schema`.
    let paths = "  /pets:\n    get:\n      parameters:\n        - {name: b, in: body, schema: {}}\n        - {name: when, in: query, type: date}\n      responses: {'200': {description: ok}}";
    let (kind, location, _) = first(&spec(paths, ""));
    assert_eq!((kind, location), (DiagnosticKind::Unsupported, pointer("#/paths/~1pets/get/parameters/1/type")));

    // In a form field.
    let paths = "  /pets:\n    post:\n      parameters:\n        - {name: a, in: formData, type: string}\n        - {name: when, in: formData, type: date}\n      responses: {'200': {description: ok}}";
    let (_, location, _) = first(&spec(paths, ""));
    assert_eq!(location, pointer("#/paths/~1pets/post/parameters/1/type"));

    // A security requirement naming an unknown definition is read as never met, with a warning.
    let generated = codegen::generate(&spec("  {}", "security: [{nope: []}]\n"), &settings()).expect("generates");
    let locations: Vec<&Location> = generated.warnings.items.iter().map(|item| &item.location).collect();
    assert_eq!(locations, vec![&pointer("#/security/0/nope")]);
}

#[test]
fn conversion_refusals_name_the_construct_and_its_pointer() {
    let (kind, location, message) = first(&spec("  {}", "definitions:\n  A: {$ref: 'common.yaml#/definitions/A'}\n"));
    assert_eq!((kind, location), (DiagnosticKind::Unsupported, pointer("#/definitions/A/$ref")));
    assert!(message.contains("bundle the spec into one file"), "{message}");

    let (kind, location, _) = first(&spec("  {}", "securityDefinitions:\n  o: {type: oauth2, flow: device, scopes: {}}\n"));
    assert_eq!((kind, location), (DiagnosticKind::Invalid, pointer("#/securityDefinitions/o/flow")));
}

#[test]
fn wrong_shapes_are_reported_not_panicked_on() {
    let cases = [
        ("paths: 5", "#/paths"),
        ("paths: {}\ndefinitions: [1, 2]", "#/definitions"),
        ("paths: {}\nsecurityDefinitions: {a: {type: basic, description: [1]}}", "#/securityDefinitions/a"),
        ("paths: {}\nparameters: 'x'", "#/parameters"),
        ("paths: {}\nresponses: {R: 3}", "#/responses/R"),
        ("paths: {}\nconsumes: application/json", "#/consumes"),
        ("paths: {}\ndefinitions: {A: {$ref: 7}}", "#/definitions/A/$ref"),
    ];
    for (body, expected) in cases {
        let text = format!("swagger: '2.0'\ninfo: {{title: t, version: '1'}}\n{body}\n");
        let (_, location, message) = first(&text);
        assert_eq!(location, pointer(expected), "{body}: {message}");
    }
    let odd = [
        "paths: {/a: 5}",
        "paths: {/a: {get: 5}}",
        "paths: {/a: {get: {parameters: 'x', responses: {}}}}",
        "paths: {/a: {get: {parameters: [5, {in: body}], responses: {}}}}",
        "paths: {/a: {get: {parameters: [{in: formData}], responses: {}}}}",
        "paths: {/a: {parameters: [{$ref: 5}], get: {responses: {}}}}",
        "paths: {/a: {get: {responses: {'200': {description: ok, headers: 5, schema: 5, examples: 5}}}}}",
        "paths: {/a: {get: {responses: 5, produces: [1]}}}",
        "paths: {}\ndefinitions: {A: {type: [], items: [], properties: 1, allOf: 1, discriminator: x}}",
        "paths: {}\nparameters: {P: {in: query, name: p, type: array, collectionFormat: 5}}",
    ];
    for body in odd {
        let text = format!("swagger: '2.0'\ninfo: {{title: t, version: '1'}}\n{body}\n");
        assert!(codegen::generate_str(&text, &settings()).is_err(), "{body}");
    }
}

/// Arrays with no 3.0 style in their place (tsv anywhere, anything but csv in paths and headers)
/// are read as one string, with a warning at the `collectionFormat`.
#[test]
fn unsplit_arrays_are_strings_with_a_warning() {
    let paths = "  /pets/{id}:\n    get:\n      parameters:\n        - {name: id, in: path, required: true, type: array, items: {type: string}, collectionFormat: multi}\n        - {name: ids, in: query, type: array, items: {type: integer}, collectionFormat: tsv}\n      responses: {'200': {description: ok}}";
    let generated = codegen::generate(&spec(paths, ""), &settings()).unwrap_or_else(|err| panic!("generates: {err}"));
    let rendered = generated.warnings.as_warnings();
    let lines: Vec<&str> = rendered.lines().collect();
    assert_eq!(lines.len(), 2, "{rendered}");
    assert!(lines[0].starts_with("warning: sw.yaml: at #/paths/~1pets~1{id}/get/parameters/0/collectionFormat: collectionFormat `multi` has no OpenAPI 3.0 style in a path parameter: the value is read as one string"), "{rendered}");
    assert!(lines[1].starts_with("warning: sw.yaml: at #/paths/~1pets~1{id}/get/parameters/1/collectionFormat: collectionFormat `tsv` has no OpenAPI 3.0 style in a query parameter"), "{rendered}");
    let api = lower(&spec(paths, ""));
    let op = &api.operations[0];
    assert_eq!(param(op, "id").ty, TypeRef::Builtin(Builtin::String));
    assert_eq!(param(op, "ids").ty, TypeRef::Builtin(Builtin::String));
}

#[test]
fn dropped_constructs_are_warnings_with_their_original_pointers() {
    let paths = "  /pets:\n    post:\n      consumes: [application/x-www-form-urlencoded, application/json]\n      schemes: [http]\n      parameters:\n        - {name: a, in: formData, type: string, allowEmptyValue: true}\n      responses:\n        200: {description: ok, schema: {type: string}, examples: {text/html: '<p>'}}";
    let (_, warnings) = codegen::lower_with_warnings(&spec(paths, ""), &settings()).unwrap_or_else(|err| panic!("{err}"));
    let locations: Vec<&Location> = warnings.items.iter().map(|w| &w.location).collect();
    assert_eq!(
        locations,
        [
            &pointer("#/paths/~1pets/post/schemes"),
            &pointer("#/paths/~1pets/post/responses/200/examples/text~1html"),
            &pointer("#/paths/~1pets/post/consumes"),
            &pointer("#/paths/~1pets/post/parameters/0/allowEmptyValue"),
        ]
    );
    assert!(warnings.as_warnings().contains("warning: sw.yaml: at #/paths/~1pets/post/consumes:"));
}

/// Messages and rustdoc speak of the Swagger 2.0 document, not of its 3.0 conversion.
#[test]
fn messages_and_docs_use_the_swagger_names() {
    let text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      \
                responses:\n        '200': {description: ok, schema: {$ref: '#/definitions/Nope'}}\ndefinitions:\n  Pet: {type: object}\n";
    let (_, location, message) = first(text);
    assert_eq!(location, pointer("#/paths/~1a/get/responses/200/schema/$ref"));
    assert_eq!(message, "dangling $ref `#/definitions/Nope`: there is no `Nope` in definitions");
    let good = text.replace("#/definitions/Nope", "#/definitions/Pet");
    let api = lower(&good);
    assert_eq!(named(&api, "Pet").origin, "#/definitions/Pet");
    assert_eq!(operation(&api, "a").origin, "#/paths/~1a/get");
}
