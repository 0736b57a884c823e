//! Generating from a build script.
//!
//! ```no_run
//! // build.rs of a crate with `openapi-codegen` in its [build-dependencies]
//! fn main() -> Result<(), openapi_codegen::build::Error> {
//!     openapi_codegen::build::generate("petstore.yaml", Some("codegen.toml"))?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs (or any module): one module per generated part, `petstore::client::Client`, ...
//! pub mod petstore {
//!     include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! }
//! ```
//!
//! The output is one Rust file, `NAME.rs` (`name` from the settings, else the spec's file
//! name), holding a module per crate the settings ask for (`types`, `validation`, `server`,
//! `client`) instead of separate crates: a build script cannot add crates to the build. The
//! including crate needs the dependencies the generated crates would have had; the file's first
//! lines list them (`codegen-runtime`, `serde`, `serde_json`, ...), and so does
//! [`Generated::dependencies`].

use codegen::settings::Layout;
use std::fmt;
use std::path::{Path, PathBuf};

/// What a build script's generation did.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The file written (`OUT_DIR/NAME.rs`).
    pub path: PathBuf,
    /// The `[dependencies]` lines the including crate needs.
    pub dependencies: Vec<String>,
}

/// A failed generation: every problem with its `file:line:column` (or JSON pointer), as the
/// command line prints them. `Debug` prints the same text, so `main() -> Result<(), Error>` and
/// `.unwrap()` show it readably.
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{}", self.0)
    }
}

impl std::error::Error for Error {}

/// Generates the code for `spec` with the settings file `config` (`None`: the one beside the
/// spec, `<stem>.codegen.toml` or `codegen.toml`, if any) into `OUT_DIR/NAME.rs`, and tells Cargo
/// to run the build script again when the spec or the settings change. Paths are relative to
/// the crate's directory, as build scripts run there. Warnings about the spec are passed on as
/// `cargo:warning` lines.
pub fn generate(spec: impl AsRef<Path>, config: Option<impl AsRef<Path>>) -> Result<Generated, Error> {
    let out = std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| Error("OUT_DIR is not set: call this from a build script".to_string()))?;
    generate_into(spec, config, &out)
}

/// [`generate`] into another directory (`src/generated/`, to commit the file): the same file,
/// written only when its bytes change.
pub fn generate_into(spec: impl AsRef<Path>, config: Option<impl AsRef<Path>>, dir: &Path) -> Result<Generated, Error> {
    let spec = spec.as_ref();
    let config = config.map(|c| c.as_ref().to_path_buf()).or_else(|| crate::project::settings_beside(spec));
    println!("cargo:rerun-if-changed={}", spec.display());
    if let Some(config) = &config {
        println!("cargo:rerun-if-changed={}", config.display());
    }
    let inputs = crate::project::Inputs {
        spec: Some(spec.to_path_buf()),
        config: config.clone(),
        out: Some(dir.to_path_buf()),
        command: "openapi_codegen::build::generate".to_string(),
        ..Default::default()
    };
    let mut project = crate::project::resolve(&inputs).map_err(Error)?;
    project.settings.options.layout = Layout::Module;
    let text = std::fs::read_to_string(&project.spec).map_err(|err| Error(format!("error: {}: cannot read: {err}", project.spec.display())))?;
    let generated = codegen::generate(&text, &project.settings).map_err(|diagnostics| Error(diagnostics.to_string()))?;
    for line in generated.warnings.as_warning_summary().lines() {
        println!("cargo:warning={line}");
    }
    let (name, text) = generated.files.into_iter().next().ok_or_else(|| Error("nothing was generated".to_string()))?;
    let path = dir.join(name);
    let text = crate::fsgen::normalize(&text);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_ref()) {
        std::fs::create_dir_all(dir).map_err(|err| Error(format!("error: {}: cannot create: {err}", dir.display())))?;
        std::fs::write(&path, text.as_bytes()).map_err(|err| Error(format!("error: {}: cannot write: {err}", path.display())))?;
    }
    let dependencies = text
        .lines()
        .skip_while(|line| !line.starts_with("// The including crate needs these [dependencies]:"))
        .skip(1)
        .map_while(|line| line.strip_prefix("//     "))
        .map(str::to_string)
        .collect();
    Ok(Generated { path, dependencies })
}
