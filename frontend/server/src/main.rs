//! Serves the built lab (`dist/`) on its own origin, :5173 by default.
//!
//! Why a separate server at all: the lab must live on a *different origin*
//! from the API, or the browser would never apply CORS and there would be
//! nothing to see. It also hands the page the API's URL at run time
//! (`/config.json` from `API_BASE_URL`), so one build works everywhere.
//!
//! Environment:
//! - `LAB_HOST` (default `127.0.0.1`), `LAB_PORT` (default `5173`): where to listen;
//! - `LAB_DIST` (default `frontend/dist` next to this crate): the trunk output;
//! - `API_BASE_URL` (default `http://localhost:8000`): where the page finds the API.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};

/// The settings of one run, read from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Settings {
    host: String,
    port: u16,
    dist: PathBuf,
    api_base_url: String,
}

impl Settings {
    fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let port = match get("LAB_PORT") {
            Some(port) => port
                .parse()
                .map_err(|_| format!("LAB_PORT must be a port number, got `{port}`"))?,
            None => 5173,
        };
        let api_base_url = get("API_BASE_URL")
            .unwrap_or_else(|| "http://localhost:8000".to_string())
            .trim_end_matches('/')
            .to_string();
        if !(api_base_url.starts_with("http://") || api_base_url.starts_with("https://")) {
            return Err(format!(
                "API_BASE_URL must start with http:// or https://, got `{api_base_url}`"
            ));
        }
        Ok(Settings {
            host: get("LAB_HOST").unwrap_or_else(|| "127.0.0.1".to_string()),
            port,
            dist: get("LAB_DIST")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist")),
            api_base_url,
        })
    }
}

/// Trunk names built assets `name-<hex hash>.ext`: their content never
/// changes under that name, so browsers may keep them for a year. Everything
/// else (`index.html`, `config.json`) must be revalidated on every load, or a
/// new build would keep loading old assets.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => {
            (10..=32).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

fn cache_control(path: &str) -> &'static str {
    if is_hashed_asset(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

async fn config(settings: web::Data<Settings>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(serde_json::json!({ "api_base_url": settings.api_base_url }))
}

async fn index(settings: web::Data<Settings>, req: HttpRequest) -> actix_web::Result<HttpResponse> {
    let file = NamedFile::open_async(settings.dist.join("index.html")).await?;
    let mut response = file.into_response(&req);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

fn app_config(settings: Settings) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let dist = settings.dist.clone();
        cfg.app_data(web::Data::new(settings))
            .route("/config.json", web::get().to(config))
            .route("/", web::get().to(index))
            .route("/index.html", web::get().to(index))
            .service(
                Files::new("/", dist)
                    .use_etag(true)
                    .use_last_modified(true)
                    .default_handler(web::to(index)),
            );
    }
}

/// Adds `Cache-Control` to every static file by its name.
async fn with_cache_headers(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let path = req.path().to_string();
    let mut response = next.call(req).await?;
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control(&path)),
        );
    }
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

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
    let address = (settings.host.clone(), settings.port);
    log::info!(
        "serving {} on http://{}:{} (API_BASE_URL={})",
        settings.dist.display(),
        settings.host,
        settings.port,
        settings.api_base_url
    );
    HttpServer::new(move || {
        App::new()
            .wrap(actix_web::middleware::from_fn(with_cache_headers))
            .configure(app_config(settings.clone()))
    })
    .workers(2)
    // Stop within a second on SIGTERM even with a browser's keep-alive connection open.
    .shutdown_timeout(1)
    .bind(address)?
    .run()
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test as actix_test;

    fn settings(dist: PathBuf) -> Settings {
        Settings {
            host: "127.0.0.1".into(),
            port: 0,
            dist,
            api_base_url: "http://api.test:8000".into(),
        }
    }

    #[test]
    fn settings_come_from_the_environment_with_sensible_defaults() {
        let defaults = Settings::from_env(|_| None).expect("defaults are valid");
        assert_eq!((defaults.host.as_str(), defaults.port), ("127.0.0.1", 5173));
        assert_eq!(defaults.api_base_url, "http://localhost:8000");
        let set = Settings::from_env(|name| match name {
            "LAB_HOST" => Some("0.0.0.0".into()),
            "LAB_PORT" => Some("6000".into()),
            "API_BASE_URL" => Some("https://api.example.com/".into()),
            _ => None,
        })
        .expect("valid settings");
        assert_eq!((set.host.as_str(), set.port), ("0.0.0.0", 6000));
        assert_eq!(
            set.api_base_url, "https://api.example.com",
            "trailing slash removed"
        );
        let cases = [("LAB_PORT", "http"), ("API_BASE_URL", "localhost:8000")];
        for (name, value) in cases {
            let error = Settings::from_env(|n| (n == name).then(|| value.to_string()))
                .expect_err("invalid value must be refused");
            assert!(error.contains(name), "the error names {name}: {error}");
        }
    }

    #[test]
    fn only_hashed_assets_are_cached_for_long() {
        let cases = [
            ("/frontend-3f2a9c1d0e4b5a6f_bg.wasm", true),
            ("/frontend-a762ae808d33e2.js", true),
            ("/frontend-3f2a9c1d0e4b5a6f.js", true),
            ("/lab-0123456789abcdef.css", true),
            ("/index.html", false),
            ("/", false),
            ("/config.json", false),
            ("/frontend-xyz.js", false),
        ];
        for (path, hashed) in cases {
            assert_eq!(is_hashed_asset(path), hashed, "{path}");
        }
    }

    #[actix_web::test]
    async fn the_server_hands_out_the_api_url_and_the_right_headers() {
        let dir = std::env::temp_dir().join(format!("lab-server-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html><title>lab</title>").unwrap();
        std::fs::write(dir.join("frontend-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(dir.join("lab-0123456789abcdef.css"), "body{}").unwrap();
        let app = actix_test::init_service(
            App::new()
                .wrap(actix_web::middleware::from_fn(with_cache_headers))
                .configure(app_config(settings(dir.clone()))),
        )
        .await;

        // (path, status, content type prefix, cache-control)
        let cases = [
            ("/", 200, "text/html", "no-cache"),
            ("/config.json", 200, "application/json", "no-cache"),
            (
                "/frontend-0123456789abcdef_bg.wasm",
                200,
                "application/wasm",
                "public, max-age=31536000, immutable",
            ),
            (
                "/lab-0123456789abcdef.css",
                200,
                "text/css",
                "public, max-age=31536000, immutable",
            ),
            ("/some/deep/link", 200, "text/html", "no-cache"),
        ];
        for (path, status, content_type, cache) in cases {
            let response = actix_test::call_service(
                &app,
                actix_test::TestRequest::get().uri(path).to_request(),
            )
            .await;
            assert_eq!(response.status().as_u16(), status, "{path}: status");
            let header = |name| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string()
            };
            assert!(
                header(header::CONTENT_TYPE).starts_with(content_type),
                "{path}: content type {}",
                header(header::CONTENT_TYPE)
            );
            assert_eq!(
                header(header::CACHE_CONTROL),
                cache,
                "{path}: cache-control"
            );
        }
        let body = actix_test::call_and_read_body(
            &app,
            actix_test::TestRequest::get()
                .uri("/config.json")
                .to_request(),
        )
        .await;
        assert_eq!(
            body, r#"{"api_base_url":"http://api.test:8000"}"#,
            "the page gets the API URL from the environment"
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
