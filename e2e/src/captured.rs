//! Chromium's own words about each step the lab ran, next to the lab's.
//!
//! After a run, every step of a card shows the console line the rules crate
//! computed from the recorded exchange (`data-testid="console-N-K"`), and the
//! `corsError` it predicts. [`StepWords::read_all`] reads those from the page;
//! [`StepWords::chromium`] finds what Chromium itself logged for the same step,
//! by the step's `lab_run` tag. The lines Chromium printed are kept in
//! `docs/chromium-console.txt`, which the README check reads:
//! [`check_capture_file`] keeps it equal to what the suite captured.

use std::path::PathBuf;

use fantoccini::{Client, Locator};

use crate::devtools::{without_lab_run, Logs};
use crate::programs::workspace_root;

/// What marks a console line as a CORS failure.
const BLOCKED: &str = "has been blocked by CORS policy: ";

/// One step of a card, as the lab showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepWords {
    /// `N-K`: card N, step K.
    pub step: String,
    pub tag: String,
    /// The console line the card showed, if any.
    pub line: Option<String>,
    /// `data-cors-error` and `data-failed-parameter`, empty when none.
    pub cors_error: String,
    pub failed_parameter: String,
}

/// What Chromium logged for one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChromiumWords {
    /// The distinct CORS lines of the console (a repeated step logs one per try).
    pub lines: Vec<String>,
    /// The distinct `(corsError, failedParameter)` of the Network log.
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
            let console = client
                .find(Locator::Css(&format!("[data-testid='console-{step}']")))
                .await
                .unwrap_or_else(|e| panic!("step {step} shows no console line: {e}"));
            let line = match console.find(Locator::Css("code.console-line")).await {
                Ok(code) => Some(code.text().await.unwrap()),
                Err(_) => None,
            };
            let cors_error = console
                .attr("data-cors-error")
                .await
                .unwrap()
                .unwrap_or_default();
            let failed_parameter = console
                .attr("data-failed-parameter")
                .await
                .unwrap()
                .unwrap_or_default();
            steps.push(StepWords {
                step,
                tag,
                line,
                cors_error,
                failed_parameter,
            });
        }
        steps
    }

    /// What Chromium logged for this step's requests.
    pub fn chromium(&self, logs: &Logs) -> ChromiumWords {
        let quoted = format!("lab_run={}'", self.tag);
        let mut lines: Vec<String> = logs
            .console
            .iter()
            .filter(|entry| entry.text.contains(BLOCKED) && entry.text.contains(&quoted))
            .map(|entry| entry.text.clone())
            .collect();
        lines.dedup();
        let ending = format!("lab_run={}", self.tag);
        let mut cors_errors: Vec<(String, String)> = logs
            .cors
            .iter()
            .filter(|failure| failure.url.ends_with(&ending))
            .map(|failure| (failure.cors_error.clone(), failure.failed_parameter.clone()))
            .collect();
        cors_errors.dedup();
        ChromiumWords { lines, cors_errors }
    }
}

/// `docs/chromium-console.txt`.
fn capture_file() -> PathBuf {
    workspace_root().join("docs/chromium-console.txt")
}

const HEADER: &str = "\
# What Chromium's console printed for each blocked step of the lab's scenarios
# (e2e/tests/lab_page.rs, under each ENV) and for each exhibit of the gallery
# (e2e/tests/exhibits.rs, section `exhibits`), with the corsError and failedParameter
# DevTools reported. One line per step, tab-separated:
# section, card-step or exhibit, corsError, failedParameter, console line (lab_run
# value elided). The README check (backend/tests/readme_console_lines.rs) reads it.
# Regenerate with CORS_LAB_UPDATE_CAPTURES=1 cargo test -p e2e --test lab_page --test exhibits
";

/// Compares the lines captured under `env` (an ENV, or `exhibits`) with the file's, or rewrites the file's
/// with `CORS_LAB_UPDATE_CAPTURES=1`. Returns a complaint when they differ.
pub fn check_capture_file(
    env: &str,
    captured: &[(String, String, String, String)],
) -> Result<(), String> {
    let mut rows: Vec<String> = captured
        .iter()
        .map(|(step, error, parameter, line)| {
            format!(
                "{env}\t{step}\t{error}\t{parameter}\t{}",
                without_lab_run(line)
            )
        })
        .collect();
    rows.sort();
    let text = std::fs::read_to_string(capture_file()).unwrap_or_default();
    let others: Vec<&str> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with(&format!("{env}\t")))
        .filter(|line| !line.is_empty())
        .collect();
    let mine: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with(&format!("{env}\t")))
        .collect();
    if mine == rows.iter().map(String::as_str).collect::<Vec<_>>() {
        return Ok(());
    }
    if std::env::var("CORS_LAB_UPDATE_CAPTURES").as_deref() == Ok("1") {
        let mut all: Vec<String> = others.iter().map(|l| l.to_string()).chain(rows).collect();
        all.sort();
        std::fs::write(capture_file(), format!("{HEADER}{}\n", all.join("\n"))).unwrap();
        return Ok(());
    }
    Err(format!(
        "docs/chromium-console.txt does not hold what Chromium printed under {env}:\n  file:     {mine:?}\n  captured: {rows:?}\nRun CORS_LAB_UPDATE_CAPTURES=1 cargo test -p e2e --test lab_page --test exhibits to update it."
    ))
}
