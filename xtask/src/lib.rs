//! The maintainer commands behind `cargo xtask`: generating the crates from the spec, checking
//! that the committed ones are current, and trying the generator on a corpus of specs.
//!
//! Everything is built in memory first; files are written only when all generation succeeded,
//! and only the ones whose bytes changed.

pub mod bench;
pub mod bench_server;
pub mod corpus;

pub use openapi_codegen::{fsgen, Warnings};
use openapi_codegen::project::{self, Inputs, Project};
use std::path::{Path, PathBuf};

/// The repository root (the parent of `xtask/`).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// The desk spec and its settings file, relative to the repository root.
pub const DESK_SPEC: &str = "spec/desk-v2.yaml";
/// The desk settings (`spec`, `out`, `name`, `runtime`, ...): every generated desk crate follows them.
pub const DESK_SETTINGS: &str = "spec/codegen.toml";

/// The desk run: `spec/codegen.toml`, labelled as in the repository.
pub fn desk_project(root: &Path) -> Result<Project, String> {
    project::resolve(&Inputs {
        config: Some(root.join(DESK_SETTINGS)),
        command: "cargo xtask codegen".to_string(),
        spec_label: Some(DESK_SPEC.to_string()),
        shown_from: Some(root.to_path_buf()),
        ..Inputs::default()
    })
}

/// Settings for the desk spec in this repository (from `spec/codegen.toml`).
pub fn desk_settings() -> Result<codegen::Settings, String> {
    desk_project(&project_root()).map(|project| project.settings)
}

/// The fixture specs (`spec/fixtures/*.yaml`), sorted, each with its settings file
/// `spec/fixtures/<stem>.codegen.toml` if it has one; generated into `crates/fixtures/`, using the
/// workspace's runtime crate.
pub fn fixture_projects(root: &Path) -> Result<Vec<Project>, String> {
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
        .map(|stem| {
            let mut project = project::resolve(&Inputs {
                spec: Some(root.join(format!("spec/fixtures/{stem}.yaml"))),
                out: Some(root.join("crates/fixtures")),
                name: Some(stem.clone()),
                command: "cargo xtask codegen".to_string(),
                spec_label: Some(format!("spec/fixtures/{stem}.yaml")),
                shown_from: Some(root.to_path_buf()),
                ..Inputs::default()
            })?;
            // Fixtures are workspace members: no workspace of their own, the workspace's runtime.
            project.workspace = false;
            project.runtime_copy = false;
            project.settings.runtime_path = "../../codegen-runtime".to_string();
            Ok(project)
        })
        .collect()
}

/// Generates the desk crates and the fixture crates in memory (paths relative to `crates/`;
/// fixture crates under `crates/fixtures/`), with the crate directories they own.
pub fn generate_desk(root: &Path, warnings: Warnings) -> Result<(codegen::GeneratedFiles, Vec<String>), String> {
    let crates = root.join("crates");
    let mut files = codegen::GeneratedFiles::new();
    let mut dirs = Vec::new();
    let mut projects = vec![desk_project(root)?];
    projects.extend(fixture_projects(root)?);
    for project in projects {
        let (generated, owned) = project::generate(&project, warnings)?;
        // Every run writes below `crates/`; paths are made relative to it.
        let prefix = relative_prefix(&crates, &project.out);
        files.extend(generated.into_iter().map(|(path, text)| (format!("{prefix}{path}"), text)));
        dirs.extend(owned.into_iter().map(|dir| format!("{prefix}{dir}")));
    }
    Ok((files, dirs))
}

/// `fixtures/` for `crates/fixtures` below `crates`, empty for `crates` itself.
fn relative_prefix(base: &Path, dir: &Path) -> String {
    let normalize = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    match normalize(dir).strip_prefix(normalize(base)) {
        Ok(relative) if relative.as_os_str().is_empty() => String::new(),
        Ok(relative) => format!("{}/", relative.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect::<Vec<_>>().join("/")),
        Err(_) => String::new(),
    }
}

fn standalone_inputs(spec: &Path, name: &str, config: Option<&Path>) -> Inputs {
    Inputs {
        spec: Some(spec.to_path_buf()),
        config: config.map(Path::to_path_buf),
        // Generation does not write; the directory only has to be named.
        out: Some(PathBuf::from(".")),
        name: Some(name.to_string()),
        command: "cargo xtask codegen --spec".to_string(),
        ..Inputs::default()
    }
}

/// Settings for `--spec FILE --name NAME`: headers name the file, never an absolute path.
pub fn standalone_settings(spec: &Path, name: &str) -> codegen::Settings {
    match project::resolve(&standalone_inputs(spec, name, None)) {
        Ok(project) => project.settings,
        Err(_) => codegen::Settings {
            name: name.to_string(),
            spec_label: spec.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
            command: "cargo xtask codegen --spec".to_string(),
            runtime_path: format!("../{}", codegen::package::RUNTIME_DIR),
            ..Default::default()
        },
    }
}

/// Generates a standalone workspace for any spec: `Cargo.toml`, the crate directories and the
/// runtime they depend on (a copy of `crates/codegen-runtime` in `codegen-runtime/`), following
/// the settings file beside the spec if it has one.
pub fn generate_standalone(spec: &Path, name: &str, warnings: Warnings) -> Result<codegen::GeneratedFiles, String> {
    let project = project::resolve(&standalone_inputs(spec, name, None))?;
    project::generate(&project, warnings).map(|(files, _)| files)
}

/// Crate names become `NAME-types` and so on: lowercase letters, digits and `-`, starting with
/// a letter.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    codegen::settings::check_package_name(name).map_err(|message| format!("--name: {message}"))
}
