//! Client overhead: requests per second and latency of the generated client (`desk-client`) next
//! to a hand-written reqwest call doing the same request, against the example server running in
//! this process on loopback.
//!
//! `cargo run --release -p desk-example --example client_bench -- [--seconds N] [--concurrency C] [--rounds R] [--warmup W]`
//!
//! * Operations: `list_conversations` (`GET` with `pageSize=20&orderBy=id&orderMode=asc&includes=users`,
//!   a full page of 20 conversations plus the side-loaded user) and `create_conversation` (`POST`
//!   with a JSON conversation body, answered 201 with the stored conversation).
//! * Variants: the generated client with request validation off (`generated`) and on
//!   (`generated+validation`), with response checks on (`generated+checks`,
//!   `ClientBuilder::check_responses`), and a hand-written reqwest call (`hand-written`) sending the same
//!   URL, query, headers and body bytes, checking the status and deserializing the response into
//!   the same `desk_types` type. Every variant gets its own `reqwest::Client`, all built by
//!   [`http_client`]; the generated clients receive theirs with `ClientBuilder::http_client`.
//!   Before measuring, one request of each variant is captured on a raw socket and the bytes are
//!   compared: the requests must be byte-for-byte identical.
//! * Store growth: creating conversations grows the store and listing scans it, so every list run
//!   uses one server whose store is fixed (the 2 seeded conversations plus 18 created at setup:
//!   exactly one full page; listing does not change it) and all list runs come before any create run; every create run
//!   (its warm-up included) gets its own fresh server.
//! * Runs: `R` rounds (default 3); each round runs every variant once, the order rotating from
//!   round to round (generated, hand-written, generated+validation, generated+checks, then
//!   hand-written, generated+validation, generated+checks, generated, ...). A run is a fresh `reqwest::Client`, a warm-up of `W`
//!   seconds (default 1, not measured) and then `N` seconds (default 3) of `C` tasks (default 16)
//!   each sending requests one after the other. Requests started before the deadline are
//!   counted; req/s is successful requests over the time until the last one finished.
//! * Every response must be the documented success (200 / 201 with a body of the documented
//!   type and the expected content); any failure, in a warm-up or a measured run, makes the
//!   result invalid and the exit status 1. A watchdog ends the program if it overruns its budget.
//!
//! Server and client share one tokio multi-thread runtime (one worker per core), so the figures
//! include the server's work on the same cores: they compare the variants, they are not absolute
//! client throughput.

use desk_client::{Client, CreateConversationResponse, ListConversationsParams, ListConversationsResponse};
use desk_types::{
    Conversation, ConversationApiBody, ConversationInclude, ConversationOrderBy, ConversationsApiBody, CustomerContact,
    OrderMode, Relationship, State,
};
use std::io::{Read, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

const USAGE: &str =
    "usage: client_bench [--seconds N] [--concurrency C] [--rounds R] [--warmup W]   (defaults: 3, 16, 3, 1)";
const KEY: &str = "bench-key";
const PATH: &str = "/desk/api/v2/conversations.json";
/// The page size asked for; the list store holds exactly this many conversations.
const PAGE_SIZE: usize = 20;
/// Conversations created before the list runs: with the 2 the server seeds, exactly a full page.
/// (The example server converts its whole store for every list request, so a larger store only
/// adds server work, which dilutes the client's share of the figures.)
const LIST_STORE: usize = 18;
/// The hand-written call's query: the parameters the generated client sends, in its order.
const QUERY: [(&str, &str); 4] = [("pageSize", "20"), ("orderBy", "id"), ("orderMode", "asc"), ("includes", "users")];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    List,
    Create,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::List => "list_conversations",
            Op::Create => "create_conversation",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    Generated,
    Validated,
    HandWritten,
    Checked,
}

/// The variants in the order of the first round; later rounds rotate it.
const VARIANTS: [Variant; 4] = [Variant::Generated, Variant::HandWritten, Variant::Validated, Variant::Checked];

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Generated => "generated",
            Variant::Validated => "generated+validation",
            Variant::HandWritten => "hand-written",
            Variant::Checked => "generated+checks",
        }
    }

    fn index(self) -> usize {
        match self {
            Variant::Generated => 0,
            Variant::Validated => 1,
            Variant::HandWritten => 2,
            Variant::Checked => 3,
        }
    }
}

/// The one way every `reqwest::Client` of the benchmark is built, for every variant.
fn http_client() -> reqwest::Client {
    reqwest::Client::builder().build().expect("reqwest client")
}

/// The body of every create request.
fn body() -> Conversation {
    Conversation {
        ticket_id: Some(88231),
        socket_id: Some("123456.7891011".into()),
        contact_id: Some(4242),
        contact: Some(CustomerContact {
            is_main: Some(true),
            type_: Some("email".into()),
            value: Some("jane.doe@example.com".into()),
            state: Some(State::Active),
            ..CustomerContact::default()
        }),
        state: Some(State::Active),
        users: Some(vec![Relationship { delete: None, id: 1, meta: None, type_: "users".into() }]),
        ..Conversation::default()
    }
}

/// The generated client's parameters, matching [`QUERY`].
fn list_params() -> ListConversationsParams {
    ListConversationsParams {
        page_size: Some(PAGE_SIZE as i32),
        order_by: Some(ConversationOrderBy::Id),
        order_mode: Some(OrderMode::Asc),
        includes: Some(vec![ConversationInclude::Users]),
        ..ListConversationsParams::default()
    }
}

/// The same content check for every variant: a full page with the side-loaded user.
fn check_page(page: &ConversationsApiBody) -> Result<(), String> {
    let users = page.included.as_ref().and_then(|included| included.users.as_ref()).map_or(0, Vec::len);
    if page.conversations.len() == PAGE_SIZE && users == 1 {
        Ok(())
    } else {
        Err(format!("page with {} conversations and {users} included users", page.conversations.len()))
    }
}

/// The same content check for every variant: the stored conversation, with its new id.
fn check_created(created: &ConversationApiBody, sent: &Conversation) -> Result<(), String> {
    let conversation = &created.conversation;
    if conversation.id.is_some() && conversation.token.is_some() && conversation.ticket_id == sent.ticket_id {
        Ok(())
    } else {
        Err(format!("unexpected created conversation: {conversation:?}"))
    }
}

fn short(text: String) -> String {
    const MAX: usize = 300;
    if text.len() <= MAX {
        return text;
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// What one variant needs to send requests: the client, and the request values, built once.
struct Caller {
    sender: Sender,
    params: ListConversationsParams,
    body: Conversation,
}

enum Sender {
    Generated(Client),
    HandWritten { http: reqwest::Client, base: String },
}

impl Caller {
    fn new(variant: Variant, base: &str) -> Caller {
        let http = http_client();
        let sender = match variant {
            Variant::HandWritten => Sender::HandWritten { http, base: base.to_string() },
            Variant::Generated | Variant::Validated | Variant::Checked => Sender::Generated(
                Client::builder(base)
                    .bearer_token(KEY)
                    .http_client(http)
                    .validate_requests(variant == Variant::Validated)
                    .check_responses(variant == Variant::Checked)
                    .build()
                    .expect("generated client"),
            ),
        };
        Caller { sender, params: list_params(), body: body() }
    }

    /// One request; `Ok` only for the documented success with the expected content.
    async fn call(&self, op: Op) -> Result<(), String> {
        let Caller { sender, params, body } = self;
        match (sender, op) {
            (Sender::Generated(client), Op::List) => match client.list_conversations(params).await {
                Ok(ListConversationsResponse::Ok(page)) => check_page(&page),
                Ok(other) => Err(short(format!("not the documented 200: {other:?}"))),
                Err(err) => Err(short(err.to_string())),
            },
            (Sender::Generated(client), Op::Create) => match client.create_conversation(body).await {
                Ok(CreateConversationResponse::Created(created)) => check_created(&created, body),
                Ok(other) => Err(short(format!("not the documented 201: {other:?}"))),
                Err(err) => Err(short(err.to_string())),
            },
            (Sender::HandWritten { http, base }, Op::List) => {
                let response = http
                    .get(format!("{base}{PATH}"))
                    .bearer_auth(KEY)
                    .query(&QUERY)
                    .send()
                    .await
                    .map_err(|err| err.to_string())?;
                if response.status() != reqwest::StatusCode::OK {
                    return Err(format!("status {}", response.status()));
                }
                let page: ConversationsApiBody = response.json().await.map_err(|err| err.to_string())?;
                check_page(&page)
            }
            (Sender::HandWritten { http, base }, Op::Create) => {
                let response = http
                    .post(format!("{base}{PATH}"))
                    .bearer_auth(KEY)
                    .json(body)
                    .send()
                    .await
                    .map_err(|err| err.to_string())?;
                if response.status() != reqwest::StatusCode::CREATED {
                    return Err(format!("status {}", response.status()));
                }
                let created: ConversationApiBody = response.json().await.map_err(|err| err.to_string())?;
                check_created(&created, body)
            }
        }
    }
}

/// The example server on an ephemeral loopback port, on the current runtime.
struct Server {
    base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn start() -> Server {
        use axum::serve::ListenerExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().expect("local address");
        // Like the client side (reqwest's default), no Nagle delays on the server's sockets.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let app = desk_server::router(desk_example::DeskExample::new(KEY));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Server { base: format!("http://{addr}"), task }
    }

    /// Stops accepting; open connections end when their clients (dropped before this) close them.
    fn stop(self) {
        self.task.abort();
    }
}

/// The outcome of driving one variant for a while.
#[derive(Default)]
struct Sample {
    ok: u64,
    failures: u64,
    first_failure: Option<String>,
    latencies_ns: Vec<u64>,
    elapsed: Duration,
}

/// `concurrency` tasks sending requests one after the other until `duration` has passed.
async fn drive(caller: &Arc<Caller>, op: Op, concurrency: usize, duration: Duration) -> Sample {
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let caller = Arc::clone(caller);
        tasks.spawn(async move {
            let mut sample = Sample { latencies_ns: Vec::with_capacity(1 << 14), ..Sample::default() };
            while Instant::now() < deadline {
                let sent = Instant::now();
                let outcome = caller.call(op).await;
                sample.latencies_ns.push(sent.elapsed().as_nanos() as u64);
                match outcome {
                    Ok(()) => sample.ok += 1,
                    Err(err) => {
                        sample.failures += 1;
                        sample.first_failure.get_or_insert(err);
                    }
                }
            }
            sample
        });
    }
    let mut total = Sample::default();
    while let Some(joined) = tasks.join_next().await {
        let sample = joined.unwrap_or_else(|err| Sample {
            failures: 1,
            first_failure: Some(format!("benchmark task failed: {err}")),
            ..Sample::default()
        });
        total.ok += sample.ok;
        total.failures += sample.failures;
        if total.first_failure.is_none() {
            total.first_failure = sample.first_failure;
        }
        total.latencies_ns.extend(sample.latencies_ns);
    }
    total.elapsed = start.elapsed();
    total
}

/// All measured runs of one operation and variant.
#[derive(Default)]
struct Stats {
    rates: Vec<f64>,
    latencies_ns: Vec<u64>,
    requests: u64,
    failures: u64,
    first_failure: Option<String>,
}

impl Stats {
    fn fail(&mut self, failures: u64, first: Option<String>) {
        self.failures += failures;
        if self.first_failure.is_none() {
            self.first_failure = first;
        }
    }

    fn mean_rate(&self) -> f64 {
        self.rates.iter().sum::<f64>() / self.rates.len().max(1) as f64
    }

    fn best_rate(&self) -> f64 {
        self.rates.iter().copied().fold(0.0, f64::max)
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn micros(ns: u64) -> String {
    format!("{:.0}", ns as f64 / 1000.0)
}

/// One warm-up and one measured run of `variant` against `base`, with a fresh `reqwest::Client`.
async fn run(stats: &mut Stats, variant: Variant, op: Op, base: &str, args: &Args, round: usize) {
    let caller = Arc::new(Caller::new(variant, base));
    let warm = drive(&caller, op, args.concurrency, args.warmup).await;
    stats.fail(warm.failures, warm.first_failure.map(|f| format!("warm-up: {f}")));
    let mut sample = drive(&caller, op, args.concurrency, args.seconds).await;
    let rate = sample.ok as f64 / sample.elapsed.as_secs_f64();
    sample.latencies_ns.sort_unstable();
    eprintln!(
        "  round {} {:<21} {:>9.0} req/s  p50 {:>6} us  p99 {:>6} us  ({} requests in {:.2} s, {} failed)",
        round + 1,
        variant.name(),
        rate,
        micros(percentile(&sample.latencies_ns, 0.50)),
        micros(percentile(&sample.latencies_ns, 0.99)),
        sample.ok + sample.failures,
        sample.elapsed.as_secs_f64(),
        sample.failures + warm.failures,
    );
    stats.rates.push(rate);
    stats.requests += sample.ok + sample.failures;
    stats.fail(sample.failures, sample.first_failure);
    stats.latencies_ns.extend(sample.latencies_ns);
}

/// Reads one HTTP/1.1 request (head and `content-length` body) from a socket.
fn read_request(stream: &mut std::net::TcpStream) -> Vec<u8> {
    let mut request = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if request.len() >= end + 4 + length {
                request.truncate(end + 4 + length);
                return request;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return request,
            Ok(n) => request.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Sends one request of every variant for `op` to a raw socket and returns the bytes each sent,
/// in [`Variant::index`] order. The socket answers 503, which every variant reports as an error.
async fn capture(op: Op) -> Vec<Vec<u8>> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("local address"));
    let (sender, received) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        for stream in listener.incoming().take(VARIANTS.len()) {
            let Ok(mut stream) = stream else { return };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let request = read_request(&mut stream);
            let _ =
                stream.write_all(b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            if sender.send(request).is_err() {
                return;
            }
        }
    });
    let mut captured = vec![Vec::new(); VARIANTS.len()];
    for variant in VARIANTS {
        let caller = Caller::new(variant, &base);
        let outcome = caller.call(op).await;
        debug_assert!(outcome.is_err(), "the capture socket answers 503");
        captured[variant.index()] = received.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
    }
    let _ = thread.join();
    captured
}

/// Checks that every variant sends the same bytes for `op`; prints the request.
async fn parity(op: Op) -> bool {
    let captured = capture(op).await;
    let hand = &captured[Variant::HandWritten.index()];
    let mut same = !hand.is_empty();
    for variant in [Variant::Generated, Variant::Validated, Variant::Checked] {
        let sent = &captured[variant.index()];
        if sent != hand {
            same = false;
            eprintln!(
                "error: {} {} sends a different request than hand-written:\n--- {}\n{}\n--- hand-written\n{}",
                op.name(),
                variant.name(),
                variant.name(),
                String::from_utf8_lossy(sent),
                String::from_utf8_lossy(hand)
            );
        }
    }
    if same {
        let text = String::from_utf8_lossy(hand);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        println!("{}: all variants send the same {} bytes:", op.name(), hand.len());
        for line in head.lines() {
            println!("    {line}");
        }
        if !body.is_empty() {
            println!("    (body, {} bytes) {body}", body.len());
        }
    }
    same
}

struct Args {
    seconds: Duration,
    concurrency: usize,
    rounds: usize,
    warmup: Duration,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { seconds: Duration::from_secs(3), concurrency: 16, rounds: 3, warmup: Duration::from_secs(1) };
    let mut argv = std::env::args().skip(1);
    while let Some(flag) = argv.next() {
        let value = argv.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let seconds = |min: f64| {
            value
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s >= min && *s <= 3600.0)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| format!("{flag} {value}: not a number of seconds in [{min}, 3600]"))
        };
        let count = |min: usize, max: usize| {
            value
                .parse::<usize>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| format!("{flag} {value}: not a whole number in [{min}, {max}]"))
        };
        match flag.as_str() {
            "--seconds" => args.seconds = seconds(0.1)?,
            "--warmup" => args.warmup = seconds(0.0)?,
            "--concurrency" => args.concurrency = count(1, 1024)?,
            "--rounds" => args.rounds = count(1, 100)?,
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    Ok(args)
}

/// Ends the process if the benchmark overruns its budget (a hung request, a stuck server).
fn watchdog(args: &Args) {
    let runs = 2 * VARIANTS.len() * args.rounds;
    let budget = (args.seconds + args.warmup) * runs as u32 + Duration::from_secs(60);
    std::thread::spawn(move || {
        std::thread::sleep(budget);
        eprintln!("error: the benchmark did not finish within {:.0} s", budget.as_secs_f64());
        std::process::exit(1);
    });
}

/// Prints `/proc/loadavg` (where there is one): other work on the machine skews the figures.
fn print_load(label: &str) {
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("{label}: {}", load.trim());
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(err) => {
            eprintln!("error: {err}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    watchdog(&args);
    print_load("load average at start");
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "client_bench: {} s per run after {} s warm-up, {} concurrent tasks, {} rounds; server and client share one \
         tokio runtime ({workers} workers, {workers} cores)",
        args.seconds.as_secs_f64(),
        args.warmup.as_secs_f64(),
        args.concurrency,
        args.rounds
    );

    // The variants must send identical requests, or the comparison means nothing.
    let mut valid = parity(Op::List).await;
    valid &= parity(Op::Create).await;
    if !valid {
        return ExitCode::from(1);
    }

    let mut stats: Vec<Vec<Stats>> = (0..2).map(|_| (0..VARIANTS.len()).map(|_| Stats::default()).collect()).collect();

    // list_conversations: one server, a fixed store of 20 conversations, before any create.
    let server = Server::start().await;
    let setup = Caller::new(Variant::Generated, &server.base);
    for _ in 0..LIST_STORE {
        if let Err(err) = setup.call(Op::Create).await {
            eprintln!("error: setup: {err}");
            return ExitCode::from(1);
        }
    }
    if let Err(err) = setup.call(Op::List).await {
        eprintln!("error: setup: {err}");
        return ExitCode::from(1);
    }
    let page = http_client()
        .get(format!("{}{PATH}", server.base))
        .bearer_auth(KEY)
        .query(&QUERY)
        .send()
        .await
        .and_then(|response| response.error_for_status());
    let page_bytes = match page {
        Ok(response) => response.bytes().await.map_or(0, |bytes| bytes.len()),
        Err(_) => 0,
    };
    drop(setup);
    println!(
        "list_conversations: store of {} conversations, a page of {PAGE_SIZE} is a {page_bytes}-byte response",
        LIST_STORE + 2
    );
    eprintln!("{}", Op::List.name());
    for round in 0..args.rounds {
        for step in 0..VARIANTS.len() {
            let variant = VARIANTS[(round + step) % VARIANTS.len()];
            run(&mut stats[0][variant.index()], variant, Op::List, &server.base, &args, round).await;
        }
    }
    server.stop();

    // create_conversation: a fresh server for every run.
    eprintln!("{}", Op::Create.name());
    for round in 0..args.rounds {
        for step in 0..VARIANTS.len() {
            let variant = VARIANTS[(round + step) % VARIANTS.len()];
            let server = Server::start().await;
            run(&mut stats[1][variant.index()], variant, Op::Create, &server.base, &args, round).await;
            server.stop();
        }
    }

    println!();
    println!(
        "{:<20} {:<21} {:>10} {:>10} {:>8} {:>8} {:>9}  {:<30} {:>8}",
        "operation", "variant", "req/s mean", "req/s best", "p50 us", "p99 us", "ratio", "req/s per round", "failures"
    );
    let mut failed = false;
    for (op, by_variant) in [Op::List, Op::Create].into_iter().zip(&mut stats) {
        let hand = by_variant[Variant::HandWritten.index()].mean_rate();
        for variant in [Variant::Generated, Variant::Validated, Variant::Checked, Variant::HandWritten] {
            let stats = &mut by_variant[variant.index()];
            stats.latencies_ns.sort_unstable();
            let rounds: Vec<String> = stats.rates.iter().map(|rate| format!("{rate:.0}")).collect();
            println!(
                "{:<20} {:<21} {:>10.0} {:>10.0} {:>8} {:>8} {:>8.3}x  {:<30} {:>8}",
                op.name(),
                variant.name(),
                stats.mean_rate(),
                stats.best_rate(),
                micros(percentile(&stats.latencies_ns, 0.50)),
                micros(percentile(&stats.latencies_ns, 0.99)),
                stats.mean_rate() / hand,
                rounds.join(" "),
                stats.failures,
            );
            if stats.failures > 0 {
                failed = true;
                eprintln!(
                    "error: {} {}: {} failed requests, first: {}",
                    op.name(),
                    variant.name(),
                    stats.failures,
                    stats.first_failure.as_deref().unwrap_or("?")
                );
            }
        }
    }
    println!(
        "ratio: mean req/s of the variant / mean req/s of hand-written; p50 and p99 over every measured request of \
         every round",
    );
    print_load("load average at end");
    if failed {
        println!("INVALID: some requests did not get the documented success");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
