//! What a browser does when a `fetch()` answer is a redirect (Fetch, "HTTP fetch" and
//! "HTTP-redirect fetch").
//!
//! A page never sees the redirect: the browser follows it and hands over the last
//! answer. So a redirect's own headers decide nothing alone. What the page gets
//! depends on every hop:
//!
//! 1. once the request has left the page's origin, every answer must pass the CORS
//!    check, the redirect itself included;
//! 2. the browser gives up after [`MAX_REDIRECTS`] redirects;
//! 3. a `Location` with a user name or password ends a CORS request;
//! 4. after a hop from another origin on to a different one (even back to the
//!    page's own), the request's origin is *tainted*: `Origin: null` goes out, and
//!    only an answer that allows `null` can be read ([`serialized_request_origin`]).
//!    Otherwise a server could send a request on to a victim and make it look like
//!    the page's own. A redirect that only leaves the page's origin does not taint;
//! 5. `301` and `302` turn a `POST` into a `GET`, and `303` turns anything but `GET`
//!    and `HEAD` into a `GET`; the body goes ([`method_after`]).
//!
//! A preflight is never followed: a redirect answering one is a failure
//! ([`crate::browser::check_preflight`]).

/// The most redirects a fetch follows: the 21st redirect answer is a network error.
pub const MAX_REDIRECTS: u8 = 20;

/// The headers that describe a body. They go with the body when a redirect turns the
/// request into a `GET` ("request-body-header name").
pub const REQUEST_BODY_HEADER_NAMES: [&str; 4] = [
    "content-encoding",
    "content-language",
    "content-location",
    "content-type",
];

/// 301, 302, 303, 307 and 308: the statuses a browser follows. A `300` or a `304` is
/// an answer like any other.
pub fn is_redirect_status(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The method after a redirect with `status`, when it changes. The body and its
/// headers ([`REQUEST_BODY_HEADER_NAMES`]) are dropped with it. A `307` or `308`
/// keeps both: that is what they are for.
pub fn method_after(status: u16, method: &str) -> Option<&'static str> {
    let to_get = match status {
        301 | 302 => method == "POST",
        303 => !matches!(method, "GET" | "HEAD"),
        _ => false,
    };
    to_get.then_some("GET")
}

/// The `Origin` the browser sends once the request has gone through `url_origins`
/// (the serialized origins of its URLs, first to current), for a page on
/// `page_origin`: the page's origin, or `null` when a hop went from an origin that is
/// not the page's to yet another origin.
///
/// A hop away from the page's own origin does not taint: the page chose that
/// server. A hop onward from that server does: the page never chose the third one.
pub fn serialized_request_origin(page_origin: &str, url_origins: &[String]) -> String {
    let tainted = url_origins
        .windows(2)
        .any(|hop| hop[1] != hop[0] && hop[0] != page_origin);
    if tainted {
        "null".to_string()
    } else {
        page_origin.to_string()
    }
}

/// Where a redirect points, as far as Fetch's refusals care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target<'a> {
    /// e.g. `https`
    pub scheme: &'a str,
    /// The serialized origin, e.g. `https://api.example.com`.
    pub origin: &'a str,
    /// Whether the URL carries a user name or a password.
    pub has_credentials: bool,
}

/// Why a browser refuses to follow a redirect: each is a network error for the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectError {
    /// The `Location` does not parse as a URL.
    InvalidLocation,
    /// The `Location` is not `http:` or `https:`.
    NotHttp,
    /// [`MAX_REDIRECTS`] were followed already.
    TooManyRedirects,
    /// The `Location` carries a user name or password on a CORS request.
    LocationWithCredentials,
}

impl RedirectError {
    /// A stable name for scripts, e.g. `too-many-redirects`.
    pub fn as_str(self) -> &'static str {
        match self {
            RedirectError::InvalidLocation => "invalid-location",
            RedirectError::NotHttp => "not-http",
            RedirectError::TooManyRedirects => "too-many-redirects",
            RedirectError::LocationWithCredentials => "location-with-credentials",
        }
    }

    /// Chromium's name for it, where this crate knows it: a `net::` error, or
    /// DevTools' `CorsError`.
    pub fn chromium_name(self) -> Option<&'static str> {
        match self {
            RedirectError::TooManyRedirects => Some("net::ERR_TOO_MANY_REDIRECTS"),
            RedirectError::LocationWithCredentials => Some("RedirectContainsCredentials"),
            RedirectError::InvalidLocation | RedirectError::NotHttp => None,
        }
    }

    /// Why the browser stops, in a sentence.
    pub fn explain(self) -> String {
        match self {
            RedirectError::InvalidLocation => {
                "the redirect's Location is not a URL, so there is nowhere to go".to_string()
            }
            RedirectError::NotHttp => {
                "the redirect leads to a URL that is not http: or https:, which fetch() never \
                 follows"
                    .to_string()
            }
            RedirectError::TooManyRedirects => format!(
                "the browser gives up after {MAX_REDIRECTS} redirects: a loop, or a chain too \
                 long to follow"
            ),
            RedirectError::LocationWithCredentials => {
                "the redirect's Location carries a user name or password, which a \
                 cross-origin request may never follow"
                    .to_string()
            }
        }
    }
}

/// Fetch's refusals before following a redirect, in its order. `target` is `None` when
/// the `Location` does not parse; `followed` counts the redirects followed so far.
/// `cross_origin_so_far` says whether the request has left the page's origin.
pub fn refusal(
    target: Option<Target<'_>>,
    followed: u8,
    page_origin: &str,
    cross_origin_so_far: bool,
) -> Option<RedirectError> {
    let Some(target) = target else {
        return Some(RedirectError::InvalidLocation);
    };
    if !matches!(target.scheme, "http" | "https") {
        return Some(RedirectError::NotHttp);
    }
    if followed >= MAX_REDIRECTS {
        return Some(RedirectError::TooManyRedirects);
    }
    // Also back on the page's own origin: the hop came from another server.
    let credentials_refused = target.origin != page_origin || cross_origin_so_far;
    (target.has_credentials && credentials_refused)
        .then_some(RedirectError::LocationWithCredentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "http://localhost:5173";
    const API: &str = "http://localhost:8000";
    const OTHER: &str = "https://cdn.example";

    #[test]
    fn only_a_hop_onward_from_another_origin_taints_the_origin() {
        let cases: [(&[&str], &str, &str); 6] = [
            (&[API], PAGE, "no redirect: the page's origin"),
            (
                &[API, API],
                PAGE,
                "within the API's origin: the page's origin",
            ),
            (
                &[PAGE, API],
                PAGE,
                "from the page's own origin to the API: the page chose it",
            ),
            (
                &[API, OTHER],
                "null",
                "from the API to a third origin: tainted",
            ),
            (
                &[API, PAGE],
                "null",
                "from the API back to the page's origin: tainted too",
            ),
            (&[API, OTHER, API], "null", "a taint never wears off"),
        ];
        for (urls, expected, what) in cases {
            let urls: Vec<String> = urls.iter().map(|u| u.to_string()).collect();
            assert_eq!(serialized_request_origin(PAGE, &urls), expected, "{what}");
        }
    }

    #[test]
    fn only_303_and_a_posted_301_or_302_turn_the_request_into_a_get() {
        let cases = [
            (301, "POST", Some("GET"), "301 after POST"),
            (302, "POST", Some("GET"), "302 after POST"),
            (302, "PUT", None, "302 keeps PUT"),
            (303, "PUT", Some("GET"), "303 after PUT"),
            (303, "HEAD", None, "303 keeps HEAD"),
            (307, "POST", None, "307 keeps POST"),
            (308, "DELETE", None, "308 keeps DELETE"),
        ];
        for (status, method, expected, what) in cases {
            assert_eq!(method_after(status, method), expected, "{what}");
        }
    }

    #[test]
    fn each_refusal_comes_in_fetchs_order() {
        let target = |scheme, origin, has_credentials| {
            Some(Target {
                scheme,
                origin,
                has_credentials,
            })
        };
        use RedirectError::*;
        let cases = [
            (
                None,
                0,
                false,
                Some(InvalidLocation),
                "a Location that is not a URL",
            ),
            (
                target("ftp", "null", false),
                0,
                false,
                Some(NotHttp),
                "an ftp: Location",
            ),
            (
                target("http", API, false),
                19,
                true,
                None,
                "the 20th redirect is followed",
            ),
            (
                target("http", API, false),
                20,
                true,
                Some(TooManyRedirects),
                "the 21st is not",
            ),
            (
                target("http", API, true),
                0,
                false,
                Some(LocationWithCredentials),
                "a user name on another origin",
            ),
            (
                target("http", PAGE, true),
                1,
                true,
                Some(LocationWithCredentials),
                "a user name back on the page's origin, after another",
            ),
            (
                target("http", PAGE, true),
                0,
                false,
                None,
                "a user name on the page's own origin, never left",
            ),
        ];
        for (target, followed, left, expected, what) in cases {
            assert_eq!(refusal(target, followed, PAGE, left), expected, "{what}");
        }
    }

    #[test]
    fn the_statuses_followed_are_exactly_fetchs_redirect_statuses() {
        let followed: Vec<u16> = (300..400).filter(|s| is_redirect_status(*s)).collect();
        assert_eq!(followed, [301, 302, 303, 307, 308]);
    }
}
