//! Serves the built lab (`dist/`) on its own origin, :5173 by default, and the
//! attacker page on another, :5174 by default.
//!
//! Why a separate server at all: the lab must live on a *different origin*
//! from the API, or the browser would never apply CORS and there would be
//! nothing to see. It also hands the page the API's URL at run time
//! (`/config.json` from `API_BASE_URL`), so one build works everywhere.
//!
//! The attacker page (`frontend/attacker/`, compiled in) plays a malicious site
//! on a second port of the same host: another origin, but the same *site* as
//! `localhost:8000`, so the API's `SameSite=Lax` cookie goes along with its calls.
//!
//! Environment:
//! - `LAB_HOST` (default `127.0.0.1`), `LAB_PORT` (default `5173`): where to listen;
//! - `ATTACKER_PORT` (default `5174`): the attacker page's port on the same host;
//! - `LAB_DIST` (default `frontend/dist` next to this crate): the built lab;
//! - `API_BASE_URL` (default `http://localhost:8000`): where the page finds the API;
//! - `ATTACKER_URL` (default `http://localhost:<attacker port>`): where the lab
//!   links to the attacker page, as the browser reaches it;
//! - `LAB_URL` (default `http://localhost:<lab port>`): where the attacker page
//!   finds the lab, as the browser reaches it;
//! - `LAB_ALLOWED_HOSTS` (default none): host names both listeners answer to,
//!   besides `localhost`, `127.0.0.1` and `[::1]` (see `hosts`).
//!
//! The three URL variables must be origins, `scheme://host[:port]` (see `origin`).

mod attacker;
mod headers;
mod hosts;
mod lab;
mod origin;
mod page_config;
mod settings;

use actix_web::HttpServer;

use page_config::PageConfig;
use settings::Settings;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::init_from_env(env_logger::Env::default().default_filter_or("info"));
    let settings = match Settings::from_env(|name| std::env::var(name).ok()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("lab-server: {error}");
            std::process::exit(2);
        }
    };
    if !settings.dist.join("index.html").is_file() {
        eprintln!(
            "lab-server: no index.html in {} — build the lab first: scripts/build-frontend.sh",
            settings.dist.display()
        );
        std::process::exit(2);
    }
    let host = settings.host.clone();
    let hosts = settings.allowed_hosts.clone();
    // Each page's /config.json names the other's port: both listeners bind
    // first, and are served once both ports are known.
    let attacker_listener = listen(&host, settings.attacker_port, "ATTACKER_PORT");
    let lab_listener = listen(&host, settings.port, "LAB_PORT");
    let port_of = |listener: &std::net::TcpListener| {
        listener.local_addr().map(|a| a.port()).unwrap_or_default()
    };
    let config = PageConfig {
        api_base_url: settings.api_base_url.clone(),
        attacker_url: settings.attacker_url(port_of(&attacker_listener)),
        lab_url: settings.lab_url(port_of(&lab_listener)),
    };

    let (attacker_config, attacker_hosts) = (config.clone(), hosts.clone());
    let attacker =
        HttpServer::new(move || attacker::app(attacker_config.clone(), attacker_hosts.clone()))
            .workers(1)
            .shutdown_timeout(1)
            .listen(attacker_listener)?;
    let attacker_port = attacker.addrs()[0].port();

    let dist = settings.dist.clone();
    let lab_config = config.clone();
    let lab = HttpServer::new(move || lab::app(dist.clone(), lab_config.clone(), hosts.clone()))
        .workers(2)
        // Stop within a second on SIGTERM even with a browser's keep-alive connection open.
        .shutdown_timeout(1)
        .listen(lab_listener)?;

    log::info!(
        "serving {} on http://{}:{} (framed as {}, API_BASE_URL={}), the attacker page on \
         http://{}:{} (linked as {})",
        settings.dist.display(),
        host,
        lab.addrs()[0].port(),
        config.lab_url,
        config.api_base_url,
        host,
        attacker_port,
        config.attacker_url
    );
    // Each server stops on SIGTERM or Ctrl-C by itself; when the lab stops for
    // any reason, the attacker page stops with it.
    let attacker = attacker.run();
    let attacker_handle = attacker.handle();
    let attacker = actix_web::rt::spawn(attacker);
    let served = lab.run().await;
    attacker_handle.stop(true).await;
    attacker.await.map_err(std::io::Error::other)??;
    served
}

/// A listener on `host:port`, or the process exits naming the variable of the port.
fn listen(host: &str, port: u16, variable: &str) -> std::net::TcpListener {
    std::net::TcpListener::bind((host, port)).unwrap_or_else(|error| {
        eprintln!("lab-server: cannot listen on {host}:{port} ({variable}): {error}");
        std::process::exit(1);
    })
}
