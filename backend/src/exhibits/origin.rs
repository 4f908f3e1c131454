//! Mistakes in `Access-Control-Allow-Origin` itself, and in its companion
//! `Access-Control-Allow-Credentials`.
//!
//! Every request here is *simple* (a plain `GET`), so the browser sends it without
//! asking first: the server runs the handler and answers `200`, and only then does the
//! browser decide whether the page may read the answer. The work is done either way;
//! what the page gets is `TypeError: Failed to fetch`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use lab_types::exhibits::ExhibitId;

use super::specimen;

/// `GET /exhibits/no-cors-layer`: nobody added a CORS layer.
///
/// The handler answers `200` with its JSON and no CORS header at all, as any route
/// does before someone adds CORS to the app.
///
/// Why the browser refuses: a cross-origin answer is hidden from the page unless
/// `Access-Control-Allow-Origin` allows the page's origin; no header allows nobody
/// (`MissingAllowOriginHeader`).
///
/// The fix: a CORS layer with the lab's origin in its list (`allow_origins` in
/// `config/`, applied by `crate::cors`).
pub async fn no_cors_layer() -> HttpResponse {
    specimen(
        ExhibitId::NoCorsLayer,
        "served to anyone, readable by no other origin",
    )
}

/// `GET /exhibits/hard-coded-origin`: the production site, written by hand.
///
/// `Access-Control-Allow-Origin: https://app.example.com` is right for the deployed
/// site and wrong for every other origin: the dev server, the staging site, the lab.
///
/// Why the browser refuses: the header must equal the page's own origin (or be `*`),
/// and `https://app.example.com` is not `http://localhost:5173`
/// (`AllowOriginMismatch`).
///
/// The fix: a list of allowed origins, and the one that matches the request echoed
/// back with `Vary: Origin` (what `allow_origins` does).
pub async fn hard_coded_origin() -> HttpResponse {
    let mut res = specimen(ExhibitId::HardCodedOrigin, "only for app.example.com");
    res.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("https://app.example.com"),
    );
    res
}

/// `GET /exhibits/two-allow-origins`: a reverse proxy and the app both add the header.
///
/// Both echo the request's origin, so each line alone would be right; the browser
/// receives two `Access-Control-Allow-Origin` lines, which is one header with two
/// values.
///
/// Why the browser refuses: the header must carry exactly one value
/// (`MultipleAllowOriginValues`).
///
/// The fix: let one layer own CORS, the proxy's `add_header` or the app's middleware,
/// never both.
pub async fn two_allow_origins(req: HttpRequest) -> HttpResponse {
    let mut res = specimen(ExhibitId::TwoAllowOrigins, "stamped twice");
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let headers = res.headers_mut();
        // The application's CORS layer...
        headers.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        // ...and the reverse proxy's `add_header Access-Control-Allow-Origin $http_origin`.
        headers.append(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    res
}

/// `GET /exhibits/wildcard-with-credentials`: `*` together with credentials.
///
/// The server says "anyone" (`Access-Control-Allow-Origin: *`) and "with cookies"
/// (`Access-Control-Allow-Credentials: true`); the page reads it with
/// `credentials: "include"`.
///
/// Why the browser refuses: `*` means "anyone, without cookies". A credentialed
/// request needs its exact origin in the header (`WildcardOriginNotAllowed`).
///
/// The fix: list the origins and echo the matching one; this backend refuses to
/// start with `allow_origins = ["*"]` and `allow_credentials = true`.
pub async fn wildcard_with_credentials() -> HttpResponse {
    let mut res = specimen(
        ExhibitId::WildcardWithCredentials,
        "anyone, with cookies: a contradiction",
    );
    let headers = res.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    res
}

/// `GET /exhibits/missing-allow-credentials`: the origin is allowed, cookies are not.
///
/// The request's origin is echoed correctly, but the page sends cookies
/// (`credentials: "include"`) and the answer says nothing about credentials.
///
/// Why the browser refuses: with credentials, the answer must also carry
/// `Access-Control-Allow-Credentials: true`, spelt exactly so
/// (`InvalidAllowCredentials`).
///
/// The fix: `allow_credentials = true`, with a list of origins.
pub async fn missing_allow_credentials(req: HttpRequest) -> HttpResponse {
    let mut res = specimen(
        ExhibitId::MissingAllowCredentials,
        "the origin is allowed, the cookies are not",
    );
    super::echo_origin(req.headers().get(header::ORIGIN), res.headers_mut());
    // No Access-Control-Allow-Credentials: true.
    res
}
