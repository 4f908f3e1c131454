//! Where am I, and where is the API? The two origins every CORS decision compares.

use leptos::prelude::*;

use super::engine_switch::EngineSwitch;
use crate::runner::Lab;

/// The page's origin, the API's origin, the backend's ENV, and whether the two
/// origins are the same (then CORS does not apply at all).
#[component]
pub fn LabHeader() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let policy = lab.policy;
    // The `backend-env` test id appears only once the ENV is known, so a test
    // that waits for it never reads the loading placeholder.
    let env = move || {
        policy.with(|state| match state {
            Some(Ok(policy)) => view! {
                <code id="backend-env" data-testid="backend-env">{policy.env.clone()}</code>
            }
            .into_any(),
            None => view! {
                <code data-testid="backend-env-loading">"…"</code>
            }
            .into_any(),
            Some(Err(_)) => view! {
                <code id="backend-env" data-testid="backend-env">"unknown (backend unreachable)"</code>
            }
            .into_any(),
        })
    };
    let same = !lab.cross_origin();
    let (other_url, other_host) = other_host_link(&lab.origin);
    view! {
        <header class="lab-header">
            <div class="brand">
                <h1>"CORS lab"</h1>
                <p class="tagline">"Every call on this page is a real cross-origin request. See what the page sees — and what it can't."</p>
            </div>
            <dl class="origins">
                <div>
                    <dt>"This page's origin"</dt>
                    <dd><code id="page-origin" data-testid="page-origin">{lab.origin.clone()}</code></dd>
                </div>
                <div>
                    <dt>"API origin"</dt>
                    <dd><code id="api-origin" data-testid="api-origin">{lab.api_origin.clone()}</code></dd>
                </div>
                <div>
                    <dt>"Backend ENV"</dt>
                    <dd>{env}</dd>
                </div>
                <div>
                    <dt>"Same origin?"</dt>
                    <dd
                        id="same-origin"
                        data-testid="same-origin"
                        data-same-origin=same.to_string()
                    >
                        {if same {
                            "yes — CORS does not apply"
                        } else {
                            "no — the browser enforces CORS on every call"
                        }}
                    </dd>
                </div>
            </dl>
            <EngineSwitch/>
            {lab.config_warning.clone().map(|w| view! {
                <p class="warning" data-testid="config-warning">
                    "Using the default API URL: " {w} "."
                </p>
            })}
            <p class="note" data-testid="origin-note">
                "An origin is scheme + host + port, compared as text: "
                <code>"http://localhost:5173"</code> " and " <code>"http://127.0.0.1:5173"</code>
                " are different origins, even though they reach the same server. "
                <a id="other-origin-link" data-testid="other-origin-link" href=other_url>
                    "Open this lab from " {other_host}
                </a>
                " and compare."
            </p>
        </header>
    }
}

/// The same page on the other loopback name: localhost ↔ 127.0.0.1.
fn other_host_link(origin: &str) -> (String, &'static str) {
    let (scheme, rest) = origin.split_once("://").unwrap_or(("http", origin));
    let port = rest
        .rsplit_once(':')
        .map(|(_, p)| format!(":{p}"))
        .unwrap_or_default();
    let other = if rest.starts_with("localhost") {
        "127.0.0.1"
    } else {
        "localhost"
    };
    (format!("{scheme}://{other}{port}/"), other)
}

#[cfg(test)]
mod tests {
    use super::other_host_link;

    #[test]
    fn the_other_origin_link_swaps_the_loopback_name_and_keeps_the_port() {
        let cases = [
            ("http://localhost:5173", "http://127.0.0.1:5173/"),
            ("http://127.0.0.1:5173", "http://localhost:5173/"),
            ("http://lab.test", "http://localhost/"),
        ];
        for (origin, link) in cases {
            assert_eq!(other_host_link(origin).0, link, "from {origin}");
        }
    }
}
