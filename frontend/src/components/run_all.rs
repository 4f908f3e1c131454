//! Runs every scenario, one after the other, so the log reads in order.

use lab_logic::scenarios::Scenario;
use leptos::prelude::*;

use crate::runner::{run_scenario, CardState, Lab};

#[component]
pub fn RunAll(cards: Vec<(Scenario, RwSignal<CardState>)>) -> impl IntoView {
    let lab = expect_context::<Lab>();
    let running = RwSignal::new(false);
    let done = RwSignal::new(0usize);
    let total = cards.len();
    let run = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        done.set(0);
        let lab = lab.clone();
        let cards = cards.clone();
        leptos::task::spawn_local(async move {
            for (scenario, state) in cards {
                run_scenario(lab.clone(), scenario, state).await;
                done.update(|d| *d += 1);
            }
            running.set(false);
        });
    };
    view! {
        <div class="run-all">
            <button
                id="run-all"
                data-testid="run-all"
                on:click=run
                disabled=move || running.get()
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
