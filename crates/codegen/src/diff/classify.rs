//! Verdicts: who breaks (from the effect of a change and the directions it is used in), and what
//! each generated crate's version needs. The rules are in the module docs of [`super`].

use super::{Bumps, Change, ChangeKind, CrateBump, CrateNames, Impact, Report, VersionAdvice};
use crate::ir::Api;
use serde::Serialize;

/// A semver level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Nothing changes.
    #[default]
    None,
    /// Documentation only.
    Patch,
    /// Additions and behaviour; nothing existing breaks.
    Minor,
    /// Something existing breaks.
    Major,
}

impl Level {
    /// `none`, `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

/// The directions a schema is used in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Dirs {
    /// In a request (parameters, request bodies).
    pub request: bool,
    /// In a response.
    pub response: bool,
}

impl Dirs {
    /// Neither direction.
    pub const NONE: Dirs = Dirs { request: false, response: false };
    /// Requests only.
    pub const REQUEST: Dirs = Dirs { request: true, response: false };
    /// Responses only.
    pub const RESPONSE: Dirs = Dirs { request: false, response: true };
    /// Both.
    pub const BOTH: Dirs = Dirs { request: true, response: true };

    /// Either of the two.
    pub fn union(self, other: Dirs) -> Dirs {
        Dirs { request: self.request || other.request, response: self.response || other.response }
    }

    /// Both of the two.
    pub fn intersect(self, other: Dirs) -> Dirs {
        Dirs { request: self.request && other.request, response: self.response && other.response }
    }

    /// Used nowhere.
    pub fn is_empty(self) -> bool {
        !self.request && !self.response
    }
}

/// What a schema change does to the set of valid values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    /// The same values are valid.
    None,
    /// Fewer values are valid.
    Tightened,
    /// More values are valid.
    Loosened,
    /// Neither set contains the other.
    Changed,
}

impl Effect {
    fn tightens(self) -> bool {
        matches!(self, Effect::Tightened | Effect::Changed)
    }

    fn loosens(self) -> bool {
        matches!(self, Effect::Loosened | Effect::Changed)
    }
}

/// Where a change applies, for judging it.
#[derive(Debug, Clone)]
pub(crate) enum Scope {
    /// Operation level: the rule has fixed verdicts.
    Operation,
    /// A schema position used in these directions, by these operations.
    Direct(Dirs, Vec<String>),
    /// Inside the walker's type pair N, limited to the directions of the mask (`readOnly`
    /// properties only count in responses, `writeOnly` ones only in requests).
    Pair(usize, Dirs),
    /// Documentation and schemas no operation uses.
    Nowhere,
}

/// How to judge a change.
#[derive(Debug, Clone)]
pub(crate) enum Rule {
    /// Verdicts decided where the change was found.
    Fixed { client: Impact, server: Impact },
    /// A schema change: its effect on valid values, and the code break it causes wherever the
    /// schema is used (an item removed or retyped), if any.
    Values { effect: Effect, code: Option<String>, note: Option<&'static str> },
    /// `readOnly` (old, new) and `writeOnly` (old, new).
    Access { read_only: (bool, bool), write_only: (bool, bool) },
    /// A `default` changed; `server_code` when the server's request field changes between `T`
    /// and `Option<T>` (a parameter default appeared or disappeared).
    Default { server_code: Option<String> },
}

/// A change before its directions are known.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub kind: ChangeKind,
    pub summary: String,
    pub old_pointer: Option<String>,
    pub new_pointer: Option<String>,
    pub rust_items: Vec<String>,
    pub scope: Scope,
    pub rule: Rule,
    pub bumps: Bumps,
    pub bump_reason: String,
}

impl Impact {
    /// Not breaking, because of `why`.
    pub(crate) fn ok(why: impl Into<String>) -> Impact {
        Impact { breaking: false, wire: false, code: false, why: why.into() }
    }

    /// Breaking on the wire.
    pub(crate) fn wire(why: impl Into<String>) -> Impact {
        Impact { breaking: true, wire: true, code: false, why: why.into() }
    }

    /// Breaking in code.
    pub(crate) fn code(why: impl Into<String>) -> Impact {
        Impact { breaking: true, wire: false, code: true, why: why.into() }
    }

    /// Breaking on the wire and in code.
    pub(crate) fn both(why: impl Into<String>) -> Impact {
        Impact { breaking: true, wire: true, code: true, why: why.into() }
    }

    fn from_parts(wire: Vec<String>, code: Option<String>, otherwise: String) -> Impact {
        let mut reasons = wire.clone();
        reasons.extend(code.clone());
        if reasons.is_empty() {
            Impact::ok(otherwise)
        } else {
            Impact { breaking: true, wire: !wire.is_empty(), code: code.is_some(), why: sentence(&reasons.join("; ")) }
        }
    }
}

fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let mut out: String = first.to_uppercase().collect();
            out.push_str(chars.as_str());
            if !out.ends_with('.') && !out.ends_with(')') {
                out.push('.');
            }
            out
        }
        None => String::new(),
    }
}

/// The verdicts for one change used in `dirs`.
pub(crate) fn judge(rule: &Rule, dirs: Dirs) -> (Impact, Impact) {
    match rule {
        Rule::Fixed { client, server } => (client.clone(), server.clone()),
        Rule::Values { effect, code, note } => values(*effect, code.as_deref(), *note, dirs),
        Rule::Access { read_only, write_only } => access(*read_only, *write_only, dirs),
        Rule::Default { server_code } => {
            let client = if dirs.request {
                Impact::wire("In requests, clients that leave the value out now get the new default.")
            } else if dirs.is_empty() {
                Impact::ok("No operation uses it.")
            } else {
                Impact::ok("In responses a default is documentation; the `_or_default()` accessors follow it.")
            };
            let server = match server_code {
                Some(code) => Impact::code(sentence(code)),
                None if dirs.is_empty() => Impact::ok("No operation uses it."),
                None => Impact::ok("The regenerated crates apply the new default (parameter defaults are filled in by the router)."),
            };
            (client, server)
        }
    }
}

fn values(effect: Effect, code: Option<&str>, note: Option<&str>, dirs: Dirs) -> (Impact, Impact) {
    if dirs.is_empty() {
        let why = "No operation uses it (only the types crate changes).";
        return (Impact::ok(why), Impact::ok(why));
    }
    let with_note = |text: &str| match note {
        Some(note) => format!("{text} ({note})"),
        None => text.to_string(),
    };
    let mut client_wire = Vec::new();
    let mut server_wire = Vec::new();
    if dirs.request && effect.tightens() {
        client_wire.push("in requests, values old clients send may now be refused".to_string());
    }
    if dirs.response && effect.loosens() {
        client_wire.push(with_note("in responses, old clients may now receive values they cannot decode or do not expect"));
    }
    if dirs.request && effect.loosens() {
        server_wire.push(with_note("in requests, servers must now accept values the old spec did not allow"));
    }
    if dirs.response && effect.tightens() {
        server_wire.push("in responses, values old servers send may no longer be valid".to_string());
    }
    let code = code.map(|c| format!("code: {c}"));
    let mut client_ok = Vec::new();
    let mut server_ok = Vec::new();
    if effect == Effect::None {
        client_ok.push("the set of valid values is unchanged".to_string());
        server_ok.push("the set of valid values is unchanged".to_string());
    } else {
        if dirs.request {
            client_ok.push("requests old clients send stay valid".to_string());
            server_ok.push("servers already accept every request the new spec allows".to_string());
        }
        if dirs.response {
            client_ok.push("responses stay within what old clients read".to_string());
            server_ok.push("responses old servers send stay valid".to_string());
        }
    }
    (
        Impact::from_parts(client_wire, code.clone(), sentence(&client_ok.join("; "))),
        Impact::from_parts(server_wire, code, sentence(&server_ok.join("; "))),
    )
}

fn access(read_only: (bool, bool), write_only: (bool, bool), dirs: Dirs) -> (Impact, Impact) {
    let mut client = Vec::new();
    let mut server = Vec::new();
    if dirs.request && !read_only.0 && read_only.1 {
        client.push("in requests, the server now ignores the value old clients send (readOnly)".to_string());
    }
    if dirs.response && !write_only.0 && write_only.1 {
        client.push("responses no longer carry it (writeOnly)".to_string());
    }
    if dirs.request && read_only.0 && !read_only.1 {
        server.push("servers must now accept and apply the value clients send (no longer readOnly)".to_string());
    }
    if dirs.response && write_only.0 && !write_only.1 {
        server.push("servers must now return it (no longer writeOnly)".to_string());
    }
    let otherwise = if dirs.is_empty() { "No operation uses it." } else { "Its use in the directions it appears in is unchanged." };
    (
        Impact::from_parts(client, None, otherwise.to_string()),
        Impact::from_parts(server, None, otherwise.to_string()),
    )
}

/// Turns the walker's changes into the report: verdicts, crate bumps and the version advice.
pub(crate) fn build_report(old: &Api, new: &Api, names: &CrateNames, raws: Vec<(Raw, Dirs, Vec<String>)>) -> Report {
    let changes: Vec<Change> = raws
        .into_iter()
        .map(|(raw, dirs, used_in)| {
            let (client, server) = judge(&raw.rule, dirs);
            Change {
                kind: raw.kind,
                summary: raw.summary,
                old_pointer: raw.old_pointer,
                new_pointer: raw.new_pointer,
                rust_items: raw.rust_items,
                used_in,
                client,
                server,
                bumps: raw.bumps,
                bump_reason: raw.bump_reason,
            }
        })
        .collect();
    let has_operations = !old.operations.is_empty() || !new.operations.is_empty();
    let crates = crate_bumps(&changes, names, has_operations);
    let level = crates.iter().map(|c| c.level).max().unwrap_or_default();
    let version = version_advice(&old.info.version, &new.info.version, level);
    Report {
        name: names.name.clone(),
        old_api_version: old.info.version.clone(),
        new_api_version: new.info.version.clone(),
        changes,
        crates,
        version,
    }
}

fn crate_bumps(changes: &[Change], names: &CrateNames, has_operations: bool) -> Vec<CrateBump> {
    type Pick = fn(&Bumps) -> Level;
    let mut kinds: Vec<(&str, Pick)> = vec![("types", |b| b.types), ("validation", |b| b.validation)];
    if has_operations {
        kinds.push(("server", |b| b.server));
        kinds.push(("client", |b| b.client));
    }
    // Only the crates the settings generate have a version to bump.
    if !names.generated.is_empty() {
        kinds.retain(|(suffix, _)| names.generated.iter().any(|kind| kind == suffix));
    }
    let types_own = changes.iter().map(|c| c.bumps.types).max().unwrap_or_default();
    kinds
        .into_iter()
        .map(|(suffix, pick)| {
            let own = changes.iter().map(|c| pick(&c.bumps)).max().unwrap_or_default();
            let mut reasons: Vec<String> = Vec::new();
            for change in changes.iter().filter(|c| own > Level::None && pick(&c.bumps) == own) {
                // The change's reason speaks of its largest bump; a crate it touches less names
                // the change itself.
                let reason = if pick(&change.bumps) == change.bumps.max() { &change.bump_reason } else { &change.summary };
                if !reasons.contains(reason) && !reason.is_empty() {
                    reasons.push(reason.clone());
                }
            }
            let mut level = own;
            if suffix != "types" && types_own == Level::Major && own < Level::Major {
                level = Level::Major;
                reasons.insert(0, format!("its public API names `{}` types, which change in a major way", names.crate_name("types")));
            }
            let total = reasons.len();
            reasons.truncate(3);
            if total > 3 {
                reasons.push(format!("and {} more", total - 3));
            }
            CrateBump { crate_name: names.crate_name(suffix), own, level, reasons }
        })
        .collect()
}

fn triple(version: &str) -> (u64, u64, u64) {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let mut parts = core.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// The version advice for a change from `old` to `new` (`info.version` as written) needing
/// `level`.
pub(crate) fn version_advice(old: &str, new: &str, level: Level) -> VersionAdvice {
    let old_crate = crate::package::crate_version(old);
    let new_crate = crate::package::crate_version(new);
    let (major, minor, patch) = triple(&old_crate);
    // Cargo: before 1.0 the minor number is the breaking one; 0.0.x changes are all breaking.
    let part = match (major, minor, level) {
        (_, _, Level::None) => Level::None,
        (0, 0, _) => Level::Patch,
        (0, _, Level::Major) => Level::Minor,
        (0, _, _) => Level::Patch,
        (_, _, level) => level,
    };
    let required = match part {
        Level::None => (major, minor, patch),
        Level::Patch => (major, minor, patch + 1),
        Level::Minor => (major, minor + 1, 0),
        Level::Major => (major + 1, 0, 0),
    };
    let satisfied = part == Level::None || triple(&new_crate) >= required;
    VersionAdvice {
        old: old_crate,
        new: new_crate,
        level,
        part,
        required: format!("{}.{}.{}", required.0, required.1, required.2),
        satisfied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_shift_before_one() {
        let advice = version_advice("2.0.0", "2.0.0", Level::Major);
        assert_eq!((advice.required.as_str(), advice.satisfied, advice.part), ("3.0.0", false, Level::Major));
        let advice = version_advice("0.3.1", "0.4.0", Level::Major);
        assert_eq!((advice.required.as_str(), advice.satisfied, advice.part), ("0.4.0", true, Level::Minor));
        let advice = version_advice("0.3.1", "0.3.2", Level::Minor);
        assert_eq!((advice.required.as_str(), advice.satisfied, advice.part), ("0.3.2", true, Level::Patch));
        let advice = version_advice("1.2.3", "1.2.3", Level::None);
        assert!(advice.satisfied);
        let advice = version_advice("1.2.3", "1.3.0", Level::Minor);
        assert_eq!((advice.required.as_str(), advice.satisfied), ("1.3.0", true));
    }

    #[test]
    fn direction_table() {
        let (client, server) = judge(&Rule::Values { effect: Effect::Tightened, code: None, note: None }, Dirs::REQUEST);
        assert!(client.breaking && !server.breaking);
        let (client, server) = judge(&Rule::Values { effect: Effect::Loosened, code: None, note: None }, Dirs::REQUEST);
        assert!(!client.breaking && server.breaking);
        let (client, server) = judge(&Rule::Values { effect: Effect::Tightened, code: None, note: None }, Dirs::RESPONSE);
        assert!(!client.breaking && server.breaking);
        let (client, server) = judge(&Rule::Values { effect: Effect::Loosened, code: None, note: None }, Dirs::RESPONSE);
        assert!(client.breaking && !server.breaking);
        let (client, server) = judge(&Rule::Values { effect: Effect::Loosened, code: None, note: None }, Dirs::NONE);
        assert!(!client.breaking && !server.breaking);
    }
}
