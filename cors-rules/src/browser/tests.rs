//! Each row was observed in Chromium 156: a server on one loopback port answered
//! with these headers, a page on another fetched from it, and DevTools reported
//! this `corsError`, this `failedParameter`, and this console reason.

use super::*;

const PAGE: &str = "http://localhost:8766";

fn request(method: &str, headers: &[&str], credentials: Credentials) -> CorsRequest {
    CorsRequest::new(PAGE, method, headers, credentials)
}

fn head(status: u16, headers: &[(&str, &str)]) -> ResponseHead {
    ResponseHead::with_headers(status, headers)
}

const OMIT: Credentials = Credentials::SameOrigin;
const INCLUDE: Credentials = Credentials::Include;

#[test]
fn each_failure_of_an_actual_response_is_classified_and_worded_as_chromium_does() {
    let cases: Vec<(&str, Credentials, ResponseHead, CorsError, &str, &str)> =
        vec![
        (
            "no ACAO",
            OMIT,
            head(200, &[]),
            CorsError::MissingAllowOriginHeader,
            "",
            "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        ),
        (
            "ACAO names another origin",
            OMIT,
            head(200, &[("Access-Control-Allow-Origin", "https://other.example")]),
            CorsError::AllowOriginMismatch,
            "https://other.example",
            "The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that \
             is not equal to the supplied origin. Have the server send the header with a valid \
             value.",
        ),
        (
            "two ACAO lines",
            OMIT,
            head(
                200,
                &[
                    ("Access-Control-Allow-Origin", PAGE),
                    ("Access-Control-Allow-Origin", "https://other.example"),
                ],
            ),
            CorsError::MultipleAllowOriginValues,
            "http://localhost:8766, https://other.example",
            "The 'Access-Control-Allow-Origin' header contains multiple values \
             'http://localhost:8766, https://other.example', but only one is allowed. Have the \
             server send the header with a valid value.",
        ),
        (
            "a value with spaces counts as several",
            OMIT,
            head(200, &[("Access-Control-Allow-Origin", "not a url%%")]),
            CorsError::MultipleAllowOriginValues,
            "not a url%%",
            "The 'Access-Control-Allow-Origin' header contains multiple values 'not a url%%', \
             but only one is allowed. Have the server send the header with a valid value.",
        ),
        (
            "null is a mismatch",
            OMIT,
            head(200, &[("Access-Control-Allow-Origin", "null")]),
            CorsError::AllowOriginMismatch,
            "null",
            "The 'Access-Control-Allow-Origin' header has a value 'null' that is not equal to \
             the supplied origin. Have the server send the header with a valid value.",
        ),
        (
            "* with credentials",
            INCLUDE,
            head(200, &[("Access-Control-Allow-Origin", "*")]),
            CorsError::WildcardOriginNotAllowed,
            "",
            "The value of the 'Access-Control-Allow-Origin' header in the response must not be \
             the wildcard '*' when the request's credentials mode is 'include'.",
        ),
        (
            "credentials without ACAC",
            INCLUDE,
            head(200, &[("Access-Control-Allow-Origin", PAGE)]),
            CorsError::InvalidAllowCredentials,
            "",
            "The value of the 'Access-Control-Allow-Credentials' header in the response is '' \
             which must be 'true' when the request's credentials mode is 'include'.",
        ),
        (
            "ACAC True is not true",
            INCLUDE,
            head(
                200,
                &[
                    ("Access-Control-Allow-Origin", PAGE),
                    ("Access-Control-Allow-Credentials", "True"),
                ],
            ),
            CorsError::InvalidAllowCredentials,
            "True",
            "The value of the 'Access-Control-Allow-Credentials' header in the response is \
             'True' which must be 'true' when the request's credentials mode is 'include'.",
        ),
    ];
    for (why, credentials, answer, cors_error, parameter, reason) in cases {
        let failure = check_response(&request("GET", &[], credentials), &answer).expect_err(why);
        assert_is(&failure, (cors_error, parameter, reason), why);
    }
}

/// The failure is `expected`: (class, failedParameter, console reason).
fn assert_is(failure: &Failure, expected: (CorsError, &str, &str), why: &str) {
    let (cors_error, parameter, reason) = expected;
    assert_eq!(failure.cors_error, cors_error, "{why}: class");
    assert_eq!(
        failure.failed_parameter, parameter,
        "{why}: failedParameter"
    );
    assert_eq!(failure.reason(), reason, "{why}: console reason");
}

#[test]
fn each_failure_of_a_preflight_is_classified_and_worded_as_chromium_does() {
    let acao = ("Access-Control-Allow-Origin", PAGE);
    let prefix = "Response to preflight request doesn't pass access control check: ";
    let no_acao = format!(
        "{prefix}No 'Access-Control-Allow-Origin' header is present on the requested resource."
    );
    let cases: Vec<(&str, CorsRequest, ResponseHead, CorsError, &str, String)> = vec![
        ("405 without CORS headers", request("PUT", &[], OMIT), head(405, &[]),
         CorsError::PreflightMissingAllowOriginHeader, "", no_acao.clone()),
        ("400 without ACAO: the header is checked before the status", request("PUT", &[], OMIT), head(400, &[]),
         CorsError::PreflightMissingAllowOriginHeader, "", no_acao),
        ("401 with ACAO", request("PUT", &[], OMIT), head(401, &[acao]),
         CorsError::PreflightInvalidStatus, "", format!("{prefix}It does not have HTTP ok status.")),
        ("a redirect", request("PUT", &[], OMIT), head(301, &[acao, ("Location", "/elsewhere")]),
         CorsError::PreflightDisallowedRedirect, "", format!("{prefix}Redirect is not allowed for a preflight request.")),
        ("ACAM lacks the method", request("PATCH", &[], OMIT),
         head(200, &[acao, ("Access-Control-Allow-Methods", "GET, PUT")]),
         CorsError::MethodDisallowedByPreflightResponse, "PATCH",
         "Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.".into()),
        ("ACAH lacks the first of two headers", request("GET", &["x-alpha", "x-debug"], OMIT),
         head(200, &[acao, ("Access-Control-Allow-Methods", "GET"), ("Access-Control-Allow-Headers", "x-alpha")]),
         CorsError::HeaderDisallowedByPreflightResponse, "x-debug",
         "Request header field x-debug is not allowed by Access-Control-Allow-Headers in preflight response.".into()),
        ("an ACAM that is not a list of tokens", request("PUT", &[], OMIT),
         head(200, &[acao, ("Access-Control-Allow-Methods", "GET, PO ST")]),
         CorsError::InvalidAllowMethodsPreflightResponse, "",
         "Cannot parse Access-Control-Allow-Methods response header field in preflight response.".into()),
        ("an ACAH that is not a list of tokens", request("PUT", &["x-debug"], OMIT),
         head(200, &[acao, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "x-a b")]),
         CorsError::InvalidAllowHeadersPreflightResponse, "",
         "Cannot parse Access-Control-Allow-Headers response header field in preflight response.".into()),
        ("* with credentials", request("PUT", &[], INCLUDE), head(200, &[("Access-Control-Allow-Origin", "*")]),
         CorsError::PreflightWildcardOriginNotAllowed, "",
         format!("{prefix}The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.")),
        ("credentials without ACAC", request("PUT", &[], INCLUDE), head(200, &[acao]),
         CorsError::PreflightInvalidAllowCredentials, "",
         format!("{prefix}The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.")),
        ("ACAM * is a literal name with credentials", request("PATCH", &[], INCLUDE),
         head(200, &[acao, ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "*")]),
         CorsError::MethodDisallowedByPreflightResponse, "PATCH",
         "Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.".into()),
    ];
    for (why, request, answer, cors_error, parameter, reason) in cases {
        let failure = check_preflight(&request, &answer).expect_err(why);
        assert_is(&failure, (cors_error, parameter, &reason), why);
    }
}

#[test]
fn preflights_that_chromium_lets_through_pass() {
    let acao = ("Access-Control-Allow-Origin", PAGE);
    let cases: Vec<(&str, CorsRequest, ResponseHead)> = vec![
        (
            "ACAM * without credentials",
            request("PATCH", &[], OMIT),
            head(200, &[acao, ("Access-Control-Allow-Methods", "*")]),
        ),
        (
            "Authorization under ACAH * without credentials (Chromium 156)",
            request("GET", &["authorization"], OMIT),
            head(200, &[acao, ("Access-Control-Allow-Headers", "*")]),
        ),
        (
            "a safelisted method needs no listing",
            request("POST", &["content-type"], OMIT),
            head(
                204,
                &[acao, ("Access-Control-Allow-Headers", "Content-Type")],
            ),
        ),
    ];
    for (why, request, answer) in cases {
        assert_eq!(check_preflight(&request, &answer), Ok(()), "{why}");
    }
}

#[test]
fn the_console_line_names_the_url_and_the_page_origin() {
    let failure = Failure::new(CorsError::MissingAllowOriginHeader);
    assert_eq!(
        failure.console_line("http://localhost:8765/t/simple_no_acao?q=1", PAGE),
        "Access to fetch at 'http://localhost:8765/t/simple_no_acao?q=1' from origin \
         'http://localhost:8766' has been blocked by CORS policy: No \
         'Access-Control-Allow-Origin' header is present on the requested resource."
    );
}

#[test]
fn every_class_serializes_as_devtools_names_it_and_has_an_mdn_page() {
    let all = [
        CorsError::MissingAllowOriginHeader,
        CorsError::PreflightMissingAllowOriginHeader,
        CorsError::MethodDisallowedByPreflightResponse,
        CorsError::HeaderDisallowedByPreflightResponse,
        CorsError::PreflightInvalidStatus,
    ];
    for error in all {
        assert_eq!(
            serde_json::to_string(&error).unwrap(),
            format!("\"{}\"", error.as_str())
        );
        assert!(error.mdn().url().ends_with(error.mdn().as_str()), "{error}");
    }
}

/// Unlike the rows above, these follow the Fetch standard's words ("if either
/// methods or headerNames is failure, return a network error"), which Chromium's
/// `PreflightResult::Create` applies before it looks at the request.
#[test]
fn an_allow_list_that_cannot_be_parsed_fails_the_whole_preflight() {
    let acao = ("Access-Control-Allow-Origin", PAGE);
    let bad_methods = ("Access-Control-Allow-Methods", "GET, PO ST");
    let bad_headers = ("Access-Control-Allow-Headers", "x-debug, x trace");
    // (why, the request, the answer, the class)
    let cases: Vec<(&str, CorsRequest, ResponseHead, CorsError)> = vec![
        (
            "bad methods, a safelisted GET whose only header is listed",
            request("GET", &["x-debug"], OMIT),
            head(
                200,
                &[
                    acao,
                    bad_methods,
                    ("Access-Control-Allow-Headers", "x-debug"),
                ],
            ),
            CorsError::InvalidAllowMethodsPreflightResponse,
        ),
        (
            "bad methods, a POST with a JSON Content-Type",
            request("POST", &["content-type"], OMIT),
            head(
                200,
                &[
                    acao,
                    bad_methods,
                    ("Access-Control-Allow-Headers", "content-type"),
                ],
            ),
            CorsError::InvalidAllowMethodsPreflightResponse,
        ),
        (
            "bad headers, a listed PUT that asks for no header",
            request("PUT", &[], OMIT),
            head(
                200,
                &[acao, ("Access-Control-Allow-Methods", "PUT"), bad_headers],
            ),
            CorsError::InvalidAllowHeadersPreflightResponse,
        ),
        (
            "bad headers, the one header asked for is listed",
            request("GET", &["x-debug"], OMIT),
            head(200, &[acao, bad_headers]),
            CorsError::InvalidAllowHeadersPreflightResponse,
        ),
    ];
    for (why, request, answer, cors_error) in cases {
        let failure = check_preflight(&request, &answer).expect_err(why);
        assert_eq!(failure.cors_error, cors_error, "{why}");
        assert!(
            failure.why().contains("the whole preflight fails"),
            "{why}: the sentence must say the whole preflight fails: {}",
            failure.why()
        );
    }
}
