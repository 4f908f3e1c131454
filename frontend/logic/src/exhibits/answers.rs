//! Each exhibit's mistake, written as the answer the recorder would keep, run
//! through the diagnosis: the class it computes must be the one the catalogue
//! claims. (The browser suite checks the real answers in Chromium, Firefox and
//! WebKit; this checks that the rules read each kind of mistake as the catalogue
//! expects.)

use cors_rules::browser::NetError;
use lab_types::exhibits::{all, Exhibit, ExhibitId, SentFrom, Shows};
use lab_types::Exchange;

use super::{comparison, origin_for};
use crate::diagnosis::NO_RESPONSE;
use crate::runs::tests::{exchange as recorded_exchange, headers};
use crate::runs::{tag_path, ServerSide};
use crate::{diagnose, predict, PageSaw};

const LAB: &str = "http://localhost:5173";
const API: &str = "http://localhost:8000";

type Headers = Vec<(&'static str, &'static str)>;
type Answers = (u16, Headers, u16, Headers);

/// The response headers the mistake sends, for the preflight (when there is one)
/// and for the actual request: (preflight status, preflight headers, actual status,
/// actual headers).
fn answers(id: ExhibitId) -> Answers {
    use ExhibitId::*;
    let acao = ("Access-Control-Allow-Origin", LAB);
    let acac = ("Access-Control-Allow-Credentials", "true");
    match id {
        NoCorsLayer => (0, vec![], 200, vec![]),
        HardCodedOrigin => (
            0,
            vec![],
            200,
            vec![("Access-Control-Allow-Origin", "https://app.example.com")],
        ),
        TwoAllowOrigins => (0, vec![], 200, vec![acao, acao]),
        WildcardWithCredentials => (
            0,
            vec![],
            200,
            vec![("Access-Control-Allow-Origin", "*"), acac],
        ),
        MissingAllowCredentials => (0, vec![], 200, vec![acao]),
        RouterAnswers405 => (405, vec![], 0, vec![]),
        AuthBeforeCors => (
            401,
            vec![acao, ("Access-Control-Allow-Headers", "authorization")],
            0,
            vec![],
        ),
        MethodNotListed => (
            200,
            vec![
                acao,
                ("Access-Control-Allow-Methods", "GET, POST"),
                ("Access-Control-Allow-Headers", "content-type"),
            ],
            0,
            vec![],
        ),
        HeaderNotListed => (
            200,
            vec![acao, ("Access-Control-Allow-Headers", "Content-Type")],
            0,
            vec![],
        ),
        SlashRedirect => (
            308,
            vec![("Location", "/exhibits/slash-redirect/")],
            0,
            vec![],
        ),
        ErrorSkipsCors => (0, vec![], 500, vec![]),
        ReflectAnyOrigin => (0, vec![], 200, vec![acao, acac]),
        TrustsNullOrigin => (
            0,
            vec![],
            200,
            vec![("Access-Control-Allow-Origin", "null")],
        ),
        InvalidAllowMethods => (
            200,
            vec![
                acao,
                ("Access-Control-Allow-Methods", "GET, PO ST"),
                ("Access-Control-Allow-Headers", "content-type"),
            ],
            0,
            vec![],
        ),
        InvalidAllowHeaders => (
            200,
            vec![acao, ("Access-Control-Allow-Headers", "X-Debug, X Trace")],
            0,
            vec![],
        ),
        DropsConnection => (0, vec![], NO_RESPONSE, vec![]),
    }
}

fn exchange(
    exhibit: &Exhibit,
    preflight: bool,
    status: u16,
    response: &[(&str, &str)],
) -> Exchange {
    let prediction = predict(&exhibit.request, true);
    let mut request_headers = Vec::new();
    if preflight {
        request_headers.push((
            "Access-Control-Request-Method".to_string(),
            prediction.method.clone(),
        ));
        if !prediction.request_headers.is_empty() {
            request_headers.push((
                "Access-Control-Request-Headers".to_string(),
                prediction.request_headers_value(),
            ));
        }
    }
    let method = if preflight {
        "OPTIONS"
    } else {
        &exhibit.request.method
    };
    let path = tag_path(&exhibit.request.url, "t-1");
    Exchange {
        origin: origin_for(exhibit.sent_from, LAB),
        request_headers,
        status,
        response_headers: headers(response),
        ..recorded_exchange(u64::from(!preflight), method, &path, preflight)
    }
}

/// What the recorder keeps of the mistake: the preflight and its answer when the
/// request needs one, else the request and its answer.
/// What the page saw of `exhibit`: its answer when the catalogue says it is
/// readable, else the rejected fetch's `message`.
fn page_saw(exhibit: &Exhibit, message: String) -> PageSaw {
    match exhibit.shows {
        Shows::Readable => PageSaw::Response {
            status: 200,
            headers: vec![],
            body: "{}".into(),
        },
        _ => PageSaw::Failed { message },
    }
}

fn recorded(exhibit: &Exhibit) -> ServerSide {
    let preflighted = predict(&exhibit.request, true).preflight;
    let (preflight_status, preflight_headers, actual_status, actual_headers) = answers(exhibit.id);
    let mut server = ServerSide::default();
    if preflighted {
        server.preflights.push(exchange(
            exhibit,
            true,
            preflight_status,
            &preflight_headers,
        ));
    } else {
        server
            .actual
            .push(exchange(exhibit, false, actual_status, &actual_headers));
    }
    server
}

#[test]
fn each_mistakes_answer_is_diagnosed_as_the_catalogue_claims() {
    for exhibit in all() {
        let what = format!("exhibit {} ({})", exhibit.number(), exhibit.id);
        let server = recorded(&exhibit);
        let page = page_saw(&exhibit, "TypeError: Failed to fetch".into());
        let origin = origin_for(exhibit.sent_from, LAB);
        let url = format!("{API}{}", tag_path(&exhibit.request.url, "t-1"));
        let diagnosis = diagnose(&page, &server, &origin, exhibit.request.credentials, &url);
        let (as_claimed, sentence) = comparison(exhibit.shows, &diagnosis);
        assert!(as_claimed, "{what}: {sentence}; {diagnosis:?}");
        match exhibit.shows {
            Shows::Blocked(_) => {
                let line = diagnosis.console_line.clone().unwrap_or_default();
                let start = format!("Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: ");
                assert!(line.starts_with(&start), "{what}: {line}");
                assert!(
                    diagnosis.console_attributes().mdn.is_some(),
                    "{what}: MDN's page"
                );
            }
            Shows::Readable => assert_eq!(diagnosis.console_line, None, "{what}: nothing printed"),
            Shows::NetworkError(net) => {
                assert_eq!(net, NetError::EmptyResponse, "{what}");
                assert_eq!(
                    diagnosis.console_line,
                    Some(net.console_line()),
                    "{what}: the network line"
                );
            }
        }
        if exhibit.sent_from == SentFrom::SandboxedFrame {
            assert_eq!(origin, "null", "{what}: the frame's origin");
        }
    }
}

mod engine_lines;
