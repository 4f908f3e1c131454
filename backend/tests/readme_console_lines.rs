//! The README's symptom table (step 10) quotes only what Chromium prints.
//!
//! Every quoted line must be one the browser suite captured from Chromium's console,
//! with the `corsError` DevTools reported for it (`docs/chromium-console.txt`, written
//! and checked by `e2e/tests/lab_page.rs` and `e2e/tests/exhibits.rs`). A row that
//! points at an exhibit must quote the very line captured for that exhibit, and every
//! exhibit of the gallery has its row.

use std::path::Path;

use lab_types::exhibits::{self, ExhibitId};

const BLOCKED: &str = "has been blocked by CORS policy: ";

/// One row of the table.
#[derive(Debug)]
struct Row {
    /// The console line as quoted (the reason after "blocked by CORS policy: ", or a
    /// whole network line).
    quoted: String,
    cors_error: String,
    see_it_in: String,
}

/// A line of `docs/chromium-console.txt`.
#[derive(Debug)]
struct Captured {
    section: String,
    step: String,
    cors_error: String,
    /// The reason of a CORS line, or the whole line of a network error.
    quoted: String,
}

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the browser suite writes it)", path.display()))
}

fn symptom_rows(readme: &str) -> Vec<Row> {
    let start = readme
        .find("### 10. Symptoms, causes, fixes")
        .expect("README has step 10");
    let section = &readme[start..];
    let section = &section[..section[4..].find("\n### ").map_or(section.len(), |i| i + 4)];
    section
        .lines()
        // The header row starts with "| ", the separator with "|-".
        .filter(|line| line.starts_with("| "))
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
            let unquote = |cell: &str| cell.trim().trim_matches('`').to_string();
            Row {
                quoted: unquote(cells[0]),
                cors_error: unquote(cells[1]),
                see_it_in: cells[4].trim().to_string(),
            }
        })
        .collect()
}

fn captured() -> Vec<Captured> {
    read("../docs/chromium-console.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let quoted = fields[4]
                .split_once(BLOCKED)
                .map_or(fields[4], |(_, reason)| reason);
            Captured {
                section: fields[0].to_string(),
                step: fields[1].to_string(),
                cors_error: fields[2].to_string(),
                quoted: quoted.to_string(),
            }
        })
        .collect()
}

/// The exhibit a row points at: "exhibit 3 (`two-allow-origins`)".
fn exhibit_of(row: &Row) -> Option<ExhibitId> {
    let (_, rest) = row.see_it_in.split_once("(`")?;
    ExhibitId::from_slug(rest.split_once('`')?.0)
}

#[test]
fn every_console_line_the_readme_quotes_is_one_chromium_printed() {
    let rows = symptom_rows(&read("../README.md"));
    assert!(rows.len() >= 16, "step 10's table has its rows: {rows:?}");
    let captured = captured();
    for row in rows.iter().filter(|row| !row.quoted.starts_with('(')) {
        let matching = |c: &&Captured| c.cors_error == row.cors_error && c.quoted == row.quoted;
        match exhibit_of(row) {
            Some(id) => assert!(
                captured
                    .iter()
                    .filter(|c| c.section == "exhibits" && c.step == id.slug())
                    .any(|c| matching(&c)),
                "README's row for {} quotes `{}` ({}), which is not what the browser suite \
                 captured from Chromium for that exhibit",
                row.see_it_in,
                row.quoted,
                row.cors_error
            ),
            None => assert!(
                captured.iter().any(|c| matching(&c)),
                "README's row for {} quotes `{}` ({}), which the browser suite never captured \
                 from Chromium",
                row.see_it_in,
                row.quoted,
                row.cors_error
            ),
        }
    }
}

#[test]
fn every_exhibit_of_the_gallery_has_its_row_in_step_10() {
    let rows = symptom_rows(&read("../README.md"));
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
