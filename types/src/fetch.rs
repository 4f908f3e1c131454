//! Lists from the Fetch standard that both the backend (validating a policy) and the
//! lab (predicting what the browser will do) need, kept in one place.

/// Request headers a page's script can never set: the browser owns them, and
/// `fetch()` silently drops them (Fetch "forbidden request-header").
pub const FORBIDDEN_REQUEST_HEADERS: [&str; 21] = [
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
];

/// Whether a page may never set the request header `name` (lower case): a name of
/// the list above, or one starting with `proxy-` or `sec-`.
pub fn is_forbidden_request_header(name: &str) -> bool {
    FORBIDDEN_REQUEST_HEADERS.contains(&name)
        || name.starts_with("proxy-")
        || name.starts_with("sec-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_owns_cookies_origins_and_every_sec_and_proxy_header() {
        let cases = [
            ("cookie", true),
            ("origin", true),
            ("sec-fetch-mode", true),
            ("proxy-authorization", true),
            ("authorization", false),
            ("x-request-id", false),
            ("content-type", false),
        ];
        for (name, forbidden) in cases {
            assert_eq!(is_forbidden_request_header(name), forbidden, "{name}");
        }
    }
}
