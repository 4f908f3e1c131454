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
//! The README's "Coming from FastAPI" section lists the same ids in its table of
//! differences (`backend/tests/readme_fastapi.rs` keeps them in step).

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
        reason: "the backend's `*` is the seven methods of Starlette 1.6 and earlier; QUERY is still \
                 an IETF draft",
        kind: Kind::Settings,
    },
    Difference {
        id: "authorization-wildcard",
        what: "allow_headers = [\"*\"]: Starlette echoes Authorization too; the backend leaves it out, \
               so the preflight fails unless Authorization is listed",
        reason: "the Fetch standard never lets a wildcard cover Authorization; the backend applies \
                 that rule itself, whatever the browser",
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
        id: "vary-private-network",
        what: "preflights: Starlette's Vary also names Access-Control-Request-Private-Network",
        reason: "the backend does not answer Private Network Access (on hold in browsers), so \
                 its answers do not vary with it",
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
