//! The server defaults of `spec/fixtures/settings-server.codegen.toml`: an operation nobody
//! implemented answers 501 with the chosen error body (`Problem`), a slow one 503 after the
//! request timeout, a body over the limit 413, and a streamed body over its own limit (not the
//! JSON one) 413. A handler answers a status the spec leaves out (`undocumented_responses`), and
//! `?timeout=` is ignored by every operation while other unknown parameters are still refused
//! (`ignored_query_parameters`).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use serde_json::Value;
use settings_server_server as server;
use tower::ServiceExt as _;

/// Implements `addNote`, slowly, and `uploadAttachment`; `listNotes` keeps its default body.
#[derive(Clone)]
struct Notes;

impl server::Api for Notes {
    async fn add_note(&self, request: server::AddNoteRequest) -> server::AddNoteResponse {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        if request.body.text == "taken" {
            // The spec documents 201 and 422 only.
            let conflict = axum::response::Response::builder()
                .status(StatusCode::CONFLICT)
                .header("content-type", "application/json")
                .body(Body::from(r#"{"detail": "a note with this text exists"}"#))
                .expect("response");
            return server::AddNoteResponse::Undocumented(conflict);
        }
        server::AddNoteResponse::Created
    }

    async fn upload_attachment(&self, request: server::UploadAttachmentRequest) -> server::UploadAttachmentResponse {
        match request.body.bytes().await {
            Ok(bytes) => server::UploadAttachmentResponse::Ok(bytes.len() as i64),
            // The router answers 413 itself once the stream breaks the limit.
            Err(_) => server::UploadAttachmentResponse::Ok(-1),
        }
    }
}

async fn send(config: server::Config, request: Request<Body>) -> (StatusCode, Value) {
    let response = server::router_with_config(Notes, config).oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn post(body: &str) -> Request<Body> {
    Request::post("/notes").header("content-type", "application/json").body(Body::from(body.to_string())).expect("request")
}

#[tokio::test]
async fn an_operation_not_implemented_answers_501_with_the_error_schema() {
    let (status, body) = send(server::CONFIG, Request::get("/notes").body(Body::empty()).expect("request")).await;
    assert_eq!(status, StatusCode::NOT_IMPLEMENTED);
    assert_eq!(body, serde_json::json!({"detail": "operation: is not implemented by this server"}));
}

#[tokio::test]
async fn the_defaults_come_from_the_settings() {
    let config = server::CONFIG;
    assert_eq!(config.body_limit, 65536);
    assert_eq!(config.binary_body_limit, 1024 * 1024);
    assert_eq!(config.request_timeout, Some(std::time::Duration::from_millis(5000)));
    // The rest are the runtime's defaults.
    assert_eq!(config.idle_timeout, server::Config::DEFAULT.idle_timeout);
    let (status, _) = send(config, post(r#"{"text": "hello"}"#)).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_slow_request_gets_503_and_a_large_body_413() {
    let quick = server::Config { request_timeout: Some(std::time::Duration::from_millis(20)), ..server::CONFIG };
    let (status, body) = send(quick, post(r#"{"text": "hello"}"#)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, serde_json::json!({"detail": "request: took longer than 20 ms"}));
    let large = format!(r#"{{"text": "{}"}}"#, "x".repeat(70_000));
    let (status, _) = send(server::CONFIG, post(&large)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

fn upload(bytes: usize) -> Request<Body> {
    Request::put("/attachments")
        .header("content-type", "application/octet-stream")
        .body(Body::from(vec![7_u8; bytes]))
        .expect("request")
}

#[tokio::test]
async fn streamed_bodies_have_their_own_limit_from_the_settings() {
    // Over the JSON limit (64 KiB) but under the streamed one (1 MiB): accepted whole.
    let (status, body) = send(server::CONFIG, upload(300_000)).await;
    assert_eq!((status, body), (StatusCode::OK, serde_json::json!(300_000)));
    let (status, _) = send(server::CONFIG, upload(2 * 1024 * 1024)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_handler_answers_a_status_the_spec_leaves_out_as_it_built_it() {
    let (status, body) = send(server::CONFIG, post(r#"{"text": "taken"}"#)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body, serde_json::json!({"detail": "a note with this text exists"}));
}

#[tokio::test]
async fn an_ignored_query_parameter_is_accepted_and_others_are_still_refused() {
    let with = |query: &str| {
        Request::post(format!("/notes?{query}"))
            .header("content-type", "application/json")
            .body(Body::from(r#"{"text": "hello"}"#))
            .expect("request")
    };
    let (status, _) = send(server::CONFIG, with("timeout=30s")).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = send(server::CONFIG, with("timeout=30s&verbose=1")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let text = body.to_string();
    assert!(text.contains("verbose") && !text.contains("timeout"), "{text}");
}

#[tokio::test]
async fn an_exploded_form_object_is_read_from_its_properties() {
    let get = |query: &str| Request::get(format!("/notes?{query}")).body(Body::empty()).expect("request");
    // `listNotes` is not implemented: 501 means the query passed.
    let (status, body) = send(server::CONFIG, get("limit=5&offset=10")).await;
    assert_eq!(status, StatusCode::NOT_IMPLEMENTED, "{body}");
    let (status, body) = send(server::CONFIG, get("limit=0&offset=10&other=1")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let text = body.to_string();
    assert!(text.contains("limit") && text.contains("other") && !text.contains("offset"), "{text}");
}
