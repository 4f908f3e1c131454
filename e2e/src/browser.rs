//! Headless Chromium, driven over WebDriver by chromedriver.

use std::future::Future;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::programs::workspace_root;
use crate::Running;

/// Flags that let Chromium run headless as root in a container, with nothing
/// phoning home.
const CHROMIUM_FLAGS: [&str; 9] = [
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

pub struct Browser {
    pub client: Client,
    _driver: Running,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// chromedriver on a free port, and a fresh Chromium session with an empty profile.
    pub async fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let chromedriver = which("chromedriver");
        let mut command = Command::new(chromedriver);
        command.arg(format!("--port={port}"));
        let mut driver = Running::spawn_named("chromedriver", command);
        driver.wait_until_serving(&format!("http://127.0.0.1:{port}/status"));

        let profile = tempfile::tempdir().unwrap();
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut options = json!({ "args": args });
        if let Some(binary) = chromium() {
            options["binary"] = json!(binary);
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        // Keeps what DevTools would show, for `crate::devtools` to read: the
        // console ("browser") and the network events ("performance").
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
            client,
            _driver: driver,
            _profile: profile,
        }
    }

    /// Ends the session; chromedriver is stopped when the `Browser` is dropped.
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Runs `test` with a fresh browser and closes it afterwards, also when `test` panics.
pub async fn with_browser<F, Fut>(test: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let browser = Browser::start().await;
    let outcome = tokio::spawn(test(browser.client.clone())).await;
    browser.close().await;
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

/// Waits for the element `css`, up to 20 s.
pub async fn find(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css:?} on the page: {e}"))
}

/// An attribute of the element with `data-testid="<test_id>"` (empty when absent),
/// once it is on the page.
pub async fn attribute(client: &Client, test_id: &str, name: &str) -> String {
    let element = find(client, &format!("[data-testid='{test_id}']")).await;
    element
        .attr(name)
        .await
        .expect("an attribute")
        .unwrap_or_default()
}

/// The text of the element with `data-testid="<test_id>"`, once it is on the page.
pub async fn text(client: &Client, test_id: &str) -> String {
    let element = find(client, &format!("[data-testid='{test_id}']")).await;
    element.text().await.expect("the element's text")
}

/// Saves a PNG of the page: into `docs/screenshots/` when
/// `CORS_LAB_UPDATE_SCREENSHOTS=1`, otherwise into the target folder.
pub async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let png = client.screenshot().await.expect("a screenshot");
    let dir = if std::env::var("CORS_LAB_UPDATE_SCREENSHOTS").as_deref() == Ok("1") {
        workspace_root().join("docs/screenshots")
    } else {
        let exe = std::env::current_exe().unwrap();
        exe.ancestors().nth(2).unwrap().join("screenshots")
    };
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap();
    path
}

fn which(program: &str) -> PathBuf {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!("{program} is not installed: apt-get install chromium chromium-driver")
        })
}

/// Debian installs Chromium as /usr/bin/chromium, which chromedriver may not look for.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|path| {
                std::env::split_paths(&path)
                    .map(|dir| dir.join(name))
                    .find(|candidate| candidate.is_file())
            })
        })
}
