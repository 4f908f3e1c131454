//! Broken on purpose: what an exhibit card decides.
//!
//! The catalogue (`lab_types::exhibits`) says what each misconfigured endpoint is
//! meant to show. The card never repeats that claim as a result: it runs the
//! request, reads what the server recorded, and lets [`crate::diagnose`] compute the
//! outcome and the console line from those headers. This module holds the card's
//! words around that: where the request comes from, the section's state, the claim
//! compared with the result, why the browser refused, and the attacker's page.

use lab_types::exhibits::{Exhibit, ExhibitId, ExhibitsStatus, SentFrom, Shows};

use crate::{Credentials, Diagnosis, Verdict};

/// The origin a sandboxed frame's requests carry.
pub const NULL_ORIGIN: &str = "null";

/// The origin the exhibit's request is sent from: the lab's, or `null` from the
/// sandboxed frame. The console line and the checks use it.
pub fn origin_for(sent_from: SentFrom, lab_origin: &str) -> String {
    match sent_from {
        SentFrom::Lab => lab_origin.to_string(),
        SentFrom::SandboxedFrame => NULL_ORIGIN.to_string(),
    }
}

/// Who sends the request, in the card's words.
pub fn sent_from_label(sent_from: SentFrom) -> &'static str {
    match sent_from {
        SentFrom::Lab => "Sent by this page.",
        SentFrom::SandboxedFrame => {
            "Sent by a sandboxed iframe inside this page (sandbox=\"allow-scripts\", no \
             allow-same-origin): its origin is opaque, so the request says Origin: null."
        }
    }
}

/// `data-state`: `idle`, `running` or `done`.
pub fn card_state(running: bool, has_result: bool) -> &'static str {
    if running {
        "running"
    } else if has_result {
        "done"
    } else {
        "idle"
    }
}

/// `data-outcome`: the verdict's label once there is a result, else `none`.
pub fn outcome_label(diagnosis: Option<&Diagnosis>) -> &'static str {
    diagnosis.map_or("none", |d| d.verdict.label())
}

/// Whether the backend serves the exhibits, from `GET /lab/exhibits`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    /// Still asking.
    Loading,
    /// `/lab/exhibits` could not be read: the reason.
    Unreachable(String),
    /// `[exhibits] enabled = false`.
    Disabled,
    Enabled,
}

impl Availability {
    /// From the state of the `/lab/exhibits` request (`None` while it runs).
    pub fn of(status: Option<&Result<ExhibitsStatus, String>>) -> Availability {
        match status {
            None => Availability::Loading,
            Some(Err(error)) => Availability::Unreachable(error.clone()),
            Some(Ok(ExhibitsStatus { enabled: false })) => Availability::Disabled,
            Some(Ok(ExhibitsStatus { enabled: true })) => Availability::Enabled,
        }
    }

    /// Only an enabled gallery gets Run buttons.
    pub fn can_run(&self) -> bool {
        *self == Availability::Enabled
    }

    /// What the section says instead of running, if anything.
    pub fn explanation(&self, api: &str) -> Option<String> {
        match self {
            Availability::Enabled => None,
            Availability::Loading => Some(format!(
                "Asking {api}/lab/exhibits whether the backend serves the exhibits…"
            )),
            Availability::Unreachable(error) => Some(format!(
                "The backend cannot be reached: reading {api}/lab/exhibits failed ({error}). \
                 It may be down, or its instruments may be off: ENV=production turns /lab off \
                 unless lab.enabled = true. The exhibits are listed below; they can run once \
                 the backend serves them."
            )),
            Availability::Disabled => Some(
                "The backend does not serve the exhibits: [exhibits] enabled = false, as under \
                 ENV=production. Turn them on with APP__EXHIBITS__ENABLED=true (e.g. \
                 ENV=production APP__EXHIBITS__ENABLED=true cargo run -p backend); they are \
                 listed below without Run buttons."
                    .to_string(),
            ),
        }
    }
}

/// The catalogue's claim, in the words [`observed`] uses for a result.
pub fn claim(shows: Shows) -> String {
    match shows {
        Shows::Blocked(error) => format!("blocked ({error})"),
        Shows::Readable => "readable".to_string(),
        Shows::NetworkError(net) => format!("a network error ({net})"),
    }
}

/// What the recorded exchanges show, in the words of [`claim`].
pub fn observed(diagnosis: &Diagnosis) -> String {
    match (diagnosis.verdict, &diagnosis.failure, diagnosis.net_error) {
        (Verdict::Blocked, Some(failure), _) => format!("blocked ({})", failure.cors_error),
        (Verdict::Blocked, None, _) => "blocked, for a reason the recorder does not show".into(),
        (Verdict::NetworkError, _, Some(net)) => format!("a network error ({net})"),
        (Verdict::NetworkError, _, None) => "a network error".into(),
        (Verdict::Allowed, ..) => "readable".into(),
        (Verdict::NotSent, ..) => "not reached".into(),
    }
}

/// Whether the result is what the catalogue claims, and the card's sentence.
pub fn comparison(shows: Shows, diagnosis: &Diagnosis) -> (bool, String) {
    let same = match shows {
        Shows::Blocked(error) => diagnosis.failure.as_ref().map(|f| f.cors_error) == Some(error),
        Shows::Readable => diagnosis.verdict == Verdict::Allowed,
        Shows::NetworkError(net) => diagnosis.net_error == Some(net),
    };
    let sentence = if same {
        format!("✓ as the catalogue says: {}", claim(shows))
    } else {
        format!(
            "⚠ the catalogue says {}, the recorded exchange says {}: worth a closer look",
            claim(shows),
            observed(diagnosis)
        )
    };
    (same, sentence)
}

/// Why the browser refuses (or, for a readable exhibit, why nothing is refused).
pub fn why(exhibit: &Exhibit, diagnosis: &Diagnosis, origin: &str) -> String {
    if let Some(why) = diagnosis.why() {
        return why;
    }
    match diagnosis.verdict {
        Verdict::Allowed => {
            let credentials = match exhibit.request.credentials {
                Credentials::Include => " with credentials",
                _ => "",
            };
            format!(
                "Nothing is refused: the answer allowed the origin {origin}{credentials}, so \
                 every check passed and the page read it. The mistake above is why a page on \
                 any other origin passes them too."
            )
        }
        _ => diagnosis.headline.clone(),
    }
}

/// The note on the exhibit an attacker's page exploits: words, and the link to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttackerNote {
    pub text: String,
    /// The attacker's page, when `/config.json` names it.
    pub link: Option<String>,
}

/// The attacker's page reads a logged-in user's whoami through the exhibit that
/// reflects any origin. `attacker_url` is `/config.json`'s, if it has one.
pub fn attacker_note(id: ExhibitId, attacker_url: Option<&str>) -> Option<AttackerNote> {
    if id != ExhibitId::ReflectAnyOrigin {
        return None;
    }
    let link = attacker_url
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .map(String::from);
    let text = match &link {
        Some(url) => format!(
            "See it exploited: the attacker's page on another origin ({url}) reads your \
             logged-in whoami from this exhibit. Log in first with scenario 5 (Credentials), \
             then open it."
        ),
        None => "An attacker's page on any other origin reads your logged-in whoami from this \
                 exhibit (log in first with scenario 5). This lab's /config.json names no \
                 attacker_url to link to."
            .to_string(),
    };
    Some(AttackerNote { text, link })
}

#[cfg(test)]
mod answers;

#[cfg(test)]
mod tests;
