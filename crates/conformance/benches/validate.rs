//! Our generated validation against `jsonschema`, on the same `Conversation` request documents.
//!
//! Three documents: the spec's own create-conversation request example (small), a full
//! realistic conversation (every property, nested contact, several relationships in `messages`
//! and `users`, `filter_args`), and that full conversation with several faults. Each is checked
//! by:
//! * `ours`: `desk_validation::validate_conversation(.., Direction::Request)`, which always
//!   collects every error (with its rendered path, pointer and message);
//! * `jsonschema_is_valid`: the verdict only (`Validator::is_valid`, stops at the first fault);
//! * `jsonschema_all_errors`: every error (`Validator::iter_errors(..).count()`), the like-for-like
//!   comparison with ours.
//!
//! The `jsonschema` validator is built once, from the library's independent conversion of the
//! spec (draft 4, formats checked), exactly as in the differential test. Before anything is timed,
//! both sides must agree on every verdict (and find several errors in the faulty document), so a
//! broken path cannot be measured by mistake.
//!
//! Run: `cargo bench -p conformance --bench validate -- --warm-up-time 1 --measurement-time 3`.

use conformance::{judge, Direction, OpenApiDoc};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};

/// A full, valid `Conversation` as a client could send it back (every property, including the
/// read-only ones a request may carry).
fn full_conversation() -> Value {
    let relationship = |id: u64, kind: &str| json!({"id": id, "type": kind});
    json!({
        "contact": {
            "createdAt": "2024-12-19T16:02:17.198Z",
            "createdBy": relationship(2, "users"),
            "deletedAt": null,
            "deletedBy": null,
            "id": 311,
            "isMain": true,
            "state": "active",
            "type": "email",
            "updatedAt": "2024-12-19T16:02:17.198Z",
            "updatedBy": relationship(2, "users"),
            "value": "jane.doe@example.com"
        },
        "contactId": 311,
        "createdAt": "2024-12-19T16:02:17.198Z",
        "createdBy": relationship(2, "users"),
        "deletedAt": null,
        "deletedBy": null,
        "filter_args": {
            "page": 1,
            "pageSize": 20,
            "orderBy": "createdAt",
            "orderMode": "desc"
        },
        "id": 1024,
        "messages": [
            relationship(5001, "conversationmessages"),
            relationship(5002, "conversationmessages"),
            {"id": 5003, "type": "conversationmessages", "meta": {"read": true, "channel": "chat"}},
            relationship(5004, "conversationmessages"),
            {"id": 5005, "type": "conversationmessages", "delete": false}
        ],
        "socket_id": "123456.7891011",
        "state": "active",
        "ticket_id": 88231,
        "token": "c0a8e5f2-4b1d-4e8a-9f3c-2d7b6a1e9c40",
        "updatedAt": "2024-12-19T16:05:42.031Z",
        "updatedBy": relationship(2, "users"),
        "users": [
            relationship(2, "users"),
            {"id": 7, "type": "users", "meta": {"role": "observer"}},
            {"id": 9, "type": "users", "delete": true}
        ]
    })
}

/// The full conversation with several faults, each one a separate error.
fn faulty_conversation() -> Value {
    let mut doc = full_conversation();
    doc["contactId"] = json!("311"); // wrong type
    doc["state"] = json!("archived"); // not in the enum
    doc["createdAt"] = json!("2024-12-19 16:02:17Z"); // not an RFC 3339 date-time
    doc["filter_args"]["page"] = json!(0); // below minimum 1
    doc["users"][1]
        .as_object_mut()
        .expect("a relationship")
        .remove("type"); // missing required `type`
    doc["messages"][3]["id"] = json!(12.5); // not an integer
    doc["contact"]["isMain"] = json!("yes"); // wrong type, nested
    doc
}

fn ours(doc: &Value) -> Result<(), desk_validation::ValidationErrors> {
    desk_validation::validate_conversation(doc, desk_validation::Direction::Request)
}

fn bench(c: &mut Criterion) {
    let spec = OpenApiDoc::load("desk-v2.yaml");
    let example = spec.document()["paths"]["/desk/api/v2/conversations.json"]["post"]
        ["requestBody"]["content"]["application/json"]["example"]
        .clone();
    assert!(
        example.is_object(),
        "the spec has the create request example"
    );
    let validator = judge(&spec.json_schema("Conversation", Direction::Request));

    let documents = [
        ("example", example, true),
        ("full_valid", full_conversation(), true),
        ("full_invalid", faulty_conversation(), false),
    ];

    // Both sides must give the expected verdict before anything is timed.
    for (name, doc, valid) in &documents {
        let mine = ours(doc);
        let theirs: Vec<String> = validator
            .iter_errors(doc)
            .map(|e| format!("{e} at `{}`", e.instance_path))
            .collect();
        assert_eq!(mine.is_ok(), *valid, "ours on {name}: {mine:?}");
        assert_eq!(validator.is_valid(doc), *valid, "jsonschema on {name}");
        assert_eq!(
            theirs.is_empty(),
            *valid,
            "jsonschema on {name}: {theirs:?}"
        );
        if !valid {
            let mine = mine.expect_err("invalid");
            // Every fault found, by both.
            assert!(mine.0.len() >= 7, "ours finds every fault: {mine}");
            assert!(
                theirs.len() >= 7,
                "jsonschema finds every fault: {theirs:?}"
            );
            eprintln!(
                "{name}: ours reports {} errors, jsonschema {}",
                mine.0.len(),
                theirs.len()
            );
        }
    }

    for (name, doc, _) in &documents {
        let mut group = c.benchmark_group(format!("conversation_request/{name}"));
        group.bench_function("ours", |b| b.iter(|| ours(black_box(doc))));
        group.bench_function("jsonschema_is_valid", |b| {
            b.iter(|| validator.is_valid(black_box(doc)))
        });
        group.bench_function("jsonschema_all_errors", |b| {
            b.iter(|| validator.iter_errors(black_box(doc)).count())
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
