//! The page's layout: header, policy, scenarios, the exhibits (Broken on
//! purpose), request builder, live log.

use lab_logic::scenarios;
use leptos::prelude::*;

use crate::cards::Card;
use crate::components::exchange_log::ExchangeLog;
use crate::components::exhibits_section::ExhibitsSection;
use crate::components::lab_header::LabHeader;
use crate::components::policy_panel::PolicyPanel;
use crate::components::request_builder::RequestBuilder;
use crate::components::run_all::RunAll;
use crate::components::scenario_card::ScenarioCard;
use crate::runner::Lab;

#[component]
pub fn App(lab: Lab) -> impl IntoView {
    provide_context(lab.clone());
    let cards: Vec<Card> = scenarios::all()
        .into_iter()
        .map(|scenario| Card::new(&lab, scenario))
        .collect();
    let runs: Vec<Action<(), ()>> = cards.iter().map(|card| card.run).collect();
    let card_views = cards
        .into_iter()
        .map(|card| view! { <ScenarioCard scenario=card.scenario state=card.state run=card.run/> })
        .collect_view();
    view! {
        <a class="skip" href="#scenarios">"Skip to the scenarios"</a>
        <LabHeader/>
        <main class="layout">
            <div class="column-main">
                <PolicyPanel/>
                <section class="scenarios" id="scenarios" aria-labelledby="scenarios-title">
                    <div class="panel-head">
                        <h2 id="scenarios-title">"Scenarios"</h2>
                        <RunAll runs id="run-all" what="scenarios"/>
                    </div>
                    <div class="cards">{card_views}</div>
                </section>
                <ExhibitsSection/>
                <RequestBuilder/>
            </div>
            <aside class="column-side">
                <ExchangeLog/>
            </aside>
        </main>
        <footer class="foot">
            "cors-lab · the page talks to the API at " <code>{lab.api.clone()}</code>
            " · the recorder at " <code>"/lab/…"</code> " answers only the lab's origins, read-only, and is off under ENV=production unless lab.enabled = true."
        </footer>
    }
}
