//! `audit`'s report: what each origin got, then the findings, worst first.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::AuditReport;

/// The report as text.
pub fn text(report: &AuditReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Audit of {}: {} origins, each sent as a GET and as a preflight.",
        report.url,
        report.probes.len()
    );
    for probe in &report.probes {
        let _ = writeln!(
            out,
            "  {:<24} {:<48} {}",
            probe.candidate.kind.as_str(),
            probe.candidate.origin,
            probe.access().as_str()
        );
    }
    out.push('\n');
    if report.findings.is_empty() {
        let _ = writeln!(
            out,
            "No findings: the API trusts only the origins it should."
        );
    }
    for finding in &report.findings {
        let _ = writeln!(
            out,
            "{:<6} {} {}: {}",
            finding.severity.as_str().to_ascii_uppercase(),
            finding.check,
            finding.subject,
            finding.why
        );
    }
    match report.worst() {
        Some(worst) if report.exit_code() != 0 => {
            let _ = writeln!(
                out,
                "\nWorst: {}. Exit 1: fix the findings of medium severity or higher.",
                worst.as_str()
            );
        }
        _ => {}
    }
    out
}

/// The report as one JSON object.
pub fn json(report: &AuditReport) -> Value {
    let probes: Vec<Value> = report
        .probes
        .iter()
        .map(|probe| {
            json!({
                "kind": probe.candidate.kind.as_str(),
                "origin": probe.candidate.origin,
                "imitates": probe.candidate.imitates,
                "access": probe.access().as_str(),
                "get_allow_origin": probe.get.get("access-control-allow-origin"),
                "preflight_allow_origin": probe.preflight.get("access-control-allow-origin"),
            })
        })
        .collect();
    json!({
        "url": report.url.as_str(),
        "probes": probes,
        "findings": report.findings.iter().map(|f| f.to_json()).collect::<Vec<_>>(),
        "worst": report.worst().map(|s| s.as_str()),
        "exit_code": report.exit_code(),
    })
}
