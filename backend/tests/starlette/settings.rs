//! The settings differences: the backend refuses (or reads) the settings at startup,
//! and Starlette, given the same settings, does what the FastAPI page's row says.

use serde_json::json;

use super::compare::{self, Field};
use super::{corpus, Request, StarletteApp};
use crate::common::{project_config_dir, refusal, spawn_app, vars};

const LAB: &str = "http://localhost:5173";

/// The backend refuses `overrides` at startup, with a message containing `says`.
fn backend_refuses(overrides: &[(&str, &str)], says: &str) {
    let errors = refusal(vars(&project_config_dir(), "development", overrides));
    assert!(
        errors.iter().any(|e| e.contains(says)),
        "the backend refused {overrides:?}, but no message says `{says}`: {errors:#?}"
    );
}

pub fn get(origin: &str, cookie: bool) -> Request {
    let mut headers = vec![];
    if cookie {
        headers.push(("Cookie", corpus::COOKIE.to_string()));
    }
    Request {
        method: "GET".into(),
        path: "/api/items",
        origin: Some(origin.into()),
        headers,
    }
}

pub fn preflight(origin: &str, method: &str) -> Request {
    Request {
        method: "OPTIONS".into(),
        path: "/api/items",
        origin: Some(origin.into()),
        headers: vec![("Access-Control-Request-Method", method.into())],
    }
}

/// Starlette's ACAO for `request` under `settings`.
async fn starlette_allow_origin(settings: serde_json::Value, request: &Request) -> Option<String> {
    let peer = StarletteApp::spawn(&settings).await;
    let answer = request.send(&reqwest::Client::new(), &peer.address).await;
    answer.get("Access-Control-Allow-Origin")
}

pub async fn wildcard_credentials() {
    backend_refuses(&[("APP__CORS__ALLOW_ORIGINS", "*")], "allow_credentials");
    let settings = json!({"allow_origins": ["*"], "allow_credentials": true});
    let peer = StarletteApp::spawn(&settings).await;
    let client = reqwest::Client::new();
    let evil = "http://evil.example";
    // Starlette 1.x echoes the origin on every request, cookie or not (0.x: only on
    // preflights and with a Cookie), and consents to credentials: any site reads.
    for request in [preflight(evil, "GET"), get(evil, true), get(evil, false)] {
        let answer = request.send(&client, &peer.address).await;
        let decision = compare::value(
            Field::Decision(cors_rules::fetch::Credentials::Include),
            &request,
            &answer,
        );
        assert_eq!(
            (
                answer.get("Access-Control-Allow-Origin"),
                decision.as_deref()
            ),
            (Some(evil.to_string()), Some("allowed")),
            "Starlette with * and credentials: {}",
            request.as_curl(&peer.address)
        );
    }
}

pub async fn near_miss_origins() {
    for (entry, sent) in [
        ("http://localhost:5173/", LAB),
        ("HTTP://LOCALHOST:5173", LAB),
        ("https://app.example.com:443", "https://app.example.com"),
    ] {
        backend_refuses(&[("APP__CORS__ALLOW_ORIGINS", entry)], entry);
        let settings = json!({"allow_origins": [entry]});
        assert_eq!(
            starlette_allow_origin(settings, &get(sent, false)).await,
            None,
            "Starlette with allow_origins = [{entry:?}] should never match {sent}"
        );
    }
}

pub async fn null_origin() {
    backend_refuses(&[("APP__CORS__ALLOW_ORIGINS", "null")], "null");
    let settings = json!({"allow_origins": ["null"]});
    assert_eq!(
        starlette_allow_origin(settings, &get("null", false)).await,
        Some("null".into()),
        "Starlette with allow_origins = [\"null\"] allows Origin: null"
    );
}

pub async fn regex_audit() {
    let pattern = r"https://.*example\.com";
    backend_refuses(
        &[("APP__CORS__ALLOW_ORIGIN_REGEX", pattern)],
        "https://evilexample.com",
    );
    let settings = json!({"allow_origin_regex": pattern});
    let evil = "https://evilexample.com";
    assert_eq!(
        starlette_allow_origin(settings, &get(evil, false)).await,
        Some(evil.into()),
        "Starlette with allow_origin_regex = {pattern:?} allows {evil}"
    );
}

pub async fn star_methods() {
    let backend = spawn_app("development", &[("APP__CORS__ALLOW_METHODS", "*")]).await;
    let peer = StarletteApp::spawn(&json!({"allow_origins": [LAB], "allow_methods": ["*"]})).await;
    let client = reqwest::Client::new();
    let methods = |base: &str| {
        let request = preflight(LAB, "QUERY");
        let client = client.clone();
        let base = base.to_string();
        async move {
            let answer = request.send(&client, &base).await;
            (
                answer.status,
                compare::value(Field::AllowMethods, &request, &answer),
            )
        }
    };
    let seven = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT";
    assert_eq!(
        methods(&backend.address).await,
        (200, Some(seven.into())),
        "the backend's `*`: seven methods, QUERY refused"
    );
    assert_eq!(
        methods(&peer.address).await,
        (200, Some(format!("{seven}, QUERY"))),
        "Starlette's `*` (1.7 and later): QUERY too"
    );
}
