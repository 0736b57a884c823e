//! Running commands and summing up their runs: wall time, and the peak resident memory of the
//! child read from `wait4` (its own `ru_maxrss`, not this process's).

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::thread::JoinHandle;
use std::time::Instant;

/// Min and median of a series of runs, in milliseconds.
#[derive(Clone, Copy)]
pub(super) struct Stat {
    pub(super) min: f64,
    pub(super) median: f64,
}

/// What a series of successful runs of one command measured.
#[derive(Clone, Copy)]
pub(super) struct Series {
    pub(super) time: Stat,
    /// Median over the runs of each run's peak resident memory, in MB (10^6 bytes); `None` where
    /// the platform does not report it.
    pub(super) peak_mb: Option<f64>,
}

/// A measurement that may have failed.
pub(super) enum Measured {
    Done(Series),
    Failed(String),
    Skipped(String),
}

/// One run of a command.
pub(super) struct Run {
    pub(super) output: Output,
    pub(super) ms: f64,
    /// Peak resident memory in bytes: the largest of the child and of the descendants it waited
    /// for (cargo-progenitor's rustfmt, cargo's rustc), as the kernel keeps it.
    pub(super) peak_bytes: Option<u64>,
}

/// Runs a command once with no input and its output captured (read on threads, so a chatty
/// child never blocks on a full pipe), timing it from spawn to reaping.
pub(super) fn run_measured(command: &mut Command) -> std::io::Result<Run> {
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn()?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let waited = wait_with_peak(&mut child);
    let ms = ms(started);
    // The pipes close when the child exits (or, after a failed wait, when it is dropped).
    let (stdout, stderr) = (join(stdout), join(stderr));
    let (status, peak_bytes) = waited?;
    Ok(Run { output: Output { status, stdout, stderr }, ms, peak_bytes })
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

fn join(reader: JoinHandle<Vec<u8>>) -> Vec<u8> {
    reader.join().unwrap_or_default()
}

/// Reaps the child with `wait4`, which also returns its resource usage. `ru_maxrss` is in KiB
/// on Linux and in bytes on macOS.
#[cfg(unix)]
fn wait_with_peak(child: &mut Child) -> std::io::Result<(ExitStatus, Option<u64>)> {
    use std::os::unix::process::ExitStatusExt;
    let pid = libc::pid_t::try_from(child.id()).map_err(std::io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is a plain C struct of integers, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not reaped yet (`Child` has not been waited on, and is
        // not afterwards); both pointers are to locals that outlive the call.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    let peak = u64::try_from(usage.ru_maxrss).ok().map(|value| value * unit);
    Ok((ExitStatus::from_raw(status), peak))
}

/// Elsewhere the peak is not measured.
#[cfg(not(unix))]
fn wait_with_peak(child: &mut Child) -> std::io::Result<(ExitStatus, Option<u64>)> {
    Ok((child.wait()?, None))
}

/// [`run_measured`], with a failure (it could not start, or exited unsuccessfully) told by its
/// first error line.
pub(super) fn run_checked(command: &mut Command) -> Result<Run, String> {
    match run_measured(command) {
        Ok(run) if run.output.status.success() => Ok(run),
        Ok(run) => Err(first_error_line(&run.output)),
        Err(err) => Err(format!("cannot run: {err}")),
    }
}

/// Runs a command `runs` times, calling `prepare` (untimed) before each run. The first failure
/// ends the series.
pub(super) fn time_command(mut command: Command, runs: usize, prepare: impl Fn()) -> Measured {
    let mut times = Vec::with_capacity(runs);
    let mut peaks = Vec::with_capacity(runs);
    for _ in 0..runs {
        prepare();
        match run_checked(&mut command) {
            Ok(run) => {
                times.push(run.ms);
                peaks.extend(run.peak_bytes.map(|bytes| bytes as f64 / 1e6));
            }
            Err(reason) => return Measured::Failed(reason),
        }
    }
    let (min, median) = min_median(&times);
    let peak_mb = (peaks.len() == times.len()).then(|| min_median(&peaks).1);
    Measured::Done(Series { time: Stat { min, median }, peak_mb })
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
