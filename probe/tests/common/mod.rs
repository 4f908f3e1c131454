//! Real servers on loopback, and the probe run as users run it: the binary, its
//! output and its exit status.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use backend::configuration::{EnvSnapshot, LoadedSettings};
use backend::startup::Application;

/// The page's origin in the lab and in the browser suite.
pub const LAB: &str = "http://localhost:5173";

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Starts the backend with the project's `config/` under `env` on a free port;
/// returns `http://127.0.0.1:<port>`.
pub async fn spawn_backend(env: &str) -> String {
    let vars: HashMap<String, String> = [
        (
            "APP_CONFIG_DIR",
            repo().join("config").display().to_string(),
        ),
        ("ENV", env.to_string()),
        ("APP__SERVER__PORT", "0".to_string()),
        ("APP__SERVER__HOST", "127.0.0.1".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let snapshot = EnvSnapshot::from_parts(vars, None).expect("the environment reads");
    let loaded = LoadedSettings::load(&snapshot).expect("the settings load");
    let validated = backend::cors::validate(&loaded).expect("the project's policy is valid");
    let app = Application::build(&loaded.settings, validated.policy).expect("the server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    address
}

/// Starts a server behind `actix_cors::Cors::permissive()`: it echoes any origin,
/// with credentials. Returns its address.
pub async fn spawn_permissive() -> String {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let server = HttpServer::new(|| {
        App::new().wrap(actix_cors::Cors::permissive()).route(
            "/",
            web::get().to(|| async { HttpResponse::Ok().body("ok") }),
        )
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .expect("a free port");
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    format!("http://127.0.0.1:{port}")
}

/// A port nothing listens on.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().unwrap().port()
}

/// What a run of `cors-probe` printed, and its exit status.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// stdout byte for byte: `stdout` would hide a stray byte behind U+FFFD.
    pub raw_stdout: Vec<u8>,
}

impl Run {
    /// stdout as JSON (for `--json` runs).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "not one JSON object ({e}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs the `cors-probe` binary with `args`.
pub async fn probe(args: &[&str]) -> Run {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_cors-probe"))
        .args(args)
        .output()
        .await
        .expect("cors-probe runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        raw_stdout: out.stdout,
    }
}

/// One row of docs/chromium-console.txt: what Chromium printed for a step.
pub struct Captured {
    pub cors_error: String,
    pub failed_parameter: String,
    pub console_line: String,
}

/// The row of docs/chromium-console.txt for `section` and `key`, if Chromium
/// printed one (a readable step has none).
pub fn captured(section: &str, key: &str) -> Option<Captured> {
    let text = std::fs::read_to_string(repo().join("docs/chromium-console.txt"))
        .expect("docs/chromium-console.txt");
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .find(|cols| cols.len() == 5 && cols[0] == section && cols[1] == key)
        .map(|cols| Captured {
            cors_error: cols[2].to_string(),
            failed_parameter: cols[3].to_string(),
            console_line: cols[4].to_string(),
        })
}

/// The part of a console line after "has been blocked by CORS policy: ": the same
/// whatever the URL (the browser's carried a `lab_run` value, the probe's does not).
pub fn reason(line: &str) -> &str {
    line.split_once("has been blocked by CORS policy: ")
        .map_or(line, |(_, reason)| reason)
}
