//! `cargo xtask diff [--base GIT_REV | OLD_SPEC] [NEW_SPEC] [--json] [--name NAME] [--config FILE]
//! [--old-config FILE]`: `openapi-codegen diff` (`openapi_codegen::diff`) with the desk spec as
//! the default new spec, so that `cargo xtask diff` compares the committed `spec/desk-v2.yaml`
//! (and `spec/codegen.toml`) at `HEAD` with the working tree's.

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask diff [--base GIT_REV | OLD_SPEC] [NEW_SPEC] [--json] [--name NAME] [--config FILE] [--old-config FILE]
  compares the old spec (default: HEAD:spec/desk-v2.yaml) with the new one (default: spec/desk-v2.yaml),
  each with its settings file (spec/codegen.toml for the desk)
  exit code: 0 nothing breaks, 1 something breaks clients or servers, 2 error";

/// Runs the command.
pub fn run(args: &[String]) -> ExitCode {
    let root = xtask::project_root();
    let defaults = openapi_codegen::diff::Defaults { new_spec: Some((root.join(xtask::DESK_SPEC), xtask::DESK_SPEC.to_string())) };
    openapi_codegen::diff::run(args, &defaults, USAGE)
}
