//! `cargo xtask bench-server`: placeholder until the server benchmark lands.

use std::process::ExitCode;

/// Runs the server benchmark.
pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(2)
}
