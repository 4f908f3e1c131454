//! The headers every response of both listeners gets.

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};

/// scripts/build-frontend.sh names built assets `name-<hex hash>.ext`: their content never
/// changes under that name, so browsers may keep them for a year. Everything
/// else (`index.html`, `config.json`) must be revalidated on every load, or a
/// new build would keep loading old assets.
pub fn is_hashed_asset(path: &str) -> bool {
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

/// Adds `Cache-Control` (by the file's name) where a handler set none, and
/// `X-Content-Type-Options: nosniff` everywhere.
pub async fn with_cache_headers(
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

/// A response header as text, empty when absent: for the tests of both origins.
#[cfg(test)]
pub(crate) fn header_text(
    headers: &actix_web::http::header::HeaderMap,
    name: actix_web::http::header::HeaderName,
) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("/attacker.js", false),
        ];
        for (path, hashed) in cases {
            assert_eq!(is_hashed_asset(path), hashed, "{path}");
        }
    }
}
