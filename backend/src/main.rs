//! `backend` serves the API; `backend check-config` only validates the configuration.

use std::process::ExitCode;

use backend::configuration::{EnvSnapshot, LoadedSettings};
use backend::cors::{self, Validated};
use backend::logging::{self, Logs};
use backend::settings_check::{self, Checked};
use backend::startup::Application;
use lab_types::exhibits::{ExhibitId, EXHIBITS_PREFIX};

const USAGE: &str = "usage: backend [check-config]

  (no argument)  load config/ for $ENV (development by default), validate it, serve
  check-config   load and validate the configuration, print the effective policy, exit";

fn main() -> ExitCode {
    let check_only = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("check-config") => true,
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("error: unknown argument {other:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let vars = match EnvSnapshot::capture() {
        Ok(vars) => vars,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    // `info` unless RUST_LOG (from the environment or .env) says otherwise. The log
    // is written by a thread of its own; dropped at the end of `main`, `logs` writes
    // what is left (see `logging`).
    let logs = logging::init(vars.get("RUST_LOG").unwrap_or("info"));
    run(check_only, &vars, &logs)
}

/// Everything after the log is set up. Before writing to stderr or stdout itself, it
/// flushes the log, so that what it prints comes after the lines logged before.
fn run(check_only: bool, vars: &EnvSnapshot, logs: &Logs) -> ExitCode {
    let loaded = match LoadedSettings::load(vars) {
        Ok(loaded) => loaded,
        Err(error) => {
            logs.flush();
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Both checks run before either is reported, so that one run shows every problem.
    let (validated, checked) = (cors::validate(&loaded), settings_check::check(&loaded));
    let (Validated { policy, warnings }, Checked { warnings: more }) = match (validated, checked) {
        (Ok(validated), Ok(checked)) => (validated, checked),
        (validated, checked) => {
            let errors: Vec<String> = (validated.err().into_iter().flatten())
                .map(|error| error.to_string())
                .chain(checked.err().into_iter().flatten().map(|e| e.to_string()))
                .collect();
            logs.flush();
            for error in &errors {
                eprintln!("error: {error}");
            }
            eprintln!(
                "error: the configuration for ENV={} has {} problem(s); nothing was started",
                loaded.env,
                errors.len()
            );
            return ExitCode::FAILURE;
        }
    };
    for warning in &warnings {
        log::warn!("{warning}");
    }
    for warning in &more {
        log::warn!("{warning}");
    }
    let exhibits = exhibits_line(&loaded);
    let lab = lab_line(&loaded);
    let warning_count = warnings.len() + more.len();

    if check_only {
        logs.flush();
        println!("{policy}");
        println!("{exhibits}");
        println!("{lab}");
        println!("configuration OK ({warning_count} warning(s))");
        return ExitCode::SUCCESS;
    }
    log::info!("{policy}");
    log::info!("{exhibits}");
    log::info!("{lab}");
    let served = actix_web::rt::System::new().block_on(async {
        let app = Application::build(&loaded.settings, policy)?;
        log::info!(
            "listening on http://{}:{}",
            loaded.settings.server.host,
            app.port()
        );
        app.run_until_stopped().await
    });
    match served {
        Ok(()) => {
            // The last line, written as `logs` is dropped (tests/log_writer.rs).
            log::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            logs.flush();
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `[exhibits] enabled`, as `check-config` prints it and the server logs it.
fn exhibits_line(loaded: &LoadedSettings) -> String {
    let source = loaded.sources.of("exhibits.enabled");
    if loaded.settings.exhibits.enabled {
        format!(
            "exhibits: enabled ({source}): {} deliberately misconfigured endpoints under {EXHIBITS_PREFIX}",
            ExhibitId::ALL.len()
        )
    } else {
        format!("exhibits: disabled ({source}): {EXHIBITS_PREFIX}/... answers 404")
    }
}

/// `[lab] enabled`, as `check-config` prints it and the server logs it.
fn lab_line(loaded: &LoadedSettings) -> String {
    let lab = &loaded.settings.lab;
    let source = loaded.sources.of("lab.enabled");
    if lab.enabled {
        format!(
            "lab: enabled ({source}): the recorder keeps exchanges, and /lab/... answers only \
             lab.origins ({}, from {})",
            lab.origins.join(", "),
            loaded.sources.of("lab.origins")
        )
    } else {
        format!("lab: disabled ({source}): nothing is recorded, and /lab/... answers 404")
    }
}
