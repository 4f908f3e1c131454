//! Headers as a reader expects them: one `Name: value` per line, in monospace.

use leptos::prelude::*;

/// A monospace block of `Name: value` lines.
#[component]
pub fn HeaderBlock(title: &'static str, headers: Vec<(String, String)>) -> impl IntoView {
    let empty = headers.is_empty();
    let lines: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\n"))
        .collect();
    view! {
        <figure class="header-block">
            <figcaption>{title}</figcaption>
            <pre>{if empty { "(no CORS headers)".to_string() } else { lines }}</pre>
        </figure>
    }
}
