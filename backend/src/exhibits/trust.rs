//! The holes: answers every browser check accepts, for the wrong callers.
//!
//! Nothing is blocked here and nothing is printed in the console, which is the
//! problem: these mistakes are found by an attacker, not by an error message.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use lab_types::{ApiError, ErrorCode, Secret, Session};

use crate::routes::session::SESSION_COOKIE;

/// `GET /exhibits/reflect-any-origin`: your app's `whoami`, behind a CORS layer that
/// copies any `Origin` into `Access-Control-Allow-Origin`, with credentials.
///
/// It answers with the logged-in user, read from the API's own login cookie, or a
/// `401` when no cookie came; both with the same CORS headers.
///
/// Why the browser allows it: every check passes. The header equals the page's origin
/// (it was copied from it) and credentials are allowed, for *any* page on the web:
/// a site the user visits while logged in reads their data with
/// `credentials: "include"` (the lab's attacker page on `http://localhost:5174` does).
///
/// The fix: a list of the origins you trust (`allow_origins`), never a reflection;
/// in Starlette, never `allow_origin_regex=".*"` with `allow_credentials=True`.
pub async fn reflect_any_origin(req: HttpRequest) -> HttpResponse {
    let mut res = match req.cookie(SESSION_COOKIE) {
        Some(cookie) => HttpResponse::Ok().json(Session {
            user: Some(cookie.value().to_string()),
        }),
        None => HttpResponse::Unauthorized().json(ApiError {
            error: ErrorCode::NotLoggedIn,
            message: format!(
                "no {SESSION_COOKIE} cookie came with this request: log in at /api/login, \
                 then call this with credentials: \"include\""
            ),
        }),
    };
    let headers = res.headers_mut();
    // "Allow whoever asks": the whole allow-list is the request itself.
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
    }
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    res
}

/// The allow-list of `trusts-null-origin`: the real site, and `null`, added because a
/// sandboxed preview (or a `file:` page, or a redirect onward from another origin)
/// showed up as `Origin: null`.
const TRUSTED_ORIGINS: [&str; 2] = ["https://app.example.com", "null"];

/// `GET /exhibits/trusts-null-origin`: an allow-list that contains `"null"`.
///
/// Origins on the list get `Access-Control-Allow-Origin` and credentials; others get
/// no CORS header. The lab calls it from a sandboxed iframe, whose origin is opaque,
/// so its request says `Origin: null`, and reads the secret.
///
/// Why the browser allows it: `Access-Control-Allow-Origin: null` equals the page's
/// serialized origin, `null`. But `null` is not one origin. Every sandboxed iframe
/// and `data:` URL produces it, and so does a redirect onward from another origin.
/// So any site can.
///
/// The fix: never list `"null"` (this backend refuses it at startup); give the
/// sandboxed content a real origin instead.
pub async fn trusts_null_origin(req: HttpRequest) -> HttpResponse {
    let mut res = HttpResponse::Ok().json(Secret {
        message: "only for trusted origins, and null looked harmless".into(),
    });
    let headers = res.headers_mut();
    let trusted = |origin: &&HeaderValue| {
        TRUSTED_ORIGINS
            .iter()
            .any(|trusted| trusted.as_bytes() == origin.as_bytes())
    };
    if let Some(origin) = req.headers().get(header::ORIGIN).filter(trusted) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
    }
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    res
}
