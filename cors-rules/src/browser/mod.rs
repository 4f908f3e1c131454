//! The browser's side: the checks it runs on a server's answers, in its order.
//!
//! A page learns nothing but `TypeError: Failed to fetch` when CORS blocks a
//! request; the reason goes to DevTools' console only. This module runs the same
//! checks as Chromium, in the same order, so the lab and the probe can say which
//! one failed and print the very line the console prints ([`Failure::console_line`]),
//! in Chromium's words or in Firefox's and WebKit's ([`Engine::console_lines`]).
//!
//! For a preflight (Fetch, "CORS-preflight fetch"):
//!
//! 1. a redirect fails at once;
//! 2. the CORS check: exactly one `Access-Control-Allow-Origin`, equal to the page's
//!    origin, or `*` when no credentials are included; with credentials,
//!    `Access-Control-Allow-Credentials: true`;
//! 3. only then the status: 200 to 299. So a `400` without
//!    `Access-Control-Allow-Origin` is reported as a missing header, whatever the
//!    server meant by it;
//! 4. `Access-Control-Allow-Methods` and `-Headers` must parse as lists of tokens;
//! 5. the method: safelisted (`GET`, `HEAD`, `POST`), listed (case-sensitively), or
//!    `*` without credentials;
//! 6. each requested header: listed (any case), or `*` without credentials.
//!
//! For the actual response, step 2 alone. Its status does not matter: a readable 401
//! is a successful CORS exchange.

mod engine;
mod failure;
pub mod firefox;
mod network;
mod user_agent;
pub mod webkit;

pub use engine::{fills, Blocked, Engine, CHROMIUM_MAX_AGE, FIREFOX_MAX_AGE, WEBKIT_MAX_AGE};
pub use failure::{CorsError, Failure, MdnReason};
pub use network::NetError;

use serde::{Deserialize, Serialize};

use crate::fetch::methods::is_safelisted_method;
use crate::fetch::tokens::is_token;
use crate::fetch::{Credentials, Prediction};
use crate::http::{list_items, ResponseHead};

/// Whether Chromium lets `Access-Control-Allow-Headers: *` cover `Authorization`.
///
/// The Fetch standard says a wildcard never covers it ("CORS non-wildcard
/// request-header name"). No shipping engine enforces that rule. Chromium 156 does
/// not: a preflight asking for `authorization`, answered with `*`, passes there
/// without a console message (observed with this project's browser suite). Chromium
/// keeps the check behind a feature that is off by default. By their sources (not
/// observed here), Firefox lets it pass too, with a deprecation warning
/// (`CORSAllowHeaderFromPreflightDeprecation`), while its pref
/// `network.cors_preflight.authorization_covered_by_wildcard` is `true`, the default.
/// WebKit lets it pass silently. The checks here follow Chromium, whose
/// console and DevTools classification are this project's referee. The backend never
/// relies on it: it lists or refuses `Authorization`.
pub const CHROMIUM_WILDCARD_COVERS_AUTHORIZATION: bool = true;

/// What the page asked for, as the browser sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorsRequest {
    /// The page's origin, e.g. `http://localhost:5173`.
    pub origin: String,
    /// The method as sent (after normalisation).
    pub method: String,
    /// The CORS-unsafe header names, lower-case and sorted: what
    /// `Access-Control-Request-Headers` carries.
    pub request_headers: Vec<String>,
    pub credentials: Credentials,
}

impl CorsRequest {
    /// A request from `origin` with `method`, naming these CORS-unsafe `headers`
    /// (lower-case, as the browser lists them).
    pub fn new(origin: &str, method: &str, headers: &[&str], credentials: Credentials) -> Self {
        CorsRequest {
            origin: origin.to_string(),
            method: method.to_string(),
            request_headers: headers.iter().map(|h| h.to_string()).collect(),
            credentials,
        }
    }

    /// The request a prediction describes, sent from `origin`.
    pub fn from_prediction(
        origin: &str,
        prediction: &Prediction,
        credentials: Credentials,
    ) -> Self {
        CorsRequest {
            origin: origin.to_string(),
            method: prediction.method.clone(),
            request_headers: prediction.request_headers.clone(),
            credentials,
        }
    }

    /// `credentials: "include"`: only then are cookies sent to another origin, and
    /// only then does the browser insist on `Access-Control-Allow-Credentials`.
    pub fn includes_credentials(&self) -> bool {
        self.credentials == Credentials::Include
    }
}

/// Runs the browser's checks on a preflight's answer.
pub fn check_preflight(request: &CorsRequest, answer: &ResponseHead) -> Result<(), Failure> {
    if answer.is_redirect() {
        return Err(Failure::new(CorsError::PreflightDisallowedRedirect));
    }
    check_access(request, answer).map_err(Failure::in_preflight)?;
    if !answer.is_ok() {
        return Err(Failure::new(CorsError::PreflightInvalidStatus));
    }
    let credentialed = request.includes_credentials();
    let methods = parse_list(answer, "access-control-allow-methods")
        .ok_or_else(|| Failure::new(CorsError::InvalidAllowMethodsPreflightResponse))?;
    let headers: Vec<String> = parse_list(answer, "access-control-allow-headers")
        .ok_or_else(|| Failure::new(CorsError::InvalidAllowHeadersPreflightResponse))?
        .iter()
        .map(|name| name.to_ascii_lowercase())
        .collect();

    if !method_allowed(request, &methods) {
        return Err(Failure::with(
            CorsError::MethodDisallowedByPreflightResponse,
            &request.method,
        ));
    }
    let wildcard = !credentialed && headers.iter().any(|h| h == "*");
    for name in &request.requested_names() {
        let covered_by_wildcard =
            wildcard && (name != "authorization" || CHROMIUM_WILDCARD_COVERS_AUTHORIZATION);
        if !headers.contains(name) && !covered_by_wildcard {
            return Err(Failure::with(
                CorsError::HeaderDisallowedByPreflightResponse,
                name,
            ));
        }
    }
    Ok(())
}

/// Whether `methods`, an `Access-Control-Allow-Methods` list, lets the request's
/// method through: safelisted, listed (case-sensitively), or `*` without credentials.
fn method_allowed(request: &CorsRequest, methods: &[String]) -> bool {
    is_safelisted_method(&request.method)
        || methods.contains(&request.method)
        || (!request.includes_credentials() && methods.iter().any(|m| m == "*"))
}

/// The first item of list header `name` that is not a token: the one Firefox names
/// when it cannot read the list.
fn first_invalid_item(answer: &ResponseHead, name: &str) -> Option<String> {
    let value = answer.get(name)?;
    let invalid = list_items(&value).find(|item| !is_token(item))?;
    Some(invalid.to_string())
}

/// Runs the browser's check on the actual response: may the page read it?
pub fn check_response(request: &CorsRequest, answer: &ResponseHead) -> Result<(), Failure> {
    check_access(request, answer)
}

impl CorsRequest {
    fn requested_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .request_headers
            .iter()
            .map(|n| n.to_ascii_lowercase())
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

/// The Fetch "CORS check", with Chromium's classification of what went wrong.
fn check_access(request: &CorsRequest, answer: &ResponseHead) -> Result<(), Failure> {
    let Some(allow_origin) = answer.get("access-control-allow-origin") else {
        return Err(Failure::new(CorsError::MissingAllowOriginHeader));
    };
    if allow_origin == "*" {
        if request.includes_credentials() {
            return Err(Failure::new(CorsError::WildcardOriginNotAllowed));
        }
        return Ok(());
    }
    if allow_origin != request.origin {
        // Two lines, or one with a list: a comma or a space means several values.
        if allow_origin.contains([',', ' ']) {
            return Err(Failure::with(
                CorsError::MultipleAllowOriginValues,
                &allow_origin,
            ));
        }
        if allow_origin != "null" && !looks_like_an_origin(&allow_origin) {
            return Err(Failure::with(
                CorsError::InvalidAllowOriginValue,
                &allow_origin,
            ));
        }
        return Err(Failure::with(CorsError::AllowOriginMismatch, &allow_origin));
    }
    if request.includes_credentials() {
        let allow_credentials = answer
            .get("access-control-allow-credentials")
            .unwrap_or_default();
        if allow_credentials != "true" {
            return Err(Failure::with(
                CorsError::InvalidAllowCredentials,
                &allow_credentials,
            ));
        }
    }
    Ok(())
}

/// `scheme://host…`: enough of a URL for Chromium to call a mismatch a mismatch
/// rather than an invalid value.
fn looks_like_an_origin(value: &str) -> bool {
    value.split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
            && !rest.is_empty()
    })
}

/// The items of a list header, or `None` when one is not a token. An absent
/// header is an empty list.
fn parse_list(answer: &ResponseHead, name: &str) -> Option<Vec<String>> {
    let Some(value) = answer.get(name) else {
        return Some(Vec::new());
    };
    let items: Vec<String> = list_items(&value).map(String::from).collect();
    items.iter().all(|item| is_token(item)).then_some(items)
}

#[cfg(test)]
mod tests;
