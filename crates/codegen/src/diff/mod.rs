//! Spec diff: what a change to a spec does to the teams that consume the generated crates.
//!
//! [`diff`] compares two lowered APIs ([`crate::ir::Api`], from [`crate::lower_str`]) at the level
//! of the IR, not the text. Operations are matched by method and path template (parameter names
//! in the template do not matter), then by `operationId`; parameters by location and name;
//! responses by status; schemas by their place (the request body of an operation, a response, a
//! property path) and component schemas by name. Types are walked through `TypeRef`/`TypeId` on
//! both sides at once; every pair of named types is compared once (a visited set, so recursive
//! schemas terminate), and a pair is judged for every direction it is used in.
//!
//! # Who breaks
//!
//! Every change is judged separately for the two sides:
//!
//! * **Clients** (users of `NAME-client`, or any HTTP client written against the spec). A change
//!   breaks clients when a client that was correct for the old spec can fail against a server
//!   implementing the new one (*wire*: requests it sends may be refused, responses it reads may
//!   hold something it cannot decode or does not expect), or when client code stops compiling
//!   against the regenerated crates because something it calls, reads or matches on was removed,
//!   renamed or changed type, or a call needs a new required argument (*code*).
//! * **Servers** (implementations of the `NAME-server` traits). A change breaks servers when an
//!   implementation that was correct for the old spec must change: it must accept requests it
//!   could refuse before, or may now send responses the new spec forbids (*wire*), or its code
//!   stops compiling: a new trait method, a removed or renamed item it names, a type it reads
//!   changed, a variant it must now handle (*code*). What the generated router does by itself
//!   (routing a new path, decoding a new parameter style, filling in parameter defaults) does
//!   not break servers.
//!
//! Additions that only widen what a side may do (a new optional field it may set, a new method it
//! may call, a new type) do not break that side, even though Rust struct literals and exhaustive
//! matches notice them: those count in the crate's semver bump (below), not here.
//!
//! # Direction rules for schemas
//!
//! A schema change is first reduced to its effect on the set of valid values: *tightened* (fewer
//! values are valid: a new required property, a removed enum value, `maxLength` lowered, a
//! pattern added), *loosened* (more are valid: a new enum value, a property no longer required,
//! `nullable` added), *changed* (neither contains the other: a new type, a new pattern) or none.
//! Then the direction it is used in decides who breaks:
//!
//! | used in   | tightened        | loosened         | changed |
//! |-----------|------------------|------------------|---------|
//! | requests  | clients (they send it) | servers (they must accept it) | both |
//! | responses | servers (they must send less) | clients (they must read more) | both |
//!
//! A schema used in both directions is judged for both; one used by no operation breaks no one
//! (it still changes `NAME-types`). `readOnly` properties only count in responses and
//! `writeOnly` ones only in requests. On top of the wire effect, a change that removes or
//! retypes an existing generated item (a property removed or renamed, `required` or `nullable`
//! flipped, which changes `Option` wrapping, a type or format changed, an enum value or union
//! variant removed) breaks the code of both sides wherever the schema is used, since one side
//! builds the value and the other reads it.
//!
//! A property removed and another added with the same type in the same object are reported as a
//! possible rename (still breaking). Object properties are only closed by
//! `additionalProperties: false`: a new optional property of an open object changes nothing on the
//! wire, but of a closed one it is loosened.
//!
//! Operation-level rules: a new operation breaks servers (a new trait method to implement), not
//! clients, unless the settings give trait methods a default body (`server.default_501`: then it
//! breaks no one); a removed operation breaks both; a renamed operation (same method and path, new id)
//! breaks the code of both when its Rust names change; a changed path or method breaks clients
//! (old clients call the old one). A new required parameter breaks clients; a parameter that
//! becomes optional breaks servers (they must handle its absence, unless a default fills it) and
//! the code of clients (`T` becomes `Option<T>`); a new style breaks clients (`explode` alone
//! does not count for a single value, where it changes nothing on the wire). A new response
//! status breaks clients: old clients see an undocumented status as an error and exhaustive
//! matches on the response enum miss it. A removed status breaks clients that match on its
//! variant and servers that send it. Security: an alternative removed breaks clients that use it,
//! one added breaks servers (they must accept it); an operation that needs no credentials refuses
//! none, so removing alternatives there breaks no client; a change between required, optional and
//! no credentials changes the server's request struct. Security is compared by what travels
//! (bearer token, basic auth, API key and where, scopes), not by scheme names.
//!
//! Not compared: `servers`, links, callbacks, a response header's `required`, `not` and
//! media-type examples (the IR does not keep them all); schema examples and descriptions are
//! reported together as documentation.
//!
//! # Semver of the generated crates
//!
//! For each crate (`NAME-types`, `NAME-validation`, `NAME-server`, `NAME-client`) the report gives
//! the bump its own Rust API needs, following the Cargo semver guide strictly, because the
//! generated structs and enums are exhaustive (no `#[non_exhaustive]`, no builders):
//!
//! * **major**: an item removed or renamed; a field, variant or argument type changed; a field
//!   added to a struct (struct literals break; generated structs have only public fields) or a
//!   variant added to an enum (exhaustive matches break); a trait method added without a default
//!   body (`server.default_501` gives them one, and then a new method is minor).
//! * **minor**: new items (types, functions, client methods) without touching existing ones, and
//!   behaviour that follows the spec (validation rules, routing, defaults, credentials).
//! * **patch**: documentation and examples only.
//!
//! The validation, server and client crates name `NAME-types` types in their public API, so a
//! major change of `NAME-types` is major for them too. All four crates take their version from
//! `info.version` (see [`crate::package::crate_version`]), so the version needs the largest bump;
//! before 1.0 Cargo treats the minor number as the breaking one, so there a breaking change bumps
//! the minor version (`0.3.1` to `0.4.0`) and anything else the patch version.

mod classify;
mod compare_ops;
mod compare_schemas;
pub mod report;
mod settings;

use crate::error::Diagnostics;
use crate::ir::Api;
use serde::Serialize;

pub use classify::{Dirs, Level};

/// What kind of change a [`Change`] is. Serialized in `snake_case`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new operation.
    OperationAdded,
    /// An operation is gone.
    OperationRemoved,
    /// Same method and path, new `operationId`.
    OperationRenamed,
    /// The first tag changed, so the operation moved to another server trait.
    OperationTagChanged,
    /// Same `operationId`, new path template or method (or only new path parameter names).
    PathChanged,
    /// A new parameter.
    ParameterAdded,
    /// A parameter is gone.
    ParameterRemoved,
    /// A parameter is now required.
    ParameterBecameRequired,
    /// A parameter is no longer required.
    ParameterBecameOptional,
    /// A parameter's type or format changed.
    ParameterTypeChanged,
    /// A parameter's `style`, `explode` or `content` changed.
    ParameterStyleChanged,
    /// An operation now has a request body.
    RequestBodyAdded,
    /// An operation no longer has a request body.
    RequestBodyRemoved,
    /// The request body is now required.
    RequestBodyBecameRequired,
    /// The request body is no longer required.
    RequestBodyBecameOptional,
    /// A media type was added to a request body or a response.
    MediaTypeAdded,
    /// A media type was removed from a request body or a response.
    MediaTypeRemoved,
    /// A new documented response status.
    ResponseStatusAdded,
    /// A documented response status is gone.
    ResponseStatusRemoved,
    /// A new response header.
    ResponseHeaderAdded,
    /// A response header is gone.
    ResponseHeaderRemoved,
    /// The security requirements of an operation changed.
    SecurityChanged,
    /// A new component schema that no operation change already covers.
    SchemaAdded,
    /// A component schema is gone.
    SchemaRemoved,
    /// A generated type has a new Rust name (a component renamed, or an inline type's parent).
    TypeRenamed,
    /// A new object property.
    PropertyAdded,
    /// An object property is gone.
    PropertyRemoved,
    /// A property removed and one of the same type added in the same object: maybe a rename.
    PropertyRenamed,
    /// A property is now required.
    PropertyBecameRequired,
    /// A property is no longer required.
    PropertyBecameOptional,
    /// `nullable` changed.
    NullableChanged,
    /// A type changed (another JSON type, another referenced schema, another shape).
    TypeChanged,
    /// A format changed (`int32` to `int64`, `date-time` added, ...).
    FormatChanged,
    /// A new enum value.
    EnumValueAdded,
    /// An enum value is gone.
    EnumValueRemoved,
    /// A new `oneOf`/`anyOf` branch.
    UnionVariantAdded,
    /// A `oneOf`/`anyOf` branch is gone.
    UnionVariantRemoved,
    /// `additionalProperties` changed.
    AdditionalPropertiesChanged,
    /// A validation keyword now accepts fewer values.
    ConstraintTightened,
    /// A validation keyword now accepts more values.
    ConstraintLoosened,
    /// A validation keyword changed in a way that neither contains the other (a new pattern).
    ConstraintChanged,
    /// A `default` changed.
    DefaultChanged,
    /// `readOnly` or `writeOnly` changed.
    AccessChanged,
    /// Descriptions, summaries, examples or `deprecated` changed (documentation only).
    DocsChanged,
    /// A setting changed what is generated (crates, names, derives, replaced types, the
    /// server's error body or defaults).
    SettingChanged,
}

impl ChangeKind {
    /// The `snake_case` name used in reports.
    pub fn as_str(self) -> &'static str {
        use ChangeKind::*;
        match self {
            OperationAdded => "operation_added",
            OperationRemoved => "operation_removed",
            OperationRenamed => "operation_renamed",
            OperationTagChanged => "operation_tag_changed",
            PathChanged => "path_changed",
            ParameterAdded => "parameter_added",
            ParameterRemoved => "parameter_removed",
            ParameterBecameRequired => "parameter_became_required",
            ParameterBecameOptional => "parameter_became_optional",
            ParameterTypeChanged => "parameter_type_changed",
            ParameterStyleChanged => "parameter_style_changed",
            RequestBodyAdded => "request_body_added",
            RequestBodyRemoved => "request_body_removed",
            RequestBodyBecameRequired => "request_body_became_required",
            RequestBodyBecameOptional => "request_body_became_optional",
            MediaTypeAdded => "media_type_added",
            MediaTypeRemoved => "media_type_removed",
            ResponseStatusAdded => "response_status_added",
            ResponseStatusRemoved => "response_status_removed",
            ResponseHeaderAdded => "response_header_added",
            ResponseHeaderRemoved => "response_header_removed",
            SecurityChanged => "security_changed",
            SchemaAdded => "schema_added",
            SchemaRemoved => "schema_removed",
            TypeRenamed => "type_renamed",
            PropertyAdded => "property_added",
            PropertyRemoved => "property_removed",
            PropertyRenamed => "property_renamed",
            PropertyBecameRequired => "property_became_required",
            PropertyBecameOptional => "property_became_optional",
            NullableChanged => "nullable_changed",
            TypeChanged => "type_changed",
            FormatChanged => "format_changed",
            EnumValueAdded => "enum_value_added",
            EnumValueRemoved => "enum_value_removed",
            UnionVariantAdded => "union_variant_added",
            UnionVariantRemoved => "union_variant_removed",
            AdditionalPropertiesChanged => "additional_properties_changed",
            ConstraintTightened => "constraint_tightened",
            ConstraintLoosened => "constraint_loosened",
            ConstraintChanged => "constraint_changed",
            DefaultChanged => "default_changed",
            AccessChanged => "access_changed",
            DocsChanged => "docs_changed",
            SettingChanged => "setting_changed",
        }
    }
}

/// What a change does to one side (clients or servers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// The side must change something: `wire || code`.
    pub breaking: bool,
    /// Old code of this side can fail against the other side built from the new spec.
    pub wire: bool,
    /// Code of this side stops compiling against the regenerated crates (or must add something).
    pub code: bool,
    /// Why (or why not), in one sentence or two.
    pub why: String,
}

/// The semver level each generated crate needs for one change (or for all of them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Bumps {
    /// `NAME-types`.
    pub types: Level,
    /// `NAME-validation`.
    pub validation: Level,
    /// `NAME-server`.
    pub server: Level,
    /// `NAME-client`.
    pub client: Level,
}

impl Bumps {
    /// Every crate at `level`.
    pub fn all(level: Level) -> Self {
        Bumps { types: level, validation: level, server: level, client: level }
    }

    /// The largest level of the four.
    pub fn max(&self) -> Level {
        self.types.max(self.validation).max(self.server).max(self.client)
    }

    /// Each crate at the larger of the two.
    pub fn join(self, other: Bumps) -> Bumps {
        Bumps {
            types: self.types.max(other.types),
            validation: self.validation.max(other.validation),
            server: self.server.max(other.server),
            client: self.client.max(other.client),
        }
    }
}

/// One change between the two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// One line for people, naming the thing that changed.
    pub summary: String,
    /// JSON pointer into the old spec (absent for additions).
    pub old_pointer: Option<String>,
    /// JSON pointer into the new spec (absent for removals).
    pub new_pointer: Option<String>,
    /// The generated Rust items affected, as paths (`desk_types::Conversation::subject`).
    pub rust_items: Vec<String>,
    /// Where a schema change matters: `request: createConversation`, `response: listConversations`
    /// (empty for operation-level changes; `none` when no operation uses the schema).
    pub used_in: Vec<String>,
    /// The effect on clients.
    pub client: Impact,
    /// The effect on servers.
    pub server: Impact,
    /// The semver level each generated crate needs for this change alone (its own API).
    pub bumps: Bumps,
    /// Why those levels.
    pub bump_reason: String,
}

/// The bump one generated crate needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrateBump {
    /// The crate name (`desk-types`).
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The largest level among changes to its own API.
    pub own: Level,
    /// The level it needs, counting a major `NAME-types` change it exposes.
    pub level: Level,
    /// The reasons for `level`, most important first (a few).
    pub reasons: Vec<String>,
}

/// The version the crates need, from `info.version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionAdvice {
    /// Crate version from the old `info.version`.
    pub old: String,
    /// Crate version from the new `info.version`.
    pub new: String,
    /// The largest bump any crate needs.
    pub level: Level,
    /// The version part that bump moves (`major`, `minor`, `patch`; pre-1.0 shifts it down).
    pub part: Level,
    /// The smallest version that satisfies it.
    pub required: String,
    /// Whether the new `info.version` is at least `required`.
    pub satisfied: bool,
}

/// Everything that changed, with the verdicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Crate name prefix (`desk`).
    pub name: String,
    /// `info.version` of the old spec.
    pub old_api_version: String,
    /// `info.version` of the new spec.
    pub new_api_version: String,
    /// The changes, in spec order: operations first, then schemas, then documentation.
    pub changes: Vec<Change>,
    /// One entry per generated crate.
    pub crates: Vec<CrateBump>,
    /// The version the crates need.
    pub version: VersionAdvice,
}

impl Report {
    /// Some change breaks clients.
    pub fn breaks_clients(&self) -> bool {
        self.changes.iter().any(|c| c.client.breaking)
    }

    /// Some change breaks servers.
    pub fn breaks_servers(&self) -> bool {
        self.changes.iter().any(|c| c.server.breaking)
    }

    /// Some change breaks clients or servers (the command's exit code 1).
    pub fn is_breaking(&self) -> bool {
        self.breaks_clients() || self.breaks_servers()
    }
}

/// Compares two lowered APIs. `name` is the crate name prefix (`desk` for `desk-types`).
pub fn diff(old: &Api, new: &Api, name: &str) -> Report {
    diff_names(old, new, CrateNames::new(name), Vec::new())
}

/// Compares two lowered APIs generated with these settings: the crate names are the new
/// settings' and what a change means follows them (with `server.default_501`, a new operation
/// does not break servers); changes of the settings themselves are reported too.
pub fn diff_with_settings(old: &Api, new: &Api, old_settings: &crate::Settings, new_settings: &crate::Settings) -> Report {
    let setting_changes = settings::compare(old, new, old_settings, new_settings);
    diff_names(old, new, CrateNames::from_settings(new_settings), setting_changes)
}

fn diff_names(old: &Api, new: &Api, names: CrateNames, setting_changes: Vec<classify::Raw>) -> Report {
    let mut walker = compare_schemas::Walker::new(old, new, &names);
    compare_ops::compare_operations(&mut walker);
    walker.finish_schemas();
    for raw in setting_changes {
        walker.push(raw);
    }
    let raws = walker.into_raws();
    classify::build_report(old, new, &names, raws)
}

/// Stack for diffing: lowering recurses per nesting level like generation does.
const DIFF_STACK: usize = 256 * 1024 * 1024;

/// Lowers both spec texts and compares them. On failure, the diagnostics of each spec that
/// failed (old first), each naming its file (`spec_label`) and the place in it. Runs on its own
/// large-stack thread, like generation.
pub fn diff_str(
    old_text: &str,
    old_settings: &crate::Settings,
    new_text: &str,
    new_settings: &crate::Settings,
) -> Result<Report, Vec<Diagnostics>> {
    let run = || {
        let old = crate::lower_str(old_text, old_settings);
        let new = crate::lower_str(new_text, new_settings);
        match (old, new) {
            (Ok(old), Ok(new)) => Ok(diff_with_settings(&old, &new, old_settings, new_settings)),
            (old, new) => Err(old.err().into_iter().chain(new.err()).collect()),
        }
    };
    std::thread::scope(|scope| {
        match std::thread::Builder::new().name("codegen-diff".into()).stack_size(DIFF_STACK).spawn_scoped(scope, run) {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(vec![Diagnostics {
                    file: new_settings.spec_label.clone(),
                    items: vec![crate::error::Diagnostic {
                        kind: crate::error::DiagnosticKind::Internal,
                        location: crate::error::Location::Document,
                        message: "the diff thread panicked".to_string(),
                    }],
                }])
            }),
            Err(_) => run(),
        }
    })
}

/// The generated crates' names for a prefix (and the settings' names for them), and the
/// settings that change what a change means.
#[derive(Debug, Clone)]
pub(crate) struct CrateNames {
    pub name: String,
    pub types: String,
    pub server: String,
    pub client: String,
    /// Package names by kind key (`types`), when the settings name them.
    pub packages: Vec<(String, String)>,
    /// `server.default_501`: a new operation gets a trait method with a default body.
    pub default_501: bool,
    /// The kind keys of the crates the new settings generate (empty: all).
    pub generated: Vec<String>,
}

impl CrateNames {
    fn new(name: &str) -> Self {
        let ident = |suffix: &str| format!("{name}_{suffix}").replace('-', "_");
        CrateNames {
            name: name.to_string(),
            types: ident("types"),
            server: ident("server"),
            client: ident("client"),
            packages: Vec::new(),
            default_501: false,
            generated: Vec::new(),
        }
    }

    fn from_settings(settings: &crate::Settings) -> Self {
        use crate::settings::CrateKind;
        let ident = |kind: CrateKind| settings.crate_name(kind).replace('-', "_");
        CrateNames {
            name: settings.name.clone(),
            types: ident(CrateKind::Types),
            server: ident(CrateKind::Server),
            client: ident(CrateKind::Client),
            packages: CrateKind::ALL.iter().map(|kind| (kind.key().to_string(), settings.crate_name(*kind))).collect(),
            default_501: settings.options.default_501,
            generated: settings.options.crates().kinds().iter().map(|kind| kind.key().to_string()).collect(),
        }
    }

    /// `desk-types` and so on.
    pub fn crate_name(&self, suffix: &str) -> String {
        match self.packages.iter().find(|(key, _)| key == suffix) {
            Some((_, name)) => name.clone(),
            None => format!("{}-{suffix}", self.name),
        }
    }
}
