//! Seeded random specs through the whole generator: no panic (the generator turns a panic on its
//! thread into an `Internal` diagnostic, so no `Internal` diagnostic either), and a spec that
//! generates generates the same bytes twice.
//!
//! The specs come from the same structure-aware generator as the `structured` cargo-fuzz target
//! (`crates/codegen/fuzz/src/spec_gen.rs`), driven by a fixed-seed PRNG instead of libFuzzer, plus
//! structural and textual mutations of our fixture specs. Crashes found by the fuzz targets are
//! kept below as regression cases with their minimized input inline.

#[allow(dead_code)]
#[path = "../fuzz/src/spec_gen.rs"]
mod spec_gen;

use arbitrary::Unstructured;
use codegen::error::DiagnosticKind;
use std::sync::mpsc;
use std::time::Duration;

/// SplitMix64: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

fn settings() -> codegen::Settings {
    codegen::Settings { name: "fuzz".into(), spec_label: "fuzz.yaml".into(), command: "cmd".into(), runtime_path: "../codegen-runtime".into(), ..Default::default() }
}

/// Generates a spec; fails the test on an internal error, and checks determinism when it generates.
/// Returns whether it generated.
///
/// With `FUZZ_SPECS_TRACE=1` each case is printed before it runs (a stack overflow aborts the
/// process without naming the case).
fn check(what: &str, text: &str) -> bool {
    if std::env::var_os("FUZZ_SPECS_TRACE").is_some() {
        eprintln!("=== {what}\n{text}");
    }
    let settings = settings();
    match codegen::generate_str(text, &settings) {
        Ok(first) => {
            let second = codegen::generate_str(text, &settings).unwrap_or_else(|err| {
                panic!("{what}: generated once, then failed:\n{err}\n--- spec ---\n{text}")
            });
            assert!(first == second, "{what}: generating twice gave different bytes\n--- spec ---\n{text}");
            true
        }
        Err(err) => {
            assert!(
                !err.items.iter().any(|item| item.kind == DiagnosticKind::Internal),
                "{what}: internal error (a panic or unparsable output):\n{err}\n--- spec ---\n{text}"
            );
            false
        }
    }
}

/// Fresh random bytes for an `Unstructured`: enough for a whole document most of the time (once
/// they run out, every choice takes its first, plain option, so the document just stays small).
fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = 64 + rng.below(4096);
    rng.bytes(len)
}

#[test]
fn structured_random_specs() {
    let mut rng = Rng(0x5eed_0001);
    let (mut total, mut generated) = (0, 0);
    for case in 0..300 {
        let bytes = random_bytes(&mut rng);
        let Ok(text) = spec_gen::spec_text(&mut Unstructured::new(&bytes)) else { continue };
        total += 1;
        generated += usize::from(check(&format!("structured case {case}"), &text));
    }
    // The generator is meant to reach lowering and emitting, not only the error paths.
    assert!(total >= 290 && generated >= 100, "{generated} of {total} structured specs generated");
}

#[test]
fn structural_mutations_of_the_fixtures() {
    let mut rng = Rng(0x5eed_0002);
    let mut generated = 0;
    for case in 0..150 {
        let bytes = random_bytes(&mut rng);
        // The desk spec is ten times larger (and slower in debug) than the fixtures: 1 case in 15.
        let fixture = if case % 15 == 14 { 2 } else { case % 2 };
        let Ok(text) = spec_gen::mutate_text(&mut Unstructured::new(&bytes), fixture) else { continue };
        generated += usize::from(check(&format!("structural mutation {case} of fixture {fixture}"), &text));
    }
    assert!(generated >= 15, "only {generated} mutated fixtures generated");
}

/// Tokens that textual mutations insert.
const TOKENS: &[&str] = &[
    "$ref: '#/components/schemas/Pet'", "nullable: true", "allOf: []", "oneOf: [{}]", "- ", ": ", "{", "}", "[", "]",
    "'", "\"", "&a ", "*a", "<<: *a", "!!binary ", "\t", "\n", "  ", "#", "~", "null", "1e999", "-", "?", "|", ">",
    "type: object", "items: {}", "enum: [a, A]", "required: [x]", "in: path", "style: deepObject", "/{id}",
];

fn text_mutation(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..1 + rng.below(4) {
        if lines.is_empty() {
            break;
        }
        let at = rng.below(lines.len());
        match rng.below(7) {
            0 => {
                lines.remove(at);
            }
            1 => {
                let line = lines[at].clone();
                lines.insert(at, line);
            }
            2 => {
                let other = rng.below(lines.len());
                lines.swap(at, other);
            }
            3 => {
                // Re-indent.
                let trimmed = lines[at].trim_start().to_string();
                lines[at] = format!("{}{trimmed}", " ".repeat(rng.below(12)));
            }
            4 => lines.truncate(at),
            _ => {
                let line = &lines[at];
                let boundaries: Vec<usize> = line.char_indices().map(|(i, _)| i).chain([line.len()]).collect();
                let cut = boundaries[rng.below(boundaries.len())];
                let token = TOKENS[rng.below(TOKENS.len())];
                lines[at] = format!("{}{token}{}", &line[..cut], &line[cut..]);
            }
        }
    }
    lines.join("\n")
}

#[test]
fn textual_mutations_of_the_fixtures() {
    let mut rng = Rng(0x5eed_0003);
    for case in 0..80 {
        let fixture = if case % 20 == 19 { 2 } else { case % 2 };
        let text = text_mutation(&mut rng, spec_gen::FIXTURES[fixture]);
        check(&format!("textual mutation {case} of fixture {fixture}"), &text);
    }
}

/// An `allOf` diamond `depth` levels deep with `width` references to the next level each: a
/// naive merge visits the bottom schema `width^depth` times.
fn all_of_diamond(depth: usize, width: usize) -> String {
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: Diamond, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
    for level in 0..depth {
        let next = format!("{{$ref: '#/components/schemas/A{}'}}", level + 1);
        text.push_str(&format!("    A{level}: {{allOf: [{}]}}\n", vec![next; width].join(", ")));
    }
    text.push_str(&format!("    A{depth}: {{type: object, properties: {{x: {{type: string}}}}}}\n"));
    text
}

/// Inputs that crashed or hung the generator, minimized, each with where it was found; each
/// failed before its fix.
fn regressions() -> Vec<(&'static str, String)> {
    vec![
        (
            // Found by `structured_random_specs` (case 77 of the first generator version): the
            // property `axum` of `core` merges `core` itself (through the alias `PET`), whose
            // properties include `axum` again: unbounded recursion, a stack overflow on the 256 MiB
            // generator stack. Fixed in lower/types.rs (`inline` keeps such a cycle open).
            "allOf merging its own parent through an alias",
            "openapi: 3.0.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    PET: {$ref: '#/components/schemas/core'}
    core:
      properties:
        axum:
          allOf:
            - $ref: '#/components/schemas/PET'
            - additionalProperties: {}
"
            .to_string(),
        ),
        (
            // Found while reading lower/types.rs for the structured generator: 3^16 visits, a hang
            // (2 references per level and 24 levels took minutes). Fixed in lower/types.rs
            // (`merged_once`: a schema already merged into an `allOf` is not merged again).
            "allOf diamond",
            all_of_diamond(16, 3),
        ),
    ]
}

/// Runs [`check`] on its own thread and fails if it takes longer than `limit` (a hang).
fn check_within(what: &str, text: String, limit: Duration) -> bool {
    let (send, receive) = mpsc::channel();
    let name = what.to_string();
    std::thread::spawn(move || {
        let generated = check(&name, &text);
        let _ = send.send(generated);
    });
    match receive.recv_timeout(limit) {
        Ok(generated) => generated,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: still generating after {limit:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: the check panicked (see above)"),
    }
}

#[test]
fn fuzzer_regressions() {
    for (name, text) in regressions() {
        check_within(name, text, Duration::from_secs(20));
    }
}
