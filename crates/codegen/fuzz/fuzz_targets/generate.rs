//! Arbitrary bytes as spec text (lossy UTF-8) through the whole generator.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    codegen_fuzz::check(&String::from_utf8_lossy(data));
});
