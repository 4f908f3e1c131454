//! The page "Check your own API" (`docs/check-your-api.md`) is true: each `cargo run -p probe -- …` command
//! it shows is run against a real backend (ENV=development, as `cargo run -p backend`
//! starts it), and every line of the ```text block after it appears in what the
//! command printed.
//!
//! backend/tests/readme.rs runs the other commands of every page and lists these as
//! run here.

mod common;

use common::{repo, spawn_backend};

/// (lang, text) of each fenced block of the page.
fn blocks(page: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in page.lines() {
        match (&mut open, line.trim_start().strip_prefix("```")) {
            (None, Some(lang)) => open = Some((lang.trim().to_string(), String::new())),
            (Some(_), Some(_)) => blocks.push(open.take().unwrap()),
            (Some((_, text)), None) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

#[tokio::test]
async fn the_check_your_own_api_commands_print_what_the_page_shows() {
    let page = &std::fs::read_to_string(repo().join("docs/check-your-api.md"))
        .expect("docs/check-your-api.md");
    let base = spawn_backend("development").await;
    let address = base.trim_start_matches("http://");
    let binary = env!("CARGO_BIN_EXE_cors-probe");
    let all = blocks(page);
    let mut ran = Vec::new();

    for (i, (_, text)) in all.iter().enumerate().filter(|(_, (lang, _))| lang == "sh") {
        let mut output = String::new();
        for command in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            assert!(
                command.starts_with("cargo run -p probe -- "),
                "`{command}`: the shell blocks of docs/check-your-api.md run the probe only"
            );
            let script = command
                .replace("cargo run -p probe --", binary)
                .replace("localhost:8000", address);
            let out = tokio::process::Command::new("bash")
                .arg("-c")
                .arg(format!("{script} 2>&1"))
                .output()
                .await
                .expect("bash runs");
            // The page shows the API at localhost:8000: so must the output.
            output
                .push_str(&String::from_utf8_lossy(&out.stdout).replace(address, "localhost:8000"));
            ran.push(command.to_string());
        }
        let Some((_, expected)) = all.get(i + 1).filter(|(lang, _)| lang == "text") else {
            continue;
        };
        for line in expected
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && *l != "...")
        {
            assert!(
                output.contains(line),
                "docs/check-your-api.md says the output contains\n  {line}\nbut it was:\n{output}"
            );
        }
    }
    for subcommand in ["check", "audit"] {
        assert!(
            ran.iter()
                .any(|c| c.contains(&format!(" -- {subcommand} "))),
            "docs/check-your-api.md shows a `{subcommand}` example: ran {ran:?}"
        );
    }
}
