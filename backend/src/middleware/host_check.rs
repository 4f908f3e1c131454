//! Refuses requests meant for another host name: the defence against DNS rebinding.
//!
//! The attack goes like this. A page on `http://rebind.attacker.example:8000` is
//! another origin than this API, so the browser will not let it read the API. But
//! the attacker owns that name. Once the page has loaded, they point the name at
//! `127.0.0.1`. The page's next requests then come here, and the browser treats
//! them as same-origin: no CORS check applies, and the page reads every answer.
//!
//! One thing still tells such a request apart: its `Host` header names the
//! attacker's domain. So this layer answers only the names that are really this
//! server's. These are `localhost`, `127.0.0.1` and `[::1]` on any port, and
//! the names listed in `server.allowed_hosts`, which production sets to its
//! public host names. Anything else gets `421 Misdirected Request`.
//!
//! The rule itself (which names, how a `Host` value is read) lives in
//! `lab_types::hosts`, which the lab's server shares.
//!
//! It is the outermost layer. A refused request reaches nothing: no recorder, no
//! CORS, no route. A request without `Host`, or with a malformed one, is refused
//! too, since no browser sends one.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, ResponseError};
use lab_types::hosts::AllowedHosts;
use lab_types::ErrorCode;

use crate::errors::{quoted, AppError};

/// The setting that lists more host names.
pub const ALLOWED_HOSTS_KEY: &str = "server.allowed_hosts";

/// What was wrong with the request's host, for the message.
enum Misdirected {
    NoHost,
    Host(String),
    /// An absolute request URL (`GET http://name/ HTTP/1.1`) names its own host.
    Url(String),
}

pub async fn check_host(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let allowed = req
        .app_data::<web::Data<AllowedHosts>>()
        .map(|data| data.get_ref().clone())
        .unwrap_or_default();
    let host = req
        .headers()
        .get(header::HOST)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let url_host = req.uri().authority().map(|a| a.as_str().to_string());
    let refused = match (host, url_host) {
        (None, _) => Some(Misdirected::NoHost),
        (Some(host), _) if !allowed.allows(&host) => Some(Misdirected::Host(host)),
        (_, Some(url_host)) if !allowed.allows(&url_host) => Some(Misdirected::Url(url_host)),
        _ => None,
    };
    let Some(refused) = refused else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let culprit = match refused {
        Misdirected::NoHost => "the request has no Host header".to_string(),
        Misdirected::Host(host) => format!("Host {} is not a name of this server", quoted(&host)),
        Misdirected::Url(url) => format!(
            "the request URL's host {} is not a name of this server",
            quoted(&url)
        ),
    };
    let error = AppError::new(
        StatusCode::MISDIRECTED_REQUEST,
        ErrorCode::MisdirectedRequest,
        format!(
            "{culprit}: {}. To serve another name, add it to {ALLOWED_HOSTS_KEY}",
            allowed.describe(ALLOWED_HOSTS_KEY)
        ),
    );
    Ok(req.into_response(error.error_response()))
}
