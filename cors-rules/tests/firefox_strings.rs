//! Firefox's lines in this crate are Firefox's own: this test reads the installed
//! browser's string table (`security.properties`, inside `omni.ja`) and checks that
//! every template the crate prints is the browser's, and that each failure fills
//! the template Firefox would pick with the values Firefox would put in.
//!
//! It needs `firefox-esr` (Debian's package; `scripts/test.sh` installs it). Point
//! `CORS_LAB_FIREFOX_OMNI_JA` at another `omni.ja` to read another Firefox.

use std::collections::HashMap;
use std::io::Read;

use cors_rules::browser::firefox::Message;
use cors_rules::browser::{check_preflight, check_response, Blocked, Engine};
use cors_rules::{CorsRequest, Credentials, ResponseHead};

const OMNI_JA: &str = "/usr/lib/firefox-esr/omni.ja";
const PROPERTIES: &str = "chrome/en-US/locale/en-US/global/security/security.properties";

/// `security.properties` of the installed Firefox, key → template.
fn firefox_strings() -> HashMap<String, String> {
    let path = std::env::var("CORS_LAB_FIREFOX_OMNI_JA").unwrap_or_else(|_| OMNI_JA.into());
    let file = std::fs::File::open(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read Firefox's strings at {path} ({e}): install Firefox ESR first, as \
             scripts/test.sh does (`apt-get install -y firefox-esr` as root)"
        )
    });
    let mut archive = zip::ZipArchive::new(file)
        .unwrap_or_else(|e| panic!("{path} is not a readable omni.ja: {e}"));
    let mut entry = archive
        .by_name(PROPERTIES)
        .unwrap_or_else(|e| panic!("{path} has no {PROPERTIES}: {e}"));
    let mut text = String::new();
    entry
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{PROPERTIES} in {path} is not UTF-8 text: {e}"));
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim().to_string(), value.trim().to_string()))
        .collect()
}

#[test]
fn every_firefox_template_the_crate_prints_is_the_installed_firefoxs_own() {
    let strings = firefox_strings();
    for message in Message::ALL {
        let theirs = strings.get(message.key()).unwrap_or_else(|| {
            panic!(
                "the installed Firefox has no {} in security.properties: it renamed the \
                 message (Firefox bumps the number when a wording changes)",
                message.key()
            )
        });
        assert_eq!(message.template(), theirs, "{}", message.key());
    }
}

const URL: &str = "http://localhost:8000/api/items/1";
const PAGE: &str = "http://localhost:5173";

fn request(method: &str, headers: &[&str], credentials: Credentials) -> CorsRequest {
    CorsRequest::new(PAGE, method, headers, credentials)
}

fn head(status: u16, headers: &[(&str, &str)]) -> ResponseHead {
    ResponseHead::with_headers(status, headers)
}

/// Firefox's own template for `key`, filled as Firefox fills it.
fn filled(strings: &HashMap<String, String>, key: &str, second: &str) -> String {
    strings[key].replace("%1$S", URL).replace("%2$S", second)
}

#[test]
fn each_failure_prints_the_line_firefox_fills_from_its_own_template() {
    let strings = firefox_strings();
    let omit = Credentials::SameOrigin;
    let include = Credentials::Include;
    let acao = ("Access-Control-Allow-Origin", PAGE);
    // (what, preflight?, request, answer, Firefox's key, its second value)
    let cases = [
        (
            "no ACAO",
            false,
            request("GET", &[], omit),
            head(200, &[]),
            "CORSMissingAllowOrigin2",
            "200",
        ),
        (
            "a preflight refused with 400 and no ACAO",
            true,
            request("PATCH", &[], omit),
            head(400, &[]),
            "CORSMissingAllowOrigin2",
            "400",
        ),
        (
            "ACAO names another origin",
            false,
            request("GET", &[], omit),
            head(
                200,
                &[("Access-Control-Allow-Origin", "https://app.example.com")],
            ),
            "CORSAllowOriginNotMatchingOrigin",
            "https://app.example.com",
        ),
        (
            "two ACAO lines: joined, then a mismatch",
            false,
            request("GET", &[], omit),
            head(200, &[acao, acao]),
            "CORSAllowOriginNotMatchingOrigin",
            "http://localhost:5173, http://localhost:5173",
        ),
        (
            "one ACAO line listing two origins",
            false,
            request("GET", &[], omit),
            head(
                200,
                &[(
                    "Access-Control-Allow-Origin",
                    "http://localhost:5173, http://localhost:5173",
                )],
            ),
            "CORSAllowOriginNotMatchingOrigin",
            "http://localhost:5173, http://localhost:5173",
        ),
        (
            "* with credentials",
            false,
            request("GET", &[], include),
            head(200, &[("Access-Control-Allow-Origin", "*")]),
            "CORSNotSupportingCredentials",
            "",
        ),
        (
            "credentials without ACAC",
            false,
            request("GET", &[], include),
            head(200, &[acao]),
            "CORSMissingAllowCredentials",
            "",
        ),
        (
            "a preflight answered 401 with ACAO",
            true,
            request("PUT", &[], omit),
            head(401, &[acao]),
            "CORSPreflightDidNotSucceed3",
            "401",
        ),
        (
            "a redirected preflight with ACAO",
            true,
            request("PUT", &[], omit),
            head(307, &[acao, ("Location", "/api/items/1/")]),
            "CORSExternalRedirectNotAllowed",
            "",
        ),
        (
            "a redirected preflight without ACAO",
            true,
            request("PUT", &[], omit),
            head(308, &[("Location", "/api/items/1/")]),
            "CORSMissingAllowOrigin2",
            "308",
        ),
        (
            "an ACAM that is not a list of tokens",
            true,
            request("PUT", &[], omit),
            head(200, &[acao, ("Access-Control-Allow-Methods", "GET, PO ST")]),
            "CORSInvalidAllowMethod",
            "PO ST",
        ),
        (
            "an ACAH that is not a list of tokens",
            true,
            request("PUT", &["x-debug"], omit),
            head(
                200,
                &[
                    acao,
                    ("Access-Control-Allow-Methods", "PUT"),
                    ("Access-Control-Allow-Headers", "X-Debug, X Trace"),
                ],
            ),
            "CORSInvalidAllowHeader",
            "X Trace",
        ),
        (
            "a bad ACAH and a method not listed: Firefox checks the method first",
            true,
            request("PUT", &["x-debug"], omit),
            head(
                200,
                &[
                    acao,
                    ("Access-Control-Allow-Methods", "GET"),
                    ("Access-Control-Allow-Headers", "X Trace"),
                ],
            ),
            "CORSMethodNotFound",
            "",
        ),
        (
            "ACAM lacks the method",
            true,
            request("PATCH", &[], omit),
            head(200, &[acao, ("Access-Control-Allow-Methods", "GET, PUT")]),
            "CORSMethodNotFound",
            "",
        ),
        (
            "ACAH lacks the header",
            true,
            request("GET", &["x-debug"], omit),
            head(
                200,
                &[acao, ("Access-Control-Allow-Headers", "content-type")],
            ),
            "CORSMissingAllowHeaderFromPreflight2",
            "x-debug",
        ),
    ];
    for (what, preflight, request, answer, key, second) in cases {
        let failure = match preflight {
            true => check_preflight(&request, &answer),
            false => check_response(&request, &answer),
        }
        .expect_err(what);
        let blocked = Blocked {
            url: URL,
            request: &request,
            answer: &answer,
        };
        let mut expected = vec![filled(&strings, key, second)];
        let redirected = answer.is_redirect();
        for _ in 0..(usize::from(preflight) + usize::from(redirected)) {
            expected.push(filled(&strings, "CORSDidNotSucceed2", "(null)"));
        }
        assert_eq!(
            Engine::Firefox.console_lines(&failure, &blocked),
            expected,
            "{what}"
        );
    }
}

#[test]
fn a_network_error_is_a_cors_request_that_did_not_succeed_in_firefox() {
    let strings = firefox_strings();
    let lines = Engine::Firefox.network_lines(cors_rules::browser::NetError::EmptyResponse, URL);
    assert_eq!(lines, [filled(&strings, "CORSDidNotSucceed2", "(null)")]);
}
