//! Structure-aware: bytes drive a random OpenAPI 3.0 / 3.1 / Swagger 2.0 document (or random edits
//! of one of our fixture specs), so that most inputs get past the parser into lowering and emitting.
#![no_main]

use arbitrary::Unstructured;
use codegen_fuzz::spec_gen;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let text = match u.int_in_range(0..=7u8) {
        // Fixtures: kitchen-sink and keywords are small; desk (index 2) is large and slow, so rarer.
        Ok(0) => spec_gen::mutate_text(&mut u, 0),
        Ok(1) => spec_gen::mutate_text(&mut u, 1),
        Ok(2) if u.ratio(1, 8).unwrap_or(false) => spec_gen::mutate_text(&mut u, 2),
        Ok(_) => spec_gen::spec_text(&mut u),
        Err(_) => return,
    };
    if let Ok(text) = text {
        codegen_fuzz::check(&text);
    }
});
