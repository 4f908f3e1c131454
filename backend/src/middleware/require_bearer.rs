//! A stand-in for real authentication on `/api/protected` and `/public/bearer`.
//!
//! It sits *inside* the CORS layer, which is the point. A preflight carries only the
//! names of the headers to come (`Access-Control-Request-Headers: authorization`),
//! never their values, so it has no token to check. An auth check that ran first
//! would refuse every preflight with 401, and the browser would report a CORS error
//! instead of the real one. Inside CORS, the preflight is answered before auth runs.
//! The 401 for the actual request still gets CORS headers, so the page can read it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::Error;

use lab_types::ErrorCode;

use crate::errors::AppError;

use lab_types::public::DEMO_TOKEN;

pub async fn require_bearer(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if token != Some(DEMO_TOKEN) {
        return Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            format!("send Authorization: Bearer {DEMO_TOKEN}"),
        )
        .into());
    }
    next.call(req).await
}
