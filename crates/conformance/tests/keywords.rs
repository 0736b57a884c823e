//! Every OpenAPI 3.0 validation keyword, on `spec/fixtures/keywords.yaml`: a value that passes,
//! a value just past the boundary, and the exact path and keyword of the error.

use keywords_validation::{self as kv, Direction, ValidationErrors};
use serde_json::{json, Value};

/// (path, keyword) of every error, in order.
fn errors(result: Result<(), ValidationErrors>) -> Vec<(String, &'static str)> {
    match result {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(|e| (e.path.clone(), e.keyword)).collect(),
    }
}

type Check = fn(&Value, Direction) -> Result<(), ValidationErrors>;

/// Asserts that `good` passes and that `bad` fails with exactly `expected`.
fn boundary(check: Check, good: Value, bad: Value, expected: &[(&str, &str)]) {
    assert_eq!(errors(check(&good, Direction::Request)), vec![], "{good} should pass");
    let got = errors(check(&bad, Direction::Request));
    let expected: Vec<(String, &str)> = expected.iter().map(|(p, k)| (p.to_string(), *k)).collect();
    let got_pairs: Vec<(String, &str)> = got.iter().map(|(p, k)| (p.clone(), *k)).collect();
    assert_eq!(got_pairs, expected, "{bad}");
}

#[test]
fn min_and_max_length_count_characters() {
    boundary(kv::validate_length, json!("ab"), json!("a"), &[("", "minLength")]);
    boundary(kv::validate_length, json!("abcd"), json!("abcde"), &[("", "maxLength")]);
    // Four characters, eight bytes: length is in characters.
    boundary(kv::validate_length, json!("éééé"), json!("ééééé"), &[("", "maxLength")]);
}

#[test]
fn pattern_uses_ecma_semantics() {
    boundary(kv::validate_pattern, json!("abc1"), json!("abc"), &[("", "pattern")]);
    boundary(kv::validate_pattern, json!("z9"), json!("Z9"), &[("", "pattern")]);
}

#[test]
fn formats() {
    let ok = json!({
        "dateTime": "2024-12-19T16:02:17.198Z", "date": "2024-02-29", "uuid": "6f1c2b1e-4f5a-4c3e-9a7b-1d2e3f4a5b6c",
        "email": "a@b.example", "uri": "https://x.example/a?b", "ipv4": "10.0.0.1", "ipv6": "::1", "byte": "aGk=",
        "int32": 2147483647, "int64": 9223372036854775807i64
    });
    assert_eq!(errors(kv::validate_formats(&ok, Direction::Request)), vec![]);
    let bad = json!({
        "dateTime": "2024-12-19 16:02", "date": "2023-02-29", "uuid": "6f1c2b1e4f5a4c3e9a7b1d2e3f4a5b6c",
        "email": "no-at-sign", "uri": "not a uri", "ipv4": "256.0.0.1", "ipv6": "1:::2", "byte": "aGk",
        "int32": 2147483648i64, "int64": 9223372036854775808u64
    });
    let got = errors(kv::validate_formats(&bad, Direction::Request));
    // Errors come in document order, which depends on serde_json's map type; compare as sets.
    let mut fields: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
    fields.sort_unstable();
    let mut expected = ["dateTime", "date", "uuid", "email", "uri", "ipv4", "ipv6", "byte", "int32", "int64"];
    expected.sort_unstable();
    assert_eq!(fields, expected);
    assert!(got.iter().all(|(_, k)| *k == "format"), "{got:?}");
}

#[test]
fn minimum_maximum_and_exclusive_bounds() {
    boundary(kv::validate_range, json!(1.5), json!(1.49), &[("", "minimum")]);
    boundary(kv::validate_range, json!(10), json!(10.01), &[("", "maximum")]);
    boundary(kv::validate_exclusive, json!(1), json!(0), &[("", "exclusiveMinimum")]);
    boundary(kv::validate_exclusive, json!(9), json!(10), &[("", "exclusiveMaximum")]);
}

#[test]
fn integers_without_a_format_fit_their_rust_type() {
    // `additionalProperties: {type: integer}` values are `i64`s in the types crate.
    boundary(
        kv::validate_map,
        json!({"a": i64::MAX, "b": i64::MIN}),
        json!({"a": 9223372036854775808u64, "b": i64::MIN}),
        &[("a", "type")],
    );
}

#[test]
fn multiple_of() {
    boundary(kv::validate_multiple, json!(2.5), json!(2.6), &[("", "multipleOf")]);
    boundary(kv::validate_multiple, json!(-3), json!(0.1), &[("", "multipleOf")]);
}

#[test]
fn items_keywords() {
    boundary(kv::validate_items, json!([1]), json!([]), &[("", "minItems")]);
    boundary(kv::validate_items, json!([1, 2, 3]), json!([1, 2, 3, 4]), &[("", "maxItems")]);
    boundary(kv::validate_items, json!([1, 2]), json!([1, 1]), &[("", "uniqueItems")]);
    boundary(kv::validate_items, json!([1, 2]), json!([1, "2"]), &[("[1]", "type")]);
}

#[test]
fn property_count_and_additional_properties() {
    boundary(kv::validate_sized, json!({"a": 1}), json!({}), &[("", "minProperties")]);
    boundary(kv::validate_sized, json!({"a": 1, "b": 2}), json!({"a": 1, "b": 2, "c": 3}), &[("", "maxProperties")]);
    boundary(kv::validate_map, json!({"a": 1}), json!({"a": 1, "b": "x"}), &[("b", "type")]);
    boundary(kv::validate_closed, json!({"a": "x"}), json!({"a": "x", "b": 1}), &[("b", "additionalProperties")]);
}

#[test]
fn required_depends_on_direction() {
    // `id` is readOnly and `secret` writeOnly; both are in `required`.
    let request = json!({"name": "n", "secret": "s", "note": null});
    assert_eq!(errors(kv::validate_record(&request, Direction::Request)), vec![]);
    assert_eq!(errors(kv::validate_record(&request, Direction::Response)), vec![("id".to_string(), "required")]);
    let response = json!({"id": 1, "name": "n", "note": "x"});
    assert_eq!(errors(kv::validate_record(&response, Direction::Response)), vec![]);
    assert_eq!(errors(kv::validate_record(&response, Direction::Request)), vec![("secret".to_string(), "required")]);
    // A read-only property in a request is not an error (servers ignore it).
    let with_id = json!({"id": 7, "name": "n", "secret": "s", "note": null});
    assert_eq!(errors(kv::validate_record(&with_id, Direction::Request)), vec![]);
}

#[test]
fn nullable_and_type() {
    boundary(kv::validate_record, json!({"name": "n", "secret": "s", "note": null}), json!({"name": null, "secret": "s", "note": null}), &[("name", "nullable")]);
    let ok = json!({"s": "x", "n": 1.5, "i": 2, "b": true, "o": {}, "a": []});
    let bad = json!({"s": 1, "n": "1", "i": 1.5, "b": "true", "o": [], "a": {}});
    assert_eq!(errors(kv::validate_typed(&ok, Direction::Request)), vec![]);
    let got = errors(kv::validate_typed(&bad, Direction::Request));
    assert_eq!(got.len(), 6, "{got:?}");
    assert!(got.iter().all(|(_, k)| *k == "type"));
}

#[test]
fn enums() {
    boundary(kv::validate_choice, json!("b"), json!("c"), &[("", "enum")]);
    boundary(kv::validate_numbers, json!(2), json!(3), &[("", "enum")]);
}

#[test]
fn all_of_one_of_any_of_not() {
    boundary(kv::validate_both, json!("abc"), json!("a"), &[("", "minLength")]);
    boundary(kv::validate_both, json!("ab"), json!("abcd"), &[("", "maxLength")]);
    // An integer matches both branches of `Exactly`, so oneOf fails; a negative float matches none.
    boundary(kv::validate_exactly, json!(1.5), json!(1), &[("", "oneOf")]);
    boundary(kv::validate_exactly, json!(-1), json!(-1.5), &[("", "oneOf")]);
    boundary(kv::validate_some, json!("a"), json!("ab"), &[("", "anyOf")]);
    boundary(kv::validate_never, json!(1), json!("s"), &[("", "not")]);
}

#[test]
fn discriminator_picks_the_branch() {
    boundary(kv::validate_pet, json!({"kind": "cat", "lives": 9}), json!({"kind": "cat", "lives": 10}), &[("lives", "maximum")]);
    boundary(kv::validate_pet, json!({"kind": "dog", "good": true}), json!({"kind": "dog"}), &[("good", "required")]);
    boundary(kv::validate_pet, json!({"kind": "dog", "good": true}), json!({"kind": "cow"}), &[("kind", "discriminator")]);
    boundary(kv::validate_pet, json!({"kind": "dog", "good": true}), json!({"good": true}), &[("kind", "required")]);
}

#[test]
fn nested_paths_and_pointers() {
    let bad = json!({"name": "n", "secret": "s", "note": null, "tags": ["ok", "toolong"]});
    let Err(errors) = kv::validate_record(&bad, Direction::Request) else { panic!("must fail") };
    let error = &errors.0[0];
    assert_eq!((error.path.as_str(), error.pointer.as_str(), error.keyword), ("tags[1]", "/tags/1", "maxLength"));
    assert_eq!(error.message, "must be at most 3 characters long");
}
