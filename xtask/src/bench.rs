//! `cargo xtask bench [--progenitor] [--runs N] [--specs DIR|FILE] [--only NAME,...] [--build]`:
//! prints how long generation takes and how much memory it needs, and with `--build` how long
//! the generated crates take to compile, each beside cargo-progenitor with `--progenitor`. It is a
//! script that prints figures, not a test: it exits 0 whether or not the goals are met, and
//! non-zero only when it could not measure (bad arguments, an `--only` name or `--specs` path
//! that matches nothing, the release build failed, the desk spec could not be generated).
//!
//! Steps:
//!
//! 1. `cargo build --release -p xtask` (`$CARGO` if set).
//! 2. For `spec/desk-v2.yaml` and every `.yaml`/`.yml`/`.json` file in the corpus directory
//!    (`../shared/corpus/public/` from the repository root unless `--specs`, alias `--corpus`,
//!    names another folder or a single file), less those `--only` leaves out (names are file
//!    stems, `desk` for the desk spec):
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
//!    ratio).
//! 4. With `--build`, for the same specs, the build time of the generated crates (see
//!    `bench/build.rs`) and a second table (lines and build seconds, ours and progenitor's, ratio).
//! 5. The goals, each marked PASS or FAIL.

mod build;
mod inner;
mod measure;
mod progenitor;
mod report;
mod scale;

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
/// The ratio goal is about progenitor's larger samples (the 437 KB nexus.json): on a
/// spec of a few KB both commands are mostly process start-up and file creation (ours 6-10 ms
/// writing 49 files, progenitor 33-52 ms running rustfmt), so those ratios are printed apart.
const PROGENITOR_GOAL_BYTES: u64 = 100_000;
/// Goal: peak memory of the whole command for specs of this size in bytes (the reference
/// is progenitor's `nexus.json`, 437 KB with 193 operations).
const MID_SPEC_BYTES: std::ops::RangeInclusive<u64> = 300_000..=600_000;
const MID_SPEC_GOAL_MB: f64 = 60.0;
/// Goal: peak memory of the whole command for every spec up to this size in bytes.
const LARGE_SPEC_BYTES: u64 = 4_000_000;
const LARGE_SPEC_GOAL_MB: f64 = 300.0;

const USAGE: &str =
    "usage: cargo xtask bench [--progenitor] [--runs N] [--specs DIR|FILE] [--only NAME[,NAME...]] [--build] [--scale]";
const HELP: &str = "Builds the release xtask and prints, for spec/desk-v2.yaml and every spec in the folder:
min / median times (ms) of in-process generation and of the whole `xtask codegen` command, and
the whole command's peak memory (MB, median of the runs), then the goals (PASS / FAIL; they
never change the exit code).

  --progenitor        also time cargo-progenitor (installed into target/bench-tools if missing)
                      and, with --build, build its crate
  --runs N            timed runs per measurement (default 10)
  --specs DIR|FILE    the specs to measure besides the desk spec: every .yaml/.yml/.json file
                      of DIR, or one file (default ../shared/corpus/public); --corpus is the
                      same option
  --only NAME,...     only these specs, by file stem (`petstore` for petstore.yaml; `desk` for
                      the desk spec), for the timing and the builds alike
  --build             also time `cargo build` (dev profile, CARGO_INCREMENTAL=0, dependencies
                      built first, best of 2) of our generated types, validation and client
                      crates and, with --progenitor, of progenitor's crate; both share one
                      target directory (target/bench/build/target), emptied of each spec's own
                      crates after it
  --scale             instead of the corpus, specs that grow one thing at a time (schemas,
                      operations, enum values, properties, variants, chains, parameters,
                      responses; 3.0, 3.1, Swagger 2.0), each at N and 2N, written to
                      target/bench/scale/; prints the time ratio of each pair (about 2 is
                      linear) and flags those that grow faster";

/// Options of the outer command.
#[derive(Clone)]
struct Options {
    progenitor: bool,
    runs: usize,
    /// `--specs` (or `--corpus`): a folder of specs or one spec file.
    specs: Option<PathBuf>,
    /// `--only`: names of the specs to keep.
    only: Option<Vec<String>>,
    build: bool,
    scale: bool,
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
    let mut options =
        Options {
        progenitor: false,
        runs: DEFAULT_RUNS,
        specs: None,
        only: None,
        build: false,
        scale: false,
        inner: None,
        name: None,
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--progenitor" => options.progenitor = true,
            "--build" => options.build = true,
            "--scale" => options.scale = true,
            "--runs" => {
                let text = value("--runs")?;
                options.runs = match text.parse::<usize>() {
                    Ok(runs) if runs > 0 => runs,
                    _ => return Err(format!("--runs `{text}`: expected a positive number")),
                };
            }
            "--specs" | "--corpus" => options.specs = Some(PathBuf::from(value(arg)?)),
            "--only" => {
                let names: Vec<String> =
                    value("--only")?.split(',').map(str::trim).filter(|name| !name.is_empty()).map(str::to_string).collect();
                if names.is_empty() {
                    return Err("--only needs at least one spec name".to_string());
                }
                options.only = Some(names);
            }
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

    /// Whether `--only NAME` names this spec: its crate name prefix or its file stem.
    fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.path.file_stem().is_some_and(|stem| stem == name)
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

    let scale_dir = bench_dir.join("scale");
    if options.scale {
        if options.specs.is_some() {
            eprintln!("error: --scale writes its own specs; leave out --specs");
            return ExitCode::from(2);
        }
        if let Err(message) = scale::write_specs(&scale_dir) {
            eprintln!("error: --scale: {message}");
            return ExitCode::from(2);
        }
    }
    let mut scaled = options.clone();
    if options.scale {
        scaled.specs = Some(scale_dir);
    }
    let options = &scaled;
    let specs = match select_specs(&root, options) {
        Ok(specs) => specs,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let xtask_bin = match build_release_xtask(&cargo, &root, &target) {
        Ok(bin) => bin,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    // cargo-progenitor, or what its cells say instead.
    let progenitor_bin: Result<PathBuf, &str> = if options.progenitor {
        progenitor::ensure_progenitor(&cargo, &root, &target).map_err(|message| {
            eprintln!("warning: cargo-progenitor is not available: {message}");
            "not installed"
        })
    } else {
        Err("-")
    };
    let progenitor = progenitor_bin.as_deref().map_err(|why| *why);

    let runs = options.runs;
    let rows: Vec<Row> = specs.into_iter().map(|spec| time_spec(spec, &xtask_bin, progenitor, &bench_dir, runs)).collect();
    report::print_table(&rows, runs, progenitor.ok());
    if options.scale {
        scale::print_growth(&rows);
    }
    if options.build {
        let tools = build::Tools { cargo: &cargo, xtask_bin: &xtask_bin, progenitor, dir: bench_dir.join("build") };
        let built: Vec<build::BuildRow> = rows.iter().map(|row| build::build_spec(&row.spec, &tools)).collect();
        build::print_table(&built, progenitor.is_ok());
    }
    report::print_goals(&rows, progenitor.is_ok());

    let desk_failed = rows.iter().any(|row| row.spec.is_desk && row.in_process.is_err());
    if desk_failed {
        eprintln!("error: the desk spec could not be generated");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The specs to measure: the desk spec, then every spec of `--specs` (a folder, or one file),
/// less those `--only` leaves out. A missing default corpus leaves the desk spec alone; a
/// missing `--specs` or an `--only` name that matches nothing is an error.
fn select_specs(root: &Path, options: &Options) -> Result<Vec<Spec>, String> {
    let mut specs = vec![Spec::desk(root)];
    match &options.specs {
        Some(file) if file.is_file() => specs.push(Spec::other(file.clone())),
        Some(dir) => {
            let found = list_specs(dir).map_err(|err| format!("--specs {}: {err}", dir.display()))?;
            specs.extend(found.into_iter().map(Spec::other));
        }
        None => {
            let corpus = root.join("..").join("shared").join("corpus").join("public");
            match list_specs(&corpus) {
                Ok(found) => specs.extend(found.into_iter().map(Spec::other)),
                Err(err) => eprintln!("note: corpus {}: {err}; timing the desk spec only", corpus.display()),
            }
        }
    }
    let Some(names) = &options.only else {
        return Ok(specs);
    };
    if let Some(missing) = names.iter().find(|name| !specs.iter().any(|spec| spec.answers_to(name))) {
        return Err(format!("--only: no spec named `{missing}` (names are file stems, such as `petstore`, or `desk`)"));
    }
    specs.retain(|spec| names.iter().any(|name| spec.answers_to(name)));
    Ok(specs)
}

/// `cargo build --release -p xtask`; returns the binary.
fn build_release_xtask(cargo: &str, root: &Path, target: &Path) -> Result<PathBuf, String> {
    eprintln!("building the release xtask: {cargo} build --release -p xtask");
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "xtask"])
        .current_dir(root)
        .status()
        .map_err(|err| format!("cannot run {cargo}: {err}"))?;
    if !status.success() {
        return Err(format!("cargo build --release -p xtask failed ({status})"));
    }
    Ok(target.join("release").join(format!("xtask{}", std::env::consts::EXE_SUFFIX)))
}

/// Times one spec: in process, then as a whole command, ours and (when `progenitor` is the
/// binary rather than the reason it is not measured) progenitor's.
fn time_spec(spec: Spec, xtask_bin: &Path, progenitor: Result<&Path, &str>, bench_dir: &Path, runs: usize) -> Row {
    eprintln!("timing {} ...", spec.label);
    let in_process = inner::run_inner(xtask_bin, &spec, runs);
    if in_process.is_err() {
        return Row { spec, in_process, ours: Measured::Skipped("refused".into()), progenitor: Measured::Skipped("-".into()) };
    }
    let ours = time_generation(Generation::ours(xtask_bin, &spec, &bench_dir.join("ours").join(&spec.name)), runs);
    let progenitor = match progenitor {
        Ok(bin) => {
            time_generation(progenitor::generation(bin, &spec, &bench_dir.join("progenitor").join(&spec.name)), runs)
        }
        Err(why) => Measured::Skipped(why.to_string()),
    };
    Row { spec, in_process, ours, progenitor }
}

/// A generator's command and the directory it writes.
struct Generation {
    command: Command,
    out: PathBuf,
}

impl Generation {
    /// `xtask codegen --spec FILE --out DIR --name NAME --config DEFAULTS` on the release
    /// binary. Every spec gets the default settings, even one with a `codegen.toml` beside it
    /// (the desk spec's would make its crates members of this repository's workspace, so they
    /// would not build on their own).
    fn ours(xtask_bin: &Path, spec: &Spec, out: &Path) -> Generation {
        let defaults = out.with_extension("codegen.toml");
        if let Some(parent) = defaults.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        // A failed write shows as the command's own error about the missing file.
        let _ = std::fs::write(&defaults, "# The default settings.\n");
        let mut command = Command::new(xtask_bin);
        command.arg("codegen").arg("--spec").arg(&spec.path).arg("--out").arg(out).args(["--name", &spec.name]);
        command.arg("--config").arg(&defaults);
        Generation { command, out: out.to_path_buf() }
    }

    /// Runs it once into an emptied directory.
    fn run_once(mut self) -> Result<(), String> {
        let _ = std::fs::remove_dir_all(&self.out);
        measure::run_checked(&mut self.command).map(drop)
    }
}

/// Runs a generation `runs` times, its output directory removed (untimed) before each run.
fn time_generation(generation: Generation, runs: usize) -> Measured {
    let Generation { command, out } = generation;
    time_command(command, runs, || {
        let _ = std::fs::remove_dir_all(&out);
    })
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
