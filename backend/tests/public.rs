//! `/public/bearer`: a bearer token under `Access-Control-Allow-Origin: *`.
//!
//! The endpoint has its own fixed policy (`lab_types::public::policy`), whatever
//! the API's `[cors]` says: any origin, `GET`, `Authorization` by name, no
//! credentials. These tests hold the server to that one value, the one the lab
//! predicts scenario 11 from, and show the lesson from the server's side: the
//! token is a request header, so `*` serves it; only credentials meet the
//! wildcard rule.

mod common;

use common::{header, spawn_app, INSTRUMENTS_ON};
use cors_rules::browser::{check_preflight, check_response, CorsRequest};
use cors_rules::fetch::Credentials;
use cors_rules::{RegexVerdict, ResponseHead};
use lab_types::public::{self, BEARER_PATH, DEMO_TOKEN};
use lab_types::{Exchange, Secret};

const LAB: &str = "http://localhost:5173";
const ANYONE: &str = "https://anyone.example";

fn head_of(response: &reqwest::Response) -> ResponseHead {
    let mut head = ResponseHead::new(response.status().as_u16());
    for (name, value) in response.headers() {
        head = head.with(name.as_str(), value.to_str().unwrap_or_default());
    }
    head
}

fn request(origin: &str, credentials: Credentials) -> CorsRequest {
    CorsRequest {
        origin: origin.into(),
        method: "GET".into(),
        request_headers: vec!["authorization".into()],
        credentials,
    }
}

#[tokio::test]
async fn any_origin_may_send_a_bearer_token_whatever_the_apis_policy() {
    let bearer = format!("Bearer {DEMO_TOKEN}");
    // Production refuses the lab on /api; /public does not care.
    for env in ["development", "production"] {
        let app = spawn_app(env, &[]).await;
        for origin in [LAB, ANYONE] {
            let what = format!("{env}, from {origin}");
            let preflight = app
                .preflight(BEARER_PATH, origin, "GET", "authorization")
                .await;
            let live = head_of(&preflight);
            assert_eq!(
                header(&preflight, "access-control-allow-origin"),
                Some("*"),
                "{what}"
            );
            assert_eq!(
                header(&preflight, "access-control-allow-credentials"),
                None,
                "{what}: no credentials"
            );
            let predicted = public::policy()
                .answer_preflight(
                    Some(origin),
                    "GET",
                    Some("authorization"),
                    RegexVerdict::DoesNotMatch,
                )
                .head
                .expect("no regex to run");
            for credentials in [Credentials::SameOrigin, Credentials::Include] {
                let request = request(origin, credentials);
                assert_eq!(
                    check_preflight(&request, &live).map_err(|f| f.cors_error),
                    check_preflight(&request, &predicted).map_err(|f| f.cors_error),
                    "{what}, {credentials:?}: the server answers as the lab predicts"
                );
            }
            assert!(
                check_preflight(&request(origin, Credentials::SameOrigin), &live).is_ok(),
                "{what}: the token passes the preflight"
            );
            assert!(
                check_preflight(&request(origin, Credentials::Include), &live).is_err(),
                "{what}: credentials never pass `*`"
            );

            let answer = app
                .send(
                    "GET",
                    BEARER_PATH,
                    &[("Origin", origin), ("Authorization", &bearer)],
                )
                .await;
            assert_eq!(answer.status(), 200, "{what}: the right token");
            let head = head_of(&answer);
            assert!(
                check_response(&request(origin, Credentials::SameOrigin), &head).is_ok(),
                "{what}: the page may read the answer"
            );
            let secret: Secret = answer.json().await.expect("a Secret");
            assert!(
                secret.message.contains("not a credential"),
                "{}",
                secret.message
            );

            let refused = app
                .send(
                    "GET",
                    BEARER_PATH,
                    &[("Origin", origin), ("Authorization", "Bearer wrong")],
                )
                .await;
            assert_eq!(refused.status(), 401, "{what}: a wrong token");
            assert_eq!(
                header(&refused, "access-control-allow-origin"),
                Some("*"),
                "{what}: the 401 is readable, so the page learns why"
            );
        }
    }
}

#[tokio::test]
async fn the_public_policy_allows_get_only() {
    let app = spawn_app("development", &[]).await;
    let preflight = app
        .preflight(BEARER_PATH, LAB, "PUT", "authorization")
        .await;
    let request = CorsRequest {
        method: "PUT".into(),
        ..request(LAB, Credentials::SameOrigin)
    };
    assert!(
        check_preflight(&request, &head_of(&preflight)).is_err(),
        "PUT is not in /public's allow_methods, whatever the API allows"
    );
}

#[tokio::test]
async fn the_recorder_judges_public_requests_by_their_own_policy() {
    let app = spawn_app("production", &[INSTRUMENTS_ON]).await;
    let tagged = format!("{BEARER_PATH}?lab_run=pub-1");
    app.send(
        "GET",
        &tagged,
        &[
            ("Origin", LAB),
            ("Authorization", &format!("Bearer {DEMO_TOKEN}")),
        ],
    )
    .await;
    let recorded: Vec<Exchange> = app
        .send("GET", "/lab/exchanges", &[])
        .await
        .json()
        .await
        .expect("the recorder's JSON");
    let exchange = recorded
        .iter()
        .find(|e| e.path == tagged)
        .expect("the request was recorded");
    assert_eq!(
        exchange.rejection, None,
        "production's allow_origins does not list the lab, but it does not govern /public"
    );
    assert!(exchange.had_authorization, "the token is recorded as sent");
}
