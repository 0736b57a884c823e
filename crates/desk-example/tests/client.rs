//! End to end: the generated client (`desk-client`) against the example server on loopback, for
//! every operation, success and error statuses, with and without credentials; plus what the
//! client does with statuses and bodies the spec does not document.

use desk_client::{
    BulkUpdateConversationsParams, BulkUpdateConversationsResponse, Client, CreateConversationResponse,
    CreateConversationTokenResponse, Error, GetConversationByTokenParams, GetConversationByTokenResponse,
    GetConversationMessageHistoryParams, GetConversationMessageHistoryResponse, ListConversationsParams,
    ListConversationsResponse, UpdateConversationResponse,
};
use desk_types::{
    Conversation, ConversationFilter, ConversationInclude, ConversationOrderBy, FilterCondition, FilterOperators,
    FilterValue, OrderMode, State,
};

const KEY: &str = "client-test-key";

/// Serves a fresh example on an ephemeral loopback port; returns its base URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

async fn example() -> String {
    serve(desk_server::router(desk_example::DeskExample::new(KEY))).await
}

fn bearer(base: &str) -> Client {
    Client::builder(base).bearer_token(KEY).build().expect("client")
}

fn conversation(ticket: i64) -> Conversation {
    Conversation { ticket_id: Some(ticket), socket_id: Some("123.456".into()), ..Conversation::default() }
}

#[tokio::test]
async fn every_operation_succeeds() {
    let base = example().await;
    let client = bearer(&base);

    let ListConversationsResponse::Ok(list) = client
        .list_conversations(&ListConversationsParams {
            order_by: Some(ConversationOrderBy::Id),
            order_mode: Some(OrderMode::Asc),
            page_size: Some(1),
            includes: Some(vec![ConversationInclude::Users]),
            ..ListConversationsParams::default()
        })
        .await
        .expect("list")
    else {
        panic!("list: not 200")
    };
    assert_eq!(list.conversations.len(), 1);
    assert_eq!(list.meta.page.count, 2);
    assert!(list.meta.page.has_more);
    assert_eq!(list.included.and_then(|i| i.users).map(|u| u.len()), Some(1));

    let CreateConversationResponse::Created(created) = client.create_conversation(&conversation(42)).await.expect("create") else {
        panic!("create: not 201")
    };
    let created = created.conversation;
    let token = created.token.clone().expect("server-assigned token");
    let id = created.id.expect("server-assigned id");
    assert_eq!(created.ticket_id, Some(42));

    // The token lookups are open: a client without credentials can use them.
    let anonymous = Client::new(&base);
    let GetConversationByTokenResponse::Ok(found) = anonymous
        .get_conversation_by_token(&token, &GetConversationByTokenParams::default())
        .await
        .expect("by token")
    else {
        panic!("by token: not 200")
    };
    assert_eq!(found.conversation.id, Some(id));

    let GetConversationMessageHistoryResponse::Ok(history) = anonymous
        .get_conversation_message_history(&token, &GetConversationMessageHistoryParams::default())
        .await
        .expect("history")
    else {
        panic!("history: not 200")
    };
    assert!(history.conversationmessages.is_empty());

    let update = Conversation { state: Some(State::Deleted), ..Conversation::default() };
    let UpdateConversationResponse::Ok(updated) = client.update_conversation(id, &update).await.expect("update") else {
        panic!("update: not 200")
    };
    assert_eq!(updated.conversation.state, Some(State::Deleted));
    assert!(matches!(updated.conversation.deleted_at, Some(Some(_))));

    let rotate = Conversation { token: Some(token.clone()), ..Conversation::default() };
    let CreateConversationTokenResponse::Created(rotated) = client.create_conversation_token(&rotate).await.expect("rotate") else {
        panic!("rotate: not 201")
    };
    assert_ne!(rotated.conversation.token.as_deref(), Some(token.as_str()));

    // A filter with operators travels as JSON text and selects the deleted conversations.
    let filter = ConversationFilter {
        state: Some(Some(FilterCondition::FilterOperators(FilterOperators {
            in_: Some(vec![Some(FilterValue::String("deleted".into()))]),
            ..FilterOperators::default()
        }))),
        ..ConversationFilter::default()
    };
    let BulkUpdateConversationsResponse::Ok(job) = client
        .bulk_update_conversations(&conversation(7), &BulkUpdateConversationsParams { filter: Some(filter.clone()) })
        .await
        .expect("bulk")
    else {
        panic!("bulk: not 200")
    };
    assert!(job.job_id.starts_with("job-"));
    let ListConversationsResponse::Ok(deleted) = client
        .list_conversations(&ListConversationsParams { filter: Some(filter), ..ListConversationsParams::default() })
        .await
        .expect("filtered list")
    else {
        panic!("filtered list: not 200")
    };
    assert_eq!(deleted.meta.page.count, 2, "the seeded deleted one and ours");
    assert!(deleted.conversations.iter().all(|c| c.ticket_id == Some(7)), "the bulk update reached them");
}

#[tokio::test]
async fn documented_error_statuses_decode_into_their_variants() {
    let base = example().await;
    let client = bearer(&base);
    // 404
    let reply = client.get_conversation_by_token("no-such-token", &GetConversationByTokenParams::default()).await.expect("404");
    let GetConversationByTokenResponse::NotFound(body) = reply else { panic!("expected 404, got {reply:?}") };
    assert_eq!(body.errors["token"], ["no conversation has this token"]);
    let reply = client.update_conversation(999, &conversation(1)).await.expect("404");
    assert!(matches!(reply, UpdateConversationResponse::NotFound(_)), "{reply:?}");
    // 400 from the server's own checks (validation is off on this client).
    let reply = client
        .list_conversations(&ListConversationsParams { page: Some(0), page_size: Some(101), ..ListConversationsParams::default() })
        .await
        .expect("400");
    let ListConversationsResponse::BadRequest(body) = reply else { panic!("expected 400, got {reply:?}") };
    assert_eq!(body.errors["page"], ["must be at least 1"]);
    assert_eq!(body.errors["pageSize"], ["must be at most 100"]);
}

#[tokio::test]
async fn credentials_missing_or_wrong_are_401_and_basic_works() {
    let base = example().await;
    let params = ListConversationsParams::default();
    let reply = Client::new(&base).list_conversations(&params).await.expect("401");
    let ListConversationsResponse::Unauthorized(body) = reply else { panic!("expected 401, got {reply:?}") };
    assert_eq!(body.errors["authorization"], ["credentials are required"]);
    let wrong = Client::builder(&base).bearer_token("wrong").build().expect("client");
    assert!(matches!(wrong.list_conversations(&params).await.expect("401"), ListConversationsResponse::Unauthorized(_)));
    let basic = Client::builder(&base).basic_api_key(KEY).build().expect("client");
    assert!(matches!(basic.list_conversations(&params).await.expect("200"), ListConversationsResponse::Ok(_)));
}

#[tokio::test]
async fn request_validation_refuses_bad_requests_before_sending() {
    // Nothing listens on this address: a request that were sent would fail with Error::Request.
    let client = Client::builder("http://127.0.0.1:9").bearer_token(KEY).validate_requests(true).build().expect("client");
    let err = client
        .list_conversations(&ListConversationsParams { page: Some(0), ..ListConversationsParams::default() })
        .await
        .expect_err("page 0 is invalid");
    let Error::Validation(errors) = err else { panic!("expected a validation error, got {err}") };
    assert_eq!(errors.iter().map(|e| (e.path.as_str(), e.keyword)).collect::<Vec<_>>(), [("page", "minimum")]);
    let bad = Conversation { filter_args: Some(desk_types::RequestCommons { page: Some(0), ..Default::default() }), ..conversation(1) };
    let err = client.create_conversation(&bad).await.expect_err("filter_args.page 0 is invalid");
    let Error::Validation(errors) = err else { panic!("expected a validation error, got {err}") };
    assert_eq!(errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["filter_args.page"]);
    // A valid request passes validation and then fails to connect.
    let err = client.list_conversations(&ListConversationsParams::default()).await.expect_err("nothing listens");
    assert!(matches!(err, Error::Request(_)), "{err}");
}

#[tokio::test]
async fn undocumented_statuses_and_undecodable_bodies_are_errors_with_the_raw_body() {
    use axum::http::StatusCode;
    use axum::routing::get;
    let teapot = axum::Router::new()
        .route("/desk/api/v2/conversations.json", get(|| async { (StatusCode::IM_A_TEAPOT, "short and stout") }))
        .route(
            "/desk/api/v2/conversations/token/{token}",
            get(|| async { (StatusCode::OK, [("content-type", "application/json")], r#"{"conversation": 5}"#) }),
        );
    let base = serve(teapot).await;
    let client = bearer(&base);
    let err = client.list_conversations(&ListConversationsParams::default()).await.expect_err("418 is undocumented");
    let Error::UnexpectedStatus { status, body } = err else { panic!("expected UnexpectedStatus, got {err}") };
    assert_eq!((status, body.as_str()), (418, "short and stout"));
    // `/token/x.json` reaches the `{token}` route, whose body is not a ConversationAPIBody.
    let err = client.get_conversation_by_token("x", &GetConversationByTokenParams::default()).await.expect_err("bad body");
    let Error::Decode { status, body, .. } = err else { panic!("expected Decode, got {err}") };
    assert_eq!((status, body.as_str()), (200, r#"{"conversation": 5}"#));
}
