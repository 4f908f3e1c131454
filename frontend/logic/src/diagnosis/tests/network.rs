//! Network errors: a failed fetch that no CORS check explains.

use super::*;

#[test]
fn a_failed_fetch_that_no_cors_check_explains_is_a_network_error() {
    let acao = ("Access-Control-Allow-Origin", LAB);
    let empty_line = "Failed to load resource: net::ERR_EMPTY_RESPONSE";
    // (why, server side, verdict, console line, cors error)
    let cases = [
        (
            "a request recorded without an answer (status 444)",
            side(vec![], vec![actual(NO_RESPONSE, &[], None)]),
            Verdict::NetworkError,
            Some(empty_line),
            None,
        ),
        (
            "an answer that passes the CORS check, yet fetch() failed",
            side(vec![], vec![actual(200, &[acao], None)]),
            Verdict::NetworkError,
            Some(empty_line),
            None,
        ),
        (
            "a preflight recorded without an answer",
            side(vec![preflight(NO_RESPONSE, &[], &[], None)], vec![]),
            Verdict::NetworkError,
            Some(empty_line),
            None,
        ),
        (
            "an answer without ACAO stays a CORS failure",
            side(vec![], vec![actual(200, &[], None)]),
            Verdict::Blocked,
            None,
            Some("MissingAllowOriginHeader"),
        ),
        (
            "nothing recorded stays 'not reached'",
            side(vec![], vec![]),
            Verdict::NotSent,
            None,
            None,
        ),
    ];
    for (why, server, verdict, line, cors_error) in cases {
        let diagnosis = diagnose(&failed(), &server, LAB, Credentials::SameOrigin, URL);
        assert_eq!(diagnosis.verdict, verdict, "{why}: {diagnosis:?}");
        let class = diagnosis.failure.as_ref().map(|f| f.cors_error.as_str());
        assert_eq!(class, cors_error, "{why}: the CORS class");
        if let Some(line) = line {
            assert_eq!(
                diagnosis.console_line.as_deref(),
                Some(line),
                "{why}: Chromium's network line"
            );
            assert_eq!(diagnosis.net_error, Some(NetError::EmptyResponse), "{why}");
            assert_eq!(
                diagnosis.console_attributes(),
                ConsoleAttributes::default(),
                "{why}: no corsError, no MDN page"
            );
            assert!(
                diagnosis.why().is_some_and(|w| w.contains("no response")),
                "{why}: NetError's why, got {:?}",
                diagnosis.why()
            );
        }
    }
}

#[test]
fn a_card_is_as_bad_as_its_worst_run() {
    use Verdict::*;
    let cases = [
        (vec![], None, "nothing ran"),
        (vec![Allowed, Allowed], Some(Allowed), "all allowed"),
        (vec![Allowed, NotSent], Some(NotSent), "one not reached"),
        (
            vec![NotSent, NetworkError],
            Some(NetworkError),
            "a network error",
        ),
        (
            vec![NetworkError, Blocked, Allowed],
            Some(Blocked),
            "blocked wins",
        ),
    ];
    for (verdicts, card, why) in cases {
        assert_eq!(Verdict::of_card(&verdicts), card, "{why}");
    }
    assert!(
        status_words(NO_RESPONSE).contains("no response"),
        "the recorder's 444"
    );
    assert_eq!(status_words(308), "308", "a real status");
    let labels: Vec<&str> = [Allowed, Blocked, NotSent, NetworkError]
        .into_iter()
        .map(Verdict::label)
        .collect();
    assert_eq!(
        labels,
        ["allowed", "blocked", "not-sent", "network-error"],
        "the data-outcome values the browser suite reads"
    );
}
