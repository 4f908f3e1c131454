//! Preflights answered `200` with the right origin, and a wrong list.
//!
//! Each resource answers its own `OPTIONS` by hand with a correct
//! `Access-Control-Allow-Origin`, so that the one mistake left is in
//! `Access-Control-Allow-Methods` or `-Headers`. The browser reads those lists only
//! after the origin and the status passed: first it parses them, then it looks for
//! the method, then for each header.

use actix_web::dev::HttpServiceFactory;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::web;
use actix_web::Route;
use actix_web::{HttpRequest, HttpResponse};
use lab_types::exhibits::ExhibitId;

use super::{echo_origin, readable_specimen};

/// `PATCH /exhibits/method-not-listed`: the method is not in `Allow-Methods`.
///
/// The preflight is answered `200`, with the page's origin and
/// `Access-Control-Allow-Methods: GET, POST`; the page wants `PATCH`.
///
/// Why the browser refuses: a method that is not `GET`, `HEAD` or `POST` must be
/// listed, case-sensitively (`MethodDisallowedByPreflightResponse`).
///
/// The fix: `allow_methods = ["GET", "POST", "PATCH"]`.
pub fn method_not_listed(path: &str) -> impl HttpServiceFactory {
    web::resource(path)
        .route(options().to(|req: HttpRequest| async move {
            // PATCH is forgotten.
            preflight_answer(&req, "GET, POST", "Content-Type")
        }))
        .route(web::patch().to(|req: HttpRequest| async move {
            readable_specimen(&req, ExhibitId::MethodNotListed)
        }))
}

/// `GET /exhibits/header-not-listed`: the header is not in `Allow-Headers`.
///
/// The preflight is answered `200`, with the page's origin and
/// `Access-Control-Allow-Headers: Content-Type`; the page sends `X-Debug`.
///
/// Why the browser refuses: every header that is not CORS-safelisted must be listed
/// (in any case) (`HeaderDisallowedByPreflightResponse`).
///
/// The fix: `allow_headers = ["X-Debug"]`.
pub fn header_not_listed(path: &str) -> impl HttpServiceFactory {
    web::resource(path)
        .route(options().to(|req: HttpRequest| async move {
            // X-Debug is forgotten.
            preflight_answer(&req, "GET", "Content-Type")
        }))
        .route(web::get().to(|req: HttpRequest| async move {
            readable_specimen(&req, ExhibitId::HeaderNotListed)
        }))
}

/// `PUT /exhibits/invalid-allow-methods`: `Allow-Methods` that cannot be parsed.
///
/// The preflight's `Access-Control-Allow-Methods` is `GET, PO ST`: a space inside a
/// method name, as a hand-edited proxy config ends up with.
///
/// Why the browser refuses: the list must be HTTP tokens separated by commas. One bad
/// item and the whole preflight fails (`InvalidAllowMethodsPreflightResponse`),
/// whatever method or headers the page asked for. `PUT` is not the bad item, and a
/// `GET` with a custom header would fail the same way.
///
/// The fix: `allow_methods = ["GET", "POST", "PUT"]`; this backend checks each name
/// at startup.
pub fn invalid_allow_methods(path: &str) -> impl HttpServiceFactory {
    web::resource(path)
        .route(options().to(|req: HttpRequest| async move {
            preflight_answer(&req, "GET, PO ST", "Content-Type")
        }))
        .route(web::put().to(|req: HttpRequest| async move {
            readable_specimen(&req, ExhibitId::InvalidAllowMethods)
        }))
}

/// `GET /exhibits/invalid-allow-headers`: `Allow-Headers` that cannot be parsed.
///
/// The preflight's `Access-Control-Allow-Headers` is `X-Debug, X Trace`: a space
/// inside a header name. (`X-Debug`, the one the page asks for, is listed.)
///
/// Why the browser refuses: one item that is not a token fails the whole preflight
/// (`InvalidAllowHeadersPreflightResponse`), whatever headers or method the page
/// asked for. `X-Debug` is listed, and a `PUT` with no custom header would fail too.
///
/// The fix: `allow_headers = ["X-Debug", "X-Trace"]`; this backend checks each name
/// at startup.
pub fn invalid_allow_headers(path: &str) -> impl HttpServiceFactory {
    web::resource(path)
        .route(options().to(|req: HttpRequest| async move {
            preflight_answer(&req, "GET", "X-Debug, X Trace")
        }))
        .route(web::get().to(|req: HttpRequest| async move {
            readable_specimen(&req, ExhibitId::InvalidAllowHeaders)
        }))
}

fn options() -> Route {
    web::method(Method::OPTIONS)
}

/// `200`, the page's origin, and the two lists exactly as written (actix-web sends
/// any visible ASCII in a header value, spaces included).
fn preflight_answer(
    req: &HttpRequest,
    allow_methods: &'static str,
    allow_headers: &'static str,
) -> HttpResponse {
    let mut res = HttpResponse::Ok().finish();
    let headers = res.headers_mut();
    echo_origin(req.headers().get(header::ORIGIN), headers);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(allow_methods),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(allow_headers),
    );
    res
}
