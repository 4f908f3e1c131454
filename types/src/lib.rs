//! The JSON documents exchanged between the cors-lab backend and the lab page.
//!
//! Both sides compile this crate (the backend natively, the lab to WebAssembly),
//! so a field renamed here is renamed everywhere at once and the two can never
//! disagree about what a recorded exchange or a policy looks like.

use serde::{Deserialize, Serialize};

pub mod fetch;

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
    pub error: String,
    pub message: String,
}

/// The effective CORS policy, after defaults and normalisation
/// (`GET /api/policy`, `GET /lab/policy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyView {
    /// `development` or `production`.
    pub env: String,
    pub allow_origins: Vec<String>,
    pub allow_origin_regex: Option<String>,
    pub allow_methods: Vec<String>,
    /// Includes the four CORS-safelisted names that are always allowed.
    pub allow_headers: Vec<String>,
    pub allow_credentials: bool,
    pub expose_headers: Vec<String>,
    pub max_age: u32,
}

/// Why the server refused a cross-origin request.
///
/// For a preflight this is the first check that failed (origin, then method,
/// then headers); for an actual request only the origin is ever checked,
/// because the browser, not the server, blocks the response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rejection {
    /// The `Origin` is neither listed in `allow_origins` nor matched by `allow_origin_regex`.
    Origin { origin: String },
    /// The preflight asked for a method that is not in `allow_methods`.
    Method { method: String },
    /// The preflight asked for request headers that are not in `allow_headers`.
    Headers { headers: Vec<String> },
    /// The request was malformed (e.g. an oversized `Access-Control-Request-Headers`).
    Malformed { detail: String },
}

impl Rejection {
    /// The configuration key a user would change to allow the request.
    pub fn config_key(&self) -> Option<&'static str> {
        match self {
            Rejection::Origin { .. } => Some("allow_origins"),
            Rejection::Method { .. } => Some("allow_methods"),
            Rejection::Headers { .. } => Some("allow_headers"),
            Rejection::Malformed { .. } => None,
        }
    }
}

/// The sentence the backend answers a refused preflight with, and logs.
impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::Origin { origin } => write!(
                f,
                "origin \"{origin}\" is not allowed: it is neither in allow_origins \
                 nor matched by allow_origin_regex"
            ),
            Rejection::Method { method } => {
                write!(
                    f,
                    "method \"{method}\" is not allowed: it is not in allow_methods"
                )
            }
            Rejection::Headers { headers } => write!(
                f,
                "request header(s) \"{}\" not allowed: not in allow_headers",
                headers.join(", ")
            ),
            Rejection::Malformed { detail } => write!(f, "malformed CORS request: {detail}"),
        }
    }
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
    pub status: u16,
    /// The CORS response headers actually sent (`Access-Control-*`, `Vary`).
    pub response_headers: Vec<Header>,
    /// `None` when the request was allowed.
    pub rejection: Option<Rejection>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rejection_of_the_policy_names_the_key_to_change() {
        let cases = [
            (
                Rejection::Origin {
                    origin: "http://evil.example".into(),
                },
                Some("allow_origins"),
            ),
            (
                Rejection::Method {
                    method: "PATCH".into(),
                },
                Some("allow_methods"),
            ),
            (
                Rejection::Headers {
                    headers: vec!["x-debug".into()],
                },
                Some("allow_headers"),
            ),
            (
                Rejection::Malformed {
                    detail: "too long".into(),
                },
                None,
            ),
        ];
        for (rejection, key) in cases {
            assert_eq!(rejection.config_key(), key, "wrong key for {rejection:?}");
        }
    }
}
