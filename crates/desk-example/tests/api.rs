//! In-process tests of every operation of `spec/desk-v2.yaml`, served by the generated
//! `desk-server` router over the in-memory `desk-example` implementation. Requests go through
//! `tower::ServiceExt::oneshot`; no sockets are opened.
//!
//! The seed data of `DeskExample::new`: agent user 1; conversation 1 (active, ticket 5000,
//! contact 100, messages 2 and 3) and conversation 4 (deleted, ticket 5001, contact 101,
//! messages 5 and 6). The next id handed out is 7.
//!
//! Every behaviour asserted here is the intended one.

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use desk_example::{BulkJob, DeskExample};
use http_body_util::BodyExt as _;
use serde_json::{json, Value};
use tower::ServiceExt as _;

const KEY: &str = "s3cret-api-key";
const CONVERSATIONS: &str = "/desk/api/v2/conversations.json";
const TOKEN_ROTATE: &str = "/desk/api/v2/conversations/token.json";
const BULK: &str = "/desk/api/v2/conversations/update.json";

const ORDER_BY_ENUM: &str =
    "must be one of \"contactId\", \"createdAt\", \"deletedAt\", \"id\", \"state\", \"ticket_id\", \"token\", \"updatedAt\"";
const MESSAGE_ORDER_BY_ENUM: &str = "must be one of \"contactId\", \"createdAt\", \"createdBy\", \"deletedAt\", \"deletedBy\", \"id\", \"message\", \"state\", \"updatedAt\", \"updatedBy\", \"userId\"";
const ORDER_MODE_ENUM: &str = "must be one of \"asc\", \"desc\"";
const INCLUDE_ENUM: &str = "must be one of \"contacts\", \"conversationmessages\", \"customers\", \"users\", \"all\"";
const MESSAGE_INCLUDE_ENUM: &str = "must be one of \"contacts\", \"customers\", \"files\", \"users\", \"all\"";
const STATE_ENUM: &str = "must be one of \"active\", \"deleted\"";
const CONVERSATION_FIELD_ENUM: &str = "must be one of \"contact\", \"contactId\", \"createdAt\", \"createdBy\", \"deletedAt\", \"deletedBy\", \"filter_args\", \"id\", \"messages\", \"socket_id\", \"state\", \"ticket_id\", \"token\", \"updatedAt\", \"updatedBy\", \"users\"";
const MESSAGE_FIELD_ENUM: &str = "must be one of \"contactId\", \"createdAt\", \"createdBy\", \"deletedAt\", \"deletedBy\", \"files\", \"filter_args\", \"id\", \"message\", \"state\", \"updatedAt\", \"updatedBy\", \"userId\"";
const NOT_ALLOWED: &str = "is not allowed";
const ANY_OF: &str = "must match at least one of the anyOf schemas";
const AT_LEAST_ONE: &str = "must have at least 1 items";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// How a request authenticates.
#[derive(Clone, Copy)]
enum Auth<'a> {
    /// No `Authorization` header.
    None,
    /// `Authorization: Bearer <key>`.
    Bearer(&'a str),
    /// `Authorization: Basic base64(<key>:x)` (the key is the user name).
    Basic(&'a str),
    /// A literal `Authorization` header value.
    Raw(&'a str),
}

/// The good credentials.
const GOOD: Auth<'static> = Auth::Bearer(KEY);

/// A request body: content type (if any) and bytes.
struct Payload {
    content_type: Option<&'static str>,
    bytes: Vec<u8>,
    /// Whether to send a `Content-Length` header.
    content_length: bool,
}

fn json_payload(value: &Value) -> Option<Payload> {
    Some(Payload { content_type: Some("application/json"), bytes: value.to_string().into_bytes(), content_length: true })
}

fn raw_payload(content_type: Option<&'static str>, bytes: &[u8]) -> Option<Payload> {
    Some(Payload { content_type, bytes: bytes.to_vec(), content_length: true })
}

#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Reply {
    /// Asserts the status and that the body is JSON (`Content-Type: application/json`).
    #[track_caller]
    fn expect(&self, status: StatusCode) -> &Value {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.body);
        assert_eq!(
            self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
            Some("application/json"),
            "content type of a {status} answer"
        );
        &self.body
    }

    /// Asserts a 400 whose whole body is `{"errors": errors}`.
    #[track_caller]
    fn expect_400(&self, errors: Value) {
        assert_eq!(self.expect(StatusCode::BAD_REQUEST), &json!({ "errors": errors }));
    }

    fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Percent-encodes a query value (everything but RFC 3986 unreserved characters).
fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn fresh() -> (DeskExample, Router) {
    let service = DeskExample::new(KEY);
    (service.clone(), desk_server::router(service))
}

async fn call(app: &Router, method: Method, uri: &str, auth: Auth<'_>, payload: Option<Payload>) -> Reply {
    let mut builder = Request::builder().method(method).uri(uri);
    match auth {
        Auth::None => {}
        Auth::Bearer(key) => builder = builder.header(header::AUTHORIZATION, format!("Bearer {key}")),
        Auth::Basic(key) => {
            builder = builder.header(header::AUTHORIZATION, format!("Basic {}", base64(format!("{key}:x").as_bytes())))
        }
        Auth::Raw(value) => builder = builder.header(header::AUTHORIZATION, value),
    }
    let body = match payload {
        None => Body::empty(),
        Some(payload) => {
            if let Some(content_type) = payload.content_type {
                builder = builder.header(header::CONTENT_TYPE, content_type);
            }
            if payload.content_length {
                builder = builder.header(header::CONTENT_LENGTH, payload.bytes.len());
            }
            Body::from(payload.bytes)
        }
    };
    let response = app.clone().oneshot(builder.body(body).expect("request")).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|err| panic!("non-JSON body ({err}): {bytes:?}"))
    };
    Reply { status, headers, body }
}

async fn get(app: &Router, uri: &str) -> Reply {
    call(app, Method::GET, uri, GOOD, None).await
}

async fn post(app: &Router, uri: &str, body: Value) -> Reply {
    call(app, Method::POST, uri, GOOD, json_payload(&body)).await
}

async fn patch(app: &Router, uri: &str, body: Value) -> Reply {
    call(app, Method::PATCH, uri, GOOD, json_payload(&body)).await
}

fn update_uri(id: impl std::fmt::Display) -> String {
    format!("/desk/api/v2/conversations/{id}.json")
}

fn by_token_uri(token: &str) -> String {
    format!("/desk/api/v2/conversations/token/{token}.json")
}

fn history_uri(token: &str) -> String {
    format!("/desk/api/v2/conversationmessages/history/{token}.json")
}

/// The ids of the conversations (or messages) in a list body, in order.
fn ids(list: &Value) -> Vec<i64> {
    list.as_array().expect("array").iter().map(|c| c["id"].as_i64().expect("id")).collect()
}

/// Every conversation, ordered by id ascending.
async fn all_conversations(app: &Router) -> Vec<Value> {
    let reply = get(app, &format!("{CONVERSATIONS}?orderBy=id&orderMode=asc&pageSize=100")).await;
    reply.expect(StatusCode::OK)["conversations"].as_array().expect("conversations").clone()
}

async fn conversation(app: &Router, id: i64) -> Value {
    all_conversations(app).await.into_iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no conversation {id}"))
}

/// The room tokens of the seeded conversations 1 and 4.
async fn seeded_tokens(app: &Router) -> (String, String) {
    let all = all_conversations(app).await;
    let token = |id: i64| all.iter().find(|c| c["id"] == id).and_then(|c| c["token"].as_str()).expect("seeded token").to_string();
    (token(1), token(4))
}

#[track_caller]
fn assert_timestamp(value: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    let text = value.as_str().unwrap_or_else(|| panic!("not a timestamp: {value}"));
    chrono::DateTime::parse_from_rfc3339(text).unwrap_or_else(|err| panic!("not RFC 3339 ({err}): {text}"))
}

fn keys(object: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = object.as_object().expect("object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

fn json_error(text: &str) -> String {
    format!("is not valid JSON: {}", serde_json::from_str::<Value>(text).expect_err("invalid JSON"))
}

/// The standard 401 the server answers itself when no credentials are sent.
#[track_caller]
fn assert_missing_credentials(reply: &Reply) {
    assert_eq!(reply.expect(StatusCode::UNAUTHORIZED), &json!({"errors": {"authorization": ["credentials are required"]}}));
    assert_eq!(reply.header(header::WWW_AUTHENTICATE), Some(CHALLENGE));
}

/// The challenge every 401 carries: the spec's HTTP schemes.
const CHALLENGE: &str = "Bearer realm=\"api\", Basic realm=\"api\"";

/// The 401 the example answers for credentials that do not carry the API key.
#[track_caller]
fn assert_invalid_credentials(reply: &Reply) {
    assert_eq!(reply.expect(StatusCode::UNAUTHORIZED), &json!({"errors": {"authorization": ["the API key is not valid"]}}));
    // A 401 from the implementation carries the same challenge (RFC 9110 §15.5.2).
    assert_eq!(reply.header(header::WWW_AUTHENTICATE), Some(CHALLENGE));
}

/// Runs one secured request with no, wrong bearer, wrong basic, malformed and foreign-scheme
/// credentials, and with good basic and lower-case bearer credentials; returns the replies of
/// the two good ones.
async fn check_auth(method: Method, uri: &str, body: Option<Value>) -> (Reply, Reply) {
    let payload = || body.as_ref().and_then(json_payload);
    let (_, app) = fresh();
    assert_missing_credentials(&call(&app, method.clone(), uri, Auth::None, payload()).await);
    assert_invalid_credentials(&call(&app, method.clone(), uri, Auth::Bearer("wrong-key"), payload()).await);
    assert_invalid_credentials(&call(&app, method.clone(), uri, Auth::Basic("wrong-key"), payload()).await);
    // The key as the basic password (not the user name) is not accepted either.
    let password_only = format!("Basic {}", base64(format!("someone:{KEY}").as_bytes()));
    assert_invalid_credentials(&call(&app, method.clone(), uri, Auth::Raw(&password_only), payload()).await);
    // Unreadable or unsupported credentials count as none.
    assert_missing_credentials(&call(&app, method.clone(), uri, Auth::Raw("Basic %%%not-base64"), payload()).await);
    assert_missing_credentials(&call(&app, method.clone(), uri, Auth::Raw("Bearer "), payload()).await);
    assert_missing_credentials(&call(&app, method.clone(), uri, Auth::Raw(&format!("Token {KEY}")), payload()).await);
    // Credentials are checked before anything else: a bad request without them is a 401.
    assert_missing_credentials(&call(&app, method.clone(), uri, Auth::None, raw_payload(None, b"{")).await);

    let (_, app) = fresh();
    let basic = call(&app, method.clone(), uri, Auth::Basic(KEY), payload()).await;
    let (_, app) = fresh();
    let lower = call(&app, method, uri, Auth::Raw(&format!("bearer {KEY}")), payload()).await;
    (basic, lower)
}

// ---------------------------------------------------------------------------------------------
// Routing, body limits
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_paths_are_404() {
    let (_, app) = fresh();
    for path in [
        "/",
        "/desk/api/v2/nothing.json",
        "/desk/api/v2/conversations",
        "/desk/api/v2/conversations.json/",
        "/desk/api/v2/conversations/token/.json",
        "/desk/api/v2/conversations/1/extra.json",
        "/desk/api/v2/conversationmessages/history/abc",
        "/desk/api/v1/conversations.json",
    ] {
        let reply = get(&app, path).await;
        assert_eq!(reply.expect(StatusCode::NOT_FOUND), &json!({"errors": {"path": ["no operation has this path"]}}), "{path}");
    }
}

#[tokio::test]
async fn wrong_methods_are_405_with_allow() {
    let (_, app) = fresh();
    let token = seeded_tokens(&app).await.0;
    let cases = [
        (Method::DELETE, CONVERSATIONS.to_string(), "GET, POST, HEAD"),
        (Method::PUT, CONVERSATIONS.to_string(), "GET, POST, HEAD"),
        // A concrete path is decided by its own template only: the literal
        // `/conversations/token.json` (POST) hides the templated `/conversations/{id}.json` (PATCH).
        (Method::GET, TOKEN_ROTATE.to_string(), "POST"),
        (Method::HEAD, TOKEN_ROTATE.to_string(), "POST"),
        (Method::PATCH, TOKEN_ROTATE.to_string(), "POST"),
        (Method::GET, BULK.to_string(), "PATCH"),
        (Method::POST, BULK.to_string(), "PATCH"),
        (Method::DELETE, BULK.to_string(), "PATCH"),
        (Method::DELETE, update_uri(1), "PATCH"),
        (Method::GET, update_uri(1), "PATCH"),
        (Method::POST, by_token_uri(&token), "GET, HEAD"),
        (Method::PATCH, history_uri(&token), "GET, HEAD"),
    ];
    for (method, uri, allow) in cases {
        let reply = call(&app, method.clone(), &uri, GOOD, None).await;
        if method == Method::HEAD {
            // A HEAD answer has no body; the status and `Allow` say it all.
            assert_eq!((reply.status, &reply.body), (StatusCode::METHOD_NOT_ALLOWED, &Value::Null));
            assert_eq!(reply.header(header::ALLOW), Some(allow), "{method} {uri}");
            continue;
        }
        assert_eq!(
            reply.expect(StatusCode::METHOD_NOT_ALLOWED),
            &json!({"errors": {"method": [format!("{method} is not allowed here; allowed: {allow}")]}}),
            "{method} {uri}"
        );
        assert_eq!(reply.header(header::ALLOW), Some(allow), "{method} {uri}");
    }
}

#[tokio::test]
async fn head_runs_the_get_operation_without_a_body() {
    let (_, app) = fresh();
    let got = get(&app, CONVERSATIONS).await;
    got.expect(StatusCode::OK);
    let head = call(&app, Method::HEAD, CONVERSATIONS, GOOD, None).await;
    assert_eq!((head.status, &head.body), (StatusCode::OK, &Value::Null));
    assert_eq!(head.header(header::CONTENT_TYPE), Some("application/json"));
    // The length GET sends (RFC 9110 9.3.2: the same header fields), though no body follows.
    let length = serde_json::to_vec(&got.body).expect("json").len().to_string();
    assert_eq!(head.header(header::CONTENT_LENGTH), Some(length.as_str()));
    // The GET operation's checks run too: no credentials is still a 401, a bad page a 400.
    let unauthenticated = call(&app, Method::HEAD, CONVERSATIONS, Auth::None, None).await;
    assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);
    assert!(unauthenticated.header(header::WWW_AUTHENTICATE).is_some());
    let bad = call(&app, Method::HEAD, &format!("{CONVERSATIONS}?page=0"), GOOD, None).await;
    assert_eq!((bad.status, &bad.body), (StatusCode::BAD_REQUEST, &Value::Null));
}

#[tokio::test]
async fn literal_routes_beat_parameter_routes() {
    let (service, app) = fresh();
    let (token, _) = seeded_tokens(&app).await;

    // POST /conversations/token.json is createConversationToken, not anything with a parameter.
    let reply = post(&app, TOKEN_ROTATE, json!({ "token": token })).await;
    let rotated = reply.expect(StatusCode::CREATED)["conversation"].clone();
    assert_eq!(rotated["id"], 1);
    assert_ne!(rotated["token"], json!(token));

    // PATCH /conversations/token.json is not updateConversation with the id `token`: the most
    // specific template that matches the path (the literal one) decides, and it has only POST.
    let reply = patch(&app, TOKEN_ROTATE, json!({"ticket_id": 1})).await;
    reply.expect(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.header(header::ALLOW), Some("POST"));
    // Routing looks at the path as sent: an escaped `token` is not the literal segment, so it
    // reaches updateConversation and fails as an id.
    let reply = patch(&app, &update_uri("%74oken"), json!({"ticket_id": 1})).await;
    reply.expect_400(json!({"id": ["must be an integer"]}));

    // PATCH /conversations/update.json is bulkUpdateConversations, not an update of id `update`.
    let reply = patch(&app, &format!("{BULK}?filter={}", enc(r#"{"id": 1}"#)), json!({"ticket_id": 9})).await;
    let job = reply.expect(StatusCode::OK)["jobId"].as_str().expect("jobId").to_string();
    assert_eq!(service.jobs(), vec![BulkJob { id: job, conversation_ids: vec![1] }]);

    // GET /conversations/token/{token}.json is the token lookup (the literal `token/` prefix).
    let token = rotated["token"].as_str().expect("token");
    let reply = get(&app, &by_token_uri(token)).await;
    assert_eq!(reply.expect(StatusCode::OK)["conversation"]["id"], 1);
}

#[tokio::test]
async fn path_parameters_are_percent_decoded() {
    let (_, app) = fresh();
    let (token, _) = seeded_tokens(&app).await;
    // An escaped character of the token decodes to the token itself.
    let escaped = format!("%{:02X}{}", token.as_bytes()[0], &token[1..]);
    let reply = get(&app, &by_token_uri(&escaped)).await;
    assert_eq!(reply.expect(StatusCode::OK)["conversation"]["id"], 1);
    // An escaped id is an id.
    let reply = patch(&app, &update_uri("%31"), json!({"ticket_id": 11})).await;
    assert_eq!(reply.expect(StatusCode::OK)["conversation"]["ticket_id"], 11);
    // Escapes that are not UTF-8 are refused.
    let reply = get(&app, &by_token_uri("%FF%FE")).await;
    reply.expect_400(json!({"path": ["is not valid percent-encoded UTF-8"]}));
}

#[tokio::test]
async fn bodies_over_the_configured_limit_are_413() {
    let service = DeskExample::new(KEY);
    let app = desk_server::router_with_config(service.clone(), desk_server::Config { body_limit: 64, ..desk_server::Config::DEFAULT });
    let big = json!({ "socket_id": "x".repeat(100) });
    let expected = json!({"errors": {"body": ["must be at most 64 bytes"]}});

    // Declared length over the limit.
    let reply = post(&app, CONVERSATIONS, big.clone()).await;
    assert_eq!(reply.expect(StatusCode::PAYLOAD_TOO_LARGE), &expected);
    // No declared length: the limit applies while reading.
    let payload = Payload { content_type: Some("application/json"), bytes: big.to_string().into_bytes(), content_length: false };
    let reply = call(&app, Method::POST, CONVERSATIONS, GOOD, Some(payload)).await;
    assert_eq!(reply.expect(StatusCode::PAYLOAD_TOO_LARGE), &expected);
    // Every operation, including ones that take no body, and before credentials are looked at.
    let reply = call(&app, Method::PATCH, &update_uri(1), Auth::None, json_payload(&big)).await;
    assert_eq!(reply.expect(StatusCode::PAYLOAD_TOO_LARGE), &expected);
    let reply = call(&app, Method::GET, CONVERSATIONS, GOOD, json_payload(&big)).await;
    assert_eq!(reply.expect(StatusCode::PAYLOAD_TOO_LARGE), &expected);
    // Nothing was created.
    assert_eq!(all_conversations(&app).await.len(), 2);

    // A body of exactly the limit is read.
    let exact = json!({ "socket_id": "y".repeat(48) });
    assert_eq!(exact.to_string().len(), 64);
    let reply = post(&app, CONVERSATIONS, exact).await;
    assert_eq!(reply.expect(StatusCode::CREATED)["conversation"]["socket_id"], "y".repeat(48));
    // One byte more is refused.
    let reply = post(&app, CONVERSATIONS, json!({ "socket_id": "y".repeat(49) })).await;
    assert_eq!(reply.expect(StatusCode::PAYLOAD_TOO_LARGE), &expected);
}

#[tokio::test]
async fn unknown_query_parameters_of_operations_without_query_parameters() {
    let (_, app) = fresh();
    let (token1, _) = seeded_tokens(&app).await;
    // Operations that declare no query parameters refuse undeclared ones too, with no effect.
    let expected = json!({"errors": {"force": ["is not a parameter of this operation"]}});
    let reply = post(&app, &format!("{CONVERSATIONS}?force=1"), json!({})).await;
    assert_eq!(reply.expect(StatusCode::BAD_REQUEST), &expected);
    let reply = post(&app, &format!("{TOKEN_ROTATE}?force=1"), json!({ "token": token1 })).await;
    assert_eq!(reply.expect(StatusCode::BAD_REQUEST), &expected);
    let reply = patch(&app, &format!("{}?force=1", update_uri(1)), json!({"ticket_id": 2})).await;
    assert_eq!(reply.expect(StatusCode::BAD_REQUEST), &expected);
    assert_eq!(all_conversations(&app).await.len(), 2, "nothing was created");
    assert_ne!(conversation(&app, 1).await["ticket_id"], 2, "nothing was updated");
}

// ---------------------------------------------------------------------------------------------
// listConversations
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_conversations_defaults() {
    let (_, app) = fresh();
    let reply = get(&app, CONVERSATIONS).await;
    let body = reply.expect(StatusCode::OK);
    assert_eq!(keys(body), ["conversations", "meta"], "no `included` without `includes`");
    // Default order: createdAt desc (the seeds share a creation time, so by id desc).
    assert_eq!(ids(&body["conversations"]), [4, 1]);
    assert_eq!(body["meta"], json!({"page": {"count": 2, "pageSize": 20, "pageOffset": 0, "pages": 1, "hasMore": false}}));

    let first = &body["conversations"][1];
    assert_eq!(first["contactId"], 100);
    assert_eq!(first["ticket_id"], 5000);
    assert_eq!(first["state"], "active");
    assert_eq!(first["createdBy"], json!({"id": 1, "type": "users"}));
    assert_eq!(first["updatedBy"], json!({"id": 1, "type": "users"}));
    assert_eq!(first["users"], json!([{"id": 1, "type": "users"}]));
    assert_eq!(first["messages"], json!([{"id": 2, "type": "conversationmessages"}, {"id": 3, "type": "conversationmessages"}]));
    assert_eq!(first["contact"]["value"], "customer0@example.com");
    assert_timestamp(&first["createdAt"]);
    assert_timestamp(&first["updatedAt"]);
    assert!(first.get("deletedAt").is_none() && first.get("deletedBy").is_none(), "active: no deletion fields");
    assert!(first["token"].as_str().is_some_and(|t| !t.is_empty()));

    let deleted = &body["conversations"][0];
    assert_eq!(deleted["state"], "deleted");
    assert_timestamp(&deleted["deletedAt"]);
    assert_eq!(deleted["deletedBy"], json!({"id": 1, "type": "users"}));
    assert_ne!(deleted["token"], first["token"]);
}

#[tokio::test]
async fn list_conversations_auth() {
    let (basic, lower) = check_auth(Method::GET, CONVERSATIONS, None).await;
    assert_eq!(ids(&basic.expect(StatusCode::OK)["conversations"]), [4, 1]);
    assert_eq!(ids(&lower.expect(StatusCode::OK)["conversations"]), [4, 1]);
}

#[tokio::test]
async fn list_conversations_paging() {
    let (_, app) = fresh();
    for _ in 0..3 {
        post(&app, CONVERSATIONS, json!({})).await.expect(StatusCode::CREATED);
    }
    // Five conversations: 1, 4, 7, 8, 9.
    let page = |page: u32, size: u32| format!("{CONVERSATIONS}?orderBy=id&orderMode=asc&page={page}&pageSize={size}");

    let body = get(&app, &page(1, 2)).await.expect(StatusCode::OK).clone();
    assert_eq!(ids(&body["conversations"]), [1, 4]);
    assert_eq!(body["meta"]["page"], json!({"count": 5, "pageSize": 2, "pageOffset": 0, "pages": 3, "hasMore": true}));

    let body = get(&app, &page(2, 2)).await.expect(StatusCode::OK).clone();
    assert_eq!(ids(&body["conversations"]), [7, 8]);
    // `pageOffset` is the zero-based offset of the page's first record.
    assert_eq!(body["meta"]["page"], json!({"count": 5, "pageSize": 2, "pageOffset": 2, "pages": 3, "hasMore": true}));

    let body = get(&app, &page(3, 2)).await.expect(StatusCode::OK).clone();
    assert_eq!(ids(&body["conversations"]), [9]);
    assert_eq!(body["meta"]["page"], json!({"count": 5, "pageSize": 2, "pageOffset": 4, "pages": 3, "hasMore": false}));

    // Past the end: an empty page, not an error.
    let body = get(&app, &page(4, 2)).await.expect(StatusCode::OK).clone();
    assert_eq!(body["conversations"], json!([]));
    assert_eq!(body["meta"]["page"], json!({"count": 5, "pageSize": 2, "pageOffset": 6, "pages": 3, "hasMore": false}));

    // The bounds of pageSize are accepted.
    let body = get(&app, &page(1, 100)).await.expect(StatusCode::OK).clone();
    assert_eq!(body["meta"]["page"]["pageSize"], 100);
    assert_eq!(ids(&body["conversations"]).len(), 5);
    let body = get(&app, &page(5, 1)).await.expect(StatusCode::OK).clone();
    assert_eq!(ids(&body["conversations"]), [9]);
    assert_eq!(body["meta"]["page"], json!({"count": 5, "pageSize": 1, "pageOffset": 4, "pages": 5, "hasMore": false}));

    // Paging counts the filtered records.
    let uri = format!("{}&filter={}", page(1, 2), enc(r#"{"state": "active"}"#));
    let body = get(&app, &uri).await.expect(StatusCode::OK).clone();
    assert_eq!(ids(&body["conversations"]), [1, 7]);
    assert_eq!(body["meta"]["page"], json!({"count": 4, "pageSize": 2, "pageOffset": 0, "pages": 2, "hasMore": true}));
}

#[tokio::test]
async fn list_conversations_order() {
    let (_, app) = fresh();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    post(&app, CONVERSATIONS, json!({"ticket_id": 1})).await.expect(StatusCode::CREATED);
    let order = |query: &str| {
        let app = app.clone();
        let uri = format!("{CONVERSATIONS}?{query}");
        async move { ids(&get(&app, &uri).await.expect(StatusCode::OK)["conversations"]) }
    };
    assert_eq!(order("orderBy=id&orderMode=asc").await, [1, 4, 7]);
    assert_eq!(order("orderBy=id&orderMode=desc").await, [7, 4, 1]);
    assert_eq!(order("orderBy=id").await, [7, 4, 1], "orderMode defaults to desc");
    assert_eq!(order("orderBy=ticket_id&orderMode=asc").await, [7, 1, 4]);
    assert_eq!(order("orderBy=createdAt&orderMode=asc").await, [1, 4, 7]);
    assert_eq!(order("orderMode=asc").await, [1, 4, 7], "orderBy defaults to createdAt");
    // deletedAt: missing values sort first.
    assert_eq!(order("orderBy=deletedAt&orderMode=asc").await, [1, 7, 4]);
    assert_eq!(order("orderBy=state&orderMode=desc").await, [4, 7, 1]);
}

#[tokio::test]
async fn list_conversations_filter() {
    let (_, app) = fresh();
    let seeded_at = conversation(&app, 4).await["createdAt"].as_str().expect("createdAt").to_string();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    post(&app, CONVERSATIONS, json!({"ticket_id": 42})).await.expect(StatusCode::CREATED); // id 7
    let (token1, _) = seeded_tokens(&app).await;

    let filtered = |filter: String| {
        let app = app.clone();
        let uri = format!("{CONVERSATIONS}?orderBy=id&orderMode=asc&filter={}", enc(&filter));
        async move { ids(&get(&app, &uri).await.expect(StatusCode::OK)["conversations"]) }
    };
    assert_eq!(filtered(r#"{}"#.into()).await, [1, 4, 7]);
    assert_eq!(filtered(r#"{"id": 4}"#.into()).await, [4]);
    assert_eq!(filtered(r#"{"state": {"$eq": "deleted"}}"#.into()).await, [4]);
    assert_eq!(filtered(r#"{"state": {"$ne": "deleted"}}"#.into()).await, [1, 7]);
    assert_eq!(filtered(r#"{"id": {"$in": [1, 7, 99]}}"#.into()).await, [1, 7]);
    assert_eq!(filtered(r#"{"id": {"$nin": [1, 7]}}"#.into()).await, [4]);
    assert_eq!(filtered(r#"{"id": {"$gt": 1}}"#.into()).await, [4, 7]);
    assert_eq!(filtered(r#"{"id": {"$gte": 4, "$lt": 7}}"#.into()).await, [4]);
    assert_eq!(filtered(r#"{"ticket_id": {"$lte": 5000}}"#.into()).await, [1, 7]);
    assert_eq!(filtered(format!(r#"{{"createdAt": {{"$gt": "{seeded_at}"}}}}"#)).await, [7]);
    assert_eq!(filtered(format!(r#"{{"createdAt": {{"$lte": "{seeded_at}"}}}}"#)).await, [1, 4]);
    assert_eq!(filtered(r#"{"$or": [{"ticket_id": 42}, {"state": "deleted"}]}"#.into()).await, [4, 7]);
    assert_eq!(filtered(r#"{"$and": [{"id": {"$gt": 1}}, {"state": "active"}]}"#.into()).await, [7]);
    assert_eq!(filtered(r#"{"state": "active", "ticket_id": {"$gt": 100}}"#.into()).await, [1]);
    assert_eq!(filtered(format!(r#"{{"token": "{token1}"}}"#)).await, [1]);
    assert_eq!(filtered(r#"{"deletedAt": null}"#.into()).await, [1, 7]);
    assert_eq!(filtered(r#"{"deletedAt": {"$in": [null]}}"#.into()).await, [1, 7]);
    assert_eq!(filtered(r#"{"deletedAt": {"$ne": null}}"#.into()).await, [4]);
    assert_eq!(filtered(r#"{"id": 1.0}"#.into()).await, [1]);
    assert_eq!(filtered(r#"{"state": {"$contains": "act"}}"#.into()).await, [1, 7]);
    assert_eq!(filtered(r#"{"$or": []}"#.into()).await, Vec::<i64>::new());
    assert_eq!(filtered(r#"{"$and": []}"#.into()).await, [1, 4, 7]);
    assert_eq!(filtered(r#"{"token": {"$contains": "zzz"}}"#.into()).await, Vec::<i64>::new());
    assert_eq!(filtered(r#"{"id": 1000}"#.into()).await, Vec::<i64>::new());
}

#[tokio::test]
async fn list_conversations_includes() {
    let (_, app) = fresh();
    let included = |includes: &'static str| {
        let app = app.clone();
        async move {
            let reply = get(&app, &format!("{CONVERSATIONS}?orderBy=id&orderMode=asc&includes={includes}")).await;
            reply.expect(StatusCode::OK)["included"].clone()
        }
    };
    let users = included("users").await;
    assert_eq!(keys(&users), ["users"]);
    assert_eq!(users["users"].as_array().map(Vec::len), Some(1));
    assert_eq!(users["users"][0]["id"], 1);
    assert_eq!(users["users"][0]["firstName"], "Sam");
    assert_eq!(users["users"][0]["role"], "agent");

    let contacts = included("contacts").await;
    assert_eq!(keys(&contacts), ["contacts"]);
    assert_eq!(ids(&contacts["contacts"]), [100, 101]);
    assert_eq!(contacts["contacts"][1]["value"], "customer1@example.com");

    let both = included("users,contacts").await;
    assert_eq!(keys(&both), ["contacts", "users"]);

    let all = included("all").await;
    assert_eq!(keys(&all), ["contacts", "conversationmessages", "customers", "users"]);
    assert_eq!(ids(&all["conversationmessages"]), [2, 3, 5, 6]);
    assert_eq!(all["customers"], json!([]));
    assert_eq!(ids(&all["users"]), [1]);

    // `included` covers the records of the page only.
    let reply = get(&app, &format!("{CONVERSATIONS}?orderBy=id&orderMode=asc&pageSize=1&includes=conversationmessages")).await;
    assert_eq!(ids(&reply.expect(StatusCode::OK)["included"]["conversationmessages"]), [2, 3]);
}

#[tokio::test]
async fn list_conversations_fields() {
    let (_, app) = fresh();
    let reply = get(&app, &format!("{CONVERSATIONS}?orderBy=id&orderMode=asc&fields=id,token,state")).await;
    let body = reply.expect(StatusCode::OK);
    for conversation in body["conversations"].as_array().expect("conversations") {
        assert_eq!(keys(conversation), ["id", "state", "token"]);
    }
    assert_eq!(body["conversations"][1]["state"], "deleted");
    assert_eq!(body["meta"]["page"]["count"], 2);

    // A named field the record lacks is simply absent.
    let reply = get(&app, &format!("{CONVERSATIONS}?orderBy=id&orderMode=asc&fields=id,deletedAt")).await;
    let body = reply.expect(StatusCode::OK);
    assert_eq!(keys(&body["conversations"][0]), ["id"]);
    assert_eq!(keys(&body["conversations"][1]), ["deletedAt", "id"]);

    // Sparse fields do not limit what `includes` side-loads.
    let reply = get(&app, &format!("{CONVERSATIONS}?fields=id&includes=users")).await;
    let body = reply.expect(StatusCode::OK);
    assert_eq!(keys(&body["conversations"][0]), ["id"]);
    assert_eq!(ids(&body["included"]["users"]), [1]);
}

#[tokio::test]
async fn list_conversations_bad_parameters() {
    let (_, app) = fresh();
    let cases: Vec<(&str, Value)> = vec![
        ("pageSize=abc", json!({"pageSize": ["must be an integer"]})),
        ("page=abc", json!({"page": ["must be an integer"]})),
        ("page=1.5", json!({"page": ["must be an integer"]})),
        ("page=", json!({"page": ["must be an integer"]})),
        ("page=0", json!({"page": ["must be at least 1"]})),
        ("page=-3", json!({"page": ["must be at least 1"]})),
        ("page=3000000000", json!({"page": ["must fit in a 32-bit signed integer (int32)"]})),
        ("pageSize=0", json!({"pageSize": ["must be at least 1"]})),
        ("pageSize=101", json!({"pageSize": ["must be at most 100"]})),
        ("page=1&page=2", json!({"page": ["must be sent once"]})),
        ("limit=10", json!({"limit": ["is not a parameter of this operation"]})),
        ("PageSize=10", json!({"PageSize": ["is not a parameter of this operation"]})),
        ("orderBy=name", json!({"orderBy": [ORDER_BY_ENUM]})),
        ("orderBy=ID", json!({"orderBy": [ORDER_BY_ENUM]})),
        ("orderMode=up", json!({"orderMode": [ORDER_MODE_ENUM]})),
        ("includes=bogus", json!({"includes[0]": [INCLUDE_ENUM]})),
        ("includes=users,files", json!({"includes[1]": [INCLUDE_ENUM]})),
        ("includes=", json!({"includes": [AT_LEAST_ONE]})),
        ("fields=", json!({"fields": [AT_LEAST_ONE]})),
        ("fields=id,name", json!({"fields[1]": [CONVERSATION_FIELD_ENUM]})),
        ("fields=ID", json!({"fields[0]": [CONVERSATION_FIELD_ENUM]})),
        ("filter=", json!({"filter": [json_error("")]})),
    ];
    for (query, errors) in cases {
        let reply = get(&app, &format!("{CONVERSATIONS}?{query}")).await;
        assert_eq!(reply.expect(StatusCode::BAD_REQUEST), &json!({ "errors": errors }), "?{query}");
    }
}

#[tokio::test]
async fn list_conversations_reports_every_fault_at_once() {
    let (_, app) = fresh();
    let filter = enc(r#"{"name": 1, "$or": 5, "id": {"$regex": "x"}}"#);
    let uri = format!(
        "{CONVERSATIONS}?page=0&pageSize=101&orderBy=name&orderMode=up&includes=users,bogus,all&fields=id,nope&filter={filter}&extra=1&other=2"
    );
    let reply = call(&app, Method::GET, &uri, GOOD, raw_payload(Some("application/json"), b"{}")).await;
    reply.expect_400(json!({
        "extra": ["is not a parameter of this operation"],
        "other": ["is not a parameter of this operation"],
        "page": ["must be at least 1"],
        "pageSize": ["must be at most 100"],
        "orderBy": [ORDER_BY_ENUM],
        "orderMode": [ORDER_MODE_ENUM],
        "filter.$or": ["must be an array"],
        "filter.id": [ANY_OF],
        "filter.name": [NOT_ALLOWED],
        "includes[1]": [INCLUDE_ENUM],
        "fields[1]": [CONVERSATION_FIELD_ENUM],
        "body": ["this operation takes no request body"],
    }));
    // Two messages for one field are both kept.
    let reply = get(&app, &format!("{CONVERSATIONS}?page=0&page=1&page=2&includes=bogus,nope")).await;
    reply.expect_400(json!({"page": ["must be sent once"], "includes[0]": [INCLUDE_ENUM], "includes[1]": [INCLUDE_ENUM]}));
}

#[tokio::test]
async fn list_conversations_bad_filter() {
    let (_, app) = fresh();
    // `filter` is JSON text (`content: application/json`) checked against `ConversationFilter`.
    let filter_cases: Vec<(&str, Value)> = vec![
        ("{not json", json!({"filter": [json_error("{not json")]})),
        (r#"{"id": 1"#, json!({"filter": [json_error(r#"{"id": 1"#)]})),
        ("id=1", json!({"filter": [json_error("id=1")]})),
        ("[1, 2]", json!({"filter": ["must be an object"]})),
        ("\"id\"", json!({"filter": ["must be an object"]})),
        ("null", json!({"filter": ["must not be null"]})),
        (r#"{"name": "x"}"#, json!({"filter.name": [NOT_ALLOWED]})),
        (r#"{"socket_id": "x"}"#, json!({"filter.socket_id": [NOT_ALLOWED]})),
        (r#"{"users": {"$contains": 1}}"#, json!({"filter.users": [NOT_ALLOWED]})),
        (r#"{"$or": [{"id": 1}, {"users": 1}]}"#, json!({"filter.$or[1].users": [NOT_ALLOWED]})),
        (r#"{"$and": [{"$or": [{"nope": 1}]}]}"#, json!({"filter.$and[0].$or[0].nope": [NOT_ALLOWED]})),
        (r#"{"$nor": [{"id": 1}]}"#, json!({"filter.$nor": [NOT_ALLOWED]})),
        (r#"{"$or": {"id": 1}}"#, json!({"filter.$or": ["must be an array"]})),
        (r#"{"$and": null}"#, json!({"filter.$and": ["must not be null"]})),
        (r#"{"id": {"$in": 1}}"#, json!({"filter.id": [ANY_OF]})),
        (r#"{"id": {"$regex": "1"}}"#, json!({"filter.id": [ANY_OF]})),
        (r#"{"id": {}}"#, json!({"filter.id": [ANY_OF]})),
        (r#"{"id": [1, 4]}"#, json!({"filter.id": [ANY_OF]})),
        (r#"{"state": {"$eq": {"a": 1}}}"#, json!({"filter.state": [ANY_OF]})),
        (
            r#"{"id": 1, "ticket_id": [], "x": 1, "y": 2}"#,
            json!({"filter.ticket_id": [ANY_OF], "filter.x": [NOT_ALLOWED], "filter.y": [NOT_ALLOWED]}),
        ),
    ];
    for (filter, errors) in filter_cases {
        let reply = get(&app, &format!("{CONVERSATIONS}?filter={}", enc(filter))).await;
        assert_eq!(reply.expect(StatusCode::BAD_REQUEST), &json!({ "errors": errors }), "filter={filter}");
    }
    // Sent twice.
    let reply = get(&app, &format!("{CONVERSATIONS}?filter={}&filter={}", enc("{}"), enc("{}"))).await;
    reply.expect_400(json!({"filter": ["must be sent once"]}));
}

// ---------------------------------------------------------------------------------------------
// createConversation
// ---------------------------------------------------------------------------------------------

/// The request example of createConversation in the spec.
fn create_example() -> Value {
    json!({
        "contact": {"isMain": true, "type": "email", "value": "jane.doe@example.com"},
        "socket_id": "123456.7891011",
        "users": [{"id": 2, "type": "users"}],
    })
}

#[tokio::test]
async fn create_conversation_success() {
    let (_, app) = fresh();
    let (seed1, seed4) = seeded_tokens(&app).await;
    let reply = post(&app, CONVERSATIONS, create_example()).await;
    let body = reply.expect(StatusCode::CREATED).clone();
    assert_eq!(keys(&body), ["conversation"]);
    let created = &body["conversation"];
    assert_eq!(created["id"], 7, "the next server-assigned id");
    let token = created["token"].as_str().expect("token").to_string();
    assert!(!token.is_empty() && token != seed1 && token != seed4);
    let created_at = assert_timestamp(&created["createdAt"]);
    let updated_at = assert_timestamp(&created["updatedAt"]);
    assert!(updated_at >= created_at);
    assert_eq!(created["createdBy"], json!({"id": 1, "type": "users"}));
    assert_eq!(created["updatedBy"], json!({"id": 1, "type": "users"}));
    assert_eq!(created["state"], "active");
    assert!(created.get("deletedAt").is_none() && created.get("deletedBy").is_none());
    assert_eq!(created["socket_id"], "123456.7891011");
    let contact = &created["contact"];
    assert_eq!(
        (&contact["isMain"], &contact["type"], &contact["value"]),
        (&json!(true), &json!("email"), &json!("jane.doe@example.com"))
    );
    // The contact's read-only fields are the server's.
    assert_timestamp(&contact["createdAt"]);
    assert_eq!(contact["createdBy"], json!({"id": 1, "type": "users"}));
    assert_eq!(created["users"], json!([{"id": 2, "type": "users"}]));
    assert_eq!(created["messages"], json!([]));

    // It can be found by its token, in the list, and has an empty message history.
    let reply = get(&app, &by_token_uri(&token)).await;
    assert_eq!(reply.expect(StatusCode::OK)["conversation"], *created);
    assert_eq!(all_conversations(&app).await.len(), 3);
    let reply = get(&app, &history_uri(&token)).await;
    let history = reply.expect(StatusCode::OK);
    assert_eq!(history["conversationmessages"], json!([]));
    assert_eq!(history["meta"]["page"], json!({"count": 0, "pageSize": 20, "pageOffset": 0, "pages": 0, "hasMore": false}));

    // A second conversation gets fresh id and token; an empty object is a valid body.
    let reply = post(&app, CONVERSATIONS, json!({})).await;
    let second = &reply.expect(StatusCode::CREATED)["conversation"];
    assert_eq!(second["id"], 8);
    assert_ne!(second["token"], json!(token));
    assert_eq!(second["state"], "active");

    // A structured `+json` media type with parameters is JSON too.
    let reply =
        call(&app, Method::POST, CONVERSATIONS, GOOD, raw_payload(Some("application/vnd.desk+json; charset=utf-8"), b"{}")).await;
    assert_eq!(reply.expect(StatusCode::CREATED)["conversation"]["id"], 9);
    // Properties the schema does not know are accepted (no `additionalProperties: false`) and dropped.
    let reply = post(&app, CONVERSATIONS, json!({"color": "red", "ticket_id": 3})).await;
    let created = &reply.expect(StatusCode::CREATED)["conversation"];
    assert!(created.get("color").is_none());
    assert_eq!(created["ticket_id"], 3);
}

#[tokio::test]
async fn create_conversation_ignores_read_only_fields() {
    let (_, app) = fresh();
    let (seed1, _) = seeded_tokens(&app).await;
    let body = json!({
        "id": 999,
        "token": seed1,
        "createdAt": "2000-01-01T00:00:00Z",
        "createdBy": {"id": 55, "type": "users"},
        "updatedAt": "2000-01-01T00:00:00Z",
        "updatedBy": {"id": 55, "type": "users"},
        "deletedAt": "2000-01-01T00:00:00Z",
        "deletedBy": {"id": 55, "type": "users"},
        "ticket_id": 77,
    });
    let reply = post(&app, CONVERSATIONS, body).await;
    let created = reply.expect(StatusCode::CREATED)["conversation"].clone();
    assert_eq!(created["id"], 7);
    assert_ne!(created["token"], json!(seed1), "the token is server-assigned");
    assert!(created["createdAt"].as_str().is_some_and(|t| !t.starts_with("2000")));
    assert!(created["updatedAt"].as_str().is_some_and(|t| !t.starts_with("2000")));
    assert_eq!(created["createdBy"], json!({"id": 1, "type": "users"}));
    assert_eq!(created["updatedBy"], json!({"id": 1, "type": "users"}));
    assert!(created.get("deletedAt").is_none() && created.get("deletedBy").is_none());
    assert_eq!(created["state"], "active");
    assert_eq!(created["ticket_id"], 77);
    // The seeded conversation still owns its token.
    let reply = get(&app, &by_token_uri(&seed1)).await;
    assert_eq!(reply.expect(StatusCode::OK)["conversation"]["id"], 1);

    // `state: deleted` on create is honoured, with server-assigned deletion fields.
    let reply = post(&app, CONVERSATIONS, json!({"state": "deleted", "deletedBy": {"id": 55, "type": "users"}})).await;
    let created = &reply.expect(StatusCode::CREATED)["conversation"];
    assert_eq!(created["state"], "deleted");
    assert_timestamp(&created["deletedAt"]);
    assert_eq!(created["deletedBy"], json!({"id": 1, "type": "users"}));
}

#[tokio::test]
async fn create_conversation_nested_read_only_fields() {
    let (_, app) = fresh();
    let body = json!({"contact": {"id": 999, "createdAt": "2000-01-01T00:00:00Z", "value": "a@example.com"}});
    let reply = post(&app, CONVERSATIONS, body).await;
    let contact = &reply.expect(StatusCode::CREATED)["conversation"]["contact"];
    assert_eq!(contact["value"], "a@example.com");
    // `CustomerContact.id` and `.createdAt` are read-only: the server's values replace them.
    assert_ne!(contact["id"], 999);
    assert_ne!(contact["createdAt"], "2000-01-01T00:00:00Z");
    assert_timestamp(&contact["createdAt"]);
}

#[tokio::test]
async fn create_conversation_auth() {
    let (basic, lower) = check_auth(Method::POST, CONVERSATIONS, Some(create_example())).await;
    assert_eq!(basic.expect(StatusCode::CREATED)["conversation"]["id"], 7);
    assert_eq!(lower.expect(StatusCode::CREATED)["conversation"]["id"], 7);
}

#[tokio::test]
async fn create_conversation_bad_bodies() {
    let (_, app) = fresh();
    let send = |payload: Option<Payload>| {
        let app = app.clone();
        async move { call(&app, Method::POST, CONVERSATIONS, GOOD, payload).await }
    };
    let json_type = Some("application/json");
    send(raw_payload(json_type, b"{")).await.expect_400(json!({"body": [json_error("{")]}));
    send(raw_payload(json_type, b"{\"ticket_id\": 1,}")).await.expect_400(json!({"body": [json_error("{\"ticket_id\": 1,}")]}));
    send(raw_payload(json_type, b"{} {}")).await.expect_400(json!({"body": [json_error("{} {}")]}));
    send(raw_payload(json_type, b"contact=x")).await.expect_400(json!({"body": [json_error("contact=x")]}));
    // Wrong or missing content type, even with a valid JSON body.
    let content_type = json!({"body": ["must be sent with Content-Type: application/json"]});
    send(raw_payload(Some("text/plain"), b"{}")).await.expect_400(content_type.clone());
    send(raw_payload(Some("application/x-www-form-urlencoded"), b"ticket_id=1")).await.expect_400(content_type.clone());
    send(raw_payload(None, b"{}")).await.expect_400(content_type.clone());
    send(raw_payload(Some("application/jsonx"), b"{}")).await.expect_400(content_type);
    // Missing body (with or without a content type).
    let required = json!({"body": ["a JSON request body is required"]});
    send(None).await.expect_400(required.clone());
    send(raw_payload(json_type, b"")).await.expect_400(required);
    // Not an object.
    send(json_payload(&json!([]))).await.expect_400(json!({"body": ["must be an object"]}));
    send(json_payload(&json!("conversation"))).await.expect_400(json!({"body": ["must be an object"]}));
    send(json_payload(&json!(null))).await.expect_400(json!({"body": ["must not be null"]}));
    // Single field faults, with their dotted / indexed names.
    let cases: Vec<(Value, Value)> = vec![
        (json!({"ticket_id": "abc"}), json!({"ticket_id": ["must be an integer"]})),
        (json!({"ticket_id": 1.5}), json!({"ticket_id": ["must be an integer"]})),
        (json!({"ticket_id": 18446744073709551615_u64}), json!({"ticket_id": ["must fit in a 64-bit signed integer (int64)"]})),
        (json!({"ticket_id": null}), json!({"ticket_id": ["must not be null"]})),
        (json!({"state": "archived"}), json!({"state": [STATE_ENUM]})),
        (json!({"contact": {"value": 5}}), json!({"contact.value": ["must be a string"]})),
        (json!({"contact": "jane"}), json!({"contact": ["must be an object"]})),
        (json!({"messages": [{"id": 1}]}), json!({"messages[0].type": ["must be set"]})),
        (
            json!({"users": [{"type": "users"}, {"id": "2", "type": "users"}]}),
            json!({"users[0].id": ["must be set"], "users[1].id": ["must be an integer"]}),
        ),
        (json!({"createdAt": "yesterday"}), json!({"createdAt": ["must be an RFC 3339 date-time"]})),
    ];
    for (body, errors) in cases {
        let reply = send(json_payload(&body)).await;
        assert_eq!(reply.expect(StatusCode::BAD_REQUEST), &json!({ "errors": errors }), "{body}");
    }
    // None of the refused requests created anything.
    assert_eq!(all_conversations(&app).await.len(), 2);
    // `deletedAt` and `deletedBy` are nullable (and read-only): `null` is accepted and ignored.
    let reply = send(json_payload(&json!({"deletedAt": null, "deletedBy": null}))).await;
    let created = &reply.expect(StatusCode::CREATED)["conversation"];
    assert!(created.get("deletedAt").is_none() && created.get("deletedBy").is_none());
}

#[tokio::test]
async fn create_conversation_reports_every_fault_at_once() {
    let (_, app) = fresh();
    let body = json!({
        "contact": {"isMain": "yes", "value": 5, "createdAt": "yesterday", "state": "gone"},
        "contactId": "seven",
        "filter_args": {"page": 0, "pageSize": 500, "orderMode": "up"},
        "messages": [{"id": "x"}, {"id": 1, "type": "conversationmessages", "delete": "no"}],
        "socket_id": 12,
        "state": "gone",
        "ticket_id": 1.5,
        "users": {"id": 1},
    });
    let reply = post(&app, CONVERSATIONS, body).await;
    reply.expect_400(json!({
        "contact.createdAt": ["must be an RFC 3339 date-time"],
        "contact.isMain": ["must be a boolean"],
        "contact.state": [STATE_ENUM],
        "contact.value": ["must be a string"],
        "contactId": ["must be an integer"],
        "filter_args.orderMode": [ORDER_MODE_ENUM],
        "filter_args.page": ["must be at least 1"],
        "filter_args.pageSize": ["must be at most 100"],
        "messages[0].type": ["must be set"],
        "messages[0].id": ["must be an integer"],
        "messages[1].delete": ["must be a boolean"],
        "socket_id": ["must be a string"],
        "state": [STATE_ENUM],
        "ticket_id": ["must be an integer"],
        "users": ["must be an array"],
    }));
    assert_eq!(all_conversations(&app).await.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// getConversationByToken
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_conversation_by_token_success() {
    let (_, app) = fresh();
    let (token1, token4) = seeded_tokens(&app).await;
    let reply = get(&app, &by_token_uri(&token1)).await;
    let body = reply.expect(StatusCode::OK);
    assert_eq!(keys(body), ["conversation"]);
    assert_eq!(body["conversation"], conversation(&app, 1).await);

    let reply = get(&app, &by_token_uri(&token4)).await;
    let deleted = &reply.expect(StatusCode::OK)["conversation"];
    assert_eq!(deleted["id"], 4, "deleted conversations are found too");
    assert_eq!(deleted["state"], "deleted");

    let reply = get(&app, &format!("{}?includes=users", by_token_uri(&token1))).await;
    let included = &reply.expect(StatusCode::OK)["included"];
    assert_eq!(keys(included), ["users"]);
    assert_eq!(ids(&included["users"]), [1]);

    let reply = get(&app, &format!("{}?includes=contacts,conversationmessages", by_token_uri(&token4))).await;
    let included = &reply.expect(StatusCode::OK)["included"];
    assert_eq!(keys(included), ["contacts", "conversationmessages"]);
    assert_eq!(ids(&included["contacts"]), [101]);
    assert_eq!(ids(&included["conversationmessages"]), [5, 6]);

    let reply = get(&app, &format!("{}?includes=all", by_token_uri(&token1))).await;
    let included = &reply.expect(StatusCode::OK)["included"];
    assert_eq!(keys(included), ["contacts", "conversationmessages", "customers", "users"]);
    assert_eq!(ids(&included["conversationmessages"]), [2, 3]);
}

#[tokio::test]
async fn get_conversation_by_token_is_open() {
    let (_, app) = fresh();
    let (token1, _) = seeded_tokens(&app).await;
    for auth in [Auth::None, Auth::Bearer("wrong-key"), Auth::Basic("wrong-key"), Auth::Raw("Nonsense")] {
        let reply = call(&app, Method::GET, &by_token_uri(&token1), auth, None).await;
        assert_eq!(reply.expect(StatusCode::OK)["conversation"]["id"], 1);
    }
}

#[tokio::test]
async fn get_conversation_by_token_unknown_is_404() {
    let (_, app) = fresh();
    let (token1, _) = seeded_tokens(&app).await;
    let not_found = json!({"errors": {"token": ["no conversation has this token"]}});
    for token in ["unknown", "1", &token1[1..], &token1.to_uppercase(), &format!("{token1}x")] {
        let reply = call(&app, Method::GET, &by_token_uri(token), Auth::None, None).await;
        assert_eq!(reply.expect(StatusCode::NOT_FOUND), &not_found, "{token}");
    }
}

#[tokio::test]
async fn get_conversation_by_token_bad_inputs() {
    let (_, app) = fresh();
    let (token1, _) = seeded_tokens(&app).await;
    let uri = by_token_uri(&token1);
    get(&app, &format!("{uri}?includes=files")).await.expect_400(json!({"includes[0]": [INCLUDE_ENUM]}));
    get(&app, &format!("{uri}?includes=users,,all")).await.expect_400(json!({"includes[1]": [INCLUDE_ENUM]}));
    get(&app, &format!("{uri}?fields=id")).await.expect_400(json!({"fields": ["is not a parameter of this operation"]}));
    get(&app, &format!("{uri}?page=1")).await.expect_400(json!({"page": ["is not a parameter of this operation"]}));
    let reply = call(&app, Method::GET, &uri, Auth::None, json_payload(&json!({}))).await;
    reply.expect_400(json!({"body": ["this operation takes no request body"]}));
    // Validation comes before the lookup: an unknown token with a bad parameter is a 400.
    let reply = get(&app, &format!("{}?includes=bogus&x=1", by_token_uri("unknown"))).await;
    reply.expect_400(json!({"x": ["is not a parameter of this operation"], "includes[0]": [INCLUDE_ENUM]}));
}

// ---------------------------------------------------------------------------------------------
// createConversationToken
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_conversation_token_rotates_the_token() {
    let (_, app) = fresh();
    let (old, token4) = seeded_tokens(&app).await;
    let before = conversation(&app, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let reply = post(&app, TOKEN_ROTATE, json!({ "token": old })).await;
    let body = reply.expect(StatusCode::CREATED).clone();
    assert_eq!(keys(&body), ["conversation"]);
    let rotated = &body["conversation"];
    assert_eq!(rotated["id"], 1);
    let new = rotated["token"].as_str().expect("token").to_string();
    assert!(!new.is_empty() && new != old && new != token4);
    assert!(assert_timestamp(&rotated["updatedAt"]) > assert_timestamp(&before["updatedAt"]));
    assert_eq!(rotated["updatedBy"], json!({"id": 1, "type": "users"}));
    // Everything else is unchanged.
    for field in ["createdAt", "createdBy", "contact", "contactId", "messages", "users", "state", "ticket_id"] {
        assert_eq!(rotated[field], before[field], "{field}");
    }

    // The old token is gone everywhere; the new one works everywhere.
    let not_found = json!({"errors": {"token": ["no conversation has this token"]}});
    assert_eq!(get(&app, &by_token_uri(&old)).await.expect(StatusCode::NOT_FOUND), &not_found);
    assert_eq!(get(&app, &history_uri(&old)).await.expect(StatusCode::NOT_FOUND), &not_found);
    assert_eq!(get(&app, &by_token_uri(&new)).await.expect(StatusCode::OK)["conversation"], *rotated);
    assert_eq!(ids(&get(&app, &history_uri(&new)).await.expect(StatusCode::OK)["conversationmessages"]).len(), 2);
    // The old token cannot be rotated again.
    let reply = post(&app, TOKEN_ROTATE, json!({ "token": old })).await;
    assert_eq!(reply.expect(StatusCode::NOT_FOUND), &not_found);

    // The body's other properties are applied as a PATCH would; read-only ones are ignored.
    let reply = post(&app, TOKEN_ROTATE, json!({"token": new, "id": 4, "ticket_id": 1, "socket_id": "s-1"})).await;
    let again = &reply.expect(StatusCode::CREATED)["conversation"];
    assert_eq!(again["id"], 1);
    assert_eq!(again["ticket_id"], 1);
    assert_eq!(again["socket_id"], "s-1");
    assert_eq!(again["state"], "active");
    assert_ne!(again["token"], json!(new));
    // The other conversation was not touched.
    assert_eq!(get(&app, &by_token_uri(&token4)).await.expect(StatusCode::OK)["conversation"]["id"], 4);
}

#[tokio::test]
async fn create_conversation_token_auth() {
    let (_, app) = fresh();
    let (token1, _) = seeded_tokens(&app).await;
    // Every fresh `fresh()` in `check_auth` seeds the same tokens.
    let (basic, lower) = check_auth(Method::POST, TOKEN_ROTATE, Some(json!({ "token": token1 }))).await;
    assert_eq!(basic.expect(StatusCode::CREATED)["conversation"]["id"], 1);
    assert_eq!(lower.expect(StatusCode::CREATED)["conversation"]["id"], 1);
}

#[tokio::test]
async fn create_conversation_token_without_token_creates_a_conversation() {
    let (_, app) = fresh();
    let (token1, token4) = seeded_tokens(&app).await;
    let body = json!({"ticket_id": 12, "socket_id": "abc.1", "id": 1, "createdAt": "2000-01-01T00:00:00Z"});
    let reply = post(&app, TOKEN_ROTATE, body).await;
    let created = reply.expect(StatusCode::CREATED)["conversation"].clone();
    assert_eq!(created["id"], 7, "a new conversation, not the one named by the read-only id");
    let token = created["token"].as_str().expect("token").to_string();
    assert!(!token.is_empty() && token != token1 && token != token4);
    assert_eq!(created["ticket_id"], 12);
    assert_eq!(created["socket_id"], "abc.1");
    assert_eq!(created["state"], "active");
    assert_eq!(created["createdBy"], json!({"id": 1, "type": "users"}));
    assert!(created["createdAt"].as_str().is_some_and(|t| !t.starts_with("2000")));
    assert_eq!(all_conversations(&app).await.len(), 3);
    assert_eq!(get(&app, &by_token_uri(&token)).await.expect(StatusCode::OK)["conversation"], created);
    // The seeded conversations keep their tokens.
    assert_eq!(get(&app, &by_token_uri(&token1)).await.expect(StatusCode::OK)["conversation"]["id"], 1);
    // An empty body is a conversation with no properties.
    let reply = post(&app, TOKEN_ROTATE, json!({})).await;
    assert_eq!(reply.expect(StatusCode::CREATED)["conversation"]["id"], 8);
}

#[tokio::test]
async fn create_conversation_token_unknown_token_is_404() {
    let (_, app) = fresh();
    let (token1, _) = seeded_tokens(&app).await;
    let not_found = json!({"errors": {"token": ["no conversation has this token"]}});
    for token in ["unknown", "", &token1[1..], &token1.to_uppercase()] {
        let reply = post(&app, TOKEN_ROTATE, json!({ "token": token })).await;
        assert_eq!(reply.expect(StatusCode::NOT_FOUND), &not_found, "{token:?}");
    }
    // Nothing was created or rotated.
    assert_eq!(all_conversations(&app).await.len(), 2);
    assert_eq!(seeded_tokens(&app).await.0, token1);
}

#[tokio::test]
async fn create_conversation_token_bad_inputs() {
    let (_, app) = fresh();
    let send = |payload: Option<Payload>| {
        let app = app.clone();
        async move { call(&app, Method::POST, TOKEN_ROTATE, GOOD, payload).await }
    };
    send(json_payload(&json!({"token": 5}))).await.expect_400(json!({"token": ["must be a string"]}));
    send(json_payload(&json!({"token": null}))).await.expect_400(json!({"token": ["must not be null"]}));
    send(json_payload(&json!({"token": ["a"]}))).await.expect_400(json!({"token": ["must be a string"]}));
    send(raw_payload(Some("application/json"), b"{\"token\": ")).await.expect_400(json!({"body": [json_error("{\"token\": ")]}));
    send(raw_payload(Some("text/plain"), b"{}"))
        .await
        .expect_400(json!({"body": ["must be sent with Content-Type: application/json"]}));
    send(raw_payload(None, b"{}")).await.expect_400(json!({"body": ["must be sent with Content-Type: application/json"]}));
    send(None).await.expect_400(json!({"body": ["a JSON request body is required"]}));
    send(json_payload(&json!([{"token": "x"}]))).await.expect_400(json!({"body": ["must be an object"]}));
    send(json_payload(&json!({"token": 5, "state": "x", "users": [{}]}))).await.expect_400(json!({
        "state": [STATE_ENUM],
        "token": ["must be a string"],
        "users[0].id": ["must be set"],
        "users[0].type": ["must be set"],
    }));
    // Nothing was created.
    assert_eq!(all_conversations(&app).await.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// updateConversation
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_conversation_is_partial() {
    let (_, app) = fresh();
    let before = conversation(&app, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let reply = patch(&app, &update_uri(1), json!({"ticket_id": 88231, "socket_id": "s-1"})).await;
    let body = reply.expect(StatusCode::OK).clone();
    assert_eq!(keys(&body), ["conversation"]);
    let updated = &body["conversation"];
    assert_eq!(updated["ticket_id"], 88231);
    assert_eq!(updated["socket_id"], "s-1");
    assert!(assert_timestamp(&updated["updatedAt"]) > assert_timestamp(&before["updatedAt"]));
    assert_eq!(updated["updatedBy"], json!({"id": 1, "type": "users"}));
    // Unsent fields are unchanged.
    for field in ["id", "token", "contact", "contactId", "createdAt", "createdBy", "messages", "users", "state"] {
        assert_eq!(updated[field], before[field], "{field}");
    }
    assert!(updated.get("deletedAt").is_none());
    // The change is stored.
    assert_eq!(conversation(&app, 1).await, *updated);
    // The other conversation is untouched.
    assert_eq!(conversation(&app, 4).await["ticket_id"], 5001);

    // An empty body changes nothing but the update stamp.
    let reply = patch(&app, &update_uri(1), json!({})).await;
    let same = &reply.expect(StatusCode::OK)["conversation"];
    for field in ["ticket_id", "socket_id", "token", "contact", "users", "messages", "state"] {
        assert_eq!(same[field], updated[field], "{field}");
    }

    // A merge-patch media type is JSON too.
    let reply = call(
        &app,
        Method::PATCH,
        &update_uri(4),
        GOOD,
        raw_payload(Some("application/merge-patch+json"), br#"{"contactId": 5}"#),
    )
    .await;
    assert_eq!(reply.expect(StatusCode::OK)["conversation"]["contactId"], 5);
}

#[tokio::test]
async fn update_conversation_ignores_read_only_fields() {
    let (_, app) = fresh();
    let before = conversation(&app, 1).await;
    let body = json!({
        "id": 4,
        "createdAt": "2000-01-01T00:00:00Z",
        "createdBy": {"id": 55, "type": "users"},
        "updatedAt": "2000-01-01T00:00:00Z",
        "updatedBy": {"id": 55, "type": "users"},
        "deletedAt": "2000-01-01T00:00:00Z",
        "deletedBy": {"id": 55, "type": "users"},
    });
    let reply = patch(&app, &update_uri(1), body).await;
    let updated = reply.expect(StatusCode::OK)["conversation"].clone();
    assert_eq!(updated["id"], 1);
    assert_eq!(updated["createdAt"], before["createdAt"]);
    assert_eq!(updated["createdBy"], before["createdBy"]);
    assert!(updated["updatedAt"].as_str().is_some_and(|t| !t.starts_with("2000")));
    assert_eq!(updated["updatedBy"], json!({"id": 1, "type": "users"}));
    assert!(updated.get("deletedAt").is_none() && updated.get("deletedBy").is_none());
    assert_eq!(updated["state"], "active");
    // Conversation 4 is untouched.
    assert_eq!(conversation(&app, 4).await["ticket_id"], 5001);
}

#[tokio::test]
async fn update_conversation_state() {
    let (_, app) = fresh();
    let reply = patch(&app, &update_uri(1), json!({"state": "deleted"})).await;
    let deleted = reply.expect(StatusCode::OK)["conversation"].clone();
    assert_eq!(deleted["state"], "deleted");
    let deleted_at = assert_timestamp(&deleted["deletedAt"]);
    assert!(deleted_at >= assert_timestamp(&deleted["createdAt"]));
    assert_eq!(deleted["deletedBy"], json!({"id": 1, "type": "users"}));
    assert_eq!(conversation(&app, 1).await["state"], "deleted");

    // Deleting again keeps the first deletion's time.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let reply = patch(&app, &update_uri(1), json!({"state": "deleted"})).await;
    assert_eq!(reply.expect(StatusCode::OK)["conversation"]["deletedAt"], deleted["deletedAt"]);

    // Back to active: the deletion fields are gone.
    let reply = patch(&app, &update_uri(1), json!({"state": "active"})).await;
    let active = &reply.expect(StatusCode::OK)["conversation"];
    assert_eq!(active["state"], "active");
    assert!(active.get("deletedAt").is_none() && active.get("deletedBy").is_none());

    // The seeded deleted conversation can be restored too.
    let reply = patch(&app, &update_uri(4), json!({"state": "active"})).await;
    let restored = &reply.expect(StatusCode::OK)["conversation"];
    assert!(restored.get("deletedAt").is_none() && restored.get("deletedBy").is_none());
}

#[tokio::test]
async fn update_conversation_deletion_and_updated_at() {
    let (_, app) = fresh();
    let before = conversation(&app, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let reply = patch(&app, &update_uri(1), json!({"state": "deleted"})).await;
    let deleted = &reply.expect(StatusCode::OK)["conversation"];
    // `updatedAt` "is not updated when the object is deleted".
    assert_eq!(deleted["updatedAt"], before["updatedAt"]);
    assert_timestamp(&deleted["deletedAt"]);
}

#[tokio::test]
async fn update_conversation_relationships() {
    let (_, app) = fresh();
    let reply = patch(
        &app,
        &update_uri(1),
        json!({
            "users": [
                {"id": 1, "type": "users", "delete": true},
                {"id": 3, "type": "users", "meta": {"role": "observer"}},
            ],
            "messages": [{"id": 2, "type": "conversationmessages", "delete": true}],
        }),
    )
    .await;
    let updated = reply.expect(StatusCode::OK)["conversation"].clone();
    assert_eq!(updated["users"], json!([{"id": 3, "type": "users", "meta": {"role": "observer"}}]));
    assert_eq!(updated["messages"], json!([{"id": 3, "type": "conversationmessages"}]));
    assert_eq!(conversation(&app, 1).await["users"], updated["users"]);

    // Adding keeps the existing ones; re-adding one does not duplicate it; detaching one that
    // is not attached is harmless; `delete: false` attaches.
    let reply = patch(
        &app,
        &update_uri(1),
        json!({"users": [
            {"id": 4, "type": "users", "delete": false},
            {"id": 3, "type": "users"},
            {"id": 99, "type": "users", "delete": true},
        ]}),
    )
    .await;
    let updated = &reply.expect(StatusCode::OK)["conversation"];
    assert_eq!(updated["users"], json!([{"id": 4, "type": "users"}, {"id": 3, "type": "users"}]));
    // Unsent relationship lists stay as they are.
    assert_eq!(updated["messages"], json!([{"id": 3, "type": "conversationmessages"}]));
    // A detached message reference does not remove the message from the history.
    let token = updated["token"].as_str().expect("token").to_string();
    let reply = get(&app, &history_uri(&token)).await;
    assert_eq!(ids(&reply.expect(StatusCode::OK)["conversationmessages"]).len(), 2);
}

#[tokio::test]
async fn update_conversation_unknown_id_is_404() {
    let (_, app) = fresh();
    let not_found = json!({"errors": {"id": ["no conversation has this id"]}});
    for id in ["2", "3", "999", "9223372036854775807"] {
        let reply = patch(&app, &update_uri(id), json!({"ticket_id": 1})).await;
        assert_eq!(reply.expect(StatusCode::NOT_FOUND), &not_found, "id {id}");
    }
    // Validation comes first: an unknown id with a bad body is a 400.
    let reply = patch(&app, &update_uri(999), json!({"ticket_id": "x"})).await;
    reply.expect_400(json!({"ticket_id": ["must be an integer"]}));
}

#[tokio::test]
async fn update_conversation_auth() {
    let (basic, lower) = check_auth(Method::PATCH, &update_uri(1), Some(json!({"ticket_id": 3}))).await;
    assert_eq!(basic.expect(StatusCode::OK)["conversation"]["ticket_id"], 3);
    assert_eq!(lower.expect(StatusCode::OK)["conversation"]["ticket_id"], 3);
    // Credentials are checked before the lookup.
    let (_, app) = fresh();
    let reply = call(&app, Method::PATCH, &update_uri(999), Auth::Bearer("wrong"), json_payload(&json!({}))).await;
    assert_invalid_credentials(&reply);
}

#[tokio::test]
async fn update_conversation_bad_inputs() {
    let (_, app) = fresh();
    let body = json!({"ticket_id": 1});
    let id_cases: Vec<(&str, Value)> = vec![
        ("abc", json!({"id": ["must be an integer"]})),
        ("1.5", json!({"id": ["must be an integer"]})),
        ("1e3", json!({"id": ["must be an integer"]})),
        ("tokens", json!({"id": ["must be an integer"]})),
        ("%20", json!({"id": ["must be an integer"]})),
        ("0", json!({"id": ["must be at least 1"]})),
        ("-4", json!({"id": ["must be at least 1"]})),
        ("18446744073709551615", json!({"id": ["must fit in a 64-bit signed integer (int64)"]})),
        ("99999999999999999999", json!({"id": ["must be an integer"]})),
    ];
    for (id, errors) in id_cases {
        let reply = patch(&app, &update_uri(id), body.clone()).await;
        assert_eq!(reply.expect(StatusCode::BAD_REQUEST), &json!({ "errors": errors }), "id {id}");
    }
    let send = |payload: Option<Payload>| {
        let app = app.clone();
        async move { call(&app, Method::PATCH, &update_uri(1), GOOD, payload).await }
    };
    send(raw_payload(Some("application/json"), b"{\"state\": deleted}"))
        .await
        .expect_400(json!({"body": [json_error("{\"state\": deleted}")]}));
    // The legacy `text/json` is read as JSON; other types are refused.
    send(raw_payload(Some("text/json"), b"{\"state\": deleted}"))
        .await
        .expect_400(json!({"body": [json_error("{\"state\": deleted}")]}));
    send(raw_payload(Some("text/plain"), b"{}"))
        .await
        .expect_400(json!({"body": ["must be sent with Content-Type: application/json"]}));
    send(raw_payload(None, b"{}")).await.expect_400(json!({"body": ["must be sent with Content-Type: application/json"]}));
    send(None).await.expect_400(json!({"body": ["a JSON request body is required"]}));
    send(json_payload(&json!(42))).await.expect_400(json!({"body": ["must be an object"]}));
    send(json_payload(&json!({"state": "closed"}))).await.expect_400(json!({"state": [STATE_ENUM]}));
    send(json_payload(&json!({"users": [{"id": 1, "type": "users", "delete": "yes"}]})))
        .await
        .expect_400(json!({"users[0].delete": ["must be a boolean"]}));
    send(json_payload(&json!({"users": [{"id": 1, "type": "users", "meta": []}]})))
        .await
        .expect_400(json!({"users[0].meta": ["must be an object"]}));
    // Path and body faults together.
    let reply = call(&app, Method::PATCH, &update_uri("abc"), GOOD, raw_payload(Some("application/json"), b"{")).await;
    reply.expect_400(json!({"id": ["must be an integer"], "body": [json_error("{")]}));
    let reply = patch(&app, &update_uri(0), json!({"ticket_id": "x", "contact": {"isMain": 1}, "messages": [{}]})).await;
    reply.expect_400(json!({
        "id": ["must be at least 1"],
        "contact.isMain": ["must be a boolean"],
        "messages[0].id": ["must be set"],
        "messages[0].type": ["must be set"],
        "ticket_id": ["must be an integer"],
    }));
    // Nothing changed.
    assert_eq!(conversation(&app, 1).await["ticket_id"], 5000);
}

#[tokio::test]
async fn update_conversation_token_uniqueness() {
    let (_, app) = fresh();
    let (token1, token4) = seeded_tokens(&app).await;
    // A token that no other conversation has may be set.
    let reply = patch(&app, &update_uri(1), json!({"token": "my-room"})).await;
    assert_eq!(reply.expect(StatusCode::OK)["conversation"]["token"], "my-room");
    assert_eq!(get(&app, &by_token_uri("my-room")).await.expect(StatusCode::OK)["conversation"]["id"], 1);
    assert_eq!(get(&app, &by_token_uri(&token1)).await.status, StatusCode::NOT_FOUND);

    // Room tokens stay unique: another conversation's token is refused.
    let reply = patch(&app, &update_uri(1), json!({ "token": token4 })).await;
    assert_eq!(
        reply.expect(StatusCode::CONFLICT),
        &json!({"errors": {"token": ["is already the token of another conversation"]}})
    );
    let reply = get(&app, &by_token_uri(&token4)).await;
    assert_eq!(reply.expect(StatusCode::OK)["conversation"]["id"], 4);
}

// ---------------------------------------------------------------------------------------------
// bulkUpdateConversations
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn bulk_update_applies_to_filtered_records_only() {
    let (service, app) = fresh();
    post(&app, CONVERSATIONS, json!({"ticket_id": 1})).await.expect(StatusCode::CREATED); // id 7
    let before = all_conversations(&app).await;

    let uri = format!("{BULK}?filter={}", enc(r#"{"state": "active"}"#));
    let reply = patch(&app, &uri, json!({"socket_id": "bulk", "ticket_id": 321})).await;
    let body = reply.expect(StatusCode::OK).clone();
    assert_eq!(keys(&body), ["jobId"]);
    let job = body["jobId"].as_str().expect("jobId").to_string();
    assert!(!job.is_empty());
    assert_eq!(service.jobs(), vec![BulkJob { id: job.clone(), conversation_ids: vec![1, 7] }]);

    let after = all_conversations(&app).await;
    for (old, new) in before.iter().zip(&after) {
        if new["state"] == "active" {
            assert_eq!(new["ticket_id"], 321);
            assert_eq!(new["socket_id"], "bulk");
        } else {
            assert_eq!(new, old, "the deleted conversation is not selected");
        }
        // Unsent fields stay.
        for field in ["token", "contact", "users", "messages", "createdAt"] {
            assert_eq!(new[field], old[field], "{field}");
        }
    }

    // A second job gets another id; its filter selects by id.
    let uri = format!("{BULK}?filter={}", enc(r#"{"id": {"$in": [4, 7]}}"#));
    let reply = patch(&app, &uri, json!({"state": "deleted"})).await;
    let second = reply.expect(StatusCode::OK)["jobId"].as_str().expect("jobId").to_string();
    assert_ne!(second, job);
    assert_eq!(service.jobs()[1], BulkJob { id: second, conversation_ids: vec![4, 7] });
    let after = all_conversations(&app).await;
    assert_eq!(
        after.iter().map(|c| c["state"].as_str().unwrap_or_default()).collect::<Vec<_>>(),
        ["active", "deleted", "deleted"]
    );
    assert_timestamp(&after[2]["deletedAt"]);
    assert_eq!(after[2]["deletedBy"], json!({"id": 1, "type": "users"}));
    // Conversation 4 was already deleted: its deletion time is kept.
    assert_eq!(after[1]["deletedAt"], before[1]["deletedAt"]);

    // A filter that selects nothing is still a (empty) job.
    let uri = format!("{BULK}?filter={}", enc(r#"{"ticket_id": {"$gt": 100000}}"#));
    let reply = patch(&app, &uri, json!({"ticket_id": 5})).await;
    let third = reply.expect(StatusCode::OK)["jobId"].as_str().expect("jobId").to_string();
    assert_eq!(service.jobs()[2], BulkJob { id: third, conversation_ids: vec![] });
    assert_eq!(service.jobs().len(), 3);
}

#[tokio::test]
async fn bulk_update_without_filter_selects_all_and_keeps_tokens() {
    let (service, app) = fresh();
    let before = all_conversations(&app).await;
    let reply = patch(
        &app,
        BULK,
        json!({"ticket_id": 1, "token": "shared", "id": 99, "users": [{"id": 1, "type": "users", "delete": true}]}),
    )
    .await;
    let job = reply.expect(StatusCode::OK)["jobId"].as_str().expect("jobId").to_string();
    assert_eq!(service.jobs(), vec![BulkJob { id: job, conversation_ids: vec![1, 4] }]);
    let after = all_conversations(&app).await;
    assert_eq!(ids(&json!(after)), [1, 4], "ids are read-only");
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(new["ticket_id"], 1);
        assert_eq!(new["token"], old["token"], "room tokens are never bulk-rewritten");
        assert_eq!(new["users"], json!([]));
    }
    // `{}` selects every record as well.
    let uri = format!("{BULK}?filter={}", enc("{}"));
    patch(&app, &uri, json!({"ticket_id": 2})).await.expect(StatusCode::OK);
    assert_eq!(service.jobs()[1].conversation_ids, [1, 4]);
}

#[tokio::test]
async fn bulk_update_auth() {
    let (basic, lower) = check_auth(Method::PATCH, BULK, Some(json!({"ticket_id": 3}))).await;
    assert!(basic.expect(StatusCode::OK)["jobId"].is_string());
    assert!(lower.expect(StatusCode::OK)["jobId"].is_string());
    // A refused request runs no job.
    let (service, app) = fresh();
    call(&app, Method::PATCH, BULK, Auth::Basic("nope"), json_payload(&json!({"ticket_id": 3}))).await;
    assert_eq!(service.jobs(), vec![]);
}

#[tokio::test]
async fn bulk_update_bad_inputs() {
    let (service, app) = fresh();
    let body = json!({"ticket_id": 1});
    let filter_cases: Vec<(&str, Value)> = vec![
        ("{oops", json!({"filter": [json_error("{oops")]})),
        ("[]", json!({"filter": ["must be an object"]})),
        (r#"{"socket_id": "x"}"#, json!({"filter.socket_id": [NOT_ALLOWED]})),
        (r#"{"$and": [{"nope": 1}]}"#, json!({"filter.$and[0].nope": [NOT_ALLOWED]})),
        (r#"{"id": {"$nin": "1"}}"#, json!({"filter.id": [ANY_OF]})),
        (r#"{"id": {"$exists": true}}"#, json!({"filter.id": [ANY_OF]})),
    ];
    for (filter, errors) in filter_cases {
        let reply = patch(&app, &format!("{BULK}?filter={}", enc(filter)), body.clone()).await;
        assert_eq!(reply.expect(StatusCode::BAD_REQUEST), &json!({ "errors": errors }), "filter={filter}");
    }
    let send = |uri: String, payload: Option<Payload>| {
        let app = app.clone();
        async move { call(&app, Method::PATCH, &uri, GOOD, payload).await }
    };
    send(BULK.into(), raw_payload(Some("application/json"), b"{,}")).await.expect_400(json!({"body": [json_error("{,}")]}));
    send(BULK.into(), raw_payload(Some("text/plain"), b"{}"))
        .await
        .expect_400(json!({"body": ["must be sent with Content-Type: application/json"]}));
    send(BULK.into(), None).await.expect_400(json!({"body": ["a JSON request body is required"]}));
    send(BULK.into(), json_payload(&json!({"state": 1}))).await.expect_400(json!({"state": ["must be a string"]}));
    send(format!("{BULK}?page=2"), json_payload(&body))
        .await
        .expect_400(json!({"page": ["is not a parameter of this operation"]}));
    send(format!("{BULK}?filter={{}}&filter={{}}"), json_payload(&body))
        .await
        .expect_400(json!({"filter": ["must be sent once"]}));
    // Several faults at once: unknown parameter, repeated filter and a bad body.
    send(format!("{BULK}?ids=1&filter=a&filter=b"), json_payload(&json!({"ticket_id": "x", "users": [{"id": 1}]})))
        .await
        .expect_400(json!({
            "ids": ["is not a parameter of this operation"],
            "filter": ["must be sent once"],
            "ticket_id": ["must be an integer"],
            "users[0].type": ["must be set"],
        }));
    // No refused request ran a job or changed anything.
    assert_eq!(service.jobs(), vec![]);
    assert_eq!(conversation(&app, 1).await["ticket_id"], 5000);
}

// ---------------------------------------------------------------------------------------------
// getConversationMessageHistory
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn message_history_success() {
    let (_, app) = fresh();
    let (token1, token4) = seeded_tokens(&app).await;
    let reply = get(&app, &history_uri(&token1)).await;
    let body = reply.expect(StatusCode::OK).clone();
    assert_eq!(keys(&body), ["conversationmessages", "meta"]);
    // Default order createdAt desc (the seeds share a time, so by id desc).
    assert_eq!(ids(&body["conversationmessages"]), [3, 2]);
    assert_eq!(body["meta"]["page"], json!({"count": 2, "pageSize": 20, "pageOffset": 0, "pages": 1, "hasMore": false}));
    let first = &body["conversationmessages"][1];
    assert_eq!(first["message"], "Hello, I need help with my order.");
    assert_eq!(first["state"], "active");
    assert_eq!(first["userId"], 1);
    assert_eq!(first["createdBy"], json!({"id": 1, "type": "users"}));
    assert_timestamp(&first["createdAt"]);
    assert_timestamp(&first["updatedAt"]);

    // The deleted conversation's history is served from its own messages.
    let reply = get(&app, &history_uri(&token4)).await;
    assert_eq!(ids(&reply.expect(StatusCode::OK)["conversationmessages"]), [6, 5]);

    // Order, paging, filter, fields, includes.
    let reply = get(&app, &format!("{}?orderBy=id&orderMode=asc", history_uri(&token1))).await;
    assert_eq!(ids(&reply.expect(StatusCode::OK)["conversationmessages"]), [2, 3]);
    let reply = get(&app, &format!("{}?orderBy=message&orderMode=desc", history_uri(&token1))).await;
    assert_eq!(ids(&reply.expect(StatusCode::OK)["conversationmessages"]), [3, 2]);

    let reply = get(&app, &format!("{}?orderBy=id&orderMode=asc&page=2&pageSize=1", history_uri(&token1))).await;
    let body = reply.expect(StatusCode::OK);
    assert_eq!(ids(&body["conversationmessages"]), [3]);
    assert_eq!(body["meta"]["page"], json!({"count": 2, "pageSize": 1, "pageOffset": 1, "pages": 2, "hasMore": false}));
    let reply = get(&app, &format!("{}?orderBy=id&orderMode=asc&page=1&pageSize=1", history_uri(&token1))).await;
    assert_eq!(reply.expect(StatusCode::OK)["meta"]["page"]["hasMore"], true);

    let filter = enc(r#"{"message": {"$contains": "order number"}}"#);
    let reply = get(&app, &format!("{}?filter={filter}", history_uri(&token1))).await;
    let body = reply.expect(StatusCode::OK);
    assert_eq!(ids(&body["conversationmessages"]), [3]);
    assert_eq!(body["meta"]["page"]["count"], 1);
    let filter = enc(r#"{"$or": [{"id": 2}, {"id": {"$gt": 5}}]}"#);
    let reply = get(&app, &format!("{}?filter={filter}", history_uri(&token1))).await;
    assert_eq!(ids(&reply.expect(StatusCode::OK)["conversationmessages"]), [2], "only this conversation's messages");
    let filter = enc(r#"{"createdBy": {"$ne": null}, "userId": {"$in": [1]}, "deletedAt": null}"#);
    let reply = get(&app, &format!("{}?filter={filter}", history_uri(&token1))).await;
    assert_eq!(ids(&reply.expect(StatusCode::OK)["conversationmessages"]).len(), 2);

    let reply = get(&app, &format!("{}?fields=id,message", history_uri(&token1))).await;
    for message in reply.expect(StatusCode::OK)["conversationmessages"].as_array().expect("messages") {
        assert_eq!(keys(message), ["id", "message"]);
    }

    let reply = get(&app, &format!("{}?includes=users", history_uri(&token1))).await;
    let included = &reply.expect(StatusCode::OK)["included"];
    assert_eq!(keys(included), ["users"]);
    assert_eq!(ids(&included["users"]), [1]);
    let reply = get(&app, &format!("{}?includes=files,contacts", history_uri(&token1))).await;
    let included = &reply.expect(StatusCode::OK)["included"];
    assert_eq!(keys(included), ["contacts", "files"]);
    assert_eq!(ids(&included["contacts"]), [100]);
    assert_eq!(included["files"], json!([]));
    let reply = get(&app, &format!("{}?includes=all", history_uri(&token1))).await;
    let included = &reply.expect(StatusCode::OK)["included"];
    assert_eq!(keys(included), ["contacts", "customers", "files", "users"]);
}

#[tokio::test]
async fn message_history_is_open() {
    let (_, app) = fresh();
    let (token1, _) = seeded_tokens(&app).await;
    for auth in [Auth::None, Auth::Bearer("wrong-key"), Auth::Basic("wrong-key")] {
        let reply = call(&app, Method::GET, &history_uri(&token1), auth, None).await;
        assert_eq!(ids(&reply.expect(StatusCode::OK)["conversationmessages"]), [3, 2]);
    }
}

#[tokio::test]
async fn message_history_unknown_token_is_404() {
    let (_, app) = fresh();
    let (token1, _) = seeded_tokens(&app).await;
    for token in ["unknown", "1", &token1[..token1.len() - 1]] {
        let reply = call(&app, Method::GET, &history_uri(token), Auth::None, None).await;
        assert_eq!(
            reply.expect(StatusCode::NOT_FOUND),
            &json!({"errors": {"token": ["no conversation has this token"]}}),
            "{token}"
        );
    }
    // Paging parameters are checked before the lookup.
    let reply = get(&app, &format!("{}?pageSize=abc", history_uri("unknown"))).await;
    reply.expect_400(json!({"pageSize": ["must be an integer"]}));
    // So are `filter` and `fields`.
    let reply = get(&app, &format!("{}?fields=token", history_uri("unknown"))).await;
    reply.expect_400(json!({"fields[0]": [MESSAGE_FIELD_ENUM]}));
}

#[tokio::test]
async fn message_history_bad_inputs() {
    let (_, app) = fresh();
    let (token1, _) = seeded_tokens(&app).await;
    let uri = history_uri(&token1);
    let cases: Vec<(String, Value)> = vec![
        ("pageSize=abc".into(), json!({"pageSize": ["must be an integer"]})),
        ("page=0".into(), json!({"page": ["must be at least 1"]})),
        ("pageSize=101".into(), json!({"pageSize": ["must be at most 100"]})),
        ("pageSize=0".into(), json!({"pageSize": ["must be at least 1"]})),
        ("page=2147483648".into(), json!({"page": ["must fit in a 32-bit signed integer (int32)"]})),
        ("orderBy=ticket_id".into(), json!({"orderBy": [MESSAGE_ORDER_BY_ENUM]})),
        ("orderMode=ascending".into(), json!({"orderMode": [ORDER_MODE_ENUM]})),
        ("includes=conversationmessages".into(), json!({"includes[0]": [MESSAGE_INCLUDE_ENUM]})),
        ("includes=files,users,bogus".into(), json!({"includes[2]": [MESSAGE_INCLUDE_ENUM]})),
        ("token=abc".into(), json!({"token": ["is not a parameter of this operation"]})),
        ("pageSize=1&pageSize=2".into(), json!({"pageSize": ["must be sent once"]})),
        (format!("filter={}", enc("not json")), json!({"filter": [json_error("not json")]})),
        (format!("filter={}", enc(r#"{"ticket_id": 1}"#)), json!({"filter.ticket_id": [NOT_ALLOWED]})),
        (format!("filter={}", enc(r#"{"files": 1}"#)), json!({"filter.files": [NOT_ALLOWED]})),
        (format!("filter={}", enc(r#"{"$or": 1}"#)), json!({"filter.$or": ["must be an array"]})),
        (format!("filter={}", enc(r#"{"createdBy": {"id": 1, "type": "users"}}"#)), json!({"filter.createdBy": [ANY_OF]})),
        (format!("filter={}", enc("[]")), json!({"filter": ["must be an object"]})),
        ("fields=id,token".into(), json!({"fields[1]": [MESSAGE_FIELD_ENUM]})),
        ("fields=".into(), json!({"fields": [AT_LEAST_ONE]})),
        ("includes=".into(), json!({"includes": [AT_LEAST_ONE]})),
        (
            format!("page=0&pageSize=200&orderBy=x&orderMode=x&includes=x&fields=x&filter={}&q=1", enc(r#"{"x": 1}"#)),
            json!({
                "q": ["is not a parameter of this operation"],
                "filter.x": [NOT_ALLOWED],
                "fields[0]": [MESSAGE_FIELD_ENUM],
                "page": ["must be at least 1"],
                "pageSize": ["must be at most 100"],
                "orderBy": [MESSAGE_ORDER_BY_ENUM],
                "orderMode": [ORDER_MODE_ENUM],
                "includes[0]": [MESSAGE_INCLUDE_ENUM],
            }),
        ),
    ];
    for (query, errors) in cases {
        let reply = call(&app, Method::GET, &format!("{uri}?{query}"), Auth::None, None).await;
        assert_eq!(reply.expect(StatusCode::BAD_REQUEST), &json!({ "errors": errors }), "?{query}");
    }
    let reply = call(&app, Method::GET, &uri, Auth::None, raw_payload(Some("text/plain"), b"hi")).await;
    reply.expect_400(json!({"body": ["this operation takes no request body"]}));
}

/// A filter nested as deep as the JSON parser allows: decoded without exhausting the stack of
/// the test's thread (2 MiB, as a tokio worker's; a hundred levels of derived code in a debug
/// build used to abort the server), answered 200 up to the request depth limit and 400 naming
/// `filter` past it, never a crash.
#[tokio::test]
async fn deeply_nested_filter_is_answered() {
    let (_, app) = fresh();
    let nested = |levels: usize| format!("{}{{}}{}", r#"{"$and":["#.repeat(levels), "]}".repeat(levels));
    // 31 levels of `{"$and": [...]}` nest 63 deep: converted on the runtime's deep-value thread.
    let unfiltered = ids(&get(&app, CONVERSATIONS).await.expect(StatusCode::OK)["conversations"]);
    let reply = get(&app, &format!("{CONVERSATIONS}?filter={}", enc(&nested(31)))).await;
    assert_eq!(ids(&reply.expect(StatusCode::OK)["conversations"]), unfiltered);
    for levels in [33, 52, 63] {
        let reply = get(&app, &format!("{CONVERSATIONS}?filter={}", enc(&nested(levels)))).await;
        reply.expect_400(json!({"filter": ["is nested deeper than 64 levels"]}));
    }
    let reply = get(&app, &format!("{CONVERSATIONS}?filter={}", enc(&nested(200)))).await;
    assert!(reply.expect(StatusCode::BAD_REQUEST)["errors"]["filter"][0].as_str().is_some_and(|m| m.contains("recursion limit")), "{}", reply.body);
}

/// A body nested past the request depth limit is refused before it is stored: a value the
/// server keeps must fit, with the response's own objects around it, in what clients and the
/// response checks can read back.
#[tokio::test]
async fn deeply_nested_body_is_refused() {
    let (_, app) = fresh();
    let meta = |levels: usize| format!("{}1{}", r#"{"a":"#.repeat(levels), "}".repeat(levels));
    let body = |levels: usize| -> Value {
        serde_json::from_str(&format!(r#"{{"users":[{{"id":1,"type":"users","meta":{}}}]}}"#, meta(levels))).expect("json")
    };
    post(&app, CONVERSATIONS, body(60)).await.expect(StatusCode::CREATED);
    post(&app, CONVERSATIONS, body(123)).await.expect_400(json!({"body": ["is nested deeper than 64 levels"]}));
    get(&app, CONVERSATIONS).await.expect(StatusCode::OK);
}

/// Rotating a token applies the body's other properties too: none of them is dropped.
#[tokio::test]
async fn token_rotation_applies_the_other_properties() {
    let (_, app) = fresh();
    let (token, _) = seeded_tokens(&app).await;
    let body = json!({"token": token, "ticket_id": 424242, "socket_id": "zzz", "users": [{"id": 9, "type": "users"}]});
    let reply = post(&app, TOKEN_ROTATE, body).await;
    let rotated = &reply.expect(StatusCode::CREATED)["conversation"];
    assert_ne!(rotated["token"], json!(token));
    let stored = conversation(&app, 1).await;
    assert_eq!((&stored["ticket_id"], &stored["socket_id"], &stored["token"]), (&json!(424242), &json!("zzz"), &rotated["token"]));
    assert!(stored["users"].as_array().expect("users").iter().any(|u| u["id"] == 9), "{stored}");
}

/// A PATCH of `contact` changes only the contact properties sent; `contactId` moves the
/// contact's id with it.
#[tokio::test]
async fn contact_updates_are_partial() {
    let (_, app) = fresh();
    let before = conversation(&app, 1).await["contact"].clone();
    assert!(before["isMain"].is_boolean() && before["type"].is_string(), "{before}");
    patch(&app, &update_uri(1), json!({"contact": {"value": "new@example.com"}})).await.expect(StatusCode::OK);
    let after = conversation(&app, 1).await["contact"].clone();
    assert_eq!(after["value"], "new@example.com");
    for kept in ["id", "isMain", "type", "state", "createdAt"] {
        assert_eq!(after[kept], before[kept], "{kept}: {after}");
    }
    patch(&app, &update_uri(1), json!({"contactId": 555})).await.expect(StatusCode::OK);
    let moved = conversation(&app, 1).await;
    assert_eq!((&moved["contactId"], &moved["contact"]["id"]), (&json!(555), &json!(555)));
}
