//! The README's symptom table (step 10) quotes what each engine prints.
//!
//! - Every quoted Chromium line must be one the browser suite captured from
//!   Chromium's console, with the `corsError` DevTools reported for it
//!   (`docs/chromium-console.txt`, written and checked by `e2e/tests/lab_page.rs`
//!   and `e2e/tests/exhibits.rs`). A row that points at an exhibit must quote the
//!   very line captured for that exhibit, and every exhibit of the gallery has its
//!   row.
//! - Every quoted Firefox and WebKit line must be one the rules crate can print (a
//!   filled template of `cors_rules::browser::firefox` or `::webkit`) and, where the
//!   browser suite captured that engine's console (`docs/firefox-console.txt`,
//!   `docs/webkit-console.txt`), the very line it captured for that row.
//! - The sentence above the table names each engine's `TypeError`, as the crate has it.

use std::path::{Path, PathBuf};

use cors_rules::browser::{fills, firefox, webkit, Engine};
use lab_types::exhibits::{self, ExhibitId};

const BLOCKED: &str = "has been blocked by CORS policy: ";
/// Where a Firefox cell starts quoting: the line before it names the URL.
const FIREFOX_REASON: &str = "(Reason: ";

/// One row of the table.
#[derive(Debug)]
struct Row {
    /// The console line as quoted (the reason after "blocked by CORS policy: ", or a
    /// whole network line).
    quoted: String,
    cors_error: String,
    /// Firefox's lines, each from "(Reason: " on.
    firefox: Vec<String>,
    /// WebKit's reason line (before its "Fetch API cannot load <URL> …" line).
    webkit: Vec<String>,
    see_it_in: String,
}

/// A line of a capture file (`docs/<engine>-console.txt`).
#[derive(Debug)]
struct Captured {
    section: String,
    step: String,
    cors_error: String,
    /// The reason of a Chromium CORS line, or the whole line.
    quoted: String,
}

fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn read(relative: &str) -> String {
    let path = path(relative);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the browser suite writes it)", path.display()))
}

fn step_10(readme: &str) -> &str {
    let start = readme
        .find("## 10. Symptoms, causes, fixes")
        .expect("the walkthrough has step 10");
    let section = &readme[start..];
    &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)]
}

/// The quoted lines of a cell: `` `one`<br>`two` ``; none for "(…)".
fn lines_of(cell: &str) -> Vec<String> {
    let cell = cell.trim();
    if cell.starts_with('(') {
        return Vec::new();
    }
    cell.split("<br>")
        .map(|line| line.trim().trim_matches('`').to_string())
        .collect()
}

fn symptom_rows(readme: &str) -> Vec<Row> {
    step_10(readme)
        .lines()
        // The header row starts with "| ", the separator with "|-".
        .filter(|line| line.starts_with("| "))
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
            assert_eq!(cells.len(), 7, "step 10's rows have seven cells: {line}");
            let unquote = |cell: &str| cell.trim().trim_matches('`').to_string();
            Row {
                quoted: unquote(cells[0]),
                cors_error: unquote(cells[1]),
                firefox: lines_of(cells[2]),
                webkit: lines_of(cells[3]),
                see_it_in: cells[6].trim().to_string(),
            }
        })
        .collect()
}

/// The capture of `engine`'s console, if the browser suite wrote one: one line per
/// console line, tab-separated: section, card-step (or exhibit), Chromium's
/// `corsError`, its `failedParameter`, and the console line last.
fn captured(engine: Engine) -> Option<Vec<Captured>> {
    let relative = format!("../docs/{}-console.txt", engine.name().to_lowercase());
    if engine != Engine::Chromium && !path(&relative).exists() {
        return None;
    }
    let lines = read(&relative)
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let whole = fields[fields.len() - 1];
            let quoted = match engine {
                Engine::Chromium => whole.split_once(BLOCKED).map_or(whole, |(_, r)| r),
                Engine::Firefox => whole.find(FIREFOX_REASON).map_or(whole, |at| &whole[at..]),
                Engine::WebKit => whole,
            };
            Captured {
                section: fields[0].to_string(),
                step: fields[1].to_string(),
                cors_error: fields.get(2).copied().unwrap_or_default().to_string(),
                quoted: quoted.to_string(),
            }
        })
        .collect();
    Some(lines)
}

/// The exhibit a row points at: "exhibit 3 (`two-allow-origins`)".
fn exhibit_of(row: &Row) -> Option<ExhibitId> {
    let (_, rest) = row.see_it_in.split_once("(`")?;
    ExhibitId::from_slug(rest.split_once('`')?.0)
}

/// Whether the rules crate can print `line` in `engine`'s console.
fn crate_prints(engine: Engine, line: &str) -> bool {
    match engine {
        Engine::Firefox => firefox::Message::ALL.iter().any(|message| {
            let template = message.template();
            template
                .find(FIREFOX_REASON)
                .is_some_and(|at| fills(&template[at..], line))
        }),
        Engine::WebKit => webkit::Message::ALL
            .iter()
            .any(|message| fills(message.template(), line)),
        Engine::Chromium => unreachable!("Chromium's lines are checked against its capture"),
    }
}

/// Whether `capture` has `line` for the row: for its exhibit if it names one, else
/// anywhere (a scenario's row names no single step).
fn captured_for(capture: &[Captured], row: &Row, line: &str, cors_error: Option<&str>) -> bool {
    capture
        .iter()
        .filter(|c| match exhibit_of(row) {
            Some(id) => c.section == "exhibits" && c.step == id.slug(),
            None => true,
        })
        .any(|c| c.quoted == line && cors_error.is_none_or(|e| c.cors_error == e))
}

#[test]
fn every_console_line_the_readme_quotes_is_one_chromium_printed() {
    let rows = symptom_rows(&read("../docs/walkthrough.md"));
    assert!(rows.len() >= 16, "step 10's table has its rows: {rows:?}");
    let capture = captured(Engine::Chromium).expect("Chromium's capture");
    for row in rows.iter().filter(|row| !row.quoted.starts_with('(')) {
        assert!(
            captured_for(&capture, row, &row.quoted, Some(&row.cors_error)),
            "README's row for {} quotes `{}` ({}), which is not what the browser suite \
             captured from Chromium for it",
            row.see_it_in,
            row.quoted,
            row.cors_error
        );
    }
}

#[test]
fn every_firefox_and_webkit_line_the_readme_quotes_is_the_crates_and_the_engines() {
    let rows = symptom_rows(&read("../docs/walkthrough.md"));
    for engine in [Engine::Firefox, Engine::WebKit] {
        let capture = captured(engine);
        for row in &rows {
            let lines = match engine {
                Engine::Firefox => &row.firefox,
                _ => &row.webkit,
            };
            // Firefox prints a line wherever Chromium does; WebKit prints nothing for
            // a network error.
            let chromium_prints = !row.quoted.starts_with('(');
            let network_error = row.quoted.starts_with("Failed to load resource");
            let prints = match engine {
                Engine::WebKit => chromium_prints && !network_error,
                _ => chromium_prints,
            };
            assert_eq!(
                !lines.is_empty(),
                prints,
                "README's row for {} quotes {engine}'s console where {engine} prints \
                 something, and only there",
                row.see_it_in
            );
            for line in lines {
                assert!(
                    crate_prints(engine, line),
                    "README's row for {} quotes `{line}` for {engine}: no template of the \
                     rules crate prints it",
                    row.see_it_in
                );
                if let Some(capture) = &capture {
                    assert!(
                        captured_for(capture, row, line, None),
                        "README's row for {} quotes `{line}` for {engine}, which the browser \
                         suite never captured from {engine} for it",
                        row.see_it_in
                    );
                }
            }
        }
    }
}

#[test]
fn the_sentence_above_the_table_names_each_engines_type_error() {
    let readme = read("../docs/walkthrough.md");
    let intro = step_10(&readme)
        .split("\n| ")
        .next()
        .expect("step 10 starts with prose");
    for engine in Engine::ALL {
        assert!(
            intro.contains(&format!("`{}`", engine.fetch_error_text())),
            "step 10 names {engine}'s page error `{}`",
            engine.fetch_error_text()
        );
    }
}

#[test]
fn every_exhibit_of_the_gallery_has_its_row_in_step_10() {
    let rows = symptom_rows(&read("../docs/walkthrough.md"));
    for exhibit in exhibits::all() {
        let row = rows
            .iter()
            .find(|row| exhibit_of(row) == Some(exhibit.id))
            .unwrap_or_else(|| {
                panic!(
                    "step 10 has no row for exhibit {} (`{}`): add one that ends \
                     \"exhibit {} (`{}`)\"",
                    exhibit.number(),
                    exhibit.id,
                    exhibit.number(),
                    exhibit.id
                )
            });
        assert!(
            row.see_it_in
                .starts_with(&format!("exhibit {} ", exhibit.number())),
            "the row for `{}` names its number {}: {}",
            exhibit.id,
            exhibit.number(),
            row.see_it_in
        );
    }
}
