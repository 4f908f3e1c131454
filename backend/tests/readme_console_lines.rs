//! The walkthrough's step "Symptoms, causes, fixes" (`docs/walkthrough.md`) quotes
//! what each engine prints. This keeps every quote true.
//!
//! The step has one table, a row per cause, that quotes Chromium's line. Below it,
//! three folded tables (`<details>`) give Chromium's `corsError`, Firefox's lines and
//! WebKit's lines. Each of their rows starts with the "See it in" cell of the row it
//! belongs to: that cell is the *key*.
//!
//! - Every quoted Chromium line is one the browser suite captured from Chromium's
//!   console, with the `corsError` DevTools reported, for each scenario and exhibit
//!   its row names (`docs/chromium-console.txt`, written by `e2e/tests/lab_page.rs`
//!   and `e2e/tests/exhibits.rs`).
//! - Every quoted Firefox and WebKit line is a filled template of
//!   `cors_rules::browser::firefox` or `::webkit`. Where the browser suite captured
//!   that engine (`docs/firefox-console.txt`, `docs/webkit-console.txt`), it is also
//!   the very line captured for each scenario and exhibit its row names.
//! - Every exhibit of the gallery has its row, and the row names its number.
//! - The sentence above the table names each engine's `TypeError`.
//! - The table keeps four columns, and the other engines' tables stay folded.

mod symptoms;

use cors_rules::browser::Engine;
use lab_types::exhibits::{self, ExhibitId};
use symptoms::*;

#[test]
fn every_chromium_line_the_walkthrough_quotes_is_one_chromium_printed_there() {
    let rows = symptom_rows();
    assert!(
        rows.len() >= 16,
        "the symptoms table has its rows: {rows:?}"
    );
    let capture = captured(Engine::Chromium).expect("Chromium's capture");
    for row in &rows {
        let Some(line) = &row.chromium else { continue };
        for &place in &row.places {
            assert!(
                captured_at(&capture, place, line, Some(&row.cors_error)),
                "the walkthrough's row \"{}\" quotes `{line}` ({}), which is not what the \
                 browser suite captured from Chromium for {place}",
                row.see_it_in,
                row.cors_error
            );
        }
    }
}

#[test]
fn every_firefox_and_webkit_line_the_walkthrough_quotes_is_the_crates_and_the_engines() {
    let rows = symptom_rows();
    for engine in [Engine::Firefox, Engine::WebKit] {
        let capture = captured(engine);
        for row in &rows {
            let lines = match engine {
                Engine::Firefox => &row.firefox,
                _ => &row.webkit,
            };
            // Firefox prints a line wherever Chromium does; WebKit prints nothing for
            // a network error.
            let network_error = row
                .chromium
                .as_ref()
                .is_some_and(|l| l.starts_with("Failed to load resource"));
            let prints = row.chromium.is_some() && !(engine == Engine::WebKit && network_error);
            assert_eq!(
                !lines.is_empty(),
                prints,
                "the walkthrough's row \"{}\" quotes {engine}'s console where {engine} \
                 prints something, and only there",
                row.see_it_in
            );
            for line in lines {
                assert!(
                    crate_prints(engine, line),
                    "the walkthrough's row \"{}\" quotes `{line}` for {engine}: no template \
                     of the rules crate prints it",
                    row.see_it_in
                );
                let Some(capture) = &capture else { continue };
                for &place in &row.places {
                    assert!(
                        captured_at(capture, place, line, None),
                        "the walkthrough's row \"{}\" quotes `{line}` for {engine}, which the \
                         browser suite never captured from {engine} for {place}",
                        row.see_it_in
                    );
                }
            }
        }
    }
}

#[test]
fn every_exhibit_of_the_gallery_has_its_row_with_its_number() {
    let rows = symptom_rows();
    for exhibit in exhibits::all() {
        let number = rows
            .iter()
            .flat_map(|row| &row.places)
            .find_map(|place| match place {
                Place::Exhibit(n, id) if *id == exhibit.id => Some(*n),
                _ => None,
            })
            .unwrap_or_else(|| {
                panic!(
                    "the walkthrough's symptoms table has no row for exhibit {0} (`{1}`): \
                     add one that ends \"exhibit {0} (`{1}`)\"",
                    exhibit.number(),
                    exhibit.id
                )
            });
        assert_eq!(
            number,
            exhibit.number(),
            "the walkthrough's row for `{}` names its number",
            exhibit.id
        );
    }
}

#[test]
fn the_sentence_above_the_table_names_each_engines_type_error() {
    let page = read(PAGE);
    let intro = symptoms_step(&page)
        .split("\n| ")
        .next()
        .expect("the step starts with prose");
    for engine in Engine::ALL {
        assert!(
            intro.contains(&format!("`{}`", engine.fetch_error_text())),
            "the walkthrough's symptoms step names {engine}'s page error `{}`",
            engine.fetch_error_text()
        );
    }
}

#[test]
fn the_table_keeps_four_columns_and_the_other_engines_stay_folded() {
    let page = read(PAGE);
    let tables = tables(symptoms_step(&page));
    assert!(
        !table(&tables, &TABLE_HEADER).folded,
        "the symptoms table itself is not folded"
    );
    for engine in [Engine::Firefox, Engine::WebKit] {
        let header = engine_header(engine);
        let header = header.each_ref().map(String::as_str);
        assert!(
            table(&tables, &header).folded,
            "{engine}'s lines sit inside <details>"
        );
    }
    assert!(
        table(&tables, &CORS_ERROR_HEADER).folded,
        "the corsError table sits inside <details>"
    );
    assert_eq!(
        tables.len(),
        4,
        "the step has the table and three folded ones"
    );
}

#[test]
fn a_see_it_in_cell_names_its_scenarios_and_exhibits() {
    use ExhibitId::*;
    let cases: [(&str, &[Place], &str); 4] = [
        (
            "scenario 1 under `ENV=production`",
            &[Place::Scenario(1)],
            "a scenario, with its ENV",
        ),
        (
            "scenario 8, exhibit 8 (`method-not-listed`)",
            &[Place::Scenario(8), Place::Exhibit(8, MethodNotListed)],
            "a scenario and an exhibit",
        ),
        (
            "exhibit 16 (`drops-connection`)",
            &[Place::Exhibit(16, DropsConnection)],
            "an exhibit, by number and slug",
        ),
        (
            "scenario 5, [step 7](#7-cookies-across-origins)",
            &[Place::Scenario(5)],
            "a link to a step is not a place",
        ),
    ];
    for (cell, expected, what) in cases {
        assert_eq!(places(cell), expected, "{what}: \"{cell}\"");
    }
}
