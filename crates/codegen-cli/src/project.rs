//! A generation run: the spec, its settings file and the output directory, resolved the same way
//! for every command, then generated in memory and written (or checked) by [`crate::fsgen`].
//!
//! The settings file is `--config FILE`, else `<spec stem>.codegen.toml` beside the spec, else
//! `codegen.toml` beside the spec, else (with no spec given) `codegen.toml` in the current
//! directory. Its `spec` and `out` are relative to the file itself; command-line flags win over
//! the file.

use crate::fsgen;
use crate::Warnings;
use codegen::settings::{self, Located, SettingsFile};
use std::path::{Path, PathBuf};

/// What the command line says (every field optional but `command`).
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `--spec FILE`.
    pub spec: Option<PathBuf>,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--out DIR`.
    pub out: Option<PathBuf>,
    /// `--name NAME`.
    pub name: Option<String>,
    /// The command shown in the `@generated` headers (`openapi-codegen generate`).
    pub command: String,
    /// How the spec is named in headers (default: its file name; never an absolute path).
    pub spec_label: Option<String>,
    /// Where output paths are shown from (default: the output directory).
    pub shown_from: Option<PathBuf>,
}

/// A resolved run.
#[derive(Debug, Clone)]
pub struct Project {
    /// The spec file.
    pub spec: PathBuf,
    /// The settings file read, if any.
    pub config: Option<PathBuf>,
    /// The output directory.
    pub out: PathBuf,
    /// What generation gets.
    pub settings: codegen::Settings,
    /// Write a `Cargo.toml` listing the crates (and the runtime) in the output directory.
    pub workspace: bool,
    /// Write a copy of the runtime crate into the output directory (no `runtime` setting).
    pub runtime_copy: bool,
    /// Where output paths are shown from.
    pub shown_from: PathBuf,
}

/// Reads a settings file. Errors name the file and the `line:column`.
pub fn read_settings(path: &Path) -> Result<SettingsFile, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("error: {}: cannot read: {err}", path.display()))?;
    settings::parse(&text, &path.display().to_string()).map_err(|diagnostics| diagnostics.to_string())
}

/// The settings file for a spec when `--config` is not given: `<stem>.codegen.toml`, then
/// `codegen.toml`, beside the spec.
pub fn settings_beside(spec: &Path) -> Option<PathBuf> {
    let dir = spec.parent().map(Path::to_path_buf).unwrap_or_default();
    let stem = spec.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    [dir.join(format!("{stem}.codegen.toml")), dir.join("codegen.toml")].into_iter().find(|path| path.is_file())
}

/// A crate name prefix from a spec file name: `petstore-expanded.yaml` gives `petstore-expanded`.
pub fn default_name(spec: &Path) -> String {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
    let mut name = String::new();
    for c in stem.chars() {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '-' };
        if !(c == '-' && (name.is_empty() || name.ends_with('-'))) {
            name.push(c);
        }
    }
    let name = name.trim_end_matches('-').to_string();
    if name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name
    } else {
        format!("api-{name}").trim_end_matches('-').to_string()
    }
}

fn place(file: &Path, at: Option<settings::Position>) -> String {
    match at {
        Some(at) => format!("{}:{}:{}", file.display(), at.line, at.column),
        None => file.display().to_string(),
    }
}

/// Resolves the spec, the settings and the output directory.
pub fn resolve(inputs: &Inputs) -> Result<Project, String> {
    let config = match (&inputs.config, &inputs.spec) {
        (Some(config), _) => Some(config.clone()),
        (None, Some(spec)) => settings_beside(spec),
        (None, None) => Some(PathBuf::from("codegen.toml")).filter(|path| path.is_file()),
    };
    let file = match &config {
        Some(path) => read_settings(path)?,
        None => SettingsFile::default(),
    };
    let base = config.as_ref().and_then(|c| c.parent().map(Path::to_path_buf)).unwrap_or_default();
    let from_file = |value: &Option<Located<String>>| value.as_ref().map(|v| base.join(&v.value));
    let spec = match (&inputs.spec, from_file(&file.spec)) {
        (Some(spec), Some(named)) => {
            // A settings file found beside a spec, or given, that names another spec is a mistake.
            let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
                (Ok(a), Ok(b)) => a == b,
                _ => a == b,
            };
            if !same(spec, &named) {
                let (path, at) = (config.clone().unwrap_or_default(), file.spec.as_ref().and_then(|s| s.at));
                return Err(format!(
                    "error: {}: invalid setting: these settings are for `{}`, not `{}`: give the spec's own settings with --config",
                    place(&path, at),
                    named.display(),
                    spec.display()
                ));
            }
            spec.clone()
        }
        (Some(spec), None) => spec.clone(),
        (None, Some(named)) => named,
        (None, None) => {
            return Err("error: no spec: give --spec FILE, or a settings file (--config, or codegen.toml here) with `spec = \"...\"`".to_string())
        }
    };
    let out = match (&inputs.out, from_file(&file.out)) {
        (Some(out), _) => out.clone(),
        (None, Some(out)) => out,
        (None, None) => return Err("error: no output directory: give --out DIR, or set `out = \"...\"` in the settings file".to_string()),
    };
    let name = match (&inputs.name, &file.name) {
        (Some(name), _) => {
            settings::check_package_name(name).map_err(|message| format!("error: --name: {message}"))?;
            name.clone()
        }
        (None, Some(name)) => name.value.clone(),
        (None, None) => default_name(&spec),
    };
    let spec_label = match &inputs.spec_label {
        Some(label) => label.clone(),
        None => spec.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "spec".to_string()),
    };
    let (runtime_path, runtime_copy) = match &file.runtime {
        Some(runtime) if Path::new(&runtime.value).is_absolute() => (runtime.value.clone(), false),
        Some(runtime) => (format!("../{}", runtime.value.trim_start_matches("./")), false),
        None => (format!("../{}", codegen::package::RUNTIME_DIR), true),
    };
    let settings = codegen::Settings { name, spec_label, command: inputs.command.clone(), runtime_path, options: file.options };
    let shown_from = inputs.shown_from.clone().unwrap_or_else(|| out.clone());
    Ok(Project { spec, config, out, settings, workspace: file.workspace.unwrap_or(true), runtime_copy, shown_from })
}

/// Generates in memory, printing the spec's warnings to stderr: the files (relative to the
/// output directory) and the directories where stray generated files are looked for.
pub fn generate(project: &Project, warnings: Warnings) -> Result<(codegen::GeneratedFiles, Vec<String>), String> {
    let settings = &project.settings;
    let text = std::fs::read_to_string(&project.spec).map_err(|err| format!("error: {}: cannot read: {err}", project.spec.display()))?;
    let generated = codegen::generate(&text, settings).map_err(|diagnostics| diagnostics.to_string())?;
    if !generated.warnings.items.is_empty() {
        eprintln!("{}", warnings.render(&generated.warnings));
    }
    let mut files = generated.files;
    let mut dirs = codegen::crate_dirs(settings);
    if project.runtime_copy {
        files.extend(codegen::package::runtime_crate(settings));
        dirs.insert(0, codegen::package::RUNTIME_DIR.to_string());
    }
    if project.workspace {
        let mut members: Vec<String> = Vec::new();
        for path in files.keys() {
            let dir = path.split('/').next().unwrap_or_default().to_string();
            if !members.contains(&dir) {
                members.push(dir);
            }
        }
        members.sort_by_key(|m| dirs.iter().position(|o| o == m));
        files.insert("Cargo.toml".to_string(), codegen::package::workspace_manifest(settings, &members));
    }
    Ok((files, dirs))
}

/// What [`write_or_check`] found.
#[derive(Debug)]
pub enum Outcome {
    /// `--check`: every file is current.
    UpToDate(usize),
    /// `--check`: these files differ (their diffs were printed).
    Stale(usize),
    /// Written: the paths touched.
    Written(Vec<PathBuf>),
}

/// Compares generated files with the disk; with `check`, prints the diffs, otherwise writes
/// what differs and removes stray generated files.
pub fn write_or_check(project: &Project, files: &codegen::GeneratedFiles, dirs: &[String], check: bool) -> Result<Outcome, String> {
    let drifts = fsgen::compare(&project.out, files, dirs);
    if check {
        if drifts.is_empty() {
            return Ok(Outcome::UpToDate(files.len()));
        }
        for drift in &drifts {
            print!("{}", drift.diff(&project.shown_from));
        }
        return Ok(Outcome::Stale(drifts.len()));
    }
    fsgen::apply(&drifts).map(Outcome::Written).map_err(|err| format!("error: writing generated files: {err}"))
}
