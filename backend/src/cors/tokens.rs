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

/// Request headers a page can never set: the browser owns them (Fetch "forbidden request-header").
const FORBIDDEN_REQUEST_HEADERS: [&str; 24] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
    "x-http-method",
    "x-http-method-override",
    "x-method-override",
];

/// Whether a page's script is barred from setting this request header (`name` lower-case).
pub fn is_forbidden_request_header(name: &str) -> bool {
    FORBIDDEN_REQUEST_HEADERS.contains(&name)
        || name.starts_with("proxy-")
        || name.starts_with("sec-")
}

/// Response headers a browser never hands to a page, listed or not.
pub const FORBIDDEN_RESPONSE_HEADERS: [&str; 2] = ["set-cookie", "set-cookie2"];
