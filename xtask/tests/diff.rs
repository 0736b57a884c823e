//! `cargo xtask diff`: exit codes (0 nothing breaks, 1 something breaks, 2 error), the Markdown
//! and `--json` outputs, on spec files written to a temporary directory (the `OLD_SPEC NEW_SPEC`
//! form), and the `--base GIT_REV` form against the repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = r#"openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        kind: {type: string, enum: [cat, dog]}
"#;

fn dir(name: &str) -> PathBuf {
    let dir = xtask::project_root().join("target").join("xtask-tests").join(format!("diff-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write spec");
    path
}

fn xtask(args: &[&str], files: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .args(args)
        .args(files)
        .current_dir(xtask::project_root())
        .output()
        .expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

#[test]
fn identical_specs_exit_0() {
    let dir = dir("same");
    let (old, new) = (write(&dir, "old.yaml", SPEC), write(&dir, "new.yaml", SPEC));
    let out = xtask(&[], &[&old, &new]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("No changes"), "{}", text(&out.stdout));
}

#[test]
fn a_compatible_change_exits_0() {
    let dir = dir("compatible");
    let edited = SPEC.replace("        name: {type: string}\n", "        name: {type: string}\n        age: {type: integer}\n");
    let (old, new) = (write(&dir, "old.yaml", SPEC), write(&dir, "Pet Store.v2.yaml", &edited));
    let out = xtask(&[], &[&old, &new]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let markdown = text(&out.stdout);
    assert!(markdown.contains("## Spec diff:"), "{markdown}");
    assert!(markdown.contains("`property_added`"), "{markdown}");
    // Without --name, the crates are named after the new spec's file.
    assert!(markdown.contains("`pet_store_v2_types::Pet::age`"), "{markdown}");
    // Not breaking for anyone, but a new field is still a major change of the types crate.
    assert!(markdown.contains("| `pet-store-v2-types` | major |"), "{markdown}");
}

#[test]
fn a_breaking_change_exits_1_and_json_has_the_verdicts() {
    let dir = dir("breaking");
    let edited = SPEC.replace("enum: [cat, dog]", "enum: [cat, dog, bird]");
    let (old, new) = (write(&dir, "old.yaml", SPEC), write(&dir, "new.yaml", &edited));
    let out = xtask(&["--json", "--name", "pets"], &[&old, &new]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let json = text(&out.stdout);
    let keys = [
        "\"old_spec\":",
        "\"new_spec\":",
        "\"breaking\": {",
        "\"clients\": true",
        "\"servers\": true",
        "\"name\": \"pets\"",
        "\"changes\": [",
        "\"kind\": \"enum_value_added\"",
        "\"old_pointer\": \"#/components/schemas/Pet/properties/kind/enum\"",
        "\"new_pointer\": \"#/components/schemas/Pet/properties/kind/enum/2\"",
        "\"rust_items\": [",
        "\"pets_types::PetKind::Bird\"",
        "\"used_in\": [",
        "\"client\": {",
        "\"wire\": true",
        "\"why\":",
        "\"bumps\": {",
        "\"crates\": [",
        "\"crate\": \"pets-types\"",
        "\"version\": {",
        "\"required\": \"2.0.0\"",
        "\"satisfied\": false",
    ];
    let mut at = 0;
    for key in keys {
        match json[at..].find(key) {
            Some(found) => at += found,
            None => panic!("`{key}` missing (or out of order) after byte {at}:\n{json}"),
        }
    }
    assert!(json.trim_start().starts_with('{') && json.trim_end().ends_with('}'));
}

#[test]
fn errors_exit_2_with_the_file_and_the_place() {
    let dir = dir("errors");
    let old = write(&dir, "old.yaml", SPEC);
    let dangling = write(&dir, "dangling.yaml", &SPEC.replace("schemas/Pet'}\n      responses", "schemas/Nope'}\n      responses"));
    let out = xtask(&[], &[&old, &dangling]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("dangling.yaml"), "{stderr}");
    assert!(stderr.contains("at #/paths/~1pets/post/requestBody/content/application~1json/schema"), "{stderr}");

    let syntax = write(&dir, "syntax.yaml", "openapi: 3.0.3\ninfo: [\n");
    let out = xtask(&[], &[&syntax, &old]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("syntax.yaml:"), "{stderr}");

    let out = xtask(&[], &[&dir.join("missing.yaml"), &old]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("missing.yaml: cannot read"), "{}", text(&out.stderr));

    let out = xtask(&["--base", "no-such-revision-anywhere"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no-such-revision-anywhere:spec/desk-v2.yaml"), "{}", text(&out.stderr));

    let out = xtask(&["--frobnicate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("usage: cargo xtask diff"));
}

#[test]
fn the_default_compares_head_with_the_working_tree() {
    // Whatever the working tree holds, the desk spec at HEAD loads, so the answer is 0 or 1.
    let out = xtask(&["--base", "HEAD"], &[]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("`HEAD:spec/desk-v2.yaml` → `spec/desk-v2.yaml`"), "{}", text(&out.stdout));
}
