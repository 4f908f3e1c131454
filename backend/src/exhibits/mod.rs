//! Broken on purpose: the exhibits, one deliberately misconfigured endpoint per
//! [`ExhibitId`] under `/exhibits/<slug>`.
//!
//! The API under `/api` is configured correctly, so it can only show a few of the
//! lines a browser's console prints about CORS. Each exhibit makes *one* classic
//! server mistake for real, so that the browser prints the line that mistake causes;
//! the catalogue (`lab_types::exhibits`) says which request the lab sends and which
//! line it must see, and `backend/tests/exhibits.rs` holds every exhibit to it with
//! the browser's own checks (`cors_rules::browser`).
//!
//! Read each handler as the anti-pattern it shows: its doc comment says what is
//! wrong, why the browser refuses, and where the fix is. To keep the mistakes apart
//! from the real thing, the exhibits use nothing of the API: no actix-cors, no
//! `CorsPolicy`, no item store. Every header is written by hand, every body is dummy
//! data, and they are registered outside the API's CORS layer (`startup.rs`).
//!
//! | File | Mistakes |
//! |---|---|
//! | `origin.rs` | the answer's `Access-Control-Allow-Origin` (and `-Credentials`) is wrong |
//! | `trust.rs` | the answer is right for everyone, and that is the hole |
//! | `routing.rs` | the router answers the preflight before any CORS code runs |
//! | `layers.rs` | the CORS layer sits inside auth, or inside the error page |
//! | `preflight.rs` | the preflight's answer forgets a method or header, or cannot be parsed |
//! | `connection.rs` | no answer at all |
//!
//! Every exhibit ignores its query string, so the lab can tag runs
//! (`?lab_run=<tag>`), and the slash redirect keeps it.

mod connection;
mod layers;
mod origin;
mod preflight;
mod routing;
mod trust;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::{self, ServiceConfig};
use actix_web::{Error, HttpRequest, HttpResponse};
use lab_types::exhibits::{ExhibitId, EXHIBITS_PREFIX};
use serde::Serialize;

/// Registers every exhibit of the catalogue, inside a `web::scope(EXHIBITS_PREFIX)`.
///
/// The `match` is exhaustive on purpose: an exhibit added to the catalogue does not
/// compile until it is served here.
pub fn configure(cfg: &mut ServiceConfig) {
    for id in ExhibitId::ALL {
        let path = scoped_path(id);
        match id {
            ExhibitId::NoCorsLayer => cfg.route(&path, web::get().to(origin::no_cors_layer)),
            ExhibitId::HardCodedOrigin => {
                cfg.route(&path, web::get().to(origin::hard_coded_origin))
            }
            ExhibitId::TwoAllowOrigins => {
                cfg.route(&path, web::get().to(origin::two_allow_origins))
            }
            ExhibitId::WildcardWithCredentials => {
                cfg.route(&path, web::get().to(origin::wildcard_with_credentials))
            }
            ExhibitId::MissingAllowCredentials => {
                cfg.route(&path, web::get().to(origin::missing_allow_credentials))
            }
            ExhibitId::RouterAnswers405 => cfg.service(routing::router_answers_405(&path)),
            ExhibitId::AuthBeforeCors => cfg.service(layers::auth_before_cors(&path)),
            ExhibitId::MethodNotListed => cfg.service(preflight::method_not_listed(&path)),
            ExhibitId::HeaderNotListed => cfg.service(preflight::header_not_listed(&path)),
            ExhibitId::SlashRedirect => routing::slash_redirect(cfg, &path),
            ExhibitId::ErrorSkipsCors => cfg.service(layers::error_skips_cors(&path)),
            ExhibitId::ReflectAnyOrigin => {
                cfg.route(&path, web::get().to(trust::reflect_any_origin))
            }
            ExhibitId::TrustsNullOrigin => {
                cfg.route(&path, web::get().to(trust::trusts_null_origin))
            }
            ExhibitId::InvalidAllowMethods => cfg.service(preflight::invalid_allow_methods(&path)),
            ExhibitId::InvalidAllowHeaders => cfg.service(preflight::invalid_allow_headers(&path)),
            ExhibitId::DropsConnection => {
                cfg.route(&path, web::get().to(connection::drops_connection))
            }
        };
    }
}

/// The exhibit's path inside the `/exhibits` scope: the catalogue's path, prefix
/// removed, so that the catalogue stays the one source of paths.
fn scoped_path(id: ExhibitId) -> String {
    let path = id.path();
    match path.strip_prefix(EXHIBITS_PREFIX) {
        Some(rest) => rest.to_string(),
        None => path,
    }
}

/// The dummy data every exhibit serves: nothing of the API's.
#[derive(Debug, Serialize)]
struct Specimen {
    exhibit: ExhibitId,
    note: &'static str,
}

/// `200` with the exhibit's dummy data.
fn specimen(exhibit: ExhibitId, note: &'static str) -> HttpResponse {
    HttpResponse::Ok().json(Specimen { exhibit, note })
}

/// `200` with the exhibit's dummy data, readable by the caller: for the requests that
/// would follow a preflight, had the preflight passed.
fn readable_specimen(req: &HttpRequest, exhibit: ExhibitId) -> HttpResponse {
    let mut res = specimen(exhibit, "the preflight passed after all");
    echo_origin(req.headers().get(header::ORIGIN), res.headers_mut());
    res
}

/// Copies the request's `Origin` into `Access-Control-Allow-Origin`, with
/// `Vary: Origin`.
///
/// Exhibits that need a correct `Access-Control-Allow-Origin` to isolate their one
/// mistake use this: it allows whoever asks, which is *not* their lesson (that is
/// `reflect-any-origin`'s). A real server compares the origin with a list first.
fn echo_origin(origin: Option<&HeaderValue>, response: &mut HeaderMap) {
    if let Some(origin) = origin {
        response.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    }
    response.insert(header::VARY, HeaderValue::from_static("Origin"));
}

/// A hand-made CORS layer that only echoes the origin onto the response passing
/// through it: where it is wrapped decides what it ever sees.
async fn echo_origin_layer(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let origin = req.headers().get(header::ORIGIN).cloned();
    let mut res = next.call(req).await?;
    echo_origin(origin.as_ref(), res.headers_mut());
    Ok(res)
}
