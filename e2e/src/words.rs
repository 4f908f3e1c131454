//! Each engine's own words about each step the lab ran, next to the lab's.
//!
//! After a run, every step of a card shows the console line the rules crate
//! computed from the recorded exchange (`data-testid="console-N-K"`), the
//! `corsError` it predicts, and the error `fetch()` rejected with
//! (`step-error-N-K`). [`StepWords::read_all`] reads those from the page;
//! [`engine_lines`] finds what the engine itself logged for the same step, by the
//! step's `lab_run` tag.

use fantoccini::{Client, Locator};

use crate::devtools::{without_lab_run, ConsoleEntry, Logs};
use crate::engines::Engine;

/// What marks a Chromium console line as a CORS failure.
const CHROMIUM_BLOCKED: &str = "has been blocked by CORS policy: ";
/// What marks a Chromium console line as a network error. `net::ERR_FAILED`
/// follows every CORS failure and says nothing of its own.
const CHROMIUM_NETWORK: &str = "Failed to load resource: net::";
const CHROMIUM_AFTER_CORS: &str = "net::ERR_FAILED";

/// One step of a card, as the lab showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepWords {
    /// `N-K`: card N, step K.
    pub step: String,
    pub tag: String,
    /// `data-outcome`: `allowed`, `blocked`, `network-error`.
    pub outcome: String,
    /// The console lines the card showed, if any, one per line.
    pub line: Option<String>,
    /// The engine whose words the card shows (`data-engine`), empty if it names
    /// none.
    pub shown_engine: String,
    /// `data-cors-error` and `data-failed-parameter`, empty when none.
    pub cors_error: String,
    pub failed_parameter: String,
    /// The error `fetch()` rejected with, as the page printed it, if it did.
    pub page_error: Option<String>,
}

/// What DevTools' Network panel reported for one step: the distinct
/// `(corsError, failedParameter)`s. Chromium only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChromiumWords {
    pub cors_errors: Vec<(String, String)>,
}

impl StepWords {
    /// Every step result on the page.
    pub async fn read_all(client: &Client) -> Vec<StepWords> {
        let mut steps = Vec::new();
        for element in client
            .find_all(Locator::Css("div.step-result[data-tag]"))
            .await
            .expect("step results")
        {
            let attr = |name: &'static str| {
                let element = element.clone();
                async move { element.attr(name).await.unwrap().unwrap_or_default() }
            };
            let step = attr("data-testid")
                .await
                .trim_start_matches("step-")
                .to_string();
            let tag = attr("data-tag").await;
            let outcome = attr("data-outcome").await;
            let console = client
                .find(Locator::Css(&format!("[data-testid='console-{step}']")))
                .await
                .unwrap_or_else(|e| panic!("step {step} shows no console line: {e}"));
            let line = match console.find(Locator::Css("code.console-line")).await {
                Ok(code) => Some(console_text(&code).await),
                Err(_) => None,
            };
            let console_attr = |name: &'static str| {
                let console = console.clone();
                async move { console.attr(name).await.unwrap().unwrap_or_default() }
            };
            steps.push(StepWords {
                shown_engine: console_attr("data-engine").await,
                cors_error: console_attr("data-cors-error").await,
                failed_parameter: console_attr("data-failed-parameter").await,
                page_error: page_error(client, &step).await,
                step,
                tag,
                outcome,
                line,
            });
        }
        steps
    }

    /// What DevTools reported for this step's requests.
    pub fn chromium(&self, logs: &Logs) -> ChromiumWords {
        let ending = format!("lab_run={}", self.tag);
        let cors_errors = distinct(
            logs.cors
                .iter()
                .filter(|failure| failure.url.ends_with(&ending))
                .map(|failure| (failure.cors_error.clone(), failure.failed_parameter.clone())),
        );
        ChromiumWords { cors_errors }
    }
}

/// The text of `step-error-<suffix>`, the error `fetch()` rejected with, if the
/// page shows one.
pub async fn page_error(client: &Client, suffix: &str) -> Option<String> {
    let css = format!("[data-testid='step-error-{suffix}']");
    match client.find(Locator::Css(&css)).await {
        Ok(element) => Some(element.text().await.expect("the error's text")),
        Err(_) => None,
    }
}

/// Holds the lab to the engine it runs in: the card names that engine
/// (`data-engine`: the lab must detect its engine), and its console lines
/// (`shown`, the text of the card's console element, one line per console line)
/// are the ones the engine `logged` for the same run, the run tags aside.
pub fn assert_lab_shows_logged(
    engine: Engine,
    shown_engine: &str,
    shown: Option<&str>,
    logged: &[String],
    what: &str,
) {
    assert_eq!(
        shown_engine,
        engine.name(),
        "{what}: the lab running in {engine} shows {shown_engine}'s words: it must detect its engine"
    );
    let lab: Vec<String> = shown
        .into_iter()
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(without_lab_run)
        .collect();
    let logged: Vec<String> = logged.iter().map(|line| without_lab_run(line)).collect();
    assert_eq!(
        lab, logged,
        "{what}: the card's console lines vs {engine}'s console"
    );
}

/// The text of a console element as the DOM holds it (`textContent`): its line
/// breaks are kept, where the rendered text may fold them.
pub async fn console_text(element: &fantoccini::elements::Element) -> String {
    element
        .prop("textContent")
        .await
        .expect("the console element's text")
        .unwrap_or_default()
}

/// Whether `text` names the run `tag` as its `lab_run` parameter: `lab_run=k3-1`
/// names `k3-1`, not `k3-12`.
pub fn names_run(text: &str, tag: &str) -> bool {
    text.match_indices("lab_run=").any(|(at, key)| {
        let value = &text[at + key.len()..];
        let end = value.find(|c: char| !is_tag_char(c)).unwrap_or(value.len());
        &value[..end] == tag
    })
}

/// The characters of a `lab_run` value (see [`without_lab_run`]).
pub(crate) fn is_tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// What `engine` logged about the requests of run `tag`: its CORS and network
/// lines, in the order printed, once for a run that repeated the same request
/// (the caching card sends three: see [`one_round`]).
///
/// - Chromium names the URL in a CORS line's text, and in the prefix of the network
///   line that follows a failed request.
/// - Firefox names the URL in every line.
/// - WebKit prints a reason that names no URL (`Origin … is not allowed by
///   Access-Control-Allow-Origin. Status code: 200`), then `Fetch API cannot load
///   <URL> due to access control checks.`: the errors before a line that names the
///   run belong to it.
pub fn engine_lines(engine: Engine, logs: &Logs, tag: &str) -> Vec<String> {
    let about = |entry: &ConsoleEntry| names_run(&entry.message, tag);
    let lines: Vec<String> = match engine {
        Engine::Chromium => logs
            .console
            .iter()
            .filter(|entry| {
                about(entry)
                    && (entry.text.contains(CHROMIUM_BLOCKED)
                        || (entry.text.starts_with(CHROMIUM_NETWORK)
                            && !entry.text.ends_with(CHROMIUM_AFTER_CORS)))
            })
            .map(|entry| entry.text.clone())
            .collect(),
        Engine::Firefox => logs
            .console
            .iter()
            .filter(|entry| about(entry))
            .map(|entry| entry.text.clone())
            .collect(),
        Engine::WebKit => {
            let mut lines = Vec::new();
            let mut pending: Vec<&ConsoleEntry> = Vec::new();
            for entry in logs.console.iter().filter(|e| e.level == "SEVERE") {
                if !entry.message.contains("lab_run=") {
                    pending.push(entry);
                    continue;
                }
                if about(entry) {
                    lines.extend(pending.iter().map(|e| e.text.clone()));
                    lines.push(entry.text.clone());
                }
                pending.clear();
            }
            lines
        }
    };
    one_round(lines)
}

/// The lines of one request of a run that sent the same one several times: the
/// shortest start of `lines` that, repeated, makes all of them. A run of three
/// refused requests prints `[A, B, A, B, A, B]`, one request `[A, B]`. Lines an
/// engine prints twice for one request stay: Firefox refuses a redirected preflight
/// with `[reason, failed, failed]`, which no shorter round repeats into.
pub fn one_round<T: PartialEq>(mut lines: Vec<T>) -> Vec<T> {
    let n = lines.len();
    let round = (1..=n)
        .find(|&p| n.is_multiple_of(p) && (p..n).all(|i| lines[i] == lines[i % p]))
        .unwrap_or(n);
    lines.truncate(round);
    lines
}

/// `items` without repeats, in their first order.
fn distinct<T: PartialEq>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut kept = Vec::new();
    for item in items {
        if !kept.contains(&item) {
            kept.push(item);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(level: &str, message: &str, text: &str) -> ConsoleEntry {
        ConsoleEntry {
            level: level.into(),
            message: message.into(),
            text: text.into(),
        }
    }

    #[test]
    fn the_lab_is_held_to_each_line_its_engine_logged_one_per_line() {
        let logged = ["first".to_string(), "second".to_string()];
        assert_lab_shows_logged(
            Engine::Firefox,
            "Firefox",
            Some("first\n  second \n"),
            &logged,
            "two lines, one per line of the card",
        );
        assert_lab_shows_logged(Engine::WebKit, "WebKit", None, &[], "no line, none logged");
    }

    #[test]
    #[should_panic(expected = "the card's console lines vs")]
    fn a_card_missing_a_line_the_engine_logged_is_a_failure() {
        let logged = ["first".to_string(), "second".to_string()];
        assert_lab_shows_logged(
            Engine::Firefox,
            "Firefox",
            Some("first"),
            &logged,
            "one short",
        );
    }

    #[test]
    #[should_panic(expected = "must detect its engine")]
    fn a_lab_in_firefox_showing_chromiums_words_is_a_failure() {
        assert_lab_shows_logged(
            Engine::Firefox,
            "Chromium",
            Some("a line"),
            &[],
            "wrong engine",
        );
    }

    #[test]
    fn a_run_is_named_by_its_whole_tag() {
        let cases = [
            ("…/x?lab_run=k3-1'", "k3-1", true, "ends at a quote"),
            (
                "…/x?lab_run=k3-1. (Reason: …)",
                "k3-1",
                true,
                "ends at a period",
            ),
            (
                "…/x?lab_run=k3-1’.",
                "k3-1",
                true,
                "ends at a typographic quote",
            ),
            (
                "…/x?lab_run=k3-12'",
                "k3-1",
                false,
                "a longer tag is another run",
            ),
            ("…/x?a=1", "k3-1", false, "no tag at all"),
        ];
        for (text, tag, named, why) in cases {
            assert_eq!(names_run(text, tag), named, "{why}: {text}");
        }
    }

    #[test]
    fn webkit_reasons_belong_to_the_next_line_that_names_a_run() {
        let logs = Logs {
            console: vec![
                entry(
                    "SEVERE",
                    "CONSOLE SECURITY ERROR Origin o is not allowed",
                    "Origin o is not allowed",
                ),
                entry(
                    "SEVERE",
                    "CONSOLE JS ERROR Fetch API cannot load http://h/a?lab_run=t1 …",
                    "Fetch API cannot load http://h/a?lab_run=t1 …",
                ),
                entry("WARNING", "CONSOLE OTHER WARN preloaded", "preloaded"),
                entry(
                    "SEVERE",
                    "CONSOLE SECURITY ERROR Preflight response is not successful.",
                    "Preflight response is not successful.",
                ),
                entry(
                    "SEVERE",
                    "CONSOLE JS ERROR Fetch API cannot load http://h/a?lab_run=t2 …",
                    "Fetch API cannot load http://h/a?lab_run=t2 …",
                ),
            ],
            cors: vec![],
        };
        assert_eq!(
            engine_lines(Engine::WebKit, &logs, "t2"),
            vec![
                "Preflight response is not successful.".to_string(),
                "Fetch API cannot load http://h/a?lab_run=t2 …".to_string(),
            ]
        );
    }

    #[test]
    fn a_repeated_request_counts_once_but_a_line_printed_twice_for_one_stays() {
        let cases: [(&[&str], &[&str], &str); 5] = [
            (
                &["A", "B", "A", "B", "A", "B"],
                &["A", "B"],
                "three rounds of two lines",
            ),
            (&["X", "X", "X"], &["X"], "three rounds of one line"),
            (
                &["A", "B", "B"],
                &["A", "B", "B"],
                "one round that repeats a line",
            ),
            (&["A", "B", "A"], &["A", "B", "A"], "no whole rounds"),
            (&[], &[], "nothing printed"),
        ];
        for (lines, round, why) in cases {
            assert_eq!(one_round(lines.to_vec()), round.to_vec(), "{why}");
        }
    }

    #[test]
    fn firefox_lines_are_kept_once_in_the_order_printed() {
        let reason = "… at http://h/a?lab_run=t1. (Reason: A).";
        let failed = "… at http://h/a?lab_run=t1. (Reason: CORS request did not succeed).";
        let logs = Logs {
            console: [reason, failed, reason, failed]
                .map(|text| entry("error", &format!("javascript {text}"), text))
                .to_vec(),
            cors: vec![],
        };
        assert_eq!(
            engine_lines(Engine::Firefox, &logs, "t1"),
            vec![reason.to_string(), failed.to_string()]
        );
    }

    #[test]
    fn chromium_keeps_cors_and_network_lines_but_not_the_err_failed_after_a_cors_line() {
        let blocked = "Access to fetch at 'http://h/a?lab_run=t1' from origin 'o' has been blocked by CORS policy: X";
        let logs = Logs {
            console: vec![
                entry("SEVERE", &format!("http://o/ - {blocked}"), blocked),
                entry(
                    "SEVERE",
                    "http://h/a?lab_run=t1 - Failed to load resource: net::ERR_FAILED",
                    "Failed to load resource: net::ERR_FAILED",
                ),
                entry(
                    "SEVERE",
                    "http://h/b?lab_run=t1 - Failed to load resource: net::ERR_EMPTY_RESPONSE",
                    "Failed to load resource: net::ERR_EMPTY_RESPONSE",
                ),
            ],
            cors: vec![],
        };
        assert_eq!(
            engine_lines(Engine::Chromium, &logs, "t1"),
            vec![
                blocked.to_string(),
                "Failed to load resource: net::ERR_EMPTY_RESPONSE".to_string()
            ]
        );
    }
}
