//! The harness of the browser suite: the real backend, the real lab server and a
//! browser (Chromium, Firefox or WebKit, see [`engines`]), each started for a test
//! and stopped after it, failure or not.
//!
//! Every test runs the programs on their real ports (8000, 5173, and 5174 for the
//! attacker page), because the origins are what the CORS policy is about:
//! `http://localhost:5173` is listed in `config/development.toml`, a page on another
//! port is not. Tests therefore take turns (`exclusive`).

mod browser;
pub mod captured;
pub mod devtools;
pub mod engines;
pub mod fact_capture;
pub mod fact_server;
pub mod firefox_browser_console;
mod programs;
pub mod words;

pub use browser::{attribute, find, screenshot, text, with_browser};
pub use engines::{with_engine, Engine, Session};
pub use programs::{
    start_backend, start_lab, workspace_root, Running, API, ATTACKER_PORT, BACKEND_PORT,
    INSTRUMENTS_ON, LAB_PORT,
};

/// Held by a test while it uses the fixed ports.
pub async fn exclusive() -> tokio::sync::MutexGuard<'static, ()> {
    static PORTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    PORTS.lock().await
}

/// Everything the backend's recorder holds (`GET /lab/exchanges`): the server's side
/// of what the browser sent. The recorder answers in pages: read on from the last id
/// until a page is empty.
pub async fn recorded_exchanges() -> Vec<lab_types::Exchange> {
    let mut all: Vec<lab_types::Exchange> = Vec::new();
    let limit = lab_types::Exchange::PAGE_MAX;
    loop {
        let since = all.last().map_or(0, |e| e.id);
        let page: Vec<lab_types::Exchange> =
            reqwest::get(format!("{API}/lab/exchanges?since={since}&limit={limit}"))
                .await
                .expect("the recorder answers")
                .json()
                .await
                .expect("a list of exchanges");
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}
