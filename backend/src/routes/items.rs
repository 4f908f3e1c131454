//! `/api/items`: a small collection whose methods cover both kinds of CORS request.
//!
//! `GET` is a *simple* request: the browser sends it straight away and only then
//! decides whether the page may read the answer. `POST` with a JSON body, `PUT`,
//! `PATCH` and `DELETE` are *preflighted*: the browser first asks with `OPTIONS`
//! and sends nothing if the answer is no.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Json, Path};
use actix_web::HttpResponse;
use lab_types::{ErrorCode, Item, ItemPatch, NewItem};

use crate::errors::AppError;
use crate::store::{ItemStore, StoreError, MAX_ITEMS};

/// The list, with two extra response headers. Only `X-Total-Count` is in
/// `expose_headers`, so a cross-origin page can read it but not `X-Served-By`.
pub async fn list(store: Data<ItemStore>) -> HttpResponse {
    let items = store.list();
    HttpResponse::Ok()
        .insert_header(("X-Total-Count", items.len().to_string()))
        .insert_header(("X-Served-By", "cors-lab-backend"))
        .json(items)
}

pub async fn get(store: Data<ItemStore>, id: Path<u64>) -> Result<Json<Item>, AppError> {
    Ok(Json(store.get(*id)?))
}

pub async fn create(store: Data<ItemStore>, new: Json<NewItem>) -> Result<HttpResponse, AppError> {
    let item = store.create(new.into_inner())?;
    Ok(HttpResponse::Created().json(item))
}

pub async fn replace(
    store: Data<ItemStore>,
    id: Path<u64>,
    new: Json<NewItem>,
) -> Result<Json<Item>, AppError> {
    Ok(Json(store.replace(*id, new.into_inner())?))
}

pub async fn patch(
    store: Data<ItemStore>,
    id: Path<u64>,
    patch: Json<ItemPatch>,
) -> Result<Json<Item>, AppError> {
    Ok(Json(store.patch(*id, patch.into_inner())?))
}

pub async fn delete(store: Data<ItemStore>, id: Path<u64>) -> Result<HttpResponse, AppError> {
    store.delete(*id)?;
    Ok(HttpResponse::NoContent().finish())
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(id) => AppError::new(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                format!("no item with id {id}"),
            ),
            StoreError::Full => AppError::new(
                StatusCode::CONFLICT,
                ErrorCode::CollectionFull,
                format!("the demo collection holds at most {MAX_ITEMS} items; delete some first"),
            ),
            StoreError::InvalidName(message) => AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidItem,
                message,
            ),
        }
    }
}
