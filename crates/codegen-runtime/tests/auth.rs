//! Authentication: the server reading bearer, basic and API key credentials from headers, the
//! query and cookies; schemes it cannot read; and the credentials the client sends.
#![cfg(feature = "server")]

use axum::http::{header, HeaderMap, HeaderValue};
use codegen_runtime::server::{authenticate, Credentials, Query, Scheme};

fn headers(list: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in list {
        headers.append(*name, HeaderValue::from_static(value));
    }
    headers
}

fn bearer(token: &str) -> Option<Credentials> {
    Some(Credentials::Bearer(token.to_string()))
}

fn api_key(name: &'static str, key: &str) -> Option<Credentials> {
    Some(Credentials::ApiKey { name, key: key.to_string() })
}

#[test]
fn bearer_tokens() {
    let alternatives: &[&[Scheme]] = &[&[Scheme::Bearer]];
    let read = |value: &'static str| authenticate(&headers(&[("authorization", value)]), None, alternatives);
    assert_eq!(read("Bearer abc.def"), bearer("abc.def"));
    assert_eq!(read("bearer  abc "), bearer("abc"), "the scheme is case-insensitive");
    assert_eq!(read("Bearer "), None);
    assert_eq!(read("Basic abc"), None);
    assert_eq!(read("Bearerabc"), None);
    assert_eq!(authenticate(&HeaderMap::new(), None, alternatives), None);
    // Two Authorization headers: which one counts would be a guess, so neither does.
    let twice = headers(&[("authorization", "Bearer right"), ("authorization", "Bearer wrong")]);
    assert_eq!(authenticate(&twice, None, alternatives), None);
}

#[test]
fn basic_credentials() {
    let alternatives: &[&[Scheme]] = &[&[Scheme::Basic]];
    let read =
        |value: &'static str| authenticate(&headers(&[(header::AUTHORIZATION.as_str(), value)]), None, alternatives);
    let basic = |username: &str, password: &str| {
        Some(Credentials::Basic { username: username.into(), password: password.into() })
    };
    assert_eq!(read("Basic dXNlcjpwYTpzcw=="), basic("user", "pa:ss"));
    assert_eq!(read("BASIC a2V5"), basic("key", ""), "a user name alone is an API key");
    assert_eq!(read("Basic a2V5Og=="), basic("key", ""));
    assert_eq!(read("Basic OnBhc3M="), None, "no user name");
    assert_eq!(read("Basic not base64!"), None);
    assert_eq!(read("Basic //79"), None, "not UTF-8");
}

#[test]
fn api_keys_in_headers_queries_and_cookies() {
    let request = headers(&[("x-api-key", "h-key"), ("cookie", "theme=dark; session=c-key"), ("x-empty", "")]);
    let query = Query::parse(Some("api_key=q-key&empty="));
    let read = |scheme: Scheme| authenticate(&request, Some(&query), &[&[scheme]]);
    assert_eq!(read(Scheme::ApiKeyHeader("X-Api-Key")), api_key("X-Api-Key", "h-key"));
    assert_eq!(read(Scheme::ApiKeyQuery("api_key")), api_key("api_key", "q-key"));
    assert_eq!(read(Scheme::ApiKeyCookie("session")), api_key("session", "c-key"));
    for scheme in [
        Scheme::ApiKeyHeader("x-empty"),
        Scheme::ApiKeyQuery("empty"),
        Scheme::ApiKeyCookie("missing"),
        Scheme::ApiKeyHeader("x-missing"),
    ] {
        assert_eq!(read(scheme), None, "{scheme:?}");
    }
    assert_eq!(authenticate(&request, None, &[&[Scheme::ApiKeyQuery("api_key")]]), None, "no query string");
}

#[test]
fn schemes_the_server_cannot_read_are_never_met() {
    let request = headers(&[("authorization", "Digest username=\"a\"")]);
    assert_eq!(authenticate(&request, None, &[&[Scheme::Other("digest")]]), None);
    assert_eq!(
        authenticate(&request, None, &[&[Scheme::Other("digest")], &[]]),
        None,
        "an empty alternative holds no credentials"
    );
}

#[test]
fn the_first_alternative_the_request_satisfies_decides() {
    let request = headers(&[("authorization", "Bearer tok"), ("x-api-key", "key")]);
    let header_key = Scheme::ApiKeyHeader("x-api-key");
    assert_eq!(
        authenticate(&request, None, &[&[Scheme::Basic], &[header_key], &[Scheme::Bearer]]),
        api_key("x-api-key", "key")
    );
    // All schemes of an alternative must be met; the credentials are its first scheme's.
    assert_eq!(authenticate(&request, None, &[&[Scheme::Bearer, header_key]]), bearer("tok"));
    assert_eq!(
        authenticate(&request, None, &[&[Scheme::Bearer, Scheme::Basic], &[header_key, Scheme::Bearer]]),
        api_key("x-api-key", "key")
    );
    assert_eq!(authenticate(&request, None, &[&[Scheme::Bearer, Scheme::Basic]]), None);
}

/// The client's credentials are what the server reads.
#[cfg(feature = "client")]
#[test]
fn client_credentials_are_read_by_the_server() {
    use codegen_runtime::client::{ClientBuilder, Core};
    let sent = |builder: ClientBuilder<Core>| {
        let core = builder.build().expect("a client");
        let request = core.authorize(core.http().get("http://localhost/")).build().expect("a request");
        authenticate(request.headers(), None, &[&[Scheme::Bearer], &[Scheme::Basic]])
    };
    assert_eq!(sent(ClientBuilder::new("http://localhost").bearer_token("tok")), bearer("tok"));
    let basic = |username: &str, password: &str| {
        Some(Credentials::Basic { username: username.into(), password: password.into() })
    };
    assert_eq!(sent(ClientBuilder::new("http://localhost").basic_auth("user", Some("pa:ss"))), basic("user", "pa:ss"));
    assert_eq!(sent(ClientBuilder::new("http://localhost").basic_api_key("key")), basic("key", ""));
    assert_eq!(sent(ClientBuilder::new("http://localhost")), None);
}
