//! The rules crate and the live server tell the same story.
//!
//! `cors-rules` predicts, for the lab and the probe, what this backend answers and
//! what the browser then decides. Here one list of cases goes both ways under five
//! policies: to a real server on a free port, and through the crate given the
//! policy that server reports at `/api/policy`. The server's answers and the
//! crate's must lead the browser's checks (`cors_rules::browser`) to the same
//! outcome, with the same CORS headers.

mod common;

use common::{spawn_app, TestApp, FIVE_POLICIES};
use cors_rules::browser::{check_preflight, check_response, CorsRequest};
use cors_rules::fetch::headers::is_cors_response_header;
use cors_rules::fetch::Credentials;
use cors_rules::{Policy, RegexVerdict, ResponseHead};
use lab_types::PolicyView;

const LAB: &str = "http://localhost:5173";
const SITE: &str = "https://app.example.com";

/// (origin, method, Access-Control-Request-Headers) of each preflight.
const PREFLIGHTS: &[(&str, &str, &str)] = &[
    (LAB, "POST", "content-type"),
    (LAB, "PUT", ""),
    (LAB, "PATCH", ""),
    (LAB, "put", ""),
    (LAB, "GET", "x-request-id"),
    (LAB, "GET", "x-debug"),
    (LAB, "GET", "authorization"),
    (LAB, "GET", "authorization,x-debug"),
    (LAB, "POST", "accept,content-type,x-debug,x-request-id"),
    (SITE, "DELETE", "content-type"),
    ("https://docs.example.com", "PUT", "x-request-id"),
    ("https://docs.example.com.evil.test", "PUT", ""),
    ("http://evil.example", "GET", ""),
    ("null", "GET", ""),
    ("HTTP://LOCALHOST:5173", "GET", ""),
];

/// Origins of the actual requests (a GET of the items).
const REQUEST_ORIGINS: &[&str] = &[
    LAB,
    SITE,
    "https://docs.example.com",
    "http://evil.example",
    "null",
];

const MODES: [Credentials; 2] = [Credentials::SameOrigin, Credentials::Include];

#[tokio::test]
async fn the_crate_predicts_every_preflight_answer_and_its_outcome() {
    for (name, env, overrides) in FIVE_POLICIES {
        let app = spawn_app(env, overrides).await;
        let (policy, regex) = effective_policy(&app).await;
        for (origin, method, acrh) in PREFLIGHTS {
            let what = format!("{name}: preflight from {origin} for {method} [{acrh}]");
            let live = head_of(app.preflight("/api/items", origin, method, acrh).await);
            let predicted = policy
                .answer_preflight(
                    Some(origin),
                    method,
                    (!acrh.is_empty()).then_some(*acrh),
                    regex(origin),
                )
                .head
                .unwrap_or_else(|| panic!("{what}: the crate could not decide"));
            assert_eq!(live.status, predicted.status, "{what}: status");
            assert_same_cors_headers(&live, &predicted, &what);
            for credentials in MODES {
                let request = CorsRequest {
                    origin: origin.to_string(),
                    method: method.to_string(),
                    request_headers: acrh
                        .split(',')
                        .filter(|h| !h.is_empty())
                        .map(String::from)
                        .collect(),
                    credentials,
                };
                assert_eq!(
                    check_preflight(&request, &live),
                    check_preflight(&request, &predicted),
                    "{what}, credentials {credentials:?}: the browser's verdict"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_crate_predicts_every_actual_answer_and_its_outcome() {
    for (name, env, overrides) in FIVE_POLICIES {
        let app = spawn_app(env, overrides).await;
        let (policy, regex) = effective_policy(&app).await;
        for origin in REQUEST_ORIGINS {
            let what = format!("{name}: GET from {origin}");
            let live = head_of(app.get_from("/api/items", origin).await);
            let predicted = policy
                .answer_request(Some(origin), live.status, regex(origin))
                .head
                .unwrap_or_else(|| panic!("{what}: the crate could not decide"));
            assert_same_cors_headers(&live, &predicted, &what);
            for credentials in MODES {
                let request = CorsRequest {
                    origin: origin.to_string(),
                    method: "GET".into(),
                    request_headers: vec![],
                    credentials,
                };
                assert_eq!(
                    check_response(&request, &live),
                    check_response(&request, &predicted),
                    "{what}, credentials {credentials:?}: the browser's verdict"
                );
            }
        }
    }
}

/// The policy the server reports, and a regex matcher for its `allow_origin_regex`
/// (this side has a regex engine; the lab does not).
async fn effective_policy(app: &TestApp) -> (Policy, impl Fn(&str) -> RegexVerdict) {
    let view: PolicyView = app
        .send("GET", "/api/policy", &[])
        .await
        .json()
        .await
        .unwrap();
    let regex = view
        .policy
        .allow_origin_regex
        .as_deref()
        .map(|pattern| regex::Regex::new(&format!("^(?:{pattern})$")).unwrap());
    let matcher = move |origin: &str| match &regex {
        Some(regex) => regex.is_match(origin).into(),
        None => RegexVerdict::DoesNotMatch,
    };
    (view.policy, matcher)
}

fn head_of(response: reqwest::Response) -> ResponseHead {
    let mut head = ResponseHead::new(response.status().as_u16());
    for (name, value) in response.headers() {
        head = head.with(name.as_str(), value.to_str().unwrap_or_default());
    }
    head
}

/// Every `Access-Control-*` header agrees; lists compare as sets (actix-cors lists
/// them in hash order), header names in any case, methods exactly.
fn assert_same_cors_headers(live: &ResponseHead, predicted: &ResponseHead, what: &str) {
    let names = |head: &ResponseHead| {
        let mut names: Vec<String> = head
            .headers
            .iter()
            .map(|(n, _)| n.to_ascii_lowercase())
            .filter(|n| is_cors_response_header(n))
            .collect();
        names.sort();
        names.dedup();
        names
    };
    assert_eq!(names(live), names(predicted), "{what}: which CORS headers");
    for name in names(live) {
        let set = |head: &ResponseHead| {
            let value = head.get(&name).unwrap_or_default();
            let mut items: Vec<String> = value
                .split(',')
                .map(|item| item.trim().to_string())
                .map(|item| {
                    if name.ends_with("-headers") {
                        item.to_ascii_lowercase()
                    } else {
                        item
                    }
                })
                .filter(|item| !item.is_empty())
                .collect();
            items.sort();
            items
        };
        assert_eq!(set(live), set(predicted), "{what}: {name}");
    }
}
