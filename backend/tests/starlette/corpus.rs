//! The requests both servers answer, generated from a few lists.
//!
//! Preflights: every origin asks for every method (no headers), and for `POST` with
//! every header list. A few preflights also carry `Access-Control-Request-Private-Network`.
//! Actual requests: every origin (and none), `GET`, `POST` and `PATCH`, with and without
//! a `Cookie`. Browsers send preflights without cookies, always with `Origin`.

use super::Request;

/// Listed, unlisted and lookalike origins, `null`, case, port and trailing-slash
/// variants. The shipped configs list the first three (development) and
/// `https://app.example.com` (production); the regex config also matches
/// `https://docs.example.com`.
pub const ORIGINS: &[&str] = &[
    "http://localhost:5173",
    "http://127.0.0.1:5173",
    "http://localhost:3000",
    "https://app.example.com",
    "https://docs.example.com",
    "http://evil.example",
    "http://localhost:5173.evil.example",
    "https://app.example.com.evil.example",
    "https://docsxexample.com",
    "http://docs.example.com",
    "null",
    "HTTP://LOCALHOST:5173",
    "https://APP.example.com",
    "http://localhost:5173/",
    "https://app.example.com:443",
    "http://localhost:5174",
];

/// Methods a preflight asks for: listed, unlisted, lower case, unknown.
pub const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "put", "patch", "FOO",
];

/// `Access-Control-Request-Headers` values, as browsers send them (lower case,
/// sorted, no spaces) and one as a hand-written client might.
pub const HEADER_LISTS: &[&str] = &[
    "content-type",
    "x-request-id",
    "authorization",
    "x-debug",
    "content-type,x-request-id",
    "authorization,content-type",
    "authorization,x-debug",
    "accept,content-type,x-debug,x-request-id",
    "X-Request-Id, Content-Type",
];

/// Origins whose `GET` preflight also carries `Access-Control-Request-Private-Network: true`,
/// the header of Private Network Access (the older browser scheme for calls from a public
/// page to the local network or localhost). Development allows the first, production the second,
/// and only `*` allows the third. Starlette refuses every such preflight; this backend
/// ignores the header.
pub const PRIVATE_NETWORK_ORIGINS: &[&str] = &[
    "http://localhost:5173",
    "https://app.example.com",
    "http://evil.example",
];

/// Methods of actual requests. No config lists `PATCH`: neither server checks the
/// method of an actual request (only a preflight asks for one).
pub const ACTUAL_METHODS: &[&str] = &["GET", "POST", "PATCH"];

/// The cookie an actual request may carry.
pub const COOKIE: &str = "session=corpus";

const PATH: &str = "/api/items";

fn preflight(origin: &str, method: &str, request_headers: Option<&str>) -> Request {
    let mut headers = vec![("Access-Control-Request-Method", method.to_string())];
    if let Some(list) = request_headers {
        headers.push(("Access-Control-Request-Headers", list.to_string()));
    }
    Request {
        method: "OPTIONS".into(),
        path: PATH,
        origin: Some(origin.into()),
        headers,
    }
}

/// Every request of the corpus.
pub fn requests() -> Vec<Request> {
    let mut requests = Vec::new();
    for origin in ORIGINS {
        for method in METHODS {
            requests.push(preflight(origin, method, None));
        }
        for list in HEADER_LISTS {
            requests.push(preflight(origin, "POST", Some(list)));
        }
    }
    for origin in PRIVATE_NETWORK_ORIGINS {
        let mut request = preflight(origin, "GET", None);
        request
            .headers
            .push(("Access-Control-Request-Private-Network", "true".into()));
        requests.push(request);
    }
    let origins = ORIGINS.iter().map(|o| Some(o.to_string())).chain([None]);
    for origin in origins {
        for method in ACTUAL_METHODS {
            for cookie in [false, true] {
                let mut headers = vec![];
                if *method == "POST" {
                    headers.push(("Content-Type", "text/plain".to_string()));
                }
                if cookie {
                    headers.push(("Cookie", COOKIE.to_string()));
                }
                requests.push(Request {
                    method: method.to_string(),
                    path: PATH,
                    origin: origin.clone(),
                    headers,
                });
            }
        }
    }
    requests
}
