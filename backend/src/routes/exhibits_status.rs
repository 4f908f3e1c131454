use actix_web::web::{Data, Json};
use lab_types::exhibits::ExhibitsStatus;

use crate::configuration::ExhibitsSettings;

/// Whether `/exhibits/…` is served (`[exhibits] enabled`), so that the lab can say so
/// instead of showing sixteen 404s.
pub async fn show(settings: Data<ExhibitsSettings>) -> Json<ExhibitsStatus> {
    Json(ExhibitsStatus {
        enabled: settings.enabled,
    })
}
