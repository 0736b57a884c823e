//! The client core (base URL, reqwest client, credentials, validation switch) and the builder
//! of a generated crate's `Client`.

use super::Error;
use crate::validation::Check;
use std::marker::PhantomData;
use std::time::Duration;

/// How requests are authenticated.
#[derive(Clone)]
enum Auth {
    Bearer(String),
    Basic(String, Option<String>),
}

/// What every generated `Client` holds: where requests go, how they are sent and
/// authenticated, and whether they are checked first. Cheap to clone.
///
/// A generated client is a newtype of this that dereferences to it, so these methods are the
/// client's too; its own methods are the spec's operations.
#[derive(Clone)]
pub struct Core {
    base_url: String,
    http: reqwest::Client,
    auth: Option<Auth>,
    validate: bool,
    check_responses: bool,
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Credentials are never printed.
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("validate", &self.validate)
            .field("check_responses", &self.check_responses)
            .finish()
    }
}

impl Core {
    /// A client for `base_url` (where the spec's paths start; a trailing `/` is dropped), without
    /// credentials, with request validation and response checks off.
    pub fn new(base_url: &str) -> Core {
        Core {
            base_url: base_url.trim_end_matches('/').to_string(),
            http: reqwest::Client::new(),
            auth: None,
            validate: false,
            check_responses: false,
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The reqwest client requests are sent with.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The check to run on a request value, when request validation is on.
    pub fn check(&self, check: Check) -> Option<Check> {
        self.validate.then_some(check)
    }

    /// Whether responses are checked against the spec
    /// ([`ClientBuilder::check_responses`]).
    pub fn checks_responses(&self) -> bool {
        self.check_responses
    }

    /// Adds the client's credentials, if it has any, to a request.
    pub fn authorize(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.auth {
            Some(Auth::Bearer(token)) => request.bearer_auth(token),
            Some(Auth::Basic(user, password)) => request.basic_auth(user, password.as_ref()),
            None => request,
        }
    }
}

/// Builds a client of type `C` (a generated crate's `Client`, made from a [`Core`]).
pub struct ClientBuilder<C> {
    base_url: String,
    auth: Option<Auth>,
    timeout: Option<Duration>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    validate: bool,
    check_responses: bool,
    client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Credentials and header values are never printed.
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("validate", &self.validate)
            .field("check_responses", &self.check_responses)
            .finish()
    }
}

impl<C: From<Core>> ClientBuilder<C> {
    /// A builder for a client of `base_url`: no credentials, no timeout, no extra headers, a
    /// new reqwest client, request validation and response checks off.
    pub fn new(base_url: &str) -> Self {
        ClientBuilder {
            base_url: base_url.trim_end_matches('/').to_string(),
            auth: None,
            timeout: None,
            headers: Vec::new(),
            http: None,
            validate: false,
            check_responses: false,
            client: PhantomData,
        }
    }

    /// Sends `Authorization: Bearer <token>` (an API key or an OAuth access token).
    pub fn bearer_token(mut self, token: &str) -> Self {
        self.auth = Some(Auth::Bearer(token.to_string()));
        self
    }

    /// Sends HTTP basic credentials.
    pub fn basic_auth(mut self, user: &str, password: Option<&str>) -> Self {
        self.auth = Some(Auth::Basic(user.to_string(), password.map(str::to_string)));
        self
    }

    /// Sends an API key as the basic user name (no password).
    pub fn basic_api_key(self, key: &str) -> Self {
        self.basic_auth(key, None)
    }

    /// A timeout for each whole request (ignored with [`Self::http_client`], whose own settings
    /// apply).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A header sent with every request.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Uses this `reqwest::Client` (its settings, pool and TLS) instead of a new one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks every request against the spec before sending it; a request that breaks it fails
    /// with [`Error::Validation`] and is not sent.
    pub fn validate_requests(mut self, validate: bool) -> Self {
        self.validate = validate;
        self
    }

    /// Checks every response against the spec before decoding it: a body that does not match
    /// the schema documented for its status fails with [`Error::InvalidResponse`], which
    /// carries every error (the status and body too). Costs a second parse of each JSON body.
    pub fn check_responses(mut self, check: bool) -> Self {
        self.check_responses = check;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, Error> {
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut headers = reqwest::header::HeaderMap::new();
                for (name, value) in &self.headers {
                    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                        .map_err(|e| Error::Invalid(e.to_string()))?;
                    let value =
                        reqwest::header::HeaderValue::from_str(value).map_err(|e| Error::Invalid(e.to_string()))?;
                    headers.append(name, value);
                }
                let mut builder = reqwest::Client::builder().default_headers(headers);
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build()?
            }
        };
        Ok(C::from(Core {
            base_url: self.base_url,
            http,
            auth: self.auth,
            validate: self.validate,
            check_responses: self.check_responses,
        }))
    }
}
