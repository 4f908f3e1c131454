//! Headless Firefox ESR, driven by geckodriver. Firefox's console reaches no
//! WebDriver log; it arrives over WebDriver BiDi instead: the session is opened
//! with `webSocketUrl: true`, and a task subscribed to `log.entryAdded` on that
//! WebSocket keeps every entry until the test reads them.

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fantoccini::ClientBuilder;
use futures_util::{SinkExt, StreamExt};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use super::{browser_version, free_port, which, Browser, Console, Engine, Session};
use crate::devtools::ConsoleEntry;
use crate::Running;

/// geckodriver and a Firefox session, with a task collecting its console.
pub(super) async fn start() -> Browser {
    let port = free_port();
    let mut command = Command::new(which("geckodriver", "cargo install geckodriver"));
    command.args([
        format!("--port={port}"),
        // Lets a test read the Browser Console (crate::firefox_browser_console).
        "--allow-system-access".to_string(),
        // BiDi's WebSocket: not the fixed default 9222, which a second
        // geckodriver (or a debugging Chromium) may hold.
        format!("--websocket-port={}", free_port()),
    ]);
    let mut driver = Running::spawn_named("geckodriver", command);
    driver.wait_until_serving(&format!("http://127.0.0.1:{port}/status"));

    let binary = which("firefox-esr", "apt-get install firefox-esr");
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "moz:firefoxOptions".into(),
        json!({ "binary": binary, "args": ["-headless", "-width=1280", "-height=2000"] }),
    );
    capabilities.insert("webSocketUrl".into(), json!(true));
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap_or_else(|e| panic!("no Firefox session: {e}\n{}", driver.output()));
    let url = client
        .capabilities()
        .and_then(|caps| caps.get("webSocketUrl"))
        .and_then(Value::as_str)
        .unwrap_or_else(|| {
            panic!(
                "Firefox returned no webSocketUrl: {:?}",
                client.capabilities()
            )
        })
        .to_string();
    let entries = subscribe_to_console(&url).await;
    Browser {
        session: Session {
            engine: Engine::Firefox,
            version: browser_version(&client),
            client,
            console: Console::Collected(entries),
        },
        _driver: driver,
        _profile: None,
    }
}

/// Subscribes to `log.entryAdded` over BiDi and returns where the entries land.
/// Returns once Firefox confirmed the subscription, so that nothing the test does
/// next goes unlogged.
async fn subscribe_to_console(url: &str) -> Arc<Mutex<Vec<ConsoleEntry>>> {
    let (mut socket, _) = tokio_tungstenite::connect_async(url)
        .await
        .unwrap_or_else(|e| panic!("no BiDi connection to {url}: {e}"));
    let subscribe = json!({
        "id": 1,
        "method": "session.subscribe",
        "params": { "events": ["log.entryAdded"] },
    });
    socket
        .send(Message::text(subscribe.to_string()))
        .await
        .expect("the subscription is sent");
    let confirmed = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(message)) = socket.next().await {
            let reply: Value =
                serde_json::from_str(message.to_text().unwrap_or("")).unwrap_or_default();
            if reply["id"] == 1 {
                return reply;
            }
        }
        Value::Null
    })
    .await
    .unwrap_or_default();
    assert_eq!(
        confirmed["type"], "success",
        "Firefox refused to subscribe to log.entryAdded: {confirmed}"
    );
    let entries = Arc::new(Mutex::new(Vec::new()));
    let sink = entries.clone();
    tokio::spawn(async move {
        while let Some(Ok(message)) = socket.next().await {
            let Ok(text) = message.to_text() else {
                continue;
            };
            if let Some(entry) = serde_json::from_str(text)
                .ok()
                .as_ref()
                .and_then(parse_event)
            {
                sink.lock().unwrap().push(entry);
            }
        }
    });
    entries
}

/// A `log.entryAdded` event as a console entry: `{"type": "event", "method":
/// "log.entryAdded", "params": {"type": "javascript" | "console", "level": "error"
/// | "warn" | "info" | "debug", "text", "source", "timestamp", …}}`. Firefox's
/// network-security messages (CORS among them) are `javascript` entries.
pub(crate) fn parse_event(event: &Value) -> Option<ConsoleEntry> {
    if event["method"] != "log.entryAdded" {
        return None;
    }
    let params = &event["params"];
    let text = params["text"].as_str()?.to_string();
    Some(ConsoleEntry {
        level: params["level"].as_str().unwrap_or_default().to_string(),
        message: format!("{} {text}", params["type"].as_str().unwrap_or_default()),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_entry_becomes_a_console_entry_with_firefoxs_level_and_text() {
        let text = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading \
                    the remote resource at http://localhost:8000/api/items?lab_run=t1. \
                    (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.";
        let event = json!({
            "type": "event",
            "method": "log.entryAdded",
            "params": {
                "type": "javascript",
                "level": "error",
                "source": { "realm": "r1", "context": "c1" },
                "text": text,
                "timestamp": 1_764_532_000_000_u64,
            },
        });
        assert_eq!(
            parse_event(&event),
            Some(ConsoleEntry {
                level: "error".into(),
                message: format!("javascript {text}"),
                text: text.into(),
            })
        );
    }

    #[test]
    fn other_messages_are_not_console_entries() {
        let reply = json!({ "type": "success", "id": 1, "result": {} });
        let other = json!({ "type": "event", "method": "browsingContext.load", "params": {} });
        assert_eq!(parse_event(&reply), None);
        assert_eq!(parse_event(&other), None);
    }
}
