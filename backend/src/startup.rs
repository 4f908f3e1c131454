//! Building the server: shared state, the middleware stack, and the listener.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};

use lab_types::governor::{EXHIBITS_PREFIX, LAB_PREFIX, PUBLIC_PREFIX};

use crate::configuration::{ExhibitsSettings, Settings};
use crate::cors::{self, CorsPolicy};
use crate::errors;
use crate::exhibits;
use crate::middleware::{
    check_host, guard_preflights, limit_bodies, refuse_cross_site, AllowedHosts,
};
use crate::recorder::{record_exchanges, Recorder};
use crate::routes;
use crate::settings_check;
use crate::store::ItemStore;

/// How long a stopping server waits for open connections (such as a live event
/// stream) before closing them.
const SHUTDOWN_TIMEOUT_SECS: u64 = 1;

/// The lab's instruments, when `[lab] enabled`: the recorder, and the policy of
/// `/lab` (`cors::instruments_policy`).
#[derive(Clone)]
struct Instruments {
    recorder: web::Data<Recorder>,
    policy: cors_rules::Policy,
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds `server.host:server.port` (port 0 picks a free one) and builds the server.
    pub fn build(settings: &Settings, policy: CorsPolicy) -> std::io::Result<Self> {
        settings_check::refuse_unchecked(settings)?;
        let address = (settings.server.host.as_str(), settings.server.port);
        let listener = TcpListener::bind(address).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot listen on {}:{}: {e}", address.0, address.1),
            )
        })?;
        let port = listener.local_addr()?.port();
        // In range, from 0 to `MAX_RECORDER_CAPACITY`: `refuse_unchecked` made sure.
        let capacity = settings.recorder.capacity as usize;
        let lab = settings.lab.enabled.then(|| Instruments {
            recorder: web::Data::new(Recorder::new(capacity)),
            policy: cors::instruments_policy(&settings.lab.origins),
        });
        let hosts = AllowedHosts::new(&settings.server.allowed_hosts);
        let server = run(listener, policy, lab, hosts, settings.exhibits.clone())?;
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
    lab: Option<Instruments>,
    hosts: AllowedHosts,
    exhibit_settings: ExhibitsSettings,
) -> std::io::Result<Server> {
    let policy = web::Data::new(policy);
    let store = web::Data::new(ItemStore::seeded());
    let exhibit_settings = web::Data::new(exhibit_settings);
    let hosts = web::Data::new(hosts);
    let server = HttpServer::new(move || {
        // Middleware registered with `.wrap` last runs first. From the outside in:
        //
        // 1. check_host: a Host that is not this server's (DNS rebinding) gets 421
        //    before anything else runs, the recorder included.
        // 2. record_exchanges: the recorder sees every request and the final
        //    response, CORS headers and rendered errors included.
        // 3. limit_bodies: every body is read whole before any layer or route sees
        //    the request. Later than 10 s after the head: 408. Over 16 KiB: the route
        //    reads a body that fails, and the JSON routes answer 413 inside CORS.
        //    Outside every scope, so that no answer leaves a body trickling in.
        // 4. guard_preflights: caps Access-Control-Request-Headers before actix-cors
        //    parses it, and explains refused preflights. It never refuses a preflight
        //    the policy allows.
        // 5. the CORS policy: it must see a preflight before anything that could reject
        //    it. A preflight carries no cookies, and only the names of the headers to
        //    come, never their values: no token. So an auth layer outside CORS would
        //    answer it 401, and the browser would only report a CORS failure.
        // 6. refuse_cross_site: a state-changing request from a page the policy does
        //    not trust gets 403 (CSRF). Inside CORS, so the refusal carries its headers;
        //    preflights never reach it.
        // 7. routes, some with their own layers (auth on /api/protected).
        //
        // The lab's instruments (/lab, only when `[lab] enabled`) have a policy of
        // their own: the lab's origins (`lab.origins`), GET only, no credentials
        // (`cors::instruments_policy`). When they are off, neither the scope nor the
        // recorder is registered: /lab/… falls through to the API's 404, and
        // record_exchanges only logs. The public endpoints (/public) have their own
        // fixed policy too: any origin with `*`, `Authorization` by name, no
        // credentials (`cors::public_cors`), to show that a bearer token is not a
        // credential and works with `*`.
        //
        // The exhibits (/exhibits, only when `[exhibits] enabled`) sit beside the API's
        // scope, not in it: inside the recorder, so their exchanges are recorded, but
        // outside the API's CORS layer, preflight guard and cross-site guard, which must
        // not touch them.
        // Each exhibit writes its CORS headers by hand, wrongly on purpose; the API's
        // layer would answer their preflights and mend their headers. When they are
        // disabled nothing is registered, and /exhibits/… falls through to the API's 404.
        let exhibits_enabled = exhibit_settings.enabled;
        App::new()
            .app_data(policy.clone())
            .app_data(store.clone())
            .app_data(exhibit_settings.clone())
            .app_data(errors::json_config())
            .app_data(errors::path_config())
            .app_data(errors::query_config())
            .app_data(hosts.clone())
            .configure(|cfg| {
                if let Some(lab) = &lab {
                    cfg.app_data(lab.recorder.clone()).service(
                        web::scope(LAB_PREFIX)
                            .wrap(cors::instruments_cors(&lab.policy))
                            .configure(routes::lab),
                    );
                }
            })
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
                    .wrap(from_fn(refuse_cross_site))
                    .wrap(policy.to_actix())
                    .wrap(from_fn(guard_preflights))
                    .configure(routes::api)
                    .default_service(web::to(errors::not_found)),
            )
            .wrap(from_fn(limit_bodies))
            .wrap(from_fn(record_exchanges))
            .wrap(from_fn(check_host))
    })
    .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
    .listen(listener)?
    .run();
    Ok(server)
}
