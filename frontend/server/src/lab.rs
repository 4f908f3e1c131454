//! The lab's origin: the built page (`dist/`) and `/config.json`.

use std::path::PathBuf;

use actix_files::{Files, NamedFile};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::page_config::{config_json, PageConfig};

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
pub fn routes(dist: PathBuf, config: PageConfig) -> impl FnOnce(&mut web::ServiceConfig) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::headers::with_cache_headers;
    use actix_web::test as actix_test;
    use actix_web::App;

    #[actix_web::test]
    async fn the_server_hands_out_the_api_url_and_the_right_headers() {
        let dir = std::env::temp_dir().join(format!("lab-server-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html><title>lab</title>").unwrap();
        std::fs::write(dir.join("frontend-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(dir.join("lab-0123456789abcdef.css"), "body{}").unwrap();
        let config = PageConfig {
            api_base_url: "http://api.test:8000".into(),
            attacker_url: "http://localhost:5174".into(),
        };
        let app = actix_test::init_service(
            App::new()
                .wrap(actix_web::middleware::from_fn(with_cache_headers))
                .configure(routes(dir.clone(), config)),
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
            "the page gets the API's URL from the environment, and the attacker page's to link to"
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
