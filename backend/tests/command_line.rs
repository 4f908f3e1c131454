//! The `backend` binary itself: `check-config`, and refusing to start on a broken config.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{project_config_dir, TempConfig};

/// Runs the backend binary with only the given variables, in `dir`.
fn backend(args: &[&str], dir: &Path, vars: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backend"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(vars.iter().copied())
        .env("RUST_LOG", "warn")
        .output()
        .expect("the backend binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_config_prints_the_effective_policy_of_each_environment() {
    let config = project_config_dir();
    let config = config.to_str().unwrap();
    // (ENV, an allowed origin, the exhibits' line)
    for (env, expected, exhibits) in [
        (
            "development",
            "http://127.0.0.1:5173",
            "exhibits: enabled (",
        ),
        (
            "production",
            "https://app.example.com",
            "exhibits: disabled (",
        ),
    ] {
        let out = backend(
            &["check-config"],
            Path::new("/"),
            &[("APP_CONFIG_DIR", config), ("ENV", env)],
        );
        let stdout = text(&out.stdout);
        assert!(
            out.status.success(),
            "{env}: check-config failed: {}",
            text(&out.stderr)
        );
        assert!(
            stdout.contains(&format!("ENV={env}")) && stdout.contains(expected),
            "{env}: the policy printed should list {expected}, but was:\n{stdout}"
        );
        assert!(
            stdout.contains(exhibits),
            "{env}: check-config should say {exhibits:?}, but printed:\n{stdout}"
        );
    }
}

#[test]
fn check_config_finds_config_by_walking_up_from_the_working_directory() {
    let backend_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let out = backend(&["check-config"], &backend_dir, &[]);
    assert!(
        out.status.success(),
        "config/ was not found from {}: {}",
        backend_dir.display(),
        text(&out.stderr)
    );
}

/// (what is broken, default.toml, ENV, words stderr must contain)
const BROKEN: &[(&str, &str, &str, &[&str])] = &[
    (
        "the credentials trap",
        "[cors]\nallow_origins = [\"*\"]\nallow_credentials = true\n",
        "development",
        &["cors.allow_origins", "default.toml", "nothing was started"],
    ),
    (
        "an origin with a trailing slash",
        "[cors]\nallow_origins = [\"https://app.example.com/\"]\n",
        "development",
        &[
            "cors.allow_origins[0]",
            "\"https://app.example.com/\"",
            "default.toml",
        ],
    ),
    (
        "an unknown ENV",
        "",
        "staging",
        &["\"staging\"", "development, production"],
    ),
    (
        "a switch that is not a boolean",
        "[exhibits]\nenabled = \"maybe\"\n",
        "development",
        &["exhibits.enabled", "default.toml", "\"maybe\""],
    ),
    (
        "a misspelt key",
        "[cors]\nmax_agee = 5\n",
        "development",
        &["default.toml", "max_agee"],
    ),
];

#[test]
fn a_broken_configuration_exits_non_zero_with_a_message_whether_serving_or_checking() {
    for (what, default_toml, env, expected) in BROKEN {
        let config = TempConfig::new(default_toml);
        let dir = config.path().to_str().unwrap();
        for args in [&["check-config"][..], &[][..]] {
            let out = backend(
                args,
                Path::new("/"),
                &[
                    ("APP_CONFIG_DIR", dir),
                    ("ENV", env),
                    ("APP__SERVER__PORT", "0"),
                ],
            );
            let stderr = text(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{what} {args:?}: exit code, stderr:\n{stderr}"
            );
            for words in *expected {
                assert!(
                    stderr.contains(words),
                    "{what} {args:?}: stderr should contain {words:?}, but was:\n{stderr}"
                );
            }
            assert!(
                !stderr.contains("panicked"),
                "{what}: the backend panicked:\n{stderr}"
            );
        }
    }
}

#[test]
fn a_dotenv_file_in_the_working_directory_is_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "ENV=production\n").unwrap();
    let config = project_config_dir();
    let out = backend(
        &["check-config"],
        dir.path(),
        &[("APP_CONFIG_DIR", config.to_str().unwrap())],
    );
    assert!(
        text(&out.stdout).contains("ENV=production"),
        "ENV from .env was not used: {}",
        text(&out.stdout)
    );
}

#[test]
fn an_unknown_argument_is_a_usage_error() {
    let out = backend(&["serve-please"], Path::new("/"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("usage: backend"));
}

#[test]
fn sigterm_stops_the_server_promptly_even_with_a_live_event_stream_open() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::time::{Duration, Instant};

    let config = project_config_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_backend"))
        .env_clear()
        .env("APP_CONFIG_DIR", &config)
        .env("APP__SERVER__PORT", "0")
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the backend starts");
    let mut log = BufReader::new(child.stderr.take().unwrap());
    let port = loop {
        let mut line = String::new();
        assert!(
            log.read_line(&mut line).unwrap() > 0,
            "the backend exited before listening"
        );
        if let Some(address) = line.split("listening on http://").nth(1) {
            break address.trim().rsplit(':').next().unwrap().to_string();
        }
    };

    let mut stream = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    write!(
        stream,
        "GET /lab/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut first = [0u8; 64];
    let read = stream.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..read]).starts_with("HTTP/1.1 200"));

    let started = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "a graceful stop exits 0, got {status}");
}
