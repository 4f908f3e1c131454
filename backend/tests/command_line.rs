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
    // (ENV, an allowed origin, the exhibits' line, the lab's line)
    for (env, expected, exhibits, lab) in [
        (
            "development",
            "http://127.0.0.1:5173",
            "exhibits: enabled (",
            "lab: enabled (",
        ),
        (
            "production",
            "https://app.example.com",
            "exhibits: disabled (",
            "lab: disabled (",
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
        assert!(
            stdout.lines().any(|line| line.starts_with(lab)),
            "{env}: check-config should print a line {lab:?}…, but printed:\n{stdout}"
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
    (
        "the lab's instruments open to every origin",
        "[lab]\norigins = [\"*\"]\n",
        "development",
        &[
            "lab.origins[0]",
            "\"*\"",
            "default.toml",
            "nothing was started",
        ],
    ),
    (
        "an allowed host with its port",
        "[server]\nallowed_hosts = [\"api.example.com:443\"]\n",
        "development",
        &[
            "server.allowed_hosts[0]",
            "\"api.example.com:443\"",
            "default.toml",
        ],
    ),
    (
        "a CORS mistake and a lab mistake, reported together",
        "[cors]\nallow_origins = [\"https://app.example.com/\"]\n[lab]\norigins = [\"null\"]\n",
        "development",
        &["cors.allow_origins[0]", "lab.origins[0]", "2 problem(s)"],
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

/// (`recorder.capacity` as a variable, whether it is accepted, why)
const CAPACITIES: &[(&str, bool, &str)] = &[
    (
        "1000000000000",
        false,
        "1e12 exchanges: the server aborted, out of memory",
    ),
    (
        "100000000000000000",
        false,
        "1e17 exchanges: the server panicked",
    ),
    ("10001", false, "one more than the most"),
    ("-1", false, "a negative count"),
    ("0", true, "0 records nothing"),
    ("1", true, "the smallest ring"),
    ("10000", true, "the most"),
];

#[test]
fn a_recorder_capacity_out_of_range_is_refused_naming_the_key_and_its_variable() {
    let config = project_config_dir();
    let config = config.to_str().unwrap();
    for (capacity, accepted, why) in CAPACITIES {
        let vars = [
            ("APP_CONFIG_DIR", config),
            ("APP__RECORDER__CAPACITY", *capacity),
            ("APP__SERVER__PORT", "0"),
        ];
        // Serving only where it must refuse: an accepted value would serve.
        let runs: &[&[&str]] = match accepted {
            true => &[&["check-config"]],
            false => &[&["check-config"], &[]],
        };
        for args in runs {
            let out = backend(args, Path::new("/"), &vars);
            let stderr = text(&out.stderr);
            let context = format!("capacity {capacity} ({why}) {args:?}; stderr:\n{stderr}");
            assert!(!stderr.contains("panicked"), "{context}");
            if *accepted {
                assert!(out.status.success(), "{context}");
                continue;
            }
            assert_eq!(out.status.code(), Some(1), "{context}");
            for words in [
                "recorder.capacity",
                "environment variable APP__RECORDER__CAPACITY",
                "from 0 to 10000",
            ] {
                assert!(stderr.contains(words), "names {words:?}: {context}");
            }
        }
    }
}

/// A setting that starts with a warning: (what, ENV, variables, words the warning
/// must contain, the start of the lab's line).
type Warned = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
    &'static str,
);

const WARNED: &[Warned] = &[
    (
        "the lab's instruments on under production",
        "production",
        &[("APP__LAB__ENABLED", "true")],
        &[
            "lab.enabled",
            "environment variable APP__LAB__ENABLED",
            "anyone who can reach the API can read the paths",
        ],
        "lab: enabled (environment variable APP__LAB__ENABLED)",
    ),
    (
        "the exhibits on every interface (a container binds 0.0.0.0)",
        "development",
        &[("APP__SERVER__HOST", "0.0.0.0")],
        &[
            "server.host = \"0.0.0.0\"",
            "environment variable APP__SERVER__HOST",
            "exhibits.enabled = true",
            "reachable beyond this machine",
        ],
        "lab: enabled (",
    ),
    (
        "the exhibits on a LAN address",
        "development",
        &[("APP__SERVER__HOST", "192.168.1.20")],
        &[
            "server.host = \"192.168.1.20\"",
            "reachable beyond this machine",
        ],
        "lab: enabled (",
    ),
];

#[test]
fn check_config_warns_about_settings_that_expose_the_lab_or_the_exhibits() {
    let config = project_config_dir();
    let config = config.to_str().unwrap();
    for (what, env, overrides, words, lab) in WARNED {
        let mut vars = vec![("APP_CONFIG_DIR", config), ("ENV", *env)];
        vars.extend_from_slice(overrides);
        let out = backend(&["check-config"], Path::new("/"), &vars);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        let context = format!("{what}; stdout:\n{stdout}\nstderr:\n{stderr}");
        assert!(out.status.success(), "a warning still starts: {context}");
        let warning = stderr
            .lines()
            .find(|line| line.contains(" WARN ") && words.iter().all(|w| line.contains(w)));
        assert!(warning.is_some(), "one WARN line with {words:?}: {context}");
        assert!(
            stdout.lines().any(|line| line.starts_with(lab)),
            "the line {lab:?}: {context}"
        );
        assert!(
            !stdout.contains("(0 warning(s))"),
            "the warning is counted: {context}"
        );
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
