//! `cargo run -p desk-example --bin baseline -- --addr 127.0.0.1:8081 --api-key KEY`
//!
//! The yardstick of `cargo xtask bench-server`: a minimal hand-written axum server for
//! `GET` and `POST /desk/api/v2/conversations.json` that does the same in-memory work as the
//! example service (`desk_example::DeskExample`) behind the generated router, but without the
//! generated layer: no route table, no query-parameter decoding or schema checks, no body
//! validation, no error bodies beyond a bare status.
//!
//! What it keeps, so that the comparison measures the generated layer and nothing else:
//!
//! * the same store shape (a `Mutex` around a `Vec<Conversation>` plus the id/token counters) and
//!   the same seed data (two conversations, one deleted, each referencing two messages), so ids,
//!   tokens and timestamps have the same widths and responses the same sizes;
//! * the bearer-key check (`Authorization: Bearer KEY`; anything else is a bare 401);
//! * create: the body deserialized with serde straight into `desk_types::Conversation`, the server
//!   assigning id, token, timestamps and author exactly as the example does, stored, answered
//!   `201 {"conversation": ...}`;
//! * list: the example's own query code (`desk_example::query::select` over the JSON form of the
//!   stored conversations, ordered by `createdAt`, descending, paged by `page`/`pageSize`), with
//!   the same JSON round trips, answered `200 {"conversations": [...], "meta": {"page": {...}}}`.
//!   `page` and `pageSize` are read leniently (unparsable values fall back to 1 and 20).
//!
//! Responses are serialized like the generated server's (`serde_json::to_vec`, `Content-Type:
//! application/json`), and connections get `TCP_NODELAY` as the generated `serve` gives them.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use desk_example::{apply_update, query};
use desk_types::{Conversation, ConversationApiBody, ConversationsApiBody, CustomerContact, ListMeta, PageMeta, Relationship, State as RecordState};
use serde_json::Value;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, MutexGuard};

const USAGE: &str = "usage: baseline [--addr HOST:PORT] [--api-key KEY]   (or DESK_API_KEY=KEY)";

/// The id of the agent behind the API key (as in the example).
const API_USER: i64 = 1;

#[derive(Default)]
struct Store {
    conversations: Vec<Conversation>,
    next_id: i64,
    next_token: u64,
}

impl Store {
    fn new_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// The example's token scheme, so tokens have the same length.
    fn new_token(&mut self) -> String {
        self.next_token += 1;
        let mixed = self.next_token.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
        format!("{mixed:016x}{:08x}", self.next_token)
    }
}

#[derive(Clone)]
struct App {
    /// `Bearer KEY`, compared with the whole header value.
    expected_authorization: Arc<str>,
    store: Arc<Mutex<Store>>,
}

impl App {
    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn authorized(&self, headers: &HeaderMap) -> bool {
        headers.get(header::AUTHORIZATION).is_some_and(|value| value.as_bytes() == self.expected_authorization.as_bytes())
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(3)
}

fn user_ref(id: i64) -> Relationship {
    Relationship { delete: None, id, meta: None, type_: "users".to_string() }
}

/// The example's seed: two conversations (one deleted), each referencing two messages. Message
/// ids are drawn from the same counter, as in the example, so later ids match too.
fn seed(store: &mut Store) {
    let at = now();
    for (index, state) in [RecordState::Active, RecordState::Deleted].into_iter().enumerate() {
        let id = store.new_id();
        let token = store.new_token();
        let deleted = state == RecordState::Deleted;
        let mut conversation = Conversation {
            id: Some(id),
            token: Some(token),
            contact_id: Some(100 + index as i64),
            contact: Some(CustomerContact {
                id: Some(100 + index as i64),
                is_main: Some(true),
                type_: Some("email".into()),
                value: Some(format!("customer{index}@example.com")),
                state: Some(RecordState::Active),
                created_at: Some(at),
                ..CustomerContact::default()
            }),
            ticket_id: Some(5000 + index as i64),
            state: Some(state),
            created_at: Some(at),
            created_by: Some(user_ref(API_USER)),
            updated_at: Some(at),
            updated_by: Some(user_ref(API_USER)),
            deleted_at: deleted.then_some(Some(at)),
            deleted_by: deleted.then_some(Some(user_ref(API_USER))),
            users: Some(vec![user_ref(API_USER)]),
            messages: Some(Vec::new()),
            ..Conversation::default()
        };
        for _ in 0..2 {
            let message_id = store.new_id();
            conversation.messages.get_or_insert_with(Vec::new).push(Relationship {
                delete: None,
                id: message_id,
                meta: None,
                type_: "conversationmessages".into(),
            });
        }
        store.conversations.push(conversation);
    }
}

fn to_values<T: serde::Serialize>(items: &[T]) -> Vec<Value> {
    items.iter().filter_map(|item| serde_json::to_value(item).ok()).collect()
}

fn from_values<T: serde::de::DeserializeOwned>(values: Vec<Value>) -> Vec<T> {
    values.into_iter().filter_map(|value| serde_json::from_value(value).ok()).collect()
}

/// Serialized like the generated server's responses.
fn json(status: StatusCode, body: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `page` and `pageSize` from the raw query, leniently: no decoding, no range checks.
fn paging(raw: Option<&str>) -> (usize, usize) {
    let (mut page, mut page_size) = (1, 20);
    for pair in raw.unwrap_or_default().split('&') {
        match pair.split_once('=') {
            Some(("page", value)) => page = value.parse().unwrap_or(page),
            Some(("pageSize", value)) => page_size = value.parse().unwrap_or(page_size),
            _ => {}
        }
    }
    (page, page_size)
}

async fn list(State(app): State<App>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    if !app.authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let (page, page_size) = paging(raw.as_deref());
    // The same work as `DeskExample::list_conversations` with no filter, includes or fields.
    let store = app.store();
    let (records, page) = query::select(to_values(&store.conversations), None, "createdAt", true, page, page_size);
    let conversations: Vec<Conversation> = from_values(records);
    let conversations = from_values(to_values(&conversations).into_iter().map(|c| query::sparse(c, None)).collect());
    drop(store);
    let meta = ListMeta {
        page: PageMeta {
            count: page.count as i64,
            page_size: page.page_size as i32,
            page_offset: page.offset as i64,
            pages: page.pages as i64,
            has_more: page.has_more,
        },
    };
    json(StatusCode::OK, &ConversationsApiBody { conversations, included: None, meta })
}

async fn create(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if !app.authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let Ok(mut body) = serde_json::from_slice::<Conversation>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    // The same work as `DeskExample::insert_conversation`.
    let conversation = {
        let mut store = app.store();
        let at = now();
        let id = store.new_id();
        let token = store.new_token();
        let mut conversation = Conversation {
            id: Some(id),
            token: Some(token),
            created_at: Some(at),
            created_by: Some(user_ref(API_USER)),
            state: Some(RecordState::Active),
            messages: Some(Vec::new()),
            users: Some(Vec::new()),
            ..Conversation::default()
        };
        body.token = None;
        apply_update(&mut conversation, &body, API_USER);
        if conversation.state == Some(RecordState::Active) {
            conversation.deleted_at = None;
            conversation.deleted_by = None;
        }
        store.conversations.push(conversation.clone());
        conversation
    };
    json(StatusCode::CREATED, &ConversationApiBody { conversation, included: None })
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut addr: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8081));
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
    let mut store = Store::default();
    seed(&mut store);
    let app = App { expected_authorization: Arc::from(format!("Bearer {api_key}")), store: Arc::new(Mutex::new(store)) };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("error: cannot listen on {addr}: {err}");
            return ExitCode::from(1);
        }
    };
    eprintln!("baseline listening on http://{addr}");
    let router = axum::Router::new().route("/desk/api/v2/conversations.json", get(list).post(create)).with_state(app);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    // Like the generated server's `serve`, no Nagle delays on accepted connections.
    use axum::serve::ListenerExt as _;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    match axum::serve(listener, router).with_graceful_shutdown(shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
    }
}
