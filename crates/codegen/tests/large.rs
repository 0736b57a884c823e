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
