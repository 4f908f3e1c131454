//! What every test does with a page, in any engine: find an element, read it,
//! take a screenshot.

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::engines::{with_engine, Engine};
use crate::programs::workspace_root;

/// Runs `test` with a fresh Chromium and closes it afterwards, also when `test`
/// panics. For the tests that check Chromium alone; see [`with_engine`].
pub async fn with_browser<F, Fut>(test: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    with_engine(Engine::Chromium, |session| test(session.client)).await;
}

/// Waits for the element `css`, up to 20 s.
pub async fn find(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css:?} on the page: {e}"))
}

/// An attribute of the element with `data-testid="<test_id>"` (empty when absent),
/// once it is on the page.
pub async fn attribute(client: &Client, test_id: &str, name: &str) -> String {
    let element = find(client, &format!("[data-testid='{test_id}']")).await;
    element
        .attr(name)
        .await
        .expect("an attribute")
        .unwrap_or_default()
}

/// The text of the element with `data-testid="<test_id>"`, once it is on the page.
pub async fn text(client: &Client, test_id: &str) -> String {
    let element = find(client, &format!("[data-testid='{test_id}']")).await;
    element.text().await.expect("the element's text")
}

/// Saves a PNG of the page: into `docs/screenshots/` when
/// `CORS_LAB_UPDATE_SCREENSHOTS=1`, otherwise into the target folder.
pub async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let png = client.screenshot().await.expect("a screenshot");
    let dir = if std::env::var("CORS_LAB_UPDATE_SCREENSHOTS").as_deref() == Ok("1") {
        workspace_root().join("docs/screenshots")
    } else {
        let exe = std::env::current_exe().unwrap();
        exe.ancestors().nth(2).unwrap().join("screenshots")
    };
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap();
    path
}
