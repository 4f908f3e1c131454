use actix_web::web::{Data, Json};
use lab_types::PolicyView;

use crate::cors::CorsPolicy;

/// The effective policy: what is really enforced, defaults and normalisation included.
pub async fn show(policy: Data<CorsPolicy>) -> Json<PolicyView> {
    Json(policy.view())
}
