//! The exhibits, from the server's side: each one, sent what Chromium would send,
//! answers so that the browser's own checks (`cors_rules::browser`) fail with the
//! very error the catalogue promises, or pass where it promises a readable answer.

mod common;

use common::{header, spawn_app, TestApp, INSTRUMENTS_ON};
use cors_rules::browser::{check_preflight, check_response, NetError};
use cors_rules::fetch::predict;
use cors_rules::{CorsRequest, Credentials, Failure, ResponseHead};
use lab_types::exhibits::{self, Exhibit, ExhibitId, ExhibitsStatus, SentFrom, Shows};
use lab_types::{ApiError, ErrorCode, Session};
use reqwest::{Method, Response};

const LAB: &str = "http://localhost:5173";
/// The lab's attacker page, on another port of the same host.
const ATTACKER: &str = "http://localhost:5174";

/// What the browser ends up with.
#[derive(Debug)]
enum Outcome {
    /// An answer, and the verdict of the browser's checks on it.
    Checked(Result<(), Failure>),
    /// No answer at all.
    NoResponse(reqwest::Error),
}

/// Like a browser's preflight, it never follows a redirect; and it opens a new
/// connection for every request, so that one dropped connection spoils nothing else.
fn browser_like_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .expect("a client")
}

/// The page's origin: the lab's, or `null` from the sandboxed frame.
fn origin_of(exhibit: &Exhibit) -> &'static str {
    match exhibit.sent_from {
        SentFrom::Lab => LAB,
        SentFrom::SandboxedFrame => "null",
    }
}

/// The status and every header line, repeated ones included, as the browser gets them.
fn head_of(res: &Response) -> ResponseHead {
    res.headers().iter().fold(
        ResponseHead::new(res.status().as_u16()),
        |head, (name, value)| head.with(name.as_str(), String::from_utf8_lossy(value.as_bytes())),
    )
}

/// Sends the exhibit's request as Chromium would: the preflight first when the
/// request needs one (without credentials), then, if it passed, the request itself.
async fn send_like_chromium(app: &TestApp, exhibit: &Exhibit) -> Outcome {
    let client = browser_like_client();
    let origin = origin_of(exhibit);
    let request = &exhibit.request;
    let prediction = predict(request, true);
    let cors = CorsRequest::from_prediction(origin, &prediction, request.credentials);
    let url = format!("{}{}?lab_run=exhibits-test", app.address, request.url);

    if prediction.preflight {
        let mut preflight = client
            .request(Method::OPTIONS, &url)
            .header("Origin", origin)
            .header("Access-Control-Request-Method", &prediction.method);
        if !prediction.request_headers.is_empty() {
            preflight = preflight.header(
                "Access-Control-Request-Headers",
                prediction.request_headers_value(),
            );
        }
        match preflight.send().await {
            Ok(res) => {
                if let Err(failure) = check_preflight(&cors, &head_of(&res)) {
                    return Outcome::Checked(Err(failure));
                }
            }
            Err(error) => return Outcome::NoResponse(error),
        }
    }

    let method = Method::from_bytes(prediction.method.as_bytes()).expect("a method");
    let mut actual = client.request(method, &url).header("Origin", origin);
    for (name, value) in &request.headers {
        actual = actual.header(name, value);
    }
    if let Some(body) = &request.body {
        actual = actual.body(body.clone());
    }
    match actual.send().await {
        Ok(res) => Outcome::Checked(check_response(&cors, &head_of(&res))),
        Err(error) => Outcome::NoResponse(error),
    }
}

/// Whether `outcome` is what the exhibit says it shows.
fn shows(outcome: &Outcome, promised: Shows) -> bool {
    match (outcome, promised) {
        (Outcome::Checked(Err(failure)), Shows::Blocked(error)) => failure.cors_error == error,
        (Outcome::Checked(Ok(())), Shows::Readable) => true,
        // Connected, then closed before a byte of the answer: hyper's IncompleteMessage.
        (Outcome::NoResponse(error), Shows::NetworkError(NetError::EmptyResponse)) => {
            !error.is_connect() && causes(error).contains("connection closed before message")
        }
        _ => false,
    }
}

/// An error and its sources, as one sentence.
fn causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[tokio::test]
async fn every_exhibit_shows_what_the_catalogue_promises_when_sent_as_chromium_sends_it() {
    let app = spawn_app("development", &[]).await;
    let mut wrong = Vec::new();
    for exhibit in exhibits::all() {
        let outcome = send_like_chromium(&app, &exhibit).await;
        if !shows(&outcome, exhibit.shows) {
            wrong.push(format!(
                "#{} {} ({}): promises {:?}, the browser's checks give {outcome:?}",
                exhibit.number(),
                exhibit.id,
                exhibit.title,
                exhibit.shows
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn reflect_any_origin_hands_the_logged_in_user_to_any_origin() {
    let app = spawn_app("development", &[]).await;
    let login = app.send("POST", "/api/login", &[("Origin", LAB)]).await;
    let cookie = header(&login, "set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("the login sets a cookie")
        .to_string();

    let res = app
        .send(
            "GET",
            &ExhibitId::ReflectAnyOrigin.path(),
            &[("Origin", ATTACKER), ("Cookie", &cookie)],
        )
        .await;
    let attacker = CorsRequest {
        origin: ATTACKER.into(),
        method: "GET".into(),
        request_headers: Vec::new(),
        credentials: Credentials::Include,
    };
    assert_eq!(
        check_response(&attacker, &head_of(&res)),
        Ok(()),
        "the attacker's page may read the answer"
    );
    let session: Session = res.json().await.expect("a Session");
    assert_eq!(
        session.user.as_deref(),
        Some("demo"),
        "and the answer is the user's"
    );
}

#[tokio::test]
async fn reflect_any_origin_answers_a_readable_401_without_the_cookie() {
    let app = spawn_app("development", &[]).await;
    let res = app
        .get_from(&ExhibitId::ReflectAnyOrigin.path(), ATTACKER)
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(header(&res, "access-control-allow-origin"), Some(ATTACKER));
    assert_eq!(
        header(&res, "access-control-allow-credentials"),
        Some("true")
    );
    let error: ApiError = res.json().await.expect("an ApiError");
    assert_eq!(error.error, ErrorCode::NotLoggedIn);
}

#[tokio::test]
async fn trusts_null_origin_allows_null_but_not_the_lab_itself() {
    let app = spawn_app("development", &[]).await;
    // (Origin, the Access-Control-Allow-Origin expected, why)
    let cases = [
        (
            "null",
            Some("null"),
            "a sandboxed frame's null is on the list",
        ),
        (LAB, None, "the lab's own origin is not"),
    ];
    for (origin, expected, why) in cases {
        let res = app
            .get_from(&ExhibitId::TrustsNullOrigin.path(), origin)
            .await;
        assert_eq!(
            header(&res, "access-control-allow-origin"),
            expected,
            "{why}"
        );
        assert_eq!(header(&res, "vary"), Some("Origin"), "{why}: Vary");
    }
}

#[tokio::test]
async fn the_slash_redirect_keeps_the_query_and_the_slashed_route_passes_the_preflight() {
    let app = spawn_app("development", &[]).await;
    let client = browser_like_client();
    let path = ExhibitId::SlashRedirect.path();
    let preflight = |url: String| {
        client
            .request(Method::OPTIONS, url)
            .header("Origin", LAB)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type")
            .send()
    };

    let redirected = preflight(format!("{}{path}?lab_run=42", app.address))
        .await
        .expect("an answer");
    assert_eq!(redirected.status(), 308);
    assert_eq!(
        header(&redirected, "location"),
        Some(format!("{path}/?lab_run=42").as_str()),
        "the redirect adds the slash and keeps the lab's tag"
    );

    let slashed = preflight(format!("{}{path}/?lab_run=42", app.address))
        .await
        .expect("an answer");
    let request = CorsRequest {
        origin: LAB.into(),
        method: "POST".into(),
        request_headers: vec!["content-type".into()],
        credentials: Credentials::SameOrigin,
    };
    assert_eq!(
        check_preflight(&request, &head_of(&slashed)),
        Ok(()),
        "called with its slash, the route answers its preflight"
    );
}

#[tokio::test]
async fn in_development_the_exhibits_are_served_and_the_lab_is_told_so() {
    let app = spawn_app("development", &[]).await;
    let status: ExhibitsStatus = app
        .get_from("/lab/exhibits", LAB)
        .await
        .json()
        .await
        .expect("an ExhibitsStatus");
    assert_eq!(status, ExhibitsStatus { enabled: true });

    let served = app.send("GET", &ExhibitId::NoCorsLayer.path(), &[]).await;
    assert_eq!(served.status(), 200, "an exhibit is served");
    let unknown = app.send("GET", "/exhibits/no-such-exhibit", &[]).await;
    assert_eq!(unknown.status(), 404, "an unknown exhibit is not");
}

#[tokio::test]
async fn under_production_settings_no_exhibit_is_served_and_the_lab_is_told_so() {
    let app = spawn_app("production", &[INSTRUMENTS_ON]).await;
    let status: ExhibitsStatus = app
        .get_from("/lab/exhibits", LAB)
        .await
        .json()
        .await
        .expect("an ExhibitsStatus");
    assert_eq!(status, ExhibitsStatus { enabled: false });

    for id in ExhibitId::ALL {
        for path in [id.path(), format!("{}/?lab_run=1", id.path())] {
            let res = app.send("GET", &path, &[]).await;
            assert_eq!(res.status(), 404, "{id}: GET {path}");
            let error: ApiError = res.json().await.expect("the API's ApiError");
            assert_eq!(error.error, ErrorCode::NotFound, "{id}: the API's 404");
        }
    }
}
