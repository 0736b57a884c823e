//! The commands of the OpenAPI to Rust generator, for the `openapi-codegen` binary, for
//! `cargo xtask` in the generator's repository, and for build scripts ([`build`]).
//!
//! The generator itself is the `codegen` library (text in, files out); this crate reads the spec
//! and the settings file, writes what changed ([`fsgen`]), checks for drift and compares specs.
//!
//! - [`project`]: a spec, its settings file (`codegen.toml`) and an output directory, resolved
//!   the same way for every command; [`project::generate`] and [`project::write_or_check`].
//! - [`diff`]: what a change of the spec (and its settings) does to the generated crates.
//! - [`build`]: one function for a `build.rs` that generates into `OUT_DIR`.

#[cfg(feature = "mimalloc")]
pub mod alloc;
pub mod build;
pub mod diff;
pub mod fsgen;
pub mod project;

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
