//! `/api/trace`: a route that needs a custom request header.
//!
//! `X-Request-Id` is not CORS-safelisted, so a page that sets it makes the browser
//! send a preflight first, and the request only goes out if `allow_headers` lists it.

use actix_web::http::StatusCode;
use actix_web::web::Json;
use actix_web::HttpRequest;
use lab_types::{ErrorCode, TraceEcho};

use crate::errors::AppError;

pub async fn echo(req: HttpRequest) -> Result<Json<TraceEcho>, AppError> {
    let request_id = req
        .headers()
        .get("X-Request-Id")
        .and_then(|value| value.to_str().ok())
        .filter(|value| !value.is_empty())
        .ok_or_else(|| {
            AppError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::MissingRequestId,
                "send a non-empty X-Request-Id header",
            )
        })?;
    Ok(Json(TraceEcho {
        request_id: request_id.into(),
    }))
}
