//! Where the three engines differ, pinned in the engines themselves. Each test
//! runs one fact of `docs/engines.md` in Chromium, Firefox and WebKit. The page
//! comes from one port of a small local server (`e2e::fact_server`), the calls go
//! to another port, so every call is cross-origin. The server records what it
//! received, preflights included.
//!
//! Each test puts what the engine did into one short sentence (a cell of the
//! table in `docs/engines.md`). It checks that sentence against what the engine
//! is expected to do, and against `docs/engine-facts.txt` (see
//! `e2e::fact_capture`).

use e2e::fact_capture::{check_fact_rows, row};
use e2e::fact_server::FactServer;
use e2e::firefox_browser_console;
use e2e::{exclusive, in_every_engine, with_engine, Engine, Session};
use serde_json::{json, Value};

const AUTHORIZATION: &str = "1. Authorization under Allow-Headers *";
const CACHE: &str = "2. Preflight cache and credentials mode";
const SECURE_COOKIE: &str = "3. Secure cookie from http://localhost";
const BLOB: &str = "4. Blob body and its type";
const STREAM: &str = "5. ReadableStream body over HTTP/1.1";

/// Runs `fetch(url, init)` in the page. `init` is JavaScript source, so that a
/// test can pass a `Blob` or a `ReadableStream`. Answers `{ status }` when the
/// page could read the response, `{ error }` when the fetch failed.
async fn fetch(session: &Session, url: &str, init: &str) -> Value {
    let script = format!(
        r#"
        const [url, done] = arguments;
        try {{
            fetch(url, {init}).then(
                (response) => done({{ status: response.status }}),
                (error) => done({{ error: String(error) }}),
            );
        }} catch (error) {{
            done({{ error: "thrown: " + String(error) }});
        }}
        "#
    );
    session
        .client
        .execute_async(&script, vec![json!(url)])
        .await
        .expect("the script runs")
}

/// Runs `test` in `engine` with a fresh fact server and its page loaded.
async fn on_the_page<F, Fut>(engine: Engine, test: F)
where
    F: FnOnce(Session, FactServer) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    // One browser at a time: the machine is small, and the tests share a file.
    let _turn = exclusive().await;
    let server = FactServer::start().await;
    with_engine(engine, |session: Session| async move {
        let page = format!("{}/page", server.page_origin);
        session.client.goto(&page).await.expect("the page loads");
        test(session, server).await;
    })
    .await;
}

/// Checks one fact: what the engine did (`seen`) against `expected`, and the
/// capture file's rows against `seen` plus the `console` lines.
fn settle(fact: &str, engine: Engine, seen: &str, expected: &str, console: &[String]) {
    let mut rows = vec![row("fact", fact, engine, seen)];
    rows.extend(
        console
            .iter()
            .map(|line| row("console", fact, engine, line)),
    );
    let capture = check_fact_rows(fact, engine, &rows);
    assert_eq!(seen, expected, "{engine}, \"{fact}\": what the engine did");
    if let Err(complaint) = capture {
        panic!("{complaint}");
    }
}

/// The console lines that contain `needle`, with the server's random ports
/// replaced by `<page>` and `<api>`, so that the capture file stays the same.
/// Firefox logs some network warnings for no page, so for Firefox the lines of
/// its Browser Console count too (see `e2e::firefox_browser_console`).
async fn console_lines(session: &Session, server: &FactServer, needle: &str) -> Vec<String> {
    let logs = session.settled_logs().await;
    let mut lines: Vec<String> = logs.console.iter().map(|e| e.text.clone()).collect();
    if session.engine == Engine::Firefox {
        lines.extend(firefox_browser_console::messages(&session.client).await);
    }
    lines
        .iter()
        .filter(|line| line.to_lowercase().contains(&needle.to_lowercase()))
        .map(|line| {
            line.replace(&server.api_origin, "<api>")
                .replace(&server.page_origin, "<page>")
        })
        .collect()
}

/// The spec leaves `Authorization` out of `Allow-Headers: *`. Engines still let it
/// through; Firefox says it will stop.
async fn authorization_passes_under_the_header_wildcard_in(engine: Engine) {
    on_the_page(engine, move |session, server| async move {
        session.drain_logs().await;
        let url = format!("{}/wildcard-authorization", server.api_origin);
        let init = r#"{ headers: { "Authorization": "Bearer fact" } }"#;
        let seen = fetch(&session, &url, init).await;
        let console = console_lines(&session, &server, "authorization").await;
        let received = server.received("/wildcard-authorization");
        let reached = received
            .iter()
            .any(|r| !r.is_preflight() && r.header("authorization") == Some("Bearer fact"));
        let outcome = match (seen.get("status"), reached) {
            (Some(_), true) => "sent and readable",
            (None, false) => "blocked at the preflight",
            _ => "something else (see the test's output)",
        };
        let warning = if console.is_empty() {
            "no console line"
        } else {
            "a console warning"
        };
        let expected = match engine {
            Engine::Firefox => "sent and readable, a console warning",
            _ => "sent and readable, no console line",
        };
        eprintln!("{engine}: the page saw {seen}; the server got {received:#?}");
        settle(
            AUTHORIZATION,
            engine,
            &format!("{outcome}, {warning}"),
            expected,
            &console,
        );
    })
    .await;
}

in_every_engine!(
    authorization_passes_under_the_header_wildcard,
    super::authorization_passes_under_the_header_wildcard_in
);

/// A preflight's answer is cached per credentials mode: the same call with
/// cookies allowed is asked about again.
async fn the_preflight_cache_keys_on_the_credentials_mode_in(engine: Engine) {
    on_the_page(engine, move |session, server| async move {
        let url = format!("{}/cache", server.api_origin);
        // (credentials mode, message)
        let calls = [
            ("omit", "the first call without credentials"),
            ("omit", "the same call again"),
            ("include", "the same call with credentials"),
        ];
        let mut counts = Vec::new();
        for (mode, message) in calls {
            let init = format!(r#"{{ headers: {{ "X-Fact": "1" }}, credentials: "{mode}" }}"#);
            let seen = fetch(&session, &url, &init).await;
            assert_eq!(seen["status"], 200, "{engine}, {message}: {seen}");
            counts.push(server.preflights("/cache"));
        }
        let seen = format!(
            "omit twice: {} preflight, then include: {} more",
            counts[1],
            counts[2] - counts[1]
        );
        let expected = "omit twice: 1 preflight, then include: 1 more";
        settle(CACHE, engine, &seen, expected, &[]);
    })
    .await;
}

in_every_engine!(
    the_preflight_cache_keys_on_the_credentials_mode,
    super::the_preflight_cache_keys_on_the_credentials_mode_in
);

/// `http://localhost` counts as a secure context, so a `Secure` cookie it sets
/// may be kept. WebKit does not keep it.
async fn a_secure_cookie_from_http_localhost_is_kept_except_in_webkit_in(engine: Engine) {
    on_the_page(engine, move |session, server| async move {
        let include = r#"{ credentials: "include" }"#;
        let set = format!("{}/set-cookie", server.api_origin);
        let seen = fetch(&session, &set, include).await;
        assert_eq!(seen["status"], 200, "{engine}: setting the cookie: {seen}");
        let read = format!("{}/read-cookie", server.api_origin);
        let seen = fetch(&session, &read, include).await;
        assert_eq!(seen["status"], 200, "{engine}: reading the cookie: {seen}");
        let received = server.received("/read-cookie");
        let came_back = received
            .iter()
            .any(|r| r.header("cookie").is_some_and(|c| c.contains("fact=1")));
        let seen = if came_back {
            "kept and sent back"
        } else {
            "not sent back"
        };
        let expected = match engine {
            Engine::WebKit => "not sent back",
            _ => "kept and sent back",
        };
        settle(SECURE_COOKIE, engine, seen, expected, &[]);
    })
    .await;
}

in_every_engine!(
    a_secure_cookie_from_http_localhost_is_kept_except_in_webkit,
    super::a_secure_cookie_from_http_localhost_is_kept_except_in_webkit_in
);

/// A `Blob`'s type becomes the request's `Content-Type`. `application/json` is not
/// one of the three simple types, so it needs a preflight; `text/plain` does not.
async fn a_json_blob_body_is_preflighted_and_a_text_blob_is_not_in(engine: Engine) {
    on_the_page(engine, move |session, server| async move {
        // (path, the Blob's type)
        let cases = [
            ("/blob-json", "application/json"),
            ("/blob-text", "text/plain"),
        ];
        let mut parts = Vec::new();
        for (path, kind) in cases {
            let url = format!("{}{path}", server.api_origin);
            let init =
                format!(r#"{{ method: "POST", body: new Blob(["{{}}"], {{ type: "{kind}" }}) }}"#);
            let seen = fetch(&session, &url, &init).await;
            assert_eq!(seen["status"], 200, "{engine}, a {kind} Blob: {seen}");
            let received = server.received(path);
            let sent_type = received
                .iter()
                .find(|r| !r.is_preflight())
                .and_then(|r| r.header("content-type").map(String::from));
            assert_eq!(
                sent_type.as_deref(),
                Some(kind),
                "{engine}: the Blob's type is the Content-Type"
            );
            let preflighted = if server.preflights(path) > 0 {
                "preflighted"
            } else {
                "not preflighted"
            };
            parts.push(format!("{kind} Blob {preflighted}"));
        }
        let expected = "application/json Blob preflighted, text/plain Blob not preflighted";
        settle(BLOB, engine, &parts.join(", "), expected, &[]);
    })
    .await;
}

in_every_engine!(
    a_json_blob_body_is_preflighted_and_a_text_blob_is_not,
    super::a_json_blob_body_is_preflighted_and_a_text_blob_is_not_in
);

/// An upload stream: Chromium sends one only over HTTP/2, and this server speaks
/// HTTP/1.1, so the fetch fails. Firefox has no upload streams: it turns the
/// stream into text and sends that. WebKit refuses the stream outright.
async fn what_a_stream_body_does_over_http_1_1_in(engine: Engine) {
    on_the_page(engine, move |session, server| async move {
        let url = format!("{}/stream", server.api_origin);
        let init = r#"{
            method: "POST",
            duplex: "half",
            body: new ReadableStream({
                start(controller) {
                    controller.enqueue(new TextEncoder().encode("hello"));
                    controller.close();
                },
            }),
        }"#;
        let seen = fetch(&session, &url, init).await;
        let received = server.received("/stream");
        let sent = received.iter().find(|r| !r.is_preflight());
        let seen = match (seen.get("error"), sent) {
            (Some(error), None) => format!("fetch fails ({})", error.as_str().unwrap_or("?")),
            (None, Some(request)) => format!(
                "sent the body as {:?}",
                String::from_utf8_lossy(&request.body)
            ),
            _ => format!("something else: the page saw {seen}, the server got {sent:?}"),
        };
        let expected = match engine {
            Engine::Chromium => "fetch fails (TypeError: Failed to fetch)",
            Engine::Firefox => "sent the body as \"[object ReadableStream]\"",
            Engine::WebKit => {
                "fetch fails (NotSupportedError: ReadableStream uploading is not supported)"
            }
        };
        settle(STREAM, engine, &seen, expected, &[]);
    })
    .await;
}

in_every_engine!(
    what_a_stream_body_does_over_http_1_1,
    super::what_a_stream_body_does_over_http_1_1_in
);
