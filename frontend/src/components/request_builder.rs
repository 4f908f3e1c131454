//! Build any request and see both sides, with the same prediction and diagnosis
//! as the scenarios.

use lab_logic::expectation::{describe_under, expect_under};
use lab_logic::scenarios::{Governor, Step};
use lab_logic::{parse_header_lines, predict, Credentials, PlannedRequest};
use leptos::prelude::*;

use super::step_result::StepResult;
use crate::runner::{run_step, Lab};

#[component]
pub fn RequestBuilder() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let method = RwSignal::new("PUT".to_string());
    let path = RwSignal::new("/api/items/1".to_string());
    let headers =
        RwSignal::new("Content-Type: application/json\nX-Request-Id: from-the-builder".to_string());
    let body = RwSignal::new(r#"{"name":"built by hand","done":false}"#.to_string());
    let credentials = RwSignal::new(Credentials::SameOrigin);

    // The planned request, or what is wrong with the form.
    let planned = Memo::new(move |_| -> Result<PlannedRequest, String> {
        let headers = parse_header_lines(&headers.get())?;
        let method = method.get().trim().to_string();
        if method.is_empty() {
            return Err("the method is empty".into());
        }
        let path = path.get().trim().to_string();
        if !path.starts_with('/') {
            return Err("the path must start with /".into());
        }
        let body = body.get();
        Ok(PlannedRequest {
            method,
            url: path,
            headers,
            body: (!body.trim().is_empty()).then_some(body),
            credentials: credentials.get(),
        })
    });
    // What the browser will do with it: computed once per change, read three times below.
    let cross_origin = lab.cross_origin();
    let prediction = Memo::new(move |_| {
        planned.with(|planned| match planned {
            Ok(request) => Ok(predict(request, cross_origin)),
            Err(error) => Err(error.clone()),
        })
    });
    let prediction_text = move || {
        prediction.with(|prediction| match prediction {
            Ok(prediction) => prediction.summary(),
            Err(error) => format!("Cannot send yet: {error}."),
        })
    };
    let notes = move || {
        prediction.with(|prediction| match prediction {
            Ok(prediction) => prediction
                .notes
                .iter()
                .map(|n| view! { <li>{n.explain()}</li> })
                .collect_view()
                .into_any(),
            Err(_) => ().into_any(),
        })
    };
    let expectation = {
        let lab = lab.clone();
        move || {
            prediction.with(|prediction| {
                let Ok(prediction) = prediction else {
                    return String::new();
                };
                let governor = planned.with(|planned| match planned {
                    Ok(request) => Governor::for_path(&request.url),
                    Err(_) => Governor::Api,
                });
                lab.policy.with(|policy| match policy {
                    Some(Ok(view)) => describe_under(
                        &expect_under(
                            governor,
                            &view.policy,
                            &lab.origin,
                            prediction,
                            credentials.get(),
                        ),
                        governor,
                    ),
                    _ => "Expected: unknown until the policy can be read.".to_string(),
                })
            })
        }
    };

    // Sends the request and gathers both sides; its value is the latest result.
    let send = {
        let lab = lab.clone();
        Action::new_local(move |request: &PlannedRequest| {
            let lab = lab.clone();
            let step = Step {
                label: "request builder",
                request: request.clone(),
                repeat: 1,
                watch_headers: &[],
            };
            async move { run_step(&lab, Governor::for_path(&step.request.url), &step).await }
        })
    };
    let sending = send.pending();
    let result = send.value();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if sending.get_untracked() {
            return;
        }
        if let Ok(request) = planned.get_untracked() {
            send.dispatch(request);
        }
    };
    let invalid = move || planned.with(Result::is_err);

    view! {
        <section class="panel builder" id="builder" data-testid="builder" aria-labelledby="builder-title">
            <h2 id="builder-title">"Request builder"</h2>
            <form class="builder-form" on:submit=submit>
                <div class="field method-field">
                    <label for="builder-method">"Method"</label>
                    <input id="builder-method" data-testid="builder-method" list="methods" bind:value=method autocomplete="off"/>
                    <datalist id="methods">
                        <option value="GET"/>
                        <option value="HEAD"/>
                        <option value="POST"/>
                        <option value="PUT"/>
                        <option value="PATCH"/>
                        <option value="DELETE"/>
                    </datalist>
                </div>
                <div class="field path-field">
                    <label for="builder-path">"Path on " <code>{lab.api_origin.clone()}</code></label>
                    <input id="builder-path" data-testid="builder-path" bind:value=path autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="builder-credentials">"Credentials"</label>
                    <select
                        id="builder-credentials"
                        data-testid="builder-credentials"
                        on:change=move |ev| {
                            if let Some(mode) = Credentials::parse(&event_target_value(&ev)) {
                                credentials.set(mode);
                            }
                        }
                    >
                        <option value="omit">"omit"</option>
                        <option value="same-origin" selected=true>"same-origin (default)"</option>
                        <option value="include">"include"</option>
                    </select>
                </div>
                <div class="field wide">
                    <label for="builder-headers">"Headers " <small>"(one " <code>"Name: value"</code> " per line)"</small></label>
                    <textarea id="builder-headers" data-testid="builder-headers" rows="3" bind:value=headers spellcheck="false"></textarea>
                </div>
                <div class="field wide">
                    <label for="builder-body">"Body " <small>"(empty for none)"</small></label>
                    <textarea id="builder-body" data-testid="builder-body" rows="2" bind:value=body spellcheck="false"></textarea>
                </div>
                <div class="builder-foot wide">
                    <p class="prediction" data-testid="builder-prediction" class:invalid=invalid>{prediction_text}</p>
                    <p class="expectation" data-testid="builder-expected">{expectation}</p>
                    <ul class="notes">{notes}</ul>
                    <button type="submit" id="builder-send" data-testid="builder-send" disabled=move || sending.get() || invalid()>
                        {move || if sending.get() { "Sending…" } else { "Send" }}
                    </button>
                </div>
            </form>
            {move || result.get().map(|run| view! {
                <StepResult run suffix="builder".to_string() expected_preflights=None/>
            })}
        </section>
    }
}
