//! `cargo run -p desk-example -- --addr 127.0.0.1:8080 --api-key KEY [--response-checks off|log|reject]`
//!
//! Serves the in-memory desk API with the generated server's defaults (`desk_server::Config`:
//! 1 MiB bodies, header, body and idle timeouts) until Ctrl-C or SIGTERM, then finishes the
//! requests in flight and exits 0. The key may also come from `DESK_API_KEY`; port 0 picks a
//! free port, and the address it listens on is printed on stderr. `--response-checks` sets
//! `Config::response_checks` (default: `reject` in debug builds, `off` in release builds).

use std::net::SocketAddr;
use std::process::ExitCode;

const USAGE: &str =
    "usage: desk-example [--addr HOST:PORT] [--api-key KEY] [--response-checks off|log|reject]   (or DESK_API_KEY=KEY)";

#[tokio::main]
async fn main() -> ExitCode {
    let mut addr: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8080));
    let mut api_key = std::env::var("DESK_API_KEY").ok();
    // The generated server's settings: 1 MiB bodies, header, body and idle timeouts.
    let mut config = desk_server::CONFIG;
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
            ("--response-checks", Some(value)) => {
                config.response_checks = match value.as_str() {
                    "off" => desk_server::ResponseChecks::Off,
                    "log" => desk_server::ResponseChecks::Log,
                    "reject" => desk_server::ResponseChecks::Reject,
                    _ => {
                        eprintln!("error: --response-checks {value}: expected off, log or reject\n{USAGE}");
                        return ExitCode::from(2);
                    }
                }
            }
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
    let addr = listener.local_addr().unwrap_or(addr);
    eprintln!("desk-example listening on http://{addr}");
    let app = desk_server::router_with_config(desk_example::DeskExample::new(&api_key), config);
    // Ctrl-C or SIGTERM: stop accepting, let the requests in flight finish, exit 0.
    match desk_server::serve(listener, app, config).with_graceful_shutdown(desk_server::shutdown_signal()).await {
        Ok(()) => {
            eprintln!("desk-example stopped");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}
