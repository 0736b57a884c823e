//! `cargo xtask bench [--progenitor] [--runs N] [--corpus DIR]`: prints how long generation
//! takes. It is a script that prints figures, not a test: it exits 0 whether or not the goals
//! are met, and non-zero only when it could not measure (bad arguments, the release build
//! failed, the desk spec could not be generated).
//!
//! Steps:
//!
//! 1. `cargo build --release -p xtask` (`$CARGO` if set).
//! 2. For `spec/desk-v2.yaml` and every `.yaml`/`.yml`/`.json` file in the corpus directory
//!    (`../shared/corpus/public/` from the repository root unless `--corpus` says otherwise):
//!    - in-process generator time: the release binary is run as `xtask bench --inner FILE`,
//!      which reads the file once, runs `codegen::generate_str` (and `codegen::lower_str`, parse
//!      plus IR only) once untimed and then N times timed, and prints min and median. Specs the
//!      generator refuses are listed as refused and not timed further;
//!    - whole command wall time: `target/release/xtask codegen --spec FILE --out DIR --name NAME`
//!      N times, the output directory (under `target/bench/ours/`) removed before each run,
//!      outside the timing, so every run writes every file;
//!    - with `--progenitor`: the same for
//!      `cargo-progenitor progenitor -i FILE -o DIR -n NAME -v 0.1.0` (output under
//!      `target/bench/progenitor/`), installed first if missing with
//!      `cargo install cargo-progenitor --version PINNED --locked --root target/bench-tools`.
//!      cargo-progenitor reads JSON or YAML itself (it tries JSON, then YAML), so specs are
//!      passed unconverted. A failed run (it panics on some specs) is recorded as `failed` with
//!      its first error line and not repeated.
//! 3. A table (spec, in-process ms, whole command ms, progenitor ms, ratio) and the goals, each
//!    marked PASS or FAIL.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output, Stdio};
use std::time::Instant;

/// The cargo-progenitor release compared against (current on crates.io when this was written).
const PROGENITOR_VERSION: &str = "0.15.1";
/// Timed runs per measurement unless `--runs` says otherwise.
const DEFAULT_RUNS: usize = 10;
/// Goal: in-process generator time for the desk spec (release build, median).
const DESK_GOAL_MS: f64 = 20.0;
/// Goal: every corpus spec the generator accepts, as a whole command (median).
const CORPUS_GOAL_MS: f64 = 1000.0;
/// Goal: how many times faster than cargo-progenitor as a whole command (median against median).
const PROGENITOR_GOAL_RATIO: f64 = 5.0;

const USAGE: &str = "usage: cargo xtask bench [--progenitor] [--runs N] [--corpus DIR]";
const HELP: &str = "Builds the release xtask and prints min / median times (ms) for spec/desk-v2.yaml and every
spec in the corpus (default ../shared/corpus/public): in-process generation, and the whole
`xtask codegen` command. --progenitor also times cargo-progenitor (installed into
target/bench-tools if missing). --runs N sets the timed runs per measurement (default 10).";

/// Options of the outer command.
struct Options {
    progenitor: bool,
    runs: usize,
    corpus: Option<PathBuf>,
    inner: Option<PathBuf>,
    name: Option<String>,
}

/// Runs `cargo xtask bench`; see the module docs.
pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|arg| arg == "-h" || arg == "--help") {
        println!("{USAGE}\n\n{HELP}");
        return ExitCode::SUCCESS;
    }
    let options = match parse(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match &options.inner {
        Some(spec) => inner(spec, options.name.as_deref(), options.runs),
        None => outer(&options),
    }
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options { progenitor: false, runs: DEFAULT_RUNS, corpus: None, inner: None, name: None };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--progenitor" => options.progenitor = true,
            "--runs" => {
                let text = value("--runs")?;
                options.runs = match text.parse::<usize>() {
                    Ok(runs) if runs > 0 => runs,
                    _ => return Err(format!("--runs `{text}`: expected a positive number")),
                };
            }
            "--corpus" => options.corpus = Some(PathBuf::from(value("--corpus")?)),
            // Hidden: used by the outer command on the release binary.
            "--inner" => options.inner = Some(PathBuf::from(value("--inner")?)),
            "--name" => options.name = Some(value("--name")?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

// ---------------------------------------------------------------------------------------------
// Inner: in-process timing, run from the release binary.

/// Prints `ok GEN_MIN GEN_MEDIAN LOWER_MIN LOWER_MEDIAN FILES LINES` (milliseconds), or
/// `refused FIRST_LINE` with exit code 3.
fn inner(spec: &Path, name: Option<&str>, runs: usize) -> ExitCode {
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

// ---------------------------------------------------------------------------------------------
// Outer: build, time every spec, print the table and the goals.

/// One spec to time.
struct Spec {
    /// File name shown in the table.
    label: String,
    path: PathBuf,
    /// Crate name prefix passed to both generators.
    name: String,
    is_desk: bool,
}

/// Min and median of a series of runs, in milliseconds.
#[derive(Clone, Copy)]
struct Stat {
    min: f64,
    median: f64,
}

/// A measurement that may have failed.
enum Measured {
    Timed(Stat),
    Failed(String),
    Skipped(String),
}

/// What the inner run reported.
struct InProcess {
    generate: Stat,
    lower: Stat,
    lines: usize,
}

/// Everything measured for one spec.
struct Row {
    spec: Spec,
    in_process: Result<InProcess, String>,
    ours: Measured,
    progenitor: Measured,
}

fn outer(options: &Options) -> ExitCode {
    let root = crate::project_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let target = target_dir(&root);
    let bench_dir = target.join("bench");

    eprintln!("building the release xtask: {cargo} build --release -p xtask");
    let built = Command::new(&cargo).args(["build", "--release", "-p", "xtask"]).current_dir(&root).status();
    match built {
        Ok(status) if status.success() => {}
        Ok(status) => {
            eprintln!("error: cargo build --release -p xtask failed ({status})");
            return ExitCode::from(2);
        }
        Err(err) => {
            eprintln!("error: cannot run {cargo}: {err}");
            return ExitCode::from(2);
        }
    }
    let xtask_bin = target.join("release").join(format!("xtask{}", std::env::consts::EXE_SUFFIX));

    let progenitor_bin = if options.progenitor {
        match ensure_progenitor(&cargo, &root, &target) {
            Ok(bin) => Some(bin),
            Err(message) => {
                eprintln!("warning: cargo-progenitor is not available: {message}");
                None
            }
        }
    } else {
        None
    };

    let corpus = options.corpus.clone().unwrap_or_else(|| root.join("..").join("shared").join("corpus").join("public"));
    let mut specs = vec![Spec {
        label: "desk-v2.yaml (desk)".to_string(),
        path: root.join("spec").join("desk-v2.yaml"),
        name: "desk".to_string(),
        is_desk: true,
    }];
    match list_specs(&corpus) {
        Ok(found) => specs.extend(found.into_iter().map(|path| Spec {
            label: path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
            name: crate_prefix(&path),
            path,
            is_desk: false,
        })),
        Err(err) => eprintln!("note: corpus {}: {err}; timing the desk spec only", corpus.display()),
    }

    let runs = options.runs;
    let mut rows = Vec::new();
    for spec in specs {
        eprintln!("timing {} ...", spec.label);
        let in_process = run_inner(&xtask_bin, &spec, runs);
        let (ours, progenitor) = match &in_process {
            Err(_) => (Measured::Skipped("refused".into()), Measured::Skipped("-".into())),
            Ok(_) => {
                let ours = time_ours(&xtask_bin, &spec, &bench_dir.join("ours").join(&spec.name), runs);
                let progenitor = match (&progenitor_bin, options.progenitor) {
                    (Some(bin), _) => {
                        time_progenitor(bin, &spec, &bench_dir.join("progenitor").join(&spec.name), runs)
                    }
                    (None, true) => Measured::Skipped("not installed".into()),
                    (None, false) => Measured::Skipped("-".into()),
                };
                (ours, progenitor)
            }
        };
        rows.push(Row { spec, in_process, ours, progenitor });
    }

    print_table(&rows, runs, progenitor_bin.as_deref());
    print_goals(&rows, options.progenitor && progenitor_bin.is_some());

    let desk_ok = rows.iter().any(|row| row.spec.is_desk && row.in_process.is_ok());
    if desk_ok {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: the desk spec could not be generated");
        ExitCode::from(1)
    }
}

/// `CARGO_TARGET_DIR` when set (relative to the repository root), else `target/`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

fn list_specs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    Ok(specs)
}

/// `petstore-expanded.yaml` -> `petstore-expanded`, made into a valid crate name prefix (the
/// same rule as `cargo xtask corpus`).
fn crate_prefix(spec: &Path) -> String {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
    let cleaned: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let cleaned = cleaned.trim_matches('-').to_string();
    if cleaned.starts_with(|c: char| c.is_ascii_lowercase()) {
        cleaned
    } else {
        format!("spec-{cleaned}")
    }
}

fn run_inner(xtask_bin: &Path, spec: &Spec, runs: usize) -> Result<InProcess, String> {
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

/// Runs a command `runs` times, calling `prepare` (untimed) before each run. The first failure
/// ends the series.
fn time_command(mut command: Command, runs: usize, prepare: impl Fn()) -> Measured {
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

fn time_ours(xtask_bin: &Path, spec: &Spec, out: &Path, runs: usize) -> Measured {
    let mut command = Command::new(xtask_bin);
    command.arg("codegen").arg("--spec").arg(&spec.path).arg("--out").arg(out).args(["--name", &spec.name]);
    time_command(command, runs, || {
        let _ = std::fs::remove_dir_all(out);
    })
}

fn time_progenitor(bin: &Path, spec: &Spec, out: &Path, runs: usize) -> Measured {
    let mut command = Command::new(bin);
    command.arg("progenitor").arg("-i").arg(&spec.path).arg("-o").arg(out).args(["-n", &spec.name, "-v", "0.1.0"]);
    time_command(command, runs, || {
        let _ = std::fs::remove_dir_all(out);
    })
}

/// The installed cargo-progenitor, installing the pinned version first when it is missing.
fn ensure_progenitor(cargo: &str, root: &Path, target: &Path) -> Result<PathBuf, String> {
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
fn installed_progenitor_version(bin: &Path) -> Option<String> {
    let tools = bin.parent()?.parent()?;
    let manifest = std::fs::read_to_string(tools.join(".crates.toml")).ok()?;
    let line = manifest.lines().find(|line| line.trim_start().starts_with("\"cargo-progenitor "))?;
    line.trim_start().trim_start_matches('"').split_whitespace().nth(1).map(str::to_string)
}

/// The line that best says why a command failed: a panic message, else cargo-progenitor's
/// `gen fail:` line, else the first line that mentions an error, else the first non-empty line
/// of stderr or stdout.
fn first_error_line(output: &Output) -> String {
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

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(max).collect::<String>())
    }
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

fn min_median(values: &[f64]) -> (f64, f64) {
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

fn stat_cell(stat: Stat) -> String {
    format!("{} / {}", fmt_ms(stat.min), fmt_ms(stat.median))
}

fn fmt_ms(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2}")
    } else if value < 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    }
}

fn measured_cell(measured: &Measured) -> String {
    match measured {
        Measured::Timed(stat) => stat_cell(*stat),
        Measured::Failed(_) => "failed".to_string(),
        Measured::Skipped(why) => why.clone(),
    }
}

fn ratio(row: &Row) -> Option<f64> {
    match (&row.ours, &row.progenitor) {
        (Measured::Timed(ours), Measured::Timed(theirs)) => Some(theirs.median / ours.median),
        _ => None,
    }
}

fn print_table(rows: &[Row], runs: usize, progenitor_bin: Option<&Path>) {
    println!();
    println!("release build; {runs} timed runs each; cells are min / median in ms");
    println!("  gen    = in-process codegen::generate_str (parse + IR + emit + render), after one untimed run");
    println!("  lower  = in-process codegen::lower_str (parse + IR only), median");
    println!("  ours   = whole command `target/release/xtask codegen --spec FILE --out DIR --name NAME`");
    if let Some(bin) = progenitor_bin {
        let version = installed_progenitor_version(bin).unwrap_or_else(|| "unknown version".to_string());
        println!("  progenitor = whole command `cargo-progenitor progenitor -i FILE -o DIR -n NAME -v 0.1.0` ({version}; YAML passed as is;");
        println!("               it formats its output with rustfmt in a subprocess, which is part of its whole command)");
        println!("  ratio  = progenitor median / ours median");
    }
    println!("  output directories are removed before every run (untimed)");
    println!();
    let header = ["spec", "lines", "gen ms", "lower ms", "ours ms", "progenitor ms", "ratio"];
    let mut table: Vec<[String; 7]> = Vec::new();
    for row in rows {
        match &row.in_process {
            Ok(in_process) => table.push([
                row.spec.label.clone(),
                in_process.lines.to_string(),
                stat_cell(in_process.generate),
                fmt_ms(in_process.lower.median),
                measured_cell(&row.ours),
                measured_cell(&row.progenitor),
                ratio(row).map(|r| format!("{r:.1}x")).unwrap_or_else(|| "-".to_string()),
            ]),
            Err(_) => {
                let dash = || "-".to_string();
                table.push([row.spec.label.clone(), dash(), "refused".to_string(), dash(), dash(), dash(), dash()])
            }
        }
    }
    let mut widths = header.map(str::len);
    for cells in &table {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut text = String::new();
        for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if index == 0 {
                text.push_str(&format!("{cell:<width$}"));
            } else {
                text.push_str(&format!("  {cell:>width$}"));
            }
        }
        println!("{}", text.trim_end());
    };
    line(&header.map(str::to_string));
    line(&widths.map(|w| "-".repeat(w)));
    for cells in &table {
        line(cells);
    }

    let notes: Vec<String> = rows
        .iter()
        .flat_map(|row| {
            let mut notes = Vec::new();
            if let Err(reason) = &row.in_process {
                notes.push(format!("{}: refused by our generator: {}", row.spec.label, shorten(reason, 110)));
            }
            if let Measured::Failed(reason) = &row.ours {
                notes.push(format!("{}: our command failed: {reason}", row.spec.label));
            }
            if let Measured::Failed(reason) = &row.progenitor {
                notes.push(format!("{}: progenitor failed: {reason}", row.spec.label));
            }
            notes
        })
        .collect();
    if !notes.is_empty() {
        println!();
        for note in notes {
            println!("{note}");
        }
    }
}

fn verdict(pass: bool) -> &'static str {
    if pass {
        "PASS"
    } else {
        "FAIL"
    }
}

fn print_goals(rows: &[Row], progenitor_measured: bool) {
    println!();
    println!("goals:");

    match rows.iter().find(|row| row.spec.is_desk) {
        Some(Row { in_process: Ok(in_process), .. }) => {
            let median = in_process.generate.median;
            println!(
                "  {}  desk generator time (release, in-process median) < {DESK_GOAL_MS:.0} ms: {} ms",
                verdict(median < DESK_GOAL_MS),
                fmt_ms(median)
            );
        }
        _ => println!("  FAIL  desk generator time < {DESK_GOAL_MS:.0} ms: desk could not be generated"),
    }

    let corpus: Vec<&Row> = rows.iter().filter(|row| !row.spec.is_desk && row.in_process.is_ok()).collect();
    let refused = rows.iter().filter(|row| !row.spec.is_desk && row.in_process.is_err()).count();
    let mut worst_command: Option<(&str, f64)> = None;
    let mut worst_in_process: Option<(&str, f64)> = None;
    let mut command_failures = 0;
    for row in &corpus {
        match &row.ours {
            Measured::Timed(stat) if worst_command.is_none_or(|(_, ms)| stat.median > ms) => {
                worst_command = Some((&row.spec.label, stat.median));
            }
            Measured::Timed(_) => {}
            _ => command_failures += 1,
        }
        if let Ok(in_process) = &row.in_process {
            if worst_in_process.is_none_or(|(_, ms)| in_process.generate.median > ms) {
                worst_in_process = Some((&row.spec.label, in_process.generate.median));
            }
        }
    }
    match worst_command {
        Some((label, median)) => {
            let in_process = worst_in_process.map(|(l, m)| format!("; slowest in-process: {l} {} ms", fmt_ms(m))).unwrap_or_default();
            let failures =
                if command_failures > 0 { format!("; {command_failures} command run(s) failed") } else { String::new() };
            println!(
                "  {}  every accepted corpus spec < {CORPUS_GOAL_MS:.0} ms as a whole command (median): {} specs, slowest {label} {} ms{in_process}{failures} ({refused} refused specs not counted)",
                verdict(median < CORPUS_GOAL_MS && command_failures == 0),
                corpus.len(),
                fmt_ms(median)
            );
        }
        None => println!("  FAIL  every corpus spec < {CORPUS_GOAL_MS:.0} ms: no corpus spec was timed"),
    }

    if !progenitor_measured {
        println!("  ----  >= {PROGENITOR_GOAL_RATIO:.0}x faster than progenitor as a whole command: not measured (run with --progenitor)");
        return;
    }
    let compared: Vec<(&str, f64)> = rows.iter().filter_map(|row| ratio(row).map(|r| (row.spec.label.as_str(), r))).collect();
    let progenitor_failed: Vec<&str> = rows
        .iter()
        .filter(|row| matches!(row.progenitor, Measured::Failed(_)))
        .map(|row| row.spec.label.as_str())
        .collect();
    let failed_note = if progenitor_failed.is_empty() {
        String::new()
    } else {
        format!("; progenitor failed on {} spec(s), not compared: {}", progenitor_failed.len(), progenitor_failed.join(", "))
    };
    match compared.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)) {
        Some((label, lowest)) => {
            let below: Vec<&str> =
                compared.iter().filter(|(_, r)| *r < PROGENITOR_GOAL_RATIO).map(|(label, _)| *label).collect();
            let below_note = if below.is_empty() { String::new() } else { format!("; below goal: {}", below.join(", ")) };
            println!(
                "  {}  >= {PROGENITOR_GOAL_RATIO:.0}x faster than progenitor as a whole command (median / median): {} spec(s) compared, lowest {label} {lowest:.1}x{below_note}{failed_note}",
                verdict(below.is_empty()),
                compared.len()
            );
        }
        None => println!(
            "  FAIL  >= {PROGENITOR_GOAL_RATIO:.0}x faster than progenitor as a whole command: no spec where both generated{failed_note}"
        ),
    }
}
