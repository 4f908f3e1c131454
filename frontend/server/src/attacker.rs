//! The attacker's origin: a plain page (HTML, CSS and JavaScript, no wasm) on a
//! port of its own, that tries to read the logged-in user from the API. Its files
//! are in `frontend/attacker/`, compiled into this binary.
//!
//! It is served with a strict Content-Security-Policy: scripts and styles from this
//! origin only, `fetch()` to this origin (for `/config.json`) and to the API's, a
//! frame from the lab's origin, a form posted to the API, and nothing else. The
//! attacks it runs are the point, not a loophole.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{from_fn, DefaultHeaders};
use actix_web::{web, App, HttpResponse};

use crate::headers::with_cache_headers;
use crate::hosts::{only_allowed_hosts, AllowedHosts};
use crate::page_config::{config_json, PageConfig};

const INDEX: &str = include_str!("../../attacker/index.html");
const SCRIPT: &str = include_str!("../../attacker/attacker.js");
const STYLE: &str = include_str!("../../attacker/attacker.css");

/// The policy of every response of this origin. Its sources are
/// [`crate::origin::WebOrigin`]s, so no variable can add a directive to it.
fn content_security_policy(config: &PageConfig) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; \
         connect-src 'self' {api}; frame-src {lab}; base-uri 'none'; form-action {api}; \
         frame-ancestors 'none'",
        api = config.api_base_url,
        lab = config.lab_url,
    )
}

fn file(content_type: &str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body)
}

async fn index() -> HttpResponse {
    file("text/html; charset=utf-8", INDEX)
}

async fn script() -> HttpResponse {
    file("text/javascript; charset=utf-8", SCRIPT)
}

async fn style() -> HttpResponse {
    file("text/css; charset=utf-8", STYLE)
}

async fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body("not found: the attacker page is at /")
}

/// The attacker's listener: its page, its two files and `/config.json`, every
/// answer with the policy, behind the `Host` check.
pub fn app(
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
    let policy = DefaultHeaders::new()
        .add((
            header::CONTENT_SECURITY_POLICY,
            content_security_policy(&config),
        ))
        .add((header::REFERRER_POLICY, "no-referrer"));
    App::new()
        .app_data(web::Data::new(hosts))
        .app_data(web::Data::new(config))
        .wrap(from_fn(only_allowed_hosts))
        .wrap(policy)
        .wrap(from_fn(with_cache_headers))
        .route("/config.json", web::get().to(config_json))
        .route("/", web::get().to(index))
        .route("/index.html", web::get().to(index))
        .route("/attacker.js", web::get().to(script))
        .route("/attacker.css", web::get().to(style))
        .default_service(web::to(not_found))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::WebOrigin;
    use actix_web::test as actix_test;

    fn config() -> PageConfig {
        let origin = |value| WebOrigin::parse("test", value).unwrap();
        PageConfig {
            api_base_url: origin("http://api.test:8000"),
            attacker_url: origin("http://localhost:5174"),
            lab_url: origin("http://lab.test:5173"),
        }
    }

    #[test]
    fn the_policy_lets_the_page_call_the_api_frame_the_lab_and_post_to_the_api_only() {
        let csp = content_security_policy(&config());
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "connect-src 'self' http://api.test:8000;",
            "frame-src http://lab.test:5173;",
            "form-action http://api.test:8000;",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{directive} in {csp}");
        }
        assert!(!csp.contains("unsafe"), "no unsafe-* source: {csp}");
    }

    #[test]
    fn the_page_is_plain_html_with_its_script_and_the_elements_the_tests_read() {
        assert!(INDEX.contains(r#"<script src="/attacker.js" defer></script>"#));
        assert!(
            !INDEX.contains("<script>") && !INDEX.contains("style="),
            "nothing inline: the policy would block it"
        );
        for testid in [
            "attack-origin",
            "attack-exhibit",
            "attack-api",
            "attack-frame",
            "attack-login-form",
            "attack-login-submit",
        ] {
            assert!(
                INDEX.contains(&format!(r#"data-testid="{testid}""#)),
                "{testid}"
            );
        }
        assert!(
            INDEX.contains(r#"<form method="post" enctype="application/x-www-form-urlencoded""#),
            "the login form is a plain form: no CORS, no preflight"
        );
        for path in [
            "/exhibits/reflect-any-origin",
            "/api/whoami",
            "/api/items",
            "/null-origin.html",
            "/api/login",
        ] {
            assert!(SCRIPT.contains(path), "the script attacks {path}");
        }
    }

    /// `GET path` as a browser at `http://localhost:5174` sends it.
    fn get(path: &str) -> actix_test::TestRequest {
        actix_test::TestRequest::get()
            .uri(path)
            .insert_header((header::HOST, "localhost:5174"))
    }

    #[actix_web::test]
    async fn the_attacker_origin_serves_its_page_its_files_and_the_config() {
        let app = actix_test::init_service(app(config(), AllowedHosts::default())).await;
        // (path, status, content type prefix)
        let cases = [
            ("/", 200, "text/html"),
            ("/attacker.js", 200, "text/javascript"),
            ("/attacker.css", 200, "text/css"),
            ("/config.json", 200, "application/json"),
            ("/frontend-0123456789abcdef_bg.wasm", 404, "text/plain"),
        ];
        for (path, status, content_type) in cases {
            let response = actix_test::call_service(&app, get(path).to_request()).await;
            assert_eq!(response.status().as_u16(), status, "{path}: status");
            let header = |name| crate::headers::header_text(response.headers(), name);
            assert!(
                header(header::CONTENT_TYPE).starts_with(content_type),
                "{path}: content type {}",
                header(header::CONTENT_TYPE)
            );
            assert_eq!(header(header::CACHE_CONTROL), "no-cache", "{path}");
            assert_eq!(header(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{path}");
            assert_eq!(
                header(header::CONTENT_SECURITY_POLICY),
                content_security_policy(&config()),
                "{path}: the page may call the API and nothing else"
            );
        }
        let body = actix_test::call_and_read_body(&app, get("/config.json").to_request()).await;
        assert_eq!(
            body,
            r#"{"api_base_url":"http://api.test:8000","attacker_url":"http://localhost:5174","lab_url":"http://lab.test:5173"}"#,
            "the attacker reads the API's URL as the lab does, and the lab's to frame it"
        );
    }

    #[actix_web::test]
    async fn a_foreign_host_gets_421_misdirected_request_from_the_attacker_page() {
        let app = actix_test::init_service(app(config(), AllowedHosts::default())).await;
        // (Host, status, why); None sends no Host at all.
        let cases = [
            (
                Some("localhost:5174"),
                200,
                "the attacker page as the browser reaches it",
            ),
            (
                Some("127.0.0.1:5174"),
                200,
                "the IPv4 loopback, another site",
            ),
            (Some("rebind.attacker.example:5174"), 421, "a rebound name"),
            (Some("lab.example.com"), 421, "a name nobody listed"),
            (None, 421, "no Host"),
        ];
        for (host, status, why) in cases {
            let mut request = actix_test::TestRequest::get().uri("/");
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
