//! What the differential compares in two answers to one request, and how.
//!
//! The decision is the browser's: both answers go through the same checks a browser
//! runs (`cors_rules::browser`), once per credentials mode the request could have been
//! sent with. Then each CORS header, normalised so that only meaning counts: lists
//! compare as sets (actix-cors lists them in hash order; Starlette keeps the config's
//! order and case), header names and `Vary` tokens in any case, methods exactly.

use std::fmt;

use cors_rules::browser::{check_preflight, check_response, CorsRequest};
use cors_rules::fetch::Credentials;
use cors_rules::ResponseHead;

use super::Request;

/// One thing compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Whether the browser lets the page go on (preflight) or read the answer.
    Decision(Credentials),
    AllowOrigin,
    AllowCredentials,
    AllowMethods,
    AllowHeaders,
    MaxAge,
    ExposeHeaders,
    Vary,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Decision(credentials) => write!(f, "decision (credentials: {credentials:?})"),
            Field::AllowOrigin => f.write_str("Access-Control-Allow-Origin"),
            Field::AllowCredentials => f.write_str("Access-Control-Allow-Credentials"),
            Field::AllowMethods => f.write_str("Access-Control-Allow-Methods"),
            Field::AllowHeaders => f.write_str("Access-Control-Allow-Headers"),
            Field::MaxAge => f.write_str("Access-Control-Max-Age"),
            Field::ExposeHeaders => f.write_str("Access-Control-Expose-Headers"),
            Field::Vary => f.write_str("Vary"),
        }
    }
}

/// The fields compared for `request`: a request with a `Cookie` was sent with
/// `credentials: "include"`; any other could have been sent either way.
pub fn fields(request: &Request) -> Vec<Field> {
    let mut fields = vec![Field::Decision(Credentials::Include)];
    if !request.has_cookie() {
        fields.push(Field::Decision(Credentials::SameOrigin));
    }
    fields.extend([
        Field::AllowOrigin,
        Field::AllowCredentials,
        Field::AllowMethods,
        Field::AllowHeaders,
        Field::MaxAge,
        Field::ExposeHeaders,
        Field::Vary,
    ]);
    fields
}

/// The field's normalised value in `answer` (`None`: header absent).
pub fn value(field: Field, request: &Request, answer: &ResponseHead) -> Option<String> {
    let header = |name: &str| answer.get(name);
    let set = |name: &str, lower: bool| {
        header(name).map(|value| {
            let mut items: Vec<String> = value
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| match lower {
                    true => item.to_ascii_lowercase(),
                    false => item.to_string(),
                })
                .collect();
            items.sort();
            items.dedup();
            items.join(", ")
        })
    };
    match field {
        Field::Decision(credentials) => Some(decision(request, credentials, answer)),
        Field::AllowOrigin => header("Access-Control-Allow-Origin"),
        Field::AllowCredentials => header("Access-Control-Allow-Credentials"),
        Field::AllowMethods => set("Access-Control-Allow-Methods", false),
        Field::AllowHeaders => set("Access-Control-Allow-Headers", true),
        Field::MaxAge => header("Access-Control-Max-Age"),
        Field::ExposeHeaders => set("Access-Control-Expose-Headers", true),
        Field::Vary => set("Vary", true),
    }
}

/// `"allowed"` or `"refused: <Chromium's corsError>"`.
fn decision(request: &Request, credentials: Credentials, answer: &ResponseHead) -> String {
    let Some(origin) = &request.origin else {
        // Not a CORS request: a browser never sends one cross-origin.
        return "not a CORS request".into();
    };
    let acrh = request
        .header("Access-Control-Request-Headers")
        .unwrap_or("");
    let cors = CorsRequest {
        origin: origin.clone(),
        method: match request.is_preflight() {
            true => request
                .header("Access-Control-Request-Method")
                .unwrap()
                .into(),
            false => request.method.clone(),
        },
        request_headers: acrh
            .split(',')
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect(),
        credentials,
    };
    let verdict = match request.is_preflight() {
        true => check_preflight(&cors, answer),
        false => check_response(&cors, answer),
    };
    match verdict {
        Ok(()) => "allowed".into(),
        Err(failure) => format!("refused ({:?})", failure.cors_error),
    }
}

/// Whether a decision value means the browser went on.
pub fn allowed(decision: Option<&str>) -> bool {
    decision == Some("allowed")
}

/// One field on which the two answers to one request disagree.
#[derive(Debug)]
pub struct Disagreement<'a> {
    /// The configuration's name.
    pub config: &'a str,
    pub request: &'a Request,
    pub field: Field,
    pub backend: Option<String>,
    pub starlette: Option<String>,
    pub backend_answer: &'a ResponseHead,
    pub starlette_answer: &'a ResponseHead,
}

impl Disagreement<'_> {
    /// The tokens of a set-valued field one side has and the other lacks:
    /// (only in the backend's, only in Starlette's).
    pub fn set_difference(&self) -> (Vec<String>, Vec<String>) {
        let items = |value: &Option<String>| -> Vec<String> {
            value
                .as_deref()
                .unwrap_or("")
                .split(", ")
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        };
        let (ours, theirs) = (items(&self.backend), items(&self.starlette));
        (
            ours.iter()
                .filter(|t| !theirs.contains(t))
                .cloned()
                .collect(),
            theirs
                .iter()
                .filter(|t| !ours.contains(t))
                .cloned()
                .collect(),
        )
    }

    /// Whether the backend's answer lets the browser go on (for the field's mode, or
    /// with `credentials: "include"` for header fields).
    pub fn backend_allows(&self) -> bool {
        let mode = match self.field {
            Field::Decision(credentials) => credentials,
            _ => Credentials::Include,
        };
        decision(self.request, mode, self.backend_answer) == "allowed"
    }

    pub fn starlette_allows(&self) -> bool {
        let mode = match self.field {
            Field::Decision(credentials) => credentials,
            _ => Credentials::Include,
        };
        decision(self.request, mode, self.starlette_answer) == "allowed"
    }
}
