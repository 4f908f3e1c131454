//! The layers around the routes, other than CORS itself and the recorder.

mod body_timeout;
mod cross_site_guard;
mod host_check;
mod preflight_guard;
mod require_bearer;

pub use body_timeout::{limit_bodies, BODY_TIMEOUT};
pub use cross_site_guard::refuse_cross_site;
pub use host_check::{check_host, ALLOWED_HOSTS_KEY};
pub use lab_types::hosts::AllowedHosts;
pub use preflight_guard::{guard_preflights, MAX_REQUEST_HEADERS_LEN};
pub use require_bearer::require_bearer;

use actix_web::dev::ServiceRequest;
use actix_web::http::{header, Method};

/// A CORS preflight, as actix-cors classifies it: `OPTIONS` with an
/// `Access-Control-Request-Method` that is a valid method name. An `OPTIONS`
/// without it is an ordinary request and reaches the routes.
pub fn is_preflight(req: &ServiceRequest) -> bool {
    req.method() == Method::OPTIONS
        && req
            .headers()
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .is_some_and(|value| Method::from_bytes(value.as_bytes()).is_ok())
}
