//! The plan: every per-operation decision and every Rust name, computed once from the IR.
//!
//! The validation, server and client emitters and the diff all read the same [`Plan`]: which
//! server trait an operation belongs to, the names of its request, response and parameter
//! types, its fields and check functions, how its body travels (`body.rs`), the variant of
//! each documented status, and who must authenticate. No emitter decides any of these again,
//! so the crates always agree with one another.

pub mod body;
pub mod custom;
pub mod errors;
pub mod features;
pub mod media;

use crate::ir::{
    Api, Operation, Param, ParamLocation, RequestBody, Response, ResponseHeader, SecurityRequirement, Status, TypeRef,
};
use crate::naming::{self, NameSet};
use body::{checked_media, is_json, multipart_body, typed_body, MultipartBody, TypedBody};
use std::collections::BTreeMap;

/// Names the server crate defines itself, which no operation type may take.
const SERVER_RESERVED: &[&str] = &["Config", "Credentials", "Multipart", "Operation"];

/// Names the client crate defines itself.
const CLIENT_RESERVED: &[&str] = &["Client", "ClientBuilder", "Error", "Auth", "Multipart"];

/// Methods of the generated `Client` (its constructors) and of the runtime's `Core`, which it
/// dereferences to and generated methods call on `self`: no operation's method may take them.
const CLIENT_METHODS: &[&str] =
    &["new", "builder", "base_url", "http", "check", "checks_responses", "authorize", "execute", "execute_streamed"];

/// Locals of a generated client method, which no argument may shadow.
const CLIENT_LOCALS: &[&str] = &["params", "body", "self", "url", "parts", "request", "response", "status", "bytes"];

/// The plan of a whole API.
#[derive(Debug)]
pub struct Plan<'a> {
    /// The API planned.
    pub api: &'a Api,
    /// The server traits, one per first tag, in the order tags first appear.
    pub traits: Vec<TraitPlan>,
    /// Every operation, in spec order.
    pub operations: Vec<OperationPlan<'a>>,
    /// The names of each component schema's validation functions, in `api.checks` order.
    pub schemas: Vec<SchemaNames>,
    /// The body of the errors the server answers itself.
    pub error_body: errors::ErrorBody,
    /// Cargo features per tag (large specs with several tags only).
    pub features: Option<features::Features>,
    /// What the plan could not honour (a 400 schema with no room for the errors, a derive a
    /// type cannot take).
    pub warnings: Vec<crate::error::Diagnostic>,
    /// What the settings add to each type, indexed like `api.types`.
    pub types: Vec<custom::TypeCustom>,
    /// The server's defaults from the settings.
    pub server: custom::ServerDefaults,
}

/// One server trait.
#[derive(Debug)]
pub struct TraitPlan {
    /// `ConversationsApi`, or `Api` when the spec has no tags.
    pub name: String,
    /// The tag it collects (empty for `Api`).
    pub tag: String,
    /// Indexes into [`Plan::operations`].
    pub operations: Vec<usize>,
}

/// The validation functions of one component schema.
#[derive(Debug, Clone)]
pub struct SchemaNames {
    /// `check_conversation`: the private check, which other checks call.
    pub check: String,
    /// `validate_conversation`.
    pub validate: String,
    /// `parse_conversation`.
    pub parse: String,
}

/// Whether an operation needs credentials, accepts them optionally, or is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// No security requirement.
    Open,
    /// One alternative is empty (`security: [{}, ...]`).
    Optional,
    /// Every alternative names a scheme.
    Required,
}

/// Every decision about one operation.
#[derive(Debug)]
pub struct OperationPlan<'a> {
    /// The operation.
    pub operation: &'a Operation,
    /// Its server trait, an index into [`Plan::traits`].
    pub trait_index: usize,
    /// `ListConversations`: its variant in the server's `Operation` enum.
    pub variant: String,
    /// The server's request struct (`ListConversationsRequest`).
    pub request_type: String,
    /// The server's response enum.
    pub server_response_type: String,
    /// The client's response enum.
    pub client_response_type: String,
    /// The client's struct of query, header and cookie parameters (`ListConversationsParams`).
    pub params_type: String,
    /// The module of its checks in the validation crate (the operation's snake name).
    pub check_module: String,
    /// Its method on the client (the operation's snake name, unless the client has a method of
    /// that name already).
    pub client_method: String,
    /// Who must authenticate, and with what.
    pub auth: Auth,
    /// The security alternatives that apply (its own, else the document's).
    pub security: &'a [SecurityRequirement],
    /// Its parameters, in IR order.
    pub params: Vec<ParamPlan<'a>>,
    /// Its request body.
    pub body: Option<BodyPlan<'a>>,
    /// Its responses, in spec order.
    pub responses: Vec<ResponsePlan<'a>>,
}

/// One parameter.
#[derive(Debug)]
pub struct ParamPlan<'a> {
    /// The parameter.
    pub param: &'a Param,
    /// Its field in the server's request struct and the client's params struct.
    pub field: String,
    /// Its argument in the client method (path parameters only; never a method local).
    pub client_arg: String,
    /// Its check function in the operation's validation module.
    pub check: String,
}

/// The request body.
#[derive(Debug)]
pub struct BodyPlan<'a> {
    /// The body.
    pub body: &'a RequestBody,
    /// How it travels.
    pub kind: BodyKind<'a>,
    /// Its check function in the operation's validation module, when it has a schema.
    pub check: Option<String>,
    /// Its field in the server's request struct.
    pub field: String,
}

/// How a request body travels.
#[derive(Debug)]
pub enum BodyKind<'a> {
    /// JSON or a URL-encoded form, decoded into the schema's type.
    Typed(TypedBody<'a>),
    /// A multipart form, read into its parts.
    Multipart(MultipartBody<'a>),
    /// Bytes as sent, with the first media type the spec lists.
    Raw(Option<&'a str>),
    /// A binary media type (the first the spec lists; `plan::body::is_binary`), streamed.
    Binary(&'a str),
}

/// One documented response.
#[derive(Debug)]
pub struct ResponsePlan<'a> {
    /// The response.
    pub response: &'a Response,
    /// Its variant in the response enums (`Ok`, `NotFound`, `Status4xx`, `Default`).
    pub variant: String,
    /// What its body is.
    pub payload: Payload<'a>,
    /// The media types of its content the payload is made of (the JSON one, the event stream,
    /// or the one read as bytes); the others are not generated (`media.rs` warns of them).
    pub media: Vec<&'a str>,
    /// Its declared headers with their field names.
    pub headers: Vec<(&'a ResponseHeader, String)>,
    /// The check of its JSON body, when the body has a schema; response checks call it.
    pub check: Option<ResponseCheck>,
}

/// The validation crate's function that checks a JSON response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseCheck {
    /// The body is a component schema: its `validate_<name>` at the crate's root, so that the
    /// many responses sharing one schema (an `Error` in every 4XX) add no code.
    Component(String),
    /// An inline schema: a function of its own in the operation's module (`response_ok`).
    Own(String),
}

/// The body of a response.
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    /// No content.
    None,
    /// A JSON media type, with its schema's type (`None`: any JSON value).
    Json(Option<&'a TypeRef>),
    /// Another media type, as bytes.
    Bytes(&'a str),
    /// A binary media type (`plan::body::is_binary`), streamed.
    Binary(&'a str),
    /// `text/event-stream` (when no JSON media type is listed): a stream of events whose data
    /// is JSON of the schema's type, or text (`None`: a string schema, or none).
    Events(Option<&'a TypeRef>),
    /// A JSON media type and `text/event-stream` both (a completion that streams when asked
    /// to): the JSON schema's type (`None`: any JSON value), and the events' as in
    /// [`Payload::Events`]. Which one came is the response's `Content-Type`.
    JsonOrEvents(Option<&'a TypeRef>, Option<&'a TypeRef>),
}

impl Payload<'_> {
    /// Whether the body is a stream (neither held whole nor `Clone`).
    pub fn is_stream(&self) -> bool {
        matches!(self, Payload::Binary(_) | Payload::Events(_) | Payload::JsonOrEvents(..))
    }
}

impl<'a> Plan<'a> {
    /// Plans an API, with the error body the spec's 400 responses use.
    pub fn new(api: &'a Api) -> Plan<'a> {
        Plan::with_error_schema(api, None)
    }

    /// Plans an API whose server answers errors with the component schema `error_schema`
    /// (`None`: the one the spec's 400 responses agree on).
    pub fn with_error_schema(api: &'a Api, error_schema: Option<&str>) -> Plan<'a> {
        let traits = plan_traits(api);
        let mut server_names = NameSet::with_reserved(SERVER_RESERVED);
        for plan in &traits {
            server_names.claim(&plan.name, "");
        }
        let mut client_names = NameSet::with_reserved(CLIENT_RESERVED);
        let mut variants = NameSet::default();
        let trait_of: BTreeMap<usize, usize> =
            traits.iter().enumerate().flat_map(|(t, plan)| plan.operations.iter().map(move |&op| (op, t))).collect();
        // Server names are claimed trait by trait (the order the server declares them in).
        let mut server_types: BTreeMap<usize, (String, String)> = BTreeMap::new();
        for plan in &traits {
            for &index in &plan.operations {
                let camel = naming::type_name(&api.operations[index].id, "Op");
                let request = server_names.claim(&format!("{camel}Request"), "");
                let response = server_names.claim(&format!("{camel}Response"), "");
                server_types.insert(index, (request, response));
            }
        }
        let schemas = schema_names(api);
        // The checks in the validation crate's `operations` module call these unqualified; an
        // operation's module or check function of the same name would shadow them there.
        // (`operations`: clippy's module_inception, inside the module of that name).
        let mut check_modules = NameSet::with_reserved(&["report", "shared", "operations"]);
        let mut client_methods = NameSet::with_reserved(CLIENT_METHODS);
        let check_fn_reserved = check_reserved_names(&schemas);
        let operations: Vec<OperationPlan<'a>> = api
            .operations
            .iter()
            .enumerate()
            .map(|(index, operation)| {
                let camel = naming::type_name(&operation.id, "Op");
                let (request_type, server_response_type) = server_types.remove(&index).unwrap_or_default();
                let responses = plan_responses(operation, &schemas);
                OperationPlan {
                    operation,
                    trait_index: trait_of.get(&index).copied().unwrap_or_default(),
                    variant: variants.claim(&camel, ""),
                    request_type,
                    server_response_type,
                    client_response_type: client_names.claim(&format!("{camel}Response"), ""),
                    params_type: client_names.claim(&format!("{camel}Params"), ""),
                    check_module: check_modules.claim(&operation.rust_name, "_"),
                    client_method: client_methods.claim(&operation.rust_name, "_"),
                    auth: auth(api, operation),
                    security: security(api, operation),
                    params: plan_params(operation, &responses, &check_fn_reserved),
                    body: plan_body(api, operation),
                    responses,
                }
            })
            .collect();
        let (error_body, warning) = errors::choose(api, error_schema);
        let mut warnings: Vec<crate::error::Diagnostic> = warning.into_iter().collect();
        warnings.extend(media::unused_media_types(&operations));
        let trait_names: Vec<String> = traits.iter().map(|t| t.name.clone()).collect();
        let trait_indexes: Vec<usize> = operations.iter().map(|op: &OperationPlan<'_>| op.trait_index).collect();
        let features = features::plan_features(api, &trait_names, &trait_indexes);
        Plan {
            api,
            traits,
            operations,
            schemas,
            error_body,
            features,
            warnings,
            types: vec![custom::TypeCustom::default(); api.types.len()],
            server: custom::ServerDefaults::default(),
        }
    }

    /// Plans an API with the settings: the error schema they name, their derives, attributes and
    /// replaced types, and the server's defaults. Settings that do not fit the spec (a schema it
    /// does not have, a derive a type cannot take) are errors at their place in the settings file.
    pub fn with_options(api: &'a Api, options: &crate::settings::Options) -> Result<Plan<'a>, Vec<crate::error::Diagnostic>> {
        let mut errors = Vec::new();
        let (types, mut warnings) = match custom::customize(api, options) {
            Ok(found) => found,
            Err(found) => {
                errors = found;
                (Vec::new(), Vec::new())
            }
        };
        let replaced: Vec<bool> = types.iter().map(|custom| custom.replacement.is_some()).collect();
        let mut named = None;
        if let Some(schema) = &options.error_schema {
            match errors::component_named(api, &schema.value).map(|id| id.0) {
                Some(index) if replaced.get(index).copied().unwrap_or(false) => errors.push(options.error(
                    schema.at,
                    "server.error_schema",
                    format!("`{}` is replaced (`types.replace`): the server can only fill a generated type", schema.value),
                )),
                Some(index) => named = Some(crate::ir::TypeId(index)),
                None => errors.push(options.error(
                    schema.at,
                    "server.error_schema",
                    format!("the spec has no component schema named `{}`", schema.value),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut plan = Plan::new(api);
        let (error_body, warning) = errors::choose_type(api, named, &replaced);
        plan.error_body = error_body;
        warnings.extend(warning);
        warnings.extend(media::unused_media_types(&plan.operations));
        plan.warnings = warnings;
        plan.types = types;
        plan.server = custom::ServerDefaults {
            body_limit: options.body_limit.as_ref().map(|limit| limit.value),
            binary_body_limit: options.binary_body_limit.as_ref().map(|limit| limit.value),
            request_timeout_ms: options.request_timeout_ms.as_ref().map(|timeout| timeout.value),
            default_501: options.default_501,
            undocumented_responses: options.undocumented_responses,
            ignored_query_parameters: options.ignored_query_parameters.iter().map(|name| name.value.clone()).collect(),
        };
        Ok(plan)
    }

    /// Whether the settings replace this type by an existing one.
    pub fn is_replaced(&self, id: crate::ir::TypeId) -> bool {
        self.types.get(id.0).is_some_and(|custom| custom.replacement.is_some())
    }

    /// The operations of one server trait.
    pub fn trait_operations<'p>(&'p self, plan: &'p TraitPlan) -> impl Iterator<Item = &'p OperationPlan<'a>> {
        plan.operations.iter().filter_map(|&index| self.operations.get(index))
    }
}

impl Plan<'_> {
    /// The `#[cfg(...)]` of an item compiled when all of `gates` are (none for an empty gate).
    pub fn cfg(&self, gates: &[&features::Gate]) -> proc_macro2::TokenStream {
        let Some(features) = &self.features else { return proc_macro2::TokenStream::new() };
        let mut alternatives: Vec<proc_macro2::TokenStream> = Vec::new();
        for gate in gates.iter().filter(|gate| !gate.is_empty()) {
            let names: Vec<&String> = gate.iter().filter_map(|index| features.names.get(*index)).collect();
            let any = match names.as_slice() {
                [one] => quote::quote!(feature = #one),
                many => quote::quote!(any(#(feature = #many),*)),
            };
            if !alternatives.iter().any(|known| known.to_string() == any.to_string()) {
                alternatives.push(any);
            }
        }
        match alternatives.as_slice() {
            [] => proc_macro2::TokenStream::new(),
            [one] => quote::quote!(#[cfg(#one)]),
            many => quote::quote!(#[cfg(all(#(#many),*))]),
        }
    }

    /// The `#[cfg]` of an operation's items.
    pub fn operation_cfg(&self, op: &OperationPlan<'_>) -> proc_macro2::TokenStream {
        match &self.features {
            Some(features) => self.cfg(&[&features.operation(op.trait_index)]),
            None => proc_macro2::TokenStream::new(),
        }
    }

    /// The `#[cfg]` of a type's items.
    pub fn type_cfg(&self, id: crate::ir::TypeId) -> proc_macro2::TokenStream {
        match self.features.as_ref().and_then(|f| f.types.get(id.0)) {
            Some(gate) => self.cfg(&[gate]),
            None => proc_macro2::TokenStream::new(),
        }
    }

    /// The `#[cfg]` of a component schema's check function.
    pub fn check_cfg(&self, index: usize) -> proc_macro2::TokenStream {
        match self.features.as_ref().and_then(|f| f.checks.get(index)) {
            Some(gate) => self.cfg(&[gate]),
            None => proc_macro2::TokenStream::new(),
        }
    }

    /// The `#[cfg]` of a component schema's `validate_*` and `parse_*`: they need its check and
    /// its type.
    pub fn entry_point_cfg(&self, index: usize, id: crate::ir::TypeId) -> proc_macro2::TokenStream {
        match &self.features {
            Some(features) => match (features.checks.get(index), features.types.get(id.0)) {
                (Some(check), Some(ty)) => self.cfg(&[check, ty]),
                _ => proc_macro2::TokenStream::new(),
            },
            None => proc_macro2::TokenStream::new(),
        }
    }
}

impl<'a> OperationPlan<'a> {
    /// The parameters in one location.
    pub fn params_in(&self, location: ParamLocation) -> impl Iterator<Item = &ParamPlan<'a>> {
        self.params.iter().filter(move |p| p.param.location == location)
    }

    /// The query, header and cookie parameters (the client's params struct).
    pub fn non_path_params(&self) -> impl Iterator<Item = &ParamPlan<'a>> {
        self.params.iter().filter(|p| p.param.location != ParamLocation::Path)
    }
}

/// The security alternatives that apply to an operation (its own, else the global ones).
fn security<'a>(api: &'a Api, operation: &'a Operation) -> &'a [SecurityRequirement] {
    operation.security.as_deref().unwrap_or(&api.security)
}

fn auth(api: &Api, operation: &Operation) -> Auth {
    let alternatives = security(api, operation);
    if alternatives.is_empty() {
        Auth::Open
    } else if alternatives.iter().any(|a| a.schemes.is_empty()) {
        Auth::Optional
    } else {
        Auth::Required
    }
}

/// Trait names by first tag, in the order tags first appear (untagged operations go to
/// `DefaultApi` when others have tags, to `Api` when none has).
pub fn plan_traits(api: &Api) -> Vec<TraitPlan> {
    let has_tags = api.operations.iter().any(|o| !o.tags.is_empty());
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, operation) in api.operations.iter().enumerate() {
        let tag = match operation.tags.first() {
            Some(tag) => tag.clone(),
            None if has_tags => "default".to_string(),
            None => String::new(),
        };
        if !groups.contains_key(&tag) {
            order.push(tag.clone());
        }
        groups.entry(tag).or_default().push(index);
    }
    let mut names = NameSet::with_reserved(SERVER_RESERVED);
    order
        .into_iter()
        .map(|tag| {
            let name = if tag.is_empty() { "Api".to_string() } else { format!("{}Api", naming::type_name(&tag, "Tag")) };
            let operations = groups.remove(&tag).unwrap_or_default();
            TraitPlan { name: names.claim(&name, ""), tag, operations }
        })
        .collect()
}

/// Field, argument and check names of the parameters. The request struct also holds
/// `credentials` and `body`, and the validation module `request_body`, the response checks
/// and the names its checks call (`check_reserved`), so none of the parameters takes those.
fn plan_params<'a>(operation: &'a Operation, responses: &[ResponsePlan<'_>], check_reserved: &[&str]) -> Vec<ParamPlan<'a>> {
    let mut fields = NameSet::with_reserved(&["credentials", "body"]);
    // Of the names every check calls (hundreds on a large spec), only those a parameter's check
    // could be given (its name, or its name numbered) need reserving.
    let stems: Vec<&str> = operation.params.iter().map(|param| param.rust_name.trim_end_matches('_')).collect();
    let reserved: Vec<&str> =
        std::iter::once("request_body")
            .chain(responses.iter().filter_map(|r| match &r.check {
                Some(ResponseCheck::Own(name)) => Some(name.as_str()),
                _ => None,
            }))
            .chain(check_reserved.iter().copied().filter(|name| stems.iter().any(|stem| name.starts_with(stem))))
            .collect();
    let mut checks = NameSet::with_reserved(&reserved);
    let mut args = NameSet::with_reserved(CLIENT_LOCALS);
    operation
        .params
        .iter()
        .map(|param| ParamPlan {
            param,
            field: fields.claim(&param.rust_name, "_"),
            client_arg: if param.location == ParamLocation::Path { args.claim(&param.rust_name, "_") } else { String::new() },
            check: checks.claim(&param.rust_name, "_"),
        })
        .collect()
}

fn plan_body<'a>(api: &Api, operation: &'a Operation) -> Option<BodyPlan<'a>> {
    let body = operation.body.as_ref()?;
    let kind = match (typed_body(api, operation), multipart_body(api, operation)) {
        (Some(typed), _) => BodyKind::Typed(typed),
        (None, Some(multipart)) => BodyKind::Multipart(multipart),
        (None, None) => match body.content.first().map(|m| m.media_type.as_str()) {
            Some(media_type) if body::is_binary(media_type) => BodyKind::Binary(media_type),
            first => BodyKind::Raw(first),
        },
    };
    let check = checked_media(api, operation).and_then(|(media, _)| media.check.as_ref()).map(|_| "request_body".to_string());
    Some(BodyPlan { body, kind, check, field: "body".to_string() })
}

fn plan_responses<'a>(operation: &'a Operation, schemas: &[SchemaNames]) -> Vec<ResponsePlan<'a>> {
    let mut variants = NameSet::default();
    let mut checks = NameSet::with_reserved(&["request_body"]);
    operation
        .responses
        .iter()
        .map(|response| {
            let events = response.content.iter().find(|m| body::is_event_stream(&m.media_type));
            // The events' data: JSON of the schema's type, or text for a string schema or none.
            let data = |media: &'a crate::ir::MediaBody| {
                media.ty.as_ref().filter(|ty| **ty != TypeRef::Builtin(crate::ir::Builtin::String))
            };
            let json = response.content.iter().find(|m| is_json(&m.media_type));
            let (payload, media): (Payload<'a>, Vec<&'a crate::ir::MediaBody>) = match json {
                Some(media) => match events {
                    Some(events) => (Payload::JsonOrEvents(media.ty.as_ref(), data(events)), vec![media, events]),
                    None => (Payload::Json(media.ty.as_ref()), vec![media]),
                },
                None => match events {
                    Some(media) => (Payload::Events(data(media)), vec![media]),
                    None => match response.content.first() {
                        Some(media) if body::is_binary(&media.media_type) => (Payload::Binary(&media.media_type), vec![media]),
                        Some(media) => (Payload::Bytes(&media.media_type), vec![media]),
                        None => (Payload::None, Vec::new()),
                    },
                },
            };
            let media = media.into_iter().map(|media| media.media_type.as_str()).collect();
            let mut header_names = NameSet::with_reserved(&["status", "body"]);
            let headers = response.headers.iter().map(|h| (h, header_names.claim(&h.rust_name, "_"))).collect();
            let variant = variants.claim(&variant_name(response.status), "");
            let check = json.and_then(|media| media.check.as_ref()).map(|check| match check {
                crate::ir::CheckNode::Ref(index) if *index < schemas.len() => ResponseCheck::Component(schemas[*index].validate.clone()),
                _ => ResponseCheck::Own(checks.claim(&format!("response_{}", naming::field_name(&variant, "status")), "_")),
            });
            ResponsePlan { response, variant, payload, media, headers, check }
        })
        .collect()
}

/// The variant name of a response status: the reason phrase where there is a common one.
pub fn variant_name(status: Status) -> String {
    let code = match status {
        Status::Default => return "Default".to_string(),
        Status::Range(range) => return format!("Status{range}xx"),
        Status::Code(code) => code,
    };
    let reason = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        204 => "NoContent",
        301 => "MovedPermanently",
        302 => "Found",
        304 => "NotModified",
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        _ => return format!("Status{code}"),
    };
    reason.to_string()
}

/// The snake-case runtime items the validation crate's checks call unqualified (the runtime's
/// `run`, its `report` module, `typed`). The CamelCase ones (`Kind`, `Null`, `Operation`,
/// `Expected`, `Value`, ...) cannot meet a check's or module's snake-case name.
const CHECK_CALLS: &[&str] = &["run", "report", "typed"];

/// Names no check function of an operation may take: [`CHECK_CALLS`] and every schema's
/// `check_`/`validate_`/`parse_` function, which the checks call too.
pub fn check_reserved_names(schemas: &[SchemaNames]) -> Vec<&str> {
    let own = schemas.iter().flat_map(|names| [names.check.as_str(), names.validate.as_str(), names.parse.as_str()]);
    CHECK_CALLS.iter().copied().chain(own).collect()
}

/// The validation function names of every component schema, after its Rust type's name.
fn schema_names(api: &Api) -> Vec<SchemaNames> {
    let mut names = NameSet::default();
    api.checks
        .iter()
        .map(|component| {
            let snake = names.claim(&naming::field_name(&api.ty(component.type_id).name, "schema"), "_");
            SchemaNames { check: format!("check_{snake}"), validate: format!("validate_{snake}"), parse: format!("parse_{snake}") }
        })
        .collect()
}
