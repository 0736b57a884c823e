//! The maintainer commands behind `cargo xtask`: generating the crates from the spec, checking
//! that the committed ones are current, and trying the generator on a corpus of specs.
//!
//! Everything is built in memory first; files are written only when all generation succeeded,
//! and only the ones whose bytes changed.

pub mod bench;
pub mod bench_server;
pub mod corpus;
pub mod fsgen;

use std::path::{Path, PathBuf};

/// The repository root (the parent of `xtask/`).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// Settings for the desk spec in this repository.
pub fn desk_settings() -> codegen::Settings {
    codegen::Settings {
        name: "desk".to_string(),
        spec_label: "spec/desk-v2.yaml".to_string(),
        command: "cargo xtask codegen".to_string(),
        runtime_path: "../codegen-runtime".to_string(),
        ..Default::default()
    }
}

/// The fixture specs (`spec/fixtures/*.yaml`), sorted, as (file stem, settings).
pub fn fixture_settings(root: &Path) -> Vec<codegen::Settings> {
    let mut stems: Vec<String> = std::fs::read_dir(root.join("spec/fixtures"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().to_string()))
                .collect()
        })
        .unwrap_or_default();
    stems.sort();
    stems
        .into_iter()
        .map(|stem| codegen::Settings {
            spec_label: format!("spec/fixtures/{stem}.yaml"),
            name: stem,
            command: "cargo xtask codegen".to_string(),
            runtime_path: "../../codegen-runtime".to_string(),
            ..Default::default()
        })
        .collect()
}

/// How a spec's warnings are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Warnings {
    /// One line per kind of warning, with its count and first places (the default).
    #[default]
    Grouped,
    /// Every warning on its own line (`--verbose`).
    Verbose,
}

impl Warnings {
    /// The text printed for a spec's warnings (several lines, no trailing newline); empty when
    /// there are none. Grouped output that left places out ends with a note on `--verbose`.
    pub fn render(self, warnings: &codegen::error::Diagnostics) -> String {
        match self {
            Warnings::Verbose => warnings.as_warnings(),
            Warnings::Grouped => {
                let summary = warnings.as_warning_summary();
                let kinds = warnings.warning_groups().len();
                if kinds == warnings.items.len() {
                    return summary;
                }
                let kinds = if kinds == 1 { "1 kind".to_string() } else { format!("{kinds} kinds") };
                format!(
                    "{summary}\nnote: {}: {} warnings of {kinds}; --verbose lists each on its own line",
                    warnings.file,
                    warnings.items.len()
                )
            }
        }
    }
}

fn generate_one(root: &Path, settings: &codegen::Settings, warnings: Warnings) -> Result<codegen::GeneratedFiles, String> {
    let text = std::fs::read_to_string(root.join(&settings.spec_label))
        .map_err(|err| format!("error: {}: cannot read: {err}", settings.spec_label))?;
    generate_reporting_warnings(&text, settings, warnings)
}

/// Generates, printing the spec's warnings (constructs that generate nothing) to stderr.
fn generate_reporting_warnings(
    text: &str,
    settings: &codegen::Settings,
    warnings: Warnings,
) -> Result<codegen::GeneratedFiles, String> {
    let generated = codegen::generate(text, settings).map_err(|diagnostics| diagnostics.to_string())?;
    if !generated.warnings.items.is_empty() {
        eprintln!("{}", warnings.render(&generated.warnings));
    }
    Ok(generated.files)
}

/// Generates the desk crates and the fixture crates in memory (paths relative to `crates/`;
/// fixture crates under `crates/fixtures/`), with the crate directories they own.
pub fn generate_desk(root: &Path, warnings: Warnings) -> Result<(codegen::GeneratedFiles, Vec<String>), String> {
    let settings = desk_settings();
    let mut files = generate_one(root, &settings, warnings)?;
    let mut dirs = codegen::crate_dirs(&settings);
    for fixture in fixture_settings(root) {
        for (path, text) in generate_one(root, &fixture, warnings)? {
            files.insert(format!("fixtures/{path}"), text);
        }
        dirs.extend(codegen::crate_dirs(&fixture).into_iter().map(|d| format!("fixtures/{d}")));
    }
    Ok((files, dirs))
}

/// Settings for `--spec FILE --name NAME`: headers name the file, never an absolute path.
pub fn standalone_settings(spec: &Path, name: &str) -> codegen::Settings {
    let label = spec.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "spec".to_string());
    codegen::Settings {
        name: name.to_string(),
        spec_label: label,
        command: "cargo xtask codegen --spec".to_string(),
        runtime_path: format!("../{}", codegen::package::RUNTIME_DIR),
        ..Default::default()
    }
}

/// Generates a standalone workspace for any spec: `Cargo.toml`, the crate directories and the
/// runtime they depend on (a copy of `crates/codegen-runtime` in `codegen-runtime/`).
pub fn generate_standalone(spec: &Path, name: &str, warnings: Warnings) -> Result<codegen::GeneratedFiles, String> {
    let settings = standalone_settings(spec, name);
    let text = std::fs::read_to_string(spec).map_err(|err| format!("error: {}: cannot read: {err}", spec.display()))?;
    let mut files = generate_reporting_warnings(&text, &settings, warnings)?;
    files.extend(codegen::package::runtime_crate(&settings));
    let mut members: Vec<String> = Vec::new();
    for path in files.keys() {
        let dir = path.split('/').next().unwrap_or_default().to_string();
        if !members.contains(&dir) {
            members.push(dir);
        }
    }
    let order = standalone_dirs(&settings);
    members.sort_by_key(|m| order.iter().position(|o| o == m));
    files.insert("Cargo.toml".to_string(), codegen::package::workspace_manifest(&settings, &members));
    Ok(files)
}

/// The directories of a standalone workspace that hold generated files (stray ones there are
/// removed): the runtime's and the generated crates'.
pub fn standalone_dirs(settings: &codegen::Settings) -> Vec<String> {
    let mut dirs = vec![codegen::package::RUNTIME_DIR.to_string()];
    dirs.extend(codegen::crate_dirs(settings));
    dirs
}

/// Crate names become `NAME-types` and so on: lowercase letters, digits and `-`, starting with
/// a letter.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-');
    if valid {
        Ok(())
    } else {
        Err(format!("--name `{name}`: use lowercase letters, digits and `-`, starting with a letter (e.g. `petstore`)"))
    }
}
