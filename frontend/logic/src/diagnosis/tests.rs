use super::*;
use crate::runs::tests::{exchange, headers};
use cors_rules::ConfigKey;

mod network;

const LAB: &str = "http://localhost:5173";
const URL: &str = "http://localhost:8000/api/x?lab_run=t-1";

/// The DevTools class each case of the table below must come to.
fn cors_error_of(why: &str) -> Option<&'static str> {
    Some(match why {
        "nothing recorded" => return None,
        "preflight refused for the origin" | "preflight 200 without ACAO" => {
            "PreflightMissingAllowOriginHeader"
        }
        "preflight refused for the method" | "preflight 200 whose ACAM lacks the method" => {
            "MethodDisallowedByPreflightResponse"
        }
        "preflight refused for a header" | "preflight 200 whose ACAH lacks a header" => {
            "HeaderDisallowedByPreflightResponse"
        }
        "preflight with a non-2xx status" => "PreflightInvalidStatus",
        "simple request whose origin was refused" | "simple request answered without ACAO" => {
            "MissingAllowOriginHeader"
        }
        "wildcard with credentials" => "WildcardOriginNotAllowed",
        "credentials without ACAC" => "InvalidAllowCredentials",
        "another origin allowed" => "AllowOriginMismatch",
        other => panic!("no class for {other}"),
    })
}

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
    e.request_headers = headers(request);
    e.response_headers = headers(response);
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
                    200,
                    &[("Access-Control-Request-Method", "PATCH")],
                    &[
                        acao,
                        ("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE"),
                    ],
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
                    200,
                    &[
                        ("Access-Control-Request-Method", "GET"),
                        ("Access-Control-Request-Headers", "x-debug"),
                    ],
                    &[
                        acao,
                        ("Access-Control-Allow-Headers", "accept, x-request-id"),
                    ],
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
            side(vec![preflight(401, &[], &[acao], None)], vec![]),
            Credentials::SameOrigin,
            Verdict::Blocked,
            None,
            "must be answered with a 2xx status",
        ),
        (
            "preflight 200 without ACAO",
            side(vec![preflight(200, &[], &[], None)], vec![]),
            Credentials::SameOrigin,
            Verdict::Blocked,
            Some("allow_origins"),
            "Without Access-Control-Allow-Origin",
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
            "does not list PATCH",
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
            "does not list the header x-debug",
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
            "Without Access-Control-Allow-Origin",
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
            "requires the exact origin",
        ),
        (
            "credentials without ACAC",
            side(vec![], vec![actual(200, &[acao], None)]),
            Credentials::Include,
            Verdict::Blocked,
            Some("allow_credentials"),
            "Access-Control-Allow-Credentials: true",
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
            "allowed 'https://app.example.com'",
        ),
    ];
    for (why, server, credentials, verdict, key, fragment) in cases {
        let diagnosis = diagnose(&failed(), &server, LAB, credentials, URL);
        assert_eq!(
            diagnosis.verdict, verdict,
            "{why}: wrong verdict in {diagnosis:?}"
        );
        assert_eq!(
            diagnosis.key.map(ConfigKey::as_str),
            key,
            "{why}: wrong config key in {diagnosis:?}"
        );
        let class = diagnosis.failure.as_ref().map(|f| f.cors_error.as_str());
        assert_eq!(
            class,
            cors_error_of(why),
            "{why}: the class DevTools reports"
        );
        assert_eq!(
            diagnosis.console_line.is_some(),
            class.is_some(),
            "{why}: a console line exactly when a check failed"
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
        let diagnosis = diagnose(
            &page,
            &ServerSide::default(),
            LAB,
            Credentials::SameOrigin,
            URL,
        );
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
        let diagnosis = diagnose(&page, &side(vec![], vec![exchange]), LAB, credentials, URL);
        assert!(
            diagnosis.details.iter().any(|d| d.contains(fragment)),
            "{credentials:?}: expected a detail containing `{fragment}` in {:?}",
            diagnosis.details
        );
    }
}

#[test]
fn a_bearer_token_without_credentials_is_called_a_header_not_a_credential() {
    let page = PageSaw::Response {
        status: 200,
        headers: vec![],
        body: String::new(),
    };
    let mut with_token = actual(200, &[("Access-Control-Allow-Origin", "*")], None);
    with_token.had_authorization = true;
    // (exchange, credentials, whether the detail must appear)
    let cases = [
        (with_token.clone(), Credentials::SameOrigin, true),
        (with_token, Credentials::Include, false),
        (actual(200, &[], None), Credentials::SameOrigin, false),
    ];
    for (exchange, credentials, said) in cases {
        let diagnosis = diagnose(&page, &side(vec![], vec![exchange]), LAB, credentials, URL);
        assert_eq!(
            diagnosis
                .details
                .iter()
                .any(|d| d.contains("not a credential")),
            said,
            "{credentials:?}: {:?}",
            diagnosis.details
        );
    }
}

#[test]
fn a_refusal_by_a_fixed_policy_names_no_config_key() {
    // /public answers a credentialed preflight with `*`: the browser refuses it.
    let server = side(
        vec![preflight(
            200,
            &[
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "authorization"),
            ],
            &[
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Methods", "GET"),
                ("Access-Control-Allow-Headers", "authorization"),
            ],
            None,
        )],
        vec![],
    );
    let diagnosis = diagnose(&failed(), &server, LAB, Credentials::Include, URL);
    assert_eq!(diagnosis.verdict, Verdict::Blocked, "{diagnosis:?}");
    assert!(
        diagnosis.key.is_some(),
        "under the API's policy a key lifts it"
    );
    let fixed = diagnosis.clone().under(Governor::Public);
    assert_eq!(fixed.key, None, "no config key governs /public");
    assert!(
        fixed.details.iter().any(|d| d.contains("no config key")),
        "{:?}",
        fixed.details
    );
    assert_eq!(
        diagnosis.clone().under(Governor::Api),
        diagnosis,
        "the API's policy keeps its key"
    );
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
    let diagnosis = diagnose(&failed(), &server, LAB, Credentials::SameOrigin, URL);
    assert!(
        diagnosis
            .details
            .iter()
            .any(|d| d.contains("did run the request and answered 201")),
        "the learner must see that the server acted: {diagnosis:?}"
    );
}
