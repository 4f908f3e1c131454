//! Refuses state-changing requests that a page the API does not trust sent: a CSRF
//! defence. That page may be on another site, or on another origin of the same site.
//!
//! CORS does not protect a route that changes something. It only decides who may
//! *read* the answer. A simple request (one that needs no preflight) is sent even when
//! CORS then refuses the answer, so the server has already acted on it. Only a
//! preflighted request stays unsent when its preflight is refused. An HTML form on
//! any site can POST here without a preflight, and the browser attaches the user's
//! cookies if `SameSite` lets them go. Before this layer, a form on
//! `https://evil.example` could log the user in or out.
//!
//! So every request whose method can change state (anything but `GET`, `HEAD` and
//! `OPTIONS`) must come from a page the API trusts. The browser says who sent it:
//!
//! - **`Origin` present**: it must be allowed by the CORS policy (the same check
//!   the CORS layer makes), or be the API's own origin (`http://` and the request's
//!   `Host`: a page the API serves itself). Browsers send `Origin` on every such
//!   request, same-origin ones included.
//! - **`Origin: null`** is never trusted. Sandboxed frames, redirects onward from
//!   another origin and forms under `Referrer-Policy: no-referrer` all send it, from
//!   any site. The policy cannot list `null` (the validator refuses it), so no rule
//!   allows it.
//! - **no `Origin`**: `Sec-Fetch-Site` decides when a browser sent it. `cross-site`
//!   and `same-site` are refused (another page sent it). `same-origin` and `none`
//!   (the user typed it) pass. Without either header the client is not a browser,
//!   curl for instance, and CORS never concerned it: it passes.
//!
//! The layer sits inside the CORS layer, so a refusal still carries the CORS
//! headers an allowed origin would get, and preflights never reach it (actix-cors
//! answers them). The exhibits are outside the API's scope: they stay broken on
//! purpose.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, ResponseError};
use lab_types::ErrorCode;

use crate::cors::CorsPolicy;
use crate::errors::{quoted, AppError};

/// Why a request was refused.
enum CrossSite {
    /// An `Origin` the policy does not allow, and not the API's own.
    ForeignOrigin { origin: String, own: String },
    /// `Origin: null`.
    OpaqueOrigin,
    /// No `Origin`, and `Sec-Fetch-Site` says another page sent it.
    FetchSite(SecFetchSite),
    /// A `Sec-Fetch-Site` no browser sends.
    UnknownFetchSite(String),
}

/// The values of `Sec-Fetch-Site`: how the page that sent a request relates to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SecFetchSite {
    CrossSite,
    SameSite,
    SameOrigin,
    /// The user started it (typed the URL, a bookmark).
    None,
}

impl SecFetchSite {
    fn parse(value: &str) -> Option<Self> {
        match value {
            "cross-site" => Some(SecFetchSite::CrossSite),
            "same-site" => Some(SecFetchSite::SameSite),
            "same-origin" => Some(SecFetchSite::SameOrigin),
            "none" => Some(SecFetchSite::None),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            SecFetchSite::CrossSite => "cross-site",
            SecFetchSite::SameSite => "same-site",
            SecFetchSite::SameOrigin => "same-origin",
            SecFetchSite::None => "none",
        }
    }

    /// Whether a page other than the API's own sent the request.
    fn is_another_page(self) -> bool {
        matches!(self, SecFetchSite::CrossSite | SecFetchSite::SameSite)
    }
}

/// `GET`, `HEAD` and `OPTIONS` change nothing; every other method may.
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub async fn refuse_cross_site(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let refused = match req.app_data::<web::Data<CorsPolicy>>() {
        Some(policy) if changes_state(req.method()) => judge(&req, policy),
        _ => None,
    };
    let Some(refused) = refused else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let error = AppError::new(
        StatusCode::FORBIDDEN,
        ErrorCode::CrossSiteRequest,
        message(req.method(), &refused),
    );
    Ok(req.into_response(error.error_response()))
}

/// The refusal, or `None` when the request may go on.
fn judge(req: &ServiceRequest, policy: &CorsPolicy) -> Option<CrossSite> {
    let text = |name| {
        req.headers().get(name).map(|value: &header::HeaderValue| {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        })
    };
    if let Some(origin) = text(header::ORIGIN) {
        if origin == "null" {
            return Some(CrossSite::OpaqueOrigin);
        }
        let own = format!("http://{}", text(header::HOST).unwrap_or_default());
        let trusted = policy.allows_origin(&origin) || origin.eq_ignore_ascii_case(&own);
        return (!trusted).then_some(CrossSite::ForeignOrigin { origin, own });
    }
    let site = text(header::HeaderName::from_static("sec-fetch-site"))?;
    match SecFetchSite::parse(&site) {
        Some(site) if site.is_another_page() => Some(CrossSite::FetchSite(site)),
        Some(_) => None,
        None => Some(CrossSite::UnknownFetchSite(site)),
    }
}

fn message(method: &Method, refused: &CrossSite) -> String {
    match refused {
        CrossSite::ForeignOrigin { origin, own } => format!(
            "a {method} from Origin {} is refused: state-changing requests must come from an \
             origin the CORS policy allows (cors.allow_origins, cors.allow_origin_regex) or \
             from the API's own origin ({own}). CORS would only hide the answer; the change \
             would already be made",
            quoted(origin)
        ),
        CrossSite::OpaqueOrigin => format!(
            "a {method} from Origin null is refused: null (a sandboxed frame, a redirect \
             onward from another origin, a no-referrer form) may come from any site, so it \
             is never trusted to change state"
        ),
        CrossSite::FetchSite(site) => format!(
            "a {method} with Sec-Fetch-Site: {} and no Origin is refused: the browser says \
             another page sent it",
            site.as_str()
        ),
        CrossSite::UnknownFetchSite(site) => format!(
            "a {method} with Sec-Fetch-Site {} is refused: browsers send cross-site, \
             same-site, same-origin or none",
            quoted(site)
        ),
    }
}
