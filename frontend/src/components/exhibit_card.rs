//! One exhibit of "Broken on purpose": a server mistake, the request that meets it,
//! a Run button, and afterwards what the browser made of the answer, and the fix.

use lab_logic::exhibits::{attacker_note, card_state, origin_for, outcome_label, sent_from_label};
use lab_logic::predict;
use lab_types::exhibits::{Exhibit, SentFrom};
use leptos::prelude::*;

use super::exhibit_result::ExhibitResult;
use super::request_plan::RequestPlan;
use crate::runner::{Lab, StepRun};

/// The card of `exhibit`. Test hooks: the root is `exhibit-{slug}` with
/// `data-state`, `data-outcome` and `data-tag`; the button `exhibit-{slug}-run`
/// (only when `can_run`); the console line `exhibit-{slug}-console`.
#[component]
pub fn ExhibitCard(
    exhibit: Exhibit,
    /// The last run's result; `None` before the first and while one runs.
    state: RwSignal<Option<StepRun>>,
    /// Runs the exhibit; pending while it runs.
    run: Action<(), ()>,
    /// Whether the backend serves the exhibits.
    can_run: Signal<bool>,
) -> impl IntoView {
    let lab = expect_context::<Lab>();
    let slug = exhibit.id.slug();
    let n = exhibit.number();
    let running = run.pending();
    let data_state = move || card_state(running.get(), state.with(Option::is_some));
    let outcome = move || state.with(|s| outcome_label(s.as_ref().map(|r| &r.diagnosis)));
    let tag = move || state.with(|s| s.as_ref().map(|r| r.tag.clone()).unwrap_or_default());
    let start = move |_| {
        if !running.get_untracked() {
            run.dispatch(());
        }
    };
    let button = move || {
        can_run.get().then(|| {
            view! {
                <button
                    class="run"
                    data-testid=format!("exhibit-{slug}-run")
                    on:click=start
                    disabled=running
                    aria-busy=move || running.get().to_string()
                >
                    {move || if running.get() { "Running…" } else { "Run" }}
                </button>
            }
        })
    };

    let framed = exhibit.sent_from == SentFrom::SandboxedFrame;
    let prediction = predict(&exhibit.request, framed || lab.cross_origin());
    let origin = origin_for(exhibit.sent_from, &lab.origin);
    let note = attacker_note(exhibit.id, lab.attacker_url.as_deref()).map(|note| {
        view! {
            <p class="note attacker-note" data-testid=format!("exhibit-{slug}-attacker")>
                {note.text}
                {note.link.map(|url| {
                    let text = url.clone();
                    view! { " " <a href=url target="_blank" rel="noopener">"Open the attacker's page: " {text}</a> }
                })}
            </p>
        }
    });
    let result = {
        let exhibit = exhibit.clone();
        move || {
            state.with(|s| match s {
                Some(run) => view! {
                    <ExhibitResult exhibit=exhibit.clone() run=run.clone() origin=origin.clone()/>
                }
                .into_any(),
                None => {
                    let text = if running.get() {
                        "Running…"
                    } else {
                        "Not run yet. Run it to see what the server sends and what the browser makes of it."
                    };
                    view! { <p class="empty">{text}</p> }.into_any()
                }
            })
        }
    };
    let fix = exhibit.fix;

    view! {
        <article
            class="card exhibit"
            id=format!("exhibit-{slug}")
            data-testid=format!("exhibit-{slug}")
            data-slug=slug
            data-state=data_state
            data-outcome=outcome
            data-tag=tag
            aria-labelledby=format!("exhibit-{slug}-title")
        >
            <header class="card-head">
                <span class="num" aria-hidden="true">{n}</span>
                <h3 id=format!("exhibit-{slug}-title")>{exhibit.title}</h3>
                {button}
            </header>
            <p class="lesson"><strong>"The mistake: "</strong>{exhibit.mistake}</p>
            <div class="exhibit-plan">
                <RequestPlan
                    request=exhibit.request.clone()
                    prediction
                    repeat=1
                    testid=format!("exhibit-{slug}-prediction")
                />
                <p class="sent-from" data-sent-from=if framed { "sandboxed-frame" } else { "lab" }>
                    {sent_from_label(exhibit.sent_from)}
                </p>
            </div>
            {note}
            <div aria-live="polite">{result}</div>
            <div class="fix" data-testid=format!("exhibit-{slug}-fix")>
                <h4>"The fix"</h4>
                <p>"In this project's " <code>"[cors]"</code> ":"</p>
                <pre>{fix.config}</pre>
                <p>"With FastAPI's " <code>"CORSMiddleware"</code> ":"</p>
                <pre>{fix.fastapi}</pre>
            </div>
        </article>
    }
}
