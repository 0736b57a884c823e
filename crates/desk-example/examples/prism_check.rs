//! Every client method against an independent server: the Prism mock server
//! (`@stoplight/prism-cli`) serving `spec/desk-v2.yaml` with request validation on and
//! `--errors` (a request that breaks the spec gets an error status instead of a mock).
//!
//! `cargo run -p desk-example --example prism_check -- http://127.0.0.1:4010`
//!
//! Each request must be accepted by Prism (no validation error) and Prism's example response must
//! decode into the documented success variant. Exits non-zero and names every failure otherwise.

use desk_client::{
    BulkUpdateConversationsParams, BulkUpdateConversationsResponse, Client, CreateConversationResponse,
    CreateConversationTokenResponse, GetConversationByTokenParams, GetConversationByTokenResponse,
    GetConversationMessageHistoryParams, GetConversationMessageHistoryResponse, ListConversationsParams,
    ListConversationsResponse, UpdateConversationResponse,
};
use desk_types::{
    Conversation, ConversationFilter, ConversationInclude, ConversationMessageField, ConversationMessageInclude,
    ConversationOrderBy, FilterCondition, FilterOperators, FilterValue, OrderMode, State,
};
use std::process::ExitCode;

fn body() -> Conversation {
    Conversation {
        ticket_id: Some(88231),
        socket_id: Some("123456.7891011".into()),
        state: Some(State::Active),
        token: Some("c0a8e5f2-4b1d-4e8a-9f3c-2d7b6a1e9c40".into()),
        ..Conversation::default()
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let Some(base) = std::env::args().nth(1) else {
        eprintln!("usage: prism_check BASE_URL");
        return ExitCode::from(2);
    };
    // Validation on: the client must itself agree that every request below is valid.
    let client = match Client::builder(&base).bearer_token("prism-key").validate_requests(true).build() {
        Ok(client) => client,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let filter = ConversationFilter {
        state: Some(Some(FilterCondition::FilterOperators(FilterOperators {
            in_: Some(vec![Some(FilterValue::String("active".into()))]),
            ..FilterOperators::default()
        }))),
        ..ConversationFilter::default()
    };
    let mut failures = Vec::new();
    let mut check = |name: &str, outcome: Result<bool, String>| match outcome {
        Ok(true) => println!("ok      {name}"),
        Ok(false) => {
            println!("FAILED  {name}: not the documented success variant");
            failures.push(name.to_string());
        }
        Err(err) => {
            println!("FAILED  {name}: {err}");
            failures.push(name.to_string());
        }
    };

    let list = client
        .list_conversations(&ListConversationsParams {
            page: Some(1),
            page_size: Some(20),
            order_by: Some(ConversationOrderBy::CreatedAt),
            order_mode: Some(OrderMode::Desc),
            filter: Some(filter.clone()),
            includes: Some(vec![ConversationInclude::Users, ConversationInclude::Contacts]),
            fields: None,
        })
        .await;
    check("listConversations", list.map(|r| matches!(r, ListConversationsResponse::Ok(_))).map_err(|e| e.to_string()));
    let create = client.create_conversation(&body()).await;
    check("createConversation", create.map(|r| matches!(r, CreateConversationResponse::Created(_))).map_err(|e| e.to_string()));
    let by_token = client
        .get_conversation_by_token(
            "c0a8e5f2-4b1d-4e8a-9f3c-2d7b6a1e9c40",
            &GetConversationByTokenParams { includes: Some(vec![ConversationInclude::All]) },
        )
        .await;
    check("getConversationByToken", by_token.map(|r| matches!(r, GetConversationByTokenResponse::Ok(_))).map_err(|e| e.to_string()));
    let token = client.create_conversation_token(&body()).await;
    check("createConversationToken", token.map(|r| matches!(r, CreateConversationTokenResponse::Created(_))).map_err(|e| e.to_string()));
    let update = client.update_conversation(1024, &body()).await;
    check("updateConversation", update.map(|r| matches!(r, UpdateConversationResponse::Ok(_))).map_err(|e| e.to_string()));
    let bulk = client.bulk_update_conversations(&body(), &BulkUpdateConversationsParams { filter: Some(filter) }).await;
    check("bulkUpdateConversations", bulk.map(|r| matches!(r, BulkUpdateConversationsResponse::Ok(_))).map_err(|e| e.to_string()));
    let history = client
        .get_conversation_message_history(
            "c0a8e5f2-4b1d-4e8a-9f3c-2d7b6a1e9c40",
            &GetConversationMessageHistoryParams {
                page: Some(1),
                page_size: Some(20),
                order_mode: Some(OrderMode::Asc),
                includes: Some(vec![ConversationMessageInclude::Files]),
                fields: Some(vec![ConversationMessageField::Id, ConversationMessageField::Message]),
                ..GetConversationMessageHistoryParams::default()
            },
        )
        .await;
    check(
        "getConversationMessageHistory",
        history.map(|r| matches!(r, GetConversationMessageHistoryResponse::Ok(_))).map_err(|e| e.to_string()),
    );
    if failures.is_empty() {
        println!("7 passed, 0 failed");
        ExitCode::SUCCESS
    } else {
        println!("{} passed, {} failed", 7 - failures.len(), failures.len());
        ExitCode::from(1)
    }
}
