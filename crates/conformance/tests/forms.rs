//! Form bodies (`application/x-www-form-urlencoded`) end to end. The Swagger 2.0 fixture's
//! `recordVisit` (`spec/fixtures/swagger2-petstore.yaml`): its `formData` parameters become a
//! typed body that the generated server decodes and validates like JSON, and that the
//! generated client encodes per each field's `collectionFormat`. The kitchen sink's `addNote`
//! (`spec/fixtures/kitchen-sink.yaml`): one schema sent as JSON or as a form whose `encoding`
//! makes one field pipe-delimited and another a deepObject.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt as _;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use swagger2_petstore_server as server;
use swagger2_petstore_types::RecordVisitRequest as Visit;
use tower::ServiceExt as _;

/// Records the visits it is given; no other operation is called by these tests.
#[derive(Clone, Default)]
struct Shelter {
    visits: Arc<Mutex<Vec<(i64, Visit)>>>,
}

fn not_called() -> ! {
    unreachable!("only recordVisit is called by the form tests")
}

impl server::PetsApi for Shelter {
    async fn list_pets(&self, _: server::ListPetsRequest) -> server::ListPetsResponse {
        not_called()
    }
    async fn add_pet(&self, _: server::AddPetRequest) -> server::AddPetResponse {
        not_called()
    }
    async fn get_pet(&self, _: server::GetPetRequest) -> server::GetPetResponse {
        not_called()
    }
    async fn replace_pet(&self, _: server::ReplacePetRequest) -> server::ReplacePetResponse {
        not_called()
    }
    async fn delete_pet(&self, _: server::DeletePetRequest) -> server::DeletePetResponse {
        not_called()
    }
    async fn upload_photo(&self, _: server::UploadPhotoRequest) -> server::UploadPhotoResponse {
        not_called()
    }
    async fn record_visit(&self, request: server::RecordVisitRequest) -> server::RecordVisitResponse {
        self.visits.lock().expect("lock").push((request.pet_id, request.body));
        server::RecordVisitResponse::NoContent
    }
    async fn check_vaccines(&self, _: server::CheckVaccinesRequest) -> server::CheckVaccinesResponse {
        not_called()
    }
}

impl server::DefaultApi for Shelter {
    async fn get_photo(&self, _: server::GetPhotoRequest) -> server::GetPhotoResponse {
        not_called()
    }
}

/// POSTs `body` with `content_type` to `/pets/7/visits`; returns the status and the JSON answer.
async fn post(shelter: &Shelter, content_type: &str, body: &str) -> (StatusCode, Value) {
    send(server::router(shelter.clone()), "/pets/7/visits", content_type, body).await
}

/// POSTs `body` with `content_type` to `path` with an API key; returns the status and the JSON
/// answer.
async fn send(router: axum::Router, path: &str, content_type: &str, body: &str) -> (StatusCode, Value) {
    let request = Request::post(path)
        .header("X-Api-Key", "key")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_string()))
        .expect("request");
    let response = router.oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    let json = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).expect("JSON error body") };
    (status, json)
}

/// (field, keyword) of every error in a 400 body.
fn errors(body: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = body["errors"]
        .as_array()
        .expect("an errors list")
        .iter()
        .map(|e| (e["field"].as_str().unwrap_or_default().to_string(), e["keyword"].as_str().unwrap_or_default().to_string()))
        .collect();
    found.sort();
    found
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn server_decodes_every_field_per_its_type_and_collection_format() {
    let shelter = Shelter::default();
    let (status, _) = post(&shelter, FORM, "vet=Dr+Ada%20L.&weightKg=4.5&treatments=rabies,worming&followUp=true").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let visits = shelter.visits.lock().expect("lock").clone();
    let expected = Visit {
        vet: "Dr Ada L.".into(),
        weight_kg: Some(4.5),
        treatments: Some(vec!["rabies".into(), "worming".into()]),
        follow_up: Some(true),
    };
    assert_eq!(visits, vec![(7, expected)]);
}

#[tokio::test]
async fn optional_fields_may_be_left_out_and_the_content_type_may_have_parameters() {
    let shelter = Shelter::default();
    let (status, _) = post(&shelter, "application/x-www-form-urlencoded; charset=utf-8", "vet=Bo").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let visits = shelter.visits.lock().expect("lock").clone();
    assert_eq!(visits, vec![(7, Visit { vet: "Bo".into(), weight_kg: None, treatments: None, follow_up: None })]);
}

#[tokio::test]
async fn every_bad_field_is_named_in_one_400() {
    let shelter = Shelter::default();
    let (status, body) = post(&shelter, FORM, "weightKg=-1&followUp=maybe&treatments=a,b,c,d,e,f&color=red").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let expected = [
        ("color", "additionalProperties"),
        ("followUp", "type"),
        ("treatments", "maxItems"),
        ("vet", "required"),
        ("weightKg", "minimum"),
    ];
    let got = errors(&body);
    let expected: Vec<(String, String)> = expected.iter().map(|(f, k)| (f.to_string(), k.to_string())).collect();
    assert_eq!(got, expected, "{body}");
    assert!(shelter.visits.lock().expect("lock").is_empty(), "nothing reaches the implementation");
}

#[tokio::test]
async fn a_field_sent_twice_is_refused_not_half_read() {
    let shelter = Shelter::default();
    let (status, body) = post(&shelter, FORM, "vet=a&vet=b").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(errors(&body), vec![("vet".to_string(), "parameter".to_string())], "{body}");
}

#[tokio::test]
async fn an_empty_form_is_a_form_without_fields() {
    let shelter = Shelter::default();
    let (status, body) = post(&shelter, FORM, "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(errors(&body), vec![("vet".to_string(), "required".to_string())], "{body}");
}

#[tokio::test]
async fn json_is_refused_where_the_spec_only_consumes_forms() {
    let shelter = Shelter::default();
    let (status, body) = post(&shelter, "application/json", r#"{"vet":"Bo"}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(errors(&body), vec![("body".to_string(), "contentType".to_string())], "{body}");
    assert!(body.to_string().contains(FORM), "{body}");
}

/// Serves the router on an ephemeral loopback port; returns its base URL.
async fn serve(shelter: Shelter) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, server::router(shelter)).await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn the_client_sends_what_the_server_decodes() {
    use swagger2_petstore_client::{Client, RecordVisitResponse};
    let shelter = Shelter::default();
    let base = serve(shelter.clone()).await;
    let client = Client::builder(&base).header("X-Api-Key", "key").build().expect("client");
    let visit = Visit {
        vet: "Dr Ada & co, vets".into(),
        weight_kg: Some(0.25),
        treatments: Some(vec!["rabies".into(), "nail clip".into()]),
        follow_up: Some(false),
    };
    let answer = client.record_visit(7, &visit).await.expect("recorded");
    assert_eq!(answer, RecordVisitResponse::NoContent);
    let minimal = Visit { vet: "Bo".into(), weight_kg: None, treatments: None, follow_up: None };
    client.record_visit(8, &minimal).await.expect("recorded");
    let visits = shelter.visits.lock().expect("lock").clone();
    assert_eq!(visits, vec![(7, visit), (8, minimal)]);
}

#[tokio::test]
async fn the_client_checks_a_form_before_sending_it() {
    use swagger2_petstore_client::{Client, Error};
    let shelter = Shelter::default();
    let base = serve(shelter.clone()).await;
    let client = Client::builder(&base).header("X-Api-Key", "key").validate_requests(true).build().expect("client");
    let visit = Visit { vet: "Bo".into(), weight_kg: Some(-2.0), treatments: None, follow_up: None };
    match client.record_visit(7, &visit).await {
        Err(Error::Validation(errors)) => {
            let fields: Vec<String> = errors.iter().map(|e| e.path.clone()).collect();
            assert_eq!(fields, vec!["weightKg".to_string()]);
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(shelter.visits.lock().expect("lock").is_empty(), "nothing was sent");
}

mod kitchen_sink {
    use super::{errors, send, FORM};
    use axum::http::StatusCode;
    use kitchen_sink_server as server;
    use kitchen_sink_types::{Note, NoteWhere};
    use std::sync::{Arc, Mutex};

    /// Records the notes it is given; no other operation is called by these tests.
    #[derive(Clone, Default)]
    struct Pets {
        notes: Arc<Mutex<Vec<(i64, Note)>>>,
    }

    impl server::PetsApi for Pets {
        async fn list_pets(&self, _: server::ListPetsRequest) -> server::ListPetsResponse {
            super::not_called()
        }
        async fn create_pet(&self, _: server::CreatePetRequest) -> server::CreatePetResponse {
            super::not_called()
        }
        async fn get_pet(&self, _: server::GetPetRequest) -> server::GetPetResponse {
            super::not_called()
        }
        async fn add_note(&self, request: server::AddNoteRequest) -> server::AddNoteResponse {
            self.notes.lock().expect("lock").push((request.pet_id, request.body));
            server::AddNoteResponse::NoContent
        }
    }

    fn full_note() -> Note {
        Note {
            text: "hid under the bed".into(),
            stars: Some(4),
            urgent: Some(true),
            labels: Some(vec!["shy".into(), "indoor cat".into()]),
            where_: Some(NoteWhere { room: Some("attic".into()), shelf: Some(3) }),
        }
    }

    #[tokio::test]
    async fn a_form_and_json_give_the_same_note() {
        let pets = Pets::default();
        let form = "text=hid+under+the+bed&stars=4&urgent=true&labels=shy|indoor%20cat&where%5Broom%5D=attic&where[shelf]=3";
        let (status, body) = send(server::router(pets.clone()), "/pets/5/notes", FORM, form).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let json = r#"{"text":"hid under the bed","stars":4,"urgent":true,"labels":["shy","indoor cat"],"where":{"room":"attic","shelf":3}}"#;
        let (status, body) = send(server::router(pets.clone()), "/pets/6/notes", "application/json", json).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let notes = pets.notes.lock().expect("lock").clone();
        assert_eq!(notes, vec![(5, full_note()), (6, full_note())]);
    }

    #[tokio::test]
    async fn form_errors_name_nested_fields() {
        let pets = Pets::default();
        let form = "stars=9&urgent=yes&where[shelf]=top&where[room]=attic";
        let (status, body) = send(server::router(pets.clone()), "/pets/5/notes", FORM, form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let expected = [("stars", "maximum"), ("text", "required"), ("urgent", "type"), ("where.shelf", "type")];
        let expected: Vec<(String, String)> = expected.iter().map(|(f, k)| (f.to_string(), k.to_string())).collect();
        assert_eq!(errors(&body), expected, "{body}");
        assert!(pets.notes.lock().expect("lock").is_empty());
    }

    #[tokio::test]
    async fn other_content_types_are_refused_naming_both_accepted_ones() {
        let (status, body) = send(server::router(Pets::default()), "/pets/5/notes", "text/plain", "text=hi").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(errors(&body), vec![("body".to_string(), "contentType".to_string())]);
        let message = body.to_string();
        assert!(message.contains(FORM) && message.contains("application/json"), "{message}");
    }
}
