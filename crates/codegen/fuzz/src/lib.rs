//! Shared parts of the fuzz targets.

pub mod spec_gen;

use codegen::error::DiagnosticKind;

/// The settings every target generates with.
pub fn settings() -> codegen::Settings {
    codegen::Settings { name: "fuzz".into(), spec_label: "fuzz.yaml".into(), command: "cargo fuzz".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() }
}

/// Runs the generator on one spec. Diagnostics for bad input are fine; a panic (which the
/// generator turns into an `Internal` diagnostic on its own thread) or Rust that does not parse
/// (also `Internal`) is a bug, so it is re-raised here for libFuzzer to catch.
///
/// With `FUZZ_PRINT` set in the environment, the spec is printed first (the structured target's
/// inputs are bytes, not specs).
pub fn check(text: &str) {
    if std::env::var_os("FUZZ_PRINT").is_some() {
        eprintln!("----- spec -----\n{text}\n----------------");
    }
    if let Err(diagnostics) = codegen::generate_str(text, &settings()) {
        if diagnostics.items.iter().any(|item| item.kind == DiagnosticKind::Internal) {
            panic!("internal error on input:\n{diagnostics}");
        }
    }
}
