//! The CORS layer is in the stack, but in the wrong place.
//!
//! Layers registered with `.wrap` nest: the last one wrapped sees the request first
//! and the response last. Something that answers from *outside* the CORS layer
//! (an error page), or that the CORS layer lets answer a preflight (auth), sends
//! its response without what CORS would have said.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{HttpServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::error::ErrorInternalServerError;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::{from_fn, ErrorHandlerResponse, ErrorHandlers, Next};
use actix_web::web::{self, Bytes};
use actix_web::{Error, HttpRequest, HttpResponse};
use lab_types::exhibits::ExhibitId;
use lab_types::{ApiError, ErrorCode};

use super::{echo_origin, echo_origin_layer, specimen};

/// `GET /exhibits/auth-before-cors`: auth answers the preflight `401`.
///
/// A hand-made CORS layer adds its headers to every response and treats `OPTIONS`
/// like any request, so the preflight goes on to the auth layer inside it. Auth wants
/// `Authorization: Bearer …`. A preflight only names the headers to come
/// (`Access-Control-Request-Headers: authorization`), never their values, so it has
/// no token. Auth answers `401`, and the CORS layer dutifully decorates it.
///
/// Why the browser refuses: the preflight's CORS headers are fine, but a preflight
/// must be answered with a 2xx status (`PreflightInvalidStatus`).
///
/// The fix: let the CORS layer answer preflights itself, before auth (actix-cors and
/// Starlette's `CORSMiddleware` do): see `/api/protected` in `crate::routes`.
pub fn auth_before_cors(path: &str) -> impl HttpServiceFactory {
    web::resource(path)
        .route(web::get().to(signed_in))
        .wrap(from_fn(require_a_bearer_token))
        // The mistake: a CORS layer that does not answer preflights.
        .wrap(from_fn(cors_headers_on_everything))
}

async fn signed_in() -> HttpResponse {
    specimen(ExhibitId::AuthBeforeCors, "behind a bearer token")
}

/// The hand-made CORS layer: headers on whatever comes back, preflight or not.
async fn cors_headers_on_everything(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let origin = req.headers().get(header::ORIGIN).cloned();
    // An `OPTIONS` goes on like any other request...
    let mut res = next.call(req).await?;
    // ...and whatever comes back is decorated, a 401 included.
    let headers = res.headers_mut();
    echo_origin(origin.as_ref(), headers);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Authorization"),
    );
    Ok(res)
}

/// Any `Authorization: Bearer <token>` passes; without one, `401`.
async fn require_a_bearer_token(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let has_token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .is_some_and(|token| !token.trim().is_empty());
    if !has_token {
        let refused = HttpResponse::Unauthorized().json(ApiError {
            error: ErrorCode::Unauthorized,
            message: "send Authorization: Bearer <any token>".into(),
        });
        return Ok(req.into_response(refused).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// `GET /exhibits/error-skips-cors`: the error page is rendered outside CORS.
///
/// The handler fails with a 500. The CORS layer inside adds
/// `Access-Control-Allow-Origin` to that 500 like to any response, but an error-page
/// layer wrapped *outside* it replaces every 5xx with a page of its own, built from
/// scratch, the way Starlette's `ServerErrorMiddleware` (outside `CORSMiddleware`)
/// turns an exception into "Internal Server Error". What went out has no CORS header.
///
/// Why the browser refuses: without `Access-Control-Allow-Origin` the page may not
/// read the answer, whatever its status (`MissingAllowOriginHeader`). The console
/// reports a CORS error; the real problem is the crash.
///
/// The fix: fix the crash, and render errors inside the CORS layer (this backend's
/// errors are rendered inside it, and carry its headers).
pub fn error_skips_cors(path: &str) -> impl HttpServiceFactory {
    web::resource(path)
        .route(web::get().to(crashes))
        .wrap(from_fn(echo_origin_layer))
        // The mistake: the error page is wrapped outside the CORS layer.
        .wrap(ErrorHandlers::new().handler(StatusCode::INTERNAL_SERVER_ERROR, error_page))
}

async fn crashes(_req: HttpRequest) -> Result<HttpResponse, Error> {
    Err(ErrorInternalServerError(
        "the demo database is down (on purpose)",
    ))
}

/// A fresh "Internal Server Error" page: the response it replaces, CORS headers and
/// all, is dropped.
fn error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let (req, _) = res.into_parts();
    let page = HttpResponse::InternalServerError()
        .content_type("text/plain; charset=utf-8")
        .body(Bytes::from_static(b"Internal Server Error"));
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, page).map_into_right_body(),
    ))
}
