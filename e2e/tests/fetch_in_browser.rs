//! CORS as a real browser enforces it, in every engine: `fetch()` calls made from a
//! page on one origin to the backend on another, under the shipped development and
//! production policies.
//!
//! Each call is tagged with a `lab_run` query parameter, so that the server's side
//! (the preflight a page never sees) can be read back from the exchange recorder.

use std::sync::atomic::{AtomicU64, Ordering};

use e2e::{
    exclusive, in_every_engine, recorded_exchanges, start_backend, start_lab, with_engine, Engine,
    Session, API, INSTRUMENTS_ON, LAB_PORT,
};
use fantoccini::Client;
use lab_types::{Exchange, Rejection};
use serde_json::{json, Value};

/// What the page saw of one `fetch()`.
#[derive(Debug)]
enum Seen {
    /// The response was readable: its status, body and the headers asked for.
    Response {
        status: u16,
        body: String,
        headers: Value,
    },
    /// The browser withheld it: the engine's `TypeError`, e.g. `TypeError: Failed
    /// to fetch` in Chromium.
    Blocked(String),
}

/// Runs `fetch(API + path, init)` in the page and reports what the page saw, reading
/// `read_headers` from the response.
async fn fetch(client: &Client, path: &str, init: Value, read_headers: &[&str]) -> Seen {
    let script = r#"
        const [url, init, names, done] = arguments;
        fetch(url, init).then(
            async (response) => {
                const headers = {};
                for (const name of names) headers[name] = response.headers.get(name);
                done({ status: response.status, body: await response.text(), headers });
            },
            (error) => done({ error: String(error) }),
        );
    "#;
    let args = vec![json!(format!("{API}{path}")), init, json!(read_headers)];
    let seen = client
        .execute_async(script, args)
        .await
        .expect("the script runs");
    match seen.get("error") {
        Some(error) => Seen::Blocked(error.as_str().unwrap_or_default().into()),
        None => Seen::Response {
            status: seen["status"].as_u64().unwrap() as u16,
            body: seen["body"].as_str().unwrap_or_default().into(),
            headers: seen["headers"].clone(),
        },
    }
}

/// The exchanges the server recorded for the run tagged `tag`.
async fn server_side(tag: &str) -> Vec<Exchange> {
    recorded_exchanges()
        .await
        .into_iter()
        .filter(|exchange| {
            exchange.path.contains(&format!("lab_run={tag}&"))
                || exchange.path.ends_with(&format!("lab_run={tag}"))
        })
        .collect()
}

fn tagged(path: &str) -> (String, String) {
    static RUN: AtomicU64 = AtomicU64::new(1);
    let tag = format!("e2e{}", RUN.fetch_add(1, Ordering::Relaxed));
    let separator = if path.contains('?') { '&' } else { '?' };
    (format!("{path}{separator}lab_run={tag}"), tag)
}

/// What a scenario must do in the browser.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// The page reads a response with this status.
    Readable(u16),
    /// The browser blocks it.
    Blocked,
}

struct Scenario {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: Option<&'static str>,
    /// Whether the browser must ask first.
    preflight: bool,
    development: Expect,
}

use Expect::{Blocked, Readable};

/// The lab's scenarios, as plain `fetch()` calls.
const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "simple GET",
        method: "GET",
        path: "/api/items",
        headers: &[],
        body: None,
        preflight: false,
        development: Readable(200),
    },
    Scenario {
        name: "POST with a JSON body",
        method: "POST",
        path: "/api/items",
        headers: &[("Content-Type", "application/json")],
        body: Some(r#"{"name":"from the browser"}"#),
        preflight: true,
        development: Readable(201),
    },
    Scenario {
        name: "PUT",
        method: "PUT",
        path: "/api/items/1",
        headers: &[("Content-Type", "application/json")],
        body: Some(r#"{"name":"renamed"}"#),
        preflight: true,
        development: Readable(200),
    },
    // The item the POST above created: against the containers, one backend serves
    // the three engines' runs in turn, so a fixed id would be gone after the first.
    Scenario {
        name: "DELETE",
        method: "DELETE",
        path: "/api/items/{created}",
        headers: &[],
        body: None,
        preflight: true,
        development: Readable(204),
    },
    Scenario {
        name: "custom X-Request-Id header",
        method: "GET",
        path: "/api/trace",
        headers: &[("X-Request-Id", "e2e-1")],
        body: None,
        preflight: true,
        development: Readable(200),
    },
    Scenario {
        name: "protected route, wrong token",
        method: "GET",
        path: "/api/protected",
        headers: &[("Authorization", "Bearer wrong")],
        body: None,
        preflight: true,
        development: Readable(401),
    },
    Scenario {
        name: "a method the policy does not allow (PATCH)",
        method: "PATCH",
        path: "/api/items/1",
        headers: &[("Content-Type", "application/json")],
        body: Some(r#"{"done":true}"#),
        preflight: true,
        development: Blocked,
    },
    Scenario {
        name: "a header the policy does not allow (X-Debug)",
        method: "GET",
        path: "/api/items",
        headers: &[("X-Debug", "1")],
        body: None,
        preflight: true,
        development: Blocked,
    },
];

fn init(scenario: &Scenario) -> Value {
    let headers: serde_json::Map<String, Value> = scenario
        .headers
        .iter()
        .map(|(n, v)| (n.to_string(), json!(v)))
        .collect();
    let mut init = json!({ "method": scenario.method, "headers": headers });
    if let Some(body) = scenario.body {
        init["body"] = json!(body);
    }
    init
}

/// Runs every scenario from a page at `page_origin` in `engine` and checks it
/// against `expect`.
async fn check_scenarios(
    engine: Engine,
    client: &Client,
    page_origin: &str,
    env: &str,
    expect: impl Fn(&Scenario) -> Expect,
) {
    client.goto(page_origin).await.expect("the lab loads");
    // The id of the item the POST created; when the POST is refused, so is every
    // call that would use it, and any id will do.
    let mut created = String::from("2");
    for scenario in SCENARIOS {
        let (path, tag) = tagged(&scenario.path.replace("{created}", &created));
        let seen = fetch(client, &path, init(scenario), &[]).await;
        if let Seen::Response {
            status: 201, body, ..
        } = &seen
        {
            let item: Value =
                serde_json::from_str(body).expect("the POST answers the item it made");
            created = item["id"].to_string();
        }
        let exchanges = server_side(&tag).await;
        let context = format!(
            "{engine}, ENV={env}, page {page_origin}, scenario \"{}\": the page saw {seen:?}; the server saw {:#?}",
            scenario.name,
            exchanges.iter().map(|e| (&e.method, e.status, &e.rejection)).collect::<Vec<_>>()
        );
        let expected = expect(scenario);
        match (&seen, expected) {
            (Seen::Response { status, .. }, Readable(wanted)) => {
                assert_eq!(*status, wanted, "{context}")
            }
            (Seen::Blocked(error), Blocked) => assert_eq!(
                *error,
                engine.fetch_error_text(),
                "a blocked call is the engine's opaque TypeError; {context}"
            ),
            _ => {
                let refused_origin = exchanges.iter().find_map(|e| match &e.rejection {
                    Some(Rejection::Origin { origin }) => Some(origin.clone()),
                    _ => None,
                });
                match refused_origin {
                    Some(origin) => panic!("expected {expected:?}, but the origin {origin} is not allowed by the {env} policy (allow_origins); {context}"),
                    None => panic!("expected {expected:?}; {context}"),
                }
            }
        }

        let preflights: Vec<&Exchange> = exchanges.iter().filter(|e| e.preflight).collect();
        let wanted_preflights = usize::from(scenario.preflight);
        assert_eq!(
            preflights.len(),
            wanted_preflights,
            "number of preflights; {context}"
        );
        if let Some(preflight) = preflights.first() {
            let asked = preflight
                .request_headers
                .iter()
                .find(|(n, _)| n == "access-control-request-method");
            assert_eq!(
                asked.map(|(_, v)| v.as_str()),
                Some(scenario.method),
                "the preflight asks for the method; {context}"
            );
            let answered_origin = preflight
                .response_headers
                .iter()
                .find(|(n, _)| n == "access-control-allow-origin");
            // A refused origin gets no ACAO; an allowed origin gets it back even when
            // its method or a header is refused, so that the browser names those.
            let origin_refused = matches!(preflight.rejection, Some(Rejection::Origin { .. }));
            assert_eq!(
                answered_origin.is_some(),
                !origin_refused,
                "the preflight's Access-Control-Allow-Origin; {context}"
            );
            if expected == Blocked && !origin_refused {
                assert!(
                    matches!(
                        preflight.rejection,
                        Some(Rejection::Method { .. } | Rejection::Headers { .. })
                    ),
                    "an allowed origin's preflight is refused for its method or a header; {context}"
                );
            }
        }
        let actual = exchanges.iter().find(|e| !e.preflight);
        match (expected, scenario.preflight) {
            (Blocked, true) => assert!(
                actual.is_none(),
                "a refused preflight means the request is never sent; {context}"
            ),
            (Blocked, false) => {
                let actual = actual
                    .unwrap_or_else(|| panic!("a simple request is sent, then hidden; {context}"));
                assert!(
                    actual.rejection.is_some(),
                    "the server served it without ACAO; {context}"
                );
            }
            (Readable(_), _) => {
                let actual =
                    actual.unwrap_or_else(|| panic!("no actual request recorded; {context}"));
                assert_eq!(actual.method, scenario.method, "{context}");
            }
        }
    }
}

async fn development_allows_the_lab_at_localhost_and_refuses_what_the_policy_leaves_out_in(
    engine: Engine,
) {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = session.client.clone();
        check_scenarios(
            engine,
            &client,
            "http://localhost:5173",
            "development",
            |s| s.development,
        )
        .await;
    })
    .await;
}

in_every_engine!(
    development_allows_the_lab_at_localhost_and_refuses_what_the_policy_leaves_out,
    super::development_allows_the_lab_at_localhost_and_refuses_what_the_policy_leaves_out_in
);

async fn localhost_and_127_0_0_1_are_different_origins_and_only_listed_ones_pass_in(
    engine: Engine,
) {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    let unlisted_port = 5180;
    let _other = start_lab(unlisted_port);
    with_engine(engine, move |session: Session| async move {
        let client = session.client.clone();
        check_scenarios(
            engine,
            &client,
            "http://127.0.0.1:5173",
            "development",
            |s| s.development,
        )
        .await;
        let unlisted = format!("http://localhost:{unlisted_port}");
        check_scenarios(engine, &client, &unlisted, "development", |_| Blocked).await;
    })
    .await;
}

in_every_engine!(
    localhost_and_127_0_0_1_are_different_origins_and_only_listed_ones_pass,
    super::localhost_and_127_0_0_1_are_different_origins_and_only_listed_ones_pass_in
);

async fn production_refuses_the_lab_in(engine: Engine) {
    let _ports = exclusive().await;
    let _backend = start_backend("production", &[INSTRUMENTS_ON], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = session.client.clone();
        check_scenarios(
            engine,
            &client,
            "http://localhost:5173",
            "production",
            |_| Blocked,
        )
        .await;
    })
    .await;
}

in_every_engine!(
    production_refuses_the_lab,
    super::production_refuses_the_lab_in
);

async fn the_cookie_goes_along_with_credentials_include_and_not_without_in(engine: Engine) {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = session.client.clone();
        client.goto("http://localhost:5173").await.unwrap();
        let include = json!({ "method": "POST", "credentials": "include" });
        let login = fetch(&client, "/api/login", include, &[]).await;
        assert!(
            matches!(login, Seen::Response { status: 200, .. }),
            "login: {login:?}"
        );

        let cases = [
            ("include", true, 200, r#"{"user":"demo"}"#),
            ("same-origin", false, 401, "not_logged_in"),
            ("omit", false, 401, "not_logged_in"),
        ];
        for (mode, cookie_sent, wanted_status, wanted_body) in cases {
            let (path, tag) = tagged("/api/whoami");
            let seen = fetch(&client, &path, json!({ "credentials": mode }), &[]).await;
            let Seen::Response { status, body, .. } = &seen else {
                panic!("credentials: {mode}: blocked: {seen:?}");
            };
            assert_eq!(*status, wanted_status, "credentials: {mode}: {body}");
            assert!(body.contains(wanted_body), "credentials: {mode}: {body}");
            let exchanges = server_side(&tag).await;
            assert_eq!(
                exchanges.len(),
                1,
                "credentials: {mode}: a simple GET, no preflight: {exchanges:#?}"
            );
            assert_eq!(
                exchanges[0].had_cookie, cookie_sent,
                "credentials: {mode}: was the cookie sent?"
            );
        }
    })
    .await;
}

in_every_engine!(
    the_cookie_goes_along_with_credentials_include_and_not_without,
    super::the_cookie_goes_along_with_credentials_include_and_not_without_in
);

async fn only_the_exposed_response_header_is_readable_by_the_page_in(engine: Engine) {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = session.client.clone();
        client.goto("http://localhost:5173").await.unwrap();
        let seen = fetch(
            &client,
            "/api/items",
            json!({}),
            &["x-total-count", "x-served-by"],
        )
        .await;
        let Seen::Response { headers, .. } = seen else {
            panic!("blocked: {seen:?}")
        };
        assert!(
            headers["x-total-count"].is_string(),
            "X-Total-Count is in expose_headers: {headers}"
        );
        assert!(
            headers["x-served-by"].is_null(),
            "X-Served-By is not, so the page reads null: {headers}"
        );
    })
    .await;
}

in_every_engine!(
    only_the_exposed_response_header_is_readable_by_the_page,
    super::only_the_exposed_response_header_is_readable_by_the_page_in
);

async fn a_repeated_preflighted_request_is_preflighted_once_within_max_age_in(engine: Engine) {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = session.client.clone();
        client.goto("http://localhost:5173").await.unwrap();
        // The preflight cache is keyed by URL: the same tag for every call.
        let (path, tag) = tagged("/api/trace");
        for round in 1..=3 {
            let seen = fetch(
                &client,
                &path,
                json!({ "headers": { "X-Request-Id": format!("r{round}") } }),
                &[],
            )
            .await;
            assert!(
                matches!(seen, Seen::Response { status: 200, .. }),
                "round {round}: {seen:?}"
            );
        }
        let exchanges = server_side(&tag).await;
        let preflights = exchanges.iter().filter(|e| e.preflight).count();
        assert_eq!(
            preflights, 1,
            "{engine}: Access-Control-Max-Age: 600, within every engine's cap \
             (Engine::max_age_cap), lets the browser reuse the answer: {exchanges:#?}"
        );
        assert_eq!(exchanges.len(), 4, "one preflight and three requests");
    })
    .await;
}

in_every_engine!(
    a_repeated_preflighted_request_is_preflighted_once_within_max_age,
    super::a_repeated_preflighted_request_is_preflighted_once_within_max_age_in
);

#[tokio::test]
async fn a_backend_with_a_broken_config_exits_with_a_message_instead_of_serving() {
    let _ports = exclusive().await;
    let backend = start_backend(
        "development",
        &[
            ("APP__CORS__ALLOW_ORIGINS", "*"),
            ("APP__CORS__ALLOW_CREDENTIALS", "true"),
        ],
        true,
    );
    let (code, output) = backend.wait_for_exit(std::time::Duration::from_secs(20));
    assert_eq!(code, Some(1), "exit code; output:\n{output}");
    assert!(
        output.contains("cors.allow_origins")
            && output.contains("environment variable APP__CORS__ALLOW_ORIGINS"),
        "the message names the key and the variable:\n{output}"
    );
}

/// A bearer token is a request header, not a credential: under `*` the page reads
/// the answer, even where the API's own policy refuses the page (production). Only
/// `credentials: "include"` meets the wildcard rule, and fails at the preflight.
async fn a_bearer_token_works_with_the_wildcard_and_credentials_do_not_in(engine: Engine) {
    let _ports = exclusive().await;
    let _backend = start_backend("production", &[INSTRUMENTS_ON], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = session.client.clone();
        client.goto("http://localhost:5173").await.unwrap();
        let bearer = format!("Bearer {}", lab_types::public::DEMO_TOKEN);
        // (credentials mode, readable status or blocked, actual requests the server saw)
        let cases = [("same-origin", Readable(200), 1), ("include", Blocked, 0)];
        for (mode, expected, actual) in cases {
            let (path, tag) = tagged(lab_types::public::BEARER_PATH);
            let init = json!({ "headers": { "Authorization": bearer }, "credentials": mode });
            let seen = fetch(&client, &path, init, &[]).await;
            let got = match &seen {
                Seen::Response { status, .. } => Readable(*status),
                Seen::Blocked(_) => Blocked,
            };
            assert_eq!(
                got, expected,
                "{engine}, credentials: {mode}: the page saw {seen:?}"
            );
            let exchanges = server_side(&tag).await;
            let preflights: Vec<&Exchange> = exchanges.iter().filter(|e| e.preflight).collect();
            assert_eq!(preflights.len(), 1, "credentials: {mode}: {exchanges:#?}");
            let answered = |name: &str| {
                preflights[0]
                    .response_headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.to_ascii_lowercase())
            };
            assert_eq!(
                answered("access-control-allow-origin").as_deref(),
                Some("*"),
                "credentials: {mode}: the preflight is answered with the wildcard"
            );
            assert!(
                answered("access-control-allow-headers")
                    .is_some_and(|v| v.contains("authorization")),
                "credentials: {mode}: Authorization is allowed by name: {preflights:#?}"
            );
            assert_eq!(
                exchanges.iter().filter(|e| !e.preflight).count(),
                actual,
                "credentials: {mode}: actual requests sent: {exchanges:#?}"
            );
        }
    })
    .await;
}

in_every_engine!(
    a_bearer_token_works_with_the_wildcard_and_credentials_do_not,
    super::a_bearer_token_works_with_the_wildcard_and_credentials_do_not_in
);
