//! Every URL the lab calls, and the one function that calls them.
//!
//! The page learns the API's base URL at run time from `/config.json`, served
//! by the lab's own static server, so one build works on a laptop, under
//! compose and in production. Everything else is a path on that base.

use cors_rules::fetch::origin::origin_of_url;
use lab_logic::{Credentials, PageSaw, PlannedRequest};
use lab_types::exhibits::ExhibitsStatus;
use lab_types::{Exchange, PolicyView};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCache, RequestCredentials, RequestInit, RequestMode, Response};

/// Where the API lives when `/config.json` cannot be read (e.g. dist/ served by another
/// static server).
pub const DEFAULT_API_BASE: &str = "http://localhost:8000";

/// Served by the lab's own origin, next to `index.html`.
const CONFIG_PATH: &str = "/config.json";

/// The sandboxed frame's page, on the lab's own origin (`frontend/static/`, copied
/// into `dist/` by scripts/build-frontend.sh). Sandboxed without `allow-same-origin`, its requests say
/// `Origin: null`.
pub const NULL_ORIGIN_PAGE: &str = "/null-origin.html";

/// The lab's runtime configuration.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub api_base_url: String,
    /// The attacker's page (another origin), when the lab's server knows it.
    #[serde(default)]
    pub attacker_url: Option<String>,
}

/// `/config.json`, or the default API URL with the reason it was used.
pub async fn load_config() -> (Config, Option<String>) {
    match get_json::<Config>(CONFIG_PATH, Credentials::SameOrigin).await {
        Ok(config) => (
            Config {
                api_base_url: config.api_base_url.trim_end_matches('/').to_string(),
                ..config
            },
            None,
        ),
        Err(error) => (
            Config {
                api_base_url: DEFAULT_API_BASE.to_string(),
                attacker_url: None,
            },
            Some(format!("{CONFIG_PATH} could not be read ({error})")),
        ),
    }
}

/// The origin (`scheme://host[:port]`) of a base URL, as a browser writes it
/// (`cors_rules::fetch::origin::origin_of_url`). A base URL with no origin is
/// given back as it is, so that the page shows what it was given.
pub fn origin_of(base: &str) -> String {
    origin_of_url(base).map_or_else(|_| base.to_string(), |origin| origin.to_string())
}

/// The effective API policy, from the lab's instruments (`/lab`, readable from `lab.origins`).
pub async fn policy(base: &str) -> Result<PolicyView, String> {
    get_json(&format!("{base}/lab/policy"), Credentials::Omit).await
}

/// Whether the backend serves the exhibits (`/exhibits/…`): `[exhibits] enabled`.
pub async fn exhibits_status(base: &str) -> Result<ExhibitsStatus, String> {
    get_json(&format!("{base}/lab/exhibits"), Credentials::Omit).await
}

/// Recorded exchanges with an id above `since` (all the recorder keeps when `None`).
///
/// The recorder answers in pages, each bounded in count and in bytes, so the lab
/// reads on from the last id it got until a page comes back empty. The recorder
/// keeps a bounded ring, so this ends.
pub async fn exchanges(base: &str, since: Option<u64>) -> Result<Vec<Exchange>, String> {
    let mut all = Vec::new();
    let mut since = since.unwrap_or(0);
    loop {
        let url = format!(
            "{base}/lab/exchanges?since={since}&limit={}",
            Exchange::PAGE_MAX
        );
        let page: Vec<Exchange> = get_json(&url, Credentials::Omit).await?;
        match page.last() {
            // Ids only grow; a page that does not move on would loop forever.
            Some(last) if last.id > since => since = last.id,
            _ => return Ok(all),
        }
        all.extend(page);
    }
}

/// The Server-Sent Events stream of exchanges.
pub fn events_url(base: &str) -> String {
    format!("{base}/lab/events")
}

/// The URL `fetch()` is called with for `path` on the API at `base`: also the URL
/// DevTools' console names when CORS blocks it.
pub fn url(base: &str, path: &str) -> String {
    format!("{base}{path}")
}

/// Sends a planned request to the API, exactly as planned, and reports what
/// the page could see. `path` already carries the run tag.
pub async fn send(base: &str, request: &PlannedRequest, path: &str) -> PageSaw {
    match try_send(&url(base, path), request, RequestCache::Default).await {
        Ok(saw) => saw,
        Err(error) => PageSaw::Failed {
            message: describe(&error),
        },
    }
}

async fn try_send(
    url: &str,
    request: &PlannedRequest,
    cache: RequestCache,
) -> Result<PageSaw, JsValue> {
    let init = RequestInit::new();
    init.set_method(&request.method);
    init.set_mode(RequestMode::Cors);
    // Not `no-store` for the demo calls: Chromium then skips its preflight
    // cache too, and the caching scenario would see a preflight every time.
    init.set_cache(cache);
    init.set_credentials(credentials(request.credentials));
    let headers = web_sys::Headers::new()?;
    for (name, value) in &request.headers {
        headers.append(name, value)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    let response: Response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await?
        .dyn_into()?;
    let status = response.status();
    let headers = readable_headers(&response.headers());
    let body = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    Ok(PageSaw::Response {
        status,
        headers,
        body,
    })
}

/// The headers JavaScript may read: the browser filters out the rest.
fn readable_headers(headers: &web_sys::Headers) -> Vec<(String, String)> {
    let Ok(Some(entries)) = js_sys::try_iter(headers) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

async fn get_json<T: for<'de> Deserialize<'de>>(url: &str, mode: Credentials) -> Result<T, String> {
    let request = PlannedRequest::new("GET", url).credentials(mode);
    // The recorder and the policy change all the time: always ask the network.
    match try_send(url, &request, RequestCache::NoStore).await {
        Ok(PageSaw::Response { status, body, .. }) if (200..300).contains(&status) => {
            serde_json::from_str(&body).map_err(|e| format!("unexpected JSON: {e}"))
        }
        Ok(PageSaw::Response { status, .. }) => Err(format!("status {status}")),
        Ok(PageSaw::Failed { message }) => Err(message),
        Err(error) => Err(describe(&error)),
    }
}

fn credentials(mode: Credentials) -> RequestCredentials {
    match mode {
        Credentials::Omit => RequestCredentials::Omit,
        Credentials::SameOrigin => RequestCredentials::SameOrigin,
        Credentials::Include => RequestCredentials::Include,
    }
}

/// `TypeError: Failed to fetch`, as a page would print it.
pub fn describe(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => format!(
            "{}: {}",
            String::from(error.name()),
            String::from(error.message())
        ),
        None => error.as_string().unwrap_or_else(|| format!("{error:?}")),
    }
}

fn window() -> web_sys::Window {
    web_sys::window().expect("the lab runs in a browser window")
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn the_origin_of_a_base_url_drops_path_and_case() {
        let cases = [
            ("http://localhost:8000", "http://localhost:8000"),
            ("http://LOCALHOST:8000/api/", "http://localhost:8000"),
            ("http://localhost:80", "http://localhost"),
            ("HTTP://LocalHost:8000/x", "http://localhost:8000"),
            ("https://api.example.com", "https://api.example.com"),
        ];
        for (base, origin) in cases {
            assert_eq!(origin_of(base), origin, "origin of {base}");
        }
    }
}
