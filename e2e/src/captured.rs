//! The lines each engine printed, kept in `docs/<engine>-console.txt`, which the
//! README check reads: [`check_capture_file`] keeps each file equal to what the
//! suite captured (see `crate::words` for how a step's lines are found).

use std::path::PathBuf;

use crate::devtools::without_lab_run;
use crate::engines::{slug, Engine, Session};
use crate::programs::workspace_root;

/// One captured console line: the card-step (or exhibit) it belongs to, the class
/// the lab gave the step (Chromium's `corsError` and `failedParameter`), the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedLine {
    pub step: String,
    pub cors_error: String,
    pub failed_parameter: String,
    pub line: String,
}

/// `docs/<engine>-console.txt`.
fn capture_file(engine: Engine) -> PathBuf {
    workspace_root().join(format!("docs/{}-console.txt", slug(engine)))
}

const CHROMIUM_HEADER: &str = "\
# What Chromium's console printed for each blocked step of the lab's scenarios
# (e2e/tests/lab_page.rs, under each ENV) and for each exhibit of the gallery
# (e2e/tests/exhibits.rs, section `exhibits`), with the corsError and failedParameter
# DevTools reported. One line per step, tab-separated:
# section, card-step or exhibit, corsError, failedParameter, console line (lab_run
# value elided). The README check (backend/tests/readme_console_lines.rs) reads it.
# Regenerate with CORS_LAB_UPDATE_CAPTURES=1 cargo test -p e2e --test lab_page --test exhibits
";

/// The header of `engine`'s capture file; Chromium's predates the others.
fn header(engine: Engine, version: &str) -> String {
    if engine == Engine::Chromium {
        return CHROMIUM_HEADER.to_string();
    }
    let (name, how) = match engine {
        Engine::Firefox => ("Firefox", "WebDriver BiDi's log.entryAdded"),
        _ => (
            "WebKit",
            "WebKitGTK's stdout (e2e/webkit/console-browser.py)",
        ),
    };
    let slug = slug(engine);
    format!(
        "\
# {name} {version}
# What {name}'s console printed for each blocked step of the lab's scenarios
# (e2e/tests/lab_page.rs, under each ENV) and for each exhibit of the gallery
# (e2e/tests/exhibits.rs, section `exhibits`), read from {how},
# with the class the lab gave the step (Chromium's corsError and failedParameter).
# One line per console line, in the order printed, tab-separated: section,
# card-step or exhibit, corsError, failedParameter, console line (lab_run value
# elided). The README check (backend/tests/readme_console_lines.rs) reads it.
# Regenerate with CORS_LAB_UPDATE_CAPTURES=1 cargo test -p e2e --test lab_page --test exhibits {slug}
"
    )
}

/// The section and step of a row, which order the file; lines of one step keep
/// the order they were printed in.
fn sort_key(row: &str) -> (String, String) {
    let mut fields = row.split('\t');
    let section = fields.next().unwrap_or_default().to_string();
    let step = fields.next().unwrap_or_default().to_string();
    (section, step)
}

/// Compares the lines `session`'s engine printed under `section` (an ENV, or
/// `exhibits`) with its capture file's, or rewrites the file's with
/// `CORS_LAB_UPDATE_CAPTURES=1`. Returns a complaint when they differ.
pub fn check_capture_file(
    session: &Session,
    section: &str,
    captured: &[CapturedLine],
) -> Result<(), String> {
    let engine = session.engine;
    let mut rows: Vec<String> = captured
        .iter()
        .map(|c| {
            format!(
                "{section}\t{}\t{}\t{}\t{}",
                c.step,
                c.cors_error,
                c.failed_parameter,
                without_lab_run(&c.line)
            )
        })
        .collect();
    rows.sort_by_key(|row| sort_key(row));
    let file = capture_file(engine);
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let mine_prefix = format!("{section}\t");
    let rows_of_file = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty());
    let others: Vec<&str> = rows_of_file
        .clone()
        .filter(|line| !line.starts_with(&mine_prefix))
        .collect();
    let mine: Vec<&str> = rows_of_file
        .filter(|line| line.starts_with(&mine_prefix))
        .collect();
    let update = std::env::var("CORS_LAB_UPDATE_CAPTURES").as_deref() == Ok("1");
    // Updating rewrites the header too: it names the engine's version.
    if mine == rows.iter().map(String::as_str).collect::<Vec<_>>() && !update {
        return Ok(());
    }
    if update {
        let mut all: Vec<String> = others.iter().map(|l| l.to_string()).chain(rows).collect();
        all.sort_by_key(|row| sort_key(row));
        let header = header(engine, &session.version);
        std::fs::write(&file, format!("{header}{}\n", all.join("\n"))).unwrap();
        return Ok(());
    }
    Err(format!(
        "docs/{slug}-console.txt does not hold what {engine} printed under {section}:\n  \
         file:     {mine:#?}\n  captured: {rows:#?}\nRun CORS_LAB_UPDATE_CAPTURES=1 \
         cargo test -p e2e --test lab_page --test exhibits {slug} to update it.",
        slug = slug(engine)
    ))
}
