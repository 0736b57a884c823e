//! `cargo xtask bench-server [--duration SECS] [--connections N] [--threads N] [--rounds N] [--response-checks]`:
//! requests per second and latency of the generated desk server (`desk-server` routing,
//! decoding and validating, with the in-memory `desk-example` service behind it) against a
//! minimal hand-written axum server doing the same in-memory work without the generated layer
//! (`crates/desk-example/src/bin/baseline.rs`), measured side by side with `wrk` on loopback.
//!
//! It is a script that prints figures, not a test: it exits 0 whether or not the goal is met,
//! 1 when a measurement is not trustworthy (a server failed to start, answered a non-2xx status
//! during a run, or the two servers' answers differ beyond timestamps), and 2 when it could not
//! start (bad arguments, `wrk` missing, the release build failed).
//!
//! Steps:
//!
//! 1. Checks that `wrk` is on `PATH`; if not, says how to install it and exits 2.
//! 2. `cargo build --release -p desk-example --bins` (`$CARGO` if set), which builds
//!    `desk-example` (the generated router + example service) and `baseline`.
//! 3. Starts both servers on `127.0.0.1` (free ports picked by the OS), API key `bench`, logs in
//!    `target/bench-server/*.log`, and waits until each accepts connections. One list request to
//!    each checks that both answer 2xx with the same body apart from timestamps (likewise one
//!    create request before the create phase): the baseline mirrors the example service by hand,
//!    and this catches it falling behind.
//! 4. List (`GET /desk/api/v2/conversations.json?pageSize=20`, bearer key) first: a 1 s
//!    warm-up per server, then N rounds of generated, baseline, generated, baseline, ... List
//!    never writes, so both servers list the same 2 seeded conversations throughout.
//! 5. Create (`POST` the same path with the create example of the spec as body, from the wrk
//!    script `target/bench-server/create.lua`): each server is restarted right before each of
//!    its runs, so every create run starts from the same freshly seeded store (creating grows the
//!    store; without restarts later runs would work on a bigger store than earlier ones).
//! 6. A table: per endpoint and server, req/s (best and mean over the rounds), latency (avg,
//!    p50, p99: means over the rounds), bytes per response, non-2xx count; then the ratio
//!    generated / baseline of the mean req/s (and of the best), PASS when >= 90 %.
//!
//! With `--response-checks`, a third server joins the rounds: the generated one with response
//! checks on (`desk-example --response-checks reject`; the release build's default is off), and
//! the table adds its throughput as a share of the generated server's without checks: the cost
//! of the checks.
//!
//! The servers are always stopped at the end, also on errors (they are killed by their process
//! ids). Defaults: 5 s per run, 2 wrk threads, 32 connections, 2 rounds.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Goal: the generated server keeps at least this share of the hand-written throughput.
const GOAL_RATIO: f64 = 0.90;
const API_KEY: &str = "bench";
const PATH: &str = "/desk/api/v2/conversations.json";
/// The list query, the same for both servers (20 is also the spec's default page size).
const LIST_QUERY: &str = "?pageSize=20";
/// The create example of `spec/desk-v2.yaml` (`createConversation`), sent bare.
const CREATE_BODY: &str = r#"{"contact":{"isMain":true,"type":"email","value":"jane.doe@example.com"},"socket_id":"123456.7891011","users":[{"id":2,"type":"users"}]}"#;
const WARM_UP_SECS: u64 = 1;
/// How long a server may take to accept connections after being started.
const START_TIMEOUT: Duration = Duration::from_secs(15);

const USAGE: &str =
    "usage: cargo xtask bench-server [--duration SECS] [--connections N] [--threads N] [--rounds N] [--response-checks]";
const HELP: &str = "Builds desk-example (the generated server + example service, and the hand-written `baseline`)
in release, starts both on 127.0.0.1 and measures list and create with wrk, interleaved
(generated, baseline, generated, baseline, ...). Prints req/s (best, mean), latency (avg, p50,
p99) and the ratio generated / baseline against the 90 % goal.
  --duration SECS     seconds per wrk run (default 5)
  --connections N     wrk connections (default 32)
  --threads N         wrk threads (default 2)
  --rounds N          runs per server and endpoint (default 2)
  --response-checks   also measure the generated server with response checks on (`checked`)
Needs wrk on PATH (Debian/Ubuntu: apt-get install -y wrk).";

struct Options {
    duration: u64,
    connections: u32,
    threads: u32,
    rounds: usize,
    response_checks: bool,
}

/// Why the benchmark stopped, and the exit code that says so.
struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    /// Could not start measuring.
    fn setup(message: impl Into<String>) -> Self {
        Failure { message: message.into(), code: 2 }
    }

    /// A measurement went wrong.
    fn run(message: impl Into<String>) -> Self {
        Failure { message: message.into(), code: 1 }
    }
}

/// Runs `cargo xtask bench-server`; see the module docs.
pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|arg| arg == "-h" || arg == "--help") {
        println!("{USAGE}\n\n{HELP}");
        return ExitCode::SUCCESS;
    }
    let options = match parse(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match bench(&options) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options { duration: 5, connections: 32, threads: 2, rounds: 2, response_checks: false };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let flag = arg.as_str();
        if flag == "--response-checks" {
            options.response_checks = true;
            continue;
        }
        let mut positive = |max: u64| -> Result<u64, String> {
            let text = iter.next().ok_or_else(|| format!("{flag} needs a value"))?;
            match text.parse::<u64>() {
                Ok(value) if (1..=max).contains(&value) => Ok(value),
                _ => Err(format!("{flag} `{text}`: expected a number from 1 to {max}")),
            }
        };
        match flag {
            "--duration" => options.duration = positive(600)?,
            "--connections" => options.connections = positive(10_000)? as u32,
            "--threads" => options.threads = positive(256)? as u32,
            "--rounds" => options.rounds = positive(100)? as usize,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if options.connections < options.threads {
        return Err("--connections must be at least --threads (wrk needs a connection per thread)".into());
    }
    Ok(options)
}

/// `CARGO_TARGET_DIR` when set (relative to the repository root), else `target/`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Whether an executable named `name` is in a `PATH` directory.
fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
}

fn bench(options: &Options) -> Result<ExitCode, Failure> {
    let root = crate::project_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let target = target_dir(&root);
    let work = target.join("bench-server");

    if !on_path("wrk") {
        return Err(Failure::setup(
            "wrk is not on PATH; install it (Debian/Ubuntu: `apt-get install -y wrk`, macOS: `brew install wrk`) and run again",
        ));
    }

    eprintln!("building: {cargo} build --release -p desk-example --bins");
    match Command::new(&cargo).args(["build", "--release", "-p", "desk-example", "--bins"]).current_dir(&root).status() {
        Ok(status) if status.success() => {}
        Ok(status) => return Err(Failure::setup(format!("cargo build --release -p desk-example --bins failed ({status})"))),
        Err(err) => return Err(Failure::setup(format!("cannot run {cargo}: {err}"))),
    }
    fs::create_dir_all(&work).map_err(|err| Failure::setup(format!("cannot create {}: {err}", work.display())))?;
    let script = work.join("create.lua");
    fs::write(&script, create_script()).map_err(|err| Failure::setup(format!("cannot write {}: {err}", script.display())))?;

    let release = target.join("release");
    let exe = |name: &str| release.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    // Dropping a `Server` kills its process, so both are stopped on every way out of here.
    let mut servers = vec![
        Server::new("generated", exe("desk-example"), work.join("generated.log")),
        Server::new("baseline", exe("baseline"), work.join("baseline.log")),
    ];
    if options.response_checks {
        let mut checked = Server::new("checked", exe("desk-example"), work.join("checked.log"));
        checked.args = &["--response-checks", "reject"];
        servers.push(checked);
    }
    for server in &mut servers {
        server.start()?;
    }
    let wrk = Wrk { options, script: &script };

    println!(
        "wrk: {} threads, {} connections, {} s per run, {} rounds per server and endpoint, loopback",
        options.threads, options.connections, options.duration, options.rounds
    );

    // List first: it never writes, so both servers keep the 2 seeded conversations throughout.
    let list_path = format!("{PATH}{LIST_QUERY}");
    let mut differences = Vec::new();
    differences.extend(check_same_answer(&servers, "GET", &list_path, None)?);
    for server in &servers {
        wrk.run(&server.url(&list_path), false, WARM_UP_SECS)?;
    }
    let mut list: Vec<Vec<WrkResult>> = servers.iter().map(|_| Vec::new()).collect();
    for round in 1..=options.rounds {
        for (index, server) in servers.iter().enumerate() {
            let result = wrk.run(&server.url(&list_path), false, options.duration)?;
            print_run("list", server.name, round, &result);
            list[index].push(result);
        }
    }

    // Create: each server is restarted right before each of its runs, so every run starts from
    // the same seeded store. The check request below only touches stores that are restarted.
    differences.extend(check_same_answer(&servers, "POST", PATH, Some(CREATE_BODY))?);
    let mut create: Vec<Vec<WrkResult>> = servers.iter().map(|_| Vec::new()).collect();
    for round in 1..=options.rounds {
        for (index, server) in servers.iter_mut().enumerate() {
            server.restart()?;
            let result = wrk.run(&server.url(PATH), true, options.duration)?;
            print_run("create", server.name, round, &result);
            create[index].push(result);
        }
    }
    for server in &mut servers {
        server.stop();
    }

    let checked = |runs: &[Vec<WrkResult>]| runs.get(2).map(|runs| summarize(runs));
    let rows = [
        Row { endpoint: "list", generated: summarize(&list[0]), baseline: summarize(&list[1]), checked: checked(&list) },
        Row {
            endpoint: "create",
            generated: summarize(&create[0]),
            baseline: summarize(&create[1]),
            checked: checked(&create),
        },
    ];
    print_table(&rows, options);

    let non_2xx: u64 = list.iter().chain(create.iter()).flatten().map(|r| r.non_2xx).sum();
    if !differences.is_empty() {
        for difference in &differences {
            eprintln!("error: {difference}");
        }
        eprintln!("error: the two servers do not do the same work; the ratios above are not comparable");
        return Ok(ExitCode::from(1));
    }
    if non_2xx > 0 {
        eprintln!("error: {non_2xx} non-2xx responses during the runs; the figures above are not comparable (see the server logs in {})", work.display());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The wrk script for create: method, body and content type (the key comes with `-H`).
fn create_script() -> String {
    format!(
        "-- Written by `cargo xtask bench-server`: the createConversation example of spec/desk-v2.yaml.\n\
         wrk.method = \"POST\"\n\
         wrk.body = [[{CREATE_BODY}]]\n\
         wrk.headers[\"Content-Type\"] = \"application/json\"\n"
    )
}

// ---------------------------------------------------------------------------------------------
// Servers.

/// A server process under test, killed when dropped.
struct Server {
    name: &'static str,
    binary: PathBuf,
    /// Extra arguments of the server.
    args: &'static [&'static str],
    log: PathBuf,
    addr: SocketAddr,
    child: Option<Child>,
}

impl Server {
    fn new(name: &'static str, binary: PathBuf, log: PathBuf) -> Self {
        Server { name, binary, args: &[], log, addr: SocketAddr::from(([127, 0, 0, 1], 0)), child: None }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Starts the server on a free loopback port and waits until it accepts connections.
    fn start(&mut self) -> Result<(), Failure> {
        self.stop();
        if !self.binary.is_file() {
            return Err(Failure::setup(format!("{} was not built", self.binary.display())));
        }
        self.addr = free_port().map_err(|err| Failure::run(format!("no free loopback port: {err}")))?;
        let log = File::options()
            .create(true)
            .append(true)
            .open(&self.log)
            .map_err(|err| Failure::run(format!("cannot open {}: {err}", self.log.display())))?;
        let child = Command::new(&self.binary)
            .args(["--addr", &self.addr.to_string(), "--api-key", API_KEY])
            .args(self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|err| Failure::run(format!("cannot start {}: {err}", self.binary.display())))?;
        self.child = Some(child);
        let started = Instant::now();
        loop {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                self.child = None;
                return Err(Failure::run(format!(
                    "the {} server exited during start-up ({status}); see {}",
                    self.name,
                    self.log.display()
                )));
            }
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                self.stop();
                return Err(Failure::run(format!(
                    "the {} server did not accept connections on {} within {} s; see {}",
                    self.name,
                    self.addr,
                    START_TIMEOUT.as_secs(),
                    self.log.display()
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn restart(&mut self) -> Result<(), Failure> {
        self.stop();
        self.start()
    }

    /// Kills the process (by its id) and reaps it.
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A loopback address with a port the OS just handed out (released again for the server).
fn free_port() -> std::io::Result<SocketAddr> {
    TcpListener::bind(("127.0.0.1", 0))?.local_addr()
}

/// One HTTP/1.1 request with the bearer key; returns the status and the body.
fn request(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> std::io::Result<(u16, Vec<u8>)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {API_KEY}\r\nConnection: close\r\n");
    if let Some(body) = body {
        head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    head.push_str(body.unwrap_or_default());
    stream.write_all(head.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let invalid = || std::io::Error::new(std::io::ErrorKind::InvalidData, "not an HTTP response");
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(invalid)?;
    let status_line = String::from_utf8_lossy(&response[..split]).lines().next().unwrap_or_default().to_string();
    let status = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(invalid)?;
    Ok((status, response[split + 4..].to_vec()))
}

/// Sends one request to each server: both must answer 2xx. Returns a note when the answers
/// differ beyond their timestamps (the servers are fresh, so ids and tokens match), which means
/// the baseline no longer does the same work as the example service.
fn check_same_answer(servers: &[Server], method: &str, path: &str, body: Option<&str>) -> Result<Option<String>, Failure> {
    let mut answers = Vec::new();
    for server in servers {
        let (status, answer) = request(server.addr, method, path, body)
            .map_err(|err| Failure::run(format!("{method} {path} on the {} server: {err}", server.name)))?;
        if !(200..300).contains(&status) {
            return Err(Failure::run(format!(
                "{method} {path} on the {} server answered {status}: {}",
                server.name,
                String::from_utf8_lossy(&answer)
            )));
        }
        eprintln!("check {method} {path}: {} answered {status}, {} B", server.name, answer.len());
        answers.push((server.name, status, mask_timestamps(&answer)));
    }
    let differs = answers.windows(2).any(|pair| (pair[0].1, &pair[0].2) != (pair[1].1, &pair[1].2));
    Ok(differs.then(|| {
        let shown: Vec<String> = answers
            .iter()
            .map(|(name, status, body)| format!("{name} {status} {}", String::from_utf8_lossy(body)))
            .collect();
        format!(
            "{method} {path}: the answers differ beyond timestamps; update crates/desk-example/src/bin/baseline.rs \
             to do what the example service does\n  {}",
            shown.join("\n  ")
        )
    }))
}

/// Replaces every JSON string that starts like an RFC 3339 date-time (`"2024-12-19T...`) by `"T"`.
fn mask_timestamps(body: &[u8]) -> Vec<u8> {
    let looks_like_date = |rest: &[u8]| {
        rest.len() >= 11
            && rest[..10].iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() })
            && rest[10] == b'T'
    };
    let mut masked = Vec::with_capacity(body.len());
    let mut index = 0;
    while index < body.len() {
        if body[index] == b'"' && looks_like_date(&body[index + 1..]) {
            let close = body[index + 1..].iter().position(|b| *b == b'"').map_or(body.len(), |at| index + 1 + at);
            masked.extend_from_slice(b"\"T\"");
            index = close + 1;
        } else {
            masked.push(body[index]);
            index += 1;
        }
    }
    masked
}

// ---------------------------------------------------------------------------------------------
// wrk.

struct Wrk<'a> {
    options: &'a Options,
    script: &'a Path,
}

/// The figures of one wrk run.
#[derive(Debug, Clone, Default, PartialEq)]
struct WrkResult {
    requests_per_sec: f64,
    /// Latencies in microseconds.
    latency_avg: f64,
    latency_p50: f64,
    latency_p99: f64,
    requests: u64,
    bytes: f64,
    non_2xx: u64,
    socket_errors: u64,
}

impl Wrk<'_> {
    fn run(&self, url: &str, create: bool, secs: u64) -> Result<WrkResult, Failure> {
        let mut command = Command::new("wrk");
        command
            .args(["-t", &self.options.threads.to_string()])
            .args(["-c", &self.options.connections.to_string()])
            .args(["-d", &format!("{secs}s")])
            .arg("--latency")
            .args(["-H", &format!("Authorization: Bearer {API_KEY}")]);
        if create {
            command.arg("-s").arg(self.script);
        }
        command.arg(url);
        let output = command.output().map_err(|err| Failure::run(format!("cannot run wrk: {err}")))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            return Err(Failure::run(format!(
                "wrk {url} failed ({}): {}{}",
                output.status,
                stdout,
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        parse_wrk(&stdout).map_err(|message| Failure::run(format!("wrk {url}: {message}\n{stdout}")))
    }
}

/// Reads wrk's `--latency` report.
fn parse_wrk(text: &str) -> Result<WrkResult, String> {
    let mut result = WrkResult::default();
    let (mut rps, mut avg, mut p50, mut p99, mut requests) = (false, false, false, false, false);
    for line in text.lines().map(str::trim) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            ["Requests/sec:", value] => {
                result.requests_per_sec = value.parse().map_err(|_| format!("bad Requests/sec `{value}`"))?;
                rps = true;
            }
            // `Latency   405.17us  210.45us   5.47ms   83.14%` (not `Latency Distribution`).
            ["Latency", value, _, _, _] => {
                result.latency_avg = micros(value)?;
                avg = true;
            }
            ["50%", value] => {
                result.latency_p50 = micros(value)?;
                p50 = true;
            }
            ["99%", value] => {
                result.latency_p99 = micros(value)?;
                p99 = true;
            }
            [count, "requests", "in", _, bytes, "read"] => {
                result.requests = count.parse().map_err(|_| format!("bad request count `{count}`"))?;
                result.bytes = byte_count(bytes)?;
                requests = true;
            }
            ["Non-2xx", "or", "3xx", "responses:", count] => {
                result.non_2xx = count.parse().map_err(|_| format!("bad non-2xx count `{count}`"))?;
            }
            ["Socket", "errors:", ..] => {
                result.socket_errors = line
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse::<u64>().ok())
                    .sum();
            }
            _ => {}
        }
    }
    if rps && avg && p50 && p99 && requests {
        Ok(result)
    } else {
        Err("could not read Requests/sec, the latency average, 50%, 99% and the request count".to_string())
    }
}

/// Splits `12.5ms` into `12.5` and `ms`.
fn number_and_unit(text: &str) -> Result<(f64, &str), String> {
    let split = text.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(text.len());
    let number = text[..split].parse::<f64>().map_err(|_| format!("bad figure `{text}`"))?;
    Ok((number, &text[split..]))
}

/// A wrk time (`us`, `ms`, `s`, `m`, `h`) in microseconds.
fn micros(text: &str) -> Result<f64, String> {
    let (number, unit) = number_and_unit(text)?;
    let factor = match unit {
        "ns" => 0.001,
        "us" => 1.0,
        "ms" => 1_000.0,
        "s" => 1_000_000.0,
        "m" => 60_000_000.0,
        "h" => 3_600_000_000.0,
        _ => return Err(format!("unknown time unit in `{text}`")),
    };
    Ok(number * factor)
}

/// A wrk byte count (`B`, `KB`, `MB`, ..., powers of 1024) in bytes.
fn byte_count(text: &str) -> Result<f64, String> {
    let (number, unit) = number_and_unit(text)?;
    let power = match unit {
        "B" | "" => 0,
        "KB" => 1,
        "MB" => 2,
        "GB" => 3,
        "TB" => 4,
        _ => return Err(format!("unknown size unit in `{text}`")),
    };
    Ok(number * 1024f64.powi(power))
}

// ---------------------------------------------------------------------------------------------
// Report.

/// Several runs of one endpoint on one server.
#[derive(Debug, Clone, Default)]
struct Summary {
    best_rps: f64,
    mean_rps: f64,
    latency_avg: f64,
    latency_p50: f64,
    latency_p99: f64,
    bytes_per_response: f64,
    non_2xx: u64,
    socket_errors: u64,
}

fn summarize(runs: &[WrkResult]) -> Summary {
    let mean = |value: fn(&WrkResult) -> f64| runs.iter().map(value).sum::<f64>() / runs.len().max(1) as f64;
    let requests: u64 = runs.iter().map(|r| r.requests).sum();
    let bytes: f64 = runs.iter().map(|r| r.bytes).sum();
    Summary {
        best_rps: runs.iter().map(|r| r.requests_per_sec).fold(0.0, f64::max),
        mean_rps: mean(|r| r.requests_per_sec),
        latency_avg: mean(|r| r.latency_avg),
        latency_p50: mean(|r| r.latency_p50),
        latency_p99: mean(|r| r.latency_p99),
        // wrk counts header bytes too; this is per response, headers included.
        bytes_per_response: if requests > 0 { bytes / requests as f64 } else { 0.0 },
        non_2xx: runs.iter().map(|r| r.non_2xx).sum(),
        socket_errors: runs.iter().map(|r| r.socket_errors).sum(),
    }
}

struct Row {
    endpoint: &'static str,
    generated: Summary,
    baseline: Summary,
    /// The generated server with response checks on (`--response-checks`).
    checked: Option<Summary>,
}

fn fmt_latency(micros: f64) -> String {
    if micros >= 1_000.0 {
        format!("{:.2} ms", micros / 1_000.0)
    } else {
        format!("{micros:.0} us")
    }
}

fn print_run(endpoint: &str, server: &str, round: usize, result: &WrkResult) {
    eprintln!(
        "{endpoint:<6} {server:<9} round {round}: {:>9.0} req/s, avg {}, p50 {}, p99 {}, {} requests, non-2xx {}, socket errors {}",
        result.requests_per_sec,
        fmt_latency(result.latency_avg),
        fmt_latency(result.latency_p50),
        fmt_latency(result.latency_p99),
        result.requests,
        result.non_2xx,
        result.socket_errors
    );
}

fn print_table(rows: &[Row], options: &Options) {
    println!();
    println!(
        "{:<8} {:<10} {:>11} {:>11} {:>10} {:>10} {:>10} {:>8} {:>8}",
        "endpoint", "server", "req/s best", "req/s mean", "avg lat", "p50", "p99", "B/resp", "non-2xx"
    );
    for row in rows {
        let checked = row.checked.as_ref().map(|summary| ("checked", summary));
        for (name, summary) in [("generated", &row.generated), ("baseline", &row.baseline)].into_iter().chain(checked) {
            println!(
                "{:<8} {:<10} {:>11.0} {:>11.0} {:>10} {:>10} {:>10} {:>8.0} {:>8}",
                row.endpoint,
                name,
                summary.best_rps,
                summary.mean_rps,
                fmt_latency(summary.latency_avg),
                fmt_latency(summary.latency_p50),
                fmt_latency(summary.latency_p99),
                summary.bytes_per_response,
                summary.non_2xx
            );
        }
    }
    println!();
    println!("generated / baseline throughput (goal >= {:.0} %, judged on the mean):", GOAL_RATIO * 100.0);
    for row in rows {
        let ratio = |generated: f64, baseline: f64| if baseline > 0.0 { generated / baseline } else { 0.0 };
        let mean = ratio(row.generated.mean_rps, row.baseline.mean_rps);
        let best = ratio(row.generated.best_rps, row.baseline.best_rps);
        let valid = row.generated.non_2xx == 0 && row.baseline.non_2xx == 0;
        let verdict = match (valid, mean >= GOAL_RATIO) {
            (false, _) => "INVALID (non-2xx responses)",
            (true, true) => "PASS",
            (true, false) => "FAIL",
        };
        println!("  {:<8} mean {:>6.1} %   best {:>6.1} %   {verdict}", row.endpoint, mean * 100.0, best * 100.0);
    }
    if rows.iter().any(|row| row.checked.is_some()) {
        println!();
        println!("response checks (`checked`: --response-checks reject) / generated without them:");
        for row in rows {
            let Some(checked) = &row.checked else { continue };
            let ratio = |with: f64, without: f64| if without > 0.0 { with / without } else { 0.0 };
            println!(
                "  {:<8} mean {:>6.1} %   best {:>6.1} %",
                row.endpoint,
                ratio(checked.mean_rps, row.generated.mean_rps) * 100.0,
                ratio(checked.best_rps, row.generated.best_rps) * 100.0
            );
        }
    }
    let socket_errors: u64 = rows
        .iter()
        .map(|r| r.generated.socket_errors + r.baseline.socket_errors + r.checked.as_ref().map_or(0, |c| c.socket_errors))
        .sum();
    println!();
    println!(
        "{} rounds of {} s per server and endpoint, interleaved; wrk -t{} -c{} --latency on 127.0.0.1; latencies are means over the rounds",
        options.rounds, options.duration, options.threads, options.connections
    );
    println!("list: GET {PATH}{LIST_QUERY}, run first, stores unchanged (2 seeded conversations)");
    println!("create: POST {PATH} (spec example body), each run on a freshly restarted server");
    if socket_errors > 0 {
        println!("note: wrk reported {socket_errors} socket errors (connect/read/write/timeout) over all runs");
    }
    println!(
        "note: wrk and the server under test share this machine's {} CPU(s); the idle server sleeps",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 5s test @ http://127.0.0.1:8080/desk/api/v2/conversations.json
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   405.17us  210.45us   5.47ms   83.14%
    Req/Sec    39.96k     2.11k   44.51k    71.00%
  Latency Distribution
     50%  373.00us
     75%  478.00us
     90%  619.00us
     99%    1.16ms
  397640 requests in 5.00s, 315.63MB read
  Non-2xx or 3xx responses: 12
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:  79500.21
Transfer/sec:     63.10MB
";

    #[test]
    fn reads_a_wrk_report() {
        let result = parse_wrk(REPORT).expect("parses");
        assert_eq!(result.requests_per_sec, 79500.21);
        assert!((result.latency_avg - 405.17).abs() < 1e-9);
        assert!((result.latency_p50 - 373.0).abs() < 1e-9);
        assert!((result.latency_p99 - 1160.0).abs() < 1e-9);
        assert_eq!(result.requests, 397_640);
        assert!((result.bytes - 315.63 * 1024.0 * 1024.0).abs() < 1.0);
        assert_eq!(result.non_2xx, 12);
        assert_eq!(result.socket_errors, 3);
    }

    #[test]
    fn masks_timestamps() {
        let body = br#"{"createdAt":"2026-11-26T02:26:14.035Z","id":7,"at":"2026-11-26T02:26:14Z","name":"2026"}"#;
        assert_eq!(mask_timestamps(body), br#"{"createdAt":"T","id":7,"at":"T","name":"2026"}"#.to_vec());
    }

    #[test]
    fn refuses_a_truncated_report() {
        assert!(parse_wrk("Running 5s test @ http://127.0.0.1:1/\n").is_err());
    }

    #[test]
    fn parses_options() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let options = parse(&args(&["--duration", "3", "--connections", "8", "--threads", "1", "--rounds", "3"])).expect("valid");
        assert_eq!((options.duration, options.connections, options.threads, options.rounds), (3, 8, 1, 3));
        assert!(!options.response_checks);
        assert!(parse(&args(&["--response-checks"])).expect("valid").response_checks);
        assert!(parse(&args(&["--duration", "0"])).is_err());
        assert!(parse(&args(&["--threads", "4", "--connections", "2"])).is_err());
        assert!(parse(&args(&["--bogus"])).is_err());
    }
}
