//! `cors-probe check`: one `fetch()` call, as Chromium runs it.
//!
//! The order is the browser's:
//!
//! 1. decide whether a preflight goes first ([`cors_rules::fetch::predict`]), and why;
//! 2. send the preflight as Chromium does: `Origin`, `Access-Control-Request-Method`,
//!    and `Access-Control-Request-Headers` lower-cased and sorted, with no cookies and
//!    no body; run the preflight checks ([`check_preflight`]) on the answer. A
//!    redirect answering it is a failure, never followed;
//! 3. only if it passed, send the request itself, with `Origin`, and run the CORS
//!    check on its answer ([`check_response`]). Its status does not matter: a
//!    readable 401 is a successful CORS exchange;
//! 4. if that answer is a redirect, the page never sees it: the browser follows it
//!    ([`crate::hops`]). The redirect must pass the CORS check itself, then steps 1
//!    to 3 run again at the new URL, with `Origin: null` after a hop onward from
//!    another origin, for at most 20 redirects. The verdict names the hop that failed.
//!
//! Nothing here decides what CORS allows: the rules crate does, so the probe, the
//! lab and the backend's tests agree by construction.

use cors_rules::browser::{check_preflight, check_response, CorsRequest};
use cors_rules::fetch::redirect::{is_redirect_status, RedirectError};
use cors_rules::fetch::{predict, Note, Prediction};
use cors_rules::{Failure, ResponseHead};
use reqwest::{Client, Url};

use crate::cli::CheckPlan;
use crate::fix::{fix_for, fix_for_tainted, Fix};
use crate::hops::{Hop, Next};
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
    /// How many redirects led here: 0 for the URL the page called.
    pub hop: u8,
    pub sent: Sent,
    pub answer: ResponseHead,
    /// The browser's checks on the answer.
    pub result: Result<(), Failure>,
    /// Where the browser goes next, when the answer is a redirect it follows.
    pub redirect_to: Option<Url>,
}

/// How the call ends.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// The page reads the answer.
    Readable,
    /// Page and API share an origin: CORS does not apply.
    SameOrigin,
    /// The browser blocks it: the failure, Chromium's console line, and the fix. The
    /// last step is where it failed.
    Blocked {
        failure: Failure,
        console_line: String,
        fix: Fix,
    },
    /// The browser refuses to follow the last step's redirect.
    RedirectRefused {
        error: RedirectError,
        location: String,
        /// Chromium's console line, where it prints one.
        console_line: Option<String>,
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
            Verdict::Blocked { .. } | Verdict::RedirectRefused { .. } => 1,
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
    let mut hop = Hop::first(&report.plan.url, &report.plan.request);
    loop {
        match run_hop(client, &mut report, &hop).await {
            Some(next) => hop = next,
            None => return report,
        }
    }
}

/// Sends one hop (its preflight if needed, then the request) and judges the answers.
/// Returns the next hop when the answer is a redirect the browser follows; otherwise
/// sets the verdict.
async fn run_hop(client: &Client, report: &mut CheckReport, hop: &Hop) -> Option<Hop> {
    let page = report.plan.origin.clone();
    let left_page = hop.left_page(&page);
    let origin = hop.origin(&page);
    let prediction = predict(&hop.request, left_page);
    let cors = CorsRequest::from_prediction(&origin, &prediction, hop.request.credentials);
    if prediction.preflight {
        let sent = hop.preflight(&origin, &prediction);
        let answer = match wire::send(client, &sent).await {
            Ok(answer) => answer,
            Err(error) => {
                report.verdict = Verdict::NoAnswer {
                    during: StepKind::Preflight,
                    error,
                };
                return None;
            }
        };
        let result = check_preflight(&cors, &answer);
        report.push(StepKind::Preflight, hop, sent, answer, result.clone());
        if let Err(failure) = result {
            report.verdict = blocked(report, hop, failure);
            return None;
        }
    }
    let sent = hop.request_sent(&origin, &prediction);
    let answer = match wire::send(client, &sent).await {
        Ok(answer) => answer,
        Err(error) => {
            report.verdict = Verdict::NoAnswer {
                during: StepKind::Request,
                error,
            };
            return None;
        }
    };
    let result = if left_page {
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
    if left_page && result.is_err() && is_redirect_status(answer.status) {
        report.hints.push(
            "A redirect must pass the CORS check itself, before the browser follows it: \
             whatever answers with the redirect (a router, a proxy) must send the CORS headers \
             too, or the page should call the URL it leads to."
                .to_string(),
        );
    }
    let next = hop.next(&answer, &page);
    report.push(StepKind::Request, hop, sent, answer, result.clone());
    if let Err(failure) = result {
        report.verdict = blocked(report, hop, failure);
        return None;
    }
    match next {
        Next::Final => {
            report.verdict = if left_page {
                Verdict::Readable
            } else {
                Verdict::SameOrigin
            };
            None
        }
        Next::Refused { error, location } => {
            let console_line = refused_console_line(report, hop, error, &location);
            report.verdict = Verdict::RedirectRefused {
                error,
                location,
                console_line,
            };
            None
        }
        Next::Follow(next) => {
            if let Some(step) = report.steps.last_mut() {
                step.redirect_to = Some(next.url.clone());
            }
            Some(*next)
        }
    }
}

impl CheckReport {
    fn push(
        &mut self,
        kind: StepKind,
        hop: &Hop,
        sent: Sent,
        answer: ResponseHead,
        result: Result<(), Failure>,
    ) {
        self.steps.push(Step {
            kind,
            hop: hop.number,
            sent,
            answer,
            result,
            redirect_to: None,
        });
    }
}

fn blocked(report: &CheckReport, hop: &Hop, failure: Failure) -> Verdict {
    let page = &report.plan.origin;
    let console_line = if hop.number == 0 {
        failure.console_line(hop.url.as_str(), page)
    } else {
        chromium_line(&hop.url, &report.plan.url, page, &failure.reason())
    };
    let fix = if hop.tainted(page) {
        fix_for_tainted()
    } else {
        fix_for(&failure, page, &report.prediction.method)
    };
    Verdict::Blocked {
        failure,
        console_line,
        fix,
    }
}

/// Chromium's console line for a failure at `at` with `reason`. After a redirect it
/// names the URL the page called too, as Chromium's `cors_error_string.cc` does.
fn chromium_line(at: &Url, called: &Url, page: &str, reason: &str) -> String {
    let from = if at == called {
        String::new()
    } else {
        format!("(redirected from '{called}') ")
    };
    format!(
        "Access to fetch at '{at}' {from}from origin '{page}' has been blocked by CORS policy: \
         {reason}"
    )
}

/// Chromium's console line for a redirect it refuses to follow, where it prints one.
fn refused_console_line(
    report: &CheckReport,
    hop: &Hop,
    error: RedirectError,
    location: &str,
) -> Option<String> {
    match error {
        RedirectError::TooManyRedirects => Some(format!(
            "Failed to load resource: {}",
            error.chromium_name()?
        )),
        RedirectError::LocationWithCredentials => Some(chromium_line(
            &hop.url,
            &report.plan.url,
            &report.plan.origin,
            &format!(
                "Redirect location '{location}' contains a username and password, which is \
                 disallowed for cross-origin requests."
            ),
        )),
        RedirectError::InvalidLocation | RedirectError::NotHttp => None,
    }
}
