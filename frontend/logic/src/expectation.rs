//! What the active policy should do with a request, in the card's words.
//!
//! The page reads the backend's effective policy (`GET /lab/policy`) and asks the
//! rules crate what will happen (`cors_rules::expect`): what the server answers, and
//! what the browser then decides. Then it runs the request and compares: a card
//! whose outcome differs from this expectation points at a policy the lab does not
//! understand, or at a browser rule worth a second look. The lab has no regex
//! engine, so an origin only `allow_origin_regex` could allow stays "unknown".

use cors_rules::expect::Expectation;
use cors_rules::policy::Policy;
use cors_rules::{Credentials, Prediction, RegexVerdict, Verdict};

use crate::scenarios::Governor;

/// What `policy` does with a request predicted as `prediction`, sent from
/// `origin` with `credentials`.
pub fn expect(
    policy: &Policy,
    origin: &str,
    prediction: &Prediction,
    credentials: Credentials,
) -> Expectation {
    cors_rules::expect::expect(
        policy,
        origin,
        prediction,
        credentials,
        RegexVerdict::Unknown,
    )
}

/// What the policy that answers a scenario (its [`Governor`]) does with a request,
/// given the API's `api` policy.
///
/// A fixed policy is not read from `config/`, so no key changes its outcome: the
/// expectation names none (a card must not send the reader to `allow_origins` for
/// an endpoint that key does not govern).
pub fn expect_under(
    governor: Governor,
    api: &Policy,
    origin: &str,
    prediction: &Prediction,
    credentials: Credentials,
) -> Expectation {
    let expectation = expect(&governor.policy(api), origin, prediction, credentials);
    match expectation {
        Expectation::Blocked {
            failure, rejection, ..
        } if !governor.configurable() => Expectation::Blocked {
            failure,
            rejection,
            key: None,
        },
        other => other,
    }
}

/// One sentence for the card: what is expected, and why.
pub fn describe(expectation: &Expectation) -> String {
    describe_under(expectation, Governor::Api)
}

/// One sentence for the card: what `governor`'s policy is expected to do, and why.
pub fn describe_under(expectation: &Expectation, governor: Governor) -> String {
    let under = governor.name();
    match expectation {
        Expectation::Readable => format!("Expected under {under}: allowed."),
        Expectation::Blocked {
            failure,
            rejection,
            key,
        } => {
            // `why()` is a sentence with its own full stop; this one adds its own.
            let cause = match rejection {
                Some(rejection) => rejection.to_string(),
                None => failure.why().trim_end_matches('.').to_string(),
            };
            let key = key.map(|k| format!(" (key {k})")).unwrap_or_default();
            format!(
                "Expected under {under}: blocked, {} — {cause}{key}.",
                failure.cors_error
            )
        }
        Expectation::Unknown { regex } => format!(
            "Expected: cannot tell — the origin is not listed, and only allow_origin_regex \
             {regex} could allow it (the lab has no regex engine)."
        ),
    }
}

/// The card's expectation from its steps' (`data-expected`): `blocked` if any step
/// will be blocked, `allowed` if every one is readable, else `unknown`.
pub fn card_label(steps: &[Expectation]) -> &'static str {
    if steps.is_empty() {
        "unknown"
    } else if steps
        .iter()
        .any(|e| matches!(e, Expectation::Blocked { .. }))
    {
        "blocked"
    } else if steps.iter().all(|e| *e == Expectation::Readable) {
        "allowed"
    } else {
        "unknown"
    }
}

/// Whether a run came out as expected, and the card's sentence saying so.
pub fn comparison(expected: &str, outcome: crate::Verdict) -> (bool, String) {
    let as_expected = expected == outcome.label();
    let sentence = match (as_expected, expected) {
        (true, _) => "✓ as the policy predicts".to_string(),
        (false, "unknown") => "the policy could not be read to predict this".to_string(),
        (false, expected) => format!("⚠ the policy predicts {expected}: worth a closer look"),
    };
    (as_expected, sentence)
}

/// What the policy means for the page's own origin, for the policy panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginStanding {
    /// Listed in `allow_origins`.
    Listed,
    /// `allow_origins = ["*"]`: any origin may read, but never with credentials.
    AnyOrigin,
    /// Not listed; only the regex could allow it.
    DependsOnRegex,
    /// Refused: every cross-origin scenario will be blocked.
    Refused,
}

impl OriginStanding {
    /// How `policy` treats `origin`.
    pub fn of(policy: &Policy, origin: &str) -> OriginStanding {
        if policy.allows_any_origin() {
            return OriginStanding::AnyOrigin;
        }
        match policy.origin_verdict(origin, RegexVerdict::Unknown) {
            Verdict::Allowed => OriginStanding::Listed,
            Verdict::DependsOnRegex { .. } => OriginStanding::DependsOnRegex,
            Verdict::Refused(_) => OriginStanding::Refused,
        }
    }

    /// The badge beside the sentence.
    pub fn badge(&self) -> &'static str {
        match self {
            OriginStanding::Listed => "✓ listed",
            OriginStanding::AnyOrigin => "✓ any origin",
            OriginStanding::DependsOnRegex => "? regex",
            OriginStanding::Refused => "✗ not listed",
        }
    }

    /// Whether the scenarios can succeed at all.
    pub fn can_read(&self) -> bool {
        !matches!(self, OriginStanding::Refused)
    }

    /// The sentence the policy panel shows.
    pub fn sentence(&self, origin: &str) -> String {
        match self {
            OriginStanding::Listed => {
                format!("{origin} is listed in allow_origins: the scenarios below can succeed.")
            }
            OriginStanding::AnyOrigin => format!(
                "allow_origins = [\"*\"]: {origin}, like every origin, may read the answers, but \
                 only without credentials: the browser refuses * with credentials: \"include\"."
            ),
            OriginStanding::DependsOnRegex => format!(
                "{origin} is not listed; it is allowed only if allow_origin_regex matches it."
            ),
            OriginStanding::Refused => format!(
                "{origin} is not in allow_origins, so the API refuses this page: every \
                 cross-origin scenario below will be blocked."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{predict, PlannedRequest};
    use cors_rules::{AllowHeaders, AllowOrigins};

    const LAB: &str = "http://localhost:5173";

    /// Enough of the development policy for these tests: the lab's origin, no PATCH.
    fn dev_policy() -> Policy {
        Policy {
            allow_origins: AllowOrigins::List(vec![LAB.into()]),
            allow_origin_regex: None,
            allow_methods: vec!["GET".into(), "PUT".into()],
            allow_headers: AllowHeaders::List(vec!["content-type".into()]),
            allow_credentials: true,
            expose_headers: vec![],
            max_age: 600,
        }
    }

    #[test]
    fn the_policy_panel_tells_a_wildcard_policy_from_a_refusal() {
        let mut any = dev_policy();
        any.allow_origins = AllowOrigins::Any;
        any.allow_credentials = false;
        let mut production = dev_policy();
        production.allow_origins = AllowOrigins::List(vec!["https://app.example.com".into()]);
        let mut regex = production.clone();
        regex.allow_origin_regex = Some(r"http://localhost:\d+".into());
        let cases = [
            (dev_policy(), OriginStanding::Listed, true),
            (any, OriginStanding::AnyOrigin, true),
            (regex, OriginStanding::DependsOnRegex, true),
            (production, OriginStanding::Refused, false),
        ];
        for (policy, standing, can_read) in cases {
            let got = OriginStanding::of(&policy, LAB);
            assert_eq!(got, standing, "{:?}", policy.allow_origins);
            assert_eq!(got.can_read(), can_read, "{standing:?}");
            if standing == OriginStanding::AnyOrigin {
                assert!(
                    !got.sentence(LAB).contains("blocked"),
                    "{}",
                    got.sentence(LAB)
                );
            }
        }
    }

    #[test]
    fn a_card_is_blocked_if_any_step_is_and_allowed_only_if_all_are() {
        let readable = Expectation::Readable;
        let unknown = Expectation::Unknown { regex: "x".into() };
        let patch = PlannedRequest::new("PATCH", "/api/items/1");
        let blocked = expect(
            &dev_policy(),
            LAB,
            &predict(&patch, true),
            patch.credentials,
        );
        let cases = [
            (vec![], "unknown"),
            (vec![readable.clone(), readable.clone()], "allowed"),
            (vec![readable.clone(), blocked.clone()], "blocked"),
            (vec![unknown.clone(), blocked], "blocked"),
            (vec![readable, unknown], "unknown"),
        ];
        for (steps, label) in cases {
            assert_eq!(card_label(&steps), label, "{steps:?}");
        }
        assert!(
            comparison("blocked", crate::Verdict::Blocked).0,
            "as expected"
        );
        assert!(
            !comparison("allowed", crate::Verdict::Blocked).0,
            "a surprise"
        );
    }

    #[test]
    fn a_public_card_is_judged_by_its_fixed_policy_not_the_apis() {
        // Under production the API refuses the lab; /public's `*` policy does not.
        let mut production = dev_policy();
        production.allow_origins = AllowOrigins::List(vec!["https://app.example.com".into()]);
        let scenario = crate::scenarios::all()
            .into_iter()
            .find(|s| s.governor == Governor::Public)
            .expect("a scenario calls /public");
        // (API policy, step, label, fragments the sentence must contain)
        let cases = [
            (
                dev_policy(),
                0,
                "allowed",
                vec!["/public's fixed policy", "allowed"],
            ),
            (
                production.clone(),
                0,
                "allowed",
                vec!["/public's fixed policy", "allowed"],
            ),
            (
                production,
                1,
                "blocked",
                vec!["/public's fixed policy", "WildcardOriginNotAllowed"],
            ),
        ];
        for (api, step, label, fragments) in cases {
            let request = &scenario.steps[step].request;
            let expectation = expect_under(
                scenario.governor,
                &api,
                LAB,
                &predict(request, true),
                request.credentials,
            );
            assert_eq!(
                expectation.label(),
                label,
                "step {step} under {:?}",
                api.allow_origins
            );
            let sentence = describe_under(&expectation, scenario.governor);
            for fragment in fragments {
                assert!(
                    sentence.contains(fragment),
                    "`{sentence}` should say {fragment}"
                );
            }
            assert!(
                !sentence.contains("(key "),
                "no config key governs a fixed policy: `{sentence}`"
            );
            assert!(!sentence.contains(".."), "one full stop: `{sentence}`");
        }
    }

    #[test]
    fn the_card_says_which_failure_and_which_key() {
        let patch = PlannedRequest::new("PATCH", "/api/items/1");
        let expectation = expect(
            &dev_policy(),
            LAB,
            &predict(&patch, true),
            patch.credentials,
        );
        let sentence = describe(&expectation);
        for fragment in [
            "blocked",
            "MethodDisallowedByPreflightResponse",
            "key allow_methods",
        ] {
            assert!(
                sentence.contains(fragment),
                "`{sentence}` should say {fragment}"
            );
        }
    }
}
