//! The exchange recorder: the server's side of every cross-origin request.
//!
//! A browser never shows a page its preflights, nor the headers it refused to hand
//! over. The lab shows them anyway by asking the server what it saw: this module keeps
//! the last few hundred requests that carried `Origin`, with the CORS headers that went
//! in and out, and pushes each new one to live subscribers (Server-Sent Events).
//!
//! It is a teaching instrument: it records no cookie or `Authorization` values, only
//! whether they were present. It is bounded by count and by bytes (`budget`), so no
//! request, however large, can make it grow without limit.

mod budget;
mod middleware;

pub use budget::{MAX_VALUE_BYTES, PAGE_BYTES, RING_BYTES};
pub use middleware::record_exchanges;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use lab_types::Exchange;
use serde::Serialize;
use tokio::sync::broadcast;

/// How many exchanges a slow live subscriber may fall behind before it skips some.
const SUBSCRIBER_BACKLOG: usize = 256;

#[derive(Debug)]
pub struct Recorder {
    capacity: usize,
    inner: Mutex<Ring>,
    live: broadcast::Sender<Arc<Exchange>>,
}

/// How many exchanges the ring let go of are kept to be filled again.
const SPARES: usize = 16;

#[derive(Debug, Default)]
struct Ring {
    next_id: u64,
    /// Shared, not copied: a reader takes the ones it wants under the lock, and
    /// writes them out as JSON after it let go of it.
    exchanges: VecDeque<Kept>,
    /// The sum of the kept exchanges' [`budget::bytes_of`].
    bytes: usize,
    /// Exchanges the full ring let go of, for [`Recorder::blank`] to hand out again.
    spares: Vec<Exchange>,
}

#[derive(Debug)]
struct Kept {
    exchange: Arc<Exchange>,
    bytes: usize,
}

/// What the ring holds, for `GET /lab/recorder`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RecorderStats {
    /// `recorder.capacity`: the most exchanges kept.
    pub capacity: usize,
    /// [`RING_BYTES`]: the most bytes kept.
    pub byte_budget: usize,
    /// [`MAX_VALUE_BYTES`]: the most bytes kept of each value.
    pub value_budget: usize,
    /// The exchanges kept now.
    pub kept: usize,
    /// The bytes they hold now.
    pub bytes: usize,
    /// The id of the newest exchange (0 before the first).
    pub last_id: u64,
}

impl Recorder {
    /// A recorder that keeps the last `capacity` exchanges (none when 0), in
    /// [`RING_BYTES`] at most.
    pub fn new(capacity: usize) -> Self {
        Recorder {
            capacity,
            inner: Mutex::new(Ring {
                next_id: 1,
                exchanges: VecDeque::new(),
                bytes: 0,
                spares: Vec::with_capacity(SPARES),
            }),
            live: broadcast::channel(SUBSCRIBER_BACKLOG).0,
        }
    }

    /// Stores `exchange` under the next id and the current time, and tells subscribers.
    /// The oldest exchanges go while the ring holds more than `capacity` of them, or
    /// more than [`RING_BYTES`] (the newest always stays).
    pub fn record(&self, mut exchange: Exchange) {
        if self.capacity == 0 {
            return;
        }
        exchange.at_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let bytes = budget::bytes_of(&exchange);
        let live = {
            let mut ring = self.lock();
            exchange.id = ring.next_id;
            ring.next_id += 1;
            let exchange = Arc::new(exchange);
            // Every request with `Origin` passes here, so the common case is kept
            // cheap: live subscribers get the same exchange, shared, and only when
            // there are some (a lab page is open).
            let live = (self.live.receiver_count() > 0).then(|| Arc::clone(&exchange));
            ring.exchanges.push_back(Kept { exchange, bytes });
            ring.bytes += bytes;
            while ring.exchanges.len() > self.capacity
                || (ring.bytes > RING_BYTES && ring.exchanges.len() > 1)
            {
                let Some(oldest) = ring.exchanges.pop_front() else {
                    break;
                };
                ring.bytes -= oldest.bytes;
                if ring.spares.len() < SPARES {
                    if let Some(spare) = budget::recycled(oldest.exchange) {
                        ring.spares.push(spare);
                    }
                }
            }
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
    /// allocating or freeing anything. Only a small room is kept: a string that
    /// held a long value gives the rest back (`budget::recycled`).
    pub fn blank(&self) -> Exchange {
        self.lock().spares.pop().unwrap_or_else(blank)
    }

    /// A page of the kept exchanges with an id above `id`, oldest first: `limit` of
    /// them at most, and no more than [`PAGE_BYTES`] (but at least one). They are
    /// shared, so the lock is held only to take them, not to write them out.
    pub fn since(&self, id: u64, limit: usize) -> Vec<Arc<Exchange>> {
        let ring = self.lock();
        // Ids only grow from the front of the ring to its back.
        let first = ring
            .exchanges
            .partition_point(|kept| kept.exchange.id <= id);
        let mut page = Vec::new();
        let mut bytes = 0;
        for kept in ring.exchanges.range(first..).take(limit) {
            bytes += kept.bytes;
            if bytes > PAGE_BYTES && !page.is_empty() {
                break;
            }
            page.push(Arc::clone(&kept.exchange));
        }
        page
    }

    /// How much the ring holds, against its budgets.
    pub fn stats(&self) -> RecorderStats {
        let ring = self.lock();
        RecorderStats {
            capacity: self.capacity,
            byte_budget: RING_BYTES,
            value_budget: MAX_VALUE_BYTES,
            kept: ring.exchanges.len(),
            bytes: ring.bytes,
            last_id: ring.next_id - 1,
        }
    }

    /// Every exchange recorded from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Exchange>> {
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
