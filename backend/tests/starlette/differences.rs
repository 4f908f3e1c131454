//! Where this backend deliberately differs from Starlette's `CORSMiddleware`.
//!
//! Every disagreement the differential test finds must be explained by one row here,
//! with its reason; any other fails the test. Two kinds:
//!
//! - **runtime**: both servers run the same effective policy and answer one request
//!   differently. The row's predicate says exactly which disagreements it explains.
//! - **settings**: the same `[cors]` settings mean something else: the backend refuses
//!   them at startup, or reads `*` differently. A check of its own shows both sides.
//!
//! The page "Coming from FastAPI" (`docs/coming-from-fastapi.md`) lists the same ids in
//! its table of differences (`backend/tests/readme_fastapi.rs` keeps them in step).

use super::compare::{Disagreement, Field};

pub enum Kind {
    /// Explains the disagreements for which the function returns true.
    Runtime(fn(&Disagreement) -> bool),
    /// Shown by `starlette_differential.rs`'s check for this id.
    Settings,
}

pub struct Difference {
    pub id: &'static str,
    /// What differs, in one line.
    pub what: &'static str,
    pub reason: &'static str,
    pub kind: Kind,
}

pub const DIFFERENCES: &[Difference] = &[
    Difference {
        id: "wildcard-credentials",
        what: "allow_origins = [\"*\"] with allow_credentials = true: Starlette echoes every caller's \
               origin with credentials; the backend refuses to start",
        reason: "echoing any origin with Access-Control-Allow-Credentials lets every website read \
                 the user's authenticated responses",
        kind: Kind::Settings,
    },
    Difference {
        id: "near-miss-origin",
        what: "an allow_origins entry with a trailing /, upper case or a default port: Starlette \
               accepts it and never matches it; the backend refuses to start",
        reason: "browsers send origins lower-case, without path or default port: such an entry \
                 only hides the origin that was meant",
        kind: Kind::Settings,
    },
    Difference {
        id: "null-origin",
        what: "\"null\" in allow_origins: Starlette allows it; the backend refuses to start",
        reason: "any page can send Origin: null from a sandboxed iframe",
        kind: Kind::Settings,
    },
    Difference {
        id: "regex-audit",
        what: "an allow_origin_regex that matches lookalikes (https://.*example\\.com): Starlette \
               allows https://evilexample.com; the backend refuses to start",
        reason: "a pattern is where CORS holes hide; the backend tries it against lookalikes of \
                 the domains it names",
        kind: Kind::Settings,
    },
    Difference {
        id: "star-methods",
        what: "allow_methods = [\"*\"]: Starlette (1.7 and later) includes QUERY; the backend expands \
               it to DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
        reason: "QUERY (RFC 10008) is never CORS-safelisted, so it is always preflighted; Fetch \
                 leaves its case alone (`query` stays lower-case); browsers do not cache it yet. \
                 A `*` that grew to cover it on upgrade would change the policy silently: list \
                 QUERY by name if you serve it",
        kind: Kind::Settings,
    },
    Difference {
        id: "authorization-wildcard",
        what: "allow_headers = [\"*\"]: Starlette echoes Authorization too; the backend leaves it out, \
               so the preflight fails unless Authorization is listed",
        reason: "the Fetch standard says `*` never covers Authorization, but no shipping browser \
                 enforces that: Firefox lets it through with a deprecation warning (while \
                 network.cors_preflight.authorization_covered_by_wildcard is true, its default), \
                 Chromium and Safari silently. The backend applies the rule itself, so that `*` \
                 alone never lets every allowed origin send a token: list Authorization by name",
        kind: Kind::Runtime(authorization_wildcard),
    },
    Difference {
        id: "refused-preflight",
        what: "a refused preflight: Starlette answers 400 with its method, header, max-age and \
               credentials headers; the backend sends none of them (origin refused: a bare 400; \
               method or header refused: 200 with Access-Control-Allow-Origin and the lists, no Max-Age)",
        reason: "an origin that may not call tells nothing; for an allowed origin the browser's \
                 console then names the refused method or header instead of \"HTTP ok status\"",
        kind: Kind::Runtime(refused_preflight),
    },
    Difference {
        id: "private-network-request",
        what: "a preflight with Access-Control-Request-Private-Network (any value): Starlette \
               answers 400 \"Disallowed CORS private-network\" unless allow_private_network=True; \
               the backend answers it as if the header were absent and never sends \
               Access-Control-Allow-Private-Network",
        reason: "that header belongs to Private Network Access, which browsers replaced with \
                 Local Network Access (enforced from Chrome 142 and Edge 143; Firefox has its \
                 own): a permission the user grants, which no response header answers. Chrome \
                 no longer sends the header, so refusing it would only break old clients for a \
                 scheme no browser ships",
        kind: Kind::Runtime(private_network_request),
    },
    Difference {
        id: "vary-private-network",
        what: "preflights: Starlette's Vary also names Access-Control-Request-Private-Network",
        reason: "the backend ignores Access-Control-Request-Private-Network (see \
                 private-network-request), so its answers do not vary with it",
        kind: Kind::Runtime(vary_private_network),
    },
    Difference {
        id: "vary-on-requests",
        what: "actual requests: the backend's Vary names Access-Control-Request-Method and \
               -Headers besides Origin; Starlette's names Origin",
        reason: "actix-cors adds the same Vary to every response; the extra names are harmless \
                 (actual requests never carry them)",
        kind: Kind::Runtime(vary_on_requests),
    },
    Difference {
        id: "refused-origin-extras",
        what: "actual requests from an origin neither allows: Starlette still sends \
               Access-Control-Allow-Credentials and -Expose-Headers; the backend sends no CORS header",
        reason: "without Access-Control-Allow-Origin they mean nothing to a browser and mislead \
                 anyone reading the headers",
        kind: Kind::Runtime(refused_origin_extras),
    },
];

/// A preflight Starlette answers `400` (refused), which the backend refuses too: the
/// backend only leaves out headers Starlette sends, and the browser's reason differs.
fn refused_preflight(d: &Disagreement) -> bool {
    if !d.request.is_preflight() || d.starlette_answer.status != 400 {
        return false;
    }
    match d.field {
        Field::Decision(_) => !d.backend_allows() && !d.starlette_allows(),
        Field::AllowMethods | Field::AllowHeaders | Field::MaxAge | Field::AllowCredentials => {
            d.backend.is_none() && !d.backend_allows()
        }
        Field::Vary => d.backend.is_none(),
        _ => false,
    }
}

/// A preflight carrying `Access-Control-Request-Private-Network`: Starlette refuses it
/// with `400`, and the browser goes on with the backend's answer. That the backend's
/// answer is the one it gives without the header is `starlette_differential.rs`'s own test.
fn private_network_request(d: &Disagreement) -> bool {
    d.request.is_preflight()
        && d.request
            .header("Access-Control-Request-Private-Network")
            .is_some()
        && d.starlette_answer.status == 400
        && matches!(d.field, Field::Decision(_))
        && d.backend_allows()
        && !d.starlette_allows()
}

fn vary_private_network(d: &Disagreement) -> bool {
    d.request.is_preflight()
        && d.field == Field::Vary
        && d.set_difference()
            == (
                vec![],
                vec!["access-control-request-private-network".to_string()],
            )
}

fn vary_on_requests(d: &Disagreement) -> bool {
    let (ours, theirs) = d.set_difference();
    !d.request.is_preflight()
        && d.field == Field::Vary
        && d.starlette.as_deref() == Some("origin")
        && theirs.is_empty()
        && ours.iter().all(|token| {
            [
                "access-control-request-method",
                "access-control-request-headers",
            ]
            .contains(&token.as_str())
        })
}

fn refused_origin_extras(d: &Disagreement) -> bool {
    let no_allow_origin =
        |head: &cors_rules::ResponseHead| head.get("Access-Control-Allow-Origin").is_none();
    !d.request.is_preflight()
        && matches!(d.field, Field::AllowCredentials | Field::ExposeHeaders)
        && d.backend.is_none()
        && no_allow_origin(d.backend_answer)
        && no_allow_origin(d.starlette_answer)
}

/// Under `allow_headers = ["*"]`, a preflight asking for `Authorization`: Starlette
/// echoes it and allows; the backend lists the rest and refuses (without Max-Age).
fn authorization_wildcard(d: &Disagreement) -> bool {
    let asks = d
        .request
        .header("Access-Control-Request-Headers")
        .is_some_and(|list| list.to_ascii_lowercase().contains("authorization"));
    // Starlette mirrors the request's list only under `allow_headers = ["*"]`.
    let mirrored = d
        .starlette_answer
        .get("Access-Control-Allow-Headers")
        .as_deref()
        == d.request.header("Access-Control-Request-Headers");
    if !d.request.is_preflight() || !asks || !mirrored || d.starlette_answer.status != 200 {
        return false;
    }
    match d.field {
        Field::Decision(_) => !d.backend_allows() && d.starlette_allows(),
        Field::AllowHeaders => d.set_difference() == (vec![], vec!["authorization".to_string()]),
        Field::MaxAge => d.backend.is_none() && !d.backend_allows(),
        _ => false,
    }
}

/// The row with `id`.
pub fn by_id(id: &str) -> &'static Difference {
    DIFFERENCES
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no documented difference `{id}`"))
}
