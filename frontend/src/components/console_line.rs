//! What the console prints for a run, in the words of the engine the switch shows
//! (the page's own at first), as the rules crate computes them from the recorded
//! exchange, with MDN's page for the failure.

use lab_logic::engine_words::engine_words;
use lab_logic::{Diagnosis, Engine};
use leptos::prelude::*;

use crate::runner::Lab;

/// What the console shows when no line is computed.
const NOTHING: &str =
    "nothing about CORS (the page can read the answer, or the request never reached a server)";

/// The console's lines for `diagnosis` in `engine`'s words, one per line (empty
/// when it prints none), and what the page sees in that engine.
pub fn lines_for(diagnosis: &Diagnosis, engine: Engine) -> (String, Option<String>) {
    match engine_words(diagnosis, engine) {
        Some(words) => (words.console_lines.join("\n"), Some(words.page_error)),
        None => (String::new(), None),
    }
}

/// "Firefox's console will say: …". The element with `testid` carries
/// `data-engine`, `data-cors-error` and `data-failed-parameter` (Chromium's
/// DevTools classification; empty when no check failed). With `exact`, that
/// element is the lines themselves, its text exactly the console's, one line per
/// console line (empty when there is none); otherwise it is the whole sentence.
#[component]
pub fn ConsoleLine(
    diagnosis: Diagnosis,
    testid: String,
    #[prop(optional)] exact: bool,
) -> impl IntoView {
    let shown = expect_context::<Lab>().shown_engine;
    let attributes = diagnosis.console_attributes();
    let cors_error = attributes.cors_error;
    let failed_parameter = attributes.failed_parameter;
    // Built at each render (a view is not `Clone` once components are type-erased).
    let mdn = attributes.mdn;
    let mdn_link = move || {
        mdn.clone().map(|(name, url)| {
            view! { " " <a class="mdn" href=url target="_blank" rel="noopener">"MDN: " {name}</a> }
        })
    };
    move || {
        let engine = shown.get();
        let (lines, page_error) = lines_for(&diagnosis, engine);
        let none = lines.is_empty();
        let says = format!("{}'s console will say: ", engine.name());
        let page = page_error.map(|error| {
            view! { <span class="page-error">" The page sees " <code>{error}</code></span> }
        });
        let nothing = none.then(|| view! { <em>{NOTHING}</em> });
        if exact {
            view! {
                <p class="console">
                    {says}
                    <code
                        class="console-line"
                        class:console-line-none=none
                        data-testid=testid.clone()
                        data-engine=engine.name()
                        data-cors-error=cors_error
                        data-failed-parameter=failed_parameter.clone()
                    >
                        {lines}
                    </code>
                    {nothing}
                    {page}
                    {mdn_link()}
                </p>
            }
            .into_any()
        } else {
            view! {
                <p
                    class="console"
                    data-testid=testid.clone()
                    data-engine=engine.name()
                    data-cors-error=cors_error
                    data-failed-parameter=failed_parameter.clone()
                >
                    {says}
                    {(!none).then(|| view! { <code class="console-line">{lines}</code> })}
                    {nothing}
                    {page}
                    {mdn_link()}
                </p>
            }
            .into_any()
        }
    }
}
