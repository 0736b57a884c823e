//! A multi-megabyte spec generates (its speed is measured by `cargo xtask bench`, not here).

#[test]
fn a_multi_megabyte_spec_generates_every_schema() {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: Large, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
    let count = 2500;
    for index in 0..count {
        text.push_str(&format!(
            "    Item{index}:\n      description: Item number {index}, with a description long enough to make the document large.\n      type: object\n      required: [id]\n      properties:\n        id: {{type: integer, format: int64, minimum: 0}}\n        name: {{type: string, maxLength: 200, pattern: '^[a-z]+$'}}\n        next: {{$ref: '#/components/schemas/Item{}'}}\n        tags: {{type: array, items: {{type: string, enum: [a, b, c]}}}}\n        extra: {{type: object, additionalProperties: {{type: number}}}}\n",
            (index + 1) % count
        ));
    }
    assert!(text.len() > 1_000_000, "the spec is {} bytes", text.len());
    let settings = codegen::Settings { name: "large".into(), spec_label: "large.yaml".into(), command: "cmd".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() };
    let files = codegen::generate_str(&text, &settings).unwrap_or_else(|err| panic!("{err}"));
    let types = &files["large-types/src/generated.rs"];
    assert!(types.contains("pub struct Item0 {") && types.contains(&format!("pub struct Item{} {{", count - 1)));
    // The `next` references form one big cycle: every one of them is boxed.
    assert_eq!(types.matches("Option<Box<Item").count(), count);
    let validation = &files["large-validation/src/generated.rs"];
    assert!(validation.contains(&format!("pub fn validate_item{}(", count - 1)));
}

/// Thousands of components, each a `$ref` to the next: every one is an alias of the last (each
/// chain is followed once; following it from every component took minutes).
#[test]
fn a_long_chain_of_references_generates() {
    let count = 3000;
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: Chain, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
    for index in 0..count {
        text.push_str(&format!("    S{index}: {{$ref: '#/components/schemas/S{}'}}\n", index + 1));
    }
    text.push_str(&format!("    S{count}: {{type: object, properties: {{a: {{type: string}}}}}}\n"));
    let settings = codegen::Settings { name: "chain".into(), spec_label: "chain.yaml".into(), command: "cmd".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() };
    let files = codegen::generate_str(&text, &settings).unwrap_or_else(|err| panic!("{err}"));
    let types = &files["chain-types/src/generated.rs"];
    assert!(types.contains(&format!("pub struct S{count} {{")), "the chain's end is a struct");
    assert!(types.contains(&format!("pub type S0 = S{count};")) || types.contains("pub type S0 = S1;"), "S0 is an alias");
    // A chain that comes back to its start is refused, with the cycle named.
    let cyclic = "openapi: 3.0.3\ninfo: {title: Chain, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S0: {$ref: '#/components/schemas/S1'}\n    S1: {$ref: '#/components/schemas/S2'}\n    S2: {$ref: '#/components/schemas/S0'}\n";
    let err = codegen::generate_str(cyclic, &settings).expect_err("a cycle of references only");
    assert!(err.to_string().contains("$ref cycle with no schemas in it"), "{err}");
}
