//! What the server saw of one run: every exchange recorded under its tag,
//! preflights first, including those the page never sees.

use leptos::prelude::*;

use super::exchange_detail::ExchangeDetail;
use crate::runner::StepRun;

/// The server's side of a run. `suffix` makes its test ids unique on the page.
#[component]
pub fn ServerView(
    run: StepRun,
    suffix: String,
    /// How many preflights the server should have seen, when that is the point.
    expected_preflights: Option<u8>,
) -> impl IntoView {
    let preflights = run.server.preflights.len();
    let exchanges = if run.server.is_empty() {
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

    view! {
        <section
            class="side server-side"
            data-testid=format!("step-server-{suffix}")
            aria-label="What the server saw"
        >
            <h4>"What the server saw " <small>"(lab_run=" {run.tag.clone()} ")"</small></h4>
            {preflight_count}
            {exchanges}
        </section>
    }
}
