//! Preflight checks that actix-cors does not make, and explanations it does not give.
//!
//! This layer sits just outside actix-cors and does three things:
//!
//! 1. It refuses an `Access-Control-Request-Headers` longer than
//!    `MAX_REQUEST_HEADERS_LEN` before actix-cors parses it: every listed name costs a
//!    lookup, and a request head may be 128 KiB.
//! 2. It applies the one rule actix-cors cannot express: with `allow_headers = ["*"]`,
//!    `Authorization` is still refused unless listed by name (a wildcard never covers
//!    it, says the Fetch standard; actix-cors would echo it).
//! 3. When actix-cors refuses a preflight, it replaces the terse plain-text answer
//!    ("Origin is not allowed to make this request") with an `ApiError` that names the
//!    origin, method or headers and the config key to change, and attaches the
//!    `Rejection` for the recorder. A browser never shows this body to the page, but
//!    curl and the server log do.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpResponse};
use lab_types::{ApiError, Rejection};

use super::is_preflight;
use crate::cors::{CorsPolicy, RequestHeaders};

/// Longest `Access-Control-Request-Headers` accepted, in bytes.
pub const MAX_REQUEST_HEADERS_LEN: usize = 1024;

pub async fn guard_preflights(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let policy = req.app_data::<web::Data<CorsPolicy>>().cloned();
    let (Some(policy), true) = (policy, is_preflight(&req)) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let text = |name| {
        req.headers()
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let requested_headers = text(header::ACCESS_CONTROL_REQUEST_HEADERS);
    if let Some(value) = requested_headers.as_deref() {
        if value.len() > MAX_REQUEST_HEADERS_LEN {
            let rejection = Rejection::Malformed {
                detail: format!(
                    "Access-Control-Request-Headers is {} bytes long; the limit is \
                     {MAX_REQUEST_HEADERS_LEN}",
                    value.len()
                ),
            };
            return Ok(req.into_response(refusal(rejection)));
        }
    }
    let origin = text(header::ORIGIN);
    let verdict = match origin {
        // Only allow_origins = ["*"] answers a preflight without Origin (with `*`).
        None if !policy.allows_origin("") => Err(Rejection::Malformed {
            detail: "the preflight has no Origin header".into(),
        }),
        _ => {
            let method = text(header::ACCESS_CONTROL_REQUEST_METHOD).unwrap_or_default();
            let origin = origin.unwrap_or_default();
            policy.check_preflight(&origin, &method, requested_headers.as_deref())
        }
    };
    // actix-cors's allow_any_header() would echo a requested Authorization.
    if let (Err(rejection @ Rejection::Headers { .. }), RequestHeaders::Any { .. }) =
        (&verdict, policy.headers())
    {
        return Ok(req.into_response(refusal(rejection.clone())));
    }

    let res = next.call(req).await?.map_into_boxed_body();
    match verdict {
        Err(rejection) if res.status() == StatusCode::BAD_REQUEST => {
            let (request, _) = res.into_parts();
            Ok(ServiceResponse::new(request, refusal(rejection)))
        }
        Err(rejection) => {
            log::error!("actix-cors allowed a preflight the policy refuses ({rejection})");
            Ok(res)
        }
        Ok(()) if !res.status().is_success() => {
            log::error!("actix-cors refused a preflight the policy allows");
            Ok(res)
        }
        Ok(()) => Ok(res),
    }
}

/// `400` with an `ApiError` naming what was refused; the recorder finds the `Rejection`.
fn refusal(rejection: Rejection) -> HttpResponse {
    let code = match rejection {
        Rejection::Malformed { .. } => "cors_preflight_malformed",
        _ => "cors_preflight_refused",
    };
    let mut response = HttpResponse::BadRequest().json(ApiError {
        error: code.into(),
        message: rejection.to_string(),
    });
    response.extensions_mut().insert(rejection);
    response
}
