//! Multipart bodies: the server's reading of parts (names as browsers and RFC 2616 escape them,
//! file bytes as sent), its errors, and the client's encoding read back by the server.
#![cfg(feature = "server")]

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue};
use codegen_runtime::server::{multipart_body, Form, Multipart, Presence, Scalar, Shape, Style};
use codegen_runtime::validation::{self as report, Context, Direction, Path, ValidationErrors};
use serde_json::Value;

const FORM: Form = Form {
    fields: &[
        ("photo", Shape::Scalar(Scalar::String), Style::FORM),
        ("caption", Shape::Scalar(Scalar::String), Style::FORM),
        ("labels", Shape::Array(Scalar::String), Style::FORM),
        ("size", Shape::Scalar(Scalar::Integer), Style::FORM),
    ],
    other: Scalar::String,
};

/// `photo` is required, `caption` at most 10 characters, `size` an integer, nothing else allowed.
fn check(value: &Value, direction: Direction) -> Result<(), ValidationErrors> {
    fn check<'v>(value: &'v Value, path: &mut Path<'v>, cx: &mut Context) {
        let Some(object) = value.as_object() else { return cx.fail(path, "type", "must be an object") };
        if !object.contains_key("photo") {
            cx.fail_at(path, "photo", "required", "must be set");
        }
        for (key, value) in object {
            match key.as_str() {
                "caption" if value.as_str().is_some_and(|text| text.chars().count() > 10) => {
                    cx.fail_at(path, key, "maxLength", "must be at most 10 characters")
                }
                "size" if !report::is_integer(value) => cx.fail_at(path, key, "type", "must be an integer"),
                "photo" | "caption" | "labels" | "size" => {}
                _ => cx.fail_at(path, key, "additionalProperties", "is not allowed"),
            }
        }
    }
    report::run(value, direction, check)
}

const BOUNDARY: &str = "XyZ-boundary";

fn headers(content_type: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(content_type).expect("a header value"));
    headers
}

/// A body of (Content-Disposition parameters, extra header lines, bytes) parts.
fn body(parts: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut out = b"a preamble, ignored\r\n".to_vec();
    for (disposition, extra, data) in parts {
        out.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; {disposition}\r\n{extra}\r\n").as_bytes(),
        );
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\nan epilogue, ignored").as_bytes());
    out
}

async fn read(content_type: &str, body: Vec<u8>) -> Result<Multipart, Vec<(String, &'static str)>> {
    let mut errors = Vec::new();
    let parts =
        multipart_body(&headers(content_type), &Bytes::from(body), Presence::Required, &FORM, Some(check), &mut errors)
            .await;
    match parts {
        Some(parts) if errors.is_empty() => Ok(parts),
        None if !errors.is_empty() => Err(errors.into_iter().map(|e| (e.path, e.keyword)).collect()),
        other => panic!("parts {other:?} with errors {errors:?}"),
    }
}

fn multipart_type() -> String {
    format!("multipart/form-data; boundary=\"{BOUNDARY}\"")
}

#[tokio::test]
async fn parts_are_read_with_their_bytes_as_sent() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n--not-the-boundary\r\n\xff\x00\r\n";
    let body = body(&[
        (r#"name="photo"; filename="tom; the \"cat\".png""#, "Content-Type: image/png\r\n", png),
        (r#"name="caption""#, "", "Tom 🐈".as_bytes()),
        ("name=labels", "", b"sofa"),
        (r#"NAME="labels""#, "", b""),
        (r#"name="size""#, "", b"3"),
    ]);
    let parts = read(&multipart_type(), body).await.expect("valid");
    let names: Vec<&str> = parts.parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["photo", "caption", "labels", "labels", "size"]);
    let photo = parts.part("photo").expect("a photo");
    assert_eq!(&photo.data[..], png);
    assert_eq!(photo.file_name.as_deref(), Some(r#"tom; the "cat".png"#));
    assert_eq!(photo.content_type.as_deref(), Some("image/png"));
    assert_eq!(photo.text(), None, "not UTF-8");
    assert_eq!(parts.text("caption"), Some("Tom 🐈"));
    assert_eq!(parts.part("caption").and_then(|p| p.content_type.as_deref()), None);
    assert_eq!(parts.parts_named("labels").map(|p| &p.data[..]).collect::<Vec<_>>(), [&b"sofa"[..], b""]);
    assert_eq!(parts.part("missing"), None);
}

#[tokio::test]
async fn names_escaped_by_browsers_and_by_rfc_2616_are_read_back() {
    let body = body(&[
        (r#"name="photo"; filename="a%22b%22%0D%0A.png""#, "", b"x"),
        (r#"name="cap\"tion\\"; filename="C:\\pets\\été.png""#, "", b"y"),
        (r#"name="100%41""#, "", b"z"),
    ]);
    let mut errors = Vec::new();
    let read =
        multipart_body(&headers(&multipart_type()), &Bytes::from(body), Presence::Required, &FORM, None, &mut errors)
            .await;
    let parts = read.expect("read without a check");
    let names: Vec<(&str, Option<&str>)> =
        parts.parts.iter().map(|p| (p.name.as_str(), p.file_name.as_deref())).collect();
    assert_eq!(
        names,
        [("photo", Some("a\"b\"\r\n.png")), ("cap\"tion\\", Some("C:\\pets\\été.png")), ("100%41", None)],
        "only %22, %0D and %0A are escapes; backslashes escape quotes and themselves"
    );
}

#[tokio::test]
async fn every_bad_part_is_named_in_one_error_list() {
    let body = body(&[
        (r#"name="caption""#, "", b"far too long a caption"),
        (r#"name="colour""#, "", b"red"),
        (r#"name="size""#, "", b"big"),
    ]);
    let mut errors = read(&multipart_type(), body).await.expect_err("invalid");
    errors.sort();
    let expected =
        [("caption", "maxLength"), ("colour", "additionalProperties"), ("photo", "required"), ("size", "type")];
    assert_eq!(errors, expected.map(|(p, k)| (p.to_string(), k)));
    // A field sent twice that must be sent once.
    let body = self::body(&[(r#"name="photo""#, "", b"a"), (r#"name="photo""#, "", b"b")]);
    assert_eq!(read(&multipart_type(), body).await.expect_err("twice"), [("photo".to_string(), "parameter")]);
}

#[tokio::test]
async fn malformed_bodies_are_errors_about_the_body() {
    let part = |text: &str| format!("--{BOUNDARY}\r\n{text}").into_bytes();
    let valid = body(&[(r#"name="photo""#, "", b"x")]);
    let cases: Vec<(String, Vec<u8>, &str)> = vec![
        ("multipart/form-data".to_string(), valid.clone(), "contentType"),
        (format!("multipart/form-data; boundary={}", "b".repeat(71)), valid.clone(), "contentType"),
        ("multipart/mixed; boundary=XyZ-boundary".to_string(), valid.clone(), "contentType"),
        ("application/json".to_string(), b"{}".to_vec(), "contentType"),
        (multipart_type(), b"no boundary anywhere".to_vec(), "multipart"),
        (multipart_type(), part("Content-Disposition: form-data; name=\"photo\"\r\n\r\nunterminated"), "multipart"),
        (multipart_type(), part("Content-Type: text/plain\r\n\r\nx\r\n--XyZ-boundary--"), "multipart"),
        (multipart_type(), part("Content-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--XyZ-boundary--"), "multipart"),
        (
            multipart_type(),
            part("Content-Disposition: form-data; name=\"photo\r\n\r\nx\r\n--XyZ-boundary--"),
            "multipart",
        ),
        (multipart_type(), part("no colon\r\n\r\nx\r\n--XyZ-boundary--"), "multipart"),
        (
            multipart_type(),
            [part("Content-Disposition: form-data; name=\""), b"\xff\"\r\n\r\nx\r\n--XyZ-boundary--".to_vec()].concat(),
            "multipart",
        ),
        (multipart_type(), format!("--{BOUNDARY}garbage\r\n").into_bytes(), "multipart"),
    ];
    for (content_type, bytes, keyword) in cases {
        let shown = String::from_utf8_lossy(&bytes).into_owned();
        assert_eq!(
            read(&content_type, bytes).await.expect_err(&shown),
            [("body".to_string(), keyword)],
            "{content_type}: {shown}"
        );
    }
}

#[tokio::test]
async fn boundaries_are_read_as_clients_write_them() {
    // Unquoted, with `=` (as JavaMail writes them), in any case of the parameter name.
    for (content_type, boundary) in [
        ("multipart/form-data; boundary=----=_Part_0_123", "----=_Part_0_123"),
        ("Multipart/Form-Data; BOUNDARY=abc", "abc"),
        ("multipart/form-data; charset=utf-8; boundary=\"a b\"", "a b"),
    ] {
        let body =
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\nx\r\n--{boundary}--\r\n");
        let parts = read(content_type, body.into_bytes()).await.expect(content_type);
        assert_eq!(parts.text("photo"), Some("x"), "{content_type}");
    }
}

#[tokio::test]
async fn empty_bodies() {
    let mut errors = Vec::new();
    let none =
        multipart_body(&headers(&multipart_type()), &Bytes::new(), Presence::Optional, &FORM, Some(check), &mut errors)
            .await;
    assert_eq!((none, errors.len()), (None, 0));
    assert_eq!(read(&multipart_type(), Vec::new()).await.expect_err("required"), [("body".to_string(), "required")]);
    // A body without parts is a form without fields.
    let body = format!("--{BOUNDARY}--\r\n").into_bytes();
    assert_eq!(read(&multipart_type(), body).await.expect_err("no photo"), [("photo".to_string(), "required")]);
}

#[tokio::test]
async fn truncated_and_mangled_bodies_are_answered() {
    let valid = body(&[
        (r#"name="photo"; filename="a.png""#, "Content-Type: image/png\r\n", b"\x89PNG\r\n"),
        (r#"name="caption""#, "", b"hi"),
    ]);
    let mut bodies: Vec<Vec<u8>> = (0..valid.len()).map(|end| valid[..end].to_vec()).collect();
    for (index, byte) in
        [b'-', b'\r', b'\n', b'"', b';', b':', b'\\', 0xff].iter().cycle().take(valid.len()).enumerate()
    {
        let mut mangled = valid.clone();
        mangled[index] = *byte;
        bodies.push(mangled);
    }
    let mut answered = [0usize; 2];
    for bytes in bodies {
        match read(&multipart_type(), bytes).await {
            Ok(_) => answered[0] += 1,
            Err(_) => answered[1] += 1,
        }
    }
    assert!(answered[0] > 0 && answered[1] > 0, "{answered:?}");
}

/// What the client sends, the server reads back part for part.
#[cfg(feature = "client")]
#[tokio::test]
async fn client_bodies_are_read_back() {
    use codegen_runtime::client::{multipart_body as send, Multipart as Outgoing};
    use codegen_runtime::server::MultipartPart;
    // The file contains the boundary the client would pick first; it must pick another.
    let file = b"\x00\xffopenapi-form-boundary-00000000\r\n--".to_vec();
    let outgoing = Outgoing::new()
        .file("photo", "C:\\pets\\a \"b\"\r\n.png\\", "image/png", file.clone())
        .text("caption", "Tom")
        .text("la\"bels\\", "a")
        .text("labels", "b; c");
    let request = send(reqwest::Client::new().post("http://localhost/"), &outgoing).build().expect("built");
    let content_type = request.headers()[reqwest::header::CONTENT_TYPE].to_str().expect("text").to_string();
    assert!(content_type.starts_with("multipart/form-data; boundary=openapi-form-boundary-"), "{content_type}");
    assert!(!content_type.ends_with("-00000000"), "{content_type}");
    let body = request.body().and_then(reqwest::Body::as_bytes).expect("a body").to_vec();
    let mut errors = Vec::new();
    let parts =
        multipart_body(&headers(&content_type), &Bytes::from(body), Presence::Required, &FORM, None, &mut errors).await;
    assert!(errors.is_empty(), "{errors:?}");
    let expected: Vec<MultipartPart> = outgoing
        .parts
        .iter()
        .map(|part| MultipartPart {
            name: part.name.clone(),
            file_name: part.file_name.clone(),
            content_type: part.content_type.clone(),
            data: part.data.clone(),
        })
        .collect();
    assert_eq!(parts.expect("parts").parts, expected);
    assert_eq!(expected[0].data, file);
}
