//! WebKit's (Safari's) words for a CORS failure.
//!
//! WebKit prints the reason on a line of its own, then a second line naming the
//! URL: "Fetch API cannot load <URL> due to access control checks." The reasons
//! are WebKit's (`Source/WebCore/loader/CrossOriginAccessControl.cpp` and
//! `CrossOriginPreflightResultCache.cpp`), and differ from Chromium's in ways a
//! learner meets:
//!
//! - WebKit checks a preflight's status *before* its `Access-Control-Allow-Origin`:
//!   a preflight refused with a 400 and no CORS headers is "Preflight response is
//!   not successful. Status code: 400", where Chromium and Firefox blame the
//!   missing header;
//! - a missing, mismatched or invalid `Access-Control-Allow-Origin` is one message,
//!   naming the page's origin rather than the header's value;
//! - a list it cannot parse is quoted whole;
//! - a connection dropped without an answer prints nothing at all.
//!
//! The lines of every scenario and exhibit of the lab were seen in WebKitGTK 2.50
//! by this project's browser suite; the other cases follow the files named above.

use super::{Blocked, CorsError, Failure, NetError};

/// One of WebKit's console messages about CORS.
///
/// WebKit builds its messages in code; written here as templates, with the values
/// marked as Firefox marks them (`%1$S`, `%2$S`), so that the three engines' words
/// read alike and a test can tell a filled line from its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Message {
    /// `%1$S`: the page's origin; `%2$S`: the answer's status.
    OriginNotAllowed,
    MoreThanOneOrigin,
    WildcardWithCredentials,
    CredentialsNotTrue,
    /// `%1$S`: the preflight's status.
    PreflightNotSuccessful,
    /// `%1$S`: the header's whole value.
    InvalidAllowMethods,
    /// `%1$S`: the header's whole value.
    InvalidAllowHeaders,
    /// `%1$S`: the method.
    MethodNotAllowed,
    /// `%1$S`: the header's name.
    HeaderNotAllowed,
    /// `%1$S`: the URL. The line after every reason, for a `fetch()`.
    CannotLoad,
}

impl Message {
    /// Every message this crate prints.
    pub const ALL: [Message; 10] = [
        Message::OriginNotAllowed,
        Message::MoreThanOneOrigin,
        Message::WildcardWithCredentials,
        Message::CredentialsNotTrue,
        Message::PreflightNotSuccessful,
        Message::InvalidAllowMethods,
        Message::InvalidAllowHeaders,
        Message::MethodNotAllowed,
        Message::HeaderNotAllowed,
        Message::CannotLoad,
    ];

    /// WebKit's words, with `%1$S` and `%2$S` where it puts values.
    pub fn template(self) -> &'static str {
        use Message::*;
        match self {
            OriginNotAllowed => {
                "Origin %1$S is not allowed by Access-Control-Allow-Origin. Status code: %2$S"
            }
            MoreThanOneOrigin => "Access-Control-Allow-Origin cannot contain more than one origin.",
            WildcardWithCredentials => {
                "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."
            }
            CredentialsNotTrue => {
                "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\"."
            }
            PreflightNotSuccessful => "Preflight response is not successful. Status code: %1$S",
            InvalidAllowMethods => "Header Access-Control-Allow-Methods has an invalid value: %1$S",
            InvalidAllowHeaders => "Header Access-Control-Allow-Headers has an invalid value: %1$S",
            MethodNotAllowed => "Method %1$S is not allowed by Access-Control-Allow-Methods.",
            HeaderNotAllowed => {
                "Request header field %1$S is not allowed by Access-Control-Allow-Headers."
            }
            CannotLoad => "Fetch API cannot load %1$S due to access control checks.",
        }
    }

    /// The template with `first` and `second` in place.
    pub fn fill(self, first: &str, second: &str) -> String {
        self.template()
            .replace("%1$S", first)
            .replace("%2$S", second)
    }
}

/// WebKit's lines for a failure Chromium classified as `failure`.
pub(super) fn console_lines(failure: &Failure, blocked: &Blocked) -> Vec<String> {
    let (message, first, second) = message_for(failure, blocked);
    vec![
        message.fill(&first, &second),
        Message::CannotLoad.fill(blocked.url, ""),
    ]
}

/// WebKit's lines for a cross-origin request that got no answer: none. WebKitGTK
/// 2.50 printed nothing for a dropped connection in this project's browser suite;
/// the page's `TypeError: Load failed` is all there is.
pub(super) fn network_lines(_error: NetError, _url: &str) -> Vec<String> {
    Vec::new()
}

/// Which of WebKit's messages reports `failure`, and its values.
fn message_for(failure: &Failure, blocked: &Blocked) -> (Message, String, String) {
    use CorsError::*;
    use Message::*;
    let answer = blocked.answer;
    let status = answer.status.to_string();
    let value = failure.failed_parameter.clone();
    let list = |name: &str| answer.get(name).unwrap_or_default();
    if failure.cors_error.is_preflight() && !answer.is_ok() {
        // The status first, whatever else is wrong; a redirect's status included.
        return (PreflightNotSuccessful, status, String::new());
    }
    match failure.cors_error {
        MultipleAllowOriginValues | PreflightMultipleAllowOriginValues if value.contains(',') => {
            (MoreThanOneOrigin, String::new(), String::new())
        }
        MissingAllowOriginHeader
        | PreflightMissingAllowOriginHeader
        | MultipleAllowOriginValues
        | PreflightMultipleAllowOriginValues
        | InvalidAllowOriginValue
        | PreflightInvalidAllowOriginValue
        | AllowOriginMismatch
        | PreflightAllowOriginMismatch => {
            (OriginNotAllowed, blocked.request.origin.clone(), status)
        }
        WildcardOriginNotAllowed | PreflightWildcardOriginNotAllowed => {
            (WildcardWithCredentials, String::new(), String::new())
        }
        InvalidAllowCredentials | PreflightInvalidAllowCredentials => {
            (CredentialsNotTrue, String::new(), String::new())
        }
        PreflightInvalidStatus | PreflightDisallowedRedirect => {
            (PreflightNotSuccessful, status, String::new())
        }
        InvalidAllowMethodsPreflightResponse => (
            InvalidAllowMethods,
            list("access-control-allow-methods"),
            String::new(),
        ),
        InvalidAllowHeadersPreflightResponse => (
            InvalidAllowHeaders,
            list("access-control-allow-headers"),
            String::new(),
        ),
        MethodDisallowedByPreflightResponse => (MethodNotAllowed, value, String::new()),
        HeaderDisallowedByPreflightResponse => (HeaderNotAllowed, value, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check_preflight, check_response, CorsRequest, Engine};
    use crate::fetch::Credentials;
    use crate::http::ResponseHead;

    const URL: &str = "http://localhost:8000/api/items/1";
    const PAGE: &str = "http://localhost:5173";

    fn request(method: &str, headers: &[&str], credentials: Credentials) -> CorsRequest {
        CorsRequest::new(PAGE, method, headers, credentials)
    }

    fn head(status: u16, headers: &[(&str, &str)]) -> ResponseHead {
        ResponseHead::with_headers(status, headers)
    }

    /// Each reason is WebKit's own string (`CrossOriginAccessControl.cpp`,
    /// `CrossOriginPreflightResultCache.cpp`), filled as WebKit fills it.
    #[test]
    fn each_failure_prints_webkits_reason_then_its_cannot_load_line() {
        let omit = Credentials::SameOrigin;
        let include = Credentials::Include;
        let acao = ("Access-Control-Allow-Origin", PAGE);
        let cases = [
            ("no ACAO", false, request("GET", &[], omit), head(200, &[]),
             "Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 200"),
            ("a preflight refused with 400 and no ACAO: the status comes first", true,
             request("PATCH", &[], omit), head(400, &[]),
             "Preflight response is not successful. Status code: 400"),
            ("ACAO names another origin: WebKit names the page's", false, request("GET", &[], omit),
             head(200, &[("Access-Control-Allow-Origin", "https://app.example.com")]),
             "Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 200"),
            ("two origins", false, request("GET", &[], omit), head(200, &[acao, acao]),
             "Access-Control-Allow-Origin cannot contain more than one origin."),
            ("* with credentials", false, request("GET", &[], include),
             head(200, &[("Access-Control-Allow-Origin", "*")]),
             "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."),
            ("credentials without ACAC", false, request("GET", &[], include), head(200, &[acao]),
             "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\"."),
            ("a preflight answered 401 with ACAO", true, request("PUT", &[], omit), head(401, &[acao]),
             "Preflight response is not successful. Status code: 401"),
            ("an ACAM that is not a list of tokens, quoted whole", true, request("PUT", &[], omit),
             head(200, &[acao, ("Access-Control-Allow-Methods", "GET, PO ST")]),
             "Header Access-Control-Allow-Methods has an invalid value: GET, PO ST"),
            ("ACAM lacks the method", true, request("PATCH", &[], omit),
             head(200, &[acao, ("Access-Control-Allow-Methods", "GET, PUT")]),
             "Method PATCH is not allowed by Access-Control-Allow-Methods."),
        ];
        for (what, preflight, request, answer, reason) in cases {
            let failure = match preflight {
                true => check_preflight(&request, &answer),
                false => check_response(&request, &answer),
            }
            .expect_err(what);
            let blocked = super::Blocked {
                url: URL,
                request: &request,
                answer: &answer,
            };
            assert_eq!(
                Engine::WebKit.console_lines(&failure, &blocked),
                [
                    reason.to_string(),
                    format!("Fetch API cannot load {URL} due to access control checks.")
                ],
                "{what}"
            );
        }
    }
}
