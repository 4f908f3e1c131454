//! The three browser engines the suite runs in, each behind one small module:
//! Chromium (chromedriver, console from its logs), Firefox (geckodriver, console
//! over WebDriver BiDi) and WebKit (WebKitWebDriver driving a WebKitGTK browser
//! under Xvfb, console from the browser's stdout).
//!
//! A test asks for an [`Engine`], gets a [`Session`]: a WebDriver client plus a way
//! to read what the engine's console printed. Every engine words a CORS failure its
//! own way, so the console is read per engine and compared with that engine's words.

mod chromium;
mod firefox;
mod webkit;

use std::future::Future;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::Client;

use crate::devtools::{ConsoleEntry, Logs};
use crate::Running;

/// The project's one list of engines, from the rules crate, which holds each
/// engine's words; this module starts them.
pub use cors_rules::browser::Engine;

/// `chromium`, `firefox`, `webkit`: the engine's name in file and test names.
pub fn slug(engine: Engine) -> String {
    engine.name().to_ascii_lowercase()
}

/// Starts the engine's driver and opens a session with a fresh profile.
pub async fn start(engine: Engine) -> Browser {
    match engine {
        Engine::Chromium => chromium::start().await,
        Engine::Firefox => firefox::start().await,
        Engine::WebKit => webkit::start().await,
    }
}

/// Writes one test per engine, named after it, each running `$test(engine)`: e.g.
/// `in_every_engine!(cards_show_outcomes, check_cards);` gives the tests
/// `cards_show_outcomes::chromium`, `::firefox` and `::webkit`. An engine that
/// cannot start fails its test: none is skipped.
#[macro_export]
macro_rules! in_every_engine {
    ($name:ident, $test:path) => {
        mod $name {
            #[tokio::test]
            async fn chromium() {
                $test($crate::Engine::Chromium).await
            }
            #[tokio::test]
            async fn firefox() {
                $test($crate::Engine::Firefox).await
            }
            #[tokio::test]
            async fn webkit() {
                $test($crate::Engine::WebKit).await
            }
        }
    };
}

/// How a session's console lines are read.
#[derive(Clone)]
pub(crate) enum Console {
    /// chromedriver's `browser` and `performance` logs (see `crate::devtools`).
    Chromedriver,
    /// Entries pushed by a task listening to WebDriver BiDi's `log.entryAdded`.
    Collected(Arc<Mutex<Vec<ConsoleEntry>>>),
    /// Lines the browser printed to the driver's output (`log`), read up to byte
    /// `read` so far.
    Printed { log: PathBuf, read: Arc<Mutex<u64>> },
}

/// A running engine: its driver process and the session opened on it.
pub struct Browser {
    pub session: Session,
    pub(crate) _driver: Running,
    pub(crate) _profile: Option<tempfile::TempDir>,
}

impl Browser {
    /// Ends the session; the driver (and whatever it started) stops when dropped.
    pub async fn close(self) {
        let _ = self.session.client.clone().close().await;
    }
}

/// What a test holds: the WebDriver client, and the engine's console.
#[derive(Clone)]
pub struct Session {
    pub engine: Engine,
    /// The browser's version, as its driver reported it (`browserVersion`).
    pub version: String,
    pub client: Client,
    pub(crate) console: Console,
}

impl Session {
    /// What the engine logged since the last call: console lines, and for Chromium
    /// the Network panel's CORS failures. Reading empties the engine's log.
    pub async fn drain_logs(&self) -> Logs {
        match &self.console {
            Console::Chromedriver => crate::devtools::drain_logs(&self.client).await,
            Console::Collected(entries) => Logs {
                console: std::mem::take(&mut *entries.lock().unwrap()),
                cors: Vec::new(),
            },
            Console::Printed { log, read } => Logs {
                console: webkit::read_printed(log, read),
                cors: Vec::new(),
            },
        }
    }

    /// Everything the engine logs from now until it has been quiet for half a
    /// second (at most 10 s): Firefox's and WebKit's lines arrive a moment after
    /// the page saw its error.
    pub async fn settled_logs(&self) -> Logs {
        let mut logs = self.drain_logs().await;
        let started = Instant::now();
        let mut quiet_since = Instant::now();
        while quiet_since.elapsed() < Duration::from_millis(500)
            && started.elapsed() < Duration::from_secs(10)
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let later = self.drain_logs().await;
            if !later.console.is_empty() || !later.cors.is_empty() {
                quiet_since = Instant::now();
            }
            logs.append(later);
        }
        logs
    }
}

/// Runs `test` in a fresh `engine` session and closes it afterwards, also when
/// `test` panics. A failure names the engine.
pub async fn with_engine<F, Fut>(engine: Engine, test: F)
where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let browser = start(engine).await;
    let outcome = tokio::spawn(test(browser.session.clone())).await;
    browser.close().await;
    if let Err(error) = outcome {
        eprintln!("the test failed in {engine}");
        std::panic::resume_unwind(error.into_panic());
    }
}

/// The `browserVersion` the driver reported when the session opened.
pub(crate) fn browser_version(client: &Client) -> String {
    client
        .capabilities()
        .and_then(|capabilities| capabilities.get("browserVersion"))
        .and_then(|version| version.as_str())
        .unwrap_or("(unknown version)")
        .to_string()
}

/// A port nobody listens on right now.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `program` on the PATH, or a panic naming the packages that install it.
pub(crate) fn which(program: &str, install: &str) -> PathBuf {
    find_on_path(program).unwrap_or_else(|| {
        panic!("{program} is not installed: run scripts/install-browsers.sh ({install})")
    })
}

pub(crate) fn find_on_path(program: &str) -> Option<PathBuf> {
    let home_bin = std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo/bin"));
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .chain(home_bin)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}
