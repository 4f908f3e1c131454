//! Runs every scenario, one after the other, so the log reads in order.

use leptos::prelude::*;

use crate::runner::Card;

#[component]
pub fn RunAll(cards: Vec<Card>) -> impl IntoView {
    let done = RwSignal::new(0usize);
    let total = cards.len();
    let run_all = Action::new_local(move |_: &()| {
        let cards = cards.clone();
        async move {
            for card in cards {
                card.run_to_end().await;
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
                id="run-all"
                data-testid="run-all"
                on:click=run
                disabled=running
                aria-busy=move || running.get().to_string()
            >
                {move || if running.get() { "Running all…" } else { "Run all scenarios" }}
            </button>
            <span
                class="progress"
                data-testid="run-all-progress"
                data-done=move || done.get().to_string()
                data-running=move || running.get().to_string()
                aria-live="polite"
            >
                {move || {
                    if running.get() {
                        format!("{} of {total} done", done.get())
                    } else if done.get() == total {
                        format!("all {total} scenarios ran")
                    } else {
                        String::new()
                    }
                }}
            </span>
        </div>
    }
}
