//! `cors-probe audit`: what does the server trust that it should not?
//!
//! `check` asks "can my page read this?"; `audit` asks the attacker's question:
//! "can *my* page read *your* users' data?". It sends each origin of
//! [`origins::candidates`] twice, as a simple `GET` and as a preflight, and reads
//! what the server answered. An origin is *accepted* when the answer's
//! `Access-Control-Allow-Origin` is that very origin: then a page there passes the
//! browser's check ([`cors_rules::browser::check_response`] is the referee), and
//! with `Access-Control-Allow-Credentials: true` it reads the visitor's data.

pub mod findings;
pub mod origins;
pub mod report;

#[cfg(test)]
mod judge_tests;

use cors_rules::browser::{check_response, CorsRequest};
use cors_rules::{Credentials, ResponseHead};
use reqwest::{Client, Url};

use crate::wire::{self, NoAnswer, Sent};
pub use findings::{Finding, Severity};
use origins::Candidate;

/// What the server answered one origin.
#[derive(Debug, Clone)]
pub struct Probe {
    pub candidate: Candidate,
    /// The answer to a simple `GET` with `Origin`.
    pub get: ResponseHead,
    /// The answer to a preflight for `GET` with `Origin`.
    pub preflight: ResponseHead,
}

impl Probe {
    /// Whether a page on this origin may read the answer, and with cookies.
    pub fn access(&self) -> Access {
        let origin = &self.candidate.origin;
        let passes = |head: &ResponseHead, credentials| {
            let request = CorsRequest {
                origin: origin.clone(),
                method: "GET".to_string(),
                request_headers: Vec::new(),
                credentials,
            };
            // Only an exact echo counts: `*` lets everyone in, on purpose.
            head.get("access-control-allow-origin").as_deref() == Some(origin.as_str())
                && check_response(&request, head).is_ok()
        };
        let heads = [&self.get, &self.preflight];
        if heads.iter().any(|h| passes(h, Credentials::Include)) {
            Access::WithCredentials
        } else if heads.iter().any(|h| passes(h, Credentials::Omit)) {
            Access::WithoutCredentials
        } else {
            Access::Refused
        }
    }
}

/// How far the server lets an origin in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Refused,
    /// It may read answers to requests without cookies.
    WithoutCredentials,
    /// It may read answers to requests made with the visitor's cookies.
    WithCredentials,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Refused => "refused",
            Access::WithoutCredentials => "allowed",
            Access::WithCredentials => "allowed, with credentials",
        }
    }
}

/// Everything the audit learned.
#[derive(Debug, Clone)]
pub struct AuditReport {
    pub url: Url,
    pub probes: Vec<Probe>,
    pub findings: Vec<Finding>,
}

impl AuditReport {
    /// The worst severity found, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// 1 when a finding is medium or worse: what a CI step fails on.
    pub fn exit_code(&self) -> i32 {
        match self.worst() {
            Some(severity) if severity >= Severity::Medium => 1,
            _ => 0,
        }
    }
}

/// Sends every candidate origin to `url` and judges the answers.
pub async fn run(
    client: &Client,
    url: Url,
    candidates: Vec<Candidate>,
) -> Result<AuditReport, NoAnswer> {
    let mut probes = Vec::new();
    for candidate in candidates {
        let origin = ("Origin".to_string(), candidate.origin.clone());
        let get = Sent {
            method: "GET".to_string(),
            url: url.clone(),
            headers: vec![origin.clone()],
            body: None,
        };
        let preflight = Sent {
            method: "OPTIONS".to_string(),
            url: url.clone(),
            headers: vec![
                origin,
                (
                    "Access-Control-Request-Method".to_string(),
                    "GET".to_string(),
                ),
            ],
            body: None,
        };
        probes.push(Probe {
            get: wire::send(client, &get).await?,
            preflight: wire::send(client, &preflight).await?,
            candidate,
        });
    }
    let findings = findings::judge(&probes);
    Ok(AuditReport {
        url,
        probes,
        findings,
    })
}
