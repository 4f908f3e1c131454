//! The CORS rules of cors-lab, in one place.
//!
//! Everything the backend, the lab and the terminal probe say about CORS comes from
//! this crate, so the three can never drift apart:
//!
//! - [`fetch`]: facts of the Fetch standard. Which methods and headers a page may use,
//!   which of them make the browser send a preflight first, and what the preflight
//!   carries.
//! - [`policy`]: a CORS policy as types (Starlette's `CORSMiddleware` keys), its verdict
//!   on a preflight or a request, and the exact answer this project's backend sends.
//! - [`browser`]: the checks a browser runs on those answers, in the order Chromium
//!   runs them, with each failure named after Chromium's own classification
//!   (DevTools' `Network.CorsError`) and the lines each engine's console prints
//!   (Chromium's, Firefox's, WebKit's).
//! - [`expect`]: the three put together, before anything is sent: will this page be
//!   able to read this request's answer under this policy, and if not, what will the
//!   console say?
//!
//! The crate has no I/O, no HTTP library and no regex engine: it compiles for the
//! host and for WebAssembly alike. Where a policy's `allow_origin_regex` matters, the
//! caller, which may have a regex engine, says whether it matches
//! ([`policy::RegexVerdict`]).

pub mod browser;
pub mod expect;
pub mod fetch;
pub mod http;
pub mod policy;

pub use browser::{CorsError, CorsRequest, Failure};
pub use fetch::{Credentials, Prediction, Request};
pub use http::ResponseHead;
pub use policy::{AllowHeaders, AllowOrigins, ConfigKey, Policy, RegexVerdict, Rejection, Verdict};

#[cfg(test)]
mod tests {
    /// The lab compiles this crate to WebAssembly: every dependency is shipped to
    /// every learner's browser, and a regex engine alone would double the lab's size.
    #[test]
    fn the_rules_depend_on_serde_alone() {
        let manifest = include_str!("../Cargo.toml");
        let dependencies: Vec<&str> = manifest
            .split("[dependencies]")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .unwrap_or_default()
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .collect();
        assert_eq!(dependencies, ["serde.workspace = true"], "{dependencies:?}");
    }
}
