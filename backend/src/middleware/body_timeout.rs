//! Reads every request body whole, within a deadline and a size limit, before
//! anything else sees the request.
//!
//! actix-web cuts a request *head* that takes more than 5 s, but it waits for a
//! *body* as long as the client likes. One byte every 2 s kept a connection open
//! for good, and 500 such clients held 500 connections. So this layer reads the
//! body first, and gives it [`BODY_TIMEOUT`] from the moment the head arrived.
//!
//! - In time and within [`MAX_JSON_BODY`]: the route gets the body, as sent.
//! - Too slow: `408 Request Timeout`, and the connection closes.
//! - Too large: the layer stops reading. The route gets a body that fails as too
//!   large, so the JSON routes answer their usual `413`, inside the CORS layer,
//!   and a page can read it. The connection closes after the answer.
//!
//! Why close? The rest of the body is still on its way, and there is no point
//! reading it. But actix-http *drains* an unread chunked body before it reads the
//! next request, at whatever pace the client sends it. It closes the connection
//! instead when the request's payload is still held while the answer goes out. So
//! the answer's body holds it (`HoldsUnread`) until its last byte is sent.
//!
//! A browser sends a body at once, so it never meets the 408. That answer comes
//! before the CORS layer, like actix-web's own 408 for a slow head.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{Error, HttpMessage, HttpResponse};
use futures_util::StreamExt;
use lab_types::{ApiError, ErrorCode};
use tokio::time::{timeout_at, Instant};

use crate::errors::MAX_JSON_BODY;

/// How long a request's whole body may take to arrive, counted from its head.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// How reading a body ended.
enum Read {
    Whole(Bytes),
    TooLarge,
    TooSlow,
    /// The client sent a malformed chunk, or went away.
    Broken(PayloadError),
}

pub async fn limit_bodies(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let deadline = Instant::now() + BODY_TIMEOUT;
    let mut payload = req.take_payload();
    let read = match declared_length(&req) {
        Some(length) if length > MAX_JSON_BODY => Read::TooLarge,
        _ => read_whole(&mut payload, deadline).await,
    };
    // Only a body that was cut short leaves bytes on the wire.
    let cut_short = matches!(read, Read::TooLarge);
    let handed_on = match read {
        Read::Whole(body) if body.is_empty() => Payload::None,
        Read::Whole(body) => Payload::from(body),
        Read::TooLarge => failing(PayloadError::Overflow),
        Read::Broken(error) => failing(error),
        Read::TooSlow => return Ok(req.into_response(too_slow(payload))),
    };
    req.set_payload(handed_on);
    let res = next.call(req).await?;
    Ok(match cut_short {
        true => res
            .map_body(|_, body| HoldsUnread::new(BoxBody::new(body), payload))
            .map_into_boxed_body(),
        false => res.map_into_boxed_body(),
    })
}

/// `Content-Length`, when the request has a readable one.
fn declared_length(req: &ServiceRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

async fn read_whole(payload: &mut Payload, deadline: Instant) -> Read {
    let mut body = BytesMut::new();
    loop {
        match timeout_at(deadline, payload.next()).await {
            Err(_elapsed) => return Read::TooSlow,
            Ok(None) => return Read::Whole(body.freeze()),
            Ok(Some(Err(error))) => return Read::Broken(error),
            Ok(Some(Ok(chunk))) if body.len() + chunk.len() > MAX_JSON_BODY => {
                return Read::TooLarge
            }
            Ok(Some(Ok(chunk))) => body.extend_from_slice(&chunk),
        }
    }
}

/// A body that fails with `error` when the route reads it.
fn failing(error: PayloadError) -> Payload {
    let stream = futures_util::stream::once(async move { Err(error) });
    Payload::Stream {
        payload: Box::pin(stream),
    }
}

/// `408`, closing the connection.
fn too_slow(unread: Payload) -> HttpResponse<BoxBody> {
    let error = ApiError {
        error: ErrorCode::RequestTimeout,
        message: format!(
            "the request body did not arrive within {} s of the request's head; send the \
             whole body at once",
            BODY_TIMEOUT.as_secs()
        ),
    };
    let json = serde_json::to_vec(&error).expect("an ApiError always serializes");
    HttpResponse::build(StatusCode::REQUEST_TIMEOUT)
        .force_close()
        .content_type("application/json")
        .body(HoldsUnread::new(BoxBody::new(Bytes::from(json)), unread))
}

/// A response body that keeps the request's payload until the body's last byte
/// is sent. Then actix-http sees the payload unfinished and closes the connection
/// (see the module's doc). A payload read to its end changes nothing.
struct HoldsUnread {
    body: BoxBody,
    _unread: Payload,
}

impl HoldsUnread {
    fn new(body: BoxBody, unread: Payload) -> Self {
        HoldsUnread {
            body,
            _unread: unread,
        }
    }
}

impl MessageBody for HoldsUnread {
    type Error = <BoxBody as MessageBody>::Error;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_next(cx)
    }
}
