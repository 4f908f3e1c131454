//! Helpers shared by the integration tests: a real server on a free port, real
//! config files, and short ways to send CORS requests.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use backend::configuration::{ConfigError, EnvSnapshot, LoadedSettings};
use backend::cors::{self, Finding, Validated};
use backend::startup::Application;
use reqwest::{Method, Response};

/// The project's own `config/` folder.
pub fn project_config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../config")
}

/// A config folder of the test's own, deleted when dropped.
pub struct TempConfig {
    dir: tempfile::TempDir,
}

impl TempConfig {
    /// `default.toml` with `default_toml`, and empty development and production files.
    pub fn new(default_toml: &str) -> Self {
        Self::with_env_file(default_toml, "development", "")
    }

    pub fn with_env_file(default_toml: &str, env: &str, env_toml: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        for (name, text) in [
            ("default", default_toml),
            ("development", ""),
            ("production", ""),
        ] {
            std::fs::write(dir.path().join(format!("{name}.toml")), text).unwrap();
        }
        std::fs::write(dir.path().join(format!("{env}.toml")), env_toml).unwrap();
        TempConfig { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// The environment a test runs the backend with: a config folder, ENV and overrides.
pub fn vars(config_dir: &Path, env: &str, overrides: &[(&str, &str)]) -> HashMap<String, String> {
    let mut vars: HashMap<String, String> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    vars.insert("APP_CONFIG_DIR".into(), config_dir.display().to_string());
    vars.entry("ENV".into()).or_insert_with(|| env.into());
    vars
}

/// Loads settings like `main` does, from `vars` alone.
pub fn load(vars: HashMap<String, String>) -> Result<LoadedSettings, ConfigError> {
    LoadedSettings::load(&EnvSnapshot::from_parts(vars, None)?)
}

/// Loads and validates; panics with the errors when the configuration is refused.
pub fn validated(vars: HashMap<String, String>) -> (LoadedSettings, Validated) {
    let loaded = load(vars).expect("settings load");
    let validated = cors::validate(&loaded).unwrap_or_else(|errors| {
        panic!("the configuration was refused: {errors:#?}");
    });
    (loaded, validated)
}

/// Loads and validates; the validation errors, rendered, or a panic if it passed.
pub fn refusal(vars: HashMap<String, String>) -> Vec<String> {
    let loaded = load(vars).expect("settings load");
    match cors::validate(&loaded) {
        Ok(validated) => panic!("the configuration was accepted: {}", validated.policy),
        Err(errors) => errors.iter().map(Finding::to_string).collect(),
    }
}

/// A policy to test under: (name, ENV, overrides of the shipped `config/`).
pub type PolicyCase = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// The five policies the cross-checks run under: the two shipped ones, a regex,
/// any origin without credentials, and any header.
pub const FIVE_POLICIES: &[PolicyCase] = &[
    ("development", "development", &[]),
    ("production", "production", &[]),
    (
        "a regex",
        "development",
        &[(
            "APP__CORS__ALLOW_ORIGIN_REGEX",
            r"https://[a-z0-9-]+\.example\.com",
        )],
    ),
    (
        "any origin without credentials",
        "development",
        &[
            ("APP__CORS__ALLOW_ORIGINS", "*"),
            ("APP__CORS__ALLOW_CREDENTIALS", "false"),
        ],
    ),
    (
        "any header",
        "development",
        &[("APP__CORS__ALLOW_HEADERS", "*")],
    ),
];

/// The override that turns the lab's instruments (`/lab/…`) on, which
/// `ENV=production` leaves off: for tests that read the recorder under production.
pub const INSTRUMENTS_ON: (&str, &str) = ("APP__LAB__ENABLED", "true");

/// A running backend on 127.0.0.1 and a free port.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
}

/// Starts the backend with the project's `config/` for `env`, plus `overrides`.
pub async fn spawn_app(env: &str, overrides: &[(&str, &str)]) -> TestApp {
    spawn_with(vars(&project_config_dir(), env, overrides)).await
}

/// Starts the backend with exactly `vars` (the port is always 0).
pub async fn spawn_with(mut vars: HashMap<String, String>) -> TestApp {
    vars.insert("APP__SERVER__PORT".into(), "0".into());
    vars.insert("APP__SERVER__HOST".into(), "127.0.0.1".into());
    let (loaded, validated) = validated(vars);
    let app = Application::build(&loaded.settings, validated.policy).expect("the server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
    }
}

impl TestApp {
    /// A request with the given method, path and headers.
    pub async fn send(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("the server answers")
    }

    /// A request with a JSON body and the given headers.
    pub async fn send_json(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: serde_json::Value,
    ) -> Response {
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address))
            .json(&body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("the server answers")
    }

    /// A preflight as a browser sends it; `request_headers` may be empty.
    pub async fn preflight(
        &self,
        path: &str,
        origin: &str,
        method: &str,
        request_headers: &str,
    ) -> Response {
        let mut headers = vec![
            ("Origin", origin),
            ("Access-Control-Request-Method", method),
        ];
        if !request_headers.is_empty() {
            headers.push(("Access-Control-Request-Headers", request_headers));
        }
        self.send("OPTIONS", path, &headers).await
    }

    /// A `GET` with `Origin`.
    pub async fn get_from(&self, path: &str, origin: &str) -> Response {
        self.send("GET", path, &[("Origin", origin)]).await
    }
}

/// A response header as text, if present.
pub fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("a text header"))
}

/// A comma-separated header as a lower-case set, for headers sent in no fixed order.
pub fn header_set(response: &Response, name: &str) -> Vec<String> {
    let mut set: Vec<String> = header(response, name)
        .unwrap_or_default()
        .split(',')
        .map(|item| item.trim().to_lowercase())
        .filter(|item| !item.is_empty())
        .collect();
    set.sort();
    set
}

/// `items` lower-cased and sorted, to compare with `header_set`.
pub fn set_of(items: &[&str]) -> Vec<String> {
    let mut set: Vec<String> = items.iter().map(|i| i.to_lowercase()).collect();
    set.sort();
    set
}
