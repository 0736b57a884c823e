//! Assembling generated crates: Rust files from the emitters, non-Rust files from `templates/`.

use crate::docs::inner_doc_attrs;
use crate::emit;
use crate::error::Diagnostic;
use crate::ir::Api;
use crate::plan::Plan;
use crate::render::{fill, rust_file, toml_escape};
use crate::Settings;
use quote::quote;

const HEADER: &str = include_str!("../../../templates/header.txt");
const TYPES_CARGO: &str = include_str!("../../../templates/types/Cargo.toml");
const TYPES_README: &str = include_str!("../../../templates/types/README.md");
const VALIDATION_CARGO: &str = include_str!("../../../templates/validation/Cargo.toml");
const VALIDATION_README: &str = include_str!("../../../templates/validation/README.md");
const SERVER_CARGO: &str = include_str!("../../../templates/server/Cargo.toml");
const SERVER_README: &str = include_str!("../../../templates/server/README.md");
const CLIENT_CARGO: &str = include_str!("../../../templates/client/Cargo.toml");
const CLIENT_README: &str = include_str!("../../../templates/client/README.md");
const WORKSPACE_CARGO: &str = include_str!("../../../templates/workspace/Cargo.toml");

/// The directory of the runtime crate in a standalone workspace (and in `crates/`).
pub const RUNTIME_DIR: &str = "codegen-runtime";

/// The runtime version the generated crates ask for: the `major.minor` of
/// `crates/codegen-runtime`, whose API is what generated code calls.
pub const RUNTIME_VERSION: &str = "0.3";

/// The runtime crate as a standalone workspace gets it: its manifest, README and sources, as
/// written in `crates/codegen-runtime/` (path relative to that directory, text).
const RUNTIME_FILES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../../codegen-runtime/Cargo.toml")),
    ("README.md", include_str!("../../codegen-runtime/README.md")),
    ("src/client.rs", include_str!("../../codegen-runtime/src/client.rs")),
    ("src/client/body.rs", include_str!("../../codegen-runtime/src/client/body.rs")),
    ("src/client/core.rs", include_str!("../../codegen-runtime/src/client/core.rs")),
    ("src/client/params.rs", include_str!("../../codegen-runtime/src/client/params.rs")),
    ("src/lib.rs", include_str!("../../codegen-runtime/src/lib.rs")),
    ("src/server.rs", include_str!("../../codegen-runtime/src/server.rs")),
    ("src/server/auth.rs", include_str!("../../codegen-runtime/src/server/auth.rs")),
    ("src/server/body.rs", include_str!("../../codegen-runtime/src/server/body.rs")),
    ("src/server/config.rs", include_str!("../../codegen-runtime/src/server/config.rs")),
    ("src/server/forms.rs", include_str!("../../codegen-runtime/src/server/forms.rs")),
    ("src/server/multipart.rs", include_str!("../../codegen-runtime/src/server/multipart.rs")),
    ("src/server/params.rs", include_str!("../../codegen-runtime/src/server/params.rs")),
    ("src/server/query.rs", include_str!("../../codegen-runtime/src/server/query.rs")),
    ("src/server/response.rs", include_str!("../../codegen-runtime/src/server/response.rs")),
    ("src/server/routing.rs", include_str!("../../codegen-runtime/src/server/routing.rs")),
    ("src/server/serve.rs", include_str!("../../codegen-runtime/src/server/serve.rs")),
    ("src/style.rs", include_str!("../../codegen-runtime/src/style.rs")),
    ("src/types.rs", include_str!("../../codegen-runtime/src/types.rs")),
    ("src/validation.rs", include_str!("../../codegen-runtime/src/validation.rs")),
];

/// The one-line `@generated` header for these settings.
pub fn header(settings: &Settings) -> String {
    fill(HEADER.trim_end(), &[("command", &settings.command), ("spec", &settings.spec_label)])
}

/// Every file of the `<name>-types` crate, keyed by path relative to the output directory.
pub fn types_crate(plan: &Plan<'_>, settings: &Settings) -> Result<Vec<(String, String)>, Diagnostic> {
    let api = plan.api;
    let header = header(settings);
    let crate_name = format!("{}-types", settings.name);
    let crate_ident = crate_name.replace('-', "_");
    let uses = emit::rust_type::Uses::of(api);
    let version = crate_version(&api.info.version);
    let mut dependencies = vec![
        runtime_dependency(settings, &[]),
        r#"serde = { version = "1", features = ["derive"] }"#.to_string(),
        r#"serde_json = "1""#.to_string(),
    ];
    if uses.chrono {
        dependencies.push(r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#.into());
    }
    if uses.uuid {
        dependencies.push(r#"uuid = { version = "1", features = ["serde"] }"#.into());
    }
    if uses.indexmap {
        dependencies.push(r#"indexmap = { version = "2", features = ["serde"] }"#.into());
    }
    dependencies.sort();
    let license_line = match spdx_license(api.info.license.as_deref()) {
        Some(license) => format!("license = \"{}\"\n", toml_escape(&license)),
        None => String::new(),
    };
    let description = toml_escape(&short_description(api));
    let cargo = fill(
        TYPES_CARGO,
        &[
            ("header", &header),
            ("crate_name", &crate_name),
            ("version", &version),
            ("description", &description),
            ("license_line", &license_line),
            ("dependencies", &dependencies.join("\n")),
        ],
    );
    let readme = fill(
        TYPES_README,
        &[
            ("header", &header),
            ("crate_name", &crate_name),
            ("title", &api.info.title),
            ("api_version", &api.info.version),
            ("spec", &settings.spec_label),
            ("version", &version),
            ("command", &settings.command),
        ],
    );
    let crate_doc = inner_doc_attrs(&crate::docs::join(&[
        Some(&format!("Types for {} (API version {}).", api.info.title, api.info.version)),
        api.info.description.as_deref(),
    ]));
    let lib = crate_root(api, crate_doc);
    let mut files = vec![
        (format!("{crate_name}/Cargo.toml"), cargo),
        (format!("{crate_name}/README.md"), readme),
        (format!("{crate_name}/src/lib.rs"), rust_file(lib, &header, "types crate root")?),
        (format!("{crate_name}/src/generated.rs"), rust_file(emit::types::types_module(plan), &header, "types")?),
    ];
    if let Some(tests) = emit::examples::examples_test(api, &crate_ident) {
        files.push((format!("{crate_name}/tests/examples.rs"), rust_file(tests, &header, "examples test")?));
    }
    Ok(files)
}

/// What differs between the crates generated beside the types crate.
struct Companion {
    /// `validation`, `server` or `client`: the crate is `<name>-<suffix>`.
    suffix: &'static str,
    cargo: &'static str,
    readme: &'static str,
    /// Cargo.toml `description`, before the API title.
    description: &'static str,
    /// The crate doc's first sentence, before the API title.
    doc: &'static str,
    /// The crate doc's rest, after the API version.
    doc_tail: &'static str,
    /// Emits `src/generated.rs` from the API and the types and validation crates' Rust names.
    emit: fn(&Plan<'_>, &str, &str) -> proc_macro2::TokenStream,
    /// The runtime features the crate needs.
    runtime_features: &'static [&'static str],
}

fn companion_crate(plan: &Plan<'_>, settings: &Settings, companion: &Companion) -> Result<Vec<(String, String)>, Diagnostic> {
    let api = plan.api;
    let header = header(settings);
    let crate_name = format!("{}-{}", settings.name, companion.suffix);
    let types_crate = format!("{}-types", settings.name);
    let validation_crate = format!("{}-validation", settings.name);
    let (types_ident, validation_ident) = (types_crate.replace('-', "_"), validation_crate.replace('-', "_"));
    let version = crate_version(&api.info.version);
    let license_line = match spdx_license(api.info.license.as_deref()) {
        Some(license) => format!("license = \"{}\"\n", toml_escape(&license)),
        None => String::new(),
    };
    let description = toml_escape(&format!("{} {}", companion.description, api.info.title.trim()));
    let values = [
        ("header", header.as_str()),
        ("crate_name", crate_name.as_str()),
        ("crate_ident", &crate_name.replace('-', "_")),
        ("types_crate", types_crate.as_str()),
        ("types_ident", types_ident.as_str()),
        ("validation_crate", validation_crate.as_str()),
        ("validation_ident", validation_ident.as_str()),
        ("type_dependencies", &type_dependencies(api)),
        ("runtime_dependency", &runtime_dependency(settings, companion.runtime_features)),
        ("version", version.as_str()),
        ("description", description.as_str()),
        ("license_line", license_line.as_str()),
        ("title", api.info.title.as_str()),
        ("api_version", api.info.version.as_str()),
        ("spec", settings.spec_label.as_str()),
        ("command", settings.command.as_str()),
    ];
    let crate_doc = inner_doc_attrs(&format!(
        "{} {} (API version {}){}",
        companion.doc, api.info.title, api.info.version, companion.doc_tail
    ));
    let lib = crate_root(api, crate_doc);
    let module = (companion.emit)(plan, &types_ident, &validation_ident);
    Ok(vec![
        (format!("{crate_name}/Cargo.toml"), fill(companion.cargo, &values)),
        (format!("{crate_name}/README.md"), fill(companion.readme, &values)),
        (format!("{crate_name}/src/lib.rs"), rust_file(lib, &header, &format!("{} crate root", companion.suffix))?),
        (format!("{crate_name}/src/generated.rs"), rust_file(module, &header, companion.suffix)?),
    ])
}

/// Every file of the `<name>-validation` crate.
pub fn validation_crate(plan: &Plan<'_>, settings: &Settings) -> Result<Vec<(String, String)>, Diagnostic> {
    let companion = Companion {
        suffix: "validation",
        cargo: VALIDATION_CARGO,
        readme: VALIDATION_README,
        description: "Validation for",
        doc: "Validation for",
        doc_tail: ": every schema keyword, all violations at once.",
        emit: |plan, types, _| emit::validation::validation_module(plan, types),
        runtime_features: &[],
    };
    companion_crate(plan, settings, &companion)
}

/// Every file of the `<name>-server` crate.
pub fn server_crate(plan: &Plan<'_>, settings: &Settings) -> Result<Vec<(String, String)>, Diagnostic> {
    let companion = Companion {
        suffix: "server",
        cargo: SERVER_CARGO,
        readme: SERVER_README,
        description: "axum server stubs for",
        doc: "axum server stubs for",
        doc_tail: ": implement the traits, serve `router(service)`.",
        emit: emit::server::server_module,
        runtime_features: &["server"],
    };
    companion_crate(plan, settings, &companion)
}

/// Every file of the `<name>-client` crate.
pub fn client_crate(plan: &Plan<'_>, settings: &Settings) -> Result<Vec<(String, String)>, Diagnostic> {
    let companion = Companion {
        suffix: "client",
        cargo: CLIENT_CARGO,
        readme: CLIENT_README,
        description: "reqwest client for",
        doc: "A reqwest client for",
        doc_tail: ": one async method per operation, a typed response per status.",
        emit: emit::client::client_module,
        runtime_features: &["client"],
    };
    companion_crate(plan, settings, &companion)
}

/// `src/lib.rs` of a generated crate: its docs, and the generated module kept away from rustfmt.
fn crate_root(api: &Api, crate_doc: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    // Recursive type graphs make rustdoc's auto-trait evaluation exceed the default limit in
    // every crate that uses them.
    let recursion_limit = api.recursive.then(|| quote!(#![recursion_limit = "512"]));
    quote! {
        #crate_doc
        // Descriptions are the spec author's Markdown; clippy's doc layout lints are not theirs.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
        #recursion_limit

        #[rustfmt::skip]
        mod generated;

        pub use generated::*;
    }
}

/// The `codegen-runtime` dependency line of a generated crate, with the features it needs.
fn runtime_dependency(settings: &Settings, features: &[&str]) -> String {
    let features = match features {
        [] => String::new(),
        list => format!(", features = [{}]", list.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ")),
    };
    format!(
        "codegen-runtime = {{ path = \"{}\", version = \"{RUNTIME_VERSION}\"{features} }}",
        toml_escape(&settings.runtime_path)
    )
}

/// The files of the runtime crate for a standalone workspace, under [`RUNTIME_DIR`]: a copy of
/// `crates/codegen-runtime` (manifest, README, sources), each file marked as generated.
pub fn runtime_crate(settings: &Settings) -> Vec<(String, String)> {
    let header = header(settings);
    RUNTIME_FILES
        .iter()
        .map(|(path, text)| {
            let marker = match path.rsplit('.').next() {
                Some("toml") => format!("# {header}"),
                Some("md") => format!("<!-- {header} -->"),
                _ => format!("// {header}"),
            };
            (format!("{RUNTIME_DIR}/{path}"), format!("{marker}\n{text}"))
        })
        .collect()
}

/// Dependencies the spelled types need beyond the types crate (dates, UUIDs, maps).
fn type_dependencies(api: &Api) -> String {
    let uses = emit::rust_type::Uses::of(api);
    let mut lines = Vec::new();
    if uses.chrono {
        lines.push(r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#);
    }
    if uses.indexmap {
        lines.push(r#"indexmap = { version = "2", features = ["serde"] }"#);
    }
    if uses.uuid {
        lines.push(r#"uuid = { version = "1", features = ["serde"] }"#);
    }
    lines.join("\n")
}

/// `Cargo.toml` of a standalone output workspace listing the given crates.
pub fn workspace_manifest(settings: &Settings, members: &[String]) -> String {
    let members: Vec<String> = members.iter().map(|m| format!("\"{}\"", toml_escape(m))).collect();
    fill(WORKSPACE_CARGO, &[("header", &header(settings)), ("members", &members.join(", "))])
}

/// A semver crate version from `info.version` ("2" -> "2.0.0", "v1.2" -> "1.2.0"); specs
/// whose version is not numeric (a date, a word) get "0.1.0".
pub fn crate_version(version: &str) -> String {
    let trimmed = version.trim().trim_start_matches(['v', 'V']);
    let (core, rest) = match trimmed.find(['-', '+']) {
        Some(index) => (&trimmed[..index], &trimmed[index..]),
        None => (trimmed, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let numeric = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) && (p.len() == 1 || !p.starts_with('0'));
    if parts.is_empty() || parts.len() > 3 || !parts.iter().all(numeric) {
        return "0.1.0".to_string();
    }
    let mut numbers: Vec<&str> = parts;
    while numbers.len() < 3 {
        numbers.push("0");
    }
    // A date such as `2021-01-01` is not `2021.0.0-01-01`: numeric pre-release identifiers may
    // not have leading zeros, so such versions fall back like other non-semver ones.
    let leading_zero = rest
        .trim_start_matches(['-', '+'])
        .split(['.', '-'])
        .any(|id| id.len() > 1 && id.starts_with('0') && id.chars().all(|c| c.is_ascii_digit()));
    if leading_zero {
        return "0.1.0".to_string();
    }
    let suffix_ok = rest.chars().skip(1).all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let suffix = if rest.len() > 1 && suffix_ok { rest } else { "" };
    format!("{}{suffix}", numbers.join("."))
}

/// The license as an SPDX identifier when it is one (or a common spelling of one).
fn spdx_license(name: Option<&str>) -> Option<String> {
    let name = name?.trim();
    let known = match name.to_ascii_lowercase().as_str() {
        "apache 2.0" | "apache-2.0" | "apache 2" | "apache license 2.0" | "apache license, version 2.0" => "Apache-2.0",
        "mit" | "mit license" => "MIT",
        "bsd-3-clause" | "bsd 3-clause" => "BSD-3-Clause",
        _ => "",
    };
    if !known.is_empty() {
        return Some(known.to_string());
    }
    let spdx_like = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+' | ' ' | '(' | ')'))
        && name.split(' ').all(|word| matches!(word, "AND" | "OR" | "WITH") || !word.is_empty() && !word.chars().any(|c| c == ' '))
        && (!name.contains(' ') || name.contains(" OR ") || name.contains(" AND "));
    spdx_like.then(|| name.to_string())
}

/// One line for `description` in Cargo.toml.
fn short_description(api: &Api) -> String {
    let first_paragraph = api
        .info
        .description
        .as_deref()
        .and_then(|d| d.split("\n\n").map(str::trim).find(|p| !p.is_empty() && !p.starts_with('#')))
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "));
    let text = match first_paragraph {
        Some(paragraph) => paragraph,
        None => format!("Rust types for {}", api.info.title.trim()),
    };
    if text.chars().count() <= 200 {
        return text;
    }
    let cut: String = text.chars().take(197).collect();
    let cut = match cut.rfind(' ') {
        Some(space) => cut[..space].to_string(),
        None => cut,
    };
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(crate_version("2.0.0"), "2.0.0");
        assert_eq!(crate_version("v1.2"), "1.2.0");
        assert_eq!(crate_version("1"), "1.0.0");
        assert_eq!(crate_version("1.0.0-beta.1"), "1.0.0-beta.1");
        assert_eq!(crate_version("2021-01-01"), "0.1.0");
        assert_eq!(crate_version("latest"), "0.1.0");
        assert_eq!(crate_version("1.41"), "1.41.0");
    }

    #[test]
    fn the_runtime_copy_is_the_runtime_crate() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen-runtime");
        let mut on_disk = Vec::new();
        let mut dirs = vec![root.join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if let Ok(relative) = path.strip_prefix(&root) {
                    on_disk.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        on_disk.extend(["Cargo.toml".to_string(), "README.md".to_string()]);
        on_disk.sort();
        let embedded: Vec<&str> = RUNTIME_FILES.iter().map(|(path, _)| *path).collect();
        assert_eq!(on_disk, embedded, "RUNTIME_FILES lists every file of crates/codegen-runtime/src");
        let manifest = RUNTIME_FILES[0].1;
        let version = format!("version = \"{RUNTIME_VERSION}.");
        assert!(manifest.lines().any(|line| line.starts_with(&version)), "RUNTIME_VERSION is the runtime's major.minor");
        assert!(!manifest.contains("workspace = true"), "the manifest must stand alone");
    }

    #[test]
    fn licenses() {
        assert_eq!(spdx_license(Some("Apache 2.0")).as_deref(), Some("Apache-2.0"));
        assert_eq!(spdx_license(Some("MIT")).as_deref(), Some("MIT"));
        assert_eq!(spdx_license(Some("MIT OR Apache-2.0")).as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(spdx_license(Some("Some custom license")), None);
    }
}
