//! Starting the backend and the lab's static server as real processes.

use std::fs::File;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

pub const BACKEND_PORT: u16 = 8000;
pub const LAB_PORT: u16 = 5173;
/// The attacker page, served by the lab's server next to the lab on [`LAB_PORT`]:
/// another origin than the lab's, on the same site as the API.
pub const ATTACKER_PORT: u16 = 5174;
/// Where the page finds the API: the browser runs on this machine.
pub const API: &str = "http://localhost:8000";

/// A child process that is stopped when dropped; its output goes to a log file.
/// Or, against containers (`E2E_EXTERNAL_ENV`), a program someone else runs.
pub struct Running {
    name: String,
    child: Option<Child>,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

/// Set by `scripts/test-compose.sh` to the ENV of the backend it runs in a container:
/// then the backend on :8000 and the lab on :5173 are already up, and the suite uses
/// them instead of starting its own.
fn external_env() -> Option<String> {
    std::env::var("E2E_EXTERNAL_ENV")
        .ok()
        .filter(|env| !env.is_empty())
}

impl Running {
    pub(crate) fn spawn_named(name: &str, mut command: Command) -> Running {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let log = dir.path().join(format!("{name}.log"));
        let file = File::create(&log).expect("a log file");
        let child = command
            // A group of its own: a driver starts browsers (and xvfb-run an X
            // server), which must stop with it.
            .process_group(0)
            .current_dir(dir.path())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({command:?}): {e}"));
        Running {
            name: name.into(),
            child: Some(child),
            log,
            _dir: dir,
        }
    }

    fn external(name: &str) -> Running {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let log = dir.path().join("external.log");
        std::fs::write(
            &log,
            format!("{name} runs outside the suite (E2E_EXTERNAL_ENV)\n"),
        )
        .unwrap();
        Running {
            name: name.into(),
            child: None,
            log,
            _dir: dir,
        }
    }

    /// The file the process's stdout and stderr go to.
    pub(crate) fn log_path(&self) -> PathBuf {
        self.log.clone()
    }

    /// Everything the process printed so far.
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until `url` answers, or panics with the process's output.
    pub fn wait_until_serving(&mut self, url: &str) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                panic!(
                    "{} exited ({status}) before serving:\n{}",
                    self.name,
                    self.output()
                );
            }
            if answers_ok(url) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "{} did not answer {url} within 30 s:\n{}",
            self.name,
            self.output()
        );
    }

    /// Waits for the process to exit by itself; its exit code and output.
    pub fn wait_for_exit(mut self, limit: Duration) -> (Option<i32>, String) {
        let started = Instant::now();
        let child = self.child.as_mut().expect("a process the suite started");
        loop {
            if let Some(status) = child.try_wait().expect("a process status") {
                return (status.code(), self.output());
            }
            assert!(
                started.elapsed() < limit,
                "{} still runs after {limit:?}:\n{}",
                self.name,
                self.output()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    /// Stops the whole process group: SIGTERM first, so that Xvfb removes its lock
    /// file, then SIGKILL for whatever is still there after 3 s.
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let group = format!("-{}", child.id());
            let signal = |name: &str| {
                Command::new("kill")
                    .args([name, "--", &group])
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|status| status.success())
            };
            signal("-TERM");
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(3) {
                // Reaps the leader, so that `kill -0` counts the others only.
                let _ = child.try_wait();
                if !signal("-0") {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            signal("-KILL");
            let _ = child.wait();
        }
    }
}

/// Whether `http://host:port/path` answers 2xx (a plain blocking HTTP/1.1 probe).
fn answers_ok(url: &str) -> bool {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let Ok(mut stream) = std::net::TcpStream::connect(authority) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
    let mut head = [0u8; 12];
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_exact(&mut head).is_ok()
        && head[9] == b'2'
}

/// The folder with the workspace's `Cargo.toml`.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// The path of a binary of this workspace, built first if needed.
fn binary(name: &str) -> PathBuf {
    static BUILD: Once = Once::new();
    BUILD.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "-p", "backend", "-p", "lab-server", "--bins"])
            .current_dir(workspace_root())
            .status()
            .expect("cargo runs");
        assert!(
            status.success(),
            "building the backend and the lab server failed"
        );
    });
    // Test binaries live in target/<profile>/deps; programs in target/<profile>.
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap();
    profile_dir.join(name)
}

fn assert_free(port: u16, what: &str) {
    if let Err(e) = TcpListener::bind(("127.0.0.1", port)) {
        panic!(
            "port {port} is taken ({e}), but the browser suite needs it for {what}: \
             stop whatever runs there (a `cargo run -p backend` or `scripts/dev.sh`?)"
        );
    }
}

/// The variable that turns the lab's instruments (`/lab/…`) on. `ENV=production`
/// leaves them off, so a test that reads the server's side under production
/// passes it to [`start_backend`].
pub const INSTRUMENTS_ON: (&str, &str) = ("APP__LAB__ENABLED", "true");

/// The backend on :8000 with the project's `config/` for `env`, plus `vars`.
/// Waits for `/healthz` unless `expect_failure`.
pub fn start_backend(env: &str, vars: &[(&str, &str)], expect_failure: bool) -> Running {
    if let Some(external) = external_env() {
        // The containers run the shipped config, and under production with the
        // instruments on (`scripts/test-compose.sh` sets the same variable).
        let same_vars = vars.is_empty() || (env == "production" && vars == [INSTRUMENTS_ON]);
        assert!(
            external == env && same_vars && !expect_failure,
            "this test needs its own backend (ENV={env}, {vars:?}); the external one runs \
             ENV={external}: filter the tests for E2E_EXTERNAL_ENV"
        );
        return Running::external("backend");
    }
    assert_free(BACKEND_PORT, "the backend");
    let mut command = Command::new(binary("backend"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ENV", env)
        .env("APP_CONFIG_DIR", workspace_root().join("config"))
        .env("RUST_LOG", "info")
        .envs(vars.iter().copied());
    let mut backend = Running::spawn_named("backend", command);
    if !expect_failure {
        backend.wait_until_serving(&format!("http://127.0.0.1:{BACKEND_PORT}/healthz"));
    }
    backend
}

/// The lab's static server on `port`, serving `frontend/dist` with the API at :8000.
/// The lab on [`LAB_PORT`] serves the attacker page on [`ATTACKER_PORT`]; a lab on
/// another port serves it on any free port, out of the way.
pub fn start_lab(port: u16) -> Running {
    if port == LAB_PORT && external_env().is_some() {
        return Running::external("lab-server");
    }
    assert_free(port, "the lab");
    let attacker_port = if port == LAB_PORT { ATTACKER_PORT } else { 0 };
    if attacker_port != 0 {
        assert_free(attacker_port, "the attacker page");
    }
    let dist = workspace_root().join("frontend/dist");
    assert!(
        dist.join("index.html").is_file(),
        "{} has no build of the lab: run scripts/build-frontend.sh first",
        dist.display()
    );
    let mut command = Command::new(binary("lab-server"));
    command
        .env_clear()
        .env("LAB_HOST", "127.0.0.1")
        .env("LAB_PORT", port.to_string())
        .env("ATTACKER_PORT", attacker_port.to_string())
        .env("LAB_DIST", &dist)
        .env("API_BASE_URL", API)
        .env("RUST_LOG", "warn");
    let mut lab = Running::spawn_named("lab-server", command);
    lab.wait_until_serving(&format!("http://127.0.0.1:{port}/"));
    if attacker_port != 0 {
        lab.wait_until_serving(&format!("http://127.0.0.1:{attacker_port}/"));
    }
    lab
}
