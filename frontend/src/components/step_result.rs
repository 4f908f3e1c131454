//! Both sides of one run: what the page saw, what the server saw, and why.

use lab_logic::{PageSaw, Verdict};
use leptos::prelude::*;

use super::badge::Badge;
use super::exchange_detail::ExchangeDetail;
use super::header_block::HeaderBlock;
use crate::runner::StepRun;

/// The result of one step. `suffix` makes the test ids unique on the page
/// (`1-0` for scenario 1, step 0; `builder` for the request builder).
#[component]
pub fn StepResult(
    run: StepRun,
    suffix: String,
    /// How many preflights the server should have seen, when that is the point.
    expected_preflights: Option<u8>,
) -> impl IntoView {
    let verdict = run.diagnosis.verdict;
    let statuses: Vec<String> = run.page.iter().map(status_text).collect();
    let status = statuses.last().cloned().unwrap_or_default();
    let status_attr = status.clone();
    let preflights = run.server.preflights.len();
    let actual = run.server.actual.len();
    let had_cookie = run.server.actual.iter().any(|e| e.had_cookie);

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
                ". That is all a page ever learns about a CORS failure."
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

    let server_view = if run.server.is_empty() {
        let reason = run
            .recorder_error
            .clone()
            .map(|e| format!("The recorder could not be read: {e}."))
            .unwrap_or_else(|| "The recorder has no exchange tagged with this run.".to_string());
        view! { <p class="empty">{reason}</p> }.into_any()
    } else {
        run.server
            .preflights
            .iter()
            .chain(run.server.actual.iter())
            .cloned()
            .map(|exchange| view! { <ExchangeDetail exchange/> })
            .collect_view()
            .into_any()
    };

    let preflight_count = expected_preflights.map(|expected| {
        let ok = preflights == expected as usize;
        view! {
            <p class="count" class:mismatch=!ok>
                "The server saw "
                <strong data-testid=format!("preflight-count-{suffix}") data-expected=expected.to_string()>
                    {preflights}
                </strong>
                " preflight(s) for " {run.page.len()} " identical requests; expected " {expected} "."
            </p>
        }
    });

    let diagnosis = run.diagnosis.clone();
    let key = diagnosis.key.map_or("", |k| k.as_str());
    let (cors_error, failed_parameter) = diagnosis.failure.as_ref().map_or(("", ""), |f| {
        (f.cors_error.as_str(), f.failed_parameter.as_str())
    });
    let mdn = diagnosis.failure.as_ref().map(|f| f.cors_error.mdn());
    let console = view! {
        <p
            class="console"
            data-testid=format!("console-{suffix}")
            data-cors-error=cors_error
            data-failed-parameter=failed_parameter.to_string()
        >
            "DevTools' console will say: "
            {match diagnosis.console_line.clone() {
                Some(line) => view! { <code class="console-line">{line}</code> }.into_any(),
                None => view! { <em>"nothing about CORS (the page can read the answer, or the request never reached a server)"</em> }.into_any(),
            }}
            {mdn.map(|reason| view! {
                " " <a class="mdn" href=reason.url() target="_blank" rel="noopener">"MDN: " {reason.as_str()}</a>
            })}
        </p>
    };
    let details = diagnosis
        .details
        .iter()
        .map(|d| view! { <li>{d.clone()}</li> })
        .collect_view();

    view! {
        <div
            class="step-result"
            data-testid=format!("step-{suffix}")
            data-outcome=verdict.label()
            data-status=status_attr
            data-preflights=preflights.to_string()
            data-actual=actual.to_string()
            data-had-cookie=had_cookie.to_string()
            data-tag=run.tag.clone()
        >
            <div class="sides">
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
                <section
                    class="side server-side"
                    data-testid=format!("step-server-{suffix}")
                    aria-label="What the server saw"
                >
                    <h4>"What the server saw " <small>"(lab_run=" {run.tag.clone()} ")"</small></h4>
                    {preflight_count}
                    {server_view}
                </section>
            </div>
            <div
                class="diagnosis"
                class:diagnosis-blocked=verdict != Verdict::Allowed
                data-testid=format!("step-diagnosis-{suffix}")
                data-key=key
            >
                <p><strong>{diagnosis.headline.clone()}</strong></p>
                {console}
                {diagnosis.key.map(|k| view! { <p class="key">"Config key to change: " <code>{k.as_str()}</code></p> })}
                <ul>{details}</ul>
            </div>
        </div>
    }
}

/// `200` or the error text.
pub fn status_text(page: &PageSaw) -> String {
    match page {
        PageSaw::Response { status, .. } => status.to_string(),
        PageSaw::Failed { message } => message.clone(),
    }
}
