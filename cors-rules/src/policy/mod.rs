//! A CORS policy as types, and its verdict on what a page asks for.
//!
//! The keys and their meaning are Starlette's `CORSMiddleware` (what the FastAPI
//! guide teaches): `allow_origins`, `allow_origin_regex`, `allow_methods`,
//! `allow_headers`, `allow_credentials`, `expose_headers`, `max_age`. A [`Policy`]
//! holds them *after* the backend's validator has normalised them (see
//! `backend/src/cors/validate.rs`): defaults filled in, `allow_methods = ["*"]`
//! expanded, header names lower-cased, the four always-allowed headers added.
//!
//! Its [`Verdict`] on a request is what the server decides. What the *browser* then
//! decides is another question, answered by [`crate::browser`] from the headers the
//! server actually sends ([`answer`]).

pub mod answer;
mod keys;
mod rejection;

use serde::{Deserialize, Serialize};

use crate::fetch::headers::NON_WILDCARD_REQUEST_HEADER;
pub use keys::ConfigKey;
pub use rejection::Rejection;

/// What `allow_methods = ["*"]` stands for: the seven methods of Starlette up to 1.6.
/// Not `CONNECT` or `TRACE`, which browsers refuse to send. Not `QUERY` either,
/// although Starlette 1.7 added it. `QUERY` is a standard method since RFC 10008
/// (June 2026), but it is always preflighted and new to most APIs, so this project
/// wants it listed by name. Browsers also send `query` as written (lower case), and
/// methods compare case-sensitively.
pub const ALL_METHODS: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/// `allow_methods` when it is not set: Starlette's default.
pub const DEFAULT_METHODS: [&str; 1] = ["GET"];

/// Request headers every policy allows, like Starlette's `SAFELISTED_HEADERS`.
/// (Their *values* can still make the browser ask, e.g. `Content-Type:
/// application/json`; listing them is what lets such a preflight pass.)
pub const ALWAYS_ALLOWED_HEADERS: [&str; 4] = [
    "accept",
    "accept-language",
    "content-language",
    "content-type",
];

/// `max_age` when it is not set, in seconds: Starlette's default.
pub const DEFAULT_MAX_AGE: u32 = 600;

/// Which origins may read responses.
///
/// In JSON (and in `config/*.toml`) it is the list Starlette takes: `["*"]` means
/// any origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub enum AllowOrigins {
    /// `allow_origins = ["*"]`: any origin, answered with `Access-Control-Allow-Origin: *`.
    Any,
    /// Exact serialized origins (possibly none).
    List(Vec<String>),
}

/// Which request headers a preflight may ask for.
///
/// In JSON it is a list: `["*"]` means any, and `["*", "authorization"]` any plus
/// `Authorization`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub enum AllowHeaders {
    /// `allow_headers = ["*"]`: any name except `Authorization`, unless it is listed
    /// too. The Fetch standard says a wildcard never covers it. Browsers do not
    /// enforce that yet, but this policy follows the standard.
    Any { authorization: bool },
    /// Lower-case names, always including [`ALWAYS_ALLOWED_HEADERS`].
    List(Vec<String>),
}

/// The effective CORS policy: what the server allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub allow_origins: AllowOrigins,
    /// Matched against the whole origin (the backend anchors it). This crate has no
    /// regex engine: callers say whether it matches ([`RegexVerdict`]).
    pub allow_origin_regex: Option<String>,
    pub allow_methods: Vec<String>,
    pub allow_headers: AllowHeaders,
    pub allow_credentials: bool,
    pub expose_headers: Vec<String>,
    pub max_age: u32,
}

/// Whether `allow_origin_regex` matches an origin, as far as the caller knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegexVerdict {
    Matches,
    DoesNotMatch,
    /// The caller cannot run the regex (the lab has no regex engine).
    Unknown,
}

impl From<bool> for RegexVerdict {
    fn from(matches: bool) -> Self {
        if matches {
            RegexVerdict::Matches
        } else {
            RegexVerdict::DoesNotMatch
        }
    }
}

/// The policy's decision on a preflight or an actual request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Refused(Rejection),
    /// Only `allow_origin_regex` could allow the origin, and the caller cannot tell.
    DependsOnRegex {
        regex: String,
    },
}

impl Policy {
    /// Whether requests from `origin` may read responses.
    pub fn origin_verdict(&self, origin: &str, regex: RegexVerdict) -> Verdict {
        let listed = match &self.allow_origins {
            AllowOrigins::Any => true,
            AllowOrigins::List(list) => list.iter().any(|allowed| allowed == origin),
        };
        match (listed, &self.allow_origin_regex, regex) {
            (true, ..) | (false, Some(_), RegexVerdict::Matches) => Verdict::Allowed,
            (false, Some(pattern), RegexVerdict::Unknown) => Verdict::DependsOnRegex {
                regex: pattern.clone(),
            },
            _ => Verdict::Refused(Rejection::Origin {
                origin: origin.to_string(),
            }),
        }
    }

    /// The verdict on a preflight from `origin` (`None`: the preflight had no
    /// `Origin`) asking for `method` and `request_headers`, the raw
    /// `Access-Control-Request-Headers` value.
    ///
    /// Checks run in actix-cors's order (origin, then method, then headers), and the
    /// first failure is the verdict, so it names what actix-cors refused.
    pub fn preflight_verdict(
        &self,
        origin: Option<&str>,
        method: &str,
        request_headers: Option<&str>,
        regex: RegexVerdict,
    ) -> Verdict {
        let verdict = match origin {
            Some(origin) => self.origin_verdict(origin, regex),
            // Only allow_origins = ["*"] answers a preflight without Origin (with `*`).
            None if self.allows_any_origin() => Verdict::Allowed,
            None => {
                return Verdict::Refused(Rejection::Malformed {
                    detail: "the preflight has no Origin header".into(),
                })
            }
        };
        if let Verdict::Refused(_) = verdict {
            return verdict;
        }
        if !self.allows_method(method) {
            return Verdict::Refused(Rejection::Method {
                method: method.to_string(),
            });
        }
        let names = match parse_request_headers(request_headers.unwrap_or("")) {
            Ok(names) => names,
            Err(rejection) => return Verdict::Refused(rejection),
        };
        let refused: Vec<String> = names
            .into_iter()
            .filter(|name| !self.allows_request_header(name))
            .collect();
        if refused.is_empty() {
            verdict
        } else {
            Verdict::Refused(Rejection::Headers { headers: refused })
        }
    }

    /// Whether a preflight may ask for `method` (compared case-sensitively, as
    /// servers and browsers do).
    pub fn allows_method(&self, method: &str) -> bool {
        self.allow_methods.iter().any(|allowed| allowed == method)
    }

    /// Whether a preflight may ask for the request header `name` (any case).
    pub fn allows_request_header(&self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        match &self.allow_headers {
            AllowHeaders::Any { authorization } => {
                name != NON_WILDCARD_REQUEST_HEADER || *authorization
            }
            AllowHeaders::List(list) => list.contains(&name),
        }
    }

    /// Whether the origin check alone decides for every origin (`*`).
    pub fn allows_any_origin(&self) -> bool {
        self.allow_origins == AllowOrigins::Any
    }
}

/// The names in an `Access-Control-Request-Headers` value, lower-cased.
///
/// ASCII lower-casing, as Fetch's "byte-lowercase": header names are ASCII, and
/// Unicode's case tables would cost the lab's WebAssembly some 8 KB gzip.
///
/// An empty name (`"a,,b"`, `"a,"`) makes the whole value malformed, as actix-cors
/// judges it; browsers never send one.
pub fn parse_request_headers(value: &str) -> Result<Vec<String>, Rejection> {
    if value.trim().is_empty() {
        return Ok(Vec::new());
    }
    let names: Vec<String> = value
        .split(',')
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    if names.iter().any(String::is_empty) {
        return Err(Rejection::Malformed {
            detail: "Access-Control-Request-Headers has an empty name".into(),
        });
    }
    Ok(names)
}

impl From<Vec<String>> for AllowOrigins {
    fn from(list: Vec<String>) -> Self {
        if list.len() == 1 && list[0] == "*" {
            AllowOrigins::Any
        } else {
            AllowOrigins::List(list)
        }
    }
}

impl From<AllowOrigins> for Vec<String> {
    fn from(origins: AllowOrigins) -> Self {
        match origins {
            AllowOrigins::Any => vec!["*".into()],
            AllowOrigins::List(list) => list,
        }
    }
}

impl From<Vec<String>> for AllowHeaders {
    fn from(list: Vec<String>) -> Self {
        let wildcard = list.iter().any(|name| name == "*");
        let rest: Vec<&String> = list.iter().filter(|name| *name != "*").collect();
        let only_authorization = rest
            .iter()
            .all(|name| name.eq_ignore_ascii_case(NON_WILDCARD_REQUEST_HEADER));
        if wildcard && only_authorization {
            AllowHeaders::Any {
                authorization: !rest.is_empty(),
            }
        } else {
            AllowHeaders::List(list)
        }
    }
}

impl From<AllowHeaders> for Vec<String> {
    fn from(headers: AllowHeaders) -> Self {
        match headers {
            AllowHeaders::Any {
                authorization: false,
            } => vec!["*".into()],
            AllowHeaders::Any {
                authorization: true,
            } => vec!["*".into(), NON_WILDCARD_REQUEST_HEADER.into()],
            AllowHeaders::List(list) => list,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
