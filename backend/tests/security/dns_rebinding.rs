//! Hole 4: DNS rebinding. An attacker's name, pointed at 127.0.0.1 after their page
//! has loaded, makes the browser send that page's requests here as same-origin ones.
//! Only `Host` still says which name they were meant for.

use cors_rules::fetch::headers::is_cors_response_header;
use lab_types::{ApiError, ErrorCode, Exchange};

use super::raw_http::{exchange, exchange_with_body, port_of};
use crate::common::{spawn_app, INSTRUMENTS_ON};

/// One request with a given `Host` line (or none) and what must come back.
struct HostCase {
    what: &'static str,
    env: &'static str,
    /// The whole `Host` header line; `None` sends none.
    host: Option<&'static str>,
    request_line: &'static str,
    outcome: Outcome,
}

enum Outcome {
    /// Answered as usual (200).
    Served,
    /// 421, an `ApiError` whose message contains this text and the setting's name.
    Misdirected(&'static str),
    /// actix-http's own 400, before any layer runs.
    RefusedByActix,
}

use Outcome::{Misdirected, RefusedByActix, Served};

const CASES: &[HostCase] = &[
    HostCase {
        what: "the lab's name for the API",
        env: "development",
        host: Some("localhost:8000"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Served,
    },
    HostCase {
        what: "localhost without a port",
        env: "development",
        host: Some("localhost"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Served,
    },
    HostCase {
        what: "loopback by IPv4",
        env: "development",
        host: Some("127.0.0.1:8000"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Served,
    },
    HostCase {
        what: "loopback by IPv6",
        env: "development",
        host: Some("[::1]:8000"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Served,
    },
    HostCase {
        what: "a host name in upper case",
        env: "development",
        host: Some("LOCALHOST:8000"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Served,
    },
    HostCase {
        what: "the container's health check",
        env: "development",
        host: Some("localhost"),
        request_line: "GET /healthz HTTP/1.0",
        outcome: Served,
    },
    HostCase {
        what: "a rebound name reading the API",
        env: "development",
        host: Some("rebind.attacker.example:8000"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Misdirected("rebind.attacker.example:8000"),
    },
    HostCase {
        what: "a rebound name without a port",
        env: "development",
        host: Some("rebind.attacker.example"),
        request_line: "GET /api/whoami HTTP/1.1",
        outcome: Misdirected("rebind.attacker.example"),
    },
    HostCase {
        what: "a rebound name reading the recorder",
        env: "development",
        host: Some("rebind.attacker.example:8000"),
        request_line: "GET /lab/policy HTTP/1.1",
        outcome: Misdirected("rebind.attacker.example:8000"),
    },
    HostCase {
        what: "a rebound name reaching the exhibits",
        env: "development",
        host: Some("rebind.attacker.example:8000"),
        request_line: "GET /exhibits/reflect-any-origin HTTP/1.1",
        outcome: Misdirected("rebind.attacker.example:8000"),
    },
    HostCase {
        what: "a name that starts like localhost",
        env: "development",
        host: Some("localhost.attacker.example:8000"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Misdirected("localhost.attacker.example:8000"),
    },
    HostCase {
        what: "a name that resolves to 127.0.0.1 elsewhere",
        env: "development",
        host: Some("127.0.0.1.nip.io:8000"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Misdirected("127.0.0.1.nip.io:8000"),
    },
    HostCase {
        what: "no Host header, in HTTP/1.0, which allows that",
        env: "development",
        host: None,
        request_line: "GET /api/items HTTP/1.0",
        outcome: Misdirected("no Host"),
    },
    HostCase {
        what: "no Host header, in HTTP/1.1, which requires it",
        env: "development",
        host: None,
        request_line: "GET /api/items HTTP/1.1",
        outcome: RefusedByActix,
    },
    HostCase {
        what: "an empty Host",
        env: "development",
        host: Some(""),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Misdirected("Host \"\""),
    },
    HostCase {
        what: "a port that is not a number",
        env: "development",
        host: Some("localhost:http"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Misdirected("localhost:http"),
    },
    HostCase {
        what: "two ports",
        env: "development",
        host: Some("localhost:8000:8000"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Misdirected("localhost:8000:8000"),
    },
    HostCase {
        what: "user information before the name",
        env: "development",
        host: Some("attacker@localhost:8000"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Misdirected("attacker@localhost:8000"),
    },
    HostCase {
        what: "an absolute URL naming another host",
        env: "development",
        host: Some("localhost:8000"),
        request_line: "GET http://rebind.attacker.example:8000/api/items HTTP/1.1",
        outcome: Misdirected("rebind.attacker.example:8000"),
    },
    HostCase {
        what: "production's listed name",
        env: "production",
        host: Some("api.example.com"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Served,
    },
    HostCase {
        what: "production's listed name in another case, with a port",
        env: "production",
        host: Some("API.Example.COM:443"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Served,
    },
    HostCase {
        what: "production's front end's name, which is not the API's",
        env: "production",
        host: Some("app.example.com"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Misdirected("app.example.com"),
    },
    HostCase {
        what: "production, a rebound name",
        env: "production",
        host: Some("rebind.attacker.example:8000"),
        request_line: "GET /api/items HTTP/1.1",
        outcome: Misdirected("rebind.attacker.example:8000"),
    },
    HostCase {
        what: "production, loopback for the health check",
        env: "production",
        host: Some("localhost"),
        request_line: "GET /healthz HTTP/1.0",
        outcome: Served,
    },
];

#[tokio::test]
async fn a_foreign_host_gets_421_misdirected_request() {
    let development = spawn_app("development", &[INSTRUMENTS_ON]).await;
    let production = spawn_app("production", &[]).await;
    for case in CASES {
        let app = match case.env {
            "production" => &production,
            _ => &development,
        };
        let mut head = case.request_line.to_string();
        if let Some(host) = case.host {
            head.push_str(&format!("\r\nHost: {host}"));
        }
        let answer = exchange(port_of(&app.address), &head).await;
        let what = format!("{}, {} ({:?})", case.env, case.what, case.host);
        let named = match case.outcome {
            Served => {
                assert_eq!(answer.status, 200, "{what}: served; {answer:?}");
                continue;
            }
            RefusedByActix => {
                assert_eq!(answer.status, 400, "{what}: refused; {answer:?}");
                continue;
            }
            Misdirected(named) => named,
        };
        assert_eq!(answer.status, 421, "{what}: status; {answer:?}");
        let error: ApiError = serde_json::from_str(&answer.body)
            .unwrap_or_else(|e| panic!("{what}: an ApiError body ({e}): {answer:?}"));
        assert_eq!(error.error, ErrorCode::MisdirectedRequest, "{what}");
        for words in [named, "server.allowed_hosts"] {
            assert!(
                error.message.contains(words),
                "{what}: the message names {words:?}: {}",
                error.message
            );
        }
    }
}

#[tokio::test]
async fn a_same_origin_post_under_a_rebound_name_creates_nothing() {
    let app = spawn_app("development", &[]).await;
    let port = port_of(&app.address);
    let before = app.send("GET", "/api/items", &[]).await;
    let count_before = before.headers()["x-total-count"].clone();
    // What the attacker's page sends once its name points here: a same-origin POST.
    let body = r#"{"name":"planted by a rebound page"}"#;
    let head = format!(
        "POST /api/items HTTP/1.1\r\nHost: rebind.attacker.example:{port}\r\n\
         Origin: http://rebind.attacker.example:{port}\r\n\
         Content-Type: application/json\r\nContent-Length: {}",
        body.len()
    );
    let answer = exchange_with_body(port, &head, body).await;
    assert_eq!(answer.status, 421, "{answer:?}");
    let after = app.send("GET", "/api/items", &[]).await;
    assert_eq!(
        after.headers()["x-total-count"],
        count_before,
        "no item was created"
    );
}

#[tokio::test]
async fn a_refused_host_reaches_no_layer_not_even_the_recorder() {
    let app = spawn_app("development", &[INSTRUMENTS_ON]).await;
    let port = port_of(&app.address);
    let head = "GET /api/items?lab_run=rebound HTTP/1.1\r\nHost: rebind.attacker.example\r\n\
                Origin: http://rebind.attacker.example";
    let answer = exchange(port, head).await;
    assert_eq!(answer.status, 421, "{answer:?}");
    assert!(
        !answer
            .headers
            .iter()
            .any(|(name, _)| is_cors_response_header(name) || name == "vary"),
        "no CORS layer ran: {answer:?}"
    );
    let recorded: Vec<Exchange> = app
        .send("GET", "/lab/exchanges", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !recorded.iter().any(|e| e.path.contains("lab_run=rebound")),
        "the recorder never saw it: {recorded:?}"
    );
}
