//! Reading the walkthrough's step "Symptoms, causes, fixes" and the capture files
//! it quotes, for `readme_console_lines.rs`.

use std::fmt;
use std::path::{Path, PathBuf};

use cors_rules::browser::{fills, firefox, webkit, Engine};
use lab_types::exhibits::ExhibitId;
use regex::Regex;

pub const PAGE: &str = "../docs/walkthrough.md";
pub const TITLE: &str = "Symptoms, causes, fixes";
pub const BLOCKED: &str = "has been blocked by CORS policy: ";
/// Where a Firefox quote starts: the part before it names the URL.
pub const FIREFOX_REASON: &str = "(Reason: ";
pub const TABLE_HEADER: [&str; 4] = ["Chromium's console says", "Cause", "Fix", "See it in"];
pub const CORS_ERROR_HEADER: [&str; 2] = ["See it in", "`corsError`"];

/// Where the lab shows a row's failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Scenario(u8),
    /// The number the row writes, and the exhibit its slug names.
    Exhibit(u8, ExhibitId),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Scenario(n) => write!(f, "scenario {n}"),
            Place::Exhibit(n, id) => write!(f, "exhibit {n} (`{id}`)"),
        }
    }
}

/// A Markdown table of the step, and whether it sits inside `<details>`.
#[derive(Debug)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub folded: bool,
}

/// One row of the table, with what the folded tables say for it.
#[derive(Debug)]
pub struct Row {
    /// Chromium's reason (or whole line); `None` where Chromium prints nothing.
    pub chromium: Option<String>,
    pub see_it_in: String,
    pub places: Vec<Place>,
    /// Empty where the folded table says "(none: …)".
    pub cors_error: String,
    /// Firefox's lines, each from "(Reason: " on.
    pub firefox: Vec<String>,
    /// WebKit's reason lines (its "Fetch API cannot load <URL> …" line left out).
    pub webkit: Vec<String>,
}

/// A line of a capture file (`docs/<engine>-console.txt`).
#[derive(Debug)]
pub struct Captured {
    pub section: String,
    pub step: String,
    pub cors_error: String,
    /// The reason of a Chromium CORS line, from "(Reason: " on for Firefox, or the
    /// whole line.
    pub quoted: String,
}

pub fn read(relative: &str) -> String {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the browser suite writes it)", path.display()))
}

/// The step, from its heading to the next `## ` heading, found by its title.
pub fn symptoms_step(page: &str) -> &str {
    let heading = page
        .lines()
        .find(|line| line.starts_with("## ") && line.ends_with(TITLE))
        .unwrap_or_else(|| panic!("the walkthrough has a step \"{TITLE}\""));
    let section = &page[page.find(heading).expect("the heading is in the page")..];
    &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)]
}

pub fn tables(step: &str) -> Vec<Table> {
    let mut tables: Vec<Table> = Vec::new();
    let (mut folded, mut in_table) = (false, false);
    for line in step.lines().map(str::trim) {
        if line.starts_with("<details") {
            folded = true;
        } else if line.starts_with("</details") {
            folded = false;
        }
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        let cells: Vec<String> = line
            .trim_matches('|')
            .split('|')
            .map(|cell| cell.trim().to_string())
            .collect();
        match tables.last_mut().filter(|_| in_table) {
            // The separator row under the header.
            Some(_) if cells.iter().all(|c| c.starts_with('-')) => {}
            Some(table) => {
                assert_eq!(
                    cells.len(),
                    table.header.len(),
                    "the walkthrough's table {:?} has a row of another width: {line}",
                    table.header
                );
                table.rows.push(cells);
            }
            None => tables.push(Table {
                header: cells,
                rows: Vec::new(),
                folded,
            }),
        }
        in_table = true;
    }
    tables
}

pub fn table<'a>(tables: &'a [Table], header: &[&str]) -> &'a Table {
    tables
        .iter()
        .find(|t| t.header == header)
        .unwrap_or_else(|| panic!("the walkthrough's symptoms step has a table {header:?}"))
}

pub fn engine_header(engine: Engine) -> [String; 2] {
    [
        "See it in".into(),
        format!("{}'s console says", engine.name()),
    ]
}

/// The scenarios and exhibits a "See it in" cell names. A step is not a place.
pub fn places(see_it_in: &str) -> Vec<Place> {
    let scenario = Regex::new(r"scenario (\d+)").unwrap();
    let exhibit = Regex::new(r"exhibit (\d+) \(`([^`]+)`\)").unwrap();
    let scenarios = scenario
        .captures_iter(see_it_in)
        .map(|c| Place::Scenario(c[1].parse().unwrap()));
    let exhibits = exhibit.captures_iter(see_it_in).map(|c| {
        let id = ExhibitId::from_slug(&c[2])
            .unwrap_or_else(|| panic!("`{}` in \"{see_it_in}\" is no exhibit's slug", &c[2]));
        Place::Exhibit(c[1].parse().unwrap(), id)
    });
    scenarios.chain(exhibits).collect()
}

/// The quoted lines of a cell: `` `one`<br>`two` ``; none for "(…)" or no cell.
pub fn lines_of(cell: &str) -> Vec<String> {
    if cell.is_empty() || cell.starts_with('(') {
        return Vec::new();
    }
    cell.split("<br>")
        .map(|line| line.trim().trim_matches('`').to_string())
        .collect()
}

pub fn symptom_rows() -> Vec<Row> {
    let page = read(PAGE);
    let tables = tables(symptoms_step(&page));
    let main = table(&tables, &TABLE_HEADER);
    let firefox_header = engine_header(Engine::Firefox);
    let webkit_header = engine_header(Engine::WebKit);
    let folded: Vec<&Table> = [
        table(&tables, &CORS_ERROR_HEADER),
        table(&tables, &firefox_header.each_ref().map(String::as_str)),
        table(&tables, &webkit_header.each_ref().map(String::as_str)),
    ]
    .into();
    let keys: Vec<&str> = main.rows.iter().map(|cells| cells[3].as_str()).collect();
    for t in &folded {
        for cells in &t.rows {
            assert!(
                keys.contains(&cells[0].as_str()),
                "the walkthrough's folded table {:?} has a row \"{}\" that names no row of the table",
                t.header,
                cells[0]
            );
        }
    }
    main.rows
        .iter()
        .map(|cells| {
            let see_it_in = cells[3].clone();
            let chromium = (!cells[0].starts_with('(')).then(|| cells[0].trim_matches('`').into());
            let places = places(&see_it_in);
            assert!(
                !places.is_empty(),
                "the walkthrough's row \"{see_it_in}\" names a scenario or an exhibit"
            );
            // What each folded table says for this row: a row there iff Chromium prints.
            let [cors_error, firefox, webkit] = [0, 1, 2].map(|i| {
                let found: Vec<&Vec<String>> = folded[i]
                    .rows
                    .iter()
                    .filter(|c| c[0] == see_it_in)
                    .collect();
                assert_eq!(
                    found.len(),
                    usize::from(chromium.is_some()),
                    "the walkthrough's folded table {:?} has one row for \"{see_it_in}\" \
                     where Chromium prints a line, and none where it prints nothing",
                    folded[i].header
                );
                found.first().map(|c| c[1].clone()).unwrap_or_default()
            });
            Row {
                chromium,
                places,
                cors_error: lines_of(&cors_error).concat(),
                firefox: lines_of(&firefox),
                webkit: lines_of(&webkit),
                see_it_in,
            }
        })
        .collect()
}

/// The capture of `engine`'s console, if the browser suite wrote one: one line per
/// console line, tab-separated: section, card-step (or exhibit), Chromium's
/// `corsError`, its `failedParameter`, and the console line last.
pub fn captured(engine: Engine) -> Option<Vec<Captured>> {
    let relative = format!("../docs/{}-console.txt", engine.name().to_lowercase());
    let exists = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(&relative)
        .exists();
    if engine != Engine::Chromium && !exists {
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

/// Whether `capture` has `line` (with `cors_error`, if given) for `place`: the
/// exhibit's own section, or any step of the scenario under any `ENV`.
pub fn captured_at(
    capture: &[Captured],
    place: Place,
    line: &str,
    cors_error: Option<&str>,
) -> bool {
    capture
        .iter()
        .filter(|c| match place {
            Place::Exhibit(_, id) => c.section == "exhibits" && c.step == id.slug(),
            Place::Scenario(n) => {
                c.section != "exhibits"
                    && c.step
                        .split_once('-')
                        .is_some_and(|(s, _)| s == n.to_string())
            }
        })
        .any(|c| c.quoted == line && cors_error.is_none_or(|e| c.cors_error == e))
}

/// Whether the rules crate can print `line` in `engine`'s console.
pub fn crate_prints(engine: Engine, line: &str) -> bool {
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
