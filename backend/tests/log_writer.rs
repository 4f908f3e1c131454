//! The batched log writer loses no line: not under load, not when the buffer is
//! full, not when the server stops right after answering.

mod common;

use std::io::{self, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use backend::logging::{self, GATHER, MAX_PENDING};
use common::project_config_dir;

/// A sink that keeps what it is given, optionally slowly (a disk or a pipe that
/// lags behind), and counts the `write` calls it gets.
#[derive(Clone, Default)]
struct Sink {
    bytes: Arc<Mutex<Vec<u8>>>,
    writes: Arc<Mutex<usize>>,
    delay: Duration,
}

impl Sink {
    fn text(&self) -> String {
        String::from_utf8(self.bytes.lock().unwrap().clone()).expect("the log is UTF-8")
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        thread::sleep(self.delay);
        *self.writes.lock().unwrap() += 1;
        self.bytes.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn line(thread: usize, n: usize) -> String {
    format!("thread {thread} line {n:06} {}\n", "x".repeat(40))
}

#[test]
fn every_line_of_every_thread_is_written_once_and_in_order_when_the_logs_are_dropped() {
    const THREADS: usize = 4;
    const LINES: usize = 30_000;
    // More than MAX_PENDING in all, into a sink slower than the loggers: some of them
    // must wait for room, and none of their lines may be dropped.
    assert!(THREADS * LINES * line(0, 0).len() > MAX_PENDING);
    let sink = Sink {
        delay: Duration::from_millis(2),
        ..Sink::default()
    };
    let (writer, logs) = logging::batched(sink.clone());
    let writer = Arc::new(Mutex::new(writer));
    let loggers: Vec<_> = (0..THREADS)
        .map(|t| {
            let writer = Arc::clone(&writer);
            thread::spawn(move || {
                for n in 0..LINES {
                    let mut writer = writer.lock().unwrap();
                    writer.write_all(line(t, n).as_bytes()).unwrap();
                    writer.flush().unwrap();
                }
            })
        })
        .collect();
    for logger in loggers {
        logger.join().unwrap();
    }
    drop(logs);

    let text = sink.text();
    for t in 0..THREADS {
        let mine: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(&format!("thread {t} ")))
            .collect();
        let expected: Vec<String> = (0..LINES).map(|n| line(t, n)).collect();
        assert_eq!(
            mine.len(),
            LINES,
            "thread {t}: every line written exactly once"
        );
        assert!(
            mine.iter()
                .zip(&expected)
                .all(|(got, want)| *got == want.trim_end()),
            "thread {t}: its lines in the order it wrote them"
        );
    }
    let writes = *sink.writes.lock().unwrap();
    assert!(
        writes < THREADS * LINES / 100,
        "lines are written in batches: {writes} writes for {} lines",
        THREADS * LINES
    );
}

#[test]
fn flush_returns_only_once_every_earlier_line_is_written() {
    let sink = Sink::default();
    let (mut writer, logs) = logging::batched(sink.clone());
    writer.write_all(b"first\n").unwrap();
    writer.write_all(b"second\n").unwrap();
    let started = Instant::now();
    logs.flush();
    assert_eq!(
        sink.text(),
        "first\nsecond\n",
        "flush writes the pending lines"
    );
    assert!(
        started.elapsed() < GATHER * 10,
        "flush does not wait for the batch to gather: took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_lone_line_is_written_without_a_flush_soon_after_it_is_logged() {
    let sink = Sink::default();
    let (mut writer, _logs) = logging::batched(sink.clone());
    writer.write_all(b"alone\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while sink.text().is_empty() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        sink.text(),
        "alone\n",
        "the writer thread writes a batch once it has gathered"
    );
}

/// The server answers, and is stopped at once (SIGTERM): the lines of the last
/// requests are still waiting in the batch, and must reach stderr all the same.
#[test]
fn the_server_writes_every_decision_line_and_its_last_words_before_it_exits_on_sigterm() {
    use std::io::Read;
    use std::net::TcpStream;

    const REQUESTS: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("backend.log");
    let log_file = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_backend"))
        .env_clear()
        .env("APP_CONFIG_DIR", project_config_dir())
        .env("APP__SERVER__PORT", "0")
        .env("RUST_LOG", "info")
        .current_dir(dir.path())
        .stderr(log_file)
        .spawn()
        .expect("the backend starts");
    let started = Instant::now();
    let port = loop {
        let log = std::fs::read_to_string(&log_path).unwrap();
        if let Some(address) = log.split("listening on http://").nth(1) {
            let address = address.lines().next().unwrap();
            break address.rsplit(':').next().unwrap().to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the backend did not log `listening on` within 30 s:\n{log}"
        );
        thread::sleep(Duration::from_millis(20));
    };

    for n in 0..REQUESTS {
        let mut stream = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
        write!(
            stream,
            "GET /api/items?n={n} HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost:5173\r\n\
             Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "request {n}: {answer}");
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "a graceful stop exits 0, got {status}");

    let log = std::fs::read_to_string(&log_path).unwrap();
    // Logged a moment before the process exits, so only the final flush writes it.
    assert!(
        log.lines().last().is_some_and(|l| l.ends_with("] stopped")),
        "the last line logged, just before exiting, is written:\n{}",
        &log[log.len().saturating_sub(500)..]
    );
    let missing: Vec<usize> = (0..REQUESTS)
        .filter(|n| {
            let words = format!(
                "CORS request GET /api/items?n={n} from http://localhost:5173 -> 200: allowed"
            );
            log.lines().filter(|l| l.ends_with(&words)).count() != 1
        })
        .collect();
    assert!(
        missing.is_empty(),
        "one decision line per request, none lost at shutdown; missing or doubled: {missing:?}\n\
         log tail:\n{}",
        &log[log.len().saturating_sub(2000)..]
    );
}
