//! The attacker's origin: a plain page (HTML, CSS and JavaScript, no wasm) on a
//! port of its own, that tries to read the logged-in user from the API. Its files
//! are in `frontend/attacker/`, compiled into this binary.
//!
//! It is served with a strict Content-Security-Policy: scripts and styles from this
//! origin only, `fetch()` to this origin (for `/config.json`) and to the API's, and
//! nothing else. The attacks it runs are the point, not a loophole.

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, HttpResponse};

use crate::page_config::{config_json, PageConfig};

const INDEX: &str = include_str!("../../attacker/index.html");
const SCRIPT: &str = include_str!("../../attacker/attacker.js");
const STYLE: &str = include_str!("../../attacker/attacker.css");

/// The policy of every response of this origin.
fn content_security_policy(api_base_url: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; \
         connect-src 'self' {}; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'",
        origin_of(api_base_url)
    )
}

/// `scheme://host[:port]` of an `http(s)://` URL.
fn origin_of(url: &str) -> &str {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    match url[authority_start..].find(['/', '?', '#']) {
        Some(end) => &url[..authority_start + end],
        None => url,
    }
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

/// The attacker's routes: its page, its two files and `/config.json`, every
/// answer with the policy.
pub fn routes(config: PageConfig) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        let policy = DefaultHeaders::new()
            .add((
                header::CONTENT_SECURITY_POLICY,
                content_security_policy(&config.api_base_url),
            ))
            .add((header::REFERRER_POLICY, "no-referrer"));
        cfg.service(
            web::scope("")
                .wrap(policy)
                .app_data(web::Data::new(config))
                .route("/config.json", web::get().to(config_json))
                .route("/", web::get().to(index))
                .route("/index.html", web::get().to(index))
                .route("/attacker.js", web::get().to(script))
                .route("/attacker.css", web::get().to(style))
                .default_service(web::to(not_found)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::headers::with_cache_headers;
    use actix_web::test as actix_test;
    use actix_web::App;

    #[test]
    fn the_policy_lets_the_page_call_only_itself_and_the_api() {
        assert_eq!(origin_of("http://localhost:8000"), "http://localhost:8000");
        assert_eq!(
            origin_of("https://api.example.com/v1?x#y"),
            "https://api.example.com"
        );
        let csp = content_security_policy("http://localhost:8000");
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "connect-src 'self' http://localhost:8000",
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
        for testid in ["attack-origin", "attack-exhibit", "attack-api"] {
            assert!(
                INDEX.contains(&format!(r#"data-testid="{testid}""#)),
                "{testid}"
            );
        }
        for path in ["/exhibits/reflect-any-origin", "/api/whoami"] {
            assert!(SCRIPT.contains(path), "the script attacks {path}");
        }
    }

    #[actix_web::test]
    async fn the_attacker_origin_serves_its_page_its_files_and_the_config() {
        let config = PageConfig {
            api_base_url: "http://api.test:8000".into(),
            attacker_url: "http://localhost:5174".into(),
        };
        let app = actix_test::init_service(
            App::new()
                .wrap(actix_web::middleware::from_fn(with_cache_headers))
                .configure(routes(config)),
        )
        .await;
        // (path, status, content type prefix)
        let cases = [
            ("/", 200, "text/html"),
            ("/attacker.js", 200, "text/javascript"),
            ("/attacker.css", 200, "text/css"),
            ("/config.json", 200, "application/json"),
            ("/frontend-0123456789abcdef_bg.wasm", 404, "text/plain"),
        ];
        for (path, status, content_type) in cases {
            let response = actix_test::call_service(
                &app,
                actix_test::TestRequest::get().uri(path).to_request(),
            )
            .await;
            assert_eq!(response.status().as_u16(), status, "{path}: status");
            let header = |name| crate::headers::header_text(response.headers(), name);
            assert!(
                header(header::CONTENT_TYPE).starts_with(content_type),
                "{path}: content type {}",
                header(header::CONTENT_TYPE)
            );
            assert_eq!(header(header::CACHE_CONTROL), "no-cache", "{path}");
            assert_eq!(header(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{path}");
            assert!(
                header(header::CONTENT_SECURITY_POLICY)
                    .contains("connect-src 'self' http://api.test:8000"),
                "{path}: the page may call the API and nothing else"
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
            body,
            r#"{"api_base_url":"http://api.test:8000","attacker_url":"http://localhost:5174"}"#,
            "the attacker reads the API's URL as the lab does"
        );
    }
}
