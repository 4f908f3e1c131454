//! The fix for a failure, in this project's `[cors]` terms and in FastAPI's.
//!
//! Which setting lifts a failure is the rules crate's decision
//! ([`cors_rules::expect::key_for`]); this file only says it with the values of the
//! request at hand. The failures no setting lifts (a redirect, an error page that
//! skips the CORS layer, two layers both adding headers) are about where the CORS
//! layer sits, and say so.

use cors_rules::browser::CorsError;
use cors_rules::expect::key_for;
use cors_rules::fetch::redirect::RedirectError;
use cors_rules::{ConfigKey, Failure};
use serde_json::{json, Value};

/// A fix, both ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The `[cors]` key to change, when one setting lifts the failure.
    pub key: Option<ConfigKey>,
    /// In this project's `config/*.toml` (or its layer order).
    pub config: String,
    /// With Starlette's `CORSMiddleware`, as FastAPI apps add it.
    pub fastapi: String,
}

impl Fix {
    pub fn to_json(&self) -> Value {
        json!({
            "key": self.key.map(ConfigKey::as_str),
            "config": self.config,
            "fastapi": self.fastapi,
        })
    }
}

/// What would let a page on `origin` read the answer, given `failure`.
pub fn fix_for(failure: &Failure, origin: &str, method: &str) -> Fix {
    let value = &failure.failed_parameter;
    let key = key_for(failure);
    let (config, fastapi) = match key {
        Some(ConfigKey::AllowOrigins) if origin == "null" => (
            "Do not allow `null`: any site can send it (sandboxed iframes, file: pages). \
             Serve the page from a real origin and list that one in allow_origins."
                .to_string(),
            "Never put \"null\" in allow_origins; list the page's real origin.".to_string(),
        ),
        Some(ConfigKey::AllowOrigins) => (
            format!(
                "[cors] allow_origins = [\"{origin}\"] (the exact origin, never \"*\" with \
                 allow_credentials = true); or APP__CORS__ALLOW_ORIGINS"
            ),
            format!("app.add_middleware(CORSMiddleware, allow_origins=[\"{origin}\"])"),
        ),
        Some(ConfigKey::AllowCredentials) => (
            "[cors] allow_credentials = true (with the exact origin in allow_origins)".to_string(),
            "app.add_middleware(CORSMiddleware, allow_origins=[...], allow_credentials=True)"
                .to_string(),
        ),
        Some(ConfigKey::AllowMethods) => (
            format!("[cors] add \"{method}\" to allow_methods (methods compare case-sensitively)"),
            format!("CORSMiddleware(allow_origins=[...], allow_methods=[..., \"{method}\"])"),
        ),
        Some(ConfigKey::AllowHeaders) => (
            format!("[cors] add \"{value}\" to allow_headers"),
            format!("CORSMiddleware(allow_origins=[...], allow_headers=[..., \"{value}\"])"),
        ),
        _ => layer_fix(failure.cors_error),
    };
    Fix {
        key,
        config,
        fastapi,
    }
}

/// The fix when the browser sent `Origin: null` because a redirect went on from the
/// API to another origin. Allowing `null` would let any site in, so no policy should.
pub fn fix_for_tainted() -> Fix {
    Fix {
        key: None,
        config: "Nothing in [cors]: call the URL the redirect leads to directly. After a \
                 redirect from one origin on to another the browser sends Origin: null, and \
                 allowing null would let any site in."
            .to_string(),
        fastapi: "Return the final URL to the page instead of redirecting it to another origin."
            .to_string(),
    }
}

/// The fix for a redirect the browser refuses to follow: no `[cors]` value lifts it.
pub fn fix_for_redirect(error: RedirectError) -> Fix {
    let config = match error {
        RedirectError::TooManyRedirects => {
            "Nothing in [cors]: find the loop in the hops above, and call the URL it should end at."
        }
        RedirectError::LocationWithCredentials => {
            "Nothing in [cors]: redirect to a URL without user:password@, and send credentials \
             in a header or a cookie."
        }
        RedirectError::InvalidLocation | RedirectError::NotHttp => {
            "Nothing in [cors]: make the redirect's Location an http:// or https:// URL."
        }
    };
    Fix {
        key: None,
        config: config.to_string(),
        fastapi: "Fix the RedirectResponse's URL, or return the data without redirecting."
            .to_string(),
    }
}

/// Failures that no `[cors]` value lifts: something else answered, or answered twice.
fn layer_fix(error: CorsError) -> (String, String) {
    use CorsError::*;
    let (config, fastapi) = match error {
        PreflightInvalidStatus => (
            "Nothing in [cors]: let the CORS layer answer OPTIONS itself, outside auth and \
             routing. A preflight names the headers to come, never their values, so it \
             carries no token to check.",
            "Add CORSMiddleware last, so it is outermost and answers preflights before auth.",
        ),
        PreflightDisallowedRedirect => (
            "Nothing in [cors]: call the exact URL the route has (trailing slash, https), \
             or let the CORS layer answer preflights before routing redirects.",
            "Call the route with its exact path, or FastAPI(redirect_slashes=False).",
        ),
        MultipleAllowOriginValues | PreflightMultipleAllowOriginValues => (
            "Let one layer own CORS: keep [cors] and remove the proxy's (or the handler's) \
             Access-Control-Allow-Origin.",
            "Keep CORSMiddleware and drop every other place that adds CORS headers.",
        ),
        InvalidAllowMethodsPreflightResponse | InvalidAllowHeadersPreflightResponse => (
            "Nothing in [cors] if it is this backend (it validates every name as a token): \
             whatever writes the header by hand must write comma-separated names.",
            "Let CORSMiddleware write the header from allow_methods / allow_headers.",
        ),
        _ => (
            "Send a valid Access-Control-Allow-Origin from one CORS layer: \
             [cors] allow_origins with the page's exact origin.",
            "app.add_middleware(CORSMiddleware, allow_origins=[\"<the page's origin>\"])",
        ),
    };
    (config.to_string(), fastapi.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layer_fixes_give_the_true_reason() {
        // (failure, words its fix must say, why)
        let cases = [
            (
                CorsError::PreflightInvalidStatus,
                "never their values",
                "a preflight names the headers to come without their values: no token",
            ),
            (
                CorsError::PreflightDisallowedRedirect,
                "redirect_slashes=False",
                "FastAPI's slash redirect is the usual cause",
            ),
        ];
        for (error, words, why) in cases {
            let fix = fix_for(&Failure::new(error), "http://localhost:5173", "GET");
            assert!(fix.key.is_none(), "{error:?}: no [cors] key lifts it");
            let both = format!("{} {}", fix.config, fix.fastapi);
            assert!(
                both.contains(words),
                "{error:?}: {why}. The fix says: {both}"
            );
        }
    }

    #[test]
    fn no_fix_says_a_preflight_never_carries_credentials_or_tokens() {
        use CorsError::*;
        let failures = [
            PreflightInvalidStatus,
            PreflightDisallowedRedirect,
            MultipleAllowOriginValues,
            InvalidAllowMethodsPreflightResponse,
            MissingAllowOriginHeader,
        ];
        for error in failures {
            let fix = fix_for(&Failure::new(error), "http://localhost:5173", "GET");
            let words = format!("{} {}", fix.config, fix.fastapi);
            assert!(
                !words.contains("never carry"),
                "{error:?}: a token is missing because a preflight names headers without \
                 their values, not because it carries no credentials: {words}"
            );
        }
    }
}
