//! cargo-progenitor: the pinned release, installed into the target directory on demand.

use super::{Generation, Spec};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The cargo-progenitor release compared against (current on crates.io when this was written).
const PROGENITOR_VERSION: &str = "0.15.1";

/// `cargo-progenitor progenitor -i FILE -o DIR -n NAME -v 0.1.0`: a crate named NAME.
pub(super) fn generation(bin: &Path, spec: &Spec, out: &Path) -> Generation {
    let mut command = Command::new(bin);
    command.arg("progenitor").arg("-i").arg(&spec.path).arg("-o").arg(out).args(["-n", &spec.name, "-v", "0.1.0"]);
    Generation { command, out: out.to_path_buf() }
}

/// The installed cargo-progenitor, installing the pinned version first when it is missing.
pub(super) fn ensure_progenitor(cargo: &str, root: &Path, target: &Path) -> Result<PathBuf, String> {
    let tools = target.join("bench-tools");
    let bin = tools.join("bin").join(format!("cargo-progenitor{}", std::env::consts::EXE_SUFFIX));
    if !bin.is_file() {
        eprintln!(
            "installing cargo-progenitor {PROGENITOR_VERSION}: {cargo} install cargo-progenitor --version \
             {PROGENITOR_VERSION} --locked --root {} (this compiles for several minutes)",
            tools.display()
        );
        let status = Command::new(cargo)
            .args(["install", "cargo-progenitor", "--version", PROGENITOR_VERSION, "--locked", "--root"])
            .arg(&tools)
            .current_dir(root)
            .status()
            .map_err(|err| format!("cannot run {cargo}: {err}"))?;
        if !status.success() || !bin.is_file() {
            return Err(format!("cargo install cargo-progenitor failed ({status})"));
        }
    }
    Ok(bin)
}

/// The version recorded by `cargo install` in the tool root, if any.
pub(super) fn installed_progenitor_version(bin: &Path) -> Option<String> {
    let tools = bin.parent()?.parent()?;
    let manifest = std::fs::read_to_string(tools.join(".crates.toml")).ok()?;
    let line = manifest.lines().find(|line| line.trim_start().starts_with("\"cargo-progenitor "))?;
    line.trim_start().trim_start_matches('"').split_whitespace().nth(1).map(str::to_string)
}

