//! Hole 5: login and logout CSRF. CORS only hides answers; a form on any site can
//! still POST here. So the state-changing routes check who sent the request.

use lab_types::{ApiError, ErrorCode};

use crate::common::{header, spawn_app, TestApp};

const LAB: &str = "http://localhost:5173";
const SITE: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example";
const FORM: &str = "application/x-www-form-urlencoded";

/// The `Origin` a case sends.
#[derive(Debug, Clone, Copy)]
enum Origin {
    None,
    /// The API's own origin: `http://` and the `Host` the request is sent to.
    Own,
    Is(&'static str),
}

/// One request and what must come back.
struct Case {
    what: &'static str,
    env: &'static str,
    method: &'static str,
    path: &'static str,
    origin: Origin,
    sec_fetch_site: Option<&'static str>,
    content_type: Option<&'static str>,
    outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Served: this status, with `Set-Cookie` or without.
    Served { status: u16, sets_cookie: bool },
    /// `403 cross_site_request`, no `Set-Cookie`, a message containing this.
    Refused(&'static str),
}

use Outcome::{Refused, Served};

/// Login and logout both answer 200 with a `Set-Cookie`.
const SESSION_CHANGED: Outcome = Served {
    status: 200,
    sets_cookie: true,
};

const CASES: &[Case] = &[
    Case {
        what: "an evil site's form logs the user in",
        env: "development",
        method: "POST",
        path: "/api/login",
        origin: Origin::Is(EVIL),
        sec_fetch_site: Some("cross-site"),
        content_type: Some(FORM),
        outcome: Refused(EVIL),
    },
    Case {
        what: "an evil site's form logs the user out",
        env: "development",
        method: "POST",
        path: "/api/logout",
        origin: Origin::Is(EVIL),
        sec_fetch_site: Some("cross-site"),
        content_type: Some(FORM),
        outcome: Refused(EVIL),
    },
    Case {
        what: "production: an evil site's form logs the user in",
        env: "production",
        method: "POST",
        path: "/api/login",
        origin: Origin::Is(EVIL),
        sec_fetch_site: None,
        content_type: Some(FORM),
        outcome: Refused(EVIL),
    },
    Case {
        what: "production: an evil site's form logs the user out",
        env: "production",
        method: "POST",
        path: "/api/logout",
        origin: Origin::Is(EVIL),
        sec_fetch_site: None,
        content_type: Some("text/plain"),
        outcome: Refused(EVIL),
    },
    Case {
        what: "the lab logs in",
        env: "development",
        method: "POST",
        path: "/api/login",
        origin: Origin::Is(LAB),
        sec_fetch_site: Some("same-site"),
        content_type: None,
        outcome: SESSION_CHANGED,
    },
    Case {
        what: "the lab, by IP: another site, listed in the policy",
        env: "development",
        method: "POST",
        path: "/api/login",
        origin: Origin::Is("http://127.0.0.1:5173"),
        sec_fetch_site: Some("cross-site"),
        content_type: None,
        outcome: SESSION_CHANGED,
    },
    Case {
        what: "production: the real site logs in",
        env: "production",
        method: "POST",
        path: "/api/login",
        origin: Origin::Is(SITE),
        sec_fetch_site: Some("same-site"),
        content_type: None,
        outcome: SESSION_CHANGED,
    },
    Case {
        what: "production: the lab, which production does not list",
        env: "production",
        method: "POST",
        path: "/api/login",
        origin: Origin::Is(LAB),
        sec_fetch_site: Some("same-site"),
        content_type: None,
        outcome: Refused(LAB),
    },
    Case {
        what: "the attacker page on the lab's host, another port",
        env: "development",
        method: "POST",
        path: "/api/login",
        origin: Origin::Is("http://localhost:5174"),
        sec_fetch_site: Some("same-site"),
        content_type: Some(FORM),
        outcome: Refused("http://localhost:5174"),
    },
    Case {
        what: "Origin: null (a sandboxed frame, a no-referrer form)",
        env: "development",
        method: "POST",
        path: "/api/login",
        origin: Origin::Is("null"),
        sec_fetch_site: Some("cross-site"),
        content_type: Some(FORM),
        outcome: Refused("null"),
    },
    Case {
        what: "Origin: null, with no Sec-Fetch-Site to tell",
        env: "development",
        method: "POST",
        path: "/api/logout",
        origin: Origin::Is("null"),
        sec_fetch_site: None,
        content_type: None,
        outcome: Refused("null"),
    },
    Case {
        what: "curl: no Origin, no Sec-Fetch-Site",
        env: "development",
        method: "POST",
        path: "/api/login",
        origin: Origin::None,
        sec_fetch_site: None,
        content_type: None,
        outcome: SESSION_CHANGED,
    },
    Case {
        what: "production: curl",
        env: "production",
        method: "POST",
        path: "/api/logout",
        origin: Origin::None,
        sec_fetch_site: None,
        content_type: None,
        outcome: SESSION_CHANGED,
    },
    Case {
        what: "a cross-site request without Origin",
        env: "development",
        method: "POST",
        path: "/api/login",
        origin: Origin::None,
        sec_fetch_site: Some("cross-site"),
        content_type: Some(FORM),
        outcome: Refused("Sec-Fetch-Site: cross-site"),
    },
    Case {
        what: "a same-site request without Origin",
        env: "development",
        method: "POST",
        path: "/api/logout",
        origin: Origin::None,
        sec_fetch_site: Some("same-site"),
        content_type: None,
        outcome: Refused("Sec-Fetch-Site: same-site"),
    },
    Case {
        what: "a same-origin request without Origin",
        env: "development",
        method: "POST",
        path: "/api/login",
        origin: Origin::None,
        sec_fetch_site: Some("same-origin"),
        content_type: None,
        outcome: SESSION_CHANGED,
    },
    Case {
        what: "a request the user typed (Sec-Fetch-Site: none)",
        env: "development",
        method: "POST",
        path: "/api/login",
        origin: Origin::None,
        sec_fetch_site: Some("none"),
        content_type: None,
        outcome: SESSION_CHANGED,
    },
    Case {
        what: "a Sec-Fetch-Site no browser sends",
        env: "development",
        method: "POST",
        path: "/api/login",
        origin: Origin::None,
        sec_fetch_site: Some("elsewhere"),
        content_type: None,
        outcome: Refused("elsewhere"),
    },
    Case {
        what: "the API's own origin",
        env: "development",
        method: "POST",
        path: "/api/login",
        origin: Origin::Own,
        sec_fetch_site: Some("same-origin"),
        content_type: None,
        outcome: SESSION_CHANGED,
    },
    Case {
        what: "production: the API's own origin, which the policy does not list",
        env: "production",
        method: "POST",
        path: "/api/login",
        origin: Origin::Own,
        sec_fetch_site: Some("same-origin"),
        content_type: None,
        outcome: SESSION_CHANGED,
    },
    Case {
        what: "an evil site deletes an item",
        env: "development",
        method: "DELETE",
        path: "/api/items/1",
        origin: Origin::Is(EVIL),
        sec_fetch_site: Some("cross-site"),
        content_type: None,
        outcome: Refused(EVIL),
    },
    Case {
        what: "an evil site replaces an item",
        env: "development",
        method: "PUT",
        path: "/api/items/2",
        origin: Origin::Is(EVIL),
        sec_fetch_site: None,
        content_type: Some("application/json"),
        outcome: Refused(EVIL),
    },
    Case {
        what: "an evil site patches an item",
        env: "development",
        method: "PATCH",
        path: "/api/items/2",
        origin: Origin::Is(EVIL),
        sec_fetch_site: None,
        content_type: Some("application/json"),
        outcome: Refused(EVIL),
    },
    Case {
        what: "an evil site posts an item as text/plain, without a preflight",
        env: "development",
        method: "POST",
        path: "/api/items",
        origin: Origin::Is(EVIL),
        sec_fetch_site: Some("cross-site"),
        content_type: Some("text/plain"),
        outcome: Refused(EVIL),
    },
    Case {
        what: "an evil site may still read: GET is not state-changing",
        env: "development",
        method: "GET",
        path: "/api/whoami",
        origin: Origin::Is(EVIL),
        sec_fetch_site: Some("cross-site"),
        content_type: None,
        outcome: Served {
            status: 401,
            sets_cookie: false,
        },
    },
];

#[tokio::test]
async fn a_state_changing_request_from_a_site_the_policy_does_not_trust_gets_403() {
    let development = spawn_app("development", &[]).await;
    let production = spawn_app("production", &[]).await;
    for case in CASES {
        let app = match case.env {
            "production" => &production,
            _ => &development,
        };
        let res = send(app, case).await;
        let what = format!(
            "{}: {} ({} {}, Origin {:?}, Sec-Fetch-Site {:?})",
            case.env, case.what, case.method, case.path, case.origin, case.sec_fetch_site
        );
        let status = res.status().as_u16();
        let sets_cookie = header(&res, "set-cookie").is_some();
        match case.outcome {
            Served {
                status: wanted,
                sets_cookie: wanted_cookie,
            } => {
                assert_eq!(status, wanted, "{what}: status");
                assert_eq!(sets_cookie, wanted_cookie, "{what}: Set-Cookie");
            }
            Refused(named) => {
                assert_eq!(status, 403, "{what}: status");
                assert!(!sets_cookie, "{what}: no Set-Cookie");
                let error: ApiError = res.json().await.expect("an ApiError body");
                assert_eq!(error.error, ErrorCode::CrossSiteRequest, "{what}");
                assert!(
                    error.message.contains(named),
                    "{what}: the message names {named:?}: {}",
                    error.message
                );
            }
        }
    }
}

#[tokio::test]
async fn a_refused_cross_site_request_is_written_as_cross_site_request_in_json() {
    let app = spawn_app("development", &[]).await;
    let case = &CASES[0];
    let body: serde_json::Value = send(&app, case).await.json().await.unwrap();
    // A browser test of the attacker page's form asserts this very string.
    assert_eq!(body["error"], "cross_site_request", "{body}");
}

#[tokio::test]
async fn the_item_an_evil_site_tried_to_delete_is_still_there() {
    let app = spawn_app("development", &[]).await;
    let delete = CASES
        .iter()
        .find(|c| c.method == "DELETE")
        .expect("a DELETE case");
    assert_eq!(send(&app, delete).await.status(), 403);
    assert_eq!(
        app.send("GET", delete.path, &[]).await.status(),
        200,
        "{} is still there",
        delete.path
    );
}

async fn send(app: &TestApp, case: &Case) -> reqwest::Response {
    let own = app.address.clone();
    let mut headers: Vec<(&str, &str)> = Vec::new();
    match case.origin {
        Origin::None => {}
        Origin::Own => headers.push(("Origin", &own)),
        Origin::Is(origin) => headers.push(("Origin", origin)),
    }
    if let Some(site) = case.sec_fetch_site {
        headers.push(("Sec-Fetch-Site", site));
    }
    if let Some(content_type) = case.content_type {
        headers.push(("Content-Type", content_type));
    }
    app.send(case.method, case.path, &headers).await
}
