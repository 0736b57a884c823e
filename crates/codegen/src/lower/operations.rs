//! Paths and operations to `ir::Operation`: parameters merged and resolved, bodies, responses,
//! security, and the path template checked against the declared path parameters.

use super::checks::CheckBuilder;
use super::refs;
use super::types::TypeSpace;
use crate::error::{child_pointer, Diagnostic};
use crate::ir::{
    CheckNode, FieldEncoding, MediaBody, Method, Operation, Param, ParamLocation, ParamStyle, PathSegment, RequestBody, Response,
    ResponseHeader, SecurityRequirement, Status, TypeRef,
};
use crate::naming::{self, NameSet};
use indexmap::IndexMap;
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};
use std::collections::BTreeSet;

/// Converts every operation of the spec.
pub fn lower_operations(
    spec: &OpenAPI,
    space: &mut TypeSpace<'_>,
    checks: &mut CheckBuilder<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Operation> {
    let mut operations = Vec::new();
    let mut rust_names = NameSet::default();
    let mut seen_ids: IndexMap<String, String> = IndexMap::new();
    // The 3.0 model keeps only the keys that begin with `/` (and `x-` extensions): any other key
    // would be an operation silently left out.
    if let Some(paths) = space.raw().get("paths").and_then(serde_json::Value::as_object) {
        for path in paths.keys().filter(|key| !key.starts_with('/') && !key.starts_with("x-")) {
            diagnostics.push(Diagnostic::invalid(
                &child_pointer("#/paths", path),
                format!("path `{path}` does not begin with `/`, as OpenAPI requires of every path (write `/{path}`)"),
            ));
        }
    }
    for (path, item) in &spec.paths.paths {
        let mut path_pointer = child_pointer("#/paths", path);
        let referenced;
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => match path_item(space.raw(), reference, &path_pointer) {
                Ok((item, at)) => {
                    referenced = item;
                    path_pointer = at;
                    &referenced
                }
                Err(err) => {
                    diagnostics.push(err);
                    continue;
                }
            },
        };
        let segments = match parse_template(path) {
            Ok(segments) => segments,
            Err(message) => {
                diagnostics.push(Diagnostic::invalid(&path_pointer, message));
                continue;
            }
        };
        for (method_name, operation) in item.iter() {
            let Some(method) = method_of(method_name) else { continue };
            let pointer = child_pointer(&path_pointer, method_name);
            let mut id = match &operation.operation_id {
                Some(id) => id.clone(),
                None => derived_operation_id(method_name, path),
            };
            // A path item shared through `$ref` brings its operationIds along; the copy under
            // this path gets an id of its own.
            let shared = path_pointer != child_pointer("#/paths", path);
            if shared && seen_ids.contains_key(&id) {
                let own = derived_operation_id(method_name, path);
                space.warnings.push(Diagnostic::invalid(
                    &child_pointer(&child_pointer(&child_pointer("#/paths", path), "$ref"), method_name),
                    format!("the path item is shared through `$ref`, so operationId `{id}` is used twice; this copy is `{own}`"),
                ));
                id = own;
            }
            if let Some(first) = seen_ids.get(&id) {
                diagnostics.push(Diagnostic::invalid(
                    &child_pointer(&pointer, "operationId"),
                    format!("duplicate operationId `{id}` (first used at {first}); operationIds must be unique"),
                ));
                continue;
            }
            seen_ids.insert(id.clone(), pointer.clone());
            let rust_name = rust_names.claim(&naming::field_name(&id, "op"), "_");
            let type_prefix = naming::type_name(&id, "Op");

            let mut params = lower_params(spec, space, checks, diagnostics, &item.parameters, &operation.parameters, &path_pointer, &pointer, &type_prefix);
            check_path_params(&segments, &mut params, &pointer, diagnostics, &mut space.warnings);
            drop_untemplated_path_params(&segments, &mut params, &mut space.warnings);

            let body = operation.request_body.as_ref().and_then(|body| {
                let at = child_pointer(&pointer, "requestBody");
                let bodies = spec.components.as_ref().map(|c| &c.request_bodies);
                match refs::resolve(bodies, space.raw(), "requestBodies", body, &at) {
                    Ok((body, body_at)) => Some(RequestBody {
                        required: body.required,
                        // An optional body that is `null` is read as an absent one (`Option<T>`, not
                        // `Option<Option<T>>`); a required one keeps `null` as a value.
                        content: lower_content(spec, space, checks, &body.content, &format!("{type_prefix}Request"), &child_pointer(&body_at, "content"), body.required),
                        doc: body.description.clone(),
                    }),
                    Err(err) => {
                        diagnostics.push(err);
                        None
                    }
                }
            });

            let responses = lower_responses(spec, space, checks, diagnostics, operation, &pointer, &type_prefix);
            let security = operation.security.as_ref().map(|alternatives| {
                lower_security(spec, alternatives, &child_pointer(&pointer, "security"), &mut space.warnings)
            });
            operations.push(Operation {
                id,
                rust_name,
                method,
                path: path.clone(),
                segments: segments.clone(),
                tags: operation.tags.clone(),
                summary: operation.summary.clone(),
                description: operation.description.clone(),
                deprecated: operation.deprecated,
                params,
                body,
                responses,
                security,
                origin: pointer,
            });
        }
    }
    operations
}

fn method_of(name: &str) -> Option<Method> {
    Some(match name {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        "trace" => Method::Trace,
        _ => return None,
    })
}

/// `get /pets/{id}` -> `get_pets_id`, for operations without an operationId.
fn derived_operation_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        format!("{method}_root")
    } else {
        format!("{method}_{}", words.join("_"))
    }
}

/// Splits `/a/{b}.json` into literals and parameters.
pub fn parse_template(path: &str) -> Result<Vec<PathSegment>, String> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_string()));
        }
        let Some(close) = rest[open..].find('}') else {
            return Err(format!("path template `{path}` has an unclosed `{{`"));
        };
        // RFC 6570 operators (`{.x}`, `{;x}`, `{x*}`) appear in real specs; the parameter's
        // `style` and `explode` carry that meaning, so only the name is kept.
        let name = rest[open + 1..open + close].trim_start_matches(['.', ';']).trim_end_matches('*');
        if name.is_empty() || name.contains('{') {
            return Err(format!("path template `{path}` has an empty or nested parameter"));
        }
        if segments.iter().any(|segment| matches!(segment, PathSegment::Param(seen) if seen == name)) {
            return Err(format!("path template `{path}` uses `{{{name}}}` twice; each template expression names its own parameter"));
        }
        segments.push(PathSegment::Param(name.to_string()));
        rest = &rest[open + close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("path template `{path}` has an unmatched `}}`"));
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_string()));
    }
    Ok(segments)
}

/// Every `{name}` of the template needs a path parameter. One declared under the same name in
/// another location (`in: query`) is a slip with one reading: it is the path parameter.
fn check_path_params(
    segments: &[PathSegment],
    params: &mut [Param],
    pointer: &str,
    diagnostics: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    for segment in segments {
        let PathSegment::Param(name) = segment else { continue };
        if params.iter().any(|p| p.location == ParamLocation::Path && &p.wire == name) {
            continue;
        }
        if let Some(param) = params.iter_mut().find(|p| &p.wire == name) {
            warnings.push(Diagnostic::invalid(
                &child_pointer(&param.origin, "in"),
                format!(
                    "`{name}` is in the path template but declared `in: {}`; read as the path parameter `{{{name}}}` (required, style simple)",
                    location_name(param.location)
                ),
            ));
            param.location = ParamLocation::Path;
            param.required = true;
            param.style = ParamStyle::Simple;
            param.explode = false;
            continue;
        }
        diagnostics.push(Diagnostic::invalid(
            pointer,
            format!("path parameter `{{{name}}}` is used in the path but never declared; add a parameter with `in: path` and `name: {name}`"),
        ));
    }
}

/// A parameter declared `in: path` that the template does not use can never be sent (OpenAPI:
/// its name "MUST correspond to a template expression occurring within the path"): left out,
/// with a warning at its declaration.
fn drop_untemplated_path_params(segments: &[PathSegment], params: &mut Vec<Param>, warnings: &mut Vec<Diagnostic>) {
    params.retain(|param| {
        let templated = segments.iter().any(|segment| matches!(segment, PathSegment::Param(name) if *name == param.wire));
        if param.location == ParamLocation::Path && !templated {
            // A path-level parameter is met once per operation: one warning for it.
            let message = format!("path parameter `{}` is declared but the path template has no `{{{}}}`; left out", param.wire, param.wire);
            if warnings.iter().any(|w| w.location == crate::error::Location::Pointer(param.origin.clone()) && w.message == message) {
                return false;
            }
            warnings.push(Diagnostic::invalid(
                &param.origin,
                message,
            ));
            return false;
        }
        true
    });
}

/// The path item a path's `$ref` points at (same document only), with its pointer.
fn path_item(raw: &serde_json::Value, reference: &str, path_pointer: &str) -> Result<(openapiv3::PathItem, String), Diagnostic> {
    let at = child_pointer(path_pointer, "$ref");
    let Some(target) = refs::local_pointer(reference) else {
        return Err(Diagnostic::unsupported(
            &at,
            format!("external path item $ref `{reference}`: only references inside the same document can be followed; bundle the spec into one file first"),
        ));
    };
    let value = raw
        .pointer(&target)
        .ok_or_else(|| Diagnostic::invalid(&at, format!("dangling $ref `{reference}`: nothing at that pointer")))?;
    if value.get("$ref").is_some() {
        return Err(Diagnostic::invalid(&at, format!("$ref `{reference}` points at another reference; point it at the path item itself")));
    }
    let item = serde_json::from_value(value.clone())
        .map_err(|e| Diagnostic::invalid(&at, format!("$ref `{reference}` does not point at a path item: {e}")))?;
    Ok((item, format!("#{target}")))
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

#[allow(clippy::too_many_arguments)]
fn lower_params(
    spec: &OpenAPI,
    space: &mut TypeSpace<'_>,
    checks: &mut CheckBuilder<'_>,
    diagnostics: &mut Vec<Diagnostic>,
    path_level: &[ReferenceOr<Parameter>],
    operation_level: &[ReferenceOr<Parameter>],
    path_pointer: &str,
    pointer: &str,
    type_prefix: &str,
) -> Vec<Param> {
    let components = spec.components.as_ref().map(|c| &c.parameters);
    // Operation-level parameters override path-level ones with the same name and location.
    let mut merged: IndexMap<(String, ParamLocation), (std::borrow::Cow<'_, Parameter>, String)> = IndexMap::new();
    let sources = [(path_level, child_pointer(path_pointer, "parameters")), (operation_level, child_pointer(pointer, "parameters"))];
    for (list, list_pointer) in &sources {
        // OpenAPI: "The list MUST NOT include duplicated parameters" (same name and location).
        let mut in_list: IndexMap<(String, ParamLocation), String> = IndexMap::new();
        for (index, param) in list.iter().enumerate() {
            let at = child_pointer(list_pointer, &index.to_string());
            match refs::resolve(components, space.raw(), "parameters", param, &at) {
                Ok((param, param_at)) => {
                    let data = param.parameter_data_ref();
                    let key = (data.name.clone(), location_of(&param));
                    if let Some(first) = in_list.get(&key) {
                        let message = format!(
                            "parameter `{}` (in: {}) is declared twice in this list (first at {first}); a parameter is unique by name and location",
                            key.0,
                            location_name(key.1)
                        );
                        super::push_once(diagnostics, Diagnostic::invalid(&at, message));
                        continue;
                    }
                    in_list.insert(key.clone(), at.clone());
                    if key.1 == ParamLocation::Path && !data.required {
                        let message = format!("path parameter `{}` is not `required: true`, which OpenAPI requires of path parameters; read as required", key.0);
                        super::push_once(&mut space.warnings, Diagnostic::invalid(&param_at, message));
                    }
                    merged.insert(key, (param, param_at));
                }
                Err(err) => diagnostics.push(err),
            }
        }
    }
    let mut names = NameSet::default();
    let mut params = Vec::new();
    for ((wire, location), (param, at)) in merged {
        let data = param.parameter_data_ref();
        let (style, explode) = style_of(&param);
        let hint = format!("{type_prefix}{}", naming::type_name(&wire, "Param"));
        let content = match &data.format {
            ParameterSchemaOrContent::Content(content) => content.keys().next().cloned(),
            ParameterSchemaOrContent::Schema(_) => None,
        };
        let (check, ty, constraints, default) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let check = checks.node(schema, &child_pointer(&at, "schema"));
                let ty = space.use_site(schema, &hint, &child_pointer(&at, "schema"));
                let (constraints, default) = match schema {
                    ReferenceOr::Item(item) => (super::shape::Shape::of(item).constraints, item.schema_data.default.clone()),
                    ReferenceOr::Reference { .. } => (Default::default(), None),
                };
                (check, ty, constraints, default)
            }
            ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((media, media_type)) => match &media_type.schema {
                    Some(schema) => {
                        let at = child_pointer(&child_pointer(&child_pointer(&at, "content"), media), "schema");
                        (checks.node(schema, &at), space.use_site(schema, &hint, &at), Default::default(), None)
                    }
                    None => (CheckNode::Inline(Box::default()), TypeRef::Any, Default::default(), None),
                },
                None => (CheckNode::Inline(Box::default()), TypeRef::Any, Default::default(), None),
            },
        };
        params.push(Param {
            rust_name: names.claim(&naming::field_name(&wire, "param"), "_"),
            wire,
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            constraints,
            check,
            content,
            style,
            explode,
            default,
            doc: data.description.clone(),
            origin: at,
        });
    }
    params
}

fn location_of(param: &Parameter) -> ParamLocation {
    match param {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// The style and explode flag, with OpenAPI's defaults (form/explode for query and cookie,
/// simple/no-explode for path and header).
fn style_of(param: &Parameter) -> (ParamStyle, bool) {
    let explicit = param.parameter_data_ref().explode;
    let style = match param {
        Parameter::Path { style, .. } => match style {
            openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
            openapiv3::PathStyle::Label => ParamStyle::Label,
            openapiv3::PathStyle::Simple => ParamStyle::Simple,
        },
        Parameter::Query { style, .. } => match style {
            openapiv3::QueryStyle::Form => ParamStyle::Form,
            openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
            openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
            openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
        },
        Parameter::Header { .. } => ParamStyle::Simple,
        Parameter::Cookie { .. } => ParamStyle::Form,
    };
    (style, explicit.unwrap_or(style == ParamStyle::Form))
}

fn lower_content(
    spec: &OpenAPI,
    space: &mut TypeSpace<'_>,
    checks: &mut CheckBuilder<'_>,
    content: &IndexMap<String, openapiv3::MediaType>,
    hint: &str,
    pointer: &str,
    keep_null: bool,
) -> Vec<MediaBody> {
    content
        .iter()
        .map(|(media, media_type)| {
            let media_pointer = child_pointer(pointer, media);
            let mut examples = Vec::new();
            if let Some(example) = &media_type.example {
                examples.push((child_pointer(&media_pointer, "example"), example.clone()));
            }
            let components = spec.components.as_ref().map(|c| &c.examples);
            for (name, example) in &media_type.examples {
                let at = child_pointer(&child_pointer(&media_pointer, "examples"), name);
                if let Ok((example, _)) = refs::resolve(components, space.raw(), "examples", example, &at) {
                    if let Some(value) = &example.value {
                        examples.push((at, value.clone()));
                    }
                }
            }
            let schema_pointer = child_pointer(&media_pointer, "schema");
            MediaBody {
                check: media_type.schema.as_ref().map(|schema| checks.node(schema, &schema_pointer)),
                media_type: media.clone(),
                origin: media_pointer.clone(),
                ty: media_type.schema.as_ref().map(|schema| {
                    // JSON only: an event stream's or a text body's schema types its items or text.
                    if keep_null && crate::plan::body::is_json(media) {
                        space.body_type(schema, hint, &schema_pointer)
                    } else {
                        space.use_site(schema, hint, &schema_pointer)
                    }
                }),
                examples,
                encoding: lower_encoding(space.raw(), media_type, &media_pointer),
            }
        })
        .collect()
}

/// A media type's `encoding` entries. openapiv3 reads an absent `explode` as `false`, but the
/// spec's default is `true` for `form`, so the raw document says whether it was written.
fn lower_encoding(raw: &serde_json::Value, media_type: &openapiv3::MediaType, pointer: &str) -> Vec<FieldEncoding> {
    media_type
        .encoding
        .iter()
        .map(|(name, encoding)| {
            let style = match encoding.style {
                None | Some(openapiv3::QueryStyle::Form) => ParamStyle::Form,
                Some(openapiv3::QueryStyle::SpaceDelimited) => ParamStyle::SpaceDelimited,
                Some(openapiv3::QueryStyle::PipeDelimited) => ParamStyle::PipeDelimited,
                Some(openapiv3::QueryStyle::DeepObject) => ParamStyle::DeepObject,
            };
            let at = child_pointer(&child_pointer(&child_pointer(pointer, "encoding"), name), "explode");
            let written = at.strip_prefix('#').and_then(|p| raw.pointer(p)).and_then(serde_json::Value::as_bool);
            let explode = written.unwrap_or(if encoding.explode { true } else { style == ParamStyle::Form });
            FieldEncoding { name: name.clone(), style, explode }
        })
        .collect()
}

fn lower_responses(
    spec: &OpenAPI,
    space: &mut TypeSpace<'_>,
    checks: &mut CheckBuilder<'_>,
    diagnostics: &mut Vec<Diagnostic>,
    operation: &openapiv3::Operation,
    pointer: &str,
    type_prefix: &str,
) -> Vec<Response> {
    let components = spec.components.as_ref();
    let responses_pointer = child_pointer(pointer, "responses");
    let mut entries: Vec<(Status, String, &ReferenceOr<openapiv3::Response>)> = Vec::new();
    for (code, response) in &operation.responses.responses {
        let (status, key) = match code {
            StatusCode::Code(code) => (Status::Code(*code), code.to_string()),
            StatusCode::Range(range) => (Status::Range(*range as u8), format!("{range}XX")),
        };
        entries.push((status, key, response));
    }
    if let Some(default) = &operation.responses.default {
        entries.push((Status::Default, "default".to_string(), default));
    }
    let mut out = Vec::new();
    for (status, key, response) in entries {
        let at = child_pointer(&responses_pointer, &key);
        let (response, response_at) = match refs::resolve(components.map(|c| &c.responses), space.raw(), "responses", response, &at) {
            Ok(found) => found,
            Err(err) => {
                diagnostics.push(err);
                continue;
            }
        };
        let hint = format!("{type_prefix}Response{}", naming::type_name(&key, "Status"));
        let content = lower_content(spec, space, checks, &response.content, &hint, &child_pointer(&response_at, "content"), true);
        let mut header_names = NameSet::default();
        let mut headers = Vec::new();
        for (name, header) in &response.headers {
            let header_at = child_pointer(&child_pointer(&response_at, "headers"), name);
            match refs::resolve(components.map(|c| &c.headers), space.raw(), "headers", header, &header_at) {
                Ok((header, header_at)) => {
                    let ty = match &header.format {
                        ParameterSchemaOrContent::Schema(schema) => space.use_site(
                            schema,
                            &format!("{hint}{}", naming::type_name(name, "Header")),
                            &child_pointer(&header_at, "schema"),
                        ),
                        ParameterSchemaOrContent::Content(_) => TypeRef::Any,
                    };
                    headers.push(ResponseHeader {
                        wire: name.clone(),
                        rust_name: header_names.claim(&naming::field_name(name, "header"), "_"),
                        ty,
                        required: header.required,
                        doc: header.description.clone(),
                    });
                }
                Err(err) => diagnostics.push(err),
            }
        }
        out.push(Response { status, description: response.description.clone(), content, headers });
    }
    out
}

/// Converts a list of security alternatives, checking that each named scheme exists.
/// A requirement naming a scheme that `components` does not declare is a defect of the document
/// with one safe reading: that alternative can never be satisfied (the generated server refuses
/// it; the client sends what credentials it has). It is kept, with a warning.
pub fn lower_security(
    spec: &OpenAPI,
    alternatives: &[openapiv3::SecurityRequirement],
    pointer: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<SecurityRequirement> {
    let known: BTreeSet<&str> = spec
        .components
        .as_ref()
        .map(|c| c.security_schemes.keys().map(String::as_str).collect())
        .unwrap_or_default();
    alternatives
        .iter()
        .enumerate()
        .map(|(index, requirement)| {
            for name in requirement.keys() {
                if !known.contains(name.as_str()) {
                    warnings.push(Diagnostic::invalid(
                        &child_pointer(&child_pointer(pointer, &index.to_string()), name),
                        format!(
                            "security requirement names `{name}`, which is not in components.securitySchemes; \
                             read as a requirement no request can meet (the generated server refuses it)"
                        ),
                    ));
                }
            }
            SecurityRequirement { schemes: requirement.iter().map(|(k, v)| (k.clone(), v.clone())).collect() }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_literals_and_params() {
        assert_eq!(
            parse_template("/conversations/{id}.json").ok(),
            Some(vec![
                PathSegment::Literal("/conversations/".into()),
                PathSegment::Param("id".into()),
                PathSegment::Literal(".json".into()),
            ])
        );
        assert!(parse_template("/a/{b").is_err());
        assert!(parse_template("/a/b}").is_err());
        assert_eq!(derived_operation_id("get", "/api/{id}/x"), "get_api_id_x");
    }
}
