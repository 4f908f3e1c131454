use super::*;
use crate::diagnosis::{diagnose, PageSaw, NO_RESPONSE};
use crate::runs::tests::{exchange, headers};
use crate::runs::ServerSide;
use cors_rules::Credentials;
use lab_types::Exchange;

const LAB: &str = "http://localhost:5173";
const URL: &str = "http://localhost:8000/api/items/1?lab_run=t-1";

fn failed() -> PageSaw {
    PageSaw::Failed {
        message: "TypeError: Failed to fetch".into(),
    }
}

fn recorded(
    preflight: bool,
    status: u16,
    request: &[(&str, &str)],
    answer: &[(&str, &str)],
) -> Exchange {
    let method = if preflight { "OPTIONS" } else { "GET" };
    let mut e = exchange(1, method, "/api/items/1?lab_run=t-1", preflight);
    e.status = status;
    e.request_headers = headers(request);
    e.response_headers = headers(answer);
    e
}

fn diagnosis_of(preflights: Vec<Exchange>, actual: Vec<Exchange>) -> Diagnosis {
    let server = ServerSide { preflights, actual };
    diagnose(&failed(), &server, LAB, Credentials::SameOrigin, URL)
}

#[test]
fn a_refused_preflight_reads_in_each_engines_own_words() {
    // The lab's PATCH under ENV=production: the policy refuses the preflight with a
    // 400 and no CORS headers.
    let diagnosis = diagnosis_of(
        vec![recorded(
            true,
            400,
            &[("Access-Control-Request-Method", "PATCH")],
            &[],
        )],
        vec![],
    );
    let cases = [
        (
            Engine::Chromium,
            vec![
                "Access to fetch at 'http://localhost:8000/api/items/1?lab_run=t-1' from origin \
                 'http://localhost:5173' has been blocked by CORS policy: Response to preflight \
                 request doesn't pass access control check: No 'Access-Control-Allow-Origin' \
                 header is present on the requested resource.",
            ],
            "TypeError: Failed to fetch",
        ),
        (
            Engine::Firefox,
            vec![
                "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the \
                 remote resource at http://localhost:8000/api/items/1?lab_run=t-1. (Reason: CORS \
                 header ‘Access-Control-Allow-Origin’ missing). Status code: 400.",
                "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the \
                 remote resource at http://localhost:8000/api/items/1?lab_run=t-1. (Reason: CORS \
                 request did not succeed). Status code: (null).",
            ],
            "TypeError: NetworkError when attempting to fetch resource.",
        ),
        (
            Engine::WebKit,
            vec![
                "Preflight response is not successful. Status code: 400",
                "Fetch API cannot load http://localhost:8000/api/items/1?lab_run=t-1 due to \
                 access control checks.",
            ],
            "TypeError: Load failed",
        ),
    ];
    for (engine, lines, page_error) in cases {
        let words = engine_words(&diagnosis, engine).expect("a blocked run has words");
        assert_eq!(words.console_lines, lines, "{engine}'s console");
        assert_eq!(words.page_error, page_error, "{engine}'s page error");
    }
}

#[test]
fn chromiums_words_are_the_line_the_diagnosis_already_prints() {
    let diagnosis = diagnosis_of(vec![], vec![recorded(false, 200, &[], &[])]);
    let words = engine_words(&diagnosis, Engine::Chromium).expect("a blocked run has words");
    assert_eq!(
        Some(&words.console_lines[0]),
        diagnosis.console_line.as_ref()
    );
}

#[test]
fn a_dropped_connection_rejects_the_fetch_in_every_engine_and_webkit_prints_nothing() {
    let diagnosis = diagnosis_of(vec![], vec![recorded(false, NO_RESPONSE, &[], &[])]);
    let cases: [(Engine, &[&str]); 3] = [
        (
            Engine::Chromium,
            &["Failed to load resource: net::ERR_EMPTY_RESPONSE"],
        ),
        (
            Engine::Firefox,
            &[
                "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the \
               remote resource at http://localhost:8000/api/items/1?lab_run=t-1. (Reason: CORS \
               request did not succeed). Status code: (null).",
            ],
        ),
        (Engine::WebKit, &[]),
    ];
    for (engine, lines) in cases {
        let words = engine_words(&diagnosis, engine).expect("a network error has words");
        assert_eq!(words.console_lines, lines, "{engine}'s console");
        assert_eq!(
            words.page_error,
            engine.fetch_error_text(),
            "{engine}'s page error"
        );
    }
}

#[test]
fn a_readable_answer_or_an_empty_record_has_no_engine_words() {
    let readable = diagnose(
        &PageSaw::Response {
            status: 200,
            headers: vec![],
            body: String::new(),
        },
        &ServerSide::default(),
        LAB,
        Credentials::SameOrigin,
        URL,
    );
    let nothing = diagnosis_of(vec![], vec![]);
    for (what, diagnosis) in [
        ("a readable answer", readable),
        ("nothing recorded", nothing),
    ] {
        for engine in Engine::ALL {
            assert_eq!(engine_words(&diagnosis, engine), None, "{what} in {engine}");
        }
    }
}
