use super::convert;
use crate::error::{Diagnostic, DiagnosticKind, Location};
use serde_json::{json, Value};

fn document(schemas: Value) -> Value {
    json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}})
}

/// The converted document, which must also read as OpenAPI 3.0.
fn converted(doc: Value) -> Result<Value, Diagnostic> {
    let doc = convert(doc)?.doc;
    serde_json::from_value::<openapiv3::OpenAPI>(doc.clone())
        .map_err(|err| Diagnostic::invalid("#", format!("not 3.0: {err}")))?;
    Ok(doc)
}

/// The converted component schema `S`.
fn schema(input: Value) -> Result<Value, Diagnostic> {
    let doc = converted(document(json!({ "S": input })))?;
    Ok(doc.pointer("/components/schemas/S").cloned().unwrap_or(Value::Null))
}

/// The diagnostic converting a document with component schema `S` gives.
fn refusal(input: Value) -> Option<(DiagnosticKind, String, String)> {
    let err = convert(document(json!({ "S": input }))).err()?;
    let pointer = match err.location {
        Location::Pointer(pointer) => pointer,
        other => format!("{other:?}"),
    };
    Some((err.kind, pointer, err.message))
}

fn pointer(p: &str) -> String {
    format!("#/components/schemas/S{p}")
}

/// The converted component schema `S` and the warnings, each as (pointer, message).
fn lenient(input: Value) -> Result<(Value, Vec<(String, String)>), Diagnostic> {
    let conversion = convert(document(json!({ "S": input })))?;
    serde_json::from_value::<openapiv3::OpenAPI>(conversion.doc.clone())
        .map_err(|err| Diagnostic::invalid("#", format!("not 3.0: {err}")))?;
    let schema = conversion.doc.pointer("/components/schemas/S").cloned().unwrap_or(Value::Null);
    Ok((schema, warnings(&conversion.warnings)))
}

fn warnings(warnings: &[Diagnostic]) -> Vec<(String, String)> {
    warnings
        .iter()
        .map(|warning| {
            assert_eq!(warning.kind, DiagnosticKind::Unsupported, "{warning:?}");
            let pointer = match &warning.location {
                Location::Pointer(pointer) => pointer.clone(),
                other => format!("{other:?}"),
            };
            (pointer, warning.message.clone())
        })
        .collect()
}

/// The pointer of the only warning, when there is one and its message starts with `start`.
fn warned_at(warnings: &[(String, String)], start: &str) -> Option<String> {
    match warnings {
        [(at, message)] if message.starts_with(start) => Some(at.clone()),
        _ => None,
    }
}

#[test]
fn type_with_null_is_nullable() -> Result<(), Diagnostic> {
    assert_eq!(schema(json!({"type": ["string", "null"], "maxLength": 3}))?, json!({"type": "string", "maxLength": 3, "nullable": true}));
    assert_eq!(schema(json!({"type": ["object"]}))?, json!({"type": "object"}));
    Ok(())
}

#[test]
fn null_type_admits_only_null() -> Result<(), Diagnostic> {
    assert_eq!(schema(json!({"type": "null"}))?, json!({"nullable": true, "enum": [null]}));
    assert_eq!(schema(json!({"type": ["null"]}))?, json!({"nullable": true, "enum": [null]}));
    let none = refusal(json!({"type": "null", "enum": ["a"]}));
    assert_eq!(none.map(|(kind, at, _)| (kind, at)), Some((DiagnosticKind::Invalid, pointer("/enum"))));
    Ok(())
}

#[test]
fn several_types_become_one_of_with_their_keywords() -> Result<(), Diagnostic> {
    let input = json!({
        "description": "d", "type": ["integer", "string", "null"], "format": "int64",
        "minimum": 0, "maxLength": 8, "minItems": 1
    });
    let expected = json!({
        "description": "d", "nullable": true,
        "oneOf": [{"type": "integer", "format": "int64", "minimum": 0}, {"type": "string", "maxLength": 8}]
    });
    assert_eq!(schema(input)?, expected);
    let objects = schema(json!({"type": ["object", "array"], "properties": {"a": {}}, "required": ["a"], "items": {"type": "string"}}))?;
    let expected = json!({"oneOf": [
        {"type": "object", "properties": {"a": {}}, "required": ["a"]},
        {"type": "array", "items": {"type": "string"}}
    ]});
    assert_eq!(objects, expected);
    Ok(())
}

#[test]
fn enum_values_follow_their_type() -> Result<(), Diagnostic> {
    let split = schema(json!({"type": ["string", "integer", "null"], "enum": ["a", 1, null]}))?;
    let expected = json!({"nullable": true, "oneOf": [{"type": "string", "enum": ["a"]}, {"type": "integer", "enum": [1]}]});
    assert_eq!(split, expected);
    // Only string values: the integer type admits none of them.
    assert_eq!(schema(json!({"type": ["string", "integer"], "enum": ["a"]}))?, json!({"type": "string", "enum": ["a"]}));
    // An enum without null rejects null whatever the type list says.
    assert_eq!(schema(json!({"type": ["string", "null"], "enum": ["a"]}))?, json!({"type": "string", "enum": ["a"]}));
    Ok(())
}

#[test]
fn integer_and_number_is_number() -> Result<(), Diagnostic> {
    assert_eq!(schema(json!({"type": ["integer", "number"], "minimum": 1}))?, json!({"type": "number", "minimum": 1}));
    Ok(())
}

#[test]
fn malformed_type_lists_are_reported() {
    let not_string = refusal(json!({"type": ["string", 1]}));
    assert_eq!(not_string.map(|(kind, at, _)| (kind, at)), Some((DiagnosticKind::Invalid, pointer("/type/1"))));
    let empty = refusal(json!({"type": []}));
    assert_eq!(empty.map(|(kind, at, _)| (kind, at)), Some((DiagnosticKind::Invalid, pointer("/type"))));
}

#[test]
fn a_type_list_next_to_subschemas_is_a_new_all_of_member() -> Result<(), Diagnostic> {
    let conversion = convert(document(json!({
        "S": {"type": ["string", "object", "null"], "maxLength": 3, "properties": {"a": {"type": ["integer", "null"]}},
              "oneOf": [{"required": ["a"]}, {"minLength": 1}]},
        "T": {"type": ["string", "integer"], "allOf": [{"description": "d"}], "anyOf": [{}]},
        "U": {"$ref": "#/components/schemas/S/properties/a"}
    })))?;
    let doc = &conversion.doc;
    let s = json!({
        "nullable": true,
        "oneOf": [{"required": ["a"]}, {"minLength": 1}],
        "allOf": [{"oneOf": [
            {"type": "string", "maxLength": 3},
            {"type": "object", "properties": {"a": {"type": "integer", "nullable": true}}}
        ]}]
    });
    assert_eq!(doc.pointer("/components/schemas/S"), Some(&s));
    let t = json!({"allOf": [{"description": "d"}, {"oneOf": [{"type": "string"}, {"type": "integer"}]}], "anyOf": [{}]});
    assert_eq!(doc.pointer("/components/schemas/T"), Some(&t));
    // A `$ref` into a keyword that moved into a branch follows it.
    assert_eq!(doc.pointer("/components/schemas/U/$ref"), Some(&json!("#/components/schemas/S/allOf/0/oneOf/1/properties/a")));
    let map = &conversion.source_map;
    assert_eq!(map.original(&pointer("/allOf/0/oneOf/0/maxLength")), pointer("/maxLength"));
    assert_eq!(map.original(&pointer("/allOf/0/oneOf/1/type")), pointer("/type"));
    assert_eq!(map.original(&pointer("/allOf/0/oneOf/1/properties/a/type")), pointer("/properties/a/type"));
    assert_eq!(map.original(&pointer("/allOf/0")), pointer(""));
    assert_eq!(map.original("#/components/schemas/T/allOf/1/oneOf/0/type"), "#/components/schemas/T/type");
    assert!(conversion.warnings.is_empty());
    // A `$ref` with a type list beside it: the reference and the types both apply.
    let (reference, _) = lenient(json!({"$ref": "#/components/schemas/T", "type": ["string", "integer"]}))?;
    let expected = json!({"allOf": [{"$ref": "#/components/schemas/T"}, {"oneOf": [{"type": "string"}, {"type": "integer"}]}]});
    assert_eq!(reference, expected);
    let malformed = refusal(json!({"type": ["string", "integer"], "oneOf": [{}], "allOf": 3}));
    assert_eq!(malformed.map(|(kind, at, _)| (kind, at)), Some((DiagnosticKind::Invalid, pointer("/allOf"))));
    Ok(())
}

#[test]
fn a_type_that_is_no_string_is_left_for_the_reader() {
    let converted = convert(document(json!({"S": {"type": 5}}))).map(|c| c.doc);
    assert_eq!(converted.ok().and_then(|d| d.pointer("/components/schemas/S/type").cloned()), Some(json!(5)));
}

#[test]
fn examples_become_example() -> Result<(), Diagnostic> {
    assert_eq!(schema(json!({"type": "string", "examples": ["a", "b"]}))?, json!({"type": "string", "example": "a"}));
    assert_eq!(schema(json!({"example": "x", "examples": ["a"]}))?, json!({"example": "x"}));
    assert_eq!(schema(json!({"examples": []}))?, json!({}));
    // A map is not a 3.1 `examples`; the 3.0 reader ignores it.
    assert_eq!(schema(json!({"examples": {"a": 1}}))?, json!({"examples": {"a": 1}}));
    Ok(())
}

#[test]
fn const_becomes_a_one_value_enum() -> Result<(), Diagnostic> {
    assert_eq!(schema(json!({"type": "string", "const": "card"}))?, json!({"type": "string", "enum": ["card"]}));
    assert_eq!(schema(json!({"const": 2, "enum": [1, 2]}))?, json!({"enum": [2]}));
    assert_eq!(schema(json!({"const": null}))?, json!({"enum": [null], "nullable": true}));
    let outside = refusal(json!({"const": 3, "enum": [1, 2]}));
    assert_eq!(outside.map(|(kind, at, _)| (kind, at)), Some((DiagnosticKind::Invalid, pointer("/const"))));
    Ok(())
}

#[test]
fn numeric_exclusive_bounds_become_boolean() -> Result<(), Diagnostic> {
    assert_eq!(
        schema(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10}))?,
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
    );
    // The tighter bound wins.
    assert_eq!(
        schema(json!({"type": "integer", "minimum": 5, "exclusiveMinimum": 1}))?,
        json!({"type": "integer", "minimum": 5})
    );
    assert_eq!(
        schema(json!({"type": "integer", "minimum": 1, "exclusiveMinimum": 5}))?,
        json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true})
    );
    assert_eq!(schema(json!({"maximum": 1, "exclusiveMaximum": 1}))?, json!({"maximum": 1, "exclusiveMaximum": true}));
    assert_eq!(schema(json!({"maximum": 9, "exclusiveMaximum": 12.5}))?, json!({"maximum": 9}));
    // Already the 3.0 form.
    assert_eq!(schema(json!({"minimum": 1, "exclusiveMinimum": true}))?, json!({"minimum": 1, "exclusiveMinimum": true}));
    Ok(())
}

#[test]
fn content_keywords_become_formats() -> Result<(), Diagnostic> {
    let base64 = schema(json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"}))?;
    assert_eq!(base64, json!({"type": "string", "format": "byte"}));
    assert_eq!(schema(json!({"type": "string", "contentMediaType": "image/png"}))?, json!({"type": "string", "format": "binary"}));
    assert_eq!(schema(json!({"type": "string", "contentMediaType": "application/json"}))?, json!({"type": "string"}));
    assert_eq!(
        schema(json!({"type": "string", "format": "uri", "contentEncoding": "base64"}))?,
        json!({"type": "string", "format": "uri"})
    );
    assert_eq!(schema(json!({"type": "object", "contentEncoding": "base64"}))?, json!({"type": "object"}));
    Ok(())
}

#[test]
fn null_branches_make_the_union_nullable() -> Result<(), Diagnostic> {
    let reference = schema(json!({"oneOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}))?;
    assert_eq!(reference, json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]}));
    let inline = schema(json!({"description": "d", "anyOf": [{"type": "string", "const": "x"}, {"type": "null", "description": "none"}]}))?;
    assert_eq!(inline, json!({"description": "d", "nullable": true, "type": "string", "enum": ["x"]}));
    let several = schema(json!({"oneOf": [{"type": "string"}, {"const": null}, {"type": "integer"}]}))?;
    assert_eq!(several, json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]}));
    Ok(())
}

#[test]
fn refs_into_moved_subtrees_follow_them() -> Result<(), Diagnostic> {
    let doc = converted(document(json!({
        "S": {"oneOf": [{"type": "string"}, {"type": "null"}, {"type": "object", "properties": {"a": {"type": "integer"}}}]},
        "T": {"$ref": "#/components/schemas/S/oneOf/2/properties/a"},
        "U": {"type": ["object", "null", "string"], "properties": {"b": {"type": "string"}}},
        "V": {"$ref": "#/components/schemas/U/properties/b"},
        "W": {"$ref": "#/components/schemas/U"}
    })))?;
    assert_eq!(doc.pointer("/components/schemas/T/$ref"), Some(&json!("#/components/schemas/S/oneOf/1/properties/a")));
    assert_eq!(doc.pointer("/components/schemas/V/$ref"), Some(&json!("#/components/schemas/U/oneOf/0/properties/b")));
    assert_eq!(doc.pointer("/components/schemas/W/$ref"), Some(&json!("#/components/schemas/U")));
    Ok(())
}

#[test]
fn restructured_pointers_map_back() -> Result<(), Diagnostic> {
    let conversion = convert(document(json!({
        "S": {"type": ["object", "string"], "properties": {"a": {"type": ["integer", "boolean"]}}, "maxLength": 2},
        "T": {"$ref": "#/components/schemas/S", "minProperties": 1}
    })))?;
    let map = &conversion.source_map;
    assert_eq!(map.original(&pointer("/oneOf/1/maxLength")), pointer("/maxLength"));
    assert_eq!(map.original(&pointer("/oneOf/0/properties/a/oneOf/1/type")), pointer("/properties/a/type"));
    assert_eq!(map.original("#/components/schemas/T/allOf/0/$ref"), "#/components/schemas/T/$ref");
    Ok(())
}

#[test]
fn ref_siblings_that_matter_wrap_the_ref() -> Result<(), Diagnostic> {
    let doc = converted(document(json!({
        "T": {"type": ["string", "null"]},
        "S": {"type": "object", "properties": {
            "documented": {"$ref": "#/components/schemas/T", "description": "d"},
            "constrained": {"$ref": "#/components/schemas/U", "minLength": 2},
            "plain": {"$ref": "#/components/schemas/U", "$comment": "c", "examples": ["a"]},
            "typed": {"$ref": "#/components/schemas/T", "type": "string"}
        }, "items": {"$ref": "#/components/schemas/U", "description": "dropped"}},
        "U": {"type": "string"}
    })))?;
    let properties = doc.pointer("/components/schemas/S/properties").cloned().unwrap_or(Value::Null);
    let t = json!([{"$ref": "#/components/schemas/T"}]);
    let u = json!([{"$ref": "#/components/schemas/U"}]);
    // The wrapper admits null as its target does, unless its own `type` says otherwise.
    assert_eq!(properties["documented"], json!({"description": "d", "allOf": t, "nullable": true}));
    assert_eq!(properties["constrained"], json!({"minLength": 2, "allOf": u}));
    assert_eq!(properties["plain"], json!({"$ref": "#/components/schemas/U"}));
    assert_eq!(properties["typed"], json!({"type": "string", "allOf": t}));
    assert_eq!(doc.pointer("/components/schemas/S/items"), Some(&json!({"$ref": "#/components/schemas/U"})));
    Ok(())
}

#[test]
fn unevaluated_properties_map_where_exact() -> Result<(), Diagnostic> {
    assert_eq!(
        schema(json!({"properties": {"a": {}}, "unevaluatedProperties": false}))?,
        json!({"properties": {"a": {}}, "additionalProperties": false})
    );
    assert_eq!(
        schema(json!({"additionalProperties": {"type": "string"}, "unevaluatedProperties": false}))?,
        json!({"additionalProperties": {"type": "string"}})
    );
    assert_eq!(schema(json!({"allOf": [{}], "unevaluatedProperties": true}))?, json!({"allOf": [{}]}));
    let closed = schema(json!({"unevaluatedProperties": false, "oneOf": [
        {"type": "object", "required": ["a"], "properties": {"a": {}}},
        {"required": ["b"], "properties": {"b": {}, "c": {}}}
    ]}))?;
    let expected = json!({"oneOf": [
        {"type": "object", "required": ["a"], "properties": {"a": {}}, "additionalProperties": false},
        {"required": ["b"], "properties": {"b": {}, "c": {}}, "additionalProperties": false}
    ]});
    assert_eq!(closed, expected);
    Ok(())
}

#[test]
fn unevaluated_properties_are_not_checked_where_not_exact() -> Result<(), Diagnostic> {
    let cases = [
        // A value with `a` and `b` fits both open branches (3.1 rejects it) but one closed one.
        json!({"unevaluatedProperties": false, "oneOf": [
            {"required": ["a"], "properties": {"a": {}, "b": {}}}, {"required": ["b"], "properties": {"b": {}}}
        ]}),
        json!({"unevaluatedProperties": false, "allOf": [{"properties": {"a": {}}}]}),
        json!({"unevaluatedProperties": false, "anyOf": [{"required": ["a"], "properties": {"a": {}}}]}),
        json!({"unevaluatedProperties": false, "oneOf": [{"$ref": "#/components/schemas/T"}]}),
        json!({"unevaluatedProperties": {"type": "string"}, "oneOf": [{"required": ["a"], "properties": {"a": {}}}]}),
        json!({"$ref": "#/components/schemas/T", "unevaluatedProperties": false}),
        // Properties matching a dropped `patternProperties` are evaluated too.
        json!({"properties": {"a": {}}, "patternProperties": {"^x-": {}}, "unevaluatedProperties": false}),
    ];
    for case in cases {
        let (converted, warnings) = lenient(case.clone())?;
        assert!(converted.get("unevaluatedProperties").is_none() && converted.get("additionalProperties").is_none(), "{converted}");
        let about: Vec<&(String, String)> = warnings.iter().filter(|(at, _)| at.ends_with("/unevaluatedProperties")).collect();
        assert_eq!(about.len(), 1, "{case}: {warnings:?}");
        assert_eq!(about[0].0, pointer("/unevaluatedProperties"));
        let message = &about[0].1;
        if case["unevaluatedProperties"] == json!(false) {
            assert!(message.starts_with("`unevaluatedProperties: false` beside subschemas"), "{message}");
            assert!(message.contains("not checked, so properties that no subschema declares are accepted"), "{message}");
        } else {
            assert!(message.contains("the generated type does not keep the properties it describes"), "{message}");
        }
    }
    // Beside `additionalProperties` it evaluates nothing: no warning.
    let (_, warnings) = lenient(json!({"patternProperties": {"^x": {}}, "additionalProperties": {}, "unevaluatedProperties": false}))?;
    assert_eq!(warned_at(&warnings, "`patternProperties`"), Some(pointer("/patternProperties")));
    Ok(())
}

#[test]
fn unevaluated_items_map_where_exact() -> Result<(), Diagnostic> {
    assert_eq!(schema(json!({"type": "array", "unevaluatedItems": {"type": "string"}}))?, json!({"type": "array", "items": {"type": "string"}}));
    assert_eq!(schema(json!({"type": "array", "items": {}, "unevaluatedItems": false}))?, json!({"type": "array", "items": {}}));
    for case in [json!({"allOf": [{}], "unevaluatedItems": false}), json!({"contains": {}, "unevaluatedItems": false})] {
        let (converted, warnings) = lenient(case.clone())?;
        assert!(converted.get("items").is_none() && converted.get("unevaluatedItems").is_none(), "{converted}");
        let at: Vec<&str> = warnings.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(at.last().copied(), Some(pointer("/unevaluatedItems").as_str()), "{case}");
        assert!(warnings.iter().any(|(_, message)| message.contains("the items that no subschema describes are not checked")));
    }
    Ok(())
}

#[test]
fn keywords_that_change_the_shape_make_a_json_value() -> Result<(), Diagnostic> {
    let cases = [
        ("prefixItems", json!({"type": "array", "prefixItems": [{}], "items": {"type": "string"}, "minItems": 1}),
         json!({"type": "array", "minItems": 1}), "`prefixItems` (tuple items) has no OpenAPI 3.0 equivalent",
         "nor is `items`, which describes only the items after them"),
        ("items", json!({"type": "array", "items": [{}], "additionalItems": false, "unevaluatedItems": false}),
         json!({"type": "array"}), "`items` as a list of schemas (tuple items)",
         "nor are `additionalItems` and `unevaluatedItems`, which describe only the items after them"),
        ("if", json!({"then": {"required": ["b"]}, "if": {"required": ["a"]}, "else": {}, "type": "object"}),
         json!({"type": "object"}), "`if`/`then`/`else` has no OpenAPI 3.0 equivalent", "the conditions are not checked"),
        ("dependentSchemas", json!({"dependentSchemas": {"a": {}}, "required": ["a"]}),
         json!({"required": ["a"]}), "`dependentSchemas` has no OpenAPI 3.0 equivalent", "not checked"),
        ("patternProperties", json!({"type": "object", "properties": {"a": {}}, "patternProperties": {"^x": {}}, "additionalProperties": false}),
         json!({"type": "object", "properties": {"a": {}}}), "`patternProperties` has no OpenAPI 3.0 equivalent",
         "nor is `additionalProperties`, which applies only to the properties that no pattern matches"),
        ("$dynamicRef", json!({"$dynamicRef": "#node"}), json!({}), "`$dynamicRef` has no OpenAPI 3.0 equivalent",
         "not checked against the schema it refers to"),
    ];
    for (keyword, input, kept, start, lost) in cases {
        let (converted, warnings) = lenient(json!({"type": "object", "properties": {"p": input}}))?;
        let p = &converted["properties"]["p"];
        let marker = p.get(crate::load::JSON_VALUE_EXTENSION).and_then(Value::as_str).unwrap_or_default();
        assert!(marker.contains("has no OpenAPI 3.0 equivalent"), "{keyword}: {p}");
        let mut rest = p.clone();
        if let Some(rest) = rest.as_object_mut() {
            rest.shift_remove(crate::load::JSON_VALUE_EXTENSION);
        }
        assert_eq!(rest, kept, "{keyword}: the 3.0 keywords stay to be checked");
        assert_eq!(warned_at(&warnings, start), Some(pointer(&format!("/properties/p/{keyword}"))));
        assert!(warnings[0].1.contains("read as a JSON value (`serde_json::Value`)"), "{warnings:?}");
        assert!(warnings[0].1.contains(lost), "{keyword}: {warnings:?}");
    }
    // A marked `$ref` keeps its wrapper, so the marker is not lost with the siblings.
    let (reference, _) = lenient(json!({"$ref": "#/components/schemas/T", "patternProperties": {"^x": {}}}))?;
    assert_eq!(reference["allOf"], json!([{"$ref": "#/components/schemas/T"}]));
    assert!(reference.get(crate::load::JSON_VALUE_EXTENSION).is_some(), "{reference}");
    // An author's own marker is kept.
    let (own, _) = lenient(json!({"x-codegen-json-value": "mine", "if": {}}))?;
    assert_eq!(own, json!({"x-codegen-json-value": "mine"}));
    Ok(())
}

#[test]
fn keywords_that_only_constrain_are_not_checked() -> Result<(), Diagnostic> {
    let cases = [
        ("propertyNames", json!({"type": "object", "propertyNames": {"maxLength": 3}}), "property names are not checked"),
        ("dependentRequired", json!({"type": "object", "dependentRequired": {"a": ["b"]}}), "the properties it requires are not checked"),
        ("contains", json!({"type": "object", "maxContains": 3, "contains": {}, "minContains": 2}), "not checked"),
    ];
    for (keyword, input, lost) in cases {
        let (converted, warnings) = lenient(json!({"properties": {"p": input}}))?;
        assert_eq!(converted["properties"]["p"], json!({"type": "object"}), "{keyword}: no marker, nothing else left");
        let at = warned_at(&warnings, &format!("`{keyword}`"));
        assert_eq!(at, Some(pointer(&format!("/properties/p/{keyword}"))));
        assert!(warnings[0].1.ends_with(lost), "{warnings:?}");
    }
    Ok(())
}

#[test]
fn other_dialects_and_ids_are_read_as_this_document() -> Result<(), Diagnostic> {
    let (converted, warnings) = lenient(json!({"type": "object", "properties": {
        "a": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"},
        "b": {"$id": "https://x.io/s", "properties": {"c": {"$ref": "#/components/schemas/T"}}}
    }}))?;
    assert_eq!(converted["properties"]["a"], json!({"type": "string"}));
    assert_eq!(converted["properties"]["b"], json!({"properties": {"c": {"$ref": "#/components/schemas/T"}}}));
    let at: Vec<&str> = warnings.iter().map(|(at, _)| at.as_str()).collect();
    assert_eq!(at, [pointer("/properties/a/$schema"), pointer("/properties/b/$id")]);
    assert!(warnings[0].1.starts_with("`$schema` `http://json-schema.org/draft-07/schema#` is ignored: the schema is read with the default OpenAPI 3.1 dialect"));
    assert!(warnings[1].1.starts_with("`$id` `https://x.io/s` is ignored: the `$ref`s in this schema are read against this document"));
    Ok(())
}

#[test]
fn anchor_references_become_pointers() -> Result<(), Diagnostic> {
    let conversion = convert(document(json!({
        "S": {"oneOf": [{"type": "null"}, {"type": "string"}, {"$anchor": "obj", "type": "object"}]},
        "T": {"$ref": "#obj"},
        "U": {"$dynamicAnchor": "u", "type": "integer"},
        "V": {"type": "object", "properties": {"u": {"$ref": "#u", "description": "d"}}}
    })))?;
    let doc = &conversion.doc;
    // The anchored branch moved when the null branch was taken out; the reference follows.
    assert_eq!(doc.pointer("/components/schemas/T"), Some(&json!({"$ref": "#/components/schemas/S/oneOf/1"})));
    assert_eq!(doc.pointer("/components/schemas/V/properties/u/allOf/0"), Some(&json!({"$ref": "#/components/schemas/U"})));
    assert!(conversion.warnings.is_empty());
    let dangling = refusal(json!({"properties": {"a": {"$ref": "#nowhere"}}}));
    assert_eq!(dangling.as_ref().map(|(kind, at, _)| (*kind, at.clone())), Some((DiagnosticKind::Invalid, pointer("/properties/a/$ref"))));
    assert!(dangling.is_some_and(|(_, _, message)| message.starts_with("dangling $ref `#nowhere`")));
    let twice = convert(document(json!({"A": {"$anchor": "x"}, "B": {"$anchor": "x"}, "S": {"$ref": "#x"}}))).err();
    assert!(twice.is_some_and(|err| err.message.contains("ambiguous") && err.location == Location::Pointer(pointer("/$ref"))));
    Ok(())
}

#[test]
fn warnings_point_into_the_users_file_after_restructuring() -> Result<(), Diagnostic> {
    let (_, warnings) = lenient(json!({"type": ["object", "string"], "properties": {"a": {"type": ["integer", "string"], "if": {}}}}))?;
    assert_eq!(warned_at(&warnings, "`if`"), Some(pointer("/properties/a/if")));
    let (_, warnings) = lenient(json!({"anyOf": [{"type": "null"}, {"type": "object", "patternProperties": {}}]}))?;
    assert_eq!(warned_at(&warnings, "`patternProperties`"), Some(pointer("/anyOf/1/patternProperties")));
    Ok(())
}

#[test]
fn identifiers_and_comments_are_dropped_when_harmless() -> Result<(), Diagnostic> {
    let input = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://x.io/s", "$comment": "c",
        "$anchor": "s", "then": {}, "maxContains": 1, "type": "string"
    });
    // `then` without `if` and `maxContains` without `contains` mean nothing: no warning.
    assert_eq!(lenient(input)?, (json!({"type": "string"}), Vec::new()));
    Ok(())
}

#[test]
fn boolean_schemas_and_defs() -> Result<(), Diagnostic> {
    let input = json!({"properties": {"any": true, "none": false}, "additionalProperties": false, "$defs": {"D": {"type": ["string", "null"]}}});
    let expected = json!({
        "properties": {"any": {}, "none": {"not": {}}}, "additionalProperties": false,
        "$defs": {"D": {"type": "string", "nullable": true}}
    });
    assert_eq!(schema(input)?, expected);
    assert_eq!(schema(json!(true))?, json!({}));
    Ok(())
}

#[test]
fn schemas_everywhere_are_mapped() -> Result<(), Diagnostic> {
    let nullable = json!({"type": ["string", "null"]});
    let mapped = json!({"type": "string", "nullable": true});
    let media = json!({"application/json": {"schema": nullable, "encoding": {"a": {"headers": {"H": {"schema": nullable}}}}}});
    let operation = json!({
        "parameters": [{"name": "q", "in": "query", "schema": nullable}, {"name": "c", "in": "query", "content": media}],
        "requestBody": {"content": media},
        "responses": {"200": {"description": "ok", "headers": {"H": {"schema": nullable}}, "content": media}},
        "callbacks": {"cb": {"{$request.body#/url}": {"post": {"requestBody": {"content": media}}}}}
    });
    let doc = converted(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"parameters": [{"name": "p", "in": "query", "schema": nullable}], "post": operation}},
        "components": {
            "parameters": {"P": {"name": "p", "in": "query", "schema": nullable}},
            "headers": {"H": {"schema": nullable}},
            "requestBodies": {"B": {"content": media}},
            "responses": {"R": {"description": "r", "content": media}}
        }
    }))?;
    let pointers = [
        "/paths/~1a/parameters/0/schema",
        "/paths/~1a/post/parameters/0/schema",
        "/paths/~1a/post/parameters/1/content/application~1json/schema",
        "/paths/~1a/post/parameters/1/content/application~1json/encoding/a/headers/H/schema",
        "/paths/~1a/post/requestBody/content/application~1json/schema",
        "/paths/~1a/post/responses/200/headers/H/schema",
        "/paths/~1a/post/responses/200/content/application~1json/schema",
        "/paths/~1a/post/callbacks/cb/{$request.body#~1url}/post/requestBody/content/application~1json/schema",
        "/components/parameters/P/schema",
        "/components/headers/H/schema",
        "/components/requestBodies/B/content/application~1json/schema",
        "/components/responses/R/content/application~1json/schema",
    ];
    for at in pointers {
        assert_eq!(doc.pointer(at), Some(&mapped), "{at}");
    }
    Ok(())
}

#[test]
fn document_fields_new_in_31() -> Result<(), Diagnostic> {
    let conversion = convert(json!({
        "openapi": "3.1.1",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {"title": "t", "summary": "s", "version": "1", "license": {"name": "Apache License", "identifier": "Apache-2.0"}},
        "webhooks": {"hook": {"post": {"responses": {"200": {"description": "ok"}}}}},
        "components": {}
    }))?;
    let doc = &conversion.doc;
    assert_eq!(doc["openapi"], json!("3.0.3"));
    assert_eq!(doc.get("jsonSchemaDialect"), None);
    assert_eq!(doc.get("webhooks"), None);
    assert_eq!(doc["paths"], json!({}));
    assert_eq!(doc["info"]["description"], json!("s"));
    assert_eq!(
        doc["info"]["license"],
        json!({"name": "Apache-2.0", "url": "https://spdx.org/licenses/Apache-2.0.html"})
    );
    let warnings: Vec<(DiagnosticKind, Location)> = conversion.warnings.iter().map(|w| (w.kind, w.location.clone())).collect();
    assert_eq!(warnings, vec![(DiagnosticKind::Unsupported, Location::Pointer("#/webhooks".into()))]);
    assert!(conversion.warnings[0].message.starts_with("webhooks are not generated"));
    Ok(())
}

#[test]
fn dialects_other_than_the_default_are_read_as_the_default() -> Result<(), Diagnostic> {
    let with = |dialect: Value| {
        convert(json!({"openapi": "3.1.0", "jsonSchemaDialect": dialect, "info": {"title": "t", "version": "1"}}))
    };
    let other = with(json!("https://json-schema.org/draft/2019-09/schema"))?;
    assert_eq!(other.doc.get("jsonSchemaDialect"), None);
    let warned = warnings(&other.warnings);
    assert_eq!(warned_at(&warned, "`jsonSchemaDialect` `https://json-schema.org/draft/2019-09/schema` is ignored"), Some("#/jsonSchemaDialect".into()));
    assert!(warned[0].1.contains("read with the default OpenAPI 3.1 dialect"));
    assert_eq!(with(json!(7)).err().map(|err| (err.kind, err.location)), Some((DiagnosticKind::Invalid, Location::Pointer("#/jsonSchemaDialect".into()))));
    assert!(with(json!("https://json-schema.org/draft/2020-12/schema"))?.warnings.is_empty());
    Ok(())
}

#[test]
fn path_items_are_inlined() -> Result<(), Diagnostic> {
    let operation = json!({"operationId": "list", "parameters": [{"name": "q", "in": "query", "schema": {"type": ["string", "null"]}}]});
    let conversion = convert(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "mine"}},
        "components": {"pathItems": {"A": {"$ref": "#/components/pathItems/B"}, "B": {"summary": "theirs", "get": operation}}}
    }))?;
    let item = &conversion.doc["paths"]["/a"];
    assert_eq!(item["summary"], json!("mine"));
    assert_eq!(item["get"]["parameters"][0]["schema"], json!({"type": "string", "nullable": true}));
    assert_eq!(item["get"]["responses"], json!({}));
    assert_eq!(conversion.doc["components"], json!({}));
    assert_eq!(conversion.source_map.original("#/paths/~1a/get/operationId"), "#/components/pathItems/B/get/operationId");
    Ok(())
}

#[test]
fn bad_path_item_refs_are_reported() {
    let with = |path_items: Value| {
        convert(json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}}, "components": {"pathItems": path_items}
        }))
        .err()
        .map(|err| (err.kind, err.location, err.message))
    };
    let at = Location::Pointer("#/paths/~1a/$ref".into());
    let dangling = with(json!({}));
    assert_eq!(dangling.as_ref().map(|d| (d.0, d.1.clone())), Some((DiagnosticKind::Invalid, at.clone())));
    assert!(dangling.is_some_and(|d| d.2.contains("no `A` in components.pathItems")));
    let cycle = with(json!({"A": {"$ref": "#/components/pathItems/B"}, "B": {"$ref": "#/components/pathItems/A"}}));
    assert!(cycle.is_some_and(|d| d.1 == at && d.2.contains("A -> B -> A")));
}

#[test]
fn mutual_tls_schemes_are_left_out() -> Result<(), Diagnostic> {
    let conversion = convert(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "security": [{"m": []}, {"k": []}],
        "components": {"securitySchemes": {
            "alias": {"$ref": "#/components/securitySchemes/m"},
            "m": {"type": "mutualTLS", "description": "client certificates"},
            "k": {"type": "apiKey", "in": "header", "name": "K"}
        }}
    }))?;
    assert_eq!(conversion.doc["components"]["securitySchemes"], json!({"k": {"type": "apiKey", "in": "header", "name": "K"}}));
    // The requirement stays: lowering reads it as one no request meets.
    assert_eq!(conversion.doc["security"], json!([{"m": []}, {"k": []}]));
    let warned = warnings(&conversion.warnings);
    let at: Vec<&str> = warned.iter().map(|(at, _)| at.as_str()).collect();
    assert_eq!(at, ["#/components/securitySchemes/m", "#/components/securitySchemes/alias"]);
    assert!(warned[0].1.starts_with("`mutualTLS` security schemes have no OpenAPI 3.0 equivalent: `m` is left out"));
    assert!(warned[0].1.contains("a security requirement that names it can never be met by the generated server"));
    Ok(())
}

#[test]
fn each_callback_is_reported_once() -> Result<(), Diagnostic> {
    let nested = json!({"{$request.body#/url}": {"post": {"callbacks": {"inner": {}}, "responses": {}}}});
    let conversion = convert(json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"$ref": "#/components/pathItems/A"}, "/b": {"$ref": "#/components/pathItems/A"}},
        "components": {
            "pathItems": {"A": {"post": {"callbacks": {"done": nested, "failed": {"$ref": "#/components/callbacks/F"}}}}},
            "callbacks": {"F": {}}
        }
    }))?;
    let warned = warnings(&conversion.warnings);
    let at: Vec<&str> = warned.iter().map(|(at, _)| at.as_str()).collect();
    assert_eq!(at, ["#/components/pathItems/A/post/callbacks/done", "#/components/pathItems/A/post/callbacks/failed", "#/components/callbacks/F"]);
    assert!(warned.iter().all(|(_, message)| message == crate::load::callbacks::NOT_GENERATED));
    assert!(warned[0].1.starts_with("callbacks are not generated"));
    Ok(())
}

#[test]
fn odd_values_never_panic() {
    let odd = [
        json!(5), json!(null), json!("s"), json!([]),
        json!({"type": {"a": 1}}), json!({"type": [null]}), json!({"examples": "x"}), json!({"const": {"a": [1]}, "enum": "x"}),
        json!({"exclusiveMinimum": "x", "minimum": 1}), json!({"exclusiveMinimum": 1, "minimum": "x"}),
        json!({"properties": [1]}), json!({"properties": {"a": 1}}), json!({"items": 3}), json!({"allOf": {"a": 1}}),
        json!({"oneOf": [null, {"type": "null"}]}), json!({"oneOf": [{"type": "null"}]}), json!({"anyOf": [{"type": "null"}, 1]}),
        json!({"$ref": 5}), json!({"$ref": "#/x", "allOf": 3}), json!({"$ref": "#/x", "minimum": 1, "allOf": [true]}),
        json!({"oneOf": [{}, {"type": "null"}], "allOf": "x"}), json!({"unevaluatedProperties": false, "oneOf": [1, 2]}),
        json!({"unevaluatedItems": 1}), json!({"type": ["string", "integer"], "enum": "x"}), json!({"contentEncoding": 1, "type": "string"}),
        json!({"$id": 1}), json!({"$schema": 1}), json!({"$defs": [1]}), json!({"type": ["object", "string"], "format": 5}),
        json!({"prefixItems": 1, "items": [1], "additionalItems": 2}), json!({"items": [], "unevaluatedItems": 1}),
        json!({"if": 1, "then": 1, "else": 1}), json!({"patternProperties": [1], "additionalProperties": 3, "unevaluatedProperties": 1}),
        json!({"$ref": "#a", "$anchor": 5}), json!({"$ref": "#a", "$dynamicAnchor": "a"}), json!({"$ref": "#", "$anchor": "x"}),
        json!({"type": ["string", "integer"], "allOf": "x"}), json!({"type": ["string", "integer"], "oneOf": 1}),
        json!({"$id": "x", "$ref": "#/x", "$schema": "y"}), json!({"x-codegen-json-value": 1, "contains": 1, "minContains": 1}),
    ];
    for schema in odd {
        let doc = document(json!({ "S": schema }));
        if let Ok(text) = serde_json::to_string(&doc) {
            let _ = crate::load::load_str(&text);
        }
    }
    let documents = [
        json!({"openapi": "3.1.0", "info": 1, "paths": [], "webhooks": 1, "components": 2}),
        json!({"openapi": "3.1.0", "info": {"license": {"identifier": 1}, "summary": 2}, "paths": {"/a": 1, "/b": {"$ref": 1}}}),
        json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": {"a": 1}, "responses": [], "callbacks": 1}}}}),
        json!({"openapi": "3.1.0", "components": {"pathItems": [], "schemas": [], "parameters": {"p": {"content": 1}}}}),
        json!({"openapi": "3.1.0", "components": {"securitySchemes": [], "callbacks": [1]}, "jsonSchemaDialect": "x"}),
        json!({"openapi": "3.1.0", "components": {"securitySchemes": {"a": 1, "b": {"type": "mutualTLS"}, "c": {"$ref": 3}}}}),
        json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"callbacks": {"c": 1, "d": {"e": 2}}}}}}),
    ];
    for doc in documents {
        if let Ok(text) = serde_json::to_string(&doc) {
            let _ = crate::load::load_str(&text);
        }
    }
}
