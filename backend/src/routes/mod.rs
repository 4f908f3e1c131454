//! The HTTP routes, in groups with different CORS policies (see `startup.rs`).

mod exhibits_status;
mod health;
mod items;
mod lab;
mod policy;
mod protected;
mod public;
pub(crate) mod session;
mod trace;

use actix_web::middleware::from_fn;
use actix_web::web::{self, ServiceConfig};

use crate::errors;
use crate::middleware::require_bearer;

/// The demo API the lab's scenarios call, served under the policy from `config/`.
pub fn api(cfg: &mut ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::check)).service(
        web::scope("/api")
            .route("/policy", web::get().to(policy::show))
            .route("/items", web::get().to(items::list))
            .route("/items", web::post().to(items::create))
            .route("/items/{id}", web::get().to(items::get))
            .route("/items/{id}", web::put().to(items::replace))
            .route("/items/{id}", web::patch().to(items::patch))
            .route("/items/{id}", web::delete().to(items::delete))
            .route("/trace", web::get().to(trace::echo))
            .route("/login", web::post().to(session::login))
            .route("/whoami", web::get().to(session::whoami))
            .route("/logout", web::post().to(session::logout))
            .service(
                web::resource("/protected")
                    // Inside the CORS layer: see `middleware/require_bearer.rs`.
                    .wrap(from_fn(require_bearer))
                    .route(web::get().to(protected::secret)),
            )
            .default_service(web::to(errors::not_found)),
    );
}

/// The lab's read-only instruments, served under their own fixed policy.
pub fn lab(cfg: &mut ServiceConfig) {
    cfg.route("/policy", web::get().to(policy::show))
        .route("/exchanges", web::get().to(lab::exchanges))
        .route("/recorder", web::get().to(lab::recorder))
        .route("/events", web::get().to(lab::events))
        .route("/exhibits", web::get().to(exhibits_status::show));
}

/// The public endpoints (mounted at `lab_types::public::PUBLIC_PREFIX`), served
/// under their own fixed policy (`cors::public_cors`): any origin, no credentials.
pub fn public(cfg: &mut ServiceConfig) {
    cfg.service(
        web::resource("/bearer")
            // Inside the CORS layer, as on /api/protected: the preflight carries no
            // token, and the 401 must carry `*` for the page to read it.
            .wrap(from_fn(require_bearer))
            .route(web::get().to(public::bearer)),
    )
    .default_service(web::to(errors::not_found));
}
