//! What DevTools shows when the production policy refuses the lab: the console's
//! CORS error and the Network panel's `corsError`, read from chromedriver's logs.

use std::time::{Duration, Instant};

use e2e::devtools::{drain_logs, Logs};
use e2e::{exclusive, start_backend, start_lab, with_browser, API, INSTRUMENTS_ON, LAB_PORT};
use fantoccini::Client;
use serde_json::{json, Value};

const LAB: &str = "http://localhost:5173";

/// Runs `fetch(url, init)` in the page; what the page saw of it.
async fn fetch(client: &Client, url: &str, init: Value) -> String {
    let script = r#"
        const [url, init] = arguments;
        return fetch(url, init).then((r) => `status ${r.status}`, (e) => String(e));
    "#;
    let seen = client
        .execute(script, vec![json!(url), init])
        .await
        .expect("the script runs");
    seen.as_str().unwrap_or_default().to_string()
}

/// The logs, read until the console line and the CORS failure about `tag` are both
/// in (each arrives on its own, shortly after the fetch settles), up to 5 s.
async fn logs_about(client: &Client, tag: &str) -> Logs {
    let mut logs = Logs::default();
    let started = Instant::now();
    loop {
        logs.append(drain_logs(client).await);
        let complete = !logs.console_about(tag).is_empty() && !logs.cors_about(tag).is_empty();
        if complete || started.elapsed() > Duration::from_secs(5) {
            return logs;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The texts of the console's CORS errors about `tag`.
fn cors_lines(logs: &Logs, tag: &str) -> Vec<String> {
    logs.console_about(tag)
        .into_iter()
        .filter(|entry| entry.text.contains("blocked by CORS policy"))
        .map(|entry| entry.text.clone())
        .collect()
}

/// The `corsError`s of the requests about `tag`.
fn cors_errors(logs: &Logs, tag: &str) -> Vec<String> {
    logs.cors_about(tag)
        .into_iter()
        .map(|failure| failure.cors_error.clone())
        .collect()
}

#[tokio::test]
async fn under_production_devtools_shows_the_cors_error_of_a_blocked_get_and_of_a_blocked_preflighted_put(
) {
    let _ports = exclusive().await;
    let _backend = start_backend("production", &[INSTRUMENTS_ON], false);
    let _lab = start_lab(LAB_PORT);
    with_browser(|client| async move {
        client.goto(LAB).await.unwrap();
        let get_url = format!("{API}/api/items?lab_run=probe-1");
        let put_url = format!("{API}/api/items?lab_run=probe-2");

        let seen = fetch(&client, &get_url, json!({})).await;
        assert_eq!(seen, "TypeError: Failed to fetch", "the GET is blocked");
        let logs = logs_about(&client, "lab_run=probe-1").await;
        assert_eq!(
            cors_lines(&logs, "lab_run=probe-1"),
            [format!(
                "Access to fetch at '{get_url}' from origin '{LAB}' has been blocked by \
                 CORS policy: No 'Access-Control-Allow-Origin' header is present on the \
                 requested resource."
            )],
            "the console's line for the GET; all of the console: {:#?}",
            logs.console
        );
        assert_eq!(
            cors_errors(&logs, "lab_run=probe-1"),
            ["MissingAllowOriginHeader"],
            "the Network panel's corsError for the GET"
        );

        let put = json!({
            "method": "PUT",
            "headers": { "Content-Type": "application/json" },
            "body": "{}",
        });
        let seen = fetch(&client, &put_url, put).await;
        assert_eq!(seen, "TypeError: Failed to fetch", "the PUT is blocked");
        let logs = logs_about(&client, "lab_run=probe-2").await;
        assert_eq!(
            cors_lines(&logs, "lab_run=probe-2"),
            [format!(
                "Access to fetch at '{put_url}' from origin '{LAB}' has been blocked by \
                 CORS policy: Response to preflight request doesn't pass access control \
                 check: No 'Access-Control-Allow-Origin' header is present on the \
                 requested resource."
            )],
            "the console's line for the PUT; all of the console: {:#?}",
            logs.console
        );
        assert_eq!(
            cors_errors(&logs, "lab_run=probe-2"),
            ["PreflightMissingAllowOriginHeader"],
            "the Network panel's corsError for the PUT"
        );
    })
    .await;
}
