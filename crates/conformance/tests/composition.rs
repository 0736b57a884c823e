//! Union composition end to end (`spec/fixtures/composition.yaml`): objects made of shared
//! properties and one (or any) of several shapes. Every example goes through the generated
//! validation, the types (and back to the same JSON), the server and the client; invalid
//! values get every error of both parts at once.

use composition_server as server;
use composition_types::{
    Cat, Click, Dog, Event, EventVariant, EventVariant0, HttpConfig, Key, Message, MessageBody, MessageBodyVariant1, Chunk,
    ChunkType, MessageRole, Payload, Pet, PetVariant, Sink, SinkHttp, SinkHttpType, SinkVariant,
};
use composition_validation as validation;
use serde_json::{json, Value};
use validation::Direction;

/// The fields named by a validation failure, sorted.
fn fields(errors: &validation::ValidationErrors) -> Vec<String> {
    let mut fields: Vec<String> = errors.iter().map(|error| error.field().to_string()).collect();
    fields.sort();
    fields
}

/// Parses a JSON value with one schema's generated `parse_*` and serializes the typed value back.
type ThroughTypes = fn(Value) -> Result<Value, validation::ValidationErrors>;

#[test]
fn examples_validate_parse_and_serialize_back() {
    let cases: Vec<(Value, ThroughTypes)> = vec![
        (
            json!({"name": "audit", "batchSize": 10, "type": "http", "config": {"url": "https://hooks.example.com/in", "timeoutSecs": 5}}),
            |v| validation::parse_sink(v, Direction::Request).map(|t| serde_json::to_value(t).expect("serializes")),
        ),
        (
            json!({"name": "poll", "type": "polling"}),
            |v| validation::parse_sink(v, Direction::Request).map(|t| serde_json::to_value(t).expect("serializes")),
        ),
        (
            json!({"name": "b", "type": "bucket", "config": {"bucket": "logs", "prefix": "a/"}, "disabled": true}),
            |v| validation::parse_sink(v, Direction::Request).map(|t| serde_json::to_value(t).expect("serializes")),
        ),
        (
            json!({"petType": "dog", "name": "Rex", "tags": ["good"], "barks": true}),
            |v| validation::parse_pet(v, Direction::Request).map(|t| serde_json::to_value(t).expect("serializes")),
        ),
        (
            json!({"petType": "cat", "name": "Tom", "livesLeft": 9}),
            |v| validation::parse_pet(v, Direction::Request).map(|t| serde_json::to_value(t).expect("serializes")),
        ),
        (
            json!({"role": "user", "name": "ann", "content": [{"type": "text", "text": "hello"}]}),
            |v| validation::parse_message(v, Direction::Request).map(|t| serde_json::to_value(t).expect("serializes")),
        ),
        (
            json!({"role": "assistant", "content": "hi"}),
            |v| validation::parse_message(v, Direction::Request).map(|t| serde_json::to_value(t).expect("serializes")),
        ),
        (
            json!({"at": "2026-01-02T03:04:05Z", "user": "ann", "kind": "click", "x": 3, "y": 4}),
            |v| validation::parse_event(v, Direction::Request).map(|t| serde_json::to_value(t).expect("serializes")),
        ),
        (
            json!({"at": "2026-01-02T03:04:05Z", "system": true, "kind": "key", "code": "Enter"}),
            |v| validation::parse_event(v, Direction::Request).map(|t| serde_json::to_value(t).expect("serializes")),
        ),
        (
            json!({"kind": "key", "code": "Enter"}),
            |v| validation::parse_payload(v, Direction::Request).map(|t| serde_json::to_value(t).expect("serializes")),
        ),
    ];
    for (value, parse) in cases {
        match parse(value.clone()) {
            Ok(back) => assert_eq!(back, value, "the value changed on its way through the types"),
            Err(errors) => panic!("{value} is valid, got {errors:?}"),
        }
    }
}

#[test]
fn the_typed_values_hold_both_parts() {
    let sink: Sink = serde_json::from_value(json!({
        "name": "audit", "type": "http", "config": {"url": "https://h.example/x"}
    }))
    .expect("a sink");
    assert_eq!(sink.name, "audit");
    assert_eq!(
        sink.variant,
        SinkVariant::Http(SinkHttp {
            type_: SinkHttpType::Http,
            config: HttpConfig { url: "https://h.example/x".into(), timeout_secs: None }
        })
    );
    // The discriminator is declared by the object and by its variants: the variants hold it.
    let pet: Pet = serde_json::from_value(json!({"petType": "cat", "name": "Tom", "livesLeft": 3})).expect("a pet");
    assert_eq!(pet.variant, PetVariant::Cat(Cat { pet_type: "cat".into(), lives_left: 3 }));
    assert_eq!(pet.name, "Tom");
    let message: Message = serde_json::from_value(json!({"role": "user", "content": [{"type": "text", "text": "hi"}]}))
        .expect("a message");
    assert_eq!(message.role, MessageRole::User);
    assert_eq!(
        message.message_body,
        MessageBody::MessageBodyVariant1(MessageBodyVariant1 { content: vec![Chunk { type_: ChunkType::Text, text: "hi".into() }] })
    );
    // Variants that do not declare the discriminator: the union reads it and writes it back.
    let event: Event = serde_json::from_value(json!({"at": "2026-01-02T03:04:05Z", "user": "u", "kind": "key", "code": "K"}))
        .expect("an event");
    assert_eq!(event.variant, EventVariant::EventVariant0(EventVariant0 { user: "u".into() }));
    assert_eq!(event.payload, Payload::Key(Key { code: "K".into() }));
    let written = serde_json::to_value(Payload::Click(Click { x: 1, y: 2 })).expect("serializes");
    assert_eq!(written, json!({"x": 1, "y": 2, "kind": "click"}));
    let dog = Pet { name: "Rex".into(), tags: None, variant: PetVariant::Dog(Dog { pet_type: "dog".into(), barks: None }) };
    assert_eq!(serde_json::to_value(dog).expect("serializes"), json!({"name": "Rex", "petType": "dog"}));
}

#[test]
fn validation_reports_the_errors_of_both_parts_at_once() {
    // The shared part (`name` too short, `batchSize` below its minimum) and the union (no
    // variant matches: `config` is missing for `http`).
    let errors = validation::validate_sink(&json!({"name": "", "batchSize": 0, "type": "http"}), Direction::Request)
        .expect_err("invalid");
    assert_eq!(fields(&errors), vec!["batchSize", "body", "name"], "{errors:?}");
    // A discriminated part reports inside the selected variant.
    let errors = validation::validate_pet(
        &json!({"petType": "cat", "name": "a name that is far too long", "livesLeft": 12}),
        Direction::Request,
    )
    .expect_err("invalid");
    assert_eq!(fields(&errors), vec!["livesLeft", "name"], "{errors:?}");
    let errors = validation::validate_pet(&json!({"petType": "cow", "name": "Bo"}), Direction::Request).expect_err("invalid");
    assert_eq!(fields(&errors), vec!["petType"], "{errors:?}");
    // allOf: the stamp, the anyOf and the discriminated payload each report.
    let errors = validation::validate_event(&json!({"at": "yesterday", "kind": "click", "x": "3"}), Direction::Request)
        .expect_err("invalid");
    assert_eq!(fields(&errors), vec!["at", "body", "x", "y"], "{errors:?}");
}

/// Echoes what it is given, so that a round trip through the server shows what it decoded.
#[derive(Clone, Default)]
struct Echo;

impl server::Api for Echo {
    async fn create_sink(&self, request: server::CreateSinkRequest) -> server::CreateSinkResponse {
        server::CreateSinkResponse::Created(request.body)
    }
    async fn create_pet(&self, request: server::CreatePetRequest) -> server::CreatePetResponse {
        server::CreatePetResponse::Created(request.body)
    }
    async fn send_message(&self, request: server::SendMessageRequest) -> server::SendMessageResponse {
        server::SendMessageResponse::Ok(request.body)
    }
    async fn record_event(&self, request: server::RecordEventRequest) -> server::RecordEventResponse {
        server::RecordEventResponse::Ok(request.body)
    }
}

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, server::router(Echo)).await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn the_client_and_server_carry_every_part() {
    use composition_client::{Client, CreatePetResponse, CreateSinkResponse, RecordEventResponse, SendMessageResponse};
    let client = Client::new(&serve().await);
    let sink: Sink = serde_json::from_value(json!({"name": "b", "type": "bucket", "config": {"bucket": "logs"}})).expect("sink");
    assert_eq!(client.create_sink(&sink).await.expect("sent"), CreateSinkResponse::Created(sink));
    let pet: Pet = serde_json::from_value(json!({"petType": "dog", "name": "Rex", "tags": ["good"], "barks": true})).expect("pet");
    assert_eq!(client.create_pet(&pet).await.expect("sent"), CreatePetResponse::Created(pet));
    let message: Message = serde_json::from_value(json!({"role": "assistant", "content": "hi"})).expect("message");
    assert_eq!(client.send_message(&message).await.expect("sent"), SendMessageResponse::Ok(message));
    let event: Event =
        serde_json::from_value(json!({"at": "2026-01-02T03:04:05Z", "system": true, "kind": "click", "x": 1, "y": 2}))
            .expect("event");
    assert_eq!(client.record_event(&event).await.expect("sent"), RecordEventResponse::Ok(event));
}

#[tokio::test]
async fn the_server_answers_400_naming_the_fields_of_both_parts() {
    use axum::body::Body;
    use axum::http::{header, Request};
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;
    let body = json!({"name": "", "type": "http", "config": {"url": "not a uri"}});
    let request = Request::post("/sinks")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let response = server::router(Echo).oneshot(request).await.expect("infallible");
    assert_eq!(response.status().as_u16(), 400);
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    let answer: Value = serde_json::from_slice(&bytes).expect("JSON");
    let mut errors: Vec<&String> = answer["errors"].as_object().expect("errors").keys().collect();
    errors.sort();
    assert_eq!(errors, vec!["body", "name"], "{answer}");
}
