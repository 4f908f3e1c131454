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
//!   was already expanded to the seven standard methods (`allow_any_method()` would add
//!   `CONNECT` and `TRACE`). `expose_headers = ["*"]` stays the literal `*`, which
//!   browsers read as "all" for requests without credentials, the only place the
//!   validator lets it appear.
//! - actix-cors has no regex option. The anchored, audited regex is consulted through
//!   `allowed_origin_fn` when the exact list does not match.

use actix_cors::Cors;

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

/// The fixed policy of the lab's read-only instruments (`/lab/…`).
///
/// The lab must be able to show why the API refused it, so the recorder has to be
/// readable from origins the API itself refuses. Rather than widen the API's policy,
/// these routes get their own: any origin (`Access-Control-Allow-Origin: *`), `GET`
/// only, no credentials. Without credentials a `*` lets a page read only what anyone
/// could fetch with curl, and these routes hold no cookie or token values.
pub fn instruments_cors() -> Cors {
    Cors::default()
        .allow_any_origin()
        .send_wildcard()
        .allowed_methods(["GET"])
        .max_age(600)
}
