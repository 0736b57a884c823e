//! `cargo xtask corpus DIR`: generate every spec in a directory into `target/corpus/`, check
//! each generated workspace with clippy and rustdoc, warnings denied, and print one line per spec.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// What happened to one spec.
struct Outcome {
    file: String,
    status: String,
    failed: bool,
}

/// Runs the corpus command.
pub fn run(args: &[String]) -> ExitCode {
    let mut dir = None;
    let mut build = true;
    let mut test = false;
    let mut warnings = crate::Warnings::Grouped;
    for arg in args {
        match arg.as_str() {
            "--no-build" => build = false,
            "--test" => test = true,
            "--verbose" => warnings = crate::Warnings::Verbose,
            other if dir.is_none() => dir = Some(PathBuf::from(other)),
            other => {
                eprintln!("error: unexpected argument `{other}`");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: cargo xtask corpus DIR [--no-build] [--test] [--verbose]");
        return ExitCode::from(2);
    };
    let specs = match list_specs(&dir) {
        Ok(specs) => specs,
        Err(err) => {
            eprintln!("error: {}: {err}", dir.display());
            return ExitCode::from(2);
        }
    };
    let work = crate::project_root().join("target").join("corpus");
    let mut outcomes = Vec::new();
    let (mut generated, mut refused, mut compiled) = (0, 0, 0);
    let mut total_ms = 0.0;
    for spec in &specs {
        let outcome = run_one(spec, &work, build, test, warnings);
        if outcome.status.starts_with("generated") {
            generated += 1;
        } else {
            refused += 1;
        }
        if outcome.status.contains("compiled") && !outcome.status.contains("not compiled") {
            compiled += 1;
        }
        if let Some(ms) = outcome.status.split(" ms").next().and_then(|s| s.rsplit('(').next()).and_then(|s| s.parse::<f64>().ok()) {
            total_ms += ms;
        }
        println!("{:<45} {}", outcome.file, outcome.status);
        outcomes.push(outcome);
    }
    println!(
        "total: {} specs, {generated} generated, {refused} refused, {compiled} compiled, {total_ms:.1} ms generation",
        specs.len()
    );
    if outcomes.iter().any(|o| o.failed) {
        eprintln!("error: some generated specs did not compile cleanly (see above)");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn list_specs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    Ok(specs)
}

/// `petstore-expanded.yaml` -> `petstore-expanded`, made into a valid crate name prefix.
fn crate_prefix(spec: &Path) -> String {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
    let cleaned: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let cleaned = cleaned.trim_matches('-').to_string();
    if cleaned.starts_with(|c: char| c.is_ascii_lowercase()) {
        cleaned
    } else {
        format!("spec-{cleaned}")
    }
}

fn run_one(spec: &Path, work: &Path, build: bool, test: bool, warnings: crate::Warnings) -> Outcome {
    let file = spec.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let name = crate_prefix(spec);
    let started = Instant::now();
    let generated = crate::generate_standalone(spec, &name, warnings);
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let files = match generated {
        Ok(files) => files,
        Err(message) => {
            let reason = message.lines().next().unwrap_or_default().to_string();
            let more = message.lines().count().saturating_sub(1);
            let more = if more > 0 { format!(" (+{more} more)") } else { String::new() };
            return Outcome { file, status: format!("refused: {reason}{more}"), failed: false };
        }
    };
    let lines: usize = files.values().map(|text| text.lines().count()).sum();
    let out = work.join(&name);
    let _ = std::fs::remove_dir_all(&out);
    let drifts = crate::fsgen::compare(&out, &files, &[]);
    if let Err(err) = crate::fsgen::apply(&drifts) {
        return Outcome { file, status: format!("generated but not written: {err}"), failed: true };
    }
    let head = format!("generated ({elapsed_ms:.1} ms, {lines} lines)");
    if !build {
        return Outcome { file, status: head, failed: false };
    }
    let members: Vec<&str> = files.keys().filter_map(|path| path.strip_suffix("/Cargo.toml")).collect();
    let result = cargo_build(&out, work, test);
    release_artifacts(&out, work, &members);
    match result {
        Ok(()) if test => Outcome { file, status: format!("{head}, compiled, tests passed"), failed: false },
        Ok(()) => Outcome { file, status: format!("{head}, compiled"), failed: false },
        Err(errors) => Outcome { file, status: format!("{head}, not compiled: {errors}"), failed: true },
    }
}

/// The cargo environment of every corpus build: one target directory shared by all specs, so
/// their common dependencies build once, and neither debug info nor incremental caches, which
/// for generated crates of 100,000 lines take gigabytes and tell nothing here.
fn corpus_cargo(work: &Path, subcommand: &str) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()));
    command
        .arg(subcommand)
        .arg("--quiet")
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_PROFILE_TEST_DEBUG", "0");
    command
}

/// Removes what one spec's build left in the shared target directory (its own crates and their
/// docs; the dependencies stay for the next spec), so the corpus needs the disk of one spec at a
/// time rather than of all of them.
fn release_artifacts(workspace: &Path, work: &Path, members: &[&str]) {
    if !members.is_empty() {
        let mut clean = corpus_cargo(work, "clean");
        clean.arg("--manifest-path").arg(workspace.join("Cargo.toml"));
        for member in members {
            clean.arg("-p").arg(member);
        }
        // Best effort: a failed clean costs disk, not correctness.
        let _ = clean.output();
    }
    let _ = std::fs::remove_dir_all(work.join("target").join("doc"));
}

/// Builds and lints a generated workspace with warnings denied, sharing one target directory.
fn cargo_build(workspace: &Path, work: &Path, test: bool) -> Result<(), String> {
    let manifest = workspace.join("Cargo.toml");
    // clippy type-checks every target with warnings denied, which is what "compiles" means
    // here; code generation and linking (`cargo build`) would double the time of a corpus of
    // million-line specs and find nothing clippy does not. `--test` builds what it runs.
    let mut steps: Vec<(&str, &[&str])> = vec![("clippy", &["--all-targets", "--", "-D", "warnings"]), ("doc", &["--no-deps"])];
    if test {
        steps.push(("test", &[]));
    }
    for (subcommand, extra) in steps {
        let output = corpus_cargo(work, subcommand)
            .arg("--manifest-path")
            .arg(&manifest)
            .args(extra)
            .env("RUSTFLAGS", "-D warnings")
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .map_err(|err| format!("cannot run cargo: {err}"))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stdout = String::from_utf8_lossy(&output.stdout);
            let first = stderr
                .lines()
                .chain(stdout.lines())
                .find(|l| l.starts_with("error") || l.contains("panicked"))
                .unwrap_or("failed")
                .to_string();
            return Err(format!("cargo {subcommand}: {first}"));
        }
    }
    Ok(())
}
