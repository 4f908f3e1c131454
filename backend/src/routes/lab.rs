//! The recorder, read back: JSON pages, a live Server-Sent Events stream, and how
//! much the ring holds.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web::{Bytes, Data, Json, Query};
use actix_web::HttpResponse;
use futures_util::stream;
use lab_types::Exchange;
use serde::{de, Deserialize, Deserializer};
use tokio::sync::broadcast::error::RecvError;

use crate::recorder::{Recorder, RecorderStats};

/// A comment line every so often keeps proxies from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `?since=N&limit=M`: the exchanges with an id above `N` (0 when absent), `M` of
/// them at most (`Exchange::PAGE_DEFAULT` when absent).
#[derive(Deserialize)]
pub struct SinceQuery {
    #[serde(default)]
    since: u64,
    #[serde(default)]
    limit: PageLimit,
}

/// `limit`, from 1 to `Exchange::PAGE_MAX`. A larger one is refused rather than
/// cut down: a client that asked for 1000 and got 500 would take the short page
/// for the last one.
struct PageLimit(usize);

impl Default for PageLimit {
    fn default() -> Self {
        PageLimit(Exchange::PAGE_DEFAULT)
    }
}

impl<'de> Deserialize<'de> for PageLimit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.parse::<usize>() {
            Ok(limit) if (1..=Exchange::PAGE_MAX).contains(&limit) => Ok(PageLimit(limit)),
            _ => {
                // The value is named only when short: this message is sent back.
                let got = if text.len() <= 24 {
                    format!(", got \"{text}\"")
                } else {
                    format!(", got {} characters", text.chars().count())
                };
                Err(de::Error::custom(format!(
                    "limit must be from 1 to {}{got}",
                    Exchange::PAGE_MAX
                )))
            }
        }
    }
}

/// One page, oldest first: read on with `since` = the last id until a page is empty.
/// The page holds shared exchanges, taken under the recorder's lock; they are
/// written out as JSON after it is let go, so a large page delays no request.
pub async fn exchanges(recorder: Data<Recorder>, query: Query<SinceQuery>) -> HttpResponse {
    let page = recorder.since(query.since, query.limit.0);
    let page: Vec<&Exchange> = page.iter().map(Arc::as_ref).collect();
    HttpResponse::Ok().json(page)
}

/// `RecorderStats`: how many exchanges and bytes the ring holds, and its budgets.
pub async fn recorder(recorder: Data<Recorder>) -> Json<RecorderStats> {
    Json(recorder.stats())
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
