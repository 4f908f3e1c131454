//! What a browser gets from the real server under the shipped development and
//! production policies, request by request.

mod common;

use common::{header, header_set, set_of, spawn_app, TestApp};
use cors_rules::fetch::headers::is_cors_response_header;
use lab_types::ApiError;

const LAB: &str = "http://localhost:5173";
const LAB_BY_IP: &str = "http://127.0.0.1:5173";
const DEV_SERVER: &str = "http://localhost:3000";
const SITE: &str = "https://app.example.com";

/// One preflight and what must come back.
struct Preflight {
    what: &'static str,
    origin: &'static str,
    method: &'static str,
    request_headers: &'static str,
    outcome: Outcome,
}

enum Outcome {
    /// 200 with the origin echoed, credentials, the method and headers listed, max-age 600.
    Allowed,
    /// The origin is refused: 400, no CORS header at all, a body containing these words.
    Refused(&'static [&'static str]),
    /// The origin is allowed but the method or a header is not: 200 with the origin
    /// echoed and the allowed lists, which lack the first word, no max-age, and a body
    /// containing every word. Chromium then names the method or header itself.
    NotListed(&'static [&'static str]),
}

use Outcome::{Allowed, NotListed, Refused};

const DEVELOPMENT_PREFLIGHTS: &[Preflight] = &[
    Preflight {
        what: "the lab's JSON POST",
        origin: LAB,
        method: "POST",
        request_headers: "content-type",
        outcome: Allowed,
    },
    Preflight {
        what: "the lab opened by IP",
        origin: LAB_BY_IP,
        method: "PUT",
        request_headers: "",
        outcome: Allowed,
    },
    Preflight {
        what: "a dev server on :3000",
        origin: DEV_SERVER,
        method: "DELETE",
        request_headers: "",
        outcome: Allowed,
    },
    Preflight {
        what: "the custom X-Request-Id header",
        origin: LAB,
        method: "GET",
        request_headers: "x-request-id",
        outcome: Allowed,
    },
    Preflight {
        what: "Authorization, listed by name",
        origin: LAB,
        method: "GET",
        request_headers: "authorization",
        outcome: Allowed,
    },
    Preflight {
        what: "the four safelisted headers, never listed in config",
        origin: LAB,
        method: "POST",
        request_headers: "accept,accept-language,content-language,content-type",
        outcome: Allowed,
    },
    Preflight {
        what: "an unlisted origin",
        origin: "http://evil.example",
        method: "POST",
        request_headers: "",
        outcome: Refused(&["http://evil.example", "allow_origins"]),
    },
    Preflight {
        what: "the lab's host on another port",
        origin: "http://localhost:5174",
        method: "GET",
        request_headers: "",
        outcome: Refused(&["http://localhost:5174", "allow_origins"]),
    },
    Preflight {
        what: "127.0.0.1 where only localhost is listed",
        origin: "http://127.0.0.1:3000",
        method: "GET",
        request_headers: "",
        outcome: Refused(&["http://127.0.0.1:3000"]),
    },
    Preflight {
        what: "an origin in upper case",
        origin: "HTTP://LOCALHOST:5173",
        method: "GET",
        request_headers: "",
        outcome: Refused(&["HTTP://LOCALHOST:5173"]),
    },
    Preflight {
        what: "a method not in allow_methods",
        origin: LAB,
        method: "PATCH",
        request_headers: "",
        outcome: NotListed(&["PATCH", "allow_methods"]),
    },
    Preflight {
        what: "a method in the wrong case",
        origin: LAB,
        method: "put",
        request_headers: "",
        outcome: NotListed(&["put", "allow_methods"]),
    },
    Preflight {
        what: "a header not in allow_headers",
        origin: LAB,
        method: "GET",
        request_headers: "x-debug",
        outcome: NotListed(&["x-debug", "allow_headers"]),
    },
    Preflight {
        what: "one bad header among good ones",
        origin: LAB,
        method: "POST",
        request_headers: "content-type,x-debug,x-request-id",
        outcome: NotListed(&["x-debug"]),
    },
    Preflight {
        what: "an empty name in the header list",
        origin: LAB,
        method: "GET",
        request_headers: "x-request-id,",
        outcome: Refused(&["malformed"]),
    },
];

const PRODUCTION_PREFLIGHTS: &[Preflight] = &[
    Preflight {
        what: "the production site",
        origin: SITE,
        method: "POST",
        request_headers: "content-type",
        outcome: Allowed,
    },
    Preflight {
        what: "the lab on localhost",
        origin: LAB,
        method: "POST",
        request_headers: "content-type",
        outcome: Refused(&["http://localhost:5173", "allow_origins"]),
    },
    Preflight {
        what: "the lab by IP",
        origin: LAB_BY_IP,
        method: "GET",
        request_headers: "x-request-id",
        outcome: Refused(&["http://127.0.0.1:5173"]),
    },
    Preflight {
        what: "the site over plain HTTP",
        origin: "http://app.example.com",
        method: "GET",
        request_headers: "",
        outcome: Refused(&["http://app.example.com"]),
    },
];

async fn check_preflights(app: &TestApp, env: &str, table: &[Preflight]) {
    for case in table {
        let what = format!("{env}, {}", case.what);
        let res = app
            .preflight("/api/items", case.origin, case.method, case.request_headers)
            .await;
        let status = res.status().as_u16();
        match case.outcome {
            Allowed => {
                assert_eq!(status, 200, "{what}: status");
                assert_eq!(
                    header(&res, "access-control-allow-origin"),
                    Some(case.origin),
                    "{what}: ACAO echoes the origin, never *"
                );
                assert_eq!(
                    header(&res, "access-control-allow-credentials"),
                    Some("true"),
                    "{what}: credentials"
                );
                assert_eq!(
                    header(&res, "access-control-max-age"),
                    Some("600"),
                    "{what}: max-age"
                );
                assert!(
                    header_set(&res, "access-control-allow-methods")
                        .contains(&case.method.to_lowercase()),
                    "{what}: ACAM lists the method"
                );
                let allowed_headers = header_set(&res, "access-control-allow-headers");
                for name in case.request_headers.split(',').filter(|n| !n.is_empty()) {
                    assert!(
                        allowed_headers.contains(&name.to_string()),
                        "{what}: ACAH should list {name}, got {allowed_headers:?}"
                    );
                }
                assert!(
                    header_set(&res, "vary").contains(&"origin".to_string()),
                    "{what}: Vary: Origin"
                );
            }
            Refused(words) => {
                assert_eq!(status, 400, "{what}: status");
                assert_eq!(
                    cors_header_names(&res),
                    Vec::<String>::new(),
                    "{what}: no CORS header on a refused origin"
                );
                let body: ApiError = res.json().await.expect("an ApiError body");
                for word in words {
                    assert!(
                        body.message.contains(word),
                        "{what}: the body should name {word:?}: {body:?}"
                    );
                }
            }
            NotListed(words) => {
                assert_eq!(status, 200, "{what}: status");
                assert_eq!(
                    header(&res, "access-control-allow-origin"),
                    Some(case.origin),
                    "{what}: the allowed origin is echoed"
                );
                assert_eq!(
                    header(&res, "access-control-max-age"),
                    None,
                    "{what}: nothing to cache"
                );
                // Methods compare case-sensitively, header names do not.
                let listed: Vec<String> = [
                    "access-control-allow-methods",
                    "access-control-allow-headers",
                ]
                .iter()
                .filter_map(|name| header(&res, name))
                .flat_map(|value| value.split(',').map(|item| item.trim().to_string()))
                .collect();
                assert!(
                    !listed.contains(&words[0].to_string()),
                    "{what}: {} must not be listed: {listed:?}",
                    words[0]
                );
                let body: ApiError = res.json().await.expect("an ApiError body");
                for word in words {
                    assert!(
                        body.message.contains(word),
                        "{what}: the body should name {word:?}: {body:?}"
                    );
                }
            }
        }
    }
}

/// The names of the `Access-Control-*` headers of a response.
fn cors_header_names(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .keys()
        .map(|name| name.as_str().to_string())
        .filter(|name| is_cors_response_header(name))
        .collect()
}

#[tokio::test]
async fn development_preflights_are_answered_as_the_policy_says() {
    let app = spawn_app("development", &[]).await;
    check_preflights(&app, "development", DEVELOPMENT_PREFLIGHTS).await;
}

#[tokio::test]
async fn production_preflights_are_answered_as_the_policy_says() {
    let app = spawn_app("production", &[]).await;
    check_preflights(&app, "production", PRODUCTION_PREFLIGHTS).await;
}

#[tokio::test]
async fn an_allowed_simple_get_gets_the_origin_back_and_vary_origin() {
    for (env, origin) in [
        ("development", LAB),
        ("development", LAB_BY_IP),
        ("production", SITE),
    ] {
        let app = spawn_app(env, &[]).await;
        let res = app.get_from("/api/items", origin).await;
        assert_eq!(res.status(), 200, "{env} {origin}");
        assert_eq!(
            header(&res, "access-control-allow-origin"),
            Some(origin),
            "{env} {origin}: ACAO"
        );
        assert_eq!(
            header(&res, "access-control-allow-credentials"),
            Some("true"),
            "{env} {origin}: ACAC"
        );
        assert!(
            header_set(&res, "vary").contains(&"origin".into()),
            "{env} {origin}: Vary: Origin"
        );
    }
}

#[tokio::test]
async fn a_refused_origin_is_served_but_without_acao_so_the_browser_hides_it() {
    for (env, origin) in [("development", "http://evil.example"), ("production", LAB)] {
        let app = spawn_app(env, &[]).await;
        let res = app.get_from("/api/items", origin).await;
        assert_eq!(
            res.status(),
            200,
            "{env} {origin}: the server still answers"
        );
        assert_eq!(
            cors_header_names(&res),
            Vec::<String>::new(),
            "{env} {origin}: no CORS header at all, not even credentials or exposed names"
        );
    }
}

#[tokio::test]
async fn a_request_without_origin_gets_no_cors_headers() {
    let app = spawn_app("development", &[]).await;
    // (what, method, path, extra headers, status): successes and errors alike.
    let cases = [
        ("the items", "GET", "/api/items", vec![], 200),
        ("the health check", "GET", "/healthz", vec![], 200),
        ("an error from a route", "GET", "/api/whoami", vec![], 401),
        (
            "an error from a layer",
            "GET",
            "/api/protected",
            vec![("Authorization", "Bearer wrong")],
            401,
        ),
        ("no route", "GET", "/api/nothing", vec![], 404),
    ];
    for (what, method, path, headers, status) in cases {
        let res = app.send(method, path, &headers).await;
        assert_eq!(res.status().as_u16(), status, "{what}: status");
        assert_eq!(
            cors_header_names(&res),
            Vec::<String>::new(),
            "{what}: a request without Origin is not a CORS request"
        );
    }
}

#[tokio::test]
async fn options_without_a_requested_method_is_not_a_preflight() {
    let app = spawn_app("development", &[]).await;
    let res = app.send("OPTIONS", "/api/items", &[("Origin", LAB)]).await;
    assert_eq!(
        res.status().as_u16(),
        404,
        "it reaches the routes, which have no OPTIONS handler"
    );
    assert_eq!(
        header(&res, "access-control-allow-methods"),
        None,
        "no preflight answer"
    );
}

#[tokio::test]
async fn only_the_listed_response_header_is_exposed() {
    let app = spawn_app("development", &[]).await;
    let res = app.get_from("/api/items", LAB).await;
    let exposed = header_set(&res, "access-control-expose-headers");
    assert_eq!(
        exposed,
        set_of(&["x-total-count"]),
        "X-Total-Count is exposed, X-Served-By is not"
    );
    assert!(
        header(&res, "x-served-by").is_some(),
        "X-Served-By is sent, just not readable by the page"
    );
}

#[tokio::test]
async fn the_protected_route_passes_its_preflight_and_its_401_is_readable() {
    let app = spawn_app("development", &[]).await;
    let preflight = app
        .preflight("/api/protected", LAB, "GET", "authorization")
        .await;
    assert_eq!(
        preflight.status(),
        200,
        "the preflight is answered before auth runs"
    );

    let res = app
        .send(
            "GET",
            "/api/protected",
            &[("Origin", LAB), ("Authorization", "Bearer wrong")],
        )
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(
        header(&res, "access-control-allow-origin"),
        Some(LAB),
        "the 401 carries ACAO"
    );

    let res = app
        .send(
            "GET",
            "/api/protected",
            &[("Origin", LAB), ("Authorization", "Bearer demo")],
        )
        .await;
    assert_eq!(res.status(), 200, "the right token passes");
}

#[tokio::test]
async fn an_oversized_request_headers_list_is_refused_before_cors_parses_it() {
    let app = spawn_app("development", &[]).await;
    let names = vec!["x-request-id"; 100].join(",");
    let res = app.preflight("/api/items", LAB, "GET", &names).await;
    assert_eq!(res.status(), 400);
    let body: ApiError = res.json().await.unwrap();
    assert!(body.message.contains("limit is 1024"), "{body:?}");
}

#[tokio::test]
async fn the_origin_regex_must_match_the_whole_origin() {
    let app = spawn_app(
        "development",
        &[(
            "APP__CORS__ALLOW_ORIGIN_REGEX",
            r"https://[a-z0-9-]+\.example\.com",
        )],
    )
    .await;
    let cases = [
        ("https://docs.example.com", true, "a subdomain"),
        (
            "https://docs.example.com.evil.test",
            false,
            "a longer domain that starts alike",
        ),
        ("https://evilexample.com", false, "a domain that ends alike"),
        ("http://docs.example.com", false, "plain http"),
        (LAB, true, "the listed origins still count"),
    ];
    for (origin, allowed, what) in cases {
        let res = app.preflight("/api/items", origin, "GET", "").await;
        let expected = if allowed { 200 } else { 400 };
        assert_eq!(res.status().as_u16(), expected, "{what}: {origin}");
        let acao = header(&res, "access-control-allow-origin");
        assert_eq!(acao, allowed.then_some(origin), "{what}: ACAO for {origin}");
    }
}

#[tokio::test]
async fn a_header_wildcard_never_covers_authorization() {
    let app = spawn_app("development", &[("APP__CORS__ALLOW_HEADERS", "*")]).await;
    let res = app
        .preflight("/api/items", LAB, "GET", "x-anything,x-else")
        .await;
    assert_eq!(res.status(), 200, "any other header is allowed");
    assert_eq!(
        header_set(&res, "access-control-allow-headers"),
        set_of(&["x-anything", "x-else"])
    );

    let res = app
        .preflight("/api/items", LAB, "GET", "authorization,x-anything")
        .await;
    assert_eq!(
        res.status(),
        200,
        "answered with the lists, so Chromium names it"
    );
    assert_eq!(
        header_set(&res, "access-control-allow-headers"),
        set_of(&["x-anything"]),
        "Authorization must be listed by name: it is not echoed"
    );
    let body: ApiError = res.json().await.unwrap();
    assert!(body.message.contains("authorization"), "{body:?}");

    let app = spawn_app(
        "development",
        &[("APP__CORS__ALLOW_HEADERS", "*,Authorization")],
    )
    .await;
    let res = app
        .preflight("/api/items", LAB, "GET", "authorization,x-anything")
        .await;
    assert_eq!(res.status(), 200, "listed by name, Authorization passes");
}
