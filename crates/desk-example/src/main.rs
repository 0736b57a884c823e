//! `cargo run -p desk-example -- --addr 127.0.0.1:8080 --api-key KEY`
//!
//! Serves the in-memory desk API. The key may also come from `DESK_API_KEY`.

use std::net::SocketAddr;
use std::process::ExitCode;

const USAGE: &str = "usage: desk-example [--addr HOST:PORT] [--api-key KEY]   (or DESK_API_KEY=KEY)";

#[tokio::main]
async fn main() -> ExitCode {
    let mut addr: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8080));
    let mut api_key = std::env::var("DESK_API_KEY").ok();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--addr", Some(value)) => match value.parse() {
                Ok(parsed) => addr = parsed,
                Err(err) => {
                    eprintln!("error: --addr {value}: {err}\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            ("--api-key", Some(value)) => api_key = Some(value),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(api_key) = api_key.filter(|k| !k.is_empty()) else {
        eprintln!("error: an API key is required\n{USAGE}");
        return ExitCode::from(2);
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("error: cannot listen on {addr}: {err}");
            return ExitCode::from(1);
        }
    };
    eprintln!("desk-example listening on http://{addr}");
    let app = desk_server::router(desk_example::DeskExample::new(&api_key));
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}
