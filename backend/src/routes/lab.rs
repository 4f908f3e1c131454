//! The recorder, read back: a JSON snapshot and a live Server-Sent Events stream.

use std::convert::Infallible;
use std::time::Duration;

use actix_web::web::{Bytes, Data, Json, Query};
use actix_web::HttpResponse;
use futures_util::stream;
use lab_types::Exchange;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use crate::recorder::Recorder;

/// A comment line every so often keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Deserialize)]
pub struct SinceQuery {
    #[serde(default)]
    since: u64,
}

pub async fn exchanges(recorder: Data<Recorder>, query: Query<SinceQuery>) -> Json<Vec<Exchange>> {
    Json(recorder.since(query.since))
}

/// `text/event-stream`: one `exchange` event per recorded exchange, as it happens.
pub async fn events(recorder: Data<Recorder>) -> HttpResponse {
    let receiver = recorder.subscribe();
    let mut ticker = tokio::time::interval(KEEP_ALIVE);
    ticker.reset();
    let opening =
        stream::once(async { Ok::<_, Infallible>(Bytes::from_static(b": connected\n\n")) });
    let live = stream::unfold(
        (receiver, ticker),
        |(mut receiver, mut ticker)| async move {
            loop {
                let frame = tokio::select! {
                    received = receiver.recv() => match received {
                        Ok(exchange) => event(&exchange),
                        Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    },
                    _ = ticker.tick() => Bytes::from_static(b": keep-alive\n\n"),
                };
                return Some((Ok::<_, Infallible>(frame), (receiver, ticker)));
            }
        },
    );
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .streaming(futures_util::StreamExt::chain(opening, live))
}

fn event(exchange: &Exchange) -> Bytes {
    let data = serde_json::to_string(exchange).expect("an Exchange always serializes");
    Bytes::from(format!(
        "id: {}\nevent: exchange\ndata: {data}\n\n",
        exchange.id
    ))
}
