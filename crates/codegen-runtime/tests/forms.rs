//! HTML form bodies: the server's reading of every field encoding, its errors and content types;
//! the client's encoding; and the two together.

#[cfg(any(feature = "server", feature = "client"))]
use serde_json::{json, Value};

#[cfg(feature = "server")]
mod server {
    use super::{json, Value};
    use axum::body::Bytes;
    use axum::http::{header, HeaderMap, HeaderValue};
    use codegen_runtime::server::{form_body, Accepts, Form, Presence, Scalar, Shape, Style, StyleKind};
    use codegen_runtime::validation::{self as report, Context, Direction, Path, ValidationError, ValidationErrors};

    /// A form with a field of every encoding.
    pub const FORM: Form = Form {
        fields: &[
            ("name", Shape::Scalar(Scalar::String), Style::FORM),
            ("age", Shape::Scalar(Scalar::Integer), Style::FORM),
            ("tags", Shape::Array(Scalar::String), Style::FORM),
            ("csv", Shape::Array(Scalar::Integer), Style { kind: StyleKind::Form, explode: false }),
            ("pipes", Shape::Array(Scalar::String), Style { kind: StyleKind::PipeDelimited, explode: false }),
            ("spaces", Shape::Array(Scalar::Boolean), Style { kind: StyleKind::SpaceDelimited, explode: false }),
            (
                "where",
                Shape::Object(&[("room", Scalar::String), ("shelf", Scalar::Integer)]),
                Style { kind: StyleKind::DeepObject, explode: true },
            ),
            ("ids", Shape::Array(Scalar::Integer), Style { kind: StyleKind::DeepObject, explode: true }),
            ("meta", Shape::Object(&[("a", Scalar::Integer)]), Style::FORM),
            ("scores", Shape::Array(Scalar::Json), Style::FORM),
        ],
        other: Scalar::String,
    };

    /// `name` is required, `age` at most 10, and no property may start with `x`.
    pub fn check(value: &Value, direction: Direction) -> Result<(), ValidationErrors> {
        fn check<'v>(value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
            let Some(object) = value.as_object() else { return cx.fail(path, "type", "must be an object") };
            if !object.contains_key("name") {
                cx.fail_at(path, "name", "required", "must be set");
            }
            for (key, value) in object {
                if key.starts_with('x') {
                    cx.fail_at(path, key, "additionalProperties", "is not allowed");
                }
                if key == "age" && value.as_i64().is_none_or(|age| age > 10) {
                    cx.fail_at(path, key, "maximum", "must be an integer of at most 10");
                }
            }
        }
        report::run(value, direction, check)
    }

    pub fn headers(content_type: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers
    }

    pub const FORM_TYPE: &str = "application/x-www-form-urlencoded";

    pub fn read(
        headers: &HeaderMap,
        body: &str,
        required: bool,
        json: bool,
    ) -> Result<Option<Value>, Vec<(String, &'static str)>> {
        let mut errors: Vec<ValidationError> = Vec::new();
        let body = Bytes::copy_from_slice(body.as_bytes());
        let presence = if required { Presence::Required } else { Presence::Optional };
        let accepts = if json { Accepts::FormOrJson } else { Accepts::Form };
        let value = form_body(headers, &body, presence, accepts, &FORM, Some(check), &mut errors);
        if errors.is_empty() {
            Ok(value)
        } else {
            assert!(value.is_none(), "no value with errors");
            Err(errors.into_iter().map(|e| (e.path, e.keyword)).collect())
        }
    }

    #[test]
    fn every_field_is_read_per_its_encoding() {
        let body = "name=Tom+Cat&age=7&tags=a&tags=b%20c&csv=1,2&pipes=x|y&spaces=true%20false\
                    &where%5Broom%5D=attic&where[shelf]=3&ids[]=4&ids[]=5&meta=%7B%22a%22%3A1%7D\
                    &scores=%7B%22p%22%3A9%7D&scores=2";
        let value = read(&headers(FORM_TYPE), body, true, false).expect("valid").expect("a body");
        let expected = json!({
            "name": "Tom Cat", "age": 7, "tags": ["a", "b c"], "csv": [1, 2], "pipes": ["x", "y"],
            "spaces": [true, false], "where": {"room": "attic", "shelf": 3}, "ids": [4, 5], "meta": {"a": 1},
            "scores": [{"p": 9}, 2],
        });
        assert_eq!(value, expected);
    }

    #[test]
    fn undeclared_fields_are_kept_as_text_for_the_schema_to_judge() {
        let value = read(&headers(FORM_TYPE), "name=a&other=1&other=2&more=3&ids[0]=1", true, false).expect("valid");
        assert_eq!(value, Some(json!({"name": "a", "ids": [1], "other": ["1", "2"], "more": "3"})));
        let errors = read(&headers(FORM_TYPE), "name=a&xtra=1", true, false).expect_err("not allowed");
        assert_eq!(errors, [("xtra".to_string(), "additionalProperties")]);
    }

    #[test]
    fn every_bad_field_is_reported_once() {
        let errors = read(&headers(FORM_TYPE), "age=11&meta=%7B&xa=1", true, false).expect_err("three errors");
        let mut errors = errors;
        errors.sort();
        let expected = [("age", "maximum"), ("meta", "json"), ("name", "required"), ("xa", "additionalProperties")];
        assert_eq!(errors, expected.map(|(p, k)| (p.to_string(), k)));
        // A field sent twice cannot be read: that is its one error, not the schema's too.
        let errors = read(&headers(FORM_TYPE), "name=a&age=11&age=12", true, false).expect_err("sent twice");
        assert_eq!(errors, [("age".to_string(), "parameter")]);
    }

    #[test]
    fn content_types_and_empty_bodies() {
        let json_type = headers("application/json; charset=utf-8");
        assert_eq!(
            read(&json_type, r#"{"name": "a", "age": 3}"#, true, true),
            Ok(Some(json!({"name": "a", "age": 3})))
        );
        assert_eq!(
            read(&json_type, r#"{"age": 30}"#, true, true),
            Err(vec![("name".to_string(), "required"), ("age".to_string(), "maximum")])
        );
        assert_eq!(read(&json_type, "{", true, true), Err(vec![("body".to_string(), "json")]));
        // Every type the generator reads as JSON (`+json`, the legacy `text/json`).
        for other in ["application/merge-patch+json", "text/json", "TEXT/JSON; charset=utf-8"] {
            assert_eq!(
                read(&headers(other), r#"{"name": "a"}"#, true, true),
                Ok(Some(json!({"name": "a"}))),
                "{other}"
            );
        }
        assert_eq!(
            read(&headers("text/plain"), r#"{"name": "a"}"#, true, true),
            Err(vec![("body".to_string(), "contentType")])
        );
        assert_eq!(read(&json_type, "{}", true, false), Err(vec![("body".to_string(), "contentType")]));
        assert_eq!(read(&HeaderMap::new(), "name=a", true, false), Err(vec![("body".to_string(), "contentType")]));
        assert_eq!(
            read(&headers("Application/X-WWW-Form-Urlencoded"), "name=a", true, false),
            Ok(Some(json!({"name": "a"})))
        );
        // An empty form is a form without fields, so a required body may be one.
        assert_eq!(read(&headers(FORM_TYPE), "", true, false), Err(vec![("name".to_string(), "required")]));
        assert_eq!(read(&HeaderMap::new(), "", true, false), Err(vec![("body".to_string(), "required")]));
        assert_eq!(read(&HeaderMap::new(), "", false, false), Ok(None));
    }
}

#[cfg(feature = "client")]
mod client {
    use super::{json, Value};
    use codegen_runtime::client::{form_body, Error, Style, StyleKind};

    pub const STYLES: &[(&str, Style)] = &[
        ("csv", Style { kind: StyleKind::Form, explode: false }),
        ("pipes", Style { kind: StyleKind::PipeDelimited, explode: false }),
        ("spaces", Style { kind: StyleKind::SpaceDelimited, explode: false }),
        ("where", Style { kind: StyleKind::DeepObject, explode: true }),
        ("ids", Style { kind: StyleKind::DeepObject, explode: true }),
    ];

    /// The body a form value is sent as, and its content type.
    pub fn encode(value: &Value) -> (String, String) {
        let request =
            form_body(reqwest::Client::new().post("http://localhost/"), value, STYLES, None).expect("encoded");
        let request = request.build().expect("built");
        let content_type = request.headers()[reqwest::header::CONTENT_TYPE].to_str().expect("text").to_string();
        let body = request.body().and_then(reqwest::Body::as_bytes).expect("a body");
        (content_type, String::from_utf8(body.to_vec()).expect("text"))
    }

    #[test]
    fn every_field_is_written_per_its_encoding() {
        let value = json!({
            "ages": [1, 2], "csv": [1, 2], "ids": [4, 5], "meta": {"a": 1}, "name": "Tom Cat & co", "none": null,
            "pipes": ["x", "y"], "spaces": [true, false], "where": {"room": "attic", "shelf": 3},
        });
        let (content_type, body) = encode(&value);
        assert_eq!(content_type, "application/x-www-form-urlencoded");
        assert_eq!(
            body,
            "ages=1&ages=2&csv=1%2C2&ids%5B%5D=4&ids%5B%5D=5&meta=%7B%22a%22%3A1%7D&name=Tom+Cat+%26+co\
             &pipes=x%7Cy&spaces=true+false&where%5Broom%5D=attic&where%5Bshelf%5D=3"
        );
        let Err(Error::Invalid(_)) =
            form_body(reqwest::Client::new().post("http://localhost/"), &json!([1]), STYLES, None)
        else {
            panic!("a form is an object")
        };
    }
}

/// What the client sends, the server reads back as the same value.
#[cfg(all(feature = "server", feature = "client"))]
#[test]
fn forms_round_trip() {
    use axum::http::HeaderMap;
    let value = json!({
        "age": 7, "csv": [1, 2], "ids": [4, 5], "meta": {"a": 1}, "name": "Tom Cat & co;=",
        "pipes": ["x y", "z"], "spaces": [true, false], "tags": ["a", "b,c"], "where": {"room": "attic", "shelf": 3},
    });
    let (content_type, body) = client::encode(&value);
    let mut headers = HeaderMap::new();
    headers.insert(axum::http::header::CONTENT_TYPE, content_type.parse().expect("a header"));
    assert_eq!(server::read(&headers, &body, true, false), Ok(Some(value)));
}
