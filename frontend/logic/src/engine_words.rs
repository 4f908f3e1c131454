//! A diagnosis in the words of each browser engine.
//!
//! The diagnosis classifies a failure as Chromium does, and prints Chromium's line.
//! The learner may run Firefox or Safari, whose consoles word the same failure
//! otherwise, and whose page sees another `TypeError`. The card shows the lines of
//! the engine the page runs in ([`Engine::from_user_agent`]), and a switch shows
//! the other two: all from the templates of `cors_rules::browser`, filled here with
//! the run's URL, request and answer.

use cors_rules::browser::{Blocked, Engine};
use cors_rules::{CorsRequest, ResponseHead};

use crate::diagnosis::Diagnosis;

/// What a run's console lines name, kept with its diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scene {
    /// The URL the page fetched.
    pub url: String,
    /// What the page asked for and the answer whose check failed; `None` when no
    /// answer arrived.
    pub checked: Option<(CorsRequest, ResponseHead)>,
}

impl Scene {
    /// A run whose answer failed a check.
    pub fn checked(url: &str, request: CorsRequest, answer: ResponseHead) -> Scene {
        Scene {
            url: url.to_string(),
            checked: Some((request, answer)),
        }
    }

    /// A run that got no answer.
    pub fn unanswered(url: &str) -> Scene {
        Scene {
            url: url.to_string(),
            checked: None,
        }
    }
}

/// What one engine shows for a failed run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineWords {
    pub engine: Engine,
    /// The console's lines, in order.
    pub console_lines: Vec<String>,
    /// What the page prints for the rejected `fetch()`, e.g. `TypeError: Load failed`.
    pub page_error: String,
}

/// What `engine` shows for the run `diagnosis` explains; `None` when the engine's
/// console has nothing to say (the page read the answer, or nothing was recorded).
pub fn engine_words(diagnosis: &Diagnosis, engine: Engine) -> Option<EngineWords> {
    let scene = diagnosis.scene.as_ref()?;
    let console_lines = match (&diagnosis.failure, diagnosis.net_error, &scene.checked) {
        (Some(failure), _, Some((request, answer))) => {
            let blocked = Blocked {
                url: &scene.url,
                request,
                answer,
            };
            engine.console_lines(failure, &blocked)
        }
        (None, Some(net), _) => engine.network_lines(net, &scene.url),
        _ => return None,
    };
    Some(EngineWords {
        engine,
        console_lines,
        page_error: engine.fetch_error_text(),
    })
}

#[cfg(test)]
mod tests;
