//! Generator settings: which crates to generate and how (names, versions, extra dependencies,
//! derives and attributes, schemas replaced by existing Rust types, the server's error body and
//! defaults).
//!
//! [`Options`] is what generation reads ([`crate::Settings::options`]); [`parse`] reads it, and
//! the keys only the commands use (`spec`, `out`, `workspace`, `runtime`, `name`), from the text
//! of a settings file (`codegen.toml`, TOML). Unknown keys and bad values are errors at their
//! `file:line:column`; everything that needs the spec (a schema name that is not in it, a derive
//! that cannot compile on a type) is checked when generating, and reported at the same place.
//! Text in, values out: no file is read here.

mod file;

use crate::error::{Diagnostic, DiagnosticKind, Location};

pub use file::{parse, SettingsFile};

/// One of the generated crates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CrateKind {
    /// `NAME-types`: one Rust type per schema.
    Types,
    /// `NAME-validation`: every schema keyword checked on raw JSON.
    Validation,
    /// `NAME-server`: axum server traits and router.
    Server,
    /// `NAME-client`: reqwest client.
    Client,
}

impl CrateKind {
    /// The four, in dependency order.
    pub const ALL: [CrateKind; 4] = [CrateKind::Types, CrateKind::Validation, CrateKind::Server, CrateKind::Client];

    /// `types`, `validation`, `server` or `client`: the settings key and the default name suffix.
    pub fn key(self) -> &'static str {
        match self {
            CrateKind::Types => "types",
            CrateKind::Validation => "validation",
            CrateKind::Server => "server",
            CrateKind::Client => "client",
        }
    }

    /// The crates this one depends on (server and client: validation and types; validation: types).
    pub fn needs(self) -> &'static [CrateKind] {
        match self {
            CrateKind::Types => &[],
            CrateKind::Validation => &[CrateKind::Types],
            CrateKind::Server | CrateKind::Client => &[CrateKind::Types, CrateKind::Validation],
        }
    }

    fn from_key(key: &str) -> Option<CrateKind> {
        CrateKind::ALL.into_iter().find(|kind| kind.key() == key)
    }
}

/// A line and column (1-based, in characters) in the settings file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// A value and where the settings file sets it (`None` for values set in code).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Its place in the settings file.
    pub at: Option<Position>,
}

impl<T> Located<T> {
    /// A value set in code, with no place in a file.
    pub fn new(value: T) -> Self {
        Located { value, at: None }
    }
}

/// Settings of one generated crate (`[types]`, `[validation]`, `[server]`, `[client]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CrateOptions {
    /// The package name (default `NAME-<kind>`); it is also the crate's directory.
    pub name: Option<Located<String>>,
    /// The package version (default: the top-level `version`, else from `info.version`).
    pub version: Option<Located<String>>,
    /// Extra `[dependencies]` entries, in file order: the dependency name and its TOML value as
    /// written (`{ path = "../../my-money" }`, `"1"`).
    pub dependencies: Vec<Dependency>,
}

/// One extra dependency line of a generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The key (`my-money`).
    pub name: Located<String>,
    /// The value, as TOML text on one line.
    pub value: String,
}

/// Derives and attributes for one generated type (`[types.schemas.NAME]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TypeOptions {
    /// The component schema's name in the spec, or a generated type's Rust name.
    pub schema: Located<String>,
    /// Extra derives (Rust paths: `Hash`, `schemars::JsonSchema`).
    pub derives: Vec<Located<String>>,
    /// Extra outer attributes (`#[non_exhaustive]`).
    pub attributes: Vec<Located<String>>,
}

/// A schema generated as an existing Rust type (`[types.replace]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replacement {
    /// The component schema's name in the spec, or a generated type's Rust name.
    pub schema: Located<String>,
    /// The Rust path every use of the schema becomes (`my_money::Money`).
    pub path: Located<String>,
}

/// How the generated code is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// One crate per kind, each in its own directory with its `Cargo.toml` (the default).
    #[default]
    Crates,
    /// One Rust file, `NAME.rs`, with one module per kind (`types`, `validation`, `server`,
    /// `client`), for a build script to write into `OUT_DIR` and a crate to `include!`.
    Module,
}

/// Everything a settings file can say about the generated code. The default generates what the
/// generator always did: four crates named `NAME-<kind>`, versions from `info.version`, no extra
/// derives, attributes or dependencies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    /// The settings file as messages name it (`spec/codegen.toml`); empty for options set in code.
    pub file: String,
    /// The crates asked for (`crates`); `None` is all four. See [`Options::crates`].
    pub crates: Option<Located<Vec<CrateKind>>>,
    /// The version of every generated crate (`version`), unless a crate sets its own.
    pub version: Option<Located<String>>,
    /// `[types]`.
    pub types: CrateOptions,
    /// `[validation]`.
    pub validation: CrateOptions,
    /// `[server]`.
    pub server: CrateOptions,
    /// `[client]`.
    pub client: CrateOptions,
    /// Derives for every generated type (`types.derives`).
    pub derives: Vec<Located<String>>,
    /// Outer attributes for every generated type (`types.attributes`).
    pub attributes: Vec<Located<String>>,
    /// Whether the types crate gets `tests/examples.rs`, every example of the spec through its
    /// type (`types.example_tests`); `None`: yes.
    pub example_tests: Option<bool>,
    /// Derives and attributes for single types (`[types.schemas.NAME]`), in file order.
    pub type_options: Vec<TypeOptions>,
    /// Schemas replaced by existing types (`[types.replace]`), in file order.
    pub replacements: Vec<Replacement>,
    /// The component schema of the server's own error responses (`server.error_schema`).
    pub error_schema: Option<Located<String>>,
    /// The default request body limit of the server's `Config`, in bytes (`server.body_limit`).
    pub body_limit: Option<Located<u64>>,
    /// The default streamed (binary) request body limit of the server's `Config`, in bytes
    /// (`server.binary_body_limit`).
    pub binary_body_limit: Option<Located<u64>>,
    /// The default request timeout of the server's `Config`, in milliseconds
    /// (`server.request_timeout_ms`); `None`: the server has no timeout.
    pub request_timeout_ms: Option<Located<u64>>,
    /// Server trait methods get a default body answering 501 Not Implemented (`server.default_501`).
    pub default_501: bool,
    /// Every server response enum gets a variant for a response the spec does not document
    /// (`server.undocumented_responses`).
    pub undocumented_responses: bool,
    /// Query parameters every operation of the server accepts and ignores, in file order
    /// (`server.ignored_query_parameters`).
    pub ignored_query_parameters: Vec<Located<String>>,
    /// One crate per kind or one module file (set by build scripts, not by settings files).
    pub layout: Layout,
}

/// The generated crates, after dependencies are added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crates {
    /// `NAME-types`.
    pub types: bool,
    /// `NAME-validation`.
    pub validation: bool,
    /// `NAME-server`.
    pub server: bool,
    /// `NAME-client`.
    pub client: bool,
}

impl Crates {
    /// Whether `kind` is generated.
    pub fn has(&self, kind: CrateKind) -> bool {
        match kind {
            CrateKind::Types => self.types,
            CrateKind::Validation => self.validation,
            CrateKind::Server => self.server,
            CrateKind::Client => self.client,
        }
    }

    /// The generated kinds, in dependency order.
    pub fn kinds(&self) -> Vec<CrateKind> {
        CrateKind::ALL.into_iter().filter(|kind| self.has(*kind)).collect()
    }
}

impl Options {
    /// The crates to generate: those asked for and the ones they need (a client needs the
    /// validation crate, which `validate_requests(true)` uses, and the types crate).
    pub fn crates(&self) -> Crates {
        let asked: Vec<CrateKind> = match &self.crates {
            Some(list) => list.value.clone(),
            None => CrateKind::ALL.to_vec(),
        };
        let has = |kind: CrateKind| asked.iter().any(|asked| *asked == kind || asked.needs().contains(&kind));
        Crates {
            types: has(CrateKind::Types),
            validation: has(CrateKind::Validation),
            server: has(CrateKind::Server),
            client: has(CrateKind::Client),
        }
    }

    /// The settings of one crate.
    pub fn crate_options(&self, kind: CrateKind) -> &CrateOptions {
        match kind {
            CrateKind::Types => &self.types,
            CrateKind::Validation => &self.validation,
            CrateKind::Server => &self.server,
            CrateKind::Client => &self.client,
        }
    }

    /// The package name of one crate: its `name` setting, else `PREFIX-<kind>`.
    pub fn crate_name(&self, prefix: &str, kind: CrateKind) -> String {
        match &self.crate_options(kind).name {
            Some(name) => name.value.clone(),
            None => format!("{prefix}-{}", kind.key()),
        }
    }

    /// A diagnostic at a setting's place (the document when it has none), naming the key.
    pub fn error(&self, at: Option<Position>, key: &str, message: impl Into<String>) -> Diagnostic {
        let message = message.into();
        match at {
            Some(Position { line, column }) if !self.file.is_empty() => Diagnostic {
                kind: DiagnosticKind::Settings,
                location: Location::Setting { file: self.file.clone(), line, column },
                message,
            },
            _ => Diagnostic { kind: DiagnosticKind::Settings, location: Location::Document, message: format!("setting `{key}`: {message}") },
        }
    }

    /// Checks what can be checked without the spec (the same checks [`parse`] makes), for
    /// options set in code.
    pub fn check(&self) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for kind in CrateKind::ALL {
            let options = self.crate_options(kind);
            let key = kind.key();
            if let Some(name) = &options.name {
                if let Err(message) = check_package_name(&name.value) {
                    errors.push(self.error(name.at, &format!("{key}.name"), message));
                }
            }
            if let Some(version) = &options.version {
                if let Err(message) = check_version(&version.value) {
                    errors.push(self.error(version.at, &format!("{key}.version"), message));
                }
            }
            for dependency in &options.dependencies {
                if let Err(message) = check_dependency(&dependency.name.value, &dependency.value) {
                    errors.push(self.error(dependency.name.at, &format!("{key}.dependencies"), message));
                }
            }
        }
        let crates = self.crates();
        let mut names: Vec<(String, CrateKind)> = Vec::new();
        for kind in crates.kinds() {
            if let Some(name) = &self.crate_options(kind).name {
                if let Some((_, other)) = names.iter().find(|(taken, _)| *taken == name.value) {
                    errors.push(self.error(
                        name.at,
                        &format!("{}.name", kind.key()),
                        format!("`{}` is already the name of the {} crate", name.value, other.key()),
                    ));
                }
                names.push((name.value.clone(), kind));
            }
        }
        if let Some(version) = &self.version {
            if let Err(message) = check_version(&version.value) {
                errors.push(self.error(version.at, "version", message));
            }
        }
        for derive in self.derives.iter().chain(self.type_options.iter().flat_map(|t| &t.derives)) {
            if let Err(message) = parse_derive(&derive.value) {
                errors.push(self.error(derive.at, "types.derives", message));
            }
        }
        for attribute in self.attributes.iter().chain(self.type_options.iter().flat_map(|t| &t.attributes)) {
            if let Err(message) = parse_attributes(&attribute.value) {
                errors.push(self.error(attribute.at, "types.attributes", message));
            }
        }
        for replacement in &self.replacements {
            if let Err(message) = parse_type_path(&replacement.path.value) {
                errors.push(self.error(replacement.path.at, "types.replace", message));
            }
        }
        if let Some(limit) = &self.body_limit {
            if limit.value == 0 || usize::try_from(limit.value).is_err() {
                errors.push(self.error(limit.at, "server.body_limit", "must be a number of bytes greater than 0"));
            }
        }
        if let Some(limit) = &self.binary_body_limit {
            if limit.value == 0 || usize::try_from(limit.value).is_err() {
                errors.push(self.error(limit.at, "server.binary_body_limit", "must be a number of bytes greater than 0"));
            }
        }
        if let Some(timeout) = &self.request_timeout_ms {
            if timeout.value == 0 {
                errors.push(self.error(timeout.at, "server.request_timeout_ms", "must be a number of milliseconds greater than 0"));
            }
        }
        errors
    }
}

/// Crate name prefixes and package names: lowercase letters, digits and `-`, starting with a
/// letter (`petstore`, `petstore-models`).
pub fn check_package_name(name: &str) -> Result<(), String> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
        && !name.contains("--");
    if valid {
        Ok(())
    } else {
        Err(format!("`{name}` is not a crate name: use lowercase letters, digits and `-`, starting with a letter (e.g. `petstore`)"))
    }
}

/// A semver version: `MAJOR.MINOR.PATCH`, optionally `-pre` and `+build`.
pub fn check_version(version: &str) -> Result<(), String> {
    let (rest, build) = match version.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (version, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let number = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()) && (part == "0" || !part.starts_with('0'));
    let identifiers = |text: &str| {
        !text.is_empty() && text.split('.').all(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() == 3 && parts.iter().all(|p| number(p)) && pre.is_none_or(identifiers) && build.is_none_or(identifiers) {
        Ok(())
    } else {
        Err(format!("`{version}` is not a semver version such as `1.2.3` or `0.4.0-beta.1`"))
    }
}

/// A dependency entry: a crate name as key, and a value that is a version string or an inline
/// table, on one line.
pub fn check_dependency(name: &str, value: &str) -> Result<(), String> {
    let valid_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid_name {
        return Err(format!("`{name}` is not a crate name"));
    }
    if value.contains('\n') {
        return Err(format!("the value of `{name}` must be on one line"));
    }
    let line = format!("{name} = {value}");
    match toml::from_str::<toml::Table>(&line).ok().and_then(|table| table.get(name).cloned()) {
        Some(toml::Value::String(_) | toml::Value::Table(_)) => Ok(()),
        _ => Err(format!("the value of `{name}` must be a version (`\"1\"`) or a table (`{{ path = \"../x\" }}`)")),
    }
}

/// A derive: a Rust path (`Hash`, `schemars::JsonSchema`).
pub fn parse_derive(text: &str) -> Result<syn::Path, String> {
    let path: syn::Path = syn::parse_str(text).map_err(|err| format!("`{text}` is not a Rust path to a derive macro: {err}"))?;
    if path.segments.iter().any(|segment| !segment.arguments.is_none()) {
        return Err(format!("`{text}` is not a Rust path to a derive macro: it has generic arguments"));
    }
    Ok(path)
}

/// Outer attributes (`#[non_exhaustive]`, `#[serde(rename_all = "camelCase")]`), one or more;
/// derives go in `derives`.
pub fn parse_attributes(text: &str) -> Result<Vec<syn::Attribute>, String> {
    use syn::parse::Parser;
    let attributes = syn::Attribute::parse_outer
        .parse_str(text)
        .map_err(|err| format!("`{text}` is not an outer attribute such as `#[non_exhaustive]`: {err}"))?;
    if attributes.is_empty() {
        return Err("an attribute such as `#[non_exhaustive]` is needed".to_string());
    }
    if attributes.iter().any(|attribute| attribute.path().is_ident("derive")) {
        return Err(format!("`{text}`: put derives in `derives`, where they are checked against each type"));
    }
    Ok(attributes)
}

/// A replacement type: a Rust path (`my_money::Money`, `crate::Money` is not usable from the
/// generated crates, so any path is taken as written).
pub fn parse_type_path(text: &str) -> Result<syn::TypePath, String> {
    let ty: syn::Type = syn::parse_str(text).map_err(|err| format!("`{text}` is not a Rust type path: {err}"))?;
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => Ok(path),
        _ => Err(format!("`{text}` is not a Rust type path such as `my_money::Money`")),
    }
}

#[cfg(test)]
mod tests;
