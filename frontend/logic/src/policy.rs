//! What the active policy should do with a request, before it is sent.
//!
//! The page reads the backend's effective policy (`GET /lab/policy`) and uses
//! it to say, on every card, what *should* happen. Then it runs the request and
//! compares: a card whose outcome differs from this expectation points at a
//! policy the lab does not understand, or at a browser rule worth a second look.
//!
//! The checks follow the order the server uses for a preflight (origin, then
//! method, then headers) and then the browser's own credential rules.

use lab_types::PolicyView;

use crate::fetch_rules::Prediction;
use crate::request::Credentials;

/// What the policy will do with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// The page will be able to read the response.
    Allowed,
    /// The browser will hide the response (or never send the request).
    Blocked {
        /// The policy key to change to allow it.
        key: &'static str,
        /// Why, in words.
        why: String,
    },
    /// The lab cannot tell (e.g. the origin is only matched by a regex).
    Unknown { why: String },
}

impl Expectation {
    /// `allowed`, `blocked` or `unknown`: the value of `data-expected`.
    pub fn label(&self) -> &'static str {
        match self {
            Expectation::Allowed => "allowed",
            Expectation::Blocked { .. } => "blocked",
            Expectation::Unknown { .. } => "unknown",
        }
    }
}

/// What `policy` does with a request predicted as `prediction`, sent from
/// `origin` with `credentials`.
pub fn expect(
    policy: &PolicyView,
    origin: &str,
    prediction: &Prediction,
    credentials: Credentials,
) -> Expectation {
    if !prediction.cross_origin {
        return Expectation::Allowed;
    }
    let credentialed = credentials == Credentials::Include;
    let wildcard_origin = policy.allow_origins.iter().any(|o| o == "*");
    let listed = policy.allow_origins.iter().any(|o| o == origin);
    if !listed && !wildcard_origin {
        if let Some(regex) = &policy.allow_origin_regex {
            return Expectation::Unknown {
                why: format!(
                    "{origin} is not listed in allow_origins; it is allowed only if it matches \
                     allow_origin_regex {regex}"
                ),
            };
        }
        return Expectation::Blocked {
            key: "allow_origins",
            why: format!(
                "{origin} is not in allow_origins ({})",
                list_or_none(&policy.allow_origins)
            ),
        };
    }
    if prediction.preflight {
        if !policy.allow_methods.contains(&prediction.method) {
            return Expectation::Blocked {
                key: "allow_methods",
                why: format!(
                    "{} is not in allow_methods ({})",
                    prediction.method,
                    list_or_none(&policy.allow_methods)
                ),
            };
        }
        let any_header = !credentialed && policy.allow_headers.iter().any(|h| h == "*");
        let refused: Vec<&String> = prediction
            .request_headers
            .iter()
            .filter(|name| {
                let explicitly = policy
                    .allow_headers
                    .iter()
                    .any(|allowed| allowed.eq_ignore_ascii_case(name));
                !(explicitly || (any_header && *name != "authorization"))
            })
            .collect();
        if !refused.is_empty() {
            let names: Vec<&str> = refused.iter().map(|s| s.as_str()).collect();
            return Expectation::Blocked {
                key: "allow_headers",
                why: format!(
                    "{} not in allow_headers ({})",
                    names.join(", ") + if names.len() == 1 { " is" } else { " are" },
                    list_or_none(&policy.allow_headers)
                ),
            };
        }
    }
    if credentialed {
        if !policy.allow_credentials {
            return Expectation::Blocked {
                key: "allow_credentials",
                why: "credentials: \"include\" needs allow_credentials = true".to_string(),
            };
        }
        if wildcard_origin && !listed {
            return Expectation::Blocked {
                key: "allow_origins",
                why: "a wildcard origin (*) is never accepted with credentials: list the origin"
                    .to_string(),
            };
        }
    }
    Expectation::Allowed
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "empty".to_string()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::fetch_rules::predict;
    use crate::request::PlannedRequest;

    pub(crate) fn dev_policy() -> PolicyView {
        PolicyView {
            env: "development".into(),
            allow_origins: vec![
                "http://localhost:5173".into(),
                "http://127.0.0.1:5173".into(),
            ],
            allow_origin_regex: None,
            allow_methods: ["GET", "POST", "PUT", "DELETE"].map(String::from).to_vec(),
            allow_headers: [
                "accept",
                "accept-language",
                "content-language",
                "content-type",
                "authorization",
                "x-request-id",
            ]
            .map(String::from)
            .to_vec(),
            allow_credentials: true,
            expose_headers: vec!["x-total-count".into()],
            max_age: 600,
        }
    }

    const LAB: &str = "http://localhost:5173";

    #[test]
    fn the_dev_policy_allows_the_lab_except_the_refused_method_and_header() {
        let policy = dev_policy();
        let cases: Vec<(&str, PlannedRequest, &str, Option<&str>)> = vec![
            (
                "simple GET",
                PlannedRequest::new("GET", "/api/items"),
                "allowed",
                None,
            ),
            (
                "POST JSON",
                PlannedRequest::new("POST", "/api/items").json("{}"),
                "allowed",
                None,
            ),
            (
                "PUT",
                PlannedRequest::new("PUT", "/api/items/1"),
                "allowed",
                None,
            ),
            (
                "custom X-Request-Id",
                PlannedRequest::new("GET", "/api/trace").header("X-Request-Id", "1"),
                "allowed",
                None,
            ),
            (
                "credentials",
                PlannedRequest::new("GET", "/api/whoami").credentials(Credentials::Include),
                "allowed",
                None,
            ),
            (
                "PATCH",
                PlannedRequest::new("PATCH", "/api/items/1"),
                "blocked",
                Some("allow_methods"),
            ),
            (
                "X-Debug",
                PlannedRequest::new("GET", "/api/items").header("X-Debug", "1"),
                "blocked",
                Some("allow_headers"),
            ),
        ];
        for (why, request, label, key) in cases {
            let expectation = expect(&policy, LAB, &predict(&request, true), request.credentials);
            assert_eq!(expectation.label(), label, "{why}: {expectation:?}");
            if let Expectation::Blocked { key: got, .. } = &expectation {
                assert_eq!(Some(*got), key, "{why}: wrong config key");
            }
        }
    }

    #[test]
    fn an_origin_that_is_not_listed_is_blocked_even_for_a_simple_get() {
        let mut production = dev_policy();
        production.env = "production".into();
        production.allow_origins = vec!["https://app.example.com".into()];
        let expectation = expect(
            &production,
            LAB,
            &predict(&PlannedRequest::new("GET", "/api/items"), true),
            Credentials::SameOrigin,
        );
        match expectation {
            Expectation::Blocked { key, why } => {
                assert_eq!(key, "allow_origins", "the origin list is the key");
                assert!(
                    why.contains("https://app.example.com"),
                    "names the allow list: {why}"
                );
            }
            other => panic!("expected blocked, got {other:?}"),
        }
    }

    #[test]
    fn credentials_need_allow_credentials_and_an_exact_origin() {
        let whoami = PlannedRequest::new("GET", "/api/whoami").credentials(Credentials::Include);
        let prediction = predict(&whoami, true);
        let cases = [
            ("credentials off", vec![LAB], false, "allow_credentials"),
            ("wildcard origin", vec!["*"], true, "allow_origins"),
        ];
        for (why, origins, allow_credentials, key) in cases {
            let mut policy = dev_policy();
            policy.allow_origins = origins.into_iter().map(String::from).collect();
            policy.allow_credentials = allow_credentials;
            match expect(&policy, LAB, &prediction, Credentials::Include) {
                Expectation::Blocked { key: got, .. } => assert_eq!(got, key, "{why}"),
                other => panic!("{why}: expected blocked, got {other:?}"),
            }
        }
    }

    #[test]
    fn an_origin_left_to_the_regex_is_unknown() {
        let mut policy = dev_policy();
        policy.allow_origins.clear();
        policy.allow_origin_regex = Some("^http://localhost:\\d+$".into());
        let got = expect(
            &policy,
            LAB,
            &predict(&PlannedRequest::new("GET", "/"), true),
            Credentials::Omit,
        );
        assert_eq!(
            got.label(),
            "unknown",
            "the lab has no regex engine: {got:?}"
        );
    }
}
