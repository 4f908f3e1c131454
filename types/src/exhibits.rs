//! Broken on purpose: the catalogue of the exhibits, the deliberately misconfigured
//! endpoints under `/exhibits/…`.
//!
//! People meet CORS as a line in the console. The API behind `/api` is configured
//! correctly, so it can only show a few of those lines; each exhibit makes *one*
//! classic server mistake for real, so the browser prints the line that mistake
//! causes. This file is the one list of them: the backend serves a handler per
//! [`ExhibitId`] (`backend/src/exhibits/`), the lab shows a card per exhibit, and
//! the browser suite checks every card in three engines: Chromium, Firefox and WebKit.
//!
//! An exhibit says what it *shows* ([`Shows`]): that is a claim, not a result. The
//! lab computes the console lines from what the server really sent (with
//! `cors_rules::browser`). The browser suite holds them to what each engine printed,
//! and to the class Chromium's DevTools gave the failure.

use std::fmt;

use cors_rules::browser::NetError;
use cors_rules::{CorsError, Credentials, Request};
use serde::{Deserialize, Serialize};

/// Where every exhibit lives: `/exhibits/<slug>`.
pub const EXHIBITS_PREFIX: &str = "/exhibits";

/// One exhibit, by name. Its slug is its path under [`EXHIBITS_PREFIX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExhibitId {
    NoCorsLayer,
    HardCodedOrigin,
    TwoAllowOrigins,
    WildcardWithCredentials,
    MissingAllowCredentials,
    #[serde(rename = "router-answers-405")]
    RouterAnswers405,
    AuthBeforeCors,
    MethodNotListed,
    HeaderNotListed,
    SlashRedirect,
    ErrorSkipsCors,
    ReflectAnyOrigin,
    TrustsNullOrigin,
    InvalidAllowMethods,
    InvalidAllowHeaders,
    DropsConnection,
}

impl ExhibitId {
    /// Every exhibit, in the gallery's order.
    pub const ALL: [ExhibitId; 16] = [
        ExhibitId::NoCorsLayer,
        ExhibitId::HardCodedOrigin,
        ExhibitId::TwoAllowOrigins,
        ExhibitId::WildcardWithCredentials,
        ExhibitId::MissingAllowCredentials,
        ExhibitId::RouterAnswers405,
        ExhibitId::AuthBeforeCors,
        ExhibitId::MethodNotListed,
        ExhibitId::HeaderNotListed,
        ExhibitId::SlashRedirect,
        ExhibitId::ErrorSkipsCors,
        ExhibitId::ReflectAnyOrigin,
        ExhibitId::TrustsNullOrigin,
        ExhibitId::InvalidAllowMethods,
        ExhibitId::InvalidAllowHeaders,
        ExhibitId::DropsConnection,
    ];

    /// The exhibit's slug, e.g. `no-cors-layer`.
    pub fn slug(self) -> &'static str {
        match self {
            ExhibitId::NoCorsLayer => "no-cors-layer",
            ExhibitId::HardCodedOrigin => "hard-coded-origin",
            ExhibitId::TwoAllowOrigins => "two-allow-origins",
            ExhibitId::WildcardWithCredentials => "wildcard-with-credentials",
            ExhibitId::MissingAllowCredentials => "missing-allow-credentials",
            ExhibitId::RouterAnswers405 => "router-answers-405",
            ExhibitId::AuthBeforeCors => "auth-before-cors",
            ExhibitId::MethodNotListed => "method-not-listed",
            ExhibitId::HeaderNotListed => "header-not-listed",
            ExhibitId::SlashRedirect => "slash-redirect",
            ExhibitId::ErrorSkipsCors => "error-skips-cors",
            ExhibitId::ReflectAnyOrigin => "reflect-any-origin",
            ExhibitId::TrustsNullOrigin => "trusts-null-origin",
            ExhibitId::InvalidAllowMethods => "invalid-allow-methods",
            ExhibitId::InvalidAllowHeaders => "invalid-allow-headers",
            ExhibitId::DropsConnection => "drops-connection",
        }
    }

    /// The exhibit's path, e.g. `/exhibits/no-cors-layer`.
    pub fn path(self) -> String {
        format!("{EXHIBITS_PREFIX}/{}", self.slug())
    }

    /// 1 to 16: the card's number in the gallery.
    pub fn number(self) -> u8 {
        let index = ExhibitId::ALL.iter().position(|id| *id == self);
        index.map_or(0, |i| i as u8 + 1)
    }

    /// The exhibit with this slug.
    pub fn from_slug(slug: &str) -> Option<ExhibitId> {
        ExhibitId::ALL.into_iter().find(|id| id.slug() == slug)
    }
}

impl fmt::Display for ExhibitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// What an exhibit demonstrates in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    /// The browser blocks it, and DevTools classifies the failure as this.
    Blocked(CorsError),
    /// The page reads the answer: nothing is wrong in the console, and that is the
    /// problem (a security hole, not a failure).
    Readable,
    /// No answer at all, so no CORS check: a network error.
    NetworkError(NetError),
}

/// Which page sends an exhibit's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentFrom {
    /// The lab itself, e.g. `http://localhost:5173`.
    Lab,
    /// A sandboxed iframe inside the lab (`sandbox="allow-scripts"`, no
    /// `allow-same-origin`): its origin is opaque, so its requests say `Origin: null`.
    SandboxedFrame,
}

/// The fix, in this project's terms and in FastAPI's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fix {
    /// What to do with this project's `[cors]` keys (or its layer order).
    pub config: &'static str,
    /// The same with Starlette's `CORSMiddleware(...)`.
    pub fastapi: &'static str,
}

/// One deliberately misconfigured endpoint and what it teaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exhibit {
    pub id: ExhibitId,
    pub title: &'static str,
    /// The server's mistake, in a sentence or two.
    pub mistake: &'static str,
    /// The request the page sends; its URL is the exhibit's path.
    pub request: Request,
    pub sent_from: SentFrom,
    pub shows: Shows,
    pub fix: Fix,
}

impl Exhibit {
    pub fn number(&self) -> u8 {
        self.id.number()
    }
}

const ALLOW_LAB: &str = "allow_origins = [\"http://localhost:5173\"]";
const FASTAPI_LAB: &str =
    "app.add_middleware(CORSMiddleware, allow_origins=[\"http://localhost:5173\"])";
const LAYER_ORDER: &str = "Nothing in [cors]: register the CORS layer outside everything that \
                           can answer (routing, auth, error pages). This project wraps it around \
                           the whole scope: see backend/src/startup.rs.";
const FASTAPI_LAST: &str = "app.add_middleware(CORSMiddleware, ...)  # added last, so outermost";

/// The gallery, in order.
pub fn all() -> Vec<Exhibit> {
    ExhibitId::ALL.into_iter().map(exhibit).collect()
}

/// One exhibit's card.
pub fn exhibit(id: ExhibitId) -> Exhibit {
    use ExhibitId::*;
    let path = id.path();
    let get = Request::new("GET", &path);
    let json = r#"{"name":"from the gallery"}"#;
    let (title, mistake, request, shows, fix) = match id {
        NoCorsLayer => (
            "No CORS layer at all",
            "The API answers 200 but sends no Access-Control-Allow-Origin: nobody added a CORS \
             layer. The server did its work; the browser hides the answer from the page.",
            get,
            Shows::Blocked(CorsError::MissingAllowOriginHeader),
            Fix {
                config: ALLOW_LAB,
                fastapi: FASTAPI_LAB,
            },
        ),
        HardCodedOrigin => (
            "A hard-coded origin",
            "Access-Control-Allow-Origin is written by hand as the production site, so every \
             other origin (your dev server included) sees a mismatch.",
            get,
            Shows::Blocked(CorsError::AllowOriginMismatch),
            Fix {
                config: "allow_origins = [\"https://app.example.com\", \"http://localhost:5173\"] \
                         (the layer picks the one that matches)",
                fastapi: "CORSMiddleware(allow_origins=[\"https://app.example.com\", \
                          \"http://localhost:5173\"])",
            },
        ),
        TwoAllowOrigins => (
            "Two Access-Control-Allow-Origin headers",
            "A reverse proxy and the application both add Access-Control-Allow-Origin. Each is \
             right on its own; together they are two values, and only one is allowed.",
            get,
            Shows::Blocked(CorsError::MultipleAllowOriginValues),
            Fix {
                config: "Let one layer own CORS: keep [cors] here and remove the proxy's \
                         add_header Access-Control-Allow-Origin.",
                fastapi: "Keep CORSMiddleware and drop the proxy's CORS headers (or the reverse).",
            },
        ),
        WildcardWithCredentials => (
            "The wildcard with credentials",
            "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true, read \
             with credentials: \"include\". * means \"anyone, without cookies\": a credentialed \
             request needs the exact origin.",
            get.credentials(Credentials::Include),
            Shows::Blocked(CorsError::WildcardOriginNotAllowed),
            Fix {
                config: "allow_origins = [\"http://localhost:5173\"] with allow_credentials = \
                         true (this backend refuses * with credentials at startup)",
                fastapi: "CORSMiddleware(allow_origins=[\"http://localhost:5173\"], \
                          allow_credentials=True)",
            },
        ),
        MissingAllowCredentials => (
            "Credentials without Access-Control-Allow-Credentials",
            "The origin is allowed, but the page sends cookies (credentials: \"include\") and \
             the answer lacks Access-Control-Allow-Credentials: true.",
            get.credentials(Credentials::Include),
            Shows::Blocked(CorsError::InvalidAllowCredentials),
            Fix {
                config: "allow_credentials = true",
                fastapi: "CORSMiddleware(allow_origins=[...], allow_credentials=True)",
            },
        ),
        RouterAnswers405 => (
            "The router answers the preflight 405",
            "The CORS layer is registered on the route, inside routing. The route has no \
             OPTIONS handler, so the router answers the preflight 405 before CORS ever runs, \
             with no CORS headers.",
            Request::new("PUT", &path).json(json),
            Shows::Blocked(CorsError::PreflightMissingAllowOriginHeader),
            Fix {
                config: LAYER_ORDER,
                fastapi: FASTAPI_LAST,
            },
        ),
        AuthBeforeCors => (
            "Auth answers the preflight 401",
            "A hand-made CORS layer adds its headers to every response but lets OPTIONS through, \
             and the auth layer inside it wants a token. A preflight only names the headers \
             to come (Access-Control-Request-Headers: authorization), never their values, so \
             it has no token to show. Auth answers 401 and the preflight fails on its status.",
            get.header("Authorization", "Bearer lab-demo-token"),
            Shows::Blocked(CorsError::PreflightInvalidStatus),
            Fix {
                config: "Nothing in [cors]: let the CORS layer answer preflights itself, outside \
                         auth (see /api/protected in backend/src/routes/mod.rs).",
                fastapi: FASTAPI_LAST,
            },
        ),
        MethodNotListed => (
            "The method is not in Access-Control-Allow-Methods",
            "The preflight is answered 200 with the right origin, but Allow-Methods lists GET \
             and POST only, and the page wants PATCH.",
            Request::new("PATCH", &path).json(json),
            Shows::Blocked(CorsError::MethodDisallowedByPreflightResponse),
            Fix {
                config: "allow_methods = [\"GET\", \"POST\", \"PATCH\"]",
                fastapi: "CORSMiddleware(allow_origins=[...], allow_methods=[\"GET\", \"POST\", \
                          \"PATCH\"])",
            },
        ),
        HeaderNotListed => (
            "The header is not in Access-Control-Allow-Headers",
            "The preflight is answered 200 with the right origin, but Allow-Headers lists \
             Content-Type only, and the page sends X-Debug.",
            get.header("X-Debug", "1"),
            Shows::Blocked(CorsError::HeaderDisallowedByPreflightResponse),
            Fix {
                config: "allow_headers = [\"X-Debug\"]",
                fastapi: "CORSMiddleware(allow_origins=[...], allow_headers=[\"X-Debug\"])",
            },
        ),
        SlashRedirect => (
            "A trailing-slash redirect on the preflight",
            "The route is /exhibits/slash-redirect/ and the page calls it without the slash. \
             The router redirects (308) before any CORS layer sees the request, so the \
             preflight itself is redirected. FastAPI's redirect_slashes does the same with a \
             307 when nothing answers the preflight first. Browsers never follow a redirect \
             on a preflight.",
            Request::new("POST", &path).json(json),
            Shows::Blocked(CorsError::PreflightDisallowedRedirect),
            Fix {
                config: "Nothing in [cors]: call the exact URL the route has, or let the CORS \
                         layer answer preflights before routing.",
                fastapi: "Call the route with its slash, or FastAPI(redirect_slashes=False)",
            },
        ),
        ErrorSkipsCors => (
            "A 500 that skips the CORS layer",
            "The handler fails and the error page is rendered by a layer outside CORS, so the \
             500 goes out without Access-Control-Allow-Origin. The console reports a CORS \
             error; the real problem is the crash.",
            get,
            Shows::Blocked(CorsError::MissingAllowOriginHeader),
            Fix {
                config: "Nothing in [cors]: fix the crash, and render errors inside the CORS \
                         layer (this backend's errors carry its CORS headers).",
                fastapi: "Catch the error where it happens, or in a middleware added before \
                          CORSMiddleware (so inside it): Starlette renders unhandled 500s in \
                          ServerErrorMiddleware, outside every middleware you add.",
            },
        ),
        ReflectAnyOrigin => (
            "Reflecting any Origin, with credentials",
            "The server copies the request's Origin into Access-Control-Allow-Origin and allows \
             credentials. Every check passes, for every site on the web: any page can read \
             your logged-in data. Nothing is printed, because nothing is blocked.",
            get.credentials(Credentials::Include),
            Shows::Readable,
            Fix {
                config: "allow_origins = [\"http://localhost:5173\"] (a list of the origins you \
                         trust), allow_credentials = true",
                fastapi: "CORSMiddleware(allow_origins=[\"http://localhost:5173\"], \
                          allow_credentials=True), never allow_origin_regex=\".*\"",
            },
        ),
        TrustsNullOrigin => (
            "Trusting Origin: null",
            "The server allows the origin null. Sandboxed iframes, data: URLs, redirects \
             onward from another origin and form posts under Referrer-Policy: no-referrer \
             all send Origin: null. Any site can produce it, so trusting it trusts everyone.",
            get,
            Shows::Readable,
            Fix {
                config: "Never list \"null\" in allow_origins (this backend refuses it at startup)",
                fastapi: "Never put \"null\" in allow_origins",
            },
        ),
        InvalidAllowMethods => (
            "An invalid Access-Control-Allow-Methods",
            "The preflight's Allow-Methods is \"GET, PO ST\": a space inside a method name. \
             The browser cannot parse the list, so the whole preflight fails, whatever \
             method or headers the page asked for.",
            Request::new("PUT", &path).json(json),
            Shows::Blocked(CorsError::InvalidAllowMethodsPreflightResponse),
            Fix {
                config: "allow_methods = [\"GET\", \"POST\", \"PUT\"] (this backend validates \
                         each name as an HTTP token)",
                fastapi: "CORSMiddleware(allow_origins=[...], allow_methods=[\"GET\", \"POST\", \
                          \"PUT\"])",
            },
        ),
        InvalidAllowHeaders => (
            "An invalid Access-Control-Allow-Headers",
            "The preflight's Allow-Headers is \"X-Debug, X Trace\": a space inside a header \
             name. The browser cannot parse the list, so the whole preflight fails, whatever \
             headers or method the page asked for.",
            get.header("X-Debug", "1"),
            Shows::Blocked(CorsError::InvalidAllowHeadersPreflightResponse),
            Fix {
                config: "allow_headers = [\"X-Debug\", \"X-Trace\"] (this backend validates each \
                         name as an HTTP token)",
                fastapi: "CORSMiddleware(allow_origins=[...], allow_headers=[\"X-Debug\", \
                          \"X-Trace\"])",
            },
        ),
        DropsConnection => (
            "The server drops the connection",
            "The server closes the connection without answering, as a crashing process or a \
             proxy that gives up does. The page gets the same TypeError as for a CORS refusal, \
             but the console prints no CORS line: there was no answer to check.",
            get,
            Shows::NetworkError(NetError::EmptyResponse),
            Fix {
                config: "Nothing in [cors]: find out why the server dies (its logs), then look \
                         at CORS.",
                fastapi: "Nothing in CORSMiddleware: read the server's logs.",
            },
        ),
    };
    let sent_from = match id {
        TrustsNullOrigin => SentFrom::SandboxedFrame,
        _ => SentFrom::Lab,
    };
    Exhibit {
        id,
        title,
        mistake,
        request,
        sent_from,
        shows,
        fix,
    }
}

/// Whether the backend serves the exhibits (`GET /lab/exhibits`): `[exhibits]
/// enabled`, true in development and false in production.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExhibitsStatus {
    pub enabled: bool,
}

#[cfg(test)]
mod claims;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_exhibit_has_its_own_slug_and_path_under_exhibits() {
        let slugs: HashSet<&str> = ExhibitId::ALL.iter().map(|id| id.slug()).collect();
        assert_eq!(slugs.len(), ExhibitId::ALL.len(), "slugs are unique");
        for id in ExhibitId::ALL {
            assert_eq!(ExhibitId::from_slug(id.slug()), Some(id), "{id}");
            let exhibit = exhibit(id);
            assert_eq!(exhibit.request.url, id.path(), "{id} calls its own path");
            assert_eq!(
                serde_json_slug(id),
                id.slug(),
                "{id}: serde and slug() agree"
            );
        }
    }

    #[test]
    fn the_gallery_shows_at_least_twelve_distinct_cors_errors() {
        let errors: HashSet<CorsError> = all()
            .iter()
            .filter_map(|exhibit| match exhibit.shows {
                Shows::Blocked(error) => Some(error),
                _ => None,
            })
            .collect();
        assert!(errors.len() >= 12, "{errors:?}");
    }

    #[test]
    fn the_numbers_run_from_one_in_gallery_order() {
        let numbers: Vec<u8> = all().iter().map(Exhibit::number).collect();
        let expected: Vec<u8> = (1..=ExhibitId::ALL.len() as u8).collect();
        assert_eq!(numbers, expected);
    }

    fn serde_json_slug(id: ExhibitId) -> String {
        serde_json::to_value(id)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }
}
