//! Running commands and summing up their runs.

use std::process::{Command, Output, Stdio};
use std::time::Instant;

/// Min and median of a series of runs, in milliseconds.
#[derive(Clone, Copy)]
pub(super) struct Stat {
    pub(super) min: f64,
    pub(super) median: f64,
}

/// A measurement that may have failed.
pub(super) enum Measured {
    Timed(Stat),
    Failed(String),
    Skipped(String),
}

/// Runs a command `runs` times, calling `prepare` (untimed) before each run. The first failure
/// ends the series.
pub(super) fn time_command(mut command: Command, runs: usize, prepare: impl Fn()) -> Measured {
    command.stdin(Stdio::null());
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        prepare();
        let started = Instant::now();
        let output = command.output();
        let elapsed = ms(started);
        match output {
            Ok(output) if output.status.success() => times.push(elapsed),
            Ok(output) => return Measured::Failed(first_error_line(&output)),
            Err(err) => return Measured::Failed(format!("cannot run: {err}")),
        }
    }
    let (min, median) = min_median(&times);
    Measured::Timed(Stat { min, median })
}

/// The line that best says why a command failed: a panic message, else cargo-progenitor's
/// `gen fail:` line, else the first line that mentions an error, else the first non-empty line
/// of stderr or stdout.
pub(super) fn first_error_line(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stderr.lines().chain(stdout.lines()).map(str::trim).filter(|l| !l.is_empty()).collect();
    let found = if let Some(index) = lines.iter().position(|l| l.contains("panicked at")) {
        // Since Rust 1.73 the panic message is on the line after `panicked at FILE:LINE:COL:`.
        match lines.get(index + 1) {
            Some(message) if lines[index].ends_with(':') => format!("panicked: {message}"),
            _ => lines[index].to_string(),
        }
    } else if let Some(line) = lines.iter().find(|l| l.starts_with("gen fail")) {
        // cargo-progenitor prints the generator's error on stdout, then a generic one on stderr.
        line.to_string()
    } else if let Some(line) = lines.iter().find(|l| l.to_ascii_lowercase().contains("error")) {
        line.to_string()
    } else {
        lines.first().map(|l| l.to_string()).unwrap_or_else(|| format!("exit status {}", output.status))
    };
    shorten(&found, 110)
}

pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(max).collect::<String>())
    }
}

pub(super) fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

pub(super) fn min_median(values: &[f64]) -> (f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let min = sorted.first().copied().unwrap_or(f64::NAN);
    let median = match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    };
    (min, median)
}
