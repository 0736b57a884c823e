//! Cargo features per tag (`spec/fixtures/tagged.yaml`): every item is compiled for exactly the
//! tags whose operations reach it, so a team that turns on one tag compiles its operations and
//! the types they use and nothing else. (`.ci/run` builds the fixture's client with one feature
//! at a time.)

use std::path::Path;

fn generated() -> codegen::GeneratedFiles {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("spec/fixtures/tagged.yaml")).expect("the fixture is readable");
    let settings = codegen::Settings {
        name: "tagged".into(),
        spec_label: "tagged.yaml".into(),
        command: "cargo xtask codegen".into(),
        runtime_path: "../codegen-runtime".into(),
        ..Default::default()
    };
    codegen::generate_str(&text, &settings).unwrap_or_else(|err| panic!("{err}"))
}

/// The `#[cfg(...)]` right before `needle`'s line (after its docs), if any.
fn gate_of(text: &str, needle: &str) -> Option<String> {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` is generated"));
    let line_start = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
    let before: Vec<&str> = text[..line_start].lines().rev().take_while(|line| line.trim_start().starts_with("#[")).collect();
    before.into_iter().find(|line| line.trim_start().starts_with("#[cfg(")).map(|line| line.trim().to_string())
}

#[test]
fn types_are_gated_by_the_tags_that_reach_them() {
    let files = generated();
    let types = &files["tagged-types/src/generated.rs"];
    assert_eq!(gate_of(types, "pub struct Pet {").as_deref(), Some(r#"#[cfg(feature = "pets")]"#));
    assert_eq!(gate_of(types, "pub struct Shift {").as_deref(), Some(r#"#[cfg(feature = "staff")]"#));
    // Reached by two tags through their own types.
    assert_eq!(gate_of(types, "pub struct Audit {").as_deref(), Some(r#"#[cfg(any(feature = "pets", feature = "stores"))]"#));
    // Every operation answers it.
    assert_eq!(
        gate_of(types, "pub struct Problem {").as_deref(),
        Some(r#"#[cfg(any(feature = "pets", feature = "stores", feature = "staff"))]"#)
    );
    // No operation reaches it: always compiled.
    assert_eq!(gate_of(types, "pub struct Unused {"), None);
}

#[test]
fn operations_and_checks_follow_their_tag() {
    let files = generated();
    let client = &files["tagged-client/src/generated.rs"];
    assert_eq!(gate_of(client, "pub async fn staff_op1(").as_deref(), Some(r#"#[cfg(feature = "staff")]"#));
    assert_eq!(gate_of(client, "pub enum PetsOp0Response {").as_deref(), Some(r#"#[cfg(feature = "pets")]"#));
    let operations = &files["tagged-validation/src/generated/operations.rs"];
    assert_eq!(gate_of(operations, "pub mod stores_op2 {").as_deref(), Some(r#"#[cfg(feature = "stores")]"#));
    let validation = &files["tagged-validation/src/generated.rs"];
    assert_eq!(gate_of(validation, "fn check_shift<'v>").as_deref(), Some(r#"#[cfg(feature = "staff")]"#));
}

#[test]
fn the_crates_turn_on_the_same_tag_in_what_they_use() {
    let files = generated();
    let client = &files["tagged-client/Cargo.toml"];
    assert!(client.contains(r#"default = ["pets", "stores", "staff"]"#), "{client}");
    assert!(client.contains(r#"pets = ["tagged-types/pets", "tagged-validation/pets"]"#), "{client}");
    assert!(client.contains(r#"tagged-types = { path = "../tagged-types", version = "1.0.0", default-features = false }"#), "{client}");
    // The server implements every operation: it takes the other crates with all their tags.
    let server = &files["tagged-server/Cargo.toml"];
    assert!(server.contains(r#"tagged-types = { path = "../tagged-types", version = "1.0.0" }"#), "{server}");
    assert!(!server.contains("[features]"), "{server}");
}

#[test]
fn small_specs_get_no_features() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("spec/desk-v2.yaml")).expect("the desk spec is readable");
    let settings = codegen::Settings {
        name: "desk".into(),
        spec_label: "desk.yaml".into(),
        command: "cargo xtask codegen".into(),
        runtime_path: "../codegen-runtime".into(),
        ..Default::default()
    };
    let files = codegen::generate_str(&text, &settings).unwrap_or_else(|err| panic!("{err}"));
    assert!(files.values().all(|text| !text.contains("#[cfg(feature")));
}

#[test]
fn checks_shared_by_operations_are_gated_by_every_tag_that_uses_them() {
    let files = generated();
    let operations = &files["tagged-validation/src/generated/operations.rs"];
    // The `id` path parameter of every operation: one function, for all three tags.
    assert_eq!(
        gate_of(operations, "pub fn id(").as_deref(),
        Some(r#"#[cfg(any(feature = "pets", feature = "stores", feature = "staff"))]"#)
    );
    assert_eq!(operations.matches("pub fn id(").count(), 1, "{operations}");
    // The request bodies of each tag are alike within the tag only: one function per tag.
    assert_eq!(gate_of(operations, "pub fn request_body(").as_deref(), Some(r#"#[cfg(feature = "pets")]"#));
    assert_eq!(gate_of(operations, "pub fn request_body_2(").as_deref(), Some(r#"#[cfg(feature = "stores")]"#));
    // Each operation's module still has its own names, which the server and client call.
    let stores_op = &operations[operations.find("pub mod stores_op1 {").expect("stores_op1 is generated")..];
    let stores_op = &stores_op[..stores_op.find("\n}").expect("the module ends")];
    assert!(stores_op.contains("pub use super::shared::id;"), "{stores_op}");
    assert!(stores_op.contains("pub use super::shared::request_body_2 as request_body;"), "{stores_op}");
}
