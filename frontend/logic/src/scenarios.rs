//! The eleven scenarios of the lab, each a real request tied to one CORS idea.
//!
//! Every scenario is plain data: the requests it makes, in order. The page
//! runs them from its own origin, so the browser applies the real CORS rules;
//! the prediction (`cors_rules::fetch::predict`) says beforehand whether a
//! preflight goes first, and the diagnosis ([`crate::diagnosis`]) explains
//! afterwards what happened on both sides, with the line DevTools' console printed.
//!
//! Two scenarios are *meant* to fail under the shipped development policy: a
//! method (`PATCH`) and a header (`X-Debug`) that the policy does not allow.
//! Seeing a refusal, and the key that would lift it, is half of learning CORS.
//!
//! One scenario calls another endpoint: `/public/bearer`, under a fixed policy of
//! its own ([`Governor::Public`]), so that `Access-Control-Allow-Origin: *` can be
//! shown at work with a bearer token whatever the API's policy is.

use std::borrow::Cow;

use cors_rules::Policy;
use lab_types::governor;
use lab_types::public::{self, BEARER_PATH};

use crate::{Credentials, PlannedRequest};

/// Placeholder in a path for the id of the item created earlier in the run.
pub const ID_PLACEHOLDER: &str = "{id}";

/// One request of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What this step shows, e.g. "PUT the scratch item".
    pub label: &'static str,
    pub request: PlannedRequest,
    /// How many times the identical request is sent (preflight caching).
    pub repeat: u8,
    /// Response headers the page tries to read, to show which are exposed.
    pub watch_headers: &'static [&'static str],
}

impl Step {
    fn once(label: &'static str, request: PlannedRequest) -> Step {
        Step {
            label,
            request,
            repeat: 1,
            watch_headers: &[],
        }
    }
}

/// Whose policy answers a scenario's requests.
///
/// The card's expectation must come from the policy that will really answer: for
/// `/public/…` that is not the API's `[cors]` policy, and no key of it can change
/// the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Governor {
    /// The API's policy, from `config/` (read at `GET /lab/policy`).
    Api,
    /// The fixed policy of `/public/…` ([`lab_types::public::policy`]).
    Public,
}

impl Governor {
    /// Whose policy answers a request to `path` (the request builder's, say), as
    /// [`lab_types::governor::governing_policy`] decides. The lab predicts with two
    /// policies only. For a path under `/lab` or `/exhibits` it predicts with the
    /// API's, which is not the one that answers there.
    pub fn for_path(path: &str) -> Governor {
        match governor::governing_policy(path) {
            governor::Governor::Public => Governor::Public,
            _ => Governor::Api,
        }
    }

    /// The policy that answers, given the API's.
    pub fn policy(self, api: &Policy) -> Cow<'_, Policy> {
        match self {
            Governor::Api => Cow::Borrowed(api),
            Governor::Public => Cow::Owned(public::policy()),
        }
    }

    /// The policy's name in the card's sentences.
    pub fn name(self) -> &'static str {
        match self {
            Governor::Api => "the active policy",
            Governor::Public => "/public's fixed policy (any origin, no credentials)",
        }
    }

    /// Whether a key in `config/` can change what this policy answers.
    pub fn configurable(self) -> bool {
        self == Governor::Api
    }
}

/// One card of the lab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// 1 to 11: also used in the card's `id` and `data-testid`s.
    pub number: u8,
    /// A stable short name, e.g. `simple-get`.
    pub slug: &'static str,
    pub title: &'static str,
    /// The idea the scenario teaches, in a sentence or two.
    pub lesson: &'static str,
    /// Whose policy answers its requests.
    pub governor: Governor,
    pub steps: Vec<Step>,
}

/// The eleven scenarios, in the order of the tutorial.
pub fn all() -> Vec<Scenario> {
    let new_item = r#"{"name":"made by the lab","done":false}"#;
    vec![
        Scenario {
            number: 1,
            slug: "simple-get",
            title: "Simple GET",
            lesson: "A GET with no custom headers is a \"simple\" request: the browser sends it \
                     straight away with an Origin header, and only lets the page read the answer \
                     if it carries a matching Access-Control-Allow-Origin.",
            governor: Governor::Api,
            steps: vec![Step::once(
                "GET /api/items",
                PlannedRequest::new("GET", "/api/items"),
            )],
        },
        Scenario {
            number: 2,
            slug: "post-json",
            title: "POST with a JSON body",
            lesson: "Content-Type: application/json is not something an HTML form could send, \
                     so the browser first asks with an OPTIONS preflight.",
            governor: Governor::Api,
            steps: vec![Step::once(
                "POST /api/items (JSON)",
                PlannedRequest::new("POST", "/api/items").json(new_item),
            )],
        },
        Scenario {
            number: 3,
            slug: "put-delete",
            title: "PUT and DELETE",
            lesson: "Only GET, HEAD and POST are safelisted methods. PUT and DELETE are \
                     preflighted even with no body and no headers at all.",
            governor: Governor::Api,
            steps: vec![
                Step::once(
                    "POST a scratch item to change",
                    PlannedRequest::new("POST", "/api/items").json(new_item),
                ),
                Step::once(
                    "PUT /api/items/{id}",
                    PlannedRequest::new("PUT", "/api/items/{id}")
                        .json(r#"{"name":"renamed by the lab","done":true}"#),
                ),
                Step::once(
                    "DELETE /api/items/{id}",
                    PlannedRequest::new("DELETE", "/api/items/{id}"),
                ),
            ],
        },
        Scenario {
            number: 4,
            slug: "custom-header",
            title: "A custom header",
            lesson: "Any header outside the safelist, like X-Request-Id, makes the request \
                     preflighted; the preflight names it in Access-Control-Request-Headers.",
            governor: Governor::Api,
            steps: vec![Step::once(
                "GET /api/trace with X-Request-Id",
                PlannedRequest::new("GET", "/api/trace").header("X-Request-Id", "lab-4"),
            )],
        },
        Scenario {
            number: 5,
            slug: "credentials",
            title: "Credentials: cookies across origins",
            lesson: "Cookies only travel to another origin with credentials: \"include\", and the \
                     page only reads the answer if the server says \
                     Access-Control-Allow-Credentials: true and names the exact origin. With the \
                     default mode the cookie stays home and whoami answers 401.",
            governor: Governor::Api,
            steps: vec![
                Step::once(
                    "POST /api/login (include)",
                    PlannedRequest::new("POST", "/api/login").credentials(Credentials::Include),
                ),
                Step::once(
                    "GET /api/whoami (include)",
                    PlannedRequest::new("GET", "/api/whoami").credentials(Credentials::Include),
                ),
                Step::once(
                    "GET /api/whoami (default: same-origin)",
                    PlannedRequest::new("GET", "/api/whoami"),
                ),
            ],
        },
        Scenario {
            number: 6,
            slug: "exposed-headers",
            title: "Exposed and unexposed response headers",
            lesson: "Even when a response is readable, the page only sees the safelisted \
                     response headers plus those listed in Access-Control-Expose-Headers: \
                     X-Total-Count is exposed, X-Served-By is not.",
            governor: Governor::Api,
            steps: vec![Step {
                label: "GET /api/items, read two headers",
                request: PlannedRequest::new("GET", "/api/items"),
                repeat: 1,
                watch_headers: &["X-Total-Count", "X-Served-By"],
            }],
        },
        Scenario {
            number: 7,
            slug: "protected",
            title: "Authorization: a readable 401",
            lesson: "Authorization is not safelisted, so there is a preflight. The preflight \
                     only names the header (Access-Control-Request-Headers: authorization), \
                     never its value, so it passes although the token is wrong. The actual \
                     request then gets 401, and the page can read it because CORS allowed it.",
            governor: Governor::Api,
            steps: vec![
                Step::once(
                    "GET /api/protected with a wrong bearer token",
                    PlannedRequest::new("GET", "/api/protected")
                        .header("Authorization", "Bearer wrong"),
                ),
                Step::once(
                    "GET /api/protected with no token",
                    PlannedRequest::new("GET", "/api/protected"),
                ),
            ],
        },
        Scenario {
            number: 8,
            slug: "refused-method",
            title: "A method the policy does not allow",
            lesson: "PATCH is not in allow_methods. The server answers the preflight with the \
                     methods it does allow; PATCH is not among them, so the browser never sends \
                     the PATCH. The page only sees a TypeError (\"Failed to fetch\" in \
                     Chromium); the console names the method.",
            governor: Governor::Api,
            steps: vec![Step::once(
                "PATCH /api/items/1",
                PlannedRequest::new("PATCH", "/api/items/1").json(r#"{"done":true}"#),
            )],
        },
        Scenario {
            number: 9,
            slug: "refused-header",
            title: "A header the policy does not allow",
            lesson: "X-Debug is not in allow_headers. The preflight's answer lists the headers \
                     the server allows, X-Debug is not among them, and the GET is never sent; \
                     the console names the header.",
            governor: Governor::Api,
            steps: vec![Step::once(
                "GET /api/items with X-Debug: 1",
                PlannedRequest::new("GET", "/api/items").header("X-Debug", "1"),
            )],
        },
        Scenario {
            number: 10,
            slug: "preflight-cache",
            title: "Preflight caching",
            lesson: "The browser caches a successful preflight for Access-Control-Max-Age \
                     seconds, so the same request sent again soon after goes without asking. \
                     Each entry covers one method or header name, for one origin, URL and \
                     credentials mode, inside one network partition (in Chromium, also per \
                     top-level site). So a new lab_run is a new entry, and an include run does \
                     not reuse an omit one. Count the preflights the server saw.",
            governor: Governor::Api,
            steps: vec![Step {
                label: "GET /api/trace with X-Request-Id, three times",
                request: PlannedRequest::new("GET", "/api/trace").header("X-Request-Id", "lab-10"),
                repeat: 3,
                watch_headers: &[],
            }],
        },
        Scenario {
            number: 11,
            slug: "bearer-wildcard",
            title: "A bearer token is not a credential",
            lesson: "Authorization set by the page's JavaScript is a request header, governed \
                     by allow_headers, not a credential: CORS credentials are cookies, HTTP \
                     authentication and TLS client certificates, which the browser attaches. \
                     So a token works with Access-Control-Allow-Origin: * (here /public's \
                     fixed policy). Only credentials: \"include\" meets the wildcard rule.",
            governor: Governor::Public,
            steps: vec![
                Step::once(
                    "GET /public/bearer with a bearer token (default: same-origin)",
                    PlannedRequest::new("GET", BEARER_PATH)
                        .header("Authorization", &format!("Bearer {}", public::DEMO_TOKEN)),
                ),
                Step::once(
                    "GET /public/bearer with the token and credentials: \"include\"",
                    PlannedRequest::new("GET", BEARER_PATH)
                        .header("Authorization", &format!("Bearer {}", public::DEMO_TOKEN))
                        .credentials(Credentials::Include),
                ),
            ],
        },
    ]
}

/// How many preflights the server should see for `repeat` identical
/// preflighted requests when the policy's `max_age` is `max_age` seconds.
///
/// With a positive max-age only the first asks. Browsers cap it (WebKit at 600 s,
/// Chromium at 7200 s, Firefox at 86400 s), but the repeats follow each other within
/// a second. With 0 every request asks again.
pub fn expected_preflights(repeat: u8, max_age: u32) -> u8 {
    if repeat == 0 {
        0
    } else if max_age > 0 {
        1
    } else {
        repeat
    }
}

mod made;

pub use made::{fill_id, made_by, Made, NoItem};

#[cfg(test)]
mod lessons;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::predict;

    #[test]
    fn each_scenario_is_preflighted_as_its_lesson_says() {
        // (scenario, step, preflight?)
        let expected = [
            (1, 0, false),
            (2, 0, true),
            (3, 1, true),
            (3, 2, true),
            (4, 0, true),
            (5, 0, false),
            (5, 1, false),
            (6, 0, false),
            (7, 0, true),
            (7, 1, false),
            (8, 0, true),
            (9, 0, true),
            (10, 0, true),
            (11, 0, true),
            (11, 1, true),
        ];
        let scenarios = all();
        for (number, step, preflight) in expected {
            let scenario = &scenarios[number - 1];
            assert_eq!(scenario.number as usize, number, "scenarios are in order");
            let request = &scenario.steps[step].request;
            assert_eq!(
                predict(request, true).preflight,
                preflight,
                "scenario {number} step {step} ({})",
                scenario.steps[step].label
            );
        }
    }

    #[test]
    fn scenario_numbers_and_slugs_are_unique_and_stable() {
        let scenarios = all();
        assert_eq!(scenarios.len(), 11, "the tutorial has eleven scenarios");
        let mut slugs: Vec<&str> = scenarios.iter().map(|s| s.slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), 11, "slugs must be unique");
    }

    #[test]
    fn each_scenario_is_governed_by_the_policy_of_the_path_it_calls() {
        for scenario in all() {
            for step in &scenario.steps {
                assert_eq!(
                    Governor::for_path(&step.request.url),
                    scenario.governor,
                    "scenario {} step {}: {}",
                    scenario.number,
                    step.label,
                    step.request.url
                );
            }
        }
    }

    #[test]
    fn a_positive_max_age_leaves_one_preflight_for_repeated_requests() {
        let cases = [
            (3, 600, 1, "cached"),
            (3, 0, 3, "max-age 0 disables the cache"),
            (0, 600, 0, "nothing sent"),
        ];
        for (repeat, max_age, preflights, why) in cases {
            assert_eq!(expected_preflights(repeat, max_age), preflights, "{why}");
        }
    }
}
