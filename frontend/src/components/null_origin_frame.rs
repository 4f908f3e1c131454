//! The sandboxed frame that sends the requests of the exhibits trusting `Origin: null`.

use leptos::prelude::*;

use crate::api;
use crate::sandbox::NullFrame;

/// A hidden `<iframe sandbox="allow-scripts">`: scripts run, but without
/// `allow-same-origin` its origin is opaque, so its `fetch()`es say `Origin: null`.
/// [`crate::sandbox::send`] talks to it once it has loaded.
#[component]
pub fn NullOriginFrame(frame: NullFrame) -> impl IntoView {
    view! {
        <iframe
            class="null-frame"
            data-testid="null-origin-frame"
            title="A sandboxed frame that sends Origin: null"
            sandbox="allow-scripts"
            src=api::NULL_ORIGIN_PAGE
            hidden=true
            aria-hidden="true"
            tabindex="-1"
            node_ref=frame.node
            on:load=move |_| frame.loaded.set(true)
        ></iframe>
    }
}
