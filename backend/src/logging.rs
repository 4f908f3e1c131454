//! The log: env_logger's lines, written to stderr in batches by a thread of their own.
//!
//! At the default level the backend logs one line per CORS decision, so one per
//! request that carries `Origin`. env_logger writes every line with its own `write`
//! system call while the request waits: under load, the largest single cost the
//! backend added to actix-cors (7.5 % of its CPU time; docs/benchmarks.md). Here the
//! request only appends its formatted line to a buffer in memory ([`BatchWriter`],
//! given to env_logger as `Target::Pipe`); a background thread writes what has
//! gathered in one call, [`GATHER`] after the first line of a batch at the latest.
//!
//! No line is ever dropped: when the buffer holds [`MAX_PENDING`] bytes, the next line
//! waits for the thread to write, as a blocking `write` would. [`Logs::flush`] returns
//! once everything logged before it is written, and dropping [`Logs`] flushes and
//! stops the thread: `main` keeps it until it returns, after the server has stopped.
//! Only a process killed outright (SIGKILL) loses its last [`GATHER`] of lines.

use std::io::{self, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How long the first line of a batch waits for others before the batch is written.
pub const GATHER: Duration = Duration::from_millis(20);

/// A batch this large is written without waiting for [`GATHER`] to end.
const BATCH_BYTES: usize = 64 * 1024;

/// Lines waiting to be written at most; beyond it, loggers wait (nothing is dropped).
pub const MAX_PENDING: usize = 4 * 1024 * 1024;

/// env_logger with `filters` (RUST_LOG's syntax), writing to stderr through a
/// [`BatchWriter`]. Keep the returned [`Logs`] until the program ends.
pub fn init(filters: &str) -> Logs {
    let (writer, logs) = batched(io::stderr());
    env_logger::Builder::new()
        .parse_filters(filters)
        // env_logger's layout, `[time LEVEL target] message`, without colours: the
        // lines go to a file or a log collector. Its default format costs three
        // times as much, styling each value, then scanning the line to strip them.
        .format(|buf, record| {
            let time = buf.timestamp();
            writeln!(
                buf,
                "[{time} {:<5} {}] {}",
                record.level(),
                record.target(),
                record.args()
            )
        })
        // The format writes no colour codes. `Always` has env_logger hand the bytes
        // over as they are; any other choice scans each line for codes to strip.
        .write_style(env_logger::WriteStyle::Always)
        .target(env_logger::Target::Pipe(Box::new(writer)))
        .init();
    logs
}

/// A writer that hands its bytes to a thread writing them to `sink` in batches, and
/// the handle that flushes and stops that thread.
pub fn batched(sink: impl Write + Send + 'static) -> (BatchWriter, Logs) {
    let shared = Arc::new(Shared::default());
    let thread = {
        let shared = Arc::clone(&shared);
        thread::Builder::new()
            .name("log-writer".into())
            .spawn(move || write_batches(&shared, sink))
            .expect("cannot start the log writer thread")
    };
    let writer = BatchWriter {
        shared: Arc::clone(&shared),
    };
    (
        writer,
        Logs {
            shared,
            thread: Some(thread),
        },
    )
}

/// The loggers' side: appends to the pending batch. Its `flush` does nothing, since
/// env_logger calls it after every line; [`Logs::flush`] is the one that waits.
pub struct BatchWriter {
    shared: Arc<Shared>,
}

/// The program's side: flushes the log on demand, and for good when dropped.
pub struct Logs {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    /// Wakes the writer thread: a batch began, filled up, or a flush is awaited.
    to_writer: Condvar,
    /// Wakes loggers and flushers: a batch was written.
    to_loggers: Condvar,
}

#[derive(Default)]
struct State {
    pending: Vec<u8>,
    /// Bytes appended and bytes written since the start: a flush waits until the
    /// second reaches what the first was when it began.
    appended: u64,
    written: u64,
    /// Set by a flush: write `pending` now, without gathering.
    flush_to: u64,
    closing: bool,
}

impl State {
    fn write_now(&self) -> bool {
        self.closing || self.flush_to > self.written || self.pending.len() >= BATCH_BYTES
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Blocks until every byte appended before the call is written.
    fn flush(&self) {
        let mut state = self.lock();
        let target = state.appended;
        if state.written >= target {
            return;
        }
        state.flush_to = state.flush_to.max(target);
        self.to_writer.notify_one();
        while state.written < target {
            state = self
                .to_loggers
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

impl Write for BatchWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let shared = &self.shared;
        let mut state = shared.lock();
        while state.pending.len() >= MAX_PENDING && !state.closing {
            state = shared
                .to_loggers
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        let before = state.pending.len();
        state.pending.extend_from_slice(buf);
        state.appended += buf.len() as u64;
        // One wake-up per batch (and one more if it fills up), not one per line.
        if before == 0 || (before < BATCH_BYTES && state.pending.len() >= BATCH_BYTES) {
            shared.to_writer.notify_one();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Logs {
    /// Returns once every line logged before the call is written: call it before
    /// writing to stderr directly, so that the lines keep their order.
    pub fn flush(&self) {
        self.shared.flush();
    }
}

impl Drop for Logs {
    fn drop(&mut self) {
        self.shared.lock().closing = true;
        self.shared.to_writer.notify_one();
        if let Some(thread) = self.thread.take() {
            // The thread writes everything pending before it ends.
            let _ = thread.join();
        }
    }
}

/// The writer thread: waits for a batch to begin, lets it gather, writes it.
fn write_batches(shared: &Shared, mut sink: impl Write) {
    let mut batch = Vec::new();
    let mut state = shared.lock();
    loop {
        while state.pending.is_empty() && !state.closing {
            state = shared
                .to_writer
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        if !state.write_now() {
            state = shared
                .to_writer
                .wait_timeout_while(state, GATHER, |state| !state.write_now())
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        if state.pending.is_empty() && state.closing {
            return;
        }
        std::mem::swap(&mut batch, &mut state.pending);
        drop(state);
        // A log that cannot be written (stderr closed) has nowhere to report it.
        let _ = sink.write_all(&batch).and_then(|()| sink.flush());
        let written = batch.len() as u64;
        batch.clear();
        // After a burst, do not keep a burst's worth of memory.
        batch.shrink_to(BATCH_BYTES);
        state = shared.lock();
        state.written += written;
        shared.to_loggers.notify_all();
    }
}
