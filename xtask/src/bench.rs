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
//!    - whole command wall time and peak memory: `target/release/xtask codegen --spec FILE --out
//!      DIR --name NAME` N times, the output directory (under `target/bench/ours/`) removed
//!      before each run, outside the timing, so every run writes every file. The child is reaped
//!      with `wait4`, whose `ru_maxrss` is the peak resident memory of that child (and of the
//!      children it waited for), not of this process; the median of the runs' peaks is shown;
//!    - with `--progenitor`: the same for
//!      `cargo-progenitor progenitor -i FILE -o DIR -n NAME -v 0.1.0` (output under
//!      `target/bench/progenitor/`), installed first if missing with
//!      `cargo install cargo-progenitor --version PINNED --locked --root target/bench-tools`.
//!      cargo-progenitor reads JSON or YAML itself (it tries JSON, then YAML), so specs are
//!      passed unconverted. A failed run (it panics on some specs) is recorded as `failed` with
//!      its first error line and not repeated.
//! 3. A table (spec, size, lines, in-process ms, whole command ms and MB, progenitor ms and MB,
//!    ratio) and the goals, each marked PASS or FAIL.

mod inner;
mod measure;
mod progenitor;
mod report;

use measure::{time_command, Measured};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Timed runs per measurement unless `--runs` says otherwise.
const DEFAULT_RUNS: usize = 10;
/// Goal: in-process generator time for the desk spec (release build, median).
const DESK_GOAL_MS: f64 = 20.0;
/// Goal: every corpus spec the generator accepts, as a whole command (median).
const CORPUS_GOAL_MS: f64 = 1000.0;
/// Goal: how many times faster than cargo-progenitor as a whole command (median against median).
const PROGENITOR_GOAL_RATIO: f64 = 5.0;
/// Goal: peak memory of the whole command for specs of this size in bytes (the reference
/// is progenitor's `nexus.json`, 437 KB with 193 operations).
const MID_SPEC_BYTES: std::ops::RangeInclusive<u64> = 300_000..=600_000;
const MID_SPEC_GOAL_MB: f64 = 60.0;
/// Goal: peak memory of the whole command for every spec up to this size in bytes.
const LARGE_SPEC_BYTES: u64 = 4_000_000;
const LARGE_SPEC_GOAL_MB: f64 = 300.0;

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
        Some(spec) => inner::inner(spec, options.name.as_deref(), options.runs),
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
// Outer: build, time every spec, print the table and the goals.

/// One spec to time.
struct Spec {
    /// File name shown in the table.
    label: String,
    path: PathBuf,
    /// Crate name prefix passed to both generators.
    name: String,
    /// Size of the file in bytes.
    bytes: u64,
    is_desk: bool,
}

impl Spec {
    fn desk(root: &Path) -> Spec {
        let path = root.join("spec").join("desk-v2.yaml");
        Spec { label: "desk-v2.yaml (desk)".to_string(), name: "desk".to_string(), bytes: file_size(&path), path, is_desk: true }
    }

    fn other(path: PathBuf) -> Spec {
        Spec {
            label: path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
            name: crate_prefix(&path),
            bytes: file_size(&path),
            path,
            is_desk: false,
        }
    }
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|metadata| metadata.len()).unwrap_or(0)
}

/// Everything measured for one spec.
struct Row {
    spec: Spec,
    in_process: Result<inner::InProcess, String>,
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
        match progenitor::ensure_progenitor(&cargo, &root, &target) {
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
    let mut specs = vec![Spec::desk(&root)];
    match list_specs(&corpus) {
        Ok(found) => specs.extend(found.into_iter().map(Spec::other)),
        Err(err) => eprintln!("note: corpus {}: {err}; timing the desk spec only", corpus.display()),
    }

    let runs = options.runs;
    let mut rows = Vec::new();
    for spec in specs {
        eprintln!("timing {} ...", spec.label);
        let in_process = inner::run_inner(&xtask_bin, &spec, runs);
        let (ours, progenitor) = match &in_process {
            Err(_) => (Measured::Skipped("refused".into()), Measured::Skipped("-".into())),
            Ok(_) => {
                let ours = time_ours(&xtask_bin, &spec, &bench_dir.join("ours").join(&spec.name), runs);
                let progenitor = match (&progenitor_bin, options.progenitor) {
                    (Some(bin), _) => {
                        progenitor::time_progenitor(bin, &spec, &bench_dir.join("progenitor").join(&spec.name), runs)
                    }
                    (None, true) => Measured::Skipped("not installed".into()),
                    (None, false) => Measured::Skipped("-".into()),
                };
                (ours, progenitor)
            }
        };
        rows.push(Row { spec, in_process, ours, progenitor });
    }

    report::print_table(&rows, runs, progenitor_bin.as_deref());
    report::print_goals(&rows, options.progenitor && progenitor_bin.is_some());

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

fn time_ours(xtask_bin: &Path, spec: &Spec, out: &Path, runs: usize) -> Measured {
    let mut command = Command::new(xtask_bin);
    command.arg("codegen").arg("--spec").arg(&spec.path).arg("--out").arg(out).args(["--name", &spec.name]);
    time_command(command, runs, || {
        let _ = std::fs::remove_dir_all(out);
    })
}
