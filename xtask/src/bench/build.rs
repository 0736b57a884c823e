//! `--build`: how long the generated crates take to compile, our types, validation and client
//! crates (the server is not what progenitor generates) beside progenitor's one crate.
//!
//! For each spec both generators write into `target/bench/build/{ours,progenitor}/NAME`, and
//! every cargo command shares one target directory, `target/bench/build/target`, with the dev
//! profile and `CARGO_INCREMENTAL=0`. An untimed warm-up build of each project builds its
//! dependencies (and resolves its lock file); then each project is built [`BUILD_RUNS`] times,
//! its Rust sources touched before each run so that exactly the generated crates recompile, and
//! the best run is kept. Afterwards the spec's own crates are cleaned out of the shared target
//! directory (the dependencies stay for the next spec), as `cargo xtask corpus` does.

use super::measure::{run_checked, shorten};
use super::report::{print_grid, ratio_cell};
use super::{Generation, Spec};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// Timed builds per project; the fastest is kept.
const BUILD_RUNS: usize = 2;
/// Our crates that are built: the ones progenitor's single crate stands for.
const OUR_KINDS: [&str; 3] = ["types", "validation", "client"];

/// What `--build` needs from the outer command.
pub(super) struct Tools<'a> {
    pub(super) cargo: &'a str,
    pub(super) xtask_bin: &'a Path,
    /// cargo-progenitor, or why it is not built (`-` when `--progenitor` was not given).
    pub(super) progenitor: Result<&'a Path, &'a str>,
    /// `target/bench/build`.
    pub(super) dir: PathBuf,
}

/// One generator's crates for one spec: built, or why not.
pub(super) enum Built {
    Done { lines: usize, seconds: f64 },
    Failed(String),
    Skipped(String),
}

/// Both generators' builds for one spec.
pub(super) struct BuildRow {
    label: String,
    ours: Built,
    progenitor: Built,
}

/// A generated project ready to build.
struct Project {
    manifest: PathBuf,
    /// The packages built, each with `-p`.
    packages: Vec<String>,
    /// The Rust sources of those packages, touched before each timed build.
    sources: Vec<PathBuf>,
}

/// Generates, warms up, times and cleans both generators' crates for one spec.
pub(super) fn build_spec(spec: &Spec, tools: &Tools) -> BuildRow {
    eprintln!("building the crates generated from {} ...", spec.label);
    let ours_out = tools.dir.join("ours").join(&spec.name);
    let ours = prepare(Generation::ours(tools.xtask_bin, spec, &ours_out), || Ok(our_project(&ours_out, &spec.name)));
    let progenitor = tools.progenitor.map(|bin| {
        let out = tools.dir.join("progenitor").join(&spec.name);
        prepare(super::progenitor::generation(bin, spec, &out), || progenitor_project(&out, &spec.name))
    });
    let ours_built = time_builds(&ours, tools);
    let progenitor_built = match &progenitor {
        Ok(project) => time_builds(project, tools),
        Err(why) => Built::Skipped(why.to_string()),
    };
    let projects = [Some(&ours), progenitor.as_ref().ok()];
    for project in projects.into_iter().flatten().filter_map(|project| project.as_ref().ok()) {
        release_artifacts(project, tools);
    }
    BuildRow { label: spec.label.clone(), ours: ours_built, progenitor: progenitor_built }
}

/// Generates once, then finds what to build.
fn prepare(generation: Generation, project: impl FnOnce() -> Result<Project, String>) -> Result<Project, String> {
    generation.run_once().map_err(|reason| format!("generation failed: {reason}"))?;
    project()
}

/// Our workspace: the types, validation and client crates that were generated.
fn our_project(out: &Path, name: &str) -> Project {
    let packages: Vec<String> =
        OUR_KINDS.iter().map(|kind| format!("{name}-{kind}")).filter(|package| out.join(package).is_dir()).collect();
    let sources = packages.iter().flat_map(|package| rust_files(&out.join(package).join("src"))).collect();
    Project { manifest: out.join("Cargo.toml"), packages, sources }
}

/// Progenitor's crate (named NAME). Its manifest gets an empty `[workspace]` table, so that cargo
/// does not take it for a member of this repository's workspace, which encloses `target/`.
fn progenitor_project(out: &Path, name: &str) -> Result<Project, String> {
    let manifest = out.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|err| format!("{}: {err}", manifest.display()))?;
    if !text.lines().any(|line| line.trim() == "[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|err| format!("{}: {err}", manifest.display()))?;
    }
    Ok(Project { manifest, packages: vec![name.to_string()], sources: rust_files(&out.join("src")) })
}

/// Warm-up build, then the best of [`BUILD_RUNS`] timed builds.
fn time_builds(project: &Result<Project, String>, tools: &Tools) -> Built {
    let project = match project {
        Ok(project) => project,
        Err(reason) => return Built::Failed(reason.clone()),
    };
    if project.packages.is_empty() {
        return Built::Skipped("no crate".to_string());
    }
    let lines = project.sources.iter().map(|path| count_lines(path)).sum();
    let mut build = cargo(tools, "build", project);
    if let Err(reason) = run_checked(&mut build) {
        return Built::Failed(format!("cargo build: {reason}"));
    }
    let mut best = f64::INFINITY;
    for _ in 0..BUILD_RUNS {
        touch(&project.sources);
        match run_checked(&mut build) {
            Ok(run) => best = best.min(run.ms / 1000.0),
            Err(reason) => return Built::Failed(format!("cargo build: {reason}")),
        }
    }
    Built::Done { lines, seconds: best }
}

/// `cargo SUBCOMMAND --quiet --manifest-path M -p P...` in the shared target directory.
fn cargo(tools: &Tools, subcommand: &str, project: &Project) -> Command {
    let mut command = Command::new(tools.cargo);
    command.arg(subcommand).arg("--quiet").arg("--manifest-path").arg(&project.manifest);
    for package in &project.packages {
        command.arg("-p").arg(package);
    }
    command.env("CARGO_TARGET_DIR", tools.dir.join("target")).env("CARGO_INCREMENTAL", "0");
    command
}

/// Removes the project's own crates from the shared target directory; best effort (a failed
/// clean costs disk, not correctness).
fn release_artifacts(project: &Project, tools: &Tools) {
    if !project.packages.is_empty() {
        let _ = run_checked(&mut cargo(tools, "clean", project));
    }
}

/// Sets the modification time of every file to now, so that cargo rebuilds their crates.
fn touch(files: &[PathBuf]) {
    let now = SystemTime::now();
    for file in files {
        if let Ok(handle) = std::fs::File::options().write(true).open(file) {
            let _ = handle.set_modified(now);
        }
    }
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for path in std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn count_lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map(|text| text.lines().count()).unwrap_or(0)
}

/// Prints the build table and the reasons of the builds that failed.
pub(super) fn print_table(rows: &[BuildRow], progenitor: bool) {
    println!();
    println!("build of the generated crates: `cargo build -p ...`, dev profile, CARGO_INCREMENTAL=0, one shared target");
    println!("directory, dependencies built by an untimed warm-up, sources touched before each run; best of {BUILD_RUNS}");
    println!("  ours lines = Rust lines of our types, validation and client crates (src/**/*.rs; the server is left out)");
    if progenitor {
        println!("  progenitor lines = Rust lines of progenitor's crate (src/lib.rs)");
        println!("  ratio = progenitor build / our build (above 1: ours builds faster)");
    }
    println!();
    let header = ["spec", "ours lines", "ours build s", "progenitor lines", "progenitor build s", "ratio"];
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let (ours_lines, ours_build) = cells(&row.ours);
            let (theirs_lines, theirs_build) = cells(&row.progenitor);
            let ratio = match (&row.ours, &row.progenitor) {
                (Built::Done { seconds: ours, .. }, Built::Done { seconds: theirs, .. }) => Some(theirs / ours),
                _ => None,
            };
            vec![row.label.clone(), ours_lines, ours_build, theirs_lines, theirs_build, ratio_cell(ratio)]
        })
        .collect();
    print_grid(&header, &table);
    let failures: Vec<String> = rows
        .iter()
        .flat_map(|row| {
            [("ours", &row.ours), ("progenitor", &row.progenitor)].into_iter().filter_map(|(whose, built)| match built {
                Built::Failed(reason) => Some(format!("{}: {whose}: {}", row.label, shorten(reason, 140))),
                _ => None,
            })
        })
        .collect();
    if !failures.is_empty() {
        println!();
        for failure in failures {
            println!("{failure}");
        }
    }
}

/// The lines and build-time cells of one generator's build.
fn cells(built: &Built) -> (String, String) {
    match built {
        Built::Done { lines, seconds } => (lines.to_string(), format!("{seconds:.1}")),
        Built::Failed(_) => ("-".to_string(), "failed".to_string()),
        Built::Skipped(why) => ("-".to_string(), why.clone()),
    }
}
