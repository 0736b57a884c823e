//! The settings file: TOML read with `toml` (serde, with spans), unknown keys refused.

use super::{CrateKind, CrateOptions, Dependency, Located, Options, Position, Replacement, TypeOptions};
use crate::error::{Diagnostic, Diagnostics};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

/// A settings file: the options of the generated code, and the keys the commands read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SettingsFile {
    /// `spec`: the spec, relative to the settings file.
    pub spec: Option<Located<String>>,
    /// `out`: the output directory, relative to the settings file.
    pub out: Option<Located<String>>,
    /// `name`: the crate name prefix (`petstore` gives `petstore-types`).
    pub name: Option<Located<String>>,
    /// `workspace`: whether the output directory gets a `Cargo.toml` listing the crates (default true).
    pub workspace: Option<bool>,
    /// `runtime`: the `codegen-runtime` crate's directory, relative to the output directory;
    /// when set, no copy of it is written.
    pub runtime: Option<Located<String>>,
    /// Everything else.
    pub options: Options,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    spec: Option<Spanned<String>>,
    out: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    crates: Option<Spanned<Vec<Spanned<String>>>>,
    workspace: Option<bool>,
    runtime: Option<Spanned<String>>,
    types: Option<RawTypes>,
    validation: Option<RawCrate>,
    server: Option<RawServer>,
    client: Option<RawCrate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrate {
    name: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    dependencies: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTypes {
    name: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    dependencies: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    derives: Option<Vec<Spanned<String>>>,
    attributes: Option<Vec<Spanned<String>>>,
    example_tests: Option<bool>,
    schemas: Option<BTreeMap<Spanned<String>, RawType>>,
    replace: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawType {
    derives: Option<Vec<Spanned<String>>>,
    attributes: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServer {
    name: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    dependencies: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    error_schema: Option<Spanned<String>>,
    body_limit: Option<Spanned<i64>>,
    binary_body_limit: Option<Spanned<i64>>,
    request_timeout_ms: Option<Spanned<i64>>,
    default_501: Option<bool>,
    undocumented_responses: Option<bool>,
    ignored_query_parameters: Option<Vec<Spanned<String>>>,
}

/// Reads a settings file. `label` names it in messages (`spec/codegen.toml`). Every problem
/// found is returned at once, each at its `file:line:column`.
pub fn parse(text: &str, label: &str) -> Result<SettingsFile, Diagnostics> {
    let lines = LineIndex::new(text);
    let fail = |items: Vec<Diagnostic>| Diagnostics { file: label.to_string(), items };
    let raw: Raw = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            let at = err.span().map(|span| lines.position(span.start));
            let options = Options { file: label.to_string(), ..Options::default() };
            // toml's message is the reason, then what was expected, on lines of their own.
            let parts: Vec<&str> = err.message().lines().map(str::trim).filter(|line| !line.is_empty()).collect();
            let message = if parts.is_empty() { "not valid TOML here".to_string() } else { parts.join(": ") };
            return Err(fail(vec![options.error(at, "", message)]));
        }
    };
    let mut errors = Vec::new();
    let at = |span: Range<usize>| Some(lines.position(span.start));
    let located = |value: Spanned<String>| Located { at: at(value.span()), value: value.into_inner() };
    let mut options = Options { file: label.to_string(), ..Options::default() };
    if let Some(list) = raw.crates {
        let list_at = at(list.span());
        let mut kinds = Vec::new();
        for item in list.into_inner() {
            match CrateKind::from_key(item.get_ref()) {
                Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
                Some(_) => errors.push(options.error(at(item.span()), "crates", format!("`{}` is listed twice", item.get_ref()))),
                None => errors.push(options.error(
                    at(item.span()),
                    "crates",
                    format!("`{}` is not a crate kind: use `types`, `validation`, `server` or `client`", item.get_ref()),
                )),
            }
        }
        if kinds.is_empty() && errors.is_empty() {
            errors.push(options.error(list_at, "crates", "list at least one crate: `types`, `validation`, `server` or `client`"));
        }
        options.crates = Some(Located { value: kinds, at: list_at });
    }
    options.version = raw.version.map(located);
    let crate_section = |name: Option<Spanned<String>>,
                         version: Option<Spanned<String>>,
                         dependencies: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
                         errors: &mut Vec<Diagnostic>,
                         options: &Options,
                         key: &str| {
        let mut section = CrateOptions { name: name.map(located), version: version.map(located), dependencies: Vec::new() };
        for (dependency, value) in dependencies.unwrap_or_default() {
            let span = value.span();
            // The value as written, so the generated manifest says what the settings say.
            let written = text.get(span).unwrap_or_default().trim().to_string();
            match value.get_ref() {
                toml::Value::String(_) | toml::Value::Table(_) => {
                    section.dependencies.push(Dependency { name: located(dependency), value: written })
                }
                _ => errors.push(options.error(
                    at(dependency.span()),
                    &format!("{key}.dependencies"),
                    format!("the value of `{}` must be a version (`\"1\"`) or a table (`{{ path = \"../x\" }}`)", dependency.get_ref()),
                )),
            }
        }
        section
    };
    if let Some(types) = raw.types {
        options.types = crate_section(types.name, types.version, types.dependencies, &mut errors, &options, "types");
        options.derives = types.derives.unwrap_or_default().into_iter().map(located).collect();
        options.attributes = types.attributes.unwrap_or_default().into_iter().map(located).collect();
        options.example_tests = types.example_tests;
        for (schema, settings) in types.schemas.unwrap_or_default() {
            options.type_options.push(TypeOptions {
                schema: located(schema),
                derives: settings.derives.unwrap_or_default().into_iter().map(located).collect(),
                attributes: settings.attributes.unwrap_or_default().into_iter().map(located).collect(),
            });
        }
        for (schema, path) in types.replace.unwrap_or_default() {
            options.replacements.push(Replacement { schema: located(schema), path: located(path) });
        }
    }
    if let Some(validation) = raw.validation {
        options.validation =
            crate_section(validation.name, validation.version, validation.dependencies, &mut errors, &options, "validation");
    }
    if let Some(client) = raw.client {
        options.client = crate_section(client.name, client.version, client.dependencies, &mut errors, &options, "client");
    }
    if let Some(server) = raw.server {
        options.server = crate_section(server.name, server.version, server.dependencies, &mut errors, &options, "server");
        options.error_schema = server.error_schema.map(located);
        let mut positive = |value: Option<Spanned<i64>>, key: &str, unit: &str| {
            let value = value?;
            let place = at(value.span());
            match u64::try_from(*value.get_ref()) {
                Ok(number) if number > 0 => Some(Located { value: number, at: place }),
                _ => {
                    errors.push(options.error(place, key, format!("must be a number of {unit} greater than 0")));
                    None
                }
            }
        };
        let body_limit = positive(server.body_limit, "server.body_limit", "bytes");
        let request_timeout_ms = positive(server.request_timeout_ms, "server.request_timeout_ms", "milliseconds");
        let binary_body_limit = positive(server.binary_body_limit, "server.binary_body_limit", "bytes");
        options.body_limit = body_limit;
        options.binary_body_limit = binary_body_limit;
        options.request_timeout_ms = request_timeout_ms;
        options.default_501 = server.default_501.unwrap_or(false);
        options.undocumented_responses = server.undocumented_responses.unwrap_or(false);
        for name in server.ignored_query_parameters.unwrap_or_default().into_iter().map(located) {
            if name.value.is_empty() {
                errors.push(options.error(name.at, "server.ignored_query_parameters", "a query parameter name cannot be empty"));
            } else if options.ignored_query_parameters.iter().any(|seen| seen.value == name.value) {
                errors.push(options.error(name.at, "server.ignored_query_parameters", format!("`{}` is listed twice", name.value)));
            } else {
                options.ignored_query_parameters.push(name);
            }
        }
    }
    let name = raw.name.map(located);
    if let Some(name) = &name {
        if let Err(message) = super::check_package_name(&name.value) {
            errors.push(options.error(name.at, "name", message));
        }
    }
    let runtime = raw.runtime.map(located);
    if let Some(runtime) = &runtime {
        if runtime.value.trim().is_empty() {
            errors.push(options.error(runtime.at, "runtime", "give the runtime crate's directory, relative to `out`"));
        }
    }
    errors.extend(options.check());
    // The checks run by key; the file is read top to bottom.
    errors.sort_by_key(|error| match &error.location {
        crate::error::Location::Setting { line, column, .. } => (*line, *column),
        _ => (0, 0),
    });
    if !errors.is_empty() {
        return Err(fail(errors));
    }
    Ok(SettingsFile {
        spec: raw.spec.map(located),
        out: raw.out.map(located),
        name,
        workspace: raw.workspace,
        runtime,
        options,
    })
}

/// Byte offsets to 1-based lines and columns (columns count characters).
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(index, _)| index + 1)).collect();
        LineIndex { text, starts }
    }

    fn position(&self, offset: usize) -> Position {
        let line = self.starts.partition_point(|start| *start <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = self.text.get(start..offset.min(self.text.len())).map(|s| s.chars().count()).unwrap_or(0) + 1;
        Position { line, column }
    }
}
