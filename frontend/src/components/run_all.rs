//! Runs every card of a section, one after the other, so the log reads in order.

use leptos::prelude::*;

use crate::cards::run_to_end;

/// A button that runs `runs` in order, and its progress. `id` is the button's id
/// and test id (`run-all` for the scenarios, `run-exhibits` for the exhibits); the
/// progress is `{id}-progress`. `what` names the cards, e.g. "scenarios".
#[component]
pub fn RunAll(runs: Vec<Action<(), ()>>, id: &'static str, what: &'static str) -> impl IntoView {
    let done = RwSignal::new(0usize);
    let total = runs.len();
    let run_all = Action::new_local(move |_: &()| {
        let runs = runs.clone();
        async move {
            for run in runs {
                run_to_end(run).await;
                done.update(|d| *d += 1);
            }
        }
    });
    let running = run_all.pending();
    let run = move |_| {
        if !running.get_untracked() {
            done.set(0);
            run_all.dispatch(());
        }
    };
    view! {
        <div class="run-all">
            <button
                id=id
                data-testid=id
                on:click=run
                disabled=running
                aria-busy=move || running.get().to_string()
            >
                {move || if running.get() { format!("Running all {what}…") } else { format!("Run all {what}") }}
            </button>
            <span
                class="progress"
                data-testid=format!("{id}-progress")
                data-done=move || done.get().to_string()
                data-running=move || running.get().to_string()
                aria-live="polite"
            >
                {move || {
                    if running.get() {
                        format!("{} of {total} done", done.get())
                    } else if done.get() == total {
                        format!("all {total} {what} ran")
                    } else {
                        String::new()
                    }
                }}
            </span>
        </div>
    }
}
