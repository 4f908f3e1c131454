use actix_web::web::Json;
use lab_types::Secret;

/// Reached only with `Authorization: Bearer demo` (see `middleware/require_bearer.rs`).
pub async fn secret() -> Json<Secret> {
    Json(Secret {
        message: "the preflight passed without credentials, then the token was checked".into(),
    })
}
