//! One scenario of the tutorial: the plan, the prediction, a Run button, and
//! afterwards both sides of the exchange with a diagnosis.

use lab_logic::expectation::{card_label, comparison, describe_under, expect_under};
use lab_logic::scenarios::{expected_preflights, Scenario};
use lab_logic::{predict, Verdict};
use leptos::prelude::*;

use super::badge::Badge;
use super::console_line::lines_for;
use super::request_plan::RequestPlan;
use super::step_result::StepResult;
use crate::cards::CardState;
use crate::runner::Lab;

#[component]
pub fn ScenarioCard(
    scenario: Scenario,
    state: RwSignal<CardState>,
    /// Runs the scenario; pending while the card is running.
    run: Action<(), ()>,
) -> impl IntoView {
    let lab = expect_context::<Lab>();
    let n = scenario.number;
    let cross_origin = lab.cross_origin();
    let governor = scenario.governor;

    // What the policy that answers (the API's, or /public's fixed one) should do
    // with each step, once the API's policy is known.
    let expectations = {
        let lab = lab.clone();
        let scenario = scenario.clone();
        Memo::new(move |_| {
            lab.policy.with(|policy| match policy {
                Some(Ok(policy)) => scenario
                    .steps
                    .iter()
                    .map(|step| {
                        let prediction = predict(&step.request, cross_origin);
                        expect_under(
                            governor,
                            &policy.policy,
                            &lab.origin,
                            &prediction,
                            step.request.credentials,
                        )
                    })
                    .collect::<Vec<_>>(),
                _ => Vec::new(),
            })
        })
    };
    let card_expected = move || expectations.with(|list| card_label(list));

    let plan = scenario
        .steps
        .iter()
        .enumerate()
        .map(|(k, step)| {
            let prediction = predict(&step.request, cross_origin);
            let expectation = move || {
                expectations.with(|list| match list.get(k) {
                    Some(expectation) => describe_under(expectation, governor),
                    None => "Expected: unknown until the policy can be read.".to_string(),
                })
            };
            view! {
                <li class="plan-step">
                    <RequestPlan
                        request=step.request.clone()
                        prediction
                        repeat=step.repeat
                        testid=format!("prediction-{n}-{k}")
                    />
                    <p class="expectation" data-testid=format!("expected-{n}-{k}")>{expectation}</p>
                </li>
            }
        })
        .collect_view();

    let running = run.pending();
    let start = move |_| {
        if !running.get_untracked() {
            run.dispatch(());
        }
    };
    let data_state = move || {
        state.with(|s| {
            if running.get() {
                "running"
            } else if s.steps.is_empty() {
                "idle"
            } else {
                "done"
            }
        })
    };
    let outcome_label = move || state.with(|s| s.outcome().map(Verdict::label).unwrap_or("none"));

    let steps = scenario.steps.clone();
    let max_age = move || {
        lab.policy.with(|policy| match policy {
            Some(Ok(policy)) => Some(policy.policy.max_age),
            _ => None,
        })
    };
    let results = move || {
        let card = state.get();
        card.steps
            .into_iter()
            .enumerate()
            .map(|(k, run)| {
                let step = &steps[k];
                let expected = (step.repeat > 1 && run.prediction.preflight)
                    .then(|| max_age().map(|age| expected_preflights(step.repeat, age)))
                    .flatten();
                let label = run.label.clone();
                view! {
                    <div class="step">
                        <h4 class="step-title">"Step " {k + 1} ": " {label}</h4>
                        <StepResult run suffix=format!("{n}-{k}") expected_preflights=expected/>
                    </div>
                }
            })
            .collect_view()
    };

    let shown_engine = lab.shown_engine;
    let summary = move || {
        let engine = shown_engine.get();
        state.with(|card| {
            if card.steps.is_empty() {
                return if running.get() {
                    view! { <p class="empty" data-testid=format!("outcome-{n}") data-outcome="none">"Running…"</p> }.into_any()
                } else {
                    view! { <p class="empty" data-testid=format!("outcome-{n}") data-outcome="none">"Not run yet. Press Run to send the request from this page."</p> }.into_any()
                };
            }
            let verdict = card.outcome().unwrap_or(Verdict::NotSent);
            let expected = card_expected();
            let (as_expected, comparison) = comparison(expected, verdict);
            let statuses: Vec<String> = card
                .steps
                .iter()
                .map(|s| s.last_page().map(|p| p.status_text()).unwrap_or_default())
                .collect();
            let preflights: usize = card.steps.iter().map(|s| s.server.preflights.len()).sum();
            let actual: usize = card.steps.iter().map(|s| s.server.actual.len()).sum();
            let deciding = card.deciding().map(|s| s.diagnosis.clone());
            let key = deciding.as_ref().and_then(|d| d.key).map_or("", |k| k.as_str());
            let console_line = deciding
                .as_ref()
                .map(|d| lines_for(d, engine).0)
                .filter(|lines| !lines.is_empty());
            let headline = deciding.map(|d| d.headline).unwrap_or_default();
            let stopped = card.stopped.clone();
            view! {
                <div class="summary">
                    <p class="outcome" data-testid=format!("outcome-{n}") data-outcome=verdict.label()>
                        <Badge verdict/>
                        " Page saw: "
                        <span data-testid=format!("status-{n}")>{statuses.join(" · ")}</span>
                    </p>
                    {stopped.map(|why| view! {
                        <p class="stopped" data-testid=format!("stopped-{n}")>
                            {format!("The later steps were not sent, because {why}.")}
                        </p>
                    })}
                    <p
                        class="comparison"
                        class:mismatch=!as_expected
                        data-testid=format!("as-expected-{n}")
                        data-as-expected=as_expected.to_string()
                    >
                        {comparison}
                    </p>
                    <p
                        class="server-summary"
                        data-testid=format!("server-{n}")
                        data-preflights=preflights.to_string()
                        data-actual=actual.to_string()
                    >
                        "Server saw " {preflights} " preflight(s) and " {actual} " actual request(s)."
                    </p>
                    <p class="diagnosis-summary" data-testid=format!("diagnosis-{n}") data-key=key>
                        {headline}
                    </p>
                    <p class="console-summary" data-testid=format!("console-{n}")>
                        {format!("{}'s console will say: ", engine.name())}
                        {match console_line {
                            Some(line) => view! { <code class="console-line">{line}</code> }.into_any(),
                            None => view! { <em>"nothing about CORS"</em> }.into_any(),
                        }}
                    </p>
                </div>
            }
            .into_any()
        })
    };

    view! {
        <article
            class="card"
            id=format!("scenario-{n}")
            data-testid=format!("scenario-{n}")
            data-slug=scenario.slug
            data-state=data_state
            data-outcome=outcome_label
            data-expected=card_expected
            aria-labelledby=format!("scenario-{n}-title")
        >
            <header class="card-head">
                <span class="num" aria-hidden="true">{n}</span>
                <h3 id=format!("scenario-{n}-title")>{scenario.title}</h3>
                <button
                    class="run"
                    id=format!("run-{n}")
                    data-testid=format!("run-{n}")
                    on:click=start
                    disabled=running
                    aria-busy=move || running.get().to_string()
                >
                    {move || if running.get() { "Running…" } else { "Run" }}
                </button>
            </header>
            <p class="lesson">{scenario.lesson}</p>
            <ol class="plan">{plan}</ol>
            <div aria-live="polite">{summary}</div>
            <details class="results" open=true>
                <summary>"Both sides, step by step"</summary>
                {results}
            </details>
        </article>
    }
}
