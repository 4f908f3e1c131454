//! The lab's instruments (`/lab/…`) record the path and query of every request.
//! Whoever can read them learns what every user of the API asks for. So they are
//! off under `ENV=production` unless a setting turns them on, and they answer only
//! the lab's own origins (`lab.origins`), never `*`.

use lab_types::{ApiError, ErrorCode};

use crate::common::{header, spawn_app, INSTRUMENTS_ON};

/// Every route under `/lab`, with why an attacker would want it.
const LAB_ROUTES: &[(&str, &str)] = &[
    (
        "/lab/exchanges",
        "the recorded requests, paths and queries included",
    ),
    ("/lab/events", "the same, live, as each request arrives"),
    ("/lab/policy", "the policy in force"),
    (
        "/lab/exhibits",
        "whether the broken-on-purpose endpoints are on",
    ),
];

const LAB: &str = "http://localhost:5173";
const ATTACKER_PAGE: &str = "http://localhost:5174";
const EVIL: &str = "https://evil.example";

#[tokio::test]
async fn under_production_every_lab_route_answers_the_apis_404() {
    let app = spawn_app("production", &[]).await;
    for (path, what) in LAB_ROUTES {
        let res = app.send("GET", path, &[]).await;
        assert_eq!(res.status(), 404, "GET {path} ({what}) must not exist");
        let error: ApiError = res
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: not the API's ApiError JSON: {e}"));
        assert_eq!(error.error, ErrorCode::NotFound, "GET {path}: {error:?}");
    }
}

#[tokio::test]
async fn under_production_an_explicit_setting_turns_the_lab_on() {
    let app = spawn_app("production", &[INSTRUMENTS_ON]).await;
    for (path, what) in LAB_ROUTES {
        let res = app.send("GET", path, &[("Origin", LAB)]).await;
        assert_eq!(
            res.status(),
            200,
            "GET {path} ({what}) with {}={}",
            INSTRUMENTS_ON.0,
            INSTRUMENTS_ON.1
        );
    }
}

/// (the page's origin, what `Access-Control-Allow-Origin` must be, why)
const WHO_MAY_READ: &[(&str, Option<&str>, &str)] = &[
    (LAB, Some(LAB), "the lab is in lab.origins"),
    (
        "http://127.0.0.1:5173",
        Some("http://127.0.0.1:5173"),
        "the lab opened as 127.0.0.1 is a different origin, listed too",
    ),
    (EVIL, None, "a foreign website must not read the recorder"),
    (
        ATTACKER_PAGE,
        None,
        "the attacker page is on the same site, but not in lab.origins",
    ),
    (
        "null",
        None,
        "a sandboxed frame or a file: page sends null, which any site can produce",
    ),
];

#[tokio::test]
async fn in_development_the_lab_answers_only_its_own_origins_and_never_a_wildcard() {
    let app = spawn_app("development", &[]).await;
    for (path, _) in LAB_ROUTES {
        for (origin, expected, why) in WHO_MAY_READ {
            let res = app.get_from(path, origin).await;
            let allowed = header(&res, "access-control-allow-origin");
            assert_ne!(allowed, Some("*"), "GET {path} from {origin}: never *");
            assert_eq!(allowed, *expected, "GET {path} from {origin}: {why}");
            assert_eq!(
                header(&res, "access-control-allow-credentials"),
                None,
                "GET {path} from {origin}: the lab's routes never take credentials"
            );
            // actix-cors runs the request and leaves the header out: the browser then
            // hides the answer from the page. The data still went out, which is why
            // the routes are off where the recorder holds real users' requests.
            assert_eq!(res.status(), 200, "GET {path} from {origin}: status");
        }
    }
}

#[tokio::test]
async fn a_preflight_to_the_lab_from_a_foreign_origin_or_for_another_method_is_refused() {
    let app = spawn_app("development", &[]).await;
    // (origin, method, why)
    let cases = [
        (EVIL, "GET", "a foreign origin"),
        (LAB, "DELETE", "the lab itself, for a method other than GET"),
    ];
    for (origin, method, why) in cases {
        let res = app.preflight("/lab/exchanges", origin, method, "").await;
        assert_eq!(res.status(), 400, "{why}: status");
        assert_eq!(
            header(&res, "access-control-allow-origin"),
            None,
            "{why}: no Access-Control-Allow-Origin"
        );
    }
}

#[tokio::test]
async fn the_lab_answers_the_origins_that_lab_origins_lists() {
    let app = spawn_app(
        "development",
        &[(
            "APP__LAB__ORIGINS",
            "http://localhost:3000, http://lab.test:8080",
        )],
    )
    .await;
    // (origin, whether it is listed)
    let cases = [
        ("http://localhost:3000", true),
        ("http://lab.test:8080", true),
        (LAB, false),
    ];
    for (origin, listed) in cases {
        let res = app.get_from("/lab/policy", origin).await;
        let expected = listed.then_some(origin);
        assert_eq!(
            header(&res, "access-control-allow-origin"),
            expected,
            "{origin}: APP__LAB__ORIGINS replaces the list"
        );
    }
}
