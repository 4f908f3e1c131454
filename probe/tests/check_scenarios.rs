//! `check` against the API itself: for each step of the lab's scenarios, the same
//! outcome the browser suite saw under each ENV.
//!
//! A step Chromium blocked has a row in docs/chromium-console.txt (section = the
//! ENV, key = card-step), and the probe must print that row's failure and line; a
//! step without a row was readable in the browser, and must be readable here.

mod common;

use common::{captured, probe, reason, spawn_backend, LAB};

/// (card-step, method, path, headers, credentials, JSON body?, what the step does)
type Step = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    bool,
    &'static str,
);

/// The requests of the lab's scenarios (frontend/logic/src/scenarios.rs).
const STEPS: &[Step] = &[
    (
        "1-0",
        "GET",
        "/api/items",
        &[],
        "same-origin",
        false,
        "a simple GET",
    ),
    (
        "2-0",
        "POST",
        "/api/items",
        &[],
        "same-origin",
        true,
        "a JSON POST, preflighted",
    ),
    (
        "3-0",
        "POST",
        "/api/items",
        &[],
        "same-origin",
        true,
        "creating a scratch item",
    ),
    (
        "3-1",
        "PUT",
        "/api/items/1",
        &[],
        "same-origin",
        true,
        "a PUT",
    ),
    (
        "3-2",
        "DELETE",
        "/api/items/999",
        &[],
        "same-origin",
        false,
        "a DELETE",
    ),
    (
        "4-0",
        "GET",
        "/api/trace",
        &["X-Request-Id: lab-4"],
        "same-origin",
        false,
        "a listed custom header",
    ),
    (
        "5-0",
        "POST",
        "/api/login",
        &[],
        "include",
        false,
        "logging in with cookies",
    ),
    (
        "5-1",
        "GET",
        "/api/whoami",
        &[],
        "include",
        false,
        "reading with cookies",
    ),
    (
        "5-2",
        "GET",
        "/api/whoami",
        &[],
        "same-origin",
        false,
        "reading without cookies",
    ),
    (
        "6-0",
        "GET",
        "/api/items",
        &[],
        "same-origin",
        false,
        "exposed headers",
    ),
    (
        "7-0",
        "GET",
        "/api/protected",
        &["Authorization: Bearer wrong"],
        "same-origin",
        false,
        "a readable 401",
    ),
    (
        "7-1",
        "GET",
        "/api/protected",
        &[],
        "same-origin",
        false,
        "no token at all",
    ),
    (
        "8-0",
        "PATCH",
        "/api/items/1",
        &[],
        "same-origin",
        true,
        "a method the policy does not allow",
    ),
    (
        "9-0",
        "GET",
        "/api/items",
        &["X-Debug: 1"],
        "same-origin",
        false,
        "a header the policy does not allow",
    ),
    (
        "10-0",
        "GET",
        "/api/trace",
        &["X-Request-Id: lab-10"],
        "same-origin",
        false,
        "preflight caching",
    ),
    (
        "11-0",
        "GET",
        "/public/bearer",
        &["Authorization: Bearer demo"],
        "same-origin",
        false,
        "a bearer token under a * policy",
    ),
    (
        "11-1",
        "GET",
        "/public/bearer",
        &["Authorization: Bearer demo"],
        "include",
        false,
        "the same with credentials: * is refused",
    ),
];

async fn every_step_matches_the_browser_suite_under(env: &str) {
    assert_eq!(
        (
            lab_types::public::BEARER_PATH,
            lab_types::public::DEMO_TOKEN
        ),
        ("/public/bearer", "demo"),
        "scenario 11's path and token, as the table writes them"
    );
    let base = spawn_backend(env).await;
    for (key, method, path, headers, credentials, json, what) in STEPS {
        let url = format!("{base}{path}");
        let mut args = vec![
            "check",
            &url,
            "--origin",
            LAB,
            "--method",
            method,
            "--credentials",
            credentials,
            "--json",
        ];
        for header in headers.iter() {
            args.extend(["-H", header]);
        }
        if *json {
            args.extend(["--body-type", "json"]);
        }
        let run = probe(&args).await;
        let report = run.json();
        match captured(env, key) {
            None => assert_eq!(
                (run.code, report["verdict"].as_str()),
                (0, Some("readable")),
                "{env} {key} ({what}): readable in the browser, so readable here\n{}",
                run.stdout
            ),
            Some(chromium) => {
                assert_eq!(run.code, 1, "{env} {key} ({what}): blocked, exit 1");
                assert_eq!(
                    report["cors_error"],
                    chromium.cors_error.as_str(),
                    "{env} {key} ({what}): DevTools' corsError"
                );
                assert_eq!(
                    reason(report["console_line"].as_str().unwrap_or_default()),
                    reason(&chromium.console_line),
                    "{env} {key} ({what}): Chromium's console line"
                );
            }
        }
    }
}

#[tokio::test]
async fn under_development_every_scenario_step_has_the_browsers_outcome() {
    every_step_matches_the_browser_suite_under("development").await;
}

#[tokio::test]
async fn under_production_every_scenario_step_has_the_browsers_outcome() {
    every_step_matches_the_browser_suite_under("production").await;
}
