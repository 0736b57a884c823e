//! Placeholder library of the workspace root package; see Cargo.toml for why it exists.
