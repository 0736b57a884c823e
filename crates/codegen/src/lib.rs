//! An OpenAPI 3.0 to Rust generator.
//!
//! The pipeline is `load` (text to `openapiv3`) -> `lower` (to the IR in [`ir`]) -> `emit`
//! (IR to tokens, one module per generated crate) -> `render`/`package` (tokens and templates
//! to files). The library does no I/O: it takes spec text and returns file contents, and the
//! caller (xtask) decides what to write.

#![deny(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::todo, clippy::unimplemented)]

pub mod diff;
pub mod docs;
mod emit;
pub mod error;
pub mod ir;
mod ir_walk;
pub mod load;
mod lower;
pub mod plan;
pub mod package;
pub mod render;
pub mod settings;
mod threads;
pub mod naming;

use error::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use render::Chunk;

/// What to generate and how to label it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    /// Crate name prefix: `desk` gives `desk-types`.
    pub name: String,
    /// The spec file as shown in headers and messages (relative, never absolute).
    pub spec_label: String,
    /// The command shown in the `@generated` header.
    pub command: String,
    /// Where the generated crates find the `codegen-runtime` crate they depend on: its directory
    /// relative to each generated crate's directory, as written into their `Cargo.toml`s
    /// (`../codegen-runtime` beside them, as in `crates/` and in a standalone workspace, which
    /// gets a copy from [`package::runtime_crate`]; `../../codegen-runtime` for
    /// `crates/fixtures/*`).
    pub runtime_path: String,
    /// What the settings file says: which crates, their names and versions, derives,
    /// replacements, the server's error body and defaults ([`settings::Options`]).
    pub options: settings::Options,
}

impl Settings {
    /// The package name of one generated crate (`desk-types`, or the name the settings give it).
    pub fn crate_name(&self, kind: settings::CrateKind) -> String {
        self.options.crate_name(&self.name, kind)
    }
}

/// Generated files keyed by path relative to the output directory (`desk-types/src/lib.rs`).
pub type GeneratedFiles = BTreeMap<String, String>;

fn diagnostics(settings: &Settings, items: Vec<Diagnostic>) -> Diagnostics {
    Diagnostics { file: settings.spec_label.clone(), items }
}

/// Parses and lowers a spec to the IR.
pub fn lower_str(text: &str, settings: &Settings) -> Result<ir::Api, Diagnostics> {
    lower_with_warnings(text, settings).map(|(api, _)| api)
}

/// Parses and lowers a spec to the IR, with the warnings about constructs that were read but
/// generate nothing (such as OpenAPI 3.1 `webhooks`).
pub fn lower_with_warnings(text: &str, settings: &Settings) -> Result<(ir::Api, Diagnostics), Diagnostics> {
    lower_keeping_document(text, settings).map(|(api, warnings, _)| (api, warnings))
}

/// [`lower_with_warnings`], with the loaded document handed back for the caller to free when
/// it suits it.
fn lower_keeping_document(text: &str, settings: &Settings) -> Result<(ir::Api, Diagnostics, load::LoadedSpec), Diagnostics> {
    let mut loaded = load::load_str(text).map_err(|d| diagnostics(settings, vec![d]))?;
    let original = loaded.original.take().filter(|_| text.len() >= load::PARALLEL_READ_BYTES);
    let lowered = std::thread::scope(|scope| {
        // A large document as written (a converted one) is freed while this thread lowers.
        if let Some(original) = original {
            let _ = std::thread::Builder::new().spawn_scoped(scope, move || drop(original));
        }
        lower::lower(&loaded.openapi, &loaded.raw)
    });
    let (mut api, lowering_warnings) = lowered.map_err(|items| {
        // Lowering sees the converted document; point at the file the user wrote.
        let items = items.into_iter().map(|item| original_location(&loaded.source_map, item)).collect();
        diagnostics(settings, items)
    })?;
    if !loaded.source_map.is_identity() {
        original_origins(&loaded.source_map, &mut api);
    }
    let mut warnings = std::mem::take(&mut loaded.warnings);
    warnings.extend(lowering_warnings.into_iter().map(|item| original_location(&loaded.source_map, item)));
    Ok((api, diagnostics(settings, warnings), loaded))
}

/// The `Spec:` pointers that rustdoc and reports show, as the user wrote them.
fn original_origins(source_map: &load::SourceMap, api: &mut ir::Api) {
    for def in &mut api.types {
        def.origin = source_map.original(&def.origin);
        if let ir::TypeKind::Struct(strukt) = &mut def.kind {
            for field in &mut strukt.fields {
                field.origin = source_map.original(&field.origin);
            }
            for part in &mut strukt.flattened {
                part.origin = source_map.original(&part.origin);
            }
        }
    }
    for operation in &mut api.operations {
        operation.origin = source_map.original(&operation.origin);
        for param in &mut operation.params {
            param.origin = source_map.original(&param.origin);
        }
        let bodies = operation.body.iter_mut().flat_map(|b| &mut b.content);
        for media in bodies.chain(operation.responses.iter_mut().flat_map(|r| &mut r.content)) {
            media.origin = source_map.original(&media.origin);
            for (pointer, _) in &mut media.examples {
                *pointer = source_map.original(pointer);
            }
        }
    }
}

fn original_location(source_map: &load::SourceMap, mut item: Diagnostic) -> Diagnostic {
    if let error::Location::Pointer(pointer) = &item.location {
        item.location = error::Location::Pointer(source_map.original(pointer));
    }
    item.message = original_message(source_map, &item.message);
    item
}

/// Messages quote pointers (`` `#/components/schemas/Pet` ``) and component sections
/// (`components.schemas`) of the converted document; both are said as the user wrote them.
fn original_message(source_map: &load::SourceMap, message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for (index, piece) in message.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        // Odd pieces are inside backticks.
        if index % 2 == 1 && piece.starts_with("#/") {
            out.push_str(&source_map.original(piece));
        } else {
            out.push_str(piece);
        }
    }
    for section in ["schemas", "parameters", "responses", "requestBodies", "securitySchemes"] {
        let dotted = format!("components.{section}");
        if out.contains(&dotted) {
            let original = source_map.original(&format!("#/components/{section}"));
            if let Some(path) = original.strip_prefix("#/").filter(|path| !path.starts_with("components/")) {
                out = out.replace(&dotted, &path.replace('/', "."));
            }
        }
    }
    out
}

/// Stack for the generator thread. Nesting is bounded by the parsers' recursion limits (128
/// levels, YAML and JSON), but serde's untagged/flattened schema model, lowering and `syn` each
/// recurse per level; a generous stack of our own keeps that safe whatever thread the caller is on.
pub(crate) const GENERATOR_STACK: usize = 256 * 1024 * 1024;

/// Generated files and the warnings produced on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The files, keyed by path relative to the output directory.
    pub files: GeneratedFiles,
    /// Constructs of the spec that generate nothing; callers should show them.
    pub warnings: Diagnostics,
}

/// Generates every crate for a spec.
pub fn generate_str(text: &str, settings: &Settings) -> Result<GeneratedFiles, Diagnostics> {
    generate(text, settings).map(|generated| generated.files)
}

/// Generates every crate for a spec, with the spec's warnings.
pub fn generate(text: &str, settings: &Settings) -> Result<Generated, Diagnostics> {
    let run = || {
        let (api, mut warnings, document) = lower_keeping_document(text, settings)?;
        let (files, plan_warnings) = std::thread::scope(|scope| {
            // Freeing a large document (its values and typed model) takes as long as planning;
            // it need not hold up the plan. Should no thread start, it is freed here.
            if text.len() >= load::PARALLEL_READ_BYTES {
                let _ = std::thread::Builder::new().spawn_scoped(scope, move || drop(document));
            } else {
                drop(document);
            }
            generate_planned(&api, settings)
        })?;
        warnings.items.extend(plan_warnings);
        Ok(Generated { files, warnings })
    };
    std::thread::scope(|scope| {
        match std::thread::Builder::new().name("codegen".into()).stack_size(GENERATOR_STACK).spawn_scoped(scope, run) {
            Ok(handle) => handle.join().unwrap_or_else(|_| Err(internal(settings, "the generator thread panicked"))),
            // No thread could be started (resource limits): run on the caller's stack.
            Err(_) => run(),
        }
    })
}

fn internal(settings: &Settings, message: &str) -> Diagnostics {
    diagnostics(settings, vec![internal_diagnostic(message)])
}

fn internal_diagnostic(message: &str) -> Diagnostic {
    Diagnostic { kind: error::DiagnosticKind::Internal, location: error::Location::Document, message: message.to_string() }
}

/// Generates every crate for an already lowered API.
pub fn generate_api(api: &ir::Api, settings: &Settings) -> Result<GeneratedFiles, Diagnostics> {
    generate_planned(api, settings).map(|(files, _)| files)
}

/// How many parts the types crate's `generated.rs` is printed in, and the server's handlers.
/// The threads end at most one part apart, so the parts are small: on a 4 MB spec, about 30 ms
/// each (with 8 and 4, the threads ended 22 to 42 ms apart; with 16 and 8, 5 to 20 ms).
const TYPE_PARTS: usize = 16;
const HANDLER_PARTS: usize = 8;
/// How many parts the validation crate's operation checks are printed in: on a spec whose
/// operations have large inline response bodies, they are most of the output.
const VALIDATION_OPERATION_PARTS: usize = 8;

/// How many crates (or parts) are built at once at most, counting the caller's thread.
const MAX_CRATE_THREADS: usize = 4;

/// How many crates are built at once: one per core the process may use (its affinity and cgroup
/// quota count), up to [`MAX_CRATE_THREADS`]. No more than the cores: each thread keeps the
/// memory its allocator has touched, and beyond four the largest part alone sets the time.
fn crate_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |cores| cores.get()).clamp(1, MAX_CRATE_THREADS)
}

/// Generates every crate for an already lowered API, with the plan's warnings.
fn generate_planned(api: &ir::Api, settings: &Settings) -> Result<(GeneratedFiles, Vec<Diagnostic>), Diagnostics> {
    let mut files = GeneratedFiles::new();
    let plan = plan::Plan::with_options(api, &settings.options).map_err(|items| diagnostics(settings, items))?;
    let plan = &plan;
    if settings.options.layout == settings::Layout::Module {
        let files = package::module_file(plan, settings).map_err(|d| diagnostics(settings, vec![d]))?;
        return Ok((files.into_iter().collect(), plan.warnings.clone()));
    }
    let crates = settings.options.crates();
    check_crate_names(settings, &crates.kinds()).map_err(|d| diagnostics(settings, vec![d]))?;
    // Each part with the chunk of its file it prints, whether it continues a file an earlier
    // part began (a file printed in parts has its parts in this order, and they are appended in
    // it), and its rank in the order the threads take them. The parts printed whole come first,
    // the larger first on most specs; then the types and the server's handlers, each cut in
    // several parts of about the same size, so that whatever the spec's mix of schemas and
    // operations the threads end within one small part of each other.
    type PartBuilder<'a> = &'a (dyn Fn(&plan::Plan<'_>, &Settings, Chunk) -> Result<Vec<(String, String)>, Diagnostic> + Sync);
    let mut builders: Vec<(PartBuilder<'_>, Chunk, bool, usize)> = Vec::new();
    // The operations' checks are emitted once, by whichever thread first prints a part of them
    // (the first part, early on; the others are taken last, when it is done).
    let operation_checks = std::sync::OnceLock::new();
    let validation_operations = |plan: &plan::Plan<'_>, settings: &Settings, chunk: Chunk| {
        package::validation_operations(plan, settings, operation_checks.get_or_init(|| package::prepare_operation_checks(plan)), chunk)
    };
    if crates.validation {
        builders.push((&|plan, settings, _| package::validation_crate(plan, settings), Chunk::WHOLE, false, 1));
        for index in 0..VALIDATION_OPERATION_PARTS {
            let rank = if index == 0 { 3 } else { 10 + TYPE_PARTS + HANDLER_PARTS + index };
            builders.push((&validation_operations, Chunk { index, count: VALIDATION_OPERATION_PARTS }, index > 0, rank));
        }
    }
    if crates.types {
        // The first part is printed with the crate's other files, the others after it.
        for index in 0..TYPE_PARTS {
            let build: PartBuilder<'_> = if index == 0 { &package::types_crate } else { &package::types_part };
            builders.push((build, Chunk { index, count: TYPE_PARTS }, index > 0, 10 + index));
        }
    }
    // Server stubs and clients only make sense for a spec with operations.
    let operations = !api.operations.is_empty();
    if crates.client && operations {
        builders.push((&|plan, settings, _| package::client_crate(plan, settings), Chunk::WHOLE, false, 0));
    }
    if crates.server && operations {
        builders.push((&|plan, settings, _| package::server_crate(plan, settings), Chunk::WHOLE, false, 2));
        for index in 0..HANDLER_PARTS {
            builders.push((&package::server_handlers, Chunk { index, count: HANDLER_PARTS }, true, 10 + TYPE_PARTS + index));
        }
    }
    let mut schedule: Vec<usize> = (0..builders.len()).collect();
    schedule.sort_by_key(|&index| builders[index].3);
    // Each crate (or part) is emitted and printed independently, so they are built on parallel
    // threads (with the same large stack as the caller), each taking the next one not yet taken.
    let next = std::sync::atomic::AtomicUsize::new(0);
    type Built = (usize, Result<Vec<(String, String)>, Diagnostic>);
    let build_next = || -> Vec<Built> {
        let mut built = Vec::new();
        loop {
            let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(&index) = schedule.get(taken) else { return built };
            let (build, chunk, ..) = builders[index];
            built.push((index, build(plan, settings, chunk)));
        }
    };
    let mut crates: Vec<Built> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..crate_threads().min(builders.len()))
            .filter_map(|_| std::thread::Builder::new().stack_size(GENERATOR_STACK).spawn_scoped(scope, build_next).ok())
            .collect();
        // When no thread could be started (resource limits), this one takes every crate.
        let mut crates = build_next();
        for handle in others {
            match handle.join() {
                Ok(built) => crates.extend(built),
                Err(_) => crates.push((usize::MAX, Err(internal_diagnostic("a crate emitter panicked")))),
            }
        }
        crates
    });
    // The first error in the order above, whichever thread met it.
    crates.sort_by_key(|(index, _)| *index);
    let mut parted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (index, generated) in crates {
        let continues = builders.get(index).is_some_and(|(_, _, continues, _)| *continues);
        for (path, text) in generated.map_err(|d| diagnostics(settings, vec![d]))? {
            match parted.entry(path) {
                // A file printed in parts: each part after the one before it.
                std::collections::btree_map::Entry::Occupied(mut file) if continues => file.get_mut().push(text),
                std::collections::btree_map::Entry::Vacant(file) if !continues => {
                    file.insert(vec![text]);
                }
                entry => {
                    let message = format!("two parts of the generated crates disagree about {}", entry.key());
                    return Err(diagnostics(settings, vec![internal_diagnostic(&message)]));
                }
            }
        }
    }
    // Each file is allocated once at its length and each part freed once copied: appending to
    // the first part would reallocate (and copy) a file of tens of MB several times over.
    for (path, parts) in parted {
        let text = if parts.len() == 1 {
            parts.into_iter().collect()
        } else {
            let mut text = String::with_capacity(parts.iter().map(String::len).sum());
            for part in parts {
                text.push_str(&part);
            }
            text
        };
        files.insert(path, text);
    }
    Ok((files, plan.warnings.clone()))
}

/// Two generated crates under one name (or the runtime's) would be one directory: refused, at
/// the setting that names one of them.
fn check_crate_names(settings: &Settings, kinds: &[settings::CrateKind]) -> Result<(), Diagnostic> {
    let mut taken: Vec<(String, &str)> = vec![(package::RUNTIME_DIR.to_string(), "runtime")];
    for &kind in kinds {
        let name = settings.crate_name(kind);
        if let Some((_, other)) = taken.iter().find(|(existing, _)| *existing == name) {
            let key = format!("{}.name", kind.key());
            let at = settings.options.crate_options(kind).name.as_ref().and_then(|name| name.at);
            return Err(settings.options.error(at, &key, format!("`{name}` is already the name of the {other} crate")));
        }
        taken.push((name, kind.key()));
    }
    Ok(())
}

/// The crate directories [`generate_api`] may produce with these settings' names (it leaves out
/// the crates the settings do not ask for, and the server and client for a spec without
/// operations); generated files found there and not produced are stray.
pub fn crate_dirs(settings: &Settings) -> Vec<String> {
    settings::CrateKind::ALL.iter().map(|kind| settings.crate_name(*kind)).collect()
}
