//! `audit` against real servers: it flags the servers that trust too much, and
//! finds nothing on the API under either ENV.

mod common;

use common::{probe, spawn_backend, spawn_permissive};

/// The checks and severities an audit found, from its JSON.
fn findings(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("a findings list")
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn audit_flags_the_servers_that_trust_any_site() {
    let backend = spawn_backend("development").await;
    let permissive = spawn_permissive().await;
    // (URL, trusted origin, the finding it must report, why)
    let cases = [
        (
            format!("{backend}/exhibits/reflect-any-origin"),
            "http://localhost:5173",
            ("arbitrary-origin", "high"),
            "exhibit 12 echoes any origin with credentials",
        ),
        (
            format!("{backend}/exhibits/trusts-null-origin"),
            "https://app.example.com",
            ("null-origin", "high"),
            "exhibit 13 trusts null, with credentials",
        ),
        (
            format!("{permissive}/"),
            "http://localhost:5173",
            ("arbitrary-origin", "high"),
            "Cors::permissive() echoes any origin with credentials",
        ),
    ];
    for (url, trusted, (check, severity), why) in cases {
        let run = probe(&["audit", &url, "--trusted-origin", trusted, "--json"]).await;
        let report = run.json();
        assert_eq!(run.code, 1, "{why}: exit 1\n{}", run.stdout);
        let found = findings(&report);
        assert!(
            found.contains(&(check.to_string(), severity.to_string())),
            "{why}: expected {check} ({severity}) in {found:?}"
        );
    }
}

#[tokio::test]
async fn audit_finds_nothing_on_the_api_under_either_env() {
    // (ENV, the origins its config/*.toml allows)
    let cases = [
        (
            "development",
            vec![
                "http://localhost:3000",
                "http://localhost:5173",
                "http://127.0.0.1:5173",
            ],
        ),
        ("production", vec!["https://app.example.com"]),
    ];
    for (env, trusted) in cases {
        let base = spawn_backend(env).await;
        let url = format!("{base}/api/items");
        let mut args = vec!["audit", url.as_str(), "--json"];
        for origin in &trusted {
            args.extend(["--trusted-origin", origin]);
        }
        let run = probe(&args).await;
        let report = run.json();
        assert_eq!(
            findings(&report),
            vec![],
            "{env}: no finding\n{}",
            run.stdout
        );
        assert_eq!(run.code, 0, "{env}: exit 0");
        let probes = report["probes"].as_array().expect("probes");
        assert!(probes.len() >= 4, "{env}: lookalikes were sent: {probes:?}");
    }
}

#[tokio::test]
async fn the_text_report_lists_each_origin_then_the_findings_worst_first() {
    let backend = spawn_backend("development").await;
    let url = format!("{backend}/exhibits/reflect-any-origin");
    let run = probe(&["audit", &url, "--trusted-origin", "http://localhost:5173"]).await;
    let lines = [
        ("https://cors-probe-attacker.example", "the arbitrary origin sent"),
        ("allowed, with credentials", "what it got"),
        ("HIGH   arbitrary-origin https://cors-probe-attacker.example: The server echoes any Origin", "the finding, with why"),
        ("Worst: high. Exit 1", "the exit status explained"),
    ];
    for (line, what) in lines {
        assert!(
            run.stdout.contains(line),
            "{what}: `{line}` missing from\n{}",
            run.stdout
        );
    }
}
