//! The outcome of a run in colour *and* words, never colour alone.

use lab_logic::Verdict;
use leptos::prelude::*;

/// Allowed / blocked / not sent, in colour *and* words.
#[component]
pub fn Badge(verdict: Verdict) -> impl IntoView {
    let (class, text) = match verdict {
        Verdict::Allowed => ("badge badge-allowed", "✓ allowed"),
        Verdict::Blocked => ("badge badge-blocked", "✗ blocked"),
        Verdict::NotSent => ("badge badge-unreached", "– not reached"),
    };
    view! { <span class=class data-verdict=verdict.label()>{text}</span> }
}
