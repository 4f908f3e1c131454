//! The line DevTools' console prints for a run, as the rules crate computes it
//! from the recorded exchange, with MDN's page for the failure.

use lab_logic::Diagnosis;
use leptos::prelude::*;

/// What the console shows when no line is computed.
const NOTHING: &str =
    "nothing about CORS (the page can read the answer, or the request never reached a server)";

/// "DevTools' console will say: …". The element with `testid` carries
/// `data-cors-error` and `data-failed-parameter` (empty when no check failed). With
/// `exact`, that element is the line itself, its text exactly the console's (empty
/// when there is none); otherwise it is the whole sentence around it.
#[component]
pub fn ConsoleLine(
    diagnosis: Diagnosis,
    testid: String,
    #[prop(optional)] exact: bool,
) -> impl IntoView {
    let attributes = diagnosis.console_attributes();
    let cors_error = attributes.cors_error;
    let failed_parameter = attributes.failed_parameter;
    let mdn = attributes.mdn.map(|(name, url)| {
        view! { " " <a class="mdn" href=url target="_blank" rel="noopener">"MDN: " {name}</a> }
    });
    let line = diagnosis.console_line;
    if exact {
        let none = line.is_none();
        return view! {
            <p class="console">
                "DevTools' console will say: "
                <code
                    class="console-line"
                    class:console-line-none=none
                    data-testid=testid
                    data-cors-error=cors_error
                    data-failed-parameter=failed_parameter
                >
                    {line.unwrap_or_default()}
                </code>
                {none.then(|| view! { <em>{NOTHING}</em> })}
                {mdn}
            </p>
        }
        .into_any();
    }
    view! {
        <p
            class="console"
            data-testid=testid
            data-cors-error=cors_error
            data-failed-parameter=failed_parameter
        >
            "DevTools' console will say: "
            {match line {
                Some(line) => view! { <code class="console-line">{line}</code> }.into_any(),
                None => view! { <em>{NOTHING}</em> }.into_any(),
            }}
            {mdn}
        </p>
    }
    .into_any()
}
