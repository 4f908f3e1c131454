//! The attack, live (exhibit 12, "Reflecting any Origin, with credentials").
//!
//! The user logs in at the lab (`http://localhost:5173`): the API sets its
//! `lab_session` cookie, `SameSite=Lax`. Then the attacker page, served by the lab's
//! server on `http://localhost:5174`, asks the API who the user is, with
//! `credentials: "include"`:
//!
//! - exhibit 12 copies any `Origin` into `Access-Control-Allow-Origin` with
//!   `Access-Control-Allow-Credentials: true`, so the page reads the user: :5174 is
//!   another origin but the same *site* as `localhost:8000`, and the cookie goes along;
//! - the real API lists its origins and :5174 is not one of them, so the browser
//!   withholds the answer, though the request went out, cookie and all.
//!
//! The same page at `http://127.0.0.1:5174` is another site: the `Lax` cookie stays
//! home, and even exhibit 12 answers "not logged in".
//!
//! Two more attacks must get nothing, in every engine:
//!
//! - the attacker page frames the lab's sandboxed frame (`null-origin.html`) *without*
//!   `sandbox`, where it would have the lab's own origin, and asks it for
//!   `/api/whoami` and `/api/items`. The lab's `frame-ancestors 'self'` and the
//!   frame's own checks (`self.origin === "null"`, `event.origin`) leave it unanswered;
//! - the attacker page posts a plain form to `/api/login` (login CSRF): the API
//!   refuses it with a 403 `cross_site_request` and sets no cookie.
//!
//! Every engine runs them all. Engines differ on cross-site cookies (WebKit blocks
//! third-party cookies, Firefox partitions them, Chromium sends a `SameSite=None`
//! one), but not on a `SameSite=Lax` cookie: all three keep it from a cross-site
//! `fetch()` and send it within the site, so the expectations are the same for all.

use e2e::{
    exclusive, find, in_every_engine, recorded_exchanges, start_backend, start_lab, with_engine,
    Engine, Session, API, ATTACKER_PORT, LAB_PORT,
};
use fantoccini::Client;
use lab_types::Exchange;
use serde_json::json;

const LAB: &str = "http://localhost:5173";

/// What the attacker page shows for one attack.
#[derive(Debug)]
struct Attack {
    /// `stolen`, `not-logged-in` or `refused`.
    outcome: String,
    /// The user it read, when it read one.
    user: Option<String>,
    text: String,
}

/// `fetch(API + path, { method, credentials: "include" })` from the lab's page: the
/// status and body it read, or the error.
async fn fetch_from_the_lab(client: &Client, method: &str, path: &str) -> serde_json::Value {
    client.goto(LAB).await.expect("the lab loads");
    let script = r#"
        const [url, method, done] = arguments;
        fetch(url, { method, credentials: "include" }).then(
            async (response) => done({ status: response.status, body: await response.text() }),
            (error) => done({ error: String(error) }),
        );
    "#;
    client
        .execute_async(script, vec![json!(format!("{API}{path}")), json!(method)])
        .await
        .expect("the fetch script runs")
}

/// Logs in from the lab's page, as its credentials card does: the API answers with
/// its `SameSite=Lax` session cookie.
async fn log_in_at_the_lab(client: &Client) {
    let seen = fetch_from_the_lab(client, "POST", "/api/login").await;
    assert_eq!(
        seen["status"], 200,
        "the lab's origin is allowed with credentials under ENV=development, so it can \
         log in and read the answer: {seen}"
    );
    assert!(
        seen["body"].as_str().unwrap_or_default().contains("demo"),
        "the login answers with the demo user: {seen}"
    );
}

/// Opens the attacker page at `origin` and waits for both attacks it runs on load.
async fn attack_from(client: &Client, origin: &str) -> (Attack, Attack) {
    client.goto(origin).await.expect("the attacker page loads");
    let shown_origin = find(client, r#"[data-testid="attack-origin"]"#)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        shown_origin, origin,
        "the attacker page shows the origin it runs on"
    );
    (
        result(client, "attack-exhibit").await,
        result(client, "attack-api").await,
    )
}

/// The result of one attack, once the page has one (`data-outcome` set).
async fn result(client: &Client, testid: &str) -> Attack {
    let element = find(
        client,
        &format!(r#"[data-testid="{testid}"][data-outcome]"#),
    )
    .await;
    Attack {
        outcome: element.attr("data-outcome").await.unwrap().unwrap(),
        user: element.attr("data-user").await.unwrap(),
        text: element.text().await.unwrap(),
    }
}

/// What the API recorded of `GET /api/whoami` from `origin`.
async fn whoami_requests_from(origin: &str) -> Vec<Exchange> {
    recorded_exchanges()
        .await
        .into_iter()
        .filter(|e| e.origin == origin && e.path.starts_with("/api/whoami") && !e.preflight)
        .collect()
}

async fn a_page_on_another_port_steals_the_login_through_exhibit_12_but_the_real_api_refuses_it_in(
    engine: Engine,
) {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = session.client.clone();
        log_in_at_the_lab(&client).await;
        let attacker = format!("http://localhost:{ATTACKER_PORT}");
        let (exhibit, api) = attack_from(&client, &attacker).await;

        assert_eq!(
            (exhibit.outcome.as_str(), exhibit.user.as_deref()),
            ("stolen", Some("demo")),
            "{attacker} is the same site as the API, so the Lax cookie goes along, and \
             exhibit 12 allows every origin with credentials: the page must read the \
             logged-in user. It showed: {exhibit:?}"
        );
        assert!(
            exhibit.text.contains("demo"),
            "the page shows what it stole: {exhibit:?}"
        );
        assert_eq!(
            api.outcome, "refused",
            "the real API does not list {attacker}, so the browser must withhold its \
             answer (a TypeError). It showed: {api:?}"
        );
        assert!(
            api.text.contains(&engine.fetch_error_text()),
            "the page shows {engine}'s TypeError: {api:?}"
        );

        let sent = whoami_requests_from(&attacker).await;
        assert!(
            !sent.is_empty() && sent.iter().all(|e| e.had_cookie && e.status == 200),
            "CORS guards the reading, not the sending: the refused whoami still reached \
             the API with the cookie, and the API answered 200. Recorded: {sent:#?}"
        );
    })
    .await;
}

in_every_engine!(a_page_on_another_port_steals_the_login_through_exhibit_12_but_the_real_api_refuses_it, super::a_page_on_another_port_steals_the_login_through_exhibit_12_but_the_real_api_refuses_it_in);

async fn a_page_on_another_site_gets_no_cookie_not_even_through_exhibit_12_in(engine: Engine) {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = session.client.clone();
        log_in_at_the_lab(&client).await;
        let attacker = format!("http://127.0.0.1:{ATTACKER_PORT}");
        let (exhibit, api) = attack_from(&client, &attacker).await;

        assert_eq!(
            exhibit.outcome, "not-logged-in",
            "{attacker} is another site than localhost:8000, so the SameSite=Lax cookie \
             must stay home: exhibit 12's answer is readable, but a 401. It showed: \
             {exhibit:?}"
        );
        assert_eq!(exhibit.user, None, "no user was read: {exhibit:?}");
        assert_eq!(
            api.outcome, "refused",
            "the real API does not list {attacker} either: the browser must withhold its \
             answer. It showed: {api:?}"
        );

        let sent = whoami_requests_from(&attacker).await;
        assert!(
            !sent.is_empty() && sent.iter().all(|e| !e.had_cookie && e.status == 401),
            "from another site the whoami goes out without the cookie, so the API \
             answers 401. Recorded: {sent:#?}"
        );
    })
    .await;
}

in_every_engine!(
    a_page_on_another_site_gets_no_cookie_not_even_through_exhibit_12,
    super::a_page_on_another_site_gets_no_cookie_not_even_through_exhibit_12_in
);

/// What the lab's sandboxed frame says of its own origins, read from inside it:
/// `[self.origin, location.origin]`.
async fn origins_inside_the_lab_s_frame(client: &Client) -> serde_json::Value {
    client.goto(LAB).await.expect("the lab loads");
    find(client, r#"[data-testid="null-origin-frame"]"#)
        .await
        .enter_frame()
        .await
        .expect("WebDriver enters the sandboxed frame");
    let origins = client
        .execute("return [self.origin, location.origin];", vec![])
        .await
        .expect("a script runs in the frame");
    client.enter_parent_frame().await.expect("back to the lab");
    origins
}

/// What the API recorded of `/api/whoami` and `/api/items` sent by the lab's origin
/// or an opaque one: what the frame would send.
async fn requests_as_the_lab_or_its_frame() -> Vec<Exchange> {
    recorded_exchanges()
        .await
        .into_iter()
        .filter(|e| e.origin == LAB || e.origin == "null")
        .filter(|e| e.path.starts_with("/api/whoami") || e.path.starts_with("/api/items"))
        .collect()
}

async fn a_page_that_frames_the_lab_s_frame_without_sandbox_gets_nothing_from_it_in(
    engine: Engine,
) {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = session.client.clone();
        assert_eq!(
            origins_inside_the_lab_s_frame(&client).await,
            json!(["null", LAB]),
            "inside the lab's sandbox the document's origin is opaque (self.origin), while \
             location.origin is its URL's, the lab's: the frame's script relies on both"
        );
        log_in_at_the_lab(&client).await;
        // (attacker page, why): the same site as the API, where the Lax cookie would
        // go along, and another site.
        let attackers = [
            (format!("http://localhost:{ATTACKER_PORT}"), "the same site"),
            (format!("http://127.0.0.1:{ATTACKER_PORT}"), "another site"),
        ];
        for (attacker, why) in attackers {
            client
                .goto(&attacker)
                .await
                .expect("the attacker page loads");
            let frame = result(&client, "attack-frame").await;
            assert_eq!(
                (frame.outcome.as_str(), frame.user.as_deref()),
                ("ignored", None),
                "{attacker} ({why}) framed {LAB}/null-origin.html without sandbox: the \
                 browser must refuse the frame (frame-ancestors 'self') and the frame must \
                 ignore a parent that is not the lab, so nothing comes back. It showed: \
                 {frame:?}"
            );
        }
        let sent = requests_as_the_lab_or_its_frame().await;
        assert!(
            sent.is_empty(),
            "the frame sent nothing for the attacker, neither as the lab nor as null. \
             Recorded: {sent:#?}"
        );
    })
    .await;
}

in_every_engine!(
    a_page_that_frames_the_lab_s_frame_without_sandbox_gets_nothing_from_it,
    super::a_page_that_frames_the_lab_s_frame_without_sandbox_gets_nothing_from_it_in
);

/// The text of the page the browser shows once it has navigated to `url`.
async fn text_of_page_at(client: &Client, url: &str) -> String {
    let started = std::time::Instant::now();
    loop {
        let at = client.current_url().await.expect("a current URL");
        let text = client
            .execute("return document.documentElement.innerText;", vec![])
            .await
            .ok()
            .and_then(|text| text.as_str().map(str::to_string))
            .unwrap_or_default();
        // Firefox builds its JSON viewer after the load: wait for the body's text.
        if at.as_str() == url && text.contains("\"") {
            return text;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the browser did not show {url} (it is at {at}, showing {text:?})"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn a_cross_site_form_cannot_log_the_user_in_in(engine: Engine) {
    let _ports = exclusive().await;
    let _backend = start_backend("development", &[], false);
    let _lab = start_lab(LAB_PORT);
    with_engine(engine, |session: Session| async move {
        let client = session.client.clone();
        let attacker = format!("http://localhost:{ATTACKER_PORT}");
        client
            .goto(&attacker)
            .await
            .expect("the attacker page loads");
        find(&client, r#"[data-testid="attack-login-form"][data-ready]"#).await;
        find(&client, r#"[data-testid="attack-login-submit"]"#)
            .await
            .click()
            .await
            .expect("the form's button is clickable");

        let login = format!("{API}/api/login");
        let shown = text_of_page_at(&client, &login).await;
        assert!(
            shown.contains("cross_site_request"),
            "{attacker} is not an origin the policy allows: the API must refuse its form \
             with a 403 cross_site_request ApiError, which the browser shows. It showed: \
             {shown}"
        );
        let cookies = client.get_all_cookies().await.expect("the API's cookies");
        let names: Vec<_> = cookies.iter().map(|c| c.name().to_string()).collect();
        assert!(
            names.is_empty(),
            "the refused login sets no cookie for {API}: {names:?}"
        );
        let whoami = fetch_from_the_lab(&client, "GET", "/api/whoami").await;
        assert_eq!(
            whoami["status"], 401,
            "the user is still logged out: whoami from the lab answers 401. It got {whoami}"
        );
    })
    .await;
}

in_every_engine!(
    a_cross_site_form_cannot_log_the_user_in,
    super::a_cross_site_form_cannot_log_the_user_in_in
);
