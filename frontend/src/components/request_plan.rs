//! The request a card sends, as planned, and whether the browser will preflight it.

use lab_logic::{PlannedRequest, Prediction};
use leptos::prelude::*;

/// The method and URL, the credentials mode, the headers set by hand, and the
/// prediction (`testid` is the prediction's test id).
#[component]
pub fn RequestPlan(
    request: PlannedRequest,
    prediction: Prediction,
    /// How many times the identical request is sent.
    repeat: u8,
    testid: String,
) -> impl IntoView {
    let headers: Vec<String> = request
        .headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect();
    let credentials = request.credentials.as_str();
    let repeat = (repeat > 1).then(|| format!(" × {repeat}"));
    view! {
        <p class="request-line">
            <code>{request.method.clone()} " " {request.url.clone()}</code>
            {repeat}
            <span class="mode">" credentials: " {credentials}</span>
        </p>
        {(!headers.is_empty()).then(|| view! { <pre class="sent-headers">{headers.join("\n")}</pre> })}
        <p
            class="prediction"
            class:prediction-preflight=prediction.preflight
            data-testid=testid
            data-preflight=prediction.preflight.to_string()
        >
            <span class="tag" class:tag-preflight=prediction.preflight>
                {if prediction.preflight { "preflight" } else { "no preflight" }}
            </span>
            " "
            {prediction.summary()}
        </p>
    }
}
