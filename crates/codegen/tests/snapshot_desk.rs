//! Snapshots of every file generated for the desk spec, in `snapshots/desk/`.
//!
//! A spec author reviews these with `cargo insta review` (or `git diff snapshots/`) to see what
//! a spec change does to the generated crates.

use std::path::Path;

#[test]
fn desk_generated_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("spec/desk-v2.yaml")).expect("spec/desk-v2.yaml is readable");
    // The desk's settings file, as `cargo xtask codegen` reads it.
    let toml = std::fs::read_to_string(root.join("spec/codegen.toml")).expect("spec/codegen.toml is readable");
    let file = codegen::settings::parse(&toml, "spec/codegen.toml").unwrap_or_else(|err| panic!("{err}"));
    let settings = codegen::Settings {
        name: file.name.map(|name| name.value).unwrap_or_default(),
        spec_label: "spec/desk-v2.yaml".into(),
        command: "cargo xtask codegen".into(),
        runtime_path: format!("../{}", file.runtime.map(|runtime| runtime.value).unwrap_or_default()),
        options: file.options,
    };
    let files = codegen::generate_str(&text, &settings).unwrap_or_else(|err| panic!("desk spec generates: {err}"));
    assert!(files.contains_key("desk-types/src/generated.rs"));
    let mut insta_settings = insta::Settings::clone_current();
    insta_settings.set_snapshot_path(root.join("snapshots/desk"));
    insta_settings.set_prepend_module_to_snapshot(false);
    insta_settings.set_input_file(root.join("spec/desk-v2.yaml"));
    insta_settings.bind(|| {
        for (path, text) in &files {
            insta::assert_snapshot!(path.replace('/', "__"), text);
        }
    });
    let expected: Vec<String> = files.keys().map(|path| format!("{}.snap", path.replace('/', "__"))).collect();
    assert_no_orphans(&root.join("snapshots/desk"), &expected);
}

/// A snapshot whose file is no longer generated would never be reviewed again: refuse it.
fn assert_no_orphans(dir: &Path, expected: &[String]) {
    let mut orphans: Vec<String> = std::fs::read_dir(dir)
        .expect("snapshot dir exists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.ends_with(".snap") && !expected.contains(name))
        .collect();
    orphans.sort();
    assert!(orphans.is_empty(), "orphaned snapshots (delete them): {orphans:?}");
}
