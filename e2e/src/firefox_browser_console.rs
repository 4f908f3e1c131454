//! Firefox's Browser Console: every message Firefox logged, also those tied to
//! no page. WebDriver BiDi's `log.entryAdded` forwards only a page's own lines.
//! Some network warnings have no page, so a test reads them here.
//!
//! It switches the session to Firefox's "chrome" context (the browser's own
//! code), which geckodriver allows only with `--allow-system-access` (see
//! `engines::firefox`), reads the messages, and switches back.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use reqwest::{Method, Url};
use serde_json::json;

type ParseError = <Url as std::str::FromStr>::Err;

/// geckodriver's `POST /session/{id}/moz/context`: `chrome` or `content`.
#[derive(Debug)]
struct SetContext(&'static str);

impl WebDriverCompatibleCommand for SetContext {
    fn endpoint(&self, base: &Url, session: Option<&str>) -> Result<Url, ParseError> {
        base.join(&format!(
            "session/{}/moz/context",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &Url) -> (Method, Option<String>) {
        let body = json!({ "context": self.0 }).to_string();
        (Method::POST, Some(body))
    }
}

/// The text of every message in Firefox's Browser Console, oldest first.
pub async fn messages(client: &Client) -> Vec<String> {
    client
        .issue_cmd(SetContext("chrome"))
        .await
        .expect("geckodriver switches to the chrome context");
    let script = "return Services.console.getMessageArray().map((m) =>
        m instanceof Ci.nsIScriptError ? m.errorMessage : m.message)";
    let read = client.execute(script, vec![]).await;
    client
        .issue_cmd(SetContext("content"))
        .await
        .expect("geckodriver switches back to the page");
    let read = read.expect("the Browser Console is readable");
    read.as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m.as_str().map(String::from))
        .collect()
}
