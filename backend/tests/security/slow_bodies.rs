//! Hole 6: request bodies had no timeout. A client that sends its body one byte
//! every 2 s held a connection (and a task) for as long as it liked.

use std::time::Duration;

use lab_types::ErrorCode;

use super::raw_http::{port_of, trickle, Trickled};
use crate::common::{spawn_app, INSTRUMENTS_ON};

/// The attacker's pace.
const PAUSE: Duration = Duration::from_secs(2);

/// More one-byte pieces than the server should ever wait for (30 s of them).
const PIECES: usize = 15;

/// One slow request and the pieces of its body.
struct SlowCase {
    what: &'static str,
    head: String,
    pieces: Vec<&'static [u8]>,
}

fn slow_cases() -> Vec<SlowCase> {
    vec![
        SlowCase {
            what: "a JSON body, one byte every 2 s",
            head: "POST /api/items HTTP/1.1\r\nHost: localhost\r\n\
                   Content-Type: application/json\r\nContent-Length: 100"
                .into(),
            pieces: vec![b" "; PIECES],
        },
        SlowCase {
            // actix-http answers a route that reads no body at once, then drains a
            // chunked body at the sender's pace: the connection stayed open for good.
            what: "a chunked body to a route that reads none",
            head: "GET /healthz HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked".into(),
            pieces: vec![b"1\r\n \r\n"; PIECES],
        },
        SlowCase {
            what: "a chunked body to the recorder, outside the API's layers",
            head: "GET /lab/policy HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked"
                .into(),
            pieces: vec![b"1\r\n \r\n"; PIECES],
        },
    ]
}

#[tokio::test]
async fn a_body_that_trickles_in_gets_408_and_the_connection_closes() {
    let app = spawn_app("development", &[INSTRUMENTS_ON]).await;
    let port = port_of(&app.address);
    let cases = slow_cases();
    let runs = cases
        .iter()
        .map(|case| trickle(port, &case.head, &case.pieces, PAUSE));
    let results = futures_util::future::join_all(runs).await;
    for (case, result) in cases.iter().zip(results) {
        let what = case.what;
        let answer = match result {
            Trickled::AnsweredAndClosed(answer) => answer,
            Trickled::AnsweredAndKeptOpen(answer) => {
                panic!("{what}: answered, then the connection stayed open: {answer:?}")
            }
            Trickled::NeverAnswered { bytes_sent } => {
                panic!("{what}: no answer after {bytes_sent} bytes, one every {PAUSE:?}")
            }
        };
        assert_eq!(answer.status, 408, "{what}: {answer:?}");
        assert_eq!(
            answer.header("connection"),
            Some("close"),
            "{what}: says it closes: {answer:?}"
        );
        let error: lab_types::ApiError = serde_json::from_str(&answer.body)
            .unwrap_or_else(|e| panic!("{what}: an ApiError ({e}): {answer:?}"));
        assert_eq!(error.error, ErrorCode::RequestTimeout, "{what}");
        assert!(
            error.message.contains("10 s"),
            "{what}: the message gives the limit: {}",
            error.message
        );
    }
}

#[tokio::test]
async fn a_body_that_is_slow_but_whole_in_time_is_served() {
    let app = spawn_app("development", &[]).await;
    let body: [&[u8]; 3] = [b"{\"name\":", b"\"slow but", b" whole\"}"];
    let length: usize = body.iter().map(|piece| piece.len()).sum();
    let head = format!(
        "POST /api/items HTTP/1.1\r\nHost: localhost\r\n\
         Content-Type: application/json\r\nContent-Length: {length}"
    );
    let result = trickle(
        port_of(&app.address),
        &head,
        &body,
        Duration::from_millis(500),
    )
    .await;
    let answer = match result {
        Trickled::AnsweredAndClosed(answer) | Trickled::AnsweredAndKeptOpen(answer) => answer,
        Trickled::NeverAnswered { bytes_sent } => panic!("no answer after {bytes_sent} bytes"),
    };
    assert_eq!(answer.status, 201, "{answer:?}");
    assert_eq!(answer.json()["name"], "slow but whole", "{answer:?}");
}

#[tokio::test]
async fn a_body_over_the_limit_gets_a_readable_413_and_the_connection_closes() {
    let app = spawn_app("development", &[]).await;
    let head = "POST /api/items HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost:5173\r\n\
                Content-Type: application/json\r\nTransfer-Encoding: chunked";
    // 17 KiB at once, over the 16 KiB limit, then the rest one byte at a time.
    let big = format!("4400\r\n{}\r\n", " ".repeat(0x4400)).into_bytes();
    let mut pieces: Vec<&[u8]> = vec![&big];
    pieces.extend([b"1\r\n \r\n" as &[u8]; PIECES]);
    let answer = match trickle(port_of(&app.address), head, &pieces, PAUSE).await {
        Trickled::AnsweredAndClosed(answer) => answer,
        other => panic!("an answer, then the connection closed: {other:?}"),
    };
    assert_eq!(answer.status, 413, "{answer:?}");
    assert_eq!(answer.json()["error"], "payload_too_large", "{answer:?}");
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("http://localhost:5173"),
        "answered inside the CORS layer, so the lab can read it: {answer:?}"
    );
}
