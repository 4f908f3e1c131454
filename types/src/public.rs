//! The public endpoint (`/public/…`) and the one policy that governs it.
//!
//! A bearer token is a request header the page's JavaScript sets, like any other:
//! CORS governs it through `allow_headers`, not through `allow_credentials`. The
//! Fetch standard's credentials are cookies, HTTP authentication and TLS client
//! certificates, which the *browser* attaches; those are what `*` refuses. So a
//! token works against `Access-Control-Allow-Origin: *`, and a public API that
//! takes tokens and no cookies can keep `*`.
//!
//! The backend builds its CORS layer for `/public` from [`policy`], and the lab
//! predicts the scenario's outcome from the same value: one source of truth, so the
//! card cannot promise what the server does not do.

use cors_rules::policy::{
    AllowHeaders, AllowOrigins, Policy, ALWAYS_ALLOWED_HEADERS, DEFAULT_MAX_AGE,
};

/// Where the public endpoints live; the API's policy has no say below it
/// (`crate::governor::governing_policy` decides which paths are below it).
pub const PUBLIC_PREFIX: &str = "/public";

/// `GET` with `Authorization: Bearer` [`DEMO_TOKEN`] answers 200; anything else 401.
pub const BEARER_PATH: &str = "/public/bearer";

/// The only bearer token the demo accepts (`/api/protected` and [`BEARER_PATH`]).
pub const DEMO_TOKEN: &str = "demo";

/// The fixed policy of `/public/…`: any origin, answered with `*`; `GET` only;
/// `Authorization` allowed *by name*; no credentials.
///
/// `Authorization` is listed rather than left to `allow_headers = ["*"]`. This
/// backend's wildcard never covers it. That is the Fetch standard's rule, which no
/// shipping browser enforces yet (see
/// `cors_rules::browser::CHROMIUM_WILDCARD_COVERS_AUTHORIZATION`). A name works in
/// every browser. `allow_credentials` must stay `false`: with `*`, the browser would
/// refuse every credentialed request anyway, and this backend's validator refuses
/// the pair.
pub fn policy() -> Policy {
    let mut headers: Vec<String> = ALWAYS_ALLOWED_HEADERS.map(String::from).to_vec();
    headers.push("authorization".into());
    Policy {
        allow_origins: AllowOrigins::Any,
        allow_origin_regex: None,
        allow_methods: vec!["GET".into()],
        allow_headers: AllowHeaders::List(headers),
        allow_credentials: false,
        expose_headers: Vec::new(),
        max_age: DEFAULT_MAX_AGE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_rules::policy::{Rejection, Verdict};
    use cors_rules::RegexVerdict;

    #[test]
    fn any_origin_may_send_a_bearer_token_but_not_other_methods() {
        let policy = policy();
        let cases = [
            (
                "http://localhost:5173",
                "GET",
                Some("authorization"),
                Verdict::Allowed,
            ),
            (
                "https://anyone.example",
                "GET",
                Some("authorization"),
                Verdict::Allowed,
            ),
            ("null", "GET", Some("authorization"), Verdict::Allowed),
            (
                "http://localhost:5173",
                "PUT",
                Some("authorization"),
                Verdict::Refused(Rejection::Method {
                    method: "PUT".into(),
                }),
            ),
            (
                "http://localhost:5173",
                "GET",
                Some("x-debug"),
                Verdict::Refused(Rejection::Headers {
                    headers: vec!["x-debug".into()],
                }),
            ),
        ];
        for (origin, method, headers, verdict) in cases {
            assert_eq!(
                policy.preflight_verdict(Some(origin), method, headers, RegexVerdict::DoesNotMatch),
                verdict,
                "{method} from {origin} asking for {headers:?}"
            );
        }
    }

    #[test]
    fn the_policy_never_combines_the_wildcard_with_credentials() {
        let policy = policy();
        assert!(policy.allows_any_origin(), "answered with *");
        assert!(
            !policy.allow_credentials,
            "* with credentials is refused by browsers"
        );
    }
}
