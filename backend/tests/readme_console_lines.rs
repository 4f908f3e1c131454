//! The README's symptom table (step 10) quotes only what Chromium prints.
//!
//! A row that names where the lab shows it must quote a reason the browser suite
//! captured from Chromium's console, with the `corsError` DevTools reported for it
//! (`docs/chromium-console.txt`, written and checked by `e2e/tests/lab_page.rs`).
//! A row the lab cannot produce yet must quote the rules crate's wording for its
//! class, with `…` for the value, which `cors-rules/src/browser/tests.rs` pins to
//! what Chromium printed for a server answering that way.

use std::path::Path;

use cors_rules::browser::{CorsError, Failure};

const NOT_YET: &str = "not in the lab yet";
const BLOCKED: &str = "has been blocked by CORS policy: ";

/// One row of the table: (reason quoted, corsError, where to see it).
fn symptom_rows(readme: &str) -> Vec<(String, String, String)> {
    let start = readme
        .find("### 10. Symptoms, causes, fixes")
        .expect("README has step 10");
    let section = &readme[start..];
    let section = &section[..section[4..].find("\n### ").map_or(section.len(), |i| i + 4)];
    section
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
            let unquote = |cell: &str| cell.trim().trim_matches('`').to_string();
            (
                unquote(cells[0]),
                unquote(cells[1]),
                cells[4].trim().to_string(),
            )
        })
        .collect()
}

/// (corsError, reason) of each line the browser suite captured.
fn captured() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/chromium-console.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the browser suite writes it)", path.display()));
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let reason = fields[4]
                .split_once(BLOCKED)
                .map_or("", |(_, reason)| reason);
            (fields[2].to_string(), reason.to_string())
        })
        .collect()
}

#[test]
fn every_console_line_the_readme_quotes_is_one_chromium_printed() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .unwrap();
    let rows = symptom_rows(&readme);
    assert!(rows.len() >= 8, "step 10's table has its rows: {rows:?}");
    let captured = captured();
    for (reason, cors_error, see_it_in) in rows {
        if see_it_in.contains(NOT_YET) {
            let class: CorsError = serde_json::from_str(&format!("\"{cors_error}\""))
                .unwrap_or_else(|_| panic!("README names an unknown corsError {cors_error}"));
            assert_eq!(
                reason,
                Failure::with(class, "…").reason(),
                "README's {cors_error} row must quote the rules crate's wording"
            );
        } else {
            assert!(
                captured.contains(&(cors_error.clone(), reason.clone())),
                "README's row for {see_it_in} quotes `{reason}` ({cors_error}), which the \
                 browser suite never captured from Chromium: {captured:?}"
            );
        }
    }
}
