//! The page "Coming from FastAPI" (`docs/coming-from-fastapi.md`), kept true against real Starlette.
//!
//! - Its table of differences lists the ids of the differential test's table
//!   (`starlette/differences.rs`), in the same order: a difference the test documents
//!   is on the page, and the page claims none the test does not check.
//! - Its mapping table has a row for every `CORSMiddleware` argument of the pinned
//!   Starlette, with Starlette's real default (asked from Starlette itself), and for
//!   every `[cors]` key of the backend, with its default and its variable.
//! - Its `add_middleware(CORSMiddleware, ...)` example, run by Python, and the `[cors]`
//!   table beside it, loaded by the backend, give the same seven settings.
//! - It names the pinned Starlette version and the size of the test's corpus.
//! - Its pytest `TestClient` snippet, and `tests/starlette/test_fastapi_traps.py` (the
//!   traps it states), pass under pytest against `tests/starlette/app.py` given the
//!   backend's development policy.

mod common;
mod starlette;

use std::collections::BTreeSet;
use std::io::Write;

use backend::configuration::CorsSettings;
use common::{spawn_app, TempConfig};
use starlette::differences::DIFFERENCES;
use starlette::{app_dir, corpus, python, repo};

fn section() -> String {
    std::fs::read_to_string(repo().join("docs/coming-from-fastapi.md"))
        .expect("docs/coming-from-fastapi.md")
}

/// The rows of the first table whose header line starts with `header`, as cells.
fn table(section: &str, header: &str) -> Vec<Vec<String>> {
    let mut lines = section.lines().skip_while(|line| !line.starts_with(header));
    assert!(
        lines.next().is_some(),
        "docs/coming-from-fastapi.md: no table with header `{header}`"
    );
    lines
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect()
}

fn unquote(cell: &str) -> &str {
    cell.trim_matches('`')
}

#[test]
fn the_readme_lists_the_tests_documented_differences() {
    let readme: Vec<String> = table(&section(), "| Id |")
        .iter()
        .map(|row| unquote(&row[0]).to_string())
        .collect();
    let test: Vec<String> = DIFFERENCES.iter().map(|d| d.id.to_string()).collect();
    assert_eq!(
        readme, test,
        "The FastAPI page's \"Where this backend differs\" must list the ids of \
         backend/tests/starlette/differences.rs, in its order"
    );
    for difference in DIFFERENCES {
        assert!(
            !difference.what.is_empty() && !difference.reason.is_empty(),
            "`{}` needs what and why",
            difference.id
        );
    }
}

#[test]
fn the_readme_names_the_pinned_starlette_and_the_corpus_size() {
    let section = section();
    let requirements =
        std::fs::read_to_string(app_dir().join("requirements.txt")).expect("requirements.txt");
    let version = requirements
        .lines()
        .find_map(|line| line.strip_prefix("starlette=="))
        .expect("tests/starlette/requirements.txt pins starlette==…");
    assert!(
        section.contains(&format!("Starlette {version}")),
        "The FastAPI page should name the pinned Starlette {version}"
    );
    let count = corpus::requests().len();
    assert!(
        section.contains(&format!("the same {count} preflights and requests")),
        "The FastAPI page should say the test sends \"the same {count} \
         preflights and requests\""
    );
}

/// Starlette's own `CORSMiddleware` arguments and the `repr` of their defaults.
fn starlette_defaults() -> serde_json::Map<String, serde_json::Value> {
    let script = "import inspect, json\n\
        from starlette.middleware.cors import CORSMiddleware\n\
        params = inspect.signature(CORSMiddleware.__init__).parameters.items()\n\
        print(json.dumps({n: repr(p.default) for n, p in params if n not in ('self', 'app')}))";
    let out = std::process::Command::new(python())
        .args(["-c", script])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// This backend's default for `key`, written as the FastAPI page writes it.
fn our_default(key: &str) -> String {
    let defaults = CorsSettings::default();
    let list = |items: &[String]| {
        let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
        format!("[{}]", quoted.join(", "))
    };
    match key {
        "allow_origins" => list(&defaults.allow_origins),
        "allow_origin_regex" => defaults.allow_origin_regex.unwrap_or("none".into()),
        "allow_methods" => list(&defaults.allow_methods),
        "allow_headers" => list(&defaults.allow_headers),
        "allow_credentials" => defaults.allow_credentials.to_string(),
        "expose_headers" => list(&defaults.expose_headers),
        "max_age" => defaults.max_age.to_string(),
        other => panic!("The FastAPI page's mapping names `{other}`, which is no [cors] key"),
    }
}

#[tokio::test]
async fn the_mapping_table_gives_both_sides_real_defaults() {
    let app = spawn_app("development", &[]).await;
    let policy: serde_json::Value = app
        .send("GET", "/api/policy", &[])
        .await
        .json()
        .await
        .unwrap();
    let our_keys: BTreeSet<String> = policy
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| *k != "env")
        .cloned()
        .collect();
    let starlette = starlette_defaults();
    let rows = table(&section(), "| `CORSMiddleware` argument |");
    let arguments: BTreeSet<String> = rows.iter().map(|r| unquote(&r[0]).to_string()).collect();
    let theirs: BTreeSet<String> = starlette.keys().cloned().collect();
    assert_eq!(
        arguments, theirs,
        "The FastAPI page's mapping: one row per CORSMiddleware argument"
    );
    let mut mapped = BTreeSet::new();
    for row in &rows {
        let argument = unquote(&row[0]);
        assert_eq!(
            unquote(&row[1]),
            starlette[argument].as_str().unwrap(),
            "The FastAPI page's mapping: Starlette's default for {argument}"
        );
        if row[2] == "—" {
            assert_eq!((row[3].as_str(), row[4].as_str()), ("—", "—"), "{argument}");
            assert!(!our_keys.contains(argument), "{argument} is a [cors] key");
            continue;
        }
        let key = unquote(&row[2]);
        assert_eq!(
            key, argument,
            "The FastAPI page's mapping: the key has the argument's name"
        );
        assert_eq!(
            unquote(&row[3]),
            our_default(key),
            "The FastAPI page's mapping: our default for {key}"
        );
        let variable = format!("APP__CORS__{}", key.to_uppercase());
        assert_eq!(
            unquote(&row[4]),
            variable,
            "The FastAPI page's mapping: the variable for {key}"
        );
        mapped.insert(key.to_string());
    }
    assert_eq!(
        mapped, our_keys,
        "The FastAPI page's mapping: one row per [cors] key"
    );
}

#[tokio::test]
async fn the_pytest_snippet_and_the_fastapi_traps_pass_against_starlette() {
    let section = section();
    let snippet = block(&section, "python", "TestClient(");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("test_readme_snippet.py");
    std::fs::write(&file, snippet).unwrap();

    let app = spawn_app("development", &[]).await;
    let policy = app
        .send("GET", "/api/policy", &[])
        .await
        .text()
        .await
        .unwrap();
    let out = tokio::process::Command::new(python())
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(&file)
        .arg(app_dir().join("test_fastapi_traps.py"))
        .current_dir(dir.path())
        .env("PYTHONPATH", app_dir())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("STARLETTE_POLICY", policy)
        .output()
        .await
        .expect("pytest runs");
    let output =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "pytest failed on the FastAPI page's snippet or tests/starlette/test_fastapi_traps.py:\n{output}"
    );
    assert!(output.contains(" passed"), "pytest ran nothing:\n{output}");
}

/// The first block in `lang` of the section that contains `needle`.
fn block<'a>(section: &'a str, lang: &str, needle: &str) -> &'a str {
    section
        .split(&format!("```{lang}\n"))
        .skip(1)
        .map(|block| &block[..block.find("```").expect("a closed block")])
        .find(|block| block.contains(needle))
        .unwrap_or_else(|| panic!("The FastAPI page has no {lang} block with `{needle}`"))
}

#[test]
fn the_add_middleware_example_and_its_toml_give_the_same_settings() {
    let section = section();
    let python_example = block(&section, "python", "add_middleware(");
    let toml_example = block(&section, "toml", "[cors]");
    // Every CORSMiddleware argument the example gives, or Starlette's default.
    let script = "import inspect, json, sys\n\
        from starlette.applications import Starlette\n\
        from starlette.middleware.cors import CORSMiddleware\n\
        app = Starlette()\n\
        exec(sys.stdin.read())\n\
        given = app.user_middleware[0].kwargs\n\
        params = inspect.signature(CORSMiddleware.__init__).parameters.items()\n\
        print(json.dumps({n: given.get(n, p.default) for n, p in params if n not in ('self', 'app')}))";
    let mut child = std::process::Command::new(python())
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(python_example.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "The FastAPI page's add_middleware example: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let starlette: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    let config = TempConfig::new(toml_example);
    let loaded = common::load(common::vars(config.path(), "development", &[])).expect("loads");
    let cors = &loaded.settings.cors;
    let ours = serde_json::json!({
        "allow_origins": cors.allow_origins,
        "allow_origin_regex": cors.allow_origin_regex,
        "allow_methods": cors.allow_methods,
        "allow_headers": cors.allow_headers,
        "allow_credentials": cors.allow_credentials,
        "expose_headers": cors.expose_headers,
        "max_age": cors.max_age,
    });
    for (key, value) in ours.as_object().unwrap() {
        assert_eq!(
            &starlette[key], value,
            "The FastAPI page's mapping example: `{key}` in add_middleware(...) and in [cors]"
        );
    }
}
