//! `openapi-codegen`: generate Rust crates (types, validation, an axum server, a reqwest client)
//! from an OpenAPI document. `openapi-codegen help` lists the commands; each has `--help`.

use openapi_codegen::project::{self, Inputs, Outcome};
use openapi_codegen::Warnings;
use std::path::PathBuf;
use std::process::ExitCode;

#[cfg(feature = "mimalloc")]
openapi_codegen::install_allocator!();

const USAGE: &str = "openapi-codegen: Rust crates from an OpenAPI document (3.0, 3.1, Swagger 2.0)

usage:
  openapi-codegen generate [--spec FILE] [--out DIR] [--config FILE] [--name NAME] [--verbose]
  openapi-codegen check    [--spec FILE] [--out DIR] [--config FILE] [--name NAME] [--verbose]
  openapi-codegen diff     [--base GIT_REV | OLD_SPEC] NEW_SPEC [--config FILE] [--old-config FILE] [--json] [--name NAME]
  openapi-codegen runtime  --out DIR

commands:
  generate   write the crates (only files whose bytes change)
  check      exit 1, with a diff, when the crates on disk are not what generation gives
  diff       what a change of the spec (and its settings) does to the crates' users
  runtime    write a copy of the codegen-runtime crate (for build scripts)

`openapi-codegen COMMAND --help` tells more. Settings: codegen.toml beside the spec (or
--config FILE); every key is in the generator's README.";

const GENERATE_HELP: &str = "usage: openapi-codegen generate [--spec FILE] [--out DIR] [--config FILE] [--name NAME] [--verbose]

Generates the crates for a spec into DIR: NAME-types, NAME-validation, NAME-server and
NAME-client (or those the settings ask for), the runtime crate they use (codegen-runtime/, unless
the settings name one with `runtime`) and a Cargo.toml making DIR a workspace (unless
`workspace = false`). Only files whose bytes change are written; generated files of these crates
that are no longer generated are removed; nothing is written when generation fails.

  --spec FILE     the OpenAPI document (YAML or JSON); default: `spec` of the settings file
  --out DIR       the output directory; default: `out` of the settings file
  --config FILE   the settings file; default: <spec stem>.codegen.toml or codegen.toml beside
                  the spec, or ./codegen.toml when no --spec is given
  --name NAME     crate name prefix; default: `name` of the settings, else the spec's file name
  --verbose       every warning about the spec on its own line (default: one line per kind)

Exit code: 0 written, 2 error (each with its file:line:column or JSON pointer).";

const CHECK_HELP: &str = "usage: openapi-codegen check [--spec FILE] [--out DIR] [--config FILE] [--name NAME] [--verbose]

Generates in memory and compares with DIR: prints a unified diff for every file that is missing,
stale or stray, and writes nothing. The options are those of `generate`; a changed setting
changes what is expected, like a changed spec.

Exit code: 0 up to date, 1 stale, 2 error.";

const DIFF_HELP: &str = "usage: openapi-codegen diff [--base GIT_REV | OLD_SPEC] NEW_SPEC [--config FILE] [--old-config FILE] [--json] [--name NAME]

Compares two versions of a spec, each with its settings, and reports what breaks clients and
servers and the semver bump each generated crate needs (Markdown, or JSON with --json). Setting
changes count: a crate removed or renamed, derives removed, a type replaced, the server's error
body or defaults; with `server.default_501` a new operation breaks no server.

  OLD_SPEC         the old spec file; or
  --base GIT_REV   the old spec is NEW_SPEC as committed at GIT_REV (and its settings file too)
  --config FILE    the new side's settings (default: beside NEW_SPEC)
  --old-config F   the old side's settings (default: beside OLD_SPEC, or from GIT_REV)
  --name NAME      crate name prefix (default: the settings' `name`, else NEW_SPEC's file name)

Exit code: 0 nothing breaks, 1 something breaks clients or servers, 2 error.";

const RUNTIME_HELP: &str = "usage: openapi-codegen runtime --out DIR

Writes the codegen-runtime crate (the code every generated crate shares) into DIR, for a crate
that generates from its build script and depends on it by path:
  codegen-runtime = { path = \"DIR\", features = [\"client\"] }

Exit code: 0 written, 2 error.";

fn main() -> ExitCode {
    #[cfg(all(feature = "mimalloc", not(target_os = "linux")))]
    openapi_codegen::alloc::set_options();
    let code = run();
    #[cfg(feature = "mimalloc")]
    openapi_codegen::alloc::before_exit();
    code
}

fn run() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let help = rest.iter().any(|arg| arg == "-h" || arg == "--help");
    match command {
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        "-V" | "--version" => {
            println!("openapi-codegen {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        "generate" | "check" if help => {
            println!("{}", if command == "generate" { GENERATE_HELP } else { CHECK_HELP });
            ExitCode::SUCCESS
        }
        "generate" => generate(rest, false),
        "check" => generate(rest, true),
        "diff" if help => {
            println!("{DIFF_HELP}");
            ExitCode::SUCCESS
        }
        "diff" => openapi_codegen::diff::run(rest, &openapi_codegen::diff::Defaults::default(), DIFF_HELP),
        "runtime" if help => {
            println!("{RUNTIME_HELP}");
            ExitCode::SUCCESS
        }
        "runtime" => runtime(rest),
        other => {
            eprintln!("error: unknown command `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse(args: &[String], usage: &str) -> Result<(Inputs, Warnings), ExitCode> {
    let mut inputs = Inputs { command: "openapi-codegen generate".to_string(), ..Inputs::default() };
    let mut warnings = Warnings::Grouped;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| {
            iter.next().cloned().ok_or_else(|| {
                eprintln!("error: {flag} needs a value\n\n{usage}");
                ExitCode::from(2)
            })
        };
        match arg.as_str() {
            "--spec" => inputs.spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => inputs.out = Some(PathBuf::from(value("--out")?)),
            "--config" => inputs.config = Some(PathBuf::from(value("--config")?)),
            "--name" => inputs.name = Some(value("--name")?),
            "--verbose" => warnings = Warnings::Verbose,
            other => {
                eprintln!("error: unknown argument `{other}`\n\n{usage}");
                return Err(ExitCode::from(2));
            }
        }
    }
    Ok((inputs, warnings))
}

fn generate(args: &[String], check: bool) -> ExitCode {
    let (inputs, warnings) = match parse(args, if check { CHECK_HELP } else { GENERATE_HELP }) {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
    let result = project::resolve(&inputs).and_then(|project| {
        let (files, dirs) = project::generate(&project, warnings)?;
        project::write_or_check(&project, &files, &dirs, check).map(|outcome| (project, outcome))
    });
    match result {
        Ok((_, Outcome::UpToDate(count))) => {
            println!("{count} generated files are up to date");
            ExitCode::SUCCESS
        }
        Ok((_, Outcome::Stale(count))) => {
            eprintln!("error: {count} generated file(s) are stale or missing; run `openapi-codegen generate` with the same arguments");
            ExitCode::from(1)
        }
        Ok((project, Outcome::Written(touched))) => {
            for path in &touched {
                println!("updated {}", path.display());
            }
            println!("{} files changed in {}", touched.len(), project.out.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn runtime(args: &[String]) -> ExitCode {
    let out = match args {
        [flag, dir] if flag == "--out" => PathBuf::from(dir),
        _ => {
            eprintln!("error: give --out DIR\n\n{RUNTIME_HELP}");
            return ExitCode::from(2);
        }
    };
    let settings = codegen::Settings { command: "openapi-codegen runtime".to_string(), spec_label: "no spec".to_string(), ..Default::default() };
    let files: codegen::GeneratedFiles = codegen::package::runtime_crate(&settings)
        .into_iter()
        .filter_map(|(path, text)| path.strip_prefix(&format!("{}/", codegen::package::RUNTIME_DIR)).map(|p| (p.to_string(), text)))
        .collect();
    let drifts = openapi_codegen::fsgen::compare(&out, &files, &[]);
    match openapi_codegen::fsgen::apply(&drifts) {
        Ok(touched) => {
            println!("{} files changed in {}", touched.len(), out.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: writing {}: {err}", out.display());
            ExitCode::from(2)
        }
    }
}
