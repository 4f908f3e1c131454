//! The exchange recorder: what the lab reads to show the server's side.

mod common;

use backend::recorder::{MAX_VALUE_BYTES, RING_BYTES};
use common::{header, spawn_app, INSTRUMENTS_ON};
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
    let app = spawn_app("production", &[INSTRUMENTS_ON]).await;
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
    let app = spawn_app(
        "production",
        &[("APP__EXHIBITS__ENABLED", "true"), INSTRUMENTS_ON],
    )
    .await;
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
    let app = spawn_app("production", &[INSTRUMENTS_ON]).await;
    let res = app.send("GET", "/lab/exchanges", &[("Origin", LAB)]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "access-control-allow-origin"),
        Some(LAB),
        "the lab's own origin may read (lab.origins), never any origin"
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
    let full = spawn_app(
        "production",
        &[("APP__RECORDER__CAPACITY", "1"), INSTRUMENTS_ON],
    )
    .await;
    let roomy = spawn_app("production", &[INSTRUMENTS_ON]).await;
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

// The recorder's memory, bounded by bytes (issue 22, hole 3). The attack it closes:
// 520 GETs with a 60 KiB `Origin` and a 60 KiB query made the recorder hold 123 MB,
// and one `GET /lab/exchanges` answered all of it at once.

/// The size of the `Origin` and of the query in the measured attack.
const BIG: usize = 60 * 1024;

/// An origin of [`BIG`] bytes, which no policy lists.
fn big_origin() -> String {
    let frame = "http://.example";
    format!("http://{}.example", "o".repeat(BIG - frame.len()))
}

/// `/api/items` with a query of [`BIG`] bytes.
fn big_path() -> String {
    format!("/api/items?q={}", "q".repeat(BIG - "q=".len()))
}

/// What the recorder keeps of `value`: its first bytes and the marker.
fn cut(value: &str) -> String {
    if value.len() <= MAX_VALUE_BYTES {
        return value.to_string();
    }
    let kept = &value[..MAX_VALUE_BYTES];
    format!(
        "{kept}{}{} bytes]",
        Exchange::CUT_MARKER,
        value.len() - kept.len()
    )
}

/// One page of `GET /lab/exchanges`, with the query given.
async fn page(app: &common::TestApp, query: &str) -> Vec<Exchange> {
    let res = app
        .send(
            "GET",
            &format!("/lab/exchanges?{query}"),
            &[("Origin", LAB)],
        )
        .await;
    assert_eq!(res.status(), 200, "GET /lab/exchanges?{query}");
    res.json().await.expect("a list of exchanges")
}

/// Every kept exchange, read page by page: `since` the last id, until a page is empty.
async fn every_page(app: &common::TestApp, limit: usize) -> Vec<Vec<Exchange>> {
    let mut pages = Vec::new();
    let mut since = 0;
    for _ in 0..1000 {
        let page = page(app, &format!("since={since}&limit={limit}")).await;
        let Some(last) = page.last() else {
            return pages;
        };
        since = last.id;
        pages.push(page);
    }
    panic!("no empty page after 1000 pages");
}

#[tokio::test]
async fn a_60_kib_origin_and_query_are_recorded_cut_to_the_budget_with_the_marker() {
    let app = spawn_app("development", &[]).await;
    let (origin, path) = (big_origin(), big_path());
    let res = app.send("GET", &path, &[("Origin", &origin)]).await;
    assert_eq!(res.status(), 200, "actix-web takes a 123 KB request head");
    let res = app.preflight(&path, &origin, "PUT", "").await;
    assert_eq!(res.status(), 400, "the preflight's origin is refused");

    let recorded = exchanges(&app, 0).await;
    let [get, preflight] = &recorded[..] else {
        panic!("two exchanges: {} of them", recorded.len());
    };
    let origin_header = |e: &Exchange| {
        e.request_headers
            .iter()
            .find(|(name, _)| name == "origin")
            .map(|(_, value)| value.clone())
    };
    let rejected_origin = |e: &Exchange| match &e.rejection {
        Some(Rejection::Origin { origin }) => Some(origin.clone()),
        _ => None,
    };
    let cases = [
        ("the GET's origin", Some(get.origin.clone()), &origin),
        ("the GET's path and query", Some(get.path.clone()), &path),
        ("the GET's Origin header", origin_header(get), &origin),
        ("the GET's rejection", rejected_origin(get), &origin),
        (
            "the preflight's origin",
            Some(preflight.origin.clone()),
            &origin,
        ),
        ("the preflight's path", Some(preflight.path.clone()), &path),
        (
            "the preflight's rejection",
            rejected_origin(preflight),
            &origin,
        ),
    ];
    for (what, recorded, sent) in cases {
        let recorded = recorded.unwrap_or_else(|| panic!("{what}: not recorded"));
        assert_eq!(
            (recorded.len(), recorded == cut(sent)),
            (cut(sent).len(), true),
            "{what}: its first {MAX_VALUE_BYTES} bytes, then the marker"
        );
    }
}

#[tokio::test]
async fn without_limit_the_exchanges_route_answers_the_default_page_of_the_oldest() {
    let app = spawn_app("development", &[]).await;
    let sent = Exchange::PAGE_DEFAULT + 10;
    for _ in 0..sent {
        app.get_from("/api/items", LAB).await;
    }
    let ids: Vec<u64> = exchanges(&app, 0).await.iter().map(|e| e.id).collect();
    let oldest: Vec<u64> = (1..=Exchange::PAGE_DEFAULT as u64).collect();
    assert_eq!(
        ids,
        oldest,
        "{sent} recorded: the page holds the {} oldest",
        Exchange::PAGE_DEFAULT
    );
}

#[tokio::test]
async fn a_limit_from_1_to_the_maximum_is_served_and_any_other_is_refused_naming_limit() {
    let app = spawn_app("development", &[]).await;
    for _ in 0..3 {
        app.get_from("/api/items", LAB).await;
    }
    let max = Exchange::PAGE_MAX;
    let cases = [
        ("1", Some(1), "the smallest page"),
        (
            &*max.to_string(),
            Some(3),
            "the largest page, here all three",
        ),
        ("0", None, "an empty page is no page"),
        (&*(max + 1).to_string(), None, "above the maximum"),
        ("18446744073709551616", None, "above u64"),
    ];
    for (limit, served, what) in cases {
        let res = app
            .send(
                "GET",
                &format!("/lab/exchanges?limit={limit}"),
                &[("Origin", LAB)],
            )
            .await;
        let status = res.status().as_u16();
        let body = res.text().await.unwrap();
        match served {
            Some(count) => {
                let page: Vec<Exchange> = serde_json::from_str(&body).unwrap();
                assert_eq!((status, page.len()), (200, count), "limit={limit}: {what}");
            }
            None => assert!(
                status == 400 && body.contains("limit") && body.contains(&max.to_string()),
                "limit={limit}, {what}: a 400 that names `limit` and its maximum, \
                 got {status}: {body}"
            ),
        }
    }
}

#[tokio::test]
async fn paging_with_since_walks_every_exchange_once_and_in_order() {
    let app = spawn_app("development", &[]).await;
    const SENT: u64 = 23;
    const LIMIT: usize = 5;
    for n in 0..SENT {
        app.get_from(&format!("/api/items?n={n}"), LAB).await;
    }
    let pages = every_page(&app, LIMIT).await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert!(
        sizes.iter().all(|&size| size <= LIMIT),
        "every page holds at most limit={LIMIT}: {sizes:?}"
    );
    let ids: Vec<u64> = pages.iter().flatten().map(|e| e.id).collect();
    assert_eq!(
        ids,
        (1..=SENT).collect::<Vec<_>>(),
        "each exchange once, oldest first"
    );
}

#[tokio::test]
async fn the_ring_stays_under_its_byte_budget_after_many_large_requests() {
    let app = spawn_app("development", &[]).await;
    const SENT: usize = 400;
    let (origin, path) = (big_origin(), big_path());
    for _ in 0..SENT {
        app.send("GET", &path, &[("Origin", &origin)]).await;
    }

    let kept: Vec<Exchange> = every_page(&app, Exchange::PAGE_MAX)
        .await
        .into_iter()
        .flatten()
        .collect();
    let json: usize = kept
        .iter()
        .map(|e| serde_json::to_vec(e).unwrap().len())
        .sum();
    assert!(
        json <= 2 * RING_BYTES,
        "what a reader gets of the ring is bounded by its budget: {json} bytes of JSON \
         for {} exchanges, the budget is {RING_BYTES}",
        kept.len()
    );
    let res = app.send("GET", "/lab/recorder", &[("Origin", LAB)]).await;
    assert_eq!(res.status(), 200, "GET /lab/recorder");
    let stats: serde_json::Value = res.json().await.unwrap();
    let (bytes, kept_count) = (stats["bytes"].as_u64(), stats["kept"].as_u64());
    assert_eq!(
        (stats["byte_budget"].as_u64(), stats["capacity"].as_u64()),
        (Some(RING_BYTES as u64), Some(500)),
        "{stats}"
    );
    assert!(
        bytes.is_some_and(|b| b > 0 && b <= RING_BYTES as u64),
        "the ring holds at most {RING_BYTES} bytes: {stats}"
    );
    assert_eq!(kept_count, Some(kept.len() as u64), "{stats}");
    assert!(
        kept.len() < SENT && kept.last().is_some_and(|e| e.id == SENT as u64),
        "the oldest went, for bytes: {} of {SENT} kept under capacity 500, the newest last",
        kept.len()
    );
}

#[tokio::test]
async fn live_events_carry_the_same_cut_values() {
    let app = spawn_app("development", &[]).await;
    let res = app.send("GET", "/lab/events", &[("Origin", LAB)]).await;
    let mut stream = res.bytes_stream();
    stream.next().await.unwrap().unwrap();

    let (origin, path) = (big_origin(), big_path());
    app.send("GET", &path, &[("Origin", &origin)]).await;
    let mut frame = Vec::new();
    while !frame.ends_with(b"\n\n") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), stream.next())
            .await
            .expect("an event within 5 s")
            .unwrap()
            .unwrap();
        frame.extend_from_slice(&chunk);
    }
    let frame = String::from_utf8(frame).unwrap();
    let data = frame
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("a data line");
    let exchange: Exchange = serde_json::from_str(data).unwrap();
    assert_eq!(
        (exchange.origin == cut(&origin), exchange.path == cut(&path)),
        (true, true),
        "the event's origin and path are cut as the ring's are: {} and {} bytes",
        exchange.origin.len(),
        exchange.path.len()
    );
}

/// The one-line decision log writes the origin and the path: cut too.
#[test]
fn the_decision_logged_for_a_60_kib_request_names_its_values_cut() {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("backend.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_backend"))
        .env_clear()
        .env("APP_CONFIG_DIR", common::project_config_dir())
        .env("APP__SERVER__PORT", "0")
        .env("RUST_LOG", "info")
        .current_dir(dir.path())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .expect("the backend starts");
    let started = Instant::now();
    let port = loop {
        let log = std::fs::read_to_string(&log_path).unwrap();
        if let Some(address) = log.split("listening on http://").nth(1) {
            break address
                .lines()
                .next()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "not listening:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let (origin, path) = (big_origin(), big_path());
    let mut stream = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "{}",
        &answer[..80.min(answer.len())]
    );
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(killed.success() && child.wait().unwrap().success());

    let log = std::fs::read_to_string(&log_path).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("CORS request GET"))
        .expect("the decision is logged");
    let decision = format!(
        "CORS request GET {} from {} -> 200",
        cut(&path),
        cut(&origin)
    );
    assert!(
        line.contains(&decision) && line.len() < 6 * MAX_VALUE_BYTES,
        "the line names the cut path and origin, and is {} bytes long",
        line.len()
    );
}
