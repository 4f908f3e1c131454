//! What happened, in plain words, and which config key to change.
//!
//! When CORS blocks a request, the page learns nothing but
//! `TypeError: Failed to fetch` — on purpose: telling a page *why* would leak
//! information about servers it may not read. The server side knows more, and
//! the backend's recorder keeps it: the preflight the browser sent, the answer
//! it got, and the actual request if it was sent at all. This module puts the
//! two halves together and explains the outcome the way the browser decided
//! it, checking in the browser's own order:
//!
//! 1. Nothing recorded: the request never reached the backend.
//! 2. A preflight that the server refused: the recorder says which check
//!    failed (origin, method, headers), and so which key to change.
//! 3. A preflight answered with 2xx whose headers do not cover the request:
//!    the browser stops there and never sends the actual request.
//! 4. An actual request whose answer lacks a matching
//!    `Access-Control-Allow-Origin` (or credentials consent): the server *did*
//!    run it — CORS protects reading, not sending — but the page may not read
//!    the answer.

use lab_types::{Exchange, Header, Rejection};

use crate::request::Credentials;
use crate::runs::{header, ServerSide};

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

/// The outcome class of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The page could read the response.
    Allowed,
    /// The browser hid the response or refused to send the request.
    Blocked,
    /// The server recorded nothing: it was not reached.
    NotSent,
}

impl Verdict {
    /// `allowed`, `blocked` or `not-sent`: the value of `data-outcome`.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Blocked => "blocked",
            Verdict::NotSent => "not-sent",
        }
    }
}

/// The explanation of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    pub verdict: Verdict,
    /// One sentence: what happened.
    pub headline: String,
    /// The config key to change to allow it, if a key can.
    pub key: Option<&'static str>,
    /// Further sentences: the evidence.
    pub details: Vec<String>,
}

impl Diagnosis {
    fn new(verdict: Verdict, headline: String, key: Option<&'static str>) -> Diagnosis {
        Diagnosis {
            verdict,
            headline,
            key,
            details: Vec::new(),
        }
    }

    fn because(mut self, detail: impl Into<String>) -> Diagnosis {
        self.details.push(detail.into());
        self
    }
}

/// Explains one run from both sides.
pub fn diagnose(
    page: &PageSaw,
    server: &ServerSide,
    origin: &str,
    credentials: Credentials,
) -> Diagnosis {
    let credentialed = credentials == Credentials::Include;
    if let PageSaw::Response { status, .. } = page {
        return allowed(*status, server, credentialed);
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
        if let Some(diagnosis) = refused_preflight(preflight, origin, credentialed) {
            return diagnosis;
        }
        if server.actual.is_empty() {
            return Diagnosis::new(
                Verdict::Blocked,
                "The preflight was answered, yet the browser did not send the request.".into(),
                None,
            )
            .because("Open the browser's console: it names the header it did not accept.");
        }
    }
    match server.actual.last() {
        Some(actual) => refused_response(actual, origin, credentialed),
        None => Diagnosis::new(
            Verdict::Blocked,
            "The browser blocked the request, and the recorder shows no reason.".into(),
            None,
        ),
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

/// `Some` when the preflight's answer stops the request.
fn refused_preflight(preflight: &Exchange, origin: &str, credentialed: bool) -> Option<Diagnosis> {
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
    if let Some(rejection) = &preflight.rejection {
        return Some(
            Diagnosis::new(
                Verdict::Blocked,
                rejection_sentence(rejection, "preflight"),
                rejection.config_key(),
            )
            .because(evidence),
        );
    }
    if !(200..300).contains(&preflight.status) {
        return Some(
            Diagnosis::new(
                Verdict::Blocked,
                format!(
                    "The preflight got status {}: a preflight must be answered with 2xx.",
                    preflight.status
                ),
                None,
            )
            .because(
                "Something before the CORS layer answered the OPTIONS request (auth, routing).",
            ),
        );
    }
    let answer = &preflight.response_headers;
    if let Some(diagnosis) = origin_problem(answer, origin, credentialed, "preflight") {
        return Some(diagnosis.because(evidence));
    }
    let method = header(&preflight.request_headers, "access-control-request-method").unwrap_or("");
    let allowed_methods = list(header(answer, "access-control-allow-methods"));
    let method_ok = ["GET", "HEAD", "POST"].contains(&method)
        || allowed_methods.iter().any(|m| m == method)
        || (!credentialed && allowed_methods.iter().any(|m| m == "*"));
    if !method_ok {
        return Some(
            Diagnosis::new(
                Verdict::Blocked,
                format!("Method {method} is not in allow_methods: the preflight's Access-Control-Allow-Methods does not list it."),
                Some("allow_methods"),
            )
            .because(evidence),
        );
    }
    let requested = list(header(
        &preflight.request_headers,
        "access-control-request-headers",
    ));
    let allowed_headers = list(header(answer, "access-control-allow-headers"));
    let missing: Vec<String> = requested
        .into_iter()
        .filter(|name| {
            let listed = allowed_headers.iter().any(|a| a.eq_ignore_ascii_case(name));
            let wildcard = !credentialed
                && name.as_str() != "authorization"
                && allowed_headers.iter().any(|a| a == "*");
            !(listed || wildcard)
        })
        .collect();
    if !missing.is_empty() {
        return Some(
            Diagnosis::new(
                Verdict::Blocked,
                format!(
                    "Header {} not in allow_headers: the preflight's Access-Control-Allow-Headers does not list it.",
                    missing.join(", ")
                ),
                Some("allow_headers"),
            )
            .because(evidence),
        );
    }
    None
}

fn refused_response(actual: &Exchange, origin: &str, credentialed: bool) -> Diagnosis {
    let evidence = format!(
        "The server did run the request and answered {} — CORS stops the page from reading \
         the answer, not the server from acting on it.",
        actual.status
    );
    if let Some(rejection) = &actual.rejection {
        return Diagnosis::new(
            Verdict::Blocked,
            rejection_sentence(rejection, "request"),
            rejection.config_key(),
        )
        .because(evidence);
    }
    if let Some(diagnosis) =
        origin_problem(&actual.response_headers, origin, credentialed, "answer")
    {
        return diagnosis.because(evidence);
    }
    Diagnosis::new(
        Verdict::Blocked,
        "The answer's CORS headers look right, yet the browser refused it.".into(),
        None,
    )
    .because("Open the browser's console for its exact message.")
}

/// Checks `Access-Control-Allow-Origin` and `-Credentials` of an answer.
fn origin_problem(
    answer: &[Header],
    origin: &str,
    credentialed: bool,
    what: &str,
) -> Option<Diagnosis> {
    let blocked =
        |headline: String, key| Some(Diagnosis::new(Verdict::Blocked, headline, Some(key)));
    match header(answer, "access-control-allow-origin") {
        None => blocked(
            format!("Origin {origin} is not in allow_origins: the {what} carried no Access-Control-Allow-Origin."),
            "allow_origins",
        ),
        Some("*") if credentialed => blocked(
            format!(
                "Wildcard with credentials: the {what} said Access-Control-Allow-Origin: *, which \
                 a browser never accepts with credentials: \"include\". List {origin} in \
                 allow_origins instead of *."
            ),
            "allow_origins",
        ),
        Some(value) if value != "*" && value != origin => blocked(
            format!(
                "The {what} allowed origin {value}, but this page is {origin}: add {origin} to allow_origins."
            ),
            "allow_origins",
        ),
        Some(_) if credentialed && header(answer, "access-control-allow-credentials") != Some("true") => blocked(
            format!(
                "Credentials not allowed: the {what} lacked Access-Control-Allow-Credentials: true, \
                 which credentials: \"include\" requires. Set allow_credentials = true."
            ),
            "allow_credentials",
        ),
        Some(_) => None,
    }
}

fn rejection_sentence(rejection: &Rejection, what: &str) -> String {
    match rejection {
        Rejection::Origin { origin } => format!(
            "Origin {origin} is not in allow_origins: the server refused the {what} from this page's origin."
        ),
        Rejection::Method { method } => format!(
            "Method {method} is not in allow_methods: the server refused the {what}."
        ),
        Rejection::Headers { headers } => format!(
            "Header {} not in allow_headers: the server refused the {what}.",
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

/// A comma-separated header value as trimmed items.
fn list(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runs::tests::exchange;

    const LAB: &str = "http://localhost:5173";

    fn failed() -> PageSaw {
        PageSaw::Failed {
            message: "TypeError: Failed to fetch".into(),
        }
    }

    fn with(
        mut e: Exchange,
        status: u16,
        request: &[(&str, &str)],
        response: &[(&str, &str)],
        rejection: Option<Rejection>,
    ) -> Exchange {
        e.status = status;
        e.request_headers = request
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        e.response_headers = response
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        e.rejection = rejection;
        e
    }

    fn preflight(
        status: u16,
        request: &[(&str, &str)],
        response: &[(&str, &str)],
        rejection: Option<Rejection>,
    ) -> Exchange {
        with(
            exchange(1, "OPTIONS", "/api/x?lab_run=t-1", true),
            status,
            request,
            response,
            rejection,
        )
    }

    fn actual(status: u16, response: &[(&str, &str)], rejection: Option<Rejection>) -> Exchange {
        with(
            exchange(2, "GET", "/api/x?lab_run=t-1", false),
            status,
            &[],
            response,
            rejection,
        )
    }

    fn side(preflights: Vec<Exchange>, actual: Vec<Exchange>) -> ServerSide {
        ServerSide { preflights, actual }
    }

    #[test]
    fn every_blocked_run_is_explained_by_the_config_key_to_change() {
        let acao = ("Access-Control-Allow-Origin", LAB);
        // (why, server side, credentials, verdict, key, headline fragment)
        type Case<'a> = (
            &'a str,
            ServerSide,
            Credentials,
            Verdict,
            Option<&'a str>,
            &'a str,
        );
        let cases: Vec<Case> = vec![
            (
                "nothing recorded",
                side(vec![], vec![]),
                Credentials::SameOrigin,
                Verdict::NotSent,
                None,
                "not reachable",
            ),
            (
                "preflight refused for the origin",
                side(
                    vec![preflight(
                        400,
                        &[],
                        &[],
                        Some(Rejection::Origin { origin: LAB.into() }),
                    )],
                    vec![],
                ),
                Credentials::SameOrigin,
                Verdict::Blocked,
                Some("allow_origins"),
                "not in allow_origins",
            ),
            (
                "preflight refused for the method",
                side(
                    vec![preflight(
                        400,
                        &[],
                        &[],
                        Some(Rejection::Method {
                            method: "PATCH".into(),
                        }),
                    )],
                    vec![],
                ),
                Credentials::SameOrigin,
                Verdict::Blocked,
                Some("allow_methods"),
                "PATCH is not in allow_methods",
            ),
            (
                "preflight refused for a header",
                side(
                    vec![preflight(
                        400,
                        &[],
                        &[],
                        Some(Rejection::Headers {
                            headers: vec!["x-debug".into()],
                        }),
                    )],
                    vec![],
                ),
                Credentials::SameOrigin,
                Verdict::Blocked,
                Some("allow_headers"),
                "x-debug not in allow_headers",
            ),
            (
                "preflight with a non-2xx status",
                side(vec![preflight(401, &[], &[], None)], vec![]),
                Credentials::SameOrigin,
                Verdict::Blocked,
                None,
                "must be answered with 2xx",
            ),
            (
                "preflight 200 without ACAO",
                side(vec![preflight(200, &[], &[], None)], vec![]),
                Credentials::SameOrigin,
                Verdict::Blocked,
                Some("allow_origins"),
                "no Access-Control-Allow-Origin",
            ),
            (
                "preflight 200 whose ACAM lacks the method",
                side(
                    vec![preflight(
                        200,
                        &[("Access-Control-Request-Method", "PATCH")],
                        &[acao, ("Access-Control-Allow-Methods", "GET, PUT")],
                        None,
                    )],
                    vec![],
                ),
                Credentials::SameOrigin,
                Verdict::Blocked,
                Some("allow_methods"),
                "PATCH is not in allow_methods",
            ),
            (
                "preflight 200 whose ACAH lacks a header",
                side(
                    vec![preflight(
                        200,
                        &[
                            ("Access-Control-Request-Method", "GET"),
                            ("Access-Control-Request-Headers", "x-debug,x-request-id"),
                        ],
                        &[acao, ("Access-Control-Allow-Headers", "x-request-id")],
                        None,
                    )],
                    vec![],
                ),
                Credentials::SameOrigin,
                Verdict::Blocked,
                Some("allow_headers"),
                "x-debug not in allow_headers",
            ),
            (
                "simple request whose origin was refused",
                side(
                    vec![],
                    vec![actual(
                        200,
                        &[],
                        Some(Rejection::Origin { origin: LAB.into() }),
                    )],
                ),
                Credentials::SameOrigin,
                Verdict::Blocked,
                Some("allow_origins"),
                "not in allow_origins",
            ),
            (
                "simple request answered without ACAO",
                side(vec![], vec![actual(200, &[], None)]),
                Credentials::SameOrigin,
                Verdict::Blocked,
                Some("allow_origins"),
                "no Access-Control-Allow-Origin",
            ),
            (
                "wildcard with credentials",
                side(
                    vec![],
                    vec![actual(200, &[("Access-Control-Allow-Origin", "*")], None)],
                ),
                Credentials::Include,
                Verdict::Blocked,
                Some("allow_origins"),
                "Wildcard with credentials",
            ),
            (
                "credentials without ACAC",
                side(vec![], vec![actual(200, &[acao], None)]),
                Credentials::Include,
                Verdict::Blocked,
                Some("allow_credentials"),
                "allow_credentials = true",
            ),
            (
                "another origin allowed",
                side(
                    vec![],
                    vec![actual(
                        200,
                        &[("Access-Control-Allow-Origin", "https://app.example.com")],
                        None,
                    )],
                ),
                Credentials::SameOrigin,
                Verdict::Blocked,
                Some("allow_origins"),
                "allowed origin https://app.example.com",
            ),
        ];
        for (why, server, credentials, verdict, key, fragment) in cases {
            let diagnosis = diagnose(&failed(), &server, LAB, credentials);
            assert_eq!(
                diagnosis.verdict, verdict,
                "{why}: wrong verdict in {diagnosis:?}"
            );
            assert_eq!(
                diagnosis.key, key,
                "{why}: wrong config key in {diagnosis:?}"
            );
            assert!(
                diagnosis.headline.contains(fragment),
                "{why}: headline `{}` should contain `{fragment}`",
                diagnosis.headline
            );
        }
    }

    #[test]
    fn a_readable_response_is_allowed_even_when_the_status_is_an_error() {
        let cases = [
            (200, "Allowed: the answer"),
            (401, "refused the request itself (status 401)"),
        ];
        for (status, fragment) in cases {
            let page = PageSaw::Response {
                status,
                headers: vec![],
                body: String::new(),
            };
            let diagnosis = diagnose(&page, &ServerSide::default(), LAB, Credentials::SameOrigin);
            assert_eq!(
                diagnosis.verdict,
                Verdict::Allowed,
                "status {status} was readable"
            );
            assert!(
                diagnosis.headline.contains(fragment),
                "status {status}: {}",
                diagnosis.headline
            );
            assert_eq!(diagnosis.key, None, "nothing to change when allowed");
        }
    }

    #[test]
    fn an_allowed_run_says_whether_the_cookie_came_along() {
        let page = PageSaw::Response {
            status: 200,
            headers: vec![],
            body: String::new(),
        };
        let mut with_cookie = actual(200, &[], None);
        with_cookie.had_cookie = true;
        let cases = [
            (with_cookie, Credentials::Include, "carried a cookie"),
            (actual(401, &[], None), Credentials::Include, "SameSite"),
            (
                actual(401, &[], None),
                Credentials::SameOrigin,
                "without credentials",
            ),
        ];
        for (exchange, credentials, fragment) in cases {
            let diagnosis = diagnose(&page, &side(vec![], vec![exchange]), LAB, credentials);
            assert!(
                diagnosis.details.iter().any(|d| d.contains(fragment)),
                "{credentials:?}: expected a detail containing `{fragment}` in {:?}",
                diagnosis.details
            );
        }
    }

    #[test]
    fn a_blocked_simple_request_still_ran_on_the_server() {
        let server = side(
            vec![],
            vec![actual(
                201,
                &[],
                Some(Rejection::Origin { origin: LAB.into() }),
            )],
        );
        let diagnosis = diagnose(&failed(), &server, LAB, Credentials::SameOrigin);
        assert!(
            diagnosis
                .details
                .iter()
                .any(|d| d.contains("did run the request and answered 201")),
            "the learner must see that the server acted: {diagnosis:?}"
        );
    }
}
