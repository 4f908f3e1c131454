//! No answer at all: the connection is closed without a byte.
//!
//! How, within actix-web: the handler returns a response whose streaming body fails
//! on its very first poll. actix-http encodes the response head into its write buffer
//! and polls the body in the same turn, before flushing anything; the body's error
//! ends the connection there, and the unsent head is dropped with the buffer
//! (`actix-http` 3.20, `h1::dispatcher`: `Response payload stream error`). No panic,
//! no worker lost: the worker goes on serving other connections.
//!
//! Checked with curl (exit code 52), and what the server's log says, which is
//! where the fix starts:
//!
//! ```text
//! $ curl -v http://127.0.0.1:8000/exhibits/drops-connection
//! > GET /exhibits/drops-connection HTTP/1.1
//! * Empty reply from server
//! curl: (52) Empty reply from server
//!
//! ERROR actix_http::h1::dispatcher] Response payload stream error: Custom { kind:
//! ConnectionAborted, error: "drops-connection: closing without a response, on purpose" }
//! ```
//!
//! At the socket: zero bytes, then an orderly close (FIN), on a new connection and on
//! a kept-alive one alike.
//!
//! Chromium reports `net::ERR_EMPTY_RESPONSE`. The body must fail when first polled:
//! a body that was pending first would let the head be flushed while it waited.
//! This relies on how actix-http schedules its writes, so `backend/tests/exhibits.rs`
//! checks that the client gets no answer at all.

use std::io;

use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use futures_util::stream;
use lab_types::Exchange;

/// What the recorder writes down for this exchange ([`Exchange::NO_RESPONSE`],
/// nginx's 444): the head is never sent, so no client ever sees this status.
const CLOSED_WITHOUT_RESPONSE: u16 = Exchange::NO_RESPONSE;

/// `GET /exhibits/drops-connection`: the server closes the connection without
/// answering.
///
/// As a crashing process or a proxy that gives up does: the request arrived, nothing
/// came back.
///
/// Why the browser reports no CORS error: there is no response to check. The page
/// gets the same `TypeError: Failed to fetch` as for a CORS refusal, and the console
/// prints `net::ERR_EMPTY_RESPONSE` without any "blocked by CORS policy" line.
///
/// The fix: nothing in CORS. Find out why the server dies (its logs), then look at
/// CORS.
pub async fn drops_connection() -> HttpResponse {
    let crash = stream::iter([Err::<Bytes, _>(io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "drops-connection: closing without a response, on purpose",
    ))]);
    let status =
        StatusCode::from_u16(CLOSED_WITHOUT_RESPONSE).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status).streaming(crash)
}
