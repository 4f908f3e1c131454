//! `docs/engines.md` says where the three engines differ. Its table must hold what
//! the browser suite saw: the `fact` rows of `docs/engine-facts.txt`, which
//! `e2e/tests/engine_facts.rs` writes and checks in each engine.

use std::collections::BTreeMap;
use std::path::Path;

/// The engines, in the order of the table's columns, as the capture file names them.
const ENGINES: [&str; 3] = ["chromium", "firefox", "webkit"];

/// One row of the table: the fact, then one cell per engine.
type Table = BTreeMap<String, Vec<String>>;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The table of `docs/engines.md`: every line that starts with `|`, minus the
/// heading and the `|---|` line under it.
fn page_table() -> Table {
    read("docs/engines.md")
        .lines()
        .filter(|line| line.starts_with('|') && !line.starts_with("|-"))
        .skip(1)
        .map(|line| {
            let cells: Vec<String> = line
                .trim_matches('|')
                .split('|')
                .map(|cell| cell.trim().to_string())
                .collect();
            (cells[0].clone(), cells[1..].to_vec())
        })
        .collect()
}

/// The same table, built from the capture file's `fact` rows
/// (`fact`, fact, engine, cell).
fn captured_table() -> Table {
    let mut table = Table::new();
    for line in read("docs/engine-facts.txt").lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        let [kind, fact, engine, cell] = fields[..] else {
            continue;
        };
        if kind != "fact" {
            continue;
        }
        let column = ENGINES
            .iter()
            .position(|e| *e == engine)
            .unwrap_or_else(|| panic!("an unknown engine in docs/engine-facts.txt: {line}"));
        let row = table
            .entry(fact.to_string())
            .or_insert_with(|| vec![String::from("(not captured)"); ENGINES.len()]);
        row[column] = cell.to_string();
    }
    table
}

#[test]
fn the_engines_page_table_equals_what_the_browser_suite_captured() {
    let page = page_table();
    let captured = captured_table();
    assert!(
        !captured.is_empty(),
        "docs/engine-facts.txt holds no fact rows: run \
         CORS_LAB_UPDATE_CAPTURES=1 cargo test -p e2e --test engine_facts"
    );
    let facts: Vec<&String> = page.keys().chain(captured.keys()).collect();
    for fact in facts {
        assert_eq!(
            page.get(fact),
            captured.get(fact),
            "the row \"{fact}\" of docs/engines.md (left) must equal \
             docs/engine-facts.txt (right), cells in the order {ENGINES:?}"
        );
    }
}

#[test]
fn every_fact_row_has_a_cell_for_each_of_the_three_engines() {
    for (fact, cells) in page_table() {
        assert_eq!(
            cells.len(),
            ENGINES.len(),
            "docs/engines.md, row \"{fact}\": one cell per engine, {ENGINES:?}"
        );
    }
}
