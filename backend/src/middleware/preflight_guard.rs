//! What this backend adds to actix-cors: a cap, two answers, and clean responses.
//!
//! actix-cors enforces the policy; this layer, just outside it, does four things the
//! crate does not, each decided by the shared rules in `cors-rules`:
//!
//! 1. It refuses an `Access-Control-Request-Headers` longer than
//!    `MAX_REQUEST_HEADERS_LEN` before actix-cors parses it: every listed name costs a
//!    lookup, and a request head may be 128 KiB. An empty one is refused with the
//!    same `ApiError`, where actix-cors would answer in plain text.
//! 2. When an allowed origin asks for a method or header the policy does not allow,
//!    it answers `200` with `Access-Control-Allow-Origin` and the allowed lists
//!    instead of actix-cors's bare `400`, so that the browser's console names the
//!    method or header itself (why: `cors_rules::policy::answer`). The same path
//!    applies the one rule actix-cors cannot express: `allow_headers = ["*"]` never
//!    covers `Authorization` (actix-cors would echo it).
//! 3. When actix-cors refuses a preflight's origin, it replaces the terse plain-text
//!    answer ("Origin is not allowed to make this request") with an `ApiError` that
//!    names the origin and the key to change. A browser never shows this body to the
//!    page, but curl and the server log do. Every refusal carries its `Rejection` for
//!    the recorder.
//! 4. A response that does not allow its caller to read it carries no other CORS
//!    header. actix-cors adds `Access-Control-Allow-Credentials` and
//!    `-Expose-Headers` to every response, even to requests without `Origin`
//!    (which are not CORS requests at all) and to refused origins; harmless to a
//!    browser, but misleading to anyone reading the headers.
//!
//! A preflight is decided once, not twice: every preflight passes here, so an allowed
//! one is left to actix-cors (the guard only measures the list's length), and the
//! rules judge a preflight only when actix-cors refuses it, to explain the refusal,
//! or when `allow_headers = ["*"]` leaves them the last word on `Authorization`.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpResponse};
use cors_rules::fetch::headers::is_cors_response_header;
use cors_rules::{AllowHeaders, Rejection, ResponseHead, Verdict};
use lab_types::{ApiError, ErrorCode};

use super::is_preflight;
use crate::cors::CorsPolicy;

/// Longest `Access-Control-Request-Headers` accepted, in bytes.
pub const MAX_REQUEST_HEADERS_LEN: usize = 1024;

pub async fn guard_preflights(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(policy) = req.app_data::<web::Data<CorsPolicy>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    if !is_preflight(&req) {
        return match next.call(req).await {
            Ok(mut res) => {
                drop_cors_headers_without_allow_origin(res.headers_mut());
                Ok(res.map_into_boxed_body())
            }
            Err(mut err) => {
                // Rendered later, after actix-cors's own mapper has added its headers.
                err.add_response_mapper(|mut res| {
                    drop_cors_headers_without_allow_origin(res.headers_mut());
                    res
                });
                Err(err)
            }
        };
    }

    // 1. The cap, before actix-cors parses the list. An empty list is refused here
    // too: actix-cors would answer it with a plain-text 400.
    if let Some(value) = req.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        let detail = if value.len() > MAX_REQUEST_HEADERS_LEN {
            Some(format!(
                "Access-Control-Request-Headers is {} bytes long; the limit is \
                 {MAX_REQUEST_HEADERS_LEN}",
                value.len()
            ))
        } else if value.as_bytes().trim_ascii().is_empty() {
            Some(
                "Access-Control-Request-Headers is empty; a browser leaves it out when \
                 the request has no header to ask for"
                    .to_string(),
            )
        } else {
            None
        };
        if let Some(detail) = detail {
            let rejection = Rejection::Malformed { detail };
            return Ok(req.into_response(refusal(StatusCode::BAD_REQUEST, None, rejection)));
        }
    }

    // 2, before actix-cors: the one rule it cannot express. With `allow_headers =
    // ["*"]` it would allow `Authorization`, so the rules judge such a preflight first.
    if matches!(
        policy.rules().allow_headers,
        AllowHeaders::Any {
            authorization: false
        }
    ) {
        let asked = Asked::from(req.headers());
        if let Some(response) = answered_here(&policy, &asked, &asked.verdict(&policy)) {
            return Ok(req.into_response(response));
        }
    }

    // Every preflight the policy allows is answered by actix-cors, and its answer
    // stands: the rules are consulted only when it refuses, to explain why. (That
    // both decide alike is what tests/rules_match_the_server.rs checks.)
    let res = next.call(req).await?.map_into_boxed_body();
    if res.status().is_success() {
        return Ok(res);
    }
    let asked = Asked::from(res.request().headers());
    let verdict = asked.verdict(&policy);
    // 2. An allowed origin, a refused method or header: answered with the lists.
    if let Some(response) = answered_here(&policy, &asked, &verdict) {
        let (request, _) = res.into_parts();
        return Ok(ServiceResponse::new(request, response));
    }
    match verdict {
        // 3. The origin (or a malformed preflight): actix-cors said 400; explain it.
        Verdict::Refused(rejection) if res.status() == StatusCode::BAD_REQUEST => {
            let (request, _) = res.into_parts();
            let response = refusal(StatusCode::BAD_REQUEST, None, rejection);
            Ok(ServiceResponse::new(request, response))
        }
        Verdict::Refused(_) => Ok(res),
        _ => {
            log::error!("actix-cors refused a preflight the policy allows");
            Ok(res)
        }
    }
}

/// What a preflight asks for, as text, for the rules.
struct Asked {
    origin: Option<String>,
    method: String,
    headers: Option<String>,
}

impl From<&HeaderMap> for Asked {
    fn from(headers: &HeaderMap) -> Self {
        let text = |name| {
            headers
                .get(name)
                .map(|v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        Asked {
            origin: text(header::ORIGIN),
            method: text(header::ACCESS_CONTROL_REQUEST_METHOD).unwrap_or_default(),
            headers: text(header::ACCESS_CONTROL_REQUEST_HEADERS),
        }
    }
}

impl Asked {
    fn verdict(&self, policy: &CorsPolicy) -> Verdict {
        policy.preflight_verdict(
            self.origin.as_deref(),
            &self.method,
            self.headers.as_deref(),
        )
    }
}

/// The answer to a preflight from an allowed origin that asks for a method or header
/// the policy refuses: the status and lists of `cors_rules::policy::answer`, so that
/// the browser's console names what was refused. `None` for any other verdict.
fn answered_here(policy: &CorsPolicy, asked: &Asked, verdict: &Verdict) -> Option<HttpResponse> {
    let Verdict::Refused(rejection @ (Rejection::Method { .. } | Rejection::Headers { .. })) =
        verdict
    else {
        return None;
    };
    let head =
        policy
            .rules()
            .preflight_head(verdict, asked.origin.as_deref(), asked.headers.as_deref());
    let status = head
        .as_ref()
        .and_then(|h| StatusCode::from_u16(h.status).ok())
        .unwrap_or(StatusCode::OK);
    Some(refusal(status, head.as_ref(), rejection.clone()))
}

/// An `ApiError` naming what was refused, with the CORS headers of `head` if any;
/// the recorder finds the `Rejection`.
fn refusal(status: StatusCode, head: Option<&ResponseHead>, rejection: Rejection) -> HttpResponse {
    let code = match rejection {
        Rejection::Malformed { .. } => ErrorCode::CorsPreflightMalformed,
        _ => ErrorCode::CorsPreflightRefused,
    };
    let mut builder = HttpResponse::build(status);
    for (name, value) in head.map(|h| h.headers.as_slice()).unwrap_or_default() {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            builder.append_header((name, value));
        }
    }
    let mut response = builder.json(ApiError {
        error: code,
        message: rejection.to_string(),
    });
    response.extensions_mut().insert(rejection);
    response
}

/// Removes every `Access-Control-*` header unless `Access-Control-Allow-Origin` is
/// there (`Vary` stays: caches need it either way).
fn drop_cors_headers_without_allow_origin(headers: &mut HeaderMap) {
    if headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
        return;
    }
    let cors: Vec<HeaderName> = headers
        .keys()
        .filter(|name| is_cors_response_header(name.as_str()))
        .cloned()
        .collect();
    for name in cors {
        headers.remove(name);
    }
}
