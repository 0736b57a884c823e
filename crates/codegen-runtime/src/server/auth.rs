//! Authentication: the credentials of the first security alternative a request satisfies.

use super::params::cookie;
use super::query::Query;
use axum::http::{header, HeaderMap};
use base64::Engine as _;

/// Credentials found in a request. The server only checks that they are present and
/// well formed; the implementation decides whether they are valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `Authorization: Bearer <token>` (API keys and OAuth tokens).
    Bearer(String),
    /// `Authorization: Basic <base64 user:password>`.
    Basic {
        /// The user name.
        username: String,
        /// The password (empty when none was sent).
        password: String,
    },
    /// An API key from a header, query parameter or cookie.
    ApiKey {
        /// The header, parameter or cookie name.
        name: &'static str,
        /// The key.
        key: String,
    },
}

/// A security scheme, as the server reads it.
#[derive(Debug, Clone, Copy)]
pub enum Scheme {
    /// HTTP bearer (also OAuth 2 and OpenID Connect tokens).
    Bearer,
    /// HTTP basic.
    Basic,
    /// An API key header.
    ApiKeyHeader(&'static str),
    /// An API key query parameter.
    ApiKeyQuery(&'static str),
    /// An API key cookie.
    ApiKeyCookie(&'static str),
    /// An HTTP scheme this server cannot read.
    Other(&'static str),
}

/// The credentials of `Authorization: <scheme> <credentials>`, when the scheme matches. Two
/// `Authorization` headers are no credentials: which one counts would be a guess.
fn authorization<'h>(headers: &'h HeaderMap, scheme: &str) -> Option<&'h str> {
    let value = super::body::single_header(headers, header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (name, rest) = value.split_once(' ')?;
    (name.eq_ignore_ascii_case(scheme) && !rest.trim().is_empty()).then(|| rest.trim())
}

/// The credentials one scheme asks for, if the request has them.
fn credential(headers: &HeaderMap, query: Option<&Query>, scheme: Scheme) -> Option<Credentials> {
    match scheme {
        Scheme::Bearer => authorization(headers, "Bearer").map(|token| Credentials::Bearer(token.to_string())),
        Scheme::Basic => {
            let encoded = authorization(headers, "Basic")?;
            let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
            let text = String::from_utf8(decoded).ok()?;
            let (username, password) = text.split_once(':').unwrap_or((text.as_str(), ""));
            (!username.is_empty())
                .then(|| Credentials::Basic { username: username.to_string(), password: password.to_string() })
        }
        Scheme::ApiKeyHeader(name) => {
            let key = headers.get(name)?.to_str().ok()?;
            (!key.is_empty()).then(|| Credentials::ApiKey { name, key: key.to_string() })
        }
        Scheme::ApiKeyQuery(name) => {
            let key = query?.first(name)?;
            (!key.is_empty()).then(|| Credentials::ApiKey { name, key: key.to_string() })
        }
        Scheme::ApiKeyCookie(name) => {
            let key = cookie(headers, name)?;
            (!key.is_empty()).then_some(Credentials::ApiKey { name, key })
        }
        Scheme::Other(_) => None,
    }
}

/// The credentials of the first security alternative the request satisfies.
pub fn authenticate(headers: &HeaderMap, query: Option<&Query>, alternatives: &[&[Scheme]]) -> Option<Credentials> {
    alternatives.iter().filter(|schemes| !schemes.is_empty()).find_map(|schemes| {
        let found: Option<Vec<Credentials>> =
            schemes.iter().map(|scheme| credential(headers, query, *scheme)).collect();
        found.and_then(|list| list.into_iter().next())
    })
}
