//! The in-process timing: `xtask bench --inner FILE` on the release binary, and the outer
//! side that runs it and reads its one-line answer.

use super::measure::{first_error_line, min_median, ms, Stat};
use super::{crate_prefix, Spec};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// What the inner run reported.
pub(super) struct InProcess {
    pub(super) generate: Stat,
    pub(super) lower: Stat,
    pub(super) lines: usize,
}

/// Prints `ok GEN_MIN GEN_MEDIAN LOWER_MIN LOWER_MEDIAN FILES LINES` (milliseconds), or
/// `refused FIRST_LINE` with exit code 3.
pub(super) fn inner(spec: &Path, name: Option<&str>, runs: usize) -> ExitCode {
    let name = name.map(str::to_string).unwrap_or_else(|| crate_prefix(spec));
    let settings = crate::standalone_settings(spec, &name);
    let text = match std::fs::read_to_string(spec) {
        Ok(text) => text,
        Err(err) => {
            println!("refused cannot read {}: {err}", spec.display());
            return ExitCode::from(3);
        }
    };
    // Untimed warm-up run, which also tells whether the spec is accepted at all.
    let files = match codegen::generate_str(&text, &settings) {
        Ok(files) => files,
        Err(diagnostics) => {
            let message = diagnostics.to_string();
            println!("refused {}", message.lines().next().unwrap_or("refused"));
            return ExitCode::from(3);
        }
    };
    let lines: usize = files.values().map(|text| text.lines().count()).sum();
    let mut generate = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let result = codegen::generate_str(&text, &settings);
        generate.push(ms(started));
        drop(std::hint::black_box(result));
    }
    // `lower_str` runs on the caller's stack (generate_str has its own big one): use a thread
    // with a large stack too, so deep specs time the same code without overflowing.
    let lower = std::thread::scope(|scope| {
        let timed = || {
            let mut lower = Vec::with_capacity(runs);
            drop(std::hint::black_box(codegen::lower_str(&text, &settings)));
            for _ in 0..runs {
                let started = Instant::now();
                let result = codegen::lower_str(&text, &settings);
                lower.push(ms(started));
                drop(std::hint::black_box(result));
            }
            lower
        };
        match std::thread::Builder::new().stack_size(256 * 1024 * 1024).spawn_scoped(scope, timed) {
            Ok(handle) => handle.join().unwrap_or_default(),
            Err(_) => timed(),
        }
    });
    let (gen_min, gen_median) = min_median(&generate);
    let (lower_min, lower_median) = min_median(&lower);
    println!("ok {gen_min:.3} {gen_median:.3} {lower_min:.3} {lower_median:.3} {} {lines}", files.len());
    ExitCode::SUCCESS
}

pub(super) fn run_inner(xtask_bin: &Path, spec: &Spec, runs: usize) -> Result<InProcess, String> {
    let output = Command::new(xtask_bin)
        .arg("bench")
        .arg("--inner")
        .arg(&spec.path)
        .args(["--name", &spec.name, "--runs", &runs.to_string()])
        .stdin(Stdio::null())
        .output()
        .map_err(|err| format!("cannot run {}: {err}", xtask_bin.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    if let Some(reason) = line.strip_prefix("refused ") {
        return Err(reason.to_string());
    }
    let fields: Vec<&str> = line.split_whitespace().collect();
    let number = |index: usize| fields.get(index).and_then(|f| f.parse::<f64>().ok());
    match (fields.first(), number(1), number(2), number(3), number(4), number(6)) {
        (Some(&"ok"), Some(gen_min), Some(gen_median), Some(lower_min), Some(lower_median), Some(lines)) => {
            Ok(InProcess {
                generate: Stat { min: gen_min, median: gen_median },
                lower: Stat { min: lower_min, median: lower_median },
                lines: lines as usize,
            })
        }
        _ => Err(format!("inner run failed: {}", first_error_line(&output))),
    }
}

