//! The desk validation crate on realistic payloads: every example passes, a request with many
//! faults reports all of them, and the errors become the spec's own 400 body (`Validator`).

use desk_validation::{self as dv, Direction};
use serde_json::{json, Value};

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/desk-v2.yaml");
    let text = std::fs::read_to_string(path).expect("spec is readable");
    serde_yaml::from_str(&text).expect("spec is YAML")
}

#[test]
fn every_envelope_example_is_a_valid_response() {
    let spec = spec();
    let schemas = &spec["components"]["schemas"];
    let checks: [(&str, DeskCheck); 5] = [
        ("ConversationAPIBody", dv::validate_conversation_api_body),
        ("ConversationsAPIBody", dv::validate_conversations_api_body),
        ("ConversationMessagesAPIBody", dv::validate_conversation_messages_api_body),
        ("BulkOpResponse", dv::validate_bulk_op_response),
        ("Validator", dv::validate_validator),
    ];
    for (name, check) in checks {
        let example = &schemas[name]["example"];
        assert!(example.is_object(), "{name} has an example");
        if let Err(errors) = check(example, Direction::Response) {
            panic!("{name} example: {errors}");
        }
    }
}

type DeskCheck = fn(&Value, Direction) -> Result<(), dv::ValidationErrors>;

#[test]
fn request_body_examples_are_valid_requests_and_build_typed_values() {
    let spec = spec();
    let create = &spec["paths"]["/desk/api/v2/conversations.json"]["post"]["requestBody"]["content"]["application/json"]["example"];
    assert!(create.is_object());
    let conversation = dv::parse_conversation(create.clone(), Direction::Request).unwrap_or_else(|e| panic!("{e}"));
    assert!(conversation.id.is_none(), "the create example sends no server-assigned id");
}

#[test]
fn a_request_with_many_faults_reports_all_of_them() {
    let body = json!({
        "id": "abc",
        "contactId": 1.5,
        "contact": {"value": 5, "isMain": "yes"},
        "messages": [{"id": 1, "type": "conversationmessages"}, {"id": "x"}],
        "state": "archived",
        "token": 123,
        "filter_args": {"page": 0, "pageSize": 101, "orderMode": "sideways"},
        "createdAt": "yesterday"
    });
    let errors = dv::validate_conversation(&body, Direction::Request).expect_err("faulty body");
    // Errors come in document order, which depends on serde_json's map type; compare as sets.
    let mut got: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.keyword)).collect();
    got.sort();
    let mut expected = vec![
            ("contact.isMain", "type"),
            ("contact.value", "type"),
            ("contactId", "type"),
            ("createdAt", "format"),
            ("filter_args.page", "minimum"),
            ("filter_args.pageSize", "maximum"),
            ("filter_args.orderMode", "enum"),
            ("id", "type"),
            ("messages[1].type", "required"),
            ("messages[1].id", "type"),
            ("state", "enum"),
            ("token", "type"),
        ];
    expected.sort();
    assert_eq!(got, expected);
}

#[test]
fn read_only_fields_in_requests_are_accepted_but_still_type_checked() {
    let ok = json!({"id": 5, "createdAt": "2024-12-19T16:02:17.198Z", "token": "t"});
    assert!(dv::validate_conversation(&ok, Direction::Request).is_ok());
}

#[test]
fn errors_convert_into_the_specs_validator_body() {
    let body = json!({"contact": {"value": 5}, "messages": [{"id": "x", "type": "conversationmessages"}], "state": 1});
    let errors = dv::validate_conversation(&body, Direction::Request).expect_err("faulty body");
    let validator: desk_types::Validator = errors.into();
    let as_json = serde_json::to_value(&validator).expect("serializes");
    assert_eq!(
        as_json,
        json!({"errors": {
            "contact.value": ["must be a string"],
            "messages[0].id": ["must be an integer"],
            "state": ["must be a string"]
        }})
    );
    // A body that is not an object is reported under `body`.
    let errors = dv::validate_conversation(&json!([1]), Direction::Request).expect_err("not an object");
    let validator: desk_types::Validator = errors.into();
    assert_eq!(validator.errors.get("body").map(Vec::as_slice), Some(&["must be an object".to_string()][..]));
}

#[test]
fn parse_reports_validation_errors_before_building() {
    let errors = dv::parse_conversation(json!({"state": "gone"}), Direction::Request).expect_err("bad state");
    assert_eq!(errors.iter().map(|e| e.keyword).collect::<Vec<_>>(), ["enum"]);
    let conversation = dv::parse_conversation(json!({"state": "deleted", "deletedAt": null}), Direction::Request).expect("valid");
    assert_eq!(conversation.state, Some(desk_types::State::Deleted));
    assert_eq!(conversation.deleted_at, Some(None), "explicit null kept apart from absent");
}
