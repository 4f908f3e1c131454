//! `check`'s report: both sides of each step, as the lab shows them, then the
//! verdict, Chromium's console line and the fix. Text for people, JSON for scripts.

use std::fmt::Write as _;

use cors_rules::fetch::redirect::is_redirect_status;
use cors_rules::fetch::{Note, Reason};
use serde_json::{json, Value};

use crate::check::{CheckReport, Step, StepKind, Verdict};
use crate::fix::fix_for_redirect;
use crate::wire::{cors_headers, status_line};

/// The report as text.
pub fn text(report: &CheckReport) -> String {
    let plan = &report.plan;
    let p = &report.prediction;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} from origin {} (credentials: {})",
        p.method,
        plan.url,
        plan.origin,
        plan.request.credentials.as_str()
    );
    let _ = writeln!(out, "{}", p.summary());
    for note in &p.notes {
        if !matches!(note, Note::ForbiddenMethod { .. }) {
            let _ = writeln!(out, "  note: {}", note.explain());
        }
    }
    for (number, step) in report.steps.iter().enumerate() {
        write_step(&mut out, number + 1, step);
    }
    out.push('\n');
    match &report.verdict {
        Verdict::Readable => {
            let _ = writeln!(out, "Verdict: readable: the page can read the answer.");
        }
        Verdict::SameOrigin => {
            let _ = writeln!(out, "Verdict: readable: same origin, CORS does not apply.");
        }
        Verdict::Blocked {
            failure,
            console_line,
            fix,
        } => {
            if failure.cors_error.is_preflight() {
                let _ = writeln!(
                    out,
                    "The request itself was not sent: the preflight failed."
                );
            }
            let _ = writeln!(out, "Verdict: blocked: {}", failure.cors_error);
            if let Some(at) = report.steps.last().and_then(where_it_failed) {
                let _ = writeln!(out, "At: {at}");
            }
            let _ = writeln!(out, "Console: {console_line}");
            let _ = writeln!(out, "Why: {}", failure.why());
            if let Some(null) = tainted(report) {
                let _ = writeln!(out, "{null}");
            }
            let _ = writeln!(out, "Fix: {}", fix.config);
            let _ = writeln!(out, "FastAPI: {}", fix.fastapi);
            let _ = writeln!(out, "MDN: {}", failure.cors_error.mdn().url());
        }
        Verdict::RedirectRefused {
            error,
            location,
            console_line,
        } => {
            let hop = report.steps.last().map_or(0, |step| step.hop);
            let name = error.chromium_name().unwrap_or(error.as_str());
            let _ = writeln!(out, "Verdict: blocked: {name}");
            let at = match hop {
                0 => "the first answer's redirect".to_string(),
                hop => format!("the redirect after {}", redirects(hop)),
            };
            let _ = writeln!(
                out,
                "At: {at}, to {location}: the browser does not follow it."
            );
            if let Some(line) = console_line {
                let _ = writeln!(out, "Console: {line}");
            }
            let _ = writeln!(out, "Why: {}.", capitalised(&error.explain()));
            let _ = writeln!(out, "Fix: {}", fix_for_redirect(*error).config);
        }
        Verdict::NoAnswer { during, error } => {
            let _ = writeln!(
                out,
                "Verdict: no answer to the {}: {}",
                during.as_str(),
                error.describe()
            );
        }
        Verdict::Refused { why } => {
            let _ = writeln!(out, "Verdict: nothing sent: {why}");
        }
    }
    for hint in &report.hints {
        let _ = writeln!(out, "Hint: {hint}");
    }
    out
}

/// Where in the chain the last step failed, when a redirect is involved.
fn where_it_failed(step: &Step) -> Option<String> {
    let answer = status_line(step.answer.status);
    let url = &step.sent.url;
    if step.hop > 0 {
        return Some(format!(
            "the {} after {}: {answer} from {url}.",
            step.kind.as_str(),
            redirects(step.hop)
        ));
    }
    // A redirected preflight says so itself: it is never followed.
    let followed = step.kind == StepKind::Request && is_redirect_status(step.answer.status);
    followed.then(|| {
        format!(
            "the redirect itself, {answer} from {url}: the browser checks it before it \
             follows it."
        )
    })
}

/// "1 redirect", "20 redirects".
fn redirects(count: u8) -> String {
    match count {
        1 => "1 redirect".to_string(),
        count => format!("{count} redirects"),
    }
}

/// The `Origin` a step was sent with.
fn origin_sent(step: &Step) -> Option<&str> {
    step.sent
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("origin"))
        .map(|(_, value)| value.as_str())
}

/// Why the last step carried `Origin: null` though the page has a real origin.
fn tainted(report: &CheckReport) -> Option<String> {
    let last = report.steps.last()?;
    let tainted = origin_sent(last) == Some("null") && report.plan.origin != "null";
    tainted.then(|| {
        "Origin: null: the chain went on from another origin to this one, so the browser \
         sent null instead of the page's origin (a tainted origin). Only an answer that \
         allows null can be read there, and allowing null lets any site in."
            .to_string()
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn write_step(out: &mut String, number: usize, step: &Step) {
    let after = match step.hop {
        0 => String::new(),
        hop => format!(", after {}", redirects(hop)),
    };
    let _ = writeln!(out, "\n{number}. {}{after}", step.kind.as_str());
    let target = match step.sent.url.query() {
        Some(query) => format!("{}?{query}", step.sent.url.path()),
        None => step.sent.url.path().to_string(),
    };
    let _ = writeln!(out, "  > {} {target}", step.sent.method);
    for (name, value) in &step.sent.headers {
        let _ = writeln!(out, "  > {name}: {value}");
    }
    let _ = writeln!(out, "  < {}", status_line(step.answer.status));
    let shown = cors_headers(&step.answer);
    if shown.is_empty() {
        let _ = writeln!(out, "  < (no Access-Control-* headers)");
    }
    for (name, value) in shown {
        let _ = writeln!(out, "  < {name}: {value}");
    }
    match &step.result {
        Ok(()) => {
            let _ = writeln!(out, "  passes the browser's checks");
        }
        Err(failure) => {
            let _ = writeln!(out, "  fails: {}", failure.reason());
        }
    }
    if let Some(url) = &step.redirect_to {
        let _ = writeln!(out, "  the browser follows the redirect to {url}");
    }
}

/// The report as one JSON object.
pub fn json(report: &CheckReport) -> Value {
    let p = &report.prediction;
    let steps: Vec<Value> = report.steps.iter().map(step_json).collect();
    let failed_hop = report.steps.last().map_or(0, |step| step.hop);
    let mut object = json!({
        "url": report.plan.url.as_str(),
        "origin": report.plan.origin,
        "method": p.method,
        "credentials": report.plan.request.credentials.as_str(),
        "preflight": p.preflight,
        "preflight_reasons": p.reasons.iter().map(Reason::explain).collect::<Vec<_>>(),
        "notes": p.notes.iter().map(Note::explain).collect::<Vec<_>>(),
        "steps": steps,
        "hints": report.hints,
        "exit_code": report.exit_code(),
    });
    let verdict = match &report.verdict {
        Verdict::Readable | Verdict::SameOrigin => json!({ "verdict": "readable" }),
        Verdict::Blocked {
            failure,
            console_line,
            fix,
        } => json!({
            "verdict": "blocked",
            "failed_hop": failed_hop,
            "cors_error": failure.cors_error.as_str(),
            "failed_parameter": failure.failed_parameter,
            "console_line": console_line,
            "why": failure.why(),
            "tainted_origin": tainted(report),
            "fix": fix.to_json(),
            "mdn": failure.cors_error.mdn().url(),
        }),
        Verdict::RedirectRefused {
            error,
            location,
            console_line,
        } => json!({
            "verdict": "blocked",
            "failed_hop": failed_hop,
            "redirect_error": error.as_str(),
            "chromium": error.chromium_name(),
            "location": location,
            "console_line": console_line,
            "why": error.explain(),
            "fix": fix_for_redirect(*error).to_json(),
        }),
        Verdict::NoAnswer { during, error } => json!({
            "verdict": "network-error",
            "during": during.as_str(),
            "net_error": error.net_error.map(|e| e.as_str()),
            "console_line": error.net_error.map(|e| e.console_line()),
            "cause": error.cause,
        }),
        Verdict::Refused { why } => json!({ "verdict": "not-sent", "why": why }),
    };
    if let (Some(object), Value::Object(verdict)) = (object.as_object_mut(), verdict) {
        object.extend(verdict);
    }
    object
}

fn step_json(step: &Step) -> Value {
    json!({
        "kind": step.kind.as_str(),
        "hop": step.hop,
        "request": {
            "method": step.sent.method,
            "url": step.sent.url.as_str(),
            "headers": step.sent.headers,
        },
        "response": {
            "status": step.answer.status,
            "headers": cors_headers(&step.answer),
        },
        "passed": step.result.is_ok(),
        "reason": step.result.as_ref().err().map(|f| f.reason()),
        "redirect_to": step.redirect_to.as_ref().map(|url| url.as_str()),
    })
}
