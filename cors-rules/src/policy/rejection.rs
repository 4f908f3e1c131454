//! Why a policy refuses a cross-origin request, as a value.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::keys::ConfigKey;

/// Why the server's policy refused a cross-origin request.
///
/// For a preflight this is the first check that failed (origin, then method, then
/// headers: actix-cors's order); for an actual request only the origin is ever
/// checked, because the browser, not the server, blocks the response.
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
    pub fn config_key(&self) -> Option<ConfigKey> {
        match self {
            Rejection::Origin { .. } => Some(ConfigKey::AllowOrigins),
            Rejection::Method { .. } => Some(ConfigKey::AllowMethods),
            Rejection::Headers { .. } => Some(ConfigKey::AllowHeaders),
            Rejection::Malformed { .. } => None,
        }
    }
}

/// The sentence the backend answers a refused preflight with, and logs.
impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Origin { origin } => write!(
                f,
                "origin \"{origin}\" is not allowed: it is neither in {} nor matched by {}",
                ConfigKey::AllowOrigins,
                ConfigKey::AllowOriginRegex
            ),
            Rejection::Method { method } => write!(
                f,
                "method \"{method}\" is not allowed: it is not in {}",
                ConfigKey::AllowMethods
            ),
            Rejection::Headers { headers } => write!(
                f,
                "request header(s) \"{}\" not allowed: not in {}",
                headers.join(", "),
                ConfigKey::AllowHeaders
            ),
            Rejection::Malformed { detail } => write!(f, "malformed CORS request: {detail}"),
        }
    }
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
                Some(ConfigKey::AllowOrigins),
            ),
            (
                Rejection::Method {
                    method: "PATCH".into(),
                },
                Some(ConfigKey::AllowMethods),
            ),
            (
                Rejection::Headers {
                    headers: vec!["x-debug".into()],
                },
                Some(ConfigKey::AllowHeaders),
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
            if let Some(key) = key {
                assert!(
                    rejection.to_string().contains(key.as_str()),
                    "the sentence names {key}: {rejection}"
                );
            }
        }
    }
}
