//! The validation report helpers: error paths and pointers, the check context, directions, and
//! every format and number check the generated validation crates call.

use codegen_runtime::validation::{self as report, Context, Direction, Path, ValidationError, ValidationErrors};
use serde_json::{json, Value};

/// A check as the generator writes them: walks the value and fails at nested places.
fn check_order<'v>(value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
    let Some(object) = value.as_object() else {
        cx.fail(path, "type", "must be an object");
        return;
    };
    if !object.contains_key("id") && cx.direction.requires(false, false) {
        cx.fail_at(path, "id", "required", "must be set");
    }
    if let Some((key, Value::Array(items))) = object.get_key_value("lines") {
        path.push_key(key);
        for (index, item) in items.iter().enumerate() {
            path.push_index(index);
            if let Some((key, quantity)) = item.as_object().and_then(|line| line.get_key_value("qty/~n")) {
                path.push_key(key);
                if !report::is_integer(quantity) {
                    cx.fail(path, "type", "must be an integer");
                }
                path.pop();
            }
            path.pop();
        }
        path.pop();
    }
}

#[test]
fn errors_name_the_field_and_its_pointer() {
    let value = json!({"lines": [{"qty/~n": 1}, {"qty/~n": "two"}]});
    let errors = report::run(&value, Direction::Request, check_order).expect_err("two errors");
    let found: Vec<(&str, &str, &str)> =
        errors.iter().map(|e| (e.path.as_str(), e.pointer.as_str(), e.keyword)).collect();
    assert_eq!(found, [("id", "/id", "required"), ("lines[1].qty/~n", "/lines/1/qty~1~0n", "type")]);
    assert_eq!(errors.len(), 2);
    assert_eq!(errors.to_string(), "id: must be set (required); lines[1].qty/~n: must be an integer (type)");
    assert!(report::run(&json!({"id": 1, "lines": [{"qty/~n": 3}]}), Direction::Request, check_order).is_ok());
}

#[test]
fn an_error_about_the_whole_value_is_the_body() {
    let errors = report::run(&json!([1]), Direction::Response, check_order).expect_err("not an object");
    let [error] = errors.0.as_slice() else { panic!("one error: {errors:?}") };
    assert_eq!((error.path.as_str(), error.pointer.as_str(), error.field()), ("", "", "body"));
    assert_eq!(error.to_string(), "body: must be an object (type)");
    assert!(!errors.is_empty());
    let error: &dyn std::error::Error = &errors;
    assert!(error.source().is_none());
}

#[test]
fn branches_roll_back_their_errors() {
    fn check<'v>(value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
        let mark = cx.mark();
        cx.fail(path, "type", "must be a string");
        let matched = cx.rollback(mark);
        assert!(!matched, "the branch failed");
        let mark = cx.mark();
        assert!(cx.rollback(mark), "an empty branch matches");
        if !value.is_number() {
            cx.fail(path, "oneOf", "must match one branch");
        }
    }
    assert!(report::run(&json!(1), Direction::Request, check).is_ok());
    let errors = report::run(&json!(true), Direction::Request, check).expect_err("fails once");
    assert_eq!(errors.iter().map(|e| e.keyword).collect::<Vec<_>>(), ["oneOf"]);
}

#[test]
fn required_depends_on_the_direction() {
    // (read only, write only) -> required in requests, in responses.
    let cases = [((false, false), (true, true)), ((true, false), (false, true)), ((false, true), (true, false))];
    for ((read_only, write_only), (request, response)) in cases {
        assert_eq!(Direction::Request.requires(read_only, write_only), request);
        assert_eq!(Direction::Response.requires(read_only, write_only), response);
    }
}

#[test]
fn typed_values_are_built_after_the_checks() {
    let number: i32 = report::typed(json!(7)).expect("an i32");
    assert_eq!(number, 7);
    let errors = report::typed::<i32>(json!("seven")).expect_err("not an i32");
    assert_eq!(errors.0[0].keyword, "type");
    assert_eq!(errors.0[0].field(), "body");
}

#[test]
fn integers_and_numbers() {
    assert!(report::is_integer(&json!(3)) && report::is_integer(&json!(u64::MAX)) && report::is_integer(&json!(-3)));
    assert!(!report::is_integer(&json!(1.0)) && !report::is_integer(&json!("1")));
    assert!(report::same_value(&json!(1), &json!(1.0)));
    assert!(report::same_value(&json!({"a": [1, {"b": 2.0}]}), &json!({"a": [1.0, {"b": 2}]})));
    assert!(!report::same_value(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
    assert!(!report::same_value(&json!([1]), &json!([1, 1])));
    assert!(!report::same_value(&json!("1"), &json!(1)));
    assert!(report::all_unique(&[json!(1), json!("1"), json!([1])]));
    assert!(!report::all_unique(&[json!({"a": 1}), json!(2), json!({"a": 1.0})]));
    assert!(report::is_multiple_of(&json!(9), 3.0));
    assert!(!report::is_multiple_of(&json!(10), 3.0));
    assert!(report::is_multiple_of(&json!(0.3), 0.1), "within rounding");
    assert!(!report::is_multiple_of(&json!(0.35), 0.1));
    assert!(report::is_multiple_of(&json!(i64::MAX), 1.0));
    assert!(report::is_multiple_of(&json!("text"), 2.0), "only numbers are judged");
}

/// A check of a JSON value.
type ValueCheck = fn(&Value) -> bool;

/// A check of a string.
type TextCheck = fn(&str) -> bool;

#[test]
fn integer_formats_fit_their_width() {
    let fits: [(ValueCheck, i128, i128); 8] = [
        (report::fits_i8, i8::MIN.into(), i8::MAX.into()),
        (report::fits_i16, i16::MIN.into(), i16::MAX.into()),
        (report::fits_i32, i32::MIN.into(), i32::MAX.into()),
        (report::fits_i64, i64::MIN.into(), i64::MAX.into()),
        (report::fits_u8, 0, u8::MAX.into()),
        (report::fits_u16, 0, u16::MAX.into()),
        (report::fits_u32, 0, u32::MAX.into()),
        (report::fits_u64, 0, u64::MAX.into()),
    ];
    let json = |n: i128| -> Value { serde_json::from_str(&n.to_string()).expect("a JSON number") };
    for (index, (fits, min, max)) in fits.iter().enumerate() {
        assert!(fits(&json(*min)) && fits(&json(*max)), "format {index}: the bounds fit");
        if *min > i128::from(i64::MIN) || *min == 0 {
            assert!(!fits(&json(*min - 1)), "format {index}: below the minimum");
        }
        if *max < i128::from(u64::MAX) {
            assert!(!fits(&json(*max + 1)), "format {index}: above the maximum");
        }
        assert!(!fits(&json!(1.5)) && !fits(&json!("1")), "format {index}: only integers");
    }
}

#[test]
fn string_formats() {
    let cases: [(TextCheck, &[&str], &[&str]); 9] = [
        (
            report::is_date_time,
            &["2024-02-29T12:30:00Z", "2024-02-29t12:30:00.5+01:00"],
            &["2024-02-29 12:30:00Z", "2023-02-29T12:30:00Z", "2024-02-29T12:30:00"],
        ),
        (report::is_date, &["2024-02-29"], &["2023-02-29", "2024-2-9", "2024-02-29T00:00:00Z"]),
        (
            report::is_uuid,
            &["0f8fad5b-d9cb-469f-a165-70867728950e"],
            &["0f8fad5bd9cb469fa16570867728950e", "0f8fad5b-d9cb-469f-a165-70867728950g"],
        ),
        (
            report::is_email,
            &["ann@example.com", "a.b+c@d"],
            &["ann", "@example.com", "ann@", "a b@c.d", "a@b@c", "a@.b", "a@b."],
        ),
        (
            report::is_uri,
            &["https://example.com/a?b#c", "urn:isbn:0451450523", "a+b-c.d:x"],
            &["/relative", "1http://x", "http://exa mple.com", "no-scheme"],
        ),
        (report::is_ipv4, &["192.168.0.1"], &["256.0.0.1", "1.2.3", "::1"]),
        (report::is_ipv6, &["::1", "2001:db8::8a2e:370:7334"], &["192.168.0.1", ":::1"]),
        (report::is_base64, &["", "YQ==", "YWI=", "YWJj", "+/+/"], &["YQ", "YQ=", "Y===", "YW J", "YQ==YQ=="]),
        (report::is_date, &["0001-01-01"], &["10000-01-01"]),
    ];
    for (check, valid, invalid) in cases {
        for text in valid {
            assert!(check(text), "{text:?} is valid");
        }
        for text in invalid {
            assert!(!check(text), "{text:?} is not valid");
        }
    }
}

#[test]
fn errors_can_be_built_and_compared() {
    let error = ValidationError {
        path: "a.b".into(),
        pointer: "/a/b".into(),
        keyword: "maxLength",
        message: "too long".into(),
    };
    let errors = ValidationErrors(vec![error.clone(), error]);
    assert_eq!(errors.clone(), errors);
    assert_eq!(errors.iter().count(), 2);
    assert_eq!(ValidationErrors::default().to_string(), "");
}

mod keywords {
    //! The keyword functions generated checks call: one per keyword, each applied only to the
    //! values it is about, with the messages the 400 bodies show.
    use codegen_runtime::validation::{
        self as report, Bounds, Context, Direction, Format, IntFormat, Kind, Needed, Null, Path,
    };
    use serde_json::{json, Value};

    /// Runs `check` on `value` in requests; returns (field, keyword, message) of every failure.
    fn failures(
        value: Value,
        check: for<'v> fn(&'v Value, &mut Path<'v>, &mut Context),
    ) -> Vec<(String, &'static str, String)> {
        match report::run(&value, Direction::Request, check) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.iter().map(|e| (e.field().to_string(), e.keyword, e.message.clone())).collect(),
        }
    }

    fn keywords_of(found: &[(String, &'static str, String)]) -> Vec<&'static str> {
        found.iter().map(|(_, keyword, _)| *keyword).collect()
    }

    #[test]
    fn expect_refuses_null_and_other_types_and_says_whether_to_go_on() {
        fn string(value: &Value, path: &mut Path<'_>, cx: &mut Context) {
            if report::expect(value, path, cx, Kind::String, Null::Refused) {
                report::length(value, path, cx, Some(2), None);
            }
        }
        fn nullable_integer(value: &Value, path: &mut Path<'_>, cx: &mut Context) {
            if report::expect(value, path, cx, Kind::Integer, Null::Allowed) {
                report::bounds(value, path, cx, &Bounds { minimum: Some(1.0), ..Bounds::NONE });
            }
        }
        assert_eq!(keywords_of(&failures(json!(null), string)), ["nullable"]);
        assert_eq!(keywords_of(&failures(json!(5), string)), ["type"]);
        assert_eq!(
            failures(json!("a"), string),
            [(String::from("body"), "minLength", "must be at least 2 characters long".to_string())]
        );
        assert!(failures(json!(null), nullable_integer).is_empty());
        assert_eq!(keywords_of(&failures(json!(1.5), nullable_integer)), ["type"]);
        assert_eq!(keywords_of(&failures(json!(0), nullable_integer)), ["minimum"]);
    }

    #[test]
    fn string_keywords() {
        fn check(value: &Value, path: &mut Path<'_>, cx: &mut Context) {
            report::length(value, path, cx, None, Some(3));
            report::pattern(value, path, cx, |text| text.chars().all(|c| c.is_ascii_lowercase()), "^[a-z]*$");
            report::format(value, path, cx, Format::Uuid);
            report::string_enum(value, path, cx, &["ab", "c\"d"]);
        }
        let found = failures(json!("ABCD"), check);
        assert_eq!(keywords_of(&found), ["maxLength", "pattern", "format", "enum"]);
        assert_eq!(found[1].2, "must match the pattern `^[a-z]*$`");
        assert_eq!(found[3].2, r#"must be one of "ab", "c\"d""#);
        // Keywords about strings leave other values alone.
        assert_eq!(keywords_of(&failures(json!(7), check)), ["enum"]);
    }

    #[test]
    fn number_keywords() {
        fn check(value: &Value, path: &mut Path<'_>, cx: &mut Context) {
            let bounds =
                Bounds { minimum: Some(0.0), maximum: Some(10.0), exclusive_minimum: true, exclusive_maximum: false };
            report::bounds(value, path, cx, &bounds);
            report::multiple_of(value, path, cx, 0.5);
            report::fits(value, path, cx, IntFormat::Uint8);
        }
        let found = failures(json!(0), check);
        assert_eq!(found.iter().map(|f| f.2.as_str()).collect::<Vec<_>>(), ["must be greater than 0"]);
        let found = failures(json!(300.25), check);
        assert_eq!(keywords_of(&found), ["maximum", "multipleOf", "format"]);
        assert_eq!(found[2].2, "must fit in an 8-bit unsigned integer (uint8)");
        fn plain(value: &Value, path: &mut Path<'_>, cx: &mut Context) {
            report::fits(value, path, cx, IntFormat::Unspecified);
        }
        assert_eq!(keywords_of(&failures(json!(u64::MAX), plain)), ["type"]);
    }

    #[test]
    fn array_and_object_keywords() {
        fn check(value: &Value, path: &mut Path<'_>, cx: &mut Context) {
            report::items(value, path, cx, Some(2), Some(3), true);
            report::properties(value, path, cx, Some(1), Some(1));
            if let Some(object) = value.as_object() {
                report::required(
                    object,
                    path,
                    cx,
                    &[("id", Needed::Always), ("secret", Needed::WriteOnly), ("etag", Needed::ReadOnly)],
                );
            }
        }
        assert_eq!(keywords_of(&failures(json!([1]), check)), ["minItems"]);
        assert_eq!(keywords_of(&failures(json!([1, 1, 2, 3]), check)), ["maxItems", "uniqueItems"]);
        // Requests must carry the write-only property and need not carry the read-only one.
        let found = failures(json!({}), check);
        assert_eq!(
            found.iter().map(|f| (f.0.as_str(), f.1)).collect::<Vec<_>>(),
            [("body", "minProperties"), ("id", "required"), ("secret", "required")]
        );
    }

    #[test]
    fn property_checks_a_member_at_its_path() {
        fn positive(value: &Value, path: &mut Path<'_>, cx: &mut Context) {
            report::bounds(value, path, cx, &Bounds { minimum: Some(1.0), ..Bounds::NONE });
        }
        fn check<'v>(value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
            if let Some((key, member)) = value.as_object().and_then(|o| o.get_key_value("count")) {
                report::property(key, member, path, cx, positive);
            }
        }
        assert_eq!(
            failures(json!({"count": 0}), check),
            [(String::from("count"), "minimum", "must be at least 1".to_string())]
        );
    }
}

#[test]
fn an_integer_property_is_checked_for_its_type_then_its_rust_integer() {
    use report::{IntFormat, Null};
    fn check<'v>(value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
        for (key, value) in value.as_object().into_iter().flatten() {
            match key.as_str() {
                "small" => report::property_integer(key, value, path, cx, Null::Refused, IntFormat::Int8),
                "any" => report::property_integer(key, value, path, cx, Null::Allowed, IntFormat::Unspecified),
                _ => {}
            }
        }
    }
    // Sorted: the members' order depends on serde_json's `preserve_order`, which another
    // crate of the workspace may turn on.
    let found = |value: Value| -> Vec<(String, &'static str, String)> {
        let mut found: Vec<_> = match report::run(&value, Direction::Request, check) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.iter().map(|e| (e.path.clone(), e.keyword, e.message.clone())).collect(),
        };
        found.sort();
        found
    };
    assert_eq!(found(json!({"small": 127, "any": null})), []);
    assert_eq!(
        found(json!({"small": 128})),
        [("small".to_string(), "format", "must fit in an 8-bit signed integer (int8)".to_string())]
    );
    // A wrong type is reported alone: the value is not also said not to fit.
    assert_eq!(
        found(json!({"small": "1", "any": 1.5})),
        [
            ("any".to_string(), "type", "must be an integer".to_string()),
            ("small".to_string(), "type", "must be an integer".to_string()),
        ]
    );
    assert_eq!(found(json!({"small": null})), [("small".to_string(), "nullable", "must not be null".to_string())]);
    assert_eq!(
        found(json!({"any": 18_446_744_073_709_551_615u64})),
        [("any".to_string(), "type", "must fit in a 64-bit signed integer".to_string())]
    );
}

#[test]
fn a_member_in_the_table_of_typed_members_is_checked_and_others_are_left_to_the_caller() {
    use report::{Kind, Null};
    // Sorted by name; an integer must also fit an i64.
    const MEMBERS: &[(&str, Kind, Null)] = &[
        ("a", Kind::String, Null::Refused),
        ("b", Kind::Integer, Null::Allowed),
        ("c/d", Kind::Object, Null::Refused),
        ("n", Kind::Integer, Null::Refused),
    ];
    fn check<'v>(value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
        for (key, value) in value.as_object().into_iter().flatten() {
            if !report::typed_member(key, value, path, cx, MEMBERS) {
                cx.fail_at(path, key, "additionalProperties", "is not allowed");
            }
        }
    }
    let value = json!({"a": 1, "b": null, "c/d": [], "e": 1, "n": 18_446_744_073_709_551_615u64});
    let mut found: Vec<(String, String, &str, String)> = report::run(&value, Direction::Request, check)
        .expect_err("four errors")
        .iter()
        .map(|e| (e.path.clone(), e.pointer.clone(), e.keyword, e.message.clone()))
        .collect();
    found.sort();
    let expected = [
        ("a", "/a", "type", "must be a string"),
        ("c/d", "/c~1d", "type", "must be an object"),
        ("e", "/e", "additionalProperties", "is not allowed"),
        ("n", "/n", "type", "must fit in a 64-bit signed integer"),
    ];
    assert_eq!(
        found,
        expected.map(|(path, pointer, keyword, message)| (
            path.to_string(),
            pointer.to_string(),
            keyword,
            message.to_string()
        ))
    );
    assert!(report::run(&json!({"a": "x", "b": 2, "c/d": {}, "n": -3}), Direction::Request, check).is_ok());
    let errors = report::run(&json!({"b": 2.5, "n": null}), Direction::Request, check).expect_err("two errors");
    let mut keywords: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.keyword)).collect();
    keywords.sort();
    assert_eq!(keywords, [("b", "type"), ("n", "nullable")]);
}

#[test]
fn each_rule_of_a_members_table_checks_what_its_own_call_checks() {
    use report::{Format, IntFormat, Kind, Rule};
    fn positive<'v>(value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
        if value.as_i64().is_none_or(|n| n < 1) {
            cx.fail(path, "minimum", "must be positive");
        }
    }
    // Sorted by name, one member per rule.
    const MEMBERS: &[(&str, Rule)] = &[
        ("array", Rule::Array(positive)),
        ("array_or_null", Rule::ArrayOrNull(positive)),
        ("check", Rule::Check(positive)),
        ("check_or_null", Rule::CheckOrNull(positive)),
        ("enum", Rule::Enum(&["a", "b"])),
        ("enum_or_null", Rule::EnumOrNull(&["a"])),
        ("format", Rule::Format(Format::Uuid)),
        ("format_or_null", Rule::FormatOrNull(Format::Date)),
        ("int8", Rule::Integer(IntFormat::Int8)),
        ("int8_or_null", Rule::IntegerOrNull(IntFormat::Int8)),
        ("integer", Rule::Type(Kind::Integer)),
        ("string", Rule::Type(Kind::String)),
        ("string_or_null", Rule::TypeOrNull(Kind::String)),
    ];
    fn check<'v>(value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
        for (key, value) in value.as_object().into_iter().flatten() {
            if !report::member(key, value, path, cx, MEMBERS) {
                cx.fail_at(path, key, "additionalProperties", "is not allowed");
            }
        }
    }
    let errors = |value: Value| -> Vec<(String, &'static str)> {
        let mut found: Vec<(String, &str)> = match report::run(&value, Direction::Request, check) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.iter().map(|e| (e.path.clone(), e.keyword)).collect(),
        };
        found.sort();
        found
    };
    let valid = json!({
        "array": [1, 2], "array_or_null": null, "check": 3, "check_or_null": null, "enum": "b",
        "enum_or_null": null, "format": "0b7cc3a8-3c36-4a4e-9f9c-6d1f1b2c3d4e", "format_or_null": null,
        "int8": -128, "int8_or_null": null, "integer": 9_223_372_036_854_775_807i64, "string": "",
        "string_or_null": null,
    });
    assert_eq!(errors(valid), []);
    let invalid = json!({
        "array": [1, 0], "array_or_null": {}, "check": 0, "check_or_null": -1, "enum": "c",
        "enum_or_null": "b", "format": "x", "format_or_null": "2026-13-01", "int8": 128,
        "int8_or_null": 1.5, "integer": 18_446_744_073_709_551_615u64, "string": null,
        "string_or_null": 1, "other": 1,
    });
    let expected = [
        ("array[1]", "minimum"),
        ("array_or_null", "type"),
        ("check", "minimum"),
        ("check_or_null", "minimum"),
        ("enum", "enum"),
        ("enum_or_null", "enum"),
        ("format", "format"),
        ("format_or_null", "format"),
        // Out of an int8's range (`fits`).
        ("int8", "format"),
        ("int8_or_null", "type"),
        ("integer", "type"),
        ("other", "additionalProperties"),
        ("string", "nullable"),
        ("string_or_null", "type"),
    ];
    assert_eq!(errors(invalid), expected.map(|(path, keyword)| (path.to_string(), keyword)));
    // Null where the rule refuses it.
    let nulls = json!({"array": null, "check": null, "enum": null, "format": null, "int8": null, "integer": null});
    let refused: Vec<(String, &str)> = errors(nulls);
    assert_eq!(refused.len(), 6, "{refused:?}");
    // A plain `Check` runs its function on null: the function decides (here: not positive).
    assert!(
        refused.iter().all(|(path, keyword)| (path == "check" && *keyword == "minimum") || *keyword == "nullable"),
        "{refused:?}"
    );
}
