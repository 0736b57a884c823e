//! Lowering: `openapiv3` to the IR. The only place (with `load`) that sees `openapiv3` types.

mod checks;
mod compose;
mod cycles;
mod operations;
mod refs;
mod shape;
mod types;

use crate::error::{child_pointer, Diagnostic};
use crate::ir::{Api, ApiInfo, ParamLocation, SecurityScheme, SecuritySchemeKind};
use openapiv3::OpenAPI;

/// Builds the IR of a whole spec, collecting every problem before failing. Returns the API with
/// the warnings about constructs generated less precisely than the spec says.
pub fn lower(spec: &OpenAPI, raw: &serde_json::Value) -> Result<(Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut space = types::TypeSpace::new(spec, raw);
    // The component schemas' checks (and the walk of the document they need first) do not
    // depend on their types: on a spec of some size they are built on a second thread while
    // this one lowers the types. Their problems come first, as when built here.
    let components = spec.components.as_ref().map_or(0, |c| c.schemas.len());
    let parallel = components + spec.paths.paths.len() >= PARALLEL_COMPONENTS;
    let component_checks = || {
        let valueless_enums = checks::has_valueless_enum(raw);
        let mut checks = checks::CheckBuilder::new(spec, raw, valueless_enums);
        let built = checks.components();
        (built, checks.diagnostics, checks.warnings, valueless_enums)
    };
    let ((component_checks, component_diagnostics, component_warnings, valueless_enums), ()) =
        crate::threads::both(parallel, component_checks, || space.lower_components());
    let mut checks = checks::CheckBuilder::new(spec, raw, valueless_enums);
    checks.diagnostics = component_diagnostics;
    checks.warnings = component_warnings;
    let operations = operations::lower_operations(spec, &mut space, &mut checks, &mut diagnostics);
    diagnostics.append(&mut checks.diagnostics);
    let mut security_warnings = Vec::new();
    let security = operations::lower_security(spec, &spec.security.clone().unwrap_or_default(), "#/security", &mut security_warnings);
    let security_schemes = lower_security_schemes(spec, raw, &mut diagnostics);
    let (types, type_diagnostics, mut warnings) = space.finish();
    warnings.splice(0..0, security_warnings);
    warnings.append(&mut checks.warnings);
    let mut all = type_diagnostics;
    all.extend(diagnostics);
    if !all.is_empty() {
        return Err(all);
    }
    let recursive = cycles::has_recursion(&types);
    let api = Api {
        recursive,
        info: ApiInfo {
            title: spec.info.title.clone(),
            description: spec.info.description.clone(),
            version: spec.info.version.clone(),
            license: spec.info.license.as_ref().map(|l| l.name.clone()),
        },
        types,
        operations,
        servers: spec.servers.iter().map(|server| server.url.clone()).collect(),
        security_schemes,
        security,
        checks: component_checks,
    };
    Ok((api, warnings))
}

/// From how many component schemas and paths together the components' checks are built on a
/// second thread.
const PARALLEL_COMPONENTS: usize = 64;

/// Adds a diagnostic unless the same one is there already: a schema or a path-level parameter
/// can be read more than once (once per operation of its path, once per use).
fn push_once(diagnostics: &mut Vec<Diagnostic>, diagnostic: Diagnostic) {
    if !diagnostics.contains(&diagnostic) {
        diagnostics.push(diagnostic);
    }
}

fn lower_security_schemes(spec: &OpenAPI, raw: &serde_json::Value, diagnostics: &mut Vec<Diagnostic>) -> Vec<SecurityScheme> {
    let Some(components) = &spec.components else { return Vec::new() };
    let mut out = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let at = child_pointer("#/components/securitySchemes", name);
        let scheme = match refs::resolve(Some(&components.security_schemes), raw, "securitySchemes", scheme, &at) {
            Ok((scheme, _)) => scheme,
            Err(err) => {
                diagnostics.push(err);
                continue;
            }
        };
        let (kind, doc) = match &*scheme {
            openapiv3::SecurityScheme::HTTP { scheme, description, .. } => (
                match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => SecuritySchemeKind::HttpBearer,
                    "basic" => SecuritySchemeKind::HttpBasic,
                    other => SecuritySchemeKind::HttpOther(other.to_string()),
                },
                description.clone(),
            ),
            openapiv3::SecurityScheme::APIKey { location, name, description, .. } => (
                SecuritySchemeKind::ApiKey {
                    location: match location {
                        openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                        openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                        openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                    },
                    name: name.clone(),
                },
                description.clone(),
            ),
            openapiv3::SecurityScheme::OAuth2 { description, .. } => (SecuritySchemeKind::OAuth2, description.clone()),
            openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                (SecuritySchemeKind::OpenIdConnect, description.clone())
            }
        };
        out.push(SecurityScheme { name: name.clone(), kind, doc });
    }
    out
}
