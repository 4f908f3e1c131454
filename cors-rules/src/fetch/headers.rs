//! Header names and values: which a page may set, which it may read, and which
//! values keep a request "simple".

use super::tokens::is_token_byte;

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

/// Whether a page may never set the request header `name` (any case): a name of the
/// list above, or one starting with `proxy-` or `sec-`.
pub fn is_forbidden_request_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    FORBIDDEN_REQUEST_HEADERS.contains(&name.as_str())
        || name.starts_with("proxy-")
        || name.starts_with("sec-")
}

/// Whether `name` (any case) is a CORS response header: one that starts with
/// `Access-Control-`, such as `Access-Control-Allow-Origin`.
///
/// The two `Access-Control-Request-*` headers are not: a browser sends them, in a
/// preflight, and a server never answers with them.
pub fn is_cors_response_header(name: &str) -> bool {
    let starts_with = |prefix: &str| {
        name.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    };
    starts_with("access-control-") && !starts_with("access-control-request-")
}

/// The five request headers that *can* be CORS-safelisted, depending on their value.
pub const SAFELISTABLE_REQUEST_HEADERS: [&str; 5] = [
    "accept",
    "accept-language",
    "content-language",
    "content-type",
    "range",
];

/// The only `Content-Type` values (by MIME essence) a simple request may carry:
/// what a plain HTML form can send.
pub const SAFELISTED_CONTENT_TYPES: [&str; 3] = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
];

/// Longest value of one safelisted header, in bytes.
pub const MAX_SAFELISTED_VALUE_LEN: usize = 128;

/// Most bytes all safelisted header values may add up to; beyond it every one of
/// them counts as unsafe.
pub const MAX_SAFELISTED_TOTAL_LEN: usize = 1024;

/// The one request header that the Fetch standard says a wildcard
/// `Access-Control-Allow-Headers: *` never covers (a "CORS non-wildcard request-header
/// name"). No shipping browser enforces that rule yet (see
/// [`crate::browser::CHROMIUM_WILDCARD_COVERS_AUTHORIZATION`]). A server should still
/// list it by name, since browsers may start enforcing it at any time.
pub const NON_WILDCARD_REQUEST_HEADER: &str = "authorization";

/// Response headers a page can always read, without `Access-Control-Expose-Headers`.
pub const SAFELISTED_RESPONSE_HEADERS: [&str; 7] = [
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// Response headers a browser never hands to a page, exposed or not.
pub const FORBIDDEN_RESPONSE_HEADERS: [&str; 2] = ["set-cookie", "set-cookie2"];

/// Why one request header makes the request non-simple.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderReason {
    /// Not one of the five names that can be safelisted at all.
    NotSafelisted,
    /// A `Content-Type` whose type is not one a form could send.
    ContentType { essence: String },
    /// A safelisted name with a value that is too long or has odd bytes.
    UnsafeValue { detail: &'static str },
    /// The safelisted headers' values add up to more than 1024 bytes.
    TooMuchInTotal,
}

/// `None` when the header is CORS-safelisted with this value, else why not.
pub fn safelist_verdict(name: &str, value: &str) -> Option<HeaderReason> {
    const UNSAFE_BYTE: &str =
        "it contains a byte such as \" ( ) : < > ? @ [ \\ ] { } or a control character";
    let lower = name.to_ascii_lowercase();
    if !SAFELISTABLE_REQUEST_HEADERS.contains(&lower.as_str()) {
        return Some(HeaderReason::NotSafelisted);
    }
    if value.len() > MAX_SAFELISTED_VALUE_LEN {
        return Some(HeaderReason::UnsafeValue {
            detail: "longer than 128 bytes",
        });
    }
    match lower.as_str() {
        "accept" => has_unsafe_byte(value).then_some(HeaderReason::UnsafeValue {
            detail: UNSAFE_BYTE,
        }),
        "accept-language" | "content-language" => {
            let ok = value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b));
            (!ok).then_some(HeaderReason::UnsafeValue {
                detail: "only letters, digits, space and * , - . ; = are allowed",
            })
        }
        "content-type" => {
            if has_unsafe_byte(value) {
                return Some(HeaderReason::UnsafeValue {
                    detail: UNSAFE_BYTE,
                });
            }
            match mime_essence(value) {
                Some(essence) if SAFELISTED_CONTENT_TYPES.contains(&essence.as_str()) => None,
                Some(essence) => Some(HeaderReason::ContentType { essence }),
                None => Some(HeaderReason::ContentType {
                    essence: value.to_string(),
                }),
            }
        }
        _ => (!is_simple_range(value)).then_some(HeaderReason::UnsafeValue {
            detail: "only a single range such as bytes=0-99 is safelisted",
        }),
    }
}

/// The Fetch "CORS-unsafe request-header byte" test.
fn has_unsafe_byte(value: &str) -> bool {
    value
        .bytes()
        .any(|b| (b < 0x20 && b != 0x09) || b == 0x7f || b"\"():<>?@[\\]{}".contains(&b))
}

/// `type/subtype` of a MIME type, lower-cased, or `None` if it does not parse.
fn mime_essence(value: &str) -> Option<String> {
    let essence = value.split(';').next()?.trim().to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/')?;
    let valid = |part: &str| !part.is_empty() && part.bytes().all(is_token_byte);
    (valid(kind) && valid(subtype)).then_some(essence)
}

/// `bytes=N-` or `bytes=N-M` with N ≤ M: the one `Range` form that is safelisted.
fn is_simple_range(value: &str) -> bool {
    let Some((start, end)) = value
        .strip_prefix("bytes=")
        .and_then(|range| range.split_once('-'))
    else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(start)
        && (end.is_empty() || digits(end) && start.parse::<u64>().ok() <= end.parse::<u64>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_owns_cookies_origins_and_every_sec_and_proxy_header() {
        let cases = [
            ("cookie", true),
            ("Origin", true),
            ("sec-fetch-mode", true),
            ("Proxy-Authorization", true),
            ("authorization", false),
            ("x-request-id", false),
            ("content-type", false),
        ];
        for (name, forbidden) in cases {
            assert_eq!(is_forbidden_request_header(name), forbidden, "{name}");
        }
    }

    #[test]
    fn a_cors_response_header_starts_with_access_control_in_any_case() {
        let cases = [
            ("access-control-allow-origin", true, "the usual name"),
            ("Access-Control-Allow-Credentials", true, "any case"),
            ("ACCESS-CONTROL-EXPOSE-HEADERS", true, "upper case"),
            ("access-control-max-age", true, "not an Allow- header"),
            (
                "access-control-request-method",
                false,
                "the browser sends it",
            ),
            (
                "Access-Control-Request-Headers",
                false,
                "the browser sends it",
            ),
            ("vary", false, "caches read it, CORS does not"),
            ("access-control", false, "no dash after the prefix"),
            (
                "x-access-control-allow-origin",
                false,
                "a prefix is at the start",
            ),
            ("", false, "no name"),
        ];
        for (name, cors, why) in cases {
            assert_eq!(is_cors_response_header(name), cors, "{why}: {name:?}");
        }
    }

    #[test]
    fn a_safelistable_header_stays_safe_only_with_a_harmless_value() {
        let long = "a".repeat(129);
        let cases: [(&str, &str, bool, &str); 11] = [
            ("Accept", "application/json", true, "a plain Accept"),
            ("Accept", "text/html(x)", false, "an unsafe byte"),
            ("Accept", &long, false, "over 128 bytes"),
            (
                "Accept-Language",
                "en-GB, fr;q=0.8",
                true,
                "a language list",
            ),
            ("Accept-Language", "en/us", false, "a slash"),
            (
                "Content-Type",
                "Text/Plain; charset=utf-8",
                true,
                "text/plain with a charset",
            ),
            (
                "Content-Type",
                "multipart/form-data; boundary=x",
                true,
                "a form upload",
            ),
            ("Content-Type", "application/json", false, "JSON"),
            ("Range", "bytes=0-99", true, "a single range"),
            ("Range", "bytes=0-1,5-6", false, "several ranges"),
            ("X-Debug", "1", false, "not safelistable"),
        ];
        for (name, value, safe, why) in cases {
            assert_eq!(
                safelist_verdict(name, value).is_none(),
                safe,
                "{why}: {name}: {value}"
            );
        }
    }
}
