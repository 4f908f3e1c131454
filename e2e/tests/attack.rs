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
//! Every engine runs both. Engines differ on cross-site cookies (WebKit blocks
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

/// Logs in from the lab's page, as its credentials card does: the API answers with
/// its `SameSite=Lax` session cookie.
async fn log_in_at_the_lab(client: &Client) {
    client.goto(LAB).await.expect("the lab loads");
    let script = r#"
        const [url, done] = arguments;
        fetch(url, { method: "POST", credentials: "include" }).then(
            async (response) => done({ status: response.status, body: await response.text() }),
            (error) => done({ error: String(error) }),
        );
    "#;
    let seen = client
        .execute_async(script, vec![json!(format!("{API}/api/login"))])
        .await
        .expect("the login script runs");
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
