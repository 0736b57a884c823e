//! Snapshots of every file generated for each fixture spec in `spec/fixtures/`, in
//! `snapshots/fixtures/`. The fixtures are compiled (with clippy and rustdoc, warnings denied)
//! and their examples round-tripped by `cargo xtask corpus spec/fixtures --test` in `.ci/run`.

use std::path::Path;

#[test]
fn fixture_generated_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut specs: Vec<_> = std::fs::read_dir(root.join("spec/fixtures"))
        .expect("spec/fixtures exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    assert!(!specs.is_empty());
    let mut insta_settings = insta::Settings::clone_current();
    insta_settings.set_snapshot_path(root.join("snapshots/fixtures"));
    insta_settings.set_prepend_module_to_snapshot(false);
    let mut expected: Vec<String> = Vec::new();
    insta_settings.bind(|| {
        for spec in &specs {
            let stem = spec.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
            let text = std::fs::read_to_string(spec).expect("fixture is readable");
            // The same settings as `cargo xtask codegen`, which writes these to crates/fixtures/,
            // with the fixture's settings file (`<stem>.codegen.toml`) if it has one.
            let config = spec.with_file_name(format!("{stem}.codegen.toml"));
            let options = match std::fs::read_to_string(&config) {
                Ok(toml) => codegen::settings::parse(&toml, &format!("spec/fixtures/{stem}.codegen.toml")).unwrap_or_else(|err| panic!("{err}")).options,
                Err(_) => Default::default(),
            };
            let settings = codegen::Settings {
                name: stem.clone(),
                spec_label: format!("spec/fixtures/{stem}.yaml"),
                command: "cargo xtask codegen".into(),
                runtime_path: "../../codegen-runtime".into(),
                options,
            };
            let files = codegen::generate_str(&text, &settings).unwrap_or_else(|err| panic!("{stem} generates: {err}"));
            for (path, text) in &files {
                insta::assert_snapshot!(path.replace('/', "__"), text);
                expected.push(format!("{}.snap", path.replace('/', "__")));
            }
        }
    });
    let mut orphans: Vec<String> = std::fs::read_dir(root.join("snapshots/fixtures"))
        .expect("snapshot dir exists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.ends_with(".snap") && !expected.contains(name))
        .collect();
    orphans.sort();
    assert!(orphans.is_empty(), "orphaned snapshots (delete them): {orphans:?}");
}
