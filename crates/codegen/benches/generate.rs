//! In-process generation time, with criterion.
//!
//! ```text
//! cargo bench -p codegen --bench generate
//! cargo bench -p codegen --bench generate -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! Two specs, each timed twice: `generate_str` (everything: parse, IR, emit, render) and
//! `lower_str` (parse and IR only), so the difference is the emit and render share.
//!
//! - `desk`: `spec/desk-v2.yaml` in this repository;
//! - `linode`: `linode-api.yaml` from the shared corpus (`../shared/corpus/public/` from the
//!   repository root). When that file is missing the bench prints a note and is skipped.
//!
//! For whole-command figures and the comparison with cargo-progenitor, use `cargo xtask bench`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The repository root: two levels above this crate's manifest directory.
fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_else(|| manifest.to_path_buf())
}

fn settings(name: &str, label: &str) -> codegen::Settings {
    codegen::Settings { name: name.to_string(), spec_label: label.to_string(), command: "cargo bench".to_string(), runtime_path: "../codegen-runtime".to_string(), ..Default::default() }
}

/// Reads a spec and checks once that it generates; `None` (with a note) when it cannot be used.
fn prepare(path: &Path, settings: &codegen::Settings) -> Option<String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("note: skipping `{}`: cannot read {}: {err}", settings.name, path.display());
            return None;
        }
    };
    if let Err(diagnostics) = codegen::generate_str(&text, settings) {
        eprintln!("note: skipping `{}`: the generator refuses {}:\n{diagnostics}", settings.name, path.display());
        return None;
    }
    Some(text)
}

/// Benches `generate_str` and `lower_str` on one spec as group `NAME`.
fn bench_spec(c: &mut Criterion, path: &Path, settings: &codegen::Settings, sample_size: usize) {
    let Some(text) = prepare(path, settings) else {
        return;
    };
    let mut group = c.benchmark_group(settings.name.as_str());
    group.sample_size(sample_size);
    group.bench_function("generate_str", |b| {
        b.iter(|| codegen::generate_str(black_box(&text), black_box(settings)));
    });
    group.bench_function("lower_str", |b| {
        b.iter(|| codegen::lower_str(black_box(&text), black_box(settings)));
    });
    group.finish();
}

fn desk(c: &mut Criterion) {
    let path = repo_root().join("spec").join("desk-v2.yaml");
    bench_spec(c, &path, &settings("desk", "spec/desk-v2.yaml"), 50);
}

fn linode(c: &mut Criterion) {
    let path = repo_root().join("..").join("shared").join("corpus").join("public").join("linode-api.yaml");
    // A 1 MB spec: fewer samples keep the default measurement time meaningful.
    bench_spec(c, &path, &settings("linode", "linode-api.yaml"), 10);
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = desk, linode
}
criterion_main!(benches);
