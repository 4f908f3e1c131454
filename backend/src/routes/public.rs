use actix_web::web::Json;
use lab_types::Secret;

/// Reached only with `Authorization: Bearer demo`, from any origin, under
/// `Access-Control-Allow-Origin: *` (see `lab_types::public`).
pub async fn bearer() -> Json<Secret> {
    Json(Secret {
        message: "a bearer token crossed origins under Access-Control-Allow-Origin: *: \
                  a request header, not a credential"
            .into(),
    })
}
