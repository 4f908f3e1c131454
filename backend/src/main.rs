//! `backend` serves the API; `backend check-config` only validates the configuration.

use std::process::ExitCode;

use backend::configuration::{EnvSnapshot, Environment, LoadedSettings};
use backend::cors::{self, Validated};
use backend::logging::{self, Logs};
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
    let Validated { policy, warnings } = match cors::validate(&loaded) {
        Ok(validated) => validated,
        Err(errors) => {
            logs.flush();
            for error in &errors {
                eprintln!("error: {error}");
            }
            eprintln!(
                "error: the CORS configuration for ENV={} has {} problem(s); nothing was started",
                loaded.env,
                errors.len()
            );
            return ExitCode::FAILURE;
        }
    };
    for warning in &warnings {
        log::warn!("{warning}");
    }
    let exhibits = exhibits_line(&loaded);
    let exhibits_warning = exhibits_warning(&loaded);
    if let Some(warning) = &exhibits_warning {
        log::warn!("{warning}");
    }
    let warning_count = warnings.len() + usize::from(exhibits_warning.is_some());

    if check_only {
        logs.flush();
        println!("{policy}");
        println!("{exhibits}");
        println!("configuration OK ({warning_count} warning(s))");
        return ExitCode::SUCCESS;
    }
    log::info!("{policy}");
    log::info!("{exhibits}");
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

/// The exhibits in production: allowed, but one of them lets any site read the user.
fn exhibits_warning(loaded: &LoadedSettings) -> Option<String> {
    (loaded.env == Environment::Production && loaded.settings.exhibits.enabled).then(|| {
        format!(
            "exhibits.enabled = true in production ({}): the exhibits are broken on purpose, \
             and {} lets any website read the logged-in user",
            loaded.sources.of("exhibits.enabled"),
            ExhibitId::ReflectAnyOrigin.path()
        )
    })
}
