//! Tracing and response checks through the generated desk server and client: the spans and
//! events a subscriber sees (captured by a small `tracing_subscriber` layer), and what the
//! server and the client do with a response that breaks the spec, for every setting.
//!
//! Each test installs its subscriber for its own thread (`set_default`) and runs on tokio's
//! current-thread runtime, so the server and the client it starts report to it alone. Every
//! test that sends a request installs one, and they take turns ([`Captured::install`] holds a
//! lock): `tracing` caches per callsite whether it is enabled, and a callsite first reached on a
//! thread without a subscriber while another thread installs one can stay disabled.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use desk_client::{Client, Error, ListConversationsParams};
use desk_example::DeskExample;
use desk_types::RequestCommons;
use desk_server::*;

type ClientList = desk_client::ListConversationsResponse;
use http_body_util::BodyExt as _;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tower::ServiceExt as _;
use tracing::field::{Field, Visit};
use tracing::subscriber::DefaultGuard;
use tracing::{Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

const KEY: &str = "observe-key";
const CONVERSATIONS: &str = "/desk/api/v2/conversations.json";

// ---------------------------------------------------------------------------------------------
// A subscriber that keeps every span (with all its fields, recorded late or not) and event.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct SpanRecord {
    name: &'static str,
    level: Level,
    fields: BTreeMap<String, String>,
    closed: bool,
    /// Index of its parent span.
    parent: Option<usize>,
}

#[derive(Debug, Clone)]
struct EventRecord {
    level: Level,
    fields: BTreeMap<String, String>,
    /// Index of the span it happened in.
    span: Option<usize>,
}

#[derive(Default, Clone)]
struct Captured {
    spans: Arc<Mutex<Vec<SpanRecord>>>,
    events: Arc<Mutex<Vec<EventRecord>>>,
}

impl Captured {
    /// Installs a subscriber with this capture for the current thread, once no other test has
    /// one.
    fn install() -> (Captured, Installed) {
        static TURN: Mutex<()> = Mutex::new(());
        let turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let captured = Captured::default();
        let subscriber = tracing_subscriber::registry().with(captured.clone());
        let guard = tracing::subscriber::set_default(subscriber);
        (captured, Installed { _guard: guard, _turn: turn })
    }

    fn spans(&self) -> Vec<SpanRecord> {
        self.spans.lock().unwrap().clone()
    }

    fn events(&self) -> Vec<EventRecord> {
        self.events.lock().unwrap().clone()
    }

    /// The one span whose `otel.kind` is `kind`.
    fn only_span(&self, kind: &str) -> SpanRecord {
        let spans: Vec<SpanRecord> =
            self.spans().into_iter().filter(|s| s.fields.get("otel.kind").map(String::as_str) == Some(kind)).collect();
        assert_eq!(spans.len(), 1, "one {kind} span: {spans:#?}");
        spans.into_iter().next().unwrap()
    }

    /// The events with this message, with the span each happened in.
    fn events_named(&self, message: &str) -> Vec<(EventRecord, Option<SpanRecord>)> {
        let spans = self.spans();
        self.events()
            .into_iter()
            .filter(|e| e.fields.get("message").map(String::as_str) == Some(message))
            .map(|e| {
                let span = e.span.map(|index| spans[index].clone());
                (e, span)
            })
            .collect()
    }
}

/// The subscriber of one test, and its turn; the subscriber goes first.
struct Installed {
    _guard: DefaultGuard,
    _turn: std::sync::MutexGuard<'static, ()>,
}

/// The index of a span in [`Captured::spans`].
struct Index(usize);

#[derive(Default)]
struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_string(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Captured {
    fn on_new_span(&self, attrs: &tracing::span::Attributes<'_>, id: &tracing::span::Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        let parent = if attrs.is_contextual() {
            ctx.lookup_current()
        } else {
            attrs.parent().and_then(|parent| ctx.span(parent))
        };
        let parent = parent.and_then(|span| span.extensions().get::<Index>().map(|i| i.0));
        let mut spans = self.spans.lock().unwrap();
        spans.push(SpanRecord {
            name: attrs.metadata().name(),
            level: *attrs.metadata().level(),
            fields: fields.0,
            closed: false,
            parent,
        });
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Index(spans.len() - 1));
        }
    }

    fn on_record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let Some(Index(index)) = span.extensions().get::<Index>().map(|i| Index(i.0)) else { return };
        let mut fields = Fields::default();
        values.record(&mut fields);
        self.spans.lock().unwrap()[index].fields.extend(fields.0);
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let span = ctx.event_span(event).and_then(|span| span.extensions().get::<Index>().map(|i| i.0));
        self.events.lock().unwrap().push(EventRecord { level: *event.metadata().level(), fields: fields.0, span });
    }

    fn on_close(&self, id: tracing::span::Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let index = span.extensions().get::<Index>().map(|i| i.0);
        if let Some(index) = index {
            self.spans.lock().unwrap()[index].closed = true;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

async fn call(router: axum::Router, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(uri).header(header::AUTHORIZATION, format!("Bearer {KEY}"));
    let body = match body {
        Some(body) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(body.to_string())
        }
        None => Body::empty(),
    };
    let response = router.oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
    (status, value)
}

/// Serves `router` on an ephemeral loopback port; returns its base URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

fn field<'a>(span: &'a SpanRecord, name: &str) -> &'a str {
    span.fields.get(name).map(String::as_str).unwrap_or_else(|| panic!("field {name} missing in {span:#?}"))
}

// ---------------------------------------------------------------------------------------------
// Tracing.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_server_span_names_the_operation_route_status_and_duration() {
    let (captured, _guard) = Captured::install();
    let router = desk_server::router(DeskExample::new(KEY));
    let (status, _) = call(router, "GET", "/desk/api/v2/conversations/token/c0ffee.json", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let span = captured.only_span("server");
    assert_eq!(span.name, "request");
    assert_eq!(span.level, Level::INFO);
    assert_eq!(field(&span, "operation_id"), "getConversationByToken");
    assert_eq!(field(&span, "otel.name"), "getConversationByToken");
    assert_eq!(field(&span, "http.request.method"), "GET");
    assert_eq!(field(&span, "http.route"), "/desk/api/v2/conversations/token/{token}.json");
    assert_eq!(field(&span, "http.response.status_code"), "404");
    let duration: f64 = field(&span, "duration_ms").parse().unwrap();
    assert!((0.0..60_000.0).contains(&duration), "{duration}");
    assert!(!span.fields.contains_key("otel.status_code"), "a 404 of the implementation is no server error");
    assert!(span.closed);
}

#[tokio::test]
async fn a_refused_request_is_a_debug_event_naming_every_field_in_its_span() {
    let (captured, _guard) = Captured::install();
    let router = desk_server::router(DeskExample::new(KEY));
    let (status, _) = call(router, "GET", &format!("{CONVERSATIONS}?pageSize=0&orderMode=up"), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let events = captured.events_named("request refused");
    assert_eq!(events.len(), 1, "{events:#?}");
    let (event, span) = &events[0];
    assert_eq!(event.level, Level::DEBUG);
    assert_eq!(event.fields["status"], "400");
    assert_eq!(event.fields["error_count"], "2");
    let errors = &event.fields["errors"];
    assert!(errors.contains("pageSize: ") && errors.contains("orderMode: "), "{errors}");
    let span = span.as_ref().expect("in the request's span");
    assert_eq!(field(span, "operation_id"), "listConversations");
    assert_eq!(field(span, "http.response.status_code"), "400");
}

#[tokio::test]
async fn an_unknown_path_has_a_span_without_operation() {
    let (captured, _guard) = Captured::install();
    let router = desk_server::router(DeskExample::new(KEY));
    let (status, _) = call(router, "GET", "/nowhere", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let span = captured.only_span("server");
    assert!(!span.fields.contains_key("operation_id"));
    assert_eq!(field(&span, "http.response.status_code"), "404");
    let events = captured.events_named("request refused");
    assert_eq!(events.len(), 1);
    assert!(events[0].0.fields["errors"].contains("path: no operation has this path"));
}

#[tokio::test]
async fn the_client_span_names_the_operation_route_and_status() {
    let (captured, _guard) = Captured::install();
    let base = serve(desk_server::router(DeskExample::new(KEY))).await;
    let client = Client::builder(&base).bearer_token(KEY).build().unwrap();
    let answer = client.list_conversations(&ListConversationsParams::default()).await.unwrap();
    assert!(matches!(answer, ClientList::Ok(_)));
    let span = captured.only_span("client");
    assert_eq!(span.name, "request");
    assert_eq!(field(&span, "operation_id"), "listConversations");
    assert_eq!(field(&span, "http.request.method"), "GET");
    assert_eq!(field(&span, "http.route"), CONVERSATIONS);
    assert_eq!(field(&span, "http.response.status_code"), "200");
    assert!(field(&span, "duration_ms").parse::<f64>().unwrap() > 0.0);
    assert!(span.closed);
    // The server's span of the same request.
    let server = captured.only_span("server");
    assert_eq!(field(&server, "operation_id"), "listConversations");
    assert_eq!(field(&server, "http.response.status_code"), "200");
}

#[tokio::test]
async fn a_transport_error_is_a_client_event() {
    let (captured, _guard) = Captured::install();
    // A port that was free a moment ago: nothing listens there.
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let client = Client::builder(&format!("http://{addr}")).bearer_token(KEY).build().unwrap();
    let err = client.list_conversations(&ListConversationsParams::default()).await.unwrap_err();
    assert!(matches!(err, Error::Request(_)), "{err:?}");
    let events = captured.events_named("request failed");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].0.level, Level::WARN);
    let span = events[0].1.as_ref().expect("in the client's span");
    assert_eq!(field(span, "operation_id"), "listConversations");
    assert_eq!(field(span, "otel.status_code"), "ERROR");
    assert!(!span.fields.contains_key("http.response.status_code"));
}

/// The README's example: tower-http layers (request ids, CORS, compression, a span per request
/// with its id) around the generated router. The operation's span is a child of the layer's.
#[tokio::test]
async fn tower_http_layers_wrap_the_generated_router() {
    use tower_http::compression::CompressionLayer;
    use tower_http::cors::CorsLayer;
    use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
    use tower_http::trace::TraceLayer;

    let (captured, _guard) = Captured::install();
    let service = DeskExample::new(KEY);
    // Layers added last run first: the request id is set before the span reads it.
    let app = desk_server::router(service)
        .layer(CompressionLayer::new())
        .layer(CorsLayer::permissive())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<Body>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
            tracing::info_span!("http", request_id = id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));

    let request = Request::get(CONVERSATIONS)
        .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
        .header(header::ORIGIN, "https://app.example")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let id = response.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let operation = captured.only_span("server");
    assert_eq!(field(&operation, "operation_id"), "listConversations");
    let spans = captured.spans();
    let parent = &spans[operation.parent.expect("inside the layer's span")];
    assert_eq!(parent.name, "http");
    assert_eq!(field(parent, "request_id"), id);
}

// ---------------------------------------------------------------------------------------------
// Response checks.
// ---------------------------------------------------------------------------------------------

/// The example, except that `listConversations` answers `filter_args` with `page` 0 (the
/// schema's `minimum` is 1) and `pageSize` 500 (`maximum` 100) in every conversation it lists:
/// two errors per conversation.
struct Broken(DeskExample);

impl ConversationsApi for Broken {
    async fn list_conversations(&self, request: ListConversationsRequest) -> ListConversationsResponse {
        match self.0.list_conversations(request).await {
            ListConversationsResponse::Ok(mut body) => {
                for conversation in &mut body.conversations {
                    conversation.filter_args =
                        Some(RequestCommons { page: Some(0), page_size: Some(500), ..RequestCommons::default() });
                }
                ListConversationsResponse::Ok(body)
            }
            other => other,
        }
    }

    async fn create_conversation(&self, request: CreateConversationRequest) -> CreateConversationResponse {
        self.0.create_conversation(request).await
    }

    async fn get_conversation_by_token(&self, request: GetConversationByTokenRequest) -> GetConversationByTokenResponse {
        self.0.get_conversation_by_token(request).await
    }

    async fn create_conversation_token(&self, request: CreateConversationTokenRequest) -> CreateConversationTokenResponse {
        self.0.create_conversation_token(request).await
    }

    async fn update_conversation(&self, request: UpdateConversationRequest) -> UpdateConversationResponse {
        self.0.update_conversation(request).await
    }

    async fn bulk_update_conversations(&self, request: BulkUpdateConversationsRequest) -> BulkUpdateConversationsResponse {
        self.0.bulk_update_conversations(request).await
    }
}

impl ConversationmessagesApi for Broken {
    async fn get_conversation_message_history(
        &self,
        request: GetConversationMessageHistoryRequest,
    ) -> GetConversationMessageHistoryResponse {
        self.0.get_conversation_message_history(request).await
    }
}

fn broken(checks: ResponseChecks) -> axum::Router {
    router_with_config(Broken(DeskExample::new(KEY)), Config { response_checks: checks, ..CONFIG })
}

const BAD_PATHS: [&str; 4] = [
    "response.conversations[0].filter_args.page",
    "response.conversations[0].filter_args.pageSize",
    "response.conversations[1].filter_args.page",
    "response.conversations[1].filter_args.pageSize",
];

#[test]
fn checks_are_on_in_debug_builds_and_off_in_release_builds() {
    let expected = if cfg!(debug_assertions) { ResponseChecks::Reject } else { ResponseChecks::Off };
    assert_eq!(Config::DEFAULT.response_checks, expected);
    assert_eq!(CONFIG.response_checks, expected);
}

#[tokio::test]
async fn reject_answers_500_listing_every_error_and_logs_them() {
    let (captured, _guard) = Captured::install();
    let (status, body) = call(broken(ResponseChecks::Reject), "GET", CONVERSATIONS, None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    // The desk's error body: every field with its messages.
    let errors = body["errors"].as_object().expect("the Validator body");
    let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(fields, BAD_PATHS, "{body}");
    assert_eq!(errors[BAD_PATHS[0]], json!(["must be at least 1"]));
    assert_eq!(errors[BAD_PATHS[1]], json!(["must be at most 100"]));
    let events = captured.events_named("the response breaks the spec");
    assert_eq!(events.len(), 1, "{events:#?}");
    let (event, span) = &events[0];
    assert_eq!(event.level, Level::ERROR);
    assert_eq!(event.fields["operation_id"], "listConversations");
    assert_eq!(event.fields["status"], "200");
    assert_eq!(event.fields["error_count"], "4");
    for path in BAD_PATHS {
        assert!(event.fields["errors"].contains(path), "{event:#?}");
    }
    let span = span.as_ref().unwrap();
    assert_eq!(field(span, "http.response.status_code"), "500");
    assert_eq!(field(span, "otel.status_code"), "ERROR");
    // The 500 itself is the server's own error, at ERROR too.
    assert_eq!(captured.events_named("server error").len(), 1);
}

#[tokio::test]
async fn log_sends_the_response_and_logs_every_error() {
    let (captured, _guard) = Captured::install();
    let (status, body) = call(broken(ResponseChecks::Log), "GET", CONVERSATIONS, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["conversations"][0]["filter_args"]["page"], 0);
    let events = captured.events_named("the response breaks the spec");
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0].0.fields["error_count"], "4");
    for path in BAD_PATHS {
        assert!(events[0].0.fields["errors"].contains(path));
    }
    assert!(captured.events_named("server error").is_empty());
}

#[tokio::test]
async fn off_sends_the_response_unchecked() {
    let (captured, _guard) = Captured::install();
    let (status, body) = call(broken(ResponseChecks::Off), "GET", CONVERSATIONS, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["conversations"][1]["filter_args"]["pageSize"], 500);
    assert!(captured.events_named("the response breaks the spec").is_empty());
}

#[tokio::test]
async fn valid_responses_and_the_servers_own_errors_pass_the_checks() {
    let (_captured, _installed) = Captured::install();
    let router = desk_server::router_with_config(DeskExample::new(KEY), Config { response_checks: ResponseChecks::Reject, ..CONFIG });
    let (status, _) = call(router.clone(), "GET", CONVERSATIONS, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(router.clone(), "POST", CONVERSATIONS, Some(json!({"ticket_id": 9}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = call(router, "GET", &format!("{CONVERSATIONS}?pageSize=0"), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_client_returns_every_error_of_a_response_that_breaks_the_spec() {
    let (_captured, _installed) = Captured::install();
    let base = serve(broken(ResponseChecks::Off)).await;
    let checking = Client::builder(&base).bearer_token(KEY).check_responses(true).build().unwrap();
    let err = checking.list_conversations(&ListConversationsParams::default()).await.unwrap_err();
    let Error::InvalidResponse { status, body, errors } = &err else { panic!("{err:?}") };
    assert_eq!(*status, 200);
    assert!(body.contains("\"page\":0"), "{body}");
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, BAD_PATHS);
    let keywords: Vec<&str> = errors.iter().map(|e| e.keyword).collect();
    assert_eq!(keywords, ["minimum", "maximum", "minimum", "maximum"]);
    assert!(err.to_string().contains("the response breaks the spec"), "{err}");
    // Without the option the body decodes as before.
    let trusting = Client::builder(&base).bearer_token(KEY).build().unwrap();
    let answer = trusting.list_conversations(&ListConversationsParams::default()).await.unwrap();
    assert!(matches!(answer, ClientList::Ok(_)));
}
