//! The types crate's helpers: enum parse errors and optional nullable fields.

use codegen_runtime::types::{deserialize_some, ParseEnumError};

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
