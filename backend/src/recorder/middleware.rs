//! The middleware that feeds the recorder and logs one line per CORS decision.

use std::fmt;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::middleware::Next;
use actix_web::{web, Error};
use cors_rules::fetch::headers::is_cors_response_header;
use cors_rules::{RegexVerdict, Verdict};
use lab_types::governor::{governing_policy, Governor};
use lab_types::public;
use lab_types::{Exchange, Header, Rejection};

use super::budget::{self, MAX_HEADERS};
use super::{blank, Recorder};
use crate::cors::CorsPolicy;
use crate::middleware::is_preflight;

/// Records every request that carries `Origin`, with the response that went out.
///
/// It is the outermost layer, so it sees the final response: the CORS headers
/// actix-cors added, and errors from inner layers already rendered. The exhibits
/// (`/exhibits/…`) are recorded too, as they answered, but not judged against the
/// API's policy, which does not apply to them; the public endpoints (`/public/…`)
/// are judged against their own fixed policy.
pub async fn record_exchanges(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // The lab's own instruments are not recorded: reading the log must not add to it.
    let governor = governing_policy(req.path());
    let (Some(origin), false) = (req.headers().get(header::ORIGIN), governor == Governor::Lab)
    else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let recorder = req.app_data::<web::Data<Recorder>>().cloned();
    let policy = req.app_data::<web::Data<CorsPolicy>>().cloned();
    let preflight = is_preflight(&req);
    let exhibit = governor == Governor::Exhibit;
    // The policy judges the origin as sent, not as recorded. The copy is cheap: the
    // value shares the request head's buffer.
    let sent_origin = origin.clone();
    // Filled in place: a recycled exchange keeps its strings' memory (see `blank`).
    // Every value is cut to its budget as it is copied (`budget::set_cut`): the
    // recorder, the live stream and the log line all get the cut value.
    let mut exchange = recorder.as_ref().map_or_else(blank, |r| r.blank());
    budget::set_cut_lossy(&mut exchange.origin, origin.as_bytes());
    budget::set_cut(&mut exchange.method, req.method().as_str());
    budget::set_cut(
        &mut exchange.path,
        req.uri()
            .path_and_query()
            .map_or_else(|| req.path(), |pq| pq.as_str()),
    );
    exchange.preflight = preflight;
    set_cors_headers(&mut exchange.request_headers, req.headers(), |name| {
        name == "origin" || name.starts_with("access-control-request-")
    });
    exchange.had_cookie = req.headers().contains_key(header::COOKIE);
    exchange.had_authorization = req.headers().contains_key(header::AUTHORIZATION);

    // An error from an inner layer is rendered by actix-web after this returns, with
    // the CORS headers actix-cors attached to it; rendering it here shows the same.
    let result = next
        .call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body);
    let rendered;
    let response = match &result {
        Ok(res) => res.response(),
        Err(err) => {
            rendered = err.error_response();
            &rendered
        }
    };
    exchange.status = response.status().as_u16();
    set_cors_headers(&mut exchange.response_headers, response.headers(), |name| {
        is_cors_response_header(name) || name == "vary"
    });
    exchange.rejection = response
        .extensions()
        .get::<Rejection>()
        .map(budget::cut_rejection);
    // The exhibits are broken on purpose and answer for themselves: the API's policy
    // has no say over them, so it does not judge them either. The public endpoints
    // have a policy of their own, and are judged by it.
    if exchange.rejection.is_none() && !preflight && !exhibit {
        let origin = String::from_utf8_lossy(sent_origin.as_bytes());
        let allowed = if governor == Governor::Public {
            Some(
                public::policy().origin_verdict(&origin, RegexVerdict::DoesNotMatch)
                    == Verdict::Allowed,
            )
        } else {
            policy.map(|policy| policy.allows_origin(&origin))
        };
        if allowed == Some(false) {
            exchange.rejection = Some(Rejection::Origin {
                origin: exchange.origin.clone(),
            });
        }
    }
    log_decision(&exchange, exhibit);
    if let Some(recorder) = recorder {
        recorder.record(exchange);
    }
    result
}

fn log_decision(exchange: &Exchange, exhibit: bool) {
    // The line names the recorded values, already cut to their budget: a request
    // with a 60 KiB header writes a line of a few KiB, not one of 180.
    // The sentence is handed to the logger unformatted (`Decision` below), so it is
    // written once, straight into the log line, and not at all when RUST_LOG hides
    // the level: this runs for every request that carries `Origin`.
    let what = Decision(exchange);
    match (&exchange.rejection, exchange.preflight) {
        (None, _) if exhibit => log::info!("{what}: an exhibit, not judged by the policy"),
        (None, _) => log::info!("{what}: allowed"),
        (Some(rejection), true) => log::warn!("{what}: refused, {rejection}"),
        (Some(rejection), false) => log::info!(
            "{what}: served without Access-Control-Allow-Origin, the browser hides it ({rejection})"
        ),
    }
}

/// "CORS preflight OPTIONS /api/items from https://app.example.com -> 200"
struct Decision<'a>(&'a Exchange);

impl fmt::Display for Decision<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exchange = self.0;
        let kind = if exchange.preflight {
            "preflight"
        } else {
            "request"
        };
        write!(
            f,
            "CORS {kind} {} {} from {} -> {}",
            exchange.method, exchange.path, exchange.origin, exchange.status
        )
    }
}

/// Overwrites `target` with the headers whose name `keep` accepts, reusing the
/// strings already there: [`MAX_HEADERS`] of them at most, then one that says how
/// many more there were (a request may repeat a header ninety times).
fn set_cors_headers(target: &mut Vec<Header>, headers: &HeaderMap, keep: impl Fn(&str) -> bool) {
    let mut kept = 0;
    let mut left_out = 0;
    for (name, value) in headers.iter().filter(|(name, _)| keep(name.as_str())) {
        if kept == MAX_HEADERS {
            left_out += 1;
            continue;
        }
        let (target_name, target_value) = slot(target, kept);
        budget::set_cut(target_name, name.as_str());
        budget::set_cut_lossy(target_value, value.as_bytes());
        kept += 1;
    }
    if left_out > 0 {
        budget::headers_cut(slot(target, kept), left_out);
        kept += 1;
    }
    target.truncate(kept);
}

/// The `index`th header of `target`, added empty if the list is shorter.
fn slot(target: &mut Vec<Header>, index: usize) -> &mut Header {
    if index == target.len() {
        target.push(Header::default());
    }
    &mut target[index]
}
