//! An exhibit's run: what the page saw, the console line computed from what the
//! server sent, why the browser refuses, and both sides in full.

use lab_logic::exhibits::{comparison, why};
use lab_types::exhibits::Exhibit;
use leptos::prelude::*;

use super::badge::Badge;
use super::console_line::ConsoleLine;
use super::page_side::PageSide;
use super::server_view::ServerView;
use crate::runner::StepRun;

/// The result of one exhibit run, for a request sent from `origin`.
#[component]
pub fn ExhibitResult(exhibit: Exhibit, run: StepRun, origin: String) -> impl IntoView {
    let slug = exhibit.id.slug();
    let suffix = format!("exhibit-{slug}");
    let diagnosis = run.diagnosis.clone();
    let verdict = diagnosis.verdict;
    let status = run.last_page().map(|p| p.status_text()).unwrap_or_default();
    let (as_claimed, claim) = comparison(exhibit.shows, &diagnosis);
    let why = why(&exhibit, &diagnosis, &origin);
    let details = diagnosis
        .details
        .iter()
        .map(|d| view! { <li>{d.clone()}</li> })
        .collect_view();
    view! {
        <div class="summary">
            <p class="outcome" data-testid=format!("exhibit-{slug}-outcome") data-outcome=verdict.label()>
                <Badge verdict/>
                " Page saw: "
                <span data-testid=format!("exhibit-{slug}-status")>{status}</span>
            </p>
            <ConsoleLine diagnosis=diagnosis.clone() testid=format!("exhibit-{slug}-console") exact=true/>
            <p class="why" data-testid=format!("exhibit-{slug}-why")>
                <strong>"Why: "</strong>
                {why}
            </p>
            <p
                class="comparison"
                class:mismatch=!as_claimed
                data-testid=format!("exhibit-{slug}-claim")
                data-as-claimed=as_claimed.to_string()
            >
                {claim}
            </p>
        </div>
        <details class="exhibit-sides" open=true>
            <summary>"Both sides: what the server sent, what the page saw"</summary>
            <div class="sides">
                <ServerView run=run.clone() suffix=suffix.clone() expected_preflights=None/>
                <PageSide run suffix/>
            </div>
            <ul class="evidence">{details}</ul>
        </details>
    }
}
