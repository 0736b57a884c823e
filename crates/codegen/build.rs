//! Renders the support modules of generated crates (`support/*.rs`) once, at build time.
//!
//! They are the same for every spec, so parsing and printing them on every run would only cost
//! time; each generated crate gets the printed text as a file of its own.

#[path = "support/client.rs"]
mod client;
#[path = "support/server.rs"]
mod server;
#[path = "support/validation.rs"]
mod validation;

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=support");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let modules = [("client_support.rs", client::tokens()), ("server_support.rs", server::tokens()), ("validation_support.rs", validation::tokens())];
    for (name, tokens) in modules {
        let file = match syn::parse2::<syn::File>(tokens) {
            Ok(file) => file,
            Err(err) => panic!("support/{name} does not parse as Rust: {err}"),
        };
        if let Err(err) = std::fs::write(out.join(name), prettyplease::unparse(&file)) {
            panic!("cannot write {name} to OUT_DIR: {err}");
        }
    }
}
