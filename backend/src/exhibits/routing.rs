//! The router answers the preflight before any CORS code runs.
//!
//! A preflight is an `OPTIONS` request to the same URL as the request it asks about.
//! When the CORS code lives *inside* routing (on one route, or behind a redirect),
//! the router meets the preflight first and answers it the way it answers any request
//! it has no handler for, with no CORS header.

use actix_web::dev::HttpServiceFactory;
use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse};
use lab_types::exhibits::ExhibitId;

use super::{echo_origin, echo_origin_layer, readable_specimen};

/// `PUT /exhibits/router-answers-405`: the CORS layer is wrapped on the `PUT` route.
///
/// The route has CORS headers, the resource has no `OPTIONS` route, so actix-web
/// answers the preflight itself: `405 Method Not Allowed`, `Allow: PUT`, and no CORS
/// header, because the layer on the `PUT` route never ran. (The `PUT` would be
/// answered with `Access-Control-Allow-Origin`, if the browser ever sent it.)
///
/// Why the browser refuses: it checks the preflight's `Access-Control-Allow-Origin`
/// before its status, so it reports the missing header, not the 405
/// (`PreflightMissingAllowOriginHeader`).
///
/// The fix: wrap CORS around everything that can answer, so that it answers
/// preflights before routing (this backend wraps it around the whole API scope, see
/// `startup.rs`); in FastAPI, `app.add_middleware(CORSMiddleware, ...)`.
pub fn router_answers_405(path: &str) -> impl HttpServiceFactory {
    web::resource(path).route(
        web::put()
            .to(replace)
            // The mistake: on the route, inside routing.
            .wrap(from_fn(echo_origin_layer)),
    )
}

async fn replace(req: HttpRequest) -> HttpResponse {
    readable_specimen(&req, ExhibitId::RouterAnswers405)
}

/// `POST /exhibits/slash-redirect`: the route has a trailing slash, the call does not.
///
/// The route is `/exhibits/slash-redirect/`; a request to `/exhibits/slash-redirect`,
/// whatever its method, is redirected there with `308 Permanent Redirect` (the query
/// kept). That includes the preflight. FastAPI's `redirect_slashes` does the same,
/// with a `307`. The slashed route itself answers its preflight and its `POST`
/// correctly.
///
/// Why the browser refuses: it never follows a redirect on a preflight
/// (`PreflightDisallowedRedirect`). A simple request would have followed it.
///
/// The fix: call the exact URL the route has; or let the CORS layer answer preflights
/// before routing (Starlette's `CORSMiddleware` does, outside the router).
pub fn slash_redirect<'a>(cfg: &'a mut ServiceConfig, path: &str) -> &'a mut ServiceConfig {
    let slashed = format!("{path}/");
    cfg.service(web::resource(path).route(web::route().to(add_the_slash)))
        .service(
            web::resource(slashed)
                .route(web::method(actix_web::http::Method::OPTIONS).to(slashed_preflight))
                .route(web::post().to(slashed_post)),
        )
}

/// Any method: `308` to the same URL with a slash, the query kept.
async fn add_the_slash(req: HttpRequest) -> HttpResponse {
    let location = match req.uri().query() {
        Some(query) => format!("{}/?{query}", req.path()),
        None => format!("{}/", req.path()),
    };
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// The slashed route's preflight, answered as it should be.
async fn slashed_preflight(req: HttpRequest) -> HttpResponse {
    let mut res = HttpResponse::NoContent()
        .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "POST"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type"))
        .finish();
    echo_origin(req.headers().get(header::ORIGIN), res.headers_mut());
    res
}

async fn slashed_post(req: HttpRequest) -> HttpResponse {
    readable_specimen(&req, ExhibitId::SlashRedirect)
}
