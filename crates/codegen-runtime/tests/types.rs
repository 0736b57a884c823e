//! The types crate's helpers: enum parse errors and optional nullable fields.

use codegen_runtime::types::{deserialize_some, parse_enum, ParseEnumError};

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Patch {
    #[serde(default, deserialize_with = "deserialize_some")]
    note: Option<Option<String>>,
}

#[test]
fn absent_null_and_a_value_stay_apart() {
    let read = |text: &str| serde_json::from_str::<Patch>(text).expect("a patch");
    assert_eq!(read("{}").note, None);
    assert_eq!(read(r#"{"note": null}"#).note, Some(None));
    assert_eq!(read(r#"{"note": "hi"}"#).note, Some(Some("hi".to_string())));
    assert!(serde_json::from_str::<Patch>(r#"{"note": 1}"#).is_err());
}

#[test]
fn parse_errors_name_the_value_and_the_enum() {
    let error = ParseEnumError::new("State", "paused".to_string());
    assert_eq!(error.to_string(), "`paused` is not a valid State");
    assert_eq!(error.clone(), error);
    let _: &dyn std::error::Error = &error;
}

#[derive(Debug, PartialEq, serde::Deserialize)]
enum State {
    #[serde(rename = "in progress")]
    InProgress,
    #[serde(rename = "done")]
    Done,
}

#[test]
fn enums_parse_by_their_wire_spelling_only() {
    assert_eq!(parse_enum::<State>("in progress", "State"), Ok(State::InProgress));
    assert_eq!(parse_enum::<State>("done", "State"), Ok(State::Done));
    for text in ["Done", "InProgress", "", " done", "done "] {
        let error = parse_enum::<State>(text, "State").expect_err(text);
        assert_eq!(error.to_string(), format!("`{text}` is not a valid State"));
    }
}
