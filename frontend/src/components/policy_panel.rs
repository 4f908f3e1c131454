//! The policy the API enforces right now, as the backend reports it.

use lab_logic::expectation::OriginStanding;
use lab_types::PolicyView;
use leptos::prelude::*;

use crate::runner::Lab;

/// The active CORS policy, or a clear statement that it cannot be read.
#[component]
pub fn PolicyPanel() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let policy = lab.policy;
    let origin = lab.origin.clone();
    let api = lab.api.clone();
    let body = move || {
        policy.with(|state| match state {
            None => view! {
                <p class="empty" data-testid="policy-loading">"Reading the policy from " {api.clone()} "/lab/policy…"</p>
            }
            .into_any(),
            // The browser says only "failed" (or a status), not why. So the note lists
            // the three likely reasons: the page cannot tell them apart.
            Some(Err(error)) => view! {
                <div class="unreachable" data-testid="policy-unreachable" role="alert">
                    <p>
                        <strong>"The lab cannot read the backend's policy at " <code>{api.clone()} "/lab/policy"</code> "."</strong>
                    </p>
                    <p>"Reading it failed with " <code>{error.clone()}</code> ". The likely reasons:"</p>
                    <ul>
                        <li>
                            "The backend is not running. Start it with " <code>"cargo run -p backend"</code>
                            ", or check that /config.json names its URL."
                        </li>
                        <li>
                            "It runs with its instruments off. " <code>"ENV=production"</code> " turns "
                            <code>"/lab"</code> " off unless " <code>"lab.enabled = true"</code> " (or "
                            <code>"APP__LAB__ENABLED=true"</code> "): the recorder keeps every user's requests."
                        </li>
                        <li>
                            "This page's origin, " <code>{origin.clone()}</code> ", is not in "
                            <code>"lab.origins"</code> ". The instruments answer only the lab's own origins."
                        </li>
                    </ul>
                    <p>"Runs below will show \"not reached\"."</p>
                </div>
            }
            .into_any(),
            Some(Ok(policy)) => policy_view(policy, &origin).into_any(),
        })
    };
    view! {
        <section class="panel policy" id="policy" data-testid="policy" aria-labelledby="policy-title">
            <div class="panel-head">
                <h2 id="policy-title">"Active policy"</h2>
                <button class="secondary" data-testid="policy-reload" on:click=move |_| policy.refetch()>"Reload"</button>
            </div>
            {body}
        </section>
    }
}

fn policy_view(view: &PolicyView, origin: &str) -> impl IntoView {
    let policy = &view.policy;
    let standing = OriginStanding::of(policy, origin);
    let listed = standing == OriginStanding::Listed;
    let can_read = standing.can_read();
    let verdict = standing.sentence(origin);
    // Each value is a list of items, shown as chips that wrap between items.
    let row = |key: &'static str, items: Vec<String>| {
        let chips = if items.is_empty() {
            view! { <span class="chip chip-empty">"(none)"</span> }.into_any()
        } else {
            items
                .into_iter()
                .map(|item| view! { <code class="chip">{item}</code> })
                .collect_view()
                .into_any()
        };
        view! {
            <div class="policy-row" data-testid=format!("policy-{key}")>
                <dt><code>{key}</code></dt>
                <dd>{chips}</dd>
            </div>
        }
    };
    let list = |items: &[String]| {
        if items.is_empty() {
            "(none)".to_string()
        } else {
            items.join(", ")
        }
    };
    view! {
        <p
            class="origin-verdict"
            class:listed=can_read
            data-testid="policy-origin-verdict"
            data-listed=listed.to_string()
        >
            <span class="badge" class:badge-allowed=can_read class:badge-blocked=!can_read>
                {standing.badge()}
            </span>
            " " {verdict}
        </p>
        {(view.env == "production").then(|| view! {
            <p class="note" data-testid="production-note">
                "ENV=production: the allow list is " <code data-testid="production-allow-list">{list(&Vec::from(policy.allow_origins.clone()))}</code>
                ". The lab's origin is deliberately not on it. The lab's instruments under /lab have a policy of their own, which lets the lab's origins read them (lab.origins), so the lab can show why each call is refused."
            </p>
        })}
        <dl class="policy-grid">
            {row("env", vec![view.env.clone()])}
            {row("allow_origins", policy.allow_origins.clone().into())}
            {row("allow_origin_regex", policy.allow_origin_regex.clone().into_iter().collect())}
            {row("allow_methods", policy.allow_methods.clone())}
            {row("allow_headers", policy.allow_headers.clone().into())}
            {row("allow_credentials", vec![policy.allow_credentials.to_string()])}
            {row("expose_headers", policy.expose_headers.clone())}
            {row("max_age", vec![format!("{} s", policy.max_age)])}
        </dl>
    }
}
