//! `backend` serves the API; `backend check-config` only validates the configuration.

use std::process::ExitCode;

use backend::configuration::{EnvSnapshot, LoadedSettings};
use backend::cors::{self, Validated};
use backend::startup::Application;

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

    let loaded = match EnvSnapshot::capture().and_then(|vars| {
        init_logging(&vars);
        LoadedSettings::load(&vars)
    }) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let Validated { policy, warnings } = match cors::validate(&loaded) {
        Ok(validated) => validated,
        Err(errors) => {
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

    if check_only {
        println!("{policy}");
        println!("configuration OK ({} warning(s))", warnings.len());
        return ExitCode::SUCCESS;
    }
    log::info!("{policy}");
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
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `info` unless RUST_LOG (from the environment or .env) says otherwise.
fn init_logging(vars: &EnvSnapshot) {
    env_logger::Builder::new()
        .parse_filters(vars.get("RUST_LOG").unwrap_or("info"))
        .init();
}
