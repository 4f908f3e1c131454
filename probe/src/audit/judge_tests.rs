//! The findings, one server mistake at a time, from answers written by hand: each
//! row is one hole and the severity it must get.

use cors_rules::ResponseHead;

use super::findings::{judge, Severity};
use super::origins::{Candidate, Kind};
use super::Probe;

const TRUSTED: &str = "https://app.example.com";

fn probe(kind: Kind, origin: &str, get: ResponseHead) -> Probe {
    Probe {
        candidate: Candidate {
            kind,
            origin: origin.to_string(),
            imitates: (kind != Kind::Trusted).then(|| TRUSTED.to_string()),
        },
        get,
        preflight: ResponseHead::new(404),
    }
}

/// An answer that lets `origin` read, with `Vary: Origin`.
fn allows(origin: &str) -> ResponseHead {
    ResponseHead::new(200)
        .with("Access-Control-Allow-Origin", origin)
        .with("Vary", "Origin")
}

fn with_credentials(head: ResponseHead) -> ResponseHead {
    head.with("Access-Control-Allow-Credentials", "true")
}

#[test]
fn each_hole_gets_its_finding_and_severity() {
    let refused = || ResponseHead::new(200).with("Vary", "Origin");
    let trusted = || probe(Kind::Trusted, TRUSTED, allows(TRUSTED));
    let arbitrary = || probe(Kind::Arbitrary, "https://evil.example", refused());
    // (the probes, the finding expected, its severity, why)
    let cases: Vec<(Vec<Probe>, &str, Severity, &str)> = vec![
        (
            vec![
                probe(
                    Kind::Trusted,
                    TRUSTED,
                    ResponseHead::new(200).with("Access-Control-Allow-Origin", TRUSTED),
                ),
                arbitrary(),
            ],
            "missing-vary-origin",
            Severity::Medium,
            "ACAO present for one origin, absent for another, and no Vary: Origin",
        ),
        (
            vec![probe(
                Kind::Trusted,
                TRUSTED,
                allows(TRUSTED).with(
                    "Access-Control-Expose-Headers",
                    "X-Total-Count, Authorization",
                ),
            )],
            "exposed-secret-header",
            Severity::Medium,
            "Authorization exposed",
        ),
        (
            vec![probe(
                Kind::Trusted,
                TRUSTED,
                allows(TRUSTED).with("Access-Control-Expose-Headers", "set-cookie"),
            )],
            "exposed-secret-header",
            Severity::Low,
            "Set-Cookie exposed (browsers never expose it)",
        ),
        (
            vec![probe(
                Kind::Trusted,
                TRUSTED,
                allows(TRUSTED).with("Access-Control-Max-Age", "100000"),
            )],
            "max-age-beyond-browser-caps",
            Severity::Low,
            "a max-age beyond Firefox's cap, the longest any browser honours",
        ),
        (
            vec![probe(
                Kind::Trusted,
                TRUSTED,
                allows(TRUSTED).with("Access-Control-Max-Age", "10000"),
            )],
            "max-age-beyond-browser-caps",
            Severity::Info,
            "a max-age beyond WebKit's and Chromium's caps, within Firefox's",
        ),
        (
            vec![probe(Kind::Trusted, TRUSTED, with_credentials(allows("*")))],
            "wildcard-with-credentials",
            Severity::Low,
            "* with Allow-Credentials: true",
        ),
        (
            vec![
                trusted(),
                arbitrary(),
                probe(
                    Kind::HttpTwin,
                    "http://app.example.com",
                    with_credentials(allows("http://app.example.com")),
                ),
            ],
            "http-twin",
            Severity::High,
            "the http twin, with credentials",
        ),
        (
            vec![
                trusted(),
                arbitrary(),
                probe(
                    Kind::SiblingSubdomain,
                    "https://x.example.com",
                    allows("https://x.example.com"),
                ),
            ],
            "sibling-subdomain",
            Severity::Low,
            "a sibling subdomain, without credentials",
        ),
        (
            vec![
                trusted(),
                arbitrary(),
                probe(
                    Kind::UnescapedDot,
                    "https://appxexample.com",
                    allows("https://appxexample.com"),
                ),
            ],
            "lookalike-unescaped-dot",
            Severity::Medium,
            "a regex's bare dot, without credentials",
        ),
        (
            vec![probe(Kind::Trusted, "https://gone.example.com", refused())],
            "trusted-origin-refused",
            Severity::Info,
            "a trusted origin the API refuses: probably the wrong URL",
        ),
    ];
    for (probes, check, severity, why) in cases {
        let found = judge(&probes);
        assert!(
            found
                .iter()
                .any(|f| f.check == check && f.severity == severity),
            "{why}: expected {check} ({severity:?}) in {found:#?}"
        );
    }
}

#[test]
fn a_server_that_trusts_exactly_its_origins_has_no_finding() {
    let probes = vec![
        probe(
            Kind::Trusted,
            TRUSTED,
            with_credentials(allows(TRUSTED)).with("Access-Control-Max-Age", "600"),
        ),
        probe(
            Kind::Arbitrary,
            "https://evil.example",
            ResponseHead::new(200).with("Vary", "Origin"),
        ),
        probe(
            Kind::Null,
            "null",
            ResponseHead::new(200).with("Vary", "Origin"),
        ),
    ];
    assert_eq!(
        judge(&probes),
        vec![],
        "an exact list with Vary: Origin is clean"
    );
}

#[test]
fn the_max_age_finding_names_every_engines_cap() {
    let probes = vec![probe(
        Kind::Trusted,
        TRUSTED,
        allows(TRUSTED).with("Access-Control-Max-Age", "100000"),
    )];
    let found = judge(&probes);
    let finding = found
        .iter()
        .find(|f| f.check == "max-age-beyond-browser-caps");
    let why = finding.map_or("", |f| f.why.as_str());
    // (words the finding must say, why)
    let cases = [
        (
            "600 s (WebKit)",
            "WebKit's cap is the shortest of the three",
        ),
        ("7200 s (Chromium)", "Chromium caps at two hours"),
        ("86400 s (Firefox)", "Firefox caps at a day"),
    ];
    for (words, reason) in cases {
        assert!(why.contains(words), "{reason}: {why}");
    }
}
