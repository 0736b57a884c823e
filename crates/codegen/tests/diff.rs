//! `codegen::diff`: one small spec pair per kind of change with the expected verdicts, and the
//! Markdown report of a realistic edit of the desk spec as a snapshot (`snapshots/diff/`).
//!
//! Set `DIFF_PAIRS_DIR=/some/dir` to also write every pair as `NN-name/{old,new}.yaml`, for
//! running another diff tool on the same pairs, with this diff's JSON report as `codegen.json`.

use codegen::diff::{self, report::Labels, ChangeKind, Level, Report};
use std::path::Path;

const BASE: &str = r#"openapi: 3.0.3
info:
  title: Shop
  version: 1.0.0
security:
  - bearer: []
paths:
  /items:
    get:
      operationId: listItems
      tags: [items]
      parameters:
        - name: limit
          in: query
          schema: {type: integer, format: int32, minimum: 1, maximum: 100, default: 20}
        - name: sort
          in: query
          schema: {$ref: '#/components/schemas/SortOrder'}
        - name: fields
          in: query
          schema: {type: array, items: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ItemList'}
        '404':
          description: none
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
    post:
      operationId: createItem
      tags: [items]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewItem'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
        '400':
          description: bad
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /items/{id}:
    get:
      operationId: getItem
      tags: [items]
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: integer, format: int64}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    SortOrder:
      type: string
      enum: [asc, desc]
    Status:
      type: string
      enum: [active, archived]
    Color:
      type: string
      enum: [red, green]
    Item:
      description: An item.
      type: object
      required: [id, name]
      properties:
        id: {type: integer, format: int64}
        name: {type: string, maxLength: 100}
        status: {$ref: '#/components/schemas/Status'}
        color: {$ref: '#/components/schemas/Color'}
        price: {type: number}
        note: {type: string}
    NewItem:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 100}
        status: {$ref: '#/components/schemas/Status'}
        label: {type: string}
    ItemList:
      type: object
      required: [items]
      properties:
        items:
          type: array
          items: {$ref: '#/components/schemas/Item'}
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
    Unused:
      type: object
      properties:
        a: {type: string}
"#;

/// One spec pair: the base with `edits` (each `from` must occur exactly once, or, with a leading
/// `*`, at least once and everywhere) and what must be reported.
struct Case {
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
    kind: ChangeKind,
    client: bool,
    server: bool,
    /// Expected crate levels of that change: types, validation, server, client.
    bumps: [Level; 4],
}

use Level::{Major as MAJ, Minor as MIN, None as NO, Patch as PAT};

const GET_ITEM_200: &str = "              schema: {$ref: '#/components/schemas/Item'}\ncomponents:";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "operation added",
            edits: &[(
                GET_ITEM_200,
                "              schema: {$ref: '#/components/schemas/Item'}\n    delete:\n      operationId: deleteItem\n      tags: [items]\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}\n      responses:\n        '204': {description: gone}\ncomponents:",
            )],
            kind: ChangeKind::OperationAdded,
            client: false,
            server: true,
            bumps: [NO, MIN, MAJ, MIN],
        },
        Case {
            name: "operation removed",
            edits: &[(
                "  /items/{id}:\n    get:\n      operationId: getItem\n      tags: [items]\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {type: integer, format: int64}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Item'}\n",
                "",
            )],
            kind: ChangeKind::OperationRemoved,
            client: true,
            server: true,
            bumps: [NO, MAJ, MAJ, MAJ],
        },
        Case {
            name: "operation renamed",
            edits: &[("operationId: getItem", "operationId: fetchItem")],
            kind: ChangeKind::OperationRenamed,
            client: true,
            server: true,
            bumps: [NO, MAJ, MAJ, MAJ],
        },
        Case {
            name: "path changed",
            edits: &[("  /items/{id}:", "  /things/{id}:")],
            kind: ChangeKind::PathChanged,
            client: true,
            server: false,
            bumps: [NO, NO, MIN, MIN],
        },
        Case {
            name: "optional parameter added",
            edits: &[("        - name: fields\n", "        - {name: offset, in: query, schema: {type: integer}}\n        - name: fields\n")],
            kind: ChangeKind::ParameterAdded,
            client: false,
            server: false,
            bumps: [NO, MIN, MAJ, MAJ],
        },
        Case {
            name: "required parameter added",
            edits: &[("        - name: fields\n", "        - {name: tenant, in: query, required: true, schema: {type: string}}\n        - name: fields\n")],
            kind: ChangeKind::ParameterAdded,
            client: true,
            server: false,
            bumps: [NO, MIN, MAJ, MAJ],
        },
        Case {
            name: "parameter removed",
            edits: &[("        - name: fields\n          in: query\n          schema: {type: array, items: {type: string}}\n", "")],
            kind: ChangeKind::ParameterRemoved,
            client: true,
            server: true,
            bumps: [NO, MAJ, MAJ, MAJ],
        },
        Case {
            name: "parameter made required (it has a default)",
            edits: &[("        - name: limit\n          in: query\n", "        - name: limit\n          in: query\n          required: true\n")],
            kind: ChangeKind::ParameterBecameRequired,
            client: true,
            server: false,
            bumps: [NO, MIN, NO, MAJ],
        },
        Case {
            name: "parameter made required (no default)",
            edits: &[("        - name: sort\n          in: query\n", "        - name: sort\n          in: query\n          required: true\n")],
            kind: ChangeKind::ParameterBecameRequired,
            client: true,
            server: true,
            bumps: [NO, MIN, MAJ, MAJ],
        },
        Case {
            name: "parameter type changed",
            edits: &[("schema: {type: integer, format: int32, minimum: 1, maximum: 100, default: 20}", "schema: {type: string, default: '20'}")],
            kind: ChangeKind::ParameterTypeChanged,
            client: true,
            server: true,
            bumps: [NO, MIN, MAJ, MAJ],
        },
        Case {
            name: "parameter style changed",
            edits: &[("          in: query\n          schema: {type: array", "          in: query\n          explode: false\n          schema: {type: array")],
            kind: ChangeKind::ParameterStyleChanged,
            client: true,
            server: false,
            bumps: [NO, NO, MIN, MIN],
        },
        Case {
            name: "parameter maximum lowered",
            edits: &[("maximum: 100, default: 20", "maximum: 50, default: 20")],
            kind: ChangeKind::ConstraintTightened,
            client: true,
            server: false,
            bumps: [NO, MIN, NO, NO],
        },
        Case {
            name: "parameter maximum raised",
            edits: &[("maximum: 100, default: 20", "maximum: 500, default: 20")],
            kind: ChangeKind::ConstraintLoosened,
            client: false,
            server: true,
            bumps: [NO, MIN, NO, NO],
        },
        Case {
            name: "parameter default changed",
            edits: &[("maximum: 100, default: 20", "maximum: 100, default: 10")],
            kind: ChangeKind::DefaultChanged,
            client: true,
            server: false,
            bumps: [NO, NO, MIN, PAT],
        },
        Case {
            name: "optional request property added",
            edits: &[("        label: {type: string}\n", "        label: {type: string}\n        description: {type: string}\n")],
            kind: ChangeKind::PropertyAdded,
            client: false,
            server: false,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "required request property added",
            edits: &[("      required: [name]\n      properties:\n        name: {type: string, maxLength: 100}\n        status: {$ref: '#/components/schemas/Status'}\n        label: {type: string}\n", "      required: [name, sku]\n      properties:\n        name: {type: string, maxLength: 100}\n        status: {$ref: '#/components/schemas/Status'}\n        label: {type: string}\n        sku: {type: string}\n")],
            kind: ChangeKind::PropertyAdded,
            client: true,
            server: false,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "required response property added",
            edits: &[("      required: [id, name]\n", "      required: [id, name, createdAt]\n"), ("        note: {type: string}\n", "        note: {type: string}\n        createdAt: {type: string, format: date-time}\n")],
            kind: ChangeKind::PropertyAdded,
            client: false,
            server: true,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "optional response property added",
            edits: &[("        note: {type: string}\n", "        note: {type: string}\n        updatedAt: {type: string, format: date-time}\n")],
            kind: ChangeKind::PropertyAdded,
            client: false,
            server: false,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "response property removed",
            edits: &[("        price: {type: number}\n", "")],
            kind: ChangeKind::PropertyRemoved,
            client: true,
            server: true,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "response property renamed",
            edits: &[("        note: {type: string}\n", "        remark: {type: string}\n")],
            kind: ChangeKind::PropertyRenamed,
            client: true,
            server: true,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "request property made required",
            edits: &[("      required: [name]\n", "      required: [name, label]\n")],
            kind: ChangeKind::PropertyBecameRequired,
            client: true,
            server: true,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            // The Rust type stays `Option` (responses leave a write-only property out), but
            // requests without it are now refused.
            name: "write-only request property made required",
            edits: &[
                ("        label: {type: string}\n", "        label: {type: string, writeOnly: true}\n"),
                ("      required: [name]\n", "      required: [name, label]\n"),
            ],
            kind: ChangeKind::PropertyBecameRequired,
            client: true,
            server: false,
            bumps: [NO, MIN, NO, NO],
        },
        Case {
            name: "response property made optional",
            edits: &[("      required: [id, name]\n", "      required: [id]\n")],
            kind: ChangeKind::PropertyBecameOptional,
            client: true,
            server: true,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "response property made nullable",
            edits: &[("        note: {type: string}\n", "        note: {type: string, nullable: true}\n")],
            kind: ChangeKind::NullableChanged,
            client: true,
            server: true,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "response property type changed",
            edits: &[("        price: {type: number}\n", "        price: {type: string}\n")],
            kind: ChangeKind::TypeChanged,
            client: true,
            server: true,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "response integer format narrowed",
            edits: &[("        id: {type: integer, format: int64}\n", "        id: {type: integer, format: int32}\n")],
            kind: ChangeKind::FormatChanged,
            client: true,
            server: true,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "request string format added (no Rust type change)",
            edits: &[("        label: {type: string}\n", "        label: {type: string, format: email}\n")],
            kind: ChangeKind::FormatChanged,
            client: true,
            server: false,
            bumps: [NO, MIN, NO, NO],
        },
        Case {
            name: "enum value added to a response-only enum",
            edits: &[("      enum: [red, green]", "      enum: [red, green, blue]")],
            kind: ChangeKind::EnumValueAdded,
            client: true,
            server: false,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "enum value added to a request-only enum",
            edits: &[("      enum: [asc, desc]", "      enum: [asc, desc, random]")],
            kind: ChangeKind::EnumValueAdded,
            client: false,
            server: true,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "enum value added to an enum used both ways",
            edits: &[("      enum: [active, archived]", "      enum: [active, archived, deleted]")],
            kind: ChangeKind::EnumValueAdded,
            client: true,
            server: true,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "enum value removed from a request-only enum",
            edits: &[("      enum: [asc, desc]", "      enum: [asc]")],
            kind: ChangeKind::EnumValueRemoved,
            client: true,
            server: true,
            bumps: [MAJ, MIN, NO, NO],
        },
        Case {
            name: "response maxLength lowered",
            edits: &[("      required: [id, name]\n      properties:\n        id: {type: integer, format: int64}\n        name: {type: string, maxLength: 100}", "      required: [id, name]\n      properties:\n        id: {type: integer, format: int64}\n        name: {type: string, maxLength: 50}")],
            kind: ChangeKind::ConstraintTightened,
            client: false,
            server: true,
            bumps: [NO, MIN, NO, NO],
        },
        Case {
            name: "response maxLength raised",
            edits: &[("      required: [id, name]\n      properties:\n        id: {type: integer, format: int64}\n        name: {type: string, maxLength: 100}", "      required: [id, name]\n      properties:\n        id: {type: integer, format: int64}\n        name: {type: string, maxLength: 200}")],
            kind: ChangeKind::ConstraintLoosened,
            client: true,
            server: false,
            bumps: [NO, MIN, NO, NO],
        },
        Case {
            name: "request maxLength raised",
            edits: &[("      required: [name]\n      properties:\n        name: {type: string, maxLength: 100}", "      required: [name]\n      properties:\n        name: {type: string, maxLength: 200}")],
            kind: ChangeKind::ConstraintLoosened,
            client: false,
            server: true,
            bumps: [NO, MIN, NO, NO],
        },
        Case {
            name: "request pattern added",
            edits: &[("        label: {type: string}\n", "        label: {type: string, pattern: '^[a-z]+$'}\n")],
            kind: ChangeKind::ConstraintTightened,
            client: true,
            server: false,
            bumps: [NO, MIN, NO, NO],
        },
        Case {
            name: "request object closed (additionalProperties: false)",
            edits: &[("    NewItem:\n      type: object\n", "    NewItem:\n      type: object\n      additionalProperties: false\n")],
            kind: ChangeKind::AdditionalPropertiesChanged,
            client: true,
            server: false,
            bumps: [MIN, MIN, NO, NO],
        },
        Case {
            name: "request property made readOnly",
            edits: &[("        label: {type: string}\n", "        label: {type: string, readOnly: true}\n")],
            kind: ChangeKind::AccessChanged,
            client: true,
            server: false,
            bumps: [PAT, MIN, NO, NO],
        },
        Case {
            name: "response status added",
            edits: &[(GET_ITEM_200, "              schema: {$ref: '#/components/schemas/Item'}\n        '404':\n          description: none\ncomponents:")],
            kind: ChangeKind::ResponseStatusAdded,
            client: true,
            server: false,
            bumps: [NO, NO, MAJ, MAJ],
        },
        Case {
            name: "response status removed",
            edits: &[("        '404':\n          description: none\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Error'}\n", "")],
            kind: ChangeKind::ResponseStatusRemoved,
            client: true,
            server: true,
            bumps: [NO, NO, MAJ, MAJ],
        },
        Case {
            name: "response media type added",
            edits: &[("              schema: {$ref: '#/components/schemas/ItemList'}\n", "              schema: {$ref: '#/components/schemas/ItemList'}\n            text/csv:\n              schema: {type: string}\n")],
            kind: ChangeKind::MediaTypeAdded,
            client: true,
            server: false,
            bumps: [NO, NO, MIN, MIN],
        },
        Case {
            name: "request body made optional",
            edits: &[("      requestBody:\n        required: true\n", "      requestBody:\n        required: false\n")],
            kind: ChangeKind::RequestBodyBecameOptional,
            client: true,
            server: true,
            bumps: [NO, MIN, MAJ, MAJ],
        },
        Case {
            name: "security alternative added",
            edits: &[("security:\n  - bearer: []\n", "security:\n  - bearer: []\n  - key: []\n")],
            kind: ChangeKind::SecurityChanged,
            client: false,
            server: true,
            bumps: [NO, NO, MIN, MIN],
        },
        Case {
            name: "security alternative replaced",
            edits: &[("security:\n  - bearer: []\n", "security:\n  - key: []\n")],
            kind: ChangeKind::SecurityChanged,
            client: true,
            server: true,
            bumps: [NO, NO, MIN, MIN],
        },
        Case {
            name: "operation made public",
            edits: &[("      operationId: getItem\n", "      operationId: getItem\n      security: []\n")],
            kind: ChangeKind::SecurityChanged,
            client: false,
            server: true,
            bumps: [NO, NO, MAJ, MIN],
        },
        Case {
            name: "unused schema added",
            edits: &[("    Unused:\n", "    Extra:\n      type: object\n      properties:\n        b: {type: string}\n    Unused:\n")],
            kind: ChangeKind::SchemaAdded,
            client: false,
            server: false,
            bumps: [MIN, MIN, NO, NO],
        },
        Case {
            name: "unused schema removed",
            edits: &[("    Unused:\n      type: object\n      properties:\n        a: {type: string}\n", "")],
            kind: ChangeKind::SchemaRemoved,
            client: false,
            server: false,
            bumps: [MAJ, MAJ, NO, NO],
        },
        Case {
            name: "component renamed",
            edits: &[("    Error:\n", "    Problem:\n"), ("*schemas/Error'", "schemas/Problem'")],
            kind: ChangeKind::TypeRenamed,
            client: true,
            server: true,
            bumps: [MAJ, MAJ, NO, NO],
        },
        Case {
            name: "description changed",
            edits: &[("      description: An item.\n", "      description: An item for sale.\n")],
            kind: ChangeKind::DocsChanged,
            client: false,
            server: false,
            bumps: [PAT, NO, NO, NO],
        },
    ]
}

fn settings(label: &str) -> codegen::Settings {
    codegen::Settings { name: "shop".into(), spec_label: label.into(), command: "cargo xtask codegen".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() }
}

fn apply(base: &str, edits: &[(&str, &str)], name: &str) -> String {
    let mut text = base.to_string();
    for (from, to) in edits {
        // A leading `*` replaces every occurrence (at least one).
        if let Some(every) = from.strip_prefix('*') {
            assert!(text.contains(every), "{name}: edit `{every}` must match");
            text = text.replace(every, to);
            continue;
        }
        assert_eq!(text.matches(from).count(), 1, "{name}: edit `{from}` must match exactly once");
        text = text.replacen(from, to, 1);
    }
    text
}

fn run(old: &str, new: &str) -> Report {
    diff::diff_str(old, &settings("old.yaml"), new, &settings("new.yaml"))
        .unwrap_or_else(|errors| panic!("{}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))
}

fn listing(report: &Report) -> String {
    report
        .changes
        .iter()
        .map(|c| format!("  {} | {} | client {} | server {}", c.kind.as_str(), c.summary, c.client.breaking, c.server.breaking))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn identical_specs_have_no_changes() {
    let report = run(BASE, BASE);
    assert!(report.changes.is_empty(), "{}", listing(&report));
    assert!(!report.is_breaking());
    assert!(report.crates.iter().all(|c| c.level == Level::None));
    assert!(report.version.satisfied);
}

/// The changes an edit makes beside the one its case is about.
fn also_changes(case: &str) -> &'static [ChangeKind] {
    match case {
        // The new type has its own default and a looser range.
        "write-only request property made required" => &[ChangeKind::AccessChanged],
        "parameter type changed" => &[ChangeKind::DefaultChanged, ChangeKind::ConstraintLoosened, ChangeKind::ConstraintLoosened],
        _ => &[],
    }
}

#[test]
fn every_kind_of_change_is_classified() {
    let cases = cases();
    assert!(cases.len() >= 25);
    let dump = std::env::var_os("DIFF_PAIRS_DIR");
    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let new = apply(BASE, case.edits, case.name);
        if let Some(dir) = &dump {
            let dir = Path::new(dir).join(format!("{:02}-{}", index + 1, case.name.replace([' ', '(', ')', ':'], "-")));
            std::fs::create_dir_all(&dir).expect("pair dir");
            std::fs::write(dir.join("old.yaml"), BASE).expect("write old");
            std::fs::write(dir.join("new.yaml"), &new).expect("write new");
        }
        let report = run(BASE, &new);
        if let Some(dir) = &dump {
            let dir = Path::new(dir).join(format!("{:02}-{}", index + 1, case.name.replace([' ', '(', ')', ':'], "-")));
            let labels = Labels { old: "old.yaml".into(), new: "new.yaml".into() };
            std::fs::write(dir.join("codegen.json"), diff::report::json(&report, &labels)).expect("write report");
        }
        let Some(change) = report.changes.iter().find(|c| c.kind == case.kind) else {
            failures.push(format!("{}: no `{}` change; got:\n{}", case.name, case.kind.as_str(), listing(&report)));
            continue;
        };
        // Exactly the expected change, and no other beyond the ones the edit also makes.
        let mut found: Vec<&str> = report.changes.iter().map(|c| c.kind.as_str()).collect();
        let mut expected: Vec<&str> = std::iter::once(case.kind.as_str()).chain(also_changes(case.name).iter().map(|k| k.as_str())).collect();
        found.sort_unstable();
        expected.sort_unstable();
        if found != expected {
            failures.push(format!("{}: expected changes {expected:?}, got {found:?}:\n{}", case.name, listing(&report)));
        }
        let bumps = [change.bumps.types, change.bumps.validation, change.bumps.server, change.bumps.client];
        if change.client.breaking != case.client || change.server.breaking != case.server || bumps != case.bumps {
            failures.push(format!(
                "{}: `{}` expected client {} server {} bumps {:?}, got client {} ({}) server {} ({}) bumps {:?}",
                case.name,
                case.kind.as_str(),
                case.client,
                case.server,
                case.bumps,
                change.client.breaking,
                change.client.why,
                change.server.breaking,
                change.server.why,
                bumps
            ));
        }
        // Every change names where it is, and the command's verdict follows the changes.
        assert!(change.old_pointer.is_some() || change.new_pointer.is_some() || change.kind == ChangeKind::DocsChanged, "{}", case.name);
        assert!(!change.rust_items.is_empty() || change.kind == ChangeKind::DocsChanged, "{}: no Rust item", case.name);
        assert_eq!(report.is_breaking(), case.client || case.server, "{}: the command's verdict", case.name);
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

const DESK: &str = include_str!("../../../spec/desk-v2.yaml");

/// A realistic edit of the desk spec: an optional request field, a new enum value in a response,
/// a parameter made required, a response status removed and an operation added.
fn desk_edit() -> String {
    apply(
        DESK,
        &[
            (
                "        socket_id:\n          description: The Pusher socket ID of the connecting client.\n          type: string\n",
                "        socket_id:\n          description: The Pusher socket ID of the connecting client.\n          type: string\n        subject:\n          description: A short subject line shown to agents.\n          type: string\n          maxLength: 200\n",
            ),
            ("      enum: [active, deleted]", "      enum: [active, deleted, archived]"),
            ("    pageSize:\n      name: pageSize\n      in: query\n      required: false\n", "    pageSize:\n      name: pageSize\n      in: query\n      required: true\n"),
            (
                "        '414':\n          $ref: '#/components/responses/UriTooLong'\n        '404':\n          $ref: '#/components/responses/NotFound'\ncomponents:",
                "        '414':\n          $ref: '#/components/responses/UriTooLong'\ncomponents:",
            ),
            (
                "  /desk/api/v2/conversations/update.json:\n",
                "    delete:\n      operationId: deleteConversation\n      tags: [conversations]\n      summary: Delete a conversation.\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {type: integer, format: int64, minimum: 1}\n      responses:\n        '204':\n          description: 204 No Content. The conversation was deleted.\n        '401':\n          $ref: '#/components/responses/Unauthorized'\n        '404':\n          $ref: '#/components/responses/NotFound'\n  /desk/api/v2/conversations/update.json:\n",
            ),
        ],
        "desk edit",
    )
}

#[test]
fn desk_edit_report() {
    let desk = |label: &str| codegen::Settings { name: "desk".into(), spec_label: label.into(), command: "cargo xtask codegen".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() };
    let report = diff::diff_str(DESK, &desk("HEAD:spec/desk-v2.yaml"), &desk_edit(), &desk("spec/desk-v2.yaml"))
        .unwrap_or_else(|errors| panic!("{}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")));
    let find = |kind: ChangeKind| report.changes.iter().find(|c| c.kind == kind).unwrap_or_else(|| panic!("no {kind:?}:\n{}", listing(&report)));

    let subject = find(ChangeKind::PropertyAdded);
    assert_eq!(subject.rust_items, vec!["desk_types::Conversation::subject".to_string()]);
    assert_eq!(subject.new_pointer.as_deref(), Some("#/components/schemas/Conversation/properties/subject"));
    assert!(!subject.client.breaking && !subject.server.breaking);
    assert!(subject.used_in.iter().any(|u| u == "request: createConversation"), "{:?}", subject.used_in);

    let archived = find(ChangeKind::EnumValueAdded);
    assert!(archived.client.breaking, "State is in responses");
    assert!(archived.server.breaking, "State is in requests too");

    let page_size = find(ChangeKind::ParameterBecameRequired);
    assert!(page_size.client.breaking);
    assert!(!page_size.server.breaking, "pageSize has a default, so the server already had a value");

    let gone = find(ChangeKind::ResponseStatusRemoved);
    assert!(gone.client.breaking && gone.server.breaking);
    assert!(gone.rust_items.contains(&"desk_client::GetConversationMessageHistoryResponse::NotFound".to_string()));

    let added = find(ChangeKind::OperationAdded);
    assert!(!added.client.breaking && added.server.breaking);
    assert!(added.rust_items.contains(&"desk_server::ConversationsApi::delete_conversation".to_string()), "{:?}", added.rust_items);

    assert!(report.is_breaking());
    assert_eq!(report.version.required, "3.0.0");
    assert!(!report.version.satisfied);

    let labels = Labels { old: "HEAD:spec/desk-v2.yaml".into(), new: "spec/desk-v2.yaml".into() };
    let markdown = diff::report::markdown(&report, &labels);
    let json = diff::report::json_value(&report, &labels);
    assert_eq!(json["breaking"]["clients"], true);
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(report.changes.len()));

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut insta_settings = insta::Settings::clone_current();
    insta_settings.set_snapshot_path(root.join("snapshots/diff"));
    insta_settings.set_prepend_module_to_snapshot(false);
    insta_settings.bind(|| insta::assert_snapshot!("desk_edit_report", markdown));
    assert_no_orphans(&root.join("snapshots/diff"), &["desk_edit_report.snap"]);
}

/// A snapshot no test writes any more would never be reviewed again: refuse it.
fn assert_no_orphans(dir: &Path, expected: &[&str]) {
    let mut orphans: Vec<String> = std::fs::read_dir(dir)
        .expect("snapshot dir exists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.ends_with(".snap") && !expected.contains(&name.as_str()))
        .collect();
    orphans.sort();
    assert!(orphans.is_empty(), "orphaned snapshots in {} (delete them): {orphans:?}", dir.display());
}

#[test]
fn edits_that_change_nothing_on_the_wire_or_in_rust() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        // `explode` makes no difference for a single value.
        ("explode on a scalar parameter", &[("        - name: limit\n          in: query\n", "        - name: limit\n          in: query\n          explode: false\n")]),
        // Property order is not part of the contract.
        ("properties reordered", &[("        price: {type: number}\n        note: {type: string}\n", "        note: {type: string}\n        price: {type: number}\n")]),
        // Writing out a default style.
        ("default style written out", &[("        - name: fields\n          in: query\n", "        - name: fields\n          in: query\n          style: form\n          explode: true\n")]),
    ];
    for (name, edits) in cases {
        let report = run(BASE, &apply(BASE, edits, name));
        assert!(report.changes.is_empty(), "{name}:\n{}", listing(&report));
    }
}

#[test]
fn recursive_schemas_terminate_and_are_compared_once() {
    let spec = |extra: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: Tree, version: 0.3.1}}\npaths:\n  /tree:\n    get:\n      operationId: getTree\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Node'}}\n    put:\n      operationId: putTree\n      requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/Node'}}\n      responses:\n        '204': {{description: ok}}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        children:\n          type: array\n          items: {{$ref: '#/components/schemas/Node'}}\n        parent: {{$ref: '#/components/schemas/Node'}}\n{extra}"
        )
    };
    let report = run(&spec(""), &spec("        label: {type: string, enum: [a, b]}\n"));
    let added: Vec<_> = report.changes.iter().filter(|c| c.kind == ChangeKind::PropertyAdded).collect();
    assert_eq!(added.len(), 1, "{}", listing(&report));
    assert_eq!(added[0].used_in, vec!["response: getTree".to_string(), "request: putTree".to_string()]);
    // Pre-1.0: a major change of the types crate moves the minor version.
    assert_eq!(report.version.required, "0.4.0");
    assert_eq!(report.version.part, Level::Minor);

    let report = run(&spec("        label: {type: string, enum: [a, b]}\n"), &spec("        label: {type: string, enum: [a, b, c]}\n"));
    let value = report.changes.iter().find(|c| c.kind == ChangeKind::EnumValueAdded).unwrap_or_else(|| panic!("{}", listing(&report)));
    assert_eq!(value.rust_items, vec!["shop_types::NodeLabel::C".to_string()]);
    assert!(value.client.breaking && value.server.breaking, "used in both directions");
}

#[test]
fn json_report_has_the_documented_shape() {
    let new = apply(BASE, &[("      enum: [red, green]", "      enum: [red, green, blue]")], "json");
    let report = run(BASE, &new);
    let labels = Labels { old: "old.yaml".into(), new: "new.yaml".into() };
    let json: serde_json::Value = serde_json::from_str(&diff::report::json(&report, &labels)).expect("valid JSON");
    assert_eq!(json["old_spec"], "old.yaml");
    assert_eq!(json["breaking"]["clients"], true);
    assert_eq!(json["breaking"]["servers"], false);
    let change = &json["changes"][0];
    assert_eq!(change["kind"], "enum_value_added");
    assert_eq!(change["new_pointer"], "#/components/schemas/Color/enum/2");
    assert_eq!(change["rust_items"][0], "shop_types::Color::Blue");
    assert_eq!(change["client"]["breaking"], true);
    assert_eq!(change["client"]["wire"], true);
    assert!(change["client"]["why"].as_str().is_some_and(|w| !w.is_empty()));
    assert_eq!(change["bumps"]["types"], "major");
    let crates: Vec<&str> = json["crates"].as_array().into_iter().flatten().filter_map(|c| c["crate"].as_str()).collect();
    assert_eq!(crates, vec!["shop-types", "shop-validation", "shop-server", "shop-client"]);
    assert_eq!(json["version"]["required"], "2.0.0");
}

#[test]
fn the_report_is_deterministic() {
    let new = apply(BASE, &[("      enum: [active, archived]", "      enum: [active, archived, deleted]"), ("        price: {type: number}\n", "")], "determinism");
    let labels = Labels { old: "a".into(), new: "b".into() };
    let first = diff::report::markdown(&run(BASE, &new), &labels);
    for _ in 0..3 {
        assert_eq!(diff::report::markdown(&run(BASE, &new), &labels), first);
    }
}

/// A form body (`application/x-www-form-urlencoded`) is typed like a JSON one, so its fields are
/// compared like JSON properties; turning it into JSON changes the wire, not the Rust type.
#[test]
fn form_bodies_are_compared_field_by_field() {
    let form = BASE.replacen(
        "        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/NewItem'}\n",
        "        content:\n          application/x-www-form-urlencoded:\n            schema: {$ref: '#/components/schemas/NewItem'}\n",
        1,
    );
    assert_ne!(form, BASE);
    let required = apply(&form, &[("      required: [name]\n", "      required: [name, label]\n")], "form field made required");
    let report = run(&form, &required);
    let change = report
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::PropertyBecameRequired)
        .unwrap_or_else(|| panic!("no change for the form field:\n{}", listing(&report)));
    assert!(change.client.breaking && change.server.breaking, "{}", listing(&report));
    assert!(change.rust_items.iter().any(|item| item.contains("NewItem")), "{:?}", change.rust_items);

    let csv = form.replacen(
        "            schema: {$ref: '#/components/schemas/NewItem'}\n",
        "            schema: {$ref: '#/components/schemas/NewItem'}\n            encoding:\n              label: {style: form, explode: false}\n",
        1,
    );
    assert_ne!(csv, form);
    let report = run(&form, &csv);
    let change = report
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::ParameterStyleChanged)
        .unwrap_or_else(|| panic!("no change for the form encoding:\n{}", listing(&report)));
    assert!(change.client.breaking && !change.server.breaking, "{}", listing(&report));
    assert!(change.summary.contains("`label`"), "{}", change.summary);

    let report = run(&form, BASE);
    let code_changes: Vec<&str> = report.changes.iter().filter(|c| c.client.code).map(|c| c.summary.as_str()).collect();
    assert!(code_changes.is_empty(), "form -> JSON keeps the Rust type: {code_changes:?}\n{}", listing(&report));
    assert!(report.changes.iter().any(|c| c.client.breaking), "old clients send a form the server now refuses:\n{}", listing(&report));
}
