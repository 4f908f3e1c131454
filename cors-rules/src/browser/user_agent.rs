//! Which engine a browser runs, from its `User-Agent` string.
//!
//! The lab shows the learner the lines of the browser they use. A `User-Agent`
//! names several engines at once, for history's sake ("Mozilla/5.0 … AppleWebKit …
//! (KHTML, like Gecko) Chrome/… Safari/…"), so the order of the questions matters:
//!
//! 1. iOS first: in practice every browser on the iPhone and the iPad runs WebKit,
//!    so Chrome (`CriOS`), Firefox (`FxiOS`) and Edge (`EdgiOS`) there are WebKit
//!    whatever else they claim. Apple allows other engines in the EU and in Japan,
//!    but none of the major browsers has shipped one there.
//! 2. `Firefox/` (and Gecko's `rv:` with `Gecko/`) is Firefox.
//! 3. `Chrome/` or `Chromium/` is Chromium: Edge (`Edg/`), Opera (`OPR/`), Brave and
//!    Samsung Internet carry it too.
//! 4. `AppleWebKit/` without Chrome is WebKit: Safari on the Mac, GNOME Web and
//!    WebKitGTK's `MiniBrowser`.
//!
//! Anything else (a bot, an empty string) counts as Chromium, the engine most
//! learners run; the lab's switch shows the other two anyway.

use super::Engine;

impl Engine {
    /// The engine behind the browser that sent `user_agent`.
    pub fn from_user_agent(user_agent: &str) -> Engine {
        let has = |token: &str| user_agent.contains(token);
        if ["iPhone", "iPad", "iPod"].iter().any(|device| has(device)) {
            Engine::WebKit
        } else if has("Firefox/") || (has("Gecko/") && has("rv:")) {
            Engine::Firefox
        } else if has("Chrome/") || has("Chromium/") {
            Engine::Chromium
        } else if has("AppleWebKit/") {
            Engine::WebKit
        } else {
            Engine::Chromium
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_real_user_agent_names_its_engine() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
                Engine::Chromium,
                "Chrome on Linux",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
                Engine::Chromium,
                "headless Chromium, as the browser suite drives it",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
                Engine::Chromium,
                "Edge on Windows",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/116.0.0.0",
                Engine::Chromium,
                "Opera",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
                Engine::Chromium,
                "Samsung Internet on Android",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0",
                Engine::Firefox,
                "Firefox ESR on Linux",
            ),
            (
                "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
                Engine::Firefox,
                "Firefox on Android",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15",
                Engine::WebKit,
                "Safari on the Mac",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1",
                Engine::WebKit,
                "Safari on the iPhone",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.134 Mobile/15E148 Safari/604.1",
                Engine::WebKit,
                "Chrome on the iPhone is WebKit",
            ),
            (
                "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15",
                Engine::WebKit,
                "Firefox on the iPad is WebKit",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 EdgiOS/131.2903.92 Mobile/15E148 Safari/605.1.15",
                Engine::WebKit,
                "Edge on the iPhone is WebKit",
            ),
            (
                "Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
                Engine::WebKit,
                "WebKitGTK's MiniBrowser",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15 Epiphany/605.1.15",
                Engine::WebKit,
                "GNOME Web",
            ),
            ("curl/8.5.0", Engine::Chromium, "no browser at all: the default"),
            ("", Engine::Chromium, "no User-Agent: the default"),
        ];
        for (user_agent, engine, what) in cases {
            assert_eq!(Engine::from_user_agent(user_agent), engine, "{what}");
        }
    }
}
