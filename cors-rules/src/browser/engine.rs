//! The three browser engines, and what each one says about the same failure.
//!
//! Every browser runs the same CORS checks (the Fetch standard's), but each of the
//! three engines behind today's browsers words a refusal its own way, and learners
//! paste those words into search engines:
//!
//! - the page's `TypeError` differs three ways ([`Engine::fetch_error`]);
//! - the console's lines differ in wording, in number, and sometimes in which check
//!   they blame: WebKit looks at a preflight's status before its
//!   `Access-Control-Allow-Origin`, Chromium and Firefox after
//!   ([`Engine::console_lines`]);
//! - how long a preflight's answer is cached differs too ([`Engine::max_age_cap`]).
//!
//! [`Failure`] is Chromium's classification, this project's referee. The other two
//! engines' lines are derived from it and from the exchange itself ([`Blocked`]),
//! in `firefox.rs` and `webkit.rs`.

use serde::{Deserialize, Serialize};

use super::{CorsRequest, Failure, NetError};
use crate::http::ResponseHead;

/// How long Chromium caches a preflight's answer at most, in seconds, whatever
/// `Access-Control-Max-Age` says.
pub const CHROMIUM_MAX_AGE: u32 = 7_200;
/// Firefox's cap: the longest any browser honours.
pub const FIREFOX_MAX_AGE: u32 = 86_400;
/// WebKit's (Safari's) cap: "short enough to minimize the risk of using a poisoned
/// cache after switching to a secure network", says WebKit's source.
pub const WEBKIT_MAX_AGE: u32 = 600;

/// A browser engine: what a browser's CORS behaviour and wording come from.
///
/// Chrome, Edge, Opera, Brave and Samsung Internet are Chromium; Firefox is Gecko,
/// called Firefox here after the only browser learners meet it in; Safari, GNOME Web
/// and, in practice, every browser on iOS (Chrome for iOS included) are WebKit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Engine {
    Chromium,
    Firefox,
    WebKit,
}

/// A blocked `fetch()`: what the console lines name besides the failed check.
#[derive(Debug, Clone, Copy)]
pub struct Blocked<'a> {
    /// The URL the page fetched, as the console prints it.
    pub url: &'a str,
    /// What the page asked for (its origin, method, headers, credentials mode).
    pub request: &'a CorsRequest,
    /// The answer whose check failed: the preflight's, or the actual response's.
    pub answer: &'a ResponseHead,
}

impl Engine {
    /// The three, in the order the lab lists them.
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    /// The engine's name, e.g. `WebKit`.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "Chromium",
            Engine::Firefox => "Firefox",
            Engine::WebKit => "WebKit",
        }
    }

    /// The message of the `TypeError` a failed `fetch()` rejects with, the same for
    /// a CORS refusal and for a network error: the page may not tell them apart.
    pub fn fetch_error(self) -> &'static str {
        match self {
            Engine::Chromium => "Failed to fetch",
            Engine::Firefox => "NetworkError when attempting to fetch resource.",
            Engine::WebKit => "Load failed",
        }
    }

    /// What the page prints for the error, `String(error)`: e.g.
    /// `TypeError: Load failed`.
    pub fn fetch_error_text(self) -> String {
        format!("TypeError: {}", self.fetch_error())
    }

    /// How long the engine caches a preflight's answer at most, in seconds.
    pub fn max_age_cap(self) -> u32 {
        match self {
            Engine::Chromium => CHROMIUM_MAX_AGE,
            Engine::Firefox => FIREFOX_MAX_AGE,
            Engine::WebKit => WEBKIT_MAX_AGE,
        }
    }

    /// The lines the engine's console prints for `failure`, in order.
    pub fn console_lines(self, failure: &Failure, blocked: &Blocked) -> Vec<String> {
        match self {
            Engine::Chromium => vec![failure.console_line(blocked.url, &blocked.request.origin)],
            Engine::Firefox => super::firefox::console_lines(failure, blocked),
            Engine::WebKit => super::webkit::console_lines(failure, blocked),
        }
    }

    /// The lines the engine's console prints when a cross-origin `fetch()` of `url`
    /// got no answer at all.
    pub fn network_lines(self, error: NetError, url: &str) -> Vec<String> {
        match self {
            Engine::Chromium => vec![error.console_line()],
            Engine::Firefox => super::firefox::network_lines(url),
            Engine::WebKit => super::webkit::network_lines(error, url),
        }
    }
}

/// Whether `line` is `template` (Firefox's or WebKit's, with `%1$S` and `%2$S` for
/// its values) with the values filled in: how a test tells a line an engine printed,
/// or a README quotes, from one no template of this crate can print.
pub fn fills(template: &str, line: &str) -> bool {
    let template = template.replace("%2$S", "%1$S");
    let pieces: Vec<&str> = template.split("%1$S").collect();
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    if pieces.len() == 1 {
        return rest.is_empty();
    }
    for piece in &pieces[1..pieces.len() - 1] {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_engine_rejects_a_failed_fetch_with_its_own_type_error() {
        let cases = [
            (Engine::Chromium, "TypeError: Failed to fetch"),
            (
                Engine::Firefox,
                "TypeError: NetworkError when attempting to fetch resource.",
            ),
            (Engine::WebKit, "TypeError: Load failed"),
        ];
        for (engine, text) in cases {
            assert_eq!(engine.fetch_error_text(), text, "{engine}'s page error");
        }
    }

    #[test]
    fn a_line_fills_a_template_only_with_the_templates_own_words_around_its_values() {
        let cases = [
            (
                "Method %1$S is not allowed by Access-Control-Allow-Methods.",
                "Method PATCH is not allowed by Access-Control-Allow-Methods.",
                true,
            ),
            (
                "Method %1$S is not allowed by Access-Control-Allow-Methods.",
                "Method PATCH is not allowed by Access-Control-Allow-Headers.",
                false,
            ),
            (
                "Origin %1$S is not allowed by Access-Control-Allow-Origin. Status code: %2$S",
                "Origin http://localhost:5173 is not allowed by Access-Control-Allow-Origin. \
                 Status code: 200",
                true,
            ),
            (
                "Access-Control-Allow-Origin cannot contain more than one origin.",
                "Access-Control-Allow-Origin cannot contain more than one origin",
                false,
            ),
            (
                "Access-Control-Allow-Origin cannot contain more than one origin.",
                "Access-Control-Allow-Origin cannot contain more than one origin.",
                true,
            ),
        ];
        for (template, line, expected) in cases {
            assert_eq!(
                fills(template, line),
                expected,
                "`{line}` against `{template}`"
            );
        }
    }

    #[test]
    fn each_engine_caps_a_preflights_max_age_at_its_own_limit() {
        let cases = [
            (Engine::Chromium, 7_200, "two hours"),
            (Engine::Firefox, 86_400, "a day"),
            (Engine::WebKit, 600, "ten minutes"),
        ];
        for (engine, seconds, what) in cases {
            assert_eq!(engine.max_age_cap(), seconds, "{engine} caps at {what}");
        }
    }
}
