//! What Chromium's DevTools shows about a page, read from chromedriver's logs: the
//! console (`browser` log) and the network's CORS failures (`performance` log).
//!
//! The Chromium engine (`crate::engines`) asks for both logs (`goog:loggingPrefs`).
//! chromedriver hands out each log entry once: reading a log drains it. Read both
//! with [`drain_logs`] and keep what you read ([`Logs::append`]) if you need it
//! again. Firefox's and WebKit's consoles fill the same [`Logs`] (console only).
//!
//! The parsing is pure (`parse_*`, [`console_text`]) and tested on entries captured
//! from Debian's Chromium 156 with its chromedriver.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
// The same `http` 1 and `url` 2 types fantoccini's trait is written with,
// re-exported by reqwest (which this crate already depends on).
use reqwest::{Method, Url};
use serde_json::{json, Value};
use std::collections::HashMap;

type ParseError = <Url as std::str::FromStr>::Err;

/// One line of the DevTools console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleEntry {
    /// chromedriver's level: `SEVERE` (console errors), `WARNING`, `INFO`, `DEBUG`.
    pub level: String,
    /// The entry as chromedriver wrote it, prefix included.
    pub message: String,
    /// The line as DevTools' console shows it: without chromedriver's prefix
    /// (source URL, `line:column`) and, for `console.*` calls, without the JSON
    /// quoting of string arguments. Objects stay as chromedriver describes them
    /// (`Object`, `Array(2)`), since the log does not carry their contents.
    pub text: String,
}

/// A request the browser failed because of CORS, as the Network panel records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorsFailure {
    /// The URL the page asked for.
    pub url: String,
    /// `corsErrorStatus.corsError`, e.g. `MissingAllowOriginHeader`,
    /// `PreflightMissingAllowOriginHeader`, `MethodDisallowedByPreflightResponse`.
    pub cors_error: String,
    /// `corsErrorStatus.failedParameter`: the method or header at fault, often empty.
    pub failed_parameter: String,
}

/// Both logs, read at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Logs {
    pub console: Vec<ConsoleEntry>,
    pub cors: Vec<CorsFailure>,
}

impl Logs {
    /// Adds what a later [`drain_logs`] read.
    pub fn append(&mut self, later: Logs) {
        self.console.extend(later.console);
        self.cors.extend(later.cors);
    }

    /// The console lines that mention `needle`, e.g. `lab_run=e2e3`, in their text or
    /// in chromedriver's prefix: a blocked fetch's CORS error names the URL in its
    /// text, the `Failed to load resource` line that follows it in its prefix.
    pub fn console_about(&self, needle: &str) -> Vec<&ConsoleEntry> {
        self.console
            .iter()
            .filter(|entry| entry.text.contains(needle) || entry.message.contains(needle))
            .collect()
    }

    /// The CORS failures of requests whose URL contains `needle`, e.g. `lab_run=e2e3`.
    pub fn cors_about(&self, needle: &str) -> Vec<&CorsFailure> {
        self.cors
            .iter()
            .filter(|failure| failure.url.contains(needle))
            .collect()
    }
}

/// Reads (and so empties) both logs.
pub async fn drain_logs(client: &Client) -> Logs {
    Logs {
        console: console_lines(client).await,
        cors: cors_failures(client).await,
    }
}

/// Reads (and so empties) the console log. Empties the `browser` log only.
pub async fn console_lines(client: &Client) -> Vec<ConsoleEntry> {
    parse_console(&read_log(client, "browser").await)
}

/// Reads (and so empties) the network log, keeping the CORS failures.
pub async fn cors_failures(client: &Client) -> Vec<CorsFailure> {
    parse_cors_failures(&read_log(client, "performance").await)
}

/// chromedriver's (pre-W3C, still served) "get log" command.
#[derive(Debug)]
struct GetLog(&'static str);

impl WebDriverCompatibleCommand for GetLog {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, ParseError> {
        let session = session_id.expect("a WebDriver session");
        base_url.join(&format!("session/{session}/se/log"))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        (Method::POST, Some(json!({ "type": self.0 }).to_string()))
    }
}

async fn read_log(client: &Client, kind: &'static str) -> Value {
    client
        .issue_cmd(GetLog(kind))
        .await
        .unwrap_or_else(|e| panic!("chromedriver did not hand out the {kind:?} log: {e}"))
}

/// The console lines in a `browser` log: a JSON array of
/// `{"level", "message", "source", "timestamp"}`.
pub fn parse_console(log: &Value) -> Vec<ConsoleEntry> {
    entries(log)
        .map(|entry| {
            let field = |name: &str| entry[name].as_str().unwrap_or_default().to_string();
            let message = field("message");
            ConsoleEntry {
                level: field("level"),
                text: console_text(&message, &field("source")),
                message,
            }
        })
        .collect()
}

/// What DevTools shows for a chromedriver console `message` from `source`.
///
/// chromedriver writes `<url or source> [<line>[:<column>]] <text>`, or
/// `<url> - <text>` when it has no position:
///
/// - `http://localhost:5173/ - Access to fetch at '…' from origin '…' has been blocked …`
/// - `http://localhost:8000/api/items - Failed to load resource: net::ERR_FAILED`
/// - `javascript 2:48 Uncaught TypeError: …`
/// - `console-api 3:20 "hello" 1 Object` (`console.*` calls; the source is the
///   script's URL when it has one): each argument as JSON when it has a value
///   (strings quoted and escaped), else its description (`Object`).
pub fn console_text(message: &str, source: &str) -> String {
    let Some((_origin, rest)) = message.split_once(' ') else {
        return message.to_string();
    };
    let text = if let Some(text) = rest.strip_prefix("- ") {
        text
    } else {
        match rest.split_once(' ') {
            Some((position, text)) if is_position(position) => text,
            None if is_position(rest) => "",
            _ => rest,
        }
    };
    if source == "console-api" {
        console_arguments(text)
    } else {
        text.to_string()
    }
}

/// `12` or `12:34`.
fn is_position(word: &str) -> bool {
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    match word.split_once(':') {
        Some((line, column)) => digits(line) && digits(column),
        None => digits(word),
    }
}

/// The arguments of a `console.*` call, strings unquoted, joined by spaces.
fn console_arguments(mut text: &str) -> String {
    let mut shown = Vec::new();
    while !text.is_empty() {
        let decoded = text.starts_with('"').then(|| {
            let mut strings = serde_json::Deserializer::from_str(text).into_iter::<String>();
            match strings.next() {
                Some(Ok(string)) => Some((string, strings.byte_offset())),
                _ => None,
            }
        });
        let (argument, length) = match decoded.flatten() {
            Some((string, length)) => (string, length),
            None => {
                let length = text.find(' ').unwrap_or(text.len());
                (text[..length].to_string(), length)
            }
        };
        shown.push(argument);
        text = text[length..].strip_prefix(' ').unwrap_or(&text[length..]);
    }
    shown.join(" ")
}

/// The CORS failures in a `performance` log: entries whose `message` is the JSON
/// text `{"message": {"method", "params"}, "webview"}` of a DevTools event. A
/// `Network.loadingFailed` with `corsErrorStatus` names its request by
/// `requestId`; the URL comes from that request's `Network.requestWillBeSent`.
pub fn parse_cors_failures(log: &Value) -> Vec<CorsFailure> {
    let mut urls: HashMap<String, String> = HashMap::new();
    let mut failures = Vec::new();
    for entry in entries(log) {
        let Some(event) = entry["message"]
            .as_str()
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
        else {
            continue;
        };
        let event = &event["message"];
        let params = &event["params"];
        let id = params["requestId"].as_str().unwrap_or_default().to_string();
        match event["method"].as_str() {
            Some("Network.requestWillBeSent") => {
                let url = params["request"]["url"].as_str().unwrap_or_default();
                urls.insert(id, url.to_string());
            }
            Some("Network.loadingFailed") => {
                let status = &params["corsErrorStatus"];
                if let Some(cors_error) = status["corsError"].as_str() {
                    failures.push(CorsFailure {
                        url: urls.get(&id).cloned().unwrap_or_default(),
                        cors_error: cors_error.to_string(),
                        failed_parameter: status["failedParameter"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    failures
}

fn entries(log: &Value) -> impl Iterator<Item = &Value> {
    log.as_array().into_iter().flatten()
}

/// `line` with the value of every `lab_run=` query parameter replaced by `…`, so that
/// a line can be compared whatever tag the run had:
/// `…/api/items?lab_run=e2e3&x=1` becomes `…/api/items?lab_run=…&x=1`.
/// The value ends before the first character a tag cannot hold (a tag has letters,
/// digits, `-` and `_`): `&`, `#`, a quote, whitespace, the period after Firefox's
/// URL, or the end.
pub fn without_lab_run(line: &str) -> String {
    const KEY: &str = "lab_run=";
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(KEY) {
        let after_key = at + KEY.len();
        let is_parameter = rest[..at].ends_with(['?', '&']);
        out.push_str(&rest[..after_key]);
        rest = &rest[after_key..];
        if is_parameter {
            let end = rest
                .find(|c: char| !crate::words::is_tag_char(c))
                .unwrap_or(rest.len());
            out.push('…');
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Logs as chromedriver handed them out (Debian's Chromium 156), in
    // `devtools/`:
    // - browser-log-production.json: a page on http://localhost:5173 under the
    //   production backend: a console.log with several arguments, then a blocked GET
    //   and a blocked preflighted PUT to http://localhost:8000/api/items?lab_run=probe-1;
    // - browser-log-console.json: a page on http://localhost:18123 (python's
    //   http.server, no favicon) calling another without CORS headers: console.log,
    //   console.warn, console.error, the blocked fetches, an uncaught error;
    // - performance-log.json: the DevTools events of the production run's two
    //   fetches (the PUT's preflight is a request of its own), after two events of
    //   the start page: a navigation that failed without CORS, a document request.
    const PRODUCTION: &str = include_str!("devtools/browser-log-production.json");
    const CONSOLE: &str = include_str!("devtools/browser-log-console.json");
    const PERFORMANCE: &str = include_str!("devtools/performance-log.json");

    const BLOCKED_GET: &str = "Access to fetch at \
        'http://localhost:8000/api/items?lab_run=probe-1' from origin \
        'http://localhost:5173' has been blocked by CORS policy: No \
        'Access-Control-Allow-Origin' header is present on the requested resource.";
    const BLOCKED_PUT: &str = "Access to fetch at \
        'http://localhost:8000/api/items?lab_run=probe-1' from origin \
        'http://localhost:5173' has been blocked by CORS policy: Response to preflight \
        request doesn't pass access control check: No 'Access-Control-Allow-Origin' \
        header is present on the requested resource.";

    fn console(log: &str) -> Vec<ConsoleEntry> {
        parse_console(&serde_json::from_str(log).unwrap())
    }

    fn levels_and_texts(log: &str) -> Vec<(String, String)> {
        console(log)
            .into_iter()
            .map(|entry| (entry.level, entry.text))
            .collect()
    }

    fn pair(level: &str, text: &str) -> (String, String) {
        (level.to_string(), text.to_string())
    }

    #[test]
    fn the_console_of_the_production_run_reads_as_devtools_shows_it() {
        assert_eq!(
            levels_and_texts(PRODUCTION),
            vec![
                pair("INFO", "hello 1 Object it's \"quoted\"\nnew line"),
                pair("SEVERE", BLOCKED_GET),
                pair("SEVERE", "Failed to load resource: net::ERR_FAILED"),
                pair("SEVERE", BLOCKED_PUT),
                pair("SEVERE", "Failed to load resource: net::ERR_FAILED"),
            ]
        );
    }

    #[test]
    fn a_console_entry_keeps_the_message_as_chromedriver_wrote_it() {
        assert_eq!(
            console(PRODUCTION)[1].message,
            format!("http://localhost:5173/ - {BLOCKED_GET}")
        );
        assert_eq!(
            console(PRODUCTION)[2].message,
            "http://localhost:8000/api/items?lab_run=probe-1 - \
             Failed to load resource: net::ERR_FAILED"
        );
    }

    #[test]
    fn console_calls_lose_their_position_and_the_quotes_of_their_strings() {
        let entries = levels_and_texts(CONSOLE);
        assert_eq!(
            entries[1],
            pair("INFO", "hello 1 Object it's \"quoted\"\nnew line")
        );
        assert_eq!(entries[2], pair("WARNING", "warned"));
        assert_eq!(entries[3], pair("SEVERE", "an error with 'single' quotes"));
    }

    #[test]
    fn network_messages_lose_their_url_and_dash() {
        assert_eq!(
            levels_and_texts(CONSOLE)[0],
            pair(
                "SEVERE",
                "Failed to load resource: the server responded with a status of 404 (File not found)"
            )
        );
    }

    #[test]
    fn uncaught_errors_lose_their_source_and_position() {
        assert_eq!(
            levels_and_texts(CONSOLE)[8],
            pair(
                "SEVERE",
                "Uncaught TypeError: Cannot read properties of null (reading 'x')"
            )
        );
    }

    #[test]
    fn a_message_without_a_known_prefix_loses_only_its_first_word() {
        assert_eq!(console_text("alone", "other"), "alone");
        assert_eq!(console_text("origin the rest", "other"), "the rest");
        assert_eq!(console_text("script.js 12 text", "javascript"), "text");
        assert_eq!(console_text("console-api 1:2", "console-api"), "");
    }

    #[test]
    fn the_cors_failures_are_the_two_fetches_with_their_urls_and_errors() {
        let failures = parse_cors_failures(&serde_json::from_str(PERFORMANCE).unwrap());
        let url = "http://localhost:8000/api/items?lab_run=probe-1";
        assert_eq!(
            failures,
            vec![
                CorsFailure {
                    url: url.into(),
                    cors_error: "MissingAllowOriginHeader".into(),
                    failed_parameter: String::new(),
                },
                CorsFailure {
                    url: url.into(),
                    cors_error: "PreflightMissingAllowOriginHeader".into(),
                    failed_parameter: String::new(),
                },
            ]
        );
    }

    #[test]
    fn a_log_that_is_not_a_list_has_no_entries() {
        assert_eq!(parse_console(&json!(null)), vec![]);
        assert_eq!(parse_cors_failures(&json!({ "error": "x" })), vec![]);
    }

    #[test]
    fn without_lab_run_replaces_the_tag_after_a_question_mark_or_an_ampersand() {
        assert_eq!(
            without_lab_run(BLOCKED_GET),
            BLOCKED_GET.replace("lab_run=probe-1", "lab_run=…")
        );
        assert_eq!(
            without_lab_run("http://h/x?a=1&lab_run=e2e3&b=2 - Failed"),
            "http://h/x?a=1&lab_run=…&b=2 - Failed"
        );
        assert_eq!(
            without_lab_run("/x?lab_run=a and /y?lab_run=b#top"),
            "/x?lab_run=… and /y?lab_run=…#top"
        );
    }

    #[test]
    fn without_lab_run_keeps_the_period_and_quotes_after_firefoxs_urls() {
        assert_eq!(
            without_lab_run("at http://h/x?lab_run=k3-1. (Reason: …)"),
            "at http://h/x?lab_run=…. (Reason: …)"
        );
        assert_eq!(
            without_lab_run("at ‘http://h/x?lab_run=k3-1’. (Reason"),
            "at ‘http://h/x?lab_run=…’. (Reason"
        );
    }

    #[test]
    fn without_lab_run_leaves_other_parameters_alone() {
        assert_eq!(without_lab_run("no tag here"), "no tag here");
        assert_eq!(without_lab_run("/x?my_lab_run=7"), "/x?my_lab_run=7");
    }

    #[test]
    fn logs_find_lines_and_failures_by_a_part_of_their_url() {
        let logs = Logs {
            console: console(PRODUCTION),
            cors: parse_cors_failures(&serde_json::from_str(PERFORMANCE).unwrap()),
        };
        assert_eq!(
            logs.console_about("lab_run=probe-1"),
            console(PRODUCTION)[1..].iter().collect::<Vec<_>>()
        );
        assert_eq!(logs.cors_about("lab_run=probe-1").len(), 2);
        assert!(logs.console_about("lab_run=probe-2").is_empty());
        assert!(logs.cors_about("lab_run=probe-2").is_empty());
    }

    #[test]
    fn appended_logs_keep_the_earlier_entries_first() {
        let mut logs = Logs {
            console: console(PRODUCTION)[..1].to_vec(),
            cors: vec![],
        };
        logs.append(Logs {
            console: console(PRODUCTION)[1..2].to_vec(),
            cors: parse_cors_failures(&serde_json::from_str(PERFORMANCE).unwrap()),
        });
        assert_eq!(logs.console, console(PRODUCTION)[..2].to_vec());
        assert_eq!(logs.cors.len(), 2);
    }
}
