//! The `cargo xtask codegen` contract: a spec edit shows up in `--check` (and touches only the
//! files whose content it changes), and a bad spec writes nothing. Whether the committed crates
//! are current is `cargo xtask codegen --check` itself, which CI runs.

use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::fsgen;

fn root() -> PathBuf {
    xtask::project_root()
}

fn desk_spec() -> String {
    std::fs::read_to_string(root().join("spec/desk-v2.yaml")).expect("spec is readable")
}

#[test]
fn a_one_line_spec_edit_is_caught_and_touches_only_what_it_changes() {
    let original = desk_spec();
    let edited = original.replacen("Conversation represents a Conversation.", "Conversation represents a chat conversation.", 1);
    assert_ne!(original, edited, "the edit applies");
    let settings = xtask::desk_settings().expect("desk settings");
    let files = codegen::generate_str(&edited, &settings).expect("edited spec generates");
    let drifts = fsgen::compare(&root().join("crates"), &files, &codegen::crate_dirs(&settings));
    let changed: Vec<String> = drifts
        .iter()
        .map(|d| d.path().strip_prefix(root().join("crates")).unwrap_or(d.path()).display().to_string())
        .collect();
    assert_eq!(changed, vec!["desk-types/src/generated.rs".to_string()]);
    let diff = drifts[0].diff(&root());
    assert!(diff.contains("-/// Conversation represents a Conversation."), "{diff}");
    assert!(diff.contains("+/// Conversation represents a chat conversation."), "{diff}");
}

fn xtask_bin() -> &'static str {
    env!("CARGO_BIN_EXE_xtask")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = root().join("target").join("xtask-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_under(&path));
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_bad_spec_exits_non_zero_and_writes_nothing() {
    let dir = temp_dir("bad-spec");
    let spec = dir.join("bad.yaml");
    std::fs::write(&spec, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get: {responses: {'200': {description: ok}}}\n").unwrap();
    let out = dir.join("out");
    let output = Command::new(xtask_bin())
        .args(["codegen", "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(&out)
        .args(["--name", "bad"])
        .output()
        .expect("xtask runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.yaml: invalid spec at #/paths/~1a~1{id}/get: path parameter `{id}`"), "{stderr}");
    assert!(files_under(&out).is_empty(), "nothing written");
}

#[test]
fn standalone_generation_then_check_round_trip() {
    let dir = temp_dir("standalone");
    let spec = root().join("spec/fixtures/kitchen-sink.yaml");
    let out = dir.join("ws");
    let run = |extra: &[&str]| {
        Command::new(xtask_bin())
            .args(["codegen", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .args(["--name", "sink"])
            .args(extra)
            .output()
            .expect("xtask runs")
    };
    // Missing files: --check fails with a diff and writes nothing.
    let check = run(&["--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("+++ b/Cargo.toml"));
    assert!(files_under(&out).is_empty());
    // Generate, then --check passes; a second generation changes nothing.
    assert!(run(&[]).status.success());
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("members = [\"codegen-runtime\", \"sink-types\", \"sink-validation\", \"sink-server\", \"sink-client\"]"),
        "{manifest}"
    );
    // The runtime is a member: a copy of crates/codegen-runtime, its manifest unchanged.
    let runtime = std::fs::read_to_string(out.join("codegen-runtime/Cargo.toml")).unwrap();
    let original = std::fs::read_to_string(root().join("crates/codegen-runtime/Cargo.toml")).unwrap();
    assert!(runtime.ends_with(&original) && runtime.lines().next().is_some_and(|l| l.contains(fsgen::MARKER)), "{runtime}");
    let server = std::fs::read_to_string(out.join("sink-server/Cargo.toml")).unwrap();
    let runtime_dependency = format!(
        "codegen-runtime = {{ path = \"../codegen-runtime\", version = \"{}\", features = [\"server\"] }}",
        codegen::package::RUNTIME_VERSION
    );
    assert!(server.contains(&runtime_dependency), "{server}");
    assert!(run(&["--check"]).status.success());
    let again = run(&[]);
    assert!(String::from_utf8_lossy(&again.stdout).contains(", 0 changed"));
    // A hand edit is reported as a diff, in a generated crate and in the runtime alike.
    let lib = out.join("sink-types/src/lib.rs");
    std::fs::write(&lib, "// edited\n").unwrap();
    std::fs::write(out.join("codegen-runtime/src/style.rs"), "// edited runtime\n").unwrap();
    let check = run(&["--check"]);
    assert_eq!(check.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&check.stdout);
    assert!(diff.contains("-// edited\n"), "{diff}");
    assert!(diff.contains("-// edited runtime") && diff.contains("+++ b/codegen-runtime/src/style.rs"), "{diff}");
    // A generated file the runtime no longer has is stray, and removed.
    let stray = out.join("codegen-runtime/src/old.rs");
    std::fs::write(&stray, format!("// {} long ago\n", fsgen::MARKER)).unwrap();
    assert_eq!(run(&["--check"]).status.code(), Some(1));
    assert!(run(&[]).status.success());
    assert!(!stray.exists());
    assert!(run(&["--check"]).status.success());
}

#[test]
fn warnings_print_one_line_per_kind_unless_verbose() {
    let dir = temp_dir("warnings");
    let spec = dir.join("warn.yaml");
    let schemas: String = ["A", "B", "C", "D"].iter().map(|n| format!("    {n}: {{type: integer, exclusiveMinimum: 0}}\n")).collect();
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}    E: {{type: integer, maximum: 1, exclusiveMaximum: 5}}\n"
    );
    std::fs::write(&spec, text).unwrap();
    let run = |extra: &[&str]| {
        let output = Command::new(xtask_bin())
            .args(["codegen", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(dir.join("out"))
            .args(["--name", "warn"])
            .args(extra)
            .output()
            .expect("xtask runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let grouped = run(&[]);
    let lines: Vec<&str> = grouped.lines().collect();
    assert_eq!(lines.len(), 3, "{grouped}");
    assert!(lines[0].starts_with("warning: warn.yaml: 4 times: a numeric `exclusiveMinimum` is OpenAPI 3.1 syntax"), "{grouped}");
    assert!(
        lines[0].ends_with("; at #/components/schemas/A/exclusiveMinimum, #/components/schemas/B/exclusiveMinimum, #/components/schemas/C/exclusiveMinimum and 1 more"),
        "{grouped}"
    );
    assert!(lines[1].starts_with("warning: warn.yaml: at #/components/schemas/E/exclusiveMaximum: "), "{grouped}");
    assert_eq!(lines[2], "note: warn.yaml: 5 warnings of 2 kinds; --verbose lists each on its own line");

    let verbose = run(&["--verbose"]);
    let lines: Vec<&str> = verbose.lines().collect();
    assert_eq!(lines.len(), 5, "{verbose}");
    assert!(lines[3].starts_with("warning: warn.yaml: at #/components/schemas/D/exclusiveMinimum: a numeric"), "{verbose}");
}
