//! Method and header names, and the lists the Fetch standard keeps of them.

/// `token` from RFC 9110: what a method or header name may consist of.
pub fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// What `allow_methods = ["*"]` stands for, as in Starlette: the standard methods,
/// not `CONNECT` or `TRACE`, which browsers refuse to send.
pub const ALL_METHODS: [&str; 7] = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];

/// Methods `fetch()` refuses to send at all.
pub const FORBIDDEN_METHODS: [&str; 3] = ["CONNECT", "TRACE", "TRACK"];

/// Methods a browser upper-cases before sending (`fetch(url, {method: "get"})` sends `GET`).
/// Every other method is sent exactly as the page wrote it.
pub const NORMALIZED_METHODS: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// Request headers that are always allowed, like Starlette's `SAFELISTED_HEADERS`.
/// (Their *values* can still make the browser ask, e.g. `Content-Type: application/json`;
/// listing them here is what lets such a preflight pass.)
pub const SAFELISTED_REQUEST_HEADERS: [&str; 4] = [
    "accept",
    "accept-language",
    "content-language",
    "content-type",
];

/// Response headers a page can always read, without `expose_headers`.
pub const SAFELISTED_RESPONSE_HEADERS: [&str; 7] = [
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

pub use lab_types::fetch::is_forbidden_request_header;

/// Response headers a browser never hands to a page, listed or not.
pub const FORBIDDEN_RESPONSE_HEADERS: [&str; 2] = ["set-cookie", "set-cookie2"];
