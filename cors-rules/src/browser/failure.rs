//! A CORS failure: Chromium's name for it, its console line, and MDN's page.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a browser blocked a cross-origin request, named as Chromium names it: the
/// values of the DevTools Protocol's `Network.CorsError`, which Chromium reports in
/// `Network.loadingFailed`'s `corsErrorStatus`.
///
/// Each `Preflight…` variant is the same check failing on the preflight's answer
/// rather than on the actual response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CorsError {
    MissingAllowOriginHeader,
    MultipleAllowOriginValues,
    InvalidAllowOriginValue,
    AllowOriginMismatch,
    WildcardOriginNotAllowed,
    InvalidAllowCredentials,
    PreflightMissingAllowOriginHeader,
    PreflightMultipleAllowOriginValues,
    PreflightInvalidAllowOriginValue,
    PreflightAllowOriginMismatch,
    PreflightWildcardOriginNotAllowed,
    PreflightInvalidAllowCredentials,
    PreflightInvalidStatus,
    PreflightDisallowedRedirect,
    InvalidAllowMethodsPreflightResponse,
    InvalidAllowHeadersPreflightResponse,
    MethodDisallowedByPreflightResponse,
    HeaderDisallowedByPreflightResponse,
}

/// The prefix Chromium puts before a failed CORS check on a preflight's answer.
const PREFLIGHT_PREFIX: &str = "Response to preflight request doesn't pass access control check: ";

/// Chromium's advice after a bad `Access-Control-Allow-Origin` on an actual response.
const VALID_VALUE: &str = " Have the server send the header with a valid value.";

impl CorsError {
    /// The name as DevTools reports it, e.g. `PreflightMissingAllowOriginHeader`.
    pub fn as_str(self) -> &'static str {
        use CorsError::*;
        match self {
            MissingAllowOriginHeader => "MissingAllowOriginHeader",
            MultipleAllowOriginValues => "MultipleAllowOriginValues",
            InvalidAllowOriginValue => "InvalidAllowOriginValue",
            AllowOriginMismatch => "AllowOriginMismatch",
            WildcardOriginNotAllowed => "WildcardOriginNotAllowed",
            InvalidAllowCredentials => "InvalidAllowCredentials",
            PreflightMissingAllowOriginHeader => "PreflightMissingAllowOriginHeader",
            PreflightMultipleAllowOriginValues => "PreflightMultipleAllowOriginValues",
            PreflightInvalidAllowOriginValue => "PreflightInvalidAllowOriginValue",
            PreflightAllowOriginMismatch => "PreflightAllowOriginMismatch",
            PreflightWildcardOriginNotAllowed => "PreflightWildcardOriginNotAllowed",
            PreflightInvalidAllowCredentials => "PreflightInvalidAllowCredentials",
            PreflightInvalidStatus => "PreflightInvalidStatus",
            PreflightDisallowedRedirect => "PreflightDisallowedRedirect",
            InvalidAllowMethodsPreflightResponse => "InvalidAllowMethodsPreflightResponse",
            InvalidAllowHeadersPreflightResponse => "InvalidAllowHeadersPreflightResponse",
            MethodDisallowedByPreflightResponse => "MethodDisallowedByPreflightResponse",
            HeaderDisallowedByPreflightResponse => "HeaderDisallowedByPreflightResponse",
        }
    }

    /// Whether the failure is in the preflight: then the actual request was never sent.
    pub fn is_preflight(self) -> bool {
        use CorsError::*;
        !matches!(
            self,
            MissingAllowOriginHeader
                | MultipleAllowOriginValues
                | InvalidAllowOriginValue
                | AllowOriginMismatch
                | WildcardOriginNotAllowed
                | InvalidAllowCredentials
        )
    }

    /// The same check failing on a preflight's answer.
    fn in_preflight(self) -> CorsError {
        use CorsError::*;
        match self {
            MissingAllowOriginHeader => PreflightMissingAllowOriginHeader,
            MultipleAllowOriginValues => PreflightMultipleAllowOriginValues,
            InvalidAllowOriginValue => PreflightInvalidAllowOriginValue,
            AllowOriginMismatch => PreflightAllowOriginMismatch,
            WildcardOriginNotAllowed => PreflightWildcardOriginNotAllowed,
            InvalidAllowCredentials => PreflightInvalidAllowCredentials,
            other => other,
        }
    }

    /// MDN's page for this reason (MDN names reasons as Firefox's console does).
    pub fn mdn(self) -> MdnReason {
        use CorsError::*;
        match self {
            MissingAllowOriginHeader | PreflightMissingAllowOriginHeader => {
                MdnReason::CORSMissingAllowOrigin
            }
            MultipleAllowOriginValues | PreflightMultipleAllowOriginValues => {
                MdnReason::CORSMultipleAllowOriginNotAllowed
            }
            InvalidAllowOriginValue
            | PreflightInvalidAllowOriginValue
            | AllowOriginMismatch
            | PreflightAllowOriginMismatch => MdnReason::CORSAllowOriginNotMatchingOrigin,
            WildcardOriginNotAllowed | PreflightWildcardOriginNotAllowed => {
                MdnReason::CORSNotSupportingCredentials
            }
            InvalidAllowCredentials | PreflightInvalidAllowCredentials => {
                MdnReason::CORSMissingAllowCredentials
            }
            PreflightInvalidStatus => MdnReason::CORSPreflightDidNotSucceed,
            PreflightDisallowedRedirect => MdnReason::CORSExternalRedirectNotAllowed,
            InvalidAllowMethodsPreflightResponse => MdnReason::CORSInvalidAllowMethod,
            InvalidAllowHeadersPreflightResponse => MdnReason::CORSInvalidAllowHeader,
            MethodDisallowedByPreflightResponse => MdnReason::CORSMethodNotFound,
            HeaderDisallowedByPreflightResponse => MdnReason::CORSMissingAllowHeaderFromPreflight,
        }
    }
}

impl fmt::Display for CorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One failed check: what DevTools reports as `corsErrorStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub cors_error: CorsError,
    /// The offending value where Chromium gives one (the method, the header name, the
    /// `Access-Control-Allow-Origin` value…), else empty.
    pub failed_parameter: String,
}

impl Failure {
    pub fn new(cors_error: CorsError) -> Failure {
        Failure::with(cors_error, "")
    }

    pub fn with(cors_error: CorsError, failed_parameter: &str) -> Failure {
        Failure {
            cors_error,
            failed_parameter: failed_parameter.to_string(),
        }
    }

    pub(super) fn in_preflight(self) -> Failure {
        Failure {
            cors_error: self.cors_error.in_preflight(),
            ..self
        }
    }

    /// The line DevTools' console prints for a `fetch()` of `url` from `origin`:
    /// what people paste into search engines.
    pub fn console_line(&self, url: &str, origin: &str) -> String {
        format!(
            "Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: {}",
            self.reason()
        )
    }

    /// The part of the console line after "has been blocked by CORS policy: ".
    pub fn reason(&self) -> String {
        use CorsError::*;
        let value = &self.failed_parameter;
        let prefix = if self.cors_error.is_preflight() {
            PREFLIGHT_PREFIX
        } else {
            ""
        };
        // Chromium adds its advice only for an actual response's bad header value.
        let advice = if self.cors_error.is_preflight() {
            ""
        } else {
            VALID_VALUE
        };
        match self.cors_error {
            MissingAllowOriginHeader | PreflightMissingAllowOriginHeader => format!(
                "{prefix}No 'Access-Control-Allow-Origin' header is present on the requested resource."
            ),
            MultipleAllowOriginValues | PreflightMultipleAllowOriginValues => format!(
                "{prefix}The 'Access-Control-Allow-Origin' header contains multiple values \
                 '{value}', but only one is allowed.{advice}"
            ),
            InvalidAllowOriginValue | PreflightInvalidAllowOriginValue => format!(
                "{prefix}The 'Access-Control-Allow-Origin' header contains the invalid value \
                 '{value}'.{advice}"
            ),
            AllowOriginMismatch | PreflightAllowOriginMismatch => format!(
                "{prefix}The 'Access-Control-Allow-Origin' header has a value '{value}' that is \
                 not equal to the supplied origin.{advice}"
            ),
            WildcardOriginNotAllowed | PreflightWildcardOriginNotAllowed => format!(
                "{prefix}The value of the 'Access-Control-Allow-Origin' header in the response \
                 must not be the wildcard '*' when the request's credentials mode is 'include'."
            ),
            InvalidAllowCredentials | PreflightInvalidAllowCredentials => format!(
                "{prefix}The value of the 'Access-Control-Allow-Credentials' header in the \
                 response is '{value}' which must be 'true' when the request's credentials mode \
                 is 'include'."
            ),
            PreflightInvalidStatus => format!("{prefix}It does not have HTTP ok status."),
            PreflightDisallowedRedirect => {
                format!("{prefix}Redirect is not allowed for a preflight request.")
            }
            InvalidAllowMethodsPreflightResponse => {
                "Cannot parse Access-Control-Allow-Methods response header field in preflight \
                 response."
                    .to_string()
            }
            InvalidAllowHeadersPreflightResponse => {
                "Cannot parse Access-Control-Allow-Headers response header field in preflight \
                 response."
                    .to_string()
            }
            MethodDisallowedByPreflightResponse => format!(
                "Method {value} is not allowed by Access-Control-Allow-Methods in preflight response."
            ),
            HeaderDisallowedByPreflightResponse => format!(
                "Request header field {value} is not allowed by Access-Control-Allow-Headers in \
                 preflight response."
            ),
        }
    }

    /// Why the browser refuses, in a sentence for a learner.
    pub fn why(&self) -> String {
        use CorsError::*;
        let value = &self.failed_parameter;
        match self.cors_error {
            MissingAllowOriginHeader | PreflightMissingAllowOriginHeader => {
                "Without Access-Control-Allow-Origin the server has not said this origin may \
                 read the answer, so the browser assumes it may not."
                    .into()
            }
            MultipleAllowOriginValues | PreflightMultipleAllowOriginValues => {
                "Access-Control-Allow-Origin must name exactly one origin (or *); two values, \
                 often one from a proxy and one from the app, are refused."
                    .into()
            }
            InvalidAllowOriginValue | PreflightInvalidAllowOriginValue => {
                format!("'{value}' is not an origin, so it can never match the page's origin.")
            }
            AllowOriginMismatch | PreflightAllowOriginMismatch => format!(
                "The server allowed '{value}', which is not this page's origin; origins must \
                 match exactly (scheme, host and port)."
            ),
            WildcardOriginNotAllowed | PreflightWildcardOriginNotAllowed => {
                "With credentials: \"include\" the browser requires the exact origin: * would \
                 let every site read a logged-in user's data."
                    .into()
            }
            InvalidAllowCredentials | PreflightInvalidAllowCredentials => {
                "With credentials: \"include\" the answer must also say \
                 Access-Control-Allow-Credentials: true (exactly, in lower case)."
                    .into()
            }
            PreflightInvalidStatus => "A preflight must be answered with a 2xx status; \
                 something before the CORS layer (routing, auth) answered it instead."
                .into(),
            PreflightDisallowedRedirect => {
                "A preflight must be answered where it was sent: browsers never follow a \
                 redirect for one."
                    .into()
            }
            InvalidAllowMethodsPreflightResponse | InvalidAllowHeadersPreflightResponse => {
                "The list must be method or header names separated by commas. One item is not \
                 a valid name, so the browser cannot read the list, and the whole preflight \
                 fails, whatever method or headers the page asked for."
                    .into()
            }
            MethodDisallowedByPreflightResponse => format!(
                "The preflight's answer does not list {value} among the allowed methods, so \
                 the browser never sends the request."
            ),
            HeaderDisallowedByPreflightResponse => format!(
                "The preflight's answer does not list the header {value}, so the browser never \
                 sends the request."
            ),
        }
    }
}

/// MDN's pages on CORS errors, named after Firefox's console reasons.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MdnReason {
    CORSMissingAllowOrigin,
    CORSMultipleAllowOriginNotAllowed,
    CORSAllowOriginNotMatchingOrigin,
    CORSNotSupportingCredentials,
    CORSMissingAllowCredentials,
    CORSPreflightDidNotSucceed,
    CORSExternalRedirectNotAllowed,
    CORSInvalidAllowMethod,
    CORSInvalidAllowHeader,
    CORSMethodNotFound,
    CORSMissingAllowHeaderFromPreflight,
}

impl MdnReason {
    pub fn as_str(self) -> &'static str {
        use MdnReason::*;
        match self {
            CORSMissingAllowOrigin => "CORSMissingAllowOrigin",
            CORSMultipleAllowOriginNotAllowed => "CORSMultipleAllowOriginNotAllowed",
            CORSAllowOriginNotMatchingOrigin => "CORSAllowOriginNotMatchingOrigin",
            CORSNotSupportingCredentials => "CORSNotSupportingCredentials",
            CORSMissingAllowCredentials => "CORSMissingAllowCredentials",
            CORSPreflightDidNotSucceed => "CORSPreflightDidNotSucceed",
            CORSExternalRedirectNotAllowed => "CORSExternalRedirectNotAllowed",
            CORSInvalidAllowMethod => "CORSInvalidAllowMethod",
            CORSInvalidAllowHeader => "CORSInvalidAllowHeader",
            CORSMethodNotFound => "CORSMethodNotFound",
            CORSMissingAllowHeaderFromPreflight => "CORSMissingAllowHeaderFromPreflight",
        }
    }

    /// The page on MDN.
    pub fn url(self) -> String {
        format!(
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/{}",
            self.as_str()
        )
    }
}
