//! The lab's origin: the built page (`dist/`) and `/config.json`.
//!
//! Only the lab itself may frame its pages. Its sandboxed frame
//! (`null-origin.html`) sends requests for whoever it trusts, so a page that framed
//! it could try to use it. `Content-Security-Policy: frame-ancestors 'self'`, on
//! every response, tells the browser to refuse such an embedding.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{from_fn, DefaultHeaders};
use actix_web::{web, App, HttpRequest, HttpResponse};

use crate::headers::with_cache_headers;
use crate::hosts::{only_allowed_hosts, AllowedHosts};
use crate::page_config::{config_json, PageConfig};

/// The lab's policy: framed by the lab's own origin, by no other.
pub const FRAME_POLICY: &str = "frame-ancestors 'self'";

/// The built lab (scripts/build-frontend.sh) the page is served from.
#[derive(Debug, Clone)]
struct Dist(PathBuf);

async fn index(dist: web::Data<Dist>, req: HttpRequest) -> actix_web::Result<HttpResponse> {
    let file = NamedFile::open_async(dist.0.join("index.html")).await?;
    let mut response = file.into_response(&req);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// The lab's routes: `/config.json`, the files of `dist`, and `index.html` for
/// every other path (the page's own links).
fn routes(dist: PathBuf, config: PageConfig) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(web::Data::new(Dist(dist.clone())))
            .app_data(web::Data::new(config))
            .route("/config.json", web::get().to(config_json))
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

/// The lab's listener: the `Host` check, the frame policy and the cache headers
/// around [`routes`], on every response.
pub fn app(
    dist: PathBuf,
    config: PageConfig,
    hosts: AllowedHosts,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(hosts))
        .wrap(from_fn(only_allowed_hosts))
        .wrap(DefaultHeaders::new().add((header::CONTENT_SECURITY_POLICY, FRAME_POLICY)))
        .wrap(from_fn(with_cache_headers))
        .configure(routes(dist, config))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::WebOrigin;
    use actix_web::test as actix_test;

    /// A `dist/` of four files, removed when dropped.
    struct TestDist(PathBuf);

    impl TestDist {
        fn new(name: &str) -> TestDist {
            let dir =
                std::env::temp_dir().join(format!("lab-server-{name}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("index.html"), "<!doctype html><title>lab</title>").unwrap();
            std::fs::write(
                dir.join("null-origin.html"),
                "<!doctype html><title>frame</title>",
            )
            .unwrap();
            std::fs::write(dir.join("frontend-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
            std::fs::write(dir.join("lab-0123456789abcdef.css"), "body{}").unwrap();
            TestDist(dir)
        }
    }

    impl Drop for TestDist {
        fn drop(&mut self) {
            std::fs::remove_dir_all(&self.0).ok();
        }
    }

    fn config() -> PageConfig {
        let origin = |value| WebOrigin::parse("test", value).unwrap();
        PageConfig {
            api_base_url: origin("http://api.test:8000"),
            attacker_url: origin("http://localhost:5174"),
            lab_url: origin("http://localhost:5173"),
        }
    }

    /// `method path` as a browser at `http://localhost:5173` sends it.
    fn request(method: &str, path: &str) -> actix_test::TestRequest {
        actix_test::TestRequest::default()
            .method(method.parse().unwrap())
            .uri(path)
            .insert_header((header::HOST, "localhost:5173"))
    }

    #[actix_web::test]
    async fn the_server_hands_out_the_api_url_and_the_right_headers() {
        let dist = TestDist::new("headers");
        let app =
            actix_test::init_service(app(dist.0.clone(), config(), AllowedHosts::default())).await;

        // (path, status, content type prefix, cache-control)
        let cases = [
            ("/", 200, "text/html", "no-cache"),
            ("/null-origin.html", 200, "text/html", "no-cache"),
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
            let response = actix_test::call_service(&app, request("GET", path).to_request()).await;
            assert_eq!(response.status().as_u16(), status, "{path}: status");
            let header = |name| crate::headers::header_text(response.headers(), name);
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
            assert_eq!(header(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{path}");
        }
        let body =
            actix_test::call_and_read_body(&app, request("GET", "/config.json").to_request()).await;
        assert_eq!(
            body,
            r#"{"api_base_url":"http://api.test:8000","attacker_url":"http://localhost:5174","lab_url":"http://localhost:5173"}"#,
            "the page gets the API's URL from the environment, the attacker page's to \
             link to, and the lab's for the attacker page to frame"
        );
    }

    #[actix_web::test]
    async fn every_response_of_the_lab_may_be_framed_by_the_lab_only() {
        let dist = TestDist::new("frame-policy");
        let app =
            actix_test::init_service(app(dist.0.clone(), config(), AllowedHosts::default())).await;
        // (method, path, Host, status, why)
        let cases = [
            ("GET", "/", "localhost:5173", 200, "the lab's page"),
            (
                "GET",
                "/null-origin.html",
                "localhost:5173",
                200,
                "the sandboxed frame's page",
            ),
            ("GET", "/config.json", "localhost:5173", 200, "the config"),
            (
                "GET",
                "/some/deep/link",
                "localhost:5173",
                200,
                "a link into the page",
            ),
            ("HEAD", "/null-origin.html", "localhost:5173", 200, "a HEAD"),
            (
                "POST",
                "/null-origin.html",
                "localhost:5173",
                405,
                "a method the files refuse",
            ),
            (
                "GET",
                "/",
                "rebind.attacker.example:5173",
                421,
                "a refused Host",
            ),
        ];
        for (method, path, host, status, why) in cases {
            let response = actix_test::call_service(
                &app,
                request(method, path)
                    .insert_header((header::HOST, host))
                    .to_request(),
            )
            .await;
            assert_eq!(response.status().as_u16(), status, "{why}: {method} {path}");
            assert_eq!(
                crate::headers::header_text(response.headers(), header::CONTENT_SECURITY_POLICY),
                "frame-ancestors 'self'",
                "{why}: {method} {path} must forbid framing by other origins"
            );
        }
    }

    #[actix_web::test]
    async fn a_foreign_host_gets_421_misdirected_request_from_the_lab() {
        let dist = TestDist::new("hosts");
        let hosts = crate::hosts::from_variable(Some("lab.example.com")).unwrap();
        let app = actix_test::init_service(app(dist.0.clone(), config(), hosts)).await;
        // (Host, status, why); None sends no Host at all.
        let cases = [
            (
                Some("localhost:5173"),
                200,
                "the lab as the browser reaches it",
            ),
            (Some("127.0.0.1:5173"), 200, "the IPv4 loopback"),
            (Some("[::1]:5173"), 200, "the IPv6 loopback"),
            (Some("lab.example.com"), 200, "a name of LAB_ALLOWED_HOSTS"),
            (Some("rebind.attacker.example:5173"), 421, "a rebound name"),
            (
                Some("localhost.attacker.example"),
                421,
                "localhost as a prefix",
            ),
            (None, 421, "no Host"),
        ];
        for (host, status, why) in cases {
            let mut request = actix_test::TestRequest::get().uri("/config.json");
            if let Some(host) = host {
                request = request.insert_header((header::HOST, host));
            }
            let response = actix_test::call_service(&app, request.to_request()).await;
            assert_eq!(response.status().as_u16(), status, "{why}: {host:?}");
            if status == 421 {
                let body = actix_test::read_body(response).await;
                let body = String::from_utf8_lossy(&body);
                assert!(
                    body.contains(host.unwrap_or("no Host")) && body.contains("LAB_ALLOWED_HOSTS"),
                    "{why}: the 421 names the Host and the variable to set: {body}"
                );
            }
        }
    }
}
