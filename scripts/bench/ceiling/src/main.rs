//! The bench's ceiling: what the backend would cost with actix-cors and nothing else.
//!
//! It loads `config/` for `$ENV` exactly as the backend does and serves the backend's
//! own API routes behind the same `actix_cors::Cors` value (`CorsPolicy::to_actix`),
//! so the policy, the router and the handlers are the backend's. What it leaves out is
//! what `scripts/bench.sh` measures the cost of: the preflight guard, the recorder and
//! the log line per CORS decision (no logger is installed). One actix worker per core
//! it sees, like the backend; under `taskset -c N`, one.

use std::process::ExitCode;

use actix_web::{web, App, HttpServer};
use backend::configuration::{EnvSnapshot, LoadedSettings};
use backend::cors::{self, Validated};
use backend::routes;
use backend::store::ItemStore;

fn main() -> ExitCode {
    let loaded = match EnvSnapshot::capture().and_then(|vars| LoadedSettings::load(&vars)) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let policy = match cors::validate(&loaded) {
        Ok(Validated { policy, .. }) => policy,
        Err(errors) => {
            for error in &errors {
                eprintln!("error: {error}");
            }
            return ExitCode::FAILURE;
        }
    };
    let address = (
        loaded.settings.server.host.clone(),
        loaded.settings.server.port,
    );
    let served = actix_web::rt::System::new().block_on(async move {
        let policy = web::Data::new(policy);
        let store = web::Data::new(ItemStore::seeded());
        HttpServer::new(move || {
            App::new()
                .app_data(policy.clone())
                .app_data(store.clone())
                .service(
                    web::scope("")
                        .wrap(policy.to_actix())
                        .configure(routes::api),
                )
        })
        .shutdown_timeout(1)
        .bind(address)?
        .run()
        .await
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
