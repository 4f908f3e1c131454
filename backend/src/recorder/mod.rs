//! The exchange recorder: the server's side of every cross-origin request.
//!
//! A browser never shows a page its preflights, nor the headers it refused to hand
//! over. The lab shows them anyway by asking the server what it saw: this module keeps
//! the last few hundred requests that carried `Origin`, with the CORS headers that went
//! in and out, and pushes each new one to live subscribers (Server-Sent Events).
//!
//! It is a teaching instrument: it records no cookie or `Authorization` values, only
//! whether they were present, and it is bounded, so it cannot grow without limit.

mod middleware;

pub use middleware::record_exchanges;

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use lab_types::Exchange;
use tokio::sync::broadcast;

/// How many exchanges a slow live subscriber may fall behind before it skips some.
const SUBSCRIBER_BACKLOG: usize = 256;

#[derive(Debug)]
pub struct Recorder {
    capacity: usize,
    inner: Mutex<Ring>,
    live: broadcast::Sender<Exchange>,
}

/// How many exchanges the ring let go of are kept to be filled again.
const SPARES: usize = 16;

#[derive(Debug, Default)]
struct Ring {
    next_id: u64,
    exchanges: VecDeque<Exchange>,
    /// Exchanges the full ring let go of, for [`Recorder::blank`] to hand out again.
    spares: Vec<Exchange>,
}

impl Recorder {
    /// A recorder that keeps the last `capacity` exchanges (none when 0).
    pub fn new(capacity: usize) -> Self {
        Recorder {
            capacity,
            inner: Mutex::new(Ring {
                next_id: 1,
                exchanges: VecDeque::with_capacity(capacity),
                spares: Vec::with_capacity(SPARES),
            }),
            live: broadcast::channel(SUBSCRIBER_BACKLOG).0,
        }
    }

    /// Stores `exchange` under the next id and the current time, and tells subscribers.
    pub fn record(&self, mut exchange: Exchange) {
        if self.capacity == 0 {
            return;
        }
        exchange.at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        // Every request with `Origin` passes here, so the common case is kept cheap:
        // the exchange is copied for live subscribers only when there are some (a lab
        // page is open). Without one, `send` would refuse the copy and drop it again,
        // and an `Exchange` is a dozen small strings to allocate and free.
        let live = {
            let mut ring = self.lock();
            exchange.id = ring.next_id;
            ring.next_id += 1;
            if ring.exchanges.len() == self.capacity {
                if let Some(oldest) = ring.exchanges.pop_front() {
                    if ring.spares.len() < SPARES {
                        ring.spares.push(oldest);
                    }
                }
            }
            let live = (self.live.receiver_count() > 0).then(|| exchange.clone());
            ring.exchanges.push_back(exchange);
            live
        };
        if let Some(exchange) = live {
            // A subscriber that left in the meantime is not an error.
            let _ = self.live.send(exchange);
        }
    }

    /// An exchange to fill and [`record`](Self::record): one the full ring let go
    /// of when there is one, its fields still set. Every request with `Origin` is
    /// recorded, and an exchange is a dozen small strings; refilled in place (clear,
    /// then copy), they keep their memory, so that a full recorder records without
    /// allocating or freeing anything.
    pub fn blank(&self) -> Exchange {
        self.lock().spares.pop().unwrap_or_else(blank)
    }

    /// The kept exchanges with an id above `id`, oldest first.
    pub fn since(&self, id: u64) -> Vec<Exchange> {
        self.lock()
            .exchanges
            .iter()
            .filter(|exchange| exchange.id > id)
            .cloned()
            .collect()
    }

    /// Every exchange recorded from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Exchange> {
        self.live.subscribe()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ring> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// An exchange with every field empty.
fn blank() -> Exchange {
    Exchange {
        id: 0,
        at_ms: 0,
        method: String::new(),
        path: String::new(),
        origin: String::new(),
        preflight: false,
        request_headers: Vec::new(),
        had_cookie: false,
        had_authorization: false,
        status: 0,
        response_headers: Vec::new(),
        rejection: None,
    }
}
