//! Writing generated files (`fsgen::compare` then `fsgen::apply`): many files over several
//! directories, stale files rewritten, stray generated files
//! removed with the directories they leave empty, and a failure reported.

use openapi_codegen::fsgen::{apply, compare, Drift};
use std::collections::BTreeMap;
use std::path::Path;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn files(count: usize, version: &str) -> BTreeMap<String, String> {
    (0..count).map(|n| (format!("crate-{}/src/file{n}.rs", n % 5), format!("// @generated {version} {n}\n"))).collect()
}

#[test]
fn many_files_are_written_then_only_the_changed_ones() {
    let out = scratch("write-many");
    let first = files(40, "v1");
    let drifts = compare(&out, &first, &[]);
    assert_eq!(drifts.len(), 40);
    assert!(drifts.iter().all(|drift| matches!(drift, Drift::Missing { .. })));
    let touched = apply(&drifts).expect("written");
    assert_eq!(touched.len(), 40);
    for (path, text) in &first {
        assert_eq!(std::fs::read_to_string(out.join(path)).expect("file"), *text, "{path}");
    }
    assert!(compare(&out, &first, &[]).is_empty(), "nothing left to write");

    // One file changes, one is no longer generated (its directory empties).
    let mut second = first.clone();
    second.insert("crate-1/src/file1.rs".to_string(), "// @generated v2 1\n".to_string());
    let gone: Vec<String> = second.keys().filter(|path| path.starts_with("crate-4/")).cloned().collect();
    for path in &gone {
        second.remove(path);
    }
    let dirs: Vec<String> = (0..5).map(|n| format!("crate-{n}")).collect();
    let drifts = compare(&out, &second, &dirs);
    let stale = drifts.iter().filter(|drift| matches!(drift, Drift::Stale { .. })).count();
    let stray = drifts.iter().filter(|drift| matches!(drift, Drift::Stray { .. })).count();
    assert_eq!((stale, stray), (1, gone.len()));
    apply(&drifts).expect("applied");
    assert_eq!(std::fs::read_to_string(out.join("crate-1/src/file1.rs")).expect("file"), "// @generated v2 1\n");
    assert!(!out.join("crate-4").exists(), "the emptied crate directory is removed");
    assert!(compare(&out, &second, &dirs).is_empty());
}

#[test]
fn a_file_that_cannot_be_written_is_an_error() {
    let out = scratch("write-blocked");
    std::fs::create_dir_all(&out).expect("directory");
    // A file where a directory of generated files must go.
    std::fs::write(out.join("crate-2"), "in the way").expect("file");
    let generated = files(20, "v1");
    let drifts = compare(&out, &generated, &[]);
    assert!(apply(&drifts).is_err());
}

#[test]
fn text_is_normalized_and_borrowed_when_it_already_is() {
    use openapi_codegen::fsgen::normalize;
    use std::borrow::Cow;
    assert!(matches!(normalize("fn a() {}\n"), Cow::Borrowed("fn a() {}\n")));
    for (text, expected) in [("a\r\nb\r\n", "a\nb\n"), ("a", "a\n"), ("a\n\n\n", "a\n"), ("", "\n"), ("a\r\n\r\n", "a\n")] {
        let normalized = normalize(text);
        assert!(matches!(normalized, Cow::Owned(_)), "{text:?}");
        assert_eq!(normalized, expected, "{text:?}");
    }
}

#[test]
fn a_file_that_cannot_be_written_among_many_is_an_error_and_the_others_are_written() {
    let out = scratch("write-blocked-file");
    let generated = files(40, "v1");
    // A directory where the last file must go: its write fails, on whichever thread writes it.
    let (last, _) = generated.iter().next_back().expect("files");
    std::fs::create_dir_all(out.join(last)).expect("directory");
    let drifts = compare(&out, &generated, &[]);
    assert!(apply(&drifts).is_err());
    for (path, text) in generated.iter().filter(|(path, _)| *path != last) {
        assert_eq!(std::fs::read_to_string(out.join(path)).expect("file"), *text, "{path}");
    }
}
