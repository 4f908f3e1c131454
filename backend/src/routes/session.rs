//! `/api/login`, `/api/whoami`, `/api/logout`: a cookie across origins.
//!
//! For a cross-origin request to carry a cookie, three things must all hold:
//!
//! 1. the page asks for it: `fetch(url, { credentials: "include" })`;
//! 2. the server agrees: `Access-Control-Allow-Credentials: true` and an exact
//!    `Access-Control-Allow-Origin` (never `*`), i.e. `allow_credentials = true`;
//! 3. the cookie's `SameSite` attribute lets it go along.
//!
//! `SameSite` is about *sites*, not origins. A site is the scheme plus the registrable
//! domain, ports ignored, so `http://localhost:5173` and `http://localhost:8000` are
//! different origins but the same site, and a `SameSite=Lax` cookie set by the API is
//! sent with the lab's `credentials: "include"` requests. `http://127.0.0.1:5173` is
//! a different site from `http://localhost:8000`: there, `Lax` keeps the cookie home,
//! and only `SameSite=None; Secure` (which needs HTTPS) would let it go.
//!
//! A real application would store an opaque session id; the demo stores the user name.

use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::web::Json;
use actix_web::{HttpRequest, HttpResponse};
use lab_types::{ErrorCode, Session};

use crate::errors::AppError;

pub const SESSION_COOKIE: &str = "lab_session";
const DEMO_USER: &str = "demo";

pub async fn login() -> HttpResponse {
    HttpResponse::Ok()
        .cookie(session_cookie(DEMO_USER, Duration::hours(1)))
        .json(Session {
            user: Some(DEMO_USER.into()),
        })
}

pub async fn whoami(req: HttpRequest) -> Result<Json<Session>, AppError> {
    let cookie = req.cookie(SESSION_COOKIE).ok_or_else(|| {
        AppError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::NotLoggedIn,
            format!(
                "no {SESSION_COOKIE} cookie came with this request: log in first, and send \
                 it with credentials: \"include\""
            ),
        )
    })?;
    Ok(Json(Session {
        user: Some(cookie.value().into()),
    }))
}

pub async fn logout() -> HttpResponse {
    HttpResponse::Ok()
        .cookie(session_cookie("", Duration::ZERO))
        .json(Session { user: None })
}

fn session_cookie(value: &str, max_age: Duration) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, value.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(max_age)
        .finish()
}
