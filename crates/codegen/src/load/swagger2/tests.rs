//! Unit tests of the Swagger 2.0 conversion: one group per mapping, on the converted JSON and
//! the source map.

use super::{convert, Conversion};
use crate::error::{Diagnostic, DiagnosticKind, Location};
use serde_json::{json, Value};

/// A minimal 2.0 document with `extra` merged in at the top level.
fn document(extra: Value) -> Value {
    let mut base = json!({ "swagger": "2.0", "info": { "title": "t", "version": "1" }, "paths": {} });
    if let (Value::Object(base), Value::Object(extra)) = (&mut base, extra) {
        base.extend(extra);
    }
    base
}

fn run(extra: Value) -> Result<Conversion, Diagnostic> {
    convert(document(extra))
}

fn converted(extra: Value) -> Result<Value, Diagnostic> {
    run(extra).map(|conversion| conversion.doc)
}

fn refusal(extra: Value) -> Option<Diagnostic> {
    run(extra).err()
}

fn at(pointer: &str) -> Location {
    Location::Pointer(pointer.to_string())
}

fn get<'v>(doc: &'v Value, pointer: &str) -> &'v Value {
    doc.pointer(pointer).unwrap_or(&Value::Null)
}

/// One operation at `/pets` (method `post`) with these parameters and the given extra fields.
fn operation(parameters: Value, extra: Value) -> Value {
    let mut op = json!({ "parameters": parameters, "responses": { "200": { "description": "ok" } } });
    if let (Value::Object(op), Value::Object(extra)) = (&mut op, extra) {
        op.extend(extra);
    }
    json!({ "paths": { "/pets": { "post": op } } })
}

const OP: &str = "/paths/~1pets/post";

mod document {
    use super::*;

    #[test]
    fn version_info_tags_and_extensions_are_kept() -> Result<(), Diagnostic> {
        let doc = converted(json!({ "tags": [{ "name": "pets" }], "x-logo": { "url": "u" } }))?;
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["info"]["title"], "t");
        assert_eq!(doc["tags"][0]["name"], "pets");
        assert_eq!(doc["x-logo"]["url"], "u");
        assert!(doc.get("swagger").is_none());
        Ok(())
    }

    #[test]
    fn unknown_top_level_fields_are_warnings() -> Result<(), Diagnostic> {
        let conversion = run(json!({ "webhooks": {} }))?;
        assert_eq!(conversion.warnings.len(), 1);
        assert_eq!(conversion.warnings[0].location, at("#/webhooks"));
        Ok(())
    }

    #[test]
    fn servers_come_from_host_base_path_and_schemes() -> Result<(), Diagnostic> {
        let doc = converted(json!({ "host": "api.example.com:8443", "basePath": "/v1/", "schemes": ["http", "https"] }))?;
        assert_eq!(doc["servers"], json!([{ "url": "http://api.example.com:8443/v1" }, { "url": "https://api.example.com:8443/v1" }]));
        let doc = converted(json!({ "host": "api.example.com" }))?;
        assert_eq!(doc["servers"], json!([{ "url": "//api.example.com" }]));
        let doc = converted(json!({ "basePath": "/v2" }))?;
        assert_eq!(doc["servers"], json!([{ "url": "/v2" }]));
        let doc = converted(json!({ "host": "h", "basePath": "v3", "schemes": ["https"] }))?;
        assert_eq!(doc["servers"], json!([{ "url": "https://h/v3" }]));
        let doc = converted(json!({ "basePath": "/" }))?;
        assert_eq!(doc["servers"], json!([{ "url": "/" }]));
        let doc = converted(json!({}))?;
        assert!(doc.get("servers").is_none());
        Ok(())
    }

    #[test]
    fn wrong_types_of_2_0_fields_are_invalid_at_their_pointer() {
        let err = refusal(json!({ "schemes": "https" }));
        assert_eq!(err.map(|e| (e.kind, e.location)), Some((DiagnosticKind::Invalid, at("#/schemes"))));
        let err = refusal(json!({ "host": 5 }));
        assert_eq!(err.map(|e| e.location), Some(at("#/host")));
        let err = refusal(json!({ "consumes": ["application/json", 3] }));
        assert_eq!(err.map(|e| e.location), Some(at("#/consumes/1")));
    }

    #[test]
    fn wrong_types_of_shared_fields_pass_through() -> Result<(), Diagnostic> {
        let doc = converted(json!({ "paths": "none", "definitions": [1] }))?;
        assert_eq!(doc["paths"], "none");
        assert_eq!(doc["components"]["schemas"], json!([1]));
        let doc = converted(operation(json!("not a list"), json!({})))?;
        assert_eq!(get(&doc, &format!("{OP}/parameters")), "not a list");
        Ok(())
    }
}

mod references {
    use super::*;

    #[test]
    fn local_references_move_with_their_components() -> Result<(), Diagnostic> {
        let doc = converted(json!({ "definitions": {
            "A": { "$ref": "#/definitions/B" },
            "B": { "type": "object", "properties": { "c": { "$ref": "#/definitions/B/properties/d" }, "d": { "type": "string" } } },
            "E": { "$ref": "#/paths/~1x" },
        } }))?;
        assert_eq!(get(&doc, "/components/schemas/A/$ref"), "#/components/schemas/B");
        assert_eq!(get(&doc, "/components/schemas/B/properties/c/$ref"), "#/components/schemas/B/properties/d");
        assert_eq!(get(&doc, "/components/schemas/E/$ref"), "#/paths/~1x");
        Ok(())
    }

    #[test]
    fn external_references_are_refused_at_the_original_pointer() {
        let err = refusal(json!({ "definitions": { "A": { "properties": { "b": { "$ref": "other.yaml#/definitions/B" } } } } }));
        let err = err.map(|e| (e.kind, e.location, e.message.contains("external $ref `other.yaml#/definitions/B`")));
        assert_eq!(err, Some((DiagnosticKind::Unsupported, at("#/definitions/A/properties/b/$ref"), true)));
        let err = refusal(operation(json!([{ "$ref": "common.yaml#/parameters/P" }]), json!({})));
        assert_eq!(err.map(|e| e.location), Some(at("#/paths/~1pets/post/parameters/0/$ref")));
    }

    #[test]
    fn a_reference_that_is_not_a_string_is_invalid() {
        let err = refusal(json!({ "definitions": { "A": { "$ref": 5 } } }));
        assert_eq!(err.map(|e| (e.kind, e.location)), Some((DiagnosticKind::Invalid, at("#/definitions/A/$ref"))));
    }
}

mod schemas {
    use super::*;

    #[test]
    fn definitions_become_component_schemas_with_a_source_map() -> Result<(), Diagnostic> {
        let conversion = run(json!({ "definitions": { "Pet": { "type": "object", "properties": { "id": { "type": "integer" } } } } }))?;
        assert_eq!(get(&conversion.doc, "/components/schemas/Pet/properties/id/type"), "integer");
        let original = conversion.source_map.original("#/components/schemas/Pet/properties/id/type");
        assert_eq!(original, "#/definitions/Pet/properties/id/type");
        Ok(())
    }

    #[test]
    fn x_nullable_becomes_nullable_everywhere() -> Result<(), Diagnostic> {
        let doc = converted(json!({ "definitions": { "A": { "type": "object", "x-nullable": true, "properties": {
            "b": { "type": "array", "items": { "type": "string", "x-nullable": true } },
            "c": { "type": "object", "additionalProperties": { "type": "integer", "x-nullable": true } },
            "d": { "allOf": [{ "type": "string", "x-nullable": true }] },
            "e": { "type": "string", "x-nullable": false },
        } } } }))?;
        let a = get(&doc, "/components/schemas/A");
        assert_eq!(a["nullable"], true);
        assert!(a.get("x-nullable").is_none());
        assert_eq!(a["properties"]["b"]["items"], json!({ "type": "string", "nullable": true }));
        assert_eq!(a["properties"]["c"]["additionalProperties"], json!({ "type": "integer", "nullable": true }));
        assert_eq!(a["properties"]["d"]["allOf"][0], json!({ "type": "string", "nullable": true }));
        assert_eq!(a["properties"]["e"], json!({ "type": "string" }));
        Ok(())
    }

    #[test]
    fn a_nullable_reference_is_wrapped_in_all_of() -> Result<(), Diagnostic> {
        let conversion = run(json!({ "definitions": { "A": { "properties": {
            "b": { "$ref": "#/definitions/B", "x-nullable": true, "description": "the b", "type": "object" },
            "c": { "$ref": "#/definitions/B", "description": "kept beside the reference", "x-go-name": "C" },
        } }, "B": { "type": "object" } } }))?;
        let b = get(&conversion.doc, "/components/schemas/A/properties/b");
        assert_eq!(b, &json!({ "allOf": [{ "$ref": "#/components/schemas/B" }], "description": "the b", "nullable": true }));
        let c = get(&conversion.doc, "/components/schemas/A/properties/c");
        assert_eq!(c, &json!({ "$ref": "#/components/schemas/B", "description": "kept beside the reference", "x-go-name": "C" }));
        let original = conversion.source_map.original("#/components/schemas/A/properties/b/allOf/0/$ref");
        assert_eq!(original, "#/definitions/A/properties/b/$ref");
        Ok(())
    }

    #[test]
    fn a_type_list_with_null_is_a_nullable_type() -> Result<(), Diagnostic> {
        let doc = converted(json!({ "definitions": {
            "A": { "type": ["null", "string"], "format": "date", "description": "d" },
            "B": { "type": ["array", "null"], "items": { "type": ["integer", "null"] } },
            "C": { "type": ["null"] },
            "D": { "type": "null" },
        } }))?;
        assert_eq!(get(&doc, "/components/schemas/A"), &json!({ "type": "string", "format": "date", "description": "d", "nullable": true }));
        assert_eq!(get(&doc, "/components/schemas/B"), &json!({ "type": "array", "items": { "type": "integer", "nullable": true }, "nullable": true }));
        assert_eq!(get(&doc, "/components/schemas/C"), &json!({ "nullable": true }));
        assert_eq!(get(&doc, "/components/schemas/D"), &json!({ "nullable": true }));
        Ok(())
    }

    #[test]
    fn a_list_of_several_types_is_a_one_of_with_the_keywords_of_each_type() -> Result<(), Diagnostic> {
        let conversion = run(json!({ "definitions": { "A": {
            "description": "text or digits",
            "type": ["string", "integer", "null"],
            "maxLength": 5,
            "minimum": 0,
            "enum": ["a", 1, null],
            "items": { "type": "string" },
        } } }))?;
        let expected = json!({
            "description": "text or digits",
            "oneOf": [
                { "type": "string", "maxLength": 5, "enum": ["a"] },
                { "type": "integer", "minimum": 0, "enum": [1] },
            ],
            "nullable": true,
        });
        assert_eq!(get(&conversion.doc, "/components/schemas/A"), &expected);
        let original = conversion.source_map.original("#/components/schemas/A/oneOf/1/minimum");
        assert_eq!(original, "#/definitions/A/minimum");
        Ok(())
    }

    #[test]
    fn a_type_list_next_to_one_of_is_a_new_all_of_member() -> Result<(), Diagnostic> {
        let conversion = run(json!({ "definitions": {
            "A": {
                "type": ["string", "integer", "null"], "maxLength": 3, "description": "d",
                "oneOf": [{ "$ref": "#/definitions/B" }, { "minimum": 1 }], "allOf": [{ "x-note": 1 }],
            },
            "B": { "type": "string" },
        } }))?;
        let expected = json!({
            "description": "d",
            "oneOf": [{ "$ref": "#/components/schemas/B" }, { "minimum": 1 }],
            "allOf": [{ "x-note": 1 }, { "oneOf": [{ "type": "string", "maxLength": 3 }, { "type": "integer" }] }],
            "nullable": true,
        });
        assert_eq!(get(&conversion.doc, "/components/schemas/A"), &expected);
        let map = &conversion.source_map;
        assert_eq!(map.original("#/components/schemas/A/allOf/1/oneOf/0/maxLength"), "#/definitions/A/maxLength");
        assert_eq!(map.original("#/components/schemas/A/allOf/1"), "#/definitions/A");
        assert_eq!(map.original("#/components/schemas/A/oneOf/0/$ref"), "#/definitions/A/oneOf/0/$ref");
        assert!(conversion.warnings.is_empty());
        let err = refusal(json!({ "definitions": { "A": { "type": ["string", "integer"], "oneOf": [], "allOf": 1 } } }));
        assert_eq!(err.map(|e| (e.kind, e.location)), Some((DiagnosticKind::Invalid, at("#/definitions/A/allOf"))));
        let err = refusal(json!({ "definitions": { "A": { "type": ["string", 3] } } }));
        assert_eq!(err.map(|e| (e.kind, e.location)), Some((DiagnosticKind::Invalid, at("#/definitions/A/type/1"))));
        Ok(())
    }

    #[test]
    fn file_is_a_binary_string() -> Result<(), Diagnostic> {
        let doc = converted(json!({ "definitions": { "A": { "type": "file", "format": "ignored" } } }))?;
        assert_eq!(get(&doc, "/components/schemas/A"), &json!({ "type": "string", "format": "binary" }));
        Ok(())
    }

    #[test]
    fn a_discriminator_name_becomes_an_object() -> Result<(), Diagnostic> {
        let doc = converted(json!({ "definitions": {
            "A": { "type": "object", "discriminator": "kind", "properties": { "kind": { "type": "string" } } },
            "B": { "discriminator": { "propertyName": "kind" } },
        } }))?;
        assert_eq!(get(&doc, "/components/schemas/A/discriminator"), &json!({ "propertyName": "kind" }));
        assert_eq!(get(&doc, "/components/schemas/B/discriminator"), &json!({ "propertyName": "kind" }));
        let err = refusal(json!({ "definitions": { "A": { "discriminator": 1 } } }));
        assert_eq!(err.map(|e| e.location), Some(at("#/definitions/A/discriminator")));
        Ok(())
    }

    #[test]
    fn nested_schemas_are_converted_in_every_keyword() -> Result<(), Diagnostic> {
        let file = json!({ "type": "file" });
        let binary = json!({ "type": "string", "format": "binary" });
        let doc = converted(json!({ "definitions": { "A": {
            "properties": { "p": file },
            "items": file,
            "additionalProperties": file,
            "allOf": [file],
            "anyOf": [file],
            "oneOf": [file],
            "not": file,
        } } }))?;
        let a = get(&doc, "/components/schemas/A");
        for pointer in ["/properties/p", "/items", "/additionalProperties", "/allOf/0", "/anyOf/0", "/oneOf/0", "/not"] {
            assert_eq!(get(a, pointer), &binary, "{pointer}");
        }
        Ok(())
    }

    #[test]
    fn tuple_items_are_read_as_any_of() -> Result<(), Diagnostic> {
        let conversion = run(json!({ "definitions": {
            "A": { "items": [{ "type": "string" }, { "type": "integer" }] },
            "B": { "items": [{ "$ref": "#/definitions/A" }, { "type": "null" }] },
            "C": { "items": [{ "type": "null" }, { "type": "string" }] },
        } }))?;
        let doc = &conversion.doc;
        assert_eq!(get(doc, "/components/schemas/A/items"), &json!({ "anyOf": [{ "type": "string" }, { "type": "integer" }] }));
        assert_eq!(get(doc, "/components/schemas/B/items"), &json!({ "allOf": [{ "$ref": "#/components/schemas/A" }], "nullable": true }));
        assert_eq!(get(doc, "/components/schemas/C/items"), &json!({ "type": "string", "nullable": true }));
        assert_eq!(conversion.source_map.original("#/components/schemas/C/items/type"), "#/definitions/C/items/1/type");
        assert_eq!(conversion.source_map.original("#/components/schemas/A/items/anyOf/1"), "#/definitions/A/items/1");
        let warned: Vec<&Location> = conversion.warnings.iter().map(|w| &w.location).collect();
        assert_eq!(warned, [&at("#/definitions/A/items"), &at("#/definitions/B/items"), &at("#/definitions/C/items")]);
        Ok(())
    }

    #[test]
    fn a_wrong_x_nullable_is_a_warning() -> Result<(), Diagnostic> {
        let conversion = run(json!({ "definitions": { "A": { "type": "string", "x-nullable": "yes" } } }))?;
        assert_eq!(get(&conversion.doc, "/components/schemas/A"), &json!({ "type": "string" }));
        assert_eq!(conversion.warnings.iter().map(|w| &w.location).collect::<Vec<_>>(), [&at("#/definitions/A/x-nullable")]);
        Ok(())
    }
}

mod parameters {
    use super::*;

    fn query(extra: Value) -> Value {
        let mut param = json!({ "name": "q", "in": "query", "type": "array", "items": { "type": "string" } });
        if let (Value::Object(param), Value::Object(extra)) = (&mut param, extra) {
            param.extend(extra);
        }
        param
    }

    #[test]
    fn value_keywords_move_into_schema() -> Result<(), Diagnostic> {
        let conversion = run(operation(
            json!([{ "name": "limit", "in": "query", "description": "d", "required": true, "type": "integer", "format": "int32",
                     "minimum": 1, "maximum": 10, "default": 5, "enum": [1, 5, 10], "allowEmptyValue": true, "x-ext": 1 }]),
            json!({}),
        ))?;
        let expected = json!({
            "name": "limit", "in": "query", "description": "d", "required": true, "allowEmptyValue": true, "x-ext": 1,
            "schema": { "type": "integer", "format": "int32", "minimum": 1, "maximum": 10, "default": 5, "enum": [1, 5, 10] },
        });
        assert_eq!(get(&conversion.doc, &format!("{OP}/parameters/0")), &expected);
        let original = conversion.source_map.original("#/paths/~1pets/post/parameters/0/schema/minimum");
        assert_eq!(original, "#/paths/~1pets/post/parameters/0/minimum");
        Ok(())
    }

    #[test]
    fn collection_formats_become_styles() -> Result<(), Diagnostic> {
        let doc = converted(operation(
            json!([
                query(json!({ "name": "a" })),
                query(json!({ "name": "b", "collectionFormat": "csv" })),
                query(json!({ "name": "c", "collectionFormat": "multi" })),
                query(json!({ "name": "d", "collectionFormat": "ssv" })),
                query(json!({ "name": "e", "collectionFormat": "pipes" })),
                query(json!({ "name": "f", "in": "path", "required": true, "collectionFormat": "csv" })),
                query(json!({ "name": "g", "in": "header" })),
                { "name": "h", "in": "query", "type": "string" },
            ]),
            json!({}),
        ))?;
        let styles: Vec<(Value, Value)> = (0..8)
            .map(|index| {
                let param = get(&doc, &format!("{OP}/parameters/{index}"));
                (param.get("style").cloned().unwrap_or(Value::Null), param.get("explode").cloned().unwrap_or(Value::Null))
            })
            .collect();
        let expected = [
            ("form", false),
            ("form", false),
            ("form", true),
            ("spaceDelimited", false),
            ("pipeDelimited", false),
            ("simple", false),
            ("simple", false),
        ];
        for (index, (style, explode)) in expected.iter().enumerate() {
            assert_eq!(styles[index], (json!(style), json!(explode)), "parameter {index}");
        }
        assert_eq!(styles[7], (Value::Null, Value::Null));
        Ok(())
    }

    /// The warnings of a conversion as (pointer, message).
    fn warned(conversion: &Conversion) -> Vec<(Location, String)> {
        conversion.warnings.iter().map(|w| (w.location.clone(), w.message.clone())).collect()
    }

    #[test]
    fn tsv_is_read_as_one_string() -> Result<(), Diagnostic> {
        let tsv = query(json!({
            "collectionFormat": "tsv", "minItems": 1, "uniqueItems": true, "description": "d",
            "default": ["a"], "example": ["a", "b"], "enum": [["a"]], "x-ext": 1,
        }));
        let conversion = run(operation(json!([{ "name": "x", "in": "query", "type": "integer" }, tsv]), json!({})))?;
        let param = get(&conversion.doc, &format!("{OP}/parameters/1"));
        let expected = json!({ "name": "q", "in": "query", "description": "d", "x-ext": 1, "schema": { "type": "string" } });
        assert_eq!(param, &expected);
        assert_eq!(conversion.source_map.original(&format!("#{OP}/parameters/1/schema/type")), format!("#{OP}/parameters/1/type"));
        let warnings = warned(&conversion);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].0, at("#/paths/~1pets/post/parameters/1/collectionFormat"));
        assert!(warnings[0].1.starts_with("collectionFormat `tsv` has no OpenAPI 3.0 style in a query parameter: the value is read as one string and not split"), "{}", warnings[0].1);
        Ok(())
    }

    #[test]
    fn styles_without_a_3_0_equivalent_are_read_as_strings() -> Result<(), Diagnostic> {
        let conversion = run(operation(
            json!([
                query(json!({ "name": "h", "in": "header", "collectionFormat": "pipes", "default": "a|b" })),
                query(json!({ "name": "id", "in": "path", "required": true, "collectionFormat": "multi", "items": { "type": "integer" } })),
                { "name": "f", "in": "formData", "type": "array", "items": { "type": "integer" }, "collectionFormat": "tsv" },
            ]),
            json!({}),
        ))?;
        let doc = &conversion.doc;
        assert_eq!(get(doc, &format!("{OP}/parameters/0")), &json!({ "name": "h", "in": "header", "schema": { "type": "string", "default": "a|b" } }));
        assert_eq!(get(doc, &format!("{OP}/parameters/1")), &json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }));
        let form = get(doc, &format!("{OP}/requestBody/content/application~1x-www-form-urlencoded"));
        assert_eq!(form["schema"]["properties"]["f"], json!({ "type": "string" }));
        assert!(form.get("encoding").is_none());
        let warnings = warned(&conversion);
        let locations: Vec<&Location> = warnings.iter().map(|(location, _)| location).collect();
        assert_eq!(
            locations,
            [
                &at("#/paths/~1pets/post/parameters/0/collectionFormat"),
                &at("#/paths/~1pets/post/parameters/1/collectionFormat"),
                &at("#/paths/~1pets/post/parameters/2/collectionFormat"),
            ]
        );
        assert!(warnings[0].1.starts_with("collectionFormat `pipes` has no OpenAPI 3.0 style in a header"));
        assert!(warnings[1].1.starts_with("collectionFormat `multi` has no OpenAPI 3.0 style in a path parameter"));
        assert!(warnings[2].1.starts_with("collectionFormat `tsv` has no OpenAPI 3.0 style in a form field"));
        // Unknown formats are invalid; a nested array's tsv is dropped like its other formats.
        let err = refusal(operation(json!([query(json!({ "collectionFormat": "commas" }))]), json!({})));
        assert_eq!(err.map(|e| e.kind), Some(DiagnosticKind::Invalid));
        let conversion = run(operation(json!([query(json!({ "items": { "type": "array", "collectionFormat": "tsv" } }))]), json!({})))?;
        let warnings = warned(&conversion);
        assert_eq!(warnings.iter().map(|(location, _)| location).collect::<Vec<_>>(), [&at("#/paths/~1pets/post/parameters/0/items/collectionFormat")]);
        Ok(())
    }

    #[test]
    fn nested_collection_formats_are_dropped_with_a_warning() -> Result<(), Diagnostic> {
        let nested = json!({ "type": "array", "collectionFormat": "pipes", "items": { "type": "string" } });
        let conversion = run(operation(json!([query(json!({ "items": nested }))]), json!({})))?;
        let items = get(&conversion.doc, &format!("{OP}/parameters/0/schema/items"));
        assert_eq!(items, &json!({ "type": "array", "items": { "type": "string" } }));
        assert_eq!(conversion.warnings.len(), 1);
        Ok(())
    }

    #[test]
    fn allow_empty_value_outside_query_is_a_warning() -> Result<(), Diagnostic> {
        let conversion = run(operation(json!([{ "name": "h", "in": "header", "type": "string", "allowEmptyValue": true }]), json!({})))?;
        assert!(get(&conversion.doc, &format!("{OP}/parameters/0")).get("allowEmptyValue").is_none());
        assert_eq!(conversion.warnings[0].location, at("#/paths/~1pets/post/parameters/0/allowEmptyValue"));
        Ok(())
    }

    #[test]
    fn a_body_parameter_becomes_the_request_body() -> Result<(), Diagnostic> {
        let conversion = run(operation(
            json!([
                { "name": "pet", "in": "body", "required": true, "description": "the pet", "x-ext": true,
                  "schema": { "$ref": "#/definitions/Pet" } },
                { "name": "dry", "in": "query", "type": "boolean" },
            ]),
            json!({ "consumes": ["application/json", "application/xml"] }),
        ))?;
        let expected = json!({
            "required": true, "description": "the pet", "x-ext": true,
            "content": {
                "application/json": { "schema": { "$ref": "#/components/schemas/Pet" } },
                "application/xml": { "schema": { "$ref": "#/components/schemas/Pet" } },
            },
        });
        assert_eq!(get(&conversion.doc, &format!("{OP}/requestBody")), &expected);
        assert_eq!(get(&conversion.doc, &format!("{OP}/parameters/0/name")), "dry");
        let map = &conversion.source_map;
        assert_eq!(
            map.original("#/paths/~1pets/post/requestBody/content/application~1json/schema"),
            "#/paths/~1pets/post/parameters/0/schema"
        );
        assert_eq!(map.original("#/paths/~1pets/post/requestBody/content/application~1xml/schema/$ref"), "#/paths/~1pets/post/parameters/0/schema/$ref");
        assert_eq!(map.original("#/paths/~1pets/post/parameters/0/schema"), "#/paths/~1pets/post/parameters/1");
        assert_eq!(map.original("#/paths/~1pets/post/parameters/0/name"), "#/paths/~1pets/post/parameters/1/name");
        Ok(())
    }

    #[test]
    fn the_document_consumes_json_by_default() -> Result<(), Diagnostic> {
        let body = json!([{ "name": "b", "in": "body", "schema": { "type": "string" } }]);
        let doc = converted(operation(body.clone(), json!({})))?;
        let content = get(&doc, &format!("{OP}/requestBody/content"));
        assert_eq!(content.as_object().map(|c| c.keys().cloned().collect::<Vec<_>>()), Some(vec!["application/json".to_string()]));
        let mut spec = operation(body, json!({}));
        if let Value::Object(map) = &mut spec {
            map.insert("consumes".into(), json!(["text/plain"]));
        }
        let doc = converted(spec)?;
        assert_eq!(get(&doc, &format!("{OP}/requestBody/content/text~1plain/schema/type")), "string");
        Ok(())
    }

    #[test]
    fn a_body_without_schema_is_read_from_its_value_keywords() -> Result<(), Diagnostic> {
        let conversion = run(operation(json!([{ "name": "b", "in": "body", "type": "string", "maxLength": 9, "x-nullable": true }]), json!({})))?;
        let schema = get(&conversion.doc, &format!("{OP}/requestBody/content/application~1json/schema"));
        assert_eq!(schema, &json!({ "type": "string", "maxLength": 9, "nullable": true }));
        let original = conversion.source_map.original(&format!("#{OP}/requestBody/content/application~1json/schema/maxLength"));
        assert_eq!(original, format!("#{OP}/parameters/0/maxLength"));
        let warned: Vec<(Location, String)> = conversion.warnings.iter().map(|w| (w.location.clone(), w.message.clone())).collect();
        let message = "a `body` parameter needs a `schema` describing the body; its `type`, `maxLength`, `x-nullable` read as the body's schema";
        assert_eq!(warned, [(at("#/paths/~1pets/post/parameters/0"), message.to_string())]);
        let conversion = run(operation(json!([{ "name": "b", "in": "body" }]), json!({})))?;
        assert_eq!(get(&conversion.doc, &format!("{OP}/requestBody/content/application~1json/schema")), &json!({}));
        assert!(conversion.warnings[0].message.ends_with("; read as a body of any value"));
        Ok(())
    }

    #[test]
    fn two_bodies_or_a_body_and_form_fields_are_invalid() {
        let two = json!([{ "name": "a", "in": "body", "schema": {} }, { "name": "b", "in": "body", "schema": {} }]);
        let err = refusal(operation(two, json!({})));
        assert_eq!(err.map(|e| e.location), Some(at("#/paths/~1pets/post/parameters/1")));
        let mixed = json!([{ "name": "a", "in": "body", "schema": {} }, { "name": "b", "in": "formData", "type": "string" }]);
        let err = refusal(operation(mixed, json!({})));
        assert_eq!(err.map(|e| e.location), Some(at("#/paths/~1pets/post/parameters/0")));
    }

    #[test]
    fn form_fields_become_one_object_schema() -> Result<(), Diagnostic> {
        let conversion = run(operation(
            json!([
                { "name": "name", "in": "formData", "required": true, "type": "string", "description": "who", "x-order": 1 },
                { "name": "tags", "in": "formData", "type": "array", "items": { "type": "string" }, "collectionFormat": "multi" },
                { "name": "age", "in": "formData", "type": "integer", "x-nullable": true },
            ]),
            json!({ "consumes": ["application/x-www-form-urlencoded", "application/json"] }),
        ))?;
        let expected = json!({
            "required": true,
            "content": { "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "name": { "type": "string", "description": "who", "x-order": 1 },
                        "tags": { "type": "array", "items": { "type": "string" } },
                        "age": { "type": "integer", "nullable": true },
                    },
                    "required": ["name"],
                    "additionalProperties": false,
                },
                "encoding": { "tags": { "style": "form", "explode": true } },
            } },
        });
        assert_eq!(get(&conversion.doc, &format!("{OP}/requestBody")), &expected);
        assert!(get(&conversion.doc, OP).get("parameters").is_none());
        let original =
            conversion.source_map.original("#/paths/~1pets/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/tags/items");
        assert_eq!(original, "#/paths/~1pets/post/parameters/1/items");
        assert_eq!(conversion.warnings.iter().map(|w| &w.location).collect::<Vec<_>>(), [&at("#/paths/~1pets/post/consumes")]);
        Ok(())
    }

    #[test]
    fn a_file_field_makes_a_multipart_form() -> Result<(), Diagnostic> {
        let doc = converted(operation(json!([{ "name": "photo", "in": "formData", "type": "file" }]), json!({})))?;
        let schema = get(&doc, &format!("{OP}/requestBody/content/multipart~1form-data/schema/properties/photo"));
        assert_eq!(schema, &json!({ "type": "string", "format": "binary" }));
        let both = json!({ "consumes": ["multipart/form-data", "application/x-www-form-urlencoded"] });
        let doc = converted(operation(json!([{ "name": "a", "in": "formData", "type": "string" }]), both))?;
        let content = get(&doc, &format!("{OP}/requestBody/content"));
        let keys = content.as_object().map(|c| c.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        assert_eq!(keys, ["multipart/form-data", "application/x-www-form-urlencoded"]);
        Ok(())
    }

    #[test]
    fn path_level_parameters_are_shared_and_overridden_by_name() -> Result<(), Diagnostic> {
        let spec = json!({ "paths": { "/pets/{id}": {
            "parameters": [
                { "name": "id", "in": "path", "required": true, "type": "integer" },
                { "name": "note", "in": "formData", "type": "integer" },
                { "name": "keep", "in": "formData", "type": "string" },
            ],
            "post": { "parameters": [{ "name": "note", "in": "formData", "type": "string" }], "responses": {} },
        } } });
        let conversion = run(spec)?;
        let item = get(&conversion.doc, "/paths/~1pets~1{id}");
        assert_eq!(item["parameters"].as_array().map(Vec::len), Some(1));
        assert_eq!(item["parameters"][0]["schema"], json!({ "type": "integer" }));
        let properties = &item["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["properties"];
        assert_eq!(properties, &json!({ "note": { "type": "string" }, "keep": { "type": "string" } }));
        let original = conversion
            .source_map
            .original("#/paths/~1pets~1{id}/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/keep");
        assert_eq!(original, "#/paths/~1pets~1{id}/parameters/2");
        Ok(())
    }

    #[test]
    fn an_operation_body_replaces_the_path_item_body() -> Result<(), Diagnostic> {
        let spec = json!({ "paths": { "/pets": {
            "parameters": [{ "name": "shared", "in": "body", "schema": { "type": "string" } }],
            "get": { "responses": {} },
            "put": { "parameters": [{ "name": "own", "in": "body", "schema": { "type": "integer" } }], "responses": {} },
        } } });
        let conversion = run(spec)?;
        let item = get(&conversion.doc, "/paths/~1pets");
        assert!(item.get("parameters").is_none());
        assert_eq!(item["get"]["requestBody"]["content"]["application/json"]["schema"]["type"], "string");
        assert_eq!(item["put"]["requestBody"]["content"]["application/json"]["schema"]["type"], "integer");
        assert_eq!(conversion.source_map.original("#/paths/~1pets/get/requestBody/content/application~1json/schema"), "#/paths/~1pets/parameters/0/schema");
        Ok(())
    }

    #[test]
    fn a_referenced_global_form_field_joins_the_form() -> Result<(), Diagnostic> {
        let mut spec = operation(json!([{ "$ref": "#/parameters/Note" }, { "name": "a", "in": "formData", "type": "string" }]), json!({}));
        if let Value::Object(map) = &mut spec {
            map.insert("parameters".into(), json!({ "Note": { "name": "note", "in": "formData", "type": "string", "required": true } }));
        }
        let conversion = run(spec)?;
        let schema = get(&conversion.doc, &format!("{OP}/requestBody/content/application~1x-www-form-urlencoded/schema"));
        assert_eq!(schema["properties"], json!({ "note": { "type": "string" }, "a": { "type": "string" } }));
        assert_eq!(schema["required"], json!(["note"]));
        let original = conversion.source_map.original(&format!("#{OP}/requestBody/content/application~1x-www-form-urlencoded/schema/properties/note/type"));
        assert_eq!(original, "#/parameters/Note/type");
        Ok(())
    }

    #[test]
    fn global_parameters_become_parameters_and_request_bodies() -> Result<(), Diagnostic> {
        let mut spec = operation(
            json!([{ "$ref": "#/parameters/Limit" }, { "$ref": "#/parameters/Pet" }]),
            json!({}),
        );
        if let Value::Object(map) = &mut spec {
            map.insert("parameters".into(), json!({
                "Limit": { "name": "limit", "in": "query", "type": "integer" },
                "Pet": { "name": "pet", "in": "body", "schema": { "$ref": "#/definitions/Pet" } },
                "Note": { "name": "note", "in": "formData", "type": "string" },
            }));
        }
        let conversion = run(spec)?;
        let doc = &conversion.doc;
        assert_eq!(get(doc, "/components/parameters/Limit/schema"), &json!({ "type": "integer" }));
        assert_eq!(
            get(doc, "/components/requestBodies/Pet"),
            &json!({ "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Pet" } } } })
        );
        assert!(get(doc, "/components/parameters").get("Note").is_none());
        assert!(get(doc, "/components/parameters").get("Pet").is_none());
        assert_eq!(get(doc, &format!("{OP}/parameters")), &json!([{ "$ref": "#/components/parameters/Limit" }]));
        // A body and a form field in one operation: refused, at the body's entry.
        let err = refusal(spec_with_body_and_form());
        assert_eq!(err.map(|e| e.location), Some(at("#/paths/~1pets/post/parameters/0")));
        let map = &conversion.source_map;
        assert_eq!(map.original("#/components/parameters/Limit/schema/type"), "#/parameters/Limit/type");
        assert_eq!(map.original("#/components/requestBodies/Pet/content/application~1json/schema/$ref"), "#/parameters/Pet/schema/$ref");
        Ok(())
    }

    fn spec_with_body_and_form() -> Value {
        let mut spec = operation(json!([{ "$ref": "#/parameters/Pet" }, { "$ref": "#/parameters/Note" }]), json!({}));
        if let Value::Object(map) = &mut spec {
            map.insert("parameters".into(), json!({
                "Pet": { "name": "pet", "in": "body", "schema": {} },
                "Note": { "name": "note", "in": "formData", "type": "string" },
            }));
        }
        spec
    }

    #[test]
    fn a_global_body_is_referenced_unless_the_operation_consumes_other_types() -> Result<(), Diagnostic> {
        let globals = json!({ "Pet": { "name": "pet", "in": "body", "required": true, "schema": { "type": "object" } } });
        let mut spec = operation(json!([{ "$ref": "#/parameters/Pet" }]), json!({}));
        if let Value::Object(map) = &mut spec {
            map.insert("parameters".into(), globals.clone());
        }
        let conversion = run(spec)?;
        assert_eq!(get(&conversion.doc, &format!("{OP}/requestBody")), &json!({ "$ref": "#/components/requestBodies/Pet" }));
        assert_eq!(conversion.source_map.original("#/paths/~1pets/post/requestBody/$ref"), "#/paths/~1pets/post/parameters/0/$ref");
        let mut spec = operation(json!([{ "$ref": "#/parameters/Pet" }]), json!({ "consumes": ["application/yaml"] }));
        if let Value::Object(map) = &mut spec {
            map.insert("parameters".into(), globals);
        }
        let conversion = run(spec)?;
        let body = get(&conversion.doc, &format!("{OP}/requestBody"));
        assert_eq!(body, &json!({ "required": true, "content": { "application/yaml": { "schema": { "type": "object" } } } }));
        assert_eq!(conversion.source_map.original("#/paths/~1pets/post/requestBody/required"), "#/parameters/Pet/required");
        Ok(())
    }

    #[test]
    fn an_unknown_parameter_reference_is_left_for_lowering() -> Result<(), Diagnostic> {
        let doc = converted(operation(json!([{ "$ref": "#/parameters/Missing" }]), json!({})))?;
        assert_eq!(get(&doc, &format!("{OP}/parameters/0")), &json!({ "$ref": "#/components/parameters/Missing" }));
        Ok(())
    }
}

mod responses {
    use super::*;

    fn with_responses(responses: Value, extra: Value) -> Value {
        let mut op = json!({ "responses": responses });
        if let (Value::Object(op), Value::Object(extra)) = (&mut op, extra) {
            op.extend(extra);
        }
        json!({ "paths": { "/pets": { "get": op } } })
    }

    #[test]
    fn a_schema_is_content_for_each_produced_type_with_its_examples() -> Result<(), Diagnostic> {
        let conversion = run(with_responses(
            json!({ "200": {
                "description": "ok",
                "schema": { "type": "string", "x-nullable": true },
                "examples": { "application/json": "a", "text/csv": "b" },
                "x-ext": 1,
            } }),
            json!({ "produces": ["application/json", "text/plain"] }),
        ))?;
        let expected = json!({
            "description": "ok",
            "x-ext": 1,
            "content": {
                "application/json": { "schema": { "type": "string", "nullable": true }, "example": "a" },
                "text/plain": { "schema": { "type": "string", "nullable": true } },
            },
        });
        assert_eq!(get(&conversion.doc, "/paths/~1pets/get/responses/200"), &expected);
        let map = &conversion.source_map;
        assert_eq!(map.original("#/paths/~1pets/get/responses/200/content/text~1plain/schema/type"), "#/paths/~1pets/get/responses/200/schema/type");
        assert_eq!(
            map.original("#/paths/~1pets/get/responses/200/content/application~1json/example"),
            "#/paths/~1pets/get/responses/200/examples/application~1json"
        );
        let warned: Vec<&Location> = conversion.warnings.iter().map(|w| &w.location).collect();
        assert_eq!(warned, [&at("#/paths/~1pets/get/responses/200/examples/text~1csv")]);
        Ok(())
    }

    #[test]
    fn a_response_without_schema_has_no_content() -> Result<(), Diagnostic> {
        let conversion = run(with_responses(
            json!({ "204": { "description": "gone", "examples": { "application/json": {} } } }),
            json!({}),
        ))?;
        assert_eq!(get(&conversion.doc, "/paths/~1pets/get/responses/204"), &json!({ "description": "gone" }));
        assert_eq!(conversion.warnings.len(), 1);
        Ok(())
    }

    #[test]
    fn headers_get_schemas() -> Result<(), Diagnostic> {
        let conversion = run(with_responses(
            json!({ "200": { "description": "ok", "headers": {
                "X-Count": { "type": "integer", "format": "int64", "description": "how many", "x-ext": true },
                "X-Ids": { "type": "array", "items": { "type": "integer" }, "collectionFormat": "csv" },
            } } }),
            json!({}),
        ))?;
        let headers = get(&conversion.doc, "/paths/~1pets/get/responses/200/headers");
        let expected = json!({
            "X-Count": { "description": "how many", "x-ext": true, "schema": { "type": "integer", "format": "int64" } },
            "X-Ids": { "schema": { "type": "array", "items": { "type": "integer" } } },
        });
        assert_eq!(headers, &expected);
        let original = conversion.source_map.original("#/paths/~1pets/get/responses/200/headers/X-Count/schema/format");
        assert_eq!(original, "#/paths/~1pets/get/responses/200/headers/X-Count/format");
        let ssv = json!({ "200": { "description": "ok", "headers": {
            "X-Ids": { "type": "array", "items": { "type": "integer" }, "collectionFormat": "ssv", "maxItems": 3 },
        } } });
        let conversion = run(with_responses(ssv, json!({})))?;
        assert_eq!(get(&conversion.doc, "/paths/~1pets/get/responses/200/headers/X-Ids"), &json!({ "schema": { "type": "string" } }));
        let warned: Vec<&Location> = conversion.warnings.iter().map(|w| &w.location).collect();
        assert_eq!(warned, [&at("#/paths/~1pets/get/responses/200/headers/X-Ids/collectionFormat")]);
        assert!(conversion.warnings[0].message.contains("in a header: the value is read as one string"));
        Ok(())
    }

    #[test]
    fn global_responses_are_referenced_or_copied_for_other_media_types() -> Result<(), Diagnostic> {
        let globals = json!({ "NotFound": { "description": "none", "schema": { "$ref": "#/definitions/Error" } } });
        let mut spec = with_responses(json!({ "404": { "$ref": "#/responses/NotFound" } }), json!({}));
        if let Value::Object(map) = &mut spec {
            map.insert("responses".into(), globals.clone());
        }
        let conversion = run(spec)?;
        let doc = &conversion.doc;
        assert_eq!(get(doc, "/paths/~1pets/get/responses/404"), &json!({ "$ref": "#/components/responses/NotFound" }));
        assert_eq!(get(doc, "/components/responses/NotFound/content/application~1json/schema/$ref"), "#/components/schemas/Error");
        assert_eq!(
            conversion.source_map.original("#/components/responses/NotFound/content/application~1json/schema"),
            "#/responses/NotFound/schema"
        );
        let mut spec = with_responses(json!({ "404": { "$ref": "#/responses/NotFound" } }), json!({ "produces": ["application/xml"] }));
        if let Value::Object(map) = &mut spec {
            map.insert("responses".into(), globals);
        }
        let conversion = run(spec)?;
        let copy = get(&conversion.doc, "/paths/~1pets/get/responses/404");
        assert_eq!(copy["content"]["application/xml"]["schema"]["$ref"], "#/components/schemas/Error");
        assert_eq!(conversion.source_map.original("#/paths/~1pets/get/responses/404/description"), "#/responses/NotFound/description");
        Ok(())
    }
}

mod security {
    use super::*;

    #[test]
    fn every_kind_of_definition_becomes_a_scheme() -> Result<(), Diagnostic> {
        let conversion = run(json!({ "securityDefinitions": {
            "basic": { "type": "basic", "description": "staff" },
            "key": { "type": "apiKey", "in": "query", "name": "api_key", "x-ext": 1 },
            "implicit": { "type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": { "r": "read" } },
            "password": { "type": "oauth2", "flow": "password", "tokenUrl": "https://t", "scopes": {} },
            "application": { "type": "oauth2", "flow": "application", "tokenUrl": "https://t" },
            "accessCode": { "type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {} },
        }, "security": [{ "key": [] }] }))?;
        let schemes = get(&conversion.doc, "/components/securitySchemes");
        assert_eq!(schemes["basic"], json!({ "description": "staff", "type": "http", "scheme": "basic" }));
        assert_eq!(schemes["key"], json!({ "in": "query", "name": "api_key", "x-ext": 1, "type": "apiKey" }));
        assert_eq!(schemes["implicit"]["flows"], json!({ "implicit": { "authorizationUrl": "https://a", "scopes": { "r": "read" } } }));
        assert_eq!(schemes["password"]["flows"], json!({ "password": { "tokenUrl": "https://t", "scopes": {} } }));
        assert_eq!(schemes["application"]["flows"], json!({ "clientCredentials": { "tokenUrl": "https://t", "scopes": {} } }));
        assert_eq!(
            schemes["accessCode"]["flows"],
            json!({ "authorizationCode": { "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {} } })
        );
        assert_eq!(conversion.doc["security"], json!([{ "key": [] }]));
        let original = conversion.source_map.original("#/components/securitySchemes/password/flows/password/tokenUrl");
        assert_eq!(original, "#/securityDefinitions/password/tokenUrl");
        Ok(())
    }

    #[test]
    fn references_between_definitions_are_rewritten() -> Result<(), Diagnostic> {
        let conversion = run(json!({
            "securityDefinitions": { "a": { "type": "basic" }, "b": { "$ref": "#/securityDefinitions/a" } },
            "responses": { "R": { "$ref": "#/responses/S" }, "S": { "description": "s" } },
        }))?;
        assert_eq!(get(&conversion.doc, "/components/securitySchemes/b"), &json!({ "$ref": "#/components/securitySchemes/a" }));
        assert_eq!(get(&conversion.doc, "/components/responses/R"), &json!({ "$ref": "#/components/responses/S" }));
        assert_eq!(conversion.source_map.original("#/components/responses/R/$ref"), "#/responses/R/$ref");
        Ok(())
    }

    #[test]
    fn an_oauth2_definition_needs_a_known_flow() {
        let err = refusal(json!({ "securityDefinitions": { "o": { "type": "oauth2", "scopes": {} } } }));
        assert_eq!(err.map(|e| e.location), Some(at("#/securityDefinitions/o")));
        let err = refusal(json!({ "securityDefinitions": { "o": { "type": "oauth2", "flow": "device" } } }));
        assert_eq!(err.map(|e| e.location), Some(at("#/securityDefinitions/o/flow")));
    }
}

/// The converted documents deserialize as OpenAPI 3.0, and problems the 3.0 model finds are
/// reported at the pointer the user wrote.
mod loading {
    use crate::load::load_str;

    const SPEC: &str = r##"
swagger: "2.0"
info: {title: t, version: "1"}
host: example.com
paths:
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, type: string}
    post:
      parameters:
        - {name: extra, in: formData, type: file}
        - {name: q, in: query, type: array, items: {type: integer}, collectionFormat: multi}
      responses:
        200: {description: ok, schema: {$ref: "#/definitions/Pet"}}
definitions:
  Pet: {type: object, properties: {name: {type: [string, "null"]}}}
securityDefinitions:
  basic: {type: basic}
"##;

    #[test]
    fn a_converted_document_loads_as_openapi_3_0() {
        let loaded = load_str(SPEC).map_err(|err| err.message);
        let Ok(loaded) = loaded else { return assert_eq!(loaded.err(), None) };
        assert_eq!(loaded.openapi.openapi, "3.0.3");
        assert_eq!(loaded.openapi.servers[0].url, "//example.com");
        assert_eq!(loaded.openapi.paths.paths.len(), 1);
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn shape_errors_point_into_the_original_document() {
        let bad = SPEC.replace("definitions:\n  Pet:", "definitions:\n  - Pet:");
        let err = load_str(&bad).err().map(|e| e.location);
        assert_eq!(err, Some(crate::error::Location::Pointer("#/definitions".into())));
        let bad = SPEC.replace("basic: {type: basic}", "basic: {type: digest}");
        let err = load_str(&bad).err().map(|e| e.location);
        assert_eq!(err, Some(crate::error::Location::Pointer("#/securityDefinitions/basic".into())));
    }
}

/// A document large enough that its path items are converted on two threads.
mod large {
    use super::*;

    /// `count` path items, each with a form field (moved into a request body, with a source
    /// map record) and a `tsv` query parameter (a warning), and a `paths` extension in the middle.
    fn many_paths(count: usize) -> Value {
        let mut paths = serde_json::Map::new();
        for index in 0..count {
            if index == count / 3 {
                paths.insert("x-middle".into(), json!({ "kept": true }));
            }
            let parameters = json!([
                { "name": "note", "in": "formData", "type": "string", "maxLength": index },
                { "name": "q", "in": "query", "type": "array", "items": { "type": "string" }, "collectionFormat": "tsv" },
            ]);
            paths.insert(format!("/p{index}"), json!({ "post": { "parameters": parameters, "responses": { "200": { "description": "ok" } } } }));
        }
        json!({ "paths": paths })
    }

    #[test]
    fn path_items_convert_as_one_after_the_other() -> Result<(), Diagnostic> {
        let count = 2000;
        let input = many_paths(count);
        assert!(crate::load::values_in(&input) > 2 * super::super::operations::PARALLEL_PATH_VALUES);
        let conversion = run(input)?;
        let paths = conversion.doc["paths"].as_object().map(|paths| paths.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        let mut expected: Vec<String> = (0..count).map(|index| format!("/p{index}")).collect();
        expected.insert(count / 3, "x-middle".into());
        assert_eq!(paths, expected);
        assert_eq!(conversion.doc["paths"]["x-middle"], json!({ "kept": true }));
        // Warnings in document order, each once, from both halves.
        let warned: Vec<Location> = conversion.warnings.iter().map(|warning| warning.location.clone()).collect();
        let expected: Vec<Location> = (0..count).map(|index| at(&format!("#/paths/~1p{index}/post/parameters/1/collectionFormat"))).collect();
        assert_eq!(warned, expected);
        // Records from the first and the last path items alike.
        for index in [0, count / 2, count - 1] {
            let moved = format!("/paths/~1p{index}/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/note/maxLength");
            assert_eq!(get(&conversion.doc, &moved), &json!(index));
            assert_eq!(conversion.source_map.original(&format!("#{moved}")), format!("#/paths/~1p{index}/post/parameters/0/maxLength"));
        }
        Ok(())
    }

    #[test]
    fn the_first_error_in_document_order_is_reported() {
        let mut input = many_paths(2000);
        for index in [300, 1700] {
            input["paths"][format!("/p{index}")]["post"]["parameters"][0]["$ref"] = json!("other.yaml#/x");
        }
        let error = refusal(input).map(|error| error.location);
        assert_eq!(error, Some(at("#/paths/~1p300/post/parameters/0/$ref")));
    }
}
