//! `check` against the gallery: every exhibit gets the verdict Chromium gave it.
//!
//! The expected failure and console line are not written here: they are the ones
//! the browser suite captured from Chromium (docs/chromium-console.txt, section
//! `exhibits`). Only the URL differs (the browser's carried a `lab_run` value), so
//! the lines are compared from "has been blocked by CORS policy: " on.

mod common;

use common::{captured, probe, reason, spawn_backend, LAB};
use lab_types::exhibits::{self, Exhibit, SentFrom, Shows};

/// The command line that makes the request the exhibit's page makes.
fn args_for(exhibit: &Exhibit, base: &str) -> Vec<String> {
    let request = &exhibit.request;
    let origin = match exhibit.sent_from {
        SentFrom::Lab => LAB,
        SentFrom::SandboxedFrame => "null",
    };
    let mut args: Vec<String> = vec![
        "check".into(),
        format!("{base}{}", request.url),
        "--origin".into(),
        origin.into(),
        "--method".into(),
        request.method.clone(),
        "--credentials".into(),
        request.credentials.as_str().into(),
        "--json".into(),
    ];
    for (name, value) in &request.headers {
        args.extend(["-H".into(), format!("{name}: {value}")]);
    }
    if request.body.is_some() {
        args.extend(["--body-type".into(), "json".into()]);
    }
    args
}

#[tokio::test]
async fn check_classifies_every_exhibit_as_chromium_did() {
    let base = spawn_backend("development").await;
    for exhibit in exhibits::all() {
        let slug = exhibit.id.slug();
        let args = args_for(&exhibit, &base);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = probe(&args).await;
        let report = run.json();
        match exhibit.shows {
            Shows::Blocked(_) => {
                let chromium = captured("exhibits", slug).unwrap_or_else(|| {
                    panic!("{slug}: no captured line in docs/chromium-console.txt")
                });
                assert_eq!(
                    run.code, 1,
                    "{slug}: a blocked exhibit exits 1\n{}",
                    run.stdout
                );
                assert_eq!(
                    report["cors_error"],
                    chromium.cors_error.as_str(),
                    "{slug}: the failure is the corsError DevTools reported"
                );
                assert_eq!(
                    report["failed_parameter"],
                    chromium.failed_parameter.as_str(),
                    "{slug}: the failed parameter is the one DevTools reported"
                );
                let line = report["console_line"].as_str().unwrap_or_default();
                assert_eq!(
                    reason(line),
                    reason(&chromium.console_line),
                    "{slug}: the console line is the one Chromium printed"
                );
                assert!(
                    line.starts_with(&format!("Access to fetch at '{base}/exhibits/{slug}")),
                    "{slug}: the line names the probed URL: {line}"
                );
            }
            Shows::Readable => {
                assert_eq!(
                    run.code, 0,
                    "{slug}: the page reads it, so exit 0\n{}",
                    run.stdout
                );
                assert_eq!(report["verdict"], "readable", "{slug}: readable");
            }
            Shows::NetworkError(net) => {
                let chromium = captured("exhibits", slug).expect("the captured network error");
                assert_eq!(run.code, 2, "{slug}: no answer is exit 2");
                assert_eq!(
                    report["verdict"], "network-error",
                    "{slug}: a network error"
                );
                assert_eq!(report["net_error"], net.as_str(), "{slug}: Chromium's name");
                assert_eq!(
                    report["console_line"],
                    chromium.console_line.as_str(),
                    "{slug}: the line Chromium logged"
                );
                assert!(
                    run.stderr.contains(net.as_str()),
                    "{slug}: the cause is on stderr: {}",
                    run.stderr
                );
            }
        }
    }
}

#[tokio::test]
async fn the_text_report_shows_both_sides_the_verdict_the_line_and_the_fix() {
    let base = spawn_backend("development").await;
    let url = format!("{base}/exhibits/method-not-listed");
    let run = probe(&[
        "check",
        &url,
        "--origin",
        LAB,
        "--method",
        "PATCH",
        "--body-type",
        "json",
    ])
    .await;
    assert_eq!(run.code, 1, "blocked: exit 1\n{}", run.stdout);
    let expected = [
        ("Preflight first: method PATCH is not GET, HEAD or POST", "why a preflight goes first"),
        ("  > OPTIONS /exhibits/method-not-listed", "the preflight sent"),
        ("  > Access-Control-Request-Method: PATCH", "the method asked for"),
        ("  > Access-Control-Request-Headers: content-type", "the headers, lower-cased"),
        ("  < 200 OK", "the preflight's status"),
        ("  < access-control-allow-methods: GET, POST", "the answer's CORS headers"),
        ("The request itself was not sent: the preflight failed.", "no second step"),
        ("Verdict: blocked: MethodDisallowedByPreflightResponse", "the verdict"),
        (
            "has been blocked by CORS policy: Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.",
            "Chromium's line",
        ),
        ("Fix: [cors] add \"PATCH\" to allow_methods", "the fix in [cors] terms"),
        ("FastAPI: CORSMiddleware(allow_origins=[...], allow_methods=[..., \"PATCH\"])", "and in FastAPI's"),
    ];
    for (line, what) in expected {
        assert!(
            run.stdout.contains(line),
            "{what}: `{line}` missing from\n{}",
            run.stdout
        );
    }
}
