//! The exhibit card's decisions, case by case.

use super::*;
use crate::diagnose;
use crate::diagnosis::NO_RESPONSE;
use crate::runs::tests::{exchange, headers};
use crate::runs::ServerSide;
use crate::PageSaw;
use cors_rules::browser::NetError;
use cors_rules::CorsError;
use lab_types::exhibits::exhibit;
use lab_types::Exchange;

const LAB: &str = "http://localhost:5173";
const URL: &str = "http://localhost:8000/exhibits/x?lab_run=t-1";

fn recorded(preflight: bool, status: u16, response: &[(&str, &str)]) -> Exchange {
    let method = if preflight { "OPTIONS" } else { "GET" };
    Exchange {
        status,
        response_headers: headers(response),
        ..exchange(1, method, "/exhibits/x?lab_run=t-1", preflight)
    }
}

fn failed() -> PageSaw {
    PageSaw::Failed {
        message: "TypeError: Failed to fetch".into(),
    }
}

fn readable() -> PageSaw {
    PageSaw::Response {
        status: 200,
        headers: vec![],
        body: "{}".into(),
    }
}

#[test]
fn only_the_sandboxed_frame_sends_origin_null() {
    let cases = [
        (SentFrom::Lab, LAB, "the lab's own origin"),
        (SentFrom::SandboxedFrame, "null", "an opaque origin"),
    ];
    for (sent_from, origin, why) in cases {
        assert_eq!(origin_for(sent_from, LAB), origin, "{why}");
    }
    let framed: Vec<ExhibitId> = lab_types::exhibits::all()
        .iter()
        .filter(|e| e.sent_from == SentFrom::SandboxedFrame)
        .map(|e| e.id)
        .collect();
    assert_eq!(
        framed,
        [ExhibitId::TrustsNullOrigin],
        "the frame is for the null origin only"
    );
}

#[test]
fn the_card_states_and_outcomes_are_the_hooks_the_suite_reads() {
    let cases = [
        (false, false, "idle", "before any run"),
        (true, false, "running", "the first run"),
        (true, true, "running", "a second run"),
        (false, true, "done", "after a run"),
    ];
    for (running, has_result, state, why) in cases {
        assert_eq!(card_state(running, has_result), state, "{why}");
    }
    assert_eq!(outcome_label(None), "none", "no result, no outcome");
    let network = diagnose(
        &failed(),
        &ServerSide {
            preflights: vec![],
            actual: vec![recorded(false, NO_RESPONSE, &[])],
        },
        LAB,
        Credentials::SameOrigin,
        URL,
    );
    assert_eq!(outcome_label(Some(&network)), "network-error");
}

#[test]
fn the_section_runs_only_when_the_backend_serves_the_exhibits() {
    let api = "http://localhost:8000";
    let enabled = Ok(ExhibitsStatus { enabled: true });
    let disabled = Ok(ExhibitsStatus { enabled: false });
    let down = Err("TypeError: Failed to fetch".to_string());
    // (status, can run, a fragment of the explanation)
    let cases = [
        (
            None,
            false,
            Some("Asking http://localhost:8000/lab/exhibits"),
        ),
        (Some(&enabled), true, None),
        (Some(&disabled), false, Some("APP__EXHIBITS__ENABLED=true")),
        (Some(&disabled), false, Some("[exhibits] enabled = false")),
        (Some(&down), false, Some("cannot be reached")),
    ];
    for (status, can_run, fragment) in cases {
        let availability = Availability::of(status);
        assert_eq!(availability.can_run(), can_run, "{status:?}");
        let explanation = availability.explanation(api);
        match fragment {
            Some(fragment) => assert!(
                explanation.as_deref().is_some_and(|e| e.contains(fragment)),
                "{status:?}: `{explanation:?}` should contain `{fragment}`"
            ),
            None => assert_eq!(explanation, None, "{status:?}: nothing to explain"),
        }
    }
}

#[test]
fn the_result_is_compared_with_the_catalogues_claim_not_copied_from_it() {
    let lab_acao = ("Access-Control-Allow-Origin", LAB);
    let server = |exchange| ServerSide {
        preflights: vec![],
        actual: vec![exchange],
    };
    // (exhibit, what the page saw, what was recorded, as claimed?, why)
    let cases = [
        (
            ExhibitId::NoCorsLayer,
            failed(),
            server(recorded(false, 200, &[])),
            true,
            "no ACAO: MissingAllowOriginHeader, as claimed",
        ),
        (
            ExhibitId::NoCorsLayer,
            readable(),
            server(recorded(false, 200, &[lab_acao])),
            false,
            "a fixed server: readable, not as claimed",
        ),
        (
            ExhibitId::DropsConnection,
            failed(),
            server(recorded(false, NO_RESPONSE, &[])),
            true,
            "no answer: a network error, as claimed",
        ),
        (
            ExhibitId::DropsConnection,
            failed(),
            server(recorded(false, 200, &[])),
            false,
            "an answer without ACAO is CORS, whatever the catalogue says",
        ),
        (
            ExhibitId::ReflectAnyOrigin,
            readable(),
            server(recorded(false, 200, &[lab_acao])),
            true,
            "readable, as claimed",
        ),
    ];
    for (id, page, side, as_claimed, why) in cases {
        let exhibit = exhibit(id);
        let diagnosis = diagnose(&page, &side, LAB, exhibit.request.credentials, URL);
        let (same, sentence) = comparison(exhibit.shows, &diagnosis);
        assert_eq!(same, as_claimed, "{why}: {sentence}");
        assert!(
            sentence.contains(&claim(exhibit.shows)),
            "{why}: the sentence names the claim: {sentence}"
        );
    }
}

#[test]
fn why_comes_from_the_failed_check_or_explains_a_readable_hole() {
    let exhibit_12 = exhibit(ExhibitId::ReflectAnyOrigin);
    let cases = [
        (
            failed(),
            recorded(false, 200, &[]),
            "Without Access-Control-Allow-Origin",
            "the failed check's why",
        ),
        (
            failed(),
            recorded(false, NO_RESPONSE, &[]),
            "closed the connection without answering",
            "NetError::EmptyResponse's why",
        ),
        (
            readable(),
            recorded(false, 200, &[("Access-Control-Allow-Origin", LAB)]),
            "allowed the origin http://localhost:5173 with credentials",
            "a readable hole",
        ),
    ];
    for (page, exchange, fragment, what) in cases {
        let side = ServerSide {
            preflights: vec![],
            actual: vec![exchange],
        };
        let diagnosis = diagnose(&page, &side, LAB, Credentials::Include, URL);
        let sentence = why(&exhibit_12, &diagnosis, LAB);
        assert!(sentence.contains(fragment), "{what}: {sentence}");
    }
}

#[test]
fn the_claims_read_as_the_results_do() {
    let cases = [
        (
            Shows::Blocked(CorsError::PreflightInvalidStatus),
            "blocked (PreflightInvalidStatus)",
        ),
        (Shows::Readable, "readable"),
        (
            Shows::NetworkError(NetError::EmptyResponse),
            "a network error (net::ERR_EMPTY_RESPONSE)",
        ),
    ];
    for (shows, words) in cases {
        assert_eq!(claim(shows), words, "{shows:?}");
    }
}

#[test]
fn only_the_reflecting_exhibit_links_to_the_attacker() {
    let attacker = "http://localhost:5174";
    let cases = [
        (
            ExhibitId::ReflectAnyOrigin,
            Some(attacker),
            Some(attacker),
            "linked",
        ),
        (ExhibitId::ReflectAnyOrigin, None, None, "not configured"),
        (
            ExhibitId::ReflectAnyOrigin,
            Some(" "),
            None,
            "blank is not a URL",
        ),
    ];
    for (id, configured, link, why) in cases {
        let note = attacker_note(id, configured).expect("exhibit 12 has a note");
        assert_eq!(note.link.as_deref(), link, "{why}");
        assert!(note.text.contains("scenario 5"), "{why}: {}", note.text);
    }
    for id in ExhibitId::ALL {
        if id != ExhibitId::ReflectAnyOrigin {
            assert_eq!(attacker_note(id, Some(attacker)), None, "{id}");
        }
    }
}
