//! The client core and its builder as a generated crate uses them, errors, JSON bodies and
//! responses.
#![cfg(feature = "client")]

use codegen_runtime::client::{decode_json, json_body, ClientBuilder, Core, Error};
use codegen_runtime::validation::{Direction, ValidationError, ValidationErrors};
use serde_json::{json, Value};
use std::time::Duration;

/// A generated crate's client: a newtype of the core it dereferences to.
#[derive(Clone, Debug)]
struct Client(Core);

impl From<Core> for Client {
    fn from(core: Core) -> Self {
        Client(core)
    }
}

impl std::ops::Deref for Client {
    type Target = Core;
    fn deref(&self) -> &Core {
        &self.0
    }
}

fn builder(base_url: &str) -> ClientBuilder<Client> {
    ClientBuilder::new(base_url)
}

fn always_fails(_: &Value, _: Direction) -> Result<(), ValidationErrors> {
    let error = ValidationError {
        path: "name".into(),
        pointer: "/name".into(),
        keyword: "required",
        message: "must be set".into(),
    };
    Err(ValidationErrors(vec![error]))
}

#[test]
fn the_builder_makes_the_generated_client() {
    let client = builder("https://example.com/api/")
        .bearer_token("secret")
        .timeout(Duration::from_secs(5))
        .build()
        .expect("built");
    assert_eq!(client.base_url(), "https://example.com/api");
    assert!(client.check(always_fails).is_none(), "validation is off by default");
    let debug = format!("{client:?}");
    assert!(debug.contains("https://example.com/api") && !debug.contains("secret"), "{debug}");
    let client =
        builder("http://localhost").validate_requests(true).http_client(reqwest::Client::new()).build().expect("built");
    assert!(client.check(always_fails).is_some());
    let plain = Core::new("http://localhost/");
    assert_eq!(plain.base_url(), "http://localhost");
    assert!(plain.check(always_fails).is_none());
    let debug = format!("{:?}", builder("http://localhost").basic_auth("user", Some("hunter2")));
    assert!(!debug.contains("hunter2"), "{debug}");
}

#[test]
fn extra_headers_are_sent_and_checked() {
    let client = builder("http://localhost").header("x-team", "desk").build().expect("built");
    let request = client.http().get("http://localhost/").build().expect("a request");
    assert!(request.headers().is_empty(), "default headers are added when a request is sent, not built");
    let Err(Error::Invalid(_)) = builder("http://localhost").header("bad name", "x").build() else {
        panic!("a bad header name")
    };
    let Err(Error::Invalid(_)) = builder("http://localhost").header("x-ok", "bad\nvalue").build() else {
        panic!("a bad header value")
    };
}

#[test]
fn json_bodies_are_checked_when_asked() {
    let request = reqwest::Client::new().post("http://localhost/");
    let request = json_body(request, "application/merge-patch+json", &json!({"a": 1}), None)
        .expect("set")
        .build()
        .expect("built");
    assert_eq!(request.headers()[reqwest::header::CONTENT_TYPE], "application/merge-patch+json");
    assert_eq!(request.body().and_then(reqwest::Body::as_bytes), Some(&br#"{"a":1}"#[..]));
    let request = reqwest::Client::new().post("http://localhost/");
    let Err(Error::Validation(errors)) = json_body(request, "application/json", &json!({}), Some(always_fails)) else {
        panic!("checked")
    };
    assert_eq!(errors.0[0].path, "name", "body errors keep their own paths");
}

#[test]
fn responses_that_do_not_match_keep_the_status_and_body() {
    let value: Vec<i32> = decode_json(200, b"[1,2]").expect("decoded");
    assert_eq!(value, [1, 2]);
    let Err(Error::Decode { status, body, message }) = decode_json::<Vec<i32>>(201, b"{\"no\": 1}") else {
        panic!("a decode error")
    };
    assert_eq!((status, body.as_str()), (201, "{\"no\": 1}"));
    assert!(!message.is_empty());
}

#[test]
fn errors_say_what_happened() {
    let validation = Error::Validation(always_fails(&Value::Null, Direction::Request).expect_err("fails"));
    assert_eq!(validation.to_string(), "the request breaks the spec: name: must be set (required)");
    assert!(std::error::Error::source(&validation).is_some());
    let status = Error::UnexpectedStatus { status: 418, body: "teapot".into() };
    assert_eq!(status.to_string(), "undocumented status 418: teapot");
    assert!(std::error::Error::source(&status).is_none());
    let decode = Error::Decode { status: 200, body: "{}".into(), message: "missing field `id`".into() };
    assert_eq!(decode.to_string(), "status 200: the body does not match its schema: missing field `id`");
    assert_eq!(Error::Invalid("x".into()).to_string(), "invalid request: x");
}
