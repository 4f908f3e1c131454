//! What the page saw of one run: the status and the readable answer, or the bare
//! error `fetch()` rejected with.

use lab_logic::PageSaw;
use leptos::prelude::*;

use super::badge::Badge;
use super::header_block::HeaderBlock;
use crate::runner::StepRun;

/// The page's side of a run. `suffix` makes its test ids unique on the page.
#[component]
pub fn PageSide(run: StepRun, suffix: String) -> impl IntoView {
    let verdict = run.diagnosis.verdict;
    let statuses: Vec<String> = run.page.iter().map(PageSaw::status_text).collect();
    let status = statuses.last().cloned().unwrap_or_default();

    let page_view = match run.last_page().cloned() {
        Some(PageSaw::Response {
            headers, body, ..
        }) => view! {
            <HeaderBlock title="readable response headers" headers=headers/>
            <figure class="header-block">
                <figcaption>"body"</figcaption>
                <pre data-testid=format!("step-body-{suffix}")>
                    {if body.is_empty() { "(empty)".to_string() } else { body }}
                </pre>
            </figure>
        }
        .into_any(),
        Some(PageSaw::Failed { message }) => view! {
            <p class="opaque">
                "fetch() rejected with " <code data-testid=format!("step-error-{suffix}")>{message}</code>
                ". " {verdict.page_error_note()}
            </p>
        }
        .into_any(),
        None => view! { <p>"Nothing was sent."</p> }.into_any(),
    };

    let repeats = (statuses.len() > 1).then(|| {
        view! { <p class="repeats">"Statuses of the " {statuses.len()} " requests: " {statuses.join(", ")}</p> }
    });

    let watched = (!run.watched.is_empty()).then(|| {
        let rows = run
            .watched
            .iter()
            .map(|(name, value)| {
                let readable = value.is_some();
                let shown = value
                    .clone()
                    .unwrap_or_else(|| "null — not readable".to_string());
                view! {
                    <li
                        data-testid=format!("header-{suffix}-{}", name.to_ascii_lowercase())
                        data-readable=readable.to_string()
                        class:readable=readable
                    >
                        <code>"response.headers.get(\"" {name.clone()} "\")"</code>
                        " → "
                        <strong>{shown}</strong>
                        {if readable { " (exposed)" } else { " (not exposed)" }}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="watched">{rows}</ul> }
    });

    view! {
        <section class="side page-side" aria-label="What the page saw">
            <h4>"What the page saw"</h4>
            <p class="status-line">
                <Badge verdict/>
                " "
                <span data-testid=format!("step-status-{suffix}")>{status}</span>
            </p>
            {repeats}
            {watched}
            {page_view}
        </section>
    }
}
