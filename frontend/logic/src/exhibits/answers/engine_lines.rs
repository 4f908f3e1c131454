//! Each exhibit's mistake in Firefox's and WebKit's words: the lines the lab shows
//! for it ([`engine_words`]) are the lines the browser suite captured from each
//! engine's console for that exhibit (`docs/firefox-console.txt`,
//! `docs/webkit-console.txt`).

use std::collections::HashMap;
use std::path::Path;

use cors_rules::browser::Engine;
use lab_types::exhibits::all;

use super::{page_saw, recorded, API, LAB};
use crate::diagnose;
use crate::engine_words::engine_words;
use crate::exhibits::origin_for;
use crate::runs::tag_path;

/// The capture's `exhibits` section: each exhibit's console lines, in order.
fn captured(engine: Engine) -> HashMap<String, Vec<String>> {
    let name = format!("docs/{}-console.txt", engine.name().to_lowercase());
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(&name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{name}: {e} (the browser suite writes it, CORS_LAB_UPDATE_CAPTURES=1)")
    });
    let mut lines: HashMap<String, Vec<String>> = HashMap::new();
    for line in text.lines().filter(|line| line.starts_with("exhibits\t")) {
        let fields: Vec<&str> = line.split('\t').collect();
        let console_line = fields[fields.len() - 1].to_string();
        lines
            .entry(fields[1].to_string())
            .or_default()
            .push(console_line);
    }
    lines
}

#[test]
fn each_exhibit_shows_the_lines_firefox_and_webkit_printed_for_it() {
    for engine in [Engine::Firefox, Engine::WebKit] {
        let captured = captured(engine);
        for exhibit in all() {
            let what = format!("exhibit {} ({}) in {engine}", exhibit.number(), exhibit.id);
            let page = page_saw(&exhibit, engine.fetch_error_text());
            let origin = origin_for(exhibit.sent_from, LAB);
            let url = format!("{API}{}", tag_path(&exhibit.request.url, "t-1"));
            let diagnosis = diagnose(
                &page,
                &recorded(&exhibit),
                &origin,
                exhibit.request.credentials,
                &url,
            );
            let shown: Vec<String> = engine_words(&diagnosis, engine)
                .map(|words| words.console_lines)
                .unwrap_or_default()
                .iter()
                // The capture elides the run's tag.
                .map(|line| line.replace("lab_run=t-1", "lab_run=…"))
                .collect();
            let printed = captured.get(exhibit.id.slug()).cloned().unwrap_or_default();
            assert_eq!(shown, printed, "{what}");
        }
    }
}
