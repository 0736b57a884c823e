//! Assembling generated crates: Rust files from the emitters, non-Rust files from `templates/`.

use crate::docs::inner_doc_attrs;
use crate::emit;
use crate::error::Diagnostic;
use crate::ir::Api;
use crate::plan::Plan;
use crate::render::{fill, rust_file, toml_escape, Chunk, RustFile};
use crate::settings::CrateKind;
use crate::Settings;
use quote::{format_ident, quote, ToTokens};

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

/// The runtime version the generated crates ask for: the version of `crates/codegen-runtime`
/// whose API generated code first called as it is (0.6.7: `server::undocumented`; 0.6.6: `validation::member`, `Rule`; 0.6.5: `validation::property_integer`; 0.6.4: `types::parse_enum`; 0.6.3: `host_errors`;
/// 0.6.2: `property_format`, `each` and their kin).
pub const RUNTIME_VERSION: &str = "0.6.7";

/// The runtime crate as a standalone workspace gets it: its manifest, README and sources, as
/// written in `crates/codegen-runtime/` (path relative to that directory, text).
const RUNTIME_FILES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../../codegen-runtime/Cargo.toml")),
    ("README.md", include_str!("../../codegen-runtime/README.md")),
    ("src/chunks.rs", include_str!("../../codegen-runtime/src/chunks.rs")),
    ("src/client.rs", include_str!("../../codegen-runtime/src/client.rs")),
    ("src/client/body.rs", include_str!("../../codegen-runtime/src/client/body.rs")),
    ("src/client/core.rs", include_str!("../../codegen-runtime/src/client/core.rs")),
    ("src/client/params.rs", include_str!("../../codegen-runtime/src/client/params.rs")),
    ("src/client/streams.rs", include_str!("../../codegen-runtime/src/client/streams.rs")),
    ("src/client/trace.rs", include_str!("../../codegen-runtime/src/client/trace.rs")),
    ("src/json.rs", include_str!("../../codegen-runtime/src/json.rs")),
    ("src/lib.rs", include_str!("../../codegen-runtime/src/lib.rs")),
    ("src/operation.rs", include_str!("../../codegen-runtime/src/operation.rs")),
    ("src/server.rs", include_str!("../../codegen-runtime/src/server.rs")),
    ("src/server/auth.rs", include_str!("../../codegen-runtime/src/server/auth.rs")),
    ("src/server/body.rs", include_str!("../../codegen-runtime/src/server/body.rs")),
    ("src/server/config.rs", include_str!("../../codegen-runtime/src/server/config.rs")),
    ("src/server/events.rs", include_str!("../../codegen-runtime/src/server/events.rs")),
    ("src/server/forms.rs", include_str!("../../codegen-runtime/src/server/forms.rs")),
    ("src/server/multipart.rs", include_str!("../../codegen-runtime/src/server/multipart.rs")),
    ("src/server/params.rs", include_str!("../../codegen-runtime/src/server/params.rs")),
    ("src/server/query.rs", include_str!("../../codegen-runtime/src/server/query.rs")),
    ("src/server/response.rs", include_str!("../../codegen-runtime/src/server/response.rs")),
    ("src/server/routing.rs", include_str!("../../codegen-runtime/src/server/routing.rs")),
    ("src/server/serve.rs", include_str!("../../codegen-runtime/src/server/serve.rs")),
    ("src/server/stream.rs", include_str!("../../codegen-runtime/src/server/stream.rs")),
    ("src/server/trace.rs", include_str!("../../codegen-runtime/src/server/trace.rs")),
    ("src/sse.rs", include_str!("../../codegen-runtime/src/sse.rs")),
    ("src/style.rs", include_str!("../../codegen-runtime/src/style.rs")),
    ("src/types.rs", include_str!("../../codegen-runtime/src/types.rs")),
    ("src/validation.rs", include_str!("../../codegen-runtime/src/validation.rs")),
    ("src/validation/keywords.rs", include_str!("../../codegen-runtime/src/validation/keywords.rs")),
];

/// The one-line `@generated` header for these settings.
pub fn header(settings: &Settings) -> String {
    fill(HEADER.trim_end(), &[("command", &settings.command), ("spec", &settings.spec_label)])
}

/// Every file of the `<name>-types` crate, keyed by path relative to the output directory.
/// `generated.rs` holds only the first `chunk` of the types: the generator appends the others
/// ([`types_part`]).
pub fn types_crate(plan: &Plan<'_>, settings: &Settings, chunk: Chunk) -> Result<Vec<(String, String)>, Diagnostic> {
    let api = plan.api;
    let header = header(settings);
    let crate_name = settings.crate_name(CrateKind::Types);
    let crate_ident = crate_name.replace('-', "_");
    let uses = emit::rust_type::Uses::of(api);
    let version = version_of(settings, api, CrateKind::Types);
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
    dependencies.extend(extra_dependencies(settings, CrateKind::Types));
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
            ("features", &features_section(plan, &[])),
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
        (format!("{crate_name}/src/generated.rs"), {
            let mut file = RustFile::new(&header, "types");
            emit::types::types_part(plan, &mut file, chunk)?;
            file.finish()
        }),
    ];
    check_dependencies(settings, CrateKind::Types, &files[0].1)?;
    let example_tests = settings.options.example_tests.unwrap_or(true);
    if let Some(tests) = example_tests.then(|| emit::examples::examples_test(plan, &crate_ident)).flatten() {
        files.push((format!("{crate_name}/tests/examples.rs"), rust_file(tests, &header, "examples test")?));
    }
    Ok(files)
}

/// Writes a crate's Rust files under `src/` (`generated.rs`, ...) from the plan, the types and
/// validation crates' Rust names and the `@generated` header, as (path, text).
pub type CrateEmitter = fn(&Plan<'_>, &str, &str, &str) -> Result<Vec<(&'static str, String)>, Diagnostic>;

/// What differs between the crates generated beside the types crate.
struct Companion {
    /// Which crate.
    kind: CrateKind,
    /// `validation`, `server` or `client`: the crate is `<name>-<suffix>` unless the settings name it.
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
    /// Writes the crate's Rust files under `src/` (`generated.rs`, ...) from the plan, the types
    /// and validation crates' Rust names and the `@generated` header.
    emit: CrateEmitter,
    /// The runtime features the crate needs.
    runtime_features: &'static [&'static str],
}

fn companion_crate(plan: &Plan<'_>, settings: &Settings, companion: &Companion) -> Result<Vec<(String, String)>, Diagnostic> {
    let api = plan.api;
    let header = header(settings);
    let crate_name = settings.crate_name(companion.kind);
    let types_crate = settings.crate_name(CrateKind::Types);
    let validation_crate = settings.crate_name(CrateKind::Validation);
    let (types_ident, validation_ident) = (types_crate.replace('-', "_"), validation_crate.replace('-', "_"));
    let version = version_of(settings, api, companion.kind);
    let types_version = version_of(settings, api, CrateKind::Types);
    let validation_version = version_of(settings, api, CrateKind::Validation);

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
        // With features, the crates this one depends on get only the tags it turns on.
        ("feature_deps", if plan.features.is_some() { ", default-features = false" } else { "" }),
        ("types_version", types_version.as_str()),
        ("validation_version", validation_version.as_str()),
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
    let mut cargo = fill(companion.cargo, &values);
    // `[dependencies]` is the templates' last table: the settings' lines go at its end.
    let extra = extra_dependencies(settings, companion.kind);
    if !extra.is_empty() {
        cargo = format!("{}\n{}\n", cargo.trim_end(), extra.join("\n"));
    }
    // The server implements every operation (its trait needs them all), so it has no features.
    if companion.kind != CrateKind::Server {
        cargo.push_str(&features_section(plan, companion.feature_deps(&types_crate, &validation_crate).as_slice()));
    }
    check_dependencies(settings, companion.kind, &cargo)?;
    let mut files = vec![
        (format!("{crate_name}/Cargo.toml"), cargo),
        (format!("{crate_name}/README.md"), fill(companion.readme, &values)),
        (format!("{crate_name}/src/lib.rs"), rust_file(lib, &header, &format!("{} crate root", companion.suffix))?),
    ];
    for (path, text) in (companion.emit)(plan, &types_ident, &validation_ident, &header)? {
        files.push((format!("{crate_name}/src/{path}"), text));
    }
    Ok(files)
}

impl Companion {
    /// The crates whose features a feature of this crate turns on.
    fn feature_deps<'n>(&self, types_crate: &'n str, validation_crate: &'n str) -> Vec<&'n str> {
        match self.suffix {
            "validation" => vec![types_crate],
            "client" => vec![types_crate, validation_crate],
            _ => Vec::new(),
        }
    }
}

/// Every file of the `<name>-validation` crate.
pub fn validation_crate(plan: &Plan<'_>, settings: &Settings) -> Result<Vec<(String, String)>, Diagnostic> {
    let companion = Companion {
        kind: CrateKind::Validation,
        suffix: "validation",
        cargo: VALIDATION_CARGO,
        readme: VALIDATION_README,
        description: "Validation for",
        doc: "Validation for",
        doc_tail: ": every schema keyword, all violations at once.",
        // The operations' checks are printed by [`validation_operations`], on another thread.
        emit: |plan, types, _, header| emit::validation::validation_schemas(plan, types, header),
        runtime_features: &[],
    };
    companion_crate(plan, settings, &companion)
}

/// Every file of the `<name>-server` crate.
pub fn server_crate(plan: &Plan<'_>, settings: &Settings) -> Result<Vec<(String, String)>, Diagnostic> {
    let companion = Companion {
        kind: CrateKind::Server,
        suffix: "server",
        cargo: SERVER_CARGO,
        readme: SERVER_README,
        description: "axum server stubs for",
        doc: "axum server stubs for",
        doc_tail: ": implement the traits, serve `router(service)`.",
        // The handlers are printed by [`server_handlers`], on another thread.
        emit: |plan, types, validation, header| Ok(vec![("generated.rs", emit::server::server_items(plan, types, validation, header)?)]),
        runtime_features: &["server"],
    };
    companion_crate(plan, settings, &companion)
}

/// A later part of the types crate's `src/generated.rs`, which [`types_crate`] leaves out: the
/// generator appends it there.
pub fn types_part(plan: &Plan<'_>, settings: &Settings, chunk: Chunk) -> Result<Vec<(String, String)>, Diagnostic> {
    let crate_name = settings.crate_name(CrateKind::Types);
    let mut file = RustFile::continuation("types");
    emit::types::types_part(plan, &mut file, chunk)?;
    Ok(vec![(format!("{crate_name}/src/generated.rs"), file.finish())])
}

/// Every operation's checks, emitted, for [`validation_operations`].
pub(crate) fn prepare_operation_checks(plan: &Plan<'_>) -> emit::validation::OperationChecks {
    emit::validation::prepare_operations(plan)
}

/// A part of `src/generated/operations.rs` of the validation crate, which [`validation_crate`]
/// leaves out: the generator appends the parts in order.
pub(crate) fn validation_operations(
    plan: &Plan<'_>,
    settings: &Settings,
    checks: &emit::validation::OperationChecks,
    chunk: Chunk,
) -> Result<Vec<(String, String)>, Diagnostic> {
    let crate_name = settings.crate_name(CrateKind::Validation);
    let text = emit::validation::operations_part(plan, checks, &header(settings), chunk)?;
    Ok(vec![(format!("{crate_name}/src/generated/operations.rs"), text)])
}

/// A part of the server's handlers, which [`server_crate`] leaves out: the generator appends
/// the parts in order after its items in `src/generated.rs`.
pub fn server_handlers(plan: &Plan<'_>, settings: &Settings, chunk: Chunk) -> Result<Vec<(String, String)>, Diagnostic> {
    let crate_name = settings.crate_name(CrateKind::Server);
    let types_ident = settings.crate_name(CrateKind::Types).replace('-', "_");
    let validation_ident = settings.crate_name(CrateKind::Validation).replace('-', "_");
    let text = emit::server::server_handlers(plan, &types_ident, &validation_ident, chunk)?;
    Ok(vec![(format!("{crate_name}/src/generated.rs"), text)])
}

/// Every file of the `<name>-client` crate.
pub fn client_crate(plan: &Plan<'_>, settings: &Settings) -> Result<Vec<(String, String)>, Diagnostic> {
    let companion = Companion {
        kind: CrateKind::Client,
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

/// The dependencies a crate that includes the module file needs (`[dependencies]` lines).
pub fn module_dependencies(plan: &Plan<'_>, settings: &Settings) -> Vec<String> {
    let api = plan.api;
    let crates = settings.options.crates();
    let with_operations = !api.operations.is_empty();
    let mut features: Vec<&str> = Vec::new();
    if crates.server && with_operations {
        features.push("server");
    }
    if crates.client && with_operations {
        features.push("client");
    }
    let features = match features.as_slice() {
        [] => String::new(),
        list => format!(", features = [{}]", list.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ")),
    };
    // The runtime is found where the including crate says (a path to a copy, later a registry).
    let mut lines = vec![
        format!("codegen-runtime = {{ version = \"{RUNTIME_VERSION}\"{features} }}"),
        r#"serde = { version = "1", features = ["derive"] }"#.to_string(),
        r#"serde_json = "1""#.to_string(),
    ];
    if crates.validation {
        lines.push(r#"regress = "0.10""#.to_string());
    }
    lines.extend(type_dependencies(api).lines().map(str::to_string));
    if crates.server && with_operations {
        lines.push(r#"axum = { version = "0.8", default-features = false, features = ["json"] }"#.to_string());
    }
    if crates.client && with_operations {
        lines.push(r#"reqwest = { version = "0.13", default-features = false, features = ["form", "json", "query", "rustls"] }"#.to_string());
    }
    if (crates.server || crates.client) && with_operations {
        lines.push(r#"bytes = "1""#.to_string());
    }
    for kind in crates.kinds() {
        lines.extend(extra_dependencies(settings, kind));
    }
    lines
}

/// The generated code as one Rust file, `NAME.rs`, for a build script to write into `OUT_DIR`
/// and a crate to `include!`: one module per crate the settings ask for (`types`, `validation`,
/// `server`, `client`), where each crate's paths to the others (`desk_types::Conversation`)
/// become paths to the sibling module (`super::types::Conversation`), so the file works wherever
/// it is included. Its first lines list the dependencies the including crate needs.
pub fn module_file(plan: &Plan<'_>, settings: &Settings) -> Result<Vec<(String, String)>, Diagnostic> {
    let api = plan.api;
    let crates = settings.options.crates();
    let idents: Vec<(String, &str)> =
        CrateKind::ALL.iter().map(|kind| (settings.crate_name(*kind).replace('-', "_"), kind.key())).collect();
    let (types_ident, validation_ident) = (idents[0].0.as_str(), idents[1].0.as_str());
    let mut modules = Vec::new();
    for kind in crates.kinds() {
        if matches!(kind, CrateKind::Server | CrateKind::Client) && api.operations.is_empty() {
            continue;
        }
        let files = match kind {
            CrateKind::Types => {
                let mut file = RustFile::new("", "types");
                emit::types::types_module(plan, &mut file)?;
                vec![("generated.rs", file.finish())]
            }
            CrateKind::Validation => emit::validation::validation_module(plan, types_ident, "")?,
            CrateKind::Server => emit::server::server_module(plan, types_ident, validation_ident, "")?,
            CrateKind::Client => emit::client::client_module(plan, types_ident, validation_ident, "")?,
        };
        let module = format_ident!("{}", kind.key());
        let tokens = relocate(inline_modules(&files, kind.key())?, &idents, 1);
        let doc = format!(" The `{}` part of the generated code for {} (API version {}).", kind.key(), api.info.title, api.info.version);
        modules.push(quote! {
            #[doc = #doc]
            pub mod #module {
                // Descriptions are the spec author's Markdown; items a crate does not use are
                // not its business.
                #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, dead_code, unused_imports)]
                #tokens
            }
        });
    }
    let header = header(settings);
    let mut text = rust_file(quote!(#(#modules)*), &header, "module file")?;
    let needs: Vec<String> = module_dependencies(plan, settings).into_iter().map(|line| format!("//     {line}")).collect();
    let recursion = if api.recursive { "\n// The including crate needs `#![recursion_limit = \"512\"]` for rustdoc (recursive types)." } else { "" };
    let preface = format!("// The including crate needs these [dependencies]:\n{}{recursion}\n", needs.join("\n"));
    if let Some(end) = text.find('\n') {
        text.insert_str(end + 1, &preface);
    }
    Ok(vec![(format!("{}.rs", settings.name), text)])
}

/// One crate's printed files (`generated.rs` and the `generated/<module>.rs` it declares) as
/// one token stream, each `pub mod name;` replaced by the module's items. The crates are
/// printed first and parsed back because the emitters stream text (see `RustFile`); a module
/// file is for build scripts of one API, so holding its syntax tree is affordable.
fn inline_modules(files: &[(&'static str, String)], what: &str) -> Result<proc_macro2::TokenStream, Diagnostic> {
    let parse = |text: &str| {
        syn::parse_file(text).map_err(|error| {
            Diagnostic {
                kind: crate::error::DiagnosticKind::Internal,
                location: crate::error::Location::Document,
                message: format!("the generated {what} code does not parse back: {error}"),
            }
        })
    };
    let mut root = match files.iter().find(|(path, _)| *path == "generated.rs") {
        Some((_, text)) => parse(text)?,
        None => return Ok(proc_macro2::TokenStream::new()),
    };
    for item in &mut root.items {
        if let syn::Item::Mod(module) = item {
            if module.content.is_some() {
                continue;
            }
            let path = format!("generated/{}.rs", module.ident);
            if let Some((_, text)) = files.iter().find(|(file, _)| *file == path) {
                let inner = parse(text)?;
                module.attrs.extend(inner.attrs);
                module.content = Some((Default::default(), inner.items));
                module.semi = None;
            }
        }
    }
    Ok(root.into_token_stream())
}

/// Turns paths that start with a generated crate's name (`desk_types::X`) into paths to its
/// module beside the current one (`super::types::X`, one more `super` per nested module).
fn relocate(tokens: proc_macro2::TokenStream, idents: &[(String, &str)], depth: usize) -> proc_macro2::TokenStream {
    use proc_macro2::{Delimiter, Group, Spacing, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = proc_macro2::TokenStream::new();
    for (index, tree) in trees.iter().enumerate() {
        let previous = index.checked_sub(1).and_then(|i| trees.get(i));
        match tree {
            TokenTree::Group(group) => {
                // `mod name { ... }`: one level deeper inside.
                let is_module_body = group.delimiter() == Delimiter::Brace
                    && matches!(previous, Some(TokenTree::Ident(_)))
                    && matches!(index.checked_sub(2).and_then(|i| trees.get(i)), Some(TokenTree::Ident(keyword)) if keyword == "mod");
                let inner = relocate(group.stream(), idents, if is_module_body { depth + 1 } else { depth });
                let mut relocated = Group::new(group.delimiter(), inner);
                relocated.set_span(group.span());
                out.extend([TokenTree::Group(relocated)]);
            }
            TokenTree::Ident(ident) => {
                // A path's first segment: `::` follows, and neither `::` nor `.` comes before (a
                // single `:`, as in `body: desk_types::X`, does).
                let before_previous = index.checked_sub(2).and_then(|i| trees.get(i));
                let after_path_separator = matches!(previous, Some(TokenTree::Punct(p)) if p.as_char() == ':')
                    && matches!(before_previous, Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint);
                let starts_path = matches!(trees.get(index + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
                    && !after_path_separator
                    && !matches!(previous, Some(TokenTree::Punct(p)) if p.as_char() == '.');
                match idents.iter().find(|(name, _)| ident == name).filter(|_| starts_path) {
                    Some((_, module)) => {
                        let supers = (0..depth).map(|_| quote!(super::));
                        let module = format_ident!("{}", module);
                        out.extend(quote!(#(#supers)* #module));
                    }
                    None => out.extend([tree.clone()]),
                }
            }
            other => out.extend([other.clone()]),
        }
    }
    out
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

/// The version of one generated crate: its `version` setting, else the top-level one, else the
/// spec's `info.version` ([`crate_version`]).
pub fn version_of(settings: &Settings, api: &Api, kind: CrateKind) -> String {
    let options = &settings.options;
    match options.crate_options(kind).version.as_ref().or(options.version.as_ref()) {
        Some(version) => version.value.clone(),
        None => crate_version(&api.info.version),
    }
}

/// The settings' extra `[dependencies]` lines of one crate.
fn extra_dependencies(settings: &Settings, kind: CrateKind) -> Vec<String> {
    settings.options.crate_options(kind).dependencies.iter().map(|d| format!("{} = {}", d.name.value, d.value)).collect()
}

/// An extra dependency the generated manifest already has is an error at the setting (Cargo
/// refuses a key given twice).
fn check_dependencies(settings: &Settings, kind: CrateKind, cargo: &str) -> Result<(), Diagnostic> {
    let extra = &settings.options.crate_options(kind).dependencies;
    if extra.is_empty() {
        return Ok(());
    }
    let generated: Vec<&str> = cargo
        .lines()
        .skip_while(|line| line.trim() != "[dependencies]")
        .filter_map(|line| line.split_once('=').map(|(key, _)| key.trim()))
        .collect();
    for dependency in extra {
        let name = dependency.name.value.as_str();
        if generated.iter().filter(|key| **key == name).count() > 1 {
            return Err(settings.options.error(
                dependency.name.at,
                &format!("{}.dependencies", kind.key()),
                format!("`{name}` is already a dependency of the generated crate: leave it out (the generated line stays)"),
            ));
        }
    }
    Ok(())
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

/// The `[features]` table of a crate with features per tag (empty text without them): every
/// tag on by default, each turning on the same feature of the crates in `deps`.
fn features_section(plan: &Plan<'_>, deps: &[&str]) -> String {
    let Some(features) = &plan.features else { return String::new() };
    let quoted: Vec<String> = features.names.iter().map(|name| format!("\"{name}\"")).collect();
    let mut out = format!("\n[features]\n# One feature per tag: turn off the default ones and name those you use to compile only\n# their operations and the types they need.\ndefault = [{}]\n", quoted.join(", "));
    for name in &features.names {
        let enabled: Vec<String> = deps.iter().map(|dep| format!("\"{dep}/{name}\"")).collect();
        out.push_str(&format!("{name} = [{}]\n", enabled.join(", ")));
    }
    out
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
        // The runtime's own version is at least the one generated crates ask for, same minor.
        let version = manifest.lines().find_map(|line| line.strip_prefix("version = \"")).and_then(|rest| rest.strip_suffix('"'));
        let parse = |text: &str| text.split('.').map(|n| n.parse::<u64>().ok()).collect::<Vec<_>>();
        let (own, asked) = (parse(version.unwrap_or_default()), parse(RUNTIME_VERSION));
        assert!(own.len() == 3 && own.iter().all(Option::is_some), "the runtime has a version: {version:?}");
        assert_eq!(own[..2], asked[..2], "RUNTIME_VERSION has the runtime's major.minor");
        assert!(own >= asked, "the runtime is at least RUNTIME_VERSION");
        assert!(!manifest.contains("workspace = true"), "the manifest must stand alone");
    }

    #[test]
    fn crate_paths_become_sibling_module_paths() {
        let idents = [("x_types".to_string(), "types"), ("x_validation".to_string(), "validation")];
        let tokens = quote! {
            use x_validation::Errors;
            pub enum R { Default { status: u16, body: x_types::Error }, Ok(x_types::Pet) }
            fn f(x_types: u8) -> u8 { self.x_types; x_types }
            pub mod inner { pub mod deeper { fn g() -> x_types::A { x_types::A::new() } } }
            const P: &str = "x_types::Kept";
        };
        let relocated = relocate(tokens, &idents, 1).to_string();
        let expected = quote! {
            use super::validation::Errors;
            pub enum R { Default { status: u16, body: super::types::Error }, Ok(super::types::Pet) }
            fn f(x_types: u8) -> u8 { self.x_types; x_types }
            pub mod inner { pub mod deeper { fn g() -> super::super::super::types::A { super::super::super::types::A::new() } } }
            const P: &str = "x_types::Kept";
        };
        assert_eq!(relocated, expected.to_string());
    }

    #[test]
    fn licenses() {
        assert_eq!(spdx_license(Some("Apache 2.0")).as_deref(), Some("Apache-2.0"));
        assert_eq!(spdx_license(Some("MIT")).as_deref(), Some("MIT"));
        assert_eq!(spdx_license(Some("MIT OR Apache-2.0")).as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(spdx_license(Some("Some custom license")), None);
    }
}
