//! Generation is a pure function of the spec text: same bytes every time.

use std::path::Path;

#[test]
fn generating_twice_gives_identical_bytes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for spec in ["spec/desk-v2.yaml", "spec/fixtures/kitchen-sink.yaml"] {
        let text = std::fs::read_to_string(root.join(spec)).expect("spec is readable");
        let settings = codegen::Settings { name: "x".into(), spec_label: spec.into(), command: "cmd".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() };
        let first = codegen::generate_str(&text, &settings).expect("generates");
        let second = codegen::generate_str(&text, &settings).expect("generates");
        assert_eq!(first, second, "{spec} generated differently on the second run");
        for text in first.values() {
            assert!(text.lines().next().is_some_and(|l| l.contains("@generated")), "every file starts with the header");
            assert!(!text.contains(root.to_string_lossy().as_ref()), "no absolute paths in output");
        }
    }
}
