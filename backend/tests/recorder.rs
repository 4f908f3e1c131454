//! The exchange recorder: what the lab reads to show the server's side.

mod common;

use common::{header, spawn_app};
use futures_util::StreamExt;
use lab_types::exhibits::ExhibitId;
use lab_types::{Exchange, Rejection};

const LAB: &str = "http://localhost:5173";

async fn exchanges(app: &common::TestApp, since: u64) -> Vec<Exchange> {
    let res = app
        .send(
            "GET",
            &format!("/lab/exchanges?since={since}"),
            &[("Origin", LAB)],
        )
        .await;
    res.json().await.expect("a list of exchanges")
}

#[tokio::test]
async fn a_preflight_and_its_request_are_recorded_with_the_headers_that_went_out() {
    let app = spawn_app("development", &[]).await;
    app.preflight("/api/items?lab_run=7", LAB, "POST", "content-type")
        .await;
    app.send(
        "GET",
        "/api/items?lab_run=7",
        &[("Origin", LAB), ("Cookie", "lab_session=x")],
    )
    .await;
    app.send("GET", "/api/items", &[]).await;

    let recorded = exchanges(&app, 0).await;
    assert_eq!(
        recorded.len(),
        2,
        "only requests with Origin are recorded: {recorded:#?}"
    );
    let (preflight, get) = (&recorded[0], &recorded[1]);

    assert!(
        preflight.preflight && preflight.method == "OPTIONS",
        "{preflight:?}"
    );
    assert_eq!(
        preflight.path, "/api/items?lab_run=7",
        "the query tags the run"
    );
    assert!(preflight.request_headers.contains(&(
        "access-control-request-headers".into(),
        "content-type".into()
    )));
    assert!(preflight
        .response_headers
        .iter()
        .any(|(n, v)| n == "access-control-max-age" && v == "600"));
    assert_eq!(preflight.rejection, None);

    assert!(!get.preflight);
    assert!(get.had_cookie, "the cookie's presence is recorded");
    assert!(get.id > preflight.id);
    assert!(get
        .response_headers
        .iter()
        .any(|(n, v)| n == "access-control-allow-origin" && v == LAB));
    assert_eq!(
        exchanges(&app, preflight.id).await.len(),
        1,
        "since= skips older exchanges"
    );
}

#[tokio::test]
async fn refusals_are_recorded_with_their_reason() {
    let app = spawn_app("production", &[]).await;
    app.preflight("/api/items", LAB, "POST", "content-type")
        .await;
    app.get_from("/api/items", LAB).await;
    let recorded = exchanges(&app, 0).await;
    let origin = Some(Rejection::Origin { origin: LAB.into() });
    assert_eq!(recorded[0].rejection, origin, "the preflight");
    assert_eq!(recorded[0].status, 400);
    assert_eq!(recorded[1].rejection, origin, "the simple request");
    assert_eq!(recorded[1].status, 200, "served, but without ACAO");
}

#[tokio::test]
async fn an_exhibit_exchange_is_recorded_as_it_went_but_not_judged_by_the_api_policy() {
    // Production's policy refuses the lab's origin; the exhibits are switched on here
    // only to show that the policy has no say over them.
    let app = spawn_app("production", &[("APP__EXHIBITS__ENABLED", "true")]).await;
    let exhibit = format!("{}?lab_run=9", ExhibitId::MissingAllowCredentials.path());
    app.get_from(&exhibit, LAB).await;
    app.get_from("/api/items?lab_run=9", LAB).await;

    let recorded = exchanges(&app, 0).await;
    let [exhibit_exchange, api_exchange] = &recorded[..] else {
        panic!("two exchanges: {recorded:#?}");
    };
    assert_eq!(exhibit_exchange.path, exhibit, "the exhibit is recorded");
    assert!(
        exhibit_exchange
            .response_headers
            .contains(&("access-control-allow-origin".into(), LAB.into())),
        "with the headers it really sent: {exhibit_exchange:?}"
    );
    assert_eq!(
        exhibit_exchange.rejection, None,
        "and no rejection from the API's policy, which refuses {LAB}"
    );
    assert_eq!(
        api_exchange.rejection,
        Some(Rejection::Origin { origin: LAB.into() }),
        "while the API's own route is judged"
    );
}

#[tokio::test]
async fn the_lab_can_read_the_recorder_even_where_the_api_refuses_it() {
    let app = spawn_app("production", &[]).await;
    let res = app.send("GET", "/lab/exchanges", &[("Origin", LAB)]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "access-control-allow-origin"),
        Some("*"),
        "any origin may read"
    );
    assert_eq!(
        header(&res, "access-control-allow-credentials"),
        None,
        "but never with credentials"
    );
    let res = app.preflight("/lab/exchanges", LAB, "DELETE", "").await;
    assert_eq!(res.status(), 400, "and only GET");
}

#[tokio::test]
async fn the_recorder_keeps_only_the_last_exchanges() {
    let app = spawn_app("development", &[("APP__RECORDER__CAPACITY", "5")]).await;
    for _ in 0..12 {
        app.get_from("/api/items", LAB).await;
    }
    let recorded = exchanges(&app, 0).await;
    let ids: Vec<u64> = recorded.iter().map(|e| e.id).collect();
    assert_eq!(ids, [8, 9, 10, 11, 12], "the oldest are dropped");
}

/// A full recorder refills the exchanges it let go of (their strings keep their
/// memory): each must come out as a recorder with room to spare records it, new.
#[tokio::test]
async fn a_full_recorder_records_each_exchange_with_nothing_left_of_an_earlier_one() {
    let full = spawn_app("production", &[("APP__RECORDER__CAPACITY", "1")]).await;
    let roomy = spawn_app("production", &[]).await;
    const REFUSED: &str = "https://evil.example";
    const ALLOWED: &str = "https://app.example.com";
    /// (what, method, request headers)
    type Case = (
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
    );
    let cases: [Case; 4] = [
        (
            "a refused preflight with three request headers",
            "OPTIONS",
            &[
                ("Origin", REFUSED),
                ("Access-Control-Request-Method", "PUT"),
                (
                    "Access-Control-Request-Headers",
                    "x-request-id,authorization",
                ),
            ],
        ),
        (
            "an allowed GET with a cookie",
            "GET",
            &[("Origin", ALLOWED), ("Cookie", "lab_session=x")],
        ),
        (
            "a refused GET with Authorization",
            "GET",
            &[("Origin", REFUSED), ("Authorization", "Bearer t")],
        ),
        ("an allowed GET", "GET", &[("Origin", ALLOWED)]),
    ];
    // Twice round, so that every case is recorded into a recycled exchange that
    // held each of the other kinds before.
    for round in 0..2 {
        for (what, method, headers) in cases {
            let path = format!("/api/items?round={round}");
            let mut recorded = Vec::new();
            for app in [&full, &roomy] {
                app.send(method, &path, headers).await;
                let mut exchange = exchanges(app, 0).await.pop().expect("one exchange");
                // What may differ between two recorders: the id, the time, and the
                // order of the headers (actix-web's header map has none).
                (exchange.id, exchange.at_ms) = (0, 0);
                exchange.request_headers.sort();
                exchange.response_headers.sort();
                recorded.push(exchange);
            }
            assert_eq!(
                recorded[0], recorded[1],
                "{what}, round {round}: a full recorder records it as a new exchange"
            );
        }
    }
}

#[tokio::test]
async fn live_events_stream_each_new_exchange() {
    let app = spawn_app("development", &[]).await;
    let res = app.send("GET", "/lab/events", &[("Origin", LAB)]).await;
    assert_eq!(header(&res, "content-type"), Some("text/event-stream"));
    let mut stream = res.bytes_stream();
    let opening = stream.next().await.unwrap().unwrap();
    assert!(
        opening.starts_with(b": connected"),
        "the stream opens at once"
    );

    app.preflight("/api/items?lab_run=sse", LAB, "PUT", "")
        .await;
    let frame = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next())
        .await
        .expect("an event within 5 s")
        .unwrap()
        .unwrap();
    let frame = String::from_utf8(frame.to_vec()).unwrap();
    assert!(frame.contains("event: exchange"), "{frame}");
    let data = frame
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("a data line");
    let exchange: Exchange = serde_json::from_str(data).unwrap();
    assert_eq!(exchange.path, "/api/items?lab_run=sse");
    assert!(exchange.preflight);
}
