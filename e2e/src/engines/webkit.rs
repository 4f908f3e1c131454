//! WebKit, Safari's engine, as WebKitGTK ships it on Linux: WebKitWebDriver
//! drives a WebKitGTK browser on a virtual X display (`xvfb-run`), since WebKitGTK
//! has no headless mode.
//!
//! The browser is not the packaged MiniBrowser but `e2e/webkit/console-browser.py`,
//! the same engine through PyGObject, because of the console:
//! - WebKitGTK writes console messages to stdout when the `WebKitSettings`
//!   property `enable-write-console-messages-to-stdout` is on, but never for an
//!   ephemeral (private) session, and `MiniBrowser --automation` always uses one:
//!   under WebKitWebDriver it prints nothing, with or without
//!   `--enable-write-console-messages-to-stdout=true`.
//! - WebKitWebDriver 2.50 as Debian builds it refuses `webSocketUrl: true` (no
//!   WebDriver BiDi) and has no log endpoint.
//! - The Web Inspector's HTTP server (`WEBKIT_INSPECTOR_HTTP_SERVER`) replaces the
//!   inspector socket WebKitWebDriver drives the browser through: the session
//!   never opens.
//!
//! The console browser keeps its session in a temporary directory instead, so
//! WebKit prints every console line to its stdout, which is the driver's output
//! here: [`parse_printed`] reads it.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use super::{browser_version, free_port, which, Browser, Console, Engine, Session};
use crate::devtools::ConsoleEntry;
use crate::programs::workspace_root;
use crate::Running;

/// WebKitWebDriver under `xvfb-run` on a free port, and a console-browser session.
pub(super) async fn start() -> Browser {
    let port = free_port();
    let xvfb_run = which("xvfb-run", "apt-get install xvfb");
    let webdriver = which("WebKitWebDriver", "apt-get install webkit2gtk-driver");
    let mut command = Command::new(xvfb_run);
    command
        .args(["-a", "-s", "-screen 0 1280x2000x24"])
        .arg(webdriver)
        .arg(format!("--port={port}"));
    let mut driver = Running::spawn_named("WebKitWebDriver", command);
    driver.wait_until_serving(&format!("http://127.0.0.1:{port}/status"));

    let browser = workspace_root().join("e2e/webkit/console-browser.py");
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "webkitgtk:browserOptions".into(),
        json!({ "binary": browser, "args": ["--automation"] }),
    );
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "no WebKit session (needs python3-gi and gir1.2-webkit2-4.1: run \
                 scripts/install-browsers.sh): {e}\n{}",
                driver.output()
            )
        });
    Browser {
        session: Session {
            engine: Engine::WebKit,
            version: browser_version(&client),
            client,
            console: Console::Printed {
                log: driver.log_path(),
                read: Arc::new(Mutex::new(0)),
            },
        },
        _driver: driver,
        _profile: None,
    }
}

/// The console lines printed to `log` since byte `read`, which moves past them.
pub(crate) fn read_printed(log: &Path, read: &Mutex<u64>) -> Vec<ConsoleEntry> {
    let mut read = read.lock().unwrap();
    let mut text = String::new();
    if let Ok(mut file) = std::fs::File::open(log) {
        let _ = file.seek(SeekFrom::Start(*read));
        let _ = file.read_to_string(&mut text);
    }
    // A line still being written is read next time.
    let complete = text.rfind('\n').map_or(0, |end| end + 1);
    *read += complete as u64;
    parse_printed(&text[..complete])
}

/// WebKitGTK's stdout console lines, among whatever else the driver printed:
/// `[<url>:<line>:<column>: ]CONSOLE [<SOURCE> ]<LEVEL> <text>`, e.g.
/// `CONSOLE SECURITY ERROR Origin http://localhost:5173 is not allowed by
/// Access-Control-Allow-Origin. Status code: 200`; `console.*` calls name no
/// source (`CONSOLE LOG hello`). The level becomes chromedriver's spelling
/// (`SEVERE`, `WARNING`, `INFO`, `DEBUG`), the text is what Web Inspector's console
/// shows.
pub(crate) fn parse_printed(output: &str) -> Vec<ConsoleEntry> {
    const LEVELS: [(&str, &str); 5] = [
        ("ERROR", "SEVERE"),
        ("WARN", "WARNING"),
        ("LOG", "INFO"),
        ("INFO", "INFO"),
        ("DEBUG", "DEBUG"),
    ];
    let level_of = |word: &str| {
        LEVELS
            .iter()
            .find(|(printed, _)| *printed == word)
            .map(|l| l.1)
    };
    output
        .lines()
        .filter_map(|line| {
            let at = line.find("CONSOLE ")?;
            let rest = &line[at + "CONSOLE ".len()..];
            let (first, after_first) = rest.split_once(' ')?;
            let (level, text) = match level_of(first) {
                Some(level) => (level, after_first),
                None => {
                    let (second, text) = after_first.split_once(' ')?;
                    (level_of(second)?, text)
                }
            };
            Some(ConsoleEntry {
                level: level.into(),
                message: line.to_string(),
                text: text.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_lines_are_found_among_the_drivers_output() {
        let output = "\
WebKitWebDriver: started
http://localhost:5173/:2:12: CONSOLE LOG hello from page
CONSOLE SECURITY ERROR Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 404
CONSOLE JS ERROR Fetch API cannot load http://localhost:8000/x?lab_run=t1 due to access control checks.
";
        let entries = parse_printed(output);
        let texts: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.level.as_str(), e.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("INFO", "hello from page"),
                (
                    "SEVERE",
                    "Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. Status code: 404"
                ),
                (
                    "SEVERE",
                    "Fetch API cannot load http://localhost:8000/x?lab_run=t1 due to access control checks."
                ),
            ]
        );
    }

    #[test]
    fn a_half_written_line_waits_for_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("driver.log");
        std::fs::write(&log, "CONSOLE JS ERROR one\nCONSOLE JS ERR").unwrap();
        let read = Mutex::new(0);
        assert_eq!(read_printed(&log, &read).len(), 1);
        std::fs::write(&log, "CONSOLE JS ERROR one\nCONSOLE JS ERROR two\n").unwrap();
        let later = read_printed(&log, &read);
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].text, "two");
    }

    #[test]
    fn the_console_browser_is_where_the_suite_expects_it() {
        let browser = workspace_root().join("e2e/webkit/console-browser.py");
        assert!(browser.is_file(), "{} is missing", browser.display());
    }
}
