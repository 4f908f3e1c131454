//! The lab itself, in every engine: every scenario card gives the outcome the
//! policy implies and shows the server's side; every refused step shows the
//! engine's own `TypeError`, and the engine prints the lines captured for it (in
//! Chromium: the very line the card shows, with the class DevTools gives it).

use std::time::{Duration, Instant};

use e2e::captured::{check_capture_file, CapturedLine};
use e2e::engines::slug;
use e2e::words::{assert_lab_shows_logged, engine_lines, StepWords};
use e2e::{
    attribute, exclusive, find, in_every_engine, screenshot, start_backend, start_lab, text,
    with_engine, Engine, Session, INSTRUMENTS_ON, LAB_PORT,
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
    // Three identical requests, one preflight: the policy's max_age (600 s,
    // config/default.toml) is within every engine's cap (Chromium 7200 s, Firefox
    // 86400 s, WebKit 600 s: `Engine::max_age_cap`), so every engine caches it.
    // `the_caching_card_is_within_every_engines_cap` keeps that true.
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

/// Every refused step shows the engine's `TypeError`, and the engine's console
/// explains it (and nothing else). In Chromium the step's console line, as the card
/// showed it, must be the CORS line Chromium logged for that step (apart from the
/// `lab_run` value), and its `corsError` the one DevTools reported. The lines are
/// then compared with `docs/<engine>-console.txt`.
async fn the_cards_speak_the_engines_words(session: &Session, env: &str) {
    let engine = session.engine;
    let logs = session.settled_logs().await;
    let steps = StepWords::read_all(&session.client).await;
    assert!(
        steps.len() >= 15,
        "{engine}, {env}: every step of every card: {steps:?}"
    );
    let mut captured = Vec::new();
    for step in &steps {
        let what = format!("{engine}, {env}, step {} (lab_run={})", step.step, step.tag);
        let refused = step.outcome != "allowed";
        assert_eq!(
            step.page_error,
            refused.then(|| engine.fetch_error_text()),
            "{what}: the error fetch() rejected with, in {engine}'s words"
        );
        let logged = engine_lines(engine, &logs, &step.tag);
        assert_eq!(
            logged.is_empty(),
            !refused,
            "{what}: {engine}'s console explains a refusal, and only a refusal: {logged:?}"
        );
        assert_lab_shows_logged(
            engine,
            &step.shown_engine,
            step.line.as_deref(),
            &logged,
            &what,
        );
        if engine == Engine::Chromium {
            let predicted: Vec<(String, String)> = match step.cors_error.as_str() {
                "" => vec![],
                error => vec![(error.to_string(), step.failed_parameter.clone())],
            };
            assert_eq!(
                predicted,
                step.chromium(&logs).cors_errors,
                "{what}: the card's class vs DevTools' corsErrorStatus"
            );
        }
        captured.extend(logged.into_iter().map(|line| CapturedLine {
            step: step.step.clone(),
            cors_error: step.cors_error.clone(),
            failed_parameter: step.failed_parameter.clone(),
            line,
        }));
    }
    if let Err(complaint) = check_capture_file(session, env, &captured) {
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

async fn under_development(engine: Engine) {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = &session.client;
        client.goto("http://localhost:5173").await.unwrap();
        assert_eq!(
            text(client, "backend-env").await.trim(),
            "development",
            "the header shows the ENV"
        );
        run_all(client).await;
        for (card, name, outcome, preflights) in DEVELOPMENT {
            let seen = attribute(client, &format!("scenario-{card}"), "data-outcome").await;
            let diagnosis = text(client, &format!("diagnosis-{card}")).await;
            assert_eq!(
                &seen, outcome,
                "{engine}, card {card} ({name}): outcome; diagnosis: {diagnosis}"
            );
            let counted = attribute(client, &format!("server-{card}"), "data-preflights").await;
            assert_eq!(
                counted,
                preflights.to_string(),
                "{engine}, card {card} ({name}): preflights the server saw"
            );
        }
        assert_eq!(
            attribute(client, "diagnosis-8", "data-key").await,
            "allow_methods",
            "card 8 names the key"
        );
        assert_eq!(
            attribute(client, "diagnosis-9", "data-key").await,
            "allow_headers",
            "card 9 names the key"
        );
        assert_eq!(
            attribute(client, "header-6-0-x-total-count", "data-readable").await,
            "true",
            "{engine}: exposed header"
        );
        assert_eq!(
            attribute(client, "header-6-0-x-served-by", "data-readable").await,
            "false",
            "{engine}: unexposed header"
        );
        the_bearer_card_shows_a_token_is_not_a_credential(client, "development").await;
        the_cards_speak_the_engines_words(&session, "development").await;
        let entries = client
            .find_all(Locator::Css("[data-testid='log-entry']"))
            .await
            .unwrap();
        assert!(!entries.is_empty(), "the live log shows the exchanges");
        screenshot(client, &screenshot_name("lab-development", engine)).await;
    })
    .await;
}

in_every_engine!(
    under_development_every_card_shows_its_expected_outcome_and_the_servers_side,
    super::under_development
);

async fn under_production(engine: Engine) {
    let _ports = exclusive().await;
    let _backend = start_backend("production", &[INSTRUMENTS_ON], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = &session.client;
        client.goto("http://localhost:5173").await.unwrap();
        assert_eq!(text(client, "backend-env").await.trim(), "production");
        let allow_list = text(client, "production-allow-list").await;
        assert!(
            allow_list.contains("https://app.example.com"),
            "the production allow list is shown: {allow_list}"
        );
        run_all(client).await;
        // Every card that calls the API is blocked; the public one is not the API's.
        for (card, name, ..) in DEVELOPMENT.iter().filter(|c| c.0 != PUBLIC_CARD) {
            let seen = attribute(client, &format!("scenario-{card}"), "data-outcome").await;
            assert_eq!(
                seen, "blocked",
                "{engine}, card {card} ({name}) under production"
            );
            let key = attribute(client, &format!("diagnosis-{card}"), "data-key").await;
            assert_eq!(
                key, "allow_origins",
                "{engine}, card {card} ({name}): the diagnosis names allow_origins"
            );
        }
        the_bearer_card_shows_a_token_is_not_a_credential(client, "production").await;
        the_cards_speak_the_engines_words(&session, "production").await;
        screenshot(client, &screenshot_name("lab-production", engine)).await;
    })
    .await;
}

in_every_engine!(
    under_production_the_lab_loads_and_every_call_is_blocked_and_diagnosed,
    super::under_production
);

async fn with_the_backend_down(engine: Engine) {
    let _ports = exclusive().await;
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        session.client.goto("http://localhost:5173").await.unwrap();
        let note = text(&session.client, "policy-unreachable").await;
        assert!(
            !note.trim().is_empty(),
            "{engine}: the policy panel explains that the backend cannot be reached"
        );
    })
    .await;
}

in_every_engine!(
    with_the_backend_down_the_lab_says_so_instead_of_breaking,
    super::with_the_backend_down
);

/// The caching card expects one preflight in every engine because the policy's
/// max_age is within each engine's cap; a longer max_age would make the engines
/// differ (WebKit would ask again after 600 s, Chromium after 7200 s).
#[test]
fn the_caching_card_is_within_every_engines_cap() {
    let config = std::fs::read_to_string(e2e::workspace_root().join("config/default.toml"))
        .expect("config/default.toml");
    let max_age: u32 = config
        .lines()
        .find_map(|line| line.trim().strip_prefix("max_age = "))
        .and_then(|value| value.trim().parse().ok())
        .expect("config/default.toml sets max_age");
    for engine in Engine::ALL {
        assert!(
            max_age <= engine.max_age_cap(),
            "max_age = {max_age} exceeds {engine}'s cap of {} s: card 10's one preflight \
             would hold for that engine only within its cap",
            engine.max_age_cap()
        );
    }
}

/// `name` for Chromium, whose screenshots came first; `name-<engine>` otherwise.
fn screenshot_name(name: &str, engine: Engine) -> String {
    match engine {
        Engine::Chromium => name.to_string(),
        _ => format!("{name}-{}", slug(engine)),
    }
}
