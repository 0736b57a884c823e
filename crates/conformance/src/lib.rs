//! Nothing here: this crate holds tests (`tests/`) and benchmarks (`benches/`) of the generated crates.
