//! Broken on purpose, in every engine: each exhibit gives the page the outcome the
//! catalogue promises and the engine's own `TypeError`, the server sees the
//! preflight the request calls for, and the engine prints the lines captured for it
//! (in Chromium: the very line and `corsError` its card shows). Under production
//! the gallery is off and unreachable.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use e2e::captured::{check_capture_file, CapturedLine};
use e2e::devtools::Logs;
use e2e::engines::slug;
use e2e::words::{assert_lab_shows_logged, console_text, engine_lines, names_run, page_error};
use e2e::{
    attribute, exclusive, find, in_every_engine, recorded_exchanges, screenshot, start_backend,
    start_lab, with_engine, Engine, Session, API, INSTRUMENTS_ON, LAB_PORT,
};
use fantoccini::Client;
use lab_types::exhibits::{self, Exhibit, Shows};
use lab_types::Exchange;

/// One exhibit card, as the lab showed it after its run.
#[derive(Debug)]
struct Card {
    outcome: String,
    tag: String,
    /// The card's console lines, one per line; `shown_engine` is whose words.
    line: String,
    shown_engine: String,
    cors_error: String,
    failed_parameter: String,
    page_error: Option<String>,
}

async fn read_card(client: &Client, slug: &str) -> Card {
    let root = format!("exhibit-{slug}");
    let console = format!("exhibit-{slug}-console");
    let line = console_text(&find(client, &format!("[data-testid='{console}']")).await).await;
    Card {
        outcome: attribute(client, &root, "data-outcome").await,
        tag: attribute(client, &root, "data-tag").await,
        line: line.trim().to_string(),
        shown_engine: attribute(client, &console, "data-engine").await,
        cors_error: attribute(client, &console, "data-cors-error").await,
        failed_parameter: attribute(client, &console, "data-failed-parameter").await,
        page_error: page_error(client, &root).await,
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

/// The preflights the server must see for an exhibit: one if its request is not
/// simple, as the rules crate predicts. Every engine sends the same.
fn preflights_of(exhibit: &Exhibit) -> usize {
    usize::from(cors_rules::fetch::predict(&exhibit.request, true).preflight)
}

/// The preflights the server recorded for the run `tag`.
fn preflights_seen(exchanges: &[Exchange], tag: &str) -> usize {
    exchanges
        .iter()
        .filter(|exchange| exchange.preflight && names_run(&exchange.path, tag))
        .count()
}

/// Checks one exhibit's run in `engine`; the engine's lines about it.
fn check_exhibit(
    engine: Engine,
    exhibit: &Exhibit,
    card: &Card,
    logs: &Logs,
    exchanges: &[Exchange],
) -> Vec<String> {
    let what = format!(
        "{engine}, exhibit {} ({}, lab_run={})",
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
    let refused = exhibit.shows != Shows::Readable;
    assert_eq!(
        card.page_error,
        refused.then(|| engine.fetch_error_text()),
        "{what}: the error fetch() rejected with, in {engine}'s words"
    );
    assert_eq!(
        preflights_seen(exchanges, &card.tag),
        preflights_of(exhibit),
        "{what}: the preflights the server saw"
    );
    let logged = engine_lines(engine, logs, &card.tag);
    let shown = (!card.line.is_empty()).then_some(card.line.as_str());
    assert_lab_shows_logged(engine, &card.shown_engine, shown, &logged, &what);
    // WebKit prints nothing when the connection drops; every other refusal is
    // explained in every engine's console.
    let silent = engine == Engine::WebKit && matches!(exhibit.shows, Shows::NetworkError(_));
    assert_eq!(
        logged.is_empty(),
        !refused || silent,
        "{what}: {engine}'s console explains a refusal, and only a refusal: {logged:?}"
    );
    if engine == Engine::Chromium {
        let named: Vec<(String, String)> = match card.cors_error.as_str() {
            "" => vec![],
            error => vec![(error.to_string(), card.failed_parameter.clone())],
        };
        let ending = format!("lab_run={}", card.tag);
        let mut reported: Vec<(String, String)> = logs
            .cors
            .iter()
            .filter(|failure| failure.url.ends_with(&ending))
            .map(|f| (f.cors_error.clone(), f.failed_parameter.clone()))
            .collect();
        reported.dedup();
        assert_eq!(
            named, reported,
            "{what}: the card's class vs DevTools' corsErrorStatus"
        );
    }
    let claimed = match exhibit.shows {
        Shows::Blocked(error) => error.as_str(),
        _ => "",
    };
    assert_eq!(
        card.cors_error, claimed,
        "{what}: the class the catalogue says this exhibit shows"
    );
    logged
}

async fn every_exhibit_shows_what_its_card_says(engine: Engine) {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = &session.client;
        client.goto("http://localhost:5173").await.unwrap();
        run_every_exhibit(client).await;
        let logs = session.settled_logs().await;
        let exchanges = recorded_exchanges().await;
        let mut captured = Vec::new();
        let mut classes = BTreeSet::new();
        for exhibit in exhibits::all() {
            let card = read_card(client, exhibit.id.slug()).await;
            for line in check_exhibit(engine, &exhibit, &card, &logs, &exchanges) {
                captured.push(CapturedLine {
                    step: exhibit.id.slug().to_string(),
                    cors_error: card.cors_error.clone(),
                    failed_parameter: card.failed_parameter.clone(),
                    line,
                });
            }
            if !card.cors_error.is_empty() {
                classes.insert(card.cors_error);
            }
        }
        assert!(
            classes.len() >= 12,
            "the exhibits together show at least 12 distinct corsError classes: {classes:?}"
        );
        if let Err(complaint) = check_capture_file(&session, "exhibits", &captured) {
            panic!("{complaint}");
        }
        client
            .execute(
                "document.getElementById('exhibits').scrollIntoView()",
                vec![],
            )
            .await
            .expect("the gallery scrolls into view");
        screenshot(client, &screenshot_name("exhibits", engine)).await;
    })
    .await;
}

in_every_engine!(
    every_exhibit_makes_each_engine_show_its_outcome_error_preflights_and_lines,
    super::every_exhibit_shows_what_its_card_says
);

/// `name` for Chromium, whose screenshots came first; `name-<engine>` otherwise.
fn screenshot_name(name: &str, engine: Engine) -> String {
    match engine {
        Engine::Chromium => name.to_string(),
        _ => format!("{name}-{}", slug(engine)),
    }
}

async fn the_gallery_is_off(engine: Engine) {
    let _ports = exclusive().await;
    let _backend = start_backend("production", &[INSTRUMENTS_ON], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = &session.client;
        client.goto("http://localhost:5173").await.unwrap();
        let note = find(client, "[data-testid='exhibits-disabled']")
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

in_every_engine!(
    under_production_the_gallery_is_off_and_its_endpoints_are_unreachable,
    super::the_gallery_is_off
);
