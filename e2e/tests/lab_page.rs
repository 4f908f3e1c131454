//! The lab itself, in a real browser: every scenario card gives the outcome the
//! policy implies, shows the server's side, and explains what it blocked in the
//! words Chromium's own console uses, with the class DevTools gives it.

use std::time::{Duration, Instant};

use e2e::captured::{check_capture_file, StepWords};
use e2e::devtools::{drain_logs, without_lab_run};
use e2e::{
    attribute, exclusive, find, screenshot, start_backend, start_lab, text, with_browser, LAB_PORT,
};
use fantoccini::{Client, Locator};

/// (card, name, outcome under development at http://localhost:5173, preflights the
/// server saw)
const DEVELOPMENT: &[(u8, &str, &str, u32)] = &[
    (1, "simple GET", "allowed", 0),
    (2, "POST with a JSON body", "allowed", 1),
    (
        3,
        "POST a scratch item, then PUT and DELETE it",
        "allowed",
        3,
    ),
    (4, "a custom header", "allowed", 1),
    (5, "credentials", "allowed", 0),
    (6, "exposed and unexposed headers", "allowed", 0),
    (7, "Authorization: a readable 401", "allowed", 1),
    (8, "a method the policy does not allow", "blocked", 1),
    (9, "a header the policy does not allow", "blocked", 1),
    (10, "preflight caching", "allowed", 1),
    (11, "a bearer token is not a credential", "blocked", 2),
];

/// The card whose endpoint (`/public/bearer`) has its own fixed `*` policy: the
/// API's policy, development or production, has no say over it.
const PUBLIC_CARD: u8 = 11;

/// Scenario 11 under any API policy: the bearer token without credentials is read
/// under `*` (step 1); with `credentials: "include"` Chromium refuses `*` at the
/// preflight (step 2), and no config key is named, since none governs /public.
async fn the_bearer_card_shows_a_token_is_not_a_credential(client: &Client, env: &str) {
    let n = PUBLIC_CARD;
    // (step, outcome, DevTools' class of the refusal)
    let steps = [
        (0, "allowed", ""),
        (1, "blocked", "PreflightWildcardOriginNotAllowed"),
    ];
    for (step, outcome, cors_error) in steps {
        let suffix = format!("{n}-{step}");
        let what = format!("{env}, card {n} step {}", step + 1);
        let diagnosis = text(client, &format!("step-diagnosis-{suffix}")).await;
        assert_eq!(
            attribute(client, &format!("step-{suffix}"), "data-outcome").await,
            outcome,
            "{what}: outcome; diagnosis: {diagnosis}"
        );
        assert_eq!(
            attribute(client, &format!("step-{suffix}"), "data-preflights").await,
            "1",
            "{what}: Authorization is not safelisted, so a preflight asked for it"
        );
        assert_eq!(
            attribute(client, &format!("console-{suffix}"), "data-cors-error").await,
            cors_error,
            "{what}: DevTools' class"
        );
        assert_eq!(
            attribute(client, &format!("step-diagnosis-{suffix}"), "data-key").await,
            "",
            "{what}: no config key governs /public's fixed policy"
        );
    }
    assert_eq!(
        attribute(client, &format!("step-{n}-0"), "data-status").await,
        "200",
        "{env}: the token was accepted and the page read the 200"
    );
    let body = text(client, &format!("step-body-{n}-0")).await;
    assert!(
        body.contains("not a credential"),
        "{env}: the page read the body: {body}"
    );
    assert_eq!(
        attribute(client, &format!("as-expected-{n}"), "data-as-expected").await,
        "true",
        "{env}: the card's expectation comes from /public's policy, not the API's"
    );
}

/// Every step's console line, as the card showed it, must be the CORS line Chromium
/// logged for that step (apart from the `lab_run` value), and its `corsError` the
/// one DevTools reported; a step the card calls readable must have logged none.
/// The lines are then compared with `docs/chromium-console.txt`.
async fn the_cards_speak_chromiums_words(client: &Client, env: &str) {
    let logs = drain_logs(client).await;
    let steps = StepWords::read_all(client).await;
    assert!(
        steps.len() >= 15,
        "{env}: every step of every card: {steps:?}"
    );
    let mut captured = Vec::new();
    for step in &steps {
        let chromium = step.chromium(&logs);
        let what = format!("{env}, step {} (lab_run={})", step.step, step.tag);
        let shown: Vec<String> = step.line.iter().map(|l| without_lab_run(l)).collect();
        let logged: Vec<String> = chromium.lines.iter().map(|l| without_lab_run(l)).collect();
        assert_eq!(
            shown, logged,
            "{what}: the card's console line vs Chromium's console"
        );
        let predicted: Vec<(String, String)> = match step.cors_error.as_str() {
            "" => vec![],
            error => vec![(error.to_string(), step.failed_parameter.clone())],
        };
        assert_eq!(
            predicted, chromium.cors_errors,
            "{what}: the card's class vs DevTools' corsErrorStatus"
        );
        if let Some(line) = &step.line {
            captured.push((
                step.step.clone(),
                step.cors_error.clone(),
                step.failed_parameter.clone(),
                line.clone(),
            ));
        }
    }
    if let Err(complaint) = check_capture_file(env, &captured) {
        panic!("{complaint}");
    }
}

/// Clicks "Run all" and waits until every card is done.
async fn run_all(client: &Client) {
    // The policy panel loads first; the cards use it for their expectations.
    find(
        client,
        "[data-testid='policy'], [data-testid='policy-unreachable']",
    )
    .await;
    find(client, "[data-testid='run-all']")
        .await
        .click()
        .await
        .expect("Run all is clickable");
    let started = Instant::now();
    for (card, ..) in DEVELOPMENT {
        loop {
            if attribute(client, &format!("scenario-{card}"), "data-state").await == "done" {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(90),
                "card {card} did not finish within 90 s"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

#[tokio::test]
async fn under_development_every_card_shows_its_expected_outcome_and_the_servers_side() {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_browser(|client| async move {
        client.goto("http://localhost:5173").await.unwrap();
        assert_eq!(
            text(&client, "backend-env").await.trim(),
            "development",
            "the header shows the ENV"
        );
        run_all(&client).await;
        for (card, name, outcome, preflights) in DEVELOPMENT {
            let seen = attribute(&client, &format!("scenario-{card}"), "data-outcome").await;
            let diagnosis = text(&client, &format!("diagnosis-{card}")).await;
            assert_eq!(
                &seen, outcome,
                "card {card} ({name}): outcome; diagnosis: {diagnosis}"
            );
            let counted = attribute(&client, &format!("server-{card}"), "data-preflights").await;
            assert_eq!(
                counted,
                preflights.to_string(),
                "card {card} ({name}): preflights the server saw"
            );
        }
        assert_eq!(
            attribute(&client, "diagnosis-8", "data-key").await,
            "allow_methods",
            "card 8 names the key"
        );
        assert_eq!(
            attribute(&client, "diagnosis-9", "data-key").await,
            "allow_headers",
            "card 9 names the key"
        );
        assert_eq!(
            attribute(&client, "header-6-0-x-total-count", "data-readable").await,
            "true",
            "exposed header"
        );
        assert_eq!(
            attribute(&client, "header-6-0-x-served-by", "data-readable").await,
            "false",
            "unexposed header"
        );
        the_bearer_card_shows_a_token_is_not_a_credential(&client, "development").await;
        the_cards_speak_chromiums_words(&client, "development").await;
        let entries = client
            .find_all(Locator::Css("[data-testid='log-entry']"))
            .await
            .unwrap();
        assert!(!entries.is_empty(), "the live log shows the exchanges");
        screenshot(&client, "lab-development").await;
    })
    .await;
}

#[tokio::test]
async fn under_production_the_lab_loads_and_every_call_is_blocked_and_diagnosed() {
    let _ports = exclusive().await;
    let _backend = start_backend("production", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_browser(|client| async move {
        client.goto("http://localhost:5173").await.unwrap();
        assert_eq!(text(&client, "backend-env").await.trim(), "production");
        let allow_list = text(&client, "production-allow-list").await;
        assert!(
            allow_list.contains("https://app.example.com"),
            "the production allow list is shown: {allow_list}"
        );
        run_all(&client).await;
        // Every card that calls the API is blocked; the public one is not the API's.
        for (card, name, ..) in DEVELOPMENT.iter().filter(|c| c.0 != PUBLIC_CARD) {
            let seen = attribute(&client, &format!("scenario-{card}"), "data-outcome").await;
            assert_eq!(seen, "blocked", "card {card} ({name}) under production");
            let key = attribute(&client, &format!("diagnosis-{card}"), "data-key").await;
            assert_eq!(
                key, "allow_origins",
                "card {card} ({name}): the diagnosis names allow_origins"
            );
        }
        the_bearer_card_shows_a_token_is_not_a_credential(&client, "production").await;
        the_cards_speak_chromiums_words(&client, "production").await;
        screenshot(&client, "lab-production").await;
    })
    .await;
}

#[tokio::test]
async fn with_the_backend_down_the_lab_says_so_instead_of_breaking() {
    let _ports = exclusive().await;
    let _lab = start_lab(LAB_PORT);
    with_browser(|client| async move {
        client.goto("http://localhost:5173").await.unwrap();
        let note = text(&client, "policy-unreachable").await;
        assert!(
            !note.trim().is_empty(),
            "the policy panel explains that the backend cannot be reached"
        );
    })
    .await;
}
