use actix_web::web::Json;
use lab_types::Health;

pub async fn check() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}
