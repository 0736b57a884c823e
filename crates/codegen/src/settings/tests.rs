use super::*;

fn errors(text: &str) -> String {
    match parse(text, "codegen.toml") {
        Ok(_) => String::new(),
        Err(diagnostics) => diagnostics.to_string(),
    }
}

#[test]
fn every_key() {
    let text = r##"
spec = "petstore.yaml"
out = "../generated"
name = "petstore"
version = "1.2.3"
crates = ["client"]
workspace = false
runtime = "../codegen-runtime"

[types]
name = "petstore-models"
derives = ["Hash", "Eq"]
attributes = ["#[non_exhaustive]"]
dependencies = { my-money = { path = "../../my-money" }, extra = "1" }
example_tests = false

[types.schemas.Pet]
derives = ["PartialOrd"]
attributes = ['#[serde(rename_all = "camelCase")]']

[types.replace]
Money = "my_money::Money"

[validation]
version = "0.9.0"

[server]
error_schema = "Error"
body_limit = 65536
binary_body_limit = 1073741824
request_timeout_ms = 30000
default_501 = true

[client]
name = "petstore-api"
"##;
    let file = parse(text, "codegen.toml");
    assert!(file.is_ok(), "{file:?}");
    let Ok(file) = file else { return };
    assert_eq!(file.spec.map(|s| s.value).as_deref(), Some("petstore.yaml"));
    assert_eq!(file.workspace, Some(false));
    let options = file.options;
    assert_eq!(options.crates().kinds(), [CrateKind::Types, CrateKind::Validation, CrateKind::Client]);
    assert_eq!(options.crate_name("petstore", CrateKind::Types), "petstore-models");
    assert_eq!(options.crate_name("petstore", CrateKind::Validation), "petstore-validation");
    assert_eq!(options.types.dependencies.len(), 2);
    assert_eq!(options.types.dependencies[1].value, r#"{ path = "../../my-money" }"#);
    assert_eq!(options.derives.len(), 2);
    assert_eq!(options.type_options[0].schema.value, "Pet");
    assert_eq!(options.example_tests, Some(false));
    assert_eq!(options.type_options[0].schema.at, Some(Position { line: 17, column: 16 }));
    assert_eq!(options.replacements[0].path.value, "my_money::Money");
    assert_eq!(options.body_limit.map(|l| l.value), Some(65536));
    assert_eq!(options.binary_body_limit.map(|l| l.value), Some(1 << 30));
    assert!(options.default_501);
}

#[test]
fn crates_follow_their_dependencies() {
    let crates = |list: &[CrateKind]| Options { crates: Some(Located::new(list.to_vec())), ..Options::default() }.crates().kinds();
    assert_eq!(crates(&[CrateKind::Types]), [CrateKind::Types]);
    assert_eq!(crates(&[CrateKind::Validation]), [CrateKind::Types, CrateKind::Validation]);
    assert_eq!(crates(&[CrateKind::Server]), [CrateKind::Types, CrateKind::Validation, CrateKind::Server]);
    assert_eq!(Options::default().crates().kinds(), CrateKind::ALL);
}

#[test]
fn unknown_keys_and_bad_values_are_located() {
    assert_eq!(
        errors("name = \"x\"\n[server]\nbody_limt = 3\n"),
        "error: codegen.toml:3:1: invalid setting: unknown field `body_limt`, expected one of `name`, `version`, `dependencies`, `error_schema`, `body_limit`, `binary_body_limit`, `request_timeout_ms`, `default_501`, `undocumented_responses`, `ignored_query_parameters`"
    );
    assert_eq!(errors("crates = [\"client\", \"cli\"]"), "error: codegen.toml:1:21: invalid setting: `cli` is not a crate kind: use `types`, `validation`, `server` or `client`");
    assert_eq!(errors("crates = []"), "error: codegen.toml:1:10: invalid setting: list at least one crate: `types`, `validation`, `server` or `client`");
    assert_eq!(errors("[server]\nbody_limit = -1"), "error: codegen.toml:2:14: invalid setting: must be a number of bytes greater than 0");
    assert_eq!(
        errors("[server]\nbinary_body_limit = 0"),
        "error: codegen.toml:2:21: invalid setting: must be a number of bytes greater than 0"
    );
    assert_eq!(errors("[server]\nbody_limit = \"1MB\""), "error: codegen.toml:2:14: invalid setting: invalid type: string \"1MB\", expected i64");
    assert_eq!(errors("name = \"Pet Store\""), "error: codegen.toml:1:8: invalid setting: `Pet Store` is not a crate name: use lowercase letters, digits and `-`, starting with a letter (e.g. `petstore`)");
    assert_eq!(errors("version = \"1.2\""), "error: codegen.toml:1:11: invalid setting: `1.2` is not a semver version such as `1.2.3` or `0.4.0-beta.1`");
    assert_eq!(errors("name = "), "error: codegen.toml:1:8: invalid setting: not valid TOML here");
    assert_eq!(errors("[x\n"), "error: codegen.toml:1:3: invalid setting: invalid table header: expected `.`, `]`");
}

#[test]
fn rust_in_settings_is_parsed() {
    let text = "[types]\nderives = [\"Hash\", \"not a path\"]\nattributes = [\"non_exhaustive\", \"#[derive(Hash)]\"]\n[types.replace]\nMoney = \"Vec<\"\n";
    let message = errors(text);
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 4, "{message}");
    assert!(lines[0].starts_with("error: codegen.toml:2:20: invalid setting: `not a path` is not a Rust path"), "{message}");
    assert!(lines[1].starts_with("error: codegen.toml:3:15: invalid setting: `non_exhaustive` is not an outer attribute"), "{message}");
    assert!(lines[2].starts_with("error: codegen.toml:3:33: invalid setting: `#[derive(Hash)]`: put derives in `derives`"), "{message}");
    assert!(lines[3].starts_with("error: codegen.toml:5:9: invalid setting: `Vec<` is not a Rust type path"), "{message}");
}

#[test]
fn dependencies_and_names() {
    assert_eq!(
        errors("[types.dependencies]\nfoo = 3\n"),
        "error: codegen.toml:2:1: invalid setting: the value of `foo` must be a version (`\"1\"`) or a table (`{ path = \"../x\" }`)"
    );
    assert_eq!(
        errors("[types]\nname = \"a-b\"\n[client]\nname = \"a-b\"\n"),
        "error: codegen.toml:4:8: invalid setting: `a-b` is already the name of the types crate"
    );
}

#[test]
fn options_set_in_code_name_their_key() {
    let options = Options { version: Some(Located::new("one".to_string())), ..Options::default() };
    let errors = options.check();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].location, Location::Document);
    assert!(errors[0].message.starts_with("setting `version`: `one` is not a semver version"), "{}", errors[0].message);
}
