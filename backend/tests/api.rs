//! The demo API the lab's scenarios call: happy paths and clear 4xx errors.

mod common;

use common::{header, spawn_app, INSTRUMENTS_ON};
use cors_rules::AllowOrigins;
use lab_types::{ApiError, Item, PolicyView, Session, TraceEcho};
use serde_json::json;

const LAB: &str = "http://localhost:5173";

#[tokio::test]
async fn health_check_answers_ok() {
    let app = spawn_app("development", &[]).await;
    let res = app.send("GET", "/healthz", &[]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap(),
        json!({ "status": "ok" })
    );
}

#[tokio::test]
async fn items_can_be_listed_created_replaced_patched_and_deleted() {
    let app = spawn_app("development", &[]).await;

    let res = app.send("GET", "/api/items", &[]).await;
    let count: usize = header(&res, "x-total-count").unwrap().parse().unwrap();
    let items: Vec<Item> = res.json().await.unwrap();
    assert_eq!(items.len(), count, "X-Total-Count counts the items");

    let created: Item = app
        .send_json("POST", "/api/items", &[], json!({ "name": "new" }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((created.name.as_str(), created.done), ("new", false));

    let path = format!("/api/items/{}", created.id);
    let replaced: Item = app
        .send_json(
            "PUT",
            &path,
            &[],
            json!({ "name": "renamed", "done": true }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((replaced.name.as_str(), replaced.done), ("renamed", true));

    let patched: Item = app
        .send_json("PATCH", &path, &[], json!({ "done": false }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (patched.name.as_str(), patched.done),
        ("renamed", false),
        "PATCH changes only what it names"
    );

    assert_eq!(app.send("DELETE", &path, &[]).await.status(), 204);
    assert_eq!(app.send("GET", &path, &[]).await.status(), 404, "deleted");
}

#[tokio::test]
async fn bad_requests_get_a_clear_json_error() {
    let app = spawn_app("development", &[]).await;
    let url = format!("{}/api/items", app.address);
    let big_name = "x".repeat(20 * 1024);
    let cases = [
        (
            "bad JSON",
            app.client
                .post(&url)
                .header("Content-Type", "application/json")
                .body("{not json"),
            400,
            "invalid_json",
        ),
        (
            "a missing field",
            app.client.post(&url).json(&json!({ "done": true })),
            400,
            "invalid_json",
        ),
        (
            "an unknown field",
            app.client
                .post(&url)
                .json(&json!({ "name": "a", "colour": "red" })),
            400,
            "invalid_json",
        ),
        (
            "a body over 16 KiB",
            app.client.post(&url).json(&json!({ "name": big_name })),
            413,
            "payload_too_large",
        ),
        (
            "a text body",
            app.client
                .post(&url)
                .header("Content-Type", "text/plain")
                .body("{}"),
            415,
            "unsupported_media_type",
        ),
        (
            "an empty name",
            app.client.post(&url).json(&json!({ "name": "  " })),
            422,
            "invalid_item",
        ),
        (
            "an unknown id",
            app.client
                .put(format!("{url}/999999"))
                .json(&json!({ "name": "a" })),
            404,
            "not_found",
        ),
        (
            "an id that is not a number",
            app.client.get(format!("{url}/abc")),
            404,
            "not_found",
        ),
        (
            "an unknown path",
            app.client.get(format!("{}/api/nothing", app.address)),
            404,
            "not_found",
        ),
    ];
    for (what, request, status, code) in cases {
        let res = request.send().await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{what}: status");
        let body: ApiError = res
            .json()
            .await
            .unwrap_or_else(|e| panic!("{what}: not an ApiError: {e}"));
        assert_eq!(body.error.as_str(), code, "{what}: {body:?}");
        assert!(!body.message.is_empty(), "{what}: a message");
    }
}

#[tokio::test]
async fn errors_carry_cors_headers_so_the_page_can_read_them() {
    let app = spawn_app("development", &[]).await;
    let res = app
        .client
        .post(format!("{}/api/items", app.address))
        .header("Origin", LAB)
        .header("Content-Type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(header(&res, "access-control-allow-origin"), Some(LAB));
}

#[tokio::test]
async fn trace_needs_the_custom_header_and_echoes_it() {
    let app = spawn_app("development", &[]).await;
    let res = app
        .send("GET", "/api/trace", &[("X-Request-Id", "abc-123")])
        .await;
    assert_eq!(res.json::<TraceEcho>().await.unwrap().request_id, "abc-123");
    let res = app.send("GET", "/api/trace", &[]).await;
    assert_eq!(res.status(), 400, "without X-Request-Id");
}

#[tokio::test]
async fn login_sets_a_same_site_cookie_that_whoami_reads() {
    let app = spawn_app("development", &[]).await;
    let res = app.send("POST", "/api/login", &[("Origin", LAB)]).await;
    let cookie = header(&res, "set-cookie").expect("a cookie").to_string();
    for attribute in ["lab_session=demo", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(
            cookie.contains(attribute),
            "the cookie should have {attribute}: {cookie}"
        );
    }

    let res = app
        .send(
            "GET",
            "/api/whoami",
            &[("Origin", LAB), ("Cookie", "lab_session=demo")],
        )
        .await;
    assert_eq!(
        res.json::<Session>().await.unwrap().user.as_deref(),
        Some("demo")
    );

    let res = app.send("GET", "/api/whoami", &[("Origin", LAB)]).await;
    assert_eq!(res.status(), 401, "without the cookie");
    assert_eq!(
        header(&res, "access-control-allow-origin"),
        Some(LAB),
        "the 401 is readable"
    );

    let res = app.send("POST", "/api/logout", &[]).await;
    assert!(
        header(&res, "set-cookie").unwrap().contains("Max-Age=0"),
        "logout expires the cookie"
    );
}

#[tokio::test]
async fn the_policy_is_served_for_the_api_and_for_the_lab() {
    let app = spawn_app("production", &[INSTRUMENTS_ON]).await;
    for path in ["/api/policy", "/lab/policy"] {
        let policy: PolicyView = app.send("GET", path, &[]).await.json().await.unwrap();
        assert_eq!(policy.env, "production", "{path}");
        let rules = policy.policy;
        assert_eq!(
            rules.allow_origins,
            AllowOrigins::List(vec!["https://app.example.com".into()]),
            "{path}"
        );
        assert_eq!(rules.max_age, 600, "{path}");
        assert!(
            rules.allows_request_header("content-type"),
            "{path}: safelisted headers shown"
        );
    }
}
