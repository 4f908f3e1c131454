//! Firefox's words for a CORS failure, from its own string table.
//!
//! Firefox keeps its console messages in `security.properties` (inside the
//! browser's `omni.ja`), one template per failure, named like MDN's error pages:
//! `CORSMissingAllowOrigin2`, `CORSMethodNotFound`… Each template has the URL as
//! `%1$S` and, for some, a second value as `%2$S` (a status code, a header value).
//! The templates below are Firefox's, byte for byte; a test compares them with the
//! installed browser's own file (`tests/firefox_strings.rs`).
//!
//! Firefox runs the checks in Chromium's order, with differences a learner may meet:
//!
//! - a failed preflight prints a second line, "CORS request did not succeed", for
//!   the actual request that never went out (its status is `(null)`: there was
//!   none); a redirected preflight prints it twice, once more for the preflight cut
//!   short at the redirect, whose answer Firefox checks before refusing to follow it;
//! - a network error is reported as a CORS failure: the same "did not succeed"
//!   line, where Chromium prints only `net::ERR_…`;
//! - two `Access-Control-Allow-Origin` values are "multiple" to Chromium, a mismatch
//!   with the joined value to Firefox (its `CORSMultipleAllowOriginNotAllowed` never
//!   showed for two header lines: they are joined before the check reads them);
//! - Firefox checks the method before it reads `Access-Control-Allow-Headers`.
//!
//! The lines of every scenario and exhibit of the lab were seen in Firefox ESR 153
//! by this project's browser suite; the other cases follow Firefox's source
//! (`netwerk/protocol/http/nsCORSListenerProxy.cpp`).

use super::{check_access, first_invalid_item, method_allowed, Blocked, CorsError, Failure};

/// What Firefox puts where a status code would be when there was no response.
const NO_STATUS: &str = "(null)";

/// A message of Firefox's `security.properties`, by its key.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Message {
    CORSDidNotSucceed2,
    CORSExternalRedirectNotAllowed,
    CORSMissingAllowOrigin2,
    CORSAllowOriginNotMatchingOrigin,
    CORSNotSupportingCredentials,
    CORSMethodNotFound,
    CORSMissingAllowCredentials,
    CORSPreflightDidNotSucceed3,
    CORSInvalidAllowMethod,
    CORSInvalidAllowHeader,
    CORSMissingAllowHeaderFromPreflight2,
}

impl Message {
    /// Every message this crate prints.
    pub const ALL: [Message; 11] = [
        Message::CORSDidNotSucceed2,
        Message::CORSExternalRedirectNotAllowed,
        Message::CORSMissingAllowOrigin2,
        Message::CORSAllowOriginNotMatchingOrigin,
        Message::CORSNotSupportingCredentials,
        Message::CORSMethodNotFound,
        Message::CORSMissingAllowCredentials,
        Message::CORSPreflightDidNotSucceed3,
        Message::CORSInvalidAllowMethod,
        Message::CORSInvalidAllowHeader,
        Message::CORSMissingAllowHeaderFromPreflight2,
    ];

    /// The key in `security.properties`, e.g. `CORSMissingAllowOrigin2`.
    pub fn key(self) -> &'static str {
        use Message::*;
        match self {
            CORSDidNotSucceed2 => "CORSDidNotSucceed2",
            CORSExternalRedirectNotAllowed => "CORSExternalRedirectNotAllowed",
            CORSMissingAllowOrigin2 => "CORSMissingAllowOrigin2",
            CORSAllowOriginNotMatchingOrigin => "CORSAllowOriginNotMatchingOrigin",
            CORSNotSupportingCredentials => "CORSNotSupportingCredentials",
            CORSMethodNotFound => "CORSMethodNotFound",
            CORSMissingAllowCredentials => "CORSMissingAllowCredentials",
            CORSPreflightDidNotSucceed3 => "CORSPreflightDidNotSucceed3",
            CORSInvalidAllowMethod => "CORSInvalidAllowMethod",
            CORSInvalidAllowHeader => "CORSInvalidAllowHeader",
            CORSMissingAllowHeaderFromPreflight2 => "CORSMissingAllowHeaderFromPreflight2",
        }
    }

    /// Firefox's template, as `security.properties` (Firefox ESR 153) has it.
    pub fn template(self) -> &'static str {
        use Message::*;
        match self {
            CORSDidNotSucceed2 => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS request did not succeed). Status code: %2$S.",
            CORSExternalRedirectNotAllowed => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS request external redirect not allowed).",
            CORSMissingAllowOrigin2 => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: %2$S.",
            CORSAllowOriginNotMatchingOrigin => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘%2$S’).",
            CORSNotSupportingCredentials => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘%1$S’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).",
            CORSMethodNotFound => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
            CORSMissingAllowCredentials => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).",
            CORSPreflightDidNotSucceed3 => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS preflight response did not succeed). Status code: %2$S.",
            CORSInvalidAllowMethod => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: invalid token ‘%2$S’ in CORS header ‘Access-Control-Allow-Methods’).",
            CORSInvalidAllowHeader => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: invalid token ‘%2$S’ in CORS header ‘Access-Control-Allow-Headers’).",
            CORSMissingAllowHeaderFromPreflight2 => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: header ‘%2$S’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).",
        }
    }

    /// The template filled as Firefox fills it: the URL for `%1$S`, `second` for
    /// `%2$S`.
    pub fn fill(self, url: &str, second: &str) -> String {
        self.template().replace("%1$S", url).replace("%2$S", second)
    }
}

/// Firefox's lines for a failure Chromium classified as `failure`.
pub(super) fn console_lines(failure: &Failure, blocked: &Blocked) -> Vec<String> {
    let (message, second) = message_for(failure, blocked);
    let reason = message.fill(blocked.url, &second);
    // The requests that then "did not succeed": the actual one, never sent after a
    // refused preflight, and a redirected preflight itself.
    let unanswered = match failure.cors_error {
        CorsError::PreflightDisallowedRedirect => 2,
        error if error.is_preflight() => 1,
        _ => 0,
    };
    std::iter::once(reason)
        .chain(std::iter::repeat_n(network_lines(blocked.url), unanswered).flatten())
        .collect()
}

/// Firefox's line for a cross-origin request that got no answer.
pub(super) fn network_lines(url: &str) -> Vec<String> {
    vec![Message::CORSDidNotSucceed2.fill(url, NO_STATUS)]
}

/// Which of Firefox's messages reports `failure`, and its second value.
fn message_for(failure: &Failure, blocked: &Blocked) -> (Message, String) {
    use CorsError::*;
    use Message::*;
    let answer = blocked.answer;
    let status = answer.status.to_string();
    let value = failure.failed_parameter.clone();
    match failure.cors_error {
        MissingAllowOriginHeader | PreflightMissingAllowOriginHeader => {
            (CORSMissingAllowOrigin2, status)
        }
        MultipleAllowOriginValues
        | PreflightMultipleAllowOriginValues
        | InvalidAllowOriginValue
        | PreflightInvalidAllowOriginValue
        | AllowOriginMismatch
        | PreflightAllowOriginMismatch => (CORSAllowOriginNotMatchingOrigin, value),
        WildcardOriginNotAllowed | PreflightWildcardOriginNotAllowed => {
            (CORSNotSupportingCredentials, String::new())
        }
        InvalidAllowCredentials | PreflightInvalidAllowCredentials => {
            (CORSMissingAllowCredentials, String::new())
        }
        PreflightInvalidStatus => (CORSPreflightDidNotSucceed3, status),
        // Firefox runs the CORS check on the redirect's answer before refusing to
        // follow it.
        PreflightDisallowedRedirect => match check_access(blocked.request, answer) {
            Err(refusal) => message_for(&refusal.in_preflight(), blocked),
            Ok(()) => (CORSExternalRedirectNotAllowed, String::new()),
        },
        InvalidAllowMethodsPreflightResponse => (
            CORSInvalidAllowMethod,
            first_invalid_item(answer, "access-control-allow-methods").unwrap_or_default(),
        ),
        // Firefox looks for the method before it reads the headers' list.
        InvalidAllowHeadersPreflightResponse if !method_listed(blocked) => {
            (CORSMethodNotFound, String::new())
        }
        InvalidAllowHeadersPreflightResponse => (
            CORSInvalidAllowHeader,
            first_invalid_item(answer, "access-control-allow-headers").unwrap_or_default(),
        ),
        MethodDisallowedByPreflightResponse => (CORSMethodNotFound, String::new()),
        HeaderDisallowedByPreflightResponse => (CORSMissingAllowHeaderFromPreflight2, value),
    }
}

/// Whether `Access-Control-Allow-Methods` lets the method through.
fn method_listed(blocked: &Blocked) -> bool {
    let methods: Vec<String> = blocked
        .answer
        .get("access-control-allow-methods")
        .map(|value| crate::http::list_items(&value).map(String::from).collect())
        .unwrap_or_default();
    method_allowed(blocked.request, &methods)
}
