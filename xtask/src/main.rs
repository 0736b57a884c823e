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

openapi_codegen::install_allocator!();

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

fn main() -> ExitCode {
    // Elsewhere the options apply from here on: later arenas, and purging.
    #[cfg(not(target_os = "linux"))]
    openapi_codegen::alloc::set_options();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == "-h" || arg == "--help") && args.first().map(String::as_str) != Some("bench") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let code = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("corpus") => xtask::corpus::run(&args[1..]),
        Some("bench") => xtask::bench::run(&args[1..]),
        Some("bench-server") => xtask::bench_server::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    };
    openapi_codegen::alloc::before_exit();
    code
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
