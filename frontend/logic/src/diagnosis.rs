//! What happened, in plain words, the console line, and which config key to change.
//!
//! When CORS blocks a request, the page learns nothing but
//! `TypeError: Failed to fetch` — on purpose: telling a page *why* would leak
//! information about servers it may not read. The reason goes to DevTools'
//! console only. The backend's recorder keeps the server's side: the preflight
//! the browser sent, the answer it got, and the actual request if it was sent at
//! all. This module runs the browser's own checks (`cors_rules::browser`) on
//! those recorded answers, in the browser's order, so the card can print the very
//! line the console printed, and name the key that would change it:
//!
//! 1. Nothing recorded: the request never reached the backend.
//! 2. A preflight whose answer fails a check: the browser stops there and never
//!    sends the actual request.
//! 3. An actual request whose answer fails the CORS check: the server *did* run it
//!    — CORS protects reading, not sending — but the page may not read the answer.
//! 4. A recorded request that got no answer (the recorder's status 444), or whose
//!    answer passes every check although `fetch()` failed: no answer reached the
//!    browser, so there was nothing for CORS to check. A network error, not CORS:
//!    the console prints Chromium's `net::ERR_…` line and no CORS line.

use cors_rules::browser::{check_preflight, check_response, CorsRequest, Failure, NetError};
use cors_rules::expect::key_for;
use cors_rules::http::list_items;
use cors_rules::{ConfigKey, Credentials, Rejection, ResponseHead};
use lab_types::{Exchange, Header};

use crate::engine_words::Scene;
use crate::runs::{header, ServerSide};
use crate::scenarios::Governor;

/// What the page itself saw: a readable response, or an opaque failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageSaw {
    /// `fetch()` resolved: the page may read the status, the body and the
    /// safelisted or exposed headers listed here.
    Response {
        status: u16,
        headers: Vec<Header>,
        body: String,
    },
    /// `fetch()` rejected, typically with `TypeError: Failed to fetch`.
    Failed { message: String },
}

impl PageSaw {
    /// The status, e.g. `200`, or the error text, e.g. `TypeError: Failed to fetch`.
    pub fn status_text(&self) -> String {
        match self {
            PageSaw::Response { status, .. } => status.to_string(),
            PageSaw::Failed { message } => message.clone(),
        }
    }
}

/// The outcome class of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The page could read the response.
    Allowed,
    /// The browser hid the response or refused to send the request.
    Blocked,
    /// The server recorded nothing: it was not reached.
    NotSent,
    /// `fetch()` failed although no CORS check did: the answer never arrived.
    NetworkError,
}

impl Verdict {
    /// `allowed`, `blocked`, `not-sent` or `network-error`: the value of `data-outcome`.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Blocked => "blocked",
            Verdict::NotSent => "not-sent",
            Verdict::NetworkError => "network-error",
        }
    }

    /// The badge's words (the badge shows them beside its colour, never colour alone).
    pub fn badge(self) -> &'static str {
        match self {
            Verdict::Allowed => "✓ allowed",
            Verdict::Blocked => "✗ blocked",
            Verdict::NotSent => "– not reached",
            Verdict::NetworkError => "⚡ network error",
        }
    }

    /// What the page's bare error means, after "fetch() rejected with …".
    pub fn page_error_note(self) -> &'static str {
        match self {
            Verdict::NetworkError => {
                "A CORS refusal gives a page this very error: it cannot tell the two apart."
            }
            _ => "That is all a page ever learns about a CORS failure.",
        }
    }

    /// The verdict of a card of several runs: blocked if any was, else a network
    /// error if any was, else not reached if any was, else allowed; `None` for none.
    pub fn of_card(verdicts: &[Verdict]) -> Option<Verdict> {
        let order = [
            Verdict::Blocked,
            Verdict::NetworkError,
            Verdict::NotSent,
            Verdict::Allowed,
        ];
        order.into_iter().find(|v| verdicts.contains(v))
    }
}

/// The explanation of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    pub verdict: Verdict,
    /// One sentence: what happened.
    pub headline: String,
    /// The config key to change to allow it, if a key can.
    pub key: Option<ConfigKey>,
    /// Further sentences: the evidence.
    pub details: Vec<String>,
    /// The check that failed, as Chromium classifies it (`corsErrorStatus`).
    pub failure: Option<Failure>,
    /// The network error, when no answer reached the browser.
    pub net_error: Option<NetError>,
    /// The line DevTools' console printed for it: the CORS line, or the network
    /// error's `Failed to load resource: net::ERR_…` line.
    pub console_line: Option<String>,
    /// What any engine's console lines name: the URL, the request and the answer.
    pub scene: Option<Scene>,
}

impl Diagnosis {
    fn new(verdict: Verdict, headline: String, key: Option<ConfigKey>) -> Diagnosis {
        Diagnosis {
            verdict,
            headline,
            key,
            details: Vec::new(),
            failure: None,
            net_error: None,
            console_line: None,
            scene: None,
        }
    }

    /// Why the browser refused, when it did: the failed check's reason, or why a
    /// network error is not CORS.
    pub fn why(&self) -> Option<String> {
        match (&self.failure, self.net_error) {
            (Some(failure), _) => Some(failure.why()),
            (None, Some(net)) => Some(net.why().to_string()),
            (None, None) => None,
        }
    }

    /// What a console element shows: `data-cors-error`, `data-failed-parameter`
    /// (both empty when no CORS check failed) and MDN's page for the failure.
    pub fn console_attributes(&self) -> ConsoleAttributes {
        match &self.failure {
            Some(failure) => ConsoleAttributes {
                cors_error: failure.cors_error.as_str(),
                failed_parameter: failure.failed_parameter.clone(),
                mdn: Some((
                    failure.cors_error.mdn().as_str(),
                    failure.cors_error.mdn().url(),
                )),
            },
            None => ConsoleAttributes::default(),
        }
    }

    /// The diagnosis of a run answered by `governor`'s policy. A fixed policy
    /// (`/public/…`) is not read from `config/`, so no key can lift its refusal:
    /// the key goes, and a sentence says what the page can change instead.
    pub fn under(mut self, governor: Governor) -> Diagnosis {
        if governor.configurable() || self.verdict != Verdict::Blocked {
            return self;
        }
        self.key = None;
        self.because(format!(
            "This endpoint answers under {}, fixed in code: no config key changes it. \
             The page can: drop credentials: \"include\", which a bearer token never needs.",
            governor.name()
        ))
    }

    fn at(mut self, scene: Scene) -> Diagnosis {
        self.scene = Some(scene);
        self
    }

    fn because(mut self, detail: impl Into<String>) -> Diagnosis {
        self.details.push(detail.into());
        self
    }
}

/// The attributes of a console element, and MDN's page (name, URL) for the failure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsoleAttributes {
    pub cors_error: &'static str,
    pub failed_parameter: String,
    pub mdn: Option<(&'static str, String)>,
}

/// Explains one run of a `fetch()` of `url` from a page on `origin`, from both sides.
pub fn diagnose(
    page: &PageSaw,
    server: &ServerSide,
    origin: &str,
    credentials: Credentials,
    url: &str,
) -> Diagnosis {
    if let PageSaw::Response { status, .. } = page {
        return allowed(*status, server, credentials == Credentials::Include);
    }
    if server.is_empty() {
        return Diagnosis::new(
            Verdict::NotSent,
            "The server recorded nothing for this run: the backend is not reachable at the \
             API URL, or the browser refused to send the request at all."
                .to_string(),
            None,
        )
        .because("Check that the backend is running and that /config.json names it.");
    }
    if let Some(preflight) = server.preflights.last() {
        if !answered(preflight) {
            return network_error(preflight, "preflight").at(Scene::unanswered(url));
        }
        let request = cors_request(preflight, origin, credentials);
        let answer = head_of(preflight);
        if let Err(failure) = check_preflight(&request, &answer) {
            let evidence = format!(
                "The preflight got status {} {}, so the browser never sent the actual request.",
                preflight.status,
                if preflight
                    .response_headers
                    .iter()
                    .any(|(n, _)| is_allow_header(n))
                {
                    "with Access-Control-Allow-* headers that do not cover it"
                } else {
                    "and no Access-Control-Allow-* headers"
                }
            );
            return blocked(
                failure,
                preflight.rejection.as_ref(),
                "preflight",
                url,
                origin,
            )
            .because(evidence)
            .at(Scene::checked(url, request, answer));
        }
        if server.actual.is_empty() {
            return Diagnosis::new(
                Verdict::Blocked,
                "The preflight passed, yet the browser did not send the request.".into(),
                None,
            )
            .because("Open the browser's console: it says why.");
        }
    }
    let Some(actual) = server.actual.last() else {
        return Diagnosis::new(
            Verdict::Blocked,
            "The browser blocked the request, and the recorder shows no reason.".into(),
            None,
        );
    };
    if !answered(actual) {
        return network_error(actual, "request").at(Scene::unanswered(url));
    }
    let request = cors_request(actual, origin, credentials);
    let answer = head_of(actual);
    match check_response(&request, &answer) {
        Err(failure) => blocked(failure, actual.rejection.as_ref(), "request", url, origin)
            .at(Scene::checked(url, request, answer))
            .because(format!(
                "The server did run the request and answered {} — CORS stops the page from \
                 reading the answer, not the server from acting on it.",
                actual.status
            )),
        Ok(()) => network_error(actual, "request").at(Scene::unanswered(url)),
    }
}

/// The status the recorder writes for a request it received but never answered.
pub const NO_RESPONSE: u16 = Exchange::NO_RESPONSE;

/// Whether the server sent an answer to a recorded request.
pub fn answered(exchange: &Exchange) -> bool {
    exchange.answered()
}

/// A recorded status in words: the number, or what [`NO_RESPONSE`] means.
pub fn status_words(status: u16) -> String {
    match status {
        NO_RESPONSE => format!("{NO_RESPONSE}: no response, the connection was closed"),
        status => status.to_string(),
    }
}

/// `fetch()` failed, and no CORS check can be blamed: the server got the request,
/// and either sent no answer or an answer that passes. The answer did not reach the
/// browser whole: the connection was open (the request arrived) and closed empty.
fn network_error(exchange: &Exchange, what: &str) -> Diagnosis {
    let net = NetError::EmptyResponse;
    let evidence = if answered(exchange) {
        format!(
            "The server recorded the {what} and an answer (status {}) that passes every CORS \
             check, yet fetch() failed: that answer never reached the browser.",
            exchange.status
        )
    } else {
        format!("The server recorded the {what} and sent no answer: it closed the connection.")
    };
    let mut diagnosis = Diagnosis::new(
        Verdict::NetworkError,
        "No answer reached the browser: a network error, not CORS.".to_string(),
        None,
    )
    .because(evidence)
    .because(net.why())
    .because(
        "The page gets the same TypeError as for a CORS refusal, but DevTools prints no \
         \"blocked by CORS policy\" line and reports no CORS error, only the network error.",
    );
    diagnosis.console_line = Some(net.console_line());
    diagnosis.net_error = Some(net);
    diagnosis
}

fn blocked(
    failure: Failure,
    rejection: Option<&Rejection>,
    what: &str,
    url: &str,
    origin: &str,
) -> Diagnosis {
    let key = rejection
        .and_then(Rejection::config_key)
        .or_else(|| key_for(&failure));
    let headline = match rejection {
        Some(rejection) => rejection_sentence(rejection, what),
        None => failure.why(),
    };
    let mut diagnosis = Diagnosis::new(Verdict::Blocked, headline, key);
    if rejection.is_some() {
        diagnosis = diagnosis.because(failure.why());
    }
    diagnosis = diagnosis.because(format!(
        "DevTools classifies it as {}; MDN explains it at {}.",
        failure.cors_error,
        failure.cors_error.mdn().url()
    ));
    diagnosis.console_line = Some(failure.console_line(url, origin));
    diagnosis.failure = Some(failure);
    diagnosis
}

/// What the browser asked for, read back from a recorded exchange.
fn cors_request(exchange: &Exchange, origin: &str, credentials: Credentials) -> CorsRequest {
    let requested = |name| header(&exchange.request_headers, name);
    let method = match exchange.preflight {
        true => requested("access-control-request-method").unwrap_or_default(),
        false => &exchange.method,
    };
    CorsRequest {
        origin: origin.to_string(),
        method: method.to_string(),
        request_headers: requested("access-control-request-headers")
            .map(|value| list_items(value).map(str::to_ascii_lowercase).collect())
            .unwrap_or_default(),
        credentials,
    }
}

/// The recorded answer, as the browser received it.
fn head_of(exchange: &Exchange) -> ResponseHead {
    ResponseHead {
        status: exchange.status,
        headers: exchange.response_headers.clone(),
    }
}

fn allowed(status: u16, server: &ServerSide, credentialed: bool) -> Diagnosis {
    let headline = if status >= 400 {
        format!(
            "Allowed by CORS: the server refused the request itself (status {status}), and \
             because its answer carried Access-Control-Allow-Origin the page can read why."
        )
    } else {
        format!("Allowed: the answer (status {status}) carried Access-Control-Allow-Origin for this page, so the page can read it.")
    };
    let diagnosis = Diagnosis::new(Verdict::Allowed, headline, None);
    let diagnosis = match server.preflights.len() {
        0 => diagnosis.because("No preflight was sent: the request went out directly."),
        1 => diagnosis.because("The preflight passed, then the actual request was sent."),
        n => diagnosis.because(format!("The server saw {n} preflights for this run.")),
    };
    let diagnosis = match server.actual.last() {
        Some(actual) if actual.had_authorization && !credentialed => diagnosis.because(
            "The request carried Authorization without credentials: a header the page set, \
             allowed by Access-Control-Allow-Headers, not a credential, so even \
             Access-Control-Allow-Origin: * lets the page read the answer.",
        ),
        _ => diagnosis,
    };
    match server.actual.last() {
        Some(actual) if actual.had_cookie => {
            diagnosis.because("The request carried a cookie: credentials went along.")
        }
        Some(_) if credentialed => diagnosis.because(
            "No cookie came along although credentials were included: either none was set \
             yet, or its SameSite rule kept it home. SameSite compares sites, not origins: \
             localhost:5173 → localhost:8000 is the same site, 127.0.0.1 → localhost is not.",
        ),
        Some(_) => diagnosis.because(
            "No cookie was sent: without credentials: \"include\" the browser keeps cookies \
             for the page's own origin.",
        ),
        None => diagnosis,
    }
}

fn rejection_sentence(rejection: &Rejection, what: &str) -> String {
    match rejection {
        Rejection::Origin { origin } => format!(
            "Origin {origin} is not in allow_origins: the server refused the {what} from this page's origin."
        ),
        Rejection::Method { method } => format!(
            "Method {method} is not in allow_methods: the server's answer to the {what} does not list it."
        ),
        Rejection::Headers { headers } => format!(
            "Header {} not in allow_headers: the server's answer to the {what} does not list it.",
            headers.join(", ")
        ),
        Rejection::Malformed { detail } => {
            format!("The {what} was malformed and refused: {detail}.")
        }
    }
}

fn is_allow_header(name: &str) -> bool {
    name.to_ascii_lowercase()
        .starts_with("access-control-allow-")
}

#[cfg(test)]
mod tests;
