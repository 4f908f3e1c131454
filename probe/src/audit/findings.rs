//! The findings: each hole, how bad it is, and why, in one sentence.
//!
//! Severity follows one idea: what can a site the API does not trust read?
//! With credentials it reads the visitor's own data (high); without, only what the
//! server would show anyone, but through a door nobody meant to open (medium). An
//! echo of every origin without credentials is low: it is `*` by another name. Things
//! that leak nothing today but show a misunderstanding are low; facts are info.

use cors_rules::browser::{CHROMIUM_MAX_AGE, FIREFOX_MAX_AGE, WEBKIT_MAX_AGE};
use cors_rules::http::list_items;
use serde_json::{json, Value};

use super::origins::Kind;
use super::{Access, Probe};

/// How bad a finding is. `audit` exits 1 from [`Severity::Medium`] up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// One hole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// A stable name, e.g. `arbitrary-origin`, for scripts and tests.
    pub check: &'static str,
    /// The origin or header concerned.
    pub subject: String,
    pub why: String,
}

impl Finding {
    pub fn to_json(&self) -> Value {
        json!({
            "severity": self.severity.as_str(),
            "check": self.check,
            "subject": self.subject,
            "why": self.why,
        })
    }
}

/// Every finding in `probes`, the worst first.
pub fn judge(probes: &[Probe]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let reflects_anything = probes
        .iter()
        .any(|p| p.candidate.kind == Kind::Arbitrary && p.access() != Access::Refused);
    for probe in probes {
        let kind = probe.candidate.kind;
        let access = probe.access();
        if access == Access::Refused {
            continue;
        }
        // Once any origin is echoed, each lookalike is too: one finding says it all.
        if reflects_anything && !matches!(kind, Kind::Arbitrary | Kind::Null | Kind::Trusted) {
            continue;
        }
        if let Some(finding) = trusted_too_much(probe, access) {
            findings.push(finding);
        }
    }
    for probe in probes {
        if probe.candidate.kind == Kind::Trusted && probe.access() == Access::Refused {
            findings.push(Finding {
                severity: Severity::Info,
                check: "trusted-origin-refused",
                subject: probe.candidate.origin.clone(),
                why: "The API does not allow this origin you called trusted: check the URL and \
                      its allow_origins."
                    .to_string(),
            });
        }
    }
    findings.extend(header_findings(probes));
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    findings
}

/// An untrusted origin the server let in.
fn trusted_too_much(probe: &Probe, access: Access) -> Option<Finding> {
    let with_credentials = access == Access::WithCredentials;
    // (without credentials, with credentials)
    let severity = |pair: (Severity, Severity)| if with_credentials { pair.1 } else { pair.0 };
    let imitates = probe.candidate.imitates.clone().unwrap_or_default();
    let reads = if with_credentials {
        "reads your users' data with their cookies"
    } else {
        "reads what the API answers"
    };
    let (check, pair, why) = match probe.candidate.kind {
        Kind::Trusted => return None,
        Kind::Arbitrary => (
            "arbitrary-origin",
            (Severity::Low, Severity::High),
            format!(
                "The server echoes any Origin, so every website {reads}{}",
                if with_credentials {
                    "."
                } else {
                    " (like *, but * at least never comes with credentials)."
                }
            ),
        ),
        Kind::Null => (
            "null-origin",
            (Severity::Medium, Severity::High),
            format!("Any site can send Origin: null from a sandboxed iframe, so any site {reads}."),
        ),
        Kind::HttpTwin => (
            "http-twin",
            (Severity::Medium, Severity::High),
            format!(
                "The plain-HTTP twin of {imitates} is trusted: anyone on the network path can \
                 inject a script into that page, which then {reads}."
            ),
        ),
        Kind::SiblingSubdomain => (
            "sibling-subdomain",
            (Severity::Low, Severity::Medium),
            format!(
                "Every subdomain beside {imitates} is trusted: a takeover or an XSS on any one \
                 of them {reads}."
            ),
        ),
        kind => (
            kind.as_str(),
            (Severity::Medium, Severity::High),
            format!(
                "{} imitates {imitates} and is accepted: whoever registers it {reads}; the \
                 origin check is a string or regex test, not an exact match.",
                probe.candidate.origin
            ),
        ),
    };
    Some(Finding {
        severity: severity(pair),
        check,
        subject: probe.candidate.origin.clone(),
        why,
    })
}

/// Findings about the headers themselves: `*` with credentials, `Vary`, exposed
/// secrets, preflight caching.
fn header_findings(probes: &[Probe]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut push = |finding: Finding| {
        if !findings.contains(&finding) {
            findings.push(finding);
        }
    };
    let heads = || probes.iter().flat_map(|p| [&p.get, &p.preflight]);
    let allow_origin = |head: &cors_rules::ResponseHead| head.get("access-control-allow-origin");

    if heads().any(|h| {
        allow_origin(h).as_deref() == Some("*")
            && h.get("access-control-allow-credentials").as_deref() == Some("true")
    }) {
        push(Finding {
            severity: Severity::Low,
            check: "wildcard-with-credentials",
            subject: "*".to_string(),
            why: "Access-Control-Allow-Origin: * comes with Allow-Credentials: true: browsers \
                  refuse the pair, and the usual way to make it work (echoing the Origin) \
                  opens the API to every site."
                .to_string(),
        });
    }

    // The answers to simple GETs: does Access-Control-Allow-Origin depend on Origin?
    let mut values: Vec<Option<String>> = probes.iter().map(|p| allow_origin(&p.get)).collect();
    values.sort();
    values.dedup();
    if values.len() > 1 {
        for probe in probes {
            let value = allow_origin(&probe.get);
            let varies_on_origin = probe.get.get("vary").is_some_and(|v| {
                list_items(&v).any(|i| i.eq_ignore_ascii_case("origin") || i == "*")
            });
            if value.is_some_and(|v| v != "*") && !varies_on_origin {
                push(Finding {
                    severity: Severity::Medium,
                    check: "missing-vary-origin",
                    subject: "Vary".to_string(),
                    why: "Access-Control-Allow-Origin changes with Origin but the answer has no \
                          Vary: Origin, so a shared cache can hand one origin's answer to \
                          another."
                        .to_string(),
                });
            }
        }
    }

    for head in heads().filter(|h| allow_origin(h).is_some()) {
        let exposed = head
            .get("access-control-expose-headers")
            .unwrap_or_default();
        for name in list_items(&exposed) {
            let (severity, why) = match name.to_ascii_lowercase().as_str() {
                "authorization" => (
                    Severity::Medium,
                    "Authorization is exposed: every origin the API allows can read a token \
                     the server sends back.",
                ),
                "set-cookie" => (
                    Severity::Low,
                    "Set-Cookie is exposed: browsers never let a page read it, so this leaks \
                     nothing, but it shows an intent to hand sessions to scripts.",
                ),
                _ => continue,
            };
            push(Finding {
                severity,
                check: "exposed-secret-header",
                subject: name.to_string(),
                why: why.to_string(),
            });
        }
    }

    for head in heads().filter(|h| allow_origin(h).is_some()) {
        let Some(max_age) = head.get("access-control-max-age") else {
            continue;
        };
        let Ok(seconds) = max_age.trim().parse::<u64>() else {
            continue;
        };
        let severity = if seconds > u64::from(FIREFOX_MAX_AGE) {
            Severity::Low
        } else if seconds > u64::from(CHROMIUM_MAX_AGE) {
            Severity::Info
        } else {
            continue;
        };
        push(Finding {
            severity,
            check: "max-age-beyond-browser-caps",
            subject: format!("Access-Control-Max-Age: {seconds}"),
            why: format!(
                "Browsers keep a preflight's answer at most {WEBKIT_MAX_AGE} s (WebKit), \
                 {CHROMIUM_MAX_AGE} s (Chromium) or {FIREFOX_MAX_AGE} s (Firefox): \
                 {seconds} s promises caching that never happens, and hides how long a \
                 policy change takes to reach browsers."
            ),
        });
    }
    findings
}
