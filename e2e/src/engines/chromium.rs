//! Headless Chromium, driven by chromedriver. Its console and its Network panel's
//! CORS failures are chromedriver's `browser` and `performance` logs.

use std::process::Command;

use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use super::{browser_version, find_on_path, free_port, which, Browser, Console, Engine, Session};
use crate::Running;

/// Flags that let Chromium run headless as root in a container, with nothing
/// phoning home.
const FLAGS: [&str; 9] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,2000",
];

/// chromedriver on a free port, and a Chromium session with an empty profile.
pub(super) async fn start() -> Browser {
    let port = free_port();
    let mut command = Command::new(which("chromedriver", "apt-get install chromium-driver"));
    command.arg(format!("--port={port}"));
    let mut driver = Running::spawn_named("chromedriver", command);
    driver.wait_until_serving(&format!("http://127.0.0.1:{port}/status"));

    let profile = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = FLAGS.iter().map(|f| f.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    let mut options = json!({ "args": args });
    // Debian installs Chromium as /usr/bin/chromium, which chromedriver may not
    // look for.
    if let Some(binary) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(find_on_path)
    {
        options["binary"] = json!(binary);
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    // Keeps what DevTools would show, for `crate::devtools` to read: the console
    // ("browser") and the network events ("performance").
    capabilities.insert(
        "goog:loggingPrefs".into(),
        json!({ "browser": "ALL", "performance": "ALL" }),
    );
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("no Chromium session: {e}\n{}", driver.output()));
    Browser {
        session: Session {
            engine: Engine::Chromium,
            version: browser_version(&client),
            client,
            console: Console::Chromedriver,
        },
        _driver: driver,
        _profile: Some(profile),
    }
}
