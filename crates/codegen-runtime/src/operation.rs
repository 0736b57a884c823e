//! What the generated server and client know of each operation at run time: its
//! `operationId`, method and route template (for tracing), and the documented responses with
//! the check of each JSON body (for response checks).
//!
//! The generated validation crate writes one [`Operation`] per operation as a constant (its
//! operation module's `OPERATION`), which the server and the client share; nothing here
//! allocates until a check fails.

use crate::validation::{Check, Direction, ValidationError, ValidationErrors};
use serde_json::Value;

/// One operation of the spec, as a generated crate describes it.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// Its `operationId` (`listConversations`).
    pub id: &'static str,
    /// Its HTTP method as the spec writes it, upper case (`GET`).
    pub method: &'static str,
    /// Its path template as the spec writes it (`/conversations/{id}.json`), without the server
    /// URL's path.
    pub route: &'static str,
    /// Its documented responses, in spec order.
    pub responses: &'static [Expected],
}

/// One documented response: the statuses it covers and the check of its body.
#[derive(Debug, Clone, Copy)]
pub struct Expected {
    /// The statuses it covers.
    pub status: Statuses,
    /// The check of its JSON body (`None`: no body, a body that is not JSON, or a JSON body
    /// without a schema; not checked).
    pub check: Option<Check>,
}

/// The statuses a documented response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statuses {
    /// One status (`200`).
    Code(u16),
    /// A range: the hundreds digit (`4` for `4XX`).
    Range(u16),
    /// `default`: every status the others do not cover.
    Default,
}

impl Expected {
    /// The response of one status (`200`), with the check of its JSON body.
    pub const fn code(code: u16, check: Option<Check>) -> Self {
        Expected { status: Statuses::Code(code), check }
    }

    /// The response of a status range, by its hundreds digit (`4` for `4XX`), with the check of
    /// its JSON body.
    pub const fn range(hundreds: u16, check: Option<Check>) -> Self {
        Expected { status: Statuses::Range(hundreds), check }
    }

    /// The `default` response, with the check of its JSON body.
    pub const fn default_response(check: Option<Check>) -> Self {
        Expected { status: Statuses::Default, check }
    }
}

impl Operation {
    /// The documented response that covers `status`: an exact code first, then a range, then
    /// `default`, as OpenAPI says.
    pub fn expected(&self, status: u16) -> Option<&'static Expected> {
        let responses = self.responses;
        responses
            .iter()
            .find(|e| e.status == Statuses::Code(status))
            .or_else(|| responses.iter().find(|e| e.status == Statuses::Range(status / 100)))
            .or_else(|| responses.iter().find(|e| e.status == Statuses::Default))
    }

    /// Checks a response of this operation as it was sent (status and body): every error at
    /// once, each path starting with `response` (`response.conversation.id`) so that it cannot
    /// be taken for a field of the request. A status the spec does not document is an error
    /// (keyword `status`); a body that is not JSON, where the spec's is, one of keyword `type`.
    pub fn check_response(&self, status: u16, body: &[u8]) -> Result<(), ValidationErrors> {
        match self.expected(status) {
            None => Err(ValidationErrors(vec![ValidationError {
                path: "response.status".to_string(),
                pointer: String::new(),
                keyword: "status",
                message: format!("{status} is not documented for {}", self.id),
            }])),
            Some(Expected { check: None, .. }) => Ok(()),
            Some(Expected { check: Some(check), .. }) => check_body(*check, body),
        }
    }
}

/// Checks a JSON response body against its schema (direction [`Direction::Response`]); paths
/// start with `response`.
pub fn check_body(check: Check, body: &[u8]) -> Result<(), ValidationErrors> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(err) => {
            return Err(ValidationErrors(vec![ValidationError {
                path: "response".to_string(),
                pointer: String::new(),
                keyword: "type",
                message: format!("is not JSON: {err}"),
            }]))
        }
    };
    check(&value, Direction::Response).map_err(|errors| {
        ValidationErrors(
            errors
                .0
                .into_iter()
                .map(|mut error| {
                    error.path = match error.path.chars().next() {
                        None => "response".to_string(),
                        Some('[') => format!("response{}", error.path),
                        Some(_) => format!("response.{}", error.path),
                    };
                    error
                })
                .collect(),
        )
    })
}

/// Whether a `Content-Type` value is JSON: `application/json` or a `+json` type, whatever its
/// parameters and case.
#[cfg(any(feature = "server", feature = "client"))]
pub(crate) fn is_json_content_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
}
