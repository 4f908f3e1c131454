//! The JSON documents exchanged between the cors-lab backend and the lab page.
//!
//! Both sides compile this crate (the backend natively, the lab to WebAssembly),
//! so a field renamed here is renamed everywhere at once and the two can never
//! disagree about what a recorded exchange or a policy looks like.

use std::fmt;

use serde::{Deserialize, Serialize};

pub mod exhibits;
pub mod governor;
pub mod hosts;
pub mod public;

pub use cors_rules::policy::{Policy, Rejection};

/// One entry of the demo collection behind `/api/items`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: u64,
    pub name: String,
    pub done: bool,
}

/// Body of `POST /api/items` and `PUT /api/items/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    pub name: String,
    #[serde(default)]
    pub done: bool,
}

/// Body of `PATCH /api/items/{id}`: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    pub name: Option<String>,
    pub done: Option<bool>,
}

/// Body of `POST /api/login`, `GET /api/whoami` and `POST /api/logout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// `None` after logout.
    pub user: Option<String>,
}

/// Body of `GET /api/trace`: the `X-Request-Id` the request carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEcho {
    pub request_id: String,
}

/// Body of a successful `GET /api/protected`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Secret {
    pub message: String,
}

/// Body of `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
}

/// Every 4xx/5xx the backend produces itself has this body.
///
/// `error` is a stable machine-readable code, `message` a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ErrorCode,
    pub message: String,
}

/// The API's error codes: the `error` of an [`ApiError`], e.g. `"not_found"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A preflight the CORS policy refuses (see `Rejection`).
    CorsPreflightRefused,
    /// A preflight that no policy could accept (no `Origin`, a malformed or oversized
    /// `Access-Control-Request-Headers`).
    CorsPreflightMalformed,
    NotFound,
    InvalidJson,
    InvalidItem,
    PayloadTooLarge,
    UnsupportedMediaType,
    CollectionFull,
    MissingRequestId,
    NotLoggedIn,
    Unauthorized,
    /// A `Host` this server does not answer to (`421`): the defence against DNS
    /// rebinding.
    MisdirectedRequest,
    /// A state-changing request from a page the CORS policy does not trust (`403`).
    CrossSiteRequest,
    /// A request body that did not arrive in time (`408`).
    RequestTimeout,
    /// A query string the route cannot read (`400`), such as `?since=abc`.
    InvalidQuery,
}

impl ErrorCode {
    /// The code as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::CorsPreflightRefused => "cors_preflight_refused",
            ErrorCode::CorsPreflightMalformed => "cors_preflight_malformed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidItem => "invalid_item",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::CollectionFull => "collection_full",
            ErrorCode::MissingRequestId => "missing_request_id",
            ErrorCode::NotLoggedIn => "not_logged_in",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::MisdirectedRequest => "misdirected_request",
            ErrorCode::CrossSiteRequest => "cross_site_request",
            ErrorCode::RequestTimeout => "request_timeout",
            ErrorCode::InvalidQuery => "invalid_query",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The effective CORS policy, after defaults and normalisation
/// (`GET /api/policy`, `GET /lab/policy`).
///
/// The keys are flattened into one JSON object, as Starlette names them:
/// `{"env": "development", "allow_origins": [...], "allow_methods": [...], ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyView {
    /// `development` or `production`.
    pub env: String,
    #[serde(flatten)]
    pub policy: Policy,
}

/// A header name and value, in the order they were seen.
pub type Header = (String, String);

/// One request that carried `Origin`, as the exchange recorder saw it
/// (`GET /lab/exchanges`, and one per `exchange` event on `GET /lab/events`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// Increases by one per recorded exchange; use it with `?since=`.
    pub id: u64,
    /// Milliseconds since the Unix epoch.
    pub at_ms: u64,
    pub method: String,
    /// Path and query, e.g. `/api/items?lab_run=7`: the lab tags each run with
    /// a query parameter so that it can find the preflight that belongs to it.
    pub path: String,
    pub origin: String,
    /// `OPTIONS` with `Access-Control-Request-Method`.
    pub preflight: bool,
    /// The CORS request headers (`Origin`, `Access-Control-Request-*`).
    pub request_headers: Vec<Header>,
    /// Whether the request carried a `Cookie` header (its value is never recorded).
    pub had_cookie: bool,
    /// Whether the request carried an `Authorization` header (its value is never recorded).
    pub had_authorization: bool,
    /// The status sent, or [`Exchange::NO_RESPONSE`].
    pub status: u16,
    /// The CORS response headers actually sent (`Access-Control-*`, `Vary`).
    pub response_headers: Vec<Header>,
    /// `None` when the request was allowed.
    pub rejection: Option<Rejection>,
}

impl Exchange {
    /// The status recorded for a request the server received but never answered
    /// (it closed the connection): nginx's 444, "closed without a response". No
    /// client ever sees it; the recorder and the lab's diagnosis do.
    pub const NO_RESPONSE: u16 = 444;

    /// How a value the recorder cut short ends: `…[cut 60416 bytes]`, after the
    /// bytes it kept. The recorder keeps a small prefix of each value (origin, path,
    /// method, each header), so that a request with a 60 KiB header cannot make it
    /// hold 60 KiB. The number says how much was left out. A list of headers cut
    /// short ends with one more header, named `…[cut 3 headers]`, with no value.
    pub const CUT_MARKER: &'static str = "…[cut ";

    /// How many exchanges `GET /lab/exchanges` answers when `limit` is absent.
    pub const PAGE_DEFAULT: usize = 50;

    /// The largest `limit` that `GET /lab/exchanges` accepts; a larger one is refused.
    /// A page may hold fewer exchanges than asked, to keep its size bounded in bytes:
    /// read on with `?since=` the last id until a page comes back empty.
    pub const PAGE_MAX: usize = 500;

    /// Whether the server sent an answer.
    pub fn answered(&self) -> bool {
        self.status != Exchange::NO_RESPONSE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_is_written_in_json_as_as_str_says() {
        let codes = [
            ErrorCode::CorsPreflightRefused,
            ErrorCode::CorsPreflightMalformed,
            ErrorCode::NotFound,
            ErrorCode::InvalidJson,
            ErrorCode::InvalidItem,
            ErrorCode::PayloadTooLarge,
            ErrorCode::UnsupportedMediaType,
            ErrorCode::CollectionFull,
            ErrorCode::MissingRequestId,
            ErrorCode::NotLoggedIn,
            ErrorCode::Unauthorized,
            ErrorCode::MisdirectedRequest,
            ErrorCode::CrossSiteRequest,
            ErrorCode::RequestTimeout,
            ErrorCode::InvalidQuery,
        ];
        for code in codes {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{code}\""), "{code:?}");
        }
    }
}
