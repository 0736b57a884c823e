//! `cargo xtask bench`: placeholder until the benchmark lands.

use std::process::ExitCode;

/// Runs the benchmark.
pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("not implemented yet");
    ExitCode::from(2)
}
