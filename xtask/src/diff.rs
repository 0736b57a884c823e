//! `cargo xtask diff [--base GIT_REV | OLD_SPEC] [NEW_SPEC] [--json] [--name NAME]`: what a spec
//! change does to the consumers of the generated crates (see `codegen::diff` for the rules).
//!
//! By default the committed `spec/desk-v2.yaml` at `HEAD` is compared with the working tree's.
//! `--base REV` takes the old spec from another revision (`git show REV:PATH`, where PATH is the
//! new spec's path in the repository); `OLD_SPEC` takes it from a file. The report is Markdown
//! (for a pull-request comment), or JSON with `--json`. Exit code: 0 when nothing breaks clients
//! or servers, 1 when something does, 2 on an error (unreadable file, failed `git show`, a spec
//! that does not load: reported with the file and the place in it).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const DESK_SPEC: &str = "spec/desk-v2.yaml";

const USAGE: &str = "usage: cargo xtask diff [--base GIT_REV | OLD_SPEC] [NEW_SPEC] [--json] [--name NAME]
  compares the old spec (default: HEAD:spec/desk-v2.yaml) with the new one (default: spec/desk-v2.yaml)
  exit code: 0 nothing breaks, 1 something breaks clients or servers, 2 error";

#[derive(Debug, Default)]
struct Args {
    base: Option<String>,
    json: bool,
    name: Option<String>,
    files: Vec<PathBuf>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--json" => parsed.json = true,
            "--base" => parsed.base = Some(iter.next().cloned().ok_or("--base needs a git revision")?),
            "--name" => parsed.name = Some(iter.next().cloned().ok_or("--name needs a value")?),
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

/// One side of the comparison: its text and how it is named in the report.
struct Side {
    label: String,
    text: String,
}

fn read_file(path: &Path) -> Result<Side, String> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|err| format!("error: {label}: cannot read: {err}"))?;
    Ok(Side { label, text })
}

/// `PATH` of the new spec inside the repository (for `git show REV:PATH`), with `/` separators.
fn repo_path(root: &Path, new: &Path) -> String {
    let absolute = if new.is_absolute() { new.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(new) };
    let canonical = absolute.canonicalize().unwrap_or(absolute);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match canonical.strip_prefix(&root) {
        Ok(relative) => relative.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect::<Vec<_>>().join("/"),
        Err(_) => DESK_SPEC.to_string(),
    }
}

fn git_show(root: &Path, rev: &str, path: &str) -> Result<Side, String> {
    let label = format!("{rev}:{path}");
    let output = Command::new("git")
        .arg("show")
        .arg(&label)
        .current_dir(root)
        .output()
        .map_err(|err| format!("error: {label}: cannot run git: {err}"))?;
    if !output.status.success() {
        return Err(format!("error: {label}: git show failed: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    let text = String::from_utf8(output.stdout).map_err(|_| format!("error: {label}: not UTF-8"))?;
    Ok(Side { label, text })
}

fn sides(args: &Args, root: &Path) -> Result<(Side, Side), String> {
    let default_new = root.join(DESK_SPEC);
    let (old, new) = match (&args.base, args.files.as_slice()) {
        (None, [old, new]) => (read_file(old)?, read_file(new)?),
        (None, [old]) => (read_file(old)?, desk_side(&default_new)?),
        (base, [new]) => {
            let rev = base.as_deref().unwrap_or("HEAD");
            (git_show(root, rev, &repo_path(root, new))?, read_file(new)?)
        }
        (base, _) => {
            let rev = base.as_deref().unwrap_or("HEAD");
            (git_show(root, rev, DESK_SPEC)?, desk_side(&default_new)?)
        }
    };
    Ok((old, new))
}

/// The working tree's desk spec, labelled relative to the repository.
fn desk_side(path: &Path) -> Result<Side, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("error: {DESK_SPEC}: cannot read: {err}"))?;
    Ok(Side { label: DESK_SPEC.to_string(), text })
}

/// The crate name prefix when `--name` is not given: `desk` for the desk spec, otherwise one
/// made from the new spec's file name (`petstore-v2.yaml` -> `petstore-v2`), as
/// `cargo xtask codegen --spec` users would likely pick.
fn default_name(label: &str) -> String {
    if label == DESK_SPEC {
        return "desk".to_string();
    }
    let stem = Path::new(label).file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
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

/// Runs the command.
pub fn run(args: &[String]) -> ExitCode {
    let args = match parse(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let root = xtask::project_root();
    let (old, new) = match sides(&args, &root) {
        Ok(sides) => sides,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let name = args.name.clone().unwrap_or_else(|| default_name(&new.label));
    if let Err(message) = xtask::check_crate_name(&name) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    let settings = |label: &str| codegen::Settings { name: name.clone(), spec_label: label.to_string(), command: "cargo xtask codegen".to_string(), runtime_path: "../codegen-runtime".to_string(), ..Default::default() };
    let report = match codegen::diff::diff_str(&old.text, &settings(&old.label), &new.text, &settings(&new.label)) {
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
        let args = parse_str(&["--json", "--base", "main", "spec/desk-v2.yaml"]).unwrap_or_default();
        assert!(args.json);
        assert_eq!(args.base.as_deref(), Some("main"));
        assert_eq!(args.files.len(), 1);
    }
}
