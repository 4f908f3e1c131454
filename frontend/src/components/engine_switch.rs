//! Whose console? Each browser engine words the same refusal its own way: the
//! cards speak the engine this page runs in, and this switch shows the other two.

use lab_logic::Engine;
use leptos::prelude::*;

use crate::runner::Lab;

/// "Console lines as Chromium · Firefox · WebKit print them", the page's own
/// engine marked and chosen at first.
#[component]
pub fn EngineSwitch() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let shown = lab.shown_engine;
    let buttons = Engine::ALL
        .into_iter()
        .map(|engine| {
            let own = (engine == lab.engine).then_some(" (this browser)");
            view! {
                <button
                    type="button"
                    class="engine"
                    data-testid=format!("engine-{}", engine.name())
                    aria-pressed=move || (shown.get() == engine).to_string()
                    on:click=move |_| shown.set(engine)
                >
                    {engine.name()}
                    {own}
                </button>
            }
        })
        .collect_view();
    view! {
        <div
            class="engine-switch"
            role="group"
            aria-label="Whose console lines the cards show"
            data-testid="engine-switch"
            data-detected=lab.engine.name()
        >
            "Console lines and page errors as printed by " {buttons}
        </div>
    }
}
