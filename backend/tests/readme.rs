//! The README and the pages in `docs/` are part of the product: this keeps them true.
//!
//! - Every shell command in a ```sh block, on any page, is either run here, or named below as run
//!   by another part of the test command. `curl` commands run against a live backend;
//!   `cargo run -p backend -- check-config` runs the backend binary. When a ```text
//!   block follows a ```sh block, each of its lines must appear in the output.
//! - Every ```toml block must load as settings (no unknown keys); it must also pass
//!   validation, unless the line before the block is `<!-- refused -->`.
//! - Every link to a file of the repository must resolve, and so must every link to a
//!   heading (`page.md#heading`, `#heading`), as GitHub makes its anchors. Where the concept index
//!   names a function after a link (``[file](file): `name` ``), the file must define it.
//! - The ports table's ports (the backend, the lab, the attacker page) are the ones the
//!   config, the compose file, the images, the lab server, the dev script and the
//!   browser suite use.

mod common;

use std::path::{Path, PathBuf};

use common::{spawn_app, TempConfig};

/// Commands the pages show that other parts of the test command run.
const RUN_ELSEWHERE: &[(&str, &str)] = &[
    ("scripts/test.sh", "it is the test command itself (.ci/run)"),
    (
        "docker compose",
        "scripts/test-compose.sh builds and runs the compose file",
    ),
    (
        "scripts/dev.sh",
        "it starts the same programs the browser suite starts",
    ),
    (
        "cargo run -p backend",
        "the tests spawn the same server (without `-- check-config`)",
    ),
    (
        "scripts/bench.sh",
        "long-running; its output is committed in docs/benchmarks.md",
    ),
    (
        "scripts/build-frontend.sh",
        "the test command builds the lab with it",
    ),
    (
        "scripts/starlette-venv.sh",
        "the test command runs it before cargo test",
    ),
    (
        "cargo test -p backend --test starlette_differential",
        "the test command's cargo test runs it",
    ),
    (
        "cargo run -p probe",
        "probe/tests/readme_probe.rs runs them and matches their output",
    ),
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

struct Block {
    lang: String,
    text: String,
    /// 1-based line of the opening fence.
    line: usize,
    /// The last non-empty line before the fence.
    before: String,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    let mut before = String::new();
    for (i, line) in markdown.lines().enumerate() {
        match (&mut open, line.trim_start().strip_prefix("```")) {
            (None, Some(lang)) => {
                open = Some(Block {
                    lang: lang.trim().into(),
                    text: String::new(),
                    line: i + 1,
                    before: before.clone(),
                })
            }
            (Some(_), Some(_)) => blocks.push(open.take().unwrap()),
            (Some(block), None) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            (None, None) if !line.trim().is_empty() => before = line.trim().into(),
            (None, None) => {}
        }
    }
    blocks
}

/// The commands of a shell block, `\`-continued lines joined, comments dropped.
fn commands(script: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current = String::new();
    for line in script.lines() {
        let line = line.split(" # ").next().unwrap().trim_end();
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => current.push_str(part),
            None => {
                current.push_str(line);
                commands.push(std::mem::take(&mut current).trim().to_string());
            }
        }
    }
    commands
}

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).expect("README.md")
}

/// Every page: the README, then `docs/*.md`, as (path relative to the repository, text).
fn pages() -> Vec<(String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("docs"))
        .expect("docs/")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    names.sort();
    names.insert(0, "README.md".into());
    names
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(repo().join(&name)).expect("a page");
            (name, text)
        })
        .collect()
}

/// The anchors GitHub gives a page's headings: lower-cased, punctuation dropped,
/// spaces turned into `-`, and `-1`, `-2`… after a repeated one.
fn anchors(markdown: &str) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let Some(title) = line.strip_prefix('#').filter(|_| !fenced) else {
            continue;
        };
        let title = title.trim_start_matches('#').trim().to_lowercase();
        let slug: String = title
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let repeats = seen
            .iter()
            .filter(|s| s.as_str() == slug || s.starts_with(&format!("{slug}-")))
            .count();
        seen.push(if repeats == 0 {
            slug
        } else {
            format!("{slug}-{repeats}")
        });
    }
    seen
}

#[tokio::test]
async fn every_command_in_the_readme_is_run_and_shows_what_the_readme_says() {
    let app = spawn_app("development", &[]).await;
    let port = app.address.rsplit(':').next().unwrap().to_string();
    let backend = env!("CARGO_BIN_EXE_backend");
    let mut ran = 0;

    for (page, text) in pages() {
        let all = blocks(&text);
        for (i, block) in all.iter().enumerate().filter(|(_, b)| b.lang == "sh") {
            let expected = all.get(i + 1).filter(|next| next.lang == "text");
            let mut output = String::new();
            let mut ran_here = 0;
            for command in commands(&block.text) {
                let words: Vec<&str> = command
                    .split_whitespace()
                    .skip_while(|w| w.contains('=') && !w.starts_with('-'))
                    .collect();
                let program = words.join(" ");
                let runnable = [
                    "curl ",
                    "cargo run -p backend -- check-config",
                    "scripts/capture-exchange.sh",
                ]
                .iter()
                .any(|prefix| program.starts_with(prefix));
                if !runnable {
                    let known = RUN_ELSEWHERE
                        .iter()
                        .any(|(prefix, _)| program.starts_with(prefix));
                    assert!(known, "{page} line {}: `{command}` is neither run by this check nor listed in RUN_ELSEWHERE", block.line);
                    continue;
                }
                let script = command
                    .replace("localhost:8000", &format!("127.0.0.1:{port}"))
                    .replace("cargo run -p backend --", backend)
                    .replace(
                        "scripts/capture-exchange.sh",
                        &format!(
                            "{}/scripts/capture-exchange.sh http://127.0.0.1:{port}",
                            repo().display()
                        ),
                    );
                // Async: the server under test runs on this test's own runtime.
                let out = tokio::process::Command::new("bash")
                    .arg("-c")
                    .arg(format!("{script} 2>&1"))
                    .current_dir(tempfile::tempdir().unwrap().path())
                    .env("APP_CONFIG_DIR", repo().join("config"))
                    .env("RUST_LOG", "warn")
                    .env_remove("ENV")
                    .output()
                    .await
                    .expect("bash runs");
                output.push_str(&String::from_utf8_lossy(&out.stdout));
                ran += 1;
                ran_here += 1;
            }
            // A block run elsewhere has its output checked there.
            if let Some(expected) = expected.filter(|_| ran_here > 0) {
                for line in expected
                    .text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && *l != "...")
                {
                    assert!(
                    output.contains(line),
                    "{page} line {}: the output of the commands above should contain\n  {line}\nbut was:\n{output}",
                    expected.line
                );
                }
            }
        }
    }
    assert!(
        ran >= 3,
        "the pages should show runnable commands; ran {ran}"
    );
}

#[test]
fn every_toml_snippet_on_every_page_loads_and_validates_as_its_note_says() {
    let snippets: Vec<(String, Block)> = pages()
        .into_iter()
        .flat_map(|(page, text)| {
            blocks(&text)
                .into_iter()
                .filter(|b| b.lang == "toml")
                .map(move |b| (page.clone(), b))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!snippets.is_empty(), "the pages show configuration");
    for (page, snippet) in snippets {
        let config = TempConfig::new(&snippet.text);
        let vars = common::vars(config.path(), "development", &[]);
        let loaded = common::load(vars).unwrap_or_else(|e| {
            panic!(
                "{page} line {}: the snippet does not load: {e}",
                snippet.line
            )
        });
        let refused = snippet.before == "<!-- refused -->";
        match (backend::cors::validate(&loaded), refused) {
            (Ok(_), false) | (Err(_), true) => {}
            (Ok(_), true) => panic!(
                "{page} line {}: the snippet is marked refused but validates",
                snippet.line
            ),
            (Err(errors), false) => panic!(
                "{page} line {}: the snippet is refused: {errors:#?}",
                snippet.line
            ),
        }
    }
}

#[test]
fn every_local_link_on_every_page_resolves_to_a_file_and_a_heading() {
    let links = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let mut checked = 0;
    for (page, text) in pages() {
        let base = repo().join(&page).parent().unwrap().to_path_buf();
        for link in links.captures_iter(&text).map(|c| c[1].to_string()) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (file, heading) = link.split_once('#').unwrap_or((&link, ""));
            let path = if file.is_empty() {
                repo().join(&page)
            } else {
                base.join(file)
            };
            assert!(
                path.exists(),
                "{page}: the link ({link}) points to {}, which does not exist",
                path.display()
            );
            if !heading.is_empty() {
                let target = std::fs::read_to_string(&path).unwrap_or_default();
                assert!(
                    anchors(&target).iter().any(|a| a == heading),
                    "{page}: the link ({link}) names the heading #{heading}, which {} lacks; it has {:?}",
                    path.display(),
                    anchors(&target)
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 20,
        "the pages link to each other and to the code; found {checked}"
    );
}

#[test]
fn every_function_the_concept_index_names_exists_in_its_file() {
    let readme = readme();
    let entries = regex::Regex::new(r"\]\(([^)\s]+\.rs)\): `([^`]+)`").unwrap();
    let mut checked = 0;
    for entry in entries.captures_iter(&readme) {
        let (file, name) = (&entry[1], &entry[2]);
        let source = std::fs::read_to_string(repo().join(file))
            .unwrap_or_else(|_| panic!("README names {file}, which is missing"));
        let function = name.rsplit("::").next().unwrap();
        assert!(
            source.contains(&format!("fn {function}")),
            "README's concept index names `{name}` in {file}, which has no `fn {function}`"
        );
        checked += 1;
    }
    assert!(
        checked >= 5,
        "the concept index names functions; found {checked}"
    );
}

/// The port the README's ports table gives `program` (`| **8000** | the backend …`).
fn port_in_the_readme(readme: &str, program: &str) -> String {
    let row = regex::Regex::new(&format!(r"\| \*\*(\d+)\*\* \| the {program}\b")).unwrap();
    row.captures(readme)
        .unwrap_or_else(|| panic!("README's ports table has no row for the {program}"))[1]
        .to_string()
}

#[test]
fn the_ports_in_the_readme_are_the_ports_every_file_uses() {
    let readme = readme();
    let api = port_in_the_readme(&readme, "backend");
    let lab = port_in_the_readme(&readme, "lab");
    let attacker = port_in_the_readme(&readme, "attacker page");
    let cases = [
        (
            "config/default.toml",
            format!("port = {api}"),
            "the backend's own port",
        ),
        (
            "docker-compose.yml",
            format!("\"127.0.0.1:{api}:{api}\""),
            "the backend's published port",
        ),
        (
            "docker-compose.yml",
            format!("APP__SERVER__PORT: \"{api}\""),
            "the backend's port in its container",
        ),
        (
            "docker-compose.yml",
            format!("API_BASE_URL: http://localhost:{api}"),
            "where the lab's page finds the API",
        ),
        (
            "docker-compose.yml",
            format!("\"127.0.0.1:{lab}:{lab}\""),
            "the lab's published port",
        ),
        (
            "Dockerfile",
            format!("EXPOSE {api}"),
            "the backend image's port",
        ),
        (
            "docker-compose.yml",
            format!("\"127.0.0.1:{attacker}:{attacker}\""),
            "the attacker page's published port",
        ),
        (
            "docker-compose.yml",
            format!("ATTACKER_PORT: \"{attacker}\""),
            "the attacker page's port in the lab's container",
        ),
        (
            "docker-compose.yml",
            format!("ATTACKER_URL: http://localhost:{attacker}"),
            "where the lab links to the attacker page",
        ),
        (
            "Dockerfile",
            format!("EXPOSE {lab} {attacker}"),
            "the lab image's ports: the lab and the attacker page",
        ),
        (
            "Dockerfile",
            format!("ATTACKER_PORT={attacker}"),
            "the attacker page's port in the lab image",
        ),
        (
            "frontend/server/src/settings.rs",
            format!("None => {lab}"),
            "the lab server's default port",
        ),
        (
            "frontend/server/src/settings.rs",
            format!("None => {attacker}"),
            "the lab server's default port for the attacker page",
        ),
        (
            "scripts/dev.sh",
            format!("LAB_PORT:-{lab}"),
            "the dev script's lab port",
        ),
        (
            "scripts/dev.sh",
            format!("ATTACKER_PORT:-{attacker}"),
            "the dev script's attacker port",
        ),
        (
            "config/development.toml",
            format!("\"http://localhost:{lab}\""),
            "the development policy's lab origin",
        ),
        (
            "e2e/src/programs.rs",
            format!("BACKEND_PORT: u16 = {api}"),
            "the browser suite's backend port",
        ),
        (
            "e2e/src/programs.rs",
            format!("LAB_PORT: u16 = {lab}"),
            "the browser suite's lab port",
        ),
        (
            "e2e/src/programs.rs",
            format!("ATTACKER_PORT: u16 = {attacker}"),
            "the browser suite's attacker port",
        ),
    ];
    for (file, expected, what) in cases {
        let text = std::fs::read_to_string(repo().join(file)).unwrap();
        assert!(
            text.contains(&expected),
            "README's ports table says backend :{api}, lab :{lab}, attacker page :{attacker}, \
             but {file} does not contain \
             `{expected}` ({what})"
        );
    }
}
