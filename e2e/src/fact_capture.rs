//! `docs/engine-facts.txt`: what each engine did in `tests/engine_facts.rs`.
//! Under `CORS_LAB_UPDATE_CAPTURES=1` a test writes its rows there. Otherwise it
//! checks that the file holds them. The table of `docs/engines.md` must equal the
//! file's `fact` rows (backend/tests/engine_facts_page.rs checks that).

use std::path::PathBuf;

use crate::engines::{slug, Engine};
use crate::programs::workspace_root;

const HEADER: &str = "\
# What each engine did for each fact of docs/engines.md (e2e/tests/engine_facts.rs).
# One row per line, tab-separated: kind, fact, engine, what happened.
# kind `fact` is a cell of the table in docs/engines.md; kind `console` is a line
# the engine's console printed for that fact.
# Regenerate with CORS_LAB_UPDATE_CAPTURES=1 cargo test -p e2e --test engine_facts
";

fn capture_file() -> PathBuf {
    workspace_root().join("docs/engine-facts.txt")
}

/// One row: `kind` is `fact` or `console`, `fact` the fact's name in the table.
pub fn row(kind: &str, fact: &str, engine: Engine, what: &str) -> String {
    let what = what.replace(['\t', '\n'], " ");
    format!("{kind}\t{fact}\t{}\t{what}", slug(engine))
}

/// Checks that the file holds exactly `rows` for `fact` in `engine`, or rewrites
/// them under `CORS_LAB_UPDATE_CAPTURES=1`. Returns a complaint when they differ.
pub fn check_fact_rows(fact: &str, engine: Engine, rows: &[String]) -> Result<(), String> {
    let file = capture_file();
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let is_mine = |line: &str| {
        let mut fields = line.split('\t').skip(1);
        fields.next() == Some(fact) && fields.next() == Some(slug(engine).as_str())
    };
    let all_rows = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty());
    let mine: Vec<&str> = all_rows.clone().filter(|l| is_mine(l)).collect();
    if std::env::var("CORS_LAB_UPDATE_CAPTURES").as_deref() == Ok("1") {
        let mut kept: Vec<String> = all_rows
            .filter(|l| !is_mine(l))
            .map(String::from)
            .chain(rows.iter().cloned())
            .collect();
        // Sorted by fact, then engine, then kind; a stable sort keeps the order
        // lines of one kind were printed in.
        kept.sort_by_key(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (
                fields[1].to_string(),
                fields[2].to_string(),
                fields[0] != "fact",
            )
        });
        std::fs::write(&file, format!("{HEADER}{}\n", kept.join("\n"))).unwrap();
        return Ok(());
    }
    if mine == rows.iter().map(String::as_str).collect::<Vec<_>>() {
        return Ok(());
    }
    Err(format!(
        "docs/engine-facts.txt does not hold what {engine} did for \"{fact}\":\n  \
         file:     {mine:#?}\n  observed: {rows:#?}\nRun CORS_LAB_UPDATE_CAPTURES=1 \
         cargo test -p e2e --test engine_facts to update it."
    ))
}
