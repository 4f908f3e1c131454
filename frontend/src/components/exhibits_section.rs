//! "Broken on purpose": a card per deliberately misconfigured endpoint of the
//! backend (`/exhibits/…`), when the backend serves them.

use lab_logic::exhibits::Availability;
use lab_types::exhibits;
use leptos::prelude::*;

use super::exhibit_card::ExhibitCard;
use super::null_origin_frame::NullOriginFrame;
use super::run_all::RunAll;
use crate::cards::ExhibitRun;
use crate::runner::Lab;
use crate::sandbox::NullFrame;

#[component]
pub fn ExhibitsSection() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let status = lab.exhibits;
    let availability = Memo::new(move |_| status.with(|s| Availability::of(s.as_ref())));
    let can_run = Signal::derive(move || availability.with(Availability::can_run));

    let frame = NullFrame::default();
    let runs: Vec<ExhibitRun> = exhibits::all()
        .into_iter()
        .map(|exhibit| ExhibitRun::new(&lab, exhibit, frame))
        .collect();
    let actions: Vec<Action<(), ()>> = runs.iter().map(|r| r.run).collect();
    let run_all = move || {
        can_run
            .get()
            .then(|| view! { <RunAll runs=actions.clone() id="run-exhibits" what="exhibits"/> })
    };

    let api = lab.api.clone();
    let explanation = move || {
        availability.with(|availability| {
            let text = availability.explanation(&api)?;
            Some(match availability {
                Availability::Disabled => view! {
                    <p class="note" data-testid="exhibits-disabled">{text}</p>
                }
                .into_any(),
                Availability::Unreachable(_) => view! {
                    <div class="unreachable" data-testid="exhibits-unreachable" role="alert">
                        <p>{text}</p>
                        <button class="secondary" on:click=move |_| status.refetch()>"Ask again"</button>
                    </div>
                }
                .into_any(),
                _ => view! { <p class="empty" data-testid="exhibits-loading">{text}</p> }.into_any(),
            })
        })
    };

    let cards = runs
        .into_iter()
        .map(|r| view! { <ExhibitCard exhibit=r.exhibit state=r.state run=r.run can_run/> })
        .collect_view();

    view! {
        <section class="exhibits" id="exhibits" data-testid="exhibits" aria-labelledby="exhibits-title">
            <div class="panel-head">
                <h2 id="exhibits-title">"Broken on purpose"</h2>
                {run_all}
            </div>
            <p class="lesson">
                "The API above is configured correctly, so it can only show a few of the lines people meet. "
                "Each exhibit is an endpoint under " <code>"/exhibits/…"</code> " that makes one classic server mistake for real. "
                "Run one: its card shows what the server sent, what the page saw, the line DevTools' console prints "
                "(computed from the recorded headers by the browser's own rules), why the browser refuses, and the fix."
            </p>
            {explanation}
            <NullOriginFrame frame/>
            <div class="cards">{cards}</div>
        </section>
    }
}
