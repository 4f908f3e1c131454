//! Turning a `CorsPolicy` into actix-cors's `Cors` middleware.
//!
//! actix-cors and Starlette disagree in ways that matter, so the translation is
//! explicit rather than a one-to-one copy of the settings:
//!
//! - actix-cors has no default methods and no always-allowed headers. The policy
//!   already carries Starlette's defaults (`GET`; Accept, Accept-Language,
//!   Content-Language, Content-Type), so they are passed on here.
//! - actix-cors sends no `Access-Control-Max-Age` unless told to, and browsers then
//!   cache a preflight for only 5 seconds. The policy's `max_age` (600 by default) is
//!   always sent.
//! - actix-cors treats `*` as a literal name. `allow_origins = ["*"]` becomes
//!   `allow_any_origin().send_wildcard()` (the header value `*`, never a reflected
//!   origin); `allow_headers = ["*"]` becomes `allow_any_header()`; `allow_methods = ["*"]`
//!   was already expanded to the seven methods of Starlette up to 1.6, without `QUERY`
//!   (see `cors_rules::policy::ALL_METHODS`; `allow_any_method()` would add `CONNECT`
//!   and `TRACE`). `expose_headers = ["*"]` stays the literal `*`, which
//!   browsers read as "all" for requests without credentials, the only place the
//!   validator lets it appear.
//! - actix-cors has no regex option. The anchored, audited regex is consulted through
//!   `allowed_origin_fn` when the exact list does not match.

use actix_cors::Cors;

use cors_rules::policy::{ALWAYS_ALLOWED_HEADERS, DEFAULT_MAX_AGE};
use cors_rules::{AllowHeaders, AllowOrigins, Policy};

use super::policy::CorsPolicy;

impl CorsPolicy {
    /// The actix-cors middleware that enforces this policy.
    pub fn to_actix(&self) -> Cors {
        let cors = rules_to_actix(&self.rules);
        match self.origin_regex.clone() {
            Some(regex) => cors.allowed_origin_fn(move |origin, _request| {
                origin.to_str().is_ok_and(|origin| regex.matches(origin))
            }),
            None => cors,
        }
    }
}

/// The actix-cors middleware for a policy's rules, everything but the regex
/// (which only a validated [`CorsPolicy`] has compiled).
fn rules_to_actix(rules: &Policy) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(rules.allow_methods.iter().map(String::as_str))
        .max_age(rules.max_age as usize);

    cors = match &rules.allow_origins {
        AllowOrigins::Any => cors.allow_any_origin().send_wildcard(),
        AllowOrigins::List(list) => list
            .iter()
            .fold(cors, |cors, origin| cors.allowed_origin(origin)),
    };
    cors = match &rules.allow_headers {
        AllowHeaders::Any { .. } => cors.allow_any_header(),
        AllowHeaders::List(list) => cors.allowed_headers(list.iter().map(String::as_str)),
    };
    if !rules.expose_headers.is_empty() {
        cors = cors.expose_headers(rules.expose_headers.iter().map(String::as_str));
    }
    if rules.allow_credentials {
        cors = cors.supports_credentials();
    }
    cors
}

/// The fixed policy of the public endpoints (`/public/…`), from
/// [`lab_types::public::policy`], the value the lab predicts their outcome from.
///
/// Like the instruments, they sit outside the API's policy, so that the lab can
/// show `Access-Control-Allow-Origin: *` at work whatever `[cors]` says: a bearer
/// token is a request header (`allow_headers`), not a credential, and `*` serves
/// it to any origin. Built from the same [`Policy`] type as the API's layer, so it
/// goes through the same translation, with no hand-written headers to drift.
pub fn public_cors() -> Cors {
    rules_to_actix(&lab_types::public::policy())
}

/// The policy of the lab's read-only instruments (`/lab/…`, only when `[lab]
/// enabled`): the lab's own origins (`lab.origins`), `GET` only, no credentials.
///
/// The lab must be able to show why the API refused it, so the instruments have to
/// answer pages the API itself refuses. Rather than widen the API's policy, they get
/// their own. It is not `*`: the recorder holds the path and query of every request,
/// and any website could read them from a visitor's browser.
///
/// A page from another origin gets no `Access-Control-Allow-Origin`, so its browser
/// hides the answer. actix-cors still runs the request (a `GET` answers `200`), and a
/// preflight from such a page gets `400`. The browser, not the server, keeps the data
/// from that page; curl reads it anyway, which is why production turns `/lab` off.
pub fn instruments_policy(origins: &[String]) -> Policy {
    Policy {
        allow_origins: AllowOrigins::List(origins.to_vec()),
        allow_origin_regex: None,
        allow_methods: vec!["GET".into()],
        allow_headers: AllowHeaders::List(ALWAYS_ALLOWED_HEADERS.map(String::from).to_vec()),
        allow_credentials: false,
        expose_headers: Vec::new(),
        max_age: DEFAULT_MAX_AGE,
    }
}

/// The actix-cors middleware of [`instruments_policy`], through the same
/// translation as the API's layer and `/public`.
pub fn instruments_cors(policy: &Policy) -> Cors {
    rules_to_actix(policy)
}
