//! Generation with settings: crates, names, versions, dependencies, derives, attributes,
//! replaced types, the error schema and the server's defaults, and what the diff makes of them.

use codegen::settings::parse;
use codegen::Settings;

const SPEC: &str = r#"
openapi: 3.0.3
info: { title: Shop, version: 2.1.0 }
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Item' } } } }
        '400': { description: bad, content: { application/json: { schema: { $ref: '#/components/schemas/Problem' } } } }
components:
  schemas:
    Item:
      type: object
      required: [name, price]
      properties:
        name: { type: string }
        price: { $ref: '#/components/schemas/Money' }
        tags: { type: array, items: { $ref: '#/components/schemas/Tag' } }
        weight: { type: number }
    Tag:
      type: object
      required: [label]
      properties:
        label: { type: string }
        kind: { type: string, enum: [a, b], default: a }
    Money:
      type: object
      required: [amount, currency]
      properties:
        amount: { type: string }
        currency: { type: string }
    Problem:
      type: object
      required: [message]
      properties:
        message: { type: string }
    io.shop.v1.Fault:
      type: object
      properties:
        message: { type: string }
    Other:
      type: object
      properties:
        message: { type: string }
"#;

fn settings(toml: &str) -> Settings {
    let file = parse(toml, "codegen.toml").unwrap_or_else(|err| panic!("{err}"));
    Settings {
        name: "shop".into(),
        spec_label: "shop.yaml".into(),
        command: "cmd".into(),
        runtime_path: "../codegen-runtime".into(),
        options: file.options,
    }
}

fn generate(toml: &str) -> codegen::Generated {
    codegen::generate(SPEC, &settings(toml)).unwrap_or_else(|err| panic!("{err}"))
}

/// The text without whitespace, so checks do not depend on line breaks.
fn flat(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn has(text: &str, part: &str) -> bool {
    flat(text).contains(&flat(part))
}

fn error(toml: &str) -> String {
    match codegen::generate(SPEC, &settings(toml)) {
        Ok(_) => panic!("settings accepted:\n{toml}"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn a_crate_named_like_another_or_the_runtime_is_refused_at_its_setting() {
    // `shop-types` is the types crate's default name; the server's explicit one takes it.
    assert_eq!(
        error("[server]\nname = \"shop-types\"\n"),
        "error: codegen.toml:2:8: invalid setting: `shop-types` is already the name of the types crate"
    );
    assert_eq!(
        error("[client]\nname = \"codegen-runtime\"\n"),
        "error: codegen.toml:2:8: invalid setting: `codegen-runtime` is already the name of the runtime crate"
    );
}

#[test]
fn no_settings_is_what_was_always_generated() {
    let plain = codegen::generate(SPEC, &settings("")).map(|g| g.files).ok();
    let none = codegen::generate(SPEC, &Settings { options: Default::default(), ..settings("") }).map(|g| g.files).ok();
    assert_eq!(plain, none);
    let files = plain.unwrap_or_default();
    let dirs: std::collections::BTreeSet<&str> = files.keys().filter_map(|k| k.split('/').next()).collect();
    assert_eq!(dirs.into_iter().collect::<Vec<_>>(), ["shop-client", "shop-server", "shop-types", "shop-validation"]);
}

#[test]
fn a_client_only_crate_set_with_names_versions_and_dependencies() {
    let generated = generate(
        r#"
crates = ["client"]
version = "3.0.0"
[types]
name = "shop-models"
dependencies = { my-money = { path = "../../my-money" } }
[client]
name = "shop-api"
version = "3.1.0"
"#,
    );
    let dirs: std::collections::BTreeSet<&str> = generated.files.keys().filter_map(|k| k.split('/').next()).collect();
    assert_eq!(dirs.into_iter().collect::<Vec<_>>(), ["shop-api", "shop-models", "shop-validation"]);
    let types = &generated.files["shop-models/Cargo.toml"];
    assert!(types.contains("name = \"shop-models\"\nversion = \"3.0.0\""), "{types}");
    assert!(types.trim_end().ends_with(r#"my-money = { path = "../../my-money" }"#), "{types}");
    let client = &generated.files["shop-api/Cargo.toml"];
    assert!(client.contains("version = \"3.1.0\""), "{client}");
    assert!(client.contains(r#"shop-models = { path = "../shop-models", version = "3.0.0" }"#), "{client}");
    assert!(generated.files["shop-api/src/generated.rs"].contains("shop_models::Item"));
}

#[test]
fn a_dependency_the_crate_has_is_refused_at_the_setting() {
    assert_eq!(
        error("[client.dependencies]\nreqwest = \"0.11\"\n"),
        "error: codegen.toml:2:1: invalid setting: `reqwest` is already a dependency of the generated crate: leave it out (the generated line stays)"
    );
}

#[test]
fn derives_spread_to_held_types_and_skip_the_ones_that_cannot_take_them() {
    let generated = generate("[types]\nderives = [\"Eq\", \"Hash\", \"schemars::JsonSchema\"]\n");
    let types = &generated.files["shop-types/src/generated.rs"];
    // `Item` holds an f64: no Eq, no Hash, but the unchecked derive.
    assert!(has(types, "#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)] pub struct Item"), "{types}");
    assert!(has(types, "serde::Deserialize, Eq, Hash, schemars::JsonSchema)] pub struct Tag"), "{types}");
    // Enums have Eq and Hash already.
    assert!(has(types, "serde::Deserialize, schemars::JsonSchema)] pub enum TagKind"), "{types}");
    let warnings = generated.warnings.as_warnings();
    assert!(
        warnings.contains("warning: shop.yaml: at #/components/schemas/Item: derive `Eq` (settings `types.derives`) left out: its field `weight` is a number (`f64`), which has no total equality or order"),
        "{warnings}"
    );
}

#[test]
fn a_derive_asked_for_one_type_reaches_what_it_holds_or_is_refused() {
    let generated = generate("[types.schemas.Tag]\nderives = [\"Ord\"]\nattributes = [\"#[non_exhaustive]\"]\n");
    let types = &generated.files["shop-types/src/generated.rs"];
    assert!(has(types, "serde::Deserialize, PartialOrd, Eq, Ord)] #[non_exhaustive] pub struct Tag"), "{types}");
    assert_eq!(
        error("[types.schemas.Item]\nderives = [\"Hash\"]\n"),
        "error: codegen.toml:2:12: invalid setting: `Hash` cannot be derived for `Item`: its field `weight` is a number (`f64`), which has no total equality or order"
    );
    assert_eq!(
        error("[types.schemas.Nope]\nderives = [\"Hash\"]\n"),
        "error: codegen.toml:1:16: invalid setting: the spec has no component schema (and no generated type) named `Nope`"
    );
    assert_eq!(
        error("[types.schemas.TagKind]\nderives = [\"Default\"]\n"),
        "error: codegen.toml:2:12: invalid setting: `Default` cannot be derived for `TagKind`: it is an enum, which has no default value"
    );
}

#[test]
fn a_replaced_schema_is_an_alias_of_the_given_type() {
    let generated = generate("[types.replace]\nMoney = \"my_money::Money\"\n[types.schemas.Item]\nderives = [\"Default\"]\n");
    let types = &generated.files["shop-types/src/generated.rs"];
    assert!(types.contains("pub type Money = my_money::Money;"), "{types}");
    assert!(!types.contains("pub struct Money"), "{types}");
    // Validation still checks the schema on raw JSON and parses into the replacement.
    let validation = &generated.files["shop-validation/src/generated.rs"];
    assert!(validation.contains("fn check_money"), "{validation}");
    assert!(validation.contains("Result<shop_types::Money, ValidationErrors>"), "{validation}");
    assert_eq!(
        error("[types.replace]\nCash = \"my_money::Money\"\n"),
        "error: codegen.toml:2:1: invalid setting: the spec has no component schema (and no generated type) named `Cash`"
    );
    assert_eq!(
        error("[types.replace]\nMoney = \"my_money::Money\"\n[types.schemas.Money]\nderives = [\"Hash\"]\n"),
        "error: codegen.toml:3:16: invalid setting: `Money` is replaced (`types.replace`): derives and attributes belong on the replacement"
    );
}

#[test]
fn the_error_schema_setting() {
    let generated = generate("[server]\nerror_schema = \"Other\"\n");
    assert!(generated.files["shop-types/src/generated.rs"].contains("impl From<codegen_runtime::validation::ValidationErrors> for Other"));
    // By its key or by its type's name (`Fault`, named without the package).
    for name in ["io.shop.v1.Fault", "Fault"] {
        let generated = generate(&format!("[server]\nerror_schema = \"{name}\"\n"));
        assert!(generated.files["shop-types/src/generated.rs"].contains("impl From<codegen_runtime::validation::ValidationErrors> for Fault"), "{name}");
    }
    assert_eq!(
        error("[server]\nerror_schema = \"Nope\"\n"),
        "error: codegen.toml:2:16: invalid setting: the spec has no component schema named `Nope`"
    );
    assert_eq!(
        error("[server]\nerror_schema = \"Problem\"\n[types.replace]\nProblem = \"x::Problem\"\n"),
        "error: codegen.toml:2:16: invalid setting: `Problem` is replaced (`types.replace`): the server can only fill a generated type"
    );
}

#[test]
fn server_defaults() {
    let generated = generate("[server]\nbody_limit = 4096\nbinary_body_limit = 8192\nrequest_timeout_ms = 2500\ndefault_501 = true\n");
    let server = &generated.files["shop-server/src/generated.rs"];
    assert!(
        has(
            server,
            "pub const CONFIG: Config = Config { body_limit: 4096, binary_body_limit: 8192, request_timeout: Some(std::time::Duration::from_millis(2500)), ..Config::DEFAULT };"
        ),
        "{server}"
    );
    assert!(has(server, "support::within(shared.config.request_timeout, answer, error_response)"), "{server}");
    assert!(server.contains("NotImplemented,"), "{server}");
    assert!(server.contains("async { GetItemResponse::NotImplemented }"), "{server}");
    let plain = generate("");
    assert!(!plain.files["shop-server/src/generated.rs"].contains("NotImplemented"));
    assert!(has(&plain.files["shop-server/src/generated.rs"], "pub const CONFIG: Config = Config::DEFAULT;"));
}

#[test]
fn undocumented_responses_and_ignored_query_parameters() {
    let generated = generate("[server]\nundocumented_responses = true\nignored_query_parameters = [\"timeout\", \"pretty\"]\n");
    let server = &generated.files["shop-server/src/generated.rs"];
    assert!(server.contains("Undocumented(Response),"), "{server}");
    assert!(has(server, "GetItemResponse::Undocumented(response) => support::undocumented(response),"), "{server}");
    assert!(
        has(server, "query.reject_unknown(&[support::QueryName::Plain(\"timeout\"), support::QueryName::Plain(\"pretty\")],"),
        "{server}"
    );
    let plain = &generate("").files["shop-server/src/generated.rs"];
    assert!(!plain.contains("Undocumented") && !plain.contains("\"timeout\""), "{plain}");
    let bad = parse("[server]\nignored_query_parameters = [\"a\", \"\", \"a\"]\n", "codegen.toml").err().map(|err| err.to_string());
    assert_eq!(
        bad.as_deref(),
        Some(
            "error: codegen.toml:2:34: invalid setting: a query parameter name cannot be empty\n\
             error: codegen.toml:2:38: invalid setting: `a` is listed twice"
        )
    );
    let report = diff("", SPEC, "[server]\nundocumented_responses = true\nignored_query_parameters = [\"timeout\"]\n");
    let summaries: Vec<&str> = report.changes.iter().map(|c| c.summary.as_str()).collect();
    assert!(summaries.iter().any(|s| s.starts_with("response enums gain an `Undocumented` variant")), "{summaries:?}");
    assert!(summaries.iter().any(|s| s.starts_with("every operation accepts and ignores the query parameters `timeout`")), "{summaries:?}");
    let back = diff("[server]\nignored_query_parameters = [\"timeout\"]\n", SPEC, "");
    assert!(back.breaks_clients(), "{:?}", back.changes);
}

fn diff(old_toml: &str, new_spec: &str, new_toml: &str) -> codegen::diff::Report {
    codegen::diff::diff_str(SPEC, &settings(old_toml), new_spec, &settings(new_toml)).unwrap_or_else(|_| panic!("diff"))
}

#[test]
fn a_new_operation_breaks_no_server_with_default_501() {
    let new_spec = SPEC.replace(
        "components:",
        "  /other:\n    get:\n      operationId: getOther\n      responses:\n        '204': { description: none }\ncomponents:",
    );
    let strict = diff("", &new_spec, "");
    assert!(strict.breaks_servers());
    let lenient = diff("[server]\ndefault_501 = true\n", &new_spec, "[server]\ndefault_501 = true\n");
    assert!(!lenient.is_breaking(), "{:?}", lenient.changes);
    assert_eq!(lenient.crates.iter().find(|c| c.crate_name == "shop-server").map(|c| c.level), Some(codegen::diff::Level::Minor));
}

#[test]
fn setting_changes_are_reported() {
    let report = diff(
        "[types]\nderives = [\"Hash\"]\n",
        SPEC,
        "crates = [\"client\"]\n[types.replace]\nMoney = \"my_money::Money\"\n[client]\nname = \"shop-api\"\n[server]\nbody_limit = 10\nbinary_body_limit = 100\n",
    );
    let summaries: Vec<&str> = report.changes.iter().map(|c| c.summary.as_str()).collect();
    assert!(summaries.contains(&"crate `shop-server` is no longer generated (settings `crates`)"), "{summaries:?}");
    assert!(summaries.contains(&"crate `shop-client` is renamed `shop-api` (settings `client.name`)"), "{summaries:?}");
    assert!(summaries.contains(&"type `Money` is now `my_money::Money` (settings `types.replace`)"), "{summaries:?}");
    assert!(summaries.contains(&"type `Tag` no longer derives `Hash` (settings `types`)"), "{summaries:?}");
    assert!(summaries.iter().any(|s| s.starts_with("the server's default body limit is 10 bytes")), "{summaries:?}");
    assert!(
        summaries.iter().any(|s| s.starts_with("the server's default streamed body limit is 100 bytes, not 67108864")),
        "{summaries:?}"
    );
    assert!(report.breaks_clients() && report.breaks_servers());
    assert!(report.changes.iter().all(|c| c.kind == codegen::diff::ChangeKind::SettingChanged));
}

#[test]
fn body_limit_changes_say_whether_they_refuse_what_was_accepted() {
    let change = |old: &str, new: &str| {
        let report = diff(old, SPEC, new);
        assert_eq!(report.changes.len(), 1, "{:?}", report.changes);
        (report.changes[0].summary.clone(), report.breaks_clients())
    };
    let (summary, breaks) = change("", "[server]\nbinary_body_limit = 134217728\n");
    assert_eq!(
        summary,
        "the server's default streamed body limit is 134217728 bytes, not 67108864 (settings `server.binary_body_limit`)"
    );
    assert!(!breaks, "a larger limit refuses nothing accepted before");
    let (summary, breaks) = change("[server]\nbody_limit = 2048\n", "[server]\nbody_limit = 1024\n");
    assert_eq!(summary, "the server's default body limit is 1024 bytes, not 2048 (settings `server.body_limit`)");
    assert!(breaks, "a smaller limit refuses bodies that were accepted");
}

#[test]
fn example_tests_can_be_turned_off_for_a_spec_whose_examples_do_not_fit() {
    // `Other.message` is a string; the example says 7: its test would fail.
    let spec = format!("{SPEC}      example: {{ message: 7 }}\n");
    let files = |toml: &str| codegen::generate(&spec, &settings(toml)).map(|g| g.files).unwrap_or_else(|err| panic!("{err}"));
    let with = files("");
    let test = with.get("shop-types/tests/examples.rs").expect("an example gets a test by default");
    assert!(has(test, "fn components_schemas_other_example()"), "{test}");
    let without = files("[types]\nexample_tests = false\n");
    assert!(!without.contains_key("shop-types/tests/examples.rs"));
    assert_eq!(with.len(), without.len() + 1, "nothing else changes");
    let bad = parse("[types]\nexample_tests = \"no\"\n", "codegen.toml").err().map(|err| err.to_string()).unwrap_or_default();
    assert!(bad.contains("codegen.toml:2:17:") && bad.contains("expected a boolean"), "a bad value is located: {bad}");
}
