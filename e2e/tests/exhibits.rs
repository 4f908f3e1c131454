//! Broken on purpose, in a real browser: every exhibit makes Chromium print the line
//! its card shows, with the `corsError` the card names, and the page sees the outcome
//! the catalogue promises. Under production the gallery is off and unreachable.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use e2e::captured::check_capture_file;
use e2e::devtools::{drain_logs, without_lab_run, Logs};
use e2e::{
    attribute, exclusive, find, screenshot, start_backend, start_lab, with_browser, API, LAB_PORT,
};
use fantoccini::Client;
use lab_types::exhibits::{self, Exhibit, Shows};

/// What marks a console line as a CORS failure.
const BLOCKED: &str = "has been blocked by CORS policy: ";
/// What marks a console line as a network error.
const NETWORK: &str = "Failed to load resource: net::";

/// One exhibit card, as the lab showed it after its run.
#[derive(Debug)]
struct Card {
    outcome: String,
    tag: String,
    line: String,
    cors_error: String,
    failed_parameter: String,
}

async fn read_card(client: &Client, slug: &str) -> Card {
    let root = format!("exhibit-{slug}");
    let console = format!("exhibit-{slug}-console");
    let line = find(client, &format!("[data-testid='{console}']"))
        .await
        .text()
        .await
        .expect("the console element's text");
    Card {
        outcome: attribute(client, &root, "data-outcome").await,
        tag: attribute(client, &root, "data-tag").await,
        line: line.trim().to_string(),
        cors_error: attribute(client, &console, "data-cors-error").await,
        failed_parameter: attribute(client, &console, "data-failed-parameter").await,
    }
}

/// Clicks "Run all exhibits" and waits until every card is done.
async fn run_every_exhibit(client: &Client) {
    find(client, "[data-testid='run-exhibits']")
        .await
        .click()
        .await
        .expect("Run all exhibits is clickable");
    let started = Instant::now();
    for exhibit in exhibits::all() {
        let root = format!("exhibit-{}", exhibit.id.slug());
        while attribute(client, &root, "data-state").await != "done" {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "exhibit {} did not finish within 120 s",
                exhibit.id
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// The outcome the page must see for what an exhibit shows.
fn outcome_of(shows: Shows) -> &'static str {
    match shows {
        Shows::Blocked(_) => "blocked",
        Shows::Readable => "allowed",
        Shows::NetworkError(_) => "network-error",
    }
}

/// Chromium's console lines (CORS or network) and DevTools' `corsError`s for one run.
/// A tag is matched whole: `lab_run=k3-1` must not find `lab_run=k3-12`.
fn chromium_words(logs: &Logs, tag: &str) -> (Vec<String>, Vec<(String, String)>) {
    let needle = format!("lab_run={tag}");
    // A CORS line quotes the URL ('…?lab_run=k3-1'); a network line follows it
    // (`http://…?lab_run=k3-1 - Failed to load resource: …`).
    let in_text = format!("{needle}'");
    let in_prefix = format!("{needle} ");
    let mut lines: Vec<String> = logs
        .console
        .iter()
        .filter(|entry| {
            (entry.text.contains(BLOCKED) && entry.text.contains(&in_text))
                || (entry.text.starts_with(NETWORK)
                    && !entry.text.ends_with("ERR_FAILED")
                    && entry.message.contains(&in_prefix))
        })
        .map(|entry| entry.text.clone())
        .collect();
    lines.dedup();
    let mut errors: Vec<(String, String)> = logs
        .cors
        .iter()
        .filter(|failure| failure.url.ends_with(&needle))
        .map(|f| (f.cors_error.clone(), f.failed_parameter.clone()))
        .collect();
    errors.dedup();
    (lines, errors)
}

fn check_exhibit(exhibit: &Exhibit, card: &Card, logs: &Logs) -> Option<String> {
    let what = format!(
        "exhibit {} ({}, lab_run={})",
        exhibit.number(),
        exhibit.id,
        card.tag
    );
    assert!(!card.tag.is_empty(), "{what}: the card names its run tag");
    assert_eq!(
        card.outcome,
        outcome_of(exhibit.shows),
        "{what}: what the page saw; the catalogue says it shows {:?}",
        exhibit.shows
    );
    let (lines, errors) = chromium_words(logs, &card.tag);
    let shown: Vec<String> = match card.line.as_str() {
        "" => vec![],
        line => vec![without_lab_run(line)],
    };
    let logged: Vec<String> = lines.iter().map(|l| without_lab_run(l)).collect();
    assert_eq!(
        shown, logged,
        "{what}: the card's console line vs Chromium's console"
    );
    let named: Vec<(String, String)> = match card.cors_error.as_str() {
        "" => vec![],
        error => vec![(error.to_string(), card.failed_parameter.clone())],
    };
    assert_eq!(
        named, errors,
        "{what}: the card's class vs DevTools' corsErrorStatus"
    );
    let claimed = match exhibit.shows {
        Shows::Blocked(error) => error.as_str(),
        _ => "",
    };
    assert_eq!(
        card.cors_error, claimed,
        "{what}: the class the catalogue says this exhibit shows"
    );
    (!card.line.is_empty()).then(|| card.line.clone())
}

#[tokio::test]
async fn every_exhibit_makes_chromium_print_the_line_and_class_its_card_shows() {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_browser(|client| async move {
        client.goto("http://localhost:5173").await.unwrap();
        run_every_exhibit(&client).await;
        let logs = drain_logs(&client).await;
        let mut captured = Vec::new();
        let mut classes = BTreeSet::new();
        for exhibit in exhibits::all() {
            let card = read_card(&client, exhibit.id.slug()).await;
            if let Some(line) = check_exhibit(&exhibit, &card, &logs) {
                captured.push((
                    exhibit.id.slug().to_string(),
                    card.cors_error.clone(),
                    card.failed_parameter.clone(),
                    line,
                ));
            }
            if !card.cors_error.is_empty() {
                classes.insert(card.cors_error);
            }
        }
        assert!(
            classes.len() >= 12,
            "the exhibits together show at least 12 distinct corsError classes: {classes:?}"
        );
        if let Err(complaint) = check_capture_file("exhibits", &captured) {
            panic!("{complaint}");
        }
        client
            .execute(
                "document.getElementById('exhibits').scrollIntoView()",
                vec![],
            )
            .await
            .expect("the gallery scrolls into view");
        screenshot(&client, "exhibits").await;
    })
    .await;
}

#[tokio::test]
async fn under_production_the_gallery_is_off_and_its_endpoints_are_unreachable() {
    let _ports = exclusive().await;
    let _backend = start_backend("production", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_browser(|client| async move {
        client.goto("http://localhost:5173").await.unwrap();
        let note = find(&client, "[data-testid='exhibits-disabled']")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            note.contains("enabled = false"),
            "the gallery says why it is off: {note}"
        );
        let buttons = client
            .find_all(fantoccini::Locator::Css("[data-testid='run-exhibits']"))
            .await
            .unwrap();
        assert!(buttons.is_empty(), "no gallery to run under production");
    })
    .await;
    let http = reqwest::Client::new();
    for exhibit in exhibits::all() {
        let url = format!("{API}{}", exhibit.id.path());
        let status = http.get(&url).send().await.map(|r| r.status().as_u16());
        assert_eq!(
            status.ok(),
            Some(404),
            "{url} must not exist under ENV=production"
        );
    }
}
