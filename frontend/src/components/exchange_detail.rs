//! One exchange as the server saw it: the part of CORS the page never sees.

use lab_logic::diagnosis::status_words;
use lab_types::Exchange;
use leptos::prelude::*;

use super::header_block::HeaderBlock;

/// The request and response headers of one recorded exchange.
#[component]
pub fn ExchangeDetail(exchange: Exchange) -> impl IntoView {
    let kind = if exchange.preflight {
        "preflight"
    } else {
        "actual request"
    };
    let refused = exchange.rejection.is_some();
    let rejection = exchange.rejection.as_ref().map(|rejection| {
        let text = match rejection {
            lab_types::Rejection::Origin { origin } => format!("origin {origin} refused"),
            lab_types::Rejection::Method { method } => format!("method {method} refused"),
            lab_types::Rejection::Headers { headers } => {
                format!("headers {} refused", headers.join(", "))
            }
            lab_types::Rejection::Malformed { detail } => format!("malformed: {detail}"),
        };
        let key = rejection.config_key().map_or("none", |k| k.as_str());
        view! {
            <p class="rejection" data-testid="rejection" data-key=key>
                "Server refused: " {text}
                {rejection.config_key().map(|k| view! { " (" <code>{k.as_str()}</code> ")" })}
            </p>
        }
    });
    let flags = format!(
        "cookie: {} · authorization: {}",
        if exchange.had_cookie { "sent" } else { "none" },
        if exchange.had_authorization {
            "sent"
        } else {
            "none"
        },
    );
    view! {
        <div
            class="exchange"
            class:refused=refused
            data-testid="exchange"
            data-preflight=exchange.preflight.to_string()
            data-status=exchange.status.to_string()
            data-had-cookie=exchange.had_cookie.to_string()
        >
            <p class="exchange-line">
                <span class="tag" class:tag-preflight=exchange.preflight>{kind}</span>
                <code>{exchange.method.clone()} " " {exchange.path.clone()}</code>
                " → "
                <strong>{status_words(exchange.status)}</strong>
            </p>
            <div class="headers-pair">
                <HeaderBlock title="request" headers=exchange.request_headers.clone()/>
                <HeaderBlock title="response" headers=exchange.response_headers.clone()/>
            </div>
            <p class="flags">{flags}</p>
            {rejection}
        </div>
    }
}
