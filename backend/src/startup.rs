//! Building the server: shared state, the middleware stack, and the listener.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};

use lab_types::exhibits::EXHIBITS_PREFIX;
use lab_types::public::PUBLIC_PREFIX;

use crate::configuration::{ExhibitsSettings, Settings};
use crate::cors::{self, CorsPolicy};
use crate::errors;
use crate::exhibits;
use crate::middleware::guard_preflights;
use crate::recorder::{record_exchanges, Recorder};
use crate::routes;
use crate::store::ItemStore;

/// How long a stopping server waits for open connections (such as a live event
/// stream) before closing them.
const SHUTDOWN_TIMEOUT_SECS: u64 = 1;

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds `server.host:server.port` (port 0 picks a free one) and builds the server.
    pub fn build(settings: &Settings, policy: CorsPolicy) -> std::io::Result<Self> {
        let address = (settings.server.host.as_str(), settings.server.port);
        let listener = TcpListener::bind(address).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot listen on {}:{}: {e}", address.0, address.1),
            )
        })?;
        let port = listener.local_addr()?.port();
        let recorder = Recorder::new(settings.recorder.capacity);
        let server = run(listener, policy, recorder, settings.exhibits.clone())?;
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT or SIGTERM, then finishes open requests and returns.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn run(
    listener: TcpListener,
    policy: CorsPolicy,
    recorder: Recorder,
    exhibit_settings: ExhibitsSettings,
) -> std::io::Result<Server> {
    let policy = web::Data::new(policy);
    let recorder = web::Data::new(recorder);
    let store = web::Data::new(ItemStore::seeded());
    let exhibit_settings = web::Data::new(exhibit_settings);
    let server = HttpServer::new(move || {
        // Middleware registered with `.wrap` last runs first. From the outside in:
        //
        // 1. record_exchanges: the recorder sees every request and the final
        //    response, CORS headers and rendered errors included.
        // 2. guard_preflights: caps Access-Control-Request-Headers before actix-cors
        //    parses it, and explains refused preflights. It never refuses a preflight
        //    the policy allows.
        // 3. the CORS policy: it must see a preflight before anything that could reject
        //    it. Preflights never carry credentials, so an auth layer outside CORS would
        //    answer them 401 and the browser would only report a CORS failure.
        // 4. routes, some with their own layers (auth on /api/protected).
        //
        // The lab's instruments (/lab) have their own fixed policy: see
        // `cors::instruments_cors`. So do the public endpoints (/public): any origin
        // with `*`, `Authorization` by name, no credentials (`cors::public_cors`), to
        // show that a bearer token is not a credential and works with `*`.
        //
        // The exhibits (/exhibits, only when `[exhibits] enabled`) sit beside the API's
        // scope, not in it: inside the recorder, so their exchanges are recorded, but
        // outside the API's CORS layer and preflight guard, which must not touch them.
        // Each exhibit writes its CORS headers by hand, wrongly on purpose; the API's
        // layer would answer their preflights and mend their headers. When they are
        // disabled nothing is registered, and /exhibits/… falls through to the API's 404.
        let exhibits_enabled = exhibit_settings.enabled;
        App::new()
            .app_data(policy.clone())
            .app_data(recorder.clone())
            .app_data(store.clone())
            .app_data(exhibit_settings.clone())
            .app_data(errors::json_config())
            .app_data(errors::path_config())
            .service(
                web::scope("/lab")
                    .wrap(cors::instruments_cors())
                    .configure(routes::lab),
            )
            .service(
                web::scope(PUBLIC_PREFIX)
                    .wrap(cors::public_cors())
                    .configure(routes::public),
            )
            .configure(|cfg| {
                if exhibits_enabled {
                    cfg.service(
                        web::scope(EXHIBITS_PREFIX)
                            .configure(exhibits::configure)
                            .default_service(web::to(errors::not_found)),
                    );
                }
            })
            .service(
                web::scope("")
                    .wrap(policy.to_actix())
                    .wrap(from_fn(guard_preflights))
                    .configure(routes::api)
                    .default_service(web::to(errors::not_found)),
            )
            .wrap(from_fn(record_exchanges))
    })
    .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
    .listen(listener)?
    .run();
    Ok(server)
}
