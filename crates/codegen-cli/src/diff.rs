//! `diff [--base GIT_REV | OLD_SPEC] [NEW_SPEC] [--json] [--name NAME] [--config FILE]
//! [--old-config FILE]`: what a change of a spec, and of its settings, does to the consumers of
//! the generated crates (see `codegen::diff` for the rules).
//!
//! Each side's settings are its settings file (`--config` for the new side, `--old-config` for
//! the old; else the one beside each spec, as [`crate::project`] finds it; with `--base`, the new
//! side's settings file as it was at that revision). The report is Markdown, or JSON with
//! `--json`. Exit code: 0 when nothing breaks clients or servers, 1 when something does, 2 on an
//! error (unreadable file, failed `git show`, a spec or settings file that does not load:
//! reported with the file and the place in it).

use crate::project::{default_name, read_settings, settings_beside};
use codegen::settings::SettingsFile;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The arguments.
#[derive(Debug, Default)]
pub struct Args {
    /// `--base REV`.
    pub base: Option<String>,
    /// `--json`.
    pub json: bool,
    /// `--name NAME`.
    pub name: Option<String>,
    /// `--config FILE` (new side).
    pub config: Option<PathBuf>,
    /// `--old-config FILE`.
    pub old_config: Option<PathBuf>,
    /// `[OLD_SPEC] [NEW_SPEC]`.
    pub files: Vec<PathBuf>,
}

/// Reads the arguments.
pub fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--json" => parsed.json = true,
            "--base" => parsed.base = Some(iter.next().cloned().ok_or("--base needs a git revision")?),
            "--name" => parsed.name = Some(iter.next().cloned().ok_or("--name needs a value")?),
            "--config" => parsed.config = Some(PathBuf::from(iter.next().ok_or("--config needs a file")?)),
            "--old-config" => parsed.old_config = Some(PathBuf::from(iter.next().ok_or("--old-config needs a file")?)),
            other if other.starts_with("--") => return Err(format!("unknown argument `{other}`")),
            file => parsed.files.push(PathBuf::from(file)),
        }
    }
    match (&parsed.base, parsed.files.len()) {
        (Some(_), 2) => Err("--base and OLD_SPEC exclude each other".to_string()),
        (_, n) if n > 2 => Err("at most OLD_SPEC and NEW_SPEC".to_string()),
        _ => Ok(parsed),
    }
}

/// The new spec when none is given (`cargo xtask diff`: the desk spec), with its label.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    /// The spec, and how reports name it.
    pub new_spec: Option<(PathBuf, String)>,
}

/// One side: its text, how it is named, and its settings.
struct Side {
    label: String,
    text: String,
    settings: SettingsFile,
}

fn read_file(path: &Path, label: Option<&str>) -> Result<(String, String), String> {
    let label = label.map(str::to_string).unwrap_or_else(|| path.display().to_string());
    let text = std::fs::read_to_string(path).map_err(|err| format!("error: {label}: cannot read: {err}"))?;
    Ok((label, text))
}

/// The repository root and the path of `file` in it (with `/`).
fn repo_path(file: &Path) -> Result<(PathBuf, String), String> {
    let absolute = if file.is_absolute() { file.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(file) };
    let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
    let output = Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(&dir)
        .output()
        .map_err(|err| format!("error: cannot run git: {err}"))?;
    if !output.status.success() {
        return Err(format!("error: {}: not in a git repository, so --base cannot be read", file.display()));
    }
    let root = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let root = root.canonicalize().unwrap_or(root);
    let canonical = absolute.canonicalize().unwrap_or(absolute);
    let relative = canonical.strip_prefix(&root).map_err(|_| format!("error: {}: outside the git repository", file.display()))?;
    Ok((root, relative.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect::<Vec<_>>().join("/")))
}

/// `git show REV:PATH`: `Ok(None)` when the revision exists but the file does not.
fn git_show(root: &Path, rev: &str, path: &str, optional: bool) -> Result<Option<String>, String> {
    let label = format!("{rev}:{path}");
    let output = Command::new("git")
        .arg("show")
        .arg(&label)
        .current_dir(root)
        .output()
        .map_err(|err| format!("error: {label}: cannot run git: {err}"))?;
    if !output.status.success() {
        let rev_exists = Command::new("git")
            .args(["rev-parse", "--verify", "--quiet"])
            .arg(format!("{rev}^{{commit}}"))
            .current_dir(root)
            .output()
            .is_ok_and(|o| o.status.success());
        if optional && rev_exists {
            return Ok(None);
        }
        return Err(format!("error: {label}: git show failed: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    String::from_utf8(output.stdout).map(Some).map_err(|_| format!("error: {label}: not UTF-8"))
}

fn settings_of(config: Option<&Path>, spec: &Path) -> Result<SettingsFile, String> {
    match config.map(Path::to_path_buf).or_else(|| settings_beside(spec)) {
        Some(path) => read_settings(&path),
        None => Ok(SettingsFile::default()),
    }
}

fn sides(args: &Args, defaults: &Defaults) -> Result<(Side, Side), String> {
    let default_new = || defaults.new_spec.clone().ok_or_else(|| "error: give NEW_SPEC (and OLD_SPEC or --base REV)".to_string());
    let new_side = |path: &Path, label: Option<&str>| -> Result<Side, String> {
        let (label, text) = read_file(path, label)?;
        Ok(Side { label, text, settings: settings_of(args.config.as_deref(), path)? })
    };
    let (new_path, new) = match (&args.base, args.files.as_slice()) {
        (None, [_, new]) | (Some(_), [new]) => (new.clone(), new_side(new, None)?),
        _ => {
            let (path, label) = default_new()?;
            let side = new_side(&path, Some(&label))?;
            (path, side)
        }
    };
    let old = match (&args.base, args.files.as_slice()) {
        (None, [old, _]) | (None, [old]) => {
            let (label, text) = read_file(old, None)?;
            let config = args.old_config.as_deref().or(if args.files.len() == 1 { args.config.as_deref() } else { None });
            Side { label, text, settings: settings_of(config, old)? }
        }
        (base, _) => {
            let rev = base.as_deref().unwrap_or("HEAD");
            let (root, path) = repo_path(&new_path)?;
            let text = git_show(&root, rev, &path, false)?.unwrap_or_default();
            let settings = match (&args.old_config, args.config.clone().or_else(|| settings_beside(&new_path))) {
                (Some(old_config), _) => read_settings(old_config)?,
                (None, Some(config)) => {
                    let (root, config_path) = repo_path(&config)?;
                    match git_show(&root, rev, &config_path, true)? {
                        Some(text) => codegen::settings::parse(&text, &format!("{rev}:{config_path}")).map_err(|d| d.to_string())?,
                        None => SettingsFile::default(),
                    }
                }
                (None, None) => SettingsFile::default(),
            };
            Side { label: format!("{rev}:{path}"), text, settings }
        }
    };
    Ok((old, new))
}

/// Runs the command; `usage` is printed with argument errors.
pub fn run(args: &[String], defaults: &Defaults, usage: &str) -> ExitCode {
    let args = match parse(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\n{usage}");
            return ExitCode::from(2);
        }
    };
    let (old, new) = match sides(&args, defaults) {
        Ok(sides) => sides,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let spec_name = Path::new(&new.label).to_path_buf();
    let name = args
        .name
        .clone()
        .or_else(|| new.settings.name.as_ref().map(|n| n.value.clone()))
        .unwrap_or_else(|| default_name(&spec_name));
    if let Err(message) = codegen::settings::check_package_name(&name) {
        eprintln!("error: --name: {message}");
        return ExitCode::from(2);
    }
    let settings = |side: &Side| codegen::Settings {
        name: name.clone(),
        spec_label: side.label.clone(),
        command: String::new(),
        runtime_path: String::new(),
        options: side.settings.options.clone(),
    };
    let report = match codegen::diff::diff_str(&old.text, &settings(&old), &new.text, &settings(&new)) {
        Ok(report) => report,
        Err(errors) => {
            for diagnostics in errors {
                eprintln!("{diagnostics}");
            }
            return ExitCode::from(2);
        }
    };
    let labels = codegen::diff::report::Labels { old: old.label, new: new.label };
    if args.json {
        print!("{}", codegen::diff::report::json(&report, &labels));
    } else {
        print!("{}", codegen::diff::report::markdown(&report, &labels));
    }
    if report.is_breaking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let parse_str = |args: &[&str]| parse(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>());
        assert!(parse_str(&["--base", "HEAD~1", "a.yaml", "b.yaml"]).is_err());
        assert!(parse_str(&["a", "b", "c"]).is_err());
        assert!(parse_str(&["--bogus"]).is_err());
        let args = parse_str(&["--json", "--base", "main", "spec/desk-v2.yaml", "--config", "c.toml"]).unwrap_or_default();
        assert!(args.json);
        assert_eq!(args.base.as_deref(), Some("main"));
        assert_eq!(args.files.len(), 1);
        assert_eq!(args.config, Some(PathBuf::from("c.toml")));
    }

    #[test]
    fn names_from_file_names() {
        assert_eq!(default_name(Path::new("petstore-v2.yaml")), "petstore-v2");
        assert_eq!(default_name(Path::new("2024_API.json")), "api-2024-api");
    }
}
