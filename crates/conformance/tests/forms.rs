//! Form bodies (`application/x-www-form-urlencoded` and `multipart/form-data`) end to end. The
//! Swagger 2.0 fixture's
//! `recordVisit` (`spec/fixtures/swagger2-petstore.yaml`): its `formData` parameters become a
//! typed body that the generated server decodes and validates like JSON, and that the
//! generated client encodes per each field's `collectionFormat`. The kitchen sink's `addNote`
//! (`spec/fixtures/kitchen-sink.yaml`): one schema sent as JSON or as a form whose `encoding`
//! makes one field pipe-delimited and another a deepObject. The Swagger 2.0 fixture's
//! `uploadPhoto`: a multipart form with a file, read into its parts and checked against the
//! schema of its `formData` fields.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt as _;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use swagger2_petstore_server as server;
use swagger2_petstore_types::RecordVisitRequest as Visit;
use tower::ServiceExt as _;

/// Records the visits and uploads it is given; no other operation is called by these tests.
#[derive(Clone, Default)]
struct Shelter {
    visits: Arc<Mutex<Vec<(i64, Visit)>>>,
    uploads: Arc<Mutex<Vec<(i64, server::Multipart)>>>,
}

fn not_called() -> ! {
    unreachable!("only recordVisit and uploadPhoto are called by the form tests")
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
    async fn upload_photo(&self, request: server::UploadPhotoRequest) -> server::UploadPhotoResponse {
        let caption = request.body.text("caption").map(str::to_string);
        let labels: Vec<String> = request.body.parts_named("labels").filter_map(|p| p.text()).map(str::to_string).collect();
        self.uploads.lock().expect("lock").push((request.pet_id, request.body));
        let photo = swagger2_petstore_types::Photo { id: 1, url: "/photos/1".into(), caption: Some(caption), labels: Some(labels) };
        server::UploadPhotoResponse::Created(photo)
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

mod multipart {
    use super::{errors, send, Shelter};
    use axum::http::StatusCode;
    use swagger2_petstore_server as server;

    const BOUNDARY: &str = "XyZ-boundary";

    fn content_type() -> String {
        format!("multipart/form-data; boundary=\"{BOUNDARY}\"")
    }

    /// A multipart body of (name, file name, bytes) parts, as a browser writes it.
    fn body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut out = b"preamble to ignore\r\n".to_vec();
        for (name, file, data) in parts {
            out.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
            if let Some(file) = file {
                out.extend_from_slice(format!("; filename=\"{file}\"\r\nContent-Type: image/png").as_bytes());
            }
            out.extend_from_slice(b"\r\n\r\n");
            out.extend_from_slice(data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        out
    }

    async fn upload(shelter: &Shelter, content_type: &str, body: Vec<u8>) -> (StatusCode, serde_json::Value) {
        let text = String::from_utf8_lossy(&body).into_owned();
        // `send` takes text; these bodies are built from UTF-8 and one binary file checked
        // separately below.
        send(server::router(shelter.clone()), "/pets/3/photos", content_type, &text).await
    }

    #[tokio::test]
    async fn the_server_reads_every_part_and_keeps_file_bytes() {
        let shelter = Shelter::default();
        // Bytes that are not UTF-8 and contain CRLF and dashes, as images do.
        let png: &[u8] = b"\x89PNG\r\n\x1a\n--not-the-boundary\r\n\xff\x00";
        let parts: &[(&str, Option<&str>, &[u8])] = &[
            ("photo", Some("tom; the \\\"cat\\\".png"), png),
            ("caption", None, "Tom on the sofa".as_bytes()),
            ("labels", None, b"sofa"),
            ("labels", None, b"sleepy"),
        ];
        let request = axum::http::Request::post("/pets/3/photos")
            .header("X-Api-Key", "key")
            .header(axum::http::header::CONTENT_TYPE, content_type())
            .body(axum::body::Body::from(body(parts)))
            .expect("request");
        use tower::ServiceExt as _;
        let response = server::router(shelter.clone()).oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::CREATED);
        let uploads = shelter.uploads.lock().expect("lock").clone();
        let [(3, body)] = uploads.as_slice() else { panic!("one upload for pet 3: {uploads:?}") };
        let names: Vec<&str> = body.parts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["photo", "caption", "labels", "labels"]);
        let photo = body.part("photo").expect("photo part");
        assert_eq!(&photo.data[..], png);
        assert_eq!(photo.file_name.as_deref(), Some("tom; the \"cat\".png"));
        assert_eq!(photo.content_type.as_deref(), Some("image/png"));
        assert_eq!(body.text("caption"), Some("Tom on the sofa"));
    }

    #[tokio::test]
    async fn every_bad_part_is_named_in_one_400() {
        let shelter = Shelter::default();
        let long = "x".repeat(201);
        let parts: &[(&str, Option<&str>, &[u8])] = &[("caption", None, long.as_bytes()), ("colour", None, b"red")];
        let (status, body) = upload(&shelter, &content_type(), body(parts)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let expected = [("caption", "maxLength"), ("colour", "additionalProperties"), ("photo", "required")];
        let expected: Vec<(String, String)> = expected.iter().map(|(f, k)| (f.to_string(), k.to_string())).collect();
        assert_eq!(errors(&body), expected, "{body}");
        assert!(shelter.uploads.lock().expect("lock").is_empty());
    }

    #[tokio::test]
    async fn malformed_multipart_is_a_400_not_a_crash() {
        let shelter = Shelter::default();
        let cases: Vec<(String, Vec<u8>, &str)> = vec![
            ("multipart/form-data".to_string(), body(&[("photo", Some("a.png"), b"x")]), "contentType"),
            (content_type(), b"no boundary anywhere".to_vec(), "multipart"),
            (content_type(), format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photo\"\r\n\r\nunterminated").into_bytes(), "multipart"),
            (content_type(), format!("--{BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nx\r\n--{BOUNDARY}--").into_bytes(), "multipart"),
            (content_type(), format!("--{BOUNDARY}\r\nno colon\r\n\r\nx\r\n--{BOUNDARY}--").into_bytes(), "multipart"),
            ("application/json".to_string(), b"{}".to_vec(), "contentType"),
        ];
        for (content_type, bytes, keyword) in cases {
            let (status, body) = upload(&shelter, &content_type, bytes).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{content_type}: {body}");
            assert_eq!(errors(&body), vec![("body".to_string(), keyword.to_string())], "{content_type}: {body}");
        }
        assert!(shelter.uploads.lock().expect("lock").is_empty());
    }

    /// Every prefix of a valid body, and the body with each byte replaced by a delimiter-ish
    /// byte, gets a 201 or a 400: the parser never panics or reads out of bounds.
    #[tokio::test]
    async fn truncated_and_mangled_bodies_are_answered() {
        let shelter = Shelter::default();
        let valid = body(&[("photo", Some("a.png"), b"\x89PNG\r\n"), ("caption", None, b"hi"), ("labels", None, b"x")]);
        let mut bodies: Vec<Vec<u8>> = (0..valid.len()).map(|end| valid[..end].to_vec()).collect();
        for (index, byte) in [b'-', b'\r', b'\n', b'"', b';', b':', 0xff].iter().cycle().take(valid.len()).enumerate() {
            let mut mangled = valid.clone();
            mangled[index] = *byte;
            bodies.push(mangled);
        }
        let mut answered = [0usize; 2];
        for bytes in bodies {
            let request = axum::http::Request::post("/pets/3/photos")
                .header("X-Api-Key", "key")
                .header(axum::http::header::CONTENT_TYPE, content_type())
                .body(axum::body::Body::from(bytes.clone()))
                .expect("request");
            use tower::ServiceExt as _;
            let status = server::router(shelter.clone()).oneshot(request).await.expect("infallible").status();
            match status {
                StatusCode::CREATED => answered[0] += 1,
                StatusCode::BAD_REQUEST => answered[1] += 1,
                other => panic!("{other} for {:?}", String::from_utf8_lossy(&bytes)),
            }
        }
        assert!(answered[0] > 0 && answered[1] > 0, "{answered:?}");
    }

    #[tokio::test]
    async fn the_client_sends_files_the_server_reads_back() {
        use swagger2_petstore_client::{Client, Multipart, UploadPhotoResponse};
        let shelter = Shelter::default();
        let base = super::serve(shelter.clone()).await;
        let client = Client::builder(&base).header("X-Api-Key", "key").build().expect("client");
        // The file contains the boundary the client would pick first; it must pick another.
        let file = b"\x00\xffopenapi-form-boundary-00000000\r\n--".to_vec();
        let form = Multipart::new()
            .file("photo", "C:\\pets\\a \"b\".png", "image/png", file.clone())
            .text("caption", "Tom")
            .text("labels", "a")
            .text("labels", "b");
        let answer = client.upload_photo(3, &form).await.expect("uploaded");
        let UploadPhotoResponse::Created(photo) = answer;
        assert_eq!(photo.caption, Some(Some("Tom".to_string())));
        assert_eq!(photo.labels, Some(vec!["a".to_string(), "b".to_string()]));
        let uploads = shelter.uploads.lock().expect("lock").clone();
        let [(3, body)] = uploads.as_slice() else { panic!("one upload: {uploads:?}") };
        let photo = body.part("photo").expect("photo");
        assert_eq!(&photo.data[..], &file[..]);
        assert_eq!(photo.file_name.as_deref(), Some("C:\\pets\\a \"b\".png"), "the file name arrives as written");
    }
}

mod kitchen_sink {
    use super::{errors, send, FORM};
    use axum::http::StatusCode;
    use kitchen_sink_server as server;
    use kitchen_sink_types::{Note, NoteMood, NoteScoresItem, NoteWhere};
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
            mood: None,
            aliases: None,
            scores: None,
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
    async fn union_fields_and_object_items_are_read_as_json() {
        let pets = Pets::default();
        let form = "text=a&mood=7&scores=%7B%22judge%22%3A%22Ann%22%2C%22points%22%3A9%7D&scores=%7B%22judge%22%3A%22Bo%22%7D";
        let (status, body) = send(server::router(pets.clone()), "/pets/5/notes", FORM, form).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let (status, body) = send(server::router(pets.clone()), "/pets/6/notes", FORM, "text=b&mood=true").await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let notes = pets.notes.lock().expect("lock").clone();
        let scores = vec![
            NoteScoresItem { judge: "Ann".into(), points: Some(9) },
            NoteScoresItem { judge: "Bo".into(), points: None },
        ];
        assert_eq!(notes[0].1.mood, Some(NoteMood::Integer(7)));
        assert_eq!(notes[0].1.scores, Some(scores));
        assert_eq!(notes[1].1.mood, Some(NoteMood::Boolean(true)));
        // Text that is neither still gets the schema's own error, on the field.
        let (status, body) = send(server::router(pets.clone()), "/pets/7/notes", FORM, "text=c&mood=maybe&scores=%7B%7D").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let expected = [("mood", "oneOf"), ("scores[0].judge", "required")];
        let expected: Vec<(String, String)> = expected.iter().map(|(f, k)| (f.to_string(), k.to_string())).collect();
        assert_eq!(errors(&body), expected, "{body}");
    }

    #[tokio::test]
    async fn a_deep_object_array_is_read_from_bracketed_keys() {
        let pets = Pets::default();
        let form = "text=a&aliases%5B%5D=Tom&aliases[3]=Tommy&aliases=T";
        let (status, body) = send(server::router(pets.clone()), "/pets/5/notes", FORM, form).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let notes = pets.notes.lock().expect("lock").clone();
        assert_eq!(notes[0].1.aliases, Some(vec!["Tom".to_string(), "Tommy".to_string(), "T".to_string()]));
    }

    #[tokio::test]
    async fn a_field_that_cannot_be_read_does_not_hide_the_others() {
        let pets = Pets::default();
        // `text` twice cannot be read; `stars` breaks its maximum; `where` without brackets is
        // not how a deepObject is sent, so it is not dropped but judged as a value.
        let (status, body) = send(server::router(pets.clone()), "/pets/5/notes", FORM, "text=a&text=b&stars=9&where=attic").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let expected = [("stars", "maximum"), ("text", "parameter"), ("where", "type")];
        let expected: Vec<(String, String)> = expected.iter().map(|(f, k)| (f.to_string(), k.to_string())).collect();
        assert_eq!(errors(&body), expected, "{body}");
    }

    /// A pattern of an operation's own parameter (not of a component schema) is checked: its
    /// regex is a static of the validation crate's operations file.
    #[tokio::test]
    async fn an_inline_parameter_pattern_is_checked() {
        use super::{Body, Request};
        use http_body_util::BodyExt as _;
        use tower::ServiceExt as _;
        let request = Request::get("/pets?tags=cat,Big%20Dog,dog").header("X-Api-Key", "key").body(Body::empty()).expect("request");
        let response = server::router(Pets::default()).oneshot(request).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON error body");
        assert_eq!(errors(&body), vec![("tags[1]".to_string(), "pattern".to_string())], "{body}");
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
