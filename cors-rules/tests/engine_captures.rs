//! Every line the browser suite captured from Firefox's and WebKit's consoles
//! (`docs/firefox-console.txt`, `docs/webkit-console.txt`) is one this crate can
//! print: a filled template of `browser::firefox` or `browser::webkit`. A line no
//! template fills means the engine words something the lab cannot show yet.

use std::path::Path;

use cors_rules::browser::{fills, firefox, webkit, Engine};

/// The console lines of a capture: the last tab-separated field of each line.
fn captured_lines(engine: Engine) -> Vec<String> {
    let name = format!("docs/{}-console.txt", engine.name().to_lowercase());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(&name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{name}: {e} (the browser suite writes it: CORS_LAB_UPDATE_CAPTURES=1 cargo test \
             -p e2e --test lab_page --test exhibits)"
        )
    });
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.rsplit('\t').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn every_line_firefox_printed_fills_one_of_the_crates_firefox_templates() {
    for line in captured_lines(Engine::Firefox) {
        assert!(
            firefox::Message::ALL
                .iter()
                .any(|message| fills(message.template(), &line)),
            "Firefox printed `{line}`, which no template of browser::firefox prints"
        );
    }
}

#[test]
fn every_line_webkit_printed_fills_one_of_the_crates_webkit_templates() {
    for line in captured_lines(Engine::WebKit) {
        assert!(
            webkit::Message::ALL
                .iter()
                .any(|message| fills(message.template(), &line)),
            "WebKit printed `{line}`, which no template of browser::webkit prints"
        );
    }
}
