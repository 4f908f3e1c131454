use super::*;
use crate::browser::CorsError;
use crate::fetch::{predict, Request};
use crate::policy::tests::{development, production, LAB};
use crate::policy::{AllowHeaders, AllowOrigins};

fn run(policy: &Policy, request: Request) -> Expectation {
    let prediction = predict(&request, true);
    expect(
        policy,
        LAB,
        &prediction,
        request.credentials,
        RegexVerdict::DoesNotMatch,
    )
}

fn class(expectation: &Expectation) -> Option<CorsError> {
    match expectation {
        Expectation::Blocked { failure, .. } => Some(failure.cors_error),
        _ => None,
    }
}

#[test]
fn the_shipped_policies_give_the_lab_what_chromium_reports() {
    use CorsError::*;
    let whoami = Request::new("GET", "/api/whoami").credentials(Credentials::Include);
    // (why, policy, request, expected class, key)
    type Case = (
        &'static str,
        Policy,
        Request,
        Option<CorsError>,
        Option<ConfigKey>,
    );
    let cases: Vec<Case> = vec![
        (
            "simple GET",
            development(),
            Request::new("GET", "/api/items"),
            None,
            None,
        ),
        (
            "JSON POST",
            development(),
            Request::new("POST", "/api/items").json("{}"),
            None,
            None,
        ),
        ("credentials", development(), whoami.clone(), None, None),
        (
            "PATCH is named by the browser",
            development(),
            Request::new("PATCH", "/api/items/1"),
            Some(MethodDisallowedByPreflightResponse),
            Some(ConfigKey::AllowMethods),
        ),
        (
            "X-Debug is named by the browser",
            development(),
            Request::new("GET", "/api/items").header("X-Debug", "1"),
            Some(HeaderDisallowedByPreflightResponse),
            Some(ConfigKey::AllowHeaders),
        ),
        (
            "production: a simple GET is unreadable",
            production(),
            Request::new("GET", "/api/items"),
            Some(MissingAllowOriginHeader),
            Some(ConfigKey::AllowOrigins),
        ),
        (
            "production: a preflight is refused without ACAO",
            production(),
            Request::new("PATCH", "/api/items/1"),
            Some(PreflightMissingAllowOriginHeader),
            Some(ConfigKey::AllowOrigins),
        ),
    ];
    for (why, policy, request, cors_error, key) in cases {
        let expectation = run(&policy, request);
        assert_eq!(class(&expectation), cors_error, "{why}: {expectation:?}");
        if let Expectation::Blocked { key: got, .. } = &expectation {
            assert_eq!(*got, key, "{why}: key to change");
        }
    }
}

#[test]
fn any_origin_without_credentials_is_readable_and_with_credentials_is_not() {
    let mut policy = development();
    policy.allow_origins = AllowOrigins::Any;
    policy.allow_credentials = false;
    let get = Request::new("GET", "/api/items");
    assert_eq!(
        run(&policy, get.clone()),
        Expectation::Readable,
        "a plain GET from any origin"
    );
    assert_eq!(
        run(&policy, Request::new("PUT", "/api/items/1")),
        Expectation::Readable,
        "a preflighted PUT from any origin"
    );
    let credentialed = run(&policy, get.credentials(Credentials::Include));
    assert_eq!(
        class(&credentialed),
        Some(CorsError::WildcardOriginNotAllowed),
        "{credentialed:?}"
    );
}

#[test]
fn any_header_with_credentials_is_readable_because_the_names_are_echoed() {
    let mut policy = development();
    policy.allow_headers = AllowHeaders::Any {
        authorization: false,
    };
    let custom = Request::new("GET", "/api/trace")
        .header("X-Debug", "1")
        .credentials(Credentials::Include);
    assert_eq!(run(&policy, custom), Expectation::Readable);
    let authorization = Request::new("GET", "/api/protected").header("Authorization", "Bearer x");
    let expectation = run(&policy, authorization);
    assert_eq!(
        class(&expectation),
        Some(CorsError::HeaderDisallowedByPreflightResponse),
        "Authorization is not echoed, so Chromium names it: {expectation:?}"
    );
}

#[test]
fn credentials_need_allow_credentials() {
    let mut policy = development();
    policy.allow_credentials = false;
    let expectation = run(
        &policy,
        Request::new("GET", "/api/whoami").credentials(Credentials::Include),
    );
    assert_eq!(
        class(&expectation),
        Some(CorsError::InvalidAllowCredentials)
    );
    if let Expectation::Blocked { key, .. } = expectation {
        assert_eq!(key, Some(ConfigKey::AllowCredentials));
    }
}

#[test]
fn an_origin_left_to_the_regex_is_unknown_to_a_caller_without_a_regex_engine() {
    let mut policy = development();
    policy.allow_origins = AllowOrigins::List(vec![]);
    policy.allow_origin_regex = Some(r"http://localhost:\d+".into());
    let prediction = predict(&Request::new("GET", "/"), true);
    let got = expect(
        &policy,
        LAB,
        &prediction,
        Credentials::SameOrigin,
        RegexVerdict::Unknown,
    );
    assert_eq!(got.label(), "unknown", "{got:?}");
}
