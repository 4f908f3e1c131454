//! `/config.json`: what a page learns at run time, on both origins.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::origin::WebOrigin;

/// Origins as the *browser* reaches them (not as this server would).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageConfig {
    /// Where the API is: `API_BASE_URL`.
    pub api_base_url: WebOrigin,
    /// Where the attacker page is, so that the lab can link to it.
    pub attacker_url: WebOrigin,
    /// Where the lab is, so that the attacker page can frame the lab's pages.
    pub lab_url: WebOrigin,
}

/// `GET /config.json`.
pub async fn config_json(config: web::Data<PageConfig>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(json!({
            "api_base_url": config.api_base_url.as_str(),
            "attacker_url": config.attacker_url.as_str(),
            "lab_url": config.lab_url.as_str(),
        }))
}
