//! The example binary shuts down gracefully: on SIGTERM (and Ctrl-C's SIGINT) it stops
//! accepting, lets the request in flight finish, and exits 0.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "shutdown-test-key";

/// Starts the binary on a free port; returns it and its address.
fn start() -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_desk-example"))
        .args(["--addr", "127.0.0.1:0", "--api-key", KEY])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start desk-example");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    stderr.read_line(&mut line).expect("its first line");
    let addr = line.trim().rsplit("http://").next().expect("an address").to_string();
    // The rest of stderr is read on a thread, so that the child never blocks on it.
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = stderr.read_to_string(&mut rest);
    });
    (child, addr)
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill").args([format!("-{name}"), child.id().to_string()]).status().expect("kill");
    assert!(status.success());
}

fn wait(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < within {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// A request in flight (its body half sent) when the signal comes, then finished.
fn in_flight_request_finishes(name: &str) {
    let (mut child, addr) = start();
    let body = br#"{"ticket_id": 4711, "socket_id": "1.2"}"#;
    let mut stream = TcpStream::connect(&addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let head = format!(
        "POST /desk/api/v2/conversations.json HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {KEY}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("send");
    stream.write_all(&body[..10]).expect("send");
    std::thread::sleep(Duration::from_millis(200));

    signal(&child, name);
    std::thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().expect("wait").is_none(), "{name}: exited with a request in flight");
    assert!(TcpStream::connect(&addr).is_err(), "{name}: still accepting connections");

    stream.write_all(&body[10..]).expect("send the rest");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("the response");
    assert!(response.starts_with("HTTP/1.1 201 "), "{name}: {response}");
    assert!(response.contains("\"ticket_id\":4711"), "{name}: {response}");
    assert!(response.to_ascii_lowercase().contains("connection: close"), "{name}: {response}");

    let status = wait(&mut child, Duration::from_secs(10)).unwrap_or_else(|| {
        let _ = child.kill();
        panic!("{name}: did not exit")
    });
    assert!(status.success(), "{name}: {status}");
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_and_exits_0() {
    in_flight_request_finishes("TERM");
}

#[test]
fn ctrl_c_lets_the_request_in_flight_finish_and_exits_0() {
    in_flight_request_finishes("INT");
}
