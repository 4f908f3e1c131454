//! `cors-probe check`: one `fetch()` call, as Chromium runs it.
//!
//! The order is the browser's:
//!
//! 1. decide whether a preflight goes first ([`cors_rules::fetch::predict`]), and why;
//! 2. send the preflight as Chromium does: `Origin`, `Access-Control-Request-Method`,
//!    and `Access-Control-Request-Headers` lower-cased and sorted, with no cookies and
//!    no body; run the preflight checks ([`check_preflight`]) on the answer;
//! 3. only if it passed, send the request itself, with `Origin`, and run the CORS
//!    check on its answer ([`check_response`]). Its status does not matter: a
//!    readable 401 is a successful CORS exchange.
//!
//! Nothing here decides what CORS allows: the rules crate does, so the probe, the
//! lab and the backend's tests agree by construction.

use cors_rules::browser::{check_preflight, check_response, CorsRequest};
use cors_rules::fetch::{predict, Note, Prediction};
use cors_rules::{Failure, ResponseHead};
use reqwest::Client;

use crate::cli::CheckPlan;
use crate::fix::{fix_for, Fix};
use crate::wire::{self, NoAnswer, Sent};

/// Which of the two requests a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Preflight,
    Request,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Preflight => "preflight",
            StepKind::Request => "request",
        }
    }
}

/// One request sent and what came back.
#[derive(Debug, Clone)]
pub struct Step {
    pub kind: StepKind,
    pub sent: Sent,
    pub answer: ResponseHead,
    /// The browser's checks on the answer.
    pub result: Result<(), Failure>,
}

/// How the call ends.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// The page reads the answer.
    Readable,
    /// Page and API share an origin: CORS does not apply.
    SameOrigin,
    /// The browser blocks it: the failure, Chromium's console line, and the fix.
    Blocked {
        failure: Failure,
        console_line: String,
        fix: Fix,
    },
    /// No answer to check.
    NoAnswer { during: StepKind, error: NoAnswer },
    /// `fetch()` throws before sending anything.
    Refused { why: String },
}

/// Everything `check` learned, for the text and JSON reports.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub plan: CheckPlan,
    pub prediction: Prediction,
    pub steps: Vec<Step>,
    pub verdict: Verdict,
    /// Remarks that help read the verdict (e.g. a 5xx behind a missing header).
    pub hints: Vec<String>,
}

impl CheckReport {
    /// 0 readable, 1 blocked, 2 no answer (or nothing could be sent).
    pub fn exit_code(&self) -> i32 {
        match self.verdict {
            Verdict::Readable | Verdict::SameOrigin => 0,
            Verdict::Blocked { .. } => 1,
            Verdict::NoAnswer { .. } | Verdict::Refused { .. } => 2,
        }
    }
}

/// Runs the check of `plan` against the real server.
pub async fn run(client: &Client, plan: CheckPlan) -> CheckReport {
    let cross_origin = plan.url.origin().ascii_serialization() != plan.origin;
    let prediction = predict(&plan.request, cross_origin);
    let mut report = CheckReport {
        prediction: prediction.clone(),
        steps: Vec::new(),
        verdict: Verdict::Readable,
        hints: Vec::new(),
        plan,
    };
    if let Some(method) = prediction.notes.iter().find_map(|note| match note {
        Note::ForbiddenMethod { method } => Some(method.clone()),
        _ => None,
    }) {
        report.verdict = Verdict::Refused {
            why: format!("{method} is a forbidden method: fetch() throws without sending anything"),
        };
        return report;
    }
    let cors = CorsRequest::from_prediction(
        &report.plan.origin,
        &prediction,
        report.plan.request.credentials,
    );
    if prediction.preflight {
        let sent = preflight_request(&report.plan, &prediction);
        match wire::send(client, &sent).await {
            Err(error) => {
                report.verdict = Verdict::NoAnswer {
                    during: StepKind::Preflight,
                    error,
                };
                return report;
            }
            Ok(answer) => {
                let result = check_preflight(&cors, &answer);
                report.steps.push(Step {
                    kind: StepKind::Preflight,
                    sent,
                    answer,
                    result: result.clone(),
                });
                if let Err(failure) = result {
                    report.verdict = blocked(&report, failure);
                    return report;
                }
            }
        }
    }
    let sent = actual_request(&report.plan, &prediction);
    match wire::send(client, &sent).await {
        Err(error) => {
            report.verdict = Verdict::NoAnswer {
                during: StepKind::Request,
                error,
            };
        }
        Ok(answer) => {
            let result = if cross_origin {
                check_response(&cors, &answer)
            } else {
                Ok(())
            };
            if answer.status >= 500 && !answer.has_cors_headers() {
                report.hints.push(format!(
                    "The answer was {} with no CORS headers: an error page that skips the CORS \
                     layer looks exactly like a missing policy. Fix the error first.",
                    answer.status
                ));
            }
            report.steps.push(Step {
                kind: StepKind::Request,
                sent,
                answer,
                result: result.clone(),
            });
            report.verdict = match result {
                Err(failure) => blocked(&report, failure),
                Ok(()) if !cross_origin => Verdict::SameOrigin,
                Ok(()) => Verdict::Readable,
            };
        }
    }
    report
}

fn blocked(report: &CheckReport, failure: Failure) -> Verdict {
    let console_line = failure.console_line(report.plan.url.as_str(), &report.plan.origin);
    let fix = fix_for(&failure, &report.plan.origin, &report.prediction.method);
    Verdict::Blocked {
        failure,
        console_line,
        fix,
    }
}

/// The preflight as Chromium sends it: no cookies, no body, no page headers.
fn preflight_request(plan: &CheckPlan, prediction: &Prediction) -> Sent {
    let mut headers = vec![
        ("Accept".to_string(), "*/*".to_string()),
        ("Origin".to_string(), plan.origin.clone()),
        (
            "Access-Control-Request-Method".to_string(),
            prediction.method.clone(),
        ),
    ];
    if !prediction.request_headers.is_empty() {
        headers.push((
            "Access-Control-Request-Headers".to_string(),
            prediction.request_headers_value(),
        ));
    }
    Sent {
        method: "OPTIONS".to_string(),
        url: plan.url.clone(),
        headers,
        body: None,
    }
}

/// The request itself: the page's headers (minus the forbidden ones the browser
/// drops), `Origin`, and the body with the Content-Type fetch() gives it.
fn actual_request(plan: &CheckPlan, prediction: &Prediction) -> Sent {
    let dropped: Vec<&str> = prediction
        .notes
        .iter()
        .filter_map(|note| match note {
            Note::ForbiddenHeaderDropped { name } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let mut headers: Vec<(String, String)> = plan
        .request
        .headers
        .iter()
        .filter(|(name, _)| !dropped.contains(&name.as_str()))
        .cloned()
        .collect();
    if prediction.notes.contains(&Note::DefaultTextContentType) {
        headers.push((
            "Content-Type".to_string(),
            "text/plain;charset=UTF-8".to_string(),
        ));
    }
    // Browsers send Origin on every cross-origin request, and on any non-GET/HEAD.
    if prediction.cross_origin || !matches!(prediction.method.as_str(), "GET" | "HEAD") {
        headers.insert(0, ("Origin".to_string(), plan.origin.clone()));
    }
    Sent {
        method: prediction.method.clone(),
        url: plan.url.clone(),
        headers,
        body: plan.request.body.clone(),
    }
}
