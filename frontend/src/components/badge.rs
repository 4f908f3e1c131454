//! The outcome of a run in colour *and* words, never colour alone.

use lab_logic::Verdict;
use leptos::prelude::*;

/// Allowed / blocked / not reached / network error, in colour *and* words.
#[component]
pub fn Badge(verdict: Verdict) -> impl IntoView {
    let class = match verdict {
        Verdict::Allowed => "badge badge-allowed",
        Verdict::Blocked => "badge badge-blocked",
        Verdict::NotSent => "badge badge-unreached",
        Verdict::NetworkError => "badge badge-network",
    };
    view! { <span class=class data-verdict=verdict.label()>{verdict.badge()}</span> }
}
