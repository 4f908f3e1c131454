//! Bad input ends with exit 2 and a sentence naming what is wrong, never a panic.

mod common;

use common::{closed_port, probe, spawn_backend, LAB};

#[tokio::test]
async fn bad_input_exits_2_with_a_clear_message() {
    let base = spawn_backend("development").await;
    let api = format!("{base}/api/items");
    let refused = format!("http://127.0.0.1:{}/api/items", closed_port());
    let tls = api.replace("http://", "https://");
    // (arguments, a fragment of the message on stderr, why)
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["check", "localhost:8000/api", "--origin", LAB],
            "is not an http:// or https:// URL",
            "a URL without a scheme",
        ),
        (
            vec!["check", "http://", "--origin", LAB],
            "is not a URL",
            "a malformed URL",
        ),
        (
            vec!["check", &api, "--origin", "http://localhost:5173/app"],
            "an origin has no path",
            "an origin with a path",
        ),
        (
            vec!["check", &api, "--origin", LAB, "-H", "X-Debug 1"],
            "has no colon",
            "a header without a colon",
        ),
        (
            vec!["check", &api, "--origin", LAB, "--credentials", "all"],
            "write include, same-origin or omit",
            "an unknown credentials mode",
        ),
        (
            vec!["check", &api, "--origin", LAB, "--body-type", "json"],
            "cannot have a body",
            "a GET with a body",
        ),
        (
            vec!["check", &api],
            "--origin",
            "a missing --origin (clap's usage error)",
        ),
        (
            vec![
                "audit",
                &api,
                "--trusted-origin",
                "https://app.example.com/",
            ],
            "an origin has no path",
            "a trusted origin with a path",
        ),
        (
            vec!["check", &refused, "--origin", LAB],
            "net::ERR_CONNECTION_REFUSED",
            "a refused connection",
        ),
        (
            vec!["audit", &refused],
            "net::ERR_CONNECTION_REFUSED",
            "a refused connection, audited",
        ),
        (
            vec!["check", &tls, "--origin", LAB],
            "network failure",
            "TLS to a plain-HTTP port",
        ),
    ];
    for (args, fragment, why) in cases {
        let run = probe(&args).await;
        assert_eq!(
            run.code, 2,
            "{why}: exit 2\nstdout: {}\nstderr: {}",
            run.stdout, run.stderr
        );
        assert!(
            run.stderr.contains(fragment),
            "{why}: `{fragment}` missing from stderr:\n{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("panicked"),
            "{why}: no panic:\n{}",
            run.stderr
        );
    }
}
