//! Matching a click on "Run" to what the server recorded for it.
//!
//! The browser never shows the page its preflight, but the backend's recorder
//! sees it. To find *our* preflight among everything recorded, every run adds
//! `lab_run=<tag>` to the URL it calls. The preflight and the actual request go
//! to the same URL, and the recorder stores the path with its query, so both
//! carry the tag.
//!
//! The tag also keeps runs apart in the browser's preflight cache, whose key
//! includes the URL: a new tag means a fresh preflight, so each run shows one,
//! except where a scenario repeats the *same* URL on purpose (preflight
//! caching).

use lab_types::governor::{governing_policy, Governor};
use lab_types::Exchange;

/// The query parameter that carries the run tag.
pub const RUN_PARAM: &str = "lab_run";

/// `path` with `lab_run=<tag>` appended to its query.
pub fn tag_path(path: &str, tag: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}{RUN_PARAM}={tag}")
}

/// The run tag in a recorded path, if any.
pub fn run_tag(path: &str) -> Option<&str> {
    let (_, query) = path.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(RUN_PARAM)?.strip_prefix('='))
}

/// The recorded exchanges that belong to the run tagged `tag`, oldest first.
pub fn exchanges_for_run<'a>(exchanges: &'a [Exchange], tag: &str) -> Vec<&'a Exchange> {
    let mut matched: Vec<&Exchange> = exchanges
        .iter()
        .filter(|exchange| run_tag(&exchange.path) == Some(tag))
        .collect();
    matched.sort_by_key(|exchange| exchange.id);
    matched
}

/// What the live log says of an exchange: the policy's decision, naming the key
/// that refused it, or that an exhibit answered (exhibits are not judged by the
/// policy: each writes its own headers, wrong on purpose). A public endpoint is
/// judged by its own fixed policy, not the API's, and the label says so.
pub fn policy_outcome(exchange: &Exchange) -> String {
    let governor = governing_policy(&exchange.path);
    if governor == Governor::Exhibit {
        return "exhibit: its own headers".to_string();
    }
    if governor == Governor::Public && exchange.rejection.is_none() {
        return "allowed · /public's own policy (*)".to_string();
    }
    match &exchange.rejection {
        Some(rejection) => match rejection.config_key() {
            Some(key) => format!("refused · {key}"),
            None => "refused".to_string(),
        },
        None => "allowed".to_string(),
    }
}

/// The server's view of one run: its preflights and its actual requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerSide {
    pub preflights: Vec<Exchange>,
    pub actual: Vec<Exchange>,
}

impl ServerSide {
    /// Splits the exchanges of one run into preflights and actual requests.
    pub fn from_exchanges<'a>(exchanges: impl IntoIterator<Item = &'a Exchange>) -> ServerSide {
        let mut side = ServerSide::default();
        for exchange in exchanges {
            if exchange.preflight {
                side.preflights.push(exchange.clone());
            } else {
                side.actual.push(exchange.clone());
            }
        }
        side
    }

    /// Nothing was recorded for this run.
    pub fn is_empty(&self) -> bool {
        self.preflights.is_empty() && self.actual.is_empty()
    }
}

/// A header's value in a recorded list, matching the name case-insensitively.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(candidate, _)| candidate.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

#[cfg(test)]
pub(crate) mod tests {
    use lab_types::Rejection;

    use super::*;

    /// Header pairs as a recorded exchange holds them.
    pub(crate) fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    pub(crate) fn exchange(id: u64, method: &str, path: &str, preflight: bool) -> Exchange {
        Exchange {
            id,
            at_ms: 0,
            method: method.into(),
            path: path.into(),
            origin: "http://localhost:5173".into(),
            preflight,
            request_headers: vec![],
            had_cookie: false,
            had_authorization: false,
            status: 200,
            response_headers: vec![],
            rejection: None,
        }
    }

    #[test]
    fn a_tag_is_added_to_the_query_and_read_back() {
        let cases = [
            ("/api/items", "/api/items?lab_run=a-1"),
            ("/api/items?x=1", "/api/items?x=1&lab_run=a-1"),
        ];
        for (path, tagged) in cases {
            assert_eq!(tag_path(path, "a-1"), tagged, "tagging {path}");
            assert_eq!(
                run_tag(tagged),
                Some("a-1"),
                "reading the tag back from {tagged}"
            );
        }
        assert_eq!(run_tag("/api/items"), None, "an untagged path has no tag");
        assert_eq!(
            run_tag("/x?other_lab_run=3"),
            None,
            "only the exact parameter counts"
        );
    }

    #[test]
    fn only_the_exchanges_of_the_run_are_matched_and_split_by_kind() {
        let recorded = [
            exchange(9, "GET", "/api/items?lab_run=p-2", false),
            exchange(3, "OPTIONS", "/api/items?lab_run=p-2", true),
            exchange(4, "GET", "/api/items?lab_run=p-22", false),
            exchange(5, "GET", "/api/items", false),
        ];
        let matched = exchanges_for_run(&recorded, "p-2");
        let ids: Vec<u64> = matched.iter().map(|e| e.id).collect();
        assert_eq!(
            ids,
            vec![3, 9],
            "tag p-2 must not match p-22, and come oldest first"
        );
        let side = ServerSide::from_exchanges(matched);
        assert_eq!(side.preflights.len(), 1, "one preflight");
        assert_eq!(side.actual.len(), 1, "one actual request");
    }

    #[test]
    fn the_live_log_says_the_policys_decision_and_leaves_exhibits_unjudged() {
        let refused = |rejection: Rejection| Exchange {
            rejection: Some(rejection),
            ..exchange(1, "OPTIONS", "/api/items", true)
        };
        let cases = [
            (
                exchange(1, "GET", "/api/items", false),
                "allowed",
                "an allowed request",
            ),
            (
                refused(Rejection::Method {
                    method: "PATCH".into(),
                }),
                "refused · allow_methods",
                "a refusal names its key",
            ),
            (
                exchange(
                    1,
                    "OPTIONS",
                    "/exhibits/router-answers-405?lab_run=a-1",
                    true,
                ),
                "exhibit: its own headers",
                "an exhibit is not judged by the policy",
            ),
            (
                exchange(1, "GET", "/public/bearer?lab_run=a-1", false),
                "allowed · /public's own policy (*)",
                "a public endpoint answers under its own policy",
            ),
            (
                exchange(1, "GET", "/exhibitsfoo", false),
                "allowed",
                "only paths under /exhibits/ are exhibits",
            ),
        ];
        for (exchange, said, what) in cases {
            assert_eq!(policy_outcome(&exchange), said, "{what}");
        }
    }
}
