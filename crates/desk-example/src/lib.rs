//! An in-memory implementation of the generated desk server (`desk-server`): conversations with
//! their room tokens, their messages, and bulk-update jobs. The server assigns ids, tokens and
//! timestamps itself; read-only fields sent by clients are ignored.
//!
//! Credentials: bearer sends the API key (`Authorization: Bearer KEY`), basic sends it as the user
//! name (`Authorization: Basic base64(KEY:anything)`). Anything else gets 401.

pub mod query;

use desk_server::{
    BulkUpdateConversationsRequest, BulkUpdateConversationsResponse, ConversationmessagesApi, ConversationsApi,
    CreateConversationRequest, CreateConversationResponse, CreateConversationTokenRequest, CreateConversationTokenResponse,
    Credentials, GetConversationByTokenRequest, GetConversationByTokenResponse, GetConversationMessageHistoryRequest,
    GetConversationMessageHistoryResponse, ListConversationsRequest, ListConversationsResponse, UpdateConversationRequest,
    UpdateConversationResponse,
};
use desk_types::{
    BulkOpResponse, Conversation, ConversationApiBody, ConversationInclude, ConversationMessage, ConversationMessageInclude,
    ConversationMessagesApiBody, ConversationsApiBody, CustomerContact, Included, ListMeta, OrderMode, PageMeta,
    Relationship, State, User, Validator,
};
use serde_json::Value;
use std::sync::{Arc, Mutex, MutexGuard};

/// A stored message and the conversation it belongs to.
#[derive(Debug, Clone)]
struct StoredMessage {
    conversation_id: i64,
    message: ConversationMessage,
}

/// A bulk-update job: which conversations it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkJob {
    /// The job id returned to the client.
    pub id: String,
    /// The conversations it updated.
    pub conversation_ids: Vec<i64>,
}

#[derive(Debug, Default)]
struct Store {
    conversations: Vec<Conversation>,
    messages: Vec<StoredMessage>,
    users: Vec<User>,
    jobs: Vec<BulkJob>,
    next_id: i64,
    next_token: u64,
}

/// The example service. Cheap to clone; clones share one store.
#[derive(Clone)]
pub struct DeskExample {
    api_key: Arc<str>,
    store: Arc<Mutex<Store>>,
}

/// The current time, at the millisecond precision the desk API uses.
fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(3)
}

/// A reference to a user.
pub fn user_ref(id: i64) -> Relationship {
    Relationship { delete: None, id, meta: None, type_: "users".to_string() }
}

fn validator(field: &str, message: impl Into<String>) -> Validator {
    let mut errors = indexmap::IndexMap::new();
    errors.insert(field.to_string(), vec![message.into()]);
    Validator { errors }
}

/// The id of the agent behind the API key (the example has one).
const API_USER: i64 = 1;

impl DeskExample {
    /// A service that accepts `api_key`, with a little demo data: one agent, two conversations
    /// (one deleted) and their messages.
    pub fn new(api_key: &str) -> Self {
        let service = DeskExample { api_key: Arc::from(api_key), store: Arc::new(Mutex::new(Store::default())) };
        service.seed();
        service
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave the store half-updated in a way that matters
        // for an example, so a poisoned lock is simply taken over.
        self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn seed(&self) {
        let mut store = self.store();
        let at = now();
        store.users.push(User {
            id: Some(API_USER),
            email: Some("agent@example.com".into()),
            first_name: Some("Sam".into()),
            last_name: Some("Agent".into()),
            role: Some("agent".into()),
            state: Some(State::Active),
            created_at: Some(at),
            updated_at: Some(at),
            ..User::default()
        });
        for (index, state) in [State::Active, State::Deleted].into_iter().enumerate() {
            let id = store.new_id();
            let token = store.new_token();
            let deleted = state == State::Deleted;
            store.conversations.push(Conversation {
                id: Some(id),
                token: Some(token),
                contact_id: Some(100 + index as i64),
                contact: Some(CustomerContact {
                    id: Some(100 + index as i64),
                    is_main: Some(true),
                    type_: Some("email".into()),
                    value: Some(format!("customer{index}@example.com")),
                    state: Some(State::Active),
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
            });
            for text in ["Hello, I need help with my order.", "Sure, what is the order number?"] {
                let message_id = store.new_id();
                store.messages.push(StoredMessage {
                    conversation_id: id,
                    message: ConversationMessage {
                        id: Some(message_id),
                        message: Some(text.to_string()),
                        state: Some(State::Active),
                        user_id: Some(API_USER),
                        created_at: Some(at),
                        created_by: Some(user_ref(API_USER)),
                        updated_at: Some(at),
                        ..ConversationMessage::default()
                    },
                });
                if let Some(conversation) = store.conversations.last_mut() {
                    conversation.messages.get_or_insert_with(Vec::new).push(Relationship {
                        delete: None,
                        id: message_id,
                        meta: None,
                        type_: "conversationmessages".into(),
                    });
                }
            }
        }
    }

    /// Whether credentials carry the API key.
    fn authorized(&self, credentials: &Credentials) -> bool {
        match credentials {
            Credentials::Bearer(token) => token.as_str() == &*self.api_key,
            Credentials::Basic { username, .. } => username.as_str() == &*self.api_key,
            Credentials::ApiKey { key, .. } => key.as_str() == &*self.api_key,
        }
    }

    /// Stores a new conversation built from a client's body: the server assigns the id, the
    /// token, the timestamps and who created it; read-only fields the client sent are ignored.
    fn insert_conversation(&self, mut body: Conversation) -> Conversation {
        let mut store = self.store();
        let at = now();
        let id = store.new_id();
        let token = store.new_token();
        let mut conversation = Conversation {
            id: Some(id),
            token: Some(token),
            created_at: Some(at),
            created_by: Some(user_ref(API_USER)),
            state: Some(State::Active),
            messages: Some(Vec::new()),
            users: Some(Vec::new()),
            ..Conversation::default()
        };
        body.token = None;
        apply_update(&mut conversation, &body, API_USER);
        if conversation.state == Some(State::Active) {
            conversation.deleted_at = None;
            conversation.deleted_by = None;
        }
        store.conversations.push(conversation.clone());
        conversation
    }

    /// The bulk jobs run so far.
    pub fn jobs(&self) -> Vec<BulkJob> {
        self.store().jobs.clone()
    }
}

fn invalid_credentials() -> Validator {
    validator("authorization", "the API key is not valid")
}

impl Store {
    fn new_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// A fresh room token (unique within the store, not guessable from the id).
    fn new_token(&mut self) -> String {
        self.next_token += 1;
        let mixed = self.next_token.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
        format!("{mixed:016x}{:08x}", self.next_token)
    }

    fn by_token(&self, token: &str) -> Option<usize> {
        self.conversations.iter().position(|c| c.token.as_deref() == Some(token))
    }

    fn included_for_conversations(&self, conversations: &[Conversation], includes: &[ConversationInclude]) -> Option<Included> {
        if includes.is_empty() {
            return None;
        }
        let all = includes.contains(&ConversationInclude::All);
        let wants = |include: ConversationInclude| all || includes.contains(&include);
        let mut included = Included::default();
        if wants(ConversationInclude::Contacts) {
            included.contacts = Some(conversations.iter().filter_map(|c| c.contact.clone()).collect());
        }
        if wants(ConversationInclude::Users) {
            included.users = Some(self.users_referenced(conversations.iter().flat_map(|c| c.users.iter().flatten())));
        }
        if wants(ConversationInclude::Conversationmessages) {
            let ids: Vec<i64> = conversations.iter().filter_map(|c| c.id).collect();
            included.conversationmessages =
                Some(self.messages.iter().filter(|m| ids.contains(&m.conversation_id)).map(|m| m.message.clone()).collect());
        }
        if wants(ConversationInclude::Customers) {
            included.customers = Some(Vec::new());
        }
        Some(included)
    }

    fn users_referenced<'a>(&self, references: impl Iterator<Item = &'a Relationship>) -> Vec<User> {
        let mut ids: Vec<i64> = references.filter(|r| r.type_ == "users").map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        self.users.iter().filter(|u| u.id.is_some_and(|id| ids.contains(&id))).cloned().collect()
    }
}

/// Applies a partial update: every property the client sent, except the read-only ones.
pub fn apply_update(target: &mut Conversation, update: &Conversation, by: i64) {
    // Deleting is not an update: `updatedAt` "is not updated when the object is deleted".
    let only_deletion = update.state == Some(State::Deleted)
        && Conversation { state: None, ..update.clone() } == Conversation::default();
    if let Some(contact) = &update.contact {
        // Partial too: the contact's properties the client left out keep their values. Its
        // read-only fields are the server's, and its id follows `contactId`.
        let previous = target.contact.take().unwrap_or_default();
        target.contact = Some(CustomerContact {
            id: update.contact_id.or(target.contact_id).or(previous.id),
            created_at: previous.created_at.or(Some(now())),
            created_by: previous.created_by.or(Some(user_ref(by))),
            updated_at: Some(now()),
            updated_by: Some(user_ref(by)),
            deleted_at: previous.deleted_at,
            deleted_by: previous.deleted_by,
            is_main: contact.is_main.or(previous.is_main),
            state: contact.state.or(previous.state),
            type_: contact.type_.clone().or(previous.type_),
            value: contact.value.clone().or(previous.value),
        });
    }
    if update.contact_id.is_some() && update.contact_id != target.contact_id {
        target.contact_id = update.contact_id;
        // Another contact: the embedded one described the previous contact. Unless the body
        // describes the new one, only its id is known.
        if update.contact.is_none() {
            target.contact = target.contact.take().map(|_| CustomerContact { id: update.contact_id, ..CustomerContact::default() });
        }
    }
    if update.filter_args.is_some() {
        target.filter_args = update.filter_args.clone();
    }
    if let Some(messages) = &update.messages {
        merge_relationships(target.messages.get_or_insert_with(Vec::new), messages);
    }
    if let Some(users) = &update.users {
        merge_relationships(target.users.get_or_insert_with(Vec::new), users);
    }
    if update.socket_id.is_some() {
        target.socket_id = update.socket_id.clone();
    }
    if update.ticket_id.is_some() {
        target.ticket_id = update.ticket_id;
    }
    if update.token.is_some() {
        target.token = update.token.clone();
    }
    if let Some(state) = update.state {
        let at = now();
        match state {
            State::Deleted if target.state != Some(State::Deleted) => {
                target.deleted_at = Some(Some(at));
                target.deleted_by = Some(Some(user_ref(by)));
            }
            State::Active => {
                target.deleted_at = None;
                target.deleted_by = None;
            }
            State::Deleted => {}
        }
        target.state = Some(state);
    }
    if !only_deletion {
        target.updated_at = Some(now());
        target.updated_by = Some(user_ref(by));
    }
}

/// Adds related records; `delete: true` detaches one.
fn merge_relationships(target: &mut Vec<Relationship>, changes: &[Relationship]) {
    // The last change of each relationship decides, and puts it at the end (as applying the
    // changes one by one would); in linear time, under the store's lock, whatever the sizes.
    let mut last: std::collections::HashMap<(i64, &str), usize> = std::collections::HashMap::new();
    for (index, change) in changes.iter().enumerate() {
        last.insert((change.id, change.type_.as_str()), index);
    }
    target.retain(|r| !last.contains_key(&(r.id, r.type_.as_str())));
    for (index, change) in changes.iter().enumerate() {
        if last.get(&(change.id, change.type_.as_str())) == Some(&index) && change.delete != Some(true) {
            target.push(Relationship { delete: None, ..change.clone() });
        }
    }
}

fn to_values<T: serde::Serialize>(items: &[T]) -> Vec<Value> {
    items.iter().filter_map(|item| serde_json::to_value(item).ok()).collect()
}

fn from_values<T: serde::de::DeserializeOwned>(values: Vec<Value>) -> Vec<T> {
    values.into_iter().filter_map(|value| serde_json::from_value(value).ok()).collect()
}

fn page_meta(page: query::Page) -> ListMeta {
    ListMeta {
        page: PageMeta {
            count: page.count as i64,
            page_size: page.page_size as i32,
            page_offset: page.offset as i64,
            pages: page.pages as i64,
            has_more: page.has_more,
        },
    }
}

impl ConversationsApi for DeskExample {
    async fn list_conversations(&self, request: ListConversationsRequest) -> ListConversationsResponse {
        if !self.authorized(&request.credentials) {
            return ListConversationsResponse::Unauthorized(invalid_credentials());
        }
        // The schema already refused unknown fields and operators; the typed filter is
        // evaluated on its JSON form.
        let filter = request.filter.as_ref().and_then(|filter| serde_json::to_value(filter).ok());
        let fields: Option<Vec<String>> =
            request.fields.as_ref().map(|fields| fields.iter().map(|field| field.as_str().to_string()).collect());
        let store = self.store();
        let order_by = request.order_by.map(|o| o.as_str()).unwrap_or("createdAt");
        let (records, page) = query::select(
            to_values(&store.conversations),
            filter.as_ref(),
            order_by,
            request.order_mode == OrderMode::Desc,
            request.page as usize,
            request.page_size as usize,
        );
        let conversations: Vec<Conversation> = from_values(records);
        let included = store.included_for_conversations(&conversations, request.includes.as_deref().unwrap_or_default());
        let conversations = from_values(to_values(&conversations).into_iter().map(|c| query::sparse(c, fields.as_deref())).collect());
        ListConversationsResponse::Ok(ConversationsApiBody { conversations, included, meta: page_meta(page) })
    }

    async fn create_conversation(&self, request: CreateConversationRequest) -> CreateConversationResponse {
        if !self.authorized(&request.credentials) {
            return CreateConversationResponse::Unauthorized(invalid_credentials());
        }
        let conversation = self.insert_conversation(request.body);
        CreateConversationResponse::Created(ConversationApiBody { conversation, included: None })
    }

    async fn get_conversation_by_token(&self, request: GetConversationByTokenRequest) -> GetConversationByTokenResponse {
        let store = self.store();
        let Some(index) = store.by_token(&request.token) else {
            return GetConversationByTokenResponse::NotFound(validator("token", "no conversation has this token"));
        };
        let conversation = store.conversations[index].clone();
        let included =
            store.included_for_conversations(std::slice::from_ref(&conversation), request.includes.as_deref().unwrap_or_default());
        GetConversationByTokenResponse::Ok(ConversationApiBody { conversation, included })
    }

    async fn create_conversation_token(&self, request: CreateConversationTokenRequest) -> CreateConversationTokenResponse {
        if !self.authorized(&request.credentials) {
            return CreateConversationTokenResponse::Unauthorized(invalid_credentials());
        }
        let Some(current) = request.body.token.clone() else {
            // No conversation named: a new one, with the body's properties and a fresh token.
            let conversation = self.insert_conversation(request.body);
            return CreateConversationTokenResponse::Created(ConversationApiBody { conversation, included: None });
        };
        let mut store = self.store();
        let Some(index) = store.by_token(&current) else {
            return CreateConversationTokenResponse::NotFound(validator("token", "no conversation has this token"));
        };
        let token = store.new_token();
        let conversation = &mut store.conversations[index];
        // The body's other properties update the conversation, as a PATCH would: none is dropped.
        let mut body = request.body;
        body.token = None;
        apply_update(conversation, &body, API_USER);
        conversation.token = Some(token);
        conversation.updated_at = Some(now());
        conversation.updated_by = Some(user_ref(API_USER));
        CreateConversationTokenResponse::Created(ConversationApiBody { conversation: conversation.clone(), included: None })
    }

    async fn update_conversation(&self, request: UpdateConversationRequest) -> UpdateConversationResponse {
        if !self.authorized(&request.credentials) {
            return UpdateConversationResponse::Unauthorized(invalid_credentials());
        }
        let mut store = self.store();
        // Room tokens name conversations, so they must stay unique.
        if let Some(token) = &request.body.token {
            if store.conversations.iter().any(|c| c.token.as_ref() == Some(token) && c.id != Some(request.id)) {
                return UpdateConversationResponse::Conflict(validator("token", "is already the token of another conversation"));
            }
        }
        let Some(conversation) = store.conversations.iter_mut().find(|c| c.id == Some(request.id)) else {
            return UpdateConversationResponse::NotFound(validator("id", "no conversation has this id"));
        };
        apply_update(conversation, &request.body, API_USER);
        UpdateConversationResponse::Ok(ConversationApiBody { conversation: conversation.clone(), included: None })
    }

    async fn bulk_update_conversations(&self, request: BulkUpdateConversationsRequest) -> BulkUpdateConversationsResponse {
        if !self.authorized(&request.credentials) {
            return BulkUpdateConversationsResponse::Unauthorized(invalid_credentials());
        }
        // The schema already refused unknown fields and operators; the typed filter is
        // evaluated on its JSON form.
        let filter = request.filter.as_ref().and_then(|filter| serde_json::to_value(filter).ok());
        let mut store = self.store();
        let mut updated = Vec::new();
        let mut body = request.body;
        // A bulk update never rewrites room tokens: they must stay unique.
        body.token = None;
        for conversation in store.conversations.iter_mut() {
            let record = serde_json::to_value(&*conversation).unwrap_or(Value::Null);
            if filter.as_ref().is_none_or(|f| query::matches(&record, f)) {
                apply_update(conversation, &body, API_USER);
                updated.extend(conversation.id);
            }
        }
        let job = store.new_id();
        let job_id = format!("job-{job}");
        store.jobs.push(BulkJob { id: job_id.clone(), conversation_ids: updated });
        BulkUpdateConversationsResponse::Ok(BulkOpResponse { job_id })
    }
}

impl ConversationmessagesApi for DeskExample {
    async fn get_conversation_message_history(
        &self,
        request: GetConversationMessageHistoryRequest,
    ) -> GetConversationMessageHistoryResponse {
        // The schema already refused unknown fields and operators; the typed filter is
        // evaluated on its JSON form.
        let filter = request.filter.as_ref().and_then(|filter| serde_json::to_value(filter).ok());
        let fields: Option<Vec<String>> =
            request.fields.as_ref().map(|fields| fields.iter().map(|field| field.as_str().to_string()).collect());
        let store = self.store();
        let Some(index) = store.by_token(&request.token) else {
            return GetConversationMessageHistoryResponse::NotFound(validator("token", "no conversation has this token"));
        };
        let conversation_id = store.conversations[index].id;
        let messages: Vec<ConversationMessage> =
            store.messages.iter().filter(|m| Some(m.conversation_id) == conversation_id).map(|m| m.message.clone()).collect();
        let order_by = request.order_by.map(|o| o.as_str()).unwrap_or("createdAt");
        let (records, page) = query::select(
            to_values(&messages),
            filter.as_ref(),
            order_by,
            request.order_mode == OrderMode::Desc,
            request.page as usize,
            request.page_size as usize,
        );
        let messages: Vec<ConversationMessage> = from_values(records);
        let includes = request.includes.unwrap_or_default();
        let included = (!includes.is_empty()).then(|| {
            let all = includes.contains(&ConversationMessageInclude::All);
            let wants = |include| all || includes.contains(&include);
            let conversation = &store.conversations[index];
            Included {
                contacts: wants(ConversationMessageInclude::Contacts).then(|| conversation.contact.iter().cloned().collect()),
                customers: wants(ConversationMessageInclude::Customers).then(Vec::new),
                files: wants(ConversationMessageInclude::Files).then(Vec::new),
                users: wants(ConversationMessageInclude::Users)
                    .then(|| store.users_referenced(messages.iter().flat_map(|m| m.created_by.iter()))),
                conversationmessages: None,
            }
        });
        let conversationmessages = from_values(to_values(&messages).into_iter().map(|m| query::sparse(m, fields.as_deref())).collect());
        GetConversationMessageHistoryResponse::Ok(ConversationMessagesApiBody { conversationmessages, included, meta: page_meta(page) })
    }
}
