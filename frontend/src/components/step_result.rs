//! Both sides of one run: what the page saw, what the server saw, and why.

use lab_logic::Verdict;
use leptos::prelude::*;

use super::console_line::ConsoleLine;
use super::page_side::PageSide;
use super::server_view::ServerView;
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
    let status = run.last_page().map(|p| p.status_text()).unwrap_or_default();
    let preflights = run.server.preflights.len();
    let actual = run.server.actual.len();
    let had_cookie = run.server.actual.iter().any(|e| e.had_cookie);

    let diagnosis = run.diagnosis.clone();
    let key = diagnosis.key.map_or("", |k| k.as_str());
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
            data-status=status
            data-preflights=preflights.to_string()
            data-actual=actual.to_string()
            data-had-cookie=had_cookie.to_string()
            data-tag=run.tag.clone()
        >
            <div class="sides">
                <PageSide run=run.clone() suffix=suffix.clone()/>
                <ServerView run=run.clone() suffix=suffix.clone() expected_preflights/>
            </div>
            <div
                class="diagnosis"
                class:diagnosis-blocked=verdict != Verdict::Allowed
                data-testid=format!("step-diagnosis-{suffix}")
                data-key=key
            >
                <p><strong>{diagnosis.headline.clone()}</strong></p>
                <ConsoleLine diagnosis=diagnosis.clone() testid=format!("console-{suffix}")/>
                {diagnosis.key.map(|k| view! { <p class="key">"Config key to change: " <code>{k.as_str()}</code></p> })}
                <ul>{details}</ul>
            </div>
        </div>
    }
}
