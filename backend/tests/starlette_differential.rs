//! This backend against real Starlette: same policy, same requests, same answers,
//! except where `starlette/differences.rs` documents why not.
//!
//! For each config, the backend starts on a free port and reports its effective
//! policy at `GET /api/policy` (Starlette's key names); `tests/starlette/app.py` starts
//! with that policy under Starlette's own `CORSMiddleware` (from PyPI, installed by
//! `scripts/starlette-venv.sh`). Both answer one generated corpus (`starlette/corpus.rs`):
//! preflights and actual requests from listed, unlisted and lookalike origins, with
//! methods, header lists and cookies. Compared: the browser's decision, ACAO, ACAC,
//! the allowed methods and headers, Max-Age, Expose-Headers and Vary
//! (`starlette/compare.rs`). A disagreement no documented difference explains fails
//! the test, printed with the request as curl commands for both servers.
//!
//! The settings the backend refuses at startup, or reads differently, have a check
//! each (`starlette/settings.rs`): the backend's refusal, and what Starlette does with
//! the same settings. One test shows that the backend ignores the Private Network Access
//! header, which Starlette refuses. A last one shows a bearer token needing no
//! credentials on both.

mod common;
mod starlette;

use std::collections::BTreeMap;

use common::{spawn_app, FIVE_POLICIES};
use cors_rules::fetch::Credentials;
use starlette::compare::{self, Disagreement, Field};
use starlette::differences::{Kind, DIFFERENCES};
use starlette::{corpus, settings, StarletteApp};

#[tokio::test]
async fn the_backend_answers_like_starlette_except_for_the_documented_differences() {
    let client = reqwest::Client::new();
    let requests = corpus::requests();
    let mut undocumented = Vec::new();
    let mut explained: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, env, overrides) in FIVE_POLICIES {
        let backend = spawn_app(env, overrides).await;
        let policy: serde_json::Value = backend
            .send("GET", "/api/policy", &[])
            .await
            .json()
            .await
            .expect("GET /api/policy answers JSON");
        let peer = StarletteApp::spawn(&policy).await;
        let mut allowed = 0;
        for request in &requests {
            let ours = request.send(&client, &backend.address).await;
            let theirs = request.send(&client, &peer.address).await;
            for field in compare::fields(request) {
                let backend_value = compare::value(field, request, &ours);
                let starlette_value = compare::value(field, request, &theirs);
                if matches!(field, Field::Decision(_)) && compare::allowed(backend_value.as_deref())
                {
                    allowed += 1;
                }
                if backend_value == starlette_value {
                    continue;
                }
                let disagreement = Disagreement {
                    config: name,
                    request,
                    field,
                    backend: backend_value,
                    starlette: starlette_value,
                    backend_answer: &ours,
                    starlette_answer: &theirs,
                };
                let by = DIFFERENCES.iter().find(|difference| match difference.kind {
                    Kind::Runtime(explains) => explains(&disagreement),
                    Kind::Settings => false,
                });
                match by {
                    Some(difference) => *explained.entry(difference.id).or_default() += 1,
                    None => {
                        undocumented.push(report(&disagreement, &backend.address, &peer.address))
                    }
                }
            }
        }
        assert!(
            allowed > 0,
            "{name}: the backend allowed nothing; is the corpus right?"
        );
        println!("{name}: {} requests, {policy}", requests.len());
    }
    for (id, count) in &explained {
        println!("documented difference `{id}`: {count} disagreements");
    }
    assert!(
        undocumented.is_empty(),
        "{} disagreements with Starlette are not in starlette/differences.rs \
         (document each with its reason, or fix the backend); the first ones:\n\n{}",
        undocumented.len(),
        undocumented
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    for difference in DIFFERENCES {
        if let Kind::Runtime(_) = difference.kind {
            assert!(
                explained.contains_key(difference.id),
                "documented difference `{}` explained no disagreement: the corpus no longer \
                 shows it, or it is gone; remove it here and in the README",
                difference.id
            );
        }
    }
}

fn report(d: &Disagreement, backend: &str, starlette: &str) -> String {
    format!(
        "[{}] {}: backend {} {:?}, Starlette {} {:?}\n  {}\n  {}\n",
        d.config,
        d.field,
        d.backend_answer.status,
        d.backend,
        d.starlette_answer.status,
        d.starlette,
        d.request.as_curl(backend),
        d.request.as_curl(starlette),
    )
}

/// Each settings difference: the backend refuses (or reads) the settings, and Starlette,
/// given the same, does what the row says (`starlette/settings.rs`).
#[tokio::test]
async fn every_settings_difference_shows_on_both_sides() {
    for difference in DIFFERENCES {
        if let Kind::Settings = difference.kind {
            match difference.id {
                "wildcard-credentials" => settings::wildcard_credentials().await,
                "near-miss-origin" => settings::near_miss_origins().await,
                "null-origin" => settings::null_origin().await,
                "regex-audit" => settings::regex_audit().await,
                "star-methods" => settings::star_methods().await,
                other => panic!("settings difference `{other}` has no check here"),
            }
        }
    }
}

/// One preflight of the private-network check: who asks, for what.
struct PrivateNetworkCase {
    what: &'static str,
    origin: &'static str,
    method: &'static str,
    request_headers: Option<&'static str>,
}

const PRIVATE_NETWORK_CASES: &[PrivateNetworkCase] = &[
    PrivateNetworkCase {
        what: "the lab asks for GET",
        origin: "http://localhost:5173",
        method: "GET",
        request_headers: None,
    },
    PrivateNetworkCase {
        what: "the lab asks for POST with Content-Type",
        origin: "http://localhost:5173",
        method: "POST",
        request_headers: Some("content-type"),
    },
    PrivateNetworkCase {
        what: "the lab asks for a method no config lists",
        origin: "http://localhost:5173",
        method: "FOO",
        request_headers: None,
    },
    PrivateNetworkCase {
        what: "the production site asks for PUT",
        origin: "https://app.example.com",
        method: "PUT",
        request_headers: None,
    },
    PrivateNetworkCase {
        what: "an origin no list names asks for GET",
        origin: "http://evil.example",
        method: "GET",
        request_headers: None,
    },
];

/// Values of `Access-Control-Request-Private-Network`: the one browsers sent, and others.
/// Starlette refuses the preflight whatever the value.
const PRIVATE_NETWORK_VALUES: &[&str] = &["true", "false", "yes"];

/// The answer's status and headers, without `Date`, with list values sorted.
fn normalised(answer: &cors_rules::ResponseHead) -> (u16, Vec<(String, String)>) {
    let mut headers: Vec<(String, String)> = answer
        .headers
        .iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("date"))
        .map(|(name, value)| {
            let mut items: Vec<&str> = value.split(',').map(str::trim).collect();
            items.sort_unstable();
            (name.to_ascii_lowercase(), items.join(", "))
        })
        .collect();
    headers.sort();
    (answer.status, headers)
}

/// The documented difference `private-network-request`, on the backend's side: a
/// preflight that carries `Access-Control-Request-Private-Network` gets the very answer
/// it gets without that header, and never `Access-Control-Allow-Private-Network`.
#[tokio::test]
async fn the_backend_answers_a_private_network_preflight_as_if_the_header_were_absent() {
    let client = reqwest::Client::new();
    for (name, env, overrides) in FIVE_POLICIES {
        let backend = spawn_app(env, overrides).await;
        for case in PRIVATE_NETWORK_CASES {
            let mut plain = settings::preflight(case.origin, case.method);
            if let Some(list) = case.request_headers {
                plain
                    .headers
                    .push(("Access-Control-Request-Headers", list.into()));
            }
            let without = plain.send(&client, &backend.address).await;
            for value in PRIVATE_NETWORK_VALUES {
                let mut asking = plain.clone();
                asking
                    .headers
                    .push(("Access-Control-Request-Private-Network", value.to_string()));
                let with = asking.send(&client, &backend.address).await;
                assert_eq!(
                    normalised(&with),
                    normalised(&without),
                    "[{name}] {}, with Access-Control-Request-Private-Network: {value}: \
                     the answer should be the one without the header\n  {}",
                    case.what,
                    asking.as_curl(&backend.address)
                );
                assert_eq!(
                    with.get("Access-Control-Allow-Private-Network"),
                    None,
                    "[{name}] {}: the backend never sends Access-Control-Allow-Private-Network",
                    case.what
                );
            }
        }
    }
}

/// A bearer token is a request header, not a credential: under `allow_origins = ["*"]`
/// without credentials, any origin may send `Authorization` (it is listed), and both
/// servers answer `*`, which a browser accepts unless the page includes credentials.
#[tokio::test]
async fn a_bearer_token_needs_no_credentials_on_either_side() {
    let (_, env, overrides) = FIVE_POLICIES
        .iter()
        .find(|(name, ..)| *name == "any origin without credentials")
        .unwrap();
    let backend = spawn_app(env, overrides).await;
    let policy: serde_json::Value = backend
        .send("GET", "/api/policy", &[])
        .await
        .json()
        .await
        .unwrap();
    let peer = StarletteApp::spawn(&policy).await;
    let client = reqwest::Client::new();
    let mut request = settings::preflight("http://evil.example", "GET");
    request
        .headers
        .push(("Access-Control-Request-Headers", "authorization".into()));
    for base in [&backend.address, &peer.address] {
        let answer = request.send(&client, base).await;
        let decide = |credentials| {
            compare::value(Field::Decision(credentials), &request, &answer).unwrap_or_default()
        };
        assert_eq!(
            (
                answer.get("Access-Control-Allow-Origin").as_deref(),
                decide(Credentials::SameOrigin).as_str(),
                decide(Credentials::Include).as_str(),
            ),
            (
                Some("*"),
                "allowed",
                "refused (PreflightWildcardOriginNotAllowed)"
            ),
            "{}",
            request.as_curl(base)
        );
    }
}
