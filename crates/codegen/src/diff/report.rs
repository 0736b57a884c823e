//! Rendering a [`Report`]: Markdown for a pull-request comment, JSON for machines.

use super::{Change, Impact, Level, Report};
use serde_json::{json, Value};
use std::fmt::Write;

/// Where the two specs came from, as shown in the report (`HEAD:spec/desk-v2.yaml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    /// The old spec.
    pub old: String,
    /// The new spec.
    pub new: String,
}

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn verdict(impact: &Impact) -> &'static str {
    match (impact.breaking, impact.wire, impact.code) {
        (false, _, _) => "ok",
        (true, true, true) => "**breaking** (wire, code)",
        (true, true, false) => "**breaking** (wire)",
        (true, false, _) => "**breaking** (code)",
    }
}

fn yes_no(breaking: bool) -> &'static str {
    if breaking {
        "**breaking**"
    } else {
        "not breaking"
    }
}

fn pointers(change: &Change) -> String {
    match (&change.old_pointer, &change.new_pointer) {
        (Some(old), Some(new)) if old == new => format!("`{old}`"),
        (Some(old), Some(new)) => format!("old `{old}`, new `{new}`"),
        (Some(old), None) => format!("old `{old}`"),
        (None, Some(new)) => format!("new `{new}`"),
        (None, None) => "-".to_string(),
    }
}

fn crate_levels(report: &Report, change: &Change) -> String {
    let levels = [
        ("types", change.bumps.types),
        ("validation", change.bumps.validation),
        ("server", change.bumps.server),
        ("client", change.bumps.client),
    ];
    let parts: Vec<String> = levels
        .iter()
        .filter(|(_, level)| *level > Level::None)
        .map(|(suffix, level)| format!("`{}-{suffix}` {}", report.name, level.as_str()))
        .collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}

/// The report as Markdown.
pub fn markdown(report: &Report, labels: &Labels) -> String {
    let mut out = String::new();
    let breaking_clients = report.changes.iter().filter(|c| c.client.breaking).count();
    let breaking_servers = report.changes.iter().filter(|c| c.server.breaking).count();
    let _ = writeln!(out, "## Spec diff: `{}` → `{}`\n", labels.old, labels.new);
    if report.changes.is_empty() {
        let _ = writeln!(out, "No changes that affect the generated crates.");
        return out;
    }
    let _ = writeln!(
        out,
        "Clients: {} · Servers: {} · {} change{}: {breaking_clients} break clients, {breaking_servers} break servers.\n",
        yes_no(report.breaks_clients()),
        yes_no(report.breaks_servers()),
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" },
    );
    let _ = writeln!(out, "### Generated crates\n");
    let _ = writeln!(out, "| crate | bump | why |");
    let _ = writeln!(out, "|---|---|---|");
    for krate in &report.crates {
        let why = if krate.reasons.is_empty() { "-".to_string() } else { krate.reasons.join("; ") };
        let _ = writeln!(out, "| `{}` | {} | {} |", krate.crate_name, krate.level.as_str(), cell(&why));
    }
    let _ = writeln!(
        out,
        "\nGenerated structs and enums are exhaustive, so a new field or variant is a major change of the crate that holds it \
         (struct literals and exhaustive matches break); the validation, server and client crates name `{}-types` types, so \
         they follow its major changes.",
        report.name
    );
    let version = &report.version;
    let _ = writeln!(out);
    if version.level == Level::None {
        let _ = writeln!(out, "`info.version` {} → {}: no bump needed.", report.old_api_version, report.new_api_version);
    } else {
        let shifted = if version.part != version.level { " (before 1.0 the bump shifts down one place)" } else { "" };
        let status = if version.satisfied { "satisfied" } else { "**not satisfied**: raise `info.version`" };
        let _ = writeln!(
            out,
            "`info.version` {} → {} (crate version {} → {}): the changes need a {} change{shifted}, so at least {}: {status}.",
            report.old_api_version,
            report.new_api_version,
            version.old,
            version.new,
            version.part.as_str(),
            version.required,
        );
    }
    let _ = writeln!(out, "\n### Changes\n");
    let _ = writeln!(out, "| # | kind | change | clients | servers |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for (index, change) in report.changes.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            index + 1,
            change.kind.as_str(),
            cell(&change.summary),
            verdict(&change.client),
            verdict(&change.server)
        );
    }
    let _ = writeln!(out, "\n### Details\n");
    for (index, change) in report.changes.iter().enumerate() {
        let _ = writeln!(out, "{}. `{}`: {}", index + 1, change.kind.as_str(), change.summary);
        let _ = writeln!(out, "   - spec: {}", pointers(change));
        if !change.rust_items.is_empty() {
            let items: Vec<String> = change.rust_items.iter().map(|i| format!("`{i}`")).collect();
            let _ = writeln!(out, "   - Rust: {}", items.join(", "));
        }
        if !change.used_in.is_empty() {
            let _ = writeln!(out, "   - used in: {}", change.used_in.join(", "));
        }
        let _ = writeln!(out, "   - clients: {}: {}", verdict(&change.client), change.client.why);
        let _ = writeln!(out, "   - servers: {}: {}", verdict(&change.server), change.server.why);
        let _ = writeln!(out, "   - crates: {} ({})", crate_levels(report, change), change.bump_reason);
    }
    out
}

/// The report as a JSON value: labels and verdicts first, then the report itself.
pub fn json_value(report: &Report, labels: &Labels) -> Value {
    let mut out = json!({
        "old_spec": labels.old,
        "new_spec": labels.new,
        "breaking": {
            "clients": report.breaks_clients(),
            "servers": report.breaks_servers(),
        },
    });
    if let (Some(map), Value::Object(rest)) = (out.as_object_mut(), serde_json::to_value(report).unwrap_or_default()) {
        map.extend(rest);
    }
    out
}

/// The report as pretty-printed JSON text (with a final newline).
pub fn json(report: &Report, labels: &Labels) -> String {
    let mut text = serde_json::to_string_pretty(&json_value(report, labels)).unwrap_or_default();
    text.push('\n');
    text
}
