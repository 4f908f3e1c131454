//! `/api/login`, `/api/whoami`, `/api/logout`: a cookie across origins.
//!
//! Two things decide whether a cross-origin request carries a cookie:
//!
//! 1. the page asks for it: `fetch(url, { credentials: "include" })`;
//! 2. the cookie's `SameSite` attribute (and the browser's third-party cookie rules)
//!    let it go along.
//!
//! The server does not decide what is sent. `allow_credentials = true` makes it
//! answer `Access-Control-Allow-Credentials: true` with an exact
//! `Access-Control-Allow-Origin` (never `*`). That lets the page *read* the answer,
//! and lets a preflighted request with credentials go ahead. A simple request
//! carries its cookie even when `allow_credentials` is false, and the server acts on
//! it: only the page is kept from reading the answer.
//!
//! `SameSite` is about *sites*, not origins. A site is the scheme plus the registrable
//! domain, ports ignored, so `http://localhost:5173` and `http://localhost:8000` are
//! different origins but the same site, and a `SameSite=Lax` cookie set by the API is
//! sent with the lab's `credentials: "include"` requests. `http://127.0.0.1:5173` is
//! a different site from `http://localhost:8000`: there, `Lax` keeps the cookie home.
//! Only `SameSite=None; Secure` could let it go, and then only in a browser that
//! accepts a `Secure` cookie from `http://localhost` (Safari does not) and lets
//! third-party cookies through.
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
