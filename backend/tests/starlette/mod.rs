//! Real Starlette beside the backend: the virtualenv, the app, and its answers.
//!
//! `scripts/starlette-venv.sh` installs Starlette, uvicorn, httpx2 and pytest into
//! `$CARGO_TARGET_DIR/starlette-venv`; `tests/starlette/app.py` is the app, given a
//! policy in `STARLETTE_POLICY`. The table of documented differences is in
//! `differences.rs`; the FastAPI page's check reads it too.
#![allow(dead_code)]

pub mod compare;
pub mod corpus;
pub mod differences;
pub mod settings;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The directory of `tests/starlette/app.py`.
pub fn app_dir() -> PathBuf {
    repo().join("tests/starlette")
}

/// The virtualenv's Python: `$STARLETTE_VENV/bin/python` if set, else
/// `<cargo target dir>/starlette-venv/bin/python`, where the install script puts it.
/// Panics, naming the script, when it is missing.
pub fn python() -> PathBuf {
    let venv = match std::env::var_os("STARLETTE_VENV") {
        Some(dir) => PathBuf::from(dir),
        None => {
            // .../<target>/debug/backend: the target directory is two levels up.
            let backend = Path::new(env!("CARGO_BIN_EXE_backend"));
            let target = backend.parent().and_then(Path::parent).expect("target dir");
            target.join("starlette-venv")
        }
    };
    let python = venv.join("bin/python");
    assert!(
        python.exists(),
        "Starlette is not installed: {} is missing. Run scripts/starlette-venv.sh \
         (scripts/test.sh does; it needs python3 with its venv module and PyPI), \
         with the same CARGO_TARGET_DIR, or point STARLETTE_VENV at a virtualenv \
         holding tests/starlette/requirements.txt",
        python.display()
    );
    python
}

/// Starlette's `CORSMiddleware` serving `tests/starlette/app.py` on a free port;
/// killed when dropped.
pub struct StarletteApp {
    pub address: String,
    _child: Child,
}

impl StarletteApp {
    /// Starts the app with `policy` (JSON with `CORSMiddleware`'s keyword arguments).
    pub async fn spawn(policy: &serde_json::Value) -> StarletteApp {
        let mut child = Command::new(python())
            .arg(app_dir().join("app.py"))
            .env("STARLETTE_POLICY", policy.to_string())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the virtualenv's python runs");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line()).await;
        let address = match first {
            Ok(Ok(Some(line))) if line.starts_with("listening on ") => {
                format!("http://{}", &line["listening on ".len()..])
            }
            other => {
                let _ = child.start_kill();
                let mut stderr = String::new();
                if let Some(mut err) = child.stderr.take() {
                    let _ = err.read_to_string(&mut stderr).await;
                }
                panic!(
                    "tests/starlette/app.py did not start with policy {policy}: {other:?}\n{stderr}"
                );
            }
        };
        StarletteApp {
            address,
            _child: child,
        }
    }
}

/// What the test sends: a method, an origin (or none), and request headers.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: &'static str,
    pub origin: Option<String>,
    pub headers: Vec<(&'static str, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A preflight: `OPTIONS` with `Access-Control-Request-Method`.
    pub fn is_preflight(&self) -> bool {
        self.method == "OPTIONS" && self.header("Access-Control-Request-Method").is_some()
    }

    pub fn has_cookie(&self) -> bool {
        self.header("Cookie").is_some()
    }

    /// The request as a curl command, to replay it by hand.
    pub fn as_curl(&self, base: &str) -> String {
        let mut curl = format!("curl -si -X {} {base}{}", self.method, self.path);
        if let Some(origin) = &self.origin {
            curl.push_str(&format!(" -H 'Origin: {origin}'"));
        }
        for (name, value) in &self.headers {
            curl.push_str(&format!(" -H '{name}: {value}'"));
        }
        curl
    }

    /// Sends it to `base`; the status and headers of the answer.
    pub async fn send(&self, client: &reqwest::Client, base: &str) -> cors_rules::ResponseHead {
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).expect("a method");
        let mut request = client.request(method, format!("{base}{}", self.path));
        if let Some(origin) = &self.origin {
            request = request.header("Origin", origin);
        }
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{base} does not answer {}: {e}", self.as_curl(base)));
        let mut head = cors_rules::ResponseHead::new(response.status().as_u16());
        for (name, value) in response.headers() {
            head = head.with(name.as_str(), String::from_utf8_lossy(value.as_bytes()));
        }
        head
    }
}
