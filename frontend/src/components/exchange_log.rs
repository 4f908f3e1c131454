//! The live log: every exchange the backend records, pushed over Server-Sent
//! Events as it happens, including the preflights the page never sees.

use lab_logic::diagnosis::status_words;
use lab_logic::runs::policy_outcome;
use lab_types::Exchange;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::exchange_detail::ExchangeDetail;
use crate::api;
use crate::runner::Lab;

/// How many exchanges the page keeps.
const KEEP: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Connecting,
    Open,
    Lost,
}

#[component]
pub fn ExchangeLog() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let log = lab.log;
    let stream = RwSignal::new(Stream::Connecting);
    let preflights_only = RwSignal::new(false);
    let rejected_only = RwSignal::new(false);
    // When the stream (re)connects while the policy or the exhibits' status could
    // not be read, the backend has just come up: read them again.
    let policy = lab.policy;
    let exhibits = lab.exhibits;
    let on_open = move || {
        if policy.with_untracked(|p| matches!(p, Some(Err(_)))) {
            policy.refetch();
        }
        if exhibits.with_untracked(|e| matches!(e, Some(Err(_)))) {
            exhibits.refetch();
        }
    };
    // The stream stays open while the log is on the page, and closes with it.
    if let Some(connection) = connect(&api::events_url(&lab.api), log, stream, on_open) {
        let connection = StoredValue::new_local(connection);
        on_cleanup(move || connection.with_value(Connection::close));
    }

    // The exchanges the filters let through, newest first.
    let shown = Memo::new(move |_| {
        let preflights = preflights_only.get();
        let rejected = rejected_only.get();
        log.with(|log| {
            log.iter()
                .rev()
                .filter(|e| (!preflights || e.preflight) && (!rejected || e.rejection.is_some()))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let status = move || match stream.get() {
        Stream::Connecting => ("stream-connecting", "connecting…"),
        Stream::Open => ("stream-open", "live"),
        Stream::Lost => ("stream-lost", "disconnected — retrying"),
    };
    let empty = move || {
        let any = log.with(|l| !l.is_empty());
        let message = if any {
            "No exchange matches the filters."
        } else {
            "No exchange yet. Run a scenario: its preflight and request appear here as the server sees them."
        };
        view! { <p class="empty" data-testid="log-empty">{message}</p> }
    };

    view! {
        <section class="panel log" id="log" data-testid="log" aria-labelledby="log-title">
            <div class="panel-head">
                <h2 id="log-title">"Live exchange log"</h2>
                <span
                    class=move || format!("stream {}", status().0)
                    data-testid="log-stream"
                    data-state=move || status().1
                >
                    {move || status().1}
                </span>
            </div>
            <div class="filters" role="group" aria-label="Filters">
                <label>
                    <input type="checkbox" id="filter-preflights" data-testid="filter-preflights" bind:checked=preflights_only/>
                    " preflights only"
                </label>
                <label>
                    <input type="checkbox" id="filter-rejected" data-testid="filter-rejected" bind:checked=rejected_only/>
                    " rejected only"
                </label>
                <button class="secondary" data-testid="log-clear" on:click=move |_| log.set(Vec::new())>"Clear"</button>
            </div>
            <Show when=move || shown.with(|shown| !shown.is_empty()) fallback=empty>
                <ol class="log-list" data-testid="log-list">
                    <For
                        each=move || shown.get()
                        key=|e: &Exchange| e.id
                        children=move |e: Exchange| {
                            let refused = e.rejection.is_some();
                            let time = clock(e.at_ms);
                            let outcome = policy_outcome(&e);
                            view! {
                                <li
                                    class="log-entry"
                                    class:refused=refused
                                    data-testid="log-entry"
                                    data-id=e.id.to_string()
                                    data-preflight=e.preflight.to_string()
                                    data-rejected=refused.to_string()
                                >
                                    <details>
                                        <summary>
                                            <span class="time">{time}</span>
                                            <span class="tag" class:tag-preflight=e.preflight>
                                                {if e.preflight { "preflight" } else { "request" }}
                                            </span>
                                            <code class="what">{e.method.clone()} " " {e.path.clone()}</code>
                                            <span class="from">{e.origin.clone()}</span>
                                            <strong class="code">{status_words(e.status)}</strong>
                                            <span class="result">{outcome}</span>
                                        </summary>
                                        <ExchangeDetail exchange=e.clone()/>
                                    </details>
                                </li>
                            }
                        }
                    />
                </ol>
            </Show>
        </section>
    }
}

/// An open event stream and the callbacks it calls: they must live as long as it does.
struct Connection {
    source: web_sys::EventSource,
    _on_exchange: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_open: Closure<dyn FnMut()>,
    _on_error: Closure<dyn FnMut()>,
}

impl Connection {
    fn close(&self) {
        self.source.close();
    }
}

/// Opens the event stream; the browser reconnects by itself after an error.
fn connect(
    url: &str,
    log: RwSignal<Vec<Exchange>>,
    stream: RwSignal<Stream>,
    when_open: impl Fn() + 'static,
) -> Option<Connection> {
    let Ok(source) = web_sys::EventSource::new(url) else {
        stream.set(Stream::Lost);
        return None;
    };
    let on_exchange =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let Some(data) = event.data().as_string() else {
                return;
            };
            if let Ok(exchange) = serde_json::from_str::<Exchange>(&data) {
                log.update(|log| {
                    if log.iter().all(|e| e.id != exchange.id) {
                        log.push(exchange);
                    }
                    if log.len() > KEEP {
                        let excess = log.len() - KEEP;
                        log.drain(..excess);
                    }
                });
            }
        });
    let _ =
        source.add_event_listener_with_callback("exchange", on_exchange.as_ref().unchecked_ref());
    let on_open = Closure::<dyn FnMut()>::new(move || {
        stream.set(Stream::Open);
        when_open();
    });
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    let on_error = Closure::<dyn FnMut()>::new(move || stream.set(Stream::Lost));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(Connection {
        source,
        _on_exchange: on_exchange,
        _on_open: on_open,
        _on_error: on_error,
    })
}

/// `HH:MM:SS` in the reader's time zone.
fn clock(at_ms: u64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at_ms as f64));
    format!(
        "{:02}:{:02}:{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}
