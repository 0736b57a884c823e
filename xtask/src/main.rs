//! `cargo xtask`: see the crate docs of the `xtask` library for what each command does.
//!
//! ```text
//! cargo xtask codegen [--check] [--verbose]
//! cargo xtask codegen --spec FILE --out DIR [--name NAME] [--config FILE] [--check] [--verbose]
//! cargo xtask corpus DIR [--no-build] [--test] [--verbose]
//! cargo xtask diff [--base GIT_REV | OLD_SPEC] [NEW_SPEC] [--json] [--name NAME] [--config FILE] [--old-config FILE]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use openapi_codegen::project::{self, Inputs};
use xtask::fsgen;

mod diff;

#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// mimalloc, asked for alignment only when a type needs more than every block has. The
/// `mimalloc` crate's allocator calls `mi_malloc_aligned` for every allocation, whose alignment
/// checks cost twice the plain path; the generator allocates some two million small blocks on a
/// 200 KB spec (syn's token cursors clone identifiers), so this is a tenth of its instructions.
struct Allocator;

/// Every mimalloc block of at least this size is aligned to it (`MI_MAX_ALIGN_SIZE`), as with
/// the system allocator's `MIN_ALIGN`.
const MIN_ALIGN: usize = 16;

fn plain(layout: std::alloc::Layout) -> bool {
    layout.align() <= MIN_ALIGN && layout.align() <= layout.size()
}

// SAFETY: each function hands the layout's size (and, unless `plain`, its alignment) to the
// matching mimalloc function; blocks from either path are freed and resized by `mi_free` and
// `mi_realloc*`, which accept both.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if plain(layout) {
                libmimalloc_sys::mi_malloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if plain(layout) {
                libmimalloc_sys::mi_zalloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: see the impl.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= MIN_ALIGN && layout.align() <= new_size {
                libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

const USAGE: &str = "usage:
  cargo xtask codegen [--check] [--verbose]                    regenerate crates/ as spec/codegen.toml says (and crates/fixtures/)
  cargo xtask codegen --spec FILE --out DIR [--name NAME] [--config FILE] [--check] [--verbose]
                                                               generate a standalone workspace for any spec (as `openapi-codegen generate`)
  cargo xtask corpus DIR [--no-build] [--test] [--verbose]     generate (and build) every spec in DIR
  cargo xtask bench [--progenitor] [--build] [--specs DIR] [--only NAMES]
                                                               time generation and peak memory (release build), optionally against cargo-progenitor
  cargo xtask bench-server                                     requests/s of the generated desk server against a hand-written one
  cargo xtask diff [--base GIT_REV | OLD_SPEC] [NEW_SPEC] [--json] [--name NAME] [--config FILE] [--old-config FILE]
                                                               what a spec (and settings) change breaks (default: HEAD against the working tree); exit 1 when breaking

Warnings about a spec print one line per kind, with its count and first three places;
--verbose prints every warning on its own line.";

/// mimalloc's defaults trade memory for speed: arenas are committed eagerly. The generator
/// frees each file's tokens as soon as it is printed, so committing on demand and purging freed
/// pages at once cut the peak resident memory to a third (nexus.json, 197 KB: 35 -> 14 MB;
/// docker-engine.yaml, 473 KB: 39 -> 19 MB) at the same CPU time. The option numbers are those
/// of `mi_option_e` in mimalloc.h (v2 and v3 agree), which libmimalloc-sys does not name.
fn allocator_options() {
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is allowed at any time, before or after the first allocation.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
}

/// The first arena is reserved at the first allocation, before `main`: on ELF platforms the
/// options are set from a constructor, which the C runtime runs before the Rust runtime
/// allocates (set from `main`, the nexus figure above stays at 35 MB).
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static ALLOCATOR_OPTIONS: extern "C" fn() = {
    extern "C" fn set() {
        allocator_options();
    }
    set
};

fn main() -> ExitCode {
    // Elsewhere the options apply from here on: later arenas, and purging.
    #[cfg(not(target_os = "linux"))]
    allocator_options();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == "-h" || arg == "--help") && args.first().map(String::as_str) != Some("bench") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("corpus") => xtask::corpus::run(&args[1..]),
        Some("bench") => xtask::bench::run(&args[1..]),
        Some("bench-server") => xtask::bench_server::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

struct CodegenArgs {
    check: bool,
    warnings: xtask::Warnings,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    name: Option<String>,
    config: Option<PathBuf>,
}

fn parse_codegen(args: &[String]) -> Result<CodegenArgs, String> {
    let mut parsed = CodegenArgs { check: false, warnings: xtask::Warnings::Grouped, spec: None, out: None, name: None, config: None };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--verbose" => parsed.warnings = xtask::Warnings::Verbose,
            "--spec" => parsed.spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
            "--name" => parsed.name = Some(value("--name")?),
            "--config" => parsed.config = Some(PathBuf::from(value("--config")?)),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    match (&parsed.spec, &parsed.out, &parsed.config) {
        (None, None, None) | (Some(_), Some(_), _) | (_, _, Some(_)) => Ok(parsed),
        _ => Err("--spec and --out go together (or give --config with `spec` and `out`)".to_string()),
    }
}

fn codegen(args: &[String]) -> ExitCode {
    let args = match parse_codegen(args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let root = xtask::project_root();
    let started = Instant::now();
    let standalone = args.spec.is_some() || args.config.is_some();
    let (files, out_dir, crate_dirs) = if standalone {
        if let Some(name) = &args.name {
            if let Err(message) = xtask::check_crate_name(name) {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        }
        let inputs = Inputs {
            spec: args.spec.clone(),
            config: args.config.clone(),
            out: args.out.clone(),
            name: args.name.clone(),
            command: "cargo xtask codegen --spec".to_string(),
            ..Inputs::default()
        };
        match project::resolve(&inputs).and_then(|project| project::generate(&project, args.warnings).map(|(f, d)| (f, project.out, d))) {
            Ok(generated) => generated,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
        }
    } else {
        match xtask::generate_desk(&root, args.warnings) {
            Ok((files, dirs)) => (files, root.join("crates"), dirs),
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
        }
    };
    let generated_in = started.elapsed();
    let drifts = fsgen::compare(&out_dir, &files, &crate_dirs);
    if args.check {
        if drifts.is_empty() {
            println!("{} generated files are up to date", files.len());
            return ExitCode::SUCCESS;
        }
        for drift in &drifts {
            // Desk paths read from the repository root; standalone ones from the output directory.
            let shown_from = if standalone { &out_dir } else { &root };
            print!("{}", drift.diff(shown_from));
        }
        if standalone {
            eprintln!(
                "error: {} generated file(s) are stale or missing; run `cargo xtask codegen` with the same arguments (without --check)",
                drifts.len()
            );
        } else {
            eprintln!(
                "error: {} generated file(s) are stale or missing; run `cargo xtask codegen` and commit the result",
                drifts.len()
            );
        }
        return ExitCode::from(1);
    }
    match fsgen::apply(&drifts) {
        Ok(touched) => {
            for path in &touched {
                println!("updated {}", path.strip_prefix(&root).unwrap_or(path).display());
            }
            println!(
                "{} files generated in {:.1} ms, {} changed",
                files.len(),
                generated_in.as_secs_f64() * 1000.0,
                touched.len()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: writing generated files: {err}");
            ExitCode::from(2)
        }
    }
}
